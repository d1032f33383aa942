"""The digital passport of a site: one view of its whole life, with its full history.

Document 000 describes the "digital passport" of a revived mining enterprise: the whole
history of disturbance, monitoring and reclamation works, kept so that residents, investors
and authorities can trust it. :func:`build_passport` gathers it from the registry as one
JSON-ready dict; :func:`passport_html` renders that dict as a self-contained page in English
or Russian. The dict is deterministic (no clock is read), so the same registry gives the same
passport byte for byte.

Sections of the passport
------------------------
``passport``       format, format version, postmine version, date of the latest event
``site``           the site with its operator and territory
``initial_state``  each object of disturbance as first recorded, and the disturbed area
``current_state``  each object now, areas by state and by kind, the reclaimed share
``tmf``            technogenic mineral formations
``plans``          reclamation plans: inputs' hash, approval, summary of the computed result
``works``          works done: every change of an object's state after its first record
``financial``      assurances, balances and transactions (left out with
                   ``include_financial=False``, as is every amount of money elsewhere)
``monitoring``     monitoring summaries and how many met their criteria
``documents``      documents by reference and SHA-256
``history``        every event above with a two-language text, ordered by date; within a
                   day, records come before the changes they evidence (an object recorded,
                   a document, then a change of state; monitoring before a release), then
                   by when each was written
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date, datetime
from html import escape
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

import postmine
from postmine.registry.models import (
    OBJECT_STATES,
    DisturbanceObject,
    MonitoringSummary,
    ObjectStateChange,
    ReclamationPlan,
    Tmf,
)
from postmine.registry.models import Document as DocumentRow
from postmine.registry.services import (
    as_dict,
    assurance_balance,
    get_site,
    list_assurances,
    list_plans,
    plan_result,
    plan_result_is_current,
)
from postmine.reports.i18n import check_lang, format_money, format_number

__all__ = ["PASSPORT_FORMAT_VERSION", "build_passport", "passport_html"]

PASSPORT_FORMAT_VERSION = 1
"""Version of the passport's JSON layout."""

_DONE_STATES = ("reclaimed", "accepted")

# --- building ---------------------------------------------------------------------------------


def _iso(value: date | datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _plan_summary(plan: ReclamationPlan, include_financial: bool) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": plan.id,
        "title": plan.title,
        "project_sha256": plan.project_sha256,
        "format_version": plan.format_version,
        "submitted_on": _iso(plan.submitted_on),
        "approved_on": _iso(plan.approved_on),
        "result": None,
    }
    result = plan_result(plan)
    if result is None:
        return out
    meta = result.get("meta", {})
    cost = result.get("cost") or {}
    assurance = result.get("assurance") or {}
    severities: dict[str, int] = defaultdict(int)
    for finding in result.get("findings", []):
        severities[str(finding.get("severity"))] += 1
    summary: dict[str, Any] = {
        "postmine_version": plan.result_postmine_version,
        "inputs_sha256": plan.result_inputs_sha256,
        "computed_at": _iso(plan.result_computed_at),
        "current": plan_result_is_current(plan),
        "rule_set_id": meta.get("rule_set_id"),
        "activity_years": result.get("activity_years", {}),
        "findings_by_severity": dict(sorted(severities.items())),
        "milestones": [
            {
                "name": r.get("name"),
                "year": r.get("year"),
                "evidence": r.get("evidence"),
                "release_percent": r.get("release_percent"),
                **({"released_rub": r.get("released_rub")} if include_financial else {}),
            }
            for r in assurance.get("releases", [])
        ],
    }
    if include_financial:
        summary["cost"] = {
            key: cost.get(key)
            for key in ("total_rub", "bond_rub", "bond_year", "provision_rub", "percentiles_rub")
        }
    out["result"] = summary
    return out


def _event(
    when: date,
    recorded: datetime | None,
    event: str,
    table: str,
    key: int,
    en: str,
    ru: str,
    **details: Any,
) -> dict[str, Any]:
    return {
        "date": when.isoformat(),
        "event": event,
        "ref": {"table": table, "id": key},
        "text": {"en": en, "ru": ru},
        **details,
        "_recorded": recorded,
    }


