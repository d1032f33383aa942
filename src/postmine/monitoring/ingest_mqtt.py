"""The live MQTT subscriber: readings stored as they arrive, acknowledged after commit.

:class:`Subscriber` takes every topic under its prefix, reads each message with
:func:`postmine.monitoring.messages.parse_message` (the topic and payload format are in
:mod:`postmine.monitoring.messages`), writes the readings -- or the dead letter -- in
batches through :func:`postmine.monitoring.store.insert_new`, and hands each committed batch
to the ``on_batch`` callbacks (the alerting pipeline).

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
"""

from __future__ import annotations

import gc
import logging
import math
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, Literal

import numpy as np
from sqlalchemy import Engine
from sqlalchemy.exc import DataError, IntegrityError

from postmine.db import get_engine, session_scope
from postmine.monitoring.channels import ChannelAddress, ChannelRef, channel_refs
from postmine.monitoring.messages import TOPIC_PREFIX, dead_letter, parse_message, parse_topic
from postmine.monitoring.models import DeadLetter
from postmine.monitoring.store import Reading, Series, insert_new, write_dead_letters

__all__ = ["CommittedBatch", "Subscriber", "SubscriberStats"]

log = logging.getLogger(__name__)


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
            parsed = dead_letter(
                topic, message.payload, f"internal error: {exc}", datetime.now(UTC)
            )
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
                letter = dead_letter(item.topic, item.payload, reason, datetime.now(UTC))
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
