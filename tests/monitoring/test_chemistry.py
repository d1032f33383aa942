"""Tests of drainage-water chemistry (postmine.monitoring.chemistry).

Limits: the packaged table against the values of its documents (СанПиН 1.2.3685-21,
Order № 552 of 13.12.2016). Trend: Mann-Kendall S and Var(S) computed by hand on small
series with ties, and p-value and Sen's slope interval against SciPy's independent
implementations (``scipy.stats.kendalltau``, ``scipy.stats.theilslopes``). Anomalies:
synthetic drainage chemistry with seasonal, autocorrelated dilution and an injected
acid-drainage excursion.
"""

import math

import numpy as np
import pytest
import scipy.stats
from numpy.testing import assert_allclose

from postmine.monitoring.chemistry import (
    ChemistryAnomalies,
    Exceedance,
    WaterLimit,
    _parse_limits,
    describe_anomaly,
    detect_chemistry_anomalies,
    exceedance_ratio,
    exceeds_limit,
    limit_exceedances,
    mann_kendall,
    read_water_limits,
    robust_baseline,
    sens_slope,
    update_baseline,
)

# --- limit values ----------------------------------------------------------------------

SANPIN = "СанПиН 1.2.3685-21"
ORDER_552 = "Приказ Минсельхоза России от 13.12.2016 № 552"

# Layout of data/water_limits.toml: parameter, standard, min, max [mg/L or pH], document
PACKAGED_LIMITS = [
    ("ph", "drinking", 6.0, 9.0, SANPIN),  # Table 3.3
    ("sulphate", "drinking", None, 500.0, SANPIN),  # Table 3.13
    ("iron", "drinking", None, 0.3, SANPIN),
    ("manganese", "drinking", None, 0.1, SANPIN),
    ("copper", "drinking", None, 1.0, SANPIN),
    ("arsenic", "drinking", None, 0.01, SANPIN),
    ("cadmium", "drinking", None, 0.001, SANPIN),
    ("lead", "drinking", None, 0.01, SANPIN),
    ("ph", "fishery", 6.5, 8.5, ORDER_552),
    ("sulphate", "fishery", None, 100.0, ORDER_552),
    ("iron", "fishery", None, 0.1, ORDER_552),
    ("manganese", "fishery", None, 0.01, ORDER_552),
    ("copper", "fishery", None, 0.001, ORDER_552),
    ("zinc", "fishery", None, 0.01, ORDER_552),
]


def test_packaged_limits_are_the_documented_ones():
    got = [(w.parameter, w.standard, w.low, w.high) for w in read_water_limits()]
    assert got == [row[:4] for row in PACKAGED_LIMITS]


@pytest.mark.parametrize(("parameter", "standard", "low", "high", "document"), PACKAGED_LIMITS)
def test_every_limit_names_its_document_and_table(parameter, standard, low, high, document):
    (limit,) = [
        w for w in read_water_limits(standard) if w.parameter == parameter
    ]  # one per parameter and standard
    assert limit.document.startswith(document)
    assert "Table" in limit.location or "Appendix" in limit.location
    assert limit.unit == ("pH" if parameter == "ph" else "mg/L")
    assert document in limit.source


def test_uncertain_values_are_left_out():
    # The file's header says why: zinc (drinking) and As, Cd, Pb (fishery) are not
    # verified; no document sets a limit for electrical conductivity.
    names = {(w.parameter, w.standard) for w in read_water_limits()}
    for left_out in [
        ("zinc", "drinking"),
        ("arsenic", "fishery"),
        ("cadmium", "fishery"),
        ("lead", "fishery"),
        ("electrical_conductivity", "drinking"),
        ("electrical_conductivity", "fishery"),
    ]:
        assert left_out not in names


def test_exceedance_ratio_hand_values():
    # zinc 0.032 mg/L against the fishery MPC 0.01 mg/L: 3.2 times
    assert_allclose(exceedance_ratio(0.032, 0.01), 3.2)
    assert_allclose(exceedance_ratio(np.array([0.05, 0.3, 0.9]), 0.3), [1 / 6, 1.0, 3.0])


