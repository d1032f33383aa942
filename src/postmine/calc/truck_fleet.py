"""``postmine calc truck-fleet``: truck trips, output and fleet (003, sec. 4.2, Tables 10-12).

For each waste stream and truck model: the loader cycles per truck and the in-situ volume
per truck (as in Table 8), the loading and trip times, the truck's shift output, its share
of the stream's annual volume, the volume per shift, the working and the listed fleet;
per truck model the listed fleet summed over the streams and rounded up; the whole fleet.
Machines come from the equipment catalogue (:mod:`postmine.data.equipment`) by name.

Notes on 003: the tailings columns of Tables 11 and 12 are headed "БелАЗ-75405"; their
figures are the BelAZ-75404's (the only BelAZ of the project), used here. Table 11 prints
γ = 2,9 t/m³ for the KamAZ on waste rock where Table 8 has 2.85; Table 11 does not use γ.
Table 12 prints the listed fleet as ``Nа ∙ kтг`` but computes ``Nа / kтг``
(:func:`postmine.methods.haulage.listed_fleet`). Table 12 splits each stream's volume
between the truck models in proportion to their shift outputs (equal fleets of both
models); a stream may instead give each model's share.

This module is the calculator's adapter: it parses the inputs, calls the 003 machine chain
(:mod:`postmine.chains.machines`: :func:`~postmine.chains.machines.truck_loads`,
:func:`~postmine.chains.machines.truck_output`, :func:`~postmine.chains.machines.truck_fleet`,
SI inside) and reports what it returns in the source's units (km, min, thousand m³).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import Field, field_validator, model_validator

from postmine.calc.base import Calculation, CalculationInputs, Quantity, register
from postmine.calc.loader_fleet import (
    abaza_streams,
    catalogue_quantity,
    truck_catalogue_rows,
)
from postmine.chains.machines import (
    METRES_PER_KM,
    SECONDS_PER_HOUR,
    SECONDS_PER_MINUTE,
    LoadedMaterial,
    ShiftRegime,
    TruckCycle,
    TruckFleet,
    TruckLoads,
    TruckOutput,
    truck_fleet,
    truck_loads,
    truck_output,
)
from postmine.data.equipment import FrontLoader, Truck, get_equipment

K = 1e3  # the source's thousand m³
TABLE_8, TABLE_11, TABLE_12 = "003 Table 8", "003 Table 11", "003 Table 12"


class HaulingTruck(CalculationInputs):
    """A truck model hauling one stream, optionally with its share of the stream."""

    truck: str = Field(description="Truck model, a name of the equipment catalogue. [-]")
    volume_share: float | None = Field(
        default=None,
        ge=0,
        le=1,
        description="Share of the stream's annual volume hauled by this model; omit on every "
        "model of the stream to split in proportion to the shift outputs, as 003 does. [-]",
    )

    @field_validator("truck")
    @classmethod
    def _known_truck(cls, value: str) -> str:
        return get_equipment(value, Truck).name


class HaulStream(CalculationInputs):
    """One waste stream hauled to the dump."""

    name: str = Field(min_length=1, description="Name of the stream, indexes the results. [-]")
    annual_volume_thousand_m3: float = Field(
        ge=0, description="Vг, annual volume to haul, in place. [thousand m³/year]"
    )
    bulk_density: float = Field(
        gt=0, description="γ, bulk density in the state the volume is counted. [t/m³]"
    )
    bucket_fill_factor: float = Field(gt=0, le=2, description="kн, bucket fill factor. [-]")
    loosening_factor: float = Field(
        default=1.0, ge=1, le=3, description="kр, loosening factor; 1 for loose material. [-]"
    )
    trucks: list[HaulingTruck] = Field(min_length=1, description="Truck models hauling. [-]")

    @model_validator(mode="after")
    def _shares(self) -> HaulStream:
        names = [t.truck for t in self.trucks]
        if len(set(names)) != len(names):
            raise ValueError(f"stream {self.name!r} lists a truck model twice: {names}")
        given = [t.volume_share for t in self.trucks if t.volume_share is not None]
        if given and len(given) != len(self.trucks):
            raise ValueError(
                f"stream {self.name!r}: give volume_share for every truck model or for none"
            )
        if given and abs(sum(given) - 1.0) > 1e-6:
            raise ValueError(
                f"volume shares of stream {self.name!r} must sum to 1, got {sum(given):g}"
            )
        return self


class TruckFleetInputs(CalculationInputs):
    """Inputs of the truck output and fleet."""

    loader: str = Field(description="Front loader model, a name of the equipment catalogue. [-]")
    haul_distance: float = Field(ge=0, le=100, description="l, one-way haul distance. [km]")
    average_speed: float = Field(gt=0, le=120, description="Vс, average trip speed. [km/h]")
    load_spotting_time: float = Field(
        ge=0, description="tуп, time to spot the truck under the loader. [min]"
    )
    unload_spotting_time: float = Field(
        ge=0, description="tур, time to spot the truck for unloading. [min]"
    )
    unloading_time: float = Field(ge=0, description="tр, unloading time. [min]")
    loader_wait_time: float = Field(ge=0, description="tожп, waiting time at the loader. [min]")
    shift_duration: float = Field(gt=0, le=24, description="Tсм, duration of a shift. [h]")
    preparation_time: float = Field(
        ge=0, description="Tпз + Tоб, preparation, closing and servicing time per shift. [min]"
    )
    break_time: float = Field(ge=0, description="Tпт, regulated break per shift. [min]")
    personal_time: float = Field(ge=0, description="Tлн, personal needs time per shift. [min]")
    working_days: int = Field(
        gt=0, le=366, description="N, working days of the enterprise per year. [day/year]"
    )
    shifts_per_day: int = Field(ge=1, le=4, description="n, shifts per day. [shift/day]")
    technical_availability: float = Field(
        gt=0, le=1, description="kтг, technical availability factor of the trucks. [-]"
    )
    fleet_rel_tol: float = Field(
        default=0.005,
        ge=0,
        le=0.1,
        description="Relative excess over a whole number not rounded up to one more machine. [-]",
    )
    streams: list[HaulStream] = Field(min_length=1, description="Waste streams hauled. [-]")

    @field_validator("loader")
    @classmethod
    def _known_loader(cls, value: str) -> str:
        return get_equipment(value, FrontLoader).name

    @model_validator(mode="after")
    def _unique_streams(self) -> TruckFleetInputs:
        names = [s.name for s in self.streams]
        if len(set(names)) != len(names):
            raise ValueError(f"stream names must be unique, got {names}")
        return self


@dataclass(frozen=True)
class _Pair:
    """One (stream, truck model) pair, with the model's volume share if the stream gives it."""

    stream_index: int
    stream: HaulStream
    truck: Truck
    volume_share: float | None


