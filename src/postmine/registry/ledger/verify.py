"""Forensic verification of the ledger: name every entry that was altered, removed or reordered.

:func:`verify` checks each entry on its own (field formats, the recomputed hash, the
Ed25519 signature over the stored hash, the trust of its key), then the chain (``seq`` and
``prev_hash`` links: removed, reordered, duplicated entries, ``seq`` and time order), then
the domain rules it is given, then the stored daily Merkle roots. An altered field changes
the recomputed hash (``hash-mismatch``); an altered hash or a hash recomputed after altering
the contents breaks the signature (``bad-signature``); a removed entry leaves a gap in
``seq`` and a ``prev_hash`` that matches nothing (``missing``); a reordering is found by
rebuilding the chain from its ``prev_hash`` links and comparing that order with the stored
order: the entries that are not in every longest common run of the two orders are named
(``reordered``) -- for two swapped entries, exactly those two. Removing the last entries of
the chain leaves a consistent shorter chain: only a stored or published daily root (or a
copy of the head hash, :attr:`VerifyReport.head_hash`) reveals it.

References
----------
[RFC8032] S. Josefsson, I. Liusvaara, Edwards-Curve Digital Signature Algorithm (EdDSA),
          RFC 8032, 2017.
[RFC6962] B. Laurie, A. Langley, E. Kasper, Certificate Transparency, RFC 6962, 2013,
          section 2.1 (Merkle hash trees).
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature

from postmine.registry.ledger.canonical import HEX64, HEX128, digest_bytes
from postmine.registry.ledger.entries import (
    FIRST_SEQ,
    GENESIS_HASH,
    Entry,
    compute_entry_hash,
    entry_label,
    parse_timestamp,
)
from postmine.registry.ledger.keys import public_key_from_hex
from postmine.registry.ledger.kinds import ENTRY_KINDS, payload_problems, site_id_problem
from postmine.registry.ledger.merkle import DailyRoot, day_root, group_by_day
from postmine.registry.ledger.problems import Problem, VerifyReport, problem_sort_key
from postmine.registry.ledger.rules import ChainRule

__all__ = ["short_hex", "verify"]


def short_hex(text: object) -> str:
    """Shorten a hash for a message: its first 12 characters and '…' (``repr`` if not text).

    Examples
    --------
    >>> short_hex("0123456789abcdef"), short_hex(None)
    ('0123456789ab…', 'None')
    """
    return f"{text[:12]}…" if isinstance(text, str) and len(text) > 12 else repr(text)


# --------------------------------------------------------------------------- each entry


def _check_fields(entry: Entry) -> list[str]:
    """Return what is malformed in an entry's fields."""
    bad = []
    if not isinstance(entry.seq, int) or isinstance(entry.seq, bool) or entry.seq < FIRST_SEQ:
        bad.append(f"seq must be an integer >= {FIRST_SEQ}, got {entry.seq!r}")
    site_problem = site_id_problem(entry.site_id, entry.kind)
    if site_problem:
        bad.append(site_problem)
    if not isinstance(entry.actor, str) or not entry.actor.strip():
        bad.append(f"actor must be a non-empty string, got {entry.actor!r}")
    if entry.kind not in ENTRY_KINDS:
        bad.append(f"kind must be one of {', '.join(ENTRY_KINDS)}; got {entry.kind!r}")
    if not isinstance(entry.payload, dict):
        bad.append(f"payload must be a JSON object, got {type(entry.payload).__name__}")
    bad.extend(payload_problems(entry.kind, entry.payload))
    for name in ("prev_hash", "entry_hash", "public_key"):
        value = getattr(entry, name)
        if not isinstance(value, str) or not HEX64.fullmatch(value):
            bad.append(f"{name} must be 64 lowercase hex digits, got {value!r}")
    if not isinstance(entry.signature, str) or not HEX128.fullmatch(entry.signature):
        bad.append(f"signature must be 128 lowercase hex digits, got {entry.signature!r}")
    try:
        parse_timestamp(entry.created_at)
    except ValueError as exc:
        bad.append(str(exc))
    return bad


