"""The rule-set file: TOML text read into a validated monitoring rule set.

Rule sets are data: a TOML file read by :func:`read_rule_set` / :func:`parse_rule_set` (the
format is in the docstring of :func:`parse_rule_set`) into a
:class:`~postmine.monitoring.rule_set.MonitoringRuleSet`, validated on load (thresholds
ordered, windows positive, units declared and convertible, no unknown keys), and turned into
components by :meth:`~postmine.monitoring.rule_set.MonitoringRuleSet.build`. Each kind of
table has its reader: ``[[tarp]]`` (:func:`tarp_spec`: the rules of
:mod:`postmine.monitoring.tarp`), ``[[slope]]`` (:func:`slope_spec`: the live factor of
safety of :mod:`postmine.monitoring.slope_watch`, one component fed by every piezometer
channel of a slope section file, its alerts raised on one of them) and ``[[quality]]``
(:func:`quality_specs`, one reader per check of :mod:`postmine.monitoring.quality`).
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any, cast

import numpy as np

from postmine.geotech.limit_equilibrium import METHODS
from postmine.geotech.section_file import SlopeFile, read_section_file
from postmine.geotech.slip_search import auto_search_grid
from postmine.monitoring.alerts import Level
from postmine.monitoring.component_kinds import component_registry
from postmine.monitoring.components import FloatArray
from postmine.monitoring.rule_set import FORMAT_VERSION, ChannelSpec, MonitoringRuleSet, RuleSpec
from postmine.monitoring.slope_watch import DEFAULT_THRESHOLDS, READINGS, SlopeWatchConfig
from postmine.monitoring.tarp import MEASURES, parse_duration
from postmine.monitoring.units import converter

__all__ = [
    "parse_rule_set",
    "quality_specs",
    "read_rule_set",
    "slope_spec",
    "tarp_spec",
]

_TOP_KEYS = {
    "format_version",
    "id",
    "title",
    "description",
    "channels",
    "tarp",
    "quality",
    "slope",
}
_CHANNEL_KEYS = {"unit", "expected_interval", "calibration_due", "description"}
_TARP_KEYS = {
    "name",
    "channel",
    "measure",
    "unit",
    "thresholds",
    "direction",
    "deadband",
    "hold",
    "escalate_after",
    "description",
}
_WINDOW_KEYS = {"window", "min_points"}
_SLOPE_KEYS = {
    "name",
    "section_file",
    "channel",
    "thresholds",
    "deadband",
    "hold",
    "escalate_after",
    "method",
    "reading",
    "search_every",
    "description",
}
_QUALITY_COMMON = {"name", "channel", "check", "level", "escalate_after", "description"}
_QUALITY_KEYS = {
    "missing": {"factor", "expected_interval"},
    "stuck": {"tolerance", "unit", "min_readings", "min_duration"},
    "spike": {"window_readings", "z_limit", "max_jump", "min_mad", "unit"},
    "calibration": {"calibration_due"},
}


class _Reader:
    """Reads one rule-set table, naming where a problem is."""

    def __init__(self, where: str, table: Any, allowed: set[str]) -> None:
        if not isinstance(table, dict):
            raise ValueError(f"{where} must be a table, got {table!r}")
        unknown = sorted(set(table) - allowed)
        if unknown:
            raise ValueError(
                f"{where}: unknown key(s) {', '.join(unknown)}; "
                f"allowed: {', '.join(sorted(allowed))}"
            )
        self.where, self.table = where, table

    def text(self, key: str, default: str | None = None) -> str:
        value = self.table.get(key, default)
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"{self.where}: {key} must be non-empty text, got {value!r}")
        return value.strip()

    def number(self, key: str, default: float | None = None) -> float:
        value = self.table.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"{self.where}: {key} must be a number, got {value!r}")
        return float(value)

    def integer(self, key: str, default: int | None = None) -> int:
        value = self.table.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{self.where}: {key} must be an integer, got {value!r}")
        return value

    def duration(self, key: str, default: str | None = None) -> float:
        value = self.table.get(key, default)
        if value is None:
            raise ValueError(f"{self.where}: {key} must be given (a duration such as '6h')")
        if not isinstance(value, str):
            raise ValueError(f"{self.where}: {key} must be text with a unit such as '6h'")
        return parse_duration(value, f"{self.where}: {key}")

    def optional(self, key: str) -> Any:
        return self.table.get(key)


def _calibration_due(where: str, value: Any) -> date | datetime:
    if isinstance(value, date):  # datetime is a date too
        return value
    raise ValueError(f"{where}: calibration_due must be a TOML date (2026-03-31), got {value!r}")


def _escalate(reader: _Reader) -> float | dict[Level, float] | None:
    value = reader.optional("escalate_after")
    if value is None:
        return None
    if isinstance(value, dict):
        return {
            Level.parse(k): parse_duration(v, f"{reader.where}: escalate_after.{k}")
            if isinstance(v, str)
            else _bad_duration(reader.where, k, v)
            for k, v in value.items()
        }
    if not isinstance(value, str):
        return _bad_duration(reader.where, "", value)
    return parse_duration(value, f"{reader.where}: escalate_after")


def _bad_duration(where: str, key: str, value: Any) -> float:
    name = f"escalate_after.{key}" if key else "escalate_after"
    raise ValueError(f"{where}: {name} must be text with a unit such as '30min', got {value!r}")


def _thresholds(where: str, thresholds: Any, example: str) -> dict[Level, float]:
    if not isinstance(thresholds, dict) or not thresholds:
        raise ValueError(f"{where}: thresholds must be a table such as {{ {example} }}")
    return {Level.parse(k): _threshold(where, k, v) for k, v in thresholds.items()}


def _threshold(where: str, key: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{where}: thresholds.{key} must be a number, got {value!r}")
    return float(value)


def tarp_spec(where: str, table: Any, channels: Mapping[str, ChannelSpec]) -> RuleSpec:
    """Return the spec of a ``[[tarp]]`` table: a value, rate or acceleration trigger.

    Parameters
    ----------
    where : str
        Where the table is (``"tarp[0]"``), for messages.
    table : dict
        The TOML table.
    channels : mapping of str to ChannelSpec
        The channels the rule set declares.

    Returns
    -------
    RuleSpec
        Kind ``tarp.value``, ``tarp.rate`` or ``tarp.acceleration``
        (:mod:`postmine.monitoring.tarp`) and its arguments.

    Raises
    ------
    ValueError
        If a key is unknown, missing or of the wrong type, or the channel is not declared.
    """
    measure = table.get("measure") if isinstance(table, dict) else None
    if measure not in MEASURES:
        raise ValueError(f"{where}: measure must be one of {', '.join(MEASURES)}, got {measure!r}")
    allowed = _TARP_KEYS | (_WINDOW_KEYS if measure != "value" else set())
    reader = _Reader(where, table, allowed)
    name, channel = reader.text("name"), reader.text("channel")
    if channel not in channels:
        raise ValueError(f"{where}: channel {channel!r} is not declared under [channels]")
    params: dict[str, Any] = {
        "unit": reader.text("unit"),
        "thresholds": _thresholds(where, reader.optional("thresholds"), "alert = 5.0"),
        "direction": reader.text("direction", "rising"),
        "deadband": reader.number("deadband", 0.0),
        "hold_s": reader.duration("hold", "0s"),
        "escalate_after_s": _escalate(reader),
    }
    if measure != "value":
        params["window_s"] = reader.duration("window")
        params["min_points"] = reader.integer("min_points", 3)
    return RuleSpec(name, channel, f"tarp.{measure}", params)


def _base_dir(origin: str) -> Path:
    """Directory relative section files are found from: the rule-set file's, else the CWD."""
    file = Path(origin)
    return file.parent if origin and file.is_file() else Path.cwd()


