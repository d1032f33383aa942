"""The digital passport of a site: content, history order, public view (the HTML page is
rendered by :mod:`postmine.reports.passport`, tested in ``tests/reports/test_passport.py``)."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from numpy.testing import assert_allclose
from shapely.geometry import box

import postmine
from postmine.db import session_scope
from postmine.registry import actions, records
from postmine.registry.geometry import geodesic_area_ha
from postmine.registry.passport import build_passport
from postmine.workflows import plans

ROOT = Path(__file__).resolve().parents[2]
PR1_PROJECT = ROOT / "examples" / "pr1-coal-pit" / "project.toml"
AREA_RTOL = 1e-6  # stored backend area against pyproj's (both geodesic on WGS 84)
KOPECK = 0.005

DUMP = box(86.12, 54.12, 86.13, 54.13)
CRATER = box(86.14, 54.12, 86.145, 54.125)

# The site's story, in the order it is typed in (not the order it happened).
EXPECTED_HISTORY = [
    ("2018-04-01", "object-recorded"),  # dump, disturbed
    ("2019-05-20", "object-recorded"),  # crater, disturbed
    ("2020-01-10", "site-registered"),
    ("2020-01-10", "tmf-recorded"),
    ("2020-03-01", "plan-submitted"),
    ("2020-06-15", "plan-approved"),
    ("2020-07-01", "assurance-required"),
    ("2020-07-01", "deposit"),
    ("2021-05-01", "object-state-changed"),  # dump -> technical-stage
    ("2022-06-01", "object-state-changed"),  # dump -> biological-stage
    ("2023-08-31", "monitoring"),  # cover 42 %, not met
    ("2024-08-01", "object-state-changed"),  # dump -> reclaimed
    ("2024-08-31", "monitoring"),  # cover 71.5 %, met
    ("2024-09-01", "document"),  # acceptance act
    ("2024-09-01", "object-state-changed"),  # dump -> accepted (after its act)
    ("2024-09-10", "release"),
]


@pytest.fixture
def actor(tmp_path):
    return actions.actor_from_keyring("regulator", tmp_path / "keys")


def write_story(url, actor):
    """Write the site's story through the registry's actions; return the site's id."""
    with session_scope(url) as session:
        op = actions.register_operator(session, actor, name="Kuzbass <Coal> & Co")
        site = actions.register_site(
            session,
            actor,
            name="Open pit 1",
            region="Kemerovo",
            operator_id=op.id,
            mineral="coal",
            typology="brownfield",
            status="under-reclamation",
            geometry=box(86.1, 54.1, 86.2, 54.2),
            registered_on=date(2020, 1, 10),
        )
        # typed in late: the monitoring of 2024 before that of 2023, the act before the states
        actions.record_monitoring(
            session,
            actor,
            site_id=site.id,
            parameter="vegetation_cover",
            value=71.5,
            unit="%",
            criteria_met=True,
            period_start=date(2024, 6, 1),
            period_end=date(2024, 8, 31),
            source="field survey",
        )
        dump = actions.add_object(
            session,
            actor,
            site_id=site.id,
            kind="external-dump",
            name="Dump North",
            geometry=DUMP,
            volume_m3=2.5e6,
            state_on=date(2018, 4, 1),
        )
        actions.add_object(
            session,
            actor,
            site_id=site.id,
            kind="collapse-crater",
            name="Crater",
            geometry=CRATER,
            state_on=date(2019, 5, 20),
        )
        act = actions.record_document(
            session,
            actor,
            site_id=site.id,
            kind="acceptance-act",
            title="Act No. 12",
            uri="archive://acts/12",
            issued_on=date(2024, 9, 1),
            content=b"act 12",
        )
        for state, when in [
            ("technical-stage", date(2021, 5, 1)),
            ("biological-stage", date(2022, 6, 1)),
            ("reclaimed", date(2024, 8, 1)),
        ]:
            actions.change_object_state(session, actor, dump.id, state=state, changed_on=when)
        actions.accept_stage(
            session,
            actor,
            dump.id,
            state="accepted",
            changed_on=date(2024, 9, 1),
            document_id=act.id,
            milestone="Dump accepted",
        )
        actions.record_monitoring(
            session,
            actor,
            site_id=site.id,
            object_id=dump.id,
            parameter="vegetation_cover",
            value=42.0,
            unit="%",
            criteria_met=False,
            period_start=date(2023, 6, 1),
            period_end=date(2023, 8, 31),
            source="field survey",
        )
        plan = plans.submit_plan(
            session,
            actor,
            site_id=site.id,
            project_toml=PR1_PROJECT.read_text("utf-8"),
            submitted_on=date(2020, 3, 1),
        )
        actions.approve_plan(session, actor, plan.id, approved_on=date(2020, 6, 15))
        actions.add_tmf(
            session,
            actor,
            site_id=site.id,
            object_id=dump.id,
            name="Overburden",
            tmf_class="mining",
            mass_t=4.5e6,
            hazard_class=5,
            year=2020,
            valuable_components={"coal": 0.02},
            recorded_on=date(2020, 1, 10),
        )
        assurance = actions.create_assurance(
            session,
            actor,
            site_id=site.id,
            required_rub=1_000_000.0,
            plan_id=plan.id,
            required_on=date(2020, 7, 1),
        )
        actions.pay_deposit(
            session, actor, assurance.id, amount_rub=1_000_000.0, transacted_on=date(2020, 7, 1)
        )
        actions.release(
            session,
            actor,
            assurance.id,
            amount_rub=600_000.0,
            transacted_on=date(2024, 9, 10),
            milestone="Dump accepted",
            evidence_document_id=act.id,
        )
        return site.id