@dataclass(frozen=True)
class _Solution:
    """What the chain returns for the inputs: loads, trips and fleet (Tables 8, 11, 12)."""

    loads: TruckLoads
    output: TruckOutput
    fleet: TruckFleet
    split_by_outputs: dict[int, bool]


def _pairs(inputs: TruckFleetInputs) -> list[_Pair]:
    """Gather the (stream, truck model) pairs, stream-major."""
    return [
        _Pair(i, stream, get_equipment(hauling.truck, Truck), hauling.volume_share)
        for i, stream in enumerate(inputs.streams)
        for hauling in stream.trucks
    ]


def _solve(inputs: TruckFleetInputs, loader: FrontLoader, pairs: list[_Pair]) -> _Solution:
    """Run the 003 machine chain (SI) on the pairs: Tables 8, 11 and 12."""
    loads = truck_loads(
        loader,
        [(_material(p.stream), p.truck) for p in pairs],
        [f"stream {p.stream.name!r}, truck {p.truck.name}" for p in pairs],
    )
    shift_duration_s = inputs.shift_duration * SECONDS_PER_HOUR
    output = truck_output(
        loader, loads, inputs.haul_distance * METRES_PER_KM, _cycle(inputs), shift_duration_s
    )
    # per stream: split by the shift outputs unless every model of the stream gives a share
    by_outputs = {
        i: any(t.volume_share is None for t in stream.trucks)
        for i, stream in enumerate(inputs.streams)
    }
    weights = [
        float(output.shift_output_m3[at]) if by_outputs[p.stream_index] else (p.volume_share or 0.0)
        for at, p in enumerate(pairs)
    ]
    fleet = truck_fleet(
        [p.truck.name for p in pairs],
        [p.stream_index for p in pairs],
        [s.annual_volume_thousand_m3 * K for s in inputs.streams],
        weights,
        output.shift_output_m3,
        ShiftRegime(shift_duration_s, inputs.shifts_per_day, inputs.working_days),
        inputs.technical_availability,
        inputs.fleet_rel_tol,
    )
    return _Solution(loads, output, fleet, by_outputs)


