r"""Ingestion of readings: logger files (CSV, Excel) and a live MQTT subscriber.

Both paths end in :func:`postmine.monitoring.store.insert_new`: readings are converted to
their channel's canonical unit (:mod:`postmine.monitoring.units`) and stored once per
(channel, time), so duplicates and out-of-order arrivals are harmless. What cannot be
ingested goes to the ``dead_letters`` table with the reason, and ingestion goes on.

MQTT messages
-------------
Topic: ``postmine/<site_id>/<sensor code>/<channel name>``, e.g. ``postmine/3/PZ-01/
pore_pressure`` (the prefix is ``TOPIC_PREFIX``, configurable; the subscriber takes every
topic under it, and any topic it cannot read is a dead letter).

Payload: UTF-8 JSON, either one reading or a batch (an array) of readings of that channel::

    {"ts": "2026-11-25T06:00:00Z", "value": 101.3, "unit": "kPa"}
    [{"ts": 1795586400.0, "value": 1.013, "unit": "bar"},
     {"ts": 1795587000.0, "value": 1.015}]

``ts``
    The time of the reading: an ISO-8601 string *with* its UTC offset (``Z``,
    ``+07:00``), or a number of seconds since 1970-01-01T00:00:00Z (fractions allowed;
    microsecond resolution). A time without an offset is refused: its zone is unknown.
    Times must lie in 1900..2200 (a millisecond epoch is refused, naming the mistake).
``value``
    A finite number (not a string, not ``null``: send no reading for a missing value).
``unit``
    Optional: the unit of ``value``; if absent, the channel's ``source_unit``. It must
    convert to the channel's unit.

No other key is allowed. A message is taken whole or not at all: one bad reading makes the
whole message a dead letter, whose reason names the reading (``reading 3: value must be a
finite number, got null``). At most :data:`MAX_READINGS_PER_MESSAGE` readings per message.
Batches are the efficient way to send: the benchmark sends 500 readings a message.

Delivery guarantees (:class:`Subscriber`)
-----------------------------------------
The subscriber connects with a fixed client id and a persistent session (MQTT 5
``clean_start=False`` with a session that never expires, or MQTT 3.1.1
``clean_session=False``) and subscribes with QoS 1, so the broker keeps the messages
published while it is stopped and delivers them when it is back. It acknowledges a message
(paho's ``manual_ack``) only after the transaction holding its readings (or its dead
letter) has committed; a message received but not committed when the subscriber or the
broker stops is delivered again. That is at-least-once delivery; since writes are
idempotent, a redelivered reading is stored once. Messages that arrived on an earlier
connection are committed but not acknowledged on the new one (the broker redelivers them
under the same packet id, and acknowledging twice could acknowledge a newer message before
it is stored).

Limits of the broker matter for "no reading lost": Mosquitto keeps at most
``max_queued_messages`` (default 1000) messages for a stopped subscriber, and saves them
to disk every ``autosave_interval`` seconds and on a clean shutdown. Raise the first for
long outages, and lower the second if the broker may crash.

Logger files
------------
:func:`ingest_file` reads a CSV (``,``, ``;`` or tab separated) or Excel (``.xlsx``) file
with one time column and one column per channel; see its docstring.

Examples
--------
>>> from postmine.monitoring.channels import ChannelRef
>>> ref = ChannelRef(id=7, site_id=3, sensor_code="PZ-01", name="pore_pressure",
...                  unit="kPa", source_unit="kPa")
>>> channels = {ref.address: ref}
>>> parse_message("postmine/3/PZ-01/pore_pressure",
...               b'[{"ts": 0, "value": 1.5, "unit": "bar"}, {"ts": 60, "value": 151.0}]',
...               channels)
[Reading(channel_id=7, ts_us=0, value=150.0), Reading(channel_id=7, ts_us=60000000, value=151.0)]
>>> parse_message("postmine/3/PZ-01/pore_pressure", b'{"ts": 0, "value": null}', channels).reason
'reading 0: value must be a finite number, got None'
"""

from __future__ import annotations

import csv
import gc
import io
import json
import logging
import math
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
from sqlalchemy import Engine
from sqlalchemy.exc import DataError, IntegrityError

from postmine.db import get_engine, session_scope
from postmine.monitoring.channels import ChannelAddress, ChannelRef, channel_refs
from postmine.monitoring.models import DeadLetter
from postmine.monitoring.store import (
    EPOCH,
    Reading,
    Series,
    Target,
    _connection,
    insert_new,
    write_dead_letters,
)
from postmine.monitoring.units import UnitError, check_unit, converter

__all__ = [
    "MAX_READINGS_PER_MESSAGE",
    "TOPIC_PREFIX",
    "CommittedBatch",
    "FileReport",
    "Subscriber",
    "SubscriberStats",
    "ingest_file",
    "parse_message",
    "parse_topic",
    "read_logger_file",
    "topic_of",
]

log = logging.getLogger(__name__)

TOPIC_PREFIX = "postmine"
"""First level of the topics readings are published on."""
MAX_READINGS_PER_MESSAGE = 100_000
"""Largest batch one message may carry."""

_US = timedelta(microseconds=1)
_MIN_US = (datetime(1900, 1, 1, tzinfo=UTC) - EPOCH) // _US
_MAX_US = (datetime(2200, 1, 1, tzinfo=UTC) - EPOCH) // _US
_KEYS = frozenset({"ts", "value", "unit"})


class _Rejected(ValueError):
    """A message (or file row) that cannot be ingested; the text is the reason."""


# --- messages ----------------------------------------------------------------------------------


