"""``postmine dump``: design an external dump that holds a volume and is stable.

Commands
--------
``design --volume M3 --height H | --height-range FROM:TO:COUNT --cohesion C --friction-angle F
--unit-weight G [--shape S] [--slope-angle A] [--flattened-angle B | --flattened-angle-range
FROM:TO:COUNT] [--scheme bottom-up|top-down|best] [--foundation-cohesion ...
--foundation-friction-angle ... --foundation-unit-weight ...] [--pore-pressure-ratio R]
[--seismic-coefficient K] [--required-factor F] [--method M] [--check C] [--json] [--plot PNG]``
    With ``--height``, one design (:func:`postmine.chains.dump.design_dump`): the
    PR1 geometry of 004, the flattened slopes, the footprint and the factor of safety of the
    working and flattened slopes by every method. With a range of heights or of flattened
    angles, the trade-off table and the design of smallest footprint that meets
    ``--required-factor`` (:func:`~postmine.chains.dump.smallest_stable_dump`).

Results on stdout (Rich tables, or JSON with ``--json``); errors give one line on stderr and
exit status 2. When no candidate meets the requirement, the table is still printed and the
error names the best factor of safety reached.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from postmine.cli._errors import fail
from postmine.cli._progress import PROGRESS_OPTION, progress_bars

if TYPE_CHECKING:
    from rich.console import Console

    from postmine.chains.dump import DumpDesign, TradeoffRow
    from postmine.chains.dump_stability import Material

__all__ = ["dump_app"]

dump_app = typer.Typer(
    help="Dump design: PR1 geometry, flattened slopes, footprint and slope stability.",
    no_args_is_help=True,
)


@dump_app.callback()
def _dump() -> None:
    """Dump design: PR1 geometry, flattened slopes, footprint and slope stability."""


def _range(option: str, text: str) -> list[float]:
    """Parse FROM:TO:COUNT into COUNT evenly spaced values."""
    parts = text.split(":")
    bad = f"{option} must be FROM:TO:COUNT with FROM < TO and COUNT >= 2, got {text!r}"
    if len(parts) != 3:
        fail(bad)
    try:
        low, high, count = float(parts[0]), float(parts[1]), int(parts[2])
    except ValueError:
        fail(bad)
    if not (math.isfinite(low) and math.isfinite(high) and low < high and count >= 2):
        fail(bad)
    return [float(v) for v in _linspace(low, high, count)]


def _linspace(low: float, high: float, count: int) -> list[float]:
    step = (high - low) / (count - 1)
    return [low + k * step for k in range(count)]


def _clean(value: Any) -> Any:
    """Make a value JSON-safe: NaN -> None."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _stability(s: Any) -> dict[str, Any]:
    return {
        "slope_height_m": s.profile.height_m,
        "slope_angle_deg": s.profile.slope_angle_deg,
        "toe_x_m": s.profile.toe_x_m,
        "crest_x_m": s.profile.crest_x_m,
        "axis_x_m": s.profile.axis_x_m,
        "centre_x_m": s.centre_x_m,
        "centre_y_m": s.centre_y_m,
        "radius_m": s.radius_m,
        **{f"factor_{m}": _clean(v) for m, v in s.factors().items()},
        "lambda_spencer": _clean(s.lambda_spencer),
        "lambda_morgenstern_price": _clean(s.lambda_morgenstern_price),
        "circles_evaluated": s.circles_evaluated,
    }


_DESIGN_FIELDS = (
    ("shape", "", "shape"),
    ("scheme", "", "flattening scheme"),
    ("volume_m3", "m³", "volume placed"),
    ("height_m", "m", "height as built h_о"),
    ("slope_angle_deg", "°", "working slope α"),
    ("flattened_angle_deg", "°", "flattened slope β"),
    ("base_size_m", "m", "base R or B as built"),
    ("base_length_m", "m", "base L as built"),
    ("base_area_m2", "m²", "base area as built"),
    ("flattening_volume_m3", "m³", "flattening volume"),
    ("flattened_height_m", "m", "height after flattening"),
    ("flattened_base_size_m", "m", "base R' or B' after flattening"),
    ("footprint_area_m2", "m²", "footprint after flattening"),
    ("footprint_perimeter_m", "m", "footprint perimeter"),
    ("flattened_volume_m3", "m³", "volume of the flattened frustum"),
)


