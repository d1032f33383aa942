"""Property test over random plans: the liability of each state and the staged release.

Acceptance (issue 10): no milestone releases money while its physical state has not been
reached; the amount held is never below the remaining liability. Random reclamation tasks
(outstanding quantities that never grow, some never reaching 0), random rates and escalation
(0-30 %/year), random milestones on random subsets of the physical states (some states never
reached), through the real costing (:func:`compute_costs`) and :func:`release_schedule`.
"""

import math
from pathlib import Path

import numpy as np
import pytest
from numpy.testing import assert_allclose

from postmine.project.assurance import release_schedule
from postmine.project.assurance_schema import STATES, Milestone
from postmine.project.costing import LAYER_MATERIAL, compute_bond, compute_costs
from postmine.project.model import MaterialItem, ReclamationTask, WorkItem
from postmine.project.rules import load_rule_set
from postmine.project.schema import Costs, EquipmentRate, Schedule, Sourced, read_project

ROOT = Path(__file__).resolve().parents[2]
ABAZA = ROOT / "examples" / "abaza" / "project.toml"

#: Sums and products of floats only: relative rounding.
RUB_RTOL = 1e-12
START = 2022
MODELS = ("Loader", "Truck", "Dozer")
TIERS = (400.0, 410.0, 420.0)
RU_800 = load_rule_set("ru-800-2018")  # life of plan, SRCE sliding scales in usd


@pytest.fixture(scope="module")
def abaza():
    return read_project(ABAZA)


def _sourced(value):
    return Sourced(value=value, source="random")


def random_costs(rng):
    return Costs(
        equipment={
            m: EquipmentRate(
                owning_operating_rub_h=float(rng.uniform(0, 1e4)),
                operator_rub_h=float(rng.uniform(0, 2e3)),
                source="random",
            )
            for m in MODELS
        },
        layer_material_rub_m3=_sourced(float(rng.uniform(0, 1e3))),
        mobilisation_rub=_sourced(float(rng.uniform(0, 5e6))),
        escalation_percent_per_year=_sourced(float(rng.uniform(0, 30))),
        discount_rate_percent=_sourced(float(rng.uniform(0, 15))),
        usd_rate_rub=_sourced(float(rng.uniform(50, 120))),
    )


def random_tasks(rng):
    """1-4 tasks, each over its own span of years, outstanding never growing."""
    tasks = []
    for k in range(int(rng.integers(1, 5))):
        quantity = float(rng.uniform(1, 1e6))
        first = START + int(rng.integers(0, 6))
        n_years = int(rng.integers(1, 25))
        shares = np.sort(rng.uniform(0, 1, n_years))[::-1]
        shares[0] = max(shares[0], float(rng.uniform(0.5, 1)))
        if rng.random() < 0.6:
            shares[-1] = 0.0  # reclaimed within the plan; otherwise some is left
        outstanding = {first + i: quantity * float(s) for i, s in enumerate(shares)}
        work = [
            WorkItem(f"t{k}", 0, str(rng.choice(MODELS)), float(rng.uniform(0, 1e4)), 0.0)
            for _ in range(int(rng.integers(0, 3)))
        ]
        materials = []
        if rng.random() < 0.5:
            materials.append(
                MaterialItem(f"t{k}", 0, LAYER_MATERIAL, float(rng.uniform(0, 1e5)), "m3")
            )
        if rng.random() < 0.5:
            materials.append(MaterialItem(f"t{k}", 0, "fee", float(rng.uniform(0, 1e7)), "rub"))
        tasks.append(
            ReclamationTask(
                f"t{k}",
                {"en": f"t{k}", "ru": f"t{k}"},
                quantity,
                "m³",
                work,
                materials,
                outstanding,
                {"en": "random", "ru": "random"},
            )
        )
    return tasks


def random_milestones(rng):
    states = sorted(STATES)
    count = int(rng.integers(1, 6))
    percents = rng.dirichlet(np.ones(count)) * float(rng.uniform(30, 100))
    milestones = []
    for i, p in enumerate(percents):
        chosen = rng.choice(states, size=int(rng.integers(1, 4)), replace=False)
        level = float(rng.choice(TIERS)) if rng.random() < 0.25 else None
        milestones.append(
            Milestone(
                name=f"m{i}",
                requires=[str(s) for s in chosen],
                void_level_m=level,
                years_after=int(rng.integers(0, 7)),
                release_percent=float(p),
                evidence="random",
            )
        )
    return milestones


def expected_year(m, state_years, void_levels):
    """Milestone year computed here, apart from the code under test; none if not reached."""
    years = []
    for s in m.requires:
        if s not in state_years:
            return None
        years.append(state_years[s])
    if m.void_level_m is not None:
        if m.void_level_m not in void_levels:
            return None
        years.append(void_levels[m.void_level_m])
    return max(years) + m.years_after


