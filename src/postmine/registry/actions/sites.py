"""Actions on operators, territories and sites: register each, update a site.

See :mod:`postmine.registry.actions` for the ledger entries they append.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from postmine.registry.actions.base import Actor, act, geometry_commitment
from postmine.registry.geometry import BaseGeometry
from postmine.registry.ledger.store import DatabaseLedgerStore
from postmine.registry.models import (
    Operator,
    Site,
    SiteStatus,
    SiteTypology,
    Territory,
    TerritoryKind,
)
from postmine.registry.records.operators import insert_operator
from postmine.registry.records.sites import change_site, insert_site
from postmine.registry.records.territories import insert_territory

__all__ = ["register_operator", "register_site", "register_territory", "update_site"]


def _site_fields(site: Site) -> dict[str, Any]:
    """Return the site's recorded fields, its geometry committed to by its hash."""
    return {
        "site_id": site.id,
        "name": site.name,
        "region": site.region,
        "status": site.status,
        "typology": site.typology,
        "territory_id": site.territory_id,
        "operator_id": site.operator_id,
        "licence": site.licence,
        "mineral": site.mineral,
        "area_ha": site.area_ha,
        "registered_on": site.registered_on,
        "geometry": geometry_commitment(site),
    }


def register_operator(
    session: Session,
    actor: Actor,
    *,
    name: str,
    tax_id: str | None = None,
    public_key: str | None = None,
    now: dt.datetime | None = None,
) -> Operator:
    """Register an operator (a party that operates sites) and record it in the ledger.

    The one write path for operators. An operator belongs to no site: its entry is
    registry-wide (kind ``operator-registered``, ``site_id`` None) and holds
    ``operator_id``, ``name``, ``tax_id`` and ``public_key``; the sites it operates record
    its id in their own entries.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Session on the registry (committed by the caller).
    actor : Actor
        Party making the change; signs the entry.
    name : str
        Name of the legal entity, unique in the registry. [-]
    tax_id : str, optional
        Taxpayer number or other identifier. [-]
    public_key : str, optional
        Ed25519 public key, hex. [-]
    now : datetime.datetime, optional
        Timezone-aware time of the ledger entry; default the current time. [-]

    Returns
    -------
    Operator
        The new operator.

    Raises
    ------
    RecordValueError
        If the name is empty or already registered (nothing is stored, no entry).
    ValueError
        If ``now`` is naive, earlier than the last entry or on a sealed day.
    """

    def change(store: DatabaseLedgerStore) -> tuple[Operator, None, dict[str, Any]]:
        operator = insert_operator(session, name=name, tax_id=tax_id, public_key=public_key)
        payload = {
            "operator_id": operator.id,
            "name": operator.name,
            "tax_id": operator.tax_id,
            "public_key": operator.public_key,
        }
        return operator, None, payload

    return act(session, actor, "operator-registered", now, change)


def register_territory(
    session: Session,
    actor: Actor,
    *,
    name: str,
    region: str,
    kind: TerritoryKind = "mining-district",
    geometry: BaseGeometry | None = None,
    area_ha: float | None = None,
    sanitary_zone_area_ha: float | None = None,
    now: dt.datetime | None = None,
) -> Territory:
    """Register a territory (a mining district) and record it in the ledger.

    The one write path for territories. A territory belongs to no site: its entry is
    registry-wide (kind ``territory-registered``, ``site_id`` None) and holds
    ``territory_id``, ``name``, ``region``, ``kind``, ``area_ha``,
    ``sanitary_zone_area_ha`` and the outline committed to by its hash (``geometry``).

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Session on the registry (committed by the caller).
    actor : Actor
        Party making the change; signs the entry.
    name, region, kind, geometry, area_ha, sanitary_zone_area_ha
        As :func:`postmine.registry.records.territories.insert_territory` (areas in [ha],
        geometry in WGS 84 longitude/latitude [°]).
    now : datetime.datetime, optional
        Timezone-aware time of the ledger entry; default the current time. [-]

    Returns
    -------
    Territory
        The new territory.

    Raises
    ------
    RecordValueError
        If a value is out of range, the name is taken, or the area is missing or given twice
        (nothing is stored, no entry).
    ValueError
        If the geometry cannot be stored, or ``now`` is naive, earlier than the last entry
        or on a sealed day.
    """

    def change(store: DatabaseLedgerStore) -> tuple[Territory, None, dict[str, Any]]:
        territory = insert_territory(
            session,
            name=name,
            region=region,
            kind=kind,
            geometry=geometry,
            area_ha=area_ha,
            sanitary_zone_area_ha=sanitary_zone_area_ha,
        )
        payload = {
            "territory_id": territory.id,
            "name": territory.name,
            "region": territory.region,
            "kind": territory.kind,
            "area_ha": territory.area_ha,
            "sanitary_zone_area_ha": territory.sanitary_zone_area_ha,
            "geometry": geometry_commitment(territory),
        }
        return territory, None, payload

    return act(session, actor, "territory-registered", now, change)


