"""The digital passport of a site as a self-contained HTML page, in English or Russian.

The registry gathers the passport (:func:`postmine.registry.passport.build_passport`, data
only); this module renders it: one section per part of the passport, labels in the page's
language, numbers and money formatted by :mod:`postmine.reports.i18n`, every value escaped,
styles inline and no external resource.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any

from postmine.registry.passport import Passport, roman_numeral, value_label_ru
from postmine.reports.i18n import check_lang, format_money, format_number

__all__ = ["passport_html"]


def passport_html(passport: Passport | dict[str, Any], lang: str = "en") -> str:
    """Render a passport (from :func:`~postmine.registry.passport.build_passport`) as HTML.

    Parameters
    ----------
    passport : Passport
        The passport.
    lang : {"en", "ru"}
        Language of the page.

    Returns
    -------
    str
        The HTML document; styles inline, no external resources.

    Raises
    ------
    ValueError
        If ``lang`` is not ``"en"`` or ``"ru"``.
    """
    lang = check_lang(lang)
    site = passport["site"]
    parts = [
        *_site_section(site, lang),
        *_initial_section(passport["initial_state"], lang),
        *_current_section(passport["current_state"], lang),
        *_tmf_section(passport["tmf"], lang),
        *_plans_section(passport["plans"], passport["passport"]["financial_included"], lang),
        *_works_section(passport["works"], lang),
        *_financial_section(passport.get("financial"), lang),
        *_monitoring_section(passport["monitoring"]["summaries"], lang),
        *_documents_section(passport["documents"], lang),
        *_history_section(passport["history"], lang),
        *_about_section(passport["passport"], lang),
    ]
    title = f"{_l('title', lang)}: {site['name']}"
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{_e(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        f"<h1>{_e(_l('title', lang))}</h1>\n"
        f'<p class="subtitle">{_e(site["name"])} · {_e(site.get("region"))}</p>\n'
        + "\n".join(parts)
        + "\n</body>\n</html>\n"
    )


# --- sections ---------------------------------------------------------------------------------


def _heading(key: str, lang: str) -> str:
    """Render a section heading."""
    return f"<h2>{_e(_l(key, lang))}</h2>"


def _site_section(site: dict[str, Any], lang: str) -> list[str]:
    """Render the site: name, operator, licence, status, region, territory, area."""
    operator = (site.get("operator") or {}).get("name")
    territory = (site.get("territory") or {}).get("name")
    rows = [
        (_l("name", lang), _e(site["name"])),
        (_l("operator", lang), _e(operator)),
        (_l("licence", lang), _e(site.get("licence"))),
        (_l("mineral", lang), _e(site.get("mineral"))),
        (_l("status", lang), _e(_value("status", site.get("status"), lang))),
        (_l("typology", lang), _e(_value("typology", site.get("typology"), lang))),
        (_l("region", lang), _e(site.get("region"))),
        (_l("territory", lang), _e(territory)),
        (_l("area_ha", lang), _num(site.get("area_ha"), lang)),
        (_l("registered_on", lang), _e(site.get("registered_on"))),
    ]
    return [_heading("site", lang), _pairs(rows)]


def _initial_section(initial: dict[str, Any], lang: str) -> list[str]:
    """Render each object as first recorded, and the disturbed area."""
    rows = [
        [
            ("", _e(r["object_name"])),
            ("", _e(_value("kind", r["kind"], lang))),
            ("num", _num(r["area_ha"], lang)),
            ("num", _num(r["volume_m3"], lang)),
            ("", _e(_value("state", r["state"], lang))),
            ("date", _e(r["date"])),
        ]
        for r in initial["objects"]
    ]
    headers = [_l(k, lang) for k in ("object", "kind", "area_ha", "volume_m3", "state", "date")]
    return [
        _heading("initial_state", lang),
        _table(headers, rows, lang),
        _pairs([(_l("disturbed_area", lang), _num(initial["disturbed_area_ha"], lang))]),
    ]


def _current_section(current: dict[str, Any], lang: str) -> list[str]:
    """Render each object now, the total and reclaimed areas and the reclaimed share."""
    rows = [
        [
            ("", _e(o["name"])),
            ("", _e(_value("kind", o["kind"], lang))),
            ("num", _num(o["area_ha"], lang)),
            ("", _e(_value("state", o["state"], lang))),
            ("date", _e(o["state_since"])),
        ]
        for o in current["objects"]
    ]
    share = current["reclaimed_share"]
    totals = [
        (_l("disturbed_area", lang), _num(current["total_area_ha"], lang)),
        (_l("reclaimed_area", lang), _num(current["reclaimed_area_ha"], lang)),
        (
            _l("reclaimed_share", lang),
            "" if share is None else _e(f"{format_number(100 * share, lang)} %"),
        ),
    ]
    headers = [_l(k, lang) for k in ("object", "kind", "area_ha", "state", "since")]
    return [_heading("current_state", lang), _table(headers, rows, lang), _pairs(totals)]


def _tmf_section(tmf: list[dict[str, Any]], lang: str) -> list[str]:
    """Render the technogenic mineral formations with their valuable components."""
    rows = [
        [
            ("", _e(t["name"])),
            ("", _e(_value("tmf_class", t["tmf_class"], lang))),
            ("num", _num(t["mass_t"], lang)),
            ("num", _e(roman_numeral(t["hazard_class"]))),
            ("num", _e(t["year"])),
            (
                "",
                _e(
                    ", ".join(
                        f"{k} {format_number(v, lang)}"
                        for k, v in sorted(t["valuable_components"].items())
                    )
                ),
            ),
        ]
        for t in tmf
    ]
    keys = ("name", "tmf_class", "mass_t", "hazard_class", "year", "valuable")
    return [_heading("tmf", lang), _table([_l(k, lang) for k in keys], rows, lang)]


def _plans_section(plans: list[dict[str, Any]], financial: bool, lang: str) -> list[str]:
    """Render the plans: inputs' hash, dates, who computed them and (with money) the bond."""
    rows = []
    for p in plans:
        result = p["result"]
        if result is None:
            computed = _l("not_computed", lang)
            bond = ""
        else:
            computed = f"postmine {result['postmine_version']} ({result['computed_at']})"
            if not result["current"]:
                computed += " " + _l("outdated", lang)
            bond = _money((result.get("cost") or {}).get("bond_rub"), lang)
        rows.append(
            [
                ("", _e(p["title"])),
                ("hash", _e(p["project_sha256"])),
                ("date", _e(p["submitted_on"])),
                ("date", _e(p["approved_on"])),
                ("", _e(computed)),
                ("num", bond),
            ]
        )
    headers = [_l(k, lang) for k in ("name", "inputs_hash", "submitted_on", "approved_on")]
    headers += [_l("computed", lang), _l("bond_rub", lang)]
    if not financial:
        headers = headers[:-1]
        rows = [row[:-1] for row in rows]
    return [_heading("plans", lang), _table(headers, rows, lang)]