def test_exceeds_limit_allows_the_bound_itself():
    iron = next(w for w in read_water_limits("drinking") if w.parameter == "iron")
    assert exceeds_limit([0.29, 0.3, 0.31], iron).tolist() == [False, False, True]
    ph = next(w for w in read_water_limits("drinking") if w.parameter == "ph")
    assert exceeds_limit([5.99, 6.0, 9.0, 9.01], ph).tolist() == [True, False, False, True]


def test_limit_exceedances_of_an_acid_drainage_sample():
    sample = {"pH": 3.9, "SO4": 1450.0, "Fe": 0.25, "Mn": 2.0, "Cu": 0.4, "Zn": 2.1}
    drinking = limit_exceedances(sample, standard="drinking")
    assert [(e.parameter, e.side) for e in drinking] == [
        ("ph", "below"),
        ("sulphate", "above"),
        ("manganese", "above"),
    ]
    sulphate = drinking[1]
    assert isinstance(sulphate, Exceedance)
    assert_allclose(sulphate.ratio, 1450.0 / 500.0)
    assert sulphate.limit == 500.0 and sulphate.unit == "mg/L"
    assert SANPIN in sulphate.source and "Table 3.13" in sulphate.source
    assert drinking[0].ratio is None and drinking[0].limit == 6.0
    fishery = limit_exceedances(sample)
    assert {e.parameter for e in fishery if e.standard == "fishery"} == {
        "ph",
        "sulphate",
        "iron",
        "manganese",
        "copper",
        "zinc",
    }
    assert limit_exceedances({"ph": 7.2, "sulphate": 80.0}) == []


def test_limit_exceedances_with_own_limits():
    own = [WaterLimit("nickel", "fishery", None, 0.01, "mg/L", "site permit", "annex 2")]
    (found,) = limit_exceedances({"Ni": 0.05}, own)
    assert (found.parameter, found.ratio, found.source) == ("nickel", 5.0, "site permit, annex 2")
    assert limit_exceedances({"Ni": 0.05}, own, standard="drinking") == []


def test_limits_file_is_validated():
    doc = {"documents": {"d": {"title": "Doc", "standard": "fishery"}}}
    row = {"parameter": "zinc", "standard": "fishery", "unit": "mg/L", "document": "d"}
    ok = _parse_limits(
        {"format_version": 1, **doc, "limit": [row | {"max": 0.01, "location": "T"}]}
    )
    assert ok[0].high == 0.01
    with pytest.raises(ValueError, match="format_version must be 1, got 2"):
        _parse_limits({"format_version": 2})
    with pytest.raises(ValueError, match="unknown document 'x'"):
        _parse_limits({"format_version": 1, **doc, "limit": [row | {"document": "x"}]})
    with pytest.raises(ValueError, match="needs min or max"):
        _parse_limits({"format_version": 1, **doc, "limit": [row | {"location": "T"}]})
    with pytest.raises(ValueError, match="min must be < max, got 9 and 6"):
        _parse_limits({"format_version": 1, **doc, "limit": [row | {"min": 9, "max": 6}]})
    with pytest.raises(ValueError, match="standard must be one of"):
        _parse_limits({"format_version": 1, **doc, "limit": [row | {"standard": "drinking"}]})


# --- Mann-Kendall and Sen's slope -----------------------------------------------------

MK_TOL = 1e-12  # hand arithmetic is exact in binary up to the last digit


def test_mann_kendall_hand_computed_with_a_triple_tie():
    x = [2.0, 1.0, 2.0, 3.0, 2.0, 5.0]
    # S, row by row (sign of later minus earlier):
    #   2: vs 1,2,3,2,5 -> -1 0 +1 0 +1 = +1
    #   1: vs 2,3,2,5   -> +4
    #   2: vs 3,2,5     -> +1 0 +1 = +2
    #   3: vs 2,5       -> -1 +1 = 0
    #   2: vs 5         -> +1              S = 8
    # Var(S) = [n(n-1)(2n+5) - Σ t(t-1)(2t+5)]/18 = [6·5·17 - 3·2·11]/18 = 444/18
    # Z = (S - 1)/√Var(S) = 7/4.96655 = 1.40943;  p = 2(1 - Φ(1.40943)) = 0.15871
    r = mann_kendall(x)
    assert r.s == 8.0
    assert_allclose(r.var_s, 444.0 / 18.0, rtol=MK_TOL)
    assert_allclose(r.z, 7.0 / math.sqrt(444.0 / 18.0), rtol=MK_TOL)
    assert_allclose(r.p_value, 0.15871, atol=5e-6)
    assert_allclose(r.tau, 8.0 / 15.0)
    assert (r.trend, r.n) == ("no trend", 6)


