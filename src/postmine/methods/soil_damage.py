r"""Economic damage from the disturbance of soil by mining (practical work 2 of [004]).

The damage of a year of stripping is the sum of two parts (Eq. 2.12 in [004]):

* the loss of soil itself while it is stripped, hauled, stored, rehandled and spread again,
  priced per cubic metre (Eqs. 2.1, 2.6);
* the loss of the soil's agricultural value: the land is withdrawn from farming and the soil
  that is put back is poorer biologically (humus, Eq. 2.11), agrochemically (phosphorus,
  nitrogen, potassium, acidity, Eqs. 2.8-2.10) and is diluted by rock (Eqs. 2.3-2.5),
  priced by the standard value of the land (Eq. 2.7).

Areas are in hectares and yearly quantities per year, as in the source: the standard value
of the land is given per hectare and Eq. (2.6) carries the factor 10⁴ m²/ha.

References
----------
[004] Practical works on rational nature use in mining, practical work 2 "Экономическая
      оценка экологического ущерба от нарушения почв при ведении горных работ",
      Eqs. (2.1)-(2.12) and Table 2.1 (seed lines 529-865).
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt

from postmine.core.checks import at_least, fraction, in_range, non_negative, positive

__all__ = [
    "ADMIXTURE_NORM",
    "LAND_VALUE_RUB_PER_HA",
    "LOOSENING_FACTOR",
    "MAX_NORMATIVE_SOIL_LOSS",
    "SOIL_LOSS_NORMS",
    "SOIL_PRICE_RUB_PER_M3",
    "admixed_rock_volume",
    "agrochemical_worsening_coefficient",
    "biological_worsening_coefficient",
    "lost_soil_volume",
    "mean_agrochemical_worsening",
    "normative_soil_loss",
    "quality_change_ratio",
    "soil_dilution_coefficient",
    "soil_disturbance_damage",
    "soil_integrity_damage",
    "soil_loss_damage",
    "stripped_area",
    "topsoil_stripping_volume",
]

FloatLike = float | npt.NDArray[np.float64]

#: Normative relative losses of soil r1..r5 [-], [004] text under Eq. (2.1): incomplete
#: removal < 5 %, haulage to the store < 1 %, temporary storage < 2.5 %, rehandling < 2.5 %,
#: work in unfavourable weather < 5 %.
SOIL_LOSS_NORMS: Final[dict[str, float]] = {
    "removal_loss": 0.05,
    "haulage_loss": 0.01,
    "storage_loss": 0.025,
    "rehandling_loss": 0.025,
    "weather_loss": 0.05,
}
#: Upper limit of the total normative loss N_пот [-], [004] text under Eq. (2.1) ("не более 17 %").
MAX_NORMATIVE_SOIL_LOSS: Final = 0.17
#: Loosening factor of soil when stripped, K_р [-], [004] text under Eq. (2.2).
LOOSENING_FACTOR: Final = 1.1
#: Norm of dilution (admixture) of soil by other rock, N_зп [-], [004] text under Eq. (2.5).
ADMIXTURE_NORM: Final = 0.08
#: Price of 1 m³ of soil, Ц_п [rub/m³], [004] text under Eq. (2.6) ("принять 350 руб./м3").
SOIL_PRICE_RUB_PER_M3: Final = 350.0
#: Standard value of farmland before disturbance, Q [rub/ha], [004] text under Eq. (2.7)
#: ("125 тыс. руб./га").
LAND_VALUE_RUB_PER_HA: Final = 125_000.0

_M2_PER_HA: Final = 1.0e4


def normative_soil_loss(
    removal_loss: FloatLike = SOIL_LOSS_NORMS["removal_loss"],
    haulage_loss: FloatLike = SOIL_LOSS_NORMS["haulage_loss"],
    storage_loss: FloatLike = SOIL_LOSS_NORMS["storage_loss"],
    rehandling_loss: FloatLike = SOIL_LOSS_NORMS["rehandling_loss"],
    weather_loss: FloatLike = SOIL_LOSS_NORMS["weather_loss"],
) -> FloatLike:
    r"""Total normative relative loss of soil from stripping to spreading.

    The share of the stripped in-situ soil volume lost by incomplete removal, haulage to the
    store, temporary storage, rehandling and work in unfavourable weather.

    Parameters
    ----------
    removal_loss : float or ndarray
        r₁, loss by incomplete removal of the soil layer (norm < 5 %). [-]
    haulage_loss : float or ndarray
        r₂, loss in haulage to the store (norm < 1 %). [-]
    storage_loss : float or ndarray
        r₃, loss in temporary storage (norm < 2.5 %). [-]
    rehandling_loss : float or ndarray
        r₄, loss in rehandling (norm < 2.5 %). [-]
    weather_loss : float or ndarray
        r₅, loss from work in unfavourable climatic and weather conditions (norm < 5 %). [-]

    Returns
    -------
    float or ndarray
        N_пот = r_n, total normative loss of soil. [-]

    Raises
    ------
    ValueError
        If a loss is outside [0, 1), or the total exceeds the norm of 17 %
        (:data:`MAX_NORMATIVE_SOIL_LOSS`).

    Notes
    -----
    Eq. (2.1) in [004], whose "+" signs the extraction lost:

    .. math:: N_{пот} = r_n = r_1 + r_2 + r_3 + r_4 + r_5 \le 17\ \%

    The defaults are the five individual norms of the text. They add up to 16 %, whereas
    the text states that the total "can be no more than 17 %"; the code keeps both numbers
    as printed: the defaults sum to 16 % and the check refuses totals above 17 %.

    References
    ----------
    [004] practical work 2, Eq. (2.1).

    Examples
    --------
    >>> round(float(normative_soil_loss()), 4)
    0.16
    """
    losses = {
        "removal_loss": removal_loss,
        "haulage_loss": haulage_loss,
        "storage_loss": storage_loss,
        "rehandling_loss": rehandling_loss,
        "weather_loss": weather_loss,
    }
    for name, value in losses.items():
        fraction(name, value)
    total: FloatLike = (
        np.asarray(removal_loss, dtype=float)
        + np.asarray(haulage_loss, dtype=float)
        + np.asarray(storage_loss, dtype=float)
        + np.asarray(rehandling_loss, dtype=float)
        + np.asarray(weather_loss, dtype=float)
    )
    # Allow binary noise of the sum (0.05 + 0.01 + ... = 0.17000000000000004) at the limit.
    in_range(
        "total normative soil loss N_пот (r1 + r2 + r3 + r4 + r5)",
        total,
        0.0,
        MAX_NORMATIVE_SOIL_LOSS + 1e-12,
    )
    return total


def stripped_area(advance_rate: FloatLike, front_length: FloatLike) -> FloatLike:
    r"""Area of land stripped of soil in a year ahead of an advancing external dump.

    Parameters
    ----------
    advance_rate : float or ndarray
        v_вп, rate of advance of the front of the first tier of the external dump. [m/year]
    front_length : float or ndarray
        L_фот, length of the front of the external dump. [m]

    Returns
    -------
    float or ndarray
        S, area of land stripped per year. [ha/year]

    Raises
    ------
    ValueError
        If ``advance_rate`` or ``front_length`` is not positive.

    Notes
    -----
    [004] defines S in Eqs. (2.6)-(2.7) only as "the area of land stripped, ha/year"
    and says before Eq. (2.2) that the land stripped in a year "is determined by the advance
    of the dumping front". Table 2.1 gives no area, so S is read as the strip swept by the
    front in a year, the same product that Eq. (2.2) multiplies by the soil thickness:

    .. math:: S = v_{вп} L_{фот} / 10^4

    References
    ----------
    [004] practical work 2, text before Eq. (2.2) and under Eq. (2.6).

    Examples
    --------
    >>> round(float(stripped_area(50.0, 640.0)), 3)
    3.2
    """
    positive("advance_rate", advance_rate, "m/year")
    positive("front_length", front_length, "m")
    area: FloatLike = np.asarray(advance_rate, dtype=float) * front_length / _M2_PER_HA
    return area


def topsoil_stripping_volume(
    advance_rate: FloatLike,
    front_length: FloatLike,
    topsoil_thickness: FloatLike,
    loosening_factor: FloatLike = LOOSENING_FACTOR,
) -> FloatLike:
    r"""Yearly volume of the fertile soil layer stripped ahead of an external dump.

    Parameters
    ----------
    advance_rate : float or ndarray
        v_вп, rate of advance of the front of the first tier of the external dump. [m/year]
    front_length : float or ndarray
        L_фот, length of the front of the external dump. [m]
    topsoil_thickness : float or ndarray
        m_п, thickness of the stripped soil layer (Table 1.2 of [004]). [m]
    loosening_factor : float or ndarray
        K_р, loosening factor of soil when stripped (1.1 in [004]). [-]

    Returns
    -------
    float or ndarray
        V_прс, stripped volume of soil, loose. [m³/year]

    Raises
    ------
    ValueError
        If a length, rate or thickness is not positive, or ``loosening_factor < 1``.

    Notes
    -----
    Eq. (2.2) in [004]:

    .. math:: V_{прс} = v_{вп} L_{фот} m_п K_р

    References
    ----------
    [004] practical work 2, Eq. (2.2).

    Examples
    --------
    >>> round(float(topsoil_stripping_volume(50.0, 640.0, 0.5)), 6)
    17600.0
    """
    positive("advance_rate", advance_rate, "m/year")
    positive("front_length", front_length, "m")
    positive("topsoil_thickness", topsoil_thickness, "m")
    at_least("loosening_factor", loosening_factor, 1.0)
    v_вп, L_фот, m_п, K_р = advance_rate, front_length, topsoil_thickness, loosening_factor
    volume: FloatLike = np.asarray(v_вп, dtype=float) * L_фот * m_п * K_р
    return volume


def lost_soil_volume(stripped_volume: FloatLike, total_loss: FloatLike) -> FloatLike:
    r"""Volume of soil lost between stripping and spreading.

    Parameters
    ----------
    stripped_volume : float or ndarray
        V_прс, volume (or mass) of soil stripped from the site. [m³]
    total_loss : float or ndarray
        r_n = N_пот, total relative loss of soil (Eq. 2.1). [-]

    Returns
    -------
    float or ndarray
        V_п, volume (or mass, in the unit of ``stripped_volume``) of soil lost. [m³]

    Raises
    ------
    ValueError
        If ``stripped_volume`` is negative or ``total_loss`` is outside [0, 1).

    Notes
    -----
    Eq. (2.4) in [004]: :math:`V_п = r_n V_{прс}`.

    References
    ----------
    [004] practical work 2, Eq. (2.4).

    Examples
    --------
    >>> round(float(lost_soil_volume(17600.0, 0.16)), 6)
    2816.0
    """
    non_negative("stripped_volume", stripped_volume, "m³")
    fraction("total_loss", total_loss)
    volume: FloatLike = np.asarray(total_loss, dtype=float) * stripped_volume
    return volume


def admixed_rock_volume(
    stripped_volume: FloatLike, admixture_norm: FloatLike = ADMIXTURE_NORM
) -> FloatLike:
    r"""Volume of rock and other ground mixed into the soil during handling, by the norm.

    Parameters
    ----------
    stripped_volume : float or ndarray
        V_прс, volume (or mass) of soil stripped from the site. [m³]
    admixture_norm : float or ndarray
        N_зп, norm of dilution (admixture) of soil by other rock (0.08 in [004]). [-]

    Returns
    -------
    float or ndarray
        B_i, volume (or mass, in the unit of ``stripped_volume``) of admixed rock. [m³]

    Raises
    ------
    ValueError
        If ``stripped_volume`` is negative or ``admixture_norm`` is outside [0, 1).

    Notes
    -----
    Eq. (2.5) in [004]: :math:`B_i = V_{прс} N_{зп}`.

    References
    ----------
    [004] practical work 2, Eq. (2.5).

    Examples
    --------
    >>> round(float(admixed_rock_volume(17600.0)), 6)
    1408.0
    """
    non_negative("stripped_volume", stripped_volume, "m³")
    fraction("admixture_norm", admixture_norm)
    volume: FloatLike = np.asarray(stripped_volume, dtype=float) * admixture_norm
    return volume


def soil_dilution_coefficient(
    admixed_volume: FloatLike, stripped_volume: FloatLike, lost_volume: FloatLike
) -> FloatLike:
    r"""Dilution coefficient of soil: admixed rock per unit of soil that is left.

    Parameters
    ----------
    admixed_volume : float or ndarray
        B_i, volume (or mass) of rock and ground mixed into the soil during storage,
        rehandling and spreading (Eq. 2.5). [m³]
    stripped_volume : float or ndarray
        V_прс, volume (or mass) of soil stripped from the site (Eq. 2.2). [m³]
    lost_volume : float or ndarray
        V_п, volume (or mass) of soil lost (Eq. 2.4); smaller than ``stripped_volume``. [m³]

    Returns
    -------
    float or ndarray
        K_р, dilution coefficient of the soil. [-]

    Raises
    ------
    ValueError
        If a volume is negative, ``stripped_volume`` is not positive, or
        ``lost_volume >= stripped_volume`` (no soil left to dilute).

    Notes
    -----
    Eq. (2.3) in [004]:

    .. math:: K_р = \frac{\sum B_i}{V_{прс} - V_п}

    With Eqs. (2.4)-(2.5) this is :math:`N_{зп} / (1 - r_n)`, independent of the volume:
    0.08 / 0.84 = 0.0952 with the default norms. The source uses the symbol K_р both for
    this coefficient and for the loosening factor of Eq. (2.2).

    References
    ----------
    [004] practical work 2, Eq. (2.3).

    Examples
    --------
    >>> round(float(soil_dilution_coefficient(1408.0, 17600.0, 2816.0)), 4)
    0.0952
    """
    non_negative("admixed_volume", admixed_volume, "m³")
    positive("stripped_volume", stripped_volume, "m³")
    non_negative("lost_volume", lost_volume, "m³")
    V_прс = np.asarray(stripped_volume, dtype=float)
    V_п = np.asarray(lost_volume, dtype=float)
    if np.any(V_п >= V_прс):
        raise ValueError(
            f"lost_volume must be < stripped_volume, got {V_п} >= {V_прс} m³ "
            "(no soil would be left to dilute)"
        )
    coefficient: FloatLike = np.asarray(admixed_volume, dtype=float) / (V_прс - V_п)
    return coefficient


def soil_loss_damage(
    total_loss: FloatLike,
    stripped_area: FloatLike,
    topsoil_thickness: FloatLike,
    soil_price: FloatLike = SOIL_PRICE_RUB_PER_M3,
) -> FloatLike:
    r"""Damage from the soil lost in stripping, haulage, storage and spreading.

    Parameters
    ----------
    total_loss : float or ndarray
        N_пот, total normative loss of soil (Eq. 2.1). [-]
    stripped_area : float or ndarray
        S, area of land stripped (hectares, the source's unit). [ha/year]
    topsoil_thickness : float or ndarray
        m_п, thickness of the fertile layer (Table 1.2 of [004]). [m]
    soil_price : float or ndarray
        Ц_п, price of 1 m³ of soil (350 rub/m³ in [004]). [rub/m³]

    Returns
    -------
    float or ndarray
        У_пп, damage from the loss of soil. [rub/year]

    Raises
    ------
    ValueError
        If ``total_loss`` is outside [0, 1), or an area, thickness or price is negative.

    Notes
    -----
    Eq. (2.6) in [004]:

    .. math:: У_{пп} = 10^4 N_{пот} S m_п Ц_п

    The factor 10⁴ converts hectares to m², so the lost volume is taken in situ (without
    the loosening factor of Eq. 2.2): :math:`У_{пп} = V_п Ц_п / K_р` with V_п of Eq. (2.4).

    References
    ----------
    [004] practical work 2, Eq. (2.6).

    Examples
    --------
    >>> round(float(soil_loss_damage(0.16, 3.2, 0.5)), 2)
    896000.0
    """
    fraction("total_loss", total_loss)
    non_negative("stripped_area", stripped_area, "ha/year")
    non_negative("topsoil_thickness", topsoil_thickness, "m")
    non_negative("soil_price", soil_price, "rub/m³")
    N_пот, S, m_п, Ц_п = total_loss, stripped_area, topsoil_thickness, soil_price
    damage: FloatLike = _M2_PER_HA * np.asarray(N_пот, dtype=float) * S * m_п * Ц_п
    return damage


def quality_change_ratio(disturbed: FloatLike, undisturbed: FloatLike) -> FloatLike:
    r"""Ratio of an agrochemical indicator of disturbed soil to that of undisturbed soil.

    Parameters
    ----------
    disturbed : float or ndarray
        Content of phosphorus, nitrogen or potassium, or the pH, of the disturbed soil, in
        the unit of ``undisturbed`` (percent in Table 2.1 of [004]; pH is unitless). [%]
    undisturbed : float or ndarray
        The same indicator of the undisturbed soil. [%]

    Returns
    -------
    float or ndarray
        K_и, coefficient of change of the agrochemical quality, in [0, 1]. [-]

    Raises
    ------
    ValueError
        If ``disturbed`` is negative, ``undisturbed`` is not positive, or
        ``disturbed > undisturbed``: the method of [004] measures a worsening, and a
        ratio above 1 would give a negative damage.

    Notes
    -----
    Eq. (2.10) in [004], written there for phosphorus and "identically" for nitrogen,
    potassium and acidity:

    .. math:: K_и^P = K_и^{P,\,наруш} / K_и^{P,\,ненаруш}

    References
    ----------
    [004] practical work 2, Eq. (2.10).

    Examples
    --------
    >>> round(float(quality_change_ratio(1.0, 3.0)), 4)
    0.3333
    """
    non_negative("disturbed", disturbed, "%")
    positive("undisturbed", undisturbed, "%")
    d = np.asarray(disturbed, dtype=float)
    u = np.asarray(undisturbed, dtype=float)
    if np.any(d > u):
        raise ValueError(
            f"disturbed must be <= undisturbed, got {d} > {u} "
            "(the method of 004 PR2 measures a worsening of the soil)"
        )
    ratio: FloatLike = d / u
    return ratio


def agrochemical_worsening_coefficient(disturbed: FloatLike, undisturbed: FloatLike) -> FloatLike:
    r"""Coefficient of worsening of the soil by one agrochemical indicator.

    Parameters
    ----------
    disturbed : float or ndarray
        Content of phosphorus, nitrogen or potassium, or the pH, of the disturbed soil, in
        the unit of ``undisturbed``. [%]
    undisturbed : float or ndarray
        The same indicator of the undisturbed soil. [%]

    Returns
    -------
    float or ndarray
        K_а^P (K_а^N, K_а^K, K_а^pH), worsening coefficient, in [0, 1]. [-]

    Raises
    ------
    ValueError
        As :func:`quality_change_ratio`.

    Notes
    -----
    Eq. (2.9) in [004]: :math:`K_а^P = 1 - K_и^P` with :math:`K_и^P` of Eq. (2.10).

    References
    ----------
    [004] practical work 2, Eqs. (2.9)-(2.10).

    Examples
    --------
    >>> round(float(agrochemical_worsening_coefficient(4.5, 7.0)), 4)
    0.3571
    """
    K_и = quality_change_ratio(disturbed, undisturbed)
    coefficient: FloatLike = 1.0 - np.asarray(K_и, dtype=float)
    return coefficient


def mean_agrochemical_worsening(
    phosphorus: FloatLike, nitrogen: FloatLike, potassium: FloatLike, acidity: FloatLike
) -> FloatLike:
    r"""Mean coefficient of agrochemical worsening of the soil put back.

    Parameters
    ----------
    phosphorus : float or ndarray
        K_а^P, worsening coefficient by phosphorus (Eq. 2.9). [-]
    nitrogen : float or ndarray
        K_а^N, worsening coefficient by nitrogen. [-]
    potassium : float or ndarray
        K_а^K, worsening coefficient by potassium. [-]
    acidity : float or ndarray
        K_а^pH, worsening coefficient by acidity (pH). [-]

    Returns
    -------
    float or ndarray
        K_а, mean agrochemical worsening coefficient. [-]

    Raises
    ------
    ValueError
        If a coefficient is outside [0, 1].

    Notes
    -----
    Eq. (2.8) in [004]:

    .. math:: K_а = (K_а^P + K_а^N + K_а^K + K_а^{pH}) / 4

    References
    ----------
    [004] practical work 2, Eq. (2.8).

    Examples
    --------
    >>> round(float(mean_agrochemical_worsening(0.5, 0.87, 0.75, 0.25)), 4)
    0.5925
    """
    coefficients = {
        "phosphorus": phosphorus,
        "nitrogen": nitrogen,
        "potassium": potassium,
        "acidity": acidity,
    }
    for name, value in coefficients.items():
        fraction(name, value, allow_one=True)
    mean: FloatLike = (
        np.asarray(phosphorus, dtype=float)
        + np.asarray(nitrogen, dtype=float)
        + np.asarray(potassium, dtype=float)
        + np.asarray(acidity, dtype=float)
    ) / 4.0
    return mean


def biological_worsening_coefficient(
    humus_undisturbed: FloatLike,
    humus_disturbed: FloatLike,
    humus_depth_undisturbed: FloatLike,
    humus_depth_disturbed: FloatLike,
) -> FloatLike:
    r"""Coefficient of biological worsening of the soil, by its humus store.

    Parameters
    ----------
    humus_undisturbed : float or ndarray
        G₀, humus content of the soil before stripping. [%]
    humus_disturbed : float or ndarray
        G_н, humus content of the soil after disturbance. [%]
    humus_depth_undisturbed : float or ndarray
        L₀, depth of humus penetration before stripping (the source gives no unit; any
        unit, the same as ``humus_depth_disturbed``). [cm]
    humus_depth_disturbed : float or ndarray
        L_н, depth of humus penetration after disturbance. [cm]

    Returns
    -------
    float or ndarray
        K_б, biological worsening coefficient, in [0, 1]. [-]

    Raises
    ------
    ValueError
        If a content or depth is negative, an undisturbed value is not positive, or
        G_н L_н > G₀ L₀ (the method measures a worsening).

    Notes
    -----
    Eq. (2.11) in [004]:

    .. math:: K_б = 1 - \frac{G_н L_н}{G_0 L_0}

    The source calls all four quantities "percent"; the depths of Table 2.1 (10-45) have
    no unit printed and only their ratio enters.

    References
    ----------
    [004] practical work 2, Eq. (2.11).

    Examples
    --------
    >>> round(float(biological_worsening_coefficient(9.0, 3.4, 40.0, 20.0)), 4)
    0.8111
    """
    positive("humus_undisturbed", humus_undisturbed, "%")
    non_negative("humus_disturbed", humus_disturbed, "%")
    positive("humus_depth_undisturbed", humus_depth_undisturbed, "cm")
    non_negative("humus_depth_disturbed", humus_depth_disturbed, "cm")
    G_0 = np.asarray(humus_undisturbed, dtype=float)
    G_н = np.asarray(humus_disturbed, dtype=float)
    L_0 = np.asarray(humus_depth_undisturbed, dtype=float)
    L_н = np.asarray(humus_depth_disturbed, dtype=float)
    ratio = G_н * L_н / (G_0 * L_0)
    if np.any(ratio > 1.0):
        raise ValueError(
            f"humus store after disturbance G_н L_н must be <= G_0 L_0, got ratio {ratio} "
            "(the method of 004 PR2 measures a worsening of the soil)"
        )
    coefficient: FloatLike = 1.0 - ratio
    return coefficient


def soil_integrity_damage(
    biological_worsening: FloatLike,
    agrochemical_worsening: FloatLike,
    dilution_coefficient: FloatLike,
    stripped_area: FloatLike,
    land_value: FloatLike = LAND_VALUE_RUB_PER_HA,
) -> FloatLike:
    r"""Damage from breaking the integrity of soil withdrawn from farming.

    Parameters
    ----------
    biological_worsening : float or ndarray
        K_б, biological worsening coefficient (Eq. 2.11). [-]
    agrochemical_worsening : float or ndarray
        K_а, mean agrochemical worsening coefficient (Eq. 2.8). [-]
    dilution_coefficient : float or ndarray
        K_р, dilution coefficient of the soil by rock (Eq. 2.3). [-]
    stripped_area : float or ndarray
        S, area of land stripped (hectares, the source's unit). [ha/year]
    land_value : float or ndarray
        Q, standard value of the farmland before disturbance (125 000 rub/ha in
        [004]). [rub/ha]

    Returns
    -------
    float or ndarray
        У_нцп, damage from the loss of soil integrity. [rub/year]

    Raises
    ------
    ValueError
        If a coefficient is outside [0, 1], or the area or land value is negative.

    Notes
    -----
    Eq. (2.7) in [004] prints :math:`У_{нцп} = Q\ К_б\ К_а\ К_р\ S` with the operators
    between the three coefficients lost in extraction; it may be read as their product or
    their sum. The code takes the **product**

    .. math:: У_{нцп} = Q\, К_б К_а К_р\, S

    because (i) the extraction of [004] keeps brackets elsewhere (Eqs. 4.3-4.7) and a sum
    multiplied by Q and S would need them, while Eq. (2.7) shows none, exactly like the
    plain product of Eq. (2.2); (ii) the product of shares never exceeds Q S, the whole
    standard value of the land, whereas the sum does for every row of Table 2.1
    (variant 1: 0.811 + 0.659 + 0.095 = 1.57, a damage of 157 % of the land's value);
    (iii) damage methods of this family (the 1994 Minprirody/Roskomzem method of damage
    from soil degradation, У = Н_с S К_э К_с К_п) multiply the standard value of the land
    by the area and by a product of coefficients.
    The product's weakness: a soil that is not diluted (K_р = 0) shows no integrity damage
    however much humus it lost.

    References
    ----------
    [004] practical work 2, Eq. (2.7).

    Examples
    --------
    >>> round(float(soil_integrity_damage(0.8, 0.6, 0.1, 3.2)), 2)
    19200.0
    """
    fraction("biological_worsening", biological_worsening, allow_one=True)
    fraction("agrochemical_worsening", agrochemical_worsening, allow_one=True)
    fraction("dilution_coefficient", dilution_coefficient, allow_one=True)
    non_negative("stripped_area", stripped_area, "ha/year")
    non_negative("land_value", land_value, "rub/ha")
    Q, К_б, К_а, К_р, S = (
        land_value,
        biological_worsening,
        agrochemical_worsening,
        dilution_coefficient,
        stripped_area,
    )
    damage: FloatLike = np.asarray(Q, dtype=float) * К_б * К_а * К_р * S
    return damage


def soil_disturbance_damage(loss_damage: FloatLike, integrity_damage: FloatLike) -> FloatLike:
    r"""Economic damage from the disturbance of soil by mining.

    Parameters
    ----------
    loss_damage : float or ndarray
        У_пп, damage from the loss of soil (Eq. 2.6). [rub/year]
    integrity_damage : float or ndarray
        У_нцп, damage from the loss of soil integrity (Eq. 2.7). [rub/year]

    Returns
    -------
    float or ndarray
        У_нп, total damage. [rub/year]

    Raises
    ------
    ValueError
        If a damage is negative.

    Notes
    -----
    Eq. (2.12) in [004], whose "+" the extraction lost: :math:`У_{нп} = У_{пп} + У_{нцп}`.

    References
    ----------
    [004] practical work 2, Eq. (2.12).

    Examples
    --------
    >>> round(float(soil_disturbance_damage(896000.0, 20368.0)), 1)
    916368.0
    """
    non_negative("loss_damage", loss_damage, "rub/year")
    non_negative("integrity_damage", integrity_damage, "rub/year")
    total: FloatLike = np.asarray(loss_damage, dtype=float) + integrity_damage
    return total
