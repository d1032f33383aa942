r"""Pore pressure of a slope section from piezometer readings: heads and piezometric lines.

A vibrating-wire or standpipe piezometer gives the pore-water pressure p at its tip (or the
water level in it); the total head is the elevation the water would rise to,

.. math:: h = z_{tip} + p / γ_w

with γ_w = ρ_w g = 9.807 kN/m³ (ρ_w = 1000 kg/m³, g from :mod:`scipy.constants`, the
value :mod:`postmine.geotech.section` uses). The heads of the piezometers of one
cross-section, joined by straight lines, are the section's piezometric line, from which
limit-equilibrium analysis takes the pore pressure on each slice base,
u = γ_w (h(x) − y_base) where positive [1]_.

:func:`piezometric_line` builds the line; :func:`section_with_piezometers` returns a copy of
a :class:`~postmine.geotech.section.Section` that uses it; :func:`slices_with_heads`
puts the pore force of many sets of heads on the slices of one fixed slip surface at once —
the fast path of a live factor of safety (:mod:`postmine.monitoring.slope_watch`), which
gives the same factors as cutting the section again for each set of heads.

Beyond the outermost piezometers nothing is measured; the line is extended either flat
(``extend="flat"``: the head of the outermost piezometer is held to the end of the
section) or, on the toe side, down to the ground at the toe (``extend="ground"``, the
default: a water table that leaves the slope at its toe, the usual seepage picture of a
dump or pit slope above a drained toe); on the crest side it is always
held flat, the usual assumption behind the last borehole. A line above the ground is
clipped to the ground: pore pressure above the surface would need water standing on it,
which the slices do not carry (ponded water is not modelled).

References
----------
.. [1] Duncan J. M., Wright S. G., Brandon T. L. (2014). Soil Strength and Slope Stability,
   2nd ed. Wiley (pore pressures from piezometric lines in limit-equilibrium analysis).
.. [2] Dunnicliff J. (1993). Geotechnical Instrumentation for Monitoring Field Performance.
   Wiley. Chapter 9, groundwater pressure (piezometers: head, pressure, tip elevation).

Examples
--------
Two piezometers in the ACADS 1(a) slope; the water table reaches the ground at the toe:

>>> ground = [(20, 25), (30, 25), (50, 35), (70, 35)]
>>> piezometric_line(ground, [40.0, 60.0], [28.0, 31.0]).tolist()
[[20.0, 25.0], [30.0, 25.0], [40.0, 28.0], [60.0, 31.0], [70.0, 31.0]]
"""

from __future__ import annotations

from dataclasses import fields, replace
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from postmine.geotech.section import WATER_UNIT_WEIGHT, Section
from postmine.geotech.slicing import Slices

__all__ = [
    "EXTENSIONS",
    "Extension",
    "head_from_pressure",
    "piezometric_elevation",
    "piezometric_line",
    "section_with_piezometers",
    "slices_with_heads",
    "toe_of",
]

FloatArray = npt.NDArray[np.float64]
Extension = Literal["ground", "flat"]
EXTENSIONS: tuple[Extension, ...] = ("ground", "flat")


def head_from_pressure(pressure_kpa: npt.ArrayLike, tip_elevation_m: npt.ArrayLike) -> FloatArray:
    r"""Total head of a piezometer from the pore pressure at its tip.

    .. math:: h = z_{tip} + p / γ_w,\qquad γ_w = ρ_w g = 9.807\ \mathrm{kN/m^3}

    (Dunnicliff 1993, Chapter 9). A negative pressure (suction above the water table, as
    a vibrating-wire piezometer in unsaturated fill reads) gives a head below the tip; it
    is allowed, and the piezometric line built from it lies below the tip — the pore
    pressure on slice bases above that line is then taken as zero, not as suction.

    Parameters
    ----------
    pressure_kpa : float or array_like
        p, pore-water pressure at the piezometer tip, gauge (0 = atmospheric). [kPa]
    tip_elevation_m : float or array_like
        z_tip, elevation of the tip, in the section's vertical datum. [m]

    Returns
    -------
    ndarray
        h, total (piezometric) head, broadcast shape of the inputs. [m]

    Raises
    ------
    ValueError
        If a pressure or tip elevation is NaN or infinite.

    Examples
    --------
    >>> head_from_pressure([0.0, 98.0665, -9.80665], 22.0).round(6).tolist()
    [22.0, 32.0, 21.0]
    """
    p = np.asarray(pressure_kpa, dtype=float)
    z = np.asarray(tip_elevation_m, dtype=float)
    if not np.all(np.isfinite(p)):
        raise ValueError(f"pressure_kpa must be finite kPa, got {p.tolist()}")
    if not np.all(np.isfinite(z)):
        raise ValueError(f"tip_elevation_m must be finite m, got {z.tolist()}")
    head: FloatArray = z + p / WATER_UNIT_WEIGHT
    return head


