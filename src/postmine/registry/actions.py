"""Write actions of the registry: every change of a passport, with its signed ledger entry.

Each function here makes one change of a site's passport through the service layer
(:mod:`postmine.registry.services`) and appends the ledger entry that records it
(:mod:`postmine.registry.ledger`), signed by the acting party, in the SAME transaction:
either both are stored or neither. The API, the CLI and the importers write through these
functions; the services alone leave no trace in the ledger.

============================  =====================  ==========================================
action                        ledger ``kind``        payload (besides the entry's ``site_id``)
============================  =====================  ==========================================
:func:`register_site`         ``created``            ``entity: "site"``, ``site_id``, name,
                                                     region, status, typology, territory_id,
                                                     operator_id, licence, mineral, area_ha,
                                                     registered_on, geometry
:func:`add_object`            ``created``            ``entity: "object"``, ``object_id``, kind,
                                                     name, area_ha, volume_m3, state, state_on,
                                                     act_reference, reclamation_direction,
                                                     geometry
:func:`add_tmf`               ``created``            ``entity: "tmf"``, ``tmf_id``, object_id,
                                                     name, tmf_class, mass_t, volume_m3,
                                                     hazard_class, year, composition,
                                                     valuable_components, recorded_on
:func:`submit_plan`           ``created``            ``entity: "plan"``, ``plan_id``, title,
                                                     format_version, project_sha256,
                                                     project_toml_sha256, submitted_on
:func:`create_assurance`      ``created``            ``entity: "assurance"``,
                                                     ``assurance_id``, plan_id, required_rub,
                                                     required_on
:func:`approve_plan`          ``plan-approved``      plan_id, title, project_sha256,
                                                     approved_on
:func:`record_document`       ``document-recorded``  document_id, kind, title, uri, sha256,
                                                     issued_on
:func:`accept_stage`          ``stage-accepted``     object_id, object_kind, object_name,
                                                     previous_state, state, changed_on,
                                                     state_change_id, milestone,
                                                     acceptance_act {document_id, reference
                                                     (the act's title), uri, sha256, issued_on}
:func:`record_monitoring`     ``monitoring-summary`` monitoring_id, object_id, parameter,
                                                     value, unit, criteria_met, period_start,
                                                     period_end, source, milestone (if given)
:func:`pay_deposit`           ``deposit-paid``       assurance_id, transaction_id, amount_rub,
                                                     transacted_on, evidence_document_id,
                                                     note, held_rub (held after it)
:func:`release`               ``release``            as a deposit, with milestone and
                                                     evidence_seq (the entry proving it)
:func:`forfeit`               ``forfeit``            as a deposit
============================  =====================  ==========================================

Payloads keep ids and amounts (``amount_rub``, ``required_rub``): the public view of a
passport hides money, the ledger does not. Dates are ISO strings; a geometry is committed
to by its type, its bounding box (``bbox_deg``: west, south, east, north) and the SHA-256 of
its little-endian WKB (``wkb_sha256``); a project file by its hashes.

Transactions
------------
Every action takes the caller's :class:`~sqlalchemy.orm.Session`, flushes and never
commits (commit with :func:`postmine.db.session_scope`). It first makes its
transaction the only ledger writer (:meth:`DatabaseLedgerStore.lock
<postmine.registry.ledger_store.DatabaseLedgerStore.lock>`: a table lock on PostgreSQL,
SQLite's write lock), then runs the service call and the append inside a SAVEPOINT: if
anything fails (a value out of range, a release without evidence, a conflict) the
action's rows are rolled back and the exception propagates, so nothing of it is stored
even if the caller goes on and commits. The next entry's ``seq`` and ``prev_hash`` are
taken from the last stored entry (``ORDER BY seq DESC LIMIT 1``) under that lock; the
primary key on ``seq`` is the last line of defence against a fork.

An entry's time is ``now`` (default: the current UTC time). It may not run backwards
(:func:`postmine.registry.ledger.append`) nor fall on a day already sealed
(:func:`seal_days`).

Releases
--------
:func:`release` is refused with a :class:`ValueError` naming the evidence needed (and
nothing is stored) unless the milestone's evidence is in the site's chain before it: a
``stage-accepted`` entry of that milestone whose acceptance act is a registered document
of kind ``acceptance-act`` (:func:`accept_stage` records one), or a
``monitoring-summary`` entry of that milestone with ``criteria_met`` true
(:func:`record_monitoring` with ``milestone=``); see
:func:`postmine.registry.ledger.check_release_allowed`. The evidence entry must still match
its hash and signature.

Keys
----
An :class:`Actor` is a name and an Ed25519 private key. :func:`actor_from_keyring` loads
``<name>.pem`` from a key directory (``keys_dir``, else ``$POSTMINE_KEYS``, else
``~/.postmine/keys``) and creates the key pair on first use
(:class:`postmine.registry.ledger.Keyring`).

Examples
--------
>>> import tempfile
>>> from datetime import date
>>> from postmine import db
>>> tmp = tempfile.mkdtemp()
>>> url = f"sqlite:///{tmp}/registry.sqlite"
>>> _ = db.init_db(url)
>>> regulator = actor_from_keyring("regulator", f"{tmp}/keys")
>>> with db.session_scope(url) as session:
...     site = register_site(session, regulator, name="Abaza mine", region="Khakassia",
...                          registered_on=date(2024, 1, 10))
...     assurance = create_assurance(session, regulator, site_id=site.id,
...                                  required_rub=2_500_000.0, required_on=date(2024, 1, 10))
...     deposit = pay_deposit(session, regulator, assurance.id, amount_rub=1_000_000.0,
...                           transacted_on=date(2024, 1, 20))
>>> with db.session_scope(url) as session:
...     report = verify_registry(session, trusted_keys=[regulator.public_key])
>>> report.ok, report.n_entries
(True, 3)
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from numbers import Integral, Real
from pathlib import Path
from typing import Any, TypeVar

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy.orm import Session

from postmine.registry import ledger, services
from postmine.registry.geometry import to_wkb
from postmine.registry.ledger import DailyRoot, Entry, Problem, VerifyReport
from postmine.registry.ledger_store import DatabaseLedgerStore
from postmine.registry.models import (
    AssuranceTransaction,
    DisturbanceObject,
    Document,
    FinancialAssurance,
    MonitoringSummary,
    ObjectState,
    ObjectStateChange,
    ReclamationPlan,
    RegistryValueError,
    Site,
    Tmf,
)

__all__ = [
    "KEYS_ENV_VAR",
    "Actor",
    "accept_stage",
    "actor_from_keyring",
    "add_object",
    "add_tmf",
    "approve_plan",
    "create_assurance",
    "forfeit",
    "import_records",
    "inclusion_proof",
    "pay_deposit",
    "record_document",
    "record_monitoring",
    "register_site",
    "release",
    "resolve_keys_dir",
    "seal_days",
    "submit_plan",
    "verify_registry",
]

KEYS_ENV_VAR = "POSTMINE_KEYS"
"""Environment variable naming the directory of the actors' keys."""

