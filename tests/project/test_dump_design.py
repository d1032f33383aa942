"""The design branch of an open pit with an external dump (004 PR1) and its reclamation works.

The example project (examples/pr1-coal-pit/project.toml) is variant 1 of 004 Table 1.2. PR1
prints no worked example: its tables are checked against the hand computation of variant 1
(tests/calc/test_pit_land_allotment.py and the method tests), variant 3 against the numbers
of ``postmine calc pit-land-allotment --variant 3 --json`` (verified there) with a few of
them recomputed by hand below, and the work items against hand arithmetic written out in
the comments (machines from the catalogue: SDLG L975F V_п = 4.2 m³, T_ц = 45 s; BelAZ-75404
30 t, 15 m³; KamAZ-6520 20 t, 12 m³; k_ш = 1.1; T-170 blade 1.31 × 3.31 m, 0.7 / 1.2 m/s,
t_в = 10 s; 003 Tables 7, 10, 13, 14).
"""

import copy
import functools
import tomllib
from pathlib import Path
from typing import Any

import pytest
from numpy.testing import assert_allclose

from postmine.chains.dump_works import ACTIVITIES
from postmine.data import variant_row
from postmine.project.dump_design import design_dump
from postmine.project.model import ProjectResult
from postmine.project.rules import RuleSet, load_rule_set
from postmine.project.schema import ProjectFileError, parse_project, read_project

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "pr1-coal-pit" / "project.toml"
ABAZA = ROOT / "examples" / "abaza" / "project.toml"

# Hand computations of variant 1 (calc tests) carry six significant digits.
HAND_RTOL = 1e-5
# The hand arithmetic of the work items below carries six significant digits too.
WORK_RTOL = 1e-5
# ``postmine calc ... --json`` prints 12 significant digits.
JSON_RTOL = 1e-9


@functools.cache
def _raw() -> dict[str, Any]:
    return tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))


def make(dump: dict[str, Any] | None = None, **sections: Any) -> Any:
    """The example project with some ``[dump]`` fields and whole sections replaced."""
    data = copy.deepcopy(_raw())
    data["dump"].update(dump or {})
    for name, value in sections.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return parse_project(data, "test project")


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return load_rule_set("ru-781-2025")


@pytest.fixture(scope="module")
def example(rules):
    return design_dump(read_project(EXAMPLE), rules)


def table(part, key):
    return next(t for t in part.tables if t.key == key)


def by_scheme(part, key):
    return {row["scheme"]: row for row in table(part, key).rows}


def machine(part, activity, equipment):
    return next(
        r
        for r in table(part, "reclamation_outputs").rows
        if r["activity"] == activity and r["equipment"] == equipment
    )


# --- the example project ---------------------------------------------------------------------


def test_example_validates_and_copies_variant_1_of_table_1_2():
    p = read_project(EXAMPLE)
    row = variant_row("1.2", 1)
    assert p.void is None and p.dump is not None
    assert p.rules.set == "ru-781-2025"
    d = p.dump
    assert_allclose(d.pit_bottom_length_m, row["pit_bottom_length_km"] * 1000.0)
    assert_allclose(d.pit_bottom_width_m, row["pit_bottom_width_km"] * 1000.0)
    assert_allclose(
        [d.pit_depth_m, d.pit_slope_angle_deg, d.coal_bearing_ratio, d.dump_height_m],
        [row["pit_depth_m"], row["pit_slope_angle_deg"], row["coal_bearing_ratio"], 45.0],
    )
    assert_allclose(
        [d.topsoil_stack_height_m, d.topsoil_thickness_m],
        [row["topsoil_stack_height_m"], row["topsoil_thickness_m"]],
    )
    assert sum(m.release_percent for m in p.milestones) == pytest.approx(100.0)
    assert all("ASSUMPTION" in r.source for r in p.costs.equipment.values())


# Table 1.1 of 004 for variant 1, hand computation in tests/calc/test_pit_land_allotment.py:
#                 bottom-up     top-down
TABLE_1_1_VARIANT_1 = [
    ("S_ос.отв", 36.4520, 45.6231),
    ("S_з", 126.9505, 154.4706),
    ("S_зо", 489.8725, 533.6143),
]


