"""Tampering with the registry's ledger in the database is detected and named (issue 4).

A registry history of 30 entries over five UTC days (three sites, every kind of a site's
life, two actors) is written through :mod:`postmine.registry.actions`; the first four days
are sealed; ``wide_history`` appends one entry of each later kind on the open day (a site
updated, an object's state and outline changed, a plan computed, and the registry-wide
entries of an operator, a territory and a statistics import, which belong to no site). Each
test then alters the database directly with SQL, as someone with write access to it could,
and checks that :func:`~postmine.registry.actions.verify_registry` names the entry by its
``seq`` and ``kind``. Runs on SQLite and on PostgreSQL/PostGIS (``db_url``).

Independent checks: the daily roots stored in ``daily_roots`` are recomputed here with
hashlib from the ``entry_hash`` column (RFC 6962 prefixes, the odd node paired with
itself); entries are re-signed with ``cryptography`` directly.
"""

import dataclasses
import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest
from shapely.geometry import box
from sqlalchemy import select, text, update

from postmine.db import get_engine, session_scope
from postmine.registry import actions, ledger
from postmine.registry.ledger import ENTRY_KINDS, REGISTRY_WIDE_KINDS, public_key_hex
from postmine.registry.ledger.store import DatabaseLedgerStore
from postmine.registry.models import DisturbanceObject, LedgerEntry, ReclamationPlan, Site
from postmine.workflows import plans as plan_workflow

ROOT = Path(__file__).resolve().parents[3]
PR1_PROJECT = ROOT / "examples" / "pr1-coal-pit" / "project.toml"
START = dt.datetime(2024, 5, 6, 8, 0, tzinfo=dt.UTC)
OPEN_DAY = dt.date(2024, 5, 10)  # day 4: left unsealed
N_ENTRIES = 30
N_SEALED = 24  # entries of days 0-3
LAST_OF_DAY = {0: 6, 1: 12, 2: 18, 3: 24}  # seq of the last entry of each sealed day
# the kinds of a site's life the 30-entry history holds; ``wide_history`` appends the kinds of
# a record's change and the registry-wide kinds on the open day
SITE_LIFE_KINDS = ENTRY_KINDS[:8]
N_WIDE = 7  # entries ``wide_history`` appends, one of each kind after SITE_LIFE_KINDS


class Clock:
    """Times of the history: day d, one minute (and a few microseconds) per entry."""

    def __init__(self) -> None:
        self.n = 0

    def at(self, day: int) -> dt.datetime:
        self.n += 1
        return START + dt.timedelta(days=day, minutes=self.n, microseconds=13 * self.n)


