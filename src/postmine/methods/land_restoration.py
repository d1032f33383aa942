r"""Restoration of the land of a mining district and the damage of its loss, 004 PR3.

The last ten of the 21 indicators of rational land use of practical work 3 of [004]
(the first eleven, disturbance and solid waste, are in :mod:`postmine.methods.land_use`):

* restoration of the territory and its farming value, (3.12)-(3.17);
* damage in roubles, (3.18)-(3.21).

Units follow the source: areas in hectares, crop yields in centners per hectare
(1 centner = 100 kg), prices in roubles per centner, land value in roubles per hectare.
Shares are returned as fractions 0..1; the source states them in % (× 100). Sums over crops
(the Σ of the source) are taken along the last axis of the array given, as in
:mod:`postmine.methods.land_use`.

References
----------
[004] Practical works on the reclamation of disturbed land, practical work 3
      "Оценка рационального использования территории в зоне действующего предприятия",
      equations (3.12)-(3.21), Tables 3.1 and 3.2.
"""

from __future__ import annotations

import numpy as np

from postmine.core.checks import non_negative, positive
from postmine.methods.land_use import (
    ArrayLike,
    FloatLike,
    _finite,
    _share,
    _sum_axis,
    _sum_last,
)

__all__ = [
    "agricultural_equivalence",
    "agricultural_restoration",
    "gross_agricultural_product",
    "land_restoration",
    "normative_damage",
    "productivity_loss_damage",
    "productivity_per_hectare",
    "reclamation_damage",
    "specific_damage",
]


def land_restoration(reclaimed_area: ArrayLike, sanitary_zone_area: ArrayLike) -> FloatLike:
    r"""Restoration of the land of the sanitary protection zone, eq. (3.12) of [004].

    Parameters
    ----------
    reclaimed_area : float or array_like
        S_рз, area of reclaimed land. [ha]
    sanitary_zone_area : float or array_like
        S_сзз, area of the sanitary protection zone. [ha]

    Returns
    -------
    float or ndarray
        П_вз as a fraction (0..1); the source states it in %. [-]

    Raises
    ------
    ValueError
        If ``reclaimed_area`` is negative or larger than ``sanitary_zone_area``, or
        ``sanitary_zone_area`` is not positive.

    Notes
    -----
    .. math:: П_{вз} = \frac{S_{рз}}{S_{сзз}} \cdot 100\ \%

    Eq. (3.12) in [004]; the worked example: 542 / 4306 · 100 = 12,6 %.

    References
    ----------
    [004] practical work 3, eq. (3.12).

    Examples
    --------
    >>> round(float(land_restoration(542.0, 4306.0)) * 100, 1)
    12.6
    """
    return _share("reclaimed_area", reclaimed_area, "sanitary_zone_area", sanitary_zone_area, "ha")


def agricultural_restoration(agricultural_areas: ArrayLike, reclaimed_area: ArrayLike) -> FloatLike:
    r"""Share of reclaimed land returned to farming, eq. (3.13) of [004].

    Parameters
    ----------
    agricultural_areas : float or array_like
        S_а_i, areas of reclaimed land used as farmland (per crop), summed along the last
        axis. [ha]
    reclaimed_area : float or array_like
        S_рз, area of reclaimed land. [ha]

    Returns
    -------
    float or ndarray
        П_а as a fraction (0..1); the source states it in %. [-]

    Raises
    ------
    ValueError
        If an area is negative, ``reclaimed_area`` is not positive, or the farmland
        exceeds the reclaimed land.

    Notes
    -----
    .. math:: П_а = \frac{\sum_{i=1}^{n} S_{а\,i}}{S_{рз}} \cdot 100\ \%

    Eq. (3.13) in [004]. The worked example prints "400 / 543 · 100 = 73,8 %"; the
    reclaimed land is 329 + 213 = 542 ha (as in eqs. 3.6 and 3.12) and 400 / 542 gives
    the printed 73.8 % (400 / 543 would give 73.7 %): 543 is a misprint.

    References
    ----------
    [004] practical work 3, eq. (3.13).

    Examples
    --------
    >>> round(float(agricultural_restoration([200.0, 120.0, 80.0], 542.0)) * 100, 1)
    73.8
    """
    total = _sum_last("agricultural_areas", agricultural_areas, "ha")
    return _share("agricultural_areas (sum)", total, "reclaimed_area", reclaimed_area, "ha")


