"""Rows of the financial assurances and their movements: insert, read, list, balance.

Row operations only: assurances and their deposits, releases and forfeits are recorded
through the ledgered actions (:func:`postmine.registry.actions.create_assurance`,
:func:`~postmine.registry.actions.pay_deposit`, :func:`~postmine.registry.actions.release`,
:func:`~postmine.registry.actions.forfeit`); a release is allowed only with its milestone's
evidence in the ledger, which only the action checks.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from postmine.db import RecordValueError
from postmine.registry.models import (
    AssuranceTransaction,
    AssuranceTransactionKind,
    FinancialAssurance,
)
from postmine.registry.records.common import (
    check_date,
    check_optional_text,
    flush_row,
    get_row,
    today,
)
from postmine.registry.records.documents import get_document
from postmine.registry.records.plans import get_plan, plan_result, plan_result_is_current
from postmine.registry.records.sites import get_site

__all__ = [
    "AssuranceBalance",
    "assurance_balance",
    "check_money",
    "get_assurance",
    "insert_assurance",
    "insert_transaction",
    "list_assurances",
]


@dataclass(frozen=True)
class AssuranceBalance:
    """Where a financial assurance stands: amounts required, paid in, released and held."""

    required_rub: float
    deposited_rub: float
    released_rub: float
    forfeited_rub: float

    @property
    def held_rub(self) -> float:
        """Deposited less released and forfeited, in roubles."""
        return round(self.deposited_rub - self.released_rub - self.forfeited_rub, 2)

    @property
    def shortfall_rub(self) -> float:
        """Required amount not yet deposited (never negative), in roubles."""
        return round(max(0.0, self.required_rub - self.deposited_rub), 2)

    def to_dict(self) -> dict[str, float]:
        """Return the amounts in roubles, held and shortfall included."""
        return {
            "required_rub": self.required_rub,
            "deposited_rub": self.deposited_rub,
            "released_rub": self.released_rub,
            "forfeited_rub": self.forfeited_rub,
            "held_rub": self.held_rub,
            "shortfall_rub": self.shortfall_rub,
        }


def check_money(field: str, value: Any) -> float:
    """Return an amount of money [rub] rounded to the kopeck.

    Raises
    ------
    RecordValueError
        If the value is not a finite number.
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise RecordValueError(field, f"{field} must be a number, got {value!r}", value)
    if not math.isfinite(value):
        raise RecordValueError(field, f"{field} must be finite, got {value!r}", value)
    return round(float(value), 2)


def insert_assurance(
    session: Session,
    *,
    site_id: int,
    required_rub: float | None = None,
    plan_id: int | None = None,
    required_on: date | None = None,
) -> FinancialAssurance:
    """Insert the financial assurance a site must hold.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Session on the registry.
    site_id : int
        Site covered. [-]
    required_rub : float, optional
        Amount required; by default the bond of the plan's computed result
        (``cost.bond_rub``). [rub]
    plan_id : int, optional
        Plan of the same site whose cost sets the amount. [-]
    required_on : datetime.date, optional
        Date the amount was set (today by default). [date]

    Returns
    -------
    FinancialAssurance
        The new row.

    Raises
    ------
    NotFoundError
        If the site or plan does not exist.
    RecordValueError
        If the amount is negative, or neither given nor computable from a current plan
        result, or the plan is another site's.
    """
    get_site(session, site_id)
    if plan_id is not None:
        plan = get_plan(session, plan_id)
        if plan.site_id != site_id:
            raise RecordValueError(
                "plan_id", f"plan {plan_id} belongs to site {plan.site_id}", plan_id
            )
        if required_rub is None:
            result = plan_result(plan) if plan_result_is_current(plan) else None
            bond = (result or {}).get("cost", {}).get("bond_rub") if result else None
            if bond is None:
                raise RecordValueError(
                    "required_rub",
                    f"required_rub is not given and plan {plan_id} has no current computed "
                    "bond: compute the plan first",
                )
            required_rub = float(bond)
    if required_rub is None:
        raise RecordValueError("required_rub", "give required_rub or a computed plan_id")
    row = FinancialAssurance(
        site_id=site_id,
        plan_id=plan_id,
        required_rub=check_money("required_rub", required_rub),
        required_on=check_date("required_on", required_on or today()),
    )
    return flush_row(session, row)


