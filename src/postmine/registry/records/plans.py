"""Rows of the reclamation plans: the project file as submitted, and the result it is given.

A reclamation plan stores the project file as submitted (``project_toml``) with the hash and
format version the project engine gave it; the result, computed outside the registry (by
:func:`postmine.workflows.plans.compute_plan`), is stored in separate columns with the
postmine version and the hash of the inputs it was computed from. The inputs are never
changed afterwards; storing a new result replaces only the result. The registry neither
parses nor computes project files.

Row operations only: plans are submitted, given their result and approved through the
ledgered actions (:func:`postmine.registry.actions.store_submitted_plan`,
:func:`~postmine.registry.actions.store_plan_result`,
:func:`~postmine.registry.actions.approve_plan`).
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

import postmine
from postmine.db import RecordValueError
from postmine.registry.models import ReclamationPlan
from postmine.registry.records.common import check_date, check_text, flush_row, get_row, today
from postmine.registry.records.sites import get_site

__all__ = [
    "get_plan",
    "insert_plan",
    "list_plans",
    "mark_plan_approved",
    "plan_result",
    "plan_result_is_current",
    "set_plan_result",
]


def insert_plan(
    session: Session,
    *,
    site_id: int,
    project_toml: str,
    project_sha256: str,
    format_version: int,
    title: str,
    submitted_on: date | None = None,
) -> ReclamationPlan:
    """Insert a reclamation plan: a project file of the project engine, as an input.

    The text is kept exactly as given, with the hash and format version the caller (the
    workflow that validated it with the project engine) computed.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Session on the registry.
    site_id : int
        Site the plan is for. [-]
    project_toml : str
        The project file's text (TOML). [-]
    project_sha256 : str
        The project engine's hash of its content
        (:func:`postmine.project.engine.project_hash`), 64 hex digits. [-]
    format_version : int
        The project file's ``format_version``. [-]
    title : str
        Title of the plan. [-]
    submitted_on : datetime.date, optional
        Date of submission (today by default). [date]

    Returns
    -------
    ReclamationPlan
        The new row, without a result.

    Raises
    ------
    NotFoundError
        If the site does not exist.
    RecordValueError
        If the text is not text, the title is empty, or a value is out of its column's range.
    """
    get_site(session, site_id)
    if not isinstance(project_toml, str):
        raise RecordValueError("project_toml", "project_toml must be TOML text", project_toml)
    row = ReclamationPlan(
        site_id=site_id,
        title=check_text("title", title),
        project_toml=project_toml,
        project_sha256=project_sha256,
        format_version=format_version,
        submitted_on=check_date("submitted_on", submitted_on or today()),
    )
    return flush_row(session, row)


def get_plan(session: Session, plan_id: int) -> ReclamationPlan:
    """Return a reclamation plan by id; raise :class:`NotFoundError` if there is none."""
    return get_row(session, ReclamationPlan, plan_id, "plan")


def list_plans(session: Session, site_id: int) -> list[ReclamationPlan]:
    """Return a site's reclamation plans, in the order submitted."""
    get_site(session, site_id)
    stmt = (
        select(ReclamationPlan)
        .where(ReclamationPlan.site_id == site_id)
        .order_by(ReclamationPlan.submitted_on, ReclamationPlan.id)
    )
    return list(session.scalars(stmt))


def set_plan_result(
    session: Session,
    plan_id: int,
    *,
    result: dict[str, Any],
    postmine_version: str,
    inputs_sha256: str,
    computed_at: datetime | None = None,
) -> ReclamationPlan:
    """Store a plan's computed result beside its inputs (a previous result is replaced).

    The result is stored as compact JSON with sorted keys in ``result_json``, with
    ``result_postmine_version``, ``result_inputs_sha256`` and ``result_computed_at``.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Session on the registry.
    plan_id : int
        Plan computed. [-]
    result : dict
        The result, JSON-ready (``ProjectResult.to_dict()``). [-]
    postmine_version : str
        Version of postmine that computed it. [-]
    inputs_sha256 : str
        Hash of the inputs it was computed from; must be the plan's ``project_sha256``. [-]
    computed_at : datetime.datetime, optional
        Timezone-aware time of the computation (now by default). [-]

    Returns
    -------
    ReclamationPlan
        The plan with its result.

    Raises
    ------
    NotFoundError
        If the plan does not exist.
    RecordValueError
        If the result was computed from other inputs than the plan's.
    """
    plan = get_plan(session, plan_id)
    if inputs_sha256 != plan.project_sha256:
        raise RecordValueError(
            "inputs_sha256",
            f"plan {plan.id}: the result was computed from inputs {inputs_sha256[:12]}, "
            f"not from the plan's {plan.project_sha256[:12]}",
            inputs_sha256,
        )
    plan.result_json = json.dumps(result, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    plan.result_postmine_version = postmine_version
    plan.result_inputs_sha256 = inputs_sha256
    plan.result_computed_at = datetime.now(UTC) if computed_at is None else computed_at
    session.flush()
    return plan


def plan_result(plan: ReclamationPlan) -> dict[str, Any] | None:
    """Return a plan's computed result as a dict, or None if it was not computed."""
    if plan.result_json is None:
        return None
    result: dict[str, Any] = json.loads(plan.result_json)
    return result


def plan_result_is_current(plan: ReclamationPlan) -> bool:
    """Whether a plan's result was computed from its inputs by this postmine version."""
    return (
        plan.result_json is not None
        and plan.result_inputs_sha256 == plan.project_sha256
        and plan.result_postmine_version == postmine.__version__
    )


def mark_plan_approved(session: Session, plan_id: int, *, approved_on: date) -> ReclamationPlan:
    """Record the approval date of a plan.

    Raises
    ------
    NotFoundError
        If the plan does not exist.
    RecordValueError
        If it is already approved or ``approved_on`` precedes its submission.
    """
    plan = get_plan(session, plan_id)
    approved_on = check_date("approved_on", approved_on)
    if plan.approved_on is not None:
        raise RecordValueError(
            "approved_on", f"plan {plan_id} was approved on {plan.approved_on}", approved_on
        )
    if approved_on < plan.submitted_on:
        raise RecordValueError(
            "approved_on",
            f"approved_on must not precede submission ({plan.submitted_on}), got {approved_on}",
            approved_on,
        )
    plan.approved_on = approved_on
    session.flush()
    return plan
