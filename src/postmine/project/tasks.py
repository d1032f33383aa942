"""Reclamation tasks of a design and the physical states they reach, for the liability.

Both designs (the backfill of a void, :mod:`postmine.project.backfill.state`, and the
external dump, :mod:`postmine.project.dump_state`) describe what a third party would have
to do with the site as it stands each year as a list of
:class:`~postmine.project.model.ReclamationTask`. The helpers here build the tasks that
come from the design's own activities (planning, the layer, flattening, spreading), the
infrastructure to remove and the re-establishment of vegetation, and name the year in which
each physical state is reached (the dates of the milestones).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

from postmine.project.assurance_schema import Assurance
from postmine.project.liability import done_share_before
from postmine.project.model import MaterialItem, ReclamationTask, Text, WorkItem, text
from postmine.project.schema import ProjectFile

__all__ = [
    "activity_task",
    "recipe",
    "revegetation_task",
    "state_horizon",
    "state_year_of",
    "structure_tasks",
    "structures_removed_year",
]

LUMP = "rub"
"""Unit of a material that is already money (priced at 1 rub/rub by the costing)."""


def recipe(
    work: Iterable[WorkItem], materials: Iterable[MaterialItem]
) -> tuple[list[WorkItem], list[MaterialItem]]:
    """Return an activity's work and materials summed over its years, as a recipe (year 0).

    Examples
    --------
    >>> w, m = recipe([WorkItem("a", 2030, "T-170", 2.0, 5.0),
    ...                WorkItem("a", 2031, "T-170", 3.0, 5.0)], [])
    >>> [(x.year, x.machine_hours, x.volume_m3) for x in w]
    [(0, 5.0, 10.0)]
    """
    hours: dict[tuple[str, str], list[float]] = {}
    for w in work:
        h = hours.setdefault((w.activity, w.equipment), [0.0, 0.0])
        h[0] += w.machine_hours
        h[1] += w.volume_m3
    qty: dict[tuple[str, str, str], float] = {}
    for m in materials:
        key = (m.activity, m.material, m.unit)
        qty[key] = qty.get(key, 0.0) + m.quantity
    return (
        [WorkItem(a, 0, e, h, v) for (a, e), (h, v) in hours.items()],
        [MaterialItem(a, 0, name, q, unit) for (a, name, unit), q in qty.items()],
    )


def state_year_of(work: Sequence[WorkItem]) -> int | None:
    """Return the year at whose end an activity is done: its last year with work, if any."""
    years = [w.year for w in work if w.machine_hours > 0]
    return max(years) if years else None


# long: the arguments are the parts of one task; the body is short
def activity_task(
    key: str,
    name: Text,
    activity_work: Sequence[WorkItem],
    activity_materials: Sequence[MaterialItem],
    quantity: float,
    unit: str,
    years: Sequence[int],
    created_share: Callable[[int], float] = lambda t: 1.0,
    still_open: Callable[[int], bool] = lambda t: False,
    basis: Text | None = None,
) -> ReclamationTask:
    """Return a task from one of the design's activities, outstanding as the design leaves it.

    Parameters
    ----------
    key : str
        The task's key (a physical state of :data:`~postmine.project.assurance_schema.STATES`).
    name : Text
        Its name for readers.
    activity_work, activity_materials : sequences
        The activity's work items and materials over its years. [h], [unit of the item]
    quantity : float
        The task's whole extent (an area or a volume). [unit]
    unit : str
        Unit of ``quantity``. [-]
    years : sequence of int
        Years of the plan. [year]
    created_share : callable, optional
        c(t): share of the extent that exists by the end of year t (a dump grows with the
        mining); 1 by default (the disturbance exists from the start). [-]
    still_open : callable, optional
        o(t): true while the work done cannot count yet (a surface on a void that is still
        open is not the final surface), so the whole created extent stays outstanding. [-]
    basis : Text, optional
        How the task is sized, for the report.

    Returns
    -------
    ReclamationTask
        q(t) = Q · max(0, c(t) - s(t)), with s(t) the share of the activity's work done
        before year t (:func:`~postmine.project.liability.done_share_before`), or Q · c(t)
        while o(t). [unit]
    """
    done = done_share_before(activity_work, years)
    outstanding = {
        t: quantity * (created_share(t) if still_open(t) else max(0.0, created_share(t) - done[t]))
        for t in years
    }
    work, materials = recipe(activity_work, activity_materials)
    return ReclamationTask(
        key,
        name,
        quantity,
        unit,
        work,
        materials,
        outstanding,
        basis or text("the design's own works", "работы проекта"),
    )


def structure_tasks(assurance: Assurance, years: Sequence[int]) -> list[ReclamationTask]:
    """One task per structure to remove, outstanding from the year it stands until removed.

    A structure stands from ``from_year`` (the start if none) and is removed by the end of
    ``removed_year`` (never within the plan if none): it is outstanding in the state of year
    t when from_year <= t <= removed_year.
    """
    tasks = []
    for s in assurance.structures:
        first = years[0] if s.from_year is None else s.from_year
        last = None if s.removed_year is None else s.removed_year
        outstanding = {t: 1.0 if t >= first and (last is None or t <= last) else 0.0 for t in years}
        tasks.append(
            ReclamationTask(
                f"structure:{s.name}",
                text(f"Removal of {s.name}", f"Демонтаж: {s.name}"),
                1.0,
                "lump",
                [],
                [MaterialItem("structures", 0, s.name, s.quantity * s.rate_rub, LUMP)],
                outstanding,
                text(
                    f"{s.quantity:g} {s.unit} x {s.rate_rub:g} rub ({s.source})",
                    f"{s.quantity:g} {s.unit} x {s.rate_rub:g} руб. ({s.source})",
                ),
                third_party_only=True,
            )
        )
    return tasks


def structures_removed_year(assurance: Assurance, start_year: int) -> int | None:
    """Return the year by whose end every structure is removed (none if one stays)."""
    if not assurance.structures:
        return start_year - 1
    years = [s.removed_year for s in assurance.structures]
    if any(y is None for y in years):
        return None
    return max(y for y in years if y is not None)


def revegetation_task(
    assurance: Assurance, area_m2: float | None, reached_year: int | None, years: Sequence[int]
) -> ReclamationTask | None:
    """Re-establishing vegetation, outstanding until its criteria are met; none if unpriced.

    Parameters
    ----------
    assurance : Assurance
        ``[assurance.revegetation]``: its ``rate_rub_m2`` and ``area_m2``. [-]
    area_m2 : float or None
        The area of the layer (or the planning) when ``revegetation.area_m2`` is not given.
        [m²]
    reached_year : int or None
        Year by whose end the vegetation criteria are met (the layer's year plus the
        seasons); none if never within the plan. [year]
    years : sequence of int
        Years of the plan. [year]

    Returns
    -------
    ReclamationTask or None
        The task (OSMRE's Phase II retains "the cost of reestablishing revegetation" until the
        responsibility period ends), or none without a rate or an area.
    """
    reveg = assurance.revegetation
    area = reveg.area_m2 or area_m2
    if reveg.rate_rub_m2 is None or not area:
        return None
    rate = reveg.rate_rub_m2
    outstanding = {t: area if reached_year is None or t <= reached_year else 0.0 for t in years}
    return ReclamationTask(
        "revegetation",
        text("Re-establishing vegetation", "Восстановление растительного покрова"),
        area,
        "m²",
        [],
        [MaterialItem("revegetation", 0, "revegetation", area * rate.value, LUMP)],
        outstanding,
        text(f"{rate.value:g} rub/m² ({rate.source})", f"{rate.value:g} руб./м² ({rate.source})"),
        third_party_only=True,
    )


def state_horizon(project: ProjectFile, activity_years: Mapping[str, tuple[int, int]]) -> range:
    """Return the years a design traces its state for.

    From the start year to a year past every activity, the structures' years and the
    seasons to the vegetation criteria, so that every state the plan reaches is in it (the
    liability holds the last state beyond it). [year]
    """
    start = project.schedule.start_year
    ends = [start, *(span[1] for span in activity_years.values())]
    ends += [y for s in project.assurance.structures for y in (s.from_year, s.removed_year) if y]
    return range(start, max(ends) + project.assurance.revegetation.seasons + 2)
