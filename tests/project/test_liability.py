"""The liability of each year's state: a tiny project by hand, the Abaza crater, the borrow fill."""

import json
import tomllib
from pathlib import Path

import pytest
import tomli_w
from numpy.testing import assert_allclose

from postmine.project.backfill.state import VOID_FILL, borrow_fill_recipe, open_void_by_year
from postmine.project.liability import (
    bond_over_review,
    done_share_before,
    liability_years,
    outstanding_at,
)
from postmine.project.model import ReclamationTask, WorkItem, text
from postmine.project.plan import plan
from postmine.project.schema import read_project

ROOT = Path(__file__).resolve().parents[2]
ABAZA = ROOT / "examples" / "abaza" / "project.toml"

RUB = 0.5  # to the rouble: the hand numbers below are exact sums and products


def _tiny(tmp_path: Path) -> Path:
    """A void of 2 500 m³ filled at 1 000 m³ a year, priced so that every year is a hand sum.

    Machines cost nothing; the layer is 1 000 m³ of material at 100 rub/m³; the open void is
    made safe (a fence, 1 000 m x 500 rub, and 10 signs x 2 000 rub = 520 000 rub); a site
    office (300 000 rub) is removed in 2034; mobilisation 100 000 rub; 10 % indirect (the
    project's own line: the rule set has none); 10 %/year escalation from 2030.
    """
    d = tomllib.loads(ABAZA.read_text(encoding="utf-8"))
    d["rules"] = {"set": "rules.toml"}
    d["schedule"] = {"start_year": 2030}
    d["project"]["price_base_year"] = 2030
    d["void"] = {
        "kind": "pit",
        "remaining_capacity_m3": 2500.0,
        "repose_angle_deg": 36.0,
        "stability_angle_deg": 37.0,
        "max_tier_height_m": 20.0,
        "bottom_elevation_m": 640.0,
        "top_elevation_m": 660.0,
        "tiers": [{"elevation_m": 650.0}],
    }
    d["waste_streams"] = [
        {"name": "Rock", "annual_mass_t": 2000.0, "bulk_density_t_m3": 2.0, "factor": 1.0,
         "factor_kind": "loosening", "hazard_class": 5}
    ]  # fmt: skip
    d["planning"] = {"area_m2": 1000.0, "specific_volume_m3_m2": 0.1}
    d["reclamation_layer"] = {
        "area_m2": 2000.0, "thickness_m": 0.5, "imported_volume_m3": 1000.0,
        "haul_distance_km": 30.0,
    }  # fmt: skip
    for rate in d["costs"]["equipment"].values():
        rate["owning_operating_rub_h"] = rate["operator_rub_h"] = 0
    d["costs"]["layer_material_rub_m3"] = {"value": 100, "source": "test"}
    d["costs"]["mobilisation_rub"] = {"value": 100_000, "source": "test"}
    d["costs"]["indirect"] = [{"name": "contingency", "percent": 10, "source": "test"}]
    d["costs"]["escalation_percent_per_year"] = {"value": 10, "source": "test"}
    d["costs"].pop("usd_rate_rub", None)
    d["uncertainty"] = []
    d["assurance"] = {
        "void_treatment": "make-safe",
        "make_safe": [
            {"name": "fence", "quantity": 1000, "unit": "m", "rate_rub": 500, "source": "t"},
            {"name": "signs", "quantity": 10, "unit": "piece", "rate_rub": 2000, "source": "t"},
        ],
        "structures": [
            {
                "name": "site office",
                "quantity": 1,
                "unit": "lump",
                "rate_rub": 300_000,
                "source": "t",
                "removed_year": 2034,
            }
        ],
        "revegetation": {"seasons": 2},
    }
    d["milestones"] = [
        {"name": "filled", "requires": ["void-fill"], "release_percent": 50, "evidence": "s"},
        {"name": "layer", "requires": ["reclamation-layer", "structures-removed"],
         "release_percent": 30, "evidence": "act"},
        {"name": "vegetation", "requires": ["revegetation"], "years_after": 1,
         "release_percent": 20, "evidence": "monitoring"},
    ]  # fmt: skip
    (tmp_path / "rules.toml").write_text('id = "tiny"\ntitle = "tiny test rules"\n')
    path = tmp_path / "project.toml"
    path.write_bytes(tomli_w.dumps(d).encode())
    return path


