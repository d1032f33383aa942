"""The component contract: every registered step declares complete inputs and outputs.

The contract test runs over :func:`~postmine.monitoring.component_kinds.component_registry`,
so a new rule is checked the moment it is registered. The base class's checks of batches
(missing inputs named, dtypes, order, late and duplicate readings) and the speed target
(10,000 readings of one channel in well under 50 ms) are tested here too.
"""

import json
from datetime import UTC, date, datetime
from typing import ClassVar

import numpy as np
import pytest

from postmine.monitoring.alerts import AlertEvent
from postmine.monitoring.component_kinds import component_registry
from postmine.monitoring.components import (
    Batch,
    Component,
    Port,
    check_declarations,
    register_component,
    to_us,
)
from postmine.monitoring.quality import Calibration, MissingData, Spike, StuckValue
from postmine.monitoring.tarp import AccelerationTrigger, RateTrigger, ValueTrigger

REGISTRY = component_registry()
T0 = np.datetime64("2025-05-01T00:00", "us")


def test_registry_holds_every_builtin_rule():
    assert set(REGISTRY) == {
        "tarp.value",
        "tarp.rate",
        "tarp.acceleration",
        "quality.missing",
        "quality.stuck",
        "quality.spike",
        "quality.calibration",
        "tarp.slope_factor",
    }


def _signal(n: int = 600) -> Batch:
    rng = np.random.default_rng(0)
    ts = T0 + np.arange(n) * np.timedelta64(10, "m")
    t_d = np.arange(n) / 144
    values = 3.0 * t_d + 2.0 * t_d**2 + rng.normal(0, 0.2, n)
    return Batch.from_readings("EX-1", ts, values)


@pytest.mark.parametrize("kind", sorted(REGISTRY))
def test_contract(kind):
    cls = REGISTRY[kind]
    assert check_declarations(cls) == []
    assert cls.kind == kind
    component = cls.example()
    assert isinstance(component, cls)
    # every port has its unit resolved for the instance
    for port in (*cls.inputs, *cls.outputs):
        unit = component.unit_of(port.name)
        assert unit and "{" not in unit, (kind, port.name, unit)
    # a run gives exactly the declared outputs, one value per reading, declared dtypes
    batch = _signal()
    events = component.update(batch)
    assert all(isinstance(e, AlertEvent) for e in events)
    assert all(e.rule == component.name and e.channel == "EX-1" for e in events)
    assert all(e.kind == cls.alert_kind for e in events)
    assert set(component.last_outputs) == {p.name for p in cls.outputs}
    for port in cls.outputs:
        array = component.last_outputs[port.name]
        assert array.dtype == np.dtype(port.dtype)
        assert array.shape == (len(batch),)
    # the state is JSON and restores into a fresh instance that continues identically
    state = json.loads(json.dumps(component.get_state()))
    fresh = cls.example()
    fresh.set_state(state)
    more = Batch.from_readings(
        "EX-1", T0 + (600 + np.arange(50)) * np.timedelta64(10, "m"), np.full(50, 1e3)
    )
    a, b = component.update(more), fresh.update(more)
    assert [(e.action, e.level, e.at) for e in a] == [(e.action, e.level, e.at) for e in b]
    for name in component.last_outputs:
        np.testing.assert_array_equal(component.last_outputs[name], fresh.last_outputs[name])


@pytest.mark.parametrize("kind", sorted(REGISTRY))
def test_tick_takes_a_datetime(kind):
    component = REGISTRY[kind].example()
    events = component.tick(datetime(2020, 1, 1, tzinfo=UTC))
    assert isinstance(events, list)
    with pytest.raises(TypeError, match="must be a datetime"):
        component.tick("2020-01-01")  # type: ignore[arg-type]


def test_missing_input_is_named_with_its_declaration():
    rule = ValueTrigger.example()
    batch = Batch("EX-1", {"ts": np.array(["2025-05-01"], dtype="datetime64[us]")})
    with pytest.raises(ValueError, match=r"needs input\(s\) missing.*'value' \(float64, \[mm\]\)"):
        rule.update(batch)


