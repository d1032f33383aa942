"""The schema: declarations, Python-side checks, database CHECK constraints, geometry storage."""

from __future__ import annotations

import math
from datetime import UTC, datetime

import pytest
import shapely
from numpy.testing import assert_allclose
from shapely.geometry import LineString, MultiPolygon, Point, Polygon, box
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from postmine.db import Base, RecordValueError, column_info, get_engine
from postmine.registry.geometry import (
    check_bbox,
    check_geometry,
    from_geojson,
    geodesic_area_ha,
    postgis_area_ha,
    to_geojson,
)
from postmine.registry.models import (
    ApiToken,
    DisturbanceObject,
    Document,
    ReclamationPlan,
    Site,
    Tmf,
)
from postmine.registry.records.objects import insert_object
from postmine.registry.records.sites import insert_site

# WGS 84 ellipsoid (NIMA TR8350.2), for an independent construction of a 1 km square
WGS84_A = 6_378_137.0  # semi-major axis [m]
WGS84_F = 1 / 298.257223563  # flattening [-]
SQUARE_AREA_TOL = 0.005  # the brief's tolerance on 100 ha: 0.5 %
BACKEND_AREA_RTOL = 1e-6  # PostGIS and pyproj are both geodesic on WGS 84


def km_square(lat_deg: float, lon_deg: float, side_m: float = 1000.0) -> Polygon:
    """A lon/lat rectangle whose sides are ``side_m`` long, built from the radii of curvature.

    M = a(1-e²)/(1-e² sin²φ)^1.5 (meridian), N = a/(1-e² sin²φ)^0.5 (prime vertical);
    Δφ = side/M, Δλ = side/(N cos φ), taken at the square's middle latitude.
    """
    e2 = WGS84_F * (2 - WGS84_F)
    phi = math.radians(lat_deg)
    w = 1 - e2 * math.sin(phi) ** 2
    m = WGS84_A * (1 - e2) / w**1.5
    n = WGS84_A / math.sqrt(w)
    dlat = math.degrees(side_m / m)
    dlon = math.degrees(side_m / (n * math.cos(phi)))
    return box(lon_deg - dlon / 2, lat_deg - dlat / 2, lon_deg + dlon / 2, lat_deg + dlat / 2)


# --- declarations ----------------------------------------------------------------------------


def test_every_column_declares_unit_and_description():
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            assert column.info.get("unit"), f"{table.name}.{column.name} has no unit"
            assert column.info.get("description", "").endswith("."), (
                f"{table.name}.{column.name} has no description sentence"
            )


def test_every_range_and_choice_has_a_named_check_constraint():
    for table in Base.metadata.sorted_tables:
        names = {c.name for c in table.constraints if c.name}
        for column in table.columns:
            if "choices" in column.info:
                assert f"ck_{table.name}_{column.name}_choice" in names
            if {"ge", "gt", "le"} & column.info.keys():
                assert f"ck_{table.name}_{column.name}_range" in names


def test_column_info():
    info = column_info("tmf")
    assert info["mass_t"]["unit"] == "t"
    assert info["hazard_class"]["ge"] == 1
    assert info["hazard_class"]["le"] == 5
    assert info["tmf_class"]["choices"] == ("mining", "concentration", "metallurgical")
    with pytest.raises(KeyError, match="no table 'nope'"):
        column_info("nope")


def test_ledger_and_api_tables_exist_for_the_next_engineers():
    tables = Base.metadata.tables
    assert {"seq", "site_id", "kind", "payload_json", "prev_hash", "entry_hash", "actor"} <= set(
        tables["ledger_entries"].columns.keys()
    )
    assert {"public_key", "signature", "created_at"} <= set(tables["ledger_entries"].columns.keys())
    assert set(tables["daily_roots"].columns.keys()) >= {"day", "root", "n_entries"}
    assert set(tables["api_tokens"].columns.keys()) >= {
        "token_sha256",
        "role",
        "operator_id",
        "created_at",
    }


# --- checks in Python (on construction and assignment) ---------------------------------------


@pytest.mark.parametrize(
    ("model", "field", "value", "message"),
    [
        (Tmf, "hazard_class", 6, r"hazard_class must be in 1\.\.5, got 6"),
        (Tmf, "hazard_class", 0, r"hazard_class must be in 1\.\.5, got 0"),
        (Tmf, "hazard_class", 2.5, r"hazard_class must be a whole number, got 2\.5"),
        (Tmf, "mass_t", -1.0, r"mass_t must be >= 0 t, got -1\.0"),
        (Tmf, "mass_t", math.nan, r"mass_t must be finite, got nan"),
        (Tmf, "mass_t", "12", r"mass_t must be a number, got '12'"),
        (Tmf, "tmf_class", "chemical", r"tmf_class must be one of 'mining', .*got 'chemical'"),
        (Tmf, "year", 1700, r"year must be in 1800\.\.2200, got 1700"),
        (DisturbanceObject, "state", "burnt", r"state must be one of 'disturbed', .*got 'burnt'"),
        (DisturbanceObject, "kind", "quarry", r"kind must be one of 'pit', .*got 'quarry'"),
        (DisturbanceObject, "area_ha", -0.1, r"area_ha must be >= 0 ha, got -0\.1"),
        (DisturbanceObject, "min_lat", 91.0, r"min_lat must be in -90\.\.90 °, got 91\.0"),
        (Document, "sha256", "abc", r"sha256 must be 64 hex digits, got 'abc'"),
        (Document, "kind", "letter", r"kind must be one of 'acceptance-act', .*got 'letter'"),
    ],
)
def test_out_of_range_values_are_refused_with_the_field_named(model, field, value, message):
    with pytest.raises(RecordValueError, match=message) as caught:
        model(**{field: value})
    assert caught.value.field == field
    row = model()
    with pytest.raises(ValueError, match=message):
        setattr(row, field, value)


