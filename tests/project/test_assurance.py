"""Staged release of the bond: milestone years, the cap at the remaining liability, refusals."""

from pathlib import Path

import numpy as np
import pytest
from numpy.testing import assert_allclose

from postmine.project.assurance import milestone_year, release_schedule, remaining_liability
from postmine.project.costing import compute_costs
from postmine.project.model import CostResult, WorkItem
from postmine.project.schema import Milestone, read_project

ROOT = Path(__file__).resolve().parents[2]
ABAZA = ROOT / "examples" / "abaza" / "project.toml"

RUB_RTOL = 1e-12  # plain sums and products of the numbers below


@pytest.fixture(scope="module")
def abaza():
    return read_project(ABAZA)


def cost_with(liability, bond=None):
    bond = max(liability.values(), default=0.0) if bond is None else bond
    year = max(liability, key=liability.get) if liability else 0
    return CostResult([], 0.0, [], 0.0, 0.0, {}, {}, liability, bond, year, 0.0, {}, [])


def milestone(name, after, percent, years_after=0):
    return Milestone(
        name=name,
        after_activity=after,
        release_percent=percent,
        evidence=f"evidence of {name}",
        liability_years_after=years_after,
    )


def with_milestones(project, milestones):
    return project.model_copy(update={"milestones": milestones})


YEARS = {
    "haul-waste": (2022, 2030),
    "surface-planning": (2031, 2031),
    "reclamation-layer": (2032, 2033),
}


def test_milestone_year(abaza):
    assert milestone_year("surface-planning", 0, YEARS) == 2031
    assert milestone_year("reclamation-layer", 5, YEARS) == 2038  # 2033 + 5


def test_abaza_milestones_hand_example(abaza):
    # bond 1000 rub; liability at the start of 2032: 300, of 2033: 120, of 2034: nothing
    cost = cost_with({2031: 1000.0, 2032: 300.0, 2033: 120.0, 2034: 0.0})
    result = release_schedule(abaza, cost, YEARS)
    got = [(r.name[:20], r.year, r.capped) for r in result.releases]
    assert got == [
        ("Backfill and regradi", 2031, False),  # after surface-planning, end of 2031
        ("Reclamation layer pl", 2033, False),  # after reclamation-layer, end of 2033
        ("Liability period wit", 2038, False),  # five years after 2033
    ]
    # 2031: due 60 % of 1000 = 600; remaining = liability at the start of 2032 = 300, so up
    #       to 1000 - 300 = 700 may go: 600 released, 400 held (the cap does not bind)
    # 2033: due 25 % = 250; nothing remains: 250 released, 150 held
    # 2038: due 15 % = 150: released, nothing held
    assert_allclose([r.released_rub for r in result.releases], [600, 250, 150], rtol=RUB_RTOL)


def test_cap_binds_and_the_withheld_part_follows(abaza):
    # bond 1000; remaining after 2031 = 700 (liability at the start of 2032)
    cost = cost_with({2031: 1000.0, 2032: 700.0, 2033: 100.0})
    r1, r2, r3 = release_schedule(abaza, cost, YEARS).releases
    # 2031: due 600, allowed 1000 - 700 = 300 -> 300 released, capped, 700 held
    assert_allclose([r1.released_rub, r1.held_after_rub], [300, 700], rtol=RUB_RTOL)
    assert r1.capped and r1.remaining_liability_rub == 700.0
    # 2033: due 850 - 300 = 550 (25 % + the 300 withheld); nothing remains: 550, 150 held
    assert_allclose([r2.released_rub, r2.held_after_rub], [550, 150], rtol=RUB_RTOL)
    assert not r2.capped and r2.remaining_liability_rub == 0.0
    # 2038: the last 15 %: 150, nothing held
    assert_allclose([r3.released_rub, r3.held_after_rub], [150, 0], atol=1e-9)


def test_cap_covers_a_later_larger_liability(abaza):
    # escalation outpaces the work: the liability rises from 300 (2032) to 500 (2033)
    cost = cost_with({2031: 1000.0, 2032: 300.0, 2033: 500.0})
    r1 = release_schedule(abaza, cost, YEARS).releases[0]
    # 2031: due 600; the largest liability ahead is 500, so only 1000 - 500 = 500 may go
    assert_allclose([r1.released_rub, r1.held_after_rub], [500, 500], rtol=RUB_RTOL)
    assert r1.capped and r1.remaining_liability_rub == 500.0


def test_releases_in_year_order_ties_in_file_order(abaza):
    ms = [
        milestone("late", "reclamation-layer", 10, years_after=2),
        milestone("first", "surface-planning", 20),
        milestone("tie-a", "reclamation-layer", 10),
        milestone("tie-b", "reclamation-layer", 10),
    ]
    cost = cost_with({2031: 100.0, 2032: 50.0})
    rel = release_schedule(with_milestones(abaza, ms), cost, YEARS).releases
    assert [(r.name, r.year) for r in rel] == [
        ("first", 2031),
        ("tie-a", 2033),
        ("tie-b", 2033),
        ("late", 2035),
    ]
    assert rel[0].evidence == "evidence of first"


def test_partial_release_total_keeps_the_rest_held(abaza):
    ms = [milestone("only", "reclamation-layer", 40)]
    (r,) = release_schedule(with_milestones(abaza, ms), cost_with({2031: 500.0}), YEARS).releases
    assert_allclose([r.released_rub, r.held_after_rub], [200, 300], rtol=RUB_RTOL)  # 40 % of 500


