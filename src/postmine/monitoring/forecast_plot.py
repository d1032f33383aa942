"""Plot of an inverse-velocity forecast: displacement, velocity and 1/v with the fit, as PNG.

The picture a geotechnical engineer checks before trusting a forecast of
:func:`postmine.monitoring.forecast.inverse_velocity_forecast` (Carlà et al. 2017 recommend
always inspecting the inverse-velocity plot): the readings, the raw and smoothed velocity,
the inverse of the smoothed velocity with the fitted line, the forecast time of failure and
its interval, and the onset of acceleration. Drawn on its own Agg figure (no display, no
pyplot state); matplotlib is imported when a plot is drawn, not with the module.

References
----------
Carlà T., Intrieri E., Di Traglia F., Nolesini T., Gigli G., Casagli N. (2017) Guidelines on
    the use of inverse velocity method as a tool for setting alarm thresholds and
    forecasting landslides and structure collapses. Landslides 14:517-534.
"""

from __future__ import annotations

import io
from typing import cast

import numpy as np
import numpy.typing as npt

from postmine.monitoring.forecast import (
    FilterName,
    InverseVelocityForecast,
    displacement_series,
    smoothed_velocity,
)

__all__ = ["plot_inverse_velocity"]


def plot_inverse_velocity(
    times: npt.ArrayLike,
    displacement: npt.ArrayLike,
    forecast: InverseVelocityForecast,
    *,
    title: str = "",
    unit: str = "mm",
) -> bytes:
    r"""Plot displacement, velocity and inverse velocity with the fit and the interval.

    Three panels over a common time axis (days since the first reading): the displacement
    readings; the raw interval velocities and the smoothed velocity; the inverse of the
    smoothed velocity with the fitted line, the forecast time of failure and its interval
    shaded, and the onset marked. Drawn on its own Agg figure (no display, no pyplot state).

    Parameters
    ----------
    times : array_like
        Times of the readings, strictly increasing. [d]
    displacement : array_like
        Cumulative displacement at those times. [mm]
    forecast : InverseVelocityForecast
        Result of :func:`inverse_velocity_forecast` for these readings.
    title : str
        Title of the figure (e.g. the channel name).
    unit : str
        Unit of the displacement, for the axis labels (velocity in unit/d, inverse velocity
        in d/unit).

    Returns
    -------
    bytes
        The figure as PNG.

    Raises
    ------
    ValueError
        If the series is invalid (see :func:`smoothed_velocity`).

    Examples
    --------
    >>> import numpy as np
    >>> from postmine.monitoring.forecast import inverse_velocity_forecast
    >>> t = np.arange(0.0, 90.0, 0.25)
    >>> d = -2.0 * np.log((100.0 - t) / 100.0)
    >>> plot_inverse_velocity(t, d, inverse_velocity_forecast(t, d))[:4]
    b'\x89PNG'
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    t, d = displacement_series(times, displacement)
    origin = float(t[0])
    fig = Figure(figsize=(8.0, 8.0), dpi=100)
    FigureCanvasAgg(fig)
    ax_d, ax_v, ax_i = fig.subplots(3, 1, sharex=True)
    ax_d.plot(t - origin, d, ".", ms=2, color="0.3")
    ax_d.set_ylabel(f"displacement [{unit}]")
    raw_v = np.diff(d) / np.diff(t)
    mid = 0.5 * (t[1:] + t[:-1]) - origin
    ax_v.plot(mid, raw_v, ".", ms=2, color="0.7", label="interval velocity")
    top = 0.0
    if t.size > forecast.window:
        whole = smoothed_velocity(
            t, d, filter=cast("FilterName", forecast.filter), window=forecast.window
        )
        label = f"{whole.filter.upper()} {whole.window} (lag {whole.lag:.3g} d)"
        ax_v.plot(whole.times - origin, whole.velocity, "-", color="C0", lw=1, label=label)
        stamps = whole.centre_times if forecast.fit == "model" else whole.available_times
        shown = whole.velocity > 0
        inverse = 1.0 / whole.velocity[shown]
        ax_i.plot(stamps[shown] - origin, inverse, ".", ms=2, color="0.6", label="1/v (smoothed)")
        if forecast.onset is not None:
            fitted = shown[shown] & (stamps[shown] >= forecast.onset)
            ax_i.plot(stamps[shown][fitted] - origin, inverse[fitted], ".", ms=3, color="C0",
                      label="1/v fitted")  # fmt: skip
            if fitted.any():
                top = float(np.percentile(inverse[fitted], 90)) * 1.5
    ax_v.set_ylabel(f"velocity [{unit}/d]")
    ax_v.legend(loc="upper left", fontsize=8)
    if forecast.onset is not None:
        for ax in (ax_d, ax_v, ax_i):
            ax.axvline(forecast.onset - origin, color="0.5", ls=":", lw=1)
    if (
        forecast.t_failure is not None
        and forecast.t_low is not None
        and forecast.t_high is not None
    ):
        start = forecast.onset if forecast.onset is not None else origin
        line_t = np.linspace(start, forecast.t_failure, 50)
        ax_i.plot(line_t - origin, forecast.inverse_velocity_line(line_t), "-", color="C3",
                  label=f"fit ({forecast.fit}), r² = {forecast.r2:.2f}")  # fmt: skip
        ax_i.axvspan(forecast.t_low - origin, forecast.t_high - origin, color="C3", alpha=0.15,
                     label=f"{forecast.confidence:.0%} interval")  # fmt: skip
        ax_i.axvline(forecast.t_failure - origin, color="C3", lw=1)
        top = max(top, 1.2 * float(forecast.inverse_velocity_line(np.array([start]))[0]))
        ax_i.set_title(
            f"t_f = {forecast.t_failure - origin:.2f} d "
            f"[{forecast.t_low - origin:.2f}, {forecast.t_high - origin:.2f}]",
            fontsize=9,
        )
    else:
        ax_i.set_title(f"no forecast: {forecast.reason}", fontsize=9)
    if top > 0:
        ax_i.set_ylim(0.0, top)
    else:
        ax_i.set_ylim(bottom=0.0)
    ax_i.set_ylabel(f"1/v [d/{unit}]")
    ax_i.set_xlabel("time since the first reading [d]")
    ax_i.legend(loc="upper right", fontsize=8)
    if title:
        fig.suptitle(title.replace("$", r"\$"))
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()
