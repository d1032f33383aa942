"""Monitoring tables of the registry: sensors, channels, readings, dead letters and alerts.

Declared like every registry table (:func:`postmine.db.col`: unit and meaning of each
column in ``info``, ranges and closed lists as CHECK constraints and Python checks) on the
shared :class:`postmine.db.Base`, so monitoring lives in the one database of the registry;
the tables are created by migration ``0003`` (``postmine/db/migrations/versions/
0003_monitoring.py``). The module must be imported for the tables to be part of
``Base.metadata``; it imports :mod:`postmine.registry.models` itself, whose ``sites`` and
``disturbance_objects`` tables its foreign keys refer to (the registry never imports
monitoring).

Tables
------
================  ===============================================================
``sensors``       an instrument at a site, watching an object: type, calibration,
                  expected reporting interval
``channels``      one measured quantity of a sensor, with its canonical unit (the unit
                  readings are stored in) and the unit the sensor reports in
``readings``      the time series: (channel, time, value in the channel's unit), one row
                  per channel and microsecond; primary key (channel_id, ts_us)
``dead_letters``  messages and file rows that could not be ingested, with the reason
``alerts``        TARP and data-quality alerts raised on channels (their current state)
``alert_events``  every transition of an alert (raise, lower, clear, acknowledge, escalate)
================  ===============================================================

Times of readings are stored as integer microseconds since 1970-01-01T00:00:00 UTC
(``ts_us``): the same 8-byte integer on SQLite and PostgreSQL, exact, ordered, and cheap to
bucket for downsampling; :mod:`postmine.monitoring.store` converts to and from aware
``datetime`` and ``numpy.datetime64``. On SQLite the readings table is ``WITHOUT ROWID``,
so rows are stored clustered by (channel_id, ts_us), the order range queries read them in.

Examples
--------
>>> from postmine.db import column_info
>>> column_info("readings")["ts_us"]["unit"]
'µs since 1970-01-01T00:00:00Z'
>>> Sensor(site_id=1, code="PZ-01", type="piezometer", expected_interval_s=0)
Traceback (most recent call last):
...
postmine.db.base.RecordValueError: expected_interval_s must be > 0 s, got 0
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal, get_args

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, relationship, validates

import postmine.registry.models  # noqa: F401  (the tables the foreign keys refer to)
from postmine.db import (
    Base,
    RecordValueError,
    UTCDateTime,
    add_range_checks,
    col,
    created_at_col,
    latitude_col,
    longitude_col,
    utc_now,
)
from postmine.monitoring.units import QUANTITY_NAMES

__all__ = [
    "ALERT_ACTIONS",
    "ALERT_KINDS",
    "ALERT_LEVELS",
    "SENSOR_TYPES",
    "Alert",
    "AlertAction",
    "AlertEventRow",
    "AlertKind",
    "AlertLevel",
    "Channel",
    "DeadLetter",
    "ReadingRow",
    "Sensor",
    "SensorType",
]

SensorType = Literal[
    "piezometer",
    "inclinometer",
    "extensometer",
    "tiltmeter",
    "strain-gauge",
    "gnss",
    "prism",
    "radar",
    "water-level",
    "flow",
    "ph",
    "ec",
    "sulphate",
    "fe",
    "mn",
    "cu",
    "zn",
    "as",
    "cd",
    "pb",
    "water-analyser",
    "pm10",
    "rainfall",
    "temperature",
    "weather-station",
    "other",
]
AlertKind = Literal["tarp", "data-quality"]
AlertLevel = Literal["normal", "alert", "alarm", "emergency"]
AlertAction = Literal["raise", "lower", "clear", "acknowledge", "escalate"]

SENSOR_TYPES: tuple[str, ...] = get_args(SensorType)
"""Types of sensor (issue 5, point 1): geotechnical (piezometer, inclinometer, extensometer,
tiltmeter, strain gauge, GNSS and prism displacement, slope radar), water (level, flow, pH,
EC, sulphate, Fe, Mn, Cu, Zn, As, Cd, Pb analysers, a multi-parameter water analyser), air
(PM10), weather (rainfall, temperature, a weather station), and other."""
ALERT_KINDS: tuple[str, ...] = get_args(AlertKind)
"""Kinds of alert: a TARP level on value, rate or acceleration, or a data-quality problem
(missing data, stuck value, spike, sensor out of calibration)."""
ALERT_LEVELS: tuple[str, ...] = get_args(AlertLevel)
"""TARP levels in rising order: normal, alert, alarm, emergency."""
ALERT_ACTIONS: tuple[str, ...] = get_args(AlertAction)
"""Transitions of an alert: raise, lower, clear (from rules), acknowledge, escalate."""

_TOPIC_SAFE = " AND ".join(f"replace(code, '{c}', '') = code" for c in "/+#")


def _topic_segment(field: str, value: Any) -> str:
    """Check a name used as one MQTT topic level: non-empty, no ``/``, ``+`` or ``#``."""
    if not isinstance(value, str) or not value.strip():
        raise RecordValueError(field, f"{field} must be non-empty text, got {value!r}", value)
    if value != value.strip() or any(c in value for c in "/+#"):
        raise RecordValueError(
            field,
            f"{field} must have no surrounding blanks and no '/', '+' or '#' (it is a "
            f"level of an MQTT topic), got {value!r}",
            value,
        )
    return value


