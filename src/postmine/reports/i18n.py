"""Labels of the reports in English and Russian, and the section layout of document 003.

The Russian report is the form its readers submit, so its sections carry 003's numbers and
headings ("2. Характеристика отходов, размещаемых в воронке обрушения", "3.1 Засыпка воронки
обрушения", "4.2 Технологический транспорт", ...) and each table lands in the section where
003 prints it. The English report uses the same layout with translated headings.

A table is placed by the 003 table it reproduces (``Table.source`` such as ``"003 Table 5"``)
or, failing that, by words of its key (``"calendar_plan"`` -> 3.1, ``"truck_fleet"`` -> 4.2);
tables that match neither go to an unnumbered section of additional tables.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from postmine.data.quantities import all_quantities, quantity
from postmine.project.model import CostResult

__all__ = [
    "LANGUAGES",
    "SECTIONS",
    "Section",
    "activity_label",
    "assurance_basis_text",
    "check_lang",
    "format_money",
    "format_number",
    "indirect_name",
    "label",
    "meta_rows",
    "ordinal",
    "percentile_text",
    "review_text",
    "section_of",
    "table_number_003",
    "task_names",
    "tr",
    "unit_from_key",
    "unit_label",
]

LANGUAGES = ("en", "ru")
"""Languages a report can be written in."""


def check_lang(lang: str) -> str:
    """Return ``lang`` if reports can be written in it.

    Raises
    ------
    ValueError
        If ``lang`` is not one of :data:`LANGUAGES`.

    Examples
    --------
    >>> check_lang("ru")
    'ru'
    >>> check_lang("de")
    Traceback (most recent call last):
    ...
    ValueError: lang must be one of 'en', 'ru', got 'de'
    """
    if lang not in LANGUAGES:
        allowed = ", ".join(repr(x) for x in LANGUAGES)
        raise ValueError(f"lang must be one of {allowed}, got {lang!r}")
    return lang


def indirect_name(line: Mapping[str, Any], lang: str) -> Any:
    """Return the name of an indirect-cost line in ``lang``: the rule set's Russian name in Russian.

    Examples
    --------
    >>> indirect_name({"name": "contingency", "name_ru": "Непредвиденные расходы"}, "ru")
    'Непредвиденные расходы'
    >>> indirect_name({"name": "contingency"}, "ru")
    'contingency'
    """
    if lang == "ru" and line.get("name_ru"):
        return line["name_ru"]
    return line.get("name", "")


def tr(value: Any, lang: str) -> str:
    """Return the ``lang`` form of a two-language text, or ``value`` as a string.

    Examples
    --------
    >>> tr({"en": "Tier", "ru": "Ярус"}, "ru")
    'Ярус'
    >>> tr({"en": "Tier"}, "ru")
    'Tier'
    >>> tr(None, "en")
    ''
    """
    if value is None:
        return ""
    if isinstance(value, Mapping):
        found = value.get(lang) or value.get("en")
        if found is None and value:
            found = next(iter(value.values()))
        return "" if found is None else str(found)
    return str(value)


_LABELS: dict[str, tuple[str, str]] = {
    "report_title": ("Reclamation project", "Проект рекультивации"),
    "meta": ("About this report", "Сведения об отчете"),
    "postmine_version": ("postmine version", "Версия postmine"),
    "inputs_hash": ("Inputs hash (SHA-256)", "Хеш исходных данных (SHA-256)"),
    "rule_set": ("Rule set", "Нормативная база"),
    "findings": ("Findings of the checks", "Результаты проверок проекта"),
    "no_findings": ("The checks found nothing to report.", "Проверки замечаний не выявили."),
    "severity": ("Severity", "Важность"),
    "severity.violation": ("violation", "нарушение"),
    "severity.warning": ("warning", "предупреждение"),
    "severity.info": ("information", "информация"),
    "code": ("Code", "Код"),
    "message": ("Finding", "Замечание"),
    "value": ("Value", "Значение"),
    "limit": ("Limit", "Предел"),
    "unit": ("Unit", "Ед. изм."),
    "source": ("Source", "Источник"),
    "table": ("Table", "Таблица"),
    "notes": ("Notes", "Примечания"),
    "works_intro": (
        "The technical reclamation of the site comprises the following works:",
        "Технической рекультивацией земельного участка предусмотрены следующие работы:",
    ),
    "activity": ("Work", "Вид работ"),
    "first_year": ("Start", "Начало"),
    "last_year": ("End", "Окончание"),
    "year_unit": ("year", "год"),
    "stages_title": ("Stages of the works", "Этапы проведения работ"),
    "end_of_works": (
        "The technical reclamation of the site ends in {year}.",
        "Срок окончания работ по технической рекультивации – {year} г.",
    ),
    "cost": ("Cost of the reclamation", "Стоимость работ по рекультивации"),
    "cost_missing": ("The cost was not computed.", "Стоимость не рассчитывалась."),
    "cost_item": ("Item", "Статья"),
    "percent": ("Percent", "Процент"),
    "amount": ("Amount", "Сумма"),
    "percentile": (
        "Bond, {name} (Monte Carlo, {n} samples)",
        "Обеспечение, {name} (Монте-Карло, {n} испытаний)",
    ),
    "by_year": ("Cost by year", "Затраты по годам"),
    "cost_lines": (
        "Direct cost by activity, year and item",
        "Прямые затраты по видам работ, годам и статьям",
    ),
    "year": ("Year", "Год"),
    "release": (
        "Financial assurance and its staged release",
        "Финансовое обеспечение и график его возврата",
    ),
    "release_missing": ("No release schedule was computed.", "График возврата не рассчитывался."),
    "milestone": ("Milestone", "Этап"),
    "evidence": ("Evidence required", "Подтверждающие документы"),
    "capped": ("Capped by the liability", "Ограничено обязательствами"),
    "yes": ("yes", "да"),
    "no": ("no", "нет"),
    "start": ("Before release", "До возврата"),
    "assurance_basis.deterministic": (
        "Financial assurance: the deterministic bond",
        "Финансовое обеспечение: детерминированная сумма",
    ),
    "assurance_basis.percentile": (
        "Financial assurance: {basis} of the bond (Monte Carlo)",
        "Финансовое обеспечение: {basis} суммы (Монте-Карло)",
    ),
    "deterministic_percentile_text": (
        "The deterministic bond is at the {nth} percentile of its distribution",
        "Детерминированная сумма обеспечения находится на {n}-м процентиле своего распределения",
    ),
    "review_period": ("Review period", "Период пересмотра"),
    "review.life-of-plan": (
        "the whole life of the plan (the largest liability of every year)",
        "весь срок плана (наибольшие обязательства за все годы)",
    ),
    "review.rolling": (
        "rolling, years {first}–{last}",
        "скользящий, {first}–{last} гг.",
    ),
    "liability_years": (
        "Liability of each year's state",
        "Обязательства по состоянию участка на каждый год",
    ),
    "liability_intro": (
        "The liability of a year is what a third party would pay to reclaim the site as it "
        "stands at the end of that year: the work outstanding of every task, priced at "
        "base-year rates, with mobilisation, indirect costs and escalation to that year.",
        "Обязательства года – стоимость рекультивации участка сторонним подрядчиком в том "
        "состоянии, в котором участок находится на конец года: невыполненный объем каждой "
        "работы по базисным расценкам, с мобилизацией, косвенными затратами и удорожанием "
        "к ценам этого года.",
    ),
    "outstanding": ("{task}: outstanding", "{task}: остаток"),
    "year_remark": ("Remark", "Примечание"),
    "bond_year_mark": ("bond year (maximum)", "год обеспечения (максимум)"),
    "outside_review": ("outside the review period", "вне периода пересмотра"),
    "liability_tasks": (
        "Reclamation tasks priced in the liability",
        "Работы по рекультивации, учитываемые в обязательствах",
    ),
    "task": ("Task", "Работа"),
    "task_quantity": ("Whole quantity", "Полный объем"),
    "unit_cost": ("Unit cost, rub per unit", "Удельная стоимость, руб. за единицу"),
    "task_direct": ("Direct cost of the whole task", "Прямые затраты на всю работу"),
    "basis": (
        "Basis: how it is sized, the third party's means",
        "Основание: определение объема, средства подрядчика",
    ),
    "third_party_only": ("Only if the operator defaults", "Только при отказе оператора"),
    "requires": ("States required", "Требуемые состояния"),
    "state_year": ("Year the states are reached", "Год достижения состояний"),
    "in_review": ("In the review period", "В периоде пересмотра"),
    "task_key": ("Task key", "Код работы"),
    "reached": ("Reached within the plan", "Достигается в пределах плана"),
    "not_reached": ("not reached within the plan", "не достигается в пределах плана"),
    "assurance_held": ("Financial assurance held", "Удерживаемое обеспечение"),
    "plots": ("Plots", "Графики"),
    "plot_unavailable": ("Plot not drawn: {reason}", "График не построен: {reason}"),
    "other_tables": ("Additional tables", "Дополнительные таблицы"),
    "work": ("Machine work", "Работа техники"),
    "materials": ("Materials", "Материалы"),
    "equipment": ("Equipment", "Оборудование"),
    "machine_hours": ("Machine hours", "Машино-часы"),
    "volume": ("Volume", "Объем"),
    "material": ("Material", "Материал"),
    "quantity": ("Quantity", "Количество"),
    "category": ("Category", "Вид затрат"),
    "item": ("Item", "Позиция"),
    "quantity_unit": ("Quantity unit", "Ед. изм. количества"),
    "unit_rate": ("Unit rate", "Расценка"),
    "contents": ("Contents", "Содержание"),
    "meta.name": ("Project", "Проект"),
    "meta.site": ("Site", "Объект"),
    "meta.operator": ("Operator", "Предприятие"),
    "meta.region": ("Region", "Регион"),
    "meta.source": ("Source document", "Исходный документ"),
    "meta.price_base_year": ("Price base year", "Базисный год цен"),
    "meta.currency": ("Currency", "Валюта"),
    "meta.start_year": ("Start year", "Год начала работ"),
    "meta.project_file": ("Project file", "Файл проекта"),
    "meta.format_version": ("Project file format", "Версия формата файла проекта"),
    "meta.rule_set_origin": ("Rule set file", "Файл нормативной базы"),
    "meta.max_technical_years_override": (
        "Limit on technical reclamation, set by the project",
        "Срок технической рекультивации, заданный проектом",
    ),
    "sheet": ("Sheet", "Лист"),
    "caption": ("Caption", "Наименование"),
    "parameter": ("Parameter", "Параметр"),
    # plots
    "plot.fill": ("Fill of the dump by tier", "Заполнение отвала по ярусам"),
    "plot.fill.y": ("Volume in the dump, thousand m³", "Объем отходов в отвале, тыс. м³"),
    "plot.tier": ("Tier", "Ярус"),
    "plot.cost": ("Direct cost by activity and year", "Прямые затраты по видам работ и годам"),
    "plot.cost.y": ("Direct cost, million rub", "Прямые затраты, млн руб."),
    "plot.bond": (
        "Bond held and remaining liability",
        "Удерживаемое обеспечение и остаток обязательств",
    ),
    "plot.bond.y": ("Amount, million rub", "Сумма, млн руб."),
    "plot.bond.held": ("Bond held", "Удерживаемое обеспечение"),
    "plot.bond.liability": ("Remaining liability", "Остаток обязательств"),
    "plot.mc": ("Uncertainty of the bond", "Неопределенность суммы обеспечения"),
    "plot.mc.x": ("Bond, million rub", "Обеспечение, млн руб."),
    "plot.mc.y": ("Samples", "Число испытаний"),
    "plot.mc.bond": ("Bond, base case", "Обеспечение, базовый расчет"),
    "plot.year": ("Year", "Год"),
    "plot.liability": (
        "Liability of each year's state and the assurance held",
        "Обязательства по состоянию года и удерживаемое обеспечение",
    ),
    "plot.liability.line": ("Liability of the year's state", "Обязательства по состоянию года"),
    "plot.not_reached": ("not reached", "не достигается"),
    "plot.no_liability_years": (
        "the cost has no liability by year",
        "в расчете стоимости нет обязательств по годам",
    ),
    "plot.no_calendar_plan": (
        "the project fills no tiers (it has no table 'calendar_plan')",
        "в проекте нет поярусной засыпки (нет таблицы 'calendar_plan')",
    ),
    "plot.no_cost": ("the cost was not computed", "стоимость не рассчитывалась"),
    "plot.no_lines": ("there are no cost lines", "нет строк затрат"),
    "plot.no_assurance": ("there is no release schedule", "нет графика возврата обеспечения"),
    "plot.no_samples": ("there are no Monte Carlo samples", "нет испытаний Монте-Карло"),
}


# Labels of quantities of the cost and the assurance: read from the table of quantities
# (postmine.data.quantities, costing.toml and assurance.toml), under the report's names.
_QUANTITY_LABELS: dict[str, str] = {
    "direct": "direct_cost_rub",
    "indirect_total": "indirect_cost_rub",
    "total": "total_cost_rub",
    "bond": "bond_rub",
    "bond_year": "bond_year",
    "provision": "provision_rub",
    "cost_by_year": "cost_by_year_rub",
    "cost_escalated": "escalated_cost_by_year_rub",
    "liability": "remaining_liability_rub",
    "release_percent": "release_percent",
    "released": "released_rub",
    "held_after": "held_after_rub",
    "remaining_liability": "remaining_liability_rub",
    "assurance": "assurance_rub",
    "liability_t": "liability_rub",
    "liability_direct": "liability_direct_cost_rub",
    "mobilisation": "mobilisation_cost_rub",
    "indirect_percent": "indirect_percent",
    "escalation_factor": "escalation_factor",
    "deterministic_percentile": "deterministic_percentile",
}


def label(key: str, lang: str, **fields: Any) -> str:
    """Return the label ``key`` in ``lang``, with ``{fields}`` filled in.

    Labels of quantities (``"bond"``, ``"released"`` ...) come from the table of quantities.

    Raises
    ------
    KeyError
        If there is no such label.

    Examples
    --------
    >>> label("end_of_works", "ru", year=2036)
    'Срок окончания работ по технической рекультивации – 2036 г.'
    >>> label("provision", "en")
    'Provision: discounted present value'
    """
    if key in _QUANTITY_LABELS:
        return quantity(_QUANTITY_LABELS[key]).label(check_lang(lang))
    en, ru = _LABELS[key]
    template = ru if check_lang(lang) == "ru" else en
    return template.format(**fields) if fields else template


# What the meta of a result records, under the names the engine may use for it.
_META_FIELDS = (
    ("postmine_version", ("postmine_version",)),
    ("inputs_hash", ("project_sha256", "inputs_sha256", "inputs_hash")),
    ("rule_set", ("rule_set_id", "rules_id", "rule_set")),
)
_RULE_SET_TITLES = {"en": ("rule_set_title_en", "rule_set_title"), "ru": ("rule_set_title",)}


def meta_rows(meta: Mapping[str, Any], lang: str) -> list[tuple[str, str]]:
    """Return the meta of a result as (label, value) rows, the run's identity first.

    First the postmine version, the inputs hash and the rule set (id and title), shown as
    ``"—"`` when the meta lacks them; then every other entry that has a value.

    Examples
    --------
    >>> meta = {"postmine_version": "0.1.0", "rule_set_id": "ru-800-2018",
    ...         "rule_set_title_en": "Decree No. 800", "site": "Abaza"}
    >>> meta_rows(meta, "en")  # doctest: +NORMALIZE_WHITESPACE
    [('postmine version', '0.1.0'), ('Inputs hash (SHA-256)', '—'),
     ('Rule set', 'ru-800-2018 — Decree No. 800'), ('Site', 'Abaza')]
    """
    rows: list[tuple[str, str]] = []
    used: set[str] = set()
    for key, names in _META_FIELDS:
        used.update(names)
        value = next((meta[n] for n in names if meta.get(n) not in (None, "")), None)
        shown = "—" if value is None else _meta_text(value, lang)
        if key == "rule_set" and value is not None:
            titles = _RULE_SET_TITLES[check_lang(lang)]
            title = next((str(meta[t]) for t in titles if meta.get(t)), "")
            shown = f"{shown} — {title}" if title else shown
        rows.append((label(key, lang), shown))
    used.update(("rule_set_title", "rule_set_title_en"))
    for key, value in meta.items():
        if key in used or value in (None, "", [], {}):
            continue
        name = label(f"meta.{key}", lang) if f"meta.{key}" in _LABELS else key.replace("_", " ")
        rows.append((name, _meta_text(value, lang)))
    return rows


def _meta_text(value: Any, lang: str) -> str:
    if isinstance(value, Mapping) and value and set(value) <= set(LANGUAGES):
        return tr(value, lang)
    if isinstance(value, Mapping | list | tuple):
        text = json.dumps(value, ensure_ascii=False, default=str)
        return text if len(text) <= 240 else text[:237] + "..."
    return str(value)


def activity_label(activity: str, lang: str) -> str:
    """Return the readable name of an activity (``"haul-waste"``); unknown ones as given.

    The names are rows ``activity_<name>`` of the table of quantities (``costing.toml``).

    Examples
    --------
    >>> activity_label("surface-planning", "ru")
    'Планировка поверхности отвала'
    >>> activity_label("drainage", "en")
    'drainage'
    """
    info = all_quantities().get("activity_" + activity.replace("-", "_"))
    if info is None:
        return activity
    return info.label(check_lang(lang))


_UNITS_RU = {
    "thousand m³": "тыс. м³",
    "thousand m3": "тыс. м³",
    "thousand t": "тыс. т",
    "thousand m²": "тыс. м²",
    "thousand m2": "тыс. м²",
    "million m³": "млн м³",
    "million t": "млн т",
    "m³": "м³",
    "m3": "м³",
    "m²": "м²",
    "m2": "м²",
    "m": "м",
    "km": "км",
    "t": "т",
    "ha": "га",
    "t/m³": "т/м³",
    "t/m3": "т/м³",
    "m³/h": "м³/ч",
    "m³/shift": "м³/смену",
    "m³/year": "м³/год",
    "thousand m³/year": "тыс. м³/год",
    "thousand t/year": "тыс. т/год",
    "t/year": "т/год",
    "km/h": "км/ч",
    "min": "мин",
    "s": "с",
    "h": "ч",
    "h/year": "ч/год",
    "shifts": "смен",
    "days": "дней",
    "year": "год",
    "years": "лет",
    "deg": "градус",
    "°": "градус",
    "rub": "руб.",
    "rub/h": "руб./ч",
    "rub/m³": "руб./м³",
    "day/year": "дн./год",
    "days/year": "дн./год",
    "shift/day": "смен/сут",
    "shifts/day": "смен/сут",
    "h/shift": "ч/смену",
    "m/s": "м/с",
    "m³/m²": "м³/м²",
    "mg/s": "мг/с",
    "mg/(m²·s)": "мг/(м²·с)",
    "mg/m³": "мг/м³",
    "lump": "компл.",
    "lump sum": "компл.",
    "units": "ед.",
    "pcs": "шт.",
    "%": "%",
}


def unit_label(unit: str, lang: str) -> str:
    """Return a unit as the report prints it (Russian abbreviations for ``ru``).

    Examples
    --------
    >>> unit_label("thousand m³", "ru")
    'тыс. м³'
    >>> unit_label("thousand m³", "en")
    'thousand m³'
    """
    if check_lang(lang) == "ru":
        return _UNITS_RU.get(unit, unit)
    return unit


# Suffixes of row keys and the unit they carry, longest first (``volume_thousand_m3``).
_KEY_UNITS = (
    ("_thousand_m3_year", "thousand m³/year"),
    ("_thousand_t_year", "thousand t/year"),
    ("_thousand_m3", "thousand m³"),
    ("_thousand_m2", "thousand m²"),
    ("_thousand_t", "thousand t"),
    ("_million_rub", "million rub"),
    ("_t_m3", "t/m³"),
    ("_m3_h", "m³/h"),
    ("_km_h", "km/h"),
    ("_rub_h", "rub/h"),
    ("_rub", "rub"),
    ("_m3", "m³"),
    ("_m2", "m²"),
    ("_ha", "ha"),
    ("_km", "km"),
    ("_min", "min"),
    ("_deg", "deg"),
    ("_percent", "%"),
    ("_years", "years"),
    ("_h", "h"),
    ("_m", "m"),
    ("_t", "t"),
    ("_s", "s"),
)


def unit_from_key(key: str) -> str:
    """Return the unit a row key carries in its suffix, or ``""``.

    Examples
    --------
    >>> unit_from_key("dump_volume_thousand_m3")
    'thousand m³'
    >>> unit_from_key("bulk_density_t_m3")
    't/m³'
    >>> unit_from_key("year")
    ''
    """
    for suffix, unit in _KEY_UNITS:
        if key.endswith(suffix):
            return unit
    return ""


def format_number(value: Any, lang: str) -> str:
    """Format a table cell: numbers as 003 prints them (decimal comma in Russian).

    Whole numbers lose their decimals; others keep one decimal from 100 up, two from 1 up,
    and three significant digits below 1, without trailing zeros.

    Examples
    --------
    >>> format_number(4154.27, "ru")
    '4154,3'
    >>> format_number(1.08, "en")
    '1.08'
    >>> format_number(27000.0, "en")
    '27000'
    >>> format_number(None, "en")
    ''
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return label("yes" if value else "no", lang)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            text = f"{value:.0f}"
        elif abs(value) >= 100:
            text = f"{value:.1f}"
        elif abs(value) >= 1:
            text = f"{value:.2f}"
        else:
            text = f"{value:.3g}" if "e" not in f"{value:.3g}" else f"{value:.6f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        if text == "-0":
            text = "0"
        return text.replace(".", ",") if lang == "ru" else text
    return str(value)


