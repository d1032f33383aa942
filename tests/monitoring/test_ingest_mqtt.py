"""The MQTT subscriber against the real Mosquitto broker, on SQLite and PostgreSQL.

Acceptance of issue 5: messages published while the subscriber is stopped arrive after it
restarts; duplicates and reordering are stored once; a malformed payload is dead-lettered
with its reason and the stream goes on. Also: a message is acknowledged only after its
commit (a failing database leaves it with the broker, which delivers it again), the
``on_batch`` hook sees each new reading once, and a restart of the broker itself loses
nothing (a private Mosquitto on a free port, with persistence in a temporary directory).

Every test uses its own topic prefix and client ids (``mqtt_names``), so tests sharing the
broker never see each other's messages.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from paho.mqtt.enums import CallbackAPIVersion
from sqlalchemy import delete, func, select

from postmine.db import session_scope
from postmine.monitoring import ingest_mqtt
from postmine.monitoring.ingest_mqtt import CommittedBatch, Subscriber
from postmine.monitoring.messages import topic_of
from postmine.monitoring.models import Channel, DeadLetter, ReadingRow

pytestmark = pytest.mark.mqtt

T0 = 1_795_564_800.0  # 2026-11-25T00:00:00Z [s]
T0_US = 1_795_564_800_000_000
WAIT_S = 20.0  # longest wait for a stored result
VALUE_RTOL = 1e-12  # kPa values are 100 x bar values: one rounding of float64


def _count(url: str, model: type) -> int:
    with session_scope(url) as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def wait_for(condition: Callable[[], bool], timeout: float = WAIT_S) -> None:
    """Poll ``condition`` until it holds; fail the test after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"condition not met within {timeout} s")
        time.sleep(0.05)


class Publisher:
    """A QoS 1 publisher that waits for the broker's PUBACK of every message."""

    def __init__(self, host: str, port: int, client_id: str) -> None:
        self.client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=client_id)
        self.client.connect(host, port)
        self.client.loop_start()

    def send(self, topic: str, payload: object, *, raw: bool = False) -> None:
        data = payload if raw else json.dumps(payload)
        info = self.client.publish(topic, data, qos=1)  # type: ignore[arg-type]
        info.wait_for_publish(timeout=10)
        assert info.is_published()

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


@pytest.fixture
def publisher(broker, mqtt_names) -> Iterator[Publisher]:
    pub = Publisher(*broker, mqtt_names.client_id("pub"))
    yield pub
    pub.close()


def _subscriber(site, broker, mqtt_names, protocol="5", **kwargs) -> Subscriber:
    return Subscriber(
        site.url,
        host=broker[0],
        port=broker[1],
        client_id=mqtt_names.client_id("sub", protocol),
        prefix=mqtt_names.prefix,
        protocol=protocol,
        **kwargs,
    )


def _readings(url: str, channel_id: int) -> tuple[list[int], list[float]]:
    with session_scope(url) as session:
        rows = session.execute(
            select(ReadingRow.ts_us, ReadingRow.value)
            .where(ReadingRow.channel_id == channel_id)
            .order_by(ReadingRow.ts_us)
        ).all()
    return [r[0] for r in rows], [r[1] for r in rows]


@pytest.mark.parametrize("protocol", ["5", "3.1.1"])
def test_messages_published_while_stopped_arrive_after_restart(
    site, broker, mqtt_names, publisher, protocol
):
    channel = site.channels["pore_pressure"]
    topic = topic_of(site.site_id, "PZ-01", "pore_pressure", prefix=mqtt_names.prefix)
    sub = _subscriber(site, broker, mqtt_names, protocol)
    sub.start()  # creates the persistent session and its subscription
    publisher.send(topic, {"ts": T0, "value": 1.0})
    wait_for(lambda: _count(site.url, ReadingRow) == 1)
    sub.stop()
    # 200 messages of 5 readings each while nobody listens (bar, stored as kPa)
    for k in range(200):
        batch = [{"ts": T0 + 60 * (5 * k + j + 1), "value": 1.0 + 0.001 * j} for j in range(5)]
        publisher.send(topic, batch)
    time.sleep(0.2)
    assert _count(site.url, ReadingRow) == 1
    restarted = _subscriber(site, broker, mqtt_names, protocol)
    restarted.start()
    try:
        wait_for(lambda: _count(site.url, ReadingRow) == 1001)
    finally:
        restarted.stop()
    ts, values = _readings(site.url, channel)
    assert_array_equal(ts, [T0_US + 60_000_000 * k for k in range(1001)])
    expected = [100.0] + [100.0 * (1.0 + 0.001 * j) for _ in range(200) for j in range(5)]
    assert_allclose(values, expected, rtol=VALUE_RTOL)
    assert restarted.stats.dead_letters == 0
    assert restarted.stats.acknowledged == restarted.stats.messages == 200


