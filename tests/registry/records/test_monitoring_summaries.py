"""Monitoring summaries: periods, criteria, the object of the same site (both backends)."""

from __future__ import annotations

import math
from datetime import date

import pytest

from postmine.db import RecordValueError
from postmine.registry import records as s
from postmine.registry.records.monitoring_summaries import insert_monitoring_summary
from postmine.registry.records.objects import (
    insert_object,
)


def test_monitoring_summaries(session, site):
    obj = insert_object(session, site_id=site.id, kind="external-dump", name="D", area_ha=10)
    common = {"site_id": site.id, "unit": "%", "source": "field survey", "object_id": obj.id}
    insert_monitoring_summary(
        session,
        parameter="vegetation_cover",
        value=42.0,
        criteria_met=False,
        period_start=date(2023, 6, 1),
        period_end=date(2023, 8, 31),
        **common,
    )
    insert_monitoring_summary(
        session,
        parameter="vegetation_cover",
        value=71.5,
        criteria_met=True,
        period_start=date(2024, 6, 1),
        period_end=date(2024, 8, 31),
        **common,
    )
    page = s.list_monitoring(session, site_id=site.id, parameter="vegetation_cover")
    assert [(m.value, m.criteria_met) for m in page.items] == [(42.0, False), (71.5, True)]
    with pytest.raises(RecordValueError, match="period_end must not precede period_start"):
        insert_monitoring_summary(
            session,
            parameter="ph",
            value=7.0,
            criteria_met=True,
            period_start=date(2024, 6, 2),
            period_end=date(2024, 6, 1),
            **common,
        )
    with pytest.raises(RecordValueError, match="value must be finite, got nan"):
        insert_monitoring_summary(
            session,
            parameter="ph",
            value=math.nan,
            criteria_met=True,
            period_start=date(2024, 6, 1),
            period_end=date(2024, 6, 1),
            **common,
        )