def gross_agricultural_product(
    crop_prices: ArrayLike, crop_yields: ArrayLike, crop_areas: ArrayLike
) -> FloatLike:
    r"""Gross agricultural potential of land under crops, eqs. (3.14) and (3.15) of [004].

    The value of the harvest, Σ price × yield × area over the crops: with the yields on
    reclaimed land it is ВП_рз (3.14), with the yields on undisturbed farmland ВП_схз
    (3.15).

    Parameters
    ----------
    crop_prices : float or array_like
        Ц_i, wholesale price of crop i. [rub/centner]
    crop_yields : float or array_like
        У_рз_i or У_схз_i, yield of crop i (1 centner = 100 kg). [centner/ha]
    crop_areas : float or array_like
        S_рз_i or S_схз_i, area under crop i. [ha]

    Returns
    -------
    float or ndarray
        ВП, gross agricultural product (the three arrays broadcast together and are summed
        along the last axis; scalars give one crop's term). [rub]

    Raises
    ------
    ValueError
        If a price, yield or area is negative.

    Notes
    -----
    .. math::

        ВП_{рз} = \sum_{i=1}^{n} Ц_i\, У_{рз\,i}\, S_{рз\,i} \qquad
        ВП_{схз} = \sum_{i=1}^{n} Ц_i\, У_{схз\,i}\, S_{схз\,i}

    Eqs. (3.14) and (3.15) in [004]. For (3.15) the worked example takes the same crop
    areas as for (3.14) (the reclaimed land as if it were undisturbed farmland) and prints
    "(30·300·120) + (25·150·200) + (10·100·80) = 1760000 руб."; with the fodder yield 25
    the sum would be 1 910 000; the printed total is that of the fodder yield 20 of
    Table 3.2, which (3.19) uses too.

    References
    ----------
    [004] practical work 3, eqs. (3.14), (3.15).

    Examples
    --------
    >>> float(gross_agricultural_product([150, 300, 100], [15, 20, 6], [200, 120, 80]))
    1218000.0
    """
    non_negative("crop_prices", crop_prices, "rub/centner")
    non_negative("crop_yields", crop_yields, "centner/ha")
    non_negative("crop_areas", crop_areas, "ha")
    terms = (
        np.asarray(crop_prices, dtype=float)
        * np.asarray(crop_yields, dtype=float)
        * np.asarray(crop_areas, dtype=float)
    )
    return _sum_last("crop terms", terms, "rub")


def productivity_per_hectare(gross_product: ArrayLike, agricultural_area: ArrayLike) -> FloatLike:
    r"""Productivity of one hectare of reclaimed land, eq. (3.16) of [004].

    Parameters
    ----------
    gross_product : float or array_like
        ВП_рз, gross agricultural product of the reclaimed land. [rub]
    agricultural_area : float or array_like
        S_рз, reclaimed land under crops (Σ S_а_i, the worked example's 400 ha). [ha]

    Returns
    -------
    float or ndarray
        П_п, gross product per hectare. [rub/ha]

    Raises
    ------
    ValueError
        If ``gross_product`` is negative or ``agricultural_area`` is not positive.

    Notes
    -----
    .. math:: П_п = \frac{ВП_{рз}}{S_{рз}}

    Eq. (3.16) in [004]. S_рз of the formula is read as the reclaimed land under crops, as
    the worked example does (1218000 / 400 = 3045 руб./га), not all reclaimed land (542 ha).

    References
    ----------
    [004] practical work 3, eq. (3.16).

    Examples
    --------
    >>> float(productivity_per_hectare(1218000.0, 400.0))
    3045.0
    """
    non_negative("gross_product", gross_product, "rub")
    positive("agricultural_area", agricultural_area, "ha")
    per_ha: FloatLike = np.asarray(gross_product, dtype=float) / np.asarray(
        agricultural_area, dtype=float
    )
    return per_ha


