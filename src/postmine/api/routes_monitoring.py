"""Routes of the monitoring layer: channels, readings, alerts and failure forecasts.

Channels, readings and alerts are read like every site's record: by everyone, except that
an operator token sees only its own sites (another operator's channel or alert is answered
404, as for a row that does not exist). Acknowledging an alert is a write: 401 without a
token, 403 to a public token, and an operator may acknowledge only the alerts of its own
sites' channels (404 for the others); 409 if the alert's current level is already
acknowledged.

Times are UTC ISO-8601 strings; readings' values are in the channel's canonical unit.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, status
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from postmine.api.auth import Context, ContextDep, WriterDep
from postmine.api.schemas import NOT_FOUND, WRITE_ERRORS, Limit, Offset, page_model, page_out
from postmine.monitoring import pipeline, store
from postmine.monitoring.channel_forecast import ChannelForecastError, forecast_channel
from postmine.monitoring.channels import list_channels
from postmine.monitoring.forecast import FilterName
from postmine.monitoring.models import Alert, Channel, Sensor
from postmine.registry import records

__all__ = ["MAX_RAW_READINGS", "router"]

router = APIRouter(tags=["monitoring"])

MAX_RAW_READINGS = 10_000
"""Most raw readings one response returns (ask for ``points`` to see a longer range). [-]"""


# --- response models -------------------------------------------------------------------------


class ChannelOut(BaseModel):
    """A monitoring channel of a site, with the time of its newest reading."""

    id: int = Field(description="Identifier of the channel. [-]")
    sensor_id: int = Field(description="Identifier of the sensor. [-]")
    sensor_code: str = Field(description="Code of the sensor at its site (PZ-01). [-]")
    sensor_type: str = Field(description="Type of sensor (piezometer, prism ...). [-]")
    name: str = Field(description="Name of the channel on its sensor. [-]")
    quantity: str = Field(description="Quantity measured. [-]")
    unit: str = Field(description="Canonical unit every stored reading is in. [-]")
    last_reading_at: datetime | None = Field(
        description="Time of the newest reading; null without readings. [UTC]"
    )


class ReadingsOut(BaseModel):
    """Readings of a channel over ``[start, end)``: raw or in equal time buckets."""

    channel_id: int = Field(description="Identifier of the channel. [-]")
    unit: str = Field(description="Unit of the values. [-]")
    start: datetime = Field(description="Start of the range (inclusive). [UTC]")
    end: datetime = Field(description="End of the range (exclusive). [UTC]")
    downsampled: bool = Field(description="Whether the values are bucket summaries. [-]")
    truncated: bool = Field(
        description=f"Whether raw readings were cut at {MAX_RAW_READINGS} (ask for points). [-]"
    )
    bucket_s: float | None = Field(description="Width of a bucket; null for raw readings. [s]")
    times: list[datetime] = Field(description="Reading times, or bucket starts. [UTC]")
    values: list[float] | None = Field(description="Raw values; null when downsampled. [unit]")
    count: list[int] | None = Field(description="Readings per bucket. [-]")
    min: list[float] | None = Field(description="Smallest value per bucket. [unit]")
    max: list[float] | None = Field(description="Largest value per bucket. [unit]")
    mean: list[float] | None = Field(description="Mean value per bucket. [unit]")


class AlertOut(BaseModel):
    """A stored alert (its current state)."""

    alert_id: str = Field(description="Identifier of the alert (32 hex digits). [-]")
    channel_id: int = Field(description="Channel the alert is on. [-]")
    rule: str = Field(description="Rule that raised it. [-]")
    kind: str = Field(description="tarp or data-quality. [-]")
    level: str = Field(description="Current TARP level. [-]")
    peak_level: str = Field(description="Highest level reached. [-]")
    raised_at: datetime = Field(description="When it was raised. [UTC]")
    level_since: datetime = Field(description="When the current level was entered. [UTC]")
    value: float | None = Field(description="Measure at the last raise or lower. [unit]")
    unit: str = Field(description="Unit of value. [-]")
    message: str = Field(description="Message shown to people. [-]")
    active: bool = Field(description="Whether it has not cleared. [-]")
    cleared_at: datetime | None = Field(description="When it cleared. [UTC]")
    acknowledged_by: str | None = Field(description="Who acknowledged the current level. [-]")
    acknowledged_at: datetime | None = Field(description="When it was acknowledged. [UTC]")
    escalated: bool = Field(description="Whether the current level was escalated. [-]")


class AcknowledgeIn(BaseModel):
    """Who acknowledges an alert."""

    by: str = Field(min_length=1, max_length=200, description="Name of the person. [-]")


class ForecastOut(BaseModel):
    """Inverse-velocity forecast of the time of failure of a displacement channel."""

    channel_id: int = Field(description="Identifier of the channel. [-]")
    has_forecast: bool = Field(description="Whether a failure time was forecast. [-]")
    reason: str = Field(description="Why there is no forecast; empty when there is one. [-]")
    origin: datetime = Field(description="Time of the first reading: day 0 of the fields. [UTC]")
    n_readings: int = Field(description="Readings used. [-]")
    t_failure_d: float | None = Field(description="Forecast failure time after origin. [d]")
    t_low_d: float | None = Field(description="Lower bound of its interval. [d]")
    t_high_d: float | None = Field(description="Upper bound of its interval. [d]")
    failure_at: datetime | None = Field(description="Forecast time of failure. [UTC]")
    failure_low_at: datetime | None = Field(description="Lower bound of its interval. [UTC]")
    failure_high_at: datetime | None = Field(description="Upper bound of its interval. [UTC]")
    confidence: float = Field(description="Confidence level of the interval. [-]")
    onset_d: float | None = Field(description="Start of the accelerating phase. [d]")
    filter: str = Field(description="Smoothing filter (sma or ema). [-]")
    window: int = Field(description="Window or span of the filter. [samples]")
    lag_d: float = Field(description="Lag of the newest smoothed velocity (filter lag). [d]")
    slope: float | None = Field(description="Slope of the 1/v line (-A of Voight). [1/mm]")
    r2: float | None = Field(description="Coefficient of determination of the fit. [-]")
    n_points: int = Field(description="Smoothed velocities in the fit. [-]")


# --- helpers ---------------------------------------------------------------------------------


def _channel(ctx: Context, session: Session, channel_id: int) -> Channel:
    """Return a channel the principal may see; unknown or another operator's: 404."""
    channel = session.get(Channel, channel_id)
    if channel is None:
        raise records.NotFoundError("channel", channel_id)
    ctx.check_site_of(session, "channel", channel_id, channel.sensor.site_id)
    return channel


