"""Design branch of a coal open pit with an external dump (004 PR1) and its reclamation works.

:func:`design_dump` is the project-table adapter of the dump chains. It turns the ``[dump]``
section of a project file into

* the tables of practical work 1 of [004]: the mining allotment and the overburden volume
  (Eqs. 1.2-1.3), the dump of circular, square and rectangular base and the one chosen
  (1.4-1.6), both slope-flattening schemes (1.7-1.11), the dust zone and the polluted land
  (1.12-1.18), the topsoil volume and store (1.19) and the total land allotment of each
  scheme, Table 1.1 (1.1). They come from the PR1 chain,
  :func:`postmine.chains.pit_allotment.pit_land_allotment` (laid out by
  :mod:`postmine.project.dump_tables`);
* the reclamation works of the site, sized with the 003 machine chain
  (:func:`postmine.chains.machines.haul_chain` for the loader and the trucks,
  :func:`postmine.chains.dozing.dozer_shift_outputs` for the bulldozer) and the machines of
  the project's ``[equipment]``, as work items by activity, year and machine model;
* findings: the flattening scheme chosen and why, the works after mining against the legal
  limit on technical reclamation, machine models used below ``equipment.min_utilisation``.

The stability of the designed dump's slopes is checked by the engine with
:func:`postmine.project.dump_stability.check_dump_stability`.

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
from dataclasses import dataclass
from typing import Any

from postmine.chains.dump_works import (
    ACTIVITIES,
    DozerSettings,
    DumpDozerOutputs,
    DumpWorks,
    DumpWorksInputs,
    dump_dozer_outputs,
    dump_works,
    flattening_push_distance,
)
from postmine.chains.machines import (
    METRES_PER_KM,
    SECONDS_PER_HOUR,
    HaulChain,
    LoadedMaterial,
    LoaderWork,
    haul_chain,
)
from postmine.chains.pit_allotment import (
    PitAllotment,
    PitAllotmentInputs,
    SchemeLand,
    pit_land_allotment,
)
from postmine.data.equipment import Bulldozer, FrontLoader, get_equipment
from postmine.methods import backfill, haulage
from postmine.project.backfill.fleet import truck_cycle
from postmine.project.dump_tables import (
    FLATTENING_SCHEME_NAMES,
    M2_PER_HA,
    land_tables,
)
from postmine.project.model import (
    DesignPart,
    Finding,
    MaterialItem,
    Table,
    WorkItem,
    quantity_column,
    text,
)
from postmine.project.rules import RuleSet
from postmine.project.schema import Dump, ProjectFile

__all__ = ["chosen_scheme", "design_dump", "dump_allotment"]

_AFTER_MINING = ("slope-flattening", "surface-planning", "topsoil-spreading")

# A schedule shorter than this (in years) at the end of an activity is rounding noise.
_YEAR_EPS = 1e-9

#: Calendar of the works: activity -> (start offset [year], duration [year], year shares).
Calendar = dict[str, tuple[float, float, list[tuple[int, float]]]]


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


def dump_allotment(dump: Dump) -> PitAllotment:
    """Run the PR1 chain of [004] on a ``[dump]`` section (the methods validate every value).

    Parameters
    ----------
    dump : Dump
        The ``[dump]`` section of a project file; its keys are the chain's inputs.

    Returns
    -------
    PitAllotment
        Every quantity of Eqs. 1.1-1.19 of [004] for the dump of ``dump.base_shape``.

    Raises
    ------
    ValueError
        If a method of PR1 refuses a value; the message starts with ``[dump] (004 PR1)``.
    """
    try:
        return pit_land_allotment(
            PitAllotmentInputs.from_object(dump),
            None if dump.base_shape == "smallest" else dump.base_shape,
        )
    except ValueError as exc:
        raise ValueError(f"[dump] (004 PR1): {exc}") from None


def chosen_scheme(land: PitAllotment, dump: Dump) -> str:
    """Return the flattening scheme of the project: the one asked for, or the cheapest."""
    return land.rational.scheme if dump.flattening_scheme == "cheapest" else dump.flattening_scheme


# --- machine outputs (the 003 chain) ------------------------------------------------------


def _topsoil_haul(p: ProjectFile, d: Dump, haul_km: float) -> HaulChain:
    """Loader and truck outputs in topsoil, all truck models at once (003 Tables 8, 11)."""
    eq, h = p.equipment, p.haulage
    cycle = truck_cycle(h)
    topsoil = LoadedMaterial(
        d.topsoil_bulk_density_t_m3, d.topsoil_bucket_fill_factor, d.topsoil_loosening_factor
    )
    return haul_chain(
        get_equipment(eq.loader.model, FrontLoader),
        eq.loader.truck_shares,  # as the project spells the models, like [costs]
        topsoil,
        haul_km * METRES_PER_KM,
        LoaderWork(eq.loader.truck_spotting_time_s, eq.loader.utilisation),
        cycle,
        p.work_regime.shift_duration_h * SECONDS_PER_HOUR,
    )


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


def _fleet_after_mining(p: ProjectFile, d: Dump, haul: HaulChain | None) -> dict[str, int]:
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
    # N_а (003 Table 12): trucks that carry what the loaders load
    need = (
        haul.trucks_for_loaders(fleet[loader])
        if haul is not None and any(m not in given for m in trucks)
        else {}
    )
    for model in trucks:
        if model in given:
            fleet[model] = given[model]
        elif haul is not None:
            fleet[model] = int(haulage.round_up_fleet(need[model], eq.fleet_rel_tol))
        else:
            fleet[model] = 1
    return fleet


# --- the design ----------------------------------------------------------------------------


def _dozer_settings(project: ProjectFile, d: Dump) -> DozerSettings:
    """Return the project's bulldozer and its work (``[equipment.bulldozer]``, 003 Table 14)."""
    b = project.equipment.bulldozer
    return DozerSettings(
        dozer=get_equipment(b.model, Bulldozer),
        name=b.model,  # as spelled in [costs]
        push_distance_m=b.push_distance_m,
        material_repose_angle_deg=b.material_repose_angle_deg,
        rock_loosening_factor=b.loosening_factor,
        topsoil_loosening_factor=d.topsoil_loosening_factor,
        terrain_factor=b.terrain_factor,
        utilisation=b.utilisation,
    )