def ordinal(value: float) -> str:
    """Return an English ordinal of a whole number (``23`` -> ``"23rd"``); others as numbers.

    Examples
    --------
    >>> [ordinal(n) for n in (1, 2, 3, 11, 12, 13, 21, 23.0, 112)]
    ['1st', '2nd', '3rd', '11th', '12th', '13th', '21st', '23rd', '112th']
    >>> ordinal(23.5)
    '23.5th'
    """
    if not float(value).is_integer():
        return format_number(float(value), "en") + "th"
    n = int(value)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def task_names(cost: CostResult | None, lang: str) -> dict[str, str]:
    """Return the name in ``lang`` of each reclamation task of ``cost`` by its key."""
    if cost is None:
        return {}
    return {str(t.get("key")): tr(t.get("name"), lang) or str(t.get("key")) for t in cost.tasks}


def assurance_basis_text(basis: str, lang: str) -> str:
    """Return what the assurance is: the deterministic bond or a percentile of the bond.

    Examples
    --------
    >>> assurance_basis_text("P80", "en")
    'Financial assurance: P80 of the bond (Monte Carlo)'
    >>> assurance_basis_text("deterministic", "ru")
    'Финансовое обеспечение: детерминированная сумма'
    """
    if basis == "deterministic":
        return label("assurance_basis.deterministic", lang)
    return label("assurance_basis.percentile", lang, basis=basis)


