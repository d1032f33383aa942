"""The reclamation project engine: one project file -> design, schedule, fleet, cost, assurance.

Layers: :mod:`postmine.project.schema` (the project file), :mod:`postmine.project.rules`
(versioned legal rule sets), :mod:`postmine.project.engine` (runs the methods for a site and
returns a :class:`~postmine.project.model.ProjectResult`), :mod:`postmine.project.costing`,
:mod:`postmine.project.uncertainty` and :mod:`postmine.project.assurance` (cost, bond,
provision, Monte Carlo, staged release).
"""
