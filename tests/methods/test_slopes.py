import numpy as np
import pytest
from numpy.testing import assert_allclose

from postmine.methods.slopes import slide_prism_width

# 003, section 4.2 prints 1,3 m (one decimal): tolerance half a unit of that decimal.
PRISM_TOL_M = 0.05


def test_slide_prism_abaza():
    width = slide_prism_width(36 + 50 / 60, 37 + 20 / 60, 55.0)
    assert_allclose(width, 1.3, atol=PRISM_TOL_M)


def test_slide_prism_hand_computed():
    # ctg 45° - ctg 60° = 1 - 0.57735 = 0.42265; x 10 m = 4.2265 m
    assert_allclose(slide_prism_width(45.0, 60.0, 10.0), 4.2265, rtol=1e-4)


def test_slide_prism_vectorised_and_zero_when_angles_equal():
    widths = slide_prism_width(np.array([40.0, 40.0]), np.array([40.0, 45.0]), 20.0)
    assert widths.shape == (2,)
    assert_allclose(widths[0], 0.0, atol=1e-12)


@pytest.mark.parametrize(
    ("args", "match"),
    [
        ((0.0, 37.0, 55.0), r"repose_angle must be in \(0, 90\)"),
        ((36.0, 90.0, 55.0), r"stability_angle must be in \(0, 90\)"),
        ((36.0, 37.0, -1.0), r"tier_height must be > 0 m, got -1 m"),
        ((38.0, 37.0, 55.0), r"stability_angle must be >= repose_angle"),
    ],
)
def test_slide_prism_bad_input(args, match):
    with pytest.raises(ValueError, match=match):
        slide_prism_width(*args)
