"""Plots of a project result as PNG bytes: fill by tier, cost, liability, release, uncertainty.

Every plot draws on its own :class:`matplotlib.figure.Figure` with the Agg canvas of this
module, so it needs no display, leaves pyplot's global state alone and is safe in threads.
Texts use DejaVu Sans (shipped with matplotlib), which has Cyrillic; texts from the project
(tier, activity and milestone names) are escaped so a ``$`` never starts mathtext.

A plot whose data the result lacks raises :class:`PlotUnavailableError` with the reason in
the report's language; :func:`report_plots` turns that into a note.
"""

from __future__ import annotations

import io
import math
import re
import textwrap
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, cast

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from postmine.project.model import AssuranceResult, CostResult, ProjectResult, Table
from postmine.reports.i18n import activity_label, check_lang, format_number, label, tr

__all__ = [
    "CALENDAR_PLAN_KEY",
    "Plot",
    "PlotUnavailableError",
    "held_by_year",
    "plot_bond_distribution",
    "plot_bond_release",
    "plot_cost_by_activity",
    "plot_fill_by_tier",
    "plot_liability_by_year",
    "report_plots",
    "tier_volumes",
]

CALENDAR_PLAN_KEY = "calendar_plan"
"""Key of the table holding the calendar plan by tier and year (003 Table 5)."""

MILLION = 1e6
_WIDTH_IN, _HEIGHT_IN, _DPI = 8.0, 4.5, 100
_RC: dict[str, Any] = {
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "axes.unicode_minus": True,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "svg.fonttype": "none",
}


class PlotUnavailableError(LookupError):
    """The result lacks what a plot needs; the message says what, in the report's language."""


@dataclass(frozen=True)
class Plot:
    """One plot of a report: key, title, and PNG bytes, or the note why it is not drawn."""

    key: str
    title: str
    png: bytes | None
    note: str = ""


def _safe(text: str) -> str:
    """Escape ``$`` so a project's text is never read as mathtext."""
    return text.replace("$", r"\$")


@contextmanager
def _figure(
    left: float = 0.09, right: float = 0.97, bottom: float = 0.17, top: float = 0.92
) -> Iterator[Figure]:
    """Yield a figure with fixed margins (fractions of its size).

    Fixed margins, not a layout engine: constrained layout doubled the drawing time, and
    the report's plots have a known shape.
    """
    with matplotlib.rc_context(cast(Any, _RC)):
        fig = Figure(figsize=(_WIDTH_IN, _HEIGHT_IN), dpi=_DPI)
        FigureCanvasAgg(fig)
        fig.subplots_adjust(left=left, right=right, bottom=bottom, top=top)
        yield fig


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    with matplotlib.rc_context(cast(Any, _RC)):
        fig.savefig(buffer, format="png", dpi=_DPI, metadata={"Software": None})
    return buffer.getvalue()


# --- fill by tier -------------------------------------------------------------------------

_TIER = re.compile(r"([+-]?\d{2,4}(?:\.\d+)?)")


def _year(value: Any) -> int | None:
    """Return a calendar year from a cell (int, whole float, digit string), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _tier_label(value: Any) -> str:
    """Return a tier as 003 names it (``+650``)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{float(value):+g}"
    return str(value)


def _is_in_dump(key: str) -> bool:
    """Whether a column holds volume in the dump (not delivered, not a total or running sum)."""
    k = key.lower()
    excluded = ("placed", "delivered", "total", "sum", "all_tiers", "cumulative", "unfilled")
    return "dump" in k and not any(w in k for w in excluded)


def _is_tier_column(key: str) -> bool:
    """Whether a column names the tier of a row (long layout): ``tier``, ``tier_m``, ..."""
    k = key.lower()
    return k.startswith("tier") and not any(w in k for w in ("volume", "thousand", "m3"))


