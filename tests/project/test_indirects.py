"""Indirect costs on the SRCE sliding scales, with the project's own lines added or replacing."""

import math

import pytest
from numpy.testing import assert_allclose

from postmine.project.indirects import (
    IndirectLine,
    bracket_percent,
    indirect_lines,
    indirect_percent,
)
from postmine.project.rules import IndirectBracket, IndirectRule, load_rule_set

#: Rounding of the SRCE Cost Summary: whole dollars.
DOLLAR = 0.5
#: Rates are exact decimals; only float noise is allowed.
RATE_TOL = 1e-12

SRCE = load_rule_set("ru-781-2025").assurance.indirect
USD = 80.0  # rub/usd, illustrative


def _percents(direct_usd: float, rate: float = USD) -> dict[str, float]:
    return {line.name: line.percent for line in indirect_lines(SRCE, direct_usd * rate, rate)}


def test_filed_srce_cost_summary_to_the_dollar():
    # SRCE v1.4.1 Cost Summary, Colorado DRMS doc 1436006 p. 7: direct cost $234,415
    lines = {x.name: x for x in indirect_lines(SRCE, 234_415.0, 1.0)}  # 1 rub/usd: dollars
    printed = {
        "engineering, design and construction plan": 18_753,
        "contingency": 23_442,
        "performance bond": 7_032,
        "contractor profit": 23_442,
        "contract administration": 23_442,
        "government indirect cost": 4_923,
    }
    for name, amount in printed.items():
        assert_allclose(lines[name].amount_rub, amount, atol=DOLLAR, err_msg=name)
    # the printed total $102,384 includes insurance $1,350, which the rule set leaves to the
    # project file; with it as a project line the total is the printed one to the dollar
    # (each SRCE line is rounded to the dollar before summing)
    with_insurance = indirect_lines(
        SRCE, 234_415.0, 1.0, [("insurance", 1350 / 234_415 * 100, "q")]
    )
    assert_allclose(sum(round(x.amount_rub) for x in with_insurance), 102_384, atol=0)
    assert_allclose(234_415 + 102_384, 336_799, atol=0)  # the printed grand total


@pytest.mark.parametrize(
    ("direct_usd", "edc", "contingency"),
    [
        # ED&C 8 / 6 / 4 % at $1 M and $25 M; contingency 10 / 8 / 6 / 4 % at $0.5 M, $5 M, $50 M
        (0.0, 8, 10),
        (499_999, 8, 10),
        (500_000, 8, 10),  # up_to is inclusive
        (500_001, 8, 8),
        (999_999, 8, 8),
        (1_000_000, 8, 8),
        (1_000_001, 6, 8),
        (4_999_999, 6, 8),
        (5_000_001, 6, 6),
        (20_000_000, 6, 6),  # 1.6 bn rub at 80 rub/usd: about 6 % each
        (24_999_999, 6, 6),
        (25_000_001, 4, 6),
        (49_999_999, 4, 6),
        (50_000_001, 4, 4),
        (1e12, 4, 4),
    ],
)
def test_brackets_at_and_around_every_threshold(direct_usd, edc, contingency):
    got = _percents(direct_usd)
    assert_allclose(got["engineering, design and construction plan"], edc, atol=RATE_TOL)
    assert_allclose(got["contingency"], contingency, atol=RATE_TOL)
    assert_allclose(
        indirect_percent(SRCE, direct_usd * USD, USD),
        edc + contingency + 3 + 10 + 10 + 2.1,
        atol=RATE_TOL,
    )


def test_step_applies_to_the_whole_direct_cost():
    # a step, not tiers: $2 M takes 6 % of all of it (tiers would give 7 %)
    line = indirect_lines(SRCE, 2e6 * USD, USD)[0]
    assert_allclose(line.amount_rub, 0.06 * 2e6 * USD, rtol=RATE_TOL)
    assert "step scale" in line.source and "80 rub/usd" in line.source


