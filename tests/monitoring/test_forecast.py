"""Tests of the inverse-velocity forecast (postmine.monitoring.forecast).

There is no published worked example with readings, so the checks are analytical: the
closed-form Voight α = 2 series of the anchors note,

    d(t) = d0 - (1/A) ln((t_f - t) / t_f),   v = 1 / (A (t_f - t)),   1/v = A (t_f - t),

with a known failure time, noise-free and with Gaussian reading noise over many seeds.
The scenario is that of the anchors note (section 1.1): A = 0.5 d/mm, t_f = 100 d,
6-hourly readings.
"""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from postmine.monitoring.forecast import (
    FILTERS,
    InverseVelocityForecast,
    acceleration_onset,
    filter_lag,
    inverse_velocity_forecast,
    minimum_readings,
    smoothed_velocity,
)

A_D_PER_MM = 0.5  # Voight's A for α = 2, 1/v = A (t_f - t)  [d/mm per d = 1/mm]
T_FAILURE_D = 100.0
INTERVAL_D = 0.25  # 6-hourly readings
T_NOW_D = 95.0  # the forecast is made 5 days before failure
LEAD_D = T_FAILURE_D - T_NOW_D
EXACT_TOL_D = 1e-6  # noise-free series: the model fit is exact up to rounding
N_SEEDS = 100


def voight(t, t_failure=T_FAILURE_D, a=A_D_PER_MM, d0=0.0):
    """Closed-form α = 2 displacement (anchors note, section 1.1). [mm]"""
    return d0 - np.log((t_failure - t) / t_failure) / a


def readings(t_end=T_NOW_D, t_start=0.0):
    return np.arange(t_start, t_end + 1e-9, INTERVAL_D)


def daily_displacement_at(t):
    """Displacement per day at time t: the velocity 1/(A (t_f - t)). [mm/d]"""
    return 1.0 / (A_D_PER_MM * (T_FAILURE_D - t))


def creep_then_voight(t, v0=0.1, t_onset=60.0):
    """Steady creep at v0 until t_onset, then α = 2 acceleration continuous in velocity."""
    a = 1.0 / (v0 * (T_FAILURE_D - t_onset))
    return np.where(
        t < t_onset,
        v0 * t,
        v0 * t_onset - np.log((T_FAILURE_D - t) / (T_FAILURE_D - t_onset)) / a,
    )


# --- smoothing and lag ------------------------------------------------------------------


@pytest.mark.parametrize("filter", FILTERS)
@pytest.mark.parametrize("window", [1, 2, 8, 24])
def test_filter_lag_is_half_the_window(filter, window):
    # (N - 1)/2 samples for the SMA; (1 - α)/α with α = 2/(N + 1) for the EMA: the same.
    alpha = 2.0 / (window + 1.0)
    expected = (1.0 - alpha) / alpha * INTERVAL_D
    assert_allclose(filter_lag(filter, window, INTERVAL_D), (window - 1) / 2 * INTERVAL_D)
    assert_allclose(filter_lag(filter, window, INTERVAL_D), expected, rtol=1e-12)


@pytest.mark.parametrize("filter", FILTERS)
@pytest.mark.parametrize("window", [1, 8, 24])
def test_reported_lag_equals_the_analytical_lag(filter, window):
    t = readings()
    sv = smoothed_velocity(t, voight(t), filter=filter, window=window)
    assert_allclose(sv.lag, filter_lag(filter, window, INTERVAL_D), rtol=1e-9)
    fc = inverse_velocity_forecast(t, voight(t), filter=filter, window=window)
    assert_allclose(fc.lag, filter_lag(filter, window, INTERVAL_D), rtol=1e-9)


def test_sma_lags_are_exact_on_every_sample():
    t = readings()
    sv = smoothed_velocity(t, voight(t), filter="sma", window=8)
    assert_allclose(sv.lags, 3.5 * INTERVAL_D, rtol=1e-12)
    # stamps: midpoint of the newest interval of each window of 8 intervals
    assert_allclose(sv.times[0], 7.5 * INTERVAL_D)
    assert_allclose(sv.available_times - sv.times, INTERVAL_D / 2)


