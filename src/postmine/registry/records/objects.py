"""Rows of the objects of disturbance and their state history: insert, read, list, change.

Row operations only: objects are registered and changed through the ledgered actions
(:func:`postmine.registry.actions.add_object`, :func:`~postmine.registry.actions.accept_stage`,
:func:`~postmine.registry.actions.change_object_state`,
:func:`~postmine.registry.actions.set_object_geometry`).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from postmine.db import RecordValueError
from postmine.registry.geometry import BaseGeometry, check_bbox, envelope
from postmine.registry.models import (
    DisturbanceObject,
    ObjectKind,
    ObjectState,
    ObjectStateChange,
    ReclamationDirection,
)
from postmine.registry.records.common import (
    DEFAULT_LIMIT,
    Page,
    apply_geometry,
    check_date,
    check_optional_text,
    check_page,
    check_text,
    flush_row,
    get_row,
    paginate,
    today,
)
from postmine.registry.records.documents import get_document
from postmine.registry.records.sites import get_site

__all__ = [
    "bbox_query",
    "check_acceptance",
    "get_object",
    "insert_object",
    "insert_state_change",
    "list_objects",
    "object_history",
    "object_of_site",
    "replace_object_geometry",
]


def insert_object(
    session: Session,
    *,
    site_id: int,
    kind: ObjectKind,
    name: str,
    geometry: BaseGeometry | None = None,
    area_ha: float | None = None,
    volume_m3: float | None = None,
    state: ObjectState = "disturbed",
    state_on: date | None = None,
    act_reference: str | None = None,
    reclamation_direction: ReclamationDirection | None = None,
) -> DisturbanceObject:
    """Insert an object of disturbance with its geometry and its first state.

    The first state goes into the state history too, dated ``state_on``.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Session on the registry.
    site_id : int
        Site the object belongs to. [-]
    kind : {"pit", "collapse-crater", "external-dump", "internal-dump", \
"tailings-storage", "topsoil-store", "road", "industrial-site"}
        Kind of object.
    name : str
        Name of the object. [-]
    geometry : shapely geometry, optional
        Outline in WGS 84 longitude/latitude; a polygon gives ``area_ha``. [°]
    area_ha : float, optional
        Disturbed area, when there is no polygonal outline. [ha]
    volume_m3 : float, optional
        Volume (of a dump, a void). [m³]
    state : {"disturbed", "technical-stage", "biological-stage", "reclaimed", "accepted"}
        State the object is in when registered.
    state_on : datetime.date, optional
        Date it entered that state (today by default). [date]
    act_reference : str, optional
        Act establishing the state; required for ``"accepted"``. [-]
    reclamation_direction : str, optional
        Target land use: agricultural, forestry, water, recreational, construction or
        sanitary-hygienic.

    Returns
    -------
    DisturbanceObject
        The new row, its state history holding the first state.

    Raises
    ------
    NotFoundError
        If the site does not exist.
    RecordValueError
        If a value is out of range or not in its list, or the area is missing or given twice.
    ValueError
        If the geometry cannot be stored.
    """
    get_site(session, site_id)
    row = DisturbanceObject(
        site_id=site_id,
        kind=kind,
        name=check_text("name", name),
        volume_m3=volume_m3,
        state=state,
        reclamation_direction=reclamation_direction,
    )
    apply_geometry(session, row, geometry, area_ha, area_required=True)
    check_acceptance(state, act_reference, None)
    flush_row(session, row)
    first = ObjectStateChange(
        object_id=row.id,
        state=state,
        changed_on=check_date("state_on", state_on or today()),
        act_reference=check_optional_text("act_reference", act_reference),
    )
    flush_row(session, first)
    session.refresh(row, ["states"])
    return row


def get_object(session: Session, object_id: int) -> DisturbanceObject:
    """Return an object of disturbance by id; raise :class:`NotFoundError` if there is none."""
    return get_row(session, DisturbanceObject, object_id, "object")


def list_objects(
    session: Session,
    *,
    site_id: int | None = None,
    kind: ObjectKind | None = None,
    state: ObjectState | None = None,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
) -> Page[DisturbanceObject]:
    """List objects of disturbance by id, filtered by any of site, kind and state."""
    stmt = select(DisturbanceObject).order_by(DisturbanceObject.id)
    if site_id is not None:
        stmt = stmt.where(DisturbanceObject.site_id == site_id)
    if kind is not None:
        stmt = stmt.where(DisturbanceObject.kind == kind)
    if state is not None:
        stmt = stmt.where(DisturbanceObject.state == state)
    return paginate(session, stmt, limit=limit, offset=offset)


def replace_object_geometry(
    session: Session,
    object_id: int,
    geometry: BaseGeometry | None,
    *,
    area_ha: float | None = None,
) -> DisturbanceObject:
    """Replace an object's geometry; its bounding box and area follow.

    Raises
    ------
    NotFoundError
        If the object does not exist.
    RecordValueError, ValueError
        As for :func:`insert_object`.
    """
    row = get_object(session, object_id)
    apply_geometry(session, row, geometry, area_ha, area_required=True)
    session.flush()
    return row


def check_acceptance(state: str, act_reference: str | None, document_id: int | None) -> None:
    """Refuse an ``"accepted"`` state without its act (a reference or a document).

    Raises
    ------
    RecordValueError
        If ``state`` is ``"accepted"`` and neither ``act_reference`` nor ``document_id`` is
        given.
    """
    if state == "accepted" and not act_reference and document_id is None:
        raise RecordValueError(
            "act_reference",
            "an object is accepted by an act: give act_reference or document_id",
            act_reference,
        )


def insert_state_change(
    session: Session,
    object_id: int,
    *,
    state: ObjectState,
    changed_on: date,
    act_reference: str | None = None,
    document_id: int | None = None,
    note: str | None = None,
) -> ObjectStateChange:
    """Record that an object entered a new reclamation state.

    The usual order is disturbed → technical stage → biological stage → reclaimed →
    accepted; a step back (e.g. a failed biological stage) is allowed and recorded too.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Session on the registry.
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

    Returns
    -------
    ObjectStateChange
        The new history row; the object's ``state`` is updated.

    Raises
    ------
    NotFoundError
        If the object or the document does not exist.
    RecordValueError
        If the state is unknown or the current one, the date precedes the last change, an
        acceptance has no act, or the document belongs to another site.
    """
    row = get_object(session, object_id)
    changed_on = check_date("changed_on", changed_on)
    change = ObjectStateChange(object_id=object_id, state=state, changed_on=changed_on)
    if state == row.state:
        raise RecordValueError("state", f"object {object_id} is already {state!r}", state)
    last = session.scalars(
        select(ObjectStateChange)
        .where(ObjectStateChange.object_id == object_id)
        .order_by(ObjectStateChange.changed_on.desc(), ObjectStateChange.id.desc())
    ).first()
    if last is not None and changed_on < last.changed_on:
        raise RecordValueError(
            "changed_on",
            f"changed_on must not precede the object's last change ({last.changed_on}), "
            f"got {changed_on}",
            changed_on,
        )
    if document_id is not None:
        document = get_document(session, document_id)
        if document.site_id != row.site_id:
            raise RecordValueError(
                "document_id",
                f"document {document_id} belongs to site {document.site_id}, "
                f"not to the object's site {row.site_id}",
                document_id,
            )
    check_acceptance(state, act_reference, document_id)
    change.act_reference = check_optional_text("act_reference", act_reference)
    change.document_id = document_id
    change.note = note
    row.state = state
    flush_row(session, change)
    session.expire(row, ["states"])
    return change


def object_history(session: Session, object_id: int) -> list[ObjectStateChange]:
    """Return an object's state history, oldest first."""
    get_object(session, object_id)
    return list(
        session.scalars(
            select(ObjectStateChange)
            .where(ObjectStateChange.object_id == object_id)
            .order_by(ObjectStateChange.changed_on, ObjectStateChange.id)
        )
    )


