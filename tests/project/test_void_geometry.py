"""Geometry of a backfilled void (issue 10): levels, tier spacing, the capacity curve, machines.

003 sec. 3.1 forms the Abaza dump in 8 tiers "с отметки +650 м до отметки +850 м", the first
tier 55 m high (bottom 650 − 55 = 595 m); sec. 4.2 gives H = 55 m. A tier outside (595, 850],
a spacing above H, a capacity off the elevation–capacity curve and a machine not in the
catalogue are refused with the field path, the value and the allowed range.
"""

import tomllib
from pathlib import Path
from types import SimpleNamespace

import pytest
import tomli_w
from numpy.testing import assert_allclose
from typer.testing import CliRunner

from postmine.cli.main import app
from postmine.data.equipment import Bulldozer, FrontLoader, Truck, read_equipment_catalogue
from postmine.project.schema import ProjectFileError, parse_project, read_project
from postmine.project.void_geometry import (
    check_capacity_curve,
    check_tier_geometry,
    curve_volume_below,
)

ROOT = Path(__file__).resolve().parents[2]
ABAZA = ROOT / "examples" / "abaza" / "project.toml"
BOTTOM_M, TOP_M = 595.0, 850.0  # 003 sec. 3.1: 650 − 55 and +850
TIER1_M3 = 3_839_500.0  # the +650 tier of the example (003 Table 5)
VOLUME_TOL_M3 = 1e-6  # interpolation is exact arithmetic on round numbers

runner = CliRunner()


@pytest.fixture
def abaza() -> dict:
    return tomllib.loads(ABAZA.read_text(encoding="utf-8"))


def errors_of(data: dict) -> str:
    with pytest.raises(ProjectFileError) as info:
        parse_project(data)
    return "; ".join(info.value.errors)


def known(kind: type) -> list[str]:
    return [m.name for m in read_equipment_catalogue().values() if isinstance(m, kind)]


# -- the example and old files --------------------------------------------------------------
def test_abaza_example_gives_the_levels_of_003():
    void = read_project(ABAZA).void
    assert void is not None
    assert (void.bottom_elevation_m, void.top_elevation_m) == (BOTTOM_M, TOP_M)
    assert [t.elevation_m for t in void.tiers] == [650.0, 680.0]
    assert void.capacity_curve == [] and void.capacity_curve_rel_tol == 0.02


def test_files_without_bottom_and_top_stay_valid(abaza):
    del abaza["void"]["bottom_elevation_m"], abaza["void"]["top_elevation_m"]
    void = parse_project(abaza).void
    assert void is not None and void.bottom_elevation_m is None and void.top_elevation_m is None


def test_the_highest_tier_spacing_to_the_crest_is_not_checked(abaza):
    # +680 → +850 is 170 m, far above H = 55 m: the levels above +680 are not designed yet.
    assert TOP_M - abaza["void"]["tiers"][-1]["elevation_m"] > abaza["void"]["max_tier_height_m"]
    assert parse_project(abaza).void is not None


# -- levels ----------------------------------------------------------------------------------
@pytest.mark.parametrize("elevation", [900.0, 5000.0, 850.001])
def test_tier_above_the_crest_is_refused(abaza, elevation):
    abaza["void"]["tiers"][1]["elevation_m"] = elevation
    err = errors_of(abaza)
    assert "void.tiers[1].elevation_m must lie in" in err
    assert "(595, 850] m" in err and f"got {elevation:g}" in err


def test_tier_at_the_crest_is_accepted(abaza):
    abaza["void"]["tiers"] = [{"elevation_m": 650, "capacity_m3": TIER1_M3}]
    abaza["void"]["remaining_capacity_m3"] = TIER1_M3
    abaza["void"]["top_elevation_m"] = 650
    assert parse_project(abaza).void is not None


@pytest.mark.parametrize("elevation", [595.0, 500.0])
def test_tier_at_or_below_the_bottom_is_refused(abaza, elevation):
    abaza["void"]["tiers"][0]["elevation_m"] = elevation
    err = errors_of(abaza)
    assert "void.tiers[0].elevation_m must lie in (void.bottom_elevation_m" in err
    assert f"got {elevation:g}" in err


def test_bottom_above_the_crest_is_refused(abaza):
    abaza["void"]["bottom_elevation_m"] = 900
    err = errors_of(abaza)
    assert "void.top_elevation_m must be > void.bottom_elevation_m = 900 m, got 850" in err


