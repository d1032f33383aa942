"""Import and export on both backends: formats, all-or-nothing imports, crashes mid-import."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from numpy.testing import assert_allclose
from openpyxl import Workbook, load_workbook
from pyproj import Transformer
from shapely.geometry import LineString, Point, Polygon, box, mapping
from sqlalchemy import func, select, text

from postmine.db import session_scope, to_wkb
from postmine.registry import io, records
from postmine.registry.geometry import geodesic_area_ha
from postmine.registry.models import DisturbanceObject, ObjectStateChange, Tmf
from postmine.registry.records.objects import insert_object, insert_state_change
from postmine.registry.records.sites import insert_site
from postmine.registry.records.territories import insert_territory
from postmine.registry.records.tmf import insert_tmf
from postmine.registry.statistics_model import Statistic

AREA_RTOL = 1e-6  # the backend's geodesic area against pyproj's (services' own tolerance)
ROUND_TRIP_RTOL = 1e-12  # a value written and read back (repr of a float, WKB)
DEGREE_TOL = 1e-7  # a coordinate through UTM and back, in degrees (about 1 cm)
N_ROWS = 1000  # rows of the all-or-nothing test files
BAD_ROW = 500  # the bad row among them (data row, 1-based)
HEADER_LINES = 3  # two comment lines and the header before the first data row

SAMPLE_ROWS = {"002-table-1": 40, "002-table-2": 85}  # data rows of the two shipped files


def count(url: str, model: type) -> int:
    with session_scope(url) as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def imported(url: str, function, *args, **kwargs):
    """Run an import (or any registry function) in its own session_scope."""
    with session_scope(url) as session:
        return function(session, *args, **kwargs)


@pytest.fixture
def site_id(db_url):
    with session_scope(db_url) as session:
        territory = insert_territory(
            session, name="Kuzbass district", region="Kemerovo", area_ha=6144.0
        )
        site = insert_site(
            session,
            name="Open pit 1",
            region="Kemerovo",
            territory_id=territory.id,
            registered_on=date(2020, 1, 10),
        )
        return site.id


# --- statistics --------------------------------------------------------------------------------


def write_statistics_csv(path: Path, n: int, bad: dict[int, dict[str, str]] | None = None) -> Path:
    """A long-format file of n rows; ``bad`` replaces cells of some data rows (1-based)."""
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write('# Test statistics, a "quoted, comma" note\n# Source: made up for the test\n')
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(io.STATISTICS_FIELDS)
        for i in range(1, n + 1):
            row = {
                "dataset": "test",
                "region": f"Region {i:04d}",
                "year": "2020",
                "indicator": "waste",
                "name": "Waste generated",
                "value": f"{i * 1.5}",
                "unit": "thousand t",
            }
            row.update((bad or {}).get(i, {}))
            writer.writerow([row[c] for c in io.STATISTICS_FIELDS])
    return path


def test_sample_statistics_import_through_the_normal_path(db_url):
    with session_scope(db_url) as session:
        reports = io.import_sample_statistics(session)
    assert [r.records for r in reports] == ["statistics", "statistics"]
    assert [r.inserted for r in reports] == list(SAMPLE_ROWS.values())
    assert [Path(r.path).name for r in reports] == list(io.SAMPLE_STATISTICS)
    assert all(len(r.sha256) == 64 and len(r.ids) == r.inserted for r in reports)
    with session_scope(db_url) as session:
        by_dataset = dict(
            session.execute(
                select(Statistic.dataset, func.count()).group_by(Statistic.dataset)
            ).all()
        )
        kostanay = session.scalars(
            select(Statistic).where(Statistic.region == "Kostanay", Statistic.year == 2019)
        ).one()
    assert by_dataset == SAMPLE_ROWS
    assert_allclose(kostanay.value, 1_156_195.5, rtol=ROUND_TRIP_RTOL)  # 002 Table 2
    assert kostanay.unit == "thousand t"
    assert kostanay.source.startswith("002_b2427c8d01690973.txt lines 150-171")


def test_a_second_import_is_refused_or_replaces(db_url):
    with session_scope(db_url) as session:
        io.import_sample_statistics(session)
    with pytest.raises(io.RegistryImportError, match=r"row 7, field 'indicator'.*already in"):
        imported(db_url, io.import_sample_statistics)
    with session_scope(db_url) as session:
        reports = io.import_sample_statistics(session, on_conflict="replace")
    assert [(r.inserted, r.replaced) for r in reports] == [(0, 40), (0, 85)]
    assert count(db_url, Statistic) == sum(SAMPLE_ROWS.values())


def test_bad_row_500_of_1000_leaves_the_registry_unchanged(db_url, tmp_path):
    with session_scope(db_url) as session:
        io.import_sample_statistics(session)
    before = count(db_url, Statistic)
    path = write_statistics_csv(tmp_path / "s.csv", N_ROWS, {BAD_ROW: {"value": "12,5"}})
    line = BAD_ROW + HEADER_LINES
    with pytest.raises(io.RegistryImportError) as caught:
        imported(db_url, io.import_statistics, path)
    error = caught.value
    assert isinstance(error, ValueError)
    assert (error.row, error.field, error.value) == (line, "value", "12,5")
    assert str(error).startswith(f"s.csv, row {line}, field 'value': value must be a number")
    assert str(error).endswith("nothing was imported")
    assert count(db_url, Statistic) == before
    good = write_statistics_csv(tmp_path / "good.csv", N_ROWS)
    with session_scope(db_url) as session:
        report = io.import_statistics(session, good)
    assert report.inserted == N_ROWS
    assert count(db_url, Statistic) == before + N_ROWS


@pytest.mark.parametrize(
    ("bad", "field", "message"),
    [
        ({"year": "20x5"}, "year", r"year must be a number"),
        ({"year": "1700"}, "year", r"year must be in 1800\.\.2200, got 1700"),
        ({"year": "2020.5"}, "year", r"year must be a whole number"),
        ({"value": "inf"}, "value", r"value must be finite"),
        ({"unit": ""}, "unit", r"unit is required"),
        ({"region": "x" * 201}, "region", r"region must be at most 200 characters"),
        (
            {"region": "Region 0001"},
            "indicator",
            r"dataset='test', region='Region 0001', year=2020, indicator='waste' appears twice "
            r"in the file \(first in row 4\)",
        ),
    ],
)
def test_each_bad_field_is_named(db_url, tmp_path, bad, field, message):
    path = write_statistics_csv(tmp_path / "s.csv", 10, {5: bad})
    with pytest.raises(io.RegistryImportError, match=rf"row 8, field '{field}': {message}"):
        imported(db_url, io.import_statistics, path)
    assert count(db_url, Statistic) == 0


def test_every_problem_is_listed(db_url, tmp_path):
    path = write_statistics_csv(tmp_path / "s.csv", 20, {3: {"year": "x"}, 9: {"value": "y"}})
    with pytest.raises(io.RegistryImportError, match=r"and 1 more problem\(s\) in rows 12\)") as e:
        imported(db_url, io.import_statistics, path)
    assert [(p.row, p.field) for p in e.value.problems] == [(6, "year"), (12, "value")]


@pytest.mark.parametrize(
    ("text", "suffix", "message"),
    [
        ("dataset,region,year\nd,r,2020\n", ".csv", r"row 1, field 'indicator': the header has no"),
        ("# only a comment\n", ".csv", r"file: the table has no header row"),
        ("dataset,dataset\n", ".csv", r"row 1, field 'dataset': column appears twice"),
        ("a,b\n1,2,3\n", ".csv", r"row 2: row has 3 cells, the header has 2 columns"),
        ("\xff\xfe", ".csv", r"file: a CSV file must be UTF-8 text"),
        ("a,b\n1,2\n3," + "x" * 200_000 + "\n", ".csv", r"row 3: CSV cannot be read: field larger"),
        ("x", ".ods", r"a table must be \.csv or \.xlsx, got '\.ods'"),
        ("not a zip", ".xlsx", r"not an Excel \.xlsx workbook"),
    ],
)
def test_unreadable_tables(db_url, tmp_path, text, suffix, message):
    path = tmp_path / f"t{suffix}"
    path.write_bytes(text.encode("latin-1"))
    with pytest.raises(io.RegistryImportError, match=message), session_scope(db_url) as session:
        io.import_statistics(session, path)


def test_a_missing_file_is_named(db_url, tmp_path):
    with pytest.raises(io.RegistryImportError, match="no such file"):
        imported(db_url, io.import_statistics, tmp_path / "none.csv")


def test_excel_rows_are_numbered_as_in_the_sheet(db_url, tmp_path):
    workbook = Workbook()
    ws = workbook.active
    ws.append(["# 002 Table 2 (two rows)"])
    ws.append([])
    ws.append([c.upper() for c in io.STATISTICS_FIELDS])
    ws.append(["t", "Pavlodar", 2019, "stock", "Stock", 608570.9, "thousand t"])
    ws.append(["t", "Akmola", 2019, "stock", "Stock", "n/a", "thousand t"])
    path = tmp_path / "s.xlsx"
    workbook.save(path)
    with pytest.raises(io.RegistryImportError, match=r"row 5, field 'value'.*got 'n/a'"):
        imported(db_url, io.import_statistics, path)
    ws.cell(row=5, column=6, value=25998.8)
    workbook.save(path)
    with session_scope(db_url) as session:
        report = io.import_statistics(session, path, source="002 Table 2")
    assert report.inserted == 2
    with session_scope(db_url) as session:
        rows = session.scalars(select(Statistic).order_by(Statistic.region)).all()
    assert [(r.region, r.year, r.source) for r in rows] == [
        ("Akmola", 2019, "002 Table 2"),
        ("Pavlodar", 2019, "002 Table 2"),
    ]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_statistics_export_round_trip(db_url, tmp_path, suffix):
    with session_scope(db_url) as session:
        io.import_sample_statistics(session)
        stored = {
            (s.dataset, s.region, s.year, s.indicator): (s.value, s.unit, s.source)
            for s in session.scalars(select(Statistic))
        }
        path = tmp_path / f"out{suffix}"
        assert io.export_statistics(session, path) == len(stored)
        assert io.export_statistics(session, tmp_path / f"t2{suffix}", dataset="002-table-2") == 85
        assert io.export_statistics(session, tmp_path / f"k{suffix}", region="Kostanay") == 5
    if suffix == ".csv":
        lines = path.read_text(encoding="utf-8").splitlines()
        assert lines[0].startswith("# statistics exported from the postmine registry")
        assert lines[1] == ",".join([*io.STATISTICS_FIELDS, "source"])
    else:
        header = next(load_workbook(path).active.iter_rows(values_only=True))
        assert list(header) == [*io.STATISTICS_FIELDS, "source"]
    with session_scope(db_url) as session:
        report = io.import_statistics(session, path, on_conflict="replace")
        again = {
            (s.dataset, s.region, s.year, s.indicator): (s.value, s.unit, s.source)
            for s in session.scalars(select(Statistic))
        }
    assert (report.inserted, report.replaced) == (0, len(stored))
    assert again.keys() == stored.keys()
    for key, (value, unit, source) in stored.items():
        assert_allclose(again[key][0], value, rtol=ROUND_TRIP_RTOL)
        assert again[key][1:] == (unit, source)


def test_export_refuses_an_unknown_format(db_url, tmp_path):
    with session_scope(db_url) as session:
        with pytest.raises(ValueError, match=r"path must end in \.csv or \.xlsx"):
            io.export_statistics(session, tmp_path / "s.txt")
        with pytest.raises(ValueError, match=r"path must end in \.csv or \.xlsx"):
            io.export_tmf(session, tmp_path / "t.json")
        with pytest.raises(ValueError, match=r"path must end in \.geojson, \.json or \.gpkg"):
            io.export_objects(session, tmp_path / "o.shp")
    with pytest.raises(ValueError, match="on_conflict must be 'error' or 'replace'"):
        imported(db_url, io.import_statistics, tmp_path / "s.csv", on_conflict="skip")


# --- TMF ---------------------------------------------------------------------------------------

TMF_HEADER = "site_id,object_id,name,tmf_class,mass_t,volume_m3,hazard_class,year,composition,"
TMF_HEADER += "valuable_components,recorded_on"


def write_tmf_csv(path: Path, site_id: int, n: int, bad: dict[int, str] | None = None) -> Path:
    lines = ["# TMF of the test site", TMF_HEADER]
    for i in range(1, n + 1):
        hazard = (bad or {}).get(i, "IV" if i % 2 else "5")
        lines.append(
            f"{site_id},,Dump {i},mining,{1000.0 * i},{600.0 * i},{hazard},2023,"
            f'"{{""SiO2"": 0.6, ""Fe"": 0.1}}","{{""Au"": 1e-06}}",2024-03-01'
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_tmf_import(db_url, tmp_path, site_id):
    path = write_tmf_csv(tmp_path / "tmf.csv", site_id, 3)
    with session_scope(db_url) as session:
        report = io.import_tmf(session, path)
    assert (report.records, report.inserted) == ("tmf", 3)
    with session_scope(db_url) as session:
        rows = session.scalars(select(Tmf).order_by(Tmf.id)).all()
    assert [(r.name, r.hazard_class, r.tmf_class, r.year) for r in rows] == [
        ("Dump 1", 4, "mining", 2023),
        ("Dump 2", 5, "mining", 2023),
        ("Dump 3", 4, "mining", 2023),
    ]
    assert_allclose([r.mass_t for r in rows], [1000.0, 2000.0, 3000.0], rtol=ROUND_TRIP_RTOL)
    assert rows[0].composition == {"SiO2": 0.6, "Fe": 0.1}
    assert rows[0].valuable_components == {"Au": 1e-06}
    assert rows[0].recorded_on == date(2024, 3, 1)


def test_tmf_bad_row_500_of_1000_leaves_the_registry_unchanged(db_url, tmp_path, site_id):
    path = write_tmf_csv(tmp_path / "tmf.csv", site_id, N_ROWS, {BAD_ROW: "6"})
    line = BAD_ROW + 2  # one comment line and the header
    with pytest.raises(io.RegistryImportError) as caught:
        imported(db_url, io.import_tmf, path)
    assert (caught.value.row, caught.value.field, caught.value.value) == (line, "hazard_class", "6")
    assert f"row {line}, field 'hazard_class': hazard_class must be in 1..5, got 6" in str(
        caught.value
    )
    assert count(db_url, Tmf) == 0


@pytest.mark.parametrize(
    ("row", "field", "message"),
    [
        ("99,,A,mining,1,,3,2023,,,", "site_id", "site 99 not found"),
        ("{site},99,A,mining,1,,3,2023,,,", "object_id", "object 99 not found"),
        ("{site},{other_object},A,mining,1,,3,2023,,,", "object_id", "belongs to site"),
        ("{site},,A,slag,1,,3,2023,,,", "tmf_class", "tmf_class must be one of"),
        ("{site},,A,mining,-1,,3,2023,,,", "mass_t", r"mass_t must be >= 0 t, got -1"),
        ("{site},,A,mining,1,,VI,2023,,,", "hazard_class", "hazard_class must be a number"),
        ("{site},,A,mining,1,,3,2023,Fe=0.3,,", "composition", "must be a JSON object"),
        ('{site},,A,mining,1,,3,2023,"{{""Fe"": 1.2}}",,', "composition", r"Fe\] must be a"),
        ("{site},,A,mining,1,,3,2023,,,03/01/2024", "recorded_on", "must be a date YYYY-MM-DD"),
        ("{site},,,mining,1,,3,2023,,,", "name", "name is required"),
    ],
)
def test_tmf_bad_rows(db_url, tmp_path, site_id, row, field, message):
    with session_scope(db_url) as session:
        other = insert_site(session, name="Other", region="Kemerovo")
        obj = insert_object(
            session, site_id=other.id, kind="external-dump", name="D", area_ha=1.0
        )
        other_object = obj.id
    path = tmp_path / "tmf.csv"
    text = row.format(site=site_id, other_object=other_object)
    path.write_text(f"{TMF_HEADER}\n{text}\n", encoding="utf-8")
    with pytest.raises(io.RegistryImportError, match=rf"row 2, field '{field}': .*{message}"):
        imported(db_url, io.import_tmf, path)
    assert count(db_url, Tmf) == 0


def test_tmf_site_given_to_the_import(db_url, tmp_path, site_id):
    path = tmp_path / "tmf.csv"
    path.write_text("name,tmf_class,mass_t,hazard_class,year\nSlag,metallurgical,5,III,2021\n")
    with pytest.raises(io.RegistryImportError, match="the header has no column 'site_id'"):
        imported(db_url, io.import_tmf, path)
    with session_scope(db_url) as session:
        report = io.import_tmf(session, path, site_id=site_id)
        tmf = records.get_tmf(session, report.ids[0])
    assert (tmf.site_id, tmf.hazard_class, tmf.tmf_class) == (site_id, 3, "metallurgical")


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_tmf_export_round_trip(db_url, tmp_path, site_id, suffix):
    with session_scope(db_url) as session:
        dump = insert_object(
            session, site_id=site_id, kind="tailings-storage", name="T", area_ha=40.0
        )
        insert_tmf(
            session,
            site_id=site_id,
            object_id=dump.id,
            name="Tailings 1",
            tmf_class="concentration",
            mass_t=2.5e6,
            volume_m3=1.6e6,
            hazard_class=4,
            year=2022,
            composition={"Fe": 0.12, "SiO2": 0.55},
            valuable_components={"Fe": 0.12},
            recorded_on=date(2023, 5, 2),
        )
        insert_tmf(
            session,
            site_id=site_id,
            name="Slag",
            tmf_class="metallurgical",
            mass_t=1e5,
            hazard_class=3,
            year=2021,
        )
        path = tmp_path / f"tmf{suffix}"
        assert io.export_tmf(session, path) == 2
        assert io.export_tmf(session, tmp_path / f"c{suffix}", tmf_class="concentration") == 1
        assert io.export_tmf(session, tmp_path / f"h{suffix}", hazard_class=5) == 0
    with session_scope(db_url) as session:
        report = io.import_tmf(session, path)
        rows = session.scalars(select(Tmf).where(Tmf.id.in_(report.ids)).order_by(Tmf.id)).all()
    fields = [(r.object_id, r.name, r.tmf_class, r.hazard_class, r.year) for r in rows]
    assert fields == [
        (dump.id, "Tailings 1", "concentration", 4, 2022),
        (None, "Slag", "metallurgical", 3, 2021),
    ]
    assert rows[0].composition == {"Fe": 0.12, "SiO2": 0.55}
    assert rows[0].recorded_on == date(2023, 5, 2)
    assert rows[1].volume_m3 is None
    assert_allclose([r.mass_t for r in rows], [2.5e6, 1e5], rtol=ROUND_TRIP_RTOL)


# --- objects -----------------------------------------------------------------------------------


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


# --- a crash during an import ------------------------------------------------------------------

CRASH_SCRIPT = """
import sys, time
from postmine import db
from postmine.registry import io
url, records, path, site_id = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])

