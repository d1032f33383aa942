"""Costing: direct lines, indirect costs, escalation, the liability of each state, bond, provision.

No source prints a cost for these works (003 gives none), so the checks are hand computations
with the arithmetic in the comments, and properties of the bond and the provision. The
indirect rates of the rule set are the SRCE v1.4.1 sliding scales of ``ru-800-2018``
(thresholds in usd, converted at ``costs.usd_rate_rub``).
"""

import itertools
import math
from pathlib import Path

import numpy as np
import pytest
from numpy.testing import assert_allclose

from postmine.project.costing import (
    LAYER_MATERIAL,
    MOBILISATION,
    compute_bond,
    compute_costs,
    direct_cost_lines,
    direct_cost_of,
    escalation_factor,
    indirect_percent_of,
    plan_years,
    present_value,
    review_years,
)
from postmine.project.model import MaterialItem, ReclamationTask, WorkItem
from postmine.project.rules import load_rule_set
from postmine.project.schema import (
    Costs,
    EquipmentRate,
    IndirectCost,
    Schedule,
    Sourced,
    read_project,
)

ROOT = Path(__file__).resolve().parents[2]
ABAZA = ROOT / "examples" / "abaza" / "project.toml"

# the arithmetic below is exact up to floating-point rounding
RUB_RTOL = 1e-12

INDIRECT = [  # 8 + 10 + 3 + 10 + 10 + 2 = 43 % of direct (SRCE's lines, flat)
    ("engineering", 8.0),
    ("contingency", 10.0),
    ("performance bond", 3.0),
    ("contractor profit", 10.0),
    ("contract administration", 10.0),
    ("government indirect", 2.0),
]
RU_800 = load_rule_set("ru-800-2018")
USD_RATE = 80.0  # rub/usd


def make_costs(
    escalation=6.0, discount=10.0, mobilisation=1_500_000.0, indirect=INDIRECT, usd_rate=None
):
    return Costs(
        equipment={
            "Loader": EquipmentRate(owning_operating_rub_h=4800, operator_rub_h=750, source="t"),
            "Truck": EquipmentRate(owning_operating_rub_h=5600, operator_rub_h=750, source="t"),
        },
        layer_material_rub_m3=Sourced(value=250, source="t"),
        mobilisation_rub=Sourced(value=mobilisation, source="t"),
        indirect=[IndirectCost(name=n, percent=p, source="t") for n, p in indirect],
        escalation_percent_per_year=Sourced(value=escalation, source="t"),
        discount_rate_percent=Sourced(value=discount, source="t"),
        usd_rate_rub=None if usd_rate is None else Sourced(value=usd_rate, source="t"),
    )


@pytest.fixture(scope="module")
def abaza():
    return read_project(ABAZA)


def project_with(abaza, costs, start=2022, base=2022):
    return abaza.model_copy(
        update={
            "costs": costs,
            "schedule": Schedule(start_year=start),
            "project": abaza.project.model_copy(update={"price_base_year": base}),
        }
    )


def task(key, quantity, outstanding, work=(), materials=()):
    return ReclamationTask(
        key,
        {"en": key, "ru": key},
        quantity,
        "m³",
        list(work),
        list(materials),
        dict(outstanding),
        {"en": "test", "ru": "тест"},
    )


def lump(amount, activity="x"):
    """A material that is already money: ``amount`` rub at 1 rub/rub."""
    return MaterialItem(activity, 0, "fee", amount, "rub")


# Hand example: haul-waste 2022-2023, reclamation layer 2024.
WORK = [
    WorkItem("haul-waste", 2022, "Loader", 1000.0, 1e5),
    WorkItem("haul-waste", 2022, "Truck", 1200.0, 6e4),  # two items of one model:
    WorkItem("haul-waste", 2022, "Truck", 800.0, 4e4),  # summed into one line of 2000 h
    WorkItem("haul-waste", 2023, "Loader", 1000.0, 1e5),
    WorkItem("haul-waste", 2023, "Truck", 2000.0, 1e5),
    WorkItem("reclamation-layer", 2024, "Truck", 500.0, 1e4),
]
MATERIALS = [MaterialItem("reclamation-layer", 2024, LAYER_MATERIAL, 10_000.0, "m3")]
YEARS = {"haul-waste": (2022, 2023), "reclamation-layer": (2024, 2024)}

# Direct cost of each year at 2022 prices, without mobilisation:
#   2022, 2023: loader 1000 h x (4800 + 750) = 5 550 000; trucks 2000 h x (5600 + 750)
#               = 12 700 000; together 18 250 000 rub each year
#   2024: trucks 500 h x (5600 + 750) = 3 175 000; material 10 000 m³ x 250 = 2 500 000;
#         together 5 675 000 rub
WORK_2022 = 1000 * (4800 + 750) + 2000 * (5600 + 750)
WORK_2024 = 500 * (5600 + 750) + 10_000 * 250
MOB = 1_500_000.0
DIRECT = 2 * WORK_2022 + WORK_2024 + MOB  # 43 675 000 rub
MARKUP = 1.43  # 1 + 43 %