@pytest.mark.parametrize(("indicator", "bottom_up", "top_down"), TABLE_1_1_VARIANT_1)
def test_example_table_1_1(example, indicator, bottom_up, top_down):
    row = next(r for r in table(example, "land_allotment").rows if r["indicator"] == indicator)
    assert_allclose(row["bottom_up_ha"], bottom_up, rtol=HAND_RTOL)
    assert_allclose(row["top_down_ha"], top_down, rtol=HAND_RTOL)


def test_example_pr1_intermediates(example):
    pit = table(example, "pit_allotment").rows[0]
    assert_allclose(pit["mining_allotment_ha"], 252.7492, rtol=HAND_RTOL)
    assert_allclose(pit["overburden_volume_m3"], 13_786_078.0, rtol=HAND_RTOL)
    assert_allclose(pit["pit_area_ha"], 30.5328, rtol=HAND_RTOL)  # S_н 66.9847 - S_ос 36.4520
    shapes = {r["shape"]: r for r in table(example, "dump_shapes").rows}
    assert_allclose(shapes["circle"]["base_size_m"], 340.632, rtol=HAND_RTOL)
    assert [s for s, r in shapes.items() if r["chosen"]] == ["circle"]
    assert shapes["rectangle"]["base_length_m"] > shapes["rectangle"]["base_size_m"]
    assert shapes["circle"]["base_length_m"] is None
    flat = by_scheme(example, "slope_flattening")
    assert_allclose(flat["bottom-up"]["height_m"], 60.4796, rtol=HAND_RTOL)
    assert_allclose(flat["top-down"]["base_size_m"], 381.081, rtol=HAND_RTOL)
    assert flat["bottom-up"]["chosen"] and not flat["top-down"]["chosen"]
    # top-down moves a quarter of bottom-up (text before Eq. 1.7; Eq. 1.10 reconstructed)
    assert_allclose(
        flat["top-down"]["flattening_volume_m3"] * 4.0, flat["bottom-up"]["flattening_volume_m3"]
    )
    dust = by_scheme(example, "dust_zone")
    assert_allclose(dust["bottom-up"]["zone_width_m"], 380.566, rtol=HAND_RTOL)
    assert_allclose(dust["top-down"]["zone_width_m"], 416.990, rtol=HAND_RTOL)
    soil = by_scheme(example, "topsoil_store")
    assert_allclose(soil["bottom-up"]["store_area_ha"], 9.82443, rtol=HAND_RTOL)
    assert_allclose(soil["bottom-up"]["disturbed_area_ha"], 66.9847, rtol=HAND_RTOL)


def test_every_table_is_complete_and_serialises(example):
    keys = [t.key for t in example.tables]
    assert keys == [
        "pit_allotment",
        "dump_shapes",
        "slope_flattening",
        "dust_zone",
        "topsoil_store",
        "land_allotment",
        "reclamation_outputs",
        "reclamation_calendar",
        "machine_utilisation",
    ]
    for t in example.tables:
        assert t.title["en"] and t.title["ru"] and t.source
        column_keys = {c.key for c in t.columns}
        for c in t.columns:
            assert c.label["en"] and c.label["ru"]
        for row in t.rows:
            assert set(row) == column_keys, t.key
    result = ProjectResult(
        meta={},
        tables=example.tables,
        findings=example.findings,
        work=example.work,
        materials=example.materials,
        activity_years=example.activity_years,
    )
    doc = result.to_dict()
    assert doc["tables"][0]["rows"][0]["pit_bottom_area_m2"] == pytest.approx(99_000.0)


# --- a second variant, against ``postmine calc pit-land-allotment --variant 3 --json`` -----


def variant_dump(n: int) -> dict[str, Any]:
    row = variant_row("1.2", n)
    return {
        "pit_bottom_length_m": row["pit_bottom_length_km"] * 1000.0,
        "pit_bottom_width_m": row["pit_bottom_width_km"] * 1000.0,
        "pit_depth_m": row["pit_depth_m"],
        "pit_slope_angle_deg": row["pit_slope_angle_deg"],
        "coal_bearing_ratio": row["coal_bearing_ratio"],
        "dump_height_m": row["dump_height_m"],
        "topsoil_stack_height_m": row["topsoil_stack_height_m"],
        "topsoil_thickness_m": row["topsoil_thickness_m"],
    }


