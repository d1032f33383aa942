"""``postmine calc slide-prism``: width of the slide prism at a dump crest (003, sec. 4.2)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from postmine.calc.base import Calculation, CalculationInputs, Quantity, register
from postmine.methods.slopes import slide_prism_width


class SlidePrismInputs(CalculationInputs):
    """Inputs of the slide-prism width."""

    repose_angle: float = Field(gt=0, lt=90, description="α, angle of repose of settled waste. [°]")
    stability_angle: float = Field(
        gt=0, lt=90, description="β, angle of temporary stability of the slope. [°]"
    )
    tier_height: float = Field(gt=0, description="H, maximum height of the tier. [m]")


def compute(inputs: SlidePrismInputs) -> list[Quantity]:
    """Compute the slide-prism width and report it."""
    width = float(
        slide_prism_width(inputs.repose_angle, inputs.stability_angle, inputs.tier_height)
    )
    return [Quantity.of("slide_prism_width_m", width, equation="003 sec. 4.2")]


def abaza_example() -> dict[str, Any]:
    """Return the inputs of 003, section 4.2: α = 36°50′, β = 37°20′, H = 55 m."""
    return {"repose_angle": 36 + 50 / 60, "stability_angle": 37 + 20 / 60, "tier_height": 55.0}


SLIDE_PRISM = register(
    Calculation(
        name="slide-prism",
        title="Width of the slide prism at the crest of a dump tier",
        source="003, section 4.2",
        inputs_model=SlidePrismInputs,
        compute=compute,
        examples={"abaza": abaza_example},
    )
)
