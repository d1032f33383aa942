"""The ``postmine`` command line: parse, call the calculation layer, render. No formulas."""
