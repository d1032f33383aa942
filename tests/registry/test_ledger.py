"""Tamper-evidence of the registry's ledger (issue 4, point 4).

The chain under test has 50 entries of three sites over five UTC days, signed by two
actors. Independent checks: the RFC 8785 (JCS) number vectors of its Appendix B, its
key-sorting example and the sample of the JCS reference implementation; the entry hash
recomputed with hashlib and the standard json module; signatures checked with cryptography
directly; Merkle roots of small trees computed by hand with hashlib.
"""

import dataclasses
import datetime as dt
import hashlib
import itertools
import json
import os
import stat
import struct

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from postmine.registry import ledger
from postmine.registry.ledger import (
    ENTRY_KINDS,
    GENESIS_HASH,
    DailyRoot,
    Entry,
    Keyring,
    MemoryStore,
    append,
    canonical_bytes,
    canonical_json,
    check_release_allowed,
    compute_entry_hash,
    daily_root_records,
    daily_roots,
    entry_day,
    format_timestamp,
    inclusion_proof,
    load_private_key,
    merkle_root,
    parse_canonical_json,
    public_key_hex,
    record,
    save_private_key,
    seal_days,
    verify,
    verify_inclusion,
    verify_store,
)


def _key(name: str) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(hashlib.sha256(name.encode()).digest())


OPERATOR = _key("operator")
REGULATOR = _key("regulator")
MALLORY = _key("mallory")
TRUSTED = [public_key_hex(OPERATOR), public_key_hex(REGULATOR)]
START = dt.datetime(2024, 5, 6, 8, 0, tzinfo=dt.UTC)
N_ENTRIES = 50
PER_DAY = 10


def _act(number: int) -> dict:
    text = f"Акт приёмки №{number}"
    return {"reference": text, "sha256": hashlib.sha256(text.encode()).hexdigest()}


def _spec(i: int) -> tuple[str, str, dict, Ed25519PrivateKey, str]:
    """Site, kind, payload, key and actor of entry i (0-based): a varied but fixed history."""
    site = f"site-{i % 3 + 1:02d}"
    if i < 3:
        return site, "created", {"name": f"Участок {i}", "area_ha": 12.75 + i}, OPERATOR, "op"
    if i < 6:
        plan = {"project": f"plan-{i}.toml", "volume_m3": [1.5e6, 2e-3, 7], "ok": True}
        return site, "plan-approved", plan, REGULATOR, "regulator"
    step = (i - 6) % 8
    milestone = f"stage-{(i - 6) // 8}"
    if step == 0:
        return site, "deposit-paid", {"amount_rub": 1_250_000.5 + i}, OPERATOR, "op"
    if step == 1:
        doc = {"document": _act(i), "title": "Протокол"}
        return site, "document-recorded", doc, OPERATOR, "op"
    if step == 2:
        payload = {"milestone": milestone, "acceptance_act": _act(i)}
        return "site-01", "stage-accepted", payload, REGULATOR, "regulator"
    if step == 3:
        payload = {"milestone": milestone, "amount_rub": 400_000}
        return "site-01", "release", payload, REGULATOR, "regulator"
    if step == 4:
        payload = {"milestone": milestone, "criteria_met": False, "ndvi": 0.31}
        return "site-02", "monitoring-summary", payload, OPERATOR, "op"
    if step == 5:
        payload = {"milestone": milestone, "criteria_met": True, "ndvi": 0.62}
        return "site-02", "monitoring-summary", payload, OPERATOR, "op"
    if step == 6:
        payload = {"milestone": milestone, "amount_rub": 150_000.25}
        return "site-02", "release", payload, REGULATOR, "regulator"
    return (
        "site-03",
        "forfeit",
        {"amount_rub": 99_000, "reason": "abandoned"},
        REGULATOR,
        "regulator",
    )


