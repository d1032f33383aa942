"""The work items, materials and activity years of the backfill design (document 003).

A step of the backfill design (:mod:`postmine.project.backfill`) after the backfill, the
fleet and the works that follow it: the machine hours and volumes of every activity, year
and machine model (``haul-waste`` and ``doze-waste`` over the calendar plan, the
``surface-planning`` and the ``reclamation-layer`` over the years they are spread on), the
materials (mobilisation, the layer material) and the first and last year of every activity.

Units: SI (m³, h); machine hours are machine-shifts times the shift duration.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from postmine.project.backfill.base import (
    DOZE_WASTE,
    HAUL_WASTE,
    LAYER_MATERIAL,
    MOBILISATION,
    RECLAMATION_LAYER,
    SURFACE_PLANNING,
    DesignInputs,
)
from postmine.project.backfill.calendar_plan import BackfillResult, activity_span
from postmine.project.backfill.fleet import FleetResult, Fleets
from postmine.project.backfill.surface import FinishingResult
from postmine.project.model import MaterialItem, WorkItem

__all__ = ["WorkPlan", "schedule_work"]


@dataclass
class WorkPlan:
    """Work items, materials and activity years of one design, in the order they are built.

    Attributes
    ----------
    work : list of WorkItem
        Machine hours [h] and volumes [m³] per activity, year and machine model.
    materials : list of MaterialItem
        Materials per activity and year.
    activity_years : dict
        Activity -> (first year, last year), in the order of the works.
    """

    work: list[WorkItem] = field(default_factory=list)
    materials: list[MaterialItem] = field(default_factory=list)
    activity_years: dict[str, tuple[int, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class _YearlyWaste:
    """Machine-shifts and volumes a full year of the waste works takes, per machine."""

    loader_shifts: float
    loader_volume_m3: float
    truck_shifts: dict[str, float]
    truck_volume_m3: dict[str, float]
    dozer_shifts: float
    dozer_volume_m3: float


def _yearly_waste(inputs: DesignInputs, fleet: FleetResult, fleets: Fleets) -> _YearlyWaste:
    """Return a full year's machine-shifts (working fleet x days x shifts) and volumes."""
    N, n = inputs.working_days, inputs.shifts_per_day
    truck_shifts: dict[str, float] = {}
    truck_volume: dict[str, float] = {}
    tf = fleets.trucks
    for m, N_а, V_г in zip(
        fleet.pair_truck, tf.working_fleet.tolist(), tf.annual_volume_m3.tolist(), strict=True
    ):
        truck_shifts[m] = truck_shifts.get(m, 0.0) + N_а * N * n
        truck_volume[m] = truck_volume.get(m, 0.0) + V_г
    return _YearlyWaste(
        fleets.loader.total * inputs.loader_working_days * n,
        float(fleet.fleet_volume_m3.sum()),
        truck_shifts,
        truck_volume,
        fleets.dozer.working_fleet * N * n,
        fleets.dozer.dozing_volume_m3,
    )


def _waste_work(
    inputs: DesignInputs, backfill: BackfillResult, fleet: FleetResult, plan: WorkPlan
) -> None:
    """Add the haulage and dozing of the waste over the years of the calendar plan."""
    first, last = backfill.plan_years[0], backfill.plan_years[-1]
    plan.activity_years[HAUL_WASTE] = (first, last)
    plan.activity_years[DOZE_WASTE] = (first, last)
    if fleet.fleets is None:
        return
    T = inputs.shift_duration_h
    y = _yearly_waste(inputs, fleet, fleet.fleets)
    loader, dozer = fleet.stage.loader.name, fleet.dozer.name
    for year, f in zip(backfill.plan_years, backfill.year_share, strict=True):
        plan.work.append(
            WorkItem(HAUL_WASTE, year, loader, f * y.loader_shifts * T, f * y.loader_volume_m3)
        )
        for m in inputs.project.equipment.trucks.models:
            plan.work.append(
                WorkItem(HAUL_WASTE, year, m, f * y.truck_shifts[m] * T, f * y.truck_volume_m3[m])
            )
        plan.work.append(
            WorkItem(DOZE_WASTE, year, dozer, f * y.dozer_shifts * T, f * y.dozer_volume_m3)
        )


def _planning_work(
    inputs: DesignInputs, fleet: FleetResult, finishing: FinishingResult, plan: WorkPlan
) -> None:
    """Add the bulldozer's finishing planning over its years (003 sec. 3.2)."""
    T = inputs.shift_duration_h
    V_pl = finishing.surface.planning_volume_m3 or 0.0
    for year, f in finishing.planning_years:
        plan.work.append(
            WorkItem(
                SURFACE_PLANNING,
                year,
                fleet.dozer.name,
                f * finishing.planning_shifts * T,
                f * V_pl,
            )
        )
    if finishing.planning_years:
        plan.activity_years[SURFACE_PLANNING] = activity_span(finishing.planning_years)


def _layer_work(
    inputs: DesignInputs, fleet: FleetResult, finishing: FinishingResult, plan: WorkPlan
) -> None:
    """Add the trucks, loader and bulldozer placing the reclamation layer (003 sec. 3.3)."""
    T = inputs.shift_duration_h
    models = inputs.project.equipment.trucks.models
    loader, dozer = fleet.stage.loader.name, fleet.dozer.name
    model_volume = finishing.layer_model_volume_m3.tolist()
    for year, f in finishing.layer_years:
        for m, v in zip(models, model_volume, strict=True):
            plan.work.append(
                WorkItem(RECLAMATION_LAYER, year, m, f * finishing.layer_truck_shifts[m] * T, f * v)
            )
        v = f * finishing.layer_volume_m3
        plan.work.append(
            WorkItem(RECLAMATION_LAYER, year, loader, f * finishing.layer_loader_shifts * T, v)
        )
        plan.work.append(
            WorkItem(RECLAMATION_LAYER, year, dozer, f * finishing.layer_dozer_shifts * T, v)
        )
        plan.materials.append(MaterialItem(RECLAMATION_LAYER, year, LAYER_MATERIAL, v, "m³"))
    if finishing.layer_years:
        plan.activity_years[RECLAMATION_LAYER] = activity_span(finishing.layer_years)


def schedule_work(
    inputs: DesignInputs,
    backfill: BackfillResult,
    fleet: FleetResult,
    finishing: FinishingResult,
) -> WorkPlan:
    """Return the work items, materials and activity years of the whole design.

    Mobilisation is one lump sum in the first year; the waste works run over the calendar
    plan (a year the void fills in is a part year); the planning and the layer over the
    years :func:`~postmine.project.backfill.surface.compute_finishing` spread them on.
    """
    start = inputs.project.schedule.start_year
    plan = WorkPlan()
    plan.activity_years[MOBILISATION] = (start, start)
    plan.materials.append(MaterialItem(MOBILISATION, start, "mobilisation", 1.0, "lump"))
    _waste_work(inputs, backfill, fleet, plan)
    _planning_work(inputs, fleet, finishing, plan)
    _layer_work(inputs, fleet, finishing, plan)
    return plan
