"""The declarative base of every postmine table and the one way a column is declared.

Every column carries ``info={"unit": ..., "description": ...}`` (:func:`col`); a column with
a range (``ge``/``gt``/``le``) or a closed list of values (``choices``) also carries them in
``info``, and from that one declaration :func:`add_range_checks` makes

* a named ``CHECK`` constraint in the database (``ck_<table>_<column>_range`` or
  ``ck_<table>_<column>_choice``), the last line of defence against bad rows from any
  client, and
* a check when the attribute is set in Python (constructor or assignment), raising
  :class:`RecordValueError` (a :class:`ValueError`) that names the column, the allowed
  range and the value: ``hazard_class must be in 1..5, got 6``.

The registry, statistics and monitoring tables are declared on :class:`Base`; a table is
part of ``Base.metadata`` once the module declaring it is imported.

Examples
--------
>>> from sqlalchemy import Float, Integer
>>> from sqlalchemy.orm import DeclarativeBase
>>> class Scratch(DeclarativeBase):  # a base of its own, so Base.metadata stays the models'
...     pass
>>> class Sample(Scratch):
...     __tablename__ = "samples"
...     id = col(Integer, primary_key=True, unit="-", description="Identifier.")
...     depth_m = col(Float, unit="m", description="Depth.", ge=0.0)
>>> add_range_checks(Sample)
>>> Sample(depth_m=-1.0)
Traceback (most recent call last):
...
postmine.db.base.RecordValueError: depth_m must be >= 0 m, got -1.0
"""

from __future__ import annotations

import math
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from sqlalchemy import CheckConstraint, Integer, MetaData, Table, event
from sqlalchemy.orm import DeclarativeBase, mapped_column

__all__ = [
    "NAMING_CONVENTION",
    "Base",
    "RecordValueError",
    "add_range_checks",
    "check_number",
    "col",
    "column_info",
]

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
"""Names of indexes and constraints, so migrations can refer to them on every backend."""


class RecordValueError(ValueError):
    """A value outside the range or the list of values its column allows.

    ``field`` names the column (also the record function's parameter), ``value`` is the value given.
    """

    def __init__(self, field: str, message: str, value: Any = None) -> None:
        self.field = field
        self.value = value
        super().__init__(message)