# Hand example of the liability: two tasks of the third party.
#   void-fill: 1000 m³, 100 truck hours: 100 x 6350 = 635 000 rub, 635 rub/m³
#   layer: 10 000 m², 50 loader hours + 2000 m³ of layer material:
#          50 x 5550 + 2000 x 250 = 277 500 + 500 000 = 777 500 rub, 77.75 rub/m²
FILL = task(
    "void-fill",
    1000.0,
    {2022: 1000.0, 2023: 400.0, 2024: 0.0},
    work=[WorkItem("void-fill", 0, "Truck", 100.0, 1000.0)],
)
LAYER = task(
    "reclamation-layer",
    10_000.0,
    {2022: 10_000.0, 2023: 10_000.0, 2024: 5000.0, 2025: 0.0},
    work=[WorkItem("reclamation-layer", 0, "Loader", 50.0, 0.0)],
    materials=[MaterialItem("reclamation-layer", 0, LAYER_MATERIAL, 2000.0, "m3")],
)
TASKS = [FILL, LAYER]
TASK_YEARS = range(2022, 2026)
# D_t = Σ q c + mobilisation (while anything is outstanding):
#   2022: 1000 x 635 + 10 000 x 77.75 + 1.5 M = 635 000 + 777 500 + 1 500 000 = 2 912 500
#   2023: 400 x 635 + 777 500 + 1.5 M = 254 000 + 777 500 + 1 500 000 = 2 531 500
#   2024: 0 + 5000 x 77.75 + 1.5 M = 388 750 + 1 500 000 = 1 888 750
#   2025: nothing outstanding, no mobilisation: 0
STATE_DIRECT = [2_912_500.0, 2_531_500.0, 1_888_750.0, 0.0]


def test_direct_cost_lines_hand_example():
    lines = direct_cost_lines(make_costs(), WORK, MATERIALS)
    got = [(c.year, c.activity, c.category, c.item, c.quantity, c.amount_rub) for c in lines]
    assert got == [
        (2022, "mobilisation", "mobilisation", "mobilisation and demobilisation", 1.0, MOB),
        (2022, "haul-waste", "equipment", "Loader", 1000.0, 1000 * 4800.0),
        (2022, "haul-waste", "equipment", "Truck", 2000.0, 2000 * 5600.0),
        (2022, "haul-waste", "labour", "Loader", 1000.0, 1000 * 750.0),
        (2022, "haul-waste", "labour", "Truck", 2000.0, 2000 * 750.0),
        (2023, "haul-waste", "equipment", "Loader", 1000.0, 1000 * 4800.0),
        (2023, "haul-waste", "equipment", "Truck", 2000.0, 2000 * 5600.0),
        (2023, "haul-waste", "labour", "Loader", 1000.0, 1000 * 750.0),
        (2023, "haul-waste", "labour", "Truck", 2000.0, 2000 * 750.0),
        (2024, "reclamation-layer", "equipment", "Truck", 500.0, 500 * 5600.0),
        (2024, "reclamation-layer", "labour", "Truck", 500.0, 500 * 750.0),
        (2024, "reclamation-layer", "materials", LAYER_MATERIAL, 10_000.0, 10_000 * 250.0),
    ]
    assert_allclose(sum(c.amount_rub for c in lines), DIRECT, rtol=RUB_RTOL)
    for c in lines:
        assert_allclose(c.amount_rub, c.quantity * c.unit_rate_rub, rtol=RUB_RTOL)


def test_lump_sum_material_and_no_work():
    fence = [MaterialItem("fencing", 2025, "fence", 250_000.0, "rub")]
    (mob, line) = direct_cost_lines(make_costs(), [], fence)
    assert (mob.year, mob.category, line.category, line.quantity_unit) == (
        2025,
        "mobilisation",
        "materials",
        "rub",
    )
    assert_allclose(line.amount_rub, 250_000.0, rtol=RUB_RTOL)  # 250 000 x 1 rub/rub
    assert direct_cost_lines(make_costs(), [], []) == []  # nothing to do, nothing to mobilise


