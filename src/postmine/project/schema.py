"""The project file: one TOML file describing a reclamation site, validated field by field.

A project file has ``format_version = 1`` and the sections below; every number carries its
unit in its key (``annual_mass_t``, ``haul_distance_km``) and every cost figure its source.
:func:`read_project` reads and validates one; errors name each bad field.

Sections
--------
``[project]``            name, site, operator, region, price base year, currency
``[rules]``              the legal rule set (``ru-800-2018``, ``ru-781-2025``, or a file)
``[schedule]``           start year of the works
``[work_regime]``        working days, shifts, shift duration
``[void]``               a void backfilled by tiers (003): capacity, tiers, slope angles
``[[waste_streams]]``    waste placed each year: mass, density, loosening/compaction, hazard
``[dump]``               an external dump built from a pit (004 PR1) -- alternative to ``[void]``
``[haulage]``            haul distances and truck cycle times
``[equipment]``          loader, trucks, bulldozer from the catalogue, with their factors
``[planning]``           finishing planning of the surface
``[reclamation_layer]``  layer of potentially fertile rock or topsoil
``[costs]``              hourly rates, materials, mobilisation, indirect %, escalation, discount
``[[uncertainty]]``      ranges of uncertain inputs for the Monte Carlo
``[[milestones]]``       release of the financial assurance in stages, with evidence
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from postmine.data.equipment import (
    Bulldozer,
    FrontLoader,
    Truck,
    get_equipment,
    read_equipment_catalogue,
)
from postmine.project.assurance_schema import Assurance, Milestone
from postmine.project.void_geometry import check_capacity_curve, check_tier_geometry

__all__ = [
    "FORMAT_VERSION",
    "ProjectFile",
    "ProjectFileError",
    "parse_project",
    "read_project",
]

FORMAT_VERSION = 1


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ProjectInfo(_Section):
    """``[project]``: who and where."""

    name: str = Field(min_length=1, description="Name of the project. [-]")
    site: str = Field(min_length=1, description="Site (object of reclamation). [-]")
    operator: str = Field(min_length=1, description="Operator responsible for the works. [-]")
    region: str = Field("", description="Region, for registry statistics. [-]")
    source: str = Field("", description="Document the project reproduces, if any. [-]")
    currency: Literal["rub"] = Field("rub", description="Currency of every amount. [-]")
    price_base_year: int = Field(
        ge=1990, le=2100, description="Year whose prices the unit costs are in. [year]"
    )


class RulesRef(_Section):
    """``[rules]``: the rule set that applies, by id or from a file, with overrides."""

    set: str = Field(
        "ru-781-2025",
        min_length=1,
        description="Rule set id (ru-800-2018, ru-781-2025) or path to a rule-set TOML. [-]",
    )
    max_technical_years: int | None = Field(
        None, ge=1, le=100, description="Override of the limit on technical reclamation. [year]"
    )


class Schedule(_Section):
    """``[schedule]``: when the works start."""

    start_year: int = Field(ge=1990, le=2100, description="First year of the works. [year]")


class WorkRegime(_Section):
    """``[work_regime]``: the working time of the equipment (003 sec. 3.1)."""

    working_days_per_year: int = Field(
        gt=0, le=366, description="N, working days of the enterprise per year. [day/year]"
    )
    loader_working_days_per_year: int | None = Field(
        None, gt=0, le=366, description="Working days of the loader if different. [day/year]"
    )
    shifts_per_day: int = Field(gt=0, le=4, description="n, shifts per day. [shift/day]")
    shift_duration_h: float = Field(gt=0, le=24, description="T_см, shift duration. [h]")


class Tier(_Section):
    """One tier of a void, bottom-up; the highest tier may leave its capacity open."""

    elevation_m: float = Field(
        allow_inf_nan=False,
        description="Unloading level of the tier; in (bottom_elevation_m, top_elevation_m]. [m]",
    )
    capacity_m3: float | None = Field(
        None,
        gt=0,
        description="Capacity of the tier (the void between the tier below, or the bottom, and "
        "this level) as volume in the dump; none = the rest. [m³]",
    )


class CapacityPoint(_Section):
    """A point of the elevation–capacity curve of a void (``postmine terrain capacity``)."""

    elevation_m: float = Field(allow_inf_nan=False, description="Level. [m]")
    volume_m3: float = Field(ge=0, description="Void volume below the level (cumulative). [m³]")


class Void(_Section):
    """``[void]``: a pit or collapse crater backfilled by tiers (003 sec. 3.1).

    ``bottom_elevation_m`` and ``top_elevation_m`` (the crest: the highest level the backfill
    reaches) are optional so that older files stay valid; when given, every tier elevation must
    lie in (bottom, crest], and the spacing from the bottom to the first tier and between
    consecutive tiers must not exceed ``max_tier_height_m``
    (:func:`postmine.project.void_geometry.check_tier_geometry`). The highest tier takes the
    rest: it spans up to the crest, whose levels are not yet designed (003 lists only +650 and
    +680 of 8 tiers), so its spacing to the crest is not checked. An optional
    ``capacity_curve`` checks the tier capacities and ``remaining_capacity_m3``
    (:func:`postmine.project.void_geometry.check_capacity_curve`).
    """

    kind: Literal["collapse-crater", "pit", "other"] = Field("pit", description="Kind of void. [-]")
    remaining_capacity_m3: float = Field(
        gt=0, description="V_ост, capacity still to fill, as volume in the dump. [m³]"
    )
    bottom_elevation_m: float | None = Field(
        None,
        allow_inf_nan=False,
        description="Bottom of the backfill: the lower bound of the first tier. [m]",
    )
    top_elevation_m: float | None = Field(
        None,
        allow_inf_nan=False,
        description="Crest: the highest level the backfill reaches; > bottom_elevation_m. [m]",
    )
    tiers: list[Tier] = Field(min_length=1, description="Tiers bottom-up. [-]")
    repose_angle_deg: float = Field(
        gt=0, lt=90, description="α, angle of repose of settled waste. [°]"
    )
    stability_angle_deg: float = Field(
        gt=0, lt=90, description="β, angle of temporary stability of the slope. [°]"
    )
    max_tier_height_m: float = Field(
        gt=0,
        description="H, maximum height of a tier: the largest spacing from the bottom to the "
        "first tier and between tiers. [m]",
    )
    capacity_curve: list[CapacityPoint] = Field(
        default_factory=list,
        description="Elevation–capacity curve, rising (postmine terrain capacity "
        "--project-tiers); needs bottom and top; none = not checked. [-]",
    )
    capacity_curve_rel_tol: float = Field(
        0.02,
        gt=0,
        lt=1,
        description="Relative tolerance of tier capacities against the capacity curve. [-]",
    )

    @model_validator(mode="after")
    def _tiers_add_up(self) -> Void:
        caps = [t.capacity_m3 for t in self.tiers]
        if any(c is None for c in caps[:-1]):
            raise ValueError("tiers: every tier but the highest must give capacity_m3")
        given = sum(c for c in caps if c is not None)
        if caps[-1] is None and given >= self.remaining_capacity_m3:
            raise ValueError(
                f"tiers: the lower tiers hold {given:.0f} m³, which leaves nothing of "
                f"remaining_capacity_m3 = {self.remaining_capacity_m3:.0f} m³ for the highest tier"
            )
        if caps[-1] is not None and abs(given - self.remaining_capacity_m3) > 1e-6 * given:
            raise ValueError(
                f"tiers: tier capacities add up to {given:.0f} m³ but "
                f"remaining_capacity_m3 = {self.remaining_capacity_m3:.0f} m³"
            )
        if self.stability_angle_deg < self.repose_angle_deg:
            raise ValueError(
                "void.stability_angle_deg must be >= void.repose_angle_deg, got "
                f"{self.stability_angle_deg} < {self.repose_angle_deg}"
            )
        return self

    @model_validator(mode="after")
    def _geometry(self) -> Void:
        check_tier_geometry(self, self.max_tier_height_m)
        check_capacity_curve(self)
        return self


class WasteStream(_Section):
    """``[[waste_streams]]``: one kind of waste placed every year (003 sec. 2, Table 4)."""

    name: str = Field(min_length=1, description="Name of the waste. [-]")
    annual_mass_t: float = Field(gt=0, description="M, mass placed per year. [t/year]")
    bulk_density_t_m3: float = Field(gt=0, le=25, description="γ, bulk density. [t/m³]")
    factor: float = Field(ge=1, le=3, description="k_ор or k_у, loosening or compaction. [-]")
    factor_kind: Literal["loosening", "compaction"] = Field(
        description="Whether the dump volume is volume x factor or volume / factor. [-]"
    )
    hazard_class: int = Field(ge=1, le=5, description="Hazard class I-V of the waste. [-]")
    composition: dict[str, float] = Field(
        default_factory=dict, description="Main components, mass fraction. [-]"
    )
    by_project_fleet: bool = Field(
        True, description="Loaded, hauled and dozed by the project's own fleet. [-]"
    )
    fleet_exclusion_reason: str = Field(
        "", description="Why the stream is not handled by the fleet (003 sec. 3.1). [-]"
    )
    loading_bulk_density_t_m3: float | None = Field(
        None, gt=0, le=25, description="γ used by the loader if it differs (003 Table 8). [t/m³]"
    )
    bucket_fill_factor: float = Field(1.0, gt=0, le=1.5, description="k_н, bucket fill. [-]")
    excavation_loosening_factor: float = Field(
        1.0, ge=1, le=3, description="k_р, loosening on excavation (1 if already loose). [-]"
    )

    @model_validator(mode="after")
    def _composition(self) -> WasteStream:
        total = sum(self.composition.values())
        if any(v < 0 for v in self.composition.values()) or total > 1 + 1e-9:
            raise ValueError(
                f"waste stream {self.name!r}: composition fractions must be >= 0 and sum "
                f"to at most 1, got sum {total:g}"
            )
        if not self.by_project_fleet and not self.fleet_exclusion_reason:
            raise ValueError(
                f"waste stream {self.name!r}: by_project_fleet = false needs a "
                "fleet_exclusion_reason"
            )
        return self


class Dump(_Section):
    """``[dump]``: an open pit whose overburden builds an external dump (004 PR1).

    The pit and dump figures are a row of 004 Table 1.2; the constants of the PR1 text are
    defaults. The reclamation works of the dump (topsoil stripping and spreading, slope
    flattening, planning of the top) are sized with the 003 methods and the machines of
    ``[equipment]`` by :mod:`postmine.project.dump_design`.
    """

    pit_bottom_length_m: float = Field(gt=0, description="L, pit bottom length. [m]")
    pit_bottom_width_m: float = Field(gt=0, description="B, pit bottom width. [m]")
    pit_depth_m: float = Field(gt=0, description="H_к, pit depth. [m]")
    pit_slope_angle_deg: float = Field(gt=0, lt=90, description="φ_ср, pit walls. [°]")
    coal_bearing_ratio: float = Field(ge=0, lt=1, description="K_у, coal share of pit. [-]")
    overburden_loosening_factor: float = Field(ge=1, le=2, description="K_разр. [-]")
    dump_height_m: float = Field(
        gt=0, lt=750, description="h_о, dump height; Eq. 1.12 has its pole at 750 m. [m]"
    )
    dump_slope_angle_deg: float = Field(38.0, gt=0, lt=90, description="α, dump slope. [°]")
    flattened_slope_angle_deg: float = Field(
        18.0, gt=0, lt=90, description="β, slope after flattening. [°]"
    )
    flattening_scheme: Literal["bottom-up", "top-down", "cheapest"] = Field(
        "cheapest",
        description="Slope flattening scheme; cheapest = the smaller total land allotment "
        "S_зо (004 Table 1.1). [-]",
    )
    base_shape: Literal["smallest", "circle", "square", "rectangle"] = Field(
        "smallest",
        description="Base of the dump: the smallest of circle, square and rectangle (004, "
        "after Eq. 1.6) or the shape the site requires. [-]",
    )
    rectangle_aspect_ratio: float = Field(
        1.5,
        ge=1.5,
        le=5,
        description="n = L/B of a rectangular base, 1.5-5 (legend of Eqs. 1.4-1.6). [-]",
    )
    topsoil_thickness_m: float = Field(ge=0, le=3, description="m_п, fertile layer. [m]")
    topsoil_stack_height_m: float = Field(gt=0, le=20, description="h_п, topsoil stack. [m]")
    topsoil_loosening_factor: float = Field(
        1.1, ge=1, le=2, description="K_р of the topsoil, 1.1 (legend of Eq. 1.19). [-]"
    )
    topsoil_slope_factor: float = Field(
        0.75, gt=0, le=1, description="K_отк of the topsoil stack, 0.75 (Eq. 1.19). [-]"
    )
    sanitary_zone_width_m: float = Field(ge=0, description="l, sanitary zone width. [m]")
    development_factor: float = Field(
        1.15,
        ge=1,
        le=2,
        description="K_р of the allotment territory, 1.15-1.2 (legend of Eq. 1.1). [-]",
    )
    count_polluted_area: bool = Field(
        True,
        description="Count the dust-polluted land S_з in the total allotment S_зо (004 "
        "Table 1.1); false gives Eq. 1.1 as printed. [-]",
    )
    rock_cohesion_kpa: float | None = Field(
        None,
        ge=0,
        le=10_000,
        description="c', effective cohesion of the dump rock for the slope stability check; "
        "with the friction angle and unit weight, or none of the three (then c' = 15 kPa, "
        "φ' = 32°, γ = 19 kN/m³ are assumed and the findings say so). [kPa]",
    )
    rock_friction_angle_deg: float | None = Field(
        None, ge=0, lt=90, description="φ', effective friction angle of the dump rock. [°]"
    )
    rock_unit_weight_kn_m3: float | None = Field(
        None, gt=0, le=40, description="γ, unit weight of the dump rock. [kN/m³]"
    )
    permissible_dust_concentration_mg_m3: float = Field(
        2.0, gt=0, le=100, description="C, permissible dust concentration (Eq. 1.12). [mg/m³]"
    )
    wind_speed_m_s: float = Field(
        5.0, gt=0, le=60, description="v, wind speed, 5 m/s (legend of Eq. 1.15). [m/s]"
    )
    dust_blow_off_coefficient: float = Field(
        0.0097,
        gt=0,
        le=10,
        description="a of Eq. 1.15, 0.0097 for rocky mixed rocks. [mg/(m²·s)]",
    )
    dust_blow_off_exponent: float = Field(
        2.887, gt=0, le=10, description="b of Eq. 1.15, 2.887 for rocky mixed rocks. [-]"
    )
    mining_years: int = Field(gt=0, le=100, description="Years of mining building the dump. [year]")
    topsoil_haul_distance_km: float | None = Field(
        None,
        gt=0,
        le=50,
        description="l, one-way haul between the stripped land or the dump and the topsoil "
        "store; none = [haulage] haul_distance_km. [km]",
    )
    topsoil_bulk_density_t_m3: float = Field(
        1.5,
        gt=0,
        le=3,
        description="γ, bulk density of the topsoil in place, moist; the default is an "
        "assumption (humus horizons 1.0-1.2 t/m³ dry, plus water). [t/m³]",
    )
    topsoil_bucket_fill_factor: float = Field(
        1.0, gt=0, le=1.5, description="k_н, bucket fill factor of the loader in topsoil. [-]"
    )
    topsoil_spread_thickness_m: float | None = Field(
        None,
        gt=0,
        le=3,
        description="Thickness of topsoil spread on the dump top and slopes; none = the "
        "whole store spread evenly. [m]",
    )
    machines_after_mining: dict[str, int] = Field(
        default_factory=dict,
        description="Machines of each model working the flattening, planning and spreading "
        "after mining (model -> count); unnamed: 1 loader, 1 bulldozer and the trucks that "
        "keep the loader busy. [-]",
    )

    @model_validator(mode="after")
    def _consistent(self) -> Dump:
        if self.flattened_slope_angle_deg >= self.dump_slope_angle_deg:
            raise ValueError(
                "dump.flattened_slope_angle_deg must be < dump.dump_slope_angle_deg, got "
                f"{self.flattened_slope_angle_deg} >= {self.dump_slope_angle_deg}"
            )
        bad = {k: v for k, v in self.machines_after_mining.items() if v < 1}
        if bad:
            raise ValueError(f"dump.machines_after_mining: every count must be >= 1, got {bad}")
        rock = {
            "rock_cohesion_kpa": self.rock_cohesion_kpa,
            "rock_friction_angle_deg": self.rock_friction_angle_deg,
            "rock_unit_weight_kn_m3": self.rock_unit_weight_kn_m3,
        }
        given = [k for k, v in rock.items() if v is not None]
        if given and len(given) < len(rock):
            missing = ", ".join(f"dump.{k}" for k, v in rock.items() if v is None)
            raise ValueError(
                f"dump rock strength: give all of dump.rock_cohesion_kpa, "
                f"dump.rock_friction_angle_deg and dump.rock_unit_weight_kn_m3 or none; "
                f"missing {missing}"
            )
        return self


class Haulage(_Section):
    """``[haulage]``: haul distances and the truck cycle of 003 Table 11."""

    haul_distance_km: float = Field(gt=0, le=200, description="l, one-way haul. [km]")
    average_speed_km_h: float = Field(gt=0, le=120, description="V_с, trip speed. [km/h]")
    load_spotting_time_min: float = Field(ge=0, le=30, description="t_уп. [min]")
    unload_spotting_time_min: float = Field(ge=0, le=30, description="t_ур. [min]")
    unloading_time_min: float = Field(ge=0, le=30, description="t_р. [min]")
    loader_wait_time_min: float = Field(ge=0, le=60, description="t_ожп. [min]")
    preparation_time_min: float = Field(ge=0, le=240, description="T_пз + T_об. [min]")
    break_time_min: float = Field(ge=0, le=240, description="T_пт. [min]")
    personal_time_min: float = Field(ge=0, le=120, description="T_лн. [min]")


class LoaderChoice(_Section):
    """``[equipment.loader]``."""

    model: str = Field(description="Front loader from the catalogue. [-]")
    utilisation: float = Field(gt=0, le=1, description="k_и, use of shift time. [-]")
    truck_spotting_time_s: float = Field(ge=0, le=600, description="t_м. [s]")
    truck_shares: dict[str, float] = Field(
        description="Share of the loaded volume by truck model (003 Table 8). [-]"
    )


class TruckChoice(_Section):
    """``[equipment.trucks]``."""

    models: list[str] = Field(min_length=1, description="Truck models from the catalogue. [-]")
    technical_availability: float = Field(gt=0, le=1, description="k_тг. [-]")


class DozerChoice(_Section):
    """``[equipment.bulldozer]``: dozing on the dump (003 Tables 13-15)."""

    model: str = Field(description="Bulldozer from the catalogue. [-]")
    push_distance_m: float = Field(gt=0, le=300, description="L, push distance. [m]")
    material_repose_angle_deg: float = Field(gt=0, lt=90, description="φ. [°]")
    loosening_factor: float = Field(ge=1, le=2, description="k_р of dozed rock. [-]")
    terrain_factor: float = Field(gt=0, le=1.5, description="K_д. [-]")
    utilisation: float = Field(gt=0, le=1, description="k_и. [-]")
    dozed_fraction: float = Field(gt=0, le=1, description="K_з, share pushed. [-]")
    reserve_factor: float = Field(ge=1, le=3, description="K_р, fleet reserve. [-]")


class Equipment(_Section):
    """``[equipment]``: the machines, chosen from the catalogue."""

    loader: LoaderChoice
    trucks: TruckChoice
    bulldozer: DozerChoice
    fleet_rel_tol: float = Field(
        0.005, ge=0, lt=0.5, description="Excess over a whole machine not rounded up. [-]"
    )
    min_utilisation: float = Field(
        0.5, ge=0, le=1, description="A fleet used less than this is reported. [-]"
    )

    @model_validator(mode="after")
    def _known_models(self) -> Equipment:
        machines: list[tuple[str, str, _Kind]] = [
            ("equipment.loader.model", self.loader.model, FrontLoader),
            *(
                (f"equipment.trucks.models[{i}]", m, Truck)
                for i, m in enumerate(self.trucks.models)
            ),
            ("equipment.bulldozer.model", self.bulldozer.model, Bulldozer),
        ]
        found = [p for p in (_unknown_model(*m) for m in machines) if p]
        if found:
            raise ValueError("; ".join(found))
        return self


_Kind = type[FrontLoader] | type[Truck] | type[Bulldozer]
_KIND_NAMES: dict[_Kind, str] = {
    FrontLoader: "front loader",
    Truck: "truck",
    Bulldozer: "bulldozer",
}


def _unknown_model(path: str, model: str, kind: _Kind) -> str:
    """Return why ``model`` is not a ``kind`` of the equipment catalogue, or "" if it is."""
    try:
        get_equipment(model, kind)
    except ValueError:
        known = ", ".join(
            m.name for m in read_equipment_catalogue().values() if isinstance(m, kind)
        )
        return (
            f"{path} must be a {_KIND_NAMES[kind]} of the equipment catalogue ({known}), "
            f"got {model!r}"
        )
    return ""


class Planning(_Section):
    """``[planning]``: finishing planning of the surface (003 sec. 3.2)."""

    area_m2: float = Field(gt=0, description="S_пл, area planned. [m²]")
    specific_volume_m3_m2: float = Field(0.1, gt=0, le=2, description="q. [m³/m²]")


class ReclamationLayer(_Section):
    """``[reclamation_layer]``: potentially fertile rock brought in (003 sec. 3.3)."""

    area_m2: float = Field(gt=0, description="S_рс, area covered. [m²]")
    thickness_m: float = Field(ge=0.3, le=3, description="h_рс, at least 0.3 m. [m]")
    imported_volume_m3: float | None = Field(
        None, gt=0, description="V_ППП, volume brought in; none = area x thickness. [m³]"
    )
    haul_distance_km: float = Field(gt=0, le=500, description="Haul from the borrow. [km]")


class Sourced(_Section):
    """A number with the source it comes from (a document, or 'assumption: why')."""

    value: float = Field(ge=0, description="The value. [unit of the key]")
    source: str = Field(min_length=1, description="Where the value comes from. [-]")


class EquipmentRate(_Section):
    """Hourly owning+operating and operator rates of one machine model."""

    owning_operating_rub_h: float = Field(ge=0, description="Owning + operating. [rub/h]")
    operator_rub_h: float = Field(ge=0, description="Operator wage with charges. [rub/h]")
    source: str = Field(min_length=1, description="Where the rates come from. [-]")


class IndirectCost(_Section):
    """One indirect cost as a percentage of the direct cost."""

    name: str = Field(min_length=1, description="Name (engineering, contingency, ...). [-]")
    percent: float = Field(ge=0, le=100, description="Percentage of direct cost. [%]")
    source: str = Field(min_length=1, description="Where the percentage comes from. [-]")


class Costs(_Section):
    """``[costs]``: unit costs, indirect percentages, escalation and discounting."""

    equipment: dict[str, EquipmentRate] = Field(description="Rates by machine model. [-]")
    layer_material_rub_m3: Sourced = Field(description="Fertile rock at the borrow. [rub/m³]")
    mobilisation_rub: Sourced = Field(description="Mobilisation and demobilisation. [rub]")
    indirect: list[IndirectCost] = Field(
        default_factory=list,
        description="Indirect costs added to the rule set's (a line of the same name replaces "
        "it). [-]",
    )
    escalation_percent_per_year: Sourced = Field(description="Cost escalation index. [%/year]")
    discount_rate_percent: Sourced = Field(description="Discount rate of the provision. [%]")
    usd_rate_rub: Sourced | None = Field(
        None, description="Exchange rate for thresholds stated in US dollars. [rub/USD]"
    )


class UncertainInput(_Section):
    """``[[uncertainty]]``: a range around the project's value of one input, for the Monte Carlo.

    The range must contain the value the project gives at ``input`` (its base case), and the
    mode of a triangular or PERT range is that value: ``mode`` may be left out, and if given
    must equal it. A uniform range takes no mode. The checks against the project's value are
    made by :func:`postmine.project.uncertainty.check_uncertain_inputs`, which sees the whole
    project; this class checks the range on its own.
    """

    input: str = Field(
        min_length=1,
        description="Dotted path of the input, e.g. haulage.haul_distance_km. [-]",
    )
    distribution: Literal["triangular", "uniform", "pert"] = Field(
        "triangular", description="Distribution of the input. [-]"
    )
    low: float = Field(
        allow_inf_nan=False,
        description="Lowest value; <= the project's value at input. [unit of the input]",
    )
    mode: float | None = Field(
        None,
        allow_inf_nan=False,
        description="Most likely value: the project's value at input, which it must equal if "
        "given; none for uniform. [unit of the input]",
    )
    high: float = Field(
        allow_inf_nan=False,
        description="Highest value; >= the project's value at input. [unit of the input]",
    )
    source: str = Field(min_length=1, description="Why this range. [-]")

    @model_validator(mode="after")
    def _ordered(self) -> UncertainInput:
        mode = self.low if self.mode is None else self.mode
        if not self.low <= mode <= self.high:
            raise ValueError(
                f"uncertainty {self.input!r}: need low <= mode <= high, got "
                f"low={self.low}, mode={self.mode}, high={self.high}"
            )
        if self.distribution == "uniform" and self.mode is not None:
            raise ValueError(
                f"uncertainty {self.input!r}: a uniform range takes no mode, got "
                f"mode={self.mode}; leave it out"
            )
        return self


class Simulation(_Section):
    """``[simulation]``: Monte Carlo settings."""

    samples: int = Field(500, ge=10, le=100_000, description="Number of samples. [-]")
    seed: int = Field(20221, description="Random seed, for reproducible results. [-]")


class ProjectFile(_Section):
    """A complete project file (``format_version = 1``)."""

    format_version: Literal[1] = Field(description="Version of the project-file format. [-]")
    project: ProjectInfo
    rules: RulesRef = Field(default_factory=RulesRef)
    schedule: Schedule
    work_regime: WorkRegime
    void: Void | None = None
    waste_streams: list[WasteStream] = Field(default_factory=list)
    dump: Dump | None = None
    haulage: Haulage
    equipment: Equipment
    planning: Planning | None = None
    reclamation_layer: ReclamationLayer | None = None
    costs: Costs
    uncertainty: list[UncertainInput] = Field(default_factory=list)
    assurance: Assurance = Field(default_factory=Assurance)
    milestones: list[Milestone] = Field(default_factory=list)
    simulation: Simulation = Field(default_factory=Simulation)

    @model_validator(mode="after")
    def _consistent(self) -> ProjectFile:
        if (self.void is None) == (self.dump is None):
            raise ValueError("give exactly one of [void] (backfill) or [dump] (external dump)")
        if self.void is not None and not self.waste_streams:
            raise ValueError("[void] needs at least one [[waste_streams]] to fill it")
        names = [s.name for s in self.waste_streams]
        if len(set(names)) != len(names):
            raise ValueError(f"waste_streams: names must be unique, got {names}")
        total = sum(m.release_percent for m in self.milestones)
        if total > 100 + 1e-9:
            raise ValueError(f"milestones: release_percent adds up to {total:g} %, above 100 %")
        shares = self.equipment.loader.truck_shares
        if abs(sum(shares.values()) - 1) > 1e-6:
            raise ValueError(
                f"equipment.loader.truck_shares must add up to 1, got {sum(shares.values()):g}"
            )
        if set(shares) != set(self.equipment.trucks.models):
            raise ValueError(
                "equipment.loader.truck_shares must name exactly equipment.trucks.models: "
                f"{sorted(shares)} vs {sorted(self.equipment.trucks.models)}"
            )
        return self


class ProjectFileError(ValueError):
    """A project file that cannot be read or validated; ``errors`` lists each bad field."""

    def __init__(self, path: str, errors: list[str]) -> None:
        self.path = path
        self.errors = errors
        super().__init__(f"{path}: " + "; ".join(errors))


def _error_lines(err: ValidationError) -> list[str]:
    lines = []
    for e in err.errors():
        loc = ".".join(str(p) for p in e["loc"])
        msg = str(e["msg"]).removeprefix("Value error, ")
        if e["type"] == "missing":
            lines.append(f"{loc}: missing required field")
        elif e["type"] == "extra_forbidden":
            lines.append(f"{loc}: unknown field")
        elif "got" in msg or isinstance(e.get("input"), dict | list):
            lines.append(f"{loc}: {msg}" if loc else msg)
        else:
            shown = repr(e.get("input"))
            shown = shown if len(shown) <= 60 else shown[:57] + "..."
            lines.append(f"{loc}: {msg}, got {shown}" if loc else f"{msg}, got {shown}")
    return lines


def parse_project(data: dict[str, Any], where: str = "project file") -> ProjectFile:
    """Validate a parsed project file.

    Raises
    ------
    ProjectFileError
        Listing every bad field as ``section.field: what is wrong, got value``.
    """
    version = data.get("format_version")
    if version is not None and version != FORMAT_VERSION:
        raise ProjectFileError(
            where, [f"format_version: this postmine reads {FORMAT_VERSION}, got {version!r}"]
        )
    try:
        return ProjectFile.model_validate(data)
    except ValidationError as err:
        raise ProjectFileError(where, _error_lines(err)) from None


def read_project(path: str | Path) -> ProjectFile:
    """Read and validate a TOML project file.

    Raises
    ------
    ProjectFileError
        If the file cannot be read, is not TOML, or any field is invalid.
    """
    p = Path(path)
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ProjectFileError(str(p), [f"cannot be read: {exc.strerror}"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise ProjectFileError(str(p), [f"not valid TOML: {exc}"]) from None
    return parse_project(data, str(p))
