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
        k_symbol = "k_ор" if s.factor_kind == "loosening" else "k_у"
        out += [
            Quantity(
                f"M[{s.name}]",
                f"mass per year, {s.name}",
                s.annual_mass / 1e3,
                "thousand t/year",
                "003 Table 4",
            ),
            Quantity(
                f"γ[{s.name}]", f"bulk density, {s.name}", s.bulk_density, "t/m³", "003 Table 4"
            ),
            Quantity(
                f"V[{s.name}]",
                f"volume as delivered, {s.name}",
                float(volumes.volume[i]) / 1e3,
                "thousand m³/year",
                "003 Table 4",
            ),
            Quantity(
                f"{k_symbol}[{s.name}]",
                f"{'residual loosening' if s.factor_kind == 'loosening' else 'compaction'}"
                f" factor, {s.name}",
                s.factor,
                "",
                "003 Table 4",
            ),
            Quantity(
                f"V_отв[{s.name}]",
                f"volume in the dump, {s.name}",
                float(volumes.dump_volume[i]) / 1e3,
                "thousand m³/year",
                "003 Table 4",
                ROUNDING_NOTE,
            ),
        ]
    out += [
        Quantity(
            "ΣM", "total mass per year", volumes.total_mass / 1e3, "thousand t/year", "003 Table 4"
        ),
        Quantity(
            "ΣV",
            "total volume as delivered",
            volumes.total_volume / 1e3,
            "thousand m³/year",
            "003 Table 4",
        ),
        Quantity(
            "ΣV_отв",
            "total volume in the dump",
            volumes.total_dump_volume / 1e3,
            "thousand m³/year",
            "003 Table 4",
        ),
    ]
    return out


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
