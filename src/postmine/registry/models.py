"""The registry's schema, declared once: tables, columns with units, ranges and meanings.

Every column is declared with :func:`postmine.db.col` on :class:`postmine.db.Base`:
``info={"unit": ..., "description": ...}``, and for a column with a range
(``ge``/``gt``/``le``) or a closed list of values (``choices``) those too. From that one
declaration :func:`postmine.db.add_range_checks` makes

* a named ``CHECK`` constraint in the database (``ck_<table>_<column>_range`` or
  ``ck_<table>_<column>_choice``), the last line of defence against bad rows from any
  client, and
* a check when the attribute is set in Python (constructor or assignment), raising
  :class:`postmine.db.RecordValueError` (a :class:`ValueError`) that names the column, the
  allowed range and the value: ``hazard_class must be in 1..5, got 6``.

Enumerations are constrained strings (``kind``, ``status``, ``state`` ...), their values
listed in the module constants below (``SITE_STATUSES``, ``OBJECT_STATES`` ...) and typed
as ``Literal`` aliases for the records and actions.

Tables
------
========================  ==========================================================
``operators``             parties that operate sites (and later sign ledger entries)
``territories``           mining districts with their sanitary protection zones
``sites``                 sites (licence areas, mines) of a territory
``disturbance_objects``   objects of disturbance: pits, dumps, tailings storages ...
``object_states``         history of the reclamation state of each object
``tmf``                   technogenic mineral formations (document 002)
``reclamation_plans``     a project file (input) and its computed result, kept apart
``financial_assurances``  financial assurance required of a site
``assurance_transactions``  deposits, releases and forfeits of an assurance
``monitoring_summaries``  monitoring results per period and parameter
``documents``             acts, protocols and reports by reference and SHA-256
``ledger_entries``        the tamper-evident ledger's hash chain (filled by the ledger)
``daily_roots``           Merkle root of each day's ledger entries
``api_tokens``            API tokens (hashed) and their roles
========================  ==========================================================

Geometry columns (``geom`` with ``min_lon``, ``min_lat``, ``max_lon``, ``max_lat`` and
``area_ha``) are described in :mod:`postmine.registry.geometry`. The statistics table is
declared in :mod:`postmine.registry.statistics_model`, the monitoring tables in
:mod:`postmine.monitoring.models`; all of them are created by the migrations of
:mod:`postmine.db`.

Examples
--------
>>> from postmine.db import column_info
>>> column_info("tmf")["hazard_class"]["description"]
'Hazard class of the waste, I (extremely hazardous) to V (practically non-hazardous).'
>>> Tmf(hazard_class=6)
Traceback (most recent call last):
...
postmine.db.base.RecordValueError: hazard_class must be in 1..5, got 6
"""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any, Literal, get_args

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, relationship, validates

from postmine.db import (
    MONEY,
    PORTABLE_JSON,
    SHA256_HEX,
    Base,
    PortableGeometry,
    RecordValueError,
    UTCDateTime,
    add_range_checks,
    check_number,
    col,
    created_at_col,
    latitude_col,
    longitude_col,
    utc_today,
)
from postmine.registry.geometry import BaseGeometry

__all__ = [
    "ASSURANCE_TRANSACTION_KINDS",
    "DOCUMENT_KINDS",
    "OBJECT_KINDS",
    "OBJECT_STATES",
    "RECLAMATION_DIRECTIONS",
    "SITE_STATUSES",
    "SITE_TYPOLOGIES",
    "TERRITORY_KINDS",
    "TMF_CLASSES",
    "TOKEN_ROLES",
    "ApiToken",
    "AssuranceTransaction",
    "AssuranceTransactionKind",
    "DailyRoot",
    "DisturbanceObject",
    "Document",
    "DocumentKind",
    "FinancialAssurance",
    "LedgerEntry",
    "MonitoringSummary",
    "ObjectKind",
    "ObjectState",
    "ObjectStateChange",
    "Operator",
    "ReclamationDirection",
    "ReclamationPlan",
    "Site",
    "SiteStatus",
    "SiteTypology",
    "Territory",
    "TerritoryKind",
    "Tmf",
    "TmfClass",
    "TokenRole",
]

