"""Tamper-evident ledger of the registry: a signed hash chain with a Merkle root per day.

Every change of a site's passport (created, plan approved, stage accepted, deposit paid,
release, forfeit, monitoring summary, document recorded) is appended as an :class:`Entry`
to one chain shared by all sites. Each entry is bound to the one before it, signed by the
acting party, and committed to the Merkle root of its day, so that anyone holding the
entries (and, for the tail, a copy of the published daily roots) can check that nothing was
altered, removed or reordered. :func:`verify` names every entry that fails.

The construction
----------------
canonical bytes
    The entry's fields except ``entry_hash`` and ``signature`` (``actor``, ``created_at``,
    ``kind``, ``payload``, ``prev_hash``, ``public_key``, ``seq``, ``site_id``) as one JSON
    object in the JSON Canonicalization Scheme of RFC 8785 (:func:`canonical_json`): keys
    sorted (by UTF-16 code units, as RFC 8785 requires; for keys inside the Basic
    Multilingual Plane this is plain code-point order), no whitespace, UTF-8, strings
    escaped only where JSON requires it, and numbers written as ECMAScript writes an IEEE 754
    double: the shortest digit string that reads back to the same double (Python's
    ``repr`` gives these digits), integral values without a decimal point (``5.0`` is
    ``5``), plain notation for 1e-6 <= abs(x) < 1e21 and exponent notation (``1e+21``,
    ``1e-7``) outside it; ``-0`` is ``0``. NaN and infinities are refused, and so are
    integers beyond +-(2**53 - 1), which a double cannot hold exactly (store those as
    strings). A verifier in any language with an RFC 8785 library gets the same bytes, and a
    payload that went through a database JSON column (where ``5.0`` may come back as ``5``)
    hashes as before.
entry hash
    ``entry_hash = SHA-256(prev_hash || canonical bytes)``, with ``prev_hash`` as its 32 raw
    bytes; lowercase hex. The first entry has ``seq`` 1 and ``prev_hash`` = 64 zeros
    (:data:`GENESIS_HASH`).
signature
    Ed25519 (RFC 8032) by the actor's private key over the 32 raw bytes of ``entry_hash``;
    the 32-byte raw public key is stored in the entry (``public_key``, lowercase hex) and is
    itself covered by the hash. :func:`verify` with ``trusted_keys`` also checks that the
    key is one the verifier trusts: anyone can make a key, so the signature proves
    authorship only against a list of known keys.
daily Merkle root
    The entries of one UTC day (the date of ``created_at``), in chain order, are the leaves
    of a binary SHA-256 tree (:func:`merkle_root`). A leaf is ``SHA-256(0x00 ||
    entry_hash)`` and an inner node ``SHA-256(0x01 || left || right)``: the prefixes keep a
    leaf from being passed off as an inner node (second-preimage attack, RFC 6962
    section 2.1). A level with an odd number of nodes pairs its last node with itself (as
    Bitcoin does). That rule lets the lists ``[a, b, c]`` and ``[a, b, c, c]`` share a root;
    here the chain rules out the longer list (two entries cannot carry the same ``seq`` and
    ``prev_hash``), so the ambiguity is harmless. A day's root is stored once the day is
    over (:func:`seal_days`) and should be published outside the database: removing the
    last entries of the chain leaves a consistent shorter chain, and only a stored or
    published daily root (or a copy of the head hash) reveals it. Entries of the current,
    unsealed day are protected by the chain and their signatures only.

What :func:`verify` names
-------------------------
Problems carry a code from :data:`PROBLEM_CODES`, the entry's ``seq`` and ``kind`` as
stored (``kind`` is ``None`` for a removed entry, whose kind is unknown) and a message.
An altered field changes the recomputed hash (``hash-mismatch``); an altered hash or a
hash recomputed after altering the contents breaks the signature (``bad-signature``); a
removed entry leaves a gap in ``seq`` and a ``prev_hash`` that matches nothing
(``missing``); a reordering is found by rebuilding the chain from its ``prev_hash`` links and
comparing that order with the stored order: the entries that are not in every longest
common run of the two orders are named (``reordered``) -- for two swapped entries, exactly
those two.

Storage
-------
The module works on plain dataclasses. :class:`LedgerStore` is the small protocol a
database layer implements (load and add entries and daily roots); :class:`MemoryStore` is an
in-memory implementation for tests and examples. :func:`record`, :func:`seal_days` and
:func:`verify_store` work through it. A database implementation should store
``payload_json = canonical_json(entry.payload)`` (:attr:`Entry.payload_json`), load it with
:func:`parse_canonical_json` (which refuses a text that is not canonical, so that a one-byte
change that keeps the same JSON value is still seen), keep ``created_at`` as the exact
string, and enforce a unique ``seq`` so that two concurrent writers cannot both append.

References
----------
[RFC8785] A. Rundgren, B. Jordan, S. Erdtman, JSON Canonicalization Scheme (JCS), RFC 8785,
          2020.
[RFC8032] S. Josefsson, I. Liusvaara, Edwards-Curve Digital Signature Algorithm (EdDSA),
          RFC 8032, 2017.
[RFC6962] B. Laurie, A. Langley, E. Kasper, Certificate Transparency, RFC 6962, 2013,
          section 2.1 (Merkle hash trees, leaf and node prefixes).
[000]     Document 000_b014910745c756ce.txt: a ledger that makes the history of each site
          and its payments trustworthy to residents, investors and authorities.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import hashlib
import hmac
import itertools
import json
import math
import os
import re
import stat
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal, Protocol

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

__all__ = [
    "ENTRY_KINDS",
    "GENESIS_HASH",
    "PROBLEM_CODES",
    "DailyRoot",
    "Entry",
    "Keyring",
    "LedgerStore",
    "MemoryStore",
    "Problem",
    "Side",
    "VerifyReport",
    "append",
    "canonical_bytes",
    "canonical_json",
    "check_kind",
    "check_release_allowed",
    "compute_entry_hash",
    "daily_root_records",
    "daily_roots",
    "entry_day",
    "format_timestamp",
    "generate_private_key",
    "inclusion_proof",
    "load_private_key",
    "merkle_root",
    "parse_canonical_json",
    "parse_timestamp",
    "public_key_from_hex",
    "public_key_hex",
    "record",
    "save_private_key",
    "seal_days",
    "verify",
    "verify_inclusion",
    "verify_store",
]

ENTRY_KINDS: tuple[str, ...] = (
    "created",
    "plan-approved",
    "stage-accepted",
    "deposit-paid",
    "release",
    "forfeit",
    "monitoring-summary",
    "document-recorded",
)
"""Kinds of ledger entries, in the order of a site's life."""

