"""Uncertain inputs: dotted paths, Latin-hypercube sampling, apply_sample, Monte Carlo.

Checked against analytical results: the means of the triangular, uniform and PERT
distributions, the quantiles of a uniform and of a triangular input through a linear
evaluate(), and the stratification that defines a Latin hypercube. The project's own value
is the base case: a range must contain it and the mode of a triangular or PERT range is it.
"""

import math
import tomllib
from pathlib import Path

import numpy as np
import pytest
import tomli_w
from numpy.testing import assert_allclose
from scipy import stats
from typer.testing import CliRunner

from postmine.cli.main import app
from postmine.project.schema import Simulation, Tier, UncertainInput, read_project
from postmine.project.uncertainty import (
    MODE_RTOL,
    apply_sample,
    check_uncertain_inputs,
    monte_carlo,
    parse_input_path,
    percentile_of,
    resolved_specs,
    sample_inputs,
    value_at,
)

ROOT = Path(__file__).resolve().parents[2]
ABAZA = ROOT / "examples" / "abaza" / "project.toml"

#: Inputs the tests below lean on, put back into the example (which now samples the borrow's
#: haul distance instead of the operator's, irrelevant to the state-based bond, and takes its
#: indirect lines from the rule set): the four ranges of before, and two named indirect lines.
HAUL_RANGE = {
    "input": "haulage.haul_distance_km",
    "distribution": "triangular",
    "low": 1.8,
    "high": 2.6,
    "source": "test: the haul road lengthens as the dump front moves",
}


def abaza_data() -> dict:
    data = tomllib.loads(ABAZA.read_text(encoding="utf-8"))
    others = [u for u in data["uncertainty"] if not u["input"].startswith("assurance.")]
    data["uncertainty"] = [HAUL_RANGE, *others]
    data["costs"]["indirect"] = [
        {"name": "engineering", "percent": 8, "source": "test"},
        {"name": "contingency", "percent": 10, "source": "test"},
    ]
    return data


@pytest.fixture(scope="module")
def abaza(tmp_path_factory):
    path = tmp_path_factory.mktemp("abaza") / "project.toml"
    path.write_bytes(tomli_w.dumps(abaza_data()).encode("utf-8"))
    return read_project(path)


def spec(path, low, high, mode=None, distribution=None):
    dist = distribution or ("uniform" if mode is None else "triangular")
    return UncertainInput(
        input=path, distribution=dist, low=low, mode=mode, high=high, source="test"
    )


def with_specs(project, specs, samples=500, seed=7):
    return project.model_copy(
        update={"uncertainty": specs, "simulation": Simulation(samples=samples, seed=seed)}
    )


# -- paths ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "steps"),
    [
        ("haulage.haul_distance_km", (("haulage", None), ("haul_distance_km", None))),
        (
            "waste_streams[Tailings].annual_mass_t",
            (("waste_streams", "Tailings"), ("annual_mass_t", None)),
        ),
        (
            "costs.equipment[BelAZ-75404].owning_operating_rub_h",
            (("costs", None), ("equipment", "BelAZ-75404"), ("owning_operating_rub_h", None)),
        ),
        (
            'costs.equipment["SDLG L975F"].operator_rub_h',
            (("costs", None), ("equipment", "SDLG L975F"), ("operator_rub_h", None)),
        ),
        ("void.tiers[0].capacity_m3", (("void", None), ("tiers", "0"), ("capacity_m3", None))),
    ],
)
def test_parse_input_path(path, steps):
    assert parse_input_path(path) == steps


@pytest.mark.parametrize(
    "path", ["", "haulage.", ".haulage", "haulage..haul_distance_km", "1haulage.x", "a[b"]
)
def test_parse_input_path_refuses(path):
    with pytest.raises(ValueError, match="is not a dotted path"):
        parse_input_path(path)


