"""``postmine calc backfill-schedule``: filling of a void by tiers under a limit of years.

Sections 3.1-3.3 and Table 5 of 003: filling time of the collapse crater, the calendar plan
by tiers and years within the 15-year limit, what stays unfilled, and the volumes of the
surface planning (3.2) and of the reclamation layer (3.3), which belong to the same backfill
design and are reported when their areas are given.

The annual volume is given either as the two annual totals (``annual_dump_volume`` and
``annual_placed_volume``; the ``abaza`` example uses 512.3 and 554.3 thousand m³ as 003 does)
or as the waste streams themselves (``waste_streams``, computed as in ``waste-volumes``; the
``abaza-streams`` example). Tiers are listed bottom-up; every tier but the highest has a
capacity, and the highest listed takes the rest of ``remaining_capacity``.

Inputs are SI (m³, m², m, t); results are in the source's units (thousand m³, thousand m²).

This module is the calculator's adapter: it parses the inputs, calls the 003 backfill chain
(:mod:`postmine.chains.backfill`: :func:`~postmine.chains.backfill.tier_capacity`,
:func:`~postmine.chains.backfill.backfill_plan`, :func:`~postmine.chains.backfill.surface_works`)
and reports what it returns.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import numpy as np
import numpy.typing as npt
from pydantic import Field

from postmine.calc.base import Calculation, CalculationInputs, Quantity, register
from postmine.calc.waste_volumes import WasteStream, abaza_streams, stream_volumes
from postmine.chains.backfill import SurfaceWorks, backfill_plan, surface_works, tier_capacity
from postmine.methods.backfill import (
    MAX_RECLAMATION_YEARS,
    MIN_LAYER_THICKNESS,
    SPECIFIC_PLANNING_VOLUME,
    BackfillSchedule,
)

__all__ = ["BackfillScheduleInputs", "Tier", "compute"]

K = 1e3  # the source's thousand (t, m³, m²)
TABLE_4, TABLE_5 = "003 Table 4", "003 Table 5"
SEC_3_1, SEC_3_2, SEC_3_3 = "003 sec. 3.1", "003 sec. 3.2", "003 sec. 3.3"

SPLIT_NOTE = (
    "delivered volume of a split year shared in proportion to the volume in the dump; "
    "003 Table 5 prints 274.1 + 280.2 for 2029 where the proportion gives 274.17 + 280.13"
)


class Tier(CalculationInputs):
    """One tier of the backfill, in filling order (bottom-up)."""

    elevation: float = Field(description="Elevation of the tier's unloading level, e.g. 650. [m]")
    capacity: float | None = Field(
        default=None,
        gt=0,
        description="Capacity of the tier as volume in the dump; omit it for the highest tier "
        "listed, which takes the rest of remaining_capacity. [m³]",
    )


class BackfillScheduleInputs(CalculationInputs):
    """Inputs of the backfill calendar plan."""

    remaining_capacity: float = Field(
        gt=0, description="V_ост, remaining capacity of the void, as volume in the dump. [m³]"
    )
    tiers: list[Tier] = Field(
        min_length=1, description="Tiers bottom-up; all but the highest with a capacity. [-]"
    )
    start_year: int = Field(description="First calendar year of the plan. [year]")
    max_years: int = Field(
        default=MAX_RECLAMATION_YEARS,
        ge=1,
        description="Legal limit on the years of technical reclamation (15, Rules п. 28). [years]",
    )
    annual_dump_volume: float | None = Field(
        default=None,
        gt=0,
        description="V_отв.г, waste placed per year as volume in the dump; give it with "
        "annual_placed_volume, or give waste_streams instead. [m³/year]",
    )
    annual_placed_volume: float | None = Field(
        default=None,
        gt=0,
        description="V_р.г, the same waste as delivered (before loosening/compaction). [m³/year]",
    )
    waste_streams: list[WasteStream] | None = Field(
        default=None,
        min_length=1,
        description="The annual waste streams, instead of the two annual volumes. [-]",
    )
    planning_area: float | None = Field(
        default=None, ge=0, description="S_пл, area of the finishing planning (3.2). [m²]"
    )
    specific_planning_volume: float = Field(
        default=SPECIFIC_PLANNING_VOLUME,
        gt=0,
        description="q, specific volume of the finishing planning (0.1 by [8]). [m³/m²]",
    )
    layer_area: float | None = Field(
        default=None, ge=0, description="S_рс, area covered by the reclamation layer (3.3). [m²]"
    )
    layer_thickness: float = Field(
        default=MIN_LAYER_THICKNESS,
        gt=0,
        description="h_рс, thickness of the reclamation layer, at least 0.3 by [8]. [m]",
    )
    imported_layer_volume: float | None = Field(
        default=None,
        ge=0,
        description="V_ППП, volume of potentially fertile rock brought in; needs layer_area. [m³]",
    )


def _annual_volumes(inputs: BackfillScheduleInputs) -> tuple[float, float, list[Quantity]]:
    """Pick the annual volumes from the inputs or compute them from the streams."""
    pair = (inputs.annual_dump_volume, inputs.annual_placed_volume)
    if inputs.waste_streams is not None:
        if any(v is not None for v in pair):
            raise ValueError(
                "give either waste_streams or annual_dump_volume with annual_placed_volume, "
                "not both"
            )
        s = stream_volumes(inputs.waste_streams)
        note = (
            "unrounded sum of the streams; 003 uses the printed 512.3 and 554.3, so its "
            "15-year figures differ by up to 15 × 0.02 = 0.3 thousand m³"
        )
        return (
            s.total_dump_volume,
            s.total_volume,
            [
                Quantity.of("backfill_annual_dump_volume_thousand_m3_year", s.total_dump_volume / K,
                            equation=TABLE_4, note=note),
                Quantity.of("backfill_annual_placed_volume_thousand_m3_year", s.total_volume / K,
                            equation=TABLE_4, note=note),
            ],
        )  # fmt: skip
    dump, placed = pair
    if dump is None or placed is None:
        raise ValueError(
            "give annual_dump_volume and annual_placed_volume together, or waste_streams"
        )
    return (
        dump,
        placed,
        [
            Quantity.of("backfill_annual_dump_volume_thousand_m3_year", dump / K, equation=SEC_3_1),
            Quantity.of(
                "backfill_annual_placed_volume_thousand_m3_year", placed / K, equation=TABLE_4
            ),
        ],
    )


def _tier_labels(tiers: list[Tier]) -> list[str]:
    """Return the tiers' labels (+650) after checking their order and capacities."""
    labels = [f"{t.elevation:+g}" for t in tiers]
    if any(b.elevation <= a.elevation for a, b in pairwise(tiers)):
        raise ValueError(f"tiers must be listed bottom-up with rising elevations, got {labels}")
    missing = [lab for lab, t in zip(labels[:-1], tiers[:-1], strict=True) if t.capacity is None]
    if missing:
        raise ValueError(f"every tier but the highest needs a capacity; missing for {missing}")
    if tiers[-1].capacity is not None:
        raise ValueError(
            f"omit the capacity of the highest tier {labels[-1]}: it takes the rest of "
            "remaining_capacity"
        )
    return labels


