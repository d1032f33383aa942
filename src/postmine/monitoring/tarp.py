"""TARP components: alert levels per channel on value, rate of change and acceleration.

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

:class:`TarpRule` is the base of every TARP component: the live factor of safety of a slope
(:class:`~postmine.monitoring.slope_watch.SlopeFactorWatch`, kind ``tarp.slope_factor``)
is one too. The rules are built from a rule-set file by
:mod:`postmine.monitoring.rule_file`; this module knows nothing of files.

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
from collections.abc import Callable, Mapping
from typing import Any, ClassVar, Literal, get_args

import numpy as np
import numpy.typing as npt

from postmine.monitoring.alerts import AlertEvent, Level
from postmine.monitoring.components import (
    Component,
    FloatArray,
    Int64Array,
    Port,
    register_component,
)
from postmine.monitoring.units import converter

__all__ = [
    "DIRECTIONS",
    "MEASURES",
    "AccelerationTrigger",
    "Direction",
    "Measure",
    "RateTrigger",
    "TarpRule",
    "ValueTrigger",
    "format_duration",
    "parse_duration",
    "window_slopes",
]

Direction = Literal["rising", "falling", "both"]
Measure = Literal["value", "rate", "acceleration"]
DIRECTIONS: tuple[str, ...] = get_args(Direction)
MEASURES: tuple[str, ...] = get_args(Measure)

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
