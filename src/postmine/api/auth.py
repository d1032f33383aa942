"""Who is asking and what they may see or change: API tokens, roles and site scoping.

Tokens
------
An API token is a random string (``pmt_`` and 43 URL-safe characters, 256 bits) created by
:func:`create_token` and shown once; the registry stores only its SHA-256
(``api_tokens.token_sha256``) with its role and, for an operator token, the operator it acts
for. A request carries it as ``Authorization: Bearer <token>``; an unknown token or a
malformed header is answered 401, never quietly treated as no token.

Roles
-----
================  =================================================================
``admin``         everything, and the only role that creates tokens
``regulator``     everything else: all sites, financial details, registering
                  operators and territories, approving plans, accepting stages by
                  act, recording a monitoring result as a milestone's evidence,
                  setting, releasing and forfeiting financial assurance
``operator``      its own sites only (``sites.operator_id``), financial details
                  included; registers its sites, objects, TMF, plans, documents and
                  monitoring results (without a milestone), computes its plans, pays
                  deposits. What frees money (acceptance of a stage, a milestone's
                  evidence, a release) is the regulator's.
``public``        read-only, every site, without financial details
no token          the same reads as ``public``; any write is answered 401
================  =================================================================

Another operator's site is answered **404** (``site 7 not found``), for reads and writes
alike and for everything that belongs to it (objects, TMF, plans, documents, assurances,
ledger entries): the answer is the same as for a site that does not exist, so a token
cannot even learn which ids exist. An operator token is the operator's credential for its
own records, not a reader's pass: other sites' public view is read without a token.

"Financial details" are every key ending in ``_rub``, the assurance endpoints (403 for
``public``, 401 without a token), a plan's project file (it holds the unit costs) and the
money sections of its computed result, and the amounts in ledger payloads.

Keys
----
Writes are signed in the ledger by the acting party's Ed25519 key, loaded from the server's
keyring under :attr:`Principal.name`: ``operator-<id>`` for an operator token (all tokens of
one operator sign as that operator), ``regulator`` and ``admin`` for the other roles.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, cast

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from postmine.db import RecordValueError, session_scope
from postmine.registry import actions, records
from postmine.registry.models import TOKEN_ROLES, ApiToken, Site, TokenRole

__all__ = [
    "ANONYMOUS",
    "TOKEN_PREFIX",
    "Context",
    "ContextDep",
    "FinancialDep",
    "Principal",
    "RegistryConfig",
    "WriterDep",
    "admin_only",
    "authority",
    "create_token",
    "get_context",
    "hash_token",
    "principal_for_token",
]

TOKEN_PREFIX = "pmt_"
"""Prefix of every API token (so a leaked one is recognisable in logs and scanners)."""

_AUTHORITIES = ("admin", "regulator")


def hash_token(token: str) -> str:
    """Return the SHA-256 of a token, hex: what the registry stores.

    Examples
    --------
    >>> hash_token("abc")[:16]  # the SHA-256 test vector of FIPS 180-2
    'ba7816bf8f01cfea'
    """
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(session: Session, role: str, operator_id: int | None = None) -> str:
    """Create an API token and return it; only its SHA-256 is stored.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Session on the registry (flushed, not committed).
    role : {"admin", "regulator", "operator", "public"}
        Role of the token.
    operator_id : int, optional
        Operator an operator token acts for; required for ``operator``, refused otherwise. [-]

    Returns
    -------
    str
        The token, to be given to its holder; it cannot be retrieved later.

    Raises
    ------
    RecordValueError
        If the role is unknown, an operator token has no operator, or another role has one.
    NotFoundError
        If the operator does not exist.

    Examples
    --------
    >>> import tempfile
    >>> from postmine import db
    >>> url = f"sqlite:///{tempfile.mkdtemp()}/registry.sqlite"
    >>> _ = db.init_db(url)
    >>> with db.session_scope(url) as session:
    ...     token = create_token(session, "regulator")
    ...     principal_for_token(session, token)
    Principal(role='regulator', operator_id=None, token_id=1)
    >>> with db.session_scope(url) as session:
    ...     create_token(session, "operator")
    Traceback (most recent call last):
    ...
    postmine.db.base.RecordValueError: an operator token needs operator_id
    """
    if role not in TOKEN_ROLES:
        allowed = ", ".join(repr(r) for r in TOKEN_ROLES)
        raise RecordValueError("role", f"role must be one of {allowed}, got {role!r}", role)
    if role == "operator":
        if operator_id is None:
            raise RecordValueError("operator_id", "an operator token needs operator_id")
        records.get_operator(session, operator_id)
    elif operator_id is not None:
        raise RecordValueError(
            "operator_id",
            f"only an operator token acts for an operator; a {role} token takes no operator_id",
            operator_id,
        )
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    session.add(ApiToken(token_sha256=hash_token(token), role=role, operator_id=operator_id))
    session.flush()
    return token


@dataclass(frozen=True)
class Principal:
    """The party behind a request: its role, its operator and its token.

    Attributes
    ----------
    role : {"admin", "regulator", "operator", "public"}
        Role of the token (``public`` without a token).
    operator_id : int or None
        Operator an operator token acts for. [-]
    token_id : int or None
        Row of ``api_tokens``; None without a token. [-]
    """

    role: TokenRole
    operator_id: int | None = None
    token_id: int | None = None

    @property
    def authenticated(self) -> bool:
        """Whether the request carried a valid token."""
        return self.token_id is not None

    @property
    def name(self) -> str:
        """Name the principal signs ledger entries with (its key in the keyring).

        Examples
        --------
        >>> Principal("operator", operator_id=3, token_id=9).name
        'operator-3'
        >>> Principal("regulator", token_id=1).name
        'regulator'
        """
        if self.role == "operator":
            return f"operator-{self.operator_id}"
        return self.role if self.authenticated else "anonymous"

    @property
    def is_authority(self) -> bool:
        """Admin or regulator: every site and every action."""
        return self.role in _AUTHORITIES

    @property
    def financial(self) -> bool:
        """Whether financial details (``*_rub``, assurances, project files) are shown."""
        return self.role != "public"

    def owns(self, site: Site) -> bool:
        """Whether the principal may see (and, if it can write, change) a site."""
        return self.role != "operator" or site.operator_id == self.operator_id


ANONYMOUS = Principal(role="public")
"""The principal of a request without a token: public reads, no writes."""


def principal_for_token(session: Session, token: str) -> Principal | None:
    """Return the principal of a token, or None if the registry does not know it."""
    digest = hash_token(token)
    row = session.scalars(select(ApiToken).where(ApiToken.token_sha256 == digest)).first()
    if row is None:
        return None
    return Principal(cast(TokenRole, row.role), operator_id=row.operator_id, token_id=row.id)


@dataclass(frozen=True)
class RegistryConfig:
    """What the API serves: the database URL and the directory of the signing keys."""

    url: str
    keys_dir: Path | None = None


def _unauthorized(detail: str) -> HTTPException:
    return HTTPException(
        status.HTTP_401_UNAUTHORIZED, detail=detail, headers={"WWW-Authenticate": "Bearer"}
    )


def _forbidden(detail: str) -> HTTPException:
    return HTTPException(status.HTTP_403_FORBIDDEN, detail=detail)


@dataclass(frozen=True)
class Context:
    """A request's registry and principal, with the access checks the routes use."""

    config: RegistryConfig
    principal: Principal

    @contextmanager
    def session(self) -> Iterator[Session]:
        """Open a session that commits at the end (:func:`~postmine.db.session_scope`)."""
        with session_scope(self.config.url) as session:
            yield session

    def actor(self) -> actions.Actor:
        """Return the principal's signing key from the server's keyring (created on first use)."""
        return actions.actor_from_keyring(self.principal.name, self.config.keys_dir)

    def require_write(self) -> None:
        """Refuse a request without a token (401) or with a read-only token (403)."""
        if not self.principal.authenticated:
            raise _unauthorized("a write needs an API token: send 'Authorization: Bearer <token>'")
        if self.principal.role == "public":
            raise _forbidden("a public token is read-only")

    def require_authority(self, action: str) -> None:
        """Refuse a write that only a regulator or admin may make (401/403)."""
        self.require_write()
        if not self.principal.is_authority:
            raise _forbidden(f"{action} needs a regulator or admin token")

    def require_admin(self, action: str) -> None:
        """Refuse a write that only an admin may make (401/403)."""
        self.require_write()
        if self.principal.role != "admin":
            raise _forbidden(f"{action} needs an admin token")

    def require_financial(self) -> None:
        """Refuse financial details without a token (401) or to the public (403)."""
        if not self.principal.authenticated:
            raise _unauthorized("financial details need an API token")
        if not self.principal.financial:
            raise _forbidden("financial details are not shown to a public token")

    def site(self, session: Session, site_id: int) -> Site:
        """Return a site the principal may see; another operator's site is 'not found'."""
        site = records.get_site(session, site_id)
        if not self.principal.owns(site):
            raise records.NotFoundError("site", site_id)
        return site

    def check_site_of(self, session: Session, entity: str, key: int, site_id: int | None) -> None:
        """Answer 404 for a row (``entity`` ``key``) of a site the principal may not see."""
        if self.principal.role != "operator":
            return
        site = None if site_id is None else session.get(Site, site_id)
        if site is None or not self.principal.owns(site):
            raise records.NotFoundError(entity, key)

    def site_scope(self, site_column: InstrumentedAttribute[Any]) -> ColumnElement[bool] | None:
        """Return the WHERE clause limiting a listing to the principal's sites (None: all)."""
        if self.principal.role != "operator":
            return None
        own = select(Site.id).where(Site.operator_id == self.principal.operator_id)
        return site_column.in_(own)

    def page(
        self,
        session: Session,
        stmt: Select[Any],
        site_column: InstrumentedAttribute[Any],
        *,
        limit: int,
        offset: int,
    ) -> records.Page[Any]:
        """Run a listing one page at a time, limited to the principal's sites."""
        scope = self.site_scope(site_column)
        if scope is not None:
            stmt = stmt.where(scope)
        return records.paginate(session, stmt, limit=limit, offset=offset)


