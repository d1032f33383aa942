"""Tests of the alerting pipeline: rules on committed readings, stored and pushed alerts."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any, ClassVar

import numpy as np
import pytest
from numpy.testing import assert_allclose
from sqlalchemy import select
from sqlalchemy.orm import Session

from postmine.db import get_engine
from postmine.monitoring import models
from postmine.monitoring.channels import ChannelRef
from postmine.monitoring.ingest_mqtt import CommittedBatch
from postmine.monitoring.pipeline import (
    AlertingPipeline,
    acknowledge_stored,
    evaluate_stored,
    match_channels,
    stored_alerts,
)
from postmine.monitoring.rule_file import parse_rule_set
from postmine.monitoring.store import Reading, Series, to_us, write_readings

Site = Any  # tests/monitoring/conftest.py's Site: url, site_id, channels

VALUE_TOL = 1e-9  # values are stored as given: only float round-off

RULES = """
format_version = 1
id = "pipeline-test"
title = "Pipeline test"

[channels."PZ-01/pore_pressure"]
unit = "kPa"
expected_interval = "10min"

[[tarp]]
name = "PZ-01 pressure"
channel = "PZ-01/pore_pressure"
measure = "value"
unit = "kPa"
thresholds = { alert = 150.0, alarm = 200.0 }
escalate_after = "1h"