def _dozing(project: ProjectFile, d: Dump) -> DumpDozerOutputs:
    """Return the bulldozer's outputs on the dump; a refusal names the project's keys."""
    settings = _dozer_settings(project, d)
    T_см = project.work_regime.shift_duration_h * SECONDS_PER_HOUR
    try:
        return dump_dozer_outputs(settings, d.dump_height_m, d.dump_slope_angle_deg, T_см)
    except ValueError as exc:
        run = flattening_push_distance(d.dump_height_m, d.dump_slope_angle_deg)
        raise ValueError(
            "the bulldozer pushes the flattening across the slope's horizontal run "
            f"h_о ctg α = {run:.1f} m (dump.dump_height_m = {d.dump_height_m:g} m) and plans "
            "and spreads over equipment.bulldozer.push_distance_m = "
            f"{settings.push_distance_m:g} m: {exc}"
        ) from None


def _reclamation_works(
    project: ProjectFile, d: Dump, chosen: SchemeLand
) -> tuple[DumpWorks, dict[str, list[_Machine]], HaulChain | None]:
    """Size the works by the dump chain; list each activity's machines with their hours."""
    haul_km = d.topsoil_haul_distance_km or project.haulage.haul_distance_km
    haul = _topsoil_haul(project, d, haul_km) if d.topsoil_thickness_m > 0 else None
    planning = project.planning
    inputs = DumpWorksInputs(
        topsoil_thickness_m=d.topsoil_thickness_m,
        topsoil_spread_thickness_m=d.topsoil_spread_thickness_m,
        planning_volume_m3=None
        if planning is None
        else float(backfill.planning_volume(planning.area_m2, planning.specific_volume_m3_m2)),
    )
    dozing = _dozing(project, d)
    loader = project.equipment.loader.model  # as spelled in [costs]
    works = dump_works(chosen, inputs, haul, loader, project.equipment.bulldozer.model, dozing)
    T = project.work_regime.shift_duration_h
    machines: dict[str, list[_Machine]] = {a: [] for a in ACTIVITIES}
    for m in works.machines:
        machines[m.activity].append(
            _Machine(
                m.activity,
                m.equipment,
                m.volume_m3,
                m.shift_output_m3,
                m.machine_shifts * T,
                m.push_distance_m,
                None if m.haul_distance_m is None else haul_km,
            )
        )
    return works, machines, haul


def _calendar(
    project: ProjectFile,
    d: Dump,
    machines: dict[str, list[_Machine]],
    fleet: dict[str, int],
    available: dict[str, float],
) -> tuple[Calendar, float]:
    """Schedule the stripping over the mining years, then the works after mining in turn."""
    start, end_of_mining = project.schedule.start_year, project.schedule.start_year + d.mining_years
    calendar: Calendar = {}
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
    return calendar, t


def _work_items(
    calendar: Calendar, machines: dict[str, list[_Machine]]
) -> tuple[list[WorkItem], dict[str, tuple[int, int]]]:
    """Work items by activity, year and machine model, and each activity's first/last year."""
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
    return work, activity_years


def _technical_limit(project: ProjectFile, rules: RuleSet) -> tuple[float | None, str]:
    """Return the limit on the works after mining [year] and where it comes from."""
    limit: float | None = project.rules.max_technical_years
    citation = f"[rules] max_technical_years = {limit} of the project file"
    if limit is None:
        rule = rules.limit("max_technical_years")
        limit, citation = rule.value, rule.citation
    return limit, citation


