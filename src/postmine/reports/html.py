"""The HTML report of a project: one self-contained page with tables, cost, release and plots.

The page needs nothing but itself: styles are inline, plots are PNG images embedded as
``data:`` URIs, there are no scripts, fonts or links to fetch. Its order: title and meta
(postmine version, inputs hash, rule set), the findings (violations first, coloured by
severity), the tables in the section layout of 003 (see :mod:`postmine.reports.i18n`), the
cost summary, the staged release of the assurance, and the plots.

Numbers stay in the units of the table keys (thousand m³, thousand t), which every column
header states; amounts of money are whole roubles.
"""

from __future__ import annotations

import base64
import math
from html import escape
from pathlib import Path
from typing import Any

from postmine.project.model import (
    AssuranceResult,
    Column,
    CostResult,
    Finding,
    ProjectResult,
    Table,
)
from postmine.reports.i18n import (
    SECTIONS,
    Section,
    activity_label,
    assurance_basis_text,
    check_lang,
    format_money,
    format_number,
    indirect_name,
    label,
    meta_rows,
    percentile_text,
    review_text,
    section_of,
    table_number_003,
    task_names,
    tr,
    unit_from_key,
    unit_label,
)

__all__ = [
    "column_header",
    "format_factor",
    "to_html",
    "write_html",
]

_SEVERITY_ORDER = {"violation": 0, "warning": 1, "info": 2}

_CSS = """
body { font-family: "DejaVu Sans", Arial, sans-serif; margin: 2em auto; max-width: 72em;
       padding: 0 1em; color: #1d1d1d; line-height: 1.4; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.3em; margin-top: 1.8em; border-bottom: 1px solid #bbb; }
h3 { font-size: 1.1em; margin-top: 1.4em; }
p.subtitle { color: #555; margin-top: 0; }
table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.9em; }
caption { caption-side: top; text-align: left; font-weight: bold; padding: 0.3em 0; }
th, td { border: 1px solid #999; padding: 0.25em 0.5em; vertical-align: top; }
th { background: #eef1f5; font-weight: normal; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.unit { white-space: nowrap; color: #333; }
p.source { font-size: 0.85em; color: #555; margin: 0.2em 0; }
ul.notes { font-size: 0.85em; color: #444; margin: 0.2em 0 1em 0; }
table.findings td.severity { font-weight: bold; white-space: nowrap; }
tr.sev-violation td { background: #fbe3e1; }
tr.sev-violation td.severity { color: #a61b10; }
tr.sev-warning td { background: #fdf1d6; }
tr.sev-warning td.severity { color: #8a5a00; }
tr.sev-info td { background: #e5f0fa; }
tr.sev-info td.severity { color: #1e5a8a; }
figure { margin: 1em 0; }
figure img { max-width: 100%; height: auto; border: 1px solid #ddd; }
figcaption { font-size: 0.9em; color: #333; }
p.plot-note { font-style: italic; color: #666; }
"""


def _e(value: Any) -> str:
    return escape(str(value), quote=True)


def column_header(column: Column, lang: str) -> tuple[str, str]:
    """Return a column's label and unit in ``lang``; the unit from the key if not stated.

    Examples
    --------
    >>> from postmine.project.model import Column, text
    >>> column_header(Column("volume_thousand_m3", text("Volume", "Объем")), "ru")
    ('Объем', 'тыс. м³')
    """
    unit = column.unit or unit_from_key(column.key)
    return tr(column.label, lang) or column.key, unit_label(unit, lang)


def _header_cell(column: Column, lang: str) -> str:
    text, unit = column_header(column, lang)
    if unit and not text.endswith(unit):
        return f'<th scope="col">{_e(text)}, <span class="unit">{_e(unit)}</span></th>'
    return f'<th scope="col">{_e(text)}</th>'


def _shown(row: dict[str, Any], key: str, lang: str) -> Any:
    """Return a row's value; a column of units (key ``unit``) in the report's units."""
    value = row.get(key)
    if key == "unit" and isinstance(value, str):
        return unit_label(value, lang)
    return value


