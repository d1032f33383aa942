"""``postmine registry``: the registry of disturbed lands and TMF, and ``postmine serve``."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

import typer

from postmine.cli._errors import fail
from postmine.core.files import write_atomic

__all__ = ["registry_app", "serve_command"]

registry_app = typer.Typer(
    help="The registry: sites, objects, TMF, plans, assurance, passports and the ledger.",
    no_args_is_help=True,
)

DB_OPTION = typer.Option(None, "--db", help="Database URL (default: POSTMINE_DB or SQLite file).")
ACTOR_OPTION = typer.Option("registry", "--actor", help="Acting party; signs the ledger entry.")
KEYS_OPTION = typer.Option(None, "--keys", help="Key directory (default: POSTMINE_KEYS).")

_ADDERS = (
    "operator",
    "territory",
    "site",
    "update-site",
    "object",
    "tmf",
    "document",
    "monitoring",
    "plan",
    "approve-plan",
    "compute-plan",
    "accept-stage",
    "object-state",
    "object-geometry",
    "assurance",
    "deposit",
    "release",
    "forfeit",
)


def _fail_from(exc: BaseException) -> NoReturn:
    fail(str(exc) or type(exc).__name__)


def _convert(data: dict[str, Any]) -> dict[str, Any]:
    """Turn JSON values into the Python values the actions take (dates, geometries)."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key == "geometry" and isinstance(value, dict):
            from shapely.geometry import shape  # type: ignore[import-untyped]

            try:
                out[key] = shape(value)
            except (ValueError, TypeError, AttributeError, KeyError) as exc:
                raise ValueError(f"geometry is not valid GeoJSON: {exc}") from None
        elif isinstance(value, str) and (
            key.endswith("_on") or key in ("period_start", "period_end")
        ):
            try:
                out[key] = dt.date.fromisoformat(value)
            except ValueError:
                raise ValueError(f"{key} must be a date YYYY-MM-DD, got {value!r}") from None
        else:
            out[key] = value
    return out


def _read_data(data: str | None, file: Path | None) -> dict[str, Any]:
    if (data is None) == (file is None):
        fail("give exactly one of --data JSON or --file FILE")
    try:
        text = data if data is not None else Path(str(file)).read_text(encoding="utf-8")
        if file is not None and file.suffix.lower() == ".toml":
            return {"project_toml": text}
        loaded = json.loads(text)
    except OSError as exc:
        fail(f"{file}: cannot be read: {exc.strerror}")
    except json.JSONDecodeError as exc:
        fail(f"--data is not valid JSON: {exc}")
    if not isinstance(loaded, dict):
        fail("the data must be a JSON object of fields")
    return loaded


def _cell(value: Any) -> str:
    return f"{value:.12g}" if isinstance(value, float) else str(value)


def _print_json(value: Any) -> None:
    typer.echo(json.dumps(value, ensure_ascii=False, indent=2, default=str))


@registry_app.command("init")
def init_command(db: str | None = DB_OPTION) -> None:
    """Create or upgrade the registry database to the current schema."""
    from postmine.db import init_db, resolve_url

    try:
        revision = init_db(db)
    except Exception as exc:
        _fail_from(exc)
    typer.echo(f"registry at {resolve_url(db)} is at schema revision {revision}", err=True)


@registry_app.command("add")
def add_command(
    entity: str = typer.Argument(..., help=f"What to add: {', '.join(_ADDERS)}."),
    data: str | None = typer.Option(None, "--data", help="Fields as a JSON object."),
    file: Path | None = typer.Option(
        None, "--file", help="Fields as a JSON file (a .toml file is a plan's project file)."
    ),
    actor: str = ACTOR_OPTION,
    keys: Path | None = KEYS_OPTION,
    db: str | None = DB_OPTION,
) -> None:
    """Add to or change the registry; every change of a site is signed into the ledger."""
    from postmine.db import session_scope
    from postmine.registry import actions
    from postmine.registry.records import as_dict
    from postmine.workflows import plans

    if entity not in _ADDERS:
        fail(f"entity must be one of: {', '.join(_ADDERS)}; got {entity!r}")
    fields = _convert(_read_data(data, file))
    dispatch: dict[str, Callable[..., Any]] = {
        "operator": actions.register_operator,
        "territory": actions.register_territory,
        "site": actions.register_site,
        "update-site": actions.update_site,
        "object": actions.add_object,
        "tmf": actions.add_tmf,
        "document": actions.record_document,
        "monitoring": actions.record_monitoring,
        "plan": plans.submit_plan,
        "compute-plan": plans.compute_plan,
        "approve-plan": actions.approve_plan,
        "accept-stage": actions.accept_stage,
        "object-state": actions.change_object_state,
        "object-geometry": actions.set_object_geometry,
        "assurance": actions.create_assurance,
        "deposit": actions.pay_deposit,
        "release": actions.release,
        "forfeit": actions.forfeit,
    }
    try:
        signer = actions.actor_from_keyring(actor, keys)
        with session_scope(db) as session:
            row = dispatch[entity](session, signer, **fields)
            shown = as_dict(row, geometry=False) if row is not None else {}
    except TypeError as exc:
        fail(f"{entity}: {exc}")
    except Exception as exc:
        _fail_from(exc)
    _print_json(shown)


