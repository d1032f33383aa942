"""The main job: plan the reclamation of a site from one project file.

:func:`plan` reads and validates the project file, loads its rule set, runs the design
(tables, findings, work, materials), the costing (direct and indirect cost, bond, provision),
the Monte Carlo over the stated uncertainty ranges (P50/P80/P90 of the bond) and the staged
release of the financial assurance, and returns one
:class:`~postmine.project.model.ProjectResult`. Nothing is written anywhere.
"""

from __future__ import annotations

from pathlib import Path

from postmine.project.assurance import release_schedule
from postmine.project.costing import compute_bond, compute_costs
from postmine.project.engine import design, project_meta
from postmine.project.model import ProjectResult
from postmine.project.rules import RuleSet, load_rule_set
from postmine.project.schema import ProjectFile, ProjectFileError, read_project
from postmine.project.uncertainty import check_uncertain_inputs, monte_carlo

__all__ = ["plan", "plan_checked", "plan_project"]


def plan_project(
    project: ProjectFile, rules: RuleSet, path_text: str = "<project>"
) -> ProjectResult:
    """Plan a validated project under ``rules``; see :func:`plan`."""
    part = design(project, rules)
    cost = compute_costs(project, part.work, part.materials, part.activity_years)

    def bond_of(sample: ProjectFile) -> float:
        s = design(sample, rules)
        return compute_bond(sample, s.work, s.materials, s.activity_years)

    cost.samples_rub, cost.percentiles_rub = monte_carlo(project, bond_of)
    assurance = release_schedule(project, cost, part.activity_years)
    meta = project_meta(project, path_text, rules)
    meta["simulation_samples"] = len(cost.samples_rub)
    meta["simulation_seed"] = project.simulation.seed
    return ProjectResult(
        meta=meta,
        tables=part.tables,
        findings=part.findings,
        work=part.work,
        materials=part.materials,
        activity_years=part.activity_years,
        cost=cost,
        assurance=assurance,
    )


def plan(path: str | Path) -> ProjectResult:
    """Read the project file at ``path`` and plan it.

    Raises
    ------
    ProjectFileError
        If the file cannot be read or a field is invalid (every bad field is named), or an
        uncertainty path or the rule set is not valid for this project.
    ValueError
        If a method refuses the combination of inputs.
    """
    return plan_checked(read_project(path), str(path), Path(path).parent)


def plan_checked(
    project: ProjectFile, where: str, base_dir: str | Path | None = None
) -> ProjectResult:
    """Load the project's rule set, check its uncertainty ranges, and plan it.

    Parameters
    ----------
    project : ProjectFile
        A validated project file.
    where : str
        Where the project came from (a path, or a registry plan), named in errors. [-]
    base_dir : str or Path, optional
        Directory a relative rule-set path of the project is resolved against. [-]

    Raises
    ------
    ProjectFileError
        If the rule set or the uncertainty ranges are not valid for this project.
    ValueError
        If a method refuses the combination of inputs.
    """
    try:
        rules = load_rule_set(project.rules.set, Path(base_dir) if base_dir else None)
    except ValueError as exc:
        raise ProjectFileError(where, [f"rules.set: {exc}"]) from None
    try:
        check_uncertain_inputs(project)
    except ValueError as exc:
        raise ProjectFileError(where, [f"uncertainty: {exc}"]) from None
    return plan_project(project, rules, where)
