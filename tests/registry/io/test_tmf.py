"""TMF tables (CSV, Excel) on both backends: import all or nothing, bad rows, export."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from numpy.testing import assert_allclose
from sqlalchemy import func, select

from postmine.db import session_scope
from postmine.registry import io, records
from postmine.registry.models import Tmf
from postmine.registry.records.objects import insert_object
from postmine.registry.records.sites import insert_site
from postmine.registry.records.tmf import insert_tmf

ROUND_TRIP_RTOL = 1e-12  # a value written and read back (repr of a float, WKB)
N_ROWS = 1000  # rows of the all-or-nothing test files
BAD_ROW = 500  # the bad row among them (data row, 1-based)


def count(url: str, model: type) -> int:
    with session_scope(url) as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def imported(url: str, function, *args, **kwargs):
    """Run an import (or any registry function) in its own session_scope."""
    with session_scope(url) as session:
        return function(session, *args, **kwargs)


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
        obj = insert_object(session, site_id=other.id, kind="external-dump", name="D", area_ha=1.0)
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
