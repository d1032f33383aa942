"""The registry: the system of record of disturbed lands, TMF and their digital passports.

Modules
-------
:mod:`~postmine.registry.models`
    The schema, declared once (SQLAlchemy 2): every column with unit, range and meaning.
:mod:`~postmine.registry.geometry`
    One geometry column for PostGIS and SQLite, bounding boxes and geodesic areas.
:mod:`~postmine.db`
    Database URL, engines, sessions (:func:`~postmine.db.session_scope`) and the
    Alembic migrations (:func:`~postmine.db.init_db`).
:mod:`~postmine.registry.actions`
    The registry's write verbs: every change of a record, with its signed ledger entry.
:mod:`~postmine.registry.records`
    The reads of every record (get, list, the bounding-box query, pagination) and the
    row operations the actions are made of.
:mod:`~postmine.registry.passport`
    The digital passport of a site as JSON-ready data (its HTML page is
    :func:`postmine.reports.passport.passport_html`).
:mod:`~postmine.registry.io`
    Import and export of objects, TMF and statistics, all or nothing.

Backends: SQLite (embedded default, geometry as WKB handled with Shapely and pyproj) and
PostgreSQL with PostGIS (server); the choice is explained in
:mod:`postmine.registry.geometry`.

Example
-------
>>> import tempfile
>>> from datetime import date
>>> from shapely.geometry import box
>>> from postmine import db
>>> from postmine.registry import actions
>>> from postmine.registry.passport import build_passport
>>> tmp = tempfile.mkdtemp()
>>> url = f"sqlite:///{tmp}/registry.sqlite"
>>> _ = db.init_db(url)
>>> regulator = actions.actor_from_keyring("regulator", f"{tmp}/keys")
>>> with db.session_scope(url) as session:
...     site = actions.register_site(
...         session, regulator, name="Abaza mine", region="Khakassia",
...         registered_on=date(2024, 1, 10),
...     )
...     crater = actions.add_object(
...         session, regulator, site_id=site.id, kind="collapse-crater", name="Crater 1",
...         geometry=box(89.93, 52.64, 89.94, 52.65), state_on=date(2024, 1, 10),
...     )
...     passport = build_passport(session, site.id)
>>> round(passport["current_state"]["total_area_ha"], 1)
75.3
>>> [event["event"] for event in passport["history"]]
['site-registered', 'object-recorded']
"""
