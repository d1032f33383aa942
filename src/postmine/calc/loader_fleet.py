"""``postmine calc loader-fleet``: front loader output and fleet (003, sec. 4.1, Tables 7-9).

For each waste stream and each truck model it loads, the loader's buckets per truck (by
payload and by body volume), the accepted number of cycles, the in-situ volume per truck
and the shift output; per stream the output weighted over the truck models, the annual
output and the fleet; then the whole fleet. Machines come from the equipment catalogue
(:mod:`postmine.data.equipment`) by name.

The tailings columns of Table 8 in 003 are headed "БелАЗ-75405"; their figures (30 t,
15 m³) are the BelAZ-75404's, the only BelAZ of the project, and the example uses it.

The steps are structured functions shared with the project engine
(:mod:`postmine.project.backfill`): :func:`truck_loads` (buckets and load per truck,
vectorised over the (stream, truck) pairs), :func:`solve_output` (Table 8) and
:func:`solve_fleet` (Table 9); :func:`compute` reports what they return.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from pydantic import Field, field_validator, model_validator

from postmine.calc.base import Calculation, CalculationInputs, Quantity, register
from postmine.data.equipment import FrontLoader, Truck, get_equipment
from postmine.methods.haulage import (
    accepted_bucket_count,
    annual_output,
    buckets_by_body_volume,
    buckets_by_payload,
    in_situ_volume_per_truck,
    loader_shift_output,
    required_fleet,
    round_up_fleet,
    weighted_loader_output,
)

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


@dataclass(frozen=True)
class TruckLoads:
    """How the loader fills each truck: one entry per (stream, truck model) pair of Table 8.

    Attributes
    ----------
    buckets_by_payload : ndarray
        nк by payload, fractional. [-]
    buckets_by_body_volume : ndarray
        nк by body volume, fractional. [-]
    loader_cycles : ndarray of int
        nц, accepted loader cycles per truck. [-]
    volume_per_truck : ndarray
        Vаф, in-situ volume per truck. [m³]
    """

    buckets_by_payload: npt.NDArray[np.float64]
    buckets_by_body_volume: npt.NDArray[np.float64]
    loader_cycles: npt.NDArray[np.int64]
    volume_per_truck: npt.NDArray[np.float64]


def truck_loads(
    bucket_volume: float,
    payload: npt.ArrayLike,
    body_volume: npt.ArrayLike,
    heaped_load_factor: npt.ArrayLike,
    bulk_density: npt.ArrayLike,
    bucket_fill_factor: npt.ArrayLike,
    loosening_factor: npt.ArrayLike,
    labels: Sequence[str],
) -> TruckLoads:
    """Fill each truck with whole buckets: the bucket counts and loads of Table 8 of 003.

    Every array has one entry per (stream, truck model) pair (or broadcasts to it);
    ``labels`` name the pairs in error messages (``"stream 'tailings', truck KamAZ-6520"``).

    Raises
    ------
    ValueError
        If a bucket is too large for a truck (the message names the pair), or a value is
        out of range as in :mod:`postmine.methods.haulage`.
    """
    k_н, k_р = _floats(bucket_fill_factor), _floats(loosening_factor)
    n_q = _floats(
        buckets_by_payload(_floats(payload), bucket_volume, _floats(bulk_density), k_н, k_р)
    )
    n_V = _floats(
        buckets_by_body_volume(
            _floats(body_volume), bucket_volume, k_н, _floats(heaped_load_factor)
        )
    )
    n_q, n_V = np.broadcast_arrays(n_q, n_V)
    try:
        n_ц = np.asarray(accepted_bucket_count(n_q, n_V), dtype=np.int64)
    except ValueError:
        for label, q, v in zip(labels, n_q.tolist(), n_V.tolist(), strict=False):
            try:
                accepted_bucket_count(q, v)
            except ValueError as exc:
                raise ValueError(f"{label}: {exc}") from None
        raise
    V_аф = _floats(in_situ_volume_per_truck(_floats(n_ц), bucket_volume, k_н, k_р))
    return TruckLoads(n_q, n_V, n_ц, V_аф)


@dataclass(frozen=True)
class LoaderOutput:
    """Output of the loader per (stream, truck) pair and per stream (Table 8 of 003).

    Attributes
    ----------
    shift_output : ndarray
        Qэ per pair. [m³/shift]
    weighted_output : ndarray
        Qэсв per stream, weighted over its truck models. [m³/shift]
    annual_output : ndarray
        Qгсв per stream. [thousand m³/year]
    """

    shift_output: npt.NDArray[np.float64]
    weighted_output: npt.NDArray[np.float64]
    annual_output: npt.NDArray[np.float64]


def solve_output(
    loader: FrontLoader,
    loads: TruckLoads,
    stream_index: Sequence[int],
    shares: npt.ArrayLike,
    truck_spotting_time: float,
    shift_duration: float,
    utilisation: float,
    working_days: int,
    shifts_per_day: int,
) -> LoaderOutput:
    """Compute the loader's shift output per pair and its weighted and annual output per stream.

    ``stream_index`` gives the stream (0, 1, ...) of each pair; ``shares`` the pair's share
    of its stream's loaded volume. Used by :func:`compute` and by the project engine.

    Raises
    ------
    ValueError
        If a value is out of range as in :mod:`postmine.methods.haulage`.
    """
    Q_э = _floats(
        loader_shift_output(
            loads.volume_per_truck,
            _floats(loads.loader_cycles),
            loader.cycle_time_s,
            truck_spotting_time,
            shift_duration,
            utilisation,
        )
    )
    s = _floats(shares)
    Q_эсв = np.array(
        [float(weighted_loader_output(Q_э[rows], s[rows])) for rows in rows_by_stream(stream_index)]
    )
    Q_гсв = _floats(annual_output(Q_эсв, working_days, shifts_per_day)) / 1000.0
    return LoaderOutput(Q_э, Q_эсв, Q_гсв)


@dataclass(frozen=True)
class LoaderFleet:
    """The loader fleet of Table 9 of 003.

    Attributes
    ----------
    fleet : ndarray
        Nсп per stream, not rounded. [-]
    total : float
        ΣNсп over the streams, not rounded. [-]
    whole : int
        Whole loaders. [-]
    """

    fleet: npt.NDArray[np.float64]
    total: float
    whole: int


def solve_fleet(
    annual_volume_thousand_m3: npt.ArrayLike,
    annual_output_thousand_m3: npt.ArrayLike,
    fleet_rel_tol: float,
) -> LoaderFleet:
    """Compute the loader fleet per stream and in whole machines (Table 9 of 003).

    Raises
    ------
    ValueError
        If a value is out of range as in :mod:`postmine.methods.haulage`.
    """
    N_сп = _floats(
        required_fleet(_floats(annual_volume_thousand_m3), _floats(annual_output_thousand_m3))
    )
    total = float(N_сп.sum())
    return LoaderFleet(N_сп, total, int(round_up_fleet(total, fleet_rel_tol)))


def _floats(values: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Return ``values`` as an array of floats."""
    return np.asarray(values, dtype=np.float64)


