"""``postmine calc pit-land-allotment``: land allotment of a coal open pit (004, PR1).

Runs the whole of practical work 1 of 004 for one set of inputs: the mining allotment
(Eq. 1.2), the overburden volume (1.3), the dump of circular, square and rectangular base
(1.4-1.6, reconstructed) and the chosen one, both slope-flattening schemes with the
recalculated dump (1.7-1.11), the dust zone and polluted land of each scheme (1.12-1.18),
the topsoil store (1.19) and the total allotment of each scheme (1.1) = Table 1.1.

Constants that Table 1.2 does not give are inputs whose defaults are the values printed in
the text of PR1 (each Field's description says where).
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from postmine.calc.base import (
    Calculation,
    CalculationInputs,
    Quantity,
    register,
    variant_value,
)
from postmine.chains.pit_allotment import (
    FLATTENING_SCHEME_RU,
    SHAPE_RU,
    PitAllotment,
    PitAllotmentInputs,
    SchemeLand,
    pit_land_allotment,
)
from postmine.methods import dump_flattening as flattening
from postmine.methods import dumps, dust, land_allotment

M2_PER_HA = 1.0e4
M_PER_KM = 1.0e3

SHAPE_EQ = {"circle": "1.4", "square": "1.5", "rectangle": "1.6"}
POLLUTED_EQ = {"circle": "1.16", "square": "1.17", "rectangle": "1.18"}
RECONSTRUCTED_1_4_6 = (
    "Eqs. 1.4-1.6 were images lost in the extraction; reconstructed from frustum geometry"
)
RECONSTRUCTED_1_12 = (
    "Eq. 1.12 reconstructed from the garbled extraction (reading notes on PR1); not verified "
    "against the printed original"
)


class PitLandAllotmentInputs(CalculationInputs):
    """Inputs of PR1 of 004: one row of Table 1.2 plus the constants of the PR1 text."""

    pit_bottom_length: float = Field(
        gt=0, description="L_д, length of the pit bottom (Table 1.2 gives km). [m]"
    )
    pit_bottom_width: float = Field(
        gt=0, description="B_д, width of the pit bottom (Table 1.2 gives km). [m]"
    )
    pit_depth: float = Field(gt=0, description="H_к, depth of the pit (Table 1.2). [m]")
    pit_slope_angle: float = Field(
        gt=0, lt=90, description="φ_ср, mean overall slope angle of the pit walls. [°]"
    )
    coal_bearing_ratio: float = Field(
        ge=0, lt=1, description="K_у, share of coal in the pit volume (Table 1.2). [-]"
    )
    dump_height: float = Field(gt=0, description="h_о, height of the dump (Table 1.2). [m]")
    topsoil_stack_height: float = Field(
        gt=0, description="h_п, height of the topsoil stack (Table 1.2). [m]"
    )
    topsoil_thickness: float = Field(
        ge=0, description="m_п, thickness of the fertile layer (Table 1.2). [m]"
    )
    sanitary_zone_width: float = Field(
        default=land_allotment.SANITARY_ZONE_WIDTH,
        ge=0,
        description="l, sanitary protection zone of a coal pit, 500 m (legend of Eq. 1.2). [m]",
    )
    overburden_loosening_factor: float = Field(
        default=land_allotment.OVERBURDEN_LOOSENING_FACTOR,
        ge=1,
        description="K_разр, loosening factor of the overburden, 1.4 (legend of Eq. 1.3). [-]",
    )
    dump_slope_angle: float = Field(
        default=dumps.DUMP_SLOPE_ANGLE,
        gt=0,
        lt=90,
        description="α, slope angle of the dump, 38° (legend of Eqs. 1.4-1.6). [°]",
    )
    rectangle_aspect_ratio: float = Field(
        default=dumps.RECTANGLE_ASPECT_RATIO,
        ge=1.5,
        le=5,
        description="n = L/B of the rectangular base, 1.5-5 chosen by the student (legend "
        "of Eqs. 1.4-1.6); default 1.5, the smallest base. [-]",
    )
    flattened_slope_angle: float = Field(
        default=flattening.FLATTENED_SLOPE_ANGLE,
        gt=0,
        lt=90,
        description="β, slope angle after flattening, 18° (legend of Eq. 1.10). [°]",
    )
    permissible_dust_concentration: float = Field(
        default=dust.PERMISSIBLE_DUST_CONCENTRATION,
        gt=0,
        description="C, maximum permissible dust concentration, 2 mg/m³ (legend of "
        "Eq. 1.12). [mg/m³]",
    )
    wind_speed: float = Field(
        default=dust.WIND_SPEED,
        gt=0,
        description="v, wind speed, 5 m/s (legend of Eq. 1.15). [m/s]",
    )
    blow_off_coefficient: float = Field(
        default=dust.BLOW_OFF_COEFFICIENT_A,
        gt=0,
        description="a of Eq. 1.15, 0.0097 for rocky mixed rocks (legend of Eq. 1.15). [mg/(m²·s)]",
    )
    blow_off_exponent: float = Field(
        default=dust.BLOW_OFF_EXPONENT_B,
        gt=0,
        description="b of Eq. 1.15, 2.887 for rocky mixed rocks (legend of Eq. 1.15). [-]",
    )
    topsoil_loosening_factor: float = Field(
        default=land_allotment.TOPSOIL_LOOSENING_FACTOR,
        ge=1,
        description="K_р, loosening factor of the topsoil, 1.1 (legend of Eq. 1.19). [-]",
    )
    topsoil_slope_factor: float = Field(
        default=land_allotment.TOPSOIL_SLOPE_FACTOR,
        gt=0,
        le=1,
        description="K_отк, slope factor of the topsoil stack, 0.75 (legend of Eq. 1.19). [-]",
    )
    development_factor: float = Field(
        default=land_allotment.DEVELOPMENT_FACTOR,
        ge=1,
        description="K_р, development factor of the allotment territory, 1.15-1.2 (legend "
        "of Eq. 1.1); default the lower end. [-]",
    )
    count_polluted_area: bool = Field(
        default=True,
        description="Count the dust-polluted land S_з with the dump's land in S_зо (the text "
        "before Eq. 1.3 and Table 1.1); false gives Eq. 1.1 as printed. [-]",
    )


def _ha(area_m2: Any) -> float:
    return float(area_m2) / M2_PER_HA


def chain_inputs(inputs: PitLandAllotmentInputs) -> PitAllotmentInputs:
    """Map the calculator's inputs onto those of the PR1 chain (same values, SI)."""
    i = inputs
    return PitAllotmentInputs(
        pit_bottom_length_m=i.pit_bottom_length,
        pit_bottom_width_m=i.pit_bottom_width,
        pit_depth_m=i.pit_depth,
        pit_slope_angle_deg=i.pit_slope_angle,
        coal_bearing_ratio=i.coal_bearing_ratio,
        dump_height_m=i.dump_height,
        topsoil_stack_height_m=i.topsoil_stack_height,
        topsoil_thickness_m=i.topsoil_thickness,
        sanitary_zone_width_m=i.sanitary_zone_width,
        overburden_loosening_factor=i.overburden_loosening_factor,
        dump_slope_angle_deg=i.dump_slope_angle,
        rectangle_aspect_ratio=i.rectangle_aspect_ratio,
        flattened_slope_angle_deg=i.flattened_slope_angle,
        permissible_dust_concentration_mg_m3=i.permissible_dust_concentration,
        wind_speed_m_s=i.wind_speed,
        dust_blow_off_coefficient=i.blow_off_coefficient,
        dust_blow_off_exponent=i.blow_off_exponent,
        topsoil_loosening_factor=i.topsoil_loosening_factor,
        topsoil_slope_factor=i.topsoil_slope_factor,
        development_factor=i.development_factor,
        count_polluted_area=i.count_polluted_area,
    )


