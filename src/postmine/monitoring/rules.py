"""TARP rules: alert levels per channel on value, rate of change and acceleration.

A Trigger-Action-Response Plan (TARP) maps an instrument's measure to a level, normal <
alert < alarm < emergency, each with its response (inspect, restrict access, evacuate ...).
Geotechnical TARPs are mostly written on displacement *velocity* and *acceleration* (radar
and prism practice: mm/day bands, "slope collapse is unlikely in the absence of
acceleration" [1]_, [2]_), water TARPs on levels and pH; general IoT platforms lack rate
alarms, which is why they are native here.

Three rules, each a :class:`~postmine.monitoring.components.Component`:

``tarp.value`` (:class:`ValueTrigger`)
    the reading itself, converted to the rule's unit.
``tarp.rate`` (:class:`RateTrigger`)
    the rate of change over a trailing window W: the least-squares slope of the readings in
    ``[t − W, t]`` (robust to irregular sampling and less noisy than a two-point
    difference); defined once the channel has been watched for W and the window holds
    ``min_points`` readings.
``tarp.acceleration`` (:class:`AccelerationTrigger`)
    the change of that rate between two consecutive windows, ``a(t) = (r(t) − r(t − W)) / W``
    with ``r`` the slope over ``[t − W, t]`` and ``[t − 2W, t − W]``; defined after 2W.

A windowed measure lags the truth: the slope over W estimates the rate at ``t − W/2``, the
acceleration the acceleration at ``t − W``.

Levels and hysteresis
    ``thresholds`` gives the level of each threshold in the rule's unit; ``direction``
    says which way is bad: ``"rising"`` (a level is entered when the measure is ``>=`` its
    threshold; thresholds increase with the level), ``"falling"`` (``<=``, thresholds
    decrease: pH) or ``"both"`` (on the magnitude). A level is entered at the first reading
    that reaches its threshold, higher levels at once. A level is left only when the measure
    has stayed beyond ``threshold − deadband`` (``+ deadband`` falling) for ``hold``
    seconds, reading after reading; the rule then drops to the level the measure holds at
    that reading. A reading whose measure is not defined (not enough history) neither
    raises nor clears, and it interrupts a hold (conservative).

Each level may have an ``escalate_after`` time: the :class:`~postmine.monitoring.alerts.
AlertBook` escalates an alert that nobody acknowledged that long after the level was entered.

Rule sets are data: a TOML file read by :func:`read_rule_set` / :func:`parse_rule_set` (the
format is in the docstring of :func:`parse_rule_set`), validated on load (thresholds
ordered, windows positive, units declared and convertible, no unknown keys), and turned into
components by :meth:`MonitoringRuleSet.build`. A ``[[slope]]`` table of a rule set watches
the factor of safety of a slope section file from its piezometers
(:class:`~postmine.monitoring.slope_watch.SlopeFactorWatch`, kind ``tarp.slope_factor``):
one component fed by every piezometer channel, its alerts raised on one of them.

References
----------
.. [1] Dick, G.J., Eberhardt, E., Cabrejo-Liévano, A.G., Stead, D., Rose, N.D. (2015).
   Development of an early-warning time-of-failure analysis methodology for open-pit mine
   slopes utilizing ground-based slope stability radar monitoring data. Canadian
   Geotechnical Journal 52, 515-529.
.. [2] Carlà, T., Intrieri, E., Di Traglia, F., Nolesini, T., Gigli, G., Casagli, N. (2017).
   Guidelines on the use of inverse velocity method as a tool for setting alarm thresholds
   and forecasting landslides and structure collapses. Landslides 14, 517-534.

Examples
--------
>>> import numpy as np
>>> from postmine.monitoring.components import Batch
>>> rule = ValueTrigger("PZ-01 head", "PZ-01", channel_unit="m", unit="m",
...                     thresholds={"alert": 12.0, "alarm": 14.0}, deadband=0.5, hold_s=3600)
>>> ts = np.datetime64("2025-05-01T00:00", "us") + np.arange(6) * np.timedelta64(30, "m")
>>> events = rule.update(Batch.from_readings("PZ-01", ts, [11.0, 12.1, 14.2, 13.0, 11.4, 11.3]))
>>> [(e.action, e.level.label) for e in events]
[('raise', 'alert'), ('raise', 'alarm'), ('lower', 'alert')]
>>> rule.last_outputs["level"].tolist()
[0, 1, 2, 2, 2, 1]
"""

from __future__ import annotations

import itertools
import math
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any, ClassVar, Literal, cast, get_args

import numpy as np
import numpy.typing as npt

from postmine.monitoring.alerts import AlertEvent, Level
from postmine.monitoring.components import (
    Component,
    FloatArray,
    Int64Array,
    Port,
    component_registry,
    register_component,
)
from postmine.monitoring.units import converter

__all__ = [
    "DIRECTIONS",
    "MEASURES",
    "AccelerationTrigger",
    "ChannelSpec",
    "Direction",
    "Measure",
    "MonitoringRuleSet",
    "RateTrigger",
    "RuleSpec",
    "TarpRule",
    "ValueTrigger",
    "format_duration",
    "parse_duration",
    "parse_rule_set",
    "read_rule_set",
    "window_slopes",
]

Direction = Literal["rising", "falling", "both"]
Measure = Literal["value", "rate", "acceleration"]
DIRECTIONS: tuple[str, ...] = get_args(Direction)
MEASURES: tuple[str, ...] = get_args(Measure)
FORMAT_VERSION = 1
"""Version of the rule-set file format this module reads."""

_US = 1_000_000
_CHUNK = 4096  # new readings per slope computation: bounds the span of the prefix sums
_DURATION = re.compile(r"\s*(\d+(?:\.\d*)?|\.\d+)\s*(s|min|h|d)\s*")
_SECONDS = {"s": 1.0, "min": 60.0, "h": 3600.0, "d": 86400.0}

Converter = Callable[[npt.ArrayLike], FloatArray]