def test_mann_kendall_decreasing_without_ties():
    # strictly decreasing, n = 8: S = -28, Var(S) = 8·7·21/18 = 65.333
    r = mann_kendall(np.arange(8.0)[::-1])
    assert r.s == -28.0
    assert_allclose(r.var_s, 8 * 7 * 21 / 18)
    assert_allclose(r.z, -27.0 / math.sqrt(8 * 7 * 21 / 18))
    assert r.trend == "decreasing" and r.tau == -1.0


@pytest.mark.parametrize("seed", range(5))
def test_mann_kendall_p_value_matches_scipy_kendalltau(seed):
    # Without the continuity correction Z = S/σ is the asymptotic test of Kendall's τ
    # between time and value; SciPy computes it independently (tie-corrected τ-b).
    rng = np.random.default_rng(seed)
    x = np.round(0.02 * np.arange(60) + rng.normal(0, 0.5, 60), 1)  # rounding makes ties
    ours = mann_kendall(x, continuity_correction=False)
    ref = scipy.stats.kendalltau(np.arange(60), x, method="asymptotic")
    assert_allclose(ours.p_value, ref.pvalue, rtol=1e-9)
    assert mann_kendall(x).p_value >= ours.p_value  # the correction is conservative


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("confidence", [0.90, 0.95])
def test_sens_slope_matches_scipy_theilslopes(seed, confidence):
    rng = np.random.default_rng(seed)
    t = np.sort(np.round(rng.uniform(0.0, 365.0, 40)))  # irregular sampling, tied dates
    x = np.round(300.0 + 0.2 * t + rng.normal(0.0, 15.0, 40))  # sulphate, mg/L, ties
    ours = sens_slope(t, x, confidence=confidence)
    ref = scipy.stats.theilslopes(x, t, confidence)
    assert_allclose(
        [ours.slope, ours.intercept, ours.low, ours.high],
        [ref.slope, ref.intercept, ref.low_slope, ref.high_slope],
        rtol=1e-12,
    )
    assert ours.low <= ours.slope <= ours.high


def test_sens_slope_hand_computed():
    # slopes of all pairs of (0,10) (1,12) (2,13) (3,15) (4,18):
    # 2, 1.5, 5/3, 2, 1, 1.5, 2, 2, 2.5, 3 -> sorted 1, 1.5, 1.5, 1.667, 2, 2, 2, 2, 2.5, 3
    # median 2; Var(S) = 5·4·15/18 = 16.667, C = 1.95996·4.08248 = 8.0015,
    # M1 = (10 - 8.0015)/2 = 0.999 -> 1st = 1;  M2 + 1 = (10 + 8.0015)/2 + 1 -> 10th = 3
    # intercept = median(x) - 2·median(t) = 13 - 4 = 9
    r = sens_slope([0.0, 1.0, 2.0, 3.0, 4.0], [10.0, 12.0, 13.0, 15.0, 18.0])
    assert (r.slope, r.low, r.high, r.intercept, r.n_slopes) == (2.0, 1.0, 3.0, 9.0, 10)


# --- anomaly detection -------------------------------------------------------------------


def normal_chemistry(n, seed):
    """Daily drainage chemistry: seasonal and autocorrelated dilution moves all ions together.

    Dilution factor f (log10 units): an annual cycle of ±0.15 plus an AR(1) process
    (φ = 0.9, stationary sd 0.11), i.e. concentrations vary by a factor of about 2 over a
    year; pH falls slightly when the water is more concentrated; each parameter has its
    own analytical noise.
    """
    rng = np.random.default_rng(seed)
    days = np.arange(n)
    ar = np.zeros(n)
    for i in range(1, n):
        ar[i] = 0.9 * ar[i - 1] + 0.05 * rng.standard_normal()
    f = 0.15 * np.sin(2 * np.pi * days / 365.0) + ar

    def noise(sd):
        return sd * rng.standard_normal(n)

    return {
        "ph": 6.8 - 0.3 * f + noise(0.05),
        "ec": 1500.0 * 10 ** (f + noise(0.02)),  # µS/cm
        "sulphate": 450.0 * 10 ** (f + noise(0.03)),  # mg/L
        "iron": 0.3 * 10 ** (0.8 * f + noise(0.08)),
        "manganese": 0.5 * 10 ** (0.8 * f + noise(0.06)),
        "zinc": 0.05 * 10 ** (f + noise(0.05)),
        "copper": 0.01 * 10 ** (0.7 * f + noise(0.08)),
    }


