"""Alerts of the monitoring layer: levels, events, an in-memory book of alerts, and a webhook.

Rules (:mod:`postmine.monitoring.tarp`, :mod:`postmine.monitoring.quality`) turn readings
into :class:`AlertEvent` objects: *raise* (a new alert, or a higher TARP level), *lower* (a
lower level that is not yet normal) and *clear*. People and the clock add *acknowledge* and
*escalate*. An :class:`AlertBook` applies these transitions to the alerts it holds and returns
each :class:`AlertChange` (the event, with the alert's id filled in, and a snapshot of the
alert after it), which the storage persists (upsert the alert by ``alert_id``, append the
event to a history) and the :class:`WebhookSender` pushes out.

Life cycle of one alert (one rule on one channel has at most one active alert)::

    raise ──► active (level L) ──raise L'>L──► active (L'), acknowledgement reset
                │   ▲ lower L'<L (ack kept)
                │   └───────────
                ├── acknowledge (who, when): stops escalation of the current level
                ├── escalate: not acknowledged ``escalate_after`` after the level was entered
                └── clear ──► cleared (kept for a late acknowledgement)

The transitions follow the alarm life cycle of ThingsBoard [1]_ (active/cleared ×
acknowledged/unacknowledged) with TARP levels (normal < alert < alarm < emergency) as the
severity, and the escalation of an unanswered trigger that TARPs and GISTM Requirement 7.4
call for [2]_.

References
----------
.. [1] ThingsBoard documentation, "Alarms" and "Create alarm" rule node,
   https://thingsboard.io/docs/user-guide/alarms/
.. [2] Global Industry Standard on Tailings Management, Principle 7 (2020),
   https://globaltailingsreview.org/

Examples
--------
>>> from datetime import UTC, datetime, timedelta
>>> t0 = datetime(2025, 5, 1, 6, 0, tzinfo=UTC)
>>> book = AlertBook()
>>> raised = AlertEvent("raise", "PR-07", "PR-07 velocity", "tarp", Level.ALARM, t0,
...                     value=24.0, unit="mm/d", message="rate 24 mm/d >= alarm 20 mm/d",
...                     escalate_after_s=3600.0)
>>> [change.alert.level.label for change in book.apply([raised])]
['alarm']
>>> book.tick(t0 + timedelta(minutes=59))
[]
>>> [change.event.action for change in book.tick(t0 + timedelta(minutes=61))]
['escalate']
>>> alert = book.active()[0]
>>> change = book.acknowledge(alert.alert_id, "shift supervisor", t0 + timedelta(hours=2))
>>> change.alert.acknowledged_by, change.alert.escalated
('shift supervisor', True)
"""

from __future__ import annotations

import json
import math
import queue
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from enum import IntEnum
from typing import Any, Literal, get_args

__all__ = [
    "ACTIONS",
    "ALERT_KINDS",
    "Action",
    "Alert",
    "AlertBook",
    "AlertChange",
    "AlertEvent",
    "AlertKind",
    "Level",
    "WebhookSender",
    "alert_payload",
    "utc",
]

Action = Literal["raise", "lower", "clear", "acknowledge", "escalate"]
AlertKind = Literal["tarp", "data-quality"]
ACTIONS: tuple[str, ...] = get_args(Action)
"""Transitions of an alert: raise, lower, clear (from rules), acknowledge, escalate."""
ALERT_KINDS: tuple[str, ...] = get_args(AlertKind)
"""Kinds of alert: a TARP level, or a data-quality problem."""


class Level(IntEnum):
    """TARP level, ordered: normal < alert < alarm < emergency.

    Examples
    --------
    >>> Level.parse("alarm") > Level.ALERT
    True
    >>> Level.EMERGENCY.label
    'emergency'
    """

    NORMAL = 0
    ALERT = 1
    ALARM = 2
    EMERGENCY = 3

    @property
    def label(self) -> str:
        """Lower-case name, as stored (``"alert"``)."""
        return self.name.lower()

    @classmethod
    def parse(cls, value: Level | str | int) -> Level:
        """Return the level named ``value`` (``"alarm"``), or given by its number.

        Raises
        ------
        ValueError
            If ``value`` names no level.
        """
        if isinstance(value, Level):
            return value
        if isinstance(value, str):
            try:
                return cls[value.strip().upper()]
            except KeyError:
                pass
        elif isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 3:
            return cls(value)
        names = ", ".join(level.label for level in cls)
        raise ValueError(f"level must be one of {names}, got {value!r}")