def _works_section(works: list[dict[str, Any]], lang: str) -> list[str]:
    """Render the works done: each change of an object's state after its first record."""
    rows = [
        [
            ("date", _e(w["date"])),
            ("", _e(w["object_name"])),
            ("", _e(_value("state", w["from_state"], lang))),
            ("", _e(_value("state", w["state"], lang))),
            ("", _e(w["act_reference"] or w["document_title"])),
        ]
        for w in works
    ]
    headers = [_l(k, lang) for k in ("date", "object", "from_state", "to_state", "act")]
    return [_heading("works", lang), _table(headers, rows, lang)]


def _financial_section(financial: dict[str, Any] | None, lang: str) -> list[str]:
    """Render the balances and movements of the assurances (nothing in a public view)."""
    if financial is None:
        return []
    money_keys = ("required_rub", "deposited_rub", "released_rub", "forfeited_rub", "held_rub")
    balances = [[("num", _money(a[k], lang)) for k in money_keys] for a in financial["assurances"]]
    moves = [
        [
            ("date", _e(t["transacted_on"])),
            ("", _e(_value("transaction", t["kind"], lang))),
            ("num", _money(t["amount_rub"], lang)),
            ("", _e(t["milestone"])),
        ]
        for a in financial["assurances"]
        for t in a["transactions"]
    ]
    move_headers = [_l(k, lang) for k in ("date", "transaction", "amount_rub", "milestone")]
    return [
        _heading("financial", lang),
        _table([_l(k, lang) for k in money_keys], balances, lang),
        _table(move_headers, moves, lang),
    ]


