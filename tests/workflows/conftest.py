"""Fixtures of the workflow tests: the database backends and a signing actor.

``db_url`` and ``session`` (SQLite and PostgreSQL/PostGIS) come from
``tests/db/conftest.py``, loaded by path as the registry suite does; ``actor`` is a
regulator whose key lives in the test's temporary directory.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from postmine.registry import actions

_DB_CONFTEST = Path(__file__).resolve().parents[1] / "db" / "conftest.py"
_spec = importlib.util.spec_from_file_location("_postmine_db_fixtures", _DB_CONFTEST)
assert _spec is not None and _spec.loader is not None
if _spec.name in sys.modules:  # loaded already by another suite's conftest
    _db_fixtures = sys.modules[_spec.name]
else:
    _db_fixtures = importlib.util.module_from_spec(_spec)
    sys.modules[_spec.name] = _db_fixtures
    _spec.loader.exec_module(_db_fixtures)

_pg_admin = _db_fixtures._pg_admin
_pg_module_db = _db_fixtures._pg_module_db
db_url = _db_fixtures.db_url
session = _db_fixtures.session


@pytest.fixture
def actor(tmp_path):
    return actions.actor_from_keyring("regulator", tmp_path / "keys")
