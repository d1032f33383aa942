r"""The Excel workbook of a project: one sheet per table, then findings, costs and release.

Every table sheet has two header rows, the column labels and their units (thousand m³,
thousand t, as the table keys carry them), and then the rows with unrounded values. Sheet
names are the table keys, made legal for Excel (at most 31 characters, none of ``[]:*?/\\``,
unique regardless of case). A first sheet, ``contents``, lists each sheet with its caption,
source and notes, and the meta of the run (postmine version, inputs hash, rule set).

Sheets after the tables: ``findings``, ``cost_lines``, ``cost_summary``, ``cost_by_year``,
``liability`` (the state of each year: quantity outstanding of every task, direct cost,
indirect percent, escalation factor and the liability L_t), ``liability_tasks`` (the tasks a
third party would carry out, with their unit costs and basis), ``release_schedule``, ``work``
and ``materials``.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from postmine.project.model import AssuranceResult, CostResult, ProjectResult, Table, Text
from postmine.reports.i18n import (
    activity_label,
    assurance_basis_text,
    check_lang,
    indirect_name,
    label,
    meta_rows,
    review_text,
    task_names,
    tr,
    unit_from_key,
    unit_label,
)

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet  # type: ignore[import-untyped,unused-ignore]

__all__ = ["MAX_SHEET_NAME", "sheet_name", "write_excel"]

MAX_SHEET_NAME = 31
"""Longest sheet name Excel accepts."""

_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_HEADER_ROWS = 2
_MONEY = "#,##0"


def sheet_name(key: str, taken: set[str]) -> str:
    """Return a legal, unused sheet name for ``key`` and add it to ``taken`` (lower case).

    Examples
    --------
    >>> taken: set[str] = set()
    >>> sheet_name("loader_output_per_shift_and_per_year_by_material", taken)
    'loader_output_per_shift_and_per'
    >>> sheet_name("Loader_output_per_shift_and_per_hour", taken)
    'Loader_output_per_shift_and_p~2'
    >>> sheet_name("a/b:c", taken)
    'a_b_c'
    """
    base = _FORBIDDEN.sub("_", key).strip("'") or "sheet"
    name = base[:MAX_SHEET_NAME]
    n = 1
    while name.lower() in taken or name.lower() == "history":
        n += 1
        suffix = f"~{n}"
        name = base[: MAX_SHEET_NAME - len(suffix)] + suffix
    taken.add(name.lower())
    return name


def _value(value: Any, lang: str, where: str) -> Any:
    """Return a cell value openpyxl writes: numbers as numbers, texts in ``lang``."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{where}: non-finite number {value}")
        return value
    if isinstance(value, dict):
        return tr(value, lang)
    if isinstance(value, list | tuple):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def _header(ws: Worksheet, labels: list[str], units: list[str]) -> None:
    from openpyxl.styles import (  # type: ignore[import-untyped,unused-ignore]
        Font,
        PatternFill,
    )
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped,unused-ignore]

    fill = PatternFill("solid", fgColor="EEF1F5")
    ws.append(labels)
    ws.append(units)
    for row in ws.iter_rows(min_row=1, max_row=_HEADER_ROWS):
        for cell in row:
            cell.fill = fill
            cell.font = Font(bold=cell.row == 1, italic=cell.row == 2)
    ws.freeze_panes = f"A{_HEADER_ROWS + 1}"
    for i, (text, unit) in enumerate(zip(labels, units, strict=True), start=1):
        width = min(60, max(10, len(str(text)) + 2, len(unit or "") + 2))
        ws.column_dimensions[get_column_letter(i)].width = width


def _table_sheet(ws: Worksheet, table: Table, lang: str) -> None:
    labels = [tr(c.label, lang) or c.key for c in table.columns]
    units = [unit_label(c.unit or unit_from_key(c.key), lang) for c in table.columns]
    _header(ws, labels, units)
    for i, row in enumerate(table.rows, start=1):
        ws.append(
            [
                _value(
                    unit_label(row[c.key], lang)
                    if c.key == "unit" and isinstance(row.get(c.key), str)
                    else row.get(c.key),
                    lang,
                    f"table {table.key!r}, row {i}, column {c.key!r}",
                )
                for c in table.columns
            ]
        )