def utc(moment: datetime) -> datetime:
    """Return ``moment`` as an aware UTC datetime; a naive one is taken to be UTC already.

    Examples
    --------
    >>> utc(datetime(2025, 1, 1, 12)).isoformat()
    '2025-01-01T12:00:00+00:00'
    """
    if not isinstance(moment, datetime):
        raise TypeError(f"a time must be a datetime, got {moment!r}")
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


@dataclass(frozen=True)
class AlertEvent:
    """One transition of an alert, as a rule, a person or the clock asks for it.

    Attributes
    ----------
    action : {"raise", "lower", "clear", "acknowledge", "escalate"}
        The transition.
    channel : str
        Channel the alert is on.
    rule : str
        Name of the rule (unique per rule set); with ``channel`` it identifies the alert.
    kind : {"tarp", "data-quality"}
        Kind of alert.
    level : Level
        Level after the transition (``NORMAL`` for a clear).
    at : datetime
        When it happened (UTC): the reading's time stamp for raise/lower/clear, the
        wall-clock time for acknowledge and escalate.
    value : float or None
        The measure that caused it (reading, rate, acceleration, gap ...), in ``unit``.
    unit : str
        Unit of ``value``.
    message : str
        Text shown to people.
    by : str or None
        Who acknowledged (acknowledge only).
    escalate_after_s : float or None
        For raise: escalate if not acknowledged this long after the level was entered;
        None: never. [s]
    alert_id : str or None
        Set by the :class:`AlertBook`; None on events that rules emit.
    """

    action: Action
    channel: str
    rule: str
    kind: AlertKind
    level: Level
    at: datetime
    value: float | None = None
    unit: str = ""
    message: str = ""
    by: str | None = None
    escalate_after_s: float | None = None
    alert_id: str | None = None

    def __post_init__(self) -> None:
        if self.action not in ACTIONS:
            raise ValueError(f"action must be one of {', '.join(ACTIONS)}, got {self.action!r}")
        if self.kind not in ALERT_KINDS:
            raise ValueError(f"kind must be one of {', '.join(ALERT_KINDS)}, got {self.kind!r}")
        object.__setattr__(self, "level", Level.parse(self.level))
        object.__setattr__(self, "at", utc(self.at))
        if self.escalate_after_s is not None and not self.escalate_after_s > 0:
            raise ValueError(f"escalate_after_s must be > 0 s, got {self.escalate_after_s}")
        if self.value is not None and not math.isfinite(self.value):
            raise ValueError(f"value must be finite, got {self.value}")


@dataclass(frozen=True)
class Alert:
    """State of one alert (the row the storage keeps, keyed by ``alert_id``).

    Attributes
    ----------
    alert_id : str
        Identifier (a UUID4 hex string) made by the book when the alert is raised.
    channel, rule : str
        Channel and rule; at most one active alert per pair.
    kind : {"tarp", "data-quality"}
        Kind of alert.
    level : Level
        Current level (the last level while active; kept when cleared).
    peak_level : Level
        Highest level reached.
    raised_at : datetime
        When the alert was raised (UTC).
    level_since : datetime
        When the current level was entered (UTC).
    value : float or None
        Measure at the last raise/lower, in ``unit``.
    unit : str
        Unit of ``value``.
    message : str
        Message of the last raise/lower.
    cleared_at : datetime or None
        When it cleared; None while active.
    acknowledged_by, acknowledged_at : str or None, datetime or None
        Who acknowledged the current level, and when.
    escalated : bool
        Whether the current level was escalated (not acknowledged in time).
    escalated_at : datetime or None
        When it was escalated.
    escalate_at : datetime or None
        When it will escalate if nobody acknowledges it; None: never.
    """

    alert_id: str
    channel: str
    rule: str
    kind: AlertKind
    level: Level
    peak_level: Level
    raised_at: datetime
    level_since: datetime
    value: float | None = None
    unit: str = ""
    message: str = ""
    cleared_at: datetime | None = None
    acknowledged_by: str | None = None
    acknowledged_at: datetime | None = None
    escalated: bool = False
    escalated_at: datetime | None = None
    escalate_at: datetime | None = None

    @property
    def active(self) -> bool:
        """Whether the alert has not cleared."""
        return self.cleared_at is None

    @property
    def acknowledged(self) -> bool:
        """Whether somebody acknowledged the current level."""
        return self.acknowledged_by is not None


