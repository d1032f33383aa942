"""The registry's row operations and reads on both backends: rules, bounding-box query, money."""

from __future__ import annotations

import hashlib
import json
import math
from datetime import date, datetime
from pathlib import Path

import pytest
from numpy.testing import assert_allclose
from shapely.geometry import LineString, Point, Polygon, box
from sqlalchemy import func, select

import postmine
from postmine.db import RecordValueError, SchemaError, session_scope
from postmine.registry import records as s
from postmine.registry.geometry import geodesic_area_ha
from postmine.registry.models import Site, Tmf
from postmine.registry.records.assurance import insert_assurance, insert_transaction
from postmine.registry.records.documents import insert_document
from postmine.registry.records.monitoring_summaries import insert_monitoring_summary
from postmine.registry.records.objects import (
    insert_object,
    insert_state_change,
    replace_object_geometry,
)
from postmine.registry.records.operators import insert_operator
from postmine.registry.records.plans import insert_plan, mark_plan_approved, set_plan_result
from postmine.registry.records.sites import change_site, insert_site
from postmine.registry.records.territories import insert_territory
from postmine.registry.records.tmf import insert_tmf

ROOT = Path(__file__).resolve().parents[2]
PR1_PROJECT = ROOT / "examples" / "pr1-coal-pit" / "project.toml"
FAST_SAMPLES = 20  # Monte Carlo samples for tests (the example asks for 500)
AREA_RTOL = 1e-6  # the backend's area against pyproj's (both geodesic on WGS 84)
KOPECK = 0.005  # amounts are kept to the kopeck


def fast_project_text() -> str:
    text = PR1_PROJECT.read_text(encoding="utf-8")
    assert "samples = 500" in text
    return text.replace("samples = 500", f"samples = {FAST_SAMPLES}")


@pytest.fixture
def site(session):
    operator = insert_operator(session, name="Kuzbass Coal LLC")
    territory = insert_territory(
        session,
        name="Kemerovo mining district",
        region="Kemerovo",
        geometry=box(86.0, 54.0, 86.5, 54.3),
        sanitary_zone_area_ha=12_000.0,
    )
    return insert_site(
        session,
        name="Open pit 1",
        region="Kemerovo",
        territory_id=territory.id,
        operator_id=operator.id,
        licence="KEM 01234 TE",
        mineral="coal",
        typology="brownfield",
        geometry=box(86.1, 54.1, 86.2, 54.2),
        registered_on=date(2020, 1, 10),
    )


# --- operators, territories, sites -----------------------------------------------------------


def test_operator_create_find_and_refuse_duplicate(session):
    op = insert_operator(session, name="  Abaza Mine LLC ", tax_id="1902000000")
    assert op.name == "Abaza Mine LLC"
    assert s.get_operator(session, op.id) is op
    assert s.find_operator(session, "Abaza Mine LLC") is op
    assert s.find_operator(session, "nobody") is None
    with pytest.raises(RecordValueError, match="operator 'Abaza Mine LLC' is already"):
        insert_operator(session, name="Abaza Mine LLC")
    with pytest.raises(RecordValueError, match="name must be non-empty text, got ''"):
        insert_operator(session, name="")
    with pytest.raises(s.NotFoundError, match="operator 999 not found"):
        s.get_operator(session, 999)


def test_territory_area_comes_from_its_outline(session):
    outline = box(86.0, 54.0, 86.5, 54.3)
    t = insert_territory(session, name="District", region="Kemerovo", geometry=outline)
    assert_allclose(t.area_ha, geodesic_area_ha(outline), rtol=AREA_RTOL)
    assert (t.min_lon, t.min_lat, t.max_lon, t.max_lat) == (86.0, 54.0, 86.5, 54.3)
    assert t.kind == "mining-district"
    no_outline = insert_territory(session, name="Other", region="Khakassia", area_ha=5000.0)
    assert no_outline.area_ha == 5000.0
    assert no_outline.geom is None
    assert no_outline.min_lon is None


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"geometry": box(0, 0, 1, 1), "area_ha": 10.0}, "give area_ha or a polygonal geometry"),
        ({}, "area_ha is required with no geometry"),
        ({"geometry": Point(86.0, 54.0)}, "area_ha is required with a Point"),
        ({"area_ha": -3.0}, r"area_ha must be >= 0 ha, got -3\.0"),
        ({"area_ha": 3.0, "kind": "state"}, "kind must be one of 'mining-district'"),
        ({"area_ha": 3.0, "sanitary_zone_area_ha": -1.0}, "sanitary_zone_area_ha must be >= 0"),
    ],
)
def test_territory_refuses_bad_areas(session, kwargs, message):
    with pytest.raises(RecordValueError, match=message):
        insert_territory(session, name="T", region="R", **kwargs)


