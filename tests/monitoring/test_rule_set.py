"""A rule set as data: specs built into new components, per channel or all."""

import pytest

from postmine.monitoring.quality import MissingData
from postmine.monitoring.rule_set import FORMAT_VERSION, ChannelSpec, MonitoringRuleSet, RuleSpec
from postmine.monitoring.tarp import RateTrigger, ValueTrigger

RULES = MonitoringRuleSet(
    id="demo",
    title="Demo",
    channels={
        "PZ-01": ChannelSpec("PZ-01", "kPa", expected_interval_s=600.0),
        "PR-07": ChannelSpec("PR-07", "mm"),
    },
    rules=(
        RuleSpec(
            "PZ-01 head", "PZ-01", "tarp.value", {"unit": "kPa", "thresholds": {"alert": 150.0}}
        ),
        RuleSpec("PZ-01 missing", "PZ-01", "quality.missing", {"expected_interval_s": 600.0}),
        RuleSpec(
            "PR-07 velocity",
            "PR-07",
            "tarp.rate",
            {"unit": "mm/d", "thresholds": {"alert": 5.0}, "window_s": 86_400.0},
        ),
    ),
)


def test_build_makes_new_components_in_file_order():
    first, second = RULES.build(), RULES.build()
    assert [type(c) for c in first] == [ValueTrigger, MissingData, RateTrigger]
    assert all(a is not b for a, b in zip(first, second, strict=True))
    assert [c.channel_unit for c in first] == ["kPa", "kPa", "mm"]
    assert RULES.format_version == FORMAT_VERSION


def test_build_of_one_channel_and_by_channel():
    assert [c.name for c in RULES.build("PR-07")] == ["PR-07 velocity"]
    grouped = RULES.by_channel()
    assert {k: [c.name for c in v] for k, v in grouped.items()} == {
        "PZ-01": ["PZ-01 head", "PZ-01 missing"],
        "PR-07": ["PR-07 velocity"],
    }
    with pytest.raises(KeyError, match="channel 'XX' is not declared in rule set demo"):
        RULES.build("XX")