def test_mobilisation_scheduled_by_the_design(abaza):
    # the design may schedule the mobilisation itself (a lump in the start year, its own
    # activity); then the costing prices it at costs.mobilisation_rub and adds no other
    mob = MaterialItem(MOBILISATION, 2022, MOBILISATION, 1.0, "lump")
    layer = MaterialItem("reclamation-layer", 2024, LAYER_MATERIAL, 10_000.0, "m³")
    lines = direct_cost_lines(make_costs(), WORK, [mob, layer])
    mobs = [c for c in lines if c.category == "mobilisation"]
    assert [(c.activity, c.year, c.quantity_unit) for c in mobs] == [
        ("mobilisation", 2022, "lump sum")
    ]
    assert_allclose(mobs[0].amount_rub, MOB, rtol=RUB_RTOL)  # 1 lump x 1 500 000
    assert_allclose(sum(c.amount_rub for c in lines), DIRECT, rtol=RUB_RTOL)  # as before
    # the same estimate as when the costing adds the mobilisation itself
    years = {**YEARS, MOBILISATION: (2022, 2022)}
    project = project_with(abaza, make_costs())
    r = compute_costs(project, WORK, [mob, layer], years)
    plain = compute_costs(project, WORK, MATERIALS, YEARS)
    assert_allclose(r.total_rub, MARKUP * DIRECT, rtol=RUB_RTOL)
    assert_allclose(list(r.by_year_rub.values()), list(plain.by_year_rub.values()), rtol=RUB_RTOL)
    assert_allclose(r.provision_rub, plain.provision_rub, rtol=RUB_RTOL)


def test_direct_cost_of_hand_example():
    # 10 truck h x (5600 + 750) + 2 loader h x (4800 + 750) + 4 m³ x 250 + 1000 rub lump
    # = 63 500 + 11 100 + 1 000 + 1 000 = 76 600 rub; no mobilisation of its own
    work = [WorkItem("a", 0, "Truck", 10.0, 0.0), WorkItem("a", 0, "Loader", 2.0, 0.0)]
    materials = [MaterialItem("a", 0, LAYER_MATERIAL, 4.0, "m³"), lump(1000.0, "a")]
    assert_allclose(direct_cost_of(make_costs(), work, materials), 76_600.0, rtol=RUB_RTOL)
    assert direct_cost_of(make_costs(), [], []) == 0.0
    # a scheduled mobilisation lump is priced at costs.mobilisation_rub: 2 x 1.5 M
    mob = MaterialItem(MOBILISATION, 0, MOBILISATION, 2.0, "lump")
    assert_allclose(direct_cost_of(make_costs(), [], [mob]), 3_000_000.0, rtol=RUB_RTOL)
    # it agrees with the lines of the same items, less their mobilisation
    lines = direct_cost_lines(make_costs(), work, materials)
    assert_allclose(
        sum(c.amount_rub for c in lines if c.category != "mobilisation"), 76_600.0, rtol=RUB_RTOL
    )


def test_project_indirect_lines_without_rule_set(abaza):
    project = project_with(abaza, make_costs())
    assert_allclose(indirect_percent_of(project, None)(1e6), 43.0, rtol=RUB_RTOL)
    r = compute_costs(project, WORK, MATERIALS, YEARS)
    assert [(d["name"], d["percent"], d["source"]) for d in r.indirect] == [
        (n, p, "t") for n, p in INDIRECT
    ]
    # 8 % of 43 675 000 = 3 494 000; 10 % = 4 367 500; 3 % = 1 310 250; ...
    assert_allclose(
        [d["amount_rub"] for d in r.indirect],
        [p / 100 * DIRECT for _, p in INDIRECT],
        rtol=RUB_RTOL,
    )


def test_rule_set_indirect_lines_slide_with_the_direct_cost(abaza):
    # ru-800-2018: SRCE scales in usd at 80 rub/usd, plus the project's own insurance line.
    # The direct cost 43 675 000 rub = $545 937.5: engineering 8 % (<= $1 M), contingency
    # 8 % ($0.5 M .. $5 M), bond 3, profit 10, administration 10, government 2.1: 41.1 %;
    # with insurance 1.5 %: 42.6 %
    costs = make_costs(indirect=[("insurance", 1.5)], usd_rate=USD_RATE)
    r = compute_costs(project_with(abaza, costs), WORK, MATERIALS, YEARS, rules=RU_800)
    assert [(d["name"], d["percent"]) for d in r.indirect] == [
        ("engineering, design and construction plan", 8.0),
        ("contingency", 8.0),
        ("performance bond", 3.0),
        ("contractor profit", 10.0),
        ("contract administration", 10.0),
        ("government indirect cost", 2.1),
        ("insurance", 1.5),
    ]
    assert r.indirect[-1]["source"] == "t"
    assert_allclose(r.indirect_rub, 0.426 * DIRECT, rtol=RUB_RTOL)
    assert_allclose(r.total_rub, 1.426 * DIRECT, rtol=RUB_RTOL)
    assert "indirect[contingency]" in r.sources and "costs.usd_rate_rub" in r.sources
    # a project line of the same name replaces the rule set's in its place: contingency 12 %
    costs = make_costs(indirect=[("Contingency", 12.0)], usd_rate=USD_RATE)
    r = compute_costs(project_with(abaza, costs), WORK, MATERIALS, YEARS, rules=RU_800)
    assert [d["percent"] for d in r.indirect] == [8.0, 12.0, 3.0, 10.0, 10.0, 2.1]
    assert_allclose(r.indirect_rub, 0.451 * DIRECT, rtol=RUB_RTOL)


