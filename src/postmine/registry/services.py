"""The registry's service layer: create, read and list its records on a Session.

Every function takes an open :class:`sqlalchemy.orm.Session` (see
:func:`postmine.db.session_scope`) and works inside the caller's transaction: it
adds and flushes (so ids are known and constraint violations surface at once) but never
commits. Arguments after ``session`` are keyword-only, named like the columns they fill
(with the unit in the name: ``mass_t``, ``amount_rub``).

Errors
------
* :class:`NotFoundError` (a :class:`LookupError`): no row with that id.
* :class:`~postmine.db.base.RecordValueError` (a :class:`ValueError` with
  ``field``): a value out of its column's range or list (``hazard_class must be in 1..5,
  got 6``), or a rule of the registry broken (a release larger than the assurance held).
* :class:`ValueError`: a geometry or bounding box that cannot be stored; a project file
  that does not validate (:class:`~postmine.project.schema.ProjectFileError`).

Geometries are Shapely geometries in WGS 84 longitude/latitude. A polygonal geometry
(Polygon, MultiPolygon) gives the area, computed by the backend at write time (see
:mod:`postmine.registry.geometry`); for a point or line (a road's axis), or with no
geometry, ``area_ha`` is given instead.

Results apart from inputs
-------------------------
A reclamation plan stores the project file as submitted (``project_toml``) and its hash;
:func:`compute_plan` runs :func:`postmine.project.plan.plan_project` on it and stores the
result in separate columns with the postmine version and the inputs' hash. The inputs are
never changed afterwards; recomputing replaces only the result.
"""

from __future__ import annotations

import hashlib
import json
import math
import tomllib
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import Session

import postmine
from postmine.db import Base, RecordValueError
from postmine.registry.geometry import (
    BaseGeometry,
    bbox_of,
    check_bbox,
    check_geometry,
    envelope,
    to_geojson,
)
from postmine.registry.geometry import (
    area_ha as _backend_area_ha,
)
from postmine.registry.models import (
    AssuranceTransaction,
    AssuranceTransactionKind,
    DisturbanceObject,
    Document,
    DocumentKind,
    FinancialAssurance,
    MonitoringSummary,
    ObjectKind,
    ObjectState,
    ObjectStateChange,
    Operator,
    ReclamationDirection,
    ReclamationPlan,
    Site,
    SiteStatus,
    SiteTypology,
    Territory,
    TerritoryKind,
    Tmf,
    TmfClass,
)

__all__ = [
    "DEFAULT_LIMIT",
    "MAX_LIMIT",
    "AssuranceBalance",
    "NotFoundError",
    "Page",
    "add_document",
    "add_monitoring_summary",
    "approve_plan",
    "as_dict",
    "assurance_balance",
    "bbox_query",
    "check_page",
    "compute_plan",
    "create_assurance",
    "create_object",
    "create_operator",
    "create_site",
    "create_territory",
    "create_tmf",
    "document_matches",
    "find_operator",
    "get_assurance",
    "get_document",
    "get_object",
    "get_operator",
    "get_plan",
    "get_site",
    "get_territory",
    "get_tmf",
    "list_assurances",
    "list_documents",
    "list_monitoring",
    "list_objects",
    "list_operators",
    "list_plans",
    "list_sites",
    "list_territories",
    "list_tmf",
    "object_history",
    "paginate",
    "plan_project_file",
    "plan_result",
    "plan_result_is_current",
    "record_deposit",
    "record_forfeit",
    "record_release",
    "record_transaction",
    "set_object_geometry",
    "set_object_state",
    "sha256_file",
    "sha256_hex",
    "submit_plan",
    "update_site",
]

T = TypeVar("T")
M = TypeVar("M", bound=Base)

DEFAULT_LIMIT = 50
"""Rows per page when no limit is given."""
MAX_LIMIT = 1000
"""Largest page a caller may ask for."""


class NotFoundError(LookupError):
    """No row of ``entity`` has the identifier ``key``."""

    def __init__(self, entity: str, key: object) -> None:
        self.entity = entity
        self.key = key
        super().__init__(f"{entity} {key!r} not found")


# --- pagination ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a listing: the rows, how many there are in all, and where it starts."""

    items: list[T]
    total: int
    limit: int
    offset: int

    @property
    def next_offset(self) -> int | None:
        """Offset of the next page, or None on the last page."""
        following = self.offset + len(self.items)
        return following if following < self.total else None


def check_page(limit: int = DEFAULT_LIMIT, offset: int = 0) -> tuple[int, int]:
    """Check the size and start of a page and return them.

    Raises
    ------
    ValueError
        If ``limit`` is not in 1..MAX_LIMIT or ``offset`` is negative.

    Examples
    --------
    >>> check_page(20, 40)
    (20, 40)
    >>> check_page(0)
    Traceback (most recent call last):
    ...
    ValueError: limit must be in 1..1000, got 0
    """
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise ValueError(f"limit must be in 1..{MAX_LIMIT}, got {limit!r}")
    if isinstance(offset, bool) or not isinstance(offset, int) or offset < 0:
        raise ValueError(f"offset must be >= 0, got {offset!r}")
    return limit, offset


