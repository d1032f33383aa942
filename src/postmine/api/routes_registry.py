"""Routes of the registry's places and things: operators, tokens, territories, sites, objects, TMF.

Reads are open to every principal within its scope (see :mod:`postmine.api.auth`); changes
of a site's passport (a site registered, an object or TMF added, a stage accepted) go
through :mod:`postmine.registry.actions`, which signs each in the ledger in the same
transaction. Operators and territories belong to no site: they are registered through
:func:`~postmine.registry.actions.register_operator` and
:func:`~postmine.registry.actions.register_territory`, each signed in the ledger as a
registry-wide entry ("operator-registered", "territory-registered"); tokens are the API's
own (:mod:`postmine.api.auth`).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, status
from fastapi.exceptions import RequestValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from postmine.api.auth import (
    Context,
    ContextDep,
    WriterDep,
    admin_only,
    authority,
    create_token,
    principal_for_token,
)
from postmine.api.schemas import (
    NOT_FOUND,
    WRITE_ERRORS,
    Limit,
    ObjectCreate,
    ObjectDetailOut,
    ObjectOut,
    ObjectStateOut,
    Offset,
    OperatorCreate,
    OperatorOut,
    SiteCreate,
    SiteOut,
    StageAccept,
    TerritoryCreate,
    TerritoryOut,
    TmfCreate,
    TmfOut,
    TokenCreate,
    TokenCreated,
    describe,
    page_model,
    page_out,
)
from postmine.registry import actions, records
from postmine.registry.geometry import check_bbox
from postmine.registry.models import (
    DisturbanceObject,
    ObjectKind,
    ObjectState,
    Site,
    SiteStatus,
    Tmf,
    TmfClass,
)

__all__ = ["router"]

router = APIRouter()


# --- operators and tokens --------------------------------------------------------------------


@router.get(
    "/operators", response_model=page_model(OperatorOut), tags=["operators"], summary="Operators"
)
def list_operators(ctx: ContextDep, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    """List the operators (parties that operate sites), by id."""
    with ctx.session() as session:
        page = records.list_operators(session, limit=limit, offset=offset)
        return page_out(page, [records.as_dict(o) for o in page.items])


@router.get(
    "/operators/{operator_id}",
    response_model=OperatorOut,
    responses=NOT_FOUND,
    tags=["operators"],
    summary="One operator",
)
def get_operator(ctx: ContextDep, operator_id: int) -> dict[str, Any]:
    """Return an operator."""
    with ctx.session() as session:
        return records.as_dict(records.get_operator(session, operator_id))


@router.post(
    "/operators",
    response_model=OperatorOut,
    status_code=status.HTTP_201_CREATED,
    responses=WRITE_ERRORS,
    tags=["operators"],
    summary="Register an operator",
)
def create_operator(
    ctx: Annotated[Context, authority("registering an operator")], body: OperatorCreate
) -> dict[str, Any]:
    """Register an operator (regulator or admin); signed in the ledger as "operator-registered"."""
    with ctx.session() as session:
        row = actions.register_operator(session, ctx.actor(), name=body.name, tax_id=body.tax_id)
        return records.as_dict(row)


@router.post(
    "/tokens",
    response_model=TokenCreated,
    status_code=status.HTTP_201_CREATED,
    responses=WRITE_ERRORS,
    tags=["tokens"],
    summary="Create an API token",
)
def new_token(
    ctx: Annotated[Context, admin_only("creating a token")], body: TokenCreate
) -> dict[str, Any]:
    """Create an API token (admin); it is in this answer only, the registry keeps its hash."""
    with ctx.session() as session:
        token = create_token(session, body.role, body.operator_id)
        principal = principal_for_token(session, token)
        assert principal is not None
        return {
            "id": principal.token_id,
            "role": principal.role,
            "operator_id": principal.operator_id,
            "token": token,
        }


# --- territories -----------------------------------------------------------------------------


@router.get(
    "/territories",
    response_model=page_model(TerritoryOut),
    tags=["territories"],
    summary="Territories",
)
def list_territories(
    ctx: ContextDep,
    region: Annotated[str | None, Query(description="Only territories of this region.")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """List territories (mining districts), by id."""
    with ctx.session() as session:
        page = records.list_territories(session, region=region, limit=limit, offset=offset)
        return page_out(page, [records.as_dict(t) for t in page.items])


@router.get(
    "/territories/{territory_id}",
    response_model=TerritoryOut,
    responses=NOT_FOUND,
    tags=["territories"],
    summary="One territory",
)
def get_territory(ctx: ContextDep, territory_id: int) -> dict[str, Any]:
    """Return a territory with its outline."""
    with ctx.session() as session:
        return records.as_dict(records.get_territory(session, territory_id))


@router.post(
    "/territories",
    response_model=TerritoryOut,
    status_code=status.HTTP_201_CREATED,
    responses=WRITE_ERRORS,
    tags=["territories"],
    summary="Register a territory",
)
def create_territory(
    ctx: Annotated[Context, authority("registering a territory")], body: TerritoryCreate
) -> dict[str, Any]:
    """Register a territory (regulator or admin); signed in the ledger as "territory-registered"."""
    with ctx.session() as session:
        row = actions.register_territory(
            session,
            ctx.actor(),
            name=body.name,
            region=body.region,
            kind=body.kind,
            geometry=body.shape(),
            area_ha=body.area_ha,
            sanitary_zone_area_ha=body.sanitary_zone_area_ha,
        )
        return records.as_dict(row)


# --- sites -----------------------------------------------------------------------------------


@router.get("/sites", response_model=page_model(SiteOut), tags=["sites"], summary="Sites")
def list_sites(
    ctx: ContextDep,
    region: Annotated[str | None, Query(description="Only sites of this region.")] = None,
    status: Annotated[SiteStatus | None, Query(description="Only sites in this status.")] = None,
    operator_id: Annotated[int | None, Query(description="Only this operator's sites.")] = None,
    territory_id: Annotated[int | None, Query(description="Only sites of this territory.")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """List sites by id, filtered by region, status, operator and territory.

    An operator token lists its own sites only.
    """
    stmt = select(Site).order_by(Site.id)
    for column, value in (
        (Site.region, region),
        (Site.status, status),
        (Site.operator_id, operator_id),
        (Site.territory_id, territory_id),
    ):
        if value is not None:
            stmt = stmt.where(column == value)
    with ctx.session() as session:
        page = ctx.page(session, stmt, Site.id, limit=limit, offset=offset)
        return page_out(page, [records.as_dict(s) for s in page.items])


@router.get(
    "/sites/{site_id}",
    response_model=SiteOut,
    responses=NOT_FOUND,
    tags=["sites"],
    summary="One site",
)
def get_site(ctx: ContextDep, site_id: int) -> dict[str, Any]:
    """Return a site with its outline."""
    with ctx.session() as session:
        return records.as_dict(ctx.site(session, site_id))


@router.post(
    "/sites",
    response_model=SiteOut,
    status_code=status.HTTP_201_CREATED,
    responses=WRITE_ERRORS,
    tags=["sites"],
    summary="Register a site",
)
def register_site(ctx: WriterDep, body: SiteCreate) -> dict[str, Any]:
    """Register a site; signed in the ledger as "created".

    An operator token registers sites of its own operator (``operator_id`` left out or its
    own).
    """
    operator_id = body.operator_id
    principal = ctx.principal
    if principal.role == "operator":
        if operator_id not in (None, principal.operator_id):
            raise HTTPException(
                status.HTTP_403_FORBIDDEN,
                "an operator token registers sites of its own operator only",
            )
        operator_id = principal.operator_id
    fields = body.model_dump(exclude={"geometry", "operator_id"})
    with ctx.session() as session:
        row = actions.register_site(
            session, ctx.actor(), **fields, operator_id=operator_id, geometry=body.shape()
        )
        return records.as_dict(row)


# --- objects of disturbance ------------------------------------------------------------------


def _object_dict(session: Session, row: DisturbanceObject) -> dict[str, Any]:
    out = records.as_dict(row)
    out["history"] = [records.as_dict(c) for c in records.object_history(session, row.id)]
    return out


def _parse_bbox(text: str) -> tuple[float, float, float, float]:
    parts = text.split(",")
    try:
        values = [float(p) for p in parts]
    except ValueError:
        values = []
    if len(values) != 4:
        raise _query_error("bbox", f"bbox must be min_lon,min_lat,max_lon,max_lat, got {text!r}")
    try:
        box = check_bbox(*values)
    except ValueError as exc:
        raise _query_error("bbox", str(exc)) from None
    return (box.min_lon, box.min_lat, box.max_lon, box.max_lat)


def _query_error(name: str, message: str) -> RequestValidationError:
    return RequestValidationError(
        [{"loc": ("query", name), "msg": message, "type": "value_error", "input": None}]
    )


@router.get("/objects", response_model=page_model(ObjectOut), tags=["objects"], summary="Objects")
def list_objects(
    ctx: ContextDep,
    site_id: Annotated[int | None, Query(description="Only objects of this site.")] = None,
    kind: Annotated[ObjectKind | None, Query(description="Only objects of this kind.")] = None,
    state: Annotated[ObjectState | None, Query(description="Only objects in this state.")] = None,
    bbox: Annotated[
        str | None,
        Query(
            description=describe(
                "Only objects whose geometry intersects this box: "
                "min_lon,min_lat,max_lon,max_lat (WGS 84).",
                "°",
            ),
            examples=["89.9,52.6,90.0,52.7"],
        ),
    ] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """List objects of disturbance by id, filtered by site, kind, state and bounding box."""
    with ctx.session() as session:
        if bbox is None:
            stmt = select(DisturbanceObject).order_by(DisturbanceObject.id)
            for column, value in (
                (DisturbanceObject.site_id, site_id),
                (DisturbanceObject.kind, kind),
                (DisturbanceObject.state, state),
            ):
                if value is not None:
                    stmt = stmt.where(column == value)
            page = ctx.page(session, stmt, DisturbanceObject.site_id, limit=limit, offset=offset)
        else:
            found = records.bbox_query(session, *_parse_bbox(bbox), kind, site_id=site_id)
            if state is not None:
                found = [o for o in found if o.state == state]
            if ctx.principal.role == "operator":
                found = [o for o in found if o.site.operator_id == ctx.principal.operator_id]
            page = records.Page(found[offset : offset + limit], len(found), limit, offset)
        return page_out(page, [records.as_dict(o) for o in page.items])


@router.get(
    "/sites/{site_id}/objects",
    response_model=page_model(ObjectOut),
    responses=NOT_FOUND,
    tags=["objects"],
    summary="Objects of a site",
)
def list_site_objects(
    ctx: ContextDep,
    site_id: int,
    kind: Annotated[ObjectKind | None, Query(description="Only objects of this kind.")] = None,
    state: Annotated[ObjectState | None, Query(description="Only objects in this state.")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """List a site's objects of disturbance by id."""
    with ctx.session() as session:
        ctx.site(session, site_id)
        page = records.list_objects(
            session, site_id=site_id, kind=kind, state=state, limit=limit, offset=offset
        )
        return page_out(page, [records.as_dict(o) for o in page.items])


