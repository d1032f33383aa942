"""Sites on both backends: territory and operator, checked values, changes, pages."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from numpy.testing import assert_allclose
from shapely.geometry import Point, box

from postmine.db import RecordValueError
from postmine.registry import records as s
from postmine.registry.geometry import geodesic_area_ha
from postmine.registry.records.sites import change_site, insert_site

AREA_RTOL = 1e-6  # the backend's area against pyproj's (both geodesic on WGS 84)


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
