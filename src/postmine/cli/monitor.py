"""``postmine monitor``: ingest readings, run alert rules, look at alerts and forecasts.

Commands
--------
``ingest FILE --site ID``
    Ingest a logger file (CSV or Excel) into the site's channels.
``listen --site ID --rules TOML [--webhook URL] [--seconds N]``
    Subscribe to the site's MQTT readings and run the rule set on each committed batch.
``status [--site ID] [--json]``
    Channels with their last reading time, reading count and active alert level.
``alerts [--active] [--json]`` / ``alerts --recompute --rules TOML`` / ``alerts ack ID --by NAME``
    Stored alerts; what a rule set raises over the stored readings; acknowledge one.
``forecast CHANNEL_ID [--window N] [--filter sma|ema] [--plot PNG] [--json]``
    Inverse-velocity forecast of the time of failure from a displacement channel.
``simulate --site ID [--days N] [--interval-min M] [--speedup X] [--no-register]``
    Register the simulated sensors and publish their readings to MQTT.

Every command takes ``--db URL`` (default ``$POSTMINE_DB`` or the SQLite file). Errors give
one line on stderr and exit status 2.
"""

from __future__ import annotations

import json
import math
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import typer

from postmine.cli._errors import fail
from postmine.core.files import write_atomic

if TYPE_CHECKING:
    from postmine.monitoring.channel_forecast import ChannelForecast

__all__ = ["monitor_app"]

monitor_app = typer.Typer(
    help="Monitoring: ingest readings, alert rules, alerts, forecasts and a simulator.",
    no_args_is_help=True,
)
alerts_app = typer.Typer(help="Stored alerts; 'alerts ack ID --by NAME' acknowledges one.")
monitor_app.add_typer(alerts_app, name="alerts")

DB_OPTION = typer.Option(None, "--db", help="Database URL (default: POSTMINE_DB or SQLite file).")
HOST_OPTION = typer.Option("127.0.0.1", "--host", help="MQTT broker host.")
PORT_OPTION = typer.Option(1883, "--port", help="MQTT broker port.")
PREFIX_OPTION = typer.Option(None, "--prefix", help="MQTT topic prefix (default: postmine).")
JSON_OPTION = typer.Option(False, "--json", help="Print JSON instead of a table.")

_FAR_FUTURE_US = 2**62  # end of a "whole series" range. [µs]
_DAY_S = 86_400.0


def _fail_from(exc: BaseException) -> NoReturn:
    text = str(exc).strip("'\"") if isinstance(exc, KeyError) else str(exc)
    fail(text or type(exc).__name__)


def _url(db: str | None) -> str:
    """Return the database URL, after checking that it holds the current schema."""
    from postmine.db import resolve_url, session_scope

    try:
        with session_scope(db):
            pass
    except Exception as exc:
        _fail_from(exc)
    return resolve_url(db)


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(UTC).isoformat()


def _echo_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


# -- ingest -----------------------------------------------------------------------------------
@monitor_app.command("ingest")
def ingest_command(
    file: Path = typer.Argument(..., help="Logger file (CSV, TOA5 or Excel)."),
    site: int = typer.Option(..., "--site", help="Site of the sensors."),
    sensor: str | None = typer.Option(
        None, "--sensor", help="Sensor code when the headers name channels only."
    ),
    timezone: str = typer.Option(
        "UTC", "--timezone", help="Zone of times without offset: UTC, +07:00, IANA name."
    ),
    time_format: str | None = typer.Option(
        None, "--time-format", help="strptime format of the times (ISO 8601 by default)."
    ),
    decimal: str = typer.Option(".", "--decimal", help="Decimal separator of text numbers."),
    as_json: bool = JSON_OPTION,
    db: str | None = DB_OPTION,
) -> None:
    """Ingest a logger file into the readings of a site's channels (idempotent)."""
    from postmine.monitoring.ingest_files import ingest_file

    url = _url(db)
    if not file.is_file():
        fail(f"no file {file}")
    try:
        report = ingest_file(
            file,
            url,
            site_id=site,
            sensor=sensor,
            timezone=timezone,
            time_format=time_format,
            decimal=decimal,
        )
    except Exception as exc:
        _fail_from(exc)
    data = {
        "path": report.path,
        "channels": report.channels,
        "rows": report.rows,
        "readings": report.readings,
        "stored": report.stored,
        "duplicates": report.duplicates,
        "missing": report.missing,
        "dead_letters": report.dead_letters,
        "first_ts": _iso(report.first_ts),
        "last_ts": _iso(report.last_ts),
    }
    if as_json:
        _echo_json(data)
        return
    typer.echo(
        f"{file.name}: {report.rows} rows, {report.readings} readings, {report.stored} stored, "
        f"{report.duplicates} already stored, {report.missing} missing, "
        f"{report.dead_letters} dead letters"
    )
    if report.first_ts is not None:
        typer.echo(f"from {_iso(report.first_ts)} to {_iso(report.last_ts)}")


