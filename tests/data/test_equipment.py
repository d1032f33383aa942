"""The packaged equipment catalogue against the specification tables of 003."""

import pytest
from numpy.testing import assert_allclose
from pydantic import ValidationError

from postmine.data.equipment import (
    Bulldozer,
    FrontLoader,
    Truck,
    get_equipment,
    parse_equipment_catalogue,
    read_equipment_catalogue,
)

# Catalogue figures are copied, not computed: they must equal the printed digits.
FIGURE_TOL = 1e-9

# (machine, figure, value as printed, table of 003 that prints it)
PRINTED = [
    # Table 7 in 003 - SDLG L975F
    ("SDLG L975F", "operating_mass_kg", 24900, "003 Table 7"),
    ("SDLG L975F", "bucket_volume_m3", 4.2, "003 Table 7"),
    ("SDLG L975F", "dump_height_bucket_mm", 3200, "003 Table 7"),
    ("SDLG L975F", "dump_height_hinge_mm", 4335, "003 Table 7"),
    ("SDLG L975F", "turning_radius_wheels_mm", 6330, "003 Table 7"),
    ("SDLG L975F", "turning_radius_bucket_mm", 7450, "003 Table 7"),
    ("SDLG L975F", "engine_power_kw", 199, "003 Table 7"),
    ("SDLG L975F", "engine_power_hp", 270, "003 Table 7"),
    # Table 8 in 003 - loader cycle
    ("SDLG L975F", "cycle_time_s", 45, "003 Table 8"),
    # Table 10 in 003 - BelAZ-75404 | KamAZ-6520
    ("BelAZ-75404", "payload_t", 30, "003 Table 10"),
    ("KamAZ-6520", "payload_t", 20, "003 Table 10"),
    ("BelAZ-75404", "body_volume_m3", 15, "003 Table 10"),
    ("KamAZ-6520", "body_volume_m3", 12, "003 Table 10"),
    ("BelAZ-75404", "turning_radius_m", 8.7, "003 Table 10"),
    ("KamAZ-6520", "turning_radius_m", 9.3, "003 Table 10"),
    ("BelAZ-75404", "max_speed_kmh", 50, "003 Table 10"),
    ("KamAZ-6520", "max_speed_kmh", 95, "003 Table 10"),
    ("BelAZ-75404", "engine_power_kw", 312.5, "003 Table 10"),
    ("KamAZ-6520", "engine_power_kw", 294, "003 Table 10"),
    ("BelAZ-75404", "engine_power_hp", 425, "003 Table 10"),
    ("KamAZ-6520", "engine_power_hp", 400, "003 Table 10"),
    # Table 8 in 003 - heaped body factor kш
    ("BelAZ-75404", "heaped_load_factor", 1.1, "003 Table 8"),
    ("KamAZ-6520", "heaped_load_factor", 1.1, "003 Table 8"),
    # Table 13 in 003 - T-170
    ("T-170", "structural_mass_kg", 15000, "003 Table 13"),
    ("T-170", "engine_power_kw", 125, "003 Table 13"),
    ("T-170", "engine_power_hp", 170, "003 Table 13"),
    ("T-170", "drag_prism_volume_m3", 4.75, "003 Table 13"),
    ("T-170", "blade_width_m", 3.31, "003 Table 13"),
    ("T-170", "blade_height_m", 1.31, "003 Table 13"),
    # Table 14 in 003 - T-170 operation
    ("T-170", "loaded_speed_m_s", 0.70, "003 Table 14"),
    ("T-170", "return_speed_m_s", 1.2, "003 Table 14"),
    ("T-170", "gear_shift_time_s", 10, "003 Table 14"),
]


@pytest.mark.parametrize(("name", "field", "printed", "table"), PRINTED)
def test_catalogue_figures_are_those_printed_in_003(name, field, printed, table):
    machine = get_equipment(name)
    assert_allclose(getattr(machine, field), printed, atol=FIGURE_TOL)
    assert machine.source_of(field) == table


@pytest.mark.parametrize(
    ("name", "dimensions"),
    [
        ("SDLG L975F", (9250, 3320, 3650)),  # Table 7
        ("BelAZ-75404", (7110, 4360, 3930)),  # Table 10
        ("KamAZ-6520", (7830, 2550, 3070)),  # Table 10
    ],
)
def test_overall_dimensions(name, dimensions):
    assert_allclose(get_equipment(name).dimensions_mm, dimensions, atol=FIGURE_TOL)


def test_blade_of_table_13_is_the_blade_of_table_14_in_mm():
    # Table 14 prints B = 3310 mm and H = 1310 mm
    dozer = get_equipment("T-170", Bulldozer)
    assert_allclose([dozer.blade_width_m * 1000, dozer.blade_height_m * 1000], [3310, 1310])