@registry_app.command("import")
def import_command(
    kind: str = typer.Argument(..., help="objects, tmf, statistics or sample-statistics."),
    path: Path | None = typer.Argument(None, help="File to import (not for sample-statistics)."),
    site: int | None = typer.Option(None, "--site", help="Site of the imported objects."),
    replace: bool = typer.Option(
        False, "--replace", help="Statistics: replace values already in the registry."
    ),
    actor: str = ACTOR_OPTION,
    keys: Path | None = KEYS_OPTION,
    db: str | None = DB_OPTION,
) -> None:
    """Import objects (GeoJSON, GeoPackage), TMF or statistics (CSV, Excel): all or nothing.

    Objects and TMF belong to one site (--site) and the batch is signed into its ledger;
    statistics belong to no site and each file is signed as a registry-wide entry.
    """
    from postmine.db import session_scope
    from postmine.registry import actions

    kinds = ("objects", "tmf", "statistics", "sample-statistics")
    if kind not in kinds:
        fail(f"kind must be one of: {', '.join(kinds)}; got {kind!r}")
    if kind != "sample-statistics" and path is None:
        fail(f"import {kind} needs a FILE")
    if kind in ("objects", "tmf") and site is None:
        fail(f"import {kind} needs --site ID")
    try:
        signer = actions.actor_from_keyring(actor, keys)
        with session_scope(db) as session:
            if kind in ("objects", "tmf"):
                result: Any = actions.import_records(
                    session, signer, kind, Path(str(path)), site_id=int(str(site))
                )
            elif kind == "statistics":
                result = actions.import_statistics(
                    session,
                    signer,
                    Path(str(path)),
                    on_conflict="replace" if replace else "error",
                )
            else:
                result = actions.import_sample_statistics(
                    session, signer, on_conflict="replace" if replace else "error"
                )
    except Exception as exc:
        _fail_from(exc)
    reports = result if isinstance(result, list) else [result]
    for report in reports:
        typer.echo(json.dumps(report.to_dict(), ensure_ascii=False, default=str))


@registry_app.command("export")
def export_command(
    kind: str = typer.Argument(..., help="objects, tmf or statistics."),
    path: Path = typer.Argument(..., help="File to write (.geojson/.gpkg, .csv/.xlsx)."),
    site: int | None = typer.Option(None, "--site", help="Only this site's objects."),
    db: str | None = DB_OPTION,
) -> None:
    """Export objects, TMF or statistics."""
    from postmine.db import session_scope
    from postmine.registry import io

    kinds = ("objects", "tmf", "statistics")
    if kind not in kinds:
        fail(f"kind must be one of: {', '.join(kinds)}; got {kind!r}")
    try:
        with session_scope(db) as session:
            if kind == "objects":
                result: Any = io.export_objects(session, path, site_id=site)
            elif kind == "tmf":
                result = io.export_tmf(session, path)
            else:
                result = io.export_statistics(session, path)
    except Exception as exc:
        _fail_from(exc)
    typer.echo(f"wrote {path} ({result})", err=True)


