"""``postmine calc losses-dilution``: losses, dilution and cost of metal per scheme (004, PR5).

Practical work 5 of 004: a flat ore body mined by several schemes (А, Б, В of Table 5.1),
each leaving a layer of ore and taking a layer of rock at both ore/rock contacts. For every
scheme the calculation reports the net metal loss (5.1), the mined grade (5.4), the dilution
(5.2, 5.3), the quality coefficient and the cost of one tonne of metal (5.5), then picks the
scheme of least cost (step 6). Inputs come from a row of Table 5.1 (``--variant N``) or
from a file; the two constants of Eq. (5.5), which Table 5.1 does not give, default to the
600 and 250 printed in the equation.

Grades are given and reported in % as printed in Table 5.1; the method functions take mass
fractions, so they are divided by 100 on the way in and a_д, П and Р multiplied by 100 on
the way out.
"""

from __future__ import annotations

from typing import Any, Literal, Self

import numpy as np
from pydantic import Field, model_validator

from postmine.calc.base import (
    Calculation,
    CalculationInputs,
    Quantity,
    register,
    variant_value,
)
from postmine.methods import losses_dilution as ld

TABLE = "5.1"
PERCENT = 100.0  # 004 states grades, loss and dilution in %; the methods take fractions
FIRST_COST_EQ_5_5 = 600.0  # first constant printed in eq. (5.5) of 004
SECOND_COST_EQ_5_5 = 250.0  # second constant printed in eq. (5.5) of 004

#: Scheme labels of Table 5.1 and the column prefixes of ``table_5_1.csv``.
SCHEMES = (("А", "a"), ("Б", "b"), ("В", "c"))

_NOTE_LOSS = "sign lost in 004; read as the net loss (2M_п C_п − 2M_р C_р)/(m_р C_б)"
_NOTE_GAIN = "; negative: the rock brings more metal than the lost ore takes"
_NOTE_COST = "eq. 5.5 garbled in 004; reading {reading!r}: {formula}"
_NOTE_CHOICE = "either reading of eq. 5.5 picks the scheme of the richest mined ore a_д"
_FORMULAS = {"sum": "(600 + 250) / (C_б K_к)", "offset": "600 + 250 / (C_б K_к)"}


class ContactScheme(CalculationInputs):
    """One mining scheme: the layers lost and taken at each of the two contacts."""

    name: str = Field(min_length=1, description="Label of the scheme, e.g. А, Б, В. [-]")
    lost_ore_thickness: float = Field(
        ge=0, description="M_п, ore layer lost at each of the two contacts. [m]"
    )
    diluting_rock_thickness: float = Field(
        ge=0, description="M_р, rock layer mined with the ore at each contact. [m]"
    )


class LossesDilutionInputs(CalculationInputs):
    """Inputs of practical work 5 of 004 (one row of Table 5.1)."""

    ore_thickness: float = Field(gt=0, description="m_р, thickness of the ore body. [m]")
    balance_grade: float = Field(
        gt=0, le=100, description="C_б, metal content of the balance ore. [%]"
    )
    rock_grade: float = Field(
        ge=0, le=100, description="C_р, metal content of the diluting rock. [%]"
    )
    lost_ore_grade: float = Field(
        ge=0, le=100, description="C_п, metal content of the lost ore. [%]"
    )
    schemes: list[ContactScheme] = Field(
        min_length=1, description="Mining schemes to compare (А, Б, В in Table 5.1). [-]"
    )
    first_cost: float = Field(
        default=FIRST_COST_EQ_5_5,
        ge=0,
        description="First constant of eq. 5.5 of 004 (600), not named there. [rub/t]",
    )
    second_cost: float = Field(
        default=SECOND_COST_EQ_5_5,
        ge=0,
        description="Second constant of eq. 5.5 of 004 (250), not named there. [rub/t]",
    )
    cost_reading: Literal["sum", "offset"] = Field(
        default="sum",
        description=(
            "Reading of the garbled eq. 5.5: sum = (600 + 250)/(C_б K_к), "
            "offset = 600 + 250/(C_б K_к). [-]"
        ),
    )

    @model_validator(mode="after")
    def _unique_scheme_names(self) -> Self:
        names = [s.name for s in self.schemes]
        if len(set(names)) != len(names):
            raise ValueError(f"scheme names must be unique, got {names}")
        return self


