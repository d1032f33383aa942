"""Entries of the ledger: the stored record, timestamps, canonical bytes and hash.

An :class:`Entry` is one change of a site's passport or of the registry as a whole (its
kinds, and whose entry each is, are declared in :mod:`~postmine.registry.ledger.kinds`).
Its canonical bytes are the entry's fields except ``entry_hash`` and ``signature`` as one
canonical JSON object (RFC 8785, :func:`canonical_bytes`), and
``entry_hash = SHA-256(prev_hash || canonical bytes)`` (:func:`compute_entry_hash`),
``prev_hash`` taken as its 32 raw bytes. The first entry has ``seq`` 1 (:data:`FIRST_SEQ`)
and ``prev_hash`` = 64 zeros (:data:`GENESIS_HASH`). Times are UTC strings of fixed width
(:func:`format_timestamp`), kept exactly as hashed.

References
----------
[RFC8785] A. Rundgren, B. Jordan, S. Erdtman, JSON Canonicalization Scheme (JCS), RFC 8785,
          2020.
[000]     Document 000_b014910745c756ce.txt: a ledger that makes the history of each site
          and its payments trustworthy to residents, investors and authorities.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from postmine.registry.ledger.canonical import canonical_json, digest_bytes, parse_canonical_json

__all__ = [
    "FIRST_SEQ",
    "GENESIS_HASH",
    "Entry",
    "canonical_bytes",
    "compute_entry_hash",
    "entry_day",
    "entry_label",
    "format_timestamp",
    "parse_timestamp",
]

GENESIS_HASH = "0" * 64
"""``prev_hash`` of the first entry of the chain."""

FIRST_SEQ = 1
"""``seq`` of the first entry of the chain."""

_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z")


@dataclass(frozen=True)
class Entry:
    """One entry of the ledger, as stored.

    Construction does not validate: an entry loaded from storage may have been tampered
    with, and :func:`~postmine.registry.ledger.verify.verify` must be able to name it. Make
    new entries with :func:`~postmine.registry.ledger.chain.append`.

    Attributes
    ----------
    seq : int
        Position in the chain, 1 for the first entry. [-]
    site_id : int or str or None
        Site whose passport the entry changes: the registry's integer ``sites.id`` (or a
        string code). The hash covers the JSON type, so one site is always given the same
        way. None for a registry-wide entry (a kind of
        :data:`~postmine.registry.ledger.kinds.REGISTRY_WIDE_KINDS`), which belongs to no
        site. [-]
    kind : str
        One of :data:`~postmine.registry.ledger.kinds.ENTRY_KINDS`. [-]
    payload : dict
        The entry's data (JSON value; amounts carry units in their keys, e.g.
        ``amount_rub``). [-]
    prev_hash : str
        ``entry_hash`` of the entry before, or :data:`GENESIS_HASH`; 64 lowercase hex. [-]
    entry_hash : str
        SHA-256 of ``prev_hash`` (raw bytes) and the canonical bytes; 64 lowercase hex. [-]
    actor : str
        Acting party (user or organisation) that signed the entry. [-]
    public_key : str
        Actor's raw 32-byte Ed25519 public key, 64 lowercase hex. [-]
    signature : str
        Ed25519 signature of the raw ``entry_hash`` bytes, 128 lowercase hex. [-]
    created_at : str
        UTC time of the entry, ``YYYY-MM-DDTHH:MM:SS.ffffffZ`` (:func:`format_timestamp`). [-]
    """

    seq: int
    site_id: int | str | None
    kind: str
    payload: dict[str, Any]
    prev_hash: str
    entry_hash: str
    actor: str
    public_key: str
    signature: str
    created_at: str

    @property
    def payload_json(self) -> str:
        """Canonical JSON text of the payload, as a database column should store it."""
        return canonical_json(self.payload)

    def as_dict(self) -> dict[str, Any]:
        """Return the entry as a JSON-ready dict (field names as in the database columns)."""
        return {
            "seq": self.seq,
            "site_id": self.site_id,
            "kind": self.kind,
            "payload": self.payload,
            "prev_hash": self.prev_hash,
            "entry_hash": self.entry_hash,
            "actor": self.actor,
            "public_key": self.public_key,
            "signature": self.signature,
            "created_at": self.created_at,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Entry:
        """Build an entry from :meth:`as_dict` output; ``payload_json`` may replace ``payload``.

        Raises
        ------
        ValueError
            If a field is missing or ``payload_json`` is not canonical JSON.
        """
        names = [
            "seq",
            "site_id",
            "kind",
            "prev_hash",
            "entry_hash",
            "actor",
            "public_key",
            "signature",
            "created_at",
        ]
        missing = [n for n in names if n not in data]
        if "payload" not in data and "payload_json" not in data:
            missing.append("payload")
        if missing:
            raise ValueError(f"ledger entry lacks the field(s) {', '.join(missing)}")
        payload = (
            data["payload"] if "payload" in data else parse_canonical_json(data["payload_json"])
        )
        return cls(payload=payload, **{n: data[n] for n in names})


def entry_label(entry: Entry) -> str:
    """Name an entry in a message: ``seq <seq> (<kind>)``, its fields as stored.

    Examples
    --------
    >>> entry = Entry(3, "S1", "release", {}, "", "", "op", "", "", "")
    >>> entry_label(entry)
    'seq 3 (release)'
    """
    return f"seq {entry.seq} ({entry.kind})"


def format_timestamp(moment: dt.datetime) -> str:
    """Write a timezone-aware time as the ledger's UTC timestamp.

    Parameters
    ----------
    moment : datetime.datetime
        Timezone-aware time. [-]

    Returns
    -------
    str
        ``YYYY-MM-DDTHH:MM:SS.ffffffZ`` in UTC (ISO 8601, fixed width). [-]

    Raises
    ------
    ValueError
        If ``moment`` is naive (has no timezone).

    Examples
    --------
    >>> moscow = dt.timezone(dt.timedelta(hours=3))
    >>> format_timestamp(dt.datetime(2024, 5, 1, 2, 30, tzinfo=moscow))
    '2024-04-30T23:30:00.000000Z'
    """
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"time must be timezone-aware (e.g. UTC), got naive {moment.isoformat()}")
    return moment.astimezone(dt.UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def parse_timestamp(text: str) -> dt.datetime:
    """Read a ledger timestamp written by :func:`format_timestamp`.

    Parameters
    ----------
    text : str
        ``YYYY-MM-DDTHH:MM:SS.ffffffZ``. [-]

    Returns
    -------
    datetime.datetime
        The time, in UTC. [-]

    Raises
    ------
    ValueError
        If the text is not in exactly that form or not a valid time.

    Examples
    --------
    >>> parse_timestamp("2024-04-30T23:30:00.000000Z").isoformat()
    '2024-04-30T23:30:00+00:00'
    """
    if not isinstance(text, str) or not _TIMESTAMP.fullmatch(text):
        raise ValueError(f"created_at must be UTC 'YYYY-MM-DDTHH:MM:SS.ffffffZ', got {text!r}")
    try:
        return dt.datetime.fromisoformat(text)  # the pattern above ensures UTC ('Z')
    except ValueError:
        raise ValueError(f"created_at is not a valid time: {text!r}") from None


def entry_day(entry: Entry) -> dt.date:
    """UTC date of an entry (the day whose Merkle root commits to it).

    Raises
    ------
    ValueError
        If ``created_at`` is malformed.
    """
    return parse_timestamp(entry.created_at).date()


def _canonical_fields(entry: Entry) -> dict[str, Any]:
    return {
        "actor": entry.actor,
        "created_at": entry.created_at,
        "kind": entry.kind,
        "payload": entry.payload,
        "prev_hash": entry.prev_hash,
        "public_key": entry.public_key,
        "seq": entry.seq,
        "site_id": entry.site_id,
    }


def canonical_bytes(entry: Entry) -> bytes:
    """Canonical bytes of an entry: every field except ``entry_hash`` and ``signature``.

    Parameters
    ----------
    entry : Entry
        The entry. [-]

    Returns
    -------
    bytes
        UTF-8 of :func:`~postmine.registry.ledger.canonical.canonical_json` of the object
        with keys ``actor``, ``created_at``, ``kind``, ``payload``, ``prev_hash``,
        ``public_key``, ``seq``, ``site_id``. [-]

    Raises
    ------
    ValueError
        If a field cannot be written as canonical JSON.
    """
    return canonical_json(_canonical_fields(entry)).encode("utf-8")


def compute_entry_hash(entry: Entry) -> str:
    """Recompute ``entry_hash = SHA-256(prev_hash || canonical bytes)``.

    Parameters
    ----------
    entry : Entry
        The entry; its stored ``entry_hash`` and ``signature`` are ignored. [-]

    Returns
    -------
    str
        64 lowercase hex digits. [-]

    Raises
    ------
    ValueError
        If ``prev_hash`` is not 64 lowercase hex digits or a field is not canonical JSON.
    """
    prev = digest_bytes("prev_hash", entry.prev_hash)
    return hashlib.sha256(prev + canonical_bytes(entry)).hexdigest()