# -- listen -----------------------------------------------------------------------------------
@monitor_app.command("listen")
def listen_command(
    site: int = typer.Option(..., "--site", help="Site whose readings are watched."),
    rules: Path = typer.Option(..., "--rules", help="Rule set (TOML)."),
    webhook: str | None = typer.Option(None, "--webhook", help="URL alert changes are POSTed to."),
    seconds: float | None = typer.Option(
        None, "--seconds", help="Stop after this many seconds (default: until Ctrl-C)."
    ),
    tick_s: float = typer.Option(
        10.0, "--tick", help="Seconds between clock checks (missing data, escalation)."
    ),
    host: str = HOST_OPTION,
    port: int = PORT_OPTION,
    prefix: str | None = PREFIX_OPTION,
    client_id: str = typer.Option("postmine-monitor", "--client-id", help="MQTT client id."),
    db: str | None = DB_OPTION,
) -> None:
    """Subscribe to MQTT readings, store them and run the rule set on each batch."""
    from postmine.monitoring.alerts import AlertChange
    from postmine.monitoring.ingest_mqtt import Subscriber
    from postmine.monitoring.messages import TOPIC_PREFIX
    from postmine.monitoring.pipeline import AlertingPipeline
    from postmine.monitoring.rule_file import read_rule_set

    url = _url(db)
    if seconds is not None and not seconds > 0:
        fail(f"--seconds must be > 0, got {seconds}")
    if not tick_s > 0:
        fail(f"--tick must be > 0, got {tick_s}")

    def report(changes: list[AlertChange]) -> None:
        for change in changes:
            a = change.alert
            typer.echo(f"{change.event.action} {a.level.label} {a.channel} {a.rule}: {a.message}")

    try:
        rule_set = read_rule_set(rules)
        pipeline = AlertingPipeline(url, rule_set, webhook_url=webhook, site_id=site)
        subscriber = Subscriber(
            url, host=host, port=port, client_id=client_id, prefix=prefix or TOPIC_PREFIX
        )
    except Exception as exc:
        _fail_from(exc)
    channels = pipeline.channels
    typer.echo(f"rule set {rule_set.id}: {len(channels)} channels watched", err=True)
    for key in pipeline.unmatched:
        typer.echo(f"warning: rule-set channel {key!r} matches no registry channel", err=True)
    subscriber.on_batch(lambda batch: report(pipeline.on_batch(batch)))
    deadline = math.inf if seconds is None else time.monotonic() + seconds
    try:
        subscriber.start()
    except Exception as exc:
        pipeline.close()
        _fail_from(exc)
    try:
        next_tick = time.monotonic()
        while time.monotonic() < deadline:
            if time.monotonic() >= next_tick:
                report(pipeline.tick())
                next_tick += tick_s
            time.sleep(max(0.0, min(0.2, deadline - time.monotonic())))
    except KeyboardInterrupt:
        typer.echo("stopping", err=True)
    finally:
        subscriber.stop()
        pipeline.close()
    stats = subscriber.stats
    typer.echo(f"stopped: {stats!r}", err=True)


