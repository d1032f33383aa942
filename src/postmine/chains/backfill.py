"""The 003 backfill chain: waste volumes -> filling time -> calendar plan -> surface works.

One home for what document 003 computes before the machines (sec. 3): the annual volumes
of the waste streams (Table 4), the capacities of the tiers and the filling time of the
void (sec. 3.1), the calendar plan by tier and year within a limit of years (Table 5), and
the volumes of the finishing planning (sec. 3.2) and of the reclamation layer (sec. 3.3).
The calculator (:mod:`postmine.calc.waste_volumes`, :mod:`postmine.calc.backfill_schedule`)
and the backfill design (:mod:`postmine.project.backfill`) call these functions.

Units: SI inside and at this API (t, m³, m², m; annual figures per year). The source's
thousands appear only where a caller prints them.

Public API
----------
* :class:`WasteStreamInput` and :func:`waste_volumes` ``(streams) -> WasteStreamVolumes``
  (Table 4);
* :func:`tier_capacity` ``(remaining_capacity_m3, capacities_m3)`` -> capacity of every
  tier, the highest taking the rest when its capacity is ``None`` (sec. 3.1);
* :func:`backfill_plan` ``(tier_capacity_m3, annual_dump_volume_m3, max_years, start_year,
  annual_placed_volume_m3=None)`` -> :class:`BackfillPlan` (sec. 3.1, Table 5);
* :func:`surface_works` ``(planning_area_m2, specific_planning_volume_m3_m2, layer_area_m2,
  layer_thickness_m, imported_layer_volume_m3=None)`` -> :class:`SurfaceWorks`
  (sec. 3.2, 3.3).

Examples
--------
>>> plan = backfill_plan([3839.5e3, 23160.5e3], 512.3e3, 15, 2022, 554.3e3)
>>> round(plan.filling_time_years, 1), plan.whole_years, int(plan.schedule.years[-1])
(52.7, 53, 2036)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from postmine.methods.backfill import (
    BackfillSchedule,
    WasteStreamVolumes,
    backfill_schedule,
    filling_time,
    planning_volume,
    reclamation_layer_thickness,
    reclamation_layer_volume,
    tier_capacities,
    waste_stream_volumes,
)

__all__ = [
    "BackfillPlan",
    "SurfaceWorks",
    "WasteStreamInput",
    "backfill_plan",
    "surface_works",
    "tier_capacity",
    "waste_volumes",
]


@dataclass(frozen=True)
class WasteStreamInput:
    """One waste stream placed in the void (a row of Table 4 of 003).

    Parameters
    ----------
    name : str
        Name of the stream. [-]
    annual_mass_t : float
        M, mass placed per year. [t/year]
    bulk_density_t_m3 : float
        γ, bulk (volume) weight. [t/m³]
    factor : float
        k_ор, residual loosening factor, or k_у, compaction factor, >= 1. [-]
    factor_kind : {"loosening", "compaction"}
        V_отв = V k_ор (waste rock) or V_отв = V / k_у (tailings, sludge, ash). [-]
    """

    name: str
    annual_mass_t: float
    bulk_density_t_m3: float
    factor: float
    factor_kind: Literal["loosening", "compaction"]


def waste_volumes(streams: Sequence[WasteStreamInput]) -> WasteStreamVolumes:
    """Compute the volume as delivered and in the dump of every stream (Table 4 of 003).

    Parameters
    ----------
    streams : sequence of WasteStreamInput
        The streams, each with a distinct name.

    Returns
    -------
    WasteStreamVolumes
        M [t/year], V and V_отв [m³/year] per stream, with their totals.

    Raises
    ------
    ValueError
        If two streams share a name (their results could not be told apart), or a value
        is out of range as in :func:`postmine.methods.backfill.waste_stream_volumes`.

    Notes
    -----
    V = M / γ; V_отв = V k_ор or V / k_у (Table 4 in [003]).

    Examples
    --------
    >>> rock = WasteStreamInput("Waste rock", 140e3, 2.85, 1.08, "loosening")
    >>> round(float(waste_volumes([rock]).dump_volume[0]))  # Table 4: 53.0 thousand m³
    53053
    """
    names = [s.name for s in streams]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ValueError(f"streams must have distinct names, got {', '.join(duplicates)} twice")
    return waste_stream_volumes(
        [s.annual_mass_t for s in streams],
        [s.bulk_density_t_m3 for s in streams],
        [s.factor for s in streams],
        [s.factor_kind for s in streams],
    )


def tier_capacity(
    remaining_capacity_m3: float, capacities_m3: Sequence[float | None]
) -> npt.NDArray[np.float64]:
    """Return the capacity of every tier, bottom-up (003 sec. 3.1, Table 5).

    Parameters
    ----------
    remaining_capacity_m3 : float
        V_ост, remaining capacity of the void, as volume in the dump. [m³]
    capacities_m3 : sequence of float or None
        Capacity of each tier bottom-up; when the highest is ``None`` it takes the rest of
        ``remaining_capacity_m3``, otherwise the capacities are used as given. [m³]

    Returns
    -------
    ndarray
        V_яр of each tier. [m³]

    Raises
    ------
    ValueError
        If a lower tier has no capacity, or the lower tiers hold more than the void.

    Examples
    --------
    >>> tier_capacity(27_000e3, [3839.5e3, None]).tolist()
    [3839500.0, 23160500.0]
    """
    if not capacities_m3:
        raise ValueError("capacities_m3 must list at least one tier")
    if capacities_m3[-1] is None:
        lower = list(capacities_m3[:-1])
        if any(c is None for c in lower):
            raise ValueError("every tier but the highest needs a capacity")
        return tier_capacities(remaining_capacity_m3, [c for c in lower if c is not None])
    if any(c is None for c in capacities_m3):
        raise ValueError("every tier but the highest needs a capacity")
    return np.asarray([c for c in capacities_m3 if c is not None], dtype=np.float64)


@dataclass(frozen=True)
class BackfillPlan:
    """Filling time and calendar plan of a void (003 sec. 3.1, Table 5).

    Attributes
    ----------
    filling_time_years : float
        T_з, years to fill all the tiers at the annual volume. [years]
    whole_years : int
        ⌈T_з⌉, whole years of work to fill them. [years]
    schedule : BackfillSchedule
        The calendar plan within the limit of years (volumes in m³).
    """

    filling_time_years: float
    whole_years: int
    schedule: BackfillSchedule

    @property
    def year_share(self) -> list[float]:
        """Share of a full year's volume placed in each year of the plan (1, ..., 1, part)."""
        s = self.schedule
        share: list[float] = (s.dump_volume_by_year / s.annual_dump_volume).tolist()
        return share


