"""Connecting to the postmine database: URL, engines, sessions and schema migrations.

The registry, its statistics and monitoring live in one database given by a SQLAlchemy URL:
the ``--db URL`` option of the CLI, else the ``POSTMINE_DB`` environment variable, else the
embedded default ``sqlite:///postmine-registry.sqlite`` in the working directory
(:func:`resolve_url`). PostgreSQL URLs (``postgresql://user@host/db``) use the psycopg 3
driver.

:func:`init_db` creates or upgrades the schema by running the Alembic migrations of
``postmine/db/migrations`` to their head (every table of every floor: migrations are explicit
``op`` scripts and need no model); the database records its schema version in Alembic's
``alembic_version`` table. :func:`session_scope` opens a session that commits on
success and rolls back on any exception; it refuses a database whose schema is missing or
older than this postmine's, naming the command that fixes it.

One engine is kept per URL for the life of the process (:func:`get_engine`);
:func:`dispose_engine` closes its connections (needed before dropping a database).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

from postmine.core.extras import require

__all__ = [
    "DEFAULT_URL",
    "ENV_VAR",
    "MIGRATIONS_DIR",
    "SchemaError",
    "alembic_config",
    "current_revision",
    "dispose_engine",
    "downgrade_db",
    "get_engine",
    "head_revision",
    "include_in_autogenerate",
    "init_db",
    "resolve_url",
    "session_scope",
]

DEFAULT_URL = "sqlite:///postmine-registry.sqlite"
"""The embedded default database: a SQLite file in the working directory."""

ENV_VAR = "POSTMINE_DB"
"""Environment variable holding the database URL."""

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
"""Directory of the Alembic environment and its ``versions/``."""

_engines: dict[str, Engine] = {}
_checked: set[str] = set()
_lock = threading.Lock()


class SchemaError(RuntimeError):
    """The database has no registry schema, or an older or newer one than this postmine's."""