@router.get(
    "/objects/{object_id}",
    response_model=ObjectDetailOut,
    responses=NOT_FOUND,
    tags=["objects"],
    summary="One object with its state history",
)
def get_object(ctx: ContextDep, object_id: int) -> dict[str, Any]:
    """Return an object of disturbance and its state history, oldest first."""
    with ctx.session() as session:
        row = records.get_object(session, object_id)
        ctx.check_site_of(session, "object", object_id, row.site_id)
        return _object_dict(session, row)


@router.post(
    "/sites/{site_id}/objects",
    response_model=ObjectDetailOut,
    status_code=status.HTTP_201_CREATED,
    responses=WRITE_ERRORS,
    tags=["objects"],
    summary="Add an object to a site",
)
def add_object(ctx: WriterDep, site_id: int, body: ObjectCreate) -> dict[str, Any]:
    """Add an object of disturbance with its first state; signed in the ledger as "created"."""
    fields = body.model_dump(exclude={"geometry"})
    with ctx.session() as session:
        ctx.site(session, site_id)
        row = actions.add_object(
            session, ctx.actor(), site_id=site_id, geometry=body.shape(), **fields
        )
        return _object_dict(session, row)


@router.post(
    "/objects/{object_id}/stages",
    response_model=ObjectStateOut,
    status_code=status.HTTP_201_CREATED,
    responses=WRITE_ERRORS,
    tags=["objects"],
    summary="Accept a stage of an object's reclamation",
)
def accept_stage(
    ctx: Annotated[Context, authority("accepting a stage of works")],
    object_id: int,
    body: StageAccept,
) -> dict[str, Any]:
    """Record a stage accepted by act (regulator or admin); signed as "stage-accepted".

    The object enters ``state``; the act (a registered ``acceptance-act`` document of the
    object's site) goes into the ledger entry with its checksum, which makes the entry the
    evidence that allows releasing the assurance of ``milestone``.
    """
    with ctx.session() as session:
        row = records.get_object(session, object_id)
        ctx.check_site_of(session, "object", object_id, row.site_id)
        change = actions.accept_stage(session, ctx.actor(), object_id, **body.model_dump())
        return records.as_dict(change)


