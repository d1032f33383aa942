"""The waste volumes, the filling time and the calendar plan of the backfill (document 003).

A step of the backfill design (:mod:`postmine.project.backfill`): the annual waste volumes
(003 Table 4), the filling time (sec. 3.1) and the calendar plan by tier and year within the
legal limit of years (Table 5), computed by the 003 backfill chain
(:mod:`postmine.chains.backfill`) into a :class:`BackfillResult`; its tables, the timeline
of the works against the limit (sec. 3.2, 3.3, 5) and the calendar helpers the design
schedules its activities by.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt

from postmine.chains.backfill import (
    BackfillPlan,
    WasteStreamInput,
    backfill_plan,
    tier_capacity,
    waste_volumes,
)
from postmine.methods.backfill import WasteStreamVolumes
from postmine.project.backfill.base import (
    ACTIVITIES,
    EPS,
    PARAMETER_COLUMNS,
    TOTAL,
    VOID_NAMES,
    DesignInputs,
    K,
    TimeLimit,
    frozen,
    quantity_col,
    quantity_param,
)
from postmine.project.model import Column, Table, text
from postmine.project.schema import Void, WasteStream

__all__ = [
    "FILLING_NOTE",
    "NO_LIMIT_NOTE",
    "TABLE_4_COLUMNS",
    "TABLE_4_NOTE",
    "TABLE_5_NOTE",
    "TIMELINE_COLUMNS",
    "TIMELINE_NOTE",
    "BackfillResult",
    "activity_span",
    "compute_backfill",
    "spread",
    "table_4",
    "table_5",
    "table_filling",
    "table_timeline",
]


def spread(start: float, duration: float) -> list[tuple[int, float]]:
    """Return the calendar years an activity touches and the share of it in each.

    Calendar year Y is the interval [Y, Y + 1); an activity of no duration falls in the
    year it starts.

    Examples
    --------
    >>> spread(2037.0, 0.5)
    [(2037, 1.0)]
    """
    if duration <= 0:
        return [(math.floor(start + EPS), 1.0)]
    end = start + duration
    first = math.floor(start + EPS)
    last = max(math.ceil(end - EPS) - 1, first)
    out = []
    for year in range(first, last + 1):
        overlap = min(end, year + 1.0) - max(start, float(year))
        if overlap > EPS * duration:
            out.append((year, overlap / duration))
    return out


def activity_span(years: Sequence[tuple[int, float]]) -> tuple[int, int]:
    """Return the first and last year of an activity spread by :func:`spread`."""
    return years[0][0], years[-1][0]


def void_name(void: Void) -> tuple[str, str]:
    """Return the void's name in English and Russian (genitive), e.g. "collapse crater"."""
    return VOID_NAMES[void.kind]


# ---- cached steps: they depend only on inputs a Monte Carlo rarely varies -------------------


@lru_cache(maxsize=64)
def _waste_volumes(streams: tuple[WasteStreamInput, ...]) -> WasteStreamVolumes:
    volumes = waste_volumes(streams)
    frozen(volumes.annual_mass, volumes.volume, volumes.dump_volume)
    return volumes


def _stream_input(s: WasteStream) -> WasteStreamInput:
    return WasteStreamInput(s.name, s.annual_mass_t, s.bulk_density_t_m3, s.factor, s.factor_kind)


@lru_cache(maxsize=16)
def _capacities(remaining: float, given: tuple[float | None, ...]) -> npt.NDArray[np.float64]:
    try:
        capacity = tier_capacity(remaining, given)
    except ValueError as exc:
        raise ValueError(f"void.tiers: {exc}") from None
    frozen(capacity)
    return capacity


# ---- the step -------------------------------------------------------------------------------


@dataclass(frozen=True)
class BackfillResult:
    """The backfill of the void: waste volumes, capacities and calendar plan (003 sec. 3.1).

    Attributes
    ----------
    streams : tuple of WasteStream
        The project's waste streams, in order.
    volumes : WasteStreamVolumes
        M [t/year], V and V_отв [m³/year] per stream (Table 4).
    capacity_m3 : ndarray
        V_яр of each tier, bottom-up. [m³]
    plan : BackfillPlan
        Filling time and the calendar plan (Table 5), volumes in m³.
    plan_years : list of int
        Calendar years of the plan. [year]
    year_share : list of float
        Share of a full year's volume placed in each year of the plan (1, ..., 1, part). [-]
    end : float
        When the backfill ends, on a continuous calendar (year Y is [Y, Y + 1)). [year]
    """

    streams: tuple[WasteStream, ...]
    volumes: WasteStreamVolumes
    capacity_m3: npt.NDArray[np.float64]
    plan: BackfillPlan
    plan_years: list[int]
    year_share: list[float]
    end: float

    @property
    def total_capacity_m3(self) -> float:
        """V_ост, capacity of all the tiers [m³]."""
        return float(self.capacity_m3.sum())