def test_sma_of_interval_velocities_is_the_secant_velocity():
    # On a regular series the mean of N interval velocities telescopes to
    # (d[k + N] - d[k]) / (N Δt): an independent formula for the same number.
    t = readings()
    d = voight(t)
    n = 8
    sv = smoothed_velocity(t, d, filter="sma", window=n)
    secant = (d[n:] - d[:-n]) / (n * INTERVAL_D)
    assert_allclose(sv.velocity, secant, rtol=1e-12)


def test_smoothed_velocity_hand_computed_irregular_series():
    # readings at t = 0, 1, 3, 4 d with d = 0, 2, 4, 7 mm:
    # interval velocities 2/1 = 2, 2/2 = 1, 3/1 = 3 mm/d at midpoints 0.5, 2, 3.5 d.
    t = [0.0, 1.0, 3.0, 4.0]
    d = [0.0, 2.0, 4.0, 7.0]
    sma = smoothed_velocity(t, d, filter="sma", window=2)
    # SMA 2: (2 + 1)/2 = 1.5 at stamp 2; (1 + 3)/2 = 2 at stamp 3.5
    assert_allclose(sma.velocity, [1.5, 2.0])
    assert_allclose(sma.times, [2.0, 3.5])
    # lag = stamp - mean of the window's midpoints: 2 - 1.25 = 0.75; 3.5 - 2.75 = 0.75
    assert_allclose(sma.lags, [0.75, 0.75])
    assert_allclose(sma.available_times, [3.0, 4.0])
    # EMA span 3: α = 0.5, β = 0.5, bias-adjusted weights 1, β, β² over the samples seen.
    ema = smoothed_velocity(t, d, filter="ema", window=3)
    # (3 + 0.5·1 + 0.25·2) / (1 + 0.5 + 0.25) = 4 / 1.75
    assert_allclose(ema.velocity, [4.0 / 1.75])
    # lag: 3.5 - (3.5 + 0.5·2 + 0.25·0.5)/1.75 = 3.5 - 4.625/1.75
    assert_allclose(ema.lag, 3.5 - 4.625 / 1.75)


# --- noise-free series --------------------------------------------------------------------


@pytest.mark.parametrize("filter", FILTERS)
@pytest.mark.parametrize("window", [1, 8, 24])
def test_model_fit_recovers_the_failure_time_exactly(filter, window):
    t = readings()
    fc = inverse_velocity_forecast(t, voight(t, d0=3.0), filter=filter, window=window)
    assert fc.has_forecast, fc.reason
    assert_allclose(fc.t_failure, T_FAILURE_D, atol=EXACT_TOL_D)
    assert fc.t_low - EXACT_TOL_D <= T_FAILURE_D <= fc.t_high + EXACT_TOL_D
    assert fc.t_low <= fc.t_failure <= fc.t_high
    assert_allclose(fc.slope, -A_D_PER_MM, rtol=1e-6)
    assert_allclose(fc.r2, 1.0, atol=1e-9)


def test_forecast_does_not_depend_on_time_origin_or_units():
    t = readings()
    d = voight(t)
    shifted = inverse_velocity_forecast(20_000.0 + t, d + 5.0)  # days since the Unix epoch
    assert_allclose(shifted.t_failure - 20_000.0, T_FAILURE_D, atol=1e-6)
    hours_metres = inverse_velocity_forecast(24.0 * t, d / 1000.0)
    assert_allclose(hours_metres.t_failure / 24.0, T_FAILURE_D, atol=1e-6)
    assert_allclose(hours_metres.lag, 24.0 * filter_lag("sma", 8, INTERVAL_D))


@pytest.mark.parametrize("window", [8, 24])
def test_trailing_fit_is_late_by_about_half_the_window(window):
    # Real-time practice: 1/v of the smoothed velocity at the reading that completes it.
    # That reading is N Δt / 2 after the time the value represents, so the line and t_f
    # shift late by up to N Δt / 2 (a little less: the secant averages a convex curve).
    t = readings(98.0)
    fc = inverse_velocity_forecast(t, voight(t), window=window, fit="trailing", onset=78.0)
    delay = window * INTERVAL_D / 2
    assert 0.6 * delay < fc.t_failure - T_FAILURE_D < delay


