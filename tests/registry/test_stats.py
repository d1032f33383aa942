"""Registry statistics on both backends: aggregates, 002's totals, 004 PR3 from a territory."""

from __future__ import annotations

import json
from datetime import date

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from numpy.testing import assert_allclose
from shapely.geometry import LineString, box
from sqlalchemy import inspect
from typer.testing import CliRunner

from postmine.cli.main import app
from postmine.db import (
    Base,
    downgrade_db,
    get_engine,
    include_in_autogenerate,
    init_db,
    session_scope,
)
from postmine.registry import actions, io, records
from postmine.registry.geometry import geodesic_area_ha
from postmine.registry.records.objects import insert_object, insert_state_change
from postmine.registry.records.sites import insert_site
from postmine.registry.records.territories import insert_territory
from postmine.registry.records.tmf import insert_tmf
from postmine.registry.stats import (
    AGGREGATE_KEYS,
    CropYield,
    aggregate,
    territory_land_use_indicators,
)

# 002 prints values to 0.1 thousand t: each is rounded by up to 0.05
TABLE_1_SUM_TOL = 0.15  # red + amber + green: three printed values, 0.05 each
TABLE_2_TOL = 0.1  # the brief's bound for the 17 regions against the printed national row
FLOAT_SLACK = 1e-6  # binary sums of values near 3e6 with one decimal
AREA_RTOL = 1e-6  # polygon areas: pyproj against PostGIS, both geodesic on WGS 84
EXACT_RTOL = 1e-9  # values computed from the same numbers in another order

# --- 002 Tables 1 and 2 through the normal import path -------------------------------------

# 002 Table 1 (seed lines 120-133): generation and its hazard levels, thousand t
TABLE_1 = [
    # year, generation, red,  amber,     green
    (2015, 251565.6, 2.2, 72996.5, 178566.9),
    (2016, 151390.1, 8.4, 19231.1, 132150.5),
    (2017, 126874.6, 1.7, 4108.8, 122764.1),
    (2018, 149962.4, 2.1, 4129.1, 145831.2),
    (2019, 180506.7, 1.9, 4165.3, 176339.5),
]
LEVELS = [f"hazardous_waste_generation_{c}" for c in ("red", "amber", "green")]

# 002 Table 2 (seed line 153): "The Republic of Kazakhstan", thousand t
TABLE_2_NATIONAL = [
    (2015, 2_877_364.3),
    (2016, 2_975_552.5),
    (2017, 2_904_857.9),
    (2018, 2_518_278.5),
    (2019, 2_658_354.9),
]


def imported(url: str, function, *args, **kwargs):
    """Run a registry function in its own session_scope."""
    with session_scope(url) as session:
        return function(session, *args, **kwargs)


@pytest.fixture
def importer(tmp_path):
    """The actor that imports the sample and signs its ledger entries."""
    return actions.actor_from_keyring("registry", tmp_path / "keys")


@pytest.fixture
def sample_url(db_url, importer):
    with session_scope(db_url) as session:
        actions.import_sample_statistics(session, importer)
    return db_url


@pytest.mark.parametrize(("year", "generation", "red", "amber", "green"), TABLE_1)
def test_table_1_hazard_levels_add_up_to_generation(
    sample_url, year, generation, red, amber, green
):
    with session_scope(sample_url) as session:
        levels = aggregate(
            session,
            ["year"],
            of="statistics",
            where={"dataset": "002-table-1", "indicator": LEVELS, "year": year},
        )
        total = aggregate(
            session,
            ["year", "indicator"],
            of="statistics",
            where={"indicator": "hazardous_waste_generation", "year": year},
        )
    assert [(r["year"], r["count"], r["unit"]) for r in levels] == [(year, 3, "thousand t")]
    assert_allclose(levels[0]["value"], red + amber + green, rtol=EXACT_RTOL)
    assert_allclose(total[0]["value"], generation, rtol=EXACT_RTOL)
    assert_allclose(levels[0]["value"], total[0]["value"], rtol=0, atol=TABLE_1_SUM_TOL)


