"""Flattening of the slopes of an external dump for reclamation, 004 PR1.

Practical work 1 of [004] flattens the slopes of the dump (:mod:`postmine.methods.dumps`)
by one of two schemes: "bottom-up" (снизу-вверх: the toe stays, the cut rock goes onto the
top, the dump grows higher) and "top-down" (сверху-вниз: the slope turns about its
mid-height, the base grows by ΔL). Table 1.1 compares the schemes by the dump's base, the
dust-polluted land around it and the total allotment.

The equation of the top-down flattening volume, (1.10), was an image in the source and is
lost from the text; it is reconstructed here from frustum geometry and from the text around
it (see the function's Notes).

References
----------
[004] Practical works on rational nature use in mining, PR1 "Расчет площади земельного
      отвода угольного разреза", Eqs. (1.7)-(1.11), Fig. 1.3 and Table 1.1.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

import numpy as np

from postmine.core.checks import angle, non_negative, positive
from postmine.methods.dumps import (
    DUMP_SLOPE_ANGLE,
    DumpGeometry,
    FloatLike,
    _show,
    dump_geometry,
)

__all__ = [
    "FLATTENED_SLOPE_ANGLE",
    "FLATTENING_SCHEMES",
    "AllotmentOption",
    "FlattenedDump",
    "bottom_up_flattening_volume",
    "flatten_bottom_up",
    "flatten_dump",
    "flatten_top_down",
    "flattening_base_growth",
    "flattening_height_increase",
    "most_rational_scheme",
    "top_down_flattening_volume",
]

#: Flattening schemes of Fig. 1.3 in [004]: а) снизу-вверх, б) сверху-вниз.
FLATTENING_SCHEMES: tuple[str, ...] = ("bottom-up", "top-down")
#: β, slope angle after flattening ("β = 18°", legend of Eq. 1.10 in [004]). [°]
FLATTENED_SLOPE_ANGLE = 18.0


class FlattenedDump(NamedTuple):
    """A dump after its slopes are flattened (Eqs. 1.7-1.11 in [004])."""

    scheme: str
    """"bottom-up" (снизу-вверх) or "top-down" (сверху-вниз)."""
    shape: str
    """"circle", "square" or "rectangle"."""
    flattening_volume: FloatLike
    """V_вып, volume of rock moved to flatten the slopes (Eq. 1.7 or 1.10). [m³]"""
    height_increase: FloatLike
    """Δh, rise of the dump (Eq. 1.8); 0 for top-down. [m]"""
    base_growth: FloatLike
    """ΔL, outward shift of the toe (Eq. 1.11); 0 for bottom-up. [m]"""
    height: FloatLike
    """h*, height after flattening (Eq. 1.9; h_о for top-down). [m]"""
    base_size: FloatLike
    """R' = R + ΔL or B' = B + 2ΔL (R, B for bottom-up). [m]"""
    base_length: FloatLike
    """L' = L + 2ΔL (rectangle); R' or B' for the other shapes. [m]"""
    top_area: FloatLike
    """S_в after flattening. [m²]"""
    side_area: FloatLike
    """S_б after flattening. [m²]"""
    base_area: FloatLike
    """S_ос.отв after flattening. [m²]"""
    base_perimeter: FloatLike
    """P_о after flattening. [m]"""


class AllotmentOption(NamedTuple):
    """One column of Table 1.1 in [004]: the land of one flattening scheme."""

    scheme: str
    """"bottom-up" or "top-down"."""
    dump_base_area: float
    """S_ос.отв, land under the dump. [m²]"""
    polluted_area: float
    """S_з, land polluted by dust around the dump. [m²]"""
    total_allotment: float
    """S_зо, total land allotment. [m²]"""


def _check_flattening_angles(slope_angle: FloatLike, flattened_angle: FloatLike) -> None:
    angle("slope_angle", slope_angle)
    angle("flattened_angle", flattened_angle)
    if np.any(np.asarray(flattened_angle) >= np.asarray(slope_angle)):
        raise ValueError(
            "flattened_angle must be < slope_angle "
            f"(got {_show(flattened_angle)} >= {_show(slope_angle)} °)"
        )


