"""Costing: direct lines, indirect costs, escalation, liability by year, bond and provision.

No source prints a cost for these works (003 gives none), so the checks are hand computations
with the arithmetic in the comments, and properties of the bond and the provision.
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
    escalation_factor,
    indirect_costs,
    liability_by_year,
    present_value,
)
from postmine.project.model import MaterialItem, WorkItem
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

INDIRECT = [  # 8 + 10 + 3 + 10 + 10 + 2 = 43 % of direct (SRCE's lines, as in the example)
    ("engineering", 8.0),
    ("contingency", 10.0),
    ("performance bond", 3.0),
    ("contractor profit", 10.0),
    ("contract administration", 10.0),
    ("government indirect", 2.0),
]


def make_costs(escalation=6.0, discount=10.0, mobilisation=1_500_000.0, indirect=INDIRECT):
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
    lump = [MaterialItem("fencing", 2025, "fence", 250_000.0, "rub")]
    (mob, fence) = direct_cost_lines(make_costs(), [], lump)
    assert (mob.year, mob.category, fence.category, fence.quantity_unit) == (
        2025,
        "mobilisation",
        "materials",
        "rub",
    )
    assert_allclose(fence.amount_rub, 250_000.0, rtol=RUB_RTOL)  # 250 000 x 1 rub/rub
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
    # the same bond as when the costing adds the mobilisation itself
    years = {**YEARS, MOBILISATION: (2022, 2022)}
    project = project_with(abaza, make_costs())
    r = compute_costs(project, WORK, [mob, layer], years)
    assert_allclose(r.bond_rub, MARKUP * DIRECT, rtol=RUB_RTOL)
    assert_allclose(compute_bond(project, WORK, [mob, layer], years), r.bond_rub, rtol=RUB_RTOL)
    assert_allclose(
        list(r.liability_by_year_rub.values()),
        list(compute_costs(project, WORK, MATERIALS, YEARS).liability_by_year_rub.values()),
        rtol=RUB_RTOL,
    )


def test_indirect_costs_each_line():
    lines = indirect_costs(make_costs(), 1_000_000.0)
    assert [(d["name"], d["percent"], d["source"]) for d in lines] == [
        (n, p, "t") for n, p in INDIRECT
    ]
    # 8 % of 1 000 000 = 80 000; 10 % = 100 000; 3 % = 30 000; ...
    assert_allclose(
        [d["amount_rub"] for d in lines],
        [80_000, 100_000, 30_000, 100_000, 100_000, 20_000],
        rtol=RUB_RTOL,
    )


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

    # liability at the start of each year, at that year's prices, mobilisation always in:
    #   2022: 1.43 x (18.25 + 18.25 + 5.675 + 1.5) M = 62 455 250
    #   2023: 1.06 x 1.43 x (18.25 + 5.675 + 1.5) M = 38 539 215
    #   2024: 1.06² x 1.43 x (5.675 + 1.5) M = 11 528 416.9
    liability = [
        MARKUP * DIRECT,
        1.06 * MARKUP * (WORK_2022 + WORK_2024 + MOB),
        1.06**2 * MARKUP * (WORK_2024 + MOB),
    ]
    assert_allclose(list(r.liability_by_year_rub.values()), liability, rtol=RUB_RTOL)
    assert r.bond_year == 2022
    assert_allclose(r.bond_rub, MARKUP * DIRECT, rtol=RUB_RTOL)
    bond = compute_bond(project_with(abaza, make_costs()), WORK, MATERIALS, YEARS)
    assert_allclose(bond, MARKUP * DIRECT, rtol=RUB_RTOL)

    # provision: 28 242 500 + 27 663 350 / 1.1 + 9 118 294.9 / 1.1² = 60 926 781.7
    provision = escalated[0] + escalated[1] / 1.1 + escalated[2] / 1.1**2
    assert_allclose(r.provision_rub, provision, rtol=RUB_RTOL)
    assert r.percentiles_rub == {} and r.samples_rub == []
    assert r.sources["costs.equipment[Truck]"] == "t"
    assert "costs.indirect[contingency]" in r.sources


def test_bond_year_moves_later_when_escalation_outpaces_the_work():
    # 100 rub of work a year for 3 years at 60 %/year: 300; 1.6 x 200 = 320; 1.6² x 100 = 256
    got = liability_by_year({2022: 100, 2023: 100, 2024: 100}, 0, 0, 2022, 60.0, range(2022, 2026))
    assert_allclose(list(got.values()), [300.0, 320.0, 256.0, 0.0], rtol=RUB_RTOL)


def test_bond_year_later_in_compute_costs(abaza):
    costs = make_costs(escalation=60.0, mobilisation=0.0, indirect=[])
    work = [WorkItem("doze-waste", y, "Loader", 100.0, 1.0) for y in (2022, 2023, 2024)]
    r = compute_costs(project_with(abaza, costs), work, [], {"doze-waste": (2022, 2024)})
    # 5550 rub/h x 100 h = 555 000 a year: 1 665 000; 1.6 x 1 110 000 = 1 776 000; ...
    assert r.bond_year == 2023
    assert_allclose(r.bond_rub, 1.6 * 2 * 555_000, rtol=RUB_RTOL)


def test_price_base_year_before_start(abaza):
    # prices of 2020, works from 2022: everything escalates by 1.06² at 2022
    work = [WorkItem("doze-waste", 2022, "Loader", 100.0, 1.0)]
    r = compute_costs(
        project_with(abaza, make_costs(indirect=[]), start=2022, base=2020),
        work,
        [],
        {"doze-waste": (2022, 2022)},
    )
    direct = 100 * 5550 + MOB  # 2 055 000
    assert_allclose(r.direct_rub, direct, rtol=RUB_RTOL)
    assert_allclose(r.bond_rub, 1.06**2 * direct, rtol=RUB_RTOL)
    assert_allclose(r.provision_rub, 1.06**2 * direct, rtol=RUB_RTOL)  # start year: no discount


def test_years_cover_schedule_gaps_and_activity_tail(abaza):
    work = [
        WorkItem("haul-waste", 2022, "Loader", 10.0, 1.0),
        WorkItem("haul-waste", 2025, "Loader", 10.0, 1.0),
    ]
    years = {"haul-waste": (2022, 2025), "monitoring": (2026, 2027)}
    r = compute_costs(project_with(abaza, make_costs()), work, [], years)
    assert list(r.by_year_rub) == list(range(2022, 2028))
    assert r.by_year_rub[2023] == 0.0 and r.liability_by_year_rub[2027] == 0.0
    assert r.liability_by_year_rub[2024] > 0  # the 2025 work is still to do


def test_no_work_gives_zero_bond(abaza):
    r = compute_costs(project_with(abaza, make_costs()), [], [], {})
    assert r.lines == [] and r.bond_year == 2022
    assert_allclose([r.bond_rub, r.provision_rub, r.direct_rub], 0.0, atol=0)


def random_work(rng, start):
    n_years = int(rng.integers(1, 40))
    work = []
    for year in range(start, start + n_years):
        for model in ("Loader", "Truck"):
            if rng.random() < 0.8:
                work.append(WorkItem("haul-waste", year, model, float(rng.uniform(0, 3000)), 0.0))
    work.append(WorkItem("haul-waste", start, "Loader", 1.0, 0.0))
    return work, {"haul-waste": (start, start + n_years - 1)}


@pytest.mark.parametrize("seed", range(30))
def test_properties_of_bond_and_provision(abaza, seed):
    rng = np.random.default_rng(seed)
    escalation = float(rng.uniform(0, 12))
    discount = escalation + float(rng.uniform(0.5, 10))  # discount above escalation
    costs = make_costs(escalation=escalation, discount=discount)
    work, years = random_work(rng, 2022)
    r = compute_costs(project_with(abaza, costs), work, [], years)
    # the bond is the largest liability of any year
    assert all(r.bond_rub >= v for v in r.liability_by_year_rub.values())
    assert r.bond_rub == max(r.liability_by_year_rub.values())
    # the lean path of the Monte Carlo gives the same bond
    assert_allclose(
        compute_bond(project_with(abaza, costs), work, [], years), r.bond_rub, rtol=1e-12
    )
    # money adds up
    assert_allclose(sum(c.amount_rub for c in r.lines), r.direct_rub, rtol=1e-12)
    assert_allclose(sum(r.by_year_rub.values()), r.total_rub, rtol=1e-12)
    assert_allclose(r.liability_by_year_rub[2022], r.total_rub, rtol=1e-12)  # base = start
    # the provision is below the undiscounted escalated spend once spend goes beyond year 1
    escalated_sum = sum(r.escalated_by_year_rub.values())
    if any(v > 0 for t, v in r.by_year_rub.items() if t > 2022):
        assert r.provision_rub < escalated_sum
    else:
        assert_allclose(r.provision_rub, escalated_sum, rtol=1e-12)
    # liability never rises faster than escalation: L(t+1) <= (1 + e) L(t)
    ts = sorted(r.liability_by_year_rub)
    for a, b in itertools.pairwise(ts):
        assert r.liability_by_year_rub[b] <= (1 + escalation / 100) * r.liability_by_year_rub[a] * (
            1 + 1e-12
        )


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


def test_indirect_costs_refuses():
    with pytest.raises(ValueError, match=r"percent must be in \[0, 100\] %, got 150"):
        indirect_costs(bad_indirect(150.0), 1.0)
    with pytest.raises(ValueError, match=r"direct_rub must be >= 0 rub, got -1"):
        indirect_costs(make_costs(), -1.0)


def test_escalation_and_present_value_refuse():
    with pytest.raises(ValueError, match=r"escalation_percent must be > -100 %/year, got -100"):
        escalation_factor(2025, 2022, -100.0)
    with pytest.raises(ValueError, match=r"discount_percent must be >= 0 %/year, got -2"):
        present_value({2022: 1.0}, -2.0, 2022)


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (({2022: -1.0}, 0.0, 0.0, 2022, 6.0, [2022]), r"direct_by_year_rub\[2022\] must be >= 0"),
        (({2022: 1.0}, -1.0, 0.0, 2022, 6.0, [2022]), r"mobilisation_rub must be >= 0 rub"),
        (({2022: 1.0}, 0.0, -5.0, 2022, 6.0, [2022]), r"indirect_percent must be >= 0 %"),
        (({2022: 1.0}, 0.0, 0.0, 2022, -101.0, [2022]), r"escalation_percent must be > -100"),
    ],
)
def test_liability_by_year_refuses(args, match):
    with pytest.raises(ValueError, match=match):
        liability_by_year(*args)


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
    with pytest.raises(ValueError, match=match):
        compute_bond(project_with(abaza, make_costs()), work, [], years)


@pytest.mark.parametrize(
    ("costs", "work", "materials", "match"),
    [
        (bad_indirect(101.0), WORK, MATERIALS, r"costs\.indirect\[contingency\]\.percent"),
        (make_costs(), [WorkItem("haul-waste", 2022, "Dozer", 1.0, 1.0)], [], r"'Dozer'"),
        (make_costs(), [], [MaterialItem("haul-waste", 2022, "lime", 1.0, "t")], r"'lime'"),
    ],
)
def test_compute_bond_refuses(abaza, costs, work, materials, match):
    with pytest.raises(ValueError, match=match):
        compute_bond(project_with(abaza, costs), work, materials, YEARS)


def test_compute_costs_refuses_bad_percent(abaza):
    with pytest.raises(ValueError, match=r"costs\.indirect\[contingency\]\.percent"):
        compute_costs(project_with(abaza, bad_indirect(101.0)), WORK, MATERIALS, YEARS)
