"""Columns that several floors declare the same way: WGS 84 coordinates and ``created_at``.

Each returns a new :func:`postmine.db.col` declaration, so a table gets its own column.

Examples
--------
>>> longitude_col("West edge of the bounding box.").column.info["le"]
180.0
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Float

from postmine.db.base import col
from postmine.db.types import UTCDateTime, utc_now

__all__ = ["created_at_col", "latitude_col", "longitude_col"]


def longitude_col(description: str) -> Any:
    """Declare a nullable WGS 84 longitude column, -180..180°.

    Parameters
    ----------
    description : str
        What the column holds.

    Returns
    -------
    sqlalchemy.orm.MappedColumn
        The column, unit ``°``.
    """
    return col(Float, unit="°", description=description, nullable=True, ge=-180.0, le=180.0)


def latitude_col(description: str) -> Any:
    """Declare a nullable WGS 84 latitude column, -90..90°.

    Parameters
    ----------
    description : str
        What the column holds.

    Returns
    -------
    sqlalchemy.orm.MappedColumn
        The column, unit ``°``.
    """
    return col(Float, unit="°", description=description, nullable=True, ge=-90.0, le=90.0)


def created_at_col() -> Any:
    """Declare the ``created_at`` column: when the row was written, UTC, set on insert.

    Returns
    -------
    sqlalchemy.orm.MappedColumn
        The column, unit ``UTC``, defaulting to :func:`postmine.db.types.utc_now`.
    """
    return col(
        UTCDateTime(),
        unit="UTC",
        description="When the row was written to the registry.",
        default=utc_now,
    )
