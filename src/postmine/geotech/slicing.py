r"""Slicing of a slope section above circular and polyline slip surfaces, vectorised with numpy.

The sliding mass above a slip surface is cut into vertical slices of equal width between
the surface's entry and exit through the ground (or the tension crack). :class:`Slices`
holds arrays of shape ``(n_surfaces, n_slices)``, so a grid of trial surfaces is sliced and
solved at once: :func:`slice_circle` for circles, :func:`slice_surface` for polylines.

Conventions
-----------
Slice base inclination α = arcsin((x − x_c)/R) on a circle (the chord's inclination on a
polyline) is positive under the crest. The horizontal seismic force k_h·W acts towards the
toe at mid-height of the slice; pore pressure acts on the slice base; the water in a tension
crack pushes the last slice towards the toe.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from postmine.geotech.section import WATER_UNIT_WEIGHT, FloatArray, Section, elevation_at

__all__ = ["BaseFunction", "Slices", "slice_circle", "slice_surface"]


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
    g = elevation_at(section.ground, xs) - y_base
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
    depth = elevation_at(section.ground, xs) - y_base
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


def _mass_ends(
    section: Section,
    base: BaseFunction,
    start: FloatArray,
    stop: FloatArray,
    strict: bool,
    describe: Callable[[int], str],
) -> tuple[FloatArray, FloatArray, npt.NDArray[np.bool_], FloatArray, FloatArray]:
    """Entry and exit x of each sliding mass (m), validity, crack water thrust P_w (kN/m) and y.

    The exit moves to the tension crack when the section has one; the water standing in it
    pushes with P_w = γ_w z_w²/2 at z_w/3 above the bottom of the crack.
    """
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
    return x_in, x_out, valid, thrust, thrust_y


def _slice_bases(
    base: BaseFunction, x_in: FloatArray, x_out: FloatArray, n_slices: int
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Width b, mid-x, base elevation and base inclination α (rad) of equal-width slices, m."""
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
    return width, xm, base_y, alpha


def _slice_soil(
    section: Section, xm: FloatArray, width: FloatArray, base_y: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Top y (m), weight W (kN/m), and c' (kPa) and tan φ' of the layer at each slice base."""
    top = np.maximum(elevation_at(section.ground, xm), base_y)
    # Layer boundaries B_0 = ground ≥ B_1 ≥ … ≥ B_L = −∞; layer k spans [B_{k+1}, B_k].
    bounds = [top]
    for layer in section.layers[:-1]:
        assert layer.bottom is not None
        bounds.append(np.minimum(elevation_at(layer.bottom, xm), bounds[-1]))
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
    return top, weight, cohesion, tan_phi


def _slice_water_and_load(
    section: Section,
    xm: FloatArray,
    width: FloatArray,
    base_y: FloatArray,
    alpha: FloatArray,
    weight: FloatArray,
) -> tuple[FloatArray, FloatArray]:
    """Pore force u·l on each slice base and the load W + surcharge, kN/m."""
    length = width / np.cos(alpha)
    if section.piezometric_line is not None:
        head = elevation_at(section.piezometric_line, xm) - base_y
        u = WATER_UNIT_WEIGHT * np.clip(head, 0.0, None)
    else:
        u = section.pore_pressure_ratio * weight / width
    s0, s1 = section.surcharge_range
    loaded = (xm >= s0) & (xm <= s1)
    load = weight + np.where(loaded, section.surcharge * width, 0.0)
    return u * length, load


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
    x_in, x_out, valid, thrust, thrust_y = _mass_ends(section, base, start, stop, strict, describe)
    width, xm, base_y, alpha = _slice_bases(base, x_in, x_out, n_slices)
    top, weight, cohesion, tan_phi = _slice_soil(section, xm, width, base_y)
    pore_force, load = _slice_water_and_load(section, xm, width, base_y, alpha, weight)
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
        pore_force=pore_force,
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
    >>> from postmine.geotech.section import SoilLayer
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

    >>> from postmine.geotech.section import SoilLayer
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
