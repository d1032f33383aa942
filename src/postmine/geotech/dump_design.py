r"""Design of an external dump that holds a volume, is flattened for reclamation and is stable.

The geometry is that of practical work 1 of [004] (:mod:`postmine.methods.dumps`): a frustum
of circular, square or rectangular base holding the volume at the chosen height and working
slope angle α (Eqs. 1.4-1.6), its slopes flattened to β by the bottom-up or the top-down
scheme (Eqs. 1.7-1.11). This module adds what PR1 does not ask for: the cross-section
through the designed slope, its factor of safety by the limit-equilibrium methods of
:mod:`postmine.geotech.slope_stability`, the search for the smallest footprint that keeps
the factor of safety at or above a required value, the elevation surface z(x, y) of the
design for a DEM, and a plot of the section.

Functions
---------
:func:`design_dump`
    One design: geometry, flattening, footprint, and the stability of the working slope
    (as built, at α) and of the flattened slope (the final landform, at β).
:func:`smallest_stable_dump`
    Over a range of heights and flattened slope angles: the trade-off table and the design
    of smallest footprint whose factor of safety meets the requirement.
:func:`dump_section`, :func:`circle_search_grid`, :func:`slope_stability`
    The section, the search grid derived from the geometry and the stability of one profile.
:func:`design_surface`, :func:`design_grid`, :func:`surface_bounds`
    Elevation of the designed dump as a function of plan coordinates, and on a grid.
:func:`plot_design`
    PNG of the section with both profiles and the critical circles.

Coordinates of the section
--------------------------
x is horizontal, from the outer toe of the dump **as built** (x = 0) towards the dump's
axis; y is elevation above the foundation surface (y = 0). The ground rises from the toe
(left) to the crest (right), as :class:`~postmine.geotech.slope_stability.Section`
requires, and ends at the axis of the dump: x = R for a circular base, x = B/2 (half the
short side) for a square or rectangular one. The flattened toe is at x = 0 for the
bottom-up scheme (the toe stays) and at x = -ΔL for the top-down scheme (Eq. 1.11). A
piezometric line is given in these coordinates.

The section is plane strain: it ignores the three-dimensional support of a conical or
pyramidal dump, which raises the factor of safety of a convex slope in plan, so the
factors here are on the safe side for a dump of round plan.

References
----------
[004] Practical works on rational nature use in mining, PR1, Eqs. (1.4)-(1.11), Fig. 1.3.
[Bishop] Bishop A. W. (1955). The use of the slip circle in the stability analysis of
    slopes. Géotechnique 5(1), 7-17.
[DWB] Duncan J. M., Wright S. G., Brandon T. L. (2014). Soil Strength and Slope Stability,
    2nd ed., Wiley: ch. 6 (infinite slope), ch. 7 (search for the critical circle).
[ACADS] Giam P. S. K., Donald I. B. (1989). ACADS soil slope stability programs review,
    problem 1(a).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal, cast

import numpy as np
import numpy.typing as npt

from postmine.core.checks import angle, in_range, positive
from postmine.geotech.slope_stability import (
    METHODS,
    Section,
    SoilLayer,
    bishop_factor,
    critical_circle,
    slice_circle,
)
from postmine.methods import dumps

__all__ = [
    "CHECKS",
    "DESIGN_SCHEMES",
    "DumpDesign",
    "DumpSearch",
    "Material",
    "NoStableDumpError",
    "SchemeOption",
    "SlopeProfile",
    "SlopeStability",
    "TradeoffRow",
    "circle_search_grid",
    "design_dump",
    "design_grid",
    "design_surface",
    "dump_section",
    "plot_design",
    "slope_profiles",
    "slope_stability",
    "smallest_stable_dump",
    "surface_bounds",
]

FloatArray = npt.NDArray[np.float64]
Check = Literal["flattened", "working", "both"]

#: Flattening schemes accepted by :func:`design_dump`: the two of Fig. 1.3 in [004] and
#: "best", the stable one of smaller footprint.
DESIGN_SCHEMES: tuple[str, ...] = (*dumps.FLATTENING_SCHEMES, "best")
#: Which slope the required factor of safety applies to: the flattened (final) slope, the
#: working slope as built, or both (the smaller factor governs).
CHECKS: tuple[str, ...] = ("flattened", "working", "both")

#: Default number of centre x values, centre y values and tangent levels of the
#: critical-circle search (:func:`circle_search_grid`): about 9² × 11 trial circles. [-]
GRID_POINTS = 9
#: Default number of slices of each trial circle. [-]
N_SLICES = 40
#: Number of distinct grid minima refined by Nelder–Mead. [-]
N_STARTS = 3


@dataclass(frozen=True)
class Material:
    """Mohr–Coulomb strength and unit weight of the dump rock or of the foundation.

    Parameters
    ----------
    cohesion : float
        c', effective cohesion, >= 0. [kPa]
    friction_angle : float
        φ', effective angle of internal friction, in [0°, 90°). [°]
    unit_weight : float
        γ, bulk unit weight, > 0. [kN/m³]
    name : str
        Label of the material in the section and the plot. [-]

    Raises
    ------
    ValueError
        If a value is outside its range (checked by
        :class:`~postmine.geotech.slope_stability.SoilLayer`).

    Examples
    --------
    >>> Material(10.0, 30.0, 19.0, "overburden").friction_angle
    30.0
    """

    cohesion: float
    friction_angle: float
    unit_weight: float
    name: str = "dump"

    def __post_init__(self) -> None:
        self.layer()  # SoilLayer validates c', φ', γ and names the parameter

    def layer(self, bottom: npt.ArrayLike | None = None) -> SoilLayer:
        """Return the soil layer of this material with the given lower boundary (m)."""
        return SoilLayer(self.cohesion, self.friction_angle, self.unit_weight, bottom, self.name)


@dataclass(frozen=True)
class SlopeProfile:
    """One slope of the dump in the section: a flat foundation, a slope, a flat top.

    ``name`` is "working" (as built, at α) or "flattened" (at β); ``toe_x_m``,
    ``crest_x_m`` and ``axis_x_m`` are the toe, the crest and the dump's axis [m];
    ``height_m`` the slope height [m]; ``slope_angle_deg`` its angle [°].
    """

    name: str
    toe_x_m: float
    crest_x_m: float
    axis_x_m: float
    height_m: float
    slope_angle_deg: float

    def ground(self, left_x: float) -> FloatArray:
        """Ground polyline (x, y) [m] from ``left_x`` (< toe) to the axis."""
        pts = [(left_x, 0.0), (self.toe_x_m, 0.0), (self.crest_x_m, self.height_m)]
        if self.axis_x_m > self.crest_x_m + 1e-9 * max(1.0, abs(self.axis_x_m)):
            pts.append((self.axis_x_m, self.height_m))
        return np.array(pts, dtype=float)

    @property
    def left_x_m(self) -> float:
        """Left end of the section: the toe minus the slope's run and twice its height, m."""
        run = self.crest_x_m - self.toe_x_m
        return self.toe_x_m - run - 2.0 * self.height_m


