"""Kinds of ledger entries: whose entry each is, the payload each requires, old chains.

The kinds of a record's change (``site-updated``, ``object-state-changed``,
``object-geometry-changed``, ``plan-computed``) and the registry-wide kinds
(``operator-registered``, ``territory-registered``, ``statistics-imported``, ``site_id``
None) came after the first chains were written: an entry of an older kind must hash, sign
and verify exactly as before (pinned here by the hashes and a signature the code of the
ledger wrote before these kinds existed).
"""

import dataclasses
import datetime as dt
import hashlib
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from postmine.registry.assurance_rules import ASSURANCE_RULES
from postmine.registry.ledger import (
    ENTRY_KINDS,
    KINDS,
    REGISTRY_WIDE_KINDS,
    append,
    build_entry,
    canonical_bytes,
    kind_scope,
    payload_problems,
    verify,
)
from postmine.registry.ledger.kinds import site_id_problem

REGULATOR = Ed25519PrivateKey.from_private_bytes(hashlib.sha256(b"regulator").digest())
T0 = dt.datetime(2024, 6, 3, 9, 0, tzinfo=dt.UTC)
GEOMETRY = {"type": "Polygon", "bbox_deg": [89.9, 52.6, 90.0, 52.7], "wkb_sha256": "ab" * 32}

# One payload per kind that requires fields, as the registry's actions write it.
GOOD_PAYLOADS = {
    "site-updated": {
        "changed": ["status"],
        "site_id": 7,
        "name": "Abaza mine",
        "region": "Khakassia",
        "status": "under-reclamation",
        "geometry": None,
    },
    "object-state-changed": {
        "object_id": 3,
        "previous_state": "disturbed",
        "state": "technical-stage",
        "changed_on": "2024-06-03",
        "state_change_id": 11,
        "act_reference": None,
        "document_id": None,
        "note": None,
    },
    "object-geometry-changed": {"object_id": 3, "area_ha": 12.5, "geometry": GEOMETRY},
    "plan-computed": {
        "plan_id": 2,
        "result_sha256": "cd" * 32,
        "inputs_sha256": "ef" * 32,
        "postmine_version": "1.2.3",
        "computed_at": "2024-06-03T09:00:00.000000Z",
    },
    "operator-registered": {
        "operator_id": 1,
        "name": "Abaza Ore JSC",
        "tax_id": "1901",
        "public_key": None,
    },
    "territory-registered": {
        "territory_id": 1,
        "name": "Askiz district",
        "region": "Khakassia",
        "kind": "mining-district",
        "area_ha": 1e5,
        "sanitary_zone_area_ha": None,
        "geometry": GEOMETRY,
    },
    "statistics-imported": {
        "file": "kz_hazardous_waste_stock_002_table_2.csv",
        "sha256": "12" * 32,
        "n_rows": 85,
        "inserted": 85,
        "replaced": 0,
        "on_conflict": "error",
        "source": None,
    },
}


def _site_of(kind: str) -> int | None:
    return None if kind in REGISTRY_WIDE_KINDS else 7


# --------------------------------------------------------------------------- the table


def test_every_kind_is_declared_once_with_its_scope():
    assert tuple(k.name for k in KINDS) == ENTRY_KINDS
    assert len(set(ENTRY_KINDS)) == len(ENTRY_KINDS) == 15
    assert REGISTRY_WIDE_KINDS == (
        "operator-registered",
        "territory-registered",
        "statistics-imported",
    )
    assert {kind_scope(k) for k in ENTRY_KINDS if k not in REGISTRY_WIDE_KINDS} == {"site"}
    assert kind_scope("sold") is None
    # every kind that requires fields has its example payload here, and only those
    assert {k.name for k in KINDS if k.fields} == set(GOOD_PAYLOADS)


def test_kinds_of_a_sites_life_require_no_field():
    """Chains written before the payload rules hold any payload for these kinds."""
    for kind in ENTRY_KINDS[:8]:
        assert payload_problems(kind, {}) == []