def paginate(
    session: Session, stmt: Select[T], *, limit: int = DEFAULT_LIMIT, offset: int = 0
) -> Page[T]:
    """Run a ``select(Model)`` statement one page at a time.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Session on the registry.
    stmt : sqlalchemy.Select
        Statement selecting one entity; give it an ``order_by`` for stable pages.
    limit : int
        Rows per page, 1..MAX_LIMIT. [-]
    offset : int
        Rows to skip. [-]

    Returns
    -------
    Page
        The rows of the page and the total count of the statement.

    Raises
    ------
    ValueError
        If ``limit`` or ``offset`` is out of range.
    """
    limit, offset = check_page(limit, offset)
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    items = list(session.scalars(stmt.limit(limit).offset(offset)))
    return Page(items=items, total=int(total or 0), limit=limit, offset=offset)


# --- helpers ---------------------------------------------------------------------------------


def _get(session: Session, model: type[M], key: int, entity: str) -> M:
    row = session.get(model, key)
    if row is None:
        raise NotFoundError(entity, key)
    return row


def _today() -> date:
    return datetime.now(UTC).date()


def _text(field: str, value: Any, *, required: bool = True) -> str | None:
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise RecordValueError(field, f"{field} must be non-empty text, got {value!r}", value)
    return value.strip()


def _required_text(field: str, value: Any) -> str:
    text = _text(field, value)
    assert text is not None
    return text


def _date(field: str, value: Any) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise RecordValueError(field, f"{field} must be a date, got {value!r}", value)
    return value


_POLYGONAL = ("Polygon", "MultiPolygon")


def _apply_geometry(
    session: Session,
    row: Territory | Site | DisturbanceObject,
    geometry: BaseGeometry | None,
    area_ha: float | None,
    *,
    area_required: bool,
) -> None:
    """Store a geometry, its bounding box and area (or the area given) on a row."""
    if geometry is None:
        row.geom = None
        row.min_lon = row.min_lat = row.max_lon = row.max_lat = None
    else:
        flat = check_geometry(geometry)
        box = bbox_of(flat)
        row.geom = flat
        row.min_lon, row.min_lat, row.max_lon, row.max_lat = box
        if flat.geom_type in _POLYGONAL:
            if area_ha is not None:
                raise RecordValueError(
                    "area_ha",
                    "give area_ha or a polygonal geometry, not both: the area is computed "
                    f"from the {flat.geom_type}",
                    area_ha,
                )
            row.area_ha = _backend_area_ha(session, flat)
            return
    if area_ha is None and area_required:
        kind = "no geometry" if geometry is None else f"a {geometry.geom_type}"
        raise RecordValueError("area_ha", f"area_ha is required with {kind}", area_ha)
    row.area_ha = area_ha  # None only where the column allows it (checked on set)


def _flush(session: Session, row: M) -> M:
    session.add(row)
    session.flush()
    return row


def as_dict(row: Base, *, geometry: bool = True) -> dict[str, Any]:
    """Return a row's columns as a JSON-ready dict (dates ISO, geometry as GeoJSON).

    Parameters
    ----------
    row : Base
        Any registry row.
    geometry : bool
        Include the ``geom`` column as a GeoJSON geometry object (else it is left out).

    Returns
    -------
    dict
        ``{column name: value}``, in table order.
    """
    out: dict[str, Any] = {}
    for column in row.__table__.columns:
        value = getattr(row, column.key)
        if column.key == "geom":
            if geometry:
                out["geometry"] = None if value is None else to_geojson(value)
            continue
        if isinstance(value, datetime | date):
            value = value.isoformat()
        out[column.key] = value
    return out


# --- operators -------------------------------------------------------------------------------


def create_operator(
    session: Session, *, name: str, tax_id: str | None = None, public_key: str | None = None
) -> Operator:
    """Register an operator (a party that operates sites).

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Session on the registry.
    name : str
        Name of the legal entity, unique in the registry. [-]
    tax_id : str, optional
        Taxpayer number or other identifier. [-]
    public_key : str, optional
        Ed25519 public key, hex (usually set later by the ledger). [-]

    Returns
    -------
    Operator
        The new row.

    Raises
    ------
    RecordValueError
        If the name is empty or already registered.
    """
    name = _required_text("name", name)
    if find_operator(session, name) is not None:
        raise RecordValueError("name", f"operator {name!r} is already registered", name)
    return _flush(session, Operator(name=name, tax_id=tax_id, public_key=public_key))


def get_operator(session: Session, operator_id: int) -> Operator:
    """Return an operator by id; raise :class:`NotFoundError` if there is none."""
    return _get(session, Operator, operator_id, "operator")


def find_operator(session: Session, name: str) -> Operator | None:
    """Return the operator of that exact name, or None."""
    return session.scalars(select(Operator).where(Operator.name == name)).first()


def list_operators(
    session: Session, *, limit: int = DEFAULT_LIMIT, offset: int = 0
) -> Page[Operator]:
    """List operators by id."""
    return paginate(session, select(Operator).order_by(Operator.id), limit=limit, offset=offset)


# --- territories -----------------------------------------------------------------------------