@pytest.mark.parametrize(("year", "national"), TABLE_2_NATIONAL)
def test_table_2_regions_add_up_to_the_national_row(sample_url, year, national):
    with session_scope(sample_url) as session:
        rows = aggregate(
            session,
            ["year"],
            of="statistics",
            where={"dataset": "002-table-2", "indicator": "hazardous_waste_stock", "year": year},
        )
    assert [(r["year"], r["count"], r["unit"]) for r in rows] == [(year, 17, "thousand t")]
    assert_allclose(rows[0]["value"], national, rtol=0, atol=TABLE_2_TOL + FLOAT_SLACK)


def test_table_2_national_row_is_the_one_the_csv_header_prints():
    header = io.sample_statistics_paths()[1].read_text(encoding="utf-8").split("dataset,")[0]
    for _, national in TABLE_2_NATIONAL:
        whole, tenth = f"{national:.1f}".split(".")
        printed = f"{int(whole):,}".replace(",", " ") + f".{tenth}"
        assert printed in header


def test_statistics_by_region(sample_url):
    with session_scope(sample_url) as session:
        rows = aggregate(session, ["region"], of="statistics", where={"dataset": "002-table-2"})
    assert len(rows) == 17
    assert [r["region"] for r in rows] == sorted(r["region"] for r in rows)
    pavlodar = next(r for r in rows if r["region"] == "Pavlodar")
    # 002 Table 2, Pavlodar 2015-2019: 209 542.5 + 226 094.6 + 451 261.8 + 585 630.4 + 608 570.9
    assert pavlodar["count"] == 5
    assert_allclose(pavlodar["value"], 2_081_100.2, rtol=0, atol=FLOAT_SLACK)


def test_statistics_are_never_added_across_units(sample_url):
    with session_scope(sample_url) as session:
        rows = aggregate(session, [], of="statistics", where={"dataset": "002-table-1"})
    units = {r["unit"]: r["count"] for r in rows}
    # 20 generation rows and 5 recycled in thousand t; shares in %; per GDP; per capita
    assert units == {"thousand t": 25, "%": 5, "kg/USD (2015 prices)": 5, "kg/person": 5}


# --- aggregates of objects and TMF ---------------------------------------------------------


@pytest.fixture
def registry(db_url):
    """Two regions, three sites, objects in several states and years, TMF of two classes."""
    with session_scope(db_url) as session:
        kuzbass = insert_territory(session, name="Kuzbass", region="Kemerovo", area_ha=10_000.0)
        a = insert_site(session, name="A", region="Kemerovo", territory_id=kuzbass.id)
        b = insert_site(session, name="B", region="Kemerovo", territory_id=kuzbass.id)
        c = insert_site(session, name="C", region="Khakassia")
        objects = [
            # site, kind, area_ha, volume_m3, recorded, reclaimed on
            (a, "external-dump", 40.0, 2.0e6, date(2019, 5, 1), date(2023, 8, 1)),
            (a, "external-dump", 25.0, None, date(2020, 5, 1), None),
            (a, "pit", 60.0, 9.0e6, date(2019, 5, 1), None),
            (b, "external-dump", 15.0, 0.5e6, date(2021, 5, 1), date(2024, 7, 1)),
            (c, "external-dump", 7.0, None, date(2022, 5, 1), None),
            (c, "collapse-crater", 3.5, 1.0e4, date(2022, 6, 1), date(2023, 9, 1)),
        ]
        for site, kind, area, volume, recorded, reclaimed in objects:
            obj = insert_object(
                session,
                site_id=site.id,
                kind=kind,
                name=f"{kind} {area}",
                area_ha=area,
                volume_m3=volume,
                state_on=recorded,
            )
            if reclaimed is not None:
                insert_state_change(session, obj.id, state="reclaimed", changed_on=reclaimed)
        for site, cls, mass, volume, hazard, year in [
            (a, "mining", 1.0e6, 6.0e5, 5, 2023),
            (a, "mining", 2.5e5, None, 4, 2023),
            (b, "concentration", 4.0e5, 2.0e5, 4, 2023),
            (c, "metallurgical", 3.0e4, 1.0e4, 3, 2022),
        ]:
            insert_tmf(
                session,
                site_id=site.id,
                name=f"{cls} {mass}",
                tmf_class=cls,
                mass_t=mass,
                volume_m3=volume,
                hazard_class=hazard,
                year=year,
            )
        return db_url, kuzbass.id