def test_bracket_percent_function():
    assert bracket_percent([1e6, 25e6], [8, 6, 4], 234_415) == 8
    assert bracket_percent([1e6, 25e6], [8, 6, 4], 25e6) == 6
    assert bracket_percent([1e6, 25e6], [8, 6, 4], 25e6 + 1) == 4
    with pytest.raises(ValueError, match=r"percents must have one entry more than thresholds"):
        bracket_percent([1e6], [8, 6, 4], 1.0)
    with pytest.raises(ValueError, match=r"direct cost must be >= 0 and finite, got -1"):
        bracket_percent([1e6], [8, 6], -1)


def test_rub_thresholds_need_no_rate():
    rule = IndirectRule(
        "management",
        None,
        (IndirectBracket(1e8, 5), IndirectBracket(None, 3)),
        "rub",
        "illustrative",
    )
    assert_allclose(indirect_percent([rule], 1e8, None), 5, atol=RATE_TOL)
    assert_allclose(indirect_percent([rule], 1e8 + 1, None), 3, atol=RATE_TOL)


def test_project_lines_add_or_replace_by_name():
    extra = [
        ("Contingency", 15.0, "project's risk register"),  # replaces, case-insensitive
        ("insurance", 0.6, "broker's quote"),  # adds
    ]
    lines = indirect_lines(SRCE, 1.6e9, USD, extra)
    names = [x.name for x in lines]
    assert names == [
        "engineering, design and construction plan",
        "Contingency",  # in the rule set's place, with the project's name and source
        "performance bond",
        "contractor profit",
        "contract administration",
        "government indirect cost",
        "insurance",
    ]
    assert lines[1] == IndirectLine("Contingency", 15.0, "project's risk register", 0.15 * 1.6e9)
    assert_allclose(
        indirect_percent(SRCE, 1.6e9, USD, extra), 6 + 15 + 3 + 10 + 10 + 2.1 + 0.6, atol=RATE_TOL
    )
    assert_allclose(
        indirect_percent(SRCE, 1.6e9, USD, extra), math.fsum(x.percent for x in lines), atol=1e-9
    )


def test_without_a_rule_set_only_the_project_lines():
    lines = indirect_lines((), 1e6, None, [("engineering", 8.0, "s"), ("contingency", 10.0, "s")])
    assert [(x.name, x.percent, x.amount_rub) for x in lines] == [
        ("engineering", 8.0, 80_000.0),
        ("contingency", 10.0, 100_000.0),
    ]
    assert_allclose(indirect_percent((), 1e6, None), 0.0, atol=0)


@pytest.mark.parametrize(
    ("direct", "rate", "extra", "match"),
    [
        (1e6, None, (), r"costs\.usd_rate_rub is needed: indirect cost 'engineering, design"),
        (1e6, 0.0, (), r"costs\.usd_rate_rub must be > 0 rub/usd, got 0\.0"),
        (-1.0, USD, (), r"direct_rub must be >= 0 rub and finite, got -1\.0"),
        (math.nan, USD, (), r"direct_rub must be >= 0 rub and finite, got nan"),
        (1e6, USD, [("x", 120.0, "s")], r"costs\.indirect\[x\]\.percent must be in \[0, 100\] %"),
        (1e6, USD, [("x", 1.0, "")], r"costs\.indirect\[x\]\.source must name a source"),
        (1e6, USD, [("", 1.0, "s")], r"costs\.indirect\[0\]\.name must be a non-empty string"),
        (1e6, USD, [("x", 1.0, "s"), ("X ", 2.0, "s")], r"costs\.indirect\[X \] is given twice"),
    ],
)
def test_bad_input_is_refused(direct, rate, extra, match):
    with pytest.raises(ValueError, match=match):
        indirect_lines(SRCE, direct, rate, extra)
    with pytest.raises(ValueError, match=match):
        indirect_percent(SRCE, direct, rate, extra)
