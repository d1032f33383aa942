"""Financial assurance on both backends: deposits, releases, forfeits, balances.

The amount required may come from a plan's stored bond.
"""

from __future__ import annotations

import math
from datetime import date

import pytest
from numpy.testing import assert_allclose

import postmine
from postmine.db import RecordValueError
from postmine.registry import records as s
from postmine.registry.records.assurance import insert_assurance, insert_transaction
from postmine.registry.records.documents import insert_document
from postmine.registry.records.plans import insert_plan, set_plan_result
from postmine.registry.records.sites import insert_site

KOPECK = 0.005  # amounts are kept to the kopeck


INPUTS = "a" * 64  # the project engine's hash of a project file (the workflow gives it)


def test_assurance_from_a_computed_plan(session, site):
    plan = insert_plan(
        session,
        site_id=site.id,
        project_toml="format_version = 1\n",
        project_sha256=INPUTS,
        format_version=1,
        title="Plan",
    )
    with pytest.raises(RecordValueError, match="has no current computed bond"):
        insert_assurance(session, site_id=site.id, plan_id=plan.id)
    result = {"cost": {"bond_rub": 2_345_678.905}}
    version = postmine.__version__
    set_plan_result(session, plan.id, result=result, postmine_version=version, inputs_sha256=INPUTS)
    assurance = insert_assurance(session, site_id=site.id, plan_id=plan.id)
    assert_allclose(assurance.required_rub, 2_345_678.91, atol=KOPECK)


def test_deposits_releases_and_forfeits(session, site):
    a = insert_assurance(session, site_id=site.id, required_rub=1_000_000.0)
    insert_transaction(
        session, a.id, kind="deposit", amount_rub=600_000.004, transacted_on=date(2021, 1, 15)
    )
    insert_transaction(
        session, a.id, kind="deposit", amount_rub=400_000.0, transacted_on=date(2022, 1, 15)
    )
    act = insert_document(
        session,
        site_id=site.id,
        kind="acceptance-act",
        title="Act of the technical stage",
        uri="archive://acts/1",
        issued_on=date(2023, 6, 1),
        content=b"act",
    )
    insert_transaction(
        session,
        a.id,
        kind="release",
        amount_rub=300_000.0,
        transacted_on=date(2023, 6, 10),
        milestone="technical stage accepted",
        evidence_document_id=act.id,
    )
    insert_transaction(
        session, a.id, kind="forfeit", amount_rub=50_000.0, transacted_on=date(2024, 1, 1)
    )
    balance = s.assurance_balance(session, a.id)
    # 600 000.00 + 400 000.00 - 300 000.00 - 50 000.00 = 650 000.00 held; 0 still to deposit
    assert_allclose(balance.deposited_rub, 1_000_000.0, atol=KOPECK)
    assert_allclose(balance.released_rub, 300_000.0, atol=KOPECK)
    assert_allclose(balance.forfeited_rub, 50_000.0, atol=KOPECK)
    assert_allclose(balance.held_rub, 650_000.0, atol=KOPECK)
    assert_allclose(balance.shortfall_rub, 0.0, atol=KOPECK)
    assert [t.kind for t in a.transactions] == ["deposit", "deposit", "release", "forfeit"]
    assert a.transactions[0].amount_rub == pytest.approx(600_000.0, abs=KOPECK)


@pytest.mark.parametrize(
    ("kind", "kwargs", "message"),
    [
        ("release", {"amount_rub": 150.0, "milestone": "stage"}, "a release of 150.00 rub exceeds"),
        ("forfeit", {"amount_rub": 100.01}, "a forfeit of 100.01 rub exceeds the 100.00 rub held"),
        ("release", {"amount_rub": 10.0}, "milestone must be non-empty text"),
        ("deposit", {"amount_rub": 0.0}, r"amount_rub must be > 0 rub, got 0\.0"),
        ("deposit", {"amount_rub": -5.0}, r"amount_rub must be > 0 rub"),
        ("deposit", {"amount_rub": math.inf}, "amount_rub must be finite"),
        ("refund", {"amount_rub": 5.0}, "kind must be one of 'deposit', 'release', 'forfeit'"),
    ],
)
def test_bad_transactions_are_refused(session, site, kind, kwargs, message):
    a = insert_assurance(session, site_id=site.id, required_rub=100.0)
    insert_transaction(
        session, a.id, kind="deposit", amount_rub=100.0, transacted_on=date(2021, 1, 1)
    )
    with pytest.raises(RecordValueError, match=message):
        insert_transaction(session, a.id, kind=kind, transacted_on=date(2022, 1, 1), **kwargs)


def test_evidence_must_be_the_sites_own(session, site):
    other = insert_site(session, name="Other", region="R")
    foreign = insert_document(
        session,
        site_id=other.id,
        kind="report",
        title="R",
        uri="u",
        issued_on=date(2021, 1, 1),
        sha256="1" * 64,
    )
    a = insert_assurance(session, site_id=site.id, required_rub=100.0)
    with pytest.raises(RecordValueError, match="not to the assurance's site"):
        insert_transaction(
            session,
            a.id,
            kind="deposit",
            amount_rub=1.0,
            transacted_on=date(2021, 1, 1),
            evidence_document_id=foreign.id,
        )


def test_assurance_needs_an_amount(session, site):
    with pytest.raises(RecordValueError, match="give required_rub or a computed plan_id"):
        insert_assurance(session, site_id=site.id)
    with pytest.raises(RecordValueError, match="required_rub must be >= 0 rub"):
        insert_assurance(session, site_id=site.id, required_rub=-1.0)