def _design_json(d: Any) -> dict[str, Any]:
    out: dict[str, Any] = {name: _clean(getattr(d, name)) for name, _, _ in _DESIGN_FIELDS}
    out.update(
        aspect_ratio=d.aspect_ratio,
        base_perimeter_m=d.base_perimeter_m,
        top_area_m2=d.top_area_m2,
        flattened_base_length_m=d.flattened_base_length_m,
        flattened_top_area_m2=d.flattened_top_area_m2,
        method=d.method,
        check=d.check,
        required_factor=d.required_factor,
        factor=d.factor,
        stable=d.stable,
        stability={"working": _stability(d.working), "flattened": _stability(d.final)},
        scheme_options=[
            {
                "scheme": o.scheme,
                "footprint_area_m2": _clean(o.footprint_area_m2),
                "factor": _clean(o.factor),
                "stable": o.stable,
                "feasible": o.feasible,
                "note": o.note,
            }
            for o in d.scheme_options
        ],
    )
    return out


def _row_json(r: Any) -> dict[str, Any]:
    return {
        "height_m": r.height_m,
        "slope_angle_deg": r.slope_angle_deg,
        "flattened_angle_deg": r.flattened_angle_deg,
        "scheme": r.scheme,
        "footprint_area_m2": _clean(r.footprint_area_m2),
        "factor_working": _clean(r.factor_working),
        "factor_flattened": _clean(r.factor_flattened),
        "factor": _clean(r.factor),
        "stable": r.stable,
        "feasible": r.feasible,
        "note": r.note,
    }


def _num(value: float, digits: int = 0) -> str:
    if not math.isfinite(value):
        return "-"
    return f"{value:,.{digits}f}".replace(",", " ")


def _print_design(console: Console, d: Any) -> None:
    from rich.table import Table

    table = Table(title="dump design (004 PR1 geometry)", show_header=True)
    table.add_column("quantity")
    table.add_column("value", justify="right")
    table.add_column("unit")
    for name, unit, label in _DESIGN_FIELDS:
        value = getattr(d, name)
        text = value if isinstance(value, str) else _num(value, 1 if unit == "°" else 0)
        table.add_row(label, text, unit)
    console.print(table)
    st = Table(title="factor of safety on the critical circle (Bishop's)")
    st.add_column("method")
    st.add_column("working slope", justify="right")
    st.add_column("flattened slope", justify="right")
    for m, v in d.working.factors().items():
        st.add_row(m, _num(v, 3), _num(d.final.factor(m), 3))
    console.print(st)
    verdict = "meets" if d.stable else "does NOT meet"
    console.print(
        f"{d.method} factor {d.factor:.3f} ({d.check} slope) {verdict} the required "
        f"{d.required_factor:g}"
    )
    change = d.flattened_volume_m3 / d.volume_m3 - 1.0
    if abs(change) > 0.01:
        console.print(
            f"note: the flattened frustum holds {_num(d.flattened_volume_m3)} m³, "
            f"{change:+.1%} of the volume placed: the {d.scheme} scheme of 004 PR1 "
            "(Eq. 1.8 or 1.11) does not conserve volume"
        )


def _print_table(console: Console, rows: Any, required: float, method: str) -> None:
    from rich.markup import escape
    from rich.table import Table

    t = Table(title=f"trade-off: footprint against {method} factor (required {required:g})")
    columns: list[tuple[str, Any]] = [
        ("height [m]", lambda r: f"{r.height_m:g}"),
        ("β [°]", lambda r: f"{r.flattened_angle_deg:g}"),
        ("scheme", lambda r: r.scheme),
        ("footprint [m²]", lambda r: _num(r.footprint_area_m2)),
    ]
    if any(math.isfinite(r.factor_working) for r in rows):
        columns.append(("F working", lambda r: _num(r.factor_working, 3)))
    if any(math.isfinite(r.factor_flattened) for r in rows):
        columns.append(("F flattened", lambda r: _num(r.factor_flattened, 3)))
    columns.append(
        ("stable", lambda r: "yes" if r.stable else ("no" if r.feasible else "not feasible"))
    )
    for name, _ in columns:
        t.add_column(escape(name), justify="left" if name in ("scheme", "stable") else "right",
                     no_wrap=True)  # fmt: skip
    for r in rows:
        t.add_row(*(cell(r) for _, cell in columns))
    console.print(t)
    for r in rows:
        if not r.feasible:
            console.print(f"not feasible, h = {r.height_m:g} m, {r.scheme}: {r.note}")


