r"""Limit-equilibrium slope stability on circular slip surfaces, vectorised with numpy.

A section (ground surface, soil layers, pore pressure, seismic coefficient, crest surcharge)
is cut by a circular slip surface into vertical slices of equal width; the factor of safety
is found by the Ordinary (Fellenius), Bishop simplified, Janbu simplified (uncorrected),
Spencer and Morgenstern–Price (half-sine interslice function) methods. Slices and trial
circles are numpy arrays of shape ``(n_circles, n_slices)``, so a grid of circles is
evaluated at once; :func:`critical_circle` searches a grid of centres and radii with
Bishop's method and refines the best one with Nelder–Mead.

Conventions
-----------
The ground surface must rise from left to right (toe on the left, crest on the right), so
the sliding mass moves towards −x. Slice base inclination α = arcsin((x − x_c)/R) is
positive under the crest. The horizontal seismic force k_h·W acts towards the toe at
mid-height of the slice. Pore pressure acts on the slice base.

References
----------
[Fellenius] Fellenius W. (1936). Calculation of the stability of earth dams.
[Bishop] Bishop A. W. (1955). The use of the slip circle in the stability analysis of
    slopes. Géotechnique 5(1), 7–17.
[Janbu] Janbu N. (1954/1973). Slope stability computations.
[Spencer] Spencer E. (1967). A method of analysis of the stability of embankments assuming
    parallel inter-slice forces. Géotechnique 17(1), 11–26.
[M-P] Morgenstern N. R., Price V. E. (1965). The analysis of the stability of general slip
    surfaces. Géotechnique 15(1), 79–93.
[ACADS] Giam P. S. K., Donald I. B. (1989). ACADS soil slope stability programs review,
    problem 1(a).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
from scipy import constants, optimize

__all__ = [
    "METHODS",
    "CriticalCircle",
    "Section",
    "Slices",
    "SoilLayer",
    "bishop_factor",
    "critical_circle",
    "effective_normal_force",
    "factor_of_safety",
    "factors_of_safety",
    "janbu_factor",
    "morgenstern_price_factor",
    "ordinary_factor",
    "slice_circle",
    "slice_surface",
    "spencer_factor",
]

FloatArray = npt.NDArray[np.float64]
Method = Literal["ordinary", "bishop", "janbu", "spencer", "morgenstern_price"]
METHODS: tuple[Method, ...] = ("ordinary", "bishop", "janbu", "spencer", "morgenstern_price")

#: Unit weight of water, ρ_w·g with ρ_w = 1000 kg/m³. [kN/m³]
WATER_UNIT_WEIGHT = 1000.0 * constants.g / 1000.0

_ITER_TOL = 1e-9
_MAX_ITER = 200
_REFINE_STARTS = 2  # grid circles refined by Nelder–Mead in critical_circle
_REFINE_RUNS = 1  # Nelder–Mead runs from each
_MAX_RETRIES = 16  # surfaces retried one by one when the batched Newton solve fails


def _polyline(name: str, points: npt.ArrayLike) -> FloatArray:
    """Return an (N, 2) array of a polyline with strictly increasing x, or raise."""
    arr = np.asarray(points, dtype=float)
    if arr.ndim != 2 or arr.shape[1] != 2 or arr.shape[0] < 2:
        raise ValueError(f"{name} must be a list of at least two (x, y) points [m]")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must hold finite coordinates, got {arr.tolist()}")
    if np.any(np.diff(arr[:, 0]) <= 0):
        raise ValueError(f"{name} x coordinates must increase strictly, got {arr[:, 0].tolist()}")
    return arr


def _interp(line: FloatArray, x: npt.ArrayLike) -> FloatArray:
    """Return the elevation of a polyline at x (m), extended flat beyond its ends."""
    y: FloatArray = np.interp(np.asarray(x, dtype=float), line[:, 0], line[:, 1])
    return y


class SoilLayer:
    """One soil layer of a section, with Mohr–Coulomb effective strength.

    Parameters
    ----------
    cohesion : float
        c', effective cohesion. [kPa]
    friction_angle : float
        φ', effective angle of internal friction, in [0°, 90°). [°]
    unit_weight : float
        γ, bulk unit weight. [kN/m³]
    bottom : array_like of (x, y) or None
        Polyline of the layer's lower boundary; ``None`` for the lowest layer, which extends
        downwards without limit. [m]
    name : str
        Label of the layer.
    """

    def __init__(
        self,
        cohesion: float,
        friction_angle: float,
        unit_weight: float,
        bottom: npt.ArrayLike | None = None,
        name: str = "soil",
    ) -> None:
        self.cohesion = float(cohesion)
        self.friction_angle = float(friction_angle)
        self.unit_weight = float(unit_weight)
        self.name = name
        self.bottom: FloatArray | None = None
        if not np.isfinite(self.cohesion) or self.cohesion < 0:
            raise ValueError(f"cohesion must be >= 0 kPa, got {self.cohesion}")
        if not 0.0 <= self.friction_angle < 90.0:
            raise ValueError(f"friction_angle must be in [0, 90) °, got {self.friction_angle}")
        if not np.isfinite(self.unit_weight) or self.unit_weight <= 0:
            raise ValueError(f"unit_weight must be > 0 kN/m³, got {self.unit_weight}")
        if bottom is not None:
            self.bottom = _polyline(f"bottom of {name}", bottom)

    def __repr__(self) -> str:
        return (
            f"SoilLayer({self.cohesion}, {self.friction_angle}, {self.unit_weight}, "
            f"name={self.name!r})"
        )


class Section:
    """A two-dimensional slope section for limit-equilibrium analysis.

    Parameters
    ----------
    ground : array_like of (x, y)
        Ground surface polyline, x strictly increasing, rising from the toe (left) to the
        crest (right). [m]
    layers : sequence of SoilLayer
        Layers from the top down; every layer but the last has a ``bottom`` polyline, the
        last has none. Boundaries must not cross. [-]
    pore_pressure_ratio : float
        r_u = u/(γ h), in [0, 1); not together with ``piezometric_line``. [-]
    piezometric_line : array_like of (x, y) or None
        Piezometric line; pore pressure u = γ_w (y_piezo − y_base) where positive, the
        vertical head (no cos² correction for inclined seepage), γ_w = 9.807 kN/m³. [m]
    seismic_coefficient : float
        k_h, horizontal pseudo-static seismic coefficient, in [0, 1). [-]
    surcharge : float
        q, vertical surcharge on the ground surface between ``surcharge_start`` and
        ``surcharge_end``. [kPa]
    surcharge_start, surcharge_end : float or None
        x-range of the surcharge; default from the crest (first ground vertex whose
        elevation equals the maximum) to the right end of the ground. [m]
    tension_crack_depth : float
        z_c, depth of a vertical tension crack at the crest end of every slip surface: the
        sliding mass ends where the surface lies z_c below the ground, with no shear
        strength along the crack. [m]
    crack_water_depth : float
        z_w ≤ z_c, depth of water standing in the crack; it pushes the mass towards the
        toe with P_w = γ_w z_w²/2 acting z_w/3 above the bottom of the crack. [m]
    """

    def __init__(
        self,
        ground: npt.ArrayLike,
        layers: Sequence[SoilLayer],
        pore_pressure_ratio: float = 0.0,
        piezometric_line: npt.ArrayLike | None = None,
        seismic_coefficient: float = 0.0,
        surcharge: float = 0.0,
        surcharge_start: float | None = None,
        surcharge_end: float | None = None,
        tension_crack_depth: float = 0.0,
        crack_water_depth: float = 0.0,
    ) -> None:
        self.ground = ground = _polyline("ground", ground)
        self.tension_crack_depth = float(tension_crack_depth)
        self.crack_water_depth = float(crack_water_depth)
        self.pore_pressure_ratio = float(pore_pressure_ratio)
        self.seismic_coefficient = float(seismic_coefficient)
        self.surcharge = float(surcharge)
        self.surcharge_start = surcharge_start
        self.surcharge_end = surcharge_end
        self.piezometric_line: FloatArray | None = None
        if ground[-1, 1] <= ground[0, 1]:
            raise ValueError(
                "ground must rise from left (toe) to right (crest), got elevations "
                f"{ground[0, 1]} m at the left end and {ground[-1, 1]} m at the right end"
            )
        self.layers = layers = tuple(layers)
        if not layers:
            raise ValueError("layers must hold at least one SoilLayer")
        if layers[-1].bottom is not None:
            raise ValueError("the last layer must have bottom=None (it extends downwards)")
        if any(layer.bottom is None for layer in layers[:-1]):
            raise ValueError("every layer but the last must have a bottom polyline")
        xs = [ground[:, 0]] + [lay.bottom[:, 0] for lay in layers[:-1] if lay.bottom is not None]
        x_all = np.unique(np.concatenate(xs))
        previous: FloatArray | None = None
        for k, layer in enumerate(layers[:-1]):
            assert layer.bottom is not None
            lower = _interp(layer.bottom, x_all)
            if previous is not None and np.any(lower > previous + 1e-9):
                bad = float(x_all[np.argmax(lower > previous + 1e-9)])
                raise ValueError(
                    f"layer boundaries cross: bottom of {layer.name!r} rises above the bottom "
                    f"of {layers[k - 1].name!r} at x = {bad} m"
                )
            previous = lower
        if not 0.0 <= self.pore_pressure_ratio < 1.0:
            raise ValueError(
                f"pore_pressure_ratio must be in [0, 1), got {self.pore_pressure_ratio}"
            )
        if piezometric_line is not None:
            if self.pore_pressure_ratio > 0:
                raise ValueError(
                    "give either pore_pressure_ratio or piezometric_line, not both "
                    f"(got pore_pressure_ratio = {self.pore_pressure_ratio})"
                )
            self.piezometric_line = _polyline("piezometric_line", piezometric_line)
        if not 0.0 <= self.seismic_coefficient < 1.0:
            raise ValueError(
                f"seismic_coefficient must be in [0, 1), got {self.seismic_coefficient}"
            )
        if not np.isfinite(self.surcharge) or self.surcharge < 0:
            raise ValueError(f"surcharge must be >= 0 kPa, got {self.surcharge}")
        height = float(ground[:, 1].max() - ground[:, 1].min())
        if not 0.0 <= self.tension_crack_depth < height:
            raise ValueError(
                f"tension_crack_depth must be in [0, {height}) m (the height of the ground), "
                f"got {self.tension_crack_depth}"
            )
        if not 0.0 <= self.crack_water_depth <= self.tension_crack_depth:
            raise ValueError(
                f"crack_water_depth must be in [0, tension_crack_depth = "
                f"{self.tension_crack_depth}] m, got {self.crack_water_depth}"
            )
        top = ground[:, 1].max()
        crest = float(ground[np.nonzero(np.isclose(ground[:, 1], top))[0][0], 0])
        self._crest_x = crest
        start, end = self.surcharge_range
        if not start <= end:
            raise ValueError(f"surcharge_start must be <= surcharge_end m, got {start} > {end}")

    @property
    def x_range(self) -> tuple[float, float]:
        """Left and right ends of the section, in m."""
        return float(self.ground[0, 0]), float(self.ground[-1, 0])

    @property
    def surcharge_range(self) -> tuple[float, float]:
        """Range of x loaded by the surcharge, in m."""
        start = self._crest_x if self.surcharge_start is None else self.surcharge_start
        end = self.x_range[1] if self.surcharge_end is None else self.surcharge_end
        return float(start), float(end)


@dataclass(frozen=True)
class Slices:
    """Slices of one or more slip surfaces; arrays of shape (n_surfaces, n_slices).

    Attributes: ``width`` b [m], ``x`` mid-x [m], ``base_y`` [m], ``top_y`` [m], ``alpha``
    base inclination α [rad], ``weight`` W of soil [kN/m], ``load`` W + surcharge [kN/m],
    ``pore_force`` u·l on the base [kN/m], ``cohesion`` c' [kPa], ``tan_phi`` tan φ' [-],
    ``shear_arm`` and ``normal_arm`` — moment arms about the axis of a base shear force and
    of a base normal force [m] (R and 0 on a circle); shape (n_surfaces,): ``centre_x``,
    ``centre_y`` the moment axis (the circle's centre) [m], ``radius`` [m] (NaN for a
    polyline), ``entry_x`` and ``exit_x`` ends of the sliding mass [m] (``exit_x`` at the
    tension crack when there is one), ``thrust`` water force in the tension crack acting
    towards the toe on the last slice [kN/m] at elevation ``thrust_y`` [m];
    ``seismic_coefficient`` k_h [-]; ``valid`` whether the surface cuts the ground inside
    the section (and reaches the crack depth) [-].
    """

    width: FloatArray
    x: FloatArray
    base_y: FloatArray
    top_y: FloatArray
    alpha: FloatArray
    weight: FloatArray
    load: FloatArray
    pore_force: FloatArray
    cohesion: FloatArray
    tan_phi: FloatArray
    shear_arm: FloatArray
    normal_arm: FloatArray
    centre_x: FloatArray
    centre_y: FloatArray
    radius: FloatArray
    entry_x: FloatArray
    exit_x: FloatArray
    thrust: FloatArray
    thrust_y: FloatArray
    seismic_coefficient: float
    valid: npt.NDArray[np.bool_]

    @property
    def base_length(self) -> FloatArray:
        """Length of the slice base l = b / cos α, in m."""
        return self.width / np.cos(self.alpha)

    def driving_moment(self) -> FloatArray:
        """Clockwise moment of the loads about the axis, kN·m/m.

        Σ (W+Q)(x − x_c) + k_h W (y_c − y_m) + P_w (y_c − y_w): weight and surcharge, the
        seismic force at slice mid-height and the crack water thrust.
        """
        arm_v = self.x - self.centre_x[:, None]
        arm_h = self.centre_y[:, None] - 0.5 * (self.base_y + self.top_y)
        total: FloatArray = np.sum(
            self.load * arm_v + self.seismic_coefficient * self.weight * arm_h, axis=1
        )
        return total + self.thrust * (self.centre_y - self.thrust_y)

    def driving_force(self) -> FloatArray:
        """Horizontal driving force Σ [(W+Q) tan α + k_h W] + P_w of Janbu's method, kN/m."""
        total: FloatArray = np.sum(
            self.load * np.tan(self.alpha) + self.seismic_coefficient * self.weight, axis=1
        )
        return total + self.thrust

    def polyline(self) -> FloatArray:
        """Return the first slip surface as (x, y) points from entry to exit, m."""
        half = 0.5 * self.width[0] * np.tan(self.alpha[0])
        xs = np.concatenate([[self.entry_x[0]], self.x[0], [self.exit_x[0]]])
        ys = np.concatenate(
            [[self.base_y[0, 0] - half[0]], self.base_y[0], [self.base_y[0, -1] + half[-1]]]
        )
        return np.column_stack([xs, ys])


