"""Objects from GeoJSON and GeoPackage on both backends: import, bad features, export, a crash."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from numpy.testing import assert_allclose
from pyproj import Transformer
from shapely.geometry import LineString, Point, Polygon, box, mapping
from sqlalchemy import func, select

from postmine.db import session_scope, to_wkb
from postmine.registry import io, records
from postmine.registry.geometry import geodesic_area_ha
from postmine.registry.models import DisturbanceObject, ObjectStateChange
from postmine.registry.records.objects import insert_object, insert_state_change
from postmine.registry.records.sites import insert_site

AREA_RTOL = 1e-6  # the backend's geodesic area against pyproj's (the records' own tolerance)
ROUND_TRIP_RTOL = 1e-12  # a value written and read back (repr of a float, WKB)
DEGREE_TOL = 1e-7  # a coordinate through UTM and back, in degrees (about 1 cm)
N_ROWS = 1000  # rows of the all-or-nothing test files
BAD_ROW = 500  # the bad row among them (data row, 1-based)


def count(url: str, model: type) -> int:
    with session_scope(url) as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def imported(url: str, function, *args, **kwargs):
    """Run an import (or any registry function) in its own session_scope."""
    with session_scope(url) as session:
        return function(session, *args, **kwargs)


def feature(geometry, **properties) -> dict:
    return {
        "type": "Feature",
        "geometry": None if geometry is None else mapping(geometry),
        "properties": properties,
    }


def write_geojson(path: Path, features: list[dict]) -> Path:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), "utf-8")
    return path


def many_features(n: int) -> list[dict]:
    out = []
    for i in range(n):
        lon, lat = 86.0 + 0.01 * (i % 50), 54.0 + 0.01 * (i // 50)
        out.append(
            feature(
                box(lon, lat, lon + 0.005, lat + 0.005),
                kind="external-dump",
                name=f"Dump {i + 1}",
                volume_m3=1000.0 * (i + 1),
            )
        )
    return out


def test_objects_import_from_geojson(db_url, tmp_path, site_id):
    dump = box(86.10, 54.10, 86.12, 54.11)
    path = write_geojson(
        tmp_path / "objects.geojson",
        [
            feature(dump, kind="external-dump", name="Dump 1", volume_m3=2.5e6, area_ha=1.0),
            feature(
                LineString([(86.1, 54.1), (86.2, 54.15)]),
                kind="road",
                name="Haul road",
                area_ha=12.5,
            ),
            feature(None, kind="industrial-site", name="Plant", area_ha=30.0),
            feature(
                Point(86.15, 54.12),
                kind="pit",
                name="Pit",
                area_ha=238.0,
                state="accepted",
                state_on="2024-06-30",
                act_reference="Act 7 of 2024-06-30",
                reclamation_direction="water",
                colour="blue",  # not a field: ignored
            ),
        ],
    )
    with session_scope(db_url) as session:
        report = io.import_objects(session, path, site_id=site_id)
    assert (report.records, report.inserted) == ("objects", 4)
    with session_scope(db_url) as session:
        rows = [records.get_object(session, i) for i in report.ids]
        pit_history = records.object_history(session, report.ids[3])
    assert [(r.kind, r.name, r.state) for r in rows] == [
        ("external-dump", "Dump 1", "disturbed"),
        ("road", "Haul road", "disturbed"),
        ("industrial-site", "Plant", "disturbed"),
        ("pit", "Pit", "accepted"),
    ]
    # the polygon gives the area (its area_ha property is ignored); the others carry theirs
    assert_allclose(rows[0].area_ha, geodesic_area_ha(dump), rtol=AREA_RTOL)
    assert_allclose([r.area_ha for r in rows[1:]], [12.5, 30.0, 238.0], rtol=ROUND_TRIP_RTOL)
    assert rows[2].geom is None
    assert rows[3].reclamation_direction == "water"
    assert [(h.state, h.changed_on, h.act_reference) for h in pit_history] == [
        ("accepted", date(2024, 6, 30), "Act 7 of 2024-06-30")
    ]


def test_objects_bad_feature_500_of_1000_leaves_the_registry_unchanged(db_url, tmp_path, site_id):
    features = many_features(N_ROWS)
    features[BAD_ROW - 1]["properties"]["kind"] = "quarry"
    path = write_geojson(tmp_path / "objects.geojson", features)
    with pytest.raises(io.RegistryImportError) as caught:
        imported(db_url, io.import_objects, path, site_id=site_id)
    assert (caught.value.row, caught.value.field, caught.value.value) == (BAD_ROW, "kind", "quarry")
    assert f"row {BAD_ROW}, field 'kind': kind must be one of 'pit'" in str(caught.value)
    assert count(db_url, DisturbanceObject) == 0
    assert count(db_url, ObjectStateChange) == 0


@pytest.mark.parametrize(
    ("geometry", "properties", "field", "message"),
    [
        (
            {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]},
            {"kind": "pit", "name": "P"},
            "geometry",
            "must be a valid geometry, got Self-intersection",
        ),
        ({"type": "Blob"}, {"kind": "pit", "name": "P"}, "geometry", "must be a GeoJSON geometry"),
        (
            None,
            {"kind": "pit", "name": "P"},
            "area_ha",
            "area_ha is required for a feature with no",
        ),
        (
            mapping(Point(86, 54)),
            {"kind": "pit", "name": "P"},
            "area_ha",
            "area_ha is required for a feature with a Point",
        ),
        (None, {"kind": "pit", "name": "P", "area_ha": -3}, "area_ha", "area_ha must be >= 0 ha"),
        (None, {"kind": "pit", "area_ha": 3}, "name", "name is required"),
        (None, {"kind": "pit", "name": "P", "area_ha": 3, "volume_m3": "a lot"}, "volume_m3", ""),
        (None, {"kind": "pit", "name": "P", "area_ha": 3, "state": "done"}, "state", "one of"),
        (
            None,
            {"kind": "pit", "name": "P", "area_ha": 3, "state": "accepted"},
            "act_reference",
            "an object is accepted by an act",
        ),
        (
            None,
            {"kind": "pit", "name": "P", "area_ha": 3, "state_on": "30.06.2024"},
            "state_on",
            "must be a date",
        ),
    ],
)
def test_objects_bad_features(db_url, tmp_path, site_id, geometry, properties, field, message):
    good = feature(box(86, 54, 86.01, 54.01), kind="pit", name="Good")
    bad = {"type": "Feature", "geometry": geometry, "properties": properties}
    path = write_geojson(tmp_path / "o.geojson", [good, bad])
    with pytest.raises(io.RegistryImportError, match=rf"row 2, field '{field}': .*{message}"):
        imported(db_url, io.import_objects, path, site_id=site_id)
    assert count(db_url, DisturbanceObject) == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{", "not a GeoJSON file"),
        ('{"type": "Point", "coordinates": [1, 2]}', "must be a FeatureCollection or a Feature"),
        ('{"type": "FeatureCollection", "features": 3}', "must have a list of features"),
        ('{"type": "FeatureCollection", "features": [3]}', "row 1: element is not a GeoJSON"),
        (
            '{"type": "FeatureCollection", "features": [], '
            '"crs": {"type": "name", "properties": {"name": "EPSG:3857"}}}',
            "must be in WGS 84",
        ),
    ],
)
def test_unreadable_geojson(db_url, tmp_path, site_id, content, message):
    path = tmp_path / "o.geojson"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(io.RegistryImportError, match=message), session_scope(db_url) as session:
        io.import_objects(session, path, site_id=site_id)


def test_objects_import_checks_its_arguments(db_url, tmp_path, site_id):
    path = write_geojson(tmp_path / "o.geojson", many_features(1))
    with pytest.raises(records.NotFoundError, match="site 999 not found"):
        imported(db_url, io.import_objects, path, site_id=999)
    with pytest.raises(ValueError, match="property_names must map to object fields"):
        imported(db_url, io.import_objects, path, site_id=site_id, property_names={"type": "x"})
    table = tmp_path / "o.csv"
    table.write_text("kind,name\npit,P\n", encoding="utf-8")
    with pytest.raises(io.RegistryImportError, match=r"must be in \.geojson, \.json or \.gpkg"):
        imported(db_url, io.import_objects, table, site_id=site_id)


def test_objects_property_names(db_url, tmp_path, site_id):
    path = write_geojson(
        tmp_path / "o.json",
        [feature(box(86, 54, 86.01, 54.01), TYPE="internal-dump", Title="Inner", Vol=5.0)],
    )
    names = {"TYPE": "kind", "title": "name", "vol": "volume_m3"}
    with session_scope(db_url) as session:
        report = io.import_objects(session, path, site_id=site_id, property_names=names)
        obj = records.get_object(session, report.ids[0])
    assert (obj.kind, obj.name) == ("internal-dump", "Inner")
    assert_allclose(obj.volume_m3, 5.0, rtol=ROUND_TRIP_RTOL)


@pytest.mark.parametrize("suffix", [".geojson", ".gpkg"])
def test_objects_export_round_trip(db_url, tmp_path, site_id, suffix):
    with session_scope(db_url) as session:
        insert_object(
            session,
            site_id=site_id,
            kind="external-dump",
            name="Dump",
            geometry=box(86.1, 54.1, 86.12, 54.11),
            volume_m3=2.5e6,
            state_on=date(2021, 4, 1),
        )
        crater = insert_object(
            session,
            site_id=site_id,
            kind="collapse-crater",
            name="Crater",
            geometry=Polygon([(86.2, 54.2), (86.21, 54.2), (86.205, 54.21)]),
            state_on=date(2021, 4, 1),
        )
        insert_state_change(
            session,
            crater.id,
            state="accepted",
            changed_on=date(2024, 9, 1),
            act_reference="Act 12",
        )
        insert_object(
            session,
            site_id=site_id,
            kind="road",
            name="Road",
            area_ha=4.0,
            state_on=date(2022, 1, 1),
        )
        other = insert_site(session, name="Other", region="Kemerovo")
        insert_object(session, site_id=other.id, kind="pit", name="X", area_ha=1.0)
        path = tmp_path / f"objects{suffix}"
        assert io.export_objects(session, path, site_id=site_id) == 3
        assert io.export_objects(session, tmp_path / f"roads{suffix}", kind="road") == 1
        originals = [
            (o.kind, o.name, o.state, o.area_ha, o.volume_m3, o.geom)
            for o in records.list_objects(session, site_id=site_id).items
        ]
        target = insert_site(session, name="Copy", region="Kemerovo").id
    with session_scope(db_url) as session:
        report = io.import_objects(session, path, site_id=target)
        copies = [records.get_object(session, i) for i in report.ids]
        histories = [records.object_history(session, i) for i in report.ids]
    assert [(c.kind, c.name, c.state) for c in copies] == [o[:3] for o in originals]
    assert_allclose([c.area_ha for c in copies], [o[3] for o in originals], rtol=ROUND_TRIP_RTOL)
    assert_allclose(copies[0].volume_m3, 2.5e6, rtol=ROUND_TRIP_RTOL)
    assert copies[1].volume_m3 is None and copies[2].geom is None
    assert copies[0].geom.equals(originals[0][5])
    assert [(h[-1].changed_on, h[-1].act_reference) for h in histories] == [
        (date(2021, 4, 1), None),
        (date(2024, 9, 1), "Act 12"),
        (date(2022, 1, 1), None),
    ]


def test_geopackage_in_another_crs_is_transformed(db_url, tmp_path, site_id):
    import pyogrio.raw

    corners = [(88.00, 53.60), (88.03, 53.60), (88.03, 53.62), (88.00, 53.62)]
    to_utm = Transformer.from_crs("EPSG:4326", "EPSG:32645", always_xy=True)
    utm = Polygon([to_utm.transform(lon, lat) for lon, lat in corners])
    path = tmp_path / "utm.gpkg"
    pyogrio.raw.write(
        path,
        np.array([to_wkb(utm)], dtype=object),
        [np.array(["tailings-storage"], dtype=object), np.array(["Tailings"], dtype=object)],
        ["kind", "name"],
        layer="objects",
        driver="GPKG",
        geometry_type="Polygon",
        crs="EPSG:32645",
    )
    with session_scope(db_url) as session:
        report = io.import_objects(session, path, site_id=site_id, layer="objects")
        obj = records.get_object(session, report.ids[0])
    assert_allclose(
        [obj.min_lon, obj.min_lat, obj.max_lon, obj.max_lat],
        [88.00, 53.60, 88.03, 53.62],
        atol=DEGREE_TOL,
    )


def test_unreadable_geopackage(db_url, tmp_path, site_id):
    path = tmp_path / "bad.gpkg"
    path.write_bytes(b"not a geopackage")
    with pytest.raises(io.RegistryImportError, match="GeoPackage cannot be read"):
        imported(db_url, io.import_objects, path, site_id=site_id)


def test_a_killed_objects_import_leaves_no_partial_data(db_url, tmp_path, site_id, kill_import):
    path = write_geojson(tmp_path / "big.geojson", many_features(2000))
    kill_import(db_url, "objects", path, site_id, kill_after=100, pause=0.01)
    for model in (DisturbanceObject, ObjectStateChange):
        assert count(db_url, model) == 0
    # the registry still takes an import afterwards
    small = write_geojson(tmp_path / "small.geojson", many_features(3))
    with session_scope(db_url) as session:
        io.import_objects(session, small, site_id=site_id)
    assert count(db_url, DisturbanceObject) == 3