def compute(inputs: LossesDilutionInputs) -> list[Quantity]:
    """Compute loss, grade, dilution and cost of metal per scheme and pick the cheapest."""
    m_p = np.array([s.lost_ore_thickness for s in inputs.schemes])
    m_d = np.array([s.diluting_rock_thickness for s in inputs.schemes])
    c_b = inputs.balance_grade / PERCENT  # % → mass fraction
    contacts = (
        inputs.ore_thickness,
        m_p,
        m_d,
        c_b,
        inputs.lost_ore_grade / PERCENT,
        inputs.rock_grade / PERCENT,
    )
    loss = np.atleast_1d(ld.metal_loss(*contacts))
    a_d = np.atleast_1d(ld.mined_grade(*contacts))  # mass fraction
    p = np.atleast_1d(ld.dilution(c_b, a_d))
    k_k = np.atleast_1d(ld.quality_coefficient(p))
    cost = np.atleast_1d(
        ld.metal_unit_cost(
            c_b,
            k_k,
            inputs.first_cost,
            inputs.second_cost,
            reading=inputs.cost_reading,
        )
    )
    note_cost = _NOTE_COST.format(
        reading=inputs.cost_reading, formula=_FORMULAS[inputs.cost_reading]
    )
    out: list[Quantity] = []
    for i, scheme in enumerate(inputs.schemes):
        s = scheme.name
        out += [
            Quantity.of(
                "net_metal_loss_percent",
                float(loss[i]) * PERCENT,
                equation="5.1",
                note=_NOTE_LOSS + (_NOTE_GAIN if loss[i] < 0 else ""),
                scheme=s,
            ),
            Quantity.of(
                "mined_metal_content_percent", float(a_d[i]) * PERCENT, equation="5.4", scheme=s
            ),
            Quantity.of("dilution_percent", float(p[i]) * PERCENT, equation="5.2", scheme=s),
            Quantity.of("dilution_coefficient", float(p[i]), equation="5.3", scheme=s),
            Quantity.of("ore_quality_coefficient", float(k_k[i]), equation="5.5", scheme=s),
            Quantity.of(
                "metal_unit_cost_rub_per_t",
                float(cost[i]),
                equation="5.5",
                note=note_cost,
                scheme=s,
            ),
        ]
    best = inputs.schemes[ld.cheapest_scheme(cost)].name
    out.append(
        Quantity.of("cheapest_mining_scheme", best, equation="5.5 (step 6)", note=_NOTE_CHOICE)
    )
    return out


def from_variant(row: dict[str, Any]) -> dict[str, Any]:
    """Turn a row of Table 5.1 of 004 into the inputs (schemes А, Б, В)."""
    schemes = [
        {
            "name": label,
            "lost_ore_thickness": float(variant_value(row, f"{col}_lost_ore_thickness_m", TABLE)),
            "diluting_rock_thickness": float(
                variant_value(row, f"{col}_diluting_rock_thickness_m", TABLE)
            ),
        }
        for label, col in SCHEMES
    ]
    return {
        "ore_thickness": float(variant_value(row, "ore_thickness_m", TABLE)),
        "balance_grade": float(variant_value(row, "balance_grade_pct", TABLE)),
        "rock_grade": float(variant_value(row, "rock_grade_pct", TABLE)),
        "lost_ore_grade": float(variant_value(row, "lost_ore_grade_pct", TABLE)),
        "schemes": schemes,
    }


LOSSES_DILUTION = register(
    Calculation(
        name="losses-dilution",
        title="Ore losses, dilution and cost of metal for mining schemes at two ore contacts",
        source="004, practical work 5, eqs. 5.1-5.5, Table 5.1",
        inputs_model=LossesDilutionInputs,
        compute=compute,
        variant_table=TABLE,
        from_variant=from_variant,
    )
)
