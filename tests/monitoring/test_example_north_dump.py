"""The North dump example: a section file and a rule set that watch F from two piezometers."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from numpy.testing import assert_allclose

from postmine.geotech.limit_equilibrium import factor_of_safety
from postmine.geotech.pore_pressure import head_from_pressure, section_with_piezometers
from postmine.geotech.section_file import read_section_file
from postmine.monitoring.rule_file import read_rule_set
from postmine.monitoring.slope_watch import SlopeWatchConfig

EXAMPLE = Path(__file__).parents[2] / "examples" / "north-dump"


def test_rule_set_builds_one_watch_fed_by_both_piezometers() -> None:
    rules = read_rule_set(EXAMPLE / "rules.toml")
    (watch,) = [c for c in rules.build() if c.kind == "tarp.slope_factor"]
    assert watch.watched == ("PZ-01", "PZ-02")  # type: ignore[attr-defined]
    assert watch.channel == "PZ-01"


def test_simulated_pressures_are_normal_and_a_rise_crosses_the_thresholds() -> None:
    # `postmine monitor simulate` reads about 120 kPa at both tips (elevation 0 m). The watch
    # recomputes F on the dry critical circle; the same F follows from cutting the wet
    # section again (1e-9), and rising pressure walks F through alert 1.25, alarm 1.15 and
    # emergency 1.0 of rules.toml.
    slope = read_section_file(EXAMPLE / "section.toml")
    config = SlopeWatchConfig.from_slope_file(slope)
    assert config.centre_x is not None and config.radius is not None
    factors = []
    for pressure in (120.0, 140.0, 160.0, 200.0):
        heads = [head_from_pressure(pressure, 0.0)] * 2
        f = float(config.factors(np.array(heads))[0])
        wet = section_with_piezometers(slope.section, [80.0, 130.0], heads)
        circle = (config.centre_x, config.centre_y, config.radius)
        again = factor_of_safety(wet, *circle, "bishop", split_at_water=False)  # as the watch
        assert_allclose(f, again, rtol=1e-9)
        factors.append(f)
    assert factors[0] > 1.25  # normal at the simulator's pressure
    assert factors == sorted(factors, reverse=True)
    assert factors[-1] < 1.0  # 200 kPa: emergency