def _rows_sheet(
    ws: Worksheet,
    heads: list[tuple[str | Text, str]],
    rows: list[list[Any]],
    lang: str,
    money_columns: tuple[int, ...] = (),
) -> None:
    labels = [tr(k, lang) if isinstance(k, dict) else label(k, lang) for k, _ in heads]
    _header(ws, labels, [unit_label(u, lang) for _, u in heads])
    for i, row in enumerate(rows, start=1):
        ws.append([_value(v, lang, f"sheet {ws.title!r}, row {i}") for v in row])
    for col in money_columns:
        for (cell,) in ws.iter_rows(min_row=_HEADER_ROWS + 1, min_col=col, max_col=col):
            cell.number_format = _MONEY


def _contents(
    ws: Worksheet, result: ProjectResult, sheets: list[tuple[str, str, str, str]], lang: str
) -> None:
    from openpyxl.styles import Font  # type: ignore[import-untyped,unused-ignore]

    meta = result.meta
    ws.append([tr(meta.get("name"), lang) or label("report_title", lang)])
    ws["A1"].font = Font(bold=True, size=13)
    for name, value in meta_rows(meta, lang):
        ws.append([name, value])
    ws.append([])
    ws.append([label(k, lang) for k in ("sheet", "caption", "source", "notes")])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for row in sheets:
        ws.append(list(row))
    for letter, width in (("A", 34), ("B", 60), ("C", 24), ("D", 80)):
        ws.column_dimensions[letter].width = width


@dataclass(frozen=True)
class _RowsSheet:
    """A sheet after the tables: its key, the label key of its caption, heads and rows.

    ``heads`` are (label key or two-language text, unit) pairs; ``money_columns`` the
    1-based columns shown as whole roubles.
    """

    key: str
    caption_key: str
    heads: list[tuple[str | Text, str]]
    rows: list[list[Any]]
    money_columns: tuple[int, ...] = ()


def write_excel(result: ProjectResult, path: Path, lang: str = "en") -> Path:
    """Write the workbook of a project to ``path`` and return the path.

    Parameters
    ----------
    result : ProjectResult
        What the engine computed for the project.
    path : Path
        The ``.xlsx`` file to write.
    lang : str
        ``"en"`` or ``"ru"``: language of the labels (sheet names stay the table keys).

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    ValueError
        If ``lang`` is not allowed or a value is not a finite number.
    """
    check_lang(lang)
    from openpyxl import Workbook  # type: ignore[import-untyped,unused-ignore]

    wb = Workbook()
    contents = wb.active
    assert contents is not None  # a new workbook has one sheet
    taken: set[str] = set()
    contents.title = sheet_name("contents", taken)

    listed: list[tuple[str, str, str, str]] = []
    for table in result.tables:
        ws = wb.create_sheet(sheet_name(table.key, taken))
        _table_sheet(ws, table, lang)
        notes = " ".join(tr(n, lang) for n in table.notes)
        listed.append((ws.title, tr(table.title, lang), table.source, notes))
    for extra in _rows_sheets(result, lang):
        ws = wb.create_sheet(sheet_name(extra.key, taken))
        listed.append((ws.title, label(extra.caption_key, lang), "postmine", ""))
        _rows_sheet(ws, extra.heads, extra.rows, lang, money_columns=extra.money_columns)
    _contents(contents, result, listed, lang)
    path = Path(path)
    wb.save(path)
    return path


def _rows_sheets(result: ProjectResult, lang: str) -> list[_RowsSheet]:
    """List the sheets after the tables in workbook order: findings, cost, release, work."""
    sheets = [_findings_sheet(result, lang)]
    if result.cost is not None:
        sheets += _cost_sheets(result.cost, lang)
        if result.cost.liability_years:
            sheets.append(_liability_sheet(result.cost, lang))
        if result.cost.tasks:
            sheets.append(_tasks_sheet(result.cost, lang))
    if result.assurance is not None:
        sheets.append(_release_sheet(result.assurance, result.cost, lang))
    sheets += [_work_sheet(result, lang), _materials_sheet(result, lang)]
    return sheets


