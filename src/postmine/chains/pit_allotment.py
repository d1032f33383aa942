"""The chain of 004 PR1: land allotment of a coal open pit with its external dump.

:func:`pit_land_allotment` runs the whole of practical work 1 of [004] for one set of
inputs, in SI units (m, m², m³; angles in °): the mining allotment (Eq. 1.2), the overburden
volume (1.3), the dump of circular, square and rectangular base (1.4-1.6, reconstructed) and
the chosen one, both slope-flattening schemes with the recalculated dump (1.7-1.11), the
dust zone and polluted land of each scheme (1.12-1.18), the topsoil store (1.19) and the
total allotment of each scheme (1.1) = Table 1.1. The calculator
(``postmine calc pit-land-allotment``) and the project engine (the ``[dump]`` branch) both
call it; areas are reported in ha only at their edges.

Inputs (:class:`PitAllotmentInputs`) are named as the project file's ``[dump]`` keys, with
the unit in the name; the constants that Table 1.2 does not give default to the values
printed in the text of PR1.

References
----------
[004] Practical works on rational nature use in mining, PR1 "Расчет площади земельного
      отвода угольного разреза", Eqs. (1.1)-(1.19), Tables 1.1-1.2.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from postmine.core.checks import angle, at_least, fraction, in_range, non_negative, positive
from postmine.methods import dump_flattening as flattening
from postmine.methods import dumps, dust, land_allotment

__all__ = [
    "FLATTENING_SCHEME_RU",
    "SHAPE_RU",
    "PitAllotment",
    "PitAllotmentInputs",
    "SchemeLand",
    "pit_land_allotment",
]

#: Russian names of the base shapes of :data:`~postmine.methods.dumps.DUMP_SHAPES` ([004]).
SHAPE_RU = {"circle": "круг", "square": "квадрат", "rectangle": "прямоугольник"}
#: Russian names of the flattening schemes of Fig. 1.3 of [004].
FLATTENING_SCHEME_RU = {"bottom-up": "снизу-вверх", "top-down": "сверху-вниз"}


@dataclass(frozen=True)
class PitAllotmentInputs:
    """Inputs of PR1 of [004]: one row of Table 1.2 plus the constants of the PR1 text.

    The names are those of the project file's ``[dump]`` section. Each value is checked
    against its physical range on construction, and again by the method of
    :mod:`postmine.methods` that uses it; a ``ValueError`` names the input, its value and the
    allowed range.

    Parameters
    ----------
    pit_bottom_length_m, pit_bottom_width_m : float
        L_д, B_д, length and width of the pit bottom (Table 1.2 gives km). [m]
    pit_depth_m : float
        H_к, depth of the pit (Table 1.2). [m]
    pit_slope_angle_deg : float
        φ_ср, mean overall slope angle of the pit walls. [°]
    coal_bearing_ratio : float
        K_у, share of coal in the pit volume (Table 1.2). [-]
    dump_height_m : float
        h_о, height of the dump (Table 1.2). [m]
    topsoil_stack_height_m : float
        h_п, height of the topsoil stack (Table 1.2). [m]
    topsoil_thickness_m : float
        m_п, thickness of the fertile layer (Table 1.2). [m]
    sanitary_zone_width_m : float, optional
        l, sanitary protection zone of a coal pit, 500 m (legend of Eq. 1.2). [m]
    overburden_loosening_factor : float, optional
        K_разр, loosening factor of the overburden, 1.4 (legend of Eq. 1.3). [-]
    dump_slope_angle_deg : float, optional
        α, slope angle of the dump, 38° (legend of Eqs. 1.4-1.6). [°]
    rectangle_aspect_ratio : float, optional
        n = L/B of the rectangular base, 1.5-5 (legend of Eqs. 1.4-1.6); 1.5. [-]
    flattened_slope_angle_deg : float, optional
        β, slope angle after flattening, 18° (legend of Eq. 1.10). [°]
    permissible_dust_concentration_mg_m3 : float, optional
        C, maximum permissible dust concentration, 2 mg/m³ (legend of Eq. 1.12). [mg/m³]
    wind_speed_m_s : float, optional
        v, wind speed, 5 m/s (legend of Eq. 1.15). [m/s]
    dust_blow_off_coefficient : float, optional
        a of Eq. 1.15, 0.0097 for rocky mixed rocks. [mg/(m²·s)]
    dust_blow_off_exponent : float, optional
        b of Eq. 1.15, 2.887 for rocky mixed rocks. [-]
    topsoil_loosening_factor : float, optional
        K_р, loosening factor of the topsoil, 1.1 (legend of Eq. 1.19). [-]
    topsoil_slope_factor : float, optional
        K_отк, slope factor of the topsoil stack, 0.75 (legend of Eq. 1.19). [-]
    development_factor : float, optional
        K_р, development factor of the allotment territory, 1.15-1.2 (legend of Eq. 1.1). [-]
    count_polluted_area : bool, optional
        Count the dust-polluted land S_з in S_зо (text before Eq. 1.3, Table 1.1); false
        gives Eq. 1.1 as printed. [-]
    """

    pit_bottom_length_m: float
    pit_bottom_width_m: float
    pit_depth_m: float
    pit_slope_angle_deg: float
    coal_bearing_ratio: float
    dump_height_m: float
    topsoil_stack_height_m: float
    topsoil_thickness_m: float
    sanitary_zone_width_m: float = land_allotment.SANITARY_ZONE_WIDTH
    overburden_loosening_factor: float = land_allotment.OVERBURDEN_LOOSENING_FACTOR
    dump_slope_angle_deg: float = dumps.DUMP_SLOPE_ANGLE
    rectangle_aspect_ratio: float = dumps.RECTANGLE_ASPECT_RATIO
    flattened_slope_angle_deg: float = flattening.FLATTENED_SLOPE_ANGLE
    permissible_dust_concentration_mg_m3: float = dust.PERMISSIBLE_DUST_CONCENTRATION
    wind_speed_m_s: float = dust.WIND_SPEED
    dust_blow_off_coefficient: float = dust.BLOW_OFF_COEFFICIENT_A
    dust_blow_off_exponent: float = dust.BLOW_OFF_EXPONENT_B
    topsoil_loosening_factor: float = land_allotment.TOPSOIL_LOOSENING_FACTOR
    topsoil_slope_factor: float = land_allotment.TOPSOIL_SLOPE_FACTOR
    development_factor: float = land_allotment.DEVELOPMENT_FACTOR
    count_polluted_area: bool = True

    def __post_init__(self) -> None:
        for name, unit in (
            ("pit_bottom_length_m", "m"),
            ("pit_bottom_width_m", "m"),
            ("pit_depth_m", "m"),
            ("dump_height_m", "m"),
            ("topsoil_stack_height_m", "m"),
            ("permissible_dust_concentration_mg_m3", "mg/m³"),
            ("wind_speed_m_s", "m/s"),
            ("dust_blow_off_coefficient", "mg/(m²·s)"),
            ("dust_blow_off_exponent", ""),
        ):
            positive(name, getattr(self, name), unit)
        for name in ("pit_slope_angle_deg", "dump_slope_angle_deg", "flattened_slope_angle_deg"):
            angle(name, getattr(self, name))
        fraction("coal_bearing_ratio", self.coal_bearing_ratio)
        non_negative("topsoil_thickness_m", self.topsoil_thickness_m, "m")
        non_negative("sanitary_zone_width_m", self.sanitary_zone_width_m, "m")
        for name in (
            "overburden_loosening_factor",
            "topsoil_loosening_factor",
            "development_factor",
            "rectangle_aspect_ratio",
        ):
            at_least(name, getattr(self, name), 1.0)
        in_range("topsoil_slope_factor", self.topsoil_slope_factor, 0.0, 1.0, low_inclusive=False)

    @classmethod
    def from_object(cls, source: Any) -> PitAllotmentInputs:
        """Take every input from the attribute of the same name (e.g. a ``[dump]`` section).

        Raises
        ------
        ValueError
            If ``source`` lacks one of the inputs (named).
        """
        missing = [f.name for f in fields(cls) if not hasattr(source, f.name)]
        if missing:
            raise ValueError(f"PR1 inputs need {', '.join(missing)}; not in {source!r}")
        return cls(**{f.name: getattr(source, f.name) for f in fields(cls)})


@dataclass(frozen=True)
class SchemeLand:
    """One flattening scheme of PR1: the flattened dump, its dust zone, topsoil and land.

    One column of Table 1.1 of [004] with the quantities behind it.
    """

    flattened: flattening.FlattenedDump
    """The dump after flattening by this scheme (Eqs. 1.7-1.11)."""
    dusting_surface_m2: float
    """S_отв = S_б + S_в, dusting surface (Eq. 1.14). [m²]"""
    emission_mg_s: float
    """g_от, dust emission of the dump (Eq. 1.13). [mg/s]"""
    zone_width_m: float
    """X_з, width of the dust dispersion zone (Eq. 1.12, reconstructed). [m]"""
    polluted_area_m2: float
    """S_з, land polluted by dust around the dump (Eqs. 1.16-1.18). [m²]"""
    disturbed_area_m2: float
    """S_н, disturbed land stripped of topsoil (legend of Eq. 1.19). [m²]"""
    topsoil_volume_m3: float
    """V_пп = S_н m_п K_р, loose topsoil volume in the store (Eq. 1.19). [m³]"""
    store_area_m2: float
    """S_ск, area of the topsoil store (Eq. 1.19). [m²]"""
    total_allotment_m2: float
    """S_зо, total land allotment (Eq. 1.1, with S_з if counted). [m²]"""


@dataclass(frozen=True)
class PitAllotment:
    """The whole of PR1 of [004] for one set of inputs (see :func:`pit_land_allotment`)."""

    pit_bottom_area_m2: float
    """S_пи, area of the pit bottom (Eq. 1.2). [m²]"""
    pit_bottom_perimeter_m: float
    """P, perimeter of the pit bottom (Eq. 1.2). [m]"""
    pit_wall_run_m: float
    """H_к ctg φ_ср, horizontal run of the pit walls (Eq. 1.2). [m]"""
    mining_allotment_m2: float
    """S_го, mining allotment with the sanitary zone (Eq. 1.2). [m²]"""
    pit_area_m2: float
    """S_го with l = 0, the pit outline at the surface (legend of Eq. 1.19). [m²]"""
    overburden_volume_m3: float
    """V_вс, loose overburden volume placed in the dump (Eq. 1.3). [m³]"""
    base_top_difference_m: float
    """C = 2 h_о ctg α (legend of Eqs. 1.4-1.6). [m]"""
    candidates: tuple[dumps.DumpGeometry, ...]
    """The dump of each base shape of :data:`~postmine.methods.dumps.DUMP_SHAPES`."""
    dump: dumps.DumpGeometry
    """The dump whose slopes are flattened: the smallest base, or the shape asked for."""
    specific_blow_off_mg_m2_s: float
    """ω, specific dust blow-off (Eq. 1.15). [mg/(m²·s)]"""
    schemes: dict[str, SchemeLand]
    """Each flattening scheme of :data:`~postmine.methods.dump_flattening.FLATTENING_SCHEMES`."""
    rational: flattening.AllotmentOption
    """The scheme with the smallest total allotment (Table 1.1)."""


def _candidate_dumps(inputs: PitAllotmentInputs, volume: float) -> tuple[dumps.DumpGeometry, ...]:
    """Size the dump of each base shape holding ``volume`` (Eqs. 1.4-1.6)."""
    return tuple(
        dumps.dump_for_volume(
            shape,
            volume,
            inputs.dump_height_m,
            inputs.dump_slope_angle_deg,
            inputs.rectangle_aspect_ratio if shape == "rectangle" else None,
        )
        for shape in dumps.DUMP_SHAPES
    )


def _chosen_dump(
    candidates: tuple[dumps.DumpGeometry, ...], base_shape: str | None
) -> dumps.DumpGeometry:
    """Pick the smallest base (text after Eq. 1.6), or the shape asked for."""
    if base_shape is None:
        return dumps.smallest_base_dump(candidates)
    by_shape = {g.shape: g for g in candidates}
    if base_shape not in by_shape:
        known = ", ".join(repr(s) for s in dumps.DUMP_SHAPES)
        raise ValueError(f"base_shape must be one of {known}, got {base_shape!r}")
    return by_shape[base_shape]


def _scheme_land(
    inputs: PitAllotmentInputs,
    chosen: dumps.DumpGeometry,
    scheme: str,
    specific_blow_off: float,
    pit_area: float,
    mining_allotment: float,
) -> SchemeLand:
    """Flatten the dump by ``scheme`` and size its dust zone, topsoil and land (1.7-1.19)."""
    i = inputs
    f = flattening.flatten_dump(chosen, scheme, i.flattened_slope_angle_deg)
    S_отв = dust.dump_dusting_surface(f.side_area, f.top_area)
    g_от = dust.dust_emission_rate(specific_blow_off, S_отв)
    X_з = dust.dust_zone_width(f.height, g_от, i.permissible_dust_concentration_mg_m3)
    length = f.base_length if f.shape == "rectangle" else None
    S_з = dust.dust_polluted_area(f.shape, f.base_size, X_з, length)
    S_н = land_allotment.disturbed_land_area(pit_area, f.base_area)
    V_пп = land_allotment.topsoil_volume(S_н, i.topsoil_thickness_m, i.topsoil_loosening_factor)
    S_ск = land_allotment.topsoil_store_area(V_пп, i.topsoil_stack_height_m, i.topsoil_slope_factor)
    S_зо = land_allotment.total_land_allotment(
        mining_allotment,
        f.base_area,
        S_ск,
        i.development_factor,
        polluted_area=S_з if i.count_polluted_area else 0.0,
    )
    return SchemeLand(
        flattened=f,
        dusting_surface_m2=float(S_отв),
        emission_mg_s=float(g_от),
        zone_width_m=float(X_з),
        polluted_area_m2=float(S_з),
        disturbed_area_m2=float(S_н),
        topsoil_volume_m3=float(V_пп),
        store_area_m2=float(S_ск),
        total_allotment_m2=float(S_зо),
    )


def pit_land_allotment(inputs: PitAllotmentInputs, base_shape: str | None = None) -> PitAllotment:
    """Run PR1 of [004] and return its quantities (SI: m, m², m³).

    Parameters
    ----------
    inputs : PitAllotmentInputs
        The inputs; the methods validate every value they use.
    base_shape : {"circle", "square", "rectangle"}, optional
        Flatten the dump of this base shape; by default the one with the smallest base
        (the method of PR1, text after Eq. 1.6).

    Returns
    -------
    PitAllotment
        Every intermediate and final quantity of Eqs. 1.1-1.19.

    Raises
    ------
    ValueError
        If a method refuses an input (e.g. a dump too low for its volume), or ``base_shape``
        is not a known shape.

    Examples
    --------
    Variant 1 of Table 1.2 of [004]: the bottom-up scheme needs the smaller allotment.

    >>> r = pit_land_allotment(PitAllotmentInputs(1100.0, 90.0, 55.0, 35.0, 0.10, 45.0, 5.0, 0.5))
    >>> r.dump.shape, r.rational.scheme, round(r.schemes["bottom-up"].total_allotment_m2 / 1e4, 1)
    ('circle', 'bottom-up', 489.9)
    """
    i = inputs
    S_пи = land_allotment.pit_bottom_area(i.pit_bottom_length_m, i.pit_bottom_width_m)
    P = land_allotment.pit_bottom_perimeter(i.pit_bottom_length_m, i.pit_bottom_width_m)
    run = land_allotment.pit_wall_run(i.pit_depth_m, i.pit_slope_angle_deg)
    S_го = land_allotment.mining_allotment_area(
        S_пи, P, i.pit_depth_m, i.pit_slope_angle_deg, i.sanitary_zone_width_m
    )
    V_вс = land_allotment.overburden_volume(
        S_пи,
        P,
        i.pit_depth_m,
        i.pit_slope_angle_deg,
        i.coal_bearing_ratio,
        i.overburden_loosening_factor,
    )
    C = dumps.base_top_difference(i.dump_height_m, i.dump_slope_angle_deg)
    candidates = _candidate_dumps(i, float(V_вс))
    chosen = _chosen_dump(candidates, base_shape)
    ω = dust.specific_dust_blow_off(
        i.wind_speed_m_s, i.dust_blow_off_coefficient, i.dust_blow_off_exponent
    )
    S_карьер = land_allotment.mining_allotment_area(
        S_пи, P, i.pit_depth_m, i.pit_slope_angle_deg, sanitary_zone_width=0.0
    )
    schemes = {
        scheme: _scheme_land(i, chosen, scheme, float(ω), float(S_карьер), float(S_го))
        for scheme in flattening.FLATTENING_SCHEMES
    }
    options = [
        flattening.AllotmentOption(
            scheme,
            float(s.flattened.base_area),
            s.polluted_area_m2,
            s.total_allotment_m2,
        )
        for scheme, s in schemes.items()
    ]
    return PitAllotment(
        pit_bottom_area_m2=float(S_пи),
        pit_bottom_perimeter_m=float(P),
        pit_wall_run_m=float(run),
        mining_allotment_m2=float(S_го),
        pit_area_m2=float(S_карьер),
        overburden_volume_m3=float(V_вс),
        base_top_difference_m=float(C),
        candidates=candidates,
        dump=chosen,
        specific_blow_off_mg_m2_s=float(ω),
        schemes=schemes,
        rational=flattening.most_rational_scheme(options),
    )