def get_assurance(session: Session, assurance_id: int) -> FinancialAssurance:
    """Return a financial assurance by id; raise :class:`NotFoundError` if there is none."""
    return get_row(session, FinancialAssurance, assurance_id, "assurance")


def list_assurances(session: Session, site_id: int) -> list[FinancialAssurance]:
    """Return a site's financial assurances by id."""
    get_site(session, site_id)
    stmt = (
        select(FinancialAssurance)
        .where(FinancialAssurance.site_id == site_id)
        .order_by(FinancialAssurance.id)
    )
    return list(session.scalars(stmt))


def assurance_balance(session: Session, assurance_id: int) -> AssuranceBalance:
    """Return the amounts required, deposited, released and forfeited of an assurance."""
    assurance = get_assurance(session, assurance_id)
    sums = dict.fromkeys(("deposit", "release", "forfeit"), 0.0)
    rows = session.execute(
        select(AssuranceTransaction.kind, func.sum(AssuranceTransaction.amount_rub))
        .where(AssuranceTransaction.assurance_id == assurance_id)
        .group_by(AssuranceTransaction.kind)
    )
    for kind, total in rows:
        sums[kind] = round(float(total or 0.0), 2)
    return AssuranceBalance(
        required_rub=float(assurance.required_rub),
        deposited_rub=sums["deposit"],
        released_rub=sums["release"],
        forfeited_rub=sums["forfeit"],
    )


def insert_transaction(
    session: Session,
    assurance_id: int,
    *,
    kind: AssuranceTransactionKind,
    amount_rub: float,
    transacted_on: date,
    milestone: str | None = None,
    evidence_document_id: int | None = None,
    note: str | None = None,
) -> AssuranceTransaction:
    """Insert a deposit to, a release from, or a forfeit of a financial assurance.

    Amounts are kept to the kopeck. A release or forfeit may not exceed the amount held; a
    release names the milestone (stage of the plan) it is for.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Session on the registry.
    assurance_id : int
        Assurance moved. [-]
    kind : {"deposit", "release", "forfeit"}
        Movement.
    amount_rub : float
        Amount, > 0. [rub]
    transacted_on : datetime.date
        Date of the movement. [date]
    milestone : str, optional
        Milestone a release is for; required for a release. [-]
    evidence_document_id : int, optional
        Document of the same site evidencing it (an acceptance act, a payment order). [-]
    note : str, optional
        Remark. [-]

    Returns
    -------
    AssuranceTransaction
        The new row.

    Raises
    ------
    NotFoundError
        If the assurance or document does not exist.
    RecordValueError
        If the kind is unknown, the amount not > 0 or above the amount held, a release has
        no milestone, or the document is another site's.
    """
    assurance = get_assurance(session, assurance_id)
    amount = check_money("amount_rub", amount_rub)
    row = AssuranceTransaction(
        assurance_id=assurance_id,
        kind=kind,
        amount_rub=amount,
        transacted_on=check_date("transacted_on", transacted_on),
        milestone=check_optional_text("milestone", milestone, required=kind == "release"),
        note=note,
    )
    if evidence_document_id is not None:
        document = get_document(session, evidence_document_id)
        if document.site_id != assurance.site_id:
            raise RecordValueError(
                "evidence_document_id",
                f"document {evidence_document_id} belongs to site {document.site_id}, "
                f"not to the assurance's site {assurance.site_id}",
                evidence_document_id,
            )
        row.evidence_document_id = evidence_document_id
    if kind in ("release", "forfeit"):
        held = assurance_balance(session, assurance_id).held_rub
        if amount > held + 0.005:
            raise RecordValueError(
                "amount_rub",
                f"a {kind} of {amount:.2f} rub exceeds the {held:.2f} rub held "
                f"by assurance {assurance_id}",
                amount_rub,
            )
    flush_row(session, row)
    session.expire(assurance, ["transactions"])
    return row
