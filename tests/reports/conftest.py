"""A realistic synthetic ProjectResult for the report tests, shaped like the Abaza project (003).

The tables copy 003's printed numbers (Table 4, Table 5 with tiers +650/+680 over 2022-2036);
the work, costs and assurance are synthetic but consistent: cost lines are machine hours x
rates, the indirect lines are percentages of the direct cost, the liability of a year is the
third-party cost of that year's state (the quantity of each task outstanding x its unit cost,
plus mobilisation, indirect percent and escalation: L_t = k_e(t) D_t (1 + p/100)), the bond is
its maximum, and the Monte Carlo samples scatter around the bond with P50/P80/P90 taken from
them. Of the three milestones the last is not reached within the plan.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest

from postmine.project.model import (
    AssuranceResult,
    Column,
    CostLine,
    CostResult,
    Finding,
    LiabilityYear,
    MaterialItem,
    MilestoneRelease,
    ProjectResult,
    Table,
    WorkItem,
    text,
)


def pytest_configure(config: pytest.Config) -> None:
    # Until pyproject.toml registers it (the run uses --strict-markers).
    config.addinivalue_line(
        "markers", "browser: opens the HTML report in headless Chromium (/usr/bin/chromium)"
    )


YEARS = list(range(2022, 2037))
START = YEARS[0]

# 003 Table 4: stream, mass (thousand t), density (t/m³), volume (thousand m³),
# residual loosening factor, compaction factor, volume in the dump (thousand m³)
TABLE_4 = [
    (
        "Waste rock",
        "Пустая порода при добыче железных руд подземным способом",
        140.0,
        2.85,
        49.1,
        1.08,
        None,
        53.0,
    ),
    (
        "Tailings of dry magnetic separation",
        "Отходы (хвосты) сухой магнитной сепарации",
        1000.0,
        2.15,
        465.1,
        None,
        1.1,
        422.8,
    ),
    (
        "Mine-water sludge",
        "Отходы (осадок) механической очистки шахтно-рудничных вод",
        7.1,
        3.0,
        2.4,
        None,
        1.1,
        2.2,
    ),
    ("Ash and slag", "Золошлаковая смесь от сжигания углей", 33.9, 0.9, 37.7, None, 1.1, 34.3),
]

# 003 Table 5: year -> (+650 placed, +650 in dump, +680 placed, +680 in dump), thousand m³
TABLE_5 = {
    **dict.fromkeys(range(2022, 2029), (554.3, 512.3, None, None)),
    2029: (274.1, 253.4, 280.2, 258.9),
    **dict.fromkeys(range(2030, 2037), (None, None, 554.3, 512.3)),
}

RATES = {  # equipment: (owning and operating, operator), rub/h -- as in examples/abaza
    "SDLG L975F": (4800.0, 750.0),
    "BelAZ-75404": (5600.0, 750.0),
    "KamAZ-6520": (3200.0, 650.0),
    "T-170": (3900.0, 750.0),
}
INDIRECT = [
    ("engineering, design and construction management", 8.0, "Nevada SRCE"),
    ("contingency", 10.0, "Nevada SRCE"),
    ("performance bond", 3.0, "Nevada SRCE"),
    ("contractor profit", 10.0, "Nevada SRCE"),
    ("contract administration", 10.0, "Nevada SRCE"),
    ("government indirect", 2.0, "Nevada SRCE"),
]
ESCALATION = 0.06
DISCOUNT = 0.10
MOBILISATION_RUB = 1_500_000.0
# key, name, quantity, unit, unit cost (rub per unit), basis, third party only
TASKS = [
    (
        "void-fill",
        ("Filling the open void with borrow material", "Засыпка открытой выемки привозным грунтом"),
        2_700_000.0,
        "m³",
        300.0,
        ("borrow pit 3 km away, the project's loader and trucks", "карьер в 3 км, техника проекта"),
        True,
    ),
    (
        "surface-planning",
        ("Planning of the surface", "Планировка поверхности"),
        166_000.0,
        "m²",
        2.5,
        ("the design's own works", "работы проекта"),
        False,
    ),
    (
        "reclamation-layer",
        ("Reclamation layer", "Рекультивационный слой"),
        156_000.0,
        "m³",
        1600.0,
        ("the design's own works", "работы проекта"),
        False,
    ),
]


def outstanding(year: int) -> dict[str, float]:
    """The state of ``year``: the void is filled evenly over the years, the rest at the end."""
    void = TASKS[0][2] * (YEARS[-1] + 1 - year) / len(YEARS)
    return {"void-fill": void, "surface-planning": TASKS[1][2], "reclamation-layer": TASKS[2][2]}


def liability_years() -> list[LiabilityYear]:
    """L_t = k_e(t) · D_t · (1 + p / 100) of each year's state; the last year out of review."""
    unit_cost = {key: c for key, _, _, _, c, _, _ in TASKS}
    percent = sum(p for _, p, _ in INDIRECT)
    years = []
    for y in YEARS:
        left = outstanding(y)
        by_task = {k: q * unit_cost[k] for k, q in left.items()}
        direct = sum(by_task.values()) + MOBILISATION_RUB
        factor = (1 + ESCALATION) ** (y - START)
        years.append(
            LiabilityYear(
                year=y,
                outstanding=left,
                direct_by_task_rub=by_task,
                mobilisation_rub=MOBILISATION_RUB,
                direct_rub=direct,
                indirect_percent=percent,
                escalation_factor=factor,
                liability_rub=factor * direct * (1 + percent / 100),
                in_review=y != YEARS[-1],
            )
        )
    return years


