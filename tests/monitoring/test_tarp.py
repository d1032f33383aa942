"""TARP components: value, rate and acceleration triggers, hysteresis, escalation, durations.

Every rule type has a test that raises it and one that must not (a near miss just under the
threshold, hysteresis holding a level a naive threshold would clear). Rates and
accelerations are checked against analytical series (a line, a parabola) and against
numpy.polyfit on each window, never against numbers produced by the same code.
"""

import json
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from numpy.testing import assert_allclose

from postmine.monitoring.alerts import AlertBook, Level
from postmine.monitoring.components import Batch
from postmine.monitoring.tarp import (
    AccelerationTrigger,
    RateTrigger,
    ValueTrigger,
    format_duration,
    parse_duration,
    window_slopes,
)

T0 = np.datetime64("2025-05-01T00:00", "us")
RATE_TOL = 1e-9  # mm/d: a least-squares slope of an exact line is exact up to rounding
ACC_TOL = 1e-7  # mm/d²: difference of two exact slopes of a parabola, rounding only
SPLIT_TOL = 1e-8  # mm/d: one batch vs many differ by the rounding of the prefix sums only


def minutes(*values: float) -> np.ndarray:
    return T0 + (np.asarray(values, dtype=float) * 60e6).astype("timedelta64[us]")


def every(n: int, step_min: float) -> np.ndarray:
    return minutes(*(np.arange(n) * step_min))


def actions(events):
    return [(e.action, e.level.label) for e in events]


def value_rule(**kw):
    params = {
        "channel_unit": "kPa",
        "unit": "kPa",
        "thresholds": {"alert": 180.0, "alarm": 200.0, "emergency": 220.0},
    }
    params.update(kw)
    return ValueTrigger("PZ-03 pressure", "PZ-03", **params)


# -- value -----------------------------------------------------------------------------------
def test_value_near_miss_raises_nothing():
    rule = value_rule()
    events = rule.update(Batch.from_readings("PZ-03", every(4, 15), [170.0, 179.9, 179.99, 175]))
    assert events == []
    assert rule.level == Level.NORMAL


def test_value_at_threshold_raises_alert():
    rule = value_rule()
    events = rule.update(Batch.from_readings("PZ-03", every(3, 15), [170.0, 180.0, 181.0]))
    assert actions(events) == [("raise", "alert")]
    assert events[0].at == datetime(2025, 5, 1, 0, 15, tzinfo=UTC)
    assert events[0].value == pytest.approx(180.0)
    assert events[0].unit == "kPa"
    assert "alert threshold 180 kPa" in events[0].message


def test_value_jumps_straight_to_the_highest_level_reached():
    rule = value_rule()
    events = rule.update(Batch.from_readings("PZ-03", every(2, 15), [170.0, 225.0]))
    assert actions(events) == [("raise", "emergency")]
    assert rule.last_outputs["level"].tolist() == [0, 3]


def test_value_levels_not_given_are_skipped():
    rule = value_rule(thresholds={"alert": 180.0, "emergency": 220.0})
    events = rule.update(Batch.from_readings("PZ-03", every(3, 15), [181.0, 210.0, 221.0]))
    assert actions(events) == [("raise", "alert"), ("raise", "emergency")]


def test_falling_direction_raises_on_low_ph_and_not_just_above():
    rule = ValueTrigger(
        "PH-01 acidity",
        "PH-01",
        channel_unit="pH",
        unit="pH",
        direction="falling",
        thresholds={"alert": 6.0, "alarm": 5.0, "emergency": 4.0},
    )
    assert rule.update(Batch.from_readings("PH-01", every(2, 60), [6.5, 6.01])) == []
    events = rule.update(Batch.from_readings("PH-01", every(2, 60) + 7_200_000_000, [6.0, 4.9]))
    assert actions(events) == [("raise", "alert"), ("raise", "alarm")]
    assert "<= alarm threshold 5 pH" in events[1].message


