"""Geometry of a void backfilled by tiers: levels, spacing and capacities (003 sec. 3.1).

A void (a pit or a collapse crater) is backfilled bottom-up in tiers. 003 sec. 3.1 describes
the Abaza crater: the dump is formed in 8 tiers "с отметки +650 м до отметки +850 м", the
first tier (+650) is 55 m high ("разница отметок между верхней и нижней бровками отвала
составляет 55 м"), the later ones at most 30 m; sec. 4.2 gives the maximum tier height
H = 55 m. The checks here keep a project file to that geometry:

- the bottom of the backfill lies below its crest (the highest level the backfill reaches);
- every tier elevation lies in (bottom, crest] and the elevations rise bottom-up;
- the spacing from the bottom to the first tier and between consecutive tiers is at most
  the maximum tier height (the project's H or, when the caller gives it, a rule set's limit).

The highest tier "takes the rest": it spans from its elevation up to the crest, and the
levels above it are not yet designed (003 lists only +650 and +680 of its 8 tiers). Its
spacing to the crest is therefore NOT checked here.

With an elevation–capacity curve (cumulative void volume below each elevation, as
``postmine terrain capacity`` computes it), :func:`check_capacity_curve` also checks each
given tier capacity against the curve's volume between the tier's lower bound and its
elevation, and the remaining capacity against the curve's volume between bottom and crest.

The functions read any object with the attributes of :class:`VoidGeometry` (the ``[void]``
section of :mod:`postmine.project.schema` is one); they return ``None`` or raise
``ValueError`` naming the field path (``void.tiers[2].elevation_m``), the value and the
allowed range.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np

__all__ = [
    "CurvePointLike",
    "TierLike",
    "VoidGeometry",
    "check_capacity_curve",
    "check_tier_geometry",
    "curve_volume_below",
]

_SLACK_M = 1e-9  # [m] rounding slack on elevation comparisons


class TierLike(Protocol):
    """A tier: its unloading level and, except for the highest, its capacity."""

    @property
    def elevation_m(self) -> float:
        """Unloading level of the tier, in [m]."""
        ...

    @property
    def capacity_m3(self) -> float | None:
        """Capacity of the tier; None for the highest (the rest), in [m³]."""
        ...


class CurvePointLike(Protocol):
    """A point of an elevation–capacity curve."""

    @property
    def elevation_m(self) -> float:
        """Level of the point, in [m]."""
        ...

    @property
    def volume_m3(self) -> float:
        """Void volume below the level, in [m³]."""
        ...


class VoidGeometry(Protocol):
    """What the checks read of a ``[void]`` section."""

    @property
    def bottom_elevation_m(self) -> float | None:
        """Bottom of the backfill, or None, in [m]."""
        ...

    @property
    def top_elevation_m(self) -> float | None:
        """Crest: the highest level of the backfill, or None, in [m]."""
        ...

    @property
    def tiers(self) -> Sequence[TierLike]:
        """Tiers bottom-up."""
        ...

    @property
    def remaining_capacity_m3(self) -> float:
        """Capacity still to fill, in [m³]."""
        ...

    @property
    def capacity_curve(self) -> Sequence[CurvePointLike] | None:
        """Elevation–capacity curve; empty or None when there is none."""
        ...

    @property
    def capacity_curve_rel_tol(self) -> float:
        """Relative tolerance against the curve, in [-]."""
        ...


def _tier(i: int) -> str:
    return f"void.tiers[{i}].elevation_m"


def check_tier_geometry(
    void: VoidGeometry,
    max_tier_height_m: float,
    *,
    limit_name: str = "void.max_tier_height_m",
) -> None:
    """Check the levels of a backfilled void: bottom < crest, tiers within, spacing ≤ H.

    Parameters
    ----------
    void : VoidGeometry
        The void: ``bottom_elevation_m`` and ``top_elevation_m`` (each may be ``None``, then
        the checks that need it are skipped) and ``tiers`` bottom-up. [m]
    max_tier_height_m : float
        H, the largest allowed spacing from the bottom to the first tier and between
        consecutive tiers: the project's ``void.max_tier_height_m`` or a rule set's limit. [m]
    limit_name : str, optional
        Name of that limit in the messages. [-]

    Returns
    -------
    None

    Raises
    ------
    ValueError
        If H is not > 0; the bottom is not below the crest; a tier elevation is outside
        (bottom, crest]; the elevations do not rise strictly; or a spacing exceeds H. The
        message names the field path, the value and the allowed range.

    Notes
    -----
    With z₀ the bottom and z₁ < z₂ < … < z_n the tier elevations (003 sec. 3.1):
    z₀ < z_i ≤ z_top and z_i − z_{i−1} ≤ H for i = 1 … n (i = 1 only when z₀ is given).
    The highest tier takes the rest: it spans from z_n up to the crest, whose levels are not
    yet designed, so z_top − z_n is not checked.

    References
    ----------
    003: project documentation vol. 3 book 1 (2022), sec. 3.1 (tiers +650 … +850 m, the
    first 55 m high) and sec. 4.2 (H = 55 m).

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> abaza = NS(bottom_elevation_m=595.0, top_elevation_m=850.0,
    ...            tiers=[NS(elevation_m=650.0), NS(elevation_m=680.0)])
    >>> check_tier_geometry(abaza, 55.0)
    >>> check_tier_geometry(abaza, 50.0)
    Traceback (most recent call last):
    ...
    ValueError: void.tiers[0].elevation_m = 650 m lies 55 m above void.bottom_elevation_m = 595 m; the spacing must be <= void.max_tier_height_m = 50 m
    """  # noqa: E501
    if not (np.isfinite(max_tier_height_m) and max_tier_height_m > 0):
        raise ValueError(f"{limit_name} must be > 0 m, got {max_tier_height_m!r}")
    bottom, top = void.bottom_elevation_m, void.top_elevation_m
    if bottom is not None and top is not None and not bottom < top:
        raise ValueError(
            f"void.top_elevation_m must be > void.bottom_elevation_m = {bottom:g} m, got {top:g}"
        )
    low = "-inf" if bottom is None else f"{bottom:g}"
    high = "+inf" if top is None else f"{top:g}"
    for i, tier in enumerate(void.tiers):
        z = tier.elevation_m
        if (bottom is not None and z <= bottom) or (top is not None and z > top + _SLACK_M):
            raise ValueError(
                f"{_tier(i)} must lie in (void.bottom_elevation_m, void.top_elevation_m] = "
                f"({low}, {high}] m, got {z:g}"
            )
    previous: tuple[str, float] | None = (
        None if bottom is None else ("void.bottom_elevation_m", bottom)
    )
    for i, tier in enumerate(void.tiers):
        z = tier.elevation_m
        if previous is not None:
            name, below = previous
            if z <= below:
                raise ValueError(
                    f"{_tier(i)} must be above {name} = {below:g} m (tiers rise bottom-up), "
                    f"got {z:g}"
                )
            if z - below > max_tier_height_m + _SLACK_M:
                raise ValueError(
                    f"{_tier(i)} = {z:g} m lies {z - below:g} m above {name} = {below:g} m; "
                    f"the spacing must be <= {limit_name} = {max_tier_height_m:g} m"
                )
        previous = (_tier(i), z)


def curve_volume_below(
    curve_elevation_m: Sequence[float] | np.ndarray,
    curve_volume_m3: Sequence[float] | np.ndarray,
    elevation_m: float | np.ndarray,
) -> float | np.ndarray:
    """Void volume below an elevation, linearly interpolated on an elevation–capacity curve.

    Parameters
    ----------
    curve_elevation_m : array_like
        Elevations of the curve, strictly rising. [m]
    curve_volume_m3 : array_like
        Cumulative void volume below each elevation, non-decreasing. [m³]
    elevation_m : float or ndarray
        Elevation(s) within the curve's range. [m]

    Returns
    -------
    float or ndarray
        V(z), the void volume below ``elevation_m``. [m³]

    Raises
    ------
    ValueError
        If the curve has fewer than two points or lengths differ, or ``elevation_m`` lies
        outside the curve's range (no extrapolation).

    Notes
    -----
    V(z) = V_k + (V_{k+1} − V_k)(z − z_k)/(z_{k+1} − z_k) for z_k ≤ z ≤ z_{k+1}; the volume
    between two levels is V(z_b) − V(z_a). ``postmine terrain capacity`` gives V(z) as
    Σ_{z_c < z} (z − z_c)·A_cell (:func:`postmine.geotech.terrain.capacity.elevation_capacity`).

    Examples
    --------
    >>> float(curve_volume_below([100.0, 110.0, 120.0], [0.0, 1000.0, 3000.0], 115.0))
    2000.0
    """
    z = np.asarray(curve_elevation_m, dtype=np.float64)
    v = np.asarray(curve_volume_m3, dtype=np.float64)
    if z.ndim != 1 or z.size < 2 or v.shape != z.shape:
        raise ValueError(
            "the capacity curve needs at least two points of equal-length elevation and "
            f"volume, got {z.size} elevations and {v.size} volumes"
        )
    e = np.asarray(elevation_m, dtype=np.float64)
    if np.any(e < z[0] - _SLACK_M) or np.any(e > z[-1] + _SLACK_M):
        raise ValueError(
            f"elevation_m must lie in the curve's range [{z[0]:g}, {z[-1]:g}] m, got {e.tolist()}"
        )
    out = np.interp(e, z, v)
    return float(out) if out.ndim == 0 else out


def _check_curve(void: VoidGeometry) -> tuple[list[float], list[float], float, float]:
    """Return the curve's elevations and volumes and the bottom and crest, or raise."""
    curve = void.capacity_curve or []
    bottom, top = void.bottom_elevation_m, void.top_elevation_m
    if bottom is None or top is None:
        raise ValueError(
            "void.capacity_curve needs void.bottom_elevation_m and void.top_elevation_m, got "
            f"bottom {bottom!r} and top {top!r}"
        )
    if len(curve) < 2:
        raise ValueError(f"void.capacity_curve needs at least two points, got {len(curve)}")
    z = [p.elevation_m for p in curve]
    v = [p.volume_m3 for p in curve]
    for i in range(1, len(curve)):
        if not z[i] > z[i - 1]:
            raise ValueError(
                f"void.capacity_curve[{i}].elevation_m must be above "
                f"void.capacity_curve[{i - 1}].elevation_m = {z[i - 1]:g} m, got {z[i]:g}"
            )
        if v[i] < v[i - 1]:
            raise ValueError(
                f"void.capacity_curve[{i}].volume_m3 must be >= "
                f"void.capacity_curve[{i - 1}].volume_m3 = {v[i - 1]:.0f} m³ (cumulative), "
                f"got {v[i]:.0f}"
            )
    if z[0] > bottom + _SLACK_M or z[-1] < top - _SLACK_M:
        raise ValueError(
            f"void.capacity_curve must span void.bottom_elevation_m .. void.top_elevation_m = "
            f"{bottom:g} .. {top:g} m, got {z[0]:g} .. {z[-1]:g} m"
        )
    return z, v, bottom, top


