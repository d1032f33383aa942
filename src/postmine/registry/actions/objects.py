"""Actions on objects of disturbance and TMF: register, accept a stage, change, import.

See :mod:`postmine.registry.actions` for the ledger entries they append.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from postmine.db import RecordValueError
from postmine.registry.actions.base import Actor, act, geometry_commitment
from postmine.registry.actions.documents import document_payload
from postmine.registry.geometry import BaseGeometry
from postmine.registry.io import ImportReport, import_objects, import_tmf
from postmine.registry.ledger.store import DatabaseLedgerStore
from postmine.registry.models import DisturbanceObject, ObjectState, ObjectStateChange, Tmf
from postmine.registry.records.documents import get_document
from postmine.registry.records.objects import (
    get_object,
    insert_object,
    insert_state_change,
    replace_object_geometry,
)
from postmine.registry.records.sites import get_site
from postmine.registry.records.tmf import insert_tmf

__all__ = [
    "accept_stage",
    "add_object",
    "add_tmf",
    "change_object_state",
    "import_records",
    "set_object_geometry",
]


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
        Keyword arguments of :func:`postmine.registry.records.objects.insert_object`.

    Returns
    -------
    DisturbanceObject
        The new object.

    Raises
    ------
    ValueError, postmine.registry.records.NotFoundError
        As :func:`postmine.registry.records.objects.insert_object` and
        :func:`~postmine.registry.actions.register_site`.
    """

    def change(store: DatabaseLedgerStore) -> tuple[DisturbanceObject, int, dict[str, Any]]:
        obj = insert_object(session, **fields)
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
            "geometry": geometry_commitment(obj),
        }
        return obj, obj.site_id, payload

    return act(session, actor, "created", now, change)


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
        Keyword arguments of :func:`postmine.registry.records.tmf.insert_tmf`.

    Returns
    -------
    Tmf
        The new formation.

    Raises
    ------
    ValueError, postmine.registry.records.NotFoundError
        As :func:`postmine.registry.records.tmf.insert_tmf` and
        :func:`~postmine.registry.actions.register_site`.
    """

    def change(store: DatabaseLedgerStore) -> tuple[Tmf, int, dict[str, Any]]:
        tmf = insert_tmf(session, **fields)
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

    return act(session, actor, "created", now, change)


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
    RecordValueError
        If the document is not an acceptance act or is another site's, ``milestone`` is
        empty, or as :func:`postmine.registry.records.objects.insert_state_change`.
    postmine.registry.records.NotFoundError
        If the object or the document does not exist.
    """

    def change(store: DatabaseLedgerStore) -> tuple[ObjectStateChange, int, dict[str, Any]]:
        if not isinstance(milestone, str) or not milestone.strip():
            raise RecordValueError(
                "milestone", f"milestone must be non-empty text, got {milestone!r}", milestone
            )
        obj = get_object(session, object_id)
        previous = obj.state
        document = get_document(session, document_id)
        if document.kind != "acceptance-act":
            raise RecordValueError(
                "document_id",
                f"a stage is accepted by an acceptance act: document {document_id} is a "
                f"{document.kind!r}",
                document_id,
            )
        state_change = insert_state_change(
            session,
            object_id,
            state=state,
            changed_on=changed_on,
            act_reference=act_reference,
            document_id=document_id,
            note=note,
        )
        act = document_payload(document)
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

    return act(session, actor, "stage-accepted", now, change)