# By hand: S_пи = 1500 · 110 = 165 000 m², P = 2 (1500 + 110) = 3220 m,
# H_к ctg φ_ср = 70 ctg 37° = 92.8931 m; d = 592.8931 m;
# S_го = 165 000 + 3220 · 592.8931 + π 592.8931² = 3 178 456 m² = 317.8456 ha;
# V_вс = [165 000 · 70 + 0.5 · 3220 · 70 · 92.8931 + π 70 · 92.8931² / 3] · 0.85 · 1.4
#      = 22 651 605 · 1.19 = 26 955 410 m³;
# S_зо bottom-up = (317.8456 + 44.7352 + 197.7299 + 13.7658) · 1.15 = 660.188 ha.
VARIANT_3 = [
    # table, row key (scheme or None), column, value of the calc JSON
    ("pit_allotment", None, "mining_allotment_ha", 317.845569169),
    ("pit_allotment", None, "overburden_volume_m3", 26955410.2242),
    ("pit_allotment", None, "pit_area_ha", 49.1225129907),
    ("slope_flattening", "bottom-up", "flattening_volume_m3", 13639768.377),
    ("slope_flattening", "bottom-up", "height_m", 137.427506212),
    ("slope_flattening", "top-down", "flattening_volume_m3", 3409942.09425),
    ("slope_flattening", "top-down", "base_growth_m", 71.9096761993),
    ("slope_flattening", "top-down", "base_size_m", 449.264413866),
    ("slope_flattening", "top-down", "top_area_m2", 129525.330518),
    ("slope_flattening", "top-down", "side_area_m2", 530535.307069),
    ("dust_zone", "bottom-up", "emission_mg_s", 509282.35176),
    ("dust_zone", "bottom-up", "zone_width_m", 501.161382034),
    ("dust_zone", "top-down", "zone_width_m", 474.963711164),
    ("dust_zone", "bottom-up", "polluted_area_ha", 197.729948661),
    ("dust_zone", "top-down", "polluted_area_ha", 204.944659857),
    ("topsoil_store", "bottom-up", "topsoil_volume_m3", 722704.471877),
    ("topsoil_store", "top-down", "store_area_ha", 16.504686313),
]
VARIANT_3_TABLE_1_1 = [
    ("S_ос.отв", 44.7352106296, 63.4094391431),
    ("S_зо", 660.188007112, 693.110007654),
]


@pytest.fixture(scope="module")
def variant_3(rules):
    return design_dump(make(variant_dump(3)), rules)


@pytest.mark.parametrize(("key", "scheme", "column", "value"), VARIANT_3)
def test_variant_3_against_the_calc(variant_3, key, scheme, column, value):
    rows = table(variant_3, key).rows
    row = rows[0] if scheme is None else next(r for r in rows if r["scheme"] == scheme)
    assert_allclose(row[column], value, rtol=JSON_RTOL)


@pytest.mark.parametrize(("indicator", "bottom_up", "top_down"), VARIANT_3_TABLE_1_1)
def test_variant_3_table_1_1(variant_3, indicator, bottom_up, top_down):
    row = next(r for r in table(variant_3, "land_allotment").rows if r["indicator"] == indicator)
    assert_allclose(
        [row["bottom_up_ha"], row["top_down_ha"]], [bottom_up, top_down], rtol=JSON_RTOL
    )
    shapes = {r["shape"]: r for r in table(variant_3, "dump_shapes").rows}
    assert_allclose(shapes["circle"]["base_size_m"], 377.354737666, rtol=JSON_RTOL)
    assert variant_3.findings[0].code == "flattening-scheme"
    assert "bottom-up" in variant_3.findings[0].message["en"]


