"""Units of monitoring channels: canonical units per quantity and conversion on ingestion.

Every channel stores its readings in the canonical unit of its quantity (:data:`QUANTITIES`):
kPa for pore pressure, mm for displacement, mg/L for dissolved constituents, °C for
temperature ... A reading that arrives in another unit (``"unit": "bar"`` in an MQTT
payload, ``pore_pressure [psi]`` in a logger file, or the channel's ``source_unit``) is
converted with pint when it is ingested, so the store, the rules and the plots never see a
foreign unit.

Unit text is read by pint (``kPa``, ``mg/L``, ``µS/cm``, ``degF``, ``m³/h``) with three
additions for logger output: an exponent written as a bare digit after a unit symbol
(``m3/h``, ``g/m3``) is read as a power; ``pH`` is the pH unit (pint alone reads it as a
picohenry) and has its own dimension, so nothing but pH converts to it; ``NTU`` (turbidity)
likewise. A few spellings pint would misread are mapped first (``deg C`` would be
coulomb·degree): see :data:`ALIASES`.

An unknown unit, or one whose dimension differs from the channel's (mm into kPa), raises
:class:`UnitError`, a ``ValueError`` whose message names both units and their dimensions;
ingestion turns it into a dead letter with that message as the reason.

Examples
--------
>>> canonical_unit("pore_pressure")
'kPa'
>>> convert([1.0, 2.5], "bar", "kPa")
array([100., 250.])
>>> round(float(convert(212.0, "degF", "degC")), 9)
100.0
>>> convert(1.0, "mm", "s")
Traceback (most recent call last):
...
postmine.monitoring.units.UnitError: cannot convert mm to s: mm is [length], s is [time]
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:  # pint is imported when a unit is first read (it takes ~0.1 s)
    import pint

__all__ = [
    "ALIASES",
    "QUANTITIES",
    "QUANTITY_NAMES",
    "Quantity",
    "UnitError",
    "canonical_unit",
    "check_unit",
    "convert",
    "converter",
    "unit_registry",
]


class UnitError(ValueError):
    """A unit that pint cannot read, or that cannot be converted to the channel's unit."""


@dataclass(frozen=True)
class Quantity:
    """A measured quantity: its canonical (stored) unit and what it is."""

    unit: str
    description: str


QUANTITIES: dict[str, Quantity] = {
    "pore_pressure": Quantity("kPa", "Pore-water pressure (piezometer)."),
    "water_level": Quantity(
        "m", "Water level: elevation or depth below the reference, as the channel says."
    ),
    "displacement": Quantity(
        "mm", "Displacement (extensometer, inclinometer, GNSS or prism component)."
    ),
    "velocity": Quantity("mm/day", "Displacement rate reported by the instrument (radar)."),
    "tilt": Quantity("deg", "Tilt or inclination angle (inclinometer, tiltmeter)."),
    "strain": Quantity("microstrain", "Strain (strain gauge)."),
    "flow_rate": Quantity("L/s", "Volume flow rate of water (weir, flow meter)."),
    "ph": Quantity("pH", "pH of water."),
    "electrical_conductivity": Quantity("µS/cm", "Specific electrical conductance (EC)."),
    "concentration": Quantity(
        "mg/L", "Dissolved concentration in water (sulphate, Fe, Mn, Cu, Zn, As, Cd, Pb ...)."
    ),
    "dust_concentration": Quantity("µg/m³", "Mass concentration of dust in air (PM10)."),
    "rainfall": Quantity("mm", "Rainfall depth over the reporting interval."),
    "temperature": Quantity("degC", "Temperature (air, water, ground, sensor)."),
    "turbidity": Quantity("NTU", "Turbidity of water."),
}
"""Quantities a channel may measure, each with the canonical unit its readings are stored
in. Practice units of geotechnical and environmental monitoring are kept where they are the
ones thresholds are written in (kPa, mm, mm/day, mg/L, µS/cm, °C) rather than strict SI."""

QUANTITY_NAMES: tuple[str, ...] = tuple(QUANTITIES)
"""Names of the quantities, in table order (the choices of ``channels.quantity``)."""

ALIASES: dict[str, str] = {
    "deg c": "degC",
    "deg f": "degF",
    "°": "degree",
    "-": "dimensionless",
    "ue": "microstrain",
    "µe": "microstrain",
    "mm h2o": "mmH2O",
    "m h2o": "mH2O",
    "cm h2o": "cmH2O",
}
"""Unit spellings of logger output that pint would misread or not read, and their reading;
matched ignoring case (Campbell Scientific loggers write ``Deg C``)."""

_POWER = re.compile(r"(?<=[A-Za-zµμ])([23])(?![\dA-Za-z])")