def toe_of(ground: npt.ArrayLike) -> float:
    """Return x of the toe: the right-most ground vertex at the lowest elevation, m.

    Examples
    --------
    >>> toe_of([(20, 25), (30, 25), (50, 35), (70, 35)])
    30.0
    """
    g = np.asarray(ground, dtype=float)
    low = np.nonzero(np.isclose(g[:, 1], g[:, 1].min(), rtol=0.0, atol=1e-9))[0]
    return float(g[low[-1], 0])


def _ground(ground: npt.ArrayLike) -> FloatArray:
    g = np.asarray(ground, dtype=float)
    if g.ndim != 2 or g.shape[1] != 2 or g.shape[0] < 2:
        raise ValueError("ground must be a list of at least two (x, y) points [m]")
    if not np.all(np.isfinite(g)) or np.any(np.diff(g[:, 0]) <= 0):
        raise ValueError("ground must hold finite (x, y) points with x strictly increasing [m]")
    return g


def _piezometers(
    g: FloatArray, piezometers_x: npt.ArrayLike, heads: npt.ArrayLike
) -> tuple[FloatArray, FloatArray]:
    """Validate piezometer x (1-D) and heads (..., n); return them sorted by x."""
    xs = np.atleast_1d(np.asarray(piezometers_x, dtype=float))
    h = np.asarray(heads, dtype=float)
    if h.ndim == 0:
        h = h.reshape(1)
    if xs.ndim != 1 or xs.size == 0:
        raise ValueError(f"piezometers_x must list at least one piezometer [m], got {xs.tolist()}")
    if h.shape[-1] != xs.size:
        raise ValueError(
            f"heads must give one head per piezometer ({xs.size}) along the last axis [m], "
            f"got shape {h.shape}"
        )
    lo, hi = float(g[0, 0]), float(g[-1, 0])
    if not np.all(np.isfinite(xs)) or np.any((xs < lo) | (xs > hi)):
        raise ValueError(
            f"piezometers_x must lie inside the section x in [{lo}, {hi}] m, got {xs.tolist()}"
        )
    if np.unique(xs).size != xs.size:
        raise ValueError(f"piezometers_x must not repeat an x [m], got {xs.tolist()}")
    if not np.all(np.isfinite(h)):
        raise ValueError(f"heads must be finite m, got {h.tolist()}")
    order = np.argsort(xs)
    return xs[order], h[..., order]


def _vertices(
    g: FloatArray,
    xs: FloatArray,
    h: FloatArray,
    toe_x: float | None,
    extend: str,
) -> tuple[FloatArray, FloatArray]:
    """Vertices of the unclipped line: fixed x (m,), heads (..., m) for each set of heads."""
    if extend not in EXTENSIONS:
        raise ValueError(f"extend must be one of {EXTENSIONS}, got {extend!r}")
    lo, hi = float(g[0, 0]), float(g[-1, 0])
    toe = toe_of(g) if toe_x is None else float(toe_x)
    if not lo <= toe <= hi:
        raise ValueError(f"toe_x must lie inside the section x in [{lo}, {hi}] m, got {toe}")
    first = h[..., :1]
    if extend == "ground" and toe < xs[0]:
        # down to the ground at the toe, if the water stands above it there; else flat
        g_toe = float(np.interp(toe, g[:, 0], g[:, 1]))
        y_toe = np.where(first > g_toe, g_toe, first)
        vx = np.concatenate([[lo], [toe], xs, [hi]])
        vy = np.concatenate([y_toe, y_toe, h, h[..., -1:]], axis=-1)
    else:
        vx = np.concatenate([[lo], xs, [hi]])
        vy = np.concatenate([first, h, h[..., -1:]], axis=-1)
    # a piezometer (or the toe) at an end of the section repeats that end's x, same head
    keep = np.concatenate([[True], np.diff(vx) > 0])
    return vx[keep], vy[..., keep]