# -- durations and units ---------------------------------------------------------------------
def parse_duration(text: str | float | int, name: str = "duration") -> float:
    """Return a duration in seconds from text such as ``"30s"``, ``"10min"``, ``"6h"``, ``"1d"``.

    A bare number is taken as seconds.

    Parameters
    ----------
    text : str or float
        The duration. [s, min, h or d as written]
    name : str
        Name used in the error message.

    Returns
    -------
    float
        The duration. [s]

    Raises
    ------
    ValueError
        If the text is not a number followed by s, min, h or d, or is negative.

    Examples
    --------
    >>> parse_duration("1.5h")
    5400.0
    >>> parse_duration("2 weeks", "hold")
    Traceback (most recent call last):
    ...
    ValueError: hold must be a duration such as '30s', '10min', '6h' or '1d', got '2 weeks'
    """
    if isinstance(text, bool):
        raise ValueError(f"{name} must be a duration, got {text!r}")
    if isinstance(text, int | float):
        seconds = float(text)
    else:
        match = _DURATION.fullmatch(str(text))
        if match is None:
            raise ValueError(
                f"{name} must be a duration such as '30s', '10min', '6h' or '1d', got {text!r}"
            )
        seconds = float(match.group(1)) * _SECONDS[match.group(2)]
    if not math.isfinite(seconds) or seconds < 0:
        raise ValueError(f"{name} must be >= 0 s, got {text!r}")
    return seconds


def format_duration(seconds: float) -> str:
    """Return a duration in the largest unit that divides it: ``"6h"``, ``"90s"``.

    Examples
    --------
    >>> format_duration(86400.0), format_duration(5400.0), format_duration(90.0)
    ('1d', '90min', '90s')
    """
    for unit in ("d", "h", "min"):
        size = _SECONDS[unit]
        if seconds >= size and float(seconds / size).is_integer():
            return f"{seconds / size:g}{unit}"
    return f"{seconds:g}s"


def _converter(source: str, target: str) -> Converter:
    if source.strip() == target.strip():
        return lambda values: np.asarray(values, dtype=np.float64)
    return converter(source, target)


def _per_time(unit: str, power: int) -> str:
    return f"({unit})/s" if power == 1 else f"({unit})/s**{power}"


def _fmt(x: float) -> str:
    return f"{x:.4g}"


def window_slopes(
    t_s: FloatArray, y: FloatArray, lo: Int64Array, hi: Int64Array, min_points: int = 2
) -> FloatArray:
    """Least-squares slope of ``y`` on ``t_s`` over each index window ``[lo[k], hi[k]]``.

    Uses prefix sums, so the cost is O(len(t_s) + len(lo)) whatever the window lengths.
    Times and values are taken relative to their first element to limit cancellation.

    Parameters
    ----------
    t_s : ndarray
        Times, non-decreasing. [s]
    y : ndarray
        Values at those times. [y]
    lo, hi : ndarray of int
        First and last index of each window (inclusive). [-]
    min_points : int
        Fewest readings a window needs; fewer, or all at one time, gives NaN. [-]

    Returns
    -------
    ndarray
        Slope of each window. [y/s]

    Raises
    ------
    ValueError
        If ``min_points < 2`` or the arrays differ in length.

    Examples
    --------
    >>> t = np.array([0.0, 1.0, 2.0, 3.0]); y = 2.0 * t + 1.0
    >>> window_slopes(t, y, np.array([0, 1]), np.array([2, 3]))
    array([2., 2.])
    """
    if min_points < 2:
        raise ValueError(f"min_points must be >= 2, got {min_points}")
    if t_s.shape != y.shape or lo.shape != hi.shape:
        raise ValueError("t_s and y, and lo and hi, must have equal shapes")
    x = t_s - t_s[0] if t_s.size else t_s
    v = y - y[0] if y.size else y

    def prefix(a: FloatArray) -> FloatArray:
        out = np.empty(a.size + 1)
        out[0] = 0.0
        np.cumsum(a, out=out[1:])
        return out

    sx, sy, sxx, sxy = prefix(x), prefix(v), prefix(x * x), prefix(x * v)
    end = hi + 1
    n = (end - lo).astype(np.float64)
    Sx, Sy = sx[end] - sx[lo], sy[end] - sy[lo]
    Sxx, Sxy = sxx[end] - sxx[lo], sxy[end] - sxy[lo]
    den = n * Sxx - Sx * Sx
    num = n * Sxy - Sx * Sy
    ok = (n >= min_points) & (den > 1e-12 * np.maximum(n * Sxx, 1e-300))
    out = np.full(lo.shape, np.nan)
    np.divide(num, den, out=out, where=ok)
    return out


def _next_true(mask: npt.NDArray[np.bool_]) -> Int64Array:
    """Index of the first True at or after each position (``len(mask)`` if none), plus one."""
    n = mask.size
    idx = np.where(mask, np.arange(n, dtype=np.int64), n)
    out = np.empty(n + 1, dtype=np.int64)
    out[n] = n
    out[:n] = np.minimum.accumulate(idx[::-1])[::-1]
    return out