def topic_of(site_id: int, sensor_code: str, channel: str, *, prefix: str = TOPIC_PREFIX) -> str:
    """Return the topic a channel's readings are published on.

    Examples
    --------
    >>> topic_of(3, "PZ-01", "pore_pressure")
    'postmine/3/PZ-01/pore_pressure'
    """
    return f"{prefix}/{site_id}/{sensor_code}/{channel}"


def parse_topic(topic: str, *, prefix: str = TOPIC_PREFIX) -> ChannelAddress:
    """Return the channel address ``(site_id, sensor code, channel name)`` of a topic.

    Raises
    ------
    ValueError
        If the topic is not ``<prefix>/<site_id>/<sensor code>/<channel name>``.

    Examples
    --------
    >>> parse_topic("postmine/3/PZ-01/pore_pressure")
    (3, 'PZ-01', 'pore_pressure')
    >>> parse_topic("postmine/PZ-01")
    Traceback (most recent call last):
    ...
    ValueError: topic must be postmine/<site_id>/<sensor>/<channel>, got 'postmine/PZ-01'
    """
    parts = topic.split("/")
    if len(parts) != 4 or parts[0] != prefix or not all(parts[1:]):
        raise ValueError(f"topic must be {prefix}/<site_id>/<sensor>/<channel>, got {topic!r}")
    try:
        site_id = int(parts[1])
    except ValueError:
        raise ValueError(
            f"site_id in topic {topic!r} must be an integer, got {parts[1]!r}"
        ) from None
    return (site_id, parts[2], parts[3])


def _ts_us(ts: Any) -> int:
    """Microseconds since the epoch of a payload's ``ts``; raise _Rejected if unusable."""
    kind = type(ts)
    if kind is str:
        try:
            moment = datetime.fromisoformat(ts)
        except ValueError:
            raise _Rejected(f"ts must be an ISO-8601 time, got {ts!r}") from None
        if moment.tzinfo is None:
            raise _Rejected(f"ts must carry its UTC offset (Z or +hh:mm), got {ts!r}")
        us = (moment - EPOCH) // _US
    elif kind is int or kind is float:
        if kind is float and not math.isfinite(ts):
            raise _Rejected(f"ts must be finite, got {ts!r}")
        us = ts * 1_000_000 if kind is int else round(ts * 1_000_000)
        if us >= _MAX_US and us // 1000 < _MAX_US:
            raise _Rejected(f"ts {ts!r} s since 1970 is after 2200: milliseconds? send seconds")
    else:
        raise _Rejected(f"ts must be an ISO-8601 string or seconds since 1970, got {ts!r}")
    if not _MIN_US <= us < _MAX_US:
        raise _Rejected(f"ts must lie in 1900..2200, got {ts!r}")
    return int(us)


def _int_value(value: int) -> float:
    """Return a JSON integer as a float; raise _Rejected if it is beyond float range."""
    try:
        return float(value)
    except OverflowError:
        raise _Rejected(
            f"value must be a finite number, got an integer of {len(str(value))} digits"
        ) from None


def _readings(doc: Any, ref: ChannelRef) -> list[Reading]:
    items = doc if type(doc) is list else [doc] if type(doc) is dict else None
    if items is None:
        raise _Rejected(
            f"payload must be a JSON object or an array of objects, got {type(doc).__name__}"
        )
    if not items:
        raise _Rejected("payload holds no readings (an empty array)")
    if len(items) > MAX_READINGS_PER_MESSAGE:
        raise _Rejected(
            f"payload holds {len(items)} readings, more than {MAX_READINGS_PER_MESSAGE}"
        )
    times: list[int] = []
    values: list[float] = []
    units: dict[str, list[int]] = {}
    for number, item in enumerate(items):
        if type(item) is not dict:
            raise _Rejected(f"reading {number} must be an object, got {item!r}")
        try:
            if not item.keys() <= _KEYS:
                unknown = ", ".join(sorted(map(repr, item.keys() - _KEYS)))
                raise _Rejected(f"unknown key {unknown} (allowed: ts, value, unit)")
            if "ts" not in item or "value" not in item:
                raise _Rejected("ts and value are required")
            times.append(_ts_us(item["ts"]))
            value = item["value"]
            kind = type(value)
            if kind is int:
                value = _int_value(value)
            elif kind is not float or not math.isfinite(value):
                raise _Rejected(f"value must be a finite number, got {value!r}")
            values.append(value)
            unit = item.get("unit")
            if unit is not None:
                if type(unit) is not str:
                    raise _Rejected(f"unit must be text, got {unit!r}")
                units.setdefault(unit, []).append(number)
        except _Rejected as exc:
            raise _Rejected(f"reading {number}: {exc}") from None
    array = np.asarray(values, dtype=np.float64)
    try:
        if units:
            given = np.zeros(len(items), dtype=bool)
            for unit, index in units.items():
                array[index] = converter(unit, ref.unit)(array[index])
                given[index] = True
            rest = ~given
            array[rest] = converter(ref.source_unit, ref.unit)(array[rest])
        else:
            array = converter(ref.source_unit, ref.unit)(array)
    except UnitError as exc:
        raise _Rejected(str(exc)) from None
    if not np.isfinite(array).all():  # pragma: no cover - only an overflow in conversion
        raise _Rejected("a converted value is not finite")
    channel_id = ref.id
    return [Reading(channel_id, t, v) for t, v in zip(times, array.tolist(), strict=True)]


def _payload_text(payload: bytes | str) -> str:
    """Return the payload as text: undecodable bytes and NUL (refused by PostgreSQL) escaped."""
    text = payload if isinstance(payload, str) else payload.decode("utf-8", "backslashreplace")
    return text.replace("\x00", "\\x00")