def build_passport(
    session: Session,
    site_id: int,
    *,
    include_financial: bool = True,
    include_geometry: bool = False,
) -> dict[str, Any]:
    """Gather the digital passport of a site.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Session on the registry.
    site_id : int
        The site. [-]
    include_financial : bool
        Include the financial section and every amount of money (a public view leaves them
        out).
    include_geometry : bool
        Include the GeoJSON geometry of the site and of each object.

    Returns
    -------
    dict
        The passport, JSON-ready (dates as ISO strings); its sections are listed in the
        module docstring.

    Raises
    ------
    NotFoundError
        If the site does not exist.
    """
    site = get_site(session, site_id)
    objects = list(
        session.scalars(
            select(DisturbanceObject)
            .where(DisturbanceObject.site_id == site_id)
            .order_by(DisturbanceObject.id)
        )
    )
    by_id = {o.id: o for o in objects}
    changes = list(
        session.scalars(
            select(ObjectStateChange)
            .join(DisturbanceObject)
            .where(DisturbanceObject.site_id == site_id)
            .order_by(ObjectStateChange.changed_on, ObjectStateChange.id)
        )
    )
    tmf = list(session.scalars(select(Tmf).where(Tmf.site_id == site_id).order_by(Tmf.id)))
    plans = list_plans(session, site_id)
    monitoring = list(
        session.scalars(
            select(MonitoringSummary)
            .where(MonitoringSummary.site_id == site_id)
            .order_by(MonitoringSummary.period_end, MonitoringSummary.id)
        )
    )
    documents = list(
        session.scalars(
            select(DocumentRow)
            .where(DocumentRow.site_id == site_id)
            .order_by(DocumentRow.issued_on, DocumentRow.id)
        )
    )
    history: list[dict[str, Any]] = [
        _event(
            site.registered_on,
            site.created_at,
            "site-registered",
            "sites",
            site.id,
            f"Site {site.name} entered the registry ({site.status})",
            f"Объект {site.name} внесен в реестр ({_ru('status', site.status)})",
        )
    ]

    # objects: first record = initial state, later records = works done
    first_seen: set[int] = set()
    previous: dict[int, str] = {}
    initial: list[dict[str, Any]] = []
    works: list[dict[str, Any]] = []
    since: dict[int, str] = {}
    for change in changes:
        obj = by_id[change.object_id]
        since[obj.id] = change.changed_on.isoformat()
        row = {
            "object_id": obj.id,
            "object_name": obj.name,
            "kind": obj.kind,
            "state": change.state,
            "date": change.changed_on.isoformat(),
            "act_reference": change.act_reference,
            "document_id": change.document_id,
            "document_title": None if change.document is None else change.document.title,
        }
        if obj.id not in first_seen:
            first_seen.add(obj.id)
            initial.append(
                {**row, "area_ha": obj.area_ha, "volume_m3": obj.volume_m3, "note": change.note}
            )
            history.append(
                _event(
                    change.changed_on,
                    change.created_at,
                    "object-recorded",
                    "object_states",
                    change.id,
                    f"{_en(obj.kind)} {obj.name} ({obj.area_ha:.2f} ha) recorded as {change.state}",
                    f"{_ru('kind', obj.kind).capitalize()} {obj.name} "
                    f"({_decimal_comma(obj.area_ha)} га) учтен: "
                    f"{_ru('state', change.state)}",
                    object_id=obj.id,
                    state=change.state,
                )
            )
        else:
            works.append({**row, "from_state": previous[obj.id], "note": change.note})
            act = f", act {change.act_reference}" if change.act_reference else ""
            act_ru = f", акт {change.act_reference}" if change.act_reference else ""
            history.append(
                _event(
                    change.changed_on,
                    change.created_at,
                    "object-state-changed",
                    "object_states",
                    change.id,
                    f"{obj.name}: {previous[obj.id]} -> {change.state}{act}",
                    f"{obj.name}: {_ru('state', previous[obj.id])} -> "
                    f"{_ru('state', change.state)}{act_ru}",
                    object_id=obj.id,
                    from_state=previous[obj.id],
                    state=change.state,
                )
            )
        previous[obj.id] = change.state

    total_area = math.fsum(o.area_ha for o in objects)
    area_by_state = dict.fromkeys(OBJECT_STATES, 0.0)
    area_by_kind: dict[str, float] = defaultdict(float)
    for o in objects:
        area_by_state[o.state] += o.area_ha
        area_by_kind[o.kind] += o.area_ha
    done_area = math.fsum(area_by_state[s] for s in _DONE_STATES)

    for t in tmf:
        history.append(
            _event(
                t.recorded_on,
                t.created_at,
                "tmf-recorded",
                "tmf",
                t.id,
                f"TMF {t.name}: {t.tmf_class}, {t.mass_t:.0f} t, "
                f"hazard class {_roman(t.hazard_class)}",
                f"ТМО {t.name}: {_ru('tmf_class', t.tmf_class)}, {t.mass_t:.0f} т, "
                f"класс опасности {_roman(t.hazard_class)}",
                tmf_id=t.id,
            )
        )

    for p in plans:
        history.append(
            _event(
                p.submitted_on,
                p.created_at,
                "plan-submitted",
                "reclamation_plans",
                p.id,
                f"Reclamation plan {p.title!r} submitted (inputs {p.project_sha256[:12]})",
                f"Представлен проект рекультивации «{p.title}» (исходные данные "
                f"{p.project_sha256[:12]})",
            )
        )
        if p.result_computed_at is not None:
            history.append(
                _event(
                    p.result_computed_at.date(),
                    p.result_computed_at,
                    "plan-computed",
                    "reclamation_plans",
                    p.id,
                    f"Plan {p.id} computed by postmine {p.result_postmine_version}",
                    f"Проект {p.id} рассчитан postmine {p.result_postmine_version}",
                    postmine_version=p.result_postmine_version,
                    inputs_sha256=p.result_inputs_sha256,
                )
            )
        if p.approved_on is not None:
            history.append(
                _event(
                    p.approved_on,
                    None,
                    "plan-approved",
                    "reclamation_plans",
                    p.id,
                    f"Reclamation plan {p.title!r} approved",
                    f"Проект рекультивации «{p.title}» утвержден",
                )
            )

    financial: dict[str, Any] | None = None
    if include_financial:
        assurances = []
        totals: dict[str, float] = defaultdict(float)
        for a in list_assurances(session, site_id):
            balance = assurance_balance(session, a.id).to_dict()
            for key, value in balance.items():
                totals[key] += value
            assurances.append(
                {
                    "id": a.id,
                    "plan_id": a.plan_id,
                    **balance,
                    "transactions": [as_dict(move) for move in a.transactions],
                }
            )
            history.append(
                _event(
                    a.required_on,
                    a.created_at,
                    "assurance-required",
                    "financial_assurances",
                    a.id,
                    f"Financial assurance of {_rub(a.required_rub, 'en')} rub required",
                    f"Установлено финансовое обеспечение {_rub(a.required_rub, 'ru')} руб.",
                    amount_rub=a.required_rub,
                )
            )
            for move in a.transactions:
                milestone = f" ({move.milestone})" if move.milestone else ""
                history.append(
                    _event(
                        move.transacted_on,
                        move.created_at,
                        move.kind,
                        "assurance_transactions",
                        move.id,
                        f"{move.kind.capitalize()} of {_rub(move.amount_rub, 'en')} rub{milestone}",
                        f"{_ru('transaction', move.kind).capitalize()}: "
                        f"{_rub(move.amount_rub, 'ru')} руб.{milestone}",
                        amount_rub=move.amount_rub,
                        assurance_id=a.id,
                    )
                )
        financial = {
            "assurances": assurances,
            "totals": {k: round(v, 2) for k, v in totals.items()},
        }

    for m in monitoring:
        verdict = "met" if m.criteria_met else "NOT met"
        verdict_ru = "соблюден" if m.criteria_met else "НЕ соблюден"
        history.append(
            _event(
                m.period_end,
                m.created_at,
                "monitoring",
                "monitoring_summaries",
                m.id,
                f"Monitoring {m.parameter} = {m.value:g} {m.unit} "
                f"({m.period_start}..{m.period_end}), criterion {verdict}",
                f"Мониторинг {m.parameter} = {m.value:g} {m.unit} "
                f"({m.period_start}..{m.period_end}), критерий {verdict_ru}",
                criteria_met=m.criteria_met,
            )
        )

    for d in documents:
        history.append(
            _event(
                d.issued_on,
                d.created_at,
                "document",
                "documents",
                d.id,
                f"{_en(d.kind)} {d.title!r} (SHA-256 {d.sha256[:12]})",
                f"{_ru('document', d.kind).capitalize()} «{d.title}» (SHA-256 {d.sha256[:12]})",
                sha256=d.sha256,
            )
        )

    history.sort(key=_history_key)
    for entry in history:
        del entry["_recorded"]

    site_dict = as_dict(site, geometry=include_geometry)
    site_dict["operator"] = (
        None if site.operator is None else {"id": site.operator.id, "name": site.operator.name}
    )
    site_dict["territory"] = (
        None
        if site.territory is None
        else {
            k: v
            for k, v in as_dict(site.territory, geometry=False).items()
            if k in ("id", "name", "region", "kind", "area_ha", "sanitary_zone_area_ha")
        }
    )
    current_objects = []
    for o in objects:
        entry = as_dict(o, geometry=include_geometry)
        entry["state_since"] = since.get(o.id)
        current_objects.append(entry)
    approved = [p for p in plans if p.approved_on is not None]
    current_plan = (approved or plans)[-1] if plans else None

    passport: dict[str, Any] = {
        "passport": {
            "format": "postmine-passport",
            "format_version": PASSPORT_FORMAT_VERSION,
            "postmine_version": postmine.__version__,
            "site_id": site.id,
            "as_of": max(e["date"] for e in history),
            "financial_included": include_financial,
        },
        "site": site_dict,
        "initial_state": {
            "registered_on": site.registered_on.isoformat(),
            "objects": initial,
            "disturbed_area_ha": math.fsum(r["area_ha"] for r in initial),
        },
        "current_state": {
            "objects": current_objects,
            "total_area_ha": total_area,
            "area_by_state_ha": area_by_state,
            "area_by_kind_ha": dict(sorted(area_by_kind.items())),
            "reclaimed_area_ha": done_area,
            "reclaimed_share": done_area / total_area if total_area > 0 else None,
        },
        "tmf": [as_dict(t) for t in tmf],
        "plans": [_plan_summary(p, include_financial) for p in plans],
        "current_plan_id": None if current_plan is None else current_plan.id,
        "works": works,
        "monitoring": {
            "summaries": [as_dict(m) for m in monitoring],
            "criteria_met": sum(1 for m in monitoring if m.criteria_met),
            "criteria_not_met": sum(1 for m in monitoring if not m.criteria_met),
        },
        "documents": [as_dict(d) for d in documents],
        "history": history,
    }
    if financial is not None:
        passport["financial"] = financial
    return passport


