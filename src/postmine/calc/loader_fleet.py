"""``postmine calc loader-fleet``: front loader output and fleet (003, sec. 4.1, Tables 7-9).

For each waste stream and each truck model it loads, the loader's buckets per truck (by
payload and by body volume), the accepted number of cycles, the in-situ volume per truck
and the shift output; per stream the output weighted over the truck models, the annual
output and the fleet; then the whole fleet. Machines come from the equipment catalogue
(:mod:`postmine.data.equipment`) by name.

The tailings columns of Table 8 in 003 are headed "БелАЗ-75405"; their figures (30 t,
15 m³) are the BelAZ-75404's, the only BelAZ of the project, and the example uses it.

This module is the calculator's adapter: it parses the inputs, calls the 003 machine chain
(:mod:`postmine.chains.machines`: :func:`~postmine.chains.machines.truck_loads`,
:func:`~postmine.chains.machines.loader_output`, :func:`~postmine.chains.machines.loader_fleet`,
SI inside) and reports what it returns in the source's units.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import Field, field_validator, model_validator

from postmine.calc.base import Calculation, CalculationInputs, Quantity, register
from postmine.chains.machines import (
    SECONDS_PER_HOUR,
    LoadedMaterial,
    LoaderFleet,
    LoaderOutput,
    LoaderWork,
    ShiftRegime,
    TruckLoads,
    loader_fleet,
    loader_output,
    truck_loads,
)
from postmine.data.equipment import Equipment, FrontLoader, Truck, get_equipment

K = 1e3  # the source's thousand m³
TABLE_7, TABLE_8, TABLE_9 = "003 Table 7", "003 Table 8", "003 Table 9"


class LoadedTruck(CalculationInputs):
    """A truck model loaded by the loader on one stream, and its share of the stream."""

    truck: str = Field(description="Truck model, a name of the equipment catalogue. [-]")
    share: float = Field(
        ge=0, le=1, description="Share of the stream's volume loaded into this model. [-]"
    )

    @field_validator("truck")
    @classmethod
    def _known_truck(cls, value: str) -> str:
        return get_equipment(value, Truck).name


class LoaderStream(CalculationInputs):
    """One waste stream excavated and loaded by the loader."""

    name: str = Field(min_length=1, description="Name of the stream, indexes the results. [-]")
    annual_volume_thousand_m3: float = Field(
        ge=0, description="Vг, annual volume to load, in place. [thousand m³/year]"
    )
    bulk_density: float = Field(
        gt=0, description="γ, bulk density in the state the volume is counted. [t/m³]"
    )
    bucket_fill_factor: float = Field(gt=0, le=2, description="kн, bucket fill factor. [-]")
    loosening_factor: float = Field(
        default=1.0, ge=1, le=3, description="kр, loosening factor; 1 for loose material. [-]"
    )
    trucks: list[LoadedTruck] = Field(
        min_length=1, description="Truck models loaded and their volume shares. [-]"
    )

    @model_validator(mode="after")
    def _shares_sum_to_one(self) -> LoaderStream:
        names = [t.truck for t in self.trucks]
        if len(set(names)) != len(names):
            raise ValueError(f"stream {self.name!r} lists a truck model twice: {names}")
        total = sum(t.share for t in self.trucks)
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"truck shares of stream {self.name!r} must sum to 1, got {total:g}")
        return self


class LoaderFleetInputs(CalculationInputs):
    """Inputs of the front loader output and fleet."""

    loader: str = Field(description="Front loader model, a name of the equipment catalogue. [-]")
    truck_spotting_time: float = Field(
        ge=0, description="tм, time to spot a truck under the loader. [s]"
    )
    shift_duration: float = Field(gt=0, le=24, description="Tсм, duration of a shift. [h]")
    utilisation: float = Field(
        gt=0, le=1, description="kи, share of the shift time used for work. [-]"
    )
    working_days: int = Field(
        gt=0, le=366, description="N, working days of the loader per year. [day/year]"
    )
    shifts_per_day: int = Field(ge=1, le=4, description="n, shifts per day. [shift/day]")
    fleet_rel_tol: float = Field(
        default=0.005,
        ge=0,
        le=0.1,
        description="Relative excess over a whole number not rounded up to one more machine. [-]",
    )
    streams: list[LoaderStream] = Field(min_length=1, description="Waste streams loaded. [-]")

    @field_validator("loader")
    @classmethod
    def _known_loader(cls, value: str) -> str:
        return get_equipment(value, FrontLoader).name

    @model_validator(mode="after")
    def _unique_streams(self) -> LoaderFleetInputs:
        names = [s.name for s in self.streams]
        if len(set(names)) != len(names):
            raise ValueError(f"stream names must be unique, got {names}")
        return self


def catalogue_quantity(key: str, machine: Equipment, field: str) -> Quantity:
    """Report the catalogue figure ``field`` of ``machine`` with its source: ``V_п[SDLG L975F]``."""
    return Quantity.of(
        key, getattr(machine, field), equation=machine.source_of(field), item=machine.name
    )


@dataclass(frozen=True)
class _Pair:
    """One (stream, truck model) pair the loader loads, with the truck's share of the stream."""

    stream_index: int
    stream: LoaderStream
    truck: Truck
    share: float


