"""Forensic verification of the ledger: every altered, removed or reordered entry is named.

The chain under test (``chain`` in conftest.py) has 50 entries of three sites over five UTC
days, signed by two actors. Verification runs as the registry runs it, with its assurance
rules (:data:`postmine.registry.assurance_rules.ASSURANCE_RULES`).
"""

import dataclasses
import datetime as dt
import hashlib
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from postmine.registry.assurance_rules import ASSURANCE_RULES
from postmine.registry.ledger import (
    GENESIS_HASH,
    PROBLEM_CODES,
    DailyRoot,
    Entry,
    Keyring,
    build_entry,
    compute_entry_hash,
    daily_root_records,
    daily_roots,
    format_timestamp,
    public_key_hex,
    verify,
)


def _key(name: str) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(hashlib.sha256(name.encode()).digest())


OPERATOR = _key("operator")
MALLORY = _key("mallory")
TRUSTED = [public_key_hex(OPERATOR), public_key_hex(_key("regulator"))]
T0 = dt.datetime(2024, 6, 1, 9, 0, tzinfo=dt.UTC)
N_ENTRIES = 50  # of the chain of conftest.py


def check(entries, daily_roots=None, trusted_keys=None):
    """Verify as the registry does: with its assurance rules."""
    return verify(entries, daily_roots, trusted_keys, rules=ASSURANCE_RULES)


def _seqs(report, code=None) -> set:
    return {p.seq for p in report.problems if code is None or p.code == code}


# --------------------------------------------------------------------------- one-byte changes

FIELDS = [f.name for f in dataclasses.fields(Entry)]
# Where in the field's text the byte is changed: first, middle, last character.
CHAR_POSITIONS = [0.0, 0.5, 1.0]
# Which entry is changed: the first, one in the middle (a stage acceptance), the last.
ENTRY_INDICES = [0, 24, N_ENTRIES - 1]


def _bump(char: str) -> str:
    """Another character of the same class, so the field keeps its form where it can."""
    for alphabet in ("0123456789", "abcdef", "ghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ"):
        if char in alphabet:
            return alphabet[(alphabet.index(char) + 1) % len(alphabet)]
    return "_"


def _tamper(entry: Entry, name: str, where: float) -> Entry:
    """Change one byte (one ASCII character) of one field of an entry."""
    if name == "payload":
        text = entry.payload_json
        spots = [i for i, c in enumerate(text) if c.isascii() and c.isalnum()]
        start = round(where * (len(spots) - 1))
        for i in spots[start:] + spots[:start]:
            try:
                changed = json.loads(text[:i] + _bump(text[i]) + text[i + 1 :])
            except json.JSONDecodeError:
                continue  # the change broke the JSON (e.g. 'true'); take the next character
            if changed != entry.payload:
                return dataclasses.replace(entry, payload=changed)
        raise AssertionError("no one-byte change of the payload found")
    text = str(getattr(entry, name))
    i = round(where * (len(text) - 1))
    changed = text[:i] + _bump(text[i]) + text[i + 1 :]
    assert len(changed.encode()) == len(text.encode())
    return dataclasses.replace(entry, **{name: int(changed) if name == "seq" else changed})


@pytest.mark.parametrize("index", ENTRY_INDICES)
@pytest.mark.parametrize("where", CHAR_POSITIONS)
@pytest.mark.parametrize("name", FIELDS)
def test_one_byte_change_is_named(chain, name, where, index):
    tampered = _tamper(chain[index], name, where)
    assert tampered != chain[index]
    entries = [*chain[:index], tampered, *chain[index + 1 :]]
    report = check(entries)
    assert not report.ok
    named = {
        (p.seq, p.kind)
        for p in report.problems
        if p.code in ("malformed", "hash-mismatch", "bad-signature", "broken-link")
    }
    assert (tampered.seq, tampered.kind) in named, str(report)
    if name != "seq":
        # No entry before the changed one is accused.
        assert min(s for s in _seqs(report) if s is not None) == chain[index].seq, str(report)