def _cell(value: Any, lang: str) -> str:
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"a table cell is {value}; the report prints finite numbers only")
    shown = format_number(value, lang)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f'<td class="num">{_e(shown)}</td>'
    if isinstance(value, dict):
        shown = tr(value, lang)
    return f"<td>{_e(shown)}</td>"


class _Numbering:
    """Table numbers of the report ("Таблица 4 – ...").

    When the result reproduces tables of 003 (a source such as ``"003 Table 4"``), those
    keep 003's numbers, so the report reads like the document it follows, and every other
    table is captioned without a number; otherwise the tables are numbered in order.
    """

    def __init__(self, result: ProjectResult, lang: str) -> None:
        self.lang = lang
        self.count = 0
        self.follows_003 = any(table_number_003(t.source) is not None for t in result.tables)
        self.used: set[int] = set()

    def caption(self, title: str, source: str = "") -> str:
        word = label("table", self.lang)
        if title.lower().startswith(word.lower()):
            return title
        if self.follows_003:
            number = table_number_003(source)
            if number is None or number in self.used:
                return title
            self.used.add(number)
        else:
            self.count += 1
            number = self.count
        return f"{word} {number} – {title}"


def _table(table: Table, lang: str, numbers: _Numbering) -> str:
    caption = numbers.caption(tr(table.title, lang) or table.key, table.source)
    parts = [
        f'<table class="data" id="table-{_e(table.key)}">',
        f"<caption>{_e(caption)}</caption>",
        "<thead><tr>",
        *(_header_cell(c, lang) for c in table.columns),
        "</tr></thead><tbody>",
    ]
    for row in table.rows:
        try:
            cells = "".join(_cell(_shown(row, c.key, lang), lang) for c in table.columns)
        except ValueError as exc:
            raise ValueError(f"table {table.key!r}: {exc}") from None
        parts.append(f"<tr>{cells}</tr>")
    parts.append("</tbody></table>")
    if table.source:
        parts.append(f'<p class="source">{_e(label("source", lang))}: {_e(table.source)}</p>')
    if table.notes:
        parts.append('<ul class="notes">')
        parts.extend(f"<li>{_e(tr(n, lang))}</li>" for n in table.notes)
        parts.append("</ul>")
    return "\n".join(parts)


def _simple_table(
    caption: str,
    headers: list[str],
    rows: list[list[str]],
    numeric: set[int],
    css: str = "",
    ident: str = "",
) -> str:
    """Return a table of formatted cells; ``numeric`` lists the right-aligned columns."""
    cls = f' class="{css}"' if css else ""
    tid = f' id="table-{_e(ident)}"' if ident else ""
    parts = [f"<table{tid}{cls}>"]
    if caption:
        parts.append(f"<caption>{_e(caption)}</caption>")
    parts.append("<thead><tr>" + "".join(f'<th scope="col">{h}</th>' for h in headers))
    parts.append("</tr></thead><tbody>")
    for row in rows:
        cells = "".join(
            f'<td class="num">{c}</td>' if i in numeric else f"<td>{c}</td>"
            for i, c in enumerate(row)
        )
        parts.append(f"<tr>{cells}</tr>")
    parts.append("</tbody></table>")
    return "\n".join(parts)


def _unit_th(key: str, unit: str, lang: str) -> str:
    return f'{_e(label(key, lang))}, <span class="unit">{_e(unit_label(unit, lang))}</span>'


# --- the parts of the page ----------------------------------------------------------------


def _meta(meta: dict[str, Any], lang: str) -> str:
    rows = [[_e(name), _e(value)] for name, value in meta_rows(meta, lang)]
    return (
        f'<section id="meta"><h2>{_e(label("meta", lang))}</h2>\n'
        + _simple_table("", [_e(label("parameter", lang)), _e(label("value", lang))], rows, set())
        + "</section>"
    )


