"""Rows of the technogenic mineral formations (TMF, document 002): insert, read, list.

Row operations only: a TMF is registered through :func:`postmine.registry.actions.add_tmf`
(or a whole file through :func:`postmine.registry.actions.import_records`), which record it
in the ledger.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from postmine.registry.models import Tmf, TmfClass
from postmine.registry.records.common import (
    DEFAULT_LIMIT,
    Page,
    check_date,
    check_text,
    flush_row,
    get_row,
    paginate,
    today,
)
from postmine.registry.records.objects import object_of_site
from postmine.registry.records.sites import get_site

__all__ = ["get_tmf", "insert_tmf", "list_tmf"]


def insert_tmf(
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
    """Insert a technogenic mineral formation (document 002).

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
        object_of_site(session, object_id, site_id)
    row = Tmf(
        site_id=site_id,
        object_id=object_id,
        name=check_text("name", name),
        tmf_class=tmf_class,
        mass_t=mass_t,
        volume_m3=volume_m3,
        hazard_class=hazard_class,
        year=year,
        composition=composition or {},
        valuable_components=valuable_components or {},
        recorded_on=check_date("recorded_on", recorded_on or today()),
    )
    return flush_row(session, row)


def get_tmf(session: Session, tmf_id: int) -> Tmf:
    """Return a TMF by id; raise :class:`NotFoundError` if there is none."""
    return get_row(session, Tmf, tmf_id, "tmf")


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