# -- apply_sample -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "value", "read"),
    [
        ("haulage.haul_distance_km", 2.4, lambda p: p.haulage.haul_distance_km),
        (
            "waste_streams[Tailings].annual_mass_t",
            950_000.0,
            lambda p: p.waste_streams[1].annual_mass_t,
        ),
        (
            "costs.escalation_percent_per_year.value",
            9.5,
            lambda p: p.costs.escalation_percent_per_year.value,
        ),
        (
            "costs.equipment[BelAZ-75404].owning_operating_rub_h",
            6100.0,
            lambda p: p.costs.equipment["BelAZ-75404"].owning_operating_rub_h,
        ),
        ("costs.indirect[contingency].percent", 15.0, lambda p: p.costs.indirect[1].percent),
        ("void.tiers[0].capacity_m3", 4e6, lambda p: p.void.tiers[0].capacity_m3),
    ],
)
def test_apply_sample_sets_one_input(abaza, path, value, read):
    before = read(abaza)
    q = apply_sample(abaza, {path: value})
    assert_allclose(read(q), value, rtol=0)
    assert read(abaza) == before  # the original is unchanged
    assert q.work_regime is abaza.work_regime  # untouched sections are shared, not copied


def test_apply_sample_keeps_other_items(abaza):
    q = apply_sample(
        abaza,
        {
            "waste_streams[Tailings].annual_mass_t": 1.05e6,
            "costs.equipment[T-170].operator_rub_h": 800.0,
        },
    )
    assert q.waste_streams[0] is abaza.waste_streams[0]
    assert q.waste_streams[1].bulk_density_t_m3 == abaza.waste_streams[1].bulk_density_t_m3
    assert q.costs.equipment["KamAZ-6520"] is abaza.costs.equipment["KamAZ-6520"]
    assert q.costs.equipment["T-170"].source == abaza.costs.equipment["T-170"].source


def test_apply_sample_rounds_integer_fields(abaza):
    q = apply_sample(abaza, {"work_regime.working_days_per_year": 300.6})
    assert q.work_regime.working_days_per_year == 301
    assert isinstance(q.work_regime.working_days_per_year, int)


@pytest.mark.parametrize(
    ("path", "match"),
    [
        ("haulage.haul_distance", r"haulage has no field 'haul_distance'; fields: \["),
        ("haulag.haul_distance_km", r"the project file has no field 'haulag'"),
        (
            "waste_streams[Tailing].annual_mass_t",
            r"waste_streams has no item named 'Tailing'; names: \['Waste rock', 'Tailings'",
        ),
        (
            "costs.equipment[BelAZ-7540].owning_operating_rub_h",
            r"costs\.equipment has no entry 'BelAZ-7540'; entries: \['BelAZ-75404'",
        ),
        ("void.tiers[5].capacity_m3", r"list of 2 items without names; give an index 0\.\.1"),
        ("dump.pit_depth_m", r"the project has no \[dump\] section"),
        ("project.name", r"name is not a number field"),
        ("haulage", r"haulage is not a number field"),
        ("waste_streams[Tailings].factor_kind", r"factor_kind is not a number field"),
        ("equipment.loader.truck_shares[BelAZ-75404]", r"must end in a number field of a section"),
        ("haulage[x].haul_distance_km", r"haulage is not a list or a table"),
        ("rules.set.x", r"rules\.set is not a section"),
    ],
)
def test_apply_sample_refuses_unknown_paths(abaza, path, match):
    with pytest.raises(ValueError, match=match):
        apply_sample(abaza, {path: 1.0})
    with pytest.raises(ValueError, match=match):  # value_at reads paths the same way
        value_at(abaza, path)


# -- value_at ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("haulage.haul_distance_km", 2.0),
        ("waste_streams[Tailings].annual_mass_t", 1_000_000.0),
        ("void.tiers[0].capacity_m3", 3_839_500.0),
        ("costs.escalation_percent_per_year.value", 6.0),
        ("work_regime.working_days_per_year", 342.0),  # an integer field, as a float
    ],
)
def test_value_at_reads_the_project(abaza, path, value):
    got = value_at(abaza, path)
    assert isinstance(got, float)
    assert_allclose(got, value, rtol=0)


def test_value_at_round_trips_apply_sample(abaza):
    q = apply_sample(abaza, {"costs.equipment[BelAZ-75404].owning_operating_rub_h": 6100.0})
    assert_allclose(value_at(q, "costs.equipment[BelAZ-75404].owning_operating_rub_h"), 6100.0)


def test_value_at_refuses_an_empty_optional_field(abaza):
    with pytest.raises(ValueError, match=r"the project gives no value for rules\.max_technical"):
        value_at(abaza, "rules.max_technical_years")