class Sensor(Base):
    """An instrument at a site: its type, the object it watches, calibration and interval."""

    __tablename__ = "sensors"
    __table_args__ = (
        UniqueConstraint("site_id", "code"),
        Index("ix_sensors_object_id", "object_id"),
        CheckConstraint(_TOPIC_SAFE, name="code_topic_safe"),
        CheckConstraint(
            "calibration_due_on IS NULL OR calibrated_on IS NULL "
            "OR calibration_due_on >= calibrated_on",
            name="calibration_order",
        ),
    )

    id: Mapped[int] = col(Integer, primary_key=True, unit="-", description="Identifier.")
    site_id: Mapped[int] = col(
        Integer, ForeignKey("sites.id"), unit="-", description="Site the sensor is at."
    )
    object_id: Mapped[int | None] = col(
        Integer,
        ForeignKey("disturbance_objects.id"),
        unit="-",
        description="Object of disturbance the sensor watches (dump, tailings dam ...).",
        nullable=True,
    )
    code: Mapped[str] = col(
        String(64),
        unit="-",
        description="Code of the sensor, unique at its site and used in MQTT topics (PZ-01).",
    )
    type: Mapped[str] = col(
        String(32), unit="-", description="Type of sensor.", choices=SENSOR_TYPES
    )
    serial_number: Mapped[str | None] = col(
        String(100), unit="-", description="Manufacturer's serial number.", nullable=True
    )
    lon: Mapped[float | None] = longitude_col("Longitude of the sensor (WGS 84).")
    lat: Mapped[float | None] = latitude_col("Latitude of the sensor (WGS 84).")
    elevation_m: Mapped[float | None] = col(
        Float,
        unit="m",
        description="Elevation of the sensor (or its tip, for a piezometer).",
        nullable=True,
    )
    installed_on: Mapped[date | None] = col(
        Date, unit="date", description="Date the sensor was installed.", nullable=True
    )
    calibrated_on: Mapped[date | None] = col(
        Date, unit="date", description="Date of the last calibration.", nullable=True
    )
    calibration_due_on: Mapped[date | None] = col(
        Date,
        unit="date",
        description="Date the next calibration is due; after it the sensor is out of "
        "calibration (a data-quality alert).",
        nullable=True,
    )
    expected_interval_s: Mapped[float] = col(
        Float,
        unit="s",
        description="Expected interval between readings; a longer gap is missing data.",
        gt=0.0,
    )
    created_at: Mapped[datetime] = created_at_col()

    channels: Mapped[list[Channel]] = relationship(
        back_populates="sensor", order_by="Channel.id", cascade="all, delete-orphan"
    )

    @validates("code")
    def _code(self, key: str, value: Any) -> str:
        return _topic_segment(key, value)


