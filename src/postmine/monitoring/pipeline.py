"""The alerting pipeline: rules run on committed readings, alerts stored and pushed out.

:class:`AlertingPipeline` joins the pieces of the monitoring layer. It keeps the components
of a :class:`~postmine.monitoring.rule_set.MonitoringRuleSet` per channel and, for each batch
the ingestion commits (:meth:`AlertingPipeline.on_batch`, given to
:meth:`postmine.monitoring.ingest_mqtt.Subscriber.on_batch`), builds one component
:class:`~postmine.monitoring.components.Batch` per channel from the stored series (values
already in the channel's canonical unit), runs ``update``, applies the events to an
:class:`~postmine.monitoring.alerts.AlertBook`, writes every new or changed alert and its
events to the ``alerts`` and ``alert_events`` tables in one transaction, and hands each change
to a non-blocking :class:`~postmine.monitoring.alerts.WebhookSender`. :meth:`tick` lets the
clock act (missing data, escalation), :meth:`acknowledge` records who answered an alert.

A rule set names channels by a key (``[channels.<key>]``); a registry channel matches the
keys ``"<sensor code>/<channel name>"`` (``[channels."PR-07/displacement"]``, quoted in
TOML), ``"<channel id>"`` (``"12"``) and, for a sensor with one channel, the sensor code
alone (``[channels.PR-07]``). Rule-set channels that match no registry channel are reported by
:attr:`AlertingPipeline.unmatched` and never run.

A component may take the readings of several channels: one that declares ``watched``
channel keys (:class:`~postmine.monitoring.slope_watch.SlopeFactorWatch`, the ``[[slope]]``
of a rule set, watches every piezometer) is one instance, built with the rules of its own
``channel`` and fed the batches of every watched channel that is matched; its alerts are
raised, and stored, on its own channel. When one call brings readings of several of its
channels they are fed in time order, run by run, so each reading meets the state of the
others at its time.

:func:`evaluate_stored` runs a rule set over stored readings without writing anything (for
recomputing alerts and for tests).

Examples
--------
>>> import tempfile
>>> from postmine.registry.records.sites import insert_site
>>> from postmine.db import init_db, session_scope
>>> from postmine.monitoring.channels import add_channel, add_sensor
>>> from postmine.monitoring.rule_file import parse_rule_set
>>> from postmine.monitoring.store import write_readings, to_us
>>> url = f"sqlite:///{tempfile.mkdtemp()}/registry.sqlite"
>>> _ = init_db(url)
>>> with session_scope(url) as session:
...     site = insert_site(session, name="Abaza", region="Khakassia")
...     pz = add_sensor(session, site_id=site.id, code="PZ-01", type="piezometer",
...                     expected_interval_s=600)
...     channel_id = add_channel(session, pz, name="pore_pressure",
...                              quantity="pore_pressure").id
>>> rules = parse_rule_set('''
... format_version = 1
... id = "demo"
... title = "Demo"
... [channels."PZ-01/pore_pressure"]
... unit = "kPa"
... [[tarp]]
... name = "PZ-01 pressure"
... channel = "PZ-01/pore_pressure"
... measure = "value"
... unit = "kPa"
... thresholds = { alert = 150.0 }
... ''')
>>> t0 = to_us("2025-05-01T00:00:00Z")
>>> _ = write_readings(url, [(channel_id, t0 + i * 600_000_000, v)
...                          for i, v in enumerate([120.0, 140.0, 155.0])])
>>> changes = evaluate_stored(url, rules, "2025-05-01T00:00:00Z", "2025-05-02T00:00:00Z")
>>> [(c.event.action, c.alert.level.label, c.alert.value) for c in changes]
[('raise', 'alert', 155.0)]
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from postmine.db import get_engine
from postmine.monitoring import models
from postmine.monitoring.alerts import (
    Alert,
    AlertBook,
    AlertChange,
    AlertEvent,
    Level,
    WebhookSender,
    utc,
)
from postmine.monitoring.channels import ChannelRef, channel_keys, channel_refs
from postmine.monitoring.components import Batch, Component
from postmine.monitoring.rule_set import MonitoringRuleSet
from postmine.monitoring.store import Series, TimeLike, read_range

__all__ = [
    "AlertingPipeline",
    "acknowledge_stored",
    "evaluate_stored",
    "match_channels",
    "route_components",
    "stored_alerts",
]


def match_channels(
    rule_set: MonitoringRuleSet, refs: Iterable[ChannelRef], *, site_id: int | None = None
) -> tuple[dict[int, str], list[str]]:
    """Match a rule set's channel keys to registry channels.

    Parameters
    ----------
    rule_set : MonitoringRuleSet
        The rule set.
    refs : iterable of ChannelRef
        The registry's channels (:func:`postmine.monitoring.channels.channel_refs`).
    site_id : int, optional
        Only the channels of this site.

    Returns
    -------
    tuple
        ``({channel id: rule-set key}, [keys matching no channel])``.

    Raises
    ------
    ValueError
        If one key matches two channels (the same sensor code and channel name at two
        sites): name it by its id instead.
    """
    chosen = [r for r in refs if site_id is None or r.site_id == site_id]
    per_sensor = Counter((r.site_id, r.sensor_code) for r in chosen)
    matched: dict[int, str] = {}
    seen: dict[str, int] = {}
    for ref in chosen:
        for key in channel_keys(ref, sole=per_sensor[(ref.site_id, ref.sensor_code)] == 1):
            if key not in rule_set.channels:
                continue
            if key in seen and seen[key] != ref.id:
                raise ValueError(
                    f"rule-set channel {key!r} matches channels {seen[key]} and {ref.id}: "
                    "name it by its channel id"
                )
            seen[key] = ref.id
            matched[ref.id] = key
    unmatched = [key for key in rule_set.channels if key not in seen]
    return matched, unmatched


def _engine(target: Engine | str) -> Engine:
    return target if isinstance(target, Engine) else get_engine(target)


def _batch(key: str, series: Series) -> Batch:
    return Batch.from_readings(key, series.ts_us.astype("datetime64[us]"), series.value)


def _inputs(component: Component) -> tuple[str, ...]:
    """Channel keys whose readings a component takes: its ``watched`` keys, else its channel."""
    watched = getattr(component, "watched", None)
    return tuple(watched) if watched else (component.channel,)


def route_components(owned: Mapping[str, Sequence[Component]]) -> dict[str, list[Component]]:
    """Return the components that take the readings of each channel key.

    Each key's own components (built for it, in rule-set order), then every component of
    another key that watches this one (``watched``), the same instance, once.

    Parameters
    ----------
    owned : mapping of str to sequence of Component
        Components by the channel key they were built for (their ``channel``).

    Returns
    -------
    dict of str to list of Component
        For each key of ``owned``, the components its readings go to.
    """
    routes = {key: list(components) for key, components in owned.items()}
    for components in owned.values():
        for component in components:
            for key in _inputs(component):
                if key in routes and not any(c is component for c in routes[key]):
                    routes[key].append(component)
    return routes


def _feed(component: Component, inputs: Sequence[tuple[str, Series]]) -> list[AlertEvent]:
    """Update a component with new readings of its channels, in time order run by run."""
    if len(inputs) == 1:
        key, series = inputs[0]
        return component.update(_batch(key, series))
    ts = np.concatenate([s.ts_us for _, s in inputs])
    value = np.concatenate([s.value for _, s in inputs])
    source = np.concatenate([np.full(len(s), k, dtype=np.int64) for k, (_, s) in enumerate(inputs)])
    order = np.lexsort((source, ts))  # by time; of equal times, in the order of ``inputs``
    ts, value, source = ts[order], value[order], source[order]
    starts = np.flatnonzero(np.diff(source, prepend=-1))
    stops = np.append(starts[1:], source.size)
    events: list[AlertEvent] = []
    for a, b in zip(starts, stops, strict=True):
        key = inputs[int(source[a])][0]
        events.extend(component.update(_batch(key, Series(-1, ts[a:b], value[a:b]))))
    return events


def _run(
    routes: Mapping[str, Sequence[Component]], series: Mapping[str, Series]
) -> list[list[AlertEvent]]:
    """Run the components on new readings by channel key; return their events per key.

    Keys are taken in the order of ``series``; each component runs once, at the first key
    that routes to it, on the readings of every key of ``series`` it takes. The events of
    one key are in time order (stable: rule order within one time).
    """
    done: set[int] = set()
    groups: list[list[AlertEvent]] = []
    for key in series:
        events: list[AlertEvent] = []
        for component in routes.get(key, ()):
            if id(component) in done:
                continue
            done.add(id(component))
            inputs = [(k, series[k]) for k in _inputs(component) if k in series and k in routes]
            events.extend(_feed(component, inputs))
        if events:
            groups.append(sorted(events, key=lambda e: e.at))
    return groups


def evaluate_stored(
    target: Engine | str,
    rule_set: MonitoringRuleSet,
    start: TimeLike,
    end: TimeLike,
    *,
    site_id: int | None = None,
) -> list[AlertChange]:
    """Run a rule set over the stored readings of ``[start, end)``; write nothing.

    Every matched channel is read in full (:func:`postmine.monitoring.store.read_range`)
    and run through new components; a component of several channels (``watched``) takes
    their readings in time order. The events go to a new :class:`AlertBook`. Clock-driven
    checks (missing data, escalation) are not run: there is no clock in stored data.

    Parameters
    ----------
    target : Engine or str
        Registry database (engine or URL).
    rule_set : MonitoringRuleSet
        Rules to run.
    start, end : datetime, int µs, datetime64 or ISO string
        Half-open time range of the readings.
    site_id : int, optional
        Only the channels of this site.

    Returns
    -------
    list of AlertChange
        The changes, channel by channel in rule-set order, in time order within a channel.

    Raises
    ------
    ValueError
        If a rule-set channel key is ambiguous, or the range is invalid.
    """
    engine = _engine(target)
    matched, _ = match_channels(rule_set, channel_refs(engine).values(), site_id=site_id)
    by_key = {key: cid for cid, key in matched.items()}
    owned = {key: c for key, c in rule_set.by_channel().items() if key in by_key}
    routes = route_components(owned)
    series: dict[str, Series] = {}
    for key, components in routes.items():
        if components:
            found = read_range(engine, by_key[key], start, end)
            if len(found):
                series[key] = found
    book = AlertBook()
    changes: list[AlertChange] = []
    for events in _run(routes, series):
        changes.extend(book.apply(events))
    return changes


def _alert_from_row(row: models.Alert, key: str) -> Alert:
    return Alert(
        alert_id=row.alert_id,
        channel=key,
        rule=row.rule,
        kind="tarp" if row.kind == "tarp" else "data-quality",
        level=Level.parse(row.level),
        peak_level=Level.parse(row.peak_level),
        raised_at=utc(row.raised_at),
        level_since=utc(row.level_since),
        value=row.value,
        unit=row.unit,
        message=row.message,
        cleared_at=None if row.cleared_at is None else utc(row.cleared_at),
        acknowledged_by=row.acknowledged_by,
        acknowledged_at=None if row.acknowledged_at is None else utc(row.acknowledged_at),
        escalated=row.escalated,
        escalated_at=None if row.escalated_at is None else utc(row.escalated_at),
        escalate_at=None if row.escalate_at is None else utc(row.escalate_at),
    )


_ALERT_FIELDS = (
    "rule",
    "kind",
    "value",
    "unit",
    "message",
    "raised_at",
    "level_since",
    "cleared_at",
    "acknowledged_by",
    "acknowledged_at",
    "escalated",
    "escalated_at",
    "escalate_at",
)


class AlertingPipeline:
    """Run a rule set on committed readings; store, and push out, the alerts it raises.

    Parameters
    ----------
    target : Engine or str
        Registry database (engine or URL) holding the channels and the alert tables.
    rule_set : MonitoringRuleSet
        The rules; its channel keys are matched to registry channels by
        :func:`match_channels`.
    webhook_url : str, optional
        http(s) URL every alert change is POSTed to (JSON of
        :func:`~postmine.monitoring.alerts.alert_payload`), from a background thread.
    site_id : int, optional
        Only match the channels of this site.

    Raises
    ------
    ValueError
        If a channel key is ambiguous or the webhook URL is not http(s).

    Notes
    -----
    The active alerts stored for the matched channels are read back into the book on
    construction, so a restarted pipeline lowers, clears and acknowledges the alerts it
    left; the components start with no history. Batches (writer thread of the subscriber)
    and :meth:`tick`/:meth:`acknowledge` (caller's thread) are serialised by a lock.
    """

    def __init__(
        self,
        target: Engine | str,
        rule_set: MonitoringRuleSet,
        *,
        webhook_url: str | None = None,
        site_id: int | None = None,
    ) -> None:
        self._engine = _engine(target)
        self.rule_set = rule_set
        self.site_id = site_id
        self._lock = threading.Lock()
        self._key_of: dict[int, str] = {}
        self.unmatched: list[str] = []
        self._id_of: dict[str, int] = {}
        self._components: dict[str, list[Component]] = {}
        self._routes: dict[str, list[Component]] = {}
        self.refresh_channels()
        self.webhook = WebhookSender(webhook_url) if webhook_url is not None else None
        with Session(self._engine) as session:
            rows = session.scalars(
                select(models.Alert).where(
                    models.Alert.cleared_at.is_(None),
                    models.Alert.channel_id.in_(list(self._key_of)),
                )
            ).all()
            self.book = AlertBook(_alert_from_row(r, self._key_of[r.channel_id]) for r in rows)

    # -- channels ----------------------------------------------------------------------------
    def refresh_channels(self) -> list[str]:
        """Match the rule set's channels to the registry again (new channels); return unmatched.

        Components of channels matched before keep their state. A component that watches
        several channels (``watched``) is built with its own channel's rules and takes the
        readings of each of its channels that is matched, now or later (the same instance).
        """
        refs = channel_refs(self._engine).values()
        matched, unmatched = match_channels(self.rule_set, refs, site_id=self.site_id)
        with self._lock:
            self._key_of = matched
            self._id_of = {key: cid for cid, key in matched.items()}
            for key in self._id_of:
                if key not in self._components:
                    self._components[key] = self.rule_set.build(key)
            self._routes = route_components(self._components)
            self.unmatched = unmatched
        return unmatched

    @property
    def channels(self) -> dict[int, str]:
        """The matched channels: ``{channel id: rule-set key}``."""
        return dict(self._key_of)

    # -- work --------------------------------------------------------------------------------
    def on_batch(self, batch: Any) -> list[AlertChange]:
        """Run the rules on a committed batch (``Subscriber.on_batch`` callback).

        Parameters
        ----------
        batch : CommittedBatch
            Anything with ``by_channel() -> {channel id: Series}``.

        Returns
        -------
        list of AlertChange
            The changes stored and pushed out.
        """
        return self.process(batch.by_channel())

    def process(self, series_by_channel: Mapping[int, Series]) -> list[AlertChange]:
        """Run the rules on new readings of channels; store and push the changes.

        Parameters
        ----------
        series_by_channel : mapping of int to Series
            New readings per channel id, values in the channel's unit; channels the rule
            set does not name are ignored. A component of several of these channels takes
            their readings in time order.

        Returns
        -------
        list of AlertChange
            The changes stored and pushed out.
        """
        if self.unmatched and any(cid not in self._key_of for cid in series_by_channel):
            self.refresh_channels()  # a channel registered after the pipeline started
        with self._lock:
            by_key: dict[str, Series] = {}
            for channel_id, series in series_by_channel.items():
                key = self._key_of.get(channel_id)
                if key is not None and len(series):
                    by_key[key] = series
            changes: list[AlertChange] = []
            for events in _run(self._routes, by_key):
                changes.extend(self.book.apply(events))
            self._commit(changes)
        return changes

    def tick(self, now: datetime | None = None) -> list[AlertChange]:
        """Let the clock act: missing-data and calibration checks, then escalation.

        Parameters
        ----------
        now : datetime, optional
            The time (UTC); the wall clock when omitted.

        Returns
        -------
        list of AlertChange
            The changes stored and pushed out.
        """
        when = utc(now) if now is not None else datetime.now(UTC)
        with self._lock:
            events: list[AlertEvent] = []
            for components in self._components.values():
                for component in components:
                    events.extend(component.tick(when))
            changes = self.book.apply(events)
            changes.extend(self.book.tick(when))
            self._commit(changes)
        return changes

    def acknowledge(self, alert_id: str, by: str, at: datetime | None = None) -> AlertChange:
        """Record that ``by`` acknowledged an alert; store and push the change.

        Raises
        ------
        KeyError
            If the pipeline does not hold the alert.
        ValueError
            If ``by`` is empty or the level is already acknowledged.
        """
        with self._lock:
            change = self.book.acknowledge(alert_id, by, at)
            self._commit([change])
        return change

    def list_alerts(self, *, active: bool = False, channel: str | None = None) -> list[Alert]:
        """Return the stored alerts of the matched channels, newest first.

        Parameters
        ----------
        active : bool
            Only the alerts that have not cleared.
        channel : str, optional
            Only those of this rule-set channel key.
        """
        stmt = select(models.Alert).where(models.Alert.channel_id.in_(list(self._key_of)))
        if active:
            stmt = stmt.where(models.Alert.cleared_at.is_(None))
        if channel is not None:
            stmt = stmt.where(models.Alert.channel_id == self._id_of.get(channel, -1))
        stmt = stmt.order_by(models.Alert.raised_at.desc(), models.Alert.id.desc())
        with Session(self._engine) as session:
            rows = session.scalars(stmt).all()
            return [_alert_from_row(r, self._key_of[r.channel_id]) for r in rows]

    def close(self, timeout_s: float | None = 10.0) -> None:
        """Send what the webhook still holds and stop its thread."""
        if self.webhook is not None:
            self.webhook.close(timeout_s=timeout_s)

    def __enter__(self) -> AlertingPipeline:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- storage -----------------------------------------------------------------------------
    def _commit(self, changes: list[AlertChange]) -> None:
        """Store the changes in one transaction, then push them to the webhook."""
        if not changes:
            return
        _persist(self._engine, changes, self._id_of, notified=self.webhook is not None)
        if self.webhook is not None:
            for change in changes:
                self.webhook.send(change)


def _persist(
    engine: Engine, changes: list[AlertChange], id_of: Mapping[str, int], *, notified: bool
) -> None:
    """Upsert the changed alerts and append their events, in one transaction."""
    now = datetime.now(UTC)
    with Session(engine) as session, session.begin():
        for change in changes:
            alert, event = change.alert, change.event
            row = session.scalars(
                select(models.Alert).where(models.Alert.alert_id == alert.alert_id)
            ).one_or_none()
            if row is None:
                row = models.Alert(alert_id=alert.alert_id, channel_id=id_of[alert.channel])
                session.add(row)
            for name in _ALERT_FIELDS:
                setattr(row, name, getattr(alert, name))
            row.level = alert.level.label
            row.peak_level = alert.peak_level.label
            if notified:
                row.notified_at = now
            session.flush()
            session.add(
                models.AlertEventRow(
                    alert_id=alert.alert_id,
                    action=event.action,
                    level=event.level.label,
                    at=event.at,
                    value=event.value,
                    unit=event.unit,
                    message=event.message,
                    actor=event.by,
                )
            )


def stored_alerts(
    target: Engine | str, *, active: bool = False, channel_id: int | None = None
) -> list[tuple[int, Alert]]:
    """Return the stored alerts, newest first, as ``(channel id, alert)``.

    The alerts' ``channel`` is the channel id as text (the rule-set key is not stored).

    Parameters
    ----------
    target : Engine or str
        Registry database (engine or URL).
    active : bool
        Only the alerts that have not cleared.
    channel_id : int, optional
        Only those of this channel.
    """
    stmt = select(models.Alert)
    if active:
        stmt = stmt.where(models.Alert.cleared_at.is_(None))
    if channel_id is not None:
        stmt = stmt.where(models.Alert.channel_id == channel_id)
    stmt = stmt.order_by(models.Alert.raised_at.desc(), models.Alert.id.desc())
    with Session(_engine(target)) as session:
        rows = session.scalars(stmt).all()
        return [(r.channel_id, _alert_from_row(r, str(r.channel_id))) for r in rows]


def acknowledge_stored(
    target: Engine | str,
    alert_id: str,
    by: str,
    at: datetime | None = None,
    *,
    webhook_url: str | None = None,
) -> AlertChange:
    """Acknowledge a stored alert (no running pipeline needed) and store the event.

    Parameters
    ----------
    target : Engine or str
        Registry database (engine or URL).
    alert_id : str
        The alert's id (32 hex digits).
    by : str
        Who acknowledges.
    at : datetime, optional
        When (UTC); now when omitted.
    webhook_url : str, optional
        URL to push the change to (waits up to 10 s for the delivery).

    Raises
    ------
    KeyError
        If there is no such alert.
    ValueError
        If ``by`` is empty or the alert's level is already acknowledged.
    """
    engine = _engine(target)
    with Session(engine) as session:
        row = session.scalars(
            select(models.Alert).where(models.Alert.alert_id == alert_id)
        ).one_or_none()
        if row is None:
            raise KeyError(f"no alert {alert_id!r} in the registry")
        key = str(row.channel_id)
        alert = _alert_from_row(row, key)
        channel_id = row.channel_id
    change = AlertBook([alert]).acknowledge(alert_id, by, at)
    _persist(engine, [change], {key: channel_id}, notified=webhook_url is not None)
    if webhook_url is not None:
        with WebhookSender(webhook_url) as sender:
            sender.send(change)
    return change
