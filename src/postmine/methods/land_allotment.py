"""Land allotment of an open pit: mining allotment, overburden volume, topsoil store.

Practical work 1 of [004] sizes the land allotment of a coal open pit as the sum of the
mining allotment (the pit with its sanitary protection zone), the external overburden dump
and the topsoil store, times a territory development factor. This module holds the pit,
topsoil and total-allotment formulas; the dump geometry and its slope flattening are in
:mod:`postmine.methods.dumps`, the dust zone around the dump in :mod:`postmine.methods.dust`.

References
----------
[004] Practical works on rational nature use in mining, PR1 "Расчет площади земельного
      отвода угольного разреза", Eqs. (1.1)-(1.3) and (1.19).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from postmine.core.checks import angle, at_least, fraction, in_range, non_negative, positive

__all__ = [
    "DEVELOPMENT_FACTOR",
    "OVERBURDEN_LOOSENING_FACTOR",
    "SANITARY_ZONE_WIDTH",
    "TOPSOIL_LOOSENING_FACTOR",
    "TOPSOIL_SLOPE_FACTOR",
    "disturbed_land_area",
    "mining_allotment_area",
    "overburden_volume",
    "pit_bottom_area",
    "pit_bottom_perimeter",
    "pit_wall_run",
    "topsoil_store_area",
    "topsoil_volume",
    "total_land_allotment",
]

FloatLike = float | npt.NDArray[np.float64]

#: l, width of the sanitary protection zone of a coal open pit for preliminary estimates
#: ("l ≥ 500 м", legend of Eq. 1.2 in [004]). [m]
SANITARY_ZONE_WIDTH = 500.0
#: K_разр, loosening factor of the overburden in the dump (legend of Eq. 1.3 in [004]).
OVERBURDEN_LOOSENING_FACTOR = 1.4
#: K_р, development factor of the allotment territory; [004] gives 1.15-1.2 (legend of
#: Eq. 1.1); the lower end is the default of postmine.
DEVELOPMENT_FACTOR = 1.15
#: K_р, loosening factor of the stored topsoil (legend of Eq. 1.19 in [004]).
TOPSOIL_LOOSENING_FACTOR = 1.1
#: K_отк, slope factor of the topsoil stack (legend of Eq. 1.19 in [004]).
TOPSOIL_SLOPE_FACTOR = 0.75


def pit_bottom_area(length: FloatLike, width: FloatLike) -> FloatLike:
    """Area of a rectangular pit bottom, S_пи = S = L_д B_д.

    Parameters
    ----------
    length : float or ndarray
        L_д, length of the pit bottom. [m]
    width : float or ndarray
        B_д, width of the pit bottom. [m]

    Returns
    -------
    float or ndarray
        S_пи, area of the pit bottom. [m²]

    Raises
    ------
    ValueError
        If a size is not positive.

    Notes
    -----
    Table 1.2 of [004] gives the pit bottom as "L × B, км" (Fig. 1.2: L_д, B_д); Eqs. (1.2)
    and (1.3) use its area S_пи (S) and perimeter P.

    References
    ----------
    [004] PR1, Eq. (1.2), Fig. 1.2 and Table 1.2.

    Examples
    --------
    >>> float(pit_bottom_area(1100.0, 90.0))
    99000.0
    """
    positive("length", length, "m")
    positive("width", width, "m")
    area: FloatLike = np.multiply(length, width)
    return area


def pit_bottom_perimeter(length: FloatLike, width: FloatLike) -> FloatLike:
    """Perimeter of a rectangular pit bottom, P = 2 (L_д + B_д).

    Parameters
    ----------
    length : float or ndarray
        L_д, length of the pit bottom. [m]
    width : float or ndarray
        B_д, width of the pit bottom. [m]

    Returns
    -------
    float or ndarray
        P, perimeter of the pit bottom. [m]

    Raises
    ------
    ValueError
        If a size is not positive.

    Notes
    -----
    See :func:`pit_bottom_area`.

    References
    ----------
    [004] PR1, Eq. (1.2), Fig. 1.2 and Table 1.2.

    Examples
    --------
    >>> float(pit_bottom_perimeter(1100.0, 90.0))
    2380.0
    """
    positive("length", length, "m")
    positive("width", width, "m")
    perimeter: FloatLike = 2.0 * np.add(length, width)
    return perimeter


def pit_wall_run(pit_depth: FloatLike, pit_slope_angle: FloatLike) -> FloatLike:
    """Horizontal run of the pit walls from the bottom edge to the surface, H_к ctg φ_ср.

    Parameters
    ----------
    pit_depth : float or ndarray
        H_к, depth of the pit. [m]
    pit_slope_angle : float or ndarray
        φ_ср, mean overall slope angle of the pit walls. [°]

    Returns
    -------
    float or ndarray
        H_к ctg φ_ср. [m]

    Raises
    ------
    ValueError
        If ``pit_depth`` is negative or ``pit_slope_angle`` is outside (0°, 90°).

    Notes
    -----
    The term of Eqs. (1.2) and (1.3) in [004] by which the pit outline at the surface lies
    outside the bottom outline.

    References
    ----------
    [004] PR1, Eqs. (1.2)-(1.3).

    Examples
    --------
    >>> round(float(pit_wall_run(55.0, 45.0)), 6)
    55.0
    """
    non_negative("pit_depth", pit_depth, "m")
    angle("pit_slope_angle", pit_slope_angle)
    run: FloatLike = np.asarray(pit_depth) / np.tan(np.radians(pit_slope_angle))
    return run


def mining_allotment_area(
    bottom_area: FloatLike,
    bottom_perimeter: FloatLike,
    pit_depth: FloatLike,
    pit_slope_angle: FloatLike,
    sanitary_zone_width: FloatLike = SANITARY_ZONE_WIDTH,
) -> FloatLike:
    r"""Area of the mining allotment of an open pit with its sanitary protection zone.

    The pit bottom outline is offset outward by the horizontal run of the walls and by the
    width of the sanitary zone; the area of a convex outline offset by d grows by P d + π d²
    (rounded corners).

    Parameters
    ----------
    bottom_area : float or ndarray
        S_пи, area of the deposit or of the pit bottom. [m²]
    bottom_perimeter : float or ndarray
        P, perimeter of the pit bottom. [m]
    pit_depth : float or ndarray
        H_к, depth of the pit. [m]
    pit_slope_angle : float or ndarray
        φ_ср, mean overall slope angle of the pit walls. [°]
    sanitary_zone_width : float or ndarray, optional
        l, width of the sanitary protection zone; [004] takes 500 m for coal pits in
        preliminary estimates; 0 gives the pit outline at the surface. [m]

    Returns
    -------
    float or ndarray
        S_го, area of the mining allotment. [m²]

    Raises
    ------
    ValueError
        If an area, perimeter, depth or zone width is negative, or the slope angle is outside
        (0°, 90°).

    Notes
    -----
    Eq. (1.2) in [004]:

    .. math:: S_{го} = S_{пи} + P (H_к \operatorname{ctg} φ_{ср} + l)
              + π (H_к \operatorname{ctg} φ_{ср} + l)^2

    The extraction lost the "+" signs and the square; this reading is the area of the
    bottom outline offset by H_к ctg φ_ср + l (reading notes on PR1).

    References
    ----------
    [004] PR1, Eq. (1.2), Fig. 1.2.

    Examples
    --------
    A 1100 m × 90 m bottom, 55 m deep, walls at 45°, 500 m zone: offset d = 555 m,
    99 000 + 2380 · 555 + π · 555² = 2 387 589 m².

    >>> round(float(mining_allotment_area(99000.0, 2380.0, 55.0, 45.0)))
    2387589
    """
    non_negative("bottom_area", bottom_area, "m²")
    non_negative("bottom_perimeter", bottom_perimeter, "m")
    non_negative("sanitary_zone_width", sanitary_zone_width, "m")
    offset = np.asarray(pit_wall_run(pit_depth, pit_slope_angle)) + np.asarray(sanitary_zone_width)
    S_пи, P = np.asarray(bottom_area), np.asarray(bottom_perimeter)
    S_го: FloatLike = S_пи + P * offset + np.pi * offset**2
    return S_го


def overburden_volume(
    bottom_area: FloatLike,
    bottom_perimeter: FloatLike,
    pit_depth: FloatLike,
    pit_slope_angle: FloatLike,
    coal_bearing_ratio: FloatLike,
    loosening_factor: FloatLike = OVERBURDEN_LOOSENING_FACTOR,
) -> FloatLike:
    r"""Loose volume of overburden from the pit to be placed in the external dump.

    The pit is the solid between its bottom outline and the outline offset by the wall run
    at the surface; the coal share of it is taken away and the rest is loosened.

    Parameters
    ----------
    bottom_area : float or ndarray
        S, area of the pit bottom. [m²]
    bottom_perimeter : float or ndarray
        P, perimeter of the pit bottom. [m]
    pit_depth : float or ndarray
        H_к, depth of the pit. [m]
    pit_slope_angle : float or ndarray
        φ_ср, mean overall slope angle of the pit walls. [°]
    coal_bearing_ratio : float or ndarray
        K_у, coal-bearing coefficient: the share of coal in the pit volume, 0 <= K_у < 1. [-]
    loosening_factor : float or ndarray, optional
        K_разр, loosening factor of the overburden, 1.4 in [004]. [-]

    Returns
    -------
    float or ndarray
        V_вс, volume of overburden in the dump. [m³]

    Raises
    ------
    ValueError
        If an area, perimeter or depth is negative, the slope angle is outside (0°, 90°),
        ``coal_bearing_ratio`` is outside [0, 1) or ``loosening_factor`` < 1.

    Notes
    -----
    Eq. (1.3) in [004]:

    .. math:: V_{вс} = \left[S H_к + 0.5 P H_к^2 \operatorname{ctg} φ_{ср}
              + π H_к^3 \operatorname{ctg}^2 φ_{ср} / 3\right] (1 - K_у) K_{разр}

    The bracket is the integral over depth of the area of the bottom outline offset by
    z ctg φ_ср (the same offset as Eq. 1.2).

    References
    ----------
    [004] PR1, Eq. (1.3).

    Examples
    --------
    >>> round(float(overburden_volume(10000.0, 400.0, 10.0, 45.0, 0.0, 1.0)))
    121047
    """
    non_negative("bottom_area", bottom_area, "m²")
    non_negative("bottom_perimeter", bottom_perimeter, "m")
    fraction("coal_bearing_ratio", coal_bearing_ratio)
    at_least("loosening_factor", loosening_factor, 1.0)
    run = np.asarray(pit_wall_run(pit_depth, pit_slope_angle))  # H_к ctg φ_ср
    S, P, H_к = np.asarray(bottom_area), np.asarray(bottom_perimeter), np.asarray(pit_depth)
    K_у, K_разр = np.asarray(coal_bearing_ratio), np.asarray(loosening_factor)
    pit_volume = S * H_к + 0.5 * P * H_к * run + np.pi * H_к * run**2 / 3.0
    V_вс: FloatLike = pit_volume * (1.0 - K_у) * K_разр
    return V_вс


def disturbed_land_area(pit_area: FloatLike, dump_base_area: FloatLike) -> FloatLike:
    """Area of disturbed land from which the topsoil is stripped, S_н.

    Parameters
    ----------
    pit_area : float or ndarray
        Area of the mining allotment without the sanitary zone, i.e.
        :func:`mining_allotment_area` with ``sanitary_zone_width=0``. [m²]
    dump_base_area : float or ndarray
        S_ос.отв, base area of the dump after its slopes are flattened. [m²]

    Returns
    -------
    float or ndarray
        S_н, disturbed area. [m²]

    Raises
    ------
    ValueError
        If an area is negative.

    Notes
    -----
    Legend of Eq. (1.19) in [004]: S_н is "the sum of the mining allotment without the
    sanitary protection zone and the area occupied by the dump after its slopes are
    flattened".

    References
    ----------
    [004] PR1, legend of Eq. (1.19).

    Examples
    --------
    >>> float(disturbed_land_area(1.5e6, 3.6e5))
    1860000.0
    """
    non_negative("pit_area", pit_area, "m²")
    non_negative("dump_base_area", dump_base_area, "m²")
    S_н: FloatLike = np.add(pit_area, dump_base_area)
    return S_н


def topsoil_volume(
    disturbed_area: FloatLike,
    topsoil_thickness: FloatLike,
    loosening_factor: FloatLike = TOPSOIL_LOOSENING_FACTOR,
) -> FloatLike:
    """Loose volume of topsoil stripped from the disturbed land, V_пп = S_н m_п K_р.

    Parameters
    ----------
    disturbed_area : float or ndarray
        S_н, disturbed area (see :func:`disturbed_land_area`). [m²]
    topsoil_thickness : float or ndarray
        m_п, thickness of the fertile layer. [m]
    loosening_factor : float or ndarray, optional
        K_р, loosening factor of the topsoil, 1.1 in [004]. [-]

    Returns
    -------
    float or ndarray
        V_пп, volume of topsoil in the store. [m³]

    Raises
    ------
    ValueError
        If the area or thickness is negative, or ``loosening_factor`` < 1.

    Notes
    -----
    Numerator of Eq. (1.19) in [004]: V_пп = S_н m_п K_р. This K_р (topsoil loosening, 1.1)
    is not the K_р of Eq. (1.1) (territory development, 1.15-1.2).

    References
    ----------
    [004] PR1, Eq. (1.19).

    Examples
    --------
    >>> round(float(topsoil_volume(1.0e6, 0.5)))
    550000
    """
    non_negative("disturbed_area", disturbed_area, "m²")
    non_negative("topsoil_thickness", topsoil_thickness, "m")
    at_least("loosening_factor", loosening_factor, 1.0)
    V_пп: FloatLike = np.asarray(disturbed_area) * np.asarray(topsoil_thickness)
    V_пп = V_пп * np.asarray(loosening_factor)
    return V_пп


def topsoil_store_area(
    topsoil_volume: FloatLike,
    stack_height: FloatLike,
    slope_factor: FloatLike = TOPSOIL_SLOPE_FACTOR,
) -> FloatLike:
    r"""Land taken by the topsoil store, S_ск = V_пп / (h_п K_отк).

    Parameters
    ----------
    topsoil_volume : float or ndarray
        V_пп, loose volume of topsoil to store (see :func:`topsoil_volume`). [m³]
    stack_height : float or ndarray
        h_п, height of the topsoil stack. [m]
    slope_factor : float or ndarray, optional
        K_отк, slope factor of the stack: the ratio of the stack's volume to that of a
        vertical-walled prism on the same base, 0 < K_отк <= 1; 0.75 in [004]. [-]

    Returns
    -------
    float or ndarray
        S_ск, area of the topsoil store (S_пп of Eq. 1.1). [m²]

    Raises
    ------
    ValueError
        If the volume is negative, the height is not positive or ``slope_factor`` is
        outside (0, 1].

    Notes
    -----
    Eq. (1.19) in [004]:

    .. math:: S_{ск} = \frac{V_{пп}}{h_п K_{отк}} = \frac{S_н m_п K_р}{h_п K_{отк}}

    References
    ----------
    [004] PR1, Eq. (1.19).

    Examples
    --------
    >>> round(float(topsoil_store_area(550000.0, 5.0)))
    146667
    """
    non_negative("topsoil_volume", topsoil_volume, "m³")
    positive("stack_height", stack_height, "m")
    in_range("slope_factor", slope_factor, 0.0, 1.0, low_inclusive=False)
    S_ск: FloatLike = np.asarray(topsoil_volume) / (
        np.asarray(stack_height) * np.asarray(slope_factor)
    )
    return S_ск


def total_land_allotment(
    mining_allotment_area: FloatLike,
    dump_base_area: FloatLike,
    topsoil_store_area: FloatLike,
    development_factor: FloatLike = DEVELOPMENT_FACTOR,
    polluted_area: FloatLike = 0.0,
) -> FloatLike:
    r"""Total land allotment of an open pit, S_зо = (S_го + S_ос.отв + S_пп) K_р.

    Parameters
    ----------
    mining_allotment_area : float or ndarray
        S_го, mining allotment with the sanitary zone (Eq. 1.2). [m²]
    dump_base_area : float or ndarray
        S_ос.отв, base area of the external dump. [m²]
    topsoil_store_area : float or ndarray
        S_пп (S_ск of Eq. 1.19), area of the topsoil store. [m²]
    development_factor : float or ndarray, optional
        K_р, development factor of the allotment territory; [004] gives 1.15-1.2. [-]
    polluted_area : float or ndarray, optional
        S_з, land polluted by dust around the dump (Eqs. 1.16-1.18), counted with the dump's
        land when given; 0 reproduces Eq. (1.1) as printed. [m²]

    Returns
    -------
    float or ndarray
        S_зо, total land allotment. [m²]

    Raises
    ------
    ValueError
        If an area is negative or ``development_factor`` < 1.

    Notes
    -----
    Eq. (1.1) in [004]:

    .. math:: S_{зо} = (S_{го} + S_{ос.отв} + S_{пп}) K_р

    Ambiguity: Eq. (1.1) adds only the dump base S_ос.отв, but the text introducing the
    dump's land ("Площадь под внешние отвалы") says that "the land occupied by the dump and
    the territory polluted by dust around it are disturbed", and Table 1.1 compares the two
    flattening schemes by S_ос.отв, S_з and the total allotment. Passing ``polluted_area``
    counts S_з with the dump's land: S_зо = (S_го + S_ос.отв + S_з + S_пп) K_р.

    References
    ----------
    [004] PR1, Eq. (1.1) and Table 1.1.

    Examples
    --------
    >>> round(float(total_land_allotment(2.5e6, 3.6e5, 2.0e5)))
    3519000
    >>> round(float(total_land_allotment(2.5e6, 3.6e5, 2.0e5, polluted_area=1.0e6)))
    4669000
    """
    non_negative("mining_allotment_area", mining_allotment_area, "m²")
    non_negative("dump_base_area", dump_base_area, "m²")
    non_negative("topsoil_store_area", topsoil_store_area, "m²")
    non_negative("polluted_area", polluted_area, "m²")
    at_least("development_factor", development_factor, 1.0)
    S_го, S_ос = np.asarray(mining_allotment_area), np.asarray(dump_base_area)
    S_пп, S_з = np.asarray(topsoil_store_area), np.asarray(polluted_area)
    S_зо: FloatLike = (S_го + S_ос + S_з + S_пп) * np.asarray(development_factor)
    return S_зо