def test_no_milestones_and_zero_bond(abaza):
    assert (
        release_schedule(with_milestones(abaza, []), cost_with({2031: 5.0}), YEARS).releases == []
    )
    result = release_schedule(abaza, cost_with({}), YEARS)
    assert [r.released_rub for r in result.releases] == [0.0, 0.0, 0.0]


def test_remaining_liability_edges():
    cost = cost_with({2030: 90.0, 2031: 60.0, 2032: 30.0})
    assert remaining_liability(cost, 2030) == 60.0  # work of 2031 on, the largest ahead
    assert remaining_liability(cost, 2032) == 0.0  # after the last year
    assert remaining_liability(cost, 2025) == 90.0  # before the works: all of it
    assert remaining_liability(cost_with({}), 2030) == 0.0


@pytest.mark.parametrize("seed", range(40))
def test_held_never_below_remaining_liability(abaza, seed):
    # random works, escalation and milestones through the real costing
    rng = np.random.default_rng(seed)
    n_years = int(rng.integers(2, 30))
    activities = ["haul-waste", "surface-planning", "reclamation-layer"]
    cuts = np.sort(rng.choice(np.arange(2022, 2022 + n_years), size=2))
    spans = {
        "haul-waste": (2022, int(cuts[0])),
        "surface-planning": (int(cuts[0]), int(cuts[1])),
        "reclamation-layer": (int(cuts[1]), 2022 + n_years - 1),
    }
    work = [
        WorkItem(a, y, "T-170", float(rng.uniform(0, 2000)), 0.0)
        for a, (y0, y1) in spans.items()
        for y in range(y0, y1 + 1)
    ]
    costs = abaza.costs.model_copy(
        update={
            "escalation_percent_per_year": abaza.costs.escalation_percent_per_year.model_copy(
                update={"value": float(rng.uniform(0, 40))}
            )
        }
    )
    percents = rng.dirichlet(np.ones(4)) * float(rng.uniform(50, 100))
    ms = [
        milestone(f"m{i}", str(rng.choice(activities)), float(p), int(rng.integers(0, 4)))
        for i, p in enumerate(percents)
    ]
    project = abaza.model_copy(update={"costs": costs, "milestones": ms})
    cost = compute_costs(project, work, [], spans)
    result = release_schedule(project, cost, spans)
    held = cost.bond_rub
    released = 0.0
    for r in result.releases:
        assert r.held_after_rub >= r.remaining_liability_rub * (1 - 1e-12)
        # ... and so above the liability of every later year, not only the next one
        for year, liability in cost.liability_by_year_rub.items():
            if year > r.year:
                assert r.held_after_rub >= liability * (1 - 1e-12)
        assert r.released_rub >= 0
        assert_allclose(held - r.released_rub, r.held_after_rub, rtol=1e-12)
        held = r.held_after_rub
        released += r.released_rub
    assert released <= cost.bond_rub * sum(percents) / 100 * (1 + 1e-12)
    # once all work is done the whole promised share is out (withheld parts follow)
    if result.releases[-1].remaining_liability_rub == 0:
        assert_allclose(released, cost.bond_rub * sum(percents) / 100, rtol=1e-9)


# -- refusals ---------------------------------------------------------------------------------


def test_unknown_activity_names_milestone_and_known_activities(abaza):
    ms = [milestone("Revegetation accepted", "revegetation", 30)]
    with pytest.raises(
        ValueError,
        match=r"milestone 'Revegetation accepted' follows activity 'revegetation'.*"
        r"known activities: \['haul-waste', 'reclamation-layer', 'surface-planning'\]",
    ):
        release_schedule(with_milestones(abaza, ms), cost_with({2031: 1.0}), YEARS)


def test_milestone_year_refusals():
    with pytest.raises(ValueError, match=r"milestone 'x' follows activity 'seeding'"):
        milestone_year("seeding", 0, YEARS, "x")
    with pytest.raises(ValueError, match=r"liability_years_after must be >= 0 year, got -1"):
        milestone_year("haul-waste", -1, YEARS, "x")


def test_percentages_above_100_refused(abaza):
    over = [
        Milestone.model_construct(
            name=n,
            after_activity="haul-waste",
            release_percent=p,
            evidence="e",
            liability_years_after=0,
        )
        for n, p in (("a", 70.0), ("b", 40.0))
    ]
    with pytest.raises(ValueError, match=r"release_percent adds up to 110 %, above 100 %"):
        release_schedule(with_milestones(abaza, over), cost_with({2031: 1.0}), YEARS)
    single = [
        Milestone.model_construct(
            name="big",
            after_activity="haul-waste",
            release_percent=120.0,
            evidence="e",
            liability_years_after=0,
        )
    ]
    with pytest.raises(ValueError, match=r"milestone 'big': release_percent must be in \(0, 100\]"):
        release_schedule(with_milestones(abaza, single), cost_with({2031: 1.0}), YEARS)


def test_bond_below_a_liability_refused(abaza):
    with pytest.raises(ValueError, match=r"bond_rub 50 is below the liability of 2032"):
        release_schedule(abaza, cost_with({2031: 40.0, 2032: 80.0}, bond=50.0), YEARS)
    with pytest.raises(ValueError, match=r"bond_rub must be >= 0 rub and finite, got -1"):
        release_schedule(abaza, cost_with({}, bond=-1.0), YEARS)


def test_remaining_liability_refuses_bond_without_liability():
    with pytest.raises(ValueError, match=r"cost has a bond but no liability_by_year_rub"):
        remaining_liability(cost_with({}, bond=10.0), 2030)
