"""Routes of the table of quantities: every quantity postmine reports, in English and Russian.

The rows come from :mod:`postmine.data.quantities` (``data/quantities/*.toml``), the same
table the calculator's rows, the project's tables and the reports take their names, symbols
and units from. Reference data: open to everyone, no token needed.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, status
from pydantic import BaseModel, Field

from postmine.api.schemas import describe
from postmine.data.quantities import QuantityInfo, all_quantities

__all__ = ["QuantityOut", "router"]

router = APIRouter(tags=["quantities"])


class QuantityOut(BaseModel):
    """One row of the table of quantities."""

    key: str = Field(description=describe("Descriptive name with the unit (volume_m3).", "-"))
    symbol: str = Field(description=describe("The source's symbol, empty if none.", "-"))
    unit: str = Field(description=describe("Unit of the value, empty if dimensionless.", "-"))
    en: str = Field(description=describe("Label in English.", "-"))
    ru: str = Field(description=describe("Label in Russian.", "-"))
    source: str = Field(description=describe("Document and equation or table.", "-"))


def _out(info: QuantityInfo) -> QuantityOut:
    return QuantityOut(
        key=info.key,
        symbol=info.symbol,
        unit=info.unit,
        en=info.en,
        ru=info.ru,
        source=info.source,
    )


@router.get(
    "/quantities",
    response_model=list[QuantityOut],
    summary="The table of quantities (name, symbol, unit, en, ru, source)",
)
def list_quantities(
    source: Annotated[
        str | None,
        Query(description="Only rows whose source contains this text, e.g. '004 PR3'. [-]"),
    ] = None,
) -> list[QuantityOut]:
    """Return every declared quantity, ordered by key, optionally those of one source."""
    rows = sorted(all_quantities().values(), key=lambda info: info.key)
    if source is not None:
        rows = [info for info in rows if source.casefold() in info.source.casefold()]
    return [_out(info) for info in rows]


@router.get(
    "/quantities/{key}",
    response_model=QuantityOut,
    responses={404: {"description": "No quantity of that key."}},
    summary="One quantity of the table",
)
def get_quantity(key: str) -> QuantityOut:
    """Return the quantity ``key``."""
    info = all_quantities().get(key)
    if info is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"quantity {key!r} is not declared")
    return _out(info)