def test_altered_hash_does_not_accuse_the_successor(chain):
    tampered = _tamper(chain[20], "entry_hash", 0.5)
    report = check([*chain[:20], tampered, *chain[21:]])
    assert _seqs(report) == {21}
    assert {p.code for p in report.problems} == {"hash-mismatch", "bad-signature"}


def test_altered_payload_recomputed_hash_breaks_signature(chain):
    # Change the amount and recompute the hash: the signature no longer matches.
    entry = chain[6]
    forged = dataclasses.replace(entry, payload={**entry.payload, "amount_rub": 1.0})
    forged = dataclasses.replace(forged, entry_hash=compute_entry_hash(forged))
    report = check([*chain[:6], forged, *chain[7:]])
    codes = {(p.seq, p.code) for p in report.problems}
    assert (7, "bad-signature") in codes
    assert (8, "broken-link") in codes  # entry 8 still links to the original entry 7


def test_uppercase_hex_is_a_change(chain):
    # bytes.fromhex would read "A" and "a" alike; the ledger allows lowercase only.
    entry = chain[3]
    i = next(i for i, c in enumerate(entry.signature) if c in "abcdef")
    upper = entry.signature[:i] + entry.signature[i].upper() + entry.signature[i + 1 :]
    report = check([*chain[:3], dataclasses.replace(entry, signature=upper), *chain[4:]])
    assert [(p.seq, p.code) for p in report.problems] == [(4, "malformed"), (4, "bad-signature")]


# --------------------------------------------------------------------------- removed entries


@pytest.mark.parametrize("index", [0, 1, 24, N_ENTRIES - 2])
def test_deleted_entry_is_named(chain, index):
    entries = chain[:index] + chain[index + 1 :]
    report = check(entries)
    missing = [p for p in report.problems if p.code == "missing"]
    assert [(p.seq, p.kind) for p in missing] == [(chain[index].seq, None)], str(report)
    assert f"seq {chain[index].seq} is missing" in missing[0].message
    others = _seqs(report) - _seqs(report, "release-without-evidence")
    assert others == {chain[index].seq}
    if chain[index].kind == "stage-accepted":
        # The release that followed has lost its evidence and is named as well.
        assert _seqs(report, "release-without-evidence") == {chain[index].seq + 1}


def test_deleted_run_is_named_as_range(chain):
    report = check(chain[:10] + chain[13:])
    assert [(p.seq, p.code) for p in report.problems] == [(11, "missing")]
    assert "entries seq 11-13 are missing between seq 10" in report.problems[0].message


def test_truncated_tail_passes_without_roots(chain):
    # Removing the last entries leaves a consistent chain: only stored roots reveal it.
    assert check(chain[:-3]).ok


def test_truncated_tail_named_by_daily_root_records(chain, roots):
    report = check(chain[:-3], roots)
    missing = [p for p in report.problems if p.code == "missing"]
    assert [(p.seq, p.kind, p.day) for p in missing] == [(48, None, dt.date(2024, 5, 10))]
    assert "entries seq 48-50 are missing after seq 47" in missing[0].message
    mismatch = [p for p in report.problems if p.code == "daily-root-mismatch"]
    assert [p.day for p in mismatch] == [dt.date(2024, 5, 10)]


def test_truncated_tail_named_by_plain_roots(chain):
    report = check(chain[:-1], daily_roots(chain))
    assert [(p.code, p.day) for p in report.problems] == [
        ("daily-root-mismatch", dt.date(2024, 5, 10))
    ]
    assert "(seq 41-49)" in report.problems[0].message


def test_truncated_whole_days_named(chain, roots):
    report = check(chain[:30], roots)
    orphans = [p for p in report.problems if p.code == "daily-root-orphan"]
    assert [(p.seq, p.day) for p in orphans] == [
        (31, dt.date(2024, 5, 9)),
        (41, dt.date(2024, 5, 10)),
    ]
    assert "entries seq 31-40 were removed" in orphans[0].message