T = TypeVar("T")


# --------------------------------------------------------------------------- actors and keys


@dataclass(frozen=True)
class Actor:
    """A party that changes passports and signs the ledger entries recording it.

    Parameters
    ----------
    name : str
        Name of the party as the ledger records it (``actor``). [-]
    private_key : Ed25519PrivateKey
        Its signing key. [-]

    Raises
    ------
    ValueError
        If the name is empty or longer than the ledger's column (300 characters).
    TypeError
        If the key is not an Ed25519 private key.
    """

    name: str
    private_key: Ed25519PrivateKey = field(repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip() or len(self.name) > 300:
            raise ValueError(f"actor name must be 1-300 characters, got {self.name!r}")
        if not isinstance(self.private_key, Ed25519PrivateKey):
            raise TypeError(
                f"private_key must be an Ed25519PrivateKey, got {type(self.private_key).__name__}"
            )

    @property
    def public_key(self) -> str:
        """The actor's raw Ed25519 public key, 64 lowercase hex digits (for ``trusted_keys``)."""
        return ledger.public_key_hex(self.private_key)


def resolve_keys_dir(keys_dir: str | os.PathLike[str] | None = None) -> Path:
    """Return the key directory: ``keys_dir``, else ``$POSTMINE_KEYS``, else ``~/.postmine/keys``.

    Examples
    --------
    >>> resolve_keys_dir("/srv/postmine/keys").as_posix()
    '/srv/postmine/keys'
    """
    if keys_dir is not None:
        return Path(keys_dir)
    env = os.environ.get(KEYS_ENV_VAR)
    return Path(env) if env else Path.home() / ".postmine" / "keys"


def actor_from_keyring(
    name: str,
    keys_dir: str | os.PathLike[str] | None = None,
    *,
    passphrase: bytes | None = None,
) -> Actor:
    """Load an actor's key from a key directory, creating the key pair on first use.

    Parameters
    ----------
    name : str
        Actor; names the key files ``<name>.pem`` (private, mode 0600) and ``<name>.pub``
        (public key, hex): letters, digits, ``.``, ``_``, ``-``. [-]
    keys_dir : str or path-like, optional
        Key directory; see :func:`resolve_keys_dir`. Created (mode 0700) if missing. [-]
    passphrase : bytes, optional
        Passphrase encrypting the private key file. [-]

    Returns
    -------
    Actor
        The actor with its private key.

    Raises
    ------
    ValueError
        If the name cannot name a key file, or the key file cannot be read with the
        passphrase given.
    PermissionError
        If the private key file is readable by others (see
        :func:`postmine.registry.ledger.load_private_key`).
    """
    ring = ledger.Keyring(resolve_keys_dir(keys_dir))
    try:
        key = ring.load(name, passphrase=passphrase)
    except FileNotFoundError:
        key = ring.create(name, passphrase=passphrase)
    return Actor(name, key)


# --------------------------------------------------------------------------- payloads


def _plain(value: Any) -> Any:
    """Turn a stored value into JSON (dates ISO, Decimal and numpy numbers plain)."""
    if isinstance(value, dt.datetime):
        return ledger.format_timestamp(value) if value.tzinfo else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, Integral):
        return int(value)
    if isinstance(value, Decimal | Real):
        return float(value)
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _geometry(row: Site | DisturbanceObject) -> dict[str, Any] | None:
    """Commit to a stored geometry: its type, bounding box and the SHA-256 of its WKB."""
    if row.geom is None:
        return None
    wkb = to_wkb(row.geom)
    return {
        "type": row.geom.geom_type,
        "bbox_deg": [row.min_lon, row.min_lat, row.max_lon, row.max_lat],
        "wkb_sha256": hashlib.sha256(wkb).hexdigest(),
    }