def test_rule_set_in_usd_needs_an_exchange_rate(abaza):
    with pytest.raises(ValueError, match=r"costs\.usd_rate_rub is needed"):
        compute_costs(project_with(abaza, make_costs()), WORK, MATERIALS, YEARS, rules=RU_800)


def test_escalation_factor_compound():
    assert_allclose(escalation_factor(2025, 2022, 6.0), 1.06**3, rtol=RUB_RTOL)  # 1.191016
    assert_allclose(escalation_factor(2022, 2022, 6.0), 1.0, rtol=RUB_RTOL)
    assert_allclose(escalation_factor(2020, 2022, 6.0), 1 / 1.06**2, rtol=RUB_RTOL)


def test_present_value_at_ten_percent():
    # 100 at the start year + 121 two years later / 1.1² = 100 + 100 = 200
    assert_allclose(present_value({2022: 100.0, 2024: 121.0}, 10.0, 2022), 200.0, rtol=RUB_RTOL)
    assert_allclose(present_value({2022: 100.0, 2024: 121.0}, 0.0, 2022), 221.0, rtol=RUB_RTOL)


def test_compute_costs_hand_example(abaza):
    r = compute_costs(project_with(abaza, make_costs()), WORK, MATERIALS, YEARS)
    assert_allclose(r.direct_rub, DIRECT, rtol=RUB_RTOL)  # 43 675 000
    assert_allclose(r.indirect_rub, 0.43 * DIRECT, rtol=RUB_RTOL)  # 18 780 250
    assert_allclose(r.total_rub, MARKUP * DIRECT, rtol=RUB_RTOL)  # 62 455 250
    assert [d["name"] for d in r.indirect] == [n for n, _ in INDIRECT]

    # by year at 2022 prices, indirect pro rata: (18.25 M + 1.5 M mob) x 1.43, 18.25 M x 1.43,
    # 5.675 M x 1.43
    by_year = [MARKUP * (WORK_2022 + MOB), MARKUP * WORK_2022, MARKUP * WORK_2024]
    assert list(r.by_year_rub) == [2022, 2023, 2024]
    assert_allclose(list(r.by_year_rub.values()), by_year, rtol=RUB_RTOL)
    escalated = [by_year[0], by_year[1] * 1.06, by_year[2] * 1.06**2]
    assert_allclose(list(r.escalated_by_year_rub.values()), escalated, rtol=RUB_RTOL)

    # provision: 28 242 500 + 27 663 350 / 1.1 + 9 118 294.9 / 1.1² = 60 926 781.7
    provision = escalated[0] + escalated[1] / 1.1 + escalated[2] / 1.1**2
    assert_allclose(r.provision_rub, provision, rtol=RUB_RTOL)
    assert r.percentiles_rub == {} and r.samples_rub == []
    assert r.sources["costs.equipment[Truck]"] == "t"
    assert "indirect[contingency]" in r.sources

    # the design's works are not the bond: without tasks nothing is outstanding in any state
    assert_allclose(list(r.liability_by_year_rub.values()), 0.0, atol=0)
    assert r.bond_rub == 0.0 and r.bond_year == 2022 and r.tasks == []


def test_liability_of_each_state_hand_example(abaza):
    project = project_with(abaza, make_costs())
    r = compute_costs(project, [], [], {}, tasks=TASKS, extra_years=TASK_YEARS)
    # L_t = 1.06^(t - 2022) x 1.43 x D_t
    liability = [1.06**k * MARKUP * d for k, d in enumerate(STATE_DIRECT)]
    # = 4 164 875; 3 837 253.7; 3 034 738.4; 0
    assert list(r.liability_by_year_rub) == list(TASK_YEARS)
    assert_allclose(list(r.liability_by_year_rub.values()), liability, rtol=RUB_RTOL)
    assert r.bond_year == 2022
    assert_allclose(r.bond_rub, MARKUP * 2_912_500, rtol=RUB_RTOL)  # 4 164 875
    y2023 = r.liability_years[1]
    assert y2023.outstanding == {"void-fill": 400.0, "reclamation-layer": 10_000.0}
    assert_allclose(
        [y2023.direct_by_task_rub["void-fill"], y2023.direct_by_task_rub["reclamation-layer"]],
        [254_000.0, 777_500.0],
        rtol=RUB_RTOL,
    )
    assert_allclose(
        [y2023.mobilisation_rub, y2023.direct_rub, y2023.indirect_percent],
        [MOB, 2_531_500.0, 43.0],
        rtol=RUB_RTOL,
    )
    assert_allclose(y2023.escalation_factor, 1.06, rtol=RUB_RTOL)
    last = r.liability_years[-1]
    assert (last.mobilisation_rub, last.direct_rub, last.indirect_percent) == (0.0, 0.0, 0.0)
    assert all(y.in_review for y in r.liability_years) and r.review == "life-of-plan"
    # the tasks' unit costs: 635 rub/m³ and 77.75 rub/m²
    assert [t["key"] for t in r.tasks] == ["void-fill", "reclamation-layer"]
    assert_allclose([t["unit_cost_rub"] for t in r.tasks], [635.0, 77.75], rtol=RUB_RTOL)
    assert_allclose([t["direct_rub"] for t in r.tasks], [635_000.0, 777_500.0], rtol=RUB_RTOL)
    # the lean path of the Monte Carlo gives the same bond
    bond = compute_bond(project, TASKS, {}, None, TASK_YEARS)
    assert_allclose(bond, r.bond_rub, rtol=RUB_RTOL)
    # the works of the design do not change the liability of the states
    with_works = compute_costs(project, WORK, MATERIALS, YEARS, tasks=TASKS, extra_years=TASK_YEARS)
    assert_allclose(list(with_works.liability_by_year_rub.values()), liability, rtol=RUB_RTOL)


