"""Geotechnical methods: limit-equilibrium slope stability of dumps and pit slopes."""

from postmine.geotech.slope_stability import (
    METHODS,
    CriticalCircle,
    Section,
    Slices,
    SoilLayer,
    bishop_factor,
    critical_circle,
    factor_of_safety,
    janbu_factor,
    morgenstern_price_factor,
    ordinary_factor,
    slice_circle,
    spencer_factor,
)

__all__ = [
    "METHODS",
    "CriticalCircle",
    "Section",
    "Slices",
    "SoilLayer",
    "bishop_factor",
    "critical_circle",
    "factor_of_safety",
    "janbu_factor",
    "morgenstern_price_factor",
    "ordinary_factor",
    "slice_circle",
    "spencer_factor",
]
