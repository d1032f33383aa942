"""Actions on published statistics: import a table of them, or the shipped 002 sample.

Statistics (:class:`postmine.registry.statistics_model.Statistic`) are no site's record: an
import is recorded by one registry-wide ledger entry (kind ``statistics-imported``,
``site_id`` None) per file, in the same transaction as its rows. See
:mod:`postmine.registry.actions` for the payload.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Literal

from sqlalchemy.orm import Session

from postmine.registry.actions.base import Actor, act
from postmine.registry.io import ImportReport, sample_statistics_files
from postmine.registry.io import import_statistics as write_statistics_table
from postmine.registry.ledger.store import DatabaseLedgerStore

__all__ = ["import_sample_statistics", "import_statistics"]


def _statistics_payload(
    report: ImportReport, *, source: str | None, on_conflict: str
) -> dict[str, Any]:
    """Return the ledger payload of a statistics import: the file, its hash, its rows.

    ``file`` (the file's name), ``sha256`` (of its bytes), ``n_rows`` (rows written),
    ``inserted``, ``replaced``, ``on_conflict`` and ``source`` (None: each row's own, or
    the file's).
    """
    return {
        "file": Path(report.path).name,
        "sha256": report.sha256,
        "n_rows": len(report.ids),
        "inserted": report.inserted,
        "replaced": report.replaced,
        "on_conflict": on_conflict,
        "source": source,
    }


def import_statistics(
    session: Session,
    actor: Actor,
    path: str | Path,
    *,
    source: str | None = None,
    on_conflict: Literal["error", "replace"] = "error",
    now: dt.datetime | None = None,
) -> ImportReport:
    """Import statistics from a CSV or Excel table, all or nothing, and record the batch.

    The rows are read, checked and written by
    :func:`postmine.registry.io.import_statistics` (the long format of
    ``postmine/data/statistics/*.csv``); one registry-wide ``statistics-imported`` entry
    records the batch: the file's name and SHA-256, the number of rows written (inserted
    and replaced), the conflict rule and the source given. Rows and entry are stored
    together or not at all: a bad row leaves neither.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Session on the registry (committed by the caller).
    actor : Actor
        Party making the import; signs the entry.
    path : str or Path
        The ``.csv`` or ``.xlsx`` file. [-]
    source : str, optional
        Source of every row, as :func:`postmine.registry.io.import_statistics`. [-]
    on_conflict : {"error", "replace"}
        What to do with a statistic already in the registry: refuse the import, or replace
        it.
    now : datetime.datetime, optional
        Timezone-aware time of the ledger entry; default the current time. [-]

    Returns
    -------
    ImportReport
        Rows inserted and replaced, their ids, the file's SHA-256.

    Raises
    ------
    RegistryImportError
        If the file cannot be read or any row is bad (row, field and value named); nothing
        is written, no entry is made.
    ValueError
        If ``on_conflict`` is unknown, or ``now`` is naive, earlier than the last entry or
        on a sealed day.
    """

    def change(store: DatabaseLedgerStore) -> tuple[ImportReport, None, dict[str, Any]]:
        report = write_statistics_table(session, path, source=source, on_conflict=on_conflict)
        return report, None, _statistics_payload(report, source=source, on_conflict=on_conflict)

    return act(session, actor, "statistics-imported", now, change)


def import_sample_statistics(
    session: Session,
    actor: Actor,
    *,
    on_conflict: Literal["error", "replace"] = "error",
    now: dt.datetime | None = None,
) -> list[ImportReport]:
    """Import the shipped 002 Tables 1 and 2 through :func:`import_statistics`.

    Exactly the path a user's file takes: each shipped CSV file
    (:data:`postmine.registry.io.SAMPLE_STATISTICS`) is read, checked, written and recorded
    by :func:`import_statistics` (one ``statistics-imported`` entry per file), its
    ``# Source:`` line becoming each row's source.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Session on the registry (committed by the caller: both files or neither).
    actor : Actor
        Party making the import; signs the entries.
    on_conflict : {"error", "replace"}
        As for :func:`import_statistics` (``"replace"`` re-imports the sample).
    now : datetime.datetime, optional
        Timezone-aware time of both ledger entries; default the current time. [-]

    Returns
    -------
    list of ImportReport
        One report per file, Table 1 first.

    Raises
    ------
    RegistryImportError
        If the sample is already imported and ``on_conflict`` is ``"error"``.

    Examples
    --------
    >>> import tempfile
    >>> from postmine import db
    >>> from postmine.registry.actions import actor_from_keyring, verify_registry
    >>> tmp = tempfile.mkdtemp()
    >>> url = f"sqlite:///{tmp}/registry.sqlite"
    >>> _ = db.init_db(url)
    >>> registry = actor_from_keyring("registry", f"{tmp}/keys")
    >>> with db.session_scope(url) as session:
    ...     reports = import_sample_statistics(session, registry)
    >>> [r.inserted for r in reports]
    [40, 85]
    >>> with db.session_scope(url) as session:
    ...     report = verify_registry(session, trusted_keys=[registry.public_key])
    >>> report.ok, report.n_entries
    (True, 2)
    """
    with sample_statistics_files() as paths:
        return [
            import_statistics(session, actor, path, on_conflict=on_conflict, now=now)
            for path in paths
        ]
