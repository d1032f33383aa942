"""Tests of postmine.methods.land_use against the worked example of 004, practical work 3.

The inputs are those of Table 3.2 in 004 as the "Решение" after it uses them (solid waste
58·10⁶ t/year, fodder yield on farmland 20 centner/ha, reclaimed land 329 + 213 = 542 ha).
"""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from postmine.methods import land_restoration as lr
from postmine.methods import land_use as lu

# Tolerances: half a unit of the last digit the "Решение" of 004 PR3 prints.
AREA_TOL_HA = 0.5  # 2605 га
PCT1_TOL = 0.05  # 9,3 %; 42,4 %; 12,6 %; 73,8 %; 69,2 %
PCT0_TOL = 0.5  # 60 %
PER_OUTPUT_TOL = 0.00005  # 0,2605 га/1000 т
PER_PERSON_TOL = 0.5  # 3625 and 1381 т/чел/год
RUB_TOL = 0.5  # 1218000, 1760000, 3045, 39075000, 542000, 39617000 руб.
RUB_PER_HA_TOL = 0.05  # 15208,1 руб./га
EXACT = 1e-12  # relative, for hand arithmetic written out in the test

# Table 3.2 of 004, crops in the order fodder, grain, meadow.
PRICES = [150.0, 300.0, 100.0]  # Ц_i, rub/centner
YIELDS_RECLAIMED = [15.0, 20.0, 6.0]  # У_рз_i, centner/ha
YIELDS_FARMLAND = [20.0, 30.0, 10.0]  # У_схз_i, centner/ha
CROP_AREAS = [200.0, 120.0, 80.0]  # S_рз_i, ha

# The "Решение" of 004 PR3, line by line: symbol, equation, computed, printed, tolerance.
SOLUTION = [
    ("S_тнз", "3.1", lambda: lu.disturbed_area_in_sanitary_zone(4306, [329, 213, 264, 895]),
     2605, AREA_TOL_HA),
    ("П_плф", "3.2", lambda: 100 * lu.linear_disturbance_density([238, 100, 233], 6144),
     9.3, PCT1_TOL),
    ("П_тнз^сзз", "3.3", lambda: 100 * lu.disturbed_share_of_sanitary_zone(2605, 4306),
     60, PCT0_TOL),
    ("П_тнз", "3.4", lambda: 100 * lu.disturbed_share_of_district(2605, 6144),
     42.4, PCT1_TOL),
    ("П_нз", "3.5", lambda: 1000 * lu.disturbance_per_output(2605, 10_000_000),
     0.2605, PER_OUTPUT_TOL),
    ("П_вто", "3.10", lambda: lu.waste_per_worker(58_000_000, 16_000),
     3625, PER_PERSON_TOL),
    ("П_зто", "3.11", lambda: lu.waste_per_resident(58_000_000, 42_000),
     1381, PER_PERSON_TOL),
    ("П_вз", "3.12", lambda: 100 * lr.land_restoration(542, 4306),
     12.6, PCT1_TOL),
    ("П_а", "3.13", lambda: 100 * lr.agricultural_restoration(CROP_AREAS, 542),
     73.8, PCT1_TOL),
    ("ВП_рз", "3.14", lambda: lr.gross_agricultural_product(PRICES, YIELDS_RECLAIMED, CROP_AREAS),
     1_218_000, RUB_TOL),
    ("ВП_схз", "3.15", lambda: lr.gross_agricultural_product(PRICES, YIELDS_FARMLAND, CROP_AREAS),
     1_760_000, RUB_TOL),
    ("П_п", "3.16", lambda: lr.productivity_per_hectare(1_218_000, 400),
     3045, RUB_TOL),
    ("П_ат", "3.17", lambda: 100 * lr.agricultural_equivalence(1_218_000, 1_760_000),
     69.2, PCT1_TOL),
    ("У_н", "3.18", lambda: lr.normative_damage(15_000, 2605),
     39_075_000, RUB_TOL),
    ("У_пп", "3.19", lambda: lr.productivity_loss_damage(
        PRICES, YIELDS_FARMLAND, YIELDS_RECLAIMED, CROP_AREAS),
     542_000, RUB_TOL),
    ("У_рз", "3.20", lambda: lr.reclamation_damage(39_075_000, 542_000),
     39_617_000, RUB_TOL),
    ("q_у", "3.21", lambda: lr.specific_damage(39_617_000, 2605),
     15208.1, RUB_PER_HA_TOL),
]  # fmt: skip