def _findings(findings: list[Finding], lang: str) -> str:
    parts = [f'<section id="findings"><h2>{_e(label("findings", lang))}</h2>']
    if not findings:
        parts.append(f"<p>{_e(label('no_findings', lang))}</p></section>")
        return "\n".join(parts)
    heads = ("severity", "code", "message", "value", "limit", "unit", "source")
    parts.append('<table class="findings"><thead><tr>')
    parts.extend(f'<th scope="col">{_e(label(h, lang))}</th>' for h in heads)
    parts.append("</tr></thead><tbody>")
    ordered = sorted(findings, key=lambda f: _SEVERITY_ORDER.get(f.severity, 3))
    for f in ordered:
        severity = label(f"severity.{f.severity}", lang) if f.severity in _SEVERITY_ORDER else ""
        parts.append(
            f'<tr class="sev-{_e(f.severity)}">'
            f'<td class="severity">{_e(severity or f.severity)}</td>'
            f"<td>{_e(f.code)}</td>"
            f"<td>{_e(tr(f.message, lang))}</td>"
            f'<td class="num">{_e(format_number(f.value, lang))}</td>'
            f'<td class="num">{_e(format_number(f.limit, lang))}</td>'
            f"<td>{_e(unit_label(f.unit, lang))}</td>"
            f"<td>{_e(f.source)}</td></tr>"
        )
    parts.append("</tbody></table></section>")
    return "\n".join(parts)


def _works(result: ProjectResult, lang: str) -> str:
    """Section 1 of 003: the list of works, from the activities and their years."""
    if not result.activity_years:
        return ""
    items = "".join(
        f"<li>{_e(activity_label(a, lang))} ({first if first == last else f'{first}–{last}'})</li>"
        for a, (first, last) in sorted(result.activity_years.items(), key=lambda kv: kv[1])
    )
    return f"<p>{_e(label('works_intro', lang))}</p><ol>{items}</ol>"


def _stages(result: ProjectResult, lang: str, numbers: _Numbering) -> str:
    """Section 5 of 003: the stages of the works with their first and last years.

    Drawn from ``activity_years`` only when no table of the result belongs to section 5.
    """
    if not result.activity_years:
        return ""
    rows = [
        [_e(activity_label(a, lang)), str(first), str(last)]
        for a, (first, last) in sorted(result.activity_years.items(), key=lambda kv: kv[1])
    ]
    heads = [_e(label("activity", lang))] + [
        _unit_th(k, "year", lang) for k in ("first_year", "last_year")
    ]
    return _simple_table(numbers.caption(label("stages_title", lang)), heads, rows, {1, 2})


def _end_of_works(result: ProjectResult) -> int | None:
    return max((last for _, last in result.activity_years.values()), default=None)


def _sections(result: ProjectResult, lang: str, numbers: _Numbering) -> str:
    by_section: dict[str, list[Table]] = {}
    for table in result.tables:
        number = section_of(table.key, table.source).number or "other"
        by_section.setdefault(number, []).append(table)
    generated: dict[str, str] = {}
    parts: list[str] = []
    for number in SECTIONS:
        body: list[str] = []
        if number == "1":
            body.append(_works(result, lang))
        if number == "5" and not by_section.get(number):  # the engine's own timeline wins
            body.append(_stages(result, lang, numbers))
        if number == "6" and (end := _end_of_works(result)) is not None:
            body.append(f"<p>{_e(label('end_of_works', lang, year=end))}</p>")
        body.extend(_table(t, lang, numbers) for t in by_section.get(number, []))
        generated[number] = "\n".join(b for b in body if b)
    for number, section in SECTIONS.items():
        content = generated[number]
        children = [n for n in SECTIONS if n.startswith(number + ".")] if number else []
        if not content and not any(generated[c] for c in children):
            continue
        parts.append(_section_open(section, lang) + content + "</section>")
    return "\n".join(parts)


def _section_open(section: Section, lang: str) -> str:
    tag = "h2" if section.level == 1 else "h3"
    ident = f"section-{section.number}" if section.number else "section-other"
    return f'<section id="{_e(ident)}"><{tag}>{_e(section.heading(lang))}</{tag}>\n'


def _money(value: float, lang: str) -> str:
    return _e(format_money(value, lang))


def _quantity(value: float, lang: str) -> str:
    """Format a task's quantity: whole units in groups of three from 100 up, else as a number."""
    if abs(value) >= 100:
        return _e(format_money(value, lang))
    return _e(format_number(float(value), lang))


