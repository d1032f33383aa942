"""The ledger's storage in the registry database: the ``ledger_entries`` and ``daily_roots`` tables.

:class:`DatabaseLedgerStore` implements :class:`~postmine.registry.ledger.chain.LedgerStore`
on an open :class:`sqlalchemy.orm.Session`, inside the caller's transaction (it flushes, never
commits). It converts between rows of :class:`~postmine.registry.models.LedgerEntry` and
:class:`~postmine.registry.ledger.entries.Entry` as the ledger prescribes:

=================  ===========================================================================
``seq``            integer primary key (unique, so two writers cannot store the same ``seq``)
``site_id``        the registry's integer ``sites.id``; ``NULL`` for a registry-wide entry
                   (a kind of :data:`~postmine.registry.ledger.kinds.REGISTRY_WIDE_KINDS`:
                   an operator or a territory registered, statistics imported)
``payload_json``   the canonical JSON text of the payload (RFC 8785,
                   :func:`~postmine.registry.ledger.canonical.canonical_json`), the very bytes
                   hashed; read back with
                   :func:`~postmine.registry.ledger.canonical.parse_canonical_json`
``created_at``     a UTC timestamp column with microseconds; read back as the ledger's string
                   with :func:`~postmine.registry.ledger.entries.format_timestamp`, which
                   gives back exactly the string that was hashed (both backends keep
                   microseconds)
other columns      stored as they are (hex strings, actor)
=================  ===========================================================================

Reading never refuses a row: an entry altered in the database must reach
:func:`~postmine.registry.ledger.verify.verify` so that it can be named. A ``payload_json``
that is not canonical JSON is loaded as the JSON value it holds (or, if it does not parse, as its
raw text, which no longer hashes to the stored ``entry_hash``) and noted in
:attr:`DatabaseLedgerStore.load_problems` as a ``malformed`` problem of that ``seq``.

One writer at a time
--------------------
The next entry's ``seq`` and ``prev_hash`` come from the last stored entry (``SELECT ...
ORDER BY seq DESC LIMIT 1``), so two transactions that read the same head would fork the
chain. :meth:`DatabaseLedgerStore.lock` serialises the writers for the rest of the
transaction:

PostgreSQL
    ``LOCK TABLE ledger_entries IN SHARE ROW EXCLUSIVE MODE``. The mode conflicts with
    itself and with every row write (``INSERT``/``UPDATE``/``DELETE``), so a second writer
    waits until the first commits or rolls back, and then (at READ COMMITTED, PostgreSQL's
    default) reads the new head; plain reads (``verify``, the passport) are not blocked. A
    table lock rather than ``SELECT ... FOR UPDATE`` on the head row, because an empty
    ledger has no row to lock, and rather than an advisory lock, because it also holds off
    writers that do not go through this module.
SQLite
    A statement that writes nothing (``UPDATE ledger_entries SET seq = seq WHERE 1 = 0``)
    opens the transaction and takes SQLite's RESERVED lock, which only one connection holds
    at a time: another writer waits (the driver's busy timeout, 5 s) or fails with
    ``database is locked``, and never reads a head that is about to change.

Whatever happens, the primary key on ``seq`` and the unique ``entry_hash`` refuse a second
entry with the same position; :meth:`DatabaseLedgerStore.add_entry` then raises
:class:`LedgerConflictError`.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import Row, func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from postmine.registry.ledger.canonical import parse_canonical_json
from postmine.registry.ledger.chain import LedgerStore
from postmine.registry.ledger.entries import Entry, format_timestamp, parse_timestamp
from postmine.registry.ledger.merkle import DailyRoot
from postmine.registry.ledger.problems import Problem
from postmine.registry.models import DailyRoot as DailyRootRow
from postmine.registry.models import LedgerEntry

__all__ = [
    "DatabaseLedgerStore",
    "LedgerConflictError",
    "entry_from_row",
    "entry_to_row",
]

_ENTRIES = LedgerEntry.__table__
_ROOTS = DailyRootRow.__table__


class LedgerConflictError(RuntimeError):
    """Another writer stored an entry with the same ``seq`` first; the action may be retried."""


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def _payload_of(seq: object, kind: object, text_value: object) -> tuple[Any, Problem | None]:
    """Read a stored ``payload_json``; return the value and a problem if it is not canonical."""
    if not isinstance(text_value, str):
        message = f"payload_json must be text, got {text_value!r}"
        return text_value, Problem(_int_or_none(seq), _str_or_none(kind), "malformed", message)
    try:
        return parse_canonical_json(text_value), None
    except ValueError as exc:
        reason = str(exc)

    def refuse(name: str) -> Any:
        raise ValueError(name)

    try:
        value: Any = json.loads(text_value, parse_constant=refuse)
    except ValueError:
        value = text_value  # does not parse: keep the text, which hashes to something else
    problem = Problem(
        _int_or_none(seq),
        _str_or_none(kind),
        "malformed",
        f"entry seq {seq} ({kind}): its stored payload_json is not what the ledger wrote: {reason}",
    )
    return value, problem


def _int_or_none(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _str_or_none(value: object) -> str | None:
    return value if isinstance(value, str) else None


def entry_from_row(row: Row[Any] | LedgerEntry) -> tuple[Entry, Problem | None]:
    """Build a ledger entry from a stored row, without refusing anything.

    Parameters
    ----------
    row : sqlalchemy.Row or LedgerEntry
        A row of ``ledger_entries`` (its columns as attributes).

    Returns
    -------
    (Entry, Problem or None)
        The entry as stored, and a ``malformed`` problem if ``payload_json`` is not the
        canonical JSON text of a value (the entry then carries that value, or the raw text if
        it does not parse, so that :func:`~postmine.registry.ledger.verify.verify` sees it).
    """
    payload, problem = _payload_of(row.seq, row.kind, row.payload_json)
    created: Any = row.created_at
    if isinstance(created, dt.datetime) and created.tzinfo is not None:
        created = format_timestamp(created)
    fields: dict[str, Any] = {
        "seq": row.seq,
        "site_id": row.site_id,
        "kind": row.kind,
        "payload": payload,
        "prev_hash": row.prev_hash,
        "entry_hash": row.entry_hash,
        "actor": row.actor,
        "public_key": row.public_key,
        "signature": row.signature,
        "created_at": created,
    }
    return Entry(**fields), problem


def entry_to_row(entry: Entry) -> LedgerEntry:
    """Make the ``ledger_entries`` row of a new entry.

    Parameters
    ----------
    entry : Entry
        An entry made by :func:`~postmine.registry.ledger.chain.append`.

    Returns
    -------
    LedgerEntry
        The row: ``payload_json`` the canonical JSON text, ``created_at`` the parsed UTC time.

    Raises
    ------
    ValueError
        If ``site_id`` is neither an integer (the registry's ``sites.id``) nor None (a
        registry-wide entry), or ``created_at`` or the payload cannot be stored exactly.
    """
    site_id = entry.site_id
    if site_id is not None and (isinstance(site_id, bool) or not isinstance(site_id, int)):
        raise ValueError(
            "site_id of a registry ledger entry must be the integer sites.id, or None for a "
            f"registry-wide entry; got {site_id!r}"
        )
    created = parse_timestamp(entry.created_at)
    if format_timestamp(created) != entry.created_at:  # pragma: no cover - fixed format
        raise ValueError(f"created_at {entry.created_at!r} does not survive storage")
    return LedgerEntry(
        seq=entry.seq,
        site_id=site_id,
        kind=entry.kind,
        payload_json=entry.payload_json,
        prev_hash=entry.prev_hash,
        entry_hash=entry.entry_hash,
        actor=entry.actor,
        public_key=entry.public_key,
        signature=entry.signature,
        created_at=created,
    )


class DatabaseLedgerStore:
    """The ledger's :class:`~postmine.registry.ledger.chain.LedgerStore` in the registry database.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Session on the registry; the store works inside its transaction and never commits.

    Attributes
    ----------
    load_problems : list of Problem
        ``malformed`` problems met by the last load (a stored ``payload_json`` that is not
        canonical JSON); :func:`postmine.registry.actions.verify_registry` adds them to the
        report.

    Examples
    --------
    >>> import tempfile
    >>> from postmine import db
    >>> from postmine.registry.records.sites import insert_site
    >>> from postmine.registry.ledger.chain import record
    >>> from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    >>> url = f"sqlite:///{tempfile.mkdtemp()}/registry.sqlite"
    >>> _ = db.init_db(url)
    >>> key = Ed25519PrivateKey.from_private_bytes(bytes(32))
    >>> with db.session_scope(url) as session:
    ...     site = insert_site(session, name="Abaza mine", region="Khakassia")
    ...     store = DatabaseLedgerStore(session)
    ...     store.lock()
    ...     entry = record(store, site.id, "created", {"name": "Abaza mine"}, key,
    ...                    "regulator", now=dt.datetime(2024, 5, 1, 9, tzinfo=dt.UTC))
    >>> with db.session_scope(url) as session:
    ...     stored = DatabaseLedgerStore(session).load_entries()
    >>> stored == [entry], stored[0].created_at
    (True, '2024-05-01T09:00:00.000000Z')
    """

    def __init__(self, session: Session) -> None:
        self.session = session
        self.load_problems: list[Problem] = []

    # --- locking -------------------------------------------------------------------------

    def lock(self) -> None:
        """Make this transaction the only ledger writer until it ends (see the module notes)."""
        if self.session.get_bind().dialect.name == "postgresql":
            self.session.execute(text("LOCK TABLE ledger_entries IN SHARE ROW EXCLUSIVE MODE"))
        else:
            self.session.execute(text("UPDATE ledger_entries SET seq = seq WHERE 1 = 0"))

    # --- entries -------------------------------------------------------------------------

    def _load(self, stmt: Any) -> list[Entry]:
        self.load_problems = []
        entries = []
        for row in self.session.execute(stmt.order_by(_ENTRIES.c.seq)):
            entry, problem = entry_from_row(row)
            entries.append(entry)
            if problem is not None:
                self.load_problems.append(problem)
        return entries

    def load_entries(
        self,
        site_id: int | None = None,
        *,
        day: dt.date | None = None,
        from_day: dt.date | None = None,
    ) -> list[Entry]:
        """Return the stored entries in ``seq`` order: all, or those of a site or day.

        Parameters
        ----------
        site_id : int, optional
            Only the entries of this site. [-]
        day : datetime.date, optional
            Only the entries created on this UTC day. [-]
        from_day : datetime.date, optional
            Only the entries created on this UTC day or later. [-]

        Returns
        -------
        list of Entry
            The entries as stored (altered ones included).
        """
        stmt = select(_ENTRIES)
        if site_id is not None:
            stmt = stmt.where(_ENTRIES.c.site_id == site_id)
        if day is not None:
            stmt = stmt.where(
                _ENTRIES.c.created_at >= _midnight(day),
                _ENTRIES.c.created_at < _midnight(day + dt.timedelta(days=1)),
            )
        if from_day is not None:
            stmt = stmt.where(_ENTRIES.c.created_at >= _midnight(from_day))
        return self._load(stmt)

    def head(self) -> Entry | None:
        """Return the last stored entry (highest ``seq``), or None for an empty ledger."""
        stmt = select(_ENTRIES).order_by(_ENTRIES.c.seq.desc()).limit(1)
        row = self.session.execute(stmt).first()
        return None if row is None else entry_from_row(row)[0]

    def get_entry(self, seq: int) -> Entry | None:
        """Return the entry stored with ``seq``, or None."""
        row = self.session.execute(select(_ENTRIES).where(_ENTRIES.c.seq == seq)).first()
        return None if row is None else entry_from_row(row)[0]

    def add_entry(self, entry: Entry) -> None:
        """Store a new entry and flush it.

        Raises
        ------
        LedgerConflictError
            If an entry with the same ``seq`` or ``entry_hash`` is stored already (another
            writer appended first); the caller's transaction must be rolled back.
        ValueError
            As :func:`entry_to_row`.
        """
        row = entry_to_row(entry)
        self.session.add(row)
        try:
            self.session.flush()
        except IntegrityError as exc:
            if "ledger_entries" not in str(exc.orig):
                raise
            raise LedgerConflictError(
                f"ledger entry seq {entry.seq} is stored already: another writer appended "
                f"first; roll back and retry ({exc.orig})"
            ) from exc

    # --- daily roots ---------------------------------------------------------------------

    def load_daily_roots(self) -> list[DailyRoot]:
        """Return every stored daily root, in date order."""
        rows = self.session.execute(select(_ROOTS).order_by(_ROOTS.c.day))
        return [DailyRoot(row.day, row.root, row.n_entries) for row in rows]

    def last_sealed_day(self) -> dt.date | None:
        """Return the latest day whose root is stored, or None."""
        day: dt.date | None = self.session.scalar(select(func.max(_ROOTS.c.day)))
        return day

    def get_daily_root(self, day: dt.date) -> DailyRoot | None:
        """Return the stored root of a day, or None if the day is not sealed."""
        row = self.session.execute(select(_ROOTS).where(_ROOTS.c.day == day)).first()
        return None if row is None else DailyRoot(row.day, row.root, row.n_entries)

    def add_daily_root(self, root: DailyRoot) -> None:
        """Store the root of a day and flush it.

        Raises
        ------
        LedgerConflictError
            If the day has a root already.
        ValueError
            If the root does not record its number of entries.
        """
        if root.n_entries is None:
            raise ValueError(f"the daily root of {root.day} must record its n_entries")
        row = DailyRootRow(day=root.day, root=root.root, n_entries=root.n_entries)
        self.session.add(row)
        try:
            self.session.flush()
        except IntegrityError as exc:
            if "daily_roots" not in str(exc.orig):
                raise
            raise LedgerConflictError(
                f"the daily root of {root.day} is stored already ({exc.orig})"
            ) from exc


def _check_protocol(store: DatabaseLedgerStore) -> LedgerStore:
    return store  # mypy checks that the class implements the protocol
