"""The project engine checks the stability of the dump it designs (issue 17).

The factor of safety in the plan's findings is that of a direct call of the dump chain
(:func:`postmine.chains.dump.design_dump`) on the PR1 dump of the project; a weak dump rock
gives a violation; a rule set's ``min_dump_factor_of_safety`` replaces the default 1.3.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from numpy.testing import assert_allclose

from postmine.chains.dump import DEFAULT_REQUIRED_FACTOR, design_dump
from postmine.chains.dump_stability import Material
from postmine.project.dump_design import dump_allotment
from postmine.project.dump_stability import (
    DEFAULT_DUMP_ROCK,
    REQUIRED_FACTOR_LIMIT,
    check_dump_stability,
    project_rock,
    required_factor,
)
from postmine.project.engine import design
from postmine.project.rules import load_rule_set
from postmine.project.schema import ProjectFileError, parse_project, read_project

ROOT = Path(__file__).resolve().parents[2]
PR1 = ROOT / "examples" / "pr1-coal-pit" / "project.toml"
SAME_CALL_TOL = 1e-12  # the engine calls the same chain with the same inputs
FAST = 5  # grid points of the circle search where the search itself is not measured
WEAK = Material(2.0, 14.0, 19.0, "weak clayey spoil")


@pytest.fixture(scope="module")
def project():
    return read_project(PR1)


@pytest.fixture(scope="module")
def rules(project):
    return load_rule_set(project.rules.set)


def _by_code(findings):
    return {f.code: f for f in findings}


def test_the_plan_findings_hold_the_factor_of_a_direct_chain_call(project, rules) -> None:
    part = design(project, rules)
    found = _by_code(part.findings)
    land = dump_allotment(project.dump)
    direct = design_dump(
        land.overburden_volume_m3,
        land.dump.shape,
        DEFAULT_DUMP_ROCK,
        height=project.dump.dump_height_m,
        slope_angle=project.dump.dump_slope_angle_deg,
        flattened_angle=project.dump.flattened_slope_angle_deg,
        scheme=land.rational.scheme,
        check="both",
    )
    assert_allclose(
        found["dump-stability-working"].value, direct.working.factor_bishop, rtol=SAME_CALL_TOL
    )
    assert_allclose(
        found["dump-stability-flattened"].value, direct.final.factor_bishop, rtol=SAME_CALL_TOL
    )
    assert found["dump-stability-flattened"].limit == DEFAULT_REQUIRED_FACTOR
    assert found["dump-stability-flattened"].severity == "info"
    table = {t.key: t for t in part.tables}["dump_stability"]
    assert [r["slope"] for r in table.rows] == ["working", "flattened"]
    assert_allclose(table.rows[1]["factor_of_safety"], direct.final.factor_bishop, rtol=1e-12)


def test_a_weak_dump_rock_is_a_violation(project, rules) -> None:
    findings, tables = check_dump_stability(project, rules, WEAK, grid_points=FAST)
    found = _by_code(findings)
    flattened = found["dump-stability-flattened"]
    assert flattened.severity == "violation"
    assert flattened.value < DEFAULT_REQUIRED_FACTOR
    assert "below the required 1.3" in flattened.message["en"]
    assert "c' = 2 kPa, φ' = 14°" in flattened.message["en"]
    assert found["dump-stability-working"].severity == "warning"
    assert tables[0].rows[1]["stable"] is False


def test_the_rule_set_states_the_required_factor(project, tmp_path) -> None:
    path = tmp_path / "strict.toml"
    path.write_text(
        'id = "strict"\ntitle = "Strict"\nextends = "ru-781-2025"\n'
        f"[limits.{REQUIRED_FACTOR_LIMIT}]\nvalue = 2.5\n"
        'citation = "a stricter local rule for the test"\n',
        encoding="utf-8",
    )
    strict = load_rule_set(str(path))
    assert required_factor(strict) == (2.5, "a stricter local rule for the test")
    findings, _ = check_dump_stability(project, strict, grid_points=FAST)
    flattened = _by_code(findings)["dump-stability-flattened"]
    assert flattened.limit == 2.5
    assert flattened.severity == "violation"  # 2.25 < 2.5
    assert "a stricter local rule for the test" in flattened.message["en"]


def test_a_flattening_that_cannot_be_built_is_reported_not_checked(project, rules) -> None:
    # 004 Table 1.2 variant 12 (h_о = 99 m): bottom-up slopes at 18° meet below h*.
    dump = project.dump.model_copy(
        update={
            "pit_bottom_length_m": 1000.0,
            "pit_bottom_width_m": 120.0,
            "pit_depth_m": 120.0,
            "pit_slope_angle_deg": 36.0,
            "coal_bearing_ratio": 0.13,
            "dump_height_m": 99.0,
            "topsoil_stack_height_m": 10.0,
            "topsoil_thickness_m": 0.4,
            "base_shape": "circle",
            "flattening_scheme": "bottom-up",
        }
    )
    findings, tables = check_dump_stability(
        project.model_copy(update={"dump": dump}), rules, grid_points=FAST
    )
    assert [f.code for f in findings] == ["dump-stability-not-checked"]
    assert "slopes meet" in findings[0].message["en"]
    assert tables == []


def test_a_project_without_a_dump_is_refused(project, rules) -> None:
    with pytest.raises(ValueError, match=r"needs a project with a \[dump\] section"):
        check_dump_stability(project.model_copy(update={"dump": None}), rules)


def test_the_dump_rock_of_the_project_file_replaces_the_assumption(project, rules) -> None:
    weak = project.model_copy(
        update={
            "dump": project.dump.model_copy(
                update={
                    "rock_cohesion_kpa": WEAK.cohesion,
                    "rock_friction_angle_deg": WEAK.friction_angle,
                    "rock_unit_weight_kn_m3": WEAK.unit_weight,
                }
            )
        }
    )
    assert project_rock(weak.dump) == Material(2.0, 14.0, 19.0, "dump rock ([dump])")
    assert project_rock(project.dump) == DEFAULT_DUMP_ROCK
    from_file = _by_code(check_dump_stability(weak, rules, grid_points=FAST)[0])
    given = _by_code(check_dump_stability(project, rules, WEAK, grid_points=FAST)[0])
    for code in ("dump-stability-working", "dump-stability-flattened"):
        assert_allclose(from_file[code].value, given[code].value, rtol=SAME_CALL_TOL)
        assert "assumed" not in str(from_file[code].message)


def test_the_dump_rock_is_given_whole_or_not_at_all() -> None:
    data = tomllib.loads(PR1.read_text(encoding="utf-8"))
    data["dump"]["rock_cohesion_kpa"] = 10.0
    with pytest.raises(ProjectFileError, match="rock_friction_angle_deg"):
        parse_project(data)


def test_a_bad_setting_is_an_error_not_an_unchecked_slope(project, rules) -> None:
    # only a flattened slope that cannot be built is reported "not checked"; a wrong method
    # or search grid is the caller's error and says so
    with pytest.raises(ValueError, match="method"):
        check_dump_stability(project, rules, method="bishp", grid_points=FAST)
