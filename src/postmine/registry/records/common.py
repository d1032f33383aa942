"""Shared helpers of the registry's row operations: lookups, pages, checks, geometry.

Every row operation of :mod:`postmine.registry.records` takes an open
:class:`sqlalchemy.orm.Session` and works inside the caller's transaction: it adds and
flushes (so ids are known and constraint violations surface at once) but never commits.

Errors
------
* :class:`NotFoundError` (a :class:`LookupError`): no row with that id.
* :class:`~postmine.db.base.RecordValueError` (a :class:`ValueError` with
  ``field``): a value out of its column's range or list, or a rule of the registry broken.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from postmine.db import Base, RecordValueError
from postmine.registry.geometry import BaseGeometry, area_ha, bbox_of, check_geometry, to_geojson
from postmine.registry.models import DisturbanceObject, Site, Territory

__all__ = [
    "DEFAULT_LIMIT",
    "MAX_LIMIT",
    "POLYGONAL",
    "NotFoundError",
    "Page",
    "apply_geometry",
    "as_dict",
    "check_date",
    "check_optional_text",
    "check_page",
    "check_text",
    "flush_row",
    "get_row",
    "paginate",
    "today",
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


# --- lookups and checks ----------------------------------------------------------------------


def get_row(session: Session, model: type[M], key: int, entity: str) -> M:
    """Return the row of ``model`` with primary key ``key``; raise :class:`NotFoundError`."""
    row = session.get(model, key)
    if row is None:
        raise NotFoundError(entity, key)
    return row


def today() -> date:
    """Return today's date in UTC (the default date of a new record)."""
    return datetime.now(UTC).date()


def check_optional_text(field: str, value: Any, *, required: bool = False) -> str | None:
    """Return ``value`` stripped, or None if it is None and not ``required``.

    Raises
    ------
    RecordValueError
        If the value is not non-empty text (or is None while ``required``).
    """
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise RecordValueError(field, f"{field} must be non-empty text, got {value!r}", value)
    return value.strip()


def check_text(field: str, value: Any) -> str:
    """Return ``value`` stripped; raise :class:`RecordValueError` unless non-empty text."""
    text = check_optional_text(field, value, required=True)
    assert text is not None
    return text


def check_date(field: str, value: Any) -> date:
    """Return ``value`` if it is a date (not a datetime); raise :class:`RecordValueError`."""
    if isinstance(value, datetime) or not isinstance(value, date):
        raise RecordValueError(field, f"{field} must be a date, got {value!r}", value)
    return value


def flush_row(session: Session, row: M) -> M:
    """Add a row and flush it (its id is then known); return it."""
    session.add(row)
    session.flush()
    return row


# --- geometry --------------------------------------------------------------------------------

POLYGONAL = ("Polygon", "MultiPolygon")
"""Geometry types whose area the backend computes."""


def apply_geometry(
    session: Session,
    row: Territory | Site | DisturbanceObject,
    geometry: BaseGeometry | None,
    given_area_ha: float | None,
    *,
    area_required: bool,
) -> None:
    """Store a geometry, its bounding box and area (or the area given) on a row.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Session on the registry (the backend computes a polygon's geodesic area).
    row : Territory, Site or DisturbanceObject
        Row receiving the geometry.
    geometry : shapely geometry or None
        Outline or location in WGS 84 longitude/latitude. [°]
    given_area_ha : float or None
        Area, when there is no polygonal geometry. [ha]
    area_required : bool
        Whether the row needs an area.

    Raises
    ------
    RecordValueError
        If the area is given beside a polygon, or missing where it is required.
    ValueError
        If the geometry cannot be stored.
    """
    if geometry is None:
        row.geom = None
        row.min_lon = row.min_lat = row.max_lon = row.max_lat = None
    else:
        flat = check_geometry(geometry)
        box = bbox_of(flat)
        row.geom = flat
        row.min_lon, row.min_lat, row.max_lon, row.max_lat = box
        if flat.geom_type in POLYGONAL:
            if given_area_ha is not None:
                raise RecordValueError(
                    "area_ha",
                    "give area_ha or a polygonal geometry, not both: the area is computed "
                    f"from the {flat.geom_type}",
                    given_area_ha,
                )
            row.area_ha = area_ha(session, flat)
            return
    if given_area_ha is None and area_required:
        kind = "no geometry" if geometry is None else f"a {geometry.geom_type}"
        raise RecordValueError("area_ha", f"area_ha is required with {kind}", given_area_ha)
    row.area_ha = given_area_ha  # None only where the column allows it (checked on set)


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
