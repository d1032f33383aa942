"""Tables of the backfill's fleet: loader, trucks and bulldozer (document 003, Tables 6-15).

Renders the :class:`~postmine.project.backfill.fleet.FleetResult` of the fleet step: the
fleet summary (003 Table 6), the loader's output (Table 8) and fleet (Table 9), the trucks'
output (Table 11) and fleet (Table 12), the bulldozer's output (Table 14) and fleet
(Table 15), and the findings on the use of the fleet. Tables print the source's units
(thousand m³, min); the results are SI.
"""

from __future__ import annotations

from typing import Any

from postmine.chains.machines import SECONDS_PER_MINUTE
from postmine.project.backfill.base import (
    ALL_MODELS,
    DOZE_WASTE,
    HAUL_WASTE,
    PARAMETER_COLUMNS,
    TOTAL,
    DesignInputs,
    K,
    quantity_col,
    quantity_param,
    ru_number,
)
from postmine.project.backfill.calendar_plan import BackfillResult
from postmine.project.backfill.fleet import FleetResult
from postmine.project.model import Finding, Table, Text, text

__all__ = [
    "DOZING_WORK",
    "HAULAGE_WORK",
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
    "fleet_findings",
    "table_6",
    "table_8",
    "table_9",
    "table_11",
    "table_12",
    "table_14",
    "table_15",
]


