"""Write actions: each change of a passport and its signed ledger entry, stored together.

Runs on SQLite and PostgreSQL/PostGIS (``db_url``). Independent checks: an entry's hash
recomputed with hashlib and the standard json module from the stored columns, and its
signature checked with ``cryptography`` directly; amounts in the payloads compared with the
amounts given, not with values read back through the same code.
"""

import datetime as dt
import hashlib
import json
import os
import stat
import threading
import time

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from shapely.geometry import box
from sqlalchemy import func, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from postmine.db import RecordValueError, get_engine, session_scope
from postmine.registry import actions, ledger, records
from postmine.registry.actions import Actor
from postmine.registry.ledger.store import (
    DatabaseLedgerStore,
    LedgerConflictError,
    entry_to_row,
)
from postmine.registry.models import AssuranceTransaction, LedgerEntry, Site

T0 = dt.datetime(2024, 6, 3, 9, 0, tzinfo=dt.UTC)
DAY = dt.date(2024, 6, 3)
ACT_BYTES = "Акт приёмки технического этапа № 4".encode()


def _at(minutes: int) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


@pytest.fixture
def regulator(tmp_path):
    return actions.actor_from_keyring("regulator", tmp_path / "keys")


@pytest.fixture
def operator(tmp_path):
    return actions.actor_from_keyring("operator", tmp_path / "keys")


@pytest.fixture
def bonded_site(db_url, regulator, operator):
    """A site with one object, an assurance of 5 000 000 rub and a deposit of 2 000 000 rub."""
    with session_scope(db_url) as s:
        site = actions.register_site(
            s, regulator, now=_at(0), name="Abaza mine", region="Khakassia", registered_on=DAY
        )
        crater = actions.add_object(
            s,
            operator,
            now=_at(1),
            site_id=site.id,
            kind="collapse-crater",
            name="Crater 1",
            geometry=box(89.93, 52.64, 89.94, 52.65),
            state_on=DAY,
        )
        bond = actions.create_assurance(
            s, regulator, now=_at(2), site_id=site.id, required_rub=5_000_000.0, required_on=DAY
        )
        actions.pay_deposit(
            s, operator, bond.id, amount_rub=2_000_000.0, transacted_on=DAY, now=_at(3)
        )
    return {"site": site.id, "crater": crater.id, "bond": bond.id, "n_entries": 4}


def _entries(url, site_id=None):
    with session_scope(url) as s:
        return DatabaseLedgerStore(s).load_entries(site_id)


def _count(url, model):
    with session_scope(url) as s:
        return s.scalar(select(func.count()).select_from(model))


# --------------------------------------------------------------------------- recording


