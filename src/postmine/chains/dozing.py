"""The bulldozer of the 003 machine chain: output and fleet (003 sec. 4.3, Tables 13-15).

The last link of the chain of :mod:`postmine.chains.machines` (loader -> trucks ->
bulldozer): the drag prism, cycle, push loss factor, technical and shift output of the
bulldozer (Table 14) and the fleet that pushes the volume unloaded on the dump (Table 15).

Units: SI inside and at this API (m, m/s, s, m³; annual volumes in m³/year, outputs in
m³/shift); the methods of :mod:`postmine.methods.dozing` take the shift in h.

Examples
--------
>>> from postmine.data.equipment import Bulldozer, get_equipment
>>> t170 = get_equipment("T-170", Bulldozer)
>>> round(dozer_output(t170, 15.0, 36.0, 1.03, 0.8, 8 * 3600.0, 0.8).shift_output_m3)
1473
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from postmine.chains.machines import SECONDS_PER_HOUR, FloatArray, ShiftRegime
from postmine.data.equipment import Bulldozer
from postmine.methods.dozing import (
    dozer_cycle_time,
    dozer_shift_output,
    dozer_technical_output,
    dozer_travel_time,
    dozing_volume,
    drag_prism_volume,
    inventory_fleet,
    push_loss_factor,
)
from postmine.methods.haulage import required_fleet, round_up_fleet, shift_volume

__all__ = ["DozerFleet", "DozerOutput", "dozer_fleet", "dozer_output", "dozer_shift_outputs"]


def _floats(values: npt.ArrayLike) -> FloatArray:
    """Return ``values`` as an array of floats."""
    return np.asarray(values, dtype=np.float64)


@dataclass(frozen=True)
class DozerOutput:
    """Cycle and output of the bulldozer (Table 14 of 003).

    Attributes
    ----------
    drag_prism_volume_m3 : float
        V_пр, drag prism from the blade. [m³]
    push_time_s : float
        t_д.г, time of the push. [s]
    return_time_s : float
        t_д.п, time of the return run. [s]
    cycle_time_s : float
        t_ц, cycle time. [s]
    push_loss_factor : float
        K_п, push loss factor. [-]
    technical_output_m3_h : float
        П_т, technical output. [m³/h]
    shift_output_m3 : float
        П_см, operating output per shift. [m³/shift]
    """

    drag_prism_volume_m3: float
    push_time_s: float
    return_time_s: float
    cycle_time_s: float
    push_loss_factor: float
    technical_output_m3_h: float
    shift_output_m3: float


def _dozer_arrays(
    dozer: Bulldozer,
    push_distance_m: npt.ArrayLike,
    material_repose_angle_deg: float,
    loosening_factor: npt.ArrayLike,
    terrain_factor: float,
    shift_duration_s: float,
    utilisation: float,
    push_loss_rate: float,
) -> tuple[FloatArray, ...]:
    """Compute V_пр, t_д.г, t_д.п, t_ц, K_п, П_т, П_см as arrays (Table 14 of 003)."""
    L = _floats(push_distance_m)
    V_пр = _floats(
        drag_prism_volume(dozer.blade_height_m, dozer.blade_width_m, material_repose_angle_deg)
    )
    t_дг = _floats(dozer_travel_time(L, dozer.loaded_speed_m_s))
    t_дп = _floats(dozer_travel_time(L, dozer.return_speed_m_s))
    t_ц = _floats(
        dozer_cycle_time(L, dozer.loaded_speed_m_s, dozer.return_speed_m_s, dozer.gear_shift_time_s)
    )
    K_п = _floats(push_loss_factor(L, push_loss_rate))
    П_т = _floats(dozer_technical_output(V_пр, t_ц, K_п, terrain_factor, _floats(loosening_factor)))
    П_см = _floats(dozer_shift_output(П_т, shift_duration_s / SECONDS_PER_HOUR, utilisation))
    return V_пр, t_дг, t_дп, t_ц, K_п, П_т, П_см


def dozer_output(
    dozer: Bulldozer,
    push_distance_m: float,
    material_repose_angle_deg: float,
    loosening_factor: float,
    terrain_factor: float,
    shift_duration_s: float,
    utilisation: float,
    push_loss_rate: float = 0.005,
) -> DozerOutput:
    """Compute the bulldozer's cycle, technical and shift output (Table 14 of 003).

    Parameters
    ----------
    dozer : Bulldozer
        Blade height and width [m], pushing and return speeds [m/s], gear-change time [s].
    push_distance_m : float
        L_д.г, distance the material is pushed (the return run the same). [m]
    material_repose_angle_deg : float
        φ, angle of repose of the material in motion. [°]
    loosening_factor : float
        k_р, loosening factor of the pushed material. [-]
    terrain_factor : float
        K_д, factor of the terrain. [-]
    shift_duration_s : float
        t, duration of a shift. [s]
    utilisation : float
        k_и, share of the shift time used for work. [-]
    push_loss_rate : float, optional
        Share of the prism lost per metre pushed. [1/m]

    Returns
    -------
    DozerOutput
        V_пр [m³], t_д.г, t_д.п, t_ц [s], K_п [-], П_т [m³/h], П_см [m³/shift].

    Raises
    ------
    ValueError
        If a value is out of range as in :mod:`postmine.methods.dozing`.

    Notes
    -----
    V_пр = B H² / (2 tg φ); t_ц = L/V_д.г + L/V_д.п + t_в; K_п = 1 − 0.005 L;
    П_т = 3600 V_пр K_п K_д / (t_ц k_р); П_см = П_т t k_и (Table 14 in [003]; the method
    takes t in h).

    Examples
    --------
    >>> from postmine.data.equipment import Bulldozer, get_equipment
    >>> out = dozer_output(get_equipment("T-170", Bulldozer), 15.0, 36.0, 1.03, 0.8,
    ...                    8 * 3600.0, 0.8)
    >>> round(out.drag_prism_volume_m3, 1), round(out.return_time_s, 1)  # Table 14: 3.9, 12.5
    (3.9, 12.5)
    """
    values = _dozer_arrays(
        dozer,
        push_distance_m,
        material_repose_angle_deg,
        loosening_factor,
        terrain_factor,
        shift_duration_s,
        utilisation,
        push_loss_rate,
    )
    return DozerOutput(*(float(v) for v in values))


def dozer_shift_outputs(
    dozer: Bulldozer,
    push_distance_m: npt.ArrayLike,
    material_repose_angle_deg: float,
    loosening_factor: npt.ArrayLike,
    terrain_factor: float,
    shift_duration_s: float,
    utilisation: float,
    push_loss_rate: float = 0.005,
) -> FloatArray:
    """Return П_см of the bulldozer for many push distances and loosening factors.

    Same as :func:`dozer_output` (Table 14 of 003), vectorised over ``push_distance_m`` [m]
    and ``loosening_factor`` [-], which broadcast together. [m³/shift]
    """
    values = _dozer_arrays(
        dozer,
        push_distance_m,
        material_repose_angle_deg,
        loosening_factor,
        terrain_factor,
        shift_duration_s,
        utilisation,
        push_loss_rate,
    )
    return np.atleast_1d(values[-1])


@dataclass(frozen=True)
class DozerFleet:
    """The bulldozer fleet of Table 15 of 003.

    Attributes
    ----------
    dozing_volume_m3 : float
        V_б, annual volume of dozing. [m³/year]
    shift_volume_m3 : float
        V_см, volume of dozing per shift. [m³/shift]
    working_fleet : float
        N_р, working fleet, not rounded. [-]
    inventory_fleet : float
        N_р K_р, inventory fleet, not rounded. [-]
    whole : int
        Inventory fleet in whole machines. [-]
    """

    dozing_volume_m3: float
    shift_volume_m3: float
    working_fleet: float
    inventory_fleet: float
    whole: int


def dozer_fleet(
    dumped_volume_m3: float,
    dozed_fraction: float,
    shift_output_m3: float,
    regime: ShiftRegime,
    reserve_factor: float,
    fleet_rel_tol: float,
) -> DozerFleet:
    """Compute the bulldozer fleet from the volume unloaded on the dump (Table 15 of 003).

    Parameters
    ----------
    dumped_volume_m3 : float
        Annual volume unloaded on the dump, in place. [m³/year]
    dozed_fraction : float
        K_з, share of the unloaded volume the bulldozer pushes. [-]
    shift_output_m3 : float
        П_см, from :func:`dozer_output`. [m³/shift]
    regime : ShiftRegime
        Working days and shifts a day.
    reserve_factor : float
        K_р, reserve factor of the fleet. [-]
    fleet_rel_tol : float
        Relative excess over a whole number not rounded up to one more machine. [-]

    Returns
    -------
    DozerFleet
        V_б [m³/year], V_см [m³/shift], N_р, N_р K_р and whole machines [-].

    Raises
    ------
    ValueError
        If a value is out of range as in :mod:`postmine.methods.dozing` and
        :mod:`postmine.methods.haulage`.

    Notes
    -----
    V_б = V K_з; V_см = V_б / (N n); N_р = V_см / П_см; N_инв = N_р K_р (Table 15 in [003]).

    Examples
    --------
    >>> from postmine.chains.machines import ShiftRegime
    >>> fleet = dozer_fleet(514_200.0, 0.7, 1473.02, ShiftRegime(8 * 3600.0, 1, 342), 1.4, 0.005)
    >>> round(fleet.shift_volume_m3), fleet.whole  # Table 15: 1052 m³/shift, one bulldozer
    (1052, 1)
    """
    V_б = float(dozing_volume(dumped_volume_m3, dozed_fraction))
    V_см = float(shift_volume(V_б, regime.working_days, regime.shifts_per_day))
    N_р = float(required_fleet(V_см, shift_output_m3))
    N_инв = float(inventory_fleet(N_р, reserve_factor))
    return DozerFleet(V_б, V_см, N_р, N_инв, int(round_up_fleet(N_инв, fleet_rel_tol)))