@pytest.mark.parametrize(
    ("composition", "message"),
    [
        ({"Fe": 1.2}, r"composition\[Fe\] must be a mass fraction in 0\.\.1, got 1\.2"),
        ({"Fe": -0.1}, r"composition\[Fe\] must be a mass fraction in 0\.\.1, got -0\.1"),
        ({"Fe": 0.6, "SiO2": 0.5}, r"composition mass fractions must add up to <= 1, got 1\.1"),
        ({"Fe": "a lot"}, r"composition\[Fe\] must be a number, got 'a lot'"),
        (["Fe"], r"composition must map component -> mass fraction"),
    ],
)
def test_composition_is_mass_fractions(composition, message):
    with pytest.raises(RecordValueError, match=message):
        Tmf(composition=composition)


def test_valid_values_pass_unchanged():
    row = Tmf(hazard_class=3, mass_t=0.0, tmf_class="metallurgical", composition={"Cu": 0.012})
    assert row.hazard_class == 3
    assert row.composition == {"Cu": 0.012}
    assert Document(sha256="AB" * 32).sha256 == "ab" * 32


def test_plan_inputs_cannot_change_once_set():
    plan = ReclamationPlan(project_toml="a = 1", project_sha256="0" * 64, format_version=1)
    with pytest.raises(RecordValueError, match="project_toml is an input of plan"):
        plan.project_toml = "a = 2"
    with pytest.raises(RecordValueError, match="project_sha256 is an input of plan"):
        plan.project_sha256 = "1" * 64
    plan.result_json = "{}"  # results may be (re)computed


# --- CHECK constraints in the database (rows that bypass the ORM) ----------------------------


def _site_id(session: Session) -> int:
    return insert_site(session, name="Site", region="Kemerovo").id


def _tmf_row(site_id: int, **bad: object) -> dict[str, object]:
    row: dict[str, object] = {
        "site_id": site_id,
        "name": "Dump 1",
        "tmf_class": "mining",
        "mass_t": 1.0e6,
        "hazard_class": 5,
        "composition": {},
        "valuable_components": {},
        "year": 2020,
        "created_at": datetime.now(UTC),
    }
    row.update(bad)
    return row


@pytest.mark.parametrize(
    ("bad", "constraint"),
    [
        ({"mass_t": -5.0}, "ck_tmf_mass_t_range"),
        ({"hazard_class": 6}, "ck_tmf_hazard_class_range"),
        ({"tmf_class": "chemical"}, "ck_tmf_tmf_class_choice"),
        ({"year": 1700}, "ck_tmf_year_range"),
    ],
)
def test_database_refuses_bad_tmf_rows(session, bad, constraint):
    site_id = _site_id(session)
    with pytest.raises(IntegrityError, match=constraint):
        session.execute(insert(Tmf.__table__).values(**_tmf_row(site_id, **bad)))


@pytest.mark.parametrize(
    ("bad", "constraint"),
    [
        ({"state": "burnt"}, "ck_disturbance_objects_state_choice"),
        ({"area_ha": -1.0}, "ck_disturbance_objects_area_ha_range"),
        ({"min_lon": 10.0, "max_lon": 9.0}, "ck_disturbance_objects_bbox_order"),
        ({"min_lon": None}, "ck_disturbance_objects_bbox_with_geom"),
    ],
)
def test_database_refuses_bad_object_rows(session, bad, constraint):
    site_id = _site_id(session)
    row = {
        "site_id": site_id,
        "kind": "pit",
        "name": "Pit",
        "area_ha": 1.0,
        "state": "disturbed",
        "geom": box(9.0, 50.0, 10.0, 51.0),
        "min_lon": 9.0,
        "min_lat": 50.0,
        "max_lon": 10.0,
        "max_lat": 51.0,
        "created_at": datetime.now(UTC),
    }
    row.update(bad)
    with pytest.raises(IntegrityError, match=constraint):
        session.execute(insert(DisturbanceObject.__table__).values(**row))


def test_database_enforces_foreign_keys(session):
    with pytest.raises(IntegrityError):
        session.execute(insert(Tmf.__table__).values(**_tmf_row(site_id=999)))


def test_operator_token_needs_an_operator(session):
    session.add(ApiToken(token_sha256="a" * 64, role="operator"))
    with pytest.raises(IntegrityError, match="ck_api_tokens_operator_token_has_operator"):
        session.flush()