@pytest.mark.parametrize(("symbol", "equation", "computed", "printed", "tol"), SOLUTION)
def test_worked_example_of_004_pr3(symbol, equation, computed, printed, tol):
    assert_allclose(computed(), printed, rtol=0, atol=tol, err_msg=f"{symbol} eq. {equation}")


# Lines of the "Решение" whose printed figure is not the quotient it writes: the code gives
# the quotient (hand arithmetic here), which differs from the printed figure by more than
# half a unit of its last digit. symbol, equation, computed, printed, quotient.
DEPARTURES = [
    # (2605 - 542) / 6144 * 100 = 33.577 %, printed "33,5 %" (truncated)
    ("П_пз", "3.6", lambda: 100 * lu.absolute_land_loss(2605, 542, 6144),
     33.5, (2605 - 542) / 6144 * 100),
    # 58e6 t / 4306 ha = 13469.577 t/ha, printed "13469,5" (truncated)
    ("q", "3.7", lambda: lu.solid_waste_per_area(58e6, 4306),
     13469.5, 58e6 / 4306),
    # 15 / 58 * 100 = 25.862 %, printed "25,8 %" (truncated)
    ("П_уто", "3.8", lambda: 100 * lu.waste_utilisation(15, 58),
     25.8, 15 / 58 * 100),
    # (688 + 796 + 164) / 4306 * 100 = 1648 / 4306 * 100 = 38.272 %, printed "39 %"
    ("П_кто", "3.9", lambda: 100 * lu.waste_storage_concentration([688, 796, 164], 4306),
     39.0, 1648 / 4306 * 100),
]  # fmt: skip


@pytest.mark.parametrize(("symbol", "equation", "computed", "printed", "quotient"), DEPARTURES)
def test_source_departures_give_the_quotient(symbol, equation, computed, printed, quotient):
    value = computed()
    assert_allclose(value, quotient, rtol=EXACT, err_msg=f"{symbol} eq. {equation}")
    assert abs(value - printed) > 0.05, "the printed figure is a departure, not a rounding"


def test_disturbed_area_sums_zones_eq_3_1():
    # The disturbed zones of Table 3.2: 100 + 233 + 202 + 796 + 688 + 164 + 238 = 2421 ha
    assert_allclose(lu.disturbed_area([100, 233, 202, 796, 688, 164, 238]), 2421, rtol=EXACT)


def test_total_area_scalar_is_itself():
    assert_allclose(lu.total_area(542.0), 542.0, rtol=EXACT)


def test_crop_terms_of_eq_3_14_and_3_19():
    # (15·150·200) = 450 000; (20·300·120) = 720 000; (6·100·80) = 48 000
    assert_allclose(lr.gross_agricultural_product(150, 15, 200), 450_000, rtol=EXACT)
    assert_allclose(lr.gross_agricultural_product(300, 20, 120), 720_000, rtol=EXACT)
    assert_allclose(lr.gross_agricultural_product(100, 6, 80), 48_000, rtol=EXACT)
    # [(30 - 20)·300·120] = 360 000
    assert_allclose(lr.productivity_loss_damage(300, 30, 20, 120), 360_000, rtol=EXACT)


def test_fodder_yield_25_printed_in_eq_3_15_does_not_give_the_printed_total():
    # (30·300·120) + (25·150·200) + (10·100·80) = 1 080 000 + 750 000 + 80 000 = 1 910 000
    with_25 = lr.gross_agricultural_product(PRICES, [25, 30, 10], CROP_AREAS)
    assert_allclose(with_25, 1_910_000, rtol=EXACT)
    assert abs(with_25 - 1_760_000) > RUB_TOL