# -- TARP rules ------------------------------------------------------------------------------
class TarpRule(Component):
    """Base of the TARP rules: levels, hysteresis and escalation on a per-reading measure.

    Parameters
    ----------
    name : str
        Name of the rule (unique in its rule set).
    channel : str
        Channel it watches.
    channel_unit : str
        Canonical unit of the channel's readings.
    unit : str
        Unit of the measure and of the thresholds: the channel's unit (or one convertible
        to it) for a value, per time for a rate (``mm/d``), per time squared for an
        acceleration (``mm/d**2``).
    thresholds : mapping of level to float
        Threshold of each level used (``{"alert": 5, "alarm": 20}``). [unit]
    direction : {"rising", "falling", "both"}
        Which way is bad (see the module docstring).
    deadband : float
        How far back past a threshold the measure must go to release its level. [unit]
    hold_s : float
        How long it must stay there, reading after reading. [s]
    escalate_after_s : float or mapping of level to float, optional
        Escalate an unacknowledged alert this long after its level was entered; one time
        for every level, or one per level; None: never. [s]

    Raises
    ------
    ValueError
        If the thresholds are empty, not finite, not ordered for the direction, the
        deadband or hold is negative (or, for ``"both"``, the deadband reaches below
        zero), a level is unknown, or the unit does not convert.
    """

    alert_kind = "tarp"
    outputs: ClassVar[tuple[Port, ...]] = (
        Port(
            "measure",
            "float64",
            "{rule_unit}",
            "Measure the thresholds apply to, NaN if not yet defined.",
        ),
        Port(
            "level",
            "int8",
            "-",
            "TARP level after the reading: 0 normal, 1 alert, 2 alarm, 3 emergency.",
        ),
    )
    measure: ClassVar[Measure] = "value"
    _power: ClassVar[int] = 0  # power of time in the measure's unit (0 value, 1 rate, 2 acc.)

    def __init__(
        self,
        name: str,
        channel: str,
        *,
        channel_unit: str,
        unit: str,
        thresholds: Mapping[Level | str, float],
        direction: Direction = "rising",
        deadband: float = 0.0,
        hold_s: float = 0.0,
        escalate_after_s: float | Mapping[Level | str, float] | None = None,
    ) -> None:
        super().__init__(name, channel, channel_unit=channel_unit)
        if not isinstance(unit, str) or not unit.strip():
            raise ValueError(f"unit must be declared, got {unit!r}")
        self.unit = unit.strip()
        internal = channel_unit if self._power == 0 else _per_time(channel_unit, self._power)
        self._to_rule = _converter(internal, self.unit)
        if direction not in DIRECTIONS:
            raise ValueError(f"direction must be one of {', '.join(DIRECTIONS)}, got {direction!r}")
        self.direction: Direction = direction
        if not thresholds:
            raise ValueError("thresholds must give at least one level")
        pairs = sorted((Level.parse(k), v) for k, v in thresholds.items())
        for level, value in pairs:
            if level == Level.NORMAL:
                raise ValueError("thresholds may be given for alert, alarm and emergency only")
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"threshold of {level.label} must be a number, got {value!r}")
            if not math.isfinite(value):
                raise ValueError(f"threshold of {level.label} must be finite, got {value}")
        self.levels = tuple(level for level, _ in pairs)
        self.thresholds = {level: float(value) for level, value in pairs}
        self._sign = -1.0 if direction == "falling" else 1.0
        enter = np.array([self._sign * v for _, v in pairs])
        if np.any(np.diff(enter) <= 0):
            order = "decrease" if direction == "falling" else "increase"
            shown = ", ".join(f"{lvl.label} {_fmt(v)}" for lvl, v in pairs)
            raise ValueError(
                f"thresholds must strictly {order} from alert to emergency for direction "
                f"{direction!r}, got {shown} [{self.unit}]"
            )
        if direction == "both" and enter[0] <= 0:
            raise ValueError(
                f"thresholds of direction 'both' apply to the magnitude and must be > 0, "
                f"got {_fmt(enter[0])} [{self.unit}]"
            )
        if not (math.isfinite(deadband) and deadband >= 0):
            raise ValueError(f"deadband must be >= 0 {self.unit}, got {deadband}")
        if direction == "both" and deadband >= enter[0]:
            raise ValueError(
                f"deadband must be < the lowest threshold ({_fmt(enter[0])} {self.unit}) for "
                f"direction 'both', got {deadband}"
            )
        if not (math.isfinite(hold_s) and hold_s >= 0):
            raise ValueError(f"hold_s must be >= 0 s, got {hold_s}")
        self.deadband = float(deadband)
        self.hold_s = float(hold_s)
        self._enter = enter
        self._release = enter - self.deadband
        self.escalate_after_s = _escalation(escalate_after_s, self.levels)
        self._latched = [False] * len(self.levels)  # latch of each level
        self._starts: list[int | None] = [None] * len(self.levels)  # start of its hold (µs)
        self._index = 0  # the current level: 0 normal, k: self.levels[k - 1]

    @property
    def rule_unit(self) -> str:
        """Unit of the measure and the thresholds."""
        return self.unit

    @property
    def level(self) -> Level:
        """Current level of the rule."""
        return Level.NORMAL if self._index == 0 else self.levels[self._index - 1]

    def _measure_label(self) -> str:
        return self.measure

    @classmethod
    def _example_thresholds(cls) -> dict[str, Any]:
        return {"unit": "mm", "thresholds": {"alert": 5.0, "alarm": 10.0, "emergency": 20.0}}

    # -- measure ---------------------------------------------------------------------------
    def _measure(self, ts: Int64Array, values: FloatArray) -> FloatArray:
        """Measure of each new reading in the channel's unit per s**power (NaN: undefined)."""
        return values

    # -- the step --------------------------------------------------------------------------
    def _step(
        self, ts: Int64Array, columns: dict[str, np.ndarray[Any, Any]]
    ) -> tuple[dict[str, np.ndarray[Any, Any]], list[AlertEvent]]:
        measure = np.asarray(self._to_rule(self._measure(ts, columns["value"])), np.float64)
        signed = np.abs(measure) if self.direction == "both" else self._sign * measure
        defined = np.isfinite(signed)
        before = self._index
        index = np.zeros(ts.size, dtype=np.int64)
        for k in range(len(self.levels)):
            up = defined & (signed >= self._enter[k])
            below = defined & (signed < self._release[k])
            index += self._run_level(k, ts, up, below)
        previous = np.empty_like(index)
        previous[0] = before
        previous[1:] = index[:-1]
        events = [
            self._transition(int(previous[j]), int(index[j]), int(ts[j]), float(measure[j]))
            for j in np.flatnonzero(index != previous)
        ]
        self._index = int(index[-1])
        names = np.array([0, *[int(level) for level in self.levels]], dtype=np.int8)
        return {"measure": measure, "level": names[index]}, events

    def _run_level(
        self,
        k: int,
        ts: Int64Array,
        up: npt.NDArray[np.bool_],
        below: npt.NDArray[np.bool_],
    ) -> npt.NDArray[np.bool_]:
        """Run the latch of level ``k`` over the readings; return it after each reading.

        The latch sets at the first reading with the measure at or beyond the threshold and
        releases at the first reading at which the measure has been beyond the release
        value (threshold minus deadband) for ``hold_s``, reading after reading. Levels
        latch and release in order (a higher level latches only with the lower ones and
        releases no later), so the current level is the number of latched levels. The loop
        jumps from event to event (``_next_true``), so its cost grows with the number of
        level changes, not of readings.
        """
        n = ts.size
        hold_us = round(self.hold_s * _US)
        initial = latched = self._latched[k]
        start = self._starts[k]
        next_up = next_below = next_back = None
        toggles: list[int] = []
        i = 0
        while i < n:
            if not latched:
                next_up = _next_true(up) if next_up is None else next_up
                j = int(next_up[i])
                if j >= n:
                    break
                latched, start, i = True, None, j + 1
                toggles.append(j)
            elif start is None:
                next_below = _next_true(below) if next_below is None else next_below
                j = int(next_below[i])
                if j >= n:
                    break
                start, i = int(ts[j]), j
            else:
                next_back = _next_true(~below) if next_back is None else next_back
                k_back = int(next_back[i])
                k_time = max(i, int(np.searchsorted(ts, start + hold_us, side="left")))
                if k_time < min(k_back, n):
                    latched, start, i = False, None, k_time + 1
                    toggles.append(k_time)
                elif k_back < n:
                    start, i = None, k_back
                else:
                    break
        self._latched[k], self._starts[k] = latched, start
        state = np.full(len(toggles) + 1, initial)  # the latch alternates at each toggle
        state[1::2] = not initial
        return state[np.searchsorted(np.array(toggles, dtype=np.int64), np.arange(n), "right")]

    def _raise_context(self, at_us: int) -> str:
        """Text appended to the message of a raised level (subclasses add what caused it)."""
        return ""

    def _transition(self, old: int, new: int, at_us: int, measure: float) -> AlertEvent:
        label = self._measure_label()
        unit = "" if self.unit == "-" else f" {self.unit}"  # a pure number shows no unit
        if new > old:
            level = self.levels[new - 1]
            sign = "<=" if self.direction == "falling" else ">="
            shown = f"|{label}|" if self.direction == "both" else label
            size = abs(measure) if self.direction == "both" else measure
            message = (
                f"{shown} {_fmt(size)}{unit} {sign} {level.label} threshold "
                f"{_fmt(self.thresholds[level])}{unit}{self._raise_context(at_us)}"
            )
            return self._event(
                "raise",
                level,
                at_us,
                measure,
                message,
                escalate_after_s=self.escalate_after_s.get(level),
            )
        left = self.levels[old - 1]
        release = self.thresholds[left] - self._sign * self.deadband
        side = "above" if self.direction == "falling" else "below"
        message = (
            f"{label} {_fmt(measure)}{unit} stayed {side} {left.label} release "
            f"{_fmt(release)}{unit} for {format_duration(self.hold_s)}"
        )
        if new == 0:
            return self._event("clear", Level.NORMAL, at_us, measure, message + ": cleared")
        level = self.levels[new - 1]
        return self._event("lower", level, at_us, measure, message + f": now {level.label}")

    # -- state -----------------------------------------------------------------------------
    def _get_state(self) -> dict[str, Any]:
        return {"latched": list(self._latched), "hold_start_us": list(self._starts)}

    def _set_state(self, state: Mapping[str, Any]) -> None:
        latched = [bool(x) for x in state["latched"]]
        starts = [None if x is None else int(x) for x in state["hold_start_us"]]
        if len(latched) != len(self.levels) or len(starts) != len(self.levels):
            raise ValueError(
                f"{self._label()}: state has {len(latched)} levels, not {len(self.levels)}"
            )
        if any(b and not a for a, b in itertools.pairwise(latched)):
            raise ValueError(f"{self._label()}: a level is latched without the one below it")
        self._latched, self._starts = latched, starts
        self._index = sum(latched)


