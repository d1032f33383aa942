"""The 003 machine chain: front loader -> trucks -> bulldozer (003 sec. 4, Tables 7-15).

One home for the chain that loads waste into trucks, hauls it to the dump and pushes it
with a bulldozer. The calculator (:mod:`postmine.calc.loader_fleet`,
:mod:`~postmine.calc.truck_fleet`, :mod:`~postmine.calc.dozer_fleet`), the backfill design
(:mod:`postmine.project.backfill`) and the dump design call these functions; none of them
strings the formulas of :mod:`postmine.methods.haulage` and :mod:`postmine.methods.dozing`
again.

Units: SI inside and at this API -- volumes in m³ (annual volumes in m³/year, outputs in
m³/shift, the shift being the unit of the work regime), masses in t, distances in m, speeds
in m/s, times in s, angles in degrees. The methods of 003 are defined in km, km/h, min and
h; the conversion happens only at the call into them.

Public API
----------
Inputs (frozen dataclasses):

* :class:`LoadedMaterial` -- what the loader loads: ``bulk_density_t_m3`` (``None`` when
  no density is known: the truck then takes the whole buckets its heaped body holds),
  ``bucket_fill_factor``, ``loosening_factor``.
* :class:`ShiftRegime` -- ``shift_duration_s``, ``shifts_per_day``, ``working_days``.
* :class:`LoaderWork` -- ``truck_spotting_time_s``, ``utilisation`` of the loader.
* :class:`TruckCycle` -- ``average_speed_m_s`` and the fixed times of a trip and a shift
  (spotting, unloading, waiting, preparation, break, personal needs), all in s;
  :meth:`TruckCycle.from_source_units` builds it from 003's km/h and minutes (a project
  file's ``[haulage]``, the calculator's inputs).

Steps (vectorised over (material, truck model) pairs, material-major):

* :func:`truck_loads` ``(loader, pairs) -> TruckLoads`` -- buckets and in-situ volume per
  truck (Table 8);
* :func:`loader_output` ``(loader, loads, stream_index, shares, work, regime)`` ->
  :class:`LoaderOutput` -- shift output per pair, weighted and annual output per stream
  (Table 8);
* :func:`loader_fleet` ``(annual_volume_m3, annual_output_m3, fleet_rel_tol)`` ->
  :class:`LoaderFleet` (Table 9);
* :func:`truck_output` ``(loader, loads, haul_distance_m, cycle, shift_duration_s)`` ->
  :class:`TruckOutput` -- trip time and output norm per pair (Table 11);
* :func:`truck_fleet` ``(trucks, stream_index, annual_volume_m3, weights, shift_output_m3,
  regime, technical_availability, fleet_rel_tol)`` -> :class:`TruckFleet` (Table 12).

The bulldozer, the last link, is in :mod:`postmine.chains.dozing` (same units):

* :func:`~postmine.chains.dozing.dozer_output` ``(dozer, push_distance_m,
  material_repose_angle_deg, loosening_factor, terrain_factor, shift_duration_s,
  utilisation, push_loss_rate=0.005)`` -> ``DozerOutput`` (Table 14);
  :func:`~postmine.chains.dozing.dozer_shift_outputs` (same arguments, arrays of push
  distances and loosening factors) -> П_см for each [m³/shift];
* :func:`~postmine.chains.dozing.dozer_fleet` ``(dumped_volume_m3, dozed_fraction,
  shift_output_m3, regime, reserve_factor, fleet_rel_tol)`` -> ``DozerFleet`` (Table 15).

One stream from the loader to the trucks, e.g. the topsoil of a dump:

* :func:`haul_chain` ``(loader, truck_shares, material, haul_distance_m, work, cycle,
  shift_duration_s)`` -> :class:`HaulChain` -- the loads, the loader's weighted output
  (Q_эсв, m³/shift) and each truck model's output norm (Н_в, m³/shift), by model name as
  given in ``truck_shares``; :meth:`HaulChain.machine_shifts` turns a volume into the
  machine-shifts of the loader and of each truck model.

Examples
--------
>>> from postmine.data.equipment import FrontLoader, get_equipment
>>> loader = get_equipment("SDLG L975F", FrontLoader)
>>> trucks = {"BelAZ-75404": 0.6, "KamAZ-6520": 0.4}
>>> rock = LoadedMaterial(bulk_density_t_m3=2.85, bucket_fill_factor=1.0,
...                       loosening_factor=1.3)
>>> cycle = TruckCycle(average_speed_m_s=22 / 3.6, load_spotting_time_s=42.0,
...                    unload_spotting_time_s=36.0, unloading_time_s=48.0,
...                    loader_wait_time_s=24.0, preparation_time_s=2400.0,
...                    break_time_s=600.0, personal_time_s=600.0)
>>> chain = haul_chain(loader, trucks, rock, 2000.0, LoaderWork(42.0, 0.85), cycle,
...                    8 * 3600.0)
>>> round(chain.loader_weighted_output_m3)
1284
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from postmine.core.checks import at_least, in_range, non_negative, positive
from postmine.data.equipment import FrontLoader, Truck, get_equipment
from postmine.methods.haulage import (
    accepted_bucket_count,
    annual_output,
    buckets_by_body_volume,
    buckets_by_payload,
    in_situ_volume_per_truck,
    listed_fleet,
    loader_shift_output,
    required_fleet,
    round_up_fleet,
    shift_volume,
    split_volume,
    truck_loading_time,
    truck_shift_output,
    truck_travel_time,
    truck_trip_time,
    weighted_loader_output,
)

__all__ = [
    "HaulChain",
    "LoadedMaterial",
    "LoaderFleet",
    "LoaderOutput",
    "LoaderWork",
    "ShiftRegime",
    "TruckCycle",
    "TruckFleet",
    "TruckLoads",
    "TruckOutput",
    "haul_chain",
    "loader_fleet",
    "loader_output",
    "rows_by_stream",
    "truck_fleet",
    "truck_loads",
    "truck_output",
]

SECONDS_PER_MINUTE = 60.0
SECONDS_PER_HOUR = 3600.0
METRES_PER_KM = 1000.0
#: m/s -> km/h
KM_H_PER_M_S = 3.6

FloatArray = npt.NDArray[np.float64]


def _floats(values: npt.ArrayLike) -> FloatArray:
    """Return ``values`` as an array of floats."""
    return np.asarray(values, dtype=np.float64)


# ---- inputs -------------------------------------------------------------------------------


@dataclass(frozen=True)
class LoadedMaterial:
    """A material the loader loads into trucks (003 Table 8).

    Parameters
    ----------
    bulk_density_t_m3 : float or None
        γ, bulk density in the state the volume is counted; ``None`` when no density is
        known (the truck then takes the whole buckets its heaped body holds). [t/m³]
    bucket_fill_factor : float
        k_н, bucket fill factor. [-]
    loosening_factor : float
        k_р, loosening factor; 1 for loose material. [-]

    Raises
    ------
    ValueError
        If the density or the fill factor is not positive, or the loosening factor is
        below 1.
    """

    bulk_density_t_m3: float | None
    bucket_fill_factor: float
    loosening_factor: float = 1.0

    def __post_init__(self) -> None:
        if self.bulk_density_t_m3 is not None:
            positive("bulk_density_t_m3", self.bulk_density_t_m3, "t/m³")
        positive("bucket_fill_factor", self.bucket_fill_factor)
        at_least("loosening_factor", self.loosening_factor, 1.0)


@dataclass(frozen=True)
class ShiftRegime:
    """The work regime of a machine (003 Tables 8, 12, 15).

    Parameters
    ----------
    shift_duration_s : float
        T_см, duration of a shift. [s]
    shifts_per_day : int
        n, shifts per day. [shift/day]
    working_days : int
        N, working days per year. [day/year]
    """

    shift_duration_s: float
    shifts_per_day: int
    working_days: int

    def __post_init__(self) -> None:
        in_range("shift_duration_s", self.shift_duration_s, 0.0, 86_400.0, "s",
                 low_inclusive=False)  # fmt: skip
        in_range("shifts_per_day", self.shifts_per_day, 0.0, 4.0, "shift/day",
                 low_inclusive=False)  # fmt: skip
        in_range("working_days", self.working_days, 0.0, 366.0, "day/year",
                 low_inclusive=False)  # fmt: skip


@dataclass(frozen=True)
class LoaderWork:
    """How the loader works a shift (003 Table 8).

    Parameters
    ----------
    truck_spotting_time_s : float
        t_м, time to spot a truck under the loader. [s]
    utilisation : float
        k_и, share of the shift time used for work. [-]
    """

    truck_spotting_time_s: float
    utilisation: float

    def __post_init__(self) -> None:
        non_negative("truck_spotting_time_s", self.truck_spotting_time_s, "s")
        in_range("utilisation", self.utilisation, 0.0, 1.0, low_inclusive=False)


@dataclass(frozen=True)
class TruckCycle:
    """Speed and fixed times of a truck's trip and shift (003 Table 11), all in s.

    Parameters
    ----------
    average_speed_m_s : float
        V_с, average trip speed. [m/s]
    load_spotting_time_s, unload_spotting_time_s : float
        t_уп, t_ур, spotting for loading and for unloading. [s]
    unloading_time_s : float
        t_р, unloading. [s]
    loader_wait_time_s : float
        t_ожп, waiting at the loader. [s]
    preparation_time_s : float
        T_пз + T_об, preparation, closing and servicing per shift. [s]
    break_time_s : float
        T_пт, regulated break per shift. [s]
    personal_time_s : float
        T_лн, personal needs per shift. [s]
    """

    average_speed_m_s: float
    load_spotting_time_s: float
    unload_spotting_time_s: float
    unloading_time_s: float
    loader_wait_time_s: float
    preparation_time_s: float
    break_time_s: float
    personal_time_s: float

    def __post_init__(self) -> None:
        positive("average_speed_m_s", self.average_speed_m_s, "m/s")
        for name in (
            "load_spotting_time_s",
            "unload_spotting_time_s",
            "unloading_time_s",
            "loader_wait_time_s",
            "preparation_time_s",
            "break_time_s",
            "personal_time_s",
        ):
            non_negative(name, getattr(self, name), "s")

    @classmethod
    def from_source_units(
        cls,
        *,
        average_speed_km_h: float,
        load_spotting_time_min: float,
        unload_spotting_time_min: float,
        unloading_time_min: float,
        loader_wait_time_min: float,
        preparation_time_min: float,
        break_time_min: float,
        personal_time_min: float,
    ) -> TruckCycle:
        """Return the cycle from 003's units (Table 11): speed in km/h, times in min.

        The edge where a project file or the calculator, which keep 003's units, enter the
        chain.

        Examples
        --------
        >>> TruckCycle.from_source_units(
        ...     average_speed_km_h=36.0, load_spotting_time_min=0.7, unload_spotting_time_min=0.6,
        ...     unloading_time_min=0.8, loader_wait_time_min=0.4, preparation_time_min=40.0,
        ...     break_time_min=10.0, personal_time_min=10.0,
        ... ).average_speed_m_s
        10.0
        """
        minute = SECONDS_PER_MINUTE
        return cls(
            average_speed_m_s=average_speed_km_h / KM_H_PER_M_S,
            load_spotting_time_s=load_spotting_time_min * minute,
            unload_spotting_time_s=unload_spotting_time_min * minute,
            unloading_time_s=unloading_time_min * minute,
            loader_wait_time_s=loader_wait_time_min * minute,
            preparation_time_s=preparation_time_min * minute,
            break_time_s=break_time_min * minute,
            personal_time_s=personal_time_min * minute,
        )


# ---- loader -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TruckLoads:
    """How the loader fills each truck: one entry per (material, truck model) pair.

    Attributes
    ----------
    buckets_by_payload : ndarray
        n_к by payload, fractional (by body volume where no density is known). [-]
    buckets_by_body_volume : ndarray
        n_к by body volume, fractional. [-]
    loader_cycles : ndarray of int
        n_ц, accepted loader cycles per truck. [-]
    volume_per_truck_m3 : ndarray
        V_аф, in-situ volume per truck. [m³]
    """

    buckets_by_payload: FloatArray
    buckets_by_body_volume: FloatArray
    loader_cycles: npt.NDArray[np.int64]
    volume_per_truck_m3: FloatArray

    @classmethod
    def empty(cls) -> TruckLoads:
        """Return the loads of no pair."""
        none = np.zeros(0)
        return cls(none, none, np.zeros(0, np.int64), none)


def truck_loads(
    loader: FrontLoader,
    pairs: Sequence[tuple[LoadedMaterial, Truck]],
    labels: Sequence[str] | None = None,
) -> TruckLoads:
    """Fill each truck with whole buckets: bucket counts and loads of Table 8 of 003.

    Parameters
    ----------
    loader : FrontLoader
        The loader (V_п, bucket volume). [m³]
    pairs : sequence of (LoadedMaterial, Truck)
        The (material, truck model) pairs loaded.
    labels : sequence of str, optional
        Names of the pairs in error messages (``"stream 'tailings', truck KamAZ-6520"``).

    Returns
    -------
    TruckLoads
        Buckets by payload and by body volume, accepted cycles, in-situ volume per truck [m³].

    Raises
    ------
    ValueError
        If a bucket is too large for a truck (the message names the pair), or a value is
        out of range as in :mod:`postmine.methods.haulage`.

    Notes
    -----
    n_к = q_а k_р / (V_п k_н γ) by payload, n_к = V_а k_ш / (V_п k_н) by body volume; n_ц is
    the payload count rounded, at most the body count; V_аф = n_ц V_п k_н / k_р (Table 8 in
    [003]). A material without a density is counted by body volume only.

    References
    ----------
    [003] Table 8.

    Examples
    --------
    >>> from postmine.data.equipment import FrontLoader, Truck, get_equipment
    >>> loader = get_equipment("SDLG L975F", FrontLoader)
    >>> belaz = get_equipment("BelAZ-75404", Truck)
    >>> loads = truck_loads(loader, [(LoadedMaterial(2.85, 1.0, 1.3), belaz)])
    >>> int(loads.loader_cycles[0]), round(float(loads.volume_per_truck_m3[0]), 1)
    (3, 9.7)
    """
    if not pairs:
        return TruckLoads.empty()
    names = labels or [f"pair {i}" for i in range(len(pairs))]
    V_п = loader.bucket_volume_m3
    k_н = _floats([m.bucket_fill_factor for m, _ in pairs])
    k_р = _floats([m.loosening_factor for m, _ in pairs])
    body = _floats([t.body_volume_m3 for _, t in pairs])
    k_ш = _floats([t.heaped_load_factor for _, t in pairs])
    n_V = _floats(buckets_by_body_volume(body, V_п, k_н, k_ш))
    n_q = n_V.copy()
    weighed = [i for i, (m, _) in enumerate(pairs) if m.bulk_density_t_m3 is not None]
    if weighed:
        n_q[weighed] = _floats(
            buckets_by_payload(
                _floats([pairs[i][1].payload_t for i in weighed]),
                V_п,
                _floats([pairs[i][0].bulk_density_t_m3 or 0.0 for i in weighed]),
                k_н[weighed],
                k_р[weighed],
            )
        )
    try:
        n_ц = np.asarray(accepted_bucket_count(n_q, n_V), dtype=np.int64)
    except ValueError:
        for label, q, v in zip(names, n_q.tolist(), n_V.tolist(), strict=False):
            try:
                accepted_bucket_count(q, v)
            except ValueError as exc:
                raise ValueError(f"{label}: {exc}") from None
        raise
    V_аф = _floats(in_situ_volume_per_truck(_floats(n_ц), V_п, k_н, k_р))
    return TruckLoads(n_q, n_V, n_ц, V_аф)


def rows_by_stream(stream_index: Sequence[int]) -> list[npt.NDArray[np.intp]]:
    """Return the positions of the pairs of each stream 0, 1, ..., in stream order.

    Examples
    --------
    >>> [rows.tolist() for rows in rows_by_stream([0, 0, 1, 1])]
    [[0, 1], [2, 3]]
    """
    idx = np.asarray(stream_index)
    if idx.size == 0:
        return []
    return [np.flatnonzero(idx == s) for s in range(int(idx.max()) + 1)]


@dataclass(frozen=True)
class LoaderOutput:
    """Output of the loader per (stream, truck) pair and per stream (Table 8 of 003).

    Attributes
    ----------
    shift_output_m3 : ndarray
        Q_э per pair. [m³/shift]
    weighted_output_m3 : ndarray
        Q_эсв per stream, weighted over its truck models. [m³/shift]
    annual_output_m3 : ndarray
        Q_гсв per stream. [m³/year]
    """

    shift_output_m3: FloatArray
    weighted_output_m3: FloatArray
    annual_output_m3: FloatArray

    @classmethod
    def empty(cls) -> LoaderOutput:
        """Return the output of no stream."""
        none = np.zeros(0)
        return cls(none, none, none)


def loader_output(
    loader: FrontLoader,
    loads: TruckLoads,
    stream_index: Sequence[int],
    shares: npt.ArrayLike,
    work: LoaderWork,
    regime: ShiftRegime,
) -> LoaderOutput:
    """Compute the loader's shift output per pair and its weighted and annual output.

    Parameters
    ----------
    loader : FrontLoader
        The loader (T_ц, cycle time). [s]
    loads : TruckLoads
        From :func:`truck_loads`.
    stream_index : sequence of int
        The stream (0, 1, ...) of each pair. [-]
    shares : array_like
        Share of each pair in its stream's loaded volume. [-]
    work : LoaderWork
        Truck spotting time [s] and utilisation [-].
    regime : ShiftRegime
        Shift duration [s], shifts a day, working days of the loader.

    Returns
    -------
    LoaderOutput
        Q_э per pair [m³/shift], Q_эсв per stream [m³/shift], Q_гсв per stream [m³/year].

    Raises
    ------
    ValueError
        If a value is out of range as in :mod:`postmine.methods.haulage`.

    Notes
    -----
    Q_э = 3600 T_см k_и V_аф / (n_ц T_ц + t_м); Q_эсв = Σ Q_э s; Q_гсв = Q_эсв N n
    (Table 8 in [003]; the methods take T_см in h).

    References
    ----------
    [003] Table 8.

    Examples
    --------
    >>> from postmine.data.equipment import FrontLoader, Truck, get_equipment
    >>> loader = get_equipment("SDLG L975F", FrontLoader)
    >>> belaz = get_equipment("BelAZ-75404", Truck)
    >>> loads = truck_loads(loader, [(LoadedMaterial(2.85, 1.0, 1.3), belaz)])
    >>> out = loader_output(loader, loads, [0], [1.0], LoaderWork(42.0, 0.85),
    ...                     ShiftRegime(8 * 3600.0, 1, 295))
    >>> round(float(out.shift_output_m3[0]))  # Table 8: 1340
    1340
    """
    if len(stream_index) == 0:
        return LoaderOutput.empty()
    Q_э = _floats(
        loader_shift_output(
            loads.volume_per_truck_m3,
            _floats(loads.loader_cycles),
            loader.cycle_time_s,
            work.truck_spotting_time_s,
            regime.shift_duration_s / SECONDS_PER_HOUR,
            work.utilisation,
        )
    )
    s = _floats(shares)
    Q_эсв = _floats(
        [float(weighted_loader_output(Q_э[rows], s[rows])) for rows in rows_by_stream(stream_index)]
    )
    Q_гсв = _floats(annual_output(Q_эсв, regime.working_days, regime.shifts_per_day))
    return LoaderOutput(Q_э, Q_эсв, Q_гсв)


@dataclass(frozen=True)
class LoaderFleet:
    """The loader fleet of Table 9 of 003.

    Attributes
    ----------
    fleet : ndarray
        N_сп per stream, not rounded. [-]
    total : float
        ΣN_сп over the streams, not rounded. [-]
    whole : int
        Whole loaders. [-]
    """

    fleet: FloatArray
    total: float
    whole: int


def loader_fleet(
    annual_volume_m3: npt.ArrayLike, annual_output_m3: npt.ArrayLike, fleet_rel_tol: float
) -> LoaderFleet:
    """Compute the loader fleet per stream and in whole machines (Table 9 of 003).

    Parameters
    ----------
    annual_volume_m3 : array_like
        V_г, annual volume of each stream, in place. [m³/year]
    annual_output_m3 : array_like
        Q_гсв, annual output of the loader on each stream. [m³/year]
    fleet_rel_tol : float
        Relative excess over a whole number not rounded up to one more machine. [-]

    Returns
    -------
    LoaderFleet
        N_сп per stream and summed [-], whole loaders [-].

    Raises
    ------
    ValueError
        If a value is out of range as in :mod:`postmine.methods.haulage`.

    Notes
    -----
    N_сп = V_г / Q_гсв (Table 9 in [003]).

    Examples
    --------
    >>> fleet = loader_fleet([49_100.0, 465_100.0], [378_670.0, 541_498.0], 0.005)
    >>> round(fleet.total, 2), fleet.whole  # Table 9: 0.1 + 0.9, one loader
    (0.99, 1)
    """
    N_сп = _floats(required_fleet(_floats(annual_volume_m3), _floats(annual_output_m3)))
    total = float(N_сп.sum())
    return LoaderFleet(N_сп, total, int(round_up_fleet(total, fleet_rel_tol)))


# ---- trucks -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TruckOutput:
    """Trip and shift output of each (stream, truck model) pair (Table 11 of 003).

    Attributes
    ----------
    travel_time_s : ndarray
        t_о, driving time per trip, there and back. [s]
    loading_time_s : ndarray
        t_п, loading time per truck. [s]
    trip_time_s : ndarray
        t_об, duration of one trip. [s]
    shift_output_m3 : ndarray
        Н_в, output norm of the truck. [m³/shift]
    """

    travel_time_s: FloatArray
    loading_time_s: FloatArray
    trip_time_s: FloatArray
    shift_output_m3: FloatArray

    def rows(self, index: slice) -> TruckOutput:
        """Return the output of the pairs in ``index``."""
        return TruckOutput(
            self.travel_time_s[index],
            self.loading_time_s[index],
            self.trip_time_s[index],
            self.shift_output_m3[index],
        )


def truck_output(
    loader: FrontLoader,
    loads: TruckLoads,
    haul_distance_m: npt.ArrayLike,
    cycle: TruckCycle,
    shift_duration_s: float,
) -> TruckOutput:
    """Compute the trip time and output norm of every pair (Table 11 of 003).

    Parameters
    ----------
    loader : FrontLoader
        The loader (T_ц, cycle time). [s]
    loads : TruckLoads
        From :func:`truck_loads`: n_ц and V_аф per pair.
    haul_distance_m : array_like
        l, one-way haul distance, per pair or one for all. [m]
    cycle : TruckCycle
        Average speed [m/s] and the fixed times of the trip and the shift [s].
    shift_duration_s : float
        T_см, duration of a shift. [s]

    Returns
    -------
    TruckOutput
        t_о, t_п, t_об [s] and Н_в [m³/shift] per pair.

    Raises
    ------
    ValueError
        If a value is out of range as in :mod:`postmine.methods.haulage` (e.g. the lost
        time is longer than the shift).

    Notes
    -----
    t_о = 2 l / V_с; t_п = n_ц T_ц; t_об = t_о + t_п + t_р + t_ожп + t_ур + t_уп;
    Н_в = (T_см − T_пз − T_об − T_пт − T_лн) V_аф / t_об (Table 11 in [003]; the methods
    take km, km/h and min).

    References
    ----------
    [003] Table 11.

    Examples
    --------
    >>> from postmine.data.equipment import FrontLoader, Truck, get_equipment
    >>> loader = get_equipment("SDLG L975F", FrontLoader)
    >>> belaz = get_equipment("BelAZ-75404", Truck)
    >>> loads = truck_loads(loader, [(LoadedMaterial(2.85, 1.0, 1.3), belaz)])
    >>> cycle = TruckCycle.from_source_units(
    ...     average_speed_km_h=22.0, load_spotting_time_min=0.7, unload_spotting_time_min=0.6,
    ...     unloading_time_min=0.8, loader_wait_time_min=0.4, preparation_time_min=40.0,
    ...     break_time_min=10.0, personal_time_min=10.0)
    >>> out = truck_output(loader, loads, 2000.0, cycle, 8 * 3600.0)
    >>> round(float(out.trip_time_s[0]) / 60, 1), round(float(out.shift_output_m3[0]))
    (15.7, 260)
    """
    minute = SECONDS_PER_MINUTE
    t_о = _floats(
        truck_travel_time(
            _floats(haul_distance_m) / METRES_PER_KM, cycle.average_speed_m_s * KM_H_PER_M_S
        )
    )
    t_п = _floats(truck_loading_time(_floats(loads.loader_cycles), loader.cycle_time_s))
    t_об = _floats(
        truck_trip_time(
            t_о,
            t_п,
            cycle.unloading_time_s / minute,
            cycle.loader_wait_time_s / minute,
            cycle.unload_spotting_time_s / minute,
            cycle.load_spotting_time_s / minute,
        )
    )
    Н_в = _floats(
        truck_shift_output(
            loads.volume_per_truck_m3,
            t_об,
            shift_duration_s / SECONDS_PER_HOUR,
            cycle.preparation_time_s / minute,
            cycle.break_time_s / minute,
            cycle.personal_time_s / minute,
        )
    )
    t_о, t_п, t_об, Н_в = np.broadcast_arrays(t_о, t_п, t_об, Н_в)
    return TruckOutput(t_о * minute, t_п * minute, t_об * minute, _floats(Н_в))


@dataclass(frozen=True)
class TruckFleet:
    """The truck fleet of Table 12 of 003, per pair and per truck model.

    Attributes
    ----------
    annual_volume_m3 : ndarray
        V_г per pair. [m³/year]
    shift_volume_m3 : ndarray
        V_см per pair. [m³/shift]
    working_fleet : ndarray
        N_а per pair, not rounded. [-]
    listed_fleet : ndarray
        N_сп per pair, not rounded. [-]
    model_fleet : dict
        ΣN_сп per truck model, not rounded, in order of first appearance. [-]
    model_whole : dict
        Whole trucks per model. [-]
    total : int
        Whole trucks of all models. [-]
    """

    annual_volume_m3: FloatArray
    shift_volume_m3: FloatArray
    working_fleet: FloatArray
    listed_fleet: FloatArray
    model_fleet: dict[str, float]
    model_whole: dict[str, int]
    total: int


def truck_fleet(
    trucks: Sequence[str],
    stream_index: Sequence[int],
    annual_volume_m3: npt.ArrayLike,
    weights: npt.ArrayLike,
    shift_output_m3: npt.ArrayLike,
    regime: ShiftRegime,
    technical_availability: float,
    fleet_rel_tol: float,
) -> TruckFleet:
    """Split each stream between its truck models and compute the fleets (Table 12 of 003).

    Parameters
    ----------
    trucks : sequence of str
        Truck model of each pair. [-]
    stream_index : sequence of int
        Stream (0, 1, ...) of each pair. [-]
    annual_volume_m3 : array_like
        V_г of each stream, in place. [m³/year]
    weights : array_like
        Split of each stream's volume between its pairs: the shift outputs, as 003 does,
        or volume shares. [-]
    shift_output_m3 : array_like
        Н_в per pair, from :func:`truck_output`. [m³/shift]
    regime : ShiftRegime
        Working days and shifts a day of the enterprise.
    technical_availability : float
        k_тг, technical availability factor of the trucks. [-]
    fleet_rel_tol : float
        Relative excess over a whole number not rounded up to one more machine. [-]

    Returns
    -------
    TruckFleet
        V_г [m³/year] and V_см [m³/shift] per pair, N_а and N_сп per pair, per model, whole.

    Raises
    ------
    ValueError
        If a value is out of range as in :mod:`postmine.methods.haulage`.

    Notes
    -----
    V_см = V_г / (N n); N_а = V_см / Н_в; N_сп = N_а / k_тг (Table 12 in [003], which prints
    N_а ∙ k_тг but computes the division).

    Examples
    --------
    >>> fleet = truck_fleet(["BelAZ-75404"], [0], [49_100.0], [1.0], [260.0],
    ...                     ShiftRegime(8 * 3600.0, 1, 342), 0.85, 0.005)
    >>> round(float(fleet.shift_volume_m3[0]), 1), fleet.total
    (143.6, 1)
    """
    V = _floats(annual_volume_m3)
    w = _floats(weights)
    V_г = np.empty(len(trucks))
    for s, rows in enumerate(rows_by_stream(stream_index)):
        V_г[rows] = split_volume(float(V[s]), w[rows])
    V_см = _floats(shift_volume(V_г, regime.working_days, regime.shifts_per_day))
    N_а = _floats(required_fleet(V_см, _floats(shift_output_m3)))
    N_сп = _floats(listed_fleet(N_а, technical_availability))
    model_fleet: dict[str, float] = {}
    for name, fleet in zip(trucks, N_сп.tolist(), strict=True):
        model_fleet[name] = model_fleet.get(name, 0.0) + fleet
    whole = np.atleast_1d(round_up_fleet(_floats(list(model_fleet.values())), fleet_rel_tol))
    model_whole = {name: int(n) for name, n in zip(model_fleet, whole.tolist(), strict=True)}
    return TruckFleet(V_г, V_см, N_а, N_сп, model_fleet, model_whole, sum(model_whole.values()))


# ---- one stream from the loader to the trucks ----------------------------------------------


@dataclass(frozen=True)
class HaulChain:
    """One stream loaded by the loader and hauled by the truck models (003 Tables 8, 11).

    Attributes
    ----------
    truck_shares : dict
        Share of the volume each truck model (as the caller names it) carries. [-]
    loads : TruckLoads
        Buckets and in-situ volume per truck model.
    loader_shift_output_m3 : ndarray
        Q_э per truck model. [m³/shift]
    loader_weighted_output_m3 : float
        Q_эсв, weighted over the truck models. [m³/shift]
    trucks : TruckOutput
        Trip times [s] and output norm Н_в [m³/shift] per truck model.
    haul_distance_m : float
        l, one-way haul distance. [m]
    """

    truck_shares: dict[str, float]
    loads: TruckLoads
    loader_shift_output_m3: FloatArray
    loader_weighted_output_m3: float
    trucks: TruckOutput
    haul_distance_m: float

    @property
    def truck_outputs_m3(self) -> dict[str, float]:
        """Return Н_в of each truck model, by the caller's model name [m³/shift]."""
        return dict(zip(self.truck_shares, self.trucks.shift_output_m3.tolist(), strict=True))

    def machine_shifts(
        self, volume_m3: float, truck_volumes_m3: npt.ArrayLike | None = None
    ) -> tuple[float, dict[str, float]]:
        """Return the machine-shifts of the loader and of each truck model for a volume.

        Machine-shifts are volume / shift output (003 Tables 9 and 12 per shift). [shift]

        Parameters
        ----------
        volume_m3 : float
            Volume the loader loads. [m³]
        truck_volumes_m3 : array_like, optional
            Volume each truck model carries, in the order of ``truck_shares``, e.g. split in
            proportion to Н_в as 003 Table 12 does
            (:func:`~postmine.methods.haulage.split_volume`); by default each model carries
            its share of ``volume_m3``. [m³]

        Returns
        -------
        tuple
            The loader's machine-shifts and those of each truck model, by the caller's
            model name. [shift]

        Raises
        ------
        ValueError
            If a volume is negative.
        """
        if truck_volumes_m3 is None:
            truck_volumes = volume_m3 * _floats(list(self.truck_shares.values()))
        else:
            truck_volumes = _floats(truck_volumes_m3)
        volumes = np.concatenate([[volume_m3], truck_volumes])
        outputs = np.concatenate([[self.loader_weighted_output_m3], self.trucks.shift_output_m3])
        shifts = _floats(required_fleet(volumes, outputs)).tolist()
        return shifts[0], dict(zip(self.truck_shares, shifts[1:], strict=True))

    def trucks_for_loaders(self, loaders: float) -> dict[str, float]:
        """Return the trucks of each model that carry what the loaders load (003 Table 12).

        Parameters
        ----------
        loaders : float
            Number of loaders working. [-]

        Returns
        -------
        dict
            N_а = n Q_эсв s / Н_в per truck model, by the caller's model name, not rounded:
            n loaders of weighted output Q_эсв [m³/shift], the model's share s [-] of the
            volume and its output norm Н_в [m³/shift]. [-]

        Raises
        ------
        ValueError
            If ``loaders`` is negative.
        """
        shares = _floats(list(self.truck_shares.values()))
        volumes = loaders * self.loader_weighted_output_m3 * shares
        fleet = _floats(required_fleet(volumes, self.trucks.shift_output_m3)).tolist()
        return dict(zip(self.truck_shares, fleet, strict=True))


