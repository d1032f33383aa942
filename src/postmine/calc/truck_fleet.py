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

The steps are structured functions shared with the project engine
(:mod:`postmine.project.backfill`): the loads per truck come from
:func:`postmine.calc.loader_fleet.truck_loads`, :func:`solve_output` gives Table 11 and
:func:`solve_fleet` Table 12; :func:`compute` reports what they return.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from pydantic import Field, field_validator, model_validator

from postmine.calc.base import Calculation, CalculationInputs, Quantity, register
from postmine.calc.loader_fleet import abaza_streams, rows_by_stream, truck_loads
from postmine.data.equipment import FrontLoader, Truck, get_equipment
from postmine.methods.haulage import (
    listed_fleet,
    required_fleet,
    round_up_fleet,
    shift_volume,
    split_volume,
    truck_loading_time,
    truck_shift_output,
    truck_travel_time,
    truck_trip_time,
)

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
class TruckOutput:
    """Trip and shift output of each (stream, truck model) pair (Table 11 of 003).

    Attributes
    ----------
    travel_time : ndarray
        tо, driving time per trip. [min]
    loading_time : ndarray
        tп, loading time per truck. [min]
    trip_time : ndarray
        tоб, duration of one trip. [min]
    shift_output : ndarray
        Нв, output norm of the truck. [m³/shift]
    """

    travel_time: npt.NDArray[np.float64]
    loading_time: npt.NDArray[np.float64]
    trip_time: npt.NDArray[np.float64]
    shift_output: npt.NDArray[np.float64]


def solve_output(
    loader_cycle_time: float,
    loader_cycles: npt.ArrayLike,
    volume_per_truck: npt.ArrayLike,
    haul_distance: npt.ArrayLike,
    average_speed: float,
    load_spotting_time: float,
    unload_spotting_time: float,
    unloading_time: float,
    loader_wait_time: float,
    shift_duration: float,
    preparation_time: float,
    break_time: float,
    personal_time: float,
) -> TruckOutput:
    """Compute the trip time and shift output of every pair (vectorised over the pairs).

    ``loader_cycles`` and ``volume_per_truck`` come from
    :func:`postmine.calc.loader_fleet.truck_loads`; ``haul_distance`` may differ per pair.
    Used by :func:`compute` and by the project engine.

    Raises
    ------
    ValueError
        If a value is out of range as in :mod:`postmine.methods.haulage`.
    """
    t_о = _floats(truck_travel_time(_floats(haul_distance), average_speed))
    t_п = _floats(truck_loading_time(_floats(loader_cycles), loader_cycle_time))
    t_об = _floats(
        truck_trip_time(
            t_о,
            t_п,
            unloading_time,
            loader_wait_time,
            unload_spotting_time,
            load_spotting_time,
        )
    )
    Н_в = _floats(
        truck_shift_output(
            _floats(volume_per_truck),
            t_об,
            shift_duration,
            preparation_time,
            break_time,
            personal_time,
        )
    )
    t_о, t_п, t_об, Н_в = np.broadcast_arrays(t_о, t_п, t_об, Н_в)
    return TruckOutput(t_о, t_п, t_об, Н_в)


@dataclass(frozen=True)
class TruckFleet:
    """The truck fleet of Table 12 of 003, per pair and per truck model.

    Attributes
    ----------
    annual_volume : ndarray
        Vг per pair. [thousand m³/year]
    shift_volume : ndarray
        Vсм per pair. [m³/shift]
    working_fleet : ndarray
        Nа per pair, not rounded. [-]
    listed_fleet : ndarray
        Nсп per pair, not rounded. [-]
    model_fleet : dict
        ΣNсп per truck model, not rounded, in order of first appearance. [-]
    model_whole : dict
        Whole trucks per model. [-]
    total : int
        Whole trucks of all models. [-]
    """

    annual_volume: npt.NDArray[np.float64]
    shift_volume: npt.NDArray[np.float64]
    working_fleet: npt.NDArray[np.float64]
    listed_fleet: npt.NDArray[np.float64]
    model_fleet: dict[str, float]
    model_whole: dict[str, int]
    total: int


