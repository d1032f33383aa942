"""The hash chain of the ledger: appending signed entries, and the stores that hold them.

Every change of a site's passport, and every registry-wide change (an operator or a
territory registered, statistics imported: entries with ``site_id`` None), is appended
(:func:`append`) as an :class:`~postmine.registry.ledger.entries.Entry` to one chain shared
by all sites: bound to
the entry before it by ``prev_hash``, hashed, and signed by the acting party. A store
(:class:`LedgerStore`: load and add entries and daily roots) keeps the chain; the registry's
database implements it (:class:`postmine.registry.ledger.store.DatabaseLedgerStore`) and
:class:`MemoryStore` is an in-memory one for tests and examples. :func:`record` appends and
stores, :func:`seal_days` stores the Merkle root of each finished day and
:func:`verify_store` verifies a store. A database implementation should store
``payload_json = canonical_json(entry.payload)`` (:attr:`Entry.payload_json`), load it with
:func:`~postmine.registry.ledger.canonical.parse_canonical_json`, keep ``created_at`` as the
exact string, and enforce a unique ``seq`` so that two concurrent writers cannot both
append.

The ledger checks the chain, not the meaning of the entries: a domain rule (such as a
release needing its milestone's evidence) is passed in as a
:class:`~postmine.registry.ledger.rules.ChainRule` (``rules=``) by the code that owns it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from postmine.registry.ledger.canonical import canonical_json
from postmine.registry.ledger.entries import (
    FIRST_SEQ,
    GENESIS_HASH,
    Entry,
    compute_entry_hash,
    format_timestamp,
    parse_timestamp,
)
from postmine.registry.ledger.keys import public_key_hex
from postmine.registry.ledger.kinds import check_kind, payload_problems, site_id_problem
from postmine.registry.ledger.merkle import DailyRoot, daily_root_records
from postmine.registry.ledger.problems import VerifyReport
from postmine.registry.ledger.rules import ChainRule
from postmine.registry.ledger.verify import short_hex, verify

__all__ = [
    "LedgerStore",
    "MemoryStore",
    "append",
    "build_entry",
    "record",
    "seal_days",
    "verify_store",
]


def build_entry(
    seq: int,
    prev_hash: str,
    site_id: int | str | None,
    kind: str,
    payload: Mapping[str, Any],
    private_key: Ed25519PrivateKey,
    actor: str,
    created_at: str,
) -> Entry:
    """Hash and sign an entry without any of :func:`append`'s checks of the chain.

    Use :func:`append` to extend a ledger; this is the bare construction it ends with (and
    what a test uses to forge an entry that :func:`append` would refuse).

    Parameters
    ----------
    seq : int
        Position in the chain. [-]
    prev_hash : str
        ``entry_hash`` of the entry before, or ``GENESIS_HASH``; 64 lowercase hex. [-]
    site_id : int or str or None
        Site of the entry (None for a registry-wide entry; not checked). [-]
    kind : str
        Kind of the entry (not checked). [-]
    payload : mapping
        The entry's data; copied through canonical JSON (so ``5.0`` becomes ``5``). [-]
    private_key : Ed25519PrivateKey
        Key that signs the entry. [-]
    actor : str
        Acting party. [-]
    created_at : str
        UTC timestamp, ``YYYY-MM-DDTHH:MM:SS.ffffffZ``. [-]

    Returns
    -------
    Entry
        The entry with its ``entry_hash`` and Ed25519 ``signature``. [-]

    Raises
    ------
    ValueError
        If ``prev_hash`` is not 64 lowercase hex digits or the payload is not canonical JSON.
    """
    unsigned = Entry(
        seq=seq,
        site_id=site_id,
        kind=kind,
        payload=json.loads(canonical_json(payload)),
        prev_hash=prev_hash,
        entry_hash="",
        actor=actor,
        public_key=public_key_hex(private_key),
        signature="",
        created_at=created_at,
    )
    entry_hash = compute_entry_hash(unsigned)
    signature = private_key.sign(bytes.fromhex(entry_hash)).hex()
    return dataclasses.replace(unsigned, entry_hash=entry_hash, signature=signature)


def append(
    entries_so_far: Sequence[Entry],
    site_id: int | str | None,
    kind: str,
    payload: Mapping[str, Any],
    private_key: Ed25519PrivateKey,
    actor: str,
    now: dt.datetime | None = None,
    *,
    rules: Sequence[ChainRule] = (),
) -> Entry:
    """Make the next entry of the chain, hashed and signed by the actor's key.

    The entry is returned, not stored: the caller stores it (:func:`record` does both).

    Parameters
    ----------
    entries_so_far : sequence of Entry
        The whole chain so far, in order (empty for the first entry). The last entry is
        checked against its hash; the ``rules`` may search them (e.g. a release for its
        evidence). [-]
    site_id : int or str or None
        Site whose passport changes: the registry's ``sites.id`` (or a string code; the
        same type for the same site every time); None for a registry-wide kind
        (:data:`~postmine.registry.ledger.kinds.REGISTRY_WIDE_KINDS`), which belongs to no
        site. [-]
    kind : str
        One of :data:`~postmine.registry.ledger.kinds.ENTRY_KINDS`. [-]
    payload : mapping
        The entry's data, a JSON object (see
        :func:`~postmine.registry.ledger.canonical.canonical_json` for what it may hold)
        carrying the fields its kind requires
        (:func:`~postmine.registry.ledger.kinds.payload_problems`). [-]
    private_key : Ed25519PrivateKey
        Acting party's key. [-]
    actor : str
        Acting party. [-]
    now : datetime.datetime, optional
        Timezone-aware time of the entry; default the current time. [-]
    rules : sequence of ChainRule, optional
        Domain rules the new entry must keep, asked after the ledger's own checks (the
        registry passes :data:`postmine.registry.assurance_rules.ASSURANCE_RULES`, under
        which a release needs its milestone's evidence); default none. [-]

    Returns
    -------
    Entry
        The new entry, ``seq`` one more than the last one's (1 for the first). [-]

    Raises
    ------
    ValueError
        If ``kind`` is not allowed (the message lists the allowed kinds), ``site_id`` is
        neither an integer >= 1 nor a non-empty string for a site's kind, or not None for a
        registry-wide kind, ``actor`` is empty, the payload is not a JSON object that
        canonical JSON can write or lacks a field its kind requires, ``now`` is naive or
        earlier than the last entry's time, the last entry does not match its hash, or a
        rule refuses the entry.
    TypeError
        If ``private_key`` is not an Ed25519 private key.

    Examples
    --------
    >>> key = Ed25519PrivateKey.from_private_bytes(bytes(32))
    >>> first = append([], "S1", "created", {"area_ha": 12.5}, key, "operator",
    ...                now=dt.datetime(2024, 5, 1, 9, 0, tzinfo=dt.UTC))
    >>> first.seq, first.prev_hash == GENESIS_HASH, first.created_at
    (1, True, '2024-05-01T09:00:00.000000Z')
    >>> second = append([first], "S1", "deposit-paid", {"amount_rub": 1_500_000}, key,
    ...                 "operator", now=dt.datetime(2024, 5, 2, 9, 0, tzinfo=dt.UTC))
    >>> second.prev_hash == first.entry_hash, verify([first, second]).ok
    (True, True)
    """
    check_kind(kind)
    site_problem = site_id_problem(site_id, kind)
    if site_problem:
        raise ValueError(site_problem)
    if not isinstance(actor, str) or not actor.strip():
        raise ValueError(f"actor must be a non-empty string, got {actor!r}")
    if not isinstance(payload, Mapping):
        raise ValueError(f"payload must be a JSON object (mapping), got {type(payload).__name__}")
    # canonical_json refuses what the hash cannot cover, naming the path; the kind's payload
    # rules are checked on the payload as it will be stored (tuples become lists ...)
    broken = payload_problems(kind, json.loads(canonical_json(payload)))
    if broken:
        raise ValueError(f"a {kind} entry: {'; '.join(broken)}")
    if not isinstance(private_key, Ed25519PrivateKey):
        raise TypeError(
            f"private_key must be an Ed25519PrivateKey, got {type(private_key).__name__}"
        )
    moment = dt.datetime.now(dt.UTC) if now is None else now
    created_at = format_timestamp(moment)
    if entries_so_far:
        last = entries_so_far[-1]
        if compute_entry_hash(last) != last.entry_hash:
            raise ValueError(
                f"the last entry (seq {last.seq}, {last.kind}) does not match its entry_hash: "
                "the ledger was altered; run verify before appending"
            )
        if parse_timestamp(created_at) < parse_timestamp(last.created_at):
            raise ValueError(
                f"time of the new entry {created_at} is earlier than that of the last entry "
                f"(seq {last.seq}, {last.created_at}); the ledger's time must not run backwards"
            )
        seq, prev_hash = last.seq + 1, last.entry_hash
    else:
        seq, prev_hash = FIRST_SEQ, GENESIS_HASH
    for rule in rules:
        rule.check_append(entries_so_far, site_id, kind, payload)
    return build_entry(seq, prev_hash, site_id, kind, payload, private_key, actor, created_at)


class LedgerStore(Protocol):
    """What a storage backend provides to the ledger (the registry's database implements it).

    ``add_entry`` must refuse (raise) an entry whose ``seq`` exists already, as a unique
    constraint on ``seq`` does, so that two concurrent writers cannot both append.
    """

    def load_entries(self) -> Sequence[Entry]:
        """Return every entry, in ``seq`` order."""
        ...

    def add_entry(self, entry: Entry) -> None:
        """Store a new entry (refusing a ``seq`` that exists)."""
        ...

    def load_daily_roots(self) -> Sequence[DailyRoot]:
        """Return every stored daily root, in date order."""
        ...

    def add_daily_root(self, root: DailyRoot) -> None:
        """Store the root of a day."""
        ...


class MemoryStore:
    """In-memory :class:`LedgerStore`, for tests and examples.

    Examples
    --------
    >>> store = MemoryStore()
    >>> key = Ed25519PrivateKey.from_private_bytes(bytes(32))
    >>> e = record(store, "S1", "created", {}, key, "operator",
    ...            now=dt.datetime(2024, 5, 1, tzinfo=dt.UTC))
    >>> [r.day.isoformat() for r in seal_days(store, before=dt.date(2024, 5, 2))]
    ['2024-05-01']
    >>> verify_store(store).ok
    True
    """

    def __init__(self) -> None:
        self.entries: list[Entry] = []
        self.roots: list[DailyRoot] = []

    def load_entries(self) -> Sequence[Entry]:
        """Return every entry, in ``seq`` order."""
        return list(self.entries)

    def add_entry(self, entry: Entry) -> None:
        """Store an entry that extends the chain.

        Raises
        ------
        ValueError
            If the entry's ``seq`` or ``prev_hash`` does not continue the stored chain.
        """
        expected_seq = self.entries[-1].seq + 1 if self.entries else FIRST_SEQ
        expected_prev = self.entries[-1].entry_hash if self.entries else GENESIS_HASH
        if entry.seq != expected_seq or entry.prev_hash != expected_prev:
            raise ValueError(
                f"entry seq {entry.seq} does not continue the ledger (expected seq "
                f"{expected_seq} linking to {short_hex(expected_prev)}); another writer appended "
                "first"
            )
        self.entries.append(entry)

    def load_daily_roots(self) -> Sequence[DailyRoot]:
        """Return every stored daily root, in date order."""
        return sorted(self.roots, key=lambda r: r.day)

    def add_daily_root(self, root: DailyRoot) -> None:
        """Store the root of a day.

        Raises
        ------
        ValueError
            If the day has a root already.
        """
        if any(r.day == root.day for r in self.roots):
            raise ValueError(f"the daily root of {root.day} is stored already")
        self.roots.append(root)


def record(
    store: LedgerStore,
    site_id: int | str | None,
    kind: str,
    payload: Mapping[str, Any],
    private_key: Ed25519PrivateKey,
    actor: str,
    now: dt.datetime | None = None,
    *,
    rules: Sequence[ChainRule] = (),
) -> Entry:
    """Append an entry (see :func:`append`, which also explains ``rules``) and store it.

    Raises
    ------
    ValueError
        As :func:`append`, and if the entry's day is sealed already (its root is stored).
    """
    moment = dt.datetime.now(dt.UTC) if now is None else now
    day = parse_timestamp(format_timestamp(moment)).date()
    sealed = [r.day for r in store.load_daily_roots()]
    if sealed and day <= max(sealed):
        raise ValueError(
            f"cannot record an entry on {day}: the ledger is sealed up to {max(sealed)} "
            "(its daily root is stored)"
        )
    entry = append(
        store.load_entries(), site_id, kind, payload, private_key, actor, moment, rules=rules
    )
    store.add_entry(entry)
    return entry


def seal_days(store: LedgerStore, *, before: dt.date | None = None) -> list[DailyRoot]:
    """Compute and store the Merkle root of every finished day not sealed yet.

    Parameters
    ----------
    store : LedgerStore
        The ledger's storage. [-]
    before : datetime.date, optional
        Seal the days before this UTC date; default today (UTC), so the current day stays
        open. [-]

    Returns
    -------
    list of DailyRoot
        The roots stored now, in date order. [-]

    Raises
    ------
    ValueError
        If an entry's ``created_at`` or ``entry_hash`` is malformed.
    """
    limit = dt.datetime.now(dt.UTC).date() if before is None else before
    sealed = {r.day for r in store.load_daily_roots()}
    new = [
        r for r in daily_root_records(store.load_entries()) if r.day < limit and r.day not in sealed
    ]
    for root in new:
        store.add_daily_root(root)
    return new


def verify_store(
    store: LedgerStore,
    trusted_keys: Iterable[str] | None = None,
    *,
    rules: Sequence[ChainRule] = (),
) -> VerifyReport:
    """Run :func:`~postmine.registry.ledger.verify.verify` on a store's entries and roots."""
    return verify(store.load_entries(), store.load_daily_roots(), trusted_keys, rules=rules)