def test_elevations_must_rise(abaza):
    abaza["void"]["tiers"][1]["elevation_m"] = 640
    err = errors_of(abaza)
    assert "void.tiers[1].elevation_m must be above void.tiers[0].elevation_m = 650 m" in err


# -- spacing -----------------------------------------------------------------------------------
def test_first_tier_higher_than_h_above_the_bottom_is_refused(abaza):
    abaza["void"]["bottom_elevation_m"] = 590  # 650 − 590 = 60 m > H = 55 m
    err = errors_of(abaza)
    assert "void.tiers[0].elevation_m = 650 m lies 60 m above void.bottom_elevation_m" in err
    assert "void.max_tier_height_m = 55 m" in err


def test_consecutive_tiers_further_apart_than_h_are_refused(abaza):
    abaza["void"]["tiers"][1]["elevation_m"] = 706  # 56 m above +650
    err = errors_of(abaza)
    assert "void.tiers[1].elevation_m = 706 m lies 56 m above void.tiers[0].elevation_m" in err


def test_a_rule_set_limit_can_be_stricter():
    void = read_project(ABAZA).void
    assert void is not None
    check_tier_geometry(void, 55.0)  # 55 m first tier: exactly H
    with pytest.raises(
        ValueError,
        match=r"void\.tiers\[0\]\.elevation_m = 650 m lies 55 m .*"
        r"rules\.max_tier_height_m = 30 m",
    ):
        check_tier_geometry(void, 30.0, limit_name="rules.max_tier_height_m")
    with pytest.raises(ValueError, match=r"must be > 0 m, got -1"):
        check_tier_geometry(void, -1.0)


# -- capacity curve ---------------------------------------------------------------------------
def abaza_curve(top_volume_m3: float = 40_000_000.0) -> list[dict]:
    """A made-up curve through the +650 tier: 0 at the bottom, 3 839 500 m³ below +650."""
    return [
        {"elevation_m": BOTTOM_M, "volume_m3": 0.0},
        {"elevation_m": 650.0, "volume_m3": TIER1_M3},
        {"elevation_m": TOP_M, "volume_m3": top_volume_m3},
    ]


def test_curve_volume_is_linear_between_points():
    z, v = [100.0, 110.0, 120.0], [0.0, 1000.0, 3000.0]
    assert_allclose(curve_volume_below(z, v, 115.0), 2000.0, atol=VOLUME_TOL_M3)
    assert_allclose(curve_volume_below(z, v, [100.0, 105.0]), [0.0, 500.0], atol=VOLUME_TOL_M3)
    with pytest.raises(ValueError, match=r"elevation_m must lie in the curve's range"):
        curve_volume_below(z, v, 121.0)
    with pytest.raises(ValueError, match=r"at least two points"):
        curve_volume_below([100.0], [0.0], 100.0)


def test_tiers_on_the_curve_validate(abaza):
    abaza["void"]["capacity_curve"] = abaza_curve()
    abaza["void"]["tiers"][0]["capacity_m3"] = TIER1_M3 * 1.019  # inside the 2 % tolerance
    abaza["void"]["remaining_capacity_m3"] = 40_000_000.0 * 1.019
    assert parse_project(abaza).void is not None


def test_tier_capacity_off_the_curve_is_refused(abaza):
    abaza["void"]["capacity_curve"] = abaza_curve()
    abaza["void"]["tiers"][0]["capacity_m3"] = 4_000_000  # 4.2 % above 3 839 500
    err = errors_of(abaza)
    assert "void.tiers[0].capacity_m3 must match the capacity curve between 595 and 650 m" in err
    assert "3839500 m³" in err and "void.capacity_curve_rel_tol = 0.02" in err
    assert "got 4000000" in err


def test_a_closed_highest_tier_is_checked_between_its_neighbours(abaza):
    # +650 → +680 on a linear curve from 3 839 500 (650) to 40 000 000 m³ (850): 5 424 025 m³
    curve = abaza_curve()
    between = (40_000_000 - TIER1_M3) * 30 / 200
    abaza["void"]["capacity_curve"] = curve
    abaza["void"]["tiers"][1]["capacity_m3"] = 6_000_000
    abaza["void"]["remaining_capacity_m3"] = TIER1_M3 + 6_000_000
    err = errors_of(abaza)
    assert "void.tiers[1].capacity_m3 must match the capacity curve between 650 and 680 m" in err
    assert f"{between:.0f} m³" in err


