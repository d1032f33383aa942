r"""Slicing of a slope section above circular and polyline slip surfaces, vectorised with numpy.

The sliding mass above a slip surface is cut into vertical slices between the surface's
entry and exit through the ground (or the tension crack). :class:`Slices` holds arrays of
shape ``(n_surfaces, n_slices)``, so a grid of trial surfaces is sliced and solved at once:
:func:`slice_circle` for circles, :func:`slice_surface` for polylines.

Slice boundaries
----------------
As in Slide2 and SLOPE/W, no slice base straddles a change of the section: the mass is first
cut at every *breakpoint* — where the slip surface crosses a layer boundary or the
piezometric line, at the vertices of the ground, of the layer boundaries and of the
piezometric line that lie above the surface, at the ends of the surcharge, at the vertices
of a polyline surface and where a surface meets or leaves an impenetrable layer — and the
``n_slices`` slices are shared out over the segments between breakpoints: one for each
segment, the rest in proportion to the segments' widths (largest remainders), equal widths
within a segment. The total stays ``n_slices`` (unless there are more segments than that:
then one slice per segment). Within a slice the ground, every boundary and the water are
straight, so the midpoint values are exact but for the curvature of a circle, and the factor
of safety converges in the slice count (n against 2n within 0.1 % on every verification
problem, ``tests/geotech/test_convergence.py``). Crossings are exact: a circle against each
polyline segment is a quadratic, two polylines meet where their difference changes sign
between the union of their vertices. The entry, the exit and the tension-crack end are found
the same way.

Impenetrable layers
-------------------
A layer made with ``SoilLayer(..., impenetrable=True)`` is bedrock: the slip surface's base
elevation is max(surface, top of the bedrock) along x, a composite surface (Slide2's
"impenetrable" material, SLOPE/W's bedrock). The slices on the bedrock take the inclination
of its top and the strength of the soil just above it; moments are still taken about the
circle's centre (as Slide2's composite surfaces), with the moment arms of the general
(non-circular) slice, and ``Slices.truncated`` marks the surfaces that were cut.

Conventions
-----------
Slice base inclination α = arcsin((x − x_c)/R) on a circle (the chord's inclination on a
polyline) is positive under the crest. The horizontal seismic force k_h·W acts towards the
toe at mid-height of the slice; pore pressure acts on the slice base; the water in a tension
crack pushes the last slice towards the toe. The material of a slice base is the layer just
above the base at the slice's mid-x.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from postmine.geotech.section import WATER_UNIT_WEIGHT, FloatArray, Section, elevation_at

__all__ = ["BaseFunction", "Slices", "slice_circle", "slice_surface"]

BoolArray = npt.NDArray[np.bool_]

_MIN_SEGMENT = 1e-6  # breakpoints closer than this to another one are merged [m]
_ROOT_SLACK = 1e-9  # a crossing may lie this fraction of a segment beyond its ends [-]


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
    the section (and reaches the crack depth) [-]; ``truncated`` whether an impenetrable
    layer cut the surface into a composite one (None when the slices were built by hand) [-].
    Slice widths differ: the slices are cut at the section's breakpoints (module notes).
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
    valid: BoolArray
    truncated: BoolArray | None = None

    @property
    def base_length(self) -> FloatArray:
        """Length of the slice base l = b / cos α, in m."""
        return self.width / np.cos(self.alpha)

    @property
    def edges(self) -> FloatArray:
        """X of the slice boundaries from entry to exit, shape (n_surfaces, n_slices + 1), m."""
        left = self.x - 0.5 * self.width
        return np.concatenate([left, self.exit_x[:, None]], axis=1)

    @property
    def circular(self) -> BoolArray:
        """Whether each surface is a whole circle: normal forces pass through the centre [-]."""
        round_: BoolArray = np.isfinite(self.radius)
        if self.truncated is not None:
            round_ = round_ & ~self.truncated
        return round_

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


#: A slip surface as a function of x (rows: surfaces): base elevation and, for a circle, the
#: inclination α (None for a polyline). Kept for callers of earlier versions.
BaseFunction = Callable[[FloatArray], tuple[FloatArray, FloatArray | None]]


def _extended(line: FloatArray, lo: float, hi: float) -> FloatArray:
    """Return the polyline with flat ends added to span [lo, hi] (as :func:`elevation_at`)."""
    parts = [line]
    if line[0, 0] > lo:
        parts.insert(0, np.array([[lo, line[0, 1]]]))
    if line[-1, 0] < hi:
        parts.append(np.array([[hi, line[-1, 1]]]))
    return np.concatenate(parts) if len(parts) > 1 else line


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


def _polyline_crossings(px: FloatArray, py: FloatArray, line: FloatArray) -> FloatArray:
    """X where polylines (n, m) cross a polyline line (k, 2), shape (n, ·), NaN-padded.

    Both are straight between the union of their vertices, so their difference changes sign
    at most once there and the root is found by linear interpolation; touching vertices
    count as crossings.
    """
    n = px.shape[0]
    xs = np.concatenate([px, np.broadcast_to(line[:, 0], (n, line.shape[0]))], axis=1)
    xs = np.sort(np.clip(xs, px[:, :1], px[:, -1:]), axis=1)
    d = np.interp(xs, line[:, 0], line[:, 1]) - _batch_interp(px, py, xs)
    da, db, xa, xb = d[:, :-1], d[:, 1:], xs[:, :-1], xs[:, 1:]
    with np.errstate(divide="ignore", invalid="ignore"):
        root = np.where(da * db < 0.0, xa + da / (da - db) * (xb - xa), np.nan)
    touch = np.where(d == 0.0, xs, np.nan)
    return np.concatenate([root, touch], axis=1)


class _LineSet:
    """Polylines that cut slices, each extended over the section, with their segments joined.

    ``x0``, ``y0``, ``dx``, ``dy`` [m] are the segments of all lines, so a circle meets all
    of them in one vectorised quadratic; ``rock_x`` the x where they meet the top of an
    impenetrable layer (a section constant) [m].
    """

    def __init__(self, lines: list[FloatArray], rock: FloatArray | None) -> None:
        self.lines = lines
        joined = [(ln[:-1], np.diff(ln, axis=0)) for ln in lines]
        start = np.concatenate([p for p, _ in joined]) if joined else np.empty((0, 2))
        step = np.concatenate([d for _, d in joined]) if joined else np.empty((0, 2))
        self.x0, self.y0, self.dx, self.dy = start[:, 0], start[:, 1], step[:, 0], step[:, 1]
        self.rock_x = np.empty(0)
        if rock is not None and lines:
            found = [_polyline_crossings(rock[None, :, 0], rock[None, :, 1], ln) for ln in lines]
            cross = np.concatenate(found, axis=1)[0]
            self.rock_x = cross[~np.isnan(cross)]


class _SectionLines:
    """What the slicing needs of a section, gathered once: lines, vertices, rock, materials.

    ``ground``, ``crack`` (the ground lowered by z_c, or None) and ``soil`` (the layer
    boundaries above any impenetrable layer, and the piezometric line if ``water``) as
    :class:`_LineSet`; ``vertices`` (x, y) of the lines of ``soil`` [m]; ``fixed`` the ground's
    inner vertices and the surcharge's ends [m]; ``rock`` the top of the first impenetrable
    layer, extended over the section, or None [m].
    """

    def __init__(self, section: Section, water: bool) -> None:
        lo, hi = section.x_range
        layers = section.layers
        self.rock_index = next(
            (k for k, lay in enumerate(layers) if getattr(lay, "impenetrable", False)), None
        )
        self.rock: FloatArray | None = None
        if self.rock_index is not None:
            top = layers[self.rock_index - 1].bottom
            assert top is not None
            self.rock = _extended(top, lo, hi)
        above = layers[: len(layers) - 1 if self.rock_index is None else self.rock_index - 1]
        raw = [lay.bottom for lay in above if lay.bottom is not None]
        if water and section.piezometric_line is not None:
            raw.append(section.piezometric_line)
        self.soil = _LineSet([_extended(ln, lo, hi) for ln in raw], self.rock)
        self.vertices = np.concatenate(raw) if raw else np.empty((0, 2))
        self.ground = _LineSet([section.ground], self.rock)
        self.crack: _LineSet | None = None
        if section.tension_crack_depth > 0:
            lowered = section.ground - np.array([0.0, section.tension_crack_depth])
            self.crack = _LineSet([lowered], self.rock)
        fixed = [section.ground[1:-1, 0]]
        if section.surcharge > 0:
            fixed.append(np.array(section.surcharge_range))
        self.fixed = np.concatenate(fixed)
        self.scale = 1e-9 * max(1.0, float(np.ptp(section.ground[:, 1])))


_CACHE: weakref.WeakKeyDictionary[Section, dict[bool, tuple[tuple[Any, ...], _SectionLines]]]
_CACHE = weakref.WeakKeyDictionary()


def _section_lines(section: Section, water: bool) -> _SectionLines:
    """Return the :class:`_SectionLines` of a section, cached while its attributes stay."""
    key = (
        section.ground,
        section.piezometric_line,
        section.tension_crack_depth,
        section.surcharge,
        section.surcharge_range,
        *section.layers,
        *(lay.bottom for lay in section.layers),
        *(getattr(lay, "impenetrable", False) for lay in section.layers),
    )
    cached = _CACHE.setdefault(section, {}).get(water)
    if cached is not None and len(cached[0]) == len(key):
        same = (
            a is b or (not isinstance(a, np.ndarray) and a == b)
            for a, b in zip(key, cached[0], strict=True)
        )
        if all(same):
            return cached[1]
    lines = _SectionLines(section, water)
    _CACHE[section][water] = (key, lines)
    return lines


class _Circles:
    """Circular slip surfaces (their lower arcs): centres (x_c, y_c) and radii R, m."""

    def __init__(self, xc: FloatArray, yc: FloatArray, r: FloatArray, lo: float, hi: float):
        self.xc, self.yc, self.r = xc[:, None], yc[:, None], r[:, None]
        self.start = np.maximum(xc - r, lo)
        self.stop = np.maximum(np.minimum(xc + r, hi), self.start)

    def y(self, xs: FloatArray) -> FloatArray:
        """Elevation of the lower arc at points (n, k), m."""
        dx = (xs - self.xc) / self.r
        out: FloatArray = self.yc - self.r * np.sqrt(np.maximum(1.0 - dx * dx, 0.0))
        return out

    def crossings(self, lines: _LineSet) -> FloatArray:
        """X where each lower arc meets the segments of the lines, (n, ·), NaN-padded.

        |P_0 + t D − C|² = R² on each segment P_0 → P_0 + D, a quadratic in t.
        """
        x0, y0, dx, dy = lines.x0, lines.y0, lines.dx, lines.dy
        px, py = x0 - self.xc, y0 - self.yc
        a = dx * dx + dy * dy
        b = 2.0 * (dx * px + dy * py)
        c = px * px + py * py - self.r * self.r
        disc = b * b - 4.0 * a * c
        sq = np.sqrt(np.maximum(disc, 0.0))
        out = []
        for root in ((-b - sq) / (2.0 * a), (-b + sq) / (2.0 * a)):
            ok = (disc >= 0.0) & (root >= -_ROOT_SLACK) & (root <= 1.0 + _ROOT_SLACK)
            ok &= y0 + root * dy <= self.yc + _ROOT_SLACK * self.r
            out.append(np.where(ok, x0 + root * dx, np.nan))
        return np.concatenate(out, axis=1)

    def kinks(self) -> FloatArray:
        """X of the vertices of each surface (a circle has none), shape (n, 0)."""
        return np.empty((self.xc.shape[0], 0))


class _Polylines:
    """Polyline slip surfaces: vertices (x, y) with x increasing, rows (n, m), m."""

    def __init__(self, px: FloatArray, py: FloatArray, lo: float, hi: float):
        self.px, self.py = px, py
        self.start = np.maximum(px[:, 0], lo)
        self.stop = np.maximum(np.minimum(px[:, -1], hi), self.start)

    def y(self, xs: FloatArray) -> FloatArray:
        """Elevation at points (n, k), m."""
        return _batch_interp(self.px, self.py, xs)

    def crossings(self, lines: _LineSet) -> FloatArray:
        """X where each surface meets the lines, (n, ·), NaN-padded."""
        found = [_polyline_crossings(self.px, self.py, ln) for ln in lines.lines]
        return np.concatenate(found, axis=1) if found else np.empty((self.px.shape[0], 0))

    def kinks(self) -> FloatArray:
        """X of the inner vertices of each surface, (n, m − 2)."""
        return self.px[:, 1:-1]


_Surface = _Circles | _Polylines


class _Truncated:
    """Surfaces cut by the top of an impenetrable layer: y = max(surface, rock top) along x."""

    def __init__(self, inner: _Surface, rock: FloatArray) -> None:
        self.inner, self.rock = inner, rock
        self.start, self.stop = inner.start, inner.stop
        self.tol = 1e-9 * max(1.0, float(np.ptp(rock[:, 1])))
        self.rock_set = _LineSet([rock], None)

    def on_rock(self, xs: FloatArray) -> BoolArray:
        """Whether the base at each point lies on the rock top (the surface below it) [-]."""
        on: BoolArray = elevation_at(self.rock, xs) > self.inner.y(xs)
        return on

    def y(self, xs: FloatArray) -> FloatArray:
        """Elevation at points (n, k), m."""
        return np.maximum(self.inner.y(xs), elevation_at(self.rock, xs))

    def crossings(self, lines: _LineSet) -> FloatArray:
        """X where the composite surface meets the lines, (n, ·), NaN-padded."""
        own = self.inner.crossings(lines)
        own = np.where(self.inner.y(own) >= elevation_at(self.rock, own) - self.tol, own, np.nan)
        rock_x = np.broadcast_to(lines.rock_x, (own.shape[0], lines.rock_x.size))
        on = elevation_at(self.rock, rock_x) >= self.inner.y(rock_x) - self.tol
        return np.concatenate([own, np.where(on, rock_x, np.nan)], axis=1)

    def kinks(self) -> FloatArray:
        """X where the surface meets the rock top, its own vertices and the rock's under it."""
        meet = self.inner.crossings(self.rock_set)
        own = self.inner.kinks()
        own = np.where(self.inner.y(own) >= elevation_at(self.rock, own), own, np.nan)
        vx = np.broadcast_to(self.rock[1:-1, 0], (meet.shape[0], self.rock.shape[0] - 2))
        vx = np.where(self.on_rock(vx), vx, np.nan)
        return np.concatenate([meet, own, vx], axis=1)