_EVENT_ORDER = {
    "site-registered": 0,
    "object-recorded": 1,
    "tmf-recorded": 2,
    "document": 3,
    "object-state-changed": 4,
    "plan-submitted": 5,
    "plan-computed": 6,
    "plan-approved": 7,
    "assurance-required": 8,
    "deposit": 9,
    "monitoring": 10,
    "release": 11,
    "forfeit": 12,
}


def _rub(value: float, lang: str) -> str:
    """Format an amount of roubles to the kopeck: 1,234.50 or 1 234,50."""
    text = f"{value:,.2f}"
    return text.replace(",", "\u00a0").replace(".", ",") if lang == "ru" else text


def _history_key(entry: dict[str, Any]) -> tuple[str, int, str, int]:
    recorded = entry["_recorded"]
    return (
        entry["date"],
        _EVENT_ORDER.get(entry["event"], 99),
        "" if recorded is None else recorded.isoformat(),
        entry["ref"]["id"],
    )


# --- labels ----------------------------------------------------------------------------------

_VALUES_RU: dict[str, dict[str, str]] = {
    "kind": {
        "pit": "карьер",
        "collapse-crater": "воронка обрушения",
        "external-dump": "внешний отвал",
        "internal-dump": "внутренний отвал",
        "tailings-storage": "хвостохранилище",
        "topsoil-store": "склад ПРС",
        "road": "дорога",
        "industrial-site": "промплощадка",
    },
    "state": {
        "disturbed": "нарушено",
        "technical-stage": "технический этап",
        "biological-stage": "биологический этап",
        "reclaimed": "рекультивировано",
        "accepted": "принято по акту",
    },
    "status": {
        "operating": "действующий",
        "suspended": "приостановлен",
        "closed": "закрыт",
        "under-reclamation": "в рекультивации",
        "reclaimed": "рекультивирован",
        "abandoned": "брошенный",
    },
    "typology": {
        "greenfield": "гринфилд",
        "greyfield": "грейфилд",
        "brownfield": "браунфилд",
        "blackfield": "блэкфилд",
    },
    "tmf_class": {
        "mining": "горнодобывающее",
        "concentration": "обогатительное",
        "metallurgical": "металлургическое",
    },
    "transaction": {
        "deposit": "взнос",
        "release": "возврат",
        "forfeit": "обращение взыскания",
    },
    "document": {
        "acceptance-act": "акт приемки",
        "protocol": "протокол",
        "report": "отчет",
        "other": "прочее",
    },
}


