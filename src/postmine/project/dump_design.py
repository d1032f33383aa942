"""Design branch of a coal open pit with an external dump (004 PR1) and its reclamation works.

:func:`design_dump` turns the ``[dump]`` section of a project file into

* the tables of practical work 1 of [004]: the mining allotment and the overburden volume
  (Eqs. 1.2-1.3), the dump of circular, square and rectangular base and the one chosen
  (1.4-1.6), both slope-flattening schemes (1.7-1.11), the dust zone and the polluted land
  (1.12-1.18), the topsoil volume and store (1.19) and the total land allotment of each
  scheme, Table 1.1 (1.1). They come from :func:`postmine.calc.pit_land_allotment.solve`,
  the solver behind ``postmine calc pit-land-allotment``;
* the reclamation works of the site, sized with the loader, truck and bulldozer methods of
  [003] (:mod:`postmine.methods.haulage`, :mod:`postmine.methods.dozing`) and the machines of
  the project's ``[equipment]``, as work items by activity, year and machine model;
* findings: the flattening scheme chosen and why, the works after mining against the legal
  limit on technical reclamation, machine models used below ``equipment.min_utilisation``.

Activities
----------
``topsoil-stripping``
    The loader loads the topsoil of the disturbed land S_н (pit outline and dump base after
    flattening, legend of Eq. 1.19) into the trucks, which haul it to the store over
    ``dump.topsoil_haul_distance_km``; spread evenly over the mining years.
``slope-flattening``
    The bulldozer moves the flattening volume of the chosen scheme (Eq. 1.7 or 1.10). Its
    push distance is the horizontal run of the dump's slope as built, h_о ctg α (C/2 of
    Eqs. 1.4-1.6): in both schemes the rock cut from the slope is pushed along it, across its
    run. For the top-down scheme the distance between the centroids of the cut and the fill
    triangles is h_о (ctg α + ctg β) / 3, 13 % more at α = 38°, β = 18°; Nevada's SRCE takes
    2/3 of the final slope length. The run is a reading, not a formula of [004].
``surface-planning``
    If ``[planning]`` is given: the bulldozer plans ``planning.area_m2`` of the dump top
    with the specific volume of [003] sec. 3.2, pushing ``equipment.bulldozer.push_distance_m``.
``topsoil-spreading``
    The loader and trucks bring the topsoil back from the store onto the dump top and
    slopes (S_в + S_б of the flattened dump), and the bulldozer spreads all of it over
    ``equipment.bulldozer.push_distance_m`` (K_з = 1: spreading moves every cubic metre,
    unlike the 003 dump where part of the rock rolls down the slope by itself). The volume
    is the whole store, or ``dump.topsoil_spread_thickness_m`` times the area covered.

Volumes and hours
-----------------
Topsoil volumes are in place (bank m³): the loader's and the truck's outputs of [003] count
in-situ volume, with the topsoil's loosening factor K_р = 1.1 of Eq. (1.19). The flattening
and planning volumes are volumes of dump rock, with ``equipment.bulldozer.loosening_factor``.
Machine hours are shifts times the shift duration: hours = V / Q_см × T_см, where Q_см is
the machine's output per shift (Q_эсв of the loader weighted over the truck shares of
``equipment.loader.truck_shares``, Н_в of each truck model on the volume share of its model,
П_см of the bulldozer).

Schedule
--------
Stripping runs from ``schedule.start_year`` over ``dump.mining_years``. After mining ends
(1 January of ``start_year + mining_years``), flattening, planning and spreading follow one
another without gaps. Each lasts as long as its slowest machine model needs:
hours / (machines × available hours of one machine a year), with the machines of
``dump.machines_after_mining`` (default: one loader, one bulldozer, and the trucks of each
model that keep the loader busy, N_а = Q_эсв s_i / Н_в,i rounded up as in [003] Table 12);
the work of each calendar year is the share of the activity's time falling in it. The
available hours of one machine are working days × shifts × shift duration
(``work_regime.loader_working_days_per_year`` for the loader). The legal limit on the
duration of technical reclamation (``max_technical_years`` of the rule set, or of the
project's ``[rules]``) is compared with the works after mining; the stripping goes with the
mining and is not counted against it.

References
----------
[003] Abaza mine, technical reclamation of disturbed land (2022), sec. 3.2, 4.1-4.3.
[004] Practical works on rational nature use in mining, PR1, Eqs. (1.1)-(1.19), Table 1.1.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from postmine.calc.pit_land_allotment import PitLandAllotment, PitLandAllotmentInputs, solve
from postmine.data.equipment import Bulldozer, FrontLoader, Truck, get_equipment
from postmine.methods import backfill, dozing, dumps, haulage, land_allotment
from postmine.project.model import (
    Column,
    DesignPart,
    Finding,
    MaterialItem,
    Table,
    WorkItem,
    text,
)
from postmine.project.rules import RuleSet
from postmine.project.schema import Dump, ProjectFile

__all__ = ["ACTIVITIES", "design_dump"]

#: Activities of a dump project, in the order of the works.
ACTIVITIES: tuple[str, ...] = (
    "topsoil-stripping",
    "slope-flattening",
    "surface-planning",
    "topsoil-spreading",
)
_AFTER_MINING = ("slope-flattening", "surface-planning", "topsoil-spreading")

M2_PER_HA = 1.0e4
# A schedule shorter than this (in years) at the end of an activity is rounding noise.
_YEAR_EPS = 1e-9

_SCHEME = {
    "bottom-up": text("bottom-up", "снизу-вверх"),
    "top-down": text("top-down", "сверху-вниз"),
}
_RECONSTRUCTED = text(
    "Eqs. 1.4-1.6 and 1.10 of 004 were images lost in the extraction; they are reconstructed "
    "from frustum geometry (postmine.methods.dumps).",
    "Формулы (1.4)-(1.6) и (1.10) 004 утрачены при извлечении текста; восстановлены по "
    "геометрии усечённых тел (postmine.methods.dumps).",
)


@dataclass(frozen=True)
class _Machine:
    """One machine model of one activity: its volume, output and hours."""

    activity: str
    equipment: str
    volume_m3: float
    shift_output_m3: float
    machine_hours: float
    push_distance_m: float | None = None
    haul_distance_km: float | None = None


def _ha(area_m2: float) -> float:
    return area_m2 / M2_PER_HA


def _land(d: Dump) -> PitLandAllotment:
    """Run PR1 of 004 on the ``[dump]`` section (the methods validate every value)."""
    inputs = PitLandAllotmentInputs.model_construct(
        pit_bottom_length=d.pit_bottom_length_m,
        pit_bottom_width=d.pit_bottom_width_m,
        pit_depth=d.pit_depth_m,
        pit_slope_angle=d.pit_slope_angle_deg,
        coal_bearing_ratio=d.coal_bearing_ratio,
        dump_height=d.dump_height_m,
        topsoil_stack_height=d.topsoil_stack_height_m,
        topsoil_thickness=d.topsoil_thickness_m,
        sanitary_zone_width=d.sanitary_zone_width_m,
        overburden_loosening_factor=d.overburden_loosening_factor,
        dump_slope_angle=d.dump_slope_angle_deg,
        rectangle_aspect_ratio=d.rectangle_aspect_ratio,
        flattened_slope_angle=d.flattened_slope_angle_deg,
        permissible_dust_concentration=d.permissible_dust_concentration_mg_m3,
        wind_speed=d.wind_speed_m_s,
        blow_off_coefficient=d.dust_blow_off_coefficient,
        blow_off_exponent=d.dust_blow_off_exponent,
        topsoil_loosening_factor=d.topsoil_loosening_factor,
        topsoil_slope_factor=d.topsoil_slope_factor,
        development_factor=d.development_factor,
        count_polluted_area=d.count_polluted_area,
    )
    try:
        return solve(inputs, None if d.base_shape == "smallest" else d.base_shape)
    except ValueError as exc:
        raise ValueError(f"[dump] (004 PR1): {exc}") from None


# --- machine outputs (003 methods) -------------------------------------------------------


@dataclass(frozen=True)
class _Haul:
    """Loader and truck outputs for topsoil over one haul distance (003 Tables 8 and 11)."""

    loader_output: float
    """Q_эсв, loader output weighted over the truck shares. [m³/shift, in place]"""
    truck_outputs: dict[str, float]
    """Н_в of each truck model. [m³/shift, in place]"""
    shares: dict[str, float]
    """Share of the volume loaded into each truck model. [-]"""
    haul_distance_km: float


def _topsoil_haul(p: ProjectFile, d: Dump, haul_km: float) -> _Haul:
    """Loader and truck outputs in topsoil, all truck models at once (003 Tables 8, 11)."""
    eq, h, reg = p.equipment, p.haulage, p.work_regime
    loader = get_equipment(eq.loader.model, FrontLoader)
    trucks = [get_equipment(m, Truck) for m in eq.loader.truck_shares]
    s = np.array(list(eq.loader.truck_shares.values()))
    q_а = np.array([t.payload_t for t in trucks])
    V_а = np.array([t.body_volume_m3 for t in trucks])
    k_ш = np.array([t.heaped_load_factor for t in trucks])
    γ, k_н, k_р = (
        d.topsoil_bulk_density_t_m3,
        d.topsoil_bucket_fill_factor,
        d.topsoil_loosening_factor,
    )
    V_п, T_ц, T_см = loader.bucket_volume_m3, loader.cycle_time_s, reg.shift_duration_h
    n_q = haulage.buckets_by_payload(q_а, V_п, γ, k_н, k_р)
    n_V = haulage.buckets_by_body_volume(V_а, V_п, k_н, k_ш)
    n_ц = np.asarray(haulage.accepted_bucket_count(n_q, n_V), dtype=float)
    V_аф = haulage.in_situ_volume_per_truck(n_ц, V_п, k_н, k_р)
    Q_э = haulage.loader_shift_output(
        V_аф, n_ц, T_ц, eq.loader.truck_spotting_time_s, T_см, eq.loader.utilisation
    )
    t_об = haulage.truck_trip_time(
        haulage.truck_travel_time(haul_km, h.average_speed_km_h),
        haulage.truck_loading_time(n_ц, T_ц),
        h.unloading_time_min,
        h.loader_wait_time_min,
        h.unload_spotting_time_min,
        h.load_spotting_time_min,
    )
    Н_в = haulage.truck_shift_output(
        V_аф, t_об, T_см, h.preparation_time_min, h.break_time_min, h.personal_time_min
    )
    Q_эсв = float(haulage.weighted_loader_output(Q_э, s))
    models = list(eq.loader.truck_shares)  # as the project spells them, like [costs]
    outputs = {m: float(q) for m, q in zip(models, np.atleast_1d(Н_в), strict=True)}
    shares = {m: float(x) for m, x in zip(models, s, strict=True)}
    return _Haul(Q_эсв, outputs, shares, haul_km)


def _dozer_outputs(
    p: ProjectFile, push_distances: list[float], loosening_factors: list[float]
) -> list[float]:
    """П_см of the bulldozer for each push distance and k_р (003 Table 14), in m³/shift."""
    b = p.equipment.bulldozer
    dozer = get_equipment(b.model, Bulldozer)
    L = np.array(push_distances)
    V_пр = dozing.drag_prism_volume(
        dozer.blade_height_m, dozer.blade_width_m, b.material_repose_angle_deg
    )
    t_ц = dozing.dozer_cycle_time(
        L, dozer.loaded_speed_m_s, dozer.return_speed_m_s, dozer.gear_shift_time_s
    )
    K_п = dozing.push_loss_factor(L)
    П_т = dozing.dozer_technical_output(
        V_пр, t_ц, K_п, b.terrain_factor, np.array(loosening_factors)
    )
    П_см = dozing.dozer_shift_output(П_т, p.work_regime.shift_duration_h, b.utilisation)
    return [float(x) for x in np.atleast_1d(П_см)]


def _with_hours(rows: list[_Machine], shift_duration: float) -> list[_Machine]:
    """Fill in the machine hours: shifts V / Q_см (003 Tables 9, 12, 15) times T_см."""
    shifts = haulage.required_fleet(
        np.array([m.volume_m3 for m in rows]), np.array([m.shift_output_m3 for m in rows])
    )
    return [
        replace(m, machine_hours=float(n) * shift_duration)
        for m, n in zip(rows, np.atleast_1d(shifts), strict=True)
    ]


def _loading_rows(activity: str, loader: str, haul: _Haul, volume: float) -> list[_Machine]:
    """List the loader on the whole volume and each truck model on its share (no hours yet)."""
    rows = [_Machine(activity, loader, volume, haul.loader_output, 0.0)]
    for model, Н_в in haul.truck_outputs.items():
        rows.append(
            _Machine(
                activity,
                model,
                volume * haul.shares[model],
                Н_в,
                0.0,
                haul_distance_km=haul.haul_distance_km,
            )
        )
    return rows


# --- schedule ------------------------------------------------------------------------------


def _year_shares(first_year: int, start: float, duration: float) -> list[tuple[int, float]]:
    """Share of an activity lasting ``duration`` years from ``start`` in each calendar year."""
    if duration <= 0:
        return []
    end = start + duration
    shares = []
    j = math.floor(start + _YEAR_EPS)
    while j < end - _YEAR_EPS:
        overlap = min(end, j + 1.0) - max(start, float(j))
        if overlap > _YEAR_EPS:
            shares.append((first_year + j, overlap / duration))
        j += 1
    return shares


def _available_hours(p: ProjectFile) -> dict[str, float]:
    """Hours one machine of each model can work a year: days × shifts × shift duration."""
    r, eq = p.work_regime, p.equipment
    per_day = r.shifts_per_day * r.shift_duration_h
    loader_days = r.loader_working_days_per_year or r.working_days_per_year
    out = dict.fromkeys(eq.trucks.models, r.working_days_per_year * per_day)
    out[eq.loader.model] = loader_days * per_day
    out[eq.bulldozer.model] = r.working_days_per_year * per_day
    return out


def _fleet_after_mining(p: ProjectFile, d: Dump, haul: _Haul | None) -> dict[str, int]:
    """Machines of each model working after mining (``dump.machines_after_mining``)."""
    eq = p.equipment
    loader, dozer, trucks = eq.loader.model, eq.bulldozer.model, list(eq.trucks.models)
    # catalogue name -> the project's spelling (an alias such as "Т-170" names the same model)
    spelling = {get_equipment(m).name: m for m in (loader, dozer, *trucks)}
    given: dict[str, int] = {}
    for name, count in d.machines_after_mining.items():
        try:
            model = spelling.get(get_equipment(name).name)
        except ValueError:
            model = None
        if model is None:
            raise ValueError(
                f"dump.machines_after_mining names {name!r}, which is not a machine of "
                f"[equipment]: {', '.join([loader, *trucks, dozer])}"
            )
        given[model] = count
    fleet = {loader: given.get(loader, 1), dozer: given.get(dozer, 1)}
    for model in trucks:
        if model in given:
            fleet[model] = given[model]
        elif haul is not None:
            # N_а = V_см / Н_в (003 Table 12): trucks that carry what the loaders load
            need = haulage.required_fleet(
                fleet[loader] * haul.loader_output * haul.shares[model], haul.truck_outputs[model]
            )
            fleet[model] = int(haulage.round_up_fleet(need, eq.fleet_rel_tol))
        else:
            fleet[model] = 1
    return fleet


# --- the design ----------------------------------------------------------------------------


def design_dump(project: ProjectFile, rules: RuleSet) -> DesignPart:
    """Design the external dump of an open pit and its reclamation works (004 PR1, 003).

    Parameters
    ----------
    project : ProjectFile
        A validated project file with a ``[dump]`` section.
    rules : RuleSet
        The rule set that applies; its ``max_technical_years`` (or the project's
        ``[rules] max_technical_years`` override) limits the works after mining.

    Returns
    -------
    DesignPart
        Tables ``pit_allotment``, ``dump_shapes``, ``slope_flattening``, ``dust_zone``,
        ``topsoil_store``, ``land_allotment`` (Table 1.1 of 004), ``reclamation_outputs``,
        ``reclamation_calendar``, ``machine_utilisation``; findings; work items of the
        activities in :data:`ACTIVITIES` (no material items: the topsoil is the site's own);
        the first and last year of each activity.

    Raises
    ------
    ValueError
        If the project has no ``[dump]``, a method refuses an input (a dump too low or too
        small for its slopes, a slope run of 200 m or more for the bulldozer, ...), or
        ``dump.machines_after_mining`` names a machine not in ``[equipment]``.

    Examples
    --------
    Variant 1 of 004 Table 1.2 (``examples/pr1-coal-pit``): the bottom-up scheme needs the
    smaller allotment, and three T-170 flatten its slopes in 10.7 years.

    >>> from pathlib import Path
    >>> from postmine.project.rules import load_rule_set
    >>> from postmine.project.schema import read_project
    >>> p = read_project(Path(__file__).parents[3] / "examples/pr1-coal-pit/project.toml")
    >>> part = design_dump(p, load_rule_set(p.rules.set))
    >>> [round(v, 1) for k, v in part.tables[5].rows[2].items() if k != "indicator"]
    [489.9, 533.6]
    >>> part.activity_years["slope-flattening"], [f.code for f in part.findings]
    ((2036, 2046), ['flattening-scheme', 'fleet-under-utilised'])
    """
    d = project.dump
    if d is None:
        raise ValueError("design_dump needs a project with a [dump] section, got none")
    land = _land(d)
    scheme = land.rational.scheme if d.flattening_scheme == "cheapest" else d.flattening_scheme
    chosen = land.schemes[scheme]
    f = chosen.flattened
    reg = project.work_regime
    T = reg.shift_duration_h
    findings: list[Finding] = [_scheme_finding(land, scheme, d)]

    # Volumes (m³): topsoil in place, flattening and planning in the dump.
    strip_volume = float(
        land_allotment.topsoil_volume(chosen.disturbed_area, d.topsoil_thickness_m, 1.0)
    )
    cover_area = float(f.top_area) + float(f.side_area)
    if d.topsoil_spread_thickness_m is None:
        spread_volume = strip_volume
    else:
        need = float(land_allotment.topsoil_volume(cover_area, d.topsoil_spread_thickness_m, 1.0))
        spread_volume = min(need, strip_volume)
        if need > strip_volume * (1.0 + 1e-9):
            findings.append(_shortfall_finding(need, strip_volume, d.topsoil_spread_thickness_m))
    spread_thickness = float(backfill.reclamation_layer_thickness(spread_volume, cover_area))

    haul_km = d.topsoil_haul_distance_km or project.haulage.haul_distance_km
    haul = _topsoil_haul(project, d, haul_km) if strip_volume > 0 else None
    eq = project.equipment
    loader, dozer = eq.loader.model, eq.bulldozer.model  # as spelled in [costs]
    push = eq.bulldozer.push_distance_m
    # C/2 = h_о ctg α, the horizontal run of the slope as built: the flattening push
    run = float(dumps.base_top_difference(d.dump_height_m, d.dump_slope_angle_deg)) / 2.0
    try:
        П_выпол, П_пл, П_рз = _dozer_outputs(
            project,
            [run, push, push],
            [
                eq.bulldozer.loosening_factor,
                eq.bulldozer.loosening_factor,
                d.topsoil_loosening_factor,
            ],
        )
    except ValueError as exc:
        raise ValueError(
            "the bulldozer pushes the flattening across the slope's horizontal run "
            f"h_о ctg α = {run:.1f} m (dump.dump_height_m = {d.dump_height_m:g} m) and plans "
            f"and spreads over equipment.bulldozer.push_distance_m = {push:g} m: {exc}"
        ) from None

    rows: list[_Machine] = []
    if haul is not None:
        rows += _loading_rows("topsoil-stripping", loader, haul, strip_volume)
    V_вып = float(f.flattening_volume)
    rows.append(_Machine("slope-flattening", dozer, V_вып, П_выпол, 0.0, run))
    if project.planning is not None:
        planning = project.planning
        V_пл = float(backfill.planning_volume(planning.area_m2, planning.specific_volume_m3_m2))
        rows.append(_Machine("surface-planning", dozer, V_пл, П_пл, 0.0, push))
    if haul is not None and spread_volume > 0:
        rows += _loading_rows("topsoil-spreading", loader, haul, spread_volume)
        rows.append(_Machine("topsoil-spreading", dozer, spread_volume, П_рз, 0.0, push))
    machines: dict[str, list[_Machine]] = {a: [] for a in ACTIVITIES}
    for m in _with_hours(rows, T):
        machines[m.activity].append(m)

    # Schedule.
    available = _available_hours(project)
    fleet = _fleet_after_mining(project, d, haul)
    start, end_of_mining = project.schedule.start_year, project.schedule.start_year + d.mining_years
    calendar: dict[str, tuple[float, float, list[tuple[int, float]]]] = {}
    if machines["topsoil-stripping"]:
        calendar["topsoil-stripping"] = (
            0.0,
            float(d.mining_years),
            [(start + k, 1.0 / d.mining_years) for k in range(d.mining_years)],
        )
    t = 0.0
    for activity in _AFTER_MINING:
        if not machines[activity]:
            continue
        years = max(
            m.machine_hours / (fleet[m.equipment] * available[m.equipment])
            for m in machines[activity]
        )
        calendar[activity] = (t, years, _year_shares(end_of_mining, t, years))
        t += years
    after_mining_years = t

    work: list[WorkItem] = []
    for activity, (_, _, shares) in calendar.items():
        for m in machines[activity]:
            for year, share in shares:
                work.append(
                    WorkItem(
                        activity, year, m.equipment, m.machine_hours * share, m.volume_m3 * share
                    )
                )
    activity_years = {
        a: (shares[0][0], shares[-1][0]) for a, (_, _, shares) in calendar.items() if shares
    }

    limit: float | None = project.rules.max_technical_years
    citation = f"[rules] max_technical_years = {limit} of the project file"
    if limit is None:
        rule = rules.limit("max_technical_years")
        limit, citation = rule.value, rule.citation
    findings += _limit_findings(after_mining_years, limit, citation, end_of_mining, calendar)
    hours_by_year = _hours_by_model_year(work)
    findings += _utilisation_findings(hours_by_year, available, project.equipment.min_utilisation)

    fleet_rows = _fleet_rows(machines, calendar, fleet, available, d.mining_years, eq.fleet_rel_tol)
    tables = [
        *_land_tables(land, scheme),
        _outputs_table(machines, fleet_rows),
        _calendar_table(
            calendar,
            machines,
            start,
            end_of_mining,
            after_mining_years,
            limit,
            spread_thickness,
            cover_area,
        ),
        _utilisation_table(hours_by_year, available),
    ]
    materials: list[MaterialItem] = []
    return DesignPart(tables, findings, work, materials, activity_years)


# --- findings ------------------------------------------------------------------------------


def _scheme_finding(land: PitLandAllotment, scheme: str, d: Dump) -> Finding:
    other = "top-down" if scheme == "bottom-up" else "bottom-up"
    a, b = land.schemes[scheme].total_allotment, land.schemes[other].total_allotment
    en_s, ru_s = _SCHEME[scheme]["en"], _SCHEME[scheme]["ru"]
    en_o, ru_o = _SCHEME[other]["en"], _SCHEME[other]["ru"]
    if d.flattening_scheme == "cheapest":
        why_en = "the smaller total land allotment (004 Table 1.1)"
        why_ru = "меньшая общая площадь земельного отвода (табл. 1.1 004)"
    else:
        why_en = f"required by the project file (dump.flattening_scheme = {scheme!r})"
        why_ru = f"задана в файле проекта (dump.flattening_scheme = {scheme!r})"
    return Finding(
        code="flattening-scheme",
        severity="info",
        message=text(
            f"Slopes of the {land.dump.shape} dump are flattened {en_s}: total land allotment "
            f"{_ha(a):.1f} ha against {_ha(b):.1f} ha {en_o}; reason: {why_en}.",
            f"Выполаживание откосов отвала по схеме «{ru_s}»: общая площадь земельного отвода "
            f"{_ha(a):.1f} га против {_ha(b):.1f} га по схеме «{ru_o}»; основание: {why_ru}.",
        ),
        value=_ha(a),
        limit=_ha(b),
        unit="ha",
        source="004 PR1, Table 1.1",
    )


def _shortfall_finding(need: float, available: float, thickness: float) -> Finding:
    return Finding(
        code="topsoil-shortfall",
        severity="warning",
        message=text(
            f"A {thickness:g} m topsoil cover of the dump needs {need / 1e3:.1f} thousand m³; "
            f"the store holds {available / 1e3:.1f} thousand m³ (in place), all of which is "
            "spread; the rest must be brought in.",
            f"Для слоя почвы {thickness:g} м на отвале нужно {need / 1e3:.1f} тыс. м³; на складе "
            f"{available / 1e3:.1f} тыс. м³ (в целике), наносится весь запас; недостающий объём "
            "необходимо завезти.",
        ),
        value=need,
        limit=available,
        unit="m3",
        source="004 PR1, Eq. 1.19",
    )


def _limit_findings(
    years: float,
    limit: float | None,
    citation: str,
    end_of_mining: int,
    calendar: dict[str, tuple[float, float, list[tuple[int, float]]]],
) -> list[Finding]:
    if limit is None:
        return [
            Finding(
                code="limit-not-stated",
                severity="info",
                message=text(
                    "The rule set states no limit on the duration of technical reclamation; "
                    f"the works after mining take {years:.1f} years.",
                    "Набор правил не устанавливает предельный срок технического этапа; работы "
                    f"после окончания добычи занимают {years:.1f} лет.",
                ),
                value=years,
                unit="year",
                source=citation,
            )
        ]
    if years <= limit:
        return []
    last = max(shares[-1][0] for a, (_, _, shares) in calendar.items() if a in _AFTER_MINING)
    return [
        Finding(
            code="activity-beyond-limit",
            severity="violation",
            message=text(
                f"The reclamation works after mining (slope flattening, planning, topsoil "
                f"spreading) take {years:.1f} years ({end_of_mining}-{last}), more than the "
                f"{limit:g} years allowed; add machines (dump.machines_after_mining) or "
                "flatten progressively during mining.",
                f"Рекультивационные работы после окончания добычи (выполаживание, планировка, "
                f"нанесение почвы) занимают {years:.1f} лет ({end_of_mining}-{last}), больше "
                f"допустимых {limit:g} лет; увеличьте парк (dump.machines_after_mining) или "
                "выполаживайте откосы по ходу отвалообразования.",
            ),
            value=years,
            limit=float(limit),
            unit="year",
            source=citation,
        )
    ]


def _hours_by_model_year(work: list[WorkItem]) -> dict[str, dict[int, float]]:
    out: dict[str, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    for w in work:
        out[w.equipment][w.year] += w.machine_hours
    return {m: dict(sorted(by_year.items())) for m, by_year in out.items()}


def _utilisation_findings(
    hours: dict[str, dict[int, float]], available: dict[str, float], minimum: float
) -> list[Finding]:
    findings = []
    for model, by_year in hours.items():
        year, peak = max(by_year.items(), key=lambda item: item[1])
        share = peak / available[model]
        if share >= minimum:
            continue
        findings.append(
            Finding(
                code="fleet-under-utilised",
                severity="warning",
                message=text(
                    f"{model} works at most {peak:.0f} h a year ({year}), {share:.0%} of the "
                    f"{available[model]:.0f} h one machine can work, below the "
                    f"{minimum:.0%} of equipment.min_utilisation: hire it for the work "
                    "rather than keep it.",
                    f"{model} работает не более {peak:.0f} ч в год ({year}), {share:.0%} от "
                    f"{available[model]:.0f} ч годового фонда одной машины, меньше "
                    f"{minimum:.0%} (equipment.min_utilisation): машину целесообразно "
                    "арендовать на время работ.",
                ),
                value=share,
                limit=minimum,
                unit="",
                source="003 sec. 4 (fleet from the work regime); project equipment.min_utilisation",
            )
        )
    return findings


# --- tables --------------------------------------------------------------------------------


def _col(key: str, en: str, ru: str, unit: str = "") -> Column:
    return Column(key, text(en, ru), unit)


def _land_tables(land: PitLandAllotment, scheme: str) -> list[Table]:
    pit = Table(
        key="pit_allotment",
        title=text(
            "Mining allotment and overburden volume", "Горный отвод и объём вскрышных пород"
        ),
        source="004 PR1, Eqs. 1.2-1.3",
        columns=[
            _col("pit_bottom_area_m2", "Pit bottom area S_пи", "Площадь дна карьера S_пи", "m²"),
            _col("pit_bottom_perimeter_m", "Pit bottom perimeter P", "Периметр дна карьера P", "m"),
            _col(
                "pit_wall_run_m",
                "Horizontal run of the pit walls H_к ctg φ_ср",
                "Заложение бортов карьера H_к ctg φ_ср",
                "m",
            ),
            _col(
                "pit_area_ha",
                "Pit at the surface, S_го at l = 0",
                "Карьер на поверхности, S_го при l = 0",
                "ha",
            ),
            _col(
                "mining_allotment_ha",
                "Mining allotment with the sanitary zone S_го",
                "Горный отвод с санитарно-защитной зоной S_го",
                "ha",
            ),
            _col(
                "overburden_volume_m3",
                "Overburden in the dump V_вс",
                "Объём вскрыши в отвале V_вс",
                "m³",
            ),
        ],
        rows=[
            {
                "pit_bottom_area_m2": land.bottom_area,
                "pit_bottom_perimeter_m": land.bottom_perimeter,
                "pit_wall_run_m": land.wall_run,
                "pit_area_ha": _ha(land.pit_area),
                "mining_allotment_ha": _ha(land.mining_allotment),
                "overburden_volume_m3": land.overburden_volume,
            }
        ],
    )
    geometry_cols = [
        _col("base_size_m", "Base radius R or width B", "Радиус R или ширина B основания", "m"),
        _col("base_length_m", "Base length L", "Длина основания L", "m"),
        _col("top_area_m2", "Top area S_в", "Площадь верхней поверхности S_в", "m²"),
        _col("side_area_m2", "Slope area S_б", "Площадь боковой поверхности S_б", "m²"),
        _col("base_area_m2", "Base area S_ос.отв", "Площадь основания S_ос.отв", "m²"),
        _col("base_perimeter_m", "Base perimeter P_о", "Периметр основания P_о", "m"),
    ]
    shapes = Table(
        key="dump_shapes",
        title=text(
            "Dump of circular, square and rectangular base", "Параметры отвала по форме основания"
        ),
        source="004 PR1, Eqs. 1.4-1.6",
        columns=[
            _col("shape", "Base shape", "Форма основания"),
            *geometry_cols,
            _col("volume_m3", "Volume", "Объём", "m³"),
            _col("chosen", "Chosen", "Принята"),
        ],
        rows=[
            {
                "shape": g.shape,
                "base_size_m": float(g.base_size),
                "base_length_m": float(g.base_length) if g.shape == "rectangle" else None,
                "top_area_m2": float(g.top_area),
                "side_area_m2": float(g.side_area),
                "base_area_m2": float(g.base_area),
                "base_perimeter_m": float(g.base_perimeter),
                "volume_m3": float(g.volume),
                "chosen": g.shape == land.dump.shape,
            }
            for g in land.candidates
        ],
        notes=[
            text(
                f"C = 2 h_о ctg α = {land.base_top_difference:.2f} m; the dump with the smallest "
                "base is chosen unless dump.base_shape asks for another.",
                f"C = 2 h_о ctg α = {land.base_top_difference:.2f} м; принимается отвал с "
                "наименьшей площадью основания, если dump.base_shape не задаёт другую форму.",
            ),
            _RECONSTRUCTED,
        ],
    )
    flat_rows = []
    dust_rows = []
    soil_rows = []
    for name, s in land.schemes.items():
        fl = s.flattened
        flat_rows.append(
            {
                "scheme": name,
                "flattening_volume_m3": float(fl.flattening_volume),
                "height_increase_m": float(fl.height_increase),
                "base_growth_m": float(fl.base_growth),
                "height_m": float(fl.height),
                "base_size_m": float(fl.base_size),
                "base_length_m": float(fl.base_length) if fl.shape == "rectangle" else None,
                "top_area_m2": float(fl.top_area),
                "side_area_m2": float(fl.side_area),
                "base_area_m2": float(fl.base_area),
                "base_perimeter_m": float(fl.base_perimeter),
                "chosen": name == scheme,
            }
        )
        dust_rows.append(
            {
                "scheme": name,
                "specific_blow_off_mg_m2_s": land.specific_blow_off,
                "dusting_surface_m2": s.dusting_surface,
                "emission_mg_s": s.emission_rate,
                "zone_width_m": s.zone_width,
                "polluted_area_ha": _ha(s.polluted_area),
            }
        )
        soil_rows.append(
            {
                "scheme": name,
                "disturbed_area_ha": _ha(s.disturbed_area),
                "topsoil_volume_m3": s.topsoil_volume,
                "store_area_ha": _ha(s.store_area),
            }
        )
    scheme_col = _col("scheme", "Flattening scheme", "Схема выполаживания")
    flattening = Table(
        key="slope_flattening",
        title=text("Flattening of the dump slopes", "Выполаживание откосов отвала"),
        source="004 PR1, Eqs. 1.7-1.11",
        columns=[
            scheme_col,
            _col(
                "flattening_volume_m3",
                "Volume of flattening V_вып",
                "Объём работ по выполаживанию V_вып",
                "m³",
            ),
            _col("height_increase_m", "Rise of the dump Δh", "Приращение высоты Δh", "m"),
            _col("base_growth_m", "Outward shift of the toe ΔL", "Приращение основания ΔL", "m"),
            _col("height_m", "Height after flattening h*", "Высота после выполаживания h*", "m"),
            *geometry_cols,
            _col("chosen", "Chosen", "Принята"),
        ],
        rows=flat_rows,
        notes=[
            text(
                "Bottom-up keeps the base, top and slope areas of the dump (004 recalculates "
                "them only with ΔL, sec. 1.2).",
                "При схеме «снизу-вверх» площади основания, верха и откосов не пересчитываются "
                "(004 пересчитывает их только с учётом ΔL, п. 1.2).",
            ),
            _RECONSTRUCTED,
        ],
    )
    dust_table = Table(
        key="dust_zone",
        title=text("Dust zone and polluted land around the dump", "Зона пыления вокруг отвала"),
        source="004 PR1, Eqs. 1.12-1.18",
        columns=[
            scheme_col,
            _col(
                "specific_blow_off_mg_m2_s",
                "Specific blow-off ω",
                "Удельная сдуваемость ω",
                "mg/(m²·s)",
            ),
            _col("dusting_surface_m2", "Dusting surface S_отв", "Площадь пыления S_отв", "m²"),
            _col("emission_mg_s", "Dust emission g_от", "Интенсивность пылевыделения g_от", "mg/s"),
            _col("zone_width_m", "Zone width X_з", "Ширина зоны X_з", "m"),
            _col("polluted_area_ha", "Polluted land S_з", "Засорённая площадь S_з", "ha"),
        ],
        rows=dust_rows,
        notes=[
            text(
                "Eq. 1.12 is reconstructed from the garbled extraction and not verified against "
                "the printed original.",
                "Формула (1.12) восстановлена по искажённому тексту и не сверена с оригиналом.",
            )
        ],
    )
    soil = Table(
        key="topsoil_store",
        title=text("Topsoil volume and store", "Объём и склад плодородного слоя"),
        source="004 PR1, Eq. 1.19",
        columns=[
            scheme_col,
            _col("disturbed_area_ha", "Disturbed land S_н", "Нарушенные земли S_н", "ha"),
            _col(
                "topsoil_volume_m3",
                "Topsoil in the store V_пп (loose)",
                "Объём почв на складе V_пп (в разрыхлении)",
                "m³",
            ),
            _col("store_area_ha", "Store area S_ск", "Площадь склада S_ск", "ha"),
        ],
        rows=soil_rows,
    )
    by = land.schemes
    allotment = Table(
        key="land_allotment",
        title=text(
            "Land allotment with the dump slopes flattened",
            "Варианты использования земельного отвода с выполаживанием откосов отвала",
        ),
        source="004 Table 1.1",
        columns=[
            _col("indicator", "Indicator", "Показатель"),
            _col("bottom_up_ha", "Bottom-up", "«снизу-вверх»", "ha"),
            _col("top_down_ha", "Top-down", "«сверху-вниз»", "ha"),
        ],
        rows=[
            {
                "indicator": "S_ос.отв",
                "bottom_up_ha": _ha(float(by["bottom-up"].flattened.base_area)),
                "top_down_ha": _ha(float(by["top-down"].flattened.base_area)),
            },
            {
                "indicator": "S_з",
                "bottom_up_ha": _ha(by["bottom-up"].polluted_area),
                "top_down_ha": _ha(by["top-down"].polluted_area),
            },
            {
                "indicator": "S_зо",
                "bottom_up_ha": _ha(by["bottom-up"].total_allotment),
                "top_down_ha": _ha(by["top-down"].total_allotment),
            },
        ],
        notes=[
            text(
                "S_ос.отв: land under the dump; S_з: land polluted by dust around it; S_зо: "
                "total land allotment (S_го + S_ос.отв + S_з + S_ск) K_р, the polluted land "
                "counted as disturbed (dump.count_polluted_area; false gives Eq. 1.1 as printed).",
                "S_ос.отв — площадь под отвалом; S_з — засорённая пылью территория вокруг "
                "отвала; S_зо — общая площадь земельного отвода (S_го + S_ос.отв + S_з + S_ск) "
                "K_р, засорённые земли считаются нарушенными.",
            ),
            text(
                f"The scheme with the smaller total allotment: {land.rational.scheme}.",
                f"Схема с меньшей общей площадью: «{_SCHEME[land.rational.scheme]['ru']}».",
            ),
        ],
    )
    return [pit, shapes, flattening, dust_table, soil, allotment]


def _fleet_rows(
    machines: dict[str, list[_Machine]],
    calendar: dict[str, tuple[float, float, list[tuple[int, float]]]],
    fleet: dict[str, int],
    available: dict[str, float],
    mining_years: int,
    rel_tol: float,
) -> dict[tuple[str, str], int]:
    """Machines of each model on each activity: stripping sized from its yearly hours."""
    out = {}
    for activity, ms in machines.items():
        for m in ms:
            if activity == "topsoil-stripping":
                need = m.machine_hours / mining_years / available[m.equipment]
                out[(activity, m.equipment)] = int(haulage.round_up_fleet(need, rel_tol))
            elif activity in calendar:
                out[(activity, m.equipment)] = fleet[m.equipment]
    return out


def _outputs_table(
    machines: dict[str, list[_Machine]], counts: dict[tuple[str, str], int]
) -> Table:
    rows: list[dict[str, Any]] = [
        {
            "activity": m.activity,
            "equipment": m.equipment,
            "haul_distance_km": m.haul_distance_km,
            "push_distance_m": m.push_distance_m,
            "volume_thousand_m3": m.volume_m3 / 1e3,
            "shift_output_m3": m.shift_output_m3,
            "machine_hours_h": m.machine_hours,
            "machines": counts[(m.activity, m.equipment)],
        }
        for ms in machines.values()
        for m in ms
    ]
    return Table(
        key="reclamation_outputs",
        title=text(
            "Machine output and hours of the reclamation works",
            "Производительность и машино-часы рекультивационных работ",
        ),
        source="003 Tables 8, 11, 14 (methods), applied to the dump",
        columns=[
            _col("activity", "Activity", "Вид работ"),
            _col("equipment", "Machine", "Машина"),
            _col("haul_distance_km", "Haul distance", "Расстояние транспортировки", "km"),
            _col("push_distance_m", "Push distance", "Дальность перемещения", "m"),
            _col("volume_thousand_m3", "Volume", "Объём", "thousand m³"),
            _col("shift_output_m3", "Output per shift", "Сменная производительность", "m³/shift"),
            _col("machine_hours_h", "Machine hours", "Машино-часы", "h"),
            _col("machines", "Machines", "Количество машин"),
        ],
        rows=rows,
        notes=[
            text(
                "Topsoil volumes in place (loader and truck outputs of 003 count in-situ "
                "volume, K_р = dump.topsoil_loosening_factor); flattening and planning in dump "
                "rock. Hours = volume / output per shift × shift duration. The flattening "
                "bulldozer pushes across the slope's horizontal run h_о ctg α.",
                "Объёмы почвы — в целике (производительность погрузчика и самосвалов по 003 "
                "в целике, K_р = dump.topsoil_loosening_factor); выполаживание и планировка — в "
                "породе отвала. Машино-часы = объём / сменная производительность × "
                "продолжительность смены. Дальность перемещения при выполаживании — заложение "
                "откоса h_о ctg α.",
            )
        ],
    )


def _calendar_table(
    calendar: dict[str, tuple[float, float, list[tuple[int, float]]]],
    machines: dict[str, list[_Machine]],
    start_year: int,
    end_of_mining: int,
    after_mining_years: float,
    limit: float | None,
    spread_thickness: float,
    cover_area: float,
) -> Table:
    rows = []
    for activity, (offset, years, shares) in calendar.items():
        first = start_year if activity == "topsoil-stripping" else end_of_mining
        rows.append(
            {
                "activity": activity,
                "start_year": first + offset,
                "duration_years": years,
                "first_year": shares[0][0],
                "last_year": shares[-1][0],
                "volume_thousand_m3": machines[activity][0].volume_m3 / 1e3,
            }
        )
    shown = "-" if limit is None else f"{limit:g}"
    return Table(
        key="reclamation_calendar",
        title=text("Calendar of the reclamation works", "Календарный план рекультивационных работ"),
        source="postmine: 003 methods, work regime and dump.machines_after_mining",
        columns=[
            _col("activity", "Activity", "Вид работ"),
            _col("start_year", "Start (fractional year)", "Начало (дробный год)", "year"),
            _col("duration_years", "Duration", "Продолжительность", "year"),
            _col("first_year", "First year", "Первый год", "year"),
            _col("last_year", "Last year", "Последний год", "year"),
            _col("volume_thousand_m3", "Volume", "Объём", "thousand m³"),
        ],
        rows=rows,
        notes=[
            text(
                f"Works after mining (from {end_of_mining}): {after_mining_years:.2f} years; "
                f"limit {shown} years. Topsoil spread {spread_thickness:.2f} m thick over the dump "
                f"top and slopes, {cover_area / M2_PER_HA:.1f} ha.",
                f"Работы после окончания добычи (с {end_of_mining} г.): {after_mining_years:.2f} "
                f"лет; предельный срок {shown} лет. Почва наносится слоем {spread_thickness:.2f} м "
                f"на верх и откосы отвала, {cover_area / M2_PER_HA:.1f} га.",
            )
        ],
    )


def _utilisation_table(hours: dict[str, dict[int, float]], available: dict[str, float]) -> Table:
    rows = [
        {
            "equipment": model,
            "year": year,
            "machine_hours_h": h,
            "available_h": available[model],
            "share_of_one_machine_percent": 100.0 * h / available[model],
        }
        for model, by_year in hours.items()
        for year, h in by_year.items()
    ]
    return Table(
        key="machine_utilisation",
        title=text(
            "Machine hours by year against one machine's working time",
            "Машино-часы по годам и годовой фонд времени одной машины",
        ),
        source="003 sec. 4 (work regime); project equipment.min_utilisation",
        columns=[
            _col("equipment", "Machine", "Машина"),
            _col("year", "Year", "Год", "year"),
            _col("machine_hours_h", "Machine hours", "Машино-часы", "h"),
            _col("available_h", "Hours of one machine", "Фонд времени одной машины", "h"),
            _col(
                "share_of_one_machine_percent",
                "Hours as a share of one machine's year",
                "Доля годового фонда одной машины",
                "%",
            ),
        ],
        rows=rows,
    )
