"""Merkle trees of the ledger: daily roots and inclusion proofs.

The entries of one UTC day (the date of ``created_at``), in chain order, are the leaves of
a binary SHA-256 tree (:func:`merkle_root`). A leaf is ``SHA-256(0x00 || entry_hash)`` and
an inner node ``SHA-256(0x01 || left || right)``: the prefixes keep a leaf from being passed
off as an inner node (second-preimage attack, RFC 6962 section 2.1). A level with an odd
number of nodes pairs its last node with itself (as Bitcoin does). That rule lets the lists
``[a, b, c]`` and ``[a, b, c, c]`` share a root; the chain rules out the longer list (two
entries cannot carry the same ``seq`` and ``prev_hash``), so the ambiguity is harmless. A
day's root is stored once the day is over (:class:`DailyRoot`,
:func:`~postmine.registry.ledger.chain.seal_days`) and should be published outside the
database. :func:`inclusion_proof` proves one entry's place under its day's root, and
:func:`verify_inclusion` checks such a proof without the other entries.

References
----------
[RFC6962] B. Laurie, A. Langley, E. Kasper, Certificate Transparency, RFC 6962, 2013,
          section 2.1 (Merkle hash trees, leaf and node prefixes).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from postmine.registry.ledger.canonical import digest_bytes
from postmine.registry.ledger.entries import Entry, entry_day

__all__ = [
    "DailyRoot",
    "Side",
    "daily_root_records",
    "daily_roots",
    "day_root",
    "group_by_day",
    "inclusion_proof",
    "merkle_root",
    "verify_inclusion",
]

Side = Literal["left", "right"]
"""Side of a sibling node in an inclusion proof: ``left`` means ``node = H(sibling, node)``."""


def _leaf(entry_hash: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + entry_hash).digest()


def _node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _next_level(level: list[bytes]) -> list[bytes]:
    if len(level) % 2:
        level = [*level, level[-1]]
    return [_node(level[i], level[i + 1]) for i in range(0, len(level), 2)]


def merkle_root(hashes: Sequence[str]) -> str:
    r"""Merkle root of a list of entry hashes.

    Parameters
    ----------
    hashes : sequence of str
        Entry hashes in chain order, 64 lowercase hex digits each. [-]

    Returns
    -------
    str
        Root, 64 lowercase hex digits. [-]

    Raises
    ------
    ValueError
        If the list is empty or a hash is not 64 lowercase hex digits.

    Notes
    -----
    Leaf ``L_i = SHA-256(0x00 || h_i)``; inner node ``N = SHA-256(0x01 || left || right)``;
    a level with an odd number of nodes pairs its last node with itself. The prefixes are
    those of RFC 6962 section 2.1 and keep an inner node from passing as a leaf. Because of
    the duplication rule, ``[a, b, c]`` and ``[a, b, c, c]`` have the same root; the ledger
    never holds the same entry twice, so this does not weaken a daily root.

    Examples
    --------
    >>> h = "ab" * 32
    >>> merkle_root([h]) == hashlib.sha256(b"\x00" + bytes.fromhex(h)).hexdigest()
    True
    """
    if len(hashes) == 0:
        raise ValueError("merkle_root needs at least one hash, got none")
    level = [_leaf(digest_bytes(f"hashes[{i}]", h)) for i, h in enumerate(hashes)]
    while len(level) > 1:
        level = _next_level(level)
    return level[0].hex()


@dataclass(frozen=True)
class DailyRoot:
    """Stored Merkle root of one UTC day of the ledger.

    Attributes
    ----------
    day : datetime.date
        UTC date. [-]
    root : str
        Merkle root of that day's entry hashes, 64 lowercase hex digits. [-]
    n_entries : int or None
        Number of entries the root covers (``None`` if not stored). [-]
    """

    day: dt.date
    root: str
    n_entries: int | None = None


def group_by_day(entries: Iterable[Entry], *, strict: bool) -> dict[dt.date, list[Entry]]:
    """Group entries by their UTC day, keeping their order within each day.

    Parameters
    ----------
    entries : iterable of Entry
        The chain, in order. [-]
    strict : bool
        Refuse an entry with a malformed ``created_at`` (True), or leave it out (False, as
        verification does: the entry is named elsewhere). [-]

    Returns
    -------
    dict of datetime.date to list of Entry
        The entries of each day, in the order given. [-]

    Raises
    ------
    ValueError
        If ``strict`` and an entry's ``created_at`` is malformed.
    """
    groups: dict[dt.date, list[Entry]] = {}
    for entry in entries:
        try:
            day = entry_day(entry)
        except ValueError:
            if strict:
                raise ValueError(
                    f"entry seq {entry.seq} ({entry.kind}) has a malformed created_at "
                    f"{entry.created_at!r}"
                ) from None
            continue
        groups.setdefault(day, []).append(entry)
    return groups


def day_root(day_entries: Sequence[Entry]) -> str | None:
    """Merkle root of one day's entries, or None if a hash is malformed (or none is given)."""
    try:
        return merkle_root([e.entry_hash for e in day_entries])
    except ValueError:
        return None