def solve_fleet(
    trucks: Sequence[str],
    stream_index: Sequence[int],
    annual_volume_thousand_m3: npt.ArrayLike,
    weights: npt.ArrayLike,
    shift_output: npt.ArrayLike,
    working_days: int,
    shifts_per_day: int,
    technical_availability: float,
    fleet_rel_tol: float,
) -> TruckFleet:
    """Split each stream between its truck models and compute the fleets (Table 12 of 003).

    ``trucks`` and ``stream_index`` name the model and the stream (0, 1, ...) of each pair;
    ``weights`` split each stream's annual volume between its pairs (the shift outputs, as
    003 does, or volume shares). Used by :func:`compute` and by the project engine.

    Raises
    ------
    ValueError
        If a value is out of range as in :mod:`postmine.methods.haulage`.
    """
    V = _floats(annual_volume_thousand_m3)
    w = _floats(weights)
    V_г = np.empty(len(trucks))
    for s, rows in enumerate(rows_by_stream(stream_index)):
        V_г[rows] = split_volume(float(V[s]), w[rows])
    V_см = _floats(shift_volume(V_г * 1000.0, working_days, shifts_per_day))
    N_а = _floats(required_fleet(V_см, _floats(shift_output)))
    N_сп = _floats(listed_fleet(N_а, technical_availability))
    model_fleet: dict[str, float] = {}
    for name, fleet in zip(trucks, N_сп.tolist(), strict=True):
        model_fleet[name] = model_fleet.get(name, 0.0) + fleet
    whole = np.atleast_1d(round_up_fleet(_floats(list(model_fleet.values())), fleet_rel_tol))
    model_whole = {name: int(n) for name, n in zip(model_fleet, whole.tolist(), strict=True)}
    return TruckFleet(V_г, V_см, N_а, N_сп, model_fleet, model_whole, sum(model_whole.values()))


