"""Uncertain inputs: dotted paths, Latin-hypercube sampling, apply_sample, Monte Carlo.

Checked against analytical results: the means of the triangular, uniform and PERT
distributions, the quantiles of a uniform input through a linear evaluate(), and the
stratification that defines a Latin hypercube.
"""

import math
import time
from pathlib import Path

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import stats

from postmine.project.schema import Simulation, UncertainInput, read_project
from postmine.project.uncertainty import (
    apply_sample,
    check_uncertain_inputs,
    monte_carlo,
    parse_input_path,
    sample_inputs,
)

ROOT = Path(__file__).resolve().parents[2]
ABAZA = ROOT / "examples" / "abaza" / "project.toml"


@pytest.fixture(scope="module")
def abaza():
    return read_project(ABAZA)


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
            # β = 37°20′ must stay >= α: α up to 38° breaks it at the high end
            [spec("void.repose_angle_deg", 35, 38, 36.8)],
            r"void\.repose_angle_deg = 38 \(high end\) makes the project invalid: void: "
            r"void\.stability_angle_deg must be >= void\.repose_angle_deg",
        ),
        (
            # the +650 tier holds 3 839 500 m³, so a capacity of 3 M leaves nothing for +680
            [spec("void.remaining_capacity_m3", 3e6, 3e7, 2.7e7)],
            r"remaining_capacity_m3 = 3e\+06 \(low end\) makes the project invalid",
        ),
        (
            # α alone up to 37.3° stays below β = 37.33°, β alone down to 36.9° stays above
            # α = 36.83°; both at their low ends give α = 37.0° > β = 36.9°
            [
                spec("void.repose_angle_deg", 37.0, 37.3, 37.1),
                spec("void.stability_angle_deg", 36.9, 40, 37.3),
            ],
            r"every input at its low end makes the project invalid",
        ),
    ],
)
def test_check_uncertain_inputs_refuses(abaza, specs, match):
    with pytest.raises(ValueError, match=match):
        check_uncertain_inputs(with_specs(abaza, specs))


# -- sampling ---------------------------------------------------------------------------------


def test_samples_shape_range_and_determinism(abaza):
    specs = abaza.uncertainty
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


def test_sampling_and_apply_are_fast(abaza):
    # the machinery itself (500 samples drawn and put into projects) must stay well under
    # 0.3 s of the 2 s budget of `postmine plan`; it takes about 0.02 s
    start = time.perf_counter()
    x = sample_inputs(abaza.uncertainty, 500, seed=1)
    paths = [s.input for s in abaza.uncertainty]
    for row in x.tolist():
        apply_sample(abaza, dict(zip(paths, row, strict=True)))
    assert time.perf_counter() - start < 0.3
