"""The ``statistics`` table: published statistics by dataset, region, year and indicator.

Document 002 asks for a system that regularly collects and analyses information on
technogenic mineral formations; national statistics such as its Tables 1 and 2 (hazardous
waste generated and held in Kazakhstan, by year and region) are kept here in the long
format of ``postmine/data/statistics/*.csv``: one value per row, with its unit and source.
They are filled by :func:`postmine.registry.actions.import_statistics` and aggregated by
:func:`postmine.registry.stats.aggregate`.

The table is declared like every other table (:func:`postmine.db.col` on
:class:`postmine.db.Base`, units and descriptions in ``info``, the year's range as a CHECK
constraint and a Python check); it is created by migration ``0002``
(``postmine/db/migrations/versions/0002_statistics.py``). It lives in its own module so the
core schema module stays as it is; the module must be imported for the table to be part of
``Base.metadata`` (``postmine.registry.io`` and ``postmine.registry.stats`` import it).

Examples
--------
>>> from postmine.db import column_info
>>> column_info("statistics")["value"]["unit"]
'see unit'
>>> Statistic(dataset="002-table-2", region="Pavlodar", year=1700)
Traceback (most recent call last):
...
postmine.db.base.RecordValueError: year must be in 1800..2200, got 1700
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Float, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, validates

from postmine.db import Base, UTCDateTime, add_range_checks, check_number, col, utc_now

__all__ = ["STATISTICS_KEY", "Statistic"]

STATISTICS_KEY = ("dataset", "region", "year", "indicator")
"""Columns that identify one statistic: at most one value per dataset, region, year and
indicator."""


class Statistic(Base):
    """One published value: a dataset's indicator for a region and year, with its unit."""

    __tablename__ = "statistics"
    __table_args__ = (
        UniqueConstraint(*STATISTICS_KEY),
        Index("ix_statistics_region", "region"),
        Index("ix_statistics_indicator", "indicator"),
    )

    id: Mapped[int] = col(Integer, primary_key=True, unit="-", description="Identifier.")
    dataset: Mapped[str] = col(
        String(100),
        unit="-",
        description="Dataset the value belongs to (e.g. 002-table-1, a published table).",
    )
    region: Mapped[str] = col(
        String(200), unit="-", description="Region (or country) the value is for."
    )
    year: Mapped[int] = col(
        Integer, unit="year", description="Year the value refers to.", ge=1800, le=2200
    )
    indicator: Mapped[str] = col(
        String(100),
        unit="-",
        description="Indicator, a snake_case key (e.g. hazardous_waste_generation).",
    )
    name: Mapped[str] = col(
        String(300), unit="-", description="Name of the indicator as the source states it."
    )
    value: Mapped[float] = col(Float, unit="see unit", description="The value, in unit.")
    unit: Mapped[str] = col(
        String(60), unit="-", description="Unit of the value (e.g. thousand t, %)."
    )
    source: Mapped[str] = col(
        String(500), unit="-", description="Where the value comes from (publication, file)."
    )
    imported_at: Mapped[datetime] = col(
        UTCDateTime(),
        unit="UTC",
        description="When the value was imported into the registry.",
        default=utc_now,
    )

    @validates("value")
    def _finite_value(self, key: str, value: Any) -> float:
        return check_number(key, value)


# the same declaration -> CHECK constraint + Python check as the core tables
add_range_checks(Statistic)
