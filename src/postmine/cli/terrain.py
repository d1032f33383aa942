"""``postmine terrain``: volumes, slopes and capacity curves from elevation rasters (GeoTIFF).

Commands
--------
``volume TOP.tif (--base BASE.tif | --elevation Z) [--clip POLYGON.geojson] [--json]``
    Cut and fill between two surfaces (the base is resampled bilinearly onto the top's grid
    when the grids differ), or volumes above and below a level; with ``--clip``, only inside
    the polygon (GeoJSON, WGS 84 lon/lat unless ``--clip-crs``); with ``--object ID [--db
    URL]``, only inside the footprint of that registry object.
``slope DEM.tif [--limit DEG] [--out SLOPE.tif] [--plot PNG] [--json]``
    Slope statistics (mean, median, 90th percentile, maximum) and the area steeper than the
    limit; the slope raster and a hillshade plot coloured by slope on request.
``capacity DEM.tif [--step M | --levels Z1,Z2] [--connected] [--clip ...] [--plot PNG] [--json]``
    Elevation–area–capacity table of a void, with the capacity of each tier between levels;
    ``--project-tiers`` prints the ``[void]`` bottom and top elevations, capacity and capacity
    curve and the ``[[void.tiers]]`` of a project file (``postmine plan``) for the tier
    elevations given as ``--levels`` (``--step`` adds curve points between them).

Volumes are Σ Δz · cell area at cell centres (see :mod:`postmine.geotech.terrain.volumes`). Rasters
must be in a projected CRS in metres. Errors give one line on stderr and exit status 2.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, NoReturn

import typer

from postmine.cli._errors import fail

__all__ = ["terrain_app"]

terrain_app = typer.Typer(
    help="Terrain from elevation rasters: cut/fill volumes, slopes, capacity curves.",
    no_args_is_help=True,
)

JSON_OPTION = typer.Option(False, "--json", help="Print JSON instead of a table.")
CLIP_OPTION = typer.Option(
    None, "--clip", help="Polygon (GeoJSON geometry, Feature or FeatureCollection) to clip to."
)
CLIP_CRS_OPTION = typer.Option(
    "EPSG:4326", "--clip-crs", help="CRS of the --clip polygon (default WGS 84 lon/lat)."
)
PLOT_OPTION = typer.Option(None, "--plot", help="Write a PNG plot to this file.")
OBJECT_OPTION = typer.Option(
    None, "--object", help="Clip to the footprint of this registry object (its id)."
)
DB_OPTION = typer.Option(None, "--db", help="Registry URL (default: POSTMINE_DB or SQLite file).")


def _fail_from(exc: BaseException) -> NoReturn:
    fail(str(exc) or type(exc).__name__)


def _echo_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


def _read_polygon(path: Path) -> Any:
    """Return the union of the polygons of a GeoJSON file as one shapely geometry."""
    import shapely  # type: ignore[import-untyped]
    from shapely.geometry import shape  # type: ignore[import-untyped]

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"--clip {path}: cannot read GeoJSON ({exc})") from None
    kind = data.get("type") if isinstance(data, dict) else None
    if kind == "FeatureCollection":
        geometries = [f.get("geometry") for f in data.get("features", [])]
    elif kind == "Feature":
        geometries = [data.get("geometry")]
    else:
        geometries = [data]
    try:
        shapes = [shape(g) for g in geometries if g]
    except Exception as exc:
        raise ValueError(f"--clip {path}: not a GeoJSON geometry ({exc})") from None
    polygons = [s for s in shapes if s.geom_type in ("Polygon", "MultiPolygon")]
    if not polygons:
        raise ValueError(f"--clip {path} must hold a Polygon or MultiPolygon, got none")
    return shapely.union_all(polygons)


def _object_polygon(object_id: int, db: str | None) -> Any:
    """Return the WGS 84 footprint of a registry object as a shapely geometry."""
    from shapely.geometry import shape

    from postmine.db import resolve_url, session_scope
    from postmine.registry import records

    with session_scope(resolve_url(db)) as session:
        row = records.get_object(session, object_id)
        geometry = records.as_dict(row).get("geometry")
    if geometry is None:
        raise ValueError(f"--object {object_id} has no geometry in the registry")
    return shape(geometry)


def _surface(
    path: Path,
    clip: Path | None,
    clip_crs: str,
    object_id: int | None = None,
    db: str | None = None,
) -> Any:
    from postmine.geotech.terrain.raster_io import read_surface
    from postmine.geotech.terrain.reprojection import clip_surface

    if clip is not None and object_id is not None:
        raise ValueError("give --clip or --object, not both")
    surface = read_surface(path)
    if clip is not None:
        surface = clip_surface(surface, _read_polygon(clip), clip_crs)
    if object_id is not None:
        surface = clip_surface(surface, _object_polygon(object_id, db), "EPSG:4326")
    return surface


def _fmt(value: float, digits: int = 1) -> str:
    return f"{value:,.{digits}f}"


# -- volume -----------------------------------------------------------------------------------
@terrain_app.command("volume")
def volume_command(
    top: Path = typer.Argument(..., help="Top surface (GeoTIFF)."),
    base: Path | None = typer.Option(None, "--base", help="Base surface (GeoTIFF)."),
    elevation: float | None = typer.Option(
        None, "--elevation", help="Level instead of a base surface. [m]"
    ),
    clip: Path | None = CLIP_OPTION,
    clip_crs: str = CLIP_CRS_OPTION,
    object_id: int | None = OBJECT_OPTION,
    db: str | None = DB_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Cut and fill between TOP and --base, or volumes above and below --elevation."""
    from rich.console import Console
    from rich.table import Table

    if (base is None) == (elevation is None):
        fail("give one of --base BASE.tif or --elevation Z")
    from postmine.geotech.terrain.raster_io import read_surface
    from postmine.geotech.terrain.reprojection import align_surface
    from postmine.geotech.terrain.volumes import volume_above, volume_between

    resampled = False
    try:
        top_surface = _surface(top, clip, clip_crs, object_id, db)
        if base is not None:
            base_surface = read_surface(base)
            try:
                result = volume_between(top_surface, base_surface)
            except ValueError as exc:
                if "must share the grid" not in str(exc):
                    raise
                base_surface = align_surface(base_surface, top_surface)
                resampled = True
                result = volume_between(top_surface, base_surface)
        else:
            assert elevation is not None
            result = volume_above(top_surface, elevation)
    except Exception as exc:
        _fail_from(exc)
    data: dict[str, Any] = {
        "top": str(top),
        "base": None if base is None else str(base),
        "elevation_m": elevation,
        "clip": None if clip is None else str(clip),
        "object_id": object_id,
        "base_resampled": resampled,
        **result.to_dict(),
    }
    if as_json:
        _echo_json(data)
        return
    what = f"base {base.name}" if base is not None else f"level {elevation:g} m"
    upper, lower = ("fill (top above base)", "cut (top below base)")
    if base is None:
        upper, lower = (f"above {elevation:g} m", f"below {elevation:g} m (void)")
    table = Table(title=f"{top.name} against {what}", title_justify="left")
    table.add_column("part")
    table.add_column("volume [m³]", justify="right")
    table.add_column("area [m²]", justify="right")
    table.add_row(upper, _fmt(result.fill_volume_m3), _fmt(result.fill_area_m2))
    table.add_row(lower, _fmt(result.cut_volume_m3), _fmt(result.cut_area_m2))
    table.add_row("net (fill − cut)", _fmt(result.net_volume_m3), "")
    table.add_row("unchanged", "", _fmt(result.unchanged_area_m2))
    table.add_row("no data (left out)", "", _fmt(result.nodata_area_m2))
    console = Console()
    console.print(table)
    if resampled:
        console.print("note: the base was resampled (bilinear) onto the top's grid")


