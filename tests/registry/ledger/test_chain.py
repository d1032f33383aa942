"""Appending to the ledger's hash chain, and the in-memory store.

The chain under test (``chain`` in conftest.py) has 50 entries of three sites over five UTC
days, signed by two actors.
"""

import dataclasses
import datetime as dt
import hashlib
import itertools

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from postmine.registry.assurance_rules import ASSURANCE_RULES
from postmine.registry.ledger import (
    ENTRY_KINDS,
    GENESIS_HASH,
    DailyRoot,
    MemoryStore,
    append,
    merkle_root,
    public_key_hex,
    record,
    seal_days,
    verify,
    verify_store,
)


def _key(name: str) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(hashlib.sha256(name.encode()).digest())


OPERATOR = _key("operator")
TRUSTED = [public_key_hex(OPERATOR), public_key_hex(_key("regulator"))]
START = dt.datetime(2024, 5, 6, 8, 0, tzinfo=dt.UTC)
T0 = dt.datetime(2024, 6, 1, 9, 0, tzinfo=dt.UTC)
N_ENTRIES = 50  # of the chain of conftest.py
PER_DAY = 10
# the kinds of a site's life the chain of conftest.py holds (written before the kinds of a
# record's change and the registry-wide kinds, which tests/registry/ledger/test_kinds.py
# appends after it)
SITE_LIFE_KINDS = ENTRY_KINDS[:8]


def _seqs(report, code=None) -> set:
    return {p.seq for p in report.problems if code is None or p.code == code}


def test_chain_verifies(chain, roots):
    report = verify(chain, roots, TRUSTED, rules=ASSURANCE_RULES)
    assert report.ok, str(report)
    assert report.n_entries == N_ENTRIES
    assert report.n_days_checked == N_ENTRIES // PER_DAY
    assert report.head_hash == chain[-1].entry_hash
    assert [e.seq for e in chain] == list(range(1, N_ENTRIES + 1))
    assert {e.kind for e in chain} == set(SITE_LIFE_KINDS)
    assert [r.n_entries for r in roots] == [PER_DAY] * (N_ENTRIES // PER_DAY)


def test_chain_links_and_genesis(chain):
    assert chain[0].prev_hash == GENESIS_HASH == "0" * 64
    for before, after in itertools.pairwise(chain):
        assert after.prev_hash == before.entry_hash


# --------------------------------------------------------------------------- append checks


def test_unknown_kind_refused_with_allowed_list():
    allowed = ", ".join(ENTRY_KINDS)
    with pytest.raises(ValueError, match=f"kind must be one of {allowed}; got 'sold'"):
        append([], "S1", "sold", {}, OPERATOR, "op", T0)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"site_id": ""}, "site_id must be an integer >= 1 or a non-empty string, got ''"),
        ({"site_id": 0}, "site_id must be an integer >= 1 or a non-empty string, got 0"),
        ({"site_id": True}, "site_id must be an integer >= 1"),
        ({"actor": " "}, "actor must be a non-empty string"),
        ({"payload": [1, 2]}, "payload must be a JSON object"),
        ({"payload": {"x": float("nan")}}, r"\$\.x: numbers must be finite"),
        ({"now": dt.datetime(2024, 6, 1)}, "time must be timezone-aware"),
    ],
)
def test_append_bad_input(kwargs, match):
    args = {
        "entries_so_far": [],
        "site_id": "S1",
        "kind": "created",
        "payload": {},
        "private_key": OPERATOR,
        "actor": "op",
        "now": T0,
    } | kwargs
    with pytest.raises(ValueError, match=match):
        append(**args)


def test_append_wrong_key_type():
    with pytest.raises(TypeError, match="private_key must be an Ed25519PrivateKey"):
        append([], "S1", "created", {}, b"secret", "op", T0)


def test_append_time_must_not_run_backwards(chain):
    with pytest.raises(ValueError, match="earlier than that of the last entry"):
        append(chain, "site-01", "created", {}, OPERATOR, "op", START)


def test_append_refuses_altered_head(chain):
    head = dataclasses.replace(chain[-1], actor="someone else")
    with pytest.raises(ValueError, match=r"last entry \(seq 50, release\) does not match"):
        append([*chain[:-1], head], "site-01", "created", {}, OPERATOR, "op")


def test_append_copies_payload_and_normalises_numbers():
    payload = {"amount_rub": 5.0, "items": (1, 2)}
    entry = append([], "S1", "created", payload, OPERATOR, "op", T0)
    payload["amount_rub"] = 6.0
    assert entry.payload == {"amount_rub": 5, "items": [1, 2]}
    assert verify([entry]).ok


# --------------------------------------------------------------------------- storage


def test_memory_store_record_seal_verify(spec):
    entry_spec, entry_time = spec
    store = MemoryStore()
    for i in range(6):
        site, kind, payload, key, actor = entry_spec(i)
        record(store, site, kind, payload, key, actor, now=entry_time(i * 5))
    sealed = seal_days(store, before=dt.date(2024, 5, 8))
    assert [(r.day, r.n_entries) for r in sealed] == [
        (dt.date(2024, 5, 6), 2),
        (dt.date(2024, 5, 7), 2),
    ]
    assert seal_days(store, before=dt.date(2024, 5, 8)) == []
    assert verify_store(store, TRUSTED).ok
    with pytest.raises(ValueError, match="sealed up to 2024-05-07"):
        record(store, "site-01", "created", {}, OPERATOR, "op", now=entry_time(15))
    store.entries.pop()  # someone deletes the last entry of a sealed day... not sealed: 05-08
    store.entries.pop(2)  # ... and an entry of a sealed day
    report = verify_store(store)
    assert 3 in _seqs(report, "missing")


def test_memory_store_refuses_a_stale_writer():
    store = MemoryStore()
    first = append([], "S1", "created", {}, OPERATOR, "op", T0)
    store.add_entry(first)
    with pytest.raises(ValueError, match="does not continue the ledger"):
        store.add_entry(first)
    store.add_daily_root(DailyRoot(dt.date(2024, 6, 1), merkle_root([first.entry_hash]), 1))
    with pytest.raises(ValueError, match="stored already"):
        store.add_daily_root(DailyRoot(dt.date(2024, 6, 1), "0" * 64, 1))
