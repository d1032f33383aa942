"""Import and export of objects of disturbance: GeoJSON and GeoPackage.

Imports are all or nothing (see :mod:`postmine.registry.io`) and record no ledger entry
themselves: a site's objects are imported through
:func:`postmine.registry.actions.import_records`, which signs the batch.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from postmine.core.extras import require
from postmine.db import SRID, RecordValueError, to_wkb
from postmine.registry.geometry import BaseGeometry, check_geometry, from_geojson, to_geojson
from postmine.registry.io.cells import (
    BadCell,
    is_blank,
    max_length_of,
    parse_date,
    parse_float,
    parse_text,
)
from postmine.registry.io.errors import (
    FieldProblem,
    ImportReport,
    RegistryImportError,
    RowHook,
    RowProblem,
    import_error,
)
from postmine.registry.io.features import (
    GEOJSON_SUFFIXES,
    BadGeometry,
    Feature,
    NotAFeature,
    read_features,
)
from postmine.registry.io.tables import file_sha256
from postmine.registry.models import DisturbanceObject, ObjectStateChange
from postmine.registry.records.common import POLYGONAL
from postmine.registry.records.objects import insert_object
from postmine.registry.records.sites import get_site

__all__ = ["OBJECT_EXPORT_FIELDS", "OBJECT_FIELDS", "export_objects", "import_objects"]

OBJECT_FIELDS: tuple[str, ...] = (
    "kind",
    "name",
    "state",
    "state_on",
    "area_ha",
    "volume_m3",
    "reclamation_direction",
    "act_reference",
)
"""Feature properties :func:`import_objects` reads (the arguments of
:func:`~postmine.registry.records.objects.insert_object`); ``kind`` and ``name`` are required,
``area_ha`` only for a feature without a polygonal geometry; ``state`` is ``disturbed`` and
``state_on`` today unless given; ``act_reference`` is required for ``accepted``."""

OBJECT_EXPORT_FIELDS: tuple[str, ...] = ("id", "site_id", *OBJECT_FIELDS)
"""Feature properties :func:`export_objects` writes: the import fields with the object's and
its site's ids; ``state_on`` and ``act_reference`` are those of the current state."""


def import_objects(
    session: Session,
    path: str | Path,
    *,
    site_id: int,
    layer: str | int | None = None,
    property_names: Mapping[str, str] | None = None,
    _row_hook: RowHook | None = None,
) -> ImportReport:
    """Import objects of disturbance of one site from GeoJSON or GeoPackage, all or nothing.

    Each feature becomes one object written by
    :func:`~postmine.registry.records.objects.insert_object`; its properties named in
    :data:`OBJECT_FIELDS` fill the object's fields (other properties, such as the ``id`` and
    ``site_id`` an export writes, are ignored). A polygonal geometry gives the area (the
    backend computes it, see :mod:`postmine.registry.geometry`) and any ``area_ha``
    property is then ignored; a feature with a point, a line or no geometry needs
    ``area_ha``. GeoJSON is WGS 84 longitude/latitude (RFC 7946); a GeoPackage layer in
    another coordinate reference system is transformed to it.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Session on the registry; the rows are written in its transaction.
    path : str or Path
        ``.geojson``, ``.json`` or ``.gpkg`` file. [-]
    site_id : int
        Site the objects belong to. [-]
    layer : str or int, optional
        Layer of a GeoPackage (the first by default). [-]
    property_names : mapping, optional
        File property -> object field, for files whose properties are named otherwise
        (``{"type": "kind", "vol": "volume_m3"}``). [-]
    _row_hook : callable, optional
        Called with the number of rows written so far after each object (tests).

    Returns
    -------
    ImportReport
        Objects inserted, their ids, the file's SHA-256.

    Raises
    ------
    NotFoundError
        If the site does not exist.
    RegistryImportError
        If the file cannot be read or any feature is bad (an invalid geometry, an unknown
        kind, a negative volume, a missing area ...); nothing is written.
    ImportError
        For a GeoPackage, if pyogrio is not installed (``postmine[geo]``).
    """
    path = Path(path)
    get_site(session, site_id)
    rename = {k.lower(): v for k, v in (property_names or {}).items()}
    unknown = sorted(set(rename.values()) - set(OBJECT_FIELDS))
    if unknown:
        raise ValueError(
            f"property_names must map to object fields {', '.join(OBJECT_FIELDS)}, "
            f"got {', '.join(unknown)}"
        )
    lengths = (
        max_length_of(DisturbanceObject, "name"),
        max_length_of(ObjectStateChange, "act_reference"),
    )
    problems: list[RowProblem] = []
    parsed: list[tuple[int, dict[str, Any]]] = []
    for feature in read_features(path, layer):
        props = {rename.get(k.lower(), k.lower()): v for k, v in feature.properties.items()}
        try:
            parsed.append((feature.row, _object_values(feature, props, lengths)))
        except _GeometryProblem as bad:
            problems.append(RowProblem(feature.row, bad.field, bad.value, bad.message))
        except FieldProblem as bad:
            problems.append(RowProblem(feature.row, bad.field, props.get(bad.field), bad.message))
    if problems:
        raise RegistryImportError(path, problems)
    ids: list[int] = []
    for written, (number, values) in enumerate(parsed, start=1):
        try:
            row = insert_object(session, site_id=site_id, **values)
        except (LookupError, ValueError) as exc:  # pragma: no cover - checked above
            field = getattr(exc, "field", None)
            raise import_error(path, str(exc), row=number, field=field) from exc
        ids.append(row.id)
        if _row_hook is not None:
            _row_hook(written)
    return ImportReport(
        path=str(path),
        records="objects",
        sha256=file_sha256(path),
        inserted=len(ids),
        ids=tuple(ids),
    )


