r"""One dump design of 004 PR1: geometry, flattening, footprint and the stability of its slopes.

The geometry is that of practical work 1 of [004] (:mod:`postmine.methods.dumps`): a frustum
of circular, square or rectangular base holding the volume at the chosen height and working
slope angle α (Eqs. 1.4-1.6), its slopes flattened to β by the bottom-up or the top-down
scheme (Eqs. 1.7-1.11). This chain adds what PR1 does not ask for: the stability of the
working slope (as built, at α) and of the flattened slope (the final landform, at β) by the
limit-equilibrium methods of :mod:`postmine.geotech`
(:mod:`postmine.chains.dump_stability`), and the search for the smallest footprint that
keeps the factor of safety at or above a required value. The land allotment of the pit that
fills the dump is :mod:`postmine.chains.pit_allotment`; the project engine checks the dump
of that chain with :func:`design_dump` (see :func:`pit_dump_stability`).

Functions
---------
:func:`design_dump`
    One design: geometry, flattening, footprint, and the stability of the working and
    flattened slopes.
:func:`smallest_stable_dump`
    Over a range of heights and flattened slope angles: the trade-off table and the design
    of smallest footprint whose factor of safety meets the requirement.
:func:`pit_dump_stability`
    The stability of the dump that a PR1 land allotment designed, against a requirement.

Related modules: :mod:`postmine.chains.dump_stability` (section, circle search, stability of
one profile), :mod:`postmine.chains.dump_surface` (elevation z(x, y) of a design for a DEM),
:mod:`postmine.chains.dump_plot` (PNG of the section).

References
----------
[004] Practical works on rational nature use in mining, PR1, Eqs. (1.4)-(1.11), Fig. 1.3.
[Bishop] Bishop A. W. (1955). The use of the slip circle in the stability analysis of
    slopes. Géotechnique 5(1), 7-17.
[DWB] Duncan J. M., Wright S. G., Brandon T. L. (2014). Soil Strength and Slope Stability,
    2nd ed., Wiley: ch. 6 (infinite slope), ch. 7 (search for the critical circle).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

import numpy as np
import numpy.typing as npt

from postmine.chains.dump_stability import (
    GRID_POINTS,
    N_SLICES,
    Material,
    SlopeProfile,
    SlopeStability,
    slope_profiles,
    slope_stability,
)
from postmine.core.checks import angle, positive
from postmine.geotech import METHODS
from postmine.methods import dump_flattening as flattening
from postmine.methods import dumps

__all__ = [
    "CHECKS",
    "DEFAULT_METHOD",
    "DEFAULT_REQUIRED_FACTOR",
    "DESIGN_SCHEMES",
    "DumpDesign",
    "DumpSearch",
    "NoStableDumpError",
    "SchemeOption",
    "TradeoffRow",
    "design_dump",
    "pit_dump_stability",
    "smallest_stable_dump",
]

#: Flattening schemes accepted by :func:`design_dump`: the two of Fig. 1.3 in [004] and
#: "best", the stable one of smaller footprint.
DESIGN_SCHEMES: tuple[str, ...] = (*flattening.FLATTENING_SCHEMES, "best")
#: Which slope the required factor of safety applies to: the flattened (final) slope, the
#: working slope as built, or both (the smaller factor governs).
CHECKS: tuple[str, ...] = ("flattened", "working", "both")


@dataclass(frozen=True)
class SchemeOption:
    """One flattening scheme considered by :func:`design_dump` with ``scheme="best"``."""

    scheme: str
    footprint_area_m2: float
    """S_ос.отв after flattening; NaN if not feasible. [m²]"""
    factor: float
    """Governing factor of safety; NaN if not feasible. [-]"""
    stable: bool
    feasible: bool = True
    note: str = ""
    """Why the scheme is not feasible."""


@dataclass(frozen=True)
class DumpDesign:
    """A designed dump: PR1 geometry, flattening, footprint and slope stability.

    Lengths in m, areas in m², volumes in m³, angles in °, factors of safety [-]. The PR1
    objects ``geometry`` (:class:`~postmine.methods.dumps.DumpGeometry`, as built) and
    ``flattened`` (:class:`~postmine.methods.dump_flattening.FlattenedDump`) are kept as computed.
    """

    shape: str
    scheme: str
    volume_m3: float
    """Volume placed in the dump, V (the frustum as built holds it). [m³]"""
    height_m: float
    """h_о, height as built. [m]"""
    slope_angle_deg: float
    """α, working slope angle. [°]"""
    flattened_angle_deg: float
    """β, slope angle after flattening. [°]"""
    aspect_ratio: float | None
    """n = L/B of a rectangular base; None for the other shapes. [-]"""
    base_size_m: float
    """R or B as built. [m]"""
    base_length_m: float
    """L as built (R or B for the other shapes). [m]"""
    base_area_m2: float
    """S_ос.отв as built. [m²]"""
    base_perimeter_m: float
    """P_о as built. [m]"""
    top_area_m2: float
    """S_в as built. [m²]"""
    flattening_volume_m3: float
    """V_вып of the scheme (Eq. 1.7 or 1.10). [m³]"""
    flattened_height_m: float
    """h* (bottom-up, Eq. 1.9) or h_о (top-down). [m]"""
    flattened_base_size_m: float
    """R' or B' after flattening. [m]"""
    flattened_base_length_m: float
    """L' after flattening (R' or B' for the other shapes). [m]"""
    footprint_area_m2: float
    """S_ос.отв after flattening: the land under the designed dump. [m²]"""
    footprint_perimeter_m: float
    """P_о after flattening. [m]"""
    flattened_top_area_m2: float
    """Top area of the flattened frustum (:func:`~postmine.methods.dumps.dump_geometry`). [m²]"""
    flattened_volume_m3: float
    """Volume of the flattened frustum; differs from ``volume_m3`` (see Notes of
    :func:`design_dump`). [m³]"""
    working: SlopeStability
    """Stability of the working slope (as built, at α)."""
    final: SlopeStability
    """Stability of the flattened slope (at β)."""
    method: str
    """Limit-equilibrium method of the requirement."""
    check: str
    """Slope(s) the requirement applies to: "flattened", "working" or "both"."""
    required_factor: float
    """Required factor of safety. [-]"""
    factor: float
    """Governing factor of safety by ``method`` over the checked slope(s). [-]"""
    stable: bool
    """Whether ``factor >= required_factor``."""
    geometry: dumps.DumpGeometry
    flattened: flattening.FlattenedDump
    scheme_options: tuple[SchemeOption, ...]
    """Each scheme considered (one unless ``scheme="best"``)."""

    @property
    def factor_bishop(self) -> float:
        """Bishop factor of the checked slope(s), the smaller with ``check="both"``, [-]."""
        return _governing(self.working, self.final, "bishop", self.check)