@dump_app.command("design")
def design_command(
    volume: float = typer.Option(..., "--volume", help="Volume to place in the dump [m³]."),
    height: float | None = typer.Option(None, "--height", help="Height as built [m]."),
    height_range: str | None = typer.Option(
        None, "--height-range", help="Heights FROM:TO:COUNT [m]: search the smallest footprint."
    ),
    shape: str = typer.Option("circle", "--shape", help="circle, square or rectangle."),
    aspect_ratio: float | None = typer.Option(
        None, "--aspect-ratio", help="L/B of a rectangular base [-] (004: 1.5-5)."
    ),
    slope_angle: float = typer.Option(38.0, "--slope-angle", help="Working slope α [°]."),
    flattened_angle: float = typer.Option(
        18.0, "--flattened-angle", help="Slope angle after flattening β [°]."
    ),
    flattened_angle_range: str | None = typer.Option(
        None, "--flattened-angle-range", help="Angles β FROM:TO:COUNT [°] to search over."
    ),
    scheme: str = typer.Option("best", "--scheme", help="bottom-up, top-down or best."),
    cohesion: float = typer.Option(..., "--cohesion", help="Dump rock c' [kPa]."),
    friction_angle: float = typer.Option(..., "--friction-angle", help="Dump rock φ' [°]."),
    unit_weight: float = typer.Option(..., "--unit-weight", help="Dump rock γ [kN/m³]."),
    foundation_cohesion: float | None = typer.Option(
        None, "--foundation-cohesion", help="Foundation c' [kPa]."
    ),
    foundation_friction_angle: float | None = typer.Option(
        None, "--foundation-friction-angle", help="Foundation φ' [°]."
    ),
    foundation_unit_weight: float | None = typer.Option(
        None, "--foundation-unit-weight", help="Foundation γ [kN/m³]."
    ),
    pore_pressure_ratio: float = typer.Option(
        0.0, "--pore-pressure-ratio", help="r_u in all layers [-]."
    ),
    seismic_coefficient: float = typer.Option(
        0.0, "--seismic-coefficient", help="Horizontal seismic coefficient k_h [-]."
    ),
    required_factor: float = typer.Option(
        1.3, "--required-factor", help="Required factor of safety [-]."
    ),
    method: str = typer.Option(
        "bishop",
        "--method",
        help="ordinary, bishop, janbu, spencer or morgenstern_price (for the requirement).",
    ),
    check: str = typer.Option(
        "flattened", "--check", help="Slope the requirement applies to: flattened, working, both."
    ),
    grid_points: int = typer.Option(
        9, "--grid-points", help="Values per axis of the circle search grid [-]."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of tables."),
    plot: Path | None = typer.Option(
        None, "--plot", help="Write the section with the critical circles (PNG)."
    ),
    progress: bool | None = PROGRESS_OPTION,
) -> None:
    """Design a dump of given volume; with a range, find the smallest stable footprint."""
    heights, angles = _candidates(height, height_range, flattened_angle, flattened_angle_range)
    rock = (cohesion, friction_angle, unit_weight)
    ground = (foundation_cohesion, foundation_friction_angle, foundation_unit_weight)
    common: dict[str, Any] = {
        "slope_angle": slope_angle,
        "aspect_ratio": aspect_ratio,
        "required_factor": required_factor,
        "method": method,
        "check": check,
        "pore_pressure_ratio": pore_pressure_ratio,
        "seismic_coefficient": seismic_coefficient,
        "grid_points": grid_points,
    }
    with progress_bars(progress) as bars:
        bars.stage(_stage_label(heights, angles))  # no count from the chain yet: time only
        design, table = _run_design(
            volume, shape, scheme, rock, ground, heights, angles, common, as_json
        )
    if plot is not None:
        _write_plot(design, plot)
    _show(design, table, as_json, required_factor, method, plot)


def _stage_label(heights: list[float], angles: list[float]) -> str:
    """Label of the progress bar: one design or a trade-off of several."""
    candidates = len(heights) * len(angles)
    return "dump design" if candidates == 1 else f"trade-off of {candidates} designs"


def _write_plot(design: DumpDesign, plot: Path) -> None:
    """Write the section with the critical circles (PNG); exit 2 if it cannot be written."""
    from postmine.chains.dump_plot import plot_design
    from postmine.core.files import write_atomic

    try:
        write_atomic(plot, plot_design(design))
    except OSError as exc:
        fail(f"cannot write {plot}: {exc}")


def _candidates(
    height: float | None,
    height_range: str | None,
    flattened_angle: float,
    flattened_angle_range: str | None,
) -> tuple[list[float], list[float]]:
    """Heights [m] and flattened angles [°] to design: one each, or the ranges given."""
    if (height is None) == (height_range is None):
        fail("give exactly one of --height or --height-range")
    heights = [height] if height is not None else _range("--height-range", str(height_range))
    angles = (
        [flattened_angle]
        if flattened_angle_range is None
        else _range("--flattened-angle-range", flattened_angle_range)
    )
    return heights, angles


def _materials(
    rock: tuple[float, float, float], ground: tuple[float | None, float | None, float | None]
) -> tuple[Material, Material | None]:
    """Dump rock and, if all three are given, the foundation (c' kPa, φ' °, γ kN/m³)."""
    from postmine.chains.dump_stability import Material

    material = Material(*rock, "dump rock")
    c, phi, gamma = ground
    if c is None or phi is None or gamma is None:
        return material, None
    return material, Material(c, phi, gamma, "foundation")


def _run_design(
    volume: float,
    shape: str,
    scheme: str,
    rock: tuple[float, float, float],
    ground: tuple[float | None, float | None, float | None],
    heights: list[float],
    angles: list[float],
    common: dict[str, Any],
    as_json: bool,
) -> tuple[DumpDesign, tuple[TradeoffRow, ...] | None]:
    """One design, or the search over the candidates; refusals exit 2 (the table first)."""
    from rich.console import Console

    from postmine.chains.dump import NoStableDumpError, design_dump, smallest_stable_dump

    if any(v is not None for v in ground) and not all(v is not None for v in ground):
        fail(
            "give --foundation-cohesion, --foundation-friction-angle and "
            "--foundation-unit-weight together, or none of them"
        )
    try:
        material, foundation = _materials(rock, ground)
        if len(heights) == 1 and len(angles) == 1:
            design = design_dump(
                volume,
                shape,
                material,
                foundation,
                height=heights[0],
                flattened_angle=angles[0],
                scheme=scheme,
                **common,
            )
            return design, None
        found = smallest_stable_dump(
            volume,
            shape,
            material,
            foundation,
            heights=heights,
            flattened_angles=angles,
            scheme=scheme,
            **common,
        )
    except NoStableDumpError as exc:
        if as_json:
            typer.echo(json.dumps({"design": None, "table": [_row_json(r) for r in exc.table]}))
        else:
            _print_table(Console(width=120), exc.table, common["required_factor"], common["method"])
        fail(str(exc))
    except ValueError as exc:
        fail(str(exc))
    return found.design, found.table


def _show(
    design: DumpDesign,
    table: tuple[TradeoffRow, ...] | None,
    as_json: bool,
    required_factor: float,
    method: str,
    plot: Path | None,
) -> None:
    """Print the design (and the trade-off table of a search) as JSON or Rich tables."""
    from rich.console import Console

    if as_json:
        data = {
            "design": _design_json(design),
            "table": None if table is None else [_row_json(r) for r in table],
        }
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    console = Console(width=120)
    _print_design(console, design)
    if table is not None:
        _print_table(console, table, required_factor, method)
    if plot is not None:
        console.print(f"plot written to {plot}")