@dataclass(frozen=True)
class SlopeStability:
    """Critical circle of one profile and its factor of safety by every method.

    The circle is the one of least Bishop factor (:func:`critical_circle`); the other
    methods are evaluated on it. Lengths in m, factors [-], λ [-].
    """

    profile: SlopeProfile
    section: Section
    centre_x_m: float
    centre_y_m: float
    radius_m: float
    factor_ordinary: float
    factor_bishop: float
    factor_janbu: float
    factor_spencer: float
    factor_morgenstern_price: float
    lambda_spencer: float
    lambda_morgenstern_price: float
    circles_evaluated: int

    def factor(self, method: str = "bishop") -> float:
        """Return the factor of safety by ``method`` (one of :data:`METHODS`), [-]."""
        if method not in METHODS:
            raise ValueError(f"method must be one of {METHODS}, got {method!r}")
        return float(getattr(self, f"factor_{method}"))

    def factors(self) -> dict[str, float]:
        """Return the factor of safety of each method by method name, [-]."""
        return {m: self.factor(m) for m in METHODS}


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
    ``flattened`` (:class:`~postmine.methods.dumps.FlattenedDump`) are kept as computed.
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
    flattened: dumps.FlattenedDump
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


# -- validation --------------------------------------------------------------------------------
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


def _half(shape: str, size: float) -> float:
    """Distance from the axis to the toe across the narrowest section: R, or B/2."""
    return size if shape == "circle" else 0.5 * size


# -- geometry ----------------------------------------------------------------------------------
def _flattened_frustum(
    geometry: dumps.DumpGeometry, flat: dumps.FlattenedDump, flattened_angle: float
) -> dumps.DumpGeometry:
    """Return the flattened dump's frustum: its base, height h* or h_о, slopes at β."""
    length = _f(flat.base_length) if flat.shape == "rectangle" else None
    try:
        return dumps.dump_geometry(
            flat.shape, _f(flat.base_size), _f(flat.height), flattened_angle, length
        )
    except ValueError as exc:
        raise ValueError(
            f"{flat.scheme} flattening of the {geometry.shape} dump {_f(geometry.height):g} m "
            f"high to {flattened_angle:g}° gives height {_f(flat.height):.4g} m on a base "
            f"{_f(flat.base_size):.4g} m: {exc}; choose the other scheme, a lower height or a "
            "steeper flattened angle"
        ) from None


