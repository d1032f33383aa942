"""``postmine terrain``: volume, slope and capacity of rasters, JSON against the library."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
import typer
from numpy.testing import assert_allclose
from pyproj import Transformer
from shapely.geometry import Polygon, box
from typer.testing import CliRunner

from postmine.cli.terrain import terrain_app
from postmine.geotech.terrain.capacity import elevation_capacity
from postmine.geotech.terrain.raster_io import read_surface, write_surface
from postmine.geotech.terrain.surface import surface_from_function
from postmine.geotech.terrain.surface_slope import slope_aspect
from postmine.geotech.terrain.volumes import volume_above

VOLUME_TOL = 0.005  # issue 6 acceptance: raster volumes within 0.5 % of the analytical volume
UTM_45N = "EPSG:32645"  # WGS 84 / UTM zone 45N, the Kemerovo region
XC, YC = 436_000.0, 6_130_000.0  # a point near Kemerovo in UTM 45N [m]
BASE_Z = 200.0  # ground level around the synthetic pit [m]


def frustum_volume(r_bottom: float, r_top: float, height: float) -> float:
    """V = πH/3 (R₁² + R₁R₂ + R₂²)."""
    return math.pi * height / 3.0 * (r_bottom**2 + r_bottom * r_top + r_top**2)


def pit(r_rim: float, r_floor: float, depth: float, cx: float = 0.0, cy: float = 0.0):
    """Inverted frustum dug into flat ground at BASE_Z (the rim)."""

    def f(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        r = np.hypot(x - cx, y - cy)
        return BASE_Z - depth * np.clip((r_rim - r) / (r_rim - r_floor), 0.0, 1.0)

    return f


app = typer.Typer()
app.add_typer(terrain_app, name="terrain")
runner = CliRunner()


@pytest.fixture
def pit_tif(tmp_path: Path) -> Path:
    s = surface_from_function(
        pit(40.0, 10.0, 20.0, XC, YC), (XC - 50, YC - 50, XC + 50, YC + 50), 2.0, UTM_45N
    )
    return write_surface(s, tmp_path / "pit.tif")


def _json(args: list[str]) -> dict:
    result = runner.invoke(app, ["terrain", *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_cli_volume_against_elevation_matches_the_library(pit_tif: Path):
    data = _json(["volume", str(pit_tif), "--elevation", str(BASE_Z)])
    expected = volume_above(read_surface(pit_tif), BASE_Z)
    assert data["cut_volume_m3"] == expected.cut_volume_m3
    assert_allclose(data["cut_volume_m3"], frustum_volume(40.0, 10.0, 20.0), rtol=VOLUME_TOL)
    assert data["nodata_area_m2"] == 0.0 and data["base_resampled"] is False


def test_cli_volume_against_a_base_on_another_grid_resamples_it(pit_tif: Path, tmp_path: Path):
    flat = surface_from_function(
        lambda x, y: 0 * x + BASE_Z, (XC - 60, YC - 60, XC + 60, YC + 60), 4.0, UTM_45N
    )
    base = write_surface(flat, tmp_path / "flat.tif")
    data = _json(["volume", str(pit_tif), "--base", str(base)])
    assert data["base_resampled"] is True
    assert_allclose(data["cut_volume_m3"], frustum_volume(40.0, 10.0, 20.0), rtol=VOLUME_TOL)
    table = runner.invoke(app, ["terrain", "volume", str(pit_tif), "--base", str(base)])
    assert table.exit_code == 0 and "resampled" in table.stdout and "cut" in table.stdout


def test_cli_volume_clipped_by_geojson(pit_tif: Path, tmp_path: Path):
    to_lonlat = Transformer.from_crs(UTM_45N, "EPSG:4326", always_xy=True)
    ring = [
        list(to_lonlat.transform(x, y)) for x, y in box(XC, YC, XC + 60, YC + 60).exterior.coords
    ]
    footprint = tmp_path / "footprint.geojson"
    footprint.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {},
                        "geometry": {"type": "Polygon", "coordinates": [ring]},
                    }
                ],
            }
        )
    )
    data = _json(["volume", str(pit_tif), "--elevation", str(BASE_Z), "--clip", str(footprint)])
    assert_allclose(data["cut_volume_m3"], frustum_volume(40.0, 10.0, 20.0) / 4, rtol=VOLUME_TOL)


def test_cli_slope_statistics_plot_and_raster(pit_tif: Path, tmp_path: Path):
    out, png = tmp_path / "slope.tif", tmp_path / "slope.png"
    data = _json(["slope", str(pit_tif), "--limit", "30", "--out", str(out), "--plot", str(png)])
    slope, _ = slope_aspect(read_surface(pit_tif))
    values = slope[np.isfinite(slope)]
    assert data["max_slope_deg"] == float(values.max())
    assert_allclose(data["p90_slope_deg"], np.percentile(values, 90), rtol=1e-12)
    assert data["steeper_area_m2"] == 4.0 * int((values > 30).sum())
    assert_allclose(read_surface(out).elevation, slope, equal_nan=True)
    assert png.read_bytes()[:4] == b"\x89PNG"
    table = runner.invoke(app, ["terrain", "slope", str(pit_tif)])
    assert table.exit_code == 0 and "steeper than 20°" in table.stdout


def test_cli_capacity_by_levels_and_step(pit_tif: Path, tmp_path: Path):
    surface = read_surface(pit_tif)
    data = _json(["capacity", str(pit_tif), "--levels", "185,190,200"])
    expected = elevation_capacity(surface, levels=[185.0, 190.0, 200.0])
    assert data["volume_m3"] == expected.volume_m3.tolist()
    assert data["tier_volume_m3"] == expected.tier_volume_m3.tolist()
    png = tmp_path / "capacity.png"
    data = _json(["capacity", str(pit_tif), "--step", "5", "--plot", str(png)])
    assert data["level_m"] == [180.0, 185.0, 190.0, 195.0, 200.0]
    assert png.read_bytes()[:4] == b"\x89PNG"
    table = runner.invoke(app, ["terrain", "capacity", str(pit_tif), "--step", "5"])
    assert table.exit_code == 0 and "tier capacity" in table.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["volume", "{tif}"], "give one of --base BASE.tif or --elevation Z"),
        (["volume", "{tif}", "--base", "{tif}", "--elevation", "1"], "give one of --base"),
        (["volume", "{missing}", "--elevation", "1"], "no raster file"),
        (["capacity", "{tif}", "--levels", "150,200"], "levels must lie within"),
        (["capacity", "{tif}", "--levels", "a,b"], "--levels must be numbers"),
        (["capacity", "{tif}", "--step", "1", "--levels", "190"], "give --step or --levels"),
        (["slope", "{tif}", "--limit", "95"], "--limit must be in [0, 90) degrees, got 95"),
        (["volume", "{tif}", "--elevation", "1", "--clip", "{tif}"], "cannot read GeoJSON"),
    ],
)
def test_cli_errors_exit_2_with_one_line(pit_tif: Path, args, message):
    filled = [a.format(tif=pit_tif, missing=pit_tif.with_name("none.tif")) for a in args]
    result = runner.invoke(app, ["terrain", *filled])
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stderr.count("\n") == 1


def test_cli_volume_clipped_to_a_registry_object(pit_tif: Path, tmp_path: Path):
    # The registry stores footprints in WGS 84; the quarter of the pit inside the object's
    # footprint is a quarter of the frustum (issue 6: "clip to an object's polygon").
    from postmine.db import init_db, session_scope
    from postmine.registry.records.objects import insert_object
    from postmine.registry.records.sites import insert_site

    url = f"sqlite:///{tmp_path / 'registry.sqlite'}"
    init_db(url)
    to_lonlat = Transformer.from_crs(UTM_45N, "EPSG:4326", always_xy=True)
    footprint = Polygon(
        [to_lonlat.transform(x, y) for x, y in box(XC, YC, XC + 60, YC + 60).exterior.coords]
    )
    with session_scope(url) as session:
        site = insert_site(session, name="Pit", region="Kemerovo")
        obj = insert_object(session, site_id=site.id, kind="pit", name="pit 1", geometry=footprint)
        object_id = obj.id
    data = _json(
        [
            "volume",
            str(pit_tif),
            "--elevation",
            str(BASE_Z),
            "--object",
            str(object_id),
            "--db",
            url,
        ]
    )
    assert data["object_id"] == object_id
    assert_allclose(data["cut_volume_m3"], frustum_volume(40.0, 10.0, 20.0) / 4, rtol=VOLUME_TOL)
    both = runner.invoke(
        app,
        [
            "terrain",
            "volume",
            str(pit_tif),
            "--elevation",
            "0",
            "--object",
            "1",
            "--db",
            url,
            "--clip",
            str(pit_tif),
        ],
    )
    assert both.exit_code == 2 and "not both" in both.output
    missing = runner.invoke(
        app, ["terrain", "volume", str(pit_tif), "--elevation", "0", "--object", "999", "--db", url]
    )
    assert missing.exit_code == 2


def test_cli_capacity_writes_the_tiers_of_a_project_file(tmp_path: Path):
    # 003 backfills a void by tiers; the project engine takes each tier's capacity. From a pit
    # DEM (rim r = 40 m, floor r = 10 m, 20 m deep) with tiers at rim − 10 m and the rim, the
    # tiers hold the frustums (r 10 → 25 m, 10 m) and (r 25 → 40 m, 10 m).
    import tomllib

    from postmine.project.schema import parse_project

    s = surface_from_function(
        pit(40.0, 10.0, 20.0, XC, YC), (XC - 45, YC - 45, XC + 45, YC + 45), 0.5, UTM_45N
    )
    dem = write_surface(s, tmp_path / "crater.tif")
    levels = f"{BASE_Z - 10:g},{BASE_Z:g}"
    result = runner.invoke(
        app, ["terrain", "capacity", str(dem), "--levels", levels, "--project-tiers"]
    )
    assert result.exit_code == 0, result.output
    void = tomllib.loads(result.stdout)["void"]
    lower, upper = (t["capacity_m3"] for t in void["tiers"])
    assert_allclose(lower, frustum_volume(25.0, 10.0, 10.0), rtol=VOLUME_TOL)
    assert_allclose(upper, frustum_volume(40.0, 25.0, 10.0), rtol=VOLUME_TOL)
    assert void["remaining_capacity_m3"] == pytest.approx(lower + upper, abs=1.0)
    # the printed tables drop into a project file that the engine accepts
    example = Path(__file__).parents[2] / "examples" / "abaza" / "project.toml"
    project = tomllib.loads(example.read_text(encoding="utf-8"))
    project["void"].update(void)
    parsed = parse_project(project)
    assert [t.capacity_m3 for t in parsed.void.tiers] == [lower, upper]  # type: ignore[union-attr]
    bad = runner.invoke(app, ["terrain", "capacity", str(dem), "--project-tiers"])
    assert bad.exit_code == 2 and "--levels" in bad.output
    below = runner.invoke(
        app, ["terrain", "capacity", str(dem), "--levels", f"{BASE_Z - 30:g}", "--project-tiers"]
    )
    assert below.exit_code == 2 and "above the bottom" in below.output


def test_cli_project_tiers_print_the_levels_and_a_curve_that_validate(tmp_path: Path):
    # Issue 10: --project-tiers also prints the bottom (the lowest cell, the floor at
    # BASE_Z − 20 m), the crest (the highest tier) and the elevation–capacity curve; with
    # --step the curve has points between the tiers. The curve below the rim is the whole
    # frustum (r 10 → 40 m, 20 m) and the pasted [void] passes the capacity-curve check.
    import tomllib

    from postmine.project.schema import ProjectFileError, parse_project

    s = surface_from_function(
        pit(40.0, 10.0, 20.0, XC, YC), (XC - 45, YC - 45, XC + 45, YC + 45), 0.5, UTM_45N
    )
    dem = write_surface(s, tmp_path / "crater.tif")
    levels = f"{BASE_Z - 10:g},{BASE_Z:g}"
    result = runner.invoke(
        app,
        ["terrain", "capacity", str(dem), "--levels", levels, "--step", "2", "--project-tiers"],
    )
    assert result.exit_code == 0, result.output
    void = tomllib.loads(result.stdout)["void"]
    assert void["bottom_elevation_m"] == pytest.approx(BASE_Z - 20, abs=0.001)
    assert void["top_elevation_m"] == BASE_Z
    curve = void["capacity_curve"]
    assert [p["elevation_m"] for p in curve] == pytest.approx(
        [BASE_Z - 20 + 2 * k for k in range(11)], abs=0.001
    )
    by_level = {round(p["elevation_m"]): p["volume_m3"] for p in curve}
    assert by_level[round(BASE_Z - 10)] == pytest.approx(void["tiers"][0]["capacity_m3"], abs=1)
    assert_allclose(by_level[round(BASE_Z)], frustum_volume(40.0, 10.0, 20.0), rtol=VOLUME_TOL)
    example = Path(__file__).parents[2] / "examples" / "abaza" / "project.toml"
    project = tomllib.loads(example.read_text(encoding="utf-8"))
    project["void"].update(void)
    parsed = parse_project(project)
    assert parsed.void is not None and len(parsed.void.capacity_curve or []) == 11
    project["void"]["tiers"][0]["capacity_m3"] *= 1.05  # 5 % off the curve, tolerance 2 %
    project["void"]["tiers"][1]["capacity_m3"] = None
    with pytest.raises(ProjectFileError, match=r"void\.tiers\[0\]\.capacity_m3 must match"):
        parse_project(project)