def _check_entry(
    entry: Entry, trusted: frozenset[str] | None, problems: list[Problem]
) -> tuple[str | None, bool]:
    """Check one entry on its own; return its recomputed hash and whether it is malformed."""

    def report(code: str, message: str) -> None:
        message = f"entry {entry_label(entry)}: {message}"
        problems.append(Problem(entry.seq, entry.kind, code, message))

    malformed = _check_fields(entry)
    for message in malformed:
        report("malformed", message)
    try:
        computed: str | None = compute_entry_hash(entry)
    except ValueError:
        computed = None
    if computed is not None and computed != entry.entry_hash:
        report(
            "hash-mismatch",
            f"its contents hash to {short_hex(computed)}, not to the stored entry_hash "
            f"{short_hex(entry.entry_hash)}: the entry was altered",
        )
    signature_ok = False
    try:
        public = public_key_from_hex(entry.public_key)
        if isinstance(entry.signature, str) and HEX128.fullmatch(entry.signature):
            public.verify(bytes.fromhex(entry.signature), digest_bytes("", entry.entry_hash))
            signature_ok = True
    except (ValueError, InvalidSignature):
        pass
    if not signature_ok:
        report(
            "bad-signature",
            f"the signature does not verify with the entry's public key "
            f"{short_hex(entry.public_key)} over its entry_hash: the entry, its hash or its "
            "signature was altered",
        )
    if trusted is not None and entry.public_key not in trusted:
        report(
            "untrusted-key",
            f"signed by key {entry.public_key!r} (actor {entry.actor!r}), which is not among "
            "the trusted keys",
        )
    return computed, bool(malformed)


# --------------------------------------------------------------------------- the chain

_GENESIS = -1  # predecessor index standing for the genesis


def _in_every_lis(values: Sequence[int]) -> list[bool]:
    """Flag the elements that belong to every longest strictly increasing subsequence."""
    n = len(values)
    if n == 0:
        return []

    def lis_ending(seq: Sequence[int]) -> list[int]:
        tails: list[int] = []
        lengths = []
        for v in seq:
            k = bisect.bisect_left(tails, v)
            if k == len(tails):
                tails.append(v)
            else:
                tails[k] = v
            lengths.append(k + 1)
        return lengths

    ending = lis_ending(values)
    starting = lis_ending([-v for v in reversed(values)])[::-1]
    best = max(ending)
    in_some = [ending[i] + starting[i] - 1 == best for i in range(n)]
    count_at: dict[int, int] = {}
    for i in range(n):
        if in_some[i]:
            count_at[ending[i]] = count_at.get(ending[i], 0) + 1
    return [in_some[i] and count_at[ending[i]] == 1 for i in range(n)]


@dataclass(frozen=True)
class _ChainView:
    """The stored entries with what the checks of the chain need to know of each position.

    ``preds[i]`` is the position of the entry that ``entries[i]``'s ``prev_hash`` links to
    (``_GENESIS`` for the genesis hash, None if it matches no entry present); ``displaced``
    holds the positions outside every longest run shared by the stored and the linked order;
    ``altered[i]`` says the entry does not hash to its stored ``entry_hash``, and
    ``unreliable[i]`` that it is altered or malformed (its ``seq`` and time prove nothing).
    """

    entries: Sequence[Entry]
    preds: list[int | None]
    displaced: set[int]
    altered: list[bool]
    unreliable: list[bool]


def _link_predecessors(
    entries: Sequence[Entry], computed: Sequence[str | None]
) -> list[int | None]:
    """Position each entry's ``prev_hash`` links to, by stored or recomputed hash."""
    by_hash: dict[str, list[int]] = {}
    for i, entry in enumerate(entries):
        for h in {entry.entry_hash, computed[i]}:
            if isinstance(h, str):
                by_hash.setdefault(h, []).append(i)

    def link(i: int) -> int | None:
        prev = entries[i].prev_hash
        if prev == GENESIS_HASH:
            return _GENESIS
        candidates = [j for j in by_hash.get(prev, []) if j != i] if isinstance(prev, str) else []
        if not candidates:
            return None
        return min(candidates, key=lambda j: (j > i, abs(i - j)))

    return [link(i) for i in range(len(entries))]


def _displaced_positions(preds: Sequence[int | None]) -> set[int]:
    """Rebuild the chain order from the links; return the positions out of their place."""
    n = len(preds)
    successors: dict[int, list[int]] = {}
    for i, p in enumerate(preds):
        if p is not None and p != _GENESIS:
            successors.setdefault(p, []).append(i)
    # Start at the genesis or a dangling link, then at whatever is left.
    order: list[int] = []
    visited = [False] * n
    starts = [i for i in range(n) if preds[i] in (None, _GENESIS)] + list(range(n))
    for start in starts:
        current: int | None = start
        while current is not None and not visited[current]:
            visited[current] = True
            order.append(current)
            current = next((j for j in successors.get(current, []) if not visited[j]), None)
    in_place = _in_every_lis(order)
    return {order[k] for k in range(n) if not in_place[k]}


