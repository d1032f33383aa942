"""Sensors and channels: registering them and finding a channel by its address.

A sensor belongs to a site (and may watch one object of disturbance); its channels are the
quantities it measures. A channel's address is ``(site_id, sensor code, channel name)``,
which is also its MQTT topic ``postmine/<site_id>/<sensor code>/<channel name>`` (see
:mod:`postmine.monitoring.messages`). Its ``unit`` is the canonical unit of its quantity
(:data:`postmine.monitoring.units.QUANTITIES`); its ``source_unit`` is the unit the sensor
reports in when a reading names none, converted on ingestion.

Examples
--------
>>> import tempfile
>>> from postmine.registry.records.sites import insert_site
>>> from postmine.db import init_db, session_scope
>>> url = f"sqlite:///{tempfile.mkdtemp()}/registry.sqlite"
>>> _ = init_db(url)
>>> with session_scope(url) as session:
...     site = insert_site(session, name="Abaza", region="Khakassia")
...     pz = add_sensor(session, site_id=site.id, code="PZ-01", type="piezometer",
...                     expected_interval_s=600)
...     channel = add_channel(session, pz, name="pore_pressure", quantity="pore_pressure",
...                           source_unit="bar")
...     (channel.unit, channel.source_unit)
('kPa', 'bar')
>>> with session_scope(url) as session:
...     find_channel(session, site.id, "PZ-01", "pore_pressure").id == channel.id
True
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Engine, select
from sqlalchemy.orm import Session

from postmine.db import RecordValueError
from postmine.monitoring.models import Channel, Sensor, SensorType
from postmine.monitoring.units import canonical_unit, check_unit, converter
from postmine.registry import records

__all__ = [
    "ChannelAddress",
    "ChannelRef",
    "add_channel",
    "add_sensor",
    "channel_keys",
    "channel_refs",
    "find_channel",
    "get_channel",
    "get_sensor",
    "list_channels",
]

ChannelAddress = tuple[int, str, str]
"""``(site_id, sensor code, channel name)``: where a channel's readings are sent."""


@dataclass(frozen=True)
class ChannelRef:
    """What ingestion needs to know of a channel: its id, address and units."""

    id: int
    site_id: int
    sensor_code: str
    name: str
    unit: str
    source_unit: str

    @property
    def address(self) -> ChannelAddress:
        """``(site_id, sensor code, channel name)``."""
        return (self.site_id, self.sensor_code, self.name)


def add_sensor(
    session: Session,
    *,
    site_id: int,
    code: str,
    type: SensorType,
    expected_interval_s: float,
    object_id: int | None = None,
    serial_number: str | None = None,
    lon: float | None = None,
    lat: float | None = None,
    elevation_m: float | None = None,
    installed_on: date | None = None,
    calibrated_on: date | None = None,
    calibration_due_on: date | None = None,
) -> Sensor:
    """Register a sensor at a site.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Session on the registry.
    site_id : int
        Site the sensor is at. [-]
    code : str
        Code, unique at the site, used as a level of MQTT topics (no ``/``, ``+``, ``#``). [-]
    type : str
        Type of sensor, one of :data:`postmine.monitoring.models.SENSOR_TYPES`.
    expected_interval_s : float
        Expected interval between readings (> 0). [s]
    object_id : int, optional
        Object of disturbance of the site that the sensor watches. [-]
    serial_number : str, optional
        Manufacturer's serial number. [-]
    lon, lat : float, optional
        Position, WGS 84. [°]
    elevation_m : float, optional
        Elevation of the sensor. [m]
    installed_on, calibrated_on, calibration_due_on : datetime.date, optional
        Installation, last calibration and next calibration due. [date]

    Returns
    -------
    Sensor
        The new row (flushed: it has its id).

    Raises
    ------
    NotFoundError
        If the site or the object does not exist.
    RecordValueError
        If a value is out of range, the object is of another site, the code is taken at
        the site, or the calibration is due before it was done.
    """
    records.get_site(session, site_id)
    if object_id is not None and records.get_object(session, object_id).site_id != site_id:
        raise RecordValueError(
            "object_id", f"object {object_id} is not an object of site {site_id}", object_id
        )
    for field, value in (
        ("installed_on", installed_on),
        ("calibrated_on", calibrated_on),
        ("calibration_due_on", calibration_due_on),
    ):
        if value is not None and (isinstance(value, datetime) or not isinstance(value, date)):
            raise RecordValueError(field, f"{field} must be a date, got {value!r}", value)
    if calibrated_on and calibration_due_on and calibration_due_on < calibrated_on:
        raise RecordValueError(
            "calibration_due_on",
            f"calibration_due_on must be on or after calibrated_on ({calibrated_on}), "
            f"got {calibration_due_on}",
            calibration_due_on,
        )
    taken = session.scalar(select(Sensor.id).where(Sensor.site_id == site_id, Sensor.code == code))
    if taken is not None:
        raise RecordValueError("code", f"site {site_id} already has a sensor {code!r}", code)
    sensor = Sensor(
        site_id=site_id,
        object_id=object_id,
        code=code,
        type=type,
        serial_number=serial_number,
        lon=lon,
        lat=lat,
        elevation_m=elevation_m,
        installed_on=installed_on,
        calibrated_on=calibrated_on,
        calibration_due_on=calibration_due_on,
        expected_interval_s=expected_interval_s,
    )
    session.add(sensor)
    session.flush()
    return sensor


