"""Hillshade, overlay and capacity plots are written as PNG files."""

from __future__ import annotations

from pathlib import Path

from postmine.geotech.terrain.capacity import elevation_capacity
from postmine.geotech.terrain.plots import plot_capacity, plot_surface
from postmine.geotech.terrain.surface_slope import slope_aspect

UTM_45N = "EPSG:32645"  # WGS 84 / UTM zone 45N, the Kemerovo region


def test_plots_write_png(tmp_path: Path, pit, square_grid):
    s = square_grid(pit(40.0, 10.0, 15.0), 50.0, 2.0, UTM_45N)
    slope, _ = slope_aspect(s)
    for path in (
        plot_surface(s, tmp_path / "dem.png", title="pit"),
        plot_surface(s, tmp_path / "slope.png", overlay=slope, overlay_label="Slope [°]"),
        plot_capacity(elevation_capacity(s, step=1.0), tmp_path / "capacity.png"),
    ):
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