def test_wrong_dtype_is_rejected():
    rule = ValueTrigger.example()
    batch = Batch("EX-1", {"ts": np.array([0, 1]), "value": np.array([1.0, 2.0])})
    with pytest.raises(ValueError, match="input 'ts' must be datetime64"):
        rule.update(batch)
    batch = Batch(
        "EX-1", {"ts": np.array(["2025-05-01"], dtype="datetime64[us]"), "value": np.array(["x"])}
    )
    with pytest.raises(ValueError, match="input 'value' must be float64"):
        rule.update(batch)


def test_batch_of_another_channel_is_rejected():
    with pytest.raises(ValueError, match="batch is of channel 'EX-2'"):
        ValueTrigger.example().update(Batch.from_readings("EX-2", [T0], [1.0]))


def test_non_finite_value_is_rejected_with_its_time():
    batch = Batch.from_readings("EX-1", T0 + np.arange(3) * np.timedelta64(1, "h"), [1, np.nan, 2])
    with pytest.raises(ValueError, match=r"1 reading\(s\) are NaN.*2025-05-01T01:00"):
        ValueTrigger.example().update(batch)


def test_batch_checks_its_columns():
    with pytest.raises(ValueError, match="equal lengths"):
        Batch("EX-1", {"ts": np.zeros(2), "value": np.zeros(3)})
    with pytest.raises(ValueError, match="one-dimensional"):
        Batch("EX-1", {"ts": np.zeros((2, 2))})
    with pytest.raises(ValueError, match="channel must be non-empty"):
        Batch("", {})


def test_readings_are_sorted_and_late_or_duplicate_ones_skipped():
    rule = ValueTrigger.example()  # alert at 5 mm
    ts = T0 + np.array([20, 0, 10, 10], dtype="timedelta64[m]")
    events = rule.update(Batch.from_readings("EX-1", ts, [6.0, 1.0, 2.0, 99.0]))
    # in time order: 1.0 (00:00), 2.0 (00:10; the duplicate 99.0 is skipped), 6.0 (00:20)
    assert [(e.action, e.at.minute) for e in events] == [("raise", 20)]
    assert rule.last_outputs["measure"].tolist() == [1.0, 2.0, 6.0]
    assert rule.skipped == 1
    late = rule.update(Batch.from_readings("EX-1", [T0 + np.timedelta64(15, "m")], [50.0]))
    assert late == [] and rule.skipped == 2
    assert rule.last_outputs["measure"].size == 0


def test_time_stamps_are_read_in_every_form():
    aware = datetime(2025, 5, 1, 3, 0, tzinfo=UTC)
    expected = T0.astype(np.int64) + 3 * 3600 * 1_000_000
    assert to_us([aware]).tolist() == [expected]
    assert to_us([aware.replace(tzinfo=None)]).tolist() == [expected]
    assert to_us(["2025-05-01T03:00"]).tolist() == [expected]
    assert to_us(np.array([expected])).tolist() == [expected]
    with pytest.raises(ValueError, match="ts must be times"):
        to_us(["yesterday"])


def test_incomplete_declarations_are_named():
    class Bad(Component):
        kind = "Bad Kind"
        alert_kind = "tarp"
        inputs: ClassVar[tuple[Port, ...]] = (Port("value", "float64", "", "Reading."),)
        outputs: ClassVar[tuple[Port, ...]] = (
            Port("flag", "floaty", "-", "A flag of the reading."),
            Port("flag", "bool", "{unknown}", ""),
        )

        @classmethod
        def example(cls):
            raise NotImplementedError

        def _step(self, ts, columns):
            raise NotImplementedError

    problems = "\n".join(check_declarations(Bad))
    for expected in (
        "kind must be dotted lower-case",
        "has no docstring",
        "inputs['value']: no unit",
        "inputs['value']: no doc",
        "outputs['flag']: dtype 'floaty' is not a numpy dtype",
        "outputs['flag']: declared twice",
        "unknown unit placeholder(s) ['unknown']",
        "inputs must include 'ts'",
    ):
        assert expected in problems
    with pytest.raises(TypeError, match="kind must be dotted"):
        register_component(Bad)