def review_text(cost: CostResult, lang: str) -> str:
    """Return the review period of the bond: the whole plan, or the years of a rolling review."""
    if cost.review != "rolling":
        return label("review.life-of-plan", lang)
    years = [y.year for y in cost.liability_years if y.in_review]
    if not years:
        return label("review.rolling", lang, first="—", last="—")
    return label("review.rolling", lang, first=min(years), last=max(years))


def percentile_text(percentile: float, lang: str) -> str:
    """Return where the deterministic bond lies in its Monte Carlo distribution.

    Examples
    --------
    >>> percentile_text(23.0, "en")
    'The deterministic bond is at the 23rd percentile of its distribution'
    """
    shown = format_number(float(percentile), lang)
    return label("deterministic_percentile_text", lang, nth=ordinal(percentile), n=shown)


def format_money(value: float, lang: str) -> str:
    r"""Format an amount of roubles, whole, in groups of three digits.

    Examples
    --------
    >>> format_money(123456789.4, "en")
    '123,456,789'
    >>> format_money(123456789.4, "ru")
    '123\xa0456\xa0789'
    """
    text = f"{value:,.0f}"
    return text.replace(",", "\u00a0") if lang == "ru" else text


@dataclass(frozen=True)
class Section:
    """A section of 003's layout: its number (``"3.1"``; ``""`` if unnumbered) and headings."""

    number: str
    en: str
    ru: str

    def heading(self, lang: str) -> str:
        """Return the heading as 003 prints it (``"3.1 Засыпка воронки обрушения"``)."""
        title = self.ru if check_lang(lang) == "ru" else self.en
        if not self.number:
            return title
        number = self.number if "." in self.number else self.number + "."
        return f"{number} {title}"

    @property
    def level(self) -> int:
        """Depth of the section: 1 for ``"3"``, 2 for ``"3.1"``."""
        return self.number.count(".") + 1 if self.number else 1