def resolve_url(url: str | None = None) -> str:
    """Return the database URL to use: ``url``, else ``$POSTMINE_DB``, else the default.

    A bare ``postgresql://`` URL is given the psycopg 3 driver.

    Parameters
    ----------
    url : str, optional
        URL given explicitly (the CLI's ``--db``).

    Returns
    -------
    str
        A SQLAlchemy URL.

    Raises
    ------
    ValueError
        If the URL cannot be parsed or names a backend other than SQLite or PostgreSQL.

    Examples
    --------
    >>> resolve_url("postgresql://postgres@127.0.0.1/registry")
    'postgresql+psycopg://postgres@127.0.0.1/registry'
    >>> resolve_url("sqlite:///tmp/r.sqlite")
    'sqlite:///tmp/r.sqlite'
    """
    text = url or os.environ.get(ENV_VAR) or DEFAULT_URL
    try:
        parsed = make_url(text)
    except Exception as exc:  # sqlalchemy raises ArgumentError with its own message
        raise ValueError(f"database URL cannot be parsed: {text!r} ({exc})") from None
    backend = parsed.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise ValueError(f"database URL must be sqlite:// or postgresql://, got {backend}://")
    if backend == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def _enable_sqlite_foreign_keys(dbapi_connection: Any, connection_record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def get_engine(url: str | None = None) -> Engine:
    """Return the engine of a database URL, created once per process.

    On SQLite, foreign keys are enforced (``PRAGMA foreign_keys=ON``) on every connection.

    Parameters
    ----------
    url : str, optional
        Database URL; see :func:`resolve_url`.

    Returns
    -------
    sqlalchemy.engine.Engine
        The engine.

    Raises
    ------
    ImportError
        If a PostgreSQL URL is given and psycopg is not installed (``postmine[postgres]``).
    """
    key = resolve_url(url)
    with _lock:
        engine = _engines.get(key)
        if engine is None:
            if make_url(key).get_backend_name() == "postgresql":
                require("psycopg")  # names the extra to install if the driver is missing
            engine = create_engine(key, pool_pre_ping=True)
            if engine.dialect.name == "sqlite":
                event.listen(engine, "connect", _enable_sqlite_foreign_keys)
            _engines[key] = engine
        return engine


def dispose_engine(url: str | None = None) -> None:
    """Close every pooled connection of a URL's engine and forget it."""
    key = resolve_url(url)
    with _lock:
        engine = _engines.pop(key, None)
        _checked.discard(key)
    if engine is not None:
        engine.dispose()


_SERVER_TABLES = frozenset({"spatial_ref_sys"})


def include_in_autogenerate(dialect: str) -> Callable[[Any, str | None, str, bool, Any], bool]:
    """Return Alembic's ``include_object`` filter for a dialect.

    It leaves out what the models create on another dialect only (the GIST indexes of
    PostGIS) and the tables PostGIS itself owns (``spatial_ref_sys``), so autogenerate and
    schema comparisons see only the registry's own differences.
    """

    def include_object(
        obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
    ) -> bool:
        if type_ == "table" and reflected and compare_to is None and name in _SERVER_TABLES:
            return False
        ddl_if = getattr(obj, "_ddl_if", None)
        return ddl_if is None or ddl_if.dialect in (None, dialect)

    return include_object


def alembic_config(target_metadata: MetaData | None = None) -> Config:
    """Return the Alembic configuration of postmine's migrations.

    Parameters
    ----------
    target_metadata : sqlalchemy.MetaData, optional
        The models' metadata, needed only to autogenerate or check a migration against the
        models (``Base.metadata`` once every model module is imported); running the
        migrations does not need it.

    Returns
    -------
    alembic.config.Config
        A configuration with ``script_location`` set to :data:`MIGRATIONS_DIR`.
    """
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if target_metadata is not None:
        cfg.attributes["target_metadata"] = target_metadata
    return cfg


def _run_alembic(key: str, step: Callable[[Config, str], None], revision: str) -> None:
    """Run an Alembic command in one transaction on the URL's engine.

    On SQLite, foreign keys are switched off while it runs: batch migrations rebuild a
    table by copying it, which enforced foreign keys would refuse or cascade.
    """
    cfg = alembic_config()
    with get_engine(key).connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        try:
            with connection.begin():
                cfg.attributes["connection"] = connection
                step(cfg, revision)
        finally:
            if sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()
    with _lock:
        _checked.discard(key)


def head_revision() -> str:
    """Return the schema revision this postmine's migrations end at."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:  # pragma: no cover - the package ships its migrations
        raise SchemaError(f"no migrations found in {MIGRATIONS_DIR}")
    return head


def current_revision(url: str | None = None) -> str | None:
    """Return the schema revision a database records, or None if it has no registry schema."""
    with get_engine(url).connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def init_db(url: str | None = None, revision: str = "head") -> str:
    """Create or upgrade the registry schema: ``alembic upgrade head``.

    Safe to run on a database that is already current (nothing happens). On PostgreSQL the
    first migration creates the PostGIS extension.

    Parameters
    ----------
    url : str, optional
        Database URL; see :func:`resolve_url`.
    revision : str
        Target revision, ``"head"`` by default.

    Returns
    -------
    str
        The revision the database is at afterwards.

    Raises
    ------
    SchemaError
        If PostgreSQL has no PostGIS (the message names the package to install).
    """
    key = resolve_url(url)
    _run_alembic(key, command.upgrade, revision)
    return current_revision(key) or "base"


def downgrade_db(url: str | None, revision: str) -> None:
    """Downgrade the registry schema to ``revision`` (``"base"`` removes every table)."""
    _run_alembic(resolve_url(url), command.downgrade, revision)


def _check_schema(key: str) -> None:
    if key in _checked:
        return
    found = current_revision(key)
    head = head_revision()
    if found != head:
        shown = make_url(key).render_as_string(hide_password=True)
        if found is None:
            raise SchemaError(f"{shown} has no registry schema: run `postmine registry init` first")
        raise SchemaError(
            f"{shown} has registry schema {found}, this postmine needs {head}: "
            "run `postmine registry init` to upgrade it"
        )
    with _lock:
        _checked.add(key)


@contextmanager
def session_scope(url: str | None = None) -> Iterator[Session]:
    """Open a session on the registry: commit when the block ends, roll back on an exception.

    Objects stay usable after the block (``expire_on_commit=False``).

    Parameters
    ----------
    url : str, optional
        Database URL; see :func:`resolve_url`.

    Yields
    ------
    sqlalchemy.orm.Session
        The session.

    Raises
    ------
    SchemaError
        If the database has no registry schema or not the current one.

    Examples
    --------
    >>> import tempfile
    >>> from sqlalchemy import text
    >>> url = f"sqlite:///{tempfile.mkdtemp()}/registry.sqlite"
    >>> init_db(url)
    '0003'
    >>> with session_scope(url) as session:
    ...     session.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    '0003'
    """
    key = resolve_url(url)
    _check_schema(key)
    factory = sessionmaker(bind=get_engine(key), expire_on_commit=False)
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
