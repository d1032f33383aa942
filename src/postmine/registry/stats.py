r"""Statistics of the registry: aggregates, and the land-use indicators of 004 PR3.

:func:`aggregate` groups and sums the registry's records:

==============  =========================================  ================================
``of``          grouping keys (``by``, ``where``)          sums per group
==============  =========================================  ================================
``objects``     region, year, kind, state,                 count, area_ha, volume_m3
                reclamation_direction, site_id,
                territory_id
``tmf``         region, year, tmf_class, hazard_class,     count, mass_t, volume_m3
                site_id, territory_id
``statistics``  dataset, region, year, indicator           count, value (with its unit)
==============  =========================================  ================================

``region`` of an object or a TMF is its site's region. ``year`` of an object is the year it
entered its current state (its last state change), so ``by=["state", "year"]`` tells how
much land was, say, reclaimed in 2024; ``year`` of a TMF is the year its data refer to.
Statistics are always grouped by unit as well, so values in different units are never
added. Areas come from ``area_ha``, stored at write time, so aggregates do not depend on the
backend.

:func:`territory_land_use_indicators` computes the indicators of rational land use of 004's
practical work 3 (eqs. 3.1-3.21) for a territory from the objects of its sites, calling the
PR3 chain :func:`postmine.chains.land_use.land_use_indicators`; its docstring gives the
mapping of object kinds to the method's areas and the inputs the registry does not hold.

References
----------
[004] Practical works on the reclamation of disturbed land, practical work 3, eqs. (3.1)-(3.21),
      Tables 3.1 and 3.2.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import Integer, cast, extract, func, select
from sqlalchemy.orm import Session

from postmine.chains.land_use import (
    Crop,
    LandUseIndicators,
    MiningDistrict,
    land_use_indicators,
)
from postmine.registry import records
from postmine.registry.models import DisturbanceObject, ObjectStateChange, Site, Tmf
from postmine.registry.statistics_model import Statistic

__all__ = [
    "AGGREGATE_KEYS",
    "DONE_STATES",
    "KIND_TO_PR3",
    "CropYield",
    "LandUseReport",
    "aggregate",
    "territory_land_use_indicators",
]

Of = Literal["objects", "tmf", "statistics"]

AGGREGATE_KEYS: dict[str, tuple[str, ...]] = {
    "objects": (
        "region",
        "year",
        "kind",
        "state",
        "reclamation_direction",
        "site_id",
        "territory_id",
    ),
    "tmf": ("region", "year", "tmf_class", "hazard_class", "site_id", "territory_id"),
    "statistics": ("dataset", "region", "year", "indicator"),
}
"""Keys each kind of record can be grouped and filtered by."""

DONE_STATES: tuple[str, ...] = ("reclaimed", "accepted")
"""Object states counted as reclaimed land (S_рз of 004 PR3)."""

KIND_TO_PR3: dict[str, str] = {
    "external-dump": "S_о, outer dumps",
    "internal-dump": "S_в, internal dumps (S_б if built without transport)",
    "pit": "S_выр, worked-out space",
    "road": "S_т, land taken by transport routes",
    "industrial-site": "S_жр, railway stations and other communications of the mine",
    "tailings-storage": "solid-waste storage, counted in ΣS_то (eq. 3.9)",
    "collapse-crater": "S_пл, areal disturbances (enters no indicator)",
    "topsoil-store": "S_пл, areal disturbances (enters no indicator)",
}
"""How each kind of object enters the areas of 004 PR3 (Table 3.2's symbols)."""

# How the registry names the inputs an indicator lacks (see LandUseReport.not_computed).
_REGISTRY_WORDING = {
    "sanitary_zone_area": "the territory's sanitary_zone_area_ha",
    "reclaimed_area": "reclaimed land in the registry (objects reclaimed or accepted)",
    "agricultural_area": "reclaimed agricultural land in the registry",
}


# --- aggregates ------------------------------------------------------------------------------


def _object_columns() -> tuple[Any, dict[str, Any]]:
    o = DisturbanceObject
    last = (
        select(
            ObjectStateChange.object_id.label("object_id"),
            func.max(ObjectStateChange.changed_on).label("since"),
        )
        .group_by(ObjectStateChange.object_id)
        .subquery()
    )
    keys: dict[str, Any] = {
        "region": Site.region,
        "year": cast(extract("year", last.c.since), Integer),
        "kind": o.kind,
        "state": o.state,
        "reclamation_direction": o.reclamation_direction,
        "site_id": o.site_id,
        "territory_id": Site.territory_id,
    }
    base = (
        select()
        .select_from(o)
        .join(Site, Site.id == o.site_id)
        .outerjoin(last, last.c.object_id == o.id)
    )
    return base, keys


def aggregate(
    session: Session,
    by: Sequence[str],
    *,
    of: Of = "objects",
    where: Mapping[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """Group the registry's objects, TMF or statistics and sum them per group.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Session on the registry.
    by : sequence of str
        Grouping keys, from :data:`AGGREGATE_KEYS` for ``of``; empty gives one total row.
    of : {"objects", "tmf", "statistics"}
        Records to aggregate.
    where : mapping, optional
        Filters, key -> value, or key -> list of values (any of them); keys as for ``by``.

    Returns
    -------
    list of dict
        One row per group, ordered by the keys: the keys, ``count`` and the sums --
        ``area_ha`` [ha] and ``volume_m3`` [m³] of objects; ``mass_t`` [t] and
        ``volume_m3`` [m³] of TMF; ``value`` and its ``unit`` for statistics. A volume is
        the sum of the volumes known, None when none is. No row for an empty group.

    Raises
    ------
    ValueError
        If ``of`` is unknown, or a key of ``by`` or ``where`` is not one of its keys or
        appears twice in ``by``.

    Examples
    --------
    >>> import tempfile
    >>> from shapely.geometry import box
    >>> from postmine import db
    >>> from postmine.registry.records.objects import insert_object
    >>> from postmine.registry.records.sites import insert_site
    >>> url = f"sqlite:///{tempfile.mkdtemp()}/registry.sqlite"
    >>> _ = db.init_db(url)
    >>> with db.session_scope(url) as session:
    ...     site = insert_site(session, name="Abaza mine", region="Khakassia")
    ...     for name, kind, area in (("D1", "external-dump", 12.5), ("D2", "external-dump",
    ...                              7.5), ("P", "pit", 30.0)):
    ...         _ = insert_object(session, site_id=site.id, kind=kind, name=name,
    ...                           area_ha=area)
    ...     rows = aggregate(session, ["kind"])
    >>> [(r["kind"], r["count"], r["area_ha"]) for r in rows]
    [('external-dump', 2, 20.0), ('pit', 1, 30.0)]
    """
    if of not in AGGREGATE_KEYS:
        raise ValueError(f"of must be one of {', '.join(AGGREGATE_KEYS)}, got {of!r}")
    allowed = AGGREGATE_KEYS[of]
    by = list(by)
    for key in by:
        if key not in allowed:
            raise ValueError(f"by: {key!r} is not a key of {of}; keys: {', '.join(allowed)}")
    if len(set(by)) != len(by):
        raise ValueError(f"by must not repeat a key, got {by}")
    filters = dict(where or {})
    for key in filters:
        if key not in allowed:
            raise ValueError(f"where: {key!r} is not a key of {of}; keys: {', '.join(allowed)}")

    sums: dict[str, Any]
    keys: dict[str, Any]
    if of == "objects":
        base, keys = _object_columns()
        sums = {
            "count": func.count(DisturbanceObject.id),
            "area_ha": func.sum(DisturbanceObject.area_ha),
            "volume_m3": func.sum(DisturbanceObject.volume_m3),
        }
    elif of == "tmf":
        keys = {
            "region": Site.region,
            "year": Tmf.year,
            "tmf_class": Tmf.tmf_class,
            "hazard_class": Tmf.hazard_class,
            "site_id": Tmf.site_id,
            "territory_id": Site.territory_id,
        }
        base = select().select_from(Tmf).join(Site, Site.id == Tmf.site_id)
        sums = {
            "count": func.count(Tmf.id),
            "mass_t": func.sum(Tmf.mass_t),
            "volume_m3": func.sum(Tmf.volume_m3),
        }
    else:
        s = Statistic
        keys = {"dataset": s.dataset, "region": s.region, "year": s.year, "indicator": s.indicator}
        base = select().select_from(s)
        by = [*by, "unit"]
        keys["unit"] = s.unit
        sums = {"count": func.count(s.id), "value": func.sum(s.value)}

    stmt = base.add_columns(*(keys[k].label(k) for k in by), *(v.label(k) for k, v in sums.items()))
    for key, value in filters.items():
        if isinstance(value, list | tuple | set | frozenset):
            stmt = stmt.where(keys[key].in_(list(value)))
        elif value is None:
            stmt = stmt.where(keys[key].is_(None))
        else:
            stmt = stmt.where(keys[key] == value)
    if by:
        stmt = stmt.group_by(*(keys[k] for k in by))
    rows = []
    for result in session.execute(stmt).mappings():
        if result["count"] == 0:
            continue  # the single total row of an empty selection
        row = {k: result[k] for k in by}
        row["count"] = int(result["count"])
        for name in sums:
            if name != "count":
                total = result[name]
                row[name] = None if total is None else float(total)
        rows.append(row)
    rows.sort(key=lambda r: tuple(_sort_key(r[k]) for k in by))
    return rows


def _sort_key(value: Any) -> tuple[int, Any]:
    """Order None first, then values (numbers, text), the same on every backend."""
    return (0, 0) if value is None else (1, value)


# --- land-use indicators of 004 PR3 ----------------------------------------------------------


@dataclass(frozen=True)
class CropYield:
    """A crop on the territory's reclaimed farmland: its share, yields and price (PR3).

    The registry knows how much reclaimed land is farmed (objects reclaimed with the
    agricultural direction), not how it is split among crops, nor the yields and prices.

    Parameters
    ----------
    name : str
        Crop, e.g. fodder, grain, meadow. [-]
    share : float
        Share of the reclaimed agricultural land under the crop, 0..1; the shares of all
        crops add up to 1. [-]
    yield_reclaimed : float
        У_рз_i, yield on reclaimed land (1 centner = 100 kg). [centner/ha]
    yield_farmland : float
        У_схз_i, yield on undisturbed farmland. [centner/ha]
    price : float
        Ц_i, wholesale price of the crop. [rub/centner]
    """

    name: str
    share: float
    yield_reclaimed: float
    yield_farmland: float
    price: float


@dataclass(frozen=True, kw_only=True)
class LandUseReport(LandUseIndicators):
    """The land-use indicators of a territory, the areas they came from, and what is missing.

    ``areas_ha`` are the inputs read from the registry (ha); ``indicators`` are in the
    source's units (ha, %, t/ha, rub), with the symbols of 004 (and of
    ``postmine calc land-use-indicators``); ``not_computed`` maps each indicator that could
    not be computed to the inputs it needs.
    """

    territory_id: int
    territory_name: str
    areas_ha: dict[str, float]

    def to_dict(self) -> dict[str, Any]:
        """Return the report as a JSON-ready dict."""
        return {
            "territory_id": self.territory_id,
            "territory_name": self.territory_name,
            "areas_ha": dict(self.areas_ha),
            "indicators": [i.to_dict() for i in self.indicators],
            "not_computed": dict(self.not_computed),
        }


def _territory_areas(
    session: Session, territory_id: int, nontransport_dump_ids: Collection[int]
) -> dict[str, float]:
    """Sum the areas of a territory's objects into the areas of 004 PR3 (ha)."""
    o = DisturbanceObject
    rows = session.execute(
        select(o.id, o.kind, o.state, o.reclamation_direction, o.area_ha)
        .join(Site, Site.id == o.site_id)
        .where(Site.territory_id == territory_id)
    ).all()
    nontransport = set(nontransport_dump_ids)
    found = {r.id: r.kind for r in rows}
    for object_id in sorted(nontransport):
        if object_id not in found:
            raise ValueError(
                f"nontransport_dump_ids: object {object_id} is not an object of territory "
                f"{territory_id}"
            )
        if found[object_id] != "internal-dump":
            raise ValueError(
                f"nontransport_dump_ids: object {object_id} is a {found[object_id]}, "
                "not an internal-dump"
            )
    parts: dict[str, list[float]] = {
        k: []
        for k in (
            "outer_dump_area_ha",
            "outer_dump_reclaimed_area_ha",
            "inner_dump_area_ha",
            "inner_dump_reclaimed_area_ha",
            "nontransport_dump_area_ha",
            "worked_out_area_ha",
            "transport_area_ha",
            "infrastructure_area_ha",
            "tailings_area_ha",
            "areal_disturbance_area_ha",
            "reclaimed_area_ha",
            "agricultural_area_ha",
            "objects_area_ha",
        )
    }
    for r in rows:
        done = r.state in DONE_STATES
        parts["objects_area_ha"].append(r.area_ha)
        if done:
            parts["reclaimed_area_ha"].append(r.area_ha)
            if r.reclamation_direction == "agricultural":
                parts["agricultural_area_ha"].append(r.area_ha)
        if r.kind == "external-dump":
            parts["outer_dump_area_ha"].append(r.area_ha)
            if done:
                parts["outer_dump_reclaimed_area_ha"].append(r.area_ha)
        elif r.kind == "internal-dump" and r.id in nontransport:
            parts["nontransport_dump_area_ha"].append(r.area_ha)
        elif r.kind == "internal-dump":
            parts["inner_dump_area_ha"].append(r.area_ha)
            if done:
                parts["inner_dump_reclaimed_area_ha"].append(r.area_ha)
        elif r.kind == "pit":
            parts["worked_out_area_ha"].append(r.area_ha)
        elif r.kind == "road":
            parts["transport_area_ha"].append(r.area_ha)
        elif r.kind == "industrial-site":
            parts["infrastructure_area_ha"].append(r.area_ha)
        elif r.kind == "tailings-storage":
            parts["tailings_area_ha"].append(r.area_ha)
        else:  # collapse-crater, topsoil-store
            parts["areal_disturbance_area_ha"].append(r.area_ha)
    return {k: math.fsum(v) for k, v in parts.items()}


def _check_crops(crops: Sequence[CropYield]) -> None:
    """Check the crops' shares of the reclaimed farmland (the chain checks yields and prices)."""
    for c in crops:
        if not isinstance(c, CropYield):
            raise ValueError(f"crops must be CropYield, got {type(c).__name__}")
        if not 0.0 < c.share <= 1.0:
            raise ValueError(f"crops[{c.name}].share must be in (0, 1], got {c.share!r}")
    total = math.fsum(c.share for c in crops)
    if crops and abs(total - 1.0) > 1e-9:
        raise ValueError(f"crops: shares must add up to 1, got {total:g}")


def territory_land_use_indicators(
    session: Session,
    territory_id: int,
    *,
    nontransport_dump_ids: Collection[int] = (),
    building_area: float | None = None,
    recreation_area: float | None = None,
    annual_output: float | None = None,
    annual_solid_waste: float | None = None,
    internal_dump_volume: float | None = None,
    waste_unit: Literal["t", "m3"] = "t",
    workers: float | None = None,
    residents: float | None = None,
    land_price: float | None = None,
    crops: Sequence[CropYield] = (),
) -> LandUseReport:
    r"""Compute the land-use indicators of 004 PR3 for a territory from its objects.

    Practical work 3 of [004] rates how a mine uses the land of its mining district and
    sanitary protection zone by 21 indicators, eqs. (3.1)-(3.21). Here the areas come from
    the registry -- the territory's ``area_ha`` (S_гпр) and ``sanitary_zone_area_ha``
    (S_сзз), and the objects of disturbance of the territory's sites -- and every
    indicator is computed by the PR3 chain,
    :func:`postmine.chains.land_use.land_use_indicators`, which
    ``postmine calc land-use-indicators`` calls with typed-in areas.

    Objects map to the areas of Table 3.2 by kind and state:

    ========================  ===================================================
    registry                  004 PR3
    ========================  ===================================================
    ``external-dump``         S_о, outer dumps in all
    ``internal-dump``         S_в, internal dumps in all; those listed in
                              ``nontransport_dump_ids`` are S_б instead
    ``pit``                   S_выр, worked-out space
    ``road``                  S_т, transport routes
    ``industrial-site``       S_жр, railway stations and other communications
    ``tailings-storage``      solid-waste storage, in ΣS_то of eq. (3.9) only
    ``collapse-crater``,      S_пл, areal disturbances (enter no indicator, as in
    ``topsoil-store``         the worked example)
    state ``reclaimed`` or    S_рз, reclaimed land; the reclaimed parts of S_о and
    ``accepted``              S_в are those of the dumps in these states
    reclaimed and direction   ΣS_а, reclaimed land used as farmland (eq. 3.13),
    ``agricultural``          split among ``crops`` by their shares
    ========================  ===================================================

    The registry does not hold the mine's output, waste, staff, settlement, land price,
    built-up and recreation areas, or crop yields and prices: they are arguments, and each
    indicator that needs one left out is listed in ``not_computed`` with what it needs.
    With none of them, ΣS_лф and П_плф (3.2), ΣS_то and П_кто (3.9), S_рз and П_вз (3.12),
    ΣS_а and П_а (3.13) are still computed.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Session on the registry.
    territory_id : int
        The territory (a mining district). [-]
    nontransport_dump_ids : collection of int
        Internal dumps of the territory built without transport (S_б), counted apart from
        S_в. [-]
    building_area : float, optional
        S_з, built-up area of the sanitary zone (eq. 3.1 as the worked example reads it);
        needs ``recreation_area`` too. [ha]
    recreation_area : float, optional
        S_р, recreation zone. [ha]
    annual_output : float, optional
        V_д, annual coal output (eq. 3.5). [t/year]
    annual_solid_waste : float, optional
        ΣV_то, annual solid waste (the overburden, V_вс, in the worked example), eqs.
        3.7-3.11. [t/year, or m³/year with ``waste_unit="m3"``]
    internal_dump_volume : float, optional
        V_вн, annual waste placed in internal dumps (eq. 3.8), in the unit of
        ``annual_solid_waste``. [t/year or m³/year]
    waste_unit : {"t", "m3"}
        Unit of the two waste amounts.
    workers : float, optional
        N_р, people employed by the mine (eq. 3.10). [persons]
    residents : float, optional
        N_ж, residents of the mining settlement (eq. 3.11). [persons]
    land_price : float, optional
        Ц_н, normative cadastral value of land (eq. 3.18). [rub/ha]
    crops : sequence of CropYield
        Crops on the reclaimed farmland, shares adding up to 1 (eqs. 3.14-3.17, 3.19).

    Returns
    -------
    LandUseReport
        Areas read from the registry [ha], the indicators in the units of 004
        (% for shares, ha/1000 t, t/ha, t/person/year, rub, rub/ha) and what was not
        computed.

    Raises
    ------
    NotFoundError
        If the territory does not exist.
    ValueError
        If an argument is out of range, an id of ``nontransport_dump_ids`` is not an
        internal dump of the territory, crop shares do not add up to 1, or a method
        refuses the areas (e.g. reclaimed, recreation and built-up land exceed the
        sanitary zone).

    Notes
    -----
    The indicators follow the chain (:mod:`postmine.chains.land_use`) and the worked
    example of [004]: S_тнз = S_сзз − (S_рз + S_р + S_з) (eq. 3.1 as the example computes it, see
    :func:`postmine.methods.land_use.disturbed_area_in_sanitary_zone`); ΣS_лф = S_выр +
    S_жр + S_т (3.2); S_г = S_тнз in (3.6); ΣS_то = S_о + S_в + S_б (+ tailings) in (3.9);
    the crop areas serve as S_схз_i in (3.15). Where the calculation takes ΣS_а as the sum
    of the typed-in crop areas, here it is the registry's reclaimed agricultural land; the
    reclaimed land S_рз is every object reclaimed or accepted, not only the dumps'. The
    indicators come in the order of the worked example (eqs. 3.1-3.21).

    References
    ----------
    [004] practical work 3, eqs. (3.1)-(3.21), Table 3.2 and its "Решение".
    """
    territory = records.get_territory(session, territory_id)
    crops = list(crops)
    _check_crops(crops)
    areas = _territory_areas(session, territory_id, nontransport_dump_ids)
    s_szz = territory.sanitary_zone_area_ha
    areas = {
        "district_area_ha": territory.area_ha,
        **({"sanitary_zone_area_ha": s_szz} if s_szz is not None else {}),
        **areas,
    }
    s_a = areas["agricultural_area_ha"]
    district = MiningDistrict(
        district_area=territory.area_ha,
        sanitary_zone_area=s_szz,
        outer_dump_area=areas["outer_dump_area_ha"],
        inner_dump_area=areas["inner_dump_area_ha"],
        nontransport_dump_area=areas["nontransport_dump_area_ha"],
        worked_out_area=areas["worked_out_area_ha"],
        infrastructure_area=areas["infrastructure_area_ha"],
        transport_area=areas["transport_area_ha"],
        outer_dump_reclaimed_area=areas["outer_dump_reclaimed_area_ha"],
        inner_dump_reclaimed_area=areas["inner_dump_reclaimed_area_ha"],
        reclaimed_area=areas["reclaimed_area_ha"],
        tailings_area=areas["tailings_area_ha"],
        agricultural_area=s_a,
        building_area=building_area,
        recreation_area=recreation_area,
        annual_output=annual_output,
        annual_solid_waste=annual_solid_waste,
        internal_dump_volume=internal_dump_volume,
        waste_unit=waste_unit,
        workers=workers,
        residents=residents,
        land_price=land_price,
        crops=tuple(
            Crop(c.name, c.share * s_a, c.yield_reclaimed, c.yield_farmland, c.price) for c in crops
        ),
    )
    result = land_use_indicators(district, wording=_REGISTRY_WORDING)
    return LandUseReport(
        territory_id=territory.id,
        territory_name=territory.name,
        areas_ha=areas,
        indicators=result.indicators,
        not_computed=result.not_computed,
    )
