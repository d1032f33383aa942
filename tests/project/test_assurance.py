"""Staged release of the assurance at physical milestones: dates, the cap, refusals.

Hand examples: the arithmetic is in the comments, the numbers are exact up to float rounding.
"""

import pytest
from numpy.testing import assert_allclose
from pydantic import ValidationError

from postmine.project.assurance import (
    milestone_year,
    milestones_of,
    release_schedule,
    remaining_liability,
)
from postmine.project.assurance_schema import STATES, Milestone
from postmine.project.model import CostResult
from postmine.project.rules import PHYSICAL_STATES, load_rule_set

RUB_RTOL = 1e-12  # plain sums and products of the numbers below

STATE_YEARS = {"void-fill": 2030, "surface-planning": 2031, "reclamation-layer": 2033}


def cost_with(liability, bond=None):
    bond = max(liability.values(), default=0.0) if bond is None else bond
    year = max(liability, key=liability.get) if liability else 0
    return CostResult([], 0.0, [], 0.0, 0.0, {}, {}, liability, bond, year, 0.0, {}, [])


def milestone(name, requires, percent, years_after=0, void_level_m=None):
    return Milestone(
        name=name,
        requires=list(requires),
        void_level_m=void_level_m,
        release_percent=percent,
        years_after=years_after,
        evidence=f"evidence of {name}",
    )


# the examples' three milestones: 60 % backfill and planning, 25 % layer, 15 % five years later
ABAZA_LIKE = [
    milestone("backfill and planning", ["void-fill", "surface-planning"], 60),
    milestone("layer", ["reclamation-layer"], 25),
    milestone("five years", ["reclamation-layer"], 15, years_after=5),
]


# -- milestone_year ----------------------------------------------------------------------------


def test_milestone_year_last_state_plus_waiting_years():
    both = milestone("m", ["void-fill", "surface-planning"], 10)
    assert milestone_year(both, STATE_YEARS) == 2031  # the later of 2030 and 2031
    waiting = milestone("m", ["reclamation-layer", "void-fill"], 10, years_after=5)
    assert milestone_year(waiting, STATE_YEARS) == 2038  # 2033 + 5


def test_milestone_year_older_form():
    old = Milestone(
        name="old",
        after_activity="reclamation-layer",
        liability_years_after=3,
        release_percent=10,
        evidence="e",
    )
    assert old.required_states == ["reclamation-layer"] and old.wait_years == 3
    assert milestone_year(old, STATE_YEARS) == 2036  # 2033 + 3


def test_milestone_year_void_levels():
    levels = {400.0: 2026, 410.0: 2028}
    tiers = [400.0, 410.0, 420.0]
    level = milestone("to 410 m", [], 10, years_after=1, void_level_m=410.0)
    assert milestone_year(level, STATE_YEARS, levels, tiers) == 2029  # 2028 + 1
    # with a state as well: the later of the two
    assert milestone_year(milestone("x", ["void-fill"], 10, 0, 400.0), STATE_YEARS, levels) == 2030
    # a tier the plan does not fill, or no levels at all: not reached
    assert milestone_year(milestone("x", [], 10, 0, 420.0), STATE_YEARS, levels, tiers) is None
    assert milestone_year(level, STATE_YEARS) is None


def test_milestone_year_not_reached():
    assert milestone_year(milestone("m", ["revegetation"], 10), STATE_YEARS) is None
    assert milestone_year(milestone("m", ["void-fill", "revegetation"], 10), STATE_YEARS) is None
    assert milestone_year(milestone("m", ["void-fill"], 10, years_after=3), {}) is None


def test_milestone_year_refusals():
    with pytest.raises(
        ValueError,
        match=r"milestone 'x': void_level_m = 415 m is not the elevation of a tier of the void; "
        r"tiers: \['400', '410'\] m",
    ):
        milestone_year(milestone("x", [], 10, void_level_m=415.0), {}, {400.0: 2030}, [400, 410])
    unknown = Milestone.model_construct(
        name="x",
        requires=["seeding"],
        void_level_m=None,
        years_after=0,
        release_percent=10.0,
        evidence="e",
        after_activity=None,
        liability_years_after=None,
    )
    with pytest.raises(
        ValueError, match=r"milestone 'x' requires 'seeding', which is not a physical state"
    ):
        milestone_year(unknown, STATE_YEARS)