def _read_slope_file(
    where: str, reader: _Reader, channels: Mapping[str, ChannelSpec], base: Path
) -> tuple[Path, SlopeFile]:
    """Read the ``section_file`` of a ``[[slope]]`` table; check its piezometers are declared."""
    path = Path(reader.text("section_file")).expanduser()
    path = path if path.is_absolute() else base / path
    try:
        slope = read_section_file(path)
    except (ValueError, OSError) as exc:
        raise ValueError(f"{where}: section_file: {exc}") from None
    keys = [p.channel for p in slope.piezometers]
    if not keys:
        raise ValueError(f"{where}: section_file {path} lists no [[piezometers]] to watch")
    missing = [key for key in keys if key not in channels]
    if missing:
        shown = ", ".join(repr(key) for key in missing)
        raise ValueError(
            f"{where}: piezometer channel(s) {shown} of section_file {path} must be declared "
            "under [channels]"
        )
    units = {key: channels[key].unit for key in keys}
    if len(set(units.values())) > 1:
        shown = ", ".join(f"{key} {unit}" for key, unit in units.items())
        raise ValueError(
            f"{where}: the piezometer channels must share one unit (each reading is converted "
            f"with it), got {shown}"
        )
    return path, slope


def _search_grid(slope: SlopeFile) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Grid of the circle search: the file's ``[search]`` axes, the others automatic."""
    spec = slope.search
    auto = auto_search_grid(slope.section)
    axes = (auto.centre_x, auto.centre_y, auto.radius)
    given = (None, None, None) if spec is None else (spec.centre_x, spec.centre_y, spec.radius)
    x, y, r = (
        default if g is None else np.linspace(g[0], g[1], int(g[2]))
        for g, default in zip(given, axes, strict=True)
    )
    return x, y, r


