"""Units on ingestion: conversion factors checked against their definitions, and refusals.

The expected factors are written from the units' definitions, not from pint:
1 bar = 10⁵ Pa (exact, by definition); 1 psi = 1 lbf/in² = 4.4482216152605 N /
(0.0254 m)² = 6894.757293168361 Pa (NIST SP 811, B.8); 1 mmH2O (conventional) =
1000 kg/m³ · 9.80665 m/s² · 0.001 m = 9.80665 Pa; 1 m³/h = 1000 L / 3600 s; 1 mS/m =
10⁻³ S / 100 cm = 10 µS/cm; °C = (°F - 32) · 5/9 and °C = K - 273.15.
"""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from postmine.monitoring.units import (
    QUANTITIES,
    UnitError,
    canonical_unit,
    check_unit,
    convert,
    converter,
)

RTOL = 1e-12  # exact definitions; float64 rounding only
PSI_KPA = 4.4482216152605 / 0.0254**2 / 1000.0  # 6.894757293168361 kPa


@pytest.mark.parametrize(
    ("value", "source", "target", "expected"),
    [
        (1.0, "bar", "kPa", 100.0),
        (2.5, "psi", "kPa", 2.5 * PSI_KPA),
        (1000.0, "mmH2O", "kPa", 9.80665),
        (1000.0, "mm H2O", "kPa", 9.80665),  # alias of logger output
        (3.6, "m3/h", "L/s", 1.0),  # bare-digit exponent read as a power
        (3.6, "m³/h", "L/s", 1.0),
        (1.0, "mS/m", "µS/cm", 10.0),
        (1.0, "uS/cm", "µS/cm", 1.0),
        (2500.0, "µg/L", "mg/L", 2.5),
        (0.25, "g/m3", "mg/L", 0.25),  # 1 g/m³ = 1 mg/L
        (0.05, "mg/m³", "µg/m³", 50.0),
        (212.0, "degF", "degC", 100.0),
        (32.0, "Deg F", "degC", 0.0),
        (273.15, "K", "degC", 0.0),
        (12.0, "Deg C", "degC", 12.0),  # Campbell Scientific spelling
        (2.0, "cm", "mm", 20.0),
        (1.0, "m/day", "mm/day", 1000.0),
        (7.2, "pH", "pH", 7.2),
    ],
)
def test_conversion_factors(value, source, target, expected):
    assert_allclose(convert(value, source, target), expected, rtol=RTOL, atol=1e-12)


def test_converter_is_vectorised_and_affine():
    to_c = converter("degF", "degC")
    assert_allclose(to_c(np.array([32.0, 122.0, 212.0])), [0.0, 50.0, 100.0], rtol=RTOL, atol=1e-12)
    assert to_c(50.0).shape == ()
    assert converter("kPa", "kPa")([1.5])[0] == 1.5  # identity keeps the value exactly


@pytest.mark.parametrize(
    ("source", "target", "message"),
    [
        ("mm", "kPa", r"cannot convert mm to kPa: mm is \[length\]"),
        ("%", "pH", r"cannot convert % to pH: % is dimensionless, pH is \[acidity\]"),
        ("deg C", "mm", "cannot convert deg C to mm"),
        ("kPaa", "kPa", "unknown unit 'kPaa'"),
        ("", "kPa", "unit must be non-empty text"),
        ("kPa", "NTU", r"NTU is \[turbidity\]"),
    ],
)
def test_unknown_and_incompatible_units_are_refused(source, target, message):
    with pytest.raises(UnitError, match=message):
        converter(source, target)


def test_ph_is_not_a_picohenry():
    # pint alone reads "pH" as picohenry; here it is the pH unit with a dimension of its own
    with pytest.raises(UnitError, match="cannot convert pH to H"):
        converter("pH", "H")


def test_every_canonical_unit_is_readable():
    for name, quantity in QUANTITIES.items():
        assert check_unit(quantity.unit) == quantity.unit, name
        assert canonical_unit(name) == quantity.unit


def test_unknown_quantity():
    with pytest.raises(ValueError, match="quantity must be one of pore_pressure, water_level"):
        canonical_unit("pressure")