# --- enumerations -----------------------------------------------------------------------------

TerritoryKind = Literal["mining-district", "municipality", "other"]
SiteStatus = Literal[
    "operating", "suspended", "closed", "under-reclamation", "reclaimed", "abandoned"
]
SiteTypology = Literal["greenfield", "greyfield", "brownfield", "blackfield"]
ObjectKind = Literal[
    "pit",
    "collapse-crater",
    "external-dump",
    "internal-dump",
    "tailings-storage",
    "topsoil-store",
    "road",
    "industrial-site",
]
ObjectState = Literal["disturbed", "technical-stage", "biological-stage", "reclaimed", "accepted"]
ReclamationDirection = Literal[
    "agricultural", "forestry", "water", "recreational", "construction", "sanitary-hygienic"
]
TmfClass = Literal["mining", "concentration", "metallurgical"]
AssuranceTransactionKind = Literal["deposit", "release", "forfeit"]
DocumentKind = Literal["acceptance-act", "protocol", "report", "other"]
TokenRole = Literal["admin", "regulator", "operator", "public"]

TERRITORY_KINDS: tuple[str, ...] = get_args(TerritoryKind)
"""Kinds of territory: a mining district (горнопромышленный район, 004 PR3) or other."""
SITE_STATUSES: tuple[str, ...] = get_args(SiteStatus)
"""Life-cycle status of a site, from operating to abandoned."""
SITE_TYPOLOGIES: tuple[str, ...] = get_args(SiteTypology)
"""Typology of mining territories of document 001: greenfield (new industrial parks),
greyfield (half-abandoned mining territories), brownfield (working industrial zones with
their infrastructure) and blackfield (completely abandoned industrial zones)."""
OBJECT_KINDS: tuple[str, ...] = get_args(ObjectKind)
"""Kinds of object of disturbance."""
OBJECT_STATES: tuple[str, ...] = get_args(ObjectState)
"""Reclamation states of an object, in their normal order: disturbed, technical stage
under way, biological stage under way, reclaimed, accepted by act."""
RECLAMATION_DIRECTIONS: tuple[str, ...] = get_args(ReclamationDirection)
"""Directions (target land uses) of reclamation."""
TMF_CLASSES: tuple[str, ...] = get_args(TmfClass)
"""Classes of technogenic mineral formation of document 002: of mining (waste rock dumps),
of concentration (tailings) and of metallurgy (slags)."""
ASSURANCE_TRANSACTION_KINDS: tuple[str, ...] = get_args(AssuranceTransactionKind)
"""Movements of a financial assurance."""
DOCUMENT_KINDS: tuple[str, ...] = get_args(DocumentKind)
"""Kinds of document kept by reference."""
TOKEN_ROLES: tuple[str, ...] = get_args(TokenRole)
"""Roles of an API token."""


# --- geometry columns shared by territories, sites and objects -------------------------------


class _GeometryColumns:
    """Geometry, its bounding box and its area (see :mod:`postmine.registry.geometry`)."""

    geom: Mapped[BaseGeometry | None] = col(
        PortableGeometry(),
        unit="° (EPSG:4326)",
        description="Outline in WGS 84 longitude/latitude.",
        nullable=True,
    )
    min_lon: Mapped[float | None] = longitude_col("West edge of the bounding box.")
    min_lat: Mapped[float | None] = latitude_col("South edge of the bounding box.")
    max_lon: Mapped[float | None] = longitude_col("East edge of the bounding box.")
    max_lat: Mapped[float | None] = latitude_col("North edge of the bounding box.")