def test_both_directions_use_the_magnitude():
    rule = ValueTrigger(
        "tilt",
        "TM-1",
        channel_unit="deg",
        unit="deg",
        direction="both",
        thresholds={"alert": 0.5, "alarm": 1.0},
    )
    events = rule.update(Batch.from_readings("TM-1", every(4, 10), [0.1, -0.49, -0.6, 1.2]))
    assert actions(events) == [("raise", "alert"), ("raise", "alarm")]
    assert events[0].message.startswith("|value| 0.6 deg >= alert threshold 0.5 deg")
    assert events[0].value == pytest.approx(-0.6)  # the measure itself, with its sign


def test_value_rule_converts_thresholds_given_in_another_unit():
    rule = ValueTrigger(
        "PZ-03 bar",
        "PZ-03",
        channel_unit="kPa",
        unit="bar",
        thresholds={"alert": 1.8},
    )
    events = rule.update(Batch.from_readings("PZ-03", every(3, 15), [179.0, 179.9, 180.1]))
    assert actions(events) == [("raise", "alert")]
    assert events[0].value == pytest.approx(1.801)  # reported in the rule's unit, bar
    assert events[0].unit == "bar"


# -- hysteresis ------------------------------------------------------------------------------
def test_deadband_holds_an_alert_that_a_naive_threshold_would_clear():
    # alert at 180 kPa, deadband 5 kPa: 176 is below the threshold but not below 175
    rule = value_rule(deadband=5.0)
    values = [181.0, 179.0, 176.0, 175.5, 178.0]
    events = rule.update(Batch.from_readings("PZ-03", every(5, 15), values))
    assert actions(events) == [("raise", "alert")]
    assert rule.level == Level.ALERT
    naive = value_rule()  # the same rule with no deadband clears at once
    assert actions(naive.update(Batch.from_readings("PZ-03", every(5, 15), values))) == [
        ("raise", "alert"),
        ("clear", "normal"),
    ]


def test_hold_time_keeps_the_level_until_it_has_elapsed():
    # released below 175 kPa only after 2 h below it, reading after reading
    rule = value_rule(deadband=5.0, hold_s=7200.0)
    ts = minutes(0, 15, 75, 134, 135, 150)
    values = [181.0, 174.0, 170.0, 171.0, 172.0, 172.0]
    events = rule.update(Batch.from_readings("PZ-03", ts, values))
    # below since 00:15; at 02:14 (119 min) still held, at 02:15 (120 min) cleared
    assert actions(events) == [("raise", "alert"), ("clear", "normal")]
    assert events[1].at == datetime(2025, 5, 1, 2, 15, tzinfo=UTC)
    assert rule.last_outputs["level"].tolist() == [1, 1, 1, 1, 0, 0]


def test_a_reading_back_above_the_release_restarts_the_hold():
    rule = value_rule(deadband=5.0, hold_s=3600.0)
    ts = minutes(0, 10, 40, 50, 80, 111)
    values = [181.0, 170.0, 170.0, 176.0, 170.0, 170.0]
    events = rule.update(Batch.from_readings("PZ-03", ts, values))
    # the hold started at 00:10, broke at 00:50 (176 >= 175), restarted at 01:20: at 01:51
    # only 31 min have passed, so the alert holds
    assert actions(events) == [("raise", "alert")]
    events = rule.update(Batch.from_readings("PZ-03", minutes(140), [170.0]))
    assert actions(events) == [("clear", "normal")]  # 60 min after 01:20


def test_each_level_releases_after_its_own_hold():
    # alarm released (below 195 since 00:30, 60 min at 01:30); alert's own hold below 175
    # began only at 01:00, so at 01:30 the rule drops to alert, and clears at 02:00
    rule = value_rule(deadband=5.0, hold_s=3600.0)
    ts = minutes(0, 30, 60, 90, 120)
    events = rule.update(Batch.from_readings("PZ-03", ts, [205.0, 190.0, 170.0, 170.0, 170.0]))
    assert actions(events) == [("raise", "alarm"), ("lower", "alert"), ("clear", "normal")]
    assert [e.at.strftime("%H:%M") for e in events] == ["00:00", "01:30", "02:00"]