def haul_chain(
    loader: FrontLoader,
    truck_shares: Mapping[str, float],
    material: LoadedMaterial,
    haul_distance_m: float,
    work: LoaderWork,
    cycle: TruckCycle,
    shift_duration_s: float,
) -> HaulChain:
    """Load one material into the truck models and haul it (003 Tables 8 and 11).

    Parameters
    ----------
    loader : FrontLoader
        The loader.
    truck_shares : mapping
        Truck model (a name or alias of the equipment catalogue) -> share of the volume
        it carries; the shares sum to 1. [-]
    material : LoadedMaterial
        What is loaded.
    haul_distance_m : float
        l, one-way haul distance. [m]
    work : LoaderWork
        Truck spotting time [s] and utilisation of the loader [-].
    cycle : TruckCycle
        Average speed [m/s] and fixed times [s] of the trucks.
    shift_duration_s : float
        T_см, duration of a shift. [s]

    Returns
    -------
    HaulChain
        Loads, Q_э and Q_эсв of the loader [m³/shift], trip times [s] and Н_в [m³/shift].

    Raises
    ------
    ValueError
        If a truck model is unknown, the shares do not sum to 1, or a value is out of
        range as in :mod:`postmine.methods.haulage`.
    """
    trucks = [get_equipment(m, Truck) for m in truck_shares]
    loads = truck_loads(loader, [(material, t) for t in trucks], [t.name for t in trucks])
    shares = _floats(list(truck_shares.values()))
    regime = ShiftRegime(shift_duration_s, 1, 1)
    loading = loader_output(loader, loads, [0] * len(trucks), shares, work, regime)
    hauling = truck_output(loader, loads, haul_distance_m, cycle, shift_duration_s)
    return HaulChain(
        dict(truck_shares),
        loads,
        loading.shift_output_m3,
        float(loading.weighted_output_m3[0]),
        hauling,
        haul_distance_m,
    )
