"""The entry point of the backfill design (document 003): explicit steps, typed results.

Part of the backfill design (:mod:`postmine.project.backfill`, whose docstring states the
schedule). :func:`design_backfill` gathers the inputs, computes and renders in steps, each
passing a typed result to the next:

1. :func:`~postmine.project.backfill.calendar_plan.compute_backfill` -> ``BackfillResult``
   (003 Table 4, sec. 3.1, Table 5);
2. :func:`~postmine.project.backfill.fleet.compute_fleet` -> ``FleetResult`` (Tables 8-15);
3. :func:`~postmine.project.backfill.surface.compute_finishing` -> ``FinishingResult``
   (sec. 3.2-4.2 and when the fleet does the planning and the layer);
4. :func:`~postmine.project.backfill.work.schedule_work` -> ``WorkPlan`` (work items,
   materials, activity years);
   :func:`~postmine.project.backfill.state.backfill_state` -> ``BackfillState`` (what a
   third party would have to do with each year's state: the liability's tasks);
5. the tables of every part and the findings
   (:mod:`~postmine.project.backfill.findings`,
   :func:`~postmine.project.backfill.fleet_tables.fleet_findings`).
"""

from __future__ import annotations

from postmine.project.backfill.base import DesignInputs, time_limit
from postmine.project.backfill.calendar_plan import (
    BackfillResult,
    compute_backfill,
    table_4,
    table_5,
    table_filling,
    table_timeline,
)
from postmine.project.backfill.findings import (
    activity_findings,
    backfill_findings,
    layer_findings,
    start_findings,
)
from postmine.project.backfill.fleet import FleetResult, compute_fleet
from postmine.project.backfill.fleet_tables import (
    fleet_findings,
    table_6,
    table_8,
    table_9,
    table_11,
    table_12,
    table_14,
    table_15,
)
from postmine.project.backfill.state import backfill_state, state_findings
from postmine.project.backfill.surface import (
    FinishingResult,
    compute_finishing,
    table_layer,
    table_planning,
    table_prism,
)
from postmine.project.backfill.work import WorkPlan, schedule_work
from postmine.project.model import DesignPart, Finding, Table
from postmine.project.rules import RuleSet
from postmine.project.schema import ProjectFile
from postmine.project.tasks import state_horizon

__all__ = ["design_backfill"]


def design_backfill(project: ProjectFile, rules: RuleSet, *, render: bool = True) -> DesignPart:
    """Design the backfill of the project's void: every table of 003, findings and work.

    Parameters
    ----------
    project : ProjectFile
        A validated project file with a ``[void]``.
    rules : RuleSet
        The rule set the project names (its ``max_technical_years`` limits the calendar
        plan unless the project file overrides it).
    render : bool, optional
        Render the tables; the Monte Carlo, which needs only the work and the tasks, skips
        them (about a third of the design's time). [-]

    Returns
    -------
    DesignPart
        Tables (keys in :data:`~postmine.project.backfill.base.TABLE_KEYS`), findings, work
        items per activity, year and machine model, materials, and the first and last year
        of every activity.

    Raises
    ------
    ValueError
        If the project has no ``[void]``, or a value is outside the range a method accepts
        (the message names it).
    """
    void = project.void
    if void is None:
        raise ValueError("design_backfill needs a project with a [void]")
    inputs = DesignInputs(project, void, rules, time_limit(project, rules))
    backfill = compute_backfill(inputs)
    fleet = compute_fleet(inputs, backfill)
    finishing = compute_finishing(inputs, backfill, fleet)
    work = schedule_work(inputs, backfill, fleet, finishing)
    state = backfill_state(
        inputs, backfill, fleet, finishing, work, state_horizon(project, work.activity_years)
    )
    return DesignPart(
        tables=_tables(inputs, backfill, fleet, finishing, work) if render else [],
        findings=_findings(inputs, backfill, fleet, finishing, work) + state_findings(state),
        work=work.work,
        materials=work.materials,
        activity_years=work.activity_years,
        tasks=state.tasks,
        state_years=state.state_years,
        void_levels=state.void_levels,
    )


def _tables(
    inputs: DesignInputs,
    backfill: BackfillResult,
    fleet: FleetResult,
    finishing: FinishingResult,
    work: WorkPlan,
) -> list[Table]:
    """Render every table of the design, in the order of 003."""
    years = work.activity_years
    return [
        table_4(backfill),
        table_filling(inputs, backfill),
        table_5(inputs, backfill),
        table_planning(inputs, fleet, finishing, years),
        table_layer(inputs, fleet, finishing, years),
        table_6(inputs, fleet),
        table_8(inputs, backfill, fleet),
        table_9(backfill, fleet),
        table_prism(inputs, finishing),
        table_11(inputs, backfill, fleet),
        table_12(inputs, backfill, fleet),
        table_14(inputs, fleet),
        table_15(inputs, backfill, fleet),
        table_timeline(inputs.limit, years),
    ]


def _findings(
    inputs: DesignInputs,
    backfill: BackfillResult,
    fleet: FleetResult,
    finishing: FinishingResult,
    work: WorkPlan,
) -> list[Finding]:
    """Collect the findings: limit and capacity, fleet use, late activities, layer, start."""
    return (
        backfill_findings(inputs, backfill)
        + fleet_findings(inputs, fleet)
        + activity_findings(inputs, work.activity_years)
        + layer_findings(inputs, finishing)
        + start_findings(inputs)
    )
