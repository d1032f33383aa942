"""Column types shared by every postmine table, portable between SQLite and PostgreSQL/PostGIS.

* :class:`UTCDateTime` — a timestamp stored in UTC and returned timezone-aware on both
  backends (SQLite keeps no zone).
* :data:`PORTABLE_JSON` — ``JSON``, ``JSONB`` on PostgreSQL.
* :data:`MONEY` — ``NUMERIC(18, 2)`` read back as float (amounts in roubles, kopeck precision).
* :data:`SHA256_HEX` — a SHA-256 digest as 64 hex digits.
* :class:`PortableGeometry` — a geometry in WGS 84 longitude/latitude (EPSG:4326): a PostGIS
  ``geometry(GEOMETRY, 4326)`` column written with ``ST_GeomFromWKB`` and read with
  ``ST_AsBinary`` on PostgreSQL, a well-known-binary blob on SQLite (no spatial extension to
  install). Shapely geometries go in and come out on both. Bounding boxes, areas and the
  checks of geometries are the registry's (:mod:`postmine.registry.geometry`).

Importing this module registers the PostGIS types of ``geoalchemy2`` for reflection and
Alembic comparisons.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import geoalchemy2  # noqa: F401  (registers the PostGIS types for reflection and Alembic)
import shapely  # type: ignore[import-untyped]
from shapely.geometry.base import BaseGeometry  # type: ignore[import-untyped]
from sqlalchemy import JSON, DateTime, LargeBinary, Numeric, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import ColumnElement
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import TypeDecorator, TypeEngine, UserDefinedType

from postmine.db.base import RecordValueError

__all__ = [
    "MONEY",
    "PORTABLE_JSON",
    "SHA256_HEX",
    "SRID",
    "PortableGeometry",
    "UTCDateTime",
    "from_wkb",
    "to_wkb",
    "utc_now",
    "utc_today",
]

SRID = 4326
"""Spatial reference of every stored geometry: WGS 84 longitude/latitude (EPSG:4326)."""

PORTABLE_JSON = JSON().with_variant(JSONB(), "postgresql")
"""A JSON document: ``JSON`` on SQLite, ``JSONB`` on PostgreSQL."""

MONEY = Numeric(18, 2, asdecimal=False)
"""An amount of money to the kopeck (``NUMERIC(18, 2)``), read back as float. [rub]"""

SHA256_HEX = String(64)
"""A SHA-256 digest written as 64 hex digits."""


def utc_now() -> datetime:
    """Return the current time, timezone-aware in UTC (the default of ``created_at`` columns)."""
    return datetime.now(UTC)


def utc_today() -> date:
    """Return the current date in UTC (the default of date columns such as ``registered_on``)."""
    return datetime.now(UTC).date()


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and returned timezone-aware on every backend.

    Examples
    --------
    >>> from sqlalchemy.dialects import sqlite
    >>> UTCDateTime().process_result_value(datetime(2026, 5, 1, 12), sqlite.dialect())
    datetime.datetime(2026, 5, 1, 12, 0, tzinfo=datetime.timezone.utc)
    >>> UTCDateTime().process_bind_param(datetime(2026, 5, 1, 12), sqlite.dialect())
    Traceback (most recent call last):
    ...
    postmine.db.base.RecordValueError: timestamps must be timezone-aware
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Convert an aware timestamp to UTC; refuse a naive one."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise RecordValueError("created_at", "timestamps must be timezone-aware", value)
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Return the timestamp as aware UTC (SQLite stores it without its zone)."""
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# --- the geometry column type ------------------------------------------------------------------


def to_wkb(geometry: BaseGeometry) -> bytes:
    """Return the well-known binary (ISO WKB, little-endian) of a geometry.

    Examples
    --------
    >>> from shapely.geometry import Point
    >>> to_wkb(Point(88.1, 53.7)).hex()[:10]
    '0101000000'
    """
    data: bytes = shapely.to_wkb(geometry, hex=False, byte_order=1)
    return data


def from_wkb(data: bytes | memoryview) -> BaseGeometry:
    """Return the geometry of a well-known binary.

    Examples
    --------
    >>> from shapely.geometry import Point
    >>> from_wkb(to_wkb(Point(88.1, 53.7))).wkt
    'POINT (88.1 53.7)'
    """
    return shapely.from_wkb(bytes(data))


class _PostGISGeometry(UserDefinedType[bytes]):
    """DDL of the PostGIS column: ``geometry(GEOMETRY, 4326)``."""

    cache_ok = True

    def get_col_spec(self, **kw: Any) -> str:
        return f"geometry(GEOMETRY,{SRID})"


class _FromWKB(FunctionElement[bytes]):
    """A WKB parameter made a geometry: ``ST_GeomFromWKB(:p, 4326)`` on PostGIS."""

    name = "postmine_from_wkb"
    inherit_cache = True
    type = LargeBinary()


class _AsWKB(FunctionElement[Any]):
    """A geometry column read as WKB: ``ST_AsBinary(col)`` on PostGIS.

    It carries the column's own type, so the WKB read is turned back into a geometry.
    """

    name = "postmine_as_wkb"
    inherit_cache = True

    def __init__(self, column: Any, type_: TypeEngine[Any]) -> None:
        super().__init__(column)
        self.type = type_


@compiles(_FromWKB)
@compiles(_AsWKB)
def _plain(element: FunctionElement[Any], compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(element.clauses, **kw)


@compiles(_FromWKB, "postgresql")
def _pg_from_wkb(element: _FromWKB, compiler: SQLCompiler, **kw: Any) -> str:
    return f"ST_GeomFromWKB({compiler.process(element.clauses, **kw)}, {SRID})"


@compiles(_AsWKB, "postgresql")
def _pg_as_wkb(element: _AsWKB, compiler: SQLCompiler, **kw: Any) -> str:
    return f"ST_AsBinary({compiler.process(element.clauses, **kw)})"


class PortableGeometry(TypeDecorator[BaseGeometry]):
    """A geometry column: PostGIS ``geometry(GEOMETRY, 4326)``, or a WKB blob on SQLite.

    Binds and returns Shapely geometries; see the module docstring for the choice.
    """

    impl = LargeBinary
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        """Return the PostGIS geometry type on PostgreSQL, a blob elsewhere."""
        # geoalchemy2's DDL hooks call this with dialect=None; a blob is the right answer
        if dialect is not None and dialect.name == "postgresql":
            return _PostGISGeometry()
        return LargeBinary()

    def bind_expression(self, bindvalue: Any) -> ColumnElement[Any]:
        """Wrap a parameter: ``ST_GeomFromWKB(:p, 4326)`` on PostGIS, as is elsewhere."""
        return _FromWKB(bindvalue)

    def column_expression(self, column: Any) -> ColumnElement[Any]:
        """Wrap a selected column: ``ST_AsBinary(col)`` on PostGIS, as is elsewhere."""
        return _AsWKB(column, self)

    def process_bind_param(self, value: BaseGeometry | None, dialect: Dialect) -> bytes | None:
        """Return the WKB of a geometry."""
        if value is None:
            return None
        return to_wkb(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> BaseGeometry | None:
        """Return the geometry of a WKB."""
        if value is None:
            return None
        return from_wkb(value)

    def process_literal_param(self, value: BaseGeometry | None, dialect: Dialect) -> str:
        """Refuse to inline a geometry in SQL text."""
        raise NotImplementedError("geometries are always bound as parameters")

    @property
    def python_type(self) -> type[Any]:
        """Shapely's base geometry class."""
        return BaseGeometry  # type: ignore[no-any-return]
