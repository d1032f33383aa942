"""Request and response models of the REST API, built from the registry's one schema.

The registry declares every column once (:mod:`postmine.registry.models`): its Python type
(the ``Mapped[...]`` annotation), its unit and meaning (``info``), its range (``ge``,
``gt``, ``le``) and its closed list of values (``choices``). The API takes all of that from
there, so the OpenAPI document carries the same units and descriptions as the database:

* **Responses** are generated from the tables (:func:`table_model`): one field per column,
  typed from the model's annotation (``choices`` become a ``Literal``, the geometry a
  GeoJSON object), described as ``"<description> [<unit>]"`` with the unit also under the
  OpenAPI extension key ``x-unit``. A column added to a table appears in the API without
  touching this module.
* **Requests** are written out (a request is not a row: the site comes from the path, the
  geometry is GeoJSON, a document may come as bytes), but every field that fills a column
  takes its description, unit and range from that column (:func:`column_field`); a test
  checks that they agree. Unknown fields, NaN and infinities are refused, so a bad body
  gives a 422 naming the field.

Money
-----
Every amount of money is a key ending in ``_rub``. :func:`without_money` removes those keys
from any JSON-ready value (used for principals who may not see financial details, see
:mod:`postmine.api.auth`), and :func:`public_plan_result` reduces a plan's computed result to
its non-financial parts.
"""

from __future__ import annotations

import base64
import binascii
import functools
import types
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Annotated, Any, Literal, Union, cast, get_args, get_origin, get_type_hints

from fastapi import Query
from pydantic import BaseModel, ConfigDict, Field, create_model, field_validator
from pydantic_core import PydanticUndefined
from sqlalchemy import Column
from sqlalchemy.orm import Mapped

from postmine.db import Base
from postmine.registry import models
from postmine.registry.geometry import BaseGeometry, check_geometry, from_geojson
from postmine.registry.models import (
    AssuranceTransaction,
    DisturbanceObject,
    Document,
    DocumentKind,
    FinancialAssurance,
    MonitoringSummary,
    ObjectKind,
    ObjectState,
    ObjectStateChange,
    Operator,
    ReclamationDirection,
    ReclamationPlan,
    Site,
    SiteStatus,
    SiteTypology,
    Territory,
    TerritoryKind,
    Tmf,
    TmfClass,
    TokenRole,
)
from postmine.registry.records import DEFAULT_LIMIT, MAX_LIMIT, Page

__all__ = [
    "FINANCIAL_READ",
    "NOT_FOUND",
    "WRITE_ERRORS",
    "AggregateOut",
    "AssuranceBalanceOut",
    "AssuranceCreate",
    "AssuranceDetailOut",
    "AssuranceOut",
    "DepositIn",
    "DocumentCreate",
    "DocumentOut",
    "ForfeitIn",
    "InclusionProofOut",
    "IndicatorOut",
    "LandUseOut",
    "Limit",
    "MonitoringCreate",
    "MonitoringOut",
    "ObjectCreate",
    "ObjectDetailOut",
    "ObjectOut",
    "ObjectStateOut",
    "Offset",
    "OperatorCreate",
    "OperatorOut",
    "PlanApprove",
    "PlanDetailOut",
    "PlanOut",
    "PlanSubmit",
    "ReleaseIn",
    "RequestModel",
    "Responses",
    "SiteCreate",
    "SiteOut",
    "StageAccept",
    "TerritoryCreate",
    "TerritoryOut",
    "TmfCreate",
    "TmfOut",
    "TokenCreate",
    "TokenCreated",
    "TransactionOut",
    "VerifyReportOut",
    "column_field",
    "describe",
    "page_model",
    "page_out",
    "public_plan_result",
    "table_model",
    "without_money",
]

MONEY_SUFFIX = "_rub"
"""Suffix of every key holding an amount of money (roubles)."""

UNIT_KEY = "x-unit"
"""OpenAPI extension key carrying the unit of a field."""


# --- descriptions and fields from the columns ------------------------------------------------


def describe(description: str, unit: str) -> str:
    """Return a field description ending with its unit in brackets.

    Examples
    --------
    >>> describe("Mass accumulated.", "t")
    'Mass accumulated. [t]'
    """
    return f"{description} [{unit}]"