SECTIONS: dict[str, Section] = {
    s.number or "other": s
    for s in (
        Section(
            "1",
            "Reclamation works",
            "Состав работ по рекультивации нарушенных земель",
        ),
        Section(
            "2",
            "Wastes placed in the collapse crater",
            "Характеристика отходов, размещаемых в воронке обрушения",
        ),
        Section(
            "3",
            "Sequence and volume of the reclamation works",
            "Последовательность и объем выполнения работ по рекультивации земельного участка",
        ),
        Section("3.1", "Backfill of the collapse crater", "Засыпка воронки обрушения"),
        Section("3.2", "Planning of the dump surface", "Планировка поверхности отвала"),
        Section("3.3", "Placing the reclamation layer", "Формирование рекультивационного слоя"),
        Section(
            "4",
            "Technology and mechanisation of the works",
            "Технология и комплексная механизация работ",
        ),
        Section("4.1", "Excavation and loading", "Выемочно-погрузочные работы"),
        Section("4.2", "Haulage", "Технологический транспорт"),
        Section("4.3", "Bulldozer dumping", "Бульдозерное отвалообразование"),
        Section(
            "5",
            "Duration of the reclamation works by stages",
            "Сроки проведения работ по рекультивации земельного участка с разбивкой по "
            "этапам проведения отдельных видов работ",
        ),
        Section(
            "6",
            "End of the reclamation works",
            "Сроки окончания работ по рекультивации земельного участка",
        ),
        Section("", "Additional tables", "Дополнительные таблицы"),
    )
}
"""003's sections in its order; ``"other"`` holds tables 003 does not have."""