def test_catalogue_holds_the_four_machines_of_003_each_sourced():
    catalogue = read_equipment_catalogue()
    assert set(catalogue) == {"SDLG L975F", "BelAZ-75404", "KamAZ-6520", "T-170"}
    kinds = {name: type(m) for name, m in catalogue.items()}
    assert kinds == {
        "SDLG L975F": FrontLoader,
        "BelAZ-75404": Truck,
        "KamAZ-6520": Truck,
        "T-170": Bulldozer,
    }
    for machine in catalogue.values():
        assert machine.source.startswith("003 Table")
        for field in machine.field_sources:
            assert machine.source_of(field).startswith("003 Table")


def test_every_numeric_figure_is_physical():
    for machine in read_equipment_catalogue().values():
        for field, value in machine.model_dump().items():
            if isinstance(value, int | float) and not isinstance(value, bool):
                low = 0.0 if field == "gear_shift_time_s" else 1e-12
                assert value >= low, (machine.name, field, value)


def test_read_returns_a_copy():
    catalogue = read_equipment_catalogue()
    catalogue.clear()
    assert len(read_equipment_catalogue()) == 4


@pytest.mark.parametrize(
    ("spelling", "name"),
    [
        ("БелАЗ-75404", "BelAZ-75404"),  # Tables 8-12 of 003
        ("Белаз-75404", "BelAZ-75404"),  # Table 6 of 003
        ("КамАЗ-6520", "KamAZ-6520"),
        ("Т-170", "T-170"),  # Cyrillic Т
        ("  sdlg l975f ", "SDLG L975F"),
    ],
)
def test_aliases_and_case(spelling, name):
    assert get_equipment(spelling).name == name


def test_the_tailings_heading_75405_is_a_misprint_not_an_alias():
    # Tables 8, 11 and 12 of 003 head the tailings columns "БелАЗ-75405" with the 75404's
    # figures; 75405 is a different production model and is not resolved silently.
    with pytest.raises(ValueError, match="equipment must be one of"):
        get_equipment("БелАЗ-75405")
    assert "75405" in get_equipment("BelAZ-75404").notes


def test_typed_lookup():
    truck = get_equipment("KamAZ-6520", Truck)
    assert isinstance(truck, Truck)
    assert_allclose(truck.payload_t, 20.0)


def test_unknown_name_lists_known_names():
    with pytest.raises(ValueError, match=r"equipment must be one of: .*BelAZ-75404.*got 'CAT 777'"):
        get_equipment("CAT 777")
    with pytest.raises(ValueError, match=r"one of: BelAZ-75404, KamAZ-6520; got 'CAT 777'"):
        get_equipment("CAT 777", Truck)


def test_wrong_kind():
    with pytest.raises(ValueError, match="T-170 is a bulldozer, not a Truck"):
        get_equipment("T-170", Truck)


def test_unknown_figure():
    with pytest.raises(ValueError, match="T-170 has no figure 'payload_t'"):
        get_equipment("T-170").source_of("payload_t")


def test_machines_are_frozen():
    with pytest.raises(ValidationError):
        get_equipment("T-170", Bulldozer).blade_width_m = 4.0


TRUCK = """
[[truck]]
name = "X-1"
source = "test"
payload_t = 10
body_volume_m3 = 6
heaped_load_factor = 1.1
dimensions_mm = [1, 1, 1]
turning_radius_m = 5
max_speed_kmh = 40
engine_power_kw = 100
engine_power_hp = 136
tyre_size = "x"
"""


def test_parse_a_minimal_catalogue():
    catalogue = parse_equipment_catalogue("format_version = 1\n" + TRUCK)
    assert list(catalogue) == ["X-1"]
    assert_allclose(catalogue["X-1"].payload_t, 10.0)


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("format_version = 2\n" + TRUCK, "format_version 2; this postmine reads 1"),
        (TRUCK, "format_version None"),
        ("format_version = 1\n[[crane]]\nname = 'c'\n", "kind must be one of .*got 'crane'"),
        ("format_version = 1\n" + TRUCK.replace("payload_t = 10", "payload_t = -10"), "payload_t"),
        ("format_version = 1\n" + TRUCK.replace("tyre_size", "tire_size"), "tire_size"),
        ("format_version = 1\n" + TRUCK + TRUCK.replace('"X-1"', '"x-1"'), "'x-1' is used twice"),
        (
            "format_version = 1\n"
            + TRUCK.replace('source = "test"', 'source = "t"\nfield_sources = { speed = "t" }'),
            r"unknown fields: \['speed'\]",
        ),
        ("format_version = 1\n[[truck]\n", "not valid TOML"),
    ],
)
def test_parse_refuses_bad_catalogues(text, match):
    with pytest.raises(ValueError, match=match):
        parse_equipment_catalogue(text)
