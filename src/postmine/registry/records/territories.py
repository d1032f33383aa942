"""Rows of the territories (mining districts): insert, read, list.

Row operations only: a new territory is registered through
:func:`postmine.registry.actions.register_territory`.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from postmine.db import RecordValueError
from postmine.registry.geometry import BaseGeometry
from postmine.registry.models import Territory, TerritoryKind
from postmine.registry.records.common import (
    DEFAULT_LIMIT,
    Page,
    apply_geometry,
    check_text,
    flush_row,
    get_row,
    paginate,
)

__all__ = ["get_territory", "insert_territory", "list_territories"]


def insert_territory(
    session: Session,
    *,
    name: str,
    region: str,
    kind: TerritoryKind = "mining-district",
    geometry: BaseGeometry | None = None,
    area_ha: float | None = None,
    sanitary_zone_area_ha: float | None = None,
) -> Territory:
    """Insert a territory (a mining district) and its sanitary protection zone.

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
    name = check_text("name", name)
    if session.scalars(select(Territory.id).where(Territory.name == name)).first() is not None:
        raise RecordValueError("name", f"territory {name!r} is already registered", name)
    row = Territory(
        name=name,
        region=check_text("region", region),
        kind=kind,
        sanitary_zone_area_ha=sanitary_zone_area_ha,
    )
    apply_geometry(session, row, geometry, area_ha, area_required=True)
    return flush_row(session, row)


def get_territory(session: Session, territory_id: int) -> Territory:
    """Return a territory by id; raise :class:`NotFoundError` if there is none."""
    return get_row(session, Territory, territory_id, "territory")


def list_territories(
    session: Session, *, region: str | None = None, limit: int = DEFAULT_LIMIT, offset: int = 0
) -> Page[Territory]:
    """List territories by id, optionally of one region."""
    stmt = select(Territory).order_by(Territory.id)
    if region is not None:
        stmt = stmt.where(Territory.region == region)
    return paginate(session, stmt, limit=limit, offset=offset)