def test_site_links_territory_and_operator(session, site):
    assert site.territory.name == "Kemerovo mining district"
    assert site.operator.name == "Kuzbass Coal LLC"
    assert site.status == "operating"
    assert site.registered_on == date(2020, 1, 10)
    assert_allclose(site.area_ha, geodesic_area_ha(box(86.1, 54.1, 86.2, 54.2)), rtol=AREA_RTOL)
    point_site = insert_site(session, name="Old shaft", region="Kemerovo", geometry=Point(86, 54))
    assert point_site.area_ha is None


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"territory_id": 999}, s.NotFoundError, "territory 999 not found"),
        ({"operator_id": 999}, s.NotFoundError, "operator 999 not found"),
        ({"status": "mothballed"}, RecordValueError, "status must be one of 'operating'"),
        ({"typology": "redfield"}, RecordValueError, "typology must be one of 'greenfield'"),
        ({"region": " "}, RecordValueError, "region must be non-empty text"),
        (
            {"registered_on": datetime(2020, 1, 1)},
            RecordValueError,
            "registered_on must be a date",
        ),
    ],
)
def test_site_refuses_bad_input(session, kwargs, error, message):
    args = {"name": "S", "region": "Kemerovo", **kwargs}
    with pytest.raises(error, match=message):
        insert_site(session, **args)


def test_update_site(session, site):
    change_site(session, site.id, status="under-reclamation", typology="greyfield")
    assert (site.status, site.typology) == ("under-reclamation", "greyfield")
    with pytest.raises(RecordValueError, match="status must be one of"):
        change_site(session, site.id, status="finished")


def test_listing_filters_and_pages(session):
    for i in range(7):
        insert_site(
            session, name=f"S{i}", region="Kemerovo" if i % 2 else "Khakassia", status="closed"
        )
    page = s.list_sites(session, limit=3)
    assert [x.name for x in page.items] == ["S0", "S1", "S2"]
    assert (page.total, page.limit, page.offset, page.next_offset) == (7, 3, 0, 3)
    last = s.list_sites(session, limit=3, offset=6)
    assert [x.name for x in last.items] == ["S6"]
    assert last.next_offset is None
    kemerovo = s.list_sites(session, region="Kemerovo")
    assert [x.name for x in kemerovo.items] == ["S1", "S3", "S5"]
    assert s.list_sites(session, status="operating").total == 0
    with pytest.raises(ValueError, match=r"limit must be in 1\.\.1000, got 1001"):
        s.list_sites(session, limit=1001)
    with pytest.raises(ValueError, match="offset must be >= 0, got -1"):
        s.list_sites(session, offset=-1)


# --- objects of disturbance and their states -------------------------------------------------


def test_object_starts_its_state_history(session, site):
    obj = insert_object(
        session,
        site_id=site.id,
        kind="external-dump",
        name="Dump North",
        geometry=box(86.12, 54.12, 86.13, 54.13),
        volume_m3=2.5e6,
        state_on=date(2019, 5, 1),
        reclamation_direction="forestry",
    )
    assert obj.state == "disturbed"
    assert [(h.state, h.changed_on) for h in obj.states] == [("disturbed", date(2019, 5, 1))]
    assert_allclose(obj.area_ha, geodesic_area_ha(box(86.12, 54.12, 86.13, 54.13)), rtol=AREA_RTOL)


