"""Data-quality rules: missing data, stuck value, spike, sensor out of calibration.

Practitioners ask a monitoring platform for device health as much as for thresholds: an
overdue (no-data) alarm, dated calibrations, quality control of every reading (the Sensly
platform's overdue alarms and dated calibrations, Rio Tinto's consolidated system and
device-health status). A TARP that trusts a silent, frozen or
spiking sensor gives false comfort or false alarms, so these checks raise first-class
alerts of kind ``"data-quality"`` through the same :class:`~postmine.monitoring.alerts.
AlertBook` as the TARP rules (level ``alert`` unless configured otherwise).

``quality.missing`` (:class:`MissingData`)
    no reading for more than ``factor`` × the expected interval: found in a batch (a gap
    between two readings; raised at the moment the gap passed the limit, cleared at the
    reading that ends it) and by the clock (:meth:`MissingData.tick`, raised when checked,
    cleared by the next reading).
``quality.stuck`` (:class:`StuckValue`)
    the readings of a trailing window — the last ``min_readings`` readings and/or the
    readings since ``min_duration`` ago (with the last one at or before it) — all lie
    within ``tolerance`` of each other (max − min <= tolerance): a frozen sensor or logger.
``quality.spike`` (:class:`Spike`)
    a reading far from the median of the previous ``window_readings`` readings: its robust
    z-score ``(x − median) / (1.4826 · MAD)`` beyond ``z_limit`` (the modified z-score of
    Iglewicz and Hoaglin [1]_, who suggest 3.5 for outliers; sensor data with drift and
    short windows warrant more), and/or ``|x − median|`` beyond ``max_jump``. The median, not the
    previous reading, is the reference, so the reading that returns after a one-reading
    spike is not flagged too.
``quality.calibration`` (:class:`Calibration`)
    readings at or after the end of the calibration's validity, or the clock passing it;
    cleared by :meth:`Calibration.recalibrate`.

References
----------
.. [1] Iglewicz, B., Hoaglin, D.C. (1993). How to Detect and Handle Outliers. ASQC Basic
   References in Quality Control, vol. 16. Milwaukee: ASQC Quality Press.

Examples
--------
>>> import numpy as np
>>> from postmine.monitoring.components import Batch
>>> rule = MissingData("PZ-01 missing", "PZ-01", channel_unit="kPa", expected_interval_s=600)
>>> ts = np.datetime64("2025-05-01T00:00", "us") + np.array([0, 10, 20, 51], "timedelta64[m]")
>>> [(e.action, e.at.strftime("%H:%M")) for e in rule.update(Batch.from_readings("PZ-01", ts,
...                                                                  [1.0, 1.0, 1.1, 1.2]))]
[('raise', '00:50'), ('clear', '00:51')]
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, ClassVar

import numpy as np
import numpy.typing as npt
from numpy.lib.stride_tricks import sliding_window_view

from postmine.monitoring.alerts import AlertEvent, Level, utc
from postmine.monitoring.components import (
    Component,
    FloatArray,
    Int64Array,
    Port,
    datetime_from_us,
    register_component,
    us_from_datetime,
)

__all__ = [
    "MAD_TO_SIGMA",
    "Calibration",
    "MissingData",
    "QualityRule",
    "Spike",
    "StuckValue",
    "calibration_expiry",
]

MAD_TO_SIGMA = 1.4826
"""Factor turning a median absolute deviation into a standard deviation for normal data
(1/Φ⁻¹(3/4) = 1.482602...)."""

_US = 1_000_000
BoolArray = npt.NDArray[np.bool_]


def _fmt(x: float) -> str:
    return f"{x:.4g}"


def calibration_expiry(due: date | datetime) -> datetime:
    """Return when a calibration due on ``due`` expires: 00:00 UTC of the next day.

    A ``datetime`` is taken as the exact moment (naive = UTC).

    Examples
    --------
    >>> calibration_expiry(date(2026, 3, 31)).isoformat()
    '2026-04-01T00:00:00+00:00'
    """
    if isinstance(due, datetime):
        return utc(due)
    if isinstance(due, date):
        return datetime.combine(due + timedelta(days=1), time(0, 0), tzinfo=UTC)
    raise ValueError(f"calibration due must be a date or datetime, got {due!r}")


class QualityRule(Component):
    """Base of the data-quality rules: one alert that is active or not.

    Parameters
    ----------
    name : str
        Name of the rule (unique in its rule set).
    channel : str
        Channel it watches.
    channel_unit : str
        Canonical unit of the channel's readings.
    level : Level or str
        Level of the alert it raises (``alert`` by default).
    escalate_after_s : float, optional
        Escalate an unacknowledged alert this long after it was raised; None: never. [s]

    Raises
    ------
    ValueError
        If the level is normal or unknown, or ``escalate_after_s`` is not > 0.
    """

    alert_kind = "data-quality"

    def __init__(
        self,
        name: str,
        channel: str,
        *,
        channel_unit: str,
        level: Level | str = Level.ALERT,
        escalate_after_s: float | None = None,
    ) -> None:
        super().__init__(name, channel, channel_unit=channel_unit)
        self.level = Level.parse(level)
        if self.level == Level.NORMAL:
            raise ValueError("level of a data-quality alert must be alert, alarm or emergency")
        if escalate_after_s is not None and not (
            math.isfinite(escalate_after_s) and escalate_after_s > 0
        ):
            raise ValueError(f"escalate_after_s must be > 0 s, got {escalate_after_s}")
        self.escalate_after_s = escalate_after_s
        self.active = False
        self._raised_us: int | None = None

    def _raise(self, at_us: int, value: float | None, message: str) -> AlertEvent:
        self.active, self._raised_us = True, int(at_us)
        return self._event(
            "raise", self.level, at_us, value, message, escalate_after_s=self.escalate_after_s
        )

    def _clear(self, at_us: int, value: float | None, message: str) -> AlertEvent:
        raised = self._raised_us if self._raised_us is not None else at_us
        self.active, self._raised_us = False, None
        return self._event("clear", Level.NORMAL, max(int(at_us), raised), value, message)

    def _flag_events(
        self,
        ts: Int64Array,
        flags: BoolArray,
        values: FloatArray,
        raise_message: Callable[[int], str],
        clear_message: Callable[[int], str],
    ) -> list[AlertEvent]:
        """Raise at each reading where ``flags`` turns on, clear where it turns off."""
        previous = np.empty_like(flags)
        previous[0] = self.active
        previous[1:] = flags[:-1]
        events = []
        for j in np.flatnonzero(flags != previous).tolist():
            at, value = int(ts[j]), float(values[j])
            if flags[j]:
                events.append(self._raise(at, value, raise_message(j)))
            else:
                events.append(self._clear(at, value, clear_message(j)))
        return events

    def _get_state(self) -> dict[str, Any]:
        return {"active": self.active, "raised_us": self._raised_us}

    def _set_state(self, state: Mapping[str, Any]) -> None:
        self.active = bool(state["active"])
        raised = state.get("raised_us")
        self._raised_us = None if raised is None else int(raised)


@register_component
class MissingData(QualityRule):
    """No reading for more than ``factor`` × the expected reporting interval.

    Parameters
    ----------
    expected_interval_s : float
        Expected time between readings (the channel's reporting interval). [s]
    factor : float
        Alert when no reading came for more than this many intervals (>= 1). [-]
    **kwargs
        As :class:`QualityRule`.

    Notes
    -----
    The limit is strict: a gap of exactly ``factor`` intervals raises nothing. Before the
    first reading, the clock starts watching at the first :meth:`tick`.
    """

    kind = "quality.missing"
    outputs: ClassVar[tuple[Port, ...]] = (
        Port("gap", "float64", "s", "Time since the previous reading, NaN for the first."),
        Port("missing", "bool", "-", "Whether the gap before the reading passed the limit."),
    )

    def __init__(
        self,
        name: str,
        channel: str,
        *,
        expected_interval_s: float,
        factor: float = 3.0,
        **kwargs: Any,
    ) -> None:
        super().__init__(name, channel, **kwargs)
        if not (math.isfinite(expected_interval_s) and expected_interval_s > 0):
            raise ValueError(f"expected_interval_s must be > 0 s, got {expected_interval_s}")
        if not (math.isfinite(factor) and factor >= 1):
            raise ValueError(f"factor must be >= 1, got {factor}")
        self.expected_interval_s = float(expected_interval_s)
        self.factor = float(factor)
        self.limit_s = self.expected_interval_s * self.factor
        self._limit_us = round(self.limit_s * _US)
        self._watch_from: int | None = None

    @property
    def rule_unit(self) -> str:
        """Unit of the alert's value: the gap, in seconds."""
        return "s"

    @classmethod
    def example(cls) -> MissingData:
        """Return a check of a 10-minute channel, alert after 3 intervals."""
        return cls("example missing", "EX-1", channel_unit="mm", expected_interval_s=600.0)

    def _what(self) -> str:
        return f"{_fmt(self.factor)} x expected interval {_fmt(self.expected_interval_s)} s"

    def _step(
        self, ts: Int64Array, columns: dict[str, np.ndarray[Any, Any]]
    ) -> tuple[dict[str, np.ndarray[Any, Any]], list[AlertEvent]]:
        reference = self.last_us if self.last_us is not None else self._watch_from
        before = np.empty(ts.size, dtype=np.int64)
        before[1:] = ts[:-1]
        before[0] = ts[0] if reference is None else reference
        gap_us = ts - before
        missing = gap_us > self._limit_us
        gap = gap_us / _US
        if reference is None:
            gap[0] = np.nan
        events: list[AlertEvent] = []
        if self.active:  # raised by the clock: the first reading ends it
            events.append(self._clear(int(ts[0]), float(gap[0]), "readings resumed: cleared"))
            missing_new = missing.copy()
            missing_new[0] = False
        else:
            missing_new = missing
        for j in np.flatnonzero(missing_new):
            g = float(gap[j])
            events.append(
                self._raise(
                    int(before[j]) + self._limit_us,
                    g,
                    f"no reading for more than {self._what()} (gap {_fmt(g)} s)",
                )
            )
            events.append(self._clear(int(ts[j]), g, f"reading after a gap of {_fmt(g)} s"))
        return {"gap": gap, "missing": missing}, events

    def tick(self, now: datetime) -> list[AlertEvent]:
        """Raise if no reading came for more than the limit before ``now`` (UTC)."""
        now_us = us_from_datetime(now)
        reference = self.last_us if self.last_us is not None else self._watch_from
        if reference is None:
            self._watch_from = now_us
            return []
        silent = now_us - reference
        if self.active or silent <= self._limit_us:
            return []
        since = datetime_from_us(reference).isoformat()
        return [
            self._raise(
                now_us,
                silent / _US,
                f"no reading for {_fmt(silent / _US)} s (> {self._what()}), last at {since}",
            )
        ]

    def _get_state(self) -> dict[str, Any]:
        return {**super()._get_state(), "watch_from_us": self._watch_from}

    def _set_state(self, state: Mapping[str, Any]) -> None:
        super()._set_state(state)
        watch = state.get("watch_from_us")
        self._watch_from = None if watch is None else int(watch)


def _range_spread(values: FloatArray, lo: Int64Array, hi: Int64Array) -> FloatArray:
    """Return max − min of ``values[lo[k]:hi[k] + 1]`` for each k (``lo <= hi``).

    A sparse table of maxima and minima over power-of-two spans answers each window with
    two look-ups (O(n log n) to build, vectorised).
    """
    length = hi - lo + 1
    power = np.floor(np.log2(length)).astype(np.int64)
    highest = int(power.max()) if power.size else 0
    maxima, minima = [values], [values]
    for p in range(1, highest + 1):
        half = 1 << (p - 1)
        prev_max, prev_min = maxima[-1], minima[-1]
        size = prev_max.size - half
        maxima.append(np.maximum(prev_max[:size], prev_max[half : half + size]))
        minima.append(np.minimum(prev_min[:size], prev_min[half : half + size]))
    out = np.empty(lo.size)
    for p in np.unique(power):
        sel = power == p
        a, b = lo[sel], hi[sel] - (1 << int(p)) + 1
        top = np.maximum(maxima[p][a], maxima[p][b])
        bottom = np.minimum(minima[p][a], minima[p][b])
        out[sel] = top - bottom
    return out


@register_component
class StuckValue(QualityRule):
    """Readings that no longer change beyond a tolerance: a frozen sensor or logger.

    Parameters
    ----------
    tolerance : float
        Largest spread (max − min) of the window that still counts as no change; the
        sensor's resolution or noise floor. [channel unit]
    min_readings : int, optional
        Window of the last this many readings (>= 2). [-]
    min_duration_s : float, optional
        Window reaching back this long (it must hold a reading at or before its start). [s]
    **kwargs
        As :class:`QualityRule`.

    Raises
    ------
    ValueError
        If the tolerance is negative, or neither window is given, or one is out of range.

    Notes
    -----
    With both windows given, both must be stuck (the longer of the two is checked).
    """

    kind = "quality.stuck"
    outputs: ClassVar[tuple[Port, ...]] = (
        Port(
            "spread",
            "float64",
            "{channel_unit}",
            "Max minus min of the readings of the "
            "window ending at the reading, NaN until the window is full.",
        ),
        Port("stuck", "bool", "-", "Whether the spread is within the tolerance."),
    )

    def __init__(
        self,
        name: str,
        channel: str,
        *,
        tolerance: float,
        min_readings: int | None = None,
        min_duration_s: float | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(name, channel, **kwargs)
        if not (math.isfinite(tolerance) and tolerance >= 0):
            raise ValueError(f"tolerance must be >= 0 {self.channel_unit}, got {tolerance}")
        if min_readings is None and min_duration_s is None:
            raise ValueError("give min_readings, min_duration_s or both")
        if min_readings is not None and (
            isinstance(min_readings, bool) or not isinstance(min_readings, int) or min_readings < 2
        ):
            raise ValueError(f"min_readings must be an integer >= 2, got {min_readings!r}")
        if min_duration_s is not None and not (
            math.isfinite(min_duration_s) and min_duration_s > 0
        ):
            raise ValueError(f"min_duration_s must be > 0 s, got {min_duration_s}")
        self.tolerance = float(tolerance)
        self.min_readings = min_readings
        self.min_duration_s = None if min_duration_s is None else float(min_duration_s)
        self._duration_us = None if min_duration_s is None else round(min_duration_s * _US)
        self._hist_ts = np.zeros(0, np.int64)
        self._hist_v = np.zeros(0, np.float64)

    @classmethod
    def example(cls) -> StuckValue:
        """Return a check for 12 readings within 0.01 mm."""
        return cls("example stuck", "EX-1", channel_unit="mm", tolerance=0.01, min_readings=12)

    def _window(self) -> str:
        parts = []
        if self.min_readings is not None:
            parts.append(f"the last {self.min_readings} readings")
        if self.min_duration_s is not None:
            parts.append(f"{_fmt(self.min_duration_s)} s")
        return " and ".join(parts)

    def _step(
        self, ts: Int64Array, columns: dict[str, np.ndarray[Any, Any]]
    ) -> tuple[dict[str, np.ndarray[Any, Any]], list[AlertEvent]]:
        old = self._hist_ts.size
        all_ts = np.concatenate((self._hist_ts, ts))
        all_v = np.concatenate((self._hist_v, columns["value"]))
        now = np.arange(old, all_ts.size, dtype=np.int64)
        starts = []
        if self.min_readings is not None:
            starts.append(now - self.min_readings + 1)
        if self._duration_us is not None:
            starts.append(np.searchsorted(all_ts, all_ts[old:] - self._duration_us, "right") - 1)
        lo = np.minimum.reduce(starts)
        full = lo >= 0
        spread = np.full(ts.size, np.nan)
        if full.any():
            spread[full] = _range_spread(all_v, lo[full], now[full])
        stuck = full & (spread <= self.tolerance)
        unit, tol = self.channel_unit, _fmt(self.tolerance)
        events = self._flag_events(
            ts,
            stuck,
            spread,
            lambda j: (
                f"value stuck: spread {_fmt(spread[j])} {unit} <= tolerance {tol} {unit} "
                f"over {self._window()}"
            ),
            lambda j: (
                f"value moving again: spread {_fmt(spread[j])} {unit} > tolerance {tol} {unit}"
            ),
        )
        keep = [all_ts.size]
        if self.min_readings is not None:
            keep.append(all_ts.size - self.min_readings + 1)
        if self._duration_us is not None:
            keep.append(int(np.searchsorted(all_ts, all_ts[-1] - self._duration_us, "right")) - 1)
        first = max(0, min(keep))
        self._hist_ts, self._hist_v = all_ts[first:].copy(), all_v[first:].copy()
        return {"spread": spread, "stuck": stuck}, events

    def _get_state(self) -> dict[str, Any]:
        return {
            **super()._get_state(),
            "history_us": self._hist_ts,
            "history_values": self._hist_v,
        }

    def _set_state(self, state: Mapping[str, Any]) -> None:
        super()._set_state(state)
        self._hist_ts = np.asarray(state.get("history_us", []), dtype=np.int64)
        self._hist_v = np.asarray(state.get("history_values", []), dtype=np.float64)


@register_component
class Spike(QualityRule):
    """A reading far from the median of the previous readings (robust z-score or a jump).

    Parameters
    ----------
    window_readings : int
        How many previous readings the median and MAD are taken over (>= 1; 1 makes the
        previous reading the reference). [-]
    z_limit : float, optional
        Spike when ``|x − median| / max(1.4826·MAD, min_mad)`` exceeds it. [-]
    max_jump : float, optional
        Spike when ``|x − median|`` exceeds it. [channel unit]
    min_mad : float
        Floor of the scale (the sensor's resolution), so that a quantised or constant
        signal does not make every small step a spike; 0 means none. [channel unit]
    **kwargs
        As :class:`QualityRule`.

    Raises
    ------
    ValueError
        If neither limit is given, or one is out of range.
    """

    kind = "quality.spike"
    outputs: ClassVar[tuple[Port, ...]] = (
        Port(
            "deviation",
            "float64",
            "{channel_unit}",
            "Reading minus the median of the previous window, NaN until the window is full.",
        ),
        Port(
            "z",
            "float64",
            "-",
            "Robust z-score of the reading, NaN until the window is "
            "full (infinite if the scale is zero).",
        ),
        Port("spike", "bool", "-", "Whether the reading is a spike."),
    )

    def __init__(
        self,
        name: str,
        channel: str,
        *,
        window_readings: int = 25,
        z_limit: float | None = None,
        max_jump: float | None = None,
        min_mad: float = 0.0,
        **kwargs: Any,
    ) -> None:
        super().__init__(name, channel, **kwargs)
        if (
            isinstance(window_readings, bool)
            or not isinstance(window_readings, int)
            or window_readings < 1
        ):
            raise ValueError(f"window_readings must be an integer >= 1, got {window_readings!r}")
        if z_limit is None and max_jump is None:
            raise ValueError("give z_limit, max_jump or both")
        if z_limit is not None and not (math.isfinite(z_limit) and z_limit > 0):
            raise ValueError(f"z_limit must be > 0, got {z_limit}")
        if max_jump is not None and not (math.isfinite(max_jump) and max_jump > 0):
            raise ValueError(f"max_jump must be > 0 {self.channel_unit}, got {max_jump}")
        if not (math.isfinite(min_mad) and min_mad >= 0):
            raise ValueError(f"min_mad must be >= 0 {self.channel_unit}, got {min_mad}")
        self.window_readings = window_readings
        self.z_limit = z_limit
        self.max_jump = max_jump
        self.min_mad = float(min_mad)
        self._hist_v = np.zeros(0, np.float64)

    @classmethod
    def example(cls) -> Spike:
        """Return a check with a 25-reading window and z above 6."""
        return cls("example spike", "EX-1", channel_unit="mm", z_limit=6.0)

    def _step(
        self, ts: Int64Array, columns: dict[str, np.ndarray[Any, Any]]
    ) -> tuple[dict[str, np.ndarray[Any, Any]], list[AlertEvent]]:
        w = self.window_readings
        old = self._hist_v.size
        values = np.concatenate((self._hist_v, columns["value"]))
        deviation = np.full(ts.size, np.nan)
        z = np.full(ts.size, np.nan)
        first = max(old, w)  # first reading (in ``values``) with a full window before it
        if first < values.size:
            windows = sliding_window_view(values[:-1], w)[first - w :]
            median = np.median(windows, axis=1)
            mad = np.median(np.abs(windows - median[:, None]), axis=1)
            scale = np.maximum(MAD_TO_SIGMA * mad, self.min_mad)
            dev = values[first:] - median
            with np.errstate(divide="ignore", invalid="ignore"):
                zz = np.where(dev == 0.0, 0.0, dev / scale)
            deviation[first - old :] = dev
            z[first - old :] = zz
        spike = np.zeros(ts.size, dtype=bool)
        full = np.isfinite(deviation)
        if self.z_limit is not None:
            spike |= full & (np.abs(z) > self.z_limit)
        if self.max_jump is not None:
            spike |= full & (np.abs(deviation) > self.max_jump)
        unit = self.channel_unit
        limits = []
        if self.z_limit is not None:
            limits.append(f"|z| > {_fmt(self.z_limit)}")
        if self.max_jump is not None:
            limits.append(f"|deviation| > {_fmt(self.max_jump)} {unit}")
        events = self._flag_events(
            ts,
            spike,
            deviation,
            lambda j: (
                f"spike: {_fmt(deviation[j])} {unit} from the median of the previous {w} "
                f"readings, z = {_fmt(z[j])} ({' or '.join(limits)})"
            ),
            lambda j: f"no spike: {_fmt(deviation[j])} {unit} from the median, z = {_fmt(z[j])}",
        )
        self._hist_v = values[-w:].copy()
        return {"deviation": deviation, "z": z, "spike": spike}, events

    def _get_state(self) -> dict[str, Any]:
        return {**super()._get_state(), "history_values": self._hist_v}

    def _set_state(self, state: Mapping[str, Any]) -> None:
        super()._set_state(state)
        self._hist_v = np.asarray(state.get("history_values", []), dtype=np.float64)


@register_component
class Calibration(QualityRule):
    """Readings from a sensor whose calibration has expired.

    Parameters
    ----------
    valid_until : date or datetime
        End of the calibration's validity: a ``date`` is the due date, valid through that
        day (until 00:00 UTC of the next); a ``datetime`` the exact moment (naive = UTC).
    **kwargs
        As :class:`QualityRule`.

    Raises
    ------
    ValueError
        If ``valid_until`` is not a date or datetime.
    """

    kind = "quality.calibration"
    outputs: ClassVar[tuple[Port, ...]] = (
        Port(
            "overdue_days",
            "float64",
            "d",
            "Time since the calibration expired, negative before it.",
        ),
        Port(
            "overdue", "bool", "-", "Whether the reading was taken after the calibration expired."
        ),
    )

    def __init__(
        self, name: str, channel: str, *, valid_until: date | datetime, **kwargs: Any
    ) -> None:
        super().__init__(name, channel, **kwargs)
        self.valid_until = calibration_expiry(valid_until)
        self._until_us = us_from_datetime(self.valid_until)

    @property
    def rule_unit(self) -> str:
        """Unit of the alert's value: days overdue."""
        return "d"

    @classmethod
    def example(cls) -> Calibration:
        """Return a check of a calibration due on 2025-06-30."""
        return cls("example calibration", "EX-1", channel_unit="mm", valid_until=date(2025, 6, 30))

    def _expired(self, days: float) -> AlertEvent:
        return self._raise(
            self._until_us,
            days,
            f"calibration expired {self.valid_until:%Y-%m-%d %H:%M} UTC "
            f"({_fmt(days)} d ago): readings are from an uncalibrated sensor",
        )

    def _step(
        self, ts: Int64Array, columns: dict[str, np.ndarray[Any, Any]]
    ) -> tuple[dict[str, np.ndarray[Any, Any]], list[AlertEvent]]:
        days = (ts - self._until_us) / (86_400 * _US)
        overdue = ts >= self._until_us
        events = []
        if overdue.any() and not self.active:
            events.append(self._expired(float(days[np.argmax(overdue)])))
        return {"overdue_days": days, "overdue": overdue}, events

    def tick(self, now: datetime) -> list[AlertEvent]:
        """Raise if the calibration expired before ``now`` (UTC)."""
        now_us = us_from_datetime(now)
        if self.active or now_us < self._until_us:
            return []
        return [self._expired((now_us - self._until_us) / (86_400 * _US))]

    def recalibrate(
        self, valid_until: date | datetime, at: datetime | None = None
    ) -> list[AlertEvent]:
        """Record a new calibration valid until ``valid_until``; clear the alert if any.

        Parameters
        ----------
        valid_until : date or datetime
            End of the new calibration's validity (as in the constructor).
        at : datetime, optional
            When the sensor was recalibrated (now if not given).

        Returns
        -------
        list of AlertEvent
            The clear, if an alert was active and the new calibration is valid at ``at``.
        """
        when = utc(at) if at is not None else datetime.now(UTC)
        self.valid_until = calibration_expiry(valid_until)
        self._until_us = us_from_datetime(self.valid_until)
        at_us = us_from_datetime(when)
        if not self.active or at_us >= self._until_us:
            return []
        return [
            self._clear(
                at_us, None, f"recalibrated, valid until {self.valid_until:%Y-%m-%d %H:%M} UTC"
            )
        ]