@dataclass(frozen=True)
class TradeoffRow:
    """One candidate of :func:`smallest_stable_dump`.

    ``factor`` is the governing factor by the search's method [-] (NaN when the candidate
    is not feasible); ``note`` says why a candidate is not feasible.
    """

    height_m: float
    slope_angle_deg: float
    flattened_angle_deg: float
    scheme: str
    footprint_area_m2: float
    factor_working: float
    factor_flattened: float
    factor: float
    stable: bool
    feasible: bool
    note: str = ""


@dataclass(frozen=True)
class DumpSearch:
    """Result of :func:`smallest_stable_dump`: the chosen design and the whole table."""

    design: DumpDesign
    table: tuple[TradeoffRow, ...]
    method: str
    required_factor: float


class NoStableDumpError(ValueError):
    """No candidate of :func:`smallest_stable_dump` meets the required factor of safety.

    ``table`` holds every candidate; ``best_factor`` the highest factor reached [-].
    """

    def __init__(self, message: str, table: tuple[TradeoffRow, ...], best_factor: float) -> None:
        super().__init__(message)
        self.table = table
        self.best_factor = best_factor


def _check_choice(name: str, value: str, allowed: Sequence[str]) -> str:
    if value not in allowed:
        known = ", ".join(repr(a) for a in allowed)
        raise ValueError(f"{name} must be one of {known}, got {value!r}")
    return value


def _governing(working: SlopeStability, final: SlopeStability, method: str, check: str) -> float:
    if check == "working":
        return working.factor(method)
    if check == "flattened":
        return final.factor(method)
    return min(working.factor(method), final.factor(method))


def _f(value: object) -> float:
    return float(np.asarray(value, dtype=float))