def test_state_changes_are_recorded_in_order(session, site):
    obj = insert_object(
        session, site_id=site.id, kind="pit", name="Pit", area_ha=40.0, state_on=date(2019, 1, 1)
    )
    act = insert_document(
        session,
        site_id=site.id,
        kind="acceptance-act",
        title="Act No. 7",
        uri="archive://acts/7",
        issued_on=date(2024, 9, 1),
        content=b"act 7",
    )
    insert_state_change(session, obj.id, state="technical-stage", changed_on=date(2021, 5, 1))
    insert_state_change(session, obj.id, state="biological-stage", changed_on=date(2022, 6, 1))
    insert_state_change(
        session, obj.id, state="reclaimed", changed_on=date(2024, 8, 1), note="grass established"
    )
    insert_state_change(
        session, obj.id, state="accepted", changed_on=date(2024, 9, 1), document_id=act.id
    )
    history = s.object_history(session, obj.id)
    assert [(h.state, h.changed_on) for h in history] == [
        ("disturbed", date(2019, 1, 1)),
        ("technical-stage", date(2021, 5, 1)),
        ("biological-stage", date(2022, 6, 1)),
        ("reclaimed", date(2024, 8, 1)),
        ("accepted", date(2024, 9, 1)),
    ]
    assert history[-1].document_id == act.id
    assert s.get_object(session, obj.id).state == "accepted"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"state": "disturbed"}, "object .* is already 'disturbed'"),
        ({"state": "burnt"}, "state must be one of 'disturbed'"),
        ({"state": "technical-stage", "changed_on": date(2018, 12, 31)}, "must not precede"),
        ({"state": "accepted"}, "an object is accepted by an act"),
        ({"state": "reclaimed", "changed_on": "2024-01-01"}, "changed_on must be a date"),
    ],
)
def test_bad_state_changes_are_refused(session, site, kwargs, message):
    obj = insert_object(
        session, site_id=site.id, kind="pit", name="Pit", area_ha=40.0, state_on=date(2019, 1, 1)
    )
    args = {"changed_on": date(2024, 1, 1), **kwargs}
    with pytest.raises(RecordValueError, match=message):
        insert_state_change(session, obj.id, **args)


def test_acceptance_act_must_be_the_sites_own(session, site):
    other = insert_site(session, name="Other", region="Kemerovo")
    foreign = insert_document(
        session,
        site_id=other.id,
        kind="acceptance-act",
        title="Act",
        uri="x",
        issued_on=date(2024, 1, 1),
        sha256="0" * 64,
    )
    obj = insert_object(
        session, site_id=site.id, kind="pit", name="Pit", area_ha=1.0, state_on=date(2019, 1, 1)
    )
    with pytest.raises(RecordValueError, match=r"belongs to site .* not to the object's site"):
        insert_state_change(
            session, obj.id, state="accepted", changed_on=date(2024, 1, 2), document_id=foreign.id
        )


def test_road_as_a_line_keeps_the_given_area(session, site):
    road = insert_object(
        session,
        site_id=site.id,
        kind="road",
        name="Haul road",
        geometry=LineString([(86.1, 54.1), (86.15, 54.12)]),
        area_ha=4.2,
    )
    assert road.area_ha == 4.2
    assert road.geom.geom_type == "LineString"


def test_geometry_can_be_replaced(session, site):
    obj = insert_object(
        session, site_id=site.id, kind="pit", name="Pit", geometry=box(86.1, 54.1, 86.11, 54.11)
    )
    bigger = box(86.1, 54.1, 86.12, 54.12)
    replace_object_geometry(session, obj.id, bigger)
    assert_allclose(obj.area_ha, geodesic_area_ha(bigger), rtol=AREA_RTOL)
    assert obj.max_lon == 86.12


# --- bounding-box query ----------------------------------------------------------------------

L_SHAPE = Polygon(
    [(10.0, 10.0), (13.0, 10.0), (13.0, 11.0), (11.0, 11.0), (11.0, 13.0), (10.0, 13.0)]
)


@pytest.fixture
def grid(session, site):
    """A 4 x 3 grid of 0.1° squares at lon 20.0.., lat 50.0.. (dumps in row 0, pits above)."""
    names = {}
    for i in range(4):
        for j in range(3):
            obj = insert_object(
                session,
                site_id=site.id,
                kind="external-dump" if j == 0 else "pit",
                name=f"cell {i},{j}",
                geometry=box(20.0 + 0.2 * i, 50.0 + 0.2 * j, 20.1 + 0.2 * i, 50.1 + 0.2 * j),
            )
            names[obj.id] = obj.name
    insert_object(session, site_id=site.id, kind="pit", name="L", geometry=L_SHAPE)
    insert_object(session, site_id=site.id, kind="pit", name="no geometry", area_ha=1.0)
    return names


