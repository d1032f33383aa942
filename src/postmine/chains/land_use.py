r"""The 004 PR3 chain: the 21 indicators of rational land use of a mining district.

Practical work 3 of [004] rates how an open-pit mine uses the land of its mining district
and sanitary protection zone by 21 indicators, eqs. (3.1)-(3.21): land disturbance (3.1-3.6),
solid waste (3.7-3.11), restoration and farming value of the reclaimed land (3.12-3.17) and
damage (3.18-3.21). :func:`land_use_indicators` strings the formulas of
:mod:`postmine.methods.land_use` in the order of the worked example after Table 3.2; the
calculator (``postmine calc land-use-indicators``, areas typed in) and the registry's
statistics (areas read from the objects of a territory) both call it.

Units
-----
Inputs are in the source's units, which are also the units the registry stores: areas in
ha, annual amounts per year in t (or m³, ``waste_unit="m3"``), people as persons (not
thousands), yields in centner/ha, prices in rub/centner and rub/ha. Indicators are reported
as the source states them: shares in %, П_нз in ha per 1000 t, money in rub. Each
:class:`Indicator` takes its symbol, name and unit from the table of quantities
(``data/quantities/land_use.toml``).

Inputs the caller lacks are left ``None``: every indicator that needs one is listed in
:attr:`LandUseIndicators.not_computed` with what it needs, and the others are computed.

References
----------
[004] Practical works on the reclamation of disturbed land, practical work 3, eqs.
      (3.1)-(3.21), Tables 3.1 and 3.2 and the "Решение" after Table 3.2.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from postmine.data.quantities import quantity
from postmine.methods import land_restoration as lr
from postmine.methods import land_use as lu

__all__ = [
    "Crop",
    "Indicator",
    "LandUseIndicators",
    "MiningDistrict",
    "land_use_indicators",
]

PERCENT = 100.0  # 004 states shares in %
THOUSAND = 1e3  # eq. 3.5 is reported per 1000 t, as the worked example does

# Remarks on the source, attached to the indicator they concern: where the worked example of
# 004 prints a number the method does not give, or departs from its own formula.
NOTES: dict[str, str] = {
    "S_тнз": (
        "Eq. 3.1 as printed sums the disturbed zones; the worked example of 004 takes the "
        "sanitary protection zone less its reclaimed land, recreation zone and buildings, "
        "4306 - (329 + 213 + 264 + 895) = 2605 ha, and so does the code. The disturbed zones "
        "of Table 3.2 (S_жр, S_т, S_пл, S_о, S_в, S_б, S_выр) add up to 2421 ha."
    ),
    "ΣS_лф": (
        "The worked example counts the worked-out space S_выр (238 ha) with the communications "
        "S_жр (100) and transport routes S_т (233) as linear forms: 571 ha; so does the code."
    ),
    "П_сзз": (
        "004 writes П_тнз^сзз; its worked example prints 60 % (2605 / 4306 = 60.50 %, rounded "
        "to whole percent)."
    ),
    "П_нз": (
        "Eq. 3.5 prints a factor 100 and the unit ha/t; the worked example (symbol П_рз) "
        "divides without it, 2605 / 10 000 000, and states 0.2605 ha per 1000 t; the code "
        "follows it."
    ),
    "П_пз": (
        "The worked example prints 33.5 % for (2605 - 542) / 6144 = 33.58 % (truncated). It "
        "takes S_г = S_тнз, which by its construction (3.1) already excludes the reclaimed "
        "542 ha; the code does the same."
    ),
    "ΣV_то": (
        "Taken as V_вс, the overburden (the only solid waste the tables give). The worked "
        "example uses 58 Mt/year in eqs. 3.7-3.11 (its line of 3.7 prints 68·10⁶ - 10·10⁶, "
        "i.e. V_вс - V_д) although Table 3.2 prints V_вс = 68; example pr3 therefore inputs "
        "V_вс = 58."
    ),
    "q": (
        "Eq. 3.7 states m³/m²; the worked example works in t/ha and prints 13469.5 for "
        "58·10⁶ / 4306 = 13469.58 (truncated)."
    ),
    "П_уто": (
        "The worked example prints 25.8 % for 15 / 58 = 25.86 % (truncated), with V_вс = 58 "
        "where Table 3.2 prints 68 (68 would give 22.1 %)."
    ),
    "П_кто": (
        "The worked example prints 39 % for (688 + 796 + 164) / 4306 = 1648 / 4306 = 38.27 %; "
        "the code gives the quotient."
    ),
    "П_вто": (
        "Eq. 3.10 prints a factor 100 and the unit m³/person; the worked example (symbol "
        "П_пто) divides without it, 58 000 000 / 16 000 = 3625 t/person/year; the code "
        "follows it."
    ),
    "П_зто": (
        "Eq. 3.11 prints a factor 100 and the unit m³/person; the worked example divides "
        "without it, 58 000 000 / 42 000 = 1381 t/person/year; the code follows it."
    ),
    "П_а": (
        "The worked example prints 400 / 543 · 100 = 73.8 %; the reclaimed land is 329 + 213 "
        "= 542 ha and 400 / 542 gives the printed 73.8 % (543: a misprint)."
    ),
    "ВП_схз": (
        "The crop areas of eq. 3.14 are taken as S_схз, as the worked example does. Its line "
        "prints a fodder yield of 25 (which would give 1 910 000 rub); its total 1 760 000 rub "
        "uses Table 3.2's 20, as eq. 3.19 does."
    ),
}
"""Remarks on the worked example of 004 PR3, by the symbol of the indicator they concern."""

_WORDING = {
    "sanitary_zone_area": "sanitary_zone_area",
    "reclaimed_area": "reclaimed land (S_рз > 0)",
    "agricultural_area": "reclaimed land under crops (ΣS_а > 0)",
}


@dataclass(frozen=True)
class Crop:
    """A crop grown on the reclaimed land (a row of the crop columns of Tables 3.1, 3.2).

    Parameters
    ----------
    name : str
        Crop, e.g. fodder (К), grain (З), meadow (Л). [-]
    area : float
        S_рз_i, reclaimed land under the crop, also taken as S_схз_i in eq. (3.15) as the
        worked example does. [ha]
    yield_reclaimed : float
        У_рз_i, yield on reclaimed land (1 centner = 100 kg). [centner/ha]
    yield_farmland : float
        У_схз_i, yield on undisturbed farmland. [centner/ha]
    price : float
        Ц_i, wholesale price of the crop. [rub/centner]
    """

    name: str
    area: float
    yield_reclaimed: float
    yield_farmland: float
    price: float


@dataclass(frozen=True)
class MiningDistrict:
    """The inputs of 004 PR3: a mining district's areas and its mine's activity.

    Areas are in ha (Table 3.2's symbols); ``None`` marks an input the caller does not have.

    Parameters
    ----------
    district_area : float
        S_гпр, area of the mining district. [ha]
    sanitary_zone_area : float or None
        S_сзз, area of the sanitary protection zone. [ha]
    outer_dump_area, inner_dump_area : float
        S_о and S_в, outer and internal dumps in all. [ha]
    nontransport_dump_area : float
        S_б, internal dumps built without transport. [ha]
    worked_out_area : float
        S_выр, worked-out space of the pit. [ha]
    infrastructure_area : float
        S_жр (S_и of Table 3.1), railway stations and other communications. [ha]
    transport_area : float
        S_т (S_дор of Table 3.1), land taken by transport routes. [ha]
    outer_dump_reclaimed_area, inner_dump_reclaimed_area : float
        The reclaimed parts of S_о and S_в. [ha]
    reclaimed_area : float or None
        S_рз, all reclaimed land of the district; ``None`` takes the reclaimed parts of the
        dumps, as the worked example does. [ha]
    tailings_area : float or None
        Tailings storages, counted in ΣS_то of eq. (3.9); ``None`` when the district has none
        on record (Tables 3.1 and 3.2 give none). [ha]
    agricultural_area : float or None
        ΣS_а, reclaimed land under crops (eq. 3.13); ``None`` takes the sum of the crops'
        areas. [ha]
    building_area, recreation_area : float or None
        S_з and S_р, built-up area and recreation zone of the sanitary zone. [ha]
    annual_output : float or None
        V_д, annual coal output (eq. 3.5). [t/year]
    annual_solid_waste : float or None
        ΣV_то, annual solid waste (the overburden V_вс in the worked example). [t/year, or
        m³/year with ``waste_unit="m3"``]
    internal_dump_volume : float or None
        V_вн, annual waste placed in internal dumps (eq. 3.8), in the unit of
        ``annual_solid_waste``. [t/year or m³/year]
    waste_unit : {"t", "m3"}
        Unit of the two waste amounts.
    workers, residents : float or None
        N_р and N_ж, people employed by the mine and residents of its settlement. [persons]
    land_price : float or None
        Ц_н, normative cadastral value of land (eq. 3.18). [rub/ha]
    crops : sequence of Crop
        Crops on the reclaimed land (eqs. 3.14-3.17, 3.19); empty when unknown.
    """

    district_area: float
    sanitary_zone_area: float | None = None
    outer_dump_area: float = 0.0
    inner_dump_area: float = 0.0
    nontransport_dump_area: float = 0.0
    worked_out_area: float = 0.0
    infrastructure_area: float = 0.0
    transport_area: float = 0.0
    outer_dump_reclaimed_area: float = 0.0
    inner_dump_reclaimed_area: float = 0.0
    reclaimed_area: float | None = None
    tailings_area: float | None = None
    agricultural_area: float | None = None
    building_area: float | None = None
    recreation_area: float | None = None
    annual_output: float | None = None
    annual_solid_waste: float | None = None
    internal_dump_volume: float | None = None
    waste_unit: Literal["t", "m3"] = "t"
    workers: float | None = None
    residents: float | None = None
    land_price: float | None = None
    crops: Sequence[Crop] = ()


@dataclass(frozen=True)
class Indicator:
    """One indicator or intermediate of 004 PR3.

    Parameters
    ----------
    key : str
        Its row in the table of quantities (``"land_restoration_percent"``).
    symbol, name, unit : str
        From that row (a crop's term carries the crop's name: ``"ВП_рз[grain]"``).
    value : float
        The value in ``unit``.
    equation : str
        Equation of 004 PR3 (``"3.12"``).
    note : str
        Remark on the source's worked example, ``""`` if none (see :data:`NOTES`).
    """

    key: str
    symbol: str
    name: str
    value: float
    unit: str
    equation: str
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Return ``{"symbol", "name", "value", "unit", "equation"[, "note"]}``."""
        out: dict[str, Any] = {
            "symbol": self.symbol,
            "name": self.name,
            "value": self.value,
            "unit": self.unit,
            "equation": self.equation,
        }
        if self.note:
            out["note"] = self.note
        return out


@dataclass(frozen=True)
class LandUseIndicators:
    """The indicators computed, in the order of 004's worked example, and those that were not.

    ``not_computed`` maps the symbol of each indicator left out to the inputs it needs.
    """

    indicators: tuple[Indicator, ...]
    not_computed: dict[str, str] = field(default_factory=dict)

    def value(self, symbol: str) -> float:
        """Return an indicator's value by its symbol.

        Raises
        ------
        KeyError
            If the indicator was not computed (the message says what it needs).
        """
        for indicator in self.indicators:
            if indicator.symbol == symbol:
                return indicator.value
        if symbol in self.not_computed:
            raise KeyError(f"{symbol} was not computed: {self.not_computed[symbol]}")
        raise KeyError(f"no indicator {symbol!r}")


class _Collector:
    """Indicators computed so far and the ones skipped with what they need."""

    def __init__(self, wording: Mapping[str, str]) -> None:
        self.out: list[Indicator] = []
        self.missing: dict[str, str] = {}
        self.wording = {**_WORDING, **wording}

    def add(self, key: str, value: Any, equation: str, crop: str | None = None) -> None:
        info = quantity(key)
        symbol, name = info.symbol, info.en
        if crop is not None:
            symbol, name = symbol.format(crop=crop), name.format(crop=crop)
        note = NOTES.get(symbol, "")
        self.out.append(Indicator(key, symbol, name, float(value), info.unit, equation, note))

    def skip(self, symbols: Sequence[str], needs: str) -> None:
        for symbol in symbols:
            self.missing.setdefault(symbol, f"needs {needs}")

    def needs(self, input_name: str) -> str:
        return self.wording.get(input_name, input_name)

    def result(self) -> LandUseIndicators:
        done = {i.symbol for i in self.out}
        missing = {k: v for k, v in self.missing.items() if k not in done}
        return LandUseIndicators(indicators=tuple(self.out), not_computed=missing)


def _optional_amount(name: str, value: float | None, unit: str, *, zero: bool = False) -> None:
    """Raise ValueError unless ``value`` is None or a finite number > 0 (>= 0 with ``zero``)."""
    if value is None:
        return
    ok = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    if not ok or value < 0 or (value == 0 and not zero):
        bound = ">= 0" if zero else "> 0"
        raise ValueError(f"{name} must be {bound} {unit}, got {value!r}")


def _check_district(district: MiningDistrict) -> None:
    """Validate the activity inputs and the crops (areas are checked by the methods)."""
    waste = f"{district.waste_unit}/year"
    for name, value, unit, zero in (
        ("building_area", district.building_area, "ha", True),
        ("recreation_area", district.recreation_area, "ha", True),
        ("annual_output", district.annual_output, "t/year", False),
        ("annual_solid_waste", district.annual_solid_waste, waste, False),
        ("internal_dump_volume", district.internal_dump_volume, waste, True),
        ("workers", district.workers, "persons", False),
        ("residents", district.residents, "persons", False),
        ("land_price", district.land_price, "rub/ha", True),
    ):
        _optional_amount(name, value, unit, zero=zero)
    if district.waste_unit not in ("t", "m3"):
        raise ValueError(f"waste_unit must be 't' or 'm3', got {district.waste_unit!r}")
    names = [c.name for c in district.crops]
    if len(set(names)) != len(names):
        raise ValueError(f"crops: names must be unique, got {names}")
    for crop in district.crops:
        for attr, unit in (
            ("area", "ha"),
            ("yield_reclaimed", "centner/ha"),
            ("yield_farmland", "centner/ha"),
            ("price", "rub/centner"),
        ):
            _optional_amount(f"crops[{crop.name}].{attr}", getattr(crop, attr), unit, zero=True)


def _reclaimed(district: MiningDistrict, c: _Collector) -> float:
    """S_рз: the district's reclaimed land, or that of its dumps (eq. 3.6's term)."""
    if district.reclaimed_area is not None:
        s_rz = float(lu.total_area(district.reclaimed_area))
        c.add("reclaimed_area_ha", s_rz, "3.6")
        return s_rz
    parts = [district.outer_dump_reclaimed_area, district.inner_dump_reclaimed_area]
    s_rz = float(lu.total_area(parts))
    c.add("reclaimed_dump_area_ha", s_rz, "3.6")
    return s_rz


def _disturbance(district: MiningDistrict, s_rz: float, c: _Collector) -> float | None:
    """Land disturbance, eqs. (3.1)-(3.6); return S_тнз, or None if it cannot be computed."""
    s_szz, s_gpr = district.sanitary_zone_area, district.district_area
    s_tnz: float | None = None
    if s_szz is None:
        c.skip(["S_тнз"], c.needs("sanitary_zone_area"))
    elif district.building_area is None or district.recreation_area is None:
        c.skip(["S_тнз"], "building_area and recreation_area")
    else:
        undisturbed = [s_rz, district.recreation_area, district.building_area]
        s_tnz = float(lu.disturbed_area_in_sanitary_zone(s_szz, undisturbed))
        c.add("disturbed_area_ha", s_tnz, "3.1")
    if s_tnz is None:
        why = c.missing["S_тнз"][len("needs ") :]
        c.skip(["П_сзз", "П_тнз", "П_нз", "П_пз", "У_н", "У_рз", "q_у"], f"S_тнз ({why})")
    linear = [district.worked_out_area, district.infrastructure_area, district.transport_area]
    c.add("linear_disturbance_area_ha", lu.total_area(linear), "3.2")
    p_plf = float(lu.linear_disturbance_density(linear, s_gpr)) * PERCENT
    c.add("linear_disturbance_density_percent", p_plf, "3.2")
    if s_tnz is None or s_szz is None:
        return None
    p_szz = float(lu.disturbed_share_of_sanitary_zone(s_tnz, s_szz)) * PERCENT
    c.add("sanitary_zone_disturbed_share_percent", p_szz, "3.3")
    p_tnz = float(lu.disturbed_share_of_district(s_tnz, s_gpr)) * PERCENT
    c.add("district_disturbed_share_percent", p_tnz, "3.4")
    if district.annual_output is None:
        c.skip(["П_нз"], "annual_output")
    else:
        p_nz = float(lu.disturbance_per_output(s_tnz, district.annual_output)) * THOUSAND
        c.add("disturbed_area_per_output_ha_per_1000_t", p_nz, "3.5")
    p_pz = float(lu.absolute_land_loss(s_tnz, s_rz, s_gpr)) * PERCENT
    c.add("absolute_land_loss_percent", p_pz, "3.6")
    return s_tnz


def _solid_waste(district: MiningDistrict, c: _Collector) -> None:
    """Solid waste, eqs. (3.7)-(3.11)."""
    s_szz, waste, u = district.sanitary_zone_area, district.annual_solid_waste, district.waste_unit
    if waste is None:
        c.skip(["ΣV_то", "q", "П_уто", "П_вто", "П_зто"], "annual_solid_waste")
    else:
        c.add(f"annual_solid_waste_{u}_per_year", waste, "3.7")
        if s_szz is None:
            c.skip(["q"], c.needs("sanitary_zone_area"))
        else:
            c.add(f"solid_waste_per_area_{u}_per_ha", lu.solid_waste_per_area(waste, s_szz), "3.7")
        if district.internal_dump_volume is None:
            c.skip(["П_уто"], "internal_dump_volume")
        else:
            p_uto = float(lu.waste_utilisation(district.internal_dump_volume, waste)) * PERCENT
            c.add("waste_utilisation_percent", p_uto, "3.8")
    storage = [district.inner_dump_area, district.outer_dump_area, district.nontransport_dump_area]
    storage_key = "waste_storage_area_ha"
    if district.tailings_area is not None:
        storage, storage_key = (
            [*storage, district.tailings_area],
            "waste_storage_with_tailings_area_ha",
        )
    c.add(storage_key, lu.total_area(storage), "3.9")
    if s_szz is None:
        c.skip(["П_кто"], c.needs("sanitary_zone_area"))
    else:
        p_kto = float(lu.waste_storage_concentration(storage, s_szz)) * PERCENT
        c.add("waste_storage_concentration_percent", p_kto, "3.9")
    if waste is not None and district.workers is not None:
        c.add(
            f"waste_per_worker_{u}_per_person_year",
            lu.waste_per_worker(waste, district.workers),
            "3.10",
        )
    elif waste is not None:
        c.skip(["П_вто"], "workers")
    if waste is not None and district.residents is not None:
        per_resident = lu.waste_per_resident(waste, district.residents)
        c.add(f"waste_per_resident_{u}_per_person_year", per_resident, "3.11")
    elif waste is not None:
        c.skip(["П_зто"], "residents")


def _restoration(district: MiningDistrict, s_rz: float, c: _Collector) -> float:
    """Restoration of land, eqs. (3.12)-(3.13); return ΣS_а."""
    s_szz = district.sanitary_zone_area
    if s_szz is None:
        c.skip(["П_вз"], c.needs("sanitary_zone_area"))
    else:
        c.add("land_restoration_percent", float(lr.land_restoration(s_rz, s_szz)) * PERCENT, "3.12")
    if district.agricultural_area is not None:
        s_a = float(lu.total_area(district.agricultural_area))
    else:
        s_a = float(lu.total_area([crop.area for crop in district.crops]))
    c.add("agricultural_area_ha", s_a, "3.13")
    if s_rz > 0:
        p_a = float(lr.agricultural_restoration(s_a, s_rz)) * PERCENT
        c.add("agricultural_restoration_percent", p_a, "3.13")
    else:
        c.skip(["П_а"], c.needs("reclaimed_area"))
    return s_a


def _farming(district: MiningDistrict, s_a: float, c: _Collector) -> bool:
    """Farming value of the reclaimed land, eqs. (3.14)-(3.17); return whether computed."""
    crops = district.crops
    crop_symbols = ["ВП_рз", "ВП_схз", "П_п", "П_ат", "У_пп", "У_рз", "q_у"]
    if not crops:
        c.skip(crop_symbols, "crops")
        return False
    if s_a <= 0:
        c.skip(crop_symbols, c.needs("agricultural_area"))
        return False
    prices = [crop.price for crop in crops]
    areas = [crop.area for crop in crops]
    for crop in crops:
        term = lr.gross_agricultural_product(crop.price, crop.yield_reclaimed, crop.area)
        c.add("crop_gross_product_reclaimed_rub", term, "3.14", crop=crop.name)
    y_rz = [crop.yield_reclaimed for crop in crops]
    vp_rz = float(lr.gross_agricultural_product(prices, y_rz, areas))
    c.add("gross_product_reclaimed_rub", vp_rz, "3.14")
    for crop in crops:
        term = lr.gross_agricultural_product(crop.price, crop.yield_farmland, crop.area)
        c.add("crop_gross_product_farmland_rub", term, "3.15", crop=crop.name)
    y_skhz = [crop.yield_farmland for crop in crops]
    vp_skhz = float(lr.gross_agricultural_product(prices, y_skhz, areas))
    c.add("gross_product_farmland_rub", vp_skhz, "3.15")
    c.add("gross_product_per_ha_rub_per_ha", lr.productivity_per_hectare(vp_rz, s_a), "3.16")
    if vp_skhz > 0:
        p_at = float(lr.agricultural_equivalence(vp_rz, vp_skhz)) * PERCENT
        c.add("agricultural_equivalence_percent", p_at, "3.17")
    else:
        c.skip(["П_ат"], "a gross product of farmland > 0 (yields and prices)")
    return True


def _damage(district: MiningDistrict, s_tnz: float | None, farmed: bool, c: _Collector) -> None:
    """Damage, eqs. (3.18)-(3.21)."""
    u_n: float | None = None
    if s_tnz is not None and district.land_price is None:
        c.skip(["У_н", "У_рз", "q_у"], "land_price")
    elif s_tnz is not None and district.land_price is not None:
        u_n = float(lr.normative_damage(district.land_price, s_tnz))
        c.add("normative_damage_rub", u_n, "3.18")
    if not farmed:
        return
    crops = district.crops
    for crop in crops:
        term = lr.productivity_loss_damage(
            crop.price, crop.yield_farmland, crop.yield_reclaimed, crop.area
        )
        c.add("crop_yield_loss_damage_rub", term, "3.19", crop=crop.name)
    u_pp = float(
        lr.productivity_loss_damage(
            [crop.price for crop in crops],
            [crop.yield_farmland for crop in crops],
            [crop.yield_reclaimed for crop in crops],
            [crop.area for crop in crops],
        )
    )
    c.add("yield_loss_damage_rub", u_pp, "3.19")
    if u_n is None or s_tnz is None:
        return
    u_rz = float(lr.reclamation_damage(u_n, u_pp))
    c.add("total_damage_rub", u_rz, "3.20")
    c.add("damage_per_ha_rub_per_ha", lr.specific_damage(u_rz, s_tnz), "3.21")


def land_use_indicators(
    district: MiningDistrict, *, wording: Mapping[str, str] | None = None
) -> LandUseIndicators:
    r"""Compute the 21 land-use indicators of 004 PR3 and their intermediates.

    Parameters
    ----------
    district : MiningDistrict
        Areas of the district [ha] and the mine's activity; ``None`` inputs are skipped.
    wording : mapping, optional
        How the caller names the inputs ``"sanitary_zone_area"``, ``"reclaimed_area"`` and
        ``"agricultural_area"`` in :attr:`LandUseIndicators.not_computed` (the registry says
        "the territory's sanitary_zone_area_ha"); others are named by their field.

    Returns
    -------
    LandUseIndicators
        The indicators in the order of the worked example (eqs. 3.1-3.21), in the units of
        004 (ha, %, ha/1000 t, t/ha, t/person/year, rub, rub/ha), and what was not computed.

    Raises
    ------
    ValueError
        If an input is out of its range (the message names it) or a method refuses the
        areas (e.g. reclaimed, recreation and built-up land exceed the sanitary zone).

    Notes
    -----
    As the worked example computes them: S_тнз = S_сзз − (S_рз + S_р + S_з) (eq. 3.1, see
    :func:`postmine.methods.land_use.disturbed_area_in_sanitary_zone`); ΣS_лф = S_выр + S_жр
    + S_т (3.2); S_г = S_тнз in (3.6); ΣS_то = S_в + S_о + S_б (+ tailings) in (3.9); the
    crop areas serve as S_схз_i in (3.15). Where the source prints a different number the
    indicator carries a ``note`` (:data:`NOTES`).

    References
    ----------
    [004] practical work 3, eqs. (3.1)-(3.21), Table 3.2 and its "Решение".

    Examples
    --------
    The worked example's restoration of land, 542 / 4306 · 100 = 12.6 % (eq. 3.12):

    >>> district = MiningDistrict(district_area=6144.0, sanitary_zone_area=4306.0,
    ...                           outer_dump_reclaimed_area=329.0, inner_dump_reclaimed_area=213.0)
    >>> round(land_use_indicators(district).value("П_вз"), 1)
    12.6
    """
    _check_district(district)
    c = _Collector(wording or {})
    s_rz = _reclaimed(district, c)
    s_tnz = _disturbance(district, s_rz, c)
    _solid_waste(district, c)
    s_a = _restoration(district, s_rz, c)
    farmed = _farming(district, s_a, c)
    _damage(district, s_tnz, farmed, c)
    return c.result()
