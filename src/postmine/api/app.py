"""The REST API application: :func:`create_app` builds it, :func:`serve` runs it with uvicorn.

Every route is under ``/api/v1``; the OpenAPI document is ``/api/v1/openapi.json`` and its
interactive page ``/api/v1/docs``. Errors are JSON:

=====  ==================================================================================
401    no token where one is needed, an unknown token, a malformed Authorization header
403    the token's role may not do this (a public token writing, an operator approving)
404    ``{"detail": "site 7 not found"}``: no such row, or a row of another operator's site
409    a release refused for want of evidence (the reason in ``detail``), or a conflicting
       concurrent write (retry)
422    ``{"detail": [{"loc": ["body", "mass_t"], "msg": ..., "type": ...}]}``: a field out of
       its range or list, checked by the request model (FastAPI's own body) or by the
       registry (:class:`~postmine.db.base.RecordValueError`, same shape); a bad
       project file names each bad field after ``project_toml``
503    the database has no registry schema or an older one (``postmine registry init``)
=====  ==================================================================================
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request, status
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError

import postmine
from postmine.api import (
    routes_assurance,
    routes_ledger,
    routes_monitoring,
    routes_plans,
    routes_quantities,
    routes_records,
    routes_registry,
    routes_stats,
)
from postmine.api.auth import RegistryConfig
from postmine.core.extras import require
from postmine.db import RecordValueError, SchemaError, current_revision, head_revision, resolve_url
from postmine.project.schema import ProjectFileError
from postmine.registry import actions
from postmine.registry.ledger.store import LedgerConflictError
from postmine.registry.records import NotFoundError

__all__ = ["API_PREFIX", "MAX_BODY_BYTES", "create_app", "serve"]

API_PREFIX = "/api/v1"
"""Path prefix of every route."""

MAX_BODY_BYTES = 32 * 2**20
"""Largest request body accepted (a project file, a document's bytes in base64). [byte]"""

_DESCRIPTION = """\
The registry of disturbed lands and technogenic mineral formations (TMF): territories,
sites, objects of disturbance, TMF, reclamation plans, financial assurance, monitoring,
documents, each site's digital passport and the tamper-evident ledger of every change.

**Authentication**: `Authorization: Bearer <token>`. Roles: *admin* and *regulator*
(everything; only admin creates tokens), *operator* (its own sites only; another operator's
site answers 404), *public* (read-only, no financial details). Without a token: the public
reads; every write answers 401.

**Units** are in the field names (`area_ha`, `mass_t`, `amount_rub`) and in every field's
description (`[ha]`) and `x-unit`. Amounts of money (`*_rub`) are hidden from the public.

**Lists** take `limit` (1..1000, default 50) and `offset` and answer
`{items, total, limit, offset, next_offset}`.
"""


def _loc_of_project_error(line: str) -> list[str]:
    """Split ``"costs.equipment.T-170.operator_rub_h: must be > 0"`` into its field path."""
    match = re.match(r"([A-Za-z0-9_.\[\]\"' -]+?): ", line)
    if match is None or " " in match.group(1).strip():
        return []
    return [p for p in match.group(1).split(".") if p]


def _json_safe(value: Any) -> Any:
    """Replace NaN and infinities (not JSON) by their text, at any depth."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_safe(v) for v in value]
    return value


def _request_validation(request: Request, exc: Exception) -> JSONResponse:
    """FastAPI's own 422 body, able to echo a NaN or infinite input."""
    assert isinstance(exc, RequestValidationError)
    detail = _json_safe(jsonable_encoder(exc.errors()))
    return JSONResponse({"detail": detail}, status_code=status.HTTP_422_UNPROCESSABLE_CONTENT)


def _not_found(request: Request, exc: Exception) -> JSONResponse:
    return JSONResponse({"detail": str(exc)}, status_code=status.HTTP_404_NOT_FOUND)


def _registry_value(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RecordValueError)
    detail = [{"loc": ["body", exc.field], "msg": str(exc), "type": "value_error"}]
    return JSONResponse({"detail": detail}, status_code=status.HTTP_422_UNPROCESSABLE_CONTENT)


def _project_file(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ProjectFileError)
    detail = [
        {
            "loc": ["body", "project_toml", *_loc_of_project_error(line)],
            "msg": line,
            "type": "project_file_error",
        }
        for line in exc.errors
    ]
    return JSONResponse({"detail": detail}, status_code=status.HTTP_422_UNPROCESSABLE_CONTENT)


def _conflict(request: Request, exc: Exception) -> JSONResponse:
    message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return JSONResponse(
        {"detail": f"the registry refused the change, try again: {message}"},
        status_code=status.HTTP_409_CONFLICT,
    )


def _schema(request: Request, exc: Exception) -> JSONResponse:
    return JSONResponse({"detail": str(exc)}, status_code=status.HTTP_503_SERVICE_UNAVAILABLE)


def create_app(db_url: str | None = None, keys_dir: Path | None = None) -> FastAPI:
    """Build the REST API of a registry.

    Parameters
    ----------
    db_url : str, optional
        Database URL; else ``$POSTMINE_DB``, else the embedded default (see
        :func:`postmine.db.resolve_url`). Resolved once, here.
    keys_dir : Path, optional
        Directory of the signing keys of the acting parties (created on first use); else
        ``$POSTMINE_KEYS``, else ``~/.postmine/keys`` (see
        :func:`postmine.registry.actions.resolve_keys_dir`).

    Returns
    -------
    fastapi.FastAPI
        The application; its routes are under :data:`API_PREFIX`.

    Examples
    --------
    >>> import tempfile
    >>> from fastapi.testclient import TestClient
    >>> from postmine import db
    >>> tmp = tempfile.mkdtemp()
    >>> url = f"sqlite:///{tmp}/registry.sqlite"
    >>> _ = db.init_db(url)
    >>> client = TestClient(create_app(url, Path(tmp) / "keys"))
    >>> client.get("/api/v1/sites").json()
    {'items': [], 'total': 0, 'limit': 50, 'offset': 0, 'next_offset': None}
    >>> client.post("/api/v1/sites", json={"name": "Abaza", "region": "Khakassia"}).status_code
    401
    """
    config = RegistryConfig(url=resolve_url(db_url), keys_dir=actions.resolve_keys_dir(keys_dir))
    app = FastAPI(
        title="postmine registry",
        version=postmine.__version__,
        description=_DESCRIPTION,
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
        max_body_size=MAX_BODY_BYTES,
    )
    app.state.registry = config
    for module in (
        routes_registry,
        routes_plans,
        routes_assurance,
        routes_records,
        routes_ledger,
        routes_stats,
        routes_monitoring,
        routes_quantities,
    ):
        app.include_router(module.router, prefix=API_PREFIX)
    handlers: list[tuple[type[Exception], Any]] = [
        (RequestValidationError, _request_validation),
        (NotFoundError, _not_found),
        (RecordValueError, _registry_value),
        (ProjectFileError, _project_file),
        (LedgerConflictError, _conflict),
        (IntegrityError, _conflict),
        (SchemaError, _schema),
    ]
    for exc_class, handler in handlers:
        app.add_exception_handler(exc_class, handler)
    return app


def serve(
    db_url: str | None = None,
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    keys_dir: Path | None = None,
) -> None:
    """Run the REST API with uvicorn until interrupted.

    Parameters
    ----------
    db_url : str, optional
        Database URL (see :func:`create_app`).
    host : str
        Interface to listen on; the default serves this machine only.
    port : int
        TCP port.
    keys_dir : Path, optional
        Directory of the signing keys (see :func:`create_app`).

    Raises
    ------
    SchemaError
        If the database has no registry schema or an older one (run ``postmine registry
        init``); checked before the server starts.
    ImportError
        If uvicorn is not installed (``pip install 'postmine[server]'``).
    """
    uvicorn = require("uvicorn")
    url = resolve_url(db_url)
    found, head = current_revision(url), head_revision()
    if found != head:
        state = "no registry schema" if found is None else f"registry schema {found}"
        raise SchemaError(
            f"{url} has {state}, this postmine needs {head}: run `postmine registry init`"
        )
    uvicorn.run(create_app(url, keys_dir), host=host, port=port)