class Channel(Base):
    """One quantity measured by a sensor, with the unit it is stored in and reported in."""

    __tablename__ = "channels"
    __table_args__ = (
        UniqueConstraint("sensor_id", "name"),
        CheckConstraint(_TOPIC_SAFE.replace("code", "name"), name="name_topic_safe"),
    )

    id: Mapped[int] = col(Integer, primary_key=True, unit="-", description="Identifier.")
    sensor_id: Mapped[int] = col(
        Integer,
        ForeignKey("sensors.id", ondelete="CASCADE"),
        unit="-",
        description="Sensor the channel belongs to.",
    )
    name: Mapped[str] = col(
        String(64),
        unit="-",
        description="Name of the channel, unique on its sensor and used in MQTT topics "
        "(pore_pressure, disp_east, sulphate).",
    )
    quantity: Mapped[str] = col(
        String(32),
        unit="-",
        description="Quantity measured; it fixes the canonical unit.",
        choices=QUANTITY_NAMES,
    )
    unit: Mapped[str] = col(
        String(40),
        unit="-",
        description="Canonical unit of the quantity: every stored reading is in it.",
    )
    source_unit: Mapped[str] = col(
        String(40),
        unit="-",
        description="Unit the sensor reports in when a reading names none; converted to "
        "unit on ingestion.",
    )
    description: Mapped[str | None] = col(
        String(300), unit="-", description="What the channel measures, where.", nullable=True
    )
    created_at: Mapped[datetime] = created_at_col()

    sensor: Mapped[Sensor] = relationship(back_populates="channels")

    @validates("name")
    def _name(self, key: str, value: Any) -> str:
        return _topic_segment(key, value)


class ReadingRow(Base):
    """One value of a channel at one time, in the channel's unit (the time series)."""

    __tablename__ = "readings"
    __table_args__ = (
        PrimaryKeyConstraint("channel_id", "ts_us"),
        {"sqlite_with_rowid": False},
    )

    channel_id: Mapped[int] = col(
        Integer,
        ForeignKey("channels.id", ondelete="CASCADE"),
        unit="-",
        description="Channel the value belongs to.",
    )
    ts_us: Mapped[int] = col(
        BigInteger,
        unit="µs since 1970-01-01T00:00:00Z",
        description="Time of the reading, UTC, in microseconds since the Unix epoch.",
        autoincrement=False,
    )
    value: Mapped[float] = col(
        Float, unit="see channels.unit", description="Value, in the channel's unit."
    )


class DeadLetter(Base):
    """A message or file row that could not be ingested, kept with the reason."""

    __tablename__ = "dead_letters"
    __table_args__ = (Index("ix_dead_letters_received_at", "received_at"),)

    id: Mapped[int] = col(Integer, primary_key=True, unit="-", description="Identifier.")
    received_at: Mapped[datetime] = col(
        UTCDateTime(), unit="UTC", description="When the message was received.", default=utc_now
    )
    topic: Mapped[str] = col(
        String(500),
        unit="-",
        description="MQTT topic of the message, or file:<name>:<line> for a logger file row.",
    )
    payload: Mapped[str] = col(
        Text,
        unit="-",
        description="The payload as received (undecodable bytes and NUL as \\x escapes), "
        "or a logger file row's cells joined by commas.",
    )
    reason: Mapped[str] = col(String(1000), unit="-", description="Why it was not ingested.")