ACID_DRAINAGE = {  # an acid-rock-drainage pulse: pH down, sulphate and metals up together
    "ph": -1.5,  # pH units
    "ec": 2.0,  # factors
    "sulphate": 3.0,
    "iron": 10.0,
    "manganese": 5.0,
    "zinc": 5.0,
    "copper": 5.0,
}
MILD_ACID_DRAINAGE = {
    "ph": -0.5,
    "ec": 1.3,
    "sulphate": 1.5,
    "iron": 2.0,
    "manganese": 1.6,
    "zinc": 2.0,
    "copper": 1.6,
}


def inject(chem, days, change):
    out = {k: v.copy() for k, v in chem.items()}
    for k, c in change.items():
        if k == "ph":
            out[k][days] += c
        else:
            out[k][days] *= c
    return out


@pytest.mark.parametrize("change", [ACID_DRAINAGE, MILD_ACID_DRAINAGE], ids=["strong", "mild"])
def test_acid_drainage_excursion_is_flagged(change):
    pulse = slice(400, 411)
    res = detect_chemistry_anomalies(inject(normal_chemistry(730, 99), pulse, change))
    assert isinstance(res, ChemistryAnomalies)
    assert res.flagged[pulse].all()
    # explained: pH is the most deviant parameter, and it is low; metals are up
    text = describe_anomaly(res, 405)
    assert text.startswith("D² = ") and " > " in text
    assert res.scores[405, res.parameters.index("ph")] < -5.0
    assert res.ratios[405, res.parameters.index("iron")] > 1.5


def test_excursion_is_not_learnt_as_normal():
    # A month of acid drainage stays flagged to its end; afterwards normal water is normal.
    pulse = slice(300, 330)
    res = detect_chemistry_anomalies(inject(normal_chemistry(500, 7), pulse, ACID_DRAINAGE))
    assert res.flagged[pulse].all()
    assert res.flagged[335:].sum() <= 1


def test_normal_variation_is_not_flagged():
    # 20 two-year series of normal chemistry, 1 ‰ nominal false-alarm rate: after the
    # warm-up the measured rate is about 1.2 ‰ (the baseline is estimated, the
    # dilution autocorrelated); allow up to 3 ‰.
    flagged = after = 0
    for seed in range(20):
        res = detect_chemistry_anomalies(normal_chemistry(730, seed))
        flagged += int(res.flagged[res.warmup :].sum())
        after += 730 - res.warmup
    assert flagged / after < 3e-3


def test_large_dilution_that_follows_the_site_correlation_is_not_flagged():
    # Rain halves every concentration (pH up a little, as the site's own relation says):
    # each ion alone is -2.5 to -3 σ, but jointly it is ordinary dilution.
    chem = normal_chemistry(730, 97)
    storm = slice(500, 505)
    for k in chem:
        if k == "ph":
            chem[k][storm] += 0.3 * math.log10(2.0)
        else:
            power = {"iron": 0.8, "manganese": 0.8, "copper": 0.7}.get(k, 1.0)
            chem[k][storm] *= 0.5**power
    res = detect_chemistry_anomalies(chem)
    assert not res.flagged[storm].any()
    assert (np.abs(res.scores[storm]) > 2.0).any()  # a univariate 2σ chart would alarm


def test_anomalies_in_the_warmup_do_not_spoil_the_baseline():
    chem = inject(normal_chemistry(400, 5), slice(10, 16), ACID_DRAINAGE)
    res = detect_chemistry_anomalies(chem)
    assert res.flagged[10:16].all()  # judged after the fact against the robust baseline
    assert res.flagged[res.warmup :].sum() <= 1