def bottom_up_flattening_volume(
    height: FloatLike,
    base_perimeter: FloatLike,
    slope_angle: FloatLike = DUMP_SLOPE_ANGLE,
    flattened_angle: FloatLike = FLATTENED_SLOPE_ANGLE,
) -> FloatLike:
    r"""Volume of rock moved to flatten a dump's slopes bottom-up (снизу-вверх).

    The toe stays; the triangle between the slope at α and a slope at β from the same toe
    up to the full height is cut and carried onto the top, along the whole base perimeter.

    Parameters
    ----------
    height : float or ndarray
        h_о, height of the dump. [m]
    base_perimeter : float or ndarray
        P_о, perimeter of the dump's base. [m]
    slope_angle : float or ndarray, optional
        α, slope angle of the dump, 38° in [004]. [°]
    flattened_angle : float or ndarray, optional
        β < α, slope angle after flattening, 18° in [004]. [°]

    Returns
    -------
    float or ndarray
        V_выпсн, volume of flattening work. [m³]

    Raises
    ------
    ValueError
        If the height is not positive, the perimeter is negative, an angle is outside
        (0°, 90°) or ``flattened_angle >= slope_angle``.

    Notes
    -----
    Eq. (1.7) in [004]:

    .. math:: V_{выпсн} = \frac{h_о^2 P_о \sin(α - β)}{2 \sin α \sin β}

    i.e. the triangle area ½ h_о² (ctg β - ctg α) times P_о. Multiplying by the base
    perimeter rather than the perimeter through the triangle's centroid overstates the
    volume for a closed outline (Pappus); the source accepts this for an estimate.

    References
    ----------
    [004] PR1, Eq. (1.7), Fig. 1.3 a.

    Examples
    --------
    >>> round(float(bottom_up_flattening_volume(10.0, 1.0, 45.0, 30.0)), 4)
    36.6025
    """
    positive("height", height, "m")
    non_negative("base_perimeter", base_perimeter, "m")
    _check_flattening_angles(slope_angle, flattened_angle)
    α, β = np.radians(slope_angle), np.radians(flattened_angle)
    h_о, P_о = np.asarray(height), np.asarray(base_perimeter)
    V: FloatLike = h_о**2 * P_о * np.sin(α - β) / (2.0 * np.sin(α) * np.sin(β))
    return V


def top_down_flattening_volume(
    height: FloatLike,
    base_perimeter: FloatLike,
    slope_angle: FloatLike = DUMP_SLOPE_ANGLE,
    flattened_angle: FloatLike = FLATTENED_SLOPE_ANGLE,
) -> FloatLike:
    r"""Volume of rock moved to flatten a dump's slopes top-down (сверху-вниз).

    The slope turns about its mid-height point: the upper triangle is cut and pushed down
    over the toe, which moves outward by ΔL (Eq. 1.11).

    Parameters
    ----------
    height : float or ndarray
        h_о, height of the dump. [m]
    base_perimeter : float or ndarray
        P_о, perimeter of the dump's base. [m]
    slope_angle : float or ndarray, optional
        α, slope angle of the dump, 38° in [004]. [°]
    flattened_angle : float or ndarray, optional
        β < α, slope angle after flattening, 18° in [004]. [°]

    Returns
    -------
    float or ndarray
        V_выпсв, volume of flattening work. [m³]

    Raises
    ------
    ValueError
        As :func:`bottom_up_flattening_volume`.

    Notes
    -----
    Eq. (1.10) of [004] was an image and is lost. Reconstruction: the slope at β through
    the mid-height point of the slope at α cuts an upper triangle of legs h_о/2 and
    ΔL = ½ h_о (ctg β - ctg α) (Eq. 1.11), area h_о² (ctg β - ctg α) / 8, and fills an equal
    one below; so

    .. math:: V_{выпсв} = \frac{h_о^2 P_о \sin(α - β)}{8 \sin α \sin β}

    a quarter of Eq. (1.7), as the text says ("при выполаживании снизу-вверх ... объем
    работы возрастает в 4 раза").

    References
    ----------
    [004] PR1, Eqs. (1.10)-(1.11), Fig. 1.3 б.

    Examples
    --------
    >>> round(float(top_down_flattening_volume(10.0, 1.0, 45.0, 30.0)), 4)
    9.1506
    """
    V: FloatLike = (
        np.asarray(
            bottom_up_flattening_volume(height, base_perimeter, slope_angle, flattened_angle)
        )
        / 4.0
    )
    return V