# --- the reclamation works of the example (variant 1, hand arithmetic) ----------------------
#
# Topsoil, in place: S_н = (30.532760 + 36.451977) ha = 669 847.38 m², × m_п 0.5 = 334 923.69 m³.
# Loader in topsoil (003 Table 8 method), γ = 1.5 t/m³, k_н = 1.0, k_р = 1.1:
#   BelAZ: by payload 30 · 1.1 / (4.2 · 1.0 · 1.5) = 5.24, by body 15 · 1.1 / 4.2 = 3.93 -> 3
#   KamAZ: by payload 20 · 1.1 / 6.3 = 3.49 -> 3, by body 12 · 1.1 / 4.2 = 3.14 -> 3
#   V_аф = 3 · 4.2 · 1.0 / 1.1 = 11.454545 m³; Q_э = 3600 · 8 · 0.85 · 11.454545 / (3 · 45 + 42)
#   = 1584.2219 m³/shift for both, so Q_эсв = 1584.2219.
# Truck (003 Table 11 method) over 1.5 km at 22 km/h: t_о = 2 · 1.5 · 60 / 22 = 8.181818 min,
#   t_об = 8.181818 + 2.25 + 0.8 + 0.4 + 0.6 + 0.7 = 12.931818 min,
#   Н_в = (480 - 60) · 11.454545 / 12.931818 = 372.02109 m³/shift.
# Bulldozer (003 Table 14 method): V_пр = 0.5 · 1.31² · 3.31 / tg 36° = 3.9091249 m³;
#   flattening push = h_о ctg α = 45 ctg 38° = 57.597373 m:
#     t_ц = 57.597373 / 0.7 + 57.597373 / 1.2 + 10 = 140.27977 s, K_п = 1 - 0.005 · 57.597373
#     = 0.71201313, П_т = 3600 · 3.9091249 · 0.71201313 · 0.8 / (140.27977 · 1.03) = 55.478890,
#     П_см = 55.478890 · 8 · 0.8 = 355.06489 m³/shift;
#   planning, 15 m: t_ц = 43.928571 s, K_п = 0.925, П_см = 1473.0227 m³/shift (k_р 1.03);
#   spreading, 15 m, k_р = 1.1: П_см = 1473.0227 · 1.03 / 1.1 = 1379.2849 m³/shift.
# Hours = V / Q_см · 8, e.g. the loader 334 923.69 / 1584.2219 · 8 = 1691.2969 h; the trucks
# carry 0.6 V and 0.4 V. Trucks after mining keep one loader busy (003 Table 12):
# N_а = 1584.2219 · 0.6 / 372.02109 = 2.555 -> 3 BelAZ, 1584.2219 · 0.4 / 372.02109 = 1.703 -> 2
# KamAZ. Stripping machines: the yearly hours over one machine's year, rounded up (1 each).
OUTPUTS = [
    # activity, machine, volume [thousand m³], output [m³/shift], hours [h], machines
    ("topsoil-stripping", "SDLG L975F", 334.92369, 1584.2219, 1691.2969, 1),
    ("topsoil-stripping", "BelAZ-75404", 200.95421, 372.02109, 4321.3510, 1),
    ("topsoil-stripping", "KamAZ-6520", 133.96948, 372.02109, 2880.9007, 1),
    ("slope-flattening", "T-170", 3895.7210, 355.06489, 87774.851, 3),  # V_выпсн 3 895 721 m³
    ("surface-planning", "T-170", 25.170, 1473.0227, 136.69850, 3),  # 0.1 m³/m² · 251 700 m²
    ("topsoil-spreading", "SDLG L975F", 334.92369, 1584.2219, 1691.2969, 1),
    ("topsoil-spreading", "BelAZ-75404", 200.95421, 372.02109, 4321.3510, 3),
    ("topsoil-spreading", "KamAZ-6520", 133.96948, 372.02109, 2880.9007, 2),
    ("topsoil-spreading", "T-170", 334.92369, 1379.2849, 1942.5932, 3),
]


@pytest.mark.parametrize(("activity", "equipment", "volume", "output", "hours", "n"), OUTPUTS)
def test_example_machine_outputs_and_hours(example, activity, equipment, volume, output, hours, n):
    row = machine(example, activity, equipment)
    assert_allclose(row["volume_thousand_m3"], volume, rtol=WORK_RTOL)
    assert_allclose(row["shift_output_m3"], output, rtol=WORK_RTOL)
    assert_allclose(row["machine_hours_h"], hours, rtol=WORK_RTOL)
    assert row["machines"] == n
    items = [w for w in example.work if w.activity == activity and w.equipment == equipment]
    assert_allclose(sum(w.machine_hours for w in items), hours, rtol=WORK_RTOL)
    assert_allclose(sum(w.volume_m3 for w in items) / 1e3, volume, rtol=WORK_RTOL)