def test_tiny_project_liability_by_hand(tmp_path):
    r = plan(_tiny(tmp_path))
    assert r.cost is not None and r.assurance is not None
    # 1 000 m³ a year into 2 500 m³: full during 2032; planning and layer in 2033
    assert r.activity_years["haul-waste"] == (2030, 2032)
    assert r.activity_years["reclamation-layer"] == (2033, 2033)
    by_year = {y.year: y for y in r.cost.liability_years}
    # state of 2030-2032: void open (520 000) + layer (100 000) + office (300 000) + mob
    #   D = 1 020 000; L = D x 1.1 x 1.1^(t - 2030)
    # state of 2033: void full; layer still to place (done by the end of 2033) + office + mob
    #   D = 500 000; L = 500 000 x 1.1 x 1.331
    # state of 2034: office (removed by the end of 2034) + mob: 400 000 x 1.1 x 1.4641
    # from 2035: nothing left
    hand = {2030: 1_122_000.0, 2031: 1_234_200.0, 2032: 1_357_620.0, 2033: 732_050.0,
            2034: 644_204.0, 2035: 0.0}  # fmt: skip
    for year, liability in hand.items():
        assert abs(by_year[year].liability_rub - liability) <= RUB, year
    assert by_year[2033].outstanding == {
        "void-make-safe": 0.0,
        "surface-planning": 1000.0,
        "reclamation-layer": 1000.0,
        "structure:site office": 1.0,
    }
    assert abs(r.cost.bond_rub - 1_357_620.0) <= RUB and r.cost.bond_year == 2032
    # releases: filled (end of 2032): 50 % due = 678 810, but 732 050 must stay held for
    # 2033, so 1 357 620 - 732 050 = 625 570 is released (capped); layer + office removed
    # (2034): 80 % - 625 570 = 460 526; vegetation 2033 + 2 seasons + 1 year = 2036: the rest
    got = [(x.year, round(x.released_rub), round(x.held_after_rub), x.capped)
           for x in r.assurance.releases]  # fmt: skip
    assert got == [(2032, 625_570, 732_050, True), (2034, 460_526, 271_524, False),
                   (2036, 271_524, 0, False)]  # fmt: skip


def test_tiny_project_json_shows_state_and_liability(tmp_path):
    data = json.loads(json.dumps(plan(_tiny(tmp_path)).to_dict()))
    year = data["cost"]["liability_years"][3]
    assert year["year"] == 2033 and year["outstanding"]["reclamation-layer"] == 1000.0
    assert [t["key"] for t in data["cost"]["tasks"]] == [
        "void-make-safe",
        "surface-planning",
        "reclamation-layer",
        "structure:site office",
    ]


@pytest.fixture(scope="module")
def abaza_plan():
    return plan(ABAZA)


def test_abaza_prices_the_state_not_future_operations(abaza_plan):
    cost = abaza_plan.cost
    keys = {t["key"] for t in cost.tasks}
    assert keys == {"void-fill", "surface-planning", "reclamation-layer"}
    assert not keys & {"haul-waste", "doze-waste", "mobilisation"}
    # every year's liability is the sum of its state's tasks at their unit costs
    unit = {t["key"]: t["unit_cost_rub"] for t in cost.tasks}
    for y in cost.liability_years:
        direct = sum(q * unit[k] for k, q in y.outstanding.items()) + y.mobilisation_rub
        assert_allclose(y.direct_rub, direct, rtol=1e-12)
        assert_allclose(
            y.liability_rub,
            y.escalation_factor * direct * (1 + y.indirect_percent / 100),
            rtol=1e-12,
        )


def test_abaza_unfilled_remainder_is_priced_after_the_limit(abaza_plan):
    # 003: 15 years x 512.3 thousand m³ = 7 684.5 of 27 000: 19 315.5 thousand m³ stay open
    by_year = {y.year: y for y in abaza_plan.cost.liability_years}
    for year in range(2037, max(by_year) + 1):
        assert by_year[year].outstanding["void-fill"] == pytest.approx(19_315_500, abs=1_000)
        assert by_year[year].liability_rub > 0
    # the crater never fills, so no milestone that needs it (or the final surface) is reached
    assert all(not r.reached and r.released_rub == 0 for r in abaza_plan.assurance.releases)
    assert "void-left-open" in [f.code for f in abaza_plan.findings]


def test_open_void_by_year_abaza(abaza_plan):
    from postmine.project.backfill.base import DesignInputs, time_limit
    from postmine.project.backfill.calendar_plan import compute_backfill
    from postmine.project.rules import load_rule_set

    p = read_project(ABAZA)
    rules = load_rule_set(p.rules.set)
    assert p.void is not None
    backfill = compute_backfill(DesignInputs(p, p.void, rules, time_limit(p, rules)))
    open_m3 = open_void_by_year(backfill, range(2022, 2040))
    assert open_m3[2022] == 27_000_000  # the whole void at the start of the first year
    # Table 5: 512.3 thousand m³ a year in the dump (unrounded 512.28)
    assert open_m3[2023] == pytest.approx(27_000_000 - 512_300, abs=100)
    assert open_m3[2037] == open_m3[2039] == pytest.approx(27_000_000 - 7_684_500, abs=1_500)


