"""Tests of the inverse-velocity plot (postmine.monitoring.forecast_plot).

The series is the closed-form Voight α = 2 displacement of ``test_forecast.py`` (A = 0.5
d/mm, t_f = 100 d, 6-hourly readings); the plot must be a PNG with a forecast, without one,
and with too few readings after the onset, and refuse a series the forecast refuses.
"""

import numpy as np
import pytest

from postmine.monitoring.forecast import inverse_velocity_forecast
from postmine.monitoring.forecast_plot import plot_inverse_velocity

A_D_PER_MM = 0.5  # Voight's A for α = 2, 1/v = A (t_f - t)  [1/mm]
T_FAILURE_D = 100.0
INTERVAL_D = 0.25  # 6-hourly readings
PNG = b"\x89PNG"


def voight(t):
    """Closed-form α = 2 displacement. [mm]"""
    return -np.log((T_FAILURE_D - t) / T_FAILURE_D) / A_D_PER_MM


def readings():
    return np.arange(0.0, 95.0 + 1e-9, INTERVAL_D)


def test_plot_is_png_with_and_without_forecast():
    t = readings()
    made = inverse_velocity_forecast(t, voight(t))
    png = plot_inverse_velocity(t, voight(t), made, title="prism P-12 ($ safe)")
    assert png.startswith(PNG)
    refused = inverse_velocity_forecast(t, 0.4 * t)
    assert plot_inverse_velocity(t, 0.4 * t, refused).startswith(PNG)
    short = inverse_velocity_forecast(t, voight(t), onset=float(t[-5]))
    assert short.reason.startswith("too few readings")
    assert plot_inverse_velocity(t, voight(t), short).startswith(PNG)


def test_plot_in_metres_is_png():
    t = readings()
    made = inverse_velocity_forecast(t, voight(t) / 1000.0)
    assert plot_inverse_velocity(t, voight(t) / 1000.0, made, unit="m").startswith(PNG)


T = np.arange(0.0, 30.0, 0.25)
D = voight(T)


@pytest.mark.parametrize(
    ("args", "match"),
    [
        ((T, D[:-1]), r"times and displacement must be 1-D arrays of the same length"),
        ((T[::-1], D), r"times must be strictly increasing, got 29.5 d after 29.75 d"),
        ((np.r_[T[:3], T[2], T[4:]], D), r"times must be strictly increasing"),
        ((T, np.r_[D[:-1], np.nan]), r"displacement must be a finite number, got nan mm"),
        ((np.r_[T[:-1], np.inf], D), r"times must be a finite number, got inf d"),
    ],
)
def test_bad_series(args, match):
    fc = inverse_velocity_forecast(T, D)
    with pytest.raises(ValueError, match=match):
        plot_inverse_velocity(*args, fc)