def test_example_push_and_haul_distances(example):
    assert_allclose(machine(example, "slope-flattening", "T-170")["push_distance_m"], 57.597373)
    assert_allclose(machine(example, "topsoil-spreading", "T-170")["push_distance_m"], 15.0)
    assert_allclose(machine(example, "topsoil-stripping", "BelAZ-75404")["haul_distance_km"], 1.5)


# Schedule: stripping 2026-2035, one tenth a year. After mining (1 Jan 2036), one machine-year
# is 342 · 8 = 2736 h (loader 295 · 8 = 2360 h):
#   flattening  87 774.851 / (3 · 2736) = 10.693817 years -> 2036.0 to 2046.693817
#   planning       136.6985 / (3 · 2736) = 0.0166543 years
#   spreading   max(loader 1691.2969 / 2360 = 0.7166512, dozer 1942.5932 / 8208 = 0.2367,
#               BelAZ 4321.351 / (3 · 2736) = 0.5265, KamAZ 2880.9007 / (2 · 2736) = 0.5265)
#               = 0.7166512 years -> 2046.710472 to 2047.427123
#   after mining 11.427123 years <= 15.
CALENDAR = [
    # activity, duration [year], first year, last year
    ("topsoil-stripping", 10.0, 2026, 2035),
    ("slope-flattening", 10.693817, 2036, 2046),
    ("surface-planning", 0.0166543, 2046, 2046),
    ("topsoil-spreading", 0.7166512, 2046, 2047),
]


@pytest.mark.parametrize(("activity", "years", "first", "last"), CALENDAR)
def test_example_calendar(example, activity, years, first, last):
    row = next(r for r in table(example, "reclamation_calendar").rows if r["activity"] == activity)
    assert_allclose(row["duration_years"], years, rtol=WORK_RTOL)
    assert (row["first_year"], row["last_year"]) == (first, last)
    assert example.activity_years[activity] == (first, last)
    years_of_items = sorted({w.year for w in example.work if w.activity == activity})
    assert years_of_items == list(range(first, last + 1))


def test_example_work_by_year(example):
    # stripping: the loader works 1691.2969 / 10 = 169.12969 h every mining year
    strip = [w for w in example.work if w.activity == "topsoil-stripping"]
    loader = [w.machine_hours for w in strip if w.equipment == "SDLG L975F"]
    assert_allclose(loader, [169.12969] * 10, rtol=WORK_RTOL)
    # flattening 2036: a full year of three dozers, 3 · 2736 = 8208 h
    flat_2036 = [w for w in example.work if w.activity == "slope-flattening" and w.year == 2036]
    assert_allclose(flat_2036[0].machine_hours, 8208.0, rtol=1e-12)
    # spreading in 2047: (11.427123 - 11) / 0.7166512 = 0.5959980 of its hours
    spread_2047 = next(
        w
        for w in example.work
        if w.activity == "topsoil-spreading" and w.year == 2047 and w.equipment == "SDLG L975F"
    )
    assert_allclose(spread_2047.machine_hours, 0.5959980 * 1691.2969, rtol=WORK_RTOL)
    assert {w.activity for w in example.work} == set(ACTIVITIES)
    assert example.materials == []


# --- findings -----------------------------------------------------------------------------


def test_example_findings(example):
    codes = [f.code for f in example.findings]
    assert codes == ["flattening-scheme", "fleet-under-utilised"]
    scheme = example.findings[0]
    assert scheme.severity == "info"
    assert_allclose([scheme.value, scheme.limit], [489.8725, 533.6143], rtol=HAND_RTOL)
    assert "smaller total land allotment" in scheme.message["en"]
    assert "снизу-вверх" in scheme.message["ru"]
    # the loader's busiest year is 2047: 0.5959980 · 1691.2969 = 1008.0096 h of 2360 h = 42.7 %
    # (the trucks and the T-170 use more than half a machine's year at their peak)
    idle = example.findings[1]
    assert idle.severity == "warning" and "SDLG L975F" in idle.message["en"]
    assert_allclose(idle.value, 1008.0096 / 2360.0, rtol=WORK_RTOL)
    assert_allclose(idle.limit, 0.5)
    assert "2047" in idle.message["en"]