@pytest.mark.parametrize(
    ("path", "value", "match"),
    [
        ("haulage.haul_distance_km", 0.0, r"0 is outside the range of the field \(> 0 and <= 200"),
        ("haulage.haul_distance_km", 250.0, r"250 is outside the range"),
        ("costs.indirect[contingency].percent", 101.0, r"\(>= 0 and <= 100\)"),
        ("costs.escalation_percent_per_year.value", -1.0, r"\(>= 0\)"),
        ("haulage.haul_distance_km", math.nan, r"nan is outside the range"),
    ],
)
def test_apply_sample_refuses_values_outside_the_field(abaza, path, value, match):
    with pytest.raises(ValueError, match=match):
        apply_sample(abaza, {path: value})


# -- check at load time -----------------------------------------------------------------------


def test_example_ranges_are_valid(abaza):
    check_uncertain_inputs(abaza)  # raises if any path or range of the example is bad
    assert len(abaza.uncertainty) == 4


@pytest.mark.parametrize(
    ("specs", "match"),
    [
        ([spec("haulage.haul_distanse_km", 1, 3)], r"'haulage\.haul_distanse_km'.*no field"),
        ([spec("haulage.haul_distance_km", 0, 3)], r"outside the range.*low end"),
        ([spec("costs.indirect[contingency].percent", 5, 120)], r"the high end"),
        (
            [spec("haulage.haul_distance_km", 1, 3), spec("haulage .haul_distance_km", 1, 2)],
            r"is not a dotted path",
        ),
        (
            [spec("haulage.haul_distance_km", 1, 3), spec("haulage.haul_distance_km", 1, 2)],
            r"'haulage\.haul_distance_km' is given twice",
        ),
        (
            # β = 37°20′ must stay >= α = 36°50′: α up to 38° breaks it at the high end
            [spec("void.repose_angle_deg", 35, 38, distribution="triangular")],
            r"void\.repose_angle_deg = 38 \(high end\) makes the project invalid: void: "
            r"void\.stability_angle_deg must be >= void\.repose_angle_deg",
        ),
        (
            # the +650 tier holds 3 839 500 m³, so a capacity of 3 M leaves nothing for +680
            [spec("void.remaining_capacity_m3", 3e6, 3e7, 2.7e7)],
            r"remaining_capacity_m3 = 3e\+06 \(low end\) makes the project invalid",
        ),
    ],
)
def test_check_uncertain_inputs_refuses(abaza, specs, match):
    with pytest.raises(ValueError, match=match):
        check_uncertain_inputs(with_specs(abaza, specs))


def test_check_uncertain_inputs_refuses_the_all_high_corner(abaza):
    # three tiers of 10 + 10 M m³ and the rest of 27 M m³: each lower tier alone up to 14 M
    # leaves 3 M m³ for the highest, both at 14 M leave nothing (28 M >= 27 M)
    tiers = [Tier(elevation_m=650, capacity_m3=1e7), Tier(elevation_m=665, capacity_m3=1e7)]
    void = abaza.void.model_copy(update={"tiers": [*tiers, Tier(elevation_m=680)]})
    project = abaza.model_copy(update={"void": void})
    specs = [spec(f"void.tiers[{i}].capacity_m3", 9e6, 1.4e7, 1e7) for i in (0, 1)]
    check_uncertain_inputs(with_specs(project, specs[:1]))  # one alone is valid
    with pytest.raises(ValueError, match=r"every input at its high end makes the project inv"):
        check_uncertain_inputs(with_specs(project, specs))


# -- the project's value is the base case -----------------------------------------------------


def test_a_range_must_contain_the_project_value(abaza):
    project = apply_sample(abaza, {"haulage.haul_distance_km": 3.5})
    with pytest.raises(ValueError) as info:
        check_uncertain_inputs(project)  # the shipped range 1.8..2.6 km
    assert str(info.value) == (
        "uncertainty input 'haulage.haul_distance_km': the range 1.8..2.6 does not contain "
        "the project's value 3.5 (haulage.haul_distance_km); widen the range or change the "
        "value"
    )
    with pytest.raises(ValueError, match=r"the range 1\.8\.\.2\.6 does not contain .* 3\.5"):
        monte_carlo(project, lambda p: 1.0)
    with pytest.raises(ValueError, match=r"does not contain the project's value 3\.5"):
        resolved_specs(project)


