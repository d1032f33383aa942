"""Alembic environment of the postmine database: runs the migrations in ``versions/``.

:func:`postmine.db.init_db` runs it programmatically with an open connection in
``config.attributes["connection"]``; the ``alembic`` command works too, with the URL from
``-x db=URL``, else ``$POSTMINE_DB``, else the default (:func:`postmine.db.resolve_url`).

The migrations are explicit ``op`` scripts and need no model. Autogenerating a new one
compares a database at head with the models, which live on the floors above this one, so the
caller passes their metadata in ``config.attributes["target_metadata"]``:
``python scripts/new_migration.py "what changes"`` imports every model module and does so.
SQLite migrations run in batch mode (``render_as_batch``), since SQLite cannot alter a
column in place.
"""

from __future__ import annotations

from alembic import context
from alembic.config import Config
from sqlalchemy.engine import Connection

from postmine.db.engine import get_engine, include_in_autogenerate, resolve_url


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=context.config.attributes.get("target_metadata"),
        render_as_batch=connection.dialect.name == "sqlite",
        include_object=include_in_autogenerate(connection.dialect.name),
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations() -> None:
    """Run the migrations on the given connection, or on a new one to the database URL."""
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    if context.is_offline_mode():
        raise RuntimeError("the registry migrations run online only (they inspect the server)")
    url = resolve_url(context.get_x_argument(as_dictionary=True).get("db"))
    with get_engine(url).begin() as connection:
        _run(connection)


_config: Config | None
try:
    _config = context.config
except AttributeError:  # imported outside an Alembic run (e.g. by pytest's doctest collection)
    _config = None
if _config is not None:
    run_migrations()