def compute_backfill(inputs: DesignInputs) -> BackfillResult:
    """Compute the waste volumes, filling time and calendar plan of the project's void.

    Raises
    ------
    ValueError
        If the tiers' capacities do not fit the void, or a value is out of range as in
        :mod:`postmine.methods.backfill`.
    """
    project, void = inputs.project, inputs.void
    streams = tuple(project.waste_streams)
    volumes = _waste_volumes(tuple(_stream_input(s) for s in streams))
    capacity = _capacities(void.remaining_capacity_m3, tuple(t.capacity_m3 for t in void.tiers))
    start = project.schedule.start_year
    plan = backfill_plan(
        capacity, volumes.total_dump_volume, inputs.limit.years, start, volumes.total_volume
    )
    year_share = plan.year_share
    return BackfillResult(
        streams,
        volumes,
        capacity,
        plan,
        plan.schedule.years.tolist(),
        year_share,
        start + float(sum(year_share)),
    )


# ---- tables ---------------------------------------------------------------------------------


def table_4(backfill: BackfillResult) -> Table:
    """Return the annual volumes of the waste placed (003 Table 4)."""
    v = backfill.volumes
    mass, vol, dump = (
        (v.annual_mass / K).tolist(),
        (v.volume / K).tolist(),
        (v.dump_volume / K).tolist(),
    )
    rows: list[dict[str, Any]] = [
        {
            "stream": s.name,
            "mass_thousand_t": mass[i],
            "bulk_density_t_m3": s.bulk_density_t_m3,
            "volume_thousand_m3": vol[i],
            "residual_loosening_factor": s.factor if s.factor_kind == "loosening" else None,
            "compaction_factor": s.factor if s.factor_kind == "compaction" else None,
            "dump_volume_thousand_m3": dump[i],
            "hazard_class": s.hazard_class,
            "by_project_fleet": s.by_project_fleet,
            "fleet_exclusion_reason": s.fleet_exclusion_reason,
        }
        for i, s in enumerate(backfill.streams)
    ]
    rows.append(
        {
            "stream": text("Total", "Всего"),
            "mass_thousand_t": v.total_mass / K,
            "bulk_density_t_m3": None,
            "volume_thousand_m3": v.total_volume / K,
            "residual_loosening_factor": None,
            "compaction_factor": None,
            "dump_volume_thousand_m3": v.total_dump_volume / K,
            "hazard_class": None,
            "by_project_fleet": None,
            "fleet_exclusion_reason": None,
        }
    )
    return Table(
        "waste_volumes",
        text("Annual volumes of the waste placed", "Годовые объемы складируемых отходов"),
        "003 Table 4",
        TABLE_4_COLUMNS,
        rows,
        [TABLE_4_NOTE],
    )


def _tier_rows(void: Void, backfill: BackfillResult) -> list[dict[str, Any]]:
    """Return the capacity and the year it becomes full of every tier (sec. 3.1, Table 5)."""
    rows = []
    fill_year = backfill.plan.schedule.tier_fill_year.tolist()
    for i, (tier, cap) in enumerate(zip(void.tiers, backfill.capacity_m3.tolist(), strict=True)):
        lab = f"{tier.elevation_m:+g}"
        rows.append(
            quantity_param("tier_capacity_thousand_m3", cap / K,
                           quantity="backfill_tier_capacity_thousand_m3", item=lab, tier=lab)
        )  # fmt: skip
        rows.append(
            quantity_param("tier_fill_year", fill_year[i] if fill_year[i] >= 0 else None,
                           quantity="backfill_tier_fill_year", item=lab, tier=lab)
        )  # fmt: skip
    return rows