def test_hold_state_carries_across_batches_and_through_get_set_state():
    values = [181.0, 174.0, 170.0, 171.0, 172.0, 172.0]
    ts = minutes(0, 15, 75, 134, 135, 150)
    whole = value_rule(deadband=5.0, hold_s=7200.0)
    expected = actions(whole.update(Batch.from_readings("PZ-03", ts, values)))
    first = value_rule(deadband=5.0, hold_s=7200.0)
    got = first.update(Batch.from_readings("PZ-03", ts[:3], values[:3]))
    second = value_rule(deadband=5.0, hold_s=7200.0)
    second.set_state(json.loads(json.dumps(first.get_state())))
    got += second.update(Batch.from_readings("PZ-03", ts[3:], values[3:]))
    assert actions(got) == expected


def test_set_state_rejects_another_rule():
    rule = value_rule()
    state = rule.get_state() | {"name": "other"}
    with pytest.raises(ValueError, match="state is of name 'other'"):
        rule.set_state(state)


# -- rate --------------------------------------------------------------------------------------
def rate_rule(**kw):
    params = {
        "channel_unit": "mm",
        "unit": "mm/d",
        "thresholds": {"alert": 5.0, "alarm": 20.0},
        "window_s": 6 * 3600.0,
    }
    params.update(kw)
    return RateTrigger("PR-07 velocity", "PR-07", **params)


@pytest.mark.parametrize(("velocity", "expected"), [(4.9, []), (5.1, [("raise", "alert")])])
def test_rate_near_miss_and_raise(velocity, expected):
    # displacement d = v t with v in mm/d, 10-minute readings over 2 days
    ts = every(289, 10)
    t_d = np.arange(289) * 10 / 1440
    rule = rate_rule()
    events = rule.update(Batch.from_readings("PR-07", ts, 100.0 + velocity * t_d))
    assert actions(events) == expected
    defined = np.isfinite(rule.last_outputs["measure"])
    assert_allclose(rule.last_outputs["measure"][defined], velocity, atol=RATE_TOL)


def test_rate_is_undefined_until_one_window_was_watched():
    rule = rate_rule()
    ts = every(40, 10)
    rule.update(Batch.from_readings("PR-07", ts, 30.0 * np.arange(40) * 10 / 1440))
    measure = rule.last_outputs["measure"]
    assert np.isnan(measure[:36]).all()  # before 06:00
    assert np.isfinite(measure[36:]).all()
    assert_allclose(measure[36:], 30.0, atol=RATE_TOL)
    assert rule.level == Level.ALARM  # 30 mm/d >= 20 mm/d


def test_rate_matches_polyfit_on_irregular_readings():
    rng = np.random.default_rng(7)
    offsets = np.sort(rng.uniform(0, 3 * 1440, 400))  # minutes over 3 days, irregular
    ts = minutes(*offsets)
    values = 50.0 + 0.002 * offsets + rng.normal(0, 0.3, offsets.size)
    rule = rate_rule(thresholds={"alert": 1e6})
    rule.update(Batch.from_readings("PR-07", ts, values))
    t_us = ts.view(np.int64)
    window = 6 * 3600 * 1_000_000
    for i in (150, 220, 399):
        sel = (t_us >= t_us[i] - window) & (t_us <= t_us[i])
        slope_per_min = np.polyfit(offsets[sel], values[sel], 1)[0]
        assert_allclose(rule.last_outputs["measure"][i], slope_per_min * 1440, rtol=1e-9)


def test_rate_in_another_unit_converts():
    # the channel is in metres, the thresholds in mm/d
    ts = every(200, 10)
    rule = rate_rule(channel_unit="m")
    rule.update(Batch.from_readings("PR-07", ts, 0.006 * np.arange(200) * 10 / 1440))
    assert_allclose(rule.last_outputs["measure"][-1], 6.0, atol=RATE_TOL)
    assert rule.level == Level.ALERT