def _dump_quantities(g: dumps.DumpGeometry, eq: str, note: str) -> list[Quantity]:
    """List one candidate dump: its size, areas and perimeter (Eqs. 1.4-1.6)."""
    tag = SHAPE_RU[g.shape]
    out: list[Quantity] = []
    if g.shape == "circle":
        out += [
            Quantity.of("dump_base_radius_m", float(g.base_size), equation=eq, note=note, item=tag),
            Quantity.of("dump_top_radius_m", float(g.top_size), equation=eq, item=tag),
        ]
    else:
        out.append(
            Quantity.of("dump_base_width_m", float(g.base_size), equation=eq, note=note, item=tag)
        )
        if g.shape == "rectangle":
            out.append(
                Quantity.of("dump_base_length_m", float(g.base_length), equation=eq, item=tag)
            )
    return out + _surface_quantities(g, eq, tag, base_area=True)


def _surface_quantities(
    g: dumps.DumpGeometry | flattening.FlattenedDump, eq: str, tag: str, *, base_area: bool
) -> list[Quantity]:
    """List the top and slope areas, the base area and the base perimeter of a dump.

    A flattened dump's base area is given in ha instead, as S_ос.отв of Table 1.1
    (``base_area=False``).
    """
    rows = [("dump_top_area_m2", float(g.top_area)), ("dump_side_area_m2", float(g.side_area))]
    if base_area:
        rows.append(("dump_base_area_m2", float(g.base_area)))
    rows.append(("dump_base_perimeter_m", float(g.base_perimeter)))
    return [Quantity.of(key, value, equation=eq, item=tag) for key, value in rows]