@pytest.mark.parametrize(
    ("fields", "match"),
    [
        ({"requires": ["seeding"]}, r"requires 'seeding', which is not a physical state"),
        ({"after_activity": "haul-waste"}, r"requires 'haul-waste', which is not a physical"),
        ({"requires": []}, r"give the state it requires"),
        (
            {"requires": ["void-fill"], "years_after": 2, "liability_years_after": 2},
            r"give years_after or liability_years_after, not both",
        ),
        ({"requires": ["void-fill"], "release_percent": 120}, r"release_percent"),
    ],
)
def test_milestone_schema_refusals(fields, match):
    spec = {"name": "m", "release_percent": 10, "evidence": "e", **fields}
    with pytest.raises(ValidationError, match=match):
        Milestone(**spec)


def test_milestones_of_project_or_rule_set():
    rules = load_rule_set("ru-800-2018")
    assert milestones_of(ABAZA_LIKE, rules) == ABAZA_LIKE
    assert milestones_of([], None) == []
    phases = milestones_of([], rules)
    assert [(m.required_states, m.wait_years, m.release_percent) for m in phases] == [
        (["void-fill", "surface-planning"], 0, 60.0),
        (["reclamation-layer"], 0, 25.0),
        (["reclamation-layer"], 5, 15.0),
    ]
    assert all(m.evidence.endswith(")") for m in phases)  # the evidence with its citation


# -- remaining_liability -----------------------------------------------------------------------


def test_remaining_liability_edges():
    cost = cost_with({2030: 90.0, 2031: 60.0, 2032: 30.0})
    assert remaining_liability(cost, 2030) == 60.0  # the largest liability ahead
    assert remaining_liability(cost, 2025) == 90.0  # before the works: all of it
    # after the last year the state the plan leaves persists: its liability stays
    assert remaining_liability(cost, 2032) == 30.0
    assert remaining_liability(cost, 2040) == 30.0
    assert remaining_liability(cost_with({2030: 90.0, 2031: 0.0}), 2040) == 0.0
    assert remaining_liability(cost_with({}), 2030) == 0.0
    with pytest.raises(ValueError, match=r"cost has a bond but no liability_by_year_rub"):
        remaining_liability(cost_with({}, bond=10.0), 2030)


# -- release_schedule --------------------------------------------------------------------------


def test_release_hand_example():
    # bond 1000 rub; liability of the state of 2032: 300, of 2033: 120, of 2034: nothing
    cost = cost_with({2031: 1000.0, 2032: 300.0, 2033: 120.0, 2034: 0.0})
    result = release_schedule(ABAZA_LIKE, cost, STATE_YEARS)
    assert result.bond_rub == 1000.0 and result.basis == "deterministic"
    got = [(r.name, r.year, r.state_year, r.reached, r.capped) for r in result.releases]
    assert got == [
        ("backfill and planning", 2031, 2031, True, False),  # void 2030, planning 2031
        ("layer", 2033, 2033, True, False),
        ("five years", 2038, 2033, True, False),  # five years after 2033
    ]
    assert result.releases[0].requires == ["void-fill", "surface-planning"]
    # 2031: due 60 % of 1000 = 600; largest liability ahead 300, so up to 700 may go:
    #       600 released, 400 held
    # 2033: due 25 % = 250; nothing ahead: 250 released, 150 held
    # 2038: due 15 % = 150: released, nothing held
    assert_allclose([r.released_rub for r in result.releases], [600, 250, 150], rtol=RUB_RTOL)
    assert_allclose([r.held_after_rub for r in result.releases], [400, 150, 0], atol=1e-9)
    assert_allclose(
        [r.remaining_liability_rub for r in result.releases], [300, 0, 0], rtol=RUB_RTOL
    )


