"""Design of a void backfilled by tiers (document 003): every table of 003 for one site.

From a validated :class:`~postmine.project.schema.ProjectFile` with a ``[void]`` this module
computes, with the methods of :mod:`postmine.methods` and the structured steps of the
calculations in :mod:`postmine.calc` (the same code ``postmine calc`` runs):

* the annual waste volumes (003 Table 4) and the filling time (sec. 3.1);
* the calendar plan by tier and year within the legal limit of years (Table 5): the
  ``[rules] max_technical_years`` of the project file wins over the rule set's limit;
* the planning volume (sec. 3.2), the reclamation layer (sec. 3.3), the slide prism (4.2);
* the loader (Tables 8, 9), trucks (Tables 11, 12) and bulldozer (Tables 14, 15) of the
  streams handled by the project's fleet, and the fleet summary (Table 6);
* a timeline of the activities, the findings (rules exceeded, capacity, fleet use), the
  machine hours of every activity, year and machine model, and the materials.

Scheduling (003 gives the order, not the dates):

* ``haul-waste`` (loader and trucks) and ``doze-waste`` (bulldozer) run over the years of
  the calendar plan; a year the void fills in is a part year.
* ``surface-planning``: 003 sec. 3.2 plans the surface "after all tiers are formed and have
  settled, i.e. 1-1.5 years after the full backfill". Time runs continuously (calendar
  year Y is the interval [Y, Y + 1)); the planning starts :data:`SETTLEMENT_YEARS` (the
  lower bound, 1 year) after the backfill ends -- the end of the calendar plan, whether the
  void is full or the limit of years stopped it -- and lasts as long as the project's
  bulldozers need for it. For 003 the backfill ends with 2036, so the planning is in 2038.
* ``reclamation-layer``: 003 sec. 3.3 places the layer "after the full backfill and the
  completion of the planning": it starts when the planning ends and lasts as long as the
  slowest of the project's machines needs (trucks hauling the imported volume over
  ``reclamation_layer.haul_distance_km``, the loader loading it, the bulldozer spreading
  it), at the machines' shift outputs and the fleet's whole numbers (trucks x k_тг,
  bulldozers / K_р). A year's share of the work is the share of the activity's time in it.
* ``mobilisation``: one lump sum in the first year.

An activity whose last year is after the legal limit (start year + limit - 1) is reported
as a violation: for 003 the planning and the layer fall after 2036, the end of technical
reclamation that 003 sec. 5 states while sec. 3.2-3.3 put both after the full backfill.

Units: tables keep the source's units in their keys (thousand t, thousand m³); work items
and materials are SI (m³, h).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt

from postmine.calc import backfill_schedule as backfill_calc
from postmine.calc import dozer_fleet as dozer_calc
from postmine.calc import loader_fleet as loader_calc
from postmine.calc import truck_fleet as truck_calc
from postmine.data.equipment import Bulldozer, FrontLoader, Truck, get_equipment
from postmine.methods.backfill import (
    MIN_LAYER_THICKNESS,
    SPECIFIC_PLANNING_VOLUME,
    WasteStreamVolumes,
    filling_time,
    tier_capacities,
    waste_stream_volumes,
)
from postmine.methods.haulage import (
    accepted_bucket_count,
    buckets_by_body_volume,
    in_situ_volume_per_truck,
    required_fleet,
    split_volume,
)
from postmine.methods.slopes import slide_prism_width
from postmine.project.model import (
    Column,
    DesignPart,
    Finding,
    MaterialItem,
    Table,
    Text,
    WorkItem,
    text,
)
from postmine.project.rules import RuleSet
from postmine.project.schema import ProjectFile, Void, WasteStream

__all__ = [
    "ACTIVITIES",
    "DOZE_WASTE",
    "HAUL_WASTE",
    "LAYER_BUCKET_FILL_FACTOR",
    "MOBILISATION",
    "RECLAMATION_LAYER",
    "SETTLEMENT_YEARS",
    "SURFACE_PLANNING",
    "TABLE_KEYS",
    "design_backfill",
]

K = 1e3  # the source's thousand (t, m³, m²)
_EPS = 1e-9

#: Settlement of the dump between the end of the backfill and the finishing planning,
#: [years]: the lower bound of "1-1.5 years" in 003 sec. 3.2.
SETTLEMENT_YEARS = 1.0

#: Bucket fill factor k_н when the loader loads the imported layer material, [-]. 003 gives
#: no density or loading factors for the potentially fertile rock (sec. 3.3): the load of a
#: truck is limited by its heaped body (whole buckets of V_п k_н, counted loose, as the
#: imported volume is), with the fill factor 003 Table 8 uses for rock (1.0).
LAYER_BUCKET_FILL_FACTOR = 1.0

HAUL_WASTE = "haul-waste"
DOZE_WASTE = "doze-waste"
SURFACE_PLANNING = "surface-planning"
RECLAMATION_LAYER = "reclamation-layer"
MOBILISATION = "mobilisation"

#: Activities this design emits, with their names for readers.
ACTIVITIES: dict[str, Text] = {
    MOBILISATION: text("Mobilisation and demobilisation", "Мобилизация и демобилизация техники"),
    HAUL_WASTE: text(
        "Excavation, loading and haulage of waste to the dump",
        "Экскавация, погрузка и транспортировка отходов на отвал",
    ),
    DOZE_WASTE: text("Bulldozer dumping", "Бульдозерное отвалообразование"),
    SURFACE_PLANNING: text(
        "Finishing planning of the dump surface", "Чистовая планировка поверхности отвала"
    ),
    RECLAMATION_LAYER: text(
        "Placing the reclamation layer", "Формирование рекультивационного слоя"
    ),
}

#: Keys of the tables, in the order of 003.
TABLE_KEYS = (
    "waste_volumes",
    "filling_time",
    "calendar_plan",
    "surface_planning",
    "reclamation_layer",
    "fleet",
    "loader_output",
    "loader_fleet",
    "slide_prism",
    "truck_output",
    "truck_fleet",
    "dozer_output",
    "dozer_fleet",
    "timeline",
)

LAYER_MATERIAL = "layer-material"
TM3 = "thousand m³"
TOTAL = text("Total", "Итого")
ALL_MODELS = text("all models", "все модели")

_VOID_NAMES: dict[str, tuple[str, str]] = {
    "collapse-crater": ("collapse crater", "воронки обрушения"),
    "pit": ("pit", "карьерной выемки"),
    "other": ("void", "выемки"),
}


def _col(key: str, en: str, ru: str, unit: str = "") -> Column:
    return Column(key, text(en, ru), unit)


PARAMETER_COLUMNS = [
    _col("parameter", "Parameter", "Параметры"),
    _col("symbol", "Symbol", "Обозначение"),
    _col("value", "Value", "Значение"),
    _col("unit", "Unit", "Ед. изм."),
    _col("quantity", "Key", "Ключ"),
]


# ---- small helpers -------------------------------------------------------------------


def _floats(values: npt.ArrayLike) -> npt.NDArray[np.float64]:
    return np.asarray(values, dtype=np.float64)


def _frozen(*arrays: npt.NDArray[Any]) -> None:
    """Make cached arrays read-only so no caller can change what the cache hands out."""
    for a in arrays:
        a.setflags(write=False)


def _en(x: float, digits: int = 1) -> str:
    return f"{x:.{digits}f}"


def _ru(x: float, digits: int = 1) -> str:
    return f"{x:.{digits}f}".replace(".", ",")


def _param(quantity: str, en: str, ru: str, symbol: str, value: Any, unit: str) -> dict[str, Any]:
    return {
        "parameter": text(en, ru),
        "symbol": symbol,
        "value": value,
        "unit": unit,
        "quantity": quantity,
    }


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


@dataclass(frozen=True)
class _LoaderStage:
    """Loads per truck and loader output: waste pairs (Table 8) and the layer's pairs."""

    loader: FrontLoader
    trucks: tuple[Truck, ...]
    loads: loader_calc.TruckLoads
    output: loader_calc.LoaderOutput
    layer_loads: loader_calc.TruckLoads
    layer_output: loader_calc.LoaderOutput


