"""Rule sets: shipped, cited, extendable by a user's file."""

import datetime as dt

import pytest

from postmine.project.rules import list_rule_sets, load_rule_set


def test_shipped_rule_sets():
    assert list_rule_sets() == ["ru-781-2025", "ru-800-2018"]
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
    with pytest.raises(ValueError, match=r"rules\.set must be one of ru-781-2025, ru-800-2018"):
        load_rule_set("ru-999")