def _geometry_args(table: str) -> tuple[Any, ...]:
    """Constraints and indexes of a table with geometry columns."""
    bbox = ("min_lon", "min_lat", "max_lon", "max_lat")
    all_null = " AND ".join(f"{c} IS NULL" for c in ("geom", *bbox))
    all_set = " AND ".join(f"{c} IS NOT NULL" for c in ("geom", *bbox))
    return (
        CheckConstraint(f"({all_null}) OR ({all_set})", name="bbox_with_geom"),
        CheckConstraint("min_lon <= max_lon AND min_lat <= max_lat", name="bbox_order"),
        *(Index(f"ix_{table}_{c}", c) for c in bbox),
        Index(f"ix_{table}_geom", "geom", postgresql_using="gist").ddl_if(dialect="postgresql"),
    )


# --- parties and places ------------------------------------------------------------------------


class Operator(Base):
    """A party that operates sites; its Ed25519 public key verifies its ledger signatures."""

    __tablename__ = "operators"

    id: Mapped[int] = col(Integer, primary_key=True, unit="-", description="Identifier.")
    name: Mapped[str] = col(
        String(300), unique=True, unit="-", description="Name of the operator (legal entity)."
    )
    tax_id: Mapped[str | None] = col(
        String(32), unit="-", description="Taxpayer number (ИНН) or other id.", nullable=True
    )
    public_key: Mapped[str | None] = col(
        Text,
        unit="-",
        description="Ed25519 public key of the operator, hex; set by the ledger.",
        nullable=True,
    )
    created_at: Mapped[datetime] = created_at_col()

    sites: Mapped[list[Site]] = relationship(back_populates="operator")


class Territory(Base, _GeometryColumns):
    """A territory, typically a mining district, with its sanitary protection zone."""

    __tablename__ = "territories"
    __table_args__ = _geometry_args("territories")

    id: Mapped[int] = col(Integer, primary_key=True, unit="-", description="Identifier.")
    name: Mapped[str] = col(
        String(300), unique=True, unit="-", description="Name of the territory."
    )
    region: Mapped[str] = col(
        String(200), unit="-", description="Region (subject of the federation) it lies in."
    )
    kind: Mapped[str] = col(
        String(32),
        unit="-",
        description="Kind of territory.",
        choices=TERRITORY_KINDS,
        default="mining-district",
    )
    area_ha: Mapped[float] = col(
        Float,
        unit="ha",
        description="Area of the territory (geodesic, from the outline when there is one).",
        ge=0.0,
    )
    sanitary_zone_area_ha: Mapped[float | None] = col(
        Float,
        unit="ha",
        description="Area of its sanitary protection zone (СЗЗ, 004 PR3).",
        nullable=True,
        ge=0.0,
    )
    created_at: Mapped[datetime] = created_at_col()

    sites: Mapped[list[Site]] = relationship(back_populates="territory")


class Site(Base, _GeometryColumns):
    """A site: a mine or licence area with its operator, status and typology."""

    __tablename__ = "sites"
    __table_args__ = (
        *_geometry_args("sites"),
        Index("ix_sites_territory_id", "territory_id"),
        Index("ix_sites_operator_id", "operator_id"),
        Index("ix_sites_region", "region"),
    )

    id: Mapped[int] = col(Integer, primary_key=True, unit="-", description="Identifier.")
    territory_id: Mapped[int | None] = col(
        Integer,
        ForeignKey("territories.id"),
        unit="-",
        description="Territory the site lies in.",
        nullable=True,
    )
    name: Mapped[str] = col(String(300), unit="-", description="Name of the site.")
    operator_id: Mapped[int | None] = col(
        Integer,
        ForeignKey("operators.id"),
        unit="-",
        description="Operator responsible (none for an abandoned site).",
        nullable=True,
    )
    licence: Mapped[str | None] = col(
        String(100), unit="-", description="Subsoil use licence number.", nullable=True
    )
    mineral: Mapped[str | None] = col(
        String(200), unit="-", description="Mineral mined (coal, iron ore ...).", nullable=True
    )
    status: Mapped[str] = col(
        String(32), unit="-", description="Life-cycle status.", choices=SITE_STATUSES
    )
    typology: Mapped[str | None] = col(
        String(32),
        unit="-",
        description="Typology of document 001 (greenfield ... blackfield).",
        choices=SITE_TYPOLOGIES,
        nullable=True,
    )
    region: Mapped[str] = col(
        String(200), unit="-", description="Region (subject of the federation)."
    )
    area_ha: Mapped[float | None] = col(
        Float,
        unit="ha",
        description="Area of the site (geodesic, from the outline when there is one).",
        nullable=True,
        ge=0.0,
    )
    registered_on: Mapped[date] = col(
        Date, unit="date", description="Date the site entered the registry.", default=utc_today
    )
    created_at: Mapped[datetime] = created_at_col()

    territory: Mapped[Territory | None] = relationship(back_populates="sites")
    operator: Mapped[Operator | None] = relationship(back_populates="sites")
    objects: Mapped[list[DisturbanceObject]] = relationship(
        back_populates="site", order_by="DisturbanceObject.id"
    )