BaseFunction = Callable[[FloatArray], tuple[FloatArray, FloatArray | None]]


def _entry_exit(
    section: Section,
    base: BaseFunction,
    start: FloatArray,
    stop: FloatArray,
    samples: int = 801,
) -> tuple[FloatArray, FloatArray, npt.NDArray[np.bool_]]:
    """Find x of entry and exit of each surface through the ground, and validity.

    The surface must dip below the ground once between ``start`` and ``stop`` (the ends of
    its definition, clipped to the section); entry and exit are the first and last
    crossings, found on ``samples`` points and refined linearly.
    """
    n = start.size
    t = np.linspace(0.0, 1.0, samples)
    xs = start[:, None] + (stop - start)[:, None] * t[None, :]
    y_base, _ = base(xs)
    g = _interp(section.ground, xs) - y_base
    scale = 1e-9 * max(1.0, float(np.ptp(section.ground[:, 1])))
    inside = g > scale
    any_in = inside.any(axis=1)
    first = np.argmax(inside, axis=1)
    last = samples - 1 - np.argmax(inside[:, ::-1], axis=1)
    rows = np.arange(n)
    i0 = np.clip(first - 1, 0, samples - 1)
    i1 = np.clip(last + 1, 0, samples - 1)

    def root(ia: npt.NDArray[np.intp], ib: npt.NDArray[np.intp]) -> FloatArray:
        ga, gb = g[rows, ia], g[rows, ib]
        xa, xb = xs[rows, ia], xs[rows, ib]
        denom = np.where(gb != ga, gb - ga, 1.0)
        return np.asarray(xa - ga * (xb - xa) / denom, dtype=float)

    x_in = root(i0, first)
    x_out = root(last, i1)
    valid = any_in & (first > 0) & (last < samples - 1)
    # one sliding mass: the surface stays below the ground between entry and exit
    between = (xs >= x_in[:, None]) & (xs <= x_out[:, None])
    valid &= ~np.any(between & (g < -scale), axis=1)
    valid &= (x_out - x_in) > 1e-6
    return x_in, x_out, valid