def agricultural_equivalence(
    gross_product_reclaimed: ArrayLike, gross_product_farmland: ArrayLike
) -> FloatLike:
    r"""Agricultural equivalence (агротождественность) of reclaimed land, eq. (3.17) of [004].

    Gross product of the reclaimed land as a share of the gross product the same crops give
    on undisturbed farmland.

    Parameters
    ----------
    gross_product_reclaimed : float or array_like
        ВП_рз, gross agricultural product of the reclaimed land. [rub]
    gross_product_farmland : float or array_like
        ВП_сз (ВП_схз), gross agricultural product of undisturbed farmland. [rub]

    Returns
    -------
    float or ndarray
        П_ат as a fraction (1 = as productive as undisturbed land; it may exceed 1); the
        source states it in %. [-]

    Raises
    ------
    ValueError
        If ``gross_product_reclaimed`` is negative or ``gross_product_farmland`` is not
        positive.

    Notes
    -----
    .. math:: П_{ат} = \frac{ВП_{рз}}{ВП_{сз}} \cdot 100\ \%

    Eq. (3.17) in [004]; the worked example: 1218000 / 1760000 · 100 = 69,2 %.

    References
    ----------
    [004] practical work 3, eq. (3.17).

    Examples
    --------
    >>> round(float(agricultural_equivalence(1218000.0, 1760000.0)) * 100, 1)
    69.2
    """
    non_negative("gross_product_reclaimed", gross_product_reclaimed, "rub")
    positive("gross_product_farmland", gross_product_farmland, "rub")
    ratio: FloatLike = np.asarray(gross_product_reclaimed, dtype=float) / np.asarray(
        gross_product_farmland, dtype=float
    )
    return ratio


def normative_damage(land_price: ArrayLike, disturbed_area: ArrayLike) -> FloatLike:
    r"""Damage from disturbing the land at its normative (cadastral) value, eq. (3.18) of [004].

    Parameters
    ----------
    land_price : float or array_like
        Ц_з (Ц_н in Table 3.2), normative value of land by the district's land cadastre.
        [rub/ha]
    disturbed_area : float or array_like
        S_тнз, area of technogenically disturbed land. [ha]

    Returns
    -------
    float or ndarray
        У_н, damage. [rub]

    Raises
    ------
    ValueError
        If ``land_price`` or ``disturbed_area`` is negative.

    Notes
    -----
    .. math:: У_н = Ц_з\, S_{тнз}

    Eq. (3.18) in [004]; the worked example: 2605 · 15000 = 39 075 000 руб.

    References
    ----------
    [004] practical work 3, eq. (3.18).

    Examples
    --------
    >>> float(normative_damage(15000.0, 2605.0))
    39075000.0
    """
    non_negative("land_price", land_price, "rub/ha")
    non_negative("disturbed_area", disturbed_area, "ha")
    damage: FloatLike = np.asarray(land_price, dtype=float) * np.asarray(
        disturbed_area, dtype=float
    )
    return damage