def random_plan(abaza, seed):
    rng = np.random.default_rng(seed)
    project = abaza.model_copy(
        update={"costs": random_costs(rng), "schedule": Schedule(start_year=START)}
    )
    tasks = random_tasks(rng)
    state_years = {s: START + int(rng.integers(0, 30)) for s in STATES if rng.random() < 0.7}
    void_levels = {t: START + int(rng.integers(0, 20)) for t in TIERS if rng.random() < 0.6}
    milestones = random_milestones(rng)
    rules = RU_800 if rng.random() < 0.5 else None
    task_years = [t for task in tasks for t in task.outstanding]
    extra = task_years + list(state_years.values()) if rng.random() < 0.7 else task_years[:1]
    held_factor = 1.0 if rng.random() < 0.5 else float(rng.uniform(1.0, 1.5))  # P80 above it
    return project, tasks, state_years, void_levels, milestones, rules, extra, held_factor


@pytest.mark.parametrize("seed", range(40))
def test_release_never_before_the_state_nor_below_the_liability(abaza, seed):
    project, tasks, state_years, void_levels, milestones, rules, extra, held_factor = random_plan(
        abaza, seed
    )
    cost = compute_costs(project, [], [], {}, tasks=tasks, rules=rules, extra_years=extra)
    liability = cost.liability_by_year_rub
    last_year = max(liability)
    # life of plan: the bond is the largest liability of any state; the lean path agrees
    assert cost.bond_rub == max(liability.values())
    assert_allclose(compute_bond(project, tasks, {}, rules, extra), cost.bond_rub, rtol=RUB_RTOL)
    if rules is None:  # no indirect lines at all: L_t = k_e(t) D_t
        e = project.costs.escalation_percent_per_year.value
        for y in cost.liability_years:
            assert_allclose(y.liability_rub, (1 + e / 100) ** (y.year - START) * y.direct_rub)

    held_start = cost.bond_rub * held_factor
    result = release_schedule(
        milestones, cost, state_years, void_levels, held_start, "P80", list(TIERS)
    )
    assert result.bond_rub == held_start
    assert len(result.releases) == len(milestones)
    by_name = {m.name: m for m in milestones}
    held = held_start
    released_total = 0.0
    seen_unreached = False
    for r in result.releases:
        m = by_name[r.name]
        year = expected_year(m, state_years, void_levels)
        assert r.reached == (year is not None)
        if not r.reached:
            # no money while the state is not reached; listed after every reached one
            seen_unreached = True
            assert r.year is None and r.released_rub == 0.0 and not r.capped
            assert r.held_after_rub == held
            continue
        assert not seen_unreached
        assert r.year == year
        assert r.year >= max([state_years[s] for s in m.requires] or [0]) + m.years_after
        # the remaining liability: the largest of the states after the milestone, or the
        # state the plan leaves when the milestone is after the last year
        later = [v for t, v in liability.items() if t > r.year]
        assert r.remaining_liability_rub == (max(later) if later else liability[last_year])
        # the amount held never falls below it, nor below any later year's liability
        assert r.held_after_rub >= r.remaining_liability_rub * (1 - RUB_RTOL)
        for v in later:
            assert r.held_after_rub >= v * (1 - RUB_RTOL)
        assert r.released_rub >= 0.0
        assert_allclose(
            held - r.released_rub, r.held_after_rub, rtol=RUB_RTOL, atol=1e-9 * held_start
        )
        held = r.held_after_rub
        released_total += r.released_rub
    years = [r.year for r in result.releases if r.reached]
    assert years == sorted(years)
    # never more than the shares of the milestones reached, of the amount held at the start
    reached_share = sum(by_name[r.name].release_percent for r in result.releases if r.reached)
    assert released_total <= reached_share / 100 * held_start * (1 + RUB_RTOL)
    # once the plan's last state costs nothing, every reached share is out by the last one
    if (
        years
        and all(v == 0.0 for t, v in liability.items() if t > years[-1])
        and (liability[last_year] == 0.0)
    ):
        assert_allclose(released_total, reached_share / 100 * held_start, rtol=1e-9)


ROLLING = """
id = "rolling-property"
title = "rolling review of two years"
extends = "ru-800-2018"

[assurance]
review = "rolling"
review_years = 2
review_citation = "test"
"""


@pytest.mark.parametrize("seed", range(10))
def test_rolling_review_releases_nothing_while_a_later_state_is_uncovered(abaza, tmp_path, seed):
    # under a rolling review the bond covers the next years only; a later, larger liability
    # may exceed it, and then nothing may be released
    path = tmp_path / "rolling.toml"
    path.write_text(ROLLING, encoding="utf-8")
    rolling = load_rule_set(str(path))
    project, tasks, state_years, void_levels, milestones, _, extra, _ = random_plan(abaza, seed)
    cost = compute_costs(project, [], [], {}, tasks=tasks, rules=rolling, extra_years=extra)
    in_review = [y.liability_rub for y in cost.liability_years if y.in_review]
    assert cost.bond_rub == max(in_review)
    result = release_schedule(milestones, cost, state_years, void_levels)
    held = cost.bond_rub
    for r in result.releases:
        if r.reached and held < r.remaining_liability_rub:
            assert r.released_rub == 0.0
        elif r.reached:
            assert r.held_after_rub >= r.remaining_liability_rub * (1 - RUB_RTOL)
        held = r.held_after_rub
        assert math.isfinite(held) and held >= 0.0