def _info(model: type[Base], column: str) -> dict[str, Any]:
    info: dict[str, Any] = dict(model.__table__.c[column].info)
    return info


def column_field(model: type[Base], column: str, default: Any = PydanticUndefined) -> Any:
    """Return a pydantic ``Field`` with a column's description, unit and range.

    Parameters
    ----------
    model : type
        Registry model holding the column (``Tmf``).
    column : str
        Column name (``"mass_t"``).
    default : Any, optional
        Default value; the field is required without one.

    Returns
    -------
    pydantic.fields.FieldInfo
        The field: ``description`` = column description and ``[unit]``, the unit under
        ``x-unit`` and the column's ``ge``/``gt``/``le`` as constraints (``choices`` are
        expressed by the field's ``Literal`` type).

    Examples
    --------
    >>> field = column_field(Tmf, "hazard_class")
    >>> field.description
    'Hazard class of the waste, I (extremely hazardous) to V (practically non-hazardous). [-]'
    >>> field.json_schema_extra
    {'x-unit': '-'}
    """
    info = _info(model, column)
    bounds = {key: info[key] for key in ("ge", "gt", "le") if key in info}
    return Field(
        default,
        description=describe(info["description"], info["unit"]),
        json_schema_extra={UNIT_KEY: info["unit"]},
        **bounds,
    )


_GEOJSON_DESCRIPTION = "GeoJSON geometry object in WGS 84 longitude/latitude (EPSG:4326)."


def _unwrap_mapped(hint: Any) -> Any:
    if get_origin(hint) is Mapped:
        return get_args(hint)[0]
    return hint


def _python_type(hint: Any, info: Mapping[str, Any]) -> tuple[Any, bool]:
    """Return the API type of a column annotation and whether it is nullable."""
    nullable = False
    if get_origin(hint) in (Union, types.UnionType):
        members = [a for a in get_args(hint) if a is not type(None)]
        nullable = len(members) < len(get_args(hint))
        hint = members[0] if len(members) == 1 else Union[tuple(members)]  # noqa: UP007
    if "choices" in info:
        hint = Literal[tuple(info["choices"])]
    elif hint is BaseGeometry:
        hint = dict[str, Any]
    return hint, nullable


def table_model(
    model: type[Base],
    name: str,
    *,
    exclude: Sequence[str] = (),
    extra: Mapping[str, tuple[Any, Any]] | None = None,
    doc: str | None = None,
) -> type[BaseModel]:
    """Generate a response model with one field per column of a registry table.

    Parameters
    ----------
    model : type
        Registry model (``Site``).
    name : str
        Name of the generated model (its OpenAPI schema name).
    exclude : sequence of str
        Columns to leave out.
    extra : mapping, optional
        Further fields, ``name -> (type, Field(...))``.
    doc : str, optional
        Docstring (the schema's description); the model's docstring by default.

    Returns
    -------
    type
        A pydantic model. The geometry column ``geom`` becomes ``geometry`` (GeoJSON), as in
        :func:`postmine.registry.records.as_dict`.
    """
    hints = get_type_hints(model)
    fields: dict[str, Any] = {}
    for column in cast(Sequence[Column[Any]], list(model.__table__.columns)):
        key = str(column.key)
        if key in exclude:
            continue
        info = dict(column.info)
        hint, nullable = _python_type(_unwrap_mapped(hints[key]), info)
        description = describe(info["description"], info["unit"])
        if key == "geom":
            key = "geometry"
            description = describe(f"{_GEOJSON_DESCRIPTION} {info['description']}", info["unit"])
        annotation = hint | None if nullable else hint
        fields[key] = (
            annotation,
            Field(description=description, json_schema_extra={UNIT_KEY: info["unit"]}),
        )
    fields.update(extra or {})
    generated: type[BaseModel] = create_model(name, __doc__=doc or model.__doc__, **fields)
    return generated