_AnySurface = _Circles | _Polylines | _Truncated


def _intervals(
    surf: _AnySurface, lines: _LineSet, a: FloatArray, b: FloatArray
) -> tuple[FloatArray, FloatArray, BoolArray]:
    """Cut [a, b] of each surface at its crossings with the lines: points, midpoints, length>0.

    Returns the sorted cut points (n, k + 1), the midpoints of the k intervals between them
    and whether each interval has a length; between two cut points the surface lies wholly
    above or below each line.
    """
    cuts = np.concatenate([a[:, None], surf.crossings(lines), b[:, None]], axis=1)
    cuts = np.where(np.isnan(cuts), b[:, None], cuts)
    cuts = np.sort(np.minimum(np.maximum(cuts, a[:, None]), b[:, None]), axis=1)
    mids = 0.5 * (cuts[:, 1:] + cuts[:, :-1])
    return cuts, mids, cuts[:, 1:] > cuts[:, :-1]


def _entry_exit(
    sl: _SectionLines, surf: _AnySurface, ground: FloatArray
) -> tuple[FloatArray, FloatArray, BoolArray]:
    """Find x of entry and exit of each surface through the ground, and validity.

    The surface must lie at or above the ground at both ends of its definition (clipped to
    the section) and dip below it over one stretch: entry and exit are the ends of that
    stretch, exact crossings of the surface with the ground polyline.
    """
    cuts, mids, some = _intervals(surf, sl.ground, surf.start, surf.stop)
    depth = elevation_at(ground, mids) - surf.y(mids)
    inside = some & (depth > sl.scale)
    outside = some & (depth < -sl.scale)
    k = inside.shape[1]
    first = np.argmax(inside, axis=1)
    last = k - 1 - np.argmax(inside[:, ::-1], axis=1)
    rows = np.arange(cuts.shape[0])
    x_in, x_out = cuts[rows, first], cuts[rows, last + 1]
    ends = np.stack([surf.start, surf.stop], axis=1)
    above = np.all(elevation_at(ground, ends) - surf.y(ends) <= sl.scale, axis=1)
    idx = np.arange(k)
    between = (idx >= first[:, None]) & (idx <= last[:, None])
    valid = inside.any(axis=1) & above & ~np.any(between & outside, axis=1)
    valid &= (x_out - x_in) > 1e-6
    return x_in, x_out, valid


