"""Rows of the documents (acts, protocols, reports) kept by reference and SHA-256.

Row operations only: a document is registered through
:func:`postmine.registry.actions.record_document`, which records it in the ledger.
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from postmine.db import RecordValueError
from postmine.registry.models import Document, DocumentKind
from postmine.registry.records.common import (
    DEFAULT_LIMIT,
    Page,
    check_date,
    check_text,
    flush_row,
    get_row,
    paginate,
)
from postmine.registry.records.sites import get_site

__all__ = [
    "document_matches",
    "get_document",
    "insert_document",
    "list_documents",
    "sha256_file",
    "sha256_hex",
]


def sha256_hex(data: bytes) -> str:
    """Return the SHA-256 of bytes, hex.

    Examples
    --------
    >>> sha256_hex(b"act")[:16]
    'f83f07be16e27018'
    """
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: str | Path) -> str:
    """Return the SHA-256 of a file's bytes, hex, read in blocks."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def insert_document(
    session: Session,
    *,
    site_id: int,
    kind: DocumentKind,
    title: str,
    uri: str,
    issued_on: date,
    sha256: str | None = None,
    content: bytes | None = None,
) -> Document:
    """Insert a document (act, protocol, report) by reference and checksum.

    The registry keeps where the document is (``uri``) and its SHA-256, not the document:
    give the checksum, or the bytes to compute it from.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Session on the registry.
    site_id : int
        Site the document concerns. [-]
    kind : {"acceptance-act", "protocol", "report", "other"}
        Kind of document.
    title : str
        Title (number and subject). [-]
    uri : str
        Where it is kept (URL, archive reference). [-]
    issued_on : datetime.date
        Date of the document. [date]
    sha256 : str, optional
        SHA-256 of its bytes, 64 hex digits. [-]
    content : bytes, optional
        Its bytes, to compute the SHA-256 from. [-]

    Returns
    -------
    Document
        The new row.

    Raises
    ------
    NotFoundError
        If the site does not exist.
    RecordValueError
        If neither or both of ``sha256`` and ``content`` are given, the checksum is not 64
        hex digits, or the kind is unknown.
    """
    get_site(session, site_id)
    if (sha256 is None) == (content is None):
        raise RecordValueError("sha256", "give exactly one of sha256 or content", sha256)
    if content is not None:
        if not isinstance(content, bytes | bytearray | memoryview):
            raise RecordValueError("content", "content must be bytes", type(content).__name__)
        sha256 = sha256_hex(bytes(content))
    row = Document(
        site_id=site_id,
        kind=kind,
        title=check_text("title", title),
        uri=check_text("uri", uri),
        sha256=sha256,
        issued_on=check_date("issued_on", issued_on),
    )
    return flush_row(session, row)


def get_document(session: Session, document_id: int) -> Document:
    """Return a document by id; raise :class:`NotFoundError` if there is none."""
    return get_row(session, Document, document_id, "document")


def list_documents(
    session: Session,
    *,
    site_id: int | None = None,
    kind: DocumentKind | None = None,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
) -> Page[Document]:
    """List documents by date, then id."""
    stmt = select(Document).order_by(Document.issued_on, Document.id)
    if site_id is not None:
        stmt = stmt.where(Document.site_id == site_id)
    if kind is not None:
        stmt = stmt.where(Document.kind == kind)
    return paginate(session, stmt, limit=limit, offset=offset)


def document_matches(document: Document, content: bytes) -> bool:
    """Whether bytes are the registered document (their SHA-256 is the one recorded)."""
    return sha256_hex(bytes(content)) == document.sha256