def test_plan_years_and_the_state_the_plan_leaves(abaza):
    project = project_with(abaza, make_costs())
    assert plan_years(project, YEARS) == range(2022, 2025)
    assert plan_years(project, YEARS, [2030]) == range(2022, 2031)
    assert plan_years(project, {}) == range(2022, 2023)
    # without extra years the plan is the start year alone
    r = compute_costs(project, [], [], {}, tasks=TASKS)
    assert list(r.liability_by_year_rub) == [2022]
    # beyond the years the tasks give, their last state holds: the layer's 0 from 2025
    r = compute_costs(project, [], [], {}, tasks=TASKS, extra_years=[2027])
    assert_allclose(r.liability_by_year_rub[2027], 0.0, atol=0)
    half = task("half", 10.0, {2022: 10.0, 2023: 5.0}, materials=[lump(100.0)])
    r = compute_costs(project, [], [], {}, tasks=[half], extra_years=[2025])
    # 2025: 5 x 10 rub + 1.5 M mobilisation, x 1.43 x 1.06³
    assert_allclose(r.liability_by_year_rub[2025], 1.06**3 * MARKUP * (50 + MOB), rtol=RUB_RTOL)


def test_liability_indirect_rate_slides_with_each_states_direct_cost(abaza):
    # one task of 2000 m³ at 635 000 rub/m³ (10 000 truck h x 6350 = 63.5 M rub per 100 m³
    # ... per m³: 10 000 x 6350 / 100 = 635 000), no escalation, ru-800-2018 at 80 rub/usd;
    # outstanding 2000, 100, 10 m³ then nothing:
    #   2022: 1 270 000 000 + 1 500 000 = 1 271 500 000 rub = $15.89 M: 6 + 6 + 25.1 = 37.1 %
    #   2023: 63 500 000 + 1 500 000 = 65 000 000 rub = $812 500: 8 + 8 + 25.1 = 41.1 %
    #   2024: 6 350 000 + 1 500 000 = 7 850 000 rub = $98 125: 8 + 10 + 25.1 = 43.1 %
    fill = task(
        "void-fill",
        100.0,
        {2022: 2000.0, 2023: 100.0, 2024: 10.0, 2025: 0.0},
        work=[WorkItem("void-fill", 0, "Truck", 10_000.0, 0.0)],
    )
    costs = make_costs(escalation=0.0, indirect=[], usd_rate=USD_RATE)
    project = project_with(abaza, costs)
    r = compute_costs(project, [], [], {}, tasks=[fill], rules=RU_800, extra_years=TASK_YEARS)
    direct = [1_271_500_000.0, 65_000_000.0, 7_850_000.0, 0.0]
    percent = [37.1, 41.1, 43.1, 0.0]
    assert_allclose([y.direct_rub for y in r.liability_years], direct, rtol=RUB_RTOL)
    assert_allclose([y.indirect_percent for y in r.liability_years], percent, rtol=RUB_RTOL)
    liability = [d * (1 + p / 100) for d, p in zip(direct, percent, strict=True)]
    assert_allclose(list(r.liability_by_year_rub.values()), liability, rtol=RUB_RTOL)
    assert_allclose(r.bond_rub, 1.371 * 1_271_500_000, rtol=RUB_RTOL)
    assert_allclose(indirect_percent_of(project, RU_800)(65e6), 41.1, rtol=RUB_RTOL)
    bond = compute_bond(project, [fill], {}, RU_800, TASK_YEARS)
    assert_allclose(bond, r.bond_rub, rtol=RUB_RTOL)


ROLLING = """
id = "rolling-test"
title = "rolling review, for the tests"
extends = "ru-800-2018"

[assurance]
review = "rolling"
review_years = 3
review_citation = "test: the estimate is redone every three years"
"""