def test_gross_products_differ_by_the_productivity_loss():
    # ВП_схз - ВП_рз = У_пп when S_схз = S_рз (the worked example): 1 760 000 - 1 218 000
    loss = lr.productivity_loss_damage(PRICES, YIELDS_FARMLAND, YIELDS_RECLAIMED, CROP_AREAS)
    assert_allclose(loss, 1_760_000 - 1_218_000, rtol=EXACT)


def test_higher_yield_on_reclaimed_land_is_a_negative_term():
    # (10 - 12)·100·50 = -10 000
    assert_allclose(lr.productivity_loss_damage(100, 10, 12, 50), -10_000, rtol=EXACT)


def test_vectorised_sums_along_the_last_axis():
    areas = np.array([[238.0, 100.0, 233.0], [237.0, 90.0, 230.0]])
    districts = np.array([6144.0, 6100.0])
    density = lu.linear_disturbance_density(areas, districts)
    assert density.shape == (2,)
    # 571 / 6144 and 557 / 6100
    assert_allclose(density, [571 / 6144, 557 / 6100], rtol=EXACT)
    gross = lr.gross_agricultural_product(PRICES, np.array([YIELDS_RECLAIMED, YIELDS_FARMLAND]),
                                          CROP_AREAS)  # fmt: skip
    assert_allclose(gross, [1_218_000, 1_760_000], rtol=EXACT)