def _crack_end(
    section: Section,
    crack: _LineSet,
    surf: _AnySurface,
    x_in: FloatArray,
    x_out: FloatArray,
    valid: BoolArray,
) -> tuple[FloatArray, BoolArray]:
    """Move the crest end of each surface to where it last lies z_c below the ground."""
    cuts, mids, some = _intervals(surf, crack, x_in, x_out)
    depth = elevation_at(section.ground, mids) - surf.y(mids)
    deep = some & (depth >= section.tension_crack_depth)
    last = deep.shape[1] - 1 - np.argmax(deep[:, ::-1], axis=1)
    x_crack = cuts[np.arange(cuts.shape[0]), last + 1]
    ok = valid & deep.any(axis=1) & (x_crack - x_in > 1e-6)
    return np.where(ok, x_crack, x_out), ok


def _mass_ends(
    section: Section,
    sl: _SectionLines,
    surf: _AnySurface,
    strict: bool,
    describe: Callable[[int], str],
) -> tuple[FloatArray, FloatArray, BoolArray, FloatArray, FloatArray]:
    """Entry and exit x of each sliding mass (m), validity, crack water thrust P_w (kN/m) and y.

    The exit moves to the tension crack when the section has one; the water standing in it
    pushes with P_w = γ_w z_w²/2 at z_w/3 above the bottom of the crack.
    """
    x_in, x_out, valid = _entry_exit(sl, surf, section.ground)
    if strict and not np.all(valid):
        k = int(np.argmin(valid))
        raise ValueError(
            f"slip surface {describe(k)} does not cut the ground inside the section "
            f"x in {section.x_range} m as one sliding mass"
        )
    x_in = np.where(valid, x_in, surf.start)
    x_out = np.where(valid, x_out, np.maximum(surf.stop, surf.start + 1e-3))
    thrust = np.zeros_like(x_in)
    thrust_y = np.zeros_like(x_in)
    if sl.crack is not None:
        x_end, crack_ok = _crack_end(section, sl.crack, surf, x_in, x_out, valid)
        if strict and not np.all(crack_ok):
            k = int(np.argmin(crack_ok))
            raise ValueError(
                f"slip surface {describe(k)} never lies tension_crack_depth = "
                f"{section.tension_crack_depth} m below the ground: no room for the crack"
            )
        valid = crack_ok
        x_out = x_end
        y_end = surf.y(x_out[:, None])
        z_w = section.crack_water_depth
        thrust = np.full_like(x_in, 0.5 * WATER_UNIT_WEIGHT * z_w**2)
        thrust_y = y_end[:, 0] + z_w / 3.0
    return x_in, x_out, valid, thrust, thrust_y