def _escalation(
    value: float | Mapping[Level | str, float] | None, levels: tuple[Level, ...]
) -> dict[Level, float]:
    if value is None:
        return {}
    if isinstance(value, Mapping):
        out = {Level.parse(k): float(v) for k, v in value.items()}
    else:
        out = dict.fromkeys(levels, float(value))
    for level, seconds in out.items():
        if level == Level.NORMAL:
            raise ValueError("escalate_after may be given for alert, alarm and emergency only")
        if not (math.isfinite(seconds) and seconds > 0):
            raise ValueError(f"escalate_after of {level.label} must be > 0 s, got {seconds}")
    return out


@register_component
class ValueTrigger(TarpRule):
    """TARP levels on the reading itself (e.g. piezometric head, pH, sulphate)."""

    kind = "tarp.value"
    measure = "value"

    @classmethod
    def example(cls) -> ValueTrigger:
        """Return a rule on a displacement channel in mm with three levels."""
        return cls("example value", "EX-1", channel_unit="mm", **cls._example_thresholds())


class _WindowedTrigger(TarpRule):
    """A TARP rule on a measure over trailing time windows, with a buffer of past readings."""

    _windows: ClassVar[int] = 1  # windows of history the measure needs

    def __init__(
        self,
        name: str,
        channel: str,
        *,
        window_s: float,
        min_points: int = 3,
        **kwargs: Any,
    ) -> None:
        super().__init__(name, channel, **kwargs)
        if not (isinstance(window_s, int | float) and math.isfinite(window_s) and window_s > 0):
            raise ValueError(f"window_s must be > 0 s, got {window_s}")
        if isinstance(min_points, bool) or not isinstance(min_points, int) or min_points < 2:
            raise ValueError(f"min_points must be an integer >= 2, got {min_points!r}")
        self.window_s = float(window_s)
        self.min_points = min_points
        self._window_us = round(self.window_s * _US)
        self._first: int | None = None
        self._hist_ts = np.zeros(0, np.int64)
        self._hist_v = np.zeros(0, np.float64)

    def _measure(self, ts: Int64Array, values: FloatArray) -> FloatArray:
        if self._first is None:
            self._first = int(ts[0])
        old = self._hist_ts.size
        all_ts = np.concatenate((self._hist_ts, ts))
        all_v = np.concatenate((self._hist_v, values))
        out = np.empty(ts.size)
        for a in range(old, all_ts.size, _CHUNK):
            b = min(a + _CHUNK, all_ts.size)
            out[a - old : b - old] = self._windowed(all_ts, all_v, a, b)
        span = self._windows * self._window_us
        keep = int(np.searchsorted(all_ts, all_ts[-1] - span, side="left"))
        self._hist_ts, self._hist_v = all_ts[keep:].copy(), all_v[keep:].copy()
        return out

    def _windowed(self, ts: Int64Array, v: FloatArray, a: int, b: int) -> FloatArray:
        raise NotImplementedError

    def _get_state(self) -> dict[str, Any]:
        return {
            **super()._get_state(),
            "first_us": self._first,
            "history_us": self._hist_ts,
            "history_values": self._hist_v,
        }

    def _set_state(self, state: Mapping[str, Any]) -> None:
        super()._set_state(state)
        first = state.get("first_us")
        self._first = None if first is None else int(first)
        self._hist_ts = np.asarray(state.get("history_us", []), dtype=np.int64)
        self._hist_v = np.asarray(state.get("history_values", []), dtype=np.float64)
        if self._hist_ts.shape != self._hist_v.shape:
            raise ValueError(f"{self._label()}: history times and values differ in length")


