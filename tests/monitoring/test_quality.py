"""Data-quality rules: each one raised by a case just past its limit, and not by a near miss.

Missing data: gaps of 2.9 and 3.1 intervals (factor 3), by batch and by the clock. Stuck
value: readings moving by 0.9 and 1.1 times the tolerance. Spike: robust z-scores and jumps
just under and over their limits. Calibration: readings one second before and at expiry.
"""

import json
from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest
from numpy.testing import assert_allclose

from postmine.monitoring.alerts import AlertBook, Level
from postmine.monitoring.components import Batch
from postmine.monitoring.quality import (
    MAD_TO_SIGMA,
    Calibration,
    MissingData,
    Spike,
    StuckValue,
    calibration_expiry,
)

T0 = np.datetime64("2025-05-01T00:00", "us")
START = datetime(2025, 5, 1, tzinfo=UTC)
GAP_TOL = 1e-6  # s: gaps are whole microseconds


def minutes(*values: float) -> np.ndarray:
    return T0 + (np.asarray(values, dtype=float) * 60e6).astype("timedelta64[us]")


def every(n: int, step_min: float) -> np.ndarray:
    return minutes(*(np.arange(n) * step_min))


def actions(events):
    return [(e.action, e.level.label) for e in events]


# -- missing data --------------------------------------------------------------------------------
def missing_rule(**kw):
    params = {"channel_unit": "kPa", "expected_interval_s": 600.0, "factor": 3.0}
    params.update(kw)
    return MissingData("PZ-03 missing", "PZ-03", **params)


def test_gap_of_2_9_intervals_is_not_missing():
    rule = missing_rule()
    events = rule.update(Batch.from_readings("PZ-03", minutes(0, 10, 39), [1.0, 1.0, 1.0]))
    assert events == []
    assert_allclose(rule.last_outputs["gap"][1:], [600.0, 1740.0], atol=GAP_TOL)
    assert rule.last_outputs["missing"].tolist() == [False, False, False]


def test_gap_of_3_1_intervals_raises_and_the_next_reading_clears():
    rule = missing_rule()
    events = rule.update(Batch.from_readings("PZ-03", minutes(0, 10, 41, 51), [1.0] * 4))
    assert actions(events) == [("raise", "alert"), ("clear", "normal")]
    assert events[0].kind == "data-quality"
    assert events[0].at == START + timedelta(minutes=40)  # last reading + 3 intervals
    assert events[1].at == START + timedelta(minutes=41)
    assert events[0].value == pytest.approx(1860.0)
    assert events[0].unit == "s"
    assert rule.last_outputs["missing"].tolist() == [False, False, True, False]


def test_gap_of_exactly_the_limit_is_not_missing():
    rule = missing_rule()
    assert rule.update(Batch.from_readings("PZ-03", minutes(0, 30), [1.0, 1.0])) == []


def test_gap_across_batches_is_found():
    rule = missing_rule()
    rule.update(Batch.from_readings("PZ-03", minutes(0, 10), [1.0, 1.0]))
    events = rule.update(Batch.from_readings("PZ-03", minutes(41), [1.0]))
    assert actions(events) == [("raise", "alert"), ("clear", "normal")]


def test_clock_raises_after_3_1_intervals_not_after_2_9():
    rule = missing_rule(escalate_after_s=3600.0)
    rule.update(Batch.from_readings("PZ-03", minutes(0), [1.0]))
    assert rule.tick(START + timedelta(minutes=29)) == []
    (event,) = rule.tick(START + timedelta(minutes=31))
    assert (event.action, event.at) == ("raise", START + timedelta(minutes=31))
    assert event.escalate_after_s == 3600.0
    assert "no reading for 1860 s" in event.message
    assert rule.tick(START + timedelta(minutes=45)) == []  # raised once
    events = rule.update(Batch.from_readings("PZ-03", minutes(50), [1.0]))
    assert actions(events) == [("clear", "normal")]
    assert events[0].at == START + timedelta(minutes=50)


def test_clock_watches_a_channel_that_never_reported():
    rule = missing_rule()
    assert rule.tick(START) == []  # starts watching
    assert rule.tick(START + timedelta(minutes=30)) == []
    assert actions(rule.tick(START + timedelta(minutes=31))) == [("raise", "alert")]


