"""Territories: the area from the outline or given, never both (both backends)."""

from __future__ import annotations

import pytest
from numpy.testing import assert_allclose
from shapely.geometry import Point, box

from postmine.db import RecordValueError
from postmine.registry.geometry import geodesic_area_ha
from postmine.registry.records.territories import insert_territory

AREA_RTOL = 1e-6  # the backend's area against pyproj's (both geodesic on WGS 84)


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
