"""Stateful steps of the monitoring layer: the component base class and its registry.

Modelled on landlab's components: every monitoring rule is a class that *declares* what it
reads and what it writes — each a :class:`Port` with a name, a numpy dtype, a unit and a
one-line doc — and does its work in one method with a fixed name,
:meth:`Component.update`, which takes a :class:`Batch` of readings of one channel and
returns the :class:`~postmine.monitoring.alerts.AlertEvent` objects the batch caused. The
base class checks the batch against the declared inputs (and names what is missing), puts
the readings in time order, drops those not newer than the last one seen, and checks the
outputs the subclass returns against the declared outputs (kept in
:attr:`Component.last_outputs` for plots and tests). A clock-driven :meth:`Component.tick`
lets a rule act when no reading arrives (missing data, an expired calibration).

Components register themselves with :func:`register_component`, which checks their
declarations; :func:`registered_components` returns those registered so far by ``kind``.
The built-in kinds are listed, by explicit import, in
:mod:`postmine.monitoring.component_kinds`, whose :func:`~postmine.monitoring.component_kinds.
component_registry` the rule-set reader and the contract test of
``tests/monitoring/test_components.py`` use.

Readings are ``(channel, ts, value)``: ``ts`` in UTC with microsecond resolution
(``datetime64[us]``; naive times are taken as UTC), ``value`` in the channel's canonical
unit (see :mod:`postmine.monitoring.units`). Inside the components times are integers of
microseconds since 1970-01-01T00:00:00Z.

Examples
--------
>>> import numpy as np
>>> batch = Batch.from_readings("PZ-01", np.array(["2025-05-01T00:00", "2025-05-01T00:10"],
...                             dtype="datetime64[us]"), [101.5, 101.7])
>>> len(batch), batch["value"].dtype
(2, dtype('float64'))
"""

from __future__ import annotations

import abc
import math
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar, TypeVar

import numpy as np
import numpy.typing as npt

from postmine.monitoring.alerts import ALERT_KINDS, Action, AlertEvent, AlertKind, Level, utc

__all__ = [
    "TS",
    "VALUE",
    "Batch",
    "Component",
    "Port",
    "check_declarations",
    "datetime_from_us",
    "register_component",
    "registered_components",
    "to_us",
    "us_from_datetime",
]

#: Placeholders a port's unit may contain, filled per instance by :meth:`Component.unit_of`.
UNIT_PLACEHOLDERS = frozenset({"channel_unit", "rule_unit"})

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_IDENTIFIER = re.compile(r"[a-z][a-z0-9_]*")
_KIND = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*")

Int64Array = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


# -- time ------------------------------------------------------------------------------------
def us_from_datetime(moment: datetime) -> int:
    """Return microseconds since 1970-01-01T00:00:00Z of a datetime (naive = UTC).

    Examples
    --------
    >>> us_from_datetime(datetime(1970, 1, 1, 0, 0, 1))
    1000000
    """
    delta = utc(moment) - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def datetime_from_us(us: int | np.integer[Any]) -> datetime:
    """Return the aware UTC datetime of microseconds since 1970-01-01T00:00:00Z.

    Examples
    --------
    >>> datetime_from_us(1_000_000).isoformat()
    '1970-01-01T00:00:01+00:00'
    """
    return _EPOCH + timedelta(microseconds=int(us))


def to_us(ts: Any) -> Int64Array:
    """Return time stamps as int64 microseconds since 1970-01-01T00:00:00Z (UTC).

    Accepts a ``datetime64`` array (any resolution), a sequence of ``datetime`` (aware ones
    are converted to UTC, naive ones taken as UTC), ISO 8601 strings, or integers that are
    already microseconds.

    Raises
    ------
    ValueError
        If the time stamps cannot be read.

    Examples
    --------
    >>> to_us(["1970-01-01T00:00:02"])
    array([2000000])
    """
    if isinstance(ts, np.ndarray) and ts.dtype.kind == "M":
        return ts.astype("datetime64[us]").view(np.int64)
    items = list(ts) if not isinstance(ts, np.ndarray) else ts.tolist()
    if items and all(isinstance(x, datetime) for x in items):
        return np.fromiter((us_from_datetime(x) for x in items), np.int64, len(items))
    array = np.asarray(items)
    if array.size == 0:
        return np.zeros(0, np.int64)
    if array.dtype.kind in "iu":
        return array.astype(np.int64)
    try:
        return array.astype("datetime64[us]").view(np.int64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"ts must be times (datetime64, datetime or ISO 8601): {exc}") from None


