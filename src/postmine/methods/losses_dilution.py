"""Ore losses, dilution and mined grade at the two contacts of a flat ore body.

Practical work 5 of [004] normalises the completeness and quality of extraction by the
direct method. The ore body is a horizontal bed of thickness m_р mined by one of several
schemes (А, Б, В in Table 5.1 of [004]); each scheme leaves a layer of ore M_п in the
ground and takes a layer of rock M_р into the mined ore at *each* of the two ore/rock
contacts (top and bottom), hence the factor 2 in every formula. Per unit of plan area,
thicknesses stand for tonnages (the same bulk density is implied for ore and rock).

Grades are mass fractions in [0, 1] at the function API (0.024 for 2.4 %), as everywhere in
postmine; the source states them in %. Eqs. (5.1)-(5.4) are homogeneous in the grades, so
they hold unchanged in fractions; :func:`metal_unit_cost` converts to % internally because
the constants of Eq. (5.5) are calibrated on the grade in %.

References
----------
[004] Practical works on rational nature use in mining, practical work 5 "Определение и
      нормирование показателей полноты и качества извлечения запасов из недр",
      eqs. (5.1)-(5.5) and Table 5.1.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import numpy.typing as npt

from postmine.core.checks import in_range, non_negative, positive

__all__ = [
    "CANCEL_RTOL",
    "METAL_COST_READINGS",
    "cheapest_scheme",
    "dilution",
    "metal_loss",
    "metal_unit_cost",
    "mined_grade",
    "quality_coefficient",
]

FloatLike = float | npt.NDArray[np.float64]
ArrayLike = float | npt.ArrayLike

#: Readings of Eq. (5.5) of [004] accepted by :func:`metal_unit_cost`.
METAL_COST_READINGS = ("sum", "offset")

PERCENT = 100.0  # Eq. (5.5) of [004] takes the grade C_б in %
#: Relative size below which the two terms of the net loss (5.1) are taken as cancelling:
#: far below the 2-3 significant digits of Table 5.1, far above floating-point rounding.
CANCEL_RTOL = 1e-12


def _grade(name: str, value: ArrayLike, *, zero_allowed: bool = True) -> ArrayLike:
    """Check a metal content as a mass fraction: in [0, 1] (or (0, 1])."""
    try:
        return in_range(name, value, 0.0, 1.0, low_inclusive=zero_allowed)
    except ValueError as exc:
        raise ValueError(f"{exc} (a mass fraction: 0.024 for 2.4 %)") from None


def _check_contacts(
    ore_thickness: ArrayLike,
    lost_ore_thickness: ArrayLike,
    diluting_rock_thickness: ArrayLike,
    balance_grade: ArrayLike,
    lost_ore_grade: ArrayLike,
    rock_grade: ArrayLike,
) -> tuple[np.ndarray, ...]:
    """Validate the inputs shared by (5.1) and (5.4) and return them as float arrays."""
    positive("ore_thickness", ore_thickness, "m")
    non_negative("lost_ore_thickness", lost_ore_thickness, "m")
    non_negative("diluting_rock_thickness", diluting_rock_thickness, "m")
    _grade("balance_grade", balance_grade, zero_allowed=False)
    _grade("lost_ore_grade", lost_ore_grade)
    _grade("rock_grade", rock_grade)
    m_r, m_p, m_d, c_b, c_p, c_r = np.broadcast_arrays(
        *(
            np.asarray(v, dtype=float)
            for v in (
                ore_thickness,
                lost_ore_thickness,
                diluting_rock_thickness,
                balance_grade,
                lost_ore_grade,
                rock_grade,
            )
        )
    )
    lost_share = 2.0 * m_p / m_r
    if np.any(lost_share >= 1.0):
        bad = float(lost_share[lost_share >= 1.0].flat[0])
        raise ValueError(
            "ore loss fraction 2·lost_ore_thickness/ore_thickness must be < 1 "
            f"(both contacts together must leave some ore), got {bad:g}"
        )
    gross_loss = 2.0 * m_p * c_p / (m_r * c_b)
    if np.any(gross_loss >= 1.0):
        bad = float(gross_loss[gross_loss >= 1.0].flat[0])
        raise ValueError(
            "metal loss fraction 2·M_п·C_п/(m_р·C_б) must be < 1 (the lost layers cannot "
            f"hold all the metal of the ore body; check lost_ore_grade), got {bad:g}"
        )
    return m_r, m_p, m_d, c_b, c_p, c_r


def _out(value: np.ndarray) -> FloatLike:
    return float(value) if value.ndim == 0 else value


def mined_grade(
    ore_thickness: ArrayLike,
    lost_ore_thickness: ArrayLike,
    diluting_rock_thickness: ArrayLike,
    balance_grade: ArrayLike,
    lost_ore_grade: ArrayLike,
    rock_grade: ArrayLike,
) -> FloatLike:
    r"""Grade of the mined (diluted) ore, a_д.

    The mined ore is the ore body less the ore layers lost at both contacts plus the rock
    layers taken with it at both contacts; its grade is the metal it holds over its
    thickness.

    Parameters
    ----------
    ore_thickness : float or array_like
        m_р, thickness of the ore body. [m]
    lost_ore_thickness : float or array_like
        M_п, thickness of the ore layer lost at each of the two contacts. [m]
    diluting_rock_thickness : float or array_like
        M_р, thickness of the rock layer mined with the ore at each contact. [m]
    balance_grade : float or array_like
        C_б, metal content of the balance (in-situ) ore, in (0, 1]. [mass fraction]
    lost_ore_grade : float or array_like
        C_п, metal content of the lost ore, in [0, 1]. [mass fraction]
    rock_grade : float or array_like
        C_р, metal content of the diluting rock, in [0, 1]. [mass fraction]

    Returns
    -------
    float or ndarray
        a_д, metal content of the mined ore, in [0, 1]. [mass fraction]

    Raises
    ------
    ValueError
        If a thickness is negative (``ore_thickness`` not positive), a grade is outside
        [0, 1] (``balance_grade`` zero), the lost layers take the whole body
        (2 M_п >= m_р) or would hold all its metal (2 M_п C_п >= m_р C_б).

    Notes
    -----
    Eq. (5.4) in [004]:

    .. math:: a_д = \frac{m_р C_б - 2 M_п C_п + 2 M_р C_р}{m_р - 2 M_п + 2 M_р}

    The extraction lost the signs; this reading is the metal balance of the mined ore.
    The source states the grades in %; the equation is linear in them, so the function
    works in mass fractions and a_д comes out as a mass fraction.

    References
    ----------
    [004] practical work 5, Eq. (5.4).

    Examples
    --------
    Variant 20 of Table 5.1, scheme А (m_р = 19 m, M_п/M_р = 0.4/1.6 m, C_б = 2.4 %,
    C_п = 1.0 %, C_р = 0.3 %), in %:

    (45.6 − 0.8 + 0.96) / (19 − 0.8 + 3.2) = 45.76 / 21.4 = 2.1383 %:

    >>> round(mined_grade(19.0, 0.4, 1.6, 0.024, 0.010, 0.003), 6)
    0.021383
    """
    m_r, m_p, m_d, c_b, c_p, c_r = _check_contacts(
        ore_thickness,
        lost_ore_thickness,
        diluting_rock_thickness,
        balance_grade,
        lost_ore_grade,
        rock_grade,
    )
    a_d = (m_r * c_b - 2.0 * m_p * c_p + 2.0 * m_d * c_r) / (m_r - 2.0 * m_p + 2.0 * m_d)
    return _out(a_d)


def metal_loss(
    ore_thickness: ArrayLike,
    lost_ore_thickness: ArrayLike,
    diluting_rock_thickness: ArrayLike,
    balance_grade: ArrayLike,
    lost_ore_grade: ArrayLike,
    rock_grade: ArrayLike,
) -> FloatLike:
    r"""Net loss of metal at the two contacts, П, as a share of the metal of the body.

    Parameters
    ----------
    ore_thickness : float or array_like
        m_р, thickness of the ore body. [m]
    lost_ore_thickness : float or array_like
        M_п, thickness of the ore layer lost at each of the two contacts. [m]
    diluting_rock_thickness : float or array_like
        M_р, thickness of the rock layer mined with the ore at each contact. [m]
    balance_grade : float or array_like
        C_б, metal content of the balance (in-situ) ore, in (0, 1]. [mass fraction]
    lost_ore_grade : float or array_like
        C_п, metal content of the lost ore, in [0, 1]. [mass fraction]
    rock_grade : float or array_like
        C_р, metal content of the diluting rock, in [0, 1]. [mass fraction]

    Returns
    -------
    float or ndarray
        П, net metal loss as a fraction (multiply by 100 for the source's %); below 1,
        and negative when the diluting rock brings more metal than the lost ore takes. [-]

    Raises
    ------
    ValueError
        As :func:`mined_grade`: negative thickness, grade outside [0, 1], lost layers
        taking the whole body or all its metal (loss fraction >= 1).

    Notes
    -----
    Eq. (5.1) in [004], with П in percent:

    .. math:: П = \frac{2 M_п C_п - 2 M_р C_р}{m_р C_б} \cdot 100

    The function works in fractions: the grades are mass fractions (the ratio of grades is
    the same as in %) and П is returned without the factor 100.

    Where the lost ore and the diluting rock carry the same metal (2 M_п C_п = 2 M_р C_р,
    e.g. variants 3 В and 6 А of Table 5.1) the difference of the two products is only
    floating-point rounding, of either sign; a difference below ``CANCEL_RTOL`` (1e-12) of
    the terms is returned as exactly 0.

    The extraction lost the sign between the two terms of the numerator. The minus is
    chosen because it is the only reading consistent with Eq. (5.4): the metal of the
    mined ore, a_д (m_р − 2 M_п + 2 M_р), equals the metal of the body less the metal
    left in the ground plus the metal of the diluting rock,
    m_р C_б − 2 M_п C_п + 2 M_р C_р = m_р C_б (1 − П). П is therefore the *net* loss of
    metal (one minus the metal recovery into mined ore), the usual definition of the
    loss of the useful component; the gross metal left in the ground is
    2 M_п C_п / (m_р C_б).

    References
    ----------
    [004] practical work 5, Eq. (5.1).

    Examples
    --------
    Variant 2 of Table 5.1, scheme А (m_р = 15 m, M_п/M_р = 0.2/0.9 m, C_б = 2.1 %,
    C_п = 1.2 %, C_р = 0.2 %): (0.48 − 0.36) / 31.5 = 0.00381 (0.381 %).

    >>> round(metal_loss(15.0, 0.2, 0.9, 0.021, 0.012, 0.002), 5)
    0.00381
    """
    m_r, m_p, m_d, c_b, c_p, c_r = _check_contacts(
        ore_thickness,
        lost_ore_thickness,
        diluting_rock_thickness,
        balance_grade,
        lost_ore_grade,
        rock_grade,
    )
    lost = 2.0 * m_p * c_p  # metal left in the ground
    brought = 2.0 * m_d * c_r  # metal of the diluting rock
    net = lost - brought
    net = np.where(np.abs(net) <= CANCEL_RTOL * (lost + brought), 0.0, net)
    return _out(net / (m_r * c_b))


def dilution(balance_grade: ArrayLike, mined_grade: ArrayLike) -> FloatLike:
    r"""Dilution coefficient р: the relative drop of grade from the body to the mined ore.

    Parameters
    ----------
    balance_grade : float or array_like
        C_б, metal content of the balance (in-situ) ore, in (0, 1]. [mass fraction]
    mined_grade : float or array_like
        a_д, metal content of the mined ore (Eq. 5.4), in [0, 1]. [mass fraction]

    Returns
    -------
    float or ndarray
        р, dilution as a fraction (Р = 100 р in the source's %); negative when the mined
        ore is richer than the balance ore (lean contact ore left behind). [-]

    Raises
    ------
    ValueError
        If a grade is outside [0, 1] or ``balance_grade`` is zero.

    Notes
    -----
    Eqs. (5.2) and (5.3) in [004] are one quantity in two units:

    .. math:: Р = \frac{C_б - a_д}{C_б} \cdot 100\ \%, \qquad р = \frac{C_б - a_д}{C_б}

    The source states the grades in %; the function takes them as mass fractions (the
    ratio is the same) and returns the fraction р.

    References
    ----------
    [004] practical work 5, Eqs. (5.2), (5.3).

    Examples
    --------
    C_б = 2.4 %, a_д = 2.1383 %:

    >>> round(dilution(0.024, 0.021383), 4)
    0.109
    """
    _grade("balance_grade", balance_grade, zero_allowed=False)
    _grade("mined_grade", mined_grade)
    c_b = np.asarray(balance_grade, dtype=float)
    a_d = np.asarray(mined_grade, dtype=float)
    return _out((c_b - a_d) / c_b)


def quality_coefficient(dilution: ArrayLike) -> FloatLike:
    r"""Quality coefficient K_к = 1 − р of the mined ore.

    Parameters
    ----------
    dilution : float or array_like
        р, dilution coefficient (Eq. 5.3), below 1. [-]

    Returns
    -------
    float or ndarray
        K_к, ratio of the mined grade to the balance grade, a_д / C_б (positive). [-]

    Raises
    ------
    ValueError
        If ``dilution`` is not below 1 (the mined ore would hold no metal).

    Notes
    -----
    Defined under Eq. (5.5) in [004]: :math:`K_к = 1 - р`.

    References
    ----------
    [004] practical work 5, text under Eq. (5.5).

    Examples
    --------
    >>> quality_coefficient(0.25)
    0.75
    """
    in_range("dilution", dilution, -np.inf, 1.0, high_inclusive=False)
    return _out(1.0 - np.asarray(dilution, dtype=float))


def metal_unit_cost(
    balance_grade: ArrayLike,
    quality_coefficient: ArrayLike,
    first_cost: float = 600.0,
    second_cost: float = 250.0,
    reading: Literal["sum", "offset"] = "sum",
) -> FloatLike:
    r"""Cost of one tonne of finished metal, С_м, from the grade of the mined ore.

    Parameters
    ----------
    balance_grade : float or array_like
        C_б, metal content of the balance (in-situ) ore, in (0, 1]. [mass fraction]
    quality_coefficient : float or array_like
        K_к = 1 − р, quality coefficient of the mined ore (positive). [-]
    first_cost : float
        The first constant printed in Eq. (5.5), 600; the text does not name it. [rub/t]
    second_cost : float
        The second constant printed in Eq. (5.5), 250; the text does not name it. [rub/t]
    reading : {"sum", "offset"}
        Which reading of the garbled Eq. (5.5) to use (see Notes). [-]

    Returns
    -------
    float or ndarray
        С_м, cost of one tonne of finished metal, in the source's "руб./т". [rub/t]

    Raises
    ------
    ValueError
        If ``balance_grade`` is outside (0, 1], ``quality_coefficient`` is not
        positive, a cost is negative, or ``reading`` is not one of
        :data:`METAL_COST_READINGS`.

    Notes
    -----
    Eq. (5.5) in [004] survives as ``С.м= 600 250`` over ``б кС К``: the constants 600 and
    250 above C_б K_к with the operator between them and the extent of the fraction bar
    lost. Two readings fit the surviving layout:

    * ``"sum"`` (default): :math:`С_м = (600 + 250) / (C_б K_к)` — one fraction whose
      numerator holds both constants (a cost per tonne of ore over the metal content of
      the mined ore);
    * ``"offset"``: :math:`С_м = 600 + 250 / (C_б K_к)`.

    The text gives no unit for the constants; the formula is kept as printed, with C_б in
    % as in the source (so С_м = 850 / 2.1383 = 397.5 for a_д = 2.1383 %). The function
    takes C_б as a mass fraction and multiplies it by 100 before applying Eq. (5.5). Since
    K_к = a_д / C_б, C_б K_к is the mined grade a_д and
    both readings fall strictly as a_д rises, so the scheme of least cost (step 6 of the
    work) is the same under either reading: the scheme with the richest mined ore.

    References
    ----------
    [004] practical work 5, Eq. (5.5).

    Examples
    --------
    C_б = 2.4 %, K_к = 0.891: 850 / (2.4 × 0.891) and 600 + 250 / (2.4 × 0.891).

    >>> round(metal_unit_cost(0.024, 0.891), 1)
    397.5
    >>> round(metal_unit_cost(0.024, 0.891, reading="offset"), 1)
    716.9
    """
    _grade("balance_grade", balance_grade, zero_allowed=False)
    positive("quality_coefficient", quality_coefficient)
    non_negative("first_cost", first_cost, "rub/t")
    non_negative("second_cost", second_cost, "rub/t")
    if reading not in METAL_COST_READINGS:
        raise ValueError(
            f"reading must be one of {', '.join(METAL_COST_READINGS)}; got {reading!r}"
        )
    c_b_percent = np.asarray(balance_grade, dtype=float) * PERCENT  # Eq. (5.5) takes C_б in %
    grade_term = c_b_percent * np.asarray(quality_coefficient, dtype=float)
    if reading == "sum":
        cost = (first_cost + second_cost) / grade_term
    else:
        cost = first_cost + second_cost / grade_term
    return _out(np.asarray(cost))


def cheapest_scheme(metal_costs: npt.ArrayLike) -> int:
    r"""Index of the mining scheme with the least cost of metal.

    Parameters
    ----------
    metal_costs : array_like
        С_м of each scheme (Eq. 5.5), one-dimensional, finite and non-negative. [rub/t]

    Returns
    -------
    int
        Position of the least cost in ``metal_costs`` (the first one on a tie). [-]

    Raises
    ------
    ValueError
        If ``metal_costs`` is empty, not one-dimensional, or holds a negative or
        non-finite value.

    Notes
    -----
    Step 6 of practical work 5 in [004]: "Выбрать вариант схемы отработки руды по
    минимальной себестоимости" — choose the scheme of the least cost С_м (Eq. 5.5).

    References
    ----------
    [004] practical work 5, step 6.

    Examples
    --------
    >>> cheapest_scheme([396.2, 401.0, 389.9])
    2
    """
    costs = np.asarray(metal_costs, dtype=float)
    if costs.ndim != 1 or costs.size == 0:
        raise ValueError(f"metal_costs must be a non-empty 1-D sequence, got shape {costs.shape}")
    non_negative("metal_costs", costs, "rub/t")
    if not np.all(np.isfinite(costs)):
        raise ValueError(f"metal_costs must be finite numbers of rub/t, got {costs.tolist()}")
    return int(np.argmin(costs))