@pytest.fixture
def story(db_url, actor):
    """A site with objects, a plan, money, monitoring and an act; returns (url, site id)."""
    return db_url, write_story(db_url, actor)


def test_passport_sections(story):
    url, site_id = story
    with session_scope(url) as session:
        p = build_passport(session, site_id)
    assert p["passport"]["format"] == "postmine-passport"
    assert p["passport"]["postmine_version"] == postmine.__version__
    assert p["site"]["name"] == "Open pit 1"
    assert p["site"]["operator"]["name"] == "Kuzbass <Coal> & Co"
    assert p["site"]["status"] == "under-reclamation"

    initial = p["initial_state"]
    assert [(o["object_name"], o["state"], o["date"]) for o in initial["objects"]] == [
        ("Dump North", "disturbed", "2018-04-01"),
        ("Crater", "disturbed", "2019-05-20"),
    ]
    dump_ha, crater_ha = geodesic_area_ha(DUMP), geodesic_area_ha(CRATER)
    assert_allclose(initial["disturbed_area_ha"], dump_ha + crater_ha, rtol=AREA_RTOL)

    current = p["current_state"]
    assert [(o["name"], o["state"], o["state_since"]) for o in current["objects"]] == [
        ("Dump North", "accepted", "2024-09-01"),
        ("Crater", "disturbed", "2019-05-20"),
    ]
    assert_allclose(current["area_by_state_ha"]["accepted"], dump_ha, rtol=AREA_RTOL)
    assert_allclose(current["area_by_state_ha"]["disturbed"], crater_ha, rtol=AREA_RTOL)
    assert_allclose(current["reclaimed_share"], dump_ha / (dump_ha + crater_ha), rtol=AREA_RTOL)

    assert [(w["from_state"], w["state"], w["date"]) for w in p["works"]] == [
        ("disturbed", "technical-stage", "2021-05-01"),
        ("technical-stage", "biological-stage", "2022-06-01"),
        ("biological-stage", "reclaimed", "2024-08-01"),
        ("reclaimed", "accepted", "2024-09-01"),
    ]
    assert p["works"][-1]["document_id"] == p["documents"][0]["id"]
    assert p["works"][-1]["document_title"] == "Act No. 12"

    assert len(p["plans"]) == 1
    assert p["plans"][0]["approved_on"] == "2020-06-15"
    assert p["plans"][0]["result"] is None
    assert p["current_plan_id"] == p["plans"][0]["id"]

    money = p["financial"]["assurances"][0]
    assert_allclose(money["required_rub"], 1_000_000.0, atol=KOPECK)
    assert_allclose(money["held_rub"], 400_000.0, atol=KOPECK)
    assert [t["kind"] for t in money["transactions"]] == ["deposit", "release"]
    assert money["transactions"][1]["milestone"] == "Dump accepted"

    assert p["monitoring"]["criteria_met"] == 1
    assert p["monitoring"]["criteria_not_met"] == 1
    assert [m["period_end"] for m in p["monitoring"]["summaries"]] == ["2023-08-31", "2024-08-31"]
    assert p["tmf"][0]["valuable_components"] == {"coal": 0.02}
    assert p["documents"][0]["sha256"] == records.sha256_hex(b"act 12")


def test_history_is_ordered_by_time(story):
    url, site_id = story
    with session_scope(url) as session:
        p = build_passport(session, site_id)
    dates = [e["date"] for e in p["history"]]
    assert dates == sorted(dates)
    assert p["passport"]["as_of"] == max(dates)
    assert [(e["date"], e["event"]) for e in p["history"]] == EXPECTED_HISTORY
    kinds = [e["event"] for e in p["history"]]
    # within one day the act comes before the acceptance it evidences
    act = kinds.index("document")
    assert p["history"][act + 1]["event"] == "object-state-changed"
    assert p["history"][act + 1]["state"] == "accepted"
    for e in p["history"]:
        assert e["text"]["en"] and e["text"]["ru"]
        assert set(e["ref"]) == {"table", "id"}