def tasks() -> list[dict]:
    return [
        {
            "key": key,
            "name": text(*name),
            "quantity": q,
            "unit": unit,
            "direct_rub": q * c,
            "unit_cost_rub": c,
            "basis": text(*basis),
            "third_party_only": only,
        }
        for key, name, q, unit, c, basis, only in TASKS
    ]


def _waste_volumes() -> Table:
    columns = [
        Column("waste", text("Waste", "Вид отходов")),
        Column("mass_thousand_t", text("Mass", "Объем"), "thousand t"),
        Column("bulk_density_t_m3", text("Bulk density", "Объемный вес"), "t/m³"),
        Column("volume_thousand_m3", text("Volume", "Объем"), "thousand m³"),
        Column(
            "loosening_factor",
            text("Residual loosening factor", "Коэффициент остаточного разрыхления"),
        ),
        Column("compaction_factor", text("Compaction factor", "Коэффициент уплотнения")),
        Column(
            "dump_volume_thousand_m3", text("Volume in the dump", "Объем в отвале"), "thousand m³"
        ),
    ]
    rows = [
        {
            "waste": text(en, ru),
            "mass_thousand_t": mass,
            "bulk_density_t_m3": density,
            "volume_thousand_m3": volume,
            "loosening_factor": loosening,
            "compaction_factor": compaction,
            "dump_volume_thousand_m3": dump,
        }
        for en, ru, mass, density, volume, loosening, compaction, dump in TABLE_4
    ]
    rows.append(
        {
            "waste": text("Total", "Всего"),
            "mass_thousand_t": 1181.0,
            "volume_thousand_m3": 554.3,
            "dump_volume_thousand_m3": 512.3,
        }
    )
    return Table(
        key="waste_volumes",
        title=text("Annual volumes of the waste placed", "Годовые объемы складируемых отходов"),
        source="003 Table 4",
        columns=columns,
        rows=rows,
        notes=[
            text(
                "003 applies the factors to rounded volumes (49.1 x 1.08 = 53.0).",
                "В 003 коэффициенты применены к округленным объемам (49,1 × 1,08 = 53,0).",
            )
        ],
    )