def _assurance_rows(cost: CostResult, lang: str) -> list[list[str]]:
    """Rows of the cost table on the assurance: amount and basis, percentile, review."""
    amount = cost.assurance_rub or cost.bond_rub
    rows = [
        [
            f"<b>{_e(assurance_basis_text(cost.assurance_basis, lang))}</b>",
            "",
            f"<b>{_money(amount, lang)}</b>",
            "",
        ]
    ]
    if cost.deterministic_percentile is not None:
        rows.append([_e(percentile_text(cost.deterministic_percentile, lang)), "", "", ""])
    rows.append([_e(f"{label('review_period', lang)}: {review_text(cost, lang)}"), "", "", ""])
    return rows


def _cost(cost: CostResult | None, lang: str, numbers: _Numbering) -> str:
    parts = [f'<section id="cost"><h2>{_e(label("cost", lang))}</h2>']
    if cost is None:
        parts.append(f"<p>{_e(label('cost_missing', lang))}</p></section>")
        return "\n".join(parts)
    rows: list[list[str]] = [[_e(label("direct", lang)), "", _money(cost.direct_rub, lang), ""]]
    for line in cost.indirect:
        amount = line.get("amount_rub")
        rows.append(
            [
                _e(tr(indirect_name(line, lang), lang)),
                _e(format_number(line.get("percent"), lang)),
                _money(amount, lang) if isinstance(amount, int | float) else "",
                _e(line.get("source") or cost.sources.get(str(line.get("name", "")), "")),
            ]
        )
    rows += [
        [_e(label("indirect_total", lang)), "", _money(cost.indirect_rub, lang), ""],
        [_e(label("total", lang)), "", _money(cost.total_rub, lang), ""],
        [f"<b>{_e(label('bond', lang))}</b>", "", f"<b>{_money(cost.bond_rub, lang)}</b>", ""],
        [_e(f"{label('bond_year', lang)}: {cost.bond_year}"), "", "", ""],
        *_assurance_rows(cost, lang),
        [_e(label("provision", lang)), "", _money(cost.provision_rub, lang), ""],
    ]
    for name, value in cost.percentiles_rub.items():
        rows.append(
            [
                _e(label("percentile", lang, name=name, n=len(cost.samples_rub))),
                "",
                _money(value, lang),
                "",
            ]
        )
    heads = [
        _e(label("cost_item", lang)),
        _unit_th("percent", "%", lang),
        _unit_th("amount", "rub", lang),
        _e(label("source", lang)),
    ]
    parts.append(_simple_table(numbers.caption(label("cost", lang)), heads, rows, {1, 2}))
    if cost.sources:
        source_rows = [[_e(k), _e(v)] for k, v in cost.sources.items()]
        parts.append(
            _simple_table(
                "", [_e(label("item", lang)), _e(label("source", lang))], source_rows, set()
            )
        )
    parts.append(_by_year(cost, lang, numbers))
    parts.append(_liability_years(cost, lang, numbers))
    parts.append(_liability_tasks(cost, lang, numbers))
    parts.append("</section>")
    return "\n".join(p for p in parts if p)


def _by_year(cost: CostResult, lang: str, numbers: _Numbering) -> str:
    """Return the cost of the works by year; L_t too when no state table shows it."""
    years = sorted(set(cost.by_year_rub) | set(cost.escalated_by_year_rub))
    if not years:
        return ""
    with_liability = not cost.liability_years
    rows = []
    for y in years:
        row = [
            str(y),
            _money(cost.by_year_rub.get(y, 0.0), lang),
            _money(cost.escalated_by_year_rub.get(y, 0.0), lang),
        ]
        if with_liability:
            value = cost.liability_by_year_rub.get(y)
            row.append("" if value is None else _money(value, lang))
        rows.append(row)
    heads = [
        _e(label("year", lang)),
        _unit_th("cost_by_year", "rub", lang),
        _unit_th("cost_escalated", "rub", lang),
    ]
    if with_liability:
        heads.append(_unit_th("liability", "rub", lang))
    numeric = set(range(len(heads)))
    return _simple_table(numbers.caption(label("by_year", lang)), heads, rows, numeric)


