"""Staged release of the financial assurance as the site reaches physical milestones.

Each ``[[milestones]]`` entry of a project file (or, without them, each release phase of
the rule set) releases a share of the assurance once the site has reached a *physical
state* -- the void filled (to a level), the surface planned, the layer placed, the slopes
flattened, the vegetation criteria met -- and, optionally, a number of years (seasons, a
responsibility period) has passed since. Its date is the year the plan reaches that state;
a state the plan never reaches releases nothing. As US coal bonds are released in phases
under SMCRA (60 % after backfilling and regrading, more after revegetation, the rest after
the 5- or 10-year responsibility period), a release never lets the amount still held fall
below the third-party liability of the state after the milestone: a regulator must keep
enough for a contractor to finish.

References
----------
[SMCRA]  Surface Mining Control and Reclamation Act of 1977, section 519 (30 U.S.C. 1269):
         release of performance bonds in phases.
[OSMRE]  Office of Surface Mining, Handbook for Calculation of Reclamation Bond Amounts
         (2000): phased bond release, the amount retained for revegetation.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from postmine.project.assurance_schema import STATES, Milestone
from postmine.project.model import AssuranceResult, CostResult, MilestoneRelease
from postmine.project.rules import RuleSet

__all__ = ["milestone_year", "milestones_of", "release_schedule", "remaining_liability"]

_REL_TOL = 1e-9


def milestones_of(milestones: Sequence[Milestone], rules: RuleSet | None) -> list[Milestone]:
    """Return the project's milestones, or the rule set's release phases when it gives none.

    Parameters
    ----------
    milestones : sequence of Milestone
        The project file's ``[[milestones]]``. [-]
    rules : RuleSet or None
        The rule set; its ``assurance.release_phases`` are used if ``milestones`` is empty.

    Returns
    -------
    list of Milestone
        The milestones, each with the states it requires. [-]
    """
    if milestones or rules is None:
        return list(milestones)
    return [
        Milestone(
            name=ph.name,
            requires=list(ph.requires),
            years_after=ph.years_after,
            release_percent=ph.release_percent,
            evidence=f"{ph.evidence} ({ph.citation})",
        )
        for ph in rules.assurance.release_phases
    ]


def milestone_year(
    milestone: Milestone,
    state_years: Mapping[str, int],
    void_levels: Mapping[float, int] | None = None,
    tier_elevations: Sequence[float] | None = None,
) -> int | None:
    """Year by whose end a milestone is reached: its states reached, plus the waiting years.

    Parameters
    ----------
    milestone : Milestone
        The milestone: ``requires`` (physical states), ``void_level_m`` and the years to
        wait after them. [-]
    state_years : mapping of str to int
        Year by whose end each physical state is reached; a state missing is not reached
        within the plan. [year]
    void_levels : mapping of float to int, optional
        Tier elevation -> year by whose end the void is filled up to it (tiers filled
        within the plan). [m] -> [year]
    tier_elevations : sequence of float, optional
        Elevations of every tier of the void, to refuse a level that is not one. [m]

    Returns
    -------
    int or None
        max(year of each state required, year of the void level) + the waiting years; none
        if a state or the level is not reached within the plan. [year]

    Raises
    ------
    ValueError
        If a required state is not a physical state (the message lists them), or
        ``void_level_m`` is not the elevation of a tier of the void.

    Examples
    --------
    >>> from postmine.project.assurance_schema import Milestone
    >>> m = Milestone(name="layer", requires=["reclamation-layer"], years_after=5,
    ...               release_percent=15, evidence="monitoring")
    >>> milestone_year(m, {"reclamation-layer": 2040}), milestone_year(m, {})
    (2045, None)
    """
    years: list[int] = []
    for state in milestone.required_states:
        if state not in STATES:
            raise ValueError(
                f"milestone {milestone.name!r} requires {state!r}, which is not a physical "
                f"state; allowed: {sorted(STATES)}"
            )
        if state not in state_years:
            return None
        years.append(state_years[state])
    if milestone.void_level_m is not None:
        level = milestone.void_level_m
        if tier_elevations is not None and level not in tier_elevations:
            raise ValueError(
                f"milestone {milestone.name!r}: void_level_m = {level:g} m is not the elevation "
                f"of a tier of the void; tiers: {[f'{e:g}' for e in tier_elevations]} m"
            )
        if void_levels is None or level not in void_levels:
            return None
        years.append(void_levels[level])
    return max(years) + milestone.wait_years if years else None


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
        max_{t > year} L_t, the largest liability of any later year's state; after the last
        year given, the liability of that last year (the state the plan leaves stays as it
        is), which is 0 once everything is reclaimed. [rub]

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
    (130.0, 130.0, 130.0)
    """
    by_year = cost.liability_by_year_rub
    if not by_year and cost.bond_rub > 0:
        raise ValueError("cost has a bond but no liability_by_year_rub")
    later = [v for t, v in by_year.items() if t > year]
    if later:
        return max(later)
    return by_year[max(by_year)] if by_year else 0.0


