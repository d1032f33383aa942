"""The HTML report: content, units in headers, 003's layout in Russian, self-containment,
and the atomic write of the report directory."""

from __future__ import annotations

import base64
import re
from html import escape
from html.parser import HTMLParser
from pathlib import Path

import pytest

from postmine.project.model import Column, ProjectResult, Table, text
from postmine.reports import REPORT_FILES, excel, html, write_report
from postmine.reports.html import to_html
from postmine.reports.i18n import (
    format_money,
    format_number,
    meta_rows,
    section_of,
    tr,
    unit_from_key,
)

# --- a small parser: th/td texts of every table by id -------------------------------------


class _Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, dict[str, list[list[str]]]] = {}
        self.headings: list[str] = []
        self._table: str | None = None
        self._cell: list[str] | None = None
        self._row: list[str] = []
        self._kind = ""
        self._heading: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "table" and (a.get("id") or "").startswith("table-"):
            self._table = (a["id"] or "").removeprefix("table-")
            self.tables[self._table] = {"th": [], "td": []}
        elif tag == "tr":
            self._row = []
        elif tag in ("th", "td") and self._table is not None:
            self._cell, self._kind = [], tag
        elif tag in ("h2", "h3"):
            self._heading = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("th", "td") and self._cell is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._table is not None and self._row:
            self.tables[self._table][self._kind].append(self._row)
        elif tag == "table":
            self._table = None
        elif tag in ("h2", "h3") and self._heading is not None:
            self.headings.append("".join(self._heading).strip())
            self._heading = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        if self._heading is not None:
            self._heading.append(data)


def _parse(page: str) -> _Tables:
    parser = _Tables()
    parser.feed(page)
    return parser


@pytest.fixture(scope="module")
def page_en(report_en: tuple[ProjectResult, list[Path]]) -> str:
    return report_en[1][0].read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def page_ru(report_ru: tuple[ProjectResult, list[Path]]) -> str:
    return report_ru[1][0].read_text(encoding="utf-8")


# --- content ------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_every_table_caption_and_source_appears(
    lang: str, page_en: str, page_ru: str, project_result: ProjectResult
) -> None:
    page = page_en if lang == "en" else page_ru
    for table in project_result.tables:
        assert escape(table.title[lang]) in page
        assert f'id="table-{table.key}"' in page
        assert escape(table.source) in page
        for note in table.notes:
            assert escape(note[lang]) in page


def test_003_tables_keep_003_numbers(page_en: str, page_ru: str) -> None:
    assert "<caption>Таблица 4 – Годовые объемы складируемых отходов</caption>" in page_ru
    assert "<caption>Таблица 5 – Календарный план засыпки воронки обрушения</caption>" in page_ru
    assert "<caption>Table 15 – Fleet of T-170 bulldozers</caption>" in page_en
    # tables 003 does not have are captioned without a number
    assert "<caption>Объем планировочных работ</caption>" in page_ru


def test_tables_are_numbered_in_order_when_none_is_from_003(
    project_result: ProjectResult,
) -> None:
    project_result.tables = [t for t in project_result.tables if "003 Table" not in t.source]
    page = to_html(project_result, "ru")
    captions = re.findall(r"<caption>(.*?)</caption>", page)
    numbered = [c for c in captions if c.startswith("Таблица")]
    assert numbered[:3] == [
        "Таблица 1 – Площадь земель под отвалом",  # section 3
        "Таблица 2 – Объем планировочных работ",  # section 3.2
        "Таблица 3 – Этапы проведения работ",  # section 5
    ]
    assert [int(c.split()[1]) for c in numbered] == list(range(1, len(numbered) + 1))


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_every_finding_appears_escaped_and_coloured(
    lang: str, page_en: str, page_ru: str, project_result: ProjectResult
) -> None:
    page = page_en if lang == "en" else page_ru
    for finding in project_result.findings:
        assert escape(finding.message[lang]) in page
        assert finding.code in page
    assert "<ok>" not in page  # the message's "<ok>" is text, not a tag
    for severity in ("violation", "warning", "info"):
        assert f'<tr class="sev-{severity}">' in page
    # violations first, and the findings before the first table
    assert page.index("sev-violation") < page.index("sev-warning") < page.index("sev-info")
    assert page.index('id="findings"') < page.index("<caption>")


