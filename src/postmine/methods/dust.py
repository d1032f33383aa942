"""Dust blown off a dump: emission, width of the dispersion zone, polluted land.

Practical work 1 of [004] counts the land around an external dump on which the dust blown
off its slopes and top settles: the specific blow-off rate from the wind speed, the
emission of the whole surface, the width of the zone in which the dust concentration
exceeds the permissible one, and the area of that zone around a circular, square or
rectangular base.

References
----------
[004] Practical works on rational nature use in mining, PR1 "Расчет площади земельного
      отвода угольного разреза", Eqs. (1.12)-(1.18).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from postmine.core.checks import in_range, non_negative, positive
from postmine.methods.dumps import DUMP_SHAPES

__all__ = [
    "BLOW_OFF_COEFFICIENT_A",
    "BLOW_OFF_EXPONENT_B",
    "PERMISSIBLE_DUST_CONCENTRATION",
    "WIND_SPEED",
    "dump_dusting_surface",
    "dust_emission_rate",
    "dust_polluted_area",
    "dust_zone_width",
    "specific_dust_blow_off",
]

FloatLike = float | npt.NDArray[np.float64]

#: C, maximum permissible dust concentration ("C = 2 мг/м3", legend of Eq. 1.12 in [004]).
#: [mg/m³]
PERMISSIBLE_DUST_CONCENTRATION = 2.0
#: a of Eq. (1.15) for rocky mixed rocks ("для скальных смешанных пород а = 0,0097", [004]).
BLOW_OFF_COEFFICIENT_A = 0.0097
#: b of Eq. (1.15) for rocky mixed rocks ("в = 2,887", [004]).
BLOW_OFF_EXPONENT_B = 2.887
#: v, wind speed to take in PR1 ("принять v = 5 м/с", legend of Eq. 1.15 in [004]). [m/s]
WIND_SPEED = 5.0

# The exponent's denominator 0.0036 h* - 2.7 of Eq. (1.12) vanishes at this height
# (2.7 / 0.0036 = 750 m). [m]
_ZONE_FORMULA_MAX_HEIGHT = 750.0


def specific_dust_blow_off(
    wind_speed: FloatLike = WIND_SPEED,
    coefficient: FloatLike = BLOW_OFF_COEFFICIENT_A,
    exponent: FloatLike = BLOW_OFF_EXPONENT_B,
) -> FloatLike:
    r"""Specific dust blow-off from a dump's surface, ω = a v^b.

    Parameters
    ----------
    wind_speed : float or ndarray, optional
        v, wind speed; 5 m/s in [004]. [m/s]
    coefficient : float or ndarray, optional
        a, empirical coefficient (ω at v = 1 m/s); 0.0097 for rocky mixed rocks in
        [004]. [mg/(m²·s)]
    exponent : float or ndarray, optional
        b, empirical exponent; 2.887 for rocky mixed rocks in [004]. [-]

    Returns
    -------
    float or ndarray
        ω, dust blown off per unit area and time. [mg/(m²·s)]

    Raises
    ------
    ValueError
        If the wind speed or the coefficient is negative, or the exponent is not positive.

    Notes
    -----
    Eq. (1.15) in [004]:

    .. math:: ω = a v^b

    The extraction prints "вa" with the symbols stacked; the legend names a, b ("а, в") and
    v, so ω = a v^b.

    References
    ----------
    [004] PR1, Eq. (1.15).

    Examples
    --------
    >>> round(float(specific_dust_blow_off(5.0)), 4)
    1.0109
    """
    non_negative("wind_speed", wind_speed, "m/s")
    non_negative("coefficient", coefficient, "mg/(m²·s)")
    positive("exponent", exponent)
    ω: FloatLike = np.asarray(coefficient) * np.power(np.asarray(wind_speed, dtype=float), exponent)
    return ω


def dump_dusting_surface(side_area: FloatLike, top_area: FloatLike) -> FloatLike:
    """Surface of a dump from which dust is blown, S_отв = S_б + S_в.

    Parameters
    ----------
    side_area : float or ndarray
        S_б, area of the dump's slopes. [m²]
    top_area : float or ndarray
        S_в, area of the dump's top. [m²]

    Returns
    -------
    float or ndarray
        S_отв, dusting surface. [m²]

    Raises
    ------
    ValueError
        If an area is negative.

    Notes
    -----
    Eq. (1.14) in [004]: S_отв = S_б + S_в.

    References
    ----------
    [004] PR1, Eq. (1.14).

    Examples
    --------
    >>> float(dump_dusting_surface(1.0e5, 2.5e5))
    350000.0
    """
    non_negative("side_area", side_area, "m²")
    non_negative("top_area", top_area, "m²")
    S_отв: FloatLike = np.add(side_area, top_area)
    return S_отв


def dust_emission_rate(specific_blow_off: FloatLike, surface_area: FloatLike) -> FloatLike:
    """Dust emission of a dump's surface, g_от = ω S_отв.

    Parameters
    ----------
    specific_blow_off : float or ndarray
        ω, specific blow-off (Eq. 1.15). [mg/(m²·s)]
    surface_area : float or ndarray
        S_отв, dusting surface of the dump (Eq. 1.14). [m²]

    Returns
    -------
    float or ndarray
        g_от, dust emission. [mg/s]

    Raises
    ------
    ValueError
        If a value is negative.

    Notes
    -----
    Eq. (1.13) in [004]: g_от = ω S_отв (the product sign was lost in the extraction).

    References
    ----------
    [004] PR1, Eq. (1.13).

    Examples
    --------
    >>> float(dust_emission_rate(2.0, 3.5e5))
    700000.0
    """
    non_negative("specific_blow_off", specific_blow_off, "mg/(m²·s)")
    non_negative("surface_area", surface_area, "m²")
    g_от: FloatLike = np.multiply(specific_blow_off, surface_area)
    return g_от


def dust_zone_width(
    dump_height: FloatLike,
    emission_rate: FloatLike,
    permissible_concentration: FloatLike = PERMISSIBLE_DUST_CONCENTRATION,
) -> FloatLike:
    r"""Width of the zone around a dump where blown-off dust exceeds the permissible level.

    Parameters
    ----------
    dump_height : float or ndarray
        h*_о, height of the dump after its slopes are flattened, below 750 m (where the
        formula's denominator vanishes). [m]
    emission_rate : float or ndarray
        g_от, dust emission of the dump's surface (Eq. 1.13). [mg/s]
    permissible_concentration : float or ndarray, optional
        C, maximum permissible dust concentration; 2 mg/m³ in [004]. [mg/m³]

    Returns
    -------
    float or ndarray
        X_з, width of the dust dispersion zone measured from the dump's base outline. [m]

    Raises
    ------
    ValueError
        If the height is outside (0, 750) m, the emission or the concentration is not
        positive, or the width overflows (a height too close to the 750 m pole).

    Notes
    -----
    Eq. (1.12) of [004] as reconstructed (the extraction lost its fraction bars, signs and
    the layout; it keeps "0,006 7,01 ln", "exp", "0,0036 2,7", C h*_о / g_от, X_з):

    .. math:: X_з = \exp\left[\frac{0.006 h^*_о - 7.01 + \ln(C h^*_о / g_{от})}
              {0.0036 h^*_о - 2.7}\right]

    This reading (reading notes on PR1) is the one consistent with the surviving symbols
    that gives plausible widths (hundreds of metres for the dumps of Table 1.2) and the
    expected trends: X_з grows with the emission and falls as the permissible
    concentration rises. It is a reconstruction, not a verified transcription: check it
    against the printed original before relying on it.

    References
    ----------
    [004] PR1, Eq. (1.12).

    Examples
    --------
    >>> round(float(dust_zone_width(60.0, 4.0e5)), 1)
    381.0
    """
    in_range(
        "dump_height",
        dump_height,
        0.0,
        _ZONE_FORMULA_MAX_HEIGHT,
        "m",
        low_inclusive=False,
        high_inclusive=False,
    )
    positive("emission_rate", emission_rate, "mg/s")
    positive("permissible_concentration", permissible_concentration, "mg/m³")
    h, g_от = np.asarray(dump_height, dtype=float), np.asarray(emission_rate, dtype=float)
    C = np.asarray(permissible_concentration, dtype=float)
    exponent = (0.006 * h - 7.01 + np.log(C * h / g_от)) / (0.0036 * h - 2.7)
    with np.errstate(over="ignore"):
        X_з: FloatLike = np.exp(exponent)
    if not np.all(np.isfinite(X_з)):
        raise ValueError(
            "dust_zone_width overflows for these inputs: dump_height "
            f"{np.asarray(dump_height)} m is too close to the 750 m pole of Eq. (1.12)"
        )
    return X_з


def dust_polluted_area(
    shape: str,
    base_size: FloatLike,
    zone_width: FloatLike,
    base_length: FloatLike | None = None,
) -> FloatLike:
    r"""Area of the land polluted by dust around a dump's base, S_з.

    The ring of width X_з around the base outline: for any convex outline its area is
    P_о X_з + π X_з² (straight strips along the sides, quarter circles at the corners).

    Parameters
    ----------
    shape : {"circle", "square", "rectangle"}
        Shape of the dump's base.
    base_size : float or ndarray
        R, base radius (circle), or B, base width (square, rectangle). [m]
    zone_width : float or ndarray
        X_з, width of the dust dispersion zone (Eq. 1.12). [m]
    base_length : float or ndarray, optional
        L = n B, base length; required for a rectangle, not allowed for the other shapes. [m]

    Returns
    -------
    float or ndarray
        S_з, polluted area outside the base. [m²]

    Raises
    ------
    ValueError
        If ``shape`` is unknown, a size is not positive, the zone width is negative, or
        ``base_length`` is missing for a rectangle or given for another shape.

    Notes
    -----
    Eqs. (1.16)-(1.18) in [004]:

    .. math::

        S_з &= π (R + X_з)^2 - π R^2         \quad\text{(circle, 1.16)}\\
        S_з &= π X_з^2 + 4 B X_з             \quad\text{(square, 1.17)}\\
        S_з &= π X_з^2 + 2 X_з B (1 + n)     \quad\text{(rectangle, n = L/B, 1.18)}

    For the rectangle 2 X_з B (1 + n) = 2 X_з (B + L); the code uses L directly, so a base
    whose L/B changed (top-down flattening adds 2ΔL to both sides) is still exact.

    References
    ----------
    [004] PR1, Eqs. (1.16)-(1.18).

    Examples
    --------
    >>> round(float(dust_polluted_area("square", 100.0, 10.0)))
    4314
    >>> round(float(dust_polluted_area("circle", 100.0, 10.0)))
    6597
    """
    if shape not in DUMP_SHAPES:
        known = ", ".join(repr(s) for s in DUMP_SHAPES)
        raise ValueError(f"shape must be one of {known}, got {shape!r}")
    positive("base_size", base_size, "m")
    non_negative("zone_width", zone_width, "m")
    X, s = np.asarray(zone_width, dtype=float), np.asarray(base_size, dtype=float)
    if shape == "rectangle":
        if base_length is None:
            raise ValueError("base_length must be given for a rectangular base")
        positive("base_length", base_length, "m")
        B, L = s, np.asarray(base_length, dtype=float)
        S_з: FloatLike = np.pi * X**2 + 2.0 * X * (B + L)
        return S_з
    if base_length is not None:
        raise ValueError(f"base_length applies to a rectangular base only, not to a {shape}")
    if shape == "circle":
        R = s
        S_з = np.pi * (R + X) ** 2 - np.pi * R**2
    else:
        B = s
        S_з = np.pi * X**2 + 4.0 * B * X
    return S_з