def _monitoring_section(summaries: list[dict[str, Any]], lang: str) -> list[str]:
    """Render the monitoring summaries, those below their criterion marked."""
    rows = [
        [
            ("", _e(f"{m['period_start']} – {m['period_end']}")),
            ("", _e(m["parameter"])),
            ("num", _num(m["value"], lang)),
            ("", _e(m["unit"])),
            ("", _e(_l("yes" if m["criteria_met"] else "no", lang))),
            ("", _e(m["source"])),
        ]
        for m in summaries
    ]
    keys = ("period", "parameter", "value", "unit", "criteria_met", "source")
    classes = ["" if m["criteria_met"] else "not-met" for m in summaries]
    return [
        _heading("monitoring", lang),
        _table([_l(k, lang) for k in keys], rows, lang, row_classes=classes),
    ]


def _documents_section(documents: list[dict[str, Any]], lang: str) -> list[str]:
    """Render the documents by date, where they are kept and their SHA-256."""
    rows = [
        [
            ("date", _e(d["issued_on"])),
            ("", _e(_value("document", d["kind"], lang))),
            ("", _e(d["title"])),
            ("", _e(d["uri"])),
            ("hash", _e(d["sha256"])),
        ]
        for d in documents
    ]
    headers = [_l(k, lang) for k in ("date", "kind", "document_title", "location")] + ["SHA-256"]
    return [_heading("documents", lang), _table(headers, rows, lang)]


def _history_section(history: list[dict[str, Any]], lang: str) -> list[str]:
    """Render the full history, one event per row in the page's language."""
    rows = [[("date", _e(h["date"])), ("", _e(h["text"][lang]))] for h in history]
    headers = [_l("date", lang), _l("event", lang)]
    return [_heading("history", lang), _table(headers, rows, lang)]


def _about_section(meta: Mapping[str, Any], lang: str) -> list[str]:
    """Render what the passport is: format, postmine version, latest event."""
    rows = [
        (_l("format", lang), _e(f"{meta['format']} {meta['format_version']}")),
        (_l("postmine_version", lang), _e(meta["postmine_version"])),
        (_l("as_of", lang), _e(meta["as_of"])),
    ]
    return [_heading("about", lang), _pairs(rows)]


# --- labels and cells -------------------------------------------------------------------------


def _value(field: str, value: str | None, lang: str) -> str:
    """Return an enumeration value in the page's language (English values as stored)."""
    if value is None:
        return ""
    return value_label_ru(field, value) if lang == "ru" else value


