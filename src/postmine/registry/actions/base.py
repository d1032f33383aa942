"""The mechanism of the registry's actions: actors and their keys, payloads, the ledger append.

:func:`act` runs one change of the registry (made of the row operations of
:mod:`postmine.registry.records`) and appends the ledger entry recording it, signed by the
acting :class:`Actor`, in the same transaction; see :mod:`postmine.registry.actions`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from numbers import Integral, Real
from pathlib import Path
from typing import Any, TypeVar

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy.orm import Session

from postmine.db import to_wkb
from postmine.registry import ledger
from postmine.registry.assurance_rules import ASSURANCE_RULES
from postmine.registry.ledger import Entry
from postmine.registry.ledger.store import DatabaseLedgerStore
from postmine.registry.models import AssuranceTransaction, DisturbanceObject, Site, Territory
from postmine.registry.records.assurance import assurance_balance

__all__ = [
    "KEYS_ENV_VAR",
    "Actor",
    "act",
    "actor_from_keyring",
    "geometry_commitment",
    "plain_json",
    "resolve_keys_dir",
    "transaction_payload",
]

KEYS_ENV_VAR = "POSTMINE_KEYS"
"""Environment variable naming the directory of the actors' keys."""

T = TypeVar("T")


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


def plain_json(value: Any) -> Any:
    """Turn a stored value into JSON (dates ISO, Decimal and numpy numbers plain).

    Examples
    --------
    >>> plain_json({"on": dt.date(2024, 1, 10), "rub": Decimal("1.50")})
    {'on': '2024-01-10', 'rub': 1.5}
    """
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
        return {str(k): plain_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain_json(v) for v in value]
    return value


def geometry_commitment(row: Site | DisturbanceObject | Territory) -> dict[str, Any] | None:
    """Commit to a stored geometry: its type, bounding box and the SHA-256 of its WKB.

    Returns None for a row without a geometry.
    """
    if row.geom is None:
        return None
    wkb = to_wkb(row.geom)
    return {
        "type": row.geom.geom_type,
        "bbox_deg": [row.min_lon, row.min_lat, row.max_lon, row.max_lat],
        "wkb_sha256": hashlib.sha256(wkb).hexdigest(),
    }


def transaction_payload(session: Session, tx: AssuranceTransaction) -> dict[str, Any]:
    """Return the payload of a movement of money, with the amount held after it."""
    held = assurance_balance(session, tx.assurance_id).held_rub
    return {
        "assurance_id": tx.assurance_id,
        "transaction_id": tx.id,
        "amount_rub": tx.amount_rub,
        "transacted_on": tx.transacted_on,
        "evidence_document_id": tx.evidence_document_id,
        "note": tx.note,
        "held_rub": held,
    }


def _check_now(now: dt.datetime | None) -> None:
    if now is not None:
        ledger.format_timestamp(now)  # refuses a naive time before anything is written


def _check_actor(actor: Actor) -> None:
    if not isinstance(actor, Actor):
        raise TypeError(f"actor must be an actions.Actor, got {type(actor).__name__}")


def _append(
    store: DatabaseLedgerStore,
    actor: Actor,
    site_id: int | None,
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
    if kind == "release" and site_id is not None:  # the site's earlier entries: the evidence
        chain = [e for e in store.load_entries(site_id) if head is None or e.seq < head.seq]
    if head is not None:
        chain.append(head)  # seq and prev_hash follow the head
    entry = ledger.append(
        chain,
        site_id,
        kind,
        plain_json(payload),
        actor.private_key,
        actor.name,
        moment,
        rules=ASSURANCE_RULES,
    )
    store.add_entry(entry)
    return entry


def act(
    session: Session,
    actor: Actor,
    kind: str,
    now: dt.datetime | None,
    change: Callable[[DatabaseLedgerStore], tuple[T, int | None, dict[str, Any]]],
) -> T:
    """Run ``change`` and append the ledger entry it describes, atomically.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Session on the registry (committed by the caller).
    actor : Actor
        Party making the change; signs the entry.
    kind : str
        Ledger entry kind (one of :data:`postmine.registry.ledger.ENTRY_KINDS`).
    now : datetime.datetime or None
        Timezone-aware time of the entry; None for the current time.
    change : callable
        Takes the locked ledger store, makes the change with the row operations of
        :mod:`postmine.registry.records` and returns (result, site id, payload); the site
        id is None for a registry-wide kind
        (:data:`postmine.registry.ledger.REGISTRY_WIDE_KINDS`).

    Returns
    -------
    object
        What ``change`` returned first.

    Raises
    ------
    ValueError
        As ``change``, and as :func:`postmine.registry.ledger.append` (a site id that does
        not fit the kind, a payload without a field its kind requires, a time running
        backwards or on a sealed day, a release without evidence); nothing of the change
        is stored.
    """
    _check_actor(actor)
    _check_now(now)
    store = DatabaseLedgerStore(session)
    store.lock()  # also opens the transaction, so the SAVEPOINT below is nested in it
    with session.begin_nested():
        row, site_id, payload = change(store)
        _append(store, actor, site_id, kind, payload, now)
    return row