@pytest.fixture
def history(db_url, tmp_path):
    """Write the 30-entry history, seal days 0-3; return the actors and the kind of each seq."""
    regulator = actions.actor_from_keyring("regulator", tmp_path / "keys")
    operator = actions.actor_from_keyring("operator", tmp_path / "keys")
    clock = Clock()
    a = actions
    with session_scope(db_url) as s:
        # day 0: sites, objects, a formation
        site_a = a.register_site(
            s,
            regulator,
            now=clock.at(0),
            name="Abaza mine",
            region="Khakassia",
            geometry=box(89.90, 52.62, 89.96, 52.66),
            registered_on=dt.date(2024, 5, 6),
        ).id
        site_b = a.register_site(
            s,
            regulator,
            now=clock.at(0),
            name="Open pit 1",
            region="Kemerovo",
            area_ha=310.0,
            registered_on=dt.date(2024, 5, 6),
        ).id
        crater = a.add_object(
            s,
            operator,
            now=clock.at(0),
            site_id=site_a,
            kind="collapse-crater",
            name="Crater 1",
            geometry=box(89.93, 52.64, 89.94, 52.65),
            state_on=dt.date(2024, 5, 6),
        ).id
        dump = a.add_object(
            s,
            operator,
            now=clock.at(0),
            site_id=site_a,
            kind="external-dump",
            name="Dump North",
            area_ha=12.5,
            volume_m3=4.2e6,
            state_on=dt.date(2024, 5, 6),
        ).id
        a.add_object(
            s,
            operator,
            now=clock.at(0),
            site_id=site_b,
            kind="pit",
            name="Pit",
            area_ha=80.0,
            state_on=dt.date(2024, 5, 6),
        )
        a.add_tmf(
            s,
            operator,
            now=clock.at(0),
            site_id=site_a,
            object_id=dump,
            name="Waste rock, dump North",
            tmf_class="mining",
            mass_t=1.2e6,
            hazard_class=5,
            year=2023,
            composition={"SiO2": 0.61, "Fe2O3": 0.12},
            recorded_on=dt.date(2024, 5, 6),
        )
        # day 1: plan and money
        plan = plan_workflow.submit_plan(
            s,
            operator,
            now=clock.at(1),
            site_id=site_a,
            project_toml=PR1_PROJECT.read_text(encoding="utf-8"),
            submitted_on=dt.date(2024, 5, 7),
        ).id
        a.approve_plan(s, regulator, plan, approved_on=dt.date(2024, 5, 7), now=clock.at(1))
        bond_a = a.create_assurance(
            s,
            regulator,
            now=clock.at(1),
            site_id=site_a,
            plan_id=plan,
            required_rub=25_000_000.0,
            required_on=dt.date(2024, 5, 7),
        ).id
        a.pay_deposit(
            s,
            operator,
            bond_a,
            amount_rub=10_000_000.0,
            transacted_on=dt.date(2024, 5, 7),
            now=clock.at(1),
        )
        bond_b = a.create_assurance(
            s,
            regulator,
            now=clock.at(1),
            site_id=site_b,
            required_rub=4_000_000.0,
            required_on=dt.date(2024, 5, 7),
        ).id
        a.pay_deposit(
            s,
            operator,
            bond_b,
            amount_rub=4_000_000.0,
            transacted_on=dt.date(2024, 5, 7),
            now=clock.at(1),
        )
        # day 2: a stage accepted by act, monitoring, two releases
        act1 = a.record_document(
            s,
            regulator,
            now=clock.at(2),
            site_id=site_a,
            kind="acceptance-act",
            title="Акт приёмки № 12/2024",
            uri="archive://abaza/acts/12-2024.pdf",
            content=b"act 12/2024",
            issued_on=dt.date(2024, 5, 8),
        ).id
        a.accept_stage(
            s,
            regulator,
            crater,
            state="technical-stage",
            changed_on=dt.date(2024, 5, 8),
            document_id=act1,
            milestone="technical stage: crater 1",
            now=clock.at(2),
        )
        a.release(
            s,
            regulator,
            bond_a,
            amount_rub=3_000_000.0,
            transacted_on=dt.date(2024, 5, 8),
            milestone="technical stage: crater 1",
            evidence_document_id=act1,
            now=clock.at(2),
        )
        for value, met in ((0.42, False), (0.71, True)):
            a.record_monitoring(
                s,
                operator,
                now=clock.at(2),
                milestone="revegetation",
                site_id=site_b,
                parameter="vegetation_cover",
                value=value,
                unit="-",
                criteria_met=met,
                period_start=dt.date(2024, 4, 1),
                period_end=dt.date(2024, 4, 30),
                source="NDVI survey",
            )
        a.release(
            s,
            regulator,
            bond_b,
            amount_rub=1_500_000.25,
            transacted_on=dt.date(2024, 5, 8),
            milestone="revegetation",
            now=clock.at(2),
        )
        # day 3
        a.pay_deposit(
            s,
            operator,
            bond_a,
            amount_rub=5_000_000.0,
            transacted_on=dt.date(2024, 5, 9),
            now=clock.at(3),
        )
        a.add_tmf(
            s,
            operator,
            now=clock.at(3),
            site_id=site_b,
            name="Overburden",
            tmf_class="mining",
            mass_t=350_000,
            hazard_class=4,
            year=2023,
            recorded_on=dt.date(2024, 5, 9),
        )
        a.record_document(
            s,
            operator,
            now=clock.at(3),
            site_id=site_b,
            kind="protocol",
            title="Протокол отбора проб № 7",
            uri="archive://kem/7.pdf",
            sha256="ab" * 32,
            issued_on=dt.date(2024, 5, 9),
        )
        a.record_monitoring(
            s,
            operator,
            now=clock.at(3),
            site_id=site_a,
            parameter="dust_pm10",
            value=38.5,
            unit="µg/m³",
            criteria_met=True,
            period_start=dt.date(2024, 5, 1),
            period_end=dt.date(2024, 5, 8),
            source="station 3",
        )
        a.forfeit(
            s,
            regulator,
            bond_b,
            amount_rub=500_000.0,
            transacted_on=dt.date(2024, 5, 9),
            note="works not done in time",
            now=clock.at(3),
        )
        site_c = a.register_site(
            s,
            regulator,
            now=clock.at(3),
            name="Old quarry",
            region="Khakassia",
            status="abandoned",
            typology="blackfield",
            area_ha=45.0,
            registered_on=dt.date(2024, 5, 9),
        ).id
        # day 4: left open
        a.add_object(
            s,
            regulator,
            now=clock.at(4),
            site_id=site_c,
            kind="collapse-crater",
            name="Crater C",
            area_ha=3.5,
            state_on=dt.date(2024, 5, 10),
        )
        bond_c = a.create_assurance(
            s,
            regulator,
            now=clock.at(4),
            site_id=site_c,
            required_rub=1_000_000.0,
            required_on=dt.date(2024, 5, 10),
        ).id
        a.pay_deposit(
            s,
            operator,
            bond_c,
            amount_rub=1_000_000.0,
            transacted_on=dt.date(2024, 5, 10),
            now=clock.at(4),
        )
        act2 = a.record_document(
            s,
            regulator,
            now=clock.at(4),
            site_id=site_a,
            kind="acceptance-act",
            title="Акт приёмки № 15/2024",
            uri="archive://abaza/acts/15-2024.pdf",
            content=b"act 15/2024",
            issued_on=dt.date(2024, 5, 10),
        ).id
        a.accept_stage(
            s,
            regulator,
            dump,
            state="technical-stage",
            changed_on=dt.date(2024, 5, 10),
            document_id=act2,
            milestone="technical stage: dump",
            now=clock.at(4),
        )
        a.release(
            s,
            regulator,
            bond_a,
            amount_rub=2_000_000.0,
            transacted_on=dt.date(2024, 5, 10),
            milestone="technical stage: dump",
            now=clock.at(4),
        )
    with session_scope(db_url) as s:
        sealed = actions.seal_days(s, before=OPEN_DAY)
    with session_scope(db_url) as s:
        kinds = {e.seq: e.kind for e in DatabaseLedgerStore(s).load_entries()}
    return {
        "url": db_url,
        "regulator": regulator,
        "operator": operator,
        "trusted": [regulator.public_key, operator.public_key],
        "kinds": kinds,
        "sealed": sealed,
    }