def test_review_years_life_of_plan_and_rolling(abaza, tmp_path):
    path = tmp_path / "rolling.toml"
    path.write_text(ROLLING, encoding="utf-8")
    rolling = load_rule_set(str(path))
    assert (rolling.assurance.review, rolling.assurance.review_years) == ("rolling", 3)
    project = project_with(abaza, make_costs(escalation=0.0, indirect=[], usd_rate=USD_RATE))
    years = range(2022, 2030)
    assert review_years(project, RU_800, years) == list(years)
    assert review_years(project, None, years) == list(years)
    assert review_years(project, rolling, years) == [2022, 2023, 2024]
    late = project_with(abaza, project.costs, start=2026)
    assert review_years(late, rolling, years) == [2026, 2027, 2028]

    # a dump that grows: 1, 10, 100, 2000 m³ outstanding, then reclaimed. Life of plan: the
    # bond is the liability of 2025 (1 271 500 000 x 1.371); rolling over three years it is
    # the largest of 2022-2024, that of 2024: (63 500 000 + 1 500 000) x 1.411 = 91 715 000
    dump = task(
        "slope-flattening",
        100.0,
        {2022: 1.0, 2023: 10.0, 2024: 100.0, 2025: 2000.0, 2026: 0.0},
        work=[WorkItem("slope-flattening", 0, "Truck", 10_000.0, 0.0)],
    )
    span = range(2022, 2027)
    life = compute_costs(project, [], [], {}, tasks=[dump], rules=RU_800, extra_years=span)
    assert life.bond_year == 2025 and life.review == "life-of-plan"
    assert_allclose(life.bond_rub, 1.371 * 1_271_500_000, rtol=RUB_RTOL)
    roll = compute_costs(project, [], [], {}, tasks=[dump], rules=rolling, extra_years=span)
    assert roll.bond_year == 2024 and roll.review == "rolling"
    assert_allclose(roll.bond_rub, 1.411 * 65_000_000, rtol=RUB_RTOL)
    assert [y.in_review for y in roll.liability_years] == [True, True, True, False, False]
    # the liability of every year is still given, in review or not
    assert_allclose(
        list(roll.liability_by_year_rub.values()),
        list(life.liability_by_year_rub.values()),
        rtol=RUB_RTOL,
    )
    assert_allclose(compute_bond(project, [dump], {}, rolling, span), roll.bond_rub, rtol=RUB_RTOL)


def test_bond_year_moves_later_when_escalation_outpaces_the_work(abaza):
    # 300 rub of work outstanding, 100 done a year, at 60 %/year, no mobilisation, no
    # indirect: 300; 1.6 x 200 = 320; 1.6² x 100 = 256; 0
    costs = make_costs(escalation=60.0, mobilisation=0.0, indirect=[])
    fee = task("fee", 300.0, {2022: 300.0, 2023: 200.0, 2024: 100.0, 2025: 0.0}, [], [lump(300)])
    r = compute_costs(project_with(abaza, costs), [], [], {}, tasks=[fee], extra_years=[2025])
    assert_allclose(list(r.liability_by_year_rub.values()), [300, 320, 256, 0], rtol=RUB_RTOL)
    assert r.bond_year == 2023
    assert_allclose(r.bond_rub, 320.0, rtol=RUB_RTOL)


def test_price_base_year_before_start(abaza):
    # prices of 2020, works from 2022: everything escalates by 1.06² at 2022
    work = [WorkItem("doze-waste", 2022, "Loader", 100.0, 1.0)]
    fee = task("fee", 1.0, {2022: 1.0, 2023: 0.0}, [], [lump(1000.0)])
    r = compute_costs(
        project_with(abaza, make_costs(indirect=[]), start=2022, base=2020),
        work,
        [],
        {"doze-waste": (2022, 2022)},
        tasks=[fee],
    )
    direct = 100 * 5550 + MOB  # 2 055 000
    assert_allclose(r.direct_rub, direct, rtol=RUB_RTOL)
    assert_allclose(r.provision_rub, 1.06**2 * direct, rtol=RUB_RTOL)  # start year: no discount
    assert_allclose(r.bond_rub, 1.06**2 * (1000 + MOB), rtol=RUB_RTOL)


def test_years_cover_schedule_gaps_and_activity_tail(abaza):
    work = [
        WorkItem("haul-waste", 2022, "Loader", 10.0, 1.0),
        WorkItem("haul-waste", 2025, "Loader", 10.0, 1.0),
    ]
    years = {"haul-waste": (2022, 2025), "monitoring": (2026, 2027)}
    r = compute_costs(project_with(abaza, make_costs()), work, [], years)
    assert list(r.by_year_rub) == list(range(2022, 2028))
    assert list(r.liability_by_year_rub) == list(range(2022, 2028))
    assert r.by_year_rub[2023] == 0.0 and r.by_year_rub[2027] == 0.0


