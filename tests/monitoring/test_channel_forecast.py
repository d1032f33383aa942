"""The channel forecast workflow (postmine.monitoring.channel_forecast) on a stored channel.

The readings are the closed-form Voight α = 2 series, 1/v = A (t_f - t) with A = 0.5 d/mm and
t_f = 30 d after the first reading, hourly to two days before failure: noise-free, so the
forecast must recover t_f to the precision of the fit, and its interval must hold it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import pytest
from numpy.testing import assert_allclose
from sqlalchemy.orm import Session

from postmine.db import get_engine
from postmine.monitoring.channel_forecast import (
    FORECAST_UNIT,
    ChannelForecastError,
    forecast_channel,
)
from postmine.monitoring.forecast import minimum_readings
from postmine.monitoring.store import to_us, write_readings
from postmine.registry.records import NotFoundError

Site = Any  # tests/monitoring/conftest.py's Site: url, site_id, channels
A_D_PER_MM = 0.5  # Voight's A for α = 2. [1/mm]
T_FAILURE_D = 30.0  # failure time after the first reading. [d]
T0 = datetime(2026, 5, 1, tzinfo=UTC)
DAY_US = 86_400 * 1_000_000
T_FAILURE_TOL_D = 1e-3  # noise-free readings: the model fit is exact up to rounding


def _write_voight(site: Site, n: int | None = None) -> int:
    cid = site.channels["displacement"]
    t = np.arange(0.0, T_FAILURE_D - 2.0, 1.0 / 24.0)[:n]  # hourly. [d]
    d = -np.log((T_FAILURE_D - t) / T_FAILURE_D) / A_D_PER_MM  # [mm]
    ts = to_us(T0) + np.round(t * DAY_US).astype(np.int64)
    write_readings(site.url, zip([cid] * t.size, ts.tolist(), d.tolist(), strict=True))
    return cid


def test_forecast_of_a_voight_channel_holds_the_failure_time(site: Site) -> None:
    cid = _write_voight(site)
    with Session(get_engine(site.url)) as session:
        made = forecast_channel(session, cid, window=8)
    fc = made.forecast
    assert fc.has_forecast, fc.reason
    assert made.channel == "PR-07/displacement" and FORECAST_UNIT == "mm"
    assert made.origin == T0 and made.n_readings == made.displacement_mm.size
    assert_allclose(fc.t_failure, T_FAILURE_D, atol=T_FAILURE_TOL_D)
    assert fc.t_low is not None and fc.t_high is not None
    assert fc.t_low - T_FAILURE_TOL_D <= T_FAILURE_D <= fc.t_high + T_FAILURE_TOL_D
    failure_at = made.at(fc.t_failure)
    assert failure_at is not None
    assert abs(failure_at - (T0 + timedelta(days=T_FAILURE_D))) < timedelta(minutes=2)
    assert made.at(None) is None
    assert made.plot_png().startswith(b"\x89PNG")


def test_the_method_minimum_is_enough_and_one_fewer_is_refused(site: Site) -> None:
    needed = minimum_readings(8, 12)
    cid = _write_voight(site, needed - 1)
    with (
        Session(get_engine(site.url)) as session,
        pytest.raises(ChannelForecastError, match=f"has {needed - 1} readings.*at least {needed}"),
    ):
        forecast_channel(session, cid)
    write_readings(site.url, [(cid, to_us(T0) + needed * DAY_US // 24, 100.0)])
    with Session(get_engine(site.url)) as session:
        made = forecast_channel(session, cid)
    assert made.n_readings == needed


def test_a_higher_min_readings_is_honoured_and_a_lower_one_refused(site: Site) -> None:
    cid = _write_voight(site, 30)
    with Session(get_engine(site.url)) as session:
        with pytest.raises(ChannelForecastError, match=r"has 30 readings; .* at least 31"):
            forecast_channel(session, cid, min_readings=31)
        with pytest.raises(ValueError, match="min_readings must be >= window \\+ min_points"):
            forecast_channel(session, cid, min_readings=5)


def test_channels_that_cannot_be_forecast(site: Site) -> None:
    with Session(get_engine(site.url)) as session:
        with pytest.raises(ChannelForecastError, match="measures pore_pressure, not displacement"):
            forecast_channel(session, site.channels["pore_pressure"])
        with pytest.raises(NotFoundError):
            forecast_channel(session, 999_999)
        with pytest.raises(ValueError, match="window"):
            forecast_channel(session, site.channels["displacement"], window=0)
