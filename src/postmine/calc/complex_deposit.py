"""``postmine calc complex-deposit``: is complex development of a deposit worthwhile (004, PR6).

Practical work 6 of 004: for each concentrate the allowed cost per tonne (6.1) and the yield
per tonne of ore (6.2); for the deposit the annual allowed cost of the product mix (6.3), the
annual individual cost of mining, stripping, processing and tailings (6.4), and the verdict
З_д >= З_и (6.5). Inputs come from a row of Table 6.1 (``--variant N``) or from a file.
Results are in the source's units (rub/t, rub/year); Table 6.1's millions and thousands are
converted on the way in, and its grades in % are divided by 100 (the method functions take
mass fractions).
"""

from __future__ import annotations

from typing import Any, Self

import numpy as np
from pydantic import Field, model_validator

from postmine.calc.base import (
    Calculation,
    CalculationInputs,
    Quantity,
    register,
    variant_value,
)
from postmine.methods import complex_deposits as cd

TABLE = "6.1"
MILLION = 1e6  # Table 6.1 gives the annual ore and overburden in millions
THOUSAND = 1e3  # Table 6.1 gives the concentrate prices in thousand rub/t
PERCENT = 100.0  # Table 6.1 gives the grades in %; the methods take mass fractions

_NOTE_PROCESSING = (
    "Table 6.1 gives a processing cost per product and eq. 6.4 one C_о per tonne of ore; "
    "read as C_о = Σ C_оi (each circuit treats the whole ore)"
)


class Concentrate(CalculationInputs):
    """One concentrate (product) of the deposit: a column group of Table 6.1."""

    name: str = Field(min_length=1, description="Label of the concentrate, e.g. 1, 2, 3. [-]")
    wholesale_price: float = Field(
        gt=0, description="Ц_оi, wholesale price of one tonne of concentrate. [thousand rub/t]"
    )
    profitability: float = Field(
        ge=0, description="R_i, required profitability of producing the concentrate. [-]"
    )
    ore_grade: float = Field(
        ge=0, le=100, description="α_i, content of the component in the mined ore. [%]"
    )
    concentrate_grade: float = Field(
        gt=0, le=100, description="β_i, content of the component in the concentrate. [%]"
    )
    recovery: float = Field(
        ge=0, le=1, description="K_иi, recovery of the component into the concentrate. [-]"
    )
    processing_cost: float = Field(
        ge=0, description="C_оi, processing cost given for this product, per tonne of ore. [rub/t]"
    )


class ComplexDepositInputs(CalculationInputs):
    """Inputs of practical work 6 of 004 (one row of Table 6.1)."""

    ore_output: float = Field(
        gt=0, description="A_р, annual ore output of the pit. [million t/year]"
    )
    overburden_volume: float = Field(
        ge=0, description="A_в, annual volume of overburden stripping. [million m³/year]"
    )
    mining_cost: float = Field(ge=0, description="C_д, cost of mining one tonne of ore. [rub/t]")
    overburden_cost: float = Field(
        ge=0, description="C_в, cost of stripping one cubic metre of overburden. [rub/m³]"
    )
    tailings_cost: float = Field(
        ge=0, description="C_х, cost of disposing of one tonne of tailings. [rub/t]"
    )
    concentrates: list[Concentrate] = Field(
        min_length=1, description="The concentrates produced (three in Table 6.1). [-]"
    )

    @model_validator(mode="after")
    def _unique_concentrate_names(self) -> Self:
        names = [c.name for c in self.concentrates]
        if len(set(names)) != len(names):
            raise ValueError(f"concentrate names must be unique, got {names}")
        return self


def compute(inputs: ComplexDepositInputs) -> list[Quantity]:
    """Compute eqs. 6.1-6.5 per concentrate and for the deposit, and the verdict."""
    conc = inputs.concentrates
    price = np.array([c.wholesale_price for c in conc]) * THOUSAND
    c_i = np.atleast_1d(
        cd.allowed_concentrate_cost(price, np.array([c.profitability for c in conc]))
    )
    gamma = np.atleast_1d(
        cd.concentrate_yield(
            np.array([c.ore_grade for c in conc]) / PERCENT,
            np.array([c.concentrate_grade for c in conc]) / PERCENT,
            np.array([c.recovery for c in conc]),
        )
    )
    processing = np.array([c.processing_cost for c in conc])
    a_r = inputs.ore_output * MILLION
    a_v = inputs.overburden_volume * MILLION
    z_d = float(cd.allowed_annual_cost(a_r, gamma, c_i))
    z_i = float(
        cd.individual_annual_cost(
            a_r,
            inputs.mining_cost,
            processing,
            inputs.overburden_cost,
            a_v,
            inputs.tailings_cost,
            gamma,
        )
    )
    feasible = bool(cd.is_development_feasible(z_d, z_i))
    out: list[Quantity] = []
    for i, c in enumerate(conc):
        out += [
            Quantity.of(
                "concentrate_allowed_cost_rub_per_t",
                float(c_i[i]),
                equation="6.1",
                concentrate=c.name,
            ),
            Quantity.of("concentrate_yield", float(gamma[i]), equation="6.2", concentrate=c.name),
        ]
    out += [
        Quantity.of(
            "total_concentrate_yield",
            float(cd.total_concentrate_yield(gamma)),
            equation="6.3, 6.4",
        ),
        Quantity.of(
            "processing_cost_rub_per_t",
            float(processing.sum()),
            equation="6.4",
            note=_NOTE_PROCESSING,
        ),
        Quantity.of("allowed_annual_cost_rub_per_year", z_d, equation="6.3"),
        Quantity.of("individual_annual_cost_rub_per_year", z_i, equation="6.4"),
        Quantity.of("complex_development_worthwhile", feasible, equation="6.5"),
    ]
    return out


def from_variant(row: dict[str, Any]) -> dict[str, Any]:
    """Turn a row of Table 6.1 of 004 into the inputs (three concentrates)."""

    def cell(key: str) -> float:
        return float(variant_value(row, key, TABLE))

    concentrates = [
        {
            "name": str(i),
            "wholesale_price": cell(f"wholesale_price_{i}_thousand_rub_per_t"),
            "profitability": cell(f"profitability_{i}"),
            "ore_grade": cell(f"ore_grade_{i}_pct"),
            "concentrate_grade": cell(f"concentrate_grade_{i}_pct"),
            "recovery": cell(f"recovery_{i}"),
            "processing_cost": cell(f"processing_cost_{i}_rub_per_t"),
        }
        for i in (1, 2, 3)
    ]
    return {
        "ore_output": cell("ore_output_million_t_per_year"),
        "overburden_volume": cell("overburden_million_m3_per_year"),
        "mining_cost": cell("mining_cost_rub_per_t"),
        "overburden_cost": cell("overburden_cost_rub_per_m3"),
        "tailings_cost": cell("tailings_cost_rub_per_t"),
        "concentrates": concentrates,
    }


COMPLEX_DEPOSIT = register(
    Calculation(
        name="complex-deposit",
        title="Feasibility of the complex development of a multi-component ore deposit",
        source="004, practical work 6, eqs. 6.1-6.5, Table 6.1",
        inputs_model=ComplexDepositInputs,
        compute=compute,
        variant_table=TABLE,
        from_variant=from_variant,
    )
)