@dataclass(frozen=True)
class AlertChange:
    """What one transition changed: the event (with ``alert_id``) and the alert after it."""

    event: AlertEvent
    alert: Alert


class AlertBook:
    """In-memory book of alerts that applies transitions and reports what changed.

    The book holds every active alert and the last ``keep_cleared`` cleared ones (so that
    they can still be acknowledged); the storage holds them all. Transitions are
    idempotent: raising an alert at the level it already has, or clearing one that is not
    active, changes nothing and returns no change.

    Parameters
    ----------
    alerts : iterable of Alert, optional
        Alerts to start from (read back from the storage after a restart).
    keep_cleared : int, optional
        How many cleared alerts to keep for late acknowledgement. [-]

    Raises
    ------
    ValueError
        If ``keep_cleared`` is negative, or two active alerts share a channel and rule.
    """

    def __init__(self, alerts: Iterable[Alert] = (), *, keep_cleared: int = 10_000) -> None:
        if keep_cleared < 0:
            raise ValueError(f"keep_cleared must be >= 0, got {keep_cleared}")
        self._keep_cleared = keep_cleared
        self._active: dict[tuple[str, str], Alert] = {}
        self._cleared: OrderedDict[str, Alert] = OrderedDict()
        for alert in alerts:
            if alert.active:
                key = (alert.channel, alert.rule)
                if key in self._active:
                    raise ValueError(f"two active alerts for channel {key[0]!r}, rule {key[1]!r}")
                self._active[key] = alert
            else:
                self._remember_cleared(alert)

    # -- queries -------------------------------------------------------------------------
    def active(self, channel: str | None = None) -> list[Alert]:
        """Return the active alerts (of one channel), highest level first, then oldest."""
        found = [a for a in self._active.values() if channel is None or a.channel == channel]
        return sorted(found, key=lambda a: (-a.level, a.raised_at))

    def get(self, alert_id: str) -> Alert:
        """Return the alert with this id (active or recently cleared).

        Raises
        ------
        KeyError
            If the book does not hold it.
        """
        for alert in self._active.values():
            if alert.alert_id == alert_id:
                return alert
        if alert_id in self._cleared:
            return self._cleared[alert_id]
        raise KeyError(f"no alert {alert_id!r} in the book")

    def level(self, channel: str) -> Level:
        """Return the TARP level of a channel: the highest level of its active TARP alerts."""
        levels = [a.level for a in self.active(channel) if a.kind == "tarp"]
        return max(levels, default=Level.NORMAL)

    # -- transitions ---------------------------------------------------------------------
    def apply(self, events: Iterable[AlertEvent]) -> list[AlertChange]:
        """Apply raise/lower/clear events from rules, in order; return what changed.

        The action of a returned event is set from the levels (an event that asks for a
        lower level than the alert has becomes a *lower*, for a higher one a *raise*).

        Raises
        ------
        ValueError
            If an event is an acknowledge or escalate (use :meth:`acknowledge`,
            :meth:`tick`).
        """
        changes: list[AlertChange] = []
        for event in events:
            if event.action in ("acknowledge", "escalate"):
                raise ValueError(
                    f"apply takes raise, lower and clear events, got {event.action!r}: "
                    "use AlertBook.acknowledge or AlertBook.tick"
                )
            change = self._apply_level(event)
            if change is not None:
                changes.append(change)
        return changes

    def _apply_level(self, event: AlertEvent) -> AlertChange | None:
        key = (event.channel, event.rule)
        current = self._active.get(key)
        level = Level.NORMAL if event.action == "clear" else event.level
        if current is None:
            if level == Level.NORMAL:
                return None
            alert = Alert(
                alert_id=uuid.uuid4().hex,
                channel=event.channel,
                rule=event.rule,
                kind=event.kind,
                level=level,
                peak_level=level,
                raised_at=event.at,
                level_since=event.at,
                value=event.value,
                unit=event.unit,
                message=event.message,
                escalate_at=_due(event.at, event.escalate_after_s),
            )
            self._active[key] = alert
            return AlertChange(replace(event, action="raise", alert_id=alert.alert_id), alert)
        if level == current.level:
            return None
        if level == Level.NORMAL:
            alert = replace(current, cleared_at=max(event.at, current.raised_at), escalate_at=None)
            del self._active[key]
            self._remember_cleared(alert)
            action: Action = "clear"
        elif level > current.level:
            alert = replace(
                current,
                level=level,
                peak_level=max(level, current.peak_level),
                level_since=event.at,
                value=event.value,
                unit=event.unit,
                message=event.message,
                acknowledged_by=None,
                acknowledged_at=None,
                escalated=False,
                escalated_at=None,
                escalate_at=_due(event.at, event.escalate_after_s),
            )
            self._active[key] = alert
            action = "raise"
        else:
            alert = replace(
                current,
                level=level,
                level_since=event.at,
                value=event.value,
                unit=event.unit,
                message=event.message,
            )
            self._active[key] = alert
            action = "lower"
        return AlertChange(
            replace(event, action=action, level=level, alert_id=alert.alert_id), alert
        )

    def acknowledge(self, alert_id: str, by: str, at: datetime | None = None) -> AlertChange:
        """Record that ``by`` acknowledged the alert at ``at`` (now if not given).

        An acknowledged level no longer escalates; a later raise to a higher level needs a
        new acknowledgement.

        Raises
        ------
        KeyError
            If the book does not hold the alert.
        ValueError
            If ``by`` is empty, or the current level is already acknowledged.
        """
        if not isinstance(by, str) or not by.strip():
            raise ValueError(f"by must name who acknowledges, got {by!r}")
        when = utc(at) if at is not None else datetime.now(UTC)
        alert = self.get(alert_id)
        if alert.acknowledged:
            raise ValueError(
                f"alert {alert_id} is already acknowledged by {alert.acknowledged_by} "
                f"at {alert.acknowledged_at:%Y-%m-%d %H:%M:%S}"
            )
        new = replace(alert, acknowledged_by=by.strip(), acknowledged_at=when, escalate_at=None)
        self._store(new)
        event = AlertEvent(
            "acknowledge",
            new.channel,
            new.rule,
            new.kind,
            new.level,
            when,
            value=new.value,
            unit=new.unit,
            message=f"acknowledged by {by.strip()}",
            by=by.strip(),
            alert_id=new.alert_id,
        )
        return AlertChange(event, new)

    def tick(self, now: datetime) -> list[AlertChange]:
        """Escalate the active alerts that nobody acknowledged in time; return the changes."""
        when = utc(now)
        changes: list[AlertChange] = []
        for alert in self.active():
            if alert.escalate_at is None or alert.escalate_at > when:
                continue
            new = replace(alert, escalated=True, escalated_at=when, escalate_at=None)
            self._store(new)
            waited = (when - alert.level_since).total_seconds()
            event = AlertEvent(
                "escalate",
                new.channel,
                new.rule,
                new.kind,
                new.level,
                when,
                value=new.value,
                unit=new.unit,
                message=f"{new.level.label} not acknowledged for {waited:.0f} s: escalated",
                alert_id=new.alert_id,
            )
            changes.append(AlertChange(event, new))
        return changes

    def _store(self, alert: Alert) -> None:
        if alert.active:
            self._active[(alert.channel, alert.rule)] = alert
        else:
            self._cleared[alert.alert_id] = alert

    def _remember_cleared(self, alert: Alert) -> None:
        self._cleared[alert.alert_id] = alert
        while len(self._cleared) > self._keep_cleared:
            self._cleared.popitem(last=False)


