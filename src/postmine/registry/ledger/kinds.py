"""Kinds of ledger entries: what each records, whose it is, and the payload it must carry.

Every entry has one kind of :data:`ENTRY_KINDS`, declared once here as an :class:`EntryKind`
(:data:`KINDS`) with

scope
    ``"site"``: the entry changes one site's passport, and its ``site_id`` names the site
    (an integer >= 1, the registry's ``sites.id``, or a non-empty string code);
    ``"registry"``: the entry records a change of the registry as a whole (an operator or a
    territory registered, published statistics imported), which belongs to no site, and its
    ``site_id`` is ``None`` (JSON ``null`` in the canonical bytes, SQL ``NULL`` in
    ``ledger_entries.site_id``). A site's passport and an operator's view of the ledger
    never include registry-wide entries; :data:`REGISTRY_WIDE_KINDS` lists their kinds.
payload rules
    The payload fields the kind must carry, each with its rule (:data:`FIELD_RULES`: an id,
    text, a SHA-256, a count, a date ...). :func:`payload_problems` names each field that
    breaks its rule; :func:`~postmine.registry.ledger.chain.append` refuses such an entry and
    :func:`~postmine.registry.ledger.verify.verify` names a stored one (``malformed``). Other
    fields are free. The eight kinds of a site's life that the ledger started with
    (``created`` ... ``document-recorded``) declare no required field: chains written before
    the rules existed must still verify, and their payloads are documented by the registry's
    actions (:mod:`postmine.registry.actions`); a domain rule over their meaning (a release
    needs its milestone's evidence) is a :class:`~postmine.registry.ledger.rules.ChainRule`.

Adding a kind changes neither the canonical bytes nor the hash of any existing entry: the
kind is one string field of the hashed object, and an entry of an older kind hashes and
verifies exactly as before.

References
----------
[000] Document 000_b014910745c756ce.txt: a ledger that makes the history of each site and
      its payments trustworthy to residents, investors and authorities.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from postmine.registry.ledger.canonical import HEX64

__all__ = [
    "ENTRY_KINDS",
    "FIELD_RULES",
    "KINDS",
    "REGISTRY_WIDE_KINDS",
    "EntryKind",
    "PayloadField",
    "check_kind",
    "kind_scope",
    "payload_problems",
    "site_id_problem",
]

Scope = Literal["site", "registry"]
"""Whose entry it is: one site's (``"site"``) or the registry's as a whole (``"registry"``)."""


def _is_id(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _is_number(value: Any) -> bool:
    is_real = isinstance(value, int | float) and not isinstance(value, bool)
    return is_real and math.isfinite(value)


def _is_date(value: Any) -> bool:
    if not isinstance(value, str) or len(value) != 10:
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _is_timestamp(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return moment.tzinfo is not None


def _is_names(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(_is_text(v) for v in value)


def _is_commitment(value: Any) -> bool:
    """Tell a geometry committed to by its type, bounding box and WKB hash (or null)."""
    if value is None:
        return True
    if not isinstance(value, dict):
        return False
    bbox = value.get("bbox_deg")
    digest = value.get("wkb_sha256")
    return (
        _is_text(value.get("type"))
        and isinstance(bbox, list)
        and len(bbox) == 4
        and all(_is_number(v) for v in bbox)
        and isinstance(digest, str)
        and HEX64.fullmatch(digest) is not None
    )


FIELD_RULES: dict[str, tuple[Callable[[Any], bool], str]] = {
    "id": (_is_id, "an integer >= 1"),
    "count": (_is_count, "an integer >= 0"),
    "text": (_is_text, "a non-empty string"),
    "number-or-null": (lambda v: v is None or _is_number(v), "a finite number or null"),
    "sha256": (lambda v: isinstance(v, str) and HEX64.fullmatch(v) is not None, "64 lowercase hex"),
    "date": (_is_date, "an ISO date 'YYYY-MM-DD'"),
    "timestamp": (_is_timestamp, "an ISO time with its UTC offset"),
    "names": (_is_names, "a non-empty list of non-empty strings"),
    "geometry-or-null": (
        _is_commitment,
        "null or a geometry commitment {type, bbox_deg [4 numbers], wkb_sha256}",
    ),
}
"""Rules of payload fields: the check of each and what it asks for (for the message)."""


@dataclass(frozen=True)
class PayloadField:
    """A field that a kind's payload must carry, with the rule its value keeps.

    Attributes
    ----------
    name : str
        Key in the payload. [-]
    rule : str
        One of :data:`FIELD_RULES`. [-]
    """

    name: str
    rule: str

    def problem(self, payload: Mapping[str, Any]) -> str | None:
        """Say what is wrong with this field of ``payload``, or return None.

        Examples
        --------
        >>> PayloadField("operator_id", "id").problem({"operator_id": 0})
        "payload['operator_id'] must be an integer >= 1, got 0"
        """
        if self.name not in payload:
            return f"payload lacks {self.name!r}"
        check, wanted = FIELD_RULES[self.rule]
        value = payload[self.name]
        if check(value):
            return None
        return f"payload[{self.name!r}] must be {wanted}, got {value!r}"


@dataclass(frozen=True)
class EntryKind:
    """One kind of ledger entry: its name, whose entry it is, its meaning and payload rules.

    Attributes
    ----------
    name : str
        The kind as entries carry it. [-]
    scope : {"site", "registry"}
        ``"site"``: the entry changes one site's passport (``site_id`` names it);
        ``"registry"``: a change of the registry as a whole (``site_id`` is None). [-]
    meaning : str
        What an entry of the kind records. [-]
    fields : tuple of PayloadField
        Fields the payload must carry; others are free. [-]
    """

    name: str
    scope: Scope
    meaning: str
    fields: tuple[PayloadField, ...] = ()


def _fields(**rules: str) -> tuple[PayloadField, ...]:
    return tuple(PayloadField(name, rule) for name, rule in rules.items())


KINDS: tuple[EntryKind, ...] = (
    # the kinds of a site's life the ledger started with (no required field: old chains verify)
    EntryKind("created", "site", "a record of the site registered (site, object, TMF, plan ...)"),
    EntryKind("plan-approved", "site", "a reclamation plan approved"),
    EntryKind("stage-accepted", "site", "an object's stage accepted by an acceptance act"),
    EntryKind("deposit-paid", "site", "money paid into the site's financial assurance"),
    EntryKind("release", "site", "assurance released on a milestone's evidence"),
    EntryKind("forfeit", "site", "assurance forfeited"),
    EntryKind("monitoring-summary", "site", "a monitoring result recorded"),
    EntryKind("document-recorded", "site", "a document registered with its checksum"),
    # changes of a site's records
    EntryKind(
        "site-updated",
        "site",
        "the site's status, typology, operator or licence changed",
        _fields(site_id="id", changed="names", name="text", status="text"),
    ),
    EntryKind(
        "object-state-changed",
        "site",
        "an object entered a reclamation state without an acceptance act",
        _fields(
            object_id="id",
            previous_state="text",
            state="text",
            changed_on="date",
            state_change_id="id",
        ),
    ),
    EntryKind(
        "object-geometry-changed",
        "site",
        "an object's outline (and with it its area) replaced",
        _fields(object_id="id", area_ha="number-or-null", geometry="geometry-or-null"),
    ),
    EntryKind(
        "plan-computed",
        "site",
        "a plan's computed result stored beside its inputs",
        _fields(
            plan_id="id",
            result_sha256="sha256",
            inputs_sha256="sha256",
            postmine_version="text",
            computed_at="timestamp",
        ),
    ),
    # changes of the registry as a whole
    EntryKind(
        "operator-registered",
        "registry",
        "an operator (a party that operates sites) registered",
        _fields(operator_id="id", name="text"),
    ),
    EntryKind(
        "territory-registered",
        "registry",
        "a territory (a mining district) registered",
        _fields(
            territory_id="id",
            name="text",
            region="text",
            kind="text",
            geometry="geometry-or-null",
        ),
    ),
    EntryKind(
        "statistics-imported",
        "registry",
        "a batch of published statistics imported from one file",
        _fields(file="text", sha256="sha256", n_rows="count", inserted="count", replaced="count"),
    ),
)
"""Every kind of entry: a site's life first, then changes of a site's records, then the
registry-wide kinds."""

_BY_NAME: dict[str, EntryKind] = {k.name: k for k in KINDS}

ENTRY_KINDS: tuple[str, ...] = tuple(_BY_NAME)
"""Names of the kinds of ledger entries (:data:`KINDS`), in that order."""

REGISTRY_WIDE_KINDS: tuple[str, ...] = tuple(k.name for k in KINDS if k.scope == "registry")
"""Kinds of the entries that belong to no site (``site_id`` None)."""


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


def kind_scope(kind: str) -> Scope | None:
    """Whose entry a kind makes: ``"site"``, ``"registry"``, or None for an unknown kind.

    Examples
    --------
    >>> kind_scope("release"), kind_scope("operator-registered"), kind_scope("sold")
    ('site', 'registry', None)
    """
    found = _BY_NAME.get(kind) if isinstance(kind, str) else None
    return None if found is None else found.scope


def site_id_problem(site_id: object, kind: str | None = None) -> str | None:
    """Say what is wrong with a ``site_id``, or return None if it is allowed.

    A site's entry names an integer >= 1 (the registry's ``sites.id``) or a non-empty string
    code; a registry-wide entry (a kind of :data:`REGISTRY_WIDE_KINDS`) names none
    (``None``). Without ``kind``, or for a kind that is not known, a site is asked for
    unless ``site_id`` is None (an unknown kind is named on its own).

    Parameters
    ----------
    site_id : object
        The entry's ``site_id``. [-]
    kind : str, optional
        The entry's kind. [-]

    Returns
    -------
    str or None
        The problem, or None. [-]

    Examples
    --------
    >>> site_id_problem(7) is None, site_id_problem(0)
    (True, 'site_id must be an integer >= 1 or a non-empty string, got 0')
    >>> site_id_problem(None, "operator-registered") is None
    True
    >>> site_id_problem(3, "operator-registered")
    'site_id of a registry-wide entry (operator-registered) must be null, got 3'
    >>> site_id_problem(None, "release")  # doctest: +ELLIPSIS
    'site_id must be an integer >= 1 or a non-empty string, got None (only a registry-wide...'
    """
    scope = kind_scope(kind) if kind is not None else None
    if scope == "registry":
        if site_id is None:
            return None
        return f"site_id of a registry-wide entry ({kind}) must be null, got {site_id!r}"
    if site_id is None and scope is None and kind is not None:
        return None  # the unknown kind is the problem
    wanted = "site_id must be an integer >= 1 or a non-empty string"
    if site_id is None:
        registry_wide = ", ".join(REGISTRY_WIDE_KINDS)
        return f"{wanted}, got None (only a registry-wide entry, {registry_wide}, has none)"
    if isinstance(site_id, bool) or not isinstance(site_id, int | str):
        return f"{wanted}, got {site_id!r}"
    if isinstance(site_id, int) and site_id < 1:
        return f"{wanted}, got {site_id}"
    if isinstance(site_id, str) and not site_id.strip():
        return f"{wanted}, got {site_id!r}"
    return None


def payload_problems(kind: str, payload: object) -> list[str]:
    """Name each required field of a kind that a payload lacks or holds wrongly.

    Parameters
    ----------
    kind : str
        Entry kind; an unknown kind has no rules (it is named on its own). [-]
    payload : object
        The entry's payload (a JSON object, unless tampered with). [-]

    Returns
    -------
    list of str
        One message per field that breaks its rule (:data:`FIELD_RULES`), in the order the
        kind declares its fields; empty if the payload keeps every rule. [-]

    Examples
    --------
    >>> payload_problems("operator-registered", {"operator_id": 3, "name": "Abaza Ore JSC"})
    []
    >>> payload_problems("statistics-imported", {"file": "t1.csv", "sha256": "ab" * 32,
    ...                                         "n_rows": -1, "inserted": 0})
    ["payload['n_rows'] must be an integer >= 0, got -1", "payload lacks 'replaced'"]
    """
    found = _BY_NAME.get(kind) if isinstance(kind, str) else None
    if found is None or not found.fields or not isinstance(payload, Mapping):
        return []
    return [p for p in (f.problem(payload) for f in found.fields) if p is not None]