def _time(i: int) -> dt.datetime:
    return START + dt.timedelta(days=i // PER_DAY, hours=i % PER_DAY, microseconds=7 * i)


def _build_chain() -> list[Entry]:
    chain: list[Entry] = []
    for i in range(N_ENTRIES):
        site, kind, payload, key, actor = _spec(i)
        chain.append(append(chain, site, kind, payload, key, actor, now=_time(i)))
    return chain


@pytest.fixture(scope="module")
def chain() -> list[Entry]:
    return _build_chain()


@pytest.fixture(scope="module")
def roots(chain) -> list[DailyRoot]:
    return daily_root_records(chain)


def _seqs(report, code=None) -> set:
    return {p.seq for p in report.problems if code is None or p.code == code}


# --------------------------------------------------------------------------- the intact chain


def test_chain_verifies(chain, roots):
    report = verify(chain, roots, TRUSTED)
    assert report.ok, str(report)
    assert report.n_entries == N_ENTRIES
    assert report.n_days_checked == N_ENTRIES // PER_DAY
    assert report.head_hash == chain[-1].entry_hash
    assert [e.seq for e in chain] == list(range(1, N_ENTRIES + 1))
    assert {e.kind for e in chain} == set(ENTRY_KINDS)
    assert [r.n_entries for r in roots] == [PER_DAY] * (N_ENTRIES // PER_DAY)


def test_chain_links_and_genesis(chain):
    assert chain[0].prev_hash == GENESIS_HASH == "0" * 64
    for before, after in itertools.pairwise(chain):
        assert after.prev_hash == before.entry_hash


def test_entry_hash_and_signature_recomputed_independently(chain):
    # Entry 1 has no float in its payload except 12.75, which json and RFC 8785 both
    # write as 12.75, and only BMP keys, so the standard json module gives the same bytes.
    entry = chain[0]
    fields = {k: v for k, v in entry.as_dict().items() if k not in ("entry_hash", "signature")}
    text = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert canonical_bytes(entry) == text.encode("utf-8")
    expected = hashlib.sha256(bytes(32) + text.encode("utf-8")).hexdigest()
    assert entry.entry_hash == expected
    for e in chain:
        public = Ed25519PublicKey.from_public_bytes(bytes.fromhex(e.public_key))
        public.verify(bytes.fromhex(e.signature), bytes.fromhex(e.entry_hash))  # raises if bad


def test_created_at_is_utc_iso(chain):
    assert chain[0].created_at == "2024-05-06T08:00:00.000000Z"
    assert chain[13].created_at == "2024-05-07T11:00:00.000091Z"
    assert entry_day(chain[13]) == dt.date(2024, 5, 7)


# --------------------------------------------------------------------------- canonical JSON

# RFC 8785, Appendix B: IEEE 754 binary64 value (hex) and its canonical JSON number.
RFC8785_NUMBERS = [
    ("0000000000000000", "0"),
    ("8000000000000000", "0"),  # minus zero
    ("0000000000000001", "5e-324"),  # min positive subnormal
    ("8000000000000001", "-5e-324"),
    ("7fefffffffffffff", "1.7976931348623157e+308"),  # max double
    ("ffefffffffffffff", "-1.7976931348623157e+308"),
    ("4340000000000000", "9007199254740992"),  # 2**53
    ("c340000000000000", "-9007199254740992"),
    ("4430000000000000", "295147905179352830000"),  # ~2**68
    ("44b52d02c7e14af5", "9.999999999999997e+22"),
    ("44b52d02c7e14af6", "1e+23"),
    ("44b52d02c7e14af7", "1.0000000000000001e+23"),
    ("444b1ae4d6e2ef4e", "999999999999999700000"),
    ("444b1ae4d6e2ef4f", "999999999999999900000"),
    ("444b1ae4d6e2ef50", "1e+21"),
    ("3eb0c6f7a0b5ed8c", "9.999999999999997e-7"),
    ("3eb0c6f7a0b5ed8d", "0.000001"),
    ("41b3de4355555553", "333333333.3333332"),
    ("41b3de4355555554", "333333333.33333325"),
    ("41b3de4355555555", "333333333.3333333"),
    ("41b3de4355555556", "333333333.3333334"),
    ("41b3de4355555557", "333333333.33333343"),
    ("becbf647612f3696", "-0.0000033333333333333333"),
    ("43143ff3c1cb0959", "1424953923781206.2"),  # round to even
]


@pytest.mark.parametrize(("ieee754", "expected"), RFC8785_NUMBERS)
def test_number_format_rfc8785_appendix_b(ieee754, expected):
    value = struct.unpack(">d", bytes.fromhex(ieee754))[0]
    assert canonical_json(value) == expected
    assert canonical_json([value]) == f"[{expected}]"


@pytest.mark.parametrize("ieee754", ["7fffffffffffffff", "7ff0000000000000", "fff0000000000000"])
def test_nan_and_infinity_refused(ieee754):
    value = struct.unpack(">d", bytes.fromhex(ieee754))[0]
    with pytest.raises(ValueError, match=r"\$\.x\[1\]: numbers must be finite"):
        canonical_json({"x": [1, value]})


def test_jcs_reference_sample():
    # Sample of the JCS reference implementation (cyberphone/json-canonicalization README).
    text = (
        '{"numbers": [1E30,4.50,6,2e-3,0.000000000000000000000000001],'
        ' "escaping": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",'
        ' "other":  [null, true, false]}'
    )
    expected = (
        '{"escaping":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/",'
        '"numbers":[1e+30,4.5,6,0.002,1e-27],"other":[null,true,false]}'
    )
    assert canonical_json(json.loads(text)) == expected


def test_key_order_is_utf16_rfc8785_example():
    # RFC 8785, section 3.2.3: property sorting by UTF-16 code units.
    data = {
        "\u20ac": "Euro Sign",
        "\r": "Carriage Return",
        "\ufb33": "Hebrew Letter Dalet With Dagesh",
        "1": "One",
        "\U0001f600": "Emoji: Grinning Face",
        "\u0080": "Control",
        "\u00f6": "Latin Small Letter O With Diaeresis",
    }
    values = list(json.loads(canonical_json(data)).values())
    assert values == [
        "Carriage Return",
        "One",
        "Control",
        "Latin Small Letter O With Diaeresis",
        "Euro Sign",
        "Emoji: Grinning Face",
        "Hebrew Letter Dalet With Dagesh",
    ]


@pytest.mark.parametrize(
    ("value", "match"),
    [
        ({"n": 2**53}, r"\$\.n must be an integer within \+-\(2\*\*53 - 1\)"),
        ({1: "a"}, r"\$ has a key that is not a string: 1"),
        ({"s": {1, 2}}, r"\$\.s must be JSON .* got set"),
        ({"s": "\ud800"}, r"\$\.s is not valid Unicode \(lone surrogate\)"),
    ],
)
def test_canonical_json_refuses(value, match):
    with pytest.raises(ValueError, match=match):
        canonical_json(value)


def test_integral_floats_hash_like_integers():
    # A payload that comes back from a JSON column with 5.0 as 5 keeps its hash.
    assert canonical_json({"a": 5.0, "b": -0.0}) == canonical_json({"a": 5, "b": 0})


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ('{"b":1,"a":2}', "not canonical"),
        ('{"a":5.0}', "not canonical"),
        ('{"a":"\\u00e9"}', "not canonical"),
        ('{"a":"\\u001F"}', "not canonical"),
        ('{"a":1,"a":2}', "not canonical"),
        ('{"a":NaN}', "holds NaN"),
        ('{"a":', "does not parse"),
    ],
)
def test_parse_canonical_json_refuses(text, match):
    with pytest.raises(ValueError, match=match):
        parse_canonical_json(text)