def test_objects_by_region_and_kind(registry):
    url, _ = registry
    with session_scope(url) as session:
        rows = aggregate(session, ["region", "kind"])
    got = [(r["region"], r["kind"], r["count"], r["area_ha"], r["volume_m3"]) for r in rows]
    # sums by hand from the fixture's table
    assert got == [
        ("Kemerovo", "external-dump", 3, 40.0 + 25.0 + 15.0, 2.0e6 + 0.5e6),
        ("Kemerovo", "pit", 1, 60.0, 9.0e6),
        ("Khakassia", "collapse-crater", 1, 3.5, 1.0e4),
        ("Khakassia", "external-dump", 1, 7.0, None),  # no volume known
    ]


def test_objects_by_state_and_year_of_the_current_state(registry):
    url, _ = registry
    with session_scope(url) as session:
        rows = aggregate(session, ["state", "year"])
        reclaimed_2023 = aggregate(session, [], where={"state": "reclaimed", "year": 2023})
    got = [(r["state"], r["year"], r["count"], r["area_ha"]) for r in rows]
    assert got == [
        ("disturbed", 2019, 1, 60.0),
        ("disturbed", 2020, 1, 25.0),
        ("disturbed", 2022, 1, 7.0),
        ("reclaimed", 2023, 2, 40.0 + 3.5),
        ("reclaimed", 2024, 1, 15.0),
    ]
    assert [(r["count"], r["area_ha"]) for r in reclaimed_2023] == [(2, 43.5)]


def test_objects_of_a_territory_and_sites(registry):
    url, territory_id = registry
    with session_scope(url) as session:
        by_territory = aggregate(session, ["territory_id"])
        one_site = aggregate(session, ["kind"], where={"site_id": [1]})
    assert [(r["territory_id"], r["count"], r["area_ha"]) for r in by_territory] == [
        (None, 2, 10.5),
        (territory_id, 4, 140.0),
    ]
    assert [(r["kind"], r["count"]) for r in one_site] == [("external-dump", 2), ("pit", 1)]


def test_tmf_by_class_and_hazard(registry):
    url, _ = registry
    with session_scope(url) as session:
        by_class = aggregate(session, ["tmf_class"], of="tmf")
        by_hazard = aggregate(session, ["hazard_class", "region"], of="tmf", where={"year": 2023})
    assert [(r["tmf_class"], r["count"], r["mass_t"], r["volume_m3"]) for r in by_class] == [
        ("concentration", 1, 4.0e5, 2.0e5),
        ("metallurgical", 1, 3.0e4, 1.0e4),
        ("mining", 2, 1.25e6, 6.0e5),
    ]
    assert [(r["hazard_class"], r["region"], r["mass_t"]) for r in by_hazard] == [
        (4, "Kemerovo", 6.5e5),
        (5, "Kemerovo", 1.0e6),
    ]


def test_an_empty_selection_has_no_rows(registry):
    url, _ = registry
    with session_scope(url) as session:
        assert aggregate(session, [], where={"kind": "road"}) == []
        assert aggregate(session, ["kind"], where={"kind": "road"}) == []
        assert aggregate(session, [], of="statistics") == []


@pytest.mark.parametrize(
    ("by", "of", "where", "message"),
    [
        (["colour"], "objects", None, r"by: 'colour' is not a key of objects; keys: region"),
        (["hazard_class"], "objects", None, r"by: 'hazard_class' is not a key of objects"),
        (["kind"], "tmf", None, r"by: 'kind' is not a key of tmf"),
        (["year", "year"], "objects", None, r"by must not repeat a key"),
        ([], "plans", None, r"of must be one of objects, tmf, statistics, got 'plans'"),
        ([], "statistics", {"unit": "t"}, r"where: 'unit' is not a key of statistics"),
    ],
)
def test_aggregate_refuses_unknown_keys(session, by, of, where, message):
    with pytest.raises(ValueError, match=message):
        aggregate(session, by, of=of, where=where)


def test_aggregate_keys_cover_the_issue():
    # issue 4: aggregates by region, year, object type, TMF class and hazard class
    assert {"region", "year", "kind", "state"} <= set(AGGREGATE_KEYS["objects"])
    assert {"region", "year", "tmf_class", "hazard_class"} <= set(AGGREGATE_KEYS["tmf"])
    assert set(AGGREGATE_KEYS["statistics"]) == {"dataset", "region", "year", "indicator"}


# --- 004 PR3 indicators from a registry territory ------------------------------------------


