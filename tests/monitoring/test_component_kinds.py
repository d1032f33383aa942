"""The built-in component kinds: one explicit list, each class under its own kind."""

from typing import ClassVar

import numpy as np
import pytest

from postmine.monitoring import components
from postmine.monitoring.component_kinds import BUILTIN_COMPONENTS, component_registry
from postmine.monitoring.components import Component, Port, register_component
from postmine.monitoring.quality import Calibration, MissingData, Spike, StuckValue
from postmine.monitoring.slope_watch import SlopeFactorWatch
from postmine.monitoring.tarp import AccelerationTrigger, RateTrigger, ValueTrigger


def test_builtin_kinds_are_the_imported_classes():
    assert dict(BUILTIN_COMPONENTS) == {
        "tarp.value": ValueTrigger,
        "tarp.rate": RateTrigger,
        "tarp.acceleration": AccelerationTrigger,
        "tarp.slope_factor": SlopeFactorWatch,
        "quality.missing": MissingData,
        "quality.stuck": StuckValue,
        "quality.spike": Spike,
        "quality.calibration": Calibration,
    }
    with pytest.raises(TypeError):
        BUILTIN_COMPONENTS["tarp.value"] = ValueTrigger  # type: ignore[index]


def test_registry_is_sorted_and_takes_a_registered_component():
    assert list(component_registry()) == sorted(BUILTIN_COMPONENTS)

    @register_component
    class Echo(Component):
        """Returns each reading as its output (a plug-in component)."""

        kind = "test.echo"
        outputs: ClassVar[tuple[Port, ...]] = (
            Port("echo", "float64", "{channel_unit}", "The reading, unchanged."),
        )

        @classmethod
        def example(cls) -> "Echo":
            return cls("echo", "EX-1", channel_unit="mm")

        def _step(self, ts, columns):
            return {"echo": np.asarray(columns["value"], np.float64)}, []

    try:
        assert component_registry()["test.echo"] is Echo
        assert "test.echo" not in BUILTIN_COMPONENTS
    finally:
        components._REGISTRY.pop("test.echo", None)
    assert "test.echo" not in component_registry()