def test_duplicates_and_reordering_are_stored_once(site, broker, mqtt_names, publisher):
    channel = site.channels["displacement"]
    topic = topic_of(site.site_id, "PR-07", "displacement", prefix=mqtt_names.prefix)
    readings = [{"ts": T0 + 3600 * k, "value": 0.5 * k} for k in range(300)]
    messages = [readings[i : i + 10] for i in range(0, 300, 10)]
    # every message twice, overlapping re-sends of single readings, all shuffled
    sent = messages + messages + [[r] for r in readings[::7]]
    random.Random(3).shuffle(sent)
    seen: list[int] = []
    with _subscriber(site, broker, mqtt_names, max_batch_messages=7) as sub:
        sub.on_batch(lambda batch: seen.extend(r.ts_us for r in batch.readings))
        for message in sent:
            publisher.send(topic, message)
        wait_for(lambda: sub.stats.messages == len(sent) and sub.stats.acknowledged == len(sent))
    ts, values = _readings(site.url, channel)
    assert_array_equal(ts, [T0_US + 3_600_000_000 * k for k in range(300)])
    assert_allclose(values, [0.5 * k for k in range(300)], rtol=VALUE_RTOL)
    assert sub.stats.readings_received == 2 * 300 + len(readings[::7])
    assert sub.stats.readings_stored == 300
    assert sorted(seen) == ts  # the hook saw every new reading exactly once


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (b"{not json", "payload is not JSON"),
        (b"\xff\xfe\x00", "payload is not UTF-8"),
        (b'{"ts": "2026-11-25T00:00:00", "value": 1}', "reading 0: ts must carry its UTC offset"),
        (b'[{"ts": 1795564800, "value": 1}, {"ts": 1795564860}]', "reading 1: ts and value"),
        (b'{"ts": 1795564800, "value": 1, "unit": "mm"}', "cannot convert mm to kPa"),
    ],
)
def test_a_malformed_payload_is_dead_lettered_and_the_stream_goes_on(
    site, broker, mqtt_names, publisher, payload, reason
):
    topic = topic_of(site.site_id, "PZ-01", "pore_pressure", prefix=mqtt_names.prefix)
    with _subscriber(site, broker, mqtt_names) as sub:
        publisher.send(topic, {"ts": T0, "value": 1.0})
        publisher.send(topic, payload, raw=True)
        publisher.send(topic, {"ts": T0 + 60, "value": 1.1})
        wait_for(lambda: sub.stats.acknowledged == 3)
    assert _count(site.url, ReadingRow) == 2
    with session_scope(site.url) as session:
        letter = session.scalars(select(DeadLetter)).one()
    assert letter.topic == topic
    assert reason in letter.reason
    # kept as text: undecodable bytes and NUL (which PostgreSQL text refuses) as \x escapes
    shown = payload.decode("utf-8", errors="backslashreplace").replace("\x00", "\\x00")
    assert letter.payload == shown


def test_unknown_topics_are_dead_lettered(site, broker, mqtt_names, publisher):
    prefix = mqtt_names.prefix
    with _subscriber(site, broker, mqtt_names) as sub:
        publisher.send(f"{prefix}/{site.site_id}/PZ-01", {"ts": T0, "value": 1})
        publisher.send(f"{prefix}/{site.site_id}/PZ-99/pore_pressure", {"ts": T0, "value": 1})
        publisher.send(f"{prefix}/abc/PZ-01/pore_pressure", {"ts": T0, "value": 1})
        wait_for(lambda: sub.stats.acknowledged == 3)
    with session_scope(site.url) as session:
        reasons = sorted(session.scalars(select(DeadLetter.reason)))
    assert reasons == [
        f"no channel 'pore_pressure' of sensor 'PZ-99' at site {site.site_id} in the registry",
        f"site_id in topic '{prefix}/abc/PZ-01/pore_pressure' must be an integer, got 'abc'",
        f"topic must be {prefix}/<site_id>/<sensor>/<channel>, got '{prefix}/{site.site_id}/PZ-01'",
    ]