def test_borrow_fill_recipe_reproduces_003_outputs():
    # the borrow at 2 km with the waste rock of 003 is the 003 haulage itself: loader
    # Q_эсв = 1283 m³/shift (Table 8), trucks Н_в = 260 (BelAZ) and 182 (KamAZ) m³/shift
    # (Table 11), bulldozer П_см = 1473 m³/shift (Table 14), K_з = 0.7 (Table 15)
    from postmine.project.backfill.base import DesignInputs, time_limit
    from postmine.project.backfill.calendar_plan import compute_backfill
    from postmine.project.backfill.fleet import compute_fleet
    from postmine.project.rules import load_rule_set

    p = read_project(ABAZA)
    assert p.void is not None and p.assurance.borrow is not None
    rules = load_rule_set(p.rules.set)
    inputs = DesignInputs(p, p.void, rules, time_limit(p, rules))
    fleet = compute_fleet(inputs, compute_backfill(inputs))
    borrow = p.assurance.borrow.model_copy(update={"haul_distance_km": 2.0})
    work, materials = borrow_fill_recipe(inputs, fleet, borrow, 1.08e6)  # 1e6 m³ in situ
    hours = {w.equipment: w.machine_hours for w in work}
    # 003 prints the outputs to 1 m³/shift: relative tolerance 0.5 / output; Q_эсв is
    # weighted from the printed 1340 and 1198 (each +-0.5) and printed again: 1.0 / 1283
    assert_allclose(hours["SDLG L975F"], 1e6 / 1283 * 8, rtol=1.0 / 1283)
    assert_allclose(hours["BelAZ-75404"], 0.6e6 / 260 * 8, rtol=0.5 / 260)
    assert_allclose(hours["KamAZ-6520"], 0.4e6 / 182 * 8, rtol=0.5 / 182)
    assert_allclose(hours["T-170"], 0.7 * 1.08e6 / 1473 * 8, rtol=0.5 / 1473)
    assert materials[0].unit == "rub" and materials[0].quantity == pytest.approx(30 * 1e6)
    assert {w.activity for w in work} == {VOID_FILL}


def test_fill_without_borrow_is_refused(tmp_path):
    d = tomllib.loads(ABAZA.read_text(encoding="utf-8"))
    del d["assurance"]["borrow"]
    d["uncertainty"] = [u for u in d["uncertainty"] if "borrow" not in u["input"]]
    path = tmp_path / "p.toml"
    path.write_bytes(tomli_w.dumps(d).encode())
    with pytest.raises(ValueError, match=r"assurance\.borrow: a third party must fill"):
        plan(path)


def test_done_share_and_outstanding_at():
    w = [WorkItem("a", 2030, "T-170", 30.0, 0.0), WorkItem("a", 2031, "T-170", 10.0, 0.0)]
    assert done_share_before(w, [2029, 2030, 2031, 2032]) == {
        2029: 0.0, 2030: 0.0, 2031: 0.75, 2032: 1.0,
    }  # fmt: skip
    assert done_share_before([], [2030]) == {2030: 0.0}
    t = ReclamationTask("k", text("", ""), 10.0, "m³", [], [], {2030: 10.0, 2031: 4.0},
                        text("", ""))  # fmt: skip
    assert [outstanding_at(t, y) for y in (2029, 2030, 2031, 2035)] == [10.0, 10.0, 4.0, 4.0]


def test_liability_years_sliding_indirect_and_review():
    t = ReclamationTask("fill", text("", ""), 100.0, "m³", [], [],
                        {2030: 100.0, 2031: 60.0, 2032: 0.0}, text("", ""))  # fmt: skip
    # 10 % up to a direct cost of 500 rub, 5 % above (a step scale)
    ys = liability_years([t], {"fill": 10.0}, [2030, 2031, 2032], 50.0,
                         lambda d: 10.0 if d <= 500 else 5.0, 2030, 0.0,
                         review_years=[2031, 2032])  # fmt: skip
    assert [y.direct_rub for y in ys] == [1050.0, 650.0, 0.0]
    assert [y.indirect_percent for y in ys] == [5.0, 5.0, 0.0]
    assert [y.liability_rub for y in ys] == [1102.5, 682.5, 0.0]
    assert bond_over_review(ys) == (682.5, 2031)  # 2030 is outside the rolling review


