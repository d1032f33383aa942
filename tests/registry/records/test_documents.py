"""Documents by reference and SHA-256 (both backends)."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest

from postmine.db import RecordValueError
from postmine.registry import records as s
from postmine.registry.records.documents import insert_document


def test_documents_by_reference_and_checksum(session, site, tmp_path):
    content = "Акт приемки рекультивированных земель № 12".encode()
    path = tmp_path / "act.pdf"
    path.write_bytes(content)
    doc = insert_document(
        session,
        site_id=site.id,
        kind="acceptance-act",
        title="Act No. 12",
        uri=path.as_uri(),
        issued_on=date(2024, 10, 1),
        sha256=s.sha256_file(path),
    )
    assert doc.sha256 == hashlib.sha256(content).hexdigest()
    assert s.document_matches(doc, content)
    assert not s.document_matches(doc, content + b" ")
    assert [d.id for d in s.list_documents(session, site_id=site.id).items] == [doc.id]
    with pytest.raises(RecordValueError, match="give exactly one of sha256 or content"):
        insert_document(
            session, site_id=site.id, kind="report", title="T", uri="u", issued_on=date(2024, 1, 1)
        )
    with pytest.raises(RecordValueError, match="sha256 must be 64 hex digits"):
        insert_document(
            session,
            site_id=site.id,
            kind="report",
            title="T",
            uri="u",
            issued_on=date(2024, 1, 1),
            sha256="xyz",
        )