def test_cells_hold_the_table_rows_in_the_source_units(
    page_en: str, page_ru: str, project_result: ProjectResult
) -> None:
    plan = project_result.table("calendar_plan")
    for page, lang, unit in ((page_en, "en", "thousand m³"), (page_ru, "ru", "тыс. м³")):
        parsed = _parse(page).tables["calendar_plan"]
        (header,) = parsed["th"]
        assert header[0] == plan.columns[0].label[lang]  # the year has no unit
        for cell, column in zip(header[1:], plan.columns[1:], strict=True):
            assert cell == f"{column.label[lang]}, {unit}"
        assert len(parsed["td"]) == len(plan.rows)
        for cells, row in zip(parsed["td"], plan.rows, strict=True):
            assert cells == [_shown(row.get(c.key), lang) for c in plan.columns]
    # 003 Table 5, 2029: 274,1 and 253,4 on +650; totals 8314,5 and 7684,5 (decimal comma)
    ru_rows = _parse(page_ru).tables["calendar_plan"]["td"]
    assert ru_rows[7][:3] == ["2029", "274,1", "253,4"]
    assert ru_rows[-1][:7] == ["Итого", "4154,2", "3839,5", "4160,3", "3845", "8314,5", "7684,5"]


def _shown(value: object, lang: str) -> str:
    return tr(value, lang) if isinstance(value, dict) else format_number(value, lang)


def test_units_come_from_the_key_when_a_column_states_none(project_result: ProjectResult) -> None:
    project_result.tables = [
        Table(
            "waste_volumes",
            text("Volumes", "Объемы"),
            "003 Table 4",
            [Column("mass_thousand_t", text("Mass", "Масса"))],
            [{"mass_thousand_t": 1181.0}],
        )
    ]
    header = _parse(to_html(project_result, "ru")).tables["waste_volumes"]["th"][0]
    assert header == ["Масса, тыс. т"]


def test_meta_cost_and_release_are_reported(page_en: str, project_result: ProjectResult) -> None:
    meta_rows = {r[0]: r[1] for r in _parse_plain_rows(page_en) if len(r) == 2}
    assert meta_rows["postmine version"] == "0.1.0"
    assert meta_rows["Inputs hash (SHA-256)"] == project_result.meta["project_sha256"]
    assert meta_rows["Rule set"] == (
        "ru-800-2018 — Rules of land reclamation and conservation (Decree No. 800)"
    )
    assert meta_rows["Project file"] == "examples/abaza/project.toml"
    cost = project_result.cost
    assert cost is not None
    for line in cost.indirect:
        assert escape(line["name"]) in page_en
        assert escape(format_money(line["amount_rub"], "en")) in page_en
    for amount in (cost.direct_rub, cost.total_rub, cost.bond_rub, cost.provision_rub):
        assert format_money(amount, "en") in page_en
    for name, value in cost.percentiles_rub.items():
        assert f"Bond, {name} (Monte Carlo, 500 samples)" in page_en
        assert format_money(value, "en") in page_en
    assert [f"Year of maximum liability: {cost.bond_year}", "", "", ""] in _parse_plain_rows(
        page_en
    )
    assurance = project_result.assurance
    assert assurance is not None
    for release in assurance.releases:
        assert escape(release.name) in page_en
        assert escape(release.evidence) in page_en
        assert format_money(release.held_after_rub, "en") in page_en
    # the indirect lines' percents and sources
    cost_rows = [r for r in _parse_plain_rows(page_en) if r and r[0] == "contingency"]
    assert cost_rows == [["contingency", "10", format_money(cost.indirect[1]["amount_rub"], "en"),
                          "Nevada SRCE"]]  # fmt: skip