def test_no_work_gives_zero_bond(abaza):
    r = compute_costs(project_with(abaza, make_costs()), [], [], {})
    assert r.lines == [] and r.bond_year == 2022
    assert_allclose([r.bond_rub, r.provision_rub, r.direct_rub], 0.0, atol=0)
    assert compute_bond(project_with(abaza, make_costs()), [], {}) == 0.0


def random_work(rng, start):
    n_years = int(rng.integers(1, 40))
    work = []
    for year in range(start, start + n_years):
        for model in ("Loader", "Truck"):
            if rng.random() < 0.8:
                work.append(WorkItem("haul-waste", year, model, float(rng.uniform(0, 3000)), 0.0))
    work.append(WorkItem("haul-waste", start, "Loader", 1.0, 0.0))
    return work, {"haul-waste": (start, start + n_years - 1)}


def random_tasks(rng, start, n_years):
    tasks = []
    for k in range(int(rng.integers(1, 4))):
        quantity = float(rng.uniform(1, 1e5))
        shares = np.sort(rng.uniform(0, 1, n_years))[::-1]
        if rng.random() < 0.5:
            shares[-1] = 0.0
        outstanding = {start + i: quantity * float(s) for i, s in enumerate(shares)}
        work = [WorkItem(f"t{k}", 0, "Truck", float(rng.uniform(0, 5e3)), 0.0)]
        tasks.append(task(f"t{k}", quantity, outstanding, work, [lump(float(rng.uniform(0, 1e7)))]))
    return tasks


@pytest.mark.parametrize("seed", range(30))
def test_properties_of_bond_and_provision(abaza, seed):
    rng = np.random.default_rng(seed)
    escalation = float(rng.uniform(0, 12))
    discount = escalation + float(rng.uniform(0.5, 10))  # discount above escalation
    costs = make_costs(escalation=escalation, discount=discount)
    project = project_with(abaza, costs)
    work, years = random_work(rng, 2022)
    n_years = years["haul-waste"][1] - 2022 + 1
    tasks = random_tasks(rng, 2022, n_years)
    r = compute_costs(project, work, [], years, tasks=tasks)
    # the bond is the largest liability of any year (life of plan)
    assert r.bond_rub == max(r.liability_by_year_rub.values())
    assert r.liability_by_year_rub[r.bond_year] == r.bond_rub
    # the lean path of the Monte Carlo gives the same bond
    assert_allclose(compute_bond(project, tasks, years), r.bond_rub, rtol=RUB_RTOL)
    # money adds up
    assert_allclose(sum(c.amount_rub for c in r.lines), r.direct_rub, rtol=RUB_RTOL)
    assert_allclose(sum(r.by_year_rub.values()), r.total_rub, rtol=RUB_RTOL)
    for y in r.liability_years:
        assert_allclose(sum(y.direct_by_task_rub.values()) + y.mobilisation_rub, y.direct_rub)
    # the provision is below the undiscounted escalated spend once spend goes beyond year 1
    escalated_sum = sum(r.escalated_by_year_rub.values())
    if any(v > 0 for t, v in r.by_year_rub.items() if t > 2022):
        assert r.provision_rub < escalated_sum
    else:
        assert_allclose(r.provision_rub, escalated_sum, rtol=RUB_RTOL)
    # with flat indirect rates and work only ever done, the liability never rises faster
    # than escalation: L(t+1) <= (1 + e) L(t)
    ts = sorted(r.liability_by_year_rub)
    for a, b in itertools.pairwise(ts):
        bound = (1 + escalation / 100) * r.liability_by_year_rub[a]
        assert r.liability_by_year_rub[b] <= bound * (1 + RUB_RTOL)


# -- refusals ---------------------------------------------------------------------------------


def bad_rate(field, value):
    good = make_costs()
    rate = good.equipment["Truck"].model_copy(update={field: value})  # no validation
    return good.model_copy(update={"equipment": {**good.equipment, "Truck": rate}})


def bad_indirect(percent):
    good = make_costs()
    line = IndirectCost.model_construct(name="contingency", percent=percent, source="t")
    return good.model_copy(update={"indirect": [line]})


def bad_sourced(field, value):
    good = make_costs()
    return good.model_copy(update={field: Sourced.model_construct(value=value, source="t")})


@pytest.mark.parametrize(
    ("costs", "match"),
    [
        (
            bad_rate("owning_operating_rub_h", -5.0),
            r"costs\.equipment\[Truck\]\.owning_operating_rub_h must be >= 0 rub/h, got -5",
        ),
        (bad_rate("operator_rub_h", -1.0), r"operator_rub_h must be >= 0 rub/h, got -1"),
        (bad_rate("operator_rub_h", math.inf), r"operator_rub_h must be finite"),
        (bad_indirect(120.0), r"costs\.indirect\[contingency\]\.percent must be in \[0, 100\]"),
        (bad_indirect(-1.0), r"percent must be in \[0, 100\] %, got -1"),
        (bad_sourced("layer_material_rub_m3", -250.0), r"layer_material_rub_m3 must be >= 0"),
        (bad_sourced("mobilisation_rub", math.nan), r"mobilisation_rub must be >= 0"),
        (bad_sourced("escalation_percent_per_year", -3.0), r"escalation_percent_per_year"),
        (bad_sourced("discount_rate_percent", -1.0), r"discount_rate_percent must be >= 0"),
    ],
)
def test_direct_cost_lines_refuses_bad_rates(costs, match):
    with pytest.raises(ValueError, match=match):
        direct_cost_lines(costs, WORK, MATERIALS)
    with pytest.raises(ValueError, match=match):
        direct_cost_of(costs, [], [])


