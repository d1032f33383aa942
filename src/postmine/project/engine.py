"""The project engine: dispatch a project file to its design and describe the run.

:func:`design` runs the design branch the project file asks for -- the backfill of a void
by tiers (``[void]``, document 003: :mod:`postmine.project.backfill`) or an external
dump built from an open pit (``[dump]``, 004 PR1: :mod:`postmine.project.dump_design`, with
the stability of the dump's slopes, :mod:`postmine.project.dump_stability`) -- and returns
its :class:`~postmine.project.model.DesignPart`. :func:`project_meta` records
what produced a result: the postmine version, the project file's format version and the
SHA-256 of its canonical JSON, and the rule set.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import postmine
from postmine.project.backfill import design_backfill
from postmine.project.dump_design import design_dump, dump_allotment
from postmine.project.dump_stability import check_dump_stability
from postmine.project.dump_state import dump_state
from postmine.project.model import DesignPart
from postmine.project.rules import RuleSet, load_rule_set
from postmine.project.schema import ProjectFile

__all__ = ["design", "project_hash", "project_meta"]


def design(project: ProjectFile, rules: RuleSet, *, render: bool = True) -> DesignPart:
    """Design the works of a project: every table, finding, work item and material.

    Parameters
    ----------
    project : ProjectFile
        A validated project file with either a ``[void]`` or a ``[dump]``.
    rules : RuleSet
        The rule set the project names (see :func:`postmine.project.rules.load_rule_set`).
    render : bool, optional
        Render the tables of the backfill design (the Monte Carlo skips them). [-]

    Returns
    -------
    DesignPart
        The tables, findings, work items, materials and activity years of the design.

    Raises
    ------
    ValueError
        If the project has neither a ``[void]`` nor a ``[dump]`` (a validated project file
        always has exactly one), or a value is outside the range a method accepts.
    """
    if project.void is not None:
        return design_backfill(project, rules, render=render)
    if project.dump is not None:
        return _design_dump(project, rules)
    raise ValueError("the project file needs a [void] (backfill) or a [dump] (external dump)")


def _design_dump(project: ProjectFile, rules: RuleSet) -> DesignPart:
    """Design the external dump and its works, then check the stability of its slopes.

    The findings ``dump-stability-working`` and ``dump-stability-flattened`` and the table
    ``dump_stability`` (:func:`postmine.project.dump_stability.check_dump_stability`: Bishop,
    the rule set's ``min_dump_factor_of_safety`` or 1.3 required) follow those of the design.
    """
    if project.dump is None:
        raise ValueError("the dump design needs a [dump] section, got none")
    land = dump_allotment(project.dump)  # the PR1 chain once, for the design and its check
    part = design_dump(project, rules, land=land)
    findings, tables = check_dump_stability(project, rules, land=land)
    return dump_state(
        project,
        DesignPart(
            [*part.tables, *tables],
            [*part.findings, *findings],
            part.work,
            part.materials,
            part.activity_years,
        ),
    )


def project_hash(project: ProjectFile) -> str:
    """Return the SHA-256 of the project's canonical JSON (sorted keys, no spaces).

    The hash identifies the inputs of a result: two project files that validate to the same
    content (whatever their comments, key order or number spelling) have the same hash.
    """
    canonical = json.dumps(
        project.model_dump(mode="json"), sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def project_meta(
    project: ProjectFile, path_text: str, rules: RuleSet | None = None
) -> dict[str, Any]:
    """Describe a run: postmine version, project file, its hash, the project and rule set.

    Parameters
    ----------
    project : ProjectFile
        The validated project file.
    path_text : str
        The project file's path as the user gave it (recorded, and the base of a relative
        rule-set path).
    rules : RuleSet, optional
        The rule set in use; loaded from ``project.rules.set`` if not given.

    Returns
    -------
    dict
        ``postmine_version``, ``format_version``, ``project_file``, ``project_sha256``,
        ``name``, ``site``, ``operator``, ``rule_set_id``, ``rule_set_title`` (Russian, as
        the rule set states it), ``rule_set_title_en``, ``rule_set_origin`` and
        ``max_technical_years_override`` (``None`` unless the project file sets it).

    Raises
    ------
    ValueError
        If ``rules`` is not given and the project's rule set cannot be loaded.
    """
    if rules is None:
        rules = load_rule_set(project.rules.set, Path(path_text).parent)
    info = project.project
    return {
        "postmine_version": postmine.__version__,
        "format_version": project.format_version,
        "project_file": path_text,
        "project_sha256": project_hash(project),
        "name": info.name,
        "site": info.site,
        "operator": info.operator,
        "rule_set_id": rules.id,
        "rule_set_title": rules.title,
        "rule_set_title_en": rules.title_en,
        "rule_set_origin": rules.origin,
        "max_technical_years_override": project.rules.max_technical_years,
    }