def slope_profiles(
    geometry: dumps.DumpGeometry, flattened: dumps.FlattenedDump, flattened_angle: float
) -> tuple[SlopeProfile, SlopeProfile, dumps.DumpGeometry]:
    """Working and flattened slope profiles of a dump in the section's coordinates.

    Parameters
    ----------
    geometry : DumpGeometry
        The dump as built (:func:`~postmine.methods.dumps.dump_for_volume`).
    flattened : FlattenedDump
        The dump after flattening (:func:`~postmine.methods.dumps.flatten_dump`).
    flattened_angle : float
        β, slope angle after flattening. [°]

    Returns
    -------
    tuple
        The working profile, the flattened profile, and the flattened frustum
        (:func:`~postmine.methods.dumps.dump_geometry` of the flattened base, height and β).

    Raises
    ------
    ValueError
        If the flattened slopes meet below the flattened height (bottom-up flattening of a
        narrow dump).

    Notes
    -----
    x = 0 at the outer toe as built; the axis at R (circle) or B/2 (square, rectangle);
    the flattened toe at the axis minus R' or B'/2, i.e. at -ΔL for top-down (Eq. 1.11 in
    [004]) and at 0 for bottom-up.

    Examples
    --------
    >>> g = dumps.dump_geometry("circle", 100.0, 10.0, 45.0)
    >>> work, flat, _ = slope_profiles(g, dumps.flatten_top_down(g, 30.0), 30.0)
    >>> round(work.crest_x_m, 6), round(flat.toe_x_m, 4), flat.axis_x_m
    (10.0, -3.6603, 100.0)
    """
    shape = geometry.shape
    axis = _half(shape, _f(geometry.base_size))
    h, α = _f(geometry.height), _f(geometry.slope_angle)
    working = SlopeProfile("working", 0.0, float(h / np.tan(np.radians(α))), axis, h, α)
    frustum = _flattened_frustum(geometry, flattened, flattened_angle)
    h_f = _f(frustum.height)
    toe = axis - _half(shape, _f(frustum.base_size))
    final = SlopeProfile(
        "flattened",
        toe,
        min(toe + float(h_f / np.tan(np.radians(flattened_angle))), axis),
        axis,
        h_f,
        float(flattened_angle),
    )
    return working, final, frustum


# -- stability ---------------------------------------------------------------------------------
def dump_section(
    profile: SlopeProfile,
    material: Material,
    foundation: Material | None = None,
    *,
    pore_pressure_ratio: float = 0.0,
    piezometric_line: npt.ArrayLike | None = None,
    seismic_coefficient: float = 0.0,
    left_x: float | None = None,
) -> Section:
    """Limit-equilibrium section through one slope of the dump.

    Parameters
    ----------
    profile : SlopeProfile
        The slope (toe, crest, axis, height) in the section's coordinates.
    material : Material
        Dump rock, above the foundation surface y = 0.
    foundation : Material, optional
        Foundation soil below y = 0; by default the dump rock continues downwards (a
        homogeneous section, as ACADS 1(a)).
    pore_pressure_ratio : float, optional
        r_u = u/(γ h) in all layers, in [0, 1). [-]
    piezometric_line : array_like of (x, y), optional
        Piezometric line in the section's coordinates; not with ``pore_pressure_ratio``. [m]
    seismic_coefficient : float, optional
        k_h, horizontal pseudo-static seismic coefficient, in [0, 1). [-]
    left_x : float, optional
        Left end of the section; by default the toe minus the run minus twice the
        height (:attr:`SlopeProfile.left_x_m`). [m]

    Returns
    -------
    Section
        Ground from ``left_x`` to the dump's axis; the dump layer over the foundation.

    Raises
    ------
    ValueError
        If ``left_x`` is not left of the toe, or as
        :class:`~postmine.geotech.slope_stability.Section`.

    Examples
    --------
    >>> p = SlopeProfile("working", 0.0, 20.0, 40.0, 10.0, 26.565)
    >>> dump_section(p, Material(3.0, 19.6, 20.0)).ground.tolist()[0]
    [-40.0, 0.0]
    """
    left = profile.left_x_m if left_x is None else float(left_x)
    if not left < profile.toe_x_m:
        raise ValueError(f"left_x must be < the toe x {profile.toe_x_m:g} m, got {left:g} m")
    ground = profile.ground(left)
    if foundation is None:
        layers = [material.layer()]
    else:
        surface = [(left, 0.0), (profile.axis_x_m, 0.0)]
        layers = [material.layer(surface), foundation.layer()]
    return Section(
        ground,
        layers,
        pore_pressure_ratio=pore_pressure_ratio,
        piezometric_line=piezometric_line,
        seismic_coefficient=seismic_coefficient,
    )


