"""The surface planning, the reclamation layer and the slide prism (document 003).

A step of the backfill design (:mod:`postmine.project.backfill`) after the backfill and the
fleet: the finishing planning of the dump surface (003 sec. 3.2), which starts
:data:`SETTLEMENT_YEARS` after the backfill ends, the reclamation layer placed after the
planning (sec. 3.3) by the project's machines, and the width of the slide prism of a tier
(sec. 4.2), computed into a :class:`FinishingResult`; and their tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt

from postmine.chains.backfill import SurfaceWorks, surface_works
from postmine.chains.machines import SECONDS_PER_MINUTE
from postmine.methods.backfill import MIN_LAYER_THICKNESS, SPECIFIC_PLANNING_VOLUME
from postmine.methods.haulage import required_fleet, split_volume
from postmine.methods.slopes import slide_prism_width
from postmine.project.backfill.base import (
    PARAMETER_COLUMNS,
    RECLAMATION_LAYER,
    SURFACE_PLANNING,
    DesignInputs,
    K,
    activity_text,
    floats,
    quantity_param,
)
from postmine.project.backfill.calendar_plan import BackfillResult, spread
from postmine.project.backfill.fleet import FleetResult
from postmine.project.model import Table, text

__all__ = [
    "LAYER_NOTE",
    "PLANNING_NOTE",
    "PRISM_NOTE",
    "SETTLEMENT_YEARS",
    "FinishingResult",
    "compute_finishing",
    "table_layer",
    "table_planning",
    "table_prism",
]

#: Settlement of the dump between the end of the backfill and the finishing planning,
#: [years]: the lower bound of "1-1.5 years" in 003 sec. 3.2.
SETTLEMENT_YEARS = 1.0


# ---- cached stages: they depend only on inputs a Monte Carlo rarely varies --------------


@lru_cache(maxsize=16)
def _slide_prism(repose: float, stability: float, height: float) -> float:
    return float(slide_prism_width(repose, stability, height))


@lru_cache(maxsize=16)
def _surface(
    planning: tuple[float, float] | None, layer: tuple[float, float, float | None] | None
) -> SurfaceWorks:
    return surface_works(
        None if planning is None else planning[0],
        SPECIFIC_PLANNING_VOLUME if planning is None else planning[1],
        None if layer is None else layer[0],
        MIN_LAYER_THICKNESS if layer is None else layer[1],
        None if layer is None else layer[2],
    )


# ---- the step ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FinishingResult:
    """The works after the backfill: planning, reclamation layer, slide prism (sec. 3.2-4.2).

    Attributes
    ----------
    surface : SurfaceWorks
        V_пл, V_рс [m³] and h_ППП [m].
    slide_prism_width_m : float
        П, width of the slide prism of a tier. [m]
    layer_volume_m3 : float
        Volume hauled and spread for the layer (the imported volume, else V_рс). [m³]
    layer_model_volume_m3 : ndarray
        Share of it each truck model hauls. [m³]
    planning_shifts : float
        Bulldozer shifts of the planning. [shift]
    layer_truck_shifts : dict
        Truck shifts of the layer per model. [shift]
    layer_loader_shifts, layer_dozer_shifts : float
        Loader and bulldozer shifts of the layer. [shift]
    planning_years, layer_years : list of (year, share)
        Calendar years of the planning and of the layer and the share of each in them.
    layer_duration_years : float
        Duration of the layer with the project's fleet. [years]
    """

    surface: SurfaceWorks
    slide_prism_width_m: float
    layer_volume_m3: float
    layer_model_volume_m3: npt.NDArray[np.float64]
    planning_shifts: float
    layer_truck_shifts: dict[str, float]
    layer_loader_shifts: float
    layer_dozer_shifts: float
    planning_years: list[tuple[int, float]]
    layer_years: list[tuple[int, float]]
    layer_duration_years: float


@dataclass(frozen=True)
class _ShiftsPerYear:
    """Machine-shifts a year the fleet offers after the backfill (working machines x N x n)."""

    loader: float
    trucks: dict[str, float]
    dozer: float


def _shifts_per_year(inputs: DesignInputs, fleet: FleetResult) -> _ShiftsPerYear:
    """Return the machine-shifts a year of the whole fleet, at least one machine of each."""
    eq = inputs.project.equipment
    fleets = fleet.fleets
    loader = fleets.loader.whole if fleets else 0
    trucks = fleets.trucks.model_whole if fleets else {}
    dozer = fleets.dozer.whole if fleets else 0
    N, n = inputs.working_days, inputs.shifts_per_day
    k_тг = eq.trucks.technical_availability
    return _ShiftsPerYear(
        max(loader, 1) * inputs.loader_working_days * n,
        {m: max(trucks.get(m, 0), 1) * k_тг * N * n for m in eq.trucks.models},
        max(dozer, 1) / eq.bulldozer.reserve_factor * N * n,
    )


def _layer_volume(inputs: DesignInputs, surface: SurfaceWorks) -> float:
    """Return the volume hauled and spread for the layer: the imported volume, else V_рс."""
    layer = inputs.project.reclamation_layer
    if layer is None:
        return 0.0
    if layer.imported_volume_m3 is not None:
        return layer.imported_volume_m3
    return surface.layer_volume_m3 or 0.0


def compute_finishing(
    inputs: DesignInputs, backfill: BackfillResult, fleet: FleetResult
) -> FinishingResult:
    """Compute the planning, the layer and the slide prism, and when the fleet does them.

    Machine-shifts are volume / shift output for every machine (003 Tables 9, 12, 15 per
    shift); a work lasts as long as its slowest machine needs at the fleet's whole numbers.

    Raises
    ------
    ValueError
        If a value is out of range as in :mod:`postmine.methods`.
    """
    p, void = inputs.project, inputs.void
    planning, layer = p.planning, p.reclamation_layer
    surface = _surface(
        None if planning is None else (planning.area_m2, planning.specific_volume_m3_m2),
        None if layer is None else (layer.area_m2, layer.thickness_m, layer.imported_volume_m3),
    )
    prism = _slide_prism(void.repose_angle_deg, void.stability_angle_deg, void.max_tier_height_m)
    models = list(p.equipment.trucks.models)
    layer_volume = _layer_volume(inputs, surface)
    haul = fleet.layer_haul
    Н_в = haul.trucks.shift_output_m3
    # 003 Table 12 splits a volume between the truck models in proportion to Н_в
    model_volume = floats(split_volume(layer_volume, Н_в)) if layer_volume else Н_в * 0.0
    layer_loader_shifts, truck_shifts = haul.machine_shifts(layer_volume, model_volume)
    П_см = fleet.dozer_output.shift_output_m3
    # bulldozer machine-shifts = volume / П_см (003 Table 15 per shift): [planning, layer]
    planning_shifts, layer_dozer_shifts = floats(
        required_fleet(np.array([surface.planning_volume_m3 or 0.0, layer_volume]), П_см)
    ).tolist()
    per_year = _shifts_per_year(inputs, fleet)
    start = backfill.end + SETTLEMENT_YEARS
    planning_years: list[tuple[int, float]] = []
    if planning is not None:
        duration = planning_shifts / per_year.dozer
        planning_years = spread(start, duration)
        start += duration
    layer_years: list[tuple[int, float]] = []
    layer_duration = 0.0
    if layer is not None:
        layer_duration = max(
            *(truck_shifts[m] / per_year.trucks[m] for m in models),
            layer_loader_shifts / per_year.loader,
            layer_dozer_shifts / per_year.dozer,
        )
        layer_years = spread(start, layer_duration)
    return FinishingResult(
        surface,
        prism,
        layer_volume,
        model_volume,
        planning_shifts,
        truck_shifts,
        layer_loader_shifts,
        layer_dozer_shifts,
        planning_years,
        layer_years,
        layer_duration,
    )


# ---- tables -----------------------------------------------------------------------------


def table_planning(
    inputs: DesignInputs,
    fleet: FleetResult,
    finishing: FinishingResult,
    activity_years: dict[str, tuple[int, int]],
) -> Table:
    """Return the finishing planning of the dump surface (003 sec. 3.2)."""
    planning = inputs.project.planning
    rows: list[dict[str, Any]] = []
    if planning is not None:
        first, last = activity_years[SURFACE_PLANNING]
        rows = [
            quantity_param("planning_area_thousand_m2", planning.area_m2 / K),
            quantity_param("specific_volume_m3_m2", planning.specific_volume_m3_m2),
            quantity_param("planning_volume_thousand_m3",
                           (finishing.surface.planning_volume_m3 or 0.0) / K),
            quantity_param("dozer_shift_output_m3_shift", fleet.dozer_output.shift_output_m3,
                           quantity="planning_dozer_shift_output_m3_shift",
                           machine=fleet.dozer.name),
            quantity_param("dozer_shifts", finishing.planning_shifts),
            quantity_param("settlement_years", SETTLEMENT_YEARS),
            quantity_param("first_year", first),
            quantity_param("last_year", last),
        ]  # fmt: skip
    return Table(
        "surface_planning",
        activity_text(SURFACE_PLANNING),
        "003 sec. 3.2",
        PARAMETER_COLUMNS,
        rows,
        [PLANNING_NOTE],
    )


def _layer_rows(inputs: DesignInputs, finishing: FinishingResult) -> list[dict[str, Any]]:
    """Return the layer's area, thickness and volumes (003 sec. 3.3)."""
    layer = inputs.project.reclamation_layer
    assert layer is not None
    s = finishing.surface
    imported = layer.imported_volume_m3
    return [
        quantity_param("layer_area_thousand_m2", layer.area_m2 / K),
        quantity_param("layer_thickness_m", layer.thickness_m),
        quantity_param("layer_volume_thousand_m3", (s.layer_volume_m3 or 0.0) / K),
        quantity_param("imported_volume_thousand_m3", None if imported is None else imported / K),
        quantity_param("imported_thickness_m", s.imported_layer_thickness_m),
        quantity_param("hauled_volume_thousand_m3", finishing.layer_volume_m3 / K),
        quantity_param("haul_distance_km", layer.haul_distance_km),
    ]  # fmt: skip


