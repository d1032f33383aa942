"""The fleet of the backfill: loader, trucks and bulldozer (document 003, Tables 6-15).

A step of the backfill design (:mod:`postmine.project.backfill`): the project's machines on
the waste streams its fleet handles, computed by the 003 machine chain
(:mod:`postmine.chains.machines`, :mod:`postmine.chains.dozing`) into a
:class:`FleetResult` -- the loads per truck and the output of the front loader (003 Table 8)
and its fleet (Table 9), the output of the trucks (Table 11) and their fleet (Table 12), the
output of the bulldozer (Table 14) and its fleet (Table 15). The same cached stage gives the
loads and outputs of the imported layer material (sec. 3.3). The tables are in
:mod:`~postmine.project.backfill.fleet_tables`.

Units: SI as in the chain (m³, m³/year, m³/shift, s); the tables print the source's units.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from postmine.chains.dozing import DozerFleet, DozerOutput, dozer_fleet, dozer_output
from postmine.chains.machines import (
    METRES_PER_KM,
    SECONDS_PER_HOUR,
    HaulChain,
    LoadedMaterial,
    LoaderFleet,
    LoaderOutput,
    LoaderWork,
    ShiftRegime,
    TruckCycle,
    TruckFleet,
    TruckLoads,
    TruckOutput,
    loader_fleet,
    loader_output,
    truck_fleet,
    truck_loads,
    truck_output,
)
from postmine.data.equipment import Bulldozer, FrontLoader, Truck, get_equipment
from postmine.project.backfill.base import DesignInputs, frozen
from postmine.project.backfill.calendar_plan import BackfillResult
from postmine.project.schema import Haulage, WasteStream

__all__ = ["LAYER_BUCKET_FILL_FACTOR", "FleetResult", "Fleets", "LoaderStage", "compute_fleet"]

#: Bucket fill factor k_н when the loader loads the imported layer material, [-]. 003 gives
#: no density or loading factors for the potentially fertile rock (sec. 3.3): the load of a
#: truck is limited by its heaped body (whole buckets of V_п k_н, counted loose, as the
#: imported volume is), with the fill factor 003 Table 8 uses for rock (1.0).
LAYER_BUCKET_FILL_FACTOR = 1.0

#: The imported layer material: no density is given, so trucks take whole buckets by body.
LAYER_MATERIAL = LoadedMaterial(None, LAYER_BUCKET_FILL_FACTOR, 1.0)


@dataclass(frozen=True)
class LoaderStage:
    """Loads per truck and loader output: waste pairs (Table 8) and the layer's pairs.

    Waste pairs are (fleet stream, truck model), stream-major; the layer has one pair per
    truck model.
    """

    loader: FrontLoader
    trucks: tuple[Truck, ...]
    loads: TruckLoads
    output: LoaderOutput
    layer_loads: TruckLoads
    layer_output: LoaderOutput


@dataclass(frozen=True)
class Fleets:
    """Fleets of the loader (Table 9), trucks (Table 12) and bulldozer (Table 15)."""

    loader: LoaderFleet
    trucks: TruckFleet
    dozer: DozerFleet


@dataclass(frozen=True)
class FleetResult:
    """The machines of the backfill (003 Tables 8-15).

    Attributes
    ----------
    fleet_streams : list of int
        Positions (in the project's waste streams) of the streams the fleet handles.
    stage : LoaderStage
        Loads and loader outputs of the waste and of the layer material.
    dozer : Bulldozer
        The bulldozer.
    dozer_output : DozerOutput
        Its cycle and output (Table 14).
    fleet_volume_m3 : ndarray
        Delivered volume of each fleet stream. [m³/year]
    truck_output : TruckOutput
        Trips and output norms of the waste pairs (Table 11).
    layer_truck_output : TruckOutput
        The same for the layer material, one per truck model.
    pair_stream, pair_truck : list
        Fleet stream (0, 1, ...) and truck model of each waste pair.
    fleets : Fleets or None
        The fleets; None when the fleet handles no stream.
    layer_haul : HaulChain
        The loader -> trucks chain of the layer material (the stage's layer loads and
        output, ``layer_truck_output``), for its machine-shifts.
    """

    fleet_streams: list[int]
    stage: LoaderStage
    dozer: Bulldozer
    dozer_output: DozerOutput
    fleet_volume_m3: npt.NDArray[np.float64]
    truck_output: TruckOutput
    layer_truck_output: TruckOutput
    pair_stream: list[int]
    pair_truck: list[str]
    fleets: Fleets | None
    layer_haul: HaulChain


# ---- cached stages: they depend only on inputs a Monte Carlo rarely varies --------------


def _frozen_stage(stage: LoaderStage) -> LoaderStage:
    """Make the stage's arrays read-only (it is handed out by a cache)."""
    for part in (stage.loads, stage.layer_loads):
        frozen(
            part.buckets_by_payload,
            part.buckets_by_body_volume,
            part.loader_cycles,
            part.volume_per_truck_m3,
        )
    for out in (stage.output, stage.layer_output):
        frozen(out.shift_output_m3, out.weighted_output_m3, out.annual_output_m3)
    return stage


@lru_cache(maxsize=64)
def _loader_stage(
    loader_model: str,
    truck_models: tuple[str, ...],
    shares: tuple[float, ...],
    streams: tuple[tuple[str, LoadedMaterial], ...],
    work: LoaderWork,
    regime: ShiftRegime,
) -> LoaderStage:
    loader = get_equipment(loader_model, FrontLoader)
    trucks = tuple(get_equipment(m, Truck) for m in truck_models)
    n_t = len(trucks)
    loads = truck_loads(
        loader,
        [(material, t) for _, material in streams for t in trucks],
        [f"waste stream {name!r}, truck {t.name}" for name, _ in streams for t in trucks],
    )
    output = loader_output(
        loader,
        loads,
        np.repeat(np.arange(len(streams)), n_t).tolist(),
        np.tile(shares, len(streams)),
        work,
        regime,
    )
    layer_loads = truck_loads(
        loader, [(LAYER_MATERIAL, t) for t in trucks], ["reclamation layer"] * n_t
    )
    layer_output = loader_output(loader, layer_loads, [0] * n_t, shares, work, regime)
    return _frozen_stage(LoaderStage(loader, trucks, loads, output, layer_loads, layer_output))


@lru_cache(maxsize=16)
def _dozer_stage(
    model: str,
    push_distance_m: float,
    material_repose_angle_deg: float,
    loosening_factor: float,
    terrain_factor: float,
    shift_duration_s: float,
    utilisation: float,
) -> tuple[Bulldozer, DozerOutput]:
    dozer = get_equipment(model, Bulldozer)
    output = dozer_output(
        dozer,
        push_distance_m,
        material_repose_angle_deg,
        loosening_factor,
        terrain_factor,
        shift_duration_s,
        utilisation,
    )
    return dozer, output


# ---- the step ---------------------------------------------------------------------------


def loaded_material(stream: WasteStream) -> LoadedMaterial:
    """Return what the loader loads on a waste stream (003 Table 8)."""
    return LoadedMaterial(
        stream.loading_bulk_density_t_m3 or stream.bulk_density_t_m3,
        stream.bucket_fill_factor,
        stream.excavation_loosening_factor,
    )


def truck_cycle(haulage: Haulage) -> TruckCycle:
    """Return the trucks' speed and fixed times (the project file gives 003's km/h and min)."""
    return TruckCycle.from_source_units(
        average_speed_km_h=haulage.average_speed_km_h,
        load_spotting_time_min=haulage.load_spotting_time_min,
        unload_spotting_time_min=haulage.unload_spotting_time_min,
        unloading_time_min=haulage.unloading_time_min,
        loader_wait_time_min=haulage.loader_wait_time_min,
        preparation_time_min=haulage.preparation_time_min,
        break_time_min=haulage.break_time_min,
        personal_time_min=haulage.personal_time_min,
    )


def _loader_stage_of(
    inputs: DesignInputs, backfill: BackfillResult, fleet_streams: list[int]
) -> LoaderStage:
    """Run the cached loader stage on the project's loader, trucks and fleet streams."""
    eq = inputs.project.equipment
    models = tuple(eq.trucks.models)
    return _loader_stage(
        eq.loader.model,
        models,
        tuple(eq.loader.truck_shares[m] for m in models),
        tuple(
            (backfill.streams[i].name, loaded_material(backfill.streams[i])) for i in fleet_streams
        ),
        LoaderWork(eq.loader.truck_spotting_time_s, eq.loader.utilisation),
        inputs.loader_regime,
    )


def _dozer_stage_of(inputs: DesignInputs) -> tuple[Bulldozer, DozerOutput]:
    """Run the cached bulldozer stage on the project's bulldozer."""
    d = inputs.project.equipment.bulldozer
    return _dozer_stage(
        d.model,
        d.push_distance_m,
        d.material_repose_angle_deg,
        d.loosening_factor,
        d.terrain_factor,
        inputs.shift_duration_h * SECONDS_PER_HOUR,
        d.utilisation,
    )


def _fleets(
    inputs: DesignInputs,
    fleet_volume_m3: npt.NDArray[np.float64],
    stage: LoaderStage,
    trucks: TruckOutput,
    pair_stream: list[int],
    pair_truck: list[str],
    dozer: DozerOutput,
) -> Fleets:
    """Size the loader (Table 9), truck (Table 12) and bulldozer (Table 15) fleets."""
    eq = inputs.project.equipment
    tol = eq.fleet_rel_tol
    return Fleets(
        loader_fleet(fleet_volume_m3, stage.output.annual_output_m3, tol),
        truck_fleet(
            pair_truck,
            pair_stream,
            fleet_volume_m3,
            trucks.shift_output_m3,  # 003 Table 12: split by the shift outputs
            trucks.shift_output_m3,
            inputs.regime,
            eq.trucks.technical_availability,
            tol,
        ),
        dozer_fleet(
            float(fleet_volume_m3.sum()),
            eq.bulldozer.dozed_fraction,
            dozer.shift_output_m3,
            inputs.regime,
            eq.bulldozer.reserve_factor,
            tol,
        ),
    )


def compute_fleet(inputs: DesignInputs, backfill: BackfillResult) -> FleetResult:
    """Compute the loader, trucks and bulldozer on the streams the project's fleet handles.

    Raises
    ------
    ValueError
        If a bucket is too large for a truck, or a value is out of range as in
        :mod:`postmine.methods.haulage` and :mod:`postmine.methods.dozing`.
    """
    p = inputs.project
    fleet_streams = [i for i, s in enumerate(backfill.streams) if s.by_project_fleet]
    stage = _loader_stage_of(inputs, backfill, fleet_streams)
    dozer, dozer_out = _dozer_stage_of(inputs)
    fleet_volume_m3 = backfill.volumes.volume[fleet_streams]
    models = list(p.equipment.trucks.models)
    cycle, shift_s = truck_cycle(p.haulage), inputs.shift_duration_h * SECONDS_PER_HOUR
    waste_trucks = truck_output(
        stage.loader, stage.loads, p.haulage.haul_distance_km * METRES_PER_KM, cycle, shift_s
    )
    layer = p.reclamation_layer
    layer_km = layer.haul_distance_km if layer else p.haulage.haul_distance_km
    layer_m = layer_km * METRES_PER_KM
    layer_trucks = truck_output(stage.loader, stage.layer_loads, layer_m, cycle, shift_s)
    layer_haul = HaulChain(
        {m: p.equipment.loader.truck_shares[m] for m in models},
        stage.layer_loads,
        stage.layer_output.shift_output_m3,
        float(stage.layer_output.weighted_output_m3[0]),
        layer_trucks,
        layer_m,
    )
    n_s = len(fleet_streams)
    pair_stream = np.repeat(np.arange(n_s), len(models)).tolist()
    pair_truck = models * n_s
    fleets = (
        _fleets(inputs, fleet_volume_m3, stage, waste_trucks, pair_stream, pair_truck, dozer_out)
        if n_s
        else None
    )
    return FleetResult(
        fleet_streams,
        stage,
        dozer,
        dozer_out,
        fleet_volume_m3,
        waste_trucks,
        layer_trucks,
        pair_stream,
        pair_truck,
        fleets,
        layer_haul,
    )
