"""The liability of each year: what a third party would pay to reclaim the site as it stands.

A bond exists for the day the operator defaults. Then operations stop -- no more waste
arrives, no more overburden is dumped -- and a third party must reclaim the disturbance *as
it stands that year* to the approved end use, with bought-in means. The liability of year t
is therefore the cost of the **state** of year t, not of the operator's future work:

    L_t = k_e(t) · D_t · (1 + p(D_t) / 100)
    D_t = Σ_k q_k(t) · c_k + C_mob · 1[Σ_k q_k(t) c_k > 0]

with q_k(t) the quantity of reclamation task k still outstanding in the state of year t
(:class:`~postmine.project.model.ReclamationTask`: the disturbance that exists by the end of
year t, less the reclamation finished before year t starts), c_k its direct unit cost at
base-year prices (the machine hours and materials of the task, priced at ``[costs]``),
C_mob the mobilisation and demobilisation of the third party's fleet, p(D) the sum of the
indirect rates on that direct cost (sliding with its size, SRCE), and
k_e(t) = (1 + e/100)^(t - t_base) the escalation to year t's prices.

The bond is the largest L_t over the review period: every year of the plan (life of plan,
Queensland's "maximum liability for the period"), or the next N years of a rolling review
(Nevada SRCE practice: the estimate is redone every three years).

References
----------
[SRCE]  Nevada Standardized Reclamation Cost Estimator v1.4.1: the third-party cost of the
        disturbance that exists or will exist by the next review; indirect costs by size.
[BLM]   BLM, notice- and plan-level cost estimate guidelines (43 CFR 3809): "as if the BLM
        were to contract with a licensed and bonded third party".
[OSMRE] 30 CFR 800.14(b): the bond "must be sufficient to assure the completion of the
        reclamation plan if the work has to be performed by the regulatory authority".
[QLD]   Queensland ERC calculator: the maximum liability for the period.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence

from postmine.core.checks import in_range
from postmine.project.model import LiabilityYear, MaterialItem, ReclamationTask, WorkItem

__all__ = [
    "bond_over_review",
    "done_share_before",
    "liability_years",
    "outstanding_at",
    "task_unit_costs",
]


def done_share_before(work: Sequence[WorkItem], years: Iterable[int]) -> dict[int, float]:
    """Share of an activity's work finished before each year starts.

    Parameters
    ----------
    work : sequence of WorkItem
        The activity's work items over its years (machine hours). [h]
    years : iterable of int
        Years at whose start the share is wanted. [year]

    Returns
    -------
    dict of int to float
        s(t) = Σ_{y < t} h_y / Σ_y h_y, by year; 0 for an activity without hours. [-]

    Notes
    -----
    The machine hours measure progress: the work of a year is done when the year ends
    (the annual resolution of the calendar plan), so the state of year t counts the work of
    year t as not yet done.

    Examples
    --------
    >>> w = [WorkItem("a", 2030, "T-170", 30.0, 0.0), WorkItem("a", 2031, "T-170", 10.0, 0.0)]
    >>> done_share_before(w, [2030, 2031, 2032])
    {2030: 0.0, 2031: 0.75, 2032: 1.0}
    """
    total = math.fsum(w.machine_hours for w in work)
    out: dict[int, float] = {}
    for t in years:
        if total <= 0:
            out[t] = 0.0
            continue
        done = math.fsum(w.machine_hours for w in work if w.year < t)
        out[t] = min(1.0, done / total)
    return out


def task_unit_costs(
    tasks: Sequence[ReclamationTask],
    price: Callable[[Sequence[WorkItem], Sequence[MaterialItem]], float],
) -> dict[str, float]:
    """Direct unit cost of every task at base-year prices.

    Parameters
    ----------
    tasks : sequence of ReclamationTask
        The tasks, each sized for its whole extent. [-]
    price : callable
        ``price(work, materials)`` -> direct cost of machine hours and materials at the
        price base year, without mobilisation
        (:func:`postmine.project.costing.direct_cost_of`). [rub]

    Returns
    -------
    dict of str to float
        c_k = price(task) / quantity, by task key. [rub per unit of the task]

    Raises
    ------
    ValueError
        If a task's quantity is not positive and finite, or two tasks share a key.
    """
    out: dict[str, float] = {}
    for task in tasks:
        if task.key in out:
            raise ValueError(f"two reclamation tasks are called {task.key!r}")
        if not (task.quantity > 0 and math.isfinite(task.quantity)):
            raise ValueError(
                f"reclamation task {task.key!r}: quantity must be > 0 {task.unit} and finite, "
                f"got {task.quantity}"
            )
        out[task.key] = price(task.work, task.materials) / task.quantity
    return out


# long: one loop over the years, each step of the formula named for the docstring
def liability_years(
    tasks: Sequence[ReclamationTask],
    unit_cost_rub: Mapping[str, float],
    years: Iterable[int],
    mobilisation_rub: float,
    indirect_percent: Callable[[float], float],
    price_base_year: int,
    escalation_percent: float,
    review_years: Iterable[int] | None = None,
) -> list[LiabilityYear]:
    """Return the state and the third-party liability of every year.

    Parameters
    ----------
    tasks : sequence of ReclamationTask
        The reclamation tasks with the quantity outstanding in each year's state. [-]
    unit_cost_rub : mapping of str to float
        Direct unit cost of each task at base-year prices (:func:`task_unit_costs`).
        [rub per unit]
    years : iterable of int
        Years of the plan. [year]
    mobilisation_rub : float
        Mobilisation and demobilisation of a third party's fleet, counted in every year
        with any task outstanding, at base-year prices. [rub]
    indirect_percent : callable
        p(D): sum of the indirect rates for a direct cost D [rub] (a sliding scale). [%]
    price_base_year : int
        Year whose prices the rates are in. [year]
    escalation_percent : float
        Escalation index e, compound. [%/year]
    review_years : iterable of int, optional
        Years whose liability the bond must cover (the review period); all years if not
        given. [year]

    Returns
    -------
    list of LiabilityYear
        One per year: the outstanding quantities, the direct cost by task, the mobilisation,
        the direct cost, the indirect percent, k_e(t), L_t and whether the year is in the
        review period. [rub]

    Raises
    ------
    ValueError
        If a cost or quantity is negative or not finite, a task has no unit cost, the
        escalation is not above -100 %/year, or the indirect percent is negative.

    Notes
    -----
    L_t = k_e(t) · D_t · (1 + p(D_t)/100) with D_t = Σ_k q_k(t) c_k + C_mob (see the module
    docstring). A task missing from a year's ``outstanding`` counts as nothing outstanding.

    Examples
    --------
    One task of 100 m³ at 10 rub/m³, half of it done before 2031, no escalation, 10 %
    indirect on everything, a 50 rub mobilisation:

    >>> t = ReclamationTask("fill", {"en": "fill", "ru": "засыпка"}, 100.0, "m³", [], [],
    ...                     {2030: 100.0, 2031: 50.0, 2032: 0.0}, {"en": "", "ru": ""})
    >>> [round(y.liability_rub, 6) for y in liability_years(
    ...     [t], {"fill": 10.0}, [2030, 2031, 2032], 50.0, lambda d: 10.0, 2030, 0.0)]
    [1155.0, 605.0, 0.0]
    """
    if not (mobilisation_rub >= 0 and math.isfinite(mobilisation_rub)):
        in_range("mobilisation_rub", mobilisation_rub, 0.0, math.inf, "rub")
        raise ValueError(f"mobilisation_rub must be finite, got {mobilisation_rub}")
    in_range(
        "escalation_percent", escalation_percent, -100.0, math.inf, "%/year", low_inclusive=False
    )
    for task in tasks:
        if task.key not in unit_cost_rub:
            raise ValueError(f"reclamation task {task.key!r} has no unit cost")
        c = unit_cost_rub[task.key]
        if not (c >= 0 and math.isfinite(c)):
            raise ValueError(f"unit cost of task {task.key!r} must be >= 0 and finite, got {c}")
    review = None if review_years is None else set(review_years)
    q = 1.0 + escalation_percent / 100.0
    out: list[LiabilityYear] = []
    for t in years:
        outstanding: dict[str, float] = {}
        by_task: dict[str, float] = {}
        for task in tasks:
            amount = outstanding_at(task, t)
            if not (amount >= 0 and math.isfinite(amount)):
                raise ValueError(
                    f"reclamation task {task.key!r}: outstanding quantity in {t} must be >= 0 "
                    f"and finite, got {amount}"
                )
            outstanding[task.key] = amount
            by_task[task.key] = amount * unit_cost_rub[task.key]
        work = math.fsum(by_task.values())
        mob = mobilisation_rub if work > 0 else 0.0
        direct = work + mob
        p = indirect_percent(direct) if direct > 0 else 0.0
        if not (p >= 0 and math.isfinite(p)):
            raise ValueError(f"indirect percent must be >= 0 % and finite, got {p}")
        k_e = q ** (t - price_base_year)
        out.append(
            LiabilityYear(
                year=t,
                outstanding=outstanding,
                direct_by_task_rub=by_task,
                mobilisation_rub=mob,
                direct_rub=direct,
                indirect_percent=p,
                escalation_factor=k_e,
                liability_rub=k_e * direct * (1.0 + p / 100.0),
                in_review=review is None or t in review,
            )
        )
    return out


def outstanding_at(task: ReclamationTask, year: int) -> float:
    """Quantity of a task outstanding in the state of ``year``.

    Beyond the years the design gives, the nearest one holds: before them, the first
    state; after them, the last (the state the plan leaves). [unit of the task]

    Examples
    --------
    >>> t = ReclamationTask("k", {"en": "", "ru": ""}, 10.0, "m³", [], [],
    ...                     {2030: 10.0, 2031: 4.0}, {"en": "", "ru": ""})
    >>> outstanding_at(t, 2029), outstanding_at(t, 2031), outstanding_at(t, 2040)
    (10.0, 4.0, 4.0)
    """
    known = task.outstanding
    if year in known:
        return known[year]
    if not known:
        return 0.0
    first, last = min(known), max(known)
    return known[first] if year < first else known[last]


def bond_over_review(years: Sequence[LiabilityYear]) -> tuple[float, int | None]:
    """Return the bond: the largest liability of the review period, and its (earliest) year.

    Parameters
    ----------
    years : sequence of LiabilityYear
        The liability of every year (:func:`liability_years`). [rub]

    Returns
    -------
    tuple of (float, int or None)
        max L_t over the years in review, and the earliest year it is reached; (0.0, None)
        if no year is in review. [rub], [year]

    Examples
    --------
    >>> ys = [LiabilityYear(2030, {}, {}, 0, 0, 0, 1, 5.0),
    ...       LiabilityYear(2031, {}, {}, 0, 0, 0, 1, 7.0),
    ...       LiabilityYear(2032, {}, {}, 0, 0, 0, 1, 9.0, in_review=False)]
    >>> bond_over_review(ys)
    (7.0, 2031)
    """
    best: tuple[float, int | None] = (0.0, None)
    for y in years:
        if y.in_review and (best[1] is None or y.liability_rub > best[0]):
            best = (y.liability_rub, y.year)
    return best
