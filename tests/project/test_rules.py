"""Rule sets: shipped, cited, extendable by a user's file."""

import datetime as dt
import re

import pytest

from postmine.project.rules import default_assurance, list_rule_sets, load_rule_set


def test_shipped_rule_sets():
    assert list_rule_sets() == ["ru-781-2025", "ru-800-2018", "us-smcra-osmre"]
    old = load_rule_set("ru-800-2018")
    new = load_rule_set("ru-781-2025")
    # 003 sec. 3.1 and sec. 5 cite п. 28 of the Rules (Decree No. 800): at most 15 years
    assert old.limit("max_technical_years").value == 15
    assert "п. 28" in old.limit("max_technical_years").citation
    assert old.limit("start_deadline_months").value is None  # not in the available sources
    assert new.limit("max_technical_years").value == 15
    assert new.limit("start_deadline_months").value == 8
    assert new.limit("start_deadline_months_far_north").value == 18
    assert old.superseded_by == "ru-781-2025"
    assert old.applies_on(dt.date(2022, 1, 1)) and not old.applies_on(dt.date(2025, 9, 1))
    assert new.applies_on(dt.date(2025, 9, 1)) and not new.applies_on(dt.date(2025, 8, 31))


def test_user_rule_set_extends_a_shipped_one(tmp_path):
    path = tmp_path / "regional.toml"
    path.write_text(
        'id = "ru-781-2025-khakassia"\n'
        'title = "Regional practice"\n'
        'extends = "ru-781-2025"\n'
        "[limits.max_technical_years]\n"
        "value = 10\n"
        'citation = "regional order, illustrative"\n'
    )
    rules = load_rule_set("regional.toml", tmp_path)
    assert rules.limit("max_technical_years").value == 10
    assert rules.limit("start_deadline_months").value == 8  # inherited
    assert rules.limit("no-such-limit").value is None


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ('title = "x"\n', "missing 'id'"),
        ('id = "x"\ntitle = "x"\n[limits.a]\nvalue = 3\n', "limits.a needs a citation"),
        ('id = "x"\ntitle = "x"\n[limits.a]\nvalue = -3\ncitation = "c"\n', "must be >= 0"),
        ("id = \n", "not valid TOML"),
    ],
)
def test_bad_rule_set_files(tmp_path, text, match):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(ValueError, match=match):
        load_rule_set(str(path))


def test_unknown_rule_set():
    with pytest.raises(
        ValueError, match=r"rules\.set must be one of ru-781-2025, ru-800-2018, us-smcra-osmre"
    ):
        load_rule_set("ru-999")


# --- [assurance] ------------------------------------------------------------------------------

SRCE_URL = "https://dnrweblink.state.co.us/DRMSSearch/0/doc/1436006/Page7.aspx"
#: SRCE v1.4.1 Cost Summary (doc 1436006 p. 7): name -> flat % or (thresholds $, rates %)
SRCE_LINES = {
    "engineering, design and construction plan": ((1e6, 25e6), (8, 6, 4)),
    "contingency": ((0.5e6, 5e6, 50e6), (10, 8, 6, 4)),
    "performance bond": 3,
    "contractor profit": 10,
    "contract administration": 10,
    "government indirect cost": 2.1,
}


@pytest.mark.parametrize("rule_set_id", ["ru-800-2018", "ru-781-2025", "us-smcra-osmre"])
def test_shipped_assurance_carries_the_srce_lines(rule_set_id):
    policy = load_rule_set(rule_set_id).assurance
    assert (policy.amount, policy.review, policy.review_years) == (
        "deterministic",
        "life-of-plan",
        None,
    )
    assert {rule.name for rule in policy.indirect} == set(SRCE_LINES)  # insurance left out
    for rule in policy.indirect:
        expected = SRCE_LINES[rule.name]
        assert SRCE_URL in rule.citation
        if isinstance(expected, tuple):
            assert rule.percent is None and rule.currency == "usd"
            assert tuple(b.up_to for b in rule.brackets) == (*expected[0], None)
            assert tuple(b.percent for b in rule.brackets) == expected[1]
        else:
            assert rule.brackets == ()
            assert rule.percent == pytest.approx(expected, abs=1e-12)
    assert sum(p.release_percent for p in policy.release_phases) == pytest.approx(100, abs=1e-9)


