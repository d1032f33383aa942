"""Import and export of technogenic mineral formations (TMF, document 002): CSV and Excel.

Imports are all or nothing (see :mod:`postmine.registry.io`) and record no ledger entry
themselves: a site's TMF are imported through
:func:`postmine.registry.actions.import_records`, which signs the batch.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from postmine.db import RecordValueError
from postmine.registry.io.cells import (
    BadCell,
    max_length_of,
    parse_components,
    parse_date,
    parse_float,
    parse_hazard_class,
    parse_int,
    parse_text,
)
from postmine.registry.io.errors import (
    FieldProblem,
    ImportReport,
    RegistryImportError,
    RowHook,
    RowProblem,
    import_error,
)
from postmine.registry.io.tables import (
    CHUNK,
    check_columns,
    file_sha256,
    read_table,
    table_suffix,
    write_table,
)
from postmine.registry.models import DisturbanceObject, Site, Tmf
from postmine.registry.records.tmf import insert_tmf

__all__ = ["TMF_FIELDS", "export_tmf", "import_tmf"]

TMF_FIELDS: tuple[str, ...] = (
    "site_id",
    "object_id",
    "name",
    "tmf_class",
    "mass_t",
    "volume_m3",
    "hazard_class",
    "year",
    "composition",
    "valuable_components",
    "recorded_on",
)
"""Columns of a TMF table (the arguments of :func:`~postmine.registry.records.tmf.insert_tmf`).
Required: ``site_id`` (unless the import is given one), ``name``, ``tmf_class``, ``mass_t``,
``hazard_class`` (1..5 or I..V), ``year``. ``composition`` and ``valuable_components`` are
JSON objects, component -> mass fraction (``{"Fe": 0.32, "SiO2": 0.41}``)."""


def import_tmf(
    session: Session,
    path: str | Path,
    *,
    site_id: int | None = None,
    _row_hook: RowHook | None = None,
) -> ImportReport:
    """Import technogenic mineral formations from a CSV or Excel table, all or nothing.

    The columns are :data:`TMF_FIELDS`; each row becomes one formation written by
    :func:`~postmine.registry.records.tmf.insert_tmf`. ``hazard_class`` may be given as 1..5
    or I..V; ``composition`` and ``valuable_components`` as JSON objects of mass fractions.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Session on the registry; the rows are written in its transaction.
    path : str or Path
        The ``.csv`` or ``.xlsx`` file. [-]
    site_id : int, optional
        Site of every row whose ``site_id`` cell is empty (or of all rows, when the table
        has no ``site_id`` column). [-]
    _row_hook : callable, optional
        Called with the number of rows written so far after each row (tests).

    Returns
    -------
    ImportReport
        Rows inserted, their ids, the file's SHA-256.

    Raises
    ------
    RegistryImportError
        If the file cannot be read or any row is bad (a value out of range, an unknown
        site, an object of another site ...); nothing is written.
    """
    path = Path(path)
    table = read_table(path)
    required = ["name", "tmf_class", "mass_t", "hazard_class", "year"]
    if site_id is None:
        required.insert(0, "site_id")
    check_columns(path, table, required)
    name_length = max_length_of(Tmf, "name")
    problems: list[RowProblem] = []
    parsed: list[tuple[int, dict[str, Any]]] = []
    for number, cells in table.rows:
        try:
            parsed.append((number, _tmf_values(cells, site_id, name_length)))
        except FieldProblem as bad:
            problems.append(RowProblem(number, bad.field, cells.get(bad.field), bad.message))
    problems.extend(_check_references(session, parsed))
    if problems:
        problems.sort(key=lambda p: p.row or 0)
        raise RegistryImportError(path, problems)
    ids: list[int] = []
    for written, (number, values) in enumerate(parsed, start=1):
        try:
            row = insert_tmf(session, **values)
        except (LookupError, ValueError) as exc:  # pragma: no cover - checked above
            field = getattr(exc, "field", None)
            raise import_error(path, str(exc), row=number, field=field) from exc
        ids.append(row.id)
        if _row_hook is not None:
            _row_hook(written)
    return ImportReport(
        path=str(path), records="tmf", sha256=file_sha256(path), inserted=len(ids), ids=tuple(ids)
    )


def _tmf_values(
    cells: dict[str, Any], site_id: int | None, name_length: int | None
) -> dict[str, Any]:
    """Return a row's values (its site, else ``site_id``), checked by the schema."""
    current = ""
    try:
        current = "site_id"
        row_site = parse_int("site_id", cells.get("site_id"), required=site_id is None)
        current = "object_id"
        object_id = parse_int("object_id", cells.get("object_id"), required=False)
        current = "name"
        name = parse_text("name", cells.get("name"), required=True, max_length=name_length)
        current = "tmf_class"
        tmf_class = parse_text("tmf_class", cells.get("tmf_class"), required=True)
        current = "mass_t"
        mass_t = parse_float("mass_t", cells.get("mass_t"), required=True)
        current = "volume_m3"
        volume_m3 = parse_float("volume_m3", cells.get("volume_m3"), required=False)
        current = "hazard_class"
        hazard_class = parse_hazard_class("hazard_class", cells.get("hazard_class"))
        current = "year"
        year = parse_int("year", cells.get("year"), required=True)
        current = "composition"
        composition = parse_components("composition", cells.get("composition"))
        current = "valuable_components"
        valuable = parse_components("valuable_components", cells.get("valuable_components"))
        current = "recorded_on"
        recorded_on = parse_date("recorded_on", cells.get("recorded_on"), required=False)
    except BadCell as exc:
        raise FieldProblem(current, str(exc)) from None
    values: dict[str, Any] = {
        "site_id": row_site if row_site is not None else site_id,
        "object_id": object_id,
        "name": name,
        "tmf_class": tmf_class,
        "mass_t": mass_t,
        "volume_m3": volume_m3,
        "hazard_class": hazard_class,
        "year": year,
        "composition": composition,
        "valuable_components": valuable,
        "recorded_on": recorded_on,
    }
    try:
        Tmf(**{k: v for k, v in values.items() if k != "recorded_on" or v is not None})
    except RecordValueError as exc:
        raise FieldProblem(exc.field, str(exc)) from None
    return values


