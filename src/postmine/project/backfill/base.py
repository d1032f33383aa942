"""What the steps of the backfill design (document 003) share.

The activities the design emits and the keys of its tables (in the order of 003), the units
and row helpers of the tables, the legal limit of years and the inputs every step reads
(:class:`DesignInputs`). The steps themselves pass typed results to each other:
:mod:`~postmine.project.backfill.calendar_plan` (003 Table 4, sec. 3.1, Table 5),
:mod:`~postmine.project.backfill.fleet` (Tables 6-15), :mod:`~postmine.project.backfill.surface`
(sec. 3.2-4.2), :mod:`~postmine.project.backfill.work` (work items) and
:mod:`~postmine.project.backfill.findings`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from postmine.chains.machines import SECONDS_PER_HOUR, ShiftRegime
from postmine.data.quantities import quantity as quantity_info
from postmine.project.model import Column, Text, quantity_column, quantity_name, text
from postmine.project.rules import RuleSet
from postmine.project.schema import ProjectFile, Void

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
    "DesignInputs",
    "K",
    "TimeLimit",
    "activity_text",
    "col",
    "param",
    "quantity_col",
    "quantity_param",
    "time_limit",
]

K = 1e3  # the source's thousand (t, m³, m²), used only where a table prints it
EPS = 1e-9

HAUL_WASTE = "haul-waste"
DOZE_WASTE = "doze-waste"
SURFACE_PLANNING = "surface-planning"
RECLAMATION_LAYER = "reclamation-layer"
MOBILISATION = "mobilisation"


def activity_text(activity: str) -> Text:
    """Return the name of ``activity`` from the table of quantities (``activity_<name>``)."""
    info = quantity_info("activity_" + activity.replace("-", "_"))
    return text(info.en, info.ru)


#: Activities this design emits, with their names for readers: one label per activity, the
#: ``activity_*`` rows of ``data/quantities/costing.toml`` that the reports print too.
ACTIVITIES: dict[str, Text] = {
    activity: activity_text(activity)
    for activity in (MOBILISATION, HAUL_WASTE, DOZE_WASTE, SURFACE_PLANNING, RECLAMATION_LAYER)
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

VOID_NAMES: dict[str, tuple[str, str]] = {
    "collapse-crater": ("collapse crater", "воронки обрушения"),
    "pit": ("pit", "карьерной выемки"),
    "other": ("void", "выемки"),
}


def col(key: str, en: str, ru: str, unit: str = "") -> Column:
    """Return a table column with its labels in English and Russian."""
    return Column(key, text(en, ru), unit)


def quantity_col(key: str, quantity: str | None = None, **fields: str | Text) -> Column:
    """Return the column ``key`` labelled from the table of quantities, as 003 prints it.

    ``quantity`` names the row that labels the column when it is not ``key``
    (:func:`postmine.project.model.quantity_column`); the Russian symbol is written without
    ``_`` (``"Норма выработки Нв"``).
    """
    return quantity_column(key, quantity, flat_ru_symbol=True, **fields)


PARAMETER_COLUMNS = [
    col("parameter", "Parameter", "Параметры"),
    col("symbol", "Symbol", "Обозначение"),
    col("value", "Value", "Значение"),
    col("unit", "Unit", "Ед. изм."),
    col("quantity", "Key", "Ключ"),
]


def floats(values: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Return ``values`` as an array of floats."""
    return np.asarray(values, dtype=np.float64)


def frozen(*arrays: npt.NDArray[Any]) -> None:
    """Make cached arrays read-only so no caller can change what the cache hands out."""
    for a in arrays:
        a.setflags(write=False)


def en_number(x: float, digits: int = 1) -> str:
    """Format ``x`` for an English text."""
    return f"{x:.{digits}f}"


def ru_number(x: float, digits: int = 1) -> str:
    """Format ``x`` for a Russian text (decimal comma)."""
    return f"{x:.{digits}f}".replace(".", ",")


def param(key: str, label: Text, symbol: str, value: Any, unit: str) -> dict[str, Any]:
    """Return one row of a parameter table (:data:`PARAMETER_COLUMNS`)."""
    return {"parameter": label, "symbol": symbol, "value": value, "unit": unit, "quantity": key}


