"""Import and export of the registry: objects of disturbance, TMF and statistics.

==========================  ===========================================  ==================
records                     file formats (chosen by the path's suffix)    functions
==========================  ===========================================  ==================
objects of disturbance      GeoJSON (``.geojson``, ``.json``),            :func:`import_objects`,
                            GeoPackage (``.gpkg``, needs ``pyogrio``)     :func:`export_objects`
TMF (document 002)          CSV (``.csv``), Excel (``.xlsx``)             :func:`import_tmf`,
                                                                          :func:`export_tmf`
statistics                  CSV, Excel, in the long format of             :func:`import_statistics`,
                            ``postmine/data/statistics/*.csv``            :func:`export_statistics`
==========================  ===========================================  ==================

The hazardous-waste statistics of document 002 (Tables 1 and 2) ship as a sample data set
(:func:`sample_statistics_files`) and go through the very path of a user's file:
:func:`postmine.registry.actions.import_sample_statistics` calls
:func:`postmine.registry.actions.import_statistics` on each shipped CSV.

All or nothing
--------------
Every import reads the whole file and checks every row before it writes anything: each
value is parsed, then checked against the column it fills (the same declaration of range
and allowed values as the schema, :mod:`postmine.registry.models`), references (site,
object) are looked up, duplicates are found. Any problem raises
:class:`RegistryImportError` (a :class:`ValueError`) naming the row, the field and the value
of the first problem (``.problems`` lists them all), and nothing is written. Only then are
the rows written, all in the caller's transaction, which commits them together or not at
all: :func:`postmine.db.session_scope` commits when its block ends and rolls back
on any exception, so a failure while writing, or a process killed during the import,
leaves no row of it behind (the database's own transaction does that; nothing is committed
before the last row). Give each import its own ``session_scope`` block.

CSV and Excel tables
--------------------
UTF-8 CSV with a decimal point, or the first sheet of an ``.xlsx`` workbook. Lines whose
first field starts with ``#`` are comments (anywhere: before the header or between rows);
blank lines are skipped; the first other line is the header. Column names are matched
without regard to case; columns the records do not have are ignored.

Row numbers
-----------
Problems name the row as the file numbers it: the line number of a CSV file (comments and
header counted, 1-based), the row number of the Excel sheet, the feature number (1-based, in
file order) of a GeoJSON file, the feature id (FID) of a GeoPackage.

Modules
-------
:mod:`.objects` (objects, GeoJSON and GeoPackage, read by :mod:`.features`), :mod:`.tmf`,
:mod:`.statistics`; :mod:`.tables` reads and writes CSV and Excel, :mod:`.cells` reads
their cells, :mod:`.errors` holds the problems and reports.

The ledger
----------
Imports write with the row operations of :mod:`postmine.registry.records` (objects, TMF) or
this module (statistics, which are no site's record) and record no ledger entry themselves;
they are the row operations of the registry's write verbs, which record ONE entry per import
batch in the same transaction: objects and TMF are imported through
:func:`postmine.registry.actions.import_records` (a ``created`` entry of the site, citing the
file's SHA-256 and the ids written, both returned in :class:`ImportReport`), statistics
through :func:`postmine.registry.actions.import_statistics` (a registry-wide
``statistics-imported`` entry with the file's SHA-256 and the number of rows written).

Examples
--------
>>> import tempfile
>>> from postmine import db
>>> from postmine.registry import actions
>>> from postmine.registry.stats import aggregate
>>> tmp = tempfile.mkdtemp()
>>> url = f"sqlite:///{tmp}/registry.sqlite"
>>> _ = db.init_db(url)
>>> registry = actions.actor_from_keyring("registry", f"{tmp}/keys")
>>> with db.session_scope(url) as session:
...     reports = actions.import_sample_statistics(session, registry)
>>> [r.inserted for r in reports]
[40, 85]
>>> with db.session_scope(url) as session:
...     rows = aggregate(session, ["year"], of="statistics",
...                      where={"dataset": "002-table-2", "year": 2015})
>>> rows[0]["value"], rows[0]["unit"]
(2877364.3, 'thousand t')
"""

from postmine.registry.io.errors import ImportReport, RegistryImportError, RowProblem
from postmine.registry.io.objects import (
    OBJECT_EXPORT_FIELDS,
    OBJECT_FIELDS,
    export_objects,
    import_objects,
)
from postmine.registry.io.statistics import (
    SAMPLE_STATISTICS,
    STATISTICS_FIELDS,
    export_statistics,
    import_statistics,
    sample_statistics_files,
    sample_statistics_paths,
)
from postmine.registry.io.tmf import TMF_FIELDS, export_tmf, import_tmf

__all__ = [
    "OBJECT_EXPORT_FIELDS",
    "OBJECT_FIELDS",
    "SAMPLE_STATISTICS",
    "STATISTICS_FIELDS",
    "TMF_FIELDS",
    "ImportReport",
    "RegistryImportError",
    "RowProblem",
    "export_objects",
    "export_statistics",
    "export_tmf",
    "import_objects",
    "import_statistics",
    "import_tmf",
    "sample_statistics_files",
    "sample_statistics_paths",
]