@register_component
class RateTrigger(_WindowedTrigger):
    """TARP levels on the rate of change over a trailing window (e.g. velocity in mm/d).

    Parameters
    ----------
    window_s : float
        Length W of the window the slope is fitted over. [s]
    min_points : int
        Fewest readings in a window for a rate. [-]
    **kwargs
        As :class:`TarpRule`; ``unit`` is the channel's unit per time (``mm/d``).
    """

    kind = "tarp.rate"
    measure = "rate"
    _power = 1
    _windows = 1

    @classmethod
    def example(cls) -> RateTrigger:
        """Return a 6-hour velocity rule in mm/d on a displacement channel in mm."""
        return cls(
            "example rate",
            "EX-1",
            channel_unit="mm",
            unit="mm/d",
            thresholds={"alert": 5.0, "alarm": 20.0, "emergency": 50.0},
            window_s=6 * 3600.0,
        )

    def _measure_label(self) -> str:
        return f"rate over {format_duration(self.window_s)}"

    def _windowed(self, ts: Int64Array, v: FloatArray, a: int, b: int) -> FloatArray:
        first = self._first if self._first is not None else int(ts[0])
        now = ts[a:b]
        lo = np.searchsorted(ts, now - self._window_us, side="left")
        base = int(lo[0])
        t_s = (ts[base:b] - ts[base]) / _US
        hi = np.arange(a, b, dtype=np.int64)
        rate = window_slopes(t_s, v[base:b], lo - base, hi - base, self.min_points)
        rate[now - self._window_us < first] = np.nan
        return rate


@register_component
class AccelerationTrigger(_WindowedTrigger):
    """TARP levels on the change of rate between two consecutive windows (mm/d²).

    Parameters
    ----------
    window_s : float
        Length W of each of the two windows. [s]
    min_points : int
        Fewest readings in each window. [-]
    **kwargs
        As :class:`TarpRule`; ``unit`` is the channel's unit per time squared (``mm/d**2``).
    """

    kind = "tarp.acceleration"
    measure = "acceleration"
    _power = 2
    _windows = 2

    @classmethod
    def example(cls) -> AccelerationTrigger:
        """Return a 12-hour acceleration rule in mm/d² on a displacement channel in mm."""
        return cls(
            "example acceleration",
            "EX-1",
            channel_unit="mm",
            unit="mm/d**2",
            thresholds={"alert": 2.0, "alarm": 10.0},
            window_s=12 * 3600.0,
        )

    def _measure_label(self) -> str:
        return f"acceleration over 2 x {format_duration(self.window_s)}"

    def _windowed(self, ts: Int64Array, v: FloatArray, a: int, b: int) -> FloatArray:
        first = self._first if self._first is not None else int(ts[0])
        w = self._window_us
        now = ts[a:b]
        lo1 = np.searchsorted(ts, now - w, side="left")
        lo2 = np.searchsorted(ts, now - 2 * w, side="left")
        hi2 = np.searchsorted(ts, now - w, side="right") - 1
        base = int(lo2[0])
        t_s = (ts[base:b] - ts[base]) / _US
        hi1 = np.arange(a, b, dtype=np.int64)
        y = v[base:b]
        r1 = window_slopes(t_s, y, lo1 - base, hi1 - base, self.min_points)
        r2 = window_slopes(t_s, y, lo2 - base, np.maximum(hi2, lo2 - 1) - base, self.min_points)
        acc = (r1 - r2) / self.window_s
        acc[now - 2 * w < first] = np.nan
        return acc


# -- rule sets -------------------------------------------------------------------------------
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


_TOP_KEYS = {
    "format_version",
    "id",
    "title",
    "description",
    "channels",
    "tarp",
    "quality",
    "slope",
}
_CHANNEL_KEYS = {"unit", "expected_interval", "calibration_due", "description"}
_TARP_KEYS = {
    "name",
    "channel",
    "measure",
    "unit",
    "thresholds",
    "direction",
    "deadband",
    "hold",
    "escalate_after",
    "description",
}
_WINDOW_KEYS = {"window", "min_points"}
_SLOPE_KEYS = {
    "name",
    "section_file",
    "channel",
    "thresholds",
    "deadband",
    "hold",
    "escalate_after",
    "method",
    "reading",
    "search_every",
    "description",
}
_QUALITY_COMMON = {"name", "channel", "check", "level", "escalate_after", "description"}
_QUALITY_KEYS = {
    "missing": {"factor", "expected_interval"},
    "stuck": {"tolerance", "unit", "min_readings", "min_duration"},
    "spike": {"window_readings", "z_limit", "max_jump", "min_mad", "unit"},
    "calibration": {"calibration_due"},
}


