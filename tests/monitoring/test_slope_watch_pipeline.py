"""The live factor of safety wired in: ``[[slope]]`` rule sets, the alerting pipeline, the CLI.

The slope is the one of ``tests/monitoring/test_slope_watch.py``: the ACADS 1(a) geometry
(Giam & Donald 1989) with a stronger soil (c' = 8 kPa, φ' = 30°, γ = 20 kN/m³), the circle
(30.6, 53.0) m, R = 28.0 m, and two piezometers, PZ-01 (x = 40 m, tip 24 m) and PZ-02
(x = 55 m, tip 28 m). Pressures of both rise over eight hours and take F through the alert
and alarm levels. Every F the pipeline stores is checked against F computed directly, by
cutting :func:`section_with_piezometers` again for the two heads at that time. The store
tests run on SQLite and PostgreSQL (the ``db_url`` backend fixture).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from numpy.testing import assert_allclose
from typer.testing import CliRunner

from postmine.cli.main import app
from postmine.db import session_scope
from postmine.geotech.limit_equilibrium import factor_of_safety
from postmine.geotech.pore_pressure import head_from_pressure, section_with_piezometers
from postmine.geotech.section import Section, SoilLayer
from postmine.geotech.slip_search import auto_search_grid
from postmine.monitoring.alerts import AlertChange, Level
from postmine.monitoring.channels import add_channel, add_sensor
from postmine.monitoring.pipeline import AlertingPipeline, evaluate_stored, stored_alerts
from postmine.monitoring.rule_file import parse_rule_set, read_rule_set
from postmine.monitoring.rule_set import MonitoringRuleSet
from postmine.monitoring.slope_watch import SlopeFactorWatch
from postmine.monitoring.store import Series, read_range, to_us, write_readings

Site = Any  # tests/monitoring/conftest.py's Site: url, site_id, channels

PZ1, PZ2 = "PZ-01/pore_pressure", "PZ-02"
CIRCLE = (30.6, 53.0, 28.0)  # centre x, centre y, radius. [m]
SAME = 1e-12  # the same F by two routes (Bishop): rounding only (as test_slope_watch.py)
T0 = datetime(2025, 5, 1, tzinfo=UTC)
STEP_US = 600_000_000  # ten minutes. [µs]
LAG_US = 300_000_000  # PZ-02 reads five minutes after PZ-01. [µs]
N = 48  # eight hours of ten-minute readings

SECTION_FILE = """
format_version = 1
title = "Watched slope"

[section]
ground = [[20.0, 25.0], [30.0, 25.0], [50.0, 35.0], [70.0, 35.0]]

[[layers]]
name = "fill"
cohesion_kpa = 8.0
friction_angle_deg = 30.0
unit_weight_kn_m3 = 20.0

[[piezometers]]
channel = "PZ-01/pore_pressure"
x_m = 40.0
tip_elevation_m = 24.0

[[piezometers]]
channel = "PZ-02"
x_m = 55.0
tip_elevation_m = 28.0
"""
SURFACE = "\n[surface]\ncentre_x = 30.6\ncentre_y = 53.0\nradius = 28.0\n"

RULES = """
format_version = 1
id = "north-slope"
title = "North slope: live F"

[channels."PZ-01/pore_pressure"]
unit = "kPa"

[channels.PZ-02]
unit = "kPa"