def _verify(history, trusted=True):
    with session_scope(history["url"]) as s:
        return actions.verify_registry(s, history["trusted"] if trusted else None)


def _sql(url, statement, **params):
    with get_engine(url).begin() as connection:
        connection.execute(text(statement), params)


def _column(url, column, seq):
    with get_engine(url).connect() as connection:
        return connection.execute(
            text(f"SELECT {column} FROM ledger_entries WHERE seq = :seq"), {"seq": seq}
        ).scalar_one()


def _codes(report, seq=None):
    return {p.code for p in report.problems if seq is None or p.seq == seq}


def _one_byte_changed(text_value: str) -> str:
    """Change one character in the middle of a payload to another of the same class."""
    for i in range(len(text_value) // 2, len(text_value)):
        c = text_value[i]
        if c.isdigit():
            return text_value[:i] + ("1" if c != "1" else "2") + text_value[i + 1 :]
        if c.isascii() and c.isalpha():
            return text_value[:i] + ("x" if c != "x" else "y") + text_value[i + 1 :]
    raise AssertionError(f"no digit or letter in the second half of {text_value!r}")


# --------------------------------------------------------------------------- untouched


def test_untouched_registry_verifies(history):
    report = _verify(history)
    assert report.ok, str(report)
    assert report.n_entries == N_ENTRIES
    assert report.n_days_checked == 4
    assert sorted(history["kinds"]) == list(range(1, N_ENTRIES + 1))
    assert set(history["kinds"].values()) == set(SITE_LIFE_KINDS)
    assert [r.n_entries for r in history["sealed"]] == [6, 6, 6, 6]
    assert [r.day for r in history["sealed"]] == [dt.date(2024, 5, 6 + d) for d in range(4)]
    assert report.head_hash == _column(history["url"], "entry_hash", N_ENTRIES)


def test_stored_daily_roots_recomputed_with_hashlib(history):
    """The roots in daily_roots, rebuilt here from the entry_hash column (RFC 6962 prefixes)."""

    def root(hashes: list[str]) -> str:
        level = [hashlib.sha256(b"\x00" + bytes.fromhex(h)).digest() for h in hashes]
        while len(level) > 1:
            if len(level) % 2:
                level.append(level[-1])
            level = [
                hashlib.sha256(b"\x01" + level[i] + level[i + 1]).digest()
                for i in range(0, len(level), 2)
            ]
        return level[0].hex()

    with get_engine(history["url"]).connect() as connection:
        hashes = connection.execute(
            text("SELECT entry_hash FROM ledger_entries ORDER BY seq")
        ).scalars()
        hashes = list(hashes)
        stored = connection.execute(
            text("SELECT day, root, n_entries FROM daily_roots ORDER BY day")
        ).all()
    for d, (_day, stored_root, n) in enumerate(stored):
        first, last = LAST_OF_DAY[d] - 5, LAST_OF_DAY[d]
        assert n == 6
        assert stored_root == root(hashes[first - 1 : last])


def test_the_chain_alone_misses_a_truncated_tail(history):
    """Why days are sealed: removing the last entries leaves a consistent shorter chain."""
    _sql(history["url"], "DELETE FROM ledger_entries WHERE seq >= :seq", seq=LAST_OF_DAY[3])
    with session_scope(history["url"]) as s:
        entries = DatabaseLedgerStore(s).load_entries()
    assert ledger.verify(entries, trusted_keys=history["trusted"]).ok  # no roots: unseen
    report = _verify(history)
    assert not report.ok
    assert (LAST_OF_DAY[3], "missing") in {(p.seq, p.code) for p in report.problems}
    assert any(
        p.code == "daily-root-mismatch" and p.day == dt.date(2024, 5, 9) for p in report.problems
    )


# --------------------------------------------------------------------------- altered


def test_one_byte_of_every_entry_is_named(history):
    url = history["url"]
    for seq, kind in history["kinds"].items():
        original = _column(url, "payload_json", seq)
        changed = _one_byte_changed(original)
        assert len(changed) == len(original) and changed != original
        _sql(
            url, "UPDATE ledger_entries SET payload_json = :p WHERE seq = :seq", p=changed, seq=seq
        )
        report = _verify(history)
        assert report.named[0] == (seq, kind), f"seq {seq}: {report}"
        assert "hash-mismatch" in _codes(report, seq) or "malformed" in _codes(report, seq)
        # Later entries may be named as consequences (a release whose evidence broke).
        assert all(p.seq is not None and p.seq >= seq for p in report.problems), str(report)
        _sql(
            url, "UPDATE ledger_entries SET payload_json = :p WHERE seq = :seq", p=original, seq=seq
        )
    assert _verify(history).ok


def test_changed_amount_is_named(history):
    seq = 10  # the first deposit of site A: 10 000 000 rub
    assert history["kinds"][seq] == "deposit-paid"
    assert '"amount_rub":10000000,' in _column(history["url"], "payload_json", seq)
    _sql(
        history["url"],
        "UPDATE ledger_entries SET payload_json = replace(payload_json, :old, :new) "
        "WHERE seq = :seq",
        old='"amount_rub":10000000,',
        new='"amount_rub":90000000,',
        seq=seq,
    )
    report = _verify(history)
    # The stored entry_hash (and so the daily root) is untouched; the contents no longer
    # hash to it.
    assert [(p.seq, p.kind, p.code) for p in report.problems] == [
        (seq, "deposit-paid", "hash-mismatch")
    ]


def test_changed_amount_with_recomputed_hash_breaks_the_signature(history):
    url, seq = history["url"], 10
    with session_scope(url) as s:
        entry = DatabaseLedgerStore(s).get_entry(seq)
    forged = dataclasses.replace(entry, payload={**entry.payload, "amount_rub": 90_000_000})
    new_hash = ledger.compute_entry_hash(forged)
    _sql(
        url,
        "UPDATE ledger_entries SET payload_json = :p, entry_hash = :h WHERE seq = :seq",
        p=forged.payload_json,
        h=new_hash,
        seq=seq,
    )
    report = _verify(history)
    assert "bad-signature" in _codes(report, seq)
    assert (seq, "deposit-paid") in report.named
    assert "broken-link" in _codes(report, seq + 1)  # the next entry linked the old hash


def test_entry_re_signed_by_another_key_is_named(history):
    """A forger who re-hashes and re-signs with their own key: untrusted key, broken link."""
    url, seq = history["url"], 10
    key = ledger.generate_private_key()
    with session_scope(url) as s:
        entry = DatabaseLedgerStore(s).get_entry(seq)
    forged = dataclasses.replace(
        entry,
        payload={**entry.payload, "amount_rub": 90_000_000},
        public_key=public_key_hex(key),
    )
    new_hash = ledger.compute_entry_hash(forged)
    signature = key.sign(bytes.fromhex(new_hash)).hex()
    _sql(
        url,
        "UPDATE ledger_entries SET payload_json = :p, entry_hash = :h, public_key = :k, "
        "signature = :g WHERE seq = :seq",
        p=forged.payload_json,
        h=new_hash,
        k=public_key_hex(key),
        g=signature,
        seq=seq,
    )
    report = _verify(history)
    assert _codes(report, seq) == {"untrusted-key"}
    assert (seq, "deposit-paid") in report.named
    assert "broken-link" in _codes(report, seq + 1)


def test_payload_rewritten_with_the_same_value_is_named(history):
    """Non-canonical text of the same JSON value hashes alike, but is named all the same."""
    url, seq = history["url"], 16
    original = _column(url, "payload_json", seq)
    spaced = json.dumps(json.loads(original), ensure_ascii=False)  # ", " and ": "
    assert spaced != original
    _sql(url, "UPDATE ledger_entries SET payload_json = :p WHERE seq = :seq", p=spaced, seq=seq)
    report = _verify(history)
    assert [(p.seq, p.kind, p.code) for p in report.problems] == [
        (seq, "monitoring-summary", "malformed")
    ]
    assert "not canonical" in report.problems[0].message


def test_changed_time_is_named(history):
    url, seq = history["url"], 20
    with session_scope(url) as s:
        created = ledger.parse_timestamp(DatabaseLedgerStore(s).get_entry(seq).created_at)
        s.execute(
            update(LedgerEntry)
            .where(LedgerEntry.seq == seq)
            .values(created_at=created + dt.timedelta(microseconds=1))
        )
    report = _verify(history)
    assert (seq, history["kinds"][seq]) in report.named
    assert "hash-mismatch" in _codes(report, seq)


# --------------------------------------------------------------------------- removed


def test_deleted_entry_is_named(history):
    seq = 14  # the stage accepted on crater 1, evidence of the release seq 15
    assert history["kinds"][seq] == "stage-accepted"
    _sql(history["url"], "DELETE FROM ledger_entries WHERE seq = :seq", seq=seq)
    report = _verify(history)
    missing = [p for p in report.problems if p.code == "missing"]
    assert [(p.seq, p.kind) for p in missing] == [(seq, None)]  # a removed entry's kind is gone
    assert "seq 14 is missing between seq 13 (document-recorded) and seq 15 (release)" in (
        missing[0].message
    )
    assert (15, "release") in {
        (p.seq, p.kind) for p in report.problems if p.code == "release-without-evidence"
    }
    assert ("daily-root-mismatch", dt.date(2024, 5, 8)) in {
        (p.code, p.day) for p in report.problems
    }


@pytest.mark.parametrize("day", [0, 1, 2, 3])
def test_deleted_last_entry_of_a_sealed_day_is_named(history, day):
    seq = LAST_OF_DAY[day]
    _sql(history["url"], "DELETE FROM ledger_entries WHERE seq = :seq", seq=seq)
    report = _verify(history)
    assert (seq, "missing") in {(p.seq, p.code) for p in report.problems}
    assert ("daily-root-mismatch", dt.date(2024, 5, 6 + day)) in {
        (p.code, p.day) for p in report.problems
    }


def test_deleted_last_entry_of_the_ledger_in_a_sealed_day_is_named(history):
    """Remove the open day, then the last sealed entry: only the daily root can tell."""
    url = history["url"]
    _sql(url, "DELETE FROM ledger_entries WHERE seq > :seq", seq=N_SEALED)
    assert _verify(history).ok  # the open day's entries are protected by the chain only
    _sql(url, "DELETE FROM ledger_entries WHERE seq = :seq", seq=N_SEALED)
    report = _verify(history)
    assert [(p.seq, p.code) for p in report.problems if p.seq is not None] == [
        (N_SEALED, "missing")
    ]
    assert "missing after seq 23 (forfeit), the last entry present of 2024-05-09" in (
        report.problems[0].message
    )


# --------------------------------------------------------------------------- reordered


def test_swapped_seq_of_two_entries_is_named(history):
    url, a, b = history["url"], 9, 12
    kind_a, kind_b = history["kinds"][a], history["kinds"][b]
    assert (kind_a, kind_b) == ("created", "deposit-paid")
    _sql(url, "UPDATE ledger_entries SET seq = 100000 WHERE seq = :a", a=a)
    _sql(url, "UPDATE ledger_entries SET seq = :a WHERE seq = :b", a=a, b=b)
    _sql(url, "UPDATE ledger_entries SET seq = :b WHERE seq = 100000", b=b)
    report = _verify(history)
    # Each row kept its contents; the seq column moved. Named by seq and kind as stored.
    assert (a, kind_b) in report.named
    assert (b, kind_a) in report.named
    assert "reordered" in _codes(report, a) | _codes(report, b)
    assert {p.seq for p in report.problems} <= {a, b, None}


def test_swapped_rows_are_named(history):
    """Swap the whole contents of two rows but keep each seq: both hashes break."""
    url, a, b = history["url"], 20, 21
    cols = [
        "site_id",
        "kind",
        "payload_json",
        "prev_hash",
        "entry_hash",
        "actor",
        "public_key",
        "signature",
        "created_at",
    ]
    with get_engine(url).begin() as connection:
        rows = {
            seq: connection.execute(
                text(f"SELECT {', '.join(cols)} FROM ledger_entries WHERE seq = :seq"), {"seq": seq}
            )
            .one()
            ._asdict()
            for seq in (a, b)
        }
        connection.execute(
            text("UPDATE ledger_entries SET entry_hash = :h WHERE seq = :s"),
            {"h": "0" * 63 + "1", "s": a},
        )
        for seq, other in ((b, a), (a, b)):
            sets = ", ".join(f"{c} = :{c}" for c in cols)
            connection.execute(
                text(f"UPDATE ledger_entries SET {sets} WHERE seq = :seq"),
                {**rows[other], "seq": seq},
            )
    report = _verify(history)
    assert (a, history["kinds"][b]) in report.named
    assert (b, history["kinds"][a]) in report.named


# --------------------------------------------------------------------------- signatures


def test_replaced_signature_is_named(history):
    url, seq = history["url"], 17
    other = _column(url, "signature", 16)
    _sql(url, "UPDATE ledger_entries SET signature = :g WHERE seq = :seq", g=other, seq=seq)
    report = _verify(history)
    assert [(p.seq, p.kind, p.code) for p in report.problems] == [
        (seq, "monitoring-summary", "bad-signature")
    ]


def test_signature_by_another_key_over_the_same_hash_is_named(history):
    url, seq = history["url"], 17
    forger = ledger.generate_private_key()
    signature = forger.sign(bytes.fromhex(_column(url, "entry_hash", seq))).hex()
    _sql(url, "UPDATE ledger_entries SET signature = :g WHERE seq = :seq", g=signature, seq=seq)
    report = _verify(history, trusted=False)
    assert [(p.seq, p.kind, p.code) for p in report.problems] == [
        (seq, "monitoring-summary", "bad-signature")
    ]


def test_altered_daily_root_is_named(history):
    _sql(
        history["url"],
        "UPDATE daily_roots SET root = :r WHERE day = :day",
        r="f" * 64,
        day=dt.date(2024, 5, 7),
    )
    report = _verify(history)
    assert [p.code for p in report.problems] == ["daily-root-mismatch"]


def test_appending_onto_a_tampered_head_is_refused(history):
    url = history["url"]
    _sql(
        url,
        "UPDATE ledger_entries SET actor = 'someone else' WHERE seq = :seq",
        seq=N_ENTRIES,
    )
    refused = r"the last entry \(seq 30, release\) does not match"
    with pytest.raises(ValueError, match=refused), session_scope(url) as s:
        actions.register_site(s, history["regulator"], name="X", region="Y")
    with session_scope(url) as s:
        assert _verify(history).named == [(N_ENTRIES, "release")]
        assert s.execute(text("SELECT COUNT(*) FROM sites")).scalar_one() == 3


# --------------------------------------------------------------------------- inclusion


def test_inclusion_proofs_verify_against_the_days_root(history):
    url = history["url"]
    with get_engine(url).connect() as connection:
        roots = {
            day if isinstance(day, dt.date) else dt.date.fromisoformat(day): root
            for day, root in connection.execute(text("SELECT day, root FROM daily_roots"))
        }
    with session_scope(url) as s:
        for seq in range(1, N_ENTRIES + 1):
            proof = actions.inclusion_proof(s, seq)
            day = dt.date.fromisoformat(proof["day"])
            assert proof["verified"]
            assert proof["sealed"] == (seq <= N_SEALED)
            if proof["sealed"]:
                assert proof["root"] == roots[day]
            assert ledger.verify_inclusion(
                proof["entry"]["entry_hash"], proof["proof"], proof["root"]
            )
            assert json.loads(json.dumps(proof)) == proof  # JSON-ready
        other = actions.inclusion_proof(s, 1)["entry"]["entry_hash"]
        proof = actions.inclusion_proof(s, 2)
        assert not ledger.verify_inclusion(other, proof["proof"], proof["root"])


def test_inclusion_proof_fails_once_a_sealed_entry_hash_is_altered(history):
    url, seq = history["url"], 14
    with session_scope(url) as s:
        entry = DatabaseLedgerStore(s).get_entry(seq)
    forged = dataclasses.replace(entry, payload={**entry.payload, "milestone": "anything"})
    _sql(
        url,
        "UPDATE ledger_entries SET payload_json = :p, entry_hash = :h WHERE seq = :seq",
        p=forged.payload_json,
        h=ledger.compute_entry_hash(forged),
        seq=seq,
    )
    with session_scope(url) as s:
        assert not actions.inclusion_proof(s, seq)["verified"]
        assert not actions.inclusion_proof(s, 15)["verified"]  # its neighbour in the tree
    assert "bad-signature" in _codes(_verify(history), seq)


# --------------------------------------------------------------------------- later kinds


@pytest.fixture
def wide_history(history, tmp_path):
    """The history and, on its open day, one entry of each kind after a site's life."""
    url, regulator, operator = history["url"], history["regulator"], history["operator"]
    clock = Clock()
    clock.n = 100  # after the history's entries of the open day
    statistics = tmp_path / "waste.csv"
    statistics.write_text(
        "# Source: 002 Table 2\ndataset,region,year,indicator,name,value,unit\n"
        "002-table-2,Kostanay,2019,hazardous_waste_stock,Stock,1156195.5,thousand t\n",
        encoding="utf-8",
    )
    with session_scope(url) as s:
        site_a = s.scalars(select(Site.id).where(Site.name == "Abaza mine")).one()
        crater, dump = (
            s.scalars(select(DisturbanceObject.id).where(DisturbanceObject.name == name)).one()
            for name in ("Crater 1", "Dump North")
        )
        plan = s.scalars(select(ReclamationPlan)).one()
        owner = actions.register_operator(s, regulator, name="Abaza Ore JSC", now=clock.at(4))
        actions.register_territory(
            s,
            regulator,
            name="Askiz district",
            region="Khakassia",
            geometry=box(89.5, 52.5, 90.5, 53.0),
            now=clock.at(4),
        )
        actions.import_statistics(s, regulator, statistics, now=clock.at(4))
        actions.update_site(s, regulator, site_a, operator_id=owner.id, now=clock.at(4))
        actions.change_object_state(
            s,
            operator,
            crater,
            state="biological-stage",
            changed_on=OPEN_DAY,
            now=clock.at(4),
        )
        actions.set_object_geometry(
            s, operator, dump, box(89.91, 52.63, 89.92, 52.64), now=clock.at(4)
        )
        actions.store_plan_result(
            s,
            regulator,
            plan.id,
            result={"meta": {}},
            postmine_version="0.0.0",
            inputs_sha256=plan.project_sha256,
            now=clock.at(4),
        )
    with session_scope(url) as s:
        entries = DatabaseLedgerStore(s).load_entries()
    return {
        **history,
        "kinds": {e.seq: e.kind for e in entries},
        "seq_of": {e.kind: e.seq for e in entries if e.seq > N_ENTRIES},
        "site_a": site_a,
    }


def test_the_later_kinds_verify_and_registry_wide_entries_name_no_site(wide_history):
    report = _verify(wide_history)
    assert report.ok, str(report)
    assert report.n_entries == N_ENTRIES + N_WIDE
    assert set(wide_history["kinds"].values()) == set(ENTRY_KINDS)
    assert list(wide_history["seq_of"]) == [*REGISTRY_WIDE_KINDS, *ENTRY_KINDS[8:12]]
    with get_engine(wide_history["url"]).connect() as connection:
        rows = connection.execute(text("SELECT kind, site_id FROM ledger_entries WHERE seq > 30"))
        site_ids = {row.kind: row.site_id for row in rows}
    assert {k for k, site in site_ids.items() if site is None} == set(REGISTRY_WIDE_KINDS)
    assert site_ids["site-updated"] == wide_history["site_a"]


def test_one_byte_of_each_later_entry_is_named(wide_history):
    url = wide_history["url"]
    for kind, seq in wide_history["seq_of"].items():
        original = _column(url, "payload_json", seq)
        changed = _one_byte_changed(original)
        _sql(
            url, "UPDATE ledger_entries SET payload_json = :p WHERE seq = :seq", p=changed, seq=seq
        )
        report = _verify(wide_history)
        assert report.named[0] == (seq, kind), f"seq {seq}: {report}"
        assert _codes(report, seq) & {"hash-mismatch", "malformed"}
        assert all(p.seq is not None and p.seq >= seq for p in report.problems), str(report)
        _sql(
            url, "UPDATE ledger_entries SET payload_json = :p WHERE seq = :seq", p=original, seq=seq
        )
    assert _verify(wide_history).ok


@pytest.mark.parametrize("kind", REGISTRY_WIDE_KINDS)
def test_a_registry_wide_entry_given_a_site_is_named(wide_history, kind):
    seq = wide_history["seq_of"][kind]
    _sql(
        wide_history["url"],
        "UPDATE ledger_entries SET site_id = :site WHERE seq = :seq",
        site=wide_history["site_a"],
        seq=seq,
    )
    report = _verify(wide_history)
    assert report.named == [(seq, kind)]
    assert _codes(report, seq) == {"malformed", "hash-mismatch"}
    assert f"registry-wide entry ({kind}) must be null" in str(report)


def test_a_sites_entry_made_registry_wide_is_named(wide_history):
    seq = wide_history["seq_of"]["site-updated"]
    _sql(wide_history["url"], "UPDATE ledger_entries SET site_id = NULL WHERE seq = :seq", seq=seq)
    report = _verify(wide_history)
    assert report.named == [(seq, "site-updated")]
    assert _codes(report, seq) == {"malformed", "hash-mismatch"}


def test_a_deleted_registry_wide_entry_is_named(wide_history):
    seq = wide_history["seq_of"]["territory-registered"]
    _sql(wide_history["url"], "DELETE FROM ledger_entries WHERE seq = :seq", seq=seq)
    report = _verify(wide_history)
    assert [(p.seq, p.kind, p.code) for p in report.problems] == [(seq, None, "missing")]
    assert f"seq {seq} is missing between seq {seq - 1} (operator-registered)" in str(report)
