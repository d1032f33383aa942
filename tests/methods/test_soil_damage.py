"""Tests of postmine.methods.soil_damage (004, practical work 2, Eqs. 2.1-2.12).

PR2 of 004 prints no worked example, so each formula is checked against a hand computation
of variants 1 and 2 of Table 2.1 (m_п from Table 1.2, constants from the PR2 text), with the
arithmetic written out, and against cases that must hold analytically.
"""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from postmine.methods.soil_damage import (
    ADMIXTURE_NORM,
    LAND_VALUE_RUB_PER_HA,
    MAX_NORMATIVE_SOIL_LOSS,
    SOIL_LOSS_NORMS,
    SOIL_PRICE_RUB_PER_M3,
    admixed_rock_volume,
    agrochemical_worsening_coefficient,
    biological_worsening_coefficient,
    lost_soil_volume,
    mean_agrochemical_worsening,
    normative_soil_loss,
    quality_change_ratio,
    soil_dilution_coefficient,
    soil_disturbance_damage,
    soil_integrity_damage,
    soil_loss_damage,
    stripped_area,
    topsoil_stripping_volume,
)

# Hand arithmetic below is carried to 6 significant digits.
HAND_RTOL = 5e-6
# Exact decimal arithmetic (products of the table's decimals).
EXACT_RTOL = 1e-12


def test_constants_are_the_pr2_text():
    # 004 PR2 text: norms 5, 1, 2.5, 2.5, 5 %; at most 17 %; K_р = 1.1; N_зп = 0.08;
    # Ц_п = 350 rub/m³; Q = 125 thousand rub/ha.
    assert_allclose(list(SOIL_LOSS_NORMS.values()), [0.05, 0.01, 0.025, 0.025, 0.05])
    assert_allclose(MAX_NORMATIVE_SOIL_LOSS, 0.17)
    assert_allclose(ADMIXTURE_NORM, 0.08)
    assert_allclose(SOIL_PRICE_RUB_PER_M3, 350.0)
    assert_allclose(LAND_VALUE_RUB_PER_HA, 125_000.0)


# ---------------------------------------------------------------- (2.1) normative losses


def test_normative_loss_default_norms_sum_to_16_percent():
    # 0.05 + 0.01 + 0.025 + 0.025 + 0.05 = 0.16 (the text's "17 %" is the upper limit)
    assert_allclose(normative_soil_loss(), 0.16, rtol=EXACT_RTOL)


def test_normative_loss_is_the_sum_and_vectorised():
    total = normative_soil_loss(
        np.array([0.0, 0.05]), 0.01, 0.02, np.array([0.0, 0.03]), np.array([0.0, 0.06])
    )
    # [0 + 0.01 + 0.02 + 0 + 0, 0.05 + 0.01 + 0.02 + 0.03 + 0.06] = [0.03, 0.17]
    assert_allclose(total, [0.03, 0.17], rtol=EXACT_RTOL)


def test_normative_loss_at_17_percent_is_allowed():
    # 0.05 + 0.01 + 0.025 + 0.035 + 0.05 = 0.17 exactly (binary noise must not trip the check)
    assert_allclose(normative_soil_loss(rehandling_loss=0.035), 0.17, rtol=EXACT_RTOL)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (
            {"weather_loss": 0.07},
            r"N_пот \(r1 \+ r2 \+ r3 \+ r4 \+ r5\) must be in \[0, 0\.17\], got 0\.18",
        ),
        ({"removal_loss": 1.0}, r"removal_loss must be in \[0, 1\), got 1"),
        ({"haulage_loss": -0.01}, r"haulage_loss must be in \[0, 1\), got -0\.01"),
        ({"storage_loss": float("nan")}, r"storage_loss must be in \[0, 1\)"),
    ],
)
def test_normative_loss_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        normative_soil_loss(**kwargs)


# ---------------------------------------------------------------- (2.2)-(2.5) volumes