def test_missing_parameters_are_judged_on_the_rest():
    chem = inject(normal_chemistry(300, 3), slice(250, 252), ACID_DRAINAGE)
    chem["ph"][250] = np.nan  # pH not measured in the first sample of the pulse
    chem["copper"][200] = np.nan  # nor copper in a normal one
    res = detect_chemistry_anomalies(chem)
    assert res.flagged[250] and res.flagged[251]
    assert not res.flagged[200]
    assert np.isnan(res.scores[250, 0]) and res.threshold[250] < res.threshold[251]


def test_online_steps_reproduce_the_batch():
    chem = inject(normal_chemistry(200, 11), slice(150, 153), ACID_DRAINAGE)
    batch = detect_chemistry_anomalies(chem, warmup=70)
    base = robust_baseline({k: v[:70] for k, v in chem.items()})
    flags = []
    for i in range(70, 200):
        base, d2, flag = update_baseline(base, {k: v[i] for k, v in chem.items()})
        assert_allclose(d2, batch.distance_squared[i], rtol=1e-10)
        flags.append(flag)
    assert flags == batch.flagged[70:].tolist()
    assert_allclose(base.mean, batch.baseline.mean, rtol=1e-12)


def test_threshold_tends_to_chi_square():
    base = robust_baseline({k: v[:70] for k, v in normal_chemistry(70, 1).items()})
    assert base.threshold(7) > scipy.stats.chi2.ppf(0.999, 7)
    big = type(base)(**{**base.__dict__, "n_effective": 1e7})
    assert_allclose(big.threshold(7), scipy.stats.chi2.ppf(0.999, 7), rtol=1e-4)


def test_units_do_not_change_the_distance():
    chem = normal_chemistry(200, 2)
    in_ug = dict(chem, zinc=chem["zinc"] * 1000.0)  # µg/L instead of mg/L
    assert_allclose(
        detect_chemistry_anomalies(chem).distance_squared,
        detect_chemistry_anomalies(in_ug).distance_squared,
        rtol=1e-8,
    )


# --- errors ----------------------------------------------------------------------------


def test_bad_limit_arguments():
    with pytest.raises(ValueError, match=r"standard must be one of \('drinking', 'fishery'\)"):
        read_water_limits("irrigation")
    with pytest.raises(ValueError, match="standard must be one of"):
        limit_exceedances({"ph": 7.0}, read_water_limits(), standard="sea")
    with pytest.raises(ValueError, match=r"concentration must be >= 0 mg/L, got -0\.1 mg/L"):
        exceedance_ratio(-0.1, 0.01)
    with pytest.raises(ValueError, match="limit must be > 0 mg/L, got 0 mg/L"):
        exceedance_ratio(0.1, 0.0)
    iron = read_water_limits("drinking")[2]
    with pytest.raises(ValueError, match="iron must be a finite number, got nan mg/L"):
        exceeds_limit([0.1, np.nan], iron)
    with pytest.raises(ValueError, match="iron must be >= 0 mg/L, got -1 mg/L"):
        exceeds_limit([-1.0], iron)
    with pytest.raises(ValueError, match="sulphate must be a finite number, got nan mg/L"):
        limit_exceedances({"sulphate": float("nan")})


@pytest.mark.parametrize(
    ("values", "kwargs", "match"),
    [
        ([1.0, 2.0], {}, "values must have at least 3 values, got 2"),
        ([1.0, np.nan, 2.0], {}, "values must be a finite number, got nan"),
        ([[1.0, 2.0, 3.0]], {}, r"values must be a 1-D series, got shape \(1, 3\)"),
        ([2.0, 2.0, 2.0], {}, r"values must not all be equal"),
        ([1.0, 2.0, 3.0], {"alpha": 0.0}, r"alpha must be in \(0, 1\), got 0"),
    ],
)
def test_bad_mann_kendall(values, kwargs, match):
    with pytest.raises(ValueError, match=match):
        mann_kendall(values, **kwargs)


