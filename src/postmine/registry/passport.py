"""The digital passport of a site: one view of its whole life, with its full history.

Document 000 describes the "digital passport" of a revived mining enterprise: the whole
history of disturbance, monitoring and reclamation works, kept so that residents, investors
and authorities can trust it. :func:`build_passport` gathers it from the registry as one
JSON-ready :class:`Passport`; :func:`postmine.reports.passport.passport_html` renders it as a
self-contained page in English or Russian. The passport is deterministic (no clock is read),
so the same registry gives the same passport byte for byte.

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
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, NotRequired, TypedDict

from sqlalchemy import select
from sqlalchemy.orm import Session

import postmine
from postmine.registry.models import (
    OBJECT_STATES,
    DisturbanceObject,
    FinancialAssurance,
    MonitoringSummary,
    ObjectStateChange,
    ReclamationPlan,
    Site,
    Tmf,
)
from postmine.registry.models import Document as DocumentRow
from postmine.registry.records.assurance import assurance_balance, list_assurances
from postmine.registry.records.common import as_dict
from postmine.registry.records.plans import list_plans, plan_result, plan_result_is_current
from postmine.registry.records.sites import get_site

__all__ = [
    "PASSPORT_FORMAT_VERSION",
    "VALUE_LABELS_RU",
    "Passport",
    "PassportMeta",
    "build_passport",
    "roman_numeral",
    "value_label_ru",
]

PASSPORT_FORMAT_VERSION = 1
"""Version of the passport's JSON layout."""

_DONE_STATES = ("reclaimed", "accepted")


class PassportMeta(TypedDict):
    """The ``passport`` section: what the document is and when its latest event was."""

    format: str
    format_version: int
    postmine_version: str
    site_id: int
    as_of: str
    financial_included: bool


class Passport(TypedDict):
    """A site's passport, JSON-ready (dates as ISO strings); sections as in the module doc."""

    passport: PassportMeta
    site: dict[str, Any]
    initial_state: dict[str, Any]
    current_state: dict[str, Any]
    tmf: list[dict[str, Any]]
    plans: list[dict[str, Any]]
    current_plan_id: int | None
    works: list[dict[str, Any]]
    monitoring: dict[str, Any]
    documents: list[dict[str, Any]]
    history: list[dict[str, Any]]
    financial: NotRequired[dict[str, Any]]


@dataclass
class _SiteRecords:
    """Everything of one site the passport is made from, read once."""

    site: Site
    objects: list[DisturbanceObject]
    changes: list[ObjectStateChange]
    tmf: list[Tmf]
    plans: list[ReclamationPlan]
    monitoring: list[MonitoringSummary]
    documents: list[DocumentRow]


@dataclass
class _ObjectStory:
    """The objects' state history split into first records and later works."""

    initial: list[dict[str, Any]] = field(default_factory=list)
    works: list[dict[str, Any]] = field(default_factory=list)
    since: dict[int, str] = field(default_factory=dict)
    events: list[dict[str, Any]] = field(default_factory=list)