def test_remaining_capacity_above_the_curve_is_refused(abaza):
    abaza["void"]["capacity_curve"] = abaza_curve(top_volume_m3=20_000_000.0)
    err = errors_of(abaza)
    assert "void.remaining_capacity_m3 must not exceed the capacity curve" in err
    assert "20000000 m³" in err and "got 27000000" in err


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda v: v.pop("bottom_elevation_m"), r"needs void.bottom_elevation_m"),
        (lambda v: v["capacity_curve"].pop(), r"must span void.bottom_elevation_m"),
        (
            lambda v: v["capacity_curve"][1].update(volume_m3=-1.0),
            r"capacity_curve.1.volume_m3",
        ),
        (
            lambda v: v["capacity_curve"][2].update(volume_m3=1.0),
            r"void.capacity_curve\[2\].volume_m3 must be >= ",
        ),
        (
            lambda v: v["capacity_curve"][2].update(elevation_m=600.0),
            r"void.capacity_curve\[2\].elevation_m must be above",
        ),
    ],
)
def test_a_bad_curve_is_refused(abaza, change, message):
    abaza["void"]["capacity_curve"] = abaza_curve()
    change(abaza["void"])
    with pytest.raises(ProjectFileError, match=message):
        parse_project(abaza)


def test_check_capacity_curve_without_a_curve_does_nothing():
    assert check_capacity_curve(SimpleNamespace(capacity_curve=None)) is None  # type: ignore[arg-type]


# -- equipment ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("equipment.loader.model", FrontLoader),
        ("equipment.trucks.models[1]", Truck),
        ("equipment.bulldozer.model", Bulldozer),
    ],
)
def test_unknown_machine_names_the_field(abaza, path, kind):
    eq = abaza["equipment"]
    if kind is Truck:
        eq["trucks"]["models"][1] = "Nope"
        eq["loader"]["truck_shares"] = {"BelAZ-75404": 0.6, "Nope": 0.4}
    else:
        eq["loader" if kind is FrontLoader else "bulldozer"]["model"] = "Nope"
    err = errors_of(abaza)
    assert f"{path} must be a " in err and "got 'Nope'" in err
    assert all(name in err for name in known(kind))


def test_a_machine_of_the_wrong_kind_is_refused(abaza):
    abaza["equipment"]["loader"]["model"] = "T-170"  # a bulldozer
    abaza["equipment"]["bulldozer"]["model"] = "Nope"
    err = errors_of(abaza)
    assert "equipment.loader.model must be a front loader" in err and "got 'T-170'" in err
    assert "equipment.bulldozer.model must be a bulldozer" in err


def test_aliases_of_the_catalogue_are_accepted(abaza):
    abaza["equipment"]["bulldozer"]["model"] = "Т-170"  # Cyrillic, as printed in 003
    eq = parse_project(abaza).equipment
    assert eq.bulldozer.model == "Т-170"  # the file's spelling is kept


# -- postmine plan -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("section", "edit", "path"),
    [
        ("void", lambda v: v["tiers"][1].update(elevation_m=900), "void.tiers[1].elevation_m"),
        ("void", lambda v: v.update(bottom_elevation_m=580), "void.tiers[0].elevation_m"),
        (
            "void",
            lambda v: (
                v.update(capacity_curve=abaza_curve(), remaining_capacity_m3=27e6)
                or v["tiers"][0].update(capacity_m3=3_000_000)
            ),
            "void.tiers[0].capacity_m3",
        ),
        ("equipment", lambda e: e["loader"].update(model="Nope"), "equipment.loader.model"),
    ],
)
def test_plan_refuses_with_exit_2_and_names_the_field(tmp_path, section, edit, path):
    data = tomllib.loads(ABAZA.read_text(encoding="utf-8"))
    edit(data[section])
    bad = tmp_path / "bad.toml"
    bad.write_bytes(tomli_w.dumps(data).encode("utf-8"))
    out = tmp_path / "report"
    result = runner.invoke(app, ["plan", str(bad), "--out", str(out)])
    assert result.exit_code == 2 and path in result.stderr, result.output
    assert not out.exists()
