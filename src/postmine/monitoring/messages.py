r"""Reading messages: the MQTT topic and payload format, and the dead letters of every source.

Every ingestion path -- the MQTT subscriber (:mod:`postmine.monitoring.ingest_mqtt`) and
logger files (:mod:`postmine.monitoring.ingest_files`) -- ends in
:func:`postmine.monitoring.store.insert_new`: readings are converted to their channel's
canonical unit (:mod:`postmine.monitoring.units`) and stored once per (channel, time), so
duplicates and out-of-order arrivals are harmless. What cannot be ingested is
:class:`Rejected` with the reason and goes to the ``dead_letters`` table
(:func:`dead_letter`), and ingestion goes on. This module reads the messages
(:func:`parse_message`) and holds what both paths share: the rejection, the dead letter and
the range of times a reading may carry (:data:`EARLIEST_US` .. :data:`LATEST_US`).

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

import json
import logging
import math
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np

from postmine.monitoring.channels import ChannelAddress, ChannelRef
from postmine.monitoring.models import DeadLetter
from postmine.monitoring.store import EPOCH, Reading
from postmine.monitoring.units import UnitError, converter

__all__ = [
    "EARLIEST_US",
    "LATEST_US",
    "MAX_READINGS_PER_MESSAGE",
    "TOPIC_PREFIX",
    "Rejected",
    "dead_letter",
    "parse_message",
    "parse_topic",
    "topic_of",
]

log = logging.getLogger(__name__)

TOPIC_PREFIX = "postmine"
"""First level of the topics readings are published on."""
MAX_READINGS_PER_MESSAGE = 100_000
"""Largest batch one message may carry."""
EARLIEST_US = (datetime(1900, 1, 1, tzinfo=UTC) - EPOCH) // timedelta(microseconds=1)
"""Earliest time a reading may carry (1900-01-01, inclusive). [µs since 1970, UTC]"""
LATEST_US = (datetime(2200, 1, 1, tzinfo=UTC) - EPOCH) // timedelta(microseconds=1)
"""Latest time a reading may carry (2200-01-01, exclusive). [µs since 1970, UTC]"""

_US = timedelta(microseconds=1)
_KEYS = frozenset({"ts", "value", "unit"})


class Rejected(ValueError):
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
    """Microseconds since the epoch of a payload's ``ts``; raise Rejected if unusable."""
    kind = type(ts)
    if kind is str:
        try:
            moment = datetime.fromisoformat(ts)
        except ValueError:
            raise Rejected(f"ts must be an ISO-8601 time, got {ts!r}") from None
        if moment.tzinfo is None:
            raise Rejected(f"ts must carry its UTC offset (Z or +hh:mm), got {ts!r}")
        us = (moment - EPOCH) // _US
    elif kind is int or kind is float:
        if kind is float and not math.isfinite(ts):
            raise Rejected(f"ts must be finite, got {ts!r}")
        us = ts * 1_000_000 if kind is int else round(ts * 1_000_000)
        if us >= LATEST_US and us // 1000 < LATEST_US:
            raise Rejected(f"ts {ts!r} s since 1970 is after 2200: milliseconds? send seconds")
    else:
        raise Rejected(f"ts must be an ISO-8601 string or seconds since 1970, got {ts!r}")
    if not EARLIEST_US <= us < LATEST_US:
        raise Rejected(f"ts must lie in 1900..2200, got {ts!r}")
    return int(us)


def _int_value(value: int) -> float:
    """Return a JSON integer as a float; raise Rejected if it is beyond float range."""
    try:
        return float(value)
    except OverflowError:
        raise Rejected(
            f"value must be a finite number, got an integer of {len(str(value))} digits"
        ) from None


def _readings(doc: Any, ref: ChannelRef) -> list[Reading]:
    items = doc if type(doc) is list else [doc] if type(doc) is dict else None
    if items is None:
        raise Rejected(
            f"payload must be a JSON object or an array of objects, got {type(doc).__name__}"
        )
    if not items:
        raise Rejected("payload holds no readings (an empty array)")
    if len(items) > MAX_READINGS_PER_MESSAGE:
        raise Rejected(f"payload holds {len(items)} readings, more than {MAX_READINGS_PER_MESSAGE}")
    times: list[int] = []
    values: list[float] = []
    units: dict[str, list[int]] = {}
    for number, item in enumerate(items):
        if type(item) is not dict:
            raise Rejected(f"reading {number} must be an object, got {item!r}")
        try:
            if not item.keys() <= _KEYS:
                unknown = ", ".join(sorted(map(repr, item.keys() - _KEYS)))
                raise Rejected(f"unknown key {unknown} (allowed: ts, value, unit)")
            if "ts" not in item or "value" not in item:
                raise Rejected("ts and value are required")
            times.append(_ts_us(item["ts"]))
            value = item["value"]
            kind = type(value)
            if kind is int:
                value = _int_value(value)
            elif kind is not float or not math.isfinite(value):
                raise Rejected(f"value must be a finite number, got {value!r}")
            values.append(value)
            unit = item.get("unit")
            if unit is not None:
                if type(unit) is not str:
                    raise Rejected(f"unit must be text, got {unit!r}")
                units.setdefault(unit, []).append(number)
        except Rejected as exc:
            raise Rejected(f"reading {number}: {exc}") from None
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
        raise Rejected(str(exc)) from None
    if not np.isfinite(array).all():  # pragma: no cover - only an overflow in conversion
        raise Rejected("a converted value is not finite")
    channel_id = ref.id
    return [Reading(channel_id, t, v) for t, v in zip(times, array.tolist(), strict=True)]


def _payload_text(payload: bytes | str) -> str:
    """Return the payload as text: undecodable bytes and NUL (refused by PostgreSQL) escaped."""
    text = payload if isinstance(payload, str) else payload.decode("utf-8", "backslashreplace")
    return text.replace("\x00", "\\x00")


def dead_letter(topic: str, payload: bytes | str, reason: str, received_at: datetime) -> DeadLetter:
    """Return an unsaved dead letter: what arrived, where from, when, and why it was refused.

    Parameters
    ----------
    topic : str
        The MQTT topic, or ``file:<file name>:<line>`` for a logger file's row.
    payload : bytes or str
        What arrived (undecodable bytes and NUL are escaped).
    reason : str
        Why it cannot be ingested.
    received_at : datetime
        When it arrived. [UTC]
    """
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
            raise Rejected(str(exc)) from None
        ref = channels.get(address)
        if ref is None:
            raise Rejected(
                f"no channel {address[2]!r} of sensor {address[1]!r} at site {address[0]} "
                "in the registry"
            )
        try:
            text = payload.decode("utf-8") if isinstance(payload, bytes) else payload
        except UnicodeDecodeError as exc:
            raise Rejected(f"payload is not UTF-8: {exc}") from None
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            raise Rejected(f"payload is not JSON: {exc}") from None
        return _readings(doc, ref)
    except Rejected as exc:
        return dead_letter(topic, payload, str(exc), when)
    except Exception as exc:  # never let one message stop the stream
        log.exception("unexpected error reading a message on %s", topic)
        return dead_letter(topic, payload, f"internal error: {type(exc).__name__}: {exc}", when)