class _GeometryProblem(Exception):
    """A feature that is no Feature, or whose geometry cannot be stored."""

    def __init__(self, field: str | None, message: str, value: Any) -> None:
        super().__init__(message)
        self.field = field
        self.message = message
        self.value = value


def _object_values(
    feature: Feature, props: dict[str, Any], lengths: tuple[int | None, int | None]
) -> dict[str, Any]:
    """Return the values of a feature's object, checked by the schema.

    ``lengths`` are those of the object's name and of its act reference.
    """
    if isinstance(feature.geometry, NotAFeature):
        raise _GeometryProblem(None, "element is not a GeoJSON Feature", None)
    try:
        geometry = _feature_geometry(feature.geometry)
    except BadCell as exc:
        raise _GeometryProblem("geometry", str(exc), feature.geometry) from None
    values = _object_fields(props, geometry, lengths)
    try:
        DisturbanceObject(  # the schema's checks (kind, state, ranges)
            kind=values["kind"],
            name=values["name"],
            state=values["state"],
            volume_m3=values["volume_m3"],
            reclamation_direction=values["reclamation_direction"],
            **({"area_ha": values["area_ha"]} if values["area_ha"] is not None else {}),
        )
    except RecordValueError as exc:
        raise FieldProblem(exc.field, str(exc)) from None
    return values


def _object_fields(
    props: dict[str, Any], geometry: BaseGeometry | None, lengths: tuple[int | None, int | None]
) -> dict[str, Any]:
    """Read a feature's properties named in :data:`OBJECT_FIELDS`."""
    name_length, act_length = lengths
    polygonal = geometry is not None and geometry.geom_type in POLYGONAL
    current = ""
    try:
        current = "kind"
        kind = parse_text("kind", props.get("kind"), required=True)
        current = "name"
        name = parse_text("name", props.get("name"), required=True, max_length=name_length)
        current = "state"
        state = parse_text("state", props.get("state"), required=False) or "disturbed"
        current = "state_on"
        state_on = parse_date("state_on", props.get("state_on"), required=False)
        current = "area_ha"
        area_ha = None
        if not polygonal:
            what = "no geometry" if geometry is None else f"a {geometry.geom_type}"
            if is_blank(props.get("area_ha")):
                raise BadCell(f"area_ha is required for a feature with {what}")
            area_ha = parse_float("area_ha", props.get("area_ha"), required=True)
        current = "volume_m3"
        volume_m3 = parse_float("volume_m3", props.get("volume_m3"), required=False)
        current = "reclamation_direction"
        direction = parse_text(
            "reclamation_direction", props.get("reclamation_direction"), required=False
        )
        current = "act_reference"
        act = parse_text(
            "act_reference",
            props.get("act_reference"),
            required=state == "accepted",
            max_length=act_length,
        )
    except BadCell as exc:
        message = str(exc)
        if current == "act_reference" and "required" in message:
            message = "act_reference is required: an object is accepted by an act"
        raise FieldProblem(current, message) from None
    return {
        "kind": kind,
        "name": name,
        "geometry": geometry,
        "area_ha": area_ha,
        "volume_m3": volume_m3,
        "state": state,
        "state_on": state_on,
        "act_reference": act,
        "reclamation_direction": direction,
    }