def _crack_end(
    section: Section,
    base: BaseFunction,
    x_in: FloatArray,
    x_out: FloatArray,
    valid: npt.NDArray[np.bool_],
    samples: int = 801,
) -> tuple[FloatArray, npt.NDArray[np.bool_]]:
    """Move the crest end of each surface to where it lies z_c below the ground."""
    z_c = section.tension_crack_depth
    t = np.linspace(0.0, 1.0, samples)
    xs = x_in[:, None] + (x_out - x_in)[:, None] * t[None, :]
    y_base, _ = base(xs)
    depth = _interp(section.ground, xs) - y_base
    deep = depth >= z_c
    reaches = deep.any(axis=1)
    k = samples - 1 - np.argmax(deep[:, ::-1], axis=1)  # last sample at least z_c deep
    k = np.clip(k, 0, samples - 2)
    rows = np.arange(x_in.size)
    da, db = depth[rows, k], depth[rows, k + 1]
    xa, xb = xs[rows, k], xs[rows, k + 1]
    frac = np.where(da != db, (da - z_c) / np.where(da != db, da - db, 1.0), 0.0)
    x_crack = xa + np.clip(frac, 0.0, 1.0) * (xb - xa)
    ok = valid & reaches & (x_crack - x_in > 1e-6)
    return np.where(ok, x_crack, x_out), ok


def _make_slices(
    section: Section,
    base: BaseFunction,
    start: FloatArray,
    stop: FloatArray,
    axis_x: FloatArray | None,
    axis_y: FloatArray | None,
    radius: FloatArray,
    n_slices: int,
    strict: bool,
    describe: Callable[[int], str],
) -> Slices:
    """Cut the mass above ``base`` into equal-width slices; the common part of both kinds."""
    if n_slices < 5:
        raise ValueError(f"n_slices must be >= 5, got {n_slices}")
    x_in, x_out, valid = _entry_exit(section, base, start, stop)
    if strict and not np.all(valid):
        k = int(np.argmin(valid))
        raise ValueError(
            f"slip surface {describe(k)} does not cut the ground inside the section "
            f"x in {section.x_range} m as one sliding mass"
        )
    x_in = np.where(valid, x_in, start)
    x_out = np.where(valid, x_out, np.maximum(stop, start + 1e-3))
    thrust = np.zeros_like(x_in)
    thrust_y = np.zeros_like(x_in)
    if section.tension_crack_depth > 0:
        x_end, crack_ok = _crack_end(section, base, x_in, x_out, valid)
        if strict and not np.all(crack_ok):
            k = int(np.argmin(crack_ok))
            raise ValueError(
                f"slip surface {describe(k)} never lies tension_crack_depth = "
                f"{section.tension_crack_depth} m below the ground: no room for the crack"
            )
        valid = crack_ok
        x_out = x_end
        y_end, _ = base(x_out[:, None])
        z_w = section.crack_water_depth
        thrust = np.full_like(x_in, 0.5 * WATER_UNIT_WEIGHT * z_w**2)
        thrust_y = y_end[:, 0] + z_w / 3.0
    b = (x_out - x_in) / n_slices
    edges = x_in[:, None] + b[:, None] * np.arange(n_slices + 1)
    xm = 0.5 * (edges[:, 1:] + edges[:, :-1])
    width = np.broadcast_to(b[:, None], xm.shape).copy()
    y_mid, tangent = base(xm)
    if tangent is None:  # polyline: the chord of the surface across each slice
        y_edges, _ = base(edges)
        alpha = np.arctan((y_edges[:, 1:] - y_edges[:, :-1]) / width)
        base_y = 0.5 * (y_edges[:, 1:] + y_edges[:, :-1])
    else:
        alpha, base_y = tangent, y_mid
    top = np.maximum(_interp(section.ground, xm), base_y)

    # Layer boundaries B_0 = ground ≥ B_1 ≥ … ≥ B_L = −∞; layer k spans [B_{k+1}, B_k].
    bounds = [top]
    for layer in section.layers[:-1]:
        assert layer.bottom is not None
        bounds.append(np.minimum(_interp(layer.bottom, xm), bounds[-1]))
    bounds.append(np.full_like(xm, -np.inf))
    weight = np.zeros_like(xm)
    cohesion = np.zeros_like(xm)
    tan_phi = np.zeros_like(xm)
    for k, layer in enumerate(section.layers):
        upper, lower = bounds[k], bounds[k + 1]
        thick = np.clip(upper - np.maximum(lower, base_y), 0.0, None)
        weight += layer.unit_weight * thick * width
        at_base = (base_y <= upper) & (base_y > lower)
        cohesion = np.where(at_base, layer.cohesion, cohesion)
        tan_phi = np.where(at_base, np.tan(np.radians(layer.friction_angle)), tan_phi)

    length = width / np.cos(alpha)
    if section.piezometric_line is not None:
        u = WATER_UNIT_WEIGHT * np.clip(_interp(section.piezometric_line, xm) - base_y, 0.0, None)
    else:
        u = section.pore_pressure_ratio * weight / width
    s0, s1 = section.surcharge_range
    loaded = (xm >= s0) & (xm <= s1)
    load = weight + np.where(loaded, section.surcharge * width, 0.0)
    if axis_x is None or axis_y is None:
        axis_x, axis_y = _default_axis(x_in, x_out, base)
    dx, dy = xm - axis_x[:, None], base_y - axis_y[:, None]
    sin_a, cos_a = np.sin(alpha), np.cos(alpha)
    return Slices(
        width=width,
        x=xm,
        base_y=base_y,
        top_y=top,
        alpha=alpha,
        weight=weight,
        load=load,
        pore_force=u * length,
        cohesion=cohesion,
        tan_phi=tan_phi,
        shear_arm=dx * sin_a - dy * cos_a,
        normal_arm=dx * cos_a + dy * sin_a,
        centre_x=axis_x,
        centre_y=axis_y,
        radius=radius,
        entry_x=x_in,
        exit_x=x_out,
        thrust=thrust,
        thrust_y=thrust_y,
        seismic_coefficient=section.seismic_coefficient,
        valid=valid,
    )


