"""A monitoring rule set: the channels it watches and the rules on them, as data.

:class:`MonitoringRuleSet` holds what a rule-set file declares -- each channel
(:class:`ChannelSpec`: its canonical unit, expected interval, calibration date) and each rule
(:class:`RuleSpec`: the component ``kind`` and its constructor arguments) -- and turns the
rules into new component instances with :meth:`MonitoringRuleSet.build`, looking each kind up
in :func:`~postmine.monitoring.component_kinds.component_registry`. The TOML file format and
its reader are in :mod:`postmine.monitoring.rule_file`.

Examples
--------
>>> rules = MonitoringRuleSet(
...     id="demo", title="Demo", channels={"PZ-01": ChannelSpec("PZ-01", "m")},
...     rules=(RuleSpec("PZ-01 head", "PZ-01", "tarp.value",
...                     {"unit": "m", "thresholds": {"alert": 12.0}}),))
>>> [type(c).__name__ for c in rules.build()]
['ValueTrigger']
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from postmine.monitoring.component_kinds import component_registry
from postmine.monitoring.components import Component

__all__ = ["FORMAT_VERSION", "ChannelSpec", "MonitoringRuleSet", "RuleSpec"]

FORMAT_VERSION = 1
"""Version of the rule-set file format (:mod:`postmine.monitoring.rule_file`)."""


@dataclass(frozen=True)
class ChannelSpec:
    """A channel as a rule set declares it.

    Attributes
    ----------
    id : str
        Channel identifier (as in the registry).
    unit : str
        Canonical unit of its readings.
    expected_interval_s : float or None
        Expected time between readings (for the missing-data check). [s]
    calibration_due : date or datetime or None
        Date by which the sensor must be calibrated again (valid through that day, UTC).
    """

    id: str
    unit: str
    expected_interval_s: float | None = None
    calibration_due: date | datetime | None = None


@dataclass(frozen=True)
class RuleSpec:
    """One rule of a rule set: the component kind and its constructor arguments."""

    name: str
    channel: str
    kind: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class MonitoringRuleSet:
    """A validated monitoring rule set: channels and the TARP and data-quality rules on them."""

    id: str
    title: str
    channels: Mapping[str, ChannelSpec]
    rules: tuple[RuleSpec, ...]
    origin: str = ""
    format_version: int = FORMAT_VERSION

    def build(self, channel: str | None = None) -> list[Component]:
        """Return new components for every rule (of one channel), in file order.

        Raises
        ------
        KeyError
            If ``channel`` is not declared.
        """
        if channel is not None and channel not in self.channels:
            raise KeyError(f"channel {channel!r} is not declared in rule set {self.id}")
        registry = component_registry()
        return [
            registry[spec.kind](
                spec.name,
                spec.channel,
                channel_unit=self.channels[spec.channel].unit,
                **spec.params,
            )
            for spec in self.rules
            if channel is None or spec.channel == channel
        ]

    def by_channel(self) -> dict[str, list[Component]]:
        """Return new components grouped by channel (every declared channel, maybe none)."""
        out: dict[str, list[Component]] = {c: [] for c in self.channels}
        for component in self.build():
            out[component.channel].append(component)
        return out