def _breakpoints(
    sl: _SectionLines, surf: _AnySurface, x_in: FloatArray, x_out: FloatArray
) -> FloatArray:
    """Sorted x of each surface's breakpoints strictly inside (entry, exit), NaN-padded.

    Crossings with the layer boundaries (above an impenetrable layer) and the piezometric
    line; the vertices of the ground and of those lines where they lie above the surface;
    the ends of the surcharge; the surface's own vertices and rock-top kinks. Breakpoints
    closer than 1 µm to the previous one, the entry or the exit are dropped.
    """
    n = x_in.size
    vx = np.broadcast_to(sl.vertices[:, 0], (n, sl.vertices.shape[0]))
    parts = [
        np.broadcast_to(sl.fixed, (n, sl.fixed.size)),
        surf.crossings(sl.soil),
        np.where(sl.vertices[:, 1] > surf.y(vx), vx, np.nan),
        surf.kinks(),
    ]
    breaks = np.concatenate(parts, axis=1)
    inside = (breaks > x_in[:, None] + _MIN_SEGMENT) & (breaks < x_out[:, None] - _MIN_SEGMENT)
    breaks = np.sort(np.where(inside, breaks, np.nan), axis=1)
    previous = np.concatenate([x_in[:, None], breaks[:, :-1]], axis=1)
    breaks = np.sort(np.where(breaks - previous > _MIN_SEGMENT, breaks, np.nan), axis=1)
    used = int(np.max(np.sum(~np.isnan(breaks), axis=1), initial=0))
    return breaks[:, :used]