class DisturbanceObject(Base, _GeometryColumns):
    """An object of disturbance (pit, dump, tailings storage ...) and its reclamation state."""

    __tablename__ = "disturbance_objects"
    __table_args__ = (
        *_geometry_args("disturbance_objects"),
        Index("ix_disturbance_objects_site_id", "site_id"),
        Index("ix_disturbance_objects_kind", "kind"),
    )

    id: Mapped[int] = col(Integer, primary_key=True, unit="-", description="Identifier.")
    site_id: Mapped[int] = col(
        Integer, ForeignKey("sites.id"), unit="-", description="Site the object belongs to."
    )
    kind: Mapped[str] = col(
        String(32), unit="-", description="Kind of object.", choices=OBJECT_KINDS
    )
    name: Mapped[str] = col(String(300), unit="-", description="Name of the object.")
    area_ha: Mapped[float] = col(
        Float,
        unit="ha",
        description="Disturbed area (geodesic, from the outline when there is one).",
        ge=0.0,
    )
    volume_m3: Mapped[float | None] = col(
        Float, unit="m³", description="Volume (of a dump, a void).", nullable=True, ge=0.0
    )
    state: Mapped[str] = col(
        String(32),
        unit="-",
        description="Current reclamation state (the last row of object_states).",
        choices=OBJECT_STATES,
    )
    reclamation_direction: Mapped[str | None] = col(
        String(32),
        unit="-",
        description="Target land use after reclamation.",
        choices=RECLAMATION_DIRECTIONS,
        nullable=True,
    )
    created_at: Mapped[datetime] = created_at_col()

    site: Mapped[Site] = relationship(back_populates="objects")
    states: Mapped[list[ObjectStateChange]] = relationship(
        back_populates="object",
        order_by="[ObjectStateChange.changed_on, ObjectStateChange.id]",
    )


class ObjectStateChange(Base):
    """One entry of an object's state history: the state it entered, when, and by which act."""

    __tablename__ = "object_states"
    __table_args__ = (Index("ix_object_states_object_id", "object_id"),)

    id: Mapped[int] = col(Integer, primary_key=True, unit="-", description="Identifier.")
    object_id: Mapped[int] = col(
        Integer,
        ForeignKey("disturbance_objects.id"),
        unit="-",
        description="Object whose state changed.",
    )
    state: Mapped[str] = col(
        String(32), unit="-", description="State entered.", choices=OBJECT_STATES
    )
    changed_on: Mapped[date] = col(Date, unit="date", description="Date the state was entered.")
    act_reference: Mapped[str | None] = col(
        String(300),
        unit="-",
        description="Act or order establishing the state (number and date).",
        nullable=True,
    )
    document_id: Mapped[int | None] = col(
        Integer,
        ForeignKey("documents.id"),
        unit="-",
        description="The act as a registered document.",
        nullable=True,
    )
    note: Mapped[str | None] = col(Text, unit="-", description="Remark.", nullable=True)
    created_at: Mapped[datetime] = created_at_col()

    object: Mapped[DisturbanceObject] = relationship(back_populates="states")
    document: Mapped[Document | None] = relationship()


