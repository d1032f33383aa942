r"""Minimum industrial grade of ore (cut-off of balance reserves), practical work 4 of [004].

The minimum industrial grade C_min is the lowest mean grade of the useful component in a
delineated block whose reserves still count as balance (economic) reserves. [004] gives it
for five kinds of marketable product, each a break-even of costs against the value of the
product obtained from one tonne of mined ore:

* ore sold as such (Eq. 4.1);
* concentrate priced per tonne (Eq. 4.4);
* the useful component of the concentrate priced per tonne (Eq. 4.5);
* crude metal (Eq. 4.6), and crude metal with a credit for by-products (Eq. 4.7).

Losses and dilution in mining change the grade of the mined ore (Eq. 4.3) and so the
coefficient K_к of Eq. (4.2) that every formula uses. A block is balance if C > C_min (4.8).

Grades are mass fractions (0.042 for 4.2 %); each formula is homogeneous of degree one in
the grades, so C_min comes out in the unit of the product grade given. Costs and prices are
in roubles per tonne.

References
----------
[004] Practical works on rational nature use in mining, practical work 4 "Установление
      кондиций на минеральное сырье", Eqs. (4.1)-(4.8) and Table 4.1 (seed lines 1968-2675).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from postmine.core.checks import fraction, in_range, non_negative, positive

__all__ = [
    "cutoff_grade_component",
    "cutoff_grade_concentrate",
    "cutoff_grade_metal",
    "cutoff_grade_ore",
    "is_balance_reserve",
    "mined_grade",
    "quality_change_coefficient",
]

FloatLike = float | npt.NDArray[np.float64]
BoolLike = bool | npt.NDArray[np.bool_]


def _grade(name: str, value: FloatLike) -> FloatLike:
    """Check a grade (mass fraction) in (0, 1]."""
    return in_range(name, value, 0.0, 1.0, low_inclusive=False)


def _recovery(name: str, value: FloatLike) -> FloatLike:
    """Check a recovery in (0, 1]."""
    return in_range(name, value, 0.0, 1.0, low_inclusive=False)


def mined_grade(block_grade: FloatLike, ore_loss: FloatLike, dilution: FloatLike) -> FloatLike:
    r"""Grade of the useful component in the mined ore after losses and dilution.

    Parameters
    ----------
    block_grade : float or ndarray
        C, grade of the useful component in the delineated block (mass fraction). [-]
    ore_loss : float or ndarray
        П, ore loss, share of the ore of the block left unmined. [-]
    dilution : float or ndarray
        Р, dilution: barren rock mined with the ore per unit of ore in the block (Eq. 4.3
        makes it relative to the ore in place, so it is not bounded by 1). [-]

    Returns
    -------
    float or ndarray
        a, grade of the mined ore (mass fraction). [-]

    Raises
    ------
    ValueError
        If ``block_grade`` is outside (0, 1], ``ore_loss`` outside [0, 1), or ``dilution``
        negative.

    Notes
    -----
    Eq. (4.3) in [004]:

    .. math:: a = \frac{C (1 - П)}{1 - П + Р}

    The metal mined is C(1 - П) per tonne of ore in the block and the ore mined is
    (1 - П) + Р tonnes. Without dilution a = C whatever the loss. Table 4.1 prints
    dilutions up to 1.5 (variants 13, 15, 16, 20, 25); Eq. (4.3) is defined for them.

    References
    ----------
    [004] practical work 4, Eq. (4.3).

    Examples
    --------
    >>> round(float(mined_grade(0.042, 0.05, 0.07)), 6)
    0.039118
    """
    _grade("block_grade", block_grade)
    fraction("ore_loss", ore_loss)
    non_negative("dilution", dilution)
    C, П, Р = block_grade, ore_loss, dilution
    grade: FloatLike = (
        np.asarray(C, dtype=float) * (1.0 - np.asarray(П)) / (1.0 - np.asarray(П) + Р)
    )
    return grade


def quality_change_coefficient(mined_grade: FloatLike, block_grade: FloatLike) -> FloatLike:
    r"""Coefficient of change of ore quality in mining.

    Parameters
    ----------
    mined_grade : float or ndarray
        a, grade of the mined ore (Eq. 4.3, mass fraction). [-]
    block_grade : float or ndarray
        C, grade of the delineated block (mass fraction). [-]

    Returns
    -------
    float or ndarray
        K_к, quality change coefficient. [-]

    Raises
    ------
    ValueError
        If a grade is outside (0, 1].

    Notes
    -----
    Eq. (4.2) in [004]: :math:`K_к = a / C`. With Eq. (4.3),
    :math:`K_к = (1 - П) / (1 - П + Р)`, independent of the grade.

    References
    ----------
    [004] practical work 4, Eq. (4.2).

    Examples
    --------
    >>> round(float(quality_change_coefficient(0.039118, 0.042)), 4)
    0.9314
    """
    _grade("mined_grade", mined_grade)
    _grade("block_grade", block_grade)
    coefficient: FloatLike = np.asarray(mined_grade, dtype=float) / block_grade
    return coefficient


def cutoff_grade_ore(
    ore_cost: FloatLike,
    mined_grade: FloatLike,
    ore_price: FloatLike,
    quality_coefficient: FloatLike,
) -> FloatLike:
    r"""Minimum industrial grade when the ore itself is the marketable product.

    Parameters
    ----------
    ore_cost : float or ndarray
        З_д, full cost of one tonne of ore. [rub/t]
    mined_grade : float or ndarray
        a, grade of the mined ore (Eq. 4.3, mass fraction). [-]
    ore_price : float or ndarray
        Ц_р, wholesale price of one tonne of ore. [rub/t]
    quality_coefficient : float or ndarray
        K_к, coefficient of change of ore quality (Eq. 4.2). [-]

    Returns
    -------
    float or ndarray
        C_min, minimum industrial grade (mass fraction, in the unit of ``mined_grade``). [-]

    Raises
    ------
    ValueError
        If ``ore_cost`` is negative, ``ore_price`` or ``quality_coefficient`` is not
        positive, or ``mined_grade`` is outside (0, 1].

    Notes
    -----
    Eq. (4.1) in [004]:

    .. math:: C_{min} = \frac{З_д\, a}{Ц_р K_к}

    Since K_к = a / C (Eq. 4.2), this is :math:`C\, З_д / Ц_р`: the block passes
    Eq. (4.8) exactly when its ore sells for more than it costs, whatever the loss and
    dilution.

    References
    ----------
    [004] practical work 4, Eq. (4.1).

    Examples
    --------
    >>> round(float(cutoff_grade_ore(800.0, 0.039118, 2215.0, 0.931373)), 5)
    0.01517
    """
    non_negative("ore_cost", ore_cost, "rub/t")
    _grade("mined_grade", mined_grade)
    positive("ore_price", ore_price, "rub/t")
    positive("quality_coefficient", quality_coefficient)
    З_д, a, Ц_р, K_к = ore_cost, mined_grade, ore_price, quality_coefficient
    grade: FloatLike = np.asarray(З_д, dtype=float) * a / (np.asarray(Ц_р, dtype=float) * K_к)
    return grade


def cutoff_grade_concentrate(
    ore_cost: FloatLike,
    beneficiation_cost: FloatLike,
    concentrate_grade: FloatLike,
    concentrate_price: FloatLike,
    quality_coefficient: FloatLike,
    beneficiation_recovery: FloatLike,
) -> FloatLike:
    r"""Minimum industrial grade when a concentrate priced per tonne is the product.

    Parameters
    ----------
    ore_cost : float or ndarray
        З_д, full cost of one tonne of ore. [rub/t]
    beneficiation_cost : float or ndarray
        З_о, cost of beneficiation of one tonne of ore. [rub/t]
    concentrate_grade : float or ndarray
        a_к, grade of the useful component in the concentrate (mass fraction). [-]
    concentrate_price : float or ndarray
        Ц_к, wholesale price of one tonne of concentrate. [rub/t]
    quality_coefficient : float or ndarray
        K_к, coefficient of change of ore quality (Eq. 4.2). [-]
    beneficiation_recovery : float or ndarray
        И_о, recovery of the component into the concentrate. [-]

    Returns
    -------
    float or ndarray
        C_min, minimum industrial grade (mass fraction). [-]

    Raises
    ------
    ValueError
        If a cost is negative, a price or ``quality_coefficient`` is not positive, or
        ``concentrate_grade`` or ``beneficiation_recovery`` is outside (0, 1].

    Notes
    -----
    Eq. (4.4) in [004]:

    .. math:: C_{min} = \frac{(З_д + З_о)\, a_к}{Ц_к K_к И_о}

    It is the break-even of one tonne of ore in the block: its mined grade K_к C yields
    K_к C И_о / a_к tonnes of concentrate worth Ц_к each, against the cost З_д + З_о.

    References
    ----------
    [004] practical work 4, Eq. (4.4).

    Examples
    --------
    >>> round(float(cutoff_grade_concentrate(800.0, 100.0, 0.60, 1700.0, 0.95 / 1.02, 0.9)), 5)
    0.37895
    """
    non_negative("ore_cost", ore_cost, "rub/t")
    non_negative("beneficiation_cost", beneficiation_cost, "rub/t")
    _grade("concentrate_grade", concentrate_grade)
    positive("concentrate_price", concentrate_price, "rub/t")
    positive("quality_coefficient", quality_coefficient)
    _recovery("beneficiation_recovery", beneficiation_recovery)
    З_д, З_о, a_к, Ц_к, K_к, И_о = (
        ore_cost,
        beneficiation_cost,
        concentrate_grade,
        concentrate_price,
        quality_coefficient,
        beneficiation_recovery,
    )
    grade: FloatLike = (
        (np.asarray(З_д, dtype=float) + З_о) * a_к / (np.asarray(Ц_к, dtype=float) * K_к * И_о)
    )
    return grade


def cutoff_grade_component(
    ore_cost: FloatLike,
    beneficiation_cost: FloatLike,
    concentrate_grade: FloatLike,
    component_price: FloatLike,
    quality_coefficient: FloatLike,
    beneficiation_recovery: FloatLike,
) -> FloatLike:
    r"""Minimum industrial grade when the component in the concentrate is priced per tonne.

    Parameters
    ----------
    ore_cost : float or ndarray
        З_д, full cost of one tonne of ore. [rub/t]
    beneficiation_cost : float or ndarray
        З_о, cost of beneficiation of one tonne of ore. [rub/t]
    concentrate_grade : float or ndarray
        a_к, grade of the useful component in the concentrate (mass fraction). [-]
    component_price : float or ndarray
        Ц_мк, wholesale price of the useful component contained in the concentrate
        (Table 4.1 of [004] gives it in thousand roubles per tonne). [rub/t]
    quality_coefficient : float or ndarray
        K_к, coefficient of change of ore quality (Eq. 4.2). [-]
    beneficiation_recovery : float or ndarray
        И_о, recovery of the component into the concentrate. [-]

    Returns
    -------
    float or ndarray
        C_min, minimum industrial grade (mass fraction). [-]

    Raises
    ------
    ValueError
        If a cost is negative, a price or ``quality_coefficient`` is not positive, or
        ``concentrate_grade`` or ``beneficiation_recovery`` is outside (0, 1].

    Notes
    -----
    Eq. (4.5) in [004], as printed: Eq. (4.4) with Ц_мк in place of Ц_к,

    .. math:: C_{min} = \frac{(З_д + З_о)\, a_к}{Ц_{мк} K_к И_о}

    The code follows the printed formula. If Ц_мк is the price of one tonne of the
    contained component, the break-even of one tonne of ore is
    K_к C И_о Ц_мк = З_д + З_о, i.e. the grade of the priced product is 1 (100 %), not a_к,
    and the printed formula gives a C_min smaller by the factor a_к; the printed a_к would be
    consistent only if Ц_мк were a price per tonne of concentrate, which is Eq. (4.4).
    The source does not decide this, so the code keeps its formula and says so.

    References
    ----------
    [004] practical work 4, Eq. (4.5).

    Examples
    --------
    >>> round(float(cutoff_grade_component(800.0, 100.0, 0.60, 7500.0, 0.95 / 1.02, 0.9)), 5)
    0.08589
    """
    non_negative("ore_cost", ore_cost, "rub/t")
    non_negative("beneficiation_cost", beneficiation_cost, "rub/t")
    _grade("concentrate_grade", concentrate_grade)
    positive("component_price", component_price, "rub/t")
    positive("quality_coefficient", quality_coefficient)
    _recovery("beneficiation_recovery", beneficiation_recovery)
    З_д, З_о, a_к, Ц_мк, K_к, И_о = (
        ore_cost,
        beneficiation_cost,
        concentrate_grade,
        component_price,
        quality_coefficient,
        beneficiation_recovery,
    )
    grade: FloatLike = (
        (np.asarray(З_д, dtype=float) + З_о) * a_к / (np.asarray(Ц_мк, dtype=float) * K_к * И_о)
    )
    return grade


def cutoff_grade_metal(
    ore_cost: FloatLike,
    beneficiation_cost: FloatLike,
    concentrate_transport_cost: FloatLike,
    smelting_cost: FloatLike,
    metal_grade: FloatLike,
    metal_price: FloatLike,
    quality_coefficient: FloatLike,
    beneficiation_recovery: FloatLike,
    smelting_recovery: FloatLike,
    byproduct_credit: FloatLike = 0.0,
) -> FloatLike:
    r"""Minimum industrial grade of ore processed to crude metal, with by-product credit.

    Parameters
    ----------
    ore_cost : float or ndarray
        З_д, full cost of one tonne of ore. [rub/t]
    beneficiation_cost : float or ndarray
        З_о, cost of beneficiation of one tonne of ore. [rub/t]
    concentrate_transport_cost : float or ndarray
        З_тм, cost of transporting the concentrate to the smelter. [rub/t]
    smelting_cost : float or ndarray
        З_м, cost of the metallurgical processing. [rub/t]
    metal_grade : float or ndarray
        a_м, grade of the useful component in the crude metal (mass fraction). [-]
    metal_price : float or ndarray
        Ц_м, wholesale price of crude metal (Table 4.1 of [004] gives it in thousand
        roubles per tonne). [rub/t]
    quality_coefficient : float or ndarray
        K_к, coefficient of change of ore quality (Eq. 4.2). [-]
    beneficiation_recovery : float or ndarray
        И_о, recovery of the component into the concentrate. [-]
    smelting_recovery : float or ndarray
        И_м, recovery of the metal from the concentrate. [-]
    byproduct_credit : float or ndarray
        С_пк, value of the by-products recovered; 0 gives Eq. (4.6), a positive value
        Eq. (4.7). [rub/t]

    Returns
    -------
    float or ndarray
        C_min (Eq. 4.6) or C_min^пк (Eq. 4.7), minimum industrial grade (mass fraction).
        It is zero or negative when the by-products pay for all the costs: then any
        block grade satisfies Eq. (4.8). [-]

    Raises
    ------
    ValueError
        If a cost or the credit is negative, a price or ``quality_coefficient`` is not
        positive, or ``metal_grade`` or a recovery is outside (0, 1].

    Notes
    -----
    Eqs. (4.6) and (4.7) in [004]:

    .. math:: C_{min}^{пк} = \frac{(З_д + З_о + З_{тм} + З_м - С_{пк})\, a_м}
                                  {Ц_м K_к И_о И_м}

    with :math:`С_{пк} = 0` for Eq. (4.6). The source adds the costs as printed, all in
    roubles per tonne, although З_тм and З_м are naturally per tonne of concentrate
    rather than per tonne of ore; the code does the same.

    References
    ----------
    [004] practical work 4, Eqs. (4.6)-(4.7).

    Examples
    --------
    >>> k = 0.95 / 1.02
    >>> round(float(cutoff_grade_metal(800.0, 100.0, 60.0, 300.0, 0.80, 22000.0, k, 0.9, 0.95)), 5)
    0.05754
    """
    non_negative("ore_cost", ore_cost, "rub/t")
    non_negative("beneficiation_cost", beneficiation_cost, "rub/t")
    non_negative("concentrate_transport_cost", concentrate_transport_cost, "rub/t")
    non_negative("smelting_cost", smelting_cost, "rub/t")
    _grade("metal_grade", metal_grade)
    positive("metal_price", metal_price, "rub/t")
    positive("quality_coefficient", quality_coefficient)
    _recovery("beneficiation_recovery", beneficiation_recovery)
    _recovery("smelting_recovery", smelting_recovery)
    non_negative("byproduct_credit", byproduct_credit, "rub/t")
    З_д, З_о, З_тм, З_м, С_пк = (
        ore_cost,
        beneficiation_cost,
        concentrate_transport_cost,
        smelting_cost,
        byproduct_credit,
    )
    a_м, Ц_м, K_к, И_о, И_м = (
        metal_grade,
        metal_price,
        quality_coefficient,
        beneficiation_recovery,
        smelting_recovery,
    )
    costs = np.asarray(З_д, dtype=float) + З_о + З_тм + З_м - С_пк
    grade: FloatLike = costs * a_м / (np.asarray(Ц_м, dtype=float) * K_к * И_о * И_м)
    return grade


def is_balance_reserve(block_grade: FloatLike, cutoff_grade: FloatLike) -> BoolLike:
    r"""Whether the reserves of a delineated block are balance reserves.

    Parameters
    ----------
    block_grade : float or ndarray
        C, grade of the useful component in the delineated block (mass fraction). [-]
    cutoff_grade : float or ndarray
        C_min, minimum industrial grade from Eqs. (4.1), (4.4)-(4.7), in the unit of
        ``block_grade``; may exceed 1 or be negative. [-]

    Returns
    -------
    bool or ndarray of bool
        True where C > C_min (strictly: a block exactly at C_min is not balance). [-]

    Raises
    ------
    ValueError
        If ``block_grade`` is outside (0, 1] or ``cutoff_grade`` is NaN.

    Notes
    -----
    Eq. (4.8) in [004]: :math:`C > C_{min}`.

    References
    ----------
    [004] practical work 4, Eq. (4.8).

    Examples
    --------
    >>> is_balance_reserve(0.042, 0.0152)
    True
    """
    _grade("block_grade", block_grade)
    in_range("cutoff_grade", cutoff_grade)
    result = np.asarray(block_grade, dtype=float) > np.asarray(cutoff_grade, dtype=float)
    if result.ndim == 0:
        return bool(result)
    return result
