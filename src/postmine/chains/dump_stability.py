r"""Stability of the slopes of a PR1 dump: the section, the circle search, the factor of safety.

The slope of a dump of practical work 1 of [004] (:mod:`postmine.methods.dumps`), as built at
the working angle α or flattened to β, as a limit-equilibrium section, and its critical
circle by the methods of :mod:`postmine.geotech`. The dump design
(:mod:`postmine.chains.dump`) and, through it, the project engine's dump branch call
:func:`slope_stability` on the profiles of :func:`slope_profiles`.

Coordinates of the section
--------------------------
x is horizontal, from the outer toe of the dump **as built** (x = 0) towards the dump's
axis; y is elevation above the foundation surface (y = 0). The ground rises from the toe
(left) to the crest (right), as :class:`~postmine.geotech.Section`
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

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from postmine.core.checks import positive
from postmine.geotech import (
    METHODS,
    Section,
    SoilLayer,
    bishop_factor,
    critical_circle,
    slice_circle,
)
from postmine.methods import dump_flattening as flattening
from postmine.methods import dumps

__all__ = [
    "GRID_POINTS",
    "N_SLICES",
    "FlatteningNotBuildableError",
    "Material",
    "SlopeProfile",
    "SlopeStability",
    "circle_search_grid",
    "dump_section",
    "slope_profiles",
    "slope_stability",
]

FloatArray = npt.NDArray[np.float64]

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
        :class:`~postmine.geotech.SoilLayer`).

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


def _f(value: object) -> float:
    return float(np.asarray(value, dtype=float))


def _half(shape: str, size: float) -> float:
    """Distance from the axis to the toe across the narrowest section: R, or B/2."""
    return size if shape == "circle" else 0.5 * size


# -- geometry ----------------------------------------------------------------------------------
class FlatteningNotBuildableError(ValueError):
    """The flattened slope of a dump cannot be built (bottom-up flattening of a narrow dump)."""


def _flattened_frustum(
    geometry: dumps.DumpGeometry, flat: flattening.FlattenedDump, flattened_angle: float
) -> dumps.DumpGeometry:
    """Return the flattened dump's frustum: its base, height h* or h_о, slopes at β."""
    length = _f(flat.base_length) if flat.shape == "rectangle" else None
    try:
        return dumps.dump_geometry(
            flat.shape, _f(flat.base_size), _f(flat.height), flattened_angle, length
        )
    except ValueError as exc:
        raise FlatteningNotBuildableError(
            f"{flat.scheme} flattening of the {geometry.shape} dump {_f(geometry.height):g} m "
            f"high to {flattened_angle:g}° gives height {_f(flat.height):.4g} m on a base "
            f"{_f(flat.base_size):.4g} m: {exc}; choose the other scheme, a lower height or a "
            "steeper flattened angle"
        ) from None


def slope_profiles(
    geometry: dumps.DumpGeometry, flattened: flattening.FlattenedDump, flattened_angle: float
) -> tuple[SlopeProfile, SlopeProfile, dumps.DumpGeometry]:
    """Working and flattened slope profiles of a dump in the section's coordinates.

    Parameters
    ----------
    geometry : DumpGeometry
        The dump as built (:func:`~postmine.methods.dumps.dump_for_volume`).
    flattened : FlattenedDump
        The dump after flattening (:func:`~postmine.methods.dump_flattening.flatten_dump`).
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
    >>> work, flat, _ = slope_profiles(g, flattening.flatten_top_down(g, 30.0), 30.0)
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
        :class:`~postmine.geotech.Section`.

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
        :func:`~postmine.geotech.critical_circle`.

    Notes
    -----
    Bishop's simplified method [Bishop] is evaluated at once on every trial circle of
    :func:`circle_search_grid` (:func:`~postmine.geotech.bishop_factor`)
    on the section of :func:`dump_section`; the deepest circles reach 1.5 H below the
    foundation surface with a foundation, H without. The best grid circles in up to three
    distinct places (more than two grid steps apart) are each refined by
    :func:`~postmine.geotech.critical_circle` (Nelder–Mead), which also
    evaluates every method; the least Bishop factor wins. Several starts guard against
    the local minima of layered sections, e.g. a circle tangent to a weak foundation
    against a deeper one through it.

    Examples
    --------
    A cohesionless slope: the critical surface is shallow and F tends to tan φ'/tan β
    (infinite slope, [DWB] ch. 6): tan 35°/tan 18° = 2.155.

    >>> p = SlopeProfile("flattened", 0.0, 30.0 / np.tan(np.radians(18.0)), 300.0, 30.0, 18.0)
    >>> round(slope_stability(p, Material(0.0, 35.0, 19.0)).factor_bishop, 2)
    2.16
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