def _dead(topic: str, payload: bytes | str, reason: str, received_at: datetime) -> DeadLetter:
    return DeadLetter(
        received_at=received_at,
        topic=topic[:500],
        payload=_payload_text(payload),
        reason=reason[:1000],
    )


def parse_message(
    topic: str,
    payload: bytes | str,
    channels: Mapping[ChannelAddress, ChannelRef],
    *,
    prefix: str = TOPIC_PREFIX,
    received_at: datetime | None = None,
) -> list[Reading] | DeadLetter:
    """Read an MQTT message into readings, or a dead letter saying why it cannot be read.

    Parameters
    ----------
    topic : str
        Topic, ``<prefix>/<site_id>/<sensor code>/<channel name>``.
    payload : bytes or str
        JSON payload (format in the module docstring).
    channels : mapping
        Registered channels by address, as :func:`postmine.monitoring.channels.
        channel_refs` returns them.
    prefix : str
        First level of the topics.
    received_at : datetime, optional
        When the message arrived (now by default); stored with a dead letter.

    Returns
    -------
    list of Reading or DeadLetter
        The readings, values converted to the channel's unit; or an unsaved
        :class:`~postmine.monitoring.models.DeadLetter` whose ``reason`` says what is wrong.
        It never raises on bad input.
    """
    when = received_at or datetime.now(UTC)
    try:
        try:
            address = parse_topic(topic, prefix=prefix)
        except ValueError as exc:
            raise _Rejected(str(exc)) from None
        ref = channels.get(address)
        if ref is None:
            raise _Rejected(
                f"no channel {address[2]!r} of sensor {address[1]!r} at site {address[0]} "
                "in the registry"
            )
        try:
            text = payload.decode("utf-8") if isinstance(payload, bytes) else payload
        except UnicodeDecodeError as exc:
            raise _Rejected(f"payload is not UTF-8: {exc}") from None
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            raise _Rejected(f"payload is not JSON: {exc}") from None
        return _readings(doc, ref)
    except _Rejected as exc:
        return _dead(topic, payload, str(exc), when)
    except Exception as exc:  # never let one message stop the stream
        log.exception("unexpected error reading a message on %s", topic)
        return _dead(topic, payload, f"internal error: {type(exc).__name__}: {exc}", when)


# --- the subscriber ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CommittedBatch:
    """What one committed write of the subscriber stored: given to ``on_batch`` callbacks."""

    readings: list[Reading]
    """The readings that were new (duplicates left out), in arrival order."""
    received: int
    """Readings in the batch's messages, duplicates included. [-]"""
    dead_letters: list[DeadLetter]
    """Messages of the batch that were dead-lettered."""
    messages: int
    """Messages in the batch. [-]"""
    committed_at: datetime
    """When the transaction committed (UTC)."""

    def by_channel(self) -> dict[int, Series]:
        """Return the new readings as one time-ordered :class:`Series` per channel id."""
        groups: dict[int, list[Reading]] = {}
        for reading in self.readings:
            groups.setdefault(reading.channel_id, []).append(reading)
        out: dict[int, Series] = {}
        for channel_id, rows in groups.items():
            ts = np.fromiter((r.ts_us for r in rows), dtype=np.int64, count=len(rows))
            value = np.fromiter((r.value for r in rows), dtype=np.float64, count=len(rows))
            order = np.argsort(ts, kind="stable")
            out[channel_id] = Series(channel_id, ts[order], value[order])
        return out


@dataclass
class SubscriberStats:
    """Counters of a :class:`Subscriber` since it was created."""

    messages: int = 0
    """Messages received. [-]"""
    readings_received: int = 0
    """Readings in the messages that could be read, duplicates included. [-]"""
    readings_stored: int = 0
    """Readings that were new and are committed. [-]"""
    dead_letters: int = 0
    """Messages committed as dead letters. [-]"""
    batches: int = 0
    """Transactions committed. [-]"""
    acknowledged: int = 0
    """Messages acknowledged to the broker. [-]"""
    write_errors: int = 0
    """Failed writes (retried; their messages are not acknowledged). [-]"""
    callback_errors: int = 0
    """Exceptions raised by ``on_batch`` callbacks (logged, then ignored). [-]"""
    connections: int = 0
    """Successful connections to the broker (reconnections included). [-]"""
    last_error: str | None = None
    """The last error met (connection, write or callback)."""


@dataclass
class _Pending:
    generation: int
    mid: int
    qos: int
    received: float  # time.monotonic() at arrival
    topic: str
    payload: bytes
    readings: list[Reading] | None
    dead_letter: DeadLetter | None


_DATA_ERRORS = (IntegrityError, DataError)
"""Write errors caused by a message's content (a channel deleted meanwhile, a value the
database refuses), as opposed to the database being unreachable or busy."""


BatchCallback = Callable[[CommittedBatch], None]

_NEVER_EXPIRES = 0xFFFFFFFF


