"""``postmine calc land-use-indicators``: rational land use in a mining district (004, PR3).

The 21 indicators of equations (3.1)-(3.21) of practical work 3 of 004 for one open-pit coal
mine: land disturbance, solid waste, restoration and farming value of reclaimed land, damage.
Inputs come from a row of Table 3.1 (``--variant N``), from the worked example of Table 3.2
(``--example pr3``) or from a file. Results are in the source's own units (ha, %, t/ha,
roubles); every place where the source's worked example prints a number the method does not
give, or departs from its own formula, carries a ``note``.
"""

from __future__ import annotations

from typing import Any, Literal, Self

from pydantic import Field, model_validator

from postmine.calc.base import (
    Calculation,
    CalculationInputs,
    Quantity,
    register,
    variant_value,
)
from postmine.chains import land_use as chain

TABLE = "3.1"
MILLION = 1e6  # Tables 3.1 and 3.2 give annual amounts in millions
THOUSAND = 1e3  # Table 3.2 gives workers and residents in thousands
LAND_PRICE_TABLE_3_2 = 15000.0  # Ц_н of Table 3.2, rub/ha; Table 3.1 gives none

_CROPS = (("fodder", "К"), ("grain", "З"), ("meadow", "Л"))


class Crop(CalculationInputs):
    """One crop grown on the reclaimed land (a row of the crop columns of Tables 3.1, 3.2)."""

    name: str = Field(min_length=1, description="Crop, e.g. fodder (К), grain (З), meadow (Л). [-]")
    area: float = Field(
        ge=0,
        description=(
            "S_рз_i, reclaimed land under the crop; also taken as S_схз_i in eq. 3.15, as "
            "the worked example does. [ha]"
        ),
    )
    yield_reclaimed: float = Field(
        ge=0, description="У_рз_i, yield on reclaimed land (1 centner = 100 kg). [centner/ha]"
    )
    yield_farmland: float = Field(
        ge=0, description="У_схз_i, yield on undisturbed farmland. [centner/ha]"
    )
    price: float = Field(ge=0, description="Ц_i, wholesale price of the crop. [rub/centner]")


class LandUseInputs(CalculationInputs):
    """Inputs of the land-use indicators (Table 3.1 or 3.2 of 004)."""

    annual_output_mt: float = Field(gt=0, description="V_д, annual coal output. [Mt/year]")
    overburden_volume: float = Field(
        gt=0,
        description=(
            "V_вс, annual overburden, also the annual solid waste ΣV_то of eqs. 3.7-3.11, in "
            "millions of waste_unit per year. [million t/year or million m³/year]"
        ),
    )
    internal_dump_volume: float = Field(
        ge=0,
        description=(
            "V_вн, annual overburden placed in internal dumps (utilised without hoisting), in "
            "the unit of overburden_volume. [million t/year or million m³/year]"
        ),
    )
    waste_unit: Literal["t", "m3"] = Field(
        default="t",
        description=(
            "Unit of overburden_volume and internal_dump_volume: t (Table 3.2) or m3 "
            "(Table 3.1). [-]"
        ),
    )
    workers_thousand: float = Field(
        gt=0, description="N_р, people employed by the mine. [thousand persons]"
    )
    residents_thousand: float = Field(
        gt=0, description="N_ж, residents of the mining settlement. [thousand persons]"
    )
    crops: list[Crop] = Field(
        min_length=1, description="Crops grown on the reclaimed land (Σ over i). [-]"
    )
    land_price: float = Field(
        ge=0,
        description=(
            "Ц_н (Ц_з), normative cadastral value of land; Table 3.1 gives none, its variants "
            "take Table 3.2's 15000. [rub/ha]"
        ),
    )
    district_area: float = Field(gt=0, description="S_гпр, area of the mining district. [ha]")
    sanitary_zone_area: float = Field(
        gt=0, description="S_сзз, area of the sanitary protection zone. [ha]"
    )
    building_area: float = Field(ge=0, description="S_з, built-up area. [ha]")
    recreation_area: float = Field(ge=0, description="S_р, recreation zone. [ha]")
    infrastructure_area: float = Field(
        ge=0,
        description=(
            "S_жр (Table 3.2) or S_и (Table 3.1), railway stations and other communications "
            "of the mine. [ha]"
        ),
    )
    transport_area: float = Field(
        ge=0,
        description="S_т (Table 3.2) or S_дор (Table 3.1), land taken by transport routes. [ha]",
    )
    outer_dump_area: float = Field(ge=0, description="S_о, outer dumps in all. [ha]")
    outer_dump_reclaimed_area: float = Field(
        ge=0, description="S_рз of the outer dumps, their reclaimed part. [ha]"
    )
    inner_dump_area: float = Field(ge=0, description="S_в, internal dumps in all. [ha]")
    inner_dump_reclaimed_area: float = Field(
        ge=0, description="S_рз of the internal dumps, their reclaimed part. [ha]"
    )
    nontransport_dump_area: float = Field(
        ge=0, description="S_б, internal dumps built without transport. [ha]"
    )
    worked_out_area: float = Field(ge=0, description="S_выр, worked-out space of the pit. [ha]")

    @model_validator(mode="after")
    def _parts_within_wholes(self) -> Self:
        if self.sanitary_zone_area > self.district_area:
            raise ValueError(
                f"sanitary_zone_area must be <= district_area ({self.district_area:g} ha), "
                f"got {self.sanitary_zone_area:g} ha"
            )
        for part, whole in (
            ("outer_dump_reclaimed_area", "outer_dump_area"),
            ("inner_dump_reclaimed_area", "inner_dump_area"),
        ):
            if getattr(self, part) > getattr(self, whole):
                raise ValueError(
                    f"{part} must be <= {whole} ({getattr(self, whole):g} ha), "
                    f"got {getattr(self, part):g} ha"
                )
        names = [c.name for c in self.crops]
        if len(set(names)) != len(names):
            raise ValueError(f"crop names must be unique, got {names}")
        if self.internal_dump_volume > self.overburden_volume:  # eq. 3.8, in the table's units
            raise ValueError(
                f"internal_dump_volume must be <= overburden_volume "
                f"({self.overburden_volume:g}), got {self.internal_dump_volume:g}"
            )
        return self