class Alert(Base):
    """An alert on a channel: a TARP level or a data-quality problem, and its life cycle.

    One row per alert, keyed by ``alert_id`` and updated in place as the alert moves (the
    state of :class:`postmine.monitoring.alerts.Alert`); every transition is also appended
    to ``alert_events``.
    """

    __tablename__ = "alerts"
    __table_args__ = (
        UniqueConstraint("alert_id"),
        Index("ix_alerts_channel_id_raised_at", "channel_id", "raised_at"),
        Index("ix_alerts_cleared_at", "cleared_at"),
        CheckConstraint("cleared_at IS NULL OR cleared_at >= raised_at", name="cleared_order"),
    )

    id: Mapped[int] = col(Integer, primary_key=True, unit="-", description="Identifier.")
    alert_id: Mapped[str] = col(
        String(32), unit="-", description="Identifier of the alert (UUID4, 32 hex digits)."
    )
    channel_id: Mapped[int] = col(
        Integer,
        ForeignKey("channels.id", ondelete="CASCADE"),
        unit="-",
        description="Channel the alert is on.",
    )
    rule: Mapped[str] = col(String(200), unit="-", description="Name of the rule that raised it.")
    kind: Mapped[str] = col(String(16), unit="-", description="Kind of alert.", choices=ALERT_KINDS)
    level: Mapped[str] = col(
        String(16),
        unit="-",
        description="Current TARP level (the last one while active; kept when cleared).",
        choices=ALERT_LEVELS,
    )
    peak_level: Mapped[str] = col(
        String(16), unit="-", description="Highest level reached.", choices=ALERT_LEVELS
    )
    raised_at: Mapped[datetime] = col(UTCDateTime(), unit="UTC", description="When it was raised.")
    level_since: Mapped[datetime] = col(
        UTCDateTime(), unit="UTC", description="When the current level was entered."
    )
    value: Mapped[float | None] = col(
        Float,
        unit="see unit",
        description="Measure at the last raise or lower (reading, rate, acceleration, gap).",
        nullable=True,
    )
    unit: Mapped[str] = col(String(40), unit="-", description="Unit of value.", default="")
    message: Mapped[str] = col(Text, unit="-", description="Message shown to people.")
    cleared_at: Mapped[datetime | None] = col(
        UTCDateTime(),
        unit="UTC",
        description="When it cleared (None while active).",
        nullable=True,
    )
    acknowledged_by: Mapped[str | None] = col(
        String(200), unit="-", description="Who acknowledged the current level.", nullable=True
    )
    acknowledged_at: Mapped[datetime | None] = col(
        UTCDateTime(), unit="UTC", description="When it was acknowledged.", nullable=True
    )
    escalated: Mapped[bool] = col(
        Boolean,
        unit="-",
        description="Whether the current level was escalated (not acknowledged in time).",
        default=False,
    )
    escalated_at: Mapped[datetime | None] = col(
        UTCDateTime(), unit="UTC", description="When it was escalated.", nullable=True
    )
    escalate_at: Mapped[datetime | None] = col(
        UTCDateTime(),
        unit="UTC",
        description="When it escalates if nobody acknowledges it; None: never.",
        nullable=True,
    )
    notified_at: Mapped[datetime | None] = col(
        UTCDateTime(),
        unit="UTC",
        description="When its last change was pushed out (webhook); None if not yet.",
        nullable=True,
    )


class AlertEventRow(Base):
    """One transition of an alert (raise, lower, clear, acknowledge, escalate): its history."""

    __tablename__ = "alert_events"
    __table_args__ = (Index("ix_alert_events_alert_id_at", "alert_id", "at"),)

    id: Mapped[int] = col(Integer, primary_key=True, unit="-", description="Identifier.")
    alert_id: Mapped[str] = col(
        String(32),
        ForeignKey("alerts.alert_id", ondelete="CASCADE"),
        unit="-",
        description="Alert it belongs to.",
    )
    action: Mapped[str] = col(
        String(16), unit="-", description="The transition.", choices=ALERT_ACTIONS
    )
    level: Mapped[str] = col(
        String(16),
        unit="-",
        description="Level after the transition (normal for a clear).",
        choices=ALERT_LEVELS,
    )
    at: Mapped[datetime] = col(
        UTCDateTime(),
        unit="UTC",
        description="When it happened: the reading's time for raise, lower and clear, the "
        "wall-clock time for acknowledge and escalate.",
    )
    value: Mapped[float | None] = col(
        Float, unit="see unit", description="Measure that caused it.", nullable=True
    )
    unit: Mapped[str] = col(String(40), unit="-", description="Unit of value.", default="")
    message: Mapped[str] = col(Text, unit="-", description="Text shown to people.", default="")
    actor: Mapped[str | None] = col(
        String(200), unit="-", description="Who acknowledged (acknowledge only).", nullable=True
    )


for _model in (Sensor, Channel, ReadingRow, DeadLetter, Alert, AlertEventRow):
    add_range_checks(_model)  # CHECK constraints and Python checks from the columns' info