def register_site(
    session: Session, actor: Actor, *, now: dt.datetime | None = None, **fields: Any
) -> Site:
    """Register a site and record it in the ledger (``created``).

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Session on the registry (committed by the caller).
    actor : Actor
        Party making the change; signs the entry.
    now : datetime.datetime, optional
        Timezone-aware time of the ledger entry; default the current time. [-]
    **fields
        Keyword arguments of :func:`postmine.registry.records.sites.insert_site` (``name``,
        ``region``, ``status``, ``operator_id``, ``geometry`` ...).

    Returns
    -------
    Site
        The new site.

    Raises
    ------
    ValueError
        As :func:`postmine.registry.records.sites.insert_site` (a
        :class:`~postmine.db.base.RecordValueError` naming the field), or if
        ``now`` is naive, earlier than the last entry or on a sealed day.
    postmine.registry.records.NotFoundError
        If the territory or operator does not exist.
    """

    def change(store: DatabaseLedgerStore) -> tuple[Site, int, dict[str, Any]]:
        site = insert_site(session, **fields)
        return site, site.id, {"entity": "site", **_site_fields(site)}

    return act(session, actor, "created", now, change)


def update_site(
    session: Session,
    actor: Actor,
    site_id: int,
    *,
    status: SiteStatus | None = None,
    typology: SiteTypology | None = None,
    operator_id: int | None = None,
    licence: str | None = None,
    now: dt.datetime | None = None,
) -> Site:
    """Change a site's status, typology, operator or licence, and record it in the ledger.

    Arguments left None stay. The entry (kind ``site-updated``) holds the names of the
    fields changed (``changed``) and the site's fields after the change, as
    :func:`register_site` records them.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Session on the registry (committed by the caller).
    actor : Actor
        Party making the change.
    site_id : int
        Site changed. [-]
    status, typology, operator_id, licence
        New values, as :func:`postmine.registry.records.sites.change_site`.
    now : datetime.datetime, optional
        Timezone-aware time of the ledger entry; default the current time. [-]

    Returns
    -------
    Site
        The changed site.

    Raises
    ------
    postmine.registry.records.NotFoundError
        If the site or the operator does not exist.
    RecordValueError
        If a value is not in its list.
    ValueError
        If no field is given (there is nothing to change, and nothing is recorded).
    """
    given: dict[str, object] = {"status": status, "typology": typology}
    given |= {"operator_id": operator_id, "licence": licence}
    changed = sorted(k for k, v in given.items() if v is not None)
    if not changed:
        raise ValueError(
            f"update_site of site {site_id} needs at least one of status, typology, "
            "operator_id, licence; none was given"
        )

    def change(store: DatabaseLedgerStore) -> tuple[Site, int, dict[str, Any]]:
        site = change_site(
            session,
            site_id,
            status=status,
            typology=typology,
            operator_id=operator_id,
            licence=licence,
        )
        return site, site.id, {"changed": changed, **_site_fields(site)}

    return act(session, actor, "site-updated", now, change)