class _Reader:
    """Reads one rule-set table, naming where a problem is."""

    def __init__(self, where: str, table: Any, allowed: set[str]) -> None:
        if not isinstance(table, dict):
            raise ValueError(f"{where} must be a table, got {table!r}")
        unknown = sorted(set(table) - allowed)
        if unknown:
            raise ValueError(
                f"{where}: unknown key(s) {', '.join(unknown)}; "
                f"allowed: {', '.join(sorted(allowed))}"
            )
        self.where, self.table = where, table

    def text(self, key: str, default: str | None = None) -> str:
        value = self.table.get(key, default)
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"{self.where}: {key} must be non-empty text, got {value!r}")
        return value.strip()

    def number(self, key: str, default: float | None = None) -> float:
        value = self.table.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"{self.where}: {key} must be a number, got {value!r}")
        return float(value)

    def integer(self, key: str, default: int | None = None) -> int:
        value = self.table.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{self.where}: {key} must be an integer, got {value!r}")
        return value

    def duration(self, key: str, default: str | None = None) -> float:
        value = self.table.get(key, default)
        if value is None:
            raise ValueError(f"{self.where}: {key} must be given (a duration such as '6h')")
        if not isinstance(value, str):
            raise ValueError(f"{self.where}: {key} must be text with a unit such as '6h'")
        return parse_duration(value, f"{self.where}: {key}")

    def optional(self, key: str) -> Any:
        return self.table.get(key)


def _calibration_due(where: str, value: Any) -> date | datetime:
    if isinstance(value, date):  # datetime is a date too
        return value
    raise ValueError(f"{where}: calibration_due must be a TOML date (2026-03-31), got {value!r}")


def _escalate(reader: _Reader) -> float | dict[Level, float] | None:
    value = reader.optional("escalate_after")
    if value is None:
        return None
    if isinstance(value, dict):
        return {
            Level.parse(k): parse_duration(v, f"{reader.where}: escalate_after.{k}")
            if isinstance(v, str)
            else _bad_duration(reader.where, k, v)
            for k, v in value.items()
        }
    if not isinstance(value, str):
        return _bad_duration(reader.where, "", value)
    return parse_duration(value, f"{reader.where}: escalate_after")


def _bad_duration(where: str, key: str, value: Any) -> float:
    name = f"escalate_after.{key}" if key else "escalate_after"
    raise ValueError(f"{where}: {name} must be text with a unit such as '30min', got {value!r}")


def _tarp_spec(where: str, table: Any, channels: Mapping[str, ChannelSpec]) -> RuleSpec:
    measure = table.get("measure") if isinstance(table, dict) else None
    if measure not in MEASURES:
        raise ValueError(f"{where}: measure must be one of {', '.join(MEASURES)}, got {measure!r}")
    allowed = _TARP_KEYS | (_WINDOW_KEYS if measure != "value" else set())
    reader = _Reader(where, table, allowed)
    name, channel = reader.text("name"), reader.text("channel")
    if channel not in channels:
        raise ValueError(f"{where}: channel {channel!r} is not declared under [channels]")
    thresholds = reader.optional("thresholds")
    if not isinstance(thresholds, dict) or not thresholds:
        raise ValueError(f"{where}: thresholds must be a table such as {{ alert = 5.0 }}")
    params: dict[str, Any] = {
        "unit": reader.text("unit"),
        "thresholds": {Level.parse(k): _threshold(where, k, v) for k, v in thresholds.items()},
        "direction": reader.text("direction", "rising"),
        "deadband": reader.number("deadband", 0.0),
        "hold_s": reader.duration("hold", "0s"),
        "escalate_after_s": _escalate(reader),
    }
    if measure != "value":
        params["window_s"] = reader.duration("window")
        params["min_points"] = reader.integer("min_points", 3)
    kind = f"tarp.{measure}"
    return RuleSpec(name, channel, kind, params)


def _base_dir(origin: str) -> Path:
    """Directory relative section files are found from: the rule-set file's, else the CWD."""
    file = Path(origin)
    return file.parent if origin and file.is_file() else Path.cwd()


def _slope_spec(
    where: str, table: Any, channels: Mapping[str, ChannelSpec], base: Path
) -> RuleSpec:
    """Return the spec of a ``[[slope]]`` table: F of a section file from its piezometers."""
    from postmine.geotech.section_file import read_section_file
    from postmine.geotech.slip_search import auto_search_grid
    from postmine.geotech.slope_stability import METHODS
    from postmine.monitoring.slope_watch import DEFAULT_THRESHOLDS, READINGS, SlopeWatchConfig

    reader = _Reader(where, table, _SLOPE_KEYS)
    name = reader.text("name")
    path = Path(reader.text("section_file")).expanduser()
    path = path if path.is_absolute() else base / path
    try:
        slope = read_section_file(path)
    except (ValueError, OSError) as exc:
        raise ValueError(f"{where}: section_file: {exc}") from None
    keys = [p.channel for p in slope.piezometers]
    if not keys:
        raise ValueError(f"{where}: section_file {path} lists no [[piezometers]] to watch")
    missing = [key for key in keys if key not in channels]
    if missing:
        shown = ", ".join(repr(key) for key in missing)
        raise ValueError(
            f"{where}: piezometer channel(s) {shown} of section_file {path} must be declared "
            "under [channels]"
        )
    channel = reader.text("channel", keys[0])
    if channel not in keys:
        raise ValueError(
            f"{where}: channel {channel!r} must be one of the piezometers of section_file "
            f"{path}: {keys}"
        )
    units = {key: channels[key].unit for key in keys}
    if len(set(units.values())) > 1:
        shown = ", ".join(f"{key} {unit}" for key, unit in units.items())
        raise ValueError(
            f"{where}: the piezometer channels must share one unit (each reading is converted "
            f"with it), got {shown}"
        )
    method = reader.text("method", "bishop")
    if method not in METHODS:
        raise ValueError(f"{where}: method must be one of {', '.join(METHODS)}, got {method!r}")
    reading = reader.text("reading", "pressure")
    if reading not in READINGS:
        raise ValueError(f"{where}: reading must be one of {', '.join(READINGS)}, got {reading!r}")
    thresholds = reader.optional("thresholds")
    if thresholds is None:
        thresholds = dict(DEFAULT_THRESHOLDS)
    if not isinstance(thresholds, dict) or not thresholds:
        raise ValueError(f"{where}: thresholds must be a table such as {{ alarm = 1.2 }}")
    search_every = reader.integer("search_every", 0)
    if search_every < 0:
        raise ValueError(f"{where}: search_every must be >= 0 readings, got {search_every}")
    try:
        config = SlopeWatchConfig.from_slope_file(
            slope, method=cast("Any", method), reading=cast("Any", reading)
        )
    except ValueError as exc:
        raise ValueError(f"{where}: section_file {path}: {exc}") from None
    params: dict[str, Any] = {
        "config": config,
        "thresholds": {Level.parse(k): _threshold(where, k, v) for k, v in thresholds.items()},
        "deadband": reader.number("deadband", 0.0),
        "hold_s": reader.duration("hold", "0s"),
        "escalate_after_s": _escalate(reader),
    }
    if search_every:
        spec = slope.search
        auto = auto_search_grid(slope.section)
        axes = (auto.centre_x, auto.centre_y, auto.radius)
        given = (None, None, None) if spec is None else (spec.centre_x, spec.centre_y, spec.radius)
        params["search_every"] = search_every
        params["search_grid"] = tuple(
            default if g is None else np.linspace(g[0], g[1], int(g[2]))
            for g, default in zip(given, axes, strict=True)
        )
    return RuleSpec(name, channel, "tarp.slope_factor", params)