def test_payload_json_round_trip(chain):
    for entry in chain:
        data = entry.as_dict()
        data.pop("payload")
        data["payload_json"] = entry.payload_json
        assert Entry.from_dict(data) == entry


def test_from_dict_names_missing_fields():
    with pytest.raises(ValueError, match=r"lacks the field.*seq.*payload"):
        Entry.from_dict({"site_id": "x"})


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
    report = verify(entries)
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
    report = verify([*chain[:20], tampered, *chain[21:]])
    assert _seqs(report) == {21}
    assert {p.code for p in report.problems} == {"hash-mismatch", "bad-signature"}


def test_altered_payload_recomputed_hash_breaks_signature(chain):
    # Change the amount and recompute the hash: the signature no longer matches.
    entry = chain[6]
    forged = dataclasses.replace(entry, payload={**entry.payload, "amount_rub": 1.0})
    forged = dataclasses.replace(forged, entry_hash=compute_entry_hash(forged))
    report = verify([*chain[:6], forged, *chain[7:]])
    codes = {(p.seq, p.code) for p in report.problems}
    assert (7, "bad-signature") in codes
    assert (8, "broken-link") in codes  # entry 8 still links to the original entry 7


def test_uppercase_hex_is_a_change(chain):
    # bytes.fromhex would read "A" and "a" alike; the ledger allows lowercase only.
    entry = chain[3]
    i = next(i for i, c in enumerate(entry.signature) if c in "abcdef")
    upper = entry.signature[:i] + entry.signature[i].upper() + entry.signature[i + 1 :]
    report = verify([*chain[:3], dataclasses.replace(entry, signature=upper), *chain[4:]])
    assert [(p.seq, p.code) for p in report.problems] == [(4, "malformed"), (4, "bad-signature")]