# --- technogenic mineral formations ----------------------------------------------------------


@router.get("/tmf", response_model=page_model(TmfOut), tags=["tmf"], summary="TMF")
def list_tmf(
    ctx: ContextDep,
    site_id: Annotated[int | None, Query(description="Only TMF of this site.")] = None,
    tmf_class: Annotated[TmfClass | None, Query(description="Only TMF of this class.")] = None,
    hazard_class: Annotated[
        int | None, Query(ge=1, le=5, description=describe("Only this hazard class, 1..5.", "-"))
    ] = None,
    year: Annotated[int | None, Query(description=describe("Only data of this year.", "year"))] = (
        None
    ),
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """List technogenic mineral formations by id, filtered by site, class, hazard and year."""
    stmt = select(Tmf).order_by(Tmf.id)
    for column, value in (
        (Tmf.site_id, site_id),
        (Tmf.tmf_class, tmf_class),
        (Tmf.hazard_class, hazard_class),
        (Tmf.year, year),
    ):
        if value is not None:
            stmt = stmt.where(column == value)
    with ctx.session() as session:
        page = ctx.page(session, stmt, Tmf.site_id, limit=limit, offset=offset)
        return page_out(page, [records.as_dict(t) for t in page.items])


@router.get(
    "/sites/{site_id}/tmf",
    response_model=page_model(TmfOut),
    responses=NOT_FOUND,
    tags=["tmf"],
    summary="TMF of a site",
)
def list_site_tmf(
    ctx: ContextDep, site_id: int, limit: Limit = 50, offset: Offset = 0
) -> dict[str, Any]:
    """List a site's technogenic mineral formations by id."""
    with ctx.session() as session:
        ctx.site(session, site_id)
        page = records.list_tmf(session, site_id=site_id, limit=limit, offset=offset)
        return page_out(page, [records.as_dict(t) for t in page.items])


@router.get(
    "/tmf/{tmf_id}",
    response_model=TmfOut,
    responses=NOT_FOUND,
    tags=["tmf"],
    summary="One TMF",
)
def get_tmf(ctx: ContextDep, tmf_id: int) -> dict[str, Any]:
    """Return a technogenic mineral formation."""
    with ctx.session() as session:
        row = records.get_tmf(session, tmf_id)
        ctx.check_site_of(session, "tmf", tmf_id, row.site_id)
        return records.as_dict(row)


@router.post(
    "/sites/{site_id}/tmf",
    response_model=TmfOut,
    status_code=status.HTTP_201_CREATED,
    responses=WRITE_ERRORS,
    tags=["tmf"],
    summary="Add a TMF to a site",
)
def add_tmf(ctx: WriterDep, site_id: int, body: TmfCreate) -> dict[str, Any]:
    """Register a technogenic mineral formation; signed in the ledger as "created"."""
    with ctx.session() as session:
        ctx.site(session, site_id)
        row = actions.add_tmf(session, ctx.actor(), site_id=site_id, **body.model_dump())
        return records.as_dict(row)