def _floats(values: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Return ``values`` as an array of floats."""
    return np.asarray(values, dtype=np.float64)


def compute(inputs: TruckFleetInputs) -> list[Quantity]:
    """Compute the trucks' trips and output per stream and model, and the truck fleet."""
    loader = get_equipment(inputs.loader, FrontLoader)
    V_п, T_ц = loader.bucket_volume_m3, loader.cycle_time_s
    pairs = [
        (i, stream, get_equipment(hauling.truck, Truck), hauling.volume_share)
        for i, stream in enumerate(inputs.streams)
        for hauling in stream.trucks
    ]
    loads = truck_loads(
        V_п,
        [truck.payload_t for _, _, truck, _ in pairs],
        [truck.body_volume_m3 for _, _, truck, _ in pairs],
        [truck.heaped_load_factor for _, _, truck, _ in pairs],
        [stream.bulk_density for _, stream, _, _ in pairs],
        [stream.bucket_fill_factor for _, stream, _, _ in pairs],
        [stream.loosening_factor for _, stream, _, _ in pairs],
        [f"stream {stream.name!r}, truck {truck.name}" for _, stream, truck, _ in pairs],
    )
    output = solve_output(
        T_ц,
        loads.loader_cycles,
        loads.volume_per_truck,
        inputs.haul_distance,
        inputs.average_speed,
        inputs.load_spotting_time,
        inputs.unload_spotting_time,
        inputs.unloading_time,
        inputs.loader_wait_time,
        inputs.shift_duration,
        inputs.preparation_time,
        inputs.break_time,
        inputs.personal_time,
    )
    # per stream: split by the shift outputs unless every model of the stream gives a share
    by_outputs = {
        i: any(t.volume_share is None for t in stream.trucks)
        for i, stream in enumerate(inputs.streams)
    }
    weights = [
        float(output.shift_output[p]) if by_outputs[i] else (share or 0.0)
        for p, (i, _, _, share) in enumerate(pairs)
    ]
    fleet = solve_fleet(
        [truck.name for _, _, truck, _ in pairs],
        [i for i, _, _, _ in pairs],
        [s.annual_volume_thousand_m3 for s in inputs.streams],
        weights,
        output.shift_output,
        inputs.working_days,
        inputs.shifts_per_day,
        inputs.technical_availability,
        inputs.fleet_rel_tol,
    )
    out = [
        Quantity(
            f"V_п[{loader.name}]",
            "bucket volume of the loader",
            V_п,
            "m³",
            loader.source_of("bucket_volume_m3"),
        ),
        Quantity(
            f"T_ц[{loader.name}]",
            "duration of the loader's working cycle",
            T_ц,
            "s",
            loader.source_of("cycle_time_s"),
        ),
        Quantity(
            "t_о",
            "driving time per trip (there and back)",
            float(output.travel_time[0]),
            "min",
            TABLE_11,
        ),
    ]
    reported: set[str] = set()
    for s, stream in enumerate(inputs.streams):
        rows = [p for p, pair in enumerate(pairs) if pair[0] == s]
        for p in rows:
            truck = pairs[p][2]
            if truck.name not in reported:
                reported.add(truck.name)
                out += [
                    Quantity(
                        f"q_а[{truck.name}]",
                        "payload of the truck",
                        truck.payload_t,
                        "t",
                        truck.source_of("payload_t"),
                    ),
                    Quantity(
                        f"V_а[{truck.name}]",
                        "geometric body volume of the truck",
                        truck.body_volume_m3,
                        "m³",
                        truck.source_of("body_volume_m3"),
                    ),
                ]
            key = f"[{stream.name}, {truck.name}]"
            out += [
                Quantity(
                    f"n_ц{key}", "loader cycles per truck", int(loads.loader_cycles[p]), "", TABLE_8
                ),
                Quantity(
                    f"V_аф{key}",
                    "in-situ volume per truck",
                    float(loads.volume_per_truck[p]),
                    "m³",
                    TABLE_11,
                ),
                Quantity(
                    f"t_п{key}",
                    "loading time per truck",
                    float(output.loading_time[p]),
                    "min",
                    TABLE_11,
                ),
                Quantity(
                    f"t_об{key}",
                    "duration of one trip",
                    float(output.trip_time[p]),
                    "min",
                    TABLE_11,
                ),
                Quantity(
                    f"Н_в{key}",
                    "output norm of the truck",
                    float(output.shift_output[p]),
                    "m³/shift",
                    TABLE_11,
                ),
            ]
        how = (
            "split in proportion to the shift outputs, as 003 does"
            if by_outputs[s]
            else "split by the given volume shares"
        )
        for p in rows:
            key = f"[{stream.name}, {pairs[p][2].name}]"
            out += [
                Quantity(
                    f"V_г{key}",
                    f"annual haulage ({how})",
                    float(fleet.annual_volume[p]),
                    "thousand m³/year",
                    TABLE_12,
                ),
                Quantity(
                    f"V_см{key}",
                    "haulage per shift",
                    float(fleet.shift_volume[p]),
                    "m³/shift",
                    TABLE_12,
                ),
                Quantity(f"N_а{key}", "working fleet", float(fleet.working_fleet[p]), "", TABLE_12),
                Quantity(
                    f"N_сп{key}",
                    "listed fleet",
                    float(fleet.listed_fleet[p]),
                    "",
                    TABLE_12,
                    note="003 prints the formula Nа ∙ kтг; its numbers are Nа / kтг",
                ),
            ]
    for name, total in fleet.model_fleet.items():
        out += [
            Quantity(
                f"ΣN_сп[{name}]", "listed fleet of the model, sum over streams", total, "", TABLE_12
            ),
            Quantity(
                f"N_сп[{name}]",
                "listed fleet of the model, whole trucks",
                fleet.model_whole[name],
                "",
                TABLE_12,
            ),
        ]
    out.append(Quantity("N_сп", "listed truck fleet, whole trucks", fleet.total, "", TABLE_12))
    return out


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
