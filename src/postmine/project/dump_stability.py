"""Stability of the slopes of a project's dump: findings and a table for the plan.

:func:`check_dump_stability` takes the dump that the project's ``[dump]`` designs (the PR1
chain, :func:`postmine.project.dump_design.dump_allotment`, flattened by the project's
scheme) and analyses its working slope (as built, at α) and its flattened slope (the final
landform, at β) with :func:`postmine.chains.dump.pit_dump_stability` (the limit-equilibrium
engine of :mod:`postmine.geotech`). The engine adds its findings and table to the design of
a dump project.

Requirement
-----------
The required factor of safety is the rule set's limit ``min_dump_factor_of_safety`` (with
its citation) if it states one, otherwise :data:`~postmine.chains.dump.DEFAULT_REQUIRED_FACTOR`
= 1.3; the method is Bishop's simplified method (:data:`~postmine.chains.dump.DEFAULT_METHOD`).
A flattened slope below the requirement is a **violation**: it is the landform the
reclamation leaves. A working slope below it is a **warning**: it stands only while the dump
is built and is governed by the mine's operations, not by the reclamation project.

Dump rock
---------
004 gives no strength of the dump rock. The ``[dump]`` keys ``rock_cohesion_kpa``,
``rock_friction_angle_deg`` and ``rock_unit_weight_kn_m3`` give the site's (:func:`project_rock`);
without them the check uses :data:`DEFAULT_DUMP_ROCK` (c' = 15 kPa, φ' = 32°, γ = 19 kN/m³, the
spoil of ``examples/north-dump/section.toml``), an ASSUMPTION stated in every finding. The
dump rock continues below the toe (no weaker foundation), and the section is dry.
"""

from __future__ import annotations

from typing import Any

from postmine.chains.dump import (
    DEFAULT_METHOD,
    DEFAULT_REQUIRED_FACTOR,
    DumpDesign,
    pit_dump_stability,
)
from postmine.chains.dump_stability import (
    GRID_POINTS,
    FlatteningNotBuildableError,
    Material,
    SlopeStability,
)
from postmine.chains.pit_allotment import PitAllotment
from postmine.project.dump_design import chosen_scheme, dump_allotment
from postmine.project.dump_tables import FLATTENING_SCHEME_NAMES
from postmine.project.model import Finding, Severity, Table, quantity_column, text
from postmine.project.rules import RuleSet
from postmine.project.schema import Dump, ProjectFile

__all__ = [
    "DEFAULT_DUMP_ROCK",
    "REQUIRED_FACTOR_LIMIT",
    "check_dump_stability",
    "project_rock",
    "required_factor",
]

#: Strength of the dump rock when the site gives none: the spoil of
#: ``examples/north-dump/section.toml`` (c' = 15 kPa, φ' = 32°, γ = 19 kN/m³), an assumption.
DEFAULT_DUMP_ROCK = Material(15.0, 32.0, 19.0, "dump rock (assumed)")
#: Name of the rule-set limit that states the required factor of safety of a dump's slopes.
REQUIRED_FACTOR_LIMIT = "min_dump_factor_of_safety"
_SOURCE = "004 PR1 geometry; Bishop (1955) limit equilibrium (postmine.chains.dump)"
_METHOD_NAMES = {
    "ordinary": text("the Ordinary (Fellenius) method", "метод Феллениуса"),
    "bishop": text("Bishop's simplified method", "упрощённый метод Бишопа"),
    "janbu": text("Janbu's simplified method", "упрощённый метод Янбу"),
    "spencer": text("Spencer's method", "метод Спенсера"),
    "morgenstern_price": text("the Morgenstern–Price method", "метод Моргенштерна–Прайса"),
}
_SLOPE_NAMES = {
    "working": text("working slope (as built)", "рабочий откос (при отсыпке)"),
    "flattened": text("flattened slope (final landform)", "выположенный откос (итоговый рельеф)"),
}