def test_onset_of_creep_then_acceleration_noise_free():
    t = readings()
    assert_allclose(acceleration_onset(t, creep_then_voight(t)), 60.0, atol=INTERVAL_D)


def test_steady_creep_and_deceleration_give_no_forecast_noise_free():
    t = readings()
    creep = inverse_velocity_forecast(t, 0.4 * t)
    assert not creep.has_forecast
    assert creep.reason.startswith("no acceleration")
    assert creep.t_failure is None and creep.t_low is None and creep.t_high is None
    decel = inverse_velocity_forecast(t, 20.0 * np.log1p(t / 20.0))  # 1/v = 1 + t/20
    assert not decel.has_forecast
    assert "decelerating" in decel.reason
    assert decel.slope > 0


def test_no_movement_gives_no_forecast():
    t = readings()
    for d in (np.zeros_like(t), -0.4 * t):  # still, or moving against the stated direction
        fc = inverse_velocity_forecast(t, d)
        assert not fc.has_forecast
        assert fc.reason.startswith("no movement")


# --- noisy series, many seeds ---------------------------------------------------------


def monte_carlo(make_displacement, t, sigma, seeds=N_SEEDS, **kwargs):
    """Forecasts of ``seeds`` noisy realisations; returns (forecasts, refusals)."""
    made, refused = [], []
    clean = make_displacement(t)
    for seed in range(seeds):
        rng = np.random.default_rng(seed)
        fc = inverse_velocity_forecast(t, clean + rng.normal(0.0, sigma, t.size), **kwargs)
        (made if fc.has_forecast else refused).append(fc)
    return made, refused


# σ of a reading as a share of the displacement per day at the time of the forecast
# (0.4 mm/d at 5 days before failure): 10 % is a good prism or radar pixel, 25 % a noisy one.
COVERAGE_CASES = [
    # share, filter, window, least share of realisations forecast, widest median interval [d]
    (0.10, "sma", 8, 0.95, 0.5 * LEAD_D),
    (0.25, "sma", 8, 0.95, 1.0 * LEAD_D),
    (0.10, "ema", 8, 0.95, 0.5 * LEAD_D),
    (0.25, "sma", 24, 0.95, 1.0 * LEAD_D),
]


@pytest.mark.slow
@pytest.mark.parametrize(("share", "filter", "window", "min_made", "max_width"), COVERAGE_CASES)
def test_interval_contains_true_failure_time(share, filter, window, min_made, max_width):
    t = readings()
    sigma = share * daily_displacement_at(T_NOW_D)
    made, refused = monte_carlo(voight, t, sigma, filter=filter, window=window)
    covered = [fc.t_low <= T_FAILURE_D <= fc.t_high for fc in made]
    widths = [fc.t_high - fc.t_low for fc in made]
    # Measured (seeds 0-99, 95 % intervals): all 100 forecast in every case; coverage 1.00
    # (10 %, SMA 8), 0.99 (25 %, SMA 8), 1.00 (10 %, EMA 8), 0.92 (25 %, SMA 24); median
    # widths 1.17 d, 2.93 d, 1.14 d, 1.40 d against a lead time of 5 d.
    assert len(made) >= min_made * N_SEEDS, {fc.reason for fc in refused}
    assert np.mean(covered) >= 0.90
    assert np.median(widths) < max_width
    assert all(fc.lag == pytest.approx(filter_lag(filter, window, INTERVAL_D)) for fc in made)


@pytest.mark.slow
def test_creep_then_acceleration_onset_and_coverage():
    t = readings()
    # after the onset 1/v = A (t_f - t) with A = 1/(0.1 mm/d · 40 d) = 0.25 d/mm per d,
    # so at 95 d the slope moves 1/(0.25 · 5) = 0.8 mm/d; σ = 10 % of that
    sigma = 0.10 * 0.8
    made, refused = monte_carlo(creep_then_voight, t, sigma, seeds=40)
    assert len(made) == 40, {fc.reason for fc in refused}
    onsets = np.array([fc.onset for fc in made])
    assert abs(np.median(onsets) - 60.0) < 5.0
    assert np.mean([fc.t_low <= T_FAILURE_D <= fc.t_high for fc in made]) >= 0.90


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("steady creep 0.4 mm/d", lambda t: 0.4 * t),
        ("decelerating, 1/v = 1 + t/20", lambda t: 20.0 * np.log1p(t / 20.0)),
    ],
)
def test_no_acceleration_gives_no_forecast_for_any_seed(name, make):
    t = readings()
    made, refused = monte_carlo(make, t, 0.1 * 0.4, seeds=40)
    assert made == [], f"{name}: forecast {[fc.t_failure for fc in made]}"
    assert all(fc.reason for fc in refused)


