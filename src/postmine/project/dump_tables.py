"""Project tables of the 004 PR1 land allotment of a dump project (Eqs. 1.1-1.19, Table 1.1).

:func:`land_tables` lays out the result of the PR1 chain
(:func:`postmine.chains.pit_allotment.pit_land_allotment`) as the tables of a project:
``pit_allotment``, ``dump_shapes``, ``slope_flattening``, ``dust_zone``, ``topsoil_store``
and ``land_allotment`` (Table 1.1 of [004]). Areas are reported in ha, the rest in SI. Column
labels come from the table of quantities (``data/quantities/dump.toml``) through
:func:`postmine.project.model.quantity_column`.

References
----------
[004] Practical works on rational nature use in mining, PR1, Eqs. (1.1)-(1.19), Table 1.1.
"""

from __future__ import annotations

from typing import Any

from postmine.chains.pit_allotment import FLATTENING_SCHEME_RU, PitAllotment
from postmine.methods import dump_flattening as flattening
from postmine.methods import dumps
from postmine.project.model import Column, Table, quantity_column, text

__all__ = ["FLATTENING_SCHEME_NAMES", "M2_PER_HA", "land_tables"]

#: Square metres in a hectare. [m²/ha]
M2_PER_HA = 1.0e4

#: Names of the flattening schemes of Fig. 1.3 of [004] in English and Russian.
FLATTENING_SCHEME_NAMES = {
    scheme: text(scheme, FLATTENING_SCHEME_RU[scheme]) for scheme in flattening.FLATTENING_SCHEMES
}
_RECONSTRUCTED = text(
    "Eqs. 1.4-1.6 and 1.10 of 004 were images lost in the extraction; they are reconstructed "
    "from frustum geometry (postmine.methods.dumps).",
    "Формулы (1.4)-(1.6) и (1.10) 004 утрачены при извлечении текста; восстановлены по "
    "геометрии усечённых тел (postmine.methods.dumps).",
)


def _ha(area_m2: float) -> float:
    return float(area_m2) / M2_PER_HA


def _pit_table(land: PitAllotment) -> Table:
    return Table(
        key="pit_allotment",
        title=text(
            "Mining allotment and overburden volume", "Горный отвод и объём вскрышных пород"
        ),
        source="004 PR1, Eqs. 1.2-1.3",
        columns=[
            quantity_column("pit_bottom_area_m2"),
            quantity_column("pit_bottom_perimeter_m"),
            quantity_column("pit_wall_run_m"),
            quantity_column("pit_area_ha"),
            quantity_column("mining_allotment_ha"),
            quantity_column("overburden_volume_m3"),
        ],
        rows=[
            {
                "pit_bottom_area_m2": land.pit_bottom_area_m2,
                "pit_bottom_perimeter_m": land.pit_bottom_perimeter_m,
                "pit_wall_run_m": land.pit_wall_run_m,
                "pit_area_ha": _ha(land.pit_area_m2),
                "mining_allotment_ha": _ha(land.mining_allotment_m2),
                "overburden_volume_m3": land.overburden_volume_m3,
            }
        ],
    )


def _geometry_columns() -> list[Column]:
    return [
        quantity_column("base_size_m", "dump_base_size_m"),
        quantity_column("base_length_m", "dump_base_length_m"),
        quantity_column("top_area_m2", "dump_top_area_m2"),
        quantity_column("side_area_m2", "dump_side_area_m2"),
        quantity_column("base_area_m2", "dump_base_area_m2"),
        quantity_column("base_perimeter_m", "dump_base_perimeter_m"),
    ]


def _geometry_row(g: dumps.DumpGeometry | flattening.FlattenedDump) -> dict[str, Any]:
    return {
        "base_size_m": float(g.base_size),
        "base_length_m": float(g.base_length) if g.shape == "rectangle" else None,
        "top_area_m2": float(g.top_area),
        "side_area_m2": float(g.side_area),
        "base_area_m2": float(g.base_area),
        "base_perimeter_m": float(g.base_perimeter),
    }