# --------------------------------------------------------------------------- removed entries


@pytest.mark.parametrize("index", [0, 1, 24, N_ENTRIES - 2])
def test_deleted_entry_is_named(chain, index):
    entries = chain[:index] + chain[index + 1 :]
    report = verify(entries)
    missing = [p for p in report.problems if p.code == "missing"]
    assert [(p.seq, p.kind) for p in missing] == [(chain[index].seq, None)], str(report)
    assert f"seq {chain[index].seq} is missing" in missing[0].message
    others = _seqs(report) - _seqs(report, "release-without-evidence")
    assert others == {chain[index].seq}
    if chain[index].kind == "stage-accepted":
        # The release that followed has lost its evidence and is named as well.
        assert _seqs(report, "release-without-evidence") == {chain[index].seq + 1}


def test_deleted_run_is_named_as_range(chain):
    report = verify(chain[:10] + chain[13:])
    assert [(p.seq, p.code) for p in report.problems] == [(11, "missing")]
    assert "entries seq 11-13 are missing between seq 10" in report.problems[0].message


def test_truncated_tail_passes_without_roots(chain):
    # Removing the last entries leaves a consistent chain: only stored roots reveal it.
    assert verify(chain[:-3]).ok


def test_truncated_tail_named_by_daily_root_records(chain, roots):
    report = verify(chain[:-3], roots)
    missing = [p for p in report.problems if p.code == "missing"]
    assert [(p.seq, p.kind, p.day) for p in missing] == [(48, None, dt.date(2024, 5, 10))]
    assert "entries seq 48-50 are missing after seq 47" in missing[0].message
    mismatch = [p for p in report.problems if p.code == "daily-root-mismatch"]
    assert [p.day for p in mismatch] == [dt.date(2024, 5, 10)]


def test_truncated_tail_named_by_plain_roots(chain):
    report = verify(chain[:-1], daily_roots(chain))
    assert [(p.code, p.day) for p in report.problems] == [
        ("daily-root-mismatch", dt.date(2024, 5, 10))
    ]
    assert "(seq 41-49)" in report.problems[0].message


def test_truncated_whole_days_named(chain, roots):
    report = verify(chain[:30], roots)
    orphans = [p for p in report.problems if p.code == "daily-root-orphan"]
    assert [(p.seq, p.day) for p in orphans] == [
        (31, dt.date(2024, 5, 9)),
        (41, dt.date(2024, 5, 10)),
    ]
    assert "entries seq 31-40 were removed" in orphans[0].message


def test_altered_stored_root_and_missing_root(chain, roots):
    bad = [*roots[:2], dataclasses.replace(roots[2], root="0" * 64), *roots[3:]]
    report = verify(chain, bad)
    assert [(p.code, p.day) for p in report.problems] == [
        ("daily-root-mismatch", dt.date(2024, 5, 8))
    ]
    report = verify(chain, [r for r in roots if r.day != dt.date(2024, 5, 8)])
    assert [(p.code, p.day) for p in report.problems] == [
        ("daily-root-missing", dt.date(2024, 5, 8))
    ]
    report = verify(chain, [dataclasses.replace(roots[0], n_entries=11), *roots[1:]])
    assert [p.code for p in report.problems] == ["daily-root-mismatch"]
    assert "n_entries = 11" in report.problems[0].message


