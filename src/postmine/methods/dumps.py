"""Geometry of an external overburden dump of 004 PR1 (flattening: :mod:`.dump_flattening`).

Practical work 1 of [004] places the overburden of a pit in one external dump whose base is
a circle, a square or a rectangle, chooses the shape with the smallest base, and flattens
its slopes for reclamation by one of two schemes: "bottom-up" (снизу-вверх: the toe stays,
the cut rock goes onto the top, the dump grows higher) and "top-down" (сверху-вниз: the
slope turns about its mid-height, the base grows by ΔL). Table 1.1 compares the schemes by
the dump's base, the dust-polluted land around it and the total allotment.

The equations of the dump dimensions, (1.4)-(1.6), and of the top-down flattening volume,
(1.10), were images in the source and are lost from the text; they are reconstructed here
from frustum geometry and from the text around them (see each function's Notes).

References
----------
[004] Practical works on rational nature use in mining, PR1 "Расчет площади земельного
      отвода угольного разреза", Eqs. (1.4)-(1.11), Fig. 1.3 and Table 1.1.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from postmine.core.checks import angle, at_least, positive

__all__ = [
    "DUMP_SHAPES",
    "DUMP_SLOPE_ANGLE",
    "RECTANGLE_ASPECT_RATIO",
    "DumpGeometry",
    "base_top_difference",
    "dump_base_size",
    "dump_for_volume",
    "dump_geometry",
    "dump_volume",
    "smallest_base_dump",
]

FloatLike = float | npt.NDArray[np.float64]

#: Base shapes of a dump: a truncated cone, a truncated square pyramid and a rectangular
#: prismoid (text before Eq. 1.4 in [004]).
DUMP_SHAPES: tuple[str, ...] = ("circle", "square", "rectangle")
#: α, slope angle of the dump ("α = 38°", legend of Eqs. 1.4-1.6 in [004]). [°]
DUMP_SLOPE_ANGLE = 38.0
#: n = L/B of a rectangular base; [004] leaves it to the student in 1.5-5 (legend of
#: Eqs. 1.4-1.6). The base area grows with n, so the lower end is the default. [-]
RECTANGLE_ASPECT_RATIO = 1.5

# Plan-shape constants of the three bases with one size s (R or B) and n = L/B:
# base area A = k_A s², base perimeter P = k_P s; an outline offset inward by t keeps
# A(t) = A - P t + κ t² and P(t) = P - 2 κ t (κ = π for a circle, 4 for a rectangle).


class DumpGeometry(NamedTuple):
    """Dimensions, areas and perimeter of a frustum-shaped dump (Eqs. 1.4-1.6 in [004]).

    A circle has one size: its ``base_length`` and ``top_length`` repeat the radii; a square
    repeats its side.
    """

    shape: str
    """"circle", "square" or "rectangle"."""
    height: FloatLike
    """h_о, height of the dump. [m]"""
    slope_angle: FloatLike
    """α, slope angle of the dump. [°]"""
    base_size: FloatLike
    """R, base radius (circle), or B, base width (square, rectangle). [m]"""
    base_length: FloatLike
    """L, base length (rectangle); R or B for the other shapes. [m]"""
    top_size: FloatLike
    """Top radius R - C/2 or top width B - C. [m]"""
    top_length: FloatLike
    """Top length L - C (rectangle); the top radius or width otherwise. [m]"""
    top_area: FloatLike
    """S_в, area of the top. [m²]"""
    side_area: FloatLike
    """S_б, area of the slopes (lateral surface). [m²]"""
    base_area: FloatLike
    """S_ос.отв, area of the base. [m²]"""
    base_perimeter: FloatLike
    """P_о, perimeter of the base. [m]"""
    volume: FloatLike
    """V, volume of the dump. [m³]"""


def _show(value: object) -> str:
    """Format a scalar with ``:g`` and an array with numpy's printer, for messages."""
    arr = np.asarray(value, dtype=float)
    if arr.ndim == 0:
        return f"{float(arr):g}"
    return np.array2string(arr, precision=6)


def _check_shape(shape: str) -> str:
    if shape not in DUMP_SHAPES:
        known = ", ".join(repr(s) for s in DUMP_SHAPES)
        raise ValueError(f"shape must be one of {known}, got {shape!r}")
    return shape