def backfill_plan(
    tier_capacity_m3: npt.ArrayLike,
    annual_dump_volume_m3: float,
    max_years: int | None,
    start_year: int,
    annual_placed_volume_m3: float | None = None,
) -> BackfillPlan:
    """Compute the filling time and the calendar plan of tiers of given capacities.

    Parameters
    ----------
    tier_capacity_m3 : array_like
        Capacity of every tier bottom-up, volume in the dump (see :func:`tier_capacity`). [m³]
    annual_dump_volume_m3 : float
        V_отв.г, waste placed per year, volume in the dump. [m³/year]
    max_years : int or None
        Legal limit on the years of the plan (15 by the Rules, п. 28); ``None`` plans until
        the void is full. [years]
    start_year : int
        First calendar year of the plan. [year]
    annual_placed_volume_m3 : float, optional
        V_р.г, the same waste as delivered; gives the plan's delivered volumes. [m³/year]

    Returns
    -------
    BackfillPlan
        T_з [years], ⌈T_з⌉ [years] and the calendar plan [m³].

    Raises
    ------
    ValueError
        If a value is out of range as in :mod:`postmine.methods.backfill`.

    Notes
    -----
    T_з = V_ост / V_отв.г (003 sec. 3.1); Table 5 fills the tiers bottom-up at V_отв.г a
    year, a year split between tiers shared in proportion to the volume in the dump.
    """
    capacity = np.asarray(tier_capacity_m3, dtype=np.float64)
    remaining = float(capacity.sum())
    t_z = float(filling_time(remaining, annual_dump_volume_m3))
    t_whole = int(filling_time(remaining, annual_dump_volume_m3, whole_years=True))
    schedule = backfill_schedule(
        capacity,
        annual_dump_volume_m3,
        t_whole if max_years is None else max_years,
        annual_placed_volume=annual_placed_volume_m3,
        start_year=start_year,
    )
    return BackfillPlan(t_z, t_whole, schedule)


