"""``postmine calc dozer-fleet``: bulldozer output and fleet (003, sec. 4.3, Tables 13-15).

The drag prism from the blade, the cycle, the push loss factor, the technical and the
shift output of the bulldozer; the annual volume of dozing over the waste streams, the
volume per shift, the working and the inventory fleet. The bulldozer comes from the
equipment catalogue (:mod:`postmine.data.equipment`) by name: blade height and width,
pushing and return speeds, gear-change time.

003 rounds the cycle time to 44 s and Kп to 0.93 before computing the output and prints
231 m³/h and 1479 m³/shift; the code does not round intermediates (230.2 and 1473).

This module is the calculator's adapter: it parses the inputs, calls the bulldozer link of
the 003 machine chain (:func:`postmine.chains.dozing.dozer_output` and
:func:`~postmine.chains.dozing.dozer_fleet`, SI inside) and reports what they return in the
source's units.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, field_validator, model_validator

from postmine.calc.base import Calculation, CalculationInputs, Quantity, register
from postmine.calc.loader_fleet import catalogue_quantity
from postmine.chains.dozing import DozerFleet, DozerOutput, dozer_fleet, dozer_output
from postmine.chains.machines import SECONDS_PER_HOUR, ShiftRegime
from postmine.data.equipment import Bulldozer, get_equipment
from postmine.methods.haulage import round_up_fleet

K = 1e3  # the source's thousand m³
TABLE_14, TABLE_15 = "003 Table 14", "003 Table 15"


class DumpedStream(CalculationInputs):
    """One waste stream unloaded on the dump."""

    name: str = Field(min_length=1, description="Name of the stream, indexes the results. [-]")
    annual_volume_thousand_m3: float = Field(
        ge=0, description="Annual volume unloaded on the dump, in place. [thousand m³/year]"
    )


class DozerFleetInputs(CalculationInputs):
    """Inputs of the bulldozer output and fleet."""

    bulldozer: str = Field(description="Bulldozer model, a name of the equipment catalogue. [-]")
    push_distance: float = Field(
        ge=0, description="Lд.г, distance the material is pushed (return run the same). [m]"
    )
    push_loss_rate: float = Field(
        default=0.005, ge=0, le=0.05, description="Share of the prism lost per metre. [1/m]"
    )
    material_repose_angle: float = Field(
        gt=0, lt=90, description="φ, angle of repose of the material in motion. [°]"
    )
    loosening_factor: float = Field(
        ge=1, le=3, description="kр, loosening factor of the pushed material. [-]"
    )
    terrain_factor: float = Field(
        gt=0, le=2, description="Kд, factor of the terrain (slope of the push). [-]"
    )
    shift_duration: float = Field(gt=0, le=24, description="t, duration of a shift. [h]")
    utilisation: float = Field(
        gt=0, le=1, description="kи, share of the shift time used for work. [-]"
    )
    streams: list[DumpedStream] = Field(
        min_length=1, description="Waste streams unloaded on the dump. [-]"
    )
    dozed_fraction: float = Field(
        ge=0, le=1, description="Kз, share of the unloaded volume the bulldozer pushes. [-]"
    )
    working_days: int = Field(
        gt=0, le=366, description="N, working days of the enterprise per year. [day/year]"
    )
    shifts_per_day: int = Field(ge=1, le=4, description="n, shifts per day. [shift/day]")
    reserve_factor: float = Field(ge=1, le=3, description="Kр, reserve factor of the fleet. [-]")
    fleet_rel_tol: float = Field(
        default=0.005,
        ge=0,
        le=0.1,
        description="Relative excess over a whole number not rounded up to one more machine. [-]",
    )

    @field_validator("bulldozer")
    @classmethod
    def _known_bulldozer(cls, value: str) -> str:
        return get_equipment(value, Bulldozer).name

    @model_validator(mode="after")
    def _unique_streams(self) -> DozerFleetInputs:
        names = [s.name for s in self.streams]
        if len(set(names)) != len(names):
            raise ValueError(f"stream names must be unique, got {names}")
        return self


def _solve(inputs: DozerFleetInputs, dozer: Bulldozer) -> tuple[DozerOutput, DozerFleet]:
    """Run the bulldozer link of the 003 chain (SI): Tables 14 and 15."""
    shift_duration_s = inputs.shift_duration * SECONDS_PER_HOUR
    output = dozer_output(
        dozer,
        inputs.push_distance,
        inputs.material_repose_angle,
        inputs.loosening_factor,
        inputs.terrain_factor,
        shift_duration_s,
        inputs.utilisation,
        inputs.push_loss_rate,
    )
    fleet = dozer_fleet(
        sum(s.annual_volume_thousand_m3 for s in inputs.streams) * K,
        inputs.dozed_fraction,
        output.shift_output_m3,
        ShiftRegime(shift_duration_s, inputs.shifts_per_day, inputs.working_days),
        inputs.reserve_factor,
        inputs.fleet_rel_tol,
    )
    return output, fleet


def _catalogue_rows(dozer: Bulldozer) -> list[Quantity]:
    """Report the bulldozer's catalogue figures with their source (Tables 13, 14)."""
    rows = [
        ("dozer_blade_height_m", "blade_height_m"),
        ("dozer_blade_width_m", "blade_width_m"),
        ("dozer_loaded_speed_m_s", "loaded_speed_m_s"),
        ("dozer_return_speed_m_s", "return_speed_m_s"),
        ("dozer_gear_shift_time_s", "gear_shift_time_s"),
    ]
    return [catalogue_quantity(key, dozer, field) for key, field in rows]