def test_onset_after_a_regressive_episode():
    # A regressive episode (the slope speeds up then slows down again, Rose & Hungr 2007)
    # before steady creep and the final acceleration: the fit must not start before the
    # episode's peak, where 1/v would be rising.
    t = readings()
    v = np.where(t < 60.0, 0.1, 1.0 / (0.25 * (T_FAILURE_D - t)))
    v = v + 1.0 * np.exp(-0.5 * ((t - 35.0) / 3.0) ** 2)
    d = np.concatenate([[0.0], np.cumsum(0.5 * (v[1:] + v[:-1]) * np.diff(t))])
    rng = np.random.default_rng(0)
    onset = acceleration_onset(t, d + rng.normal(0.0, 0.02, t.size))
    assert onset > 35.0


# --- the anchors table: trailing filters bias late -----------------------------------

# Anchors note, section 1.1, "[reproduced] synthetic check" (scripts_B/iv_demo.py; α = 2,
# A = 0.5, t_f = 100 d, 6-hourly, fit over the last 20 d, 50 realisations): median t_f of
# the classic (trailing) fit. Here the data end at 98 d and the fit starts at 78 d.
ANCHORS_TABLE = [
    # noise σ [mm], SMA window [samples], median t_f printed [d]
    (0.05, 8, 100.3),
    (0.05, 24, 102.2),
    (0.2, 8, 99.4),
    (0.2, 24, 100.9),
]
ANCHORS_TOL_D = 1.5  # the note does not give the end of its fit window: qualitative only


def median_forecast(sigma, window, fit, seeds=60):
    t = readings(98.0)
    made, _ = monte_carlo(
        voight, t, sigma, seeds=seeds, window=window, fit=fit, onset=78.0, min_r2=0.0
    )
    return float(np.median([fc.t_failure for fc in made]))


@pytest.mark.parametrize(("sigma", "window", "printed"), ANCHORS_TABLE)
def test_anchors_table_trailing_medians(sigma, window, printed):
    assert_allclose(median_forecast(sigma, window, "trailing"), printed, atol=ANCHORS_TOL_D)


@pytest.mark.parametrize("sigma", [0.05, 0.2])
def test_trailing_filters_bias_late_and_the_model_fit_does_not(sigma):
    trailing_8 = median_forecast(sigma, 8, "trailing")
    trailing_24 = median_forecast(sigma, 24, "trailing")
    assert trailing_24 > T_FAILURE_D + 0.5  # late (non-conservative)
    assert trailing_24 > trailing_8  # the wider the trailing window, the later
    for window in (8, 24):
        assert_allclose(median_forecast(sigma, window, "model"), T_FAILURE_D, atol=0.5)


# --- result object and plot -----------------------------------------------------------------


def test_forecast_fields_and_line():
    t = readings()
    fc = inverse_velocity_forecast(t, voight(t), confidence=0.9)
    assert isinstance(fc, InverseVelocityForecast)
    assert (fc.filter, fc.window, fc.fit, fc.confidence) == ("sma", 8, "model", 0.9)
    assert fc.n_points == fc.velocity.velocity.size
    assert fc.onset == pytest.approx(t[0]) or fc.onset > t[0]
    # the line 1/v = slope (t - t_f) is A (t_f - t): 1/v at t = 90 d is 0.5 · 10 = 5 d/mm
    assert_allclose(fc.inverse_velocity_line([90.0]), [5.0], rtol=1e-6)


# --- errors ----------------------------------------------------------------------------


def test_line_of_a_refused_forecast_raises():
    t = readings()
    refused = inverse_velocity_forecast(t, 0.4 * t)
    with pytest.raises(ValueError, match="there is no fitted line: no acceleration"):
        refused.inverse_velocity_line([1.0])


