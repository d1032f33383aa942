"""Tamper-evident ledger of the registry: a signed hash chain with a Merkle root per day.

Every change of a site's passport (created, plan approved, stage accepted, deposit paid,
release, forfeit, monitoring summary, document recorded, site updated, object state or
geometry changed, plan computed) and every change of the registry as a whole (operator or
territory registered, statistics imported: registry-wide entries, ``site_id`` None) is
appended as an :class:`Entry` to one chain shared by all sites. Each entry is bound to the
one before it, signed by the acting party, and committed to the Merkle root of its day, so
that anyone holding the entries (and, for the tail, a copy of the published daily roots) can
check that nothing was altered, removed or reordered. :func:`verify` names every entry that
fails.

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

The modules
-----------
:mod:`~postmine.registry.ledger.canonical`
    Canonical JSON (RFC 8785) and the strict reading of hex digests.
:mod:`~postmine.registry.ledger.entries`
    The entry, timestamps, canonical bytes and hash.
:mod:`~postmine.registry.ledger.kinds`
    The kinds of entries: whose each is (a site's or the registry's) and the payload
    fields it requires.
:mod:`~postmine.registry.ledger.keys`
    Ed25519 keys, key files and keyrings.
:mod:`~postmine.registry.ledger.chain`
    Appending to the chain; the store protocol, an in-memory store, sealing days.
:mod:`~postmine.registry.ledger.merkle`
    Merkle trees, daily roots and inclusion proofs.
:mod:`~postmine.registry.ledger.verify` and :mod:`~postmine.registry.ledger.problems`
    Forensic verification and its report (:data:`PROBLEM_CODES`).
:mod:`~postmine.registry.ledger.rules`
    The protocol of a domain rule that a caller hands to ``append`` and ``verify``.
:mod:`~postmine.registry.ledger.store`
    The store in the registry database (``ledger_entries`` and ``daily_roots`` tables).

The ledger checks the chain, not what the entries mean. The registry's rule that a release
of financial assurance needs its milestone's evidence lives in
:mod:`postmine.registry.assurance_rules` and is passed in as ``rules=ASSURANCE_RULES``;
without it, ``append`` and ``verify`` apply no domain rule.

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

from postmine.registry.ledger.canonical import canonical_json, parse_canonical_json
from postmine.registry.ledger.chain import (
    LedgerStore,
    MemoryStore,
    append,
    build_entry,
    record,
    seal_days,
    verify_store,
)
from postmine.registry.ledger.entries import (
    FIRST_SEQ,
    GENESIS_HASH,
    Entry,
    canonical_bytes,
    compute_entry_hash,
    entry_day,
    entry_label,
    format_timestamp,
    parse_timestamp,
)
from postmine.registry.ledger.keys import (
    Keyring,
    generate_private_key,
    load_private_key,
    public_key_from_hex,
    public_key_hex,
    save_private_key,
)
from postmine.registry.ledger.kinds import (
    ENTRY_KINDS,
    KINDS,
    REGISTRY_WIDE_KINDS,
    EntryKind,
    check_kind,
    kind_scope,
    payload_problems,
)
from postmine.registry.ledger.merkle import (
    DailyRoot,
    Side,
    daily_root_records,
    daily_roots,
    inclusion_proof,
    merkle_root,
    verify_inclusion,
)
from postmine.registry.ledger.problems import (
    PROBLEM_CODES,
    Problem,
    VerifyReport,
    problem_sort_key,
)
from postmine.registry.ledger.rules import ChainRule
from postmine.registry.ledger.store import (
    DatabaseLedgerStore,
    LedgerConflictError,
    entry_from_row,
    entry_to_row,
)
from postmine.registry.ledger.verify import verify

__all__ = [
    "ENTRY_KINDS",
    "FIRST_SEQ",
    "GENESIS_HASH",
    "KINDS",
    "PROBLEM_CODES",
    "REGISTRY_WIDE_KINDS",
    "ChainRule",
    "DailyRoot",
    "DatabaseLedgerStore",
    "Entry",
    "EntryKind",
    "Keyring",
    "LedgerConflictError",
    "LedgerStore",
    "MemoryStore",
    "Problem",
    "Side",
    "VerifyReport",
    "append",
    "build_entry",
    "canonical_bytes",
    "canonical_json",
    "check_kind",
    "compute_entry_hash",
    "daily_root_records",
    "daily_roots",
    "entry_day",
    "entry_from_row",
    "entry_label",
    "entry_to_row",
    "format_timestamp",
    "generate_private_key",
    "inclusion_proof",
    "kind_scope",
    "load_private_key",
    "merkle_root",
    "parse_canonical_json",
    "parse_timestamp",
    "payload_problems",
    "problem_sort_key",
    "public_key_from_hex",
    "public_key_hex",
    "record",
    "save_private_key",
    "seal_days",
    "verify",
    "verify_inclusion",
    "verify_store",
]
