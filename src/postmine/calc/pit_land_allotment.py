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

from dataclasses import dataclass
from typing import Any

from pydantic import Field

from postmine.calc.base import (
    Calculation,
    CalculationInputs,
    Quantity,
    register,
    variant_value,
)
from postmine.methods import dumps, dust, land_allotment

M2_PER_HA = 1.0e4
M_PER_KM = 1.0e3

SHAPE_RU = {"circle": "круг", "square": "квадрат", "rectangle": "прямоугольник"}
SCHEME_RU = {"bottom-up": "снизу-вверх", "top-down": "сверху-вниз"}
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
        default=dumps.FLATTENED_SLOPE_ANGLE,
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


@dataclass(frozen=True)
class SchemeLand:
    """One flattening scheme of PR1: the flattened dump, its dust zone, topsoil and land.

    One column of Table 1.1 of 004 with the quantities behind it; areas in m², volumes in
    m³ (the calculation reports the areas in ha).
    """

    flattened: dumps.FlattenedDump
    """The dump after flattening by this scheme (Eqs. 1.7-1.11)."""
    dusting_surface: float
    """S_отв = S_б + S_в, dusting surface (Eq. 1.14). [m²]"""
    emission_rate: float
    """g_от, dust emission of the dump (Eq. 1.13). [mg/s]"""
    zone_width: float
    """X_з, width of the dust dispersion zone (Eq. 1.12, reconstructed). [m]"""
    polluted_area: float
    """S_з, land polluted by dust around the dump (Eqs. 1.16-1.18). [m²]"""
    disturbed_area: float
    """S_н, disturbed land stripped of topsoil (legend of Eq. 1.19). [m²]"""
    topsoil_volume: float
    """V_пп = S_н m_п K_р, loose topsoil volume in the store (Eq. 1.19). [m³]"""
    store_area: float
    """S_ск, area of the topsoil store (Eq. 1.19). [m²]"""
    total_allotment: float
    """S_зо, total land allotment (Eq. 1.1, with S_з if counted). [m²]"""


@dataclass(frozen=True)
class PitLandAllotment:
    """The whole of PR1 of 004 for one set of inputs, as numbers (see :func:`solve`)."""

    bottom_area: float
    """S_пи, area of the pit bottom (Eq. 1.2). [m²]"""
    bottom_perimeter: float
    """P, perimeter of the pit bottom (Eq. 1.2). [m]"""
    wall_run: float
    """H_к ctg φ_ср, horizontal run of the pit walls (Eq. 1.2). [m]"""
    mining_allotment: float
    """S_го, mining allotment with the sanitary zone (Eq. 1.2). [m²]"""
    pit_area: float
    """S_го with l = 0, the pit outline at the surface (legend of Eq. 1.19). [m²]"""
    overburden_volume: float
    """V_вс, loose overburden volume placed in the dump (Eq. 1.3). [m³]"""
    base_top_difference: float
    """C = 2 h_о ctg α (legend of Eqs. 1.4-1.6). [m]"""
    candidates: tuple[dumps.DumpGeometry, ...]
    """The dump of each base shape of :data:`~postmine.methods.dumps.DUMP_SHAPES`."""
    dump: dumps.DumpGeometry
    """The dump whose slopes are flattened: the smallest base, or the shape asked for."""
    specific_blow_off: float
    """ω, specific dust blow-off (Eq. 1.15). [mg/(m²·s)]"""
    schemes: dict[str, SchemeLand]
    """Each flattening scheme of :data:`~postmine.methods.dumps.FLATTENING_SCHEMES`."""
    rational: dumps.AllotmentOption
    """The scheme with the smallest total allotment (Table 1.1)."""


