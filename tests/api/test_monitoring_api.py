"""Tests of the monitoring routes: channels, readings, alerts (list and acknowledge), forecast.

Both backends (``db_url`` of tests/api/conftest.py). Alerts are raised by the alerting
pipeline itself (:class:`postmine.monitoring.pipeline.AlertingPipeline`), readings written
with :func:`postmine.monitoring.store.write_readings`.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import pytest
from numpy.testing import assert_allclose

from postmine.api import routes_monitoring
from postmine.db import session_scope
from postmine.monitoring.channels import add_channel, add_sensor
from postmine.monitoring.pipeline import AlertingPipeline
from postmine.monitoring.rule_file import parse_rule_set
from postmine.monitoring.store import Series, to_us, write_readings
from postmine.registry.records.sites import insert_site

Api = Any  # tests/api/conftest.py's Api

VALUE_TOL = 1e-9  # values are stored as given: only float round-off
INTERVAL_TOL = 1e-9  # d: float round-off of the interval bounds
T_FAILURE_TOL = 0.01  # d: the model fit of a noise-free Voight series is lag-free

T0 = datetime(2025, 5, 1, tzinfo=UTC)
STEP = timedelta(minutes=10)

RULES = """
format_version = 1
id = "api-test"
title = "API test"

[channels."PZ-01/pore_pressure"]
unit = "kPa"
expected_interval = "10min"

[[tarp]]
name = "PZ-01 pressure"
channel = "PZ-01/pore_pressure"
measure = "value"
unit = "kPa"
thresholds = { alert = 150.0, alarm = 200.0 }
"""


@pytest.fixture
def mon(api: Api) -> Api:
    """``api`` with site A (operator A: piezometer PZ-01, prism PR-07) and site B (operator B)."""
    with session_scope(api.db_url) as session:
        for letter in ("a", "b"):
            site = insert_site(
                session,
                name=f"Pit {letter.upper()}",
                region="Khakassia",
                operator_id=api.operators[letter],
            )
            pz = add_sensor(
                session, site_id=site.id, code="PZ-01", type="piezometer", expected_interval_s=600
            )
            pressure = add_channel(session, pz, name="pore_pressure", quantity="pore_pressure")
            pr = add_sensor(
                session, site_id=site.id, code="PR-07", type="prism", expected_interval_s=3600
            )
            disp = add_channel(session, pr, name="disp", quantity="displacement")
            api.ids[letter] = {"site": site.id, "pressure": pressure.id, "disp": disp.id}
    return api


def _raise_alert(api: Api, letter: str) -> str:
    """Run the pipeline on pressures crossing 150 kPa at a site; return the alert's id."""
    cid = api.ids[letter]["pressure"]
    values = [120.0, 140.0, 160.0, 165.0]
    ts = np.array([to_us(T0 + i * STEP) for i in range(len(values))], dtype=np.int64)
    series = Series(cid, ts, np.asarray(values))
    with AlertingPipeline(
        api.db_url, parse_rule_set(RULES), site_id=api.ids[letter]["site"]
    ) as pipeline:
        changes = pipeline.process({cid: series})
    assert [c.event.action for c in changes] == ["raise"]
    return changes[0].alert.alert_id


def test_channels_of_a_site_with_their_newest_reading(mon: Api) -> None:
    cid = mon.ids["a"]["pressure"]
    write_readings(mon.db_url, [(cid, T0, 100.0), (cid, T0 + STEP, 101.0)])
    response = mon.get(f"/sites/{mon.ids['a']['site']}/channels")
    assert response.status_code == 200, response.text
    rows = {(r["sensor_code"], r["name"]): r for r in response.json()}
    assert set(rows) == {("PZ-01", "pore_pressure"), ("PR-07", "disp")}
    assert rows["PZ-01", "pore_pressure"]["unit"] == "kPa"
    assert rows["PR-07", "disp"]["quantity"] == "displacement"
    assert rows["PR-07", "disp"]["unit"] == "mm"
    last = datetime.fromisoformat(rows["PZ-01", "pore_pressure"]["last_reading_at"])
    assert last == T0 + STEP
    assert rows["PR-07", "disp"]["last_reading_at"] is None