def piezometric_line(
    ground: npt.ArrayLike,
    piezometers_x: npt.ArrayLike,
    heads: npt.ArrayLike,
    *,
    toe_x: float | None = None,
    extend: Extension = "ground",
) -> FloatArray:
    """Piezometric line of a section through the heads of its piezometers.

    The line is straight between neighbouring piezometers. Beyond the outermost ones it is
    extended (see the module docstring): with ``extend="ground"`` it runs on the toe side
    straight down to the ground at ``toe_x`` — only if the first head stands above the
    ground there; a lower head is held flat — and flat from the toe to the left end; with
    ``extend="flat"`` it is held flat on both sides. On the crest side it is always flat.
    Where the line lies above the ground it is clipped to the ground (the crossings are
    added as vertices), so it never carries pore pressure above the surface.

    Parameters
    ----------
    ground : array_like of (x, y)
        Ground surface polyline of the section, x strictly increasing. [m]
    piezometers_x : array_like
        x of each piezometer, inside the section, no two equal. [m]
    heads : array_like
        h, total head of each piezometer (:func:`head_from_pressure`), same order. [m]
    toe_x : float or None
        x where the water table leaves the slope; default the toe (:func:`toe_of`). [m]
    extend : {"ground", "flat"}
        How the line continues beyond the outermost piezometers.

    Returns
    -------
    ndarray, shape (m, 2)
        Vertices (x, y) of the line, x strictly increasing from the left to the right end
        of the section. [m]

    Raises
    ------
    ValueError
        If there is no piezometer, a piezometer or ``toe_x`` lies outside the section, two
        piezometers share an x, a head is not finite, the counts differ, or ``extend`` is
        unknown.

    Examples
    --------
    A head above the crest is clipped where the line meets the slope face:

    >>> ground = [(20, 25), (30, 25), (50, 35), (70, 35)]
    >>> piezometric_line(ground, [60.0], [40.0], extend="flat").tolist()
    [[20.0, 25.0], [30.0, 25.0], [50.0, 35.0], [70.0, 35.0]]
    >>> piezometric_line(ground, [60.0], [30.0], extend="flat").tolist()
    [[20.0, 25.0], [30.0, 25.0], [40.0, 30.0], [70.0, 30.0]]
    """
    g = _ground(ground)
    xs, h = _piezometers(g, piezometers_x, heads)
    if h.ndim != 1:
        raise ValueError(f"heads must be one head per piezometer [m], got shape {h.shape}")
    vx, vy = _vertices(g, xs, h, toe_x, extend)
    u = np.union1d(vx, g[:, 0])
    d = np.interp(u, vx, vy) - np.interp(u, g[:, 0], g[:, 1])
    cross = np.nonzero(d[:-1] * d[1:] < 0)[0]
    x_cross = u[cross] + d[cross] * (u[cross + 1] - u[cross]) / (d[cross] - d[cross + 1])
    x_all = np.union1d(u, x_cross)
    y_all = np.minimum(np.interp(x_all, vx, vy), np.interp(x_all, g[:, 0], g[:, 1]))
    # drop vertices on a straight run (keeps the line short; values are unchanged)
    keep = np.ones(x_all.size, dtype=bool)
    if x_all.size > 2:
        dx0, dy0 = np.diff(x_all)[:-1], np.diff(y_all)[:-1]
        dx1, dy1 = np.diff(x_all)[1:], np.diff(y_all)[1:]
        scale = max(1.0, float(np.abs(y_all).max()))
        keep[1:-1] = np.abs(dx0 * dy1 - dy0 * dx1) > 1e-12 * scale * (dx0 + dx1)
    return np.column_stack([x_all[keep], y_all[keep]])