def _ru(field: str, value: str | None) -> str:
    if value is None:
        return ""
    return _VALUES_RU.get(field, {}).get(value, value)


def _en(value: str) -> str:
    """Return an enumeration value as English words: ``external-dump`` -> ``External dump``."""
    return value.replace("-", " ").capitalize()


def _decimal_comma(value: float) -> str:
    """Return a number with two decimals and a decimal comma, as Russian texts print it."""
    return f"{value:.2f}".replace(".", ",")


def _value(field: str, value: str | None, lang: str) -> str:
    if value is None:
        return ""
    return _ru(field, value) if lang == "ru" else value


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
    en, ru = _LABELS[key]
    return ru if lang == "ru" else en


# --- HTML ------------------------------------------------------------------------------------

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
    return escape("" if value is None else str(value), quote=True)


def _num(value: Any, lang: str) -> str:
    return _e(format_number(value, lang))


def _money(value: Any, lang: str) -> str:
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
    body = "".join(f"<tr><th>{_e(k)}</th><td>{v}</td></tr>" for k, v in rows)
    return f"<table><tbody>{body}</tbody></table>"


def passport_html(passport: dict[str, Any], lang: str = "en") -> str:
    """Render a passport (from :func:`build_passport`) as a self-contained HTML page.

    Parameters
    ----------
    passport : dict
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
    meta = passport["passport"]
    parts: list[str] = []

    operator = (site.get("operator") or {}).get("name")
    territory = (site.get("territory") or {}).get("name")
    parts.append(f"<h2>{_e(_l('site', lang))}</h2>")
    parts.append(
        _pairs(
            [
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
        )
    )

    initial = passport["initial_state"]
    parts.append(f"<h2>{_e(_l('initial_state', lang))}</h2>")
    parts.append(
        _table(
            [_l(k, lang) for k in ("object", "kind", "area_ha", "volume_m3", "state", "date")],
            [
                [
                    ("", _e(r["object_name"])),
                    ("", _e(_value("kind", r["kind"], lang))),
                    ("num", _num(r["area_ha"], lang)),
                    ("num", _num(r["volume_m3"], lang)),
                    ("", _e(_value("state", r["state"], lang))),
                    ("date", _e(r["date"])),
                ]
                for r in initial["objects"]
            ],
            lang,
        )
    )
    parts.append(_pairs([(_l("disturbed_area", lang), _num(initial["disturbed_area_ha"], lang))]))

    current = passport["current_state"]
    parts.append(f"<h2>{_e(_l('current_state', lang))}</h2>")
    parts.append(
        _table(
            [_l(k, lang) for k in ("object", "kind", "area_ha", "state", "since")],
            [
                [
                    ("", _e(o["name"])),
                    ("", _e(_value("kind", o["kind"], lang))),
                    ("num", _num(o["area_ha"], lang)),
                    ("", _e(_value("state", o["state"], lang))),
                    ("date", _e(o["state_since"])),
                ]
                for o in current["objects"]
            ],
            lang,
        )
    )
    share = current["reclaimed_share"]
    parts.append(
        _pairs(
            [
                (_l("disturbed_area", lang), _num(current["total_area_ha"], lang)),
                (_l("reclaimed_area", lang), _num(current["reclaimed_area_ha"], lang)),
                (
                    _l("reclaimed_share", lang),
                    "" if share is None else _e(f"{format_number(100 * share, lang)} %"),
                ),
            ]
        )
    )

    parts.append(f"<h2>{_e(_l('tmf', lang))}</h2>")
    parts.append(
        _table(
            [
                _l(k, lang)
                for k in ("name", "tmf_class", "mass_t", "hazard_class", "year", "valuable")
            ],
            [
                [
                    ("", _e(t["name"])),
                    ("", _e(_value("tmf_class", t["tmf_class"], lang))),
                    ("num", _num(t["mass_t"], lang)),
                    ("num", _e(_roman(t["hazard_class"]))),
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
                for t in passport["tmf"]
            ],
            lang,
        )
    )

    parts.append(f"<h2>{_e(_l('plans', lang))}</h2>")
    plan_rows = []
    for p in passport["plans"]:
        result = p["result"]
        if result is None:
            computed = _l("not_computed", lang)
            bond = ""
        else:
            computed = f"postmine {result['postmine_version']} ({result['computed_at']})"
            if not result["current"]:
                computed += " " + _l("outdated", lang)
            bond = _money((result.get("cost") or {}).get("bond_rub"), lang)
        plan_rows.append(
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
    if not meta["financial_included"]:
        headers = headers[:-1]
        plan_rows = [row[:-1] for row in plan_rows]
    parts.append(_table(headers, plan_rows, lang))

    parts.append(f"<h2>{_e(_l('works', lang))}</h2>")
    parts.append(
        _table(
            [_l(k, lang) for k in ("date", "object", "from_state", "to_state", "act")],
            [
                [
                    ("date", _e(w["date"])),
                    ("", _e(w["object_name"])),
                    ("", _e(_value("state", w["from_state"], lang))),
                    ("", _e(_value("state", w["state"], lang))),
                    ("", _e(w["act_reference"] or w["document_title"])),
                ]
                for w in passport["works"]
            ],
            lang,
        )
    )

    financial = passport.get("financial")
    if financial is not None:
        parts.append(f"<h2>{_e(_l('financial', lang))}</h2>")
        money_keys = ("required_rub", "deposited_rub", "released_rub", "forfeited_rub", "held_rub")
        parts.append(
            _table(
                [_l(k, lang) for k in money_keys],
                [
                    [("num", _money(a[k], lang)) for k in money_keys]
                    for a in financial["assurances"]
                ],
                lang,
            )
        )
        parts.append(
            _table(
                [_l(k, lang) for k in ("date", "transaction", "amount_rub", "milestone")],
                [
                    [
                        ("date", _e(t["transacted_on"])),
                        ("", _e(_value("transaction", t["kind"], lang))),
                        ("num", _money(t["amount_rub"], lang)),
                        ("", _e(t["milestone"])),
                    ]
                    for a in financial["assurances"]
                    for t in a["transactions"]
                ],
                lang,
            )
        )

    parts.append(f"<h2>{_e(_l('monitoring', lang))}</h2>")
    monitoring_rows = []
    for m in passport["monitoring"]["summaries"]:
        monitoring_rows.append(
            [
                ("", _e(f"{m['period_start']} – {m['period_end']}")),
                ("", _e(m["parameter"])),
                ("num", _num(m["value"], lang)),
                ("", _e(m["unit"])),
                ("", _e(_l("yes" if m["criteria_met"] else "no", lang))),
                ("", _e(m["source"])),
            ]
        )
    parts.append(
        _table(
            [
                _l(k, lang)
                for k in ("period", "parameter", "value", "unit", "criteria_met", "source")
            ],
            monitoring_rows,
            lang,
            row_classes=[
                "" if m["criteria_met"] else "not-met" for m in passport["monitoring"]["summaries"]
            ],
        )
    )

    parts.append(f"<h2>{_e(_l('documents', lang))}</h2>")
    parts.append(
        _table(
            [_l(k, lang) for k in ("date", "kind", "document_title", "location")] + ["SHA-256"],
            [
                [
                    ("date", _e(d["issued_on"])),
                    ("", _e(_value("document", d["kind"], lang))),
                    ("", _e(d["title"])),
                    ("", _e(d["uri"])),
                    ("hash", _e(d["sha256"])),
                ]
                for d in passport["documents"]
            ],
            lang,
        )
    )

    parts.append(f"<h2>{_e(_l('history', lang))}</h2>")
    parts.append(
        _table(
            [_l("date", lang), _l("event", lang)],
            [[("date", _e(h["date"])), ("", _e(h["text"][lang]))] for h in passport["history"]],
            lang,
        )
    )

    parts.append(f"<h2>{_e(_l('about', lang))}</h2>")
    parts.append(
        _pairs(
            [
                (_l("format", lang), _e(f"{meta['format']} {meta['format_version']}")),
                (_l("postmine_version", lang), _e(meta["postmine_version"])),
                (_l("as_of", lang), _e(meta["as_of"])),
            ]
        )
    )

    title = f"{_l('title', lang)}: {site['name']}"
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{_e(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        f"<h1>{_e(_l('title', lang))}</h1>\n"
        f'<p class="subtitle">{_e(site["name"])} · {_e(site.get("region"))}</p>\n'
        + "\n".join(parts)
        + "\n</body>\n</html>\n"
    )


def _roman(value: int) -> str:
    return {1: "I", 2: "II", 3: "III", 4: "IV", 5: "V"}.get(value, str(value))