def circle_search_grid(
    profile: SlopeProfile, grid_points: int = GRID_POINTS, depth: float | None = None
) -> tuple[FloatArray, FloatArray, FloatArray]:
    r"""Trial circles of the critical-circle search, scaled by the slope's size.

    Parameters
    ----------
    profile : SlopeProfile
        The slope: toe x_t, crest x_k, height H, run r = x_k - x_t.
    grid_points : int, optional
        Number of centre x values, of centre y values and of tangent levels, at least 3. [-]
    depth : float, optional
        D, depth below the foundation surface that the deepest circles reach; H by
        default. [m]

    Returns
    -------
    tuple of ndarray
        Centre x, centre y and radius of every trial circle (at most
        grid_points² (grid_points + 2) circles). [m]

    Raises
    ------
    ValueError
        If ``grid_points < 3`` or ``depth`` is not positive.

    Notes
    -----
    A "grid and tangent" search ([DWB] ch. 7; Slide2 and SLOPE/W search the same way).
    With S = max(H, r), the larger of the height and the run:

    * centres x in [x_t - H/2, x_k + H/4]: above the slope face, from just outside the toe
      to just behind the crest;
    * centres y in [0.75 H, H + 2 S]: from below the crest to high above the slope, where
      the centres of shallow circles of flat slopes lie;
    * for each centre, the circle through the toe and the circles tangent to the levels
      y_t (radius y_c - y_t): ``grid_points`` levels in [-D, 0.9 H] and y_t = 0. They give
      deep circles under the toe, circles tangent to the foundation surface, where a
      weaker foundation draws the critical circle, and shallow circles through the face.

    Circles that do not cut the ground inside the section are skipped by
    :func:`slope_stability`. The extents scaled by H and S are this module's choice,
    checked by the tests against ACADS 1(a), the infinite-slope limit and a fine brute-force
    grid.

    Examples
    --------
    >>> p = SlopeProfile("working", 0.0, 20.0, 40.0, 10.0, 26.565)
    >>> xc, yc, r = circle_search_grid(p, 5)
    >>> xc.size, float(xc.min()), float(yc.max()), round(float(r.max()), 2)
    (170, -5.0, 50.0, 60.0)
    """
    if grid_points < 3:
        raise ValueError(f"grid_points must be >= 3, got {grid_points}")
    H = profile.height_m
    run = profile.crest_x_m - profile.toe_x_m
    S = max(H, run)
    D = H if depth is None else positive("depth", float(depth), "m")
    n = int(grid_points)
    xs = np.linspace(profile.toe_x_m - 0.5 * H, profile.crest_x_m + 0.25 * H, n)
    ys = np.linspace(0.75 * H, H + 2.0 * S, n)
    levels = np.unique(np.append(np.linspace(-D, 0.9 * H, n), 0.0))
    mx, my = np.meshgrid(xs, ys, indexing="ij")
    gx, gy = mx.ravel(), my.ravel()
    toe = np.hypot(gx - profile.toe_x_m, gy)
    radii: FloatArray = np.column_stack([toe, gy[:, None] - levels[None, :]])
    cx = np.broadcast_to(gx[:, None], radii.shape)
    cy = np.broadcast_to(gy[:, None], radii.shape)
    keep = radii > 0.0
    out_x: FloatArray = cx[keep]
    out_y: FloatArray = cy[keep]
    out_r: FloatArray = radii[keep]
    return out_x, out_y, out_r