def piezometric_elevation(
    ground: npt.ArrayLike,
    piezometers_x: npt.ArrayLike,
    heads: npt.ArrayLike,
    x: npt.ArrayLike,
    *,
    toe_x: float | None = None,
    extend: Extension = "ground",
) -> FloatArray:
    """Elevation of the piezometric line at given x, for one or many sets of heads at once.

    The same line as :func:`piezometric_line`, clipped to the ground, evaluated at points:
    the minimum of the unclipped line and the ground at each x (both are linear between
    vertices, so this equals interpolating the clipped line).

    Parameters
    ----------
    ground : array_like of (x, y)
        Ground surface polyline, x strictly increasing. [m]
    piezometers_x : array_like
        x of each piezometer (n of them). [m]
    heads : array_like, shape (..., n)
        h, total heads; leading axes are independent sets of heads. [m]
    x : array_like
        Where to evaluate the line, inside the section. [m]
    toe_x : float or None
        As in :func:`piezometric_line`. [m]
    extend : {"ground", "flat"}
        As in :func:`piezometric_line`.

    Returns
    -------
    ndarray, shape (..., len(x))
        Elevation of the clipped piezometric line. [m]

    Raises
    ------
    ValueError
        As :func:`piezometric_line`.

    Examples
    --------
    >>> ground = [(20, 25), (30, 25), (50, 35), (70, 35)]
    >>> piezometric_elevation(ground, [40.0, 60.0], [[28.0, 31.0], [30.0, 30.0]],
    ...                       [35.0, 50.0]).tolist()
    [[26.5, 29.5], [27.5, 30.0]]
    """
    g = _ground(ground)
    xs, h = _piezometers(g, piezometers_x, heads)
    vx, vy = _vertices(g, xs, h, toe_x, extend)
    at = np.atleast_1d(np.asarray(x, dtype=float))
    k = np.clip(np.searchsorted(vx, at, side="right") - 1, 0, vx.size - 2)
    t = np.clip((at - vx[k]) / (vx[k + 1] - vx[k]), 0.0, 1.0)
    line = vy[..., k] * (1.0 - t) + vy[..., k + 1] * t
    out: FloatArray = np.minimum(line, np.interp(at, g[:, 0], g[:, 1]))
    return out


def _copy(section: Section, piezometric_line: FloatArray | None) -> Section:
    """Return a new Section with the attributes of ``section`` and the given line."""
    return Section(
        section.ground,
        section.layers,
        pore_pressure_ratio=0.0,
        piezometric_line=piezometric_line,
        seismic_coefficient=section.seismic_coefficient,
        surcharge=section.surcharge,
        surcharge_start=section.surcharge_start,
        surcharge_end=section.surcharge_end,
        tension_crack_depth=section.tension_crack_depth,
        crack_water_depth=section.crack_water_depth,
    )


def section_with_piezometers(
    section: Section,
    piezometers_x: npt.ArrayLike,
    heads: npt.ArrayLike,
    *,
    toe_x: float | None = None,
    extend: Extension = "ground",
) -> Section:
    """Return a copy of a section whose pore pressure comes from piezometer heads.

    Every attribute (ground, layers, seismic coefficient, surcharge and its range, tension
    crack and its water) is copied; the piezometric line is :func:`piezometric_line` of the
    heads and replaces any line the section had.

    Parameters
    ----------
    section : Section
        The slope section; it must not use a pore-pressure ratio r_u.
    piezometers_x : array_like
        x of each piezometer. [m]
    heads : array_like
        h, total head of each piezometer. [m]
    toe_x : float or None
        As in :func:`piezometric_line`. [m]
    extend : {"ground", "flat"}
        As in :func:`piezometric_line`.

    Returns
    -------
    Section
        A new section; the given one is unchanged.

    Raises
    ------
    ValueError
        If the section uses r_u > 0 (the two pore-pressure models do not combine), or as
        :func:`piezometric_line`.

    Examples
    --------
    >>> from postmine.geotech import SoilLayer, factor_of_safety
    >>> dry = Section([(20, 25), (30, 25), (50, 35), (70, 35)], [SoilLayer(3.0, 19.6, 20.0)])
    >>> wet = section_with_piezometers(dry, [40.0, 60.0], [29.0, 33.0])
    >>> round(factor_of_safety(dry, 30.0, 52.5, 27.5), 3) > round(
    ...     factor_of_safety(wet, 30.0, 52.5, 27.5), 3)
    True
    """
    if section.pore_pressure_ratio > 0:
        raise ValueError(
            "section must not use pore_pressure_ratio with piezometers, got r_u = "
            f"{section.pore_pressure_ratio} (set it to 0)"
        )
    line = piezometric_line(section.ground, piezometers_x, heads, toe_x=toe_x, extend=extend)
    return _copy(section, line)