def _output_rows(dozer: Bulldozer, o: DozerOutput) -> list[Quantity]:
    """Report the cycle and the outputs of the bulldozer (Table 14)."""
    printed = "003 prints {}, from t_ц and K_п rounded to 44 s and 0.93"
    return [
        Quantity.of(
            "dozer_drag_prism_volume_m3",
            o.drag_prism_volume_m3,
            equation=TABLE_14,
            note=f"003 Table 13 gives the manufacturer's {dozer.drag_prism_volume_m3:g} "
            "m³; 003 Table 14 computes from the blade, as here",
        ),
        Quantity.of("dozer_push_time_s", o.push_time_s, equation=TABLE_14),
        Quantity.of("dozer_return_time_s", o.return_time_s, equation=TABLE_14),
        Quantity.of(
            "dozer_cycle_time_s",
            o.cycle_time_s,
            equation=TABLE_14,
            note="003 rounds it to whole s (44)",
        ),
        Quantity.of(
            "dozer_push_loss_factor",
            o.push_loss_factor,
            equation=TABLE_14,
            note="003 rounds it to 0.01 (0.93) before using it",
        ),
        Quantity.of(
            "dozer_technical_output_m3_h",
            o.technical_output_m3_h,
            equation=TABLE_14,
            note=printed.format(231),
        ),
        Quantity.of(
            "dozer_shift_output_m3_shift",
            o.shift_output_m3,
            equation=TABLE_14,
            note=printed.format(1479),
        ),
    ]


def _fleet_rows(inputs: DozerFleetInputs, fleet: DozerFleet) -> list[Quantity]:
    """Report the volumes of dozing and the bulldozer fleet (Table 15)."""
    strict = int(round_up_fleet(fleet.inventory_fleet, 0.0))
    note = (
        f"a strict ceiling gives {strict}: the excess over a whole number is within "
        f"the rounding tolerance {inputs.fleet_rel_tol:g}"
        if strict != fleet.whole
        else ""
    )
    dumped = [
        Quantity.of(
            "dozer_dumped_volume_thousand_m3_year",
            s.annual_volume_thousand_m3,
            equation=TABLE_15,
            item=s.name,
        )
        for s in inputs.streams
    ]
    return [
        *dumped,
        Quantity.of(
            "dozer_dozing_volume_thousand_m3_year", fleet.dozing_volume_m3 / K, equation=TABLE_15
        ),
        Quantity.of("dozer_shift_volume_m3_shift", fleet.shift_volume_m3, equation=TABLE_15),
        Quantity.of("dozer_working_fleet", fleet.working_fleet, equation=TABLE_15),
        Quantity.of("dozer_inventory_fleet", fleet.inventory_fleet, equation=TABLE_15),
        Quantity.of("dozer_inventory_fleet_whole", fleet.whole, equation=TABLE_15, note=note),
    ]


def compute(inputs: DozerFleetInputs) -> list[Quantity]:
    """Compute the bulldozer's output and the bulldozer fleet."""
    dozer = get_equipment(inputs.bulldozer, Bulldozer)
    output, fleet = _solve(inputs, dozer)
    return _catalogue_rows(dozer) + _output_rows(dozer, output) + _fleet_rows(inputs, fleet)


def abaza_example() -> dict[str, Any]:
    """Return the inputs of 003, Tables 14 and 15 (bulldozer T-170 on the Abaza dump).

    The dumped volumes are the in-situ volumes of waste rock and tailings of Table 4
    (49.1 and 465.1 thousand m³/year), as Table 15 uses them.
    """
    return {
        "bulldozer": "T-170",
        "push_distance": 15.0,
        "material_repose_angle": 36.0,
        "loosening_factor": 1.03,
        "terrain_factor": 0.8,
        "shift_duration": 8.0,
        "utilisation": 0.8,
        "streams": [
            {"name": "waste rock", "annual_volume_thousand_m3": 49.1},
            {"name": "tailings", "annual_volume_thousand_m3": 465.1},
        ],
        "dozed_fraction": 0.7,
        "working_days": 342,
        "shifts_per_day": 1,
        "reserve_factor": 1.4,
    }


DOZER_FLEET = register(
    Calculation(
        name="dozer-fleet",
        title="Bulldozer output per hour and shift, and bulldozer fleet",
        source="003, section 4.3, Tables 13-15",
        inputs_model=DozerFleetInputs,
        compute=compute,
        examples={"abaza": abaza_example},
    )
)
