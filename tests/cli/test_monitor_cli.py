"""Tests of ``postmine monitor`` on a temporary SQLite registry."""

from __future__ import annotations

import json
import os
import socket
import threading
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
import typer
from typer.testing import CliRunner

from postmine.cli.monitor import monitor_app
from postmine.db import init_db, session_scope
from postmine.monitoring.channels import add_channel, add_sensor
from postmine.monitoring.pipeline import AlertingPipeline
from postmine.monitoring.rule_file import parse_rule_set
from postmine.monitoring.store import read_range, to_us, write_readings
from postmine.registry.records.sites import insert_site

# the lead mounts monitor_app on postmine's root app as "monitor": the same here
app = typer.Typer()
app.add_typer(monitor_app, name="monitor")
runner = CliRunner()

T_FAILURE_D = 30.0  # true failure time of the Voight series. [d]
A_D_PER_MM = 0.5  # Voight's A for α = 2: 1/v = A (t_f - t). [d/mm per d]
T0 = datetime(2026, 5, 1, tzinfo=UTC)
DAY_US = 86_400 * 1_000_000


@dataclass
class Registry:
    url: str
    site_id: int
    channels: dict[str, int]


@pytest.fixture
def registry(tmp_path: Path) -> Registry:
    url = f"sqlite:///{tmp_path}/registry.sqlite"
    init_db(url)
    with session_scope(url) as session:
        site = insert_site(session, name="Abaza", region="Khakassia")
        pz = add_sensor(
            session, site_id=site.id, code="PZ-01", type="piezometer", expected_interval_s=3600
        )
        prism = add_sensor(
            session, site_id=site.id, code="PR-07", type="prism", expected_interval_s=3600
        )
        channels = {
            "pore_pressure": add_channel(
                session, pz, name="pore_pressure", quantity="pore_pressure"
            ).id,
            "displacement": add_channel(
                session, prism, name="displacement", quantity="displacement"
            ).id,
        }
    return Registry(url, site.id, channels)


def _run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["monitor", *args])
    return result.exit_code, result.stdout, result.stderr


def test_ingest_status_and_alerts(registry: Registry, tmp_path: Path) -> None:
    csv = tmp_path / "logger.csv"
    csv.write_text(
        "timestamp,PZ-01/pore_pressure [kPa],PR-07/displacement [mm]\n"
        "2026-05-01T00:00:00Z,120.0,1.0\n"
        "2026-05-01T01:00:00Z,121.5,1.2\n"
        "2026-05-01T02:00:00Z,160.0,\n",
        encoding="utf-8",
    )
    code, out, err = _run("ingest", str(csv), "--site", str(registry.site_id), "--db", registry.url)
    assert code == 0, err
    assert "3 rows, 5 readings, 5 stored" in out

    # an alert stored by the pipeline shows in status and alerts
    rules = parse_rule_set(
        """
        format_version = 1
        id = "cli"
        title = "CLI"
        [channels."PZ-01/pore_pressure"]
        unit = "kPa"
        [[tarp]]
        name = "PZ-01 pressure"
        channel = "PZ-01/pore_pressure"
        measure = "value"
        unit = "kPa"
        thresholds = { alert = 150.0 }
        """
    )
    cid = registry.channels["pore_pressure"]
    series = read_range(registry.url, cid, T0, T0 + timedelta(days=1))
    with AlertingPipeline(registry.url, rules) as pipeline:
        (change,) = pipeline.process({cid: series})

    code, out, err = _run("status", "--site", str(registry.site_id), "--json", "--db", registry.url)
    assert code == 0, err
    rows = {r["channel_id"]: r for r in json.loads(out)}
    assert rows[cid]["readings"] == 3
    assert rows[cid]["last_reading"] == "2026-05-01T02:00:00+00:00"
    assert rows[cid]["level"] == "alert"
    assert rows[registry.channels["displacement"]]["readings"] == 2
    assert rows[registry.channels["displacement"]]["level"] == "normal"
    code, out, _ = _run("status", "--db", registry.url)
    assert code == 0 and "PZ-01/pore_pressure" in out

    code, out, err = _run("alerts", "--active", "--json", "--db", registry.url)
    assert code == 0, err
    (alert,) = json.loads(out)
    assert (alert["alert_id"], alert["level"], alert["channel_id"]) == (
        change.alert.alert_id,
        "alert",
        cid,
    )
    code, out, err = _run("alerts", "ack", alert["alert_id"], "--by", "shift", "--db", registry.url)
    assert code == 0, err
    assert "acknowledged by shift" in out
    code, out, _ = _run("alerts", "--json", "--db", registry.url)
    assert json.loads(out)[0]["acknowledged_by"] == "shift"
    code, out, err = _run("alerts", "ack", alert["alert_id"], "--by", "again", "--db", registry.url)
    assert code == 2 and "already acknowledged" in err