def _default_axis(
    x_in: FloatArray, x_out: FloatArray, base: BaseFunction
) -> tuple[FloatArray, FloatArray]:
    """Moment axis of a polyline: centre of the circle through its ends and its mid-x point.

    When the three points are (nearly) collinear — a planar surface — the axis is put on
    the perpendicular bisector of the chord, one chord length above it.
    """
    xm = 0.5 * (x_in + x_out)
    pts = np.stack([x_in, xm, x_out], axis=1)
    ys, _ = base(pts)
    (ax, bx, cx), (ay, by, cy) = pts.T, ys.T
    d = 2.0 * (ax * (by - cy) + bx * (cy - ay) + cx * (ay - by))
    a2, b2, c2 = ax**2 + ay**2, bx**2 + by**2, cx**2 + cy**2
    chord = np.hypot(cx - ax, cy - ay)
    safe = np.abs(d) > 1e-6 * chord**2
    dd = np.where(safe, d, 1.0)
    ux = (a2 * (by - cy) + b2 * (cy - ay) + c2 * (ay - by)) / dd
    uy = (a2 * (cx - bx) + b2 * (ax - cx) + c2 * (bx - ax)) / dd
    # fallback: one chord length above the chord's midpoint, on its normal
    nx, ny = -(cy - ay) / np.maximum(chord, 1e-12), (cx - ax) / np.maximum(chord, 1e-12)
    fx = 0.5 * (ax + cx) + nx * chord
    fy = 0.5 * (ay + cy) + ny * chord
    return np.where(safe, ux, fx), np.where(safe, uy, fy)


def slice_circle(
    section: Section,
    centre_x: npt.ArrayLike,
    centre_y: npt.ArrayLike,
    radius: npt.ArrayLike,
    n_slices: int = 50,
    *,
    strict: bool = True,
) -> Slices:
    """Cut the sliding mass above one or many circular slip surfaces into vertical slices.

    Parameters
    ----------
    section : Section
        The slope section.
    centre_x, centre_y : float or array_like
        Centre of the slip circle(s). [m]
    radius : float or array_like
        Radius of the slip circle(s). [m]
    n_slices : int
        Number of slices of equal width between entry and exit, at least 5. [-]
    strict : bool
        Raise when a circle does not cut the ground inside the section; otherwise mark it
        invalid (``Slices.valid``), as the grid search does.

    Returns
    -------
    Slices
        Arrays of shape (n_circles, n_slices).

    Raises
    ------
    ValueError
        If ``radius`` is not positive, ``n_slices < 5``, or (``strict``) a circle does not
        cut the ground or leaves the section (the sliding mass must lie between the ends of
        the ground polyline), or does not reach the tension crack depth.

    Examples
    --------
    >>> sec = Section([(0, 0), (10, 0), (20, 5), (40, 5)], [SoilLayer(3.0, 19.6, 20.0)])
    >>> s = slice_circle(sec, 15.0, 15.0, 16.0, n_slices=10)
    >>> s.width.shape
    (1, 10)
    """
    xc, yc, r = (
        np.atleast_1d(np.asarray(v, dtype=float)).ravel() for v in (centre_x, centre_y, radius)
    )
    xc, yc, r = (np.array(v, dtype=float) for v in np.broadcast_arrays(xc, yc, r))
    if np.any(~np.isfinite(r)) or np.any(r <= 0):
        raise ValueError(f"radius must be > 0 m, got {r.tolist()}")

    def base(xs: FloatArray) -> tuple[FloatArray, FloatArray | None]:
        rr = r.reshape((-1,) + (1,) * (xs.ndim - 1))
        dx = np.clip((xs - xc.reshape(rr.shape)) / rr, -1.0, 1.0)
        return yc.reshape(rr.shape) - rr * np.sqrt(1.0 - dx**2), np.arcsin(dx)

    lo, hi = section.x_range
    start = np.maximum(xc - r, lo)
    stop = np.maximum(np.minimum(xc + r, hi), start)
    return _make_slices(
        section,
        base,
        start,
        stop,
        xc,
        yc,
        r,
        n_slices,
        strict,
        lambda k: f"(x_c={xc[k]}, y_c={yc[k]}, R={r[k]}) m",
    )


def _batch_interp(px: FloatArray, py: FloatArray, xs: FloatArray) -> FloatArray:
    """Row-wise linear interpolation of polylines (n, m) at points (n, k), flat outside."""
    m = px.shape[1]
    idx = np.zeros(xs.shape, dtype=np.intp)
    for j in range(1, m - 1):
        idx += xs >= px[:, j : j + 1]
    x0 = np.take_along_axis(px, idx, axis=1)
    x1 = np.take_along_axis(px, idx + 1, axis=1)
    y0 = np.take_along_axis(py, idx, axis=1)
    y1 = np.take_along_axis(py, idx + 1, axis=1)
    t = np.clip((xs - x0) / (x1 - x0), 0.0, 1.0)
    out: FloatArray = y0 + t * (y1 - y0)
    return out


def slice_surface(
    section: Section,
    points: npt.ArrayLike,
    n_slices: int = 50,
    *,
    axis: tuple[float, float] | None = None,
    strict: bool = True,
) -> Slices:
    """Cut the sliding mass above one or many non-circular (polyline) slip surfaces.

    The surface is a polyline with x strictly increasing; its ends must lie at or above
    the ground so that it enters at the toe side and leaves at the crest side. Each slice's
    base is the chord of the polyline across the slice. Moments (Ordinary, Bishop and the
    moment equation of Spencer / Morgenstern–Price) are taken about ``axis``; for the last
    two F does not depend on it, for the first two it does (as in SLOPE/W).

    Parameters
    ----------
    section : Section
        The slope section.
    points : array_like, shape (m, 2) or (n_surfaces, m, 2)
        Vertices (x, y) of the slip surface(s), at least two each. [m]
    n_slices : int
        Number of slices of equal width between entry and exit, at least 5. [-]
    axis : (float, float) or None
        Moment axis (x, y); default the centre of the circle through the surface's entry,
        exit and its point midway between them in x. [m]
    strict : bool
        Raise when a surface does not cut the ground inside the section as one sliding mass;
        otherwise mark it invalid (``Slices.valid``).

    Returns
    -------
    Slices
        Arrays of shape (n_surfaces, n_slices); ``radius`` is NaN.

    Raises
    ------
    ValueError
        If the points are not (x, y) pairs with x strictly increasing, ``n_slices < 5``, or
        (``strict``) the surface does not cut the ground, rises above it between entry and
        exit, leaves the section, or does not reach the tension crack depth.

    Examples
    --------
    A planar surface from the toe (30, 25) of ACADS 1(a) to (60, 35) behind its crest:

    >>> sec = Section([(20, 25), (30, 25), (50, 35), (70, 35)], [SoilLayer(3.0, 19.6, 20.0)])
    >>> s = slice_surface(sec, [(30, 25), (60, 35)], n_slices=10)
    >>> float(np.degrees(s.alpha[0, 0])).__round__(2), s.x.shape
    (18.43, (1, 10))
    """
    arr = np.asarray(points, dtype=float)
    if arr.ndim == 2:
        arr = arr[None]
    if arr.ndim != 3 or arr.shape[2] != 2 or arr.shape[1] < 2:
        raise ValueError(
            "points must be (m, 2) or (n_surfaces, m, 2) (x, y) vertices with m >= 2 [m], "
            f"got shape {np.shape(points)}"
        )
    if not np.all(np.isfinite(arr)):
        raise ValueError("points must hold finite coordinates [m]")
    if np.any(np.diff(arr[:, :, 0], axis=1) <= 0):
        k = int(np.argmax(np.any(np.diff(arr[:, :, 0], axis=1) <= 0, axis=1)))
        raise ValueError(
            "points x coordinates must increase strictly along each surface [m], got "
            f"{arr[k, :, 0].tolist()}"
        )
    px, py = arr[:, :, 0], arr[:, :, 1]

    def base(xs: FloatArray) -> tuple[FloatArray, FloatArray | None]:
        flat = xs.reshape(xs.shape[0], -1)
        return _batch_interp(px, py, flat).reshape(xs.shape), None

    lo, hi = section.x_range
    start = np.maximum(px[:, 0], lo)
    stop = np.maximum(np.minimum(px[:, -1], hi), start)
    outside = (px[:, 0] < lo - 1e-9) | (px[:, -1] > hi + 1e-9)
    if strict and np.any(outside):
        k = int(np.argmax(outside))
        raise ValueError(
            f"slip surface {k} spans x in [{px[k, 0]}, {px[k, -1]}] m, outside the section "
            f"x in {section.x_range} m"
        )
    n = px.shape[0]
    ax = ay = None
    if axis is not None:
        ax, ay = np.full(n, float(axis[0])), np.full(n, float(axis[1]))
    slices = _make_slices(
        section,
        base,
        start,
        stop,
        ax,
        ay,
        np.full(n, np.nan),
        n_slices,
        strict,
        lambda k: f"{k} (from x = {px[k, 0]} to {px[k, -1]} m)",
    )
    if np.any(outside):
        slices.valid[outside] = False
    return slices