def tier_volumes(table: Table) -> tuple[list[int], dict[str, list[float]]]:
    """Return the years and, per tier, the in-dump volume of each year from a calendar plan.

    Two layouts are read. Wide, as 003 Table 5 and the engine lay it out: one row per year,
    one in-dump column per tier whose key or English label names the tier elevation
    (``tier+650_dump_volume_thousand_m3``). Long: one row per tier and year, with a tier
    column (``tier``, ``tier_m``) and one in-dump volume column. An in-dump column has
    ``dump`` in its key and none of ``placed``, ``delivered``, ``total``, ``cumulative``,
    ``unfilled``. Rows without a calendar year (the total row) are left out.

    Raises
    ------
    PlotUnavailableError
        If the table has no year column or no in-dump volume column recognisable as above.
    """
    keys = [c.key for c in table.columns]
    year_key = next(
        (k for k in keys if k.lower() in ("year", "years") or k.startswith("year")), None
    )
    if year_key is None:
        raise PlotUnavailableError(f"table {table.key!r} has no year column; columns: {keys}")
    rows = [r for r in table.rows if _year(r.get(year_key)) is not None]
    years = sorted({y for r in rows if (y := _year(r.get(year_key))) is not None})
    index = {y: i for i, y in enumerate(years)}
    volumes: dict[str, list[float]] = {}

    tier_key = next((k for k in keys if _is_tier_column(k)), None)
    dump_keys = [k for k in keys if _is_in_dump(k) and k != tier_key]
    if tier_key is not None and dump_keys:
        vkey = dump_keys[0]
        for r in rows:
            tier = r.get(tier_key)
            y = _year(r.get(year_key))
            if tier is None or y is None or _tier_is_total(str(tier)):
                continue
            series = volumes.setdefault(_tier_label(tier), [0.0] * len(years))
            series[index[y]] += _number(r.get(vkey))
    else:
        for col in table.columns:
            if not _is_in_dump(col.key):
                continue
            match = _TIER.search(col.key) or _TIER.search(tr(col.label, "en"))
            if match is None:
                continue
            tier = _tier_label(float(match.group(1)))
            series = volumes.setdefault(tier, [0.0] * len(years))
            for r in rows:
                y = _year(r.get(year_key))
                if y is not None:
                    series[index[y]] += _number(r.get(col.key))
    if not volumes or not years:
        raise PlotUnavailableError(
            f"table {table.key!r} has no in-dump volume by tier that the plot can read; "
            f"columns: {keys}"
        )
    return years, volumes


def _tier_is_total(tier: str) -> bool:
    return tier.strip().lower() in ("total", "всего", "итого", "all")