@dataclass(frozen=True)
class _Solution:
    """What the chain returns for the inputs: loads, output and fleet (Tables 8, 9)."""

    loads: TruckLoads
    output: LoaderOutput
    fleet: LoaderFleet


def _pairs(inputs: LoaderFleetInputs) -> list[_Pair]:
    """Gather the (stream, truck model) pairs, stream-major."""
    return [
        _Pair(i, stream, get_equipment(loaded.truck, Truck), loaded.share)
        for i, stream in enumerate(inputs.streams)
        for loaded in stream.trucks
    ]


def _solve(inputs: LoaderFleetInputs, loader: FrontLoader, pairs: list[_Pair]) -> _Solution:
    """Run the 003 machine chain (SI) on the pairs: Tables 8 and 9."""
    loads = truck_loads(
        loader,
        [(_material(p.stream), p.truck) for p in pairs],
        [f"stream {p.stream.name!r}, truck {p.truck.name}" for p in pairs],
    )
    output = loader_output(
        loader,
        loads,
        [p.stream_index for p in pairs],
        [p.share for p in pairs],
        LoaderWork(inputs.truck_spotting_time, inputs.utilisation),
        ShiftRegime(
            inputs.shift_duration * SECONDS_PER_HOUR, inputs.shifts_per_day, inputs.working_days
        ),
    )
    fleet = loader_fleet(
        [s.annual_volume_thousand_m3 * K for s in inputs.streams],
        output.annual_output_m3,
        inputs.fleet_rel_tol,
    )
    return _Solution(loads, output, fleet)


def _catalogue_rows(loader: FrontLoader) -> list[Quantity]:
    """Report the loader's catalogue figures with their source (Tables 7, 8)."""
    return [
        catalogue_quantity("loader_bucket_volume_m3", loader, "bucket_volume_m3"),
        catalogue_quantity("loader_cycle_time_s", loader, "cycle_time_s"),
    ]


def truck_catalogue_rows(truck: Truck, *, heaped_load_factor: bool) -> list[Quantity]:
    """Report a truck model's catalogue figures with their source (Tables 8, 10)."""
    rows = [
        catalogue_quantity("truck_payload_t", truck, "payload_t"),
        catalogue_quantity("truck_body_volume_m3", truck, "body_volume_m3"),
    ]
    if heaped_load_factor:
        rows.append(catalogue_quantity("truck_heaped_load_factor", truck, "heaped_load_factor"))
    return rows


def _pair_rows(pair: _Pair, at: int, solution: _Solution) -> list[Quantity]:
    """Report the loads and the loader's output of one pair (Table 8)."""
    loads, Q_э = solution.loads, solution.output.shift_output_m3
    pair_item = (pair.stream.name, pair.truck.name)
    n_q, n_V = loads.buckets_by_payload[at], loads.buckets_by_body_volume[at]
    return [
        Quantity.of("loader_buckets_by_payload", float(n_q), equation=TABLE_8, item=pair_item),
        Quantity.of("loader_buckets_by_body_volume", float(n_V), equation=TABLE_8, item=pair_item),
        Quantity.of(
            "loader_accepted_cycles", int(loads.loader_cycles[at]), equation=TABLE_8, item=pair_item
        ),
        Quantity.of(
            "truck_volume_per_truck_m3",
            float(loads.volume_per_truck_m3[at]),
            equation=TABLE_8,
            item=pair_item,
        ),
        Quantity.of(
            "loader_shift_output_m3_shift", float(Q_э[at]), equation=TABLE_8, item=pair_item
        ),
    ]


