"""``postmine calc waste-volumes``: annual volumes of the waste streams (003, Table 4).

Inputs are SI (t/year, t/m³); results are reported in the source's units (thousand t,
thousand m³) so they compare directly with Table 4 of 003. The volumes come from the 003
backfill chain (:func:`postmine.chains.backfill.waste_volumes`); this module parses and
reports.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from postmine.calc.base import Calculation, CalculationInputs, Quantity, register
from postmine.chains.backfill import WasteStreamInput, waste_volumes
from postmine.methods.backfill import WasteStreamVolumes

__all__ = ["WasteStream", "WasteVolumesInputs", "abaza_streams", "compute", "stream_volumes"]

K = 1e3  # the source's thousand (t, m³)
TABLE_4 = "003 Table 4"
ROUNDING_NOTE = (
    "003 Table 4 rounds V to 0.1 thousand m³ before the factor: 53.0 for waste rock, 34.3 for ash"
)


class WasteStream(CalculationInputs):
    """One waste stream placed in the void."""

    name: str = Field(min_length=1, description="Name of the waste stream. [-]")
    annual_mass: float = Field(ge=0, description="M, mass placed per year. [t/year]")
    bulk_density: float = Field(gt=0, description="γ, bulk (volume) weight. [t/m³]")
    factor: float = Field(
        ge=1,
        description="k_ор, residual loosening factor, or k_у, compaction factor, >= 1. [-]",
    )
    factor_kind: Literal["loosening", "compaction"] = Field(
        description="'loosening' (V_отв = V k_ор, waste rock) or 'compaction' "
        "(V_отв = V / k_у, tailings, sludge, ash). [-]"
    )


class WasteVolumesInputs(CalculationInputs):
    """Inputs of the waste-stream volumes."""

    streams: list[WasteStream] = Field(
        min_length=1, description="The waste streams, each with a distinct name. [-]"
    )


def stream_volumes(streams: list[WasteStream]) -> WasteStreamVolumes:
    """Run :func:`~postmine.methods.backfill.waste_stream_volumes` on validated streams.

    Raises
    ------
    ValueError
        If two streams share a name (their results could not be told apart).
    """
    return waste_volumes(
        [
            WasteStreamInput(s.name, s.annual_mass, s.bulk_density, s.factor, s.factor_kind)
            for s in streams
        ]
    )


def stream_quantities(streams: list[WasteStream], volumes: WasteStreamVolumes) -> list[Quantity]:
    """Report every row and the totals of Table 4 in thousand t and thousand m³."""
    out: list[Quantity] = []
    for i, s in enumerate(streams):
        factor = (
            "waste_residual_loosening_factor"
            if s.factor_kind == "loosening"
            else "waste_compaction_factor"
        )
        out += [
            Quantity.of("waste_mass_thousand_t_year", s.annual_mass / K, equation=TABLE_4,
                        stream=s.name),
            Quantity.of("waste_bulk_density_t_m3", s.bulk_density, equation=TABLE_4,
                        stream=s.name),
            Quantity.of("waste_volume_thousand_m3_year", float(volumes.volume[i]) / K,
                        equation=TABLE_4, stream=s.name),
            Quantity.of(factor, s.factor, equation=TABLE_4, stream=s.name),
            Quantity.of("waste_dump_volume_thousand_m3_year", float(volumes.dump_volume[i]) / K,
                        equation=TABLE_4, note=ROUNDING_NOTE, stream=s.name),
        ]  # fmt: skip
    return [
        *out,
        Quantity.of("waste_total_mass_thousand_t_year", volumes.total_mass / K, equation=TABLE_4),
        Quantity.of(
            "waste_total_volume_thousand_m3_year", volumes.total_volume / K, equation=TABLE_4
        ),
        Quantity.of(
            "waste_total_dump_volume_thousand_m3_year",
            volumes.total_dump_volume / K,
            equation=TABLE_4,
        ),
    ]


def compute(inputs: WasteVolumesInputs) -> list[Quantity]:
    """Compute the volume of every stream and the totals of Table 4 of 003."""
    return stream_quantities(inputs.streams, stream_volumes(inputs.streams))


def abaza_streams() -> list[dict[str, Any]]:
    """Return the four waste streams of Table 4 of 003 (SI units)."""
    return [
        {
            "name": "Waste rock",
            "annual_mass": 140.0e3,
            "bulk_density": 2.85,
            "factor": 1.08,
            "factor_kind": "loosening",
        },
        {
            "name": "SMS tailings",
            "annual_mass": 1000.0e3,
            "bulk_density": 2.15,
            "factor": 1.1,
            "factor_kind": "compaction",
        },
        {
            "name": "Mine-water sludge",
            "annual_mass": 7.1e3,
            "bulk_density": 3.0,
            "factor": 1.1,
            "factor_kind": "compaction",
        },
        {
            "name": "Ash-slag",
            "annual_mass": 33.9e3,
            "bulk_density": 0.9,
            "factor": 1.1,
            "factor_kind": "compaction",
        },
    ]


def abaza_example() -> dict[str, Any]:
    """Return the inputs of Table 4 of 003: the annual waste streams of the Abaza crater."""
    return {"streams": abaza_streams()}


WASTE_VOLUMES = register(
    Calculation(
        name="waste-volumes",
        title="Annual volumes of the waste streams placed in a void",
        source="003, section 3.1, Table 4",
        inputs_model=WasteVolumesInputs,
        compute=compute,
        examples={"abaza": abaza_example},
    )
)