def test_one_dozer_breaks_the_limit(rules):
    # flattening 87 774.851 / 2736 = 32.081451, planning 136.6985 / 2736 = 0.0499629,
    # spreading 0.7166512: 32.848066 years after mining > 15 (Decree No. 781)
    part = design_dump(make({"machines_after_mining": {}}), rules)
    beyond = next(f for f in part.findings if f.code == "activity-beyond-limit")
    assert beyond.severity == "violation"
    assert_allclose(beyond.value, 32.848066, rtol=WORK_RTOL)
    assert beyond.limit == pytest.approx(15.0)
    assert "Decree No. 781" in beyond.source
    assert "2036-2068" in beyond.message["en"]


def test_project_override_of_the_limit(rules):
    project = make(rules={"set": "ru-781-2025", "max_technical_years": 11})
    part = design_dump(project, rules)
    beyond = next(f for f in part.findings if f.code == "activity-beyond-limit")
    assert_allclose([beyond.value, beyond.limit], [11.427123, 11.0], rtol=WORK_RTOL)
    assert "project file" in beyond.source


def test_rule_set_without_a_limit():
    bare = RuleSet("bare", "bare", "bare", "", None, None)
    part = design_dump(read_project(EXAMPLE), bare)
    stated = next(f for f in part.findings if f.code == "limit-not-stated")
    assert stated.severity == "info"
    assert_allclose(stated.value, 11.427123, rtol=WORK_RTOL)
    assert not any(f.code == "activity-beyond-limit" for f in part.findings)


def test_top_down_required_by_the_project(rules):
    part = design_dump(make({"flattening_scheme": "top-down"}), rules)
    scheme = part.findings[0]
    assert "required by the project file" in scheme.message["en"]
    assert_allclose([scheme.value, scheme.limit], [533.6143, 489.8725], rtol=HAND_RTOL)
    # V_выпсв = 973 930.26 m³ at the same 355.06489 m³/shift: 973 930.26 / 355.06489 · 8
    # = 21 943.71 h, a quarter of bottom-up
    flat = machine(part, "slope-flattening", "T-170")
    assert_allclose(flat["machine_hours_h"], 21943.713, rtol=WORK_RTOL)
    # S_н grows with the dump base (top-down: 76.155903 ha), and so does the topsoil:
    # 761 559.03 · 0.5 = 380 779.52 m³
    strip = machine(part, "topsoil-stripping", "SDLG L975F")
    assert_allclose(strip["volume_thousand_m3"], 380.77952, rtol=WORK_RTOL)


def test_spread_thickness_and_shortfall(rules):
    # cover: S_в + S_б = 251 668.82 + 143 209.92 = 394 878.73 m²
    thin = design_dump(make({"topsoil_spread_thickness_m": 0.5}), rules)
    spread = machine(thin, "topsoil-spreading", "T-170")
    assert_allclose(spread["volume_thousand_m3"], 197.43937, rtol=WORK_RTOL)  # 0.5 · cover
    assert not any(f.code == "topsoil-shortfall" for f in thin.findings)
    thick = design_dump(make({"topsoil_spread_thickness_m": 1.0}), rules)
    short = next(f for f in thick.findings if f.code == "topsoil-shortfall")
    assert_allclose([short.value, short.limit], [394_878.73, 334_923.69], rtol=WORK_RTOL)
    assert_allclose(
        machine(thick, "topsoil-spreading", "T-170")["volume_thousand_m3"],
        334.92369,
        rtol=WORK_RTOL,
    )


def test_no_planning_section(rules):
    part = design_dump(make(planning=None), rules)
    assert "surface-planning" not in part.activity_years
    assert not any(w.activity == "surface-planning" for w in part.work)


def test_no_topsoil(rules):
    part = design_dump(make({"topsoil_thickness_m": 0.0}), rules)
    assert set(part.activity_years) == {"slope-flattening", "surface-planning"}
    # flattening then starts the works after mining, and planning follows it
    assert part.activity_years["slope-flattening"] == (2036, 2046)