# --------------------------------------------------------------------------- reordering


@pytest.mark.parametrize(("a", "b"), [(0, 1), (20, 21), (10, 30), (48, 49)])
def test_swapped_entries_are_named(chain, a, b):
    entries = list(chain)
    entries[a], entries[b] = entries[b], entries[a]
    report = verify(entries)
    reordered = {(p.seq, p.kind) for p in report.problems if p.code == "reordered"}
    assert reordered == {(chain[a].seq, chain[a].kind), (chain[b].seq, chain[b].kind)}, str(report)
    assert _seqs(report) == {chain[a].seq, chain[b].seq}


def test_moved_entry_is_the_only_one_named(chain):
    entries = [*chain[:10], *chain[11:20], chain[10], *chain[20:]]
    report = verify(entries)
    assert [(p.seq, p.code) for p in report.problems] == [(11, "reordered")]
    assert "links it after seq 10" in report.problems[0].message


def test_swapped_seq_values_are_named(chain):
    # In a database ordered by seq, swapping the seq of two rows reorders them.
    a = dataclasses.replace(chain[20], seq=chain[21].seq)
    b = dataclasses.replace(chain[21], seq=chain[20].seq)
    entries = sorted([*chain[:20], a, b, *chain[22:]], key=lambda e: e.seq)
    report = verify(entries)
    named = {(p.seq, p.kind) for p in report.problems}
    assert named == {(a.seq, a.kind), (b.seq, b.kind)}
    assert {p.code for p in report.problems} == {"hash-mismatch", "reordered"}


def test_duplicated_entry_is_named(chain):
    report = verify([*chain[:15], chain[14], *chain[15:]])
    assert [(p.seq, p.code) for p in report.problems] == [(15, "duplicate")]


def test_reordered_days_change_their_roots(chain, roots):
    entries = list(chain)
    entries[3], entries[4] = entries[4], entries[3]
    report = verify(entries, roots)
    assert ("daily-root-mismatch", dt.date(2024, 5, 6)) in {
        (p.code, p.day) for p in report.problems
    }


def test_seq_changed_in_a_seq_ordered_store_is_named(chain):
    # A database returns rows ORDER BY seq: the changed entry moves and duplicates a seq.
    tampered = dataclasses.replace(chain[24], seq=35)
    entries = sorted([*chain[:24], tampered, *chain[25:]], key=lambda e: e.seq)
    report = verify(entries)
    codes = {p.code for p in report.problems if (p.seq, p.kind) == (35, "stage-accepted")}
    assert codes == {"hash-mismatch", "reordered", "duplicate"}
    assert (35, "monitoring-summary") not in report.named  # the genuine seq 35 is not accused


def _forge(specs) -> list[Entry]:
    """Entries hashed and signed without append's checks: (seq, kind, created_at) each."""
    entries: list[Entry] = []
    for seq, kind, moment in specs:
        prev = entries[-1].entry_hash if entries else GENESIS_HASH
        entries.append(
            ledger._build_entry(seq, prev, "S1", kind, {}, OPERATOR, "op", format_timestamp(moment))
        )
    return entries


def test_time_running_backwards_is_named():
    entries = _forge([(1, "created", T0), (2, "forfeit", T0 - dt.timedelta(hours=1))])
    report = verify(entries)
    assert [(p.seq, p.kind, p.code) for p in report.problems] == [(2, "forfeit", "time-order")]


def test_seq_not_following_is_named():
    entries = _forge([(1, "created", T0), (3, "forfeit", T0), (4, "forfeit", T0)])
    report = verify(entries)
    assert [(p.seq, p.code) for p in report.problems] == [(3, "bad-seq")]
    report = verify(_forge([(2, "created", T0)]))
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
    report = verify([*chain[:5], junk, *chain[6:]], daily_root_records(chain))
    malformed = [p.message for p in report.problems if p.code == "malformed"]
    assert len(malformed) == 8  # all but site_id and actor
    assert any("created_at must be UTC" in m for m in malformed)
    assert not report.ok


