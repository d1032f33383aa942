"""How fast the registry answers with 100,000 objects: bounding-box queries and the passport.

Builds the same registry on SQLite (a file) and on PostgreSQL/PostGIS (a scratch database
``postmine_test_bench_<pid>``, dropped at the end): one territory, 100 sites, 100,000
objects of disturbance with random polygons (quadrilaterals of 50-500 m, turned at random)
over a 2° x 2° region of Kuzbass, each with its first state. Site 1 holds 10,000 objects,
the other 99 share the rest.

Rows are written with SQLAlchemy Core (``Table.insert()`` in batches of 5,000) on the
registry's own tables and column types, not through ``insert_object``: each
geometry is checked and given its bounding box by the same helpers the record functions use
(:func:`postmine.registry.geometry.check_geometry`, :func:`~postmine.registry.geometry.bbox_of`),
its area is the pyproj geodesic area, and on PostgreSQL the areas are then recomputed in one
``UPDATE ... ST_Area(geom::geography)``, so each backend stores the area it computes at write
time, as the services do. One ``create_object`` per row would take hours for 100,000 rows
and measure the ORM, not the queries.

It then times, on both backends, in one run:

* :func:`postmine.registry.records.bbox_query` for boxes of 0.01°, 0.05°, 0.2° and 1°
  (best of 5 runs over the same random box positions on both backends), and
* :func:`postmine.registry.passport.build_passport` for site 1 (10,000 objects) and for a
  site of about 900 objects (best of 3),

and prints each time with the ratio PostgreSQL / SQLite. Not part of the test suite.

Run: python benchmarks/registry_queries.py [--objects N] [--pg URL]
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
from shapely.geometry import Polygon
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from postmine import db
from postmine.registry import records
from postmine.registry.geometry import bbox_of, check_geometry, geodesic_area_ha
from postmine.registry.models import OBJECT_KINDS, DisturbanceObject, ObjectStateChange
from postmine.registry.passport import build_passport
from postmine.registry.records.sites import insert_site
from postmine.registry.records.territories import insert_territory

REGION = (86.0, 53.5, 88.0, 55.5)  # west, south, east, north [°]
N_SITES = 100
BIG_SITE_OBJECTS = 10_000
BATCH = 5_000
BOX_SIZES = (0.01, 0.05, 0.2, 1.0)  # [°]
QUERY_REPEATS = 5
PASSPORT_REPEATS = 3
SEED = 20261124
PG_ADMIN_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
M_PER_DEG_LAT = 111_320.0


def random_polygons(n: int, rng: np.random.Generator) -> list[Polygon]:
    """Random quadrilaterals of 50-500 m sides, turned at random, over REGION."""
    west, south, east, north = REGION
    cx = rng.uniform(west + 0.01, east - 0.01, n)
    cy = rng.uniform(south + 0.01, north - 0.01, n)
    half_w = rng.uniform(25.0, 250.0, n)  # [m]
    half_h = rng.uniform(25.0, 250.0, n)
    turn = rng.uniform(0.0, math.pi, n)
    out = []
    for x, y, hw, hh, a in zip(cx, cy, half_w, half_h, turn, strict=True):
        corners = np.array([(-hw, -hh), (hw, -hh), (hw, hh), (-hw, hh)])
        rot = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])
        xy = corners @ rot.T
        lon = x + xy[:, 0] / (M_PER_DEG_LAT * math.cos(math.radians(y)))
        lat = y + xy[:, 1] / M_PER_DEG_LAT
        out.append(Polygon(np.column_stack([lon, lat])))
    return out


def object_rows(polygons: list[Polygon], rng: np.random.Generator) -> tuple[list, list]:
    """Rows of disturbance_objects and object_states (ids given, sites assigned)."""
    n = len(polygons)
    sites = np.concatenate(
        [
            np.ones(min(BIG_SITE_OBJECTS, n), dtype=int),
            2 + np.arange(max(0, n - BIG_SITE_OBJECTS)) % (N_SITES - 1),
        ]
    )
    kinds = rng.choice(OBJECT_KINDS, n)
    days = rng.integers(0, 3650, n)
    now = datetime.now(UTC)
    objects, states = [], []
    for i, polygon in enumerate(polygons):
        geom = check_geometry(polygon)
        west, south, east, north = bbox_of(geom)
        objects.append(
            {
                "id": i + 1,
                "site_id": int(sites[i]),
                "kind": str(kinds[i]),
                "name": f"Object {i + 1}",
                "area_ha": geodesic_area_ha(geom),
                "volume_m3": None,
                "state": "disturbed",
                "reclamation_direction": None,
                "created_at": now,
                "geom": geom,
                "min_lon": west,
                "min_lat": south,
                "max_lon": east,
                "max_lat": north,
            }
        )
        states.append(
            {
                "id": i + 1,
                "object_id": i + 1,
                "state": "disturbed",
                "changed_on": date(2015, 1, 1) + timedelta(days=int(days[i])),
                "created_at": now,
            }
        )
    return objects, states


def build(url: str, objects: list, states: list) -> dict[str, float]:
    """Create the schema and the rows on one backend; return the times of the steps."""
    times = {}
    db.init_db(url)
    with db.session_scope(url) as session:
        territory = insert_territory(session, name="Kuzbass", region="Kemerovo", area_ha=4.0e6)
        for i in range(N_SITES):
            insert_site(session, name=f"Site {i + 1}", region="Kemerovo", territory_id=territory.id)
    engine = db.get_engine(url)
    t0 = time.perf_counter()
    with engine.begin() as connection:
        for table, rows in (
            (DisturbanceObject.__table__, objects),
            (ObjectStateChange.__table__, states),
        ):
            for start in range(0, len(rows), BATCH):
                connection.execute(table.insert(), rows[start : start + BATCH])
    times["insert"] = time.perf_counter() - t0
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            t0 = time.perf_counter()
            connection.execute(
                text("UPDATE disturbance_objects SET area_ha = ST_Area(geom::geography) / 1e4")
            )
            times["area"] = time.perf_counter() - t0
            for table in ("disturbance_objects", "object_states"):
                connection.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT max(id) FROM {table}))"
                    )
                )
        connection.execute(text("ANALYZE"))
    return times


def best_of(fn: Callable[[], object], repeat: int) -> tuple[float, object]:
    best, result = math.inf, None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def measure(url: str, boxes: dict[float, list[tuple[float, float, float, float]]]) -> dict:
    """Time the bounding-box queries and passports on one backend."""
    out: dict[str, tuple[float, int]] = {}
    with db.session_scope(url) as session:
        for size, positions in boxes.items():

            def run(positions: list = positions) -> int:
                found = 0
                for b in positions:
                    session.expunge_all()
                    found += len(records.bbox_query(session, *b))
                return found

            run()  # warm the caches
            seconds, found = best_of(run, QUERY_REPEATS)
            out[f"bbox {size:g}° (x{len(positions)})"] = (seconds, int(found))  # type: ignore[arg-type]
        typical = 2
        for label, site_id in (
            ("passport, 10,000 objects", 1),
            ("passport, ~900 objects", typical),
        ):

            def passport(site_id: int = site_id) -> int:
                session.expunge_all()
                return len(build_passport(session, site_id)["current_state"]["objects"])

            passport()
            seconds, n = best_of(passport, PASSPORT_REPEATS)
            out[label] = (seconds, int(n))  # type: ignore[arg-type]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--objects", type=int, default=100_000)
    parser.add_argument("--pg", default=os.environ.get("POSTMINE_TEST_PG", PG_ADMIN_DEFAULT))
    args = parser.parse_args()

    rng = np.random.default_rng(SEED)
    t0 = time.perf_counter()
    polygons = random_polygons(args.objects, rng)
    objects, states = object_rows(polygons, rng)
    print(
        f"{args.objects:,} objects generated in {time.perf_counter() - t0:.1f} s", file=sys.stderr
    )
    boxes: dict[float, list[tuple[float, float, float, float]]] = {}
    west, south, east, north = REGION
    for size in BOX_SIZES:
        count = 10 if size < 1 else 3
        xs = rng.uniform(west, east - size, count)
        ys = rng.uniform(south, north - size, count)
        boxes[size] = [
            (float(x), float(y), float(x) + size, float(y) + size)
            for x, y in zip(xs, ys, strict=True)
        ]

    results: dict[str, dict] = {}
    builds: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        sqlite_url = f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
        builds["SQLite"] = build(sqlite_url, objects, states)
        results["SQLite"] = measure(sqlite_url, boxes)
        db.dispose_engine(sqlite_url)

    admin = create_engine(args.pg, isolation_level="AUTOCOMMIT")
    name = f"postmine_test_bench_{os.getpid()}"
    pg_url = make_url(args.pg).set(database=name).render_as_string(hide_password=False)
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # no server: report SQLite alone
        print(f"PostgreSQL unavailable ({exc}); SQLite only", file=sys.stderr)
    else:
        try:
            builds["PostgreSQL"] = build(pg_url, objects, states)
            results["PostgreSQL"] = measure(pg_url, boxes)
        finally:
            db.dispose_engine(pg_url)
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()

    print(f"\nRegistry with {args.objects:,} objects ({N_SITES} sites), times in seconds")
    for backend, steps in builds.items():
        shown = ", ".join(f"{k} {v:.1f} s" for k, v in steps.items())
        print(f"  build on {backend}: {shown}")
    header = f"{'operation':32} {'found':>8} {'SQLite':>9} {'PostgreSQL':>11} {'PG/SQLite':>10}"
    print(header)
    print("-" * len(header))
    for label, (t_sqlite, found) in results["SQLite"].items():
        pg = results.get("PostgreSQL", {}).get(label)
        if pg is None:
            print(f"{label:32} {found:8,} {t_sqlite:9.4f} {'-':>11} {'-':>10}")
            continue
        t_pg, found_pg = pg
        same = "" if found_pg == found else f"  (PostgreSQL found {found_pg:,})"
        print(f"{label:32} {found:8,} {t_sqlite:9.4f} {t_pg:11.4f} {t_pg / t_sqlite:10.2f}{same}")


if __name__ == "__main__":
    main()