@functools.cache
def page_model(item: type[BaseModel]) -> type[BaseModel]:
    """Generate the model of one page of ``item``: items, total, limit, offset, next offset.

    One model per item model (cached), so that every listing of it shares one OpenAPI schema.
    """
    items = cast(Any, list)[item]
    generated: type[BaseModel] = create_model(
        f"{item.__name__}Page",
        __doc__=f"One page of {item.__name__} rows and where it stands in the whole listing.",
        items=(items, Field(description="Rows of this page.")),
        total=(int, Field(description=describe("Rows in the whole listing.", "-"))),
        limit=(int, Field(description=describe("Largest number of rows per page.", "-"))),
        offset=(int, Field(description=describe("Rows skipped before this page.", "-"))),
        next_offset=(
            int | None,
            Field(description=describe("Offset of the next page; null on the last page.", "-")),
        ),
    )
    return generated


def page_out(page: Page[Any], items: list[dict[str, Any]]) -> dict[str, Any]:
    """Return a page of rows as the JSON of :func:`page_model` (``items`` already rendered)."""
    return {
        "items": items,
        "total": page.total,
        "limit": page.limit,
        "offset": page.offset,
        "next_offset": page.next_offset,
    }


# --- money -----------------------------------------------------------------------------------


def without_money(value: Any) -> Any:
    """Return a JSON-ready value with every key ending in ``_rub`` removed, at any depth.

    Examples
    --------
    >>> without_money({"cost": {"total_rub": 5.0, "year": 2030}, "rows": [{"amount_rub": 1}]})
    {'cost': {'year': 2030}, 'rows': [{}]}
    """
    if isinstance(value, Mapping):
        return {
            k: without_money(v)
            for k, v in value.items()
            if not (isinstance(k, str) and k.endswith(MONEY_SUFFIX))
        }
    if isinstance(value, list | tuple):
        return [without_money(v) for v in value]
    return value


_PUBLIC_RESULT_SECTIONS = ("meta", "tables", "findings", "work", "activity_years")


