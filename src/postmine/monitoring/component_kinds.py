"""The built-in monitoring components by kind: the one list a rule set's ``kind`` is read from.

Every built-in component class is imported here by name (no module is loaded from a string),
so the list is what the code says it is: the TARP rules of :mod:`postmine.monitoring.tarp`,
the live factor of safety of :mod:`postmine.monitoring.slope_watch` and the data-quality
checks of :mod:`postmine.monitoring.quality`. A component registered elsewhere with
:func:`~postmine.monitoring.components.register_component` (a plug-in, a test) joins them in
:func:`component_registry`.

Examples
--------
>>> sorted(BUILTIN_COMPONENTS)[:3]
['quality.calibration', 'quality.missing', 'quality.spike']
>>> component_registry()["tarp.rate"].__name__
'RateTrigger'
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from postmine.monitoring.components import Component, registered_components
from postmine.monitoring.quality import Calibration, MissingData, Spike, StuckValue
from postmine.monitoring.slope_watch import SlopeFactorWatch
from postmine.monitoring.tarp import AccelerationTrigger, RateTrigger, ValueTrigger

__all__ = ["BUILTIN_COMPONENTS", "component_registry"]

BUILTIN_COMPONENTS: Mapping[str, type[Component]] = MappingProxyType(
    {
        cls.kind: cls
        for cls in (
            ValueTrigger,
            RateTrigger,
            AccelerationTrigger,
            SlopeFactorWatch,
            MissingData,
            StuckValue,
            Spike,
            Calibration,
        )
    }
)
"""Built-in component classes by ``kind`` (``"tarp.rate"``, ``"quality.missing"`` ...)."""


def component_registry() -> dict[str, type[Component]]:
    """Return every component class by kind: the built-ins and any registered since, sorted.

    Returns
    -------
    dict of str to type
        Component class of each kind.
    """
    return dict(sorted({**registered_components(), **BUILTIN_COMPONENTS}.items()))
