"""Live factor of safety of a slope from its piezometers: a monitoring component.

Issue 6 asks for the pore pressure of slope stability "from live piezometer readings of the
monitoring layer", fast enough to run on every new reading. :class:`SlopeFactorWatch`
(kind ``"tarp.slope_factor"``: a TARP rule whose measure is F) does that: it holds a slope
section and one fixed slip surface — typically the critical surface found at design time —
and the position of each piezometer in the section; on every reading of any of its
piezometer channels it

1. updates the total head of that piezometer, h = z_tip + p/γ_w
   (:func:`~postmine.geotech.pore_pressure.head_from_pressure`),
2. rebuilds the piezometric line through the latest heads of all piezometers
   (:func:`~postmine.geotech.pore_pressure.piezometric_elevation`),
3. puts its pore force on the slices of the fixed surface, which were cut once
   (:func:`~postmine.geotech.pore_pressure.slices_with_heads`), and solves the factor of
   safety F by the chosen method
   (:func:`~postmine.geotech.limit_equilibrium.factors_of_safety`),
4. runs the TARP levels on F (falling is bad: alert below 1.3, alarm below 1.2, emergency
   below 1.0 by default) with the deadband, hold and escalation of
   :class:`~postmine.monitoring.tarp.TarpRule`, and returns the alert events.

A batch of readings is solved in one vectorised call (one row of slices per reading), so a
single reading costs a few hundred microseconds with Bishop's method on 50 slices and a
day of ten-minute readings little more (measured in ``tests/monitoring/test_slope_watch.py``
and ``docs/slope-watch.md``). Optionally the critical circle is searched again every
``search_every`` readings (:func:`~postmine.geotech.slip_search.critical_circle`, on a
given grid) and the watch moves to the circle found.

F is not defined (NaN, no level change) until every piezometer has a head — from a reading
or from ``initial_heads``. Readings of each channel are taken in time order and late ones
skipped, channel by channel; a reading of one piezometer is combined with the latest heads
of the others *processed so far*, whatever their age: when the readings arrive one by one
(MQTT) this is the state of the slope at that time; when a logger file delivers an hour of
one channel before an hour of the other, the first channel's readings are combined with
the other's heads of the hour before. :func:`factor_from_store` always combines the
readings by their time stamps.

The alerts are raised on one channel, the component's ``channel`` (one of its
piezometers), because an alert belongs to a channel in the alert book and the registry.

:func:`factor_from_store` answers "what is F now" from the stored readings: the latest
reading of each piezometer at or before a time, and F from them.

Examples
--------
>>> import numpy as np
>>> from postmine.geotech.section import Section, SoilLayer
>>> from postmine.monitoring.components import Batch
>>> section = Section([(20, 25), (30, 25), (50, 35), (70, 35)], [SoilLayer(8.0, 30.0, 20.0)])
>>> config = SlopeWatchConfig(section, {"PZ-01": (45.0, 24.0)},
...                           centre_x=30.6, centre_y=53.0, radius=28.0)
>>> watch = SlopeFactorWatch("north slope F", "PZ-01", channel_unit="kPa", config=config)
>>> ts = np.datetime64("2025-05-01T00:00", "us") + np.arange(5) * np.timedelta64(1, "h")
>>> events = watch.update(Batch.from_readings("PZ-01", ts, [0.0, 50.0, 70.0, 80.0, 60.0]))
>>> watch.last_outputs["factor_of_safety"].round(3).tolist()
[1.782, 1.611, 1.345, 1.182, 1.489]
>>> [(e.action, e.level.label, e.at.hour) for e in events]
[('raise', 'alarm', 3), ('clear', 'normal', 4)]
>>> events[0].message
'factor of safety (bishop) 1.182 <= alarm threshold 1.2 (heads: PZ-01 32.16 m)'
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar, Literal

import numpy as np
import numpy.typing as npt
from sqlalchemy import select
from sqlalchemy.engine import Engine

from postmine.db import get_engine
from postmine.geotech.limit_equilibrium import METHODS, Method, factors_of_safety
from postmine.geotech.pore_pressure import (
    EXTENSIONS,
    Extension,
    head_from_pressure,
    section_with_piezometers,
    slices_with_heads,
)
from postmine.geotech.section import Section, SoilLayer
from postmine.geotech.section_file import SlopeFile
from postmine.geotech.slicing import Slices, slice_circle, slice_surface
from postmine.geotech.slip_search import critical_circle
from postmine.geotech.slope_analysis import analyse_slope
from postmine.monitoring.alerts import AlertEvent, Level
from postmine.monitoring.channels import channel_keys, channel_refs
from postmine.monitoring.components import (
    TS,
    Batch,
    FloatArray,
    Int64Array,
    Port,
    datetime_from_us,
    register_component,
)
from postmine.monitoring.models import ReadingRow
from postmine.monitoring.store import to_us
from postmine.monitoring.tarp import TarpRule
from postmine.monitoring.units import converter

__all__ = [
    "DEFAULT_THRESHOLDS",
    "READINGS",
    "SlopeFactorNow",
    "SlopeFactorWatch",
    "SlopeWatchConfig",
    "factor_from_store",
]

Reading = Literal["pressure", "head"]
READINGS: tuple[Reading, ...] = ("pressure", "head")
"""What a piezometer channel reads: pore pressure at the tip, or the head (water level)."""

DEFAULT_THRESHOLDS: dict[Level | str, float] = {"alert": 1.3, "alarm": 1.2, "emergency": 1.0}
"""TARP thresholds on F [-]: a level is entered when F falls to or below its threshold."""

_BASE_UNIT = {"pressure": "kPa", "head": "m"}


def _finite(name: str, value: Any, unit: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.floating):
        raise ValueError(f"{name} must be a number [{unit}], got {value!r}")
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite [{unit}], got {value}")
    return float(value)


@dataclass(frozen=True, eq=False)
class SlopeWatchConfig:
    """A slope section, its watched slip surface and its piezometers.

    Give the surface either as a circle (``centre_x``, ``centre_y``, ``radius``) or as a
    polyline (``points``); it must cut the ground inside the section.

    Parameters
    ----------
    section : Section
        The slope section; it must not use r_u (its piezometric line, if any, is replaced
        by the piezometers').
    piezometers : mapping of str to (float, float)
        Channel key of each piezometer (as in a rule set: ``"PZ-01/pore_pressure"``, a
        channel id, or a sole channel's sensor code) to its position: x in the section and
        the elevation of its tip. [m]
    centre_x, centre_y : float or None
        Centre of a circular slip surface. [m]
    radius : float or None
        Radius of a circular slip surface. [m]
    points : sequence of (float, float) or None
        Vertices of a polyline slip surface, x strictly increasing. [m]
    method : {"ordinary", "bishop", "janbu", "spencer", "morgenstern_price"}
        Limit-equilibrium method of F.
    n_slices : int
        Number of slices of the surface, at least 5. [-]
    reading : {"pressure", "head"}
        What the channels read: pore pressure at the tip (any pressure unit), or the head
        itself, the elevation of the water level (any length unit).
    extend : {"ground", "flat"}
        How the piezometric line continues beyond the outermost piezometers
        (:func:`~postmine.geotech.pore_pressure.piezometric_line`).
    toe_x : float or None
        Where the water table leaves the slope with ``extend="ground"``; default the toe. [m]

    Raises
    ------
    ValueError
        If the surface is given both ways or neither, does not cut the ground, a piezometer
        lies outside the section or two share an x, the method, reading or extension is
        unknown, ``n_slices < 5``, or the section uses r_u.
    """

    section: Section
    piezometers: Mapping[str, tuple[float, float]]
    centre_x: float | None = None
    centre_y: float | None = None
    radius: float | None = None
    points: Sequence[tuple[float, float]] | None = None
    method: Method = "bishop"
    n_slices: int = 50
    reading: Reading = "pressure"
    extend: Extension = "ground"
    toe_x: float | None = None
    keys: tuple[str, ...] = field(init=False)
    x_m: FloatArray = field(init=False)
    tip_elevation_m: FloatArray = field(init=False)
    slices: Slices = field(init=False)

    def __post_init__(self) -> None:
        if not isinstance(self.section, Section):
            raise ValueError(f"section must be a Section, got {type(self.section).__name__}")
        if self.section.pore_pressure_ratio > 0:
            raise ValueError(
                "section must not use pore_pressure_ratio with piezometers, got r_u = "
                f"{self.section.pore_pressure_ratio} (set it to 0)"
            )
        if not self.piezometers:
            raise ValueError(
                "piezometers must name at least one channel with (x_m, tip_elevation_m)"
            )
        keys, xs, tips = [], [], []
        for key, position in self.piezometers.items():
            if not isinstance(key, str) or not key.strip():
                raise ValueError(f"piezometer channel keys must be non-empty text, got {key!r}")
            if not isinstance(position, Sequence) or len(position) != 2:
                raise ValueError(
                    f"piezometer {key!r} must be (x_m, tip_elevation_m) [m], got {position!r}"
                )
            keys.append(key)
            xs.append(_finite(f"x_m of piezometer {key!r}", position[0], "m"))
            tips.append(_finite(f"tip_elevation_m of piezometer {key!r}", position[1], "m"))
        if self.method not in METHODS:
            raise ValueError(f"method must be one of {METHODS}, got {self.method!r}")
        if self.reading not in READINGS:
            raise ValueError(f"reading must be one of {READINGS}, got {self.reading!r}")
        if self.extend not in EXTENSIONS:
            raise ValueError(f"extend must be one of {EXTENSIONS}, got {self.extend!r}")
        if isinstance(self.n_slices, bool) or not isinstance(self.n_slices, int):
            raise ValueError(f"n_slices must be an integer >= 5, got {self.n_slices!r}")
        set_ = object.__setattr__
        set_(self, "keys", tuple(keys))
        set_(self, "x_m", np.array(xs))
        set_(self, "tip_elevation_m", np.array(tips))
        # the line through zero heads checks positions, toe and extension once
        section_with_piezometers(
            self.section, self.x_m, self.tip_elevation_m, toe_x=self.toe_x, extend=self.extend
        )
        circle = (self.centre_x, self.centre_y, self.radius)
        if self.points is not None and any(v is not None for v in circle):
            raise ValueError("give the slip surface as a circle or as points, not both")
        if self.points is None and any(v is None for v in circle):
            raise ValueError(
                "give the slip surface as centre_x, centre_y and radius [m], or as points [m]"
            )
        set_(self, "slices", self.cut())

    @classmethod
    def from_slope_file(
        cls,
        slope: SlopeFile,
        *,
        method: Method = "bishop",
        reading: Reading = "pressure",
        extend: Extension = "ground",
        toe_x: float | None = None,
    ) -> SlopeWatchConfig:
        """Return the watch of a slope section file: its ``[surface]`` or its critical one.

        The section and the ``[[piezometers]]`` (channel key, x_m, tip_elevation_m) come
        from the file; the watched surface is its ``[surface]``, or else the critical
        surface of its ``[search]`` found now by
        :func:`~postmine.geotech.slope_analysis.analyse_slope` (the design-time search, on
        the file's own pore-pressure conditions).

        Parameters
        ----------
        slope : SlopeFile
            A validated section file (:func:`~postmine.geotech.section_file.read_section_file`).
        method : {"ordinary", "bishop", "janbu", "spencer", "morgenstern_price"}
            Limit-equilibrium method of the live F.
        reading : {"pressure", "head"}
            What the piezometer channels read.
        extend : {"ground", "flat"}
            How the piezometric line continues beyond the outermost piezometers.
        toe_x : float or None
            Where the water table leaves the slope with ``extend="ground"``. [m]

        Returns
        -------
        SlopeWatchConfig

        Raises
        ------
        ValueError
            If the file lists no piezometers, or as :class:`SlopeWatchConfig`.
        """
        if not slope.piezometers:
            raise ValueError("the section file lists no [[piezometers]] to watch")
        piezometers = {p.channel: (p.x_m, p.tip_elevation_m) for p in slope.piezometers}
        options: dict[str, Any] = {
            "method": method,
            "reading": reading,
            "extend": extend,
            "toe_x": toe_x,
        }
        given = slope.surface
        if given is not None and given.points is not None:
            surface: dict[str, Any] = {"points": tuple(given.points)}
        elif given is not None:
            surface = {"centre_x": given.centre_x, "centre_y": given.centre_y}
            surface["radius"] = given.radius
        else:
            found = analyse_slope(slope)
            if found.circle is not None:
                surface = dict(zip(("centre_x", "centre_y", "radius"), found.circle, strict=True))
            else:
                surface = {"points": tuple(map(tuple, found.surface.tolist()))}
        n_slices = given.n_slices if given is not None else 50
        if given is None and slope.search is not None:
            n_slices = slope.search.n_slices
        return cls(slope.section, piezometers, n_slices=n_slices, **surface, **options)

    @property
    def circular(self) -> bool:
        """Whether the watched surface is a circle."""
        return self.points is None

    def dry(self) -> Section:
        """Return the section without pore pressure (the slices' geometry)."""
        return Section(
            self.section.ground,
            self.section.layers,
            seismic_coefficient=self.section.seismic_coefficient,
            surcharge=self.section.surcharge,
            surcharge_start=self.section.surcharge_start,
            surcharge_end=self.section.surcharge_end,
            tension_crack_depth=self.section.tension_crack_depth,
            crack_water_depth=self.section.crack_water_depth,
        )

    def cut(self, circle: tuple[float, float, float] | None = None) -> Slices:
        """Cut the watched surface (or the given circle (x_c, y_c, R), m) into slices.

        Raises
        ------
        ValueError
            If the surface does not cut the ground inside the section.
        """
        if circle is None and self.points is not None:
            return slice_surface(self.dry(), self.points, self.n_slices)
        if circle is None:
            assert self.centre_x is not None and self.centre_y is not None
            assert self.radius is not None
            circle = (self.centre_x, self.centre_y, self.radius)
        return slice_circle(self.dry(), *circle, n_slices=self.n_slices)

    def head(self, key: str, readings: npt.ArrayLike, unit: str) -> FloatArray:
        """Total heads of one piezometer from its readings, m.

        Parameters
        ----------
        key : str
            Channel key of the piezometer.
        readings : array_like
            Pore pressures at its tip, or heads, as ``reading`` says. [unit]
        unit : str
            Unit of the readings (``"kPa"``, ``"bar"``; ``"m"`` for heads). [-]

        Returns
        -------
        ndarray
            h, same shape as ``readings``. [m]

        Raises
        ------
        KeyError
            If ``key`` is not one of the piezometers.
        ValueError
            If the unit does not convert to kPa (pressure) or m (head), or a reading is NaN.
        """
        tip = self.tip_elevation_m[self.keys.index(key)]
        target = _BASE_UNIT[self.reading]
        values = np.asarray(readings, dtype=float)
        if unit.strip() != target:
            values = converter(unit, target)(values)
        if self.reading == "pressure":
            return head_from_pressure(values, tip)
        if not np.all(np.isfinite(values)):
            raise ValueError(f"heads of {key!r} must be finite m, got {values.tolist()}")
        return values

    def factors(self, heads: npt.ArrayLike, slices: Slices | None = None) -> FloatArray:
        """F on the watched surface (or on ``slices``) for each set of heads, NaN if none.

        Parameters
        ----------
        heads : array_like, shape (k, n_piezometers) or (n_piezometers,)
            Total heads in ``keys`` order. [m]
        slices : Slices or None
            Slices of another surface of the same section (a re-searched circle).

        Returns
        -------
        ndarray, shape (k,)
            Factor of safety by ``method``. [-]
        """
        h = np.asarray(heads, dtype=float)
        h = h.reshape(1, -1) if h.ndim == 1 else h
        if h.shape[0] == 0:
            return np.zeros(0)
        wet = slices_with_heads(
            self.section,
            self.slices if slices is None else slices,
            self.x_m,
            h,
            toe_x=self.toe_x,
            extend=self.extend,
        )
        found, _ = factors_of_safety(wet, (self.method,))
        out: FloatArray = found[self.method]
        return out


@register_component
class SlopeFactorWatch(TarpRule):
    """TARP levels on a slope's factor of safety, recomputed from every piezometer reading.

    Parameters
    ----------
    name : str
        Name of the rule (unique in its rule set).
    channel : str
        The piezometer channel the alerts are raised on; one of ``config.piezometers``.
    channel_unit : str
        Unit of the readings of every piezometer channel: a pressure unit for
        ``reading="pressure"`` (canonical kPa), a length for ``"head"``.
    config : SlopeWatchConfig
        Section, watched slip surface, piezometers, method.
    thresholds : mapping of level to float
        F at or below which each level is entered, decreasing from alert to emergency. [-]
    deadband : float
        How far above a threshold F must rise to release its level. [-]
    hold_s : float
        How long F must stay there, reading after reading. [s]
    escalate_after_s : float or mapping of level to float, optional
        As :class:`~postmine.monitoring.tarp.TarpRule`. [s]
    initial_heads : mapping of str to float, optional
        Head of some piezometers until their first reading (e.g. the design heads). [m]
    search_every : int
        Search the critical circle again every this many readings (0: never); needs a
        circular surface and ``search_grid``. [-]
    search_grid : (array_like, array_like, array_like), optional
        Grid values of centre x, centre y and radius for the search. [m]

    Raises
    ------
    ValueError
        If ``channel`` is not one of the piezometers, the thresholds are not decreasing,
        the unit does not convert, a head is not finite, or the search settings conflict.
    """

    kind = "tarp.slope_factor"
    measure = "value"
    inputs: ClassVar[tuple[Port, ...]] = (
        TS,
        Port(
            "value",
            "float64",
            "{channel_unit}",
            "Pore pressure at the piezometer tip (or its head), in the channel's unit.",
        ),
    )
    outputs: ClassVar[tuple[Port, ...]] = (
        Port(
            "factor_of_safety",
            "float64",
            "{rule_unit}",
            "F on the watched slip surface after the reading; NaN until every "
            "piezometer has a head.",
        ),
        Port(
            "level",
            "int8",
            "-",
            "TARP level after the reading: 0 normal, 1 alert, 2 alarm, 3 emergency.",
        ),
        Port("head", "float64", "m", "Total head of the piezometer that sent the reading."),
    )

    def __init__(
        self,
        name: str,
        channel: str,
        *,
        channel_unit: str,
        config: SlopeWatchConfig,
        thresholds: Mapping[Level | str, float] | None = None,
        deadband: float = 0.0,
        hold_s: float = 0.0,
        escalate_after_s: float | Mapping[Level | str, float] | None = None,
        initial_heads: Mapping[str, float] | None = None,
        search_every: int = 0,
        search_grid: tuple[npt.ArrayLike, npt.ArrayLike, npt.ArrayLike] | None = None,
    ) -> None:
        # F is a pure number computed from the readings in _measure: the base class's
        # conversion of the reading to the rule's unit must be the identity, so it is built
        # with the channel's unit and the rule's unit is set to "-" afterwards.
        super().__init__(
            name,
            channel,
            channel_unit=channel_unit,
            unit=channel_unit,
            thresholds=DEFAULT_THRESHOLDS if thresholds is None else thresholds,
            direction="falling",
            deadband=deadband,
            hold_s=hold_s,
            escalate_after_s=escalate_after_s,
        )
        self.unit = "-"
        if not isinstance(config, SlopeWatchConfig):
            raise ValueError(f"config must be a SlopeWatchConfig, got {type(config).__name__}")
        if channel not in config.keys:
            raise ValueError(
                f"channel {channel!r} must be one of the piezometers {list(config.keys)}"
            )
        self.config = config
        config.head(channel, 0.0, channel_unit)  # the unit converts
        self._index_of = {key: k for k, key in enumerate(config.keys)}
        self._heads = np.full(len(config.keys), np.nan)
        for key, head in (initial_heads or {}).items():
            if key not in self._index_of:
                raise ValueError(
                    f"initial_heads names {key!r}, not one of the piezometers {list(config.keys)}"
                )
            self._heads[self._index_of[key]] = _finite(f"initial head of {key!r}", head, "m")
        self._initial = self._heads.copy()
        if isinstance(search_every, bool) or not isinstance(search_every, int) or search_every < 0:
            raise ValueError(f"search_every must be an integer >= 0 readings, got {search_every!r}")
        self.search_every = search_every
        self.search_grid: tuple[FloatArray, FloatArray, FloatArray] | None = None
        if search_every:
            if not config.circular:
                raise ValueError("search_every needs a circular slip surface (the search is)")
            if search_grid is None or len(search_grid) != 3:
                raise ValueError("search_every needs search_grid = (centre_x, centre_y, radius) m")
            grid = tuple(np.atleast_1d(np.asarray(g, dtype=float)) for g in search_grid)
            self.search_grid = (grid[0], grid[1], grid[2])
        self.circle: tuple[float, float, float] | None = (
            None
            if not config.circular
            else (float(config.centre_x), float(config.centre_y), float(config.radius))  # type: ignore[arg-type]
        )
        self._slices = config.slices
        self._last_of: dict[str, int] = {}
        self._source = channel
        self._new_heads = np.zeros(0)
        self._step_ts = np.zeros(0, np.int64)
        self._step_heads = np.zeros((0, len(config.keys)))
        self.readings = 0
        self.searches = 0

    # -- declarations ----------------------------------------------------------------------
    @property
    def watched(self) -> tuple[str, ...]:
        """Channel keys whose batches this component takes (every piezometer)."""
        return self.config.keys

    @property
    def heads(self) -> dict[str, float]:
        """Latest head of each piezometer in m (NaN: none yet)."""
        return {key: float(h) for key, h in zip(self.config.keys, self._heads, strict=True)}

    def _measure_label(self) -> str:
        return f"factor of safety ({self.config.method})"

    @classmethod
    def example(cls) -> SlopeFactorWatch:
        """Return a watch of the ACADS 1(a) slope with a stronger soil, one piezometer EX-1."""
        section = Section(
            [(20.0, 25.0), (30.0, 25.0), (50.0, 35.0), (70.0, 35.0)],
            [SoilLayer(8.0, 30.0, 20.0)],
        )
        config = SlopeWatchConfig(
            section, {"EX-1": (45.0, 24.0)}, centre_x=30.6, centre_y=53.0, radius=28.0
        )
        return cls("example slope factor", "EX-1", channel_unit="kPa", config=config)

    # -- work ------------------------------------------------------------------------------
    def update(self, batch: Batch) -> list[AlertEvent]:
        """Process readings of any of the piezometer channels; return the alert events.

        The batch is checked and ordered as by :meth:`Component.update`, with late and
        duplicate readings skipped per channel; the events are raised on :attr:`channel`.

        Raises
        ------
        ValueError
            If the batch is of a channel that is not one of the piezometers, or as
            :meth:`Component.update`.
        """
        if batch.channel not in self._index_of:
            raise ValueError(
                f"{self._label()}: batch is of channel {batch.channel!r}, the rule watches "
                f"{list(self.config.keys)}"
            )
        self._source = batch.channel
        self.last_us = self._last_of.get(batch.channel)
        relabelled = Batch(self.channel, {name: batch[name] for name in batch.names})
        try:
            events = super().update(relabelled)
        finally:
            if self.last_us is not None:
                self._last_of[batch.channel] = self.last_us
            self.last_us = max(self._last_of.values(), default=None)
        return events

    def _step(
        self, ts: Int64Array, columns: dict[str, np.ndarray[Any, Any]]
    ) -> tuple[dict[str, np.ndarray[Any, Any]], list[AlertEvent]]:
        outputs, events = super()._step(ts, columns)
        return {
            "factor_of_safety": outputs["measure"],
            "level": outputs["level"],
            "head": self._new_heads,
        }, events

    def _measure(self, ts: Int64Array, values: FloatArray) -> FloatArray:
        """F after each reading of the source piezometer, the others at their latest heads."""
        j = self._index_of[self._source]
        new = self.config.head(self._source, values, self.channel_unit)
        heads = np.tile(self._heads, (values.size, 1))
        heads[:, j] = new
        known = np.all(np.isfinite(heads), axis=1)
        factor = np.full(values.size, np.nan)
        start = 0
        for stop in self._search_points(values.size):
            rows = np.arange(start, stop)[known[start:stop]]
            factor[rows] = self.config.factors(heads[rows], self._slices)
            last = stop - 1
            due = self.search_every and (self.readings + stop) % self.search_every == 0
            if due and known[last] and self._search(heads[last]):
                factor[last] = self.config.factors(heads[last], self._slices)[0]
            start = stop
        self.readings += values.size
        self._heads[j] = new[-1]
        self._new_heads = new
        self._step_ts, self._step_heads = ts, heads  # for the messages of the events
        return factor

    def _search_points(self, n: int) -> list[int]:
        """Return the ends (exclusive) of the runs of readings between searches; the last is n."""
        if not self.search_every:
            return [n]
        first = self.search_every - self.readings % self.search_every
        return [*range(first, n, self.search_every), n]

    def _search(self, heads: FloatArray) -> bool:
        """Search the critical circle for these heads; move the watch to it. Return success."""
        assert self.search_grid is not None
        wet = section_with_piezometers(
            self.config.section,
            self.config.x_m,
            heads,
            toe_x=self.config.toe_x,
            extend=self.config.extend,
        )
        try:
            found = critical_circle(wet, *self.search_grid, n_slices=self.config.n_slices)
        except ValueError:
            return False
        self.circle = (found.centre_x, found.centre_y, found.radius)
        self._slices = self.config.cut(self.circle)
        self.searches += 1
        return True

    def _raise_context(self, at_us: int) -> str:
        """Name the heads that gave the factor of safety of a raised level."""
        row = self._step_heads[int(np.searchsorted(self._step_ts, at_us))]
        heads = ", ".join(
            f"{k} {h:.2f} m" for k, h in zip(self.config.keys, row, strict=True) if math.isfinite(h)
        )
        return f" (heads: {heads})"

    # -- state -----------------------------------------------------------------------------
    def _get_state(self) -> dict[str, Any]:
        return {
            **super()._get_state(),
            "heads_m": [None if not math.isfinite(h) else float(h) for h in self._heads],
            "last_us_of": dict(self._last_of),
            "readings": self.readings,
            "circle": None if self.circle is None else list(self.circle),
        }

    def _set_state(self, state: Mapping[str, Any]) -> None:
        super()._set_state(state)
        heads = state.get("heads_m", [])
        if len(heads) != len(self.config.keys):
            raise ValueError(
                f"{self._label()}: state has {len(heads)} heads, not {len(self.config.keys)}"
            )
        self._heads = np.array([np.nan if h is None else float(h) for h in heads])
        self._last_of = {str(k): int(v) for k, v in state.get("last_us_of", {}).items()}
        self.readings = int(state.get("readings", 0))
        circle = state.get("circle")
        if circle is not None and self.config.circular:
            self.circle = (float(circle[0]), float(circle[1]), float(circle[2]))
            self._slices = self.config.cut(self.circle)


# -- "what is F now" from the store --------------------------------------------------------------
@dataclass(frozen=True)
class SlopeFactorNow:
    """F from the latest stored reading of each piezometer.

    Attributes
    ----------
    factor_of_safety : float
        F on the watched surface by ``method``; NaN if the method finds none. [-]
    method : str
        Limit-equilibrium method.
    at : datetime
        The time asked about (UTC): readings at or before it were used.
    heads_m : dict of str to float
        Head of each piezometer used. [m]
    readings : dict of str to float
        The reading of each piezometer, in the channel's unit ``units[key]``.
    units : dict of str to str
        Unit of each channel's readings.
    reading_times : dict of str to datetime
        Time of each reading used (UTC).
    """

    factor_of_safety: float
    method: str
    at: datetime
    heads_m: dict[str, float]
    readings: dict[str, float]
    units: dict[str, str]
    reading_times: dict[str, datetime]

    @property
    def oldest_reading(self) -> datetime:
        """Time of the oldest reading used (how stale the answer may be)."""
        return min(self.reading_times.values())


def factor_from_store(
    target: Engine | str,
    site_id: int,
    config: SlopeWatchConfig,
    at: datetime | int | np.datetime64 | str | None = None,
) -> SlopeFactorNow:
    """Return F from the latest stored reading of each piezometer at or before ``at``.

    Each piezometer key of ``config`` is matched to a channel of the site as a rule set's
    key is (``"<sensor code>/<channel name>"``, ``"<channel id>"``, or a sole channel's
    sensor code: :func:`postmine.monitoring.channels.channel_keys`); its latest reading is
    one indexed query.

    Parameters
    ----------
    target : Engine or str
        Registry database (engine or URL).
    site_id : int
        Site of the piezometers. [-]
    config : SlopeWatchConfig
        Section, watched surface and piezometers.
    at : datetime, int µs, datetime64 or ISO string, optional
        The time (aware; UTC); now when omitted.

    Returns
    -------
    SlopeFactorNow
        F, and the heads, readings and reading times it used.

    Raises
    ------
    ValueError
        If a piezometer key matches no channel of the site (or two), a piezometer has no
        reading at or before ``at``, or a channel's unit does not convert.
    """
    engine = target if isinstance(target, Engine) else get_engine(target)
    at_us = to_us(datetime.now(UTC) if at is None else at)
    refs = [r for r in channel_refs(engine).values() if r.site_id == site_id]
    per_sensor = Counter(r.sensor_code for r in refs)
    by_key: dict[str, list[Any]] = {}
    for ref in refs:
        for key in channel_keys(ref, sole=per_sensor[ref.sensor_code] == 1):
            by_key.setdefault(key, []).append(ref)
    table = ReadingRow.__table__
    values, units, times = [], {}, {}
    with engine.connect() as connection:
        for key in config.keys:
            found = by_key.get(key, [])
            if len(found) != 1:
                what = "no channel" if not found else f"{len(found)} channels"
                raise ValueError(f"piezometer {key!r} matches {what} of site {site_id}")
            ref = found[0]
            row = connection.execute(
                select(table.c.ts_us, table.c.value)
                .where(table.c.channel_id == ref.id, table.c.ts_us <= at_us)
                .order_by(table.c.ts_us.desc())
                .limit(1)
            ).first()
            if row is None:
                raise ValueError(
                    f"piezometer {key!r} (channel {ref.id}) has no reading at or before "
                    f"{datetime_from_us(at_us).isoformat()}"
                )
            times[key] = datetime_from_us(row[0])
            units[key] = ref.unit
            values.append(float(row[1]))
    heads = np.array(
        [float(config.head(key, v, units[key])) for key, v in zip(config.keys, values, strict=True)]
    )
    factor = float(config.factors(heads)[0])
    return SlopeFactorNow(
        factor_of_safety=factor,
        method=config.method,
        at=datetime_from_us(at_us),
        heads_m={key: float(h) for key, h in zip(config.keys, heads, strict=True)},
        readings=dict(zip(config.keys, values, strict=True)),
        units=units,
        reading_times=times,
    )