def _due(start: datetime, after_s: float | None) -> datetime | None:
    return None if after_s is None else start + timedelta(seconds=after_s)


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def alert_payload(change: AlertChange) -> dict[str, Any]:
    """Return the JSON-ready body of a webhook call for one change.

    Keys: ``action``, ``at``, ``by`` (the event) and ``alert`` (the alert after it; times as
    ISO 8601 UTC, levels by name, ``value`` with its ``unit``).

    Examples
    --------
    >>> t = datetime(2025, 5, 1, tzinfo=UTC)
    >>> change = AlertBook().apply([AlertEvent("raise", "PZ-01", "PZ-01 level", "tarp",
    ...                                        Level.ALERT, t, value=3.2, unit="m")])[0]
    >>> body = alert_payload(change)
    >>> body["action"], body["alert"]["level"], body["alert"]["raised_at"]
    ('raise', 'alert', '2025-05-01T00:00:00+00:00')
    """
    event, alert = change.event, change.alert
    return {
        "action": event.action,
        "at": _iso(event.at),
        "by": event.by,
        "alert": {
            "alert_id": alert.alert_id,
            "channel": alert.channel,
            "rule": alert.rule,
            "kind": alert.kind,
            "level": alert.level.label,
            "peak_level": alert.peak_level.label,
            "raised_at": _iso(alert.raised_at),
            "level_since": _iso(alert.level_since),
            "cleared_at": _iso(alert.cleared_at),
            "acknowledged_by": alert.acknowledged_by,
            "acknowledged_at": _iso(alert.acknowledged_at),
            "escalated": alert.escalated,
            "escalated_at": _iso(alert.escalated_at),
            "value": alert.value,
            "unit": alert.unit,
            "message": alert.message,
        },
    }