@pytest.mark.parametrize("distribution", ["uniform", "triangular", "pert"])
@pytest.mark.parametrize(("low", "high"), [(2.01, 2.6), (1.0, 1.99)])
def test_every_distribution_must_contain_the_project_value(abaza, distribution, low, high):
    specs = [spec("haulage.haul_distance_km", low, high, distribution=distribution)]
    with pytest.raises(ValueError, match=rf"the range {low:g}\.\.{high:g} does not contain"):
        check_uncertain_inputs(with_specs(abaza, specs))


@pytest.mark.parametrize("distribution", ["uniform", "triangular", "pert"])
def test_ranges_ending_at_the_project_value_are_accepted(abaza, distribution):
    for low, high in ((2.0, 2.6), (1.8, 2.0), (2.0, 2.0)):
        s = spec("haulage.haul_distance_km", low, high, distribution=distribution)
        check_uncertain_inputs(with_specs(abaza, [s]))
        x = sample_inputs(resolved_specs(abaza, [s]), 50, seed=1)[:, 0]
        assert low <= x.min() and x.max() <= high


def test_a_degenerate_range_samples_the_project_value(abaza):
    project = with_specs(abaza, [spec("haulage.haul_distance_km", 2.0, 2.0, 2.0)], samples=20)
    samples, pct = monte_carlo(project, lambda p: p.haulage.haul_distance_km)
    assert_allclose(samples, 2.0, rtol=0)
    assert_allclose(list(pct.values()), 2.0, rtol=0)


def test_a_mode_other_than_the_project_value_is_refused(abaza):
    specs = [spec("haulage.haul_distance_km", 1.8, 2.6, 2.2)]
    with pytest.raises(ValueError) as info:
        check_uncertain_inputs(with_specs(abaza, specs))
    message = str(info.value)
    assert "'haulage.haul_distance_km'" in message
    assert "mode = 2.2 differs from the project's value 2 " in message


@pytest.mark.parametrize(
    ("factor", "accepted"),
    [(1 + MODE_RTOL / 10, True), (1 - MODE_RTOL / 10, True), (1 + 1e-7, False)],
)
def test_a_stated_mode_may_differ_by_the_relative_tolerance(abaza, factor, accepted):
    specs = [spec("waste_streams[Tailings].annual_mass_t", 9e5, 1.1e6, 1e6 * factor)]
    project = with_specs(abaza, specs)
    if accepted:
        check_uncertain_inputs(project)
        assert resolved_specs(project)[0].mode == 1e6  # the project's value, not the stated one
    else:
        with pytest.raises(ValueError, match=r"differs from the project's value 1e\+06"):
            check_uncertain_inputs(project)


def test_resolved_specs_fill_in_the_project_values(abaza):
    specs = [
        spec("haulage.haul_distance_km", 1.8, 2.6, distribution="triangular"),
        spec("haulage.average_speed_km_h", 16, 25, distribution="pert"),
        spec("costs.escalation_percent_per_year.value", 4, 12),  # uniform
    ]
    resolved = resolved_specs(with_specs(abaza, specs))
    assert [s.mode for s in resolved] == [2.0, 22.0, None]
    assert [s.input for s in resolved] == [s.input for s in specs]
    assert all(s.mode is None for s in specs)  # the entries themselves are left as they are
    assert [s.mode for s in resolved_specs(abaza)] == [2.0, 1_000_000.0, 22.0, 6.0]


@pytest.mark.parametrize("distribution", ["triangular", "pert"])
def test_the_mode_may_be_left_out(distribution):
    s = UncertainInput(input="a.b", distribution=distribution, low=1, high=3, source="t")
    assert s.mode is None


def test_a_uniform_range_takes_no_mode():
    with pytest.raises(ValueError, match=r"'a\.b': a uniform range takes no mode, got mode=2"):
        UncertainInput(input="a.b", distribution="uniform", low=1, mode=2, high=3, source="t")


@pytest.mark.parametrize(
    ("low", "mode", "high"), [(3.0, None, 2.0), (1.0, 4.0, 3.0), (math.nan, None, 3.0)]
)
def test_schema_refuses_unordered_or_nan_ranges(low, mode, high):
    with pytest.raises(ValueError, match=r"'a\.b'|finite number"):
        UncertainInput(input="a.b", low=low, mode=mode, high=high, source="t")


