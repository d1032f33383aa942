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
:mod:`~postmine.registry.services`
    Create, read and list every record on a session; the bounding-box query; pagination.
:mod:`~postmine.registry.passport`
    The digital passport of a site, as a JSON-ready dict and as an HTML page.

Backends: SQLite (embedded default, geometry as WKB handled with Shapely and pyproj) and
PostgreSQL with PostGIS (server); the choice is explained in
:mod:`postmine.registry.geometry`.

Example
-------
>>> import tempfile
>>> from datetime import date
>>> from shapely.geometry import box
>>> from postmine import db
>>> from postmine.registry import services
>>> from postmine.registry.passport import build_passport
>>> url = f"sqlite:///{tempfile.mkdtemp()}/registry.sqlite"
>>> _ = db.init_db(url)
>>> with db.session_scope(url) as session:
...     site = services.create_site(
...         session, name="Abaza mine", region="Khakassia", registered_on=date(2024, 1, 10)
...     )
...     crater = services.create_object(
...         session, site_id=site.id, kind="collapse-crater", name="Crater 1",
...         geometry=box(89.93, 52.64, 89.94, 52.65), state_on=date(2024, 1, 10),
...     )
...     passport = build_passport(session, site.id)
>>> round(passport["current_state"]["total_area_ha"], 1)
75.3
>>> [event["event"] for event in passport["history"]]
['site-registered', 'object-recorded']
"""