def change_object_state(
    session: Session,
    actor: Actor,
    object_id: int,
    *,
    state: ObjectState,
    changed_on: dt.date,
    act_reference: str | None = None,
    document_id: int | None = None,
    note: str | None = None,
    now: dt.datetime | None = None,
) -> ObjectStateChange:
    """Record that an object entered a new reclamation state, and its ledger entry.

    For a stage accepted by an acceptance act, the evidence of a milestone, use
    :func:`accept_stage`; this records any other change (the usual order is disturbed →
    technical stage → biological stage → reclaimed → accepted; a step back is recorded too).
    The entry has kind ``object-state-changed`` and holds the object, its previous and new
    state, the date, the history row's id and the act (reference, document) if any.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Session on the registry (committed by the caller).
    actor : Actor
        Party making the change.
    object_id : int
        Object whose state changes. [-]
    state : {"disturbed", "technical-stage", "biological-stage", "reclaimed", "accepted"}
        State entered.
    changed_on : datetime.date
        Date it was entered, not before the object's last change. [date]
    act_reference : str, optional
        Act or order establishing the state; ``"accepted"`` needs it or ``document_id``. [-]
    document_id : int, optional
        The act as a registered document of the same site. [-]
    note : str, optional
        Remark. [-]
    now : datetime.datetime, optional
        Timezone-aware time of the ledger entry; default the current time. [-]

    Returns
    -------
    ObjectStateChange
        The new history row; the object's ``state`` is updated.

    Raises
    ------
    postmine.registry.records.NotFoundError
        If the object or the document does not exist.
    RecordValueError
        As :func:`postmine.registry.records.objects.insert_state_change`.
    """

    def change(store: DatabaseLedgerStore) -> tuple[ObjectStateChange, int, dict[str, Any]]:
        obj = get_object(session, object_id)
        previous = obj.state
        state_change = insert_state_change(
            session,
            object_id,
            state=state,
            changed_on=changed_on,
            act_reference=act_reference,
            document_id=document_id,
            note=note,
        )
        payload = {
            "object_id": obj.id,
            "previous_state": previous,
            "state": state_change.state,
            "changed_on": state_change.changed_on,
            "state_change_id": state_change.id,
            "act_reference": state_change.act_reference,
            "document_id": state_change.document_id,
            "note": state_change.note,
        }
        return state_change, obj.site_id, payload

    return act(session, actor, "object-state-changed", now, change)


def set_object_geometry(
    session: Session,
    actor: Actor,
    object_id: int,
    geometry: BaseGeometry | None,
    *,
    area_ha: float | None = None,
    now: dt.datetime | None = None,
) -> DisturbanceObject:
    """Replace an object's geometry (its bounding box and area follow), and its ledger entry.

    The entry has kind ``object-geometry-changed`` and holds the object, its new area and
    its new geometry committed to by its hash (None if the outline was removed).

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Session on the registry (committed by the caller).
    actor : Actor
        Party making the change.
    object_id : int
        Object changed. [-]
    geometry : shapely geometry or None
        New outline in WGS 84 longitude/latitude; a polygon gives ``area_ha``. [°]
    area_ha : float, optional
        Area, when there is no polygonal outline. [ha]
    now : datetime.datetime, optional
        Timezone-aware time of the ledger entry; default the current time. [-]

    Returns
    -------
    DisturbanceObject
        The changed object.

    Raises
    ------
    postmine.registry.records.NotFoundError
        If the object does not exist.
    RecordValueError, ValueError
        As :func:`postmine.registry.records.objects.insert_object`.
    """

    def change(store: DatabaseLedgerStore) -> tuple[DisturbanceObject, int, dict[str, Any]]:
        obj = replace_object_geometry(session, object_id, geometry, area_ha=area_ha)
        payload = {
            "object_id": obj.id,
            "area_ha": obj.area_ha,
            "geometry": geometry_commitment(obj),
        }
        return obj, obj.site_id, payload

    return act(session, actor, "object-geometry-changed", now, change)


def import_records(
    session: Session,
    actor: Actor,
    records: str,
    path: str | os.PathLike[str],
    *,
    site_id: int,
    now: dt.datetime | None = None,
) -> ImportReport:
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
    ImportReport
        What was imported.

    Raises
    ------
    ValueError
        If ``records`` is unknown or any row is invalid (nothing is stored).
    """
    if records not in ("objects", "tmf"):
        raise ValueError(f"records must be one of: objects, tmf; got {records!r}")

    def change(store: DatabaseLedgerStore) -> tuple[ImportReport, int, dict[str, Any]]:
        get_site(session, site_id)
        if records == "objects":
            report = import_objects(session, Path(path), site_id=site_id)
        else:
            report = import_tmf(session, Path(path), site_id=site_id)
        return report, site_id, {"import": report.to_dict()}

    return act(session, actor, "created", now, change)
