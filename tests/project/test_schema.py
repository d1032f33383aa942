"""The project file: the Abaza example validates; each kind of error names its field."""

import copy
import tomllib
from pathlib import Path

import pytest

from postmine.project.schema import ProjectFileError, parse_project, read_project

ROOT = Path(__file__).resolve().parents[2]
ABAZA = ROOT / "examples" / "abaza" / "project.toml"


@pytest.fixture
def abaza() -> dict:
    return tomllib.loads(ABAZA.read_text(encoding="utf-8"))


def errors_of(data: dict) -> list[str]:
    with pytest.raises(ProjectFileError) as info:
        parse_project(data)
    return info.value.errors


def test_abaza_example_validates():
    p = read_project(ABAZA)
    assert p.format_version == 1
    assert [s.name for s in p.waste_streams] == [
        "Waste rock",
        "Tailings",
        "Mine-water sludge",
        "Ash and slag",
    ]
    assert p.void is not None and p.void.tiers[-1].capacity_m3 is None


def test_unknown_key_is_named(abaza):
    abaza["haulage"]["haul_distanse_km"] = 2.0
    assert errors_of(abaza) == ["haulage.haul_distanse_km: unknown field"]


def test_negative_tonnage_is_named(abaza):
    abaza["waste_streams"][1]["annual_mass_t"] = -5.0
    (err,) = errors_of(abaza)
    assert err.startswith("waste_streams.1.annual_mass_t:") and "-5" in err


def test_several_bad_fields_are_all_named(abaza):
    abaza["waste_streams"][0]["bulk_density_t_m3"] = 0
    abaza["haulage"]["average_speed_km_h"] = -1
    del abaza["schedule"]["start_year"]
    errs = errors_of(abaza)
    assert any(e.startswith("waste_streams.0.bulk_density_t_m3:") for e in errs)
    assert any(e.startswith("haulage.average_speed_km_h:") for e in errs)
    assert "schedule.start_year: missing required field" in errs


def test_tier_capacities_that_do_not_add_up(abaza):
    bad = copy.deepcopy(abaza)
    bad["void"]["tiers"][0]["capacity_m3"] = 30_000_000
    (err,) = errors_of(bad)
    assert "void" in err and "leaves nothing" in err
    closed = copy.deepcopy(abaza)
    closed["void"]["tiers"][1]["capacity_m3"] = 1_000_000
    (err,) = errors_of(closed)
    assert "tier capacities add up to" in err and "27000000" in err.replace(" ", "")


def test_milestone_percentages_above_100(abaza):
    abaza["milestones"][0]["release_percent"] = 70  # 70 + 25 + 15 = 110
    (err,) = errors_of(abaza)
    assert "milestones: release_percent adds up to 110 %" in err


def test_wrong_format_version(abaza):
    abaza["format_version"] = 2
    assert errors_of(abaza) == ["format_version: this postmine reads 1, got 2"]


def test_void_or_dump_exactly_one(abaza):
    del abaza["void"]
    (err,) = errors_of(abaza)
    assert "exactly one of [void]" in err


def test_uncertainty_range_must_be_ordered(abaza):
    abaza["uncertainty"][0]["low"] = 6.0  # above its high end, 5 km
    (err,) = errors_of(abaza)
    assert "assurance.borrow.haul_distance_km" in err and "low <= mode <= high" in err


def test_unreadable_and_invalid_files(tmp_path):
    with pytest.raises(ProjectFileError, match="cannot be read"):
        read_project(tmp_path / "missing.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("format_version = \n")
    with pytest.raises(ProjectFileError, match="not valid TOML"):
        read_project(bad)