def test_outputs_that_break_the_declaration_are_caught():
    @register_component
    class Liar(Component):
        """Returns an output it did not declare."""

        kind = "test.liar"
        outputs: ClassVar[tuple[Port, ...]] = (Port("flag", "bool", "-", "A flag per reading."),)

        @classmethod
        def example(cls):
            return cls("liar", "EX-1", channel_unit="mm")

        def _step(self, ts, columns):
            return {"other": np.zeros(ts.size)}, []

    try:
        with pytest.raises(
            RuntimeError, match=r"returned outputs \['other'\], declared \['flag'\]"
        ):
            Liar.example().update(_signal(5))
        with pytest.raises(TypeError, match="already registered"):
            register_component(type("Liar2", (Liar,), {"__doc__": "Another."}))
    finally:
        from postmine.monitoring import components

        components._REGISTRY.pop("test.liar", None)


def _channel_stack() -> list[Component]:
    return [
        ValueTrigger(
            "value",
            "PR-07",
            channel_unit="mm",
            unit="mm",
            thresholds={"alert": 10.0, "alarm": 20.0, "emergency": 40.0},
            deadband=0.5,
            hold_s=3600.0,
        ),
        RateTrigger(
            "rate",
            "PR-07",
            channel_unit="mm",
            unit="mm/d",
            thresholds={"alert": 3.0, "alarm": 5.0, "emergency": 8.0},
            window_s=6 * 3600.0,
            deadband=0.5,
            hold_s=3600.0,
        ),
        AccelerationTrigger(
            "acceleration",
            "PR-07",
            channel_unit="mm",
            unit="mm/d**2",
            thresholds={"alert": 0.8, "alarm": 2.0},
            window_s=12 * 3600.0,
        ),
        MissingData("missing", "PR-07", channel_unit="mm", expected_interval_s=60.0),
        StuckValue(
            "stuck",
            "PR-07",
            channel_unit="mm",
            tolerance=0.001,
            min_readings=10,
            min_duration_s=1800.0,
        ),
        Spike("spike", "PR-07", channel_unit="mm", z_limit=6.0, window_readings=25),
        Calibration("calibration", "PR-07", channel_unit="mm", valid_until=date(2025, 5, 3)),
    ]


def test_ten_thousand_readings_of_one_channel_go_through_every_rule():
    # one-minute readings of an accelerating slope with noise: every rule does real work.
    # How long it takes is measured in benchmarks/monitoring_ingest.py, not asserted here
    # (issue 16: a timed assertion failed at 54 ms on a loaded machine).
    n = 10_000
    rng = np.random.default_rng(1)
    ts = T0 + np.arange(n) * np.timedelta64(60, "s")
    t_d = np.arange(n) / 1440
    batch = Batch.from_readings("PR-07", ts, 0.5 * t_d**2 + 2 * t_d + rng.normal(0, 0.05, n))
    stack = _channel_stack()
    events = [e for component in stack for e in component.update(batch)]
    assert events  # the slope does raise alerts
    again = [e for component in _channel_stack() for e in component.update(batch)]
    assert [(e.kind, e.level) for e in again] == [(e.kind, e.level) for e in events]


@pytest.mark.parametrize("kind", sorted(REGISTRY))
def test_empty_batch_changes_nothing(kind):
    component = REGISTRY[kind].example()
    empty = Batch.from_readings("EX-1", np.array([], dtype="datetime64[us]"), [])
    assert component.update(empty) == []
    assert all(a.size == 0 for a in component.last_outputs.values())
    assert component.last_us is None
