"""Technogenic mineral formations on both backends: checked values, the site's own object."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from postmine.db import RecordValueError, session_scope
from postmine.registry import records as s
from postmine.registry.models import Tmf
from postmine.registry.records.objects import (
    insert_object,
)
from postmine.registry.records.sites import insert_site
from postmine.registry.records.tmf import insert_tmf


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
