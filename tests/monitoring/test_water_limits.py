"""Tests of water-quality limits (postmine.monitoring.water_limits).

The packaged table against the values of its documents (СанПиН 1.2.3685-21, Order № 552 of
13.12.2016); exceedance ratios and flags worked by hand.
"""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from postmine.monitoring.water_limits import (
    Exceedance,
    WaterLimit,
    _parse_limits,
    canonical_parameter,
    exceedance_ratio,
    exceeds_limit,
    limit_exceedances,
    read_water_limits,
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


def test_canonical_parameter_names():
    assert [canonical_parameter(n) for n in ("SO4", " sulfate", "Fe", "pH", "nitrate")] == [
        "sulphate",
        "sulphate",
        "iron",
        "ph",
        "nitrate",
    ]


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
