"""``postmine plan``: one project file -> design, schedule, fleet, cost, assurance, reports."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from postmine.cli._errors import fail
from postmine.cli._progress import PROGRESS_OPTION, progress_bars

if TYPE_CHECKING:
    from rich.console import Console

    from postmine.project.model import AssuranceResult, CostResult, ProjectResult, Table

__all__ = ["plan_command"]

_SEVERITY_STYLE = {"violation": "bold red", "warning": "yellow", "info": "cyan"}


def _fmt(value: Any, lang: str = "en") -> str:
    """Format a table cell: a two-language text in ``lang``, numbers with thin groups."""
    if isinstance(value, dict) and "en" in value:
        return str(value.get(lang) or value["en"])
    if isinstance(value, bool):
        if lang == "ru":
            return "да" if value else "нет"
        return "yes" if value else "no"
    if isinstance(value, float):
        text = f"{value:,.0f}" if abs(value) >= 1e5 else f"{value:,.6g}"
        return text.replace(",", " ")
    if isinstance(value, int):
        return f"{value:,}".replace(",", " ") if abs(value) >= 10_000 else str(value)
    return "" if value is None else str(value)


def _short(text: str, width: int = 70) -> str:
    """Return ``text`` cut to ``width`` characters with an ellipsis (the report has it whole)."""
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _label(col_label: dict[str, str], unit: str, lang: str) -> str:
    label = col_label.get(lang) or col_label.get("en", "")
    return f"{label}, {unit}" if unit else label


def _render_table(console: Console, table: Table, lang: str) -> None:
    from rich.markup import escape
    from rich.table import Table as RichTable

    rt = RichTable(
        title=escape(f"{table.title.get(lang, table.title['en'])}  [{table.source}]"),
        title_justify="left",
    )
    for col in table.columns:
        rt.add_column(escape(_label(col.label, col.unit, lang)), justify="right")
    for row in table.rows:
        rt.add_row(*(escape(_fmt(row.get(c.key), lang)) for c in table.columns))
    console.print(rt)
    for note in table.notes:
        console.print(escape("  * " + note.get(lang, note["en"])), style="dim")


def render_summary(console: Console, result: ProjectResult, lang: str = "en") -> None:
    """Print a readable summary of a planned project."""
    from rich.markup import escape
    from rich.table import Table as RichTable

    meta = result.meta
    console.print(f"[bold]{escape(str(meta.get('name', '')))}[/bold]")
    console.print(
        escape(
            f"site: {meta.get('site', '')}; operator: {meta.get('operator', '')}; "
            f"rules: {meta.get('rule_set_id', '')}; postmine {meta.get('postmine_version', '')}; "
            f"inputs sha256 {str(meta.get('project_sha256', ''))[:12]}"
        )
    )
    findings = RichTable(title="Findings", title_justify="left")
    for col in ("severity", "code", "message"):
        findings.add_column(col)
    for f in result.findings:
        style = _SEVERITY_STYLE.get(f.severity, "")
        findings.add_row(
            f"[{style}]{f.severity}[/{style}]" if style else f.severity,
            escape(f.code),
            escape(f.message.get(lang, f.message["en"])),
        )
    console.print(findings)
    for table in result.tables:
        _render_table(console, table, lang)
    if result.cost is not None:
        _render_cost(console, result.cost)
        _render_liability(console, result.cost)
    if result.assurance is not None:
        _render_release(console, result.assurance)


def _render_cost(console: Console, c: CostResult) -> None:
    """Print the cost, the bond and the assurance: amount, basis, percentile, review."""
    from rich.markup import escape
    from rich.table import Table as RichTable

    cost = RichTable(title="Cost and financial assurance (rub)", title_justify="left")
    cost.add_column("item")
    cost.add_column("amount, rub", justify="right")
    cost.add_column("source")
    cost.add_row("direct cost (price base year)", _fmt(c.direct_rub), "")
    for line in c.indirect:
        name = line["name"].get("en", "") if isinstance(line["name"], dict) else line["name"]
        cost.add_row(
            escape(f"{name} ({_fmt(line['percent'])} %)"),
            _fmt(line["amount_rub"]),
            escape(_short(str(line.get("source", "")))),
        )
    cost.add_row("total (price base year)", _fmt(c.total_rub), "")
    cost.add_row(
        f"bond: largest liability of a year's state, undiscounted ({c.bond_year})",
        _fmt(c.bond_rub),
        "",
    )
    for name, value in c.percentiles_rub.items():
        cost.add_row(f"bond {escape(name)} (Monte Carlo)", _fmt(value), "")
    basis = (
        "deterministic bond"
        if c.assurance_basis == "deterministic"
        else (f"{c.assurance_basis} of the bond (Monte Carlo)")
    )
    cost.add_row(
        f"[bold]assurance: {escape(basis)}[/bold]",
        f"[bold]{_fmt(c.assurance_rub or c.bond_rub)}[/bold]",
        "",
    )
    if c.deterministic_percentile is not None:
        cost.add_row(
            f"deterministic bond at percentile {_fmt(c.deterministic_percentile)} "
            "of its distribution",
            "",
            "",
        )
    review = [y.year for y in c.liability_years if y.in_review]
    period = (
        "life of plan"
        if c.review != "rolling" or not review
        else f"rolling, {min(review)}-{max(review)}"
    )
    cost.add_row(f"review period: {escape(period)}", "", "")
    cost.add_row("provision: discounted present value", _fmt(c.provision_rub), "")
    console.print(cost)


def _render_liability(console: Console, c: CostResult) -> None:
    """Print L_t: the quantity outstanding of every task in each year's state, and its price."""
    from rich.markup import escape
    from rich.table import Table as RichTable

    if not c.liability_years:
        return
    units = {str(t.get("key")): str(t.get("unit", "")) for t in c.tasks}
    keys = list(units)
    for y in c.liability_years:
        keys += [k for k in y.outstanding if k not in keys]
    table = RichTable(
        title="Liability of each year's state (rub; * bond year)", title_justify="left"
    )
    table.add_column("year", justify="right")
    for key in keys:
        unit = units.get(key, "")
        table.add_column(escape(f"{key}, {unit}" if unit else key), justify="right")
    table.add_column("indirect %", justify="right")
    table.add_column("k_e", justify="right")
    table.add_column("liability, rub", justify="right")
    for y in c.liability_years:
        mark = "*" if y.year == c.bond_year else ("" if y.in_review else " (not in review)")
        table.add_row(
            f"{y.year}{mark}",
            *(_fmt(float(y.outstanding.get(k, 0.0))) for k in keys),
            _fmt(float(y.indirect_percent)),
            f"{y.escalation_factor:.4f}",
            _fmt(float(y.liability_rub)),
        )
    console.print(table)


