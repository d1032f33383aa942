"""The ledger's store in the registry database, on SQLite and PostgreSQL/PostGIS (``db_url``).

Entries go in through :class:`DatabaseLedgerStore` and come back equal to what was hashed:
the payload as its canonical JSON text, ``created_at`` as the exact timestamp string.
Reading never refuses a row, so that an altered one reaches verification.
"""

import datetime as dt
import hashlib
from types import SimpleNamespace

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import update

from postmine.db import session_scope
from postmine.registry.ledger import (
    DailyRoot,
    LedgerStore,
    append,
    daily_root_records,
    record,
    verify_store,
)
from postmine.registry.ledger.store import (
    DatabaseLedgerStore,
    LedgerConflictError,
    entry_from_row,
    entry_to_row,
)
from postmine.registry.models import LedgerEntry, Site

KEY = Ed25519PrivateKey.from_private_bytes(hashlib.sha256(b"regulator").digest())
T0 = dt.datetime(2024, 6, 3, 9, 0, tzinfo=dt.UTC)
PAYLOAD = {"note": "é\n\u2028😀", "x": [1e-7, 1e21, 0.1, -0.0, 5.0], "nested": {"b": 1, "a": 2}}


@pytest.fixture
def sites(db_url) -> list[int]:
    """Two sites (their ``sites.id``), with no ledger entry yet."""
    with session_scope(db_url) as s:
        rows = [
            Site(
                name=name, region="Khakassia", status="operating", registered_on=dt.date(2024, 6, 1)
            )
            for name in ("Abaza mine", "Open pit 1")
        ]
        s.add_all(rows)
        s.flush()
        return [row.id for row in rows]


def _record_history(db_url, sites) -> list:
    """Four entries over three days (one, one, two), alternating sites, as recorded."""
    with session_scope(db_url) as s:
        store = DatabaseLedgerStore(s)
        store.lock()
        return [
            record(
                store,
                sites[i % 2],
                "document-recorded",
                {**PAYLOAD, "i": i},
                KEY,
                "r",
                now=T0 + dt.timedelta(hours=20 * i, microseconds=123_457),
            )
            for i in range(4)
        ]


def test_round_trip_is_exact(db_url, sites):
    recorded = _record_history(db_url, sites)
    with session_scope(db_url) as s:
        store = DatabaseLedgerStore(s)
        assert store.load_entries() == recorded
        assert store.load_problems == []
        assert store.head() == recorded[-1]
        assert store.get_entry(2) == recorded[1]
        assert store.get_entry(99) is None
        assert recorded[0].created_at == "2024-06-03T09:00:00.123457Z"
        assert store.load_entries(site_id=sites[1]) == recorded[1::2]
        assert store.load_entries(day=dt.date(2024, 6, 4)) == recorded[1:2]
        assert store.load_entries(from_day=dt.date(2024, 6, 5)) == recorded[2:]
        assert verify_store(store).ok


def test_an_empty_store(db_url):
    with session_scope(db_url) as s:
        store = DatabaseLedgerStore(s)
        assert store.load_entries() == []
        assert store.head() is None
        assert store.load_daily_roots() == []
        assert store.last_sealed_day() is None


def test_second_entry_with_the_same_seq_is_a_conflict(db_url, sites):
    recorded = _record_history(db_url, sites)
    conflict = r"ledger entry seq 4 is stored already: another writer appended first"
    with pytest.raises(LedgerConflictError, match=conflict), session_scope(db_url) as s:
        DatabaseLedgerStore(s).add_entry(recorded[-1])


def test_daily_roots_stored_once_with_their_count(db_url, sites):
    recorded = _record_history(db_url, sites)
    roots = daily_root_records(recorded)
    with session_scope(db_url) as s:
        store = DatabaseLedgerStore(s)
        for root in roots:
            store.add_daily_root(root)
    with session_scope(db_url) as s:
        store = DatabaseLedgerStore(s)
        assert store.load_daily_roots() == roots
        assert store.last_sealed_day() == dt.date(2024, 6, 5)
        assert store.get_daily_root(dt.date(2024, 6, 4)) == roots[1]
        assert store.get_daily_root(dt.date(2024, 6, 6)) is None
        assert verify_store(store).ok
    with pytest.raises(ValueError, match="must record its n_entries"), session_scope(db_url) as s:
        DatabaseLedgerStore(s).add_daily_root(DailyRoot(dt.date(2024, 6, 9), "0" * 64))
    with pytest.raises(LedgerConflictError, match="stored already"), session_scope(db_url) as s:
        DatabaseLedgerStore(s).add_daily_root(roots[0])


def test_a_payload_json_that_is_not_canonical_is_loaded_and_noted(db_url, sites):
    recorded = _record_history(db_url, sites)
    with session_scope(db_url) as s:
        s.execute(update(LedgerEntry).where(LedgerEntry.seq == 2).values(payload_json='{"i": 1}'))
        s.execute(update(LedgerEntry).where(LedgerEntry.seq == 3).values(payload_json="{not json"))
    with session_scope(db_url) as s:
        store = DatabaseLedgerStore(s)
        entries = store.load_entries()
        assert entries[1].payload == {"i": 1}
        assert entries[2].payload == "{not json"  # kept as text: hashes to something else
        assert [(p.seq, p.kind, p.code) for p in store.load_problems] == [
            (2, "document-recorded", "malformed"),
            (3, "document-recorded", "malformed"),
        ]
        assert "is not what the ledger wrote" in store.load_problems[0].message
        named = {(p.seq, p.code) for p in verify_store(store).problems}
        assert {(2, "hash-mismatch"), (3, "hash-mismatch")} <= named
    assert entries[0] == recorded[0]


def test_entry_from_row_refuses_nothing():
    # Any object with the columns as attributes will do (a Row, a LedgerEntry).
    row = SimpleNamespace(
        seq=None, site_id=None, kind=None, payload_json=7, prev_hash=None, entry_hash=None,
        actor=None, public_key=None, signature=None, created_at="yesterday",
    )  # fmt: skip
    entry, problem = entry_from_row(row)
    assert entry.payload == 7 and entry.created_at == "yesterday"
    assert problem is not None and problem.code == "malformed"
    assert "payload_json must be text" in problem.message


def test_entry_to_row_needs_the_integer_site_id():
    entry = append([], "S1", "created", {}, KEY, "r", now=T0)
    with pytest.raises(ValueError, match="site_id of a registry ledger entry must be the integer"):
        entry_to_row(entry)
    row = entry_to_row(append([], 7, "created", {"a": 5.0}, KEY, "r", now=T0))
    assert row.payload_json == '{"a":5}'
    assert row.created_at == T0


def test_the_store_implements_the_ledger_protocol(db_url):
    with session_scope(db_url) as s:
        store: LedgerStore = DatabaseLedgerStore(s)
        assert isinstance(store.load_entries(), list)