def test_stripped_area_and_volume_variant_1():
    # Variant 1: v_вп = 50 m/year, L_фот = 640 m, m_п = 0.5 m (Table 1.2), K_р = 1.1.
    # S = 50 x 640 = 32 000 m² = 3.2 ha/year; V_прс = 32 000 x 0.5 x 1.1 = 17 600 m³/year.
    assert_allclose(stripped_area(50.0, 640.0), 3.2, rtol=EXACT_RTOL)
    assert_allclose(topsoil_stripping_volume(50.0, 640.0, 0.5), 17_600.0, rtol=EXACT_RTOL)


def test_stripped_area_and_volume_variant_2():
    # Variant 2: v_вп = 110, L_фот = 950, m_п = 0.6: S = 104 500 m² = 10.45 ha/year;
    # V_прс = 104 500 x 0.6 x 1.1 = 68 970 m³/year.
    assert_allclose(stripped_area(110.0, 950.0), 10.45, rtol=EXACT_RTOL)
    assert_allclose(topsoil_stripping_volume(110.0, 950.0, 0.6, 1.1), 68_970.0, rtol=EXACT_RTOL)


def test_lost_admixed_and_dilution_variant_1():
    # V_п = 0.16 x 17 600 = 2816 m³; B_i = 0.08 x 17 600 = 1408 m³;
    # K_р = 1408 / (17 600 - 2816) = 1408 / 14 784 = 0.0952381
    assert_allclose(lost_soil_volume(17_600.0, 0.16), 2816.0, rtol=EXACT_RTOL)
    assert_allclose(admixed_rock_volume(17_600.0), 1408.0, rtol=EXACT_RTOL)
    assert_allclose(soil_dilution_coefficient(1408.0, 17_600.0, 2816.0), 0.0952381, rtol=HAND_RTOL)


def test_dilution_coefficient_is_norm_over_remaining_share():
    # Eqs. (2.3)-(2.5): K_р = V N_зп / (V - r_n V) = N_зп / (1 - r_n), whatever V.
    volumes = np.array([1.0, 17_600.0, 68_970.0])
    for r_n, n_зп in [(0.16, 0.08), (0.0, 0.08), (0.17, 0.02)]:
        k = soil_dilution_coefficient(
            admixed_rock_volume(volumes, n_зп), volumes, lost_soil_volume(volumes, r_n)
        )
        assert_allclose(k, n_зп / (1.0 - r_n), rtol=EXACT_RTOL)


@pytest.mark.parametrize(
    ("func", "args", "match"),
    [
        (stripped_area, (0.0, 640.0), r"advance_rate must be > 0 m/year, got 0"),
        (stripped_area, (50.0, -1.0), r"front_length must be > 0 m, got -1"),
        (topsoil_stripping_volume, (50.0, 640.0, 0.0), r"topsoil_thickness must be > 0 m"),
        (topsoil_stripping_volume, (50.0, 640.0, 0.5, 0.9), r"loosening_factor must be >= 1"),
        (lost_soil_volume, (-1.0, 0.16), r"stripped_volume must be >= 0 m³"),
        (lost_soil_volume, (100.0, 1.0), r"total_loss must be in \[0, 1\), got 1"),
        (admixed_rock_volume, (100.0, 1.2), r"admixture_norm must be in \[0, 1\)"),
        (soil_dilution_coefficient, (-1.0, 100.0, 10.0), r"admixed_volume must be >= 0"),
        (soil_dilution_coefficient, (1.0, 0.0, 0.0), r"stripped_volume must be > 0 m³"),
        (soil_dilution_coefficient, (1.0, 100.0, -1.0), r"lost_volume must be >= 0"),
        (soil_dilution_coefficient, (1.0, 100.0, 100.0), r"lost_volume must be < stripped"),
    ],
)
def test_volumes_bad_input(func, args, match):
    with pytest.raises(ValueError, match=match):
        func(*args)


# ---------------------------------------------------------------- (2.6) loss damage


