"""Rows of the monitoring summaries of sites and objects: insert, list.

Row operations only: a summary is recorded through
:func:`postmine.registry.actions.record_monitoring`, which records it in the ledger.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from postmine.db import RecordValueError
from postmine.registry.models import MonitoringSummary
from postmine.registry.records.common import (
    DEFAULT_LIMIT,
    Page,
    check_date,
    check_text,
    flush_row,
    paginate,
)
from postmine.registry.records.objects import object_of_site
from postmine.registry.records.sites import get_site

__all__ = ["insert_monitoring_summary", "list_monitoring"]


def insert_monitoring_summary(
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
    """Insert a monitoring result of a site (or one of its objects) over a period.

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
        object_of_site(session, object_id, site_id)
    period_start = check_date("period_start", period_start)
    period_end = check_date("period_end", period_end)
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
        parameter=check_text("parameter", parameter),
        value=value,
        unit=check_text("unit", unit),
        criteria_met=criteria_met,
        source=check_text("source", source),
    )
    return flush_row(session, row)


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
