"""Routes of financial assurance: the amount a site must hold, deposits, releases, forfeits.

Every route here is financial: answered 401 without a token and 403 to a public token.
Setting an assurance, releasing and forfeiting need a regulator or admin token; an
operator pays deposits into its own sites' assurances. Each movement is signed in the
ledger ("created", "deposit-paid", "release", "forfeit"). A release is refused (409, the
reason in ``detail``) unless its milestone's evidence is recorded in the ledger: an
acceptance act, or a monitoring result meeting its criterion.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, status
from sqlalchemy import select
from sqlalchemy.orm import Session

from postmine.api.auth import Context, FinancialDep, WriterDep, authority
from postmine.api.schemas import (
    FINANCIAL_READ,
    WRITE_ERRORS,
    AssuranceBalanceOut,
    AssuranceCreate,
    AssuranceDetailOut,
    AssuranceOut,
    DepositIn,
    ForfeitIn,
    Limit,
    Offset,
    ReleaseIn,
    TransactionOut,
    page_model,
    page_out,
)
from postmine.db import RecordValueError
from postmine.registry import actions, records
from postmine.registry.models import FinancialAssurance

__all__ = ["router"]

router = APIRouter(tags=["assurance"])


def _assurance_dict(
    session: Session, row: FinancialAssurance, *, transactions: bool
) -> dict[str, Any]:
    out = records.as_dict(row)
    out["balance"] = records.assurance_balance(session, row.id).to_dict()
    if transactions:
        session.refresh(row, ["transactions"])
        out["transactions"] = [records.as_dict(t) for t in row.transactions]
    return out


def _assurance(ctx: Context, session: Session, assurance_id: int) -> FinancialAssurance:
    row = records.get_assurance(session, assurance_id)
    ctx.check_site_of(session, "assurance", assurance_id, row.site_id)
    return row


@router.get(
    "/sites/{site_id}/assurances",
    response_model=page_model(AssuranceOut),
    responses=FINANCIAL_READ,
    summary="Financial assurances of a site",
)
def list_site_assurances(
    ctx: FinancialDep, site_id: int, limit: Limit = 50, offset: Offset = 0
) -> dict[str, Any]:
    """List a site's financial assurances by id, each with its balance."""
    stmt = (
        select(FinancialAssurance)
        .where(FinancialAssurance.site_id == site_id)
        .order_by(FinancialAssurance.id)
    )
    with ctx.session() as session:
        ctx.site(session, site_id)
        page = records.paginate(session, stmt, limit=limit, offset=offset)
        return page_out(page, [_assurance_dict(session, a, transactions=False) for a in page.items])


@router.get(
    "/assurances/{assurance_id}",
    response_model=AssuranceDetailOut,
    responses=FINANCIAL_READ,
    summary="One assurance with its balance and movements",
)
def get_assurance(ctx: FinancialDep, assurance_id: int) -> dict[str, Any]:
    """Return a financial assurance, its balance and its deposits, releases and forfeits."""
    with ctx.session() as session:
        return _assurance_dict(session, _assurance(ctx, session, assurance_id), transactions=True)


@router.get(
    "/assurances/{assurance_id}/balance",
    response_model=AssuranceBalanceOut,
    responses=FINANCIAL_READ,
    summary="Balance of an assurance",
)
def get_balance(ctx: FinancialDep, assurance_id: int) -> dict[str, float]:
    """Return the amounts required, deposited, released, forfeited, held and short."""
    with ctx.session() as session:
        _assurance(ctx, session, assurance_id)
        return records.assurance_balance(session, assurance_id).to_dict()


@router.post(
    "/sites/{site_id}/assurances",
    response_model=AssuranceOut,
    status_code=status.HTTP_201_CREATED,
    responses=WRITE_ERRORS,
    summary="Set the assurance a site must hold",
)
def create_assurance(
    ctx: Annotated[Context, authority("setting a financial assurance")],
    site_id: int,
    body: AssuranceCreate,
) -> dict[str, Any]:
    """Set a site's financial assurance (regulator or admin); signed in the ledger as "created".

    Without ``required_rub`` the amount is the bond of the plan's current computed result.
    """
    with ctx.session() as session:
        ctx.site(session, site_id)
        row = actions.create_assurance(session, ctx.actor(), site_id=site_id, **body.model_dump())
        return _assurance_dict(session, row, transactions=False)


@router.post(
    "/assurances/{assurance_id}/deposits",
    response_model=TransactionOut,
    status_code=status.HTTP_201_CREATED,
    responses=WRITE_ERRORS,
    summary="Pay a deposit",
)
def pay_deposit(ctx: WriterDep, assurance_id: int, body: DepositIn) -> dict[str, Any]:
    """Record a deposit into an assurance; signed in the ledger as "deposit-paid"."""
    with ctx.session() as session:
        _assurance(ctx, session, assurance_id)
        row = actions.pay_deposit(session, ctx.actor(), assurance_id, **body.model_dump())
        return records.as_dict(row)


@router.post(
    "/assurances/{assurance_id}/releases",
    response_model=TransactionOut,
    status_code=status.HTTP_201_CREATED,
    responses={
        **WRITE_ERRORS,
        409: {"description": "Refused: the milestone's evidence is not in the ledger."},
    },
    summary="Release assurance after a milestone",
)
def release(
    ctx: Annotated[Context, authority("releasing a financial assurance")],
    assurance_id: int,
    body: ReleaseIn,
) -> dict[str, Any]:
    """Release part of an assurance (regulator or admin); signed in the ledger as "release".

    Refused with 409, naming the evidence missing, unless the milestone has an acceptance
    act or a monitoring result meeting its criterion recorded in the ledger.
    """
    with ctx.session() as session:
        _assurance(ctx, session, assurance_id)
        try:
            row = actions.release(session, ctx.actor(), assurance_id, **body.model_dump())
        except RecordValueError:
            raise
        except ValueError as exc:
            raise HTTPException(status.HTTP_409_CONFLICT, detail=str(exc)) from None
        return records.as_dict(row)


@router.post(
    "/assurances/{assurance_id}/forfeits",
    response_model=TransactionOut,
    status_code=status.HTTP_201_CREATED,
    responses=WRITE_ERRORS,
    summary="Forfeit assurance",
)
def forfeit(
    ctx: Annotated[Context, authority("forfeiting a financial assurance")],
    assurance_id: int,
    body: ForfeitIn,
) -> dict[str, Any]:
    """Forfeit part of an assurance (regulator or admin); signed in the ledger as "forfeit"."""
    with ctx.session() as session:
        _assurance(ctx, session, assurance_id)
        row = actions.forfeit(session, ctx.actor(), assurance_id, **body.model_dump())
        return records.as_dict(row)