def table_filling(inputs: DesignInputs, backfill: BackfillResult) -> Table:
    """Return the filling time of the void (003 sec. 3.1)."""
    b, plan, volumes = backfill.plan, backfill.plan.schedule, backfill.volumes
    en, ru = void_name(inputs.void)
    limit = inputs.limit
    rows = [
        quantity_param("remaining_capacity_thousand_m3", backfill.total_capacity_m3 / K,
                       quantity="backfill_remaining_capacity_thousand_m3", void=text(en, ru)),
        quantity_param("annual_dump_volume_thousand_m3", volumes.total_dump_volume / K,
                       quantity="backfill_annual_dump_volume_thousand_m3_year"),
        quantity_param("annual_placed_volume_thousand_m3", volumes.total_volume / K,
                       quantity="backfill_annual_placed_volume_thousand_m3_year"),
        quantity_param("filling_time_years", b.filling_time_years,
                       quantity="backfill_filling_time_years"),
        quantity_param("filling_whole_years", b.whole_years,
                       quantity="backfill_filling_whole_years"),
        quantity_param("max_technical_years", limit.years,
                       quantity="backfill_max_technical_years"),
        quantity_param("plan_years", len(backfill.plan_years), quantity="backfill_plan_years"),
        quantity_param("plan_dump_volume_thousand_m3", plan.total_dump_volume / K,
                       quantity="backfill_plan_dump_volume_thousand_m3"),
        quantity_param("unfilled_capacity_thousand_m3", plan.unfilled_capacity / K,
                       quantity="backfill_unfilled_capacity_thousand_m3"),
    ]  # fmt: skip
    rows += _tier_rows(inputs.void, backfill)
    return Table(
        "filling_time",
        text(f"Filling time of the {en}", f"Срок засыпки {ru}"),
        "003 sec. 3.1",
        PARAMETER_COLUMNS,
        rows,
        [FILLING_NOTE] if limit.years is not None else [NO_LIMIT_NOTE],
    )


def _table_5_rows(labels: Sequence[str], backfill: BackfillResult) -> list[dict[str, Any]]:
    """Return a row per year of the calendar plan and the row of totals (Table 5)."""
    plan = backfill.plan.schedule
    placed = plan.placed_volume
    assert placed is not None
    dump_k, placed_k = (plan.dump_volume / K).tolist(), (placed / K).tolist()
    by_year_dump = (plan.dump_volume_by_year / K).tolist()
    by_year_placed = (placed.sum(axis=0) / K).tolist()
    cumulative = (np.cumsum(plan.dump_volume_by_year) / K).tolist()
    capacity_k = backfill.total_capacity_m3 / K
    rows: list[dict[str, Any]] = []
    for j, year in enumerate(backfill.plan_years):
        row: dict[str, Any] = {"year": year}
        for i, lab in enumerate(labels):
            row[f"tier{lab}_placed_volume_thousand_m3"] = placed_k[i][j] or None
            row[f"tier{lab}_dump_volume_thousand_m3"] = dump_k[i][j] or None
        row["placed_volume_thousand_m3"] = by_year_placed[j]
        row["dump_volume_thousand_m3"] = by_year_dump[j]
        row["cumulative_dump_volume_thousand_m3"] = cumulative[j]
        row["unfilled_capacity_thousand_m3"] = max(capacity_k - cumulative[j], 0.0)
        rows.append(row)
    total: dict[str, Any] = {"year": TOTAL}
    tier_dump = (plan.dump_volume_by_tier / K).tolist()
    tier_placed = (placed.sum(axis=1) / K).tolist()
    for i, lab in enumerate(labels):
        total[f"tier{lab}_placed_volume_thousand_m3"] = tier_placed[i]
        total[f"tier{lab}_dump_volume_thousand_m3"] = tier_dump[i]
    total["placed_volume_thousand_m3"] = float(placed.sum()) / K
    total["dump_volume_thousand_m3"] = plan.total_dump_volume / K
    total["cumulative_dump_volume_thousand_m3"] = None
    total["unfilled_capacity_thousand_m3"] = plan.unfilled_capacity / K
    rows.append(total)
    return rows


def table_5(inputs: DesignInputs, backfill: BackfillResult) -> Table:
    """Return the calendar plan of the backfill by tier and year (003 Table 5)."""
    labels = tuple(f"{t.elevation_m:+g}" for t in inputs.void.tiers)
    en, ru = void_name(inputs.void)
    return Table(
        "calendar_plan",
        text(f"Calendar plan of the backfill of the {en}", f"Календарный план засыпки {ru}"),
        "003 Table 5",
        table_5_columns(labels),
        _table_5_rows(labels, backfill),
        [TABLE_5_NOTE],
    )