def _write_voight(url: str, channel_id: int, days: float, noise_mm: float = 0.02) -> None:
    t = np.arange(0.0, days, 1.0 / 24.0)  # hourly. [d]
    rng = np.random.default_rng(5)
    d = -(1.0 / A_D_PER_MM) * np.log((T_FAILURE_D - t) / T_FAILURE_D)
    d = d + rng.normal(0.0, noise_mm, t.size)
    ts = to_us(T0) + np.round(t * DAY_US).astype(np.int64)
    write_readings(url, zip([channel_id] * t.size, ts.tolist(), d.tolist(), strict=True))


def test_forecast_interval_contains_the_true_failure_time(
    registry: Registry, tmp_path: Path
) -> None:
    cid = registry.channels["displacement"]
    _write_voight(registry.url, cid, days=27.0)
    png = tmp_path / "iv.png"
    code, out, err = _run(
        "forecast", str(cid), "--window", "8", "--plot", str(png), "--json", "--db", registry.url
    )
    assert code == 0, err
    data = json.loads(out)
    assert data["has_forecast"], data["reason"]
    true_failure = T0 + timedelta(days=T_FAILURE_D)
    low = datetime.fromisoformat(data["t_low"])
    high = datetime.fromisoformat(data["t_high"])
    assert low <= true_failure <= high
    assert data["filter"] == "sma" and data["filter_lag_h"] > 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    code, out, _ = _run("forecast", str(cid), "--filter", "ema", "--db", registry.url)
    assert code == 0 and "interval" in out and "lag" in out


def test_forecast_of_steady_creep_gives_the_reason(registry: Registry) -> None:
    cid = registry.channels["displacement"]
    ts = [to_us(T0) + i * DAY_US // 24 for i in range(24 * 10)]
    write_readings(registry.url, [(cid, t, 0.1 * i / 24) for i, t in enumerate(ts)])
    code, out, err = _run("forecast", str(cid), "--db", registry.url)
    assert code == 0, err
    assert "no forecast: " in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["forecast", "9999"], "channel"),
        (["forecast", "PZ"], "Invalid value"),
        (["forecast", "{pz}"], "not displacement"),
        (["forecast", "{pr}", "--filter", "median"], "--filter must be sma or ema"),
        (["forecast", "{pr}"], "has 0 readings; the forecast needs at least 20"),
        (["ingest", "missing.csv", "--site", "1"], "no file"),
        (["alerts", "ack", "0" * 32, "--by", "me"], "no alert"),
        (["simulate", "--site", "1", "--days", "0"], "--days must be > 0"),
    ],
)
def test_bad_input_exits_2(registry: Registry, args: list[str], message: str) -> None:
    filled = [
        a.format(pz=registry.channels["pore_pressure"], pr=registry.channels["displacement"])
        for a in args
    ]
    code, _, err = _run(*filled, "--db", registry.url)
    assert code == 2
    assert message in err
    assert "Traceback" not in err


def test_unmigrated_database_exits_2(tmp_path: Path) -> None:
    code, _, err = _run("status", "--db", f"sqlite:///{tmp_path}/empty.sqlite")
    assert code == 2 and err.startswith("error: ")


def _broker() -> tuple[str, int]:
    host, _, port = os.environ.get("POSTMINE_TEST_MQTT", "127.0.0.1:1883").rpartition(":")
    try:
        with socket.create_connection((host, int(port)), timeout=2):
            pass
    except OSError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"MQTT broker unavailable at {host}:{port}: {exc}")
        pytest.skip(f"MQTT broker unavailable at {host}:{port}: {exc}")
    return host, int(port)


@pytest.mark.mqtt
def test_simulate_publishes_a_short_series(registry: Registry) -> None:
    host, port = _broker()
    prefix = f"pmtest{uuid.uuid4().hex[:10]}"
    code, out, err = _run(
        "simulate",
        "--site",
        str(registry.site_id),
        "--days",
        "0.25",
        "--interval-min",
        "30",
        "--host",
        host,
        "--port",
        str(port),
        "--prefix",
        prefix,
        "--db",
        registry.url,
    )
    assert code == 0, err
    assert "registered" in out
    assert "PR-01/displacement" in out
    assert "published" in out
    messages = int(out.split("published ")[1].split()[0])
    assert messages > 0
    code, out, _ = _run("status", "--json", "--db", registry.url)
    names = {f"{r['sensor']}/{r['channel']}" for r in json.loads(out)}
    assert {"PR-01/displacement", "WQ-01/ph"} <= names


PH_RULES = """
format_version = 1
id = "ph"
title = "pH"
[channels."WQ-01/ph"]
unit = "pH"
[[tarp]]
name = "pH low"
channel = "WQ-01/ph"
measure = "value"
unit = "pH"
direction = "falling"
thresholds = { alert = 6.0, alarm = 5.0 }
"""


