"""Routes of what is recorded about a site: monitoring results, documents and its passport.

Recording a monitoring result or a document is a passport change, signed in the ledger
("monitoring-summary", "document-recorded"). The passport is the one view of a site's whole
life (:func:`postmine.registry.passport.build_passport`), as JSON or as an HTML page; without
financial access its financial section and every amount are left out.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, status
from fastapi.responses import HTMLResponse, JSONResponse
from sqlalchemy import select

from postmine.api.auth import ContextDep, WriterDep
from postmine.api.schemas import (
    NOT_FOUND,
    WRITE_ERRORS,
    DocumentCreate,
    DocumentOut,
    Limit,
    MonitoringCreate,
    MonitoringOut,
    Offset,
    page_model,
    page_out,
    without_money,
)
from postmine.registry import actions, records
from postmine.registry.models import Document, DocumentKind, MonitoringSummary
from postmine.registry.passport import build_passport
from postmine.reports.passport import passport_html

__all__ = ["router"]

router = APIRouter()


# --- monitoring ------------------------------------------------------------------------------


@router.get(
    "/sites/{site_id}/monitoring",
    response_model=page_model(MonitoringOut),
    responses=NOT_FOUND,
    tags=["monitoring"],
    summary="Monitoring summaries of a site",
)
def list_site_monitoring(
    ctx: ContextDep,
    site_id: int,
    parameter: Annotated[str | None, Query(description="Only this parameter.")] = None,
    object_id: Annotated[int | None, Query(description="Only results of this object.")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """List a site's monitoring summaries by period end."""
    with ctx.session() as session:
        ctx.site(session, site_id)
        page = records.list_monitoring(
            session,
            site_id=site_id,
            object_id=object_id,
            parameter=parameter,
            limit=limit,
            offset=offset,
        )
        return page_out(page, [records.as_dict(m) for m in page.items])


@router.get(
    "/monitoring/{summary_id}",
    response_model=MonitoringOut,
    responses=NOT_FOUND,
    tags=["monitoring"],
    summary="One monitoring summary",
)
def get_monitoring(ctx: ContextDep, summary_id: int) -> dict[str, Any]:
    """Return a monitoring summary."""
    with ctx.session() as session:
        row = session.get(MonitoringSummary, summary_id)
        if row is None:
            raise records.NotFoundError("monitoring summary", summary_id)
        ctx.check_site_of(session, "monitoring summary", summary_id, row.site_id)
        return records.as_dict(row)


@router.post(
    "/sites/{site_id}/monitoring",
    response_model=MonitoringOut,
    status_code=status.HTTP_201_CREATED,
    responses=WRITE_ERRORS,
    tags=["monitoring"],
    summary="Record a monitoring summary",
)
def record_monitoring(ctx: WriterDep, site_id: int, body: MonitoringCreate) -> dict[str, Any]:
    """Record a monitoring result; signed in the ledger as "monitoring-summary".

    With ``milestone`` and ``criteria_met: true`` it is evidence that allows releasing the
    assurance of that milestone; evidence that frees money is recorded by a regulator or
    admin, so an operator token may not give ``milestone``.
    """
    if body.milestone is not None:
        ctx.require_authority("recording a monitoring result as a milestone's evidence")
    with ctx.session() as session:
        ctx.site(session, site_id)
        row = actions.record_monitoring(session, ctx.actor(), site_id=site_id, **body.model_dump())
        return records.as_dict(row)


# --- documents -------------------------------------------------------------------------------


@router.get(
    "/sites/{site_id}/documents",
    response_model=page_model(DocumentOut),
    responses=NOT_FOUND,
    tags=["documents"],
    summary="Documents of a site",
)
def list_site_documents(
    ctx: ContextDep,
    site_id: int,
    kind: Annotated[DocumentKind | None, Query(description="Only documents of this kind.")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """List a site's documents by date."""
    stmt = select(Document).where(Document.site_id == site_id)
    if kind is not None:
        stmt = stmt.where(Document.kind == kind)
    with ctx.session() as session:
        ctx.site(session, site_id)
        page = records.paginate(
            session, stmt.order_by(Document.issued_on, Document.id), limit=limit, offset=offset
        )
        return page_out(page, [records.as_dict(d) for d in page.items])


@router.get(
    "/documents/{document_id}",
    response_model=DocumentOut,
    responses=NOT_FOUND,
    tags=["documents"],
    summary="One document",
)
def get_document(ctx: ContextDep, document_id: int) -> dict[str, Any]:
    """Return a document's reference and SHA-256."""
    with ctx.session() as session:
        row = records.get_document(session, document_id)
        ctx.check_site_of(session, "document", document_id, row.site_id)
        return records.as_dict(row)


@router.post(
    "/sites/{site_id}/documents",
    response_model=DocumentOut,
    status_code=status.HTTP_201_CREATED,
    responses=WRITE_ERRORS,
    tags=["documents"],
    summary="Record a document",
)
def record_document(ctx: WriterDep, site_id: int, body: DocumentCreate) -> dict[str, Any]:
    """Record a document by reference and SHA-256; signed as "document-recorded".

    Give ``sha256``, or the bytes as ``content_base64`` to compute it from; the registry
    keeps only the checksum.
    """
    fields = body.model_dump(exclude={"content_base64"})
    with ctx.session() as session:
        ctx.site(session, site_id)
        row = actions.record_document(
            session, ctx.actor(), site_id=site_id, content=body.content(), **fields
        )
        return records.as_dict(row)


# --- passport --------------------------------------------------------------------------------


@router.get(
    "/sites/{site_id}/passport",
    responses={
        **NOT_FOUND,
        200: {
            "description": "The passport: JSON, or an HTML page with `format=html`.",
            "content": {"application/json": {}, "text/html": {}},
        },
    },
    tags=["sites"],
    summary="Digital passport of a site",
)
def get_passport(
    ctx: ContextDep,
    site_id: int,
    format: Annotated[
        Literal["json", "html"], Query(description="json (default) or an html page.")
    ] = "json",
    lang: Annotated[Literal["en", "ru"], Query(description="Language of the html page.")] = "en",
    geometry: Annotated[
        bool, Query(description="Include GeoJSON geometries (JSON format).")
    ] = False,
) -> Any:
    """Return the digital passport of a site: initial state, plan, works, money, monitoring.

    Without financial access the financial section and every amount are left out.
    """
    with ctx.session() as session:
        ctx.site(session, site_id)
        passport = build_passport(
            session,
            site_id,
            include_financial=ctx.principal.financial,
            include_geometry=geometry and format == "json",
        )
    if not ctx.principal.financial:
        passport = without_money(passport)
    if format == "html":
        return HTMLResponse(passport_html(passport, lang))
    return JSONResponse(passport)