def _shapes_table(land: PitAllotment) -> Table:
    return Table(
        key="dump_shapes",
        title=text(
            "Dump of circular, square and rectangular base", "Параметры отвала по форме основания"
        ),
        source="004 PR1, Eqs. 1.4-1.6",
        columns=[
            quantity_column("shape", "dump_base_shape"),
            *_geometry_columns(),
            quantity_column("volume_m3", "dump_volume_m3"),
            quantity_column("chosen", "dump_chosen"),
        ],
        rows=[
            {
                "shape": g.shape,
                **_geometry_row(g),
                "volume_m3": float(g.volume),
                "chosen": g.shape == land.dump.shape,
            }
            for g in land.candidates
        ],
        notes=[
            text(
                f"C = 2 h_о ctg α = {land.base_top_difference_m:.2f} m; the dump with the "
                "smallest base is chosen unless dump.base_shape asks for another.",
                f"C = 2 h_о ctg α = {land.base_top_difference_m:.2f} м; принимается отвал с "
                "наименьшей площадью основания, если dump.base_shape не задаёт другую форму.",
            ),
            _RECONSTRUCTED,
        ],
    )


def _flattening_table(land: PitAllotment, scheme: str) -> Table:
    rows = []
    for name, s in land.schemes.items():
        fl = s.flattened
        rows.append(
            {
                "scheme": name,
                "flattening_volume_m3": float(fl.flattening_volume),
                "height_increase_m": float(fl.height_increase),
                "base_growth_m": float(fl.base_growth),
                "height_m": float(fl.height),
                **_geometry_row(fl),
                "chosen": name == scheme,
            }
        )
    return Table(
        key="slope_flattening",
        title=text("Flattening of the dump slopes", "Выполаживание откосов отвала"),
        source="004 PR1, Eqs. 1.7-1.11",
        columns=[
            quantity_column("scheme", "flattening_scheme"),
            quantity_column("flattening_volume_m3"),
            quantity_column("height_increase_m", "flattening_height_increase_m"),
            quantity_column("base_growth_m", "flattening_base_growth_m"),
            quantity_column("height_m", "flattened_height_m"),
            *_geometry_columns(),
            quantity_column("chosen", "dump_chosen"),
        ],
        rows=rows,
        notes=[
            text(
                "Bottom-up keeps the base, top and slope areas of the dump (004 recalculates "
                "them only with ΔL, sec. 1.2).",
                "При схеме «снизу-вверх» площади основания, верха и откосов не пересчитываются "
                "(004 пересчитывает их только с учётом ΔL, п. 1.2).",
            ),
            _RECONSTRUCTED,
        ],
    )


def _dust_table(land: PitAllotment) -> Table:
    return Table(
        key="dust_zone",
        title=text("Dust zone and polluted land around the dump", "Зона пыления вокруг отвала"),
        source="004 PR1, Eqs. 1.12-1.18",
        columns=[
            quantity_column("scheme", "flattening_scheme"),
            quantity_column("specific_blow_off_mg_m2_s"),
            quantity_column("dusting_surface_m2"),
            quantity_column("emission_mg_s", "dust_emission_mg_s"),
            quantity_column("zone_width_m", "dust_zone_width_m"),
            quantity_column("polluted_area_ha"),
        ],
        rows=[
            {
                "scheme": name,
                "specific_blow_off_mg_m2_s": land.specific_blow_off_mg_m2_s,
                "dusting_surface_m2": s.dusting_surface_m2,
                "emission_mg_s": s.emission_mg_s,
                "zone_width_m": s.zone_width_m,
                "polluted_area_ha": _ha(s.polluted_area_m2),
            }
            for name, s in land.schemes.items()
        ],
        notes=[
            text(
                "Eq. 1.12 is reconstructed from the garbled extraction and not verified against "
                "the printed original.",
                "Формула (1.12) восстановлена по искажённому тексту и не сверена с оригиналом.",
            )
        ],
    )


