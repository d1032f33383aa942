"""Reclamation works of a PR1 dump through the 003 machine chain: volumes, outputs, shifts.

The dump of practical work 1 of [004] (:mod:`postmine.chains.pit_allotment`), once flattened,
is reclaimed by four activities; this chain sizes their volumes and the machine-shifts of
each machine model with the loader -> truck -> bulldozer chain of [003]
(:func:`postmine.chains.machines.haul_chain`, :func:`postmine.chains.dozing.dozer_shift_outputs`).
Units: SI (m, m², m³, s); outputs per shift in m³/shift.

Activities
----------
``topsoil-stripping``
    The loader loads the topsoil of the disturbed land S_н (legend of Eq. 1.19 of [004]),
    in place, into the trucks, which haul it to the store.
``slope-flattening``
    The bulldozer moves the flattening volume of the scheme (Eq. 1.7 or 1.10) across the
    horizontal run of the slope as built, h_о ctg α (:func:`flattening_push_distance`).
``surface-planning``
    If a planning volume is given: the bulldozer plans the dump top (003 sec. 3.2).
``topsoil-spreading``
    The loader and trucks bring the topsoil back onto the dump top and slopes (S_в + S_б of
    the flattened dump) and the bulldozer spreads it (K_з = 1): the whole store, or the
    given thickness times the area covered if the store holds enough.

References
----------
[003] Abaza mine, technical reclamation of disturbed land (2022), sec. 3.2, Tables 8-15.
[004] Practical works on rational nature use in mining, PR1, Eqs. (1.4)-(1.19).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from postmine.chains.dozing import dozer_shift_outputs
from postmine.chains.machines import HaulChain
from postmine.chains.pit_allotment import SchemeLand
from postmine.data.equipment import Bulldozer
from postmine.methods import backfill, dumps, haulage, land_allotment

__all__ = [
    "ACTIVITIES",
    "DozerSettings",
    "DumpDozerOutputs",
    "DumpWorks",
    "DumpWorksInputs",
    "MachineWork",
    "dump_dozer_outputs",
    "dump_works",
    "flattening_push_distance",
]

#: Activities of the reclamation of a dump, in the order of the works.
ACTIVITIES: tuple[str, ...] = (
    "topsoil-stripping",
    "slope-flattening",
    "surface-planning",
    "topsoil-spreading",
)


@dataclass(frozen=True)
class DumpWorksInputs:
    """What the works of a dump need besides its PR1 geometry and the machines (SI).

    Parameters
    ----------
    topsoil_thickness_m : float
        m_п, thickness of the fertile layer stripped (Table 1.2 of [004]). [m]
    topsoil_spread_thickness_m : float or None
        Thickness of topsoil spread on the dump top and slopes; ``None`` spreads the whole
        store evenly. [m]
    planning_volume_m3 : float or None
        V_пл, volume of planning of the dump top (003 sec. 3.2); ``None``: no planning. [m³]
    """

    topsoil_thickness_m: float
    topsoil_spread_thickness_m: float | None = None
    planning_volume_m3: float | None = None


@dataclass(frozen=True)
class DozerSettings:
    """The bulldozer of the works and how it works (003 Table 14).

    Parameters
    ----------
    dozer : Bulldozer
        The catalogue's machine (blade, speeds, gear-change time).
    name : str
        The machine model as the caller spells it (e.g. as in a project's ``[costs]``).
    push_distance_m : float
        L, push distance of planning and spreading. [m]
    material_repose_angle_deg : float
        φ, angle of repose of the pushed material. [°]
    rock_loosening_factor : float
        k_р of the dump rock (flattening, planning). [-]
    topsoil_loosening_factor : float
        k_р of the topsoil (spreading), K_р of Eq. 1.19 of [004]. [-]
    terrain_factor : float
        K_д, factor of the terrain. [-]
    utilisation : float
        k_и, share of the shift used for work. [-]
    """

    dozer: Bulldozer
    name: str
    push_distance_m: float
    material_repose_angle_deg: float
    rock_loosening_factor: float
    topsoil_loosening_factor: float
    terrain_factor: float
    utilisation: float


@dataclass(frozen=True)
class DumpDozerOutputs:
    """Push distances [m] and П_см of each dozing activity [m³/shift] (003 Table 14)."""

    flattening_push_m: float
    push_m: float
    flattening_m3: float
    planning_m3: float
    spreading_m3: float


@dataclass(frozen=True)
class MachineWork:
    """One machine model on one activity: volume [m³], output [m³/shift], machine-shifts."""

    activity: str
    equipment: str
    volume_m3: float
    shift_output_m3: float
    machine_shifts: float
    push_distance_m: float | None = None
    haul_distance_m: float | None = None


@dataclass(frozen=True)
class DumpWorks:
    """The reclamation works of a flattened PR1 dump (see :func:`dump_works`)."""

    strip_volume_m3: float
    """Topsoil stripped from S_н, in place (Eq. 1.19 of [004] with K_р = 1). [m³]"""
    spread_volume_m3: float
    """Topsoil spread on the dump top and slopes, in place. [m³]"""
    spread_need_m3: float | None
    """Topsoil the asked-for cover needs; ``None`` when the whole store is spread. [m³]"""
    cover_area_m2: float
    """S_в + S_б of the flattened dump. [m²]"""
    spread_thickness_m: float
    """Thickness of the spread cover. [m]"""
    machines: tuple[MachineWork, ...]
    """Every machine model of every activity, in the order of :data:`ACTIVITIES`."""

    @property
    def shortfall(self) -> bool:
        """Whether the store holds less topsoil than the asked-for cover needs."""
        need = self.spread_need_m3
        return need is not None and need > self.strip_volume_m3 * (1.0 + 1e-9)


def flattening_push_distance(dump_height: float, slope_angle: float) -> float:
    """Return the push of the slope flattening: the slope's horizontal run h_о ctg α, m.

    C/2 of Eqs. 1.4-1.6 of [004] (:func:`~postmine.methods.dumps.base_top_difference`): in
    both schemes the rock cut from the slope is pushed along it, across its run. A reading,
    not a formula of [004].

    Examples
    --------
    >>> round(flattening_push_distance(45.0, 38.0), 2)
    57.6
    """
    return float(dumps.base_top_difference(dump_height, slope_angle)) / 2.0


def dump_dozer_outputs(
    settings: DozerSettings, dump_height: float, slope_angle: float, shift_duration_s: float
) -> DumpDozerOutputs:
    """Return П_см of the bulldozer flattening, planning and spreading (003 Table 14).

    Parameters
    ----------
    settings : DozerSettings
        The bulldozer and its work.
    dump_height : float
        h_о, height of the dump as built. [m]
    slope_angle : float
        α, working slope angle. [°]
    shift_duration_s : float
        T_см, duration of a shift. [s]

    Returns
    -------
    DumpDozerOutputs
        The flattening push h_о ctg α [m] and the three outputs [m³/shift].

    Raises
    ------
    ValueError
        As :func:`postmine.chains.dozing.dozer_shift_outputs` (e.g. a push of 200 m or more).
    """
    s = settings
    run = flattening_push_distance(dump_height, slope_angle)
    flatten, plan, spread = (
        float(x)
        for x in dozer_shift_outputs(
            s.dozer,
            np.array([run, s.push_distance_m, s.push_distance_m]),
            s.material_repose_angle_deg,
            np.array(
                [s.rock_loosening_factor, s.rock_loosening_factor, s.topsoil_loosening_factor]
            ),
            s.terrain_factor,
            shift_duration_s,
            s.utilisation,
        )
    )
    return DumpDozerOutputs(run, s.push_distance_m, flatten, plan, spread)


_Row = tuple[str, str, float, float, float, float | None, float | None]


def _loading(activity: str, loader: str, haul: HaulChain, volume: float) -> list[_Row]:
    """Rows of the loader and the truck models, machine-shifts by the haul chain."""
    loader_shifts, truck_shifts = haul.machine_shifts(volume)
    rows: list[_Row] = [
        (activity, loader, volume, haul.loader_weighted_output_m3, loader_shifts, None, None)
    ]
    for model, Н_в in haul.truck_outputs_m3.items():
        share = volume * haul.truck_shares[model]
        rows.append((activity, model, share, Н_в, truck_shifts[model], None, haul.haul_distance_m))
    return rows


def _dozing(activity: str, dozer: str, volume: float, output: float, push_m: float) -> _Row:
    """Row of the bulldozer: machine-shifts V / П_см (003 Table 15 per shift)."""
    shifts = float(haulage.required_fleet(volume, output))
    return (activity, dozer, volume, output, shifts, push_m, None)


def _topsoil_volumes(
    land: SchemeLand, inputs: DumpWorksInputs
) -> tuple[float, float, float | None, float]:
    """Return the stripped, spread and needed topsoil [m³] and the area covered [m²]."""
    f = land.flattened
    strip = float(
        land_allotment.topsoil_volume(land.disturbed_area_m2, inputs.topsoil_thickness_m, 1.0)
    )
    cover_area = float(f.top_area) + float(f.side_area)
    if inputs.topsoil_spread_thickness_m is None:
        return strip, strip, None, cover_area
    need = float(land_allotment.topsoil_volume(cover_area, inputs.topsoil_spread_thickness_m, 1.0))
    return strip, min(need, strip), need, cover_area


def dump_works(
    land: SchemeLand,
    inputs: DumpWorksInputs,
    haul: HaulChain | None,
    loader_name: str,
    dozer_name: str,
    dozing: DumpDozerOutputs,
) -> DumpWorks:
    """Size the reclamation works of a flattened PR1 dump (003 Tables 8-15, 004 Eq. 1.19).

    Parameters
    ----------
    land : SchemeLand
        The flattening scheme of the PR1 chain the works follow.
    inputs : DumpWorksInputs
        Topsoil thickness, cover thickness and planning volume.
    haul : HaulChain or None
        The loader -> trucks chain of the topsoil (:func:`~postmine.chains.machines.haul_chain`);
        ``None`` when no topsoil is stripped.
    loader_name, dozer_name : str
        The loader and bulldozer models as the caller spells them.
    dozing : DumpDozerOutputs
        The bulldozer's outputs (:func:`dump_dozer_outputs`).

    Returns
    -------
    DumpWorks
        Volumes and every machine's machine-shifts V / Q_см (003 Tables 9, 12, 15).

    Examples
    --------
    Variant 1 of Table 1.2 of [004], flattened bottom-up by a T-170 (003 Table 14), no topsoil
    haul given:

    >>> from postmine.chains.pit_allotment import PitAllotmentInputs, pit_land_allotment
    >>> from postmine.data.equipment import get_equipment
    >>> pr1 = PitAllotmentInputs(1100.0, 90.0, 55.0, 35.0, 0.1, 45.0, 5.0, 0.5)
    >>> land = pit_land_allotment(pr1).schemes["bottom-up"]
    >>> t170 = DozerSettings(get_equipment("T-170", Bulldozer), "T-170", 15.0, 36.0, 1.03, 1.1,
    ...                      0.8, 0.8)
    >>> rates = dump_dozer_outputs(t170, 45.0, 38.0, 8 * 3600.0)
    >>> works = dump_works(land, DumpWorksInputs(0.5), None, "SDLG L975F", "T-170", rates)
    >>> [(m.activity, round(m.volume_m3), round(m.machine_shifts)) for m in works.machines]
    [('slope-flattening', 3895721, 10972)]
    """
    strip, spread, need, cover_area = _topsoil_volumes(land, inputs)
    rows: list[_Row] = []
    if haul is not None and strip > 0:
        rows += _loading("topsoil-stripping", loader_name, haul, strip)
    flattening = float(land.flattened.flattening_volume)
    push = dozing.flattening_push_m
    rows.append(_dozing("slope-flattening", dozer_name, flattening, dozing.flattening_m3, push))
    if inputs.planning_volume_m3 is not None:
        V_пл = inputs.planning_volume_m3
        rows.append(
            _dozing("surface-planning", dozer_name, V_пл, dozing.planning_m3, dozing.push_m)
        )
    if haul is not None and strip > 0 and spread > 0:
        rows += _loading("topsoil-spreading", loader_name, haul, spread)
        rows.append(
            _dozing("topsoil-spreading", dozer_name, spread, dozing.spreading_m3, dozing.push_m)
        )
    machines = tuple(MachineWork(*row) for row in rows)
    thickness = float(backfill.reclamation_layer_thickness(spread, cover_area))
    return DumpWorks(strip, spread, need, cover_area, thickness, machines)