GENESIS_HASH = "0" * 64
"""``prev_hash`` of the first entry of the chain."""

FIRST_SEQ = 1
"""``seq`` of the first entry of the chain."""

PROBLEM_CODES: dict[str, str] = {
    "malformed": "a field has the wrong type or format (hex, timestamp, kind, payload)",
    "hash-mismatch": "the entry's contents do not hash to its stored entry_hash: altered",
    "bad-signature": "the signature does not verify with the entry's public key",
    "untrusted-key": "the entry is signed by a key not among the trusted keys",
    "missing": "one or more entries were removed (gap in seq, dangling prev_hash)",
    "broken-link": "prev_hash does not link the entry to the one before it",
    "reordered": "the entry stands elsewhere than its prev_hash link places it",
    "duplicate": "the same seq or the same entry occurs twice",
    "bad-seq": "seq does not follow the seq of the entry it links to",
    "time-order": "created_at is earlier than that of the entry before it",
    "release-without-evidence": "a release precedes the evidence of its milestone",
    "daily-root-mismatch": "a stored daily Merkle root does not match that day's entries",
    "daily-root-orphan": "a stored daily root has no entries of its day left",
    "daily-root-missing": "a day between sealed days has entries but no stored root",
}
"""Problem codes of :class:`Problem`, each with its meaning."""

Side = Literal["left", "right"]
"""Side of a sibling node in an inclusion proof: ``left`` means ``node = H(sibling, node)``."""

_MAX_SAFE_INTEGER = 2**53 - 1
_HEX64 = re.compile(r"[0-9a-f]{64}")
_HEX128 = re.compile(r"[0-9a-f]{128}")
_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z")
_ACTOR_FILE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")


# --------------------------------------------------------------------------- canonical JSON


def _format_number(x: float) -> str:
    """Write a finite double as ECMAScript's Number.prototype.toString does (RFC 8785 3.2.2.3)."""
    if not math.isfinite(x):
        raise ValueError(f"numbers must be finite (RFC 8785 has no NaN or Infinity), got {x!r}")
    if x == 0:
        return "0"
    sign = "-" if x < 0 else ""
    _, digit_tuple, exponent = Decimal(repr(abs(x))).as_tuple()
    assert isinstance(exponent, int)  # finite, so never 'n', 'N' or 'F'
    digits = "".join(map(str, digit_tuple))
    stripped = digits.rstrip("0")
    exponent += len(digits) - len(stripped)
    k = len(stripped)  # number of significant digits
    n = k + exponent  # position of the decimal point relative to the digits
    if k <= n <= 21:
        text = stripped + "0" * (n - k)
    elif 0 < n <= 21:
        text = stripped[:n] + "." + stripped[n:]
    elif -6 < n <= 0:
        text = "0." + "0" * (-n) + stripped
    else:
        mantissa = stripped if k == 1 else stripped[0] + "." + stripped[1:]
        e = n - 1
        text = f"{mantissa}e{'+' if e >= 0 else '-'}{abs(e)}"
    return sign + text


def _utf16_key(key: str) -> bytes:
    return key.encode("utf-16-be", "surrogatepass")


def _encode(value: Any, out: list[str], path: str) -> None:
    if value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int):
        if abs(value) > _MAX_SAFE_INTEGER:
            raise ValueError(
                f"{path} must be an integer within +-(2**53 - 1) (exact in a JSON number), "
                f"got {value}; store larger integers as strings"
            )
        out.append(str(int(value)))
    elif isinstance(value, float):
        try:
            out.append(_format_number(value))
        except ValueError as exc:
            raise ValueError(f"{path}: {exc}") from None
    elif isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError(f"{path} is not valid Unicode (lone surrogate): {value!r}") from None
        out.append(json.dumps(value, ensure_ascii=False))
    elif isinstance(value, Mapping):
        keys = list(value)
        for key in keys:
            if not isinstance(key, str):
                raise ValueError(f"{path} has a key that is not a string: {key!r}")
        out.append("{")
        for i, key in enumerate(sorted(keys, key=_utf16_key)):
            if i:
                out.append(",")
            _encode(key, out, path)
            out.append(":")
            _encode(value[key], out, f"{path}.{key}")
        out.append("}")
    elif isinstance(value, list | tuple):
        out.append("[")
        for i, item in enumerate(value):
            if i:
                out.append(",")
            _encode(item, out, f"{path}[{i}]")
        out.append("]")
    else:
        raise ValueError(
            f"{path} must be JSON (null, bool, int, float, str, list, dict), "
            f"got {type(value).__name__}: {value!r}"
        )


def canonical_json(value: Any) -> str:
    r"""Write a JSON value in the JSON Canonicalization Scheme (RFC 8785).

    Parameters
    ----------
    value : None, bool, int, float, str, list, tuple or mapping with str keys
        The value to write, nested to any depth. [-]

    Returns
    -------
    str
        Canonical JSON text; ``.encode("utf-8")`` gives the canonical bytes. [-]

    Raises
    ------
    ValueError
        If the value holds NaN or an infinity, an integer beyond +-(2**53 - 1), a key that
        is not a string, a lone surrogate, or a type JSON does not have (the message gives
        its path, e.g. ``$.amounts[2]``).

    Notes
    -----
    Keys are sorted by their UTF-16 code units, strings are escaped only where JSON requires
    it (``\"``, ``\\``, ``\b``, ``\f``, ``\n``, ``\r``, ``\t``, other control characters as
    ``\u00xx``), and numbers are written as ECMAScript writes an IEEE 754 double: the
    shortest round-trip digits, integral values without ``.0``, plain notation for
    1e-6 <= abs(x) < 1e21, exponent notation (``1e+21``, ``1e-7``) outside; section 3.2 of
    [RFC8785]_.

    References
    ----------
    .. [RFC8785] A. Rundgren, B. Jordan, S. Erdtman, JSON Canonicalization Scheme (JCS),
       RFC 8785, 2020.

    Examples
    --------
    >>> canonical_json({"numbers": [1e30, 4.50, 6, 2e-3, 1e-27], "b": "é\n", "a": None})
    '{"a":null,"b":"é\\n","numbers":[1e+30,4.5,6,0.002,1e-27]}'
    """
    out: list[str] = []
    _encode(value, out, "$")
    return "".join(out)