_bearer = HTTPBearer(
    auto_error=False,
    description="API token: admin, regulator, operator (its own sites) or public (read-only).",
)


def get_context(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Context:
    """FastAPI dependency: the registry of the app and the principal of the request.

    Raises
    ------
    fastapi.HTTPException
        401 if an Authorization header is given but is not a known bearer token.
    """
    config: RegistryConfig = request.app.state.registry
    if credentials is None:
        if request.headers.get("authorization"):
            raise _unauthorized("the Authorization header must be 'Bearer <token>'")
        return Context(config, ANONYMOUS)
    with session_scope(config.url) as session:
        principal = principal_for_token(session, credentials.credentials)
    if principal is None:
        raise _unauthorized("unknown API token")
    return Context(config, principal)


ContextDep = Annotated[Context, Depends(get_context)]
"""Route parameter type of the request's :class:`Context`."""


def _writer(ctx: ContextDep) -> Context:
    ctx.require_write()
    return ctx


def _financial_reader(ctx: ContextDep) -> Context:
    ctx.require_financial()
    return ctx


WriterDep = Annotated[Context, Depends(_writer)]
"""Route parameter type of a write: 401 without a token, 403 to a public token.

Checked as a dependency, before the request body, so that a write without a token is
answered 401 whatever its body.
"""

FinancialDep = Annotated[Context, Depends(_financial_reader)]
"""Route parameter type of a financial read: 401 without a token, 403 to a public token."""


def authority(action: str) -> Any:
    """Return the dependency of a write only a regulator or admin may make (401/403 first).

    Use as ``ctx: Annotated[Context, authority("approving a plan")]``.
    """

    def dependency(ctx: ContextDep) -> Context:
        ctx.require_authority(action)
        return ctx

    return Depends(dependency)


def admin_only(action: str) -> Any:
    """Return the dependency of a write only an admin may make (401/403 first)."""

    def dependency(ctx: ContextDep) -> Context:
        ctx.require_admin(action)
        return ctx

    return Depends(dependency)
