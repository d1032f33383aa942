"""The fleet of the backfill: loader, trucks and bulldozer (document 003, Tables 6-15).

Part of the backfill design (:mod:`postmine.project.backfill`): the loads per truck and the
output of the front loader (003 Table 8) and its fleet (Table 9), the output of the trucks
(Table 11) and their fleet (Table 12), the output of the bulldozer (Table 14) and its fleet
(Table 15), the fleet summary (Table 6) and the findings on the use of the fleet. The same
cached stages give the loads and outputs of the imported layer material (sec. 3.3).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np

from postmine.calc import dozer_fleet as dozer_calc
from postmine.calc import loader_fleet as loader_calc
from postmine.data.equipment import Bulldozer, FrontLoader, Truck, get_equipment
from postmine.methods.haulage import (
    accepted_bucket_count,
    buckets_by_body_volume,
    in_situ_volume_per_truck,
)
from postmine.project.backfill.base import (
    ALL_MODELS,
    DOZE_WASTE,
    HAUL_WASTE,
    PARAMETER_COLUMNS,
    TM3,
    TOTAL,
    _col,
    _DesignState,
    _floats,
    _frozen,
    _LoaderStage,
    _param,
    _ru,
)
from postmine.project.model import Finding, Table, Text, text

__all__ = [
    "DOZING_WORK",
    "HAULAGE_WORK",
    "LAYER_BUCKET_FILL_FACTOR",
    "LOADING_WORK",
    "TABLE_6_COLUMNS",
    "TABLE_6_NOTE",
    "TABLE_8_COLUMNS",
    "TABLE_8_NOTE",
    "TABLE_9_COLUMNS",
    "TABLE_9_NOTE",
    "TABLE_11_COLUMNS",
    "TABLE_11_NOTE",
    "TABLE_12_COLUMNS",
    "TABLE_12_NOTE",
    "TABLE_14_NOTE",
    "TABLE_15_NOTE",
]

#: Bucket fill factor k_н when the loader loads the imported layer material, [-]. 003 gives
#: no density or loading factors for the potentially fertile rock (sec. 3.3): the load of a
#: truck is limited by its heaped body (whole buckets of V_п k_н, counted loose, as the
#: imported volume is), with the fill factor 003 Table 8 uses for rock (1.0).
LAYER_BUCKET_FILL_FACTOR = 1.0


# ---- cached stages: they depend only on inputs a Monte Carlo rarely varies --------------


@lru_cache(maxsize=64)
def _loader_stage(
    loader_model: str,
    truck_models: tuple[str, ...],
    shares: tuple[float, ...],
    streams: tuple[tuple[str, float, float, float], ...],
    truck_spotting_time: float,
    shift_duration: float,
    utilisation: float,
    working_days: int,
    shifts_per_day: int,
) -> _LoaderStage:
    loader = get_equipment(loader_model, FrontLoader)
    trucks = tuple(get_equipment(m, Truck) for m in truck_models)
    n_t = len(trucks)
    V_п = loader.bucket_volume_m3
    payload = _floats([t.payload_t for t in trucks])
    body = _floats([t.body_volume_m3 for t in trucks])
    k_ш = _floats([t.heaped_load_factor for t in trucks])
    if streams:
        names, gamma, k_н, k_р = zip(*streams, strict=True)
        loads = loader_calc.truck_loads(
            V_п,
            np.tile(payload, len(streams)),
            np.tile(body, len(streams)),
            np.tile(k_ш, len(streams)),
            np.repeat(gamma, n_t),
            np.repeat(k_н, n_t),
            np.repeat(k_р, n_t),
            [f"waste stream {n!r}, truck {t.name}" for n in names for t in trucks],
        )
        output = loader_calc.solve_output(
            loader,
            loads,
            np.repeat(np.arange(len(streams)), n_t).tolist(),
            np.tile(shares, len(streams)),
            truck_spotting_time,
            shift_duration,
            utilisation,
            working_days,
            shifts_per_day,
        )
    else:
        empty = np.zeros(0)
        loads = loader_calc.TruckLoads(empty, empty, np.zeros(0, np.int64), empty)
        output = loader_calc.LoaderOutput(empty, empty, empty)
    # The layer material: whole buckets the heaped body holds, counted loose (no density
    # is given for it, so the payload count is not available: see LAYER_BUCKET_FILL_FACTOR).
    k_н_layer = LAYER_BUCKET_FILL_FACTOR
    n_V = _floats(buckets_by_body_volume(body, V_п, k_н_layer, k_ш))
    try:
        n_ц = np.asarray(accepted_bucket_count(n_V, n_V), dtype=np.int64)
    except ValueError as exc:
        raise ValueError(f"reclamation layer: {exc}") from None
    V_аф = _floats(in_situ_volume_per_truck(_floats(n_ц), V_п, k_н_layer))
    layer_loads = loader_calc.TruckLoads(n_V, n_V, n_ц, V_аф)
    layer_output = loader_calc.solve_output(
        loader,
        layer_loads,
        [0] * n_t,
        shares,
        truck_spotting_time,
        shift_duration,
        utilisation,
        working_days,
        shifts_per_day,
    )
    for part in (loads, layer_loads):
        _frozen(
            part.buckets_by_payload,
            part.buckets_by_body_volume,
            part.loader_cycles,
            part.volume_per_truck,
        )
    for out in (output, layer_output):
        _frozen(out.shift_output, out.weighted_output, out.annual_output)
    return _LoaderStage(loader, trucks, loads, output, layer_loads, layer_output)


@lru_cache(maxsize=16)
def _dozer_stage(
    model: str,
    push_distance: float,
    material_repose_angle: float,
    loosening_factor: float,
    terrain_factor: float,
    shift_duration: float,
    utilisation: float,
) -> tuple[Bulldozer, dozer_calc.DozerOutput]:
    dozer = get_equipment(model, Bulldozer)
    output = dozer_calc.solve_output(
        dozer,
        push_distance,
        material_repose_angle,
        loosening_factor,
        terrain_factor,
        shift_duration,
        utilisation,
    )
    return dozer, output


# ---- tables and findings ---------------------------------------------------------------


class _FleetTables(_DesignState):
    """Tables of the loader, trucks and bulldozer, the fleet summary and the fleet findings."""

    def _table_6(self) -> Table:
        rows: list[dict[str, Any]] = []
        if self.loader_fleet and self.truck_fleet and self.dozer_fleet:
            lf, tf, df = self.loader_fleet, self.truck_fleet, self.dozer_fleet
            rows.append(_fleet_row(LOADING_WORK, HAUL_WASTE, self.stage.loader.name, lf.total,
                                   lf.whole))  # fmt: skip
            for m in self.p.equipment.trucks.models:
                rows.append(_fleet_row(HAULAGE_WORK, HAUL_WASTE, m, tf.model_fleet[m],
                                       tf.model_whole[m]))  # fmt: skip
            rows.append(_fleet_row(DOZING_WORK, DOZE_WASTE, self.dozer.name, df.inventory_fleet,
                                   df.whole))  # fmt: skip
        return Table(
            "fleet",
            text("Main equipment and its number",
                 "Состав и количество основного технологического оборудования"),
            "003 Table 6",
            TABLE_6_COLUMNS,
            rows,
            [TABLE_6_NOTE],
        )  # fmt: skip

    def _table_8(self) -> Table:
        st, eq = self.stage, self.p.equipment
        loads, out = st.loads, st.output
        n_t = len(st.trucks)
        n_q, n_V = loads.buckets_by_payload.tolist(), loads.buckets_by_body_volume.tolist()
        n_ц, V_аф = loads.loader_cycles.tolist(), loads.volume_per_truck.tolist()
        Q_э = out.shift_output.tolist()
        Q_эсв, Q_гсв = out.weighted_output.tolist(), out.annual_output.tolist()
        rows = []
        for s, i in enumerate(self.fleet_streams):
            stream = self.streams[i]
            for j, truck in enumerate(st.trucks):
                p = s * n_t + j
                rows.append(
                    {
                        "stream": stream.name,
                        "truck": truck.name,
                        "bucket_volume_m3": st.loader.bucket_volume_m3,
                        "payload_t": truck.payload_t,
                        "body_volume_m3": truck.body_volume_m3,
                        "bulk_density_t_m3": stream.loading_bulk_density_t_m3
                        or stream.bulk_density_t_m3,
                        "heaped_load_factor": truck.heaped_load_factor,
                        "bucket_fill_factor": stream.bucket_fill_factor,
                        "loosening_factor": stream.excavation_loosening_factor,
                        "buckets_by_payload": n_q[p],
                        "buckets_by_body_volume": n_V[p],
                        "loader_cycles": n_ц[p],
                        "volume_per_truck_m3": V_аф[p],
                        "cycle_time_s": st.loader.cycle_time_s,
                        "truck_spotting_time_s": eq.loader.truck_spotting_time_s,
                        "shift_duration_h": self.T_см,
                        "utilisation": eq.loader.utilisation,
                        "shift_output_m3_shift": Q_э[p],
                        "truck_share": eq.loader.truck_shares[truck.name],
                        "weighted_output_m3_shift": Q_эсв[s],
                        "shifts_per_day": self.n,
                        "working_days": self.N_loader,
                        "annual_output_thousand_m3": Q_гсв[s],
                    }
                )
        name = st.loader.name
        return Table(
            "loader_output",
            text(f"Output of the front loader {name}",
                 f"Расчет производительности фронтального погрузчика {name}"),
            "003 Table 8",
            TABLE_8_COLUMNS,
            rows,
            [TABLE_8_NOTE],
        )  # fmt: skip

    def _table_9(self) -> Table:
        rows: list[dict[str, Any]] = []
        lf = self.loader_fleet
        if lf is not None:
            V = self.fleet_volume_k.tolist()
            Q = self.stage.output.annual_output.tolist()
            N = lf.fleet.tolist()
            for s, i in enumerate(self.fleet_streams):
                rows.append(
                    {
                        "stream": self.streams[i].name,
                        "annual_volume_thousand_m3": V[s],
                        "annual_output_thousand_m3": Q[s],
                        "fleet": N[s],
                        "fleet_whole": None,
                    }
                )
            rows.append(
                {
                    "stream": TOTAL,
                    "annual_volume_thousand_m3": sum(V),
                    "annual_output_thousand_m3": None,
                    "fleet": lf.total,
                    "fleet_whole": lf.whole,
                }
            )
        name = self.stage.loader.name
        return Table(
            "loader_fleet",
            text(f"Fleet of front loaders {name}",
                 f"Расчет потребного парка фронтальных погрузчиков {name}"),
            "003 Table 9",
            TABLE_9_COLUMNS,
            rows,
            [TABLE_9_NOTE],
        )  # fmt: skip

    def _table_11(self) -> Table:
        st, h = self.stage, self.p.haulage
        loads, out = st.loads, self.truck_out
        n_t = len(st.trucks)
        n_ц, V_аф = loads.loader_cycles.tolist(), loads.volume_per_truck.tolist()
        t_о, t_п = out.travel_time.tolist(), out.loading_time.tolist()
        t_об, Н_в = out.trip_time.tolist(), out.shift_output.tolist()
        rows = []
        for s, i in enumerate(self.fleet_streams):
            stream = self.streams[i]
            for j, truck in enumerate(st.trucks):
                p = s * n_t + j
                rows.append(
                    {
                        "stream": stream.name,
                        "truck": truck.name,
                        "payload_t": truck.payload_t,
                        "body_volume_m3": truck.body_volume_m3,
                        "bucket_volume_m3": st.loader.bucket_volume_m3,
                        "bulk_density_t_m3": stream.loading_bulk_density_t_m3
                        or stream.bulk_density_t_m3,
                        "bucket_fill_factor": stream.bucket_fill_factor,
                        "loosening_factor": stream.excavation_loosening_factor,
                        "loader_cycles": n_ц[p],
                        "volume_per_truck_m3": V_аф[p],
                        "loader_cycle_time_s": st.loader.cycle_time_s,
                        "loading_time_min": t_п[p],
                        "load_spotting_time_min": h.load_spotting_time_min,
                        "unload_spotting_time_min": h.unload_spotting_time_min,
                        "unloading_time_min": h.unloading_time_min,
                        "loader_wait_time_min": h.loader_wait_time_min,
                        "shift_duration_min": self.T_см * 60.0,
                        "preparation_time_min": h.preparation_time_min,
                        "break_time_min": h.break_time_min,
                        "personal_time_min": h.personal_time_min,
                        "average_speed_km_h": h.average_speed_km_h,
                        "haul_distance_km": h.haul_distance_km,
                        "travel_time_min": t_о[p],
                        "trip_time_min": t_об[p],
                        "shift_output_m3_shift": Н_в[p],
                    }
                )
        names = ", ".join(t.name for t in st.trucks)
        return Table(
            "truck_output",
            text(f"Output of the trucks {names}",
                 f"Расчет производительности автосамосвалов {names}"),
            "003 Table 11",
            TABLE_11_COLUMNS,
            rows,
            [TABLE_11_NOTE],
        )  # fmt: skip

    def _table_12(self) -> Table:
        rows: list[dict[str, Any]] = []
        tf = self.truck_fleet
        k_тг = self.p.equipment.trucks.technical_availability
        if tf is not None:
            V_г, V_см = tf.annual_volume.tolist(), tf.shift_volume.tolist()
            N_а, N_сп = tf.working_fleet.tolist(), tf.listed_fleet.tolist()
            Н_в = self.truck_out.shift_output.tolist()
            for p, (s, m) in enumerate(zip(self.pair_stream, self.pair_truck, strict=True)):
                rows.append(
                    {
                        "stream": self.streams[self.fleet_streams[s]].name,
                        "truck": m,
                        "annual_volume_thousand_m3": V_г[p],
                        "working_days": self.N,
                        "shifts_per_day": self.n,
                        "shift_volume_m3_shift": V_см[p],
                        "shift_output_m3_shift": Н_в[p],
                        "working_fleet": N_а[p],
                        "technical_availability": k_тг,
                        "listed_fleet": N_сп[p],
                        "fleet_whole": None,
                    }
                )
            for m, total in tf.model_fleet.items():
                rows.append(_total_row(TOTAL, m, total, tf.model_whole[m]))
            rows.append(_total_row(TOTAL, ALL_MODELS, sum(tf.model_fleet.values()), tf.total))
        names = ", ".join(self.p.equipment.trucks.models)
        return Table(
            "truck_fleet",
            text(f"Fleet of trucks {names}", f"Расчет потребного парка автосамосвалов {names}"),
            "003 Table 12",
            TABLE_12_COLUMNS,
            rows,
            [TABLE_12_NOTE],
        )

    def _table_14(self) -> Table:
        d, o, c = self.dozer, self.dozer_output, self.p.equipment.bulldozer
        rows = [
            _param("cycle_time_s", "Cycle time", "Продолжительность цикла", "t_ц",
                   o.cycle_time, "s"),
            _param("push_distance_m", "Push distance", "Расстояние перемещения породы", "L_д.г",
                   c.push_distance_m, "m"),
            _param("loaded_speed_m_s", "Pushing speed", "Скорость груженого хода", "V_д.г",
                   d.loaded_speed_m_s, "m/s"),
            _param("push_time_s", "Time of the push", "Время перемещения породы", "t_д.г",
                   o.push_time, "s"),
            _param("return_distance_m", "Return run", "Путь порожнего перемещения", "L_д.п",
                   c.push_distance_m, "m"),
            _param("return_speed_m_s", "Return speed", "Скорость обратного хода", "V_д.п",
                   d.return_speed_m_s, "m/s"),
            _param("return_time_s", "Time of the return run", "Время обратного хода", "t_д.п",
                   o.return_time, "s"),
            _param("gear_shift_time_s", "Auxiliary time (gear changes)",
                   "Время вспомогательных операций", "t_в", d.gear_shift_time_s, "s"),
            _param("blade_width_m", "Blade width", "Длина отвала", "B", d.blade_width_m, "m"),
            _param("blade_height_m", "Blade height", "Высота отвала", "H", d.blade_height_m,
                   "m"),
            _param("material_repose_angle_deg", "Angle of repose of the material in motion",
                   "Угол естественного откоса материала при движении", "φ",
                   c.material_repose_angle_deg, "°"),
            _param("drag_prism_volume_m3", "Drag prism", "Объем призмы волочения", "V_пр",
                   o.drag_prism_volume, "m³"),
            _param("loosening_factor", "Loosening factor", "Коэффициент разрыхления", "k_р",
                   c.loosening_factor, ""),
            _param("push_loss_factor", "Push loss factor",
                   "Коэффициент потерь при транспортировании", "K_п", o.push_loss_factor, ""),
            _param("terrain_factor", "Terrain factor", "Коэффициент условий рельефа", "K_д",
                   c.terrain_factor, ""),
            _param("technical_output_m3_h", "Technical output",
                   "Техническая производительность", "П_т", o.technical_output, "m³/h"),
            _param("shift_duration_h", "Shift duration", "Продолжительность смены", "t",
                   self.T_см, "h"),
            _param("utilisation", "Use of shift time", "Коэффициент использования сменного "
                   "времени", "k_и", c.utilisation, ""),
            _param("shift_output_m3_shift", "Operating output per shift",
                   "Сменная эксплуатационная производительность", "П_см", o.shift_output,
                   "m³/shift"),
        ]  # fmt: skip
        return Table(
            "dozer_output",
            text(f"Output of the bulldozer {d.name}",
                 f"Расчет производительности бульдозера {d.name}"),
            "003 Table 14",
            PARAMETER_COLUMNS,
            rows,
            [TABLE_14_NOTE],
        )  # fmt: skip

    def _table_15(self) -> Table:
        rows: list[dict[str, Any]] = []
        df, c = self.dozer_fleet, self.p.equipment.bulldozer
        if df is not None:
            V = self.fleet_volume_k.tolist()
            for s, i in enumerate(self.fleet_streams):
                name = self.streams[i].name
                rows.append(_param(f"dumped_volume_thousand_m3[{name}]",
                                   f"Unloaded on the dump: {name}", f"Размещение в отвал: {name}",
                                   f"V[{name}]", V[s], f"{TM3}/year"))  # fmt: skip
            rows += [
                _param("dozed_fraction", "Share pushed by the bulldozer",
                       "Коэффициент заваленности", "K_з", c.dozed_fraction, ""),
                _param("dozing_volume_thousand_m3", "Annual volume of dozing",
                       "Годовой объем бульдозерных работ", "V_б", df.dozing_volume,
                       f"{TM3}/year"),
                _param("working_days", "Working days a year", "Количество рабочих дней в году",
                       "N", self.N, "day/year"),
                _param("shifts_per_day", "Shifts a day", "Количество смен в сутки", "n",
                       self.n, "shift/day"),
                _param("shift_volume_m3_shift", "Volume of dozing per shift",
                       "Сменный объем бульдозерных работ", "V_см", df.shift_volume,
                       "m³/shift"),
                _param("shift_output_m3_shift", "Operating output per shift",
                       "Сменная эксплуатационная производительность", "П_см",
                       self.dozer_output.shift_output, "m³/shift"),
                _param("working_fleet", "Working fleet", "Рабочий парк бульдозеров", "N_р",
                       df.working_fleet, ""),
                _param("reserve_factor", "Reserve factor", "Резервный коэффициент", "K_р",
                       c.reserve_factor, ""),
                _param("inventory_fleet", "Inventory fleet, not rounded",
                       "Инвентарный парк, без округления", "N_р·K_р", df.inventory_fleet, ""),
                _param("fleet_whole", "Inventory fleet", "Инвентарный парк бульдозеров",
                       "N_инв", df.whole, ""),
            ]  # fmt: skip
        name = self.dozer.name
        return Table(
            "dozer_fleet",
            text(f"Fleet of bulldozers {name}", f"Расчет потребного парка бульдозеров {name}"),
            "003 Table 15",
            PARAMETER_COLUMNS,
            rows,
            [TABLE_15_NOTE],
        )

    def _fleet_findings(self) -> None:
        if not (self.loader_fleet and self.truck_fleet and self.dozer_fleet):
            return
        minimum = self.p.equipment.min_utilisation
        machines = [(self.stage.loader.name, self.loader_fleet.total, self.loader_fleet.whole)]
        machines += [
            (m, self.truck_fleet.model_fleet[m], self.truck_fleet.model_whole[m])
            for m in self.p.equipment.trucks.models
        ]
        machines.append((self.dozer.name, self.dozer_fleet.inventory_fleet, self.dozer_fleet.whole))
        for name, required, whole in machines:
            if whole <= 0:
                continue
            use = required / whole
            if use < minimum:
                self.findings.append(
                    Finding(
                        "fleet-under-utilised",
                        "warning",
                        text(
                            f"{name}: the works need {required:.2f} machines, the fleet has "
                            f"{whole}: it is used {use:.0%}, below {minimum:.0%}.",
                            f"{name}: потребность {_ru(required, 2)} ед., в парке {whole} ед.: "
                            f"использование {use:.0%}, ниже {minimum:.0%}.",
                        ),
                        use,
                        minimum,
                        "",
                        "project file [equipment] min_utilisation",
                    )
                )


# ---- table layouts --------------------------------------------------------------------


def _fleet_row(
    work: Text, activity: str, equipment: str, required: float, whole: int
) -> dict[str, Any]:
    return {
        "work": work,
        "activity": activity,
        "equipment": equipment,
        "required": required,
        "count": whole,
        "utilisation": required / whole if whole else None,
    }


def _total_row(stream: Text, truck: Any, listed: float, whole: int) -> dict[str, Any]:
    return {
        "stream": stream,
        "truck": truck,
        "annual_volume_thousand_m3": None,
        "working_days": None,
        "shifts_per_day": None,
        "shift_volume_m3_shift": None,
        "shift_output_m3_shift": None,
        "working_fleet": None,
        "technical_availability": None,
        "listed_fleet": listed,
        "fleet_whole": whole,
    }


TABLE_6_COLUMNS = [
    _col("work", "Work", "Наименование работ"),
    _col("activity", "Activity", "Вид работ (ключ)"),
    _col("equipment", "Equipment", "Наименование оборудования"),
    _col("required", "Required, not rounded", "Потребность, без округления"),
    _col("count", "Number", "Количество"),
    _col("utilisation", "Use of the fleet", "Использование парка"),
]

LOADING_WORK = text("Excavation and loading of waste into trucks",
                    "Экскавация и погрузка отходов в автосамосвал")  # fmt: skip
HAULAGE_WORK = text("Haulage of waste to the dump", "Транспортировка отходов на отвал")
DOZING_WORK = text("Bulldozer dumping", "Бульдозерное отвалообразование")

TABLE_8_COLUMNS = [
    _col("stream", "Work", "Наименование работ"),
    _col("truck", "Truck", "Автосамосвал"),
    _col("bucket_volume_m3", "Bucket volume V_п", "Геометрическая емкость ковша Vп", "m³"),
    _col("payload_t", "Payload q_а", "Грузоподъемность qа", "t"),
    _col("body_volume_m3", "Body volume V_а", "Геометрическая емкость кузова Vа", "m³"),
    _col("bulk_density_t_m3", "Bulk density γ", "Объемный вес грунта γ", "t/m³"),
    _col("heaped_load_factor", "Heaped load factor k_ш", "Коэффициент загрузки с шапкой kш"),
    _col("bucket_fill_factor", "Bucket fill factor k_н", "Коэффициент наполнения ковша kн"),
    _col("loosening_factor", "Loosening factor k_р", "Коэффициент разрыхления kр"),
    _col("buckets_by_payload", "Buckets by payload n_к", "Ковшей по грузоподъемности nк"),
    _col("buckets_by_body_volume", "Buckets by body volume n_к", "Ковшей по объему кузова nк"),
    _col("loader_cycles", "Loader cycles n_ц", "Принимаемое количество циклов nц"),
    _col("volume_per_truck_m3", "Volume per truck V_аф", "Фактический объем в кузове Vаф",
         "m³"),
    _col("cycle_time_s", "Loader cycle T_ц", "Продолжительность цикла Tц", "s"),
    _col("truck_spotting_time_s", "Truck spotting t_м", "Время установки под погрузку tм",
         "s"),
    _col("shift_duration_h", "Shift T_см", "Продолжительность смены Tсм", "h"),
    _col("utilisation", "Use of shift time k_и", "Коэффициент использования kи"),
    _col("shift_output_m3_shift", "Output Q_э", "Эксплуатационная производительность Qэ",
         "m³/shift"),
    _col("truck_share", "Share of the truck model", "Доля модели автосамосвала"),
    _col("weighted_output_m3_shift", "Weighted output Q_эсв",
         "Средневзвешенная производительность Qэсв", "m³/shift"),
    _col("shifts_per_day", "Shifts a day n", "Количество смен в сутки n", "shift/day"),
    _col("working_days", "Working days of the loader N", "Рабочих дней погрузчика N",
         "day/year"),
    _col("annual_output_thousand_m3", "Annual output Q_гсв",
         "Годовая производительность Qгсв", f"{TM3}/year"),
]  # fmt: skip

TABLE_9_COLUMNS = [
    _col("stream", "Work", "Наименование работ"),
    _col("annual_volume_thousand_m3", "Annual volume V_г", "Годовой объем работ Vг",
         f"{TM3}/year"),
    _col("annual_output_thousand_m3", "Annual output Q_г", "Годовая производительность Qг",
         f"{TM3}/year"),
    _col("fleet", "Fleet N_сп", "Списочный парк Nсп"),
    _col("fleet_whole", "Fleet, whole loaders", "Итого парк погрузчиков"),
]  # fmt: skip

TABLE_11_COLUMNS = [
    _col("stream", "Work", "Наименование работ"),
    _col("truck", "Truck", "Автосамосвал"),
    _col("payload_t", "Payload q_а", "Грузоподъемность Qа", "t"),
    _col("body_volume_m3", "Body volume V_а", "Геометрический объем кузова Vа", "m³"),
    _col("bucket_volume_m3", "Bucket volume V_п", "Объем ковша Vп", "m³"),
    _col("bulk_density_t_m3", "Bulk density γ", "Объемный вес грунта γ", "t/m³"),
    _col("bucket_fill_factor", "Bucket fill factor k_н", "Коэффициент наполнения ковша kн"),
    _col("loosening_factor", "Loosening factor k_р", "Коэффициент разрыхления kр"),
    _col("loader_cycles", "Loader cycles n_ц", "Количество циклов погрузчика nц"),
    _col("volume_per_truck_m3", "Volume per truck V_аф", "Фактический объем Vаф", "m³"),
    _col("loader_cycle_time_s", "Loader cycle T_ц", "Продолжительность цикла Tц", "s"),
    _col("loading_time_min", "Loading t_п", "Время на погрузку tп", "min"),
    _col("load_spotting_time_min", "Spotting for loading t_уп", "Установка под погрузку tуп",
         "min"),
    _col("unload_spotting_time_min", "Spotting for unloading t_ур",
         "Установка под разгрузку tур", "min"),
    _col("unloading_time_min", "Unloading t_р", "Разгрузка tр", "min"),
    _col("loader_wait_time_min", "Waiting at the loader t_ожп", "Ожидание у погрузчика tожп",
         "min"),
    _col("shift_duration_min", "Shift T_см", "Продолжительность смены Tсм", "min"),
    _col("preparation_time_min", "Preparation T_пз + T_об",
         "Подготовительно-заключительные операции Tпз + Tоб", "min"),
    _col("break_time_min", "Break T_пт", "Регламентированный перерыв Tпт", "min"),
    _col("personal_time_min", "Personal needs T_лн", "Личные надобности Tлн", "min"),
    _col("average_speed_km_h", "Average speed V_с", "Среднерейсовая скорость Vс", "km/h"),
    _col("haul_distance_km", "Haul distance l", "Расстояние транспортировки l", "km"),
    _col("travel_time_min", "Driving time t_о", "Основное время движения tо", "min"),
    _col("trip_time_min", "Trip t_об", "Время 1 рейса tоб", "min"),
    _col("shift_output_m3_shift", "Output norm Н_в", "Норма выработки Нв", "m³/shift"),
]  # fmt: skip

TABLE_12_COLUMNS = [
    _col("stream", "Work", "Наименование работ"),
    _col("truck", "Truck", "Автосамосвал"),
    _col("annual_volume_thousand_m3", "Annual haulage V_г", "Годовой объем перевозок Vг",
         f"{TM3}/year"),
    _col("working_days", "Working days N", "Рабочих дней в году N", "day/year"),
    _col("shifts_per_day", "Shifts a day n", "Смен в сутки n", "shift/day"),
    _col("shift_volume_m3_shift", "Haulage per shift V_см", "Сменный грузооборот Vсм",
         "m³/shift"),
    _col("shift_output_m3_shift", "Output norm Н_в", "Норма выработки Нв", "m³/shift"),
    _col("working_fleet", "Working fleet N_а", "Рабочий парк Nа"),
    _col("technical_availability", "Technical availability k_тг",
         "Коэффициент технической готовности kтг"),
    _col("listed_fleet", "Listed fleet N_сп", "Списочный парк Nсп"),
    _col("fleet_whole", "Fleet, whole trucks", "Итого парк автосамосвалов"),
]  # fmt: skip

TABLE_6_NOTE = text(
    "Machines of the works computed in Tables 9, 12 and 15; 003 Table 6 also lists road "
    "maintenance and dust suppression machines, which the method does not size.",
    "Оборудование по расчетам таблиц 9, 12 и 15; в таблице 6 документа 003 также указаны "
    "машины для содержания дорог и пылеподавления, которые методикой не рассчитываются.",
)
TABLE_8_NOTE = text(
    "003 prints the weighted and annual outputs truncated (1283, 378.4; 1835, 541.3); the "
    "code does not round them.",
    "В 003 средневзвешенная и годовая производительности усечены (1283, 378,4; 1835, 541,3); "
    "расчет ведется без округления.",
)
TABLE_9_NOTE = text(
    "The fleets of the streams are summed and rounded up to whole loaders.",
    "Парк по видам работ суммируется и округляется до целых машин.",
)
TABLE_11_NOTE = text(
    "003 heads the tailings columns «БелАЗ-75405» with the BelAZ-75404's figures.",
    "В 003 столбцы хвостов озаглавлены «БелАЗ-75405» при характеристиках БелАЗ-75404.",
)
TABLE_12_NOTE = text(
    "Each stream is split between the truck models in proportion to their output norms, as "
    "003 does; the listed fleet is N_а / k_тг (003 prints N_а ∙ k_тг but computes the "
    "division).",
    "Объем делится между моделями пропорционально нормам выработки, как в 003; списочный "
    "парк Nа / kтг (в 003 записано Nа ∙ kтг, расчет — деление).",
)
TABLE_14_NOTE = text(
    "003 rounds t_ц to 44 s and K_п to 0.93 before multiplying and prints 231 m³/h and "
    "1479 m³/shift; the code does not round intermediates.",
    "В 003 tц округлено до 44 с и Kп до 0,93 до умножения (231 м³/ч, 1479 м³/смену); "
    "расчет ведется без промежуточного округления.",
)
TABLE_15_NOTE = text(
    "Fleets are rounded up with a tolerance of equipment.fleet_rel_tol (N_р·K_р = 1.0003 "
    "gives one bulldozer, as in 003).",
    "Парк округляется вверх с допуском equipment.fleet_rel_tol (Nр·Kр = 1,0003 — один "
    "бульдозер, как в 003).",
)
