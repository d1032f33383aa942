"""The problem report of the ledger's verification: problem codes, problems, the report.

:func:`~postmine.registry.ledger.verify.verify` names each entry that fails with a
:class:`Problem` carrying a code of :data:`PROBLEM_CODES`, the entry's ``seq`` and ``kind``
as stored (``kind`` is ``None`` for a removed entry, whose kind is unknown) and a message;
the :class:`VerifyReport` holds them sorted by ``seq`` (:func:`problem_sort_key`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

__all__ = ["PROBLEM_CODES", "Problem", "VerifyReport", "problem_sort_key"]

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
"""Problem codes of :class:`Problem`, each with its meaning.

The codes of domain rules are listed here too, so that a report orders them with the rest:
``release-without-evidence`` is named by the registry's assurance rule
(:class:`postmine.registry.assurance_rules.ReleaseEvidenceRule`) when the verifier is given
it (``verify(..., rules=ASSURANCE_RULES)``).
"""


@dataclass(frozen=True)
class Problem:
    """One problem found by :func:`~postmine.registry.ledger.verify.verify`.

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
    """Result of :func:`~postmine.registry.ledger.verify.verify`.

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


def problem_sort_key(problem: Problem) -> tuple[bool, int, int]:
    """Order of problems in a report: by ``seq`` (day problems last), then by code.

    Raises
    ------
    ValueError
        If the problem's code is not one of :data:`PROBLEM_CODES`.
    """
    seq = problem.seq if isinstance(problem.seq, int) else 0
    return (problem.seq is None, seq, list(PROBLEM_CODES).index(problem.code))