def parse_canonical_json(text: str) -> Any:
    r"""Read canonical JSON text, refusing any text that :func:`canonical_json` would not write.

    Use it to load a stored ``payload_json``: two texts with the same JSON value (``"é"``
    and ``"\u00e9"``, ``5`` and ``5.0``) hash alike, so a change of one byte that keeps the
    value would otherwise go unseen.

    Parameters
    ----------
    text : str
        Canonical JSON text. [-]

    Returns
    -------
    Any
        The JSON value (dicts, lists, str, int, float, bool, None). [-]

    Raises
    ------
    ValueError
        If the text is not JSON or not in canonical form.

    Examples
    --------
    >>> parse_canonical_json('{"a":1,"b":[2.5,"x"]}')
    {'a': 1, 'b': [2.5, 'x']}
    >>> parse_canonical_json('{"b":1,"a":2}')
    Traceback (most recent call last):
    ...
    ValueError: JSON text is not canonical (RFC 8785): expected '{"a":2,"b":1}', got '{"b":1,"a":2}'
    """

    def _refuse_constant(name: str) -> Any:
        raise ValueError(f"JSON text holds {name}, which canonical JSON does not allow")

    try:
        value = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise ValueError(f"JSON text does not parse: {exc}") from None
    canonical = canonical_json(value)
    if canonical != text:
        raise ValueError(
            f"JSON text is not canonical (RFC 8785): expected {_clip(canonical)!r}, "
            f"got {_clip(text)!r}"
        )
    return value


def _clip(text: str, width: int = 80) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


# --------------------------------------------------------------------------- entries


@dataclass(frozen=True)
class Entry:
    """One entry of the ledger, as stored.

    Construction does not validate: an entry loaded from storage may have been tampered
    with, and :func:`verify` must be able to name it. Make new entries with :func:`append`.

    Attributes
    ----------
    seq : int
        Position in the chain, 1 for the first entry. [-]
    site_id : int or str
        Site whose passport the entry changes: the registry's integer ``sites.id`` (or a
        string code). The hash covers the JSON type, so one site is always given the same
        way. [-]
    kind : str
        One of :data:`ENTRY_KINDS`. [-]
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
    site_id: int | str
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


def _site_id_problem(site_id: object) -> str | None:
    if isinstance(site_id, bool) or not isinstance(site_id, int | str):
        return f"site_id must be an integer >= 1 or a non-empty string, got {site_id!r}"
    if isinstance(site_id, int) and site_id < 1:
        return f"site_id must be an integer >= 1 or a non-empty string, got {site_id}"
    if isinstance(site_id, str) and not site_id.strip():
        return f"site_id must be an integer >= 1 or a non-empty string, got {site_id!r}"
    return None


def check_kind(kind: str) -> str:
    """Return ``kind`` if it is one of :data:`ENTRY_KINDS`.

    Parameters
    ----------
    kind : str
        Entry kind. [-]

    Returns
    -------
    str
        The same kind. [-]

    Raises
    ------
    ValueError
        If the kind is not allowed; the message lists the allowed kinds.

    Examples
    --------
    >>> check_kind("deposit-paid")
    'deposit-paid'
    """
    if kind not in ENTRY_KINDS:
        raise ValueError(f"kind must be one of {', '.join(ENTRY_KINDS)}; got {kind!r}")
    return kind


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
        UTF-8 of :func:`canonical_json` of the object with keys ``actor``, ``created_at``,
        ``kind``, ``payload``, ``prev_hash``, ``public_key``, ``seq``, ``site_id``. [-]

    Raises
    ------
    ValueError
        If a field cannot be written as canonical JSON.
    """
    return canonical_json(_canonical_fields(entry)).encode("utf-8")


def _hash_bytes(name: str, text: object) -> bytes:
    if not isinstance(text, str) or not _HEX64.fullmatch(text):
        raise ValueError(f"{name} must be 64 lowercase hex digits (32 bytes), got {text!r}")
    return bytes.fromhex(text)


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
    prev = _hash_bytes("prev_hash", entry.prev_hash)
    return hashlib.sha256(prev + canonical_bytes(entry)).hexdigest()


# --------------------------------------------------------------------------- keys


def generate_private_key() -> Ed25519PrivateKey:
    """Generate a new Ed25519 private key for an actor."""
    return Ed25519PrivateKey.generate()


def public_key_hex(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    """Raw 32-byte public key of a key (or key pair) as 64 lowercase hex digits.

    Examples
    --------
    >>> key = Ed25519PrivateKey.from_private_bytes(bytes(32))
    >>> public_key_hex(key)
    '3b6a27bcceb6a42d62a3a8d02a6f0d73653215771de243a63ac048a18b59da29'
    """
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()


def public_key_from_hex(text: str) -> Ed25519PublicKey:
    """Read a raw Ed25519 public key written as 64 lowercase hex digits.

    Raises
    ------
    ValueError
        If the text is not 64 lowercase hex digits or not a valid key.
    """
    raw = _hash_bytes("public_key", text)
    try:
        return Ed25519PublicKey.from_public_bytes(raw)
    except ValueError:
        raise ValueError(f"public_key is not a valid Ed25519 key: {text}") from None


def _write_secret(path: Path, data: bytes, overwrite: bool) -> None:
    flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if overwrite else os.O_EXCL)
    try:
        fd = os.open(path, flags, 0o600)
    except FileExistsError:
        raise FileExistsError(
            f"key file {path} exists; refusing to overwrite a private key (overwrite=True to "
            "replace it)"
        ) from None
    with os.fdopen(fd, "wb") as handle:
        if hasattr(os, "fchmod"):
            os.fchmod(handle.fileno(), 0o600)  # also when the file existed with other bits
        handle.write(data)