def slope_stability(
    profile: SlopeProfile,
    material: Material,
    foundation: Material | None = None,
    *,
    pore_pressure_ratio: float = 0.0,
    piezometric_line: npt.ArrayLike | None = None,
    seismic_coefficient: float = 0.0,
    grid_points: int = GRID_POINTS,
    n_slices: int = N_SLICES,
    left_x: float | None = None,
) -> SlopeStability:
    """Critical circle and factors of safety of one dump slope.

    Parameters
    ----------
    profile : SlopeProfile
        The slope (see :func:`slope_profiles`).
    material : Material
        Dump rock.
    foundation : Material, optional
        Foundation soil below y = 0; by default the dump rock continues downwards.
    pore_pressure_ratio : float, optional
        r_u, in [0, 1). [-]
    piezometric_line : array_like of (x, y), optional
        Piezometric line in the section's coordinates. [m]
    seismic_coefficient : float, optional
        k_h, in [0, 1). [-]
    grid_points : int, optional
        Values per axis of the search grid (:func:`circle_search_grid`). [-]
    n_slices : int, optional
        Slices per circle, at least 5. [-]
    left_x : float, optional
        Left end of the section (:func:`dump_section`). [m]

    Returns
    -------
    SlopeStability
        The circle of least Bishop factor and the factor of each method on it.

    Raises
    ------
    ValueError
        As :func:`dump_section`, :func:`circle_search_grid` and
        :func:`~postmine.geotech.slope_stability.critical_circle`.

    Notes
    -----
    Bishop's simplified method [Bishop] is evaluated at once on every trial circle of
    :func:`circle_search_grid` (:func:`~postmine.geotech.slope_stability.bishop_factor`)
    on the section of :func:`dump_section`; the deepest circles reach 1.5 H below the
    foundation surface with a foundation, H without. The best grid circles in up to three
    distinct places (more than two grid steps apart) are each refined by
    :func:`~postmine.geotech.slope_stability.critical_circle` (Nelder–Mead), which also
    evaluates every method; the least Bishop factor wins. Several starts guard against
    the local minima of layered sections, e.g. a circle tangent to a weak foundation
    against a deeper one through it.

    Examples
    --------
    A cohesionless slope: the critical surface is shallow and F tends to tan φ'/tan β
    (infinite slope, [DWB] ch. 6): tan 35°/tan 18° = 2.155.

    >>> p = SlopeProfile("flattened", 0.0, 30.0 / np.tan(np.radians(18.0)), 300.0, 30.0, 18.0)
    >>> round(slope_stability(p, Material(0.0, 35.0, 19.0)).factor_bishop, 2)
    2.15
    """
    section = dump_section(
        profile,
        material,
        foundation,
        pore_pressure_ratio=pore_pressure_ratio,
        piezometric_line=piezometric_line,
        seismic_coefficient=seismic_coefficient,
        left_x=left_x,
    )
    depth = profile.height_m * (1.5 if foundation is not None else 1.0)
    xc, yc, rc = circle_search_grid(profile, grid_points, depth)
    trial = slice_circle(section, xc, yc, rc, n_slices, strict=False)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        grid_f = np.where(trial.valid, bishop_factor(trial), np.nan)
    grid_f = np.where(grid_f > 0.0, grid_f, np.nan)
    if np.all(np.isnan(grid_f)):
        raise ValueError(
            f"no trial circle cuts the {profile.name} slope inside the section x in "
            f"{section.x_range} m"
        )
    # up to N_STARTS grid minima in distinct places start the Nelder–Mead refinement
    scale = profile.height_m / max(grid_points - 1, 1)
    starts: list[int] = []
    for k in np.argsort(np.where(np.isnan(grid_f), np.inf, grid_f)):
        if np.isnan(grid_f[k]) or len(starts) == N_STARTS:
            break
        far = all(
            max(abs(xc[k] - xc[j]), abs(yc[k] - yc[j]), abs(rc[k] - rc[j])) > 2.0 * scale
            for j in starts
        )
        if far:
            starts.append(int(k))
    found = min(
        (critical_circle(section, [xc[k]], [yc[k]], [rc[k]], n_slices=n_slices) for k in starts),
        key=lambda c: c.factors["bishop"] if np.isfinite(c.factors["bishop"]) else np.inf,
    )
    f, lam = found.factors, found.lambdas
    return SlopeStability(
        profile=profile,
        section=section,
        centre_x_m=found.centre_x,
        centre_y_m=found.centre_y,
        radius_m=found.radius,
        factor_ordinary=f["ordinary"],
        factor_bishop=f["bishop"],
        factor_janbu=f["janbu"],
        factor_spencer=f["spencer"],
        factor_morgenstern_price=f["morgenstern_price"],
        lambda_spencer=lam["spencer"],
        lambda_morgenstern_price=lam["morgenstern_price"],
        circles_evaluated=int(xc.size),
    )


# -- design ------------------------------------------------------------------------------------
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
) -> tuple[dumps.FlattenedDump, SlopeProfile, SlopeProfile, dumps.DumpGeometry, SlopeStability,
           SlopeStability | None]:  # fmt: skip
    flat = dumps.flatten_dump(geometry, scheme, flattened_angle)
    work_p, final_p, frustum = slope_profiles(geometry, flat, flattened_angle)
    left = min(work_p.left_x_m, final_p.left_x_m)
    final = opts.stability(final_p, left)
    if working is None and need_working:
        working = opts.stability(work_p, left)
    return flat, work_p, final_p, frustum, final, working


