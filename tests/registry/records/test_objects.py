"""Objects of disturbance on both backends: state history, acts, geometry, bounding boxes."""

from __future__ import annotations

from datetime import date

import pytest
from numpy.testing import assert_allclose
from shapely.geometry import LineString, Polygon, box

from postmine.db import RecordValueError
from postmine.registry import records as s
from postmine.registry.geometry import geodesic_area_ha
from postmine.registry.records.documents import insert_document
from postmine.registry.records.objects import (
    insert_object,
    insert_state_change,
    replace_object_geometry,
)
from postmine.registry.records.sites import insert_site

AREA_RTOL = 1e-6  # the backend's area against pyproj's (both geodesic on WGS 84)


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
