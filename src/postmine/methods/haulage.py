"""Loading and haulage: front loader output, truck trips and output, and fleet sizes.

The methods of sections 4.1 "Выемочно-погрузочные работы" and 4.2 "Технологический
транспорт" of [003]: a front loader fills trucks with whole buckets; its shift output
follows from the in-situ volume per truck and the time to load one truck; a truck's shift
output follows from its trip time; the fleets follow from the volumes to move.

Units follow the tables of [003]: loader cycle and spotting times in seconds (Table 8),
truck trip times in minutes (Table 11), haul distance in km and speed in km/h (Table 11),
shift duration in hours, volumes in m³.

References
----------
[003] Abaza mine, technical reclamation of disturbed land, project documentation vol. 3
      book 1 (2022), sections 4.1 and 4.2, Tables 7-12.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from postmine.core.checks import at_least, in_range, non_negative, positive

__all__ = [
    "accepted_bucket_count",
    "annual_output",
    "buckets_by_body_volume",
    "buckets_by_payload",
    "in_situ_volume_per_truck",
    "listed_fleet",
    "loader_shift_output",
    "required_fleet",
    "round_up_fleet",
    "shift_volume",
    "split_volume",
    "truck_loading_time",
    "truck_shift_output",
    "truck_travel_time",
    "truck_trip_time",
    "weighted_loader_output",
]

FloatLike = float | npt.NDArray[np.float64]
IntLike = int | npt.NDArray[np.int64]

# Floors and ceilings below ignore this much floating-point noise (2.9999999999 -> 3).
_EPS = 1e-9


def _int_like(values: npt.NDArray[np.float64]) -> IntLike:
    out = values.astype(np.int64)
    return int(out) if out.ndim == 0 else out


def buckets_by_payload(
    payload: FloatLike,
    bucket_volume: FloatLike,
    bulk_density: FloatLike,
    bucket_fill_factor: FloatLike,
    loosening_factor: FloatLike = 1.0,
) -> FloatLike:
    r"""Count the loader buckets that fill a truck to its rated payload.

    A bucket holds ``V_п k_н`` m³ of loosened material, i.e. ``V_п k_н γ / k_р`` tonnes
    when γ is the in-situ bulk density; the payload divided by that gives the (fractional)
    number of buckets.

    Parameters
    ----------
    payload : float or ndarray
        qа, rated payload of the truck. [t]
    bucket_volume : float or ndarray
        Vп, geometric bucket volume of the loader. [m³]
    bulk_density : float or ndarray
        γ, bulk density of the material in place (in the state its volume is counted). [t/m³]
    bucket_fill_factor : float or ndarray
        kн, bucket fill factor. [-]
    loosening_factor : float or ndarray, optional
        kр, loosening factor of the material when excavated; 1 for material that is
        already loose (tailings in [003]). [-]

    Returns
    -------
    float or ndarray
        nк, buckets per truck by payload (not rounded). [-]

    Raises
    ------
    ValueError
        If a volume, the payload, the density or the fill factor is not positive, or the
        loosening factor is below 1.

    Notes
    -----
    .. math:: n_к = \frac{q_а k_р}{V_п k_н γ}

    Table 8 in [003]: 30 × 1.3 / (4.2 × 1.0 × 2.85) = 3.26, printed 3,3.

    References
    ----------
    [003] Table 8.

    Examples
    --------
    >>> round(float(buckets_by_payload(30.0, 4.2, 2.85, 1.0, 1.3)), 2)
    3.26
    """
    positive("payload", payload, "t")
    positive("bucket_volume", bucket_volume, "m³")
    positive("bulk_density", bulk_density, "t/m³")
    positive("bucket_fill_factor", bucket_fill_factor)
    at_least("loosening_factor", loosening_factor, 1.0)
    q_а, k_р = np.asarray(payload), np.asarray(loosening_factor)
    V_п, k_н, γ = (
        np.asarray(bucket_volume),
        np.asarray(bucket_fill_factor),
        np.asarray(bulk_density),
    )
    n_к: FloatLike = q_а * k_р / (V_п * k_н * γ)
    return n_к


def buckets_by_body_volume(
    body_volume: FloatLike,
    bucket_volume: FloatLike,
    bucket_fill_factor: FloatLike,
    heaped_load_factor: FloatLike,
) -> FloatLike:
    r"""Count the loader buckets that fill a truck body to its heaped volume.

    Parameters
    ----------
    body_volume : float or ndarray
        Vа, geometric (struck) volume of the truck body. [m³]
    bucket_volume : float or ndarray
        Vп, geometric bucket volume of the loader. [m³]
    bucket_fill_factor : float or ndarray
        kн, bucket fill factor. [-]
    heaped_load_factor : float or ndarray
        kш, ratio of the heaped load volume to the struck body volume. [-]

    Returns
    -------
    float or ndarray
        nк, buckets per truck by body volume (not rounded). [-]

    Raises
    ------
    ValueError
        If any argument is not positive.

    Notes
    -----
    .. math:: n_к = \frac{V_а k_ш}{V_п k_н}

    Table 8 in [003]: 15 × 1.1 / (4.2 × 1.0) = 3.93, printed 3,9.

    References
    ----------
    [003] Table 8.

    Examples
    --------
    >>> round(float(buckets_by_body_volume(15.0, 4.2, 1.0, 1.1)), 2)
    3.93
    """
    positive("body_volume", body_volume, "m³")
    positive("bucket_volume", bucket_volume, "m³")
    positive("bucket_fill_factor", bucket_fill_factor)
    positive("heaped_load_factor", heaped_load_factor)
    V_а, k_ш = np.asarray(body_volume), np.asarray(heaped_load_factor)
    V_п, k_н = np.asarray(bucket_volume), np.asarray(bucket_fill_factor)
    n_к: FloatLike = V_а * k_ш / (V_п * k_н)
    return n_к


def accepted_bucket_count(by_payload: FloatLike, by_body_volume: FloatLike) -> IntLike:
    r"""Whole number of loader cycles accepted to load one truck.

    The payload count is rounded to the nearest whole bucket (half up), and limited to the
    whole buckets the heaped body holds.

    Parameters
    ----------
    by_payload : float or ndarray
        nк by payload, from :func:`buckets_by_payload`. [-]
    by_body_volume : float or ndarray
        nк by body volume, from :func:`buckets_by_body_volume`. [-]

    Returns
    -------
    int or ndarray of int
        nц, accepted number of loader cycles per truck. [-]

    Raises
    ------
    ValueError
        If a count is not positive, or the accepted count would be zero (the bucket is too
        large for the truck: one bucket weighs more than two payloads, or holds more than
        the heaped body).

    Notes
    -----
    .. math:: n_ц = \min\left(\operatorname{round}(n_к^{q}),\ \lfloor n_к^{V} \rfloor\right)

    [003] does not state the rule; Table 8 accepts 3, 2, 3, 2 for payload counts
    3.26, 2.17, 2.95, 1.97 and body counts 3.93, 3.14, 3.57, 2.86, which is rounding the
    payload count to the nearest whole (2.95 -> 3 and 1.97 -> 2 overload the truck by
    1.6 %). The body-volume limit is this module's reading: it binds in none of the
    cases of [003] and keeps a light material from being heaped over the body.

    References
    ----------
    [003] Table 8, "Принимаемое количество циклов погрузчика".

    Examples
    --------
    >>> accepted_bucket_count(2.95, 3.57)
    3
    >>> accepted_bucket_count(3.6, 3.2)
    3
    """
    positive("by_payload", by_payload)
    positive("by_body_volume", by_body_volume)
    n = np.minimum(
        np.floor(np.asarray(by_payload, dtype=float) + 0.5 + _EPS),
        np.floor(np.asarray(by_body_volume, dtype=float) + _EPS),
    )
    if np.any(n < 1):
        raise ValueError(
            "accepted bucket count must be >= 1: the bucket is too large for the truck "
            f"(buckets by payload {np.asarray(by_payload)}, by body {np.asarray(by_body_volume)})"
        )
    return _int_like(n)


def in_situ_volume_per_truck(
    loader_cycles: FloatLike,
    bucket_volume: FloatLike,
    bucket_fill_factor: FloatLike,
    loosening_factor: FloatLike = 1.0,
) -> FloatLike:
    r"""Volume of material, counted in place, that one truck carries.

    Parameters
    ----------
    loader_cycles : int or ndarray
        nц, accepted number of loader cycles (buckets) per truck. [-]
    bucket_volume : float or ndarray
        Vп, geometric bucket volume of the loader. [m³]
    bucket_fill_factor : float or ndarray
        kн, bucket fill factor. [-]
    loosening_factor : float or ndarray, optional
        kр, loosening factor of the material when excavated; 1 for loose material. [-]

    Returns
    -------
    float or ndarray
        Vаф, in-situ volume per truck. [m³]

    Raises
    ------
    ValueError
        If a count, volume or fill factor is not positive, or the loosening factor is
        below 1.

    Notes
    -----
    .. math:: V_{аф} = \frac{n_ц V_п k_н}{k_р}

    Tables 8 and 11 in [003]: 3 × 4.2 × 1.0 / 1.3 = 9.7 m³. The extracted text prints the
    fraction without its bar (``nц ∙ Vп ∙ kн`` over ``kр``); the numbers confirm the
    division. The tailings columns have no kр (printed "-"): 3 × 4.2 × 1.1 = 13.9 m³.

    References
    ----------
    [003] Tables 8 and 11.

    Examples
    --------
    >>> round(float(in_situ_volume_per_truck(3, 4.2, 1.0, 1.3)), 2)
    9.69
    """
    positive("loader_cycles", loader_cycles)
    positive("bucket_volume", bucket_volume, "m³")
    positive("bucket_fill_factor", bucket_fill_factor)
    at_least("loosening_factor", loosening_factor, 1.0)
    n_ц, V_п = np.asarray(loader_cycles), np.asarray(bucket_volume)
    k_н, k_р = np.asarray(bucket_fill_factor), np.asarray(loosening_factor)
    V_аф: FloatLike = n_ц * V_п * k_н / k_р
    return V_аф


def loader_shift_output(
    volume_per_truck: FloatLike,
    loader_cycles: FloatLike,
    loader_cycle_time: FloatLike,
    truck_spotting_time: FloatLike,
    shift_duration: FloatLike,
    utilisation: FloatLike,
) -> FloatLike:
    r"""Operating output of a front loader per shift when loading trucks.

    One truck takes ``n_ц T_ц`` seconds of loading plus ``t_м`` seconds to spot the next
    truck, and carries ``V_аф`` m³ in place.

    Parameters
    ----------
    volume_per_truck : float or ndarray
        Vаф, in-situ volume per truck. [m³]
    loader_cycles : int or ndarray
        nц, loader cycles per truck. [-]
    loader_cycle_time : float or ndarray
        Tц, duration of one loader cycle. [s]
    truck_spotting_time : float or ndarray
        tм, time to spot a truck under the loader, in seconds as in Table 8 of [003]. [s]
    shift_duration : float or ndarray
        Tсм, duration of a shift. [h]
    utilisation : float or ndarray
        kи, share of the shift time used for work, in (0, 1]. [-]

    Returns
    -------
    float or ndarray
        Qэ, operating output of the loader, in-situ volume. [m³/shift]

    Raises
    ------
    ValueError
        If a volume, count, cycle time or the shift duration is not positive, the
        spotting time is negative, the shift exceeds 24 h or the utilisation is outside
        (0, 1].

    Notes
    -----
    .. math:: Q_э = \frac{3600\, T_{см} k_и V_{аф}}{n_ц T_ц + t_м}

    Table 8 in [003]: 3600 × 8 × 0.85 × 9.69 / (3 × 45 + 42) = 1340 m³/shift.

    References
    ----------
    [003] Table 8.

    Examples
    --------
    >>> round(float(loader_shift_output(3 * 4.2 / 1.3, 3, 45.0, 42.0, 8.0, 0.85)))
    1340
    """
    positive("volume_per_truck", volume_per_truck, "m³")
    positive("loader_cycles", loader_cycles)
    positive("loader_cycle_time", loader_cycle_time, "s")
    non_negative("truck_spotting_time", truck_spotting_time, "s")
    in_range("shift_duration", shift_duration, 0.0, 24.0, "h", low_inclusive=False)
    in_range("utilisation", utilisation, 0.0, 1.0, low_inclusive=False)
    V_аф, n_ц, T_ц = (
        np.asarray(volume_per_truck),
        np.asarray(loader_cycles),
        np.asarray(loader_cycle_time),
    )
    t_м, T_см, k_и = (
        np.asarray(truck_spotting_time),
        np.asarray(shift_duration),
        np.asarray(utilisation),
    )
    Q_э: FloatLike = 3600.0 * T_см * k_и * V_аф / (n_ц * T_ц + t_м)
    return Q_э


def weighted_loader_output(shift_outputs: npt.ArrayLike, shares: npt.ArrayLike) -> FloatLike:
    r"""Loader output weighted over the truck models it loads.

    Parameters
    ----------
    shift_outputs : array_like
        Qэ of the loader with each truck model, along the last axis. [m³/shift]
    shares : array_like
        Share of each truck model in the loaded volume, along the last axis, each in
        [0, 1], summing to 1. [-]

    Returns
    -------
    float or ndarray
        Qэсв, weighted operating output of the loader. [m³/shift]

    Raises
    ------
    ValueError
        If an output is not positive, a share is outside [0, 1], the shares do not sum
        to 1, or the two have different lengths.

    Notes
    -----
    .. math:: Q_{эсв} = \sum_i s_i Q_{э,i}

    [003] prints the symbol Qэсв without a formula or the shares. Shares 0.6 (BelAZ) and
    0.4 (KamAZ) give 0.6 × 1340.5 + 0.4 × 1198.3 = 1283.6 and 0.6 × 1916.9 + 0.4 × 1713.6
    = 1835.6 m³/shift; Table 8 prints 1283 and 1835, i.e. truncates them (it rounds every
    other output of the table). The arithmetic mean is what [003] computes; the loader's
    true mean rate for given volume shares is the harmonic mean 1 / Σ(s_i / Q_i), 0.3 %
    lower here.

    References
    ----------
    [003] Table 8, "Средневзвешенная эксплуатационная производительность погрузчика".

    Examples
    --------
    >>> round(float(weighted_loader_output([1340.5, 1198.3], [0.6, 0.4])), 1)
    1283.6
    """
    q = np.asarray(shift_outputs, dtype=float)
    s = np.asarray(shares, dtype=float)
    positive("shift_outputs", q, "m³/shift")
    in_range("shares", s, 0.0, 1.0)
    if q.shape[-1:] != s.shape[-1:]:
        raise ValueError(
            f"shift_outputs and shares must have the same length, got {q.shape} and {s.shape}"
        )
    total = s.sum(axis=-1)
    if np.any(np.abs(total - 1.0) > 1e-6):
        raise ValueError(f"shares must sum to 1, got {np.round(total, 9)}")
    Q_эсв: FloatLike = (q * s).sum(axis=-1)
    return Q_эсв


def annual_output(
    shift_output: FloatLike, working_days: FloatLike, shifts_per_day: FloatLike = 1
) -> FloatLike:
    r"""Annual output of a machine from its shift output.

    Parameters
    ----------
    shift_output : float or ndarray
        Output of the machine per shift. [m³/shift]
    working_days : float or ndarray
        N, working days of the machine per year, in (0, 366]. [day/year]
    shifts_per_day : float or ndarray, optional
        n, shifts per day, in (0, 4]. [shift/day]

    Returns
    -------
    float or ndarray
        Qг, annual output. [m³/year]

    Raises
    ------
    ValueError
        If the output is negative or the days or shifts are outside their ranges.

    Notes
    -----
    .. math:: Q_{гсв} = Q_{эсв} N n

    Table 8 in [003], with N = 295 working days of the loader (the enterprise works 342
    days a year; [003] does not say why the loader's year is shorter). Table 8 prints
    378.4 and 541.3 thousand m³: 1283 × 295 = 378 485 and 1835 × 295 = 541 325 m³, i.e.
    the truncated weighted outputs times 295, truncated again. The exact weighted outputs
    give 378.7 and 541.5 thousand m³.

    References
    ----------
    [003] Table 8, "Годовая средневзвешенная производительность погрузчика".

    Examples
    --------
    >>> float(annual_output(1283.0, 295, 1))
    378485.0
    """
    non_negative("shift_output", shift_output, "m³/shift")
    in_range("working_days", working_days, 0.0, 366.0, "day/year", low_inclusive=False)
    in_range("shifts_per_day", shifts_per_day, 0.0, 4.0, "shift/day", low_inclusive=False)
    Q, N, n = np.asarray(shift_output), np.asarray(working_days), np.asarray(shifts_per_day)
    Q_г: FloatLike = Q * N * n
    return Q_г


def required_fleet(volume: FloatLike, output: FloatLike) -> FloatLike:
    r"""Compute the fractional number of machines that move a volume in a period.

    Parameters
    ----------
    volume : float or ndarray
        Volume to move in the period (a year, a shift). [m³]
    output : float or ndarray
        Output of one machine in the same period. [m³]

    Returns
    -------
    float or ndarray
        N, required number of machines, not rounded. [-]

    Raises
    ------
    ValueError
        If the volume is negative or the output is not positive.

    Notes
    -----
    The loader fleet of Table 9, the working truck fleet of Table 12 and the working
    bulldozer fleet of Table 15 in [003]:

    .. math:: N_{сп} = \frac{V_г}{Q_г}, \qquad N_а = \frac{V_{см}}{Н_в}, \qquad
              N_р = \frac{V_{см}}{П_{см}}

    Table 9: 49.1 / 378.4 = 0.13, printed 0,1.

    References
    ----------
    [003] Tables 9, 12 and 15.

    Examples
    --------
    >>> round(float(required_fleet(49.1, 378.4)), 3)
    0.13
    """
    non_negative("volume", volume, "m³")
    positive("output", output, "m³")
    N: FloatLike = np.asarray(volume) / np.asarray(output)
    return N


def round_up_fleet(fleet: FloatLike, rel_tol: float = 0.005) -> IntLike:
    r"""Whole number of machines that covers a fractional fleet.

    The fleet is rounded up, except that an excess over a whole number of at most
    ``rel_tol`` of the fleet is attributed to the rounding of the inputs, not to a need
    for one more machine.

    Parameters
    ----------
    fleet : float or ndarray
        Fractional number of machines. [-]
    rel_tol : float, optional
        Relative excess over a whole number that is not rounded up, in [0, 0.1]; the
        default, half a percent, is the relative precision of inputs given to three
        significant digits. [-]

    Returns
    -------
    int or ndarray of int
        Whole number of machines; at least 1 if ``fleet > 0``. [-]

    Raises
    ------
    ValueError
        If ``fleet`` is negative or ``rel_tol`` is outside [0, 0.1].

    Notes
    -----
    .. math:: N = \lceil N_{frac} (1 - ε) \rceil

    [003] sums the fractional fleets and prints whole numbers: loaders 0.13 + 0.86 -> 1
    (Table 9), trucks 0.38 + 2.53 -> 3 per model (Table 12), bulldozers -> 1 (Table 15).
    The bulldozers are the case for the tolerance: with unrounded arithmetic
    N_р K_р = 0.7145 × 1.4 = 1.0003; a strict ceiling would give 2 bulldozers where
    [003] (which multiplies its rounded 0.7 by 1.4) and its equipment list (Table 6) have
    one. The 0.03 % excess is far below the precision of the inputs (kи = 0.8, Kз = 0.7).

    References
    ----------
    [003] Tables 9, 12 and 15.

    Examples
    --------
    >>> round_up_fleet(2.913), round_up_fleet(1.0003), round_up_fleet(1.0003, rel_tol=0.0)
    (3, 1, 2)
    """
    non_negative("fleet", fleet)
    in_range("rel_tol", rel_tol, 0.0, 0.1)
    n = np.ceil(np.asarray(fleet, dtype=float) * (1.0 - rel_tol) - _EPS)
    n = np.where(np.asarray(fleet) > 0, np.maximum(n, 1.0), 0.0)
    return _int_like(n)


def truck_travel_time(haul_distance: FloatLike, average_speed: FloatLike) -> FloatLike:
    r"""Driving time of a truck's round trip (loaded there, empty back).

    Parameters
    ----------
    haul_distance : float or ndarray
        l, one-way haul distance, in km as in Table 11 of [003]. [km]
    average_speed : float or ndarray
        Vс, average speed over the trip, in km/h as in Table 11 of [003]. [km/h]

    Returns
    -------
    float or ndarray
        tо, driving time per trip. [min]

    Raises
    ------
    ValueError
        If the distance is negative or the speed is not positive.

    Notes
    -----
    .. math:: t_о = \frac{2\, l \cdot 60}{V_с}

    Table 11 in [003]: 2 × 2 × 60 / 22 = 10.9 min.

    References
    ----------
    [003] Table 11.

    Examples
    --------
    >>> round(float(truck_travel_time(2.0, 22.0)), 1)
    10.9
    """
    non_negative("haul_distance", haul_distance, "km")
    positive("average_speed", average_speed, "km/h")
    l, V_с = np.asarray(haul_distance), np.asarray(average_speed)  # noqa: E741
    t_о: FloatLike = 2.0 * l * 60.0 / V_с
    return t_о


def truck_loading_time(loader_cycles: FloatLike, loader_cycle_time: FloatLike) -> FloatLike:
    r"""Time to load one truck.

    Parameters
    ----------
    loader_cycles : int or ndarray
        nц, loader cycles per truck. [-]
    loader_cycle_time : float or ndarray
        Tц, duration of one loader cycle. [s]

    Returns
    -------
    float or ndarray
        tп, loading time per truck. [min]

    Raises
    ------
    ValueError
        If an argument is not positive.

    Notes
    -----
    .. math:: t_п = \frac{n_ц T_ц}{60}

    Table 11 in [003]: 3 × 45 / 60 = 2.25, printed 2,3 min.

    References
    ----------
    [003] Table 11.

    Examples
    --------
    >>> float(truck_loading_time(3, 45.0))
    2.25
    """
    positive("loader_cycles", loader_cycles)
    positive("loader_cycle_time", loader_cycle_time, "s")
    t_п: FloatLike = np.asarray(loader_cycles) * np.asarray(loader_cycle_time) / 60.0
    return t_п


def truck_trip_time(
    travel_time: FloatLike,
    loading_time: FloatLike,
    unloading_time: FloatLike,
    loader_wait_time: FloatLike,
    unload_spotting_time: FloatLike,
    load_spotting_time: FloatLike,
) -> FloatLike:
    r"""Duration of one truck trip (cycle).

    Parameters
    ----------
    travel_time : float or ndarray
        tо, driving time per trip. [min]
    loading_time : float or ndarray
        tп, loading time. [min]
    unloading_time : float or ndarray
        tр, unloading (tipping) time. [min]
    loader_wait_time : float or ndarray
        tожп, waiting time at the loader. [min]
    unload_spotting_time : float or ndarray
        tур, time to spot the truck for unloading. [min]
    load_spotting_time : float or ndarray
        tуп, time to spot the truck under the loader (tм of Table 8, there in s). [min]

    Returns
    -------
    float or ndarray
        tоб, trip time. [min]

    Raises
    ------
    ValueError
        If a time is negative, or the loading time is not positive.

    Notes
    -----
    .. math:: t_{об} = t_о + t_п + t_р + t_{ожп} + t_{ур} + t_{уп}

    Table 11 in [003]: 10.91 + 2.25 + 0.8 + 0.4 + 0.6 + 0.7 = 15.7 min.

    References
    ----------
    [003] Table 11.

    Examples
    --------
    >>> round(float(truck_trip_time(120 / 11, 2.25, 0.8, 0.4, 0.6, 0.7)), 1)
    15.7
    """
    non_negative("travel_time", travel_time, "min")
    positive("loading_time", loading_time, "min")
    non_negative("unloading_time", unloading_time, "min")
    non_negative("loader_wait_time", loader_wait_time, "min")
    non_negative("unload_spotting_time", unload_spotting_time, "min")
    non_negative("load_spotting_time", load_spotting_time, "min")
    t_о, t_п, t_р = np.asarray(travel_time), np.asarray(loading_time), np.asarray(unloading_time)
    t_ожп, t_ур = np.asarray(loader_wait_time), np.asarray(unload_spotting_time)
    t_уп = np.asarray(load_spotting_time)
    t_об: FloatLike = t_о + t_п + t_р + t_ожп + t_ур + t_уп
    return t_об


def truck_shift_output(
    volume_per_truck: FloatLike,
    trip_time: FloatLike,
    shift_duration: FloatLike,
    preparation_time: FloatLike,
    break_time: FloatLike,
    personal_time: FloatLike,
) -> FloatLike:
    r"""Output norm of a truck per shift.

    Parameters
    ----------
    volume_per_truck : float or ndarray
        Vаф, in-situ volume per truck. [m³]
    trip_time : float or ndarray
        tоб, trip time. [min]
    shift_duration : float or ndarray
        Tсм, duration of a shift. [h]
    preparation_time : float or ndarray
        Tпз + Tоб, preparation, closing and workplace servicing time per shift. [min]
    break_time : float or ndarray
        Tпт, regulated break per shift. [min]
    personal_time : float or ndarray
        Tлн, personal needs time per shift. [min]

    Returns
    -------
    float or ndarray
        Нв, output norm of the truck, in-situ volume. [m³/shift]

    Raises
    ------
    ValueError
        If the volume, trip time or shift duration is not positive, a lost time is
        negative, the shift exceeds 24 h, or the lost times fill the whole shift.

    Notes
    -----
    .. math:: Н_в = \frac{[T_{см} - (T_{пз} + T_{об} + T_{пт} + T_{лн})]\, V_{аф}}{t_{об}}

    Table 11 in [003]: (480 - 60) × 9.69 / 15.66 = 260 m³/shift. The printed formula
    omits Tоб in the parenthesis but its row "Tпз + Tоб" = 40 min is what is subtracted.
    No whole number of trips is taken.

    References
    ----------
    [003] Table 11.

    Examples
    --------
    >>> round(float(truck_shift_output(3 * 4.2 / 1.3, 15.659, 8.0, 40.0, 10.0, 10.0)))
    260
    """
    positive("volume_per_truck", volume_per_truck, "m³")
    positive("trip_time", trip_time, "min")
    in_range("shift_duration", shift_duration, 0.0, 24.0, "h", low_inclusive=False)
    non_negative("preparation_time", preparation_time, "min")
    non_negative("break_time", break_time, "min")
    non_negative("personal_time", personal_time, "min")
    T_см = 60.0 * np.asarray(shift_duration)
    lost = np.asarray(preparation_time) + np.asarray(break_time) + np.asarray(personal_time)
    if np.any(lost >= T_см):
        raise ValueError(
            "preparation_time + break_time + personal_time must be < shift_duration "
            f"({T_см} min), got {lost} min"
        )
    Н_в: FloatLike = (T_см - lost) * np.asarray(volume_per_truck) / np.asarray(trip_time)
    return Н_в


def shift_volume(
    annual_volume: FloatLike, working_days: FloatLike, shifts_per_day: FloatLike = 1
) -> FloatLike:
    r"""Volume to move per shift from the annual volume.

    Parameters
    ----------
    annual_volume : float or ndarray
        Vг (Vб for dozing), annual volume. [m³/year]
    working_days : float or ndarray
        N, working days per year, in (0, 366]. [day/year]
    shifts_per_day : float or ndarray, optional
        n, shifts per day, in (0, 4]. [shift/day]

    Returns
    -------
    float or ndarray
        Vсм, volume per shift. [m³/shift]

    Raises
    ------
    ValueError
        If the volume is negative or the days or shifts are outside their ranges.

    Notes
    -----
    .. math:: V_{см} = \frac{V_г}{n N}

    Table 12 in [003] (N = 342): 273 556 / 342 = 800 m³/shift; Table 15:
    359 940 / 342 = 1052 m³/shift.

    References
    ----------
    [003] Tables 12 and 15.

    Examples
    --------
    >>> round(float(shift_volume(359_940.0, 342, 1)))
    1052
    """
    non_negative("annual_volume", annual_volume, "m³/year")
    in_range("working_days", working_days, 0.0, 366.0, "day/year", low_inclusive=False)
    in_range("shifts_per_day", shifts_per_day, 0.0, 4.0, "shift/day", low_inclusive=False)
    V_г, N, n = np.asarray(annual_volume), np.asarray(working_days), np.asarray(shifts_per_day)
    V_см: FloatLike = V_г / (n * N)
    return V_см


def split_volume(annual_volume: FloatLike, weights: npt.ArrayLike) -> npt.NDArray[np.float64]:
    r"""Split a stream's annual volume between truck models in proportion to weights.

    [003] weights each model by its shift output: with the same number of trucks of each
    model on a stream, each model hauls in proportion to its output. Volume shares that
    sum to 1 are weights too.

    Parameters
    ----------
    annual_volume : float or ndarray
        Vг of the stream (one value per stream for an array). [m³/year]
    weights : array_like
        Weight of each truck model along the last axis: its shift output Нв (m³/shift)
        as in [003], or its volume share; non-negative with a positive sum. [-]

    Returns
    -------
    ndarray
        Vг of each truck model, along the last axis. [m³/year]

    Raises
    ------
    ValueError
        If the volume or a weight is negative, or the weights sum to zero.

    Notes
    -----
    .. math:: V_{г,i} = V_г \frac{w_i}{\sum_j w_j}, \qquad w_i = Н_{в,i} \text{ in [003]}

    [003] prints the split volumes of Table 12 (28.9 + 20.2 = 49.1 and 273.6 + 191.5 =
    465.1 thousand m³) but not how it splits them. Weighting by the shift outputs
    reproduces all four to the printed digit (49.1 × 259.96 / 441.99 = 28.88), and its
    consequence, equal working fleets of both models on a stream (0.3 and 0.3, 2.2 and
    2.2 in Table 12), is what [003] prints. It is not the 0.6 / 0.4 split behind the
    loader's weighted output (Table 8): [003] uses the two inconsistently.

    References
    ----------
    [003] Table 12, "Годовой объем перевозок отходов".

    Examples
    --------
    >>> [round(float(v), 1) for v in split_volume(49.1, [259.96, 182.03])]
    [28.9, 20.2]
    """
    non_negative("annual_volume", annual_volume, "m³/year")
    w = np.asarray(weights, dtype=float)
    non_negative("weights", w)
    total = w.sum(axis=-1, keepdims=True)
    if np.any(total <= 0):
        raise ValueError(f"weights must have a positive sum, got {w}")
    V_г = np.asarray(annual_volume, dtype=float)[..., np.newaxis]
    V_гi: npt.NDArray[np.float64] = V_г * w / total
    return V_гi


def listed_fleet(working_fleet: FloatLike, technical_availability: FloatLike) -> FloatLike:
    r"""Compute the listed fleet of trucks: the working fleet plus trucks under repair.

    Parameters
    ----------
    working_fleet : float or ndarray
        Nа, working fleet, not rounded. [-]
    technical_availability : float or ndarray
        kтг, technical availability factor, in (0, 1]. [-]

    Returns
    -------
    float or ndarray
        Nсп, listed fleet, not rounded. [-]

    Raises
    ------
    ValueError
        If the working fleet is negative or the availability is outside (0, 1].

    Notes
    -----
    .. math:: N_{сп} = \frac{N_а}{k_{тг}}

    Table 12 in [003] prints the formula ``Nсп = Nа ∙ kтг``, but its numbers are the
    division: 0.325 / 0.85 = 0.38 -> 0.4 and 2.152 / 0.85 = 2.53 -> 2.5 (the product
    would give 0.28 and 1.83). Only the division makes sense: trucks under repair add to
    the fleet, so the listed fleet cannot be smaller than the working one.

    References
    ----------
    [003] Table 12, "Списочный парк автосамосвалов".

    Examples
    --------
    >>> round(float(listed_fleet(0.325, 0.85)), 2)
    0.38
    """
    non_negative("working_fleet", working_fleet)
    in_range("technical_availability", technical_availability, 0.0, 1.0, low_inclusive=False)
    N_а, k_тг = np.asarray(working_fleet), np.asarray(technical_availability)
    N_сп: FloatLike = N_а / k_тг
    return N_сп