def _unprocessable(location: str, name: str, message: str, value: Any) -> HTTPException:
    """Return a 422 in the shape of FastAPI's own validation errors."""
    return HTTPException(
        status.HTTP_422_UNPROCESSABLE_CONTENT,
        detail=[{"loc": [location, name], "msg": message, "type": "value_error", "input": value}],
    )


def _aware(name: str, value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise _unprocessable("query", name, f"{name} must carry a UTC offset", value.isoformat())
    return value.astimezone(UTC)


def _alert_out(row: Alert) -> dict[str, Any]:
    return {
        "alert_id": row.alert_id,
        "channel_id": row.channel_id,
        "rule": row.rule,
        "kind": row.kind,
        "level": row.level,
        "peak_level": row.peak_level,
        "raised_at": row.raised_at,
        "level_since": row.level_since,
        "value": row.value,
        "unit": row.unit,
        "message": row.message,
        "active": row.cleared_at is None,
        "cleared_at": row.cleared_at,
        "acknowledged_by": row.acknowledged_by,
        "acknowledged_at": row.acknowledged_at,
        "escalated": row.escalated,
    }


# --- channels and readings -------------------------------------------------------------------


@router.get(
    "/sites/{site_id}/channels",
    response_model=list[ChannelOut],
    responses=NOT_FOUND,
    summary="Monitoring channels of a site",
)
def site_channels(ctx: ContextDep, site_id: int) -> list[dict[str, Any]]:
    """List a site's channels (by id) with their sensor, quantity, unit and newest reading."""
    with ctx.session() as session:
        ctx.site(session, site_id)
        channels = list_channels(session, site_id=site_id)
        activity = store.channel_activity(session, [c.id for c in channels])
        return [
            {
                "id": c.id,
                "sensor_id": c.sensor_id,
                "sensor_code": c.sensor.code,
                "sensor_type": c.sensor.type,
                "name": c.name,
                "quantity": c.quantity,
                "unit": c.unit,
                "last_reading_at": None if c.id not in activity else activity[c.id].last,
            }
            for c in channels
        ]


@router.get(
    "/channels/{channel_id}/readings",
    response_model=ReadingsOut,
    responses=NOT_FOUND,
    summary="Readings of a channel",
)
def channel_readings(
    ctx: ContextDep,
    channel_id: int,
    start: Annotated[datetime, Query(description="Start of the range, inclusive. [UTC]")],
    end: Annotated[datetime, Query(description="End of the range, exclusive. [UTC]")],
    points: Annotated[
        int | None,
        Query(ge=1, le=MAX_RAW_READINGS, description="Downsample into this many buckets. [-]"),
    ] = None,
) -> dict[str, Any]:
    """Return a channel's readings in ``[start, end)``, raw or downsampled.

    Raw: at most :data:`MAX_RAW_READINGS`, the earliest. With ``points``: count, min, max and
    mean of ``points`` equal time buckets (only non-empty buckets are listed).
    """
    start, end = _aware("start", start), _aware("end", end)
    if end <= start:
        raise _unprocessable("query", "end", "end must be after start", end.isoformat())
    with ctx.session() as session:
        channel = _channel(ctx, session, channel_id)
        unit = channel.unit
        out: dict[str, Any] = {
            "channel_id": channel_id,
            "unit": unit,
            "start": start,
            "end": end,
            "downsampled": points is not None,
            "truncated": False,
            "bucket_s": None,
            "values": None,
            "count": None,
            "min": None,
            "max": None,
            "mean": None,
        }
        if points is not None:
            buckets = store.downsample(session, channel_id, start, end, points)
            out["bucket_s"] = buckets.bucket_us / 1e6
            out["times"] = [store.from_us(int(t)) for t in buckets.ts_us]
            out["count"] = buckets.count.tolist()
            out["min"] = buckets.min.tolist()
            out["max"] = buckets.max.tolist()
            out["mean"] = buckets.mean.tolist()
            return out
        series = store.read_range(session, channel_id, start, end)
    out["truncated"] = len(series) > MAX_RAW_READINGS
    out["times"] = [store.from_us(int(t)) for t in series.ts_us[:MAX_RAW_READINGS]]
    out["values"] = series.value[:MAX_RAW_READINGS].tolist()
    return out


# --- alerts ----------------------------------------------------------------------------------


@router.get("/alerts", response_model=page_model(AlertOut), summary="Monitoring alerts")
def list_alerts(
    ctx: ContextDep,
    active: Annotated[bool, Query(description="Only the alerts that have not cleared.")] = False,
    channel_id: Annotated[int | None, Query(description="Only the alerts of this channel.")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """List the stored alerts, newest first (an operator sees only its own sites')."""
    stmt = select(Alert).join(Channel, Alert.channel_id == Channel.id).join(Sensor)
    if active:
        stmt = stmt.where(Alert.cleared_at.is_(None))
    if channel_id is not None:
        stmt = stmt.where(Alert.channel_id == channel_id)
    stmt = stmt.order_by(Alert.raised_at.desc(), Alert.id.desc())
    with ctx.session() as session:
        page = ctx.page(session, stmt, Sensor.site_id, limit=limit, offset=offset)
        return page_out(page, [_alert_out(row) for row in page.items])


@router.post(
    "/alerts/{alert_id}/ack",
    response_model=AlertOut,
    responses={
        **WRITE_ERRORS,
        409: {"description": "The alert's current level is already acknowledged."},
    },
    summary="Acknowledge an alert",
)
def acknowledge_alert(
    ctx: WriterDep,
    alert_id: Annotated[str, Path(description="Identifier of the alert (32 hex digits).")],
    body: AcknowledgeIn,
) -> dict[str, Any]:
    """Acknowledge an alert's current level (regulator, admin, or the site's operator)."""
    with ctx.session() as session:
        row = session.scalars(select(Alert).where(Alert.alert_id == alert_id)).one_or_none()
        if row is None:
            raise records.NotFoundError("alert", alert_id)
        channel = session.get(Channel, row.channel_id)
        site_id = None if channel is None else channel.sensor.site_id
        ctx.check_site_of(session, "alert", alert_id, site_id)  # type: ignore[arg-type]
        if row.acknowledged_by is not None:
            raise HTTPException(
                status.HTTP_409_CONFLICT,
                detail=f"alert {alert_id} is already acknowledged by {row.acknowledged_by}",
            )
    try:
        pipeline.acknowledge_stored(ctx.config.url, alert_id, body.by)
    except ValueError as error:  # acknowledged concurrently
        raise HTTPException(status.HTTP_409_CONFLICT, detail=str(error)) from error
    with ctx.session() as session:
        stored = session.scalars(select(Alert).where(Alert.alert_id == alert_id)).one()
        return _alert_out(stored)


# --- forecast --------------------------------------------------------------------------------


@router.get(
    "/channels/{channel_id}/forecast",
    response_model=ForecastOut,
    responses=NOT_FOUND,
    summary="Inverse-velocity forecast of failure",
)
def channel_forecast(
    ctx: ContextDep,
    channel_id: int,
    window: Annotated[
        int, Query(ge=1, le=1000, description="Window or span of the filter. [samples]")
    ] = 8,
    filter: Annotated[
        FilterName, Query(description="Causal smoothing filter: sma or ema.")
    ] = "sma",
) -> dict[str, Any]:
    """Forecast the time of failure from a displacement channel's readings (inverse velocity).

    The readings are converted to millimetres. Without a forecast (steady creep,
    deceleration, noise) the time fields are null and ``reason`` says why; a channel that does
    not measure displacement, or has fewer readings than the method needs (``window`` + 12),
    is answered 422 naming the parameter.
    """
    with ctx.session() as session:
        _channel(ctx, session, channel_id)
        try:
            made = forecast_channel(session, channel_id, filter=filter, window=window)
        except ChannelForecastError as error:
            raise _unprocessable("path", "channel_id", str(error), channel_id) from error
        except ValueError as error:
            raise _unprocessable("query", "window", str(error), window) from error
    result = made.forecast
    return {
        "channel_id": channel_id,
        "has_forecast": result.has_forecast,
        "reason": result.reason,
        "origin": made.origin,
        "n_readings": made.n_readings,
        "t_failure_d": result.t_failure,
        "t_low_d": result.t_low,
        "t_high_d": result.t_high,
        "failure_at": made.at(result.t_failure),
        "failure_low_at": made.at(result.t_low),
        "failure_high_at": made.at(result.t_high),
        "confidence": result.confidence,
        "onset_d": result.onset,
        "filter": result.filter,
        "window": result.window,
        "lag_d": result.lag,
        "slope": result.slope,
        "r2": result.r2,
        "n_points": result.n_points,
    }