def test_rate_same_in_one_batch_or_many():
    rng = np.random.default_rng(3)
    n = 2000
    ts = every(n, 5)
    values = np.cumsum(rng.normal(0.02, 0.2, n))
    whole = rate_rule(thresholds={"alert": 3.0, "alarm": 6.0}, deadband=0.5, hold_s=1800)
    expected = whole.update(Batch.from_readings("PR-07", ts, values))
    measure = whole.last_outputs["measure"]
    parts = rate_rule(thresholds={"alert": 3.0, "alarm": 6.0}, deadband=0.5, hold_s=1800)
    got, pieces = [], []
    for a in range(0, n, 137):
        got += parts.update(Batch.from_readings("PR-07", ts[a : a + 137], values[a : a + 137]))
        pieces.append(parts.last_outputs["measure"])
    assert len(expected) > 2
    assert [(e.action, e.level, e.at) for e in got] == [(e.action, e.level, e.at) for e in expected]
    # the prefix sums start at another reading in each batch: equal up to rounding
    assert_allclose(np.concatenate(pieces), measure, atol=SPLIT_TOL, equal_nan=True)


def test_rate_needs_min_points_in_the_window():
    rule = rate_rule(min_points=5)
    ts = minutes(0, 360, 420, 480, 540)  # at 09:00 the window 03:00-09:00 holds 4 readings
    rule.update(Batch.from_readings("PR-07", ts, [0.0, 10.0, 20.0, 30.0, 40.0]))
    assert np.isnan(rule.last_outputs["measure"]).all()
    assert rule.level == Level.NORMAL


def test_window_slopes_against_polyfit():
    rng = np.random.default_rng(11)
    t = np.sort(rng.uniform(0, 1e5, 300))
    y = rng.normal(size=300)
    lo, hi = np.array([0, 10, 200]), np.array([50, 10, 299])
    got = window_slopes(t, y, lo, hi, min_points=2)
    assert_allclose(got[0], np.polyfit(t[:51], y[:51], 1)[0], rtol=1e-9)
    assert np.isnan(got[1])  # one reading
    assert_allclose(got[2], np.polyfit(t[200:], y[200:], 1)[0], rtol=1e-9)
    with pytest.raises(ValueError, match="min_points must be >= 2"):
        window_slopes(t, y, lo, hi, min_points=1)


# -- acceleration ----------------------------------------------------------------------------
def acc_rule(**kw):
    params = {
        "channel_unit": "mm",
        "unit": "mm/d**2",
        "thresholds": {"alert": 2.0, "alarm": 10.0},
        "window_s": 12 * 3600.0,
    }
    params.update(kw)
    return AccelerationTrigger("PR-07 acceleration", "PR-07", **params)


@pytest.mark.parametrize(("acc", "expected"), [(1.96, []), (2.04, [("raise", "alert")])])
def test_acceleration_near_miss_and_raise(acc, expected):
    # d = 3 t + a t²/2 (t in days): the rate 3 + a t, the acceleration a, exactly
    ts = every(433, 10)
    t_d = np.arange(433) * 10 / 1440
    rule = acc_rule()
    events = rule.update(Batch.from_readings("PR-07", ts, 3.0 * t_d + 0.5 * acc * t_d**2))
    assert actions(events) == expected
    measure = rule.last_outputs["measure"]
    assert np.isnan(measure[:144]).all()  # undefined for the first 2 W = 1 day
    assert_allclose(measure[144:], acc, atol=ACC_TOL)


def test_constant_velocity_has_no_acceleration():
    ts = every(433, 10)
    rule = acc_rule(thresholds={"alert": 0.01})
    assert rule.update(Batch.from_readings("PR-07", ts, 40.0 * np.arange(433) / 144)) == []
    assert_allclose(rule.last_outputs["measure"][144:], 0.0, atol=ACC_TOL)


def test_acceleration_same_in_one_batch_or_many():
    ts = every(600, 10)
    t_d = np.arange(600) * 10 / 1440
    values = 0.5 * 6.0 * t_d**2
    whole = acc_rule()
    whole.update(Batch.from_readings("PR-07", ts, values))
    parts = acc_rule()
    pieces = []
    for a in range(0, 600, 55):
        parts.update(Batch.from_readings("PR-07", ts[a : a + 55], values[a : a + 55]))
        pieces.append(parts.last_outputs["measure"])
    assert_allclose(np.concatenate(pieces), whole.last_outputs["measure"], equal_nan=True)
    assert parts.level == whole.level == Level.ALERT