def test_passport_is_json_and_deterministic(story):
    url, site_id = story
    with session_scope(url) as session:
        first = json.dumps(build_passport(session, site_id), sort_keys=True)
    with session_scope(url) as session:
        second = json.dumps(build_passport(session, site_id), sort_keys=True)
    assert first == second
    assert "geometry" not in json.loads(first)["site"]


def test_public_passport_has_no_money(story):
    url, site_id = story
    with session_scope(url) as session:
        p = build_passport(session, site_id, include_financial=False)
    assert "financial" not in p
    assert p["passport"]["financial_included"] is False
    events = {e["event"] for e in p["history"]}
    assert not events & {"deposit", "release", "forfeit", "assurance-required"}

    def keys(value):
        if isinstance(value, dict):
            for k, v in value.items():
                yield k
                yield from keys(v)
        elif isinstance(value, list):
            for v in value:
                yield from keys(v)

    assert not [k for k in keys(p) if k.endswith("_rub")]
    assert "руб" not in json.dumps(p, ensure_ascii=False)


def test_passport_with_geometry(story):
    url, site_id = story
    with session_scope(url) as session:
        p = build_passport(session, site_id, include_geometry=True)
    assert p["site"]["geometry"]["type"] == "Polygon"
    assert p["current_state"]["objects"][0]["geometry"]["type"] == "Polygon"


def test_passport_shows_the_computed_plan(db_url, actor):
    text = PR1_PROJECT.read_text("utf-8").replace("samples = 500", "samples = 20")
    with session_scope(db_url) as session:
        site = actions.register_site(
            session, actor, name="S", region="Kemerovo", registered_on=date(2025, 1, 1)
        )
        plan = plans.submit_plan(session, actor, site_id=site.id, project_toml=text)
        plans.compute_plan(session, actor, plan.id)
        bond = records.plan_result(plan)["cost"]["bond_rub"]
        p = build_passport(session, site.id)
        public = build_passport(session, site.id, include_financial=False)
    result = p["plans"][0]["result"]
    assert result["postmine_version"] == postmine.__version__
    assert result["inputs_sha256"] == p["plans"][0]["project_sha256"]
    assert result["current"] is True
    assert result["cost"]["bond_rub"] == bond
    assert [m["release_percent"] for m in result["milestones"]] == [60.0, 25.0, 15.0]
    assert "plan-computed" in [e["event"] for e in p["history"]]
    assert "cost" not in public["plans"][0]["result"]
    assert "released_rub" not in public["plans"][0]["result"]["milestones"][0]


def test_passport_of_a_missing_site(session):
    with pytest.raises(records.NotFoundError, match="site 404 not found"):
        build_passport(session, 404)


# --- the stored story -------------------------------------------------------------------------

STORY = Path(__file__).resolve().parents[1] / "reports" / "passport_story"
RECORDED = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(\+00:00|Z)?")
"""Times a row was written (``created_at``): they differ from run to run."""
FIXED_TIME = "2025-01-01T00:00:00+00:00"


@pytest.mark.parametrize(
    ("include_financial", "name"), [(True, "story.json"), (False, "story_public.json")]
)
def test_passport_is_the_stored_one(story, include_financial, name):
    """The passport of the story is the one stored beside the HTML tests, value for value.

    The stored files were written by postmine before the passport's rendering moved to
    :mod:`postmine.reports.passport`; only the times the rows were written and the engine's
    hash of the plan's inputs (it changes with the project-file schema) may differ.
    """
    url, site_id = story
    with session_scope(url) as session:
        p = build_passport(session, site_id, include_financial=include_financial)
    assert p["passport"]["postmine_version"] == postmine.__version__
    p["passport"]["postmine_version"] = "0.1.0"  # the version that wrote the stored files
    text = RECORDED.sub(FIXED_TIME, json.dumps(p, ensure_ascii=False, indent=1))
    stored = (STORY / name).read_text(encoding="utf-8")
    # the project engine's hash of the plan's inputs follows the project-file schema
    inputs, stored_inputs = p["plans"][0]["project_sha256"], json.loads(stored)["plans"][0]
    text = text.replace(inputs, stored_inputs["project_sha256"])
    text = text.replace(inputs[:12], stored_inputs["project_sha256"][:12])
    got, want = json.loads(text), json.loads(stored)
    if url.startswith("sqlite"):
        assert text + "\n" == stored
    else:  # PostGIS computes the areas: equal to the stored ones within AREA_RTOL
        assert got.keys() == want.keys()
        assert got["history"] == want["history"]
        assert_allclose(
            got["current_state"]["total_area_ha"],
            want["current_state"]["total_area_ha"],
            rtol=AREA_RTOL,
        )