# -- status -----------------------------------------------------------------------------------
def _status_rows(url: str, site: int | None) -> list[dict[str, Any]]:
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from postmine.db import get_engine
    from postmine.monitoring import models
    from postmine.monitoring.alerts import Level
    from postmine.monitoring.channels import list_channels
    from postmine.monitoring.store import channel_activity

    with Session(get_engine(url)) as session:
        channels = list_channels(session, site_id=site)
        ids = [c.id for c in channels]
        activity = channel_activity(session, ids)
        levels: dict[int, Level] = {}
        for cid, level in session.execute(
            select(models.Alert.channel_id, models.Alert.level).where(
                models.Alert.cleared_at.is_(None), models.Alert.channel_id.in_(ids)
            )
        ):
            levels[cid] = max(levels.get(cid, Level.NORMAL), Level.parse(level))
        rows = []
        for c in channels:
            seen = activity.get(c.id)
            rows.append(
                {
                    "channel_id": c.id,
                    "site_id": c.sensor.site_id,
                    "sensor": c.sensor.code,
                    "channel": c.name,
                    "unit": c.unit,
                    "readings": 0 if seen is None else seen.readings,
                    "last_reading": None if seen is None else _iso(seen.last),
                    "level": levels.get(c.id, Level.NORMAL).label,
                }
            )
    return rows


@monitor_app.command("status")
def status_command(
    site: int | None = typer.Option(None, "--site", help="Only the channels of this site."),
    as_json: bool = JSON_OPTION,
    db: str | None = DB_OPTION,
) -> None:
    """Channels with their last reading time, number of readings and active alert level."""
    url = _url(db)
    try:
        rows = _status_rows(url, site)
    except Exception as exc:
        _fail_from(exc)
    if as_json:
        _echo_json(rows)
        return
    if not rows:
        typer.echo("no channels")
        return
    typer.echo(
        f"{'id':>5}  {'channel':<32} {'unit':<8} {'readings':>9}  {'last reading':<26} level"
    )
    for r in rows:
        name = f"{r['sensor']}/{r['channel']}"
        last = r["last_reading"] or "-"
        typer.echo(
            f"{r['channel_id']:>5}  {name:<32} {r['unit']:<8} {r['readings']:>9}  "
            f"{last:<26} {r['level']}"
        )


# -- alerts -----------------------------------------------------------------------------------
@alerts_app.callback(invoke_without_command=True)
def alerts_command(
    ctx: typer.Context,
    active: bool = typer.Option(False, "--active", help="Only alerts that have not cleared."),
    channel: int | None = typer.Option(None, "--channel", help="Only this channel id."),
    recompute: bool = typer.Option(
        False, "--recompute", help="Run --rules over the stored readings instead (writes nothing)."
    ),
    rules: Path | None = typer.Option(None, "--rules", help="Rule set (TOML) for --recompute."),
    as_json: bool = JSON_OPTION,
    db: str | None = DB_OPTION,
) -> None:
    """List the stored alerts, newest first (or recompute them from stored readings)."""
    if ctx.invoked_subcommand is not None:
        return
    from postmine.monitoring.pipeline import stored_alerts

    url = _url(db)
    if recompute:
        _recompute(url, rules, as_json)
        return
    try:
        found = stored_alerts(url, active=active, channel_id=channel)
    except Exception as exc:
        _fail_from(exc)
    rows = [
        {
            "alert_id": a.alert_id,
            "channel_id": cid,
            "rule": a.rule,
            "kind": a.kind,
            "level": a.level.label,
            "peak_level": a.peak_level.label,
            "raised_at": _iso(a.raised_at),
            "cleared_at": _iso(a.cleared_at),
            "acknowledged_by": a.acknowledged_by,
            "acknowledged_at": _iso(a.acknowledged_at),
            "escalated": a.escalated,
            "value": a.value,
            "unit": a.unit,
            "message": a.message,
        }
        for cid, a in found
    ]
    if as_json:
        _echo_json(rows)
        return
    if not rows:
        typer.echo("no alerts")
        return
    for r in rows:
        state = "active" if r["cleared_at"] is None else f"cleared {r['cleared_at']}"
        ack = f", ack by {r['acknowledged_by']}" if r["acknowledged_by"] else ""
        esc = ", ESCALATED" if r["escalated"] else ""
        typer.echo(
            f"{r['alert_id']}  channel {r['channel_id']}  {r['level']:<9} {r['rule']}  "
            f"raised {r['raised_at']} ({state}{ack}{esc}): {r['message']}"
        )


