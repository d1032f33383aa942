"""``postmine slope``: limit-equilibrium slope stability of a section file.

Commands
--------
``analyse FILE | --example NAME [--noncircular] [--plot PNG] [--json]``
    Factors of safety by Ordinary, Bishop, Janbu (uncorrected), Spencer and
    Morgenstern–Price on the file's given surface or on the critical surface of its
    search (circular; ``--noncircular`` adds the non-circular search), with the published
    reference of the file compared when it has one.
``examples``
    The packaged published verification problems (use with ``analyse --example``).
``verify [--json]``
    Run every packaged verification problem and compare with its published factors;
    exit status 1 if any differs by more than its tolerance.
``now FILE --site ID [--at ISO] [--method M] [--reading pressure|head] [--db URL] [--json]``
    The factor of safety now: F on the file's watched surface (its ``[surface]``, or the
    critical circle of its ``[search]``) from the latest stored reading, at or before
    ``--at``, of each of its ``[[piezometers]]`` channels, with the heads and reading times.
    The live version is a ``[[slope]]`` rule set run by ``postmine monitor listen --rules``.

Errors give one line per problem on stderr and exit status 2.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import typer

from postmine.cli._errors import fail
from postmine.cli._progress import (
    PROGRESS_OPTION,
    ProgressBars,
    ProgressCallback,
    progress_bars,
)

if TYPE_CHECKING:
    from rich.console import Console

    from postmine.geotech.section_file import SlopeFile
    from postmine.monitoring.slope_watch import SlopeFactorNow, SlopeWatchConfig

__all__ = ["DIRECTIONS", "slope_app", "verification_problems"]

slope_app = typer.Typer(
    help="Slope stability: factors of safety, critical slip surfaces, verification problems.",
    no_args_is_help=True,
)

EXAMPLES_DIR = Path(__file__).resolve().parent.parent / "data" / "geotech" / "verification"


def _examples() -> dict[str, Path]:
    return {p.stem: p for p in sorted(EXAMPLES_DIR.glob("*.toml"))}


def _fmt(value: float | None, digits: int = 3) -> str:
    if value is None or value != value:
        return "—"
    return f"{value:.{digits}f}"


def _console() -> Console:
    """Console of the readable output: wide enough for the tables when piped or captured."""
    from rich.console import Console

    console = Console()
    return console if console.is_terminal else Console(width=120)


def _print_analysis(analysis: Any, console: Console) -> None:
    from rich.table import Table

    console.print(f"[bold]{analysis.title or 'slope section'}[/bold] — {analysis.kind}")
    method, lowest = analysis.minimum
    table = Table("method", "F", "λ")
    for m, f in analysis.factors.items():
        table.add_row(m.replace("_", "-"), _fmt(f), _fmt(analysis.lambdas.get(m)))
    console.print(table)
    if analysis.circle is not None:
        xc, yc, r = analysis.circle
        console.print(f"circle: centre ({xc:.3f}, {yc:.3f}) m, radius {r:.3f} m")
    else:
        pts = ", ".join(
            f"({x:.2f}, {y:.2f})"
            for x, y in analysis.surface[:: max(1, len(analysis.surface) // 8)]
        )
        console.print(f"surface (every few points): {pts} m")
    s = analysis.slices
    console.print(
        f"entry x = {float(s.entry_x[0]):.3f} m, exit x = {float(s.exit_x[0]):.3f} m; "
        f"{analysis.n_slices} slices; {analysis.n_evaluated} surfaces in {analysis.seconds:.2f} s; "
        f"lowest F = {lowest:.3f} ({method})"
    )
    if analysis.checks:
        ref = Table("method", "published", "postmine", "difference", "tolerance", "")
        for c in analysis.checks:
            ref.add_row(
                c.method,
                _fmt(c.published),
                _fmt(c.computed),
                f"{100 * c.difference:+.2f} %",
                f"{100 * c.tolerance:.1f} %",
                "ok" if c.passed else "[red]differs[/red]",
            )
        console.print(ref)


DIRECTIONS = ("auto", "right-to-left", "left-to-right", "both", "left", "right")
"""Failure directions of ``slope analyse --direction`` (Slide2's terms; see the help)."""


def _section_path(file: Path | None, example: str | None) -> Path:
    """FILE, or the packaged problem ``--example NAME``; exactly one of them."""
    if (file is None) == (example is None):
        fail("give a section FILE or --example NAME (see `postmine slope examples`)")
    if example is not None:
        known = _examples()
        if example not in known:
            fail(f"--example {example!r} is not a packaged problem; choose from {sorted(known)}")
        return known[example]
    assert file is not None
    return file


def _check_search_options(slope: SlopeFile, noncircular: bool | None, direction: str) -> None:
    """Refuse what cannot be honoured: a search kind with a fixed surface, a bad direction.

    As in Slide2, a file that gives a slip surface is analysed on that surface alone; a
    search kind (``--noncircular`` / ``--circular``) asks for a search, so the two together
    are a contradiction and are refused rather than one of them silently ignored.
    """
    if noncircular is not None and slope.surface is not None:
        option = "--noncircular" if noncircular else "--circular"
        fail(
            f"{option} chooses the kind of critical-surface search, but this file gives a fixed "
            "[surface], which is analysed as given (no search); remove [surface] from the file "
            f"to search, or drop {option}"
        )
    if direction not in DIRECTIONS:
        fail(f"--direction must be one of {', '.join(DIRECTIONS)}, got {direction!r}")


def _search_stage(slope: SlopeFile, noncircular: bool | None) -> str | None:
    """Label of the progress bar of the search the analysis runs (None: a fixed surface)."""
    if slope.surface is not None:
        return None
    kind = slope.search.kind if slope.search is not None else "circular"
    if noncircular is not None:
        kind = "noncircular" if noncircular else "circular"
    return "non-circular search" if kind == "noncircular" else "critical circle search"


@slope_app.command("analyse")
def analyse_command(
    file: Path | None = typer.Argument(None, help="Slope section file (TOML)."),
    example: str | None = typer.Option(
        None, "--example", help="A packaged verification problem instead of FILE."
    ),
    noncircular: bool | None = typer.Option(
        None,
        "--noncircular/--circular",
        help="Search non-circular surfaces too (Spencer by default) or circles only; overrides "
        "the [search] kind of the file. Refused with a fixed [surface], which is analysed as "
        "given.",
        show_default=False,
    ),
    direction: str = typer.Option(
        "auto",
        "--direction",
        help="Failure direction: right-to-left (the mass moves towards -x), left-to-right, both "
        "(both faces of a dam or embankment; short forms left, right), or auto: the file's "
        "[section] direction, else every face of the ground.",
    ),
    plot: Path | None = typer.Option(None, "--plot", help="Write a PNG of the section."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
    progress: bool | None = PROGRESS_OPTION,
) -> None:
    """Factors of safety and the critical slip surface of a section file."""
    from postmine.geotech.section_file import SectionFileError, read_section_file
    from postmine.geotech.slope_analysis import analyse_slope
    from postmine.geotech.slope_plot import plot_slope

    file = _section_path(file, example)
    try:
        slope = read_section_file(file)
    except (SectionFileError, ValueError, OSError) as exc:
        fail(str(exc))
    _check_search_options(slope, noncircular, direction)
    stage = _search_stage(slope, noncircular)
    try:
        with progress_bars(progress) as bars:
            analysis = analyse_slope(
                slope,
                noncircular=noncircular,
                direction=None if direction == "auto" else direction,
                progress=None if stage is None else bars.stage(stage),
            )
        if plot is not None:
            plot_slope(slope.section, analysis, plot)
    except (SectionFileError, ValueError, OSError) as exc:
        fail(str(exc))
    if as_json:
        data = analysis.to_dict()
        data["file"] = str(file)
        data["direction"] = direction
        data["plot"] = None if plot is None else str(plot)
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    console = _console()
    _print_analysis(analysis, console)
    if plot is not None:
        console.print(f"plot: {plot}")


@slope_app.command("examples")
def examples_command() -> None:
    """List the packaged published verification problems."""
    from rich.table import Table

    from postmine.geotech.section_file import read_section_file

    table = Table("name", "title")
    for name, path in _examples().items():
        table.add_row(name, read_section_file(path).title)
    _console().print(table)


def verification_problems(bars: ProgressBars | None = None) -> list[dict[str, Any]]:
    """Run every packaged verification problem; one JSON-ready record per problem.

    Each record: ``problem`` (file stem), ``title``, ``kind`` of surface, ``n_slices``,
    ``minimised_method``, ``factors`` by method [-], ``published_reference`` [-] or None,
    ``source`` (the file's reference), ``seconds`` [s] and ``checks`` (published against ours).
    ``bars`` shows one bar over the problems.
    """
    from postmine.geotech.section_file import read_section_file
    from postmine.geotech.slope_analysis import analyse_slope

    examples = _examples()
    count = len(examples)
    bar = None if bars is None else bars.stage("verification problems", count)
    problems: list[dict[str, Any]] = []
    for k, (name, path) in enumerate(examples.items()):
        slope = read_section_file(path)
        analysis = analyse_slope(slope, progress=None if bar is None else _within(bar, k, count))
        data = analysis.to_dict()
        reference = slope.reference
        problems.append(
            {
                "problem": name,
                "title": slope.title,
                "kind": analysis.kind,
                "n_slices": analysis.n_slices,
                "minimised_method": analysis.minimised,
                "factors": data["factors"],
                "published_reference": None if reference is None else reference.published_reference,
                "source": None if reference is None else " ".join(reference.source.split()),
                "seconds": data["seconds"],
                "checks": [_finite(c) for c in data["reference_checks"]],
            }
        )
        if bar is not None:
            bar(k + 1, count)
    return problems


def _within(bar: ProgressCallback, k: int, count: int) -> ProgressCallback:
    """Progress of problem ``k`` (from 0) of ``count`` as a part of one bar over them all."""

    def update(done: float, total: float) -> None:
        bar(k + (min(done, total) / total if total > 0 else 0.0), count)

    return update


def _finite(check: dict[str, Any]) -> dict[str, Any]:
    """Return a reference check with NaN (no factor) as None, so that the JSON is standard."""
    return {k: None if isinstance(v, float) and v != v else v for k, v in check.items()}


@slope_app.command("verify")
def verify_command(
    as_json: bool = typer.Option(False, "--json", help="Print the comparison as JSON."),
    progress: bool | None = PROGRESS_OPTION,
) -> None:
    """Run every packaged verification problem against its published factors of safety.

    Exit status 1 if any factor differs from the published one by more than its tolerance.
    ``docs/slope-verification.md`` is written from ``--json`` by
    ``scripts/slope_verification_doc.py``.
    """
    with progress_bars(progress) as bars:
        problems = verification_problems(bars)
    rows = [{"problem": p["problem"], **c} for p in problems for c in p["checks"]]
    failed = [r for r in rows if not r["passed"]]
    if as_json:
        doc = {"checks": rows, "failed": len(failed), "problems": problems}
        typer.echo(json.dumps(doc, indent=2, ensure_ascii=False))
    else:
        _print_verification(rows, failed)
    if failed:
        raise typer.Exit(code=1)


def _print_verification(rows: list[dict[str, Any]], failed: list[dict[str, Any]]) -> None:
    """Print the readable table of ``slope verify``."""
    from rich.table import Table

    table = Table("problem", "method", "published", "postmine", "difference", "tolerance", "")
    for r in rows:
        table.add_row(
            r["problem"],
            r["method"],
            _fmt(r["published"]),
            _fmt(r["computed"]),
            "—" if r["difference"] is None else f"{100 * r['difference']:+.2f} %",
            f"{100 * r['tolerance']:.1f} %",
            "ok" if r["passed"] else "[red]differs[/red]",
        )
    console = _console()
    console.print(table)
    console.print(f"{len(rows) - len(failed)} of {len(rows)} published factors reproduced")


@slope_app.command("now")
def now_command(
    file: Path = typer.Argument(..., help="Slope section file (TOML) with [[piezometers]]."),
    site: int = typer.Option(..., "--site", help="Site whose channels the piezometers are."),
    at: str | None = typer.Option(
        None, "--at", help="Use readings at or before this time (ISO 8601; default now, UTC)."
    ),
    method: str = typer.Option("bishop", "--method", help="Limit-equilibrium method of F."),
    reading: str = typer.Option(
        "pressure", "--reading", help="What the channels read: pressure (at the tip) or head."
    ),
    db: str | None = typer.Option(
        None, "--db", help="Database URL (default: POSTMINE_DB or SQLite file)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Factor of safety from the latest stored reading of each piezometer of a section file."""
    at_us = _check_now_options(method, reading, at)
    slope, config, now = _factor_now(file, site, db, method, reading, at_us)
    if as_json:
        data = _now_to_dict(file, site, config, now)
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    _print_now(slope.title or file.name, config, now)


def _check_now_options(method: str, reading: str, at: str | None) -> int | None:
    """Check --method and --reading; return --at in µs since the epoch (None: now)."""
    from postmine.geotech.limit_equilibrium import METHODS
    from postmine.monitoring.slope_watch import READINGS
    from postmine.monitoring.store import to_us

    if method not in METHODS:
        fail(f"--method must be one of {', '.join(METHODS)}, got {method!r}")
    if reading not in READINGS:
        fail(f"--reading must be one of {', '.join(READINGS)}, got {reading!r}")
    if at is None:
        return None
    try:
        return to_us(at)
    except ValueError:
        fail(f"--at must be an ISO 8601 time with a UTC offset (2025-05-01T02:00Z), got {at!r}")


def _factor_now(
    file: Path, site: int, db: str | None, method: str, reading: str, at_us: int | None
) -> tuple[SlopeFile, SlopeWatchConfig, SlopeFactorNow]:
    """Read the section file and the latest readings; return the file, the watch and F now."""
    from postmine.db import resolve_url, session_scope
    from postmine.geotech.section_file import SectionFileError, read_section_file
    from postmine.monitoring.slope_watch import SlopeWatchConfig, factor_from_store

    try:
        with session_scope(db):  # the database holds the current schema
            pass
        url = resolve_url(db)
        slope = read_section_file(file)
        config = SlopeWatchConfig.from_slope_file(
            slope, method=cast("Any", method), reading=cast("Any", reading)
        )
        now = factor_from_store(url, site, config, at_us)
    except (SectionFileError, ValueError, OSError) as exc:
        fail(str(exc))
    except Exception as exc:  # the database: unreachable, old schema
        fail(str(exc) or type(exc).__name__)
    return slope, config, now


def _now_to_dict(
    file: Path, site: int, config: SlopeWatchConfig, now: SlopeFactorNow
) -> dict[str, Any]:
    """JSON of ``slope now``: F, times, the watched surface and each piezometer (m, s)."""
    f = now.factor_of_safety
    surface: dict[str, Any] = (
        {"centre_x_m": config.centre_x, "centre_y_m": config.centre_y, "radius_m": config.radius}
        if config.circular
        else {"points_m": [list(p) for p in config.points or ()]}
    )
    return {
        "file": str(file),
        "site_id": site,
        "method": now.method,
        "factor_of_safety": None if f != f else f,
        "at": now.at.isoformat(),
        "oldest_reading": now.oldest_reading.isoformat(),
        "surface": surface,
        "piezometers": {
            key: {
                "x_m": float(x),
                "tip_elevation_m": float(tip),
                "reading": now.readings[key],
                "unit": now.units[key],
                "head_m": now.heads_m[key],
                "reading_time": now.reading_times[key].isoformat(),
            }
            for key, x, tip in zip(config.keys, config.x_m, config.tip_elevation_m, strict=True)
        },
    }


def _print_now(title: str, config: SlopeWatchConfig, now: SlopeFactorNow) -> None:
    """Readable view of ``slope now``: F, the piezometers, the surface, the oldest reading."""
    from rich.table import Table

    console = _console()
    console.print(
        f"[bold]{title}[/bold]: F = {_fmt(now.factor_of_safety)} "
        f"({now.method.replace('_', '-')}) at {now.at.isoformat()}"
    )
    table = Table("piezometer", "reading", "unit", "head (m)", "read at")
    for key in config.keys:
        table.add_row(
            key,
            f"{now.readings[key]:.4g}",
            now.units[key],
            _fmt(now.heads_m[key], 2),
            now.reading_times[key].isoformat(),
        )
    console.print(table)
    if config.circular:
        console.print(
            f"circle: centre ({config.centre_x:.3f}, {config.centre_y:.3f}) m, "
            f"radius {config.radius:.3f} m"
        )
    else:
        console.print(f"polyline surface of {len(config.points or ())} points")
    console.print(f"oldest reading used: {now.oldest_reading.isoformat()}")