def _flattening_quantities(f: flattening.FlattenedDump) -> list[Quantity]:
    """List one flattening scheme's work and the dump it leaves (Eqs. 1.7-1.11)."""
    if f.scheme == "bottom-up":
        return [
            Quantity.of(
                "bottom_up_flattening_volume_m3", float(f.flattening_volume), equation="1.7"
            ),
            Quantity.of("flattening_height_increase_m", float(f.height_increase), equation="1.8"),
            Quantity.of(
                "flattened_height_m",
                float(f.height),
                equation="1.9",
                note="base, top and slope areas kept: 004 recalculates them only with ΔL",
            ),
        ]
    size_key = "flattened_base_radius_m" if f.shape == "circle" else "flattened_base_width_m"
    out = [
        Quantity.of(
            "top_down_flattening_volume_m3",
            float(f.flattening_volume),
            equation="1.10",
            note="Eq. 1.10 lost in the extraction; reconstructed as 1/4 of 1.7",
        ),
        Quantity.of("flattening_base_growth_m", float(f.base_growth), equation="1.11"),
        Quantity.of(size_key, float(f.base_size), equation="1.11"),
    ]
    if f.shape == "rectangle":
        out.append(Quantity.of("flattened_base_length_m", float(f.base_length), equation="1.11"))
    tag = FLATTENING_SCHEME_RU[f.scheme]
    return out + _surface_quantities(f, "1.11; sec. 1.2", tag, base_area=False)


def _pit_quantities(r: PitAllotment) -> list[Quantity]:
    """List the pit, the overburden, the dump of each shape and the one chosen (1.2-1.6)."""
    out = [
        Quantity.of("pit_bottom_area_m2", r.pit_bottom_area_m2, equation="1.2"),
        Quantity.of("pit_bottom_perimeter_m", r.pit_bottom_perimeter_m, equation="1.2"),
        Quantity.of("pit_wall_run_m", r.pit_wall_run_m, equation="1.2"),
        Quantity.of("mining_allotment_ha", _ha(r.mining_allotment_m2), equation="1.2"),
        Quantity.of("overburden_volume_m3", r.overburden_volume_m3, equation="1.3"),
        Quantity.of("dump_base_top_difference_m", r.base_top_difference_m, equation="1.4-1.6"),
    ]
    for g in r.candidates:
        out += _dump_quantities(g, SHAPE_EQ[g.shape], RECONSTRUCTED_1_4_6)
    return [
        *out,
        Quantity.of("dump_smallest_base_shape", r.dump.shape, equation="1.4-1.6"),
        Quantity.of("specific_blow_off_mg_m2_s", r.specific_blow_off_mg_m2_s, equation="1.15"),
        Quantity.of("mining_allotment_without_zone_ha", _ha(r.pit_area_m2), equation="1.19"),
    ]


