"""What the parts of the backfill design (document 003) share.

The activities the design emits and the keys of its tables (in the order of 003), the units
and row helpers of the tables, the records the cached stages hand to the design, and the
attributes one run of the design holds (:class:`_DesignState`), which the parts'
table methods read: :mod:`~postmine.project.backfill.calendar_plan` (003 Tables 4-5),
:mod:`~postmine.project.backfill.surface` (sec. 3.2-4.2) and
:mod:`~postmine.project.backfill.fleet` (Tables 6-15).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from postmine.calc import backfill_schedule as backfill_calc
from postmine.calc import dozer_fleet as dozer_calc
from postmine.calc import loader_fleet as loader_calc
from postmine.calc import truck_fleet as truck_calc
from postmine.data.equipment import Bulldozer, FrontLoader, Truck
from postmine.methods.backfill import WasteStreamVolumes
from postmine.project.model import (
    Column,
    Finding,
    MaterialItem,
    Table,
    Text,
    WorkItem,
    text,
)
from postmine.project.rules import RuleSet
from postmine.project.schema import ProjectFile, Void, WasteStream, WorkRegime

__all__ = [
    "ACTIVITIES",
    "ALL_MODELS",
    "DOZE_WASTE",
    "HAUL_WASTE",
    "LAYER_MATERIAL",
    "MOBILISATION",
    "PARAMETER_COLUMNS",
    "RECLAMATION_LAYER",
    "SURFACE_PLANNING",
    "TABLE_KEYS",
    "TM3",
    "TOTAL",
    "K",
]

K = 1e3  # the source's thousand (t, m³, m²)
_EPS = 1e-9

HAUL_WASTE = "haul-waste"
DOZE_WASTE = "doze-waste"
SURFACE_PLANNING = "surface-planning"
RECLAMATION_LAYER = "reclamation-layer"
MOBILISATION = "mobilisation"

#: Activities this design emits, with their names for readers.
ACTIVITIES: dict[str, Text] = {
    MOBILISATION: text("Mobilisation and demobilisation", "Мобилизация и демобилизация техники"),
    HAUL_WASTE: text(
        "Excavation, loading and haulage of waste to the dump",
        "Экскавация, погрузка и транспортировка отходов на отвал",
    ),
    DOZE_WASTE: text("Bulldozer dumping", "Бульдозерное отвалообразование"),
    SURFACE_PLANNING: text(
        "Finishing planning of the dump surface", "Чистовая планировка поверхности отвала"
    ),
    RECLAMATION_LAYER: text(
        "Placing the reclamation layer", "Формирование рекультивационного слоя"
    ),
}

#: Keys of the tables, in the order of 003.
TABLE_KEYS = (
    "waste_volumes",
    "filling_time",
    "calendar_plan",
    "surface_planning",
    "reclamation_layer",
    "fleet",
    "loader_output",
    "loader_fleet",
    "slide_prism",
    "truck_output",
    "truck_fleet",
    "dozer_output",
    "dozer_fleet",
    "timeline",
)

LAYER_MATERIAL = "layer-material"
TM3 = "thousand m³"
TOTAL = text("Total", "Итого")
ALL_MODELS = text("all models", "все модели")

_VOID_NAMES: dict[str, tuple[str, str]] = {
    "collapse-crater": ("collapse crater", "воронки обрушения"),
    "pit": ("pit", "карьерной выемки"),
    "other": ("void", "выемки"),
}


def _col(key: str, en: str, ru: str, unit: str = "") -> Column:
    return Column(key, text(en, ru), unit)


PARAMETER_COLUMNS = [
    _col("parameter", "Parameter", "Параметры"),
    _col("symbol", "Symbol", "Обозначение"),
    _col("value", "Value", "Значение"),
    _col("unit", "Unit", "Ед. изм."),
    _col("quantity", "Key", "Ключ"),
]


# ---- small helpers -------------------------------------------------------------------


def _floats(values: npt.ArrayLike) -> npt.NDArray[np.float64]:
    return np.asarray(values, dtype=np.float64)


def _frozen(*arrays: npt.NDArray[Any]) -> None:
    """Make cached arrays read-only so no caller can change what the cache hands out."""
    for a in arrays:
        a.setflags(write=False)


def _en(x: float, digits: int = 1) -> str:
    return f"{x:.{digits}f}"


def _ru(x: float, digits: int = 1) -> str:
    return f"{x:.{digits}f}".replace(".", ",")


def _param(quantity: str, en: str, ru: str, symbol: str, value: Any, unit: str) -> dict[str, Any]:
    return {
        "parameter": text(en, ru),
        "symbol": symbol,
        "value": value,
        "unit": unit,
        "quantity": quantity,
    }


# ---- what the stages hand to the design, and what one run holds ---------------------


@dataclass(frozen=True)
class _Limit:
    years: int | None
    source: str
    end_year: int | None


@dataclass(frozen=True)
class _LoaderStage:
    """Loads per truck and loader output: waste pairs (Table 8) and the layer's pairs."""

    loader: FrontLoader
    trucks: tuple[Truck, ...]
    loads: loader_calc.TruckLoads
    output: loader_calc.LoaderOutput
    layer_loads: loader_calc.TruckLoads
    layer_output: loader_calc.LoaderOutput


class _DesignState:
    """The attributes one run of the backfill design holds, declared once for all its parts.

    :class:`~postmine.project.backfill.design._Design` sets them step by step (inputs,
    backfill, fleet, surface and layer, work items); the table methods of the parts read them.
    Units: as the names and the source's symbols say (``T_см`` in h, volumes ending in ``_k``
    in thousand m³, other volumes in m³, shifts in machine-shifts, years in years).
    """

    # inputs (the constructor)
    p: ProjectFile
    void: Void
    rules: RuleSet
    limit: _Limit
    regime: WorkRegime
    T_см: float
    n: int
    N: int
    N_loader: int
    # results handed back in the DesignPart
    tables: list[Table]
    findings: list[Finding]
    work: list[WorkItem]
    materials: list[MaterialItem]
    activity_years: dict[str, tuple[int, int]]
    # the backfill (003 Table 4, sec. 3.1, Table 5)
    streams: list[WasteStream]
    volumes: WasteStreamVolumes
    capacity: npt.NDArray[np.float64]
    backfill: backfill_calc.BackfillSolution
    plan_years: list[int]
    year_share: list[float]
    backfill_end: float
    # the fleet (003 Tables 6-15)
    fleet_streams: list[int]
    stage: _LoaderStage
    dozer: Bulldozer
    dozer_output: dozer_calc.DozerOutput
    fleet_volume_k: npt.NDArray[np.float64]
    truck_out: truck_calc.TruckOutput
    layer_truck_out: truck_calc.TruckOutput
    pair_stream: list[int]
    pair_truck: list[str]
    truck_fleet: truck_calc.TruckFleet | None
    loader_fleet: loader_calc.LoaderFleet | None
    dozer_fleet: dozer_calc.DozerFleet | None
    # the surface planning, the reclamation layer and the slide prism (003 sec. 3.2-4.2)
    surface: backfill_calc.SurfaceSolution
    prism: float
    dozer_shifts_per_year: float
    layer_volume: float
    layer_model_volume: npt.NDArray[np.float64]
    planning_shifts: float
    layer_truck_shifts: dict[str, float]
    layer_loader_shifts: float
    layer_dozer_shifts: float
    truck_shifts_per_year: dict[str, float]
    loader_shifts_per_year: int
    planning_spread: list[tuple[int, float]]
    layer_spread: list[tuple[int, float]]
    layer_duration: float