def format_factor(value: float, lang: str) -> str:
    """Format a dimensionless factor to four decimals, without trailing zeros.

    Examples
    --------
    >>> format_factor(1.1236, "ru")
    '1,1236'
    >>> format_factor(2.85433915291, "en")
    '2.8543'
    """
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if lang == "ru" else text


def _task_order(cost: CostResult) -> list[str]:
    """Keys of the tasks: those of ``cost.tasks`` in order, then any other outstanding one."""
    keys = [str(t.get("key")) for t in cost.tasks]
    for year in cost.liability_years:
        keys += [k for k in year.outstanding if k not in keys]
    return keys


def _liability_years(cost: CostResult, lang: str, numbers: _Numbering) -> str:
    """Return the table of L_t: each year's state (outstanding per task) and its price."""
    if not cost.liability_years:
        return ""
    keys = _task_order(cost)
    names = task_names(cost, lang)
    units = {str(t.get("key")): str(t.get("unit", "")) for t in cost.tasks}
    heads = [_e(label("year", lang))]
    for key in keys:
        name = label("outstanding", lang, task=names.get(key, key))
        unit = unit_label(units.get(key, ""), lang)
        heads.append(f'{_e(name)}, <span class="unit">{_e(unit)}</span>' if unit else _e(name))
    heads += [
        _unit_th("mobilisation", "rub", lang),
        _unit_th("liability_direct", "rub", lang),
        _unit_th("indirect_percent", "%", lang),
        _e(label("escalation_factor", lang)),
        _unit_th("liability_t", "rub", lang),
        _e(label("year_remark", lang)),
    ]
    rows = []
    for y in cost.liability_years:
        remark = ""
        if y.year == cost.bond_year:
            remark = f"<b>{_e(label('bond_year_mark', lang))}</b>"
        elif not y.in_review:
            remark = _e(label("outside_review", lang))
        liability = _money(y.liability_rub, lang)
        rows.append(
            [str(y.year)]
            + [_quantity(y.outstanding.get(k, 0.0), lang) for k in keys]
            + [
                _money(y.mobilisation_rub, lang),
                _money(y.direct_rub, lang),
                _e(format_number(float(y.indirect_percent), lang)),
                _e(format_factor(y.escalation_factor, lang)),
                f"<b>{liability}</b>" if y.year == cost.bond_year else liability,
                remark,
            ]
        )
    caption = numbers.caption(label("liability_years", lang))
    intro = f"<p>{_e(label('liability_intro', lang))}</p>"
    numeric = set(range(len(heads) - 1))
    return intro + _simple_table(caption, heads, rows, numeric, ident="liability_years")


def _liability_tasks(cost: CostResult, lang: str, numbers: _Numbering) -> str:
    """Return the table of the tasks: quantity, unit cost and how each is sized."""
    if not cost.tasks:
        return ""
    heads = [
        _e(label("task", lang)),
        _e(label("task_quantity", lang)),
        _e(label("unit", lang)),
        _e(label("unit_cost", lang)),
        _unit_th("task_direct", "rub", lang),
        _e(label("basis", lang)),
        _e(label("third_party_only", lang)),
    ]
    rows = [
        [
            _e(tr(t.get("name"), lang) or t.get("key", "")),
            _quantity(float(t.get("quantity", 0.0)), lang),
            _e(unit_label(str(t.get("unit", "")), lang)),
            _e(format_number(float(t.get("unit_cost_rub", 0.0)), lang)),
            _money(float(t.get("direct_rub", 0.0)), lang),
            _e(tr(t.get("basis"), lang)),
            _e(label("yes" if t.get("third_party_only") else "no", lang)),
        ]
        for t in cost.tasks
    ]
    caption = numbers.caption(label("liability_tasks", lang))
    return _simple_table(caption, heads, rows, {1, 3, 4}, ident="liability_tasks")