def _calendar_plan() -> Table:
    """003 Table 5 with the engine's keys (``tier+650_dump_volume_thousand_m3``, ...)."""
    tm3 = "thousand m³"
    columns = [Column("year", text("Year", "Годы работы"))]
    for tier in ("+650", "+680"):
        columns += [
            Column(
                f"tier{tier}_placed_volume_thousand_m3",
                text(f"Tier {tier} m: waste placed", f"Ярус {tier} м: объем размещаемых отходов"),
                tm3,
            ),
            Column(
                f"tier{tier}_dump_volume_thousand_m3",
                text(f"Tier {tier} m: waste in the dump", f"Ярус {tier} м: объем отходов в отвале"),
                tm3,
            ),
        ]
    for key, en, ru in (
        ("placed_volume_thousand_m3", "Total: waste placed", "Всего: объем размещаемых отходов"),
        ("dump_volume_thousand_m3", "Total: waste in the dump", "Всего: объем отходов в отвале"),
        ("cumulative_dump_volume_thousand_m3", "In the dump since the start",
         "В отвале нарастающим итогом"),
        ("unfilled_capacity_thousand_m3", "Capacity still unfilled", "Незаполненная емкость"),
    ):  # fmt: skip
        columns.append(Column(key, text(en, ru), tm3))
    rows = []
    for i, (year, (p650, d650, p680, d680)) in enumerate(TABLE_5.items(), start=1):
        rows.append(
            {
                "year": year,
                "tier+650_placed_volume_thousand_m3": p650,
                "tier+650_dump_volume_thousand_m3": d650,
                "tier+680_placed_volume_thousand_m3": p680,
                "tier+680_dump_volume_thousand_m3": d680,
                "placed_volume_thousand_m3": 554.3,
                "dump_volume_thousand_m3": 512.3,
                "cumulative_dump_volume_thousand_m3": 512.3 * i,
                "unfilled_capacity_thousand_m3": 27000.0 - 512.3 * i,
            }
        )
    rows.append(
        {
            "year": text("Total", "Итого"),
            "tier+650_placed_volume_thousand_m3": 4154.2,
            "tier+650_dump_volume_thousand_m3": 3839.5,
            "tier+680_placed_volume_thousand_m3": 4160.3,
            "tier+680_dump_volume_thousand_m3": 3845.0,
            "placed_volume_thousand_m3": 8314.5,
            "dump_volume_thousand_m3": 7684.5,
            "cumulative_dump_volume_thousand_m3": None,
            "unfilled_capacity_thousand_m3": 19315.5,
        }
    )
    return Table(
        key="calendar_plan",
        title=text(
            "Calendar plan of the backfill of the collapse crater",
            "Календарный план засыпки воронки обрушения",
        ),
        source="003 Table 5",
        columns=columns,
        rows=rows,
        notes=[
            text(
                "2029 is shared between the tiers in proportion to the volume in the dump.",
                "Объем 2029 г. распределен между ярусами пропорционально объему в отвале.",
            )
        ],
    )


def _dozer_fleet() -> Table:
    columns = [
        Column("parameter", text("Parameter", "Параметр")),
        Column("symbol", text("Symbol", "Обозначение")),
        Column("value", text("Value", "Значение")),
        Column("unit", text("Unit", "Ед. изм.")),
    ]
    rows = [
        {
            "parameter": text("Annual volume dozed", "Годовой объем"),
            "symbol": "V_г",
            "value": 358.6,
            "unit": "thousand m³",
        },
        {
            "parameter": text("Working fleet", "Рабочий парк"),
            "symbol": "N_р",
            "value": 0.7145,
            "unit": "units",
        },
        {
            "parameter": text("Reserve factor", "Резервный коэффициент"),
            "symbol": "K_р",
            "value": 1.4,
            "unit": "",
        },
        {
            "parameter": text("Inventory fleet", "Инвентарный парк"),
            "symbol": "N_инв",
            "value": 1,
            "unit": "units",
        },
    ]
    return Table(
        key="dozer_fleet",
        title=text("Fleet of T-170 bulldozers", "Расчет потребного парка бульдозеров Т-170"),
        source="003 Table 15",
        columns=columns,
        rows=rows,
    )


def _planning() -> Table:
    return Table(
        key="surface_planning",
        title=text("Volume of the surface planning", "Объем планировочных работ"),
        source="003 sec. 3.2",
        columns=[
            Column("area_thousand_m2", text("Area planned", "Площадь планировки"), "thousand m²"),
            Column("specific_volume_m3_m2", text("Specific volume", "Удельный объем"), "m³/m²"),
            Column("volume_thousand_m3", text("Volume", "Объем"), "thousand m³"),
        ],
        rows=[
            {"area_thousand_m2": 166.0, "specific_volume_m3_m2": 0.1, "volume_thousand_m3": 16.6}
        ],
        notes=[text("003 prints 17.", "В 003 указано 17.")],
    )


def _land_allotment() -> Table:
    return Table(
        key="land_allotment_of_the_external_dump_and_topsoil_store",  # > 31 characters
        title=text("Land taken by the dump", "Площадь земель под отвалом"),
        source="004 PR1",
        columns=[
            Column("object", text("Object", "Объект")),
            Column("area_ha", text("Area", "Площадь"), "ha"),
        ],
        rows=[{"object": "dump", "area_ha": 46.3}, {"object": "topsoil store", "area_ha": 2.5}],
    )


