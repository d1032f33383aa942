"""The main job: plan the reclamation of a site from one project file.

:func:`plan` reads and validates the project file, loads its rule set, runs the design
(tables, findings, work, materials), the costing (direct and indirect cost, bond, provision),
the liability of each year's state and the bond, the Monte Carlo over the stated uncertainty
ranges (P50/P80/P90 of the bond, and the percentile of the deterministic bond), the
assurance the rule set asks for and its staged release at physical milestones, and returns one
:class:`~postmine.project.model.ProjectResult`. Nothing is written anywhere.
"""

from __future__ import annotations

from pathlib import Path

from postmine.project.assurance import milestone_year, milestones_of, release_schedule
from postmine.project.costing import compute_bond, compute_costs
from postmine.project.engine import design, project_meta
from postmine.project.model import Finding, ProjectResult, text
from postmine.project.rules import RuleSet, load_rule_set
from postmine.project.schema import ProjectFile, ProjectFileError, read_project
from postmine.project.uncertainty import check_uncertain_inputs, monte_carlo, percentile_of
from postmine.project.void_geometry import check_tier_geometry

__all__ = ["plan", "plan_checked", "plan_project"]


def plan_project(
    project: ProjectFile, rules: RuleSet, path_text: str = "<project>"
) -> ProjectResult:
    """Plan a validated project under ``rules``; see :func:`plan`."""
    part = design(project, rules)
    milestones = milestones_of(project.milestones, rules)
    tiers = [t.elevation_m for t in project.void.tiers] if project.void else None
    dates = [milestone_year(m, part.state_years, part.void_levels, tiers) for m in milestones]
    extra = [y for y in dates if y is not None] + list(part.state_years.values())
    cost = compute_costs(
        project,
        part.work,
        part.materials,
        part.activity_years,
        tasks=part.tasks,
        rules=rules,
        extra_years=extra,
    )

    def bond_of(sample: ProjectFile) -> float:
        s = design(sample, rules, render=False)
        return compute_bond(sample, s.tasks, s.activity_years, rules, extra)

    cost.samples_rub, cost.percentiles_rub = monte_carlo(project, bond_of)
    findings = list(part.findings)
    basis = rules.assurance.amount
    amount = cost.bond_rub
    if cost.samples_rub:
        cost.deterministic_percentile = percentile_of(cost.bond_rub, cost.samples_rub)
    if basis != "deterministic":
        chosen = cost.percentiles_rub.get(basis)
        if chosen is None:
            findings.append(_no_samples_finding(basis))
            basis = "deterministic"
        elif chosen < cost.bond_rub:
            findings.append(_percentile_below_finding(basis, chosen, cost.bond_rub))
        else:
            amount = chosen
    cost.assurance_basis, cost.assurance_rub = basis, amount
    assurance = release_schedule(
        milestones, cost, part.state_years, part.void_levels, amount, basis, tiers
    )
    meta = project_meta(project, path_text, rules)
    meta["simulation_samples"] = len(cost.samples_rub)
    meta["simulation_seed"] = project.simulation.seed
    return ProjectResult(
        meta=meta,
        tables=part.tables,
        findings=findings,
        work=part.work,
        materials=part.materials,
        activity_years=part.activity_years,
        cost=cost,
        assurance=assurance,
    )


def _no_samples_finding(basis: str) -> Finding:
    return Finding(
        "assurance-basis-without-samples",
        "warning",
        text(
            f"The rule set asks for the {basis} of the bond, but the project states no "
            "uncertainty ranges: the deterministic bond is the assurance.",
            f"Набор правил требует {basis} обеспечения, но в проекте нет диапазонов "
            "неопределенности: обеспечением принята детерминированная оценка.",
        ),
    )


def _percentile_below_finding(basis: str, chosen: float, bond: float) -> Finding:
    return Finding(
        "assurance-percentile-below-bond",
        "warning",
        text(
            f"The {basis} of the bond ({chosen:,.0f} rub) is below the deterministic bond "
            f"({bond:,.0f} rub): the deterministic bond is held, so that no year's liability "
            "is left uncovered.",
            f"{basis} обеспечения ({chosen:,.0f} руб.) ниже детерминированной оценки "
            f"({bond:,.0f} руб.): удерживается детерминированная оценка, чтобы обязательство "
            "каждого года было покрыто.".replace(",", " "),
        ),
        value=chosen,
        limit=bond,
        unit="rub",
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
        If the rule set or the uncertainty ranges are not valid for this project, or a tier
        of the void is spaced beyond the rule set's ``max_tier_height_m`` (when it states
        one).
    ValueError
        If a method refuses the combination of inputs.
    """
    try:
        rules = load_rule_set(project.rules.set, Path(base_dir) if base_dir else None)
    except ValueError as exc:
        raise ProjectFileError(where, [f"rules.set: {exc}"]) from None
    limit = rules.limit("max_tier_height_m")
    if project.void is not None and limit.value is not None:
        try:
            check_tier_geometry(
                project.void, limit.value, limit_name=f"rule set {rules.id} max_tier_height_m"
            )
        except ValueError as exc:
            raise ProjectFileError(where, [f"void: {exc} ({limit.citation})"]) from None
    try:
        check_uncertain_inputs(project)
    except ValueError as exc:
        raise ProjectFileError(where, [f"uncertainty: {exc}"]) from None
    return plan_project(project, rules, where)