def test_soil_loss_damage_variants_1_and_2():
    # Variant 1: 10⁴ x 0.16 x 3.2 ha x 0.5 m x 350 = 0.512 x 0.5 x 350 x 10⁴ = 896 000 roubles
    # Variant 2: 10⁴ x 0.16 x 10.45 x 0.6 x 350 = 1.672 x 0.6 x 350 x 10⁴ = 3 511 200 roubles
    damage = soil_loss_damage(0.16, np.array([3.2, 10.45]), np.array([0.5, 0.6]))
    assert_allclose(damage, [896_000.0, 3_511_200.0], rtol=EXACT_RTOL)


def test_soil_loss_damage_is_lost_in_situ_volume_times_price():
    # (2.6) against (2.2) and (2.4): У_пп = V_п Ц_п / K_р (the 10⁴ turns ha into m²,
    # and (2.6) prices the in-situ volume, without the loosening factor).
    v, length, m, k_р, r_n = 73.0, 812.0, 0.7, 1.15, 0.12
    v_п = lost_soil_volume(topsoil_stripping_volume(v, length, m, k_р), r_n)
    assert_allclose(
        soil_loss_damage(r_n, stripped_area(v, length), m, 410.0),
        v_п * 410.0 / k_р,
        rtol=EXACT_RTOL,
    )


def test_no_loss_gives_no_loss_damage():
    r_n = normative_soil_loss(0.0, 0.0, 0.0, 0.0, 0.0)
    assert_allclose(soil_loss_damage(r_n, 3.2, 0.5), 0.0, atol=0.0)


@pytest.mark.parametrize(
    ("args", "match"),
    [
        ((1.0, 3.2, 0.5), r"total_loss must be in \[0, 1\), got 1"),
        ((0.16, -3.2, 0.5), r"stripped_area must be >= 0 ha/year, got -3\.2"),
        ((0.16, 3.2, -0.5), r"topsoil_thickness must be >= 0 m"),
        ((0.16, 3.2, 0.5, -350.0), r"soil_price must be >= 0 rub/m³, got -350"),
    ],
)
def test_soil_loss_damage_bad_input(args, match):
    with pytest.raises(ValueError, match=match):
        soil_loss_damage(*args)


# ---------------------------------------------------------------- (2.8)-(2.11) coefficients

# Table 2.1, variants 1 and 2: (undisturbed, disturbed) and the hand-computed
# K_и = disturbed / undisturbed and K_а = 1 - K_и.
AGROCHEMICAL = [
    # variant, indicator, undisturbed, disturbed, K_и, K_а
    (1, "pH", 7.0, 4.5, 0.642857, 0.357143),  # 4.5 / 7.0
    (1, "N", 2.0, 0.26, 0.13, 0.87),  # 0.26 / 2.0
    (1, "P", 3.0, 1.0, 0.333333, 0.666667),  # 1.0 / 3.0
    (1, "K", 3.5, 0.9, 0.257143, 0.742857),  # 0.9 / 3.5
    (2, "pH", 6.5, 5.0, 0.769231, 0.230769),  # 5.0 / 6.5
    (2, "N", 2.1, 0.35, 0.166667, 0.833333),  # 0.35 / 2.1
    (2, "P", 2.5, 1.5, 0.6, 0.4),  # 1.5 / 2.5
    (2, "K", 2.8, 1.9, 0.678571, 0.321429),  # 1.9 / 2.8
]


@pytest.mark.parametrize(("variant", "indicator", "u", "d", "k_и", "k_а"), AGROCHEMICAL)
def test_agrochemical_coefficients_table_2_1(variant, indicator, u, d, k_и, k_а):
    assert_allclose(quality_change_ratio(d, u), k_и, rtol=HAND_RTOL)
    assert_allclose(agrochemical_worsening_coefficient(d, u), k_а, rtol=HAND_RTOL)


