"""Reading the features of objects of disturbance: GeoJSON (RFC 7946) and GeoPackage.

A GeoJSON file is WGS 84 longitude/latitude; a GeoPackage layer in another coordinate
reference system is transformed to it (needs ``pyogrio``). Features are numbered as the
file numbers them: 1-based in GeoJSON order, by feature id (FID) in a GeoPackage.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from postmine.core.extras import require
from postmine.db import SRID, from_wkb
from postmine.registry.geometry import BaseGeometry
from postmine.registry.io.errors import import_error
from postmine.registry.io.tables import check_exists

__all__ = ["GEOJSON_SUFFIXES", "BadGeometry", "Feature", "NotAFeature", "read_features"]

GEOJSON_SUFFIXES = (".geojson", ".json")
"""Suffixes of GeoJSON files."""


@dataclass
class Feature:
    """One feature read: its number in the file, its geometry as read, its properties."""

    row: int
    geometry: Any  # a GeoJSON geometry object, WKB bytes, a Shapely geometry, or None
    properties: dict[str, Any]


def read_features(path: Path, layer: str | int | None) -> list[Feature]:
    """Read the features of a GeoJSON file or a GeoPackage layer (in WGS 84)."""
    check_exists(path)
    suffix = path.suffix.lower()
    if suffix in GEOJSON_SUFFIXES:
        return _read_geojson(path)
    if suffix == ".gpkg":
        return _read_gpkg(path, layer)
    raise import_error(
        path, f"objects must be in .geojson, .json or .gpkg, got {path.suffix!r}", value=suffix
    )


def _read_geojson(path: Path) -> list[Feature]:
    """Read a GeoJSON FeatureCollection or Feature in WGS 84 (RFC 7946)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise import_error(path, f"not a GeoJSON file: {exc}") from None
    features: Any
    if isinstance(data, dict) and data.get("type") == "Feature":
        features = [data]
    elif isinstance(data, dict) and data.get("type") == "FeatureCollection":
        features = data.get("features")
        if not isinstance(features, list):
            raise import_error(path, "a FeatureCollection must have a list of features")
    else:
        raise import_error(path, "GeoJSON must be a FeatureCollection or a Feature")
    crs = data.get("crs")
    if crs is not None:
        name = str((crs.get("properties") or {}).get("name", "")) if isinstance(crs, dict) else ""
        if not any(t in name.upper() for t in ("CRS84", "EPSG::4326", "EPSG:4326")):
            raise import_error(
                path,
                f"GeoJSON must be in WGS 84 longitude/latitude (RFC 7946), got crs {name!r}",
                field="crs",
                value=name,
            )
    out = []
    for number, feature in enumerate(features, start=1):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            out.append(Feature(number, NotAFeature(), {}))
            continue
        properties = feature.get("properties") or {}
        if not isinstance(properties, dict):
            properties = {}
        out.append(Feature(number, feature.get("geometry"), properties))
    return out


class NotAFeature:
    """Marks an element of ``features`` that is not a GeoJSON Feature."""


def _read_gpkg(path: Path, layer: str | int | None) -> list[Feature]:
    """Read a GeoPackage layer, its geometries transformed to WGS 84."""
    raw = require("pyogrio.raw")
    try:
        meta, fids, geometries, field_data = raw.read(path, layer=layer, return_fids=True)
    except Exception as exc:  # pyogrio raises DataSourceError, DataLayerError ...
        raise import_error(path, f"GeoPackage cannot be read: {exc}") from None
    transform = _to_wgs84(path, meta.get("crs"))
    names = [str(n).lower() for n in meta["fields"]]
    out = []
    for i, fid in enumerate(fids):
        properties = {n: _plain(column[i]) for n, column in zip(names, field_data, strict=True)}
        wkb = geometries[i]
        geometry = None
        if wkb is not None:
            try:
                geometry = transform(from_wkb(wkb))
            except Exception as exc:  # a WKB shapely cannot read
                geometry = BadGeometry(str(exc))
        out.append(Feature(int(fid), geometry, properties))
    return out


class BadGeometry:
    """Marks a geometry that cannot be read, with the reason."""

    def __init__(self, reason: str) -> None:
        self.reason = reason


def _plain(value: Any) -> Any:
    """Turn a numpy scalar into its Python value (NaN and NaT into None)."""
    if value is None:
        return None
    if hasattr(value, "dtype") and str(value.dtype).startswith("datetime64"):
        text = str(value)
        return None if text == "NaT" else text
    item = value.item() if hasattr(value, "item") else value
    if isinstance(item, float) and math.isnan(item):
        return None
    return item


def _to_wgs84(path: Path, crs: Any) -> Callable[[BaseGeometry], BaseGeometry]:
    """Return the transformation of a layer's geometries from ``crs`` to WGS 84."""
    if crs is None:
        raise import_error(
            path, "the GeoPackage layer has no coordinate reference system", field="crs"
        )
    from pyproj import CRS, Transformer

    source = CRS.from_user_input(crs)
    if source.to_epsg() == SRID or source.equals(CRS.from_user_input("OGC:CRS84")):
        return lambda g: g
    import shapely  # type: ignore[import-untyped]

    transformer = Transformer.from_crs(source, CRS.from_epsg(SRID), always_xy=True)

    def transform(geometry: BaseGeometry) -> BaseGeometry:
        return shapely.transform(
            geometry, lambda xy: _stack(transformer.transform(xy[:, 0], xy[:, 1]))
        )

    return transform


def _stack(xy: tuple[Any, Any]) -> Any:
    """Stack x and y arrays into the (n, 2) array shapely.transform expects."""
    import numpy as np

    return np.column_stack(xy)