def mining_district(inputs: LandUseInputs) -> chain.MiningDistrict:
    """Turn the calculator's inputs (millions, thousands) into the chain's (t, persons)."""
    return chain.MiningDistrict(
        district_area=inputs.district_area,
        sanitary_zone_area=inputs.sanitary_zone_area,
        outer_dump_area=inputs.outer_dump_area,
        inner_dump_area=inputs.inner_dump_area,
        nontransport_dump_area=inputs.nontransport_dump_area,
        worked_out_area=inputs.worked_out_area,
        infrastructure_area=inputs.infrastructure_area,
        transport_area=inputs.transport_area,
        outer_dump_reclaimed_area=inputs.outer_dump_reclaimed_area,
        inner_dump_reclaimed_area=inputs.inner_dump_reclaimed_area,
        building_area=inputs.building_area,
        recreation_area=inputs.recreation_area,
        annual_output=inputs.annual_output_mt * MILLION,
        annual_solid_waste=inputs.overburden_volume * MILLION,
        internal_dump_volume=inputs.internal_dump_volume * MILLION,
        waste_unit=inputs.waste_unit,
        workers=inputs.workers_thousand * THOUSAND,
        residents=inputs.residents_thousand * THOUSAND,
        land_price=inputs.land_price,
        crops=tuple(
            chain.Crop(c.name, c.area, c.yield_reclaimed, c.yield_farmland, c.price)
            for c in inputs.crops
        ),
    )


def compute(inputs: LandUseInputs) -> list[Quantity]:
    """Compute the 21 indicators of eqs. 3.1-3.21 of 004 and their intermediates.

    Raises
    ------
    ValueError
        If the chain refuses the inputs or cannot compute an indicator (e.g. no reclaimed
        land for П_а); the message names the indicator and what it needs.
    """
    result = chain.land_use_indicators(mining_district(inputs))
    if result.not_computed:
        symbol, needs = next(iter(result.not_computed.items()))
        raise ValueError(f"{symbol} cannot be computed: it {needs}")
    return [
        Quantity(i.symbol, i.name, i.value, i.unit, i.equation, i.note) for i in result.indicators
    ]