def save_private_key(
    key: Ed25519PrivateKey,
    path: str | os.PathLike[str],
    *,
    passphrase: bytes | None = None,
    overwrite: bool = False,
) -> Path:
    """Write a private key as PKCS#8 PEM readable by its owner only (mode 0600).

    Parameters
    ----------
    key : Ed25519PrivateKey
        The key. [-]
    path : str or path-like
        File to write. [-]
    passphrase : bytes, optional
        Encrypt the PEM with this passphrase (the best encryption ``cryptography`` has). [-]
    overwrite : bool, optional
        Replace an existing file (default: refuse). [-]

    Returns
    -------
    pathlib.Path
        The path written. [-]

    Raises
    ------
    FileExistsError
        If the file exists and ``overwrite`` is false.
    """
    target = Path(path)
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(passphrase)
        if passphrase
        else serialization.NoEncryption()
    )
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )
    _write_secret(target, pem, overwrite)
    return target


def load_private_key(
    path: str | os.PathLike[str], *, passphrase: bytes | None = None
) -> Ed25519PrivateKey:
    """Read a private key written by :func:`save_private_key`.

    Parameters
    ----------
    path : str or path-like
        PEM file. [-]
    passphrase : bytes, optional
        Passphrase of an encrypted PEM. [-]

    Returns
    -------
    Ed25519PrivateKey
        The key. [-]

    Raises
    ------
    PermissionError
        If (on POSIX) the file is readable or writable by group or others (as ssh refuses
        such keys); the message gives the ``chmod`` that fixes it.
    ValueError
        If the file is not a PEM private key, the passphrase is wrong or missing, or the key
        is not Ed25519.
    """
    source = Path(path)
    mode = stat.S_IMODE(source.stat().st_mode)
    if os.name == "posix" and mode & 0o077:
        raise PermissionError(
            f"key file {source} has mode {mode:04o}; a private key must be readable by its "
            f"owner only (mode 0600): chmod 600 {source}"
        )
    try:
        key = serialization.load_pem_private_key(source.read_bytes(), password=passphrase)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"cannot read the private key in {source}: {exc}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"key in {source} is {type(key).__name__}, not an Ed25519 key")
    return key


class Keyring:
    """A directory of actors' keys: ``<actor>.pem`` (private, 0600) and ``<actor>.pub`` (hex).

    Parameters
    ----------
    directory : str or path-like
        Directory of the keys; created with mode 0700 when a key is first added. [-]

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     ring = Keyring(tmp)
    ...     key = ring.create("regulator")
    ...     ring.public_keys() == {"regulator": public_key_hex(key)}
    True
    """

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)

    def _path(self, actor: str, suffix: str) -> Path:
        if not isinstance(actor, str) or not _ACTOR_FILE.fullmatch(actor):
            raise ValueError(
                "actor must be 1-128 characters of letters, digits, '.', '_' or '-', not "
                f"starting with '.', '_' or '-' (it names a key file), got {actor!r}"
            )
        return self.directory / f"{actor}{suffix}"

    def create(
        self, actor: str, *, passphrase: bytes | None = None, overwrite: bool = False
    ) -> Ed25519PrivateKey:
        """Generate and save a key pair for ``actor``; return the private key.

        Raises
        ------
        ValueError
            If ``actor`` cannot name a file.
        FileExistsError
            If the actor has a key already and ``overwrite`` is false.
        """
        pem = self._path(actor, ".pem")
        self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        key = generate_private_key()
        save_private_key(key, pem, passphrase=passphrase, overwrite=overwrite)
        self._path(actor, ".pub").write_text(public_key_hex(key) + "\n", encoding="ascii")
        return key

    def load(self, actor: str, *, passphrase: bytes | None = None) -> Ed25519PrivateKey:
        """Load the private key of ``actor`` (see :func:`load_private_key` for the errors)."""
        return load_private_key(self._path(actor, ".pem"), passphrase=passphrase)

    def actors(self) -> list[str]:
        """Actors with a public key in the directory, sorted."""
        if not self.directory.is_dir():
            return []
        return sorted(p.stem for p in self.directory.glob("*.pub"))

    def public_keys(self) -> dict[str, str]:
        """Public key (hex) of every actor, e.g. as ``trusted_keys`` for :func:`verify`.

        Raises
        ------
        ValueError
            If a ``.pub`` file does not hold a valid key.
        """
        keys = {}
        for actor in self.actors():
            text = self._path(actor, ".pub").read_text(encoding="ascii").strip()
            public_key_from_hex(text)
            keys[actor] = text
        return keys


# --------------------------------------------------------------------------- release evidence


def _acceptance_act_problem(payload: Mapping[str, Any]) -> str | None:
    act = payload.get("acceptance_act")
    if not isinstance(act, Mapping):
        return "has no acceptance_act document reference"
    reference = act.get("reference")
    if not isinstance(reference, str) or not reference.strip():
        return "has an acceptance_act without a 'reference'"
    digest = act.get("sha256")
    if not isinstance(digest, str) or not _HEX64.fullmatch(digest):
        return "has an acceptance_act without a 'sha256' checksum (64 lowercase hex digits)"
    return None


def _evidence_verdict(entry: Entry, milestone: str) -> str | None:
    """Return None if ``entry`` is evidence for ``milestone``, else why not ('' if unrelated)."""
    payload = entry.payload
    if not isinstance(payload, Mapping) or payload.get("milestone") != milestone:
        return ""
    if entry.kind == "stage-accepted":
        return _acceptance_act_problem(payload)
    if entry.kind == "monitoring-summary":
        if payload.get("criteria_met") is True:
            return None
        return f"has criteria_met = {json.dumps(payload.get('criteria_met'))}, not true"
    return ""