@lru_cache(maxsize=64)
def _loader_stage(
    loader_model: str,
    truck_models: tuple[str, ...],
    shares: tuple[float, ...],
    streams: tuple[tuple[str, float, float, float], ...],
    truck_spotting_time: float,
    shift_duration: float,
    utilisation: float,
    working_days: int,
    shifts_per_day: int,
) -> _LoaderStage:
    loader = get_equipment(loader_model, FrontLoader)
    trucks = tuple(get_equipment(m, Truck) for m in truck_models)
    n_t = len(trucks)
    V_п = loader.bucket_volume_m3
    payload = _floats([t.payload_t for t in trucks])
    body = _floats([t.body_volume_m3 for t in trucks])
    k_ш = _floats([t.heaped_load_factor for t in trucks])
    if streams:
        names, gamma, k_н, k_р = zip(*streams, strict=True)
        loads = loader_calc.truck_loads(
            V_п,
            np.tile(payload, len(streams)),
            np.tile(body, len(streams)),
            np.tile(k_ш, len(streams)),
            np.repeat(gamma, n_t),
            np.repeat(k_н, n_t),
            np.repeat(k_р, n_t),
            [f"waste stream {n!r}, truck {t.name}" for n in names for t in trucks],
        )
        output = loader_calc.solve_output(
            loader,
            loads,
            np.repeat(np.arange(len(streams)), n_t).tolist(),
            np.tile(shares, len(streams)),
            truck_spotting_time,
            shift_duration,
            utilisation,
            working_days,
            shifts_per_day,
        )
    else:
        empty = np.zeros(0)
        loads = loader_calc.TruckLoads(empty, empty, np.zeros(0, np.int64), empty)
        output = loader_calc.LoaderOutput(empty, empty, empty)
    # The layer material: whole buckets the heaped body holds, counted loose (no density
    # is given for it, so the payload count is not available: see LAYER_BUCKET_FILL_FACTOR).
    k_н_layer = LAYER_BUCKET_FILL_FACTOR
    n_V = _floats(buckets_by_body_volume(body, V_п, k_н_layer, k_ш))
    try:
        n_ц = np.asarray(accepted_bucket_count(n_V, n_V), dtype=np.int64)
    except ValueError as exc:
        raise ValueError(f"reclamation layer: {exc}") from None
    V_аф = _floats(in_situ_volume_per_truck(_floats(n_ц), V_п, k_н_layer))
    layer_loads = loader_calc.TruckLoads(n_V, n_V, n_ц, V_аф)
    layer_output = loader_calc.solve_output(
        loader,
        layer_loads,
        [0] * n_t,
        shares,
        truck_spotting_time,
        shift_duration,
        utilisation,
        working_days,
        shifts_per_day,
    )
    for part in (loads, layer_loads):
        _frozen(
            part.buckets_by_payload,
            part.buckets_by_body_volume,
            part.loader_cycles,
            part.volume_per_truck,
        )
    for out in (output, layer_output):
        _frozen(out.shift_output, out.weighted_output, out.annual_output)
    return _LoaderStage(loader, trucks, loads, output, layer_loads, layer_output)


