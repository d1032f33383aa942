"""Monitoring: sensors, channels, readings, dead letters, alerts and their events (issue 5).

Creates the tables of :mod:`postmine.monitoring.models`. ``readings`` has the primary key
(channel_id, ts_us), which is also the index of range queries; on SQLite it is a
``WITHOUT ROWID`` table, so its rows are stored in that order. Constraint names are written
out in full and marked final with ``op.f``, as in ``0001``.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SENSOR_TYPES = (
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
)
_QUANTITIES = (
    "pore_pressure",
    "water_level",
    "displacement",
    "velocity",
    "tilt",
    "strain",
    "flow_rate",
    "ph",
    "electrical_conductivity",
    "concentration",
    "dust_concentration",
    "rainfall",
    "temperature",
    "turbidity",
)
_ALERT_KINDS = ("tarp", "data-quality")
_ALERT_LEVELS = ("normal", "alert", "alarm", "emergency")
_ALERT_ACTIONS = ("raise", "lower", "clear", "acknowledge", "escalate")


def _in(column: str, values: Sequence[str]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _topic_safe(column: str) -> str:
    return " AND ".join(f"replace({column}, '{c}', '') = {column}" for c in "/+#")


def _utc(name: str, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


# long: generated schema, a released migration creating six tables (kept as issued)
def upgrade() -> None:
    """Create the monitoring tables and their indexes."""
    op.create_table(
        "sensors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("object_id", sa.Integer(), nullable=True),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("type", sa.String(32), nullable=False),
        sa.Column("serial_number", sa.String(100), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("elevation_m", sa.Float(), nullable=True),
        sa.Column("installed_on", sa.Date(), nullable=True),
        sa.Column("calibrated_on", sa.Date(), nullable=True),
        sa.Column("calibration_due_on", sa.Date(), nullable=True),
        sa.Column("expected_interval_s", sa.Float(), nullable=False),
        _utc("created_at"),
        sa.CheckConstraint(_topic_safe("code"), name=op.f("ck_sensors_code_topic_safe")),
        sa.CheckConstraint(
            "calibration_due_on IS NULL OR calibrated_on IS NULL "
            "OR calibration_due_on >= calibrated_on",
            name=op.f("ck_sensors_calibration_order"),
        ),
        sa.CheckConstraint(_in("type", _SENSOR_TYPES), name=op.f("ck_sensors_type_choice")),
        sa.CheckConstraint("lon >= -180.0 AND lon <= 180.0", name=op.f("ck_sensors_lon_range")),
        sa.CheckConstraint("lat >= -90.0 AND lat <= 90.0", name=op.f("ck_sensors_lat_range")),
        sa.CheckConstraint(
            "expected_interval_s > 0.0", name=op.f("ck_sensors_expected_interval_s_range")
        ),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"], name=op.f("fk_sensors_site_id_sites")),
        sa.ForeignKeyConstraint(
            ["object_id"],
            ["disturbance_objects.id"],
            name=op.f("fk_sensors_object_id_disturbance_objects"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sensors")),
        sa.UniqueConstraint("site_id", "code", name=op.f("uq_sensors_site_id_code")),
    )
    op.create_index("ix_sensors_object_id", "sensors", ["object_id"])

    op.create_table(
        "channels",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sensor_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("quantity", sa.String(32), nullable=False),
        sa.Column("unit", sa.String(40), nullable=False),
        sa.Column("source_unit", sa.String(40), nullable=False),
        sa.Column("description", sa.String(300), nullable=True),
        _utc("created_at"),
        sa.CheckConstraint(_topic_safe("name"), name=op.f("ck_channels_name_topic_safe")),
        sa.CheckConstraint(_in("quantity", _QUANTITIES), name=op.f("ck_channels_quantity_choice")),
        sa.ForeignKeyConstraint(
            ["sensor_id"],
            ["sensors.id"],
            name=op.f("fk_channels_sensor_id_sensors"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_channels")),
        sa.UniqueConstraint("sensor_id", "name", name=op.f("uq_channels_sensor_id_name")),
    )

    op.create_table(
        "readings",
        sa.Column("channel_id", sa.Integer(), nullable=False),
        sa.Column("ts_us", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["channel_id"],
            ["channels.id"],
            name=op.f("fk_readings_channel_id_channels"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("channel_id", "ts_us", name=op.f("pk_readings")),
        sqlite_with_rowid=False,
    )

    op.create_table(
        "dead_letters",
        sa.Column("id", sa.Integer(), nullable=False),
        _utc("received_at"),
        sa.Column("topic", sa.String(500), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("reason", sa.String(1000), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dead_letters")),
    )
    op.create_index("ix_dead_letters_received_at", "dead_letters", ["received_at"])

    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alert_id", sa.String(32), nullable=False),
        sa.Column("channel_id", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("level", sa.String(16), nullable=False),
        sa.Column("peak_level", sa.String(16), nullable=False),
        _utc("raised_at"),
        _utc("level_since"),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("unit", sa.String(40), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        _utc("cleared_at", nullable=True),
        sa.Column("acknowledged_by", sa.String(200), nullable=True),
        _utc("acknowledged_at", nullable=True),
        sa.Column("escalated", sa.Boolean(), nullable=False),
        _utc("escalated_at", nullable=True),
        _utc("escalate_at", nullable=True),
        _utc("notified_at", nullable=True),
        sa.CheckConstraint(
            "cleared_at IS NULL OR cleared_at >= raised_at", name=op.f("ck_alerts_cleared_order")
        ),
        sa.CheckConstraint(_in("kind", _ALERT_KINDS), name=op.f("ck_alerts_kind_choice")),
        sa.CheckConstraint(_in("level", _ALERT_LEVELS), name=op.f("ck_alerts_level_choice")),
        sa.CheckConstraint(
            _in("peak_level", _ALERT_LEVELS), name=op.f("ck_alerts_peak_level_choice")
        ),
        sa.ForeignKeyConstraint(
            ["channel_id"],
            ["channels.id"],
            name=op.f("fk_alerts_channel_id_channels"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alerts")),
        sa.UniqueConstraint("alert_id", name=op.f("uq_alerts_alert_id")),
    )
    op.create_index("ix_alerts_channel_id_raised_at", "alerts", ["channel_id", "raised_at"])
    op.create_index("ix_alerts_cleared_at", "alerts", ["cleared_at"])

    op.create_table(
        "alert_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alert_id", sa.String(32), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("level", sa.String(16), nullable=False),
        _utc("at"),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("unit", sa.String(40), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(200), nullable=True),
        sa.CheckConstraint(
            _in("action", _ALERT_ACTIONS), name=op.f("ck_alert_events_action_choice")
        ),
        sa.CheckConstraint(_in("level", _ALERT_LEVELS), name=op.f("ck_alert_events_level_choice")),
        sa.ForeignKeyConstraint(
            ["alert_id"],
            ["alerts.alert_id"],
            name=op.f("fk_alert_events_alert_id_alerts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_events")),
    )
    op.create_index("ix_alert_events_alert_id_at", "alert_events", ["alert_id", "at"])


def downgrade() -> None:
    """Drop the monitoring tables (their indexes go with them)."""
    for table in ("alert_events", "alerts", "dead_letters", "readings", "channels", "sensors"):
        op.drop_table(table)