def test_altered_stored_root_and_missing_root(chain, roots):
    bad = [*roots[:2], dataclasses.replace(roots[2], root="0" * 64), *roots[3:]]
    report = check(chain, bad)
    assert [(p.code, p.day) for p in report.problems] == [
        ("daily-root-mismatch", dt.date(2024, 5, 8))
    ]
    report = check(chain, [r for r in roots if r.day != dt.date(2024, 5, 8)])
    assert [(p.code, p.day) for p in report.problems] == [
        ("daily-root-missing", dt.date(2024, 5, 8))
    ]
    report = check(chain, [dataclasses.replace(roots[0], n_entries=11), *roots[1:]])
    assert [p.code for p in report.problems] == ["daily-root-mismatch"]
    assert "n_entries = 11" in report.problems[0].message


# --------------------------------------------------------------------------- reordering


@pytest.mark.parametrize(("a", "b"), [(0, 1), (20, 21), (10, 30), (48, 49)])
def test_swapped_entries_are_named(chain, a, b):
    entries = list(chain)
    entries[a], entries[b] = entries[b], entries[a]
    report = check(entries)
    reordered = {(p.seq, p.kind) for p in report.problems if p.code == "reordered"}
    assert reordered == {(chain[a].seq, chain[a].kind), (chain[b].seq, chain[b].kind)}, str(report)
    assert _seqs(report) == {chain[a].seq, chain[b].seq}


def test_moved_entry_is_the_only_one_named(chain):
    entries = [*chain[:10], *chain[11:20], chain[10], *chain[20:]]
    report = check(entries)
    assert [(p.seq, p.code) for p in report.problems] == [(11, "reordered")]
    assert "links it after seq 10" in report.problems[0].message


def test_swapped_seq_values_are_named(chain):
    # In a database ordered by seq, swapping the seq of two rows reorders them.
    a = dataclasses.replace(chain[20], seq=chain[21].seq)
    b = dataclasses.replace(chain[21], seq=chain[20].seq)
    entries = sorted([*chain[:20], a, b, *chain[22:]], key=lambda e: e.seq)
    report = check(entries)
    named = {(p.seq, p.kind) for p in report.problems}
    assert named == {(a.seq, a.kind), (b.seq, b.kind)}
    assert {p.code for p in report.problems} == {"hash-mismatch", "reordered"}


def test_duplicated_entry_is_named(chain):
    report = check([*chain[:15], chain[14], *chain[15:]])
    assert [(p.seq, p.code) for p in report.problems] == [(15, "duplicate")]


def test_reordered_days_change_their_roots(chain, roots):
    entries = list(chain)
    entries[3], entries[4] = entries[4], entries[3]
    report = check(entries, roots)
    assert ("daily-root-mismatch", dt.date(2024, 5, 6)) in {
        (p.code, p.day) for p in report.problems
    }


def test_seq_changed_in_a_seq_ordered_store_is_named(chain):
    # A database returns rows ORDER BY seq: the changed entry moves and duplicates a seq.
    tampered = dataclasses.replace(chain[24], seq=35)
    entries = sorted([*chain[:24], tampered, *chain[25:]], key=lambda e: e.seq)
    report = check(entries)
    codes = {p.code for p in report.problems if (p.seq, p.kind) == (35, "stage-accepted")}
    assert codes == {"hash-mismatch", "reordered", "duplicate"}
    assert (35, "monitoring-summary") not in report.named  # the genuine seq 35 is not accused


def _forge(specs) -> list[Entry]:
    """Entries hashed and signed without append's checks: (seq, kind, created_at) each."""
    entries: list[Entry] = []
    for seq, kind, moment in specs:
        prev = entries[-1].entry_hash if entries else GENESIS_HASH
        entries.append(
            build_entry(seq, prev, "S1", kind, {}, OPERATOR, "op", format_timestamp(moment))
        )
    return entries


def test_time_running_backwards_is_named():
    entries = _forge([(1, "created", T0), (2, "forfeit", T0 - dt.timedelta(hours=1))])
    report = check(entries)
    assert [(p.seq, p.kind, p.code) for p in report.problems] == [(2, "forfeit", "time-order")]


