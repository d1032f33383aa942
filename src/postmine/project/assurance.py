"""Staged release of the financial assurance (bond) as verified milestones are reached.

Each ``[[milestones]]`` entry of a project file releases a share of the bond once an
activity is finished (and, optionally, a liability period has passed without failure), on
the stated evidence, as US coal bonds are released in phases under SMCRA (about 60 % after
backfilling and regrading, more after revegetation, the rest after the 5- or 10-year
liability period). A release never lets the amount still held fall below the third-party
cost of the work that remains: a regulator must keep enough for a contractor to finish.

References
----------
[SMCRA]  Surface Mining Control and Reclamation Act of 1977, section 519 (30 U.S.C. 1269):
         release of performance bonds in phases.
[OSMRE]  Office of Surface Mining, Handbook for Calculation of Reclamation Bond Amounts
         (2000): phased bond release, the amount retained for revegetation.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from postmine.project.model import AssuranceResult, CostResult, MilestoneRelease
from postmine.project.schema import ProjectFile

__all__ = ["milestone_year", "release_schedule", "remaining_liability"]

_REL_TOL = 1e-9


def milestone_year(
    after_activity: str,
    liability_years_after: int,
    activity_years: Mapping[str, tuple[int, int]],
    milestone: str = "",
) -> int:
    """Year in which a milestone is reached: the activity's last year plus the waiting years.

    Parameters
    ----------
    after_activity : str
        Activity whose completion the milestone follows. [-]
    liability_years_after : int
        Years to wait after the activity's last year (a liability period). [year]
    activity_years : mapping of str to (int, int)
        First and last year of every activity. [year]
    milestone : str, optional
        Name of the milestone, for the error message. [-]

    Returns
    -------
    int
        Last year of ``after_activity`` plus ``liability_years_after``. [year]

    Raises
    ------
    ValueError
        If ``after_activity`` is not in ``activity_years`` (the message names the milestone
        and lists the known activities) or ``liability_years_after`` is negative.

    Examples
    --------
    >>> milestone_year("reclamation-layer", 5, {"reclamation-layer": (2036, 2037)})
    2042
    """
    if after_activity not in activity_years:
        raise ValueError(
            f"milestone {milestone!r} follows activity {after_activity!r}, which the project "
            f"does not have; known activities: {sorted(activity_years)}"
        )
    if liability_years_after < 0:
        raise ValueError(
            f"milestone {milestone!r}: liability_years_after must be >= 0 year, "
            f"got {liability_years_after}"
        )
    return activity_years[after_activity][1] + liability_years_after


def remaining_liability(cost: CostResult, year: int) -> float:
    """Largest third-party liability still ahead once ``year`` has ended.

    Parameters
    ----------
    cost : CostResult
        The costing, with ``liability_by_year_rub`` for every year of the works. [rub]
    year : int
        Year at whose end the remaining liability is wanted. [year]

    Returns
    -------
    float
        max_{t > year} L_t, the largest liability at the start of any later year; 0 after
        the last year of the works. [rub]

    Raises
    ------
    ValueError
        If ``cost`` has no liability by year while its bond is positive.

    Notes
    -----
    The liability of the next year, L_{year+1}, is the cost of the work still to do. It is
    usually also the largest one ahead, since work gets done; but the liability is priced at
    each year's prices, and where escalation outpaces the work done a later year's liability
    is larger. An amount held can only come down, so it must cover the largest liability
    ahead, not only the next one.

    Examples
    --------
    >>> from postmine.project.model import CostResult
    >>> c = CostResult([], 0, [], 0, 0, {}, {}, {2022: 300.0, 2023: 120.0, 2024: 130.0},
    ...                300.0, 2022, 0, {}, [])
    >>> remaining_liability(c, 2022), remaining_liability(c, 2023), remaining_liability(c, 2024)
    (130.0, 130.0, 0.0)
    """
    by_year = cost.liability_by_year_rub
    if not by_year and cost.bond_rub > 0:
        raise ValueError("cost has a bond but no liability_by_year_rub")
    return max((v for t, v in by_year.items() if t > year), default=0.0)


def release_schedule(
    project: ProjectFile,
    cost: CostResult,
    activity_years: Mapping[str, tuple[int, int]],
) -> AssuranceResult:
    """Staged release of the bond after each milestone, never below the remaining liability.

    Parameters
    ----------
    project : ProjectFile
        The project; uses its ``[[milestones]]``. [-]
    cost : CostResult
        The costing: ``bond_rub`` and ``liability_by_year_rub``. [rub]
    activity_years : mapping of str to (int, int)
        First and last year of every activity. [year]

    Returns
    -------
    AssuranceResult
        The bond and one :class:`MilestoneRelease` per milestone, in the order of their
        years (file order within a year): year, evidence, release percent, amount released,
        amount held after it, remaining third-party liability, and whether the cap bound.
        [rub]

    Raises
    ------
    ValueError
        If a milestone follows an activity that the project does not have (the message
        names the milestone and lists the known activities), a release percentage is
        outside (0, 100] or they add up to more than 100 %, or the bond is negative or below
        the liability of some year.

    Notes
    -----
    Milestone i is reached at the end of year Y_i = (last year of its activity) +
    ``liability_years_after``; the remaining liability R_i = max_{t > Y_i} L_t is the
    largest third-party liability still ahead (:func:`remaining_liability`): the cost of the
    work not yet done, at the prices of the year in which it is largest.
    With B the bond, p_j the release percentages and H_i the amount held after milestone i
    (H_0 = B)::

        due_i      = B · Σ_{j <= i} p_j / 100  -  Σ_{j < i} released_j
        released_i = min(due_i, max(0, H_{i-1} - R_i))
        H_i        = H_{i-1} - released_i

    ``capped`` is true where the second term binds. A release withheld by the cap stays
    due: it is paid at the next milestone at which the remaining liability allows it, so
    the held amount comes down to the unreleased share of the bond once the work is done.
    H_i >= R_i after every milestone, by induction: H_0 = B >= every year's liability, and
    R_i <= R_{i-1} because Y_i >= Y_{i-1} (a maximum over fewer years). Since R_i is a
    maximum over all later years, the held amount covers the liability of every later year,
    not only at the milestones.

    Examples
    --------
    >>> from pathlib import Path
    >>> from postmine.project.model import CostResult
    >>> from postmine.project.schema import read_project
    >>> p = read_project(Path(__file__).parents[3] / "examples/abaza/project.toml")
    >>> years = {"surface-planning": (2030, 2030), "reclamation-layer": (2031, 2031)}
    >>> c = CostResult([], 0, [], 0, 0, {}, {}, {2030: 100.0, 2031: 50.0}, 100.0, 2030,
    ...                0, {}, [])
    >>> [(r.year, r.released_rub, r.held_after_rub, r.capped)
    ...  for r in release_schedule(p, c, years).releases]
    [(2030, 50.0, 50.0, True), (2031, 35.0, 15.0, False), (2036, 15.0, 0.0, False)]
    """
    bond = cost.bond_rub
    if not (bond >= 0 and math.isfinite(bond)):
        raise ValueError(f"bond_rub must be >= 0 rub and finite, got {bond}")
    for year, liability in cost.liability_by_year_rub.items():
        if liability > bond * (1 + _REL_TOL):
            raise ValueError(
                f"bond_rub {bond:g} is below the liability of {year} ({liability:g} rub)"
            )
    total = 0.0
    for m in project.milestones:
        if not 0 < m.release_percent <= 100:
            raise ValueError(
                f"milestone {m.name!r}: release_percent must be in (0, 100] %, "
                f"got {m.release_percent}"
            )
        total += m.release_percent
    if total > 100 * (1 + _REL_TOL):
        raise ValueError(f"milestones: release_percent adds up to {total:g} %, above 100 %")

    staged = sorted(
        (
            (milestone_year(m.after_activity, m.liability_years_after, activity_years, m.name), i)
            for i, m in enumerate(project.milestones)
        )
    )
    held = bond
    promised = 0.0
    released_total = 0.0
    releases: list[MilestoneRelease] = []
    for year, i in staged:
        m = project.milestones[i]
        promised += m.release_percent / 100.0 * bond
        due = max(0.0, promised - released_total)
        remaining = remaining_liability(cost, year)
        allowed = max(0.0, held - remaining)
        released = min(due, allowed)
        capped = due > allowed + _REL_TOL * max(bond, 1.0)
        held -= released
        if abs(held) <= _REL_TOL * max(bond, 1.0):
            held = 0.0  # a fully released bond holds nothing, not rounding residue
        released_total += released
        releases.append(
            MilestoneRelease(
                name=m.name,
                year=year,
                evidence=m.evidence,
                release_percent=m.release_percent,
                released_rub=released,
                held_after_rub=held,
                remaining_liability_rub=remaining,
                capped=capped,
            )
        )
    return AssuranceResult(bond_rub=bond, releases=releases)
