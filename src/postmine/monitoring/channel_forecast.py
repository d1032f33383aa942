"""Inverse-velocity forecast of a stored displacement channel: the one workflow.

``postmine monitor forecast`` and ``GET /channels/{id}/forecast`` both call
:func:`forecast_channel`, which does the whole job once:

1. read the channel and every stored reading of it;
2. refuse a channel that does not measure displacement, or one with fewer readings than the
   method needs (:func:`~postmine.monitoring.forecast.minimum_readings`: ``window +
   min_points``, 20 with the defaults), raising :class:`ChannelForecastError`;
3. convert the readings from the channel's unit to millimetres and their times to days since
   the first reading (the units of :mod:`postmine.monitoring.forecast`);
4. fit (:func:`~postmine.monitoring.forecast.inverse_velocity_forecast`);
5. and return a :class:`ChannelForecast`, which turns forecast days back into UTC times and
   draws the plot (:meth:`ChannelForecast.plot_png`).

The caller renders the result (JSON, text, HTTP) and decides what access the principal has.

References
----------
Fukuzono T. (1985) A new method for predicting the failure time of a slope. Proc. 4th Int.
    Conf. and Field Workshop on Landslides, Tokyo, 145-150.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np
import numpy.typing as npt
from sqlalchemy.orm import Session

from postmine.monitoring.channels import get_channel
from postmine.monitoring.forecast import (
    FilterName,
    InverseVelocityForecast,
    inverse_velocity_forecast,
    minimum_readings,
)
from postmine.monitoring.forecast_plot import plot_inverse_velocity
from postmine.monitoring.store import from_us, read_range
from postmine.monitoring.units import convert

__all__ = [
    "FORECAST_UNIT",
    "ChannelForecast",
    "ChannelForecastError",
    "forecast_channel",
]

FORECAST_UNIT = "mm"
"""Unit the displacement is forecast in (velocity in mm/d, inverse velocity in d/mm)."""

_US_PER_DAY = 86_400e6
_ALL_TIME = (0, 2**62)  # µs: every reading a channel can hold


class ChannelForecastError(ValueError):
    """The channel cannot be forecast: it does not measure displacement, or has too few readings."""


@dataclass(frozen=True, eq=False)
class ChannelForecast:
    """Inverse-velocity forecast of a channel, with the readings it was made from.

    Attributes
    ----------
    channel_id : int
        Identifier of the channel. [-]
    channel : str
        ``"<sensor code>/<channel name>"``.
    origin_us : int
        Time of the first reading: day 0 of every time in days. [µs since 1970, UTC]
    times_d : ndarray
        Times of the readings since the origin. [d]
    displacement_mm : ndarray
        The readings converted to millimetres. [mm]
    forecast : InverseVelocityForecast
        The forecast (times in days since the origin, slope in 1/mm).
    """

    channel_id: int
    channel: str
    origin_us: int
    times_d: npt.NDArray[np.float64]
    displacement_mm: npt.NDArray[np.float64]
    forecast: InverseVelocityForecast

    @property
    def n_readings(self) -> int:
        """Number of readings the forecast was made from."""
        return int(self.times_d.size)

    @property
    def origin(self) -> datetime:
        """Time of the first reading, UTC."""
        return from_us(self.origin_us)

    def at(self, days: float | None) -> datetime | None:
        """Return the UTC time ``days`` after the first reading (None stays None)."""
        if days is None:
            return None
        return from_us(self.origin_us + round(days * _US_PER_DAY))

    def plot_png(self) -> bytes:
        """Return the inverse-velocity plot of the readings and the forecast as PNG bytes."""
        return plot_inverse_velocity(
            self.times_d,
            self.displacement_mm,
            self.forecast,
            title=self.channel,
            unit=FORECAST_UNIT,
        )


def forecast_channel(
    session: Session,
    channel_id: int,
    *,
    filter: FilterName = "sma",
    window: int = 8,
    min_points: int = 12,
    min_readings: int | None = None,
) -> ChannelForecast:
    """Forecast the time of failure of a displacement channel from its stored readings.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Session on the registry database.
    channel_id : int
        Identifier of a channel whose quantity is displacement. [-]
    filter : {"sma", "ema"}
        Causal smoothing filter of the velocity.
    window : int
        Window (SMA) or span (EMA) of the filter. [samples]
    min_points : int
        Fewest smoothed velocities in the fit (at least 3). [-]
    min_readings : int, optional
        Fewest stored readings to attempt a forecast; by default, and at least, the method's
        minimum ``window + min_points``
        (:func:`~postmine.monitoring.forecast.minimum_readings`). [-]

    Returns
    -------
    ChannelForecast
        The readings in days and millimetres and the forecast; without a forecast (steady
        creep, deceleration, noise) its ``reason`` says why.

    Raises
    ------
    postmine.registry.records.NotFoundError
        If there is no such channel.
    ChannelForecastError
        If the channel does not measure displacement or has fewer than ``min_readings``
        readings.
    ValueError
        If ``filter``, ``window``, ``min_points`` or ``min_readings`` is out of range.
    """
    needed = minimum_readings(window, min_points)
    if min_readings is not None:
        if isinstance(min_readings, bool) or not isinstance(min_readings, int):
            raise ValueError(f"min_readings must be an integer, got {min_readings!r}")
        if min_readings < needed:
            raise ValueError(
                f"min_readings must be >= window + min_points = {needed}, got {min_readings}"
            )
        needed = min_readings
    channel = get_channel(session, channel_id)
    name = f"{channel.sensor.code}/{channel.name}"
    if channel.quantity != "displacement":
        raise ChannelForecastError(
            f"channel {channel_id} ({name}) measures {channel.quantity}, not displacement"
        )
    series = read_range(session, channel_id, *_ALL_TIME)
    if len(series) < needed:
        raise ChannelForecastError(
            f"channel {channel_id} ({name}) has {len(series)} readings; the forecast needs "
            f"at least {needed} (window {window} + min_points {min_points} at the least)"
        )
    origin_us = int(series.ts_us[0])
    times_d = (series.ts_us - origin_us) / _US_PER_DAY
    displacement_mm = np.asarray(convert(series.value, channel.unit, FORECAST_UNIT), np.float64)
    forecast = inverse_velocity_forecast(
        times_d, displacement_mm, filter=filter, window=window, min_points=min_points
    )
    return ChannelForecast(channel_id, name, origin_us, times_d, displacement_mm, forecast)
