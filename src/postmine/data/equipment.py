"""Equipment catalogue: front loaders, haul trucks and bulldozers with sourced figures.

The catalogue is the packaged file ``data/equipment.toml``: one table per machine, grouped
by kind, each with the ``source`` of its specification and ``field_sources`` for figures
taken from elsewhere. Methods never read it: calculations look a machine up by name and
pass its figures to :mod:`postmine.methods.haulage` and :mod:`postmine.methods.dozing`.

Examples
--------
>>> truck = get_equipment("BelAZ-75404", Truck)
>>> truck.payload_t, truck.body_volume_m3, truck.source
(30.0, 15.0, '003 Table 10')
>>> get_equipment("Т-170").name  # Cyrillic alias as printed in 003
'T-170'
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any, Literal, TypeVar, overload

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

__all__ = [
    "Bulldozer",
    "Equipment",
    "FrontLoader",
    "Truck",
    "get_equipment",
    "parse_equipment_catalogue",
    "read_equipment_catalogue",
]

FORMAT_VERSION = 1


class Equipment(BaseModel):
    """A catalogued machine: its name, other spellings and the source of its figures."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: str = Field(description="Kind of machine (front_loader, truck, bulldozer). [-]")
    name: str = Field(min_length=1, description="Catalogue name. [-]")
    aliases: tuple[str, ...] = Field(
        default=(), description="Other spellings of the name in the sources. [-]"
    )
    source: str = Field(min_length=1, description="Source of the specification. [-]")
    field_sources: dict[str, str] = Field(
        default_factory=dict, description="Source of each figure not taken from `source`. [-]"
    )
    notes: str = Field(default="", description="Remarks on the figures. [-]")

    @model_validator(mode="after")
    def _field_sources_name_fields(self) -> Equipment:
        unknown = sorted(set(self.field_sources) - set(type(self).model_fields))
        if unknown:
            raise ValueError(f"field_sources of {self.name} name unknown fields: {unknown}")
        return self

    def source_of(self, field: str) -> str:
        """Return the source of figure ``field`` (e.g. ``"003 Table 8"``).

        Raises
        ------
        ValueError
            If the machine has no such figure.
        """
        if field not in type(self).model_fields:
            raise ValueError(f"{self.name} has no figure {field!r}")
        return self.field_sources.get(field, self.source)


class FrontLoader(Equipment):
    """Wheeled front-end loader."""

    kind: Literal["front_loader"] = "front_loader"
    operating_mass_kg: float = Field(gt=0, description="Operating mass. [kg]")
    bucket_volume_m3: float = Field(gt=0, description="Vп, geometric bucket volume. [m³]")
    dump_height_bucket_mm: float = Field(gt=0, description="Dump height at the bucket. [mm]")
    dump_height_hinge_mm: float = Field(gt=0, description="Dump height at the hinge. [mm]")
    dimensions_mm: tuple[float, float, float] = Field(
        description="Overall length, width, height. [mm]"
    )
    turning_radius_wheels_mm: float = Field(gt=0, description="Turning radius at the wheels. [mm]")
    turning_radius_bucket_mm: float = Field(
        gt=0, description="Turning radius at the bucket edge. [mm]"
    )
    engine_power_kw: float = Field(gt=0, description="Rated engine power. [kW]")
    engine_power_hp: float = Field(gt=0, description="Rated engine power. [hp]")
    cycle_time_s: float = Field(gt=0, description="Tц, duration of one loading cycle. [s]")


class Truck(Equipment):
    """Rigid haul truck (dump truck)."""

    kind: Literal["truck"] = "truck"
    payload_t: float = Field(gt=0, description="qа, rated payload. [t]")
    body_volume_m3: float = Field(gt=0, description="Vа, geometric (struck) body volume. [m³]")
    heaped_load_factor: float = Field(
        gt=0, description="kш, body volume factor of a heaped load. [-]"
    )
    dimensions_mm: tuple[float, float, float] = Field(
        description="Overall length, width, height. [mm]"
    )
    turning_radius_m: float = Field(gt=0, description="Turning radius. [m]")
    max_speed_kmh: float = Field(gt=0, description="Maximum speed. [km/h]")
    engine_power_kw: float = Field(gt=0, description="Maximum engine power. [kW]")
    engine_power_hp: float = Field(gt=0, description="Maximum engine power. [hp]")
    tyre_size: str = Field(description="Tyre size designation. [-]")