def _feature_geometry(raw: Any) -> BaseGeometry | None:
    """Return a feature's geometry checked for storage (None for no geometry)."""
    if raw is None:
        return None
    if isinstance(raw, BadGeometry):
        raise BadCell(f"geometry cannot be read: {raw.reason}")
    if isinstance(raw, BaseGeometry):
        geometry = raw
    elif isinstance(raw, Mapping):
        try:
            geometry = from_geojson(raw)
        except ValueError as exc:
            raise BadCell(str(exc)) from None
    else:
        raise BadCell(f"geometry must be a GeoJSON geometry object, got {raw!r}")
    try:
        return check_geometry(geometry)
    except ValueError as exc:
        raise BadCell(str(exc)) from None


def export_objects(
    session: Session,
    path: str | Path,
    *,
    site_id: int | None = None,
    kind: str | None = None,
    layer: str = "disturbance_objects",
) -> int:
    """Write objects of disturbance to GeoJSON or GeoPackage (importable again).

    One feature per object, by id, with the properties :data:`OBJECT_EXPORT_FIELDS`; the
    geometry in WGS 84 longitude/latitude (null for an object without one). ``state_on``
    and ``act_reference`` are those of the object's current state.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Session on the registry.
    path : str or Path
        ``.geojson``, ``.json`` or ``.gpkg`` file to write (replaced if it exists). [-]
    site_id : int, optional
        Only this site's objects. [-]
    kind : str, optional
        Only objects of this kind.
    layer : str
        Layer name in a GeoPackage. [-]

    Returns
    -------
    int
        Features written.

    Raises
    ------
    ValueError
        If the suffix is not one of the formats.
    ImportError
        For a GeoPackage, if pyogrio is not installed (``postmine[geo]``).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (*GEOJSON_SUFFIXES, ".gpkg"):
        raise ValueError(f"path must end in .geojson, .json or .gpkg, got {path.name!r}")
    o = DisturbanceObject
    stmt = select(o).order_by(o.id)
    changes = (
        select(
            ObjectStateChange.object_id,
            ObjectStateChange.changed_on,
            ObjectStateChange.act_reference,
        )
        .join(o, o.id == ObjectStateChange.object_id)
        .order_by(ObjectStateChange.object_id, ObjectStateChange.changed_on, ObjectStateChange.id)
    )
    for column, value in (("site_id", site_id), ("kind", kind)):
        if value is not None:
            stmt = stmt.where(getattr(o, column) == value)
            changes = changes.where(getattr(o, column) == value)
    current: dict[int, tuple[date, str | None]] = {}
    for object_id, changed_on, act in session.execute(changes):
        current[object_id] = (changed_on, act)  # the last one wins: the current state
    records = []
    for row in session.scalars(stmt):
        since, act = current.get(row.id, (None, None))
        records.append(
            (
                row.geom,
                {
                    "id": row.id,
                    "site_id": row.site_id,
                    "kind": row.kind,
                    "name": row.name,
                    "state": row.state,
                    "state_on": None if since is None else since.isoformat(),
                    "area_ha": row.area_ha,
                    "volume_m3": row.volume_m3,
                    "reclamation_direction": row.reclamation_direction,
                    "act_reference": act,
                },
            )
        )
    if suffix == ".gpkg":
        _write_gpkg(path, records, layer)
    else:
        collection = {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "id": props["id"],
                    "geometry": None if geom is None else to_geojson(geom),
                    "properties": props,
                }
                for geom, props in records
            ],
        }
        with path.open("w", encoding="utf-8") as f:
            json.dump(collection, f, ensure_ascii=False)
            f.write("\n")
    return len(records)


def _write_gpkg(
    path: Path, records: Sequence[tuple[BaseGeometry | None, dict[str, Any]]], layer: str
) -> None:
    """Write (geometry, properties) records as one GeoPackage layer in WGS 84."""
    import numpy as np

    raw = require("pyogrio.raw")
    geometries = np.array([None if g is None else to_wkb(g) for g, _ in records], dtype=object)
    types = {g.geom_type for g, _ in records if g is not None}
    geometry_type = types.pop() if len(types) == 1 else "Unknown"
    fields = list(OBJECT_EXPORT_FIELDS)
    data = []
    masks = []
    for name in fields:
        values = [props[name] for _, props in records]
        missing = np.array([v is None for v in values], dtype=bool)
        if name in ("id", "site_id"):
            data.append(np.array(values, dtype=np.int64))
        elif name in ("area_ha", "volume_m3"):
            data.append(np.array([np.nan if v is None else v for v in values], dtype=np.float64))
        else:
            data.append(np.array(["" if v is None else v for v in values], dtype=object))
        masks.append(missing)
    if path.exists():
        path.unlink()
    raw.write(
        path,
        geometries,
        data,
        fields,
        field_mask=masks,
        layer=layer,
        driver="GPKG",
        geometry_type=geometry_type,
        crs=f"EPSG:{SRID}",
    )
