"""Bulldozer dumping: drag prism, cycle, technical and shift output, volume and fleet.

The method of section 4.3 "Бульдозерное отвалообразование" of [003]: a bulldozer pushes
the waste unloaded by trucks over the crest of the dump. Its output per cycle is the drag
prism in front of the blade, reduced by the losses along the push and by the terrain,
and counted in place.

Units follow Tables 13-15 of [003]: blade dimensions and push distance in m, speeds in
m/s, cycle times in seconds, shift duration in hours, volumes in m³. The volume per shift
and the working fleet use :func:`postmine.methods.haulage.shift_volume` and
:func:`postmine.methods.haulage.required_fleet`; the whole fleet
:func:`postmine.methods.haulage.round_up_fleet`.

References
----------
[003] Abaza mine, technical reclamation of disturbed land, project documentation vol. 3
      book 1 (2022), section 4.3, Tables 13-15.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from postmine.core.checks import angle, at_least, in_range, non_negative, positive

__all__ = [
    "dozer_cycle_time",
    "dozer_shift_output",
    "dozer_technical_output",
    "dozer_travel_time",
    "dozing_volume",
    "drag_prism_volume",
    "inventory_fleet",
    "push_loss_factor",
]

FloatLike = float | npt.NDArray[np.float64]


def drag_prism_volume(
    blade_height: FloatLike, blade_width: FloatLike, material_repose_angle: FloatLike
) -> FloatLike:
    r"""Volume of the drag prism, the wedge of material pushed in front of the blade.

    Parameters
    ----------
    blade_height : float or ndarray
        H, height of the blade. [m]
    blade_width : float or ndarray
        B, width (length) of the blade. [m]
    material_repose_angle : float or ndarray
        φ, angle of repose of the material in motion. [°]

    Returns
    -------
    float or ndarray
        Vпр, drag prism volume (loose material). [m³]

    Raises
    ------
    ValueError
        If a blade dimension is not positive or the angle is outside (0°, 90°).

    Notes
    -----
    .. math:: V_{пр} = \frac{0.5\, H^2 B}{\operatorname{tg} φ}

    Table 14 in [003]: 0.5 × 1.31² × 3.31 / tg 36° = 3.91, printed 3,9 m³. The extracted
    text lost the fraction bar (``0,5 ∙ H2 ∙ B`` above ``tgφ``); without the division the
    prism would be 2.84 m³. Table 13 gives the manufacturer's drag prism of the T-170 as
    4.75 m³; [003] computes with 3.91.

    References
    ----------
    [003] Tables 13 and 14.

    Examples
    --------
    >>> round(float(drag_prism_volume(1.31, 3.31, 36.0)), 2)
    3.91
    """
    positive("blade_height", blade_height, "m")
    positive("blade_width", blade_width, "m")
    angle("material_repose_angle", material_repose_angle)
    H, B = np.asarray(blade_height), np.asarray(blade_width)
    φ = np.radians(material_repose_angle)
    V_пр: FloatLike = 0.5 * H**2 * B / np.tan(φ)
    return V_пр


def dozer_travel_time(distance: FloatLike, speed: FloatLike) -> FloatLike:
    r"""Time of one run of the bulldozer (the loaded push or the empty return).

    Parameters
    ----------
    distance : float or ndarray
        Lд.г or Lд.п, length of the run. [m]
    speed : float or ndarray
        Vд.г or Vд.п, speed of the run. [m/s]

    Returns
    -------
    float or ndarray
        tд.г or tд.п, time of the run. [s]

    Raises
    ------
    ValueError
        If the distance is negative or the speed is not positive.

    Notes
    -----
    .. math:: t_{д.г} = \frac{L_{д.г}}{V_{д.г}}, \qquad t_{д.п} = \frac{L_{д.п}}{V_{д.п}}

    Table 14 in [003]: 15 / 0.7 = 21.4 s (printed 21) and 15 / 1.2 = 12.5 s.

    References
    ----------
    [003] Table 14.

    Examples
    --------
    >>> float(dozer_travel_time(15.0, 1.2))
    12.5
    """
    non_negative("distance", distance, "m")
    positive("speed", speed, "m/s")
    t: FloatLike = np.asarray(distance) / np.asarray(speed)
    return t


def dozer_cycle_time(
    push_distance: FloatLike,
    loaded_speed: FloatLike,
    return_speed: FloatLike,
    gear_shift_time: FloatLike,
    return_distance: FloatLike | None = None,
) -> FloatLike:
    r"""Duration of one bulldozer cycle: push, return and gear changes.

    Parameters
    ----------
    push_distance : float or ndarray
        Lд.г, distance the material is pushed. [m]
    loaded_speed : float or ndarray
        Vд.г, speed pushing a load. [m/s]
    return_speed : float or ndarray
        Vд.п, speed of the empty return run. [m/s]
    gear_shift_time : float or ndarray
        tв, auxiliary time per cycle (gear changes). [s]
    return_distance : float or ndarray, optional
        Lд.п, length of the return run; by default the push distance, as in [003]. [m]

    Returns
    -------
    float or ndarray
        tц, cycle time. [s]

    Raises
    ------
    ValueError
        If a distance or the auxiliary time is negative, or a speed is not positive.

    Notes
    -----
    .. math:: t_ц = \frac{L_{д.г}}{V_{д.г}} + \frac{L_{д.п}}{V_{д.п}} + t_в

    Table 14 in [003]: 15 / 0.7 + 15 / 1.2 + 10 = 43.9 s, printed 44 (and used as 44 in
    the output; see :func:`dozer_technical_output`).

    References
    ----------
    [003] Table 14.

    Examples
    --------
    >>> round(float(dozer_cycle_time(15.0, 0.7, 1.2, 10.0)), 1)
    43.9
    """
    non_negative("push_distance", push_distance, "m")
    positive("loaded_speed", loaded_speed, "m/s")
    positive("return_speed", return_speed, "m/s")
    non_negative("gear_shift_time", gear_shift_time, "s")
    L_дп = push_distance if return_distance is None else return_distance
    non_negative("return_distance", L_дп, "m")
    t_дг = np.asarray(push_distance) / np.asarray(loaded_speed)
    t_дп = np.asarray(L_дп) / np.asarray(return_speed)
    t_ц: FloatLike = t_дг + t_дп + np.asarray(gear_shift_time)
    return t_ц


def push_loss_factor(push_distance: FloatLike, loss_rate: FloatLike = 0.005) -> FloatLike:
    r"""Share of the drag prism left after the losses along the push.

    Parameters
    ----------
    push_distance : float or ndarray
        Lд.г, distance the material is pushed; the factor must stay positive, so
        ``push_distance < 1 / loss_rate`` (200 m by default). [m]
    loss_rate : float or ndarray, optional
        Share of the prism lost per metre of push, 0.005 in [003]. [1/m]

    Returns
    -------
    float or ndarray
        Kп, push loss factor, in (0, 1]. [-]

    Raises
    ------
    ValueError
        If the distance or the loss rate is negative, or the losses would consume the
        whole prism.

    Notes
    -----
    .. math:: K_п = 1 - 0.005\, L_{д.г}

    Table 14 in [003]: 1 - 0.005 × 15 = 0.925, printed 0,93 (and used as 0.93 in the
    output; see :func:`dozer_technical_output`).

    References
    ----------
    [003] Table 14.

    Examples
    --------
    >>> round(float(push_loss_factor(15.0)), 3)
    0.925
    """
    non_negative("push_distance", push_distance, "m")
    non_negative("loss_rate", loss_rate, "1/m")
    K_п = 1.0 - np.asarray(loss_rate) * np.asarray(push_distance)
    if np.any(K_п <= 0):
        raise ValueError(
            f"push_distance must be < 1 / loss_rate m, got {np.asarray(push_distance)} m "
            f"with loss_rate {np.asarray(loss_rate)} 1/m"
        )
    result: FloatLike = K_п
    return result


def dozer_technical_output(
    drag_prism_volume: FloatLike,
    cycle_time: FloatLike,
    push_loss_factor: FloatLike,
    terrain_factor: FloatLike,
    loosening_factor: FloatLike,
) -> FloatLike:
    r"""Technical (hourly) output of a bulldozer, in-situ volume.

    Parameters
    ----------
    drag_prism_volume : float or ndarray
        Vпр, drag prism volume. [m³]
    cycle_time : float or ndarray
        tц, cycle time. [s]
    push_loss_factor : float or ndarray
        Kп, share of the prism left after the push, in (0, 1]. [-]
    terrain_factor : float or ndarray
        Kд, factor of the terrain (slope of the push), positive. [-]
    loosening_factor : float or ndarray
        kр, loosening factor of the pushed material, at least 1. [-]

    Returns
    -------
    float or ndarray
        Пт, technical output. [m³/h]

    Raises
    ------
    ValueError
        If the prism, cycle time or terrain factor is not positive, the loss factor is
        outside (0, 1], or the loosening factor is below 1.

    Notes
    -----
    .. math:: П_т = \frac{3600\, V_{пр} K_п K_д}{t_ц k_р}

    Table 14 in [003] prints 231 m³/h. It rounds tц to 44 s and Kп to 0.93 before
    multiplying: 3600 × 3.909 × 0.93 × 0.8 / (44 × 1.03) = 231.0. Unrounded arithmetic
    gives 3600 × 3.909 × 0.925 × 0.8 / (43.93 × 1.03) = 230.2 m³/h, 0.4 % less; the code
    does not round intermediates.

    References
    ----------
    [003] Table 14.

    Examples
    --------
    >>> round(float(dozer_technical_output(3.9091, 43.9286, 0.925, 0.8, 1.03)), 1)
    230.2
    """
    positive("drag_prism_volume", drag_prism_volume, "m³")
    positive("cycle_time", cycle_time, "s")
    in_range("push_loss_factor", push_loss_factor, 0.0, 1.0, low_inclusive=False)
    positive("terrain_factor", terrain_factor)
    at_least("loosening_factor", loosening_factor, 1.0)
    V_пр, t_ц, K_п = (
        np.asarray(drag_prism_volume),
        np.asarray(cycle_time),
        np.asarray(push_loss_factor),
    )
    K_д, k_р = np.asarray(terrain_factor), np.asarray(loosening_factor)
    П_т: FloatLike = 3600.0 * V_пр * K_п * K_д / (t_ц * k_р)
    return П_т


def dozer_shift_output(
    technical_output: FloatLike, shift_duration: FloatLike, utilisation: FloatLike
) -> FloatLike:
    r"""Operating output of a bulldozer per shift.

    Parameters
    ----------
    technical_output : float or ndarray
        Пт, technical output. [m³/h]
    shift_duration : float or ndarray
        t, duration of a shift. [h]
    utilisation : float or ndarray
        kи, share of the shift time used for work, in (0, 1]. [-]

    Returns
    -------
    float or ndarray
        Псм, operating output per shift. [m³/shift]

    Raises
    ------
    ValueError
        If the output is negative, the shift duration is outside (0, 24] h or the
        utilisation outside (0, 1].

    Notes
    -----
    .. math:: П_{см} = П_т\, t\, k_и

    Table 14 in [003]: 231.0 × 8 × 0.8 = 1479 m³/shift with the rounded intermediates of
    [003]; unrounded, 230.2 × 8 × 0.8 = 1473 m³/shift.

    References
    ----------
    [003] Table 14.

    Examples
    --------
    >>> round(float(dozer_shift_output(230.16, 8.0, 0.8)))
    1473
    """
    non_negative("technical_output", technical_output, "m³/h")
    in_range("shift_duration", shift_duration, 0.0, 24.0, "h", low_inclusive=False)
    in_range("utilisation", utilisation, 0.0, 1.0, low_inclusive=False)
    П_т, t, k_и = np.asarray(technical_output), np.asarray(shift_duration), np.asarray(utilisation)
    П_см: FloatLike = П_т * t * k_и
    return П_см


def dozing_volume(dumped_volume: FloatLike, dozed_fraction: FloatLike) -> FloatLike:
    r"""Volume the bulldozer must push, from the volume dumped by trucks.

    Parameters
    ----------
    dumped_volume : float or ndarray
        Vп + Vхв, volume unloaded on the dump (sum of the waste streams). [m³]
    dozed_fraction : float or ndarray
        Kз, "коэффициент заваленности": share of the dumped volume that the bulldozer
        pushes (the rest falls over the crest by itself), in [0, 1]. [-]

    Returns
    -------
    float or ndarray
        Vб, volume of bulldozer work. [m³]

    Raises
    ------
    ValueError
        If the volume is negative or the share is outside [0, 1].

    Notes
    -----
    .. math:: V_б = (V_п + V_{хв}) K_з

    Table 15 in [003]: (49.1 + 465.1) × 0.7 = 359.9 thousand m³/year, in-situ volumes of
    Table 4 (the volumes in the dump would be 53.0 and 422.8).

    References
    ----------
    [003] Table 15.

    Examples
    --------
    >>> round(float(dozing_volume(49.1 + 465.1, 0.7)), 2)
    359.94
    """
    non_negative("dumped_volume", dumped_volume, "m³")
    in_range("dozed_fraction", dozed_fraction, 0.0, 1.0)
    V_б: FloatLike = np.asarray(dumped_volume) * np.asarray(dozed_fraction)
    return V_б


def inventory_fleet(working_fleet: FloatLike, reserve_factor: FloatLike) -> FloatLike:
    r"""Inventory fleet of bulldozers: the working fleet with a reserve.

    Parameters
    ----------
    working_fleet : float or ndarray
        Nр, working fleet, not rounded. [-]
    reserve_factor : float or ndarray
        Kр, reserve factor, at least 1. [-]

    Returns
    -------
    float or ndarray
        Nинв, inventory fleet, not rounded (see
        :func:`postmine.methods.haulage.round_up_fleet`). [-]

    Raises
    ------
    ValueError
        If the working fleet is negative or the reserve factor is below 1.

    Notes
    -----
    .. math:: N_{инв} = N_р K_р

    Table 15 in [003] prints Nр = 0,7 and Nинв = 1. Unrounded, Nр = 1052.5 / 1473.0 =
    0.7145 and Nинв = 1.0003 (with the printed 1479 m³/shift, 0.996).

    References
    ----------
    [003] Table 15.

    Examples
    --------
    >>> round(float(inventory_fleet(0.7145, 1.4)), 4)
    1.0003
    """
    non_negative("working_fleet", working_fleet)
    at_least("reserve_factor", reserve_factor, 1.0)
    N_инв: FloatLike = np.asarray(working_fleet) * np.asarray(reserve_factor)
    return N_инв