def _slice_edges(
    x_in: FloatArray, x_out: FloatArray, breaks: FloatArray, n_slices: int
) -> tuple[FloatArray, FloatArray]:
    """Left edge and width (m) of the slices, shape (n, N), N = max(n_slices, segments).

    Each segment between breakpoints gets one slice and a share of the rest in proportion
    to its width (largest remainders); slices are equal within a segment.
    """
    n = x_in.size
    edges = np.concatenate(
        [x_in[:, None], np.where(np.isnan(breaks), x_out[:, None], breaks), x_out[:, None]], 1
    )
    w = np.diff(edges, axis=1)
    full = w > 0.0
    m = full.sum(axis=1)
    total = max(n_slices, int(m.max()))
    spare = total - m
    ideal = spare[:, None] * w / (x_out - x_in)[:, None]
    share = np.floor(ideal).astype(np.intp)
    rest = spare - share.sum(axis=1)
    order = np.argsort(np.where(full, share - ideal, np.inf), axis=1, kind="stable")
    rank = np.argsort(order, axis=1)
    counts = full.astype(np.intp) + share + (rank < rest[:, None])
    # slice j of a row lies in segment seg(j), the local-th of its segment's slices
    seg = np.repeat(np.arange(counts.size), counts.ravel())  # into the flattened (n, S)
    first = (np.cumsum(counts, axis=1) - counts).ravel()[seg]
    local = np.tile(np.arange(total), n) - first
    width = (w / np.maximum(counts, 1)).ravel()[seg]
    left = edges[:, :-1].ravel()[seg] + local * width
    return left.reshape(n, total), width.reshape(n, total)