def slices_with_heads(
    section: Section,
    slices: Slices,
    piezometers_x: npt.ArrayLike,
    heads: npt.ArrayLike,
    *,
    toe_x: float | None = None,
    extend: Extension = "ground",
) -> Slices:
    r"""Slices of one slip surface, repeated for each set of heads with its pore force.

    The geometry of the slices (weights, base inclination, strength) does not depend on the
    pore pressure, so a surface is cut once and each new set of piezometer heads only
    changes the pore force on the slice bases,

    .. math:: U = u\,l,\qquad u = γ_w \max(h(x_m) - y_{base}, 0),\qquad l = b / \cos α

    with h the clipped piezometric line (:func:`piezometric_elevation`) at the slice's
    mid-x — the rule of :class:`~postmine.geotech.section.Section` for a
    piezometric line, so the factors equal those of cutting
    :func:`section_with_piezometers` again (checked in the tests to 1e-12). Any pore
    pressure the slices carried is replaced.

    Parameters
    ----------
    section : Section
        The section the slices were cut from (its ground clips the line).
    slices : Slices
        Slices of one slip surface, shape (1, n_slices).
    piezometers_x : array_like
        x of each piezometer (n of them). [m]
    heads : array_like, shape (k, n) or (n,)
        h, total heads, one row per set. [m]
    toe_x : float or None
        As in :func:`piezometric_line`. [m]
    extend : {"ground", "flat"}
        As in :func:`piezometric_line`.

    Returns
    -------
    Slices
        Shape (k, n_slices): row i carries the pore force of heads[i].

    Raises
    ------
    ValueError
        If the slices hold more than one surface, or as :func:`piezometric_line`.

    Examples
    --------
    >>> from postmine.geotech import SoilLayer, bishop_factor, slice_circle
    >>> sec = Section([(20, 25), (30, 25), (50, 35), (70, 35)], [SoilLayer(3.0, 19.6, 20.0)])
    >>> one = slice_circle(sec, 30.0, 52.5, 27.5)
    >>> bishop_factor(slices_with_heads(sec, one, [40.0], [[20.0], [29.0]])).round(3)
    array([0.985, 0.8  ])
    """
    if slices.alpha.shape[0] != 1:
        raise ValueError(
            f"slices must hold one slip surface, got {slices.alpha.shape[0]} (cut it alone)"
        )
    h = np.asarray(heads, dtype=float)
    h2 = h.reshape(1, -1) if h.ndim <= 1 else h
    if h2.ndim != 2:
        raise ValueError(f"heads must have shape (k, n_piezometers) [m], got {h.shape}")
    level = piezometric_elevation(
        section.ground, piezometers_x, h2, slices.x[0], toe_x=toe_x, extend=extend
    )
    u = WATER_UNIT_WEIGHT * np.clip(level - slices.base_y[0], 0.0, None)
    k = h2.shape[0]
    # every per-slice and per-surface array is repeated once per set of heads
    repeated: dict[str, Any] = {}
    for item in fields(slices):
        value = getattr(slices, item.name)
        if isinstance(value, np.ndarray) and value.ndim >= 1 and value.shape[0] == 1:
            repeated[item.name] = np.repeat(value, k, axis=0)
    repeated["pore_force"] = u * np.repeat(slices.base_length, k, axis=0)
    return replace(slices, **repeated)