def test_machines_after_mining_by_alias(rules):
    # the Cyrillic spelling of 003 names the same T-170
    part = design_dump(make({"machines_after_mining": {"Т-170": 3}}), rules)
    assert machine(part, "slope-flattening", "T-170")["machines"] == 3


# --- one input changes exactly what depends on it ---------------------------------------------


def test_haul_distance_changes_only_the_trucks(rules, example):
    h = dict(_raw()["haulage"], haul_distance_km=2.5)
    part = design_dump(make(haulage=h), rules)
    for activity, equipment, *_ in OUTPUTS:
        a, b = machine(example, activity, equipment), machine(part, activity, equipment)
        if equipment in ("BelAZ-75404", "KamAZ-6520"):
            assert b["machine_hours_h"] > a["machine_hours_h"]
        else:
            assert_allclose(b["machine_hours_h"], a["machine_hours_h"], rtol=1e-12)
    for key in ("land_allotment", "dust_zone", "slope_flattening"):
        assert table(part, key).rows == table(example, key).rows


def test_dump_height_changes_land_and_flattening(rules, example):
    part = design_dump(make({"dump_height_m": 50.0}), rules)
    a = table(example, "pit_allotment").rows
    assert table(part, "pit_allotment").rows == a  # the pit does not depend on the dump
    assert (
        machine(part, "slope-flattening", "T-170")["push_distance_m"]
        > machine(example, "slope-flattening", "T-170")["push_distance_m"]
    )


# --- bad inputs ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"flattened_slope_angle_deg": 40.0}, "flattened_slope_angle_deg must be <"),
        ({"machines_after_mining": {"T-170": 0}}, "every count must be >= 1"),
        ({"dump_height_m": 800.0}, "dump.dump_height_m"),
        ({"base_shape": "triangle"}, "dump.base_shape"),
        ({"topsoil_thickness_m": -0.5}, "dump.topsoil_thickness_m"),
        ({"wind_speed_m_s": 0.0}, "dump.wind_speed_m_s"),
        ({"rectangle_aspect_ratio": 6.0}, "dump.rectangle_aspect_ratio"),
        ({"dust_plume": 1.0}, "dump.dust_plume: unknown field"),
    ],
)
def test_schema_refuses_bad_dump(changes, match):
    with pytest.raises(ProjectFileError, match=match):
        make(changes)


def test_schema_refuses_both_void_and_dump():
    abaza = tomllib.loads(ABAZA.read_text(encoding="utf-8"))
    with pytest.raises(ProjectFileError, match="exactly one of"):
        parse_project({**abaza, "dump": _raw()["dump"]})


def test_design_needs_a_dump(rules):
    with pytest.raises(ValueError, match=r"needs a project with a \[dump\]"):
        design_dump(read_project(ABAZA), rules)


def test_unknown_machine_after_mining(rules):
    with pytest.raises(ValueError, match=r"dump\.machines_after_mining names 'CAT D11'"):
        design_dump(make({"machines_after_mining": {"CAT D11": 2}}), rules)


def test_dump_too_high_for_its_volume(rules):
    # a 10 m deep pit 100 m x 10 m fills no 300 m high cone with slopes at 38°
    small = {
        "pit_bottom_length_m": 100.0,
        "pit_bottom_width_m": 10.0,
        "pit_depth_m": 10.0,
        "dump_height_m": 300.0,
    }
    with pytest.raises(ValueError, match=r"\[dump\] \(004 PR1\): volume .* too small for a circle"):
        design_dump(make(small), rules)


def test_slope_too_long_for_the_bulldozer(rules):
    # h_о ctg α = 160 ctg 38° = 204.8 m: the push losses of 003 (0.005 per metre) eat the prism
    big = {"pit_bottom_length_m": 3000.0, "pit_bottom_width_m": 300.0, "dump_height_m": 160.0}
    with pytest.raises(ValueError, match=r"horizontal run h_о ctg α = 204.8 m"):
        design_dump(make(big), rules)


def test_topsoil_density_out_of_range(rules):
    with pytest.raises(ProjectFileError, match=r"dump\.topsoil_bulk_density_t_m3"):
        make({"topsoil_bulk_density_t_m3": 12.0})