@lru_cache(maxsize=16)
def _dozer_stage(
    model: str,
    push_distance: float,
    material_repose_angle: float,
    loosening_factor: float,
    terrain_factor: float,
    shift_duration: float,
    utilisation: float,
) -> tuple[Bulldozer, dozer_calc.DozerOutput]:
    dozer = get_equipment(model, Bulldozer)
    output = dozer_calc.solve_output(
        dozer,
        push_distance,
        material_repose_angle,
        loosening_factor,
        terrain_factor,
        shift_duration,
        utilisation,
    )
    return dozer, output


@lru_cache(maxsize=16)
def _slide_prism(repose: float, stability: float, height: float) -> float:
    return float(slide_prism_width(repose, stability, height))


@lru_cache(maxsize=16)
def _surface(
    planning: tuple[float, float] | None, layer: tuple[float, float, float | None] | None
) -> backfill_calc.SurfaceSolution:
    return backfill_calc.solve_surface(
        None if planning is None else planning[0],
        SPECIFIC_PLANNING_VOLUME if planning is None else planning[1],
        None if layer is None else layer[0],
        MIN_LAYER_THICKNESS if layer is None else layer[1],
        None if layer is None else layer[2],
    )


# ---- the design ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Limit:
    years: int | None
    source: str
    end_year: int | None


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