def _check_references(
    session: Session, parsed: Sequence[tuple[int, dict[str, Any]]]
) -> list[RowProblem]:
    """Check that each row's site exists and its object belongs to that site."""
    site_ids = sorted({v["site_id"] for _, v in parsed})
    object_ids = sorted({v["object_id"] for _, v in parsed if v["object_id"] is not None})
    known_sites: set[int] = set()
    for start in range(0, len(site_ids), CHUNK):
        known_sites.update(
            session.scalars(select(Site.id).where(Site.id.in_(site_ids[start : start + CHUNK])))
        )
    object_site: dict[int, int] = {}
    for start in range(0, len(object_ids), CHUNK):
        stmt = select(DisturbanceObject.id, DisturbanceObject.site_id).where(
            DisturbanceObject.id.in_(object_ids[start : start + CHUNK])
        )
        object_site.update({int(i): int(s) for i, s in session.execute(stmt)})
    problems = []
    for number, v in parsed:
        if v["site_id"] not in known_sites:
            problems.append(
                RowProblem(number, "site_id", v["site_id"], f"site {v['site_id']} not found")
            )
        elif v["object_id"] is not None:
            owner = object_site.get(v["object_id"])
            if owner is None:
                problems.append(
                    RowProblem(
                        number, "object_id", v["object_id"], f"object {v['object_id']} not found"
                    )
                )
            elif owner != v["site_id"]:
                problems.append(
                    RowProblem(
                        number,
                        "object_id",
                        v["object_id"],
                        f"object {v['object_id']} belongs to site {owner}, "
                        f"not to site {v['site_id']}",
                    )
                )
    return problems


def export_tmf(
    session: Session,
    path: str | Path,
    *,
    site_id: int | None = None,
    tmf_class: str | None = None,
    hazard_class: int | None = None,
    year: int | None = None,
) -> int:
    """Write technogenic mineral formations to a CSV or Excel table (importable again).

    Columns: ``id`` and :data:`TMF_FIELDS`; rows by id. :func:`import_tmf` ignores ``id``.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Session on the registry.
    path : str or Path
        ``.csv`` or ``.xlsx`` file to write (replaced if it exists). [-]
    site_id : int, optional
        Only this site's formations. [-]
    tmf_class : {"mining", "concentration", "metallurgical"}, optional
        Only this class.
    hazard_class : int, optional
        Only this hazard class, 1..5. [-]
    year : int, optional
        Only this year. [year]

    Returns
    -------
    int
        Rows written.

    Raises
    ------
    ValueError
        If the suffix is not ``.csv`` or ``.xlsx``.
    """
    path = Path(path)
    table_suffix(path)
    stmt = select(Tmf).order_by(Tmf.id)
    for column, value in (
        ("site_id", site_id),
        ("tmf_class", tmf_class),
        ("hazard_class", hazard_class),
        ("year", year),
    ):
        if value is not None:
            stmt = stmt.where(getattr(Tmf, column) == value)
    columns = ["id", *TMF_FIELDS]
    data = [[getattr(t, c) for c in columns] for t in session.scalars(stmt)]
    write_table(path, columns, data, sheet="tmf", comment="TMF")
    return len(data)