def _names(rows):
    return sorted(r.name for r in rows)


def test_bbox_query_finds_the_cells_in_the_box(session, grid):
    found = s.bbox_query(session, 20.15, 50.15, 20.45, 50.35)
    assert _names(found) == ["cell 1,1", "cell 2,1"]
    assert [r.id for r in found] == sorted(r.id for r in found)


def test_bbox_query_kind_and_site_filters(session, site, grid):
    assert _names(s.bbox_query(session, 19.0, 49.0, 21.0, 50.05, kind="external-dump")) == [
        "cell 0,0",
        "cell 1,0",
        "cell 2,0",
        "cell 3,0",
    ]
    assert s.bbox_query(session, 19.0, 49.0, 21.0, 50.05, kind="pit") == []
    assert s.bbox_query(session, 19.0, 49.0, 21.0, 51.0, site_id=site.id + 1) == []


def test_bbox_query_includes_touching_edges(session, grid):
    assert _names(s.bbox_query(session, 20.1, 50.1, 20.15, 50.15)) == ["cell 0,0"]


def test_bbox_query_tests_the_geometry_not_only_its_box(session, grid):
    # the box (12, 12)-(12.5, 12.5) lies in the L's bounding box but outside the L
    assert s.bbox_query(session, 12.0, 12.0, 12.5, 12.5) == []
    assert _names(s.bbox_query(session, 10.5, 12.0, 12.5, 12.5)) == ["L"]


def test_bbox_query_pages(session, grid):
    everything = s.bbox_query(session, -180, -90, 180, 90)
    assert len(everything) == 13  # 12 cells and the L; the object without geometry is not
    assert s.bbox_query(session, -180, -90, 180, 90, limit=5) == everything[:5]
    assert s.bbox_query(session, -180, -90, 180, 90, limit=5, offset=10) == everything[10:]
    assert s.bbox_query(session, -180, -90, 180, 90, offset=12) == everything[12:]


def test_bbox_query_refuses_a_bad_box(session):
    with pytest.raises(ValueError, match="min_lon must be <= max_lon"):
        s.bbox_query(session, 21.0, 50.0, 20.0, 51.0)
    with pytest.raises(ValueError, match=r"max_lat must be in -90\.\.90"):
        s.bbox_query(session, 20.0, 50.0, 21.0, 95.0)


# --- technogenic mineral formations ----------------------------------------------------------


def test_tmf_create_and_list(session, site):
    dump = insert_object(session, site_id=site.id, kind="tailings-storage", name="TS", area_ha=80)
    insert_tmf(
        session,
        site_id=site.id,
        object_id=dump.id,
        name="Tailings",
        tmf_class="concentration",
        mass_t=3.2e7,
        volume_m3=2.0e7,
        hazard_class=4,
        year=2021,
        composition={"SiO2": 0.55, "Fe2O3": 0.2},
        valuable_components={"Fe": 0.14},
    )
    insert_tmf(
        session,
        site_id=site.id,
        name="Slag",
        tmf_class="metallurgical",
        mass_t=1.0e6,
        hazard_class=3,
        year=2021,
    )
    assert [t.name for t in s.list_tmf(session, site_id=site.id).items] == ["Tailings", "Slag"]
    assert [t.name for t in s.list_tmf(session, hazard_class=3).items] == ["Slag"]
    tailings = s.list_tmf(session, tmf_class="concentration").items[0]
    assert tailings.valuable_components == {"Fe": 0.14}
    assert s.get_tmf(session, tailings.id).object_id == dump.id


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"mass_t": -1.0}, r"mass_t must be >= 0 t, got -1\.0"),
        ({"hazard_class": 6}, r"hazard_class must be in 1\.\.5, got 6"),
        ({"tmf_class": "chemical"}, r"tmf_class must be one of 'mining', 'concentration', "),
        ({"volume_m3": -2.0}, r"volume_m3 must be >= 0 m³, got -2\.0"),
        ({"composition": {"Fe": 0.7, "S": 0.4}}, r"must add up to <= 1, got 1\.1"),
    ],
)
def test_tmf_refuses_bad_values_and_stores_nothing(db_url, bad, message):
    args = {"name": "Dump", "tmf_class": "mining", "mass_t": 1.0, "hazard_class": 5, "year": 2020}
    with session_scope(db_url) as session:
        site_id = insert_site(session, name="S", region="R").id
    with pytest.raises(RecordValueError, match=message), session_scope(db_url) as session:
        insert_tmf(session, site_id=site_id, **{**args, **bad})
    with session_scope(db_url) as session:
        assert session.scalar(select(func.count()).select_from(Tmf)) == 0