# --- technogenic mineral formations -----------------------------------------------------------


class Tmf(Base):
    """A technogenic mineral formation (ТМО, document 002): class, mass, hazard, composition.

    ``composition`` and ``valuable_components`` map a component (``"Fe"``, ``"SiO2"``,
    ``"Au"``) to its mass fraction 0..1; the fractions of each add up to at most 1.
    """

    __tablename__ = "tmf"
    __table_args__ = (
        Index("ix_tmf_site_id", "site_id"),
        Index("ix_tmf_tmf_class", "tmf_class"),
    )

    id: Mapped[int] = col(Integer, primary_key=True, unit="-", description="Identifier.")
    site_id: Mapped[int] = col(
        Integer, ForeignKey("sites.id"), unit="-", description="Site holding the formation."
    )
    object_id: Mapped[int | None] = col(
        Integer,
        ForeignKey("disturbance_objects.id"),
        unit="-",
        description="Object (dump, tailings storage) that holds it.",
        nullable=True,
    )
    name: Mapped[str] = col(String(300), unit="-", description="Name of the formation.")
    tmf_class: Mapped[str] = col(
        String(32),
        unit="-",
        description="Class of document 002: mining, concentration or metallurgical.",
        choices=TMF_CLASSES,
    )
    mass_t: Mapped[float] = col(Float, unit="t", description="Mass accumulated.", ge=0.0)
    volume_m3: Mapped[float | None] = col(
        Float, unit="m³", description="Volume occupied.", nullable=True, ge=0.0
    )
    hazard_class: Mapped[int] = col(
        Integer,
        unit="-",
        description=(
            "Hazard class of the waste, I (extremely hazardous) to V (practically non-hazardous)."
        ),
        ge=1,
        le=5,
    )
    composition: Mapped[dict[str, float]] = col(
        PORTABLE_JSON,
        unit="mass fraction",
        description="Chemical composition: component -> mass fraction 0..1.",
        default=dict,
    )
    valuable_components: Mapped[dict[str, float]] = col(
        PORTABLE_JSON,
        unit="mass fraction",
        description="Valuable components: component -> mass fraction (grade) 0..1.",
        default=dict,
    )
    year: Mapped[int] = col(
        Integer, unit="year", description="Year the data refer to.", ge=1800, le=2200
    )
    recorded_on: Mapped[date] = col(
        Date, unit="date", description="Date the formation was recorded.", default=utc_today
    )
    created_at: Mapped[datetime] = created_at_col()

    @validates("composition", "valuable_components")
    def _check_fractions(self, key: str, value: Any) -> dict[str, float]:
        return _check_fractions(key, value)


def _check_fractions(key: str, value: Any) -> dict[str, float]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise RecordValueError(key, f"{key} must map component -> mass fraction", value)
    out: dict[str, float] = {}
    for component, fraction in value.items():
        if not isinstance(component, str) or not component:
            raise RecordValueError(key, f"{key}: component names must be text", value)
        number = check_number(key, fraction, f"{key}[{component}]")
        if not 0.0 <= number <= 1.0:
            raise RecordValueError(
                key, f"{key}[{component}] must be a mass fraction in 0..1, got {fraction!r}", value
            )
        out[component] = number
    total = math.fsum(out.values())
    if total > 1.0 + 1e-9:
        raise RecordValueError(key, f"{key} mass fractions must add up to <= 1, got {total:g}")
    return out


# --- plans and money ---------------------------------------------------------------------------