@pytest.mark.parametrize("kind", sorted(GOOD_PAYLOADS))
def test_each_new_kind_appends_and_verifies(kind):
    entry = append([], _site_of(kind), kind, GOOD_PAYLOADS[kind], REGULATOR, "regulator", T0)
    assert (entry.kind, entry.site_id) == (kind, _site_of(kind))
    assert verify([entry], rules=ASSURANCE_RULES).ok
    assert json.loads(canonical_bytes(entry))["site_id"] == _site_of(kind)


@pytest.mark.parametrize("kind", sorted(GOOD_PAYLOADS))
def test_each_required_field_is_named_when_missing(kind):
    required = next(k.fields for k in KINDS if k.name == kind)
    for field in required:
        payload = {k: v for k, v in GOOD_PAYLOADS[kind].items() if k != field.name}
        with pytest.raises(ValueError, match=rf"a {kind} entry: payload lacks '{field.name}'"):
            append([], _site_of(kind), kind, payload, REGULATOR, "regulator", T0)


@pytest.mark.parametrize(
    ("kind", "field", "value", "message"),
    [
        ("operator-registered", "operator_id", 0, r"an integer >= 1, got 0"),
        ("operator-registered", "operator_id", True, r"an integer >= 1, got True"),
        ("operator-registered", "name", " ", r"a non-empty string, got ' '"),
        ("territory-registered", "geometry", {"type": "Polygon"}, r"geometry commitment"),
        ("statistics-imported", "sha256", "AB" * 32, r"64 lowercase hex"),
        ("statistics-imported", "n_rows", -1, r"an integer >= 0, got -1"),
        ("site-updated", "changed", [], r"non-empty list of non-empty strings, got \[\]"),
        ("object-state-changed", "changed_on", "03.06.2024", r"ISO date 'YYYY-MM-DD'"),
        ("object-geometry-changed", "area_ha", "12.5", r"a finite number or null, got '12.5'"),
        ("plan-computed", "computed_at", "2024-06-03T09:00:00", r"with its UTC offset"),
    ],
)
def test_a_field_breaking_its_rule_is_named(kind, field, value, message):
    payload = {**GOOD_PAYLOADS[kind], field: value}
    with pytest.raises(
        ValueError, match=rf"a {kind} entry: payload\['{field}'\] must be .*{message}"
    ):
        append([], _site_of(kind), kind, payload, REGULATOR, "regulator", T0)


def test_tuples_are_checked_as_the_lists_they_are_stored_as():
    payload = {**GOOD_PAYLOADS["site-updated"], "changed": ("status", "licence")}
    entry = append([], 7, "site-updated", payload, REGULATOR, "regulator", T0)
    assert entry.payload["changed"] == ["status", "licence"]


# --------------------------------------------------------------------------- whose entry


@pytest.mark.parametrize("kind", REGISTRY_WIDE_KINDS)
def test_a_registry_wide_entry_names_no_site(kind):
    with pytest.raises(ValueError, match=rf"registry-wide entry \({kind}\) must be null, got 7"):
        append([], 7, kind, GOOD_PAYLOADS[kind], REGULATOR, "regulator", T0)


@pytest.mark.parametrize("kind", ["created", "release", "site-updated", "plan-computed"])
def test_a_sites_entry_names_its_site(kind):
    payload = GOOD_PAYLOADS.get(kind, {"milestone": "m"})
    with pytest.raises(ValueError, match=r"site_id must be an integer >= 1 .*got None \(only"):
        append([], None, kind, payload, REGULATOR, "regulator", T0)


def test_site_id_problem_of_an_unknown_kind_leaves_the_kind_to_be_named():
    assert site_id_problem(None, "sold") is None
    assert site_id_problem(0, "sold") is not None
    assert site_id_problem(None) is not None  # without a kind a site is asked for


# --------------------------------------------------------------------------- verification


