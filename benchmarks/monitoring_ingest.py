"""Sustained MQTT ingestion into SQLite and PostgreSQL: readings/s and publish-to-stored latency.

Issue 5 asks for >= 20,000 readings/s from MQTT into each backend and a p99 latency from
publish to alert below 200 ms on a 2-core machine. This script measures, in one run, on
SQLite (a file) and on PostgreSQL (a scratch database ``postmine_test_bench_ingest_<pid>``,
dropped at the end), through the real Mosquitto broker at 127.0.0.1:1883:

* **baseline**: the same readings written directly with
  :func:`postmine.monitoring.store.insert_new` in transactions of 10,000 readings (no
  broker, no JSON), and the same plus :func:`~postmine.monitoring.messages.parse_message`
  on the same payloads (no broker);
* **throughput**: a publisher process sends ``--total`` readings as fast as QoS 1 allows
  while the :class:`~postmine.monitoring.ingest_mqtt.Subscriber` (default settings) ingests
  them; readings/s = readings / (last commit - first publish);
* **latency**: the publisher sends ``--rate`` readings/s for ``--seconds`` s, and each
  reading's latency is the time from its publication to the ``on_batch`` hook that
  follows its commit (the point where the rules engine runs: publish to alert minus the
  rules' own time).

Messages are **batch payloads**: ``--batch`` readings (500 by default) of one channel per
message, ``[{"ts": <seconds since 1970>, "value": <bar>}, ...]``, on 100 channels in turn
(50 piezometers x pore pressure and water level, reported in bar / m and stored in kPa / m,
so the unit conversion runs). A reading's ``ts`` is its publication time (the readings of
one message 1 µs apart), so latency = hook time - ts. Publisher and subscriber run in two
processes on the same machine, sharing its cores with the broker and the database server,
as they would on a small site server.

Ratios are printed against the direct-insert baseline of the same backend. Not part of the
test suite. Run: python benchmarks/monitoring_ingest.py [--rate 20000] [--seconds 15]
[--total 300000] [--batch 500] [--pg URL] [--host 127.0.0.1] [--port 1883]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from postmine import db
from postmine.monitoring.channels import ChannelRef, add_channel, add_sensor, channel_refs
from postmine.monitoring.ingest_mqtt import CommittedBatch, Subscriber
from postmine.monitoring.messages import parse_message, topic_of
from postmine.monitoring.store import insert_new
from postmine.registry.records.sites import insert_site

PG_ADMIN_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
N_SENSORS = 50  # x 2 channels
BASELINE_READINGS = 200_000
BASELINE_TRANSACTION = 10_000
SEED = 20261125


def build_registry(url: str) -> list[ChannelRef]:
    """Create the schema and 50 piezometers with two channels each; return the channels."""
    db.init_db(url)
    with db.session_scope(url) as session:
        site = insert_site(session, name="Benchmark site", region="Khakassia")
        for k in range(N_SENSORS):
            sensor = add_sensor(
                session,
                site_id=site.id,
                code=f"PZ-{k:03d}",
                type="piezometer",
                expected_interval_s=1.0,
            )
            add_channel(
                session, sensor, name="pore_pressure", quantity="pore_pressure", source_unit="bar"
            )
            add_channel(session, sensor, name="water_level", quantity="water_level")
    return sorted(channel_refs(db.get_engine(url)).values(), key=lambda ref: ref.id)


def make_payload(t_us: int, batch: int, rng: np.random.Generator) -> bytes:
    """A batch of readings 1 µs apart ending at ``t_us``; values near 1.5 (bar or m)."""
    values = 1.5 + 0.01 * rng.standard_normal(batch)
    return json.dumps(
        [
            {"ts": (t_us - (batch - 1 - j)) / 1e6, "value": round(float(v), 5)}
            for j, v in enumerate(values)
        ]
    ).encode()


# --- baseline --------------------------------------------------------------------------------


def baseline(url: str, refs: list[ChannelRef], batch: int) -> dict[str, float]:
    """Readings/s of direct inserts, and of parsing + inserts, without a broker."""
    rng = np.random.default_rng(SEED)
    messages = BASELINE_READINGS // batch
    t0_us = 1_000_000_000_000_000  # 2001: far from the MQTT runs' times
    payloads = []
    for m in range(messages):
        ref = refs[m % len(refs)]
        payloads.append((ref, make_payload(t0_us + m * 10_000, batch, rng)))
    channels = {ref.address: ref for ref in refs}
    topics = [topic_of(*ref.address) for ref, _ in payloads]
    parsed_rows = []
    for topic, (_ref, payload) in zip(topics, payloads, strict=True):
        parsed = parse_message(topic, payload, channels)
        assert isinstance(parsed, list), parsed.reason
        parsed_rows.extend(parsed)
    engine = db.get_engine(url)

    def insert(rows: list, shift_us: int) -> None:
        for start in range(0, len(rows), BASELINE_TRANSACTION):
            chunk = [
                (r[0], r[1] + shift_us, r[2]) for r in rows[start : start + BASELINE_TRANSACTION]
            ]
            with engine.begin() as connection:
                stored = insert_new(connection, chunk)
            assert len(stored) == len(chunk)

    t = time.perf_counter()
    insert(parsed_rows, 0)
    direct = len(parsed_rows) / (time.perf_counter() - t)
    t = time.perf_counter()
    rows = []
    for topic, (_ref, payload) in zip(topics, payloads, strict=True):
        parsed = parse_message(topic, payload, channels)
        assert isinstance(parsed, list)
        rows.extend(parsed)
    insert(rows, 10**12)  # other times: all new
    with_parse = len(rows) / (time.perf_counter() - t)
    return {"direct insert": direct, "parse + insert": with_parse}


# --- MQTT runs -------------------------------------------------------------------------------


def publish(
    host: str,
    port: int,
    topics: list[str],
    batch: int,
    readings: int,
    rate: float,
    client_id: str,
    out: mp.Queue,
) -> None:
    """Publisher process: ``readings`` readings in batches, at ``rate`` readings/s (0: max)."""
    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=client_id)
    client.max_inflight_messages_set(100)
    client.max_queued_messages_set(0)
    client.connect(host, port)
    client.loop_start()
    rng = np.random.default_rng(SEED)
    messages = readings // batch
    interval = batch / rate if rate else 0.0
    infos = []
    first = time.time()
    next_at = time.perf_counter()
    for m in range(messages):
        if interval:
            pause = next_at - time.perf_counter()
            if pause > 0:
                time.sleep(pause)
            next_at += interval
        t_us = time.time_ns() // 1000
        infos.append(client.publish(topics[m % len(topics)], make_payload(t_us, batch, rng), qos=1))
    for info in infos:
        info.wait_for_publish(timeout=60)
    last = time.time()
    client.disconnect()
    client.loop_stop()
    out.put((first, last, messages, sum(1 for i in infos if i.is_published())))


@dataclass
class Run:
    """What one MQTT run measured."""

    readings: int
    seconds: float
    published_s: float
    latencies_s: np.ndarray
    batches: int
    stats: dict[str, int] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.readings / self.seconds


def benchmark_rules(refs: list[ChannelRef]) -> str:
    """A TARP value rule on every pore-pressure channel (readings near 150 kPa, σ 1 kPa).

    The alert threshold of 153 kPa (3 σ) with a 1 kPa deadband makes alerts rise and clear
    now and then, so the alert store is written to during the run, as on a real site.
    """
    lines = ["format_version = 1", 'id = "bench"', 'title = "benchmark"']
    for ref in refs:
        if ref.name != "pore_pressure":
            continue
        key = f"{ref.sensor_code}/{ref.name}"
        lines += [f'[channels."{key}"]', 'unit = "kPa"']
    for ref in refs:
        if ref.name != "pore_pressure":
            continue
        key = f"{ref.sensor_code}/{ref.name}"
        lines += [
            "[[tarp]]",
            f'name = "{key} value"',
            f'channel = "{key}"',
            'measure = "value"',
            'unit = "kPa"',
            "thresholds = { alert = 153.0, alarm = 156.0 }",
            "deadband = 1.0",
        ]
    return "\n".join(lines) + "\n"


def mqtt_run(
    url: str,
    refs: list[ChannelRef],
    host: str,
    port: int,
    *,
    batch: int,
    readings: int,
    rate: float,
    alerts: bool = False,
) -> Run:
    """Run a subscriber while a publisher process sends ``readings`` readings.

    With ``alerts`` the hook first runs the alerting pipeline on the committed batch (rules,
    alert store, events), so the latency is publish -> alerts evaluated and stored.
    """
    from postmine.monitoring.pipeline import AlertingPipeline
    from postmine.monitoring.rule_file import parse_rule_set

    pipeline = AlertingPipeline(url, parse_rule_set(benchmark_rules(refs))) if alerts else None
    prefix = f"pmbench{uuid.uuid4().hex[:8]}"
    topics = [topic_of(*ref.address, prefix=prefix) for ref in refs]
    client_id = f"{prefix}-sub"
    sub = Subscriber(url, host=host, port=port, client_id=client_id, prefix=prefix)
    latencies: list[np.ndarray] = []
    done = threading.Event()
    expected = (readings // batch) * batch
    last_commit = [0.0]

    def hook(committed: CommittedBatch) -> None:
        if pipeline is not None:
            pipeline.on_batch(committed)
        now = time.time()
        ts = np.fromiter((r.ts_us for r in committed.readings), np.int64, len(committed.readings))
        latencies.append(now - ts / 1e6)
        last_commit[0] = now
        if sub.stats.readings_stored >= expected:
            done.set()

    sub.on_batch(hook)
    sub.start()
    out: mp.Queue = mp.get_context("spawn").Queue()
    process = mp.get_context("spawn").Process(
        target=publish,
        args=(host, port, topics, batch, readings, rate, f"{prefix}-pub", out),
    )
    try:
        process.start()
        first, last, sent, acked = out.get(timeout=600)
        process.join(timeout=60)
        if acked != sent:
            print(f"  the broker acknowledged {acked} of {sent} messages", file=sys.stderr)
        if not done.wait(timeout=120):
            print(
                f"  only {sub.stats.readings_stored:,} of {expected:,} readings stored",
                file=sys.stderr,
            )
    finally:
        sub.stop()
        _remove_session(host, port, client_id)
        if pipeline is not None:
            pipeline.close()
    stats = {
        k: v for k, v in vars(sub.stats).items() if isinstance(v, int) and not isinstance(v, bool)
    }
    return Run(
        readings=sub.stats.readings_stored,
        seconds=last_commit[0] - first,
        published_s=last - first,
        latencies_s=np.concatenate(latencies) if latencies else np.array([]),
        batches=sub.stats.batches,
        stats=stats,
    )


def _remove_session(host: str, port: int, client_id: str) -> None:
    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv5)
    client.connect(host, port, clean_start=True)
    client.disconnect()


def measure(url: str, args: argparse.Namespace) -> dict[str, object]:
    refs = build_registry(url)
    results: dict[str, object] = {"baseline": baseline(url, refs, args.batch)}
    results["throughput"] = mqtt_run(
        url, refs, args.host, args.port, batch=args.batch, readings=args.total, rate=0.0
    )
    results["latency"] = mqtt_run(
        url,
        refs,
        args.host,
        args.port,
        batch=args.batch,
        readings=int(args.rate * args.seconds),
        rate=args.rate,
        alerts=True,
    )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rate", type=float, default=20_000.0, help="readings/s offered")
    parser.add_argument("--seconds", type=float, default=15.0, help="length of the latency run")
    parser.add_argument("--total", type=int, default=300_000, help="readings of the max run")
    parser.add_argument("--batch", type=int, default=500, help="readings per message")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=1883)
    parser.add_argument("--pg", default=os.environ.get("POSTMINE_TEST_PG", PG_ADMIN_DEFAULT))
    args = parser.parse_args()

    results: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        sqlite_url = f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
        print("SQLite ...", file=sys.stderr)
        results["SQLite"] = measure(sqlite_url, args)
        db.dispose_engine(sqlite_url)

    admin = create_engine(args.pg, isolation_level="AUTOCOMMIT")
    name = f"postmine_test_bench_ingest_{os.getpid()}"
    pg_url = make_url(args.pg).set(database=name).render_as_string(hide_password=False)
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # no server: report SQLite alone
        print(f"PostgreSQL unavailable ({exc}); SQLite only", file=sys.stderr)
    else:
        try:
            print("PostgreSQL ...", file=sys.stderr)
            results["PostgreSQL"] = measure(pg_url, args)
        finally:
            db.dispose_engine(pg_url)
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()

    print(
        f"\nMQTT ingestion, {args.batch} readings per message, 100 channels, "
        f"{os.cpu_count()} CPU cores; ratios against the direct insert of the same backend"
    )
    header = f"{'backend':11} {'measure':44} {'readings/s':>11} {'ratio':>6}"
    print(header)
    print("-" * len(header))
    for backend, result in results.items():
        base = result["baseline"]
        assert isinstance(base, dict)
        direct = base["direct insert"]
        for label, value in base.items():
            print(f"{backend:11} {label + ' (no broker)':44} {value:11,.0f} {value / direct:6.2f}")
        top = result["throughput"]
        assert isinstance(top, Run)
        label = f"MQTT max ({top.readings:,} readings)"
        print(f"{backend:11} {label:44} {top.rate:11,.0f} {top.rate / direct:6.2f}")
        run = result["latency"]
        assert isinstance(run, Run)
        label = f"MQTT at {args.rate:,.0f}/s offered for {args.seconds:g} s"
        print(f"{backend:11} {label:44} {run.rate:11,.0f} {run.rate / direct:6.2f}")
    print(
        f"\nLatency, publish -> readings committed and alerts evaluated and stored "
        f"(TARP rule on 50 channels), at {args.rate:,.0f} readings/s"
    )
    header = (
        f"{'backend':11} {'readings':>9} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'batches':>8}"
    )
    print(header)
    print("-" * len(header))
    for backend, result in results.items():
        run = result["latency"]
        assert isinstance(run, Run)
        lat = run.latencies_s * 1000.0
        p50, p99 = np.percentile(lat, [50, 99]) if lat.size else (float("nan"),) * 2
        print(f"{backend:11} {lat.size:9,} {p50:8.1f} {p99:8.1f} {lat.max():8.1f} {run.batches:8,}")


if __name__ == "__main__":
    main()