def rectangle(lon0: float, lat0: float, area_ha: float):
    """A lon/lat rectangle whose geodesic area is area_ha (width solved by iteration)."""
    dlat, dlon = 0.01, 0.01
    for _ in range(6):
        dlon *= area_ha / geodesic_area_ha(box(lon0, lat0, lon0 + dlon, lat0 + dlat))
    return box(lon0, lat0, lon0 + dlon, lat0 + dlat)


# Table 3.2 of 004 as objects: S_о 796 (329 reclaimed), S_в 688 (213 reclaimed), S_б 164,
# S_выр 238, S_жр 100, S_т 233, S_пл 202; 400 ha of the reclaimed land farmed
PR3_OBJECTS = [
    # name, kind, area (ha), state, direction, as a polygon
    ("Outer dump 1, farmed", "external-dump", 200.0, "accepted", "agricultural", True),
    ("Outer dump 1, forest", "external-dump", 129.0, "reclaimed", "forestry", False),
    ("Outer dump 2", "external-dump", 467.0, "disturbed", None, True),
    ("Inner dump, farmed", "internal-dump", 200.0, "reclaimed", "agricultural", False),
    ("Inner dump, forest", "internal-dump", 13.0, "reclaimed", "forestry", False),
    ("Inner dump, active", "internal-dump", 475.0, "technical-stage", None, False),
    ("Inner dump by dragline", "internal-dump", 164.0, "disturbed", None, False),
    ("Pit", "pit", 238.0, "disturbed", None, True),
    ("Railway station", "industrial-site", 100.0, "disturbed", None, False),
    ("Haul roads", "road", 233.0, "disturbed", None, False),
    ("Old workings", "collapse-crater", 202.0, "disturbed", None, False),
]
PR3_CROPS = [  # Table 3.2: 200/120/80 ha of 400, yields in centner/ha, prices rub/centner
    CropYield("fodder", 0.5, yield_reclaimed=15.0, yield_farmland=20.0, price=150.0),
    CropYield("grain", 0.3, yield_reclaimed=20.0, yield_farmland=30.0, price=300.0),
    CropYield("meadow", 0.2, yield_reclaimed=6.0, yield_farmland=10.0, price=100.0),
]
PR3_EXPLICIT = {  # Table 3.2 (overburden 58 Mt/year, as the calculation's example takes it)
    "building_area": 895.0,
    "recreation_area": 264.0,
    "annual_output": 10.0e6,
    "annual_solid_waste": 58.0e6,
    "internal_dump_volume": 15.0e6,
    "workers": 16_000.0,
    "residents": 42_000.0,
    "land_price": 15_000.0,
    "crops": PR3_CROPS,
}


@pytest.fixture
def pr3_territory(db_url):
    with session_scope(db_url) as session:
        district = insert_territory(
            session,
            name="Coal district",
            region="Kemerovo",
            area_ha=6144.0,
            sanitary_zone_area_ha=4306.0,
        )
        dumps = insert_site(session, name="Dumps", region="Kemerovo", territory_id=district.id)
        pit = insert_site(session, name="Open pit", region="Kemerovo", territory_id=district.id)
        ids = {}
        for i, (name, kind, area, state, direction, polygon) in enumerate(PR3_OBJECTS):
            geometry = rectangle(86.0 + 0.05 * i, 54.0, area) if polygon else None
            if kind == "road":
                geometry = LineString([(86.0, 54.1), (86.3, 54.2)])
            obj = insert_object(
                session,
                site_id=(pit if kind in ("pit", "road") else dumps).id,
                kind=kind,
                name=name,
                geometry=geometry,
                area_ha=None if polygon else area,
                state=state,
                act_reference="Act 1" if state == "accepted" else None,
                reclamation_direction=direction,
                state_on=date(2024, 1, 1),
            )
            ids[name] = obj.id
        # another territory's reclaimed farmland must not count
        other = insert_territory(session, name="Other", region="Kemerovo", area_ha=1e4)
        site = insert_site(session, name="X", region="Kemerovo", territory_id=other.id)
        insert_object(
            session,
            site_id=site.id,
            kind="external-dump",
            name="Elsewhere",
            area_ha=1000.0,
            state="reclaimed",
            reclamation_direction="agricultural",
        )
        return db_url, district.id, ids["Inner dump by dragline"]