def test_sampling_needs_the_resolved_mode():
    unresolved = spec("haulage.haul_distance_km", 1.8, 2.6, distribution="pert")
    with pytest.raises(ValueError, match=r"the pert range has no mode yet; take the specs fr"):
        sample_inputs([unresolved], 10, seed=1)


def triangular_median(a, m, b):
    # the median of a triangular (a, m, b) distribution: F(x) = 1/2 solved on the side of m
    # that holds it [Vose2008]
    if m >= (a + b) / 2:
        return a + math.sqrt((b - a) * (m - a) / 2)
    return b - math.sqrt((b - a) * (b - m) / 2)


def test_moving_the_project_value_moves_the_percentiles(abaza):
    # evaluate = 1e6 rub/km x l with l ~ triangular(1.8, m, 2.6) km and m the project's value:
    # P50 = 2.6 - sqrt(0.8 x 0.6 / 2) = 2.1101 km at m = 2.0, 1.8 + sqrt(0.8 x 0.6 / 2) =
    # 2.2899 km at m = 2.4; a Latin hypercube of 500 samples places P50 within about one
    # stratum (1/500 of probability, < 0.001 km at a density > 2 /km): 0.003 km allowed
    def evaluate(p):
        return 1e6 * p.haulage.haul_distance_km

    atol_rub = 0.003 * 1e6
    shown = {}
    for m in (2.0, 2.4):
        project = apply_sample(abaza, {"haulage.haul_distance_km": m})
        samples, pct = monte_carlo(project, evaluate)
        assert_allclose(pct["P50"], 1e6 * triangular_median(1.8, m, 2.6), atol=atol_rub)
        # the deterministic result sits at F(m) = (m - a) / (b - a): 25 % and 75 %, to the
        # 1/500 of one stratum
        assert_allclose(percentile_of(evaluate(project), samples), 100 * (m - 1.8) / 0.8, atol=0.2)
        shown[m] = pct
    assert_allclose(shown[2.4]["P50"] - shown[2.0]["P50"], 0.1798e6, atol=2 * atol_rub)
    assert shown[2.4]["P80"] > shown[2.0]["P80"] and shown[2.4]["P90"] > shown[2.0]["P90"]


