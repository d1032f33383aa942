"""Operators: registered once by name, found, listed (both backends)."""

from __future__ import annotations

import pytest

from postmine.db import RecordValueError
from postmine.registry import records as s
from postmine.registry.records.operators import insert_operator


def test_operator_create_find_and_refuse_duplicate(session):
    op = insert_operator(session, name="  Abaza Mine LLC ", tax_id="1902000000")
    assert op.name == "Abaza Mine LLC"
    assert s.get_operator(session, op.id) is op
    assert s.find_operator(session, "Abaza Mine LLC") is op
    assert s.find_operator(session, "nobody") is None
    with pytest.raises(RecordValueError, match="operator 'Abaza Mine LLC' is already"):
        insert_operator(session, name="Abaza Mine LLC")
    with pytest.raises(RecordValueError, match="name must be non-empty text, got ''"):
        insert_operator(session, name="")
    with pytest.raises(s.NotFoundError, match="operator 999 not found"):
        s.get_operator(session, 999)
