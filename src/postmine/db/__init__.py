"""The database floor of postmine: declarative base, column types, engines and migrations.

Registry, statistics and monitoring tables live in one database (SQLite by default,
PostgreSQL/PostGIS by URL). This package holds what they share and nothing domain-specific:

:mod:`~postmine.db.base`
    :class:`Base` with the naming convention, :func:`col` (a column with its unit, meaning
    and allowed values), :func:`add_range_checks` (CHECK constraints and Python checks from
    those declarations), :func:`column_info` and :class:`RecordValueError`.
:mod:`~postmine.db.types`
    Portable column types: :class:`UTCDateTime`, :data:`PORTABLE_JSON`, :data:`MONEY`,
    :data:`SHA256_HEX` and :class:`PortableGeometry` (PostGIS or a WKB blob).
:mod:`~postmine.db.columns`
    Columns several floors declare alike: :func:`longitude_col`, :func:`latitude_col`,
    :func:`created_at_col`.
:mod:`~postmine.db.engine`
    Database URL (:func:`resolve_url`), engines (:func:`get_engine`), sessions
    (:func:`session_scope`) and the Alembic migrations of ``postmine/db/migrations``
    (:func:`init_db`, :func:`downgrade_db`), which create every table of every floor;
    :func:`alembic_config` for writing a new migration (``scripts/new_migration.py``).

It imports only :mod:`postmine.core`; the packages with models (registry, monitoring) sit on
it. ``Base.metadata`` holds the tables of the model modules imported so far: code that needs
all of them (a comparison with the migrated schema) imports those modules itself.
"""

from postmine.db.base import (
    NAMING_CONVENTION,
    Base,
    RecordValueError,
    add_range_checks,
    check_number,
    col,
    column_info,
)
from postmine.db.columns import created_at_col, latitude_col, longitude_col
from postmine.db.engine import (
    DEFAULT_URL,
    ENV_VAR,
    MIGRATIONS_DIR,
    SchemaError,
    alembic_config,
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
from postmine.db.types import (
    MONEY,
    PORTABLE_JSON,
    SHA256_HEX,
    SRID,
    PortableGeometry,
    UTCDateTime,
    from_wkb,
    to_wkb,
    utc_now,
    utc_today,
)

__all__ = [
    "DEFAULT_URL",
    "ENV_VAR",
    "MIGRATIONS_DIR",
    "MONEY",
    "NAMING_CONVENTION",
    "PORTABLE_JSON",
    "SHA256_HEX",
    "SRID",
    "Base",
    "PortableGeometry",
    "RecordValueError",
    "SchemaError",
    "UTCDateTime",
    "add_range_checks",
    "alembic_config",
    "check_number",
    "col",
    "column_info",
    "created_at_col",
    "current_revision",
    "dispose_engine",
    "downgrade_db",
    "from_wkb",
    "get_engine",
    "head_revision",
    "include_in_autogenerate",
    "init_db",
    "latitude_col",
    "longitude_col",
    "resolve_url",
    "session_scope",
    "to_wkb",
    "utc_now",
    "utc_today",
]
