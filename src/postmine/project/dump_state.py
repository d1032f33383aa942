"""The state of an external dump in every year and what a third party would have to do with it.

The dump of an open pit (004 PR1) grows with the mining: by the end of year t of the
``mining_years`` it holds the share c(t) = min(1, (t - t_0 + 1) / T_mining) of its final
volume (the overburden is dumped evenly over the mining years, as the design's topsoil
stripping is spread). If the operator defaults in year t, the mining stops and a third party
must reclaim the dump *as built*: flatten its slopes, plan its top and spread the topsoil on
it -- each in proportion to the share built, less the share the design's works have done
before year t. The topsoil stripping ahead of the dump is an operation of the mining, not a
liability. The open pit itself is not designed by PR1 and is not priced here.

The proportional growth is postmine's assumption (004 gives the final dump only).
"""

from __future__ import annotations

from postmine.project.model import DesignPart, ReclamationTask, text
from postmine.project.schema import ProjectFile
from postmine.project.tasks import (
    activity_task,
    revegetation_task,
    state_horizon,
    state_year_of,
    structure_tasks,
    structures_removed_year,
)

__all__ = ["DUMP_TASKS", "dump_state"]

#: The dump's reclamation activities a third party would have to do, with their names.
DUMP_TASKS = {
    "slope-flattening": ("Flattening of the dump slopes", "Выполаживание откосов отвала"),
    "surface-planning": ("Planning of the dump top", "Планировка поверхности отвала"),
    "topsoil-spreading": ("Spreading of the topsoil", "Нанесение плодородного слоя"),
}


def dump_state(project: ProjectFile, part: DesignPart) -> DesignPart:
    """Add the tasks of the dump's state of each year and the state years to a design.

    Parameters
    ----------
    project : ProjectFile
        The project with its ``[dump]`` (``mining_years``) and ``[assurance]``. [-]
    part : DesignPart
        The dump design (:func:`postmine.project.dump_design.design_dump`): its work items
        by activity and year. [h]

    Returns
    -------
    DesignPart
        The same design with ``tasks`` (flattening, planning and spreading of the dump as
        built, structures, revegetation) and ``state_years``. [-]

    Raises
    ------
    ValueError
        If the project has no ``[dump]``.
    """
    d = project.dump
    if d is None:
        raise ValueError("dump_state needs a project with a [dump] section, got none")
    start = project.schedule.start_year
    years = state_horizon(project, part.activity_years)

    def built(t: int) -> float:
        return min(1.0, max(0.0, (t - start + 1) / d.mining_years))

    tasks: list[ReclamationTask] = []
    state_years: dict[str, int] = {}
    for key, (en, ru) in DUMP_TASKS.items():
        work = [w for w in part.work if w.activity == key]
        by_model: dict[str, float] = {}
        for w in work:
            by_model[w.equipment] = by_model.get(w.equipment, 0.0) + w.volume_m3
        quantity = max(by_model.values(), default=0.0)  # the volume the activity moves
        if quantity <= 0:
            continue
        tasks.append(
            activity_task(key, text(en, ru), work, [], quantity, "m³", years, created_share=built)
        )
        done = state_year_of(work)
        if done is not None:
            state_years[key] = max(done, start + d.mining_years - 1)
    tasks += structure_tasks(project.assurance, years)
    removed = structures_removed_year(project.assurance, start)
    if removed is not None:
        state_years["structures-removed"] = removed
    cover = state_years.get("topsoil-spreading")
    reveg_year = None if cover is None else cover + project.assurance.revegetation.seasons
    if reveg_year is not None:
        state_years["revegetation"] = reveg_year
    area = project.planning.area_m2 if project.planning else None
    reveg = revegetation_task(project.assurance, area, reveg_year, years)
    if reveg is not None:
        tasks.append(reveg)
    return DesignPart(
        part.tables,
        part.findings,
        part.work,
        part.materials,
        part.activity_years,
        tasks=tasks,
        state_years=state_years,
    )