def quantity_param(
    key: str,
    value: Any,
    *,
    quantity: str | None = None,
    item: str | Sequence[str] = (),
    **fields: str | Text,
) -> dict[str, Any]:
    """Return the parameter row ``key`` labelled from the table of quantities.

    Parameters
    ----------
    key : str
        The row's ``quantity`` in the JSON (with its unit).
    value : Any
        The value, in the unit of the declared quantity.
    quantity : str, optional
        The row of the table of quantities that labels this one, ``key`` by default.
    item : str or sequence of str
        The machine, stream or tier the value is for: appended to the symbol and to the
        key (``loader_cycles[KamAZ-6520]``, ``n_ц[KamAZ-6520]``), the item index rule of
        :mod:`postmine.data.quantities`.
    **fields : str or Text
        Values of the placeholders of the quantity's name (``truck_shifts`` ->
        ``"Truck shifts, KamAZ-6520"``; :func:`postmine.project.model.quantity_name`).
    """
    info = quantity_info(quantity or key)
    items = [item] if isinstance(item, str) else list(item)
    label = quantity_name(info, **fields)
    indexed_key = f"{key}[{', '.join(items)}]" if items else key
    return param(indexed_key, label, info.indexed_symbol(items), value, info.unit)


@dataclass(frozen=True)
class TimeLimit:
    """The legal limit on the years of technical reclamation and where it comes from.

    Attributes
    ----------
    years : int or None
        T_пр, limit of years; None when the rule set states none. [years]
    source : str
        The project file's override or the rule set's citation.
    end_year : int or None
        Last calendar year within the limit. [year]
    """

    years: int | None
    source: str
    end_year: int | None


def time_limit(project: ProjectFile, rules: RuleSet) -> TimeLimit:
    """Return the limit of years: ``[rules] max_technical_years`` wins over the rule set's."""
    limit = rules.limit("max_technical_years")
    start = project.schedule.start_year
    override = project.rules.max_technical_years
    if override is not None:
        source = (
            f"project file [rules] max_technical_years = {override}, overriding "
            f"{rules.id}: {limit.citation}"
        )
        return TimeLimit(override, source, start + override - 1)
    if limit.value is None:
        return TimeLimit(None, f"{rules.id}: {limit.citation}", None)
    years = int(limit.value)
    return TimeLimit(years, f"{rules.id}: {limit.citation}", start + years - 1)


@dataclass(frozen=True)
class DesignInputs:
    """The inputs every step of one run of the backfill design reads.

    Attributes
    ----------
    project : ProjectFile
        The validated project file.
    void : Void
        Its ``[void]``.
    rules : RuleSet
        The rule set the project names.
    limit : TimeLimit
        The legal limit of years.
    """

    project: ProjectFile
    void: Void
    rules: RuleSet
    limit: TimeLimit

    @property
    def shift_duration_h(self) -> float:
        """T_см, duration of a shift [h]."""
        return self.project.work_regime.shift_duration_h

    @property
    def shifts_per_day(self) -> int:
        """n, shifts per day [shift/day]."""
        return self.project.work_regime.shifts_per_day

    @property
    def working_days(self) -> int:
        """N, working days of the enterprise per year [day/year]."""
        return self.project.work_regime.working_days_per_year

    @property
    def loader_working_days(self) -> int:
        """N of the loader (003 Table 8: 295), the enterprise's when not given [day/year]."""
        regime = self.project.work_regime
        return regime.loader_working_days_per_year or regime.working_days_per_year

    @property
    def regime(self) -> ShiftRegime:
        """The enterprise's work regime for the machine chain (SI)."""
        return ShiftRegime(
            self.shift_duration_h * SECONDS_PER_HOUR, self.shifts_per_day, self.working_days
        )

    @property
    def loader_regime(self) -> ShiftRegime:
        """The loader's work regime for the machine chain (SI)."""
        return ShiftRegime(
            self.shift_duration_h * SECONDS_PER_HOUR,
            self.shifts_per_day,
            self.loader_working_days,
        )