def _split_years(plan: BackfillSchedule) -> set[int]:
    """Return the years in which a tier becomes full (their volume is split between tiers)."""
    return {int(y) for y in plan.tier_fill_year if y >= 0}


def _cell_quantities(plan: BackfillSchedule, labels: list[str]) -> list[Quantity]:
    """Report every cell of the calendar plan, tier by tier (Table 5 of 003)."""
    out: list[Quantity] = []
    split_years = _split_years(plan)
    placed = plan.placed_volume
    for i, tier in enumerate(labels):
        for j, year in enumerate(plan.years.tolist()):
            split = year in split_years and plan.dump_volume[i, j] > 0
            if placed is not None:
                out.append(
                    Quantity.of("backfill_placed_volume_thousand_m3", float(placed[i, j]) / K,
                                equation=TABLE_5, note=SPLIT_NOTE if split else "", tier=tier,
                                year=str(year))
                )  # fmt: skip
            out.append(
                Quantity.of("backfill_dump_volume_thousand_m3", float(plan.dump_volume[i, j]) / K,
                            equation=TABLE_5, tier=tier, year=str(year))
            )  # fmt: skip
    return out


def _year_quantities(plan: BackfillSchedule) -> list[Quantity]:
    """Report the sums of every year over the tiers (Table 5 of 003)."""
    out: list[Quantity] = []
    by_year_placed = plan.placed_volume_by_year
    for j, year in enumerate(plan.years.tolist()):
        if by_year_placed is not None:
            out.append(
                Quantity.of("backfill_year_placed_volume_thousand_m3",
                            float(by_year_placed[j]) / K, equation=TABLE_5, year=str(year))
            )  # fmt: skip
        out.append(
            Quantity.of("backfill_year_dump_volume_thousand_m3",
                        float(plan.dump_volume_by_year[j]) / K, equation=TABLE_5, year=str(year))
        )  # fmt: skip
    return out


