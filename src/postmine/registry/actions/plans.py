"""Actions on reclamation plans: submit a project file, store its computed result, approve it.

The registry stores plans and the results it is given; it neither parses nor computes
project files (that is :mod:`postmine.workflows.plans`). See
:mod:`postmine.registry.actions` for the ledger entries they append.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from postmine.registry.actions.base import Actor, act
from postmine.registry.ledger.store import DatabaseLedgerStore
from postmine.registry.models import ReclamationPlan
from postmine.registry.records.documents import sha256_hex
from postmine.registry.records.plans import insert_plan, mark_plan_approved, set_plan_result

__all__ = ["approve_plan", "store_plan_result", "store_submitted_plan"]


def store_submitted_plan(
    session: Session, actor: Actor, *, now: dt.datetime | None = None, **fields: Any
) -> ReclamationPlan:
    """Store a reclamation plan (a project file) and record it in the ledger (``created``).

    The registry does not read project files: the caller (the workflow
    :func:`postmine.workflows.plans.submit_plan`) validates the text with the project engine
    and gives its hash and format version. The payload commits to the project by the
    engine's hash of its content (``project_sha256``) and the SHA-256 of the exact text stored
    (``project_toml_sha256``).

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Session on the registry.
    actor : Actor
        Party making the change.
    now : datetime.datetime, optional
        Time of the ledger entry; default the current time. [-]
    **fields
        Keyword arguments of :func:`postmine.registry.records.plans.insert_plan`
        (``site_id``, ``project_toml``, ``project_sha256``, ``format_version``, ``title``,
        ``submitted_on``).

    Returns
    -------
    ReclamationPlan
        The new plan, without a result.

    Raises
    ------
    ValueError, postmine.registry.records.NotFoundError
        As :func:`postmine.registry.records.plans.insert_plan` and
        :func:`~postmine.registry.actions.register_site`.
    """

    def change(store: DatabaseLedgerStore) -> tuple[ReclamationPlan, int, dict[str, Any]]:
        plan = insert_plan(session, **fields)
        payload = {
            "entity": "plan",
            "plan_id": plan.id,
            "title": plan.title,
            "format_version": plan.format_version,
            "project_sha256": plan.project_sha256,
            "project_toml_sha256": sha256_hex(plan.project_toml.encode("utf-8")),
            "submitted_on": plan.submitted_on,
        }
        return plan, plan.site_id, payload

    return act(session, actor, "created", now, change)


def approve_plan(
    session: Session,
    actor: Actor,
    plan_id: int,
    *,
    approved_on: dt.date,
    now: dt.datetime | None = None,
) -> ReclamationPlan:
    """Record the approval of a plan, and its ledger entry (``plan-approved``).

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Session on the registry.
    actor : Actor
        Party approving (usually the regulator).
    plan_id : int
        Plan approved. [-]
    approved_on : datetime.date
        Date of the approval. [date]
    now : datetime.datetime, optional
        Time of the ledger entry; default the current time. [-]

    Returns
    -------
    ReclamationPlan
        The approved plan.

    Raises
    ------
    ValueError, postmine.registry.records.NotFoundError
        As :func:`postmine.registry.records.plans.mark_plan_approved` and
        :func:`~postmine.registry.actions.register_site`.
    """

    def change(store: DatabaseLedgerStore) -> tuple[ReclamationPlan, int, dict[str, Any]]:
        plan = mark_plan_approved(session, plan_id, approved_on=approved_on)
        payload = {
            "plan_id": plan.id,
            "title": plan.title,
            "project_sha256": plan.project_sha256,
            "approved_on": plan.approved_on,
        }
        return plan, plan.site_id, payload

    return act(session, actor, "plan-approved", now, change)


def store_plan_result(
    session: Session,
    actor: Actor,
    plan_id: int,
    *,
    result: dict[str, Any],
    postmine_version: str,
    inputs_sha256: str,
    computed_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> ReclamationPlan:
    """Store a plan's computed result beside its inputs, and record it in the ledger.

    The result is computed outside the registry (by
    :func:`postmine.workflows.plans.compute_plan`); the registry checks that it was computed
    from the plan's inputs and stores it. The entry has kind ``plan-computed`` and holds the
    plan, the result's SHA-256 (of the stored JSON), the postmine version, the inputs' hash
    and the time of the computation.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Session on the registry (committed by the caller).
    actor : Actor
        Party storing the result.
    plan_id : int
        Plan computed. [-]
    result : dict
        The result, JSON-ready (``ProjectResult.to_dict()``). [-]
    postmine_version : str
        Version of postmine that computed it. [-]
    inputs_sha256 : str
        Hash of the inputs it was computed from (the plan's ``project_sha256``). [-]
    computed_at : datetime.datetime, optional
        Timezone-aware time of the computation; default now. [-]
    now : datetime.datetime, optional
        Timezone-aware time of the ledger entry; default the current time. [-]

    Returns
    -------
    ReclamationPlan
        The plan with its result.

    Raises
    ------
    postmine.registry.records.NotFoundError
        If the plan does not exist.
    RecordValueError
        If the result was computed from other inputs than the plan's.
    """

    def change(store: DatabaseLedgerStore) -> tuple[ReclamationPlan, int, dict[str, Any]]:
        plan = set_plan_result(
            session,
            plan_id,
            result=result,
            postmine_version=postmine_version,
            inputs_sha256=inputs_sha256,
            computed_at=computed_at,
        )
        assert plan.result_json is not None
        payload = {
            "plan_id": plan.id,
            "result_sha256": sha256_hex(plan.result_json.encode("utf-8")),
            "postmine_version": plan.result_postmine_version,
            "inputs_sha256": plan.result_inputs_sha256,
            "computed_at": plan.result_computed_at,
        }
        return plan, plan.site_id, payload

    return act(session, actor, "plan-computed", now, change)
