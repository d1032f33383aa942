"""``postmine calc soil-damage``: economic damage from soil disturbance (004, practical work 2)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from postmine.calc.base import Calculation, CalculationInputs, Quantity, register, variant_value
from postmine.methods import soil_damage as sd

TABLE = "2.1"


class SoilDamageInputs(CalculationInputs):
    """Inputs of the damage from soil disturbance (Eqs. 2.1-2.12 of 004)."""

    advance_rate: float = Field(
        gt=0, description="v_вп, advance of the front of the first dump tier (Table 2.1). [m/year]"
    )
    front_length: float = Field(
        gt=0, description="L_фот, length of the front of the external dump (Table 2.1). [m]"
    )
    topsoil_thickness: float = Field(
        gt=0, description="m_п, thickness of the fertile soil layer (004 Table 1.2). [m]"
    )
    ph_undisturbed: float = Field(gt=0, le=14, description="pH of the soil before disturbance. [-]")
    ph_disturbed: float = Field(ge=0, le=14, description="pH of the soil after disturbance. [-]")
    humus_undisturbed: float = Field(
        gt=0, le=100, description="G_0, humus content before disturbance. [%]"
    )
    humus_disturbed: float = Field(
        ge=0, le=100, description="G_н, humus content after disturbance. [%]"
    )
    humus_depth_undisturbed: float = Field(
        gt=0,
        description="L_0, depth of humus penetration before disturbance (no unit printed). [cm]",
    )
    humus_depth_disturbed: float = Field(
        ge=0, description="L_н, depth of humus penetration after disturbance. [cm]"
    )
    nitrogen_undisturbed: float = Field(
        gt=0, le=100, description="Nitrogen content before disturbance. [%]"
    )
    nitrogen_disturbed: float = Field(
        ge=0, le=100, description="Nitrogen content after disturbance. [%]"
    )
    phosphorus_undisturbed: float = Field(
        gt=0, le=100, description="Phosphorus content before disturbance. [%]"
    )
    phosphorus_disturbed: float = Field(
        ge=0, le=100, description="Phosphorus content after disturbance. [%]"
    )
    potassium_undisturbed: float = Field(
        gt=0, le=100, description="Potassium content before disturbance. [%]"
    )
    potassium_disturbed: float = Field(
        ge=0, le=100, description="Potassium content after disturbance. [%]"
    )
    loosening_factor: float = Field(
        default=sd.LOOSENING_FACTOR,
        ge=1,
        description="K_р, loosening factor of stripped soil; 1.1 per 004 text under Eq. 2.2. [-]",
    )
    removal_loss: float = Field(
        default=sd.SOIL_LOSS_NORMS["removal_loss"],
        ge=0,
        lt=1,
        description="r1, loss by incomplete removal; norm 5 % per 004 under Eq. 2.1. [-]",
    )
    haulage_loss: float = Field(
        default=sd.SOIL_LOSS_NORMS["haulage_loss"],
        ge=0,
        lt=1,
        description="r2, loss in haulage to the store; norm 1 % per 004 under Eq. 2.1. [-]",
    )
    storage_loss: float = Field(
        default=sd.SOIL_LOSS_NORMS["storage_loss"],
        ge=0,
        lt=1,
        description="r3, loss in temporary storage; norm 2.5 % per 004 under Eq. 2.1. [-]",
    )
    rehandling_loss: float = Field(
        default=sd.SOIL_LOSS_NORMS["rehandling_loss"],
        ge=0,
        lt=1,
        description="r4, loss in rehandling; norm 2.5 % per 004 under Eq. 2.1. [-]",
    )
    weather_loss: float = Field(
        default=sd.SOIL_LOSS_NORMS["weather_loss"],
        ge=0,
        lt=1,
        description="r5, loss from work in bad weather; norm 5 % per 004 under Eq. 2.1. [-]",
    )
    admixture_norm: float = Field(
        default=sd.ADMIXTURE_NORM,
        ge=0,
        lt=1,
        description="N_зп, norm of admixture of rock to soil; 0.08 per 004 under Eq. 2.5. [-]",
    )
    soil_price: float = Field(
        default=sd.SOIL_PRICE_RUB_PER_M3,
        ge=0,
        description="Ц_п, price of 1 m³ of soil; 350 per 004 under Eq. 2.6. [rub/m³]",
    )
    land_value: float = Field(
        default=sd.LAND_VALUE_RUB_PER_HA,
        ge=0,
        description="Q, standard value of farmland; 125 000 per 004 under Eq. 2.7. [rub/ha]",
    )


_INDICATORS = (
    ("pH", "acidity (pH)", "ph"),
    ("N", "nitrogen", "nitrogen"),
    ("P", "phosphorus", "phosphorus"),
    ("K", "potassium", "potassium"),
)


def _soil_loss(inputs: SoilDamageInputs) -> tuple[list[Quantity], float, float, float]:
    """Loss of soil, Eqs. (2.1)-(2.6): the rows, S [ha/year], K_р [-] and У_пп [rub/year]."""
    n_пот = float(
        sd.normative_soil_loss(
            inputs.removal_loss,
            inputs.haulage_loss,
            inputs.storage_loss,
            inputs.rehandling_loss,
            inputs.weather_loss,
        )
    )
    area = float(sd.stripped_area(inputs.advance_rate, inputs.front_length))
    v_прс = float(
        sd.topsoil_stripping_volume(
            inputs.advance_rate,
            inputs.front_length,
            inputs.topsoil_thickness,
            inputs.loosening_factor,
        )
    )
    v_п = float(sd.lost_soil_volume(v_прс, n_пот))
    b_i = float(sd.admixed_rock_volume(v_прс, inputs.admixture_norm))
    k_р = float(sd.soil_dilution_coefficient(b_i, v_прс, v_п))
    у_пп = float(sd.soil_loss_damage(n_пот, area, inputs.topsoil_thickness, inputs.soil_price))

    results = [
        Quantity.of("soil_loss_norm_percent", 100.0 * n_пот, equation="2.1"),
        Quantity.of(
            "stripped_area_ha_per_year",
            area,
            equation="2.2, 2.6",
            note="S = v_вп L_фот: the text ties the yearly stripped land to the front advance",
        ),
        Quantity.of("stripped_soil_volume_m3_per_year", v_прс, equation="2.2"),
        Quantity.of("lost_soil_volume_m3_per_year", v_п, equation="2.4"),
        Quantity.of("admixed_rock_volume_m3_per_year", b_i, equation="2.5"),
        Quantity.of("soil_dilution_coefficient", k_р, equation="2.3"),
        Quantity.of("soil_loss_damage_rub_per_year", у_пп, equation="2.6"),
    ]
    return results, area, k_р, у_пп


def _agrochemical_worsening(inputs: SoilDamageInputs) -> tuple[list[Quantity], float]:
    """Worsening by each indicator, Eqs. (2.9)-(2.10), and its mean K_а, Eq. (2.8)."""
    results: list[Quantity] = []
    worsening = {}
    for symbol, name, key in _INDICATORS:
        disturbed = getattr(inputs, f"{key}_disturbed")
        undisturbed = getattr(inputs, f"{key}_undisturbed")
        k_и = float(sd.quality_change_ratio(disturbed, undisturbed))
        k_а = float(sd.agrochemical_worsening_coefficient(disturbed, undisturbed))
        worsening[key] = k_а
        results += [
            Quantity.of(
                "soil_quality_change_ratio",
                k_и,
                equation="2.10",
                indicator=symbol,
                indicator_name=name,
            ),
            Quantity.of(
                "agrochemical_worsening_coefficient",
                k_а,
                equation="2.9",
                indicator=symbol,
                indicator_name=name,
            ),
        ]
    k_а_mean = float(
        sd.mean_agrochemical_worsening(
            worsening["phosphorus"],
            worsening["nitrogen"],
            worsening["potassium"],
            worsening["ph"],
        )
    )
    return results, k_а_mean


def compute(inputs: SoilDamageInputs) -> list[Quantity]:
    """Compute every quantity of Eqs. (2.1)-(2.12) of 004 and report it."""
    results, area, k_р, у_пп = _soil_loss(inputs)
    worsening_rows, k_а_mean = _agrochemical_worsening(inputs)
    results += worsening_rows
    k_б = float(
        sd.biological_worsening_coefficient(
            inputs.humus_undisturbed,
            inputs.humus_disturbed,
            inputs.humus_depth_undisturbed,
            inputs.humus_depth_disturbed,
        )
    )
    у_нцп = float(sd.soil_integrity_damage(k_б, k_а_mean, k_р, area, inputs.land_value))
    у_нп = float(sd.soil_disturbance_damage(у_пп, у_нцп))
    results += [
        Quantity.of("mean_agrochemical_worsening_coefficient", k_а_mean, equation="2.8"),
        Quantity.of("biological_worsening_coefficient", k_б, equation="2.11"),
        Quantity.of(
            "soil_integrity_damage_rub_per_year",
            у_нцп,
            equation="2.7",
            note="read as Q K_б K_а K_р S (product); see soil_integrity_damage",
        ),
        Quantity.of("soil_total_damage_rub_per_year", у_нп, equation="2.12"),
    ]
    return results


def from_variant(row: dict[str, Any]) -> dict[str, Any]:
    """Turn a row of Table 2.1 of 004 into inputs (m_п comes from Table 1.2, see the CSV)."""

    def value(key: str) -> Any:
        return variant_value(row, key, TABLE)

    return {
        "advance_rate": value("front_advance_rate_m_per_year"),
        "front_length": value("front_length_m"),
        "topsoil_thickness": value("topsoil_thickness_m"),
        "ph_undisturbed": value("ph_undisturbed"),
        "ph_disturbed": value("ph_disturbed"),
        "humus_undisturbed": value("humus_undisturbed_pct"),
        "humus_disturbed": value("humus_disturbed_pct"),
        "humus_depth_undisturbed": value("humus_depth_undisturbed_cm"),
        "humus_depth_disturbed": value("humus_depth_disturbed_cm"),
        "nitrogen_undisturbed": value("nitrogen_undisturbed_pct"),
        "nitrogen_disturbed": value("nitrogen_disturbed_pct"),
        "phosphorus_undisturbed": value("phosphorus_undisturbed_pct"),
        "phosphorus_disturbed": value("phosphorus_disturbed_pct"),
        "potassium_undisturbed": value("potassium_undisturbed_pct"),
        "potassium_disturbed": value("potassium_disturbed_pct"),
    }


SOIL_DAMAGE = register(
    Calculation(
        name="soil-damage",
        title="Economic damage from the disturbance of soil by mining",
        source="004, practical work 2, Eqs. 2.1-2.12, Table 2.1",
        inputs_model=SoilDamageInputs,
        compute=compute,
        variant_table=TABLE,
        from_variant=from_variant,
    )
)