def test_seq_not_following_is_named():
    entries = _forge([(1, "created", T0), (3, "forfeit", T0), (4, "forfeit", T0)])
    report = check(entries)
    assert [(p.seq, p.code) for p in report.problems] == [(3, "bad-seq")]
    report = check(_forge([(2, "created", T0)]))
    assert [(p.seq, p.code) for p in report.problems] == [(2, "bad-seq")]


def test_malformed_fields_are_named_without_crashing(chain):
    junk = dataclasses.replace(
        chain[5],
        seq=None,
        payload=None,
        prev_hash=None,
        entry_hash=None,
        public_key="",
        signature=7,
        created_at="yesterday",
        kind="sold",
    )
    report = check([*chain[:5], junk, *chain[6:]], daily_root_records(chain))
    malformed = [p.message for p in report.problems if p.code == "malformed"]
    assert len(malformed) == 8  # all but site_id and actor
    assert any("created_at must be UTC" in m for m in malformed)
    assert not report.ok


def test_empty_ledger():
    report = check([])
    assert report.ok
    assert report.head_hash is None
    report = check([], [DailyRoot(dt.date(2024, 5, 6), "ab" * 32, 4)])
    assert [(p.seq, p.code) for p in report.problems] == [(1, "daily-root-orphan")]


# --------------------------------------------------------------------------- keys and signers


def _resign(entries: list[Entry], start: int, key: Ed25519PrivateKey) -> list[Entry]:
    """Forge the chain from ``start`` on: every entry rebuilt and signed with ``key``."""
    forged = list(entries[:start])
    for entry in entries[start:]:
        prev = forged[-1].entry_hash if forged else GENESIS_HASH
        forged.append(
            build_entry(
                entry.seq,
                prev,
                entry.site_id,
                entry.kind,
                entry.payload,
                key,
                "mallory",
                entry.created_at,
            )
        )
    return forged


def test_resigned_tail_named_with_trusted_keys(chain, roots):
    forged = _resign(chain, 30, MALLORY)
    assert check(forged).ok  # consistent in itself: the key must be checked
    report = check(forged, trusted_keys=[k.upper() for k in TRUSTED])
    assert _seqs(report, "untrusted-key") == set(range(31, N_ENTRIES + 1))
    assert _seqs(report) == set(range(31, N_ENTRIES + 1))
    assert public_key_hex(MALLORY) in report.problems[0].message
    days = {p.day for p in check(forged, roots).problems}
    assert days == {dt.date(2024, 5, 9), dt.date(2024, 5, 10)}


def test_resigned_single_entry_named(chain):
    forged = _resign(chain[:26], 25, MALLORY) + chain[26:]
    report = check(forged, trusted_keys=TRUSTED)
    assert [(p.seq, p.code) for p in report.problems] == [
        (26, "untrusted-key"),
        (27, "broken-link"),
    ]


def test_keyring_as_trusted_keys(tmp_path, chain):
    ring = Keyring(tmp_path / "keys")
    key = ring.create("regulator")
    assert ring.actors() == ["regulator"]
    assert ring.public_keys() == {"regulator": public_key_hex(key)}
    assert public_key_hex(ring.load("regulator")) == public_key_hex(key)
    report = check(chain, trusted_keys=ring.public_keys().values())
    assert _seqs(report, "untrusted-key") == {e.seq for e in chain}


# --------------------------------------------------------------------------- the report


def test_report_as_dict_and_text(chain):
    report = check(chain[:5] + chain[6:])
    data = report.as_dict()
    assert data["ok"] is False
    assert data["problems"][0] == {
        "seq": 6,
        "kind": None,
        "code": "missing",
        "message": report.problems[0].message,
        "day": None,
    }
    assert "[missing] entry seq 6 is missing between seq 5 (plan-approved)" in str(report)
    assert report.named == [(6, None)]
    assert set(PROBLEM_CODES) >= {p.code for p in report.problems}