def _transaction_payload(session: Session, tx: AssuranceTransaction) -> dict[str, Any]:
    held = services.assurance_balance(session, tx.assurance_id).held_rub
    return {
        "assurance_id": tx.assurance_id,
        "transaction_id": tx.id,
        "amount_rub": tx.amount_rub,
        "transacted_on": tx.transacted_on,
        "evidence_document_id": tx.evidence_document_id,
        "note": tx.note,
        "held_rub": held,
    }


# --------------------------------------------------------------------------- the mechanism


def _check_now(now: dt.datetime | None) -> None:
    if now is not None:
        ledger.format_timestamp(now)  # refuses a naive time before anything is written


def _check_actor(actor: Actor) -> None:
    if not isinstance(actor, Actor):
        raise TypeError(f"actor must be an actions.Actor, got {type(actor).__name__}")


def _append(
    store: DatabaseLedgerStore,
    actor: Actor,
    site_id: int,
    kind: str,
    payload: Mapping[str, Any],
    now: dt.datetime | None,
) -> Entry:
    """Append the next entry after the stored head and store it (the lock is held)."""
    # The default time is read under the lock, so that it cannot precede the time of an
    # entry another writer stored while this one waited.
    moment = dt.datetime.now(dt.UTC) if now is None else now
    day = ledger.parse_timestamp(ledger.format_timestamp(moment)).date()
    sealed = store.last_sealed_day()
    if sealed is not None and day <= sealed:
        raise ValueError(
            f"cannot record a ledger entry on {day}: the ledger is sealed up to {sealed} "
            "(its daily root is stored)"
        )
    head = store.head()
    chain: list[Entry] = []
    if kind == "release":  # the site's earlier entries hold the evidence
        chain = [e for e in store.load_entries(site_id) if head is None or e.seq < head.seq]
    if head is not None:
        chain.append(head)  # seq and prev_hash follow the head
    entry = ledger.append(
        chain, site_id, kind, _plain(payload), actor.private_key, actor.name, moment
    )
    store.add_entry(entry)
    return entry


def _act(
    session: Session,
    actor: Actor,
    kind: str,
    now: dt.datetime | None,
    change: Callable[[DatabaseLedgerStore], tuple[T, int, dict[str, Any]]],
) -> T:
    """Run ``change`` (service call -> row, site id, payload) and append its entry, atomically."""
    _check_actor(actor)
    _check_now(now)
    store = DatabaseLedgerStore(session)
    store.lock()  # also opens the transaction, so the SAVEPOINT below is nested in it
    with session.begin_nested():
        row, site_id, payload = change(store)
        _append(store, actor, site_id, kind, payload, now)
    return row


# --------------------------------------------------------------------------- created


