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
from postmine.methods import land_use as lu

TABLE = "3.1"
PERCENT = 100.0  # the source states shares in %
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
        return self


_NOTE_S_TNZ = (
    "Eq. 3.1 as printed sums the disturbed zones; the worked example of 004 takes the sanitary "
    "protection zone less its reclaimed land, recreation zone and buildings, "
    "4306 - (329 + 213 + 264 + 895) = 2605 ha, and so does the code. The disturbed zones of "
    "Table 3.2 (S_жр, S_т, S_пл, S_о, S_в, S_б, S_выр) add up to 2421 ha."
)
_NOTE_LINEAR = (
    "The worked example counts the worked-out space S_выр (238 ha) with the communications S_жр "
    "(100) and transport routes S_т (233) as linear forms: 571 ha; so does the code."
)
_NOTE_P_SZZ = (
    "004 writes П_тнз^сзз; its worked example prints 60 % (2605 / 4306 = 60.50 %, rounded to "
    "whole percent)."
)
_NOTE_P_NZ = (
    "Eq. 3.5 prints a factor 100 and the unit ha/t; the worked example (symbol П_рз) divides "
    "without it, 2605 / 10 000 000, and states 0.2605 ha per 1000 t; the code follows it."
)
_NOTE_P_PZ = (
    "The worked example prints 33.5 % for (2605 - 542) / 6144 = 33.58 % (truncated). It takes "
    "S_г = S_тнз, which by its construction (3.1) already excludes the reclaimed 542 ha; the "
    "code does the same."
)
_NOTE_WASTE = (
    "Taken as V_вс, the overburden (the only solid waste the tables give). The worked example "
    "uses 58 Mt/year in eqs. 3.7-3.11 (its line of 3.7 prints 68·10⁶ - 10·10⁶, i.e. V_вс - "
    "V_д) although Table 3.2 prints V_вс = 68; example pr3 therefore inputs V_вс = 58."
)
_NOTE_Q = (
    "Eq. 3.7 states m³/m²; the worked example works in t/ha and prints 13469.5 for "
    "58·10⁶ / 4306 = 13469.58 (truncated)."
)
_NOTE_UTO = (
    "The worked example prints 25.8 % for 15 / 58 = 25.86 % (truncated), with V_вс = 58 where "
    "Table 3.2 prints 68 (68 would give 22.1 %)."
)
_NOTE_KTO = (
    "The worked example prints 39 % for (688 + 796 + 164) / 4306 = 1648 / 4306 = 38.27 %; "
    "the code gives the quotient."
)
_NOTE_VTO = (
    "Eq. 3.10 prints a factor 100 and the unit m³/person; the worked example (symbol П_пто) "
    "divides without it, 58 000 000 / 16 000 = 3625 t/person/year; the code follows it."
)
_NOTE_ZTO = (
    "Eq. 3.11 prints a factor 100 and the unit m³/person; the worked example divides without "
    "it, 58 000 000 / 42 000 = 1381 t/person/year; the code follows it."
)
_NOTE_PA = (
    "The worked example prints 400 / 543 · 100 = 73.8 %; the reclaimed land is 329 + 213 = "
    "542 ha and 400 / 542 gives the printed 73.8 % (543: a misprint)."
)
_NOTE_VP_SKHZ = (
    "The crop areas of eq. 3.14 are taken as S_схз, as the worked example does. Its line "
    "prints a fodder yield of 25 (which would give 1 910 000 rub); its total 1 760 000 rub "
    "uses Table 3.2's 20, as eq. 3.19 does."
)