def public_plan_result(result: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """Reduce a plan's computed result to what the public may see.

    The ``cost`` and ``assurance`` sections are left out, and so are findings in roubles and
    every ``*_rub`` key; the design tables, the work and its calendar and the other findings
    stay.

    Examples
    --------
    >>> public_plan_result({"meta": {"name": "P"}, "cost": {"total_rub": 1.0},
    ...                     "findings": [{"code": "bond", "unit": "rub"}, {"code": "x"}]})
    {'meta': {'name': 'P'}, 'findings': [{'code': 'x'}]}
    """
    if result is None:
        return None
    out = {key: result[key] for key in _PUBLIC_RESULT_SECTIONS if key in result}
    if "findings" in out:
        out["findings"] = [
            f
            for f in out["findings"]
            if not (isinstance(f, Mapping) and "rub" in str(f.get("unit") or ""))
        ]
    reduced: dict[str, Any] = without_money(out)
    return reduced


# --- responses -------------------------------------------------------------------------------

OperatorOut = table_model(Operator, "OperatorOut")
TerritoryOut = table_model(Territory, "TerritoryOut")
SiteOut = table_model(Site, "SiteOut")
ObjectOut = table_model(DisturbanceObject, "ObjectOut")
ObjectStateOut = table_model(ObjectStateChange, "ObjectStateOut")
ObjectDetailOut = table_model(
    DisturbanceObject,
    "ObjectDetailOut",
    extra={
        "history": (
            cast(Any, list)[ObjectStateOut],
            Field(description="State history of the object, oldest first."),
        )
    },
)
TmfOut = table_model(Tmf, "TmfOut")
MonitoringOut = table_model(MonitoringSummary, "MonitoringOut")
DocumentOut = table_model(Document, "DocumentOut")
TransactionOut = table_model(AssuranceTransaction, "TransactionOut")

_PLAN_INPUT_AND_RESULT = ("project_toml", "result_json")
_RESULT_CURRENT = (
    bool,
    Field(
        description=describe(
            "Whether the stored result was computed from these inputs by this postmine version.",
            "-",
        )
    ),
)
PlanOut = table_model(
    ReclamationPlan,
    "PlanOut",
    exclude=_PLAN_INPUT_AND_RESULT,
    extra={"result_current": _RESULT_CURRENT},
)
PlanDetailOut = table_model(
    ReclamationPlan,
    "PlanDetailOut",
    exclude=_PLAN_INPUT_AND_RESULT,
    extra={
        "result_current": _RESULT_CURRENT,
        "project_toml": (
            str | None,
            Field(
                description=describe(
                    "The project file as submitted (TOML text), an input; null for a "
                    "principal without financial access (it holds unit costs).",
                    "-",
                )
            ),
        ),
        "result": (
            dict[str, Any] | None,
            Field(
                description=describe(
                    "Computed result of the project engine (units in the keys); null until "
                    "computed. Without financial access: its non-financial sections only.",
                    "-",
                )
            ),
        ),
    },
)


def _money_field(description: str) -> Any:
    return Field(description=describe(description, "rub"), json_schema_extra={UNIT_KEY: "rub"})


class AssuranceBalanceOut(BaseModel):
    """Where a financial assurance stands: amounts required, paid in, released and held."""

    required_rub: float = _money_field("Amount required.")
    deposited_rub: float = _money_field("Sum of the deposits.")
    released_rub: float = _money_field("Sum of the releases.")
    forfeited_rub: float = _money_field("Sum of the forfeits.")
    held_rub: float = _money_field("Deposited less released and forfeited.")
    shortfall_rub: float = _money_field("Required amount not yet deposited (never negative).")


AssuranceOut = table_model(
    FinancialAssurance,
    "AssuranceOut",
    extra={"balance": (AssuranceBalanceOut, Field(description="Balance of the assurance."))},
)
AssuranceDetailOut = table_model(
    FinancialAssurance,
    "AssuranceDetailOut",
    extra={
        "balance": (AssuranceBalanceOut, Field(description="Balance of the assurance.")),
        "transactions": (
            cast(Any, list)[TransactionOut],
            Field(description="Deposits, releases and forfeits, by date."),
        ),
    },
)


class TokenCreated(BaseModel):
    """A new API token. The token itself is shown only here, once; the registry keeps its hash."""

    id: int = Field(description=describe("Identifier of the token.", "-"))
    role: TokenRole = column_field(models.ApiToken, "role")
    operator_id: int | None = column_field(models.ApiToken, "operator_id")
    token: str = Field(
        description=describe(
            "The token, to send as 'Authorization: Bearer <token>'; not retrievable later.", "-"
        )
    )


class ProblemOut(BaseModel):
    """A problem of the ledger named by verification."""

    seq: int | None = Field(description=describe("seq of the entry named (null: a day).", "-"))
    kind: str | None = Field(description=describe("Kind of the entry, as stored.", "-"))
    code: str = Field(description=describe("Problem code (ledger.PROBLEM_CODES).", "-"))
    message: str = Field(description=describe("Readable explanation.", "-"))
    day: date | None = Field(description=describe("UTC day, for a daily-root problem.", "date"))


class VerifyReportOut(BaseModel):
    """Result of verifying the whole ledger: chain, signatures, daily roots, releases."""

    ok: bool = Field(description=describe("True if no problem was found.", "-"))
    n_entries: int = Field(description=describe("Entries checked.", "-"))
    n_days_checked: int = Field(description=describe("Stored daily roots checked.", "-"))
    head_hash: str | None = Field(
        description=describe("entry_hash of the last entry (publish it).", "-")
    )
    problems: list[ProblemOut] = Field(description="Problems found, by seq.")


class InclusionProofOut(BaseModel):
    """Proof that a ledger entry is included in the Merkle root of its day.

    Check it independently: from ``SHA-256(0x00 || entry_hash)``, hash with each sibling in
    turn (``SHA-256(0x01 || left || right)``, the sibling on its side) and compare with
    ``root`` (see :func:`postmine.registry.ledger.verify_inclusion`).
    """

    entry: dict[str, Any] = Field(
        description=describe(
            "The entry as stored (seq, site_id, kind, payload, prev_hash, entry_hash, actor, "
            "public_key, signature, created_at). Without financial access the payload's "
            "*_rub keys are left out (the entry_hash still proves the stored entry).",
            "-",
        )
    )
    day: date = Field(description=describe("UTC day of the entry.", "date"))
    root: str = Field(
        description=describe(
            "Merkle root of the day: the stored one if the day is sealed, else that of its "
            "entries so far; hex.",
            "-",
        )
    )
    sealed: bool = Field(description=describe("Whether the day's root is stored.", "-"))
    proof: list[tuple[str, Literal["left", "right"]]] = Field(
        description=describe("Sibling hashes from the leaf up, each with its side.", "-")
    )
    verified: bool = Field(
        description=describe("Whether the proof leads from the entry's hash to the root.", "-")
    )


class AggregateOut(BaseModel):
    """Sums of the registry's records per group (see ``postmine.registry.stats.aggregate``)."""

    of: Literal["objects", "tmf", "statistics"] = Field(description="Records aggregated.")
    by: list[str] = Field(description="Grouping keys, in order.")
    rows: list[dict[str, Any]] = Field(
        description=describe(
            "One row per group: the keys, count and the sums: area_ha [ha] and volume_m3 [m³] "
            "of objects; mass_t [t] and volume_m3 [m³] of TMF; value with its unit of "
            "statistics (never added across units).",
            "-",
        )
    )


class IndicatorOut(BaseModel):
    """One land-use indicator or intermediate of 004 PR3."""

    symbol: str = Field(description=describe("Symbol of 004 PR3 (e.g. П_вз).", "-"))
    name: str = Field(description=describe("What it measures.", "-"))
    value: float = Field(description=describe("Value, in unit.", "see unit"))
    unit: str = Field(description=describe("Unit of the value (ha, %, t/ha, rub ...).", "-"))
    equation: str = Field(description=describe("Equation of 004 PR3 (e.g. 3.12).", "-"))


class LandUseOut(BaseModel):
    """The land-use indicators of 004 PR3 of a territory, computed from its objects."""

    territory_id: int = Field(description=describe("The territory.", "-"))
    territory_name: str = Field(description=describe("Its name.", "-"))
    areas_ha: dict[str, float] = Field(
        description=describe("Areas read from the registry, by name.", "ha"),
        json_schema_extra={UNIT_KEY: "ha"},
    )
    indicators: list[IndicatorOut] = Field(description="Indicators computed, in 004's units.")
    not_computed: dict[str, str] = Field(
        description=describe("Indicators not computed -> the inputs they need.", "-")
    )


# --- requests --------------------------------------------------------------------------------


class RequestModel(BaseModel):
    """Base of request bodies: unknown fields, NaN and infinities are refused."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


def _geometry_field(what: str) -> Any:
    return Field(
        None,
        description=describe(
            f"{_GEOJSON_DESCRIPTION} {what} A Polygon or MultiPolygon gives area_ha "
            "(geodesic); otherwise give area_ha.",
            "°",
        ),
        json_schema_extra={UNIT_KEY: "°"},
    )


class _WithGeometry(RequestModel):
    geometry: dict[str, Any] | None = _geometry_field("Outline.")

    @field_validator("geometry")
    @classmethod
    def _valid_geometry(cls, value: dict[str, Any] | None) -> dict[str, Any] | None:
        if value is not None:
            check_geometry(from_geojson(value))
        return value

    def shape(self) -> BaseGeometry | None:
        """Return the geometry as a Shapely geometry (None if none was given)."""
        return None if self.geometry is None else from_geojson(self.geometry)


class OperatorCreate(RequestModel):
    """A new operator (a party that operates sites)."""

    name: str = column_field(Operator, "name")
    tax_id: str | None = column_field(Operator, "tax_id", None)


class TokenCreate(RequestModel):
    """A new API token: its role and, for an operator token, the operator it acts for."""

    role: TokenRole = column_field(models.ApiToken, "role")
    operator_id: int | None = column_field(models.ApiToken, "operator_id", None)


class TerritoryCreate(_WithGeometry):
    """A new territory (a mining district) with its sanitary protection zone."""

    name: str = column_field(Territory, "name")
    region: str = column_field(Territory, "region")
    kind: TerritoryKind = column_field(Territory, "kind", "mining-district")
    area_ha: float | None = column_field(Territory, "area_ha", None)
    sanitary_zone_area_ha: float | None = column_field(Territory, "sanitary_zone_area_ha", None)


class SiteCreate(_WithGeometry):
    """A new site (a mine, a licence area)."""

    name: str = column_field(Site, "name")
    region: str = column_field(Site, "region")
    status: SiteStatus = column_field(Site, "status", "operating")
    territory_id: int | None = column_field(Site, "territory_id", None)
    operator_id: int | None = column_field(Site, "operator_id", None)
    licence: str | None = column_field(Site, "licence", None)
    mineral: str | None = column_field(Site, "mineral", None)
    typology: SiteTypology | None = column_field(Site, "typology", None)
    area_ha: float | None = column_field(Site, "area_ha", None)
    registered_on: date | None = column_field(Site, "registered_on", None)


class ObjectCreate(_WithGeometry):
    """A new object of disturbance of a site, with its first state."""

    kind: ObjectKind = column_field(DisturbanceObject, "kind")
    name: str = column_field(DisturbanceObject, "name")
    area_ha: float | None = column_field(DisturbanceObject, "area_ha", None)
    volume_m3: float | None = column_field(DisturbanceObject, "volume_m3", None)
    state: ObjectState = column_field(DisturbanceObject, "state", "disturbed")
    state_on: date | None = Field(
        None, description=describe("Date it entered that state (today by default).", "date")
    )
    act_reference: str | None = column_field(ObjectStateChange, "act_reference", None)
    reclamation_direction: ReclamationDirection | None = column_field(
        DisturbanceObject, "reclamation_direction", None
    )


class StageAccept(RequestModel):
    """A stage of an object's reclamation accepted by act: the state entered and the act.

    ``document_id`` is the acceptance act: a registered document of kind ``acceptance-act``
    of the object's site.
    """

    state: ObjectState = column_field(ObjectStateChange, "state")
    changed_on: date = column_field(ObjectStateChange, "changed_on")
    document_id: int = column_field(ObjectStateChange, "document_id")
    milestone: str = Field(
        min_length=1,
        description=describe(
            "Milestone of the plan the stage completes: releases of the assurance for it are "
            "allowed afterwards.",
            "-",
        ),
    )
    act_reference: str | None = column_field(ObjectStateChange, "act_reference", None)
    note: str | None = column_field(ObjectStateChange, "note", None)


_MASS_FRACTION = Annotated[float, Field(ge=0.0, le=1.0, allow_inf_nan=False)]


class TmfCreate(RequestModel):
    """A new technogenic mineral formation of a site (document 002)."""

    name: str = column_field(Tmf, "name")
    tmf_class: TmfClass = column_field(Tmf, "tmf_class")
    mass_t: float = column_field(Tmf, "mass_t")
    hazard_class: int = column_field(Tmf, "hazard_class")
    year: int = column_field(Tmf, "year")
    object_id: int | None = column_field(Tmf, "object_id", None)
    volume_m3: float | None = column_field(Tmf, "volume_m3", None)
    composition: dict[str, _MASS_FRACTION] | None = column_field(Tmf, "composition", None)
    valuable_components: dict[str, _MASS_FRACTION] | None = column_field(
        Tmf, "valuable_components", None
    )
    recorded_on: date | None = column_field(Tmf, "recorded_on", None)


class PlanSubmit(RequestModel):
    """A reclamation plan: a project file of the project engine (TOML text)."""

    project_toml: str = column_field(ReclamationPlan, "project_toml")
    title: str | None = column_field(ReclamationPlan, "title", None)
    submitted_on: date | None = column_field(ReclamationPlan, "submitted_on", None)


class PlanApprove(RequestModel):
    """The approval of a plan."""

    approved_on: date = column_field(ReclamationPlan, "approved_on")


class AssuranceCreate(RequestModel):
    """The financial assurance a site must hold: an amount, or a computed plan's bond."""

    required_rub: float | None = column_field(FinancialAssurance, "required_rub", None)
    plan_id: int | None = column_field(FinancialAssurance, "plan_id", None)
    required_on: date | None = column_field(FinancialAssurance, "required_on", None)


class DepositIn(RequestModel):
    """A deposit paid into a financial assurance."""

    amount_rub: float = column_field(AssuranceTransaction, "amount_rub")
    transacted_on: date = column_field(AssuranceTransaction, "transacted_on")
    evidence_document_id: int | None = column_field(
        AssuranceTransaction, "evidence_document_id", None
    )
    note: str | None = column_field(AssuranceTransaction, "note", None)


class ReleaseIn(RequestModel):
    """A release of a financial assurance after a milestone with recorded evidence."""

    amount_rub: float = column_field(AssuranceTransaction, "amount_rub")
    transacted_on: date = column_field(AssuranceTransaction, "transacted_on")
    milestone: str = column_field(AssuranceTransaction, "milestone")
    evidence_document_id: int | None = column_field(
        AssuranceTransaction, "evidence_document_id", None
    )
    note: str | None = column_field(AssuranceTransaction, "note", None)


class ForfeitIn(RequestModel):
    """A forfeit of a financial assurance (taken to pay for the works), with its reason."""

    amount_rub: float = column_field(AssuranceTransaction, "amount_rub")
    transacted_on: date = column_field(AssuranceTransaction, "transacted_on")
    note: str = column_field(AssuranceTransaction, "note")
    evidence_document_id: int | None = column_field(
        AssuranceTransaction, "evidence_document_id", None
    )


class MonitoringCreate(RequestModel):
    """A monitoring result of a site (or one of its objects) over a period."""

    parameter: str = column_field(MonitoringSummary, "parameter")
    value: float = column_field(MonitoringSummary, "value")
    unit: str = column_field(MonitoringSummary, "unit")
    criteria_met: bool = column_field(MonitoringSummary, "criteria_met")
    period_start: date = column_field(MonitoringSummary, "period_start")
    period_end: date = column_field(MonitoringSummary, "period_end")
    source: str = column_field(MonitoringSummary, "source")
    object_id: int | None = column_field(MonitoringSummary, "object_id", None)
    milestone: str | None = Field(
        None,
        description=describe(
            "Milestone of the plan this result evidences when its criterion is met.", "-"
        ),
    )


class DocumentCreate(RequestModel):
    """A document (act, protocol, report) by reference and checksum, or by its bytes."""

    kind: DocumentKind = column_field(Document, "kind")
    title: str = column_field(Document, "title")
    uri: str = column_field(Document, "uri")
    issued_on: date = column_field(Document, "issued_on")
    sha256: str | None = column_field(Document, "sha256", None)
    content_base64: str | None = Field(
        None,
        description=describe(
            "The document's bytes, base64, to compute the SHA-256 from (instead of sha256); "
            "the registry keeps only the checksum.",
            "-",
        ),
    )

    @field_validator("content_base64")
    @classmethod
    def _base64(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                base64.b64decode(value, validate=True)
            except binascii.Error as exc:
                raise ValueError(f"content_base64 must be base64, got {exc}") from None
        return value

    def content(self) -> bytes | None:
        """Return the decoded bytes, or None."""
        return None if self.content_base64 is None else base64.b64decode(self.content_base64)


# --- documented error responses -------------------------------------------------------------

Responses = dict[int | str, dict[str, Any]]
"""Type of a route's documented extra responses."""

NOT_FOUND: Responses = {
    404: {"description": "No such row, or a row of a site of another operator (same answer)."}
}
"""Documented responses of a read of one row."""

FINANCIAL_READ: Responses = {
    401: {"description": "No API token: financial details need one."},
    403: {"description": "A public token: no financial details."},
    **NOT_FOUND,
}
"""Documented responses of a financial read."""

WRITE_ERRORS: Responses = {
    401: {"description": "No API token."},
    403: {"description": "A public token, or a role that may not make this change."},
    **NOT_FOUND,
    422: {"description": "A field is invalid; `detail[].loc` names it."},
}
"""Documented responses of a write."""


# --- query parameters ------------------------------------------------------------------------

Limit = Annotated[
    int,
    Query(
        ge=1,
        le=MAX_LIMIT,
        description=describe(f"Rows per page, 1..{MAX_LIMIT} (default {DEFAULT_LIMIT}).", "-"),
    ),
]
"""Query parameter ``limit`` of every listing."""
Offset = Annotated[
    int,
    Query(ge=0, description=describe("Rows to skip (next_offset of the previous page).", "-")),
]
"""Query parameter ``offset`` of every listing."""