def test_empty_ledger():
    report = verify([])
    assert report.ok
    assert report.head_hash is None
    report = verify([], [DailyRoot(dt.date(2024, 5, 6), "ab" * 32, 4)])
    assert [(p.seq, p.code) for p in report.problems] == [(1, "daily-root-orphan")]


# --------------------------------------------------------------------------- keys and signers


def _resign(entries: list[Entry], start: int, key: Ed25519PrivateKey) -> list[Entry]:
    """Forge the chain from ``start`` on: every entry rebuilt and signed with ``key``."""
    forged = list(entries[:start])
    for entry in entries[start:]:
        prev = forged[-1].entry_hash if forged else GENESIS_HASH
        forged.append(
            ledger._build_entry(
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
    assert verify(forged).ok  # consistent in itself: the key must be checked
    report = verify(forged, trusted_keys=[k.upper() for k in TRUSTED])
    assert _seqs(report, "untrusted-key") == set(range(31, N_ENTRIES + 1))
    assert _seqs(report) == set(range(31, N_ENTRIES + 1))
    assert public_key_hex(MALLORY) in report.problems[0].message
    days = {p.day for p in verify(forged, roots).problems}
    assert days == {dt.date(2024, 5, 9), dt.date(2024, 5, 10)}


def test_resigned_single_entry_named(chain):
    forged = _resign(chain[:26], 25, MALLORY) + chain[26:]
    report = verify(forged, trusted_keys=TRUSTED)
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
    report = verify(chain, trusted_keys=ring.public_keys().values())
    assert _seqs(report, "untrusted-key") == {e.seq for e in chain}


# --------------------------------------------------------------------------- Merkle trees


def _h(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


LEAVES = [hashlib.sha256(bytes([i])).hexdigest() for i in range(5)]


def test_merkle_root_by_hand():
    a, b, c, d, e = (_h(b"\x00" + bytes.fromhex(x)) for x in LEAVES)
    assert merkle_root(LEAVES[:1]) == a.hex()
    assert merkle_root(LEAVES[:2]) == _h(b"\x01" + a + b).hex()
    # Odd level: the last node is paired with itself.
    assert merkle_root(LEAVES[:3]) == _h(b"\x01" + _h(b"\x01" + a + b) + _h(b"\x01" + c + c)).hex()
    ab, cd, ee = _h(b"\x01" + a + b), _h(b"\x01" + c + d), _h(b"\x01" + e + e)
    abcd, eeee = _h(b"\x01" + ab + cd), _h(b"\x01" + ee + ee)
    assert merkle_root(LEAVES) == _h(b"\x01" + abcd + eeee).hex()


def test_merkle_domain_separation():
    # Without the 0x00/0x01 prefixes an inner node could be presented as a leaf.
    a, b, c, d = (_h(b"\x00" + bytes.fromhex(x)) for x in LEAVES[:4])
    ab, cd = _h(b"\x01" + a + b), _h(b"\x01" + c + d)
    root = merkle_root(LEAVES[:4])
    assert verify_inclusion(LEAVES[0], [(b.hex(), "right"), (cd.hex(), "right")], root)
    assert not verify_inclusion(ab.hex(), [(cd.hex(), "right")], root)
    assert merkle_root(LEAVES[:1]) != LEAVES[0]


@pytest.mark.parametrize(("hashes", "match"), [([], "at least one"), (["AB" * 32], "lowercase")])
def test_merkle_root_bad_input(hashes, match):
    with pytest.raises(ValueError, match=match):
        merkle_root(hashes)


def test_inclusion_proof_for_every_entry(chain):
    by_day = daily_roots(chain)
    for entry in chain:
        proof = inclusion_proof(chain, entry.seq)
        assert verify_inclusion(entry.entry_hash, proof, by_day[entry_day(entry)])


def test_inclusion_proof_fails_for_tampered_entry(chain):
    by_day = daily_roots(chain)
    entry = chain[17]
    root = by_day[entry_day(entry)]
    proof = inclusion_proof(chain, entry.seq)
    tampered = dataclasses.replace(entry, payload={**entry.payload, "title": "Протокол 2"})
    assert not verify_inclusion(compute_entry_hash(tampered), proof, root)
    assert not verify_inclusion(chain[16].entry_hash, proof, root)  # another entry
    flipped = [(h, "left" if s == "right" else "right") for h, s in proof]
    assert not verify_inclusion(entry.entry_hash, flipped, root)
    other_day = by_day[entry_day(chain[0])]
    assert not verify_inclusion(entry.entry_hash, proof, other_day)


def test_inclusion_proof_bad_input(chain):
    with pytest.raises(ValueError, match=r"no entry with seq 99; the ledger holds seq 1\.\.50"):
        inclusion_proof(chain, 99)
    with pytest.raises(ValueError, match="side must be 'left' or 'right', got 'up'"):
        verify_inclusion(LEAVES[0], [(LEAVES[1], "up")], LEAVES[2])


# --------------------------------------------------------------------------- release evidence

T0 = dt.datetime(2024, 6, 1, 9, 0, tzinfo=dt.UTC)


def _append_all(specs) -> list[Entry]:
    entries: list[Entry] = []
    for k, (site, kind, payload) in enumerate(specs):
        entries.append(
            append(entries, site, kind, payload, REGULATOR, "regulator", T0 + dt.timedelta(k))
        )
    return entries


def test_release_without_evidence_refused():
    entries = _append_all([("S1", "created", {}), ("S1", "deposit-paid", {"amount_rub": 10})])
    with pytest.raises(ValueError, match=r"release of milestone 'backfill' of site 'S1' refused"):
        append(
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
        append(
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
    release = append(
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
    assert verify([*entries, release]).ok


@pytest.mark.parametrize("payload", [{}, {"milestone": ""}, {"milestone": 3}])
def test_release_needs_milestone(payload):
    with pytest.raises(ValueError, match=r"a release entry needs payload\['milestone'\]"):
        append([], "S1", "release", payload, REGULATOR, "regulator", T0)


def test_check_release_allowed_bad_milestone():
    with pytest.raises(ValueError, match="milestone must be a non-empty string, got ''"):
        check_release_allowed("", [])


def test_verify_names_release_recorded_without_evidence():
    # A release written around append (e.g. straight into the database) is still caught.
    entries = _append_all([("S1", "created", {})])
    forged = ledger._build_entry(
        2,
        entries[-1].entry_hash,
        "S1",
        "release",
        {"milestone": "backfill"},
        REGULATOR,
        "regulator",
        format_timestamp(T0 + dt.timedelta(days=1)),
    )
    report = verify([*entries, forged])
    assert [(p.seq, p.kind, p.code) for p in report.problems] == [
        (2, "release", "release-without-evidence")
    ]
    assert "no evidence recorded earlier" in report.problems[0].message


def test_evidence_after_the_release_does_not_count():
    entries = _append_all([("S1", "created", {})])
    release = ledger._build_entry(
        2,
        entries[-1].entry_hash,
        "S1",
        "release",
        {"milestone": "backfill"},
        REGULATOR,
        "regulator",
        format_timestamp(T0 + dt.timedelta(days=1)),
    )
    late = append(
        [*entries, release],
        "S1",
        "stage-accepted",
        {"milestone": "backfill", "acceptance_act": _act(2)},
        REGULATOR,
        "regulator",
        T0 + dt.timedelta(days=2),
    )
    report = verify([*entries, release, late])
    assert [(p.seq, p.code) for p in report.problems] == [(2, "release-without-evidence")]


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


def test_integer_site_ids_as_in_the_registry_tables():
    # The registry's sites.id is an integer; the hash covers the JSON number.
    act = {"milestone": "backfill", "acceptance_act": _act(3)}
    first = append([], 7, "stage-accepted", act, REGULATOR, "regulator", T0)
    release = append([first], 7, "release", {"milestone": "backfill"}, REGULATOR, "r", T0)
    assert b'"site_id":7' in canonical_bytes(release)
    assert verify([first, release]).ok
    with pytest.raises(ValueError, match="of site '7' refused"):
        append([first], "7", "release", {"milestone": "backfill"}, REGULATOR, "r", T0)


def test_format_timestamp_converts_to_utc():
    moment = dt.datetime(2024, 1, 1, 1, 30, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    assert format_timestamp(moment) == "2023-12-31T18:30:00.000000Z"
    assert format_timestamp(dt.datetime(999, 1, 2, tzinfo=dt.UTC)) == "0999-01-02T00:00:00.000000Z"


@pytest.mark.parametrize(
    "text",
    ["2024-05-06T08:00:00Z", "2024-05-06T08:00:00.000000+00:00", "2024-13-06T08:00:00.000000Z"],
)
def test_parse_timestamp_refuses(text):
    with pytest.raises(ValueError, match="created_at"):
        ledger.parse_timestamp(text)


# --------------------------------------------------------------------------- key files


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_key_file_round_trip_0600(tmp_path):
    key = ledger.generate_private_key()
    path = save_private_key(key, tmp_path / "regulator.pem")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text().startswith("-----BEGIN PRIVATE KEY-----")
    assert public_key_hex(load_private_key(path)) == public_key_hex(key)


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_encrypted_key_file_round_trip(tmp_path):
    key = ledger.generate_private_key()
    path = save_private_key(key, tmp_path / "k.pem", passphrase=b"correct horse")
    assert "ENCRYPTED" in path.read_text()
    assert public_key_hex(load_private_key(path, passphrase=b"correct horse")) == public_key_hex(
        key
    )
    with pytest.raises(ValueError, match="cannot read the private key"):
        load_private_key(path, passphrase=b"wrong")
    with pytest.raises(ValueError, match="cannot read the private key"):
        load_private_key(path)


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_key_file_permissions_enforced(tmp_path):
    path = save_private_key(ledger.generate_private_key(), tmp_path / "k.pem")
    with pytest.raises(FileExistsError, match="refusing to overwrite"):
        save_private_key(ledger.generate_private_key(), path)
    path.chmod(0o644)
    with pytest.raises(PermissionError, match=r"mode 0644.*chmod 600"):
        load_private_key(path)
    save_private_key(ledger.generate_private_key(), path, overwrite=True)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_keyring_files_and_modes(tmp_path):
    ring = Keyring(tmp_path / "ring")
    ring.create("operator-1")
    assert stat.S_IMODE((tmp_path / "ring").stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "ring" / "operator-1.pem").stat().st_mode) == 0o600
    with pytest.raises(FileExistsError):
        ring.create("operator-1")
    with pytest.raises(ValueError, match="actor must be 1-128 characters"):
        ring.create("../evil")


def test_non_ed25519_key_refused(tmp_path):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    other = ec.generate_private_key(ec.SECP256R1())
    path = tmp_path / "ec.pem"
    path.write_bytes(
        other.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    path.chmod(0o600)
    with pytest.raises(ValueError, match="not an Ed25519 key"):
        load_private_key(path)


def test_public_key_from_hex_bad():
    with pytest.raises(ValueError, match="public_key must be 64 lowercase hex digits"):
        ledger.public_key_from_hex("xyz")


# --------------------------------------------------------------------------- storage


def test_memory_store_record_seal_verify():
    store = MemoryStore()
    for i in range(6):
        site, kind, payload, key, actor = _spec(i)
        record(store, site, kind, payload, key, actor, now=_time(i * 5))
    sealed = seal_days(store, before=dt.date(2024, 5, 8))
    assert [(r.day, r.n_entries) for r in sealed] == [
        (dt.date(2024, 5, 6), 2),
        (dt.date(2024, 5, 7), 2),
    ]
    assert seal_days(store, before=dt.date(2024, 5, 8)) == []
    assert verify_store(store, TRUSTED).ok
    with pytest.raises(ValueError, match="sealed up to 2024-05-07"):
        record(store, "site-01", "created", {}, OPERATOR, "op", now=_time(15))
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


def test_report_as_dict_and_text(chain):
    report = verify(chain[:5] + chain[6:])
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
    assert set(ledger.PROBLEM_CODES) >= {p.code for p in report.problems}
