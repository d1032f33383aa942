"""``postmine calc``: run one method of the sources and show every quantity."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from postmine.cli._errors import fail, format_validation_error

if TYPE_CHECKING:
    from rich.console import Console

    from postmine.calc.base import Calculation, CalculationInputs, Quantity

__all__ = ["calc_command"]


def _fmt(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        text = f"{value:,.0f}" if abs(value) >= 1e6 else f"{value:,.6g}"
        return text.replace(",", " ")
    if isinstance(value, int):
        return f"{value:,}".replace(",", " ") if abs(value) >= 10_000 else str(value)
    return str(value)


def _list(console: Console) -> None:
    from rich.markup import escape
    from rich.table import Table

    from postmine import calc as calculations

    table = Table(title="postmine calc methods", show_lines=False)
    table.add_column("method", style="bold", no_wrap=True)
    table.add_column("what it computes")
    table.add_column("source")
    table.add_column("variants / examples")
    for name, c in calculations.registry().items():
        extra = []
        if c.variant_table:
            extra.append(f"--variant (004 Table {c.variant_table})")
        if c.examples:
            extra.append("--example " + "|".join(c.examples))
        table.add_row(escape(name), escape(c.title), escape(c.source), escape("; ".join(extra)))
    console.print(table)


def _inputs_for(
    c: Calculation, variant: int | None, example: str | None, input_file: Path | None
) -> dict[str, Any]:
    from postmine.calc.inputs import read_inputs
    from postmine.data import variant_row

    chosen = [x is not None for x in (variant, example, input_file)]
    if sum(chosen) != 1:
        fail("give exactly one of --variant N, --example NAME or --input FILE")
    if variant is not None:
        if c.variant_table is None or c.from_variant is None:
            fail(f"{c.name} has no variant table; use --example or --input")
        return c.from_variant(variant_row(c.variant_table, variant))
    if example is not None:
        if example not in c.examples:
            known = ", ".join(c.examples) or "none"
            fail(f"example must be one of: {known} for {c.name}; got {example!r}")
        return c.examples[example]()
    assert input_file is not None
    return read_inputs(input_file)


def _render(
    console: Console, c: Calculation, model: CalculationInputs, results: list[Quantity]
) -> None:
    from rich.markup import escape
    from rich.table import Table

    console.print(f"[bold]{escape(c.title)}[/bold]  ({escape(c.name)}; source: {escape(c.source)})")
    inputs = Table(title="Inputs", title_justify="left")
    inputs.add_column("field")
    inputs.add_column("value", justify="right")
    inputs.add_column("description")
    for name, field in type(model).model_fields.items():
        value = getattr(model, name)
        shown = (
            _fmt(value)
            if not isinstance(value, list | dict)
            else json.dumps(_jsonable(value), ensure_ascii=False)
        )
        inputs.add_row(escape(name), escape(shown), escape(field.description or ""))
    console.print(inputs)
    out = Table(title="Results", title_justify="left")
    out.add_column("symbol", style="bold")
    out.add_column("quantity")
    out.add_column("value", justify="right")
    out.add_column("unit")
    out.add_column("source eq.")
    has_notes = any(q.note for q in results)
    if has_notes:
        out.add_column("note", overflow="fold")
    for q in results:
        row = [q.symbol, q.name, _fmt(q.value), q.unit, q.equation]
        if has_notes:
            row.append(q.note)
        out.add_row(*(escape(cell) for cell in row))
    console.print(out)


def _jsonable(value: Any) -> Any:
    from postmine.calc.base import CalculationInputs

    if isinstance(value, CalculationInputs):
        return value.model_dump(mode="json")
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


def calc_command(
    method: str | None = typer.Argument(None, help="Method name; see --list."),
    list_methods: bool = typer.Option(False, "--list", help="List the methods and exit."),
    variant: int | None = typer.Option(
        None, "--variant", help="Use row N of the method's 004 variant table."
    ),
    example: str | None = typer.Option(
        None, "--example", help="Use a worked example of the sources (pr3, abaza)."
    ),
    input_file: Path | None = typer.Option(
        None, "--input", help="JSON or TOML file with the method's inputs."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of tables."),
) -> None:
    """Run METHOD of the source documents and show every intermediate and final quantity."""
    from pydantic import ValidationError
    from rich.console import Console

    from postmine import calc as calculations

    console = Console()
    if not console.is_terminal:
        console = Console(width=140)  # piped or captured: wide enough for the tables
    if list_methods:
        _list(console)
        return
    if method is None:
        fail("give a METHOD (see postmine calc --list)")
    try:
        c = calculations.get(method)
        inputs = _inputs_for(c, variant, example, input_file)
        model, results = c.run(inputs)
    except ValidationError as exc:
        fail(format_validation_error(exc, where=f"{method} inputs"))
    except ValueError as exc:
        fail(str(exc))
    if as_json:
        doc = {
            "method": c.name,
            "source": c.source,
            "inputs": model.model_dump(mode="json"),
            "results": [q.to_dict() for q in results],
        }
        typer.echo(json.dumps(doc, ensure_ascii=False, indent=2))
    else:
        _render(console, c, model, results)