# --- geometry --------------------------------------------------------------------------------

GEOMETRIES = {
    "polygon with a hole": Polygon(
        [(88.0, 54.0), (88.1, 54.0), (88.1, 54.1), (88.0, 54.1)],
        [[(88.02, 54.02), (88.05, 54.02), (88.05, 54.05), (88.02, 54.05)]],
    ),
    "multipolygon": MultiPolygon(
        [box(88.0, 54.0, 88.01, 54.01), box(88.02, 54.0, 88.03, 54.012345678901234)]
    ),
    "point": Point(88.123456789012345, 54.98765432109876),
    "line": LineString([(88.0, 54.0), (88.01, 54.003), (88.05, 54.01)]),
}


@pytest.mark.parametrize("name", GEOMETRIES)
def test_geometry_round_trip_is_exact(db_url, name):
    geometry = GEOMETRIES[name]
    with Session(get_engine(db_url)) as s:
        site_id = _site_id(s)
        area = None if geometry.geom_type in ("Polygon", "MultiPolygon") else 2.0
        row = insert_object(
            s, site_id=site_id, kind="road", name=name, geometry=geometry, area_ha=area
        )
        s.commit()
        key = row.id
    with Session(get_engine(db_url)) as s:
        stored = s.get(DisturbanceObject, key)
        assert stored is not None
        assert stored.geom.geom_type == geometry.geom_type
        assert stored.geom.equals_exact(geometry, 0.0)
        assert shapely.to_wkb(stored.geom) == shapely.to_wkb(geometry)
        assert (stored.min_lon, stored.min_lat, stored.max_lon, stored.max_lat) == tuple(
            geometry.bounds
        )


def test_one_km_square_near_54n_is_100_ha(db_url):
    square = km_square(54.0, 86.0)
    with Session(get_engine(db_url)) as s:
        row = insert_object(
            s, site_id=_site_id(s), kind="external-dump", name="Dump", geometry=square
        )
        assert_allclose(row.area_ha, 100.0, rtol=SQUARE_AREA_TOL)
        s.rollback()


@pytest.mark.postgis
def test_postgis_and_pyproj_areas_agree(pg_url):
    shapes = [km_square(54.0, 86.0), km_square(67.5, 64.0, 5000.0), GEOMETRIES["multipolygon"]]
    with get_engine(pg_url).connect() as connection:
        for shape in shapes:
            assert_allclose(
                postgis_area_ha(connection, shape), geodesic_area_ha(shape), rtol=BACKEND_AREA_RTOL
            )


def test_created_at_comes_back_timezone_aware(db_url):
    before = datetime.now(UTC)
    with Session(get_engine(db_url)) as s:
        _site_id(s)
        s.commit()
    with Session(get_engine(db_url)) as s:
        created = s.scalars(select(Site.created_at)).one()
    assert created.utcoffset() is not None
    assert created.utcoffset().total_seconds() == 0
    assert before <= created <= datetime.now(UTC)


@pytest.mark.parametrize(
    ("geometry", "message"),
    [
        (Polygon([(0, 0), (1, 1), (1, 0), (0, 1)]), "must be a valid geometry, got Self-inter"),
        (Point(200.0, 10.0), r"longitudes must be in -180\.\.180 °, got 200\.\.200"),
        (Point(10.0, -95.0), r"latitudes must be in -90\.\.90 °, got -95\.\.-95"),
        (Polygon(), "must not be empty"),
        ("POINT (1 2)", "must be a Shapely geometry, got str"),
    ],
)
def test_bad_geometries_are_refused(geometry, message):
    with pytest.raises(ValueError, match=message):
        check_geometry(geometry)


def test_z_coordinate_is_dropped():
    flat = check_geometry(Point(88.0, 54.0, 250.0))
    assert not flat.has_z
    assert flat.equals_exact(Point(88.0, 54.0), 0.0)


@pytest.mark.parametrize(
    ("box_args", "message"),
    [
        ((10, 50, 9, 51), r"min_lon must be <= max_lon, got min_lon=10, max_lon=9"),
        ((9, 51, 10, 50), r"min_lat must be <= max_lat, got min_lat=51, max_lat=50"),
        ((-181, 50, 9, 51), r"min_lon must be in -180\.\.180 °, got -181"),
        ((9, 50, 10, 91), r"max_lat must be in -90\.\.90 °, got 91"),
        ((9, "50", 10, 51), r"min_lat must be a number of degrees, got '50'"),
    ],
)
def test_bad_bounding_boxes_are_refused(box_args, message):
    with pytest.raises(ValueError, match=message):
        check_bbox(*box_args)


def test_geojson_round_trip():
    polygon = GEOMETRIES["polygon with a hole"]
    as_json = to_geojson(polygon)
    assert as_json["type"] == "Polygon"
    assert isinstance(as_json["coordinates"][0][0], list)
    assert from_geojson(as_json).equals_exact(polygon, 0.0)
    with pytest.raises(ValueError, match="must be a GeoJSON geometry object"):
        from_geojson({"type": "Circle", "coordinates": [0, 0]})