def test_late_upload_clears_no_earlier_than_the_raise():
    # the clock raised at 00:31; a logger upload then brings a reading taken at 00:20
    rule = missing_rule()
    rule.update(Batch.from_readings("PZ-03", minutes(0), [1.0]))
    rule.tick(START + timedelta(minutes=31))
    (event,) = rule.update(Batch.from_readings("PZ-03", minutes(20), [1.0]))
    assert event.action == "clear"
    assert event.at == START + timedelta(minutes=31)


@pytest.mark.parametrize(
    ("kw", "match"),
    [
        ({"expected_interval_s": 0.0}, "expected_interval_s must be > 0"),
        ({"factor": 0.9}, "factor must be >= 1"),
        ({"level": "normal"}, "alert, alarm or emergency"),
        ({"level": "red"}, "level must be one of"),
        ({"escalate_after_s": -1.0}, "escalate_after_s must be > 0"),
    ],
)
def test_missing_rejects(kw, match):
    with pytest.raises(ValueError, match=match):
        missing_rule(**kw)


# -- stuck value ---------------------------------------------------------------------------------
def stuck_rule(**kw):
    params = {"channel_unit": "kPa", "tolerance": 0.05, "min_readings": 6}
    params.update(kw)
    return StuckValue("PZ-03 stuck", "PZ-03", **params)


def test_value_moving_less_than_the_tolerance_is_stuck():
    rule = stuck_rule()
    values = 150.0 + 0.9 * 0.05 * np.array([0, 1, 0, 1, 0, 1, 0, 1])
    events = rule.update(Batch.from_readings("PZ-03", every(8, 15), values))
    assert actions(events) == [("raise", "alert")]
    assert events[0].at == START + timedelta(minutes=75)  # the 6th reading
    assert rule.last_outputs["stuck"].tolist() == [False] * 5 + [True] * 3
    assert_allclose(rule.last_outputs["spread"][5:], 0.045, atol=1e-12)


def test_value_moving_more_than_the_tolerance_is_not_stuck():
    rule = stuck_rule()
    values = 150.0 + 1.1 * 0.05 * np.array([0, 1, 0, 1, 0, 1, 0, 1])
    assert rule.update(Batch.from_readings("PZ-03", every(8, 15), values)) == []


def test_slow_drift_within_the_step_tolerance_is_not_stuck():
    # every step is 0.02 kPa, under the tolerance, but the window spans 0.1 kPa
    rule = stuck_rule()
    values = 150.0 + 0.02 * np.arange(12)
    assert rule.update(Batch.from_readings("PZ-03", every(12, 15), values)) == []


def test_stuck_clears_when_the_value_moves():
    rule = stuck_rule()
    values = [150.0] * 7 + [150.2]
    events = rule.update(Batch.from_readings("PZ-03", every(8, 15), values))
    assert actions(events) == [("raise", "alert"), ("clear", "normal")]
    assert events[1].at == START + timedelta(minutes=105)


def test_stuck_by_duration_needs_the_whole_duration():
    rule = stuck_rule(min_readings=None, min_duration_s=3600.0)
    # constant readings every 15 min: at 00:45 the run is 45 min long, at 01:00 one hour
    events = rule.update(Batch.from_readings("PZ-03", every(4, 15), [150.0] * 4))
    assert events == []
    events = rule.update(Batch.from_readings("PZ-03", minutes(60), [150.0]))
    assert actions(events) == [("raise", "alert")]


def test_stuck_with_both_windows_needs_both():
    # six readings within 2 minutes satisfy min_readings but not min_duration
    rule = stuck_rule(min_duration_s=3600.0)
    values = [150.0] * 6
    assert (
        rule.update(Batch.from_readings("PZ-03", minutes(0, 0.4, 0.8, 1.2, 1.6, 2), values)) == []
    )
    events = rule.update(Batch.from_readings("PZ-03", minutes(60), [150.0]))
    assert actions(events) == [("raise", "alert")]