def test_a_channel_registered_while_running_is_found(site, broker, mqtt_names, publisher):
    from postmine.monitoring.channels import add_channel, add_sensor

    with _subscriber(site, broker, mqtt_names, channel_refresh_s=0.0) as sub:
        with session_scope(site.url) as session:
            ph = add_sensor(
                session, site_id=site.site_id, code="PH-2", type="ph", expected_interval_s=900
            )
            channel = add_channel(session, ph, name="ph", quantity="ph").id
        topic = topic_of(site.site_id, "PH-2", "ph", prefix=mqtt_names.prefix)
        publisher.send(topic, {"ts": T0, "value": 6.8})
        wait_for(lambda: sub.stats.acknowledged == 1)
    assert _readings(site.url, channel) == ([T0_US], [6.8])


def test_nothing_is_acknowledged_before_it_is_committed(
    site, broker, mqtt_names, publisher, monkeypatch
):
    topic = topic_of(site.site_id, "PZ-01", "temperature", prefix=mqtt_names.prefix)
    failing = threading.Event()
    failing.set()
    real_insert = ingest_mqtt.insert_new

    def insert_or_fail(connection, rows):
        if failing.is_set():
            raise OSError("disk full (simulated)")
        return real_insert(connection, rows)

    monkeypatch.setattr(ingest_mqtt, "insert_new", insert_or_fail)
    sub = _subscriber(site, broker, mqtt_names)
    sub.start()
    for k in range(5):
        publisher.send(topic, {"ts": T0 + k, "value": 10.0 + k})
    wait_for(lambda: sub.stats.write_errors >= 2)  # retried, never committed
    assert sub.stats.acknowledged == 0
    sub.stop()  # gives up: the messages stay with the broker
    assert _count(site.url, ReadingRow) == 0
    failing.clear()
    restarted = _subscriber(site, broker, mqtt_names)
    with restarted:
        wait_for(lambda: _count(site.url, ReadingRow) == 5)
    ts, values = _readings(site.url, site.channels["temperature"])
    assert_array_equal(ts, [T0_US + 1_000_000 * k for k in range(5)])
    assert_allclose(values, [10.0, 11.0, 12.0, 13.0, 14.0], rtol=VALUE_RTOL)


def test_a_database_outage_is_retried_without_loss(
    site, broker, mqtt_names, publisher, monkeypatch
):
    topic = topic_of(site.site_id, "PZ-01", "temperature", prefix=mqtt_names.prefix)
    failures = iter([True, True, True])
    real_insert = ingest_mqtt.insert_new

    def flaky(connection, rows):
        if next(failures, False):
            raise OSError("connection lost (simulated)")
        return real_insert(connection, rows)

    monkeypatch.setattr(ingest_mqtt, "insert_new", flaky)
    with _subscriber(site, broker, mqtt_names) as sub:
        for k in range(20):
            publisher.send(topic, {"ts": T0 + k, "value": float(k)})
        wait_for(lambda: _count(site.url, ReadingRow) == 20)
        wait_for(lambda: sub.stats.acknowledged == 20)
    assert sub.stats.write_errors == 3


def test_a_message_the_database_refuses_is_dead_lettered(site, broker, mqtt_names, publisher):
    gone = topic_of(site.site_id, "PZ-01", "temperature", prefix=mqtt_names.prefix)
    kept = topic_of(site.site_id, "PR-07", "displacement", prefix=mqtt_names.prefix)
    with _subscriber(site, broker, mqtt_names, max_delay_ms=300.0) as sub:
        with session_scope(site.url) as session:  # deleted behind the subscriber's back
            session.execute(delete(Channel).where(Channel.id == site.channels["temperature"]))
        publisher.send(kept, {"ts": T0, "value": 1.0})
        publisher.send(gone, {"ts": T0, "value": 2.0})  # foreign key violation
        publisher.send(kept, {"ts": T0 + 1, "value": 3.0})
        wait_for(lambda: sub.stats.acknowledged == 3)
    assert _readings(site.url, site.channels["displacement"]) == (
        [T0_US, T0_US + 1_000_000],
        [1.0, 3.0],
    )
    with session_scope(site.url) as session:
        letter = session.scalars(select(DeadLetter)).one()
    assert letter.topic == gone
    assert letter.reason.startswith("could not be stored: IntegrityError")