def _chain_view(
    entries: Sequence[Entry], computed: Sequence[str | None], malformed: Sequence[bool]
) -> _ChainView:
    preds = _link_predecessors(entries, computed)
    altered = [computed[i] != entries[i].entry_hash for i in range(len(entries))]
    return _ChainView(
        entries=entries,
        preds=preds,
        displaced=_displaced_positions(preds),
        altered=altered,
        unreliable=[altered[i] or malformed[i] for i in range(len(entries))],
    )


def _duplicate_problems(
    view: _ChainView,
    i: int,
    first_at: dict[str, int],
    seq_first_at: dict[object, int],
    problems: list[Problem],
) -> bool:
    """Name a copy of an earlier entry or of its ``seq``; True if the entry is a copy."""
    entry = view.entries[i]
    if isinstance(entry.entry_hash, str) and entry.entry_hash in first_at:
        problems.append(
            Problem(
                entry.seq,
                entry.kind,
                "duplicate",
                f"entry {entry_label(entry)} at position {i} is a copy of the entry at "
                f"position {first_at[entry.entry_hash]}",
            )
        )
        return True
    first_at.setdefault(entry.entry_hash, i)
    if entry.seq in seq_first_at:
        j = seq_first_at[entry.seq]
        # Name the copy whose contents were altered, if only one of the two was.
        culprit, other = (
            (view.entries[j], entry)
            if view.unreliable[j] and not view.unreliable[i]
            else (entry, view.entries[j])
        )
        message = (
            f"entry {entry_label(culprit)}: seq {entry.seq} also belongs to {entry_label(other)}"
        )
        problems.append(Problem(culprit.seq, culprit.kind, "duplicate", message))
    seq_first_at.setdefault(entry.seq, i)
    return False


def _reordered_problem(view: _ChainView, i: int) -> Problem:
    """Name an entry that stands elsewhere than its ``prev_hash`` link places it."""
    entry, p = view.entries[i], view.preds[i]
    if p is None:
        target = "matches no entry present"
    elif p == _GENESIS:
        target = "makes it the first entry"
    else:
        target = f"links it after {entry_label(view.entries[p])}"
    after = f"after {entry_label(view.entries[i - 1])}" if i else "first"
    return Problem(
        entry.seq,
        entry.kind,
        "reordered",
        f"entry {entry_label(entry)} is out of order: it stands {after}, but its prev_hash "
        f"{target}",
    )


def _first_entry_problems(view: _ChainView, problems: list[Problem]) -> None:
    """Check that the first entry stored starts the chain (genesis link, ``seq`` 1)."""
    entry, p = view.entries[0], view.preds[0]
    if p == _GENESIS:
        if entry.seq != FIRST_SEQ and not view.altered[0]:
            message = f"entry {entry_label(entry)} is the first entry but has seq {entry.seq}"
            problems.append(Problem(entry.seq, entry.kind, "bad-seq", message))
    elif p is None and isinstance(entry.seq, int) and entry.seq > FIRST_SEQ:
        _report_missing(problems, FIRST_SEQ, entry.seq - 1, None, entry)
    else:
        problems.append(
            Problem(
                entry.seq,
                entry.kind,
                "broken-link",
                f"entry {entry_label(entry)} is the first entry but its prev_hash "
                f"{short_hex(entry.prev_hash)} is not the genesis hash",
            )
        )


def _sequence_problem(before: Entry, entry: Entry) -> Problem | None:
    """Check ``seq`` and time of an entry that links to the one before it."""
    if entry.seq != before.seq + 1:
        return Problem(
            entry.seq,
            entry.kind,
            "bad-seq",
            f"entry {entry_label(entry)} links to {entry_label(before)} but its seq is not "
            f"{before.seq + 1}",
        )
    if parse_timestamp(entry.created_at) < parse_timestamp(before.created_at):
        return Problem(
            entry.seq,
            entry.kind,
            "time-order",
            f"entry {entry_label(entry)} was created at {entry.created_at}, before the entry it "
            f"follows, {entry_label(before)}, at {before.created_at}",
        )
    return None