class ReclamationPlan(Base):
    """A reclamation plan: the project file (input) and, apart, its computed result.

    The input (``project_toml``, ``project_sha256``) never changes once stored; the result
    columns are filled by computing the plan and record the postmine version and the hash of
    the inputs that produced them.
    """

    __tablename__ = "reclamation_plans"
    __table_args__ = (
        Index("ix_reclamation_plans_site_id", "site_id"),
        CheckConstraint(
            "result_json IS NULL OR (result_postmine_version IS NOT NULL "
            "AND result_inputs_sha256 IS NOT NULL AND result_computed_at IS NOT NULL)",
            name="result_provenance",
        ),
        CheckConstraint("length(project_sha256) = 64", name="project_sha256_length"),
    )

    id: Mapped[int] = col(Integer, primary_key=True, unit="-", description="Identifier.")
    site_id: Mapped[int] = col(
        Integer, ForeignKey("sites.id"), unit="-", description="Site the plan is for."
    )
    title: Mapped[str] = col(String(300), unit="-", description="Title (the project's name).")
    project_toml: Mapped[str] = col(
        Text, unit="-", description="The project file as submitted (TOML text), an input."
    )
    project_sha256: Mapped[str] = col(
        SHA256_HEX,
        unit="-",
        description="SHA-256 of the project's canonical JSON (postmine.project.engine).",
    )
    format_version: Mapped[int] = col(
        Integer, unit="-", description="Project-file format version.", ge=1
    )
    submitted_on: Mapped[date] = col(
        Date, unit="date", description="Date the plan was submitted.", default=utc_today
    )
    approved_on: Mapped[date | None] = col(
        Date, unit="date", description="Date the plan was approved.", nullable=True
    )
    result_json: Mapped[str | None] = col(
        Text,
        unit="-",
        description="Computed result of plan_project, JSON (units in the keys).",
        nullable=True,
    )
    result_postmine_version: Mapped[str | None] = col(
        String(40), unit="-", description="postmine version that computed it.", nullable=True
    )
    result_inputs_sha256: Mapped[str | None] = col(
        SHA256_HEX,
        unit="-",
        description="Hash of the inputs that produced the result.",
        nullable=True,
    )
    result_computed_at: Mapped[datetime | None] = col(
        UTCDateTime(), unit="UTC", description="When the result was computed.", nullable=True
    )
    created_at: Mapped[datetime] = created_at_col()

    site: Mapped[Site] = relationship()

    @validates("project_toml", "project_sha256", "format_version")
    def _inputs_are_final(self, key: str, value: Any) -> Any:
        if getattr(self, key) is not None and value != getattr(self, key):
            raise RecordValueError(
                key, f"{key} is an input of plan {self.id} and cannot change; submit a new plan"
            )
        return value


class FinancialAssurance(Base):
    """The financial assurance (bond) a site must hold for its reclamation."""

    __tablename__ = "financial_assurances"
    __table_args__ = (Index("ix_financial_assurances_site_id", "site_id"),)

    id: Mapped[int] = col(Integer, primary_key=True, unit="-", description="Identifier.")
    site_id: Mapped[int] = col(
        Integer, ForeignKey("sites.id"), unit="-", description="Site the assurance covers."
    )
    plan_id: Mapped[int | None] = col(
        Integer,
        ForeignKey("reclamation_plans.id"),
        unit="-",
        description="Plan whose cost sets the amount.",
        nullable=True,
    )
    required_rub: Mapped[float] = col(MONEY, unit="rub", description="Amount required.", ge=0.0)
    required_on: Mapped[date] = col(
        Date, unit="date", description="Date the amount was set.", default=utc_today
    )
    created_at: Mapped[datetime] = created_at_col()

    site: Mapped[Site] = relationship()
    plan: Mapped[ReclamationPlan | None] = relationship()
    transactions: Mapped[list[AssuranceTransaction]] = relationship(
        back_populates="assurance",
        order_by="[AssuranceTransaction.transacted_on, AssuranceTransaction.id]",
    )