def _scheme_quantities(scheme: str, s: SchemeLand, reading: str) -> list[Quantity]:
    """List one flattening scheme: the flattened dump, its dust, topsoil and land (1.7-1.19)."""
    f, k = s.flattened, FLATTENING_SCHEME_RU[scheme]
    table_1_1 = "004 Table 1.1"
    return [
        *_flattening_quantities(f),
        Quantity.of("dusting_surface_m2", s.dusting_surface_m2, equation="1.14", item=k),
        Quantity.of("dust_emission_mg_s", s.emission_mg_s, equation="1.13", item=k),
        Quantity.of(
            "dust_zone_width_m", s.zone_width_m, equation="1.12", note=RECONSTRUCTED_1_12, item=k
        ),
        Quantity.of("stripped_area_ha", _ha(s.disturbed_area_m2), equation="1.19", item=k),
        Quantity.of("topsoil_volume_in_store_m3", s.topsoil_volume_m3, equation="1.19", item=k),
        Quantity.of("topsoil_store_area_ha", _ha(s.store_area_m2), equation="1.19", item=k),
        Quantity.of("land_under_dump_ha", _ha(f.base_area), equation=table_1_1, item=k),
        Quantity.of(
            "polluted_area_ha",
            _ha(s.polluted_area_m2),
            equation=f"{POLLUTED_EQ[f.shape]}; {table_1_1}",
            item=k,
        ),
        Quantity.of(
            "total_land_allotment_ha",
            _ha(s.total_allotment_m2),
            equation=f"1.1; {table_1_1}",
            note=reading,
            item=k,
        ),
    ]


def compute(inputs: PitLandAllotmentInputs) -> list[Quantity]:
    """Run PR1 of 004 (:func:`postmine.chains.pit_allotment.pit_land_allotment`) and report it."""
    r = pit_land_allotment(chain_inputs(inputs))
    reading = (
        "(S_го + S_ос.отв + S_з + S_ск) K_р: the dust-polluted land counted as disturbed"
        if inputs.count_polluted_area
        else "(S_го + S_ос.отв + S_ск) K_р as Eq. 1.1 prints it"
    )
    out = _pit_quantities(r)
    for scheme, s in r.schemes.items():
        out += _scheme_quantities(scheme, s, reading)
    out.append(
        Quantity.of("rational_flattening_scheme", r.rational.scheme, equation="004 Table 1.1")
    )
    return out


def from_variant(row: dict[str, Any]) -> dict[str, Any]:
    """Turn a row of Table 1.2 of 004 into inputs (km -> m; the dip angle is not used)."""
    t = "1.2"
    return {
        "pit_bottom_length": variant_value(row, "pit_bottom_length_km", t) * M_PER_KM,
        "pit_bottom_width": variant_value(row, "pit_bottom_width_km", t) * M_PER_KM,
        "pit_depth": variant_value(row, "pit_depth_m", t),
        "pit_slope_angle": variant_value(row, "pit_slope_angle_deg", t),
        "coal_bearing_ratio": variant_value(row, "coal_bearing_ratio", t),
        "dump_height": variant_value(row, "dump_height_m", t),
        "topsoil_stack_height": variant_value(row, "topsoil_stack_height_m", t),
        "topsoil_thickness": variant_value(row, "topsoil_thickness_m", t),
    }


PIT_LAND_ALLOTMENT = register(
    Calculation(
        name="pit-land-allotment",
        title="Land allotment of a coal open pit with its external dump and topsoil store",
        source="004, PR1, Eqs. 1.1-1.19, Tables 1.1-1.2",
        inputs_model=PitLandAllotmentInputs,
        compute=compute,
        variant_table="1.2",
        from_variant=from_variant,
    )
)