def pr3_example() -> dict[str, Any]:
    """Return the inputs of the worked example of 004, practical work 3 (Table 3.2).

    Every value is Table 3.2's except the overburden: the solution uses 58 Mt/year in
    eqs. 3.7-3.11 (its line of 3.7 prints 68·10⁶ − 10·10⁶) where the table prints 68, and
    58 is taken so the example reproduces the printed results of 3.7-3.11. Table 3.2's
    areal disturbances S_пл = 202 ha enter no indicator of the solution and are not an
    input. The crops' areas, yields and prices are Table 3.2's (fodder yield on farmland
    20 centner/ha, as the total of eq. 3.15 and eq. 3.19 use, where the line of 3.15 prints 25).
    """
    return {
        "annual_output_mt": 10.0,
        "overburden_volume": 58.0,
        "internal_dump_volume": 15.0,
        "waste_unit": "t",
        "workers_thousand": 16.0,
        "residents_thousand": 42.0,
        "crops": [
            {
                "name": "fodder",
                "area": 200.0,
                "yield_reclaimed": 15.0,
                "yield_farmland": 20.0,
                "price": 150.0,
            },
            {
                "name": "grain",
                "area": 120.0,
                "yield_reclaimed": 20.0,
                "yield_farmland": 30.0,
                "price": 300.0,
            },
            {
                "name": "meadow",
                "area": 80.0,
                "yield_reclaimed": 6.0,
                "yield_farmland": 10.0,
                "price": 100.0,
            },
        ],
        "land_price": 15000.0,
        "district_area": 6144.0,
        "sanitary_zone_area": 4306.0,
        "building_area": 895.0,
        "recreation_area": 264.0,
        "infrastructure_area": 100.0,
        "transport_area": 233.0,
        "outer_dump_area": 796.0,
        "outer_dump_reclaimed_area": 329.0,
        "inner_dump_area": 688.0,
        "inner_dump_reclaimed_area": 213.0,
        "nontransport_dump_area": 164.0,
        "worked_out_area": 238.0,
    }


def from_variant(row: dict[str, Any]) -> dict[str, Any]:
    """Turn a row of Table 3.1 of 004 into inputs.

    Table 3.1 gives overburden in million m³/year (``waste_unit = "m3"``) and no land price:
    Table 3.2's 15000 rub/ha is taken. Workers and residents are read as thousands (see the
    table's header notes).
    """

    def v(key: str) -> Any:
        return variant_value(row, key, TABLE)

    crops = [
        {
            "name": name,
            "area": v(f"{name}_area_ha"),
            "yield_reclaimed": v(f"{name}_yield_reclaimed_centner_per_ha"),
            "yield_farmland": v(f"{name}_yield_farmland_centner_per_ha"),
            "price": v(f"{name}_price_rub_per_centner"),
        }
        for name, _ in _CROPS
    ]
    return {
        "annual_output_mt": v("coal_output_million_t_per_year"),
        "overburden_volume": v("overburden_million_m3_per_year"),
        "internal_dump_volume": v("internal_dump_million_m3_per_year"),
        "waste_unit": "m3",
        "workers_thousand": v("workers_thousand"),
        "residents_thousand": v("residents_thousand"),
        "crops": crops,
        "land_price": LAND_PRICE_TABLE_3_2,
        "district_area": v("district_area_ha"),
        "sanitary_zone_area": v("sanitary_zone_area_ha"),
        "building_area": v("building_area_ha"),
        "recreation_area": v("recreation_area_ha"),
        "infrastructure_area": v("infrastructure_area_ha"),
        "transport_area": v("road_area_ha"),
        "outer_dump_area": v("outer_dump_area_ha"),
        "outer_dump_reclaimed_area": v("outer_dump_reclaimed_area_ha"),
        "inner_dump_area": v("inner_dump_area_ha"),
        "inner_dump_reclaimed_area": v("inner_dump_reclaimed_area_ha"),
        "nontransport_dump_area": v("nontransport_dump_area_ha"),
        "worked_out_area": v("worked_out_area_ha"),
    }


LAND_USE_INDICATORS = register(
    Calculation(
        name="land-use-indicators",
        title="Indicators of rational land use in the zone of an operating mine",
        source="004, practical work 3, eqs. 3.1-3.21, Tables 3.1-3.2",
        inputs_model=LandUseInputs,
        compute=compute,
        variant_table=TABLE,
        from_variant=from_variant,
        examples={"pr3": pr3_example},
    )
)
