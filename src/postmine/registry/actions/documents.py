"""Actions recording evidence: documents (acts, protocols, reports) and monitoring results.

See :mod:`postmine.registry.actions` for the ledger entries they append.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from postmine.db import RecordValueError
from postmine.registry.actions.base import Actor, act
from postmine.registry.ledger.store import DatabaseLedgerStore
from postmine.registry.models import Document, MonitoringSummary
from postmine.registry.records.documents import insert_document
from postmine.registry.records.monitoring_summaries import insert_monitoring_summary

__all__ = ["document_payload", "record_document", "record_monitoring"]


def document_payload(document: Document) -> dict[str, Any]:
    """Return the payload recording a document: its id, kind, title, where it is and its SHA-256."""
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
        Keyword arguments of :func:`postmine.registry.records.documents.insert_document`
        (``site_id``,
        ``kind``, ``title``, ``uri``, ``issued_on``, ``sha256`` or ``content``).

    Returns
    -------
    Document
        The new document.

    Raises
    ------
    ValueError, postmine.registry.records.NotFoundError
        As :func:`postmine.registry.records.documents.insert_document` and
        :func:`~postmine.registry.actions.register_site`.
    """

    def change(store: DatabaseLedgerStore) -> tuple[Document, int, dict[str, Any]]:
        document = insert_document(session, **fields)
        return document, document.site_id, document_payload(document)

    return act(session, actor, "document-recorded", now, change)


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
        Keyword arguments of
        :func:`postmine.registry.records.monitoring_summaries.insert_monitoring_summary`
        (``site_id``, ``parameter``, ``value``, ``unit``, ``criteria_met``,
        ``period_start``, ``period_end``, ``source``, ``object_id``).

    Returns
    -------
    MonitoringSummary
        The new summary.

    Raises
    ------
    RecordValueError
        If ``milestone`` is given but empty, or as
        :func:`postmine.registry.records.monitoring_summaries.insert_monitoring_summary`.
    postmine.registry.records.NotFoundError
        If the site or object does not exist.
    """

    def change(store: DatabaseLedgerStore) -> tuple[MonitoringSummary, int, dict[str, Any]]:
        if milestone is not None and (not isinstance(milestone, str) or not milestone.strip()):
            raise RecordValueError(
                "milestone", f"milestone must be non-empty text, got {milestone!r}", milestone
            )
        summary = insert_monitoring_summary(session, **fields)
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

    return act(session, actor, "monitoring-summary", now, change)
