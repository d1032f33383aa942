"""Routes of statistics: aggregates of the registry and the land-use indicators of 004 PR3.

Both are computed by :mod:`postmine.registry.stats` from the records (never typed in); the
indicators by the PR3 chain (:mod:`postmine.chains.land_use`) that ``postmine calc
land-use-indicators`` calls too.
Aggregates hold no money and are open to every principal; an operator token aggregates
the objects and TMF of its own sites only. The land-use indicators describe a whole
territory (every site in it), as the public may see it; the economic ones are computed from
prices the caller gives.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field, TypeAdapter, ValidationError
from sqlalchemy import select

from postmine.api.auth import ContextDep
from postmine.api.schemas import NOT_FOUND, AggregateOut, LandUseOut, describe
from postmine.registry import stats
from postmine.registry.models import Site

__all__ = ["router"]

router = APIRouter(tags=["statistics"])

_INT_KEYS = ("year", "site_id", "territory_id", "hazard_class")
_TEXT_KEYS = (
    "region",
    "kind",
    "state",
    "reclamation_direction",
    "tmf_class",
    "dataset",
    "indicator",
)


def _invalid(name: str | None, message: str) -> RequestValidationError:
    loc = ("query",) if name is None else ("query", name)
    return RequestValidationError(
        [{"loc": loc, "msg": message, "type": "value_error", "input": None}]
    )


def _many(description: str) -> Any:
    return Query(description=f"{description} Repeat for several (any of them).")


@router.get("/stats/aggregate", response_model=AggregateOut, summary="Aggregate the registry")
def aggregate(
    ctx: ContextDep,
    of: Annotated[
        Literal["objects", "tmf", "statistics"], Query(description="Records to aggregate.")
    ] = "objects",
    by: Annotated[
        list[str] | None,
        Query(
            description=(
                "Grouping keys, repeated: objects by region, year, kind, state, "
                "reclamation_direction, site_id, territory_id; TMF by region, year, "
                "tmf_class, hazard_class, site_id, territory_id; statistics by dataset, "
                "region, year, indicator. None: one total row."
            )
        ),
    ] = None,
    region: Annotated[list[str] | None, _many("Only this region.")] = None,
    year: Annotated[list[int] | None, _many("Only this year. [year]")] = None,
    kind: Annotated[list[str] | None, _many("Only objects of this kind.")] = None,
    state: Annotated[list[str] | None, _many("Only objects in this state.")] = None,
    reclamation_direction: Annotated[
        list[str] | None, _many("Only objects of this reclamation direction.")
    ] = None,
    site_id: Annotated[list[int] | None, _many("Only this site.")] = None,
    territory_id: Annotated[list[int] | None, _many("Only sites of this territory.")] = None,
    tmf_class: Annotated[list[str] | None, _many("Only TMF of this class.")] = None,
    hazard_class: Annotated[list[int] | None, _many("Only TMF of this hazard class.")] = None,
    dataset: Annotated[list[str] | None, _many("Only statistics of this dataset.")] = None,
    indicator: Annotated[list[str] | None, _many("Only statistics of this indicator.")] = None,
) -> dict[str, Any]:
    """Group objects, TMF or published statistics and sum them per group.

    Objects sum to ``count``, ``area_ha`` and ``volume_m3``; TMF to ``count``, ``mass_t``
    and ``volume_m3``; statistics to ``count`` and ``value`` per ``unit``. ``year`` of an
    object is the year it entered its current state.
    """
    given = {
        "region": region,
        "year": year,
        "kind": kind,
        "state": state,
        "reclamation_direction": reclamation_direction,
        "site_id": site_id,
        "territory_id": territory_id,
        "tmf_class": tmf_class,
        "hazard_class": hazard_class,
        "dataset": dataset,
        "indicator": indicator,
    }
    allowed = stats.AGGREGATE_KEYS[of]
    where: dict[str, Any] = {}
    for key, values in given.items():
        if values is None:
            continue
        if key not in allowed:
            raise _invalid(key, f"{key} is not a key of {of}; keys: {', '.join(allowed)}")
        where[key] = values
    keys = list(by or [])
    for key in keys:
        if key not in allowed:
            raise _invalid("by", f"by: {key!r} is not a key of {of}; keys: {', '.join(allowed)}")
    if len(set(keys)) != len(keys):
        raise _invalid("by", f"by must not repeat a key, got {keys}")
    with ctx.session() as session:
        if ctx.principal.role == "operator" and of != "statistics":
            own = set(
                session.scalars(
                    select(Site.id).where(Site.operator_id == ctx.principal.operator_id)
                )
            )
            asked = set(where.get("site_id") or own)
            where["site_id"] = sorted(asked & own)
        rows = stats.aggregate(session, keys, of=of, where=where)
    return {"of": of, "by": keys, "rows": rows}


class CropIn(BaseModel):
    """A crop on the reclaimed farmland of a territory (004 PR3)."""

    name: str = Field(description=describe("Crop (fodder, grain, meadow ...).", "-"))
    share: float = Field(
        gt=0.0, le=1.0, description=describe("Share of the reclaimed farmland, 0..1.", "-")
    )
    yield_reclaimed: float = Field(
        ge=0.0, description=describe("У_рз_i, yield on reclaimed land.", "centner/ha")
    )
    yield_farmland: float = Field(
        ge=0.0, description=describe("У_схз_i, yield on undisturbed farmland.", "centner/ha")
    )
    price: float = Field(ge=0.0, description=describe("Ц_i, wholesale price.", "rub/centner"))


_CROPS = TypeAdapter(list[CropIn])

_LAND_USE_PARAMS = (
    "nontransport_dump_ids",
    "building_area",
    "recreation_area",
    "annual_output",
    "annual_solid_waste",
    "internal_dump_volume",
    "waste_unit",
    "workers",
    "residents",
    "land_price",
    "crops",
)


def _amount(description: str, unit: str) -> Any:
    return Query(ge=0.0, allow_inf_nan=False, description=describe(description, unit))


@router.get(
    "/territories/{territory_id}/land-use-indicators",
    response_model=LandUseOut,
    responses=NOT_FOUND,
    tags=["territories"],
    summary="Land-use indicators of 004 PR3 of a territory",
)
def land_use_indicators(
    ctx: ContextDep,
    territory_id: int,
    nontransport_dump_ids: Annotated[
        list[int] | None,
        Query(description="Internal dumps built without transport (S_б), repeated. [-]"),
    ] = None,
    building_area: Annotated[
        float | None, _amount("S_з, built-up area of the sanitary zone.", "ha")
    ] = None,
    recreation_area: Annotated[float | None, _amount("S_р, recreation zone.", "ha")] = None,
    annual_output: Annotated[float | None, _amount("V_д, annual coal output.", "t/year")] = None,
    annual_solid_waste: Annotated[
        float | None, _amount("ΣV_то, annual solid waste, in waste_unit.", "t/year or m³/year")
    ] = None,
    internal_dump_volume: Annotated[
        float | None,
        _amount("V_вн, annual waste into internal dumps, in waste_unit.", "t/year or m³/year"),
    ] = None,
    waste_unit: Annotated[
        Literal["t", "m3"], Query(description="Unit of the two waste amounts.")
    ] = "t",
    workers: Annotated[float | None, _amount("N_р, people employed by the mine.", "persons")] = (
        None
    ),
    residents: Annotated[
        float | None, _amount("N_ж, residents of the mining settlement.", "persons")
    ] = None,
    land_price: Annotated[
        float | None, _amount("Ц_н, normative cadastral value of land.", "rub/ha")
    ] = None,
    crops: Annotated[
        str | None,
        Query(
            description=(
                'Crops on the reclaimed farmland as JSON: [{"name": "grain", "share": 1.0, '
                '"yield_reclaimed": 18.0, "yield_farmland": 22.0, "price": 1200.0}] '
                "(shares add up to 1; yields [centner/ha], price [rub/centner])."
            )
        ),
    ] = None,
) -> dict[str, Any]:
    """Compute the 21 land-use indicators of 004 PR3 for a territory from its objects.

    The areas come from the registry; the mine's output, waste, staff, settlement, land
    price, built-up and recreation areas and crops are query parameters, and each indicator
    that needs one left out is listed in ``not_computed``.
    """
    crop_rows: list[stats.CropYield] = []
    if crops is not None:
        try:
            parsed = _CROPS.validate_json(crops)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            shown = f"crops[{where}]" if where else "crops"
            raise _invalid("crops", f"{shown}: {first['msg']}") from None
        crop_rows = [stats.CropYield(**c.model_dump()) for c in parsed]
    with ctx.session() as session:
        try:
            report = stats.territory_land_use_indicators(
                session,
                territory_id,
                nontransport_dump_ids=nontransport_dump_ids or (),
                building_area=building_area,
                recreation_area=recreation_area,
                annual_output=annual_output,
                annual_solid_waste=annual_solid_waste,
                internal_dump_volume=internal_dump_volume,
                waste_unit=waste_unit,
                workers=workers,
                residents=residents,
                land_price=land_price,
                crops=crop_rows,
            )
        except ValueError as exc:
            # the message starts with the parameter it refuses, if it is one of ours
            name = re.match(r"\w+", str(exc))
            field = name.group(0) if name and name.group(0) in _LAND_USE_PARAMS else None
            raise _invalid(field, str(exc)) from None
    return report.to_dict()