def _misplaced_link_problem(view: _ChainView, i: int) -> Problem | None:
    """Name a ``prev_hash`` that does not link an entry to the one before it.

    A gap in ``seq`` with a dangling link is reported as removed entries (``missing``)
    and None is returned.
    """
    entry, p, before = view.entries[i], view.preds[i], view.entries[i - 1]
    e_name = entry_label(entry)
    if p is None:
        gap = isinstance(entry.seq, int) and isinstance(before.seq, int)
        if gap and entry.seq > before.seq + 1:
            return None
        message = (
            f"entry {e_name}: its prev_hash {short_hex(entry.prev_hash)} matches no entry "
            f"present, not the entry_hash of {entry_label(before)} before it: the link was "
            "altered, or an entry was removed and the rest renumbered"
        )
    elif p == _GENESIS:
        message = (
            f"entry {e_name} stands after {entry_label(before)} but its prev_hash is the "
            "genesis hash"
        )
    else:
        message = (
            f"entry {e_name}: its prev_hash links it to {entry_label(view.entries[p])} at "
            f"position {p}, not to {entry_label(before)} before it"
        )
    return Problem(entry.seq, entry.kind, "broken-link", message)


def _link_problems(view: _ChainView, i: int, problems: list[Problem]) -> None:
    """Check the link of the entry at position ``i`` (> 0) to the one stored before it."""
    entry, p, q = view.entries[i], view.preds[i], i - 1
    before = view.entries[q]
    if p == q:
        if view.unreliable[q] or view.unreliable[i]:
            return  # the altered entry is named already; its seq and time are unreliable
        problem = _sequence_problem(before, entry)
    elif q in view.displaced or (p is not None and p in view.displaced):
        return  # explained by the reordering named above
    else:
        problem = _misplaced_link_problem(view, i)
        if problem is None:  # a gap in seq: entries were removed
            _report_missing(problems, before.seq + 1, entry.seq - 1, before, entry)
    if problem is not None:
        problems.append(problem)


def _check_chain(
    entries: Sequence[Entry],
    computed: Sequence[str | None],
    malformed: Sequence[bool],
    problems: list[Problem],
) -> None:
    """Check seq and prev_hash links; name removed, reordered and duplicated entries."""
    if not entries:
        return
    view = _chain_view(entries, computed, malformed)
    first_at: dict[str, int] = {}
    seq_first_at: dict[object, int] = {}
    for i in range(len(entries)):
        if _duplicate_problems(view, i, first_at, seq_first_at, problems):
            continue
        if i in view.displaced:
            problems.append(_reordered_problem(view, i))
        elif i == 0:
            _first_entry_problems(view, problems)
        else:
            _link_problems(view, i, problems)


def _report_missing(
    problems: list[Problem], first: int, last: int, before: Entry | None, after: Entry
) -> None:
    """Add a ``missing`` problem for the removed seqs ``first..last``."""
    what = f"entry seq {first} is" if first == last else f"entries seq {first}-{last} are"
    where = (
        f"between {entry_label(before)} and {entry_label(after)}"
        if before
        else f"before {entry_label(after)}"
    )
    problems.append(
        Problem(
            first,
            None,
            "missing",
            f"{what} missing {where}: seq jumps and the prev_hash of seq {after.seq} matches "
            "no entry present",
        )
    )


# --------------------------------------------------------------------------- daily roots


def _normalise_roots(
    stored: Mapping[dt.date, str | DailyRoot] | Iterable[DailyRoot],
) -> dict[dt.date, DailyRoot]:
    if isinstance(stored, Mapping):
        return {
            day: rec if isinstance(rec, DailyRoot) else DailyRoot(day, rec)
            for day, rec in stored.items()
        }
    return {rec.day: rec for rec in stored}


def _covered(record: DailyRoot) -> str:
    return f"{record.n_entries} entries" if record.n_entries is not None else "its entries"


def _orphan_root_problem(day: dt.date, record: DailyRoot, next_seq: int) -> Problem:
    """Name a stored root whose day has no entry left (they were removed)."""
    removed = (
        f"entries seq {next_seq}-{next_seq + record.n_entries - 1} were removed"
        if record.n_entries
        else f"the entries from seq {next_seq} on were removed"
    )
    return Problem(
        next_seq,
        None,
        "daily-root-orphan",
        f"the stored Merkle root of {day} covers {_covered(record)}, but no entry of that day "
        f"is present: {removed}",
        day,
    )


