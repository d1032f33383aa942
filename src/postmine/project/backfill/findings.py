"""The findings of the backfill design (document 003): limits, capacity, layer, deadlines.

A step of the backfill design (:mod:`postmine.project.backfill`) that reads the typed results
of the others: the legal limit of years against the filling time (003 sec. 3.1), the capacity
of the void against the waste the limit brings, the activities scheduled after the limit
(sec. 3.2, 3.3, 5), a reclamation layer thinner than required (sec. 3.3) and the rule set's
deadlines to start the works. The findings on the use of the fleet are in
:func:`~postmine.project.backfill.fleet_tables.fleet_findings`.
"""

from __future__ import annotations

from postmine.project.backfill.base import (
    ACTIVITIES,
    EPS,
    TM3,
    DesignInputs,
    K,
    en_number,
    ru_number,
)
from postmine.project.backfill.calendar_plan import BackfillResult, void_name
from postmine.project.backfill.surface import FinishingResult
from postmine.project.model import Finding, text

__all__ = ["activity_findings", "backfill_findings", "layer_findings", "start_findings"]


def _time_limit_findings(inputs: DesignInputs, backfill: BackfillResult) -> list[Finding]:
    """Report a rule set without a limit of years, or a filling time beyond the limit."""
    lim, rules = inputs.limit, inputs.rules
    if lim.years is None:
        return [
            Finding(
                "time-limit-not-stated",
                "info",
                text(
                    f"The rule set {rules.id} states no limit on the duration of "
                    "technical reclamation: the calendar plan runs until the void is full.",
                    f"Набор правил {rules.id} не устанавливает предельный срок "
                    "технической рекультивации: календарный план составлен до полной "
                    "засыпки.",
                ),
                None,
                None,
                "years",
                lim.source,
            )
        ]
    t_z = backfill.plan.filling_time_years
    if t_z <= lim.years * (1 + EPS):
        return []
    en, ru = void_name(inputs.void)
    annual_k = backfill.volumes.total_dump_volume / K
    return [
        Finding(
            "time-limit-exceeded",
            "violation",
            text(
                f"Filling the {en} takes {en_number(t_z)} years at {en_number(annual_k)} "
                f"thousand m³ a year, more than the {lim.years}-year limit on technical "
                f"reclamation: the calendar plan stops after {lim.years} years.",
                f"Срок засыпки {ru} при ежегодном заполнении {ru_number(annual_k)} тыс. м³ "
                f"составит {ru_number(t_z)} года, что превышает предельный срок технической "
                f"рекультивации {lim.years} лет: календарный план ограничен "
                f"{lim.years} годами.",
            ),
            t_z,
            float(lim.years),
            "years",
            lim.source,
        )
    ]


def _unfilled_finding(inputs: DesignInputs, backfill: BackfillResult) -> list[Finding]:
    """Report the capacity left unfilled when the calendar plan ends (003 sec. 3.1)."""
    plan = backfill.plan.schedule
    if plan.filled:
        return []
    en, ru = void_name(inputs.void)
    capacity_k = backfill.total_capacity_m3 / K
    unfilled = plan.unfilled_capacity / K
    last = backfill.plan_years[-1]
    return [
        Finding(
            "capacity-not-filled",
            "warning",
            text(
                f"{en_number(unfilled)} of the {en_number(capacity_k)} thousand m³ of the {en} "
                f"remain unfilled when the calendar plan ends in {last}.",
                f"На конец календарного плана ({last} г.) остается "
                f"незаполненной {ru_number(unfilled)} тыс. м³ из {ru_number(capacity_k)} тыс. м³ "
                f"емкости {ru}.",
            ),
            unfilled,
            capacity_k,
            TM3,
            "003 sec. 3.1",
        )
    ]


