"""The rule of financial assurance over the ledger: a release needs its milestone's evidence.

Checked where the ledger applies it: on append (a release without evidence is refused) and
on verification (a release stored without evidence before it is named).
"""

import datetime as dt
import hashlib

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from postmine.registry.assurance_rules import (
    ASSURANCE_RULES,
    RELEASE_EVIDENCE,
    check_release_allowed,
)
from postmine.registry.ledger import (
    Entry,
    append,
    build_entry,
    canonical_bytes,
    format_timestamp,
    verify,
)


def _key(name: str) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(hashlib.sha256(name.encode()).digest())


REGULATOR = _key("regulator")


def append_checked(*args, **kwargs) -> Entry:
    """Append as the registry does: with its assurance rules."""
    return append(*args, rules=ASSURANCE_RULES, **kwargs)


def check(entries):
    """Verify as the registry does: with its assurance rules."""
    return verify(entries, rules=ASSURANCE_RULES)


def _act(number: int) -> dict:
    text = f"Акт приёмки №{number}"
    return {"reference": text, "sha256": hashlib.sha256(text.encode()).hexdigest()}


T0 = dt.datetime(2024, 6, 1, 9, 0, tzinfo=dt.UTC)


def _append_all(specs) -> list[Entry]:
    entries: list[Entry] = []
    for k, (site, kind, payload) in enumerate(specs):
        entries.append(
            append_checked(
                entries, site, kind, payload, REGULATOR, "regulator", T0 + dt.timedelta(k)
            )
        )
    return entries


def test_release_without_evidence_refused():
    entries = _append_all([("S1", "created", {}), ("S1", "deposit-paid", {"amount_rub": 10})])
    with pytest.raises(ValueError, match=r"release of milestone 'backfill' of site 'S1' refused"):
        append_checked(
            entries,
            "S1",
            "release",
            {"milestone": "backfill"},
            REGULATOR,
            "regulator",
            T0 + dt.timedelta(days=5),
        )


@pytest.mark.parametrize(
    ("evidence", "match"),
    [
        (("S1", "stage-accepted", {"milestone": "backfill"}), "has no acceptance_act"),
        (
            ("S1", "stage-accepted", {"milestone": "backfill", "acceptance_act": {"sha256": ""}}),
            "acceptance_act without a 'reference'",
        ),
        (
            (
                "S1",
                "stage-accepted",
                {"milestone": "backfill", "acceptance_act": {"reference": "a"}},
            ),
            "without a 'sha256' checksum",
        ),
        (
            ("S1", "monitoring-summary", {"milestone": "backfill", "criteria_met": False}),
            "criteria_met = false, not true",
        ),
        (
            ("S1", "monitoring-summary", {"milestone": "backfill", "criteria_met": "yes"}),
            'criteria_met = "yes", not true',
        ),
        (("S2", "stage-accepted", {"milestone": "backfill", "acceptance_act": _act(1)}), "Needed"),
        (("S1", "stage-accepted", {"milestone": "regrading", "acceptance_act": _act(1)}), "Needed"),
    ],
)
def test_release_with_insufficient_evidence_refused(evidence, match):
    entries = _append_all([("S1", "created", {}), evidence])
    with pytest.raises(ValueError, match=match):
        append_checked(
            entries,
            "S1",
            "release",
            {"milestone": "backfill"},
            REGULATOR,
            "regulator",
            T0 + dt.timedelta(days=5),
        )


@pytest.mark.parametrize(
    "evidence",
    [
        ("S1", "stage-accepted", {"milestone": "backfill", "acceptance_act": _act(7)}),
        ("S1", "monitoring-summary", {"milestone": "backfill", "criteria_met": True}),
    ],
)
def test_release_with_evidence_accepted(evidence):
    entries = _append_all([("S1", "created", {}), evidence])
    release = append_checked(
        entries,
        "S1",
        "release",
        {"milestone": "backfill", "amount_rub": 5e5},
        REGULATOR,
        "regulator",
        T0 + dt.timedelta(days=5),
    )
    assert release.seq == 3
    assert check_release_allowed("backfill", entries, site_id="S1") is entries[1]
    assert check([*entries, release]).ok


@pytest.mark.parametrize("payload", [{}, {"milestone": ""}, {"milestone": 3}])
def test_release_needs_milestone(payload):
    with pytest.raises(ValueError, match=r"a release entry needs payload\['milestone'\]"):
        append_checked([], "S1", "release", payload, REGULATOR, "regulator", T0)


def test_check_release_allowed_bad_milestone():
    with pytest.raises(ValueError, match="milestone must be a non-empty string, got ''"):
        check_release_allowed("", [])


def test_verify_names_release_recorded_without_evidence():
    # A release written around append (e.g. straight into the database) is still caught.
    entries = _append_all([("S1", "created", {})])
    forged = build_entry(
        2,
        entries[-1].entry_hash,
        "S1",
        "release",
        {"milestone": "backfill"},
        REGULATOR,
        "regulator",
        format_timestamp(T0 + dt.timedelta(days=1)),
    )
    report = check([*entries, forged])
    assert [(p.seq, p.kind, p.code) for p in report.problems] == [
        (2, "release", "release-without-evidence")
    ]
    assert "no evidence recorded earlier" in report.problems[0].message


def test_evidence_after_the_release_does_not_count():
    entries = _append_all([("S1", "created", {})])
    release = build_entry(
        2,
        entries[-1].entry_hash,
        "S1",
        "release",
        {"milestone": "backfill"},
        REGULATOR,
        "regulator",
        format_timestamp(T0 + dt.timedelta(days=1)),
    )
    late = append_checked(
        [*entries, release],
        "S1",
        "stage-accepted",
        {"milestone": "backfill", "acceptance_act": _act(2)},
        REGULATOR,
        "regulator",
        T0 + dt.timedelta(days=2),
    )
    report = check([*entries, release, late])
    assert [(p.seq, p.code) for p in report.problems] == [(2, "release-without-evidence")]


def test_integer_site_ids_as_in_the_registry_tables():
    # The registry's sites.id is an integer; the hash covers the JSON number.
    act = {"milestone": "backfill", "acceptance_act": _act(3)}
    first = append_checked([], 7, "stage-accepted", act, REGULATOR, "regulator", T0)
    release = append_checked([first], 7, "release", {"milestone": "backfill"}, REGULATOR, "r", T0)
    assert b'"site_id":7' in canonical_bytes(release)
    assert check([first, release]).ok
    with pytest.raises(ValueError, match="of site '7' refused"):
        append_checked([first], "7", "release", {"milestone": "backfill"}, REGULATOR, "r", T0)


def test_the_ledger_alone_applies_no_domain_rule():
    # The rule belongs to the registry: the ledger applies it only when given it.
    release = append([], "S1", "release", {"milestone": "backfill"}, REGULATOR, "r", T0)
    assert verify([release]).ok
    report = verify([release], rules=[RELEASE_EVIDENCE])
    assert [(p.seq, p.kind, p.code) for p in report.problems] == [
        (1, "release", "release-without-evidence")
    ]
    with pytest.raises(ValueError, match="release of milestone 'backfill' of site 'S1' refused"):
        append(
            [],
            "S1",
            "release",
            {"milestone": "backfill"},
            REGULATOR,
            "r",
            T0,
            rules=[RELEASE_EVIDENCE],
        )


def test_rule_ignores_other_kinds():
    assert RELEASE_EVIDENCE.check_append([], "S1", "deposit-paid", {"milestone": 3}) is None