def check_capacity_curve(void: VoidGeometry) -> None:
    """Check the tier capacities and the remaining capacity against the capacity curve.

    Parameters
    ----------
    void : VoidGeometry
        The void with ``capacity_curve`` (points rising in elevation, cumulative volume),
        ``capacity_curve_rel_tol``, ``bottom_elevation_m``, ``top_elevation_m``, ``tiers``
        bottom-up and ``remaining_capacity_m3``. Does nothing when ``capacity_curve`` is
        empty or ``None``. [m, m³, -]

    Returns
    -------
    None

    Raises
    ------
    ValueError
        If the curve is given without bottom and crest, has fewer than two points, does not
        rise, does not span bottom .. crest; if a tier's ``capacity_m3`` differs from the
        curve's volume between its lower bound and its elevation by more than the relative
        tolerance; or if ``remaining_capacity_m3`` exceeds the curve's volume between bottom
        and crest by more than the tolerance. The message names the field path, the value,
        the curve's value and the tolerance.

    Notes
    -----
    With V(z) the curve (:func:`curve_volume_below`), z₀ the bottom and z_top the crest:
    |C_i − (V(z_i) − V(z_{i−1}))| ≤ tol · (V(z_i) − V(z_{i−1})) for each tier i with a
    capacity, and V_ост ≤ (1 + tol) · (V(z_top) − V(z₀)). The highest tier without a
    capacity takes the rest up to the crest (003 sec. 3.1); only the total bounds it.
    """
    if not void.capacity_curve:
        return
    z, v, bottom, top = _check_curve(void)
    tol = void.capacity_curve_rel_tol
    lower = bottom
    for i, tier in enumerate(void.tiers):
        if tier.capacity_m3 is not None:
            expected = float(curve_volume_below(z, v, tier.elevation_m))
            expected -= float(curve_volume_below(z, v, lower))
            if abs(tier.capacity_m3 - expected) > tol * expected:
                raise ValueError(
                    f"void.tiers[{i}].capacity_m3 must match the capacity curve between "
                    f"{lower:g} and {tier.elevation_m:g} m, {expected:.0f} m³, within "
                    f"void.capacity_curve_rel_tol = {tol:g}; got {tier.capacity_m3:.0f}"
                )
        lower = tier.elevation_m
    total = float(curve_volume_below(z, v, top)) - float(curve_volume_below(z, v, bottom))
    if void.remaining_capacity_m3 > (1 + tol) * total:
        raise ValueError(
            "void.remaining_capacity_m3 must not exceed the capacity curve between "
            f"void.bottom_elevation_m and void.top_elevation_m ({bottom:g} .. {top:g} m), "
            f"{total:.0f} m³, by more than void.capacity_curve_rel_tol = {tol:g}; "
            f"got {void.remaining_capacity_m3:.0f}"
        )