T = np.arange(0.0, 30.0, 0.25)
D = voight(T)

BAD_SERIES = [
    ((T, D[:-1]), r"times and displacement must be 1-D arrays of the same length"),
    ((T[::-1], D), r"times must be strictly increasing, got 29.5 d after 29.75 d"),
    ((np.r_[T[:3], T[2], T[4:]], D), r"times must be strictly increasing"),
    ((T, np.r_[D[:-1], np.nan]), r"displacement must be a finite number, got nan mm"),
    ((np.r_[T[:-1], np.inf], D), r"times must be a finite number, got inf d"),
    ((T[:5], D[:5]), r"at least"),
]


@pytest.mark.parametrize(("args", "match"), BAD_SERIES)
def test_bad_series(args, match):
    with pytest.raises(ValueError, match=match):
        inverse_velocity_forecast(*args)
    with pytest.raises(ValueError, match=match):
        acceleration_onset(*args)


@pytest.mark.parametrize(("args", "match"), BAD_SERIES[:-1])
def test_bad_series_smoothing(args, match):
    with pytest.raises(ValueError, match=match):
        smoothed_velocity(*args)


@pytest.mark.parametrize(("window", "min_points"), [(1, 3), (8, 12), (24, 12)])
def test_minimum_readings_is_the_fewest_the_forecast_accepts(window, min_points):
    needed = minimum_readings(window, min_points)
    assert needed == window + min_points
    t = readings()[:needed]
    inverse_velocity_forecast(t, voight(t), window=window, min_points=min_points)
    with pytest.raises(ValueError, match=f"at least window \\+ min_points = {needed} readings"):
        inverse_velocity_forecast(t[:-1], voight(t[:-1]), window=window, min_points=min_points)


def test_too_short_for_the_window():
    with pytest.raises(ValueError, match=r"at least window \+ 1 = 9 readings, got 8"):
        smoothed_velocity(T[:8], D[:8], window=8)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"filter": "median"}, r"filter must be one of \('sma', 'ema'\), got 'median'"),
        ({"window": 0}, r"window must be >= 1 samples, got 0 samples"),
        ({"window": 2.5}, r"window must be an integer number of samples, got 2.5"),
        ({"window": True}, r"window must be an integer number of samples, got True"),
    ],
)
def test_bad_filter(kwargs, match):
    with pytest.raises(ValueError, match=match):
        smoothed_velocity(T, D, **kwargs)
    with pytest.raises(ValueError, match=match):
        inverse_velocity_forecast(T, D, **kwargs)
    with pytest.raises(ValueError, match=match):
        acceleration_onset(T, D, **kwargs)
    with pytest.raises(ValueError, match=match):
        filter_lag(kwargs.get("filter", "sma"), kwargs.get("window", 8), 0.25)


def test_bad_interval():
    with pytest.raises(ValueError, match=r"interval must be > 0 d, got 0 d"):
        filter_lag("sma", 8, 0.0)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"fit": "ols"}, r"fit must be one of \('model', 'trailing'\), got 'ols'"),
        ({"confidence": 1.0}, r"confidence must be in \(0, 1\), got 1"),
        ({"confidence": 0.0}, r"confidence must be in \(0, 1\), got 0"),
        ({"min_r2": 1.0}, r"min_r2 must be in \[0, 1\), got 1"),
        ({"min_r2": -0.1}, r"min_r2 must be in \[0, 1\), got -0.1"),
        ({"min_points": 2}, r"min_points must be >= 3, got 2"),
        ({"min_points": 3.5}, r"min_points must be an integer, got 3.5"),
        ({"max_candidates": 1}, r"max_candidates must be >= 2, got 1"),
        ({"onset": -1.0}, r"onset must be in \[0, 29.75\] d, got -1 d"),
        ({"onset": 40.0}, r"onset must be in \[0, 29.75\] d, got 40 d"),
    ],
)
def test_bad_forecast_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        inverse_velocity_forecast(T, D, **kwargs)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"min_points": 2}, r"min_points must be >= 3, got 2"),
        ({"max_candidates": 0}, r"max_candidates must be >= 2, got 0"),
    ],
)
def test_bad_onset_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        acceleration_onset(T, D, **kwargs)