@dataclass(frozen=True)
class _Options:
    material: Material
    foundation: Material | None
    pore_pressure_ratio: float
    piezometric_line: npt.ArrayLike | None
    seismic_coefficient: float
    grid_points: int
    n_slices: int

    def stability(self, profile: SlopeProfile, left_x: float) -> SlopeStability:
        return slope_stability(
            profile,
            self.material,
            self.foundation,
            pore_pressure_ratio=self.pore_pressure_ratio,
            piezometric_line=self.piezometric_line,
            seismic_coefficient=self.seismic_coefficient,
            grid_points=self.grid_points,
            n_slices=self.n_slices,
            left_x=left_x,
        )


def _validate(
    volume: float,
    height: float,
    slope_angle: float,
    flattened_angle: float,
    scheme: str,
    required_factor: float,
    method: str,
    check: str,
) -> None:
    positive("volume", volume, "m³")
    positive("height", height, "m")
    angle("slope_angle", slope_angle)
    angle("flattened_angle", flattened_angle)
    if flattened_angle >= slope_angle:
        raise ValueError(
            f"flattened_angle must be < slope_angle {slope_angle:g} °, got {flattened_angle:g} °"
        )
    _check_choice("scheme", scheme, DESIGN_SCHEMES)
    positive("required_factor", required_factor)
    _check_choice("method", method, METHODS)
    _check_choice("check", check, CHECKS)


def _one_scheme(
    geometry: dumps.DumpGeometry,
    scheme: str,
    flattened_angle: float,
    opts: _Options,
    working: SlopeStability | None,
    need_working: bool,
) -> tuple[flattening.FlattenedDump, SlopeProfile, SlopeProfile, dumps.DumpGeometry, SlopeStability,
           SlopeStability | None]:  # fmt: skip
    flat = flattening.flatten_dump(geometry, scheme, flattened_angle)
    work_p, final_p, frustum = slope_profiles(geometry, flat, flattened_angle)
    left = min(work_p.left_x_m, final_p.left_x_m)
    final = opts.stability(final_p, left)
    if working is None and need_working:
        working = opts.stability(work_p, left)
    return flat, work_p, final_p, frustum, final, working


@dataclass(frozen=True)
class _Requirement:
    """Method, checked slope(s) and required factor of safety of a search."""

    method: str
    check: str
    required_factor: float


@dataclass(frozen=True)
class _SchemeResult:
    """One feasible flattening scheme of a design and its governing factor of safety."""

    scheme: str
    flat: flattening.FlattenedDump
    frustum: dumps.DumpGeometry
    final: SlopeStability
    factor: float


def _design_schemes(
    geometry: dumps.DumpGeometry,
    schemes: Sequence[str],
    flattened_angle: float,
    opts: _Options,
    need: _Requirement,
) -> tuple[list[_SchemeResult], list[SchemeOption], SlopeStability]:
    """Flatten and check each scheme; a scheme asked for alone is refused if not feasible."""
    working: SlopeStability | None = None
    results: list[_SchemeResult] = []
    options: list[SchemeOption] = []
    errors: list[str] = []
    for s in schemes:
        try:
            flat, _, _, frustum, final, working = _one_scheme(
                geometry, s, flattened_angle, opts, working, need_working=True
            )
        except ValueError as exc:
            if len(schemes) == 1:
                raise
            errors.append(str(exc))
            nan = float("nan")
            options.append(SchemeOption(s, nan, nan, stable=False, feasible=False, note=str(exc)))
            continue
        assert working is not None
        factor = _governing(working, final, need.method, need.check)
        results.append(_SchemeResult(s, flat, frustum, final, factor))
        options.append(SchemeOption(s, _f(flat.base_area), factor, factor >= need.required_factor))
    if not results or working is None:
        raise ValueError("; ".join(errors))
    return results, options, working


