"""Plans across the project engine and the registry: submit, compute, store (both backends).

The registry stores what these workflows give it; the checks here are those the registry
made itself before the plan computation left it: the engine's hash of the inputs, the
refusal of a bad project file, a result equal to the engine's outside the registry, and its
ledger entry.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

import pytest
from numpy.testing import assert_allclose

import postmine
from postmine.db import session_scope
from postmine.project.engine import project_hash
from postmine.project.plan import plan as plan_from_file
from postmine.project.schema import ProjectFileError, read_project
from postmine.registry import actions, records
from postmine.registry.ledger.store import DatabaseLedgerStore
from postmine.workflows import plans

ROOT = Path(__file__).resolve().parents[2]
PR1_PROJECT = ROOT / "examples" / "pr1-coal-pit" / "project.toml"
FAST_SAMPLES = 20  # Monte Carlo samples for tests (the example asks for 500)
KOPECK = 0.005  # amounts are kept to the kopeck


def fast_project_text() -> str:
    text = PR1_PROJECT.read_text(encoding="utf-8")
    assert "samples = 500" in text
    return text.replace("samples = 500", f"samples = {FAST_SAMPLES}")


@pytest.fixture
def site(session, actor):
    return actions.register_site(
        session, actor, name="Open pit 1", region="Kemerovo", registered_on=date(2020, 1, 10)
    )


def test_plan_stores_the_file_as_given_with_the_engines_hash(session, actor, site):
    text = fast_project_text()
    plan = plans.submit_plan(
        session, actor, site_id=site.id, project_toml=text, submitted_on=date(2025, 3, 1)
    )
    assert plan.project_toml == text
    assert plan.project_sha256 == project_hash(plans.plan_project_file(plan))
    assert plan.project_sha256 != hashlib.sha256(text.encode()).hexdigest()  # canonical, not raw
    assert plan.title.startswith("Coal open pit with an external dump")
    assert plan.result_json is None
    assert records.plan_result(plan) is None
    assert not records.plan_result_is_current(plan)
    # comments do not change the inputs' hash
    commented = plans.submit_plan(session, actor, site_id=site.id, project_toml="# note\n" + text)
    assert commented.project_sha256 == plan.project_sha256


def test_plan_hash_is_that_of_the_project_file(session, actor, site):
    text = PR1_PROJECT.read_text("utf-8")
    plan = plans.submit_plan(session, actor, site_id=site.id, project_toml=text)
    assert plan.project_sha256 == project_hash(read_project(PR1_PROJECT))
    entry = DatabaseLedgerStore(session).load_entries(site.id)[-1]
    assert entry.payload["entity"] == "plan"
    assert entry.payload["project_sha256"] == plan.project_sha256
    assert entry.payload["project_toml_sha256"] == hashlib.sha256(text.encode()).hexdigest()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("format_version = 1\n[project\n", "not valid TOML"),
        ("format_version = 1\n", "project: missing required field"),
        ("format_version = 2\n", "format_version: this postmine reads 1, got 2"),
    ],
)
def test_plan_refuses_an_invalid_project_file(session, actor, site, text, message):
    with pytest.raises(ProjectFileError, match=message):
        plans.submit_plan(session, actor, site_id=site.id, project_toml=text)
    assert records.list_plans(session, site.id) == []


def test_plan_of_a_missing_site_is_refused_before_its_file_is_read(session, actor):
    with pytest.raises(records.NotFoundError, match="site 404 not found"):
        plans.submit_plan(session, actor, site_id=404, project_toml="not toml [")


def test_computed_result_records_version_and_inputs_hash(db_url, actor, tmp_path):
    text = fast_project_text()
    with session_scope(db_url) as session:
        site_id = actions.register_site(session, actor, name="S", region="Kemerovo").id
        plan_id = plans.submit_plan(session, actor, site_id=site_id, project_toml=text).id
    with session_scope(db_url) as session:
        plans.compute_plan(session, actor, plan_id)
    with session_scope(db_url) as session:
        plan = records.get_plan(session, plan_id)
        assert plan.project_toml == text  # the inputs are untouched
        assert plan.result_postmine_version == postmine.__version__
        assert plan.result_inputs_sha256 == plan.project_sha256
        assert plan.result_computed_at is not None
        assert records.plan_result_is_current(plan)
        result = records.plan_result(plan)
        entry = DatabaseLedgerStore(session).load_entries(site_id)[-1]
    assert result is not None
    assert result["meta"]["postmine_version"] == postmine.__version__
    assert result["meta"]["project_sha256"] == plan.project_sha256
    assert (entry.kind, entry.payload["plan_id"]) == ("plan-computed", plan_id)
    assert entry.payload["inputs_sha256"] == plan.project_sha256
    # the stored result is what the engine computes for the same file outside the registry
    copy = tmp_path / "project.toml"
    copy.write_text(text, encoding="utf-8")
    direct = json.loads(json.dumps(plan_from_file(copy).to_dict()))
    assert direct["meta"].pop("project_file") == str(copy)
    assert result["meta"].pop("project_file") == f"reclamation_plans/{plan_id}"
    assert result == direct


def test_result_is_stale_after_a_version_change(session, actor, site, monkeypatch):
    plan = plans.submit_plan(session, actor, site_id=site.id, project_toml=fast_project_text())
    plans.compute_plan(session, actor, plan.id)
    assert records.plan_result_is_current(plan)
    monkeypatch.setattr(postmine, "__version__", "99.0.0")
    assert not records.plan_result_is_current(plan)


def test_assurance_from_a_computed_plan(session, actor, site):
    plan = plans.submit_plan(session, actor, site_id=site.id, project_toml=fast_project_text())
    with pytest.raises(ValueError, match="has no current computed bond"):
        actions.create_assurance(session, actor, site_id=site.id, plan_id=plan.id)
    plans.compute_plan(session, actor, plan.id)
    assurance = actions.create_assurance(session, actor, site_id=site.id, plan_id=plan.id)
    bond = records.plan_result(plan)["cost"]["bond_rub"]
    assert_allclose(assurance.required_rub, bond, atol=KOPECK)
    assert bond > 0