def test_tmf_object_must_be_the_sites_own(session, site):
    other = insert_site(session, name="Other", region="R")
    foreign = insert_object(session, site_id=other.id, kind="internal-dump", name="D", area_ha=1)
    with pytest.raises(RecordValueError, match=r"belongs to site .* not to site"):
        insert_tmf(
            session,
            site_id=site.id,
            object_id=foreign.id,
            name="X",
            tmf_class="mining",
            mass_t=1.0,
            hazard_class=5,
            year=2020,
        )


# --- reclamation plans -----------------------------------------------------------------------

INPUTS = "a" * 64  # the project engine's hash of a project file (the workflow gives it)


def insert_fast_plan(session, site_id, **kwargs):
    """Insert the PR1 example as a plan, as the workflow does after validating it."""
    return insert_plan(
        session,
        site_id=site_id,
        project_toml=fast_project_text(),
        project_sha256=INPUTS,
        format_version=1,
        title="Coal open pit",
        **kwargs,
    )


def test_plan_stores_the_file_and_hash_as_given(session, site):
    plan = insert_fast_plan(session, site.id, submitted_on=date(2025, 3, 1))
    assert plan.project_toml == fast_project_text()
    assert plan.project_sha256 == INPUTS
    assert plan.result_json is None
    assert s.plan_result(plan) is None
    assert not s.plan_result_is_current(plan)
    with pytest.raises(RecordValueError, match="title must be non-empty text"):
        insert_plan(
            session,
            site_id=site.id,
            project_toml="",
            project_sha256=INPUTS,
            format_version=1,
            title=" ",
        )


def test_stored_result_records_version_and_inputs_hash(session, site):
    plan = insert_fast_plan(session, site.id)
    result = {"cost": {"bond_rub": 1234.5}, "meta": {"project_sha256": INPUTS}}
    set_plan_result(
        session, plan.id, result=result, postmine_version=postmine.__version__, inputs_sha256=INPUTS
    )
    assert s.plan_result(plan) == result
    assert (
        plan.result_json
        == '{"cost":{"bond_rub":1234.5},"meta":{"project_sha256":"' + INPUTS + '"}}'
    )
    assert plan.result_inputs_sha256 == INPUTS
    assert plan.result_computed_at is not None
    assert s.plan_result_is_current(plan)
    with pytest.raises(RecordValueError, match="the result was computed from inputs bbbbbbbbbbbb"):
        set_plan_result(session, plan.id, result={}, postmine_version="1", inputs_sha256="b" * 64)


def test_result_is_stale_after_a_version_change(session, site, monkeypatch):
    plan = insert_fast_plan(session, site.id)
    set_plan_result(
        session, plan.id, result={}, postmine_version=postmine.__version__, inputs_sha256=INPUTS
    )
    assert s.plan_result_is_current(plan)
    monkeypatch.setattr(postmine, "__version__", "99.0.0")
    assert not s.plan_result_is_current(plan)


def test_plan_approval(session, site):
    plan = insert_fast_plan(session, site.id, submitted_on=date(2025, 3, 1))
    with pytest.raises(RecordValueError, match="approved_on must not precede submission"):
        mark_plan_approved(session, plan.id, approved_on=date(2025, 2, 1))
    mark_plan_approved(session, plan.id, approved_on=date(2025, 4, 15))
    assert plan.approved_on == date(2025, 4, 15)
    with pytest.raises(RecordValueError, match="was approved on 2025-04-15"):
        mark_plan_approved(session, plan.id, approved_on=date(2025, 5, 1))
    assert [p.id for p in s.list_plans(session, site.id)] == [plan.id]


# --- financial assurance ---------------------------------------------------------------------