def design_dump(
    volume: float,
    shape: str,
    material: Material,
    foundation: Material | None = None,
    *,
    height: float,
    slope_angle: float = dumps.DUMP_SLOPE_ANGLE,
    flattened_angle: float = flattening.FLATTENED_SLOPE_ANGLE,
    scheme: str = "bottom-up",
    aspect_ratio: float | None = None,
    required_factor: float = 1.3,
    method: str = "bishop",
    check: str = "flattened",
    pore_pressure_ratio: float = 0.0,
    piezometric_line: npt.ArrayLike | None = None,
    seismic_coefficient: float = 0.0,
    grid_points: int = GRID_POINTS,
    n_slices: int = N_SLICES,
) -> DumpDesign:
    """Design a dump of given volume: PR1 geometry, flattened slopes, footprint, stability.

    Parameters
    ----------
    volume : float
        V, volume to place in the dump (V_вс of Eq. 1.3 in [004]). [m³]
    shape : {"circle", "square", "rectangle"}
        Shape of the base.
    material : Material
        Dump rock: c' [kPa], φ' [°], γ [kN/m³].
    foundation : Material, optional
        Foundation soil below the dump; by default the dump rock continues downwards.
    height : float
        h_о, height of the dump as built. [m]
    slope_angle : float, optional
        α, working slope angle, 38° in [004]. [°]
    flattened_angle : float, optional
        β < α, slope angle after flattening, 18° in [004]. [°]
    scheme : {"bottom-up", "top-down", "best"}, optional
        Flattening scheme of Fig. 1.3 in [004]; "best" evaluates both and keeps the one of
        smaller footprint among those meeting the requirement (if neither does, the one of
        higher factor of safety); a scheme whose flattened slopes meet is skipped.
    aspect_ratio : float, optional
        n = L/B >= 1 of a rectangular base; required for a rectangle only. [-]
    required_factor : float, optional
        Required factor of safety, > 0. [-]
    method : {"ordinary", "bishop", "janbu", "spencer", "morgenstern_price"}, optional
        Method whose factor is compared with ``required_factor``.
    check : {"flattened", "working", "both"}, optional
        Slope(s) the requirement applies to.
    pore_pressure_ratio : float, optional
        r_u in all layers, in [0, 1). [-]
    piezometric_line : array_like of (x, y), optional
        Piezometric line in the section's coordinates (module docstring). [m]
    seismic_coefficient : float, optional
        k_h, in [0, 1). [-]
    grid_points : int, optional
        Values per axis of the circle search grid. [-]
    n_slices : int, optional
        Slices per circle. [-]

    Returns
    -------
    DumpDesign
        The design with the stability of its working and flattened slopes.

    Raises
    ------
    ValueError
        If an input is outside its range or not a known option, the volume is too small
        for the height (the PR1 functions refuse), or the flattened slopes meet below the
        flattened height.

    Notes
    -----
    Geometry by :func:`~postmine.methods.dumps.dump_for_volume` (Eqs. 1.4-1.6 in [004],
    reconstructed), flattening by :func:`~postmine.methods.dump_flattening.flatten_dump` (Eqs.
    1.7-1.11); footprint = S_ос.отв and P_о after flattening. The flattened slope is the
    frustum of the flattened base, height (h* bottom-up, h_о top-down) and β,
    :func:`~postmine.methods.dumps.dump_geometry`. Its volume (``flattened_volume_m3``) is
    not the volume placed: bottom-up, Eq. (1.8) of [004] spreads the cut over the top
    before flattening and keeps the base, an estimate that does not conserve volume;
    top-down, the fill lies farther out than the cut (see
    :func:`~postmine.methods.dump_flattening.flatten_top_down`). The design follows PR1 and reports
    both volumes.

    Stability by :func:`slope_stability` on the section of each slope (module docstring):
    the circle of least Bishop factor, every method evaluated on it.

    Examples
    --------
    >>> d = design_dump(2.0e6, "circle", Material(20.0, 30.0, 19.0), height=20.0)
    >>> round(d.base_area_m2), round(d.footprint_area_m2), d.scheme
    (114679, 114679, 'bottom-up')
    >>> round(d.final.factor_bishop, 3), round(d.working.factor_bishop, 3), d.stable
    (2.504, 1.425, True)
    """
    _validate(volume, height, slope_angle, flattened_angle, scheme, required_factor, method,
              check)  # fmt: skip
    opts = _Options(
        material,
        foundation,
        float(pore_pressure_ratio),
        piezometric_line,
        float(seismic_coefficient),
        int(grid_points),
        int(n_slices),
    )
    geometry = dumps.dump_for_volume(shape, volume, height, slope_angle, aspect_ratio)
    schemes = flattening.FLATTENING_SCHEMES if scheme == "best" else (scheme,)
    need = _Requirement(method, check, float(required_factor))
    results, options, working = _design_schemes(geometry, schemes, flattened_angle, opts, need)
    stable = [k for k, r in enumerate(results) if r.factor >= required_factor]
    if stable:
        pick = min(stable, key=lambda k: _f(results[k].flat.base_area))
    else:
        pick = max(range(len(results)), key=lambda k: results[k].factor)
    best = results[pick]
    s, flat, frustum, final, factor = best.scheme, best.flat, best.frustum, best.final, best.factor
    g = geometry
    return DumpDesign(
        shape=shape,
        scheme=s,
        volume_m3=_f(g.volume),
        height_m=_f(g.height),
        slope_angle_deg=float(slope_angle),
        flattened_angle_deg=float(flattened_angle),
        aspect_ratio=None if shape != "rectangle" else float(cast(float, aspect_ratio)),
        base_size_m=_f(g.base_size),
        base_length_m=_f(g.base_length),
        base_area_m2=_f(g.base_area),
        base_perimeter_m=_f(g.base_perimeter),
        top_area_m2=_f(g.top_area),
        flattening_volume_m3=_f(flat.flattening_volume),
        flattened_height_m=_f(flat.height),
        flattened_base_size_m=_f(flat.base_size),
        flattened_base_length_m=_f(flat.base_length),
        footprint_area_m2=_f(flat.base_area),
        footprint_perimeter_m=_f(flat.base_perimeter),
        flattened_top_area_m2=_f(frustum.top_area),
        flattened_volume_m3=_f(frustum.volume),
        working=working,
        final=final,
        method=method,
        check=check,
        required_factor=float(required_factor),
        factor=factor,
        stable=factor >= required_factor,
        geometry=g,
        flattened=flat,
        scheme_options=tuple(options),
    )


