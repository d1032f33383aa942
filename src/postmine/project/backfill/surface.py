"""The surface planning, the reclamation layer and the slide prism (document 003).

Part of the backfill design (:mod:`postmine.project.backfill`): the finishing planning of
the dump surface (003 sec. 3.2), which starts :data:`SETTLEMENT_YEARS` after the backfill
ends, the reclamation layer placed after the planning (sec. 3.3), and the width of the slide
prism of a tier (sec. 4.2).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from postmine.calc import backfill_schedule as backfill_calc
from postmine.methods.backfill import MIN_LAYER_THICKNESS, SPECIFIC_PLANNING_VOLUME
from postmine.methods.slopes import slide_prism_width
from postmine.project.backfill.base import (
    PARAMETER_COLUMNS,
    RECLAMATION_LAYER,
    SURFACE_PLANNING,
    TM3,
    K,
    _DesignState,
    _param,
)
from postmine.project.model import Table, text

__all__ = ["LAYER_NOTE", "PLANNING_NOTE", "PRISM_NOTE", "SETTLEMENT_YEARS"]

#: Settlement of the dump between the end of the backfill and the finishing planning,
#: [years]: the lower bound of "1-1.5 years" in 003 sec. 3.2.
SETTLEMENT_YEARS = 1.0


# ---- cached stages: they depend only on inputs a Monte Carlo rarely varies --------------


@lru_cache(maxsize=16)
def _slide_prism(repose: float, stability: float, height: float) -> float:
    return float(slide_prism_width(repose, stability, height))


@lru_cache(maxsize=16)
def _surface(
    planning: tuple[float, float] | None, layer: tuple[float, float, float | None] | None
) -> backfill_calc.SurfaceSolution:
    return backfill_calc.solve_surface(
        None if planning is None else planning[0],
        SPECIFIC_PLANNING_VOLUME if planning is None else planning[1],
        None if layer is None else layer[0],
        MIN_LAYER_THICKNESS if layer is None else layer[1],
        None if layer is None else layer[2],
    )


# ---- tables -------------------------------------------------------------------------


class _SurfaceTables(_DesignState):
    """Tables of the surface planning, the reclamation layer and the slide prism."""

    def _table_planning(self) -> Table:
        planning = self.p.planning
        rows: list[dict[str, Any]] = []
        if planning is not None:
            first, last = self.activity_years[SURFACE_PLANNING]
            rows = [
                _param("planning_area_thousand_m2", "Area of the finishing planning",
                       "Площадь планировки", "S_пл", planning.area_m2 / K, "thousand m²"),
                _param("specific_volume_m3_m2", "Specific volume of the planning",
                       "Удельный объем бульдозерных работ", "q",
                       planning.specific_volume_m3_m2, "m³/m²"),
                _param("planning_volume_thousand_m3", "Volume of the planning",
                       "Объем планировочных работ", "V_пл",
                       (self.surface.planning_volume or 0.0) / K, TM3),
                _param("dozer_shift_output_m3_shift", f"Shift output of the {self.dozer.name}",
                       f"Сменная производительность {self.dozer.name}", "П_см",
                       self.dozer_output.shift_output, "m³/shift"),
                _param("dozer_shifts", "Bulldozer shifts", "Машино-смены бульдозера", "",
                       self.planning_shifts, "shifts"),
                _param("settlement_years", "Settlement after the backfill",
                       "Усадка после засыпки", "", SETTLEMENT_YEARS, "years"),
                _param("first_year", "First year", "Год начала", "", first, "year"),
                _param("last_year", "Last year", "Год окончания", "", last, "year"),
            ]  # fmt: skip
        return Table(
            "surface_planning",
            text("Planning of the dump surface", "Планировка поверхности отвала"),
            "003 sec. 3.2",
            PARAMETER_COLUMNS,
            rows,
            [PLANNING_NOTE],
        )

    def _table_layer(self) -> Table:
        layer = self.p.reclamation_layer
        rows: list[dict[str, Any]] = []
        if layer is not None:
            s = self.surface
            first, last = self.activity_years[RECLAMATION_LAYER]
            rows = [
                _param("layer_area_thousand_m2", "Area covered by the layer",
                       "Площадь рекультивационного слоя", "S_рс", layer.area_m2 / K,
                       "thousand m²"),
                _param("layer_thickness_m", "Thickness of the layer", "Мощность слоя", "h_рс",
                       layer.thickness_m, "m"),
                _param("layer_volume_thousand_m3", "Volume of the layer",
                       "Объем рекультивационного слоя", "V_рс", (s.layer_volume or 0.0) / K, TM3),
                _param("imported_volume_thousand_m3",
                       "Potentially fertile rock brought in", "Объем привозной ППП", "V_ППП",
                       None if layer.imported_volume_m3 is None
                       else layer.imported_volume_m3 / K, TM3),
                _param("imported_thickness_m", "Mean thickness the rock brought in makes",
                       "Средняя мощность привозной ППП", "h_ППП", s.imported_layer_thickness,
                       "m"),
                _param("hauled_volume_thousand_m3", "Volume hauled and spread",
                       "Объем транспортировки и разравнивания", "V", self.layer_volume / K,
                       TM3),
                _param("haul_distance_km", "Haul distance", "Расстояние транспортировки", "l",
                       layer.haul_distance_km, "km"),
            ]  # fmt: skip
            out = self.layer_truck_out
            for j, m in enumerate(self.p.equipment.trucks.models):
                rows += [
                    _param(f"loader_cycles[{m}]", f"Loader cycles per truck, {m}",
                           f"Количество циклов погрузчика, {m}", f"n_ц[{m}]",
                           int(self.stage.layer_loads.loader_cycles[j]), ""),
                    _param(f"volume_per_truck_m3[{m}]", f"Volume per truck (loose), {m}",
                           f"Объем грунта в кузове, {m}", f"V_аф[{m}]",
                           float(self.stage.layer_loads.volume_per_truck[j]), "m³"),
                    _param(f"trip_time_min[{m}]", f"Duration of one trip, {m}",
                           f"Время 1 рейса, {m}", f"t_об[{m}]", float(out.trip_time[j]), "min"),
                    _param(f"shift_output_m3_shift[{m}]", f"Output norm of the truck, {m}",
                           f"Норма выработки, {m}", f"Н_в[{m}]", float(out.shift_output[j]),
                           "m³/shift"),
                    _param(f"hauled_volume_thousand_m3[{m}]", f"Volume hauled, {m}",
                           f"Объем перевозок, {m}", f"V_г[{m}]",
                           float(self.layer_model_volume[j]) / K, TM3),
                    _param(f"truck_shifts[{m}]", f"Truck shifts, {m}",
                           f"Машино-смены, {m}", "", self.layer_truck_shifts[m], "shifts"),
                ]  # fmt: skip
            rows += [
                _param("loader_weighted_output_m3_shift",
                       f"Weighted output of the {self.stage.loader.name}",
                       f"Средневзвешенная производительность {self.stage.loader.name}",
                       "Q_эсв", float(self.stage.layer_output.weighted_output[0]), "m³/shift"),
                _param("loader_shifts", "Loader shifts", "Машино-смены погрузчика", "",
                       self.layer_loader_shifts, "shifts"),
                _param("dozer_shifts", "Bulldozer shifts (spreading)",
                       "Машино-смены бульдозера (разравнивание)", "", self.layer_dozer_shifts,
                       "shifts"),
                _param("duration_years", "Duration with the project's fleet",
                       "Продолжительность работ имеющимся парком", "", self.layer_duration,
                       "years"),
                _param("first_year", "First year", "Год начала", "", first, "year"),
                _param("last_year", "Last year", "Год окончания", "", last, "year"),
            ]  # fmt: skip
        return Table(
            "reclamation_layer",
            text("Reclamation layer", "Формирование рекультивационного слоя"),
            "003 sec. 3.3",
            PARAMETER_COLUMNS,
            rows,
            [LAYER_NOTE],
        )

    def _table_prism(self) -> Table:
        v = self.void
        rows = [
            _param("repose_angle_deg", "Angle of repose of settled waste",
                   "Угол естественного откоса отходов", "α", v.repose_angle_deg, "°"),
            _param("stability_angle_deg", "Angle of temporary stability",
                   "Угол временной устойчивости", "β", v.stability_angle_deg, "°"),
            _param("tier_height_m", "Maximum tier height", "Максимальная высота яруса", "H",
                   v.max_tier_height_m, "m"),
            _param("slide_prism_width_m", "Width of the slide prism", "Ширина призмы обрушения",
                   "П", self.prism, "m"),
        ]  # fmt: skip
        return Table(
            "slide_prism",
            text("Width of the slide prism", "Ширина призмы обрушения"),
            "003 sec. 4.2",
            PARAMETER_COLUMNS,
            rows,
            [PRISM_NOTE],
        )


# ---- table layouts --------------------------------------------------------------------


PLANNING_NOTE = text(
    "Planning after the backfill and 1 year of settlement (003: 1-1.5 years), by the project's "
    "bulldozers at their shift output; 003 prints the volume as 17 thousand m³.",
    "Планировка после засыпки и усадки 1 год (в 003 — 1-1,5 года) бульдозерами проекта с их "
    "сменной производительностью; в 003 объем — 17 тыс. м³.",
)
LAYER_NOTE = text(
    "After the planning, with the project's fleet: trucks haul the volume brought in "
    "over the layer's haul distance, the loader loads it, the bulldozer spreads it. 003 gives "
    "no density of the rock: a truck carries the whole buckets its heaped body holds (k_н = 1).",
    "После планировки имеющимся парком: автосамосвалы перевозят привозную ППП на заданное "
    "расстояние, погрузчик грузит, бульдозер разравнивает. Плотность ППП в 003 не указана: "
    "загрузка кузова — целым числом ковшей по объему кузова с шапкой (kн = 1).",
)
PRISM_NOTE = text(
    "003 prints (ctg α − ctg β) = 1.3 m, dropping the factor H from the line; the result "
    "includes it.",
    "В 003 записано (ctg α − ctg β) = 1,3 м без множителя H; результат его учитывает.",
)