def _render_release(console: Console, assurance: AssuranceResult) -> None:
    """Print the staged release; a milestone the plan does not reach says so."""
    from rich.markup import escape
    from rich.table import Table as RichTable

    rel = RichTable(title="Staged release of the assurance", title_justify="left")
    for col in (
        "milestone",
        "year",
        "requires",
        "release %",
        "released, rub",
        "held after, rub",
        "remaining liability, rub",
        "capped",
    ):
        rel.add_column(col, justify="left" if col in ("milestone", "requires") else "right")
    for r in assurance.releases:
        rel.add_row(
            escape(r.name),
            str(r.year) if r.reached and r.year is not None else "not reached",
            escape(", ".join(r.requires)),
            _fmt(r.release_percent),
            _fmt(r.released_rub),
            _fmt(r.held_after_rub),
            _fmt(r.remaining_liability_rub),
            _fmt(r.capped),
        )
    console.print(rel)


def _write_reports(result: ProjectResult, out: Path, lang: str) -> list[Path]:
    """Write report.html and report.xlsx into ``out``; exit 2 if they cannot be written."""
    from postmine.reports import write_report

    try:
        return list(write_report(result, out, lang=lang))
    except (OSError, ValueError) as exc:
        fail(f"report not written: {exc}")


def plan_command(
    project_file: Path = typer.Argument(..., help="Project file (TOML)."),
    as_json: bool = typer.Option(False, "--json", help="Print every table and cost as JSON."),
    out: Path | None = typer.Option(None, "--out", help="Write report.html and report.xlsx here."),
    lang: str = typer.Option("en", "--lang", help="Report language: en or ru."),
    progress: bool | None = PROGRESS_OPTION,
) -> None:
    """Plan the reclamation of a site: design, schedule, fleet, cost, bond and reports."""
    from rich.console import Console

    from postmine.project.plan import plan
    from postmine.project.schema import ProjectFileError

    if lang not in ("en", "ru"):
        fail(f"--lang must be one of: en, ru; got {lang!r}")
    with progress_bars(progress) as bars:
        bars.stage("plan")  # no count from the engine: the bar shows the time taken
        try:
            result = plan(project_file)
        except ProjectFileError as exc:
            fail(f"{exc.path}:\n  " + "\n  ".join(exc.errors))
        except ValueError as exc:
            fail(str(exc))
        if out is not None:
            bars.stage("reports")
            paths = _write_reports(result, out, lang)
    if out is not None:
        for p in paths:
            typer.echo(f"wrote {p}", err=True)
    if as_json:
        typer.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        console = Console()
        if not console.is_terminal:
            console = Console(width=160)
        render_summary(console, result, lang)