def check_release_allowed(
    milestone: str, evidence_entries: Iterable[Entry], *, site_id: int | str | None = None
) -> Entry:
    """Find the recorded evidence that allows releasing the assurance of ``milestone``.

    A release of financial assurance is allowed only once its milestone's evidence is in
    the chain: a ``stage-accepted`` entry whose payload has ``milestone`` and an
    ``acceptance_act`` document reference (``{"reference": ..., "sha256": <64 hex>}``), or
    a ``monitoring-summary`` entry whose payload has ``milestone`` and
    ``criteria_met: true``.

    Parameters
    ----------
    milestone : str
        Milestone the release is for (the ``name`` of a project file's milestone). [-]
    evidence_entries : iterable of Entry
        Entries recorded before the release. [-]
    site_id : int or str, optional
        Count only evidence of this site (``append`` passes the release's site). [-]

    Returns
    -------
    Entry
        The first entry that is evidence for the milestone. [-]

    Raises
    ------
    ValueError
        If ``milestone`` is empty, or there is no such evidence; the message says what
        evidence is needed and what was found instead.

    Examples
    --------
    >>> key = Ed25519PrivateKey.from_private_bytes(bytes(32))
    >>> act = {"reference": "act 12/2024", "sha256": "ab" * 32}
    >>> e = append([], "S1", "stage-accepted", {"milestone": "backfill", "acceptance_act": act},
    ...            key, "regulator", now=dt.datetime(2024, 5, 1, tzinfo=dt.UTC))
    >>> check_release_allowed("backfill", [e], site_id="S1").seq
    1
    >>> check_release_allowed("revegetation", [e], site_id="S1")
    Traceback (most recent call last):
    ...
    ValueError: release of milestone 'revegetation' of site 'S1' refused: ...
    """
    if not isinstance(milestone, str) or not milestone.strip():
        raise ValueError(f"milestone must be a non-empty string, got {milestone!r}")
    near_misses: list[str] = []
    for entry in evidence_entries:
        if site_id is not None and entry.site_id != site_id:
            continue
        verdict = _evidence_verdict(entry, milestone)
        if verdict is None:
            return entry
        if verdict:
            near_misses.append(f"{entry.kind} entry seq {entry.seq} {verdict}")
    where = f" of site {site_id!r}" if site_id is not None else ""
    found = "; found: " + "; ".join(near_misses) if near_misses else ""
    raise ValueError(
        f"release of milestone {milestone!r}{where} refused: no evidence recorded earlier in "
        "the ledger. Needed: a 'stage-accepted' entry with payload "
        f'{{"milestone": {json.dumps(milestone, ensure_ascii=False)}, "acceptance_act": '
        '{"reference": ..., "sha256": ...}}, or a \'monitoring-summary\' entry with payload '
        f'{{"milestone": {json.dumps(milestone, ensure_ascii=False)}, "criteria_met": true}}'
        f"{found}"
    )


# --------------------------------------------------------------------------- appending


