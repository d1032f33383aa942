"""``postmine calc ore-cutoff``: minimum industrial grade of ore (004, practical work 4)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from postmine.calc.base import Calculation, CalculationInputs, Quantity, register, variant_value
from postmine.methods import ore_cutoff as oc

TABLE = "4.1"
_PCT = 100.0  # grades: mass fraction at the method API, percent in the report (as 004)
_KRUB = 1000.0  # Table 4.1 prints Ц_мк and Ц_м in thousand roubles per tonne


class OreCutoffInputs(CalculationInputs):
    """Inputs of the minimum industrial grade (Eqs. 4.1-4.8 of 004)."""

    ore_cost: float = Field(ge=0, description="З_д, full cost of one tonne of ore. [rub/t]")
    ore_price: float = Field(gt=0, description="Ц_р, wholesale price of a tonne of ore. [rub/t]")
    block_grade: float = Field(
        gt=0, le=1, description="C, grade of the delineated block (mass fraction). [-]"
    )
    ore_loss: float = Field(ge=0, lt=1, description="П, ore loss in mining. [-]")
    dilution: float = Field(
        ge=0, description="Р, dilution: rock mined per unit of ore in place (Eq. 4.3). [-]"
    )
    beneficiation_cost: float = Field(
        ge=0, description="З_о, beneficiation cost per tonne of ore. [rub/t]"
    )
    concentrate_grade: float = Field(
        gt=0, le=1, description="a_к, grade of the concentrate (mass fraction). [-]"
    )
    metal_grade: float = Field(
        gt=0, le=1, description="a_м, grade of the crude metal (mass fraction). [-]"
    )
    concentrate_price: float = Field(
        gt=0, description="Ц_к, wholesale price of a tonne of concentrate. [rub/t]"
    )
    beneficiation_recovery: float = Field(
        gt=0, le=1, description="И_о, recovery into the concentrate. [-]"
    )
    smelting_recovery: float = Field(
        gt=0, le=1, description="И_м, recovery of metal from the concentrate. [-]"
    )
    component_price: float = Field(
        gt=0, description="Ц_мк, price of the component in the concentrate. [rub/t]"
    )
    concentrate_transport_cost: float = Field(
        ge=0, description="З_тм, transport of the concentrate to the smelter. [rub/t]"
    )
    smelting_cost: float = Field(
        ge=0, description="З_м, cost of the metallurgical processing. [rub/t]"
    )
    metal_price: float = Field(
        gt=0, description="Ц_м, wholesale price of a tonne of crude metal. [rub/t]"
    )
    byproduct_credit: float = Field(
        ge=0, description="С_пк, value of the by-products recovered. [rub/t]"
    )


_COMPONENT_NOTE = "as printed, with a_к; 100 % would replace a_к if Ц_мк is per tonne of component"


def _cutoff(
    product: str, c_min: float, block_grade: float, equation: str, note: str = ""
) -> list[Quantity]:
    """Report one cut-off grade (``cutoff_grade_<product>_percent``) and Eq. (4.8) on it."""
    if c_min >= 1.0:
        note = "; ".join(filter(None, [note, "above 100 %: no block grade satisfies (4.8)"]))
    elif c_min <= 0.0:
        note = "; ".join(
            filter(None, [note, "not positive: by-products pay all costs, (4.8) always holds"])
        )
    balance = oc.is_balance_reserve(block_grade, c_min)
    return [
        Quantity.of(f"cutoff_grade_{product}_percent", _PCT * c_min, equation=equation, note=note),
        Quantity.of(f"balance_reserves_{product}", bool(balance), equation="4.8"),
    ]


def compute(inputs: OreCutoffInputs) -> list[Quantity]:
    """Compute every quantity of Eqs. (4.1)-(4.8) of 004 and report it."""
    c = inputs.block_grade
    a = float(oc.mined_grade(c, inputs.ore_loss, inputs.dilution))
    k_к = float(oc.quality_change_coefficient(a, c))
    c_ore = float(oc.cutoff_grade_ore(inputs.ore_cost, a, inputs.ore_price, k_к))
    c_conc = float(
        oc.cutoff_grade_concentrate(
            inputs.ore_cost,
            inputs.beneficiation_cost,
            inputs.concentrate_grade,
            inputs.concentrate_price,
            k_к,
            inputs.beneficiation_recovery,
        )
    )
    c_comp = float(
        oc.cutoff_grade_component(
            inputs.ore_cost,
            inputs.beneficiation_cost,
            inputs.concentrate_grade,
            inputs.component_price,
            k_к,
            inputs.beneficiation_recovery,
        )
    )
    metal_args = (
        inputs.ore_cost,
        inputs.beneficiation_cost,
        inputs.concentrate_transport_cost,
        inputs.smelting_cost,
        inputs.metal_grade,
        inputs.metal_price,
        k_к,
        inputs.beneficiation_recovery,
        inputs.smelting_recovery,
    )
    c_metal = float(oc.cutoff_grade_metal(*metal_args))
    c_byproduct = float(oc.cutoff_grade_metal(*metal_args, inputs.byproduct_credit))
    return [
        Quantity.of("mined_ore_grade_percent", _PCT * a, equation="4.3"),
        Quantity.of("ore_quality_change_coefficient", k_к, equation="4.2"),
        *_cutoff("ore", c_ore, c, "4.1"),
        *_cutoff("concentrate", c_conc, c, "4.4"),
        *_cutoff("component", c_comp, c, "4.5", note=_COMPONENT_NOTE),
        *_cutoff("metal", c_metal, c, "4.6"),
        *_cutoff("metal_byproduct", c_byproduct, c, "4.7"),
    ]


def from_variant(row: dict[str, Any]) -> dict[str, Any]:
    """Turn a row of Table 4.1 of 004 into inputs (percent to fractions, thousand roubles)."""

    def value(key: str) -> Any:
        return variant_value(row, key, TABLE)

    return {
        "ore_cost": value("ore_cost_rub_per_t"),
        "ore_price": value("ore_price_rub_per_t"),
        "block_grade": value("block_grade_pct") / _PCT,
        "ore_loss": value("ore_loss_fraction"),
        "dilution": value("dilution_fraction"),
        "beneficiation_cost": value("beneficiation_cost_rub_per_t"),
        "concentrate_grade": value("concentrate_grade_pct") / _PCT,
        "metal_grade": value("metal_grade_pct") / _PCT,
        "concentrate_price": value("concentrate_price_rub_per_t"),
        "beneficiation_recovery": value("beneficiation_recovery_fraction"),
        "smelting_recovery": value("smelting_recovery_fraction"),
        "component_price": value("component_price_krub_per_t") * _KRUB,
        "concentrate_transport_cost": value("concentrate_transport_cost_rub_per_t"),
        "smelting_cost": value("smelting_cost_rub_per_t"),
        "metal_price": value("metal_price_krub_per_t") * _KRUB,
        "byproduct_credit": value("byproduct_credit_rub_per_t"),
    }


ORE_CUTOFF = register(
    Calculation(
        name="ore-cutoff",
        title="Minimum industrial grade of ore (cut-off of balance reserves)",
        source="004, practical work 4, Eqs. 4.1-4.8, Table 4.1",
        inputs_model=OreCutoffInputs,
        compute=compute,
        variant_table=TABLE,
        from_variant=from_variant,
    )
)