def _release(
    assurance: AssuranceResult | None, cost: CostResult | None, lang: str, numbers: _Numbering
) -> str:
    parts = [f'<section id="release"><h2>{_e(label("release", lang))}</h2>']
    if assurance is None:
        parts.append(f"<p>{_e(label('release_missing', lang))}</p></section>")
        return "\n".join(parts)
    names = task_names(cost, lang)
    parts.append(
        f"<p>{_e(assurance_basis_text(assurance.basis, lang))}: "
        f"<b>{_money(assurance.bond_rub, lang)}</b> {_e(unit_label('rub', lang))}</p>"
    )
    rows = [
        [
            str(i),
            _e(r.name),
            str(r.year) if r.reached and r.year is not None else _e(label("not_reached", lang)),
            _e("; ".join(names.get(k, k) for k in r.requires)),
            _e(r.evidence),
            _e(format_number(r.release_percent, lang)),
            _money(r.released_rub, lang),
            _money(r.held_after_rub, lang),
            _money(r.remaining_liability_rub, lang),
            _e(label("yes" if r.capped else "no", lang)),
        ]
        for i, r in enumerate(assurance.releases, start=1)
    ]
    heads = [
        "№",
        _e(label("milestone", lang)),
        _e(label("year", lang)),
        _e(label("requires", lang)),
        _e(label("evidence", lang)),
        _unit_th("release_percent", "%", lang),
        _unit_th("released", "rub", lang),
        _unit_th("held_after", "rub", lang),
        _unit_th("remaining_liability", "rub", lang),
        _e(label("capped", lang)),
    ]
    caption = numbers.caption(label("release", lang))
    parts.append(_simple_table(caption, heads, rows, {0, 5, 6, 7, 8}, ident="release"))
    parts.append("</section>")
    return "\n".join(parts)


def _plots(result: ProjectResult, lang: str) -> str:
    from postmine.reports.plots import report_plots  # matplotlib only when drawing

    parts = [f'<section id="plots"><h2>{_e(label("plots", lang))}</h2>']
    for i, plot in enumerate(report_plots(result, lang), start=1):
        if plot.png is None:
            parts.append(
                f'<h3>{_e(plot.title)}</h3><p class="plot-note" id="plot-{plot.key}">'
                f"{_e(plot.note)}</p>"
            )
            continue
        data = base64.b64encode(plot.png).decode("ascii")
        parts.append(
            f'<figure id="plot-{plot.key}"><img src="data:image/png;base64,{data}" '
            f'alt="{_e(plot.title)}"><figcaption>{i}. {_e(plot.title)}</figcaption></figure>'
        )
    parts.append("</section>")
    return "\n".join(parts)


def to_html(result: ProjectResult, lang: str = "en") -> str:
    """Return the report of a project as one self-contained HTML page.

    Parameters
    ----------
    result : ProjectResult
        What the engine computed for the project.
    lang : str
        ``"en"`` or ``"ru"``; the Russian page follows the sections of 003.

    Returns
    -------
    str
        The page, UTF-8 text.

    Raises
    ------
    ValueError
        If ``lang`` is not ``"en"`` or ``"ru"``, or a table cell is NaN or infinite.

    Examples
    --------
    >>> from postmine.project.model import ProjectResult
    >>> page = to_html(ProjectResult({"name": "Pit <A>"}, [], [], [], []), lang="ru")
    >>> "<h1>Pit &lt;A&gt;</h1>" in page and '<html lang="ru">' in page
    True
    """
    check_lang(lang)
    meta = result.meta
    name = tr(meta.get("name"), lang) or label("report_title", lang)
    subtitle = " · ".join(
        s
        for s in (
            label("report_title", lang),
            tr(meta.get("site"), lang),
            tr(meta.get("operator"), lang),
        )
        if s
    )
    numbers = _Numbering(result, lang)
    body = [
        f"<h1>{_e(name)}</h1>",
        f'<p class="subtitle">{_e(subtitle)}</p>',
        _meta(meta, lang),
        _findings(result.findings, lang),
        _sections(result, lang, numbers),
        _cost(result.cost, lang, numbers),
        _release(result.assurance, result.cost, lang, numbers),
        _plots(result, lang),
    ]
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="postmine {_e(meta.get("postmine_version", ""))}">\n'
        f"<title>{_e(name)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


def write_html(result: ProjectResult, path: Path, lang: str = "en") -> Path:
    """Write the report of :func:`to_html` to ``path`` (UTF-8) and return the path."""
    page = to_html(result, lang)
    path = Path(path)
    path.write_text(page, encoding="utf-8")
    return path
