"""Reading the cells of imported files: text, numbers, dates, mass fractions, hazard classes.

Each parser returns the value or raises :class:`BadCell` whose message names the field and
the value; the importers turn it into a :class:`~postmine.registry.io.errors.RowProblem`.
"""

from __future__ import annotations

import json
import math
import numbers
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from postmine.db import Base

__all__ = [
    "ROMAN",
    "BadCell",
    "is_blank",
    "max_length_of",
    "parse_components",
    "parse_date",
    "parse_float",
    "parse_hazard_class",
    "parse_int",
    "parse_text",
]

ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5}
"""Hazard classes written as Roman numerals."""


class BadCell(Exception):
    """A cell that cannot be read; the message names the field and the value."""


def is_blank(raw: Any) -> bool:
    """Whether a cell is empty (None, blank text or NaN)."""
    if raw is None:
        return True
    if isinstance(raw, str):
        return not raw.strip()
    return isinstance(raw, float) and math.isnan(raw)


def parse_text(name: str, raw: Any, *, required: bool, max_length: int | None = None) -> str | None:
    """Return a cell as stripped text (None if blank and not ``required``)."""
    if is_blank(raw):
        if required:
            raise BadCell(f"{name} is required")
        return None
    text = str(raw).strip()
    if max_length is not None and len(text) > max_length:
        raise BadCell(f"{name} must be at most {max_length} characters, got {len(text)}")
    return text


def parse_float(name: str, raw: Any, *, required: bool) -> float | None:
    """Return a cell as a finite number (decimal point)."""
    if is_blank(raw):
        if required:
            raise BadCell(f"{name} is required")
        return None
    if isinstance(raw, bool):
        raise BadCell(f"{name} must be a number, got {raw!r}")
    if isinstance(raw, numbers.Real):
        number = float(raw)
    else:
        try:
            number = float(str(raw).strip())
        except ValueError:
            raise BadCell(f"{name} must be a number (decimal point), got {raw!r}") from None
    if not math.isfinite(number):
        raise BadCell(f"{name} must be finite, got {raw!r}")
    return number


def parse_int(name: str, raw: Any, *, required: bool) -> int | None:
    """Return a cell as a whole number."""
    number = parse_float(name, raw, required=required)
    if number is None:
        return None
    if number != int(number):
        raise BadCell(f"{name} must be a whole number, got {raw!r}")
    return int(number)


def parse_date(name: str, raw: Any, *, required: bool) -> date | None:
    """Return a cell as a date (``YYYY-MM-DD``, or a date an Excel sheet holds)."""
    if is_blank(raw):
        if required:
            raise BadCell(f"{name} is required")
        return None
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if hasattr(raw, "dtype") and str(getattr(raw, "dtype", "")).startswith("datetime64"):
        return parse_date(name, str(raw)[:10], required=required)
    try:
        return date.fromisoformat(str(raw).strip()[:10])
    except ValueError:
        raise BadCell(f"{name} must be a date YYYY-MM-DD, got {raw!r}") from None


def parse_components(name: str, raw: Any) -> dict[str, float]:
    """Return a cell as component -> mass fraction (a JSON object); {} if blank."""
    if is_blank(raw):
        return {}
    if isinstance(raw, Mapping):
        return dict(raw)
    try:
        value = json.loads(str(raw))
    except json.JSONDecodeError:
        raise BadCell(
            f'{name} must be a JSON object of mass fractions like {{"Fe": 0.3}}, got {raw!r}'
        ) from None
    if not isinstance(value, dict):
        raise BadCell(f"{name} must be a JSON object of mass fractions, got {raw!r}")
    return value


def parse_hazard_class(name: str, raw: Any) -> int | None:
    """Return a hazard class given as 1..5 or I..V."""
    if isinstance(raw, str) and raw.strip().upper() in ROMAN:
        return ROMAN[raw.strip().upper()]
    return parse_int(name, raw, required=True)


def max_length_of(model: type[Base], column: str) -> int | None:
    """Return the length of a text column of a model (None if unbounded)."""
    length = getattr(model.__table__.columns[column].type, "length", None)
    return int(length) if length else None