def smallest_stable_dump(
    volume: float,
    shape: str,
    material: Material,
    foundation: Material | None = None,
    *,
    heights: npt.ArrayLike,
    slope_angle: float = dumps.DUMP_SLOPE_ANGLE,
    flattened_angles: npt.ArrayLike = (flattening.FLATTENED_SLOPE_ANGLE,),
    scheme: str = "best",
    aspect_ratio: float | None = None,
    required_factor: float = 1.3,
    method: str = "bishop",
    check: str = "flattened",
    pore_pressure_ratio: float = 0.0,
    piezometric_line: npt.ArrayLike | None = None,
    seismic_coefficient: float = 0.0,
    grid_points: int = GRID_POINTS,
    n_slices: int = N_SLICES,
) -> DumpSearch:
    """Find the dump of smallest footprint whose factor of safety meets the requirement.

    Every combination of height, flattened angle and scheme is designed and checked; the
    whole trade-off table is returned with the chosen design.

    Parameters
    ----------
    volume : float
        V, volume to place in the dump. [m³]
    shape : {"circle", "square", "rectangle"}
        Shape of the base.
    material : Material
        Dump rock.
    foundation : Material, optional
        Foundation soil; by default the dump rock continues downwards.
    heights : array_like
        h_о, candidate heights as built, each > 0. [m]
    slope_angle : float, optional
        α, working slope angle. [°]
    flattened_angles : array_like, optional
        β, candidate slope angles after flattening, each < α. [°]
    scheme : {"bottom-up", "top-down", "best"}, optional
        Scheme of every candidate; "best" tries both.
    aspect_ratio : float, optional
        n = L/B of a rectangular base. [-]
    required_factor : float, optional
        Required factor of safety, > 0. [-]
    method : {"ordinary", "bishop", "janbu", "spencer", "morgenstern_price"}, optional
        Method of the requirement; Bishop by default.
    check : {"flattened", "working", "both"}, optional
        Slope(s) the requirement applies to.
    pore_pressure_ratio : float, optional
        r_u, in [0, 1). [-]
    piezometric_line : array_like of (x, y), optional
        Piezometric line in the section's coordinates. [m]
    seismic_coefficient : float, optional
        k_h, in [0, 1). [-]
    grid_points : int, optional
        Values per axis of the circle search grid. [-]
    n_slices : int, optional
        Slices per circle. [-]

    Returns
    -------
    DumpSearch
        The design of smallest footprint among the stable candidates (on a tie, the lower
        height, then the higher factor of safety) and the table of every candidate.

    Raises
    ------
    NoStableDumpError
        A :class:`ValueError` when no feasible candidate meets ``required_factor``; its
        message names the best factor reached and the candidate, and it carries the table.
    ValueError
        If an input is outside its range, or no height is given.

    Notes
    -----
    A candidate is not feasible when the PR1 geometry refuses it (the volume is too small
    for the height: the slopes would meet below the top; or the flattened slopes meet);
    it stays in the table with the reason. The working slope does not depend on β or the
    scheme and is analysed once per height. The footprint of a given volume shrinks as the
    dump grows higher and as β steepens, and the factor of safety falls; the table shows
    where the two cross.

    Examples
    --------
    >>> found = smallest_stable_dump(
    ...     2.0e6, "circle", Material(20.0, 30.0, 19.0), heights=[20.0, 40.0],
    ...     flattened_angles=[18.0], scheme="bottom-up", required_factor=1.5)
    >>> [(r.height_m, r.stable) for r in found.table], found.design.height_m
    ([(20.0, True), (40.0, False)], 20.0)
    """
    hs = np.atleast_1d(np.asarray(heights, dtype=float)).ravel()
    betas = np.atleast_1d(np.asarray(flattened_angles, dtype=float)).ravel()
    if hs.size == 0:
        raise ValueError("heights must hold at least one height [m], got none")
    if betas.size == 0:
        raise ValueError("flattened_angles must hold at least one angle [°], got none")
    for h in hs:
        for b in betas:
            _validate(volume, float(h), slope_angle, float(b), scheme, required_factor, method,
                      check)  # fmt: skip
    opts = _Options(
        material,
        foundation,
        float(pore_pressure_ratio),
        piezometric_line,
        float(seismic_coefficient),
        int(grid_points),
        int(n_slices),
    )
    schemes = flattening.FLATTENING_SCHEMES if scheme == "best" else (scheme,)
    rows: list[TradeoffRow] = []
    for h in (float(v) for v in hs):
        rows += _candidates_of_height(
            volume, shape, h, slope_angle, [float(b) for b in betas], schemes, aspect_ratio,
            opts, _Requirement(method, check, float(required_factor)),
        )  # fmt: skip
    table = tuple(rows)
    stable = _stable_candidates(table, method, required_factor)
    chosen = min(stable, key=lambda r: (r.footprint_area_m2, r.height_m, -r.factor))
    design = design_dump(
        volume,
        shape,
        material,
        foundation,
        height=chosen.height_m,
        slope_angle=slope_angle,
        flattened_angle=chosen.flattened_angle_deg,
        scheme=chosen.scheme,
        aspect_ratio=aspect_ratio,
        required_factor=required_factor,
        method=method,
        check=check,
        pore_pressure_ratio=pore_pressure_ratio,
        piezometric_line=piezometric_line,
        seismic_coefficient=seismic_coefficient,
        grid_points=grid_points,
        n_slices=n_slices,
    )
    return DumpSearch(design, table, method, float(required_factor))


