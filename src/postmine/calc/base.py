"""The contract every calculation of ``postmine calc`` fulfils.

A :class:`Calculation` ties one method family of :mod:`postmine.methods` to

* a pydantic input model (field names from ``docs/glossary.md``, a unit in each field's
  description, physical ranges as constraints so bad input gives a field-level error);
* optionally a variant table of 004 shipped in :mod:`postmine.data` and a function turning
  one of its rows into inputs;
* optionally named worked examples of the sources (inputs only, never results);
* a ``compute`` function returning every intermediate and final :class:`Quantity`
  with its symbol, unit and the source's equation number or table reference.

Calculations register themselves with :func:`register` when their module in
:mod:`postmine.calc` is imported; :func:`postmine.calc.registry` imports them all.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict

from postmine.data.quantities import quantity

__all__ = [
    "Calculation",
    "CalculationInputs",
    "Quantity",
    "VariantUnavailableError",
    "register",
    "variant_value",
]

Value = float | int | str | bool


class CalculationInputs(BaseModel):
    """Base class of input models: unknown keys are errors, values are validated on assignment."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, frozen=False)


class VariantUnavailableError(ValueError):
    """A variant row cannot be used (missing row, or a field the extraction garbled)."""


@dataclass(frozen=True)
class Quantity:
    """One reported quantity of a calculation.

    Parameters
    ----------
    symbol : str
        The source document's symbol, e.g. ``"П_сзз"`` or ``"N_сп[БелАЗ-75404]"``.
    name : str
        Descriptive English name.
    value : float, int, str or bool
        The value in ``unit``.
    unit : str
        Unit of ``value`` (``""`` for dimensionless, ``"%"`` for percent).
    equation : str
        The source's equation number (``"3.17"``) or table reference (``"003 Table 12"``).
    note : str
        Optional remark, e.g. where the source prints a different number.
    """

    symbol: str
    name: str
    value: Value
    unit: str
    equation: str
    note: str = ""

    def __post_init__(self) -> None:
        if isinstance(self.value, float) and not math.isfinite(self.value):
            raise ValueError(f"{self.symbol} ({self.name}) is not a finite number: {self.value}")

    @classmethod
    def of(
        cls,
        key: str,
        value: Value,
        *,
        equation: str,
        note: str = "",
        item: str | Sequence[str] = (),
        **fields: str,
    ) -> Quantity:
        """Build the quantity ``key`` of the table of quantities (``data/quantities/*.toml``).

        The symbol, the English name and the unit are the table's. A row declared once for
        many items gets its item appended to the symbol (``item="SDLG L975F"``:
        ``V_п`` -> ``V_п[SDLG L975F]``, the item index rule of :mod:`postmine.data.quantities`);
        ``fields`` fill the placeholders of a row whose label names the item
        (``"П[{scheme}]"``).

        Parameters
        ----------
        key : str
            Key of the row, e.g. ``"slide_prism_width_m"``.
        value : float, int, str or bool
            The value, in the row's unit.
        equation : str
            The source's equation number or table reference.
        note : str
            Optional remark.
        item : str or sequence of str
            The machine, stream, pair or shape the value is for, appended to the symbol.
        **fields : str
            Values of the row's placeholders.

        Raises
        ------
        ValueError
            If the table has no row ``key``.
        KeyError
            If the row has a placeholder ``fields`` does not fill.

        Examples
        --------
        >>> Quantity.of("dilution_coefficient", 0.08, equation="5.3", scheme="A").symbol
        'р[A]'
        >>> Quantity.of("truck_payload_t", 30.0, equation="003 Table 10", item="BelAZ-75404").symbol
        'q_а[BelAZ-75404]'
        """
        info = quantity(key)
        symbol = info.indexed_symbol(item).format(**fields)
        name = info.en.format(**fields)
        return cls(symbol, name, value, info.unit, equation, note)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form ``{"symbol", "name", "value", "unit", "equation"[, "note"]}``.

        Floats keep 12 significant digits, which removes binary noise and nothing else.
        """
        value = self.value
        if isinstance(value, float):
            value = float(f"{value:.12g}")  # drop binary noise: 60.49999999999999 -> 60.5
        d: dict[str, Any] = {
            "symbol": self.symbol,
            "name": self.name,
            "value": value,
            "unit": self.unit,
            "equation": self.equation,
        }
        if self.note:
            d["note"] = self.note
        return d


@dataclass(frozen=True)
class Calculation:
    """A method family runnable from ``postmine calc``.

    Parameters
    ----------
    name : str
        CLI name, e.g. ``"truck-fleet"``.
    title : str
        One-line English title.
    source : str
        Source reference, e.g. ``"003, section 4.4, Tables 10-12"``.
    inputs_model : type[CalculationInputs]
        Pydantic model of the inputs.
    compute : callable
        ``compute(inputs) -> list[Quantity]``; raises ``ValueError`` on impossible input.
    variant_table : str or None
        Identifier of the 004 variant table (``"1.2"``) if the method has one.
    from_variant : callable or None
        ``from_variant(row) -> dict`` of inputs for one row of the variant table
        (a ``dict`` from :func:`postmine.data.variant_row`).
    examples : mapping
        Worked examples of the sources: name -> function returning the inputs ``dict``.
    """

    name: str
    title: str
    source: str
    inputs_model: type[CalculationInputs]
    compute: Callable[[Any], list[Quantity]]
    variant_table: str | None = None
    from_variant: Callable[[dict[str, Any]], dict[str, Any]] | None = None
    examples: Mapping[str, Callable[[], dict[str, Any]]] = field(default_factory=dict)

    def run(self, inputs: Mapping[str, Any]) -> tuple[CalculationInputs, list[Quantity]]:
        """Validate ``inputs`` against the model and compute.

        Raises
        ------
        pydantic.ValidationError
            If a field is missing, unknown or out of its range.
        ValueError
            If the method refuses the combination of inputs.
        """
        model = self.inputs_model.model_validate(dict(inputs))
        return model, self.compute(model)


_REGISTRY: dict[str, Calculation] = {}


def register(calculation: Calculation) -> Calculation:
    """Add ``calculation`` to the registry under its name and return it."""
    if calculation.name in _REGISTRY and _REGISTRY[calculation.name] is not calculation:
        raise ValueError(f"calculation {calculation.name!r} is registered twice")
    _REGISTRY[calculation.name] = calculation
    return calculation


def variant_value(row: Mapping[str, Any], key: str, table: str) -> Any:
    """Return ``row[key]`` of 004 variant table ``table``, refusing cells the source garbled.

    Raises
    ------
    VariantUnavailableError
        If the cell is empty (the row's ``note`` says what the source prints) or absent.
    """
    if key not in row:
        raise VariantUnavailableError(f"Table {table} of 004 has no column {key!r}")
    value = row[key]
    if value is None:
        note = row.get("note") or "the cell is not legible in the source"
        raise VariantUnavailableError(
            f"variant {row.get('variant')} of Table {table} of 004: {key} is unavailable "
            f"({note}); give the inputs with --input FILE instead"
        )
    return value