def _topsoil_table(land: PitAllotment) -> Table:
    return Table(
        key="topsoil_store",
        title=text("Topsoil volume and store", "Объём и склад плодородного слоя"),
        source="004 PR1, Eq. 1.19",
        columns=[
            quantity_column("scheme", "flattening_scheme"),
            quantity_column("disturbed_area_ha", "stripped_area_ha"),
            quantity_column("topsoil_volume_m3", "topsoil_store_volume_m3"),
            quantity_column("store_area_ha", "topsoil_store_area_ha"),
        ],
        rows=[
            {
                "scheme": name,
                "disturbed_area_ha": _ha(s.disturbed_area_m2),
                "topsoil_volume_m3": s.topsoil_volume_m3,
                "store_area_ha": _ha(s.store_area_m2),
            }
            for name, s in land.schemes.items()
        ],
    )


def _allotment_table(land: PitAllotment) -> Table:
    by = land.schemes
    up, down = by["bottom-up"], by["top-down"]
    rational = FLATTENING_SCHEME_NAMES[land.rational.scheme]["ru"]
    return Table(
        key="land_allotment",
        title=text(
            "Land allotment with the dump slopes flattened",
            "Варианты использования земельного отвода с выполаживанием откосов отвала",
        ),
        source="004 Table 1.1",
        columns=[
            quantity_column("indicator", "allotment_indicator"),
            quantity_column("bottom_up_ha", "allotment_bottom_up_ha"),
            quantity_column("top_down_ha", "allotment_top_down_ha"),
        ],
        rows=[
            {
                "indicator": "S_ос.отв",
                "bottom_up_ha": _ha(float(up.flattened.base_area)),
                "top_down_ha": _ha(float(down.flattened.base_area)),
            },
            {
                "indicator": "S_з",
                "bottom_up_ha": _ha(up.polluted_area_m2),
                "top_down_ha": _ha(down.polluted_area_m2),
            },
            {
                "indicator": "S_зо",
                "bottom_up_ha": _ha(up.total_allotment_m2),
                "top_down_ha": _ha(down.total_allotment_m2),
            },
        ],
        notes=[
            text(
                "S_ос.отв: land under the dump; S_з: land polluted by dust around it; S_зо: "
                "total land allotment (S_го + S_ос.отв + S_з + S_ск) K_р, the polluted land "
                "counted as disturbed (dump.count_polluted_area; false gives Eq. 1.1 as printed).",
                "S_ос.отв — площадь под отвалом; S_з — засорённая пылью территория вокруг "
                "отвала; S_зо — общая площадь земельного отвода (S_го + S_ос.отв + S_з + S_ск) "
                "K_р, засорённые земли считаются нарушенными.",
            ),
            text(
                f"The scheme with the smaller total allotment: {land.rational.scheme}.",
                f"Схема с меньшей общей площадью: «{rational}».",
            ),
        ],
    )


def land_tables(land: PitAllotment, scheme: str) -> list[Table]:
    """Lay out the PR1 chain's result as the six land tables of a dump project.

    Parameters
    ----------
    land : PitAllotment
        The result of :func:`postmine.chains.pit_allotment.pit_land_allotment`.
    scheme : {"bottom-up", "top-down"}
        The flattening scheme the project uses (marked ``chosen``).

    Returns
    -------
    list of Table
        ``pit_allotment``, ``dump_shapes``, ``slope_flattening``, ``dust_zone``,
        ``topsoil_store`` and ``land_allotment`` (Table 1.1 of [004]).
    """
    return [
        _pit_table(land),
        _shapes_table(land),
        _flattening_table(land, scheme),
        _dust_table(land),
        _topsoil_table(land),
        _allotment_table(land),
    ]