def design_dump(
    volume: float,
    shape: str,
    material: Material,
    foundation: Material | None = None,
    *,
    height: float,
    slope_angle: float = dumps.DUMP_SLOPE_ANGLE,
    flattened_angle: float = dumps.FLATTENED_SLOPE_ANGLE,
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
    reconstructed), flattening by :func:`~postmine.methods.dumps.flatten_dump` (Eqs.
    1.7-1.11); footprint = S_ос.отв and P_о after flattening. The flattened slope is the
    frustum of the flattened base, height (h* bottom-up, h_о top-down) and β,
    :func:`~postmine.methods.dumps.dump_geometry`. Its volume (``flattened_volume_m3``) is
    not the volume placed: bottom-up, Eq. (1.8) of [004] spreads the cut over the top
    before flattening and keeps the base, an estimate that does not conserve volume;
    top-down, the fill lies farther out than the cut (see
    :func:`~postmine.methods.dumps.flatten_top_down`). The design follows PR1 and reports
    both volumes.

    Stability by :func:`slope_stability` on the section of each slope (module docstring):
    the circle of least Bishop factor, every method evaluated on it.

    Examples
    --------
    >>> d = design_dump(2.0e6, "circle", Material(20.0, 30.0, 19.0), height=20.0)
    >>> round(d.base_area_m2), round(d.footprint_area_m2), d.scheme
    (114679, 114679, 'bottom-up')
    >>> round(d.final.factor_bishop, 2), round(d.working.factor_bishop, 2), d.stable
    (2.5, 1.42, True)
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
    schemes = dumps.FLATTENING_SCHEMES if scheme == "best" else (scheme,)
    working: SlopeStability | None = None
    results = []
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
        factor = _governing(working, final, method, check)
        results.append((s, flat, frustum, final, factor))
        options.append(SchemeOption(s, _f(flat.base_area), factor, factor >= required_factor))
    if not results:
        raise ValueError("; ".join(errors))
    stable = [k for k, r in enumerate(results) if r[4] >= required_factor]
    if stable:
        pick = min(stable, key=lambda k: _f(results[k][1].base_area))
    else:
        pick = max(range(len(results)), key=lambda k: results[k][4])
    s, flat, frustum, final, factor = results[pick]
    assert working is not None
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
    flattened_angles: npt.ArrayLike = (dumps.FLATTENED_SLOPE_ANGLE,),
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
    schemes = dumps.FLATTENING_SCHEMES if scheme == "best" else (scheme,)
    need_working = check != "flattened"
    rows: list[TradeoffRow] = []
    for h in (float(v) for v in hs):
        try:
            geometry = dumps.dump_for_volume(shape, volume, h, slope_angle, aspect_ratio)
        except ValueError as exc:
            for b in betas:
                for s in schemes:
                    rows.append(_infeasible(h, slope_angle, float(b), s, str(exc)))
            continue
        working: SlopeStability | None = None
        for b in (float(v) for v in betas):
            for s in schemes:
                try:
                    flat, _, _, _, final, working = _one_scheme(
                        geometry, s, b, opts, working, need_working
                    )
                except ValueError as exc:
                    rows.append(_infeasible(h, slope_angle, b, s, str(exc)))
                    continue
                f_work = working.factor(method) if working is not None else float("nan")
                f_flat = final.factor(method)
                factor = f_flat if check == "flattened" else f_work
                if check == "both":
                    factor = min(f_work, f_flat)
                rows.append(
                    TradeoffRow(
                        height_m=h,
                        slope_angle_deg=float(slope_angle),
                        flattened_angle_deg=b,
                        scheme=s,
                        footprint_area_m2=_f(flat.base_area),
                        factor_working=f_work,
                        factor_flattened=f_flat,
                        factor=factor,
                        stable=bool(factor >= required_factor),
                        feasible=True,
                    )
                )
    table = tuple(rows)
    stable = [r for r in table if r.stable]
    if not stable:
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


def _infeasible(h: float, alpha: float, beta: float, scheme: str, why: str) -> TradeoffRow:
    nan = float("nan")
    return TradeoffRow(h, float(alpha), beta, scheme, nan, nan, nan, nan, False, False, why)


# -- surface -----------------------------------------------------------------------------------
_PROFILES = ("flattened", "working")


def _frustum_of(design: DumpDesign, profile: str) -> tuple[float, float, float, float]:
    """Half-sizes across (y) and along (x), height and slope angle of a design's frustum."""
    _check_choice("profile", profile, _PROFILES)
    if profile == "working":
        size, length = design.base_size_m, design.base_length_m
        h, a = design.height_m, design.slope_angle_deg
    else:
        size, length = design.flattened_base_size_m, design.flattened_base_length_m
        h, a = design.flattened_height_m, design.flattened_angle_deg
    if design.shape == "circle":
        return size, size, h, a
    return 0.5 * size, 0.5 * length, h, a