def flattening_height_increase(flattening_volume: FloatLike, top_area: FloatLike) -> FloatLike:
    """Rise of a dump whose flattening cut is spread over its top, Δh = V_выпсн / S_в.

    Parameters
    ----------
    flattening_volume : float or ndarray
        V_выпсн, volume cut from the slopes (Eq. 1.7). [m³]
    top_area : float or ndarray
        S_в, area of the dump's top before flattening. [m²]

    Returns
    -------
    float or ndarray
        Δh, increase of the dump's height. [m]

    Raises
    ------
    ValueError
        If the volume is negative or the top area is not positive.

    Notes
    -----
    Eq. (1.8) in [004]; the new height is h* = h_о + Δh (Eq. 1.9). The source spreads the
    cut over the top area before flattening and does not follow the top's shrinking as the
    slopes flatten; this is its estimate.

    References
    ----------
    [004] PR1, Eqs. (1.8)-(1.9).

    Examples
    --------
    >>> float(flattening_height_increase(5000.0, 1000.0))
    5.0
    """
    non_negative("flattening_volume", flattening_volume, "m³")
    positive("top_area", top_area, "m²")
    Δh: FloatLike = np.asarray(flattening_volume) / np.asarray(top_area)
    return Δh


def flattening_base_growth(
    height: FloatLike,
    slope_angle: FloatLike = DUMP_SLOPE_ANGLE,
    flattened_angle: FloatLike = FLATTENED_SLOPE_ANGLE,
) -> FloatLike:
    r"""Outward shift of a dump's toe in top-down flattening, ΔL = ½ h_о (ctg β - ctg α).

    Parameters
    ----------
    height : float or ndarray
        h_о, height of the dump. [m]
    slope_angle : float or ndarray, optional
        α, slope angle of the dump, 38° in [004]. [°]
    flattened_angle : float or ndarray, optional
        β < α, slope angle after flattening, 18° in [004]. [°]

    Returns
    -------
    float or ndarray
        ΔL; the base becomes R' = R + ΔL, B' = B + 2ΔL, L' = L + 2ΔL. [m]

    Raises
    ------
    ValueError
        If the height is not positive, an angle is outside (0°, 90°) or
        ``flattened_angle >= slope_angle``.

    Notes
    -----
    Eq. (1.11) in [004]:

    .. math:: ΔL = 0.5 h_о (\operatorname{ctg} β - \operatorname{ctg} α)

    References
    ----------
    [004] PR1, Eq. (1.11).

    Examples
    --------
    >>> round(float(flattening_base_growth(10.0, 45.0, 30.0)), 4)
    3.6603
    """
    positive("height", height, "m")
    _check_flattening_angles(slope_angle, flattened_angle)
    α, β = np.radians(slope_angle), np.radians(flattened_angle)
    ΔL: FloatLike = 0.5 * np.asarray(height) * (1.0 / np.tan(β) - 1.0 / np.tan(α))
    return ΔL