def _recompute(url: str, rules: Path | None, as_json: bool) -> None:
    from postmine.monitoring.pipeline import evaluate_stored
    from postmine.monitoring.rule_file import read_rule_set

    if rules is None:
        fail("--recompute needs --rules TOML")
    try:
        changes = evaluate_stored(url, read_rule_set(rules), 0, _FAR_FUTURE_US)
    except Exception as exc:
        _fail_from(exc)
    rows = [
        {
            "action": c.event.action,
            "at": _iso(c.event.at),
            "channel": c.alert.channel,
            "rule": c.alert.rule,
            "kind": c.alert.kind,
            "level": c.event.level.label,
            "value": c.event.value,
            "unit": c.event.unit,
            "message": c.event.message,
        }
        for c in changes
    ]
    if as_json:
        _echo_json(rows)
        return
    if not rows:
        typer.echo("the rules raise no alert on the stored readings")
    for r in rows:
        typer.echo(f"{r['at']}  {r['action']:<6} {r['level']:<9} {r['channel']}  {r['message']}")


@alerts_app.command("ack")
def ack_command(
    alert_id: str = typer.Argument(..., help="Alert id (32 hex digits)."),
    by: str = typer.Option(..., "--by", help="Who acknowledges."),
    webhook: str | None = typer.Option(None, "--webhook", help="URL to push the change to."),
    db: str | None = DB_OPTION,
) -> None:
    """Acknowledge an alert: it stops escalating; the acknowledgement is stored."""
    from postmine.monitoring.pipeline import acknowledge_stored

    url = _url(db)
    try:
        change = acknowledge_stored(url, alert_id, by, webhook_url=webhook)
    except Exception as exc:
        _fail_from(exc)
    a = change.alert
    typer.echo(
        f"alert {a.alert_id} ({a.level.label}, {a.rule}) acknowledged by {a.acknowledged_by}"
    )


# -- forecast ---------------------------------------------------------------------------------
@monitor_app.command("forecast")
def forecast_command(
    channel_id: int = typer.Argument(..., help="Id of a displacement channel."),
    window: int = typer.Option(8, "--window", help="Window of the velocity filter. [samples]"),
    filter_name: str = typer.Option("sma", "--filter", help="Velocity filter: sma or ema."),
    plot: Path | None = typer.Option(None, "--plot", help="Write the inverse-velocity plot (PNG)."),
    as_json: bool = JSON_OPTION,
    db: str | None = DB_OPTION,
) -> None:
    """Forecast the time of slope failure from a displacement channel (inverse velocity)."""
    from sqlalchemy.orm import Session

    from postmine.db import get_engine
    from postmine.monitoring.channel_forecast import forecast_channel

    url = _url(db)
    if filter_name not in ("sma", "ema"):
        fail(f"--filter must be sma or ema, got {filter_name!r}")
    try:
        with Session(get_engine(url)) as session:
            made = forecast_channel(
                session, channel_id, filter="ema" if filter_name == "ema" else "sma", window=window
            )
        png = made.plot_png() if plot is not None else None
    except Exception as exc:
        _fail_from(exc)
    if png is not None and plot is not None:
        try:
            write_atomic(plot, png)
        except OSError as exc:
            fail(f"cannot write {plot}: {exc}")
    data = _forecast_data(made)
    if as_json:
        _echo_json(data)
        return
    _echo_forecast(made, data)
    if plot is not None:
        typer.echo(f"plot written to {plot}")


