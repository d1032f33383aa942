"""Problems, errors and reports of the registry's imports.

An import refused raises :class:`RegistryImportError` naming the row, the field and the
value of its first problem (every :class:`RowProblem` is kept); an import done returns an
:class:`ImportReport`: the file, its SHA-256 and the ids written.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

__all__ = [
    "MAX_LISTED",
    "FieldProblem",
    "ImportReport",
    "RegistryImportError",
    "RowHook",
    "RowProblem",
    "import_error",
]

MAX_LISTED = 5
"""Rows of further problems listed in an error's message."""

RowHook = Callable[[int], None]
"""Called with the number of rows written so far after each write (for tests)."""


@dataclass(frozen=True)
class RowProblem:
    """One problem of an imported file: where (row, field), the value, and what is wrong.

    ``row`` is None for a problem of the whole file (its format, its header).
    """

    row: int | None
    field: str | None
    value: Any
    message: str

    def __str__(self) -> str:
        where = "file" if self.row is None else f"row {self.row}"
        if self.field is not None:
            where += f", field {self.field!r}"
        return f"{where}: {self.message}"


class RegistryImportError(ValueError):
    """An import refused: nothing of the file was written.

    ``row``, ``field`` and ``value`` are those of the first problem; ``problems`` lists
    every problem found; ``path`` is the file.
    """

    def __init__(self, path: str | Path, problems: Sequence[RowProblem]) -> None:
        if not problems:  # pragma: no cover - always called with a problem
            raise ValueError("RegistryImportError needs at least one problem")
        self.path = str(path)
        self.problems = list(problems)
        first = self.problems[0]
        self.row = first.row
        self.field = first.field
        self.value = first.value
        text = f"{Path(path).name}, {first}"
        more = self.problems[1:]
        if more:
            rows = sorted({p.row for p in more if p.row is not None})
            listed = ", ".join(str(r) for r in rows[:MAX_LISTED])
            if len(rows) > MAX_LISTED:
                listed += ", ..."
            text += f" (and {len(more)} more problem(s)" + (f" in rows {listed})" if rows else ")")
        super().__init__(text + "; nothing was imported")


def import_error(
    path: Path, message: str, *, row: int | None = None, field: str | None = None, value: Any = None
) -> RegistryImportError:
    """Return the error of one problem of a file (of the whole file if ``row`` is None)."""
    return RegistryImportError(path, [RowProblem(row, field, value, message)])


@dataclass(frozen=True)
class ImportReport:
    """What an import wrote: the file, its SHA-256, and the rows inserted or replaced.

    ``ids`` are the ids of the rows written (inserted and replaced), in file order.
    """

    path: str
    records: Literal["objects", "tmf", "statistics"]
    sha256: str
    inserted: int
    replaced: int = 0
    ids: tuple[int, ...] = field(default=(), repr=False)

    def __str__(self) -> str:
        text = f"{self.inserted} {self.records} row(s) from {Path(self.path).name}"
        if self.replaced:
            text += f", {self.replaced} replaced"
        return text

    def to_dict(self) -> dict[str, Any]:
        """Return the report as a JSON-ready dict."""
        return {
            "path": self.path,
            "records": self.records,
            "sha256": self.sha256,
            "inserted": self.inserted,
            "replaced": self.replaced,
            "ids": list(self.ids),
        }


class FieldProblem(Exception):
    """A field of one row that cannot be read or breaks the schema's checks.

    The importers raise it while reading a row and turn it into the row's
    :class:`RowProblem`, with the value of the field as the file gives it.
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message
