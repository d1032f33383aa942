"""The entry point of the backfill design (document 003) and the steps of one run.

Part of the backfill design (:mod:`postmine.project.backfill`, whose docstring states the
schedule): :func:`design_backfill` runs :class:`_Design`, which computes the backfill (003
Table 4, sec. 3.1, Table 5), the fleet (Tables 8-15), the schedule of the surface planning
and the reclamation layer (sec. 3.2-3.3), the work items, materials and activity years, the
tables of the parts (:mod:`~postmine.project.backfill.calendar_plan`,
:mod:`~postmine.project.backfill.surface`, :mod:`~postmine.project.backfill.fleet`) and the
findings (rules exceeded, capacity, the layer, the start deadline).
"""

from __future__ import annotations

import numpy as np

from postmine.calc import backfill_schedule as backfill_calc
from postmine.calc import dozer_fleet as dozer_calc
from postmine.calc import loader_fleet as loader_calc
from postmine.calc import truck_fleet as truck_calc
from postmine.methods.backfill import filling_time
from postmine.methods.haulage import required_fleet, split_volume
from postmine.project.backfill.base import (
    _EPS,
    ACTIVITIES,
    DOZE_WASTE,
    HAUL_WASTE,
    LAYER_MATERIAL,
    MOBILISATION,
    RECLAMATION_LAYER,
    SURFACE_PLANNING,
    TM3,
    K,
    _en,
    _floats,
    _ru,
)
from postmine.project.backfill.calendar_plan import (
    _CalendarTables,
    _capacities,
    _spread,
    _stream_key,
    _time_limit,
    _waste_volumes,
    _years,
)
from postmine.project.backfill.fleet import _dozer_stage, _FleetTables, _loader_stage
from postmine.project.backfill.surface import (
    SETTLEMENT_YEARS,
    _slide_prism,
    _surface,
    _SurfaceTables,
)
from postmine.project.model import DesignPart, Finding, MaterialItem, Table, WorkItem, text
from postmine.project.rules import RuleSet
from postmine.project.schema import ProjectFile, Void

__all__ = ["design_backfill"]


def design_backfill(project: ProjectFile, rules: RuleSet) -> DesignPart:
    """Design the backfill of the project's void: every table of 003, findings and work.

    Parameters
    ----------
    project : ProjectFile
        A validated project file with a ``[void]``.
    rules : RuleSet
        The rule set the project names (its ``max_technical_years`` limits the calendar
        plan unless the project file overrides it).

    Returns
    -------
    DesignPart
        Tables (keys in :data:`TABLE_KEYS`), findings, work items per activity, year and
        machine model, materials, and the first and last year of every activity.

    Raises
    ------
    ValueError
        If the project has no ``[void]``, or a value is outside the range a method accepts
        (the message names it).
    """
    void = project.void
    if void is None:
        raise ValueError("design_backfill needs a project with a [void]")
    return _Design(project, void, rules).run()