class AssuranceTransaction(Base):
    """A deposit to, a release from, or a forfeit of a financial assurance."""

    __tablename__ = "assurance_transactions"
    __table_args__ = (
        Index("ix_assurance_transactions_assurance_id", "assurance_id"),
        CheckConstraint(
            "kind <> 'release' OR milestone IS NOT NULL", name="release_names_milestone"
        ),
    )

    id: Mapped[int] = col(Integer, primary_key=True, unit="-", description="Identifier.")
    assurance_id: Mapped[int] = col(
        Integer,
        ForeignKey("financial_assurances.id"),
        unit="-",
        description="Assurance moved.",
    )
    kind: Mapped[str] = col(
        String(16), unit="-", description="Movement.", choices=ASSURANCE_TRANSACTION_KINDS
    )
    amount_rub: Mapped[float] = col(MONEY, unit="rub", description="Amount moved.", gt=0.0)
    transacted_on: Mapped[date] = col(Date, unit="date", description="Date of the movement.")
    milestone: Mapped[str | None] = col(
        String(300),
        unit="-",
        description="Milestone a release is for (a stage of the plan).",
        nullable=True,
    )
    evidence_document_id: Mapped[int | None] = col(
        Integer,
        ForeignKey("documents.id"),
        unit="-",
        description="Document evidencing the milestone or the payment.",
        nullable=True,
    )
    note: Mapped[str | None] = col(Text, unit="-", description="Remark.", nullable=True)
    created_at: Mapped[datetime] = created_at_col()

    assurance: Mapped[FinancialAssurance] = relationship(back_populates="transactions")
    evidence_document: Mapped[Document | None] = relationship()


# --- monitoring and documents ------------------------------------------------------------------


class MonitoringSummary(Base):
    """A monitoring result of a site or object over a period, against its criterion."""

    __tablename__ = "monitoring_summaries"
    __table_args__ = (
        Index("ix_monitoring_summaries_site_id", "site_id"),
        CheckConstraint("period_end >= period_start", name="period_order"),
    )

    id: Mapped[int] = col(Integer, primary_key=True, unit="-", description="Identifier.")
    site_id: Mapped[int] = col(
        Integer, ForeignKey("sites.id"), unit="-", description="Site monitored."
    )
    object_id: Mapped[int | None] = col(
        Integer,
        ForeignKey("disturbance_objects.id"),
        unit="-",
        description="Object monitored, if one.",
        nullable=True,
    )
    period_start: Mapped[date] = col(Date, unit="date", description="First day of the period.")
    period_end: Mapped[date] = col(Date, unit="date", description="Last day of the period.")
    parameter: Mapped[str] = col(
        String(200), unit="-", description="Parameter (e.g. dust_pm10, ph, vegetation_cover)."
    )
    value: Mapped[float] = col(Float, unit="see unit", description="Summary value.")
    unit: Mapped[str] = col(String(40), unit="-", description="Unit of the value.")
    criteria_met: Mapped[bool] = col(
        Boolean, unit="-", description="Whether the value meets its criterion."
    )
    source: Mapped[str] = col(
        String(300), unit="-", description="Where the value comes from (laboratory, sensor)."
    )
    created_at: Mapped[datetime] = created_at_col()

    @validates("value")
    def _finite_value(self, key: str, value: Any) -> float:
        return check_number(key, value)


class Document(Base):
    """A document (act, protocol, report) kept by reference and SHA-256 checksum."""

    __tablename__ = "documents"
    __table_args__ = (
        Index("ix_documents_site_id", "site_id"),
        CheckConstraint("length(sha256) = 64", name="sha256_length"),
    )

    id: Mapped[int] = col(Integer, primary_key=True, unit="-", description="Identifier.")
    site_id: Mapped[int] = col(
        Integer, ForeignKey("sites.id"), unit="-", description="Site the document concerns."
    )
    kind: Mapped[str] = col(
        String(32), unit="-", description="Kind of document.", choices=DOCUMENT_KINDS
    )
    title: Mapped[str] = col(String(500), unit="-", description="Title (number and subject).")
    uri: Mapped[str] = col(
        Text, unit="-", description="Where the document is kept (URL or archive reference)."
    )
    sha256: Mapped[str] = col(
        SHA256_HEX, unit="-", description="SHA-256 of the document's bytes, hex."
    )
    issued_on: Mapped[date] = col(Date, unit="date", description="Date of the document.")
    created_at: Mapped[datetime] = created_at_col()

    @validates("sha256")
    def _hex_digest(self, key: str, value: Any) -> str:
        text = str(value).lower()
        if len(text) != 64 or any(c not in "0123456789abcdef" for c in text):
            raise RecordValueError(key, f"sha256 must be 64 hex digits, got {value!r}", value)
        return text