class Base(DeclarativeBase):
    """Declarative base of every postmine table (registry, statistics, monitoring)."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)

    def __repr__(self) -> str:
        keys = [str(c.key) for c in type(self).__mapper__.primary_key]
        shown = [f"{k}={getattr(self, k, None)!r}" for k in (*keys, "name") if hasattr(self, k)]
        return f"<{type(self).__name__} {' '.join(shown)}>"


def col(
    type_: Any,
    *args: Any,
    unit: str,
    description: str,
    nullable: bool = False,
    ge: float | None = None,
    gt: float | None = None,
    le: float | None = None,
    choices: tuple[str, ...] | None = None,
    **kwargs: Any,
) -> Any:
    """Declare a column with its unit, meaning and allowed values.

    Parameters
    ----------
    type_ : sqlalchemy type
        Column type.
    *args
        Further positional arguments of :func:`~sqlalchemy.orm.mapped_column` (a foreign key).
    unit : str
        Unit of the values, ``"-"`` for none.
    description : str
        What the column holds.
    nullable : bool
        Whether the column may be NULL.
    ge, gt, le : float, optional
        Bounds of the allowed range (>=, >, <=).
    choices : tuple of str, optional
        The only values allowed.
    **kwargs
        Passed on to :func:`~sqlalchemy.orm.mapped_column`.

    Returns
    -------
    sqlalchemy.orm.MappedColumn
        The column; the CHECK constraint and the Python check are added by
        :func:`add_range_checks` once the class is mapped.
    """
    info: dict[str, Any] = {"unit": unit, "description": description}
    for key, value in (("ge", ge), ("gt", gt), ("le", le), ("choices", choices)):
        if value is not None:
            info[key] = value
    return mapped_column(type_, *args, nullable=nullable, info=info, **kwargs)


def column_info(table: str) -> dict[str, dict[str, Any]]:
    """Return the declared ``info`` (unit, description, range, choices) of a table's columns.

    The table's model module must have been imported (``postmine.registry.models``,
    ``postmine.registry.statistics_model``, ``postmine.monitoring.models``).

    Parameters
    ----------
    table : str
        Table name, e.g. ``"tmf"``.

    Returns
    -------
    dict
        ``{column name: {"unit": ..., "description": ..., "ge": ..., "choices": ...}}``.

    Raises
    ------
    KeyError
        If there is no such table.

    Examples
    --------
    >>> column_info("no_such_table")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    KeyError: "no table 'no_such_table'; tables: [...]"
    """
    if table not in Base.metadata.tables:
        raise KeyError(f"no table {table!r}; tables: {sorted(Base.metadata.tables)}")
    return {c.name: dict(c.info) for c in Base.metadata.tables[table].columns}


def check_number(field: str, value: Any, shown: str | None = None) -> float:
    """Return a finite real number as float, or raise naming the field.

    Parameters
    ----------
    field : str
        Column (or record function parameter) the value is for; carried by the error.
    value : Any
        The value given (``int``, ``float`` or ``Decimal``; not ``bool``).
    shown : str, optional
        How the value is named in the message (``composition[Fe]``); ``field`` by default.

    Returns
    -------
    float
        The value as float.

    Raises
    ------
    RecordValueError
        If the value is not a number or not finite.

    Examples
    --------
    >>> check_number("value", 2)
    2.0
    >>> check_number("value", float("nan"))
    Traceback (most recent call last):
    ...
    postmine.db.base.RecordValueError: value must be finite, got nan
    """
    name = field if shown is None else shown
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise RecordValueError(field, f"{name} must be a number, got {value!r}", value)
    number = float(value)
    if not math.isfinite(number):
        raise RecordValueError(field, f"{name} must be finite, got {value!r}", value)
    return number


def _range_text(info: dict[str, Any]) -> str:
    """Return the allowed range of a column as people read it: ``in 1..5``, ``> 0 s``."""
    unit = info["unit"] if info["unit"] not in ("-", "year") else ""
    suffix = f" {unit}" if unit else ""
    if "ge" in info and "le" in info:
        return f"in {info['ge']:g}..{info['le']:g}{suffix}"
    if "gt" in info:
        return f"> {info['gt']:g}{suffix}"
    if "le" in info:
        return f"<= {info['le']:g}{suffix}"
    return f">= {info['ge']:g}{suffix}"


def _check_number_in_range(name: str, info: dict[str, Any], value: Any, integer: bool) -> Any:
    """Check a value against a column's declared bounds; a whole number for an integer column."""
    number = check_number(name, value)
    in_range = (
        ("ge" not in info or number >= info["ge"])
        and ("gt" not in info or number > info["gt"])
        and ("le" not in info or number <= info["le"])
    )
    if not in_range:
        raise RecordValueError(name, f"{name} must be {_range_text(info)}, got {value!r}", value)
    if integer:
        if number != int(number):
            raise RecordValueError(name, f"{name} must be a whole number, got {value!r}", value)
        return int(number)
    return value


def _attribute_check(
    name: str, info: dict[str, Any], nullable: bool, integer: bool
) -> Callable[[Any, Any, Any, Any], Any]:
    """Return the ``set`` event listener that checks a column's declared range or choices."""
    choices = info.get("choices")

    def check(target: Any, value: Any, oldvalue: Any, initiator: Any) -> Any:
        if value is None:
            if nullable:
                return None
            raise RecordValueError(name, f"{name} is required", value)
        if choices is not None:
            if value not in choices:
                allowed = ", ".join(repr(c) for c in choices)
                raise RecordValueError(
                    name, f"{name} must be one of {allowed}, got {value!r}", value
                )
            return value
        return _check_number_in_range(name, info, value, integer)

    return check


def _check_constraint(column_name: str, info: dict[str, Any]) -> CheckConstraint | None:
    """Return the CHECK constraint of a column's declared choices or range, if it has one."""
    if "choices" in info:
        values = ", ".join(f"'{c}'" for c in info["choices"])
        return CheckConstraint(f"{column_name} IN ({values})", name=f"{column_name}_choice")
    if {"ge", "gt", "le"} & info.keys():
        parts = [
            f"{column_name} {op} {info[key]!r}"
            for key, op in (("ge", ">="), ("gt", ">"), ("le", "<="))
            if key in info
        ]
        return CheckConstraint(" AND ".join(parts), name=f"{column_name}_range")
    return None


def add_range_checks(model: type[Any]) -> None:
    """Add the CHECK constraints and Python checks declared in a mapped class's columns.

    Call it once per class, after the class is declared (see the module example).

    Parameters
    ----------
    model : type
        A mapped class whose columns were declared with :func:`col`.
    """
    table = model.__table__
    assert isinstance(table, Table)
    for column in table.columns:
        constraint = _check_constraint(column.name, column.info)
        if constraint is None:
            continue
        table.append_constraint(constraint)
        integer = isinstance(column.type, Integer)
        check = _attribute_check(column.name, column.info, bool(column.nullable), integer)
        event.listen(getattr(model, column.key), "set", check, retval=True)