def _candidates_of_height(
    volume: float,
    shape: str,
    height: float,
    slope_angle: float,
    flattened_angles: list[float],
    schemes: Sequence[str],
    aspect_ratio: float | None,
    opts: _Options,
    need: _Requirement,
) -> list[TradeoffRow]:
    """Design and check every flattened angle and scheme of one height (one table block)."""
    try:
        geometry = dumps.dump_for_volume(shape, volume, height, slope_angle, aspect_ratio)
    except ValueError as exc:
        return [
            _infeasible(height, slope_angle, b, s, str(exc))
            for b in flattened_angles
            for s in schemes
        ]
    rows: list[TradeoffRow] = []
    working: SlopeStability | None = None
    for b in flattened_angles:
        for s in schemes:
            try:
                flat, _, _, _, final, working = _one_scheme(
                    geometry, s, b, opts, working, need.check != "flattened"
                )
            except ValueError as exc:
                rows.append(_infeasible(height, slope_angle, b, s, str(exc)))
                continue
            f_work = working.factor(need.method) if working is not None else float("nan")
            f_flat = final.factor(need.method)
            factor = f_flat if need.check == "flattened" else f_work
            if need.check == "both":
                factor = min(f_work, f_flat)
            rows.append(
                TradeoffRow(
                    height_m=height,
                    slope_angle_deg=float(slope_angle),
                    flattened_angle_deg=b,
                    scheme=s,
                    footprint_area_m2=_f(flat.base_area),
                    factor_working=f_work,
                    factor_flattened=f_flat,
                    factor=factor,
                    stable=bool(factor >= need.required_factor),
                    feasible=True,
                )
            )
    return rows