def _removed_tail(record: DailyRoot, present: Sequence[Entry], seqs: Sequence[int]) -> int:
    """Count the entries removed from the end of a day, from its stored root's count."""
    if record.n_entries is None or record.n_entries <= len(present) or not seqs:
        return 0
    gaps = sum(max(b - a - 1, 0) for a, b in itertools.pairwise(seqs))
    return max(record.n_entries - len(present) - gaps, 0)


def _missing_tail_problem(
    day: dt.date, record: DailyRoot, present: Sequence[Entry], next_seq: int, tail: int
) -> Problem:
    """Name the ``tail`` entries removed from the end of a day, from ``next_seq`` on."""
    what = (
        f"entry seq {next_seq} is"
        if tail == 1
        else f"entries seq {next_seq}-{next_seq + tail - 1} are"
    )
    return Problem(
        next_seq,
        None,
        "missing",
        f"{what} missing after {entry_label(present[-1])}, the last entry present of {day}: "
        f"the stored root covers {record.n_entries} entries, {len(present)} are present",
        day,
    )


def _seq_span(seqs: Sequence[int]) -> str:
    return f"seq {seqs[0]}-{seqs[-1]}" if len(seqs) > 1 else f"seq {seqs[0] if seqs else '?'}"


def _stored_count_problem(
    day: dt.date, record: DailyRoot, present: Sequence[Entry], seqs: Sequence[int]
) -> Problem | None:
    """Name a stored root that matches its day's entries but records another count."""
    if record.n_entries in (None, len(present)):
        return None
    message = (
        f"the stored root of {day} matches its {len(present)} entries ({_seq_span(seqs)}) but "
        f"records n_entries = {record.n_entries}: the stored count was altered"
    )
    return Problem(None, None, "daily-root-mismatch", message, day)


def _root_mismatch_problem(
    day: dt.date, record: DailyRoot, present: Sequence[Entry], seqs: Sequence[int]
) -> Problem:
    """Name a stored root that does not match the entries of its day present."""
    message = (
        f"the stored Merkle root of {day} (covering {_covered(record)}) does not match the "
        f"{len(present)} entries of that day present ({_seq_span(seqs)}): an entry of the "
        "day was altered, added or removed, or the stored root was altered"
    )
    return Problem(None, None, "daily-root-mismatch", message, day)


def _unsealed_day_problems(
    records: Mapping[dt.date, DailyRoot], groups: Mapping[dt.date, list[Entry]]
) -> list[Problem]:
    """Name days with entries but no stored root before the last sealed day."""
    if not records:
        return []
    last_sealed = max(records)
    problems = []
    for day in sorted(groups):
        if day < last_sealed and day not in records:
            group = groups[day]
            message = (
                f"the entries of {day} (seq {group[0].seq}-{group[-1].seq}) have no stored "
                f"Merkle root although later days (to {last_sealed}) are sealed"
            )
            problems.append(Problem(None, None, "daily-root-missing", message, day))
    return problems


def _check_daily_roots(
    entries: Sequence[Entry],
    stored: Mapping[dt.date, str | DailyRoot] | Iterable[DailyRoot],
    problems: list[Problem],
) -> int:
    """Compare stored daily roots with the entries; return the number of days checked."""
    records = _normalise_roots(stored)
    groups = group_by_day(entries, strict=False)
    next_seq = FIRST_SEQ  # seq the next day should start with, as far as can be told
    for day in sorted(set(records) | set(groups)):
        record = records.get(day)
        present = groups.get(day, [])
        seqs = [e.seq for e in present if isinstance(e.seq, int)]
        if record is not None and not present:
            problems.append(_orphan_root_problem(day, record, next_seq))
            next_seq += record.n_entries or 0
            continue
        next_seq = max(seqs, default=next_seq - 1) + 1
        if record is None:
            continue
        if day_root(present) == record.root:
            count_problem = _stored_count_problem(day, record, present, seqs)
            problems.extend([count_problem] if count_problem else [])
            continue
        problems.append(_root_mismatch_problem(day, record, present, seqs))
        tail = _removed_tail(record, present, seqs)
        if tail > 0:
            problems.append(_missing_tail_problem(day, record, present, next_seq, tail))
            next_seq += tail
    problems.extend(_unsealed_day_problems(records, groups))
    return len(records)


# --------------------------------------------------------------------------- the report