def table_timeline(limit: TimeLimit, activity_years: dict[str, tuple[int, int]]) -> Table:
    """Return the first and last year of every activity against the limit (003 sec. 3.2-5)."""
    end = limit.end_year
    rows = [
        {
            "activity": activity,
            "name": ACTIVITIES[activity],
            "first_year": first,
            "last_year": last,
            "within_limit": None if end is None else last <= end,
        }
        for activity, (first, last) in activity_years.items()
    ]
    return Table(
        "timeline",
        text("Timeline of the works", "Сроки проведения работ по этапам"),
        "003 sec. 3.2, 3.3, 5",
        TIMELINE_COLUMNS,
        rows,
        [TIMELINE_NOTE],
    )


# ---- table layouts --------------------------------------------------------------------


@lru_cache(maxsize=16)
def table_5_columns(labels: tuple[str, ...]) -> list[Column]:
    """Return the columns of Table 5: the year, each tier's volumes, the totals."""
    cols = [quantity_col("year", "plan_year")]
    volumes = ("placed_volume_thousand_m3", "dump_volume_thousand_m3")
    for lab in labels:
        tier = text(f"Tier {lab} m", f"Ярус {lab} м")
        cols += [quantity_col(f"tier{lab}_{key}", key, where=tier) for key in volumes]
    total = text("Total", "Всего")
    return [
        *cols,
        *(quantity_col(key, where=total) for key in volumes),
        quantity_col("cumulative_dump_volume_thousand_m3"),
        quantity_col("unfilled_capacity_thousand_m3"),
    ]


TABLE_4_COLUMNS = [
    quantity_col("stream", "waste_stream"),
    quantity_col("mass_thousand_t", "stream_mass_thousand_t_year"),
    quantity_col("bulk_density_t_m3", "stream_bulk_density_t_m3"),
    quantity_col("volume_thousand_m3", "stream_volume_thousand_m3_year"),
    quantity_col("residual_loosening_factor", "stream_residual_loosening_factor"),
    quantity_col("compaction_factor", "stream_compaction_factor"),
    quantity_col("dump_volume_thousand_m3", "stream_dump_volume_thousand_m3_year"),
    quantity_col("hazard_class", "waste_hazard_class"),
    quantity_col("by_project_fleet", "handled_by_project_fleet"),
    quantity_col("fleet_exclusion_reason"),
]  # fmt: skip

TIMELINE_COLUMNS = [
    quantity_col("activity", "activity_key"),
    quantity_col("name", "works_name"),
    quantity_col("first_year", "timeline_first_year"),
    quantity_col("last_year", "timeline_last_year"),
    quantity_col("within_limit", "within_legal_limit"),
]

TABLE_4_NOTE = text(
    "Volumes are not rounded before the loosening or compaction factor is applied; 003 "
    "applies it to the volume rounded to 0.1 thousand m³ (53.0 for 53.05, 34.3 for 34.24).",
    "Объемы не округляются до применения коэффициентов; в 003 коэффициент применен к "
    "объему, округленному до 0,1 тыс. м³ (53,0 вместо 53,05; 34,3 вместо 34,24).",
)
FILLING_NOTE = text(
    "The calendar plan covers at most the legal limit of years (Table 5); the capacity left "
    "is reported as a finding.",
    "Календарный план ограничен нормативным сроком (таблица 5); остаток емкости приведен "
    "в замечаниях.",
)
NO_LIMIT_NOTE = text(
    "The rule set states no limit of years: the plan runs until the void is full.",
    "Набор правил не устанавливает предельного срока: план составлен до полной засыпки.",
)
TABLE_5_NOTE = text(
    "Built on the annual volume summed from the unrounded streams; 003 uses the printed "
    "512.3 thousand m³ (15 years: 7684.5 in 003). A year split between tiers is shared in "
    "proportion to the volume in the dump.",
    "Расчет по годовому объему из неокругленных объемов отходов; в 003 — 512,3 тыс. м³ "
    "(за 15 лет 7684,5). Объем года, распределенный между ярусами, делится пропорционально "
    "объему в отвале.",
)
TIMELINE_NOTE = text(
    "Haulage and dozing over the calendar plan; planning 1 year after the backfill ends "
    "(settlement, 003 sec. 3.2); the layer after the planning (003 sec. 3.3), as long as the "
    "project's fleet needs.",
    "Транспортировка и отвалообразование — по календарному плану; планировка через 1 год "
    "после окончания засыпки (усадка, 003 п. 3.2); рекультивационный слой — после "
    "планировки (003 п. 3.3), на срок, необходимый парку проекта.",
)