class Bulldozer(Equipment):
    """Crawler bulldozer."""

    kind: Literal["bulldozer"] = "bulldozer"
    structural_mass_kg: float = Field(gt=0, description="Structural mass. [kg]")
    undercarriage: str = Field(description="Type of undercarriage. [-]")
    engine_power_kw: float = Field(gt=0, description="Engine power. [kW]")
    engine_power_hp: float = Field(gt=0, description="Engine power. [hp]")
    blade_type: str = Field(description="Type of blade. [-]")
    drag_prism_volume_m3: float = Field(
        gt=0, description="Drag prism volume given by the specification. [m³]"
    )
    blade_width_m: float = Field(gt=0, description="B, blade width (length of the blade). [m]")
    blade_height_m: float = Field(gt=0, description="H, blade height. [m]")
    loaded_speed_m_s: float = Field(gt=0, description="Vд.г, speed pushing a load. [m/s]")
    return_speed_m_s: float = Field(gt=0, description="Vд.п, speed of the return run. [m/s]")
    gear_shift_time_s: float = Field(
        ge=0, description="tв, auxiliary time per cycle (gear changes). [s]"
    )


_KINDS: dict[str, type[Equipment]] = {
    "front_loader": FrontLoader,
    "truck": Truck,
    "bulldozer": Bulldozer,
}

E = TypeVar("E", bound=Equipment)


def _key(name: str) -> str:
    return name.strip().casefold()


def _index(text: str) -> tuple[dict[str, Equipment], dict[str, str]]:
    try:
        raw: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"equipment catalogue is not valid TOML: {exc}") from None
    version = raw.pop("format_version", None)
    if version != FORMAT_VERSION:
        raise ValueError(
            f"equipment catalogue has format_version {version!r}; "
            f"this postmine reads {FORMAT_VERSION}"
        )
    machines: dict[str, Equipment] = {}
    lookup: dict[str, str] = {}
    for kind, entries in raw.items():
        if kind not in _KINDS:
            known = ", ".join(_KINDS)
            raise ValueError(f"equipment catalogue: kind must be one of {known}; got {kind!r}")
        for entry in entries:
            try:
                machine = _KINDS[kind].model_validate(entry)
            except ValidationError as exc:
                raise ValueError(f"equipment catalogue: bad [[{kind}]] entry: {exc}") from None
            for spelling in (machine.name, *machine.aliases):
                if _key(spelling) in lookup:
                    raise ValueError(f"equipment catalogue: name {spelling!r} is used twice")
                lookup[_key(spelling)] = machine.name
            machines[machine.name] = machine
    return machines, lookup


@cache
def _catalogue() -> tuple[dict[str, Equipment], dict[str, str]]:
    ref = resources.files("postmine.data").joinpath("equipment.toml")
    return _index(ref.read_text(encoding="utf-8"))


def parse_equipment_catalogue(text: str) -> dict[str, Equipment]:
    """Parse an equipment catalogue in the format of the packaged ``equipment.toml``.

    Parameters
    ----------
    text : str
        TOML text: ``format_version = 1`` and arrays of tables ``[[front_loader]]``,
        ``[[truck]]``, ``[[bulldozer]]`` whose keys are the fields of :class:`FrontLoader`,
        :class:`Truck` and :class:`Bulldozer`.

    Returns
    -------
    dict
        Catalogue name -> machine.

    Raises
    ------
    ValueError
        If the text is not TOML, has another format version, an unknown kind, an entry
        with a missing, unknown or out-of-range field, or a name or alias used twice
        (names compare case-insensitively).
    """
    return _index(text)[0]


def read_equipment_catalogue() -> dict[str, Equipment]:
    """Return the packaged equipment catalogue as catalogue name -> machine.

    Returns
    -------
    dict
        :class:`FrontLoader`, :class:`Truck` and :class:`Bulldozer` entries (frozen
        pydantic models) keyed by their catalogue name.

    Raises
    ------
    ValueError
        If the packaged file is invalid (see :func:`parse_equipment_catalogue`).
    """
    return dict(_catalogue()[0])


@overload
def get_equipment(name: str) -> Equipment: ...
@overload
def get_equipment(name: str, kind: type[E]) -> E: ...


def get_equipment(name: str, kind: type[Equipment] = Equipment) -> Equipment:
    """Return the machine called ``name`` (its catalogue name or an alias, any case).

    Parameters
    ----------
    name : str
        Catalogue name (``"BelAZ-75404"``) or an alias as printed in a source
        (``"БелАЗ-75404"``).
    kind : type, optional
        :class:`FrontLoader`, :class:`Truck` or :class:`Bulldozer` to require that kind of
        machine; by default any machine.

    Returns
    -------
    Equipment
        The machine, typed as ``kind``.

    Raises
    ------
    ValueError
        If no machine has that name (the message lists the known names) or the machine is
        not of the kind asked for.
    """
    machines, lookup = _catalogue()
    if _key(name) not in lookup:
        known = ", ".join(m.name for m in machines.values() if isinstance(m, kind))
        raise ValueError(f"equipment must be one of: {known}; got {name!r}")
    machine = machines[lookup[_key(name)]]
    if not isinstance(machine, kind):
        known = ", ".join(m.name for m in machines.values() if isinstance(m, kind))
        raise ValueError(
            f"{machine.name} is a {machine.kind}, not a {kind.__name__}; "
            f"known {kind.__name__} models: {known}"
        )
    return machine