def test_russian_release_phases_are_postmines_assumption():
    for rule_set_id in ("ru-800-2018", "ru-781-2025"):
        rules = load_rule_set(rule_set_id)
        phases = rules.assurance.release_phases
        assert [(p.requires, p.release_percent, p.years_after) for p in phases] == [
            (("void-fill", "surface-planning"), 60, 0),
            (("reclamation-layer",), 25, 0),
            (("reclamation-layer",), 15, 5),
        ]
        assert all("postmine's assumption" in p.citation for p in phases)
        assert rules.assurance.void_treatment is None  # the Rules do not say
        assert "no financial assurance figure" in rules.assurance.amount_citation


def test_us_smcra_release_phases():
    rules = load_rule_set("us-smcra-osmre")
    assert rules.jurisdiction == "US"
    assert rules.limit("max_technical_years").value is None
    phases = rules.assurance.release_phases
    assert [(p.release_percent, p.years_after) for p in phases] == [(60, 0), (25, 2), (15, 5)]
    assert "1269(c)(1)" in phases[0].citation and "60 per centum" in phases[0].citation
    assert phases[1].requires == ("reclamation-layer", "revegetation")
    assert "postmine's assumptions" in phases[1].citation  # share and 2 seasons
    assert "816.116(c)(2)" in phases[2].citation
    assert rules.assurance.void_treatment == "fill"


def test_rule_set_without_assurance_gets_the_default(tmp_path):
    path = tmp_path / "plain.toml"
    path.write_text('id = "plain"\ntitle = "Plain"\n')
    policy = load_rule_set(str(path)).assurance
    assert policy == default_assurance("plain")
    assert (policy.amount, policy.review, policy.indirect, policy.release_phases) == (
        "deterministic",
        "life-of-plan",
        (),
        (),
    )
    assert "no [assurance] table" in policy.amount_citation


def test_child_inherits_assurance_group_by_group(tmp_path):
    path = tmp_path / "regional.toml"
    path.write_text(
        'id = "regional"\ntitle = "Regional"\nextends = "ru-781-2025"\n'
        "[assurance]\n"
        'review = "rolling"\nreview_years = 5\nreview_citation = "regional practice"\n'
        'void_treatment = "make-safe"\nvoid_treatment_citation = "regional order"\n'
        "[[assurance.indirect]]\n"
        'name = "contingency"\npercent = 15\ncitation = "regional order"\n'
    )
    parent = load_rule_set("ru-781-2025").assurance
    policy = load_rule_set(str(path)).assurance
    assert (policy.review, policy.review_years, policy.void_treatment) == (
        "rolling",
        5,
        "make-safe",
    )
    assert (policy.amount, policy.amount_citation) == (parent.amount, parent.amount_citation)
    assert policy.release_phases == parent.release_phases  # not restated: inherited
    assert [(r.name, r.percent) for r in policy.indirect] == [("contingency", 15)]  # replaced


def test_child_without_assurance_inherits_it_whole(tmp_path):
    path = tmp_path / "child.toml"
    path.write_text('id = "child"\ntitle = "Child"\nextends = "us-smcra-osmre"\n')
    assert load_rule_set(str(path)).assurance == load_rule_set("us-smcra-osmre").assurance


_HEAD = 'id = "x"\ntitle = "x"\n'
_LINE = '[[assurance.indirect]]\nname = "a"\ncitation = "c"\n'
_PHASE = (
    '[[assurance.release_phases]]\nname = "p"\nrequires = ["void-fill"]\n'
    'evidence = "e"\ncitation = "c"\n'
)


