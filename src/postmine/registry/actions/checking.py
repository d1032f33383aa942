"""Checking the registry's ledger: verify it, seal finished days, prove an entry's inclusion.

These read the ledger (and store daily roots); they change no record.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy.orm import Session

from postmine.registry import ledger
from postmine.registry.assurance_rules import ASSURANCE_RULES
from postmine.registry.ledger import DailyRoot, Problem, VerifyReport
from postmine.registry.ledger.store import DatabaseLedgerStore
from postmine.registry.records.common import NotFoundError

__all__ = ["inclusion_proof", "seal_days", "verify_registry"]


def _problem_order(p: Problem) -> tuple[bool, int, int]:
    seq = p.seq if isinstance(p.seq, int) else 0
    codes = list(ledger.PROBLEM_CODES)
    return (p.seq is None, seq, codes.index(p.code) if p.code in codes else len(codes))


def verify_registry(session: Session, trusted_keys: Iterable[str] | None = None) -> VerifyReport:
    """Verify the whole ledger stored in the registry against its stored daily roots.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Session on the registry (read only).
    trusted_keys : iterable of str, optional
        Public keys (64 hex digits) allowed to sign, e.g.
        ``Keyring(keys_dir).public_keys().values()``; an entry signed by another key is
        named (``untrusted-key``). [-]

    Returns
    -------
    postmine.registry.ledger.VerifyReport
        ``ok`` only if nothing is wrong; each problem names the entry by ``seq`` and
        ``kind`` (``kind`` is None for a removed entry) with a code of
        :data:`postmine.registry.ledger.PROBLEM_CODES`. A ``payload_json`` that is not the
        canonical text the ledger wrote is named too (``malformed``), even where its value
        still hashes as before.
    """
    store = DatabaseLedgerStore(session)
    entries = store.load_entries()
    load_problems = list(store.load_problems)
    report = ledger.verify(entries, store.load_daily_roots(), trusted_keys, rules=ASSURANCE_RULES)
    if not load_problems:
        return report
    problems = sorted([*report.problems, *load_problems], key=_problem_order)
    return dataclasses.replace(report, problems=tuple(problems))


def seal_days(session: Session, before: dt.date | None = None) -> list[DailyRoot]:
    """Compute and store the Merkle root of every finished UTC day not sealed yet.

    Run it once a day (and publish the roots outside the database): a stored root reveals
    the removal of the last entries of its day, which the chain alone cannot. Sealing is
    refused while :func:`verify_registry` finds a problem, so that a root never certifies a
    tampered ledger; no entry can be added on a sealed day afterwards.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Session on the registry (committed by the caller).
    before : datetime.date, optional
        Seal the days before this UTC date; default today (UTC), so today stays open. [-]

    Returns
    -------
    list of postmine.registry.ledger.DailyRoot
        The roots stored now (day, root, n_entries), in date order.

    Raises
    ------
    ValueError
        If the ledger does not verify (the message gives the first problems).
    """
    store = DatabaseLedgerStore(session)
    store.lock()
    report = verify_registry(session)
    if not report.ok:
        shown = "; ".join(p.message for p in report.problems[:3])
        more = f" (and {len(report.problems) - 3} more)" if len(report.problems) > 3 else ""
        raise ValueError(f"the ledger does not verify, so no day is sealed: {shown}{more}")
    limit = dt.datetime.now(dt.UTC).date() if before is None else before
    last = store.last_sealed_day()
    start = None if last is None else last + dt.timedelta(days=1)
    new = [
        r for r in ledger.daily_root_records(store.load_entries(from_day=start)) if r.day < limit
    ]
    for root in new:
        store.add_daily_root(root)
    return new


def inclusion_proof(session: Session, seq: int) -> dict[str, Any]:
    """Prove that a ledger entry is included in the Merkle root of its day.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Session on the registry (read only).
    seq : int
        ``seq`` of the entry. [-]

    Returns
    -------
    dict
        JSON-ready: ``entry`` (the entry's fields, :meth:`Entry.as_dict
        <postmine.registry.ledger.Entry.as_dict>`), ``day`` (ISO date), ``root`` (the
        stored root of the day if it is sealed, else the root of its entries so far),
        ``sealed`` (bool), ``proof`` (``[sibling hash, "left" | "right"]`` pairs from the
        leaf up) and ``verified`` (whether the proof leads from the entry's hash to
        ``root``). Check it independently with
        ``ledger.verify_inclusion(d["entry"]["entry_hash"], d["proof"], d["root"])``.

    Raises
    ------
    postmine.registry.records.NotFoundError
        If no entry has that ``seq``.
    ValueError
        If the entry's ``created_at`` or a hash of its day is malformed.
    """
    store = DatabaseLedgerStore(session)
    entry = store.get_entry(seq)
    if entry is None:
        raise NotFoundError("ledger entry", seq)
    day = ledger.entry_day(entry)
    day_entries = store.load_entries(day=day)
    proof = ledger.inclusion_proof(day_entries, seq)
    stored = store.get_daily_root(day)
    root = stored.root if stored else ledger.merkle_root([e.entry_hash for e in day_entries])
    return {
        "entry": entry.as_dict(),
        "day": day.isoformat(),
        "root": root,
        "sealed": stored is not None,
        "proof": [[sibling, side] for sibling, side in proof],
        "verified": ledger.verify_inclusion(entry.entry_hash, proof, root),
    }