def calc_pr3() -> dict[str, dict]:
    result = CliRunner().invoke(app, ["calc", "land-use-indicators", "--example", "pr3", "--json"])
    assert result.exit_code == 0, result.output
    return {q["symbol"]: q for q in json.loads(result.stdout)["results"]}


def test_pr3_indicators_from_the_registry_match_the_calculation(pr3_territory):
    url, territory_id, dragline = pr3_territory
    with session_scope(url) as session:
        report = territory_land_use_indicators(
            session, territory_id, nontransport_dump_ids=[dragline], **PR3_EXPLICIT
        )
    expected = calc_pr3()
    got = {i.symbol: i for i in report.indicators}
    assert set(got) == set(expected)
    assert report.not_computed == {}
    for symbol, quantity in expected.items():
        assert got[symbol].unit == quantity["unit"], symbol
        assert got[symbol].equation == quantity["equation"], symbol
        assert_allclose(got[symbol].value, quantity["value"], rtol=AREA_RTOL, err_msg=symbol)


def test_pr3_areas_read_from_the_registry(pr3_territory):
    url, territory_id, dragline = pr3_territory
    with session_scope(url) as session:
        report = territory_land_use_indicators(
            session, territory_id, nontransport_dump_ids=[dragline]
        )
    areas = report.areas_ha
    expected = {  # Table 3.2 of 004
        "district_area_ha": 6144.0,
        "sanitary_zone_area_ha": 4306.0,
        "outer_dump_area_ha": 796.0,
        "outer_dump_reclaimed_area_ha": 329.0,
        "inner_dump_area_ha": 688.0,
        "inner_dump_reclaimed_area_ha": 213.0,
        "nontransport_dump_area_ha": 164.0,
        "worked_out_area_ha": 238.0,
        "infrastructure_area_ha": 100.0,
        "transport_area_ha": 233.0,
        "areal_disturbance_area_ha": 202.0,
        "tailings_area_ha": 0.0,
        "reclaimed_area_ha": 542.0,
        "agricultural_area_ha": 400.0,
        # S_жр + S_т + S_пл + S_о + S_в + S_б + S_выр, reclaimed parts included: 2421 ha
        "objects_area_ha": 100.0 + 233.0 + 202.0 + 796.0 + 688.0 + 164.0 + 238.0,
    }
    assert set(areas) == set(expected)
    for key, value in expected.items():
        assert_allclose(areas[key], value, rtol=AREA_RTOL, err_msg=key)


def test_pr3_without_the_inputs_the_registry_lacks(pr3_territory):
    url, territory_id, dragline = pr3_territory
    with session_scope(url) as session:
        report = territory_land_use_indicators(
            session, territory_id, nontransport_dump_ids=[dragline]
        )
    computed = {i.symbol for i in report.indicators}
    assert computed == {"S_рз", "ΣS_лф", "П_плф", "ΣS_то", "П_кто", "П_вз", "ΣS_а", "П_а"}
    # by hand from Table 3.2: (238 + 100 + 233) / 6144, (688 + 796 + 164) / 4306,
    # 542 / 4306, 400 / 542
    assert_allclose(report.value("П_плф"), 571 / 6144 * 100, rtol=AREA_RTOL)
    assert_allclose(report.value("П_кто"), 1648 / 4306 * 100, rtol=AREA_RTOL)
    assert_allclose(report.value("П_вз"), 542 / 4306 * 100, rtol=AREA_RTOL)
    assert_allclose(report.value("П_а"), 400 / 542 * 100, rtol=AREA_RTOL)
    assert report.not_computed["S_тнз"] == "needs building_area and recreation_area"
    assert report.not_computed["П_нз"] == "needs S_тнз (building_area and recreation_area)"
    assert report.not_computed["П_вто"] == "needs annual_solid_waste"
    assert report.not_computed["ВП_рз"] == "needs crops"
    with pytest.raises(KeyError, match="П_уто was not computed: needs annual_solid_waste"):
        report.value("П_уто")
    assert json.loads(json.dumps(report.to_dict()))["territory_name"] == "Coal district"


