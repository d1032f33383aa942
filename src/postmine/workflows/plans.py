"""Reclamation plans across the project engine and the registry: submit, compute, store.

The registry stores a plan's project file and the result it is given; it never reads nor
computes project files. These functions are the floor above both: they parse and validate
the project file with :mod:`postmine.project`, compute it with
:func:`postmine.project.plan.plan_project` (design, costing, Monte Carlo, release schedule),
and store the inputs and the result through the registry's ledgered actions
(:func:`postmine.registry.actions.store_submitted_plan`,
:func:`postmine.registry.actions.store_plan_result`). The API and the CLI call them.

Results apart from inputs
-------------------------
A plan keeps the project file exactly as submitted and the project engine's hash of it
(SHA-256 of the canonical JSON, so comments and key order do not change it). A result is
stored in separate columns with the postmine version and the hash of the inputs it was
computed from; recomputing replaces only the result.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

from sqlalchemy.orm import Session

from postmine.db import RecordValueError
from postmine.project.engine import project_hash
from postmine.project.plan import plan_checked
from postmine.project.schema import ProjectFile, ProjectFileError, parse_project
from postmine.registry.actions import Actor, store_plan_result, store_submitted_plan
from postmine.registry.models import ReclamationPlan
from postmine.registry.records.plans import get_plan
from postmine.registry.records.sites import get_site

__all__ = ["compute_plan", "parse_plan_text", "plan_project_file", "submit_plan"]


def _where(plan_id: int | None) -> str:
    """Name a plan in error messages (its table row, or the text being submitted)."""
    return f"reclamation_plans/{plan_id}" if plan_id is not None else "submitted project file"


def parse_plan_text(project_toml: str, where: str = _where(None)) -> ProjectFile:
    """Parse and validate the text of a project file.

    Parameters
    ----------
    project_toml : str
        The project file's text (TOML, ``format_version = 1``). [-]
    where : str
        Name of the text in error messages. [-]

    Returns
    -------
    postmine.project.schema.ProjectFile
        The validated project.

    Raises
    ------
    ProjectFileError
        If the text is not TOML or the project file does not validate (every bad field named).
    """
    try:
        data = tomllib.loads(project_toml)
    except tomllib.TOMLDecodeError as exc:
        raise ProjectFileError(where, [f"not valid TOML: {exc}"]) from None
    return parse_project(data, where)


def plan_project_file(plan: ReclamationPlan) -> ProjectFile:
    """Return the validated project file of a stored plan.

    Raises
    ------
    ProjectFileError
        If the stored text no longer validates (a project-file format this postmine does not
        read).
    """
    return parse_project(tomllib.loads(plan.project_toml), _where(plan.id))


def submit_plan(
    session: Session,
    actor: Actor,
    *,
    site_id: int,
    project_toml: str,
    title: str | None = None,
    submitted_on: dt.date | None = None,
    now: dt.datetime | None = None,
) -> ReclamationPlan:
    """Validate a project file and store it as a site's plan, signed in the ledger.

    The text is kept exactly as given; its hash is the project engine's
    (:func:`postmine.project.engine.project_hash`). No result is computed here; see
    :func:`compute_plan`.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Session on the registry (committed by the caller).
    actor : postmine.registry.actions.Actor
        Party submitting; signs the ledger entry.
    site_id : int
        Site the plan is for. [-]
    project_toml : str
        The project file's text (TOML, ``format_version = 1``). [-]
    title : str, optional
        Title; the project's ``[project] name`` by default. [-]
    submitted_on : datetime.date, optional
        Date of submission (today by default). [date]
    now : datetime.datetime, optional
        Timezone-aware time of the ledger entry; default the current time. [-]

    Returns
    -------
    ReclamationPlan
        The new plan, without a result.

    Raises
    ------
    postmine.registry.records.NotFoundError
        If the site does not exist.
    ProjectFileError
        If the text is not TOML or the project file does not validate.
    RecordValueError
        If ``project_toml`` is not text or a stored value is out of range.
    """
    get_site(session, site_id)  # a missing site is named before a bad file
    if not isinstance(project_toml, str):
        raise RecordValueError("project_toml", "project_toml must be TOML text", project_toml)
    project = parse_plan_text(project_toml)
    return store_submitted_plan(
        session,
        actor,
        now=now,
        site_id=site_id,
        project_toml=project_toml,
        project_sha256=project_hash(project),
        format_version=project.format_version,
        title=title or project.project.name,
        submitted_on=submitted_on,
    )


def compute_plan(
    session: Session,
    actor: Actor,
    plan_id: int,
    *,
    base_dir: str | Path | None = None,
    now: dt.datetime | None = None,
) -> ReclamationPlan:
    """Compute a plan's result with the project engine and store it beside the inputs.

    Runs :func:`postmine.project.plan.plan_project` on the stored project file and stores its
    JSON (``ProjectResult.to_dict``) with the postmine version and the hash of the inputs it
    was computed from, through :func:`postmine.registry.actions.store_plan_result`. The
    inputs are not touched; a previous result is replaced.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Session on the registry (committed by the caller).
    actor : postmine.registry.actions.Actor
        Party storing the result; signs the ledger entry.
    plan_id : int
        Plan to compute. [-]
    base_dir : str or Path, optional
        Directory a relative rule-set path of the project file is resolved against. [-]
    now : datetime.datetime, optional
        Timezone-aware time of the ledger entry; default the current time. [-]

    Returns
    -------
    ReclamationPlan
        The plan with its result.

    Raises
    ------
    postmine.registry.records.NotFoundError
        If the plan does not exist.
    ProjectFileError
        If the rule set or the uncertainty ranges are not valid for the project.
    ValueError
        If a method refuses the combination of inputs.
    """
    plan = get_plan(session, plan_id)
    project = plan_project_file(plan)
    result = plan_checked(project, _where(plan.id), base_dir)
    return store_plan_result(
        session,
        actor,
        plan.id,
        result=result.to_dict(),
        postmine_version=str(result.meta["postmine_version"]),
        inputs_sha256=str(result.meta["project_sha256"]),
        now=now,
    )
