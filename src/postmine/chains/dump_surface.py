r"""Elevation surface z(x, y) of a designed dump, for a DEM of the design.

The frustum of the PR1 geometry of [004] (:func:`~postmine.methods.dumps.dump_geometry`) of a
design of :func:`postmine.chains.dump.design_dump`, as built or flattened, placed in plan
coordinates; its integral over the plane is the frustum's volume.

References
----------
[004] Practical works on rational nature use in mining, PR1, Eqs. (1.4)-(1.6).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from postmine.chains.dump import DumpDesign
from postmine.core.checks import in_range, positive

__all__ = ["design_grid", "design_surface", "surface_bounds"]

FloatArray = npt.NDArray[np.float64]

_PROFILES = ("flattened", "working")


def _frustum_of(design: DumpDesign, profile: str) -> tuple[float, float, float, float]:
    """Half-sizes across (y) and along (x), height and slope angle of a design's frustum."""
    if profile not in _PROFILES:
        known = ", ".join(repr(p) for p in _PROFILES)
        raise ValueError(f"profile must be one of {known}, got {profile!r}")
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
    >>> from postmine.chains.dump import design_dump
    >>> from postmine.chains.dump_stability import Material
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
    >>> from postmine.chains.dump import design_dump
    >>> from postmine.chains.dump_stability import Material
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
    >>> from postmine.chains.dump import design_dump
    >>> from postmine.chains.dump_stability import Material
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
