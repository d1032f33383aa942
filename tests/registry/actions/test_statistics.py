"""Statistics imported through the registry's write verb: one registry-wide entry per file.

Runs on SQLite and PostgreSQL/PostGIS (``db_url``). Independent checks: the file's SHA-256
computed here with hashlib, the rows counted with SQL.
"""

import datetime as dt
import hashlib
import json

import pytest
from sqlalchemy import func, select, text

from postmine.db import get_engine, session_scope
from postmine.registry import actions, io
from postmine.registry.ledger.store import DatabaseLedgerStore
from postmine.registry.models import LedgerEntry
from postmine.registry.statistics_model import Statistic

T0 = dt.datetime(2024, 6, 3, 9, 0, tzinfo=dt.UTC)
SAMPLE_ROWS = (40, 85)  # data rows of the two shipped 002 files


@pytest.fixture
def registry(tmp_path):
    return actions.actor_from_keyring("registry", tmp_path / "keys")


def _count(url, model):
    with session_scope(url) as s:
        return s.scalar(select(func.count()).select_from(model))


def _entries(url):
    with session_scope(url) as s:
        return DatabaseLedgerStore(s).load_entries()


def _table(path, n, bad_row=None, dataset="test"):
    lines = ["# Source: made up for the test", ",".join(io.STATISTICS_FIELDS)]
    for i in range(1, n + 1):
        value = "n/a" if i == bad_row else f"{i * 1.5}"
        lines.append(f"{dataset},Region {i:03d},2020,waste,Waste generated,{value},thousand t")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_an_import_is_one_registry_wide_entry(db_url, registry, tmp_path):
    path = _table(tmp_path / "waste.csv", 12)
    with session_scope(db_url) as s:
        report = actions.import_statistics(s, registry, path, now=T0)
    assert (report.inserted, report.replaced) == (12, 0)
    [entry] = _entries(db_url)
    assert (entry.seq, entry.kind, entry.site_id) == (1, "statistics-imported", None)
    assert entry.payload == {
        "file": "waste.csv",
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "n_rows": 12,
        "inserted": 12,
        "replaced": 0,
        "on_conflict": "error",
        "source": None,
    }
    assert entry.public_key == registry.public_key
    assert _count(db_url, Statistic) == 12
    with session_scope(db_url) as s:
        assert actions.verify_registry(s, trusted_keys=[registry.public_key]).ok


def test_a_bad_row_leaves_neither_rows_nor_entry(db_url, registry, tmp_path):
    with session_scope(db_url) as s:
        actions.import_statistics(
            s, registry, _table(tmp_path / "first.csv", 3, dataset="first"), now=T0
        )
    bad = _table(tmp_path / "bad.csv", 100, 50)
    with (
        pytest.raises(io.RegistryImportError, match=r"row 52, field 'value'"),
        session_scope(db_url) as s,
    ):
        actions.import_statistics(s, registry, bad, now=T0)
    assert _count(db_url, Statistic) == 3
    assert _count(db_url, LedgerEntry) == 1


def test_a_failure_after_the_import_rolls_back_rows_and_entry(db_url, registry, tmp_path):
    """Rows and entry are in the caller's transaction: both go if it does not commit."""
    with pytest.raises(RuntimeError, match="after the import"), session_scope(db_url) as s:
        actions.import_statistics(s, registry, _table(tmp_path / "t.csv", 5), now=T0)
        assert s.scalar(select(func.count()).select_from(LedgerEntry)) == 1
        raise RuntimeError("after the import")
    assert _count(db_url, Statistic) == 0
    assert _count(db_url, LedgerEntry) == 0


def test_the_sample_is_one_entry_per_file_and_a_refusal_adds_none(db_url, registry):
    with session_scope(db_url) as s:
        reports = actions.import_sample_statistics(s, registry, now=T0)
    assert [r.inserted for r in reports] == list(SAMPLE_ROWS)
    with (
        pytest.raises(io.RegistryImportError, match="already in the registry"),
        session_scope(db_url) as s,
    ):
        actions.import_sample_statistics(s, registry, now=T0)
    assert _count(db_url, LedgerEntry) == 2
    with session_scope(db_url) as s:
        actions.import_sample_statistics(s, registry, on_conflict="replace", now=T0)
    entries = _entries(db_url)
    assert [e.kind for e in entries] == ["statistics-imported"] * 4
    assert [e.payload["file"] for e in entries] == list(io.SAMPLE_STATISTICS) * 2
    assert [(e.payload["n_rows"], e.payload["replaced"]) for e in entries] == [
        (40, 0),
        (85, 0),
        (40, 40),
        (85, 85),
    ]
    assert [e.payload["on_conflict"] for e in entries] == ["error"] * 2 + ["replace"] * 2
    assert _count(db_url, Statistic) == sum(SAMPLE_ROWS)


def test_a_tampered_statistics_entry_is_named(db_url, registry, tmp_path):
    with session_scope(db_url) as s:
        actions.import_statistics(s, registry, _table(tmp_path / "a.csv", 4), now=T0)
        actions.import_statistics(
            s, registry, _table(tmp_path / "b.csv", 2, dataset="second"), now=T0
        )
    with get_engine(db_url).begin() as connection:
        stored = connection.execute(
            text("SELECT payload_json FROM ledger_entries WHERE seq = 1")
        ).scalar_one()
        payload = json.loads(stored)
        assert payload["n_rows"] == 4
        forged = stored.replace('"n_rows":4', '"n_rows":40')
        connection.execute(
            text("UPDATE ledger_entries SET payload_json = :p WHERE seq = 1"), {"p": forged}
        )
    with session_scope(db_url) as s:
        report = actions.verify_registry(s, trusted_keys=[registry.public_key])
    assert report.named == [(1, "statistics-imported")]
    assert [p.code for p in report.problems] == ["hash-mismatch"]
