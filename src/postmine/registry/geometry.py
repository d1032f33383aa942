"""Geometry of the registry: one column type for both backends, bounding boxes and areas.

The registry keeps every geometry in WGS 84 longitude/latitude (EPSG:4326) and hands out
`Shapely <https://shapely.readthedocs.io>`_ geometries at the Python API. How each backend
stores and queries them (the choice issue 4 leaves open for SQLite):

* **PostgreSQL/PostGIS** (the server backend): a ``geometry(GEOMETRY, 4326)`` column with a
  GIST index, written with ``ST_GeomFromWKB`` and read with ``ST_AsBinary``; the
  bounding-box query also tests ``ST_Intersects`` with ``ST_MakeEnvelope`` (GIST-indexed).
* **SQLite** (the embedded default): the same geometry as a WKB blob, with no spatial
  extension to install; exact spatial predicates run in Shapely on the rows the bounding box
  selects.
* **Both** store the bounding box in four indexed columns (``min_lon``, ``min_lat``,
  ``max_lon``, ``max_lat``), so a bounding-box query has one portable SQL form, and the area
  in ``area_ha``, computed once at write time: geodesic on the WGS 84 ellipsoid,
  ``ST_Area(geom::geography)`` on PostgreSQL and :class:`pyproj.Geod` on SQLite (the two
  agree to within 10⁻⁶), so statistics never depend on the backend.

Geometries are checked before they are stored (:func:`check_geometry`): not empty, valid
(OGC rules, e.g. no self-intersecting ring), coordinates within longitude -180..180° and
latitude -90..90°; a Z coordinate is dropped (the column is two-dimensional). Geometries
crossing the antimeridian are not supported.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, NamedTuple

import geoalchemy2  # noqa: F401  (registers the PostGIS types for reflection and Alembic)
import shapely  # type: ignore[import-untyped]
from pyproj import Geod
from shapely.geometry import box, mapping, shape  # type: ignore[import-untyped]
from shapely.geometry.base import BaseGeometry  # type: ignore[import-untyped]
from sqlalchemy import LargeBinary, text
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import TypeDecorator, TypeEngine, UserDefinedType

__all__ = [
    "SRID",
    "BBox",
    "BaseGeometry",
    "PortableGeometry",
    "area_ha",
    "bbox_of",
    "check_bbox",
    "check_geometry",
    "envelope",
    "from_geojson",
    "from_wkb",
    "geodesic_area_ha",
    "postgis_area_ha",
    "to_geojson",
    "to_wkb",
]

SRID = 4326
"""Spatial reference of every stored geometry: WGS 84 longitude/latitude (EPSG:4326)."""

_GEOD = Geod(ellps="WGS84")
_M2_PER_HA = 10_000.0


class BBox(NamedTuple):
    """A bounding box in WGS 84 degrees: west, south, east, north."""

    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float


def check_bbox(min_lon: float, min_lat: float, max_lon: float, max_lat: float) -> BBox:
    """Check a bounding box given by its corners and return it.

    Parameters
    ----------
    min_lon, max_lon : float
        West and east edges, -180..180, ``min_lon <= max_lon``. [°]
    min_lat, max_lat : float
        South and north edges, -90..90, ``min_lat <= max_lat``. [°]

    Returns
    -------
    BBox
        The box, as floats.

    Raises
    ------
    ValueError
        If an edge is not a finite number, is out of range, or the edges are swapped (a box
        crossing the antimeridian is not supported).

    Examples
    --------
    >>> check_bbox(88, 53.5, 88.5, 54)
    BBox(min_lon=88.0, min_lat=53.5, max_lon=88.5, max_lat=54.0)
    >>> check_bbox(88.5, 53.5, 88, 54)
    Traceback (most recent call last):
    ...
    ValueError: min_lon must be <= max_lon, got min_lon=88.5, max_lon=88
    """
    for name, value, limit in (
        ("min_lon", min_lon, 180.0),
        ("min_lat", min_lat, 90.0),
        ("max_lon", max_lon, 180.0),
        ("max_lat", max_lat, 90.0),
    ):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"{name} must be a number of degrees, got {value!r}")
        if not -limit <= value <= limit:
            raise ValueError(f"{name} must be in -{limit:g}..{limit:g} °, got {value!r}")
    if min_lon > max_lon:
        raise ValueError(f"min_lon must be <= max_lon, got min_lon={min_lon}, max_lon={max_lon}")
    if min_lat > max_lat:
        raise ValueError(f"min_lat must be <= max_lat, got min_lat={min_lat}, max_lat={max_lat}")
    return BBox(float(min_lon), float(min_lat), float(max_lon), float(max_lat))


def check_geometry(geometry: Any, name: str = "geometry") -> BaseGeometry:
    """Check a geometry before it is stored and return its two-dimensional form.

    Parameters
    ----------
    geometry : shapely.geometry.base.BaseGeometry
        Geometry in WGS 84 longitude/latitude. [°]
    name : str
        Name used in the error message.

    Returns
    -------
    shapely.geometry.base.BaseGeometry
        The geometry with any Z coordinate dropped.

    Raises
    ------
    ValueError
        If it is not a Shapely geometry, is empty or invalid (the reason is given), or a
        coordinate is outside longitude -180..180° or latitude -90..90°.

    Examples
    --------
    >>> from shapely.geometry import Polygon
    >>> check_geometry(Polygon([(0, 0), (1, 1), (1, 0), (0, 1)]))
    Traceback (most recent call last):
    ...
    ValueError: geometry must be a valid geometry, got Self-intersection[0.5 0.5]
    """
    if not isinstance(geometry, BaseGeometry):
        raise ValueError(f"{name} must be a Shapely geometry, got {type(geometry).__name__}")
    if geometry.is_empty:
        raise ValueError(f"{name} must not be empty, got {geometry.wkt}")
    flat = shapely.force_2d(geometry)
    if not flat.is_valid:
        raise ValueError(f"{name} must be a valid geometry, got {shapely.is_valid_reason(flat)}")
    west, south, east, north = (float(v) for v in flat.bounds)
    if not all(math.isfinite(v) for v in (west, south, east, north)):
        raise ValueError(f"{name} must have finite coordinates, got bounds {flat.bounds}")
    if west < -180 or east > 180:
        raise ValueError(f"{name} longitudes must be in -180..180 °, got {west:g}..{east:g}")
    if south < -90 or north > 90:
        raise ValueError(f"{name} latitudes must be in -90..90 °, got {south:g}..{north:g}")
    return flat


def bbox_of(geometry: BaseGeometry) -> BBox:
    """Return the bounding box of a geometry.

    Parameters
    ----------
    geometry : shapely.geometry.base.BaseGeometry
        Geometry in WGS 84 longitude/latitude. [°]

    Returns
    -------
    BBox
        West, south, east and north edges. [°]

    Examples
    --------
    >>> from shapely.geometry import Point
    >>> bbox_of(Point(88.1, 53.7).buffer(0.1).envelope)
    BBox(min_lon=88.0, min_lat=53.6, max_lon=88.19999999999999, max_lat=53.800000000000004)
    """
    west, south, east, north = geometry.bounds
    return BBox(float(west), float(south), float(east), float(north))


def geodesic_area_ha(geometry: BaseGeometry) -> float:
    """Return the geodesic area of a geometry on the WGS 84 ellipsoid.

    The area is that of the polygon whose edges are geodesics between its vertices
    (:meth:`pyproj.Geod.geometry_area_perimeter`, Karney's algorithm); it is what PostGIS
    ``ST_Area(geom::geography)`` computes. Points and lines have no area.

    Parameters
    ----------
    geometry : shapely.geometry.base.BaseGeometry
        Geometry in WGS 84 longitude/latitude. [°]

    Returns
    -------
    float
        Area. [ha]

    Examples
    --------
    >>> from shapely.geometry import box
    >>> round(geodesic_area_ha(box(88.0, 54.0, 88.01, 54.01)), 2)
    72.98
    """
    area_m2, _ = _GEOD.geometry_area_perimeter(geometry)
    return abs(float(area_m2)) / _M2_PER_HA


def postgis_area_ha(connection: Connection | Session, geometry: BaseGeometry) -> float:
    """Return the geodesic area PostGIS computes, ``ST_Area(geom::geography)``.

    Parameters
    ----------
    connection : sqlalchemy.engine.Connection or sqlalchemy.orm.Session
        A connection to a PostgreSQL database with PostGIS.
    geometry : shapely.geometry.base.BaseGeometry
        Geometry in WGS 84 longitude/latitude. [°]

    Returns
    -------
    float
        Area. [ha]
    """
    stmt = text("SELECT ST_Area(ST_GeomFromWKB(:wkb, 4326)::geography)")
    area_m2 = connection.execute(stmt, {"wkb": to_wkb(geometry)}).scalar_one()
    return float(area_m2) / _M2_PER_HA


def area_ha(session: Session, geometry: BaseGeometry) -> float:
    """Return the area of a geometry as the session's backend computes it.

    ``ST_Area(geom::geography)`` on PostgreSQL, :func:`geodesic_area_ha` elsewhere.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Session bound to the registry database.
    geometry : shapely.geometry.base.BaseGeometry
        Geometry in WGS 84 longitude/latitude. [°]

    Returns
    -------
    float
        Area. [ha]
    """
    if session.get_bind().dialect.name == "postgresql":
        return postgis_area_ha(session, geometry)
    return geodesic_area_ha(geometry)


def to_wkb(geometry: BaseGeometry) -> bytes:
    """Return the well-known binary (ISO WKB, little-endian) of a geometry."""
    data: bytes = shapely.to_wkb(geometry, hex=False, byte_order=1)
    return data


def from_wkb(data: bytes | memoryview) -> BaseGeometry:
    """Return the geometry of a well-known binary."""
    return shapely.from_wkb(bytes(data))


def to_geojson(geometry: BaseGeometry) -> dict[str, Any]:
    """Return the GeoJSON geometry object of a geometry (coordinates as lists).

    Examples
    --------
    >>> from shapely.geometry import Point
    >>> to_geojson(Point(88.1, 53.7))
    {'type': 'Point', 'coordinates': [88.1, 53.7]}
    """
    return _lists(mapping(geometry))  # type: ignore[no-any-return]


def from_geojson(obj: Mapping[str, Any]) -> BaseGeometry:
    """Return the geometry of a GeoJSON geometry object.

    Raises
    ------
    ValueError
        If ``obj`` is not a GeoJSON geometry.

    Examples
    --------
    >>> from_geojson({"type": "Point", "coordinates": [88.1, 53.7]}).wkt
    'POINT (88.1 53.7)'
    """
    try:
        return shape(obj)
    except (AttributeError, KeyError, TypeError, ValueError, shapely.errors.ShapelyError) as e:
        raise ValueError(f"geometry must be a GeoJSON geometry object, got {e}") from None


def _lists(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return [_lists(v) for v in value]
    if isinstance(value, dict):
        return {k: _lists(v) for k, v in value.items()}
    return value


# --- the column type -------------------------------------------------------------------------


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


def envelope(bbox: BBox) -> BaseGeometry:
    """Return the rectangle of a bounding box as a polygon."""
    return box(*bbox)
