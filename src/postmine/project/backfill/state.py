"""The state of a backfilled void in every year and what a third party would have to do with it.

A step of the backfill design (:mod:`postmine.project.backfill`) after the work plan. If the
operator defaults in year t, no more waste arrives: the haulage and dozing of waste not yet
produced is the operator's operation, not a liability. What a third party must do is reclaim
the state of year t to the approved end use:

* **the void still open**, V_open(t) = V_ост - Σ_{y < t} V_отв(y) (the capacity less the
  volume placed before year t starts): filled with borrow material with bought-in means
  (``[assurance.borrow]``: the named source and haul distance, loaded, hauled and dozed by
  the project's machine models -- 003 Tables 8, 11, 12 and 15 at the borrow's haul distance)
  or made safe (``[[assurance.make_safe]]``);
* **the planning of the surface** and **the reclamation layer** (003 sec. 3.2, 3.3), sized by
  the design; a surface planned while the void is still open is not the final surface, so
  with the fill treatment both stay outstanding until the void is full;
* the structures to remove and the re-establishment of vegetation, where the file names them.

The remainder of the void that the calendar plan leaves unfilled after the legal limit of
years is therefore priced in every year, including after the works.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from postmine.chains.machines import LoadedMaterial, LoaderWork, haul_chain
from postmine.project.assurance_schema import Borrow
from postmine.project.backfill.base import (
    EPS,
    RECLAMATION_LAYER,
    SURFACE_PLANNING,
    DesignInputs,
    en_number,
    ru_number,
)
from postmine.project.backfill.calendar_plan import BackfillResult
from postmine.project.backfill.fleet import FleetResult, truck_cycle
from postmine.project.backfill.surface import FinishingResult
from postmine.project.backfill.work import WorkPlan
from postmine.project.model import Finding, MaterialItem, ReclamationTask, WorkItem, text
from postmine.project.tasks import (
    LUMP,
    activity_task,
    revegetation_task,
    state_year_of,
    structure_tasks,
    structures_removed_year,
)

__all__ = [
    "VOID_FILL",
    "VOID_MAKE_SAFE",
    "BackfillState",
    "backfill_state",
    "borrow_fill_recipe",
    "open_void_by_year",
    "state_findings",
    "void_treatment",
]

VOID_FILL = "void-fill"
VOID_MAKE_SAFE = "void-make-safe"
SECONDS_PER_HOUR = 3600.0
METRES_PER_KM = 1000.0


@dataclass(frozen=True)
class BackfillState:
    """Tasks of a backfill with their outstanding quantities, and the years states are reached.

    Attributes
    ----------
    tasks : list of ReclamationTask
        Void fill (or make-safe), planning, layer, structures, revegetation.
    state_years : dict of str to int
        Year by whose end each physical state is reached (absent: not within the plan).
    void_levels : dict of float to int
        Tier elevation -> year by whose end the void is filled up to it. [m] -> [year]
    open_m3 : dict of int to float
        V_open(t), the void still open in the state of year t. [m³]
    """

    tasks: list[ReclamationTask]
    state_years: dict[str, int]
    void_levels: dict[float, int]
    open_m3: dict[int, float]


def void_treatment(inputs: DesignInputs) -> str:
    """``fill`` or ``make-safe``: the project file's choice, else the rule set's, else fill."""
    chosen = inputs.project.assurance.void_treatment
    if chosen is None:
        chosen = inputs.rules.assurance.void_treatment
    return chosen or "fill"


def open_void_by_year(backfill: BackfillResult, years: Sequence[int]) -> dict[int, float]:
    """Return V_open(t), the capacity less the volume placed before year t starts [m³]."""
    placed = dict(
        zip(backfill.plan_years, backfill.plan.schedule.dump_volume_by_year.tolist(), strict=True)
    )
    capacity = backfill.total_capacity_m3
    out: dict[int, float] = {}
    before = 0.0
    for t in years:
        out[t] = max(0.0, capacity - before)
        before += placed.get(t, 0.0)
    return out


def borrow_fill_recipe(
    inputs: DesignInputs, fleet: FleetResult, borrow: Borrow, volume_m3: float
) -> tuple[list[WorkItem], list[MaterialItem]]:
    """Machine hours and material to fill ``volume_m3`` of the void from the borrow.

    Parameters
    ----------
    inputs : DesignInputs
        The design's inputs (loader, trucks, bulldozer, haulage times, shift). [-]
    fleet : FleetResult
        The fleet step: the project's loader and the bulldozer's shift output П_см. [-]
    borrow : Borrow
        ``[assurance.borrow]``: haul distance, material and its price. [-]
    volume_m3 : float
        Volume to fill, as volume in the void. [m³]

    Returns
    -------
    tuple of (list of WorkItem, list of MaterialItem)
        Loader and truck hours: the in-situ volume V / k_ор loaded and hauled over the
        borrow's distance (003 Tables 8, 11, 12: machine-shifts = volume / shift output);
        bulldozer hours: K_з V / П_см (003 Table 15); the material: V / k_ор at its price,
        as a lump in rub. Work items carry year 0 (a recipe). [h], [rub]
    """
    p = inputs.project
    eq = p.equipment
    models = list(eq.trucks.models)
    in_situ = volume_m3 / borrow.residual_loosening_factor
    chain = haul_chain(
        fleet.stage.loader,
        {m: eq.loader.truck_shares[m] for m in models},
        LoadedMaterial(
            borrow.bulk_density_t_m3,
            borrow.bucket_fill_factor,
            borrow.excavation_loosening_factor,
        ),
        borrow.haul_distance_km * METRES_PER_KM,
        LoaderWork(eq.loader.truck_spotting_time_s, eq.loader.utilisation),
        truck_cycle(p.haulage),
        inputs.shift_duration_h * SECONDS_PER_HOUR,
    )
    loader_shifts, truck_shifts = chain.machine_shifts(in_situ)
    dozer_shifts = eq.bulldozer.dozed_fraction * volume_m3 / fleet.dozer_output.shift_output_m3
    T = inputs.shift_duration_h
    work = [WorkItem(VOID_FILL, 0, eq.loader.model, loader_shifts * T, in_situ)]
    work += [WorkItem(VOID_FILL, 0, m, truck_shifts[m] * T, in_situ) for m in models]
    work.append(WorkItem(VOID_FILL, 0, eq.bulldozer.model, dozer_shifts * T, volume_m3))
    price = borrow.material_rub_m3.value * in_situ
    return work, [MaterialItem(VOID_FILL, 0, "borrow material", price, LUMP)]


def _void_task(
    inputs: DesignInputs, fleet: FleetResult, capacity: float, open_m3: dict[int, float]
) -> ReclamationTask:
    assurance = inputs.project.assurance
    if void_treatment(inputs) == "make-safe":
        if not assurance.make_safe:
            raise ValueError(
                "assurance.make_safe: the void treatment is make-safe, so list its works "
                "([[assurance.make_safe]] name, quantity, unit, rate_rub, source)"
            )
        lines = [
            MaterialItem(VOID_MAKE_SAFE, 0, line.name, line.quantity * line.rate_rub, LUMP)
            for line in assurance.make_safe
        ]
        return ReclamationTask(
            VOID_MAKE_SAFE,
            text("Making the open void safe", "Приведение открытой выемки в безопасное состояние"),
            1.0,
            "lump",
            [],
            lines,
            {t: 1.0 if v > EPS * capacity else 0.0 for t, v in open_m3.items()},
            text(
                "; ".join(f"{x.name}: {x.quantity:g} {x.unit}" for x in assurance.make_safe),
                "; ".join(f"{x.name}: {x.quantity:g} {x.unit}" for x in assurance.make_safe),
            ),
            third_party_only=True,
        )
    borrow = assurance.borrow
    if borrow is None:
        raise ValueError(
            "assurance.borrow: a third party must fill the void still open (void_treatment = "
            "'fill'): name the borrow source, haul_distance_km, bulk_density_t_m3 and "
            "material_rub_m3; or set assurance.void_treatment = 'make-safe' with its works"
        )
    work, materials = borrow_fill_recipe(inputs, fleet, borrow, capacity)
    return ReclamationTask(
        VOID_FILL,
        text(
            "Filling the open void with borrow material",
            "Засыпка открытой выемки привозным грунтом",
        ),
        capacity,
        "m³",
        work,
        materials,
        open_m3,
        text(
            f"{borrow.source_name}, {borrow.haul_distance_km:g} km, the project's loader, "
            "trucks and bulldozer (003 Tables 8-15)",
            f"{borrow.source_name}, {borrow.haul_distance_km:g} км, погрузчик, самосвалы и "
            "бульдозер проекта (003, табл. 8-15)",
        ),
        third_party_only=True,
    )


def _of(plan: WorkPlan, activity: str) -> tuple[list[WorkItem], list[MaterialItem]]:
    return (
        [w for w in plan.work if w.activity == activity],
        [m for m in plan.materials if m.activity == activity],
    )


# long: one step: the tasks in the order a third party would do them, then the state years
def backfill_state(
    inputs: DesignInputs,
    backfill: BackfillResult,
    fleet: FleetResult,
    finishing: FinishingResult,
    plan: WorkPlan,
    years: Sequence[int],
) -> BackfillState:
    """Return the reclamation tasks of a backfill, outstanding each year, and the state years.

    Parameters
    ----------
    inputs : DesignInputs
        The design's inputs (project, void, rules). [-]
    backfill : BackfillResult
        The calendar plan: the volume placed each year and when each tier is full. [m³]
    fleet : FleetResult
        The fleet (for the borrow fill's machines). [-]
    finishing : FinishingResult
        Planning and layer volumes. [m³]
    plan : WorkPlan
        The work items and materials by activity and year. [h]
    years : sequence of int
        Years of the plan. [year]

    Returns
    -------
    BackfillState
        The tasks, the year each state is reached, the tier levels' fill years and the open
        void of every year.

    Raises
    ------
    ValueError
        If the void must be filled (``fill``) without ``[assurance.borrow]``, or made safe
        without ``[[assurance.make_safe]]``.
    """
    p = inputs.project
    capacity = backfill.total_capacity_m3
    open_m3 = open_void_by_year(backfill, years)
    filled = backfill.plan.schedule.unfilled_capacity <= EPS * capacity
    fill_year = backfill.plan_years[-1] if filled and backfill.plan_years else None
    gate_open = void_treatment(inputs) == "fill"

    def still_open(t: int) -> bool:
        return gate_open and open_m3[t] > EPS * capacity

    tasks = [_void_task(inputs, fleet, capacity, open_m3)]
    state_years: dict[str, int] = {}
    if fill_year is not None:
        state_years[VOID_FILL] = fill_year
    surface_area = None
    for key, name, quantity, unit in (
        (SURFACE_PLANNING, text("Planning of the surface", "Планировка поверхности"),
         p.planning.area_m2 if p.planning else 0.0, "m²"),
        (RECLAMATION_LAYER, text("Reclamation layer", "Рекультивационный слой"),
         finishing.layer_volume_m3, "m³"),
    ):  # fmt: skip
        work, materials = _of(plan, key)
        if quantity <= 0 or not (work or materials):
            continue
        tasks.append(activity_task(key, name, work, materials, quantity, unit, years,
                                   still_open=still_open))  # fmt: skip
        done = state_year_of(work)
        if done is not None and fill_year is not None:
            state_years[key] = max(done, fill_year)
    if p.reclamation_layer is not None:
        surface_area = p.reclamation_layer.area_m2
    elif p.planning is not None:
        surface_area = p.planning.area_m2
    tasks += structure_tasks(p.assurance, years)
    removed = structures_removed_year(p.assurance, p.schedule.start_year)
    if removed is not None:
        state_years["structures-removed"] = removed
    last_surface = state_years.get(RECLAMATION_LAYER, state_years.get(SURFACE_PLANNING))
    reveg_year = None if last_surface is None else last_surface + p.assurance.revegetation.seasons
    if reveg_year is not None:
        state_years["revegetation"] = reveg_year
    reveg = revegetation_task(p.assurance, surface_area, reveg_year, years)
    if reveg is not None:
        tasks.append(reveg)
    tier_years = backfill.plan.schedule.tier_fill_year.tolist()
    void_levels = {
        t.elevation_m: int(y) for t, y in zip(inputs.void.tiers, tier_years, strict=True) if y >= 0
    }
    return BackfillState(tasks, state_years, void_levels, open_m3)


def state_findings(state: BackfillState) -> list[Finding]:
    """Return the findings on the state: the void the plan leaves open."""
    last = max(state.open_m3)
    left = state.open_m3[last]
    if left <= 0:
        return []
    keys = {t.key for t in state.tasks}
    en_how = "filling it with borrow material" if VOID_FILL in keys else "making it safe"
    ru_how = (
        "засыпку привозным грунтом" if VOID_FILL in keys else "приведение в безопасное состояние"
    )
    k = left / 1000.0
    return [
        Finding(
            "void-left-open",
            "warning",
            text(
                f"The plan leaves {en_number(k)} thousand m³ of the void open: the liability "
                f"of every year prices {en_how} by a third party, and the planning and the "
                "reclamation layer of the final surface stay outstanding until the void is "
                "full; no milestone that needs the void filled is reached.",
                f"План оставляет открытыми {ru_number(k)} тыс. м³ выемки: обязательство "
                f"каждого года включает {ru_how} силами третьей стороны, а планировка и "
                "рекультивационный слой окончательной поверхности остаются невыполненными до "
                "полной засыпки; этапы, требующие засыпки выемки, не достигаются.",
            ),
            value=k,
            unit="thousand m³",
            source="issue 10: liability of the state; 003 sec. 3.1",
        )
    ]