# 003's tables and the section that prints them (Tables 1-2 in 2, 3-5 in 3.1, ...).
_TABLE_SECTION = {
    1: "2",
    2: "2",
    3: "3.1",
    4: "3.1",
    5: "3.1",
    6: "4",
    7: "4.1",
    8: "4.1",
    9: "4.1",
    10: "4.2",
    11: "4.2",
    12: "4.2",
    13: "4.3",
    14: "4.3",
    15: "4.3",
}

# Words of a table key and the section they belong to, tried in order.
_KEY_SECTION = (
    (("composition", "hazard", "characteristic", "waste_streams"), "2"),
    (("waste_volume", "filling", "backfill", "void", "tier", "crater"), "3.1"),
    (("planning",), "3.2"),
    (("reclamation_layer", "layer"), "3.3"),
    (("loader", "excavat", "loading"), "4.1"),
    (("truck", "haul"), "4.2"),
    (("dozer", "bulldozer"), "4.3"),
    (("equipment", "fleet", "machine", "output", "utilisation"), "4"),
    (("stage", "timeline", "duration", "calendar", "schedule"), "5"),
    (("end_of_works", "completion"), "6"),
    (("allotment", "dump", "slope", "dust", "topsoil", "land"), "3"),
)

# A source that IS a table or section of 003 ("003 Table 5", "Table 9 in 003", "003 sec. 4.2"),
# not one that merely uses its methods ("003 Tables 8, 11, 14 (methods), applied to ...").
_TABLE_003 = re.compile(
    r"^\s*(?:003,?\s+Table\s+(\d+)|Table\s+(\d+)\s+(?:in|of)\s+003)\s*$", re.IGNORECASE
)
_SECTION_003 = re.compile(
    r"^\s*003,?\s+(?:sec\.|section)\s*(\d+(?:\.\d+)?(?:\s*,\s*\d+(?:\.\d+)?)*)\s*$",
    re.IGNORECASE,
)


