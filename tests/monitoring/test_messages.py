"""The MQTT payload format (no broker): topics, readings in each form, dead letters.

Expected values are worked by hand from the unit definitions (1 bar = 100 kPa, 1 m = 1000 mm,
°C = (°F - 32)·5/9) and the calendar (2026-11-25T00:00:00Z = 1,795,564,800 s since 1970).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from numpy.testing import assert_allclose, assert_array_equal

from postmine.monitoring.channels import ChannelRef
from postmine.monitoring.messages import (
    MAX_READINGS_PER_MESSAGE,
    parse_message,
    parse_topic,
    topic_of,
)
from postmine.monitoring.models import DeadLetter
from postmine.monitoring.store import Reading

T0 = 1_795_564_800  # 2026-11-25T00:00:00Z [s]
T0_US = T0 * 1_000_000
VALUE_RTOL = 1e-12  # one float64 multiplication per conversion


PRESSURE = ChannelRef(
    id=7, site_id=3, sensor_code="PZ-01", name="pore_pressure", unit="kPa", source_unit="bar"
)
CHANNELS = {PRESSURE.address: PRESSURE}
TOPIC = "postmine/3/PZ-01/pore_pressure"


# --- the payload format ------------------------------------------------------------------------


def test_topics():
    assert topic_of(3, "PZ-01", "pore_pressure") == TOPIC
    assert parse_topic(TOPIC) == (3, "PZ-01", "pore_pressure")
    assert parse_topic("site/3/PZ-01/x", prefix="site") == (3, "PZ-01", "x")


def test_one_reading_in_each_time_form():
    forms = [
        "2026-11-25T00:00:00Z",
        "2026-11-25T07:00:00+07:00",  # Krasnoyarsk: the same instant
        "2026-11-25T00:00:00.000000+00:00",
        T0,
        float(T0),
    ]
    for ts in forms:
        readings = parse_message(TOPIC, json.dumps({"ts": ts, "value": 1.013}), CHANNELS)
        assert readings == [Reading(7, T0_US, pytest.approx(101.3, rel=VALUE_RTOL))], ts


def test_microseconds_survive_seconds_as_a_json_number():
    readings = parse_message(TOPIC, b'{"ts": 1795564800.000001, "value": 1}', CHANNELS)
    assert isinstance(readings, list)
    assert readings[0].ts_us == T0_US + 1


def test_a_batch_with_units_per_reading():
    payload = [
        {"ts": T0, "value": 1.0},  # the channel's source unit: bar
        {"ts": T0 + 60, "value": 150.0, "unit": "kPa"},
        {"ts": T0 + 120, "value": 2.0, "unit": "bar"},
        {"ts": T0 + 180, "value": 1000.0, "unit": "hPa"},
    ]
    readings = parse_message(TOPIC, json.dumps(payload).encode(), CHANNELS)
    assert isinstance(readings, list)
    assert_array_equal([r.ts_us for r in readings], [T0_US + k * 60_000_000 for k in range(4)])
    assert_allclose([r.value for r in readings], [100.0, 150.0, 200.0, 100.0], rtol=VALUE_RTOL)
    assert {r.channel_id for r in readings} == {7}


@pytest.mark.parametrize(
    ("topic", "payload", "reason"),
    [
        ("postmine/3/PZ-01", b"{}", "topic must be postmine/<site_id>/<sensor>/<channel>"),
        ("postmine/x/PZ-01/pore_pressure", b"{}", "site_id in topic"),
        ("postmine/3/PZ-01/level", b"{}", "no channel 'level' of sensor 'PZ-01' at site 3"),
        (TOPIC, b"\xff", "payload is not UTF-8"),
        (TOPIC, b"", "payload is not JSON"),
        (TOPIC, b"12.5", "payload must be a JSON object or an array of objects, got float"),
        (TOPIC, b"[]", "payload holds no readings"),
        (TOPIC, b"[1]", "reading 0 must be an object, got 1"),
        (TOPIC, b'{"value": 1}', "reading 0: ts and value are required"),
        (TOPIC, b'{"ts": 0, "val": 1}', "reading 0: unknown key 'val'"),
        (TOPIC, b'{"ts": "2026-11-25 00:00", "value": 1}', "must carry its UTC offset"),
        (TOPIC, b'{"ts": "25.11.2026", "value": 1}', "ts must be an ISO-8601 time"),
        (TOPIC, b'{"ts": 1795564800000, "value": 1}', "after 2200: milliseconds? send seconds"),
        (TOPIC, b'{"ts": -3000000000, "value": 1}', "ts must lie in 1900..2200"),
        (TOPIC, b'{"ts": true, "value": 1}', "ts must be an ISO-8601 string or seconds"),
        (TOPIC, b'{"ts": NaN, "value": 1}', "ts must be finite"),
        (TOPIC, b'{"ts": 0, "value": null}', "value must be a finite number, got None"),
        (TOPIC, b'{"ts": 0, "value": "1.2"}', "value must be a finite number, got '1.2'"),
        (TOPIC, b'{"ts": 0, "value": true}', "value must be a finite number, got True"),
        (TOPIC, b'{"ts": 0, "value": Infinity}', "value must be a finite number, got inf"),
        (TOPIC, b'{"ts": 0, "value": 1' + b"0" * 400 + b"}", "an integer of 401 digits"),
        (TOPIC, b'{"ts": 1' + b"0" * 400 + b', "value": 1}', "ts must lie in 1900..2200"),
        (TOPIC, b'{"ts": 0, "value": 1, "unit": 5}', "unit must be text"),
        (TOPIC, b'{"ts": 0, "value": 1, "unit": "mm"}', "cannot convert mm to kPa"),
        (TOPIC, b'{"ts": 0, "value": 1, "unit": "kPaa"}', "unknown unit 'kPaa'"),
        (
            TOPIC,
            b'[{"ts": 0, "value": 1}, {"ts": 60, "value": 2}, {"ts": 120, "value": []}]',
            "reading 2: value must be a finite number",
        ),
    ],
)
def test_malformed_messages_become_dead_letters_with_the_reason(topic, payload, reason):
    received = datetime(2026, 11, 25, 1, tzinfo=UTC)
    letter = parse_message(topic, payload, CHANNELS, received_at=received)
    assert isinstance(letter, DeadLetter)
    assert reason in letter.reason
    assert (letter.topic, letter.received_at) == (topic, received)
    assert letter.payload == payload.decode("utf-8", errors="backslashreplace")


def test_too_many_readings_in_one_message():
    payload = json.dumps([{"ts": 0, "value": 1}] * (MAX_READINGS_PER_MESSAGE + 1))
    letter = parse_message(TOPIC, payload, CHANNELS)
    assert isinstance(letter, DeadLetter)
    assert letter.reason == "payload holds 100001 readings, more than 100000"


# --- logger files ------------------------------------------------------------------------------