def _head_rows(loader: FrontLoader, solution: _Solution) -> list[Quantity]:
    """Report the loader's catalogue figures and the driving time (Tables 7, 8, 11)."""
    t_о = float(solution.output.travel_time_s[0]) / SECONDS_PER_MINUTE
    return [
        catalogue_quantity("loader_rated_bucket_volume_m3", loader, "bucket_volume_m3"),
        catalogue_quantity("loader_cycle_time_s", loader, "cycle_time_s"),
        Quantity.of("truck_travel_time_min", t_о, equation=TABLE_11),
    ]


def _trip_rows(pair: _Pair, at: int, solution: _Solution) -> list[Quantity]:
    """Report the load, loading time, trip and output norm of one pair (Tables 8, 11)."""
    loads, out, minute = solution.loads, solution.output, SECONDS_PER_MINUTE
    names = (pair.stream.name, pair.truck.name)
    return [
        Quantity.of(
            "truck_loader_cycles", int(loads.loader_cycles[at]), equation=TABLE_8, item=names
        ),
        Quantity.of(
            "truck_volume_per_truck_m3",
            float(loads.volume_per_truck_m3[at]),
            equation=TABLE_11,
            item=names,
        ),
        Quantity.of(
            "truck_loading_time_min",
            float(out.loading_time_s[at]) / minute,
            equation=TABLE_11,
            item=names,
        ),
        Quantity.of(
            "truck_trip_time_min",
            float(out.trip_time_s[at]) / minute,
            equation=TABLE_11,
            item=names,
        ),
        Quantity.of(
            "truck_shift_output_m3_shift",
            float(out.shift_output_m3[at]),
            equation=TABLE_11,
            item=names,
        ),
    ]


def _fleet_rows(pair: _Pair, at: int, solution: _Solution) -> list[Quantity]:
    """Report the haulage and the fleets of one pair (Table 12)."""
    fleet = solution.fleet
    how = (
        "split in proportion to the shift outputs, as 003 does"
        if solution.split_by_outputs[pair.stream_index]
        else "split by the given volume shares"
    )
    names = (pair.stream.name, pair.truck.name)
    return [
        Quantity.of(
            "truck_annual_volume_thousand_m3_year",
            float(fleet.annual_volume_m3[at]) / K,
            equation=TABLE_12,
            how=how,
            item=names,
        ),
        Quantity.of(
            "truck_shift_volume_m3_shift",
            float(fleet.shift_volume_m3[at]),
            equation=TABLE_12,
            item=names,
        ),
        Quantity.of(
            "truck_working_fleet", float(fleet.working_fleet[at]), equation=TABLE_12, item=names
        ),
        Quantity.of(
            "truck_listed_fleet",
            float(fleet.listed_fleet[at]),
            equation=TABLE_12,
            note="003 prints the formula Nа ∙ kтг; its numbers are Nа / kтг",
            item=names,
        ),
    ]