def test_a_failing_hook_does_not_stop_the_stream(site, broker, mqtt_names, publisher):
    topic = topic_of(site.site_id, "PZ-01", "temperature", prefix=mqtt_names.prefix)
    batches: list[CommittedBatch] = []

    def broken(batch: CommittedBatch) -> None:
        raise RuntimeError("rules engine bug")

    with _subscriber(site, broker, mqtt_names) as sub:
        sub.on_batch(broken)
        sub.on_batch(batches.append)
        publisher.send(topic, [{"ts": T0 + k, "value": 4.0} for k in range(3)])
        publisher.send(topic, {"ts": T0 + 10, "value": 4.0})
        wait_for(lambda: sub.stats.acknowledged == 2)
    assert _count(site.url, ReadingRow) == 4
    assert sub.stats.callback_errors == len(batches) >= 1
    series = {}
    for batch in batches:
        series.update(batch.by_channel())
    assert sum(b.received for b in batches) == 4
    assert site.channels["temperature"] in series


def test_start_fails_clearly_without_a_broker(site, mqtt_names):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sub = Subscriber(site.url, port=port, client_id=mqtt_names.client_id("nobroker"))
    with pytest.raises(ConnectionError, match=f"cannot subscribe at MQTT broker 127.0.0.1:{port}"):
        sub.start(timeout=1.5)


# --- a private broker, restarted ---------------------------------------------------------------


class PrivateBroker:
    """A Mosquitto on a free port with persistence in a temporary directory."""

    def __init__(self, directory: Path) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        directory.chmod(0o777)  # Mosquitto started as root drops to its own user
        self.config = directory / "mosquitto.conf"
        self.config.write_text(
            f"listener {self.port} 127.0.0.1\nallow_anonymous true\npersistence true\n"
            f"persistence_location {directory}/\nlog_dest file {directory}/mosquitto.log\n",
            encoding="utf-8",
        )
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        binary = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
        self.process = subprocess.Popen([binary, "-c", str(self.config)])
        deadline = time.monotonic() + 10
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def stop(self) -> None:
        """Stop it cleanly (SIGTERM): Mosquitto saves its sessions and queued messages."""
        if self.process is not None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def private_broker(broker) -> Iterator[PrivateBroker]:
    if shutil.which("mosquitto") is None and not Path("/usr/sbin/mosquitto").exists():
        if os.environ.get("CI"):
            pytest.fail("no mosquitto binary to run a private broker (CI requires it)")
        pytest.skip("no mosquitto binary to run a private broker")
    # not under pytest's tmp_path: its parents are private to root, and Mosquitto started as
    # root drops to its own user, which must reach the directory
    directory = Path(tempfile.mkdtemp(prefix="postmine-mosquitto-"))
    own = PrivateBroker(directory)
    try:
        own.start()
        yield own
    finally:
        own.stop()
        shutil.rmtree(directory, ignore_errors=True)


def test_no_reading_is_lost_when_the_broker_restarts(site, mqtt_names, private_broker):
    address = ("127.0.0.1", private_broker.port)
    topic = topic_of(site.site_id, "PR-07", "displacement", prefix=mqtt_names.prefix)
    sub = _subscriber(site, address, mqtt_names, max_delay_ms=20.0)
    sub.start()
    publisher = Publisher(*address, mqtt_names.client_id("pub1"))
    publisher.send(topic, {"ts": T0, "value": 0.0})
    wait_for(lambda: _count(site.url, ReadingRow) == 1)
    sub.stop()
    for k in range(1, 51):  # queued for the stopped subscriber
        publisher.send(topic, {"ts": T0 + k, "value": float(k)})
    publisher.close()
    private_broker.stop()  # the queue survives on disk
    private_broker.start()
    sub = _subscriber(site, address, mqtt_names, max_delay_ms=20.0)
    sub.start()
    wait_for(lambda: _count(site.url, ReadingRow) == 51)
    # and a running subscriber reconnects by itself after the broker restarts
    private_broker.stop()
    private_broker.start()
    wait_for(lambda: sub.connected, timeout=30)
    publisher = Publisher(*address, mqtt_names.client_id("pub2"))
    for k in range(51, 61):
        publisher.send(topic, {"ts": T0 + k, "value": float(k)})
    publisher.close()
    wait_for(lambda: _count(site.url, ReadingRow) == 61)
    sub.stop()
    assert sub.stats.connections == 2
    ts, values = _readings(site.url, site.channels["displacement"])
    assert_array_equal(ts, [T0_US + 1_000_000 * k for k in range(61)])
    assert_allclose(values, [float(k) for k in range(61)], rtol=VALUE_RTOL)