def test_mean_agrochemical_worsening_variants_1_and_2():
    # Variant 1: (0.666667 + 0.87 + 0.742857 + 0.357143) / 4 = 2.636667 / 4 = 0.659167
    # Variant 2: (0.4 + 0.833333 + 0.321429 + 0.230769) / 4 = 1.785531 / 4 = 0.446383
    mean = mean_agrochemical_worsening(
        np.array([0.666667, 0.4]),
        np.array([0.87, 0.833333]),
        np.array([0.742857, 0.321429]),
        np.array([0.357143, 0.230769]),
    )
    assert_allclose(mean, [0.659167, 0.446383], rtol=HAND_RTOL)


def test_biological_worsening_variants_1_and_2():
    # Variant 1: 1 - 3.4 x 20 / (9.0 x 40) = 1 - 68 / 360 = 0.811111
    # Variant 2: 1 - 2.5 x 15 / (8.5 x 30) = 1 - 37.5 / 255 = 0.852941
    k_б = biological_worsening_coefficient(
        np.array([9.0, 8.5]), np.array([3.4, 2.5]), np.array([40.0, 30.0]), np.array([20.0, 15.0])
    )
    assert_allclose(k_б, [0.811111, 0.852941], rtol=HAND_RTOL)


def test_undisturbed_soil_has_zero_worsening():
    # No disturbance: every ratio is 1, every worsening coefficient 0.
    assert_allclose(agrochemical_worsening_coefficient(2.2, 2.2), 0.0, atol=0.0)
    assert_allclose(biological_worsening_coefficient(9.0, 9.0, 40.0, 40.0), 0.0, atol=0.0)
    # Humus content halved but depth doubled: the humus store G L is unchanged.
    assert_allclose(biological_worsening_coefficient(9.0, 4.5, 20.0, 40.0), 0.0, atol=1e-15)


def test_fully_depleted_soil_has_unit_worsening():
    assert_allclose(agrochemical_worsening_coefficient(0.0, 3.0), 1.0, atol=0.0)
    assert_allclose(biological_worsening_coefficient(9.0, 0.0, 40.0, 20.0), 1.0, atol=0.0)
    assert_allclose(mean_agrochemical_worsening(1.0, 1.0, 1.0, 1.0), 1.0, atol=0.0)


@pytest.mark.parametrize(
    ("func", "args", "match"),
    [
        (quality_change_ratio, (-0.1, 2.0), r"disturbed must be >= 0 %, got -0\.1"),
        (quality_change_ratio, (1.0, 0.0), r"undisturbed must be > 0 %, got 0"),
        (quality_change_ratio, (2.5, 2.0), r"disturbed must be <= undisturbed"),
        (agrochemical_worsening_coefficient, (7.5, 7.0), r"disturbed must be <= undisturbed"),
        (mean_agrochemical_worsening, (1.1, 0.5, 0.5, 0.5), r"phosphorus must be in \[0, 1\]"),
        (mean_agrochemical_worsening, (0.5, -0.1, 0.5, 0.5), r"nitrogen must be in \[0, 1\]"),
        (mean_agrochemical_worsening, (0.5, 0.5, 2.0, 0.5), r"potassium must be in \[0, 1\]"),
        (mean_agrochemical_worsening, (0.5, 0.5, 0.5, -1.0), r"acidity must be in \[0, 1\]"),
        (biological_worsening_coefficient, (0.0, 1.0, 40.0, 20.0), r"humus_undisturbed must be >"),
        (biological_worsening_coefficient, (9.0, -1.0, 40.0, 20.0), r"humus_disturbed must be >="),
        (biological_worsening_coefficient, (9.0, 3.0, 0.0, 20.0), r"humus_depth_undisturbed"),
        (biological_worsening_coefficient, (9.0, 3.0, 40.0, -2.0), r"humus_depth_disturbed"),
        (biological_worsening_coefficient, (9.0, 10.0, 40.0, 40.0), r"G_н L_н must be <= G_0 L_0"),
    ],
)
def test_coefficients_bad_input(func, args, match):
    with pytest.raises(ValueError, match=match):
        func(*args)


