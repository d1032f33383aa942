"""Geometry of the registry: checks, bounding boxes and areas of stored outlines.

The registry keeps every geometry in WGS 84 longitude/latitude (EPSG:4326) and hands out
`Shapely <https://shapely.readthedocs.io>`_ geometries at the Python API. The column type
itself, the same on both backends, is :class:`postmine.db.types.PortableGeometry`. How each
backend stores and queries them (the choice issue 4 leaves open for SQLite):

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

import shapely  # type: ignore[import-untyped]
from pyproj import Geod
from shapely.geometry import box, mapping, shape  # type: ignore[import-untyped]
from shapely.geometry.base import BaseGeometry  # type: ignore[import-untyped]
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from postmine.db.types import to_wkb

__all__ = [
    "BBox",
    "BaseGeometry",
    "area_ha",
    "bbox_of",
    "check_bbox",
    "check_geometry",
    "envelope",
    "from_geojson",
    "geodesic_area_ha",
    "postgis_area_ha",
    "to_geojson",
]

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


def envelope(bbox: BBox) -> BaseGeometry:
    """Return the rectangle of a bounding box as a polygon."""
    return box(*bbox)