def _findings_sheet(result: ProjectResult, lang: str) -> _RowsSheet:
    heads: list[tuple[str | Text, str]] = [
        ("severity", ""),
        ("code", ""),
        ("message", ""),
        ("value", ""),
        ("limit", ""),
        ("unit", ""),
        ("source", ""),
    ]
    rows = [
        [
            label(f"severity.{f.severity}", lang),
            f.code,
            tr(f.message, lang),
            f.value,
            f.limit,
            unit_label(f.unit, lang),
            f.source,
        ]
        for f in result.findings
    ]
    return _RowsSheet("findings", "findings", heads, rows)


def _cost_sheets(cost: CostResult, lang: str) -> list[_RowsSheet]:
    """Build the cost lines, cost summary (direct, indirect, bond, percentiles), cost by year."""
    line_heads: list[tuple[str | Text, str]] = [
        ("activity", ""),
        ("year", ""),
        ("category", ""),
        ("item", ""),
        ("quantity", ""),
        ("quantity_unit", ""),
        ("unit_rate", "rub"),
        ("amount", "rub"),
    ]
    lines = [
        [
            activity_label(c.activity, lang),
            c.year,
            c.category,
            c.item,
            c.quantity,
            c.quantity_unit,
            c.unit_rate_rub,
            c.amount_rub,
        ]
        for c in cost.lines
    ]
    summary_heads: list[tuple[str | Text, str]] = [
        ("cost_item", ""),
        ("percent", "%"),
        ("amount", "rub"),
        ("source", ""),
    ]
    years = sorted(set(cost.by_year_rub) | set(cost.escalated_by_year_rub))
    by_year = [
        [
            y,
            cost.by_year_rub.get(y),
            cost.escalated_by_year_rub.get(y),
            cost.liability_by_year_rub.get(y),
        ]
        for y in years
    ]
    year_heads: list[tuple[str | Text, str]] = [
        ("year", ""),
        ("cost_by_year", "rub"),
        ("cost_escalated", "rub"),
        ("liability", "rub"),
    ]
    return [
        _RowsSheet("cost_lines", "cost_lines", line_heads, lines, (8,)),
        _RowsSheet("cost_summary", "cost", summary_heads, _cost_summary(cost, lang), (3,)),
        _RowsSheet("cost_by_year", "by_year", year_heads, by_year, (2, 3, 4)),
    ]


def _cost_summary(cost: CostResult, lang: str) -> list[list[Any]]:
    """Return the rows (item, percent, amount in rub, source) of the cost summary sheet."""
    summary: list[list[Any]] = [[label("direct", lang), None, cost.direct_rub, None]]
    summary += [
        [
            tr(indirect_name(line, lang), lang),
            line.get("percent"),
            line.get("amount_rub"),
            line.get("source") or cost.sources.get(str(line.get("name", ""))),
        ]
        for line in cost.indirect
    ]
    summary += [
        [label("indirect_total", lang), None, cost.indirect_rub, None],
        [label("total", lang), None, cost.total_rub, None],
        [label("bond", lang), None, cost.bond_rub, None],
        [label("bond_year", lang), None, cost.bond_year, None],
        [label("provision", lang), None, cost.provision_rub, None],
        [
            assurance_basis_text(cost.assurance_basis, lang),
            None,
            cost.assurance_rub or cost.bond_rub,
            None,
        ],
    ]
    if cost.deterministic_percentile is not None:
        summary.append(
            [label("deterministic_percentile", lang), cost.deterministic_percentile, None, None]
        )
    summary.append([label("review_period", lang), None, None, review_text(cost, lang)])
    summary += [
        [label("percentile", lang, name=name, n=len(cost.samples_rub)), None, value, None]
        for name, value in cost.percentiles_rub.items()
    ]
    summary += [[key, None, None, value] for key, value in cost.sources.items()]
    return summary


