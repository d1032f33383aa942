"""The ``[assurance]`` section and the ``[[milestones]]`` of a project file.

What a third party does with the site as it stands if the operator defaults -- the scope the
financial assurance (bond) prices -- and the physical milestones that release it:

* ``[assurance] void_treatment``: a void still open is filled with borrow material
  (``"fill"``, ``[assurance.borrow]``: the source, haul distance and the material's price)
  or made safe (``"make-safe"``, ``[[assurance.make_safe]]``: fencing, crest flattening,
  controlled flooding, ... each a quantity at a unit rate);
* ``[[assurance.structures]]``: infrastructure a third party would have to remove, from
  the year it stands until the year the plan removes it;
* ``[assurance.revegetation]``: the seasons after the layer before the vegetation
  criteria can be met, and (optionally) the cost of re-establishing it;
* ``[[milestones]]``: each names the physical state it needs (``requires``: tasks done,
  ``void_level_m``: the void filled up to a level) and the years or seasons after it.

The bond itself is computed in :mod:`postmine.project.liability`; this module only states
and validates the inputs. The section lives in its own module so that the schema of the
design (:mod:`postmine.project.schema`) stays one module per topic.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = [
    "STATES",
    "Assurance",
    "Borrow",
    "LumpLine",
    "Milestone",
    "Revegetation",
    "SourcedValue",
    "Structure",
]

STATES: dict[str, str] = {
    "void-fill": "the void is filled up to its crest (no open volume left)",
    "surface-planning": "the surface is planned (final grading)",
    "reclamation-layer": "the reclamation layer is placed",
    "slope-flattening": "the dump slopes are flattened",
    "topsoil-spreading": "the topsoil is spread on the dump",
    "structures-removed": "every structure of [[assurance.structures]] is removed",
    "revegetation": "the vegetation criteria are met ([assurance.revegetation] seasons after "
    "the layer or the topsoil)",
}
"""Physical states a milestone may require, by name, with what each means."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SourcedValue(_Section):
    """A number with the source it comes from."""

    value: float = Field(ge=0, description="The value. [unit of the key]")
    source: str = Field(min_length=1, description="Where the value comes from. [-]")


class Borrow(_Section):
    """``[assurance.borrow]``: where a third party takes the material to fill a void."""

    source_name: str = Field(min_length=1, description="Named borrow source. [-]")
    haul_distance_km: float = Field(gt=0, le=200, description="One-way haul. [km]")
    bulk_density_t_m3: float = Field(gt=0, le=5, description="γ, in-situ density. [t/m³]")
    bucket_fill_factor: float = Field(1.0, gt=0, le=1.5, description="k_н. [-]")
    excavation_loosening_factor: float = Field(
        1.3, ge=1, le=2, description="k_р of the borrow material in the bucket. [-]"
    )
    residual_loosening_factor: float = Field(
        1.08, ge=1, le=2, description="k_ор: m³ in the void per m³ at the borrow. [-]"
    )
    material_rub_m3: SourcedValue = Field(
        description="Price of the material at the borrow, per m³ in situ. [rub/m³]"
    )


class LumpLine(_Section):
    """One priced line: a quantity at a unit rate (fencing in m, flooding as a lump, ...)."""

    name: str = Field(min_length=1, description="What is done. [-]")
    quantity: float = Field(gt=0, description="Quantity. [unit]")
    unit: str = Field(min_length=1, description="Unit of the quantity (m, m², m³, lump). [-]")
    rate_rub: float = Field(ge=0, description="Price per unit. [rub/unit]")
    source: str = Field(min_length=1, description="Where the quantity and rate come from. [-]")


class Structure(LumpLine):
    """``[[assurance.structures]]``: infrastructure to remove, and when it stands."""

    from_year: int | None = Field(
        None, ge=1990, le=2200, description="First year it stands; none = from the start. [year]"
    )
    removed_year: int | None = Field(
        None,
        ge=1990,
        le=2200,
        description="Year the plan removes it (done by its end); none = not in the plan. [year]",
    )

    @model_validator(mode="after")
    def _years(self) -> Structure:
        if (
            self.from_year is not None
            and self.removed_year is not None
            and self.removed_year < self.from_year
        ):
            raise ValueError(
                f"structure {self.name!r}: removed_year {self.removed_year} is before "
                f"from_year {self.from_year}"
            )
        return self


class Revegetation(_Section):
    """``[assurance.revegetation]``: seasons to the vegetation criteria and re-establishment."""

    seasons: int = Field(
        2, ge=0, le=20, description="Growing seasons after the layer before the criteria. [year]"
    )
    area_m2: float | None = Field(
        None, gt=0, description="Area seeded; none = the layer's (or planning's) area. [m²]"
    )
    rate_rub_m2: SourcedValue | None = Field(
        None, description="Cost of re-establishing vegetation, per m². [rub/m²]"
    )


class Assurance(_Section):
    """``[assurance]``: the third party's means, for the liability of each year's state."""

    void_treatment: Literal["fill", "make-safe"] | None = Field(
        None,
        description="What a third party does with a void still open; none = the rule set's, "
        "else fill. [-]",
    )
    borrow: Borrow | None = Field(None, description="Borrow source to fill a void. [-]")
    make_safe: list[LumpLine] = Field(
        default_factory=list, description="Make-safe works of an open void. [-]"
    )
    structures: list[Structure] = Field(
        default_factory=list, description="Infrastructure to remove. [-]"
    )
    revegetation: Revegetation = Field(
        default_factory=Revegetation, description="Vegetation criteria and cost. [-]"
    )


class Milestone(_Section):
    """``[[milestones]]``: a physical state after which part of the assurance is released."""

    name: str = Field(min_length=1, description="Stage, e.g. backfill and regrading. [-]")
    requires: list[str] = Field(
        default_factory=list,
        description="Physical states that must be reached (see STATES). [-]",
    )
    void_level_m: float | None = Field(
        None, description="The void must be filled up to this level (a tier's elevation). [m]"
    )
    years_after: int = Field(
        0, ge=0, le=50, description="Years (seasons) after the state before release. [year]"
    )
    release_percent: float = Field(gt=0, le=100, description="Share of the assurance. [%]")
    evidence: str = Field(min_length=1, description="Evidence required for the release. [-]")
    after_activity: str | None = Field(
        None, description="Older form: requires = [after_activity]. [-]"
    )
    liability_years_after: int | None = Field(
        None, ge=0, le=50, description="Older form of years_after. [year]"
    )

    @model_validator(mode="after")
    def _states(self) -> Milestone:
        unknown = [s for s in self.required_states if s not in STATES]
        if unknown:
            raise ValueError(
                f"milestone {self.name!r}: requires {unknown[0]!r}, which is not a physical "
                f"state; allowed: {sorted(STATES)}"
            )
        if not self.required_states and self.void_level_m is None:
            raise ValueError(
                f"milestone {self.name!r}: give the state it requires (requires = [...] from "
                f"{sorted(STATES)}, or void_level_m)"
            )
        if self.liability_years_after is not None and self.years_after:
            raise ValueError(
                f"milestone {self.name!r}: give years_after or liability_years_after, not both"
            )
        return self

    @property
    def required_states(self) -> list[str]:
        """The states required, the older ``after_activity`` included."""
        extra = [self.after_activity] if self.after_activity else []
        return [*self.requires, *(s for s in extra if s not in self.requires)]

    @property
    def wait_years(self) -> int:
        """Years after the state is reached before the release [year]."""
        return self.years_after or (self.liability_years_after or 0)