def create_territory(
    session: Session,
    *,
    name: str,
    region: str,
    kind: TerritoryKind = "mining-district",
    geometry: BaseGeometry | None = None,
    area_ha: float | None = None,
    sanitary_zone_area_ha: float | None = None,
) -> Territory:
    """Register a territory (a mining district) and its sanitary protection zone.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Session on the registry.
    name : str
        Name, unique in the registry. [-]
    region : str
        Region (subject of the federation). [-]
    kind : {"mining-district", "municipality", "other"}
        Kind of territory.
    geometry : shapely geometry, optional
        Outline in WGS 84 longitude/latitude; a polygon gives ``area_ha``. [°]
    area_ha : float, optional
        Area, when there is no polygonal outline. [ha]
    sanitary_zone_area_ha : float, optional
        Area of the sanitary protection zone (СЗЗ). [ha]

    Returns
    -------
    Territory
        The new row.

    Raises
    ------
    RecordValueError
        If a value is out of range, the name is taken, or the area is missing or given twice.
    ValueError
        If the geometry cannot be stored.
    """
    name = _required_text("name", name)
    if session.scalars(select(Territory.id).where(Territory.name == name)).first() is not None:
        raise RecordValueError("name", f"territory {name!r} is already registered", name)
    row = Territory(
        name=name,
        region=_required_text("region", region),
        kind=kind,
        sanitary_zone_area_ha=sanitary_zone_area_ha,
    )
    _apply_geometry(session, row, geometry, area_ha, area_required=True)
    return _flush(session, row)


def get_territory(session: Session, territory_id: int) -> Territory:
    """Return a territory by id; raise :class:`NotFoundError` if there is none."""
    return _get(session, Territory, territory_id, "territory")


def list_territories(
    session: Session, *, region: str | None = None, limit: int = DEFAULT_LIMIT, offset: int = 0
) -> Page[Territory]:
    """List territories by id, optionally of one region."""
    stmt = select(Territory).order_by(Territory.id)
    if region is not None:
        stmt = stmt.where(Territory.region == region)
    return paginate(session, stmt, limit=limit, offset=offset)


# --- sites -----------------------------------------------------------------------------------


def create_site(
    session: Session,
    *,
    name: str,
    region: str,
    status: SiteStatus = "operating",
    territory_id: int | None = None,
    operator_id: int | None = None,
    licence: str | None = None,
    mineral: str | None = None,
    typology: SiteTypology | None = None,
    geometry: BaseGeometry | None = None,
    area_ha: float | None = None,
    registered_on: date | None = None,
) -> Site:
    """Register a site (a mine, a licence area).

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Session on the registry.
    name : str
        Name of the site. [-]
    region : str
        Region (subject of the federation). [-]
    status : {"operating", "suspended", "closed", "under-reclamation", "reclaimed", \
"abandoned"}
        Life-cycle status.
    territory_id, operator_id : int, optional
        Territory it lies in; operator responsible (none for an abandoned site). [-]
    licence : str, optional
        Subsoil use licence number. [-]
    mineral : str, optional
        Mineral mined. [-]
    typology : {"greenfield", "greyfield", "brownfield", "blackfield"}, optional
        Typology of document 001.
    geometry : shapely geometry, optional
        Outline or location in WGS 84 longitude/latitude; a polygon gives ``area_ha``. [°]
    area_ha : float, optional
        Area, when there is no polygonal outline. [ha]
    registered_on : datetime.date, optional
        Date the site enters the registry (today by default). [date]

    Returns
    -------
    Site
        The new row.

    Raises
    ------
    NotFoundError
        If the territory or operator does not exist.
    RecordValueError
        If a value is out of range or not in its list.
    ValueError
        If the geometry cannot be stored.
    """
    if territory_id is not None:
        get_territory(session, territory_id)
    if operator_id is not None:
        get_operator(session, operator_id)
    row = Site(
        name=_required_text("name", name),
        region=_required_text("region", region),
        status=status,
        territory_id=territory_id,
        operator_id=operator_id,
        licence=_text("licence", licence, required=False),
        mineral=_text("mineral", mineral, required=False),
        typology=typology,
        registered_on=_date("registered_on", registered_on or _today()),
    )
    _apply_geometry(session, row, geometry, area_ha, area_required=False)
    return _flush(session, row)


def get_site(session: Session, site_id: int) -> Site:
    """Return a site by id; raise :class:`NotFoundError` if there is none."""
    return _get(session, Site, site_id, "site")


def list_sites(
    session: Session,
    *,
    territory_id: int | None = None,
    operator_id: int | None = None,
    region: str | None = None,
    status: SiteStatus | None = None,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
) -> Page[Site]:
    """List sites by id, filtered by any of territory, operator, region and status."""
    stmt = select(Site).order_by(Site.id)
    if territory_id is not None:
        stmt = stmt.where(Site.territory_id == territory_id)
    if operator_id is not None:
        stmt = stmt.where(Site.operator_id == operator_id)
    if region is not None:
        stmt = stmt.where(Site.region == region)
    if status is not None:
        stmt = stmt.where(Site.status == status)
    return paginate(session, stmt, limit=limit, offset=offset)


