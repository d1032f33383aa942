"""Design of a void backfilled by tiers (document 003): the old import path of the design.

The design now lives in the sub-package :mod:`postmine.project.backfill` (its docstring
describes the design, its schedule and its units):

* :mod:`postmine.project.backfill.design`: :func:`design_backfill` and the steps of one run;
* :mod:`postmine.project.backfill.calendar_plan`: waste volumes (003 Table 4), filling time
  (sec. 3.1), calendar plan (Table 5) and the timeline of the works;
* :mod:`postmine.project.backfill.surface`: surface planning (sec. 3.2), reclamation layer
  (sec. 3.3), slide prism (sec. 4.2) and :data:`SETTLEMENT_YEARS`;
* :mod:`postmine.project.backfill.fleet`: loader, trucks and bulldozer (Tables 6, 8, 9, 11,
  12, 14, 15) and :data:`LAYER_BUCKET_FILL_FACTOR`;
* :mod:`postmine.project.backfill.base`: activity and table keys and table helpers.

This module re-exports every public name it used to define, so
``from postmine.project.backfill_design import design_backfill`` (or
``backfill_design.SETTLEMENT_YEARS``) keeps working; each name is defined once, in the
module listed above.
"""

from __future__ import annotations

from postmine.project.backfill.base import (
    ACTIVITIES,
    DOZE_WASTE,
    HAUL_WASTE,
    MOBILISATION,
    RECLAMATION_LAYER,
    SURFACE_PLANNING,
    TABLE_KEYS,
)
from postmine.project.backfill.base import ALL_MODELS as ALL_MODELS
from postmine.project.backfill.base import LAYER_MATERIAL as LAYER_MATERIAL
from postmine.project.backfill.base import PARAMETER_COLUMNS as PARAMETER_COLUMNS
from postmine.project.backfill.base import TM3 as TM3
from postmine.project.backfill.base import TOTAL as TOTAL
from postmine.project.backfill.base import K as K
from postmine.project.backfill.calendar_plan import FILLING_NOTE as FILLING_NOTE
from postmine.project.backfill.calendar_plan import NO_LIMIT_NOTE as NO_LIMIT_NOTE
from postmine.project.backfill.calendar_plan import TABLE_4_COLUMNS as TABLE_4_COLUMNS
from postmine.project.backfill.calendar_plan import TABLE_4_NOTE as TABLE_4_NOTE
from postmine.project.backfill.calendar_plan import TABLE_5_NOTE as TABLE_5_NOTE
from postmine.project.backfill.calendar_plan import TIMELINE_COLUMNS as TIMELINE_COLUMNS
from postmine.project.backfill.calendar_plan import TIMELINE_NOTE as TIMELINE_NOTE
from postmine.project.backfill.design import design_backfill
from postmine.project.backfill.fleet import DOZING_WORK as DOZING_WORK
from postmine.project.backfill.fleet import HAULAGE_WORK as HAULAGE_WORK
from postmine.project.backfill.fleet import LAYER_BUCKET_FILL_FACTOR
from postmine.project.backfill.fleet import LOADING_WORK as LOADING_WORK
from postmine.project.backfill.fleet import TABLE_6_COLUMNS as TABLE_6_COLUMNS
from postmine.project.backfill.fleet import TABLE_6_NOTE as TABLE_6_NOTE
from postmine.project.backfill.fleet import TABLE_8_COLUMNS as TABLE_8_COLUMNS
from postmine.project.backfill.fleet import TABLE_8_NOTE as TABLE_8_NOTE
from postmine.project.backfill.fleet import TABLE_9_COLUMNS as TABLE_9_COLUMNS
from postmine.project.backfill.fleet import TABLE_9_NOTE as TABLE_9_NOTE
from postmine.project.backfill.fleet import TABLE_11_COLUMNS as TABLE_11_COLUMNS
from postmine.project.backfill.fleet import TABLE_11_NOTE as TABLE_11_NOTE
from postmine.project.backfill.fleet import TABLE_12_COLUMNS as TABLE_12_COLUMNS
from postmine.project.backfill.fleet import TABLE_12_NOTE as TABLE_12_NOTE
from postmine.project.backfill.fleet import TABLE_14_NOTE as TABLE_14_NOTE
from postmine.project.backfill.fleet import TABLE_15_NOTE as TABLE_15_NOTE
from postmine.project.backfill.surface import LAYER_NOTE as LAYER_NOTE
from postmine.project.backfill.surface import PLANNING_NOTE as PLANNING_NOTE
from postmine.project.backfill.surface import PRISM_NOTE as PRISM_NOTE
from postmine.project.backfill.surface import SETTLEMENT_YEARS

__all__ = [
    "ACTIVITIES",
    "DOZE_WASTE",
    "HAUL_WASTE",
    "LAYER_BUCKET_FILL_FACTOR",
    "MOBILISATION",
    "RECLAMATION_LAYER",
    "SETTLEMENT_YEARS",
    "SURFACE_PLANNING",
    "TABLE_KEYS",
    "design_backfill",
]