def _work() -> list[WorkItem]:
    work: list[WorkItem] = []
    for year in YEARS:
        volume = 554_300.0
        work += [
            WorkItem("haul-waste", year, "SDLG L975F", 1_150.0, volume),
            WorkItem(
                "haul-waste", year, "BelAZ-75404", 2_300.0 + 10.0 * (year - START), 0.6 * volume
            ),
            WorkItem("haul-waste", year, "KamAZ-6520", 1_700.0, volume * 0.4),
            WorkItem("doze-waste", year, "T-170", 1_950.0, 358_600.0),
        ]
    last = YEARS[-1]
    work += [
        WorkItem("surface-planning", last, "T-170", 160.0, 16_600.0),
        WorkItem("reclamation-layer", last, "SDLG L975F", 320.0, 156_000.0),
        WorkItem("reclamation-layer", last, "KamAZ-6520", 2_900.0, 156_000.0),
    ]
    return work


def _cost_lines(work: list[WorkItem], materials: list[MaterialItem]) -> list[CostLine]:
    lines: list[CostLine] = []
    for w in work:
        owning, operator = RATES[w.equipment]
        for category, rate in (("equipment", owning), ("labour", operator)):
            lines.append(
                CostLine(
                    w.activity,
                    w.year,
                    category,
                    w.equipment,  # type: ignore[arg-type]
                    w.machine_hours,
                    "h",
                    rate,
                    w.machine_hours * rate,
                )
            )
    for m in materials:
        lines.append(
            CostLine(
                m.activity,
                m.year,
                "materials",
                m.material,
                m.quantity,
                m.unit,
                250.0,
                m.quantity * 250.0,
            )
        )
    lines.append(
        CostLine(
            "haul-waste",
            START,
            "mobilisation",
            "mobilisation of the fleet",
            1.0,
            "lump sum",
            1_500_000.0,
            1_500_000.0,
        )
    )
    return lines


def _cost(lines: list[CostLine]) -> CostResult:
    direct = sum(line.amount_rub for line in lines)
    share = sum(p for _, p, _ in INDIRECT) / 100
    indirect = [
        {"name": name, "percent": p, "amount_rub": direct * p / 100, "source": src}
        for name, p, src in INDIRECT
    ]
    by_year_direct: dict[int, float] = defaultdict(float)
    for line in lines:
        by_year_direct[line.year] += line.amount_rub
    by_year = {y: by_year_direct[y] * (1 + share) for y in YEARS}
    escalated = {y: v * (1 + ESCALATION) ** (y - START) for y, v in by_year.items()}
    states = liability_years()
    liability = {y.year: y.liability_rub for y in states}
    in_review = [y for y in states if y.in_review]
    bond_year = max(in_review, key=lambda y: y.liability_rub).year
    bond = liability[bond_year]
    provision = sum(v / (1 + DISCOUNT) ** (y - START + 1) for y, v in escalated.items())
    rng = np.random.default_rng(20221)
    samples = bond * rng.lognormal(mean=0.0, sigma=0.08, size=500)
    percentiles = {f"P{q}": float(np.percentile(samples, q)) for q in (50, 80, 90)}
    return CostResult(
        lines=lines,
        direct_rub=direct,
        indirect=indirect,
        indirect_rub=direct * share,
        total_rub=direct * (1 + share),
        by_year_rub=by_year,
        escalated_by_year_rub=escalated,
        liability_by_year_rub=liability,
        bond_rub=bond,
        bond_year=bond_year,
        provision_rub=provision,
        percentiles_rub=percentiles,
        samples_rub=[float(s) for s in samples],
        sources={
            "SDLG L975F": "ASSUMPTION: 2022 rental rate of a 4 m³ front loader",
            "layer material": "ASSUMPTION: potentially fertile loam at the borrow, 2022",
        },
        liability_years=states,
        tasks=tasks(),
        review="rolling",
        assurance_basis="P80",
        assurance_rub=percentiles["P80"],
        deterministic_percentile=float(round((samples < bond).mean() * 100)),  # 48
    )