def slope_spec(where: str, table: Any, channels: Mapping[str, ChannelSpec], base: Path) -> RuleSpec:
    """Return the spec of a ``[[slope]]`` table: F of a section file from its piezometers.

    Parameters
    ----------
    where : str
        Where the table is (``"slope[0]"``), for messages.
    table : dict
        The TOML table.
    channels : mapping of str to ChannelSpec
        The channels the rule set declares (every piezometer of the file among them).
    base : Path
        Directory a relative ``section_file`` is found from.

    Returns
    -------
    RuleSpec
        Kind ``tarp.slope_factor`` (:class:`~postmine.monitoring.slope_watch.SlopeFactorWatch`)
        and its arguments.

    Raises
    ------
    ValueError
        If a key is unknown or wrong, the section file cannot be read or lists no declared
        piezometers, or their channels differ in unit.
    """
    reader = _Reader(where, table, _SLOPE_KEYS)
    name = reader.text("name")
    path, slope = _read_slope_file(where, reader, channels, base)
    keys = [p.channel for p in slope.piezometers]
    channel = reader.text("channel", keys[0])
    if channel not in keys:
        raise ValueError(
            f"{where}: channel {channel!r} must be one of the piezometers of section_file "
            f"{path}: {keys}"
        )
    method = reader.text("method", "bishop")
    if method not in METHODS:
        raise ValueError(f"{where}: method must be one of {', '.join(METHODS)}, got {method!r}")
    reading = reader.text("reading", "pressure")
    if reading not in READINGS:
        raise ValueError(f"{where}: reading must be one of {', '.join(READINGS)}, got {reading!r}")
    raw_thresholds = reader.optional("thresholds")
    if raw_thresholds is None:
        raw_thresholds = dict(DEFAULT_THRESHOLDS)
    thresholds = _thresholds(where, raw_thresholds, "alarm = 1.2")
    search_every = reader.integer("search_every", 0)
    if search_every < 0:
        raise ValueError(f"{where}: search_every must be >= 0 readings, got {search_every}")
    try:
        config = SlopeWatchConfig.from_slope_file(
            slope, method=cast("Any", method), reading=cast("Any", reading)
        )
    except ValueError as exc:
        raise ValueError(f"{where}: section_file {path}: {exc}") from None
    params: dict[str, Any] = {
        "config": config,
        "thresholds": thresholds,
        "deadband": reader.number("deadband", 0.0),
        "hold_s": reader.duration("hold", "0s"),
        "escalate_after_s": _escalate(reader),
    }
    if search_every:
        params["search_every"] = search_every
        params["search_grid"] = _search_grid(slope)
    return RuleSpec(name, channel, "tarp.slope_factor", params)


def _delta_factor(where: str, unit: str | None, channel_unit: str) -> float:
    """Factor turning a difference in ``unit`` into one in the channel's unit."""
    if unit is None or unit.strip() == channel_unit.strip():
        return 1.0
    try:
        f = converter(unit, channel_unit)
    except ValueError as exc:
        raise ValueError(f"{where}: {exc}") from None
    zero, one = (float(x) for x in f(np.array([0.0, 1.0])))
    return one - zero


def _difference_unit(where: str, table: dict[str, Any]) -> str | None:
    """Return the declared ``unit`` of a check's differences (tolerance, jumps), if any."""
    unit: str | None = table.get("unit")
    if unit is not None and (not isinstance(unit, str) or not unit.strip()):
        raise ValueError(f"{where}: unit must be non-empty text, got {unit!r}")
    return unit