@registry_app.command("passport")
def passport_command(
    site_id: int = typer.Argument(..., help="Site id."),
    as_json: bool = typer.Option(False, "--json", help="Print the passport as JSON."),
    html: Path | None = typer.Option(None, "--html", help="Write the passport as HTML here."),
    lang: str = typer.Option("en", "--lang", help="en or ru (HTML)."),
    public: bool = typer.Option(False, "--public", help="Without financial details."),
    db: str | None = DB_OPTION,
) -> None:
    """Show the digital passport of a site with its full history."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table as RichTable

    from postmine.db import session_scope
    from postmine.registry.passport import build_passport
    from postmine.reports.passport import passport_html

    if lang not in ("en", "ru"):
        fail(f"--lang must be one of: en, ru; got {lang!r}")
    try:
        with session_scope(db) as session:
            doc = build_passport(session, site_id, include_financial=not public)
    except Exception as exc:
        _fail_from(exc)
    if html is not None:
        write_atomic(html, passport_html(doc, lang))
        typer.echo(f"wrote {html}", err=True)
    if as_json or html is None:
        if as_json:
            _print_json(doc)
            return
        console = Console()
        site = doc.get("site", {})
        console.print(f"[bold]{escape(str(site.get('name', '')))}[/bold] (site {site_id})")
        history = RichTable(title="History", title_justify="left")
        for col in ("date", "event", "what"):
            history.add_column(col)
        for entry in doc.get("history", []):
            text = entry.get("text", {})
            history.add_row(
                escape(str(entry.get("date", ""))),
                escape(str(entry.get("event", ""))),
                escape(str(text.get(lang, text.get("en", "")))),
            )
        console.print(history)


@registry_app.command("verify")
def verify_command(
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    trusted_keys: Path | None = typer.Option(
        None, "--trusted-keys", help="Only accept signatures by the keys in this directory."
    ),
    db: str | None = DB_OPTION,
) -> None:
    """Verify the ledger: name every altered, removed or reordered entry (exit 1 if any)."""
    from postmine.db import session_scope
    from postmine.registry import actions
    from postmine.registry.ledger import Keyring

    try:
        trusted = (
            list(Keyring(actions.resolve_keys_dir(trusted_keys)).public_keys().values())
            if trusted_keys is not None
            else None
        )
        with session_scope(db) as session:
            report = actions.verify_registry(session, trusted_keys=trusted)
    except Exception as exc:
        _fail_from(exc)
    if as_json:
        _print_json(report.as_dict())
    else:
        typer.echo(str(report))
    if not report.ok:
        raise typer.Exit(code=1)


@registry_app.command("seal")
def seal_command(
    before: str | None = typer.Option(
        None, "--before", help="Seal the days before this date (YYYY-MM-DD; default today)."
    ),
    db: str | None = DB_OPTION,
) -> None:
    """Seal finished days of the ledger with their Merkle roots (publish the roots)."""
    from postmine.db import session_scope
    from postmine.registry import actions

    try:
        day = dt.date.fromisoformat(before) if before else None
        with session_scope(db) as session:
            roots = actions.seal_days(session, before=day)
    except Exception as exc:
        _fail_from(exc)
    for r in roots:
        typer.echo(f"{r.day} {r.root} ({r.n_entries} entries)")


@registry_app.command("proof")
def proof_command(
    seq: int = typer.Argument(..., help="Ledger entry number."),
    db: str | None = DB_OPTION,
) -> None:
    """Print the inclusion proof of a ledger entry in its day's Merkle root (JSON)."""
    from postmine.db import session_scope
    from postmine.registry import actions

    try:
        with session_scope(db) as session:
            proof = actions.inclusion_proof(session, seq)
    except Exception as exc:
        _fail_from(exc)
    _print_json(proof)


@registry_app.command("stats")
def stats_command(
    of: str = typer.Option("objects", "--of", help="objects, tmf or statistics."),
    by: str = typer.Option("region", "--by", help="Comma-separated grouping keys."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    db: str | None = DB_OPTION,
) -> None:
    """Aggregate the registry by region, year, object kind, TMF class or hazard class."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table as RichTable

    from postmine.db import session_scope
    from postmine.registry import stats

    keys = [k.strip() for k in by.split(",") if k.strip()]
    if of not in ("objects", "tmf", "statistics"):
        fail(f"--of must be one of: objects, tmf, statistics; got {of!r}")
    try:
        with session_scope(db) as session:
            rows = stats.aggregate(session, keys, of=of)  # type: ignore[arg-type]
    except Exception as exc:
        _fail_from(exc)
    rows = [dict(r) for r in rows]
    if as_json:
        _print_json(rows)
        return
    table = RichTable(title=f"Registry statistics: {of} by {', '.join(keys)}", title_justify="left")
    columns = list(rows[0]) if rows else keys
    for col in columns:
        table.add_column(escape(col))
    for r in rows:
        table.add_row(*(escape(_cell(r.get(c, ""))) for c in columns))
    Console().print(table)


@registry_app.command("token")
def token_command(
    role: str = typer.Argument(..., help="admin, regulator, operator or public."),
    operator: int | None = typer.Option(None, "--operator", help="Operator id (operator role)."),
    db: str | None = DB_OPTION,
) -> None:
    """Create an API token (printed once; only its SHA-256 is stored)."""
    from postmine.api.auth import create_token
    from postmine.db import session_scope

    try:
        with session_scope(db) as session:
            token = create_token(session, role, operator)
    except Exception as exc:
        _fail_from(exc)
    typer.echo(token)


def serve_command(
    db: str | None = DB_OPTION,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
    keys: Path | None = KEYS_OPTION,
) -> None:
    """Start the registry's REST API (OpenAPI docs at /api/v1/docs) on the embedded default."""
    from postmine.core.extras import require

    try:
        require("fastapi")  # a one-line refusal naming the extra, not a traceback
        from postmine.api.app import serve

        serve(db_url=db, host=host, port=port, keys_dir=keys)
    except Exception as exc:
        _fail_from(exc)
