"""Contract tests over every calculation of ``postmine calc``."""

import json
import math

import pytest

from postmine import calc
from postmine.calc.base import Quantity, VariantUnavailableError
from postmine.data import read_variant_table

EXPECTED = {
    "pit-land-allotment",
    "soil-damage",
    "land-use-indicators",
    "ore-cutoff",
    "losses-dilution",
    "complex-deposit",
    "waste-volumes",
    "backfill-schedule",
    "loader-fleet",
    "truck-fleet",
    "dozer-fleet",
    "slide-prism",
}

CALCS = calc.registry()


def test_every_method_of_the_issue_is_registered():
    assert set(CALCS) >= EXPECTED, sorted(EXPECTED - set(CALCS))


def _check_results(results: list[Quantity]) -> None:
    assert results, "a calculation must report at least one quantity"
    for q in results:
        assert isinstance(q, Quantity)
        assert q.symbol.strip() and q.name.strip() and q.equation.strip(), q
        if isinstance(q.value, float):
            assert math.isfinite(q.value), q
        json.dumps(q.to_dict(), ensure_ascii=False)


EXAMPLES = [(name, ex) for name, c in CALCS.items() for ex in c.examples]


@pytest.mark.parametrize(("name", "example"), EXAMPLES)
def test_examples_run(name, example):
    c = CALCS[name]
    model, results = c.run(c.examples[example]())
    _check_results(results)
    json.dumps(model.model_dump(mode="json"))


VARIANTS = [
    (name, row["variant"])
    for name, c in CALCS.items()
    if c.variant_table
    for row in read_variant_table(c.variant_table)
]


@pytest.mark.parametrize(("name", "variant"), VARIANTS)
def test_every_variant_runs_or_is_refused_clearly(name, variant):
    from postmine.data import variant_row

    c = CALCS[name]
    assert c.from_variant is not None and c.variant_table is not None
    try:
        inputs = c.from_variant(variant_row(c.variant_table, variant))
    except VariantUnavailableError as exc:
        assert f"variant {variant}" in str(exc)
        return
    _, results = c.run(inputs)
    _check_results(results)


def test_methods_with_variant_tables_have_a_converter():
    for c in CALCS.values():
        assert (c.variant_table is None) == (c.from_variant is None), c.name


def test_variant_out_of_range_is_a_clear_error():
    from postmine.data import variant_row

    for c in CALCS.values():
        if c.variant_table:
            with pytest.raises(ValueError, match=r"variant must be in .* of 004, got 999"):
                variant_row(c.variant_table, 999)


@pytest.mark.parametrize(("name", "example"), EXAMPLES)
def test_json_inputs_round_trip_through_an_input_file(name, example, tmp_path):
    """The "inputs" of --json output is a valid --input file giving the same results."""
    from postmine.calc.inputs import read_inputs

    c = CALCS[name]
    model, results = c.run(c.examples[example]())
    path = tmp_path / "inputs.json"
    path.write_text(json.dumps(model.model_dump(mode="json"), ensure_ascii=False))
    _, again = c.run(read_inputs(path))
    assert [q.to_dict() for q in again] == [q.to_dict() for q in results]
