"""Design of a void backfilled by tiers (document 003): every table of 003 for one site.

From a validated :class:`~postmine.project.schema.ProjectFile` with a ``[void]`` this package
computes, with the 003 chain (:mod:`postmine.chains.backfill`, :mod:`postmine.chains.machines`,
:mod:`postmine.chains.dozing`; the same code ``postmine calc`` runs):

* the annual waste volumes (003 Table 4) and the filling time (sec. 3.1);
* the calendar plan by tier and year within the legal limit of years (Table 5): the
  ``[rules] max_technical_years`` of the project file wins over the rule set's limit;
* the planning volume (sec. 3.2), the reclamation layer (sec. 3.3), the slide prism (4.2);
* the loader (Tables 8, 9), trucks (Tables 11, 12) and bulldozer (Tables 14, 15) of the
  streams handled by the project's fleet, and the fleet summary (Table 6);
* a timeline of the activities, the findings (rules exceeded, capacity, fleet use), the
  machine hours of every activity, year and machine model, and the materials.

Scheduling (003 gives the order, not the dates):

* ``haul-waste`` (loader and trucks) and ``doze-waste`` (bulldozer) run over the years of
  the calendar plan; a year the void fills in is a part year.
* ``surface-planning``: 003 sec. 3.2 plans the surface "after all tiers are formed and have
  settled, i.e. 1-1.5 years after the full backfill". Time runs continuously (calendar
  year Y is the interval [Y, Y + 1)); the planning starts :data:`SETTLEMENT_YEARS` (the
  lower bound, 1 year) after the backfill ends -- the end of the calendar plan, whether the
  void is full or the limit of years stopped it -- and lasts as long as the project's
  bulldozers need for it. For 003 the backfill ends with 2036, so the planning is in 2038.
* ``reclamation-layer``: 003 sec. 3.3 places the layer "after the full backfill and the
  completion of the planning": it starts when the planning ends and lasts as long as the
  slowest of the project's machines needs (trucks hauling the imported volume over
  ``reclamation_layer.haul_distance_km``, the loader loading it, the bulldozer spreading
  it), at the machines' shift outputs and the fleet's whole numbers (trucks x k_тг,
  bulldozers / K_р). A year's share of the work is the share of the activity's time in it.
* ``mobilisation``: one lump sum in the first year.

An activity whose last year is after the legal limit (start year + limit - 1) is reported
as a violation: for 003 the planning and the layer fall after 2036, the end of technical
reclamation that 003 sec. 5 states while sec. 3.2-3.3 put both after the full backfill.

Units: SI inside (m³, m³/year, m³/shift, s, h for machine hours); tables keep the source's
units in their keys (thousand t, thousand m³, min); work items and materials are SI (m³, h).

Layout -- explicit steps passing typed results (gather -> compute -> tables):

* :mod:`~postmine.project.backfill.design`: :func:`design_backfill`, which runs the steps;
* :mod:`~postmine.project.backfill.base`: activity and table keys, table helpers, the legal
  limit of years and :class:`~postmine.project.backfill.base.DesignInputs`;
* :mod:`~postmine.project.backfill.calendar_plan`: waste volumes (Table 4), filling time
  (sec. 3.1), calendar plan (Table 5) -> ``BackfillResult``; the timeline;
* :mod:`~postmine.project.backfill.fleet`: loader, trucks and bulldozer (Tables 8-15) ->
  ``FleetResult``, :data:`LAYER_BUCKET_FILL_FACTOR`; their tables (Tables 6-15) and the
  findings on the fleet in :mod:`~postmine.project.backfill.fleet_tables`;
* :mod:`~postmine.project.backfill.surface`: surface planning (sec. 3.2), reclamation layer
  (sec. 3.3), slide prism (sec. 4.2) -> ``FinishingResult``, :data:`SETTLEMENT_YEARS`;
* :mod:`~postmine.project.backfill.work`: work items, materials and activity years;
* :mod:`~postmine.project.backfill.findings`: limits, capacity, late activities, layer,
  deadlines.
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
from postmine.project.backfill.design import design_backfill
from postmine.project.backfill.fleet import LAYER_BUCKET_FILL_FACTOR
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