def test_pr3_partial_inputs(pr3_territory):
    url, territory_id, dragline = pr3_territory
    with session_scope(url) as session:
        report = territory_land_use_indicators(
            session,
            territory_id,
            nontransport_dump_ids=[dragline],
            building_area=895.0,
            recreation_area=264.0,
            annual_solid_waste=58.0e6,
        )
    assert_allclose(report.value("S_тнз"), 4306 - (542 + 264 + 895), rtol=AREA_RTOL)
    assert set(report.not_computed) == {
        "П_нз", "П_уто", "П_вто", "П_зто", "ВП_рз", "ВП_схз", "П_п", "П_ат", "У_пп",
        "У_н", "У_рз", "q_у",
    }  # fmt: skip
    assert report.not_computed["П_нз"] == "needs annual_output"
    assert report.not_computed["У_н"] == "needs land_price"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"nontransport_dump_ids": [10_000]}, "object 10000 is not an object of territory"),
        ({"workers": -5.0}, r"workers must be > 0 persons, got -5.0"),
        ({"annual_output": 0.0}, r"annual_output must be > 0 t/year, got 0.0"),
        ({"land_price": float("nan")}, r"land_price must be >= 0 rub/ha, got nan"),
        ({"waste_unit": "kg"}, r"waste_unit must be 't' or 'm3', got 'kg'"),
        ({"crops": PR3_CROPS[:2]}, r"crops: shares must add up to 1, got 0.8"),
        ({"crops": [PR3_CROPS[0], PR3_CROPS[0]]}, r"crops: names must be unique"),
        (
            {"crops": [CropYield("x", 1.5, 1.0, 1.0, 1.0)]},
            r"crops\[x\].share must be in \(0, 1\], got 1.5",
        ),
        (
            {"crops": [CropYield("x", 1.0, -1.0, 1.0, 1.0)]},
            r"crops\[x\].yield_reclaimed must be >= 0 centner/ha, got -1.0",
        ),
        (
            {"building_area": 4000.0, "recreation_area": 0.0},
            r"undisturbed_areas \(sum\) must be <= sanitary_zone_area",
        ),
    ],
)
def test_pr3_refuses_bad_arguments(pr3_territory, kwargs, message):
    url, territory_id, _ = pr3_territory
    with pytest.raises(ValueError, match=message), session_scope(url) as session:
        territory_land_use_indicators(session, territory_id, **kwargs)


def test_pr3_nontransport_dumps_must_be_internal_dumps(pr3_territory):
    url, territory_id, _ = pr3_territory
    with session_scope(url) as session:
        pit = records.list_objects(session, kind="pit").items[0].id
    with pytest.raises(ValueError, match=rf"object {pit} is a pit, not an internal-dump"):
        imported(url, territory_land_use_indicators, territory_id, nontransport_dump_ids=[pit])


def test_pr3_of_a_missing_territory(session):
    with pytest.raises(records.NotFoundError, match="territory 42 not found"):
        territory_land_use_indicators(session, 42)


def test_pr3_territory_without_sanitary_zone_or_reclaimed_land(session):
    territory = insert_territory(session, name="Bare", region="R", area_ha=1000.0)
    site = insert_site(session, name="S", region="R", territory_id=territory.id)
    insert_object(session, site_id=site.id, kind="road", name="Road", area_ha=10.0)
    report = territory_land_use_indicators(
        session, territory.id, building_area=1.0, recreation_area=1.0, crops=PR3_CROPS
    )
    assert_allclose(report.value("П_плф"), 10 / 1000 * 100, rtol=EXACT_RTOL)
    assert report.not_computed["S_тнз"] == "needs the territory's sanitary_zone_area_ha"
    assert report.not_computed["П_а"].startswith("needs reclaimed land in the registry")
    assert report.not_computed["ВП_рз"] == "needs reclaimed agricultural land in the registry"


# --- the statistics table's migration ------------------------------------------------------


def test_statistics_migration_matches_the_model(empty_db_url, importer):
    init_db(empty_db_url)
    with get_engine(empty_db_url).connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={
                "compare_type": True,
                "include_object": include_in_autogenerate(connection.dialect.name),
            },
        )
        diffs = [d for d in compare_metadata(context, Base.metadata) if "statistics" in repr(d)]
        checks = {c["name"] for c in inspect(connection).get_check_constraints("statistics")}
    assert diffs == []
    assert "ck_statistics_year_range" in checks
    downgrade_db(empty_db_url, "0001")
    with get_engine(empty_db_url).connect() as connection:
        assert "statistics" not in inspect(connection).get_table_names()
    init_db(empty_db_url)
    with session_scope(empty_db_url) as session:
        assert actions.import_sample_statistics(session, importer)[1].inserted == 85
