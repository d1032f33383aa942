"""Reclamation plans on both backends: file and hash stored as given, result, approval."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import postmine
from postmine.db import RecordValueError
from postmine.registry import records as s
from postmine.registry.records.plans import insert_plan, mark_plan_approved, set_plan_result

ROOT = Path(__file__).resolve().parents[3]
PR1_PROJECT = ROOT / "examples" / "pr1-coal-pit" / "project.toml"
FAST_SAMPLES = 20  # Monte Carlo samples for tests (the example asks for 500)


def fast_project_text() -> str:
    text = PR1_PROJECT.read_text(encoding="utf-8")
    assert "samples = 500" in text
    return text.replace("samples = 500", f"samples = {FAST_SAMPLES}")


INPUTS = "a" * 64  # the project engine's hash of a project file (the workflow gives it)


def insert_fast_plan(session, site_id, **kwargs):
    """Insert the PR1 example as a plan, as the workflow does after validating it."""
    return insert_plan(
        session,
        site_id=site_id,
        project_toml=fast_project_text(),
        project_sha256=INPUTS,
        format_version=1,
        title="Coal open pit",
        **kwargs,
    )


def test_plan_stores_the_file_and_hash_as_given(session, site):
    plan = insert_fast_plan(session, site.id, submitted_on=date(2025, 3, 1))
    assert plan.project_toml == fast_project_text()
    assert plan.project_sha256 == INPUTS
    assert plan.result_json is None
    assert s.plan_result(plan) is None
    assert not s.plan_result_is_current(plan)
    with pytest.raises(RecordValueError, match="title must be non-empty text"):
        insert_plan(
            session,
            site_id=site.id,
            project_toml="",
            project_sha256=INPUTS,
            format_version=1,
            title=" ",
        )


def test_stored_result_records_version_and_inputs_hash(session, site):
    plan = insert_fast_plan(session, site.id)
    result = {"cost": {"bond_rub": 1234.5}, "meta": {"project_sha256": INPUTS}}
    set_plan_result(
        session, plan.id, result=result, postmine_version=postmine.__version__, inputs_sha256=INPUTS
    )
    assert s.plan_result(plan) == result
    assert (
        plan.result_json
        == '{"cost":{"bond_rub":1234.5},"meta":{"project_sha256":"' + INPUTS + '"}}'
    )
    assert plan.result_inputs_sha256 == INPUTS
    assert plan.result_computed_at is not None
    assert s.plan_result_is_current(plan)
    with pytest.raises(RecordValueError, match="the result was computed from inputs bbbbbbbbbbbb"):
        set_plan_result(session, plan.id, result={}, postmine_version="1", inputs_sha256="b" * 64)


def test_result_is_stale_after_a_version_change(session, site, monkeypatch):
    plan = insert_fast_plan(session, site.id)
    set_plan_result(
        session, plan.id, result={}, postmine_version=postmine.__version__, inputs_sha256=INPUTS
    )
    assert s.plan_result_is_current(plan)
    monkeypatch.setattr(postmine, "__version__", "99.0.0")
    assert not s.plan_result_is_current(plan)


def test_plan_approval(session, site):
    plan = insert_fast_plan(session, site.id, submitted_on=date(2025, 3, 1))
    with pytest.raises(RecordValueError, match="approved_on must not precede submission"):
        mark_plan_approved(session, plan.id, approved_on=date(2025, 2, 1))
    mark_plan_approved(session, plan.id, approved_on=date(2025, 4, 15))
    assert plan.approved_on == date(2025, 4, 15)
    with pytest.raises(RecordValueError, match="was approved on 2025-04-15"):
        mark_plan_approved(session, plan.id, approved_on=date(2025, 5, 1))
    assert [p.id for p in s.list_plans(session, site.id)] == [plan.id]