def _layer_truck_rows(
    inputs: DesignInputs, fleet: FleetResult, finishing: FinishingResult
) -> list[dict[str, Any]]:
    """Return the loads, trips, volumes and shifts of each truck model on the layer."""
    out, loads = fleet.layer_truck_output, fleet.stage.layer_loads
    rows: list[dict[str, Any]] = []
    for j, m in enumerate(inputs.project.equipment.trucks.models):
        rows += [
            quantity_param("loader_cycles", int(loads.loader_cycles[j]),
                           quantity="layer_loader_cycles", item=m, truck=m),
            quantity_param("volume_per_truck_m3", float(loads.volume_per_truck_m3[j]),
                           quantity="layer_volume_per_truck_m3", item=m, truck=m),
            quantity_param("trip_time_min", float(out.trip_time_s[j]) / SECONDS_PER_MINUTE,
                           quantity="layer_trip_time_min", item=m, truck=m),
            quantity_param("shift_output_m3_shift", float(out.shift_output_m3[j]),
                           quantity="layer_truck_shift_output_m3_shift", item=m, truck=m),
            quantity_param("hauled_volume_thousand_m3",
                           float(finishing.layer_model_volume_m3[j]) / K,
                           quantity="layer_hauled_volume_thousand_m3", item=m, truck=m),
            quantity_param("truck_shifts", finishing.layer_truck_shifts[m], item=m, truck=m),
        ]  # fmt: skip
    return rows


