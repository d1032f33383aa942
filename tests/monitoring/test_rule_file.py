"""The rule-set file: TOML -> validated rule set -> components, and what it refuses.

The packaged example rule set is read and run on an accelerating slope; every malformed
table is refused with a message that names the table and key.
"""

from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from postmine.monitoring.alerts import AlertBook, Level
from postmine.monitoring.components import Batch
from postmine.monitoring.quality import Calibration, MissingData, Spike, StuckValue
from postmine.monitoring.rule_file import parse_rule_set, read_rule_set
from postmine.monitoring.tarp import RateTrigger

EXAMPLE = (
    Path(__file__).resolve().parents[2]
    / "src"
    / "postmine"
    / "data"
    / "monitoring"
    / "example_rules.toml"
)
T0 = np.datetime64("2025-05-01T00:00", "us")


def every(n: int, step_min: float) -> np.ndarray:
    return T0 + (np.arange(n) * step_min * 60e6).astype("timedelta64[us]")


# -- rule-set files --------------------------------------------------------------------------
def test_example_rule_set_loads_and_builds():
    rules = read_rule_set(EXAMPLE)
    assert rules.id == "example-north-dump"
    built = rules.by_channel()
    kinds = {cid: sorted(type(c).__name__ for c in comps) for cid, comps in built.items()}
    assert kinds["PR-07"] == [
        "AccelerationTrigger",
        "Calibration",
        "MissingData",
        "RateTrigger",
        "Spike",
    ]
    assert kinds["PH-01"] == ["Calibration", "MissingData", "ValueTrigger"]
    velocity = next(c for c in built["PR-07"] if c.name == "PR-07 velocity")
    assert isinstance(velocity, RateTrigger)
    assert velocity.window_s == pytest.approx(86400.0)
    assert velocity.hold_s == pytest.approx(21600.0)
    assert velocity.escalate_after_s[Level.EMERGENCY] == pytest.approx(600.0)
    missing = next(c for c in built["PZ-03"] if isinstance(c, MissingData))
    assert missing.limit_s == pytest.approx(3 * 900.0)
    calibration = next(c for c in built["PR-07"] if isinstance(c, Calibration))
    assert calibration.valid_until == datetime(2026, 4, 1, tzinfo=UTC)
    stuck = next(c for c in built["PZ-03"] if isinstance(c, StuckValue))
    assert (stuck.min_readings, stuck.min_duration_s) == (24, 21600.0)
    spike = next(c for c in built["PR-07"] if isinstance(c, Spike))
    assert (spike.z_limit, spike.max_jump, spike.min_mad) == (8.0, 20.0, 0.5)
    assert [c.name for c in rules.build("PH-01")] == [
        "PH-01 acidity",
        "PH-01 missing data",
        "PH-01 calibration",
    ]
    with pytest.raises(KeyError, match="not declared"):
        rules.build("XX-1")


def test_example_rule_set_runs_an_accelerating_slope():
    rules = read_rule_set(EXAMPLE)
    components = rules.build("PR-07")
    book = AlertBook()
    ts = every(6 * 144, 10)  # six days of 10-minute readings
    t_d = np.arange(ts.size) / 144
    displacement = 2.0 * t_d + 1.5 * t_d**2  # velocity 2 + 3 t mm/d
    batch = Batch.from_readings("PR-07", ts, displacement)
    for component in components:
        book.apply(component.update(batch))
    levels = {a.rule: a.level.label for a in book.active("PR-07")}
    # 24 h slope lags half a day: velocity at day 6 reads 2 + 3·5.5 = 18.5 mm/d (alert)
    assert levels == {"PR-07 velocity": "alert", "PR-07 acceleration": "alert"}


def _rule_set(extra: str, channel: str = 'unit = "mm"\nexpected_interval = "10min"') -> str:
    return f'format_version = 1\nid = "t"\ntitle = "T"\n[channels.PR-07]\n{channel}\n{extra}'


TARP = """
[[tarp]]
name = "v"
channel = "PR-07"
measure = "rate"
window = "6h"
unit = "mm/d"
thresholds = { alert = 5.0, alarm = 20.0 }
"""


