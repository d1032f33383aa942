"""Fixtures of the import and export tests: a site, and an import killed mid-way.

The database fixtures (``db_url``, ``session`` ...) come from ``tests/registry/conftest.py``.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from postmine.db import session_scope
from postmine.registry.records.sites import insert_site
from postmine.registry.records.territories import insert_territory

CRASH_SCRIPT = """
import sys, time
from postmine import db
from postmine.registry import io
url, records, path, site_id = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])

def hook(written):
    print(f"written {written}", flush=True)
    time.sleep(float(sys.argv[5]))

print("started", flush=True)
with db.session_scope(url) as session:
    if records == "statistics":
        io.import_statistics(session, path, _row_hook=hook)
    else:
        io.import_objects(session, path, site_id=site_id, _row_hook=hook)
print("committed", flush=True)
"""


@pytest.fixture
def site_id(db_url):
    with session_scope(db_url) as session:
        territory = insert_territory(
            session, name="Kuzbass district", region="Kemerovo", area_ha=6144.0
        )
        site = insert_site(
            session,
            name="Open pit 1",
            region="Kemerovo",
            territory_id=territory.id,
            registered_on=date(2020, 1, 10),
        )
        return site.id


@pytest.fixture
def kill_import() -> Callable[..., None]:
    """Return a runner that starts an import in a process and kills it mid-way.

    ``run(db_url, records, path, site_id, kill_after, pause)`` imports ``path`` in a new
    process (``records`` is ``"statistics"`` or ``"objects"``), pausing ``pause`` seconds
    after each write, and kills it (SIGKILL) once ``kill_after`` rows are written; it checks
    that the import started, never committed, and (SQLite) that its transaction was open
    and the database is intact afterwards.
    """

    def run(
        db_url: str, records: str, path: Path, site_id: int, kill_after: int, pause: float
    ) -> None:
        args = [str(site_id), str(pause)]
        process = subprocess.Popen(
            [sys.executable, "-c", CRASH_SCRIPT, db_url, records, str(path), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert process.stdout is not None
        seen = []
        deadline = time.monotonic() + 120
        try:
            for line in process.stdout:
                seen.append(line.strip())
                if line.startswith("written ") and int(line.split()[1]) >= kill_after:
                    if db_url.startswith("sqlite"):  # the transaction is open: its journal exists
                        assert Path(db_url.removeprefix("sqlite:///") + "-journal").exists()
                    os.kill(process.pid, signal.SIGKILL)
                    break
                assert time.monotonic() < deadline, "the import did not reach the kill point"
        finally:
            if process.poll() is None:
                process.kill()
            process.wait(timeout=30)
        assert process.returncode == -signal.SIGKILL, (
            process.stderr.read() if process.stderr else ""
        )
        assert "started" in seen and "committed" not in seen
        if db_url.startswith("sqlite"):
            with session_scope(db_url) as session:
                assert session.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"

    return run