def register_site(
    session: Session, actor: Actor, *, now: dt.datetime | None = None, **fields: Any
) -> Site:
    """Register a site and record it in the ledger (``created``).

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Session on the registry (committed by the caller).
    actor : Actor
        Party making the change; signs the entry.
    now : datetime.datetime, optional
        Timezone-aware time of the ledger entry; default the current time. [-]
    **fields
        Keyword arguments of :func:`postmine.registry.services.create_site` (``name``,
        ``region``, ``status``, ``operator_id``, ``geometry`` ...).

    Returns
    -------
    Site
        The new site.

    Raises
    ------
    ValueError
        As :func:`postmine.registry.services.create_site` (a
        :class:`~postmine.registry.models.RegistryValueError` naming the field), or if
        ``now`` is naive, earlier than the last entry or on a sealed day.
    postmine.registry.services.NotFoundError
        If the territory or operator does not exist.
    """

    def change(store: DatabaseLedgerStore) -> tuple[Site, int, dict[str, Any]]:
        site = services.create_site(session, **fields)
        payload = {
            "entity": "site",
            "site_id": site.id,
            "name": site.name,
            "region": site.region,
            "status": site.status,
            "typology": site.typology,
            "territory_id": site.territory_id,
            "operator_id": site.operator_id,
            "licence": site.licence,
            "mineral": site.mineral,
            "area_ha": site.area_ha,
            "registered_on": site.registered_on,
            "geometry": _geometry(site),
        }
        return site, site.id, payload

    return _act(session, actor, "created", now, change)


def add_object(
    session: Session, actor: Actor, *, now: dt.datetime | None = None, **fields: Any
) -> DisturbanceObject:
    """Register an object of disturbance and record it in the ledger (``created``).

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Session on the registry.
    actor : Actor
        Party making the change.
    now : datetime.datetime, optional
        Time of the ledger entry; default the current time. [-]
    **fields
        Keyword arguments of :func:`postmine.registry.services.create_object`.

    Returns
    -------
    DisturbanceObject
        The new object.

    Raises
    ------
    ValueError, postmine.registry.services.NotFoundError
        As :func:`postmine.registry.services.create_object` and :func:`register_site`.
    """

    def change(store: DatabaseLedgerStore) -> tuple[DisturbanceObject, int, dict[str, Any]]:
        obj = services.create_object(session, **fields)
        first = obj.states[0] if obj.states else None
        payload = {
            "entity": "object",
            "object_id": obj.id,
            "kind": obj.kind,
            "name": obj.name,
            "area_ha": obj.area_ha,
            "volume_m3": obj.volume_m3,
            "state": obj.state,
            "state_on": first.changed_on if first else None,
            "act_reference": first.act_reference if first else None,
            "reclamation_direction": obj.reclamation_direction,
            "geometry": _geometry(obj),
        }
        return obj, obj.site_id, payload

    return _act(session, actor, "created", now, change)


def add_tmf(
    session: Session, actor: Actor, *, now: dt.datetime | None = None, **fields: Any
) -> Tmf:
    """Register a technogenic mineral formation and record it in the ledger (``created``).

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Session on the registry.
    actor : Actor
        Party making the change.
    now : datetime.datetime, optional
        Time of the ledger entry; default the current time. [-]
    **fields
        Keyword arguments of :func:`postmine.registry.services.create_tmf`.

    Returns
    -------
    Tmf
        The new formation.

    Raises
    ------
    ValueError, postmine.registry.services.NotFoundError
        As :func:`postmine.registry.services.create_tmf` and :func:`register_site`.
    """

    def change(store: DatabaseLedgerStore) -> tuple[Tmf, int, dict[str, Any]]:
        tmf = services.create_tmf(session, **fields)
        payload = {
            "entity": "tmf",
            "tmf_id": tmf.id,
            "object_id": tmf.object_id,
            "name": tmf.name,
            "tmf_class": tmf.tmf_class,
            "mass_t": tmf.mass_t,
            "volume_m3": tmf.volume_m3,
            "hazard_class": tmf.hazard_class,
            "year": tmf.year,
            "composition": tmf.composition,
            "valuable_components": tmf.valuable_components,
            "recorded_on": tmf.recorded_on,
        }
        return tmf, tmf.site_id, payload

    return _act(session, actor, "created", now, change)