def _liability_sheet(cost: CostResult, lang: str) -> _RowsSheet:
    """Build the sheet of L_t: one row per year, the quantity outstanding of every task."""
    keys = [str(t.get("key")) for t in cost.tasks]
    for year in cost.liability_years:
        keys += [k for k in year.outstanding if k not in keys]
    names = task_names(cost, lang)
    units = {str(t.get("key")): str(t.get("unit", "")) for t in cost.tasks}
    outstanding: list[tuple[str | Text, str]] = [
        ({lang: label("outstanding", lang, task=names.get(k, k))}, units.get(k, "")) for k in keys
    ]
    heads: list[tuple[str | Text, str]] = [
        ("year", ""),
        *outstanding,
        ("mobilisation", "rub"),
        ("liability_direct", "rub"),
        ("indirect_percent", "%"),
        ("escalation_factor", ""),
        ("liability_t", "rub"),
        ("in_review", ""),
        ("bond_year", ""),
    ]
    rows = [
        [
            y.year,
            *(y.outstanding.get(k, 0.0) for k in keys),
            y.mobilisation_rub,
            y.direct_rub,
            y.indirect_percent,
            y.escalation_factor,
            y.liability_rub,
            y.in_review,
            y.year == cost.bond_year,
        ]
        for y in cost.liability_years
    ]
    n = len(keys)
    money = (n + 2, n + 3, n + 6)
    return _RowsSheet("liability", "liability_years", heads, rows, money)


def _tasks_sheet(cost: CostResult, lang: str) -> _RowsSheet:
    """Build the sheet of the tasks priced in the liability: quantity, unit cost, basis."""
    heads: list[tuple[str | Text, str]] = [
        ("task_key", ""),
        ("task", ""),
        ("task_quantity", ""),
        ("unit", ""),
        ("unit_cost", ""),
        ("task_direct", "rub"),
        ("basis", ""),
        ("third_party_only", ""),
    ]
    rows = [
        [
            t.get("key"),
            tr(t.get("name"), lang),
            t.get("quantity"),
            unit_label(str(t.get("unit", "")), lang),
            t.get("unit_cost_rub"),
            t.get("direct_rub"),
            tr(t.get("basis"), lang),
            bool(t.get("third_party_only")),
        ]
        for t in cost.tasks
    ]
    return _RowsSheet("liability_tasks", "liability_tasks", heads, rows, (6,))


def _release_sheet(assurance: AssuranceResult, cost: CostResult | None, lang: str) -> _RowsSheet:
    """Build the release schedule: a milestone not reached has no year and ``reached`` false."""
    names = task_names(cost, lang)
    heads: list[tuple[str | Text, str]] = [
        ("milestone", ""),
        ("year", ""),
        ("evidence", ""),
        ("release_percent", "%"),
        ("released", "rub"),
        ("held_after", "rub"),
        ("remaining_liability", "rub"),
        ("capped", ""),
        ("requires", ""),
        ("state_year", ""),
        ("reached", ""),
    ]
    rows = [
        [
            r.name,
            r.year,
            r.evidence,
            r.release_percent,
            r.released_rub,
            r.held_after_rub,
            r.remaining_liability_rub,
            r.capped,
            "; ".join(names.get(k, k) for k in r.requires),
            r.state_year,
            r.reached,
        ]
        for r in assurance.releases
    ]
    return _RowsSheet("release_schedule", "release", heads, rows, (5, 6, 7))


def _work_sheet(result: ProjectResult, lang: str) -> _RowsSheet:
    heads: list[tuple[str | Text, str]] = [
        ("activity", ""),
        ("year", ""),
        ("equipment", ""),
        ("machine_hours", "h"),
        ("volume", "m³"),
    ]
    rows = [
        [activity_label(w.activity, lang), w.year, w.equipment, w.machine_hours, w.volume_m3]
        for w in result.work
    ]
    return _RowsSheet("work", "work", heads, rows)


def _materials_sheet(result: ProjectResult, lang: str) -> _RowsSheet:
    heads: list[tuple[str | Text, str]] = [
        ("activity", ""),
        ("year", ""),
        ("material", ""),
        ("quantity", ""),
        ("quantity_unit", ""),
    ]
    rows = [
        [
            activity_label(m.activity, lang),
            m.year,
            m.material,
            m.quantity,
            unit_label(m.unit, lang),
        ]
        for m in result.materials
    ]
    return _RowsSheet("materials", "materials", heads, rows)