def _tier_quantities(plan: BackfillSchedule, labels: list[str]) -> list[Quantity]:
    """Report the sums of every tier over the plan, and whether and when it fills (Table 5)."""
    out: list[Quantity] = []
    fill_year = plan.tier_fill_year
    split_years = _split_years(plan)
    by_tier_placed = plan.placed_volume_by_tier
    for i, tier in enumerate(labels):
        if by_tier_placed is not None:
            split = any(
                int(y) in split_years and plan.dump_volume[i, k] > 0
                for k, y in enumerate(plan.years)
            )
            note = "003 prints 4154.2 and 4160.3: see the split year" if split else ""
            out.append(
                Quantity.of("backfill_tier_placed_volume_thousand_m3",
                            float(by_tier_placed[i]) / K, equation=TABLE_5, note=note, tier=tier)
            )  # fmt: skip
        out += [
            Quantity.of("backfill_tier_dump_volume_thousand_m3",
                        float(plan.dump_volume_by_tier[i]) / K, equation=TABLE_5, tier=tier),
            Quantity.of("backfill_tier_full", bool(plan.tier_filled[i]), equation=TABLE_5,
                        tier=tier),
        ]  # fmt: skip
        if fill_year[i] >= 0:
            out.append(
                Quantity.of("backfill_tier_fill_year", int(fill_year[i]), equation=TABLE_5,
                            item=tier, tier=tier)
            )  # fmt: skip
    return out


def _plan_quantities(plan: BackfillSchedule) -> list[Quantity]:
    """Report the totals of the plan and whether the void fills within the limit."""
    out: list[Quantity] = []
    if plan.total_placed_volume is not None:
        out.append(
            Quantity.of("backfill_plan_placed_volume_thousand_m3", plan.total_placed_volume / K,
                        equation=TABLE_5)
        )  # fmt: skip
    return [
        *out,
        Quantity.of("backfill_plan_dump_volume_thousand_m3", plan.total_dump_volume / K,
                    equation=TABLE_5),
        Quantity.of("backfill_unfilled_capacity_thousand_m3", plan.unfilled_capacity / K,
                    equation=SEC_3_1),
        Quantity.of("backfill_beyond_limit", not plan.filled, equation=SEC_3_1),
    ]  # fmt: skip


def _schedule_quantities(plan: BackfillSchedule, labels: list[str]) -> list[Quantity]:
    """Report every cell of the calendar plan and its sums (Table 5 of 003)."""
    return (
        _cell_quantities(plan, labels)
        + _year_quantities(plan)
        + _tier_quantities(plan, labels)
        + _plan_quantities(plan)
    )


def _planning_quantities(inputs: BackfillScheduleInputs, surface: SurfaceWorks) -> list[Quantity]:
    """Report the finishing planning (3.2) when its area is given."""
    if inputs.planning_area is None or surface.planning_volume_m3 is None:
        return []
    return [
        Quantity.of("planning_area_thousand_m2", inputs.planning_area / K, equation=SEC_3_2),
        Quantity.of("planning_specific_volume_m3_m2", inputs.specific_planning_volume,
                    equation=SEC_3_2),
        Quantity.of("planning_volume_thousand_m3", surface.planning_volume_m3 / K,
                    equation=SEC_3_2, note="003 prints 17 (whole thousands)"),
    ]  # fmt: skip


def _layer_quantities(inputs: BackfillScheduleInputs, surface: SurfaceWorks) -> list[Quantity]:
    """Report the reclamation layer (3.3) and the rock brought in when their areas are given."""
    if inputs.layer_area is None or surface.layer_volume_m3 is None:
        return []
    out = [
        Quantity.of("layer_area_thousand_m2", inputs.layer_area / K, equation=SEC_3_3),
        Quantity.of("layer_thickness_m", inputs.layer_thickness, equation=SEC_3_3),
        Quantity.of("layer_volume_thousand_m3", surface.layer_volume_m3 / K, equation=SEC_3_3,
                    note="003 prints no area and no required volume, only 156 brought in"),
    ]  # fmt: skip
    h = surface.imported_layer_thickness_m
    if inputs.imported_layer_volume is None or h is None:
        return out
    return [
        *out,
        Quantity.of("layer_imported_volume_thousand_m3", inputs.imported_layer_volume / K,
                    equation=SEC_3_3),
        Quantity.of("layer_imported_thickness_m", h, equation=SEC_3_3),
        Quantity.of("layer_imported_thickness_sufficient", h >= inputs.layer_thickness,
                    equation=SEC_3_3),
    ]  # fmt: skip