_RETRY_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})


@dataclass
class _Stats:
    sent: int = 0
    failed: int = 0
    dropped: int = 0
    attempts: int = 0
    failures: deque[tuple[dict[str, Any], str]] = field(default_factory=lambda: deque(maxlen=1000))


class WebhookSender:
    """POST alert changes as JSON to a URL from a background thread, with retries.

    :meth:`send` only puts the payload on a bounded queue and returns at once, so the
    ingestion that calls it is never blocked by a slow or absent receiver. A worker thread
    posts each payload (``Content-Type: application/json``) with a timeout; a connection
    error, a timeout or an HTTP status 408/425/429/5xx is retried up to ``retries`` times
    after ``backoff_s``, ``2·backoff_s``, ``4·backoff_s`` ...; any other 4xx status is not
    retried. Payloads that still fail are counted in :attr:`failed` and kept, with the
    reason, in :attr:`failures` (the last 1000) for the storage to record; payloads that
    find the queue full are counted in :attr:`dropped`.

    Parameters
    ----------
    url : str
        The receiver's http(s) URL.
    timeout_s : float, optional
        Timeout of one POST. [s]
    retries : int, optional
        Retries after the first attempt. [-]
    backoff_s : float, optional
        Wait before the first retry; doubled for each further one. [s]
    max_queue : int, optional
        Payloads waiting at most; further ones are dropped. [-]
    headers : mapping of str to str, optional
        Extra HTTP headers (e.g. an ``Authorization`` token).
    on_failure : callable, optional
        Called from the worker thread as ``on_failure(payload, reason)`` for each payload
        given up on.

    Raises
    ------
    ValueError
        If the URL is not http(s), or a number is out of range.

    Examples
    --------
    >>> sender = WebhookSender("http://127.0.0.1:9/alerts", retries=0, timeout_s=0.5)
    >>> sender.send({"action": "raise"})
    True
    >>> sender.close(timeout_s=5.0)
    >>> sender.failed
    1
    """

    def __init__(
        self,
        url: str,
        *,
        timeout_s: float = 5.0,
        retries: int = 3,
        backoff_s: float = 0.5,
        max_queue: int = 10_000,
        headers: Mapping[str, str] | None = None,
        on_failure: Callable[[dict[str, Any], str], None] | None = None,
    ) -> None:
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            raise ValueError(f"url must start with http:// or https://, got {url!r}")
        if not timeout_s > 0:
            raise ValueError(f"timeout_s must be > 0 s, got {timeout_s}")
        if retries < 0:
            raise ValueError(f"retries must be >= 0, got {retries}")
        if backoff_s < 0:
            raise ValueError(f"backoff_s must be >= 0 s, got {backoff_s}")
        if max_queue < 1:
            raise ValueError(f"max_queue must be >= 1, got {max_queue}")
        self.url = url
        self.timeout_s = float(timeout_s)
        self.retries = int(retries)
        self.backoff_s = float(backoff_s)
        self.headers = {"Content-Type": "application/json", **dict(headers or {})}
        self.on_failure = on_failure
        self._queue: queue.Queue[dict[str, Any] | None] = queue.Queue(maxsize=max_queue)
        self._stats = _Stats()
        self._pending = 0
        self._idle = threading.Condition()
        self._closing = threading.Event()
        self._thread = threading.Thread(target=self._work, name="postmine-webhook", daemon=True)
        self._thread.start()

    # -- counters --------------------------------------------------------------------------
    @property
    def sent(self) -> int:
        """Payloads the receiver accepted (HTTP 2xx)."""
        return self._stats.sent

    @property
    def failed(self) -> int:
        """Payloads given up on after the retries."""
        return self._stats.failed

    @property
    def dropped(self) -> int:
        """Payloads not queued because the queue was full or the sender closed."""
        return self._stats.dropped

    @property
    def attempts(self) -> int:
        """HTTP attempts made, retries included."""
        return self._stats.attempts

    @property
    def failures(self) -> list[tuple[dict[str, Any], str]]:
        """The last payloads given up on, each with the reason."""
        return list(self._stats.failures)

    # -- use -------------------------------------------------------------------------------
    def send(self, item: AlertChange | Mapping[str, Any]) -> bool:
        """Queue one change (or a ready JSON body) for posting; never blocks.

        Returns
        -------
        bool
            True if queued; False if dropped (queue full or sender closed).
        """
        payload = alert_payload(item) if isinstance(item, AlertChange) else dict(item)
        if self._closing.is_set():
            self._stats.dropped += 1
            return False
        with self._idle:
            self._pending += 1
        try:
            self._queue.put_nowait(payload)
        except queue.Full:
            with self._idle:
                self._pending -= 1
                self._idle.notify_all()
            self._stats.dropped += 1
            return False
        return True

    def flush(self, timeout_s: float | None = None) -> bool:
        """Wait until every queued payload was sent or given up on; False on timeout."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout=timeout_s)

    def close(self, timeout_s: float | None = 10.0) -> None:
        """Stop accepting payloads, send the queued ones, and stop the worker thread."""
        if not self._closing.is_set():
            self._closing.set()
            self._queue.put(None)
        self._thread.join(timeout_s)

    def __enter__(self) -> WebhookSender:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- worker ----------------------------------------------------------------------------
    def _work(self) -> None:
        while True:
            payload = self._queue.get()
            if payload is None:
                return
            try:
                self._deliver(payload)
            finally:
                with self._idle:
                    self._pending -= 1
                    self._idle.notify_all()

    def _deliver(self, payload: dict[str, Any]) -> None:
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        reason = ""
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(self.backoff_s * 2 ** (attempt - 1))
            self._stats.attempts += 1
            request = urllib.request.Request(self.url, data=body, headers=self.headers)
            try:
                with urllib.request.urlopen(request, timeout=self.timeout_s) as response:
                    response.read()
                self._stats.sent += 1
                return
            except urllib.error.HTTPError as exc:
                reason = f"HTTP {exc.code} {exc.reason}"
                if exc.code not in _RETRY_STATUS:
                    break
            except (urllib.error.URLError, TimeoutError, OSError) as exc:
                cause = getattr(exc, "reason", exc)
                reason = f"{type(cause).__name__}: {cause}"
        self._stats.failed += 1
        self._stats.failures.append((payload, reason))
        if self.on_failure is not None:
            self.on_failure(payload, reason)
