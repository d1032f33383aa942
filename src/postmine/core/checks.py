"""Validators used at the top of every calculation function.

Each validator returns its value (as given, scalar or array) so a check is one line::

    density = positive("bulk_density", density, "t/m³")

and raises :class:`ValueError` naming the parameter, the offending value and the allowed
range when any element is outside it (NaN is always outside).
"""

from __future__ import annotations

import math
from typing import Any, TypeVar

import numpy as np

T = TypeVar("T")

__all__ = [
    "angle",
    "at_least",
    "fraction",
    "in_range",
    "non_negative",
    "positive",
]


def _first_bad(value: Any, ok: np.ndarray) -> Any:
    arr = np.asarray(value, dtype=float)
    if arr.ndim == 0:
        return value
    return arr[~ok].flat[0]


def _fmt(x: Any) -> str:
    try:
        return f"{float(x):g}"
    except (TypeError, ValueError):
        return repr(x)


def _as_float_array(name: str, value: Any) -> np.ndarray:
    try:
        return np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, got {value!r}") from None


def _scalar_ok(
    x: float, low: float, high: float, low_inclusive: bool, high_inclusive: bool
) -> bool:
    """Return whether one number lies in the interval (NaN never does; +-inf only if bounded)."""
    ok = (x >= low if low_inclusive else x > low) and (x <= high if high_inclusive else x < high)
    if math.isinf(low) and math.isinf(high):
        ok = ok and math.isfinite(x)
    return ok


def in_range(
    name: str,
    value: T,
    low: float = -np.inf,
    high: float = np.inf,
    unit: str = "",
    *,
    low_inclusive: bool = True,
    high_inclusive: bool = True,
) -> T:
    """Check that every element of ``value`` lies in the interval from ``low`` to ``high``.

    Parameters
    ----------
    name : str
        Parameter name used in the message.
    value : float or array_like
        Value to check.
    low, high : float
        Bounds of the allowed interval. [unit]
    unit : str
        Unit printed after the bounds and the value.
    low_inclusive, high_inclusive : bool
        Whether the bounds themselves are allowed.

    Returns
    -------
    value
        The value, unchanged.

    Raises
    ------
    ValueError
        If any element is outside the interval or NaN.

    Examples
    --------
    >>> in_range("slope_angle", 38.0, 0, 90, "°", low_inclusive=False, high_inclusive=False)
    38.0
    """
    if isinstance(value, int | float) and _scalar_ok(
        float(value), low, high, low_inclusive, high_inclusive
    ):
        return value  # a plain number inside the interval: no array needed
    arr = _as_float_array(name, value)
    ok_low = arr >= low if low_inclusive else arr > low
    ok_high = arr <= high if high_inclusive else arr < high
    ok = ok_low & ok_high & ~np.isnan(arr)
    if np.isinf(low) and np.isinf(high):
        ok = ok & np.isfinite(arr)
    if not np.all(ok):
        bad = _first_bad(value, np.asarray(ok))
        u = f" {unit}" if unit else ""
        if np.isinf(high) and np.isinf(low):
            allowed = "a finite number"
        elif np.isinf(high):
            allowed = f"{'>=' if low_inclusive else '>'} {_fmt(low)}{u}"
        elif np.isinf(low):
            allowed = f"{'<=' if high_inclusive else '<'} {_fmt(high)}{u}"
        else:
            lb = "[" if low_inclusive else "("
            hb = "]" if high_inclusive else ")"
            allowed = f"in {lb}{_fmt(low)}, {_fmt(high)}{hb}{u}"
        raise ValueError(f"{name} must be {allowed}, got {_fmt(bad)}{u}")
    return value


def positive(name: str, value: T, unit: str = "") -> T:
    """Check ``value > 0``; see :func:`in_range`.

    Examples
    --------
    >>> positive("bulk_density", 2.1, "t/m³")
    2.1
    """
    return in_range(name, value, 0.0, np.inf, unit, low_inclusive=False)


def non_negative(name: str, value: T, unit: str = "") -> T:
    """Check ``value >= 0``; see :func:`in_range`.

    Examples
    --------
    >>> non_negative("haul_distance", 0.0, "m")
    0.0
    """
    return in_range(name, value, 0.0, np.inf, unit)


def at_least(name: str, value: T, low: float, unit: str = "") -> T:
    """Check ``value >= low``; see :func:`in_range`.

    Examples
    --------
    >>> at_least("loosening_factor", 1.08, 1.0)
    1.08
    """
    return in_range(name, value, low, np.inf, unit)


def fraction(name: str, value: T, *, allow_one: bool = False) -> T:
    """Check a share: ``0 <= value < 1`` (or ``<= 1`` with ``allow_one``); see :func:`in_range`.

    Examples
    --------
    >>> fraction("ore_loss", 0.05)
    0.05
    """
    return in_range(name, value, 0.0, 1.0, "", high_inclusive=allow_one)


def angle(name: str, value: T) -> T:
    """Check a slope or dip angle strictly between 0° and 90°; see :func:`in_range`.

    Examples
    --------
    >>> angle("slope_angle", 38)
    38
    """
    return in_range(name, value, 0.0, 90.0, "°", low_inclusive=False, high_inclusive=False)