def test_plan_refuses_a_value_outside_its_range(tmp_path):
    data = abaza_data()
    data["haulage"]["haul_distance_km"] = 3.5
    path = tmp_path / "project.toml"
    path.write_bytes(tomli_w.dumps(data).encode("utf-8"))
    result = CliRunner().invoke(app, ["plan", str(path), "--json"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert (
        "uncertainty input 'haulage.haul_distance_km': the range 1.8..2.6 does not contain the "
        "project's value 3.5 (haulage.haul_distance_km)" in result.stderr
    )
    assert "Traceback" not in result.output


# -- percentile_of ----------------------------------------------------------------------------


@pytest.mark.parametrize("value", [-1.0, 0.0, 2.0, 2.5, 3.0, 7.0, 10.0])
def test_percentile_of_against_numpy(value):
    # 0..9 twice plus three 2.0 and three 3.0: ties at 2 and 3
    samples = np.concatenate([np.arange(10.0), np.arange(10.0), [2.0] * 3, [3.0] * 3])
    expected = np.mean(samples <= value) * 100
    assert_allclose(percentile_of(value, samples), expected, rtol=1e-12)
    assert_allclose(percentile_of(value, samples.tolist()), expected, rtol=1e-12)


def test_percentile_of_random_samples_against_numpy():
    samples = np.random.default_rng(3).normal(5e8, 5e7, 1000)
    for value in (4e8, 5e8, samples[17], 6e8):
        assert_allclose(percentile_of(value, samples), np.mean(samples <= value) * 100, rtol=0)


def test_percentile_of_ends_and_ties():
    assert percentile_of(1.0, [1.0, 1.0, 1.0]) == 100.0  # ties count in full
    assert percentile_of(0.999, [1.0, 2.0]) == 0.0
    assert percentile_of(2.0, [1.0, 2.0]) == 100.0


@pytest.mark.parametrize(
    ("value", "samples", "match"),
    [
        (1.0, [], r"samples is empty"),
        (math.nan, [1.0], r"must be finite, got value nan"),
        (1.0, [1.0, math.inf], r"must be finite"),
    ],
)
def test_percentile_of_refuses(value, samples, match):
    with pytest.raises(ValueError, match=match):
        percentile_of(value, samples)


# -- sampling ---------------------------------------------------------------------------------


def test_samples_shape_range_and_determinism(abaza):
    specs = resolved_specs(abaza)
    x = sample_inputs(specs, 500, seed=11)
    assert x.shape == (500, 4)
    for j, s in enumerate(specs):
        assert s.low <= x[:, j].min() and x[:, j].max() <= s.high
    assert np.array_equal(x, sample_inputs(specs, 500, seed=11))
    assert not np.array_equal(x, sample_inputs(specs, 500, seed=12))
    assert sample_inputs([], 5, seed=1).shape == (5, 0)


@pytest.mark.parametrize("n", [10, 97, 500])
def test_latin_hypercube_puts_one_sample_in_each_stratum(n):
    # uniform on [a, b]: stratum i = floor(n (x - a) / (b - a)) must take every value once
    a, b = 10.0, 30.0
    x = sample_inputs([spec("haulage.haul_distance_km", a, b)], n, seed=3)[:, 0]
    strata = np.floor(n * (x - a) / (b - a)).astype(int)
    assert sorted(strata.tolist()) == list(range(n))


@pytest.mark.parametrize(
    ("distribution", "a", "m", "b", "reference"),
    [
        ("uniform", 1.0, None, 3.0, stats.uniform(loc=1.0, scale=2.0)),
        ("triangular", 1.8, 2.0, 2.6, stats.triang(0.25, loc=1.8, scale=0.8)),
        ("triangular", 4.0, 4.0, 12.0, stats.triang(0.0, loc=4.0, scale=8.0)),
        ("triangular", 4.0, 12.0, 12.0, stats.triang(1.0, loc=4.0, scale=8.0)),
        # PERT (16, 22, 25): beta with α = 1 + 4 x 6/9 = 11/3, β = 1 + 4 x 3/9 = 7/3
        ("pert", 16.0, 22.0, 25.0, stats.beta(11 / 3, 7 / 3, loc=16.0, scale=9.0)),
        ("pert", 0.0, 0.0, 1.0, stats.beta(1.0, 5.0)),
    ],
)
def test_samples_follow_the_scipy_distributions(distribution, a, m, b, reference):
    # a Latin hypercube puts the i-th smallest of n samples in the i-th 1/n of probability:
    # F(x_(i)) in [i/n, (i+1)/n) with F the scipy.stats distribution function
    n = 400
    x = sample_inputs([spec("haulage.haul_distance_km", a, b, m, distribution)], n, 9)
    i = np.arange(n)
    cdf = reference.cdf(np.sort(x[:, 0]))
    assert np.all(cdf >= i / n - 1e-9) and np.all(cdf <= (i + 1) / n + 1e-9)


N = 2000


def se_of_mean(variance, n=N):
    # standard error of a mean of n independent draws; a Latin hypercube only lowers it
    return math.sqrt(variance / n)


@pytest.mark.parametrize(
    ("a", "m", "b"), [(1.8, 2.0, 2.6), (900_000, 1_000_000, 1_100_000), (4, 6, 12)]
)
def test_triangular_mean(a, m, b):
    x = sample_inputs([spec("haulage.haul_distance_km", a, b, m)], N, seed=5)[:, 0]
    # mean (a + m + b) / 3; variance (a² + m² + b² - am - ab - mb) / 18
    var = (a * a + m * m + b * b - a * m - a * b - m * b) / 18
    assert_allclose(x.mean(), (a + m + b) / 3, atol=3 * se_of_mean(var))
    assert_allclose(x.var(), var, rtol=0.1)


def test_pert_mean():
    a, m, b = 16.0, 22.0, 25.0
    x = sample_inputs([spec("haulage.average_speed_km_h", a, b, m, "pert")], N, seed=5)[:, 0]
    # mean (a + 4m + b) / 6 = (16 + 88 + 25) / 6 = 21.5; beta α = 1 + 4 x 6/9, β = 1 + 4 x 3/9
    alpha, beta = 1 + 4 * (m - a) / (b - a), 1 + 4 * (b - m) / (b - a)
    var = (b - a) ** 2 * alpha * beta / ((alpha + beta) ** 2 * (alpha + beta + 1))
    assert_allclose(x.mean(), 21.5, atol=3 * se_of_mean(var))


def test_uniform_mean():
    x = sample_inputs([spec("haulage.haul_distance_km", 1.0, 3.0)], N, seed=5)[:, 0]
    assert_allclose(x.mean(), 2.0, atol=3 * se_of_mean(4 / 12))  # (a + b) / 2, (b - a)² / 12


def test_sample_inputs_refuses_no_samples():
    with pytest.raises(ValueError, match=r"n must be >= 1 sample, got 0"):
        sample_inputs([spec("haulage.haul_distance_km", 1.0, 3.0)], 0, seed=1)


# -- Monte Carlo ------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [100, 500])
def test_monte_carlo_of_linear_evaluate_over_uniform(abaza, n):
    # evaluate = 1e6 + 5e5 x l with l ~ U(1, 3) km: the quantile q is 1e6 + 5e5 (1 + 2q)
    a, b = 1.0, 3.0
    project = with_specs(abaza, [spec("haulage.haul_distance_km", a, b)], samples=n, seed=42)
    samples, pct = monte_carlo(project, lambda p: 1e6 + 5e5 * p.haulage.haul_distance_km)
    assert len(samples) == n
    for name, q in (("P50", 0.5), ("P80", 0.8), ("P90", 0.9)):
        exact = 1e6 + 5e5 * (a + q * (b - a))
        # simple random sampling: the q-quantile has standard error sqrt(q (1-q) / n) / f(x_q)
        # with f = 1 / (b - a); three of them bound a plain Monte Carlo ...
        srs = 3 * 5e5 * (b - a) * math.sqrt(q * (1 - q) / n)
        assert_allclose(pct[name], exact, atol=srs)
        # ... and a Latin hypercube, one sample per 1/n stratum, is within one stratum width
        assert_allclose(pct[name], exact, atol=5e5 * (b - a) / n)
    assert pct["P50"] <= pct["P80"] <= pct["P90"]


def test_monte_carlo_is_deterministic_for_a_seed(abaza):
    def evaluate(p):
        return p.haulage.haul_distance_km * p.waste_streams[1].annual_mass_t

    first = monte_carlo(abaza, evaluate)
    assert monte_carlo(abaza, evaluate) == first
    other = monte_carlo(abaza.model_copy(update={"simulation": Simulation(seed=1)}), evaluate)
    assert other[0] != first[0]


def test_monte_carlo_passes_sampled_projects(abaza):
    seen = []

    def evaluate(p):
        seen.append(p.waste_streams[1].annual_mass_t)
        return 1.0

    samples, pct = monte_carlo(abaza, evaluate)
    assert len(seen) == abaza.simulation.samples == len(samples)
    assert 900_000 <= min(seen) < 910_000 and 1_090_000 < max(seen) <= 1_100_000
    assert_allclose(list(pct.values()), 1.0, rtol=0)


def test_monte_carlo_without_uncertain_inputs(abaza):
    assert monte_carlo(with_specs(abaza, []), lambda p: 1.0) == ([], {})


def test_monte_carlo_refuses_a_sample_that_breaks_evaluate(abaza):
    def evaluate(p):
        if p.haulage.haul_distance_km > 2.5:
            raise ValueError("fleet cannot cope")
        return 1.0

    with pytest.raises(ValueError, match=r"Monte Carlo sample \d+ of 500 \(.*haulage\.haul_"):
        monte_carlo(abaza, evaluate)


def test_monte_carlo_refuses_non_finite_results(abaza):
    with pytest.raises(ValueError, match=r"Monte Carlo sample 1 of 500: evaluate returned nan"):
        monte_carlo(abaza, lambda p: math.nan)


def test_monte_carlo_refuses_bad_paths(abaza):
    with pytest.raises(ValueError, match=r"'haulage\.haul_distanse_km'"):
        monte_carlo(with_specs(abaza, [spec("haulage.haul_distanse_km", 1, 3)]), lambda p: 1.0)


def test_sampling_and_apply_put_every_sample_in(abaza):
    # the machinery itself: 500 samples drawn and put into projects (its time is measured
    # by benchmarks/plan_speed.py, not asserted here: issue 16)
    specs = resolved_specs(abaza)
    x = sample_inputs(specs, 500, seed=1)
    paths = [s.input for s in specs]
    for row in x.tolist():
        q = apply_sample(abaza, dict(zip(paths, row, strict=True)))
        assert [value_at(q, p) for p in paths] == pytest.approx(row, rel=1e-12, abs=0.5)