def _plan_constants(shape: str, aspect_ratio: FloatLike) -> tuple[FloatLike, FloatLike, float]:
    """Return k_A, k_P, κ of a base with one size s: A = k_A s², P = k_P s."""
    if shape == "circle":
        return np.pi, 2.0 * np.pi, np.pi
    n = np.asarray(aspect_ratio, dtype=float)
    k_A: FloatLike = n
    k_P: FloatLike = 2.0 * (1.0 + n)
    return k_A, k_P, 4.0


def _inset(shape: str, size: FloatLike, t: FloatLike) -> FloatLike:
    """Size of the outline offset inward by t: R - t for a radius, B - 2t for a side."""
    s = np.asarray(size, dtype=float)
    out: FloatLike = s - np.asarray(t) if shape == "circle" else s - 2.0 * np.asarray(t)
    return out


def _resolve_length(shape: str, base_size: FloatLike, base_length: FloatLike | None) -> FloatLike:
    if shape == "rectangle":
        if base_length is None:
            raise ValueError("base_length must be given for a rectangular base")
        positive("base_length", base_length, "m")
        if np.any(np.asarray(base_length) < np.asarray(base_size)):
            raise ValueError(
                "base_length must be >= base_size (L >= B), "
                f"got {_show(base_length)} < {_show(base_size)} m"
            )
        return base_length
    if base_length is not None:
        raise ValueError(f"base_length applies to a rectangular base only, not to a {shape}")
    return base_size


def _resolve_ratio(shape: str, aspect_ratio: FloatLike | None) -> FloatLike:
    if shape == "rectangle":
        if aspect_ratio is None:
            raise ValueError("aspect_ratio must be given for a rectangular base")
        return at_least("aspect_ratio", aspect_ratio, 1.0)
    if aspect_ratio is not None:
        raise ValueError(f"aspect_ratio applies to a rectangular base only, not to a {shape}")
    return 1.0


def base_top_difference(height: FloatLike, slope_angle: FloatLike) -> FloatLike:
    """Difference between the base width and the top width of a dump, C = 2 h_о ctg α.

    Parameters
    ----------
    height : float or ndarray
        h_о, height of the dump. [m]
    slope_angle : float or ndarray
        α, slope angle of the dump. [°]

    Returns
    -------
    float or ndarray
        C, base width minus top width (twice the horizontal run of one slope). [m]

    Raises
    ------
    ValueError
        If ``height`` is not positive or ``slope_angle`` is outside (0°, 90°).

    Notes
    -----
    Legend of Eqs. (1.4)-(1.6) in [004]: "С = 2h_о ctg α".

    References
    ----------
    [004] PR1, legend of Eqs. (1.4)-(1.6).

    Examples
    --------
    >>> round(float(base_top_difference(45.0, 45.0)), 6)
    90.0
    """
    positive("height", height, "m")
    angle("slope_angle", slope_angle)
    C: FloatLike = 2.0 * np.asarray(height) / np.tan(np.radians(slope_angle))
    return C


