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
    tag = SHAPE_RU[g.shape]
    out: list[Quantity] = []
    if g.shape == "circle":
        out.append(
            Quantity(f"R[{tag}]", "base radius of the dump", float(g.base_size), "m", eq, note)
        )
        out.append(Quantity(f"r[{tag}]", "top radius of the dump", float(g.top_size), "m", eq))
    else:
        out.append(
            Quantity(f"B[{tag}]", "base width of the dump", float(g.base_size), "m", eq, note)
        )
        if g.shape == "rectangle":
            out.append(
                Quantity(f"L[{tag}]", "base length of the dump", float(g.base_length), "m", eq)
            )
    out += [
        Quantity(f"S_в[{tag}]", "top area of the dump", float(g.top_area), "m²", eq),
        Quantity(f"S_б[{tag}]", "slope (side) area of the dump", float(g.side_area), "m²", eq),
        Quantity(f"S_ос.отв[{tag}]", "base area of the dump", float(g.base_area), "m²", eq),
        Quantity(f"P_о[{tag}]", "base perimeter of the dump", float(g.base_perimeter), "m", eq),
    ]
    return out


def _flattening_quantities(f: flattening.FlattenedDump) -> list[Quantity]:
    k = FLATTENING_SCHEME_RU[f.scheme]
    if f.scheme == "bottom-up":
        return [
            Quantity(
                "V_выпсн", "volume of bottom-up flattening", float(f.flattening_volume), "m³", "1.7"
            ),
            Quantity("Δh", "rise of the dump", float(f.height_increase), "m", "1.8"),
            Quantity(
                "h*",
                "height of the dump after flattening",
                float(f.height),
                "m",
                "1.9",
                "base, top and slope areas kept: 004 recalculates them only with ΔL",
            ),
        ]
    size_symbol = {"circle": "R'", "square": "B'", "rectangle": "B'"}[f.shape]
    out = [
        Quantity(
            "V_выпсв",
            "volume of top-down flattening",
            float(f.flattening_volume),
            "m³",
            "1.10",
            "Eq. 1.10 lost in the extraction; reconstructed as 1/4 of 1.7",
        ),
        Quantity("ΔL", "outward shift of the toe", float(f.base_growth), "m", "1.11"),
        Quantity(size_symbol, "base size after flattening", float(f.base_size), "m", "1.11"),
    ]
    if f.shape == "rectangle":
        out.append(
            Quantity("L'", "base length after flattening", float(f.base_length), "m", "1.11")
        )
    eq = "1.11; sec. 1.2"
    return [
        *out,
        Quantity(f"S_в[{k}]", "top area after flattening", float(f.top_area), "m²", eq),
        Quantity(f"S_б[{k}]", "slope area after flattening", float(f.side_area), "m²", eq),
        Quantity(f"P_о[{k}]", "base perimeter after flattening", float(f.base_perimeter), "m", eq),
    ]


def _pit_quantities(r: PitAllotment) -> list[Quantity]:
    """List the pit, the overburden, the dump of each shape and the one chosen (1.2-1.6)."""
    out = [
        Quantity("S_пи", "area of the pit bottom", r.pit_bottom_area_m2, "m²", "1.2"),
        Quantity("P", "perimeter of the pit bottom", r.pit_bottom_perimeter_m, "m", "1.2"),
        Quantity("H_к ctg φ_ср", "horizontal run of the pit walls", r.pit_wall_run_m, "m", "1.2"),
        Quantity(
            "S_го",
            "mining allotment with the sanitary zone",
            _ha(r.mining_allotment_m2),
            "ha",
            "1.2",
        ),
        Quantity(
            "V_вс", "overburden volume placed in the dump", r.overburden_volume_m3, "m³", "1.3"
        ),
        Quantity(
            "C", "base width minus top width of the dump", r.base_top_difference_m, "m", "1.4-1.6"
        ),
    ]
    for g in r.candidates:
        out += _dump_quantities(g, SHAPE_EQ[g.shape], RECONSTRUCTED_1_4_6)
    out += [
        Quantity(
            "форма отвала", "base shape with the smallest base area", r.dump.shape, "", "1.4-1.6"
        ),
        Quantity("ω", "specific dust blow-off", r.specific_blow_off_mg_m2_s, "mg/(m²·s)", "1.15"),
        Quantity(
            "S_го(l=0)",
            "mining allotment without the sanitary zone",
            _ha(r.pit_area_m2),
            "ha",
            "1.19",
        ),
    ]
    return out


def _scheme_quantities(scheme: str, s: SchemeLand, reading: str) -> list[Quantity]:
    """List one flattening scheme: the flattened dump, its dust, topsoil and land (1.7-1.19)."""
    f, k = s.flattened, FLATTENING_SCHEME_RU[scheme]
    return [
        *_flattening_quantities(f),
        Quantity(f"S_отв[{k}]", "dusting surface of the dump", s.dusting_surface_m2, "m²", "1.14"),
        Quantity(f"g_от[{k}]", "dust emission of the dump", s.emission_mg_s, "mg/s", "1.13"),
        Quantity(
            f"X_з[{k}]",
            "width of the dust dispersion zone",
            s.zone_width_m,
            "m",
            "1.12",
            RECONSTRUCTED_1_12,
        ),
        Quantity(
            f"S_н[{k}]",
            "disturbed land stripped of topsoil",
            _ha(s.disturbed_area_m2),
            "ha",
            "1.19",
        ),
        Quantity(f"V_пп[{k}]", "topsoil volume in the store", s.topsoil_volume_m3, "m³", "1.19"),
        Quantity(f"S_ск[{k}]", "area of the topsoil store", _ha(s.store_area_m2), "ha", "1.19"),
        Quantity(f"S_ос.отв[{k}]", "land under the dump", _ha(f.base_area), "ha", "004 Table 1.1"),
        Quantity(
            f"S_з[{k}]",
            "land polluted by dust around the dump",
            _ha(s.polluted_area_m2),
            "ha",
            f"{POLLUTED_EQ[f.shape]}; 004 Table 1.1",
        ),
        Quantity(
            f"S_зо[{k}]",
            "total land allotment",
            _ha(s.total_allotment_m2),
            "ha",
            "1.1; 004 Table 1.1",
            reading,
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
        Quantity(
            "схема",
            "flattening scheme with the smallest total allotment",
            r.rational.scheme,
            "",
            "004 Table 1.1",
        )
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