def required_factor(rules: RuleSet) -> tuple[float, str]:
    """Return the required factor of safety of a dump's slopes [-] and where it comes from.

    The rule set's ``min_dump_factor_of_safety`` if it states one, otherwise
    :data:`~postmine.chains.dump.DEFAULT_REQUIRED_FACTOR`.
    """
    rule = rules.limit(REQUIRED_FACTOR_LIMIT)
    if rule.value is None:
        return DEFAULT_REQUIRED_FACTOR, (
            f"postmine default; rule set {rules.id} states no {REQUIRED_FACTOR_LIMIT}"
        )
    return float(rule.value), rule.citation


def _slope_finding(
    name: str, slope: SlopeStability, design: DumpDesign, citation: str, material: Material
) -> Finding:
    factor = slope.factor(design.method)
    need = design.required_factor
    below = factor < need
    severity: Severity = "info"
    if below:
        severity = "violation" if name == "flattened" else "warning"
    verdict_en = "below" if below else "meets"
    verdict_ru = "ниже требуемого" if below else "не ниже требуемого"
    assumed = " (assumed)" if material == DEFAULT_DUMP_ROCK else ""
    rock_en = (
        f"c' = {material.cohesion:g} kPa, φ' = {material.friction_angle:g}°, "
        f"γ = {material.unit_weight:g} kN/m³{assumed}"
    )
    rock_ru = (
        f"c' = {material.cohesion:g} кПа, φ' = {material.friction_angle:g}°, "
        f"γ = {material.unit_weight:g} кН/м³{' (допущение)' if assumed else ''}"
    )
    method = _METHOD_NAMES[design.method]
    p = slope.profile
    scheme_ru = FLATTENING_SCHEME_NAMES[design.scheme]["ru"]
    return Finding(
        code=f"dump-stability-{name}",
        severity=severity,
        message=text(
            f"Factor of safety of the dump's {_SLOPE_NAMES[name]['en']}, {p.height_m:.1f} m at "
            f"{p.slope_angle_deg:g}° ({design.scheme} flattening): {factor:.2f} by "
            f"{method['en']}, {verdict_en} the required {need:g} ({citation}); dump rock "
            f"{rock_en}.",
            f"Коэффициент запаса устойчивости: {_SLOPE_NAMES[name]['ru']} отвала, высота "
            f"{p.height_m:.1f} м, угол {p.slope_angle_deg:g}° (выполаживание «{scheme_ru}»): "
            f"{factor:.2f} ({method['ru']}), {verdict_ru} {need:g} ({citation}); порода "
            f"отвала: {rock_ru}.",
        ),
        value=factor,
        limit=need,
        unit="",
        source=_SOURCE,
    )


def _stability_table(design: DumpDesign, material: Material) -> Table:
    rows: list[dict[str, Any]] = []
    for name, slope in (("working", design.working), ("flattened", design.final)):
        factor = slope.factor(design.method)
        rows.append(
            {
                "slope": name,
                "slope_height_m": slope.profile.height_m,
                "slope_angle_deg": slope.profile.slope_angle_deg,
                "factor_of_safety": factor,
                "required_factor_of_safety": design.required_factor,
                "stable": factor >= design.required_factor,
            }
        )
    return Table(
        key="dump_stability",
        title=text("Stability of the dump slopes", "Устойчивость откосов отвала"),
        source=_SOURCE,
        columns=[
            quantity_column("slope", "dump_slope"),
            quantity_column("slope_height_m", "dump_slope_height_m"),
            quantity_column("slope_angle_deg", "dump_slope_angle_deg"),
            quantity_column("factor_of_safety"),
            quantity_column("required_factor_of_safety"),
            quantity_column("stable", "dump_slope_stable"),
        ],
        rows=rows,
        notes=[
            text(
                f"Factor of safety by {_METHOD_NAMES[design.method]['en']} on the critical "
                f"circle, plane strain, dry; dump rock c' = {material.cohesion:g} kPa, "
                f"φ' = {material.friction_angle:g}°, γ = {material.unit_weight:g} kN/m³ "
                f"({material.name}).",
                f"Коэффициент запаса ({_METHOD_NAMES[design.method]['ru']}) на критической "
                f"окружности, плоская задача, без воды; порода отвала c' = {material.cohesion:g} "
                f"кПа, φ' = {material.friction_angle:g}°, γ = {material.unit_weight:g} кН/м³.",
            )
        ],
    )