def _number(value: Any) -> float:
    """Return a cell as a number; an empty cell (None, "") is 0."""
    if value is None or value == "":
        return 0.0
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PlotUnavailableError(f"a volume cell is not a number: {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"non-finite volume in the calendar plan: {number}")
    return number


def plot_fill_by_tier(table: Table, lang: str = "en") -> bytes:
    """Draw the in-dump volume placed in each tier per year as stacked bars; return PNG bytes.

    Parameters
    ----------
    table : Table
        The calendar plan (003 Table 5), volumes in thousand m³; layouts as in
        :func:`tier_volumes`.
    lang : str
        ``"en"`` or ``"ru"``.

    Raises
    ------
    PlotUnavailableError
        If the table's layout is not recognised.
    ValueError
        If ``lang`` is not allowed.
    """
    check_lang(lang)
    years, volumes = tier_volumes(table)
    with _figure(right=0.86) as fig:
        ax = fig.add_subplot()
        bottom = np.zeros(len(years))
        for tier, series in volumes.items():
            values = np.asarray(series)
            ax.bar(years, values, bottom=bottom, label=_safe(tier), width=0.8)
            bottom += values
        ax.set_title(_safe(tr(table.title, lang) or label("plot.fill", lang)))
        ax.set_xlabel(label("plot.year", lang))
        ax.set_ylabel(label("plot.fill.y", lang))
        ax.set_xticks(years, [str(y) for y in years], rotation=45 if len(years) > 10 else 0)
        ax.legend(title=label("plot.tier", lang), loc="upper left", bbox_to_anchor=(1.01, 1.0))
        return _png(fig)


# --- cost by activity and year ------------------------------------------------------------


def plot_cost_by_activity(cost: CostResult, lang: str = "en") -> bytes:
    """Draw the direct cost of each activity per year as stacked bars; return PNG bytes.

    The amounts are the cost lines' ``amount_rub`` (price base year), in million roubles;
    the activities are stacked in the order they start.

    Raises
    ------
    PlotUnavailableError
        If there are no cost lines.
    """
    check_lang(lang)
    if not cost.lines:
        raise PlotUnavailableError(label("plot.no_lines", lang))
    sums: dict[str, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    for line in cost.lines:
        sums[line.activity][line.year] += line.amount_rub
    years = sorted({line.year for line in cost.lines})
    # activities in the order they start, as the works follow each other
    order = sorted(sums, key=lambda a: (min(sums[a]), a))
    names = ["\n".join(textwrap.wrap(activity_label(a, lang), 45)) for a in order]
    legend_lines = sum(
        max(n.count("\n") + 1 for n in names[i : i + 2]) for i in range(0, len(names), 2)
    )
    with _figure(bottom=0.18 + 0.032 * legend_lines, top=0.93) as fig:
        ax = fig.add_subplot()
        bottom = np.zeros(len(years))
        for activity, name in zip(order, names, strict=True):
            values = np.array([sums[activity].get(y, 0.0) for y in years]) / MILLION
            ax.bar(years, values, bottom=bottom, label=_safe(name), width=0.8)
            bottom += values
        ax.set_title(label("plot.cost", lang))
        ax.set_xlabel(label("plot.year", lang))
        ax.set_ylabel(label("plot.cost.y", lang))
        ax.set_xticks(years, [str(y) for y in years], rotation=45 if len(years) > 10 else 0)
        fig.legend(loc="lower center", ncols=2, fontsize="small", frameon=False)
        return _png(fig)


# --- bond held against remaining liability ------------------------------------------------


def plot_bond_release(assurance: AssuranceResult, lang: str = "en") -> bytes:
    """Draw the bond held and the remaining liability over the milestones as steps.

    The first step is the whole bond before any release; then, after each milestone, the
    amount still held and the third-party cost of the work still to do. Amounts in million
    roubles; the x axis names the milestones with their years, or "not reached" for a
    milestone the plan does not reach (nothing is released at it).

    Raises
    ------
    PlotUnavailableError
        If there are no milestones.
    """
    check_lang(lang)
    if not assurance.releases:
        raise PlotUnavailableError(label("plot.no_assurance", lang))
    releases = assurance.releases
    # State i (0: before any release, i: after milestone i) spans [i, i + 1) on the x axis.
    held_states = [assurance.bond_rub] + [r.held_after_rub for r in releases]
    owed_states = [assurance.bond_rub] + [r.remaining_liability_rub for r in releases]
    x = np.arange(len(held_states) + 1)
    held = np.array([*held_states, held_states[-1]]) / MILLION
    owed = np.array([*owed_states, owed_states[-1]]) / MILLION
    ticks = [label("start", lang)] + [
        _safe(
            "\n".join(textwrap.wrap(f"{i}. {r.name}", 22, max_lines=2, placeholder=" …"))
            + f"\n({_milestone_year(r.year, r.reached, lang)})"
        )
        for i, r in enumerate(releases, start=1)
    ]
    with _figure() as fig:
        ax = fig.add_subplot()
        ax.step(x, held, where="post", linewidth=2.0, label=label("plot.bond.held", lang))
        ax.step(x, owed, where="post", linestyle="--", label=label("plot.bond.liability", lang))
        ax.fill_between(x, owed, held, step="post", alpha=0.15)
        ax.set_xticks(x[:-1] + 0.5, ticks, fontsize="small")
        ax.set_xlim(0, len(held_states))
        ax.set_ylim(bottom=0)
        ax.set_title(label("plot.bond", lang))
        ax.set_ylabel(label("plot.bond.y", lang))
        ax.legend()
        return _png(fig)


def _milestone_year(year: int | None, reached: bool, lang: str) -> str:
    return str(year) if reached and year is not None else label("plot.not_reached", lang)


def held_by_year(assurance: AssuranceResult, years: list[int]) -> list[float]:
    """Return the assurance held at the end of each year: less what milestones released.

    A milestone releases in its year; one not reached releases nothing. [rub]

    Examples
    --------
    >>> from postmine.project.model import MilestoneRelease
    >>> a = AssuranceResult(100.0, [
    ...     MilestoneRelease("m1", 2030, "", 60, 60.0, 40.0, 10.0, False),
    ...     MilestoneRelease("m2", None, "", 40, 0.0, 40.0, 10.0, False, reached=False)])
    >>> held_by_year(a, [2029, 2030, 2031])
    [100.0, 40.0, 40.0]
    """
    held = []
    for year in years:
        amount = assurance.bond_rub
        for r in assurance.releases:
            if r.reached and r.year is not None and r.year <= year:
                amount = min(amount, r.held_after_rub)
        held.append(amount)
    return held


def plot_liability_by_year(
    cost: CostResult, assurance: AssuranceResult | None = None, lang: str = "en"
) -> bytes:
    """Draw the liability of each year's state L_t as bars and the assurance held as steps.

    Amounts in million roubles; the year of the bond (largest L_t over the review period)
    is the darker bar.

    Raises
    ------
    PlotUnavailableError
        If the cost has no liability by year.
    """
    check_lang(lang)
    if not cost.liability_years:
        raise PlotUnavailableError(label("plot.no_liability_years", lang))
    years = [y.year for y in cost.liability_years]
    values = np.array([y.liability_rub for y in cost.liability_years]) / MILLION
    colours = ["#1f4e79" if y == cost.bond_year else "#8fa8c8" for y in years]
    with _figure() as fig:
        ax = fig.add_subplot()
        ax.bar(years, values, color=colours, width=0.8, label=label("plot.liability.line", lang))
        if assurance is not None:
            held = np.array(held_by_year(assurance, years)) / MILLION
            ax.step(
                years,
                held,
                where="mid",
                color="#b03030",
                linewidth=2.0,
                label=label("assurance_held", lang),
            )
        ax.set_title(label("plot.liability", lang))
        ax.set_xlabel(label("plot.year", lang))
        ax.set_ylabel(label("plot.bond.y", lang))
        ax.set_xticks(years, [str(y) for y in years], rotation=45 if len(years) > 10 else 0)
        ax.set_ylim(bottom=0)
        ax.legend()
        return _png(fig)


# --- uncertainty of the bond --------------------------------------------------------------


def plot_bond_distribution(cost: CostResult, lang: str = "en") -> bytes:
    """Draw the histogram of the Monte Carlo bond samples with the P50/P80/P90 lines.

    The deterministic bond (base case) is drawn as a solid line; amounts in million roubles.

    Raises
    ------
    PlotUnavailableError
        If there are no samples.
    """
    check_lang(lang)
    samples = np.asarray(cost.samples_rub, dtype=float)
    if samples.size == 0:
        raise PlotUnavailableError(label("plot.no_samples", lang))
    if not np.all(np.isfinite(samples)):
        raise ValueError("the Monte Carlo samples of the bond contain non-finite values")
    with _figure() as fig:
        ax = fig.add_subplot()
        bins = min(40, max(5, int(np.sqrt(samples.size))))
        ax.hist(samples / MILLION, bins=bins, color="#8fa8c8", edgecolor="white")
        styles = ("--", "-.", ":")
        for (name, value), style in zip(
            sorted(cost.percentiles_rub.items(), key=lambda kv: kv[1]),
            styles * 4,
            strict=False,
        ):
            shown = format_number(value / MILLION, lang)
            ax.axvline(
                value / MILLION, color="#b03030", linestyle=style, label=_safe(f"{name}: {shown}")
            )
        ax.axvline(
            cost.bond_rub / MILLION,
            color="black",
            linewidth=1.5,
            label=f"{label('plot.mc.bond', lang)}: {format_number(cost.bond_rub / MILLION, lang)}",
        )
        ax.set_title(label("plot.mc", lang))
        ax.set_xlabel(label("plot.mc.x", lang))
        ax.set_ylabel(label("plot.mc.y", lang))
        ax.legend()
        return _png(fig)


# --- all plots of a report ----------------------------------------------------------------


def report_plots(result: ProjectResult, lang: str = "en") -> list[Plot]:
    """Return the five plots of a report, each drawn or with the note why it is not.

    Examples
    --------
    >>> from postmine.project.model import ProjectResult
    >>> [(p.key, p.png) for p in report_plots(ProjectResult({}, [], [], [], []))]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('fill_by_tier', None), ('cost_by_activity', None), ('liability_by_year', None),
     ('bond_release', None), ('bond_distribution', None)]
    """
    check_lang(lang)
    plots: list[Plot] = []

    def add(key: str, title_key: str, draw: Any) -> None:
        title = label(title_key, lang)
        try:
            plots.append(Plot(key, title, draw()))
        except PlotUnavailableError as exc:
            plots.append(Plot(key, title, None, label("plot_unavailable", lang, reason=exc)))

    def fill() -> bytes:
        try:
            table = result.table(CALENDAR_PLAN_KEY)
        except KeyError:
            raise PlotUnavailableError(label("plot.no_calendar_plan", lang)) from None
        return plot_fill_by_tier(table, lang)

    def cost() -> CostResult:
        if result.cost is None:
            raise PlotUnavailableError(label("plot.no_cost", lang))
        return result.cost

    def assurance() -> AssuranceResult:
        if result.assurance is None:
            raise PlotUnavailableError(label("plot.no_assurance", lang))
        return result.assurance

    add("fill_by_tier", "plot.fill", fill)
    add("cost_by_activity", "plot.cost", lambda: plot_cost_by_activity(cost(), lang))
    add(
        "liability_by_year",
        "plot.liability",
        lambda: plot_liability_by_year(cost(), result.assurance, lang),
    )
    add("bond_release", "plot.bond", lambda: plot_bond_release(assurance(), lang))
    add("bond_distribution", "plot.mc", lambda: plot_bond_distribution(cost(), lang))
    return plots
