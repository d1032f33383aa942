"""The rule of financial assurance over the ledger: a release needs its milestone's evidence.

A release of financial assurance is allowed only once the evidence of its milestone is in
the ledger's chain, recorded before the release: a ``stage-accepted`` entry whose payload
has ``milestone`` and an ``acceptance_act`` document reference (``{"reference": ...,
"sha256": <64 hex>}``), or a ``monitoring-summary`` entry whose payload has ``milestone`` and
``criteria_met: true`` [000]. The rule is the registry's, not the ledger's: the ledger
(:mod:`postmine.registry.ledger`) knows hashes, signatures and links, and takes domain rules
as :class:`~postmine.registry.ledger.rules.ChainRule` objects from its callers; it never
imports this module.

How the registry uses it
------------------------
- The release action calls :func:`check_release_allowed` on the site's entries to find the
  evidence (and then checks that entry's hash and signature) before it writes anything.
- Every append passes ``rules=ASSURANCE_RULES`` to
  :func:`postmine.registry.ledger.chain.append`, so that no release entry can be made
  without its evidence, whoever calls the ledger.
- Verification passes ``rules=ASSURANCE_RULES`` to
  :func:`postmine.registry.ledger.verify.verify`, which then names every release stored
  with no evidence before it (``release-without-evidence``), e.g. one written straight into
  the database or one whose evidence was removed.

References
----------
[000] Document 000_b014910745c756ce.txt: a ledger that makes the history of each site and
      its payments trustworthy to residents, investors and authorities; releases of
      financial assurance on accepted stages.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from postmine.registry.ledger.canonical import HEX64
from postmine.registry.ledger.entries import Entry, entry_label
from postmine.registry.ledger.problems import Problem
from postmine.registry.ledger.rules import ChainRule

__all__ = [
    "ASSURANCE_RULES",
    "RELEASE_EVIDENCE",
    "ReleaseEvidenceRule",
    "check_release_allowed",
]


def _acceptance_act_problem(payload: Mapping[str, Any]) -> str | None:
    act = payload.get("acceptance_act")
    if not isinstance(act, Mapping):
        return "has no acceptance_act document reference"
    reference = act.get("reference")
    if not isinstance(reference, str) or not reference.strip():
        return "has an acceptance_act without a 'reference'"
    digest = act.get("sha256")
    if not isinstance(digest, str) or not HEX64.fullmatch(digest):
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
        Count only evidence of this site (the release's site). [-]

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
    >>> import datetime as dt
    >>> from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    >>> from postmine.registry.ledger import append
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


class ReleaseEvidenceRule:
    """The ledger rule that a ``release`` entry follows its milestone's evidence.

    A :class:`~postmine.registry.ledger.rules.ChainRule`: pass it (in
    :data:`ASSURANCE_RULES`) as ``rules=`` to the ledger's ``append``, ``record``, ``verify``
    and ``verify_store``.

    Examples
    --------
    >>> import datetime as dt
    >>> from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    >>> from postmine.registry.ledger import append
    >>> key = Ed25519PrivateKey.from_private_bytes(bytes(32))
    >>> append([], "S1", "release", {"milestone": "backfill"}, key, "regulator",
    ...        now=dt.datetime(2024, 5, 1, tzinfo=dt.UTC), rules=[RELEASE_EVIDENCE])
    Traceback (most recent call last):
    ...
    ValueError: release of milestone 'backfill' of site 'S1' refused: ...
    """

    def check_append(
        self,
        entries_so_far: Sequence[Entry],
        site_id: int | str | None,
        kind: str,
        payload: Mapping[str, Any],
    ) -> None:
        """Refuse a release without ``payload["milestone"]`` or without its evidence.

        Raises
        ------
        ValueError
            If ``kind`` is ``release`` and the payload names no milestone, or
            ``entries_so_far`` hold no evidence of it for ``site_id`` (see
            :func:`check_release_allowed`).
        """
        if kind != "release":
            return
        milestone = payload.get("milestone")
        if not isinstance(milestone, str) or not milestone.strip():
            raise ValueError(
                "a release entry needs payload['milestone'], the milestone whose assurance "
                f"it releases; got {milestone!r}"
            )
        check_release_allowed(milestone, entries_so_far, site_id=site_id)

    def find_problems(self, entries: Sequence[Entry]) -> list[Problem]:
        """Name releases whose milestone has no evidence earlier in the chain.

        Returns
        -------
        list of Problem
            One ``release-without-evidence`` problem per such release, in chain order. [-]
        """
        problems: list[Problem] = []
        evidence: set[tuple[object, str]] = set()
        for i, entry in enumerate(entries):
            payload = entry.payload if isinstance(entry.payload, dict) else {}
            milestone = payload.get("milestone")
            if not isinstance(milestone, str):
                continue
            if entry.kind == "release":
                if (entry.site_id, milestone) not in evidence:
                    problems.append(_release_problem(entry, milestone, entries[:i]))
            elif milestone.strip() and _evidence_verdict(entry, milestone) is None:
                evidence.add((entry.site_id, milestone))
        return problems


def _release_problem(release: Entry, milestone: str, earlier: Sequence[Entry]) -> Problem:
    try:
        check_release_allowed(milestone, earlier, site_id=release.site_id)
        reason = "its evidence does not precede it"
    except ValueError as exc:
        reason = str(exc)
    return Problem(
        release.seq,
        release.kind,
        "release-without-evidence",
        f"entry {entry_label(release)}: {reason}",
    )


RELEASE_EVIDENCE = ReleaseEvidenceRule()
"""The rule that a release follows its milestone's evidence."""

ASSURANCE_RULES: tuple[ChainRule, ...] = (RELEASE_EVIDENCE,)
"""Every rule of financial assurance over the ledger: pass as ``rules=`` to the ledger."""