def bbox_query(
    session: Session,
    min_lon: float,
    min_lat: float,
    max_lon: float,
    max_lat: float,
    kind: ObjectKind | None = None,
    *,
    site_id: int | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[DisturbanceObject]:
    """Return the objects of disturbance whose geometry intersects a bounding box.

    Both backends first select on the indexed bounding-box columns (boxes that overlap,
    touching included); PostgreSQL then tests ``ST_Intersects(geom, ST_MakeEnvelope(...))``
    (GIST-indexed), SQLite tests Shapely's ``intersects`` on those rows, so both return the
    same objects. Objects without a geometry are never returned.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Session on the registry.
    min_lon, min_lat, max_lon, max_lat : float
        West, south, east and north edges of the box (not across the antimeridian). [°]
    kind : str, optional
        Only objects of this kind.
    site_id : int, optional
        Only objects of this site. [-]
    limit : int, optional
        At most this many objects (all by default). [-]
    offset : int
        Skip this many matching objects first. [-]

    Returns
    -------
    list of DisturbanceObject
        Matching objects by id.

    Raises
    ------
    ValueError
        If the box is out of range or its edges swapped, or ``limit``/``offset`` invalid.
    """
    box = check_bbox(min_lon, min_lat, max_lon, max_lat)
    if limit is not None:
        limit, offset = check_page(limit, offset)
    else:
        offset = check_page(1, offset)[1]
    o = DisturbanceObject
    stmt = (
        select(o)
        .where(
            and_(
                o.min_lon <= box.max_lon,
                o.max_lon >= box.min_lon,
                o.min_lat <= box.max_lat,
                o.max_lat >= box.min_lat,
            )
        )
        .order_by(o.id)
    )
    if kind is not None:
        stmt = stmt.where(o.kind == kind)
    if site_id is not None:
        stmt = stmt.where(o.site_id == site_id)
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.where(func.ST_Intersects(o.geom, func.ST_MakeEnvelope(*box, 4326)))
        if limit is not None:
            stmt = stmt.limit(limit)
        return list(session.scalars(stmt.offset(offset)))
    rectangle = envelope(box)
    found: list[DisturbanceObject] = []
    skipped = 0
    for row in session.scalars(stmt.execution_options(yield_per=1000)):
        if not rectangle.intersects(row.geom):
            continue
        if skipped < offset:
            skipped += 1
            continue
        found.append(row)
        if limit is not None and len(found) >= limit:
            break
    return found


def object_of_site(session: Session, object_id: int, site_id: int) -> DisturbanceObject:
    """Return an object of disturbance that must belong to ``site_id``.

    Raises
    ------
    NotFoundError
        If the object does not exist.
    RecordValueError
        If it belongs to another site.
    """
    row = get_object(session, object_id)
    if row.site_id != site_id:
        raise RecordValueError(
            "object_id",
            f"object {object_id} belongs to site {row.site_id}, not to site {site_id}",
            object_id,
        )
    return row
