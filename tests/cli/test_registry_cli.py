"""``postmine registry`` end to end on the embedded default (a SQLite file)."""

import json
import sqlite3

import pytest
from typer.testing import CliRunner

from postmine.cli.main import app

runner = CliRunner()

CRATER = {
    "type": "Polygon",
    "coordinates": [
        [[89.99, 52.65], [90.01, 52.65], [90.01, 52.66], [89.99, 52.66], [89.99, 52.65]]
    ],
}


@pytest.fixture
def env(tmp_path, monkeypatch):
    db = tmp_path / "registry.sqlite"
    monkeypatch.setenv("POSTMINE_DB", f"sqlite:///{db}")
    monkeypatch.setenv("POSTMINE_KEYS", str(tmp_path / "keys"))
    result = runner.invoke(app, ["registry", "init"])
    assert result.exit_code == 0, result.output
    return db


def add(entity, data, actor="regulator"):
    return runner.invoke(
        app, ["registry", "add", entity, "--data", json.dumps(data), "--actor", actor]
    )


def test_site_object_passport_verify_and_tamper(env):
    r = add(
        "site",
        {"name": "Abaza crater", "region": "Republic of Khakassia", "registered_on": "2022-01-10"},
    )
    assert r.exit_code == 0, r.output
    site = json.loads(r.stdout)["id"]
    r = add(
        "object", {"site_id": site, "kind": "collapse-crater", "name": "Crater", "geometry": CRATER}
    )
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["area_ha"] == pytest.approx(150.6, rel=0.01)

    r = runner.invoke(app, ["registry", "passport", str(site), "--json"])
    assert r.exit_code == 0, r.output
    events = [h["event"] for h in json.loads(r.stdout)["history"]]
    assert events[0] == "site-registered"

    r = runner.invoke(app, ["registry", "verify"])
    assert r.exit_code == 0, r.output

    # change one byte of the first ledger entry's payload behind the registry's back
    with sqlite3.connect(env) as con:
        (payload,) = con.execute("SELECT payload_json FROM ledger_entries WHERE seq = 1").fetchone()
        tampered = payload.replace("Abaza", "Abaze", 1)
        con.execute("UPDATE ledger_entries SET payload_json = ? WHERE seq = 1", (tampered,))
    r = runner.invoke(app, ["registry", "verify", "--json"])
    assert r.exit_code == 1
    report = json.loads(r.stdout)
    assert any(p["seq"] == 1 for p in report["problems"])


def test_release_without_evidence_is_refused(env):
    site = json.loads(add("site", {"name": "S", "region": "R"}).stdout)["id"]
    r = add("assurance", {"site_id": site, "required_rub": 1_000_000, "required_on": "2022-01-01"})
    assert r.exit_code == 0, r.output
    assurance = json.loads(r.stdout)["id"]
    r = add(
        "deposit",
        {"assurance_id": assurance, "amount_rub": 1_000_000, "transacted_on": "2022-02-01"},
    )
    assert r.exit_code == 0, r.output
    r = add(
        "release",
        {
            "assurance_id": assurance,
            "amount_rub": 600_000,
            "transacted_on": "2023-02-01",
            "milestone": "regrading",
        },
    )
    assert r.exit_code == 2
    assert "evidence" in r.stderr
    assert "Traceback" not in r.output


def test_sample_statistics_and_stats(env):
    r = runner.invoke(app, ["registry", "import", "sample-statistics"])
    assert r.exit_code == 0, r.output
    r = runner.invoke(
        app, ["registry", "stats", "--of", "statistics", "--by", "dataset,year", "--json"]
    )
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    assert any(row["dataset"] == "002-table-2" for row in rows)


def test_bad_input_exit_2(env):
    r = add("nothing", {})
    assert r.exit_code == 2 and "entity must be one of" in r.stderr
    r = add("object", {"site_id": 99, "kind": "pit", "name": "x", "area_ha": 1.0})
    assert r.exit_code == 2
    r = runner.invoke(app, ["registry", "passport", "42"])
    assert r.exit_code == 2