def dump_volume(
    shape: str,
    base_size: FloatLike,
    height: FloatLike,
    slope_angle: FloatLike,
    base_length: FloatLike | None = None,
) -> FloatLike:
    r"""Volume of a frustum-shaped dump from its base, height and slope angle.

    Parameters
    ----------
    shape : {"circle", "square", "rectangle"}
        Shape of the base.
    base_size : float or ndarray
        R, base radius (circle), or B, base width (square, rectangle). [m]
    height : float or ndarray
        h_о, height of the dump. [m]
    slope_angle : float or ndarray
        α, slope angle of the dump. [°]
    base_length : float or ndarray, optional
        L >= B, base length; required for a rectangle, not allowed for the other shapes. [m]

    Returns
    -------
    float or ndarray
        V_кр, V_кв or V_пр, volume of the dump. [m³]

    Raises
    ------
    ValueError
        If ``shape`` is unknown, a size or the height is not positive, the slope angle is
        outside (0°, 90°), ``base_length`` is missing for a rectangle (or given for another
        shape) or shorter than ``base_size``, or the slopes meet below the height (the top
        would have a negative width).

    Notes
    -----
    Reconstruction of Eqs. (1.4)-(1.6) in [004] (images lost in the extraction), with
    C = 2 h_о ctg α:

    .. math::

        V_{кр} &= π h_о (R^2 - R C / 2 + C^2 / 12)        \quad\text{(truncated cone)}\\
        V_{кв} &= h_о (B^2 - B C + C^2 / 3)              \quad\text{(truncated pyramid)}\\
        V_{пр} &= h_о (B L - (B + L) C / 2 + C^2 / 3)    \quad\text{(rectangular prismoid)}

    each the integral over height of the base outline offset inward by z ctg α.

    References
    ----------
    [004] PR1, Eqs. (1.4)-(1.6).

    Examples
    --------
    A square pyramid frustum 100 m wide at the base, 10 m high, slopes at 45° (top 80 m):
    10 (100² - 100 · 20 + 20² / 3) = 81 333 m³.

    >>> round(float(dump_volume("square", 100.0, 10.0, 45.0)))
    81333
    """
    return dump_geometry(shape, base_size, height, slope_angle, base_length).volume


def dump_geometry(
    shape: str,
    base_size: FloatLike,
    height: FloatLike,
    slope_angle: FloatLike,
    base_length: FloatLike | None = None,
) -> DumpGeometry:
    r"""Top, slopes, base and volume of a frustum-shaped dump of given base and height.

    Parameters
    ----------
    shape : {"circle", "square", "rectangle"}
        Shape of the base.
    base_size : float or ndarray
        R, base radius (circle), or B, base width (square, rectangle). [m]
    height : float or ndarray
        h_о, height of the dump. [m]
    slope_angle : float or ndarray
        α, slope angle of the dump. [°]
    base_length : float or ndarray, optional
        L >= B, base length; required for a rectangle, not allowed for the other shapes. [m]

    Returns
    -------
    DumpGeometry
        Sizes [m], S_в, S_б, S_ос.отв [m²], P_о [m] and volume [m³].

    Raises
    ------
    ValueError
        As :func:`dump_volume`.

    Notes
    -----
    Reconstruction of the parameter lists of Eqs. (1.4)-(1.6) in [004] (images lost), with
    C = 2 h_о ctg α and slant height h_о / sin α:

    ============  ===================  ===========================  ===========  =========
    base          S_в                  S_б                          S_ос.отв     P_о
    ============  ===================  ===========================  ===========  =========
    circle        π (R - C/2)²         π (2R - C/2) h_о / sin α     π R²         2 π R
    square        (B - C)²             2 (2B - C) h_о / sin α       B²           4 B
    rectangle     (B - C)(L - C)       (2B + 2L - 2C) h_о / sin α   B L          2 (B + L)
    ============  ===================  ===========================  ===========  =========

    The slope area is the mean of the base and top perimeters times the slant height (exact
    for a cone frustum and for planar trapezoidal faces).

    References
    ----------
    [004] PR1, Eqs. (1.4)-(1.6).

    Examples
    --------
    >>> g = dump_geometry("circle", 100.0, 10.0, 45.0)
    >>> round(float(g.top_size), 6), round(float(g.base_area)), round(float(g.top_area))
    (90.0, 31416, 25447)
    """
    _check_shape(shape)
    positive("base_size", base_size, "m")
    C = base_top_difference(height, slope_angle)
    length = _resolve_length(shape, base_size, base_length)
    c = np.asarray(C) / 2.0  # h_о ctg α, horizontal run of one slope
    h_о = np.asarray(height, dtype=float)
    top = _inset(shape, base_size, c)
    top_len = _inset(shape, length, c)
    # a top narrower than zero by rounding only (a dump sized for its smallest volume) is zero
    tol = 1e-9 * np.asarray(base_size, dtype=float)
    if np.any(np.asarray(top) < -tol):
        raise ValueError(
            f"base_size {_show(base_size)} m is too small for a {shape} dump of height "
            f"{_show(h_о)} m with slopes at {_show(slope_angle)}°: the slopes meet below the top"
        )
    top, top_len = np.maximum(top, 0.0), np.maximum(top_len, 0.0)
    s, L = np.asarray(base_size, dtype=float), np.asarray(length, dtype=float)
    slant = h_о / np.sin(np.radians(slope_angle))
    if shape == "circle":
        R, r = s, np.asarray(top)
        S_ос, P_о = np.pi * R**2, 2.0 * np.pi * R
        S_в, P_в = np.pi * r**2, 2.0 * np.pi * r
        V = np.pi * h_о * (R**2 - R * c + c**2 / 3.0)
    else:
        B, b, l_в = s, np.asarray(top), np.asarray(top_len)
        S_ос, P_о = B * L, 2.0 * (B + L)
        S_в, P_в = b * l_в, 2.0 * (b + l_в)
        V = h_о * (B * L - (B + L) * c + 4.0 * c**2 / 3.0)
    S_б = 0.5 * (P_о + P_в) * slant
    return DumpGeometry(
        shape=shape,
        height=height,
        slope_angle=slope_angle,
        base_size=base_size,
        base_length=length,
        top_size=top,
        top_length=top_len,
        top_area=S_в,
        side_area=S_б,
        base_area=S_ос,
        base_perimeter=P_о,
        volume=V,
    )