def _assurance(bond: float) -> AssuranceResult:
    plan = [  # name, year (None: not reached), evidence, %, remaining share of bond, requires
        (
            "Backfill and regrading of the crater accepted",
            2036,
            "act of acceptance of the technical stage and an as-built survey",
            60.0,
            0.42,
            ["void-fill", "surface-planning"],
        ),
        (
            "Reclamation layer placed and accepted",
            2036,
            "act of reclamation signed by the authority",
            25.0,
            0.05,
            ["reclamation-layer"],
        ),
        (
            "Liability period without failure",
            None,
            "monitoring: slope movement and drainage chemistry within limits for 5 years",
            15.0,
            0.05,
            ["reclamation-layer"],
        ),
    ]
    releases = []
    held = bond
    for i, (name, year, evidence, percent, remaining_share, requires) in enumerate(plan):
        remaining = bond * remaining_share
        if year is None:  # not reached within the plan: nothing is released
            wanted = released = 0.0
        else:
            wanted = bond * percent / 100 if i < len(plan) - 1 else held  # the last frees all
            released = min(wanted, held - remaining)
        held -= released
        releases.append(
            MilestoneRelease(
                name,
                year,
                evidence,
                percent,
                released,
                held,
                remaining,
                capped=released < wanted,
                requires=requires,
                state_year=year,
                reached=year is not None,
                basis="P80",
            )
        )
    return AssuranceResult(bond_rub=bond, releases=releases, basis="P80")


def make_result() -> ProjectResult:
    """Return a fresh synthetic result (tests may change it)."""
    work = _work()
    materials = [
        MaterialItem("reclamation-layer", YEARS[-1], "potentially fertile rock", 156_000.0, "m³")
    ]
    lines = _cost_lines(work, materials)
    cost = _cost(lines)
    findings = [
        Finding(
            "filling-time-exceeds-limit",
            "violation",
            text(
                "Filling the crater takes 52.7 years; technical reclamation may last 15 years.",
                "Засыпка воронки займет 52,7 года; техническая рекультивация ограничена 15 годами.",
            ),
            value=52.7,
            limit=15.0,
            unit="years",
            source="ru-800-2018: Decree No. 800, п. 28",
        ),
        Finding(
            "void-unfilled",
            "warning",
            text(
                "19315.5 thousand m³ of the void stay unfilled at the end of the plan.",
                "19315,5 тыс. м³ емкости остаются незаполненными на конец плана.",
            ),
            value=19315.5,
            unit="thousand m³",
            source="003 Table 5",
        ),
        Finding(
            "fleet-underused",
            "info",
            text(
                "Bulldozer utilisation 0.71 < 1 & above the 0.5 minimum <ok>.",
                "Использование бульдозера 0,71 < 1 и выше минимума 0,5 <ok>.",
            ),
            value=0.71,
            limit=0.5,
            source="003 Table 15",
        ),
    ]
    return ProjectResult(
        meta={
            "name": "Abaza mine: technical reclamation of the collapse crater",
            "site": "Collapse crater of the Abaza iron-ore mine",
            "operator": "ООО «Абаканский рудник»",
            "postmine_version": "0.1.0",  # the keys of postmine.project.engine.project_meta
            "format_version": 1,
            "project_file": "examples/abaza/project.toml",
            "project_sha256": "3f8a1c2be0d94e7f6a5b4c3d2e1f00112233445566778899aabbccddeeff0011",
            "rule_set_id": "ru-800-2018",
            "rule_set_title": "Правила проведения рекультивации и консервации земель (ПП РФ № 800)",
            "rule_set_title_en": "Rules of land reclamation and conservation (Decree No. 800)",
            "max_technical_years_override": None,
            "price_base_year": 2022,
        },
        tables=[_waste_volumes(), _calendar_plan(), _planning(), _dozer_fleet(), _land_allotment()],
        findings=findings,
        work=work,
        materials=materials,
        activity_years={
            "haul-waste": (2022, 2036),
            "doze-waste": (2022, 2036),
            "surface-planning": (2036, 2036),
            "reclamation-layer": (2036, 2036),
        },
        cost=cost,
        assurance=_assurance(cost.assurance_rub),
    )


@pytest.fixture
def project_result() -> ProjectResult:
    return make_result()


@pytest.fixture(scope="session")
def report_en(tmp_path_factory: pytest.TempPathFactory) -> tuple[ProjectResult, list[Path]]:
    """The English report of the fixture, written once for the session."""
    from postmine.reports import write_report

    result = make_result()
    return result, write_report(result, tmp_path_factory.mktemp("report-en"), lang="en")


@pytest.fixture(scope="session")
def report_ru(tmp_path_factory: pytest.TempPathFactory) -> tuple[ProjectResult, list[Path]]:
    """The Russian report of the fixture, written once for the session."""
    from postmine.reports import write_report

    result = make_result()
    return result, write_report(result, tmp_path_factory.mktemp("report-ru"), lang="ru")
