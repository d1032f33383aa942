"""The live factor of safety: SlopeFactorWatch on piezometer readings, and F from the store.

The slope is the ACADS 1(a) geometry (Giam & Donald 1989) with a stronger soil (c' = 8 kPa,
φ' = 30°, γ = 20 kN/m³) so that it is stable when dry (Bishop F = 1.78 on the circle
(30.6, 53.0) m, R = 28.0 m, near its critical circle) and rising pore pressure takes it
through the TARP levels. Every F the component reports is checked against F computed
directly, by cutting :func:`section_with_piezometers` again for the same heads.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import pytest
from numpy.testing import assert_allclose

from postmine.db import session_scope
from postmine.geotech.limit_equilibrium import bishop_factor, factor_of_safety
from postmine.geotech.pore_pressure import head_from_pressure, section_with_piezometers
from postmine.geotech.section import Section, SoilLayer
from postmine.geotech.slicing import slice_circle
from postmine.geotech.slip_search import critical_circle
from postmine.monitoring.alerts import AlertBook, AlertEvent, Level
from postmine.monitoring.channels import add_channel, add_sensor
from postmine.monitoring.component_kinds import component_registry
from postmine.monitoring.components import Batch, check_declarations
from postmine.monitoring.pipeline import AlertingPipeline, stored_alerts
from postmine.monitoring.rule_set import ChannelSpec, MonitoringRuleSet, RuleSpec
from postmine.monitoring.slope_watch import (
    DEFAULT_THRESHOLDS,
    SlopeFactorWatch,
    SlopeWatchConfig,
    factor_from_store,
)
from postmine.monitoring.store import read_range, to_us, write_readings

Site = Any  # tests/monitoring/conftest.py's Site: url, site_id, channels

GROUND = [(20.0, 25.0), (30.0, 25.0), (50.0, 35.0), (70.0, 35.0)]
CIRCLE = {"centre_x": 30.6, "centre_y": 53.0, "radius": 28.0}
PZ1, PZ2 = "PZ-01/pore_pressure", "PZ-02"
POSITIONS = {PZ1: (40.0, 24.0), PZ2: (55.0, 28.0)}
SAME = 1e-12  # the same F by two routes (Bishop): rounding only
T0 = np.datetime64("2025-05-01T00:00", "us")
STEP = np.timedelta64(10, "m")


def section() -> Section:
    return Section(GROUND, [SoilLayer(8.0, 30.0, 20.0)])


def config(**kwargs: Any) -> SlopeWatchConfig:
    args: dict[str, Any] = {"piezometers": POSITIONS, **CIRCLE, **kwargs}
    return SlopeWatchConfig(section(), **args)


def watch(**kwargs: Any) -> SlopeFactorWatch:
    cfg = kwargs.pop("config", None) or config()
    return SlopeFactorWatch("slope F", PZ1, channel_unit="kPa", config=cfg, **kwargs)


def direct(heads: list[float] | np.ndarray, method: str = "bishop") -> float:
    """F computed the slow way: a new section with the line, cut again (not split at the
    water, as the watch keeps the slices of the dry section)."""
    wet = section_with_piezometers(section(), [40.0, 55.0], heads)
    circle = (CIRCLE["centre_x"], CIRCLE["centre_y"], CIRCLE["radius"])
    return factor_of_safety(wet, *circle, method, split_at_water=False)


def batch(key: str, values: list[float] | np.ndarray, start: int = 0) -> Batch:
    ts = T0 + (start + np.arange(len(values))) * STEP
    return Batch.from_readings(key, ts, values)


def h1(p: float | np.ndarray) -> np.ndarray:
    return head_from_pressure(p, 24.0)


def h2(p: float | np.ndarray) -> np.ndarray:
    return head_from_pressure(p, 28.0)


# -- the component contract (as tests/monitoring/test_components.py runs it) ------------------
def test_is_registered_and_declares_everything():
    assert component_registry()["tarp.slope_factor"] is SlopeFactorWatch
    assert check_declarations(SlopeFactorWatch) == []
    example = SlopeFactorWatch.example()
    assert {p.name: example.unit_of(p.name) for p in (*example.inputs, *example.outputs)} == {
        "ts": "UTC",
        "value": "kPa",
        "factor_of_safety": "-",
        "level": "-",
        "head": "m",
    }


def test_contract_run_state_and_empty_batch():
    # the steps of test_components.test_contract: a 600-reading signal on EX-1, then the
    # state through JSON into a fresh instance, which must continue identically
    rng = np.random.default_rng(0)
    t_d = np.arange(600) / 144
    values = 3.0 * t_d + 2.0 * t_d**2 + rng.normal(0, 0.2, 600)
    component = SlopeFactorWatch.example()
    events = component.update(Batch.from_readings("EX-1", T0 + np.arange(600) * STEP, values))
    assert all(isinstance(e, AlertEvent) and e.channel == "EX-1" for e in events)
    assert all(e.kind == "tarp" and e.rule == component.name for e in events)
    for port in component.outputs:
        assert component.last_outputs[port.name].dtype == np.dtype(port.dtype)
        assert component.last_outputs[port.name].shape == (600,)
    state = json.loads(json.dumps(component.get_state()))
    fresh = SlopeFactorWatch.example()
    fresh.set_state(state)
    more = Batch.from_readings("EX-1", T0 + (600 + np.arange(50)) * STEP, np.full(50, 1e3))
    a, b = component.update(more), fresh.update(more)
    assert [(e.action, e.level, e.at) for e in a] == [(e.action, e.level, e.at) for e in b]
    for name in component.last_outputs:
        np.testing.assert_array_equal(component.last_outputs[name], fresh.last_outputs[name])
    empty = SlopeFactorWatch.example()
    assert empty.update(Batch.from_readings("EX-1", np.array([], "datetime64[us]"), [])) == []
    assert empty.last_us is None
    assert all(a.size == 0 for a in empty.last_outputs.values())
    assert empty.tick(datetime(2025, 1, 1, tzinfo=UTC)) == []


# -- F on each reading ------------------------------------------------------------------------
def test_factor_is_nan_until_every_piezometer_has_a_head():
    rule = watch()
    rule.update(batch(PZ1, [30.0, 40.0]))
    assert np.all(np.isnan(rule.last_outputs["factor_of_safety"]))
    assert_allclose(rule.last_outputs["head"], h1(np.array([30.0, 40.0])), rtol=SAME)
    rule.update(batch(PZ2, [20.0], start=2))
    f = rule.last_outputs["factor_of_safety"]
    assert_allclose(f, [direct([h1(40.0), h2(20.0)])], rtol=SAME)


def test_initial_heads_stand_in_until_the_first_reading():
    rule = watch(initial_heads={PZ2: 30.0})
    rule.update(batch(PZ1, [30.0, 50.0]))
    expected = [direct([h1(30.0), 30.0]), direct([h1(50.0), 30.0])]
    assert_allclose(rule.last_outputs["factor_of_safety"], expected, rtol=SAME)


def test_each_reading_is_combined_with_the_latest_heads_of_the_others():
    rule = watch()
    p1 = np.array([10.0, 30.0, 50.0, 70.0])
    p2 = np.array([15.0, 35.0, 55.0])
    rule.update(batch(PZ2, p2[:1], start=0))
    rule.update(batch(PZ1, p1[:2], start=1))
    assert_allclose(
        rule.last_outputs["factor_of_safety"],
        [direct([h1(p), h2(p2[0])]) for p in p1[:2]],
        rtol=SAME,
    )
    rule.update(batch(PZ2, p2[1:], start=3))
    assert_allclose(
        rule.last_outputs["factor_of_safety"],
        [direct([h1(p1[1]), h2(p)]) for p in p2[1:]],
        rtol=SAME,
    )
    assert rule.heads == pytest.approx({PZ1: float(h1(30.0)), PZ2: float(h2(55.0))}, rel=SAME)


@pytest.mark.parametrize("method", ["ordinary", "janbu", "spencer", "morgenstern_price"])
def test_every_method(method):
    rule = watch(config=config(method=method), initial_heads={PZ2: 31.0})
    rule.update(batch(PZ1, [20.0, 60.0]))
    tol = SAME if method in ("ordinary", "janbu") else 1e-9  # Newton stops at 1e-11 residuals
    expected = [direct([h1(p), 31.0], method) for p in (20.0, 60.0)]
    assert_allclose(rule.last_outputs["factor_of_safety"], expected, rtol=tol)


def test_polyline_surface():
    points = [(29.0, 25.5), (40.0, 22.0), (55.0, 27.0), (64.0, 36.0)]
    rule = watch(config=config(centre_x=None, centre_y=None, radius=None, points=points))
    rule.update(batch(PZ2, [40.0]))
    rule.update(batch(PZ1, [60.0], start=1))
    from postmine.geotech.limit_equilibrium import factors_of_safety
    from postmine.geotech.slicing import slice_surface

    wet = section_with_piezometers(section(), [40.0, 55.0], [h1(60.0), h2(40.0)])
    cut = slice_surface(wet, points, split_at_water=False)  # the watch's dry-section slices
    expected = factors_of_safety(cut, ("bishop",))[0]["bishop"]
    assert_allclose(rule.last_outputs["factor_of_safety"], expected, rtol=SAME)


def test_head_readings_in_another_length_unit():
    cfg = config(reading="head")
    rule = SlopeFactorWatch("slope F", PZ1, channel_unit="cm", config=cfg)
    rule.update(batch(PZ2, [3050.0]))
    rule.update(batch(PZ1, [2900.0], start=1))
    assert_allclose(rule.last_outputs["head"], [29.0], rtol=SAME)
    assert_allclose(rule.last_outputs["factor_of_safety"], [direct([29.0, 30.5])], rtol=SAME)


def test_pressure_in_bar_is_converted():
    rule = SlopeFactorWatch("slope F", PZ1, channel_unit="bar", config=config())
    rule.update(batch(PZ1, [0.5]))
    assert_allclose(rule.last_outputs["head"], h1(50.0), rtol=SAME)


# -- levels -----------------------------------------------------------------------------------
def rising() -> tuple[np.ndarray, np.ndarray]:
    """Eight hours of ten-minute readings of both piezometers, pressures rising."""
    return np.linspace(5.0, 90.0, 48), np.linspace(5.0, 70.0, 48)


def run_interleaved(rule: SlopeFactorWatch, p1: np.ndarray, p2: np.ndarray) -> list[AlertEvent]:
    """Feed the readings as a logger would: PZ-02 five minutes after PZ-01, hour by hour."""
    events: list[AlertEvent] = []
    for hour in range(0, p1.size, 6):
        sl = slice(hour, hour + 6)
        events += rule.update(Batch.from_readings(PZ1, T0 + np.arange(48)[sl] * STEP, p1[sl]))
        ts2 = T0 + np.arange(48)[sl] * STEP + np.timedelta64(5, "m")
        events += rule.update(Batch.from_readings(PZ2, ts2, p2[sl]))
    return events


def test_rising_pressures_walk_through_the_levels():
    rule = watch()
    events = run_interleaved(rule, *rising())
    assert [(e.action, e.level) for e in events] == [
        ("raise", Level.ALERT),
        ("raise", Level.ALARM),
    ]
    assert all(e.channel == PZ1 and e.unit == "-" for e in events)
    # each raise happens at the first reading at or below its threshold, not before
    assert events[0].value <= DEFAULT_THRESHOLDS["alert"]
    assert events[1].value <= DEFAULT_THRESHOLDS["alarm"]
    assert "heads: PZ-01/pore_pressure" in events[1].message
    assert rule.level == Level.ALARM


def test_level_clears_only_past_the_deadband_after_the_hold():
    rule = watch(deadband=0.05, hold_s=1800.0, initial_heads={PZ2: 30.0})
    high, low = 85.0, 40.0  # F ≈ 1.14 (alarm) and F ≈ 1.57 (normal)
    assert direct([h1(high), 30.0]) < 1.2 < 1.3 + 0.05 < direct([h1(low), 30.0])
    events = rule.update(batch(PZ1, [high, low, low, low, low, low]))
    # normal from the second reading on; released 30 min later, at the fifth reading
    assert [(e.action, e.at.minute) for e in events] == [("raise", 0), ("clear", 40)]


def test_thresholds_must_fall_from_alert_to_emergency():
    with pytest.raises(ValueError, match="strictly decrease from alert to emergency"):
        watch(thresholds={"alert": 1.2, "alarm": 1.3})


# -- channels and state -----------------------------------------------------------------------
def test_batches_of_other_channels_are_refused():
    with pytest.raises(ValueError, match=r"batch is of channel 'PR-07', the rule watches"):
        watch().update(batch("PR-07", [1.0]))


def test_late_readings_are_skipped_per_channel():
    rule = watch()
    rule.update(batch(PZ1, [10.0, 20.0], start=5))
    rule.update(batch(PZ2, [10.0], start=0))  # older than PZ-01's, but PZ-02's first: taken
    assert rule.last_outputs["factor_of_safety"].size == 1
    rule.update(batch(PZ1, [50.0], start=3))  # late for PZ-01: skipped
    assert rule.skipped == 1 and rule.last_outputs["factor_of_safety"].size == 0
    assert rule.last_us == to_us(T0 + 6 * STEP)
    assert rule.watched == (PZ1, PZ2)


def test_state_restores_heads_and_per_channel_times():
    rule = watch()
    run_interleaved(rule, *rising())
    fresh = watch()
    fresh.set_state(json.loads(json.dumps(rule.get_state())))
    assert fresh.heads == rule.heads and fresh.level == rule.level
    assert fresh.update(batch(PZ2, [1.0], start=10)) == []  # late for PZ-02 after restore
    assert fresh.skipped == rule.skipped + 1


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"centre_x": None, "points": [(29.0, 26.0), (64.0, 36.0)]}, "circle or as points, not"),
        ({"radius": None}, "centre_x, centre_y and radius"),
        ({"piezometers": {PZ1: (90.0, 24.0)}}, r"inside the section x in \[20.0, 70.0\]"),
        ({"piezometers": {PZ1: (40.0, 24.0), PZ2: (40.0, 20.0)}}, "must not repeat"),
        ({"piezometers": {PZ1: (40.0, float("nan"))}}, "tip_elevation_m of piezometer .* finite"),
        ({"piezometers": {}}, "at least one channel"),
        ({"method": "sarma"}, "method must be one of"),
        ({"reading": "depth"}, "reading must be one of"),
        ({"radius": 3.0}, "does not cut the ground"),
    ],
)
def test_bad_configurations_are_refused(kwargs, match):
    with pytest.raises(ValueError, match=match):
        config(**kwargs)


def test_section_with_ru_is_refused():
    with pytest.raises(ValueError, match=r"pore_pressure_ratio .* got r_u = 0\.1"):
        SlopeWatchConfig(
            Section(GROUND, [SoilLayer(8.0, 30.0, 20.0)], pore_pressure_ratio=0.1),
            POSITIONS,
            **CIRCLE,
        )


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"channel": "PR-07"}, "channel 'PR-07' must be one of the piezometers"),
        ({"channel_unit": "mm"}, "cannot convert mm to kPa"),
        ({"initial_heads": {"PZ-09": 30.0}}, "initial_heads names 'PZ-09'"),
        ({"initial_heads": {PZ2: float("inf")}}, "initial head of 'PZ-02' must be finite"),
        ({"search_every": -1}, "search_every must be an integer >= 0"),
        ({"search_every": 5}, "search_every needs search_grid"),
    ],
)
def test_bad_component_settings_are_refused(kwargs, match):
    args: dict[str, Any] = {"channel": PZ1, "channel_unit": "kPa", "config": config(), **kwargs}
    with pytest.raises(ValueError, match=match):
        SlopeFactorWatch("slope F", args.pop("channel"), **args)


def test_search_on_a_polyline_is_refused():
    cfg = config(centre_x=None, centre_y=None, radius=None, points=[(29.0, 25.5), (64.0, 36.0)])
    with pytest.raises(ValueError, match="needs a circular slip surface"):
        watch(config=cfg, search_every=5, search_grid=([30.0], [50.0], [25.0]))


# -- re-searching the critical circle ---------------------------------------------------------
def test_search_every_n_readings_moves_to_the_critical_circle():
    grid = (np.linspace(25, 45, 5), np.linspace(40, 60, 5), np.linspace(15, 35, 5))
    rule = watch(search_every=3, search_grid=grid, initial_heads={PZ2: 33.0})
    pressures = [20.0, 40.0, 60.0, 80.0]
    rule.update(batch(PZ1, pressures))
    assert rule.searches == 1 and rule.readings == 4  # after the third reading only
    wet = section_with_piezometers(section(), [40.0, 55.0], [h1(60.0), 33.0])
    found = critical_circle(wet, *grid)
    assert rule.circle == pytest.approx((found.centre_x, found.centre_y, found.radius), rel=SAME)
    f = rule.last_outputs["factor_of_safety"]
    assert_allclose(f[:2], [direct([h1(p), 33.0]) for p in pressures[:2]], rtol=SAME)
    # from the search on, F is on the circle found, which is no safer than the design one
    circle = (found.centre_x, found.centre_y, found.radius)
    assert_allclose(f[2], factor_of_safety(wet, *circle, split_at_water=False), rtol=SAME)
    assert f[2] <= direct([h1(60.0), 33.0]) + SAME
    wet4 = section_with_piezometers(section(), [40.0, 55.0], [h1(80.0), 33.0])
    on_found = bishop_factor(slice_circle(wet4, *rule.circle, split_at_water=False))[0]
    assert_allclose(f[3], on_found, rtol=SAME)


# -- one reading at a time and a day in one batch (their speed: benchmarks/, issue 16) -------
@pytest.mark.parametrize("method", ["bishop", "janbu", "ordinary"])
def test_one_reading_at_a_time_gives_one_factor_each(method):
    rule = watch(config=config(method=method), initial_heads={PZ2: 31.0})
    for k in range(30):
        rule.update(batch(PZ1, [40.0 + 0.1 * k], start=k))
    factors = rule.last_outputs["factor_of_safety"]
    assert factors.size == 1 and np.isfinite(factors).all()


def test_a_day_of_ten_minute_readings_in_one_batch():
    values = np.linspace(10.0, 80.0, 144)
    rule = watch(initial_heads={PZ2: 31.0})
    rule.update(batch(PZ1, values))
    factors = rule.last_outputs["factor_of_safety"]
    # one factor per reading, falling as the head rises
    assert factors.size == 144 and np.all(np.diff(factors) <= 1e-12)


# -- with the store: SQLite and PostgreSQL ---------------------------------------------------
@pytest.fixture
def two_piezometers(site: Site) -> Site:
    """The site of conftest (PZ-01 with pore pressure and temperature) plus PZ-02."""
    with session_scope(site.url) as session:
        pz2 = add_sensor(
            session, site_id=site.site_id, code="PZ-02", type="piezometer", expected_interval_s=600
        )
        site.channels["pz2"] = add_channel(
            session, pz2, name="pore_pressure", quantity="pore_pressure"
        ).id
    return site


def _write(site: Site, p1: np.ndarray, p2: np.ndarray) -> None:
    t0 = to_us(T0)
    step = 600_000_000
    rows = [(site.channels["pore_pressure"], t0 + i * step, float(v)) for i, v in enumerate(p1)]
    rows += [
        (site.channels["pz2"], t0 + i * step + 300_000_000, float(v)) for i, v in enumerate(p2)
    ]
    write_readings(site.url, rows)


def test_stored_readings_raise_the_alarm(two_piezometers: Site):
    site = two_piezometers
    p1, p2 = rising()
    _write(site, p1, p2)
    rule = watch()
    book = AlertBook()
    end = to_us(T0) + 49 * 600_000_000
    series = {
        PZ1: read_range(site.url, site.channels["pore_pressure"], to_us(T0), end),
        PZ2: read_range(site.url, site.channels["pz2"], to_us(T0), end),
    }
    # as MQTT delivers them: one reading per batch, both channels in time order
    readings = sorted(
        (int(t), key, float(v))
        for key, s in series.items()
        for t, v in zip(s.ts_us, s.value, strict=True)
    )
    assert len(readings) == 96
    changes = []
    for t, key, v in readings:
        b = Batch.from_readings(key, np.array([t]).astype("datetime64[us]"), [v])
        changes += book.apply(rule.update(b))
    assert [(c.event.action, c.alert.level) for c in changes] == [
        ("raise", Level.ALERT),
        ("raise", Level.ALARM),
    ]
    active = book.active()
    assert len(active) == 1 and active[0].level == Level.ALARM and active[0].channel == PZ1
    # readings in time order: F from the store at the time of the alarm is the F that
    # raised it (batches of an hour per channel would combine a reading with the other
    # piezometer's head of the hour before: see test_rising_pressures_walk_through_the_levels)
    at = changes[1].event.at
    now = factor_from_store(site.url, site.site_id, config(), at)
    assert now.factor_of_safety == pytest.approx(changes[1].event.value, rel=SAME)
    assert now.factor_of_safety < DEFAULT_THRESHOLDS["alarm"]


def test_factor_from_store_uses_the_latest_reading_at_or_before(two_piezometers: Site):
    site = two_piezometers
    p1, p2 = rising()
    _write(site, p1, p2)
    at = datetime(2025, 5, 1, 2, 7, tzinfo=UTC)  # PZ-01 at 02:00 (#12), PZ-02 at 02:05 (#12)
    now = factor_from_store(site.url, site.site_id, config(), at)
    assert now.reading_times == {
        PZ1: datetime(2025, 5, 1, 2, 0, tzinfo=UTC),
        PZ2: datetime(2025, 5, 1, 2, 5, tzinfo=UTC),
    }
    assert now.readings == pytest.approx({PZ1: p1[12], PZ2: p2[12]}, rel=SAME)
    assert now.heads_m == pytest.approx({PZ1: float(h1(p1[12])), PZ2: float(h2(p2[12]))})
    assert now.factor_of_safety == pytest.approx(direct([h1(p1[12]), h2(p2[12])]), rel=SAME)
    assert now.oldest_reading == datetime(2025, 5, 1, 2, 0, tzinfo=UTC)
    assert now.units == {PZ1: "kPa", PZ2: "kPa"} and now.method == "bishop"
    with pytest.raises(ValueError, match=r"'PZ-02' .* has no reading at or before"):
        factor_from_store(site.url, site.site_id, config(), T0 + np.timedelta64(1, "m"))
    other = config(piezometers={PZ1: (40.0, 24.0), "PZ-01": (55.0, 28.0)})
    with pytest.raises(ValueError, match="piezometer 'PZ-01' matches no channel of site"):
        factor_from_store(site.url, site.site_id, other, at)


def test_through_the_alerting_pipeline_the_alarm_is_stored(site: Site):
    # one piezometer: the existing pipeline routes its channel to the component as it is
    cfg = config(piezometers={PZ1: (40.0, 24.0)})
    rule_set = MonitoringRuleSet(
        id="slope",
        title="Slope F",
        channels={PZ1: ChannelSpec(PZ1, "kPa")},
        rules=(RuleSpec("north slope F", PZ1, "tarp.slope_factor", {"config": cfg}),),
    )
    pressures = np.linspace(0.0, 90.0, 19)
    f = cfg.factors(h1(pressures)[:, None])
    assert f[0] > 1.3 and f[-1] < 1.2  # the readings do cross the alarm threshold
    t0 = to_us(T0)
    write_readings(
        site.url,
        [
            (site.channels["pore_pressure"], t0 + i * 600_000_000, v)
            for i, v in enumerate(pressures)
        ],
    )
    series = read_range(site.url, site.channels["pore_pressure"], t0, t0 + 19 * 600_000_000)
    with AlertingPipeline(site.url, rule_set, site_id=site.site_id) as pipeline:
        changes = pipeline.process({site.channels["pore_pressure"]: series})
    assert [c.alert.level for c in changes] == [Level.ALERT, Level.ALARM]
    stored = stored_alerts(site.url, active=True)
    assert len(stored) == 1
    channel_id, alert = stored[0]
    assert channel_id == site.channels["pore_pressure"]
    assert alert.level == Level.ALARM and alert.unit == "-"
    first_alarm = int(np.argmax(f <= 1.2))
    assert alert.level_since == datetime(2025, 5, 1, tzinfo=UTC) + first_alarm * timedelta(
        minutes=10
    )
    assert alert.value == pytest.approx(f[first_alarm], rel=SAME)


# -- from a slope section file ---------------------------------------------------------------
FILE = """
format_version = 1
title = "Watched slope"