def test_assurance_from_a_computed_plan(session, site):
    plan = insert_fast_plan(session, site.id)
    with pytest.raises(RecordValueError, match="has no current computed bond"):
        insert_assurance(session, site_id=site.id, plan_id=plan.id)
    result = {"cost": {"bond_rub": 2_345_678.905}}
    version = postmine.__version__
    set_plan_result(session, plan.id, result=result, postmine_version=version, inputs_sha256=INPUTS)
    assurance = insert_assurance(session, site_id=site.id, plan_id=plan.id)
    assert_allclose(assurance.required_rub, 2_345_678.91, atol=KOPECK)


def test_deposits_releases_and_forfeits(session, site):
    a = insert_assurance(session, site_id=site.id, required_rub=1_000_000.0)
    insert_transaction(
        session, a.id, kind="deposit", amount_rub=600_000.004, transacted_on=date(2021, 1, 15)
    )
    insert_transaction(
        session, a.id, kind="deposit", amount_rub=400_000.0, transacted_on=date(2022, 1, 15)
    )
    act = insert_document(
        session,
        site_id=site.id,
        kind="acceptance-act",
        title="Act of the technical stage",
        uri="archive://acts/1",
        issued_on=date(2023, 6, 1),
        content=b"act",
    )
    insert_transaction(
        session,
        a.id,
        kind="release",
        amount_rub=300_000.0,
        transacted_on=date(2023, 6, 10),
        milestone="technical stage accepted",
        evidence_document_id=act.id,
    )
    insert_transaction(
        session, a.id, kind="forfeit", amount_rub=50_000.0, transacted_on=date(2024, 1, 1)
    )
    balance = s.assurance_balance(session, a.id)
    # 600 000.00 + 400 000.00 - 300 000.00 - 50 000.00 = 650 000.00 held; 0 still to deposit
    assert_allclose(balance.deposited_rub, 1_000_000.0, atol=KOPECK)
    assert_allclose(balance.released_rub, 300_000.0, atol=KOPECK)
    assert_allclose(balance.forfeited_rub, 50_000.0, atol=KOPECK)
    assert_allclose(balance.held_rub, 650_000.0, atol=KOPECK)
    assert_allclose(balance.shortfall_rub, 0.0, atol=KOPECK)
    assert [t.kind for t in a.transactions] == ["deposit", "deposit", "release", "forfeit"]
    assert a.transactions[0].amount_rub == pytest.approx(600_000.0, abs=KOPECK)


@pytest.mark.parametrize(
    ("kind", "kwargs", "message"),
    [
        ("release", {"amount_rub": 150.0, "milestone": "stage"}, "a release of 150.00 rub exceeds"),
        ("forfeit", {"amount_rub": 100.01}, "a forfeit of 100.01 rub exceeds the 100.00 rub held"),
        ("release", {"amount_rub": 10.0}, "milestone must be non-empty text"),
        ("deposit", {"amount_rub": 0.0}, r"amount_rub must be > 0 rub, got 0\.0"),
        ("deposit", {"amount_rub": -5.0}, r"amount_rub must be > 0 rub"),
        ("deposit", {"amount_rub": math.inf}, "amount_rub must be finite"),
        ("refund", {"amount_rub": 5.0}, "kind must be one of 'deposit', 'release', 'forfeit'"),
    ],
)
def test_bad_transactions_are_refused(session, site, kind, kwargs, message):
    a = insert_assurance(session, site_id=site.id, required_rub=100.0)
    insert_transaction(
        session, a.id, kind="deposit", amount_rub=100.0, transacted_on=date(2021, 1, 1)
    )
    with pytest.raises(RecordValueError, match=message):
        insert_transaction(session, a.id, kind=kind, transacted_on=date(2022, 1, 1), **kwargs)


def test_evidence_must_be_the_sites_own(session, site):
    other = insert_site(session, name="Other", region="R")
    foreign = insert_document(
        session,
        site_id=other.id,
        kind="report",
        title="R",
        uri="u",
        issued_on=date(2021, 1, 1),
        sha256="1" * 64,
    )
    a = insert_assurance(session, site_id=site.id, required_rub=100.0)
    with pytest.raises(RecordValueError, match="not to the assurance's site"):
        insert_transaction(
            session,
            a.id,
            kind="deposit",
            amount_rub=1.0,
            transacted_on=date(2021, 1, 1),
            evidence_document_id=foreign.id,
        )


