"""Geotechnical digital twin: slope stability, slip-surface searches, section files, dumps.

Modules: :mod:`~postmine.geotech.slope_stability` (limit equilibrium on circular and polyline
surfaces), :mod:`~postmine.geotech.slip_search` (automatic circle grids, non-circular
search), :mod:`~postmine.geotech.section_file` (TOML section files),
:mod:`~postmine.geotech.slope_analysis` (workflow and plot),
:mod:`~postmine.geotech.pore_pressure` (piezometric lines from piezometer heads),
:mod:`~postmine.geotech.dump_design` (004 PR1 dumps with stability) and
:mod:`~postmine.geotech.terrain` (elevation rasters; needs the ``geo`` extra, imported on use).
"""

from postmine.geotech.slip_search import CriticalSurface, auto_search_grid, critical_surface
from postmine.geotech.slope_stability import (
    METHODS,
    CriticalCircle,
    Section,
    Slices,
    SoilLayer,
    bishop_factor,
    critical_circle,
    effective_normal_force,
    factor_of_safety,
    factors_of_safety,
    janbu_factor,
    morgenstern_price_factor,
    ordinary_factor,
    slice_circle,
    slice_surface,
    spencer_factor,
)

__all__ = [
    "METHODS",
    "CriticalCircle",
    "CriticalSurface",
    "Section",
    "Slices",
    "SoilLayer",
    "auto_search_grid",
    "bishop_factor",
    "critical_circle",
    "critical_surface",
    "effective_normal_force",
    "factor_of_safety",
    "factors_of_safety",
    "janbu_factor",
    "morgenstern_price_factor",
    "ordinary_factor",
    "slice_circle",
    "slice_surface",
    "spencer_factor",
]