class _Design:
    """One run of the backfill design; attributes hold the intermediate results."""

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

    def _table_planning(self) -> Table:
        planning = self.p.planning
        rows: list[dict[str, Any]] = []
        if planning is not None:
            first, last = self.activity_years[SURFACE_PLANNING]
            rows = [
                _param("planning_area_thousand_m2", "Area of the finishing planning",
                       "Площадь планировки", "S_пл", planning.area_m2 / K, "thousand m²"),
                _param("specific_volume_m3_m2", "Specific volume of the planning",
                       "Удельный объем бульдозерных работ", "q",
                       planning.specific_volume_m3_m2, "m³/m²"),
                _param("planning_volume_thousand_m3", "Volume of the planning",
                       "Объем планировочных работ", "V_пл",
                       (self.surface.planning_volume or 0.0) / K, TM3),
                _param("dozer_shift_output_m3_shift", f"Shift output of the {self.dozer.name}",
                       f"Сменная производительность {self.dozer.name}", "П_см",
                       self.dozer_output.shift_output, "m³/shift"),
                _param("dozer_shifts", "Bulldozer shifts", "Машино-смены бульдозера", "",
                       self.planning_shifts, "shifts"),
                _param("settlement_years", "Settlement after the backfill",
                       "Усадка после засыпки", "", SETTLEMENT_YEARS, "years"),
                _param("first_year", "First year", "Год начала", "", first, "year"),
                _param("last_year", "Last year", "Год окончания", "", last, "year"),
            ]  # fmt: skip
        return Table(
            "surface_planning",
            text("Planning of the dump surface", "Планировка поверхности отвала"),
            "003 sec. 3.2",
            PARAMETER_COLUMNS,
            rows,
            [PLANNING_NOTE],
        )

    def _table_layer(self) -> Table:
        layer = self.p.reclamation_layer
        rows: list[dict[str, Any]] = []
        if layer is not None:
            s = self.surface
            first, last = self.activity_years[RECLAMATION_LAYER]
            rows = [
                _param("layer_area_thousand_m2", "Area covered by the layer",
                       "Площадь рекультивационного слоя", "S_рс", layer.area_m2 / K,
                       "thousand m²"),
                _param("layer_thickness_m", "Thickness of the layer", "Мощность слоя", "h_рс",
                       layer.thickness_m, "m"),
                _param("layer_volume_thousand_m3", "Volume of the layer",
                       "Объем рекультивационного слоя", "V_рс", (s.layer_volume or 0.0) / K, TM3),
                _param("imported_volume_thousand_m3",
                       "Potentially fertile rock brought in", "Объем привозной ППП", "V_ППП",
                       None if layer.imported_volume_m3 is None
                       else layer.imported_volume_m3 / K, TM3),
                _param("imported_thickness_m", "Mean thickness the rock brought in makes",
                       "Средняя мощность привозной ППП", "h_ППП", s.imported_layer_thickness,
                       "m"),
                _param("hauled_volume_thousand_m3", "Volume hauled and spread",
                       "Объем транспортировки и разравнивания", "V", self.layer_volume / K,
                       TM3),
                _param("haul_distance_km", "Haul distance", "Расстояние транспортировки", "l",
                       layer.haul_distance_km, "km"),
            ]  # fmt: skip
            out = self.layer_truck_out
            for j, m in enumerate(self.p.equipment.trucks.models):
                rows += [
                    _param(f"loader_cycles[{m}]", f"Loader cycles per truck, {m}",
                           f"Количество циклов погрузчика, {m}", f"n_ц[{m}]",
                           int(self.stage.layer_loads.loader_cycles[j]), ""),
                    _param(f"volume_per_truck_m3[{m}]", f"Volume per truck (loose), {m}",
                           f"Объем грунта в кузове, {m}", f"V_аф[{m}]",
                           float(self.stage.layer_loads.volume_per_truck[j]), "m³"),
                    _param(f"trip_time_min[{m}]", f"Duration of one trip, {m}",
                           f"Время 1 рейса, {m}", f"t_об[{m}]", float(out.trip_time[j]), "min"),
                    _param(f"shift_output_m3_shift[{m}]", f"Output norm of the truck, {m}",
                           f"Норма выработки, {m}", f"Н_в[{m}]", float(out.shift_output[j]),
                           "m³/shift"),
                    _param(f"hauled_volume_thousand_m3[{m}]", f"Volume hauled, {m}",
                           f"Объем перевозок, {m}", f"V_г[{m}]",
                           float(self.layer_model_volume[j]) / K, TM3),
                    _param(f"truck_shifts[{m}]", f"Truck shifts, {m}",
                           f"Машино-смены, {m}", "", self.layer_truck_shifts[m], "shifts"),
                ]  # fmt: skip
            rows += [
                _param("loader_weighted_output_m3_shift",
                       f"Weighted output of the {self.stage.loader.name}",
                       f"Средневзвешенная производительность {self.stage.loader.name}",
                       "Q_эсв", float(self.stage.layer_output.weighted_output[0]), "m³/shift"),
                _param("loader_shifts", "Loader shifts", "Машино-смены погрузчика", "",
                       self.layer_loader_shifts, "shifts"),
                _param("dozer_shifts", "Bulldozer shifts (spreading)",
                       "Машино-смены бульдозера (разравнивание)", "", self.layer_dozer_shifts,
                       "shifts"),
                _param("duration_years", "Duration with the project's fleet",
                       "Продолжительность работ имеющимся парком", "", self.layer_duration,
                       "years"),
                _param("first_year", "First year", "Год начала", "", first, "year"),
                _param("last_year", "Last year", "Год окончания", "", last, "year"),
            ]  # fmt: skip
        return Table(
            "reclamation_layer",
            text("Reclamation layer", "Формирование рекультивационного слоя"),
            "003 sec. 3.3",
            PARAMETER_COLUMNS,
            rows,
            [LAYER_NOTE],
        )

    def _table_6(self) -> Table:
        rows: list[dict[str, Any]] = []
        if self.loader_fleet and self.truck_fleet and self.dozer_fleet:
            lf, tf, df = self.loader_fleet, self.truck_fleet, self.dozer_fleet
            rows.append(_fleet_row(LOADING_WORK, HAUL_WASTE, self.stage.loader.name, lf.total,
                                   lf.whole))  # fmt: skip
            for m in self.p.equipment.trucks.models:
                rows.append(_fleet_row(HAULAGE_WORK, HAUL_WASTE, m, tf.model_fleet[m],
                                       tf.model_whole[m]))  # fmt: skip
            rows.append(_fleet_row(DOZING_WORK, DOZE_WASTE, self.dozer.name, df.inventory_fleet,
                                   df.whole))  # fmt: skip
        return Table(
            "fleet",
            text("Main equipment and its number",
                 "Состав и количество основного технологического оборудования"),
            "003 Table 6",
            TABLE_6_COLUMNS,
            rows,
            [TABLE_6_NOTE],
        )  # fmt: skip

    def _table_8(self) -> Table:
        st, eq = self.stage, self.p.equipment
        loads, out = st.loads, st.output
        n_t = len(st.trucks)
        n_q, n_V = loads.buckets_by_payload.tolist(), loads.buckets_by_body_volume.tolist()
        n_ц, V_аф = loads.loader_cycles.tolist(), loads.volume_per_truck.tolist()
        Q_э = out.shift_output.tolist()
        Q_эсв, Q_гсв = out.weighted_output.tolist(), out.annual_output.tolist()
        rows = []
        for s, i in enumerate(self.fleet_streams):
            stream = self.streams[i]
            for j, truck in enumerate(st.trucks):
                p = s * n_t + j
                rows.append(
                    {
                        "stream": stream.name,
                        "truck": truck.name,
                        "bucket_volume_m3": st.loader.bucket_volume_m3,
                        "payload_t": truck.payload_t,
                        "body_volume_m3": truck.body_volume_m3,
                        "bulk_density_t_m3": stream.loading_bulk_density_t_m3
                        or stream.bulk_density_t_m3,
                        "heaped_load_factor": truck.heaped_load_factor,
                        "bucket_fill_factor": stream.bucket_fill_factor,
                        "loosening_factor": stream.excavation_loosening_factor,
                        "buckets_by_payload": n_q[p],
                        "buckets_by_body_volume": n_V[p],
                        "loader_cycles": n_ц[p],
                        "volume_per_truck_m3": V_аф[p],
                        "cycle_time_s": st.loader.cycle_time_s,
                        "truck_spotting_time_s": eq.loader.truck_spotting_time_s,
                        "shift_duration_h": self.T_см,
                        "utilisation": eq.loader.utilisation,
                        "shift_output_m3_shift": Q_э[p],
                        "truck_share": eq.loader.truck_shares[truck.name],
                        "weighted_output_m3_shift": Q_эсв[s],
                        "shifts_per_day": self.n,
                        "working_days": self.N_loader,
                        "annual_output_thousand_m3": Q_гсв[s],
                    }
                )
        name = st.loader.name
        return Table(
            "loader_output",
            text(f"Output of the front loader {name}",
                 f"Расчет производительности фронтального погрузчика {name}"),
            "003 Table 8",
            TABLE_8_COLUMNS,
            rows,
            [TABLE_8_NOTE],
        )  # fmt: skip

    def _table_9(self) -> Table:
        rows: list[dict[str, Any]] = []
        lf = self.loader_fleet
        if lf is not None:
            V = self.fleet_volume_k.tolist()
            Q = self.stage.output.annual_output.tolist()
            N = lf.fleet.tolist()
            for s, i in enumerate(self.fleet_streams):
                rows.append(
                    {
                        "stream": self.streams[i].name,
                        "annual_volume_thousand_m3": V[s],
                        "annual_output_thousand_m3": Q[s],
                        "fleet": N[s],
                        "fleet_whole": None,
                    }
                )
            rows.append(
                {
                    "stream": TOTAL,
                    "annual_volume_thousand_m3": sum(V),
                    "annual_output_thousand_m3": None,
                    "fleet": lf.total,
                    "fleet_whole": lf.whole,
                }
            )
        name = self.stage.loader.name
        return Table(
            "loader_fleet",
            text(f"Fleet of front loaders {name}",
                 f"Расчет потребного парка фронтальных погрузчиков {name}"),
            "003 Table 9",
            TABLE_9_COLUMNS,
            rows,
            [TABLE_9_NOTE],
        )  # fmt: skip

    def _table_prism(self) -> Table:
        v = self.void
        rows = [
            _param("repose_angle_deg", "Angle of repose of settled waste",
                   "Угол естественного откоса отходов", "α", v.repose_angle_deg, "°"),
            _param("stability_angle_deg", "Angle of temporary stability",
                   "Угол временной устойчивости", "β", v.stability_angle_deg, "°"),
            _param("tier_height_m", "Maximum tier height", "Максимальная высота яруса", "H",
                   v.max_tier_height_m, "m"),
            _param("slide_prism_width_m", "Width of the slide prism", "Ширина призмы обрушения",
                   "П", self.prism, "m"),
        ]  # fmt: skip
        return Table(
            "slide_prism",
            text("Width of the slide prism", "Ширина призмы обрушения"),
            "003 sec. 4.2",
            PARAMETER_COLUMNS,
            rows,
            [PRISM_NOTE],
        )

    def _table_11(self) -> Table:
        st, h = self.stage, self.p.haulage
        loads, out = st.loads, self.truck_out
        n_t = len(st.trucks)
        n_ц, V_аф = loads.loader_cycles.tolist(), loads.volume_per_truck.tolist()
        t_о, t_п = out.travel_time.tolist(), out.loading_time.tolist()
        t_об, Н_в = out.trip_time.tolist(), out.shift_output.tolist()
        rows = []
        for s, i in enumerate(self.fleet_streams):
            stream = self.streams[i]
            for j, truck in enumerate(st.trucks):
                p = s * n_t + j
                rows.append(
                    {
                        "stream": stream.name,
                        "truck": truck.name,
                        "payload_t": truck.payload_t,
                        "body_volume_m3": truck.body_volume_m3,
                        "bucket_volume_m3": st.loader.bucket_volume_m3,
                        "bulk_density_t_m3": stream.loading_bulk_density_t_m3
                        or stream.bulk_density_t_m3,
                        "bucket_fill_factor": stream.bucket_fill_factor,
                        "loosening_factor": stream.excavation_loosening_factor,
                        "loader_cycles": n_ц[p],
                        "volume_per_truck_m3": V_аф[p],
                        "loader_cycle_time_s": st.loader.cycle_time_s,
                        "loading_time_min": t_п[p],
                        "load_spotting_time_min": h.load_spotting_time_min,
                        "unload_spotting_time_min": h.unload_spotting_time_min,
                        "unloading_time_min": h.unloading_time_min,
                        "loader_wait_time_min": h.loader_wait_time_min,
                        "shift_duration_min": self.T_см * 60.0,
                        "preparation_time_min": h.preparation_time_min,
                        "break_time_min": h.break_time_min,
                        "personal_time_min": h.personal_time_min,
                        "average_speed_km_h": h.average_speed_km_h,
                        "haul_distance_km": h.haul_distance_km,
                        "travel_time_min": t_о[p],
                        "trip_time_min": t_об[p],
                        "shift_output_m3_shift": Н_в[p],
                    }
                )
        names = ", ".join(t.name for t in st.trucks)
        return Table(
            "truck_output",
            text(f"Output of the trucks {names}",
                 f"Расчет производительности автосамосвалов {names}"),
            "003 Table 11",
            TABLE_11_COLUMNS,
            rows,
            [TABLE_11_NOTE],
        )  # fmt: skip

    def _table_12(self) -> Table:
        rows: list[dict[str, Any]] = []
        tf = self.truck_fleet
        k_тг = self.p.equipment.trucks.technical_availability
        if tf is not None:
            V_г, V_см = tf.annual_volume.tolist(), tf.shift_volume.tolist()
            N_а, N_сп = tf.working_fleet.tolist(), tf.listed_fleet.tolist()
            Н_в = self.truck_out.shift_output.tolist()
            for p, (s, m) in enumerate(zip(self.pair_stream, self.pair_truck, strict=True)):
                rows.append(
                    {
                        "stream": self.streams[self.fleet_streams[s]].name,
                        "truck": m,
                        "annual_volume_thousand_m3": V_г[p],
                        "working_days": self.N,
                        "shifts_per_day": self.n,
                        "shift_volume_m3_shift": V_см[p],
                        "shift_output_m3_shift": Н_в[p],
                        "working_fleet": N_а[p],
                        "technical_availability": k_тг,
                        "listed_fleet": N_сп[p],
                        "fleet_whole": None,
                    }
                )
            for m, total in tf.model_fleet.items():
                rows.append(_total_row(TOTAL, m, total, tf.model_whole[m]))
            rows.append(_total_row(TOTAL, ALL_MODELS, sum(tf.model_fleet.values()), tf.total))
        names = ", ".join(self.p.equipment.trucks.models)
        return Table(
            "truck_fleet",
            text(f"Fleet of trucks {names}", f"Расчет потребного парка автосамосвалов {names}"),
            "003 Table 12",
            TABLE_12_COLUMNS,
            rows,
            [TABLE_12_NOTE],
        )

    def _table_14(self) -> Table:
        d, o, c = self.dozer, self.dozer_output, self.p.equipment.bulldozer
        rows = [
            _param("cycle_time_s", "Cycle time", "Продолжительность цикла", "t_ц",
                   o.cycle_time, "s"),
            _param("push_distance_m", "Push distance", "Расстояние перемещения породы", "L_д.г",
                   c.push_distance_m, "m"),
            _param("loaded_speed_m_s", "Pushing speed", "Скорость груженого хода", "V_д.г",
                   d.loaded_speed_m_s, "m/s"),
            _param("push_time_s", "Time of the push", "Время перемещения породы", "t_д.г",
                   o.push_time, "s"),
            _param("return_distance_m", "Return run", "Путь порожнего перемещения", "L_д.п",
                   c.push_distance_m, "m"),
            _param("return_speed_m_s", "Return speed", "Скорость обратного хода", "V_д.п",
                   d.return_speed_m_s, "m/s"),
            _param("return_time_s", "Time of the return run", "Время обратного хода", "t_д.п",
                   o.return_time, "s"),
            _param("gear_shift_time_s", "Auxiliary time (gear changes)",
                   "Время вспомогательных операций", "t_в", d.gear_shift_time_s, "s"),
            _param("blade_width_m", "Blade width", "Длина отвала", "B", d.blade_width_m, "m"),
            _param("blade_height_m", "Blade height", "Высота отвала", "H", d.blade_height_m,
                   "m"),
            _param("material_repose_angle_deg", "Angle of repose of the material in motion",
                   "Угол естественного откоса материала при движении", "φ",
                   c.material_repose_angle_deg, "°"),
            _param("drag_prism_volume_m3", "Drag prism", "Объем призмы волочения", "V_пр",
                   o.drag_prism_volume, "m³"),
            _param("loosening_factor", "Loosening factor", "Коэффициент разрыхления", "k_р",
                   c.loosening_factor, ""),
            _param("push_loss_factor", "Push loss factor",
                   "Коэффициент потерь при транспортировании", "K_п", o.push_loss_factor, ""),
            _param("terrain_factor", "Terrain factor", "Коэффициент условий рельефа", "K_д",
                   c.terrain_factor, ""),
            _param("technical_output_m3_h", "Technical output",
                   "Техническая производительность", "П_т", o.technical_output, "m³/h"),
            _param("shift_duration_h", "Shift duration", "Продолжительность смены", "t",
                   self.T_см, "h"),
            _param("utilisation", "Use of shift time", "Коэффициент использования сменного "
                   "времени", "k_и", c.utilisation, ""),
            _param("shift_output_m3_shift", "Operating output per shift",
                   "Сменная эксплуатационная производительность", "П_см", o.shift_output,
                   "m³/shift"),
        ]  # fmt: skip
        return Table(
            "dozer_output",
            text(f"Output of the bulldozer {d.name}",
                 f"Расчет производительности бульдозера {d.name}"),
            "003 Table 14",
            PARAMETER_COLUMNS,
            rows,
            [TABLE_14_NOTE],
        )  # fmt: skip

    def _table_15(self) -> Table:
        rows: list[dict[str, Any]] = []
        df, c = self.dozer_fleet, self.p.equipment.bulldozer
        if df is not None:
            V = self.fleet_volume_k.tolist()
            for s, i in enumerate(self.fleet_streams):
                name = self.streams[i].name
                rows.append(_param(f"dumped_volume_thousand_m3[{name}]",
                                   f"Unloaded on the dump: {name}", f"Размещение в отвал: {name}",
                                   f"V[{name}]", V[s], f"{TM3}/year"))  # fmt: skip
            rows += [
                _param("dozed_fraction", "Share pushed by the bulldozer",
                       "Коэффициент заваленности", "K_з", c.dozed_fraction, ""),
                _param("dozing_volume_thousand_m3", "Annual volume of dozing",
                       "Годовой объем бульдозерных работ", "V_б", df.dozing_volume,
                       f"{TM3}/year"),
                _param("working_days", "Working days a year", "Количество рабочих дней в году",
                       "N", self.N, "day/year"),
                _param("shifts_per_day", "Shifts a day", "Количество смен в сутки", "n",
                       self.n, "shift/day"),
                _param("shift_volume_m3_shift", "Volume of dozing per shift",
                       "Сменный объем бульдозерных работ", "V_см", df.shift_volume,
                       "m³/shift"),
                _param("shift_output_m3_shift", "Operating output per shift",
                       "Сменная эксплуатационная производительность", "П_см",
                       self.dozer_output.shift_output, "m³/shift"),
                _param("working_fleet", "Working fleet", "Рабочий парк бульдозеров", "N_р",
                       df.working_fleet, ""),
                _param("reserve_factor", "Reserve factor", "Резервный коэффициент", "K_р",
                       c.reserve_factor, ""),
                _param("inventory_fleet", "Inventory fleet, not rounded",
                       "Инвентарный парк, без округления", "N_р·K_р", df.inventory_fleet, ""),
                _param("fleet_whole", "Inventory fleet", "Инвентарный парк бульдозеров",
                       "N_инв", df.whole, ""),
            ]  # fmt: skip
        name = self.dozer.name
        return Table(
            "dozer_fleet",
            text(f"Fleet of bulldozers {name}", f"Расчет потребного парка бульдозеров {name}"),
            "003 Table 15",
            PARAMETER_COLUMNS,
            rows,
            [TABLE_15_NOTE],
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

    def _fleet_findings(self) -> None:
        if not (self.loader_fleet and self.truck_fleet and self.dozer_fleet):
            return
        minimum = self.p.equipment.min_utilisation
        machines = [(self.stage.loader.name, self.loader_fleet.total, self.loader_fleet.whole)]
        machines += [
            (m, self.truck_fleet.model_fleet[m], self.truck_fleet.model_whole[m])
            for m in self.p.equipment.trucks.models
        ]
        machines.append((self.dozer.name, self.dozer_fleet.inventory_fleet, self.dozer_fleet.whole))
        for name, required, whole in machines:
            if whole <= 0:
                continue
            use = required / whole
            if use < minimum:
                self.findings.append(
                    Finding(
                        "fleet-under-utilised",
                        "warning",
                        text(
                            f"{name}: the works need {required:.2f} machines, the fleet has "
                            f"{whole}: it is used {use:.0%}, below {minimum:.0%}.",
                            f"{name}: потребность {_ru(required, 2)} ед., в парке {whole} ед.: "
                            f"использование {use:.0%}, ниже {minimum:.0%}.",
                        ),
                        use,
                        minimum,
                        "",
                        "project file [equipment] min_utilisation",
                    )
                )


# ---- table layouts --------------------------------------------------------------------


def _fleet_row(
    work: Text, activity: str, equipment: str, required: float, whole: int
) -> dict[str, Any]:
    return {
        "work": work,
        "activity": activity,
        "equipment": equipment,
        "required": required,
        "count": whole,
        "utilisation": required / whole if whole else None,
    }


def _total_row(stream: Text, truck: Any, listed: float, whole: int) -> dict[str, Any]:
    return {
        "stream": stream,
        "truck": truck,
        "annual_volume_thousand_m3": None,
        "working_days": None,
        "shifts_per_day": None,
        "shift_volume_m3_shift": None,
        "shift_output_m3_shift": None,
        "working_fleet": None,
        "technical_availability": None,
        "listed_fleet": listed,
        "fleet_whole": whole,
    }


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

TABLE_6_COLUMNS = [
    _col("work", "Work", "Наименование работ"),
    _col("activity", "Activity", "Вид работ (ключ)"),
    _col("equipment", "Equipment", "Наименование оборудования"),
    _col("required", "Required, not rounded", "Потребность, без округления"),
    _col("count", "Number", "Количество"),
    _col("utilisation", "Use of the fleet", "Использование парка"),
]

LOADING_WORK = text("Excavation and loading of waste into trucks",
                    "Экскавация и погрузка отходов в автосамосвал")  # fmt: skip
HAULAGE_WORK = text("Haulage of waste to the dump", "Транспортировка отходов на отвал")
DOZING_WORK = text("Bulldozer dumping", "Бульдозерное отвалообразование")

TABLE_8_COLUMNS = [
    _col("stream", "Work", "Наименование работ"),
    _col("truck", "Truck", "Автосамосвал"),
    _col("bucket_volume_m3", "Bucket volume V_п", "Геометрическая емкость ковша Vп", "m³"),
    _col("payload_t", "Payload q_а", "Грузоподъемность qа", "t"),
    _col("body_volume_m3", "Body volume V_а", "Геометрическая емкость кузова Vа", "m³"),
    _col("bulk_density_t_m3", "Bulk density γ", "Объемный вес грунта γ", "t/m³"),
    _col("heaped_load_factor", "Heaped load factor k_ш", "Коэффициент загрузки с шапкой kш"),
    _col("bucket_fill_factor", "Bucket fill factor k_н", "Коэффициент наполнения ковша kн"),
    _col("loosening_factor", "Loosening factor k_р", "Коэффициент разрыхления kр"),
    _col("buckets_by_payload", "Buckets by payload n_к", "Ковшей по грузоподъемности nк"),
    _col("buckets_by_body_volume", "Buckets by body volume n_к", "Ковшей по объему кузова nк"),
    _col("loader_cycles", "Loader cycles n_ц", "Принимаемое количество циклов nц"),
    _col("volume_per_truck_m3", "Volume per truck V_аф", "Фактический объем в кузове Vаф",
         "m³"),
    _col("cycle_time_s", "Loader cycle T_ц", "Продолжительность цикла Tц", "s"),
    _col("truck_spotting_time_s", "Truck spotting t_м", "Время установки под погрузку tм",
         "s"),
    _col("shift_duration_h", "Shift T_см", "Продолжительность смены Tсм", "h"),
    _col("utilisation", "Use of shift time k_и", "Коэффициент использования kи"),
    _col("shift_output_m3_shift", "Output Q_э", "Эксплуатационная производительность Qэ",
         "m³/shift"),
    _col("truck_share", "Share of the truck model", "Доля модели автосамосвала"),
    _col("weighted_output_m3_shift", "Weighted output Q_эсв",
         "Средневзвешенная производительность Qэсв", "m³/shift"),
    _col("shifts_per_day", "Shifts a day n", "Количество смен в сутки n", "shift/day"),
    _col("working_days", "Working days of the loader N", "Рабочих дней погрузчика N",
         "day/year"),
    _col("annual_output_thousand_m3", "Annual output Q_гсв",
         "Годовая производительность Qгсв", f"{TM3}/year"),
]  # fmt: skip

TABLE_9_COLUMNS = [
    _col("stream", "Work", "Наименование работ"),
    _col("annual_volume_thousand_m3", "Annual volume V_г", "Годовой объем работ Vг",
         f"{TM3}/year"),
    _col("annual_output_thousand_m3", "Annual output Q_г", "Годовая производительность Qг",
         f"{TM3}/year"),
    _col("fleet", "Fleet N_сп", "Списочный парк Nсп"),
    _col("fleet_whole", "Fleet, whole loaders", "Итого парк погрузчиков"),
]  # fmt: skip

TABLE_11_COLUMNS = [
    _col("stream", "Work", "Наименование работ"),
    _col("truck", "Truck", "Автосамосвал"),
    _col("payload_t", "Payload q_а", "Грузоподъемность Qа", "t"),
    _col("body_volume_m3", "Body volume V_а", "Геометрический объем кузова Vа", "m³"),
    _col("bucket_volume_m3", "Bucket volume V_п", "Объем ковша Vп", "m³"),
    _col("bulk_density_t_m3", "Bulk density γ", "Объемный вес грунта γ", "t/m³"),
    _col("bucket_fill_factor", "Bucket fill factor k_н", "Коэффициент наполнения ковша kн"),
    _col("loosening_factor", "Loosening factor k_р", "Коэффициент разрыхления kр"),
    _col("loader_cycles", "Loader cycles n_ц", "Количество циклов погрузчика nц"),
    _col("volume_per_truck_m3", "Volume per truck V_аф", "Фактический объем Vаф", "m³"),
    _col("loader_cycle_time_s", "Loader cycle T_ц", "Продолжительность цикла Tц", "s"),
    _col("loading_time_min", "Loading t_п", "Время на погрузку tп", "min"),
    _col("load_spotting_time_min", "Spotting for loading t_уп", "Установка под погрузку tуп",
         "min"),
    _col("unload_spotting_time_min", "Spotting for unloading t_ур",
         "Установка под разгрузку tур", "min"),
    _col("unloading_time_min", "Unloading t_р", "Разгрузка tр", "min"),
    _col("loader_wait_time_min", "Waiting at the loader t_ожп", "Ожидание у погрузчика tожп",
         "min"),
    _col("shift_duration_min", "Shift T_см", "Продолжительность смены Tсм", "min"),
    _col("preparation_time_min", "Preparation T_пз + T_об",
         "Подготовительно-заключительные операции Tпз + Tоб", "min"),
    _col("break_time_min", "Break T_пт", "Регламентированный перерыв Tпт", "min"),
    _col("personal_time_min", "Personal needs T_лн", "Личные надобности Tлн", "min"),
    _col("average_speed_km_h", "Average speed V_с", "Среднерейсовая скорость Vс", "km/h"),
    _col("haul_distance_km", "Haul distance l", "Расстояние транспортировки l", "km"),
    _col("travel_time_min", "Driving time t_о", "Основное время движения tо", "min"),
    _col("trip_time_min", "Trip t_об", "Время 1 рейса tоб", "min"),
    _col("shift_output_m3_shift", "Output norm Н_в", "Норма выработки Нв", "m³/shift"),
]  # fmt: skip

TABLE_12_COLUMNS = [
    _col("stream", "Work", "Наименование работ"),
    _col("truck", "Truck", "Автосамосвал"),
    _col("annual_volume_thousand_m3", "Annual haulage V_г", "Годовой объем перевозок Vг",
         f"{TM3}/year"),
    _col("working_days", "Working days N", "Рабочих дней в году N", "day/year"),
    _col("shifts_per_day", "Shifts a day n", "Смен в сутки n", "shift/day"),
    _col("shift_volume_m3_shift", "Haulage per shift V_см", "Сменный грузооборот Vсм",
         "m³/shift"),
    _col("shift_output_m3_shift", "Output norm Н_в", "Норма выработки Нв", "m³/shift"),
    _col("working_fleet", "Working fleet N_а", "Рабочий парк Nа"),
    _col("technical_availability", "Technical availability k_тг",
         "Коэффициент технической готовности kтг"),
    _col("listed_fleet", "Listed fleet N_сп", "Списочный парк Nсп"),
    _col("fleet_whole", "Fleet, whole trucks", "Итого парк автосамосвалов"),
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
TABLE_6_NOTE = text(
    "Machines of the works computed in Tables 9, 12 and 15; 003 Table 6 also lists road "
    "maintenance and dust suppression machines, which the method does not size.",
    "Оборудование по расчетам таблиц 9, 12 и 15; в таблице 6 документа 003 также указаны "
    "машины для содержания дорог и пылеподавления, которые методикой не рассчитываются.",
)
TABLE_8_NOTE = text(
    "003 prints the weighted and annual outputs truncated (1283, 378.4; 1835, 541.3); the "
    "code does not round them.",
    "В 003 средневзвешенная и годовая производительности усечены (1283, 378,4; 1835, 541,3); "
    "расчет ведется без округления.",
)
TABLE_9_NOTE = text(
    "The fleets of the streams are summed and rounded up to whole loaders.",
    "Парк по видам работ суммируется и округляется до целых машин.",
)
PRISM_NOTE = text(
    "003 prints (ctg α − ctg β) = 1.3 m, dropping the factor H from the line; the result "
    "includes it.",
    "В 003 записано (ctg α − ctg β) = 1,3 м без множителя H; результат его учитывает.",
)
TABLE_11_NOTE = text(
    "003 heads the tailings columns «БелАЗ-75405» with the BelAZ-75404's figures.",
    "В 003 столбцы хвостов озаглавлены «БелАЗ-75405» при характеристиках БелАЗ-75404.",
)
TABLE_12_NOTE = text(
    "Each stream is split between the truck models in proportion to their output norms, as "
    "003 does; the listed fleet is N_а / k_тг (003 prints N_а ∙ k_тг but computes the "
    "division).",
    "Объем делится между моделями пропорционально нормам выработки, как в 003; списочный "
    "парк Nа / kтг (в 003 записано Nа ∙ kтг, расчет — деление).",
)
TABLE_14_NOTE = text(
    "003 rounds t_ц to 44 s and K_п to 0.93 before multiplying and prints 231 m³/h and "
    "1479 m³/shift; the code does not round intermediates.",
    "В 003 tц округлено до 44 с и Kп до 0,93 до умножения (231 м³/ч, 1479 м³/смену); "
    "расчет ведется без промежуточного округления.",
)
TABLE_15_NOTE = text(
    "Fleets are rounded up with a tolerance of equipment.fleet_rel_tol (N_р·K_р = 1.0003 "
    "gives one bulldozer, as in 003).",
    "Парк округляется вверх с допуском equipment.fleet_rel_tol (Nр·Kр = 1,0003 — один "
    "бульдозер, как в 003).",
)
TIMELINE_NOTE = text(
    "Haulage and dozing over the calendar plan; planning 1 year after the backfill ends "
    "(settlement, 003 sec. 3.2); the layer after the planning (003 sec. 3.3), as long as the "
    "project's fleet needs.",
    "Транспортировка и отвалообразование — по календарному плану; планировка через 1 год "
    "после окончания засыпки (усадка, 003 п. 3.2); рекультивационный слой — после "
    "планировки (003 п. 3.3), на срок, необходимый парку проекта.",
)
