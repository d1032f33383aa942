"""Fixtures of the registry tests: the database backends of ``tests/db/conftest.py``.

``db_url``, ``empty_db_url``, ``pg_url`` and ``session`` (SQLite and PostgreSQL/PostGIS,
see ``tests/db/conftest.py``) are loaded from there by path, so the registry suite runs on
both backends like every suite with a database. The monitoring and API suites load this
file the same way.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

_DB_CONFTEST = Path(__file__).resolve().parents[1] / "db" / "conftest.py"
_spec = importlib.util.spec_from_file_location("_postmine_db_fixtures", _DB_CONFTEST)
assert _spec is not None and _spec.loader is not None
if _spec.name in sys.modules:  # loaded already by another suite's conftest
    _db_fixtures = sys.modules[_spec.name]
else:
    _db_fixtures = importlib.util.module_from_spec(_spec)
    sys.modules[_spec.name] = _db_fixtures
    _spec.loader.exec_module(_db_fixtures)

BACKENDS = _db_fixtures.BACKENDS
PG_ADMIN_URL = _db_fixtures.PG_ADMIN_URL
_pg_admin = _db_fixtures._pg_admin
_pg_module_db = _db_fixtures._pg_module_db
db_url = _db_fixtures.db_url
empty_db_url = _db_fixtures.empty_db_url
pg_url = _db_fixtures.pg_url
session = _db_fixtures.session
