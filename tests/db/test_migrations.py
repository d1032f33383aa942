"""Schema migrations: upgrade from empty, the version recorded, downgrade and upgrade again.

The migrations of :mod:`postmine.db` create every table of every floor; the model modules are
imported here so ``Base.metadata`` holds all of them for the comparison.
"""

from __future__ import annotations

import importlib.util
from datetime import date

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

import postmine.monitoring.models
import postmine.registry.models
import postmine.registry.statistics_model  # noqa: F401  (all three fill Base.metadata)
from postmine.db import (
    MIGRATIONS_DIR,
    Base,
    SchemaError,
    current_revision,
    downgrade_db,
    get_engine,
    head_revision,
    include_in_autogenerate,
    init_db,
    session_scope,
)
from postmine.registry import records
from postmine.registry.records.sites import insert_site

TABLES = set(Base.metadata.tables)
MONITORING_TABLES = {"sensors", "channels", "readings", "dead_letters", "alerts", "alert_events"}


def _tables(url: str) -> set[str]:
    with get_engine(url).connect() as connection:
        return set(inspect(connection).get_table_names())


HEAD = "0003"  # 0001 initial schema, 0002 statistics, 0003 monitoring


def test_head_is_the_latest_migration():
    assert head_revision() == HEAD


def test_the_metadata_compared_holds_every_floor():
    assert {"sites", "tmf", "statistics"} | MONITORING_TABLES <= TABLES


def test_upgrade_from_empty_records_the_version(empty_db_url):
    assert current_revision(empty_db_url) is None
    assert not _tables(empty_db_url) & TABLES
    assert init_db(empty_db_url) == HEAD
    assert current_revision(empty_db_url) == HEAD
    with get_engine(empty_db_url).connect() as connection:
        stored = connection.execute(text("SELECT version_num FROM alembic_version")).scalars()
        assert list(stored) == [HEAD]
    assert _tables(empty_db_url) >= TABLES | {"alembic_version"}
    assert init_db(empty_db_url) == HEAD  # a second run changes nothing


def test_migrated_schema_matches_the_models(empty_db_url):
    init_db(empty_db_url)
    with get_engine(empty_db_url).connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={
                "compare_type": True,
                "include_object": include_in_autogenerate(connection.dialect.name),
            },
        )
        assert compare_metadata(context, Base.metadata) == []
        inspector = inspect(connection)
        for table in Base.metadata.sorted_tables:
            names = (str(c.name) for c in table.constraints if c.name)
            declared = {n for n in names if n.startswith("ck_")}
            found = {str(c["name"]) for c in inspector.get_check_constraints(table.name)}
            assert declared <= found, f"{table.name}: missing {sorted(declared - found)}"


@pytest.mark.postgis
def test_postgis_and_gist_indexes(pg_url):
    with get_engine(pg_url).connect() as connection:
        version = connection.execute(
            text("SELECT extversion FROM pg_extension WHERE extname = 'postgis'")
        )
        assert version.scalar_one().startswith("3")
        indexes = dict(
            connection.execute(
                text("SELECT indexname, indexdef FROM pg_indexes WHERE indexname LIKE '%_geom'")
            ).all()
        )
        column_type = connection.execute(
            text(
                "SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
                "WHERE attrelid = 'disturbance_objects'::regclass AND attname = 'geom'"
            )
        ).scalar_one()
    for table in ("territories", "sites", "disturbance_objects"):
        assert "USING gist" in indexes[f"ix_{table}_geom"]
    assert column_type == "geometry(Geometry,4326)"


def test_ledger_entries_take_registry_wide_entries_at_every_revision(empty_db_url):
    """``ledger_entries.site_id`` is nullable since 0001, so the registry-wide entries (an
    operator or a territory registered, statistics imported: no site) need no migration."""
    for revision in ("0001", HEAD):
        init_db(empty_db_url, revision)
        with get_engine(empty_db_url).connect() as connection:
            inspector = inspect(connection)
            columns = {c["name"]: c for c in inspector.get_columns("ledger_entries")}
            foreign = inspector.get_foreign_keys("ledger_entries")
        assert columns["site_id"]["nullable"], revision
        assert [(f["constrained_columns"], f["referred_table"]) for f in foreign] == [
            (["site_id"], "sites")
        ]
        downgrade_db(empty_db_url, "base")


def test_downgrade_and_upgrade_round_trip(empty_db_url):
    init_db(empty_db_url)
    with session_scope(empty_db_url) as session:
        insert_site(session, name="Before", region="R", registered_on=date(2020, 1, 1))
    downgrade_db(empty_db_url, "base")
    assert current_revision(empty_db_url) is None
    assert not _tables(empty_db_url) & TABLES
    with pytest.raises(SchemaError, match="has no registry schema"), session_scope(empty_db_url):
        pass
    assert init_db(empty_db_url) == HEAD
    with session_scope(empty_db_url) as session:
        assert records.list_sites(session).total == 0  # the downgrade dropped the data
        site = insert_site(session, name="After", region="R")
        assert site.id == 1


def test_an_outdated_schema_is_named(empty_db_url, monkeypatch):
    init_db(empty_db_url)
    monkeypatch.setattr("postmine.db.engine.head_revision", lambda: "0099")
    expected = f"has registry schema {HEAD}, this postmine needs 0099"
    with pytest.raises(SchemaError, match=expected), session_scope(empty_db_url):
        pass


class _FakeBind:
    """A PostgreSQL connection whose server has no PostGIS."""

    class dialect:  # mimics Connection.dialect
        name = "postgresql"

    def execute(self, statement):
        class _Result:
            def first(self):
                return None

        return _Result()


def test_missing_postgis_names_the_package(monkeypatch):
    path = MIGRATIONS_DIR / "versions" / "0001_initial.py"
    spec = importlib.util.spec_from_file_location("db_migration_0001", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    class _Op:
        @staticmethod
        def get_bind():
            return _FakeBind()

        @staticmethod
        def execute(sql):  # pragma: no cover - must not be reached
            raise AssertionError(f"ran {sql}")

    monkeypatch.setattr(module, "op", _Op)
    with pytest.raises(SchemaError, match="install the package postgresql-15-postgis-3"):
        module.upgrade()