def table_6(inputs: DesignInputs, fleet: FleetResult) -> Table:
    """Return the main equipment and its number (003 Table 6)."""
    rows: list[dict[str, Any]] = []
    if fleet.fleets:
        lf, tf, df = fleet.fleets.loader, fleet.fleets.trucks, fleet.fleets.dozer
        rows.append(_fleet_row(LOADING_WORK, HAUL_WASTE, fleet.stage.loader.name, lf.total,
                               lf.whole))  # fmt: skip
        for m in inputs.project.equipment.trucks.models:
            rows.append(_fleet_row(HAULAGE_WORK, HAUL_WASTE, m, tf.model_fleet[m],
                                   tf.model_whole[m]))  # fmt: skip
        rows.append(_fleet_row(DOZING_WORK, DOZE_WASTE, fleet.dozer.name, df.inventory_fleet,
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


def table_8(inputs: DesignInputs, backfill: BackfillResult, fleet: FleetResult) -> Table:
    """Return the output of the front loader per stream and truck model (003 Table 8)."""
    st, eq = fleet.stage, inputs.project.equipment
    loads, out = st.loads, st.output
    n_t = len(st.trucks)
    n_q, n_V = loads.buckets_by_payload.tolist(), loads.buckets_by_body_volume.tolist()
    n_ц, V_аф = loads.loader_cycles.tolist(), loads.volume_per_truck_m3.tolist()
    Q_э = out.shift_output_m3.tolist()
    Q_эсв, Q_гсв = out.weighted_output_m3.tolist(), (out.annual_output_m3 / K).tolist()
    rows = []
    for s, i in enumerate(fleet.fleet_streams):
        stream = backfill.streams[i]
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
                    "shift_duration_h": inputs.shift_duration_h,
                    "utilisation": eq.loader.utilisation,
                    "shift_output_m3_shift": Q_э[p],
                    "truck_share": eq.loader.truck_shares[truck.name],
                    "weighted_output_m3_shift": Q_эсв[s],
                    "shifts_per_day": inputs.shifts_per_day,
                    "working_days": inputs.loader_working_days,
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


def table_9(backfill: BackfillResult, fleet: FleetResult) -> Table:
    """Return the fleet of front loaders (003 Table 9)."""
    rows: list[dict[str, Any]] = []
    if fleet.fleets is not None:
        lf = fleet.fleets.loader
        V = (fleet.fleet_volume_m3 / K).tolist()
        Q = (fleet.stage.output.annual_output_m3 / K).tolist()
        N = lf.fleet.tolist()
        for s, i in enumerate(fleet.fleet_streams):
            rows.append(
                {
                    "stream": backfill.streams[i].name,
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
    name = fleet.stage.loader.name
    return Table(
        "loader_fleet",
        text(f"Fleet of front loaders {name}",
             f"Расчет потребного парка фронтальных погрузчиков {name}"),
        "003 Table 9",
        TABLE_9_COLUMNS,
        rows,
        [TABLE_9_NOTE],
    )  # fmt: skip


def table_11(inputs: DesignInputs, backfill: BackfillResult, fleet: FleetResult) -> Table:
    """Return the output of the trucks per stream and model (003 Table 11)."""
    st, h = fleet.stage, inputs.project.haulage
    loads, out = st.loads, fleet.truck_output
    n_t = len(st.trucks)
    n_ц, V_аф = loads.loader_cycles.tolist(), loads.volume_per_truck_m3.tolist()
    minute = SECONDS_PER_MINUTE
    t_о, t_п = (out.travel_time_s / minute).tolist(), (out.loading_time_s / minute).tolist()
    t_об, Н_в = (out.trip_time_s / minute).tolist(), out.shift_output_m3.tolist()
    rows = []
    for s, i in enumerate(fleet.fleet_streams):
        stream = backfill.streams[i]
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
                    "shift_duration_min": inputs.shift_duration_h * 60.0,
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


def table_12(inputs: DesignInputs, backfill: BackfillResult, fleet: FleetResult) -> Table:
    """Return the fleet of trucks per stream and model (003 Table 12)."""
    rows: list[dict[str, Any]] = []
    tf = fleet.fleets.trucks if fleet.fleets is not None else None
    k_тг = inputs.project.equipment.trucks.technical_availability
    if tf is not None:
        V_г, V_см = (tf.annual_volume_m3 / K).tolist(), tf.shift_volume_m3.tolist()
        N_а, N_сп = tf.working_fleet.tolist(), tf.listed_fleet.tolist()
        Н_в = fleet.truck_output.shift_output_m3.tolist()
        for p, (s, m) in enumerate(zip(fleet.pair_stream, fleet.pair_truck, strict=True)):
            rows.append(
                {
                    "stream": backfill.streams[fleet.fleet_streams[s]].name,
                    "truck": m,
                    "annual_volume_thousand_m3": V_г[p],
                    "working_days": inputs.working_days,
                    "shifts_per_day": inputs.shifts_per_day,
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
    names = ", ".join(inputs.project.equipment.trucks.models)
    return Table(
        "truck_fleet",
        text(f"Fleet of trucks {names}", f"Расчет потребного парка автосамосвалов {names}"),
        "003 Table 12",
        TABLE_12_COLUMNS,
        rows,
        [TABLE_12_NOTE],
    )


def table_14(inputs: DesignInputs, fleet: FleetResult) -> Table:
    """Return the output of the bulldozer (003 Table 14)."""
    d, o, c = fleet.dozer, fleet.dozer_output, inputs.project.equipment.bulldozer
    rows = [
        quantity_param("cycle_time_s", o.cycle_time_s, quantity="dozer_cycle_time_s"),
        quantity_param("push_distance_m", c.push_distance_m),
        quantity_param("loaded_speed_m_s", d.loaded_speed_m_s, quantity="dozer_loaded_speed_m_s"),
        quantity_param("push_time_s", o.push_time_s, quantity="dozer_push_time_s"),
        quantity_param("return_distance_m", c.push_distance_m),
        quantity_param("return_speed_m_s", d.return_speed_m_s, quantity="dozer_return_speed_m_s"),
        quantity_param("return_time_s", o.return_time_s, quantity="dozer_return_time_s"),
        quantity_param("gear_shift_time_s", d.gear_shift_time_s,
                       quantity="dozer_gear_shift_time_s"),
        quantity_param("blade_width_m", d.blade_width_m, quantity="dozer_blade_width_m"),
        quantity_param("blade_height_m", d.blade_height_m, quantity="dozer_blade_height_m"),
        quantity_param("material_repose_angle_deg", c.material_repose_angle_deg),
        quantity_param("drag_prism_volume_m3", o.drag_prism_volume_m3,
                       quantity="dozer_drag_prism_volume_m3"),
        quantity_param("loosening_factor", c.loosening_factor),
        quantity_param("push_loss_factor", o.push_loss_factor, quantity="dozer_push_loss_factor"),
        quantity_param("terrain_factor", c.terrain_factor),
        quantity_param("technical_output_m3_h", o.technical_output_m3_h,
                       quantity="dozer_technical_output_m3_h"),
        quantity_param("shift_duration_h", inputs.shift_duration_h,
                       quantity="dozer_shift_duration_h"),
        quantity_param("utilisation", c.utilisation, quantity="dozer_utilisation"),
        quantity_param("shift_output_m3_shift", o.shift_output_m3,
                       quantity="dozer_shift_output_m3_shift"),
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


def table_15(inputs: DesignInputs, backfill: BackfillResult, fleet: FleetResult) -> Table:
    """Return the fleet of bulldozers (003 Table 15)."""
    rows: list[dict[str, Any]] = []
    df = fleet.fleets.dozer if fleet.fleets is not None else None
    c = inputs.project.equipment.bulldozer
    if df is not None:
        V = (fleet.fleet_volume_m3 / K).tolist()
        for s, i in enumerate(fleet.fleet_streams):
            name = backfill.streams[i].name
            rows.append(quantity_param("dumped_volume_thousand_m3", V[s],
                                       quantity="dumped_stream_volume_thousand_m3_year",
                                       item=name, stream=name))  # fmt: skip
        rows += [
            quantity_param("dozed_fraction", c.dozed_fraction),
            quantity_param("dozing_volume_thousand_m3", df.dozing_volume_m3 / K,
                           quantity="dozer_dozing_volume_thousand_m3_year"),
            quantity_param("working_days", inputs.working_days,
                           quantity="annual_working_days_day_year"),
            quantity_param("shifts_per_day", inputs.shifts_per_day,
                           quantity="working_shifts_per_day"),
            quantity_param("shift_volume_m3_shift", df.shift_volume_m3,
                           quantity="dozer_shift_volume_m3_shift"),
            quantity_param("shift_output_m3_shift", fleet.dozer_output.shift_output_m3,
                           quantity="dozer_shift_output_m3_shift"),
            quantity_param("working_fleet", df.working_fleet,
                           quantity="dozer_working_fleet"),
            quantity_param("reserve_factor", c.reserve_factor,
                           quantity="dozer_reserve_factor"),
            quantity_param("inventory_fleet", df.inventory_fleet,
                           quantity="dozer_inventory_fleet"),
            quantity_param("fleet_whole", df.whole, quantity="dozer_inventory_fleet_whole"),
        ]  # fmt: skip
    name = fleet.dozer.name
    return Table(
        "dozer_fleet",
        text(f"Fleet of bulldozers {name}", f"Расчет потребного парка бульдозеров {name}"),
        "003 Table 15",
        PARAMETER_COLUMNS,
        rows,
        [TABLE_15_NOTE],
    )


def fleet_findings(inputs: DesignInputs, fleet: FleetResult) -> list[Finding]:
    """Return a finding for every machine model the works use below the minimum."""
    if fleet.fleets is None:
        return []
    findings: list[Finding] = []
    minimum = inputs.project.equipment.min_utilisation
    fleets = fleet.fleets
    machines = [(fleet.stage.loader.name, fleets.loader.total, fleets.loader.whole)]
    machines += [
        (m, fleets.trucks.model_fleet[m], fleets.trucks.model_whole[m])
        for m in inputs.project.equipment.trucks.models
    ]
    machines.append((fleet.dozer.name, fleets.dozer.inventory_fleet, fleets.dozer.whole))
    for name, required, whole in machines:
        if whole <= 0:
            continue
        use = required / whole
        if use < minimum:
            findings.append(
                Finding(
                    "fleet-under-utilised",
                    "warning",
                    text(
                        f"{name}: the works need {required:.2f} machines, the fleet has "
                        f"{whole}: it is used {use:.0%}, below {minimum:.0%}.",
                        f"{name}: потребность {ru_number(required, 2)} ед., в парке {whole} ед.: "
                        f"использование {use:.0%}, ниже {minimum:.0%}.",
                    ),
                    use,
                    minimum,
                    "",
                    "project file [equipment] min_utilisation",
                )
            )
    return findings


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
    quantity_col("work", "work_stream"),
    quantity_col("activity", "activity_key"),
    quantity_col("equipment", "equipment_name"),
    quantity_col("required", "fleet_required"),
    quantity_col("count", "fleet_count"),
    quantity_col("utilisation", "fleet_utilisation"),
]

LOADING_WORK = text("Excavation and loading of waste into trucks",
                    "Экскавация и погрузка отходов в автосамосвал")  # fmt: skip
HAULAGE_WORK = text("Haulage of waste to the dump", "Транспортировка отходов на отвал")
DOZING_WORK = text("Bulldozer dumping", "Бульдозерное отвалообразование")

TABLE_8_COLUMNS = [
    quantity_col("stream", "work_stream"),
    quantity_col("truck", "truck_model"),
    quantity_col("bucket_volume_m3", "loader_bucket_volume_m3"),
    quantity_col("payload_t", "truck_payload_t"),
    quantity_col("body_volume_m3", "truck_body_volume_m3"),
    quantity_col("bulk_density_t_m3"),
    quantity_col("heaped_load_factor", "truck_heaped_load_factor"),
    quantity_col("bucket_fill_factor"),
    quantity_col("loosening_factor"),
    quantity_col("buckets_by_payload"),
    quantity_col("buckets_by_body_volume"),
    quantity_col("loader_cycles", "loader_accepted_cycles"),
    quantity_col("volume_per_truck_m3", "truck_volume_per_truck_m3"),
    quantity_col("cycle_time_s", "loader_cycle_time_s"),
    quantity_col("truck_spotting_time_s"),
    quantity_col("shift_duration_h"),
    quantity_col("utilisation", "loader_utilisation"),
    quantity_col("shift_output_m3_shift", "loader_operating_output_m3_shift"),
    quantity_col("truck_share"),
    quantity_col("weighted_output_m3_shift", "loader_weighted_output_m3_shift"),
    quantity_col("shifts_per_day", "working_shifts_per_day"),
    quantity_col("working_days", "loader_working_days_day_year"),
    quantity_col("annual_output_thousand_m3", "loader_annual_output_thousand_m3_year"),
]  # fmt: skip

TABLE_9_COLUMNS = [
    quantity_col("stream", "work_stream"),
    quantity_col("annual_volume_thousand_m3", "loader_annual_volume_thousand_m3_year"),
    quantity_col("annual_output_thousand_m3", "loader_annual_output_q_thousand_m3_year"),
    quantity_col("fleet"),
    quantity_col("fleet_whole", "whole_loaders"),
]  # fmt: skip

TABLE_11_COLUMNS = [
    quantity_col("stream", "work_stream"),
    quantity_col("truck", "truck_model"),
    quantity_col("payload_t", "hauled_payload_t"),
    quantity_col("body_volume_m3", "truck_geometric_body_volume_m3"),
    quantity_col("bucket_volume_m3", "loader_rated_bucket_volume_m3"),
    quantity_col("bulk_density_t_m3"),
    quantity_col("bucket_fill_factor"),
    quantity_col("loosening_factor"),
    quantity_col("loader_cycles", "truck_loader_cycles"),
    quantity_col("volume_per_truck_m3", "actual_volume_per_truck_m3"),
    quantity_col("loader_cycle_time_s"),
    quantity_col("loading_time_min"),
    quantity_col("load_spotting_time_min"),
    quantity_col("unload_spotting_time_min"),
    quantity_col("unloading_time_min"),
    quantity_col("loader_wait_time_min"),
    quantity_col("shift_duration_min"),
    quantity_col("preparation_time_min"),
    quantity_col("break_time_min"),
    quantity_col("personal_time_min"),
    quantity_col("average_speed_km_h"),
    quantity_col("haul_distance_km"),
    quantity_col("travel_time_min"),
    quantity_col("trip_time_min"),
    quantity_col("shift_output_m3_shift", "truck_shift_output_m3_shift"),
]  # fmt: skip

TABLE_12_COLUMNS = [
    quantity_col("stream", "work_stream"),
    quantity_col("truck", "truck_model"),
    quantity_col("annual_volume_thousand_m3", "annual_haulage_thousand_m3_year"),
    quantity_col("working_days", "working_days_day_year"),
    quantity_col("shifts_per_day"),
    quantity_col("shift_volume_m3_shift", "truck_shift_volume_m3_shift"),
    quantity_col("shift_output_m3_shift", "truck_shift_output_m3_shift"),
    quantity_col("working_fleet", "truck_working_fleet"),
    quantity_col("technical_availability"),
    quantity_col("listed_fleet", "truck_listed_fleet"),
    quantity_col("fleet_whole", "whole_trucks"),
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
