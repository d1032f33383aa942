"""Geotechnical digital twin: slope stability, slip-surface searches, section files, terrain.

Modules, one concern each: :mod:`~postmine.geotech.section` (the slope section: ground, soil
layers, pore water, loads), :mod:`~postmine.geotech.slicing` (slices above circular and
polyline slip surfaces), :mod:`~postmine.geotech.limit_equilibrium` (Ordinary, Bishop, Janbu,
Spencer, Morgenstern–Price), :mod:`~postmine.geotech.circle_search` (each method's own
critical circle, searched in fixed-size chunks), :mod:`~postmine.geotech.slip_search` (circle
grids, the non-circular search), :mod:`~postmine.geotech.faces` (slopes facing either way and
two-faced sections, analysed face by face), :mod:`~postmine.geotech.section_file` (TOML section
files), :mod:`~postmine.geotech.slope_analysis` (the workflow of a section file),
:mod:`~postmine.geotech.slope_plot` (the section drawn to a PNG),
:mod:`~postmine.geotech.pore_pressure` (piezometric lines from piezometer heads) and the
sub-package :mod:`~postmine.geotech.terrain` (elevation rasters; needs the ``geo`` extra,
imported on use). The dump design of 004 PR1 lives in :mod:`postmine.chains.dump`.
"""

from postmine.geotech.circle_search import critical_circles
from postmine.geotech.faces import Face, faces, mirror_section
from postmine.geotech.limit_equilibrium import (
    METHODS,
    bishop_factor,
    effective_normal_force,
    factor_of_safety,
    factors_of_safety,
    janbu_factor,
    morgenstern_price_factor,
    ordinary_factor,
    spencer_factor,
)
from postmine.geotech.section import Section, SoilLayer
from postmine.geotech.slicing import Slices, slice_circle, slice_surface
from postmine.geotech.slip_search import (
    CriticalCircle,
    CriticalSurface,
    auto_search_grid,
    critical_circle,
    critical_surface,
)

__all__ = [
    "METHODS",
    "CriticalCircle",
    "CriticalSurface",
    "Face",
    "Section",
    "Slices",
    "SoilLayer",
    "auto_search_grid",
    "bishop_factor",
    "critical_circle",
    "critical_circles",
    "critical_surface",
    "effective_normal_force",
    "faces",
    "factor_of_safety",
    "factors_of_safety",
    "janbu_factor",
    "mirror_section",
    "morgenstern_price_factor",
    "ordinary_factor",
    "slice_circle",
    "slice_surface",
    "spencer_factor",
]
