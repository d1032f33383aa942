"""Rows as JSON, sessions that commit or roll back, a database without schema (both backends)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from postmine.db import SchemaError, session_scope
from postmine.registry import records as s
from postmine.registry.models import Site
from postmine.registry.records.sites import insert_site


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