def test_assurance_needs_an_amount(session, site):
    with pytest.raises(RecordValueError, match="give required_rub or a computed plan_id"):
        insert_assurance(session, site_id=site.id)
    with pytest.raises(RecordValueError, match="required_rub must be >= 0 rub"):
        insert_assurance(session, site_id=site.id, required_rub=-1.0)


# --- monitoring and documents ----------------------------------------------------------------


def test_monitoring_summaries(session, site):
    obj = insert_object(session, site_id=site.id, kind="external-dump", name="D", area_ha=10)
    common = {"site_id": site.id, "unit": "%", "source": "field survey", "object_id": obj.id}
    insert_monitoring_summary(
        session,
        parameter="vegetation_cover",
        value=42.0,
        criteria_met=False,
        period_start=date(2023, 6, 1),
        period_end=date(2023, 8, 31),
        **common,
    )
    insert_monitoring_summary(
        session,
        parameter="vegetation_cover",
        value=71.5,
        criteria_met=True,
        period_start=date(2024, 6, 1),
        period_end=date(2024, 8, 31),
        **common,
    )
    page = s.list_monitoring(session, site_id=site.id, parameter="vegetation_cover")
    assert [(m.value, m.criteria_met) for m in page.items] == [(42.0, False), (71.5, True)]
    with pytest.raises(RecordValueError, match="period_end must not precede period_start"):
        insert_monitoring_summary(
            session,
            parameter="ph",
            value=7.0,
            criteria_met=True,
            period_start=date(2024, 6, 2),
            period_end=date(2024, 6, 1),
            **common,
        )
    with pytest.raises(RecordValueError, match="value must be finite, got nan"):
        insert_monitoring_summary(
            session,
            parameter="ph",
            value=math.nan,
            criteria_met=True,
            period_start=date(2024, 6, 1),
            period_end=date(2024, 6, 1),
            **common,
        )


def test_documents_by_reference_and_checksum(session, site, tmp_path):
    content = "Акт приемки рекультивированных земель № 12".encode()
    path = tmp_path / "act.pdf"
    path.write_bytes(content)
    doc = insert_document(
        session,
        site_id=site.id,
        kind="acceptance-act",
        title="Act No. 12",
        uri=path.as_uri(),
        issued_on=date(2024, 10, 1),
        sha256=s.sha256_file(path),
    )
    assert doc.sha256 == hashlib.sha256(content).hexdigest()
    assert s.document_matches(doc, content)
    assert not s.document_matches(doc, content + b" ")
    assert [d.id for d in s.list_documents(session, site_id=site.id).items] == [doc.id]
    with pytest.raises(RecordValueError, match="give exactly one of sha256 or content"):
        insert_document(
            session, site_id=site.id, kind="report", title="T", uri="u", issued_on=date(2024, 1, 1)
        )
    with pytest.raises(RecordValueError, match="sha256 must be 64 hex digits"):
        insert_document(
            session,
            site_id=site.id,
            kind="report",
            title="T",
            uri="u",
            issued_on=date(2024, 1, 1),
            sha256="xyz",
        )


def test_as_dict_is_json_ready(session, site):
    row = s.as_dict(site)
    assert json.loads(json.dumps(row)) == row
    assert row["geometry"]["type"] == "Polygon"
    assert row["registered_on"] == "2020-01-10"
    assert "geometry" not in s.as_dict(site, geometry=False)


# --- sessions --------------------------------------------------------------------------------


def test_session_scope_commits_or_rolls_back(db_url):
    with session_scope(db_url) as session:
        insert_site(session, name="Kept", region="R")
    with pytest.raises(RuntimeError, match="boom"), session_scope(db_url) as session:
        insert_site(session, name="Lost", region="R")
        raise RuntimeError("boom")
    with session_scope(db_url) as session:
        assert [x.name for x in session.scalars(select(Site))] == ["Kept"]


def test_session_scope_refuses_a_database_without_schema(empty_db_url):
    expected = "has no registry schema: run `postmine registry init`"
    with pytest.raises(SchemaError, match=expected), session_scope(empty_db_url):
        pass