_LABELS: dict[str, tuple[str, str]] = {
    "title": ("Digital passport of the site", "Цифровой паспорт объекта"),
    "about": ("About this passport", "Сведения о паспорте"),
    "format": ("Format", "Формат"),
    "postmine_version": ("postmine version", "Версия postmine"),
    "as_of": ("Latest event", "Последнее событие"),
    "site": ("Site", "Объект"),
    "name": ("Name", "Наименование"),
    "operator": ("Operator", "Недропользователь"),
    "licence": ("Licence", "Лицензия"),
    "mineral": ("Mineral", "Полезное ископаемое"),
    "status": ("Status", "Статус"),
    "typology": ("Typology", "Типология"),
    "region": ("Region", "Регион"),
    "territory": ("Territory", "Территория"),
    "area_ha": ("Area, ha", "Площадь, га"),
    "registered_on": ("Registered on", "Дата внесения в реестр"),
    "initial_state": ("Initial state", "Исходное состояние"),
    "current_state": ("Current state", "Текущее состояние"),
    "object": ("Object", "Объект нарушения"),
    "kind": ("Kind", "Вид"),
    "state": ("State", "Состояние"),
    "date": ("Date", "Дата"),
    "since": ("Since", "С"),
    "volume_m3": ("Volume, m³", "Объем, м³"),
    "disturbed_area": ("Disturbed area, ha", "Нарушенная площадь, га"),
    "reclaimed_area": (
        "Reclaimed or accepted area, ha",
        "Рекультивированная или принятая площадь, га",
    ),
    "reclaimed_share": ("Reclaimed share", "Доля рекультивированных земель"),
    "tmf": ("Technogenic mineral formations", "Техногенные минеральные образования"),
    "tmf_class": ("Class", "Класс"),
    "mass_t": ("Mass, t", "Масса, т"),
    "hazard_class": ("Hazard class", "Класс опасности"),
    "year": ("Year", "Год"),
    "valuable": ("Valuable components", "Ценные компоненты"),
    "plans": ("Reclamation plans", "Проекты рекультивации"),
    "inputs_hash": ("Inputs hash (SHA-256)", "Хеш исходных данных (SHA-256)"),
    "submitted_on": ("Submitted", "Представлен"),
    "approved_on": ("Approved", "Утвержден"),
    "computed": ("Computed by", "Рассчитан"),
    "not_computed": ("not computed", "не рассчитан"),
    "outdated": ("(not current)", "(устарел)"),
    "bond_rub": ("Bond, rub", "Обеспечение, руб."),
    "works": ("Works done", "Выполненные работы"),
    "from_state": ("From", "Из состояния"),
    "to_state": ("To", "В состояние"),
    "act": ("Act", "Акт"),
    "financial": ("Financial history", "Финансовая история"),
    "required_rub": ("Required, rub", "Требуется, руб."),
    "deposited_rub": ("Deposited, rub", "Внесено, руб."),
    "released_rub": ("Released, rub", "Возвращено, руб."),
    "forfeited_rub": ("Forfeited, rub", "Обращено взыскание, руб."),
    "held_rub": ("Held, rub", "Удерживается, руб."),
    "transaction": ("Movement", "Операция"),
    "amount_rub": ("Amount, rub", "Сумма, руб."),
    "milestone": ("Milestone", "Этап"),
    "monitoring": ("Monitoring results", "Результаты мониторинга"),
    "period": ("Period", "Период"),
    "parameter": ("Parameter", "Показатель"),
    "value": ("Value", "Значение"),
    "unit": ("Unit", "Ед. изм."),
    "criteria_met": ("Criterion met", "Критерий соблюден"),
    "source": ("Source", "Источник"),
    "documents": ("Documents", "Документы"),
    "document_title": ("Title", "Наименование"),
    "location": ("Kept at", "Место хранения"),
    "history": ("Full history", "Полная история"),
    "event": ("Event", "Событие"),
    "none": ("None recorded.", "Сведений нет."),
    "yes": ("yes", "да"),
    "no": ("no", "нет"),
}


def _l(key: str, lang: str) -> str:
    """Return the label ``key`` in ``lang``."""
    en, ru = _LABELS[key]
    return ru if lang == "ru" else en


_CSS = """
body { font-family: "DejaVu Sans", Arial, sans-serif; margin: 2em auto; max-width: 72em;
       padding: 0 1em; color: #1d1d1d; line-height: 1.4; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.3em; margin-top: 1.8em; border-bottom: 1px solid #bbb; }
p.subtitle { color: #555; margin-top: 0; }
table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.9em; }
th, td { border: 1px solid #999; padding: 0.25em 0.5em; vertical-align: top; text-align: left; }
th { background: #eef1f5; font-weight: normal; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.hash { font-family: monospace; font-size: 0.85em; }
td.date { white-space: nowrap; }
tr.not-met td { background: #fbe3e1; }
p.none { color: #666; font-style: italic; }
"""


def _e(value: Any) -> str:
    """Escape a value for HTML text or attributes (None as empty)."""
    return escape("" if value is None else str(value), quote=True)


def _num(value: Any, lang: str) -> str:
    """Format and escape a number in the page's language."""
    return _e(format_number(value, lang))


def _money(value: Any, lang: str) -> str:
    """Format and escape an amount of roubles (None as empty)."""
    return "" if value is None else _e(format_money(float(value), lang))


def _table(
    headers: list[str],
    rows: list[list[tuple[str, str]]],
    lang: str,
    row_classes: list[str] | None = None,
) -> str:
    """Render rows of (css class, escaped html) cells under escaped headers."""
    if not rows:
        return f'<p class="none">{_e(_l("none", lang))}</p>'
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = []
    for i, row in enumerate(rows):
        cells = "".join(
            f'<td class="{cls}">{html}</td>' if cls else f"<td>{html}</td>" for cls, html in row
        )
        cls = row_classes[i] if row_classes else ""
        body.append(f'<tr class="{cls}">{cells}</tr>' if cls else f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _pairs(rows: list[tuple[str, str]]) -> str:
    """Render (escaped label, html) pairs as a two-column table."""
    body = "".join(f"<tr><th>{_e(k)}</th><td>{v}</td></tr>" for k, v in rows)
    return f"<table><tbody>{body}</tbody></table>"
