"""Feasibility of the complex development of a multi-component ore deposit.

Practical work 6 of [004] compares the costs the products can bear with the costs the
deposit incurs. Each of several concentrates i (the products) has an allowed cost per tonne
(its wholesale price less the required profitability) and a yield per tonne of ore; the
annual allowed cost of the whole product mix is set against the annual individual cost of
mining, stripping, processing and disposing of the tailings. Complex development is
worthwhile if the allowed cost covers the individual one.

Functions take one value per concentrate along the **last axis** of their array arguments.
Grades are mass fractions in [0, 1] (0.007 for 0.7 %), as everywhere in postmine; the
source states them in %. Costs are in rub, as in the source.

References
----------
[004] Practical works on rational nature use in mining, practical work 6 "Оценка
      целесообразности комплексного освоения месторождения", eqs. (6.1)-(6.5), Table 6.1.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from postmine.core.checks import in_range, non_negative, positive

__all__ = [
    "allowed_annual_cost",
    "allowed_concentrate_cost",
    "concentrate_yield",
    "individual_annual_cost",
    "is_development_feasible",
    "total_concentrate_yield",
]

FloatLike = float | npt.NDArray[np.float64]
ArrayLike = float | npt.ArrayLike


def _grade(name: str, value: ArrayLike, *, zero_allowed: bool = True) -> ArrayLike:
    """Check a content of a component as a mass fraction: in [0, 1] (or (0, 1])."""
    try:
        return in_range(name, value, 0.0, 1.0, low_inclusive=zero_allowed)
    except ValueError as exc:
        raise ValueError(f"{exc} (a mass fraction: 0.007 for 0.7 %)") from None


def _out(value: np.ndarray) -> FloatLike:
    return float(value) if value.ndim == 0 else value


def total_concentrate_yield(concentrate_yield: ArrayLike) -> FloatLike:
    r"""Total yield of all concentrates per tonne of ore, Σγ_i.

    Parameters
    ----------
    concentrate_yield : float or array_like
        γ_i, yield of each concentrate per tonne of ore (Eq. 6.2), one per concentrate
        along the last axis, each in [0, 1]. [-]

    Returns
    -------
    float or ndarray
        Σγ_i over the last axis, at most 1 (1 − Σγ_i is the tailings per tonne of ore). [-]

    Raises
    ------
    ValueError
        If a yield is outside [0, 1] or the yields sum to more than 1 (the concentrates
        would outweigh the ore).

    Notes
    -----
    The sum appears in Eqs. (6.3) and (6.4) of [004].

    References
    ----------
    [004] practical work 6, Eqs. (6.3), (6.4).

    Examples
    --------
    >>> round(total_concentrate_yield([0.01204, 0.054, 0.0345]), 5)
    0.10054
    """
    in_range("concentrate_yield", concentrate_yield, 0.0, 1.0)
    total = np.asarray(np.sum(np.asarray(concentrate_yield, dtype=float), axis=-1))
    if np.any(total > 1.0):
        bad = float(total[total > 1.0].flat[0]) if total.ndim else float(total)
        raise ValueError(
            "total concentrate yield Σγ_i must be <= 1 (the concentrates cannot outweigh "
            f"the ore), got {bad:g}"
        )
    return _out(total)


def allowed_concentrate_cost(wholesale_price: ArrayLike, profitability: ArrayLike) -> FloatLike:
    r"""Cost allowed for one tonne of concentrate i, C_i.

    The cost at which the concentrate still earns the required profitability at its
    wholesale price.

    Parameters
    ----------
    wholesale_price : float or array_like
        Ц_оi, wholesale price of one tonne of concentrate i (positive). [rub/t]
    profitability : float or array_like
        R_i, required profitability of producing concentrate i, a share of the cost
        (non-negative). [-]

    Returns
    -------
    float or ndarray
        C_i, allowed cost of one tonne of concentrate i. [rub/t]

    Raises
    ------
    ValueError
        If ``wholesale_price`` is not positive or ``profitability`` is negative.

    Notes
    -----
    Eq. (6.1) in [004]:

    .. math:: C_i = \frac{Ц_{оi}}{1 + R_i}

    References
    ----------
    [004] practical work 6, Eq. (6.1).

    Examples
    --------
    Variant 1 of Table 6.1, first concentrate: 3100 / 1.25 rub/t.

    >>> allowed_concentrate_cost(3100.0, 0.25)
    2480.0
    """
    positive("wholesale_price", wholesale_price, "rub/t")
    non_negative("profitability", profitability)
    c_i = np.asarray(wholesale_price, dtype=float) / (1.0 + np.asarray(profitability, float))
    return _out(c_i)


def concentrate_yield(
    ore_grade: ArrayLike, concentrate_grade: ArrayLike, recovery: ArrayLike
) -> FloatLike:
    r"""Yield γ_i of concentrate i from one tonne of mined ore.

    Parameters
    ----------
    ore_grade : float or array_like
        α_i, content of component i in the mined ore, in [0, 1]. [mass fraction]
    concentrate_grade : float or array_like
        β_i, content of component i in its concentrate, in (0, 1]. [mass fraction]
    recovery : float or array_like
        K_иi, recovery of component i into the concentrate, in [0, 1]. [-]

    Returns
    -------
    float or ndarray
        γ_i, tonnes of concentrate i per tonne of ore, in [0, 1]. [-]

    Raises
    ------
    ValueError
        If a grade is outside its range, ``recovery`` is outside [0, 1], or the yield
        would exceed 1 (α_i K_иi > β_i: the concentrate poorer than the recovered ore).

    Notes
    -----
    Eq. (6.2) in [004] (the metal balance of the concentrate):

    .. math:: γ_i = \frac{α_i K_{иi}}{β_i}

    The source states α_i and β_i in %; the function takes them as mass fractions (their
    ratio, and so γ_i, is the same).

    References
    ----------
    [004] practical work 6, Eq. (6.2).

    Examples
    --------
    Variant 1 of Table 6.1, first component (α = 0.7 %, β = 50 %): 0.7 × 0.86 / 50.

    >>> round(concentrate_yield(0.007, 0.50, 0.86), 5)
    0.01204
    """
    _grade("ore_grade", ore_grade)
    _grade("concentrate_grade", concentrate_grade, zero_allowed=False)
    in_range("recovery", recovery, 0.0, 1.0)
    gamma = (
        np.asarray(ore_grade, dtype=float)
        * np.asarray(recovery, dtype=float)
        / np.asarray(concentrate_grade, dtype=float)
    )
    in_range("concentrate_yield α_i·K_иi/β_i", gamma, 0.0, 1.0)
    return _out(gamma)


def allowed_annual_cost(
    ore_output: ArrayLike, concentrate_yield: ArrayLike, allowed_cost: ArrayLike
) -> FloatLike:
    r"""Annual allowed cost of mining and processing for the whole product mix, З_д.

    Parameters
    ----------
    ore_output : float or array_like
        A_р, annual ore output of the pit (non-negative). [t/year]
    concentrate_yield : array_like
        γ_i, yield of each concentrate per tonne of ore (Eq. 6.2), one per concentrate
        along the last axis, each in [0, 1] and summing to at most 1. [-]
    allowed_cost : array_like
        C_i, allowed cost of each concentrate (Eq. 6.1), same shape as
        ``concentrate_yield``, non-negative. [rub/t]

    Returns
    -------
    float or ndarray
        З_д, annual allowed cost. [rub/year]

    Raises
    ------
    ValueError
        If ``ore_output`` or an allowed cost is negative, a yield is outside [0, 1] or
        the yields sum to more than 1.

    Notes
    -----
    Eq. (6.3) in [004]:

    .. math:: З_д = A_р \sum_i γ_i C_i

    References
    ----------
    [004] practical work 6, Eq. (6.3).

    Examples
    --------
    >>> allowed_annual_cost(2.0e6, [0.01, 0.05], [2000.0, 5000.0])
    540000000.0
    """
    non_negative("ore_output", ore_output, "t/year")
    total_concentrate_yield(concentrate_yield)
    non_negative("allowed_cost", allowed_cost, "rub/t")
    per_tonne = np.sum(
        np.asarray(concentrate_yield, dtype=float) * np.asarray(allowed_cost, dtype=float),
        axis=-1,
    )
    return _out(np.asarray(ore_output, dtype=float) * per_tonne)


def individual_annual_cost(
    ore_output: ArrayLike,
    mining_cost: ArrayLike,
    processing_cost: ArrayLike,
    overburden_cost: ArrayLike,
    overburden_volume: ArrayLike,
    tailings_cost: ArrayLike,
    concentrate_yield: ArrayLike,
) -> FloatLike:
    r"""Annual individual cost of developing the deposit, З_и.

    Mining and processing every tonne of ore, stripping the overburden, and disposing of
    the tailings (the ore less the concentrates).

    Parameters
    ----------
    ore_output : float or array_like
        A_р, annual ore output of the pit (non-negative). [t/year]
    mining_cost : float or array_like
        C_д, cost of mining proper, per tonne of ore (non-negative). [rub/t]
    processing_cost : float or array_like
        C_о, cost of processing one tonne of ore; where a cost is given per concentrate
        (Table 6.1 gives one per product), pass them along the last axis and they are
        summed (non-negative). [rub/t]
    overburden_cost : float or array_like
        C_в, cost of one cubic metre of overburden stripping (non-negative). [rub/m³]
    overburden_volume : float or array_like
        A_в, annual volume of overburden stripping (non-negative). [m³/year]
    tailings_cost : float or array_like
        C_х, cost of disposing of one tonne of processing tailings (non-negative). [rub/t]
    concentrate_yield : array_like
        γ_i, yield of each concentrate per tonne of ore (Eq. 6.2), along the last axis,
        each in [0, 1] and summing to at most 1. [-]

    Returns
    -------
    float or ndarray
        З_и, annual individual cost. [rub/year]

    Raises
    ------
    ValueError
        If an output, cost or volume is negative, a yield is outside [0, 1] or the
        yields sum to more than 1 (negative tailings).

    Notes
    -----
    Eq. (6.4) in [004] (the "+" signs were lost in the extraction):

    .. math:: З_и = A_р (C_д + C_о) + C_в A_в + C_х A_р \Bigl(1 - \sum_i γ_i\Bigr)

    Table 6.1 prints three processing costs, "Себестоимость обогащения, руб./т" for the
    1st, 2nd and 3rd product, while Eq. (6.4) has a single C_о per tonne of ore. The
    reading taken here is that each product's processing circuit treats the whole ore
    stream, so C_о = Σ_i C_оi per tonne of ore.

    References
    ----------
    [004] practical work 6, Eq. (6.4).

    Examples
    --------
    Variant 1 of Table 6.1: 2e6 (60 + 130) + 30 × 3e6 + 20 × 2e6 (1 − 0.10054).

    >>> round(individual_annual_cost(2.0e6, 60.0, [45.0, 35.0, 50.0], 30.0, 3.0e6, 20.0,
    ...                              [0.01204, 0.054, 0.0345]))
    505978400
    """
    non_negative("ore_output", ore_output, "t/year")
    non_negative("mining_cost", mining_cost, "rub/t")
    non_negative("processing_cost", processing_cost, "rub/t")
    non_negative("overburden_cost", overburden_cost, "rub/m³")
    non_negative("overburden_volume", overburden_volume, "m³/year")
    non_negative("tailings_cost", tailings_cost, "rub/t")
    total_yield = np.asarray(total_concentrate_yield(concentrate_yield))
    a_r = np.asarray(ore_output, dtype=float)
    c_o = np.asarray(processing_cost, dtype=float)
    if c_o.ndim > 0:
        c_o = np.sum(c_o, axis=-1)
    z_i = (
        a_r * (np.asarray(mining_cost, dtype=float) + c_o)
        + np.asarray(overburden_cost, dtype=float) * np.asarray(overburden_volume, dtype=float)
        + np.asarray(tailings_cost, dtype=float) * a_r * (1.0 - total_yield)
    )
    return _out(np.asarray(z_i))


def is_development_feasible(
    allowed_cost: ArrayLike, individual_cost: ArrayLike
) -> bool | npt.NDArray[np.bool_]:
    r"""Whether complex development is worthwhile: З_д >= З_и.

    Parameters
    ----------
    allowed_cost : float or array_like
        З_д, annual allowed cost (Eq. 6.3), non-negative. [rub/year]
    individual_cost : float or array_like
        З_и, annual individual cost (Eq. 6.4), non-negative. [rub/year]

    Returns
    -------
    bool or ndarray of bool
        True where the allowed cost covers the individual cost. [-]

    Raises
    ------
    ValueError
        If a cost is negative or not finite.

    Notes
    -----
    Eq. (6.5) in [004]: complex development is expedient if :math:`З_д \ge З_и`.

    References
    ----------
    [004] practical work 6, Eq. (6.5).

    Examples
    --------
    >>> is_development_feasible(1.05e9, 5.06e8)
    True
    """
    for name, value in (("allowed_cost", allowed_cost), ("individual_cost", individual_cost)):
        non_negative(name, value, "rub/year")
        if not np.all(np.isfinite(np.asarray(value, dtype=float))):
            raise ValueError(f"{name} must be a finite number of rub/year, got {value!r}")
    verdict = np.asarray(allowed_cost, dtype=float) >= np.asarray(individual_cost, dtype=float)
    return bool(verdict) if verdict.ndim == 0 else verdict
