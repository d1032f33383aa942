"""Reports of a project result: a self-contained HTML page with plots and an Excel workbook.

:func:`write_report` writes both, in English or Russian (the Russian report follows the
section and table layout of document 003). The parts can be used alone:
:func:`postmine.reports.html.to_html`, :func:`postmine.reports.excel.write_excel` and the
plots of :mod:`postmine.reports.plots` (PNG bytes). Plots need matplotlib, the workbook
openpyxl; each is imported only when it is used.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from postmine.project.model import ProjectResult
from postmine.reports import excel, html
from postmine.reports.excel import write_excel
from postmine.reports.html import to_html, write_html
from postmine.reports.i18n import LANGUAGES, check_lang

__all__ = [
    "LANGUAGES",
    "REPORT_FILES",
    "to_html",
    "write_excel",
    "write_html",
    "write_report",
]

REPORT_FILES = ("report.html", "report.xlsx")
"""Names of the files :func:`write_report` writes."""


def write_report(result: ProjectResult, out_dir: Path, lang: str = "en") -> list[Path]:
    """Write ``report.html`` and ``report.xlsx`` of a project into ``out_dir``.

    Both files are first written into a temporary directory next to ``out_dir`` and moved
    into place only when both succeeded, so a failure leaves no partial report: ``out_dir``
    keeps what it held before (and is not created if it did not exist). Existing report
    files are replaced; other files in ``out_dir`` are left alone.

    Parameters
    ----------
    result : ProjectResult
        What the engine computed for the project.
    out_dir : Path
        Directory to write into; created (with its parents) if missing.
    lang : str
        ``"en"`` or ``"ru"``.

    Returns
    -------
    list of Path
        The HTML page and the workbook, in that order.

    Raises
    ------
    ValueError
        If ``lang`` is not allowed, or the result holds a value a report cannot print
        (a NaN or infinite number).
    OSError
        If ``out_dir`` is a file or cannot be written.
    """
    check_lang(lang)
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise NotADirectoryError(f"report directory {out_dir} is a file")
    parent = out_dir.absolute().parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-", suffix=".partial", dir=parent))
    try:
        html_name, excel_name = REPORT_FILES
        html.write_html(result, staging / html_name, lang)
        excel.write_excel(result, staging / excel_name, lang)
        out_dir.mkdir(parents=True, exist_ok=True)
        paths = []
        for name in REPORT_FILES:
            (staging / name).replace(out_dir / name)
            paths.append(out_dir / name)
        return paths
    finally:
        shutil.rmtree(staging, ignore_errors=True)