def _mixed_chain():
    """A site's life, the registry-wide kinds and a site's changes, interleaved."""
    chain = []
    steps = [
        (None, "operator-registered", GOOD_PAYLOADS["operator-registered"]),
        (7, "created", {"entity": "site", "site_id": 7}),
        (None, "territory-registered", GOOD_PAYLOADS["territory-registered"]),
        (7, "site-updated", GOOD_PAYLOADS["site-updated"]),
        (None, "statistics-imported", GOOD_PAYLOADS["statistics-imported"]),
        (7, "object-state-changed", GOOD_PAYLOADS["object-state-changed"]),
        (7, "object-geometry-changed", GOOD_PAYLOADS["object-geometry-changed"]),
        (7, "plan-computed", GOOD_PAYLOADS["plan-computed"]),
    ]
    for i, (site, kind, payload) in enumerate(steps):
        moment = T0 + dt.timedelta(minutes=i)
        chain.append(append(chain, site, kind, payload, REGULATOR, "regulator", moment))
    return chain


def test_a_mixed_chain_verifies():
    chain = _mixed_chain()
    assert verify(chain, rules=ASSURANCE_RULES).ok
    assert [e.site_id for e in chain] == [None, 7, None, 7, None, 7, 7, 7]


def test_a_tampered_registry_wide_entry_is_named():
    chain = _mixed_chain()
    renamed = {**chain[0].payload, "name": "Someone Else LLC"}
    tampered = [dataclasses.replace(chain[0], payload=renamed), *chain[1:]]
    report = verify(tampered)
    assert report.named == [(1, "operator-registered")]
    assert {p.code for p in report.problems} == {"hash-mismatch"}


def test_a_registry_wide_entry_moved_to_a_site_is_named():
    chain = _mixed_chain()
    moved = [*chain[:4], dataclasses.replace(chain[4], site_id=7), *chain[5:]]
    report = verify(moved)
    assert report.named == [(5, "statistics-imported")]
    assert {p.code for p in report.problems} == {"malformed", "hash-mismatch"}
    assert "registry-wide entry (statistics-imported) must be null, got 7" in str(report)


def test_a_forged_entry_breaking_its_payload_rule_is_named():
    """An entry hashed and signed without append's checks is still named (malformed)."""
    chain = _mixed_chain()
    last = chain[-1]
    forged = build_entry(
        last.seq + 1,
        last.entry_hash,
        None,
        "operator-registered",
        {"name": "No id"},
        REGULATOR,
        "regulator",
        "2024-06-03T10:00:00.000000Z",
    )
    report = verify([*chain, forged])
    assert [(p.seq, p.kind, p.code) for p in report.problems] == [
        (9, "operator-registered", "malformed")
    ]
    assert "payload lacks 'operator_id'" in report.problems[0].message


# --------------------------------------------------------------------------- old chains

# Written by the ledger before the new kinds existed (the code of commit 9542d96): a site
# registered, its update as the stop-gap ``created`` entry with ``entity``/``change``, and a
# deposit. Ed25519 signatures are deterministic, so the signature is pinned too.
OLD_HASHES = [
    "3c219146a5d56df9f5d9da65fa37dc8408c7f6d6ddb3ef4fb3927ad7222a1528",
    "3a0a55f106fe0dd7c96cd501971dc2a062652d782d1171ac622efd36325c81bb",
    "2e0468774aa5761bf0e48d99a456b26db1b57a562df763411af5e308e20643f6",
]
OLD_LAST_SIGNATURE = (
    "2d8f8bdfa66908a62716e132f2a7a49506c3d631f718960fb89e58045d98f791"
    "3dea60b3e585d6b7a0adb4e472ff6d392c56ada86812c08ab0776004e0095106"
)


def test_entries_of_older_kinds_hash_and_sign_as_before():
    steps = [
        ("created", {"entity": "site", "site_id": 7, "name": "Абаза", "area_ha": 12.75}),
        (
            "created",
            {
                "entity": "site",
                "change": "updated",
                "changed": ["status"],
                "site_id": 7,
                "status": "under-reclamation",
            },
        ),
        ("deposit-paid", {"amount_rub": 1500000.5, "held_rub": 1500000.5}),
    ]
    chain = []
    for i, (kind, payload) in enumerate(steps):
        moment = T0 + dt.timedelta(minutes=i)
        chain.append(append(chain, 7, kind, payload, REGULATOR, "regulator", moment))
    assert [e.entry_hash for e in chain] == OLD_HASHES
    assert chain[-1].signature == OLD_LAST_SIGNATURE
    assert verify(chain, rules=ASSURANCE_RULES).ok