@pytest.mark.parametrize(
    ("times", "values", "kwargs", "match"),
    [
        ([0.0, 1.0, 2.0], [1.0, 2.0], {}, "values must have at least 3 values, got 2"),
        ([0.0, 1.0, 2.0, 3.0], [1.0, 2.0, 3.0], {}, "same length, got 4 and 3"),
        ([1.0, 1.0, 1.0], [1.0, 2.0, 3.0], {}, "times must not all be equal"),
        ([0.0, np.inf, 2.0], [1.0, 2.0, 3.0], {}, "times must be a finite number, got inf d"),
        ([0.0, 1.0, 2.0], [1.0, 2.0, 3.0], {"confidence": 1.5}, r"confidence must be in"),
    ],
)
def test_bad_sens_slope(times, values, kwargs, match):
    with pytest.raises(ValueError, match=match):
        sens_slope(times, values, **kwargs)


GOOD = normal_chemistry(80, 0)


@pytest.mark.parametrize(
    ("samples", "kwargs", "match"),
    [
        ({}, {}, "samples must hold at least one parameter"),
        (dict(GOOD, ph=GOOD["ph"][:-1]), {}, "samples must be 1-D series of the same length"),
        (dict(GOOD, zinc=np.r_[0.0, GOOD["zinc"][1:]]), {}, r"zinc must be > 0 on the log scale"),
        (dict(GOOD, ec=np.r_[np.inf, GOOD["ec"][1:]]), {}, r"ec must be finite or NaN"),
        (GOOD, {"linear_scale": ("ph", "redox")}, r"linear_scale names parameters not in"),
        (GOOD, {"halflife": 0.0}, r"halflife must be > 0 samples, got 0 samples"),
        (GOOD, {"false_alarm_rate": 0.0}, r"false_alarm_rate must be in \(0, 1\), got 0"),
        ({k: v[:15] for k, v in GOOD.items()}, {}, r"at least 2p \+ 2 = 16 samples, got 15"),
        (dict(GOOD, ph=np.r_[np.nan, GOOD["ph"][1:]]), {}, r"ph is missing in sample 0"),
        (dict(GOOD, cadmium=np.full(80, 0.0005)), {}, r"\['cadmium'\] do not vary"),
    ],
)
def test_bad_baseline(samples, kwargs, match):
    with pytest.raises(ValueError, match=match):
        robust_baseline(samples, **kwargs)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"warmup": 15}, r"warmup must be >= 16 samples, got 15 samples"),
        ({"warmup": 20.5}, r"warmup must be an integer number of samples, got 20.5"),
        ({"warmup": 81}, r"at least warmup = 81 samples, got 80"),
        ({"halflife": -1.0}, r"halflife must be > 0 samples"),
    ],
)
def test_bad_detector_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        detect_chemistry_anomalies(GOOD, **kwargs)


def test_bad_samples_for_the_detector():
    gap = dict(GOOD, ph=GOOD["ph"].copy(), sulphate=GOOD["sulphate"].copy())
    for k in gap:
        gap[k] = np.r_[gap[k], np.nan]
    with pytest.raises(ValueError, match="at least one measured parameter, got none"):
        detect_chemistry_anomalies(gap, warmup=70)
    with pytest.raises(ValueError, match=r"zinc must be > 0 on the log scale"):
        detect_chemistry_anomalies(dict(GOOD, zinc=np.r_[GOOD["zinc"][:-1], -1.0]))


def test_bad_online_sample():
    base = robust_baseline(GOOD)
    with pytest.raises(ValueError, match=r"sample names parameters not in the baseline: \['As'\]"):
        update_baseline(base, {"ph": 7.0, "As": 0.01})
    with pytest.raises(ValueError, match="at least one measured parameter, got none"):
        update_baseline(base, {})
    with pytest.raises(ValueError, match=r"zinc must be > 0 on the log scale"):
        update_baseline(base, {"zinc": 0.0})


def test_bad_describe_arguments():
    res = detect_chemistry_anomalies(GOOD)
    with pytest.raises(ValueError, match=r"index must be in \[-80, 79\], got 80"):
        describe_anomaly(res, 80)
    with pytest.raises(ValueError, match=r"index must be an integer, got 1\.5"):
        describe_anomaly(res, 1.5)
    with pytest.raises(ValueError, match="top must be >= 1, got 0"):
        describe_anomaly(res, 0, top=0)