# -- declarations ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Port:
    """One declared input or output of a component.

    Attributes
    ----------
    name : str
        Column name in the batch (inputs) or in :attr:`Component.last_outputs` (outputs).
    dtype : str
        numpy dtype (``"float64"``, ``"datetime64[us]"``, ``"int8"``, ``"bool"``).
    unit : str
        Unit; ``"-"`` for a pure number or flag, ``"UTC"`` for time stamps; may contain
        ``{channel_unit}`` or ``{rule_unit}``, filled per instance.
    doc : str
        One sentence saying what it is.
    """

    name: str
    dtype: str
    unit: str
    doc: str


TS = Port("ts", "datetime64[us]", "UTC", "Time stamp of the reading, UTC, microseconds.")
VALUE = Port("value", "float64", "{channel_unit}", "Reading in the channel's canonical unit.")


class Batch:
    """Readings of one channel: named columns of equal length (``ts`` and ``value`` at least).

    Parameters
    ----------
    channel : str
        Channel the readings belong to.
    columns : mapping of str to array_like
        One-dimensional columns of equal length.

    Raises
    ------
    ValueError
        If the channel is empty, or a column is not one-dimensional or differs in length.
    """

    __slots__ = ("_columns", "channel")

    def __init__(self, channel: str, columns: Mapping[str, npt.ArrayLike]) -> None:
        if not isinstance(channel, str) or not channel:
            raise ValueError(f"channel must be non-empty text, got {channel!r}")
        self.channel = channel
        self._columns: dict[str, np.ndarray[Any, Any]] = {}
        length: int | None = None
        for name, data in columns.items():
            array = np.asarray(data)
            if array.ndim != 1:
                raise ValueError(f"column {name!r} must be one-dimensional, got {array.shape}")
            if length is not None and array.size != length:
                raise ValueError(
                    f"columns must have equal lengths, {name!r} has {array.size}, not {length}"
                )
            length = array.size
            self._columns[name] = array

    @classmethod
    def from_readings(
        cls, channel: str, ts: Any, value: npt.ArrayLike, **columns: npt.ArrayLike
    ) -> Batch:
        """Make a batch from time stamps (see :func:`to_us`) and values (any numbers).

        Raises
        ------
        ValueError
            If the time stamps cannot be read or the columns differ in length.
        """
        stamps = to_us(ts).view("datetime64[us]")
        values = np.asarray(value, dtype=np.float64).reshape(-1)
        return cls(channel, {"ts": stamps, "value": values, **columns})

    def __getitem__(self, name: str) -> np.ndarray[Any, Any]:
        return self._columns[name]

    def __contains__(self, name: object) -> bool:
        return name in self._columns

    def __len__(self) -> int:
        return next(iter(self._columns.values())).size if self._columns else 0

    @property
    def names(self) -> tuple[str, ...]:
        """Names of the columns."""
        return tuple(self._columns)

    def __repr__(self) -> str:
        return f"Batch(channel={self.channel!r}, n={len(self)}, columns={list(self._columns)})"


def _placeholders(unit: str) -> set[str]:
    try:
        return {f for _, f, _, _ in string.Formatter().parse(unit) if f is not None}
    except ValueError:
        return {"<malformed braces>"}