@pytest.mark.parametrize(
    ("work", "materials", "match"),
    [
        (
            [WorkItem("haul-waste", 2022, "Dragline", 10.0, 1.0)],
            [],
            r"no rates for machine model 'Dragline'.*priced models: \['Loader', 'Truck'\]",
        ),
        ([WorkItem("haul-waste", 2022, "Truck", -10.0, 1.0)], [], r"machine_hours must be >= 0"),
        ([WorkItem("haul-waste", 2022, "Truck", math.nan, 1.0)], [], r"machine_hours .* nan"),
        ([], [MaterialItem("seeding", 2022, "seed", 5.0, "kg")], r"material 'seed' in 'kg'"),
        ([], [MaterialItem("r", 2022, LAYER_MATERIAL, 5.0, "t")], r"has no rate"),
        ([], [MaterialItem("r", 2022, LAYER_MATERIAL, -5.0, "m3")], r"quantity must be >= 0"),
    ],
)
def test_direct_cost_lines_refuses_bad_items(work, materials, match):
    with pytest.raises(ValueError, match=match):
        direct_cost_lines(make_costs(), work, materials)
    with pytest.raises(ValueError, match=match):
        direct_cost_of(make_costs(), work, materials)


def test_escalation_and_present_value_refuse():
    with pytest.raises(ValueError, match=r"escalation_percent must be > -100 %/year, got -100"):
        escalation_factor(2025, 2022, -100.0)
    with pytest.raises(ValueError, match=r"discount_percent must be >= 0 %/year, got -2"):
        present_value({2022: 1.0}, -2.0, 2022)


@pytest.mark.parametrize(
    ("work", "years", "match"),
    [
        (
            [WorkItem("haul-waste", 2021, "Truck", 1.0, 1.0)],
            {"haul-waste": (2021, 2021)},
            r"work in 2021, before schedule\.start_year 2022",
        ),
        (
            [WorkItem("haul-waste", 2023, "Truck", 1.0, 1.0)],
            {"doze-waste": (2023, 2023)},
            r"'haul-waste' has work or materials but no years.*known activities: \['doze-waste'\]",
        ),
        (
            [WorkItem("haul-waste", 2030, "Truck", 1.0, 1.0)],
            {"haul-waste": (2022, 2025)},
            r"work in 2030, outside its years 2022-2025",
        ),
        ([], {"haul-waste": (2025, 2022)}, r"first year 2025 is after last year 2022"),
    ],
)
def test_compute_costs_refuses_inconsistent_schedule(abaza, work, years, match):
    with pytest.raises(ValueError, match=match):
        compute_costs(project_with(abaza, make_costs()), work, [], years)


@pytest.mark.parametrize(
    ("costs", "tasks", "match"),
    [
        (bad_indirect(101.0), TASKS, r"costs\.indirect\[contingency\]\.percent"),
        (
            make_costs(),
            [task("k", 1.0, {2022: 1.0}, [WorkItem("k", 0, "Dozer", 1.0, 1.0)])],
            r"'Dozer'",
        ),
        (
            make_costs(),
            [task("k", 1.0, {2022: 1.0}, [], [MaterialItem("k", 0, "lime", 1.0, "t")])],
            r"'lime'",
        ),
        (make_costs(), [task("k", 0.0, {2022: 0.0})], r"task 'k': quantity must be > 0"),
        (make_costs(), [FILL, FILL], r"two reclamation tasks are called 'void-fill'"),
        (
            make_costs(),
            [task("k", 1.0, {2022: -1.0}, [], [lump(1.0)])],
            r"task 'k': outstanding quantity in 2022 must be >= 0",
        ),
    ],
)
def test_compute_bond_and_costs_refuse_bad_tasks(abaza, costs, tasks, match):
    project = project_with(abaza, costs)
    with pytest.raises(ValueError, match=match):
        compute_bond(project, tasks, {}, None, TASK_YEARS)
    with pytest.raises(ValueError, match=match):
        compute_costs(project, [], [], {}, tasks=tasks, extra_years=TASK_YEARS)


def test_compute_costs_refuses_bad_percent(abaza):
    with pytest.raises(ValueError, match=r"costs\.indirect\[contingency\]\.percent"):
        compute_costs(project_with(abaza, bad_indirect(101.0)), WORK, MATERIALS, YEARS)
