"""Routes of reclamation plans: submit a project file, compute it, approve it.

A plan keeps the project file as submitted (an input) apart from its computed result; see
:func:`postmine.workflows.plans.submit_plan` and :func:`~postmine.workflows.plans.compute_plan`
(the registry stores plans and results, the project engine computes them). Submitting,
computing and approving are signed in the ledger ("created"; "plan-computed";
"plan-approved").
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, status
from fastapi.exceptions import RequestValidationError
from sqlalchemy import select

from postmine.api.auth import Context, ContextDep, Principal, WriterDep, authority
from postmine.api.schemas import (
    NOT_FOUND,
    WRITE_ERRORS,
    Limit,
    Offset,
    PlanApprove,
    PlanDetailOut,
    PlanOut,
    PlanSubmit,
    page_model,
    page_out,
    public_plan_result,
)
from postmine.db import RecordValueError
from postmine.project.schema import ProjectFileError
from postmine.registry import actions, records
from postmine.registry.models import ReclamationPlan
from postmine.workflows import plans as plan_workflow

__all__ = ["plan_dict", "router"]

router = APIRouter(tags=["plans"])


def plan_dict(plan: ReclamationPlan, principal: Principal, *, detail: bool) -> dict[str, Any]:
    """Render a plan for a principal: its inputs and result only in the detail view.

    Without financial access the project file (it holds unit costs) is left out and the
    result reduced to its non-financial sections (:func:`~postmine.api.schemas.public_plan_result`).
    """
    out = records.as_dict(plan)
    del out["project_toml"], out["result_json"]
    out["result_current"] = records.plan_result_is_current(plan)
    if detail:
        result = records.plan_result(plan)
        if principal.financial:
            out["project_toml"] = plan.project_toml
            out["result"] = result
        else:
            out["project_toml"] = None
            out["result"] = public_plan_result(result)
    return out


@router.get(
    "/sites/{site_id}/plans",
    response_model=page_model(PlanOut),
    responses=NOT_FOUND,
    summary="Plans of a site",
)
def list_site_plans(
    ctx: ContextDep, site_id: int, limit: Limit = 50, offset: Offset = 0
) -> dict[str, Any]:
    """List a site's reclamation plans in the order submitted."""
    stmt = (
        select(ReclamationPlan)
        .where(ReclamationPlan.site_id == site_id)
        .order_by(ReclamationPlan.submitted_on, ReclamationPlan.id)
    )
    with ctx.session() as session:
        ctx.site(session, site_id)
        page = records.paginate(session, stmt, limit=limit, offset=offset)
        return page_out(page, [plan_dict(p, ctx.principal, detail=False) for p in page.items])


@router.get(
    "/plans/{plan_id}",
    response_model=PlanDetailOut,
    responses=NOT_FOUND,
    summary="One plan with its project file and result",
)
def get_plan(ctx: ContextDep, plan_id: int) -> dict[str, Any]:
    """Return a plan: the project file as submitted and, apart, its computed result."""
    with ctx.session() as session:
        plan = records.get_plan(session, plan_id)
        ctx.check_site_of(session, "plan", plan_id, plan.site_id)
        return plan_dict(plan, ctx.principal, detail=True)


@router.post(
    "/sites/{site_id}/plans",
    response_model=PlanDetailOut,
    status_code=status.HTTP_201_CREATED,
    responses=WRITE_ERRORS,
    summary="Submit a plan (a project file)",
)
def submit_plan(ctx: WriterDep, site_id: int, body: PlanSubmit) -> dict[str, Any]:
    """Submit a project file (TOML text) as a site's plan; signed in the ledger as "created".

    The file is validated first; a bad file is answered 422 with each bad field of the
    project file named in ``loc`` after ``project_toml``.
    """
    with ctx.session() as session:
        ctx.site(session, site_id)
        plan = plan_workflow.submit_plan(session, ctx.actor(), site_id=site_id, **body.model_dump())
        return plan_dict(plan, ctx.principal, detail=True)


@router.post(
    "/plans/{plan_id}/compute",
    response_model=PlanDetailOut,
    responses=WRITE_ERRORS,
    summary="Compute a plan",
)
def compute_plan(ctx: WriterDep, plan_id: int) -> dict[str, Any]:
    """Compute a plan with the project engine and store the result beside its inputs.

    The result records the postmine version and the inputs' hash; a previous result is
    replaced, the inputs never change. A project file the engine refuses (a rule set it
    cannot find, inputs a method refuses) is answered 422 naming ``project_toml``.
    """
    with ctx.session() as session:
        plan = records.get_plan(session, plan_id)
        ctx.check_site_of(session, "plan", plan_id, plan.site_id)
        try:
            plan = plan_workflow.compute_plan(session, ctx.actor(), plan_id)
        except (ProjectFileError, RecordValueError):  # answered by their own handlers
            raise
        except ValueError as exc:  # a method refuses the combination of the file's inputs
            raise RequestValidationError(
                [{"loc": ("project_toml",), "msg": str(exc), "type": "value_error"}]
            ) from None
        return plan_dict(plan, ctx.principal, detail=True)


@router.post(
    "/plans/{plan_id}/approve",
    response_model=PlanDetailOut,
    responses=WRITE_ERRORS,
    summary="Approve a plan",
)
def approve_plan(
    ctx: Annotated[Context, authority("approving a plan")], plan_id: int, body: PlanApprove
) -> dict[str, Any]:
    """Approve a plan (regulator or admin); signed in the ledger as "plan-approved"."""
    with ctx.session() as session:
        plan = actions.approve_plan(session, ctx.actor(), plan_id, approved_on=body.approved_on)
        return plan_dict(plan, ctx.principal, detail=True)
