"""Calculations of ``postmine calc``, one module per method family.

Each module registers a :class:`~postmine.calc.base.Calculation`.

Use :func:`registry` to get them all and :func:`get` for one by name.
"""

from __future__ import annotations

import importlib
import pkgutil

from postmine.calc.base import _REGISTRY, Calculation, Quantity, register

__all__ = ["Calculation", "Quantity", "get", "register", "registry"]

_NOT_CALCULATIONS = ("base", "inputs")  # the contract and the reader of input files


def registry() -> dict[str, Calculation]:
    """Import every calculation module of this package and return name -> calculation."""
    for info in pkgutil.iter_modules(__path__):
        if info.name not in _NOT_CALCULATIONS and not info.name.startswith("_"):
            importlib.import_module(f"{__name__}.{info.name}")
    return dict(sorted(_REGISTRY.items()))


def get(name: str) -> Calculation:
    """Return the calculation called ``name``.

    Raises
    ------
    ValueError
        If there is no such calculation; the message lists the known names.
    """
    calcs = registry()
    if name not in calcs:
        known = ", ".join(calcs)
        raise ValueError(f"method must be one of: {known}; got {name!r}")
    return calcs[name]