def ordinary_factor(slices: Slices) -> FloatArray:
    r"""Factor of safety by the Ordinary (Fellenius) method, one per circle.

    .. math:: F = \frac{\sum [c' l + N' \tan φ'] a_s}
                       {\sum [W(x - x_c) + k_h W (y_c - y_m)] - \sum N a_n},\qquad
              N' = W\cos α - k_h W \sin α - u l

    Interslice forces are ignored (Fellenius 1936); the effective normal force is not
    clipped at zero. On a circle the shear arm a_s is R and the normal arm a_n is 0, the
    classical form; on a polyline moments are about the axis of :func:`slice_surface`.

    Parameters
    ----------
    slices : Slices
        Slices of one or many circles from :func:`slice_circle`.

    Returns
    -------
    ndarray
        F, factor of safety of each circle, shape (n_circles,). [-]

    Examples
    --------
    >>> sec = Section([(20, 25), (30, 25), (50, 35), (70, 35)], [SoilLayer(3.0, 19.6, 20.0)])
    >>> ordinary_factor(slice_circle(sec, 30.0, 52.5, 27.5)).round(3)
    array([0.948])
    """
    s = slices
    normal = s.load * np.cos(s.alpha) - s.seismic_coefficient * s.weight * np.sin(s.alpha)
    strength = s.cohesion * s.base_length + (normal - s.pore_force) * s.tan_phi
    resisting = np.sum(strength * s.shear_arm, axis=1)
    factor: FloatArray = resisting / (s.driving_moment() - np.sum(normal * s.normal_arm, axis=1))
    return factor


def _bishop_terms(s: Slices, f: FloatArray) -> FloatArray:
    """Bishop terms T = [c' b + (W − u b) tan φ'] / m_α, m_α = cos α + sin α tan φ'/F, kN/m."""
    m_alpha = np.cos(s.alpha) + np.sin(s.alpha) * s.tan_phi / f[:, None]
    u_b = s.pore_force * np.cos(s.alpha)
    terms: FloatArray = (s.cohesion * s.width + (s.load - u_b) * s.tan_phi) / m_alpha
    return terms


def _iterate(
    f0: FloatArray, step: Callable[[npt.NDArray[np.intp], FloatArray], FloatArray]
) -> tuple[FloatArray, npt.NDArray[np.bool_]]:
    """Fixed-point iteration F ← step(rows, F) on the rows not yet converged.

    Returns F and whether each row converged (relative change ≤ 1e-9).
    """
    f = f0.copy()
    done = np.zeros(f.shape, dtype=bool)
    active = np.arange(f.size)
    for _ in range(_MAX_ITER):
        f_new = np.asarray(step(active, f[active]), dtype=float)
        f_new = np.where(np.isfinite(f_new) & (f_new > 0.0), f_new, np.nan)
        conv = np.isnan(f_new) | (np.abs(f_new - f[active]) <= _ITER_TOL * np.abs(f_new))
        f[active] = f_new
        done[active[conv & ~np.isnan(f_new)]] = True
        active = active[~conv]
        if active.size == 0:
            break
    return f, done


