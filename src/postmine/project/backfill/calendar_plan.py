"""The waste volumes, the filling time and the calendar plan of the backfill (document 003).

Part of the backfill design (:mod:`postmine.project.backfill`): the annual waste volumes
(003 Table 4), the filling time (sec. 3.1), the calendar plan by tier and year within the
legal limit of years (Table 5) and the timeline of the works against that limit (sec. 3.2,
3.3, 5), with the calendar helpers the design schedules its activities by.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt

from postmine.methods.backfill import (
    WasteStreamVolumes,
    tier_capacities,
    waste_stream_volumes,
)
from postmine.project.backfill.base import (
    _EPS,
    _VOID_NAMES,
    ACTIVITIES,
    PARAMETER_COLUMNS,
    TM3,
    TOTAL,
    K,
    _col,
    _DesignState,
    _floats,
    _frozen,
    _Limit,
    _param,
)
from postmine.project.model import Column, Table, text
from postmine.project.rules import RuleSet
from postmine.project.schema import ProjectFile, WasteStream

__all__ = [
    "FILLING_NOTE",
    "NO_LIMIT_NOTE",
    "TABLE_4_COLUMNS",
    "TABLE_4_NOTE",
    "TABLE_5_NOTE",
    "TIMELINE_COLUMNS",
    "TIMELINE_NOTE",
]


def _spread(start: float, duration: float) -> list[tuple[int, float]]:
    """Return the calendar years an activity touches and the share of it in each.

    Calendar year Y is the interval [Y, Y + 1); an activity of no duration falls in the
    year it starts.
    """
    if duration <= 0:
        return [(math.floor(start + _EPS), 1.0)]
    end = start + duration
    first = math.floor(start + _EPS)
    last = max(math.ceil(end - _EPS) - 1, first)
    out = []
    for year in range(first, last + 1):
        overlap = min(end, year + 1.0) - max(start, float(year))
        if overlap > _EPS * duration:
            out.append((year, overlap / duration))
    return out


def _years(spread: Sequence[tuple[int, float]]) -> tuple[int, int]:
    return spread[0][0], spread[-1][0]


def _time_limit(project: ProjectFile, rules: RuleSet) -> _Limit:
    limit = rules.limit("max_technical_years")
    start = project.schedule.start_year
    override = project.rules.max_technical_years
    if override is not None:
        source = (
            f"project file [rules] max_technical_years = {override}, overriding "
            f"{rules.id}: {limit.citation}"
        )
        return _Limit(override, source, start + override - 1)
    if limit.value is None:
        return _Limit(None, f"{rules.id}: {limit.citation}", None)
    years = int(limit.value)
    return _Limit(years, f"{rules.id}: {limit.citation}", start + years - 1)


# ---- cached stages: they depend only on inputs a Monte Carlo rarely varies --------------


@lru_cache(maxsize=64)
def _waste_volumes(streams: tuple[tuple[float, float, float, str], ...]) -> WasteStreamVolumes:
    mass, density, factor, kind = zip(*streams, strict=True)
    volumes = waste_stream_volumes(mass, density, factor, kind)
    _frozen(volumes.annual_mass, volumes.volume, volumes.dump_volume)
    return volumes


def _stream_key(s: WasteStream) -> tuple[float, float, float, str]:
    return (s.annual_mass_t, s.bulk_density_t_m3, s.factor, s.factor_kind)


@lru_cache(maxsize=16)
def _capacities(remaining: float, given: tuple[float | None, ...]) -> npt.NDArray[np.float64]:
    if given[-1] is None:
        lower = [c for c in given[:-1] if c is not None]
        try:
            capacity = tier_capacities(remaining, lower)
        except ValueError as exc:
            raise ValueError(f"void.tiers: {exc}") from None
    else:
        capacity = _floats([c for c in given if c is not None])
    _frozen(capacity)
    return capacity


# ---- tables -------------------------------------------------------------------------


class _CalendarTables(_DesignState):
    """Tables of the waste volumes, the filling time, the calendar plan and the timeline."""

    def _void_name(self) -> tuple[str, str]:
        return _VOID_NAMES[self.void.kind]

    def _table_4(self) -> Table:
        v = self.volumes
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
            for i, s in enumerate(self.streams)
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

    def _table_filling(self) -> Table:
        b, plan = self.backfill, self.backfill.plan
        en, ru = self._void_name()
        rows = [
            _param("remaining_capacity_thousand_m3", "Remaining capacity of the " + en,
                   "Остаточная емкость " + ru, "V_ост", float(self.capacity.sum()) / K, TM3),
            _param("annual_dump_volume_thousand_m3", "Waste placed per year, in the dump",
                   "Годовой объем отходов в отвале", "V_отв.г",
                   self.volumes.total_dump_volume / K, f"{TM3}/year"),
            _param("annual_placed_volume_thousand_m3", "Waste placed per year, as delivered",
                   "Годовой объем размещаемых отходов", "V_р.г",
                   self.volumes.total_volume / K, f"{TM3}/year"),
            _param("filling_time_years", "Filling time", "Срок засыпки", "T_з",
                   b.filling_time, "years"),
            _param("filling_whole_years", "Whole years of work to fill it",
                   "Срок засыпки, полных лет", "⌈T_з⌉", b.whole_years, "years"),
            _param("max_technical_years", "Limit on the duration of technical reclamation",
                   "Предельный срок технической рекультивации", "T_пр", self.limit.years,
                   "years"),
            _param("plan_years", "Years of the calendar plan", "Лет в календарном плане",
                   "", len(self.plan_years), "years"),
            _param("plan_dump_volume_thousand_m3", "Waste placed within the plan, in the dump",
                   "Объем отходов в отвале за период плана", "ΣV_отв",
                   plan.total_dump_volume / K, TM3),
            _param("unfilled_capacity_thousand_m3", "Capacity left unfilled when the plan ends",
                   "Незаполненная емкость на конец плана", "V_ост.н",
                   plan.unfilled_capacity / K, TM3),
        ]  # fmt: skip
        fill_year = plan.tier_fill_year.tolist()
        for i, (tier, cap) in enumerate(zip(self.void.tiers, self.capacity.tolist(), strict=True)):
            lab = f"{tier.elevation_m:+g}"
            rows.append(
                _param(f"tier_capacity_thousand_m3[{lab}]", f"Capacity of tier {lab} m",
                       f"Емкость яруса {lab} м", f"V_яр[{lab}]", cap / K, TM3)
            )  # fmt: skip
            rows.append(
                _param(f"tier_fill_year[{lab}]", f"Year tier {lab} m becomes full",
                       f"Год заполнения яруса {lab} м", f"T_яр[{lab}]",
                       fill_year[i] if fill_year[i] >= 0 else None, "year")
            )  # fmt: skip
        return Table(
            "filling_time",
            text(f"Filling time of the {en}", f"Срок засыпки {ru}"),
            "003 sec. 3.1",
            PARAMETER_COLUMNS,
            rows,
            [FILLING_NOTE] if self.limit.years is not None else [NO_LIMIT_NOTE],
        )

    def _table_5(self) -> Table:
        plan = self.backfill.plan
        labels = tuple(f"{t.elevation_m:+g}" for t in self.void.tiers)
        placed = plan.placed_volume
        assert placed is not None
        dump_k, placed_k = (plan.dump_volume / K).tolist(), (placed / K).tolist()
        by_year_dump = (plan.dump_volume_by_year / K).tolist()
        by_year_placed = (placed.sum(axis=0) / K).tolist()
        cumulative = (np.cumsum(plan.dump_volume_by_year) / K).tolist()
        capacity_k = float(self.capacity.sum()) / K
        rows: list[dict[str, Any]] = []
        for j, year in enumerate(self.plan_years):
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
        en, ru = self._void_name()
        return Table(
            "calendar_plan",
            text(f"Calendar plan of the backfill of the {en}", f"Календарный план засыпки {ru}"),
            "003 Table 5",
            _table_5_columns(labels),
            rows,
            [TABLE_5_NOTE],
        )

    def _table_timeline(self) -> Table:
        end = self.limit.end_year
        rows = [
            {
                "activity": activity,
                "name": ACTIVITIES[activity],
                "first_year": first,
                "last_year": last,
                "within_limit": None if end is None else last <= end,
            }
            for activity, (first, last) in self.activity_years.items()
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
def _table_5_columns(labels: tuple[str, ...]) -> list[Column]:
    cols = [_col("year", "Year", "Годы работы")]
    for lab in labels:
        cols += [
            _col(f"tier{lab}_placed_volume_thousand_m3", f"Tier {lab} m: waste placed",
                 f"Ярус {lab} м: объем размещаемых отходов", TM3),
            _col(f"tier{lab}_dump_volume_thousand_m3", f"Tier {lab} m: waste in the dump",
                 f"Ярус {lab} м: объем отходов в отвале", TM3),
        ]  # fmt: skip
    cols += [
        _col("placed_volume_thousand_m3", "Total: waste placed", "Всего: объем размещаемых "
             "отходов", TM3),
        _col("dump_volume_thousand_m3", "Total: waste in the dump", "Всего: объем отходов в "
             "отвале", TM3),
        _col("cumulative_dump_volume_thousand_m3", "In the dump since the start",
             "В отвале нарастающим итогом", TM3),
        _col("unfilled_capacity_thousand_m3", "Capacity still unfilled",
             "Незаполненная емкость", TM3),
    ]  # fmt: skip
    return cols


TABLE_4_COLUMNS = [
    _col("stream", "Waste", "Вид отходов"),
    _col("mass_thousand_t", "Mass", "Объем, тыс. т", "thousand t/year"),
    _col("bulk_density_t_m3", "Bulk density", "Объемный вес", "t/m³"),
    _col("volume_thousand_m3", "Volume", "Объем, тыс. м³", f"{TM3}/year"),
    _col("residual_loosening_factor", "Residual loosening factor",
         "Коэффициент остаточного разрыхления"),
    _col("compaction_factor", "Compaction factor", "Коэффициент уплотнения"),
    _col("dump_volume_thousand_m3", "Volume in the dump", "Объем в отвале", f"{TM3}/year"),
    _col("hazard_class", "Hazard class", "Класс опасности"),
    _col("by_project_fleet", "Handled by the project's fleet", "Учитывается в парке техники"),
    _col("fleet_exclusion_reason", "Why not", "Причина"),
]  # fmt: skip

TIMELINE_COLUMNS = [
    _col("activity", "Activity", "Вид работ (ключ)"),
    _col("name", "Works", "Наименование работ"),
    _col("first_year", "First year", "Начало", "year"),
    _col("last_year", "Last year", "Окончание", "year"),
    _col("within_limit", "Within the legal limit", "В пределах нормативного срока"),
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