def build_passport(
    session: Session,
    site_id: int,
    *,
    include_financial: bool = True,
    include_geometry: bool = False,
) -> Passport:
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
    Passport
        The passport, JSON-ready (dates as ISO strings); its sections are listed in the
        module docstring.

    Raises
    ------
    NotFoundError
        If the site does not exist.
    """
    records = _gather(session, site_id)
    site = records.site
    story = _object_story(records)
    history = [_site_event(site), *story.events, *_tmf_events(records.tmf)]
    history += _plan_events(records.plans)
    financial = None
    if include_financial:
        financial, money_events = _financial_section(session, site_id)
        history += money_events
    history += _monitoring_events(records.monitoring) + _document_events(records.documents)
    history.sort(key=_history_key)
    for entry in history:
        del entry["_recorded"]
    plans = records.plans
    approved = [p for p in plans if p.approved_on is not None]
    current_plan = (approved or plans)[-1] if plans else None
    passport: Passport = {
        "passport": {
            "format": "postmine-passport",
            "format_version": PASSPORT_FORMAT_VERSION,
            "postmine_version": postmine.__version__,
            "site_id": site.id,
            "as_of": max(e["date"] for e in history),
            "financial_included": include_financial,
        },
        "site": _site_section(site, include_geometry),
        "initial_state": {
            "registered_on": site.registered_on.isoformat(),
            "objects": story.initial,
            "disturbed_area_ha": math.fsum(r["area_ha"] for r in story.initial),
        },
        "current_state": _current_state(records.objects, story.since, include_geometry),
        "tmf": [as_dict(t) for t in records.tmf],
        "plans": [_plan_summary(p, include_financial) for p in plans],
        "current_plan_id": None if current_plan is None else current_plan.id,
        "works": story.works,
        "monitoring": {
            "summaries": [as_dict(m) for m in records.monitoring],
            "criteria_met": sum(1 for m in records.monitoring if m.criteria_met),
            "criteria_not_met": sum(1 for m in records.monitoring if not m.criteria_met),
        },
        "documents": [as_dict(d) for d in records.documents],
        "history": history,
    }
    if financial is not None:
        passport["financial"] = financial
    return passport


# --- gathering --------------------------------------------------------------------------------


def _gather(session: Session, site_id: int) -> _SiteRecords:
    """Read the site and all its records, in the passport's orders."""
    site = get_site(session, site_id)
    o, m, d = DisturbanceObject, MonitoringSummary, DocumentRow
    return _SiteRecords(
        site=site,
        objects=list(session.scalars(select(o).where(o.site_id == site_id).order_by(o.id))),
        changes=list(
            session.scalars(
                select(ObjectStateChange)
                .join(DisturbanceObject)
                .where(DisturbanceObject.site_id == site_id)
                .order_by(ObjectStateChange.changed_on, ObjectStateChange.id)
            )
        ),
        tmf=list(session.scalars(select(Tmf).where(Tmf.site_id == site_id).order_by(Tmf.id))),
        plans=list_plans(session, site_id),
        monitoring=list(
            session.scalars(select(m).where(m.site_id == site_id).order_by(m.period_end, m.id))
        ),
        documents=list(
            session.scalars(select(d).where(d.site_id == site_id).order_by(d.issued_on, d.id))
        ),
    )


# --- sections ---------------------------------------------------------------------------------


def _object_story(records: _SiteRecords) -> _ObjectStory:
    """Split the state history: an object's first record is its initial state, the rest works."""
    by_id = {o.id: o for o in records.objects}
    story = _ObjectStory()
    previous: dict[int, str] = {}
    for change in records.changes:
        obj = by_id[change.object_id]
        story.since[obj.id] = change.changed_on.isoformat()
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
        if obj.id not in previous:
            story.initial.append(
                {**row, "area_ha": obj.area_ha, "volume_m3": obj.volume_m3, "note": change.note}
            )
            story.events.append(_object_recorded_event(obj, change))
        else:
            story.works.append({**row, "from_state": previous[obj.id], "note": change.note})
            story.events.append(_state_changed_event(obj, change, previous[obj.id]))
        previous[obj.id] = change.state
    return story


def _site_section(site: Site, include_geometry: bool) -> dict[str, Any]:
    """Return the site's columns with its operator and territory."""
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
    return site_dict


