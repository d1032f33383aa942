"""The column declaration of postmine.db.base: info, CHECK constraints and Python checks.

A scratch declarative base with its own metadata is used, so ``Base.metadata`` keeps only
the real models (the migration tests compare it with the migrated schema).
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import Float, Integer, MetaData, String, create_engine, insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase

from postmine.db import (
    NAMING_CONVENTION,
    Base,
    RecordValueError,
    add_range_checks,
    check_number,
    col,
    column_info,
)


class _Scratch(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Borehole(_Scratch):
    """A scratch table with one column of each kind of declared constraint."""

    __tablename__ = "boreholes"

    id = col(Integer, primary_key=True, unit="-", description="Identifier.")
    depth_m = col(Float, unit="m", description="Depth.", gt=0.0)
    dip_deg = col(Float, unit="°", description="Dip.", nullable=True, ge=0.0, le=90.0)
    core_boxes = col(Integer, unit="-", description="Core boxes.", nullable=True, ge=0)
    purpose = col(
        String(16), unit="-", description="Purpose.", choices=("geotech", "hydro"), nullable=True
    )


add_range_checks(Borehole)


def test_col_keeps_unit_description_and_bounds_in_info():
    info = Borehole.__table__.c.dip_deg.info
    assert info == {"unit": "°", "description": "Dip.", "ge": 0.0, "le": 90.0}
    assert Borehole.__table__.c.purpose.info["choices"] == ("geotech", "hydro")


def test_every_bound_and_choice_becomes_a_named_check_constraint():
    names = {c.name for c in Borehole.__table__.constraints if c.name}
    assert {
        "ck_boreholes_depth_m_range",
        "ck_boreholes_dip_deg_range",
        "ck_boreholes_core_boxes_range",
        "ck_boreholes_purpose_choice",
    } <= names


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"depth_m": 0.0}, "depth_m must be > 0 m, got 0.0"),
        ({"depth_m": None}, "depth_m is required"),
        ({"depth_m": "deep"}, "depth_m must be a number, got 'deep'"),
        ({"depth_m": True}, "depth_m must be a number, got True"),
        ({"depth_m": float("inf")}, "depth_m must be finite, got inf"),
        ({"depth_m": 1.0, "dip_deg": 91.0}, "dip_deg must be in 0..90 °, got 91.0"),
        ({"depth_m": 1.0, "core_boxes": -1}, "core_boxes must be >= 0, got -1"),
        ({"depth_m": 1.0, "core_boxes": 2.5}, "core_boxes must be a whole number, got 2.5"),
        ({"depth_m": 1.0, "purpose": "mining"}, "purpose must be one of 'geotech', 'hydro'"),
    ],
)
def test_python_checks_name_the_column_the_range_and_the_value(values, message):
    with pytest.raises(RecordValueError, match=message) as caught:
        Borehole(**values)
    field = next(k for k in values if k != "depth_m") if len(values) > 1 else "depth_m"
    assert caught.value.field == field
    assert isinstance(caught.value, ValueError)


def test_accepted_values_pass_through_and_whole_numbers_become_int():
    hole = Borehole(depth_m=Decimal("12.5"), dip_deg=None, core_boxes=3.0, purpose="hydro")
    assert hole.core_boxes == 3
    assert isinstance(hole.core_boxes, int)
    assert hole.dip_deg is None
    hole.dip_deg = 90.0  # assignment is checked too
    with pytest.raises(RecordValueError, match=r"dip_deg must be in 0\.\.90"):
        hole.dip_deg = -1.0


def test_the_database_refuses_what_the_python_check_would():
    engine = create_engine("sqlite://")
    _Scratch.metadata.create_all(engine)
    with engine.begin() as connection, pytest.raises(IntegrityError, match="depth_m_range"):
        connection.execute(insert(Borehole.__table__).values(depth_m=-1.0))
    with engine.begin() as connection, pytest.raises(IntegrityError, match="purpose_choice"):
        connection.execute(insert(Borehole.__table__).values(depth_m=1.0, purpose="mining"))
    engine.dispose()


@pytest.mark.parametrize(
    ("value", "shown", "message"),
    [
        ("1", None, "value must be a number, got '1'"),
        (False, None, "value must be a number, got False"),
        (float("nan"), "composition[Fe]", r"composition\[Fe\] must be finite, got nan"),
    ],
)
def test_check_number_refuses(value, shown, message):
    with pytest.raises(RecordValueError, match=message) as caught:
        check_number("value", value, shown)
    assert caught.value.field == "value"
    assert caught.value.value is value


def test_check_number_accepts_int_float_and_decimal():
    assert check_number("value", 2) == 2.0
    assert check_number("value", Decimal("0.25")) == 0.25


def test_column_info_of_a_model_table_and_of_none():
    import postmine.registry.models  # noqa: F401  (the tmf table)

    assert column_info("tmf")["mass_t"]["unit"] == "t"
    assert "boreholes" not in Base.metadata.tables  # scratch tables stay apart
    with pytest.raises(KeyError, match="no table 'boreholes'"):
        column_info("boreholes")