def _build_entry(
    seq: int,
    prev_hash: str,
    site_id: int | str,
    kind: str,
    payload: Mapping[str, Any],
    private_key: Ed25519PrivateKey,
    actor: str,
    created_at: str,
) -> Entry:
    """Hash and sign an entry without any of ``append``'s checks of the chain."""
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
    site_id: int | str,
    kind: str,
    payload: Mapping[str, Any],
    private_key: Ed25519PrivateKey,
    actor: str,
    now: dt.datetime | None = None,
) -> Entry:
    """Make the next entry of the chain, hashed and signed by the actor's key.

    The entry is returned, not stored: the caller stores it (:func:`record` does both).

    Parameters
    ----------
    entries_so_far : sequence of Entry
        The whole chain so far, in order (empty for the first entry). The last entry is
        checked against its hash; a release also searches them for its evidence. [-]
    site_id : int or str
        Site whose passport changes: the registry's ``sites.id`` (or a string code; the
        same type for the same site every time). [-]
    kind : str
        One of :data:`ENTRY_KINDS`. [-]
    payload : mapping
        The entry's data, a JSON object (see :func:`canonical_json` for what it may hold).
        A ``release`` needs ``payload["milestone"]``. [-]
    private_key : Ed25519PrivateKey
        Acting party's key. [-]
    actor : str
        Acting party. [-]
    now : datetime.datetime, optional
        Timezone-aware time of the entry; default the current time. [-]

    Returns
    -------
    Entry
        The new entry, ``seq`` one more than the last one's (1 for the first). [-]

    Raises
    ------
    ValueError
        If ``kind`` is not allowed (the message lists the allowed kinds), ``site_id`` is
        neither an integer >= 1 nor a non-empty string, ``actor`` is empty, the payload is
        not a JSON object that canonical JSON can write, ``now`` is naive or earlier than the
        last entry's time, the last entry does not match its hash, or a release lacks its
        milestone's evidence (see :func:`check_release_allowed`).
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
    site_problem = _site_id_problem(site_id)
    if site_problem:
        raise ValueError(site_problem)
    if not isinstance(actor, str) or not actor.strip():
        raise ValueError(f"actor must be a non-empty string, got {actor!r}")
    if not isinstance(payload, Mapping):
        raise ValueError(f"payload must be a JSON object (mapping), got {type(payload).__name__}")
    canonical_json(payload)  # refuses what the hash cannot cover, naming the path
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
    if kind == "release":
        milestone = payload.get("milestone")
        if not isinstance(milestone, str) or not milestone.strip():
            raise ValueError(
                "a release entry needs payload['milestone'], the milestone whose assurance "
                f"it releases; got {milestone!r}"
            )
        check_release_allowed(milestone, entries_so_far, site_id=site_id)
    return _build_entry(seq, prev_hash, site_id, kind, payload, private_key, actor, created_at)


# --------------------------------------------------------------------------- Merkle roots


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
    level = [_leaf(_hash_bytes(f"hashes[{i}]", h)) for i, h in enumerate(hashes)]
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


def _group_by_day(entries: Iterable[Entry], *, strict: bool) -> dict[dt.date, list[Entry]]:
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


def _day_root(day_entries: Sequence[Entry]) -> str | None:
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
    groups = _group_by_day(entries, strict=True)
    return {day: merkle_root([e.entry_hash for e in groups[day]]) for day in sorted(groups)}


def daily_root_records(entries: Iterable[Entry]) -> list[DailyRoot]:
    """Like :func:`daily_roots`, with the number of entries of each day (for storage).

    Raises
    ------
    ValueError
        If an entry's ``created_at`` or ``entry_hash`` is malformed.
    """
    groups = _group_by_day(entries, strict=True)
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
    day_entries = _group_by_day(entries, strict=True)[day]
    index = next(i for i, e in enumerate(day_entries) if e is target)
    level = [_leaf(_hash_bytes("entry_hash", e.entry_hash)) for e in day_entries]
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
    node = _leaf(_hash_bytes("entry_hash", entry_hash))
    for i, (sibling_hex, side) in enumerate(proof):
        sibling = _hash_bytes(f"proof[{i}] sibling", sibling_hex)
        if side == "left":
            node = _node(sibling, node)
        elif side == "right":
            node = _node(node, sibling)
        else:
            raise ValueError(f"proof[{i}] side must be 'left' or 'right', got {side!r}")
    return hmac.compare_digest(node, _hash_bytes("root", root))


# --------------------------------------------------------------------------- verification


@dataclass(frozen=True)
class Problem:
    """One problem found by :func:`verify`.

    Attributes
    ----------
    seq : int or None
        ``seq`` of the entry named, as stored (the first missing ``seq`` for removed
        entries; ``None`` for a problem of a whole day). [-]
    kind : str or None
        ``kind`` of the entry as stored (``None`` when the entry is gone). [-]
    code : str
        One of :data:`PROBLEM_CODES`. [-]
    message : str
        Readable explanation. [-]
    day : datetime.date or None
        UTC day, for problems of a daily root. [-]
    """

    seq: int | None
    kind: str | None
    code: str
    message: str
    day: dt.date | None = None

    def as_dict(self) -> dict[str, Any]:
        """Return the problem as a JSON-ready dict."""
        return {
            "seq": self.seq,
            "kind": self.kind,
            "code": self.code,
            "message": self.message,
            "day": self.day.isoformat() if self.day else None,
        }


@dataclass(frozen=True)
class VerifyReport:
    """Result of :func:`verify`.

    Attributes
    ----------
    n_entries : int
        Number of entries checked. [-]
    n_days_checked : int
        Number of stored daily roots checked. [-]
    head_hash : str or None
        ``entry_hash`` of the last entry (publish it to protect the unsealed tail). [-]
    problems : tuple of Problem
        Problems found, sorted by ``seq`` (day problems last). [-]
    """

    n_entries: int
    n_days_checked: int
    head_hash: str | None
    problems: tuple[Problem, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        """True if no problem was found."""
        return not self.problems

    @property
    def named(self) -> list[tuple[int | None, str | None]]:
        """Distinct ``(seq, kind)`` pairs named by the problems, in order."""
        return list(dict.fromkeys((p.seq, p.kind) for p in self.problems))

    def as_dict(self) -> dict[str, Any]:
        """Return the report as a JSON-ready dict."""
        return {
            "ok": self.ok,
            "n_entries": self.n_entries,
            "n_days_checked": self.n_days_checked,
            "head_hash": self.head_hash,
            "problems": [p.as_dict() for p in self.problems],
        }

    def __str__(self) -> str:
        head = (
            f"ledger of {self.n_entries} entries, {self.n_days_checked} daily roots checked: "
            + ("OK" if self.ok else f"{len(self.problems)} problem(s)")
        )
        return "\n".join([head, *(f"  [{p.code}] {p.message}" for p in self.problems)])


def _name(entry: Entry) -> str:
    return f"seq {entry.seq} ({entry.kind})"


def _short(text: object) -> str:
    return f"{text[:12]}…" if isinstance(text, str) and len(text) > 12 else repr(text)


def _check_fields(entry: Entry) -> list[str]:
    """Return what is malformed in an entry's fields."""
    bad = []
    if not isinstance(entry.seq, int) or isinstance(entry.seq, bool) or entry.seq < FIRST_SEQ:
        bad.append(f"seq must be an integer >= {FIRST_SEQ}, got {entry.seq!r}")
    site_problem = _site_id_problem(entry.site_id)
    if site_problem:
        bad.append(site_problem)
    if not isinstance(entry.actor, str) or not entry.actor.strip():
        bad.append(f"actor must be a non-empty string, got {entry.actor!r}")
    if entry.kind not in ENTRY_KINDS:
        bad.append(f"kind must be one of {', '.join(ENTRY_KINDS)}; got {entry.kind!r}")
    if not isinstance(entry.payload, dict):
        bad.append(f"payload must be a JSON object, got {type(entry.payload).__name__}")
    for name in ("prev_hash", "entry_hash", "public_key"):
        value = getattr(entry, name)
        if not isinstance(value, str) or not _HEX64.fullmatch(value):
            bad.append(f"{name} must be 64 lowercase hex digits, got {value!r}")
    if not isinstance(entry.signature, str) or not _HEX128.fullmatch(entry.signature):
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
        problems.append(Problem(entry.seq, entry.kind, code, f"entry {_name(entry)}: {message}"))

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
            f"its contents hash to {_short(computed)}, not to the stored entry_hash "
            f"{_short(entry.entry_hash)}: the entry was altered",
        )
    signature_ok = False
    try:
        public = public_key_from_hex(entry.public_key)
        if isinstance(entry.signature, str) and _HEX128.fullmatch(entry.signature):
            public.verify(bytes.fromhex(entry.signature), _hash_bytes("", entry.entry_hash))
            signature_ok = True
    except (ValueError, InvalidSignature):
        pass
    if not signature_ok:
        report(
            "bad-signature",
            f"the signature does not verify with the entry's public key "
            f"{_short(entry.public_key)} over its entry_hash: the entry, its hash or its "
            "signature was altered",
        )
    if trusted is not None and entry.public_key not in trusted:
        report(
            "untrusted-key",
            f"signed by key {entry.public_key!r} (actor {entry.actor!r}), which is not among "
            "the trusted keys",
        )
    return computed, bool(malformed)


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


_GENESIS = -1  # predecessor index standing for the genesis