def test_another_operators_site_and_channel_are_not_found(mon: Api) -> None:
    site_b, channel_b = mon.ids["b"]["site"], mon.ids["b"]["pressure"]
    assert mon.get(f"/sites/{site_b}/channels", "operator_a").status_code == 404
    params = {"start": T0.isoformat(), "end": (T0 + STEP).isoformat()}
    assert mon.get(f"/channels/{channel_b}/readings", "operator_a", **params).status_code == 404
    assert mon.get(f"/channels/{channel_b}/readings", "operator_b", **params).status_code == 200
    assert mon.get("/channels/999999/readings", "regulator", **params).status_code == 404


def test_readings_raw_and_downsampled(mon: Api) -> None:
    cid = mon.ids["a"]["pressure"]
    values = [float(i % 7) for i in range(60)]  # 10 hours at 10 min
    write_readings(mon.db_url, [(cid, T0 + i * STEP, v) for i, v in enumerate(values)])
    window = {"start": T0.isoformat(), "end": (T0 + 60 * STEP).isoformat()}
    raw = mon.get(f"/channels/{cid}/readings", **window).json()
    assert not raw["downsampled"] and not raw["truncated"]
    assert len(raw["times"]) == 60
    assert_allclose(raw["values"], values, atol=VALUE_TOL)
    down = mon.get(f"/channels/{cid}/readings", points=10, **window).json()
    assert down["downsampled"] and down["values"] is None
    assert_allclose(down["bucket_s"], 3600.0, atol=VALUE_TOL)  # 10 h in 10 buckets
    assert down["count"] == [6] * 10
    for k in range(10):  # bucket k holds the readings 6k .. 6k+5
        bucket = values[6 * k : 6 * k + 6]
        assert_allclose(down["min"][k], min(bucket), atol=VALUE_TOL)
        assert_allclose(down["max"][k], max(bucket), atol=VALUE_TOL)
        assert_allclose(down["mean"][k], sum(bucket) / 6, atol=VALUE_TOL)


def test_readings_refuse_an_empty_range(mon: Api) -> None:
    cid = mon.ids["a"]["pressure"]
    response = mon.get(f"/channels/{cid}/readings", start=T0.isoformat(), end=T0.isoformat())
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "end"]


def test_alert_of_the_pipeline_is_listed_and_scoped(mon: Api) -> None:
    alert_id = _raise_alert(mon, "a")
    listed = mon.get("/alerts", active="true").json()
    assert listed["total"] == 1
    (row,) = listed["items"]
    assert (row["alert_id"], row["channel_id"], row["level"]) == (
        alert_id,
        mon.ids["a"]["pressure"],
        "alert",
    )
    assert row["active"] and row["acknowledged_by"] is None
    assert_allclose(row["value"], 160.0, atol=VALUE_TOL)
    by_channel = mon.get("/alerts", channel_id=mon.ids["a"]["disp"]).json()
    assert by_channel["total"] == 0
    assert mon.get("/alerts", "operator_a").json()["total"] == 1
    assert mon.get("/alerts", "operator_b").json()["total"] == 0


def test_acknowledge_once_then_conflict(mon: Api) -> None:
    alert_id = _raise_alert(mon, "a")
    first = mon.post(f"/alerts/{alert_id}/ack", {"by": "I. Petrov"}, "operator_a")
    assert first.status_code == 200, first.text
    assert first.json()["acknowledged_by"] == "I. Petrov"
    assert first.json()["acknowledged_at"] is not None
    second = mon.post(f"/alerts/{alert_id}/ack", {"by": "A. Sidorov"}, "regulator")
    assert second.status_code == 409
    assert "already acknowledged" in second.json()["detail"]


