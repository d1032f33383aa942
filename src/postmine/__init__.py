"""postmine: the life cycle of mining territories after mining.

The package is layered (see ``shared/ARCHITECTURE.md``):

* :mod:`postmine.methods` -- pure, documented, vectorised engineering formulas of the
  source documents (004 practical works, 003 Abaza reclamation project);
* :mod:`postmine.calc` -- calculations that run one method family on validated inputs
  and report every intermediate quantity with symbol, unit and source equation;
* :mod:`postmine.data` -- packaged tables (variant tables of 004, equipment catalogue);
* :mod:`postmine.cli` -- the ``postmine`` command.
"""

__version__ = "0.1.0"