def design_dump(
    project: ProjectFile, rules: RuleSet, *, land: PitAllotment | None = None
) -> DesignPart:
    """Design the external dump of an open pit and its reclamation works (004 PR1, 003).

    Parameters
    ----------
    project : ProjectFile
        A validated project file with a ``[dump]`` section.
    rules : RuleSet
        The rule set that applies; its ``max_technical_years`` (or the project's
        ``[rules] max_technical_years`` override) limits the works after mining.
    land : PitAllotment, optional
        The PR1 chain's result for ``[dump]`` (:func:`dump_allotment`) if the caller has it
        already; computed here otherwise.

    Returns
    -------
    DesignPart
        Tables ``pit_allotment``, ``dump_shapes``, ``slope_flattening``, ``dust_zone``,
        ``topsoil_store``, ``land_allotment`` (Table 1.1 of 004), ``reclamation_outputs``,
        ``reclamation_calendar``, ``machine_utilisation``; findings; work items of the
        activities in :data:`postmine.chains.dump_works.ACTIVITIES` (no material items: the
        topsoil is the site's own); the first and last year of each activity.

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
    land = dump_allotment(d) if land is None else land
    scheme = chosen_scheme(land, d)
    chosen = land.schemes[scheme]
    findings: list[Finding] = [_scheme_finding(land, scheme, d)]
    works, machines, haul = _reclamation_works(project, d, chosen)
    if works.shortfall and works.spread_need_m3 is not None and d.topsoil_spread_thickness_m:
        findings.append(
            _shortfall_finding(
                works.spread_need_m3, works.strip_volume_m3, d.topsoil_spread_thickness_m
            )
        )

    available = _available_hours(project)
    fleet = _fleet_after_mining(project, d, haul)
    calendar, after_mining_years = _calendar(project, d, machines, fleet, available)
    work, activity_years = _work_items(calendar, machines)

    start, end_of_mining = project.schedule.start_year, project.schedule.start_year + d.mining_years
    limit, citation = _technical_limit(project, rules)
    findings += _limit_findings(after_mining_years, limit, citation, end_of_mining, calendar)
    hours_by_year = _hours_by_model_year(work)
    findings += _utilisation_findings(hours_by_year, available, project.equipment.min_utilisation)

    eq = project.equipment
    fleet_rows = _fleet_rows(machines, calendar, fleet, available, d.mining_years, eq.fleet_rel_tol)
    tables = [
        *land_tables(land, scheme),
        _outputs_table(machines, fleet_rows),
        _calendar_table(
            calendar,
            machines,
            start,
            end_of_mining,
            after_mining_years,
            limit,
            works.spread_thickness_m,
            works.cover_area_m2,
        ),
        _utilisation_table(hours_by_year, available),
    ]
    materials: list[MaterialItem] = []
    return DesignPart(tables, findings, work, materials, activity_years)


# --- findings ------------------------------------------------------------------------------


def _scheme_finding(land: PitAllotment, scheme: str, d: Dump) -> Finding:
    other = "top-down" if scheme == "bottom-up" else "bottom-up"
    a = land.schemes[scheme].total_allotment_m2
    b = land.schemes[other].total_allotment_m2
    en_s, ru_s = FLATTENING_SCHEME_NAMES[scheme]["en"], FLATTENING_SCHEME_NAMES[scheme]["ru"]
    en_o, ru_o = FLATTENING_SCHEME_NAMES[other]["en"], FLATTENING_SCHEME_NAMES[other]["ru"]
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
    calendar: Calendar,
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


def _fleet_rows(
    machines: dict[str, list[_Machine]],
    calendar: Calendar,
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
            quantity_column("activity", "works_activity"),
            quantity_column("equipment", "works_machine"),
            quantity_column("haul_distance_km", "works_haul_distance_km"),
            quantity_column("push_distance_m", "works_push_distance_m"),
            quantity_column("volume_thousand_m3", "works_volume_thousand_m3"),
            quantity_column("shift_output_m3", "works_shift_output_m3"),
            quantity_column("machine_hours_h", "works_machine_hours_h"),
            quantity_column("machines", "works_machines"),
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
    calendar: Calendar,
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
            quantity_column("activity", "works_activity"),
            quantity_column("start_year", "works_start_year"),
            quantity_column("duration_years", "works_duration_years"),
            quantity_column("first_year", "works_first_year"),
            quantity_column("last_year", "works_last_year"),
            quantity_column("volume_thousand_m3", "works_volume_thousand_m3"),
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
            quantity_column("equipment", "works_machine"),
            quantity_column("year", "works_year"),
            quantity_column("machine_hours_h", "works_machine_hours_h"),
            quantity_column("available_h", "works_available_h"),
            quantity_column("share_of_one_machine_percent", "works_share_of_one_machine_percent"),
        ],
        rows=rows,
    )