def submit_plan(
    session: Session, actor: Actor, *, now: dt.datetime | None = None, **fields: Any
) -> ReclamationPlan:
    """Store a reclamation plan (a project file) and record it in the ledger (``created``).

    The payload commits to the project by the engine's hash of its content
    (``project_sha256``) and the SHA-256 of the exact text stored (``project_toml_sha256``).

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Session on the registry.
    actor : Actor
        Party making the change.
    now : datetime.datetime, optional
        Time of the ledger entry; default the current time. [-]
    **fields
        Keyword arguments of :func:`postmine.registry.services.submit_plan`.

    Returns
    -------
    ReclamationPlan
        The new plan, without a result.

    Raises
    ------
    ValueError, postmine.registry.services.NotFoundError
        As :func:`postmine.registry.services.submit_plan` (a
        :class:`~postmine.project.schema.ProjectFileError` for a bad project file) and
        :func:`register_site`.
    """

    def change(store: DatabaseLedgerStore) -> tuple[ReclamationPlan, int, dict[str, Any]]:
        plan = services.submit_plan(session, **fields)
        payload = {
            "entity": "plan",
            "plan_id": plan.id,
            "title": plan.title,
            "format_version": plan.format_version,
            "project_sha256": plan.project_sha256,
            "project_toml_sha256": services.sha256_hex(plan.project_toml.encode("utf-8")),
            "submitted_on": plan.submitted_on,
        }
        return plan, plan.site_id, payload

    return _act(session, actor, "created", now, change)


def create_assurance(
    session: Session, actor: Actor, *, now: dt.datetime | None = None, **fields: Any
) -> FinancialAssurance:
    """Set the financial assurance of a site and record it in the ledger (``created``).

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Session on the registry.
    actor : Actor
        Party making the change.
    now : datetime.datetime, optional
        Time of the ledger entry; default the current time. [-]
    **fields
        Keyword arguments of :func:`postmine.registry.services.create_assurance`
        (``site_id``, ``required_rub`` [rub], ``plan_id``, ``required_on``).

    Returns
    -------
    FinancialAssurance
        The new assurance.

    Raises
    ------
    ValueError, postmine.registry.services.NotFoundError
        As :func:`postmine.registry.services.create_assurance` and :func:`register_site`.
    """

    def change(store: DatabaseLedgerStore) -> tuple[FinancialAssurance, int, dict[str, Any]]:
        assurance = services.create_assurance(session, **fields)
        payload = {
            "entity": "assurance",
            "assurance_id": assurance.id,
            "plan_id": assurance.plan_id,
            "required_rub": assurance.required_rub,
            "required_on": assurance.required_on,
        }
        return assurance, assurance.site_id, payload

    return _act(session, actor, "created", now, change)


# --------------------------------------------------------------------------- other changes


def approve_plan(
    session: Session,
    actor: Actor,
    plan_id: int,
    *,
    approved_on: dt.date,
    now: dt.datetime | None = None,
) -> ReclamationPlan:
    """Record the approval of a plan, and its ledger entry (``plan-approved``).

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Session on the registry.
    actor : Actor
        Party approving (usually the regulator).
    plan_id : int
        Plan approved. [-]
    approved_on : datetime.date
        Date of the approval. [date]
    now : datetime.datetime, optional
        Time of the ledger entry; default the current time. [-]

    Returns
    -------
    ReclamationPlan
        The approved plan.

    Raises
    ------
    ValueError, postmine.registry.services.NotFoundError
        As :func:`postmine.registry.services.approve_plan` and :func:`register_site`.
    """

    def change(store: DatabaseLedgerStore) -> tuple[ReclamationPlan, int, dict[str, Any]]:
        plan = services.approve_plan(session, plan_id, approved_on=approved_on)
        payload = {
            "plan_id": plan.id,
            "title": plan.title,
            "project_sha256": plan.project_sha256,
            "approved_on": plan.approved_on,
        }
        return plan, plan.site_id, payload

    return _act(session, actor, "plan-approved", now, change)


def _document_payload(document: Document) -> dict[str, Any]:
    return {
        "document_id": document.id,
        "kind": document.kind,
        "title": document.title,
        "uri": document.uri,
        "sha256": document.sha256,
        "issued_on": document.issued_on,
    }


def record_document(
    session: Session, actor: Actor, *, now: dt.datetime | None = None, **fields: Any
) -> Document:
    """Register a document (act, protocol, report) and its ledger entry (``document-recorded``).

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Session on the registry.
    actor : Actor
        Party making the change.
    now : datetime.datetime, optional
        Time of the ledger entry; default the current time. [-]
    **fields
        Keyword arguments of :func:`postmine.registry.services.add_document` (``site_id``,
        ``kind``, ``title``, ``uri``, ``issued_on``, ``sha256`` or ``content``).

    Returns
    -------
    Document
        The new document.

    Raises
    ------
    ValueError, postmine.registry.services.NotFoundError
        As :func:`postmine.registry.services.add_document` and :func:`register_site`.
    """

    def change(store: DatabaseLedgerStore) -> tuple[Document, int, dict[str, Any]]:
        document = services.add_document(session, **fields)
        return document, document.site_id, _document_payload(document)

    return _act(session, actor, "document-recorded", now, change)