def _parse_plain_rows(page: str) -> list[list[str]]:
    rows = re.findall(r"<tr>(.*?)</tr>", page, flags=re.S)
    return [
        [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", r, re.S)]
        for r in rows
    ]


# --- the Russian layout of 003 ------------------------------------------------------------

RU_HEADINGS = [  # in 003's order, as 003 prints them
    "Результаты проверок проекта",
    "1. Состав работ по рекультивации нарушенных земель",
    "3. Последовательность и объем выполнения работ по рекультивации земельного участка",
    "3.1 Засыпка воронки обрушения",
    "3.2 Планировка поверхности отвала",
    "4. Технология и комплексная механизация работ",
    "4.3 Бульдозерное отвалообразование",
    "5. Сроки проведения работ по рекультивации земельного участка с разбивкой по этапам "
    "проведения отдельных видов работ",
    "6. Сроки окончания работ по рекультивации земельного участка",
    "Стоимость работ по рекультивации",
    "Финансовое обеспечение и график его возврата",
    "Графики",
]


def test_russian_report_follows_003_sections(page_ru: str) -> None:
    headings = _parse(page_ru).headings
    assert [h for h in headings if h in RU_HEADINGS] == RU_HEADINGS
    assert '<html lang="ru">' in page_ru
    assert "Срок окончания работ по технической рекультивации – 2036 г." in page_ru
    # section 1 lists the works with their years (activity_years)
    assert "<li>Погрузка и транспортирование отходов в отвал (2022–2036)</li>" in page_ru
    assert "<li>Планировка поверхности отвала (2036)</li>" in page_ru
    # tables sit in 003's sections: Table 5 under 3.1, Table 15 under 4.3
    assert (
        page_ru.index("3.1 Засыпка воронки обрушения")
        < page_ru.index("Таблица 5 –")
        < page_ru.index("3.2 Планировка поверхности отвала")
        < page_ru.index("4.3 Бульдозерное отвалообразование")
        < page_ru.index("Таблица 15 –")
    )


def test_stages_come_from_activity_years_unless_a_table_gives_them(
    project_result: ProjectResult, page_ru: str
) -> None:
    stages = _parse_plain_rows(page_ru)
    assert ["Планировка поверхности отвала", "2036", "2036"] in stages
    project_result.tables.append(
        Table(
            "timeline",
            text("Timeline of the works", "Сроки проведения работ по этапам"),
            "003 sec. 3.2, 3.3, 5",
            [Column("stage", text("Stage", "Этап"))],
            [{"stage": "backfill"}],
        )
    )
    page = to_html(project_result, "ru")
    assert "Этапы проведения работ" not in page
    assert page.index("5. Сроки проведения работ") < page.index("<caption>Сроки проведения работ")


def test_unknown_tables_go_to_additional_tables(project_result: ProjectResult) -> None:
    project_result.tables.append(
        Table(
            "mine_water_chemistry",
            text("Mine water chemistry", "Химический состав шахтных вод"),
            "004 PR2",
            [Column("ph", text("pH", "pH"))],
            [{"ph": 7.2}],
        )
    )
    page = to_html(project_result, "ru")
    headings = _parse(page).headings
    assert headings.index("Дополнительные таблицы") == headings.index(RU_HEADINGS[-4]) + 1
    assert page.index("Дополнительные таблицы") < page.index("<caption>Химический состав")


def test_section_2_holds_the_waste_characteristics(project_result: ProjectResult) -> None:
    project_result.tables.insert(
        0,
        Table(
            "tailings_composition",
            text("Chemical composition of the tailings", "Химический состав хвостов СМС"),
            "003 Table 1",
            [Column("fe_percent", text("Fe", "Fe"), "%")],
            [{"fe_percent": 14.2}],
        ),
    )
    page = to_html(project_result, "ru")
    assert "<h2>2. Характеристика отходов, размещаемых в воронке обрушения</h2>" in page
    assert page.index("2. Характеристика отходов") < page.index("Таблица 1 – Химический состав")
    assert page.index("Таблица 1 – Химический состав") < page.index("3.1 Засыпка воронки")


@pytest.mark.parametrize(
    ("key", "source", "number"),
    [  # 003's tables where 003 prints them; other tables by the words of their key
        ("waste_volumes", "003 Table 4", "3.1"),
        ("calendar_plan", "003 Table 5", "3.1"),
        ("equipment", "003 Table 6", "4"),
        ("loader_output", "003 Table 8", "4.1"),
        ("loader_fleet", "Table 9 in 003", "4.1"),
        ("truck_output", "003 Table 11", "4.2"),
        ("truck_fleet", "003 Table 12", "4.2"),
        ("dozer_output", "003 Table 14", "4.3"),
        ("dozer_fleet", "003 Table 15", "4.3"),
        ("filling_time", "003 sec. 3.1", "3.1"),
        ("surface_planning", "003 sec. 3.2", "3.2"),
        ("reclamation_layer", "003 sec. 3.3", "3.3"),
        ("slide_prism", "003 sec. 4.2", "4.2"),
        ("timeline", "003 sec. 3.2, 3.3, 5", "5"),
        # the dump project of 004 PR1: 003's methods, not its tables
        ("reclamation_outputs", "003 Tables 8, 11, 14 (methods), applied to the dump", "4"),
        ("reclamation_calendar", "postmine: 003 methods, work regime", "5"),
        ("machine_utilisation", "003 sec. 4 (work regime)", "4"),
        ("slope_flattening", "004 PR1, Eqs. 1.7-1.11", "3"),
        ("land_allotment", "004 Table 1.1", "3"),
        ("mine_water_chemistry", "004 PR2", ""),
        ("waste_volumes", "Decree 2003, Table 9", "3.1"),  # "2003" is not document 003
    ],
)
def test_section_of(key: str, source: str, number: str) -> None:
    assert section_of(key, source).number == number


@pytest.mark.parametrize(
    ("key", "unit"),
    [
        ("dump_volume_thousand_m3", "thousand m³"),
        ("mass_thousand_t", "thousand t"),
        ("area_thousand_m2", "thousand m²"),
        ("bulk_density_t_m3", "t/m³"),
        ("amount_rub", "rub"),
        ("area_ha", "ha"),
        ("loosening_factor", ""),
    ],
)
def test_unit_from_key(key: str, unit: str) -> None:
    assert unit_from_key(key) == unit


@pytest.mark.parametrize(
    "meta",
    [
        {"postmine_version": "0.1.0", "project_sha256": "ab12", "rule_set_id": "ru-781-2025"},
        {"postmine_version": "0.1.0", "inputs_sha256": "ab12", "rules_id": "ru-781-2025"},
    ],
)
def test_meta_rows_accept_either_naming(meta: dict[str, str]) -> None:
    assert meta_rows(meta, "ru") == [
        ("Версия postmine", "0.1.0"),
        ("Хеш исходных данных (SHA-256)", "ab12"),
        ("Нормативная база", "ru-781-2025"),
    ]


def test_texts_fall_back_to_english() -> None:
    assert tr({"en": "Tier"}, "ru") == "Tier"
    assert format_number(2029, "ru") == "2029"
    assert format_number(0.7145, "ru") == "0,715"
    assert format_number(True, "ru") == "да"


# --- self-contained -----------------------------------------------------------------------


def test_page_is_self_contained(page_en: str) -> None:
    assert "<script" not in page_en
    assert "<link" not in page_en
    assert "url(" not in page_en
    assert "@import" not in page_en
    assert re.search(r'\b(?:href|src)="(?!data:)', page_en) is None
    sources = re.findall(r'<img src="data:image/png;base64,([A-Za-z0-9+/=]+)"', page_en)
    assert len(sources) == 5  # fill, cost, liability, release, uncertainty
    for data in sources:
        assert base64.b64decode(data).startswith(b"\x89PNG\r\n\x1a\n")


def test_missing_parts_give_notes_not_errors(project_result: ProjectResult) -> None:
    project_result.tables = [t for t in project_result.tables if t.key != "calendar_plan"]
    project_result.cost = None
    project_result.assurance = None
    page = to_html(project_result, "en")
    assert "The cost was not computed." in page
    assert "No release schedule was computed." in page
    assert (
        "Plot not drawn: the project fills no tiers (it has no table &#x27;calendar_plan&#x27;)"
        in page
    )
    assert page.count("<img ") == 0


def test_unknown_language_is_refused(project_result: ProjectResult, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="lang must be one of 'en', 'ru', got 'de'"):
        to_html(project_result, "de")
    with pytest.raises(ValueError, match="lang must be one of 'en', 'ru', got 'EN'"):
        write_report(project_result, tmp_path / "out", lang="EN")
    assert not (tmp_path / "out").exists()


def test_nan_in_a_table_is_refused(project_result: ProjectResult) -> None:
    project_result.tables[0].rows[0]["mass_thousand_t"] = float("nan")
    with pytest.raises(ValueError, match="table 'waste_volumes': a table cell is nan"):
        to_html(project_result, "en")
    project_result.tables[0].rows[0]["mass_thousand_t"] = float("-inf")
    with pytest.raises(ValueError, match="a table cell is -inf; the report prints finite"):
        to_html(project_result, "en")


# --- write_report: both files or none -----------------------------------------------------


def _leftovers(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.endswith(".partial")]


def test_write_report_writes_both_files(project_result: ProjectResult, tmp_path: Path) -> None:
    out = tmp_path / "deep" / "report"
    paths = write_report(project_result, out, lang="ru")
    assert paths == [out / name for name in REPORT_FILES]
    assert all(p.stat().st_size > 0 for p in paths)
    assert _leftovers(out.parent) == []
    # a second run replaces the report and leaves other files alone
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    write_report(project_result, out, lang="en")
    assert '<html lang="en">' in paths[0].read_text(encoding="utf-8")
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"


@pytest.mark.parametrize("failing", ["html", "excel"])
def test_failed_step_leaves_no_partial_report(
    failing: str, project_result: ProjectResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    if failing == "html":
        monkeypatch.setattr(html, "write_html", fail)
    else:
        monkeypatch.setattr(excel, "write_excel", fail)
    out = tmp_path / "report"
    with pytest.raises(OSError, match="disk full"):
        write_report(project_result, out)
    assert not out.exists()
    assert _leftovers(tmp_path) == []


def test_failure_keeps_the_previous_report(
    project_result: ProjectResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "report"
    old = write_report(project_result, out, lang="en")
    before = [p.read_bytes() for p in old]

    def fail(*args: object, **kwargs: object) -> None:
        raise ValueError("cannot write the workbook")

    monkeypatch.setattr(excel, "write_excel", fail)  # the HTML step succeeds, then this fails
    with pytest.raises(ValueError, match="cannot write the workbook"):
        write_report(project_result, out, lang="ru")
    assert [p.read_bytes() for p in old] == before
    assert _leftovers(tmp_path) == []


def test_real_failure_in_the_first_step_writes_nothing(
    project_result: ProjectResult, tmp_path: Path
) -> None:
    project_result.tables[1].rows[0]["tier+650_dump_volume_thousand_m3"] = float("nan")
    with pytest.raises(ValueError, match="a table cell is nan"):
        write_report(project_result, tmp_path / "report")
    assert list(tmp_path.iterdir()) == []


def test_report_directory_that_is_a_file_is_refused(
    project_result: ProjectResult, tmp_path: Path
) -> None:
    target = tmp_path / "report"
    target.write_text("not a folder", encoding="utf-8")
    with pytest.raises(NotADirectoryError, match="is a file"):
        write_report(project_result, target)


# --- the liability of each year's state, the assurance and the unreached milestone ---------

# The fixture's first state (2022): 2 700 000 m³ of void, 166 000 m² of planning, 156 000 m³
# of layer at 300, 2.5 and 1600 rub per unit, 1.5 million rub of mobilisation, 43 % of
# indirect costs, no escalation yet: L_2022 = (810 000 000 + 415 000 + 249 600 000 + 1 500 000)
# x 1.43 = 1 517 966 450 rub. In 2036 the void has 2 700 000 / 15 = 180 000 m³ left.
L_2022_RUB = "1,517,966,450"


def test_liability_table_shows_each_years_state_and_price(
    page_en: str, project_result: ProjectResult
) -> None:
    cost = project_result.cost
    assert cost is not None
    table = _parse(page_en).tables["liability_years"]
    assert table["th"][0] == [
        "Year",
        "Filling the open void with borrow material: outstanding, m³",
        "Planning of the surface: outstanding, m²",
        "Reclamation layer: outstanding, m³",
        "Mobilisation and demobilisation of the third party, rub",
        "Direct cost of the year's state, rub",
        "Indirect costs, %",
        "Escalation factor",
        "Liability of the year's state, rub",
        "Remark",
    ]
    rows = {int(r[0]): r for r in table["td"]}
    assert sorted(rows) == [y.year for y in cost.liability_years]
    assert rows[2022][1:5] == ["2,700,000", "166,000", "156,000", "1,500,000"]
    assert rows[2022][6:9] == ["43", "1", L_2022_RUB]
    assert rows[2036][1] == "180,000"
    assert rows[2024][7] == "1.1236"  # 1.06²
    for y in cost.liability_years:
        assert rows[y.year][8] == format_money(y.liability_rub, "en")
        assert rows[y.year][5] == format_money(y.direct_rub, "en")
    assert rows[cost.bond_year][9] == "bond year (maximum)"
    assert rows[2036][9] == "outside the review period"
    assert [r[0] for r in table["td"] if r[9] == "bond year (maximum)"] == [str(cost.bond_year)]
    # the per-year liability is no longer repeated in the cost-by-year table
    by_year_heads = [h for h in re.findall(r"<th[^>]*>(.*?)</th>", page_en) if "Remaining" in h]
    assert by_year_heads == ['Remaining liability, <span class="unit">rub</span>']  # release only


def test_tasks_table_gives_quantity_unit_cost_and_basis(page_ru: str) -> None:
    table = _parse(page_ru).tables["liability_tasks"]
    assert table["td"] == [
        ["Засыпка открытой выемки привозным грунтом", "2\xa0700\xa0000", "м³", "300",
         "810\xa0000\xa0000", "карьер в 3 км, техника проекта", "да"],
        ["Планировка поверхности", "166\xa0000", "м²", "2,5", "415\xa0000", "работы проекта",
         "нет"],
        ["Рекультивационный слой", "156\xa0000", "м³", "1600", "249\xa0600\xa0000",
         "работы проекта", "нет"],
    ]  # fmt: skip


def test_assurance_amount_basis_percentile_and_review(
    page_en: str, page_ru: str, project_result: ProjectResult
) -> None:
    cost = project_result.cost
    assert cost is not None and cost.deterministic_percentile is not None
    rows = _parse_plain_rows(page_en)
    p80 = format_money(cost.percentiles_rub["P80"], "en")
    assert ["Financial assurance: P80 of the bond (Monte Carlo)", "", p80, ""] in rows
    n = 48  # the share of the fixture's 500 samples below the bond, rounded
    assert cost.deterministic_percentile == n
    sentence = "The deterministic bond is at the 48th percentile of its distribution"
    assert [sentence, "", "", ""] in rows
    assert ["Review period: rolling, years 2022–2035", "", "", ""] in rows
    ru_rows = _parse_plain_rows(page_ru)
    assert [
        "Финансовое обеспечение: P80 суммы (Монте-Карло)",
        "",
        format_money(cost.percentiles_rub["P80"], "ru"),
        "",
    ] in ru_rows
    assert [
        f"Детерминированная сумма обеспечения находится на {n}-м процентиле своего распределения",
        "",
        "",
        "",
    ] in ru_rows


@pytest.mark.parametrize(
    ("lang", "not_reached", "requires"),
    [
        ("en", "not reached within the plan", "Reclamation layer"),
        ("ru", "не достигается в пределах плана", "Рекультивационный слой"),
    ],
)
def test_unreached_milestone_shows_not_reached_and_its_states(
    page_en: str, page_ru: str, project_result: ProjectResult, lang: str, not_reached: str,
    requires: str,
) -> None:  # fmt: skip
    page = page_en if lang == "en" else page_ru
    rows = _parse(page).tables["release"]["td"]
    assurance = project_result.assurance
    assert assurance is not None
    assert [r[2] for r in rows] == ["2036", "2036", not_reached]
    assert rows[2][3] == requires
    assert rows[2][6] == format_money(0.0, lang)  # nothing released at it
    assert rows[0][3] == (
        "Filling the open void with borrow material; Planning of the surface"
        if lang == "en"
        else "Засыпка открытой выемки привозным грунтом; Планировка поверхности"
    )
    assert "None" not in page


def test_russian_labels_have_no_english(page_ru: str) -> None:
    """Every heading, caption and column head of the Russian page is Russian; what Latin
    remains is data (names, sources) or a symbol such as P80."""
    allowed = re.compile(r"\bP\d\d\b|SHA-256|postmine")
    for tag, inner in re.findall(
        r"<(th|caption|h2|h3|figcaption)[^>]*>(.*?)</\1>", page_ru, flags=re.S
    ):
        shown = allowed.sub("", re.sub(r"<[^>]+>", "", inner))
        assert not re.search(r"[A-Za-z]", shown), (tag, inner)
    for row in _parse_plain_rows(page_ru):
        if row and row[0].startswith(("Финансовое обеспечение", "Детерминированная", "Период")):
            assert not re.search(r"[A-Za-z]", allowed.sub("", row[0])), row
    for row in _parse(page_ru).tables["release"]["td"]:
        assert not re.search(r"[A-Za-z]", row[2] + row[3]), row