def add_channel(
    session: Session,
    sensor: Sensor | int,
    *,
    name: str,
    quantity: str,
    source_unit: str | None = None,
    description: str | None = None,
) -> Channel:
    """Add a channel (a measured quantity) to a sensor.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Session on the registry.
    sensor : Sensor or int
        The sensor, or its id.
    name : str
        Name, unique on the sensor, used as a level of MQTT topics. [-]
    quantity : str
        Quantity measured, one of :data:`postmine.monitoring.units.QUANTITIES`; readings
        are stored in its canonical unit. [-]
    source_unit : str, optional
        Unit the sensor reports in when a reading names none; the canonical unit if not
        given. It must convert to the canonical unit. [-]
    description : str, optional
        What the channel measures, where. [-]

    Returns
    -------
    Channel
        The new row (flushed).

    Raises
    ------
    NotFoundError
        If the sensor does not exist.
    RecordValueError
        If the name is taken on the sensor or not a valid topic level, or the quantity is
        not a known one.
    UnitError
        If ``source_unit`` is unknown or does not convert to the canonical unit.
    """
    row = get_sensor(session, sensor) if isinstance(sensor, int) else sensor
    try:
        unit = canonical_unit(quantity)
    except ValueError as exc:
        raise RecordValueError("quantity", str(exc), quantity) from None
    source = unit if source_unit is None else check_unit(source_unit)
    converter(source, unit)  # raises UnitError when the units do not convert
    taken = session.scalar(
        select(Channel.id).where(Channel.sensor_id == row.id, Channel.name == name)
    )
    if taken is not None:
        raise RecordValueError("name", f"sensor {row.code!r} already has a channel {name!r}", name)
    channel = Channel(
        sensor_id=row.id,
        name=name,
        quantity=quantity,
        unit=unit,
        source_unit=source,
        description=description,
    )
    session.add(channel)
    session.flush()
    return channel


def get_sensor(session: Session, sensor_id: int) -> Sensor:
    """Return a sensor by id; raise :class:`~postmine.registry.records.NotFoundError`."""
    row = session.get(Sensor, sensor_id)
    if row is None:
        raise records.NotFoundError("sensor", sensor_id)
    return row


def get_channel(session: Session, channel_id: int) -> Channel:
    """Return a channel by id; raise :class:`~postmine.registry.records.NotFoundError`."""
    row = session.get(Channel, channel_id)
    if row is None:
        raise records.NotFoundError("channel", channel_id)
    return row


def find_channel(session: Session, site_id: int, sensor_code: str, name: str) -> Channel:
    """Return the channel at an address; raise ``NotFoundError`` if there is none.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Session on the registry.
    site_id : int
        Site of the sensor. [-]
    sensor_code : str
        Code of the sensor at the site. [-]
    name : str
        Name of the channel on the sensor. [-]
    """
    row = session.scalar(
        select(Channel)
        .join(Sensor)
        .where(Sensor.site_id == site_id, Sensor.code == sensor_code, Channel.name == name)
    )
    if row is None:
        raise records.NotFoundError("channel", f"{site_id}/{sensor_code}/{name}")
    return row


def list_channels(session: Session, *, site_id: int | None = None) -> list[Channel]:
    """Return the channels of a site (or of every site), ordered by id."""
    stmt = select(Channel).join(Sensor).order_by(Channel.id)
    if site_id is not None:
        stmt = stmt.where(Sensor.site_id == site_id)
    return list(session.scalars(stmt))


def channel_refs(target: Session | Connection | Engine) -> dict[ChannelAddress, ChannelRef]:
    """Return every channel as a :class:`ChannelRef`, keyed by its address.

    Parameters
    ----------
    target : Session, Connection or Engine
        Where to read the registry.

    Returns
    -------
    dict
        ``{(site_id, sensor code, channel name): ChannelRef}``.
    """
    stmt = select(
        Channel.id, Sensor.site_id, Sensor.code, Channel.name, Channel.unit, Channel.source_unit
    ).join(Sensor)
    rows: Any
    if isinstance(target, Engine):
        with target.connect() as connection:
            rows = connection.execute(stmt).all()
    else:
        rows = target.execute(stmt).all()
    refs = (ChannelRef(*row) for row in rows)
    return {ref.address: ref for ref in refs}


def channel_keys(ref: ChannelRef, *, sole: bool = False) -> tuple[str, ...]:
    """Return the rule-set keys that name a registry channel.

    ``"<sensor code>/<channel name>"`` and ``"<channel id>"`` always; the bare sensor code
    too when the channel is its sensor's ``sole`` one.

    Examples
    --------
    >>> channel_keys(ChannelRef(7, 1, "PR-07", "displacement", "mm", "mm"), sole=True)
    ('PR-07/displacement', '7', 'PR-07')
    """
    keys = (f"{ref.sensor_code}/{ref.name}", str(ref.id))
    return (*keys, ref.sensor_code) if sole else keys