def test_every_action_records_its_entry(db_url, regulator, operator, bonded_site):
    ids = bonded_site
    with session_scope(db_url) as s:
        other = actions.register_site(
            s,
            regulator,
            now=_at(10),
            name="Open pit 1",
            region="Kemerovo",
            geometry=box(86.1, 54.1, 86.2, 54.2),
            registered_on=DAY,
        )
        tmf = actions.add_tmf(
            s,
            operator,
            now=_at(11),
            site_id=other.id,
            name="Tailings",
            tmf_class="concentration",
            mass_t=2.5e6,
            hazard_class=4,
            year=2023,
            composition={"Cu": 0.002},
        )
        document = actions.record_document(
            s,
            regulator,
            now=_at(12),
            site_id=ids["site"],
            kind="acceptance-act",
            title="Акт № 4",
            uri="archive://acts/4.pdf",
            content=ACT_BYTES,
            issued_on=DAY,
        )
        stage = actions.accept_stage(
            s,
            regulator,
            ids["crater"],
            state="technical-stage",
            changed_on=DAY,
            document_id=document.id,
            milestone="technical stage",
            now=_at(13),
        )
        summary = actions.record_monitoring(
            s,
            operator,
            now=_at(14),
            site_id=ids["site"],
            object_id=ids["crater"],
            parameter="vegetation_cover",
            value=0.35,
            unit="-",
            criteria_met=False,
            period_start=dt.date(2024, 5, 1),
            period_end=dt.date(2024, 5, 31),
            source="NDVI survey",
        )
        released = actions.release(
            s,
            regulator,
            ids["bond"],
            amount_rub=750_000.5,
            transacted_on=DAY,
            milestone="technical stage",
            evidence_document_id=document.id,
            now=_at(15),
        )
        forfeited = actions.forfeit(
            s,
            regulator,
            ids["bond"],
            amount_rub=250_000.0,
            transacted_on=DAY,
            note="works late",
            now=_at(16),
        )
    entries = _entries(db_url)
    assert [e.seq for e in entries] == list(range(1, 12))
    assert [(e.kind, e.site_id, e.actor) for e in entries] == [
        ("created", ids["site"], "regulator"),
        ("created", ids["site"], "operator"),
        ("created", ids["site"], "regulator"),
        ("deposit-paid", ids["site"], "operator"),
        ("created", other.id, "regulator"),
        ("created", other.id, "operator"),
        ("document-recorded", ids["site"], "regulator"),
        ("stage-accepted", ids["site"], "regulator"),
        ("monitoring-summary", ids["site"], "operator"),
        ("release", ids["site"], "regulator"),
        ("forfeit", ids["site"], "regulator"),
    ]
    p = [e.payload for e in entries]
    assert p[0]["entity"] == "site" and p[0]["name"] == "Abaza mine"
    assert p[0]["registered_on"] == "2024-06-03"
    assert p[1]["entity"] == "object" and p[1]["object_id"] == ids["crater"]
    assert p[1]["geometry"]["bbox_deg"] == [89.93, 52.64, 89.94, 52.65]
    crater_wkb = box(89.93, 52.64, 89.94, 52.65).wkb  # little-endian 2D WKB, as stored
    assert p[1]["geometry"]["wkb_sha256"] == hashlib.sha256(crater_wkb).hexdigest()
    assert p[2] == {
        "entity": "assurance",
        "assurance_id": ids["bond"],
        "plan_id": None,
        "required_rub": 5_000_000,
        "required_on": "2024-06-03",
    }
    assert p[3]["amount_rub"] == 2_000_000 and p[3]["held_rub"] == 2_000_000
    assert p[5]["tmf_id"] == tmf.id and p[5]["mass_t"] == 2.5e6 and p[5]["hazard_class"] == 4
    assert p[6]["sha256"] == hashlib.sha256(ACT_BYTES).hexdigest()
    assert p[7]["acceptance_act"] == {
        "document_id": document.id,
        "reference": "Акт № 4",
        "uri": "archive://acts/4.pdf",
        "sha256": hashlib.sha256(ACT_BYTES).hexdigest(),
        "issued_on": "2024-06-03",
    }
    assert (p[7]["previous_state"], p[7]["state"]) == ("disturbed", "technical-stage")
    assert p[7]["state_change_id"] == stage.id and p[7]["milestone"] == "technical stage"
    assert p[8]["monitoring_id"] == summary.id and p[8]["criteria_met"] is False
    assert "milestone" not in p[8]
    assert p[9]["transaction_id"] == released.id
    assert p[9]["amount_rub"] == 750_000.5
    assert p[9]["held_rub"] == 2_000_000 - 750_000.5
    assert p[9]["evidence_seq"] == 8 and p[9]["evidence_document_id"] == document.id
    assert p[10]["transaction_id"] == forfeited.id and p[10]["note"] == "works late"
    assert p[10]["held_rub"] == 2_000_000 - 750_000.5 - 250_000
    with session_scope(db_url) as s:
        report = actions.verify_registry(s, [regulator.public_key, operator.public_key])
        assert report.ok, str(report)
        assert not actions.verify_registry(s, [regulator.public_key]).ok  # operator untrusted