def dump_base_size(
    shape: str,
    volume: FloatLike,
    height: FloatLike,
    slope_angle: FloatLike,
    aspect_ratio: FloatLike | None = None,
) -> FloatLike:
    r"""Solve the base radius or width of a dump of given height, slope and volume.

    Parameters
    ----------
    shape : {"circle", "square", "rectangle"}
        Shape of the base.
    volume : float or ndarray
        V_кр, V_кв or V_пр, volume to place in the dump (V_вс of Eq. 1.3). [m³]
    height : float or ndarray
        h_о, height of the dump. [m]
    slope_angle : float or ndarray
        α, slope angle of the dump. [°]
    aspect_ratio : float or ndarray, optional
        n = L / B >= 1 of a rectangular base ([004]: 1.5-5); required for a rectangle, not
        allowed for the other shapes. [-]

    Returns
    -------
    float or ndarray
        R, base radius (circle), or B, base width (square, rectangle; L = n B). [m]

    Raises
    ------
    ValueError
        If ``shape`` is unknown, the volume or height is not positive, the slope angle is
        outside (0°, 90°), ``aspect_ratio`` is missing for a rectangle, given for another
        shape or below 1, or the volume is smaller than that of the complete cone, pyramid
        or wedge of this height and slope (the top would have a negative width).

    Notes
    -----
    Reconstruction of Eqs. (1.4)-(1.6) in [004] (images lost): the volume equations of
    :func:`dump_volume` solved for the base size (the larger root of a quadratic, the one
    with a non-negative top):

    .. math::

        R &= C/4 + \sqrt{V_{кр} / (π h_о) - C^2/48}\\
        B &= C/2 + \sqrt{V_{кв} / h_о - C^2/12}\\
        B &= \frac{(1 + n) C/2 + \sqrt{(1 + n)^2 C^2/4 - 4 n (C^2/3 - V_{пр}/h_о)}}{2 n},
             \quad L = n B

    References
    ----------
    [004] PR1, Eqs. (1.4)-(1.6).

    Examples
    --------
    >>> round(float(dump_base_size("square", 81333.333, 10.0, 45.0)), 3)
    100.0
    """
    _check_shape(shape)
    positive("volume", volume, "m³")
    n = _resolve_ratio(shape, aspect_ratio)
    C = np.asarray(base_top_difference(height, slope_angle))
    c, h_о, V = C / 2.0, np.asarray(height, dtype=float), np.asarray(volume, dtype=float)
    k_A, k_P, κ = _plan_constants(shape, n)
    # V / h_о = k_A s² - k_P c s / 2 + κ c² / 3; the smallest volume keeps the top at zero
    # width: s_min = c (circle) or 2c (sides).
    s_min = c if shape == "circle" else 2.0 * c
    v_min = h_о * (k_A * s_min**2 - k_P * c * s_min / 2.0 + κ * c**2 / 3.0)
    if np.any(np.less(V, v_min * (1.0 - 1e-9))):
        raise ValueError(
            f"volume {_show(V)} m³ is too small for a {shape} dump of height {_show(h_о)} m "
            f"with slopes at {_show(slope_angle)}°: it must be >= {_show(v_min)} m³ "
            "(top width >= 0)"
        )
    p = np.asarray(k_P) * c / 2.0
    disc = np.maximum(p**2 - 4.0 * np.asarray(k_A) * (κ * c**2 / 3.0 - V / h_о), 0.0)
    s: FloatLike = (p + np.sqrt(disc)) / (2.0 * np.asarray(k_A))
    return s