class Subscriber:
    """Live MQTT ingestion into the registry: QoS 1, persistent session, batched writes.

    Messages are read as they arrive (:func:`parse_message`) and written in batches: a
    batch is committed when ``max_batch_messages`` messages or ``max_batch_readings``
    readings are waiting, or when the oldest has waited ``max_delay_ms``. One transaction
    stores the batch's new readings and its dead letters; then the ``on_batch`` callbacks
    run; then the messages are acknowledged. A failed write is retried (the messages stay
    unacknowledged meanwhile); a failing callback is logged and counted, and does not stop
    the stream. See the module docstring for the delivery guarantees.

    Parameters
    ----------
    db : str or Engine
        Registry database URL (or engine).
    host : str
        Broker host.
    port : int
        Broker port.
    client_id : str
        MQTT client id; fixed, so that the broker finds the session again after a
        restart. Two subscribers must not share one.
    prefix : str
        First topic level; the subscriber takes ``<prefix>/#``.
    protocol : {"5", "3.1.1"}
        MQTT protocol version.
    max_batch_messages : int
        Commit when this many messages wait. [-]
    max_batch_readings : int
        Commit when this many readings wait. [-]
    max_delay_ms : float
        Commit when the oldest waiting message has waited this long: the floor of the
        latency when messages are few. [ms]
    receive_maximum : int
        MQTT 5: how many unacknowledged messages the broker may send ahead (MQTT 3.1.1
        leaves it to the broker's ``max_inflight_messages``, 20 by default in Mosquitto). [-]
    session_expiry_s : int, optional
        MQTT 5: how long the broker keeps the session after a disconnect; None: never
        expires. [s]
    keepalive_s : int
        MQTT keep-alive. [s]
    username, password : str, optional
        Broker credentials.
    channel_refresh_s : float
        A message for an unknown channel reloads the channel list if it was loaded more
        than this long ago, so channels registered while the subscriber runs are found. [s]
    freeze_gc : bool
        Move the objects alive at :meth:`start` to the garbage collector's permanent
        generation (:func:`gc.freeze`). A full collection otherwise walks the ~120,000
        long-lived objects of pint's and SQLAlchemy's registries (~65 ms on the 2-core
        benchmark machine), which showed as the slowest 1 % of latencies.

    Examples
    --------
    A sketch (needs a broker)::

        sub = Subscriber("sqlite:///registry.sqlite", client_id="postmine-ingest-1")
        sub.on_batch(lambda batch: print(len(batch.readings), "new readings"))
        with sub:  # start() ... stop()
            time.sleep(60)
    """

    def __init__(
        self,
        db: str | Engine,
        *,
        host: str = "127.0.0.1",
        port: int = 1883,
        client_id: str = "postmine-ingest",
        prefix: str = TOPIC_PREFIX,
        protocol: Literal["5", "3.1.1"] = "5",
        max_batch_messages: int = 100,
        max_batch_readings: int = 20_000,
        max_delay_ms: float = 20.0,
        receive_maximum: int = 1000,
        session_expiry_s: int | None = None,
        keepalive_s: int = 30,
        username: str | None = None,
        password: str | None = None,
        channel_refresh_s: float = 1.0,
        freeze_gc: bool = True,
    ) -> None:
        if protocol not in ("5", "3.1.1"):
            raise ValueError(f"protocol must be '5' or '3.1.1', got {protocol!r}")
        for name, value, low in (
            ("max_batch_messages", max_batch_messages, 1),
            ("max_batch_readings", max_batch_readings, 1),
            ("receive_maximum", receive_maximum, 1),
            ("keepalive_s", keepalive_s, 1),
        ):
            if isinstance(value, bool) or not isinstance(value, int) or value < low:
                raise ValueError(f"{name} must be an integer >= {low}, got {value!r}")
        if receive_maximum > 65535:
            raise ValueError(f"receive_maximum must be <= 65535, got {receive_maximum}")
        if not max_delay_ms > 0:
            raise ValueError(f"max_delay_ms must be > 0 ms, got {max_delay_ms}")
        if not isinstance(client_id, str) or not client_id:
            raise ValueError(f"client_id must be non-empty text, got {client_id!r}")
        self._engine = db if isinstance(db, Engine) else get_engine(db)
        self._url = None if isinstance(db, Engine) else db
        self.host, self.port, self.client_id, self.prefix = host, port, client_id, prefix
        self.protocol = protocol
        self.max_batch_messages = max_batch_messages
        self.max_batch_readings = max_batch_readings
        self.max_delay_s = max_delay_ms / 1000.0
        self.receive_maximum = receive_maximum
        self.session_expiry_s = session_expiry_s
        self.keepalive_s = keepalive_s
        self._credentials = (username, password)
        self.channel_refresh_s = channel_refresh_s
        self.freeze_gc = freeze_gc
        self.stats = SubscriberStats()
        self._callbacks: list[BatchCallback] = []
        self._cond = threading.Condition()
        self._pending: list[_Pending] = []
        self._pending_readings = 0
        self._generation = 0
        self._stopping = False
        self._writer: threading.Thread | None = None
        self._client: Any = None
        self._subscribed = threading.Event()
        self._channels: dict[ChannelAddress, ChannelRef] = {}
        self._channels_loaded = -math.inf
        self._channels_lock = threading.Lock()

    # -- public ---------------------------------------------------------------------------------

    def on_batch(self, callback: BatchCallback) -> BatchCallback:
        """Call ``callback(batch)`` after each committed batch (usable as a decorator).

        The callback runs in the writer thread, after the commit and before the messages are
        acknowledged; ingestion waits for it, so it should be quick (the rules engine). An
        exception it raises is logged and counted in ``stats.callback_errors``.
        """
        self._callbacks.append(callback)
        return callback

    @property
    def connected(self) -> bool:
        """Whether the subscriber is connected and subscribed."""
        return self._subscribed.is_set()

    def start(self, timeout: float = 10.0) -> None:
        """Connect, subscribe and start ingesting; return once subscribed.

        Raises
        ------
        ConnectionError
            If it is not connected and subscribed within ``timeout`` seconds (it stops
            then).
        RuntimeError
            If it is already running.
        """
        import paho.mqtt.client as mqtt
        from paho.mqtt.enums import CallbackAPIVersion
        from paho.mqtt.packettypes import PacketTypes
        from paho.mqtt.properties import Properties

        if self._writer is not None:
            raise RuntimeError("the subscriber is already running")
        if self._url is not None:
            with session_scope(self._url):  # refuses a database without the current schema
                pass
        self._load_channels()
        if self.freeze_gc:
            gc.collect()
            gc.freeze()
        v5 = self.protocol == "5"
        client = mqtt.Client(
            CallbackAPIVersion.VERSION2,
            client_id=self.client_id,
            clean_session=None if v5 else False,
            protocol=mqtt.MQTTv5 if v5 else mqtt.MQTTv311,
            manual_ack=True,
        )
        client.suppress_exceptions = True
        client.reconnect_delay_set(min_delay=1, max_delay=10)
        if self._credentials[0] is not None:
            client.username_pw_set(*self._credentials)
        client.on_connect = self._on_connect
        client.on_subscribe = self._on_subscribe
        client.on_disconnect = self._on_disconnect
        client.on_message = self._on_message
        self._client = client
        self._stopping = False
        self._subscribed.clear()
        self._writer = threading.Thread(
            target=self._write_loop, name=f"postmine-writer-{self.client_id}", daemon=True
        )
        self._writer.start()
        if v5:
            properties = Properties(PacketTypes.CONNECT)  # type: ignore[no-untyped-call]
            expiry = self.session_expiry_s
            properties.SessionExpiryInterval = _NEVER_EXPIRES if expiry is None else expiry
            properties.ReceiveMaximum = self.receive_maximum
            client.connect_async(
                self.host,
                self.port,
                keepalive=self.keepalive_s,
                clean_start=False,
                properties=properties,
            )
        else:
            client.connect_async(self.host, self.port, keepalive=self.keepalive_s)
        client.loop_start()
        if not self._subscribed.wait(timeout):
            error = self.stats.last_error or "no answer"
            self.stop()
            raise ConnectionError(
                f"cannot subscribe at MQTT broker {self.host}:{self.port} within "
                f"{timeout:g} s: {error}"
            )

    def stop(self, timeout: float = 10.0) -> None:
        """Commit and acknowledge what has arrived, then disconnect (the session stays).

        Messages that arrive after the last commit are not acknowledged; the broker
        delivers them again at the next start.
        """
        writer, client = self._writer, self._client
        if writer is None:
            return
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        writer.join(timeout)
        if client is not None:
            client.disconnect()
            client.loop_stop()
        self._subscribed.clear()
        self._writer = None
        self._client = None

    def __enter__(self) -> Subscriber:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- paho callbacks (network thread) --------------------------------------------------------

    def _on_connect(
        self, client: Any, userdata: Any, flags: Any, reason_code: Any, properties: Any
    ) -> None:
        if reason_code.is_failure:
            self.stats.last_error = f"connection refused: {reason_code}"
            log.error("MQTT connection refused: %s", reason_code)
            return
        with self._cond:
            self._generation += 1
        self.stats.connections += 1
        result, _mid = client.subscribe(f"{self.prefix}/#", qos=1)
        if result != 0:
            self.stats.last_error = f"subscribe failed: {result}"

    def _on_subscribe(
        self, client: Any, userdata: Any, mid: int, reason_codes: Any, properties: Any
    ) -> None:
        failures = [code for code in reason_codes if code.is_failure]
        if failures or any(code.value < 1 for code in reason_codes):
            self.stats.last_error = f"subscription not granted with QoS 1: {reason_codes}"
            log.error("MQTT subscription not granted with QoS 1: %s", reason_codes)
            return
        self._subscribed.set()

    def _on_disconnect(
        self, client: Any, userdata: Any, flags: Any, reason_code: Any, properties: Any
    ) -> None:
        self._subscribed.clear()
        if not self._stopping:
            self.stats.last_error = f"disconnected: {reason_code}"
            log.warning("MQTT disconnected (%s); reconnecting", reason_code)

    def _on_message(self, client: Any, userdata: Any, message: Any) -> None:
        arrived = time.monotonic()
        topic = message.topic
        try:
            parsed = parse_message(topic, message.payload, self._lookup(topic), prefix=self.prefix)
        except Exception as exc:  # pragma: no cover - parse_message does not raise
            parsed = _dead(topic, message.payload, f"internal error: {exc}", datetime.now(UTC))
        readings = parsed if isinstance(parsed, list) else None
        item = _Pending(
            generation=self._generation,
            mid=message.mid,
            qos=message.qos,
            received=arrived,
            topic=topic,
            payload=message.payload,
            readings=readings,
            dead_letter=None if readings is not None else parsed,  # type: ignore[arg-type]
        )
        with self._cond:
            self._pending.append(item)
            self._pending_readings += len(readings) if readings else 0
            self.stats.messages += 1
            if (
                len(self._pending) >= self.max_batch_messages
                or self._pending_readings >= self.max_batch_readings
                or len(self._pending) == 1
            ):
                self._cond.notify_all()

    # -- channels -------------------------------------------------------------------------------

    def _load_channels(self) -> None:
        refs = channel_refs(self._engine)
        with self._channels_lock:
            self._channels = refs
            self._channels_loaded = time.monotonic()

    def _lookup(self, topic: str) -> Mapping[ChannelAddress, ChannelRef]:
        """Return the channel map, reloaded (at most every channel_refresh_s) on a miss."""
        try:
            address = parse_topic(topic, prefix=self.prefix)
        except ValueError:
            return self._channels
        stale = time.monotonic() - self._channels_loaded >= self.channel_refresh_s
        if address not in self._channels and stale:
            try:
                self._load_channels()
            except Exception as exc:  # the database may be down: dead-letter, go on
                self.stats.last_error = f"cannot load channels: {exc}"
        return self._channels

    # -- the writer thread ----------------------------------------------------------------------

    def _due(self) -> bool:
        if not self._pending:
            return False
        return (
            len(self._pending) >= self.max_batch_messages
            or self._pending_readings >= self.max_batch_readings
            or time.monotonic() - self._pending[0].received >= self.max_delay_s
        )

    def _write_loop(self) -> None:
        retry_s = 0.0
        while True:
            with self._cond:
                while not self._stopping and not self._due():
                    if self._pending:
                        wait = self.max_delay_s - (time.monotonic() - self._pending[0].received)
                        self._cond.wait(max(wait, 0.001))
                    else:
                        self._cond.wait(0.5)
                items, self._pending = self._pending, []
                self._pending_readings = 0
                stopping = self._stopping
            if items and not self._flush(items):
                with self._cond:  # put them back in front, in order, and retry later
                    self._pending[:0] = items
                    self._pending_readings += sum(len(i.readings or ()) for i in items)
                if stopping:
                    return  # not acknowledged: the broker delivers them again
                retry_s = min(max(retry_s * 2, 0.1), 5.0)
                time.sleep(retry_s)
                continue
            retry_s = 0.0
            if stopping:
                return

    def _commit(self, items: list[_Pending]) -> tuple[list[Reading], list[DeadLetter], int]:
        """Store the items in one transaction: (new readings, dead letters, readings)."""
        readings = [r for item in items if item.readings for r in item.readings]
        letters = [item.dead_letter for item in items if item.dead_letter is not None]
        with self._engine.begin() as connection:
            new = insert_new(connection, readings) if readings else []
            if letters:
                write_dead_letters(connection, letters)
        return new, letters, len(readings)

    def _commit_each(self, items: list[_Pending]) -> tuple[list[Reading], list[DeadLetter], int]:
        """Store the items one by one; dead-letter those the database refuses."""
        new: list[Reading] = []
        letters: list[DeadLetter] = []
        received = 0
        for item in items:
            try:
                stored = self._commit([item])
            except _DATA_ERRORS as exc:
                reason = f"could not be stored: {type(exc).__name__}: {getattr(exc, 'orig', exc)}"
                letter = _dead(item.topic, item.payload, reason, datetime.now(UTC))
                stored = self._commit([replace(item, readings=None, dead_letter=letter)])
            new.extend(stored[0])
            letters.extend(stored[1])
            received += stored[2]
        return new, letters, received

    def _flush(self, items: list[_Pending]) -> bool:
        try:
            try:
                new, letters, received = self._commit(items)
            except _DATA_ERRORS:  # a message the database refuses: find it, dead-letter it
                new, letters, received = self._commit_each(items)
        except Exception as exc:
            self.stats.write_errors += 1
            self.stats.last_error = f"write failed: {type(exc).__name__}: {exc}"
            log.error("writing a batch of %d messages failed: %s", len(items), exc)
            return False
        batch = CommittedBatch(
            readings=new,
            received=received,
            dead_letters=letters,
            messages=len(items),
            committed_at=datetime.now(UTC),
        )
        self.stats.readings_received += received
        self.stats.readings_stored += len(new)
        self.stats.dead_letters += len(letters)
        self.stats.batches += 1
        for callback in self._callbacks:
            try:
                callback(batch)
            except Exception as exc:
                self.stats.callback_errors += 1
                self.stats.last_error = f"on_batch callback failed: {type(exc).__name__}: {exc}"
                log.exception("an on_batch callback failed")
        client, generation = self._client, self._generation
        if client is not None:
            for item in items:
                if item.qos > 0 and item.generation == generation:
                    client.ack(item.mid, item.qos)
                    self.stats.acknowledged += 1
        return True