def hook(written):
    print(f"written {written}", flush=True)
    time.sleep(float(sys.argv[5]))

print("started", flush=True)
with db.session_scope(url) as session:
    if records == "statistics":
        io.import_statistics(session, path, _row_hook=hook)
    else:
        io.import_objects(session, path, site_id=site_id, _row_hook=hook)
print("committed", flush=True)
"""

# records, rows in the file, rows written before the kill, pause after each write [s]
CRASHES = [("statistics", 20_000, 1500, 0.1), ("objects", 2000, 100, 0.01)]


@pytest.mark.parametrize(("records", "n", "kill_after", "pause"), CRASHES)
def test_a_killed_import_leaves_no_partial_data(
    db_url, tmp_path, site_id, records, n, kill_after, pause
):
    if records == "statistics":
        path = write_statistics_csv(tmp_path / "big.csv", n)
        models = [Statistic]
    else:
        path = write_geojson(tmp_path / "big.geojson", many_features(n))
        models = [DisturbanceObject, ObjectStateChange]
    process = subprocess.Popen(
        [sys.executable, "-c", CRASH_SCRIPT, db_url, records, str(path), str(site_id), str(pause)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    seen = []
    deadline = time.monotonic() + 120
    try:
        for line in process.stdout:
            seen.append(line.strip())
            if line.startswith("written ") and int(line.split()[1]) >= kill_after:
                if db_url.startswith("sqlite"):  # the transaction is open: its journal exists
                    assert Path(db_url.removeprefix("sqlite:///") + "-journal").exists()
                os.kill(process.pid, signal.SIGKILL)
                break
            assert time.monotonic() < deadline, "the import did not reach the kill point"
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL, process.stderr.read() if process.stderr else ""
    assert "started" in seen and "committed" not in seen
    for model in models:
        assert count(db_url, model) == 0
    if db_url.startswith("sqlite"):
        with session_scope(db_url) as session:
            assert session.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"
    # the registry still takes an import afterwards
    with session_scope(db_url) as session:
        io.import_statistics(session, write_statistics_csv(tmp_path / "small.csv", 3))
    assert count(db_url, Statistic) == 3
