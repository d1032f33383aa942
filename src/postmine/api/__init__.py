"""The REST API of the registry (FastAPI): every record, the passports and the ledger.

Modules
-------
:mod:`~postmine.api.app`
    :func:`create_app` (the application) and :func:`serve` (uvicorn); the error responses.
:mod:`~postmine.api.auth`
    API tokens (:func:`create_token`, stored hashed), roles and the :class:`Principal` of
    a request; which sites each role sees.
:mod:`~postmine.api.schemas`
    Request and response models, generated from (or checked against) the registry's
    columns so that the OpenAPI document carries their units and descriptions.
``routes_*``
    The endpoints, all under ``/api/v1``: ``routes_registry`` (operators, tokens,
    territories, sites, objects, TMF), ``routes_plans``, ``routes_assurance``,
    ``routes_records`` (monitoring, documents, passport), ``routes_ledger`` and
    ``routes_stats`` (aggregates, land-use indicators of 004 PR3).

Reads go through :mod:`postmine.registry.records`; every change of a passport through
:mod:`postmine.registry.actions`, which signs it in the ledger with the acting party's key.
Needs the ``server`` extra (``pip install 'postmine[server]'``).
"""

from __future__ import annotations

from postmine.core.extras import require

require("fastapi")

from postmine.api.app import API_PREFIX, create_app, serve  # noqa: E402
from postmine.api.auth import Principal, create_token  # noqa: E402

__all__ = ["API_PREFIX", "Principal", "create_app", "create_token", "serve"]
