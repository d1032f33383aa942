"""The Excel workbook read back with openpyxl: sheet names, header units, values of the rows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from numpy.testing import assert_allclose
from openpyxl import load_workbook

from postmine.project.model import ProjectResult
from postmine.reports.excel import MAX_SHEET_NAME, sheet_name, write_excel
from postmine.reports.i18n import activity_label, tr, unit_label

HEADER_ROWS = 2  # labels, then units
ROUND_TRIP_RTOL = 1e-15  # values are written unrounded; only binary round-off may differ
EXTRA_SHEETS = [
    "findings",
    "cost_lines",
    "cost_summary",
    "cost_by_year",
    "liability",
    "liability_tasks",
    "release_schedule",
    "work",
    "materials",
]


def _same(actual: Any, expected: Any) -> None:
    if isinstance(expected, float):
        assert isinstance(actual, int | float)
        assert_allclose(actual, expected, rtol=ROUND_TRIP_RTOL)
    else:
        assert actual == expected


@pytest.fixture(scope="module")
def workbooks(
    report_en: tuple[ProjectResult, list[Path]], report_ru: tuple[ProjectResult, list[Path]]
) -> dict[str, Any]:
    return {
        "en": load_workbook(report_en[1][1]),
        "ru": load_workbook(report_ru[1][1]),
    }


def test_sheet_names(workbooks: dict[str, Any], project_result: ProjectResult) -> None:
    names = workbooks["en"].sheetnames
    long_key = "land_allotment_of_the_external_dump_and_topsoil_store"
    expected_tables = [t.key if len(t.key) <= 31 else t.key[:31] for t in project_result.tables]
    assert names == ["contents", *expected_tables, *EXTRA_SHEETS]
    assert long_key[:31] in names
    assert all(len(n) <= MAX_SHEET_NAME for n in names)
    assert workbooks["ru"].sheetnames == names  # sheet names stay the keys


@pytest.mark.parametrize(("lang", "unit"), [("en", "thousand m³"), ("ru", "тыс. м³")])
def test_header_rows_carry_labels_and_units(
    workbooks: dict[str, Any], project_result: ProjectResult, lang: str, unit: str
) -> None:
    plan = project_result.table("calendar_plan")
    ws = workbooks[lang]["calendar_plan"]
    labels, units = (list(r) for r in ws.iter_rows(max_row=HEADER_ROWS, values_only=True))
    assert labels == [c.label[lang] for c in plan.columns]
    assert units == [None] + [unit] * (len(plan.columns) - 1)  # the year column has no unit
    density = workbooks[lang]["waste_volumes"].cell(row=2, column=3).value
    assert density == ("t/m³" if lang == "en" else "т/м³")


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_values_equal_the_table_rows(
    workbooks: dict[str, Any], project_result: ProjectResult, lang: str
) -> None:
    wb = workbooks[lang]
    for table in project_result.tables:
        ws = wb[table.key[:31]]
        rows = list(ws.iter_rows(min_row=HEADER_ROWS + 1, values_only=True))
        assert len(rows) == len(table.rows)
        for got, row in zip(rows, table.rows, strict=True):
            for value, column in zip(got, table.columns, strict=True):
                expected = row.get(column.key)
                if isinstance(expected, dict):
                    expected = tr(expected, lang)
                if column.key == "unit":  # a column of units is printed in the report's units
                    expected = unit_label(expected, lang)
                _same(value, None if expected == "" else expected)  # "" is an empty cell


def test_calendar_plan_keeps_003_numbers(workbooks: dict[str, Any]) -> None:
    ws = workbooks["ru"]["calendar_plan"]
    # 003 Table 5: 2029 row 274.1 / 253.4 / 280.2 / 258.9; total 8314.5 / 7684.5
    row_2029 = next(r for r in ws.iter_rows(values_only=True) if r[0] == 2029)
    assert_allclose(row_2029[1:5], [274.1, 253.4, 280.2, 258.9], rtol=ROUND_TRIP_RTOL)
    total = list(ws.iter_rows(values_only=True))[-1]
    assert total[0] == "Итого"
    assert_allclose(
        total[1:7], [4154.2, 3839.5, 4160.3, 3845.0, 8314.5, 7684.5], rtol=ROUND_TRIP_RTOL
    )


def test_findings_sheet(workbooks: dict[str, Any], project_result: ProjectResult) -> None:
    ws = workbooks["ru"]["findings"]
    rows = list(ws.iter_rows(min_row=HEADER_ROWS + 1, values_only=True))
    assert [r[1] for r in rows] == [f.code for f in project_result.findings]
    assert [r[2] for r in rows] == [f.message["ru"] for f in project_result.findings]
    assert rows[0][0] == "нарушение"
    assert_allclose([rows[0][3], rows[0][4]], [52.7, 15.0], rtol=ROUND_TRIP_RTOL)


def test_cost_sheets(workbooks: dict[str, Any], project_result: ProjectResult) -> None:
    cost = project_result.cost
    assert cost is not None
    wb = workbooks["en"]
    lines = list(wb["cost_lines"].iter_rows(min_row=HEADER_ROWS + 1, values_only=True))
    assert len(lines) == len(cost.lines)
    assert lines[0][0] == activity_label(cost.lines[0].activity, "en")
    assert_allclose(sum(r[7] for r in lines), cost.direct_rub, rtol=1e-12)
    assert [c.value for c in wb["cost_lines"][2]][6:8] == ["rub", "rub"]

    summary = {
        r[0]: r[1:] for r in wb["cost_summary"].iter_rows(min_row=HEADER_ROWS + 1, values_only=True)
    }
    for line in cost.indirect:
        percent, amount, source = summary[line["name"]]
        _same(percent, line["percent"])
        _same(amount, line["amount_rub"])
        assert source == line["source"]
    _same(summary["Direct cost (price base year)"][1], cost.direct_rub)
    _same(summary["Total cost (price base year)"][1], cost.total_rub)
    bond_key = next(k for k in summary if k.startswith("Bond: undiscounted"))
    _same(summary[bond_key][1], cost.bond_rub)
    assert summary["Year of maximum liability"][1] == cost.bond_year
    for name, value in cost.percentiles_rub.items():
        _same(summary[f"Bond, {name} (Monte Carlo, 500 samples)"][1], value)
    _same(summary["Financial assurance: P80 of the bond (Monte Carlo)"][1], cost.assurance_rub)
    _same(cost.assurance_rub, cost.percentiles_rub["P80"])
    key = "Percentile of the deterministic bond in its Monte Carlo distribution"
    assert summary[key][0] == cost.deterministic_percentile == 48
    assert summary["Review period"][2] == "rolling, years 2022–2035"

    by_year = list(wb["cost_by_year"].iter_rows(min_row=HEADER_ROWS + 1, values_only=True))
    assert [r[0] for r in by_year] == sorted(cost.by_year_rub)
    liability = [cost.liability_by_year_rub[y] for y in sorted(cost.by_year_rub)]
    assert_allclose([r[3] for r in by_year], liability, rtol=ROUND_TRIP_RTOL)


def test_release_schedule_sheet(workbooks: dict[str, Any], project_result: ProjectResult) -> None:
    assurance = project_result.assurance
    assert assurance is not None
    ws = workbooks["en"]["release_schedule"]
    assert [c.value for c in ws[2]][3:7] == ["%", "rub", "rub", "rub"]
    rows = list(ws.iter_rows(min_row=HEADER_ROWS + 1, values_only=True))
    assert [r[0] for r in rows] == [r.name for r in assurance.releases]
    assert_allclose(
        [r[5] for r in rows], [r.held_after_rub for r in assurance.releases], rtol=ROUND_TRIP_RTOL
    )
    assert [r[7] for r in rows] == [r.capped for r in assurance.releases]
    # requires (task names), state year and reached; the unreached milestone has no year
    assert [r[8:] for r in rows] == [
        ("Filling the open void with borrow material; Planning of the surface", 2036, True),
        ("Reclamation layer", 2036, True),
        ("Reclamation layer", None, False),
    ]
    assert [r[1] for r in rows] == [2036, 2036, None]
    ru = list(workbooks["ru"]["release_schedule"].iter_rows(values_only=True))
    assert ru[0][8:] == ("Требуемые состояния", "Год достижения состояний",
                         "Достигается в пределах плана")  # fmt: skip


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_liability_sheet_matches_the_liability_years(
    workbooks: dict[str, Any], project_result: ProjectResult, lang: str
) -> None:
    cost = project_result.cost
    assert cost is not None
    ws = workbooks[lang]["liability"]
    heads = [[c.value for c in ws[1]], [c.value for c in ws[2]]]
    first = {
        "en": "Filling the open void with borrow material: outstanding",
        "ru": "Засыпка открытой выемки привозным грунтом: остаток",
    }[lang]
    assert heads[0][1] == first
    assert heads[1][1:4] == [unit_label(u, lang) for u in ("m³", "m²", "m³")]
    assert heads[1][4:9] == [unit_label(u, lang) for u in ("rub", "rub", "%")] + [None] + [
        unit_label("rub", lang)
    ]
    rows = list(ws.iter_rows(min_row=HEADER_ROWS + 1, values_only=True))
    assert len(rows) == len(cost.liability_years)
    keys = ["void-fill", "surface-planning", "reclamation-layer"]
    for row, y in zip(rows, cost.liability_years, strict=True):
        assert row[0] == y.year
        expected = [
            *(y.outstanding[k] for k in keys),
            y.mobilisation_rub,
            y.direct_rub,
            y.indirect_percent,
            y.escalation_factor,
            y.liability_rub,
        ]
        assert_allclose(row[1:9], expected, rtol=ROUND_TRIP_RTOL)
        assert row[9:] == (y.in_review, y.year == cost.bond_year)
    # the stated first state: 2 700 000 m³ of void, L_2022 = 1 061 515 000 x 1.43 rub
    assert_allclose(rows[0][1], 2_700_000.0, rtol=1e-12)
    assert_allclose(rows[0][8], 1_517_966_450.0, rtol=1e-12)
    assert [r[0] for r in rows if r[10]] == [cost.bond_year]


def test_liability_tasks_sheet(workbooks: dict[str, Any], project_result: ProjectResult) -> None:
    cost = project_result.cost
    assert cost is not None
    rows = list(workbooks["ru"]["liability_tasks"].iter_rows(min_row=3, values_only=True))
    assert [r[0] for r in rows] == [t["key"] for t in cost.tasks]
    assert rows[0][1:] == (
        "Засыпка открытой выемки привозным грунтом", 2_700_000, "м³", 300, 810_000_000,
        "карьер в 3 км, техника проекта", True,
    )  # fmt: skip


def test_contents_sheet_lists_meta_and_every_sheet(
    workbooks: dict[str, Any], project_result: ProjectResult
) -> None:
    ws = workbooks["ru"]["contents"]
    values = list(ws.iter_rows(values_only=True))
    flat = {v for r in values for v in r if v is not None}
    for key in ("postmine_version", "project_sha256", "rule_set_id"):
        assert any(str(project_result.meta[key]) in str(v) for v in flat)
    header = values.index(("Лист", "Наименование", "Источник", "Примечания"))
    listed = {r[0]: r for r in values[header + 1 :]}
    assert set(listed) == set(workbooks["ru"].sheetnames) - {"contents"}
    assert listed["calendar_plan"][1:3] == (
        "Календарный план засыпки воронки обрушения",
        "003 Table 5",
    )


@pytest.mark.parametrize(
    ("keys", "names"),
    [
        (["calendar_plan"], ["calendar_plan"]),
        (["a" * 40], ["a" * 31]),
        (["x" * 40, "x" * 35], ["x" * 31, "x" * 29 + "~2"]),
        (["Findings", "findings"], ["Findings", "findings~2"]),  # Excel ignores case
        (["fleet[1]:a/b*?\\c"], ["fleet_1__a_b___c"]),
        (["history"], ["history~2"]),  # reserved by Excel
        ([""], ["sheet"]),
    ],
)
def test_sheet_name(keys: list[str], names: list[str]) -> None:
    taken: set[str] = set()
    assert [sheet_name(k, taken) for k in keys] == names


def test_non_finite_value_is_refused(project_result: ProjectResult, tmp_path: Path) -> None:
    project_result.tables[0].rows[1]["volume_thousand_m3"] = float("inf")
    with pytest.raises(ValueError, match=r"table 'waste_volumes', row 2, column "):
        write_excel(project_result, tmp_path / "report.xlsx")


def test_unknown_language_is_refused(project_result: ProjectResult, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="lang must be one of 'en', 'ru', got 'kk'"):
        write_excel(project_result, tmp_path / "report.xlsx", lang="kk")
    assert not (tmp_path / "report.xlsx").exists()


def test_result_without_cost_has_no_cost_sheets(
    project_result: ProjectResult, tmp_path: Path
) -> None:
    project_result.cost = None
    project_result.assurance = None
    wb = load_workbook(write_excel(project_result, tmp_path / "report.xlsx"))
    cost_sheets = {"cost_lines", "cost_summary", "liability", "liability_tasks", "release_schedule"}
    assert not cost_sheets & set(wb.sheetnames)
    assert "findings" in wb.sheetnames