def _slice_soil(
    section: Section,
    sl: _SectionLines,
    xm: FloatArray,
    width: FloatArray,
    base_y: FloatArray,
    surface_y: FloatArray,
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Top y (m), weight W (kN/m), and c' (kPa) and tan φ' of the layer at each slice base.

    The weight is that of the soil above the slice's straight base (``base_y`` at mid-x); the
    material is that of the layer in which the slip surface itself (``surface_y``) runs at
    mid-x, the topmost where it runs along a boundary.
    """
    top = np.maximum(elevation_at(section.ground, xm), base_y)
    # Layer boundaries B_0 = ground ≥ B_1 ≥ … ≥ B_L = −∞; layer k spans [B_{k+1}, B_k].
    bounds = [top]
    for layer in section.layers[:-1]:
        assert layer.bottom is not None
        bounds.append(np.minimum(elevation_at(layer.bottom, xm), bounds[-1]))
    bounds.append(np.full_like(xm, -np.inf))
    weight = np.zeros_like(xm)
    for k, layer in enumerate(section.layers):
        thick = np.maximum(bounds[k] - np.maximum(bounds[k + 1], base_y), 0.0)
        weight += layer.unit_weight * thick * width
    # the topmost soil k with B_{k+1} <= y < B_k (B_0 = +inf); else the lowest soil above
    # any impenetrable layer
    soils = section.layers[: len(section.layers) if sl.rock_index is None else sl.rock_index]
    cohesion = np.full_like(xm, soils[-1].cohesion)
    tan_phi = np.full_like(xm, np.tan(np.radians(soils[-1].friction_angle)))
    for k in range(len(soils) - 2, -1, -1):
        at_base = surface_y >= bounds[k + 1]
        if k > 0:
            at_base &= surface_y < bounds[k]
        cohesion = np.where(at_base, soils[k].cohesion, cohesion)
        tan_phi = np.where(at_base, np.tan(np.radians(soils[k].friction_angle)), tan_phi)
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
    surf: _Surface,
    axis: tuple[FloatArray, FloatArray] | None,
    radius: FloatArray,
    n_slices: int,
    strict: bool,
    describe: Callable[[int], str],
    water: bool,
) -> Slices:
    """Cut the mass above the surfaces into slices split at breakpoints; both kinds."""
    if n_slices < 5:
        raise ValueError(f"n_slices must be >= 5, got {n_slices}")
    sl = _section_lines(section, water)
    geom: _AnySurface = surf if sl.rock is None else _Truncated(surf, sl.rock)
    x_in, x_out, valid, thrust, thrust_y = _mass_ends(section, sl, geom, strict, describe)
    left, width = _slice_edges(x_in, x_out, _breakpoints(sl, geom, x_in, x_out), n_slices)
    xm = left + 0.5 * width
    # straight slice bases: the chords of the surface between the slice boundaries
    n = left.shape[1]
    ys = geom.y(np.concatenate([left, left + width, xm], axis=1))
    y_l, y_r, surface_y = ys[:, :n], ys[:, n : 2 * n], ys[:, 2 * n :]
    base_y, alpha = 0.5 * (y_l + y_r), np.arctan((y_r - y_l) / width)
    truncated = np.zeros(x_in.shape, dtype=bool)
    if isinstance(geom, _Truncated):
        truncated = np.any(geom.on_rock(xm), axis=1)
    top, weight, cohesion, tan_phi = _slice_soil(section, sl, xm, width, base_y, surface_y)
    pore_force, load = _slice_water_and_load(section, xm, width, base_y, alpha, weight)
    axis_x, axis_y = _default_axis(x_in, x_out, geom) if axis is None else axis
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
        truncated=truncated,
    )


def _default_axis(
    x_in: FloatArray, x_out: FloatArray, surf: _AnySurface
) -> tuple[FloatArray, FloatArray]:
    """Moment axis of a polyline: centre of the circle through its ends and its mid-x point.

    When the three points are (nearly) collinear — a planar surface — the axis is put on
    the perpendicular bisector of the chord, one chord length above it.
    """
    xm = 0.5 * (x_in + x_out)
    pts = np.stack([x_in, xm, x_out], axis=1)
    ys = surf.y(pts)
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


def _check_engine_convention(section: Section) -> None:
    """Refuse a section whose ground does not rise from the toe (left) to the crest (right).

    The slicing works in the engine's convention; a slope facing the other way or a section
    with two faces is analysed face by face (:func:`postmine.geotech.faces.faces` mirrors and
    cuts it), so it never reaches here unsplit and gives no silently wrong factor.
    """
    if section.ground_shape != "rising":
        raise ValueError(
            f"the ground is {section.ground_shape}, but slicing needs it rising from the toe "
            "(left) to the crest (right): analyse each face of postmine.geotech.faces.faces("
            "section), which mirrors and cuts the section"
        )


def slice_circle(
    section: Section,
    centre_x: npt.ArrayLike,
    centre_y: npt.ArrayLike,
    radius: npt.ArrayLike,
    n_slices: int = 50,
    *,
    strict: bool = True,
    split_at_water: bool = True,
) -> Slices:
    """Cut the sliding mass above one or many circular slip surfaces into vertical slices.

    The slices are cut at every breakpoint of the section (module notes) and ``n_slices``
    are shared out between them. Below the top of an impenetrable layer the surface follows
    that top (a composite surface; moments stay about the centre).

    Parameters
    ----------
    section : Section
        The slope section.
    centre_x, centre_y : float or array_like
        Centre of the slip circle(s). [m]
    radius : float or array_like
        Radius of the slip circle(s). [m]
    n_slices : int
        Number of slices between entry and exit, at least 5 (more only when the section has
        more breakpoints than that: one slice between each two). [-]
    strict : bool
        Raise when a circle does not cut the ground inside the section; otherwise mark it
        invalid (``Slices.valid``), as the grid search does.
    split_at_water : bool
        Cut slices where the piezometric line crosses the surface and at its vertices. Off,
        the slices do not depend on the water (as
        :func:`~postmine.geotech.pore_pressure.slices_with_heads` needs to replace it).

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

    The slope's toe (x = 10) and crest (x = 20) are slice boundaries:

    >>> bool(np.any(np.isclose(s.edges, 10.0)) and np.any(np.isclose(s.edges, 20.0)))
    True
    """
    _check_engine_convention(section)
    xc, yc, r = (
        np.atleast_1d(np.asarray(v, dtype=float)).ravel() for v in (centre_x, centre_y, radius)
    )
    xc, yc, r = (np.array(v, dtype=float) for v in np.broadcast_arrays(xc, yc, r))
    if np.any(~np.isfinite(r)) or np.any(r <= 0):
        raise ValueError(f"radius must be > 0 m, got {r.tolist()}")
    return _make_slices(
        section,
        _Circles(xc, yc, r, *section.x_range),
        (xc, yc),
        r,
        n_slices,
        strict,
        lambda k: f"(x_c={xc[k]}, y_c={yc[k]}, R={r[k]}) m",
        split_at_water,
    )


def slice_surface(
    section: Section,
    points: npt.ArrayLike,
    n_slices: int = 50,
    *,
    axis: tuple[float, float] | None = None,
    strict: bool = True,
    split_at_water: bool = True,
) -> Slices:
    """Cut the sliding mass above one or many non-circular (polyline) slip surfaces.

    The surface is a polyline with x strictly increasing; its ends must lie at or above
    the ground so that it enters at the toe side and leaves at the crest side. The slices
    are cut at the surface's vertices and every breakpoint of the section (module notes),
    so each slice's base is straight. Below the top of an impenetrable layer the surface
    follows that top. Moments (Ordinary, Bishop and the moment equation of Spencer /
    Morgenstern–Price) are taken about ``axis``; for the last two F does not depend on it,
    for the first two it does (as in SLOPE/W).

    Parameters
    ----------
    section : Section
        The slope section.
    points : array_like, shape (m, 2) or (n_surfaces, m, 2)
        Vertices (x, y) of the slip surface(s), at least two each. [m]
    n_slices : int
        Number of slices between entry and exit, at least 5 (more only when there are more
        breakpoints than that). [-]
    axis : (float, float) or None
        Moment axis (x, y); default the centre of the circle through the surface's entry,
        exit and its point midway between them in x. [m]
    strict : bool
        Raise when a surface does not cut the ground inside the section as one sliding mass;
        otherwise mark it invalid (``Slices.valid``).
    split_at_water : bool
        Cut slices where the piezometric line crosses the surface and at its vertices (as
        :func:`slice_circle`).

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
    _check_engine_convention(section)
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
    lo, hi = section.x_range
    outside = (px[:, 0] < lo - 1e-9) | (px[:, -1] > hi + 1e-9)
    if strict and np.any(outside):
        k = int(np.argmax(outside))
        raise ValueError(
            f"slip surface {k} spans x in [{px[k, 0]}, {px[k, -1]}] m, outside the section "
            f"x in {section.x_range} m"
        )
    n = px.shape[0]
    given = None
    if axis is not None:
        given = (np.full(n, float(axis[0])), np.full(n, float(axis[1])))
    slices = _make_slices(
        section,
        _Polylines(px, py, lo, hi),
        given,
        np.full(n, np.nan),
        n_slices,
        strict,
        lambda k: f"{k} (from x = {px[k, 0]} to {px[k, -1]} m)",
        split_at_water,
    )
    if np.any(outside):
        slices.valid[outside] = False
    return slices
