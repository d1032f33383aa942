"""One home for each engineering chain of 003 and 004, SI inside, typed results.

A chain strings the formulas of :mod:`postmine.methods` into the sequence a source document
computes (003's waste volumes -> schedule -> loader -> truck -> bulldozer; 004 PR1's pit and
dump; 004 PR3's 21 land-use indicators). The calculator (:mod:`postmine.calc`), the project
engine (:mod:`postmine.project`), the registry's statistics, the CLI and the API all call the
same chain; none of them re-strings the formulas.
"""