def test_stuck_same_in_one_batch_or_many_and_through_state():
    rng = np.random.default_rng(5)
    values = np.repeat(rng.normal(150.0, 1.0, 40), rng.integers(1, 12, 40))
    ts = every(values.size, 10)
    whole = stuck_rule(min_duration_s=1800.0)
    expected = whole.update(Batch.from_readings("PZ-03", ts, values))
    assert len(expected) > 4
    got = []
    rule = stuck_rule(min_duration_s=1800.0)
    for a in range(0, values.size, 17):
        fresh = stuck_rule(min_duration_s=1800.0)
        fresh.set_state(json.loads(json.dumps(rule.get_state())))
        rule = fresh
        got += rule.update(Batch.from_readings("PZ-03", ts[a : a + 17], values[a : a + 17]))
    assert [(e.action, e.at) for e in got] == [(e.action, e.at) for e in expected]


@pytest.mark.parametrize(
    ("kw", "match"),
    [
        ({"tolerance": -0.1}, "tolerance must be >= 0"),
        ({"min_readings": None}, "give min_readings, min_duration_s or both"),
        ({"min_readings": 1}, "min_readings must be an integer >= 2"),
        ({"min_duration_s": 0.0}, "min_duration_s must be > 0"),
    ],
)
def test_stuck_rejects(kw, match):
    with pytest.raises(ValueError, match=match):
        stuck_rule(**kw)


# -- spike ---------------------------------------------------------------------------------------
BASE = np.array([10.0, 10.2, 9.8, 10.1, 9.9, 10.3, 9.7, 10.0, 10.1, 9.9])
# median 10.0; |x - 10| = 0, .2, .2, .1, .1, .3, .3, 0, .1, .1 -> MAD 0.1, scale 0.14826
SCALE = MAD_TO_SIGMA * 0.1


def spike_rule(**kw):
    params = {"channel_unit": "mm", "window_readings": 10, "z_limit": 6.0}
    params.update(kw)
    return Spike("PR-07 spike", "PR-07", **params)


@pytest.mark.parametrize(("z", "expected"), [(5.9, []), (6.1, [("raise", "alert")])])
def test_spike_by_robust_z_score(z, expected):
    rule = spike_rule()
    values = [*BASE, 10.0 + z * SCALE]
    events = rule.update(Batch.from_readings("PR-07", every(11, 10), values))
    assert actions(events) == expected
    assert_allclose(rule.last_outputs["z"][-1], z, rtol=1e-9)
    assert np.isnan(rule.last_outputs["z"][:10]).all()  # no full window yet


def test_spike_clears_and_the_return_reading_is_not_flagged():
    rule = spike_rule()
    values = [*BASE, 15.0, 10.0, 10.1]
    events = rule.update(Batch.from_readings("PR-07", every(13, 10), values))
    assert actions(events) == [("raise", "alert"), ("clear", "normal")]
    assert rule.last_outputs["spike"].tolist()[10:] == [True, False, False]
    assert "z = " in events[0].message


@pytest.mark.parametrize(("jump", "expected"), [(0.9, []), (1.1, [("raise", "alert")])])
def test_spike_by_jump_over_a_limit(jump, expected):
    rule = spike_rule(z_limit=None, max_jump=1.0)
    values = [*BASE, 10.0 - jump]
    events = rule.update(Batch.from_readings("PR-07", every(11, 10), values))
    assert actions(events) == expected
    assert_allclose(rule.last_outputs["deviation"][-1], -jump, rtol=1e-12)


def test_spike_window_of_one_is_the_jump_from_the_previous_reading():
    rule = spike_rule(window_readings=1, z_limit=None, max_jump=1.0)
    events = rule.update(Batch.from_readings("PR-07", every(4, 10), [0.0, 0.9, 1.8, 3.0]))
    assert actions(events) == [("raise", "alert")]
    assert events[0].at == START + timedelta(minutes=30)


def test_constant_signal_flags_every_change_unless_min_mad_is_set():
    values = [5.0] * 10 + [5.01]
    strict = spike_rule()
    assert actions(strict.update(Batch.from_readings("PR-07", every(11, 10), values))) == [
        ("raise", "alert")
    ]
    assert np.isinf(strict.last_outputs["z"][-1])
    tolerant = spike_rule(min_mad=0.01)  # sensor resolution: z = 0.01 / 0.01 = 1
    assert tolerant.update(Batch.from_readings("PR-07", every(11, 10), values)) == []
    assert_allclose(tolerant.last_outputs["z"][-1], 1.0, rtol=1e-9)


