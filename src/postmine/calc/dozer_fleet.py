"""``postmine calc dozer-fleet``: bulldozer output and fleet (003, sec. 4.3, Tables 13-15).

The drag prism from the blade, the cycle, the push loss factor, the technical and the
shift output of the bulldozer; the annual volume of dozing over the waste streams, the
volume per shift, the working and the inventory fleet. The bulldozer comes from the
equipment catalogue (:mod:`postmine.data.equipment`) by name: blade height and width,
pushing and return speeds, gear-change time.

003 rounds the cycle time to 44 s and Kп to 0.93 before computing the output and prints
231 m³/h and 1479 m³/shift; the code does not round intermediates (230.2 and 1473).

The steps are structured functions shared with the project engine
(:mod:`postmine.project.backfill`): :func:`solve_output` (Table 14) and
:func:`solve_fleet` (Table 15); :func:`compute` reports what they return.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import Field, field_validator, model_validator

from postmine.calc.base import Calculation, CalculationInputs, Quantity, register
from postmine.data.equipment import Bulldozer, get_equipment
from postmine.methods.dozing import (
    dozer_cycle_time,
    dozer_shift_output,
    dozer_technical_output,
    dozer_travel_time,
    dozing_volume,
    drag_prism_volume,
    inventory_fleet,
    push_loss_factor,
)
from postmine.methods.haulage import required_fleet, round_up_fleet, shift_volume

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


@dataclass(frozen=True)
class DozerOutput:
    """Cycle and output of the bulldozer (Table 14 of 003).

    Attributes
    ----------
    drag_prism_volume : float
        Vпр, drag prism from the blade. [m³]
    push_time : float
        tд.г, time of the push. [s]
    return_time : float
        tд.п, time of the return run. [s]
    cycle_time : float
        tц, cycle time. [s]
    push_loss_factor : float
        Kп, push loss factor. [-]
    technical_output : float
        Пт, technical output. [m³/h]
    shift_output : float
        Псм, operating output per shift. [m³/shift]
    """

    drag_prism_volume: float
    push_time: float
    return_time: float
    cycle_time: float
    push_loss_factor: float
    technical_output: float
    shift_output: float


def solve_output(
    dozer: Bulldozer,
    push_distance: float,
    material_repose_angle: float,
    loosening_factor: float,
    terrain_factor: float,
    shift_duration: float,
    utilisation: float,
    push_loss_rate: float = 0.005,
) -> DozerOutput:
    """Compute the bulldozer's cycle, technical and shift output (Table 14 of 003).

    Used by :func:`compute` and by the project engine.

    Raises
    ------
    ValueError
        If a value is out of range as in :mod:`postmine.methods.dozing`.
    """
    L = push_distance
    V_пр = float(
        drag_prism_volume(dozer.blade_height_m, dozer.blade_width_m, material_repose_angle)
    )
    t_дг = float(dozer_travel_time(L, dozer.loaded_speed_m_s))
    t_дп = float(dozer_travel_time(L, dozer.return_speed_m_s))
    t_ц = float(
        dozer_cycle_time(L, dozer.loaded_speed_m_s, dozer.return_speed_m_s, dozer.gear_shift_time_s)
    )
    K_п = float(push_loss_factor(L, push_loss_rate))
    П_т = float(dozer_technical_output(V_пр, t_ц, K_п, terrain_factor, loosening_factor))
    П_см = float(dozer_shift_output(П_т, shift_duration, utilisation))
    return DozerOutput(V_пр, t_дг, t_дп, t_ц, K_п, П_т, П_см)


@dataclass(frozen=True)
class DozerFleet:
    """The bulldozer fleet of Table 15 of 003.

    Attributes
    ----------
    dozing_volume : float
        Vб, annual volume of dozing. [thousand m³/year]
    shift_volume : float
        Vсм, volume of dozing per shift. [m³/shift]
    working_fleet : float
        Nр, working fleet, not rounded. [-]
    inventory_fleet : float
        Nр Kр, inventory fleet, not rounded. [-]
    whole : int
        Inventory fleet in whole machines. [-]
    """

    dozing_volume: float
    shift_volume: float
    working_fleet: float
    inventory_fleet: float
    whole: int


def solve_fleet(
    dumped_volume_thousand_m3: float,
    dozed_fraction: float,
    shift_output: float,
    working_days: int,
    shifts_per_day: int,
    reserve_factor: float,
    fleet_rel_tol: float,
) -> DozerFleet:
    """Compute the bulldozer fleet from the volume unloaded on the dump (Table 15 of 003).

    Used by :func:`compute` and by the project engine.

    Raises
    ------
    ValueError
        If a value is out of range as in :mod:`postmine.methods.dozing` and
        :mod:`postmine.methods.haulage`.
    """
    V_б = float(dozing_volume(dumped_volume_thousand_m3, dozed_fraction))
    V_см = float(shift_volume(V_б * 1000.0, working_days, shifts_per_day))
    N_р = float(required_fleet(V_см, shift_output))
    N_инв = float(inventory_fleet(N_р, reserve_factor))
    return DozerFleet(V_б, V_см, N_р, N_инв, int(round_up_fleet(N_инв, fleet_rel_tol)))


def compute(inputs: DozerFleetInputs) -> list[Quantity]:
    """Compute the bulldozer's output and the bulldozer fleet."""
    dozer = get_equipment(inputs.bulldozer, Bulldozer)
    name = dozer.name
    output = solve_output(
        dozer,
        inputs.push_distance,
        inputs.material_repose_angle,
        inputs.loosening_factor,
        inputs.terrain_factor,
        inputs.shift_duration,
        inputs.utilisation,
        inputs.push_loss_rate,
    )
    V_пр, t_дг, t_дп, t_ц = (
        output.drag_prism_volume,
        output.push_time,
        output.return_time,
        output.cycle_time,
    )
    K_п, П_т, П_см = output.push_loss_factor, output.technical_output, output.shift_output
    fleet = solve_fleet(
        sum(s.annual_volume_thousand_m3 for s in inputs.streams),
        inputs.dozed_fraction,
        П_см,
        inputs.working_days,
        inputs.shifts_per_day,
        inputs.reserve_factor,
        inputs.fleet_rel_tol,
    )
    V_б, V_см, N_р, N_инв, whole = (
        fleet.dozing_volume,
        fleet.shift_volume,
        fleet.working_fleet,
        fleet.inventory_fleet,
        fleet.whole,
    )
    strict = int(round_up_fleet(N_инв, 0.0))
    out = [
        Quantity(
            f"H[{name}]",
            "blade height",
            dozer.blade_height_m,
            "m",
            dozer.source_of("blade_height_m"),
        ),
        Quantity(
            f"B[{name}]", "blade width", dozer.blade_width_m, "m", dozer.source_of("blade_width_m")
        ),
        Quantity(
            f"V_д.г[{name}]",
            "pushing speed",
            dozer.loaded_speed_m_s,
            "m/s",
            dozer.source_of("loaded_speed_m_s"),
        ),
        Quantity(
            f"V_д.п[{name}]",
            "return speed",
            dozer.return_speed_m_s,
            "m/s",
            dozer.source_of("return_speed_m_s"),
        ),
        Quantity(
            f"t_в[{name}]",
            "auxiliary time per cycle (gear changes)",
            dozer.gear_shift_time_s,
            "s",
            dozer.source_of("gear_shift_time_s"),
        ),
        Quantity(
            "V_пр",
            "drag prism volume",
            V_пр,
            "m³",
            TABLE_14,
            note=f"003 Table 13 gives the manufacturer's {dozer.drag_prism_volume_m3:g} m³; "
            "003 Table 14 computes from the blade, as here",
        ),
        Quantity("t_д.г", "time of the push", t_дг, "s", TABLE_14),
        Quantity("t_д.п", "time of the return run", t_дп, "s", TABLE_14),
        Quantity("t_ц", "cycle time", t_ц, "s", TABLE_14, note="003 rounds it to whole s (44)"),
        Quantity(
            "K_п",
            "push loss factor",
            K_п,
            "",
            TABLE_14,
            note="003 rounds it to 0.01 (0.93) before using it",
        ),
        Quantity(
            "П_т",
            "technical output of the bulldozer",
            П_т,
            "m³/h",
            TABLE_14,
            note="003 prints 231, from t_ц and K_п rounded to 44 s and 0.93",
        ),
        Quantity(
            "П_см",
            "operating output of the bulldozer per shift",
            П_см,
            "m³/shift",
            TABLE_14,
            note="003 prints 1479, from t_ц and K_п rounded to 44 s and 0.93",
        ),
    ]
    out += [
        Quantity(
            f"V[{s.name}]",
            "annual volume unloaded",
            s.annual_volume_thousand_m3,
            "thousand m³/year",
            TABLE_15,
        )
        for s in inputs.streams
    ]
    out += [
        Quantity("V_б", "annual volume of dozing", V_б, "thousand m³/year", TABLE_15),
        Quantity("V_см", "volume of dozing per shift", V_см, "m³/shift", TABLE_15),
        Quantity("N_р", "working fleet of bulldozers", N_р, "", TABLE_15),
        Quantity("N_р·K_р", "inventory fleet, not rounded", N_инв, "", TABLE_15),
        Quantity(
            "N_инв",
            "inventory fleet of bulldozers, whole machines",
            whole,
            "",
            TABLE_15,
            note=(
                f"a strict ceiling gives {strict}: the excess over a whole number is within "
                f"the rounding tolerance {inputs.fleet_rel_tol:g}"
                if strict != whole
                else ""
            ),
        ),
    ]
    return out


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