def _model_rows(fleet: TruckFleet) -> list[Quantity]:
    """Report the listed fleet of every truck model and of all of them (Table 12)."""
    out = []
    for name, total in fleet.model_fleet.items():
        out += [
            Quantity.of("truck_model_fleet", total, equation=TABLE_12, item=name),
            Quantity.of(
                "truck_model_fleet_whole", fleet.model_whole[name], equation=TABLE_12, item=name
            ),
        ]
    out.append(Quantity.of("truck_fleet_whole", fleet.total, equation=TABLE_12))
    return out


def compute(inputs: TruckFleetInputs) -> list[Quantity]:
    """Compute the trucks' trips and output per stream and model, and the truck fleet."""
    loader = get_equipment(inputs.loader, FrontLoader)
    pairs = _pairs(inputs)
    solution = _solve(inputs, loader, pairs)
    out = _head_rows(loader, solution)
    reported: set[str] = set()
    for s in range(len(inputs.streams)):
        rows = [at for at, p in enumerate(pairs) if p.stream_index == s]
        for at in rows:
            truck = pairs[at].truck
            if truck.name not in reported:
                reported.add(truck.name)
                out += truck_catalogue_rows(truck, heaped_load_factor=False)
            out += _trip_rows(pairs[at], at, solution)
        for at in rows:
            out += _fleet_rows(pairs[at], at, solution)
    return out + _model_rows(solution.fleet)


def _material(stream: HaulStream) -> LoadedMaterial:
    """Return what the loader loads on ``stream``."""
    return LoadedMaterial(stream.bulk_density, stream.bucket_fill_factor, stream.loosening_factor)


def _cycle(inputs: TruckFleetInputs) -> TruckCycle:
    """Return the trucks' speed and fixed times (the inputs are in 003's km/h and min)."""
    return TruckCycle.from_source_units(
        average_speed_km_h=inputs.average_speed,
        load_spotting_time_min=inputs.load_spotting_time,
        unload_spotting_time_min=inputs.unload_spotting_time,
        unloading_time_min=inputs.unloading_time,
        loader_wait_time_min=inputs.loader_wait_time,
        preparation_time_min=inputs.preparation_time,
        break_time_min=inputs.break_time,
        personal_time_min=inputs.personal_time,
    )


def abaza_example() -> dict[str, Any]:
    """Return the inputs of 003, Tables 11 and 12 (waste rock and dry-separation tailings).

    Annual volumes are the in-situ volumes of Table 4 (49.1 and 465.1 thousand m³), split
    between the models as 003 does. Tailings: γ = 2.2 t/m³ as in Tables 8 and 11 (Table 4
    gives 2.15) and no loosening factor (printed "-").
    """

    def trucks() -> list[dict[str, Any]]:
        return [{"truck": "BelAZ-75404"}, {"truck": "KamAZ-6520"}]

    return {
        "loader": "SDLG L975F",
        "haul_distance": 2.0,
        "average_speed": 22.0,
        "load_spotting_time": 0.7,
        "unload_spotting_time": 0.6,
        "unloading_time": 0.8,
        "loader_wait_time": 0.4,
        "shift_duration": 8.0,
        "preparation_time": 40.0,
        "break_time": 10.0,
        "personal_time": 10.0,
        "working_days": 342,
        "shifts_per_day": 1,
        "technical_availability": 0.85,
        "streams": abaza_streams(trucks()),
    }


TRUCK_FLEET = register(
    Calculation(
        name="truck-fleet",
        title="Truck trip time, output per shift and truck fleet",
        source="003, section 4.2, Tables 10-12",
        inputs_model=TruckFleetInputs,
        compute=compute,
        examples={"abaza": abaza_example},
    )
)