def _threshold(where: str, key: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{where}: thresholds.{key} must be a number, got {value!r}")
    return float(value)


def _delta_factor(where: str, unit: str | None, channel_unit: str) -> float:
    """Factor turning a difference in ``unit`` into one in the channel's unit."""
    if unit is None or unit.strip() == channel_unit.strip():
        return 1.0
    try:
        f = _converter(unit, channel_unit)
    except ValueError as exc:
        raise ValueError(f"{where}: {exc}") from None
    zero, one = (float(x) for x in f(np.array([0.0, 1.0])))
    return one - zero


def _quality_spec(
    where: str, table: Any, channel: ChannelSpec, name: str, reader: _Reader
) -> RuleSpec:
    check = reader.text("check")
    level = Level.parse(table.get("level", "alert"))
    params: dict[str, Any] = {"level": level, "escalate_after_s": _escalate(reader)}
    unit = table.get("unit")
    if unit is not None and (not isinstance(unit, str) or not unit.strip()):
        raise ValueError(f"{where}: unit must be non-empty text, got {unit!r}")
    if check == "missing":
        if "expected_interval" in table:
            interval = reader.duration("expected_interval")
        elif channel.expected_interval_s is not None:
            interval = channel.expected_interval_s
        else:
            raise ValueError(f"{where}: needs expected_interval, here or on channel {channel.id!r}")
        params |= {"expected_interval_s": interval, "factor": reader.number("factor", 3.0)}
    elif check == "stuck":
        if unit is None:
            raise ValueError(f"{where}: unit of tolerance must be declared")
        scale = _delta_factor(where, unit, channel.unit)
        params["tolerance"] = reader.number("tolerance") * scale
        if "min_readings" in table:
            params["min_readings"] = reader.integer("min_readings")
        if "min_duration" in table:
            params["min_duration_s"] = reader.duration("min_duration")
    elif check == "spike":
        if unit is None and ("max_jump" in table or "min_mad" in table):
            raise ValueError(f"{where}: unit of max_jump and min_mad must be declared")
        scale = _delta_factor(where, unit, channel.unit)
        params["window_readings"] = reader.integer("window_readings", 25)
        for key in ("z_limit", "max_jump", "min_mad"):
            if key in table:
                params[key] = reader.number(key) * (scale if key != "z_limit" else 1.0)
    else:  # calibration
        due = table.get("calibration_due", channel.calibration_due)
        if due is None:
            raise ValueError(f"{where}: needs calibration_due, here or on channel {channel.id!r}")
        params["valid_until"] = _calibration_due(where, due)
    return RuleSpec(name, channel.id, f"quality.{check}", params)


def parse_rule_set(source: str | IO[str] | IO[bytes], origin: str = "<text>") -> MonitoringRuleSet:
    """Read and validate a monitoring rule set from TOML text or a file-like object.

    The format (``format_version = 1``)::

        format_version = 1
        id = "north-dump"                    # identifier of the rule set
        title = "North dump: TARP and data quality"

        [channels.PR-07]                     # every channel a rule uses
        unit = "mm"                          # canonical unit of its readings (required)
        expected_interval = "10min"          # optional: for the missing-data check
        calibration_due = 2026-03-31         # optional: for the calibration check

        [[tarp]]                             # a TARP rule
        name = "PR-07 velocity"              # unique in the rule set
        channel = "PR-07"
        measure = "rate"                     # value | rate | acceleration
        window = "24h"                       # rate, acceleration: trailing window W (> 0)
        min_points = 3                       # rate, acceleration: optional, >= 2
        unit = "mm/d"                        # unit of measure and thresholds (required)
        direction = "rising"                 # rising | falling | both (optional)
        thresholds = { alert = 5.0, alarm = 20.0, emergency = 50.0 }   # at least one
        deadband = 1.0                       # optional, in unit, >= 0
        hold = "6h"                          # optional, >= 0
        escalate_after = { alert = "12h", alarm = "1h", emergency = "10min" }  # or "30min"

        [[quality]]                          # a data-quality rule
        name = "{channel} missing data"      # {channel} is filled in for channel = "*"
        channel = "*"                        # one channel, or "*" for every channel
        check = "missing"                    # missing | stuck | spike | calibration
        factor = 3.0                         # missing: alert after factor x interval
        level = "alert"                      # optional: level of the alert
        escalate_after = "12h"               # optional

        [[slope]]                            # live factor of safety of a slope section
        name = "north slope F"               # unique in the rule set
        section_file = "north-slope.toml"    # `postmine slope analyse` format, [[piezometers]]
        channel = "PZ-01/pore_pressure"      # optional: alerts go here; default: 1st piezometer
        method = "bishop"                    # optional: ordinary | bishop | janbu | spencer
                                             #   | morgenstern_price
        reading = "pressure"                 # optional: pressure (at the tip) | head (level)
        thresholds = { alert = 1.3, alarm = 1.2, emergency = 1.0 }   # optional: on F [-]
        deadband = 0.05                      # optional, [-], >= 0
        hold = "1h"                          # optional, >= 0
        escalate_after = { alarm = "1h" }    # optional, as [[tarp]]
        search_every = 0                     # optional: re-search the critical circle every
                                             #   N readings (0: never)

    Keys of the other checks: ``stuck``: ``tolerance`` with its ``unit``, ``min_readings``
    and/or ``min_duration``; ``spike``: ``window_readings``, ``z_limit`` and/or
    ``max_jump`` (with ``unit``), ``min_mad``; ``calibration``: ``calibration_due``
    (else the channel's). Durations are text: ``"30s"``, ``"10min"``, ``"6h"``, ``"1d"``.

    A ``[[slope]]`` table becomes one
    :class:`~postmine.monitoring.slope_watch.SlopeFactorWatch` (kind ``tarp.slope_factor``;
    falling F is bad): the section, the watched surface (the file's ``[surface]``, or the
    critical circle of its ``[search]``, searched when the rule set is read) and the
    piezometers come from ``section_file``
    (:meth:`~postmine.monitoring.slope_watch.SlopeWatchConfig.from_slope_file`). Every
    ``[[piezometers]]`` channel of the file must be declared under ``[channels]``, all with
    one unit (a pressure unit for ``reading = "pressure"``, a length for ``"head"``); the
    component takes the readings of all of them. A relative ``section_file`` is found from
    the directory of the rule-set file when ``origin`` is the path of an existing file (as
    :func:`read_rule_set` passes it), else from the current working directory. With
    ``search_every`` the circle is searched on the file's ``[search]`` grid, axes it does not
    give from :func:`~postmine.geotech.slip_search.auto_search_grid`.

    Parameters
    ----------
    source : str or file-like
        TOML text, or a text or binary file opened for reading.
    origin : str
        Where it came from, for messages; the path of the rule-set file, when it is one,
        also locates relative ``section_file`` paths.

    Returns
    -------
    MonitoringRuleSet
        The rule set; :meth:`MonitoringRuleSet.build` makes the components.

    Raises
    ------
    ValueError
        If the text is not TOML or breaks a rule above; the message names the table and key.

    Examples
    --------
    >>> rules = parse_rule_set('''
    ... format_version = 1
    ... id = "demo"
    ... title = "Demo"
    ... [channels.PZ-01]
    ... unit = "m"
    ... [[tarp]]
    ... name = "PZ-01 head"
    ... channel = "PZ-01"
    ... measure = "value"
    ... unit = "m"
    ... thresholds = { alert = 12.0, alarm = 14.0 }
    ... ''')
    >>> [type(c).__name__ for c in rules.build()]
    ['ValueTrigger']
    """
    text = source if isinstance(source, str) else source.read()
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"rule set {origin}: not valid TOML: {exc}") from None
    try:
        return _build_rule_set(data, origin)
    except ValueError as exc:
        raise ValueError(f"rule set {origin}: {exc}") from None