def update_site(
    session: Session,
    site_id: int,
    *,
    status: SiteStatus | None = None,
    typology: SiteTypology | None = None,
    operator_id: int | None = None,
    licence: str | None = None,
) -> Site:
    """Change a site's status, typology, operator or licence (arguments left None stay).

    Raises
    ------
    NotFoundError
        If the site or the operator does not exist.
    RecordValueError
        If a value is not in its list.
    """
    site = get_site(session, site_id)
    if status is not None:
        site.status = status
    if typology is not None:
        site.typology = typology
    if operator_id is not None:
        get_operator(session, operator_id)
        site.operator_id = operator_id
    if licence is not None:
        site.licence = _text("licence", licence)
    session.flush()
    return site


# --- objects of disturbance ------------------------------------------------------------------


def create_object(
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
    """Register an object of disturbance with its geometry and its first state.

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
        name=_required_text("name", name),
        volume_m3=volume_m3,
        state=state,
        reclamation_direction=reclamation_direction,
    )
    _apply_geometry(session, row, geometry, area_ha, area_required=True)
    _check_acceptance(state, act_reference, None)
    _flush(session, row)
    first = ObjectStateChange(
        object_id=row.id,
        state=state,
        changed_on=_date("state_on", state_on or _today()),
        act_reference=_text("act_reference", act_reference, required=False),
    )
    _flush(session, first)
    session.refresh(row, ["states"])
    return row


def get_object(session: Session, object_id: int) -> DisturbanceObject:
    """Return an object of disturbance by id; raise :class:`NotFoundError` if there is none."""
    return _get(session, DisturbanceObject, object_id, "object")


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


def set_object_geometry(
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
        As for :func:`create_object`.
    """
    row = get_object(session, object_id)
    _apply_geometry(session, row, geometry, area_ha, area_required=True)
    session.flush()
    return row


def _check_acceptance(state: str, act_reference: str | None, document_id: int | None) -> None:
    if state == "accepted" and not act_reference and document_id is None:
        raise RecordValueError(
            "act_reference",
            "an object is accepted by an act: give act_reference or document_id",
            act_reference,
        )


def set_object_state(
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
    changed_on = _date("changed_on", changed_on)
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
    _check_acceptance(state, act_reference, document_id)
    change.act_reference = _text("act_reference", act_reference, required=False)
    change.document_id = document_id
    change.note = note
    row.state = state
    _flush(session, change)
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


# --- technogenic mineral formations ----------------------------------------------------------


def create_tmf(
    session: Session,
    *,
    site_id: int,
    name: str,
    tmf_class: TmfClass,
    mass_t: float,
    hazard_class: int,
    year: int,
    object_id: int | None = None,
    volume_m3: float | None = None,
    composition: dict[str, float] | None = None,
    valuable_components: dict[str, float] | None = None,
    recorded_on: date | None = None,
) -> Tmf:
    """Register a technogenic mineral formation (document 002).

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Session on the registry.
    site_id : int
        Site holding it. [-]
    name : str
        Name of the formation. [-]
    tmf_class : {"mining", "concentration", "metallurgical"}
        Class of document 002.
    mass_t : float
        Mass accumulated. [t]
    hazard_class : int
        Hazard class 1 (I, extremely hazardous) to 5 (V, practically non-hazardous). [-]
    year : int
        Year the data refer to. [year]
    object_id : int, optional
        Object of the same site that holds it (dump, tailings storage). [-]
    volume_m3 : float, optional
        Volume occupied. [m³]
    composition, valuable_components : dict, optional
        Component -> mass fraction 0..1, adding up to at most 1. [-]
    recorded_on : datetime.date, optional
        Date the formation was recorded (today by default). [date]

    Returns
    -------
    Tmf
        The new row.

    Raises
    ------
    NotFoundError
        If the site or object does not exist.
    RecordValueError
        If a value is out of range (negative mass, hazard class 6, a fraction above 1) or
        the object belongs to another site.
    """
    get_site(session, site_id)
    if object_id is not None:
        _object_of_site(session, object_id, site_id)
    row = Tmf(
        site_id=site_id,
        object_id=object_id,
        name=_required_text("name", name),
        tmf_class=tmf_class,
        mass_t=mass_t,
        volume_m3=volume_m3,
        hazard_class=hazard_class,
        year=year,
        composition=composition or {},
        valuable_components=valuable_components or {},
        recorded_on=_date("recorded_on", recorded_on or _today()),
    )
    return _flush(session, row)


def _object_of_site(session: Session, object_id: int, site_id: int) -> DisturbanceObject:
    row = get_object(session, object_id)
    if row.site_id != site_id:
        raise RecordValueError(
            "object_id",
            f"object {object_id} belongs to site {row.site_id}, not to site {site_id}",
            object_id,
        )
    return row


def get_tmf(session: Session, tmf_id: int) -> Tmf:
    """Return a TMF by id; raise :class:`NotFoundError` if there is none."""
    return _get(session, Tmf, tmf_id, "tmf")


def list_tmf(
    session: Session,
    *,
    site_id: int | None = None,
    tmf_class: TmfClass | None = None,
    hazard_class: int | None = None,
    year: int | None = None,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
) -> Page[Tmf]:
    """List TMF by id, filtered by any of site, class, hazard class and year."""
    stmt = select(Tmf).order_by(Tmf.id)
    if site_id is not None:
        stmt = stmt.where(Tmf.site_id == site_id)
    if tmf_class is not None:
        stmt = stmt.where(Tmf.tmf_class == tmf_class)
    if hazard_class is not None:
        stmt = stmt.where(Tmf.hazard_class == hazard_class)
    if year is not None:
        stmt = stmt.where(Tmf.year == year)
    return paginate(session, stmt, limit=limit, offset=offset)


# --- reclamation plans -----------------------------------------------------------------------


def _plan_where(plan_id: int | None) -> str:
    return f"reclamation_plans/{plan_id}" if plan_id is not None else "submitted project file"


def plan_project_file(plan: ReclamationPlan) -> Any:
    """Return the validated project file of a plan (a ``ProjectFile``).

    Raises
    ------
    ProjectFileError
        If the stored text no longer validates (a project-file format this postmine does not
        read).
    """
    from postmine.project.schema import parse_project

    return parse_project(tomllib.loads(plan.project_toml), _plan_where(plan.id))


def submit_plan(
    session: Session,
    *,
    site_id: int,
    project_toml: str,
    title: str | None = None,
    submitted_on: date | None = None,
) -> ReclamationPlan:
    """Store a reclamation plan: a project file of the project engine, as an input.

    The text is kept exactly as given; it is validated first, and its hash is that of the
    project engine (:func:`postmine.project.engine.project_hash`: SHA-256 of the canonical
    JSON, so comments and key order do not change it). No result is computed here; see
    :func:`compute_plan`.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Session on the registry.
    site_id : int
        Site the plan is for. [-]
    project_toml : str
        The project file's text (TOML, ``format_version = 1``). [-]
    title : str, optional
        Title; the project's ``[project] name`` by default. [-]
    submitted_on : datetime.date, optional
        Date of submission (today by default). [date]

    Returns
    -------
    ReclamationPlan
        The new row, without a result.

    Raises
    ------
    NotFoundError
        If the site does not exist.
    ProjectFileError
        If the text is not TOML or the project file does not validate (every bad field named).
    """
    from postmine.project.engine import project_hash
    from postmine.project.schema import ProjectFileError, parse_project

    get_site(session, site_id)
    if not isinstance(project_toml, str):
        raise RecordValueError("project_toml", "project_toml must be TOML text", project_toml)
    try:
        data = tomllib.loads(project_toml)
    except tomllib.TOMLDecodeError as exc:
        raise ProjectFileError(_plan_where(None), [f"not valid TOML: {exc}"]) from None
    project = parse_project(data, _plan_where(None))
    row = ReclamationPlan(
        site_id=site_id,
        title=_required_text("title", title or project.project.name),
        project_toml=project_toml,
        project_sha256=project_hash(project),
        format_version=project.format_version,
        submitted_on=_date("submitted_on", submitted_on or _today()),
    )
    return _flush(session, row)


def get_plan(session: Session, plan_id: int) -> ReclamationPlan:
    """Return a reclamation plan by id; raise :class:`NotFoundError` if there is none."""
    return _get(session, ReclamationPlan, plan_id, "plan")


def list_plans(session: Session, site_id: int) -> list[ReclamationPlan]:
    """Return a site's reclamation plans, in the order submitted."""
    get_site(session, site_id)
    stmt = (
        select(ReclamationPlan)
        .where(ReclamationPlan.site_id == site_id)
        .order_by(ReclamationPlan.submitted_on, ReclamationPlan.id)
    )
    return list(session.scalars(stmt))


def compute_plan(
    session: Session, plan_id: int, *, base_dir: str | Path | None = None
) -> ReclamationPlan:
    """Compute a plan's result with the project engine and store it beside the inputs.

    Runs :func:`postmine.project.plan.plan_project` (design, costing, Monte Carlo, release
    schedule) on the stored project file and stores its JSON (``ProjectResult.to_dict``)
    in ``result_json``, with ``result_postmine_version``, ``result_inputs_sha256`` (the
    hash of the inputs it was computed from, equal to ``project_sha256``) and
    ``result_computed_at``. The inputs are not touched; a previous result is replaced.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Session on the registry.
    plan_id : int
        Plan to compute. [-]
    base_dir : str or Path, optional
        Directory a relative rule-set path of the project file is resolved against. [-]

    Returns
    -------
    ReclamationPlan
        The plan with its result.

    Raises
    ------
    NotFoundError
        If the plan does not exist.
    ProjectFileError
        If the rule set or the uncertainty ranges are not valid for the project.
    ValueError
        If a method refuses the combination of inputs.
    """
    from postmine.project.plan import plan_project
    from postmine.project.rules import load_rule_set
    from postmine.project.schema import ProjectFileError
    from postmine.project.uncertainty import check_uncertain_inputs

    plan = get_plan(session, plan_id)
    project = plan_project_file(plan)
    where = _plan_where(plan.id)
    try:
        rules = load_rule_set(project.rules.set, Path(base_dir) if base_dir else None)
    except ValueError as exc:
        raise ProjectFileError(where, [f"rules.set: {exc}"]) from None
    try:
        check_uncertain_inputs(project)
    except ValueError as exc:
        raise ProjectFileError(where, [f"uncertainty: {exc}"]) from None
    result = plan_project(project, rules, where)
    inputs_sha256 = str(result.meta["project_sha256"])
    if inputs_sha256 != plan.project_sha256:  # pragma: no cover - same function, same text
        raise RuntimeError(f"plan {plan.id}: the engine hashed different inputs")
    plan.result_json = json.dumps(
        result.to_dict(), ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )
    plan.result_postmine_version = str(result.meta["postmine_version"])
    plan.result_inputs_sha256 = inputs_sha256
    plan.result_computed_at = datetime.now(UTC)
    session.flush()
    return plan


def plan_result(plan: ReclamationPlan) -> dict[str, Any] | None:
    """Return a plan's computed result as a dict, or None if it was not computed."""
    if plan.result_json is None:
        return None
    result: dict[str, Any] = json.loads(plan.result_json)
    return result


def plan_result_is_current(plan: ReclamationPlan) -> bool:
    """Whether a plan's result was computed from its inputs by this postmine version."""
    return (
        plan.result_json is not None
        and plan.result_inputs_sha256 == plan.project_sha256
        and plan.result_postmine_version == postmine.__version__
    )


def approve_plan(session: Session, plan_id: int, *, approved_on: date) -> ReclamationPlan:
    """Record the approval of a plan.

    Raises
    ------
    NotFoundError
        If the plan does not exist.
    RecordValueError
        If it is already approved or ``approved_on`` precedes its submission.
    """
    plan = get_plan(session, plan_id)
    approved_on = _date("approved_on", approved_on)
    if plan.approved_on is not None:
        raise RecordValueError(
            "approved_on", f"plan {plan_id} was approved on {plan.approved_on}", approved_on
        )
    if approved_on < plan.submitted_on:
        raise RecordValueError(
            "approved_on",
            f"approved_on must not precede submission ({plan.submitted_on}), got {approved_on}",
            approved_on,
        )
    plan.approved_on = approved_on
    session.flush()
    return plan


# --- financial assurance ---------------------------------------------------------------------


@dataclass(frozen=True)
class AssuranceBalance:
    """Where a financial assurance stands: amounts required, paid in, released and held."""

    required_rub: float
    deposited_rub: float
    released_rub: float
    forfeited_rub: float

    @property
    def held_rub(self) -> float:
        """Deposited less released and forfeited, in roubles."""
        return round(self.deposited_rub - self.released_rub - self.forfeited_rub, 2)

    @property
    def shortfall_rub(self) -> float:
        """Required amount not yet deposited (never negative), in roubles."""
        return round(max(0.0, self.required_rub - self.deposited_rub), 2)

    def to_dict(self) -> dict[str, float]:
        """Return the amounts in roubles, held and shortfall included."""
        return {
            "required_rub": self.required_rub,
            "deposited_rub": self.deposited_rub,
            "released_rub": self.released_rub,
            "forfeited_rub": self.forfeited_rub,
            "held_rub": self.held_rub,
            "shortfall_rub": self.shortfall_rub,
        }


def _money(field: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise RecordValueError(field, f"{field} must be a number, got {value!r}", value)
    if not math.isfinite(value):
        raise RecordValueError(field, f"{field} must be finite, got {value!r}", value)
    return round(float(value), 2)


def create_assurance(
    session: Session,
    *,
    site_id: int,
    required_rub: float | None = None,
    plan_id: int | None = None,
    required_on: date | None = None,
) -> FinancialAssurance:
    """Set the financial assurance a site must hold.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Session on the registry.
    site_id : int
        Site covered. [-]
    required_rub : float, optional
        Amount required; by default the bond of the plan's computed result
        (``cost.bond_rub``). [rub]
    plan_id : int, optional
        Plan of the same site whose cost sets the amount. [-]
    required_on : datetime.date, optional
        Date the amount was set (today by default). [date]

    Returns
    -------
    FinancialAssurance
        The new row.

    Raises
    ------
    NotFoundError
        If the site or plan does not exist.
    RecordValueError
        If the amount is negative, or neither given nor computable from a current plan
        result, or the plan is another site's.
    """
    get_site(session, site_id)
    if plan_id is not None:
        plan = get_plan(session, plan_id)
        if plan.site_id != site_id:
            raise RecordValueError(
                "plan_id", f"plan {plan_id} belongs to site {plan.site_id}", plan_id
            )
        if required_rub is None:
            result = plan_result(plan) if plan_result_is_current(plan) else None
            bond = (result or {}).get("cost", {}).get("bond_rub") if result else None
            if bond is None:
                raise RecordValueError(
                    "required_rub",
                    f"required_rub is not given and plan {plan_id} has no current computed "
                    "bond: compute the plan first",
                )
            required_rub = float(bond)
    if required_rub is None:
        raise RecordValueError("required_rub", "give required_rub or a computed plan_id")
    row = FinancialAssurance(
        site_id=site_id,
        plan_id=plan_id,
        required_rub=_money("required_rub", required_rub),
        required_on=_date("required_on", required_on or _today()),
    )
    return _flush(session, row)


def get_assurance(session: Session, assurance_id: int) -> FinancialAssurance:
    """Return a financial assurance by id; raise :class:`NotFoundError` if there is none."""
    return _get(session, FinancialAssurance, assurance_id, "assurance")


def list_assurances(session: Session, site_id: int) -> list[FinancialAssurance]:
    """Return a site's financial assurances by id."""
    get_site(session, site_id)
    stmt = (
        select(FinancialAssurance)
        .where(FinancialAssurance.site_id == site_id)
        .order_by(FinancialAssurance.id)
    )
    return list(session.scalars(stmt))


def assurance_balance(session: Session, assurance_id: int) -> AssuranceBalance:
    """Return the amounts required, deposited, released and forfeited of an assurance."""
    assurance = get_assurance(session, assurance_id)
    sums = dict.fromkeys(("deposit", "release", "forfeit"), 0.0)
    rows = session.execute(
        select(AssuranceTransaction.kind, func.sum(AssuranceTransaction.amount_rub))
        .where(AssuranceTransaction.assurance_id == assurance_id)
        .group_by(AssuranceTransaction.kind)
    )
    for kind, total in rows:
        sums[kind] = round(float(total or 0.0), 2)
    return AssuranceBalance(
        required_rub=float(assurance.required_rub),
        deposited_rub=sums["deposit"],
        released_rub=sums["release"],
        forfeited_rub=sums["forfeit"],
    )


def record_transaction(
    session: Session,
    assurance_id: int,
    *,
    kind: AssuranceTransactionKind,
    amount_rub: float,
    transacted_on: date,
    milestone: str | None = None,
    evidence_document_id: int | None = None,
    note: str | None = None,
) -> AssuranceTransaction:
    """Record a deposit to, a release from, or a forfeit of a financial assurance.

    Amounts are kept to the kopeck. A release or forfeit may not exceed the amount held; a
    release names the milestone (stage of the plan) it is for.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Session on the registry.
    assurance_id : int
        Assurance moved. [-]
    kind : {"deposit", "release", "forfeit"}
        Movement.
    amount_rub : float
        Amount, > 0. [rub]
    transacted_on : datetime.date
        Date of the movement. [date]
    milestone : str, optional
        Milestone a release is for; required for a release. [-]
    evidence_document_id : int, optional
        Document of the same site evidencing it (an acceptance act, a payment order). [-]
    note : str, optional
        Remark. [-]

    Returns
    -------
    AssuranceTransaction
        The new row.

    Raises
    ------
    NotFoundError
        If the assurance or document does not exist.
    RecordValueError
        If the kind is unknown, the amount not > 0 or above the amount held, a release has
        no milestone, or the document is another site's.
    """
    assurance = get_assurance(session, assurance_id)
    amount = _money("amount_rub", amount_rub)
    row = AssuranceTransaction(
        assurance_id=assurance_id,
        kind=kind,
        amount_rub=amount,
        transacted_on=_date("transacted_on", transacted_on),
        milestone=_text("milestone", milestone, required=kind == "release"),
        note=note,
    )
    if evidence_document_id is not None:
        document = get_document(session, evidence_document_id)
        if document.site_id != assurance.site_id:
            raise RecordValueError(
                "evidence_document_id",
                f"document {evidence_document_id} belongs to site {document.site_id}, "
                f"not to the assurance's site {assurance.site_id}",
                evidence_document_id,
            )
        row.evidence_document_id = evidence_document_id
    if kind in ("release", "forfeit"):
        held = assurance_balance(session, assurance_id).held_rub
        if amount > held + 0.005:
            raise RecordValueError(
                "amount_rub",
                f"a {kind} of {amount:.2f} rub exceeds the {held:.2f} rub held "
                f"by assurance {assurance_id}",
                amount_rub,
            )
    _flush(session, row)
    session.expire(assurance, ["transactions"])
    return row


def record_deposit(
    session: Session,
    assurance_id: int,
    *,
    amount_rub: float,
    transacted_on: date,
    evidence_document_id: int | None = None,
    note: str | None = None,
) -> AssuranceTransaction:
    """Record a deposit; see :func:`record_transaction`."""
    return record_transaction(
        session,
        assurance_id,
        kind="deposit",
        amount_rub=amount_rub,
        transacted_on=transacted_on,
        evidence_document_id=evidence_document_id,
        note=note,
    )


def record_release(
    session: Session,
    assurance_id: int,
    *,
    amount_rub: float,
    transacted_on: date,
    milestone: str,
    evidence_document_id: int | None = None,
    note: str | None = None,
) -> AssuranceTransaction:
    """Record a release after a milestone; see :func:`record_transaction`."""
    return record_transaction(
        session,
        assurance_id,
        kind="release",
        amount_rub=amount_rub,
        transacted_on=transacted_on,
        milestone=milestone,
        evidence_document_id=evidence_document_id,
        note=note,
    )


def record_forfeit(
    session: Session,
    assurance_id: int,
    *,
    amount_rub: float,
    transacted_on: date,
    note: str | None = None,
    evidence_document_id: int | None = None,
) -> AssuranceTransaction:
    """Record a forfeit (the assurance taken to pay for the works).

    See :func:`record_transaction`.
    """
    return record_transaction(
        session,
        assurance_id,
        kind="forfeit",
        amount_rub=amount_rub,
        transacted_on=transacted_on,
        evidence_document_id=evidence_document_id,
        note=note,
    )


# --- monitoring ------------------------------------------------------------------------------


def add_monitoring_summary(
    session: Session,
    *,
    site_id: int,
    parameter: str,
    value: float,
    unit: str,
    criteria_met: bool,
    period_start: date,
    period_end: date,
    source: str,
    object_id: int | None = None,
) -> MonitoringSummary:
    """Record a monitoring result of a site (or one of its objects) over a period.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Session on the registry.
    site_id : int
        Site monitored. [-]
    parameter : str
        Parameter (``dust_pm10``, ``ph``, ``vegetation_cover`` ...). [-]
    value : float
        Summary value over the period, in ``unit``. [unit]
    unit : str
        Unit of the value. [-]
    criteria_met : bool
        Whether the value meets its criterion (evidence for a milestone).
    period_start, period_end : datetime.date
        First and last day of the period. [date]
    source : str
        Laboratory, sensor network or report the value comes from. [-]
    object_id : int, optional
        Object of the same site monitored. [-]

    Returns
    -------
    MonitoringSummary
        The new row.

    Raises
    ------
    NotFoundError
        If the site or object does not exist.
    RecordValueError
        If the value is not finite, the period ends before it starts, or the object is
        another site's.
    """
    get_site(session, site_id)
    if object_id is not None:
        _object_of_site(session, object_id, site_id)
    period_start = _date("period_start", period_start)
    period_end = _date("period_end", period_end)
    if period_end < period_start:
        raise RecordValueError(
            "period_end",
            f"period_end must not precede period_start ({period_start}), got {period_end}",
            period_end,
        )
    if not isinstance(criteria_met, bool):
        raise RecordValueError(
            "criteria_met", f"criteria_met must be true or false, got {criteria_met!r}"
        )
    row = MonitoringSummary(
        site_id=site_id,
        object_id=object_id,
        period_start=period_start,
        period_end=period_end,
        parameter=_required_text("parameter", parameter),
        value=value,
        unit=_required_text("unit", unit),
        criteria_met=criteria_met,
        source=_required_text("source", source),
    )
    return _flush(session, row)


def list_monitoring(
    session: Session,
    *,
    site_id: int | None = None,
    object_id: int | None = None,
    parameter: str | None = None,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
) -> Page[MonitoringSummary]:
    """List monitoring summaries by period end, then id."""
    m = MonitoringSummary
    stmt = select(m).order_by(m.period_end, m.id)
    if site_id is not None:
        stmt = stmt.where(m.site_id == site_id)
    if object_id is not None:
        stmt = stmt.where(m.object_id == object_id)
    if parameter is not None:
        stmt = stmt.where(m.parameter == parameter)
    return paginate(session, stmt, limit=limit, offset=offset)


# --- documents -------------------------------------------------------------------------------


def sha256_hex(data: bytes) -> str:
    """Return the SHA-256 of bytes, hex.

    Examples
    --------
    >>> sha256_hex(b"act")[:16]
    'f83f07be16e27018'
    """
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: str | Path) -> str:
    """Return the SHA-256 of a file's bytes, hex, read in blocks."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def add_document(
    session: Session,
    *,
    site_id: int,
    kind: DocumentKind,
    title: str,
    uri: str,
    issued_on: date,
    sha256: str | None = None,
    content: bytes | None = None,
) -> Document:
    """Register a document (act, protocol, report) by reference and checksum.

    The registry keeps where the document is (``uri``) and its SHA-256, not the document:
    give the checksum, or the bytes to compute it from.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Session on the registry.
    site_id : int
        Site the document concerns. [-]
    kind : {"acceptance-act", "protocol", "report", "other"}
        Kind of document.
    title : str
        Title (number and subject). [-]
    uri : str
        Where it is kept (URL, archive reference). [-]
    issued_on : datetime.date
        Date of the document. [date]
    sha256 : str, optional
        SHA-256 of its bytes, 64 hex digits. [-]
    content : bytes, optional
        Its bytes, to compute the SHA-256 from. [-]

    Returns
    -------
    Document
        The new row.

    Raises
    ------
    NotFoundError
        If the site does not exist.
    RecordValueError
        If neither or both of ``sha256`` and ``content`` are given, the checksum is not 64
        hex digits, or the kind is unknown.
    """
    get_site(session, site_id)
    if (sha256 is None) == (content is None):
        raise RecordValueError("sha256", "give exactly one of sha256 or content", sha256)
    if content is not None:
        if not isinstance(content, bytes | bytearray | memoryview):
            raise RecordValueError("content", "content must be bytes", type(content).__name__)
        sha256 = sha256_hex(bytes(content))
    row = Document(
        site_id=site_id,
        kind=kind,
        title=_required_text("title", title),
        uri=_required_text("uri", uri),
        sha256=sha256,
        issued_on=_date("issued_on", issued_on),
    )
    return _flush(session, row)


def get_document(session: Session, document_id: int) -> Document:
    """Return a document by id; raise :class:`NotFoundError` if there is none."""
    return _get(session, Document, document_id, "document")


def list_documents(
    session: Session,
    *,
    site_id: int | None = None,
    kind: DocumentKind | None = None,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
) -> Page[Document]:
    """List documents by date, then id."""
    stmt = select(Document).order_by(Document.issued_on, Document.id)
    if site_id is not None:
        stmt = stmt.where(Document.site_id == site_id)
    if kind is not None:
        stmt = stmt.where(Document.kind == kind)
    return paginate(session, stmt, limit=limit, offset=offset)


def document_matches(document: Document, content: bytes) -> bool:
    """Whether bytes are the registered document (their SHA-256 is the one recorded)."""
    return sha256_hex(bytes(content)) == document.sha256
