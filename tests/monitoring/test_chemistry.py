"""Tests of drainage-chemistry anomaly detection (postmine.monitoring.chemistry).

Synthetic drainage chemistry with seasonal, autocorrelated dilution and an injected
acid-drainage excursion.
"""

import math

import numpy as np
import pytest
import scipy.stats
from numpy.testing import assert_allclose

from postmine.monitoring.chemistry import (
    ChemistryAnomalies,
    describe_anomaly,
    detect_chemistry_anomalies,
    robust_baseline,
    update_baseline,
)

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