def solve(inputs: PitLandAllotmentInputs, base_shape: str | None = None) -> PitLandAllotment:
    """Run PR1 of 004 and return its quantities as numbers (SI: m, m², m³).

    Parameters
    ----------
    inputs : PitLandAllotmentInputs
        The inputs; a model built with ``model_construct`` (no validation) is accepted, the
        methods validate every value they use.
    base_shape : {"circle", "square", "rectangle"}, optional
        Flatten the dump of this base shape; by default the one with the smallest base
        (the method of PR1, text after Eq. 1.6).

    Returns
    -------
    PitLandAllotment
        Every intermediate and final quantity of Eqs. 1.1-1.19.

    Raises
    ------
    ValueError
        If a method refuses an input, or ``base_shape`` is not a known shape.
    """
    i = inputs
    S_пи = land_allotment.pit_bottom_area(i.pit_bottom_length, i.pit_bottom_width)
    P = land_allotment.pit_bottom_perimeter(i.pit_bottom_length, i.pit_bottom_width)
    run = land_allotment.pit_wall_run(i.pit_depth, i.pit_slope_angle)
    S_го = land_allotment.mining_allotment_area(
        S_пи, P, i.pit_depth, i.pit_slope_angle, i.sanitary_zone_width
    )
    V_вс = land_allotment.overburden_volume(
        S_пи, P, i.pit_depth, i.pit_slope_angle, i.coal_bearing_ratio, i.overburden_loosening_factor
    )
    C = dumps.base_top_difference(i.dump_height, i.dump_slope_angle)
    candidates = tuple(
        dumps.dump_for_volume(
            shape,
            V_вс,
            i.dump_height,
            i.dump_slope_angle,
            i.rectangle_aspect_ratio if shape == "rectangle" else None,
        )
        for shape in dumps.DUMP_SHAPES
    )
    if base_shape is None:
        chosen = dumps.smallest_base_dump(candidates)
    else:
        by_shape = {g.shape: g for g in candidates}
        if base_shape not in by_shape:
            known = ", ".join(repr(s) for s in dumps.DUMP_SHAPES)
            raise ValueError(f"base_shape must be one of {known}, got {base_shape!r}")
        chosen = by_shape[base_shape]
    ω = dust.specific_dust_blow_off(i.wind_speed, i.blow_off_coefficient, i.blow_off_exponent)
    S_карьер = land_allotment.mining_allotment_area(
        S_пи, P, i.pit_depth, i.pit_slope_angle, sanitary_zone_width=0.0
    )
    schemes: dict[str, SchemeLand] = {}
    options: list[dumps.AllotmentOption] = []
    for scheme in dumps.FLATTENING_SCHEMES:
        f = dumps.flatten_dump(chosen, scheme, i.flattened_slope_angle)
        S_отв = dust.dump_dusting_surface(f.side_area, f.top_area)
        g_от = dust.dust_emission_rate(ω, S_отв)
        X_з = dust.dust_zone_width(f.height, g_от, i.permissible_dust_concentration)
        length = f.base_length if f.shape == "rectangle" else None
        S_з = dust.dust_polluted_area(f.shape, f.base_size, X_з, length)
        S_н = land_allotment.disturbed_land_area(S_карьер, f.base_area)
        V_пп = land_allotment.topsoil_volume(S_н, i.topsoil_thickness, i.topsoil_loosening_factor)
        S_ск = land_allotment.topsoil_store_area(
            V_пп, i.topsoil_stack_height, i.topsoil_slope_factor
        )
        S_зо = land_allotment.total_land_allotment(
            S_го,
            f.base_area,
            S_ск,
            i.development_factor,
            polluted_area=S_з if i.count_polluted_area else 0.0,
        )
        schemes[scheme] = SchemeLand(
            flattened=f,
            dusting_surface=float(S_отв),
            emission_rate=float(g_от),
            zone_width=float(X_з),
            polluted_area=float(S_з),
            disturbed_area=float(S_н),
            topsoil_volume=float(V_пп),
            store_area=float(S_ск),
            total_allotment=float(S_зо),
        )
        options.append(dumps.AllotmentOption(scheme, float(f.base_area), float(S_з), float(S_зо)))
    return PitLandAllotment(
        bottom_area=float(S_пи),
        bottom_perimeter=float(P),
        wall_run=float(run),
        mining_allotment=float(S_го),
        pit_area=float(S_карьер),
        overburden_volume=float(V_вс),
        base_top_difference=float(C),
        candidates=candidates,
        dump=chosen,
        specific_blow_off=float(ω),
        schemes=schemes,
        rational=dumps.most_rational_scheme(options),
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


def _flattening_quantities(f: dumps.FlattenedDump) -> list[Quantity]:
    k = SCHEME_RU[f.scheme]
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


def compute(inputs: PitLandAllotmentInputs) -> list[Quantity]:
    """Run PR1 of 004 and report every intermediate and final quantity."""
    i = inputs
    r = solve(i)
    out = [
        Quantity("S_пи", "area of the pit bottom", r.bottom_area, "m²", "1.2"),
        Quantity("P", "perimeter of the pit bottom", r.bottom_perimeter, "m", "1.2"),
        Quantity("H_к ctg φ_ср", "horizontal run of the pit walls", r.wall_run, "m", "1.2"),
        Quantity(
            "S_го", "mining allotment with the sanitary zone", _ha(r.mining_allotment), "ha", "1.2"
        ),
        Quantity("V_вс", "overburden volume placed in the dump", r.overburden_volume, "m³", "1.3"),
        Quantity(
            "C", "base width minus top width of the dump", r.base_top_difference, "m", "1.4-1.6"
        ),
    ]
    for g in r.candidates:
        out += _dump_quantities(g, SHAPE_EQ[g.shape], RECONSTRUCTED_1_4_6)
    out += [
        Quantity(
            "форма отвала", "base shape with the smallest base area", r.dump.shape, "", "1.4-1.6"
        ),
        Quantity("ω", "specific dust blow-off", r.specific_blow_off, "mg/(m²·s)", "1.15"),
        Quantity(
            "S_го(l=0)", "mining allotment without the sanitary zone", _ha(r.pit_area), "ha", "1.19"
        ),
    ]
    reading = (
        "(S_го + S_ос.отв + S_з + S_ск) K_р: the dust-polluted land counted as disturbed"
        if i.count_polluted_area
        else "(S_го + S_ос.отв + S_ск) K_р as Eq. 1.1 prints it"
    )
    for scheme, s in r.schemes.items():
        f, k = s.flattened, SCHEME_RU[scheme]
        out += _flattening_quantities(f)
        out += [
            Quantity(f"S_отв[{k}]", "dusting surface of the dump", s.dusting_surface, "m²", "1.14"),
            Quantity(f"g_от[{k}]", "dust emission of the dump", s.emission_rate, "mg/s", "1.13"),
            Quantity(
                f"X_з[{k}]",
                "width of the dust dispersion zone",
                s.zone_width,
                "m",
                "1.12",
                RECONSTRUCTED_1_12,
            ),
            Quantity(
                f"S_н[{k}]",
                "disturbed land stripped of topsoil",
                _ha(s.disturbed_area),
                "ha",
                "1.19",
            ),
            Quantity(f"V_пп[{k}]", "topsoil volume in the store", s.topsoil_volume, "m³", "1.19"),
            Quantity(f"S_ск[{k}]", "area of the topsoil store", _ha(s.store_area), "ha", "1.19"),
            Quantity(
                f"S_ос.отв[{k}]", "land under the dump", _ha(f.base_area), "ha", "004 Table 1.1"
            ),
            Quantity(
                f"S_з[{k}]",
                "land polluted by dust around the dump",
                _ha(s.polluted_area),
                "ha",
                f"{POLLUTED_EQ[f.shape]}; 004 Table 1.1",
            ),
            Quantity(
                f"S_зо[{k}]",
                "total land allotment",
                _ha(s.total_allotment),
                "ha",
                "1.1; 004 Table 1.1",
                reading,
            ),
        ]
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