def flatten_bottom_up(
    dump: DumpGeometry, flattened_angle: FloatLike = FLATTENED_SLOPE_ANGLE
) -> FlattenedDump:
    """Flatten a dump's slopes bottom-up (снизу-вверх): Eqs. (1.7)-(1.9) of [004].

    Parameters
    ----------
    dump : DumpGeometry
        The dump before flattening (e.g. from :func:`dump_for_volume`).
    flattened_angle : float or ndarray, optional
        β < α, slope angle after flattening, 18° in [004]. [°]

    Returns
    -------
    FlattenedDump
        V_выпсн [m³], Δh and h* [m]; the base, top and slope areas and the perimeter are the
        dump's own (see Notes).

    Raises
    ------
    ValueError
        If ``flattened_angle`` is outside (0°, 90°) or not below the dump's slope angle.

    Notes
    -----
    V_выпсн by Eq. (1.7), Δh = V_выпсн / S_в by Eq. (1.8), h* = h_о + Δh by Eq. (1.9).
    The base does not move, so S_ос.отв and P_о stay. [004] recalculates S_в, S_б,
    S_ос.отв, P_о only "с учетом ΔL" (section 1.2), i.e. for the top-down scheme; the
    bottom-up dump keeps its S_в and S_б here too, and only its height changes (Eq. 1.12
    uses h*). A frustum with the same base, slopes at β and height h* does not in general
    hold the dump's volume: Eq. (1.8) is the source's estimate, not a geometric solution.

    References
    ----------
    [004] PR1, Eqs. (1.7)-(1.9), section 1.2, Fig. 1.3 a.

    Examples
    --------
    >>> d = dump_geometry("square", 100.0, 10.0, 45.0)
    >>> f = flatten_bottom_up(d, 30.0)
    >>> round(float(f.height_increase), 4), round(float(f.height), 4)
    (2.2877, 12.2877)
    >>> bool(f.base_area == d.base_area)
    True
    """
    V = bottom_up_flattening_volume(
        dump.height, dump.base_perimeter, dump.slope_angle, flattened_angle
    )
    Δh = flattening_height_increase(V, dump.top_area)
    h_star: FloatLike = np.asarray(dump.height) + np.asarray(Δh)
    return FlattenedDump(
        scheme="bottom-up",
        shape=dump.shape,
        flattening_volume=V,
        height_increase=Δh,
        base_growth=0.0 * np.asarray(Δh),
        height=h_star,
        base_size=dump.base_size,
        base_length=dump.base_length,
        top_area=dump.top_area,
        side_area=dump.side_area,
        base_area=dump.base_area,
        base_perimeter=dump.base_perimeter,
    )


def flatten_top_down(
    dump: DumpGeometry, flattened_angle: FloatLike = FLATTENED_SLOPE_ANGLE
) -> FlattenedDump:
    """Flatten a dump's slopes top-down (сверху-вниз): Eqs. (1.10)-(1.11) of [004].

    Parameters
    ----------
    dump : DumpGeometry
        The dump before flattening (e.g. from :func:`dump_for_volume`).
    flattened_angle : float or ndarray, optional
        β < α, slope angle after flattening, 18° in [004]. [°]

    Returns
    -------
    FlattenedDump
        V_выпсв [m³], ΔL [m], and the recalculated dump: height h_о, base R' = R + ΔL or
        B' = B + 2ΔL, L' = L + 2ΔL, slopes at β, with its S_в, S_б, S_ос.отв [m²] and
        P_о [m].

    Raises
    ------
    ValueError
        If ``flattened_angle`` is outside (0°, 90°) or not below the dump's slope angle, or
        the flattened slopes meet below the top.

    Notes
    -----
    V_выпсв by Eq. (1.10) (reconstructed, see :func:`top_down_flattening_volume`), ΔL by
    Eq. (1.11), then "1.2. Перерасчет параметров отвала S_в, S_б, S_ос.отв, P_о с учетом
    ΔL" of [004]: the frustum of the same height with the enlarged base and slopes at β
    (:func:`dump_geometry`). Its cross-section per unit length of slope equals the old one
    (the cut and fill triangles are equal); the volume of a closed frustum grows by
    κ h_о³ (ctg² β - ctg² α) / 12 (κ = π for a circle, 4 for a rectangle), the fill lying
    farther out than the cut.

    References
    ----------
    [004] PR1, Eqs. (1.10)-(1.11), section 1.2, Fig. 1.3 б.

    Examples
    --------
    >>> d = dump_geometry("circle", 100.0, 10.0, 45.0)
    >>> f = flatten_top_down(d, 30.0)
    >>> round(float(f.base_size), 4), round(float(f.height), 1)
    (103.6603, 10.0)
    """
    V = top_down_flattening_volume(
        dump.height, dump.base_perimeter, dump.slope_angle, flattened_angle
    )
    ΔL = np.asarray(flattening_base_growth(dump.height, dump.slope_angle, flattened_angle))
    grow = ΔL if dump.shape == "circle" else 2.0 * ΔL
    size = np.asarray(dump.base_size) + grow
    length = np.asarray(dump.base_length) + grow if dump.shape == "rectangle" else None
    try:
        new = dump_geometry(dump.shape, size, dump.height, flattened_angle, length)
    except ValueError as exc:
        raise ValueError(
            f"top-down flattening to {_show(flattened_angle)}° impossible: {exc}"
        ) from None
    return FlattenedDump(
        scheme="top-down",
        shape=dump.shape,
        flattening_volume=V,
        height_increase=0.0 * ΔL,
        base_growth=ΔL,
        height=dump.height,
        base_size=new.base_size,
        base_length=new.base_length,
        top_area=new.top_area,
        side_area=new.side_area,
        base_area=new.base_area,
        base_perimeter=new.base_perimeter,
    )


