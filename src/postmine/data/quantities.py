"""One bilingual table of the quantities postmine reports: name, symbol, unit, en, ru, source.

Every quantity that a calculation row, a project table column, a report or the API shows is
declared once, in a TOML file of ``data/quantities/`` (one file per method family, e.g.
``machines.toml`` for 003's loader -> truck -> dozer chain)::

    [truck_trip_time_min]
    symbol = "t_об"
    unit = "min"
    en = "duration of one trip"
    ru = "время одного рейса"
    source = "003 Table 11"

The key is the descriptive snake_case name with its unit (STYLE.md: ``volume_m3``,
``area_ha``); ``unit`` is the unit of the reported value (``""`` when dimensionless);
``source`` names the document and equation or table. Keys are unique across all files.

Rules every reporter of a quantity follows (``tests/data/test_quantities.py`` checks them):

Item index
    A row declared once for many items (a machine, a stream, a pair, a shape, a scheme)
    declares the bare symbol; the reporter appends the item in square brackets
    (:meth:`QuantityInfo.indexed_symbol`: ``V_п`` -> ``V_п[SDLG L975F]``,
    ``t_об`` -> ``t_об[tailings, KamAZ-6520]``). The name is not changed: where a label
    must name its item, the row says so with a placeholder (``"truck shifts, {truck}"``)
    filled by the reporter.
Units of a rate
    ``unit`` is the honest unit of the value, time part included (``thousand t/year``,
    ``day/year``), and the key carries every part of it (``..._thousand_t_year``).
Column and row keys
    A project table's JSON column key (or a parameter row's ``quantity``) is the table's
    own and may differ from the row that labels it: the column declares its row
    (:func:`postmine.project.model.quantity_column` with ``quantity=``). So one JSON key
    may be labelled by different rows in different tables (``shift_output_m3_shift`` is the
    loader's ``loader_shift_output_m3_shift`` in 003 Table 8 and the truck's
    ``truck_shift_output_m3_shift`` in Table 11), and a golden key without the ``/year``
    of its unit (``mass_thousand_t``) is labelled by a row whose key has it.
One label
    One quantity has one row and so one label: ``postmine calc`` prints ``en`` as the
    name, a table prints it capitalised and followed by the symbol.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
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

    def indexed_symbol(self, item: str | Sequence[str] = ()) -> str:
        """Return the symbol with ``item`` appended in brackets (the item index rule).

        Nothing is appended when ``item`` is empty or the row has no symbol.

        Examples
        --------
        >>> quantity("truck_payload_t").indexed_symbol("BelAZ-75404")
        'q_а[BelAZ-75404]'
        >>> quantity("truck_trip_time_min").indexed_symbol(("tailings", "KamAZ-6520"))
        't_об[tailings, KamAZ-6520]'
        """
        items = [item] if isinstance(item, str) else list(item)
        items = [i for i in items if i]
        if not items or not self.symbol:
            return self.symbol
        return f"{self.symbol}[{', '.join(items)}]"

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