# long: the recurrence of the docstring, one named step per line
def release_schedule(
    milestones: Sequence[Milestone],
    cost: CostResult,
    state_years: Mapping[str, int],
    void_levels: Mapping[float, int] | None = None,
    held_rub: float | None = None,
    basis: str = "deterministic",
    tier_elevations: Sequence[float] | None = None,
) -> AssuranceResult:
    """Staged release of the assurance at physical milestones, never below the liability.

    Parameters
    ----------
    milestones : sequence of Milestone
        The milestones (:func:`milestones_of`): the states each requires, the waiting years
        and the release percentage. [-]
    cost : CostResult
        The costing: ``bond_rub`` and ``liability_by_year_rub`` (the liability of each
        year's state). [rub]
    state_years : mapping of str to int
        Year by whose end each physical state is reached (absent: not within the plan).
        [year]
    void_levels : mapping of float to int, optional
        Tier elevation -> year by whose end the void is filled up to it. [year]
    held_rub : float, optional
        The assurance held at the start: the rule set's amount (deterministic bond, P80 or
        P90, never below the bond); ``cost.bond_rub`` by default. [rub]
    basis : str, optional
        What ``held_rub`` is ("deterministic", "P80", "P90"), for the report. [-]
    tier_elevations : sequence of float, optional
        Elevations of the void's tiers, to refuse a ``void_level_m`` that is not one. [m]

    Returns
    -------
    AssuranceResult
        The assurance and one :class:`MilestoneRelease` per milestone, reached ones in the
        order of their years (file order within a year), then those not reached within the
        plan: the states required, the year, the release percent, the amount released, the
        amount held after it, the remaining liability, and whether the cap bound. [rub]

    Raises
    ------
    ValueError
        If a milestone requires an unknown state, a release percentage is outside
        (0, 100] or they add up to more than 100 %, or the assurance is negative or below
        the liability of some year of the review period.

    Notes
    -----
    Milestone i is reached at the end of year Y_i = (the last year any of its states is
    reached) + its waiting years; the remaining liability R_i = max_{t > Y_i} L_t is the
    largest liability of the states after it (:func:`remaining_liability`). With A the
    assurance held at the start, p_j the release percentages and H_i the amount held after
    milestone i (H_0 = A)::

        due_i      = A · Σ_{j <= i} p_j / 100  -  Σ_{j < i} released_j
        released_i = min(due_i, max(0, H_{i-1} - R_i))
        H_i        = H_{i-1} - released_i

    ``capped`` is true where the second term binds; the part withheld stays due and is paid
    at a later milestone that the liability allows. A milestone whose state the plan never
    reaches releases nothing (``reached`` false, ``year`` none). H_i >= R_i after every
    milestone when A covers every year's liability (life-of-plan review); under a rolling
    review a later year may exceed A, and then nothing is released until it is covered.

    Examples
    --------
    >>> from postmine.project.assurance_schema import Milestone
    >>> from postmine.project.model import CostResult
    >>> ms = [Milestone(name="filled", requires=["void-fill"], release_percent=60,
    ...                 evidence="survey"),
    ...       Milestone(name="layer", requires=["reclamation-layer"], release_percent=40,
    ...                 evidence="act")]
    >>> c = CostResult([], 0, [], 0, 0, {}, {}, {2030: 100.0, 2031: 50.0, 2032: 50.0},
    ...                100.0, 2030, 0, {}, [])
    >>> [(r.year, r.released_rub, r.held_after_rub, r.capped)
    ...  for r in release_schedule(ms, c, {"void-fill": 2030}).releases]
    [(2030, 50.0, 50.0, True), (None, 0.0, 50.0, False)]
    """
    bond = cost.bond_rub
    held = bond if held_rub is None else held_rub
    if not (held >= 0 and math.isfinite(held)):
        raise ValueError(f"the assurance held must be >= 0 rub and finite, got {held}")
    if held < bond * (1 - _REL_TOL):
        raise ValueError(f"the assurance held ({held:g} rub) is below the bond ({bond:g} rub)")
    total = 0.0
    for m in milestones:
        if not 0 < m.release_percent <= 100:
            raise ValueError(
                f"milestone {m.name!r}: release_percent must be in (0, 100] %, "
                f"got {m.release_percent}"
            )
        total += m.release_percent
    if total > 100 * (1 + _REL_TOL):
        raise ValueError(f"milestones: release_percent adds up to {total:g} %, above 100 %")
    start = held
    dated = [
        (milestone_year(m, state_years, void_levels, tier_elevations), i)
        for i, m in enumerate(milestones)
    ]
    reached = sorted((y, i) for y, i in dated if y is not None)
    promised = released_total = 0.0
    releases: list[MilestoneRelease] = []
    for year, i in reached:
        m = milestones[i]
        promised += m.release_percent / 100.0 * start
        due = max(0.0, promised - released_total)
        remaining = remaining_liability(cost, year)
        allowed = max(0.0, held - remaining)
        released = min(due, allowed)
        capped = due > allowed + _REL_TOL * max(start, 1.0)
        held -= released
        if remaining == 0.0 and abs(held) <= _REL_TOL * max(start, 1.0):
            held = 0.0  # a fully released assurance holds nothing, not rounding residue
        released_total += released
        releases.append(_release(m, year, released, held, remaining, capped, basis))
    for when, i in dated:
        if when is None:
            m = milestones[i]
            remaining = remaining_liability(cost, max(cost.liability_by_year_rub, default=0))
            releases.append(_release(m, None, 0.0, held, remaining, False, basis))
    return AssuranceResult(bond_rub=start, releases=releases, basis=basis)


def _release(
    m: Milestone,
    year: int | None,
    released: float,
    held: float,
    remaining: float,
    capped: bool,
    basis: str,
) -> MilestoneRelease:
    return MilestoneRelease(
        name=m.name,
        year=year,
        evidence=m.evidence,
        release_percent=m.release_percent,
        released_rub=released,
        held_after_rub=held,
        remaining_liability_rub=remaining,
        capped=capped,
        requires=[
            *m.required_states,
            *([f"void-level {m.void_level_m:g} m"] if m.void_level_m is not None else []),
        ],
        state_year=None if year is None else year - m.wait_years,
        reached=year is not None,
        basis=basis,
    )