def table_number_003(source: str) -> int | None:
    """Return N if a table's source is table N of 003 itself (``"003 Table N"``), else None.

    A source that cites 003's tables for the method only, with more words, is not one.

    Examples
    --------
    >>> table_number_003("003 Table 5")
    5
    >>> table_number_003("Table 4 in 003")
    4
    >>> table_number_003("003 Tables 8, 11, 14 (methods), applied to the dump") is None
    True
    >>> table_number_003("004 Table 1.1") is None
    True
    """
    match = _TABLE_003.match(source)
    if match is None:
        return None
    return int(match.group(1) or match.group(2))


def section_of(key: str, source: str) -> Section:
    """Return the section of 003 where a table belongs.

    By the 003 table it reproduces (a source that is ``"003 Table N"``); else by words of
    its ``key`` (``truck`` -> 4.2, ``calendar`` -> 5, ``slope`` -> 3, ...); else by the
    section of 003 its source is (``"003 sec. 4.2"``; of several, the last); else the
    unnumbered section of additional tables.

    Examples
    --------
    >>> section_of("calendar_plan", "003 Table 5").number
    '3.1'
    >>> section_of("truck_fleet", "methods.haulage").number
    '4.2'
    >>> section_of("slide_prism", "003 sec. 4.2").number
    '4.2'
    >>> section_of("mine_water", "004 PR2").heading("en")
    'Additional tables'
    """
    table_number = table_number_003(source)
    if table_number is not None and table_number in _TABLE_SECTION:
        return SECTIONS[_TABLE_SECTION[table_number]]
    lowered = key.lower()
    for words, number in _KEY_SECTION:
        if any(w in lowered for w in words):
            return SECTIONS[number]
    cited = _SECTION_003.match(source)
    if cited is not None:
        last = cited.group(1).split(",")[-1].strip()
        if last in SECTIONS:
            return SECTIONS[last]
    return SECTIONS["other"]
