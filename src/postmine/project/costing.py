"""Cost of the reclamation works: direct and indirect cost, escalation, the bond, the provision.

The costing turns the design's machine work (:class:`~postmine.project.model.WorkItem`) and
materials (:class:`~postmine.project.model.MaterialItem`) into money with the rates of the
project file's ``[costs]`` section, in the roll-up that bonding tools use (Nevada SRCE, BLM,
OSMRE, the Queensland ERC calculator)::

    direct_i = machine hours x (owning+operating + operator) + quantity x material rate
    direct   = sum of direct_i + mobilisation and demobilisation (lump sum)
    total    = direct x (1 + sum of the indirect percentages / 100)

and from it the two figures a closure-cost estimate must keep apart:

* the **bond** (financial assurance): the *undiscounted* cost to a *third party* of all work
  not yet done, at the year in which it is largest (Queensland's "maximum liability for the
  period"; BLM 43 CFR 3809 and OSMRE require third-party, undiscounted cost);
* the **provision** (IAS 37 accounting figure, an asset retirement obligation): the present
  value of the escalated cash flows, discounted at the project's discount rate. The provision
  is never the bond: discounting a bond assumes the money earns interest while the regulator
  holds it and understates what a third party would have to spend.

References
----------
[SRCE] Nevada Standardized Reclamation Cost Estimator, v1.4.1: cost summary and indirect
       costs (engineering 4-8 %, contingency 4-10 %, performance bond 3 %, profit 10 %,
       contract administration 10 %, government indirect about 2 %).
[QLD]  Queensland Government, Estimated Rehabilitation Cost calculator and Financial
       Provisioning Scheme guidelines: maximum liability for the period.
[IAS37] IAS 37 Provisions, Contingent Liabilities and Contingent Assets, paragraphs 45-47
       (discounting of provisions).
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from postmine.core.checks import in_range
from postmine.project.model import CostLine, CostResult, MaterialItem, WorkItem
from postmine.project.schema import Costs, ProjectFile

__all__ = [
    "LAYER_MATERIAL",
    "LUMP_SUM_UNIT",
    "MOBILISATION",
    "compute_bond",
    "compute_costs",
    "direct_cost_lines",
    "escalation_factor",
    "indirect_costs",
    "liability_by_year",
    "present_value",
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


def indirect_costs(costs: Costs, direct_rub: float) -> list[dict[str, Any]]:
    """Indirect costs as percentages of the direct cost, each with its name and source.

    Parameters
    ----------
    costs : Costs
        The ``[costs]`` section; its ``indirect`` list gives name, percent and source. [-]
    direct_rub : float
        Direct cost the percentages apply to. [rub]

    Returns
    -------
    list of dict
        One dict per indirect line, in the file's order: ``name``, ``percent`` [%],
        ``source`` and ``amount_rub`` = percent / 100 x ``direct_rub`` [rub].

    Raises
    ------
    ValueError
        If a percentage is outside 0..100 % or ``direct_rub`` is negative or not finite.

    Notes
    -----
    C_indirect,i = p_i / 100 · C_direct, a fixed percentage of the whole direct cost as in
    SRCE's cost summary (whose own percentages slide with the size of the direct cost; here
    the project file states the percentage it uses, with its source).

    Examples
    --------
    >>> from postmine.project.schema import Costs
    >>> costs = Costs.model_validate({
    ...     "equipment": {}, "layer_material_rub_m3": {"value": 0, "source": "-"},
    ...     "mobilisation_rub": {"value": 0, "source": "-"},
    ...     "indirect": [{"name": "contingency", "percent": 10, "source": "SRCE"}],
    ...     "escalation_percent_per_year": {"value": 0, "source": "-"},
    ...     "discount_rate_percent": {"value": 0, "source": "-"}})
    >>> indirect_costs(costs, 1_000_000.0)[0]["amount_rub"]
    100000.0
    """
    _require("direct_rub", direct_rub, 0.0, math.inf, "rub")
    out: list[dict[str, Any]] = []
    for line in costs.indirect:
        in_range(f"costs.indirect[{line.name}].percent", line.percent, 0.0, 100.0, "%")
        out.append(
            {
                "name": line.name,
                "percent": line.percent,
                "source": line.source,
                "amount_rub": line.percent / 100.0 * direct_rub,
            }
        )
    return out


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


def liability_by_year(
    direct_by_year_rub: Mapping[int, float],
    mobilisation_rub: float,
    indirect_percent: float,
    price_base_year: int,
    escalation_percent: float,
    years: Iterable[int],
) -> dict[int, float]:
    """Third-party cost of all work not yet done at the start of each year, undiscounted.

    Parameters
    ----------
    direct_by_year_rub : mapping of int to float
        Direct cost of the work of each year at the prices of the price base year, without
        mobilisation. [rub]
    mobilisation_rub : float
        Mobilisation and demobilisation of a contractor's fleet, at base-year prices. [rub]
    indirect_percent : float
        Sum of the indirect-cost percentages. [%]
    price_base_year : int
        Year whose prices the costs are in. [year]
    escalation_percent : float
        Escalation index, compound. [%/year]
    years : iterable of int
        Years at whose start the liability is wanted. [year]

    Returns
    -------
    dict of int to float
        L_t for every year of ``years``. [rub]

    Raises
    ------
    ValueError
        If a cost is negative or not finite, ``indirect_percent`` is negative, or
        ``escalation_percent`` is not above -100 %/year.

    Notes
    -----
    The convention of postmine::

        L_t = k_e(t) · (1 + Σp/100) · [ Σ_{s >= t} C_direct(s) + C_mob · 1(work remains) ]

    * *Work not yet done at the start of year t*: the work of year t and of every later
      year (annual resolution: the work of a year is done when the year ends).
    * *At that year's prices*: the whole remaining work is priced at the prices of year t,
      k_e(t) = (1 + e/100)^(t - t_base) -- the estimate a regulator re-makes each year at
      current prices if the operator fails that year. The escalation of the third party's own
      later years of work is not added, since the bond is re-estimated at current prices as
      the works proceed; the escalated year-by-year spend (a forecast, not a current cost) is
      what the provision discounts.
    * *Third party*: a contractor taking over must bring its own fleet, so mobilisation and
      demobilisation is counted whenever any work remains, not only in the first year; and
      the indirect costs (engineering, contingency, profit, administration) apply in full.

    Since the remaining work shrinks while prices grow, the maximum (the bond) falls in a
    later year than the first one when escalation outpaces the work done -- on a long
    schedule (decades of backfilling at 6 %/year) often well into the works. The bond
    B = max_t L_t, a nominal amount, is what a security held unchanged from the start must
    be to cover the third-party cost in every year without being topped up; the report
    should say in which year's prices it is (``bond_year``).

    Examples
    --------
    >>> liability_by_year({2022: 100.0, 2023: 100.0}, 0.0, 0.0, 2022, 10.0,
    ...                   [2022, 2023, 2024])  # 200 at 2022; 100 x 1.1; nothing left
    {2022: 200.0, 2023: 110.00000000000001, 2024: 0.0}
    """
    _require("mobilisation_rub", mobilisation_rub, 0, math.inf, "rub")
    _require("indirect_percent", indirect_percent, 0, math.inf, "%")
    if not (escalation_percent > -100 and math.isfinite(escalation_percent)):
        escalation_factor(price_base_year, price_base_year, escalation_percent)  # raises
    for year, c in direct_by_year_rub.items():
        _require(f"direct_by_year_rub[{year}]", c, 0, math.inf, "rub")
    markup = 1.0 + indirect_percent / 100.0
    q = 1.0 + escalation_percent / 100.0
    # remaining[t] = sum of the direct cost of the years >= t, by a suffix sum
    spend = sorted((y, c) for y, c in direct_by_year_rub.items() if c > 0)
    suffix: list[float] = []
    running = 0.0
    for _, c in reversed(spend):
        running += c
        suffix.append(running)
    suffix.reverse()
    spend_years = [y for y, _ in spend]
    out: dict[int, float] = {}
    for t in years:
        i = bisect.bisect_left(spend_years, t)
        if i == len(spend_years):
            out[t] = 0.0
        else:
            out[t] = q ** (t - price_base_year) * markup * (suffix[i] + mobilisation_rub)
    return out


def compute_costs(
    project: ProjectFile,
    work: Sequence[WorkItem],
    materials: Sequence[MaterialItem],
    activity_years: Mapping[str, tuple[int, int]],
) -> CostResult:
    """Direct and indirect cost, yearly cash flows, liability, bond and provision of a project.

    Parameters
    ----------
    project : ProjectFile
        The project; uses ``[costs]``, ``project.price_base_year`` and
        ``schedule.start_year``. [-]
    work : sequence of WorkItem
        Machine work by activity, year and machine model. [h]
    materials : sequence of MaterialItem
        Materials and lump sums by activity and year. [unit of the item]
    activity_years : mapping of str to (int, int)
        First and last year of every activity that has work or materials. [year]

    Returns
    -------
    CostResult
        ``lines`` (direct, at the price base year); ``direct_rub``; ``indirect`` (name,
        percent, source, amount_rub) and ``indirect_rub``; ``total_rub`` = direct +
        indirect at base-year prices; ``by_year_rub`` = the same total by year of spend at
        base-year prices (indirect spread pro rata to the direct cost of each year, the
        mobilisation in its first year); ``escalated_by_year_rub`` = that, escalated to each
        year; ``liability_by_year_rub`` (see :func:`liability_by_year`); ``bond_rub``, the
        maximum liability, and ``bond_year``, its (earliest) year; ``provision_rub``, the
        present value of the escalated cash flows at the start year; ``sources`` of every
        rate. The three yearly dicts cover every year from ``schedule.start_year`` to the
        last year of spend or activity. ``percentiles_rub`` and ``samples_rub`` are left
        empty for the Monte Carlo (:func:`postmine.project.uncertainty.monte_carlo`). [rub]

    Raises
    ------
    ValueError
        As :func:`direct_cost_lines`; also if a work item or material falls before
        ``schedule.start_year``, belongs to an activity missing from ``activity_years`` or
        lies outside that activity's years, or an activity's first year is after its last.

    Notes
    -----
    Bond and provision answer different questions and are both reported:

    * bond = max_t L_t, undiscounted (regulatory financial assurance, third-party cost);
    * provision = Σ_t C_t k_e(t) / (1 + d/100)^(t - t_0), discounted to the start year t_0
      (the accounting figure of IAS 37; **never the bond**: discounting the bond assumes the
      regulator's deposit earns interest and understates what a third party must spend).

    With the discount rate above the escalation index the provision is below the sum of the
    escalated costs; it may still exceed the base-year total.

    Examples
    --------
    >>> from pathlib import Path
    >>> from postmine.project.model import WorkItem
    >>> from postmine.project.schema import read_project
    >>> p = read_project(Path(__file__).parents[3] / "examples/abaza/project.toml")
    >>> work = [WorkItem("doze-waste", 2022, "T-170", 1000.0, 1e5),
    ...         WorkItem("doze-waste", 2023, "T-170", 1000.0, 1e5)]
    >>> r = compute_costs(p, work, [], {"doze-waste": (2022, 2023)})
    >>> r.direct_rub  # 2 x 1000 h x (3900 + 750) rub/h + 1 500 000 mobilisation
    10800000.0
    >>> r.bond_year, round(r.bond_rub)  # 10.8 M x 1.43 (indirect 43 %) at 2022 prices
    (2022, 15444000)
    """
    costs = project.costs
    start = project.schedule.start_year
    base_year = project.project.price_base_year
    _check_schedule(start, work, materials, activity_years)
    lines = direct_cost_lines(costs, work, materials)
    direct = math.fsum(line.amount_rub for line in lines)
    indirect = indirect_costs(costs, direct)
    indirect_rub = math.fsum(line["amount_rub"] for line in indirect)
    indirect_percent = math.fsum(ind.percent for ind in costs.indirect)
    markup = 1.0 + indirect_percent / 100.0
    escalation = costs.escalation_percent_per_year.value

    last_year = max(
        [start, *(line.year for line in lines), *(span[1] for span in activity_years.values())]
    )
    years = range(start, last_year + 1)
    direct_by_year = dict.fromkeys(years, 0.0)
    work_by_year = dict.fromkeys(years, 0.0)
    mobilisation = 0.0
    for line in lines:
        direct_by_year[line.year] += line.amount_rub
        if line.category == "mobilisation":
            mobilisation += line.amount_rub
        else:
            work_by_year[line.year] += line.amount_rub
    by_year = {t: c * markup for t, c in direct_by_year.items()}
    q = 1.0 + escalation / 100.0
    escalated = {t: c * q ** (t - base_year) for t, c in by_year.items()}
    liability = liability_by_year(
        work_by_year, mobilisation, indirect_percent, base_year, escalation, years
    )
    bond_year = max(liability, key=lambda t: (liability[t], -t))
    provision = present_value(escalated, costs.discount_rate_percent.value, start)

    sources = {f"costs.equipment[{model}]": rate.source for model, rate in costs.equipment.items()}
    sources["costs.layer_material_rub_m3"] = costs.layer_material_rub_m3.source
    sources["costs.mobilisation_rub"] = costs.mobilisation_rub.source
    for ind in costs.indirect:
        sources[f"costs.indirect[{ind.name}]"] = ind.source
    sources["costs.escalation_percent_per_year"] = costs.escalation_percent_per_year.source
    sources["costs.discount_rate_percent"] = costs.discount_rate_percent.source
    return CostResult(
        lines=lines,
        direct_rub=direct,
        indirect=indirect,
        indirect_rub=indirect_rub,
        total_rub=direct + indirect_rub,
        by_year_rub=by_year,
        escalated_by_year_rub=escalated,
        liability_by_year_rub=liability,
        bond_rub=liability[bond_year],
        bond_year=bond_year,
        provision_rub=provision,
        percentiles_rub={},
        samples_rub=[],
        sources=sources,
    )


def compute_bond(
    project: ProjectFile,
    work: Sequence[WorkItem],
    materials: Sequence[MaterialItem],
    activity_years: Mapping[str, tuple[int, int]],
) -> float:
    """Bond alone, without cost lines: the lean path for each Monte Carlo sample.

    Gives the same ``bond_rub`` as :func:`compute_costs` (to rounding of the sums) about six
    times faster, since it builds no :class:`CostLine` and no yearly tables (0.14 ms for 53
    years of four machines, against 0.9 ms).

    Parameters
    ----------
    project : ProjectFile
        The project; uses ``[costs]``, ``project.price_base_year`` and
        ``schedule.start_year``. [-]
    work : sequence of WorkItem
        Machine work by activity, year and machine model. [h]
    materials : sequence of MaterialItem
        Materials and lump sums by activity and year. [unit of the item]
    activity_years : mapping of str to (int, int)
        First and last year of every activity that has work or materials. [year]

    Returns
    -------
    float
        The bond, max_t L_t (see :func:`liability_by_year`). [rub]

    Raises
    ------
    ValueError
        As :func:`compute_costs`.

    Examples
    --------
    >>> from pathlib import Path
    >>> from postmine.project.model import WorkItem
    >>> from postmine.project.schema import read_project
    >>> p = read_project(Path(__file__).parents[3] / "examples/abaza/project.toml")
    >>> work = [WorkItem("doze-waste", 2022, "T-170", 1000.0, 1e5)]
    >>> round(compute_bond(p, work, [], {"doze-waste": (2022, 2022)}))  # 6.15 M x 1.43
    8794500
    """
    costs = project.costs
    start = project.schedule.start_year
    _check_schedule(start, work, materials, activity_years)
    _check_rates(costs)
    rate = {m: r.owning_operating_rub_h + r.operator_rub_h for m, r in costs.equipment.items()}
    by_year: dict[int, float] = {}
    for w in work:
        _check_work(costs, w)
        by_year[w.year] = by_year.get(w.year, 0.0) + w.machine_hours * rate[w.equipment]
    mobilisation: float | None = None
    for m in materials:
        unit, c_m = _material_rate(costs, m)
        if m.material == MOBILISATION and unit == "lump sum":
            mobilisation = (mobilisation or 0.0) + m.quantity * c_m
        else:
            by_year[m.year] = by_year.get(m.year, 0.0) + m.quantity * c_m
    if not by_year:
        return 0.0
    liability = liability_by_year(
        by_year,
        costs.mobilisation_rub.value if mobilisation is None else mobilisation,
        math.fsum(ind.percent for ind in costs.indirect),
        project.project.price_base_year,
        costs.escalation_percent_per_year.value,
        range(start, max(by_year) + 1),
    )
    return max(liability.values())