def _missing_params(where: str, reader: _Reader, channel: ChannelSpec) -> dict[str, Any]:
    """Arguments of ``quality.missing``: the expected interval (here or the channel's)."""
    if "expected_interval" in reader.table:
        interval = reader.duration("expected_interval")
    elif channel.expected_interval_s is not None:
        interval = channel.expected_interval_s
    else:
        raise ValueError(f"{where}: needs expected_interval, here or on channel {channel.id!r}")
    return {"expected_interval_s": interval, "factor": reader.number("factor", 3.0)}


def _stuck_params(where: str, reader: _Reader, channel: ChannelSpec) -> dict[str, Any]:
    """Arguments of ``quality.stuck``: the tolerance in the channel's unit."""
    unit = _difference_unit(where, reader.table)
    if unit is None:
        raise ValueError(f"{where}: unit of tolerance must be declared")
    params: dict[str, Any] = {
        "tolerance": reader.number("tolerance") * _delta_factor(where, unit, channel.unit)
    }
    if "min_readings" in reader.table:
        params["min_readings"] = reader.integer("min_readings")
    if "min_duration" in reader.table:
        params["min_duration_s"] = reader.duration("min_duration")
    return params


def _spike_params(where: str, reader: _Reader, channel: ChannelSpec) -> dict[str, Any]:
    """Arguments of ``quality.spike``: jumps and MAD in the channel's unit."""
    unit = _difference_unit(where, reader.table)
    if unit is None and ("max_jump" in reader.table or "min_mad" in reader.table):
        raise ValueError(f"{where}: unit of max_jump and min_mad must be declared")
    scale = _delta_factor(where, unit, channel.unit)
    params: dict[str, Any] = {"window_readings": reader.integer("window_readings", 25)}
    for key in ("z_limit", "max_jump", "min_mad"):
        if key in reader.table:
            params[key] = reader.number(key) * (scale if key != "z_limit" else 1.0)
    return params


def _calibration_params(where: str, reader: _Reader, channel: ChannelSpec) -> dict[str, Any]:
    """Arguments of ``quality.calibration``: the date (here or the channel's)."""
    due = reader.table.get("calibration_due", channel.calibration_due)
    if due is None:
        raise ValueError(f"{where}: needs calibration_due, here or on channel {channel.id!r}")
    return {"valid_until": _calibration_due(where, due)}


_QUALITY_PARAMS: dict[str, Callable[[str, _Reader, ChannelSpec], dict[str, Any]]] = {
    "missing": _missing_params,
    "stuck": _stuck_params,
    "spike": _spike_params,
    "calibration": _calibration_params,
}
"""Reader of each data-quality check (the ``check`` key; kind ``quality.<check>``)."""


def quality_specs(where: str, table: Any, channels: Mapping[str, ChannelSpec]) -> list[RuleSpec]:
    """Return the specs of a ``[[quality]]`` table: one check on one channel, or on every one.

    Parameters
    ----------
    where : str
        Where the table is (``"quality[0]"``), for messages.
    table : dict
        The TOML table; ``channel = "*"`` makes one rule per declared channel, its name's
        ``{channel}`` filled in.
    channels : mapping of str to ChannelSpec
        The channels the rule set declares.

    Returns
    -------
    list of RuleSpec
        Kind ``quality.<check>`` (:mod:`postmine.monitoring.quality`) and its arguments, per
        channel.

    Raises
    ------
    ValueError
        If the check is unknown, a key is unknown, missing or wrong, or the channel is not
        declared.
    """
    check = table.get("check") if isinstance(table, dict) else None
    if check not in _QUALITY_KEYS:
        raise ValueError(f"{where}: check must be one of {', '.join(_QUALITY_KEYS)}, got {check!r}")
    reader = _Reader(where, table, _QUALITY_COMMON | _QUALITY_KEYS[check])
    name, channel = reader.text("name"), reader.text("channel")
    if channel == "*":
        if "{channel}" not in name:
            raise ValueError(f"{where}: name must contain {{channel}} for channel '*'")
        targets = list(channels)
    elif channel in channels:
        targets = [channel]
    else:
        raise ValueError(f"{where}: channel {channel!r} is not declared under [channels]")
    specs = []
    for cid in targets:
        level = Level.parse(table.get("level", "alert"))
        params = {"level": level, "escalate_after_s": _escalate(reader)}
        params |= _QUALITY_PARAMS[check](where, reader, channels[cid])
        specs.append(RuleSpec(name.replace("{channel}", cid), cid, f"quality.{check}", params))
    return specs