def _not_checked(why: str) -> Finding:
    return Finding(
        code="dump-stability-not-checked",
        severity="warning",
        message=text(
            f"The stability of the dump's slopes could not be checked: {why}",
            f"Устойчивость откосов отвала не проверена: {why}",
        ),
        source=_SOURCE,
    )


def project_rock(dump: Dump) -> Material:
    """Return the dump rock of ``[dump]``: its ``rock_*`` keys, or :data:`DEFAULT_DUMP_ROCK`.

    Parameters
    ----------
    dump : Dump
        The validated ``[dump]`` section (all three ``rock_*`` keys or none of them).

    Returns
    -------
    Material
        c' [kPa], φ' [°] and γ [kN/m³] of the dump rock.
    """
    c, phi, gamma = (
        dump.rock_cohesion_kpa,
        dump.rock_friction_angle_deg,
        dump.rock_unit_weight_kn_m3,
    )
    if c is None or phi is None or gamma is None:  # the schema allows all three or none
        return DEFAULT_DUMP_ROCK
    return Material(c, phi, gamma, "dump rock ([dump])")


def check_dump_stability(
    project: ProjectFile,
    rules: RuleSet,
    material: Material | None = None,
    *,
    land: PitAllotment | None = None,
    method: str = DEFAULT_METHOD,
    grid_points: int = GRID_POINTS,
) -> tuple[list[Finding], list[Table]]:
    """Check the working and flattened slopes of the project's dump against the requirement.

    Parameters
    ----------
    project : ProjectFile
        A validated project file with a ``[dump]`` section.
    rules : RuleSet
        The rule set; its ``min_dump_factor_of_safety`` is the required factor if stated.
    material : Material, optional
        Dump rock; by default the ``rock_*`` keys of ``[dump]`` (:func:`project_rock`), or
        :data:`DEFAULT_DUMP_ROCK` (an assumption) where the project gives none.
    land : PitAllotment, optional
        The PR1 chain's result for ``[dump]`` if the caller has it already
        (:func:`postmine.project.dump_design.dump_allotment`); computed here otherwise.
    method : {"ordinary", "bishop", "janbu", "spencer", "morgenstern_price"}, optional
        Method of the requirement; Bishop's simplified method by default.
    grid_points : int, optional
        Values per axis of the circle search grid. [-]

    Returns
    -------
    tuple
        Findings ``dump-stability-working`` and ``dump-stability-flattened`` (value: the
        factor of safety [-], limit: the required factor), and the table
        ``dump_stability``; or one ``dump-stability-not-checked`` warning and no table when
        the flattened slope cannot be built (bottom-up flattening of a narrow dump).

    Raises
    ------
    ValueError
        If the project has no ``[dump]`` or the PR1 chain refuses it.

    Examples
    --------
    >>> from pathlib import Path
    >>> from postmine.project.rules import load_rule_set
    >>> from postmine.project.schema import read_project
    >>> p = read_project(Path(__file__).parents[3] / "examples/pr1-coal-pit/project.toml")
    >>> findings, tables = check_dump_stability(p, load_rule_set(p.rules.set))
    >>> [(f.code, f.severity, round(f.value, 2)) for f in findings]
    [('dump-stability-working', 'warning', 1.14), ('dump-stability-flattened', 'info', 2.26)]
    """
    d = project.dump
    if d is None:
        raise ValueError("check_dump_stability needs a project with a [dump] section, got none")
    rock = project_rock(d) if material is None else material
    land = dump_allotment(d) if land is None else land
    need, citation = required_factor(rules)
    try:
        design = pit_dump_stability(
            land.dump,
            chosen_scheme(land, d),
            d.flattened_slope_angle_deg,
            rock,
            aspect_ratio=d.rectangle_aspect_ratio if land.dump.shape == "rectangle" else None,
            required_factor=need,
            method=method,
            grid_points=grid_points,
        )
    except FlatteningNotBuildableError as exc:  # only a slope that cannot be built
        return [_not_checked(str(exc))], []
    findings = [
        _slope_finding("working", design.working, design, citation, rock),
        _slope_finding("flattened", design.final, design, citation, rock),
    ]
    return findings, [_stability_table(design, rock)]