# --- logger files ------------------------------------------------------------------------------

_TIME_NAMES = ("timestamp", "time", "ts", "datetime", "date_time", "date")
_MISSING = frozenset({"", "nan", "na", "n/a", "null", "none", "-", "#n/a"})


@dataclass
class LoggerTable:
    """A logger file as read: its header, the unit of each column (if given) and its rows."""

    header: list[str]
    units: list[str | None]
    rows: list[tuple[int, list[Any]]]
    """(line number in the file, cells)."""
    time_index: int


@dataclass
class FileReport:
    """What :func:`ingest_file` did with a logger file."""

    path: str
    channels: dict[str, int] = field(default_factory=dict)
    """Column header -> channel id."""
    rows: int = 0
    """Data rows read. [-]"""
    readings: int = 0
    """Readings read (non-empty cells of channel columns in good rows). [-]"""
    stored: int = 0
    """Readings that were new. [-]"""
    missing: int = 0
    """Empty or NaN cells, skipped. [-]"""
    dead_letters: int = 0
    """Rows or cells that could not be read (stored as dead letters). [-]"""
    first_ts: datetime | None = None
    """Earliest time in the file (UTC)."""
    last_ts: datetime | None = None
    """Latest time in the file (UTC)."""

    @property
    def duplicates(self) -> int:
        """Return how many readings were stored already (file ingested again, overlaps)."""
        return self.readings - self.stored