def parse_rule_set(source: str | IO[str] | IO[bytes], origin: str = "<text>") -> MonitoringRuleSet:
    """Read and validate a monitoring rule set from TOML text or a file-like object.

    The format (``format_version = 1``)::

        format_version = 1
        id = "north-dump"                    # identifier of the rule set
        title = "North dump: TARP and data quality"

        [channels.PR-07]                     # every channel a rule uses
        unit = "mm"                          # canonical unit of its readings (required)
        expected_interval = "10min"          # optional: for the missing-data check
        calibration_due = 2026-03-31         # optional: for the calibration check

        [[tarp]]                             # a TARP rule
        name = "PR-07 velocity"              # unique in the rule set
        channel = "PR-07"
        measure = "rate"                     # value | rate | acceleration
        window = "24h"                       # rate, acceleration: trailing window W (> 0)
        min_points = 3                       # rate, acceleration: optional, >= 2
        unit = "mm/d"                        # unit of measure and thresholds (required)
        direction = "rising"                 # rising | falling | both (optional)
        thresholds = { alert = 5.0, alarm = 20.0, emergency = 50.0 }   # at least one
        deadband = 1.0                       # optional, in unit, >= 0
        hold = "6h"                          # optional, >= 0
        escalate_after = { alert = "12h", alarm = "1h", emergency = "10min" }  # or "30min"

        [[quality]]                          # a data-quality rule
        name = "{channel} missing data"      # {channel} is filled in for channel = "*"
        channel = "*"                        # one channel, or "*" for every channel
        check = "missing"                    # missing | stuck | spike | calibration
        factor = 3.0                         # missing: alert after factor x interval
        level = "alert"                      # optional: level of the alert
        escalate_after = "12h"               # optional

        [[slope]]                            # live factor of safety of a slope section
        name = "north slope F"               # unique in the rule set
        section_file = "north-slope.toml"    # `postmine slope analyse` format, [[piezometers]]
        channel = "PZ-01/pore_pressure"      # optional: alerts go here; default: 1st piezometer
        method = "bishop"                    # optional: ordinary | bishop | janbu | spencer
                                             #   | morgenstern_price
        reading = "pressure"                 # optional: pressure (at the tip) | head (level)
        thresholds = { alert = 1.3, alarm = 1.2, emergency = 1.0 }   # optional: on F [-]
        deadband = 0.05                      # optional, [-], >= 0
        hold = "1h"                          # optional, >= 0
        escalate_after = { alarm = "1h" }    # optional, as [[tarp]]
        search_every = 0                     # optional: re-search the critical circle every
                                             #   N readings (0: never)

    Keys of the other checks: ``stuck``: ``tolerance`` with its ``unit``, ``min_readings``
    and/or ``min_duration``; ``spike``: ``window_readings``, ``z_limit`` and/or
    ``max_jump`` (with ``unit``), ``min_mad``; ``calibration``: ``calibration_due``
    (else the channel's). Durations are text: ``"30s"``, ``"10min"``, ``"6h"``, ``"1d"``.

    A ``[[slope]]`` table becomes one
    :class:`~postmine.monitoring.slope_watch.SlopeFactorWatch` (kind ``tarp.slope_factor``;
    falling F is bad): the section, the watched surface (the file's ``[surface]``, or the
    critical circle of its ``[search]``, searched when the rule set is read) and the
    piezometers come from ``section_file``
    (:meth:`~postmine.monitoring.slope_watch.SlopeWatchConfig.from_slope_file`). Every
    ``[[piezometers]]`` channel of the file must be declared under ``[channels]``, all with
    one unit (a pressure unit for ``reading = "pressure"``, a length for ``"head"``); the
    component takes the readings of all of them. A relative ``section_file`` is found from
    the directory of the rule-set file when ``origin`` is the path of an existing file (as
    :func:`read_rule_set` passes it), else from the current working directory. With
    ``search_every`` the circle is searched on the file's ``[search]`` grid, axes it does not
    give from :func:`~postmine.geotech.slip_search.auto_search_grid`.

    Parameters
    ----------
    source : str or file-like
        TOML text, or a text or binary file opened for reading.
    origin : str
        Where it came from, for messages; the path of the rule-set file, when it is one,
        also locates relative ``section_file`` paths.

    Returns
    -------
    MonitoringRuleSet
        The rule set; :meth:`MonitoringRuleSet.build` makes the components.

    Raises
    ------
    ValueError
        If the text is not TOML or breaks a rule above; the message names the table and key.

    Examples
    --------
    >>> rules = parse_rule_set('''
    ... format_version = 1
    ... id = "demo"
    ... title = "Demo"
    ... [channels.PZ-01]
    ... unit = "m"
    ... [[tarp]]
    ... name = "PZ-01 head"
    ... channel = "PZ-01"
    ... measure = "value"
    ... unit = "m"
    ... thresholds = { alert = 12.0, alarm = 14.0 }
    ... ''')
    >>> [type(c).__name__ for c in rules.build()]
    ['ValueTrigger']
    """
    text = source if isinstance(source, str) else source.read()
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"rule set {origin}: not valid TOML: {exc}") from None
    try:
        return _build_rule_set(data, origin)
    except ValueError as exc:
        raise ValueError(f"rule set {origin}: {exc}") from None