@pytest.mark.parametrize(
    ("bad", "match"),
    [
        ({"fill": -1.0}, r"unit cost of task 'fill' must be >= 0"),
        ({}, r"reclamation task 'fill' has no unit cost"),
    ],
)
def test_liability_years_refuses(bad, match):
    t = ReclamationTask("fill", text("", ""), 1.0, "m³", [], [], {2030: 1.0}, text("", ""))
    with pytest.raises(ValueError, match=match):
        liability_years([t], bad, [2030], 0.0, lambda d: 0.0, 2030, 0.0)


def test_rule_set_tier_height_limit_refuses_spacing(tmp_path):
    from postmine.project.schema import ProjectFileError

    rules = tmp_path / "rules.toml"
    rules.write_text(
        'id = "tight"\ntitle = "tight"\nextends = "ru-800-2018"\n'
        '[limits.max_tier_height_m]\nvalue = 25\ncitation = "test: 25 m tiers"\n'
    )
    d = tomllib.loads(ABAZA.read_text(encoding="utf-8"))
    d["rules"] = {"set": str(rules)}
    path = tmp_path / "p.toml"
    path.write_bytes(tomli_w.dumps(d).encode())
    # the first tier +650 is 55 m above the bottom +595, above the rule set's 25 m
    with pytest.raises(ProjectFileError, match=r"void\.tiers\[0\]\.elevation_m.*<= rule set tight"):
        plan(path)


def test_rule_set_p80_basis_is_held_and_released(tmp_path):
    path = _tiny(tmp_path)
    (tmp_path / "rules.toml").write_text(
        'id = "tiny-p80"\ntitle = "tiny"\n[assurance]\namount = "P80"\n'
        'amount_citation = "test"\nreview = "life-of-plan"\nreview_citation = "test"\n'
    )
    d = tomllib.loads(path.read_text(encoding="utf-8"))
    d["uncertainty"] = [
        {"input": "costs.escalation_percent_per_year.value", "distribution": "triangular",
         "low": 5, "high": 20, "source": "test"}
    ]  # fmt: skip
    d["simulation"] = {"samples": 50, "seed": 1}
    path.write_bytes(tomli_w.dumps(d).encode())
    r = plan(path)
    assert r.cost is not None and r.assurance is not None
    p80 = r.cost.percentiles_rub["P80"]
    assert r.cost.assurance_basis == "P80" and r.assurance.basis == "P80"
    assert p80 > r.cost.bond_rub  # escalation range skewed upwards from the 10 % base
    assert r.cost.assurance_rub == p80 == r.assurance.bond_rub
    assert r.cost.deterministic_percentile is not None and r.cost.deterministic_percentile < 80
    released = sum(x.released_rub for x in r.assurance.releases)
    assert released == pytest.approx(p80, rel=1e-12)  # 100 % promised, all work done


def test_pr1_dump_as_built_is_priced():
    r = plan(ROOT / "examples" / "pr1-coal-pit" / "project.toml")
    assert r.cost is not None and r.assurance is not None
    tasks = {t["key"]: t for t in r.cost.tasks}
    # the topsoil stripping ahead of the dump is an operation of the mining, not a liability
    assert set(tasks) == {"slope-flattening", "surface-planning", "topsoil-spreading"}
    q = tasks["slope-flattening"]["quantity"]
    by_year = {y.year: y.outstanding for y in r.cost.liability_years}
    # 10 mining years from 2026: the dump as built by the end of year t is (t - 2025) / 10
    assert by_year[2026]["slope-flattening"] == pytest.approx(q / 10, rel=1e-12)
    assert by_year[2030]["slope-flattening"] == pytest.approx(q / 2, rel=1e-12)
    assert by_year[2035]["slope-flattening"] == by_year[2036]["slope-flattening"] == q
    assert r.cost.bond_year == 2036  # the whole dump built, nothing reclaimed yet
    assert [x.reached for x in r.assurance.releases] == [True, True, True]
    for x in r.assurance.releases:
        assert x.held_after_rub >= x.remaining_liability_rub


def test_changing_a_fixed_input_moves_the_percentiles(tmp_path):
    # issue 10: a range no longer replaces the project's value; its mode is that value
    def run(km: float) -> dict[str, float]:
        d = tomllib.loads(ABAZA.read_text(encoding="utf-8"))
        d["assurance"]["borrow"]["haul_distance_km"] = km
        (spec,) = [u for u in d["uncertainty"] if u["input"].endswith("borrow.haul_distance_km")]
        spec.update({"low": 2.5, "high": 5.0})
        d["simulation"] = {"samples": 40, "seed": 7}
        path = tmp_path / f"p{km}.toml"
        path.write_bytes(tomli_w.dumps(d).encode())
        r = plan(path)
        assert r.cost is not None
        return r.cost.percentiles_rub

    near, far = run(3.0), run(4.5)
    for key in ("P50", "P80", "P90"):
        assert far[key] > near[key] * 1.01, key  # a longer borrow haul costs more
