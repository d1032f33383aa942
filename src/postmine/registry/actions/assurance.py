"""Actions on financial assurances: set one, pay a deposit, release after a milestone, forfeit.

A release is refused unless the milestone's evidence is an authentic entry of the site's
chain (the release rule of the ledger, checked in :func:`release`). See
:mod:`postmine.registry.actions` for the ledger entries they append.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from cryptography.exceptions import InvalidSignature
from sqlalchemy.orm import Session

from postmine.registry import ledger
from postmine.registry.actions.base import Actor, act, transaction_payload
from postmine.registry.assurance_rules import check_release_allowed
from postmine.registry.ledger import Entry
from postmine.registry.ledger.store import DatabaseLedgerStore
from postmine.registry.models import AssuranceTransaction, FinancialAssurance
from postmine.registry.records.assurance import (
    get_assurance,
    insert_assurance,
    insert_transaction,
)

__all__ = ["create_assurance", "forfeit", "pay_deposit", "release"]


def create_assurance(
    session: Session, actor: Actor, *, now: dt.datetime | None = None, **fields: Any
) -> FinancialAssurance:
    """Set the financial assurance of a site and record it in the ledger (``created``).

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Session on the registry.
    actor : Actor
        Party making the change.
    now : datetime.datetime, optional
        Time of the ledger entry; default the current time. [-]
    **fields
        Keyword arguments of :func:`postmine.registry.records.assurance.insert_assurance`
        (``site_id``, ``required_rub`` [rub], ``plan_id``, ``required_on``).

    Returns
    -------
    FinancialAssurance
        The new assurance.

    Raises
    ------
    ValueError, postmine.registry.records.NotFoundError
        As :func:`postmine.registry.records.assurance.insert_assurance` and
        :func:`~postmine.registry.actions.register_site`.
    """

    def change(store: DatabaseLedgerStore) -> tuple[FinancialAssurance, int, dict[str, Any]]:
        assurance = insert_assurance(session, **fields)
        payload = {
            "entity": "assurance",
            "assurance_id": assurance.id,
            "plan_id": assurance.plan_id,
            "required_rub": assurance.required_rub,
            "required_on": assurance.required_on,
        }
        return assurance, assurance.site_id, payload

    return act(session, actor, "created", now, change)


def pay_deposit(
    session: Session,
    actor: Actor,
    assurance_id: int,
    *,
    amount_rub: float,
    transacted_on: dt.date,
    evidence_document_id: int | None = None,
    note: str | None = None,
    now: dt.datetime | None = None,
) -> AssuranceTransaction:
    """Record a deposit to a financial assurance and its ledger entry (``deposit-paid``).

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Session on the registry.
    actor : Actor
        Party recording the payment.
    assurance_id : int
        Assurance paid into. [-]
    amount_rub : float
        Amount paid, > 0. [rub]
    transacted_on : datetime.date
        Date of the payment. [date]
    evidence_document_id : int, optional
        Payment order as a registered document of the same site. [-]
    note : str, optional
        Remark. [-]
    now : datetime.datetime, optional
        Time of the ledger entry; default the current time. [-]

    Returns
    -------
    AssuranceTransaction
        The deposit.

    Raises
    ------
    ValueError, postmine.registry.records.NotFoundError
        As :func:`postmine.registry.records.assurance.insert_transaction` and
        :func:`~postmine.registry.actions.register_site`.
    """

    def change(store: DatabaseLedgerStore) -> tuple[AssuranceTransaction, int, dict[str, Any]]:
        tx = insert_transaction(
            session,
            assurance_id,
            kind="deposit",
            amount_rub=amount_rub,
            transacted_on=transacted_on,
            evidence_document_id=evidence_document_id,
            note=note,
        )
        return tx, tx.assurance.site_id, transaction_payload(session, tx)

    return act(session, actor, "deposit-paid", now, change)


def _evidence(store: DatabaseLedgerStore, site_id: int, milestone: str) -> Entry:
    """Find the authentic entry in the site's chain that allows releasing ``milestone``."""
    found = check_release_allowed(milestone, store.load_entries(site_id), site_id=site_id)
    try:
        authentic = ledger.compute_entry_hash(found) == found.entry_hash
        ledger.public_key_from_hex(found.public_key).verify(
            bytes.fromhex(found.signature), bytes.fromhex(found.entry_hash)
        )
    except (ValueError, InvalidSignature):
        authentic = False
    if not authentic:
        raise ValueError(
            f"release of milestone {milestone!r} of site {site_id} refused: its evidence, "
            f"entry seq {found.seq} ({found.kind}), does not match its hash or signature; "
            "run `postmine registry verify`"
        )
    return found