def compute(inputs: LandUseInputs) -> list[Quantity]:
    """Compute the 21 indicators of eqs. 3.1-3.21 of 004 and their intermediates."""
    q: list[Quantity] = []
    waste_u = "t" if inputs.waste_unit == "t" else "m³"

    # Land disturbance, eqs. 3.1-3.6
    s_rz = float(
        lu.total_area([inputs.outer_dump_reclaimed_area, inputs.inner_dump_reclaimed_area])
    )
    q.append(Quantity("S_рз", "reclaimed land (outer and internal dumps)", s_rz, "ha", "3.6"))
    s_tnz = float(
        lu.disturbed_area_in_sanitary_zone(
            inputs.sanitary_zone_area,
            [
                inputs.outer_dump_reclaimed_area,
                inputs.inner_dump_reclaimed_area,
                inputs.recreation_area,
                inputs.building_area,
            ],
        )
    )
    q.append(Quantity("S_тнз", "technogenically disturbed land", s_tnz, "ha", "3.1", _NOTE_S_TNZ))
    linear = [inputs.worked_out_area, inputs.infrastructure_area, inputs.transport_area]
    q.append(
        Quantity(
            "ΣS_лф",
            "land disturbed by linear forms",
            float(lu.total_area(linear)),
            "ha",
            "3.2",
            _NOTE_LINEAR,
        )
    )
    p_plf = float(lu.linear_disturbance_density(linear, inputs.district_area))
    q.append(
        Quantity(
            "П_плф", "density of linear disturbance of the district", p_plf * PERCENT, "%", "3.2"
        )
    )
    p_szz = float(lu.disturbed_share_of_sanitary_zone(s_tnz, inputs.sanitary_zone_area))
    q.append(
        Quantity(
            "П_сзз",
            "disturbed share of the sanitary protection zone",
            p_szz * PERCENT,
            "%",
            "3.3",
            _NOTE_P_SZZ,
        )
    )
    p_tnz = float(lu.disturbed_share_of_district(s_tnz, inputs.district_area))
    q.append(Quantity("П_тнз", "disturbed share of the district", p_tnz * PERCENT, "%", "3.4"))
    p_nz = float(lu.disturbance_per_output(s_tnz, inputs.annual_output_mt * MILLION))
    q.append(
        Quantity(
            "П_нз",
            "disturbed land per 1000 t of annual coal output",
            p_nz * THOUSAND,
            "ha/1000 t",
            "3.5",
            _NOTE_P_NZ,
        )
    )
    p_pz = float(lu.absolute_land_loss(s_tnz, s_rz, inputs.district_area))
    q.append(Quantity("П_пз", "absolute loss of land", p_pz * PERCENT, "%", "3.6", _NOTE_P_PZ))

    # Solid waste, eqs. 3.7-3.11
    waste = inputs.overburden_volume * MILLION
    q.append(Quantity("ΣV_то", "annual solid waste", waste, f"{waste_u}/year", "3.7", _NOTE_WASTE))
    q_to = float(lu.solid_waste_per_area(waste, inputs.sanitary_zone_area))
    q.append(
        Quantity(
            "q",
            "annual solid waste per hectare of the sanitary protection zone",
            q_to,
            f"{waste_u}/ha",
            "3.7",
            _NOTE_Q,
        )
    )
    p_uto = float(lu.waste_utilisation(inputs.internal_dump_volume, inputs.overburden_volume))
    q.append(
        Quantity(
            "П_уто",
            "utilisation of solid waste (internal dumping)",
            p_uto * PERCENT,
            "%",
            "3.8",
            _NOTE_UTO,
        )
    )
    storage = [inputs.inner_dump_area, inputs.outer_dump_area, inputs.nontransport_dump_area]
    q.append(
        Quantity(
            "ΣS_то",
            "solid-waste storage (outer, internal and non-transport internal dumps)",
            float(lu.total_area(storage)),
            "ha",
            "3.9",
        )
    )
    p_kto = float(lu.waste_storage_concentration(storage, inputs.sanitary_zone_area))
    q.append(
        Quantity(
            "П_кто",
            "concentration of solid-waste storage in the sanitary protection zone",
            p_kto * PERCENT,
            "%",
            "3.9",
            _NOTE_KTO,
        )
    )
    p_vto = float(lu.waste_per_worker(waste, inputs.workers_thousand * THOUSAND))
    q.append(
        Quantity(
            "П_вто", "solid waste per worker", p_vto, f"{waste_u}/person/year", "3.10", _NOTE_VTO
        )
    )
    p_zto = float(lu.waste_per_resident(waste, inputs.residents_thousand * THOUSAND))
    q.append(
        Quantity(
            "П_зто",
            "solid waste per resident of the settlement",
            p_zto,
            f"{waste_u}/person/year",
            "3.11",
            _NOTE_ZTO,
        )
    )

    # Restoration and farming value, eqs. 3.12-3.17
    p_vz = float(lu.land_restoration(s_rz, inputs.sanitary_zone_area))
    q.append(Quantity("П_вз", "restoration of land", p_vz * PERCENT, "%", "3.12"))
    areas = [c.area for c in inputs.crops]
    s_a = float(lu.total_area(areas))
    q.append(Quantity("ΣS_а", "reclaimed land under crops", s_a, "ha", "3.13"))
    p_a = float(lu.agricultural_restoration(areas, s_rz))
    q.append(
        Quantity(
            "П_а",
            "agricultural restoration of reclaimed land",
            p_a * PERCENT,
            "%",
            "3.13",
            _NOTE_PA,
        )
    )
    for c in inputs.crops:
        term = float(lu.gross_agricultural_product(c.price, c.yield_reclaimed, c.area))
        q.append(
            Quantity(
                f"ВП_рз[{c.name}]",
                f"gross product of {c.name} on reclaimed land",
                term,
                "rub",
                "3.14",
            )
        )
    prices = [c.price for c in inputs.crops]
    vp_rz = float(
        lu.gross_agricultural_product(prices, [c.yield_reclaimed for c in inputs.crops], areas)
    )
    q.append(
        Quantity("ВП_рз", "gross agricultural product of reclaimed land", vp_rz, "rub", "3.14")
    )
    for c in inputs.crops:
        term = float(lu.gross_agricultural_product(c.price, c.yield_farmland, c.area))
        q.append(
            Quantity(
                f"ВП_схз[{c.name}]",
                f"gross product of {c.name} on undisturbed farmland",
                term,
                "rub",
                "3.15",
            )
        )
    vp_skhz = float(
        lu.gross_agricultural_product(prices, [c.yield_farmland for c in inputs.crops], areas)
    )
    q.append(
        Quantity(
            "ВП_схз",
            "gross agricultural product of undisturbed farmland",
            vp_skhz,
            "rub",
            "3.15",
            _NOTE_VP_SKHZ,
        )
    )
    p_p = float(lu.productivity_per_hectare(vp_rz, s_a))
    q.append(
        Quantity(
            "П_п",
            "gross product per hectare of reclaimed land under crops",
            p_p,
            "rub/ha",
            "3.16",
        )
    )
    p_at = float(lu.agricultural_equivalence(vp_rz, vp_skhz))
    q.append(
        Quantity("П_ат", "agricultural equivalence of reclaimed land", p_at * PERCENT, "%", "3.17")
    )

    # Damage, eqs. 3.18-3.21
    u_n = float(lu.normative_damage(inputs.land_price, s_tnz))
    q.append(Quantity("У_н", "damage at the normative land value", u_n, "rub", "3.18"))
    for c in inputs.crops:
        term = float(
            lu.productivity_loss_damage(c.price, c.yield_farmland, c.yield_reclaimed, c.area)
        )
        q.append(
            Quantity(
                f"У_пп[{c.name}]",
                f"loss of {c.name} yield on reclaimed land",
                term,
                "rub",
                "3.19",
            )
        )
    u_pp = float(
        lu.productivity_loss_damage(
            prices,
            [c.yield_farmland for c in inputs.crops],
            [c.yield_reclaimed for c in inputs.crops],
            areas,
        )
    )
    q.append(Quantity("У_пп", "damage from lower yields of reclaimed land", u_pp, "rub", "3.19"))
    u_rz = float(lu.reclamation_damage(u_n, u_pp))
    q.append(Quantity("У_рз", "total damage", u_rz, "rub", "3.20"))
    q_u = float(lu.specific_damage(u_rz, s_tnz))
    q.append(Quantity("q_у", "damage per hectare of disturbed land", q_u, "rub/ha", "3.21"))
    return q


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