@cache
def unit_registry() -> pint.UnitRegistry[Any]:
    """Return the pint unit registry of postmine (created on first use).

    It is pint's default registry plus the ``pH`` and ``NTU`` units, each with a dimension
    of its own, and the exponent pre-processor described in the module docstring.
    """
    import pint

    registry: pint.UnitRegistry[Any] = pint.UnitRegistry()
    registry.define("pH = [acidity]")
    registry.define("NTU = [turbidity]")
    registry.preprocessors.append(lambda text: _POWER.sub(r"**\1", text))
    return registry


@lru_cache(maxsize=1024)
def _parse(unit: str) -> pint.Unit:
    if not isinstance(unit, str) or not unit.strip():
        raise UnitError(f"unit must be non-empty text, got {unit!r}")
    text = ALIASES.get(unit.strip().lower(), unit.strip())
    registry = unit_registry()
    try:
        return registry.Unit(text)
    except Exception:  # pint raises UndefinedUnitError, but also syntax errors
        raise UnitError(f"unknown unit {unit!r}") from None


def check_unit(unit: str) -> str:
    """Return ``unit`` stripped if pint can read it; raise :class:`UnitError` if not.

    Parameters
    ----------
    unit : str
        Unit text, e.g. ``"kPa"``, ``"m3/h"``. [-]

    Returns
    -------
    str
        The text, stripped of surrounding blanks.

    Raises
    ------
    UnitError
        If the text is empty or names no unit pint knows.

    Examples
    --------
    >>> check_unit(" m3/h ")
    'm3/h'
    >>> check_unit("kPaa")
    Traceback (most recent call last):
    ...
    postmine.monitoring.units.UnitError: unknown unit 'kPaa'
    """
    _parse(unit)
    return unit.strip()


def canonical_unit(quantity: str) -> str:
    """Return the unit readings of a quantity are stored in.

    Raises
    ------
    ValueError
        If the quantity is not one of :data:`QUANTITIES`.
    """
    try:
        return QUANTITIES[quantity].unit
    except KeyError:
        raise ValueError(
            f"quantity must be one of {', '.join(QUANTITY_NAMES)}, got {quantity!r}"
        ) from None


Converter = Callable[[npt.ArrayLike], npt.NDArray[np.float64]]


@lru_cache(maxsize=1024)
def converter(source: str, target: str) -> Converter:
    """Return a function converting values from ``source`` to ``target`` units.

    Every conversion between linear units, and between temperature scales, is affine
    (``y = a·x + b``); the coefficients are found once with pint and the returned function
    applies them with numpy, so converting a batch costs one multiply-add.

    Parameters
    ----------
    source, target : str
        Units to convert from and to. [-]

    Returns
    -------
    callable
        ``f(values) -> ndarray`` of float64.

    Raises
    ------
    UnitError
        If a unit is unknown or the two have different dimensions.

    Examples
    --------
    >>> to_kpa = converter("psi", "kPa")
    >>> to_kpa([0.0, 1.0]).round(4)
    array([0.    , 6.8948])
    """
    src, dst = _parse(source), _parse(target)
    if src.dimensionality != dst.dimensionality:
        raise UnitError(
            f"cannot convert {source.strip()} to {target.strip()}: {source.strip()} is "
            f"{_dimension(src)}, {target.strip()} is {_dimension(dst)}"
        )
    registry = unit_registry()

    def exact(values: npt.ArrayLike) -> npt.NDArray[np.float64]:
        array = np.asarray(values, dtype=np.float64)
        return np.asarray(registry.Quantity(array, src).to(dst).magnitude, dtype=np.float64)

    b, a_plus_b, probe = (float(v) for v in exact(np.array([0.0, 1.0, 1000.0])))
    a = a_plus_b - b
    if not math.isclose(a * 1000.0 + b, probe, rel_tol=1e-12, abs_tol=1e-12):
        return exact  # pragma: no cover - no non-affine unit (logarithmic) is a channel unit
    if a == 1.0 and b == 0.0:
        return lambda values: np.asarray(values, dtype=np.float64)
    return lambda values: np.asarray(values, dtype=np.float64) * a + b


def _dimension(unit: pint.Unit) -> str:
    text = str(unit.dimensionality)
    return "dimensionless" if text == "dimensionless" else text


def convert(values: npt.ArrayLike, source: str, target: str) -> npt.NDArray[np.float64]:
    """Convert values from ``source`` to ``target`` units (see :func:`converter`).

    Parameters
    ----------
    values : float or array_like
        Values in ``source`` units. [source]
    source, target : str
        Units to convert from and to. [-]

    Returns
    -------
    ndarray
        The values in ``target`` units (a 0-d array for a scalar). [target]

    Raises
    ------
    UnitError
        If a unit is unknown or the two have different dimensions.
    """
    return converter(source, target)(values)
