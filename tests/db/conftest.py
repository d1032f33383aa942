"""Fixtures of every suite with a database: one suite over SQLite and PostgreSQL/PostGIS.

``db_url``
    A database at the head revision, with no rows, for each test; parametrised over
    ``sqlite`` (a new file per test) and ``postgresql`` (one new database per test module,
    created at first use and dropped when the module ends, its tables emptied before each
    test). PostgreSQL tests carry the ``postgis`` marker.
``empty_db_url``
    A database with no schema at all (migration tests): a new SQLite file, or a new
    PostgreSQL database dropped after the test.
``pg_url``
    Like ``db_url``, PostgreSQL only (tests of PostGIS itself; mark them ``postgis``).
``session``
    A session on ``db_url``, rolled back and closed after the test.

The registry, monitoring and API suites load this file by path (``tests/registry/
conftest.py``). It imports every model module, so ``Base.metadata`` holds every table the
migrations create (emptying the tables, comparing the migrated schema with the models).

The PostgreSQL server is ``$POSTMINE_TEST_PG`` (a URL of its maintenance database),
``postgresql+psycopg://postgres@127.0.0.1:5432/postgres`` by default. When it cannot be
reached or has no PostGIS, PostgreSQL tests are skipped locally and FAIL when ``$CI`` is set.
Test databases are named ``postmine_test_<module>_<pid>_<random>``; no other database is
touched.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session

# every model module: Base.metadata then holds the registry, statistics and monitoring tables
import postmine.monitoring.models
import postmine.registry.models
import postmine.registry.statistics_model  # noqa: F401
from postmine.db import Base, dispose_engine, get_engine, init_db

PG_ADMIN_URL = os.environ.get(
    "POSTMINE_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgis)]


def _unavailable(reason: str) -> None:
    message = f"PostgreSQL/PostGIS unavailable: {reason}"
    if os.environ.get("CI"):
        pytest.fail(f"{message} (CI requires it: install postgresql-15-postgis-3)")
    pytest.skip(message)


@pytest.fixture(scope="session")
def _pg_admin() -> Iterator[Engine | str]:
    """An AUTOCOMMIT engine on the server's maintenance database, or why there is none."""
    engine = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            found = connection.execute(
                text("SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'")
            ).first()
    except Exception as exc:  # any failure to connect means "no server"
        engine.dispose()
        yield f"cannot connect to {make_url(PG_ADMIN_URL).render_as_string()}: {exc}"
        return
    if found is None:
        engine.dispose()
        yield "the server has no PostGIS extension"
        return
    yield engine
    engine.dispose()


def _admin_engine(request: pytest.FixtureRequest) -> Engine:
    admin = request.getfixturevalue("_pg_admin")
    if isinstance(admin, str):
        _unavailable(admin)
    assert isinstance(admin, Engine)
    return admin


def _new_database(admin: Engine, label: str) -> str:
    stem = re.sub(r"[^a-z0-9_]", "_", label.lower())[:30]
    name = f"postmine_test_{stem}_{os.getpid()}_{secrets.token_hex(3)}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    return make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)


def _drop_database(admin: Engine, url: str) -> None:
    dispose_engine(url)
    name = make_url(url).database
    assert name is not None and name.startswith("postmine_test_")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="module")
def _pg_module_db(request: pytest.FixtureRequest) -> Iterator[str]:
    """A PostgreSQL registry database at head for the whole test module."""
    admin = _admin_engine(request)
    url = _new_database(admin, request.module.__name__.rsplit(".", 1)[-1])
    try:
        init_db(url)
        yield url
    finally:
        _drop_database(admin, url)


def _empty_tables(url: str) -> None:
    names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with get_engine(url).begin() as connection:
        connection.execute(text(f"TRUNCATE TABLE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=BACKENDS)
def db_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """URL of an empty registry database at head, on each backend."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('registry')}/registry.sqlite"
        init_db(url)
        yield url
        dispose_engine(url)
    else:
        url = request.getfixturevalue("_pg_module_db")
        _empty_tables(url)
        yield url


@pytest.fixture(params=BACKENDS)
def empty_db_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """URL of a database without any schema, on each backend."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('empty')}/registry.sqlite"
        yield url
        dispose_engine(url)
    else:
        admin = _admin_engine(request)
        url = _new_database(admin, request.node.name)
        try:
            yield url
        finally:
            _drop_database(admin, url)


@pytest.fixture
def pg_url(request: pytest.FixtureRequest) -> str:
    """URL of an empty PostgreSQL registry database at head (PostgreSQL-only tests)."""
    url: str = request.getfixturevalue("_pg_module_db")
    _empty_tables(url)
    return url


@pytest.fixture
def session(db_url: str) -> Iterator[Session]:
    """A session on the test database; rolled back and closed after the test."""
    with Session(get_engine(db_url), expire_on_commit=False) as s:
        try:
            yield s
        finally:
            s.rollback()