def _split_unit(header: str) -> tuple[str, str | None]:
    """``"pore_pressure [kPa]"`` -> ``("pore_pressure", "kPa")``; also ``(kPa)``."""
    text = header.strip()
    for left, right in (("[", "]"), ("(", ")")):
        if text.endswith(right) and left in text:
            name, _, unit = text[:-1].rpartition(left)
            if name.strip() and unit.strip():
                return name.strip(), unit.strip()
    return text, None


def _read_rows(path: Path, sheet: str | None) -> Iterator[tuple[int, list[Any]]]:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        import openpyxl  # type: ignore[import-untyped,unused-ignore]

        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            worksheet = workbook[sheet] if sheet else workbook.worksheets[0]
            for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
                yield number, list(values)
        finally:
            workbook.close()
        return
    if sheet is not None:
        raise ValueError(f"sheet is only for Excel files, got sheet={sheet!r} for {path.name}")
    text = path.read_text(encoding="utf-8-sig")
    try:
        dialect: Any = csv.Sniffer().sniff(text[:8192], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    for number, cells in enumerate(csv.reader(io.StringIO(text), dialect), start=1):
        yield number, list(cells)


def read_logger_file(
    path: str | Path, *, time_column: str | None = None, sheet: str | None = None
) -> LoggerTable:
    """Read a logger file's header, units and rows (no conversion, no database).

    Two layouts are recognised. A Campbell Scientific TOA5 file (first cell ``TOA5``):
    line 2 the column names, line 3 their units, line 4 the processing (skipped), data from
    line 5, time in ``TIMESTAMP``, ``RECORD`` ignored. Otherwise: line 1 the header, a unit
    in brackets after a name (``pore_pressure [kPa]``), data from line 2. Blank lines are
    skipped.

    Parameters
    ----------
    path : str or Path
        CSV (``,``, ``;`` or tab separated, UTF-8) or Excel (``.xlsx``) file.
    time_column : str, optional
        Header of the time column; by default the first named timestamp, time, ts,
        datetime, date_time or date (any case), else the first column.
    sheet : str, optional
        Excel sheet (the first by default).

    Returns
    -------
    LoggerTable
        Header, units, rows with their line numbers, index of the time column.

    Raises
    ------
    ValueError
        If the file is empty, has no such time column, or repeats a column name.
    """
    path = Path(path)
    rows = [(n, cells) for n, cells in _read_rows(path, sheet) if any(_cell_text(c) for c in cells)]
    if not rows:
        raise ValueError(f"{path.name} holds no rows")
    first = [_cell_text(c) for c in rows[0][1]]
    if first and first[0] == "TOA5":
        if len(rows) < 4:
            raise ValueError(f"{path.name}: a TOA5 file needs 4 header lines")
        names = [_cell_text(c) for c in rows[1][1]]
        units: list[str | None] = [_cell_text(c) or None for c in rows[2][1]]
        units += [None] * (len(names) - len(units))
        data = rows[4:]
        names = ["" if n == "RECORD" else n for n in names]
    else:
        names, units = [], []
        for cell in first:
            name, unit = _split_unit(cell)
            names.append(name)
            units.append(unit)
        data = rows[1:]
    seen = [n for n in names if n]
    if len(seen) != len(set(seen)):
        repeated = sorted({n for n in seen if seen.count(n) > 1})
        raise ValueError(f"{path.name}: column names repeat: {', '.join(repeated)}")
    if time_column is not None:
        if time_column not in names:
            raise ValueError(
                f"{path.name} has no column {time_column!r}; columns: {', '.join(seen)}"
            )
        index = names.index(time_column)
    else:
        lowered = [n.lower() for n in names]
        index = next((lowered.index(t) for t in _TIME_NAMES if t in lowered), 0)
    return LoggerTable(header=names, units=units, rows=data, time_index=index)


def _cell_text(cell: Any) -> str:
    return "" if cell is None else str(cell).strip()


def _row_text(cells: Sequence[Any]) -> str:
    return ",".join(_cell_text(c) for c in cells)


def _zone(timezone_: str | tzinfo) -> tzinfo:
    if isinstance(timezone_, tzinfo):
        return timezone_
    text = timezone_.strip()
    if text.upper() in ("UTC", "Z"):
        return UTC
    if text[:1] in "+-" and len(text) == 6 and text[3] == ":":
        sign = 1 if text[0] == "+" else -1
        try:
            hours, minutes = int(text[1:3]), int(text[4:6])
        except ValueError:
            raise ValueError(f"timezone offset must be ±hh:mm, got {text!r}") from None
        return timezone(sign * timedelta(hours=hours, minutes=minutes))
    try:
        return ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"timezone must be UTC, an offset like +07:00 or an IANA name, got {text!r}"
        ) from None