# --- ledger and API tables (filled by the ledger and the API) --------------------------------


class LedgerEntry(Base):
    """An entry of the append-only ledger: a hash chain over the changes of the registry.

    An entry changes one site's passport (``site_id`` the site) or the registry as a whole
    (an operator or a territory registered, statistics imported: ``site_id`` NULL).
    """

    __tablename__ = "ledger_entries"
    __table_args__ = (Index("ix_ledger_entries_site_id", "site_id"),)

    seq: Mapped[int] = col(
        Integer,
        primary_key=True,
        autoincrement=False,
        unit="-",
        description="Position in the chain, from 1.",
        ge=1,
    )
    site_id: Mapped[int | None] = col(
        Integer,
        ForeignKey("sites.id"),
        unit="-",
        description=(
            "Site whose passport changed; NULL for a registry-wide entry (an operator or a "
            "territory registered, statistics imported)."
        ),
        nullable=True,
    )
    kind: Mapped[str] = col(String(64), unit="-", description="Kind of change.")
    payload_json: Mapped[str] = col(
        Text, unit="-", description="The change, canonical JSON (the hashed bytes)."
    )
    prev_hash: Mapped[str] = col(
        SHA256_HEX, unit="-", description="entry_hash of the previous entry."
    )
    entry_hash: Mapped[str] = col(
        SHA256_HEX, unique=True, unit="-", description="SHA-256 of this entry."
    )
    actor: Mapped[str] = col(String(300), unit="-", description="Party that made the change.")
    public_key: Mapped[str | None] = col(
        Text, unit="-", description="Ed25519 public key of the actor, hex.", nullable=True
    )
    signature: Mapped[str | None] = col(
        Text, unit="-", description="Ed25519 signature of entry_hash, hex.", nullable=True
    )
    created_at: Mapped[datetime] = created_at_col()


class DailyRoot(Base):
    """The Merkle root of one day's ledger entries."""

    __tablename__ = "daily_roots"

    day: Mapped[date] = col(Date, primary_key=True, unit="date", description="Day (UTC).")
    root: Mapped[str] = col(SHA256_HEX, unit="-", description="Merkle root of the day's entries.")
    n_entries: Mapped[int] = col(
        Integer, unit="-", description="Number of entries of the day.", ge=0
    )
    created_at: Mapped[datetime] = created_at_col()


class ApiToken(Base):
    """An API token, stored as its SHA-256, with a role and, for an operator, its party."""

    __tablename__ = "api_tokens"
    __table_args__ = (
        CheckConstraint(
            "role <> 'operator' OR operator_id IS NOT NULL", name="operator_token_has_operator"
        ),
    )

    id: Mapped[int] = col(Integer, primary_key=True, unit="-", description="Identifier.")
    token_sha256: Mapped[str] = col(
        SHA256_HEX, unique=True, unit="-", description="SHA-256 of the token, hex."
    )
    role: Mapped[str] = col(
        String(16), unit="-", description="Role of the token.", choices=TOKEN_ROLES
    )
    operator_id: Mapped[int | None] = col(
        Integer,
        ForeignKey("operators.id"),
        unit="-",
        description="Operator an operator token acts for.",
        nullable=True,
    )
    created_at: Mapped[datetime] = created_at_col()


# --- one declaration -> CHECK constraint + Python check ---------------------------------------

for _model in (
    Operator,
    Territory,
    Site,
    DisturbanceObject,
    ObjectStateChange,
    Tmf,
    ReclamationPlan,
    FinancialAssurance,
    AssuranceTransaction,
    MonitoringSummary,
    Document,
    LedgerEntry,
    DailyRoot,
    ApiToken,
):
    add_range_checks(_model)