[section]
ground = [[20.0, 25.0], [30.0, 25.0], [50.0, 35.0], [70.0, 35.0]]

[[layers]]
name = "fill"
cohesion_kpa = 8.0
friction_angle_deg = 30.0
unit_weight_kn_m3 = 20.0

[[piezometers]]
channel = "PZ-01/pore_pressure"
x_m = 40.0
tip_elevation_m = 24.0

[[piezometers]]
channel = "PZ-02"
x_m = 55.0
tip_elevation_m = 28.0
"""


def test_config_from_a_section_file_with_its_surface():
    import tomllib

    from postmine.geotech.section_file import parse_section_file

    text = FILE + "\n[surface]\ncentre_x = 30.6\ncentre_y = 53.0\nradius = 28.0\nn_slices = 40\n"
    cfg = SlopeWatchConfig.from_slope_file(parse_section_file(tomllib.loads(text)))
    assert cfg.keys == (PZ1, PZ2) and cfg.n_slices == 40
    assert (cfg.centre_x, cfg.centre_y, cfg.radius) == (30.6, 53.0, 28.0)
    assert_allclose(cfg.x_m, [40.0, 55.0], rtol=0, atol=0)
    assert_allclose(cfg.tip_elevation_m, [24.0, 28.0], rtol=0, atol=0)


def test_config_from_a_section_file_searches_its_critical_circle():
    import tomllib

    from postmine.geotech.section_file import parse_section_file

    grid = """
[search]
centre_x = [25.0, 45.0, 5]
centre_y = [40.0, 60.0, 5]
radius = [15.0, 35.0, 5]
"""
    slope = parse_section_file(tomllib.loads(FILE + grid))
    cfg = SlopeWatchConfig.from_slope_file(slope)
    found = critical_circle(
        slope.section, np.linspace(25, 45, 5), np.linspace(40, 60, 5), np.linspace(15, 35, 5)
    )
    assert (cfg.centre_x, cfg.centre_y, cfg.radius) == pytest.approx(
        (found.centre_x, found.centre_y, found.radius), rel=SAME
    )
    assert_allclose(cfg.factors([20.0, 20.0]), found.factors["bishop"], rtol=SAME)  # dry


def test_config_from_a_section_file_needs_piezometers():
    import tomllib

    from postmine.geotech.section_file import parse_section_file

    text = (
        FILE.split("[[piezometers]]")[0]
        + "\n[surface]\ncentre_x = 30.6\ncentre_y = 53.0\nradius = 28.0\n"
    )
    with pytest.raises(ValueError, match="no \\[\\[piezometers\\]\\]"):
        SlopeWatchConfig.from_slope_file(parse_section_file(tomllib.loads(text)))
