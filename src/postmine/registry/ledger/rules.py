"""Domain rules over the chain: what the ledger asks of a rule that its owner adds to it.

The ledger itself knows hashes, signatures, links, order and daily roots, and nothing of
what the entries mean. A rule about their meaning -- e.g. that a release of financial
assurance needs its milestone's evidence earlier in the chain -- lives with the code that
owns that meaning (for the registry: :mod:`postmine.registry.assurance_rules`) and is handed
to the ledger as a :class:`ChainRule`: :func:`~postmine.registry.ledger.chain.append` asks
each rule before it makes an entry, :func:`~postmine.registry.ledger.verify.verify` asks
each rule to name the stored entries that break it. The ledger never imports a rule.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from postmine.registry.ledger.entries import Entry
from postmine.registry.ledger.problems import Problem

__all__ = ["ChainRule"]


class ChainRule(Protocol):
    """A rule over the meaning of the entries, kept by the code that owns that meaning.

    Both methods see the entries as the ledger has them, in chain order; neither may change
    them.
    """

    def check_append(
        self,
        entries_so_far: Sequence[Entry],
        site_id: int | str | None,
        kind: str,
        payload: Mapping[str, Any],
    ) -> None:
        """Refuse a new entry that breaks the rule.

        Parameters
        ----------
        entries_so_far : sequence of Entry
            The entries the new one will follow, in chain order. [-]
        site_id : int or str or None
            Site of the new entry (None for a registry-wide entry). [-]
        kind : str
            Kind of the new entry (one of the ledger's entry kinds). [-]
        payload : mapping
            Payload of the new entry. [-]

        Raises
        ------
        ValueError
            If the new entry may not follow ``entries_so_far``; the message says why and
            what is needed.
        """
        ...

    def find_problems(self, entries: Sequence[Entry]) -> list[Problem]:
        """Name the stored entries that break the rule.

        Parameters
        ----------
        entries : sequence of Entry
            The chain as stored, in stored order; entries may have been tampered with. [-]

        Returns
        -------
        list of Problem
            One problem per entry that breaks the rule, with a code of
            :data:`~postmine.registry.ledger.problems.PROBLEM_CODES`. [-]
        """
        ...
