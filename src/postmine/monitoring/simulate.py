"""Simulated sensor streams for a site, published to MQTT: see the layer work in minutes.

:func:`simulate_streams` makes the readings of four scenarios at a site (a pure function of
its arguments and seed); :func:`register_channels` records the sensors and channels in the
registry; :func:`publish` sends the readings to the broker in the payload format of
:mod:`postmine.monitoring.messages`, in batches, optionally paced against the clock.

Scenarios
---------
``normal``
    Piezometer PZ-01: pore pressure 120 kPa with a seasonal swing and Gaussian noise.
``slope-failure``
    Prism PR-01: displacement of a slope accelerating to failure at ``failure_after_s`` by
    Voight's relation with α = 2, d(t) = d0 − (1/A) ln((t_f − t)/t_f) (Fukuzono 1985;
    Voight 1989; Carlà et al. 2019, eqs. 1-2), plus measurement noise; the stream stops at
    failure.
``silent-sensor``
    Piezometer PZ-02: like PZ-01 but it stops reporting after ``silent_after_s``.
``acid-drainage``
    Water analyser WQ-01: pH, sulphate and dissolved iron of drainage water that stays
    near-neutral and then turns acid from ``acid_onset_s`` on (pH falls towards 3.5, sulphate
    and Fe rise), with analytical noise.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import select
from sqlalchemy.orm import Session

from postmine.core.checks import positive
from postmine.monitoring import channels as ch
from postmine.monitoring.messages import TOPIC_PREFIX, topic_of
from postmine.monitoring.models import Sensor

__all__ = [
    "SCENARIOS",
    "SimulatedChannel",
    "publish",
    "register_channels",
    "simulate_streams",
]

SCENARIOS = ("normal", "slope-failure", "silent-sensor", "acid-drainage")


@dataclass(frozen=True)
class SimulatedChannel:
    """One simulated channel: where it is and its readings (epoch seconds, values)."""

    sensor_code: str
    sensor_type: str
    channel: str
    quantity: str
    unit: str
    ts_s: npt.NDArray[np.floating[Any]]
    values: npt.NDArray[np.floating[Any]]


def simulate_streams(
    start: datetime,
    duration_s: float,
    interval_s: float = 600.0,
    *,
    seed: int = 1,
    failure_after_s: float | None = None,
    silent_after_s: float | None = None,
    acid_onset_s: float | None = None,
) -> list[SimulatedChannel]:
    """Return the simulated readings of the four scenarios over ``duration_s``.

    Parameters
    ----------
    start : datetime
        Time of the first reading (timezone-aware). [UTC]
    duration_s : float
        Length of the simulation. [s]
    interval_s : float
        Interval between readings of every channel. [s]
    seed : int
        Seed of the noise; the same arguments give the same readings. [-]
    failure_after_s, silent_after_s, acid_onset_s : float, optional
        When the slope fails, the piezometer falls silent and the drainage turns acid;
        defaults 90 %, 50 % and 40 % of ``duration_s``. [s]

    Returns
    -------
    list of SimulatedChannel
        Displacement, two pore pressures, pH, sulphate and Fe.

    Raises
    ------
    ValueError
        If a duration or interval is not positive, ``start`` has no time zone, or there are
        fewer than 10 readings.
    """
    positive("duration_s", duration_s, "s")
    positive("interval_s", interval_s, "s")
    if start.tzinfo is None:
        raise ValueError("start must be timezone-aware (UTC), got a naive datetime")
    n = int(duration_s // interval_s) + 1
    if n < 10:
        raise ValueError(f"duration_s / interval_s must give at least 10 readings, got {n}")
    rng = np.random.default_rng(seed)
    t0 = start.timestamp()
    t = np.arange(n) * interval_s
    ts = t0 + t
    day = 86_400.0
    t_f = 0.9 * duration_s if failure_after_s is None else failure_after_s
    t_silent = 0.5 * duration_s if silent_after_s is None else silent_after_s
    t_acid = 0.4 * duration_s if acid_onset_s is None else acid_onset_s

    def pore(base: float) -> npt.NDArray[np.floating[Any]]:
        swing = 4.0 * np.sin(2 * np.pi * t / (30 * day))
        values: npt.NDArray[np.floating[Any]] = base + swing + rng.normal(0.0, 0.4, n)
        return values

    # Voight alpha = 2: d = d0 - (1/A) ln((t_f - t)/t_f), with A in day/mm, t in days
    a_day_mm = 0.5
    alive = t < t_f - interval_s
    tt = t[alive] / day
    tf = t_f / day
    displacement = 10.0 - (1.0 / a_day_mm) * np.log((tf - tt) / tf) + rng.normal(0, 0.05, tt.size)

    ramp = np.clip((t - t_acid) / (0.3 * duration_s), 0.0, 1.0)
    ph = 7.2 - 3.7 * ramp + rng.normal(0.0, 0.05, n)
    sulphate = 250.0 + 1750.0 * ramp + rng.normal(0.0, 15.0, n)
    iron = 0.2 + 24.8 * ramp**1.5 + np.abs(rng.normal(0.0, 0.05, n))
    quiet = t < t_silent
    return [
        SimulatedChannel("PR-01", "prism", "displacement", "displacement", "mm",
                         ts[alive], displacement),
        SimulatedChannel("PZ-01", "piezometer", "pore_pressure", "pore_pressure", "kPa",
                         ts, pore(120.0)),
        SimulatedChannel("PZ-02", "piezometer", "pore_pressure", "pore_pressure", "kPa",
                         ts[quiet], pore(135.0)[quiet]),
        SimulatedChannel("WQ-01", "water-analyser", "ph", "ph", "pH", ts, ph),
        SimulatedChannel("WQ-01", "water-analyser", "sulphate", "concentration", "mg/L",
                         ts, sulphate),
        SimulatedChannel("WQ-01", "water-analyser", "fe", "concentration", "mg/L", ts, iron),
    ]  # fmt: skip


def register_channels(
    session: Session, site_id: int, streams: Iterable[SimulatedChannel], interval_s: float
) -> int:
    """Record the sensors and channels of ``streams`` at ``site_id`` if not there yet.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Session on the registry.
    site_id : int
        Site of the sensors. [-]
    streams : iterable of SimulatedChannel
        The simulated channels.
    interval_s : float
        Expected reporting interval. [s]

    Returns
    -------
    int
        Number of channels created.

    Raises
    ------
    ValueError
        If the site does not exist or a channel cannot be created.
    """
    created = 0
    sensors: dict[str, Sensor] = {
        s.code: s for s in session.scalars(select(Sensor).where(Sensor.site_id == site_id))
    }
    for stream in streams:
        sensor = sensors.get(stream.sensor_code)
        if sensor is None:
            sensor = ch.add_sensor(
                session,
                site_id=site_id,
                code=stream.sensor_code,
                type=stream.sensor_type,  # type: ignore[arg-type]
                expected_interval_s=interval_s,
            )
            sensors[stream.sensor_code] = sensor
        try:
            ch.find_channel(session, site_id, stream.sensor_code, stream.channel)
        except LookupError:
            ch.add_channel(
                session, sensor, name=stream.channel, quantity=stream.quantity,
                source_unit=stream.unit,
            )  # fmt: skip
            created += 1
    return created


def _messages(
    site_id: int, streams: Iterable[SimulatedChannel], batch: int, prefix: str
) -> list[tuple[float, str, bytes]]:
    out = []
    for s in streams:
        topic = topic_of(site_id, s.sensor_code, s.channel, prefix=prefix)
        for i in range(0, s.ts_s.size, batch):
            chunk = [
                {"ts": float(ts), "value": round(float(v), 6), "unit": s.unit}
                for ts, v in zip(s.ts_s[i : i + batch], s.values[i : i + batch], strict=True)
            ]
            out.append((float(s.ts_s[i]), topic, json.dumps(chunk).encode()))
    out.sort(key=lambda m: m[0])
    return out


def publish(
    site_id: int,
    streams: Iterable[SimulatedChannel],
    *,
    host: str = "127.0.0.1",
    port: int = 1883,
    batch: int = 50,
    speedup: float | None = None,
    prefix: str | None = None,
    client_id: str = "postmine-simulator",
) -> int:
    """Publish the readings to MQTT with QoS 1, in time order; return the messages sent.

    Parameters
    ----------
    site_id : int
        Site of the topics. [-]
    streams : iterable of SimulatedChannel
        Readings to send.
    host, port : str, int
        The broker. [-]
    batch : int
        Readings per message (per channel). [-]
    speedup : float, optional
        Pace the messages at this many simulated seconds per real second; ``None`` sends
        them as fast as the broker takes them. [-]
    prefix : str, optional
        Topic prefix (default :data:`postmine.monitoring.messages.TOPIC_PREFIX`). [-]
    client_id : str
        MQTT client id. [-]

    Returns
    -------
    int
        Number of messages published.

    Raises
    ------
    ValueError
        If ``batch`` or ``speedup`` is not positive.
    OSError
        If the broker cannot be reached.
    """
    import paho.mqtt.client as mqtt
    from paho.mqtt.enums import CallbackAPIVersion

    positive("batch", batch, "")
    if speedup is not None:
        positive("speedup", speedup, "")
    messages = _messages(site_id, list(streams), batch, prefix or TOPIC_PREFIX)
    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=client_id)
    client.connect(host, port)
    client.loop_start()
    try:
        first = messages[0][0] if messages else 0.0
        began = time.monotonic()
        for ts, topic, payload in messages:
            if speedup is not None:
                due = began + (ts - first) / speedup
                delay = due - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
            client.publish(topic, payload, qos=1).wait_for_publish(timeout=30)
    finally:
        client.loop_stop()
        client.disconnect()
    return len(messages)


def utc(year: int, month: int, day: int) -> datetime:
    """Return midnight UTC of a date (a helper for examples)."""
    return datetime(year, month, day, tzinfo=UTC)