def _build_rule_set(data: dict[str, Any], origin: str) -> MonitoringRuleSet:
    top = _Reader("the file", data, _TOP_KEYS)
    version = top.integer("format_version")
    if version != FORMAT_VERSION:
        raise ValueError(f"format_version must be {FORMAT_VERSION}, got {version}")
    channels: dict[str, ChannelSpec] = {}
    raw_channels = data.get("channels")
    if not isinstance(raw_channels, dict) or not raw_channels:
        raise ValueError("[channels] must declare at least one channel")
    for cid, table in raw_channels.items():
        reader = _Reader(f"channels.{cid}", table, _CHANNEL_KEYS)
        unit = reader.text("unit")
        interval = reader.duration("expected_interval") if "expected_interval" in table else None
        if interval is not None and interval <= 0:
            raise ValueError(f"channels.{cid}: expected_interval must be > 0 s")
        due = table.get("calibration_due")
        channels[cid] = ChannelSpec(
            cid, unit, interval, None if due is None else _calibration_due(reader.where, due)
        )
    specs: list[RuleSpec] = []
    for k, table in enumerate(_array(data, "tarp")):
        specs.append(_tarp_spec(f"tarp[{k}]", table, channels))
    slopes = _array(data, "slope")
    base = _base_dir(origin) if slopes else Path.cwd()
    for k, table in enumerate(slopes):
        specs.append(_slope_spec(f"slope[{k}]", table, channels, base))
    for k, table in enumerate(_array(data, "quality")):
        where = f"quality[{k}]"
        check = table.get("check") if isinstance(table, dict) else None
        if check not in _QUALITY_KEYS:
            raise ValueError(
                f"{where}: check must be one of {', '.join(_QUALITY_KEYS)}, got {check!r}"
            )
        reader = _Reader(where, table, _QUALITY_COMMON | _QUALITY_KEYS[check])
        name, channel = reader.text("name"), reader.text("channel")
        if channel == "*":
            if "{channel}" not in name:
                raise ValueError(f"{where}: name must contain {{channel}} for channel '*'")
            targets = list(channels)
        elif channel in channels:
            targets = [channel]
        else:
            raise ValueError(f"{where}: channel {channel!r} is not declared under [channels]")
        for cid in targets:
            specs.append(
                _quality_spec(where, table, channels[cid], name.replace("{channel}", cid), reader)
            )
    seen: set[str] = set()
    for spec in specs:
        if spec.name in seen:
            raise ValueError(f"rule name {spec.name!r} is used twice")
        seen.add(spec.name)
    rule_set = MonitoringRuleSet(
        id=top.text("id"),
        title=top.text("title"),
        channels=channels,
        rules=tuple(specs),
        origin=origin,
    )
    registry = component_registry()
    for spec in specs:  # build once: the components check thresholds, windows and units
        try:
            registry[spec.kind](
                spec.name, spec.channel, channel_unit=channels[spec.channel].unit, **spec.params
            )
        except ValueError as exc:
            raise ValueError(f"rule {spec.name!r}: {exc}") from None
    return rule_set


def _array(data: dict[str, Any], key: str) -> list[Any]:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise ValueError(f"{key} must be an array of tables ([[{key}]]), got {value!r}")
    return value


def read_rule_set(path: str | Path) -> MonitoringRuleSet:
    """Read and validate a monitoring rule set from a TOML file (see :func:`parse_rule_set`).

    Raises
    ------
    ValueError
        If the file is not a valid rule set.
    FileNotFoundError
        If there is no such file.
    """
    file = Path(path)
    with file.open("rb") as handle:
        return parse_rule_set(handle, str(file))