def _add_ph_channel(registry: Registry) -> int:
    with session_scope(registry.url) as session:
        wq = add_sensor(
            session,
            site_id=registry.site_id,
            code="WQ-01",
            type="water-analyser",
            expected_interval_s=3600,
        )
        return add_channel(session, wq, name="ph", quantity="ph").id


def test_alerts_recompute_runs_rules_over_stored_readings(
    registry: Registry, tmp_path: Path
) -> None:
    cid = _add_ph_channel(registry)
    hour = DAY_US // 24
    write_readings(
        registry.url, [(cid, to_us(T0) + i * hour, v) for i, v in enumerate([7.0, 5.5, 4.8])]
    )
    rules = tmp_path / "ph.toml"
    rules.write_text(PH_RULES, encoding="utf-8")
    code, out, err = _run(
        "alerts", "--recompute", "--rules", str(rules), "--json", "--db", registry.url
    )
    assert code == 0, err
    assert [(r["action"], r["level"], r["at"]) for r in json.loads(out)] == [
        ("raise", "alert", "2026-05-01T01:00:00+00:00"),
        ("raise", "alarm", "2026-05-01T02:00:00+00:00"),
    ]
    code, out, _ = _run("alerts", "--json", "--db", registry.url)
    assert json.loads(out) == []  # recomputing stores nothing
    code, _, err = _run("alerts", "--recompute", "--db", registry.url)
    assert code == 2 and "--recompute needs --rules" in err


@pytest.mark.mqtt
def test_listen_stores_readings_and_alerts(registry: Registry, tmp_path: Path) -> None:
    from postmine.monitoring.simulate import SimulatedChannel, publish

    host, port = _broker()
    _add_ph_channel(registry)
    rules = tmp_path / "ph.toml"
    rules.write_text(PH_RULES, encoding="utf-8")
    prefix = f"pmtest{uuid.uuid4().hex[:10]}"
    t0 = T0.timestamp()
    stream = SimulatedChannel(
        "WQ-01",
        "water-analyser",
        "ph",
        "ph",
        "pH",
        np.array([t0, t0 + 3600.0, t0 + 7200.0]),
        np.array([7.0, 6.5, 5.5]),
    )

    client_id = f"{prefix}-listen"
    # the broker keeps QoS-1 messages for the listener's persistent session: open the session
    # first, then publish, then listen -- the readings are waiting when it connects, so the
    # test waits on no clock and races nothing (issue 16: a 2 s sleep raced a 5 s window)
    _open_session(host, port, client_id, prefix)
    try:
        publish(
            registry.site_id,
            [stream],
            host=host,
            port=port,
            prefix=prefix,
            client_id=f"{prefix}-pub",
        )
        code, out, err = _run(
            "listen",
            "--site",
            str(registry.site_id),
            "--rules",
            str(rules),
            "--seconds",
            "5",
            "--host",
            host,
            "--port",
            str(port),
            "--prefix",
            prefix,
            "--client-id",
            client_id,
            "--db",
            registry.url,
        )
    finally:
        _remove_session(host, port, client_id)
    assert code == 0, err
    assert "raise alert WQ-01/ph pH low" in out
    code, out, _ = _run("alerts", "--active", "--json", "--db", registry.url)
    assert [a["level"] for a in json.loads(out)] == ["alert"]


def _open_session(host: str, port: int, client_id: str, prefix: str) -> None:
    """Open a persistent MQTT 5 session subscribed to ``<prefix>/#`` at QoS 1, then leave it."""
    import paho.mqtt.client as mqtt
    from paho.mqtt.enums import CallbackAPIVersion
    from paho.mqtt.packettypes import PacketTypes
    from paho.mqtt.properties import Properties

    subscribed = threading.Event()
    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv5)
    client.on_connect = lambda c, *_: c.subscribe(f"{prefix}/#", qos=1)
    client.on_subscribe = lambda *_: subscribed.set()
    props = Properties(PacketTypes.CONNECT)
    props.SessionExpiryInterval = 0xFFFFFFFF  # the session outlives the connection
    client.connect(host, port, clean_start=True, properties=props)
    client.loop_start()
    try:
        assert subscribed.wait(timeout=30), "the broker did not confirm the subscription"
    finally:
        client.disconnect()
        client.loop_stop()


def _remove_session(host: str, port: int, client_id: str) -> None:
    """Drop the persistent MQTT session the listener left on the shared broker."""
    import paho.mqtt.client as mqtt
    from paho.mqtt.enums import CallbackAPIVersion

    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv5)
    try:
        client.connect(host, port, clean_start=True)
        client.loop_start()
        client.disconnect()
        client.loop_stop()
    except OSError:
        pass