def productivity_loss_damage(
    crop_prices: ArrayLike,
    yields_farmland: ArrayLike,
    yields_reclaimed: ArrayLike,
    crop_areas: ArrayLike,
) -> FloatLike:
    r"""Damage from the lower crop yields of reclaimed land, eq. (3.19) of [004].

    Parameters
    ----------
    crop_prices : float or array_like
        Ц_i, wholesale price of crop i. [rub/centner]
    yields_farmland : float or array_like
        У_схз_i, yield of crop i on undisturbed farmland. [centner/ha]
    yields_reclaimed : float or array_like
        У_рз_i, yield of crop i on reclaimed land. [centner/ha]
    crop_areas : float or array_like
        S_рз_i, reclaimed area under crop i. [ha]

    Returns
    -------
    float or ndarray
        У_пп, damage (the arrays broadcast together and are summed along the last axis;
        scalars give one crop's term). [rub]

    Raises
    ------
    ValueError
        If a price, yield or area is negative.

    Notes
    -----
    .. math:: У_{пп} = \sum_{i=1}^{n} (У_{схз\,i} - У_{рз\,i})\, Ц_i\, S_{рз\,i}

    Eq. (3.19) in [004]; the worked example: [(30 − 20)·300·120] + [(20 − 15)·150·200] +
    [(10 − 6)·100·80] = 542 000 руб. A crop that yields more on reclaimed land than on
    farmland enters with a negative term (a gain), as the formula is written; the sum is
    the net loss.

    References
    ----------
    [004] practical work 3, eq. (3.19).

    Examples
    --------
    >>> float(productivity_loss_damage([150, 300, 100], [20, 30, 10], [15, 20, 6], [200, 120, 80]))
    542000.0
    """
    non_negative("crop_prices", crop_prices, "rub/centner")
    non_negative("yields_farmland", yields_farmland, "centner/ha")
    non_negative("yields_reclaimed", yields_reclaimed, "centner/ha")
    non_negative("crop_areas", crop_areas, "ha")
    terms = (
        (np.asarray(yields_farmland, dtype=float) - np.asarray(yields_reclaimed, dtype=float))
        * np.asarray(crop_prices, dtype=float)
        * np.asarray(crop_areas, dtype=float)
    )
    return _sum_axis(terms)


def reclamation_damage(normative_damage: ArrayLike, productivity_loss: ArrayLike) -> FloatLike:
    r"""Total damage from disturbing and reclaiming the land, eq. (3.20) of [004].

    Parameters
    ----------
    normative_damage : float or array_like
        У_н, damage at the normative land value, eq. (3.18). [rub]
    productivity_loss : float or array_like
        У_пп, damage from the lower yields of reclaimed land, eq. (3.19); may be negative
        (a net gain in yield). [rub]

    Returns
    -------
    float or ndarray
        У_рз, total damage. [rub]

    Raises
    ------
    ValueError
        If ``normative_damage`` is negative or ``productivity_loss`` is not finite.

    Notes
    -----
    .. math:: У_{рз} = У_н + У_{пп}

    Eq. (3.20) in [004]; the worked example: 39 075 000 + 542 000 = 39 617 000 руб.

    References
    ----------
    [004] practical work 3, eq. (3.20).

    Examples
    --------
    >>> float(reclamation_damage(39075000.0, 542000.0))
    39617000.0
    """
    non_negative("normative_damage", normative_damage, "rub")
    _finite("productivity_loss", productivity_loss, "rub")
    damage: FloatLike = np.asarray(normative_damage, dtype=float) + np.asarray(
        productivity_loss, dtype=float
    )
    return damage


def specific_damage(total_damage: ArrayLike, disturbed_area: ArrayLike) -> FloatLike:
    r"""Damage per hectare of disturbed land, eq. (3.21) of [004].

    Parameters
    ----------
    total_damage : float or array_like
        У_рз, total damage, eq. (3.20). [rub]
    disturbed_area : float or array_like
        S_тнз, area of technogenically disturbed land. [ha]

    Returns
    -------
    float or ndarray
        q_у, specific damage. [rub/ha]

    Raises
    ------
    ValueError
        If ``total_damage`` is not finite or ``disturbed_area`` is not positive.

    Notes
    -----
    .. math:: q_у = \frac{У_{рз}}{S_{тнз}}

    Eq. (3.21) in [004]; the worked example: 39 617 000 / 2605 = 15208,1 руб./га.

    References
    ----------
    [004] practical work 3, eq. (3.21).

    Examples
    --------
    >>> round(float(specific_damage(39617000.0, 2605.0)), 1)
    15208.1
    """
    _finite("total_damage", total_damage, "rub")
    positive("disturbed_area", disturbed_area, "ha")
    per_ha: FloatLike = np.asarray(total_damage, dtype=float) / np.asarray(
        disturbed_area, dtype=float
    )
    return per_ha