def _stable_candidates(
    table: tuple[TradeoffRow, ...], method: str, required_factor: float
) -> list[TradeoffRow]:
    """Return the stable rows of the table, or refuse naming the best factor reached."""
    stable = [r for r in table if r.stable]
    if stable:
        return stable
    feasible = [r for r in table if r.feasible and np.isfinite(r.factor)]
    if not feasible:
        raise NoStableDumpError(
            f"no candidate dump is feasible: {table[0].note}", table, float("nan")
        )
    best = max(feasible, key=lambda r: r.factor)
    raise NoStableDumpError(
        f"no candidate dump reaches the required {method} factor of safety "
        f"{required_factor:g}: the best is {best.factor:.3f} (height {best.height_m:g} m, "
        f"flattened to {best.flattened_angle_deg:g}°, {best.scheme}); try lower heights "
        "or flatter slopes",
        table,
        best.factor,
    )


def _infeasible(h: float, alpha: float, beta: float, scheme: str, why: str) -> TradeoffRow:
    nan = float("nan")
    return TradeoffRow(h, float(alpha), beta, scheme, nan, nan, nan, nan, False, False, why)


# -- the dump of a PR1 land allotment ------------------------------------------------------------
#: Required factor of safety of a dump's slopes when the rule set states none. [-]
DEFAULT_REQUIRED_FACTOR = 1.3
#: Limit-equilibrium method of the requirement when none is given: Bishop's simplified.
DEFAULT_METHOD = "bishop"


@functools.lru_cache(maxsize=64)
def pit_dump_stability(
    allotment_dump: dumps.DumpGeometry,
    scheme: str,
    flattened_angle: float,
    material: Material,
    *,
    aspect_ratio: float | None = None,
    required_factor: float = DEFAULT_REQUIRED_FACTOR,
    method: str = DEFAULT_METHOD,
    grid_points: int = GRID_POINTS,
) -> DumpDesign:
    """Check the slopes of the dump a PR1 land allotment designed (working and flattened).

    The dump of :func:`postmine.chains.pit_allotment.pit_land_allotment` (its ``dump``:
    shape, volume, height h_о and working angle α of Eqs. 1.4-1.6 of [004]) flattened to β
    by ``scheme`` (Eqs. 1.7-1.11) is designed again by :func:`design_dump` with the same
    PR1 functions, and both of its slopes are analysed; the requirement applies to both
    (``check="both"``).

    Parameters
    ----------
    allotment_dump : DumpGeometry
        The PR1 dump as built (``PitAllotment.dump``).
    scheme : {"bottom-up", "top-down"}
        Flattening scheme of Fig. 1.3 in [004].
    flattened_angle : float
        β, slope angle after flattening. [°]
    material : Material
        Dump rock: c' [kPa], φ' [°], γ [kN/m³]; the dump rock continues below the toe.
    aspect_ratio : float, optional
        n = L/B of a rectangular base, as given to PR1; by default L/B of the dump. [-]
    required_factor : float, optional
        Required factor of safety, > 0; :data:`DEFAULT_REQUIRED_FACTOR` by default. [-]
    method : {"ordinary", "bishop", "janbu", "spencer", "morgenstern_price"}, optional
        Method of the requirement; Bishop's simplified method by default.
    grid_points : int, optional
        Values per axis of the circle search grid. [-]

    Returns
    -------
    DumpDesign
        The design with ``working`` and ``final`` (flattened) slope stability; ``factor``
        is the smaller factor of the two by ``method``.

    Raises
    ------
    ValueError
        If the flattened slopes meet below the flattened height (bottom-up flattening of a
        narrow dump), or an input is outside its range.

    Notes
    -----
    The result is memoised on the arguments (all immutable): a plan's Monte Carlo designs
    the same dump once per sample and its geometry does not change between samples.

    Examples
    --------
    >>> g = dumps.dump_for_volume("circle", 2.0e6, 20.0, 38.0)
    >>> d = pit_dump_stability(g, "bottom-up", 18.0, Material(20.0, 30.0, 19.0))
    >>> round(d.working.factor_bishop, 3), round(d.final.factor_bishop, 3), d.stable
    (1.425, 2.504, True)
    """
    g = allotment_dump
    if g.shape == "rectangle" and aspect_ratio is None:
        aspect_ratio = _f(g.base_length) / _f(g.base_size)
    return design_dump(
        _f(g.volume),
        g.shape,
        material,
        height=_f(g.height),
        slope_angle=_f(g.slope_angle),
        flattened_angle=float(flattened_angle),
        scheme=scheme,
        aspect_ratio=aspect_ratio if g.shape == "rectangle" else None,
        required_factor=float(required_factor),
        method=method,
        check="both",
        grid_points=int(grid_points),
    )