def _file_time(cell: Any, zone: tzinfo, time_format: str | None) -> int:
    if isinstance(cell, datetime):
        moment = cell
    elif isinstance(cell, int | float):
        raise _Rejected(
            f"the time is a number ({cell!r}), not a date and time: format the column as "
            "dates (an Excel serial date cannot be told from seconds)"
        )
    else:
        text = _cell_text(cell)
        if not text:
            raise _Rejected("the time is empty")
        try:
            if time_format:
                moment = datetime.strptime(text, time_format)
            else:
                moment = datetime.fromisoformat(text)
        except ValueError:
            shown = f"format {time_format!r}" if time_format else "ISO 8601"
            raise _Rejected(f"time {text!r} does not match {shown}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    us = (moment - EPOCH) // _US
    if not _MIN_US <= us < _MAX_US:
        raise _Rejected(f"time must lie in 1900..2200, got {moment.isoformat()}")
    return int(us)


def _file_value(cell: Any, decimal: str) -> float | None:
    """Return a cell's number, None for an empty or NaN cell; raise _Rejected if text."""
    if isinstance(cell, bool):
        raise _Rejected(f"value must be a number, got {cell!r}")
    if isinstance(cell, int | float):
        number = float(cell)
    else:
        text = _cell_text(cell)
        if text.lower() in _MISSING:
            return None
        if decimal != ".":
            text = text.replace(decimal, ".")
        try:
            number = float(text)
        except ValueError:
            raise _Rejected(f"value must be a number, got {text!r}") from None
    return number if math.isfinite(number) else None


def ingest_file(
    path: str | Path,
    target: Target,
    *,
    site_id: int,
    sensor: str | None = None,
    columns: Mapping[str, str | None] | None = None,
    time_column: str | None = None,
    time_format: str | None = None,
    timezone: str | tzinfo = "UTC",
    decimal: str = ".",
    sheet: str | None = None,
) -> FileReport:
    """Ingest a logger file (CSV or Excel) into the readings of a site's channels.

    Each column other than the time column is one channel, named by its header:
    ``<sensor code>/<channel name>`` (``PZ-01/pore_pressure``), or just the channel name
    when ``sensor`` is given; ``columns`` maps headers to such names, and a header mapped
    to None is ignored. A unit in the header (``[bar]``) or TOA5 units line is the unit of
    the column, else the channel's ``source_unit``; values are converted to the channel's
    unit. Empty and NaN cells are missing data, skipped. A row whose time cannot be read,
    and a cell whose value cannot be read, become dead letters (topic
    ``file:<file name>:<line>``) with the reason; the rest is stored. The whole file is
    one transaction, and writes are idempotent: ingesting a file twice stores it once.

    Parameters
    ----------
    path : str or Path
        The file (see :func:`read_logger_file` for the layouts).
    target : Session, Connection, Engine or str
        Registry to write to (a session or connection: inside its transaction).
    site_id : int
        Site of the sensors. [-]
    sensor : str, optional
        Code of the sensor when headers name channels only. [-]
    columns : mapping, optional
        Header -> ``"<sensor>/<channel>"`` (or channel name with ``sensor``), or None to
        ignore the column.
    time_column : str, optional
        Header of the time column (see :func:`read_logger_file`).
    time_format : str, optional
        ``strptime`` format of the times (``"%d.%m.%Y %H:%M"``); ISO 8601 by default.
    timezone : str or tzinfo
        Zone of times written without an offset: ``"UTC"`` (default), an offset
        ``"+07:00"`` or an IANA name (``"Asia/Krasnoyarsk"``). Loggers usually keep a fixed
        offset all year: prefer the offset to a zone with daylight saving time.
    decimal : str
        Decimal separator of numbers written as text (``","`` for ``12,5``).
    sheet : str, optional
        Excel sheet (the first by default).

    Returns
    -------
    FileReport
        Counts of rows, readings stored, duplicates, missing cells and dead letters.

    Raises
    ------
    ValueError
        If the file cannot be read as a table, a column names no registered channel, or a
        column's unit does not convert to its channel's unit; nothing is written then.
    """
    path = Path(path)
    zone = _zone(timezone)
    table = read_logger_file(path, time_column=time_column, sheet=sheet)
    with _connection(target) as connection:
        refs = channel_refs(connection)
        targets: list[tuple[int, ChannelRef, Callable[[Any], np.ndarray[Any, Any]], str]] = []
        unmatched: list[str] = []
        for index, header in enumerate(table.header):
            if index == table.time_index or not header:
                continue
            name: str | None = header
            if columns is not None and header in columns:
                name = columns[header]
            if name is None:
                continue
            if "/" in name:
                code, _, channel = name.partition("/")
            elif sensor is not None:
                code, channel = sensor, name
            else:
                unmatched.append(header)
                continue
            ref = refs.get((site_id, code, channel))
            if ref is None:
                unmatched.append(header)
                continue
            unit = table.units[index] if index < len(table.units) else None
            try:
                convert = converter(check_unit(unit) if unit else ref.source_unit, ref.unit)
            except UnitError as exc:
                raise ValueError(f"{path.name}, column {header!r}: {exc}") from None
            targets.append((index, ref, convert, header))
        if unmatched:
            raise ValueError(
                f"{path.name}: no channel of site {site_id} for column(s) "
                f"{', '.join(map(repr, unmatched))}; name them <sensor>/<channel>, give "
                "sensor=, or map them with columns= (None ignores a column)"
            )
        if not targets:
            raise ValueError(f"{path.name} has no channel columns")
        report = FileReport(path=str(path), channels={h: ref.id for _, ref, _, h in targets})
        column_times: list[list[int]] = [[] for _ in targets]
        column_values: list[list[float]] = [[] for _ in targets]
        letters: list[DeadLetter] = []
        now = datetime.now(UTC)
        times: list[int] = []
        for line, cells in table.rows:
            report.rows += 1
            where = f"file:{path.name}:{line}"
            try:
                ts_cell = cells[table.time_index] if table.time_index < len(cells) else None
                ts_us = _file_time(ts_cell, zone, time_format)
            except _Rejected as exc:
                letters.append(_dead(where, _row_text(cells), str(exc), now))
                continue
            times.append(ts_us)
            for k, (index, _ref, _convert, header) in enumerate(targets):
                cell = cells[index] if index < len(cells) else None
                try:
                    value = _file_value(cell, decimal)
                except _Rejected as exc:
                    reason = f"column {header!r}: {exc}"
                    letters.append(_dead(where, _row_text(cells), reason, now))
                    continue
                if value is None:
                    report.missing += 1
                    continue
                column_times[k].append(ts_us)
                column_values[k].append(value)
        rows: list[Reading] = []
        for k, (_index, ref, convert, _header) in enumerate(targets):
            converted = convert(np.asarray(column_values[k], dtype=np.float64)).tolist()
            rows.extend(
                Reading(ref.id, t, v) for t, v in zip(column_times[k], converted, strict=True)
            )
        report.readings = len(rows)
        report.stored = len(insert_new(connection, rows)) if rows else 0
        report.dead_letters = write_dead_letters(connection, letters)
        if times:
            report.first_ts = EPOCH + timedelta(microseconds=min(times))
            report.last_ts = EPOCH + timedelta(microseconds=max(times))
    return report