def _current_state(
    objects: list[DisturbanceObject], since: dict[int, str], include_geometry: bool
) -> dict[str, Any]:
    """Return each object now, the areas by state and kind [ha] and the reclaimed share."""
    total_area = math.fsum(o.area_ha for o in objects)
    area_by_state = dict.fromkeys(OBJECT_STATES, 0.0)
    area_by_kind: dict[str, float] = defaultdict(float)
    for o in objects:
        area_by_state[o.state] += o.area_ha
        area_by_kind[o.kind] += o.area_ha
    done_area = math.fsum(area_by_state[s] for s in _DONE_STATES)
    current_objects = []
    for o in objects:
        entry = as_dict(o, geometry=include_geometry)
        entry["state_since"] = since.get(o.id)
        current_objects.append(entry)
    return {
        "objects": current_objects,
        "total_area_ha": total_area,
        "area_by_state_ha": area_by_state,
        "area_by_kind_ha": dict(sorted(area_by_kind.items())),
        "reclaimed_area_ha": done_area,
        "reclaimed_share": done_area / total_area if total_area > 0 else None,
    }


def _financial_section(
    session: Session, site_id: int
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Return the assurances with balances and movements [rub], and their history events."""
    assurances = []
    events: list[dict[str, Any]] = []
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
        events += _assurance_events(a)
    financial = {"assurances": assurances, "totals": {k: round(v, 2) for k, v in totals.items()}}
    return financial, events


# --- history events ---------------------------------------------------------------------------


def _site_event(site: Site) -> dict[str, Any]:
    """Return the event of the site entering the registry."""
    return _event(
        site.registered_on,
        site.created_at,
        "site-registered",
        "sites",
        site.id,
        f"Site {site.name} entered the registry ({site.status})",
        f"Объект {site.name} внесен в реестр ({value_label_ru('status', site.status)})",
    )


def _object_recorded_event(obj: DisturbanceObject, change: ObjectStateChange) -> dict[str, Any]:
    """Return the event of an object's first record, in its first state."""
    return _event(
        change.changed_on,
        change.created_at,
        "object-recorded",
        "object_states",
        change.id,
        f"{_en(obj.kind)} {obj.name} ({obj.area_ha:.2f} ha) recorded as {change.state}",
        f"{value_label_ru('kind', obj.kind).capitalize()} {obj.name} "
        f"({_decimal_comma(obj.area_ha)} га) учтен: "
        f"{value_label_ru('state', change.state)}",
        object_id=obj.id,
        state=change.state,
    )


def _state_changed_event(
    obj: DisturbanceObject, change: ObjectStateChange, previous: str
) -> dict[str, Any]:
    """Return the event of a later change of an object's state, with its act if any."""
    act = f", act {change.act_reference}" if change.act_reference else ""
    act_ru = f", акт {change.act_reference}" if change.act_reference else ""
    return _event(
        change.changed_on,
        change.created_at,
        "object-state-changed",
        "object_states",
        change.id,
        f"{obj.name}: {previous} -> {change.state}{act}",
        f"{obj.name}: {value_label_ru('state', previous)} -> "
        f"{value_label_ru('state', change.state)}{act_ru}",
        object_id=obj.id,
        from_state=previous,
        state=change.state,
    )


def _tmf_events(tmf: list[Tmf]) -> list[dict[str, Any]]:
    """Return the events of the technogenic mineral formations recorded."""
    return [
        _event(
            t.recorded_on,
            t.created_at,
            "tmf-recorded",
            "tmf",
            t.id,
            f"TMF {t.name}: {t.tmf_class}, {t.mass_t:.0f} t, "
            f"hazard class {roman_numeral(t.hazard_class)}",
            f"ТМО {t.name}: {value_label_ru('tmf_class', t.tmf_class)}, {t.mass_t:.0f} т, "
            f"класс опасности {roman_numeral(t.hazard_class)}",
            tmf_id=t.id,
        )
        for t in tmf
    ]


def _plan_events(plans: list[ReclamationPlan]) -> list[dict[str, Any]]:
    """Return the events of each plan submitted, computed and approved."""
    events = []
    for p in plans:
        events.append(
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
            events.append(
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
            events.append(
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
    return events


def _assurance_events(a: FinancialAssurance) -> list[dict[str, Any]]:
    """Return the events of an assurance required and of each of its movements."""
    events = [
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
    ]
    for move in a.transactions:
        milestone = f" ({move.milestone})" if move.milestone else ""
        events.append(
            _event(
                move.transacted_on,
                move.created_at,
                move.kind,
                "assurance_transactions",
                move.id,
                f"{move.kind.capitalize()} of {_rub(move.amount_rub, 'en')} rub{milestone}",
                f"{value_label_ru('transaction', move.kind).capitalize()}: "
                f"{_rub(move.amount_rub, 'ru')} руб.{milestone}",
                amount_rub=move.amount_rub,
                assurance_id=a.id,
            )
        )
    return events


def _monitoring_events(monitoring: list[MonitoringSummary]) -> list[dict[str, Any]]:
    """Return the events of the monitoring summaries, each met or not."""
    events = []
    for m in monitoring:
        verdict = "met" if m.criteria_met else "NOT met"
        verdict_ru = "соблюден" if m.criteria_met else "НЕ соблюден"
        events.append(
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
    return events


def _document_events(documents: list[DocumentRow]) -> list[dict[str, Any]]:
    """Return the events of the documents registered, by title and checksum."""
    return [
        _event(
            d.issued_on,
            d.created_at,
            "document",
            "documents",
            d.id,
            f"{_en(d.kind)} {d.title!r} (SHA-256 {d.sha256[:12]})",
            f"{value_label_ru('document', d.kind).capitalize()} «{d.title}» "
            f"(SHA-256 {d.sha256[:12]})",
            sha256=d.sha256,
        )
        for d in documents
    ]


def _iso(value: date | datetime | None) -> str | None:
    """Return a date or time as ISO text, None as None."""
    return None if value is None else value.isoformat()


def roman_numeral(value: int) -> str:
    """Return a hazard class 1..5 as its Roman numeral (other values as digits).

    Examples
    --------
    >>> roman_numeral(4), roman_numeral(7)
    ('IV', '7')
    """
    return {1: "I", 2: "II", 3: "III", 4: "IV", 5: "V"}.get(value, str(value))


# --- parts of the texts -----------------------------------------------------------------------


def _plan_summary(plan: ReclamationPlan, include_financial: bool) -> dict[str, Any]:
    """Summarise a plan and its computed result (money only with ``include_financial``)."""
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
    """Make one event of the history, with its two-language text and when it was written."""
    return {
        "date": when.isoformat(),
        "event": event,
        "ref": {"table": table, "id": key},
        "text": {"en": en, "ru": ru},
        **details,
        "_recorded": recorded,
    }


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
    """Format an amount of roubles to the kopeck: 1,234.50 or 1 234,50 (history texts)."""
    text = f"{value:,.2f}"
    return text.replace(",", "\u00a0").replace(".", ",") if lang == "ru" else text


def _history_key(entry: dict[str, Any]) -> tuple[str, int, str, int]:
    """Order events by date, then records before the changes they evidence, then writing."""
    recorded = entry["_recorded"]
    return (
        entry["date"],
        _EVENT_ORDER.get(entry["event"], 99),
        "" if recorded is None else recorded.isoformat(),
        entry["ref"]["id"],
    )


VALUE_LABELS_RU: dict[str, dict[str, str]] = {
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


"""Russian names of the enumeration values, by field."""


def value_label_ru(field: str, value: str | None) -> str:
    """Return the Russian name of an enumeration value (``"accepted"`` -> ``"принято по акту"``).

    Examples
    --------
    >>> value_label_ru("kind", "external-dump")
    'внешний отвал'
    """
    if value is None:
        return ""
    return VALUE_LABELS_RU.get(field, {}).get(value, value)


def _en(value: str) -> str:
    """Return an enumeration value as English words: ``external-dump`` -> ``External dump``."""
    return value.replace("-", " ").capitalize()


def _decimal_comma(value: float) -> str:
    """Return a number with two decimals and a decimal comma, as Russian texts print it."""
    return f"{value:.2f}".replace(".", ",")