def test_cap_binds_and_the_withheld_part_follows():
    # bond 1000; the plan's last state (2033) still costs 100 and persists after it
    cost = cost_with({2031: 1000.0, 2032: 700.0, 2033: 100.0})
    r1, r2, r3 = release_schedule(ABAZA_LIKE, cost, STATE_YEARS).releases
    # 2031: due 600, allowed 1000 - 700 = 300 -> 300 released, capped, 700 held
    assert_allclose([r1.released_rub, r1.held_after_rub], [300, 700], rtol=RUB_RTOL)
    assert r1.capped and r1.remaining_liability_rub == 700.0
    # 2033: due 850 - 300 = 550 (25 % + the 300 withheld); the state of 2033 persists (100):
    #       allowed 700 - 100 = 600 -> 550 released, 150 held
    assert_allclose([r2.released_rub, r2.held_after_rub], [550, 150], rtol=RUB_RTOL)
    assert not r2.capped and r2.remaining_liability_rub == 100.0
    # 2038: due 150, allowed 150 - 100 = 50 -> 50 released, capped, 100 stays held
    assert_allclose([r3.released_rub, r3.held_after_rub], [50, 100], rtol=RUB_RTOL)
    assert r3.capped and r3.remaining_liability_rub == 100.0
    # once the plan reclaims the last state (2034: nothing), the last 15 % all goes
    done = cost_with({2031: 1000.0, 2032: 700.0, 2033: 100.0, 2034: 0.0})
    r3 = release_schedule(ABAZA_LIKE, done, STATE_YEARS).releases[2]
    assert_allclose([r3.released_rub, r3.held_after_rub], [150, 0], atol=1e-9)
    assert not r3.capped


def test_cap_covers_a_later_larger_liability():
    # escalation outpaces the work: the liability rises from 300 (2032) to 500 (2033)
    cost = cost_with({2031: 1000.0, 2032: 300.0, 2033: 500.0, 2034: 0.0})
    r1 = release_schedule(ABAZA_LIKE, cost, STATE_YEARS).releases[0]
    # 2031: due 600; the largest liability ahead is 500, so only 1000 - 500 = 500 may go
    assert_allclose([r1.released_rub, r1.held_after_rub], [500, 500], rtol=RUB_RTOL)
    assert r1.capped and r1.remaining_liability_rub == 500.0


def test_unreached_milestone_releases_nothing_and_does_not_count():
    # no revegetation in the plan: its 30 % is never due; the layer gets its own 25 % only
    ms = [
        milestone("vegetation", ["revegetation"], 30),
        milestone("layer", ["reclamation-layer"], 25),
        milestone("backfill", ["void-fill"], 40),
    ]
    cost = cost_with({2030: 1000.0, 2031: 200.0, 2034: 0.0})
    result = release_schedule(ms, cost, STATE_YEARS)
    got = [(r.name, r.year, r.state_year, r.reached) for r in result.releases]
    assert got == [
        ("backfill", 2030, 2030, True),
        ("layer", 2033, 2033, True),
        ("vegetation", None, None, False),  # not reached: after the reached ones
    ]
    # 2030: 40 % = 400, allowed 1000 - 200 = 800: 400, 600 held; 2033: 25 % = 250, nothing
    # ahead: 250, 350 held; the vegetation's 30 % stays held
    assert_allclose([r.released_rub for r in result.releases], [400, 250, 0], rtol=RUB_RTOL)
    assert_allclose([r.held_after_rub for r in result.releases], [600, 350, 350], rtol=RUB_RTOL)
    assert not result.releases[2].capped
    assert result.releases[2].released_rub == 0.0
    # its remaining liability is that of the state the plan leaves
    assert result.releases[2].remaining_liability_rub == 0.0


def test_void_level_milestone_in_the_schedule():
    ms = [milestone("to 410 m", [], 50, void_level_m=410.0), milestone("full", ["void-fill"], 50)]
    cost = cost_with({2027: 1000.0, 2028: 600.0, 2029: 400.0, 2030: 300.0, 2031: 0.0})
    result = release_schedule(ms, cost, STATE_YEARS, {400.0: 2027, 410.0: 2028}, None, "P80")
    # 2028: due 500, allowed 1000 - 400 = 600: 500, 500 held; 2030: due 500, nothing ahead
    assert [(r.name, r.year, r.basis) for r in result.releases] == [
        ("to 410 m", 2028, "P80"),
        ("full", 2030, "P80"),
    ]
    assert result.releases[0].requires == ["void-level 410 m"]
    assert_allclose([r.released_rub for r in result.releases], [500, 500], rtol=RUB_RTOL)
    with pytest.raises(ValueError, match=r"void_level_m = 410 m is not the elevation of a tier"):
        release_schedule(ms, cost, STATE_YEARS, {400.0: 2027}, tier_elevations=[400.0, 420.0])