class _BishopTerms:
    """Per-slice constants of Bishop's and Janbu's iterations, computed once."""

    def __init__(self, s: Slices) -> None:
        self.cos = np.cos(s.alpha)
        self.sin = np.sin(s.alpha)
        self.tan_phi = s.tan_phi
        u_b = s.pore_force * self.cos
        # numerator c' b + (W − u b) tan φ'; N' m_α = W − u b − c' b tan α / F
        self.strength = s.cohesion * s.width + (s.load - u_b) * s.tan_phi
        self.vertical = s.load - u_b
        self.cohesion_lift = s.cohesion * s.width * self.sin / self.cos
        self.pore_force = s.pore_force

    def m_alpha(self, rows: npt.NDArray[np.intp], f: FloatArray) -> FloatArray:
        m: FloatArray = self.cos[rows] + self.sin[rows] * self.tan_phi[rows] / f[:, None]
        return m

    def start(self, s: Slices) -> FloatArray:
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            f = ordinary_factor(s)
        return np.where(np.isfinite(f) & (f > 0.05), f, 1.0)

    def admissible(self, f: FloatArray) -> npt.NDArray[np.bool_]:
        """m_α > 0 on every slice at the converged F (the normal force keeps its sign)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            m = self.cos + self.sin * self.tan_phi / f[:, None]
        ok: npt.NDArray[np.bool_] = np.min(m, axis=1) > 0.0
        return ok


def bishop_factor(slices: Slices) -> FloatArray:
    r"""Factor of safety by Bishop's simplified method, one per circle (vectorised).

    Moment equilibrium about the centre, interslice shear neglected:

    .. math:: F = \frac{R\sum [c' b + (W - u b)\tan φ'] / m_α}
                       {\sum [W(x - x_c) + k_h W (y_c - y_m)]},\qquad
              m_α = \cos α + \sin α \tan φ' / F

    (Bishop 1955), solved by fixed-point iteration from the Ordinary factor for all circles
    at once. Circles that do not converge, or where m_α ≤ 0 on a slice (steep exit), get NaN.
    On a polyline the moment of the base normal forces about the axis, Σ N a_n with
    N = N' + u l from the vertical equilibrium of each slice, is subtracted from the driving
    moment and the numerator's terms are multiplied by the shear arm a_s instead of R.

    Parameters
    ----------
    slices : Slices
        Slices of one or many circles from :func:`slice_circle`.

    Returns
    -------
    ndarray
        F, factor of safety of each circle, shape (n_circles,). [-]

    Examples
    --------
    ACADS 1(a), the critical circle (Slide2 Bishop 0.987):

    >>> sec = Section([(20, 25), (30, 25), (50, 35), (70, 35)], [SoilLayer(3.0, 19.6, 20.0)])
    >>> bishop_factor(slice_circle(sec, [30.0, 35.0], [52.5, 50.0], [27.5, 25.0])).round(3)
    array([0.985, 1.096])
    """
    s = slices
    t = _BishopTerms(s)
    driving = s.driving_moment()
    circular = bool(np.all(np.isfinite(s.radius)))

    def step(rows: npt.NDArray[np.intp], f: FloatArray) -> FloatArray:
        m = t.m_alpha(rows, f)
        resisting = np.sum(t.strength[rows] / m * s.shear_arm[rows], axis=1)
        if circular:  # normal forces pass through the centre
            on_circle: FloatArray = resisting / driving[rows]
            return on_circle
        normal = (t.vertical[rows] - t.cohesion_lift[rows] / f[:, None]) / m
        moment_n = np.sum((normal + t.pore_force[rows]) * s.normal_arm[rows], axis=1)
        general: FloatArray = resisting / (driving[rows] - moment_n)
        return general

    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        f, done = _iterate(t.start(s), step)
        ok = done & t.admissible(f)
    return np.where(ok, f, np.nan)


def janbu_factor(slices: Slices) -> FloatArray:
    r"""Factor of safety by Janbu's simplified method, **uncorrected** (no f_0 factor).

    Horizontal force equilibrium, interslice shear neglected:

    .. math:: F = \frac{\sum [c' b + (W - u b)\tan φ'] / (m_α \cos α)}
                       {\sum [W \tan α + k_h W]}

    The uncorrected value is returned: Janbu's empirical correction factor f_0 (about
    1.0–1.1 for this shape) is not applied, so F is usually below Bishop's.

    Parameters
    ----------
    slices : Slices
        Slices of one or many circles from :func:`slice_circle`.

    Returns
    -------
    ndarray
        F, uncorrected factor of safety of each circle, shape (n_circles,). [-]

    Examples
    --------
    >>> sec = Section([(20, 25), (30, 25), (50, 35), (70, 35)], [SoilLayer(3.0, 19.6, 20.0)])
    >>> janbu_factor(slice_circle(sec, 30.0, 52.5, 27.5)).round(3)
    array([0.943])
    """
    s = slices
    t = _BishopTerms(s)
    driving = s.driving_force()

    def step(rows: npt.NDArray[np.intp], f: FloatArray) -> FloatArray:
        m = t.m_alpha(rows, f)
        value: FloatArray = np.sum(t.strength[rows] / (m * t.cos[rows]), axis=1) / driving[rows]
        return value

    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        f, done = _iterate(t.start(s), step)
        ok = done & t.admissible(f)
    return np.where(ok, f, np.nan)


class _GleTerms:
    """Per-slice constants of the Spencer / Morgenstern–Price sweep, computed once."""

    def __init__(self, s: Slices, shape: FloatArray) -> None:
        self.sin = np.sin(s.alpha)
        self.cos = np.cos(s.alpha)
        self.cl = s.cohesion * s.width / self.cos
        self.tan_phi = s.tan_phi
        self.pore = s.pore_force
        self.seismic = s.seismic_coefficient * s.weight
        self.load = s.load
        self.thrust = s.thrust
        self.shear_arm = s.shear_arm
        self.normal_arm = s.normal_arm
        self.driving = s.driving_moment()
        self.scale = np.sum(s.load, axis=1)
        self.length = np.maximum(s.exit_x - s.entry_x, 1e-9)
        self.shape = shape
        self.last_effective_normal = np.empty((0, 0))

    def residuals(
        self, rows: npt.NDArray[np.intp], f: FloatArray, lam: FloatArray
    ) -> tuple[FloatArray, FloatArray]:
        """Force (E_n) and moment residuals of the given surfaces, scaled by Σ W."""
        sa, ca, cl, tp = self.sin[rows], self.cos[rows], self.cl[rows], self.tan_phi[rows]
        big_u, kw, wt = self.pore[rows], self.seismic[rows], self.load[rows]
        n_slices = sa.shape[1]
        e_left = np.zeros_like(f)
        x_left = np.zeros_like(f)
        shear = np.empty_like(sa)
        normal = np.empty_like(sa)
        for i in range(n_slices):
            coef_a = -sa[:, i] + tp[:, i] * ca[:, i] / f
            e0 = e_left - kw[:, i] - big_u[:, i] * sa[:, i] + cl[:, i] * ca[:, i] / f
            if i == n_slices - 1:
                e0 = e0 - self.thrust[rows]
            lf = lam * self.shape[i + 1]
            n_eff = (
                wt[:, i] - x_left + lf * e0 - big_u[:, i] * ca[:, i] - cl[:, i] * sa[:, i] / f
            ) / (ca[:, i] + tp[:, i] * sa[:, i] / f - lf * coef_a)
            shear[:, i] = (cl[:, i] + n_eff * tp[:, i]) / f
            normal[:, i] = n_eff + big_u[:, i]
            e_left = e0 + coef_a * n_eff
            x_left = lf * e_left
        moment = (
            np.sum(shear * self.shear_arm[rows], axis=1)
            + np.sum(normal * self.normal_arm[rows], axis=1)
            - self.driving[rows]
        )
        scale = self.scale[rows]
        self.last_effective_normal = normal - big_u
        return e_left / scale, moment / (scale * self.length[rows])


def _interslice_shape(n_slices: int, shape_of: Literal["constant", "half_sine"]) -> FloatArray:
    """Interslice function f(x) on the n + 1 slice boundaries."""
    if shape_of == "constant":
        return np.ones(n_slices + 1)
    shape: FloatArray = np.sin(np.pi * np.linspace(0.0, 1.0, n_slices + 1))
    return shape


def _gle_factor(
    s: Slices, shape_of: Literal["constant", "half_sine"], retry: bool = True
) -> tuple[FloatArray, FloatArray]:
    """Solve force and moment equilibrium for (F, λ) of every surface.

    Damped Newton iterations with a forward-difference Jacobian run on all unconverged
    surfaces at once, started from Bishop's F and λ = 0; when only a few surfaces fail,
    they are retried one by one with scipy.optimize.root from several starting λ.
    """
    n_surf, n = s.alpha.shape
    t = _GleTerms(s, _interslice_shape(n, shape_of))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        f = bishop_factor(s)
        f = np.where(np.isfinite(f) & (f > 0.05), f, 1.0)
        lam = np.zeros(n_surf)
        good = np.zeros(n_surf, dtype=bool)
        active = np.nonzero(s.valid)[0]
        for _ in range(40):
            if active.size == 0:
                break
            fa, la = f[active], lam[active]
            r0, r1 = t.residuals(active, fa, la)
            finite = np.isfinite(r0) & np.isfinite(r1)
            conv = finite & (np.abs(r0) < 1e-11) & (np.abs(r1) < 1e-11)
            good[active[conv]] = True
            keep = finite & ~conv
            active, fa, la, r0, r1 = active[keep], fa[keep], la[keep], r0[keep], r1[keep]
            if active.size == 0:
                break
            hf = 1e-7 * np.maximum(fa, 1.0)
            hl = 1e-7
            a0, a1 = t.residuals(active, fa + hf, la)
            b0, b1 = t.residuals(active, fa, la + hl)
            j00, j10 = (a0 - r0) / hf, (a1 - r1) / hf
            j01, j11 = (b0 - r0) / hl, (b1 - r1) / hl
            det = j00 * j11 - j01 * j10
            df = -(j11 * r0 - j01 * r1) / det
            dl = -(-j10 * r0 + j00 * r1) / det
            damp = np.maximum(1.0, np.maximum(np.abs(df) / (0.3 * fa), np.abs(dl) / 0.3))
            ok = np.isfinite(df) & np.isfinite(dl)
            f[active] = np.where(ok, fa + df / damp, fa)
            lam[active] = np.where(ok, la + dl / damp, la)
            f[active] = np.where(f[active] > 1e-3, f[active], 1e-3)
            active = active[ok]
        rows = np.nonzero(good)[0]
        if rows.size:
            r0, r1 = t.residuals(rows, f[rows], lam[rows])
            good[rows] = (np.abs(r0) < 1e-8) & (np.abs(r1) < 1e-8) & (f[rows] > 0)
    factors = np.where(good, f, np.nan)
    lambdas = np.where(good, lam, np.nan)
    failed = np.nonzero(~good & s.valid)[0]
    if not retry or failed.size > _MAX_RETRIES:  # a search batch: no root, skipped
        return factors, lambdas
    for row in failed:
        one = np.array([row])
        f0 = float(f[row]) if np.isfinite(f[row]) and f[row] > 0.05 else 1.0
        for lam0 in (0.0, 0.2, -0.2, 0.5):
            sol = optimize.root(
                lambda v, one=one: np.concatenate(t.residuals(one, v[:1], v[1:])),
                x0=[f0, lam0],
                method="hybr",
                options={"xtol": 1e-12},
            )
            # a thin sliver leaves λ undetermined: hybr then reports no progress although the
            # residuals vanish, so the residuals decide
            if sol.x[0] > 0 and np.max(np.abs(sol.fun)) < 1e-8:
                factors[row], lambdas[row] = sol.x
                break
    return factors, lambdas


def effective_normal_force(
    slices: Slices,
    factor: npt.ArrayLike,
    interslice_ratio: npt.ArrayLike = 0.0,
    interslice_function: Literal["constant", "half_sine"] = "constant",
) -> FloatArray:
    """Effective normal force N' on each slice base at a given F and λ, kN/m.

    From the vertical and horizontal equilibrium of each slice swept from the toe, as in
    :func:`spencer_factor`; with λ = 0 it is the N' of Bishop's and Janbu's methods. A
    negative N' means the solution needs tension across the base — such a solution is not
    physically admissible and the surface searches reject it.

    Parameters
    ----------
    slices : Slices
        Slices of one or many surfaces.
    factor : float or array_like
        F of each surface. [-]
    interslice_ratio : float or array_like
        λ of each surface. [-]
    interslice_function : {"constant", "half_sine"}
        f(x) of the interslice forces X = λ f(x) E (Spencer, Morgenstern–Price).

    Returns
    -------
    ndarray
        N', shape (n_surfaces, n_slices). [kN/m]

    Raises
    ------
    ValueError
        If a factor is not positive.

    Examples
    --------
    >>> sec = Section([(20, 25), (30, 25), (50, 35), (70, 35)], [SoilLayer(3.0, 19.6, 20.0)])
    >>> s = slice_circle(sec, 30.0, 52.5, 27.5)
    >>> f, lam = spencer_factor(s)
    >>> bool(effective_normal_force(s, f, lam).min() > 0)
    True
    """
    n_surf, n = slices.alpha.shape
    f = np.broadcast_to(np.asarray(factor, dtype=float), (n_surf,)).copy()
    lam = np.broadcast_to(np.asarray(interslice_ratio, dtype=float), (n_surf,)).copy()
    if np.any(~(f > 0)):
        raise ValueError(f"factor must be > 0, got {f.tolist()}")
    terms = _GleTerms(slices, _interslice_shape(n, interslice_function))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        terms.residuals(np.arange(n_surf), f, lam)
    return terms.last_effective_normal


def spencer_factor(slices: Slices, *, retry: bool = True) -> tuple[FloatArray, FloatArray]:
    r"""Factor of safety by Spencer's method (parallel interslice forces), per circle.

    Interslice shear X = λ E on every boundary. Slice by slice from the toe, the vertical
    and horizontal equilibrium of each slice give N' and the next E; F and λ are the
    root (scipy.optimize.root, hybrid Powell, started from Bishop's F and λ = 0) of the
    two residuals: the interslice force E_n left at the crest end and the moment
    R ΣS − Σ[W(x − x_c) + k_h W (y_c − y_m)] about the centre.

    Per slice i (movement towards −x, X = λ f E):

    .. math:: E_i = E_{i-1} - k_h W - (N' + u l)\sin α + S \cos α,\qquad
              X_{i-1} - X_i - (W + Q) + (N' + u l)\cos α + S \sin α = 0,\qquad
              S = (c' l + N' \tan φ')/F

    Parameters
    ----------
    slices : Slices
        Slices of one or many circles from :func:`slice_circle`.
    retry : bool
        Retry surfaces where the batched Newton solve fails one by one with
        scipy.optimize.root from several starting λ (only when at most 16 fail).

    Returns
    -------
    tuple of ndarray
        F, factor of safety [-], and λ, interslice force ratio X/E [-], each of shape
        (n_circles,); NaN where no root is found.

    Examples
    --------
    >>> sec = Section([(20, 25), (30, 25), (50, 35), (70, 35)], [SoilLayer(3.0, 19.6, 20.0)])
    >>> f, lam = spencer_factor(slice_circle(sec, 30.0, 52.5, 27.5))
    >>> f.round(3), lam.round(2)
    (array([0.984]), array([0.43]))
    """
    return _gle_factor(slices, "constant", retry)


def morgenstern_price_factor(
    slices: Slices, *, retry: bool = True
) -> tuple[FloatArray, FloatArray]:
    r"""Factor of safety by Morgenstern–Price with a half-sine interslice function.

    X = λ f(x) E with f(x) = sin(π (x − x_entry)/(x_exit − x_entry)); solved as in
    :func:`spencer_factor`.

    Parameters
    ----------
    slices : Slices
        Slices of one or many circles from :func:`slice_circle`.
    retry : bool
        Retry surfaces where the batched Newton solve fails one by one with
        scipy.optimize.root from several starting λ (only when at most 16 fail).

    Returns
    -------
    tuple of ndarray
        F, factor of safety [-], and λ, scale of the interslice function [-], each of
        shape (n_circles,); NaN where no root is found.

    Examples
    --------
    >>> sec = Section([(20, 25), (30, 25), (50, 35), (70, 35)], [SoilLayer(3.0, 19.6, 20.0)])
    >>> morgenstern_price_factor(slice_circle(sec, 30.0, 52.5, 27.5))[0].round(3)
    array([0.984])
    """
    return _gle_factor(slices, "half_sine", retry)


def factor_of_safety(
    section: Section,
    centre_x: float,
    centre_y: float,
    radius: float,
    method: Method = "bishop",
    n_slices: int = 50,
) -> float:
    """Factor of safety of one circular slip surface by the chosen method.

    Parameters
    ----------
    section : Section
        The slope section.
    centre_x, centre_y : float
        Centre of the slip circle. [m]
    radius : float
        Radius of the slip circle. [m]
    method : {"ordinary", "bishop", "janbu", "spencer", "morgenstern_price"}
        Limit-equilibrium method; "janbu" is Janbu simplified without correction factor.
    n_slices : int
        Number of slices. [-]

    Returns
    -------
    float
        F, factor of safety. [-]

    Raises
    ------
    ValueError
        If the method is unknown, the circle is outside the section, or the iteration
        does not converge.

    Examples
    --------
    ACADS 1(a) slope, circle through the toe:

    >>> sec = Section([(20, 25), (30, 25), (50, 35), (70, 35)], [SoilLayer(3.0, 19.6, 20.0)])
    >>> round(factor_of_safety(sec, 30.0, 52.5, 27.5, "bishop"), 3)
    0.985
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    s = slice_circle(section, centre_x, centre_y, radius, n_slices)
    if method == "ordinary":
        f = ordinary_factor(s)
    elif method == "bishop":
        f = bishop_factor(s)
    elif method == "janbu":
        f = janbu_factor(s)
    elif method == "spencer":
        f = spencer_factor(s)[0]
    else:
        f = morgenstern_price_factor(s)[0]
    value = float(f[0])
    if not np.isfinite(value) or value <= 0:
        raise ValueError(
            f"{method} found no factor of safety for this circle (got F = {value}): the "
            "iteration did not converge or no (F, λ) satisfies both equilibria"
        )
    return value


def factors_of_safety(
    slices: Slices, methods: Sequence[Method] = METHODS, *, retry: bool = True
) -> tuple[dict[str, FloatArray], dict[str, FloatArray]]:
    """Factors of safety of every surface by each of the given methods.

    Parameters
    ----------
    slices : Slices
        Slices of one or many surfaces from :func:`slice_circle` or :func:`slice_surface`.
    methods : sequence of {"ordinary", "bishop", "janbu", "spencer", "morgenstern_price"}
        Methods to run.
    retry : bool
        Retry surfaces where Spencer / Morgenstern–Price's batched Newton solve fails one by
        one with scipy.optimize.root (slow; searches switch it off).

    Returns
    -------
    tuple of dict
        F by method, arrays of shape (n_surfaces,) [-]; λ of Spencer and
        Morgenstern–Price [-]. NaN where a method finds no factor of safety.

    Raises
    ------
    ValueError
        If a method name is unknown.

    Examples
    --------
    >>> sec = Section([(20, 25), (30, 25), (50, 35), (70, 35)], [SoilLayer(3.0, 19.6, 20.0)])
    >>> f, lam = factors_of_safety(slice_circle(sec, 30.0, 52.5, 27.5), ("bishop", "spencer"))
    >>> {k: v.round(3).tolist() for k, v in f.items()}
    {'bishop': [0.985], 'spencer': [0.984]}
    """
    unknown = [m for m in methods if m not in METHODS]
    if unknown:
        raise ValueError(f"methods must be among {METHODS}, got {unknown}")
    factors: dict[str, FloatArray] = {}
    lambdas: dict[str, FloatArray] = {}
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        for method in methods:
            if method == "ordinary":
                factors[method] = ordinary_factor(slices)
            elif method == "bishop":
                factors[method] = bishop_factor(slices)
            elif method == "janbu":
                factors[method] = janbu_factor(slices)
            else:
                solve = spencer_factor if method == "spencer" else morgenstern_price_factor
                factors[method], lambdas[method] = solve(slices, retry=retry)
    for name, f in factors.items():
        factors[name] = np.where(slices.valid & np.isfinite(f) & (f > 0), f, np.nan)
    return factors, lambdas


@dataclass(frozen=True)
class CriticalCircle:
    """Result of the critical-circle search.

    ``centre_x``, ``centre_y``, ``radius`` [m] of the circle with the least Bishop factor;
    ``factors`` maps each method name to its F [-] on that circle; ``lambdas`` the λ [-]
    of Spencer and Morgenstern–Price; ``n_evaluated`` circles evaluated in the grid [-].
    """

    centre_x: float
    centre_y: float
    radius: float
    factors: dict[str, float]
    lambdas: dict[str, float]
    n_evaluated: int


def critical_circle(
    section: Section,
    centre_x: npt.ArrayLike,
    centre_y: npt.ArrayLike,
    radius: npt.ArrayLike,
    n_slices: int = 50,
    *,
    refine: bool = True,
) -> CriticalCircle:
    """Search the circular slip surface of least Bishop factor, then report every method.

    All combinations of the given centre x, centre y and radius values are evaluated at
    once with :func:`bishop_factor` on ``(n_circles, n_slices)`` arrays (circles that do
    not cut the ground inside the section are skipped); the best grid circle is refined by
    Nelder–Mead (scipy.optimize.minimize) in (x_c, y_c, y_c − R), the centre and the
    elevation of the circle's lowest point (as xslope's tangent-line search), which keeps
    the valley of circles through the toe along a coordinate axis; it starts from each of
    the best two grid circles (one start can stop early in that narrow valley).

    Parameters
    ----------
    section : Section
        The slope section.
    centre_x, centre_y : array_like
        Grid values of the centre coordinates. [m]
    radius : array_like
        Grid values of the radius. [m]
    n_slices : int
        Number of slices. [-]
    refine : bool
        Refine the best grid circle with Nelder–Mead.

    Returns
    -------
    CriticalCircle

    Raises
    ------
    ValueError
        If no circle of the grid cuts the ground inside the section.

    Examples
    --------
    ACADS 1(a) (reference 1.00; Slide2 Bishop 0.987):

    >>> sec = Section([(20, 25), (30, 25), (50, 35), (70, 35)], [SoilLayer(3.0, 19.6, 20.0)])
    >>> grid = np.linspace(25, 50, 6), np.linspace(35, 60, 6), np.linspace(10, 35, 6)
    >>> found = critical_circle(sec, *grid)
    >>> round(found.factors["bishop"], 2), round(found.factors["spencer"], 2)
    (0.99, 0.98)
    """
    gx, gy, gr = np.meshgrid(
        np.asarray(centre_x, dtype=float),
        np.asarray(centre_y, dtype=float),
        np.asarray(radius, dtype=float),
        indexing="ij",
    )
    gx, gy, gr = gx.ravel(), gy.ravel(), gr.ravel()
    if gr.size == 0 or np.any(gr <= 0):
        raise ValueError("radius grid must hold values > 0 m")
    s = slice_circle(section, gx, gy, gr, n_slices, strict=False)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        f = np.where(s.valid, bishop_factor(s), np.nan)
    f = np.where(f > 0, f, np.nan)
    if np.all(np.isnan(f)):
        raise ValueError("no circle of the search grid cuts the ground inside the section")
    best = int(np.nanargmin(f))
    x0 = np.array([gx[best], gy[best], gr[best]])

    def objective(v: FloatArray) -> float:
        # v = (x_c, y_c, y_t): centre and the elevation of the circle's lowest point, so the
        # valley of circles through the toe (R and y_c moving together) is not diagonal
        radius_v = v[1] - v[2]
        if radius_v <= 0:
            return 1e6
        one = slice_circle(section, v[0], v[1], radius_v, n_slices, strict=False)
        if not one.valid[0]:
            return 1e6
        value = float(bishop_factor(one)[0])
        return value if np.isfinite(value) and value > 0 else 1e6

    if refine:
        # Nelder–Mead from the best grid circles
        step = np.array([np.ptp(gx), np.ptp(gy), np.ptp(gr)]) / 20.0
        step = np.where(step > 0, step, 0.05 * x0[2])
        order = np.argsort(np.where(np.isfinite(f), f, np.inf))[:_REFINE_STARTS]
        best_f = float(f[best])
        for k in order:
            if not np.isfinite(f[k]):
                continue
            start = np.array([gx[k], gy[k], gy[k] - gr[k]])
            for _ in range(_REFINE_RUNS):
                res = optimize.minimize(
                    objective,
                    start,
                    method="Nelder-Mead",
                    options={
                        "initial_simplex": np.vstack([start, start + np.diag(step)]),
                        "xatol": 1e-4,
                        "fatol": 1e-7,
                        "maxiter": 2000,
                    },
                )
                start = np.asarray(res.x, dtype=float)
                if res.fun < best_f:
                    best_f = float(res.fun)
                    x0 = np.array([res.x[0], res.x[1], res.x[1] - res.x[2]], dtype=float)
    final = slice_circle(section, x0[0], x0[1], x0[2], n_slices)
    all_f, all_lam = factors_of_safety(final)
    factors = {m: float(v[0]) for m, v in all_f.items()}
    lambdas = {m: float(v[0]) for m, v in all_lam.items()}
    return CriticalCircle(
        centre_x=float(x0[0]),
        centre_y=float(x0[1]),
        radius=float(x0[2]),
        factors=factors,
        lambdas=lambdas,
        n_evaluated=int(gx.size),
    )