[[slope]]
name = "north slope F"
section_file = "north-slope.toml"
"""


def pressures() -> tuple[np.ndarray, np.ndarray]:
    """Pressures of PZ-01 and PZ-02 rising over eight hours. [kPa]"""
    return np.linspace(5.0, 90.0, N), np.linspace(5.0, 70.0, N)


def times() -> tuple[np.ndarray, np.ndarray]:
    """Reading times of PZ-01 and PZ-02. [µs]"""
    t = to_us(T0) + np.arange(N, dtype=np.int64) * STEP_US
    return t, t + LAG_US


def direct(p1: float, p2: float) -> float:
    """Bishop F of the two heads the slow way: a new section with the line, cut again (not
    split at the water, as the watch keeps the slices of the dry section)."""
    section = Section(
        [(20.0, 25.0), (30.0, 25.0), (50.0, 35.0), (70.0, 35.0)], [SoilLayer(8.0, 30.0, 20.0)]
    )
    heads = [float(head_from_pressure(p1, 24.0)), float(head_from_pressure(p2, 28.0))]
    wet = section_with_piezometers(section, [40.0, 55.0], heads)
    return factor_of_safety(wet, *CIRCLE, split_at_water=False)


def expected_factors() -> tuple[np.ndarray, np.ndarray]:
    """F after each reading of both channels in time order, the other at its latest head."""
    (p1, p2), (t1, t2) = pressures(), times()
    ts = np.concatenate((t1, t2))
    order = np.argsort(ts, kind="stable")
    last = [np.nan, np.nan]
    out = []
    for k in order:
        j, i = divmod(int(k), N)
        last[j] = (p1, p2)[j][i]
        out.append(np.nan if np.isnan(last).any() else direct(last[0], last[1]))
    return ts[order], np.array(out)


def write_files(directory: Path, rules: str = RULES, section: str = SECTION_FILE + SURFACE) -> Path:
    """Write the section file and the rule set into ``directory``; return the rule set."""
    (directory / "north-slope.toml").write_text(section, encoding="utf-8")
    path = directory / "rules.toml"
    path.write_text(rules, encoding="utf-8")
    return path


@pytest.fixture
def rule_set(tmp_path: Path) -> MonitoringRuleSet:
    return read_rule_set(write_files(tmp_path))


# -- the rule-set format ----------------------------------------------------------------------
def test_slope_table_builds_one_watch_of_both_piezometers(
    rule_set: MonitoringRuleSet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path.parent)  # the section file is found next to the rule set
    (spec,) = rule_set.rules
    assert (spec.name, spec.channel, spec.kind) == ("north slope F", PZ1, "tarp.slope_factor")
    (watch,) = rule_set.build()
    assert isinstance(watch, SlopeFactorWatch)
    assert watch.watched == (PZ1, PZ2)
    assert watch.config.method == "bishop" and watch.config.reading == "pressure"
    assert (watch.config.centre_x, watch.config.centre_y, watch.config.radius) == CIRCLE
    # the defaults of the brief: alert 1.3, alarm 1.2, emergency 1.0; no deadband, no hold
    assert watch.thresholds == {Level.ALERT: 1.3, Level.ALARM: 1.2, Level.EMERGENCY: 1.0}
    assert (watch.deadband, watch.hold_s, watch.search_every) == (0.0, 0.0, 0)
    assert rule_set.build(PZ2) == []  # PZ-02 owns no rule: it feeds the watch of PZ-01


def test_slope_table_settings(tmp_path: Path) -> None:
    rules = RULES + (
        'channel = "PZ-02"\nmethod = "janbu"\nreading = "pressure"\ndeadband = 0.05\n'
        'hold = "1h"\nthresholds = { alarm = 1.25, emergency = 1.05 }\n'
        'escalate_after = { emergency = "10min" }\n'
    )
    (watch,) = read_rule_set(write_files(tmp_path, rules)).build()
    assert isinstance(watch, SlopeFactorWatch)
    assert watch.channel == PZ2 and watch.config.method == "janbu"
    assert watch.thresholds == {Level.ALARM: 1.25, Level.EMERGENCY: 1.05}
    assert (watch.deadband, watch.hold_s) == (0.05, 3600.0)
    assert watch.escalate_after_s == {Level.EMERGENCY: 600.0}


def test_relative_section_file_without_a_rule_set_path_is_found_from_the_cwd(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_files(tmp_path)
    monkeypatch.chdir(tmp_path)
    (watch,) = parse_rule_set(RULES).build()
    assert isinstance(watch, SlopeFactorWatch) and watch.watched == (PZ1, PZ2)
    monkeypatch.chdir(tmp_path.parent)
    with pytest.raises(ValueError, match=r"slope\[0\]: section_file: .*no such file"):
        parse_rule_set(RULES)


def test_search_every_takes_the_grid_of_the_section_file(tmp_path: Path) -> None:
    grid = (
        "\n[search]\ncentre_x = [25.0, 45.0, 5]\ncentre_y = [40.0, 60.0, 5]\n"
        "radius = [15.0, 35.0, 5]\n"
    )
    path = write_files(tmp_path, RULES + "search_every = 6\n", SECTION_FILE + grid)
    (watch,) = read_rule_set(path).build()
    assert isinstance(watch, SlopeFactorWatch) and watch.search_every == 6
    assert watch.search_grid is not None
    for got, want in zip(
        watch.search_grid,
        (np.linspace(25, 45, 5), np.linspace(40, 60, 5), np.linspace(15, 35, 5)),
        strict=True,
    ):
        assert_allclose(got, want, rtol=0, atol=0)  # the file's grid as given
    # a file with a [surface] circle and no [search]: the automatic grid of the section
    path = write_files(tmp_path, RULES + "search_every = 6\n")
    (watch,) = read_rule_set(path).build()
    assert isinstance(watch, SlopeFactorWatch) and watch.search_grid is not None
    auto = auto_search_grid(watch.config.section)
    for got, want in zip(
        watch.search_grid, (auto.centre_x, auto.centre_y, auto.radius), strict=True
    ):
        assert_allclose(got, want, rtol=0, atol=0)


BAD_RULES = [
    # (change to the rule set, change to the section file, message)
    (
        lambda r: r.replace('[channels.PZ-02]\nunit = "kPa"\n', ""),
        None,
        r"slope\[0\]: piezometer channel\(s\) 'PZ-02' of section_file .* must be declared "
        r"under \[channels\]",
    ),
    (
        lambda r: r.replace("north-slope.toml", "nowhere.toml"),
        None,
        r"slope\[0\]: section_file: .*nowhere\.toml: no such file",
    ),
    (
        lambda r: r + 'channel = "PR-07"\n',
        None,
        r"slope\[0\]: channel 'PR-07' must be one of the piezometers of section_file .*"
        r"\['PZ-01/pore_pressure', 'PZ-02'\]",
    ),
    (
        lambda r: r.replace('[channels.PZ-02]\nunit = "kPa"', '[channels.PZ-02]\nunit = "bar"'),
        None,
        r"slope\[0\]: the piezometer channels must share one unit .*PZ-01/pore_pressure kPa, "
        r"PZ-02 bar",
    ),
    (lambda r: r + "radius = 28.0\n", None, r"slope\[0\]: unknown key\(s\) radius"),
    (lambda r: r + 'method = "sarma"\n', None, r"slope\[0\]: method must be one of .*'sarma'"),
    (lambda r: r + 'reading = "flow"\n', None, r"slope\[0\]: reading must be one of .*'flow'"),
    (lambda r: r + "search_every = -1\n", None, r"slope\[0\]: search_every must be >= 0"),
    (lambda r: r + 'hold = "2 weeks"\n', None, r"slope\[0\]: hold must be a duration"),
    (
        lambda r: r + "thresholds = { alert = 1.1, alarm = 1.2 }\n",
        None,
        r"rule 'north slope F': thresholds must strictly decrease",
    ),
    (
        lambda r: r.replace('unit = "kPa"', 'unit = "mm"'),
        None,
        r"rule 'north slope F': .*mm",
    ),
    (
        lambda r: r + '[[slope]]\nname = "north slope F"\nsection_file = "north-slope.toml"\n',
        None,
        r"rule name 'north slope F' is used twice",
    ),
    (
        lambda r: r,
        lambda s: s.split("[[piezometers]]")[0] + SURFACE,
        r"slope\[0\]: section_file .* lists no \[\[piezometers\]\]",
    ),
    (
        lambda r: r,
        lambda s: s.replace("friction_angle_deg = 30.0", "friction_angle_deg = 95.0"),
        r"slope\[0\]: section_file: .*layers\.0\.friction_angle_deg",
    ),
]


@pytest.mark.parametrize(("rules", "section", "match"), BAD_RULES)
def test_bad_slope_tables_are_refused(tmp_path: Path, rules: Any, section: Any, match: str) -> None:
    text = SECTION_FILE + SURFACE
    path = write_files(tmp_path, rules(RULES), text if section is None else section(text))
    with pytest.raises(ValueError, match=match):
        read_rule_set(path)


# -- through the pipeline, with the store: SQLite and PostgreSQL -------------------------------
@pytest.fixture
def two_piezometers(site: Site) -> Site:
    """The site of conftest (PZ-01 with pore pressure and temperature) plus PZ-02."""
    register_pz2(site)
    return site


def register_pz2(site: Site) -> None:
    with session_scope(site.url) as session:
        pz2 = add_sensor(
            session, site_id=site.site_id, code="PZ-02", type="piezometer", expected_interval_s=600
        )
        site.channels["pz2"] = add_channel(
            session, pz2, name="pore_pressure", quantity="pore_pressure"
        ).id


def store_readings(site: Site) -> dict[int, Series]:
    """Write the rising pressures of both piezometers; return them as read back."""
    (p1, p2), (t1, t2) = pressures(), times()
    c1, c2 = site.channels["pore_pressure"], site.channels["pz2"]
    rows = [(c1, int(t), float(v)) for t, v in zip(t1, p1, strict=True)]
    rows += [(c2, int(t), float(v)) for t, v in zip(t2, p2, strict=True)]
    write_readings(site.url, rows)
    end = int(t2[-1]) + 1
    return {c: read_range(site.url, c, int(t1[0]), end) for c in (c1, c2)}


def one_by_one(series: dict[int, Series]) -> list[tuple[int, Series]]:
    """The readings as MQTT delivers them: one per batch, both channels in time order."""
    readings = sorted(
        (int(t), cid, float(v))
        for cid, s in series.items()
        for t, v in zip(s.ts_us, s.value, strict=True)
    )
    return [(cid, Series(cid, np.array([t]), np.array([v]))) for t, cid, v in readings]


def summary(changes: list[AlertChange]) -> list[tuple[str, Level, datetime, float | None]]:
    return [(c.event.action, c.event.level, c.event.at, c.event.value) for c in changes]


def check_alarm(site: Site, changes: list[AlertChange]) -> None:
    """Alert then alarm, at the first readings whose F (both heads) crosses; stored on PZ-01."""
    ts, f = expected_factors()
    assert [(c.event.action, c.event.level) for c in changes] == [
        ("raise", Level.ALERT),
        ("raise", Level.ALARM),
    ]
    for change, threshold in zip(changes, (1.3, 1.2), strict=True):
        first = int(np.argmax(f <= threshold))  # NaN compares False
        assert to_us(change.event.at) == ts[first]
        assert change.event.value == pytest.approx(f[first], rel=SAME)
        assert change.alert.channel == PZ1
    # F uses both heads: with PZ-02 held at its first reading, F at the alarm is higher
    (p1, p2), (t1, t2) = pressures(), times()
    at = to_us(changes[1].event.at)
    i1, i2 = int(np.searchsorted(t1, at, "right")) - 1, int(np.searchsorted(t2, at, "right")) - 1
    assert changes[1].event.value == pytest.approx(direct(p1[i1], p2[i2]), rel=SAME)
    assert direct(p1[i1], p2[0]) > changes[1].event.value + 0.01
    stored = stored_alerts(site.url, active=True)
    assert len(stored) == 1
    channel_id, alert = stored[0]
    assert channel_id == site.channels["pore_pressure"]
    assert (alert.level, alert.rule, alert.unit) == (Level.ALARM, "north slope F", "-")
    assert alert.value == pytest.approx(changes[1].event.value, rel=SAME)
    assert "heads: PZ-01/pore_pressure" in alert.message and "PZ-02" in alert.message


def test_rising_readings_of_both_piezometers_raise_and_store_the_alarm(
    two_piezometers: Site, rule_set: MonitoringRuleSet
) -> None:
    site = two_piezometers
    series = store_readings(site)
    with AlertingPipeline(site.url, rule_set, site_id=site.site_id) as pipeline:
        assert pipeline.unmatched == []
        changes = []
        for cid, s in one_by_one(series):
            changes += pipeline.process({cid: s})
    check_alarm(site, changes)
    # evaluate_stored combines the stored readings in time order: the same alerts
    recomputed = evaluate_stored(site.url, rule_set, 0, 2**62, site_id=site.site_id)
    assert summary(recomputed) == summary(changes)


def test_one_batch_of_both_channels_is_taken_in_time_order(
    two_piezometers: Site, rule_set: MonitoringRuleSet
) -> None:
    site = two_piezometers
    series = store_readings(site)
    with AlertingPipeline(site.url, rule_set, site_id=site.site_id) as pipeline:
        # PZ-02 first in the mapping: the readings are still combined by their times
        changes = pipeline.process(dict(reversed(list(series.items()))))
        assert pipeline.tick(T0 + timedelta(hours=9)) == []  # the watch ticks once, quietly
    check_alarm(site, changes)


def test_a_piezometer_registered_later_feeds_the_same_watch(
    site: Site, rule_set: MonitoringRuleSet
) -> None:
    (p1, p2), (t1, t2) = pressures(), times()
    c1 = site.channels["pore_pressure"]
    with AlertingPipeline(site.url, rule_set, site_id=site.site_id) as pipeline:
        assert pipeline.unmatched == [PZ2]
        # PZ-01 alone: F is not defined until PZ-02 has a head, so nothing is raised
        assert pipeline.process({c1: Series(c1, t1[:24], p1[:24])}) == []
        register_pz2(site)
        c2 = site.channels["pz2"]
        changes = pipeline.process({c2: Series(c2, t2[:24], p2[:24])})
        assert pipeline.unmatched == [] and pipeline.channels[c2] == PZ2
        assert all(c.event.level < Level.ALARM for c in changes)
        # then as MQTT delivers them, one reading at a time in time order
        rest = {c1: Series(c1, t1[24:], p1[24:]), c2: Series(c2, t2[24:], p2[24:])}
        for cid, s in one_by_one(rest):
            changes += pipeline.process({cid: s})
    alarm = next(c for c in changes if c.event.level == Level.ALARM)
    at = to_us(alarm.event.at)
    i1, i2 = int(np.searchsorted(t1, at, "right")) - 1, int(np.searchsorted(t2, at, "right")) - 1
    assert min(i1, i2) >= 24  # raised on readings of both after PZ-02 was registered
    assert alarm.event.value == pytest.approx(direct(p1[i1], p2[i2]), rel=SAME)
    assert alarm.event.value <= 1.2
    ((channel_id, alert),) = stored_alerts(site.url, active=True)
    assert channel_id == c1 and alert.level == Level.ALARM


def test_slope_now_from_the_store(two_piezometers: Site, tmp_path: Path) -> None:
    site = two_piezometers
    store_readings(site)
    section = tmp_path / "north-slope.toml"
    section.write_text(SECTION_FILE + SURFACE, encoding="utf-8")
    at = T0 + timedelta(hours=2, minutes=7)  # PZ-01 at 02:00 (#12), PZ-02 at 02:05 (#12)
    args = ["slope", "now", str(section), "--site", str(site.site_id), "--db", site.url]
    result = CliRunner().invoke(app, [*args, "--at", at.isoformat(), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    p1, p2 = pressures()
    assert data["factor_of_safety"] == pytest.approx(direct(p1[12], p2[12]), rel=SAME)
    assert data["method"] == "bishop"
    pz = data["piezometers"]
    assert pz[PZ1]["reading_time"] == (T0 + timedelta(hours=2)).isoformat()
    assert pz[PZ2]["reading_time"] == (T0 + timedelta(hours=2, minutes=5)).isoformat()
    assert pz[PZ1]["head_m"] == pytest.approx(float(head_from_pressure(p1[12], 24.0)), rel=SAME)
    assert pz[PZ2]["head_m"] == pytest.approx(float(head_from_pressure(p2[12], 28.0)), rel=SAME)
    assert pz[PZ1]["unit"] == "kPa" and data["oldest_reading"] == pz[PZ1]["reading_time"]
