"""One bilingual table of the quantities postmine reports: name, symbol, unit, en, ru, source.

Every quantity that a calculation row, a project table column, a report or the API shows is
declared once, in a TOML file of ``data/quantities/`` (one file per method family, e.g.
``machines.toml`` for 003's loader -> truck -> dozer chain)::

    [truck_trip_time_min]
    symbol = "T_р"
    unit = "min"
    en = "Truck trip time"
    ru = "Время рейса автосамосвала"
    source = "003, Eq. (4.4)"

The key is the descriptive snake_case name with its unit (STYLE.md: ``volume_m3``,
``area_ha``); ``unit`` is the unit of the reported value (``""`` when dimensionless);
``source`` names the document and equation or table. Keys are unique across all files.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

__all__ = ["QuantityInfo", "all_quantities", "quantity"]

_FIELDS = ("symbol", "unit", "en", "ru", "source")


@dataclass(frozen=True)
class QuantityInfo:
    """One row of the table of quantities.

    Parameters
    ----------
    key : str
        Descriptive name with the unit, e.g. ``"pit_bottom_area_m2"``.
    symbol : str
        The source document's symbol (``"S_пи"``), ``""`` when it has none.
    unit : str
        Unit of the reported value, ``""`` for a dimensionless one.
    en, ru : str
        The label in English and in Russian.
    source : str
        Document and equation or table, e.g. ``"004 PR1, Eq. 1.2"``.
    """

    key: str
    symbol: str
    unit: str
    en: str
    ru: str
    source: str

    def label(self, lang: str) -> str:
        """Return the label in ``lang`` (``"en"`` or ``"ru"``)."""
        if lang not in ("en", "ru"):
            raise ValueError(f"lang must be one of: en, ru; got {lang!r}")
        return self.en if lang == "en" else self.ru


def _parse(name: str, text: str) -> dict[str, QuantityInfo]:
    raw: dict[str, Any] = tomllib.loads(text)
    out: dict[str, QuantityInfo] = {}
    for key, row in raw.items():
        if not isinstance(row, dict):
            raise ValueError(f"data/quantities/{name}: {key} must be a table, got {row!r}")
        missing = [f for f in _FIELDS if f not in row]
        extra = sorted(set(row) - set(_FIELDS))
        if missing or extra:
            raise ValueError(
                f"data/quantities/{name}: [{key}] must have exactly the fields "
                f"{', '.join(_FIELDS)}; missing {missing}, unknown {extra}"
            )
        out[key] = QuantityInfo(key=key, **{f: str(row[f]) for f in _FIELDS})
    return out


@cache
def all_quantities() -> dict[str, QuantityInfo]:
    """Every declared quantity, key -> :class:`QuantityInfo`, from all files of the table.

    Raises
    ------
    ValueError
        If a file's row lacks a field or a key is declared in two files (both named).
    """
    folder = resources.files("postmine.data").joinpath("quantities")
    table: dict[str, QuantityInfo] = {}
    where: dict[str, str] = {}
    for ref in sorted(folder.iterdir(), key=lambda r: r.name):
        if not ref.name.endswith(".toml"):
            continue
        for key, info in _parse(ref.name, ref.read_text(encoding="utf-8")).items():
            if key in table:
                raise ValueError(
                    f"quantity {key!r} is declared twice: in {where[key]} and in {ref.name}"
                )
            table[key] = info
            where[key] = ref.name
    return table


def quantity(key: str) -> QuantityInfo:
    """Return the declared quantity ``key``.

    Raises
    ------
    ValueError
        If no file of ``data/quantities/`` declares ``key``.

    Examples
    --------
    >>> quantity("pit_bottom_area_m2").unit
    'm²'
    """
    table = all_quantities()
    if key not in table:
        raise ValueError(f"quantity {key!r} is not declared in data/quantities/*.toml")
    return table[key]