def _check_chain(
    entries: Sequence[Entry],
    computed: Sequence[str | None],
    malformed: Sequence[bool],
    problems: list[Problem],
) -> None:
    """Check seq and prev_hash links; name removed, reordered and duplicated entries."""
    n = len(entries)
    if n == 0:
        return
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

    preds = [link(i) for i in range(n)]
    successors: dict[int, list[int]] = {}
    for i, p in enumerate(preds):
        if p is not None and p != _GENESIS:
            successors.setdefault(p, []).append(i)

    # Rebuild the chain order from the links, starting at the genesis or a dangling link.
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
    displaced = {order[k] for k in range(n) if not in_place[k]}

    altered = [computed[i] != entries[i].entry_hash for i in range(n)]
    unreliable = [altered[i] or malformed[i] for i in range(n)]
    first_at: dict[str, int] = {}
    seq_first_at: dict[object, int] = {}
    for i, entry in enumerate(entries):
        e_name = _name(entry)

        def report(code: str, message: str, entry: Entry = entry) -> None:
            problems.append(Problem(entry.seq, entry.kind, code, message))

        if isinstance(entry.entry_hash, str) and entry.entry_hash in first_at:
            report(
                "duplicate",
                f"entry {e_name} at position {i} is a copy of the entry at position "
                f"{first_at[entry.entry_hash]}",
            )
            continue
        first_at.setdefault(entry.entry_hash, i)
        if entry.seq in seq_first_at:
            j = seq_first_at[entry.seq]
            # Name the copy whose contents were altered, if only one of the two was.
            culprit, other = (
                (entries[j], entry) if unreliable[j] and not unreliable[i] else (entry, entries[j])
            )
            report(
                "duplicate",
                f"entry {_name(culprit)}: seq {entry.seq} also belongs to {_name(other)}",
                culprit,
            )
        seq_first_at.setdefault(entry.seq, i)

        p = preds[i]
        if i in displaced:
            if p is None:
                target = "matches no entry present"
            elif p == _GENESIS:
                target = "makes it the first entry"
            else:
                target = f"links it after {_name(entries[p])}"
            after = f"after {_name(entries[i - 1])}" if i else "first"
            report(
                "reordered",
                f"entry {e_name} is out of order: it stands {after}, but its prev_hash {target}",
            )
            continue
        if i == 0:
            if p == _GENESIS:
                if entry.seq != FIRST_SEQ and not altered[i]:
                    report("bad-seq", f"entry {e_name} is the first entry but has seq {entry.seq}")
            elif p is None and isinstance(entry.seq, int) and entry.seq > FIRST_SEQ:
                _report_missing(problems, FIRST_SEQ, entry.seq - 1, None, entry)
            else:
                report(
                    "broken-link",
                    f"entry {e_name} is the first entry but its prev_hash "
                    f"{_short(entry.prev_hash)} is not the genesis hash",
                )
            continue
        q = i - 1
        before = entries[q]
        if p == q:
            if unreliable[q] or unreliable[i]:
                continue  # the altered entry is named already; its seq and time are unreliable
            if entry.seq != before.seq + 1:
                report(
                    "bad-seq",
                    f"entry {e_name} links to {_name(before)} but its seq is not {before.seq + 1}",
                )
            elif parse_timestamp(entry.created_at) < parse_timestamp(before.created_at):
                report(
                    "time-order",
                    f"entry {e_name} was created at {entry.created_at}, before the entry it "
                    f"follows, {_name(before)}, at {before.created_at}",
                )
            continue
        if q in displaced or (p is not None and p in displaced):
            continue  # explained by the reordering named above
        if p is None:
            gap = (
                isinstance(entry.seq, int)
                and isinstance(before.seq, int)
                and entry.seq > before.seq + 1
            )
            if gap:
                _report_missing(problems, before.seq + 1, entry.seq - 1, before, entry)
            else:
                report(
                    "broken-link",
                    f"entry {e_name}: its prev_hash {_short(entry.prev_hash)} matches no entry "
                    f"present, not the entry_hash of {_name(before)} before it: the link was "
                    "altered, or an entry was removed and the rest renumbered",
                )
        elif p == _GENESIS:
            report(
                "broken-link",
                f"entry {e_name} stands after {_name(before)} but its prev_hash is the "
                "genesis hash",
            )
        else:
            report(
                "broken-link",
                f"entry {e_name}: its prev_hash links it to {_name(entries[p])} at position "
                f"{p}, not to {_name(before)} before it",
            )


def _report_missing(
    problems: list[Problem], first: int, last: int, before: Entry | None, after: Entry
) -> None:
    """Add a ``missing`` problem for the removed seqs ``first..last``."""
    what = f"entry seq {first} is" if first == last else f"entries seq {first}-{last} are"
    where = f"between {_name(before)} and {_name(after)}" if before else f"before {_name(after)}"
    problems.append(
        Problem(
            first,
            None,
            "missing",
            f"{what} missing {where}: seq jumps and the prev_hash of seq {after.seq} matches "
            "no entry present",
        )
    )


def _check_releases(entries: Sequence[Entry], problems: list[Problem]) -> None:
    """Name releases whose milestone has no evidence earlier in the chain."""
    evidence: set[tuple[object, str]] = set()
    for i, entry in enumerate(entries):
        payload = entry.payload if isinstance(entry.payload, dict) else {}
        milestone = payload.get("milestone")
        if not isinstance(milestone, str):
            continue
        if entry.kind == "release":
            if (entry.site_id, milestone) not in evidence:
                try:
                    check_release_allowed(milestone, entries[:i], site_id=entry.site_id)
                    reason = "its evidence does not precede it"
                except ValueError as exc:
                    reason = str(exc)
                problems.append(
                    Problem(
                        entry.seq,
                        entry.kind,
                        "release-without-evidence",
                        f"entry {_name(entry)}: {reason}",
                    )
                )
        elif milestone.strip() and _evidence_verdict(entry, milestone) is None:
            evidence.add((entry.site_id, milestone))


def _normalise_roots(
    stored: Mapping[dt.date, str | DailyRoot] | Iterable[DailyRoot],
) -> dict[dt.date, DailyRoot]:
    if isinstance(stored, Mapping):
        return {
            day: rec if isinstance(rec, DailyRoot) else DailyRoot(day, rec)
            for day, rec in stored.items()
        }
    return {rec.day: rec for rec in stored}