def flatten_dump(
    dump: DumpGeometry,
    scheme: str,
    flattened_angle: FloatLike = FLATTENED_SLOPE_ANGLE,
) -> FlattenedDump:
    """Flatten a dump's slopes by one of the two schemes of Fig. 1.3 in [004].

    Parameters
    ----------
    dump : DumpGeometry
        The dump before flattening.
    scheme : {"bottom-up", "top-down"}
        "bottom-up" (снизу-вверх, :func:`flatten_bottom_up`, Eqs. 1.7-1.9) or "top-down"
        (сверху-вниз, :func:`flatten_top_down`, Eqs. 1.10-1.11).
    flattened_angle : float or ndarray, optional
        β < α, slope angle after flattening, 18° in [004]. [°]

    Returns
    -------
    FlattenedDump
        The flattened dump.

    Raises
    ------
    ValueError
        If ``scheme`` is unknown, or as the scheme's function.

    Notes
    -----
    Dispatcher over Eqs. (1.7)-(1.11) of [004].

    References
    ----------
    [004] PR1, Eqs. (1.7)-(1.11).

    Examples
    --------
    >>> d = dump_geometry("circle", 100.0, 10.0, 45.0)
    >>> flatten_dump(d, "top-down", 30.0).scheme
    'top-down'
    """
    if scheme == "bottom-up":
        return flatten_bottom_up(dump, flattened_angle)
    if scheme == "top-down":
        return flatten_top_down(dump, flattened_angle)
    known = ", ".join(repr(s) for s in FLATTENING_SCHEMES)
    raise ValueError(f"scheme must be one of {known}, got {scheme!r}")


def most_rational_scheme(options: Iterable[AllotmentOption]) -> AllotmentOption:
    """Choose the flattening scheme with the smallest total allotment (Table 1.1 of [004]).

    Parameters
    ----------
    options : iterable of AllotmentOption
        One column of Table 1.1 per scheme: S_ос.отв, S_з and S_зо [m²].

    Returns
    -------
    AllotmentOption
        The option with the smallest S_зо; on a tie, the one with less polluted land, then
        the first given.

    Raises
    ------
    ValueError
        If there is no option or an area is negative.

    Notes
    -----
    The task of PR1 in [004] asks for "the land allotment with the most rational use of
    land" after filling Table 1.1; postmine takes that as the smallest total allotment.

    References
    ----------
    [004] PR1, task text and Table 1.1.

    Examples
    --------
    >>> a = AllotmentOption("bottom-up", 3.6e5, 1.9e6, 5.2e6)
    >>> b = AllotmentOption("top-down", 4.6e5, 2.0e6, 5.4e6)
    >>> most_rational_scheme([a, b]).scheme
    'bottom-up'
    """
    opts = list(options)
    if not opts:
        raise ValueError("options must hold at least one scheme, got none")
    for o in opts:
        non_negative("dump_base_area", o.dump_base_area, "m²")
        non_negative("polluted_area", o.polluted_area, "m²")
        non_negative("total_allotment", o.total_allotment, "m²")
    best = min(range(len(opts)), key=lambda i: (opts[i].total_allotment, opts[i].polluted_area))
    return opts[best]
