r"""Indicators of rational land use in the zone of an operating mine.

Practical work 3 of [004] rates how an open-pit coal mine uses the land of its mining
district (горно-промышленный район, ГПР) and of its sanitary protection zone (санитарно-
защитная зона, СЗЗ) by 21 indicators, equations (3.1)-(3.21); this module holds the first eleven:

* disturbance of the territory, (3.1)-(3.6);
* solid waste, (3.7)-(3.11);
* restoration of the territory and its farming value, (3.12)-(3.17), and damage in roubles,
  (3.18)-(3.21): :mod:`postmine.methods.land_restoration`.

Units follow the source: areas in hectares, crop yields in centners per hectare
(1 centner = 100 kg), prices in roubles per centner, land value in roubles per hectare,
annual solid waste in tonnes per year (the worked example's arithmetic, 58·10⁶ t; the
variant table gives cubic metres per year, which carry through unchanged). Shares are
returned as fractions 0..1; the source states them in % (× 100).

Sums over zones, waste kinds or crops (the Σ of the source) are taken along the last
axis of the array given: a scalar is one term (or a total already summed), an array of
shape ``(..., n)`` holds ``n`` terms for each of the leading cases.

References
----------
[004] Practical works on the reclamation of disturbed land, practical work 3
      "Оценка рационального использования территории в зоне действующего предприятия",
      equations (3.1)-(3.21), Tables 3.1 and 3.2.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from postmine.core.checks import non_negative, positive

__all__ = [
    "absolute_land_loss",
    "disturbance_per_output",
    "disturbed_area",
    "disturbed_area_in_sanitary_zone",
    "disturbed_share_of_district",
    "disturbed_share_of_sanitary_zone",
    "linear_disturbance_density",
    "solid_waste_per_area",
    "total_area",
    "waste_per_resident",
    "waste_per_worker",
    "waste_storage_concentration",
    "waste_utilisation",
]

FloatLike = float | npt.NDArray[np.float64]
ArrayLike = float | npt.ArrayLike


def _finite(name: str, value: ArrayLike, unit: str) -> None:
    """Raise ValueError if any element of ``value`` is NaN or infinite."""
    arr = np.asarray(value, dtype=float)
    if not np.all(np.isfinite(arr)):
        bad = arr[~np.isfinite(arr)].flat[0] if arr.ndim else arr[()]
        raise ValueError(f"{name} must be a finite number, got {bad:g} {unit}")


def _sum_axis(terms: ArrayLike) -> FloatLike:
    """Return the sum of ``terms`` along the last axis (a scalar is returned as a float)."""
    arr = np.asarray(terms, dtype=float)
    if arr.ndim == 0:
        return float(arr)
    total: FloatLike = np.sum(arr, axis=-1)
    return total


def _sum_last(name: str, terms: ArrayLike, unit: str) -> FloatLike:
    """Check that every term is >= 0 and return their sum along the last axis."""
    non_negative(name, terms, unit)
    return _sum_axis(terms)


def _not_above(
    part_name: str, part: ArrayLike, whole_name: str, whole: ArrayLike, unit: str
) -> None:
    """Raise ValueError if any ``part`` exceeds the matching ``whole``."""
    p, w = np.broadcast_arrays(np.asarray(part, dtype=float), np.asarray(whole, dtype=float))
    bad = p > w
    if np.any(bad):
        u = f" {unit}" if unit else ""
        raise ValueError(
            f"{part_name} must be <= {whole_name} ({w[bad].flat[0]:g}{u}), "
            f"got {p[bad].flat[0]:g}{u}"
        )


def _share(
    part_name: str, part: ArrayLike, whole_name: str, whole: ArrayLike, unit: str
) -> FloatLike:
    """Return ``part / whole`` after checking 0 <= part <= whole and whole > 0."""
    non_negative(part_name, part, unit)
    positive(whole_name, whole, unit)
    _not_above(part_name, part, whole_name, whole, unit)
    share: FloatLike = np.asarray(part, dtype=float) / np.asarray(whole, dtype=float)
    return share


def total_area(areas: ArrayLike) -> FloatLike:
    """Total of several land areas (the Σ of the areas in eqs. 3.1, 3.2, 3.9, 3.13 of [004]).

    Parameters
    ----------
    areas : float or array_like
        Areas of the parts, summed along the last axis. [ha]

    Returns
    -------
    float or ndarray
        Σ S_i, the total area. [ha]

    Raises
    ------
    ValueError
        If any area is negative.

    Examples
    --------
    >>> float(total_area([329.0, 213.0]))
    542.0
    """
    return _sum_last("areas", areas, "ha")


def disturbed_area(zone_areas: ArrayLike) -> FloatLike:
    r"""Area of technogenically disturbed land in the mining district, eq. (3.1) of [004].

    The sum of the areas of the disturbed zones (pits, dumps, roads, sites ...).

    Parameters
    ----------
    zone_areas : float or array_like
        S_тнз_i, areas of the disturbed zones, summed along the last axis. [ha]

    Returns
    -------
    float or ndarray
        S_тнз, area of technogenically disturbed land. [ha]

    Raises
    ------
    ValueError
        If any zone area is negative.

    Notes
    -----
    .. math:: S_{тнз} = \sum_{i=1}^{n} S_{тнз\,i}

    Eq. (3.1) in [004]. The worked example of [004] does not sum zones: it takes the
    sanitary protection zone less its undisturbed parts, see
    :func:`disturbed_area_in_sanitary_zone`.

    References
    ----------
    [004] practical work 3, eq. (3.1).

    Examples
    --------
    >>> float(disturbed_area([100.0, 233.0, 202.0]))
    535.0
    """
    return _sum_last("zone_areas", zone_areas, "ha")


def disturbed_area_in_sanitary_zone(
    sanitary_zone_area: ArrayLike, undisturbed_areas: ArrayLike
) -> FloatLike:
    r"""Disturbed land of the sanitary protection zone, as the worked example of [004] takes it.

    The sanitary protection zone less the parts of it that are not (or no longer)
    technogenically disturbed: reclaimed land of the outer and internal dumps, the
    recreation zone and the built-up area.

    Parameters
    ----------
    sanitary_zone_area : float or array_like
        S_сзз, area of the sanitary protection zone. [ha]
    undisturbed_areas : float or array_like
        Areas of the zone's undisturbed parts (S_рз of the outer dumps, S_рз of the internal
        dumps, S_р, S_з in the example), summed along the last axis. [ha]

    Returns
    -------
    float or ndarray
        S_тнз, area of technogenically disturbed land. [ha]

    Raises
    ------
    ValueError
        If an area is negative, ``sanitary_zone_area`` is not positive, or the undisturbed
        parts together exceed the zone.

    Notes
    -----
    .. math:: S_{тнз} = S_{сзз} - (S_{рз}^{о} + S_{рз}^{в} + S_р + S_з)

    The "Решение" of practical work 3 in [004] prints
    ``S_тнз = 4306 − (329 + 213 + 264 + 895) = 2605 га`` under the heading of eq. (3.1),
    which as printed is a sum of disturbed zones (:func:`disturbed_area`). The disturbed
    zones listed in Table 3.2 (S_жр, S_т, S_пл, S_о, S_в, S_б, S_выр) add up to 2421 ha,
    not 2605; every later indicator of the example is built on 2605 ha, so this complement
    is the reading that reproduces the source.

    References
    ----------
    [004] practical work 3, eq. (3.1) and the "Решение" after Table 3.2.

    Examples
    --------
    >>> float(disturbed_area_in_sanitary_zone(4306.0, [329.0, 213.0, 264.0, 895.0]))
    2605.0
    """
    positive("sanitary_zone_area", sanitary_zone_area, "ha")
    parts = _sum_last("undisturbed_areas", undisturbed_areas, "ha")
    _not_above("undisturbed_areas (sum)", parts, "sanitary_zone_area", sanitary_zone_area, "ha")
    area: FloatLike = np.asarray(sanitary_zone_area, dtype=float) - parts
    return area


def linear_disturbance_density(linear_areas: ArrayLike, district_area: ArrayLike) -> FloatLike:
    r"""Density of damage of the territory by linear disturbances, eq. (3.2) of [004].

    Share of the mining district taken by linear forms of disturbance (roads, railway
    stations and other communications, trenches).

    Parameters
    ----------
    linear_areas : float or array_like
        S_лф_i, areas disturbed by linear forms, summed along the last axis. [ha]
    district_area : float or array_like
        S_гпр, area of the mining district. [ha]

    Returns
    -------
    float or ndarray
        П_плф as a fraction (0..1); the source states it in %. [-]

    Raises
    ------
    ValueError
        If an area is negative, ``district_area`` is not positive, or the linear areas
        exceed it.

    Notes
    -----
    .. math:: П_{плф} = \frac{\sum_{i=1}^{n} S_{лф\,i}}{S_{гпр}} \cdot 100\ \%

    Eq. (3.2) in [004]. Its worked example sums (238 + 100 + 233) = 571 ha, i.e. the
    worked-out space S_выр with the railway stations and communications S_жр and the
    transport routes S_т, and prints 9.3 % (571 / 6144 = 9.29 %).

    References
    ----------
    [004] practical work 3, eq. (3.2).

    Examples
    --------
    >>> round(float(linear_disturbance_density([238.0, 100.0, 233.0], 6144.0)) * 100, 1)
    9.3
    """
    total = _sum_last("linear_areas", linear_areas, "ha")
    return _share("linear_areas (sum)", total, "district_area", district_area, "ha")


def disturbed_share_of_sanitary_zone(
    disturbed_area: ArrayLike, sanitary_zone_area: ArrayLike
) -> FloatLike:
    r"""Share of technogenically disturbed land in the sanitary protection zone, eq. (3.3).

    Parameters
    ----------
    disturbed_area : float or array_like
        S_тнз, area of technogenically disturbed land. [ha]
    sanitary_zone_area : float or array_like
        S_сзз, area of the sanitary protection zone. [ha]

    Returns
    -------
    float or ndarray
        П_тнз^сзз as a fraction (0..1); the source states it in %. [-]

    Raises
    ------
    ValueError
        If ``disturbed_area`` is negative or larger than ``sanitary_zone_area``, or
        ``sanitary_zone_area`` is not positive.

    Notes
    -----
    .. math:: П_{тнз}^{сзз} = \frac{S_{тнз}}{S_{сзз}} \cdot 100\ \%

    Eq. (3.3) in [004]; its worked example prints 2605 / 4306 · 100 = 60 % (60.497 %).

    References
    ----------
    [004] practical work 3, eq. (3.3).

    Examples
    --------
    >>> round(float(disturbed_share_of_sanitary_zone(2605.0, 4306.0)) * 100, 2)
    60.5
    """
    return _share("disturbed_area", disturbed_area, "sanitary_zone_area", sanitary_zone_area, "ha")


def disturbed_share_of_district(disturbed_area: ArrayLike, district_area: ArrayLike) -> FloatLike:
    r"""Share of technogenically disturbed land in the mining district, eq. (3.4) of [004].

    Parameters
    ----------
    disturbed_area : float or array_like
        S_тнз, area of technogenically disturbed land. [ha]
    district_area : float or array_like
        S_гпр, area of the mining district. [ha]

    Returns
    -------
    float or ndarray
        П_тнз as a fraction (0..1); the source states it in %. [-]

    Raises
    ------
    ValueError
        If ``disturbed_area`` is negative or larger than ``district_area``, or
        ``district_area`` is not positive.

    Notes
    -----
    .. math:: П_{тнз} = \frac{S_{тнз}}{S_{гпр}} \cdot 100\ \%

    Eq. (3.4) in [004].

    References
    ----------
    [004] practical work 3, eq. (3.4).

    Examples
    --------
    >>> round(float(disturbed_share_of_district(2605.0, 6144.0)) * 100, 1)
    42.4
    """
    return _share("disturbed_area", disturbed_area, "district_area", district_area, "ha")


def disturbance_per_output(disturbed_area: ArrayLike, annual_output: ArrayLike) -> FloatLike:
    r"""Disturbed land per tonne of annual coal output, eq. (3.5) of [004].

    Parameters
    ----------
    disturbed_area : float or array_like
        S_тнз, area of technogenically disturbed land. [ha]
    annual_output : float or array_like
        V_д, annual coal output (the source's formula takes tonnes). [t/year]

    Returns
    -------
    float or ndarray
        П_нз, disturbed hectares per tonne of annual output; × 1000 gives the worked
        example's hectares per 1000 t. [ha/t]

    Raises
    ------
    ValueError
        If ``disturbed_area`` is negative or ``annual_output`` is not positive.

    Notes
    -----
    .. math:: П_{нз} = \frac{S_{тнз}}{V_д}

    Eq. (3.5) in [004] prints a factor "· 100" with the unit га/т; its worked example
    divides without it, 2605 / 10 000 000, and states the result as "0,2605 га/1000 т
    угля" (under the symbol П_рз). The code follows the example: no factor 100, which has
    no meaning for a ratio that is not a share.

    References
    ----------
    [004] practical work 3, eq. (3.5).

    Examples
    --------
    >>> round(float(disturbance_per_output(2605.0, 10e6)) * 1000, 4)
    0.2605
    """
    non_negative("disturbed_area", disturbed_area, "ha")
    positive("annual_output", annual_output, "t/year")
    ratio: FloatLike = np.asarray(disturbed_area, dtype=float) / np.asarray(
        annual_output, dtype=float
    )
    return ratio


def absolute_land_loss(
    mining_affected_area: ArrayLike, reclaimed_area: ArrayLike, district_area: ArrayLike
) -> FloatLike:
    r"""Absolute loss of land in the mining district, eq. (3.6) of [004].

    Land affected by mining and not given back by reclamation, as a share of the district.

    Parameters
    ----------
    mining_affected_area : float or array_like
        S_г, area affected by mining (the worked example takes S_тнз). [ha]
    reclaimed_area : float or array_like
        S_рз, area of reclaimed land. [ha]
    district_area : float or array_like
        S_гпр, area of the mining district. [ha]

    Returns
    -------
    float or ndarray
        П_пз as a fraction (0..1); the source states it in %. [-]

    Raises
    ------
    ValueError
        If an area is negative, ``district_area`` is not positive, ``reclaimed_area``
        exceeds ``mining_affected_area`` or ``mining_affected_area`` exceeds
        ``district_area``.

    Notes
    -----
    .. math:: П_{пз} = \frac{S_г - S_{рз}}{S_{гпр}} \cdot 100\ \%

    Eq. (3.6) in [004]. The worked example prints (2605 − 542) / 6144 · 100 = 33,5 %;
    2063 / 6144 is 33.58 %, so the printed figure is truncated, not rounded. It takes
    S_г = S_тнз = 2605 ha, which by its construction (the zone less the reclaimed land,
    see :func:`disturbed_area_in_sanitary_zone`) already excludes the 542 ha of reclaimed
    land; the code takes S_г as given and does not correct this.

    References
    ----------
    [004] practical work 3, eq. (3.6).

    Examples
    --------
    >>> round(float(absolute_land_loss(2605.0, 542.0, 6144.0)) * 100, 2)
    33.58
    """
    non_negative("reclaimed_area", reclaimed_area, "ha")
    positive("district_area", district_area, "ha")
    non_negative("mining_affected_area", mining_affected_area, "ha")
    _not_above("reclaimed_area", reclaimed_area, "mining_affected_area", mining_affected_area, "ha")
    _not_above("mining_affected_area", mining_affected_area, "district_area", district_area, "ha")
    loss: FloatLike = (
        np.asarray(mining_affected_area, dtype=float) - np.asarray(reclaimed_area, dtype=float)
    ) / np.asarray(district_area, dtype=float)
    return loss


def solid_waste_per_area(annual_solid_waste: ArrayLike, sanitary_zone_area: ArrayLike) -> FloatLike:
    r"""Specific generation of solid waste within the sanitary protection zone, eq. (3.7).

    Parameters
    ----------
    annual_solid_waste : float or array_like
        V_то_i, annual amounts of the kinds of solid waste, summed along the last axis;
        tonnes per year as in the worked example (cubic metres per year give m³/ha). [t/year]
    sanitary_zone_area : float or array_like
        S_сзз, area of the sanitary protection zone. [ha]

    Returns
    -------
    float or ndarray
        q, solid waste per hectare of the zone per year. [t/ha]

    Raises
    ------
    ValueError
        If a waste amount is negative or ``sanitary_zone_area`` is not positive.

    Notes
    -----
    .. math:: q = \frac{\sum_{i=1}^{n} V_{то\,i}}{S_{сзз}}

    Eq. (3.7) in [004], stated there in м³/м²; the worked example works in t/ha:
    58·10⁶ / 4306 printed as 13469,5 т/га (13469.58: truncated). It takes 58·10⁶ t/year
    of waste, written as 68·10⁶ − 10·10⁶ (V_вс − V_д of Table 3.2), although Table 3.2
    gives V_вс = 68 million t/year.

    References
    ----------
    [004] practical work 3, eq. (3.7).

    Examples
    --------
    >>> round(float(solid_waste_per_area(58e6, 4306.0)), 2)
    13469.58
    """
    waste = _sum_last("annual_solid_waste", annual_solid_waste, "t/year")
    positive("sanitary_zone_area", sanitary_zone_area, "ha")
    q: FloatLike = waste / np.asarray(sanitary_zone_area, dtype=float)
    return q


def waste_utilisation(internal_dump_volume: ArrayLike, overburden_volume: ArrayLike) -> FloatLike:
    r"""Share of overburden utilised without hoisting it to the surface, eq. (3.8) of [004].

    The overburden placed in internal dumps of the pit (internal dumping) as a share of all
    overburden removed in a year.

    Parameters
    ----------
    internal_dump_volume : float or array_like
        V_вн, annual overburden placed in internal dumps, in the same unit as
        ``overburden_volume`` (Table 3.2: million t/year; Table 3.1: million m³/year).
        [Mt/year or million m³/year]
    overburden_volume : float or array_like
        V_вс, annual overburden removed. [Mt/year or million m³/year]

    Returns
    -------
    float or ndarray
        П_уто as a fraction (0..1); the source states it in %. [-]

    Raises
    ------
    ValueError
        If ``internal_dump_volume`` is negative or larger than ``overburden_volume``, or
        ``overburden_volume`` is not positive.

    Notes
    -----
    .. math:: П_{уто} = \frac{V_{вн}}{V_{вс}} \cdot 100\ \%

    Eq. (3.8) in [004]. The worked example prints 15 / 58 · 100 = 25,8 % (25.86 %:
    truncated), with V_вс = 58 where Table 3.2 gives 68 (see :func:`solid_waste_per_area`).

    References
    ----------
    [004] practical work 3, eq. (3.8).

    Examples
    --------
    >>> round(float(waste_utilisation(15.0, 58.0)) * 100, 2)
    25.86
    """
    return _share(
        "internal_dump_volume", internal_dump_volume, "overburden_volume", overburden_volume, ""
    )


def waste_storage_concentration(
    storage_areas: ArrayLike, sanitary_zone_area: ArrayLike
) -> FloatLike:
    r"""Concentration of solid-waste storage in the sanitary protection zone, eq. (3.9).

    Parameters
    ----------
    storage_areas : float or array_like
        S_то_i, areas where the kinds of solid waste are stored (dumps), summed along the
        last axis. [ha]
    sanitary_zone_area : float or array_like
        S_сзз, area of the sanitary protection zone. [ha]

    Returns
    -------
    float or ndarray
        П_кто as a fraction (0..1); the source states it in %. [-]

    Raises
    ------
    ValueError
        If an area is negative, ``sanitary_zone_area`` is not positive, or the storage
        areas exceed it.

    Notes
    -----
    .. math:: П_{кто} = \frac{\sum_{i=1}^{n} S_{то\,i}}{S_{сзз}} \cdot 100\ \%

    Eq. (3.9) in [004]. The worked example sums internal dumps, outer dumps and internal
    dumps without transport, (688 + 796 + 164) = 1648 ha, and prints 1648 / 4306 · 100 =
    39 %; the quotient is 38.27 %, which the code returns.

    References
    ----------
    [004] practical work 3, eq. (3.9).

    Examples
    --------
    >>> round(float(waste_storage_concentration([688.0, 796.0, 164.0], 4306.0)) * 100, 2)
    38.27
    """
    total = _sum_last("storage_areas", storage_areas, "ha")
    return _share("storage_areas (sum)", total, "sanitary_zone_area", sanitary_zone_area, "ha")


def waste_per_worker(annual_solid_waste: ArrayLike, workers: ArrayLike) -> FloatLike:
    r"""Solid waste per worker of the mine and year, eq. (3.10) of [004].

    Parameters
    ----------
    annual_solid_waste : float or array_like
        V_то_i, annual amounts of the kinds of solid waste, summed along the last axis;
        tonnes per year as in the worked example (m³/year give m³ per person). [t/year]
    workers : float or array_like
        N_р, number of people employed by the mine. [persons]

    Returns
    -------
    float or ndarray
        П_вто, solid waste per worker and year. [t/(person·year)]

    Raises
    ------
    ValueError
        If a waste amount is negative or ``workers`` is not positive.

    Notes
    -----
    .. math:: П_{вто} = \frac{\sum_{i=1}^{n} V_{то\,i}}{N_р}

    Eq. (3.10) in [004] prints a factor "· 100" with the unit м³/чел; the worked example
    (under the symbol П_пто) divides without it: 58 000 000 / 16 000 = 3625 т/чел/год.
    The code follows the example; a per-capita amount is not a share.

    References
    ----------
    [004] practical work 3, eq. (3.10).

    Examples
    --------
    >>> float(waste_per_worker(58e6, 16000.0))
    3625.0
    """
    waste = _sum_last("annual_solid_waste", annual_solid_waste, "t/year")
    positive("workers", workers, "persons")
    per_worker: FloatLike = waste / np.asarray(workers, dtype=float)
    return per_worker


def waste_per_resident(annual_solid_waste: ArrayLike, residents: ArrayLike) -> FloatLike:
    r"""Littering of the settled territory with solid waste, per resident, eq. (3.11) of [004].

    Parameters
    ----------
    annual_solid_waste : float or array_like
        V_то_i, annual amounts of the kinds of solid waste, summed along the last axis;
        tonnes per year as in the worked example (m³/year give m³ per person). [t/year]
    residents : float or array_like
        N_ж, number of residents of the mining settlement. [persons]

    Returns
    -------
    float or ndarray
        П_зто, solid waste per resident and year. [t/(person·year)]

    Raises
    ------
    ValueError
        If a waste amount is negative or ``residents`` is not positive.

    Notes
    -----
    .. math:: П_{зто} = \frac{\sum_{i=1}^{n} V_{то\,i}}{N_ж}

    Eq. (3.11) in [004] prints a factor "· 100" with the unit м³/чел; the worked example
    divides without it: 58 000 000 / 42 000 = 1381 т/чел/год. The code follows the
    example.

    References
    ----------
    [004] practical work 3, eq. (3.11).

    Examples
    --------
    >>> round(float(waste_per_resident(58e6, 42000.0)))
    1381
    """
    waste = _sum_last("annual_solid_waste", annual_solid_waste, "t/year")
    positive("residents", residents, "persons")
    per_resident: FloatLike = waste / np.asarray(residents, dtype=float)
    return per_resident
