"""Cost of the reclamation works: direct and indirect cost, escalation, the bond, the provision.

The costing turns the design's machine work (:class:`~postmine.project.model.WorkItem`) and
materials (:class:`~postmine.project.model.MaterialItem`) into money with the rates of the
project file's ``[costs]`` section, in the roll-up that bonding tools use (Nevada SRCE, BLM,
OSMRE, the Queensland ERC calculator)::

    direct_i = machine hours x (owning+operating + operator) + quantity x material rate
    direct   = sum of direct_i + mobilisation and demobilisation (lump sum)
    total    = direct x (1 + p(direct) / 100), p the indirect rates for that direct cost

and from it the two figures a closure-cost estimate must keep apart:

* the **bond** (financial assurance): the *undiscounted* cost to a *third party* of
  reclaiming the site *as it stands* in each year -- the state of that year, not the
  operator's future operations -- at the year in which it is largest over the review period
  (:mod:`postmine.project.liability`; Queensland's "maximum liability for the period"; BLM
  43 CFR 3809 and OSMRE require third-party, undiscounted cost);
* the **provision** (IAS 37 accounting figure, an asset retirement obligation): the present
  value of the escalated cash flows, discounted at the project's discount rate. The provision
  is never the bond: discounting a bond assumes the money earns interest while the regulator
  holds it and understates what a third party would have to spend.

References
----------
[SRCE] Nevada Standardized Reclamation Cost Estimator, v1.4.1: cost summary and indirect
       costs on sliding scales by direct cost (:mod:`postmine.project.indirects`, the lines
       in the rule set).
[QLD]  Queensland Government, Estimated Rehabilitation Cost calculator and Financial
       Provisioning Scheme guidelines: maximum liability for the period.
[IAS37] IAS 37 Provisions, Contingent Liabilities and Contingent Assets, paragraphs 45-47
       (discounting of provisions).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from postmine.core.checks import in_range
from postmine.project.indirects import indirect_lines, indirect_percent
from postmine.project.liability import bond_over_review, liability_years, task_unit_costs
from postmine.project.model import (
    CostLine,
    CostResult,
    LiabilityYear,
    MaterialItem,
    ReclamationTask,
    WorkItem,
)
from postmine.project.rules import RuleSet
from postmine.project.schema import Costs, ProjectFile

__all__ = [
    "LAYER_MATERIAL",
    "LUMP_SUM_UNIT",
    "MOBILISATION",
    "compute_bond",
    "compute_costs",
    "direct_cost_lines",
    "direct_cost_of",
    "escalation_factor",
    "indirect_percent_of",
    "plan_years",
    "present_value",
    "review_years",
]

LAYER_MATERIAL = "layer-material"
"""Name of the :class:`MaterialItem` priced at ``costs.layer_material_rub_m3`` (unit ``m3``):
potentially fertile rock or topsoil brought in for the reclamation layer."""

LUMP_SUM_UNIT = "rub"
"""Unit of a :class:`MaterialItem` that is already money (a lump sum): priced at 1 rub/rub."""

MOBILISATION = "mobilisation"
"""Activity and material name of mobilisation and demobilisation: a :class:`MaterialItem`
``(activity, year, "mobilisation", quantity, "lump")`` is priced at quantity x
``costs.mobilisation_rub``; without one, the costing adds one lump in the first year of work."""

_LUMP_UNITS = ("lump", "lump sum")

_CATEGORY_ORDER = {"mobilisation": 0, "equipment": 1, "labour": 2, "materials": 3}
_VOLUME_UNITS = {"m3": "m3", "m³": "m3"}


def _require(name: str, value: float, low: float, high: float, unit: str) -> None:
    """Raise the validators' ValueError if ``value`` is outside [low, high] or not finite.

    A plain comparison first: the costing runs once per Monte Carlo sample.
    """
    if not (low <= value <= high and math.isfinite(value)):
        in_range(name, value, low, high, unit)
        raise ValueError(f"{name} must be finite, got {value} {unit}")


def _check_rates(costs: Costs) -> None:
    for model, rate in costs.equipment.items():
        where = f"costs.equipment[{model}]"
        _require(
            f"{where}.owning_operating_rub_h", rate.owning_operating_rub_h, 0, math.inf, "rub/h"
        )
        _require(f"{where}.operator_rub_h", rate.operator_rub_h, 0, math.inf, "rub/h")
    _require(
        "costs.layer_material_rub_m3", costs.layer_material_rub_m3.value, 0, math.inf, "rub/m³"
    )
    _require("costs.mobilisation_rub", costs.mobilisation_rub.value, 0, math.inf, "rub")
    for line in costs.indirect:
        _require(f"costs.indirect[{line.name}].percent", line.percent, 0, 100, "%")
    _require(
        "costs.escalation_percent_per_year",
        costs.escalation_percent_per_year.value,
        0,
        math.inf,
        "%/year",
    )
    _require("costs.discount_rate_percent", costs.discount_rate_percent.value, 0, math.inf, "%")


def _check_quantity(kind: str, item: WorkItem | MaterialItem, name: str, value: float) -> None:
    if not (math.isfinite(value) and value >= 0):
        raise ValueError(
            f"{kind} {item.activity!r} {item.year}: {name} must be >= 0 and finite, got {value}"
        )


def _check_work(costs: Costs, w: WorkItem) -> None:
    _check_quantity("work item", w, "machine_hours", w.machine_hours)
    if w.equipment not in costs.equipment:
        raise ValueError(
            f"work item {w.activity!r} {w.year}: no rates for machine model "
            f"{w.equipment!r} in [costs.equipment]; priced models: {sorted(costs.equipment)}"
        )


def _material_rate(costs: Costs, m: MaterialItem) -> tuple[str, float]:
    """Return the unit and the rate of a material, or raise if it has none."""
    _check_quantity("material", m, "quantity", m.quantity)
    if m.material == MOBILISATION and m.unit in _LUMP_UNITS:
        return "lump sum", costs.mobilisation_rub.value
    if m.unit == LUMP_SUM_UNIT:
        return LUMP_SUM_UNIT, 1.0
    if m.material == LAYER_MATERIAL and _VOLUME_UNITS.get(m.unit) == "m3":
        return "m3", costs.layer_material_rub_m3.value
    raise ValueError(
        f"material {m.material!r} in {m.unit!r} ({m.activity!r} {m.year}) has no rate: "
        f"priced are {LAYER_MATERIAL!r} in 'm3' (costs.layer_material_rub_m3), "
        f"{MOBILISATION!r} in 'lump' (costs.mobilisation_rub) and lump sums in {LUMP_SUM_UNIT!r}"
    )


def _check_schedule(
    start: int,
    work: Sequence[WorkItem],
    materials: Sequence[MaterialItem],
    activity_years: Mapping[str, tuple[int, int]],
) -> None:
    for activity, (first, last) in activity_years.items():
        if first > last:
            raise ValueError(f"activity {activity!r}: first year {first} is after last year {last}")
    items: list[WorkItem | MaterialItem] = [*work, *materials]
    for item in items:
        if item.year < start:
            raise ValueError(
                f"{item.activity!r} has work in {item.year}, before schedule.start_year {start}"
            )
        span = activity_years.get(item.activity)
        if span is None:
            raise ValueError(
                f"activity {item.activity!r} has work or materials but no years in "
                f"activity_years; known activities: {sorted(activity_years)}"
            )
        if not span[0] <= item.year <= span[1]:
            raise ValueError(
                f"activity {item.activity!r} has work in {item.year}, outside its years "
                f"{span[0]}-{span[1]}"
            )


def direct_cost_lines(
    costs: Costs, work: Sequence[WorkItem], materials: Sequence[MaterialItem]
) -> list[CostLine]:
    """Direct cost lines of the works, at the prices of the price base year.

    Each machine model working on an activity in a year gives an ``equipment`` line (machine
    hours x owning+operating rate) and a ``labour`` line (machine hours x operator rate);
    work items of the same activity, year and model are summed into one line. Each material
    gives a ``materials`` line (quantity x rate), and the mobilisation and demobilisation of
    the fleet a ``mobilisation`` line: where the design schedules it, as a
    :data:`MOBILISATION` material in ``lump``, otherwise one lump sum in the first year of
    any work or material.

    Parameters
    ----------
    costs : Costs
        The ``[costs]`` section: rates by machine model, material rate, mobilisation. [-]
    work : sequence of WorkItem
        Machine work by activity, year and machine model (machine hours). [h]
    materials : sequence of MaterialItem
        Materials by activity and year. A material named :data:`LAYER_MATERIAL` in ``m3``
        (or ``m³``) is priced at ``costs.layer_material_rub_m3``; one named
        :data:`MOBILISATION` in ``lump`` at ``costs.mobilisation_rub``; any material in
        :data:`LUMP_SUM_UNIT` (``rub``) is a lump sum taken as it is. [unit of the item]

    Returns
    -------
    list of CostLine
        Lines sorted by year (the mobilisation first in its year), activity, category
        (equipment, labour, materials) and item; ``amount_rub`` at the price base year.
        [rub]

    Raises
    ------
    ValueError
        If a rate is negative or an indirect percentage is outside 0..100 %, a work item
        names a machine model without rates in ``costs.equipment`` (the message lists the
        priced models), a material is unknown or in another unit, or machine hours or a
        quantity is negative or not finite.

    Notes
    -----
    The roll-up of bonding tools (SRCE cost summary)::

        C_equipment = Σ t_h · c_oo        C_labour = Σ t_h · c_op
        C_materials = Σ Q · c_m           C_direct = C_equipment + C_labour + C_materials + C_mob

    with t_h machine hours, c_oo the owning+operating rate including fuel, oil and grease,
    c_op the operator's wage with charges, Q a material quantity and c_m its rate.

    A mobilisation the costing adds itself goes to the first year in which any work or
    material is needed, as one cash flow, with ``activity = "mobilisation"``.

    References
    ----------
    [SRCE] cost summary: hours x (equipment rate with FOG + operator labour), materials,
    mobilisation and demobilisation.

    Examples
    --------
    >>> from postmine.project.model import WorkItem
    >>> from postmine.project.schema import Costs
    >>> costs = Costs.model_validate({
    ...     "equipment": {"T-170": {"owning_operating_rub_h": 3900, "operator_rub_h": 750,
    ...                             "source": "example"}},
    ...     "layer_material_rub_m3": {"value": 250, "source": "example"},
    ...     "mobilisation_rub": {"value": 100000, "source": "example"},
    ...     "indirect": [],
    ...     "escalation_percent_per_year": {"value": 6, "source": "example"},
    ...     "discount_rate_percent": {"value": 10, "source": "example"}})
    >>> lines = direct_cost_lines(costs, [WorkItem("doze-waste", 2022, "T-170", 100.0, 5e4)], [])
    >>> [(line.category, line.amount_rub) for line in lines]
    [('mobilisation', 100000.0), ('equipment', 390000.0), ('labour', 75000.0)]
    """
    _check_rates(costs)
    hours: dict[tuple[str, int, str], float] = {}
    for w in work:
        _check_work(costs, w)
        key = (w.activity, w.year, w.equipment)
        hours[key] = hours.get(key, 0.0) + w.machine_hours
    quantities: dict[tuple[str, int, str, str], tuple[float, float]] = {}
    for m in materials:
        unit, c_m = _material_rate(costs, m)
        mkey = (m.activity, m.year, m.material, unit)
        quantities[mkey] = (quantities.get(mkey, (0.0, c_m))[0] + m.quantity, c_m)

    lines: list[CostLine] = []
    for (activity, year, model), h in hours.items():
        rate = costs.equipment[model]
        c_oo, c_op = rate.owning_operating_rub_h, rate.operator_rub_h
        lines.append(CostLine(activity, year, "equipment", model, h, "h", c_oo, h * c_oo))
        lines.append(CostLine(activity, year, "labour", model, h, "h", c_op, h * c_op))
    scheduled_mobilisation = False
    for (activity, year, material, unit), (q, c_m) in quantities.items():
        if material == MOBILISATION and unit == "lump sum":
            scheduled_mobilisation = True
            item = "mobilisation and demobilisation"
            lines.append(CostLine(activity, year, "mobilisation", item, q, unit, c_m, q * c_m))
        else:
            lines.append(CostLine(activity, year, "materials", material, q, unit, c_m, q * c_m))
    if lines and not scheduled_mobilisation:
        first_year = min(line.year for line in lines)
        mob = costs.mobilisation_rub.value
        lines.append(
            CostLine(
                MOBILISATION,
                first_year,
                "mobilisation",
                "mobilisation and demobilisation",
                1.0,
                "lump sum",
                mob,
                mob,
            )
        )
    lines.sort(
        key=lambda c: (
            c.year,
            c.category != "mobilisation",
            c.activity,
            _CATEGORY_ORDER[c.category],
            c.item,
        )
    )
    return lines


def escalation_factor(year: int, price_base_year: int, escalation_percent: float) -> float:
    """Compound escalation of prices from the price base year to a year of spend.

    Parameters
    ----------
    year : int
        Year of spend. [year]
    price_base_year : int
        Year whose prices the unit rates are in. [year]
    escalation_percent : float
        Escalation index e, compound, per year; a year before the base year de-escalates.
        [%/year]

    Returns
    -------
    float
        k_e = (1 + e/100)^(year - price_base_year). [-]

    Raises
    ------
    ValueError
        If ``escalation_percent`` is not above -100 %/year or not finite.

    Notes
    -----
    OSMRE's Handbook (Worksheet 16) brings an estimate to the year of spend with a compound
    inflation index in the same way.

    Examples
    --------
    >>> round(escalation_factor(2025, 2022, 6.0), 6)  # 1.06^3
    1.191016
    """
    in_range(
        "escalation_percent",
        escalation_percent,
        -100.0,
        math.inf,
        "%/year",
        low_inclusive=False,
        high_inclusive=False,
    )
    return float((1.0 + escalation_percent / 100.0) ** (year - price_base_year))


def present_value(
    cash_flows_rub: Mapping[int, float], discount_percent: float, to_year: int
) -> float:
    """Present value of yearly cash flows, discounted to the start of ``to_year``.

    Parameters
    ----------
    cash_flows_rub : mapping of int to float
        Cash flow by year, in the money of that year (escalated). [rub]
    discount_percent : float
        Discount rate d, per year. [%/year]
    to_year : int
        Year the value is brought to. [year]

    Returns
    -------
    float
        PV = Σ_t C_t / (1 + d/100)^(t - to_year). [rub]

    Raises
    ------
    ValueError
        If ``discount_percent`` is negative or not finite.

    Notes
    -----
    Convention: the cash flow of year t is counted at the start of year t (the same instant
    at which the liability of year t is measured), so the spend of ``to_year`` itself is not
    discounted. This errs towards the larger provision: an end-of-year convention would
    divide every term by a further (1 + d/100), a mid-year one by its square root.

    Examples
    --------
    >>> round(present_value({2022: 100.0, 2023: 110.0}, 10.0, 2022), 9)  # 100 + 110/1.1
    200.0
    """
    _require("discount_percent", discount_percent, 0.0, math.inf, "%/year")
    q = 1.0 + discount_percent / 100.0
    return float(sum(c / q ** (t - to_year) for t, c in cash_flows_rub.items()))


def direct_cost_of(
    costs: Costs, work: Sequence[WorkItem], materials: Sequence[MaterialItem]
) -> float:
    """Direct cost of machine hours and materials at base-year prices, without mobilisation.

    Parameters
    ----------
    costs : Costs
        The ``[costs]`` section. [-]
    work : sequence of WorkItem
        Machine hours by machine model. [h]
    materials : sequence of MaterialItem
        Materials and lump sums, priced as in :func:`direct_cost_lines`. [unit of the item]

    Returns
    -------
    float
        Σ t_h (c_oo + c_op) + Σ Q c_m, without a mobilisation of its own. [rub]

    Raises
    ------
    ValueError
        As :func:`direct_cost_lines`.

    Examples
    --------
    >>> from postmine.project.schema import Costs
    >>> costs = Costs.model_validate({
    ...     "equipment": {"T-170": {"owning_operating_rub_h": 3900, "operator_rub_h": 750,
    ...                             "source": "example"}},
    ...     "layer_material_rub_m3": {"value": 250, "source": "example"},
    ...     "mobilisation_rub": {"value": 100000, "source": "example"},
    ...     "escalation_percent_per_year": {"value": 6, "source": "example"},
    ...     "discount_rate_percent": {"value": 10, "source": "example"}})
    >>> direct_cost_of(costs, [WorkItem("planning", 0, "T-170", 10.0, 0.0)],
    ...                [MaterialItem("layer", 0, LAYER_MATERIAL, 4.0, "m3")])
    47500.0
    """
    _check_rates(costs)
    total = 0.0
    for w in work:
        _check_work(costs, w)
        rate = costs.equipment[w.equipment]
        total += w.machine_hours * (rate.owning_operating_rub_h + rate.operator_rub_h)
    for m in materials:
        _, c_m = _material_rate(costs, m)
        total += m.quantity * c_m
    return total


def _indirect_extra(costs: Costs) -> list[tuple[str, float, str]]:
    return [(line.name, line.percent, line.source) for line in costs.indirect]


def _usd_rate(costs: Costs) -> float | None:
    return None if costs.usd_rate_rub is None else costs.usd_rate_rub.value


def indirect_percent_of(project: ProjectFile, rules: RuleSet | None) -> Callable[[float], float]:
    """Return the sum of the indirect rates as a function of the direct cost it applies to.

    Parameters
    ----------
    project : ProjectFile
        The project; its ``[[costs.indirect]]`` lines add to (or, by name, replace) the rule
        set's and ``costs.usd_rate_rub`` converts thresholds in US dollars. [-]
    rules : RuleSet or None
        The rule set, whose ``[[assurance.indirect]]`` lines slide with the direct cost
        (SRCE); none: only the project's lines. [-]

    Returns
    -------
    callable
        p(D): the sum of the indirect percentages for a direct cost D [rub]. [%]
    """
    lines = () if rules is None else rules.assurance.indirect
    extra = _indirect_extra(project.costs)
    usd = _usd_rate(project.costs)
    return lambda direct: indirect_percent(lines, direct, usd, extra)


def review_years(project: ProjectFile, rules: RuleSet | None, years: Sequence[int]) -> list[int]:
    """Years whose liability the bond covers: the whole plan, or the next N years.

    Parameters
    ----------
    project : ProjectFile
        The project (its ``schedule.start_year``). [-]
    rules : RuleSet or None
        The rule set: ``assurance.review`` is ``life-of-plan`` (every year) or ``rolling``
        with ``review_years`` N (the years start .. start + N - 1). [-]
    years : sequence of int
        Years of the plan. [year]

    Returns
    -------
    list of int
        The years of the review period. [year]
    """
    if rules is None or rules.assurance.review != "rolling":
        return list(years)
    n = rules.assurance.review_years or 1
    start = project.schedule.start_year
    return [t for t in years if start <= t < start + n]


def plan_years(
    project: ProjectFile,
    activity_years: Mapping[str, tuple[int, int]],
    extra_years: Iterable[int] = (),
) -> range:
    """Years of the plan: from the start year to the last year of any activity or state."""
    start = project.schedule.start_year
    last = max([start, *(span[1] for span in activity_years.values()), *extra_years])
    return range(start, last + 1)


def _liability(
    project: ProjectFile,
    tasks: Sequence[ReclamationTask],
    rules: RuleSet | None,
    years: Sequence[int],
) -> list[LiabilityYear]:
    costs = project.costs
    unit_costs = task_unit_costs(tasks, lambda w, m: direct_cost_of(costs, w, m))
    return liability_years(
        tasks,
        unit_costs,
        years,
        costs.mobilisation_rub.value,
        indirect_percent_of(project, rules),
        project.project.price_base_year,
        costs.escalation_percent_per_year.value,
        review_years(project, rules, years),
    )


def _task_rows(project: ProjectFile, tasks: Sequence[ReclamationTask]) -> list[dict[str, Any]]:
    costs = project.costs
    rows = []
    for task in tasks:
        direct = direct_cost_of(costs, task.work, task.materials)
        rows.append(
            {
                "key": task.key,
                "name": task.name,
                "quantity": task.quantity,
                "unit": task.unit,
                "direct_rub": direct,
                "unit_cost_rub": direct / task.quantity,
                "basis": task.basis,
                "third_party_only": task.third_party_only,
            }
        )
    return rows


# long: the roll-up of the cost estimate and of the liability, one named step per line
def compute_costs(
    project: ProjectFile,
    work: Sequence[WorkItem],
    materials: Sequence[MaterialItem],
    activity_years: Mapping[str, tuple[int, int]],
    *,
    tasks: Sequence[ReclamationTask] = (),
    rules: RuleSet | None = None,
    extra_years: Iterable[int] = (),
) -> CostResult:
    """Cost estimate of the works, the liability of each year's state, bond and provision.

    Parameters
    ----------
    project : ProjectFile
        The project; uses ``[costs]``, ``project.price_base_year`` and
        ``schedule.start_year``. [-]
    work : sequence of WorkItem
        The design's machine work by activity, year and machine model. [h]
    materials : sequence of MaterialItem
        The design's materials and lump sums by activity and year. [unit of the item]
    activity_years : mapping of str to (int, int)
        First and last year of every activity that has work or materials. [year]
    tasks : sequence of ReclamationTask, optional
        The reclamation a third party would have to do, with the quantity outstanding in
        each year's state (:class:`~postmine.project.model.DesignPart.tasks`); without
        tasks there is no liability. [-]
    rules : RuleSet, optional
        The rule set: its indirect lines (sliding with the direct cost) and its review
        period. [-]
    extra_years : iterable of int, optional
        Further years the liability is wanted for (milestones after the works). [year]

    Returns
    -------
    CostResult
        The cost estimate of the design's works: ``lines`` (direct, at the price base year),
        ``direct_rub``, ``indirect`` (name, percent, source, amount_rub: the rule set's
        lines at the rate for this direct cost, and the project's), ``indirect_rub``,
        ``total_rub``, ``by_year_rub`` and ``escalated_by_year_rub`` (spend by year) and
        ``provision_rub`` (their present value at the start year, IAS 37). The assurance:
        ``liability_years`` (the state, direct cost, indirect rate and L_t of each year),
        ``liability_by_year_rub`` (L_t), ``bond_rub`` (max L_t over the review period) and
        ``bond_year``; ``tasks`` (quantity and unit cost of each task); ``sources``.
        ``percentiles_rub`` and ``samples_rub`` are left for the Monte Carlo. [rub]

    Raises
    ------
    ValueError
        As :func:`direct_cost_lines`; also if a work item or material falls before
        ``schedule.start_year``, belongs to an activity missing from ``activity_years`` or
        lies outside that activity's years, an activity's first year is after its last, or
        a rule-set threshold in US dollars has no ``costs.usd_rate_rub``.

    Notes
    -----
    The cost estimate and the bond answer different questions:

    * total = Σ direct_i + indirect(direct): what the design's works cost, the operator's
      own future operations included (the haulage of waste not yet produced);
    * bond = max_t L_t: what a third party would pay to reclaim the **state** of year t
      (:mod:`postmine.project.liability`), undiscounted -- never the operator's future
      operations, always what the plan leaves undone;
    * provision = Σ_t C_t k_e(t) / (1 + d/100)^(t - t_0): the IAS 37 figure, discounted;
      **never the bond** (discounting assumes the deposit earns interest and understates
      what a third party must spend).
    """
    costs = project.costs
    start = project.schedule.start_year
    base_year = project.project.price_base_year
    _check_schedule(start, work, materials, activity_years)
    lines = direct_cost_lines(costs, work, materials)
    direct = math.fsum(line.amount_rub for line in lines)
    ind_rules = () if rules is None else rules.assurance.indirect
    ind_lines = indirect_lines(ind_rules, direct, _usd_rate(costs), _indirect_extra(costs))
    indirect: list[dict[str, Any]] = [
        {
            "name": i.name,
            "name_ru": i.name_ru or i.name,
            "percent": i.percent,
            "source": i.source,
            "amount_rub": i.amount_rub,
        }
        for i in ind_lines
    ]
    indirect_rub = math.fsum(i.amount_rub for i in ind_lines)
    markup = 1.0 + (indirect_rub / direct if direct > 0 else 0.0)
    escalation = costs.escalation_percent_per_year.value

    years = plan_years(project, activity_years, [*(line.year for line in lines), *extra_years])
    direct_by_year = dict.fromkeys(years, 0.0)
    for line in lines:
        direct_by_year[line.year] += line.amount_rub
    by_year = {t: c * markup for t, c in direct_by_year.items()}
    q = 1.0 + escalation / 100.0
    escalated = {t: c * q ** (t - base_year) for t, c in by_year.items()}
    provision = present_value(escalated, costs.discount_rate_percent.value, start)
    state = _liability(project, tasks, rules, years)
    bond, bond_year = bond_over_review(state)

    sources = {f"costs.equipment[{model}]": rate.source for model, rate in costs.equipment.items()}
    sources["costs.layer_material_rub_m3"] = costs.layer_material_rub_m3.source
    sources["costs.mobilisation_rub"] = costs.mobilisation_rub.source
    for i in ind_lines:
        sources[f"indirect[{i.name}]"] = i.source
    sources["costs.escalation_percent_per_year"] = costs.escalation_percent_per_year.source
    sources["costs.discount_rate_percent"] = costs.discount_rate_percent.source
    if costs.usd_rate_rub is not None:
        sources["costs.usd_rate_rub"] = costs.usd_rate_rub.source
    return CostResult(
        lines=lines,
        direct_rub=direct,
        indirect=indirect,
        indirect_rub=indirect_rub,
        total_rub=direct + indirect_rub,
        by_year_rub=by_year,
        escalated_by_year_rub=escalated,
        liability_by_year_rub={y.year: y.liability_rub for y in state},
        bond_rub=bond,
        bond_year=start if bond_year is None else bond_year,
        provision_rub=provision,
        percentiles_rub={},
        samples_rub=[],
        sources=sources,
        liability_years=state,
        tasks=_task_rows(project, tasks),
        review="life-of-plan" if rules is None else rules.assurance.review,
    )


def compute_bond(
    project: ProjectFile,
    tasks: Sequence[ReclamationTask],
    activity_years: Mapping[str, tuple[int, int]],
    rules: RuleSet | None = None,
    extra_years: Iterable[int] = (),
) -> float:
    """Bond alone, without the cost estimate: the lean path for each Monte Carlo sample.

    Parameters
    ----------
    project : ProjectFile
        The project; uses ``[costs]``, ``project.price_base_year`` and
        ``schedule.start_year``. [-]
    tasks : sequence of ReclamationTask
        The reclamation tasks of the design with their outstanding quantities. [-]
    activity_years : mapping of str to (int, int)
        First and last year of every activity. [year]
    rules : RuleSet, optional
        The rule set (indirect lines, review period). [-]
    extra_years : iterable of int, optional
        Further years of the plan. [year]

    Returns
    -------
    float
        The bond, max L_t over the review period; the same as
        :func:`compute_costs` ``bond_rub``. [rub]

    Raises
    ------
    ValueError
        As :func:`compute_costs`.
    """
    years = plan_years(project, activity_years, extra_years)
    return bond_over_review(_liability(project, tasks, rules, years))[0]