def verify(
    entries: Sequence[Entry],
    daily_roots: Mapping[dt.date, str | DailyRoot] | Iterable[DailyRoot] | None = None,
    trusted_keys: Iterable[str] | None = None,
    *,
    rules: Sequence[ChainRule] = (),
) -> VerifyReport:
    """Check the whole ledger and name every entry that was altered, removed or reordered.

    Parameters
    ----------
    entries : sequence of Entry
        The chain as stored, in stored order (e.g. ``ORDER BY seq``). [-]
    daily_roots : mapping of date to root (str or DailyRoot), or iterable of DailyRoot, optional
        Stored or published daily Merkle roots; each is recomputed from the entries of its
        day. Records with ``n_entries`` let removed entries at the end of a day be named by
        their ``seq``. [-]
    trusted_keys : iterable of str, optional
        Public keys (64 hex digits) allowed to sign entries; when given, an entry signed by
        another key is named (``untrusted-key``). [-]
    rules : sequence of ChainRule, optional
        Domain rules whose breaches are named too, after the checks of the chain (the
        registry passes :data:`postmine.registry.assurance_rules.ASSURANCE_RULES`, which
        names a release with no evidence before it, ``release-without-evidence``); default
        none. [-]

    Returns
    -------
    VerifyReport
        ``ok`` is True only if no problem was found; ``problems`` name each entry by ``seq``
        and ``kind`` with a code of :data:`PROBLEM_CODES` and a message. [-]

    Notes
    -----
    Checks, for each entry: field formats (``malformed``; also a ``site_id`` that does not fit
    its kind -- a site for a site's kind, None for a registry-wide kind -- and a payload field
    its kind requires, see :mod:`~postmine.registry.ledger.kinds`), the recomputed hash
    (``hash-mismatch``), the Ed25519 signature over the stored hash (``bad-signature``), the key
    (``untrusted-key``); along the chain: a removed entry (``missing``: a gap in ``seq`` where
    the next ``prev_hash`` matches no entry), a ``prev_hash`` that links elsewhere
    (``broken-link``), entries out of their linked order (``reordered``: the chain is rebuilt
    from the links and the entries outside every longest run it shares with the stored order are
    named), copies (``duplicate``), ``seq`` not following its predecessor (``bad-seq``), time
    running backwards (``time-order``); then what each of the ``rules`` names (e.g.
    ``release-without-evidence``); for each stored daily root: recomputed root
    (``daily-root-mismatch``, with ``missing`` for the removed tail of the day when the record
    has ``n_entries``), roots of days without entries (``daily-root-orphan``) and days without a
    root between sealed days (``daily-root-missing``). An altered entry's stored hash no longer
    matches its contents, so its successor is still matched to it through the recomputed hash
    and is not named as well.

    Examples
    --------
    >>> from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    >>> from postmine.registry.ledger.chain import append
    >>> from postmine.registry.ledger.keys import public_key_hex
    >>> from postmine.registry.ledger.merkle import daily_roots
    >>> key = Ed25519PrivateKey.from_private_bytes(bytes(32))
    >>> t = dt.datetime(2024, 5, 1, 9, 0, tzinfo=dt.UTC)
    >>> chain = []
    >>> for i in range(3):
    ...     chain.append(append(chain, "S1", "deposit-paid", {"amount_rub": 100 * (i + 1)},
    ...                         key, "operator", now=t + dt.timedelta(hours=i)))
    >>> verify(chain, daily_roots(chain), [public_key_hex(key)]).ok
    True
    >>> report = verify([chain[0], chain[2]])
    >>> print(report)  # doctest: +NORMALIZE_WHITESPACE
    ledger of 2 entries, 0 daily roots checked: 1 problem(s)
      [missing] entry seq 2 is missing between seq 1 (deposit-paid) and seq 3 (deposit-paid):
      seq jumps and the prev_hash of seq 3 matches no entry present
    """
    entries = list(entries)
    problems: list[Problem] = []
    trusted = None if trusted_keys is None else frozenset(k.strip().lower() for k in trusted_keys)
    checked = [_check_entry(entry, trusted, problems) for entry in entries]
    _check_chain(entries, [c[0] for c in checked], [c[1] for c in checked], problems)
    for rule in rules:
        problems.extend(rule.find_problems(entries))
    n_days = 0 if daily_roots is None else _check_daily_roots(entries, daily_roots, problems)
    return VerifyReport(
        n_entries=len(entries),
        n_days_checked=n_days,
        head_hash=entries[-1].entry_hash if entries else None,
        problems=tuple(sorted(problems, key=problem_sort_key)),
    )