def _exceeded_finding(inputs: DesignInputs, backfill: BackfillResult) -> list[Finding]:
    """Report waste arising within the limit of years beyond the void's capacity."""
    lim = inputs.limit
    capacity_k = backfill.total_capacity_m3 / K
    annual_k = backfill.volumes.total_dump_volume / K
    if lim.years is None or annual_k * lim.years <= capacity_k * (1 + EPS):
        return []
    en, ru = void_name(inputs.void)
    arising = annual_k * lim.years
    last = backfill.plan_years[-1]
    return [
        Finding(
            "capacity-exceeded",
            "warning",
            text(
                f"Within the {lim.years}-year limit the waste streams bring "
                f"{en_number(arising)} thousand m³ (in the dump) but the {en} holds "
                f"{en_number(capacity_k)}: it is full in {last} and "
                f"{en_number(arising - capacity_k)} thousand m³ need another place.",
                f"За предельный срок {lim.years} лет поступит {ru_number(arising)} тыс. м³ "
                f"отходов (в отвале), а емкость {ru} {ru_number(capacity_k)} тыс. м³: она "
                f"заполнится в {last} г., для "
                f"{ru_number(arising - capacity_k)} тыс. м³ нужно другое место размещения.",
            ),
            arising,
            capacity_k,
            TM3,
            "003 sec. 3.1",
        )
    ]


def backfill_findings(inputs: DesignInputs, backfill: BackfillResult) -> list[Finding]:
    """Return the findings on the limit of years and the capacity of the void (sec. 3.1)."""
    return (
        _time_limit_findings(inputs, backfill)
        + _unfilled_finding(inputs, backfill)
        + _exceeded_finding(inputs, backfill)
    )


def activity_findings(
    inputs: DesignInputs, activity_years: dict[str, tuple[int, int]]
) -> list[Finding]:
    """Return a violation for every activity whose last year is after the legal limit."""
    lim = inputs.limit
    if lim.end_year is None:
        return []
    out = []
    for activity, (_first, last) in activity_years.items():
        if last <= lim.end_year:
            continue
        name = ACTIVITIES[activity]
        out.append(
            Finding(
                "activity-beyond-limit",
                "violation",
                text(
                    f"{name['en']} ({activity}) is scheduled until {last}, after "
                    f"{lim.end_year}, the end of the {lim.years}-year limit on "
                    "technical reclamation.",
                    f"Работы «{name['ru']}» ({activity}) запланированы до {last} г., "
                    f"позже {lim.end_year} г. — окончания предельного срока "
                    f"технической рекультивации {lim.years} лет.",
                ),
                float(last),
                float(lim.end_year),
                "year",
                lim.source,
            )
        )
    return out


def layer_findings(inputs: DesignInputs, finishing: FinishingResult) -> list[Finding]:
    """Return a warning when the rock brought in makes a layer thinner than required."""
    layer = inputs.project.reclamation_layer
    h = finishing.surface.imported_layer_thickness_m
    if layer is None or h is None or h >= layer.thickness_m * (1 - EPS):
        return []
    volume_k = finishing.layer_volume_m3 / K
    return [
        Finding(
            "layer-too-thin",
            "warning",
            text(
                f"The {en_number(volume_k)} thousand m³ brought in make a layer "
                f"{h:.3f} m thick, less than the {layer.thickness_m:g} m required.",
                f"Привозная ППП {ru_number(volume_k)} тыс. м³ дает слой "
                f"{ru_number(h, 3)} м, меньше требуемых {ru_number(layer.thickness_m, 2)} м.",
            ),
            h,
            layer.thickness_m,
            "m",
            "003 sec. 3.3",
        )
    ]


def start_findings(inputs: DesignInputs) -> list[Finding]:
    """Return the rule set's deadlines to start the works (ordinary and Far North)."""
    rules = inputs.rules
    out = []
    for key in ("start_deadline_months", "start_deadline_months_far_north"):
        limit = rules.limit(key)
        if limit.value is None:
            continue
        far_north = key != "start_deadline_months"
        where_en = " in the Far North" if far_north else ""
        where_ru = " на Крайнем Севере" if far_north else ""
        out.append(
            Finding(
                "start-deadline",
                "info",
                text(
                    f"Under {rules.id} the works must start within "
                    f"{limit.value:g} months{where_en}.",
                    f"По {rules.id} работы должны быть начаты в течение "
                    f"{limit.value:g} месяцев{where_ru}.",
                ),
                limit.value,
                None,
                "months",
                f"{rules.id}: {limit.citation}",
            )
        )
    return out