def test_spike_window_spans_batches():
    rule = spike_rule()
    rule.update(Batch.from_readings("PR-07", every(10, 10), BASE))
    events = rule.update(Batch.from_readings("PR-07", minutes(100), [10.0 + 6.1 * SCALE]))
    assert actions(events) == [("raise", "alert")]


@pytest.mark.parametrize(
    ("kw", "match"),
    [
        ({"window_readings": 0}, "window_readings must be an integer >= 1"),
        ({"z_limit": None}, "give z_limit, max_jump or both"),
        ({"z_limit": -1.0}, "z_limit must be > 0"),
        ({"max_jump": 0.0}, "max_jump must be > 0"),
        ({"min_mad": -0.1}, "min_mad must be >= 0"),
    ],
)
def test_spike_rejects(kw, match):
    with pytest.raises(ValueError, match=match):
        spike_rule(**kw)


# -- calibration ---------------------------------------------------------------------------------
def calibration_rule(**kw):
    params = {"channel_unit": "kPa", "valid_until": date(2025, 5, 31)}
    params.update(kw)
    return Calibration("PZ-03 calibration", "PZ-03", **params)


EXPIRY = datetime(2025, 6, 1, tzinfo=UTC)  # due 31 May: valid through that day


def test_reading_one_second_before_expiry_is_fine():
    rule = calibration_rule()
    ts = np.array([EXPIRY - timedelta(days=1), EXPIRY - timedelta(seconds=1)])
    assert rule.update(Batch.from_readings("PZ-03", ts, [1.0, 1.0])) == []
    assert rule.tick(EXPIRY - timedelta(seconds=1)) == []


def test_reading_after_expiry_raises_at_the_expiry():
    rule = calibration_rule(escalate_after_s=86400.0)
    ts = np.array([EXPIRY - timedelta(hours=1), EXPIRY + timedelta(days=2)])
    events = rule.update(Batch.from_readings("PZ-03", ts, [1.0, 1.0]))
    assert actions(events) == [("raise", "alert")]
    assert events[0].at == EXPIRY
    assert events[0].value == pytest.approx(2.0)
    assert events[0].unit == "d"
    assert rule.last_outputs["overdue"].tolist() == [False, True]
    assert rule.update(Batch.from_readings("PZ-03", [EXPIRY + timedelta(days=3)], [1.0])) == []


def test_clock_raises_at_expiry_and_recalibration_clears():
    rule = calibration_rule()
    (event,) = rule.tick(EXPIRY)
    assert (event.action, event.at) == ("raise", EXPIRY)
    assert rule.tick(EXPIRY + timedelta(days=1)) == []
    done = EXPIRY + timedelta(days=2)
    assert rule.recalibrate(date(2025, 5, 1), at=done) == []  # still expired: no clear
    (cleared,) = rule.recalibrate(date(2026, 5, 31), at=done)
    assert (cleared.action, cleared.at) == ("clear", done)
    assert rule.update(Batch.from_readings("PZ-03", [done + timedelta(days=1)], [1.0])) == []


def test_calibration_expiry_of_a_date_and_a_datetime():
    assert calibration_expiry(date(2025, 5, 31)) == EXPIRY
    moment = datetime(2025, 5, 31, 12, 0)
    assert calibration_expiry(moment) == moment.replace(tzinfo=UTC)
    with pytest.raises(ValueError, match="date or datetime"):
        calibration_expiry("2025-05-31")  # type: ignore[arg-type]


# -- quality alerts through the book -------------------------------------------------------------
def test_quality_alert_is_kept_apart_from_the_tarp_level():
    book = AlertBook()
    rule = missing_rule(level="alarm")
    book.apply(rule.update(Batch.from_readings("PZ-03", minutes(0), [1.0])))
    book.apply(rule.tick(START + timedelta(hours=1)))
    (alert,) = book.active("PZ-03")
    assert (alert.kind, alert.level) == ("data-quality", Level.ALARM)
    assert book.level("PZ-03") == Level.NORMAL  # the TARP level counts TARP alerts only