def test_import_objects_is_one_signed_batch_and_bad_rows_change_nothing(env, tmp_path):
    site = json.loads(add("site", {"name": "S", "region": "R"}).stdout)["id"]
    features = [
        {
            "type": "Feature",
            "properties": {"kind": "external-dump", "name": f"dump {i}"},
            "geometry": {
                "type": "Polygon",
                "coordinates": [
                    [
                        [90 + i / 100, 52],
                        [90.005 + i / 100, 52],
                        [90.005 + i / 100, 52.005],
                        [90 + i / 100, 52],
                    ]
                ],
            },
        }
        for i in range(5)
    ]
    good = tmp_path / "objects.geojson"
    good.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    r = runner.invoke(app, ["registry", "import", "objects", str(good), "--site", str(site)])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout.splitlines()[0])["inserted"] == 5

    features[3]["properties"]["kind"] = "volcano"
    bad = tmp_path / "bad.geojson"
    bad.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    r = runner.invoke(app, ["registry", "import", "objects", str(bad), "--site", str(site)])
    assert r.exit_code == 2
    assert "4" in r.stderr and "kind" in r.stderr  # the row (feature 4) and the field
    with sqlite3.connect(env) as con:
        assert con.execute("SELECT count(*) FROM disturbance_objects").fetchone() == (5,)
        kinds = [k for (k,) in con.execute("SELECT kind FROM ledger_entries ORDER BY seq")]
    assert kinds == ["created", "created"]  # the site, then one entry for the whole batch
    assert runner.invoke(app, ["registry", "verify"]).exit_code == 0


def test_token_and_serve_refuses_a_missing_schema(env, tmp_path, monkeypatch):
    r = runner.invoke(app, ["registry", "token", "admin"])
    assert r.exit_code == 0, r.output
    assert r.stdout.strip().startswith("pmt_")
    r = runner.invoke(app, ["registry", "token", "emperor"])
    assert r.exit_code == 2
    empty = tmp_path / "empty.sqlite"
    r = runner.invoke(app, ["serve", "--db", f"sqlite:///{empty}", "--port", "0"])
    assert r.exit_code == 2
    assert "postmine registry init" in r.stderr


def test_serve_starts_the_api(env, tmp_path):
    import os
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "postmine.cli.main", "serve", "--port", str(port)],
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/sites") as resp:
                    body = json.loads(resp.read())
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("postmine serve did not answer within 10 s")
        assert body["total"] == 0 and body["items"] == []
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/openapi.json") as resp:
            assert "/api/v1/sites" in json.loads(resp.read())["paths"]
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_operator_territory_and_changes_through_the_actions(env, tmp_path):
    operator = add("operator", {"name": "Khakas Coal", "tax_id": "1900000003"})
    assert operator.exit_code == 0, operator.output
    territory = add("territory", {"name": "Askiz", "region": "Khakassia", "area_ha": 1e5})
    assert territory.exit_code == 0, territory.output
    assert json.loads(territory.stdout)["kind"] == "mining-district"
    site = json.loads(
        add("site", {"name": "S", "region": "Khakassia", "registered_on": "2022-01-10"}).stdout
    )["id"]
    r = add(
        "update-site",
        {
            "site_id": site,
            "status": "under-reclamation",
            "operator_id": json.loads(operator.stdout)["id"],
        },
    )
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["status"] == "under-reclamation"
    obj = json.loads(
        add(
            "object",
            {
                "site_id": site,
                "kind": "pit",
                "name": "Pit",
                "area_ha": 12.0,
                "state_on": "2022-01-10",
            },
        ).stdout
    )["id"]
    r = add(
        "object-state", {"object_id": obj, "state": "technical-stage", "changed_on": "2023-05-01"}
    )
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["state"] == "technical-stage"
    r = add("object-geometry", {"object_id": obj, "geometry": CRATER})
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["area_ha"] == pytest.approx(150.6, rel=0.01)
    r = runner.invoke(app, ["registry", "verify", "--json"])
    assert r.exit_code == 0, r.output
    # operator and territory (registry-wide), site, update, object, state, geometry
    assert json.loads(r.stdout)["n_entries"] == 7


def test_a_plan_is_submitted_and_computed_through_the_workflow(env, tmp_path):
    from pathlib import Path

    example = Path(__file__).resolve().parents[2] / "examples" / "pr1-coal-pit" / "project.toml"
    project = tmp_path / "project.toml"
    project.write_text(
        example.read_text(encoding="utf-8").replace("samples = 500", "samples = 20"),
        encoding="utf-8",
    )
    site = json.loads(add("site", {"name": "S", "region": "Kemerovo"}).stdout)["id"]
    r = runner.invoke(
        app, ["registry", "add", "plan", "--file", str(project), "--actor", "regulator"]
    )
    assert r.exit_code == 2  # a project file alone does not name its site
    r = runner.invoke(
        app,
        [
            "registry",
            "add",
            "plan",
            "--data",
            json.dumps({"site_id": site, "project_toml": project.read_text()}),
        ],
    )
    assert r.exit_code == 0, r.output
    plan = json.loads(r.stdout)
    assert plan["result_json"] is None
    r = add("compute-plan", {"plan_id": plan["id"]})
    assert r.exit_code == 0, r.output
    computed = json.loads(r.stdout)
    assert computed["result_inputs_sha256"] == plan["project_sha256"]
    r = add("plan", {"site_id": site, "project_toml": "format_version = 2\n"})
    assert r.exit_code == 2
    assert "format_version" in r.output