def accept_stage(
    session: Session,
    actor: Actor,
    object_id: int,
    *,
    state: ObjectState,
    changed_on: dt.date,
    document_id: int,
    milestone: str,
    act_reference: str | None = None,
    note: str | None = None,
    now: dt.datetime | None = None,
) -> ObjectStateChange:
    """Record the acceptance of a stage of works on an object, by act (``stage-accepted``).

    The object enters ``state``; the acceptance act, a registered document of kind
    ``acceptance-act`` of the object's site, goes into the payload with its checksum, which
    makes the entry the evidence that allows releasing the assurance of ``milestone``.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Session on the registry.
    actor : Actor
        Party accepting (usually the regulator or the acceptance commission).
    object_id : int
        Object whose stage is accepted. [-]
    state : {"disturbed", "technical-stage", "biological-stage", "reclaimed", "accepted"}
        State the object enters.
    changed_on : datetime.date
        Date of the acceptance. [date]
    document_id : int
        The acceptance act (see :func:`record_document`). [-]
    milestone : str
        Milestone of the plan the stage completes (a release names it). [-]
    act_reference : str, optional
        Number of the act, if it should be kept beside the document. [-]
    note : str, optional
        Remark. [-]
    now : datetime.datetime, optional
        Time of the ledger entry; default the current time. [-]

    Returns
    -------
    ObjectStateChange
        The new state of the object.

    Raises
    ------
    RegistryValueError
        If the document is not an acceptance act or is another site's, ``milestone`` is
        empty, or as :func:`postmine.registry.services.set_object_state`.
    postmine.registry.services.NotFoundError
        If the object or the document does not exist.
    """

    def change(store: DatabaseLedgerStore) -> tuple[ObjectStateChange, int, dict[str, Any]]:
        if not isinstance(milestone, str) or not milestone.strip():
            raise RegistryValueError(
                "milestone", f"milestone must be non-empty text, got {milestone!r}", milestone
            )
        obj = services.get_object(session, object_id)
        previous = obj.state
        document = services.get_document(session, document_id)
        if document.kind != "acceptance-act":
            raise RegistryValueError(
                "document_id",
                f"a stage is accepted by an acceptance act: document {document_id} is a "
                f"{document.kind!r}",
                document_id,
            )
        state_change = services.set_object_state(
            session,
            object_id,
            state=state,
            changed_on=changed_on,
            act_reference=act_reference,
            document_id=document_id,
            note=note,
        )
        act = _document_payload(document)
        act["reference"] = act.pop("title")
        del act["kind"]
        payload = {
            "object_id": obj.id,
            "object_kind": obj.kind,
            "object_name": obj.name,
            "previous_state": previous,
            "state": state_change.state,
            "changed_on": state_change.changed_on,
            "state_change_id": state_change.id,
            "act_reference": state_change.act_reference,
            "note": state_change.note,
            "milestone": milestone.strip(),
            "acceptance_act": act,
        }
        return state_change, obj.site_id, payload

    return _act(session, actor, "stage-accepted", now, change)


def record_monitoring(
    session: Session,
    actor: Actor,
    *,
    milestone: str | None = None,
    now: dt.datetime | None = None,
    **fields: Any,
) -> MonitoringSummary:
    """Record a monitoring result and its ledger entry (``monitoring-summary``).

    With ``milestone`` and ``criteria_met`` true the entry is the evidence that allows
    releasing the assurance of that milestone.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Session on the registry.
    actor : Actor
        Party reporting (laboratory, operator, regulator).
    milestone : str, optional
        Milestone of the plan whose success criterion the result tests. [-]
    now : datetime.datetime, optional
        Time of the ledger entry; default the current time. [-]
    **fields
        Keyword arguments of :func:`postmine.registry.services.add_monitoring_summary`
        (``site_id``, ``parameter``, ``value``, ``unit``, ``criteria_met``,
        ``period_start``, ``period_end``, ``source``, ``object_id``).

    Returns
    -------
    MonitoringSummary
        The new summary.

    Raises
    ------
    RegistryValueError
        If ``milestone`` is given but empty, or as
        :func:`postmine.registry.services.add_monitoring_summary`.
    postmine.registry.services.NotFoundError
        If the site or object does not exist.
    """

    def change(store: DatabaseLedgerStore) -> tuple[MonitoringSummary, int, dict[str, Any]]:
        if milestone is not None and (not isinstance(milestone, str) or not milestone.strip()):
            raise RegistryValueError(
                "milestone", f"milestone must be non-empty text, got {milestone!r}", milestone
            )
        summary = services.add_monitoring_summary(session, **fields)
        payload: dict[str, Any] = {
            "monitoring_id": summary.id,
            "object_id": summary.object_id,
            "parameter": summary.parameter,
            "value": summary.value,
            "unit": summary.unit,
            "criteria_met": summary.criteria_met,
            "period_start": summary.period_start,
            "period_end": summary.period_end,
            "source": summary.source,
        }
        if milestone is not None:
            payload["milestone"] = milestone.strip()
        return summary, summary.site_id, payload

    return _act(session, actor, "monitoring-summary", now, change)


