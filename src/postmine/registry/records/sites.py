"""Rows of the sites (mines, licence areas): insert, read, list, change.

Row operations only: sites are registered and changed through
:func:`postmine.registry.actions.register_site` and
:func:`postmine.registry.actions.update_site`, which record the change in the ledger.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from postmine.registry.geometry import BaseGeometry
from postmine.registry.models import Site, SiteStatus, SiteTypology
from postmine.registry.records.common import (
    DEFAULT_LIMIT,
    Page,
    apply_geometry,
    check_date,
    check_optional_text,
    check_text,
    flush_row,
    get_row,
    paginate,
    today,
)
from postmine.registry.records.operators import get_operator
from postmine.registry.records.territories import get_territory

__all__ = ["change_site", "get_site", "insert_site", "list_sites"]


def insert_site(
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
    """Insert a site (a mine, a licence area).

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
        name=check_text("name", name),
        region=check_text("region", region),
        status=status,
        territory_id=territory_id,
        operator_id=operator_id,
        licence=check_optional_text("licence", licence),
        mineral=check_optional_text("mineral", mineral),
        typology=typology,
        registered_on=check_date("registered_on", registered_on or today()),
    )
    apply_geometry(session, row, geometry, area_ha, area_required=False)
    return flush_row(session, row)


def get_site(session: Session, site_id: int) -> Site:
    """Return a site by id; raise :class:`NotFoundError` if there is none."""
    return get_row(session, Site, site_id, "site")


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


def change_site(
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
        site.licence = check_text("licence", licence)
    session.flush()
    return site