# ---------------------------------------------------------------- (2.7), (2.12) damage


def test_integrity_damage_variants_1_and_2_product_reading():
    # (2.7) read as a product, Q = 125 000 rub/ha:
    # Variant 1: 0.811111 x 0.659167 = 0.534657; x 0.0952381 = 0.0509197;
    #            x 125 000 = 6364.97; x 3.2 ha = 20 367.9 rub/year
    # Variant 2: 0.852941 x 0.446383 = 0.380738; x 0.0952381 = 0.0362608;
    #            x 125 000 = 4532.60; x 10.45 ha = 47 365.7 rub/year
    damage = soil_integrity_damage(
        np.array([0.811111, 0.852941]),
        np.array([0.659167, 0.446383]),
        0.0952381,
        np.array([3.2, 10.45]),
    )
    assert_allclose(damage, [20_367.9, 47_365.7], rtol=2e-5)


def test_integrity_damage_never_exceeds_the_land_value():
    # The product of shares stays <= Q S; the sum reading would exceed it (variant 1:
    # 0.811 + 0.659 + 0.095 = 1.566 > 1), which is why the product was chosen.
    rng = np.random.default_rng(2)
    k = rng.uniform(0.0, 1.0, size=(3, 1000))
    damage = soil_integrity_damage(k[0], k[1], k[2], 2.0, 1000.0)
    assert np.all(damage <= 2.0 * 1000.0)
    assert_allclose(soil_integrity_damage(1.0, 1.0, 1.0, 2.0, 1000.0), 2000.0, rtol=EXACT_RTOL)


def test_no_disturbance_gives_zero_damage():
    # Undisturbed soil (after == before), no losses and no admixture: У_нп = 0.
    volume = topsoil_stripping_volume(50.0, 640.0, 0.5)
    r_n = normative_soil_loss(0.0, 0.0, 0.0, 0.0, 0.0)
    k_р = soil_dilution_coefficient(
        admixed_rock_volume(volume, 0.0), volume, lost_soil_volume(volume, r_n)
    )
    k_а = mean_agrochemical_worsening(
        *(agrochemical_worsening_coefficient(x, x) for x in (3.0, 2.0, 3.5, 7.0))
    )
    k_б = biological_worsening_coefficient(9.0, 9.0, 40.0, 40.0)
    area = stripped_area(50.0, 640.0)
    total = soil_disturbance_damage(
        soil_loss_damage(r_n, area, 0.5), soil_integrity_damage(k_б, k_а, k_р, area)
    )
    assert_allclose(total, 0.0, atol=0.0)


def test_total_damage_variant_1():
    # У_нп = 896 000 + 20 367.9 = 916 367.9 rub/year
    assert_allclose(soil_disturbance_damage(896_000.0, 20_367.9), 916_367.9, rtol=EXACT_RTOL)


@pytest.mark.parametrize(
    ("func", "args", "match"),
    [
        (soil_integrity_damage, (1.2, 0.5, 0.1, 3.2), r"biological_worsening must be in \[0, 1\]"),
        (soil_integrity_damage, (0.8, -0.5, 0.1, 3.2), r"agrochemical_worsening must be in"),
        (soil_integrity_damage, (0.8, 0.5, 1.5, 3.2), r"dilution_coefficient must be in \[0, 1\]"),
        (soil_integrity_damage, (0.8, 0.5, 0.1, -3.2), r"stripped_area must be >= 0 ha/year"),
        (soil_integrity_damage, (0.8, 0.5, 0.1, 3.2, -1.0), r"land_value must be >= 0 rub/ha"),
        (soil_disturbance_damage, (-1.0, 0.0), r"loss_damage must be >= 0 rub/year"),
        (soil_disturbance_damage, (0.0, -1.0), r"integrity_damage must be >= 0 rub/year"),
    ],
)
def test_damage_bad_input(func, args, match):
    with pytest.raises(ValueError, match=match):
        func(*args)