# --------------------------------------------------------------------------- money


def pay_deposit(
    session: Session,
    actor: Actor,
    assurance_id: int,
    *,
    amount_rub: float,
    transacted_on: dt.date,
    evidence_document_id: int | None = None,
    note: str | None = None,
    now: dt.datetime | None = None,
) -> AssuranceTransaction:
    """Record a deposit to a financial assurance and its ledger entry (``deposit-paid``).

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Session on the registry.
    actor : Actor
        Party recording the payment.
    assurance_id : int
        Assurance paid into. [-]
    amount_rub : float
        Amount paid, > 0. [rub]
    transacted_on : datetime.date
        Date of the payment. [date]
    evidence_document_id : int, optional
        Payment order as a registered document of the same site. [-]
    note : str, optional
        Remark. [-]
    now : datetime.datetime, optional
        Time of the ledger entry; default the current time. [-]

    Returns
    -------
    AssuranceTransaction
        The deposit.

    Raises
    ------
    ValueError, postmine.registry.services.NotFoundError
        As :func:`postmine.registry.services.record_deposit` and :func:`register_site`.
    """

    def change(store: DatabaseLedgerStore) -> tuple[AssuranceTransaction, int, dict[str, Any]]:
        tx = services.record_deposit(
            session,
            assurance_id,
            amount_rub=amount_rub,
            transacted_on=transacted_on,
            evidence_document_id=evidence_document_id,
            note=note,
        )
        return tx, tx.assurance.site_id, _transaction_payload(session, tx)

    return _act(session, actor, "deposit-paid", now, change)


def _evidence(store: DatabaseLedgerStore, site_id: int, milestone: str) -> Entry:
    """Find the authentic entry in the site's chain that allows releasing ``milestone``."""
    found = ledger.check_release_allowed(milestone, store.load_entries(site_id), site_id=site_id)
    try:
        authentic = ledger.compute_entry_hash(found) == found.entry_hash
        ledger.public_key_from_hex(found.public_key).verify(
            bytes.fromhex(found.signature), bytes.fromhex(found.entry_hash)
        )
    except (ValueError, InvalidSignature):
        authentic = False
    if not authentic:
        raise ValueError(
            f"release of milestone {milestone!r} of site {site_id} refused: its evidence, "
            f"entry seq {found.seq} ({found.kind}), does not match its hash or signature; "
            "run `postmine registry verify`"
        )
    return found


def release(
    session: Session,
    actor: Actor,
    assurance_id: int,
    *,
    amount_rub: float,
    transacted_on: dt.date,
    milestone: str,
    evidence_document_id: int | None = None,
    note: str | None = None,
    now: dt.datetime | None = None,
) -> AssuranceTransaction:
    """Release part of a financial assurance after a milestone, and its entry (``release``).

    Refused unless the milestone's evidence is recorded in the site's chain before it: a
    ``stage-accepted`` entry of the milestone with its acceptance act, or a
    ``monitoring-summary`` entry of the milestone with ``criteria_met`` true.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Session on the registry.
    actor : Actor
        Party releasing (usually the regulator).
    assurance_id : int
        Assurance released from. [-]
    amount_rub : float
        Amount released, > 0 and not above the amount held. [rub]
    transacted_on : datetime.date
        Date of the release. [date]
    milestone : str
        Milestone the release is for. [-]
    evidence_document_id : int, optional
        Document of the same site evidencing the milestone. [-]
    note : str, optional
        Remark. [-]
    now : datetime.datetime, optional
        Time of the ledger entry; default the current time. [-]

    Returns
    -------
    AssuranceTransaction
        The release; its ledger entry names the evidence entry (``evidence_seq``).

    Raises
    ------
    ValueError
        If the milestone's evidence is not in the chain (the message says what is needed and
        what was found) or does not match its hash, or as
        :func:`postmine.registry.services.record_release` (an amount above the amount held).
        Nothing is stored.
    postmine.registry.services.NotFoundError
        If the assurance or the document does not exist.
    """

    def change(store: DatabaseLedgerStore) -> tuple[AssuranceTransaction, int, dict[str, Any]]:
        site_id = services.get_assurance(session, assurance_id).site_id
        evidence = _evidence(store, site_id, milestone)
        tx = services.record_release(
            session,
            assurance_id,
            amount_rub=amount_rub,
            transacted_on=transacted_on,
            milestone=milestone,
            evidence_document_id=evidence_document_id,
            note=note,
        )
        payload = _transaction_payload(session, tx)
        payload["milestone"] = tx.milestone
        payload["evidence_seq"] = evidence.seq
        return tx, site_id, payload

    return _act(session, actor, "release", now, change)