@dataclass(frozen=True)
class SurfaceWorks:
    """Volumes of the surface planning (003 sec. 3.2) and of the reclamation layer (3.3).

    Attributes
    ----------
    planning_volume_m3 : float or None
        V_пл, volume of the finishing planning; None without a planning area. [m³]
    layer_volume_m3 : float or None
        V_рс, volume of the layer; None without a layer area. [m³]
    imported_layer_thickness_m : float or None
        h_ППП, mean thickness the imported volume makes; None without one. [m]
    """

    planning_volume_m3: float | None
    layer_volume_m3: float | None
    imported_layer_thickness_m: float | None


def surface_works(
    planning_area_m2: float | None,
    specific_planning_volume_m3_m2: float,
    layer_area_m2: float | None,
    layer_thickness_m: float,
    imported_layer_volume_m3: float | None = None,
) -> SurfaceWorks:
    """Compute the planning and reclamation-layer volumes whose areas are given.

    Parameters
    ----------
    planning_area_m2 : float or None
        S_пл, area of the finishing planning. [m²]
    specific_planning_volume_m3_m2 : float
        q, specific volume of the planning (0.1 by [8] of 003). [m³/m²]
    layer_area_m2 : float or None
        S_рс, area covered by the reclamation layer. [m²]
    layer_thickness_m : float
        h_рс, thickness of the layer, at least 0.3. [m]
    imported_layer_volume_m3 : float, optional
        V_ППП, potentially fertile rock brought in; needs ``layer_area_m2``. [m³]

    Returns
    -------
    SurfaceWorks
        V_пл [m³], V_рс [m³] and h_ППП [m], each None when its input is missing.

    Raises
    ------
    ValueError
        If ``imported_layer_volume_m3`` is given without ``layer_area_m2``, or a value is
        out of range as in :mod:`postmine.methods.backfill`.

    Notes
    -----
    V_пл = q S_пл (sec. 3.2); V_рс = S_рс h_рс and h_ППП = V_ППП / S_рс (sec. 3.3 of [003]).

    Examples
    --------
    >>> works = surface_works(166e3, 0.1, 463e3, 0.3, 156e3)
    >>> works.planning_volume_m3, round(works.imported_layer_thickness_m, 3)
    (16600.0, 0.337)
    """
    v_pl = (
        None
        if planning_area_m2 is None
        else float(planning_volume(planning_area_m2, specific_planning_volume_m3_m2))
    )
    if imported_layer_volume_m3 is not None and layer_area_m2 is None:
        raise ValueError("imported_layer_volume needs layer_area, the area it covers")
    v_rs = h = None
    if layer_area_m2 is not None:
        v_rs = float(reclamation_layer_volume(layer_area_m2, layer_thickness_m))
        if imported_layer_volume_m3 is not None:
            h = float(reclamation_layer_thickness(imported_layer_volume_m3, layer_area_m2))
    return SurfaceWorks(v_pl, v_rs, h)