[[quality]]
name = "PZ-01 missing data"
channel = "PZ-01/pore_pressure"
check = "missing"
factor = 3.0
"""

T0 = datetime(2025, 5, 1, tzinfo=UTC)
STEP = timedelta(minutes=10)


def _series(channel_id: int, values: list[float], start: datetime = T0) -> Series:
    ts = np.array([to_us(start + i * STEP) for i in range(len(values))], dtype=np.int64)
    return Series(channel_id, ts, np.asarray(values, dtype=np.float64))


def _rows(url: str) -> tuple[list[models.Alert], list[models.AlertEventRow]]:
    with Session(get_engine(url)) as session:
        alerts = list(session.scalars(select(models.Alert)))
        events = list(
            session.scalars(select(models.AlertEventRow).order_by(models.AlertEventRow.id))
        )
        session.expunge_all()
    return alerts, events


@pytest.fixture
def pipeline(site: Site) -> Iterator[AlertingPipeline]:
    with AlertingPipeline(site.url, parse_rule_set(RULES)) as p:
        yield p


def test_channels_are_matched_by_sensor_code_and_name(
    pipeline: AlertingPipeline, site: Site
) -> None:
    assert pipeline.channels == {site.channels["pore_pressure"]: "PZ-01/pore_pressure"}
    assert pipeline.unmatched == []


def test_crossing_the_threshold_stores_one_alert_with_its_event(
    pipeline: AlertingPipeline, site: Site
) -> None:
    cid = site.channels["pore_pressure"]
    changes = pipeline.process({cid: _series(cid, [120.0, 140.0, 160.0, 165.0])})
    assert [(c.event.action, c.alert.level.label) for c in changes] == [("raise", "alert")]
    alerts, events = _rows(site.url)
    assert len(alerts) == 1
    row = alerts[0]
    assert (row.channel_id, row.rule, row.kind, row.level) == (
        cid,
        "PZ-01 pressure",
        "tarp",
        "alert",
    )
    assert row.value is not None
    assert_allclose(row.value, 160.0, atol=VALUE_TOL)
    assert row.raised_at.replace(tzinfo=UTC) == T0 + 2 * STEP
    assert row.escalate_at is not None
    assert [(e.alert_id, e.action, e.level) for e in events] == [(row.alert_id, "raise", "alert")]

    # a higher level updates the same row and appends a second event
    pipeline.process({cid: _series(cid, [210.0], start=T0 + 4 * STEP)})
    alerts, events = _rows(site.url)
    assert [(a.level, a.peak_level) for a in alerts] == [("alarm", "alarm")]
    assert [e.action for e in events] == ["raise", "raise"]


def test_readings_under_the_threshold_raise_nothing(pipeline: AlertingPipeline, site: Site) -> None:
    cid = site.channels["pore_pressure"]
    assert pipeline.process({cid: _series(cid, [120.0, 149.9, 130.0])}) == []
    assert _rows(site.url) == ([], [])


def test_unruled_channels_are_ignored(pipeline: AlertingPipeline, site: Site) -> None:
    cid = site.channels["displacement"]
    assert pipeline.process({cid: _series(cid, [1000.0, 2000.0])}) == []
    assert _rows(site.url) == ([], [])


def test_acknowledgement_is_stored(pipeline: AlertingPipeline, site: Site) -> None:
    cid = site.channels["pore_pressure"]
    (change,) = pipeline.process({cid: _series(cid, [160.0])})
    when = T0 + timedelta(minutes=30)
    pipeline.acknowledge(change.alert.alert_id, "shift supervisor", when)
    alerts, events = _rows(site.url)
    assert alerts[0].acknowledged_by == "shift supervisor"
    assert alerts[0].acknowledged_at is not None
    assert alerts[0].acknowledged_at.replace(tzinfo=UTC) == when
    assert alerts[0].escalate_at is None
    assert [(e.action, e.actor) for e in events] == [
        ("raise", None),
        ("acknowledge", "shift supervisor"),
    ]
    with pytest.raises(ValueError, match="already acknowledged"):
        pipeline.acknowledge(change.alert.alert_id, "somebody else", when)


def test_acknowledge_stored_alert_without_pipeline(pipeline: AlertingPipeline, site: Site) -> None:
    cid = site.channels["pore_pressure"]
    (change,) = pipeline.process({cid: _series(cid, [160.0])})
    acknowledge_stored(site.url, change.alert.alert_id, "engineer", T0 + STEP)
    ((channel_id, alert),) = stored_alerts(site.url, active=True)
    assert (channel_id, alert.acknowledged_by) == (cid, "engineer")
    with pytest.raises(KeyError, match="no alert"):
        acknowledge_stored(site.url, "0" * 32, "engineer")


def test_tick_raises_missing_data_and_escalates(pipeline: AlertingPipeline, site: Site) -> None:
    cid = site.channels["pore_pressure"]
    pipeline.process({cid: _series(cid, [160.0])})  # alert at T0, escalates after 1 h
    # 3 intervals = 30 min: a gap of 2 h is missing data; 2 h > 1 h: escalation
    changes = pipeline.tick(T0 + timedelta(hours=2))
    actions = sorted((c.event.action, c.alert.kind) for c in changes)
    assert actions == [("escalate", "tarp"), ("raise", "data-quality")]
    alerts, _ = _rows(site.url)
    by_kind = {a.kind: a for a in alerts}
    assert by_kind["tarp"].escalated
    assert by_kind["data-quality"].rule == "PZ-01 missing data"
    # a new reading clears the missing-data alert
    pipeline.process({cid: _series(cid, [155.0], start=T0 + timedelta(hours=2, minutes=5))})
    active = pipeline.list_alerts(active=True)
    assert [a.kind for a in active] == ["tarp"]  # 155 kPa >= 150 kPa: still at alert
    assert len(pipeline.list_alerts(channel="PZ-01/pore_pressure")) == 2


def test_on_batch_takes_a_committed_batch(pipeline: AlertingPipeline, site: Site) -> None:
    cid = site.channels["pore_pressure"]
    readings = [Reading(cid, to_us(T0 + i * STEP), v) for i, v in enumerate([100.0, 155.0])]
    batch = CommittedBatch(
        readings=readings, received=2, dead_letters=[], messages=1, committed_at=T0
    )
    changes = pipeline.on_batch(batch)
    assert [c.event.action for c in changes] == ["raise"]


def test_restarted_pipeline_continues_the_stored_alert(site: Site) -> None:
    cid = site.channels["pore_pressure"]
    rules = parse_rule_set(RULES)
    with AlertingPipeline(site.url, rules) as first:
        (change,) = first.process({cid: _series(cid, [160.0])})
    with AlertingPipeline(site.url, rules) as second:
        assert [a.alert_id for a in second.book.active()] == [change.alert.alert_id]
        second.acknowledge(change.alert.alert_id, "night shift")
    assert stored_alerts(site.url)[0][1].acknowledged_by == "night shift"


class _Receiver(BaseHTTPRequestHandler):
    bodies: ClassVar[list[dict[str, Any]]] = []

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        type(self).bodies.append(json.loads(self.rfile.read(length)))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    bodies: list[dict[str, Any]] = []
    handler = type("Receiver", (_Receiver,), {"bodies": bodies})
    server = HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/alerts", bodies
    server.shutdown()
    server.server_close()


def test_webhook_receives_the_change(
    site: Site, receiver: tuple[str, list[dict[str, Any]]]
) -> None:
    url, bodies = receiver
    cid = site.channels["pore_pressure"]
    with AlertingPipeline(site.url, parse_rule_set(RULES), webhook_url=url) as p:
        (change,) = p.process({cid: _series(cid, [120.0, 170.0])})
        assert p.webhook is not None and p.webhook.flush(timeout_s=10.0)
    assert len(bodies) == 1
    body = bodies[0]
    assert (body["action"], body["alert"]["level"]) == ("raise", "alert")
    assert body["alert"]["alert_id"] == change.alert.alert_id
    alerts, _ = _rows(site.url)
    assert alerts[0].notified_at is not None


def test_evaluate_stored_runs_rules_over_stored_readings(site: Site) -> None:
    cid = site.channels["pore_pressure"]
    write_readings(
        site.url, [(cid, to_us(T0 + i * STEP), v) for i, v in enumerate([120.0, 205.0, 100.0])]
    )
    changes = evaluate_stored(site.url, parse_rule_set(RULES), T0, T0 + timedelta(days=1))
    assert [(c.event.action, c.event.level.label) for c in changes] == [
        ("raise", "alarm"),
        ("clear", "normal"),
    ]
    assert _rows(site.url) == ([], [])  # nothing written


def test_ambiguous_channel_key_is_refused() -> None:
    rules = parse_rule_set(RULES)
    refs = [
        ChannelRef(1, 1, "PZ-01", "pore_pressure", "kPa", "kPa"),
        ChannelRef(2, 2, "PZ-01", "pore_pressure", "kPa", "kPa"),
    ]
    with pytest.raises(ValueError, match="matches channels 1 and 2"):
        match_channels(rules, refs)


def test_a_sole_channel_is_matched_by_its_sensor_code_and_sites_are_kept_apart() -> None:
    rules = parse_rule_set(RULES.replace('"PZ-01/pore_pressure"', '"PR-07"').replace("kPa", "mm"))
    refs = [
        ChannelRef(1, 1, "PZ-01", "pore_pressure", "kPa", "kPa"),
        ChannelRef(2, 1, "PZ-01", "temperature", "degC", "degC"),
        ChannelRef(3, 1, "PR-07", "displacement", "mm", "mm"),
        ChannelRef(4, 2, "PR-07", "displacement", "mm", "mm"),
    ]
    assert match_channels(rules, refs, site_id=1) == ({3: "PR-07"}, [])
    assert match_channels(rules, refs, site_id=3) == ({}, ["PR-07"])
    with pytest.raises(ValueError, match="matches channels 3 and 4"):
        match_channels(rules, refs)


def test_channels_registered_after_start_are_matched_on_their_first_batch(db_url):
    """A rule-set channel unmatched at start is picked up when its readings arrive."""
    from postmine import db
    from postmine.monitoring import channels as ch
    from postmine.monitoring.pipeline import AlertingPipeline
    from postmine.monitoring.rule_file import parse_rule_set
    from postmine.monitoring.store import Series
    from postmine.registry.records.sites import insert_site

    db.init_db(db_url)
    with db.session_scope(db_url) as session:
        site = insert_site(session, name="Late", region="R").id
    rules = parse_rule_set(
        'format_version = 1\nid = "late"\ntitle = "late"\n'
        '[channels.PZ-09]\nunit = "kPa"\n'
        '[[tarp]]\nname = "PZ-09 value"\nchannel = "PZ-09"\nmeasure = "value"\nunit = "kPa"\n'
        "thresholds = { alert = 100.0 }\n"
    )
    with AlertingPipeline(db_url, rules, site_id=site) as pipeline:
        assert pipeline.unmatched == ["PZ-09"]
        with db.session_scope(db_url) as session:
            sensor = ch.add_sensor(
                session, site_id=site, code="PZ-09", type="piezometer", expected_interval_s=60
            )
            channel_id = ch.add_channel(
                session, sensor, name="pore_pressure", quantity="pore_pressure"
            ).id
        t0 = 1_800_000_000_000_000
        series = Series(
            channel_id=channel_id,
            ts_us=np.array([t0, t0 + 60_000_000], dtype=np.int64),
            value=np.array([90.0, 120.0]),
        )
        changes = pipeline.process({channel_id: series})
    assert [c.event.action for c in changes] == ["raise"]