class _Design(_CalendarTables, _SurfaceTables, _FleetTables):
    """One run of the backfill design; attributes hold the intermediate results.

    The attributes are declared in :class:`~postmine.project.backfill.base._DesignState`;
    the tables come from the parts: :mod:`~postmine.project.backfill.calendar_plan`,
    :mod:`~postmine.project.backfill.surface` and :mod:`~postmine.project.backfill.fleet`.
    """

    def __init__(self, project: ProjectFile, void: Void, rules: RuleSet) -> None:
        self.p = project
        self.void = void
        self.rules = rules
        self.limit = _time_limit(project, rules)
        self.regime = project.work_regime
        self.T_см = project.work_regime.shift_duration_h
        self.n = project.work_regime.shifts_per_day
        self.N = project.work_regime.working_days_per_year
        self.N_loader = project.work_regime.loader_working_days_per_year or self.N
        self.tables: list[Table] = []
        self.findings: list[Finding] = []
        self.work: list[WorkItem] = []
        self.materials: list[MaterialItem] = []
        self.activity_years: dict[str, tuple[int, int]] = {}

    # -- orchestration ---------------------------------------------------------------

    def run(self) -> DesignPart:
        self._backfill()
        self._fleet()
        self._surface_and_layer()
        self._work_items()
        self._tables()
        self._findings()
        return DesignPart(
            tables=self.tables,
            findings=self.findings,
            work=self.work,
            materials=self.materials,
            activity_years=self.activity_years,
        )

    def _backfill(self) -> None:
        p, void = self.p, self.void
        self.streams = list(p.waste_streams)
        self.volumes = _waste_volumes(tuple(_stream_key(s) for s in self.streams))
        self.capacity = _capacities(
            void.remaining_capacity_m3, tuple(t.capacity_m3 for t in void.tiers)
        )
        annual_dump = self.volumes.total_dump_volume
        annual_placed = self.volumes.total_volume
        max_years = self.limit.years
        if max_years is None:  # no legal limit: plan until the void is full
            max_years = int(filling_time(float(self.capacity.sum()), annual_dump, whole_years=True))
        self.backfill = backfill_calc.solve(
            self.capacity, annual_dump, max_years, p.schedule.start_year, annual_placed
        )
        plan = self.backfill.plan
        self.plan_years = plan.years.tolist()
        # share of a full year's volume placed in each year of the plan (1, ..., 1, part)
        self.year_share = (plan.dump_volume_by_year / annual_dump).tolist()
        self.backfill_end = p.schedule.start_year + float(sum(self.year_share))

    def _fleet(self) -> None:
        p = self.p
        eq = p.equipment
        self.fleet_streams = [i for i, s in enumerate(self.streams) if s.by_project_fleet]
        models = tuple(eq.trucks.models)
        self.stage = _loader_stage(
            eq.loader.model,
            models,
            tuple(eq.loader.truck_shares[m] for m in models),
            tuple(
                (
                    self.streams[i].name,
                    self.streams[i].loading_bulk_density_t_m3 or self.streams[i].bulk_density_t_m3,
                    self.streams[i].bucket_fill_factor,
                    self.streams[i].excavation_loosening_factor,
                )
                for i in self.fleet_streams
            ),
            eq.loader.truck_spotting_time_s,
            self.T_см,
            eq.loader.utilisation,
            self.N_loader,
            self.n,
        )
        d = eq.bulldozer
        self.dozer, self.dozer_output = _dozer_stage(
            d.model,
            d.push_distance_m,
            d.material_repose_angle_deg,
            d.loosening_factor,
            d.terrain_factor,
            self.T_см,
            d.utilisation,
        )
        # in-situ (delivered) volume of each fleet stream per year, thousand m³
        self.fleet_volume_k = self.volumes.volume[self.fleet_streams] / K
        n_s, n_t = len(self.fleet_streams), len(models)
        h = p.haulage
        layer = p.reclamation_layer
        stage = self.stage
        distances = np.concatenate(
            [
                np.full(n_s * n_t, h.haul_distance_km),
                np.full(n_t, layer.haul_distance_km if layer else h.haul_distance_km),
            ]
        )
        trucks_out = truck_calc.solve_output(
            stage.loader.cycle_time_s,
            np.concatenate([stage.loads.loader_cycles, stage.layer_loads.loader_cycles]),
            np.concatenate([stage.loads.volume_per_truck, stage.layer_loads.volume_per_truck]),
            distances,
            h.average_speed_km_h,
            h.load_spotting_time_min,
            h.unload_spotting_time_min,
            h.unloading_time_min,
            h.loader_wait_time_min,
            self.T_см,
            h.preparation_time_min,
            h.break_time_min,
            h.personal_time_min,
        )
        waste = slice(0, n_s * n_t)
        self.truck_out = truck_calc.TruckOutput(
            trucks_out.travel_time[waste],
            trucks_out.loading_time[waste],
            trucks_out.trip_time[waste],
            trucks_out.shift_output[waste],
        )
        layer_rows = slice(n_s * n_t, None)
        self.layer_truck_out = truck_calc.TruckOutput(
            trucks_out.travel_time[layer_rows],
            trucks_out.loading_time[layer_rows],
            trucks_out.trip_time[layer_rows],
            trucks_out.shift_output[layer_rows],
        )
        self.pair_stream = np.repeat(np.arange(n_s), n_t).tolist()
        self.pair_truck = list(models) * n_s
        if n_s:
            self.truck_fleet: truck_calc.TruckFleet | None = truck_calc.solve_fleet(
                self.pair_truck,
                self.pair_stream,
                self.fleet_volume_k,
                self.truck_out.shift_output,  # 003 Table 12: split by the shift outputs
                self.truck_out.shift_output,
                self.N,
                self.n,
                eq.trucks.technical_availability,
                eq.fleet_rel_tol,
            )
            self.loader_fleet: loader_calc.LoaderFleet | None = loader_calc.solve_fleet(
                self.fleet_volume_k, stage.output.annual_output, eq.fleet_rel_tol
            )
            self.dozer_fleet: dozer_calc.DozerFleet | None = dozer_calc.solve_fleet(
                float(self.fleet_volume_k.sum()),
                d.dozed_fraction,
                self.dozer_output.shift_output,
                self.N,
                self.n,
                d.reserve_factor,
                eq.fleet_rel_tol,
            )
        else:
            self.truck_fleet = self.loader_fleet = self.dozer_fleet = None

    # -- machines available to the works after the backfill --------------------------

    def _whole(self) -> tuple[int, dict[str, int], int]:
        models = self.p.equipment.trucks.models
        loader = self.loader_fleet.whole if self.loader_fleet else 0
        trucks = self.truck_fleet.model_whole if self.truck_fleet else {}
        dozer = self.dozer_fleet.whole if self.dozer_fleet else 0
        return (
            max(loader, 1),
            {m: max(trucks.get(m, 0), 1) for m in models},
            max(dozer, 1),
        )

    def _surface_and_layer(self) -> None:
        p = self.p
        planning, layer = p.planning, p.reclamation_layer
        self.surface = _surface(
            None if planning is None else (planning.area_m2, planning.specific_volume_m3_m2),
            None if layer is None else (layer.area_m2, layer.thickness_m, layer.imported_volume_m3),
        )
        self.prism = _slide_prism(
            self.void.repose_angle_deg, self.void.stability_angle_deg, self.void.max_tier_height_m
        )
        whole_loader, whole_trucks, whole_dozer = self._whole()
        eq = p.equipment
        k_тг = eq.trucks.technical_availability
        K_р = eq.bulldozer.reserve_factor
        П_см = self.dozer_output.shift_output
        # shifts a year the fleet offers after the backfill: working machines x days x shifts
        self.dozer_shifts_per_year = whole_dozer / K_р * self.N * self.n
        models = list(eq.trucks.models)
        V_pl = self.surface.planning_volume or 0.0
        self.layer_volume = 0.0
        if layer is not None:
            self.layer_volume = (
                layer.imported_volume_m3
                if layer.imported_volume_m3 is not None
                else self.surface.layer_volume or 0.0
            )
        Н_в = self.layer_truck_out.shift_output
        self.layer_model_volume = (
            _floats(split_volume(self.layer_volume, Н_в)) if self.layer_volume else Н_в * 0.0
        )
        Q_эсв = float(self.stage.layer_output.weighted_output[0])
        # machine-shifts = volume / shift output, for all machines in one call:
        # [planning dozer, layer trucks by model..., layer loader, layer dozer]
        shifts = _floats(
            required_fleet(
                np.concatenate([[V_pl], self.layer_model_volume, [self.layer_volume] * 2]),
                np.concatenate([[П_см], Н_в, [Q_эсв, П_см]]),
            )
        ).tolist()
        self.planning_shifts = shifts[0]
        self.layer_truck_shifts = dict(zip(models, shifts[1 : 1 + len(models)], strict=True))
        self.layer_loader_shifts, self.layer_dozer_shifts = shifts[-2], shifts[-1]
        self.truck_shifts_per_year = {m: whole_trucks[m] * k_тг * self.N * self.n for m in models}
        self.loader_shifts_per_year = whole_loader * self.N_loader * self.n
        start = self.backfill_end + SETTLEMENT_YEARS
        self.planning_spread: list[tuple[int, float]] = []
        if planning is not None:
            duration = self.planning_shifts / self.dozer_shifts_per_year
            self.planning_spread = _spread(start, duration)
            start += duration
        self.layer_spread: list[tuple[int, float]] = []
        self.layer_duration = 0.0
        if layer is not None:
            self.layer_duration = max(
                *(self.layer_truck_shifts[m] / self.truck_shifts_per_year[m] for m in models),
                self.layer_loader_shifts / self.loader_shifts_per_year,
                self.layer_dozer_shifts / self.dozer_shifts_per_year,
            )
            self.layer_spread = _spread(start, self.layer_duration)

    # -- work items, materials, activity years ----------------------------------------

    def _work_items(self) -> None:
        p, T = self.p, self.T_см
        start = p.schedule.start_year
        work = self.work
        self.activity_years[MOBILISATION] = (start, start)
        self.materials.append(MaterialItem(MOBILISATION, start, "mobilisation", 1.0, "lump"))
        first, last = self.plan_years[0], self.plan_years[-1]
        self.activity_years[HAUL_WASTE] = (first, last)
        self.activity_years[DOZE_WASTE] = (first, last)
        eq = p.equipment
        if self.loader_fleet and self.truck_fleet and self.dozer_fleet:
            loader = self.stage.loader.name
            # machine-shifts a year = required (working) fleet x working days x shifts
            loader_shifts = self.loader_fleet.total * self.N_loader * self.n
            loader_volume = float(self.fleet_volume_k.sum()) * K
            model_shifts: dict[str, float] = {}
            model_volume: dict[str, float] = {}
            tf = self.truck_fleet
            for m, N_а, V_г in zip(
                self.pair_truck, tf.working_fleet.tolist(), tf.annual_volume.tolist(), strict=True
            ):
                model_shifts[m] = model_shifts.get(m, 0.0) + N_а * self.N * self.n
                model_volume[m] = model_volume.get(m, 0.0) + V_г * K
            dozer_shifts = self.dozer_fleet.working_fleet * self.N * self.n
            dozer_volume = self.dozer_fleet.dozing_volume * K
            dozer = self.dozer.name
            for year, f in zip(self.plan_years, self.year_share, strict=True):
                work.append(WorkItem(HAUL_WASTE, year, loader, f * loader_shifts * T,
                                     f * loader_volume))  # fmt: skip
                for m in eq.trucks.models:
                    work.append(
                        WorkItem(HAUL_WASTE, year, m, f * model_shifts[m] * T, f * model_volume[m])
                    )
                work.append(WorkItem(DOZE_WASTE, year, dozer, f * dozer_shifts * T,
                                     f * dozer_volume))  # fmt: skip
        dozer = self.dozer.name
        V_pl = self.surface.planning_volume or 0.0
        for year, f in self.planning_spread:
            work.append(WorkItem(SURFACE_PLANNING, year, dozer, f * self.planning_shifts * T,
                                 f * V_pl))  # fmt: skip
        if self.planning_spread:
            self.activity_years[SURFACE_PLANNING] = _years(self.planning_spread)
        loader = self.stage.loader.name
        for year, f in self.layer_spread:
            for m, v in zip(eq.trucks.models, self.layer_model_volume.tolist(), strict=True):
                work.append(WorkItem(RECLAMATION_LAYER, year, m,
                                     f * self.layer_truck_shifts[m] * T, f * v))  # fmt: skip
            v = f * self.layer_volume
            work.append(WorkItem(RECLAMATION_LAYER, year, loader,
                                 f * self.layer_loader_shifts * T, v))  # fmt: skip
            work.append(WorkItem(RECLAMATION_LAYER, year, dozer,
                                 f * self.layer_dozer_shifts * T, v))  # fmt: skip
            self.materials.append(
                MaterialItem(RECLAMATION_LAYER, year, LAYER_MATERIAL, f * self.layer_volume, "m³")
            )
        if self.layer_spread:
            self.activity_years[RECLAMATION_LAYER] = _years(self.layer_spread)

    # -- tables ----------------------------------------------------------------------

    def _tables(self) -> None:
        self.tables += [
            self._table_4(),
            self._table_filling(),
            self._table_5(),
            self._table_planning(),
            self._table_layer(),
            self._table_6(),
            self._table_8(),
            self._table_9(),
            self._table_prism(),
            self._table_11(),
            self._table_12(),
            self._table_14(),
            self._table_15(),
            self._table_timeline(),
        ]

    # -- findings --------------------------------------------------------------------

    def _findings(self) -> None:
        out = self.findings
        lim = self.limit
        plan = self.backfill.plan
        en, ru = self._void_name()
        capacity_k = float(self.capacity.sum()) / K
        annual_k = self.volumes.total_dump_volume / K
        t_z = self.backfill.filling_time
        if lim.years is None:
            out.append(
                Finding(
                    "time-limit-not-stated",
                    "info",
                    text(
                        f"The rule set {self.rules.id} states no limit on the duration of "
                        "technical reclamation: the calendar plan runs until the void is full.",
                        f"Набор правил {self.rules.id} не устанавливает предельный срок "
                        "технической рекультивации: календарный план составлен до полной "
                        "засыпки.",
                    ),
                    None,
                    None,
                    "years",
                    lim.source,
                )
            )
        elif t_z > lim.years * (1 + _EPS):
            out.append(
                Finding(
                    "time-limit-exceeded",
                    "violation",
                    text(
                        f"Filling the {en} takes {_en(t_z)} years at {_en(annual_k)} thousand "
                        f"m³ a year, more than the {lim.years}-year limit on technical "
                        f"reclamation: the calendar plan stops after {lim.years} years.",
                        f"Срок засыпки {ru} при ежегодном заполнении {_ru(annual_k)} тыс. м³ "
                        f"составит {_ru(t_z)} года, что превышает предельный срок технической "
                        f"рекультивации {lim.years} лет: календарный план ограничен "
                        f"{lim.years} годами.",
                    ),
                    t_z,
                    float(lim.years),
                    "years",
                    lim.source,
                )
            )
        if not plan.filled:
            unfilled = plan.unfilled_capacity / K
            out.append(
                Finding(
                    "capacity-not-filled",
                    "warning",
                    text(
                        f"{_en(unfilled)} of the {_en(capacity_k)} thousand m³ of the {en} "
                        f"remain unfilled when the calendar plan ends in {self.plan_years[-1]}.",
                        f"На конец календарного плана ({self.plan_years[-1]} г.) остается "
                        f"незаполненной {_ru(unfilled)} тыс. м³ из {_ru(capacity_k)} тыс. м³ "
                        f"емкости {ru}.",
                    ),
                    unfilled,
                    capacity_k,
                    TM3,
                    "003 sec. 3.1",
                )
            )
        if lim.years is not None and annual_k * lim.years > capacity_k * (1 + _EPS):
            arising = annual_k * lim.years
            out.append(
                Finding(
                    "capacity-exceeded",
                    "warning",
                    text(
                        f"Within the {lim.years}-year limit the waste streams bring "
                        f"{_en(arising)} thousand m³ (in the dump) but the {en} holds "
                        f"{_en(capacity_k)}: it is full in {self.plan_years[-1]} and "
                        f"{_en(arising - capacity_k)} thousand m³ need another place.",
                        f"За предельный срок {lim.years} лет поступит {_ru(arising)} тыс. м³ "
                        f"отходов (в отвале), а емкость {ru} {_ru(capacity_k)} тыс. м³: она "
                        f"заполнится в {self.plan_years[-1]} г., для "
                        f"{_ru(arising - capacity_k)} тыс. м³ нужно другое место размещения.",
                    ),
                    arising,
                    capacity_k,
                    TM3,
                    "003 sec. 3.1",
                )
            )
        self._fleet_findings()
        if lim.end_year is not None:
            for activity, (_first, last) in self.activity_years.items():
                if last > lim.end_year:
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
        layer = self.p.reclamation_layer
        h = self.surface.imported_layer_thickness
        if layer is not None and h is not None and h < layer.thickness_m * (1 - _EPS):
            out.append(
                Finding(
                    "layer-too-thin",
                    "warning",
                    text(
                        f"The {_en(self.layer_volume / K)} thousand m³ brought in make a layer "
                        f"{h:.3f} m thick, less than the {layer.thickness_m:g} m required.",
                        f"Привозная ППП {_ru(self.layer_volume / K)} тыс. м³ дает слой "
                        f"{_ru(h, 3)} м, меньше требуемых {_ru(layer.thickness_m, 2)} м.",
                    ),
                    h,
                    layer.thickness_m,
                    "m",
                    "003 sec. 3.3",
                )
            )
        for key in ("start_deadline_months", "start_deadline_months_far_north"):
            limit = self.rules.limit(key)
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
                        f"Under {self.rules.id} the works must start within "
                        f"{limit.value:g} months{where_en}.",
                        f"По {self.rules.id} работы должны быть начаты в течение "
                        f"{limit.value:g} месяцев{where_ru}.",
                    ),
                    limit.value,
                    None,
                    "months",
                    f"{self.rules.id}: {limit.citation}",
                )
            )