def release(
    session: Session,
    actor: Actor,
    assurance_id: int,
    *,
    amount_rub: float,
    transacted_on: dt.date,
    milestone: str,
    evidence_document_id: int | None = None,
    note: str | None = None,
    now: dt.datetime | None = None,
) -> AssuranceTransaction:
    """Release part of a financial assurance after a milestone, and its entry (``release``).

    Refused unless the milestone's evidence is recorded in the site's chain before it: a
    ``stage-accepted`` entry of the milestone with its acceptance act, or a
    ``monitoring-summary`` entry of the milestone with ``criteria_met`` true.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Session on the registry.
    actor : Actor
        Party releasing (usually the regulator).
    assurance_id : int
        Assurance released from. [-]
    amount_rub : float
        Amount released, > 0 and not above the amount held. [rub]
    transacted_on : datetime.date
        Date of the release. [date]
    milestone : str
        Milestone the release is for. [-]
    evidence_document_id : int, optional
        Document of the same site evidencing the milestone. [-]
    note : str, optional
        Remark. [-]
    now : datetime.datetime, optional
        Time of the ledger entry; default the current time. [-]

    Returns
    -------
    AssuranceTransaction
        The release; its ledger entry names the evidence entry (``evidence_seq``).

    Raises
    ------
    ValueError
        If the milestone's evidence is not in the chain (the message says what is needed and
        what was found) or does not match its hash, or as
        :func:`postmine.registry.records.assurance.insert_transaction` (an amount above
        the amount held).
        Nothing is stored.
    postmine.registry.records.NotFoundError
        If the assurance or the document does not exist.
    """

    def change(store: DatabaseLedgerStore) -> tuple[AssuranceTransaction, int, dict[str, Any]]:
        site_id = get_assurance(session, assurance_id).site_id
        evidence = _evidence(store, site_id, milestone)
        tx = insert_transaction(
            session,
            assurance_id,
            kind="release",
            amount_rub=amount_rub,
            transacted_on=transacted_on,
            milestone=milestone,
            evidence_document_id=evidence_document_id,
            note=note,
        )
        payload = transaction_payload(session, tx)
        payload["milestone"] = tx.milestone
        payload["evidence_seq"] = evidence.seq
        return tx, site_id, payload

    return act(session, actor, "release", now, change)


def forfeit(
    session: Session,
    actor: Actor,
    assurance_id: int,
    *,
    amount_rub: float,
    transacted_on: dt.date,
    note: str | None,
    evidence_document_id: int | None = None,
    now: dt.datetime | None = None,
) -> AssuranceTransaction:
    """Record a forfeit of a financial assurance and its ledger entry (``forfeit``).

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Session on the registry.
    actor : Actor
        Party forfeiting (the regulator).
    assurance_id : int
        Assurance forfeited. [-]
    amount_rub : float
        Amount taken, > 0 and not above the amount held. [rub]
    transacted_on : datetime.date
        Date of the forfeit. [date]
    note : str or None
        Reason (e.g. the operator abandoned the site). [-]
    evidence_document_id : int, optional
        Decision as a registered document of the same site. [-]
    now : datetime.datetime, optional
        Time of the ledger entry; default the current time. [-]

    Returns
    -------
    AssuranceTransaction
        The forfeit.

    Raises
    ------
    ValueError, postmine.registry.records.NotFoundError
        As :func:`postmine.registry.records.assurance.insert_transaction` and
        :func:`~postmine.registry.actions.register_site`.
    """

    def change(store: DatabaseLedgerStore) -> tuple[AssuranceTransaction, int, dict[str, Any]]:
        tx = insert_transaction(
            session,
            assurance_id,
            kind="forfeit",
            amount_rub=amount_rub,
            transacted_on=transacted_on,
            note=note,
            evidence_document_id=evidence_document_id,
        )
        return tx, tx.assurance.site_id, transaction_payload(session, tx)

    return act(session, actor, "forfeit", now, change)