def rows_by_stream(stream_index: Sequence[int]) -> list[npt.NDArray[np.intp]]:
    """Return the positions of the pairs of each stream 0, 1, ..., in stream order.

    Examples
    --------
    >>> [rows.tolist() for rows in rows_by_stream([0, 0, 1, 1])]
    [[0, 1], [2, 3]]
    """
    idx = np.asarray(stream_index)
    return [np.flatnonzero(idx == s) for s in range(int(idx.max()) + 1)]


def compute(inputs: LoaderFleetInputs) -> list[Quantity]:
    """Compute the loader's output per stream and truck model, and the loader fleet."""
    loader = get_equipment(inputs.loader, FrontLoader)
    V_п, T_ц = loader.bucket_volume_m3, loader.cycle_time_s
    pairs = [
        (i, stream, get_equipment(loaded.truck, Truck), loaded.share)
        for i, stream in enumerate(inputs.streams)
        for loaded in stream.trucks
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
        loader,
        loads,
        [i for i, _, _, _ in pairs],
        [share for _, _, _, share in pairs],
        inputs.truck_spotting_time,
        inputs.shift_duration,
        inputs.utilisation,
        inputs.working_days,
        inputs.shifts_per_day,
    )
    fleet = solve_fleet(
        [s.annual_volume_thousand_m3 for s in inputs.streams],
        output.annual_output,
        inputs.fleet_rel_tol,
    )
    out = [
        Quantity(
            f"V_п[{loader.name}]",
            "geometric bucket volume of the loader",
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
    ]
    reported: set[str] = set()
    for s, stream in enumerate(inputs.streams):
        for p, (i, _, truck, _) in enumerate(pairs):
            if i != s:
                continue
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
                    Quantity(
                        f"k_ш[{truck.name}]",
                        "body volume factor of a heaped load",
                        truck.heaped_load_factor,
                        "",
                        truck.source_of("heaped_load_factor"),
                    ),
                ]
            key = f"[{stream.name}, {truck.name}]"
            out += [
                Quantity(
                    f"n_к(q){key}",
                    "buckets per truck by payload",
                    float(loads.buckets_by_payload[p]),
                    "",
                    TABLE_8,
                ),
                Quantity(
                    f"n_к(V){key}",
                    "buckets per truck by body volume",
                    float(loads.buckets_by_body_volume[p]),
                    "",
                    TABLE_8,
                ),
                Quantity(
                    f"n_ц{key}",
                    "accepted loader cycles per truck (payload count rounded, "
                    "at most the body count)",
                    int(loads.loader_cycles[p]),
                    "",
                    TABLE_8,
                ),
                Quantity(
                    f"V_аф{key}",
                    "in-situ volume per truck",
                    float(loads.volume_per_truck[p]),
                    "m³",
                    TABLE_8,
                ),
                Quantity(
                    f"Q_э{key}",
                    "operating output of the loader",
                    float(output.shift_output[p]),
                    "m³/shift",
                    TABLE_8,
                ),
            ]
        out += [
            Quantity(
                f"Q_эсв[{stream.name}]",
                "operating output weighted over the truck models",
                float(output.weighted_output[s]),
                "m³/shift",
                TABLE_8,
                note="003 prints this truncated to whole m³ (1283.6 -> 1283, 1835.6 -> 1835)",
            ),
            Quantity(
                f"Q_гсв[{stream.name}]",
                "annual weighted output of the loader",
                float(output.annual_output[s]),
                "thousand m³/year",
                TABLE_8,
                note="003 multiplies the truncated weighted output and truncates again "
                "(1283 × 295 -> 378.4, 1835 × 295 -> 541.3)",
            ),
            Quantity(
                f"N_сп[{stream.name}]",
                "loader fleet for the stream",
                float(fleet.fleet[s]),
                "",
                TABLE_9,
            ),
        ]
    out += [
        Quantity("ΣN_сп", "loader fleet, sum over the streams", fleet.total, "", TABLE_9),
        Quantity("N_сп", "loader fleet, whole machines", fleet.whole, "", TABLE_9),
    ]
    return out


def abaza_streams(trucks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return the two streams 003 loads and hauls (Tables 8 and 11), each with ``trucks``.

    Annual volumes are the in-situ volumes of Table 4 (49.1 and 465.1 thousand m³); sludge
    and ash are not handled by the fleet (003 sec. 3.1). Tailings: γ = 2.2 t/m³ as in Tables
    8 and 11 (Table 4 gives 2.15), bucket fill 1.1, no loosening (printed "-").
    """
    rock = {"name": "waste rock", "annual_volume_thousand_m3": 49.1, "bulk_density": 2.85,
            "bucket_fill_factor": 1.0, "loosening_factor": 1.3}  # fmt: skip
    tailings = {"name": "tailings", "annual_volume_thousand_m3": 465.1, "bulk_density": 2.2,
                "bucket_fill_factor": 1.1, "loosening_factor": 1.0}  # fmt: skip
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