def table_layer(
    inputs: DesignInputs,
    fleet: FleetResult,
    finishing: FinishingResult,
    activity_years: dict[str, tuple[int, int]],
) -> Table:
    """Return the reclamation layer and the machines that place it (003 sec. 3.3)."""
    rows: list[dict[str, Any]] = []
    if inputs.project.reclamation_layer is not None:
        first, last = activity_years[RECLAMATION_LAYER]
        loader = fleet.stage.loader.name
        rows = [
            *_layer_rows(inputs, finishing),
            *_layer_truck_rows(inputs, fleet, finishing),
            quantity_param("loader_weighted_output_m3_shift",
                           float(fleet.stage.layer_output.weighted_output_m3[0]),
                           quantity="layer_loader_weighted_output_m3_shift", machine=loader),
            quantity_param("loader_shifts", finishing.layer_loader_shifts),
            quantity_param("dozer_shifts", finishing.layer_dozer_shifts,
                           quantity="layer_dozer_shifts"),
            quantity_param("duration_years", finishing.layer_duration_years),
            quantity_param("first_year", first),
            quantity_param("last_year", last),
        ]  # fmt: skip
    return Table(
        "reclamation_layer",
        text("Reclamation layer", "Формирование рекультивационного слоя"),
        "003 sec. 3.3",
        PARAMETER_COLUMNS,
        rows,
        [LAYER_NOTE],
    )


def table_prism(inputs: DesignInputs, finishing: FinishingResult) -> Table:
    """Return the width of the slide prism of a tier (003 sec. 4.2)."""
    v = inputs.void
    rows = [
        quantity_param("repose_angle_deg", v.repose_angle_deg),
        quantity_param("stability_angle_deg", v.stability_angle_deg),
        quantity_param("tier_height_m", v.max_tier_height_m),
        quantity_param("slide_prism_width_m", finishing.slide_prism_width_m),
    ]  # fmt: skip
    return Table(
        "slide_prism",
        text("Width of the slide prism", "Ширина призмы обрушения"),
        "003 sec. 4.2",
        PARAMETER_COLUMNS,
        rows,
        [PRISM_NOTE],
    )


# ---- table layouts --------------------------------------------------------------------


PLANNING_NOTE = text(
    "Planning after the backfill and 1 year of settlement (003: 1-1.5 years), by the project's "
    "bulldozers at their shift output; 003 prints the volume as 17 thousand m³.",
    "Планировка после засыпки и усадки 1 год (в 003 — 1-1,5 года) бульдозерами проекта с их "
    "сменной производительностью; в 003 объем — 17 тыс. м³.",
)
LAYER_NOTE = text(
    "After the planning, with the project's fleet: trucks haul the volume brought in "
    "over the layer's haul distance, the loader loads it, the bulldozer spreads it. 003 gives "
    "no density of the rock: a truck carries the whole buckets its heaped body holds (k_н = 1).",
    "После планировки имеющимся парком: автосамосвалы перевозят привозную ППП на заданное "
    "расстояние, погрузчик грузит, бульдозер разравнивает. Плотность ППП в 003 не указана: "
    "загрузка кузова — целым числом ковшей по объему кузова с шапкой (kн = 1).",
)
PRISM_NOTE = text(
    "003 prints (ctg α − ctg β) = 1.3 m, dropping the factor H from the line; the result "
    "includes it.",
    "В 003 записано (ctg α − ctg β) = 1,3 м без множителя H; результат его учитывает.",
)