def _check_daily_roots(
    entries: Sequence[Entry],
    stored: Mapping[dt.date, str | DailyRoot] | Iterable[DailyRoot],
    problems: list[Problem],
) -> int:
    """Compare stored daily roots with the entries; return the number of days checked."""
    records = _normalise_roots(stored)
    groups = _group_by_day(entries, strict=False)

    def add(seq: int | None, code: str, message: str, day: dt.date) -> None:
        problems.append(Problem(seq, None, code, message, day))

    next_seq = FIRST_SEQ  # seq the next day should start with, as far as can be told
    for day in sorted(set(records) | set(groups)):
        rec = records.get(day)
        present = groups.get(day, [])
        seqs = [e.seq for e in present if isinstance(e.seq, int)]
        if rec is None:
            next_seq = max(seqs, default=next_seq - 1) + 1
            continue
        count = f"{rec.n_entries} entries" if rec.n_entries is not None else "its entries"
        if not present:
            removed = (
                f"entries seq {next_seq}-{next_seq + rec.n_entries - 1} were removed"
                if rec.n_entries
                else f"the entries from seq {next_seq} on were removed"
            )
            add(
                next_seq,
                "daily-root-orphan",
                f"the stored Merkle root of {day} covers {count}, but no entry of that day is "
                f"present: {removed}",
                day,
            )
            next_seq += rec.n_entries or 0
            continue
        next_seq = max(seqs, default=next_seq - 1) + 1
        span = f"seq {seqs[0]}-{seqs[-1]}" if len(seqs) > 1 else f"seq {seqs[0] if seqs else '?'}"
        root = _day_root(present)
        if root == rec.root:
            if rec.n_entries not in (None, len(present)):
                add(
                    None,
                    "daily-root-mismatch",
                    f"the stored root of {day} matches its {len(present)} entries ({span}) but "
                    f"records n_entries = {rec.n_entries}: the stored count was altered",
                    day,
                )
            continue
        add(
            None,
            "daily-root-mismatch",
            f"the stored Merkle root of {day} (covering {count}) does not match the "
            f"{len(present)} entries of that day present ({span}): an entry of the day was "
            "altered, added or removed, or the stored root was altered",
            day,
        )
        if rec.n_entries is not None and rec.n_entries > len(present) and seqs:
            gaps = sum(max(b - a - 1, 0) for a, b in itertools.pairwise(seqs))
            tail = rec.n_entries - len(present) - gaps
            if tail > 0:
                last = present[-1]
                what = (
                    f"entry seq {next_seq} is"
                    if tail == 1
                    else f"entries seq {next_seq}-{next_seq + tail - 1} are"
                )
                add(
                    next_seq,
                    "missing",
                    f"{what} missing after {_name(last)}, the last entry present of {day}: the "
                    f"stored root covers {rec.n_entries} entries, {len(present)} are present",
                    day,
                )
                next_seq += tail
    if records:
        last_sealed = max(records)
        for day in sorted(groups):
            if day < last_sealed and day not in records:
                group = groups[day]
                add(
                    None,
                    "daily-root-missing",
                    f"the entries of {day} (seq {group[0].seq}-{group[-1].seq}) have no stored "
                    f"Merkle root although later days (to {last_sealed}) are sealed",
                    day,
                )
    return len(records)


def verify(
    entries: Sequence[Entry],
    daily_roots: Mapping[dt.date, str | DailyRoot] | Iterable[DailyRoot] | None = None,
    trusted_keys: Iterable[str] | None = None,
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

    Returns
    -------
    VerifyReport
        ``ok`` is True only if no problem was found; ``problems`` name each entry by ``seq``
        and ``kind`` with a code of :data:`PROBLEM_CODES` and a message. [-]

    Notes
    -----
    Checks, for each entry: field formats (``malformed``), the recomputed hash
    (``hash-mismatch``), the Ed25519 signature over the stored hash (``bad-signature``), the
    key (``untrusted-key``); along the chain: a removed entry (``missing``: a gap in ``seq``
    where the next ``prev_hash`` matches no entry), a ``prev_hash`` that links elsewhere
    (``broken-link``), entries out of their linked order (``reordered``: the chain is
    rebuilt from the links and the entries outside every longest run it shares with the
    stored order are named), copies (``duplicate``), ``seq`` not following its predecessor
    (``bad-seq``), time running backwards (``time-order``), a release with no evidence
    before it (``release-without-evidence``); for each stored daily root: recomputed root
    (``daily-root-mismatch``, with ``missing`` for the removed tail of the day when the
    record has ``n_entries``), roots of days without entries (``daily-root-orphan``) and days
    without a root between sealed days (``daily-root-missing``). An altered entry's stored
    hash no longer matches its contents, so its successor is still matched to it through
    the recomputed hash and is not named as well.

    Examples
    --------
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
    _check_releases(entries, problems)
    n_days = 0 if daily_roots is None else _check_daily_roots(entries, daily_roots, problems)

    def order(p: Problem) -> tuple[bool, int, int]:
        seq = p.seq if isinstance(p.seq, int) else 0
        return (p.seq is None, seq, list(PROBLEM_CODES).index(p.code))

    return VerifyReport(
        n_entries=len(entries),
        n_days_checked=n_days,
        head_hash=entries[-1].entry_hash if entries else None,
        problems=tuple(sorted(problems, key=order)),
    )


# --------------------------------------------------------------------------- storage


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
                f"{expected_seq} linking to {_short(expected_prev)}); another writer appended "
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
    site_id: int | str,
    kind: str,
    payload: Mapping[str, Any],
    private_key: Ed25519PrivateKey,
    actor: str,
    now: dt.datetime | None = None,
) -> Entry:
    """Append an entry (see :func:`append`) and store it.

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
    entry = append(store.load_entries(), site_id, kind, payload, private_key, actor, moment)
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


def verify_store(store: LedgerStore, trusted_keys: Iterable[str] | None = None) -> VerifyReport:
    """Run :func:`verify` on a store's entries against its stored daily roots."""
    return verify(store.load_entries(), store.load_daily_roots(), trusted_keys)