def forfeit(
    session: Session,
    actor: Actor,
    assurance_id: int,
    *,
    amount_rub: float,
    transacted_on: dt.date,
    note: str | None,
    evidence_document_id: int | None = None,
    now: dt.datetime | None = None,
) -> AssuranceTransaction:
    """Record a forfeit of a financial assurance and its ledger entry (``forfeit``).

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Session on the registry.
    actor : Actor
        Party forfeiting (the regulator).
    assurance_id : int
        Assurance forfeited. [-]
    amount_rub : float
        Amount taken, > 0 and not above the amount held. [rub]
    transacted_on : datetime.date
        Date of the forfeit. [date]
    note : str or None
        Reason (e.g. the operator abandoned the site). [-]
    evidence_document_id : int, optional
        Decision as a registered document of the same site. [-]
    now : datetime.datetime, optional
        Time of the ledger entry; default the current time. [-]

    Returns
    -------
    AssuranceTransaction
        The forfeit.

    Raises
    ------
    ValueError, postmine.registry.services.NotFoundError
        As :func:`postmine.registry.services.record_forfeit` and :func:`register_site`.
    """

    def change(store: DatabaseLedgerStore) -> tuple[AssuranceTransaction, int, dict[str, Any]]:
        tx = services.record_forfeit(
            session,
            assurance_id,
            amount_rub=amount_rub,
            transacted_on=transacted_on,
            note=note,
            evidence_document_id=evidence_document_id,
        )
        return tx, tx.assurance.site_id, _transaction_payload(session, tx)

    return _act(session, actor, "forfeit", now, change)


# --------------------------------------------------------------------------- checking


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
    report = ledger.verify(entries, store.load_daily_roots(), trusted_keys)
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
    postmine.registry.services.NotFoundError
        If no entry has that ``seq``.
    ValueError
        If the entry's ``created_at`` or a hash of its day is malformed.
    """
    store = DatabaseLedgerStore(session)
    entry = store.get_entry(seq)
    if entry is None:
        raise services.NotFoundError("ledger entry", seq)
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


# --------------------------------------------------------------------------- imports


def import_records(
    session: Session,
    actor: Actor,
    records: str,
    path: str | os.PathLike[str],
    *,
    site_id: int,
    now: dt.datetime | None = None,
) -> Any:
    """Import a file of objects or TMF for one site and record the batch in the ledger.

    The import itself is all or nothing (:mod:`postmine.registry.io`); one ``created`` entry
    records the batch: the file's SHA-256, the kind of records and the ids of the new rows,
    so the passport's history and the ledger agree without one entry per row.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Session on the registry.
    actor : Actor
        Party making the import.
    records : {"objects", "tmf"}
        What the file holds.
    path : path-like
        The file (GeoJSON/GeoPackage for objects, CSV/Excel for TMF).
    site_id : int
        Site the records belong to. [-]
    now : datetime.datetime, optional
        Time of the ledger entry; default the current time. [-]

    Returns
    -------
    postmine.registry.io.ImportReport
        What was imported.

    Raises
    ------
    ValueError
        If ``records`` is unknown or any row is invalid (nothing is stored).
    """
    from postmine.registry import io

    if records not in ("objects", "tmf"):
        raise ValueError(f"records must be one of: objects, tmf; got {records!r}")

    def change(store: DatabaseLedgerStore) -> tuple[Any, int, dict[str, Any]]:
        services.get_site(session, site_id)
        if records == "objects":
            report = io.import_objects(session, Path(path), site_id=site_id)
        else:
            report = io.import_tmf(session, Path(path), site_id=site_id)
        return report, site_id, {"import": report.to_dict()}

    return _act(session, actor, "created", now, change)