def test_minimal_rule_set():
    rules = parse_rule_set(_rule_set(TARP))
    (rule,) = rules.build()
    assert isinstance(rule, RateTrigger)
    assert rule.thresholds == {Level.ALERT: 5.0, Level.ALARM: 20.0}


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("id = ", "not valid TOML"),
        (_rule_set(TARP).replace("format_version = 1", "format_version = 2"), "format_version"),
        (_rule_set(TARP).replace('title = "T"\n', ""), "title must be non-empty"),
        (_rule_set(TARP) + "colour = 1\n", "unknown key"),
        (
            _rule_set(TARP.replace("thresholds", "treshold = 1\nthresholds")),
            "unknown key.*treshold",
        ),
        (_rule_set(TARP.replace('"PR-07"', '"PR-08"')), "channel 'PR-08' is not declared"),
        (_rule_set(TARP.replace('"rate"', '"speed"')), "measure must be one of"),
        (_rule_set(TARP.replace('window = "6h"\n', "")), "window must be given"),
        (_rule_set(TARP.replace('"6h"', '"0h"')), "window_s must be > 0"),
        (_rule_set(TARP.replace('"6h"', "6")), "window must be text with a unit"),
        (_rule_set(TARP.replace('unit = "mm/d"\n', "")), "unit must be non-empty"),
        (_rule_set(TARP.replace("alarm = 20.0", "alarm = 4.0")), "rule 'v'.*strictly increase"),
        (_rule_set(TARP.replace("thresholds = { alert = 5.0, alarm = 20.0 }", "")), "thresholds"),
        (_rule_set(TARP + TARP), "rule name 'v' is used twice"),
        (_rule_set(TARP + 'escalate_after = "soon"'), "escalate_after must be a duration"),
        (_rule_set(TARP + "escalate_after = { alarm = 5 }"), "escalate_after.alarm must be text"),
        (_rule_set(TARP, channel='unit = ""'), "unit must be non-empty"),
        (_rule_set(TARP, channel='unit = "mm"\ncalibration_due = "soon"'), "TOML date"),
        (_rule_set(TARP, channel='unit = "mm"\nexpected_interval = "0s"'), "must be > 0 s"),
        ('format_version = 1\nid = "t"\ntitle = "T"\n', "at least one channel"),
        (
            'format_version = 1\ntarp = 1\nid = "t"\ntitle = "T"\n[channels.X]\nunit = "mm"',
            "array of tables",
        ),
    ],
)
def test_rule_set_rejects(text, match):
    with pytest.raises(ValueError, match=match):
        parse_rule_set(text, "test.toml")


QUALITY = """
[[quality]]
name = "{channel} missing"
channel = "*"
check = "missing"
"""


@pytest.mark.parametrize(
    ("text", "match"),
    [
        (_rule_set(QUALITY.replace("{channel} missing", "missing")), "must contain {channel}"),
        (_rule_set(QUALITY.replace('"missing"\n', '"silence"\n')), "check must be one of"),
        (_rule_set(QUALITY, channel='unit = "mm"'), "needs expected_interval"),
        (_rule_set(QUALITY + "factor = 0.5"), "factor must be >= 1"),
        (_rule_set(QUALITY + "tolerance = 1.0"), "unknown key.*tolerance"),
        (_rule_set(QUALITY + 'level = "normal"'), "alert, alarm or emergency"),
        (_rule_set(QUALITY.replace('"missing"\n', '"calibration"\n')), "needs calibration_due"),
        (_rule_set(QUALITY.replace('"missing"\n', '"stuck"\ntolerance = 0.1\n')), "unit of tol"),
        (
            _rule_set(QUALITY.replace('"missing"\n', '"stuck"\ntolerance = 0.1\nunit = "mm"\n')),
            "give min_readings, min_duration_s or both",
        ),
        (
            _rule_set(QUALITY.replace('"missing"\n', '"stuck"\ntolerance = 1\nunit = "kPa"\n')),
            "cannot convert kPa to mm",
        ),
        (_rule_set(QUALITY.replace('"missing"\n', '"spike"\n')), "give z_limit, max_jump"),
        (_rule_set(QUALITY.replace('"missing"\n', '"spike"\nmax_jump = 2.0\n')), "unit of max"),
    ],
)
def test_quality_rule_set_rejects(text, match):
    with pytest.raises(ValueError, match=match):
        parse_rule_set(text, "test.toml")


def test_quality_rule_set_converts_units_of_differences():
    text = _rule_set(
        QUALITY.replace('"missing"\n', '"stuck"\ntolerance = 0.002\nunit = "m"\nmin_readings = 6\n')
    )
    (rule,) = parse_rule_set(text).build()
    assert isinstance(rule, StuckValue)
    assert rule.tolerance == pytest.approx(2.0)  # mm
    assert rule.name == "PR-07 missing"
