"""Result objects of the project engine: tables, findings, work items, costs, assurance.

These are the contract between the engine (which fills them), the costing (which turns
work items into money), and the reports (which render them). Every number carries its unit
in its key (``volume_thousand_m3``, ``amount_rub``); texts a reader sees come in English and
Russian (``{"en": ..., "ru": ...}``).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from functools import cache
from typing import Any, Literal

from postmine.data.quantities import QuantityInfo
from postmine.data.quantities import quantity as quantity_info

__all__ = [
    "AssuranceResult",
    "Column",
    "CostLine",
    "CostResult",
    "DesignPart",
    "Finding",
    "LiabilityYear",
    "MaterialItem",
    "MilestoneRelease",
    "ProjectResult",
    "ReclamationTask",
    "Table",
    "Text",
    "WorkItem",
    "capitalised",
    "quantity_column",
    "quantity_name",
    "quantity_text",
    "text",
]

Text = dict[str, str]
"""A text in several languages: ``{"en": "...", "ru": "..."}``."""

Severity = Literal["info", "warning", "violation"]


def text(en: str, ru: str) -> Text:
    """Return a two-language text."""
    return {"en": en, "ru": ru}


@dataclass(frozen=True)
class Column:
    """A table column: ``key`` of the row dicts (with unit), labels, and unit."""

    key: str
    label: Text
    unit: str = ""


@dataclass
class Table:
    """One table of the project, laid out as the source lays it out.

    Parameters
    ----------
    key : str
        Identifier, e.g. ``"waste_volumes"``; also the Excel sheet name.
    title : Text
        Caption in English and Russian.
    source : str
        The table of the source it reproduces (``"003 Table 4"``) or the method used.
    columns : list of Column
        Columns in display order.
    rows : list of dict
        One dict per row, keyed by column key.
    notes : list of Text
        Remarks printed under the table (e.g. where the source rounds differently).
    """

    key: str
    title: Text
    source: str
    columns: list[Column]
    rows: list[dict[str, Any]]
    notes: list[Text] = field(default_factory=list)

    def column(self, key: str) -> list[Any]:
        """Return the values of column ``key`` in row order."""
        return [row.get(key) for row in self.rows]


def capitalised(label: str) -> str:
    """Return ``label`` with its first letter upper-case (a table's heading of a name)."""
    return label[:1].upper() + label[1:]


def quantity_name(info: QuantityInfo, **fields: str | Text) -> Text:
    """Return the name of the declared quantity ``info``, capitalised, in English and Russian.

    ``fields`` fill the placeholders of the name: a ``str`` in both languages, a
    :data:`Text` in each its own (``void=text("collapse crater", "воронки обрушения")``).
    """
    if not fields:
        return dict(_plain_name(info))  # a copy: callers may change their Text

    def name(template: str, lang: str) -> str:
        values = {k: v if isinstance(v, str) else v[lang] for k, v in fields.items()}
        return capitalised(template.format(**values))

    return text(name(info.en, "en"), name(info.ru, "ru"))


@cache
def _plain_name(info: QuantityInfo) -> Text:
    """Return the capitalised name of a quantity without placeholders (built once)."""
    return text(capitalised(info.en.format()), capitalised(info.ru.format()))


def quantity_text(
    info: QuantityInfo, *, flat_ru_symbol: bool = False, **fields: str | Text
) -> Text:
    """Return the heading of the declared quantity ``info`` in English and Russian.

    The heading is the quantity's name (:func:`quantity_name`) followed by its symbol if it
    has one (``"Output norm Н_в"``). ``flat_ru_symbol`` writes the Russian symbol without
    the subscript mark, as the tables of 003 print it (``"Норма выработки Нв"``); the
    tables of 004 keep it (``"Площадь дна карьера S_пи"``).
    """
    name = quantity_name(info, **fields)
    en, ru = name["en"], name["ru"]
    if info.symbol:
        ru_symbol = info.symbol.replace("_", "") if flat_ru_symbol else info.symbol
        en, ru = f"{en} {info.symbol}", f"{ru} {ru_symbol}"
    return text(en, ru)


def quantity_column(
    key: str, quantity: str | None = None, *, flat_ru_symbol: bool = False, **fields: str | Text
) -> Column:
    """Return the column ``key`` labelled from the table of quantities (``data/quantities``).

    Parameters
    ----------
    key : str
        The column's key in the row dicts and the JSON (with its unit).
    quantity : str, optional
        The row of the table of quantities that labels the column, ``key`` by default: a
        key used by several tables for different quantities (``shift_output_m3_shift``)
        names the row of each (``loader_shift_output_m3_shift``).
    flat_ru_symbol : bool
        Write the Russian symbol without ``_``, as 003's tables do (:func:`quantity_text`).
    **fields : str or Text
        Values of the placeholders of the row's name (:func:`quantity_name`).

    Raises
    ------
    ValueError
        If the table of quantities has no such row.

    Examples
    --------
    >>> quantity_column("pit_bottom_area_m2").label["en"]
    'Pit bottom area S_пи'
    """
    info = quantity_info(quantity or key)
    label = quantity_text(info, flat_ru_symbol=flat_ru_symbol, **fields)
    return Column(key, label, info.unit)


@dataclass
class Finding:
    """A check of the project: a rule exceeded, a capacity exceeded, a fleet under-used."""

    code: str
    severity: Severity
    message: Text
    value: float | None = None
    limit: float | None = None
    unit: str = ""
    source: str = ""


@dataclass
class WorkItem:
    """Machine work of one activity in one year, from the fleet calculation.

    ``machine_hours`` are productive hours of one machine model (shifts x shift duration);
    ``volume_m3`` is the volume the activity moves that year with it.
    """

    activity: str
    year: int
    equipment: str
    machine_hours: float
    volume_m3: float


@dataclass
class MaterialItem:
    """A quantity of material (or a lump sum) an activity needs in one year."""

    activity: str
    year: int
    material: str
    quantity: float
    unit: str


@dataclass
class CostLine:
    """One line of direct cost: activity, year, kind and amount (at the price base year)."""

    activity: str
    year: int
    category: Literal["equipment", "labour", "materials", "mobilisation"]
    item: str
    quantity: float
    quantity_unit: str
    unit_rate_rub: float
    amount_rub: float


@dataclass
class ReclamationTask:
    """A piece of reclamation a third party would have to do if the operator defaulted.

    The design sizes the task for its whole extent (``quantity`` in ``unit``) with the
    machine hours (``work``) and materials (``materials``) it takes; ``outstanding`` gives,
    for every year t of the plan, the quantity still to do in the *state of year t* (the
    disturbance that exists by the end of year t less the reclamation finished before year
    t starts). The liability of year t prices the outstanding share of every task
    (:mod:`postmine.project.liability`). Work items carry ``year = 0``: a recipe, not a
    schedule.
    """

    key: str
    name: Text
    quantity: float
    unit: str
    work: list[WorkItem]
    materials: list[MaterialItem]
    outstanding: dict[int, float]
    basis: Text
    third_party_only: bool = False


@dataclass
class LiabilityYear:
    """The state of the site in one year and what a third party would pay to reclaim it.

    ``outstanding`` is the quantity of each task still to do (by task key, in the task's
    unit); ``direct_by_task_rub`` its direct cost at base-year prices; ``direct_rub`` their
    sum plus ``mobilisation_rub``; ``indirect_percent`` the sum of the indirect rates on that
    direct cost; ``escalation_factor`` k_e(t); ``liability_rub`` =
    k_e(t) x direct x (1 + indirect / 100).
    """

    year: int
    outstanding: dict[str, float]
    direct_by_task_rub: dict[str, float]
    mobilisation_rub: float
    direct_rub: float
    indirect_percent: float
    escalation_factor: float
    liability_rub: float
    in_review: bool = True


@dataclass
class CostResult:
    """Direct and indirect cost, the bond and the provision, with their uncertainty."""

    lines: list[CostLine]
    direct_rub: float
    indirect: list[dict[str, Any]]
    indirect_rub: float
    total_rub: float
    by_year_rub: dict[int, float]
    escalated_by_year_rub: dict[int, float]
    liability_by_year_rub: dict[int, float]
    bond_rub: float
    bond_year: int
    provision_rub: float
    percentiles_rub: dict[str, float]
    samples_rub: list[float]
    sources: dict[str, str] = field(default_factory=dict)
    liability_years: list[LiabilityYear] = field(default_factory=list)
    tasks: list[dict[str, Any]] = field(default_factory=list)
    review: str = "life-of-plan"
    assurance_basis: str = "deterministic"
    assurance_rub: float = 0.0
    deterministic_percentile: float | None = None


@dataclass
class MilestoneRelease:
    """What is released after one milestone and what stays held."""

    name: str
    year: int | None
    evidence: str
    release_percent: float
    released_rub: float
    held_after_rub: float
    remaining_liability_rub: float
    capped: bool
    requires: list[str] = field(default_factory=list)
    state_year: int | None = None
    reached: bool = True
    basis: str = "deterministic"


@dataclass
class AssuranceResult:
    """The staged release schedule of the financial assurance."""

    bond_rub: float
    releases: list[MilestoneRelease]
    basis: str = "deterministic"


@dataclass
class DesignPart:
    """What one design branch (void backfill, external dump) computes for a project.

    ``activity_years`` maps each activity (``"haul-waste"``, ``"doze-waste"``,
    ``"surface-planning"``, ``"reclamation-layer"``, ...) to its first and last year.
    ``tasks`` are what a third party would have to do with each year's state (the
    liability); ``state_years`` the year by whose end each physical state is reached
    (absent: not within the plan); ``void_levels`` the year by whose end the void is filled
    up to each tier's elevation.
    """

    tables: list[Table]
    findings: list[Finding]
    work: list[WorkItem]
    materials: list[MaterialItem]
    activity_years: dict[str, tuple[int, int]]
    tasks: list[ReclamationTask] = field(default_factory=list)
    state_years: dict[str, int] = field(default_factory=dict)
    void_levels: dict[float, int] = field(default_factory=dict)


@dataclass
class ProjectResult:
    """Everything the engine computes for one project file."""

    meta: dict[str, Any]
    tables: list[Table]
    findings: list[Finding]
    work: list[WorkItem]
    materials: list[MaterialItem]
    activity_years: dict[str, tuple[int, int]] = field(default_factory=dict)
    cost: CostResult | None = None
    assurance: AssuranceResult | None = None

    def table(self, key: str) -> Table:
        """Return the table called ``key``.

        Raises
        ------
        KeyError
            If there is no such table.
        """
        for t in self.tables:
            if t.key == key:
                return t
        raise KeyError(f"no table {key!r}; tables: {[t.key for t in self.tables]}")

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form: every table, finding, work item and cost line."""
        result: dict[str, Any] = _clean(asdict(self))
        return result


def _clean(value: Any) -> Any:
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"non-finite number in project result: {value}")
        return float(f"{value:.12g}")
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value