def test_vectorised_elementwise_shares():
    shares = lu.disturbed_share_of_district(np.array([2605.0, 0.0]), 6144.0)
    assert_allclose(shares, [2605 / 6144, 0.0], rtol=EXACT, atol=0)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: lu.total_area([329, -1]), r"areas must be >= 0 ha, got -1 ha"),
        (lambda: lu.disturbed_area([-5.0]), r"zone_areas must be >= 0 ha, got -5 ha"),
        (lambda: lu.disturbed_area_in_sanitary_zone(0, [1]),
         r"sanitary_zone_area must be > 0 ha, got 0 ha"),
        (lambda: lu.disturbed_area_in_sanitary_zone(1000, [600, 500]),
         r"undisturbed_areas \(sum\) must be <= sanitary_zone_area \(1000 ha\), got 1100 ha"),
        (lambda: lu.disturbed_area_in_sanitary_zone(1000, [-1, 5]),
         r"undisturbed_areas must be >= 0 ha"),
        (lambda: lu.linear_disturbance_density([4000, 3000], 6144),
         r"linear_areas \(sum\) must be <= district_area \(6144 ha\), got 7000 ha"),
        (lambda: lu.linear_disturbance_density([1], -6144),
         r"district_area must be > 0 ha, got -6144 ha"),
        (lambda: lu.disturbed_share_of_sanitary_zone(5000, 4306),
         r"disturbed_area must be <= sanitary_zone_area \(4306 ha\), got 5000 ha"),
        (lambda: lu.disturbed_share_of_sanitary_zone(-1, 4306),
         r"disturbed_area must be >= 0 ha, got -1 ha"),
        (lambda: lu.disturbed_share_of_district(7000, 6144),
         r"disturbed_area must be <= district_area \(6144 ha\), got 7000 ha"),
        (lambda: lu.disturbed_share_of_district(np.array([1.0, np.nan]), 6144),
         r"disturbed_area must be >= 0 ha, got nan ha"),
        (lambda: lu.disturbance_per_output(2605, 0),
         r"annual_output must be > 0 t/year, got 0 t/year"),
        (lambda: lu.disturbance_per_output(-2605, 1e7), r"disturbed_area must be >= 0 ha"),
        (lambda: lu.absolute_land_loss(500, 542, 6144),
         r"reclaimed_area must be <= mining_affected_area \(500 ha\), got 542 ha"),
        (lambda: lu.absolute_land_loss(7000, 542, 6144),
         r"mining_affected_area must be <= district_area \(6144 ha\), got 7000 ha"),
        (lambda: lu.absolute_land_loss(2605, -1, 6144), r"reclaimed_area must be >= 0 ha"),
        (lambda: lu.absolute_land_loss(2605, 542, 0), r"district_area must be > 0 ha"),
        (lambda: lu.solid_waste_per_area(-58e6, 4306),
         r"annual_solid_waste must be >= 0 t/year"),
        (lambda: lu.solid_waste_per_area(58e6, 0), r"sanitary_zone_area must be > 0 ha"),
        (lambda: lu.waste_utilisation(70, 68),
         r"internal_dump_volume must be <= overburden_volume \(68\), got 70"),
        (lambda: lu.waste_utilisation(15, 0), r"overburden_volume must be > 0, got 0"),
        (lambda: lu.waste_utilisation(-15, 58), r"internal_dump_volume must be >= 0, got -15"),
        (lambda: lu.waste_storage_concentration([3000, 2000], 4306),
         r"storage_areas \(sum\) must be <= sanitary_zone_area \(4306 ha\), got 5000 ha"),
        (lambda: lu.waste_storage_concentration([-688], 4306), r"storage_areas must be >= 0 ha"),
        (lambda: lu.waste_per_worker(58e6, 0), r"workers must be > 0 persons, got 0 persons"),
        (lambda: lu.waste_per_worker(-1, 16000), r"annual_solid_waste must be >= 0 t/year"),
        (lambda: lu.waste_per_resident(58e6, -42000), r"residents must be > 0 persons"),
        (lambda: lr.land_restoration(5000, 4306),
         r"reclaimed_area must be <= sanitary_zone_area \(4306 ha\), got 5000 ha"),
        (lambda: lr.agricultural_restoration([400, 200], 542),
         r"agricultural_areas \(sum\) must be <= reclaimed_area \(542 ha\), got 600 ha"),
        (lambda: lr.agricultural_restoration([400], 0), r"reclaimed_area must be > 0 ha"),
        (lambda: lr.gross_agricultural_product([-150], [15], [200]),
         r"crop_prices must be >= 0 rub/centner"),
        (lambda: lr.gross_agricultural_product([150], [-15], [200]),
         r"crop_yields must be >= 0 centner/ha"),
        (lambda: lr.gross_agricultural_product([150], [15], [-200]), r"crop_areas must be >= 0 ha"),
        (lambda: lr.productivity_per_hectare(1_218_000, 0), r"agricultural_area must be > 0 ha"),
        (lambda: lr.productivity_per_hectare(-1, 400), r"gross_product must be >= 0 rub"),
        (lambda: lr.agricultural_equivalence(1_218_000, 0),
         r"gross_product_farmland must be > 0 rub"),
        (lambda: lr.agricultural_equivalence(-1, 1_760_000),
         r"gross_product_reclaimed must be >= 0 rub"),
        (lambda: lr.normative_damage(-15000, 2605), r"land_price must be >= 0 rub/ha"),
        (lambda: lr.normative_damage(15000, -2605), r"disturbed_area must be >= 0 ha"),
        (lambda: lr.productivity_loss_damage([150], [-20], [15], [200]),
         r"yields_farmland must be >= 0 centner/ha"),
        (lambda: lr.productivity_loss_damage([150], [20], [-15], [200]),
         r"yields_reclaimed must be >= 0 centner/ha"),
        (lambda: lr.productivity_loss_damage([150], [20], [15], [-200]),
         r"crop_areas must be >= 0 ha"),
        (lambda: lr.productivity_loss_damage([-150], [20], [15], [200]),
         r"crop_prices must be >= 0 rub/centner"),
        (lambda: lr.reclamation_damage(-1, 542_000), r"normative_damage must be >= 0 rub"),
        (lambda: lr.reclamation_damage(39_075_000, np.inf),
         r"productivity_loss must be a finite number, got inf rub"),
        (lambda: lr.specific_damage(39_617_000, 0), r"disturbed_area must be > 0 ha, got 0 ha"),
        (lambda: lr.specific_damage(np.nan, 2605), r"total_damage must be a finite number"),
    ],
)  # fmt: skip
def test_bad_input_raises(call, match):
    with pytest.raises(ValueError, match=match):
        call()