def daily_roots(entries: Iterable[Entry]) -> dict[dt.date, str]:
    """Merkle root of each UTC day's entries, in the order given (the chain order).

    Parameters
    ----------
    entries : iterable of Entry
        The chain. [-]

    Returns
    -------
    dict of datetime.date to str
        Root (64 lowercase hex digits) per day that has entries, in date order. [-]

    Raises
    ------
    ValueError
        If an entry's ``created_at`` or ``entry_hash`` is malformed.
    """
    groups = group_by_day(entries, strict=True)
    return {day: merkle_root([e.entry_hash for e in groups[day]]) for day in sorted(groups)}


def daily_root_records(entries: Iterable[Entry]) -> list[DailyRoot]:
    """Like :func:`daily_roots`, with the number of entries of each day (for storage).

    Raises
    ------
    ValueError
        If an entry's ``created_at`` or ``entry_hash`` is malformed.
    """
    groups = group_by_day(entries, strict=True)
    return [
        DailyRoot(day, merkle_root([e.entry_hash for e in groups[day]]), len(groups[day]))
        for day in sorted(groups)
    ]


def inclusion_proof(entries: Sequence[Entry], seq: int) -> list[tuple[str, Side]]:
    """Proof that the entry ``seq`` is included in the Merkle root of its day.

    Parameters
    ----------
    entries : sequence of Entry
        The chain (at least the whole day of the entry, in chain order). [-]
    seq : int
        ``seq`` of the entry. [-]

    Returns
    -------
    list of (str, {"left", "right"})
        Sibling hashes from the leaf up, each with the side it stands on; check with
        :func:`verify_inclusion` against ``daily_roots(entries)[day]``. [-]

    Raises
    ------
    ValueError
        If no entry has that ``seq``, or a ``created_at`` or hash of the day is malformed.
    """
    matches = [e for e in entries if e.seq == seq]
    if not matches:
        seqs = [e.seq for e in entries]
        held = f"seq {min(seqs)}..{max(seqs)}" if seqs else "no entries"
        raise ValueError(f"no entry with seq {seq}; the ledger holds {held}")
    target = matches[0]
    day = entry_day(target)
    day_entries = group_by_day(entries, strict=True)[day]
    index = next(i for i, e in enumerate(day_entries) if e is target)
    level = [_leaf(digest_bytes("entry_hash", e.entry_hash)) for e in day_entries]
    proof: list[tuple[str, Side]] = []
    while len(level) > 1:
        padded = [*level, level[-1]] if len(level) % 2 else level
        sibling = index ^ 1
        proof.append((padded[sibling].hex(), "left" if sibling < index else "right"))
        level = _next_level(level)
        index //= 2
    return proof


def verify_inclusion(entry_hash: str, proof: Sequence[tuple[str, str]], root: str) -> bool:
    """Check an inclusion proof of :func:`inclusion_proof`.

    Parameters
    ----------
    entry_hash : str
        Hash of the entry, 64 lowercase hex digits. [-]
    proof : sequence of (str, str)
        Sibling hashes from the leaf up with their sides, ``"left"`` or ``"right"``. [-]
    root : str
        Daily Merkle root, 64 lowercase hex digits. [-]

    Returns
    -------
    bool
        True if the proof leads from the entry hash to the root. [-]

    Raises
    ------
    ValueError
        If a hash is not 64 lowercase hex digits or a side is neither left nor right.

    Examples
    --------
    >>> from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    >>> from postmine.registry.ledger.chain import append
    >>> key = Ed25519PrivateKey.from_private_bytes(bytes(32))
    >>> t = dt.datetime(2024, 5, 1, 9, 0, tzinfo=dt.UTC)
    >>> chain = []
    >>> for i in range(5):
    ...     chain.append(append(chain, "S1", "document-recorded", {"n": i}, key, "operator",
    ...                         now=t + dt.timedelta(minutes=i)))
    >>> root = daily_roots(chain)[dt.date(2024, 5, 1)]
    >>> proof = inclusion_proof(chain, 5)
    >>> [side for _, side in proof]
    ['right', 'right', 'left']
    >>> verify_inclusion(chain[4].entry_hash, proof, root)
    True
    >>> verify_inclusion(chain[3].entry_hash, proof, root)
    False
    """
    node = _leaf(digest_bytes("entry_hash", entry_hash))
    for i, (sibling_hex, side) in enumerate(proof):
        sibling = digest_bytes(f"proof[{i}] sibling", sibling_hex)
        if side == "left":
            node = _node(sibling, node)
        elif side == "right":
            node = _node(node, sibling)
        else:
            raise ValueError(f"proof[{i}] side must be 'left' or 'right', got {side!r}")
    return hmac.compare_digest(node, digest_bytes("root", root))