def test_releases_in_year_order_ties_in_file_order():
    ms = [
        milestone("late", ["reclamation-layer"], 10, years_after=2),
        milestone("first", ["surface-planning"], 20),
        milestone("tie-a", ["reclamation-layer"], 10),
        milestone("tie-b", ["reclamation-layer"], 10),
    ]
    rel = release_schedule(ms, cost_with({2031: 100.0, 2032: 50.0, 2033: 0.0}), STATE_YEARS)
    assert [(r.name, r.year) for r in rel.releases] == [
        ("first", 2031),
        ("tie-a", 2033),
        ("tie-b", 2033),
        ("late", 2035),
    ]
    assert rel.releases[0].evidence == "evidence of first"


def test_partial_release_total_keeps_the_rest_held():
    ms = [milestone("only", ["reclamation-layer"], 40)]
    (r,) = release_schedule(ms, cost_with({2031: 500.0, 2032: 0.0}), STATE_YEARS).releases
    assert_allclose([r.released_rub, r.held_after_rub], [200, 300], rtol=RUB_RTOL)  # 40 % of 500


def test_no_milestones_and_zero_bond():
    assert release_schedule([], cost_with({2031: 5.0}), STATE_YEARS).releases == []
    result = release_schedule(ABAZA_LIKE, cost_with({}), STATE_YEARS)
    assert [r.released_rub for r in result.releases] == [0.0, 0.0, 0.0]


def test_held_above_the_bond_p80():
    # P80 1200 above the bond 1000: the shares are of 1200. 2031: 60 % = 720, allowed
    # 1200 - 300 = 900: 720, 480 held; 2033: 25 % = 300, 180 held; 2038: 15 % = 180, 0 held
    cost = cost_with({2031: 1000.0, 2032: 300.0, 2033: 120.0, 2034: 0.0})
    result = release_schedule(ABAZA_LIKE, cost, STATE_YEARS, held_rub=1200.0, basis="P80")
    assert result.bond_rub == 1200.0 and result.basis == "P80"
    assert {r.basis for r in result.releases} == {"P80"}
    assert_allclose([r.released_rub for r in result.releases], [720, 300, 180], rtol=RUB_RTOL)
    assert_allclose([r.held_after_rub for r in result.releases], [480, 180, 0], atol=1e-9)


def test_held_below_the_bond_refused():
    cost = cost_with({2031: 1000.0, 2032: 300.0})
    with pytest.raises(ValueError, match=r"the assurance held \(900 rub\) is below the bond"):
        release_schedule(ABAZA_LIKE, cost, STATE_YEARS, held_rub=900.0)
    with pytest.raises(ValueError, match=r"must be >= 0 rub and finite, got -1"):
        release_schedule(ABAZA_LIKE, cost_with({}, bond=-1.0), STATE_YEARS)
    with pytest.raises(ValueError, match=r"must be >= 0 rub and finite, got nan"):
        release_schedule(ABAZA_LIKE, cost, STATE_YEARS, held_rub=float("nan"))


def test_percentages_above_100_refused():
    def raw(name, percent):
        return Milestone.model_construct(
            name=name,
            requires=["void-fill"],
            void_level_m=None,
            years_after=0,
            release_percent=percent,
            evidence="e",
            after_activity=None,
            liability_years_after=None,
        )

    cost = cost_with({2031: 1.0})
    with pytest.raises(ValueError, match=r"release_percent adds up to 110 %, above 100 %"):
        release_schedule([raw("a", 70.0), raw("b", 40.0)], cost, STATE_YEARS)
    with pytest.raises(ValueError, match=r"milestone 'big': release_percent must be in \(0, 100\]"):
        release_schedule([raw("big", 120.0)], cost, STATE_YEARS)
    with pytest.raises(
        ValueError, match=r"milestone 'zero': release_percent must be in \(0, 100\]"
    ):
        release_schedule([raw("zero", 0.0)], cost, STATE_YEARS)


def test_every_state_is_known_to_the_schema():
    # the states a milestone may require include every rule-set phase state
    assert set(PHYSICAL_STATES) <= set(STATES)