def check_declarations(cls: type[Component]) -> list[str]:
    """Return what is missing or wrong in a component class's declarations (empty if none).

    Checked: ``kind`` (dotted lower-case), ``alert_kind``, a class docstring, non-empty
    ``inputs`` (with ``ts``) and ``outputs``, and for each port a lower-case identifier as
    name (unique within its group), a dtype numpy knows, a unit (with known placeholders
    only) and a doc sentence.
    """
    problems: list[str] = []
    name = cls.__name__
    if not isinstance(cls.kind, str) or not _KIND.fullmatch(cls.kind):
        problems.append(f"{name}.kind must be dotted lower-case text, got {cls.kind!r}")
    if cls.alert_kind not in ALERT_KINDS:
        problems.append(f"{name}.alert_kind must be one of {ALERT_KINDS}, got {cls.alert_kind!r}")
    if not (cls.__doc__ or "").strip():
        problems.append(f"{name} has no docstring")
    for group in ("inputs", "outputs"):
        ports = getattr(cls, group)
        if not ports:
            problems.append(f"{name}.{group} declares nothing")
        seen: set[str] = set()
        for port in ports:
            if not isinstance(port, Port):
                problems.append(f"{name}.{group} holds {port!r}, not a Port")
                continue
            where = f"{name}.{group}[{port.name!r}]"
            if not isinstance(port.name, str) or not _IDENTIFIER.fullmatch(port.name):
                problems.append(f"{where}: name must be a lower-case identifier")
            if port.name in seen:
                problems.append(f"{where}: declared twice")
            seen.add(port.name)
            try:
                np.dtype(port.dtype)
            except TypeError:
                problems.append(f"{where}: dtype {port.dtype!r} is not a numpy dtype")
            if not isinstance(port.unit, str) or not port.unit.strip():
                problems.append(f"{where}: no unit (use '-' for a pure number)")
            elif unknown := _placeholders(port.unit) - UNIT_PLACEHOLDERS:
                problems.append(f"{where}: unknown unit placeholder(s) {sorted(unknown)}")
            if not isinstance(port.doc, str) or len(port.doc.strip()) < 10:
                problems.append(f"{where}: no doc")
    if "ts" not in {p.name for p in cls.inputs if isinstance(p, Port)}:
        problems.append(f"{name}.inputs must include 'ts' (the readings' time stamps)")
    return problems