def test_stored_entry_hash_and_signature_recomputed_independently(db_url, regulator, bonded_site):
    with session_scope(db_url) as s:
        actions.record_document(
            s,
            regulator,
            now=_at(10),
            site_id=bonded_site["site"],
            kind="acceptance-act",
            title="Акт № 4",
            uri="archive://acts/4.pdf",
            content=ACT_BYTES,
            issued_on=DAY,
        )
    with get_engine(db_url).connect() as connection:
        row = (
            connection.execute(text("SELECT * FROM ledger_entries WHERE seq = 5"), {})
            .one()
            ._asdict()
        )
        prev = connection.execute(
            text("SELECT entry_hash FROM ledger_entries WHERE seq = 4")
        ).scalar_one()
    payload = json.loads(row["payload_json"])
    # The payload holds only integers and strings (all keys ASCII), where the standard json
    # module with sorted keys and no spaces writes what RFC 8785 writes.
    assert row["payload_json"] == json.dumps(
        payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    fields = {
        "actor": "regulator",
        "created_at": "2024-06-03T09:10:00.000000Z",
        "kind": "document-recorded",
        "payload": payload,
        "prev_hash": prev,
        "public_key": regulator.public_key,
        "seq": 5,
        "site_id": bonded_site["site"],
    }
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    expected = hashlib.sha256(bytes.fromhex(prev) + canonical.encode("utf-8")).hexdigest()
    assert row["prev_hash"] == prev
    assert row["entry_hash"] == expected
    public = Ed25519PublicKey.from_public_bytes(bytes.fromhex(row["public_key"]))
    public.verify(bytes.fromhex(row["signature"]), bytes.fromhex(expected))  # raises if bad


# --------------------------------------------------------------------------- atomicity


def test_failing_append_after_the_service_call_stores_nothing(
    db_url, regulator, operator, bonded_site, monkeypatch
):
    calls = []

    def failing_append(*args, **kwargs):
        calls.append(args[2])  # the kind
        raise RuntimeError("disk full while signing")

    monkeypatch.setattr(ledger, "append", failing_append)
    with session_scope(db_url) as s:  # the caller catches the error and commits
        with pytest.raises(RuntimeError, match="disk full"):
            actions.register_site(s, regulator, name="Ghost", region="Nowhere", now=_at(10))
        with pytest.raises(RuntimeError, match="disk full"):
            actions.pay_deposit(
                s,
                operator,
                bonded_site["bond"],
                amount_rub=1_000.0,
                transacted_on=DAY,
                now=_at(11),
            )
    assert calls == ["created", "deposit-paid"]  # the service calls ran first
    assert _count(db_url, Site) == 1
    assert _count(db_url, AssuranceTransaction) == 1
    assert _count(db_url, LedgerEntry) == bonded_site["n_entries"]
    monkeypatch.undo()
    with session_scope(db_url) as s:
        assert actions.verify_registry(s).ok


def test_actions_never_commit(db_url, regulator, operator, bonded_site):
    """The caller's rollback undoes every action of its transaction, rows and entries."""
    with get_engine(db_url).connect() as connection, Session(connection) as s:
        actions.register_site(s, regulator, name="B", region="R", now=_at(10))
        with pytest.raises(RecordValueError, match="amount_rub must be > 0"):
            actions.pay_deposit(
                s, operator, bonded_site["bond"], amount_rub=-5.0, transacted_on=DAY, now=_at(11)
            )
        actions.register_site(s, regulator, name="C", region="R", now=_at(12))
        assert s.scalar(select(func.count()).select_from(LedgerEntry)) == 6
        s.rollback()
    assert _count(db_url, Site) == 1
    assert _count(db_url, LedgerEntry) == bonded_site["n_entries"]


def test_failing_service_call_appends_nothing(db_url, operator, bonded_site):
    with session_scope(db_url) as s:
        with pytest.raises(RecordValueError, match=r"hazard_class must be in 1\.\.5, got 6"):
            actions.add_tmf(
                s,
                operator,
                now=_at(10),
                site_id=bonded_site["site"],
                name="Slag",
                tmf_class="metallurgical",
                mass_t=1000.0,
                hazard_class=6,
                year=2023,
            )
        with pytest.raises(records.NotFoundError, match="assurance 999 not found"):
            actions.pay_deposit(s, operator, 999, amount_rub=1.0, transacted_on=DAY, now=_at(11))
    assert _count(db_url, LedgerEntry) == bonded_site["n_entries"]


def test_entry_time_rules(db_url, regulator, bonded_site):
    with session_scope(db_url) as s:
        with pytest.raises(ValueError, match="time must be timezone-aware"):
            actions.register_site(
                s, regulator, name="X", region="Y", now=dt.datetime(2024, 6, 4, 9, 0)
            )
        with pytest.raises(ValueError, match="earlier than that of the last entry"):
            actions.register_site(s, regulator, name="X", region="Y", now=_at(-60))
    with session_scope(db_url) as s:
        sealed = actions.seal_days(s, before=DAY + dt.timedelta(days=1))
    assert [(r.day, r.n_entries) for r in sealed] == [(DAY, bonded_site["n_entries"])]
    with session_scope(db_url) as s:
        with pytest.raises(ValueError, match="the ledger is sealed up to 2024-06-03"):
            actions.register_site(s, regulator, name="X", region="Y", now=_at(60))
        actions.register_site(s, regulator, name="X", region="Y", now=_at(24 * 60))
    assert _count(db_url, Site) == 2


# --------------------------------------------------------------------------- releases


def test_release_without_evidence_is_refused_and_stores_nothing(db_url, regulator, bonded_site):
    site = bonded_site["site"]
    refused = rf"release of milestone 'backfill' of site {site} refused: no evidence"
    # The caller catches the refusal and commits: the refused release is not stored.
    with session_scope(db_url) as s, pytest.raises(ValueError, match=refused):
        actions.release(
            s,
            regulator,
            bonded_site["bond"],
            amount_rub=500_000.0,
            transacted_on=DAY,
            milestone="backfill",
            now=_at(10),
        )
    assert _count(db_url, AssuranceTransaction) == 1  # the deposit only
    assert _count(db_url, LedgerEntry) == bonded_site["n_entries"]
    with session_scope(db_url) as s:
        assert records.assurance_balance(s, bonded_site["bond"]).held_rub == 2_000_000


def _act_document(s, actor, site_id, minute, kind="acceptance-act"):
    return actions.record_document(
        s,
        actor,
        now=_at(minute),
        site_id=site_id,
        kind=kind,
        title=f"Document {minute}",
        uri=f"archive://{minute}.pdf",
        content=f"document {minute}".encode(),
        issued_on=DAY,
    )


def test_release_after_an_acceptance_act(db_url, regulator, bonded_site):
    with session_scope(db_url) as s:
        act = _act_document(s, regulator, bonded_site["site"], 10)
        actions.accept_stage(
            s,
            regulator,
            bonded_site["crater"],
            state="technical-stage",
            changed_on=DAY,
            document_id=act.id,
            milestone="backfill",
            now=_at(11),
        )
        tx = actions.release(
            s,
            regulator,
            bonded_site["bond"],
            amount_rub=500_000.0,
            transacted_on=DAY,
            milestone="backfill",
            now=_at(12),
        )
    assert tx.kind == "release" and tx.milestone == "backfill"
    last = _entries(db_url)[-1]
    assert (last.seq, last.kind) == (7, "release")
    assert last.payload["evidence_seq"] == 6
    assert last.payload["amount_rub"] == 500_000 and last.payload["held_rub"] == 1_500_000


def test_release_after_monitoring_criteria_met(db_url, regulator, operator, bonded_site):
    site = bonded_site["site"]
    monitoring = {
        "site_id": site,
        "parameter": "vegetation_cover",
        "unit": "-",
        "period_start": dt.date(2024, 5, 1),
        "period_end": dt.date(2024, 5, 31),
        "source": "NDVI survey",
    }
    release = {
        "amount_rub": 400_000.0,
        "transacted_on": DAY,
        "milestone": "revegetation",
    }
    with session_scope(db_url) as s:
        actions.record_monitoring(
            s,
            operator,
            milestone="revegetation",
            value=0.31,
            criteria_met=False,
            now=_at(10),
            **monitoring,
        )
        with pytest.raises(ValueError, match=r"seq 5 has criteria_met = false, not true"):
            actions.release(s, regulator, bonded_site["bond"], now=_at(11), **release)
        actions.record_monitoring(
            s,
            operator,
            milestone="revegetation",
            value=0.72,
            criteria_met=True,
            now=_at(12),
            **monitoring,
        )
        actions.release(s, regulator, bonded_site["bond"], now=_at(13), **release)
    kinds = [(e.seq, e.kind) for e in _entries(db_url)[4:]]
    assert kinds == [(5, "monitoring-summary"), (6, "monitoring-summary"), (7, "release")]
    assert _entries(db_url)[-1].payload["evidence_seq"] == 6


def test_evidence_of_another_site_does_not_count(db_url, regulator, operator, bonded_site):
    with session_scope(db_url) as s:
        other = actions.register_site(s, regulator, name="Pit 2", region="R", now=_at(10))
        actions.record_monitoring(
            s,
            operator,
            milestone="revegetation",
            site_id=other.id,
            parameter="vegetation_cover",
            value=0.8,
            unit="-",
            criteria_met=True,
            period_start=DAY,
            period_end=DAY,
            source="survey",
            now=_at(11),
        )
        with pytest.raises(ValueError, match="refused: no evidence recorded earlier"):
            actions.release(
                s,
                regulator,
                bonded_site["bond"],
                amount_rub=1.0,
                transacted_on=DAY,
                milestone="revegetation",
                now=_at(12),
            )


def test_stage_is_accepted_only_by_an_acceptance_act(db_url, regulator, bonded_site):
    with session_scope(db_url) as s:
        protocol = _act_document(s, regulator, bonded_site["site"], 10, kind="protocol")
        with pytest.raises(RecordValueError, match="document 1 is a 'protocol'") as info:
            actions.accept_stage(
                s,
                regulator,
                bonded_site["crater"],
                state="technical-stage",
                changed_on=DAY,
                document_id=protocol.id,
                milestone="backfill",
                now=_at(11),
            )
        assert info.value.field == "document_id"
        with pytest.raises(RecordValueError, match="milestone must be non-empty text"):
            actions.accept_stage(
                s,
                regulator,
                bonded_site["crater"],
                state="technical-stage",
                changed_on=DAY,
                document_id=protocol.id,
                milestone=" ",
                now=_at(12),
            )
        with pytest.raises(RecordValueError, match="milestone must be non-empty text"):
            actions.record_monitoring(
                s,
                regulator,
                milestone="",
                site_id=bonded_site["site"],
                parameter="ph",
                value=7.0,
                unit="-",
                criteria_met=True,
                period_start=DAY,
                period_end=DAY,
                source="lab",
                now=_at(13),
            )
        assert records.get_object(s, bonded_site["crater"]).state == "disturbed"
    assert _count(db_url, LedgerEntry) == bonded_site["n_entries"] + 1  # the protocol


def test_release_refused_when_its_evidence_was_altered(db_url, regulator, bonded_site):
    with session_scope(db_url) as s:
        act = _act_document(s, regulator, bonded_site["site"], 10)
        actions.accept_stage(
            s,
            regulator,
            bonded_site["crater"],
            state="technical-stage",
            changed_on=DAY,
            document_id=act.id,
            milestone="backfill",
            now=_at(11),
        )
    with get_engine(db_url).begin() as connection:
        connection.execute(
            text(
                "UPDATE ledger_entries SET payload_json = replace(payload_json, :a, :b) "
                "WHERE seq = 6"
            ),
            {"a": '"object_name":"Crater 1"', "b": '"object_name":"Crater 9"'},
        )
    altered = r"entry seq 6 \(stage-accepted\), does not match its hash"
    with session_scope(db_url) as s, pytest.raises(ValueError, match=altered):
        actions.release(
            s,
            regulator,
            bonded_site["bond"],
            amount_rub=1.0,
            transacted_on=DAY,
            milestone="backfill",
            now=_at(12),
        )


# --------------------------------------------------------------------------- sealing, proofs


def test_seal_days_leaves_today_open_and_refuses_a_tampered_ledger(db_url, regulator):
    yesterday = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    with session_scope(db_url) as s:
        actions.register_site(s, regulator, name="A", region="R", now=yesterday)
        actions.register_site(s, regulator, name="B", region="R")
    with session_scope(db_url) as s:
        sealed = actions.seal_days(s)
        assert [(r.day, r.n_entries) for r in sealed] == [(yesterday.date(), 1)]
        assert actions.seal_days(s) == []  # nothing new
    with get_engine(db_url).begin() as connection:
        connection.execute(text("UPDATE ledger_entries SET actor = 'x' WHERE seq = 2"))
    refused = r"the ledger does not verify, so no day is sealed: entry seq 2 \(created\)"
    with session_scope(db_url) as s, pytest.raises(ValueError, match=refused):
        actions.seal_days(s, before=dt.datetime.now(dt.UTC).date() + dt.timedelta(days=2))


def test_inclusion_proof_of_an_open_day_and_unknown_seq(db_url, bonded_site):
    with session_scope(db_url) as s:
        proof = actions.inclusion_proof(s, 3)
        entries = DatabaseLedgerStore(s).load_entries()
        with pytest.raises(records.NotFoundError, match="ledger entry 99 not found"):
            actions.inclusion_proof(s, 99)
    assert proof["sealed"] is False and proof["verified"] is True
    assert proof["root"] == ledger.merkle_root([e.entry_hash for e in entries])
    assert [side for _, side in proof["proof"]] == ["right", "left"]  # leaf 3 of 4


# --------------------------------------------------------------------------- the store


def test_store_round_trip_and_conflict(db_url, regulator, bonded_site):
    payload = {"note": "é\n\u2028😀", "x": [1e-7, 1e21, 0.1, -0.0, 5.0], "nested": {"b": 1, "a": 2}}
    with session_scope(db_url) as s:
        store = DatabaseLedgerStore(s)
        store.lock()
        entry = ledger.record(
            store,
            bonded_site["site"],
            "document-recorded",
            payload,
            regulator.private_key,
            regulator.name,
            now=_at(10) + dt.timedelta(microseconds=123_457),
        )
    with session_scope(db_url) as s:
        store = DatabaseLedgerStore(s)
        assert store.get_entry(entry.seq) == entry
        assert store.head() == entry
        assert store.load_entries(day=DAY)[-1] == entry
        assert entry.created_at == "2024-06-03T09:10:00.123457Z"
    conflict = r"ledger entry seq 5 is stored already: another writer appended first"
    with pytest.raises(LedgerConflictError, match=conflict), session_scope(db_url) as s:
        DatabaseLedgerStore(s).add_entry(entry)
    assert len(_entries(db_url)) == 5
    with pytest.raises(ValueError, match="site_id of a registry ledger entry must be the integer"):
        entry_to_row(ledger.append([], "S1", "created", {}, regulator.private_key, "r", now=T0))


# --------------------------------------------------------------------------- concurrency


def test_concurrent_writers_do_not_fork_the_chain(db_url, operator, bonded_site):
    bond, per_thread, amount = bonded_site["bond"], 4, 10_000.0
    errors: list[BaseException] = []

    def writer() -> None:
        for _ in range(per_thread):
            for _attempt in range(200):
                try:
                    with session_scope(db_url) as s:
                        actions.pay_deposit(s, operator, bond, amount_rub=amount, transacted_on=DAY)
                    break
                except OperationalError:  # SQLite: "database is locked"; retry
                    time.sleep(0.01)
                except LedgerConflictError as exc:  # the lock should make this impossible
                    errors.append(exc)
                    return
            else:
                errors.append(RuntimeError("gave up"))

    threads = [threading.Thread(target=writer) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors
    entries = _entries(db_url)
    deposits = [e for e in entries if e.kind == "deposit-paid"]
    assert [e.seq for e in entries] == list(range(1, len(entries) + 1))
    assert len(deposits) == 1 + 2 * per_thread
    # Serialised: each deposit's balance follows the one before it.
    held = [e.payload["held_rub"] for e in deposits]
    assert held == [2_000_000 + amount * k for k in range(len(deposits))]
    with session_scope(db_url) as s:
        assert actions.verify_registry(s).ok


@pytest.mark.postgis
def test_postgresql_second_writer_waits_for_the_first(pg_url, regulator):
    with session_scope(pg_url) as s:
        site = actions.register_site(s, regulator, name="A", region="R")
    done = threading.Event()

    def second() -> None:
        with session_scope(pg_url) as s2:
            actions.register_site(s2, regulator, name="C", region="R")
        done.set()

    with session_scope(pg_url) as s1:
        actions.record_monitoring(
            s1,
            regulator,
            site_id=site.id,
            parameter="ph",
            value=7.1,
            unit="-",
            criteria_met=True,
            period_start=DAY,
            period_end=DAY,
            source="lab",
        )
        thread = threading.Thread(target=second)
        thread.start()
        assert not done.wait(0.5)  # blocked by the first writer's lock
    thread.join(timeout=30)
    assert done.is_set()
    entries = _entries(pg_url)
    assert [(e.seq, e.kind) for e in entries] == [
        (1, "created"),
        (2, "monitoring-summary"),
        (3, "created"),
    ]
    assert entries[2].prev_hash == entries[1].entry_hash


# --------------------------------------------------------------------------- keys


def test_actor_from_keyring_creates_then_loads(tmp_path, monkeypatch):
    keys = tmp_path / "keys"
    first = actions.actor_from_keyring("regulator", keys)
    assert (keys / "regulator.pub").read_text().strip() == first.public_key
    assert stat.S_IMODE(os.stat(keys / "regulator.pem").st_mode) == 0o600
    again = actions.actor_from_keyring("regulator", keys)
    assert again.public_key == first.public_key
    monkeypatch.setenv(actions.KEYS_ENV_VAR, str(keys))
    assert actions.actor_from_keyring("regulator").public_key == first.public_key
    assert actions.resolve_keys_dir() == keys
    monkeypatch.delenv(actions.KEYS_ENV_VAR)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert actions.resolve_keys_dir() == tmp_path / "home" / ".postmine" / "keys"
    assert ledger.Keyring(keys).public_keys() == {"regulator": first.public_key}


def test_actor_from_keyring_with_passphrase(tmp_path):
    made = actions.actor_from_keyring("lab", tmp_path, passphrase=b"secret")
    again = actions.actor_from_keyring("lab", tmp_path, passphrase=b"secret")
    assert again.public_key == made.public_key
    with pytest.raises(ValueError, match="cannot read the private key"):
        actions.actor_from_keyring("lab", tmp_path, passphrase=b"wrong")


def test_actor_checks(tmp_path):
    key = ledger.generate_private_key()
    with pytest.raises(ValueError, match="actor name must be 1-300 characters, got ''"):
        Actor("", key)
    with pytest.raises(TypeError, match="private_key must be an Ed25519PrivateKey, got str"):
        Actor("regulator", "not a key")
    with pytest.raises(ValueError, match="actor must be 1-128 characters"):
        actions.actor_from_keyring("../escape", tmp_path)
    assert "private" not in repr(Actor("regulator", key))


# --------------------------------------------------------------------------- one write path


def test_operator_and_territory_are_registered_by_actions(db_url, regulator):
    with session_scope(db_url) as s:
        operator = actions.register_operator(
            s, regulator, name=" Abaza Ore JSC ", tax_id="19", now=_at(0)
        )
        territory = actions.register_territory(
            s,
            regulator,
            name="Askiz district",
            region="Khakassia",
            geometry=box(89.5, 52.5, 90.5, 53.0),
            now=_at(1),
        )
        assert (operator.name, operator.tax_id) == ("Abaza Ore JSC", "19")
        assert territory.kind == "mining-district"
        with pytest.raises(RecordValueError, match="is already registered"):
            actions.register_operator(s, regulator, name="Abaza Ore JSC", now=_at(2))
        # the refused registration left the session usable and stored nothing, no entry
        assert records.list_operators(s).total == 1
        with pytest.raises(TypeError, match=r"actor must be an actions\.Actor"):
            actions.register_territory(s, "regulator", name="T", region="R", area_ha=1.0)
        with pytest.raises(RecordValueError, match="area"):
            actions.register_territory(s, regulator, name="T", region="R", now=_at(2))
        operator_id, territory_id = operator.id, territory.id
    with session_scope(db_url) as s:
        assert records.find_operator(s, "Abaza Ore JSC") is not None
        assert records.list_territories(s).total == 1
    # one registry-wide entry each (no site), signed by the regulator
    entries = _entries(db_url)
    assert [(e.seq, e.kind, e.site_id) for e in entries] == [
        (1, "operator-registered", None),
        (2, "territory-registered", None),
    ]
    assert entries[0].payload == {
        "operator_id": operator_id,
        "name": "Abaza Ore JSC",
        "tax_id": "19",
        "public_key": None,
    }
    payload = entries[1].payload
    assert (payload["territory_id"], payload["name"], payload["region"]) == (
        territory_id,
        "Askiz district",
        "Khakassia",
    )
    assert payload["geometry"]["bbox_deg"] == [89.5, 52.5, 90.5, 53.0]
    assert payload["area_ha"] > 0
    assert all(e.public_key == regulator.public_key for e in entries)
    with session_scope(db_url) as s:
        report = actions.verify_registry(s, trusted_keys=[regulator.public_key])
    assert report.ok, str(report)
    # a site's entries never include them
    with session_scope(db_url) as s:
        site = actions.register_site(s, regulator, name="S", region="R", now=_at(3))
        assert [e.kind for e in DatabaseLedgerStore(s).load_entries(site.id)] == ["created"]


def test_site_update_is_signed_in_the_ledger(db_url, regulator, operator, bonded_site):
    with session_scope(db_url) as s:
        owner = actions.register_operator(s, regulator, name="Khakas Coal", now=_at(9))
        site = actions.update_site(
            s,
            regulator,
            bonded_site["site"],
            status="under-reclamation",
            operator_id=owner.id,
            now=_at(10),
        )
        assert (site.status, site.operator_id) == ("under-reclamation", owner.id)
        with pytest.raises(RecordValueError, match="status"):
            actions.update_site(s, regulator, bonded_site["site"], status="done", now=_at(11))
        with pytest.raises(ValueError, match="needs at least one of status"):
            actions.update_site(s, regulator, bonded_site["site"], now=_at(11))
    entries = _entries(db_url, bonded_site["site"])
    assert len(entries) == bonded_site["n_entries"] + 1  # the refused updates left no entry
    last = entries[-1]
    assert (last.kind, last.site_id) == ("site-updated", bonded_site["site"])
    assert "entity" not in last.payload and "change" not in last.payload
    assert last.payload["changed"] == ["operator_id", "status"]
    assert last.payload["status"] == "under-reclamation"
    assert last.payload["operator_id"] == owner.id
    assert last.payload["site_id"] == bonded_site["site"]


def test_object_state_and_geometry_changes_are_signed(db_url, regulator, operator, bonded_site):
    crater = bonded_site["crater"]
    with session_scope(db_url) as s:
        change = actions.change_object_state(
            s, operator, crater, state="technical-stage", changed_on=DAY, now=_at(10)
        )
        assert change.state == "technical-stage"
        bigger = box(89.93, 52.64, 89.95, 52.65)
        obj = actions.set_object_geometry(s, operator, crater, bigger, now=_at(11))
        with pytest.raises(RecordValueError, match="is already 'technical-stage'"):
            actions.change_object_state(
                s, operator, crater, state="technical-stage", changed_on=DAY, now=_at(12)
            )
    entries = _entries(db_url, bonded_site["site"])
    assert len(entries) == bonded_site["n_entries"] + 2
    assert [e.kind for e in entries[-2:]] == ["object-state-changed", "object-geometry-changed"]
    state, geometry = entries[-2].payload, entries[-1].payload
    assert (state["object_id"], state["previous_state"], state["state"]) == (
        crater,
        "disturbed",
        "technical-stage",
    )
    assert state["changed_on"] == DAY.isoformat()
    assert state["state_change_id"] == change.id
    assert geometry["object_id"] == crater
    assert geometry["area_ha"] == pytest.approx(obj.area_ha)
    assert geometry["geometry"]["bbox_deg"] == [89.93, 52.64, 89.95, 52.65]
    assert "change" not in state and "change" not in geometry


def test_a_stored_plan_result_is_signed(db_url, regulator, bonded_site):
    with session_scope(db_url) as s:
        plan = actions.store_submitted_plan(
            s,
            regulator,
            now=_at(10),
            site_id=bonded_site["site"],
            project_toml="format_version = 1\n",
            project_sha256="c" * 64,
            format_version=1,
            title="Plan",
        )
        actions.store_plan_result(
            s,
            regulator,
            plan.id,
            result={"cost": {"bond_rub": 10.0}},
            postmine_version="1.2.3",
            inputs_sha256="c" * 64,
            now=_at(11),
        )
        with pytest.raises(RecordValueError, match="computed from inputs dddddddddddd"):
            actions.store_plan_result(
                s,
                regulator,
                plan.id,
                result={},
                postmine_version="1.2.3",
                inputs_sha256="d" * 64,
                now=_at(12),
            )
        stored, plan_id = plan.result_json, plan.id
    entries = _entries(db_url, bonded_site["site"])
    assert [e.kind for e in entries[-2:]] == ["created", "plan-computed"]  # the refusal: none
    last = entries[-1]
    assert last.payload["plan_id"] == plan_id
    assert last.payload["inputs_sha256"] == "c" * 64
    assert last.payload["postmine_version"] == "1.2.3"
    assert last.payload["result_sha256"] == hashlib.sha256(stored.encode()).hexdigest()
