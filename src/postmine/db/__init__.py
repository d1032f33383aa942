"""The database floor of postmine: engines, sessions and schema migrations.

Registry, statistics and monitoring tables live in one database (SQLite by default,
PostgreSQL/PostGIS by URL). This package holds what they share and nothing domain-specific:

:mod:`~postmine.db.engine`
    Database URL (:func:`resolve_url`), engines (:func:`get_engine`), sessions
    (:func:`session_scope`) and the Alembic migrations of ``postmine/db/migrations``
    (:func:`init_db`, :func:`downgrade_db`).

It imports only :mod:`postmine.core`; the packages with models (registry, monitoring) sit on it.
"""

from postmine.db.engine import (
    DEFAULT_URL,
    ENV_VAR,
    MIGRATIONS_DIR,
    SchemaError,
    current_revision,
    dispose_engine,
    downgrade_db,
    get_engine,
    head_revision,
    include_in_autogenerate,
    init_db,
    resolve_url,
    session_scope,
)

__all__ = [
    "DEFAULT_URL",
    "ENV_VAR",
    "MIGRATIONS_DIR",
    "SchemaError",
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
