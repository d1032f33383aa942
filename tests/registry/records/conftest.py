"""Fixtures of the tests of the registry's row operations: a site with its operator and territory.

The database fixtures (``db_url``, ``session`` ...) come from ``tests/registry/conftest.py``.
"""

from __future__ import annotations

from datetime import date

import pytest
from shapely.geometry import box

from postmine.registry.records.operators import insert_operator
from postmine.registry.records.sites import insert_site
from postmine.registry.records.territories import insert_territory


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
