"""``Quantity.of``: calculation rows built from the table of quantities."""

import pytest

from postmine.calc.base import Quantity
from postmine.data.quantities import quantity


def test_a_row_takes_symbol_name_and_unit_from_the_table():
    q = Quantity.of("slide_prism_width_m", 12.5, equation="003 sec. 4.2", note="n")
    info = quantity("slide_prism_width_m")
    assert (q.symbol, q.name, q.unit) == (info.symbol, info.en, info.unit)
    assert (q.value, q.equation, q.note) == (12.5, "003 sec. 4.2", "n")


def test_a_row_declared_for_many_items_is_filled_in():
    q = Quantity.of("metal_unit_cost_rub_per_t", 1.0, equation="5.5", scheme="Б")
    assert q.symbol == "С_м[Б]"
    assert q.name == "cost of one tonne of finished metal, scheme Б"
    assert q.unit == "rub/t"


def test_an_unknown_key_or_an_unfilled_placeholder_raises():
    with pytest.raises(ValueError, match="quantity 'no_such_m' is not declared"):
        Quantity.of("no_such_m", 1.0, equation="1")
    with pytest.raises(KeyError, match="scheme"):
        Quantity.of("metal_unit_cost_rub_per_t", 1.0, equation="5.5", concentrate="x")
    with pytest.raises(KeyError, match="scheme"):
        Quantity.of("metal_unit_cost_rub_per_t", 1.0, equation="5.5")