def dump_for_volume(
    shape: str,
    volume: FloatLike,
    height: FloatLike,
    slope_angle: FloatLike = DUMP_SLOPE_ANGLE,
    aspect_ratio: FloatLike | None = None,
) -> DumpGeometry:
    """Dimensions and areas of a dump of given shape, height and slope holding a volume.

    The parameters of Eqs. (1.4)-(1.6) in [004]: the base size from :func:`dump_base_size`,
    then the top, slopes, base and perimeter from :func:`dump_geometry`.

    Parameters
    ----------
    shape : {"circle", "square", "rectangle"}
        Shape of the base.
    volume : float or ndarray
        V_вс, overburden volume placed in the dump. [m³]
    height : float or ndarray
        h_о, height of the dump. [m]
    slope_angle : float or ndarray, optional
        α, slope angle of the dump, 38° in [004]. [°]
    aspect_ratio : float or ndarray, optional
        n = L / B of a rectangular base ([004]: 1.5-5); required for a rectangle only. [-]

    Returns
    -------
    DumpGeometry
        Sizes [m], S_в, S_б, S_ос.отв [m²], P_о [m] and volume [m³].

    Raises
    ------
    ValueError
        As :func:`dump_base_size`.

    Notes
    -----
    See :func:`dump_base_size` and :func:`dump_geometry` for the reconstructed
    Eqs. (1.4)-(1.6).

    References
    ----------
    [004] PR1, Eqs. (1.4)-(1.6).

    Examples
    --------
    >>> g = dump_for_volume("rectangle", 1.0e6, 20.0, 38.0, aspect_ratio=2.0)
    >>> round(float(g.base_length / g.base_size), 6), round(float(g.volume))
    (2.0, 1000000)
    """
    s = dump_base_size(shape, volume, height, slope_angle, aspect_ratio)
    length = np.asarray(s) * np.asarray(aspect_ratio) if shape == "rectangle" else None
    return dump_geometry(shape, s, height, slope_angle, length)


def smallest_base_dump(dumps: Iterable[DumpGeometry]) -> DumpGeometry:
    """Choose the dump with the smallest base area among candidates of equal volume.

    Parameters
    ----------
    dumps : iterable of DumpGeometry
        Candidate dumps with scalar areas (e.g. one per shape of :data:`DUMP_SHAPES`).

    Returns
    -------
    DumpGeometry
        The candidate with the smallest S_ос.отв (the first one on a tie).

    Raises
    ------
    ValueError
        If there is no candidate, a candidate has array-valued areas, or the candidates do
        not hold the same volume (within 1e-9 relative).

    Notes
    -----
    [004], after Eq. (1.6): "На основании расчетов выбрать форму основания отвала с
    минимальной площадью" (choose the base shape with the smallest area). For equal volume
    and height the base area grows with the base perimeter, so a circle always wins.

    References
    ----------
    [004] PR1, text after Eq. (1.6).

    Examples
    --------
    >>> cands = [dump_for_volume(s, 1.0e6, 20.0) for s in ("circle", "square")]
    >>> smallest_base_dump(cands).shape
    'circle'
    """
    candidates = list(dumps)
    if not candidates:
        raise ValueError("dumps must hold at least one candidate, got none")
    areas = [np.asarray(d.base_area) for d in candidates]
    if any(a.ndim != 0 for a in areas):
        raise ValueError("dumps must have scalar areas to be compared")
    volumes = np.array([float(np.asarray(d.volume)) for d in candidates])
    if not np.allclose(volumes, volumes[0], rtol=1e-9, atol=0.0):
        raise ValueError(f"dumps must hold the same volume to be compared, got {_show(volumes)} m³")
    return candidates[int(np.argmin([float(a) for a in areas]))]