# -- the base class --------------------------------------------------------------------------
class Component(abc.ABC):
    """Base class of the stateful monitoring steps (rules).

    A subclass declares the class attributes ``kind`` (registry key, e.g. ``"tarp.rate"``),
    ``alert_kind`` (``"tarp"`` or ``"data-quality"``), ``inputs`` and ``outputs`` (tuples of
    :class:`Port`), and implements :meth:`_step` and :meth:`example`; a clock-driven rule
    also overrides :meth:`tick`, and a rule with state beyond the last time stamp overrides
    :meth:`_get_state` and :meth:`_set_state`.

    Parameters
    ----------
    name : str
        Name of the rule (unique in its rule set); names the alerts it raises.
    channel : str
        Channel whose readings it watches.
    channel_unit : str
        Canonical unit of the channel's readings.

    Raises
    ------
    ValueError
        If a name is empty.
    """

    kind: ClassVar[str] = ""
    alert_kind: ClassVar[AlertKind] = "tarp"
    inputs: ClassVar[tuple[Port, ...]] = (TS, VALUE)
    outputs: ClassVar[tuple[Port, ...]] = ()

    def __init__(self, name: str, channel: str, *, channel_unit: str) -> None:
        for label, text in (("name", name), ("channel", channel), ("channel_unit", channel_unit)):
            if not isinstance(text, str) or not text.strip():
                raise ValueError(f"{label} must be non-empty text, got {text!r}")
        self.name = name
        self.channel = channel
        self.channel_unit = channel_unit
        self.last_us: int | None = None
        self.skipped = 0
        self.last_ts: npt.NDArray[np.datetime64] = np.zeros(0, "datetime64[us]")
        self.last_outputs: dict[str, np.ndarray[Any, Any]] = {}

    # -- declarations ----------------------------------------------------------------------
    @property
    def rule_unit(self) -> str:
        """Unit of the rule's measure (the channel's unit unless a subclass says otherwise)."""
        return self.channel_unit

    def unit_of(self, port: str) -> str:
        """Return the unit of a declared input or output, placeholders filled.

        Raises
        ------
        KeyError
            If no port has that name.
        """
        for declared in (*self.inputs, *self.outputs):
            if declared.name == port:
                return declared.unit.format(
                    channel_unit=self.channel_unit, rule_unit=self.rule_unit
                )
        raise KeyError(f"{type(self).__name__} declares no port {port!r}")

    @classmethod
    @abc.abstractmethod
    def example(cls) -> Component:
        """Return an instance with typical parameters (used by the contract test)."""

    # -- work ------------------------------------------------------------------------------
    def update(self, batch: Batch) -> list[AlertEvent]:
        """Process a batch of readings of the channel; return the alert events it caused.

        The readings are put in time order; those not newer than the last one processed
        (late or duplicate ones, which the storage keeps) are skipped and counted in
        :attr:`skipped`; of equal time stamps the first is kept. The outputs for the
        readings processed are left in :attr:`last_outputs`, their times in :attr:`last_ts`.

        Raises
        ------
        ValueError
            If the batch is of another channel, lacks a declared input (each one missing is
            named with its dtype, unit and doc), has one of an unusable dtype, or holds a
            non-finite value.
        """
        if batch.channel != self.channel:
            raise ValueError(
                f"{self._label()}: batch is of channel {batch.channel!r}, "
                f"the rule watches {self.channel!r}"
            )
        columns = self._read_inputs(batch)
        ts = columns.pop("ts").view(np.int64)
        if ts.size > 1 and bool(np.any(ts[1:] < ts[:-1])):
            order = np.argsort(ts, kind="stable")
            ts = ts[order]
            columns = {k: v[order] for k, v in columns.items()}
        keep = np.ones(ts.size, dtype=bool)
        if ts.size:
            keep[1:] = ts[1:] > ts[:-1]
            if self.last_us is not None:
                keep &= ts > self.last_us
        if not keep.all():
            self.skipped += int(ts.size - keep.sum())
            ts = ts[keep]
            columns = {k: v[keep] for k, v in columns.items()}
        for port in self.inputs:
            column = columns.get(port.name)
            if column is not None and column.dtype.kind == "f" and not np.isfinite(column).all():
                bad = np.flatnonzero(~np.isfinite(column))
                raise ValueError(
                    f"{self._label()}: {port.name} must be finite, {bad.size} reading(s) are "
                    f"NaN or infinite (first at {datetime_from_us(ts[bad[0]]).isoformat()})"
                )
        if ts.size == 0:
            self.last_ts = np.zeros(0, "datetime64[us]")
            self.last_outputs = {p.name: np.zeros(0, p.dtype) for p in self.outputs}
            return []
        outputs, events = self._step(ts, columns)
        self._check_outputs(outputs, ts.size)
        self.last_us = int(ts[-1])
        self.last_ts = ts.view("datetime64[us]")
        self.last_outputs = outputs
        return events

    def tick(self, now: datetime) -> list[AlertEvent]:
        """Let the clock act (no reading needed); return the alert events. Default: none."""
        utc(now)
        return []

    @abc.abstractmethod
    def _step(
        self, ts: Int64Array, columns: dict[str, np.ndarray[Any, Any]]
    ) -> tuple[dict[str, np.ndarray[Any, Any]], list[AlertEvent]]:
        """Do the work on new readings in time order (``ts`` in µs); return outputs, events."""

    # -- checks ----------------------------------------------------------------------------
    def _label(self) -> str:
        return f"{self.kind} rule {self.name!r}"

    def _read_inputs(self, batch: Batch) -> dict[str, np.ndarray[Any, Any]]:
        missing = [p for p in self.inputs if p.name not in batch]
        if missing:
            what = "; ".join(
                f"{p.name!r} ({p.dtype}, [{self.unit_of(p.name)}]): {p.doc}" for p in missing
            )
            raise ValueError(f"{self._label()} needs input(s) missing from the batch: {what}")
        out: dict[str, np.ndarray[Any, Any]] = {}
        for port in self.inputs:
            column = batch[port.name]
            want = np.dtype(port.dtype)
            if want.kind == "M":
                ok = column.dtype.kind == "M"
            elif want.kind == "f":
                ok = column.dtype.kind in "fiu"
            else:
                ok = np.can_cast(column.dtype, want, "same_kind")
            if not ok:
                raise ValueError(
                    f"{self._label()}: input {port.name!r} must be {port.dtype}, got {column.dtype}"
                )
            out[port.name] = column.astype(want, copy=False)
        return out

    def _check_outputs(self, outputs: Mapping[str, np.ndarray[Any, Any]], size: int) -> None:
        declared = {p.name: p for p in self.outputs}
        if set(outputs) != set(declared):
            raise RuntimeError(
                f"{self._label()} returned outputs {sorted(outputs)}, declared {sorted(declared)}"
            )
        for name, array in outputs.items():
            if array.shape != (size,) or array.dtype != np.dtype(declared[name].dtype):
                raise RuntimeError(
                    f"{self._label()}: output {name!r} is {array.dtype}{array.shape}, "
                    f"declared {declared[name].dtype}({size},)"
                )

    # -- events ----------------------------------------------------------------------------
    def _event(
        self,
        action: Action,
        level: Level,
        at_us: int | np.integer[Any],
        value: float | None,
        message: str,
        *,
        unit: str | None = None,
        escalate_after_s: float | None = None,
    ) -> AlertEvent:
        return AlertEvent(
            action,
            self.channel,
            self.name,
            self.alert_kind,
            level,
            datetime_from_us(at_us),
            value=None if value is None or not math.isfinite(value) else float(value),
            unit=self.rule_unit if unit is None else unit,
            message=message,
            escalate_after_s=escalate_after_s if action == "raise" else None,
        )

    # -- state -----------------------------------------------------------------------------
    def get_state(self) -> dict[str, Any]:
        """Return the rule's state as JSON-ready data (to persist across a restart)."""
        return {
            "kind": self.kind,
            "name": self.name,
            "channel": self.channel,
            "last_us": self.last_us,
            "skipped": self.skipped,
            **{k: _jsonable(v) for k, v in self._get_state().items()},
        }

    def set_state(self, state: Mapping[str, Any]) -> None:
        """Restore a state returned by :meth:`get_state` of a rule of the same kind and name.

        Raises
        ------
        ValueError
            If the state is of another kind, rule or channel.
        """
        for key in ("kind", "name", "channel"):
            if state.get(key) != getattr(self, key):
                raise ValueError(
                    f"{self._label()}: state is of {key} {state.get(key)!r}, "
                    f"not {getattr(self, key)!r}"
                )
        self.last_us = None if state["last_us"] is None else int(state["last_us"])
        self.skipped = int(state.get("skipped", 0))
        own = {k: v for k, v in state.items() if k not in _BASE_STATE}
        self._set_state(own)

    def _get_state(self) -> dict[str, Any]:
        return {}

    def _set_state(self, state: Mapping[str, Any]) -> None:
        return None

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r}, channel={self.channel!r})"


_BASE_STATE = frozenset({"kind", "name", "channel", "last_us", "skipped"})


def _jsonable(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    return value


# -- registry --------------------------------------------------------------------------------
_REGISTRY: dict[str, type[Component]] = {}
C = TypeVar("C", bound=type[Component])


def register_component(cls: C) -> C:
    """Register a component class under its ``kind`` (use as a class decorator).

    Raises
    ------
    TypeError
        If the declarations are incomplete (see :func:`check_declarations`) or another
        class is registered under the same kind.
    """
    problems = check_declarations(cls)
    if problems:
        raise TypeError("; ".join(problems))
    other = _REGISTRY.get(cls.kind)
    if other is not None and other.__qualname__ != cls.__qualname__:
        raise TypeError(f"kind {cls.kind!r} is already registered by {other.__qualname__}")
    _REGISTRY[cls.kind] = cls
    return cls


def registered_components() -> dict[str, type[Component]]:
    """Return the component classes registered so far, by kind (sorted).

    Only classes whose modules have been imported are registered; for the built-in kinds
    use :func:`postmine.monitoring.component_kinds.component_registry`.
    """
    return dict(sorted(_REGISTRY.items()))