def _surface_quantities(inputs: BackfillScheduleInputs) -> list[Quantity]:
    """Report the planning (3.2) and reclamation-layer (3.3) volumes whose areas are given."""
    surface = surface_works(
        inputs.planning_area,
        inputs.specific_planning_volume,
        inputs.layer_area,
        inputs.layer_thickness,
        inputs.imported_layer_volume,
    )
    return _planning_quantities(inputs, surface) + _layer_quantities(inputs, surface)


def _capacity_quantities(
    inputs: BackfillScheduleInputs, labels: list[str]
) -> tuple[npt.NDArray[np.float64], list[Quantity]]:
    """Return the capacity of every tier (the highest takes the rest) and report it."""
    lower = [t.capacity for t in inputs.tiers[:-1] if t.capacity is not None]
    try:
        capacity = tier_capacity(inputs.remaining_capacity, [*lower, None])
    except ValueError as exc:
        raise ValueError(f"tiers: {exc}") from None
    out = [
        Quantity.of("backfill_remaining_capacity_thousand_m3", inputs.remaining_capacity / K,
                    equation="003 Table 3", void="void")
    ]  # fmt: skip
    for tier, cap in zip(labels, capacity.tolist(), strict=True):
        rest = tier == labels[-1]
        out.append(
            Quantity.of("backfill_tier_capacity_thousand_m3", cap / K,
                        equation=SEC_3_1 if rest else TABLE_5,
                        note="the rest of V_ост: this tier and all above it" if rest else "",
                        item=tier, tier=tier)
        )  # fmt: skip
    return capacity, out


def compute(inputs: BackfillScheduleInputs) -> list[Quantity]:
    """Compute the filling time, the calendar plan, and the planning and layer volumes."""
    annual_dump, annual_placed, out = _annual_volumes(inputs)
    labels = _tier_labels(inputs.tiers)
    capacity, capacity_rows = _capacity_quantities(inputs, labels)
    solution = backfill_plan(
        capacity, annual_dump, inputs.max_years, inputs.start_year, annual_placed
    )
    return [
        *out,
        *capacity_rows,
        Quantity.of("backfill_filling_time_years", solution.filling_time_years, equation=SEC_3_1,
                    note="003 prints «53 года», the whole years of work"),
        Quantity.of("backfill_filling_whole_years", solution.whole_years, equation=SEC_3_1),
        *_schedule_quantities(solution.schedule, labels),
        *_surface_quantities(inputs),
    ]  # fmt: skip


def _abaza_common() -> dict[str, Any]:
    return {
        "remaining_capacity": 27_000.0e3,
        "tiers": [{"elevation": 650.0, "capacity": 3839.5e3}, {"elevation": 680.0}],
        "start_year": 2022,
        "max_years": 15,
        "planning_area": 166.0e3,
        "specific_planning_volume": 0.1,
        "layer_area": 463.0e3,
        "layer_thickness": 0.3,
        "imported_layer_volume": 156.0e3,
    }


def abaza_example() -> dict[str, Any]:
    """Return the inputs of 003 sections 3.1-3.3 with the annual volumes as printed.

    Tier +650 holds 3839.5 thousand m³ (its total in Table 5); +680 takes the rest of the
    27 000. The layer area is the dump area of Table 3 (003 prints no area for the layer).
    """
    return {**_abaza_common(), "annual_dump_volume": 512.3e3, "annual_placed_volume": 554.3e3}


def abaza_streams_example() -> dict[str, Any]:
    """Return the same inputs with the annual volume computed from the four waste streams."""
    return {**_abaza_common(), "waste_streams": abaza_streams()}


BACKFILL_SCHEDULE = register(
    Calculation(
        name="backfill-schedule",
        title="Filling time and calendar plan of a void backfilled by tiers",
        source="003, sections 3.1-3.3, Tables 3 and 5",
        inputs_model=BackfillScheduleInputs,
        compute=compute,
        examples={"abaza": abaza_example, "abaza-streams": abaza_streams_example},
    )
)