# -- escalation ------------------------------------------------------------------------------
def test_raise_carries_the_escalation_time_of_its_level_and_the_book_escalates():
    rule = value_rule(escalate_after_s={"alert": 3600.0, "emergency": 600.0})
    events = rule.update(Batch.from_readings("PZ-03", every(3, 15), [181.0, 205.0, 225.0]))
    assert [e.escalate_after_s for e in events] == [3600.0, None, 600.0]
    book = AlertBook()
    book.apply(events)
    raised = datetime(2025, 5, 1, 0, 30, tzinfo=UTC)
    assert book.tick(raised + timedelta(seconds=599)) == []
    (change,) = book.tick(raised + timedelta(seconds=601))
    assert change.event.action == "escalate"
    assert change.alert.level == Level.EMERGENCY


# -- validation --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("kw", "match"),
    [
        ({"thresholds": {}}, "at least one level"),
        ({"thresholds": {"alert": 200.0, "alarm": 180.0}}, "strictly increase"),
        ({"thresholds": {"alert": 180.0, "alarm": 180.0}}, "strictly increase"),
        ({"thresholds": {"normal": 1.0}}, "alert, alarm and emergency only"),
        ({"thresholds": {"amber": 1.0}}, "level must be one of"),
        ({"thresholds": {"alert": float("nan")}}, "must be finite"),
        ({"thresholds": {"alert": "high"}}, "must be a number"),
        ({"direction": "falling"}, "strictly decrease"),
        ({"direction": "up"}, "direction must be one of"),
        ({"deadband": -1.0}, "deadband must be >= 0"),
        ({"hold_s": -5.0}, "hold_s must be >= 0"),
        ({"unit": ""}, "unit must be declared"),
        ({"unit": "mm"}, "cannot convert kPa to mm"),
        ({"escalate_after_s": 0.0}, "escalate_after of alert must be > 0"),
        ({"escalate_after_s": {"normal": 60.0}}, "alert, alarm and emergency only"),
    ],
)
def test_value_rule_rejects_bad_parameters(kw, match):
    with pytest.raises(ValueError, match=match):
        value_rule(**kw)


def test_both_direction_rejects_non_positive_threshold_and_wide_deadband():
    base = {"channel_unit": "deg", "unit": "deg", "direction": "both"}
    with pytest.raises(ValueError, match="must be > 0"):
        ValueTrigger("t", "T", thresholds={"alert": -1.0}, **base)
    with pytest.raises(ValueError, match="deadband must be < the lowest threshold"):
        ValueTrigger("t", "T", thresholds={"alert": 1.0}, deadband=1.0, **base)


@pytest.mark.parametrize(
    ("kw", "match"),
    [
        ({"window_s": 0.0}, "window_s must be > 0"),
        ({"window_s": -3600.0}, "window_s must be > 0"),
        ({"min_points": 1}, "min_points must be an integer >= 2"),
        ({"unit": "mm"}, "cannot convert"),  # a rate needs a unit per time
    ],
)
def test_rate_rule_rejects_bad_parameters(kw, match):
    with pytest.raises(ValueError, match=match):
        rate_rule(**kw)


def test_acceleration_rule_rejects_a_rate_unit():
    with pytest.raises(ValueError, match="cannot convert"):
        acc_rule(unit="mm/d")


@pytest.mark.parametrize(
    ("text", "seconds"), [("30s", 30.0), ("10min", 600.0), ("6h", 21600.0), ("1.5d", 129600.0)]
)
def test_parse_duration(text, seconds):
    assert parse_duration(text) == pytest.approx(seconds)


@pytest.mark.parametrize("text", ["6", "6 hours", "-1h", "h", ""])
def test_parse_duration_rejects(text):
    with pytest.raises(ValueError, match="must be a duration"):
        parse_duration(text)


def test_format_duration():
    assert [format_duration(s) for s in (30.0, 600.0, 7200.0, 86400.0, 0.5)] == [
        "30s",
        "10min",
        "2h",
        "1d",
        "0.5s",
    ]