def _forecast_data(made: ChannelForecast) -> dict[str, Any]:
    """Return the JSON view of a channel's forecast (times as UTC ISO 8601)."""
    result = made.forecast

    def moment(day: float | None) -> str | None:
        return _iso(made.at(day))

    return {
        "channel_id": made.channel_id,
        "channel": made.channel,
        "readings": made.n_readings,
        "has_forecast": result.has_forecast,
        "t_failure": moment(result.t_failure),
        "t_low": moment(result.t_low),
        "t_high": moment(result.t_high),
        "confidence": result.confidence,
        "onset": moment(result.onset),
        "filter": result.filter,
        "window": result.window,
        "filter_lag_h": result.lag * 24.0,
        "r2": result.r2,
        "n_points": result.n_points,
        "reason": result.reason,
    }


def _echo_forecast(made: ChannelForecast, data: dict[str, Any]) -> None:
    """Print the readable view of a channel's forecast."""
    result = made.forecast
    typer.echo(f"channel {made.channel_id} {made.channel}: {made.n_readings} readings")
    if result.has_forecast:
        typer.echo(f"failure forecast: {data['t_failure']}")
        typer.echo(
            f"{result.confidence:.0%} interval: {data['t_low'] or 'open'} .. "
            f"{data['t_high'] or 'open'}"
        )
        typer.echo(f"onset of acceleration: {data['onset']}")
    else:
        typer.echo(f"no forecast: {result.reason}")
    typer.echo(f"filter {result.filter} window {result.window}: lag {result.lag * 24.0:.1f} h")


# -- simulate ---------------------------------------------------------------------------------
@monitor_app.command("simulate")
def simulate_command(
    site: int = typer.Option(..., "--site", help="Site of the simulated sensors."),
    days: float = typer.Option(7.0, "--days", help="Simulated duration. [d]"),
    interval_min: float = typer.Option(10.0, "--interval-min", help="Reading interval. [min]"),
    speedup: float | None = typer.Option(
        None, "--speedup", help="Simulated seconds per real second (default: as fast as possible)."
    ),
    register: bool = typer.Option(
        True, "--register/--no-register", help="Register the sensors and channels first."
    ),
    seed: int = typer.Option(1, "--seed", help="Seed of the noise."),
    host: str = HOST_OPTION,
    port: int = PORT_OPTION,
    prefix: str | None = PREFIX_OPTION,
    db: str | None = DB_OPTION,
) -> None:
    """Simulate a site's sensors (normal, slope failure, silent sensor, acid drainage) over MQTT."""
    from postmine.monitoring.simulate import publish, register_channels, simulate_streams

    if not days > 0:
        fail(f"--days must be > 0, got {days}")
    if not interval_min > 0:
        fail(f"--interval-min must be > 0, got {interval_min}")
    if speedup is not None and not speedup > 0:
        fail(f"--speedup must be > 0, got {speedup}")
    interval_s = interval_min * 60.0
    try:
        start = datetime.now(UTC).replace(microsecond=0) - timedelta(days=days)
        streams = simulate_streams(start, days * _DAY_S, interval_s, seed=seed)
        created = 0
        if register:
            from postmine.db import session_scope

            with session_scope(_url(db)) as session:
                created = register_channels(session, site, streams, interval_s)
        sent = publish(site, streams, host=host, port=port, speedup=speedup, prefix=prefix)
    except typer.Exit:
        raise
    except Exception as exc:
        _fail_from(exc)
    if register:
        typer.echo(f"registered {created} new channels at site {site}")
    readings = sum(int(s.values.size) for s in streams)
    for s in streams:
        typer.echo(f"{s.sensor_code}/{s.channel}: {s.values.size} readings [{s.unit}]")
    typer.echo(f"published {sent} messages, {readings} readings, to {host}:{port}")
