import numpy as np
import pytest

from postmine.core.checks import angle, at_least, fraction, in_range, non_negative, positive


def test_positive_message_names_field_value_and_range():
    with pytest.raises(ValueError, match=r"bulk_density must be > 0 t/m³, got -2.1 t/m³"):
        positive("bulk_density", -2.1, "t/m³")


def test_array_reports_first_bad_element():
    with pytest.raises(ValueError, match=r"got -1"):
        non_negative("mass", np.array([1.0, -1.0, -3.0]), "t")


def test_nan_is_rejected():
    with pytest.raises(ValueError, match="volume"):
        positive("volume", float("nan"), "m³")


def test_angle_open_interval():
    assert angle("slope_angle", 45.0) == 45.0
    for bad in (0.0, 90.0, -5.0, 120.0):
        with pytest.raises(ValueError, match=r"slope_angle must be in \(0, 90\) °"):
            angle("slope_angle", bad)


def test_fraction_and_bounds():
    assert fraction("loss", 0.0) == 0.0
    with pytest.raises(ValueError, match=r"loss must be in \[0, 1\)"):
        fraction("loss", 1.0)
    assert fraction("share", 1.0, allow_one=True) == 1.0
    with pytest.raises(ValueError, match=r"k must be >= 1"):
        at_least("k", 0.9, 1.0)
    with pytest.raises(ValueError, match="must be a number"):
        in_range("x", "abc")


def test_unbounded_range_rejects_infinity():
    with pytest.raises(ValueError, match="x must be a finite number, got inf"):
        in_range("x", float("inf"))
