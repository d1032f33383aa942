"""Rows of the operators (parties that operate sites): insert, read, list.

Row operations only: a new operator is registered through
:func:`postmine.registry.actions.register_operator`, which records it in the ledger.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from postmine.db import RecordValueError
from postmine.registry.models import Operator
from postmine.registry.records.common import (
    DEFAULT_LIMIT,
    Page,
    check_text,
    flush_row,
    get_row,
    paginate,
)

__all__ = ["find_operator", "get_operator", "insert_operator", "list_operators"]


def insert_operator(
    session: Session, *, name: str, tax_id: str | None = None, public_key: str | None = None
) -> Operator:
    """Insert an operator row (no ledger entry: see the module docstring).

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Session on the registry.
    name : str
        Name of the legal entity, unique in the registry. [-]
    tax_id : str, optional
        Taxpayer number or other identifier. [-]
    public_key : str, optional
        Ed25519 public key, hex (usually set later by the ledger). [-]

    Returns
    -------
    Operator
        The new row.

    Raises
    ------
    RecordValueError
        If the name is empty or already registered.
    """
    name = check_text("name", name)
    if find_operator(session, name) is not None:
        raise RecordValueError("name", f"operator {name!r} is already registered", name)
    return flush_row(session, Operator(name=name, tax_id=tax_id, public_key=public_key))


def get_operator(session: Session, operator_id: int) -> Operator:
    """Return an operator by id; raise :class:`NotFoundError` if there is none."""
    return get_row(session, Operator, operator_id, "operator")


def find_operator(session: Session, name: str) -> Operator | None:
    """Return the operator of that exact name, or None."""
    return session.scalars(select(Operator).where(Operator.name == name)).first()


def list_operators(
    session: Session, *, limit: int = DEFAULT_LIMIT, offset: int = 0
) -> Page[Operator]:
    """List operators by id."""
    return paginate(session, select(Operator).order_by(Operator.id), limit=limit, offset=offset)
