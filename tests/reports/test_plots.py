"""Plots of the report: valid PNG of sensible size, Cyrillic without missing glyphs, data read
from the calendar plan as 003 Table 5 prints it, and a note instead of a plot when data lack."""

from __future__ import annotations

import io
import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose
from PIL import Image

from postmine.project.model import (
    AssuranceResult,
    Column,
    CostLine,
    MilestoneRelease,
    ProjectResult,
    Table,
    text,
)
from postmine.reports.plots import (
    CALENDAR_PLAN_KEY,
    PlotUnavailableError,
    held_by_year,
    plot_bond_distribution,
    plot_bond_release,
    plot_cost_by_activity,
    plot_fill_by_tier,
    plot_liability_by_year,
    report_plots,
    tier_volumes,
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_SIZE = (800, 450)  # 8 x 4.5 in at 100 dpi
MIN_BYTES, MAX_BYTES = 10_000, 400_000
VOLUME_TOL = 0.05  # 003 Table 5 prints one decimal

# 003 Table 5, volume in the dump (thousand m³): tier +650 2022-2029, tier +680 2029-2036
TIER_650 = [512.3] * 7 + [253.4] + [0.0] * 7
TIER_680 = [0.0] * 7 + [258.9] + [512.3] * 7


def _check_png(data: bytes) -> Image.Image:
    assert data.startswith(PNG_SIGNATURE)
    assert MIN_BYTES < len(data) < MAX_BYTES
    image = Image.open(io.BytesIO(data))
    image.load()
    assert image.format == "PNG"
    assert image.size == PNG_SIZE
    # Something is drawn: a blank figure has one or two colours.
    assert len(image.convert("RGB").getcolors(maxcolors=1 << 20) or []) > 20
    return image


def _all_plots(result: ProjectResult, lang: str) -> list[bytes]:
    assert result.cost is not None and result.assurance is not None
    return [
        plot_fill_by_tier(result.table(CALENDAR_PLAN_KEY), lang),
        plot_cost_by_activity(result.cost, lang),
        plot_liability_by_year(result.cost, result.assurance, lang),
        plot_bond_release(result.assurance, lang),
        plot_bond_distribution(result.cost, lang),
    ]


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_every_plot_is_a_valid_png_without_missing_glyphs(
    project_result: ProjectResult, lang: str
) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph ... missing from font(s)" would raise here
        plots = _all_plots(project_result, lang)
    for data in plots:
        _check_png(data)


def test_plots_leave_pyplot_alone(project_result: ProjectResult) -> None:
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    _all_plots(project_result, "en")
    assert plt.get_fignums() == before


def test_texts_with_dollars_are_not_mathtext(project_result: ProjectResult) -> None:
    # An unbalanced "$" or "^" in a project's names would make mathtext raise ValueError.
    cost = project_result.cost
    assert cost is not None
    cost.lines.append(CostLine("pay $x^2 {now", 2030, "materials", "$", 1.0, "t", 5e6, 5e6))
    _check_png(plot_cost_by_activity(cost, "en"))
    assurance = AssuranceResult(
        1e8, [MilestoneRelease("Release $_{1", 2030, "act", 100.0, 1e8, 0.0, 0.0, False)]
    )
    _check_png(plot_bond_release(assurance, "ru"))
    cost.percentiles_rub = {"P$50": 1.4e9}
    _check_png(plot_bond_distribution(cost, "en"))


def test_tier_volumes_read_table_5_in_its_wide_layout(project_result: ProjectResult) -> None:
    years, volumes = tier_volumes(project_result.table(CALENDAR_PLAN_KEY))
    assert years == list(range(2022, 2037))  # the total row is left out
    assert list(volumes) == ["+650", "+680"]
    assert_allclose(volumes["+650"], TIER_650, atol=VOLUME_TOL)
    assert_allclose(volumes["+680"], TIER_680, atol=VOLUME_TOL)
    # every year fills 512.3 thousand m³ of the dump (003 sec. 3.1)
    assert_allclose(np.add(volumes["+650"], volumes["+680"]), 512.3, atol=VOLUME_TOL)


def _long_calendar_plan() -> Table:
    rows = []
    for i, year in enumerate(range(2022, 2037)):
        for tier, series in ((650, TIER_650), (680, TIER_680)):
            if series[i] > 0:
                rows.append(
                    {"year": year, "tier": tier, "placed_thousand_m3": series[i] * 1.082,
                     "dump_volume_thousand_m3": series[i]}
                )  # fmt: skip
    rows.append({"year": "total", "tier": "total", "dump_volume_thousand_m3": 7684.5})
    return Table(
        CALENDAR_PLAN_KEY,
        text("Calendar plan", "Календарный план"),
        "003 Table 5",
        [
            Column("year", text("Year", "Год")),
            Column("tier", text("Tier", "Ярус"), "m"),
            Column("placed_thousand_m3", text("Placed", "Размещено"), "thousand m³"),
            Column("dump_volume_thousand_m3", text("In the dump", "В отвале"), "thousand m³"),
        ],
        rows,
    )


def test_tier_volumes_read_the_long_layout() -> None:
    years, volumes = tier_volumes(_long_calendar_plan())
    assert years == list(range(2022, 2037))
    assert list(volumes) == ["+650", "+680"]
    assert_allclose(volumes["+650"], TIER_650, atol=VOLUME_TOL)
    assert_allclose(volumes["+680"], TIER_680, atol=VOLUME_TOL)
    _check_png(plot_fill_by_tier(_long_calendar_plan(), "ru"))


def test_tier_volumes_read_the_tier_from_the_label() -> None:
    columns = [Column("year", text("Year", "Год"))] + [
        Column(f"in_dump_{i}_thousand_m3", text(f"Tier +{tier} m: in the dump", "В отвале"))
        for i, tier in enumerate((650, 680))
    ]
    rows = [
        {"year": 2022 + i, "in_dump_0_thousand_m3": a or None, "in_dump_1_thousand_m3": b or None}
        for i, (a, b) in enumerate(zip(TIER_650, TIER_680, strict=True))
    ]
    years, volumes = tier_volumes(Table(CALENDAR_PLAN_KEY, text("P", "П"), "", columns, rows))
    assert years[0] == 2022 and list(volumes) == ["+650", "+680"]
    assert_allclose(volumes["+680"], TIER_680, atol=VOLUME_TOL)


def test_unreadable_calendar_plan_names_its_columns() -> None:
    table = Table(
        CALENDAR_PLAN_KEY, text("Plan", "План"), "", [Column("year", text("Year", "Год"))],
        [{"year": 2022}],
    )  # fmt: skip
    with pytest.raises(PlotUnavailableError, match=r"no in-dump volume by tier.*\['year'\]"):
        tier_volumes(table)
    no_year = Table("calendar_plan", text("Plan", "План"), "", [Column("tier", text("T", "Я"))], [])
    with pytest.raises(PlotUnavailableError, match="has no year column"):
        tier_volumes(no_year)


def test_plots_without_data_raise_plot_unavailable(project_result: ProjectResult) -> None:
    cost = project_result.cost
    assert cost is not None
    cost.lines = []
    with pytest.raises(PlotUnavailableError, match="no cost lines"):
        plot_cost_by_activity(cost, "en")
    cost.samples_rub = []
    with pytest.raises(PlotUnavailableError, match="нет испытаний Монте-Карло"):
        plot_bond_distribution(cost, "ru")
    with pytest.raises(PlotUnavailableError, match="no release schedule"):
        plot_bond_release(AssuranceResult(1e8, []), "en")


def test_non_finite_samples_are_refused(project_result: ProjectResult) -> None:
    cost = project_result.cost
    assert cost is not None
    cost.samples_rub = [1e9, float("nan")]
    with pytest.raises(ValueError, match="non-finite"):
        plot_bond_distribution(cost, "en")


def test_unknown_language_is_refused(project_result: ProjectResult) -> None:
    assert project_result.cost is not None
    with pytest.raises(ValueError, match="lang must be one of 'en', 'ru', got 'fr'"):
        plot_cost_by_activity(project_result.cost, "fr")


def test_report_plots_draws_five_or_notes_why_not(project_result: ProjectResult) -> None:
    plots = report_plots(project_result, "en")
    assert [p.key for p in plots] == [
        "fill_by_tier",
        "cost_by_activity",
        "liability_by_year",
        "bond_release",
        "bond_distribution",
    ]
    for plot in plots:
        assert plot.png is not None and plot.note == ""
        _check_png(plot.png)

    project_result.tables = [t for t in project_result.tables if t.key != CALENDAR_PLAN_KEY]
    project_result.cost = None
    notes = {p.key: p for p in report_plots(project_result, "ru")}
    assert notes["fill_by_tier"].png is None
    assert "нет поярусной засыпки" in notes["fill_by_tier"].note
    assert notes["cost_by_activity"].png is None
    assert notes["bond_distribution"].note.startswith("График не построен")
    assert notes["liability_by_year"].png is None
    assert notes["bond_release"].png is not None


def test_held_by_year_keeps_what_unreached_milestones_would_release(
    project_result: ProjectResult,
) -> None:
    assurance = project_result.assurance
    assert assurance is not None
    _, second, third = assurance.releases
    assert not third.reached and third.year is None
    held = held_by_year(assurance, [2035, 2036, 2037, 2060])
    # before 2036 the whole assurance; from 2036 what is held after the second milestone;
    # the third, not reached within the plan, never releases
    assert held == [assurance.bond_rub, *[second.held_after_rub] * 3]
    assert second.held_after_rub == third.held_after_rub


def test_unreached_milestone_is_marked_on_the_release_plot(project_result: ProjectResult) -> None:
    assurance = project_result.assurance
    assert assurance is not None
    for r in assurance.releases:
        r.year, r.reached, r.released_rub = None, False, 0.0
        r.held_after_rub = assurance.bond_rub
    for lang in ("en", "ru"):
        _check_png(plot_bond_release(assurance, lang))


def test_liability_plot_needs_the_years(project_result: ProjectResult) -> None:
    cost = project_result.cost
    assert cost is not None
    cost.liability_years = []
    with pytest.raises(PlotUnavailableError, match="no liability by year"):
        plot_liability_by_year(cost, None, "en")