def test_acknowledge_access(mon: Api) -> None:
    alert_id = _raise_alert(mon, "a")
    body = {"by": "someone"}
    assert mon.post(f"/alerts/{alert_id}/ack", body).status_code == 401
    assert mon.post(f"/alerts/{alert_id}/ack", body, "public").status_code == 403
    assert mon.post(f"/alerts/{alert_id}/ack", body, "operator_b").status_code == 404
    assert mon.post(f"/alerts/{'0' * 32}/ack", body, "regulator").status_code == 404
    assert mon.post(f"/alerts/{alert_id}/ack", {"by": ""}, "regulator").status_code == 422
    assert mon.get("/alerts").json()["items"][0]["acknowledged_by"] is None
    assert mon.post(f"/alerts/{alert_id}/ack", body, "admin").status_code == 200


def test_forecast_of_a_voight_series_contains_the_failure_time(mon: Api) -> None:
    # Voight's α = 2 law integrated: d = d0 - (1/A) ln((t_f - t)/t_f), v = 1/(A (t_f - t))
    a_voight, t_f, d0 = 0.5, 30.0, 10.0  # d/mm, d, mm
    t = np.arange(0.0, 28.0, 1.0 / 24.0)  # hourly readings to two days before failure [d]
    d = d0 - np.log((t_f - t) / t_f) / a_voight
    cid = mon.ids["a"]["disp"]
    write_readings(
        mon.db_url,
        [(cid, T0 + timedelta(days=float(ti)), float(di)) for ti, di in zip(t, d, strict=True)],
    )
    response = mon.get(f"/channels/{cid}/forecast", window=8, filter="sma")
    assert response.status_code == 200, response.text
    out = response.json()
    assert out["has_forecast"], out["reason"]
    assert out["n_readings"] == t.size
    # noise-free readings give an interval of float round-off width around t_f
    assert out["t_low_d"] - INTERVAL_TOL <= t_f <= out["t_high_d"] + INTERVAL_TOL
    assert_allclose(out["t_failure_d"], t_f, atol=T_FAILURE_TOL)
    failure_at = datetime.fromisoformat(out["failure_at"])
    assert abs(failure_at - (T0 + timedelta(days=t_f))) < timedelta(days=T_FAILURE_TOL)
    assert out["lag_d"] > 0.0
    assert out["onset_d"] is not None


def test_forecast_refuses_a_channel_that_is_not_displacement(mon: Api) -> None:
    cid = mon.ids["a"]["pressure"]
    response = mon.get(f"/channels/{cid}/forecast")
    assert response.status_code == 422
    detail = response.json()["detail"][0]
    assert detail["loc"] == ["path", "channel_id"]
    assert "not displacement" in detail["msg"]


def test_forecast_refuses_fewer_readings_than_the_method_needs(mon: Api) -> None:
    cid = mon.ids["a"]["disp"]
    write_readings(mon.db_url, [(cid, T0 + timedelta(hours=i), 0.1 * i) for i in range(19)])
    response = mon.get(f"/channels/{cid}/forecast", window=8)
    assert response.status_code == 422
    detail = response.json()["detail"][0]
    assert detail["loc"] == ["path", "channel_id"]
    assert "has 19 readings; the forecast needs at least 20" in detail["msg"]


def test_forecast_of_steady_creep_gives_the_reason(mon: Api) -> None:
    cid = mon.ids["a"]["disp"]
    rows = [(cid, T0 + timedelta(hours=i), 0.1 * i) for i in range(200)]  # 2.4 mm/d, steady
    write_readings(mon.db_url, rows)
    out = mon.get(f"/channels/{cid}/forecast").json()
    assert not out["has_forecast"]
    assert out["t_failure_d"] is None and out["failure_at"] is None
    assert out["reason"]


def test_raw_readings_are_capped(mon: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(routes_monitoring, "MAX_RAW_READINGS", 5)
    cid = mon.ids["a"]["pressure"]
    write_readings(mon.db_url, [(cid, T0 + i * STEP, float(i)) for i in range(8)])
    out = mon.get(
        f"/channels/{cid}/readings", start=T0.isoformat(), end=(T0 + 8 * STEP).isoformat()
    ).json()
    assert out["truncated"]
    assert_allclose(out["values"], [0.0, 1.0, 2.0, 3.0, 4.0], atol=VALUE_TOL)  # the earliest