def design_surface(
    design: DumpDesign,
    profile: str = "flattened",
    *,
    centre: tuple[float, float] = (0.0, 0.0),
    rotation: float = 0.0,
    base_elevation: float = 0.0,
) -> Callable[[npt.ArrayLike, npt.ArrayLike], FloatArray]:
    r"""Elevation z(x, y) of the designed dump, for a DEM of the design.

    Parameters
    ----------
    design : DumpDesign
        The design (:func:`design_dump`).
    profile : {"flattened", "working"}, optional
        The flattened dump (the final landform) or the dump as built.
    centre : tuple of float, optional
        Plan coordinates (x, y) of the dump's axis. [m]
    rotation : float, optional
        Angle of the base's length L from the x axis, counter-clockwise; a circle ignores
        it. [°]
    base_elevation : float, optional
        Elevation of the flat foundation surface. [m]

    Returns
    -------
    callable
        ``z(x, y)`` over arrays of plan coordinates [m] (broadcast), the elevation [m]:
        ``base_elevation`` outside the footprint.

    Raises
    ------
    ValueError
        If ``profile`` is unknown or a coordinate is not finite.

    Notes
    -----
    The frustum of the PR1 geometry (:func:`~postmine.methods.dumps.dump_geometry`):

    .. math:: z = z_0 + \min(h, \max(0, d \tan θ))

    with d the distance inside the base outline, R - r for a circle, min(B/2 - |y'|,
    L/2 - |x'|) for a square or rectangle (x' along L); the planes of the four slopes meet
    on hips, as in the volume h (B L - (B + L) c + 4 c²/3) of Eqs. (1.5)-(1.6) in [004].
    Its integral over the plane is the frustum's volume.

    Examples
    --------
    >>> d = design_dump(2.0e6, "circle", Material(20.0, 30.0, 19.0), height=20.0)
    >>> z = design_surface(d, "working")
    >>> float(z(0.0, 0.0)), float(z(d.base_size_m + 1.0, 0.0))
    (20.0, 0.0)
    """
    half_b, half_l, h, a = _frustum_of(design, profile)
    tan = float(np.tan(np.radians(a)))
    cx, cy = (float(v) for v in centre)
    cos_r, sin_r = float(np.cos(np.radians(rotation))), float(np.sin(np.radians(rotation)))
    z0 = float(base_elevation)
    circle = design.shape == "circle"

    def z(x: npt.ArrayLike, y: npt.ArrayLike) -> FloatArray:
        xa, ya = np.broadcast_arrays(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
        if not (np.all(np.isfinite(xa)) and np.all(np.isfinite(ya))):
            raise ValueError("x and y must be finite plan coordinates [m]")
        dx, dy = xa - cx, ya - cy
        if circle:
            d = half_b - np.hypot(dx, dy)
        else:
            along = dx * cos_r + dy * sin_r
            across = -dx * sin_r + dy * cos_r
            d = np.minimum(half_b - np.abs(across), half_l - np.abs(along))
        out: FloatArray = z0 + np.clip(d * tan, 0.0, h)
        return out

    return z


def surface_bounds(
    design: DumpDesign,
    profile: str = "flattened",
    *,
    centre: tuple[float, float] = (0.0, 0.0),
    rotation: float = 0.0,
    margin: float = 0.0,
) -> tuple[float, float, float, float]:
    """Plan bounds (x_min, y_min, x_max, y_max) of the footprint plus a margin.

    Parameters
    ----------
    design : DumpDesign
        The design.
    profile : {"flattened", "working"}, optional
        Which dump.
    centre : tuple of float, optional
        Plan coordinates of the dump's axis. [m]
    rotation : float, optional
        Angle of L from the x axis, counter-clockwise. [°]
    margin : float, optional
        Flat ground added on every side, >= 0. [m]

    Returns
    -------
    tuple of float
        x_min, y_min, x_max, y_max. [m]

    Raises
    ------
    ValueError
        If ``profile`` is unknown or ``margin`` is negative.

    Examples
    --------
    >>> d = design_dump(2.0e6, "circle", Material(20.0, 30.0, 19.0), height=20.0)
    >>> [round(v, 1) for v in surface_bounds(d, margin=10.0)]
    [-201.1, -201.1, 201.1, 201.1]
    """
    in_range("margin", margin, 0.0, np.inf, "m")
    half_b, half_l, _, _ = _frustum_of(design, profile)
    if design.shape == "circle":
        ex = ey = half_b
    else:
        c, s = abs(np.cos(np.radians(rotation))), abs(np.sin(np.radians(rotation)))
        ex, ey = half_l * c + half_b * s, half_l * s + half_b * c
    cx, cy = centre
    m = float(margin)
    return (cx - ex - m, cy - ey - m, cx + ex + m, cy + ey + m)


def design_grid(
    design: DumpDesign,
    cell_size: float,
    profile: str = "flattened",
    *,
    centre: tuple[float, float] = (0.0, 0.0),
    rotation: float = 0.0,
    base_elevation: float = 0.0,
    margin: float | None = None,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Elevations of the designed dump at the centres of a regular grid of square cells.

    Parameters
    ----------
    design : DumpDesign
        The design.
    cell_size : float
        Side of a cell, > 0. [m]
    profile : {"flattened", "working"}, optional
        Which dump.
    centre : tuple of float, optional
        Plan coordinates of the dump's axis. [m]
    rotation : float, optional
        Angle of L from the x axis, counter-clockwise. [°]
    base_elevation : float, optional
        Elevation of the foundation surface. [m]
    margin : float, optional
        Flat ground around the footprint; two cells by default. [m]

    Returns
    -------
    tuple of ndarray
        x of the cell centres (n_x,) [m], y of the cell centres (n_y,), increasing
        northwards [m], and z of shape (n_y, n_x) [m].

    Raises
    ------
    ValueError
        If ``cell_size`` is not positive, or as :func:`surface_bounds`.

    Examples
    --------
    >>> d = design_dump(2.0e6, "circle", Material(20.0, 30.0, 19.0), height=20.0)
    >>> x, y, z = design_grid(d, 2.0, "working")
    >>> round(float(z.sum()) * 4.0 / 1e6, 2)
    2.0
    """
    cell = positive("cell_size", float(cell_size), "m")
    m = 2.0 * cell if margin is None else float(margin)
    x0, y0, x1, y1 = surface_bounds(design, profile, centre=centre, rotation=rotation, margin=m)
    nx, ny = int(np.ceil((x1 - x0) / cell)), int(np.ceil((y1 - y0) / cell))
    xs: FloatArray = x0 + cell * (np.arange(nx, dtype=float) + 0.5)
    ys: FloatArray = y0 + cell * (np.arange(ny, dtype=float) + 0.5)
    f = design_surface(
        design, profile, centre=centre, rotation=rotation, base_elevation=base_elevation
    )
    return xs, ys, f(xs[None, :], ys[:, None])


# -- plot --------------------------------------------------------------------------------------
def plot_design(design: DumpDesign, *, title: str = "") -> bytes:
    r"""Plot the section of a design: both profiles, the layers and the critical circles.

    Parameters
    ----------
    design : DumpDesign
        The design.
    title : str, optional
        Title of the figure.

    Returns
    -------
    bytes
        The figure as PNG (Agg canvas, no pyplot state).

    Examples
    --------
    >>> d = design_dump(2.0e6, "circle", Material(20.0, 30.0, 19.0), height=20.0)
    >>> plot_design(d)[:4]
    b'\x89PNG'
    """
    import io

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    final, working = design.final, design.working
    sec = final.section
    left, right = sec.x_range
    H = max(design.height_m, design.flattened_height_m)
    bottom = -1.6 * H
    top = max(H * 1.2, max(final.centre_y_m, working.centre_y_m) * 1.05)
    # true scale (equal axes): the figure's height follows the section's proportions
    tall = float(np.clip(10.0 * (top - bottom) / (right - left) + 1.5, 3.5, 8.0))
    fig = Figure(figsize=(10.0, tall), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    g = sec.ground
    ax.fill_between(g[:, 0], 0.0, g[:, 1], color="#c8a97e",
                    alpha=0.8, label=f"dump rock ({final.section.layers[0].name})")  # fmt: skip
    if len(sec.layers) > 1:
        ax.fill_between([left, right], [bottom, bottom], [0.0, 0.0], color="#9db37a", alpha=0.6,
                        label=f"foundation ({sec.layers[-1].name})")  # fmt: skip
    else:
        ax.fill_between([left, right], [bottom, bottom], [0.0, 0.0], color="#c8a97e",
                        alpha=0.45)  # fmt: skip
    wg = working.profile.ground(left)
    ax.plot(wg[:, 0], wg[:, 1], "--", color="0.25", lw=1.2,
            label=f"working slope α = {design.slope_angle_deg:g}°")  # fmt: skip
    ax.plot(g[:, 0], g[:, 1], "-", color="k", lw=1.6,
            label=f"flattened ({design.scheme}) β = {design.flattened_angle_deg:g}°")  # fmt: skip
    if sec.piezometric_line is not None:
        p = sec.piezometric_line
        ax.plot(p[:, 0], p[:, 1], "-", color="C0", lw=1.0, label="piezometric line")
    t = np.linspace(0.0, 2.0 * np.pi, 721)
    for res, colour, name in ((final, "C3", "flattened"), (working, "C1", "working")):
        cx, cy, r = res.centre_x_m, res.centre_y_m, res.radius_m
        xs, ys = cx + r * np.cos(t), cy + r * np.sin(t)
        below = ys <= np.interp(xs, res.section.ground[:, 0], res.section.ground[:, 1]) + 1e-9
        below &= (xs >= left) & (xs <= right)
        arc_x, arc_y = np.where(below, xs, np.nan), np.where(below, ys, np.nan)
        ax.plot(arc_x, arc_y, "-", color=colour, lw=1.4,
                label=f"critical circle, {name}: F_Bishop = {res.factor_bishop:.3f}")  # fmt: skip
        ax.plot([cx], [cy], "+", color=colour)
    ax.set_xlim(left, right)
    ax.set_ylim(bottom, top)
    ax.set_aspect("equal", adjustable="box")
    ax.set_xlabel("x from the toe as built [m]")
    ax.set_ylabel("elevation above the foundation [m]")
    ax.set_title(
        title
        or f"{design.shape} dump {design.volume_m3:,.0f} m³, h = {design.height_m:g} m; "
        f"{design.method} F = {design.factor:.3f} (required {design.required_factor:g})",
        fontsize=10,
    )
    ax.legend(loc="lower right", fontsize=7)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()