def _stream_rows(stream: LoaderStream, s: int, solution: _Solution) -> list[Quantity]:
    """Report the weighted and annual output and the fleet of one stream (Tables 8, 9)."""
    out, name = solution.output, stream.name
    return [
        Quantity.of(
            "loader_weighted_output_m3_shift",
            float(out.weighted_output_m3[s]),
            equation=TABLE_8,
            note="003 prints this truncated to whole m³ (1283.6 -> 1283, 1835.6 -> 1835)",
            item=name,
        ),
        Quantity.of(
            "loader_annual_output_thousand_m3_year",
            float(out.annual_output_m3[s]) / K,
            equation=TABLE_8,
            note="003 multiplies the truncated weighted output and truncates again "
            "(1283 × 295 -> 378.4, 1835 × 295 -> 541.3)",
            item=name,
        ),
        Quantity.of(
            "loader_stream_fleet", float(solution.fleet.fleet[s]), equation=TABLE_9, item=name
        ),
    ]


def compute(inputs: LoaderFleetInputs) -> list[Quantity]:
    """Compute the loader's output per stream and truck model, and the loader fleet."""
    loader = get_equipment(inputs.loader, FrontLoader)
    pairs = _pairs(inputs)
    solution = _solve(inputs, loader, pairs)
    out = _catalogue_rows(loader)
    reported: set[str] = set()
    for s, stream in enumerate(inputs.streams):
        for at, pair in enumerate(pairs):
            if pair.stream_index != s:
                continue
            if pair.truck.name not in reported:
                reported.add(pair.truck.name)
                out += truck_catalogue_rows(pair.truck, heaped_load_factor=True)
            out += _pair_rows(pair, at, solution)
        out += _stream_rows(stream, s, solution)
    fleet = solution.fleet
    out += [
        Quantity.of("loader_fleet_sum", fleet.total, equation=TABLE_9),
        Quantity.of("loader_fleet_whole", fleet.whole, equation=TABLE_9),
    ]
    return out


def _material(stream: LoaderStream) -> LoadedMaterial:
    """Return what the loader loads on ``stream``."""
    return LoadedMaterial(stream.bulk_density, stream.bucket_fill_factor, stream.loosening_factor)


def abaza_streams(trucks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return the two streams 003 loads and hauls (Tables 8 and 11), each with ``trucks``.

    Annual volumes are the in-situ volumes of Table 4 (49.1 and 465.1 thousand m³); sludge
    and ash are not handled by the fleet (003 sec. 3.1). Tailings: γ = 2.2 t/m³ as in Tables
    8 and 11 (Table 4 gives 2.15), bucket fill 1.1, no loosening (printed "-").
    """
    rock = {
        "name": "waste rock",
        "annual_volume_thousand_m3": 49.1,
        "bulk_density": 2.85,
        "bucket_fill_factor": 1.0,
        "loosening_factor": 1.3,
    }
    tailings = {
        "name": "tailings",
        "annual_volume_thousand_m3": 465.1,
        "bulk_density": 2.2,
        "bucket_fill_factor": 1.1,
        "loosening_factor": 1.0,
    }
    return [{**rock, "trucks": list(trucks)}, {**tailings, "trucks": list(trucks)}]


def abaza_example() -> dict[str, Any]:
    """Return the inputs of 003, Tables 8 and 9 (waste rock and dry-separation tailings).

    Annual volumes are the in-situ volumes of Table 4 (49.1 and 465.1 thousand m³).
    Tailings: γ = 2.2 t/m³ as in Table 8 (Table 4 gives 2.15) and no loosening factor
    (Table 8 prints "-"). Truck shares 0.6 / 0.4: 003 does not print them; they reproduce
    its weighted outputs.
    """

    def trucks() -> list[dict[str, Any]]:
        return [{"truck": "BelAZ-75404", "share": 0.6}, {"truck": "KamAZ-6520", "share": 0.4}]

    return {
        "loader": "SDLG L975F",
        "truck_spotting_time": 42.0,
        "shift_duration": 8.0,
        "utilisation": 0.85,
        "working_days": 295,
        "shifts_per_day": 1,
        "streams": abaza_streams(trucks()),
    }


LOADER_FLEET = register(
    Calculation(
        name="loader-fleet",
        title="Front loader output per shift and year, and loader fleet",
        source="003, section 4.1, Tables 7-9",
        inputs_model=LoaderFleetInputs,
        compute=compute,
        examples={"abaza": abaza_example},
    )
)