# -- slope ------------------------------------------------------------------------------------
@terrain_app.command("slope")
def slope_command(
    dem: Path = typer.Argument(..., help="Elevation raster (GeoTIFF)."),
    limit: float = typer.Option(
        20.0, "--limit", help="Report the area steeper than this slope. [°]"
    ),
    out: Path | None = typer.Option(None, "--out", help="Write the slope raster (GeoTIFF, °)."),
    plot: Path | None = PLOT_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Slope statistics of DEM (Horn's 3×3 method, as gdaldem); border cells are left out."""
    import numpy as np
    from rich.console import Console
    from rich.table import Table

    if not 0.0 <= limit < 90.0:
        fail(f"--limit must be in [0, 90) degrees, got {limit:g}")
    from postmine.geotech.terrain.plots import plot_surface
    from postmine.geotech.terrain.raster_io import write_surface
    from postmine.geotech.terrain.surface import Surface
    from postmine.geotech.terrain.surface_slope import slope_aspect

    try:
        surface = _surface(dem, None, "")
        slope, _ = slope_aspect(surface)
        values = slope[np.isfinite(slope)]
        if values.size == 0:
            raise ValueError(f"{dem.name}: no cell has a full 3×3 window with data")
        if out is not None:
            write_surface(Surface(slope, surface.transform, surface.crs), out)
        if plot is not None:
            plot_surface(
                surface, plot, overlay=slope, overlay_label="Slope [°]", title=f"{dem.name}: slope"
            )
    except Exception as exc:
        _fail_from(exc)
    cell_area = surface.cell_area
    steep = int((values > limit).sum())
    data = {
        "dem": str(dem),
        "cells": int(values.size),
        "area_m2": values.size * cell_area,
        "mean_slope_deg": float(values.mean()),
        "p50_slope_deg": float(np.percentile(values, 50)),
        "p90_slope_deg": float(np.percentile(values, 90)),
        "max_slope_deg": float(values.max()),
        "limit_deg": limit,
        "steeper_area_m2": steep * cell_area,
        "steeper_share": steep / values.size,
        "out": None if out is None else str(out),
        "plot": None if plot is None else str(plot),
    }
    if as_json:
        _echo_json(data)
        return
    table = Table(title=f"{dem.name}: slope (Horn 3×3)", title_justify="left")
    table.add_column("quantity")
    table.add_column("value", justify="right")
    table.add_column("unit")
    table.add_row("cells with slope", f"{data['cells']:,}", "-")
    table.add_row("area with slope", _fmt(data["area_m2"]), "m²")
    table.add_row("mean slope", _fmt(data["mean_slope_deg"], 2), "°")
    table.add_row("median slope", _fmt(data["p50_slope_deg"], 2), "°")
    table.add_row("90th percentile", _fmt(data["p90_slope_deg"], 2), "°")
    table.add_row("maximum slope", _fmt(data["max_slope_deg"], 2), "°")
    table.add_row(
        f"steeper than {limit:g}°",
        f"{_fmt(data['steeper_area_m2'])} ({100 * data['steeper_share']:.1f} %)",
        "m²",
    )
    Console().print(table)


# -- capacity ---------------------------------------------------------------------------------
def _levels(text: str) -> list[float]:
    try:
        return [float(v) for v in text.replace(";", ",").split(",") if v.strip()]
    except ValueError:
        fail(f"--levels must be numbers separated by commas [m], got {text!r}")


def _z(level: float) -> str:
    """Return an elevation as TOML, to the millimetre."""
    return repr(round(float(level), 3))


def _project_tiers_toml(dem: Path, table: Any, curve: Any) -> str:
    """Write the [void] levels, capacity, capacity curve and tiers of a project file as TOML.

    ``table`` has the bottom of the void and the tier elevations as levels (003 sec. 3.1: each
    tier holds the void between the previous level and its own); ``curve`` the levels of the
    elevation–capacity curve from the bottom to the highest tier.
    """
    tiers = table.tier_volume_m3.tolist()
    lines = [
        f"# from {dem.name}: void volume between consecutive tier elevations (postmine terrain",
        "# capacity --project-tiers); the bottom is the lowest cell, the crest the highest tier",
        "[void]",
        f"bottom_elevation_m = {_z(table.level_m[0])}",
        f"top_elevation_m = {_z(table.level_m[-1])}",
        f"remaining_capacity_m3 = {sum(tiers):.0f}",
        "capacity_curve = [",
        *(
            f"    {{ elevation_m = {_z(z)}, volume_m3 = {v:.0f} }},"
            for z, v in zip(curve.level_m.tolist(), curve.volume_m3.tolist(), strict=True)
        ),
        "]",
    ]
    for level, capacity in zip(table.level_m[1:].tolist(), tiers, strict=True):
        lines += [
            "",
            "[[void.tiers]]",
            f"elevation_m = {_z(level)}",
            f"capacity_m3 = {capacity:.0f}",
        ]
    return "\n".join(lines)


def _project_tier_tables(
    surface: Any, tier_levels: list[float], step: float | None, connected: bool
) -> tuple[Any, Any]:
    """Capacity at the bottom and the tier levels, and the curve (with ``step``: finer)."""
    import numpy as np

    from postmine.geotech.terrain.capacity import elevation_capacity

    bottom = float(np.nanmin(surface.elevation))
    if tier_levels[0] <= bottom:
        raise ValueError(
            f"--levels: the lowest tier elevation must be above the bottom of the void "
            f"({bottom:.2f} m), got {tier_levels[0]}"
        )
    levels = [bottom, *tier_levels]
    table = elevation_capacity(surface, levels=levels, connected=connected)
    if step is None:
        return table, table
    if not step > 0:
        raise ValueError(f"--step must be > 0 m, got {step!r}")
    grid = bottom + step * np.arange(1, int((levels[-1] - bottom) / step) + 1)
    extra = [z for z in grid.tolist() if min(abs(z - t) for t in levels) > 1e-3]
    curve = elevation_capacity(surface, levels=sorted(levels + extra), connected=connected)
    return table, curve


@terrain_app.command("capacity")
def capacity_command(
    dem: Path = typer.Argument(..., help="Ground surface of the void (GeoTIFF)."),
    step: float | None = typer.Option(None, "--step", help="Level spacing from the bottom. [m]"),
    levels: str | None = typer.Option(
        None, "--levels", help="Levels separated by commas, e.g. 180,190,200. [m]"
    ),
    connected: bool = typer.Option(
        False, "--connected", help="Count only the lake connected to the deepest cell."
    ),
    clip: Path | None = CLIP_OPTION,
    clip_crs: str = CLIP_CRS_OPTION,
    object_id: int | None = OBJECT_OPTION,
    db: str | None = DB_OPTION,
    plot: Path | None = PLOT_OPTION,
    as_json: bool = JSON_OPTION,
    project_tiers: bool = typer.Option(
        False,
        "--project-tiers",
        help="Print [void] bottom_elevation_m, top_elevation_m (the highest level), capacity, "
        "capacity_curve and [[void.tiers]] for a project file (postmine plan): the tier "
        "elevations are --levels, each tier holds the void between the previous level (the "
        "bottom for the first) and its own; --step adds curve points between them.",
    ),
) -> None:
    """Elevation–area–capacity table of the void in DEM (capacity by tier elevation)."""
    from rich.console import Console
    from rich.table import Table

    if step is not None and levels is not None and not project_tiers:
        fail("give --step or --levels, not both (with --project-tiers, --step refines the curve)")
    if project_tiers and levels is None:
        fail("--project-tiers needs --levels (the tier elevations, bottom-up)")
    from postmine.geotech.terrain.capacity import elevation_capacity
    from postmine.geotech.terrain.plots import plot_capacity

    level_list = None if levels is None else _levels(levels)
    try:
        surface = _surface(dem, clip, clip_crs, object_id, db)
        if project_tiers:
            assert level_list is not None
            table, curve = _project_tier_tables(surface, level_list, step, connected)
        else:
            table = elevation_capacity(surface, levels=level_list, step=step, connected=connected)
        if plot is not None:
            plot_capacity(table, plot, title=f"{dem.name}: elevation–capacity")
    except Exception as exc:
        _fail_from(exc)
    data = {
        "dem": str(dem),
        "clip": None if clip is None else str(clip),
        "object_id": object_id,
        **table.to_dict(),
    }
    if project_tiers:
        typer.echo(_project_tiers_toml(dem, table, curve))
        return
    if as_json:
        _echo_json(data)
        return
    out = Table(title=f"{dem.name}: elevation–capacity", title_justify="left")
    out.add_column("level [m]", justify="right")
    out.add_column("water area [m²]", justify="right")
    out.add_column("capacity below [m³]", justify="right")
    out.add_column("tier capacity [m³]", justify="right")
    tiers = [None, *table.tier_volume_m3.tolist()]
    for level, area, volume, tier in zip(
        table.level_m.tolist(),
        table.area_m2.tolist(),
        table.volume_m3.tolist(),
        tiers,
        strict=True,
    ):
        out.add_row(f"{level:.2f}", _fmt(area), _fmt(volume), "" if tier is None else _fmt(tier))
    console = Console()
    console.print(out)
    if table.nodata_area_m2:
        console.print(f"no data (left out): {_fmt(table.nodata_area_m2)} m²")