@pytest.mark.parametrize(
    ("text", "match"),
    [
        (
            '[assurance]\namount = "P95"\namount_citation = "c"\n',
            r"assurance\.amount must be one of deterministic, P80, P90, got 'P95'",
        ),
        ('[assurance]\namount = "P80"\n', r"assurance\.amount_citation must be a non-empty"),
        (
            '[assurance]\nreview = "rolling"\nreview_citation = "c"\n',
            r"assurance\.review_years must be a whole number >= 1 year, got None",
        ),
        (
            '[assurance]\nreview = "life-of-plan"\nreview_years = 3\nreview_citation = "c"\n',
            r"assurance\.review_years is only allowed with review = 'rolling'",
        ),
        (
            '[assurance]\nvoid_treatment = "leave"\nvoid_treatment_citation = "c"\n',
            r"assurance\.void_treatment must be one of fill, make-safe",
        ),
        ("[assurance]\nbond = 3\n", r"assurance has unknown keys \['bond'\]"),
        (_LINE + "percent = 120\n", r"assurance\.indirect\[0\]\.percent must be in \[0, 100\] %"),
        (_LINE, r"assurance\.indirect\[0\] must give either 'percent' \(flat\) or 'brackets'"),
        (
            _LINE + 'percent = 3\ncurrency = "usd"\nbrackets = [{ percent = 3 }]\n',
            r"assurance\.indirect\[0\] must give either",
        ),
        (
            _LINE + 'brackets = [{ up_to = 1, percent = 3 }, { percent = 2 }]\ncurrency = "eur"\n',
            r"assurance\.indirect\[0\]\.currency must be one of usd, rub, got 'eur'",
        ),
        (
            _LINE + 'currency = "usd"\nbrackets = []\n',
            r"assurance\.indirect\[0\]\.brackets must list at least one bracket",
        ),
        (
            _LINE + 'currency = "usd"\nbrackets = [{ up_to = 1e6, percent = 8 }, '
            "{ up_to = 5e5, percent = 6 }, { percent = 4 }]\n",
            r"assurance\.indirect\[0\]\.brackets\[1\]\.up_to must be a finite number above 1e\+06",
        ),
        (
            _LINE + 'currency = "usd"\nbrackets = [{ up_to = 1e6, percent = 8 }, { percent = 6 }, '
            "{ percent = 4 }]\n",
            r"assurance\.indirect\[0\]\.brackets\[1\]\.up_to is missing",
        ),
        (
            _LINE + 'currency = "usd"\nbrackets = [{ up_to = 1e6, percent = 8 }, '
            "{ up_to = 2e6, percent = 6 }]\n",
            r"assurance\.indirect\[0\]\.brackets\[1\]\.up_to must be absent",
        ),
        (
            _LINE
            + "percent = 1\n"
            + _LINE
            + 'currency = "usd"\nbrackets = [{ up_to = 1e6, percent = 8 }, { percent = 6 }]\n',
            r"assurance\.indirect\[1\]\.name repeats 'a'",
        ),
        (
            '[[assurance.indirect]]\nname = "b"\ncitation = "c"\ncurrency = "usd"\n'
            "brackets = [{ up_to = 1e6, percent = 8 }, { percent = 120 }]\n",
            r"assurance\.indirect\[0\]\.brackets\[1\]\.percent must be in \[0, 100\] %, got 120",
        ),
        (
            '[[assurance.indirect]]\nname = "a"\npercent = 3\n',
            r"assurance\.indirect\[0\]\.citation must be",
        ),
        (
            _PHASE + "release_percent = 0\n",
            r"assurance\.release_phases\[0\]\.release_percent must be in \(0, 100\]",
        ),
        (
            _PHASE.replace('"void-fill"', '"backfill"') + "release_percent = 50\n",
            r"assurance\.release_phases\[0\]\.requires\[0\] must be one of void-fill, ",
        ),
        (
            _PHASE + "release_percent = 50\nyears_after = -1\n",
            r"assurance\.release_phases\[0\]\.years_after must be a whole number >= 0 year, got -1",
        ),
        (
            _PHASE + "release_percent = 60\n" + _PHASE + "release_percent = 50\n",
            r"assurance\.release_phases release 110 % in all, must be <= 100 %",
        ),
    ],
)
def test_bad_assurance_names_the_path(tmp_path, text, match):
    path = tmp_path / "bad.toml"
    path.write_text(_HEAD + text)
    with pytest.raises(ValueError, match=rf"rule set {re.escape(str(path))}: {match}"):
        load_rule_set(str(path))
