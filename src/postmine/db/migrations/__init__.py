"""Alembic migrations of the registry schema (``env.py``, ``versions/``); run by ``db.init_db``."""
