"""URLs, engines and the floor's independence (postmine.db.engine)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Index, MetaData, Table, text

from postmine.db import (
    DEFAULT_URL,
    ENV_VAR,
    MIGRATIONS_DIR,
    alembic_config,
    dispose_engine,
    get_engine,
    include_in_autogenerate,
    resolve_url,
)

ROOT = Path(__file__).resolve().parents[2]


def test_url_explicit_then_environment_then_default(monkeypatch):
    monkeypatch.setenv(ENV_VAR, "sqlite:///from-env.sqlite")
    assert resolve_url("sqlite:///given.sqlite") == "sqlite:///given.sqlite"
    assert resolve_url() == "sqlite:///from-env.sqlite"
    monkeypatch.delenv(ENV_VAR)
    assert resolve_url() == DEFAULT_URL


def test_postgresql_urls_get_the_psycopg_driver():
    assert resolve_url("postgresql://u:secret@h/db") == "postgresql+psycopg://u:secret@h/db"
    assert resolve_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://u@h/db", "must be sqlite:// or postgresql://, got mysql://"),
        ("not a url", "database URL cannot be parsed: 'not a url'"),
    ],
)
def test_bad_urls_are_refused(url, message):
    with pytest.raises(ValueError, match=message):
        resolve_url(url)


def test_one_engine_per_url_with_sqlite_foreign_keys(tmp_path):
    url = f"sqlite:///{tmp_path}/one.sqlite"
    engine = get_engine(url)
    assert get_engine(url) is engine
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
    dispose_engine(url)
    assert get_engine(url) is not engine
    dispose_engine(url)


def test_autogenerate_filter_leaves_out_other_dialects_and_postgis_tables():
    metadata = MetaData()
    table = Table("t", metadata)
    gist = Index("ix_t_geom", "geom", postgresql_using="gist").ddl_if(dialect="postgresql")
    on_sqlite = include_in_autogenerate("sqlite")
    on_postgresql = include_in_autogenerate("postgresql")
    assert not on_sqlite(gist, "ix_t_geom", "index", False, None)
    assert on_postgresql(gist, "ix_t_geom", "index", False, None)
    assert on_sqlite(table, "t", "table", False, None)
    assert not on_postgresql(None, "spatial_ref_sys", "table", True, None)


def test_alembic_config_points_at_the_migrations():
    metadata = MetaData()
    cfg = alembic_config(target_metadata=metadata)
    assert cfg.get_main_option("script_location") == str(MIGRATIONS_DIR)
    assert cfg.attributes["target_metadata"] is metadata
    assert (MIGRATIONS_DIR / "versions" / "0001_initial.py").is_file()


def test_the_floor_imports_nothing_above_core():
    code = (
        "import sys, postmine.db; "
        "print(sorted(m for m in sys.modules if m.startswith('postmine.') "
        "and not m.startswith(('postmine.db', 'postmine.core'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_migrations_match_the_models_of_every_floor():
    script = ROOT / "scripts" / "new_migration.py"
    out = subprocess.run(
        [sys.executable, str(script), "--check"], capture_output=True, text=True, check=False
    )
    assert out.returncode == 0, out.stderr