def _build_rule_set(data: dict[str, Any], origin: str) -> MonitoringRuleSet:
    top = _Reader("the file", data, _TOP_KEYS)
    version = top.integer("format_version")
    if version != FORMAT_VERSION:
        raise ValueError(f"format_version must be {FORMAT_VERSION}, got {version}")
    channels = _channel_specs(data.get("channels"))
    specs: list[RuleSpec] = []
    for k, table in enumerate(_array(data, "tarp")):
        specs.append(tarp_spec(f"tarp[{k}]", table, channels))
    slopes = _array(data, "slope")
    base = _base_dir(origin) if slopes else Path.cwd()
    for k, table in enumerate(slopes):
        specs.append(slope_spec(f"slope[{k}]", table, channels, base))
    for k, table in enumerate(_array(data, "quality")):
        specs.extend(quality_specs(f"quality[{k}]", table, channels))
    seen: set[str] = set()
    for spec in specs:
        if spec.name in seen:
            raise ValueError(f"rule name {spec.name!r} is used twice")
        seen.add(spec.name)
    rule_set = MonitoringRuleSet(
        id=top.text("id"),
        title=top.text("title"),
        channels=channels,
        rules=tuple(specs),
        origin=origin,
    )
    _check_builds(specs, channels)
    return rule_set


def _channel_specs(raw_channels: Any) -> dict[str, ChannelSpec]:
    """Read the ``[channels]`` table: unit, expected interval and calibration date of each."""
    if not isinstance(raw_channels, dict) or not raw_channels:
        raise ValueError("[channels] must declare at least one channel")
    channels: dict[str, ChannelSpec] = {}
    for cid, table in raw_channels.items():
        reader = _Reader(f"channels.{cid}", table, _CHANNEL_KEYS)
        unit = reader.text("unit")
        interval = reader.duration("expected_interval") if "expected_interval" in table else None
        if interval is not None and interval <= 0:
            raise ValueError(f"channels.{cid}: expected_interval must be > 0 s")
        due = table.get("calibration_due")
        channels[cid] = ChannelSpec(
            cid, unit, interval, None if due is None else _calibration_due(reader.where, due)
        )
    return channels


def _check_builds(specs: list[RuleSpec], channels: Mapping[str, ChannelSpec]) -> None:
    """Build every rule once: the components check thresholds, windows and units."""
    registry = component_registry()
    for spec in specs:
        try:
            registry[spec.kind](
                spec.name, spec.channel, channel_unit=channels[spec.channel].unit, **spec.params
            )
        except ValueError as exc:
            raise ValueError(f"rule {spec.name!r}: {exc}") from None


def _array(data: dict[str, Any], key: str) -> list[Any]:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise ValueError(f"{key} must be an array of tables ([[{key}]]), got {value!r}")
    return value


def read_rule_set(path: str | Path) -> MonitoringRuleSet:
    """Read and validate a monitoring rule set from a TOML file (see :func:`parse_rule_set`).

    Raises
    ------
    ValueError
        If the file is not a valid rule set.
    FileNotFoundError
        If there is no such file.
    """
    file = Path(path)
    with file.open("rb") as handle:
        return parse_rule_set(handle, str(file))
