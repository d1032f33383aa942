"""Backfill of a void with mining waste: stream volumes, filling time, calendar plan by tiers.

Section 2 and sections 3.1-3.3 of [003]: the annual waste streams placed in the collapse
crater of the Abaza mine are turned into volumes (Table 4), the crater's remaining
capacity gives the filling time, the calendar plan fills the dump tiers bottom-up under the
legal limit of years (Table 5), and the finished surface is planned (3.2) and covered by a
reclamation layer (3.3).

Units: masses in t, volumes in m³, areas in m², thicknesses in m, times in years. The
source prints thousand t and thousand m³; multiply its figures by 1000.

References
----------
[003] Abaza mine, technical reclamation of disturbed land, project documentation vol. 3
      book 1 (2022), sections 2, 3.1 "Засыпка воронки обрушения", 3.2 "Планировка
      поверхности отвала", 3.3 "Формирование рекультивационного слоя".
[8]   Методические указания по проектированию рекультивации нарушенных земель на
      действующих и проектируемых предприятиях угольной промышленности (ВНИИОСуголь),
      1991 — cited by [003] for the planning and layer norms.
[5]   Правила проведения рекультивации и консервации земель (Government decree No. 800,
      2018), п. 28 — cited by [003] for the 15-year limit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from postmine.core.checks import at_least, in_range, non_negative, positive

__all__ = [
    "MAX_RECLAMATION_YEARS",
    "MIN_LAYER_THICKNESS",
    "SPECIFIC_PLANNING_VOLUME",
    "BackfillSchedule",
    "WasteStreamVolumes",
    "backfill_schedule",
    "compacted_volume",
    "filling_time",
    "loosened_volume",
    "planning_volume",
    "reclamation_layer_thickness",
    "reclamation_layer_volume",
    "tier_capacities",
    "volume_in_dump",
    "waste_stream_volumes",
    "waste_volume",
]

FloatLike = float | npt.NDArray[np.float64]
FactorKind = Literal["loosening", "compaction"]

#: Specific volume of bulldozer work in the finishing planning of horizontal dump surfaces,
#: [m³/m²]; [8] as quoted by [003], section 3.2.
SPECIFIC_PLANNING_VOLUME = 0.1

#: Least thickness of the layer of potentially fertile rock on a dump of unsuitable rock
#: (sanitary-hygienic direction of reclamation), [m]; [8] as quoted by [003], section 3.3.
MIN_LAYER_THICKNESS = 0.3

#: Longest duration of reclamation works allowed by the Rules [5], п. 28, [years];
#: [003], sections 3.1 and 5.
MAX_RECLAMATION_YEARS = 15

# Relative slack when comparing cumulative volumes (binary noise of sums of floats).
_REL_EPS = 1e-9


def waste_volume(annual_mass: FloatLike, bulk_density: FloatLike) -> FloatLike:
    r"""Volume of a waste stream from its mass and bulk density.

    The "Объем, тыс. м3" column of Table 4 in [003]: the volume the waste occupies as
    delivered, before it settles in the dump.

    Parameters
    ----------
    annual_mass : float or ndarray
        M, mass of waste placed per year (or any mass). [t/year]
    bulk_density : float or ndarray
        γ, bulk (volume) weight of the waste. [t/m³]

    Returns
    -------
    float or ndarray
        V, volume of the waste as delivered, per year. [m³/year]

    Raises
    ------
    ValueError
        If ``annual_mass`` is negative or ``bulk_density`` is not positive.

    Notes
    -----
    .. math:: V = M / γ

    Table 4 in [003]: 140.0 thousand t of waste rock at 2.85 t/m³ give 49.1 thousand m³.

    References
    ----------
    [003] section 3.1, Table 4 "Годовые объемы складируемых отходов".

    Examples
    --------
    >>> round(float(waste_volume(140.0e3, 2.85)), 1)
    49122.8
    """
    non_negative("annual_mass", annual_mass, "t/year")
    positive("bulk_density", bulk_density, "t/m³")
    volume: FloatLike = np.asarray(annual_mass, dtype=float) / np.asarray(bulk_density)
    return volume


def loosened_volume(volume: FloatLike, residual_loosening_factor: FloatLike) -> FloatLike:
    r"""Volume a loose rock occupies in the dump after settlement (residual loosening).

    Broken rock never returns to its in-situ density: its volume in the dump is the delivered
    volume times the residual loosening factor (waste rock in Table 4 of [003]).

    Parameters
    ----------
    volume : float or ndarray
        V, volume of the waste as delivered. [m³]
    residual_loosening_factor : float or ndarray
        k_ор, residual loosening factor, at least 1. [-]

    Returns
    -------
    float or ndarray
        V_отв, volume in the dump. [m³]

    Raises
    ------
    ValueError
        If ``volume`` is negative or ``residual_loosening_factor`` is below 1.

    Notes
    -----
    .. math:: V_{отв} = V k_{ор}

    Table 4 in [003]: 49.1 × 1.08 = 53.0 thousand m³ for waste rock.

    References
    ----------
    [003] section 3.1, Table 4.

    Examples
    --------
    >>> round(float(loosened_volume(49.1e3, 1.08)), 1)
    53028.0
    """
    non_negative("volume", volume, "m³")
    at_least("residual_loosening_factor", residual_loosening_factor, 1.0)
    k_or = np.asarray(residual_loosening_factor, dtype=float)
    v_otv: FloatLike = np.asarray(volume, dtype=float) * k_or
    return v_otv


def compacted_volume(volume: FloatLike, compaction_factor: FloatLike) -> FloatLike:
    r"""Volume a fine waste occupies in the dump after compaction.

    Tailings, sludge and ash settle denser than delivered: their volume in the dump is the
    delivered volume divided by the compaction factor (Table 4 of [003]).

    Parameters
    ----------
    volume : float or ndarray
        V, volume of the waste as delivered. [m³]
    compaction_factor : float or ndarray
        k_у, compaction factor, at least 1. [-]

    Returns
    -------
    float or ndarray
        V_отв, volume in the dump. [m³]

    Raises
    ------
    ValueError
        If ``volume`` is negative or ``compaction_factor`` is below 1.

    Notes
    -----
    .. math:: V_{отв} = V / k_{у}

    Table 4 in [003]: 465.1 / 1.1 = 422.8 thousand m³ for the dry-magnetic-separation
    tailings.

    References
    ----------
    [003] section 3.1, Table 4.

    Examples
    --------
    >>> round(float(compacted_volume(465.1e3, 1.1)), 1)
    422818.2
    """
    non_negative("volume", volume, "m³")
    at_least("compaction_factor", compaction_factor, 1.0)
    k_u = np.asarray(compaction_factor, dtype=float)
    v_otv: FloatLike = np.asarray(volume, dtype=float) / k_u
    return v_otv


def volume_in_dump(volume: FloatLike, factor: FloatLike, model: FactorKind) -> FloatLike:
    """Volume of a waste in the dump, by residual loosening or by compaction.

    Dispatches to :func:`loosened_volume` or :func:`compacted_volume` (Table 4 of [003]).

    Parameters
    ----------
    volume : float or ndarray
        V, volume of the waste as delivered. [m³]
    factor : float or ndarray
        k_ор (``model="loosening"``) or k_у (``model="compaction"``), at least 1. [-]
    model : {"loosening", "compaction"}
        ``"loosening"``: rock that stays loose, V_отв = V k_ор (waste rock in [003]);
        ``"compaction"``: fine waste that compacts, V_отв = V / k_у (tailings, sludge,
        ash in [003]). [-]

    Returns
    -------
    float or ndarray
        V_отв, volume in the dump. [m³]

    Raises
    ------
    ValueError
        If ``model`` is not one of the two, or as the chosen function raises.

    Notes
    -----
    Table 4 in [003] gives each stream either a "коэффициент остаточного разрыхления" or a
    "коэффициент уплотнения", never both.

    References
    ----------
    [003] section 3.1, Table 4.

    Examples
    --------
    >>> round(float(volume_in_dump(2.4e3, 1.1, "compaction")), 1)
    2181.8
    """
    if model == "loosening":
        return loosened_volume(volume, factor)
    if model == "compaction":
        return compacted_volume(volume, factor)
    raise ValueError(f"model must be one of: loosening, compaction; got {model!r}")


@dataclass(frozen=True)
class WasteStreamVolumes:
    """Volumes of several waste streams, as in Table 4 of [003].

    Attributes
    ----------
    annual_mass : ndarray
        M, mass per stream. [t/year]
    volume : ndarray
        V, volume as delivered per stream. [m³/year]
    dump_volume : ndarray
        V_отв, volume in the dump per stream. [m³/year]
    """

    annual_mass: npt.NDArray[np.float64]
    volume: npt.NDArray[np.float64]
    dump_volume: npt.NDArray[np.float64]

    @property
    def total_mass(self) -> float:
        """Total mass of all streams in t/year, the "Всего" row of Table 4."""
        return float(np.sum(self.annual_mass))

    @property
    def total_volume(self) -> float:
        """Total volume as delivered in m³/year, the "Всего" row of Table 4."""
        return float(np.sum(self.volume))

    @property
    def total_dump_volume(self) -> float:
        """Total volume in the dump in m³/year, the "Всего" row of Table 4."""
        return float(np.sum(self.dump_volume))


def waste_stream_volumes(
    annual_mass: npt.ArrayLike,
    bulk_density: npt.ArrayLike,
    factor: npt.ArrayLike,
    factor_kind: Sequence[FactorKind],
) -> WasteStreamVolumes:
    """Volumes as delivered and in the dump of several waste streams, with their totals.

    Table 4 of [003]: each stream's mass is divided by its bulk density
    (:func:`waste_volume`) and the volume corrected by its residual loosening or compaction
    factor (:func:`volume_in_dump`).

    Parameters
    ----------
    annual_mass : array_like
        M, mass of each stream placed per year. [t/year]
    bulk_density : array_like
        γ, bulk density of each stream. [t/m³]
    factor : array_like
        k_ор or k_у of each stream, at least 1. [-]
    factor_kind : sequence of {"loosening", "compaction"}
        Which factor each stream has; see :func:`volume_in_dump`. [-]

    Returns
    -------
    WasteStreamVolumes
        Per-stream arrays (t/year, m³/year) and their totals.

    Raises
    ------
    ValueError
        If the four inputs do not have one entry per stream (at least one stream), or a
        value is out of range as in :func:`waste_volume` and :func:`volume_in_dump`.

    Notes
    -----
    Exact arithmetic reproduces every "Объем" and the totals 1181.0 thousand t, 554.3 and
    512.3 thousand m³ of Table 4 in [003]. For waste rock and ash-slag the table applies the
    factor to the volume already rounded to 0.1 thousand m³ (49.1 × 1.08 = 53.0 and
    37.7 / 1.1 = 34.3); unrounded, the volumes in the dump are 53.05 and 34.24 thousand m³.

    References
    ----------
    [003] section 3.1, Table 4.

    Examples
    --------
    >>> s = waste_stream_volumes([140.0e3, 1000.0e3], [2.85, 2.15], [1.08, 1.1],
    ...                          ["loosening", "compaction"])
    >>> round(s.total_volume / 1e3, 1), round(s.total_dump_volume / 1e3, 1)
    (514.2, 475.9)
    """
    mass = np.atleast_1d(np.asarray(annual_mass, dtype=float))
    density = np.atleast_1d(np.asarray(bulk_density, dtype=float))
    k = np.atleast_1d(np.asarray(factor, dtype=float))
    kinds = list(factor_kind)
    sizes = {"annual_mass": mass.size, "bulk_density": density.size, "factor": k.size}
    sizes["factor_kind"] = len(kinds)
    if mass.ndim != 1 or density.ndim != 1 or k.ndim != 1 or len(set(sizes.values())) != 1:
        raise ValueError(f"give one value per waste stream in each input, got sizes {sizes}")
    if mass.size == 0:
        raise ValueError("give at least one waste stream, got none")
    volume = np.asarray(waste_volume(mass, density), dtype=float)
    dump = np.array(
        [float(volume_in_dump(v, f, kind)) for v, f, kind in zip(volume, k, kinds, strict=True)]
    )
    return WasteStreamVolumes(annual_mass=mass, volume=volume, dump_volume=dump)


def filling_time(
    remaining_capacity: FloatLike, annual_dump_volume: FloatLike, *, whole_years: bool = False
) -> FloatLike:
    r"""Time to fill the remaining capacity of a void at a steady annual volume.

    Section 3.1 of [003]: the crater takes 512.3 thousand m³ of waste (in the dump) a year
    and has 27 000 thousand m³ left.

    Parameters
    ----------
    remaining_capacity : float or ndarray
        V_ост, remaining capacity of the void, as volume in the dump. [m³]
    annual_dump_volume : float or ndarray
        V_отв.г, volume placed in the dump per year. [m³/year]
    whole_years : bool, optional
        Round up to the whole years of work needed (the source's "53 года"). [-]

    Returns
    -------
    float or ndarray
        T_з, filling time. [years]

    Raises
    ------
    ValueError
        If ``remaining_capacity`` is negative or ``annual_dump_volume`` is not positive.

    Notes
    -----
    .. math:: T_з = V_{ост} / V_{отв.г}

    Section 3.1 of [003]: 27 000 / 512.3 = 52.7 years; the text prints "53 года", the
    number of whole years of work (``whole_years=True``).

    References
    ----------
    [003] section 3.1, text after Table 4.

    Examples
    --------
    >>> round(float(filling_time(27.0e6, 512.3e3)), 1)
    52.7
    >>> int(filling_time(27.0e6, 512.3e3, whole_years=True))
    53
    """
    non_negative("remaining_capacity", remaining_capacity, "m³")
    positive("annual_dump_volume", annual_dump_volume, "m³/year")
    t_z = np.asarray(remaining_capacity, dtype=float) / np.asarray(annual_dump_volume)
    if whole_years:
        t_z = np.maximum(np.ceil(t_z - _REL_EPS * np.maximum(t_z, 1.0)), 0.0)
    result: FloatLike = t_z if t_z.ndim else float(t_z)
    return result


def tier_capacities(
    remaining_capacity: float, lower_tier_capacity: npt.ArrayLike
) -> npt.NDArray[np.float64]:
    r"""Capacities of the tiers of a void when only the lower tiers' capacities are known.

    The highest tier listed takes what the lower tiers leave of the remaining capacity. In
    [003] only tier +650's capacity follows from Table 5 (3839.5 thousand m³ in the dump);
    tier +680 is the highest tier the 15-year plan reaches and stands for the rest.

    Parameters
    ----------
    remaining_capacity : float
        V_ост, remaining capacity of the whole void, as volume in the dump. [m³]
    lower_tier_capacity : array_like
        Capacities of the tiers below the highest, bottom-up (may be empty). [m³]

    Returns
    -------
    ndarray
        Capacities of all tiers, bottom-up, the last being the rest. [m³]

    Raises
    ------
    ValueError
        If ``remaining_capacity`` is not positive, a lower tier's capacity is not positive,
        or the lower tiers add up to the remaining capacity or more (nothing would be left
        for the highest tier).

    Notes
    -----
    .. math:: V_n = V_{ост} - \sum_{i<n} V_i

    In [003]: 27 000 − 3839.5 = 23 160.5 thousand m³ for tier +680 and the tiers above it.

    References
    ----------
    [003] section 3.1, Table 3 and Table 5.

    Examples
    --------
    >>> tier_capacities(27.0e6, [3839.5e3]).tolist()
    [3839500.0, 23160500.0]
    """
    positive("remaining_capacity", remaining_capacity, "m³")
    lower = np.atleast_1d(np.asarray(lower_tier_capacity, dtype=float))
    if lower.ndim != 1:
        raise ValueError(f"lower_tier_capacity must be one-dimensional, got shape {lower.shape}")
    positive("lower_tier_capacity", lower, "m³")
    rest = float(remaining_capacity) - float(np.sum(lower))
    if rest <= _REL_EPS * float(remaining_capacity):
        raise ValueError(
            f"lower_tier_capacity must sum to less than remaining_capacity "
            f"{float(remaining_capacity):g} m³, got {float(np.sum(lower)):g} m³"
        )
    return np.append(lower, rest)


@dataclass(frozen=True)
class BackfillSchedule:
    """Calendar plan of a backfill by tiers (rows) and years (columns), Table 5 of [003].

    Attributes
    ----------
    tier_capacity : ndarray
        Capacity of each tier, volume in the dump, bottom-up. [m³]
    years : ndarray of int
        Calendar year (or year number) of each column. [year]
    dump_volume : ndarray
        V_отв[tier, year], volume placed in each tier each year, in the dump. [m³]
    placed_volume : ndarray or None
        V_р[tier, year], the same as delivered (before loosening/compaction); None if no
        annual delivered volume was given. [m³]
    annual_dump_volume : float
        Volume in the dump per year of work. [m³/year]
    max_years : int
        Limit on the years of the plan. [years]
    """

    tier_capacity: npt.NDArray[np.float64]
    years: npt.NDArray[np.int64]
    dump_volume: npt.NDArray[np.float64]
    placed_volume: npt.NDArray[np.float64] | None
    annual_dump_volume: float
    max_years: int

    @property
    def total_capacity(self) -> float:
        """Capacity of all tiers in m³."""
        return float(np.sum(self.tier_capacity))

    @property
    def dump_volume_by_year(self) -> npt.NDArray[np.float64]:
        """Volume in the dump placed each year in all tiers in m³, the "Всего" column."""
        return np.asarray(self.dump_volume.sum(axis=0))

    @property
    def dump_volume_by_tier(self) -> npt.NDArray[np.float64]:
        """Volume in the dump placed in each tier over the plan in m³, the "Итого" row."""
        return np.asarray(self.dump_volume.sum(axis=1))

    @property
    def total_dump_volume(self) -> float:
        """Volume in the dump placed over the whole plan in m³."""
        return float(self.dump_volume.sum())

    @property
    def placed_volume_by_year(self) -> npt.NDArray[np.float64] | None:
        """Delivered volume placed each year in all tiers in m³; None if not given."""
        return None if self.placed_volume is None else np.asarray(self.placed_volume.sum(axis=0))

    @property
    def placed_volume_by_tier(self) -> npt.NDArray[np.float64] | None:
        """Delivered volume placed in each tier over the plan in m³; None if not given."""
        return None if self.placed_volume is None else np.asarray(self.placed_volume.sum(axis=1))

    @property
    def total_placed_volume(self) -> float | None:
        """Delivered volume placed over the whole plan in m³; None if not given."""
        return None if self.placed_volume is None else float(self.placed_volume.sum())

    @property
    def unfilled_capacity(self) -> float:
        """Capacity left unfilled when the plan ends in m³."""
        return max(self.total_capacity - self.total_dump_volume, 0.0)

    @property
    def filled(self) -> bool:
        """Whether the plan fills every tier within its limit of years."""
        return self.unfilled_capacity <= _REL_EPS * self.total_capacity

    @property
    def tier_filled(self) -> npt.NDArray[np.bool_]:
        """Whether each tier is full when the plan ends."""
        left = self.tier_capacity - self.dump_volume_by_tier
        return np.asarray(left <= _REL_EPS * self.tier_capacity)

    @property
    def tier_fill_year(self) -> npt.NDArray[np.int64]:
        """Year in which each tier becomes full, or -1 if it is not full within the plan."""
        cumulative = np.cumsum(self.dump_volume, axis=1)
        full = cumulative >= self.tier_capacity[:, None] * (1.0 - _REL_EPS)
        first = np.argmax(full, axis=1)
        return np.where(full.any(axis=1), self.years[first], -1).astype(np.int64)


def backfill_schedule(
    tier_capacity: npt.ArrayLike,
    annual_dump_volume: float,
    max_years: int,
    *,
    annual_placed_volume: float | None = None,
    start_year: int = 1,
) -> BackfillSchedule:
    r"""Calendar plan of filling a void tier by tier, bottom-up, under a limit on years.

    Section 3.1 and Table 5 of [003]: each year the same volume goes into the dump; it fills
    the lowest tier not yet full, and a tier that fills during a year passes the rest of that
    year's volume to the tier above (2029: 253.4 thousand m³ to +650, 258.9 to +680). The plan
    stops when every tier is full or at the limit of years (15 years by the Rules [5]),
    whichever comes first, and reports what is left unfilled.

    Parameters
    ----------
    tier_capacity : array_like
        Capacity of each tier as volume in the dump, bottom-up in filling order. [m³]
    annual_dump_volume : float
        V_отв.г, volume placed in the dump per year. [m³/year]
    max_years : int
        Limit on the years of work (``MAX_RECLAMATION_YEARS`` = 15 in [003]). [years]
    annual_placed_volume : float, optional
        V_р.г, the same annual waste as delivered (before loosening/compaction); if given,
        each cell is also reported in delivered volume, in proportion. [m³/year]
    start_year : int, optional
        Label of the first year (2022 in [003]). [year]

    Returns
    -------
    BackfillSchedule
        Volumes per tier and year (in the dump and, if asked, as delivered), their sums,
        the year each tier fills and the capacity left unfilled.

    Raises
    ------
    ValueError
        If ``tier_capacity`` is empty, not one-dimensional or has a non-positive tier, an
        annual volume is not positive, ``max_years`` is not a whole number >= 1, or
        ``start_year`` is not a whole number.

    Notes
    -----
    With A = V_отв.г, C_i the cumulative capacity up to and including tier i, and year
    y = 0, 1, …, the volume put into tier i in year y is the overlap of that year's slice of
    the cumulative volume with the tier's slice of the capacity:

    .. math:: V_{i,y} = \max\{0, \min[A (y+1), C_i] - \max[A y, C_{i-1}]\}

    The plan has min(max_years, ⌈C_n / A⌉) years. Delivered volumes are
    V_р[i, y] = V_{i,y} V_р.г / A: every year has the same mix of streams.

    Table 5 in [003] (A = 512.3, tier +650 holding 3839.5 thousand m³): seven full years
    and 253.4 in 2029 for +650, then 258.9 and seven full years for +680, 7684.5 in all.
    In delivered volume it prints 274.1 and 280.2 for 2029 where the proportion gives
    274.17 and 280.13 (it rounds 274.17 down and takes the rest for +680); its totals
    4154.2 and 4160.3 thousand m³ inherit this, the code gives 4154.27 and 4160.23.

    References
    ----------
    [003] section 3.1, Table 5 "Календарный план засыпки воронки обрушения".

    Examples
    --------
    >>> plan = backfill_schedule([3839.5e3, 23160.5e3], 512.3e3, 15, start_year=2022)
    >>> (plan.dump_volume[:, 7] / 1e3).round(1).tolist()
    [253.4, 258.9]
    >>> round(plan.total_dump_volume / 1e3, 1), plan.filled
    (7684.5, False)
    """
    capacity = np.atleast_1d(np.asarray(tier_capacity, dtype=float))
    if capacity.ndim != 1 or capacity.size == 0:
        raise ValueError(
            f"tier_capacity must list at least one tier capacity, got shape {capacity.shape}"
        )
    positive("tier_capacity", capacity, "m³")
    positive("annual_dump_volume", annual_dump_volume, "m³/year")
    if annual_placed_volume is not None:
        positive("annual_placed_volume", annual_placed_volume, "m³/year")
    _whole("max_years", max_years, low=1, unit="years")
    _whole("start_year", start_year)

    a = float(annual_dump_volume)
    c_upper = np.cumsum(capacity)  # C_i
    c_lower = c_upper - capacity  # C_{i-1}
    total = float(c_upper[-1])
    years_needed = int(np.ceil(total / a - _REL_EPS * max(total / a, 1.0)))
    n_years = min(int(max_years), years_needed)
    y = np.arange(n_years, dtype=float)
    year_start = a * y
    year_end = np.minimum(a * (y + 1.0), total)
    v = np.minimum(year_end[None, :], c_upper[:, None]) - np.maximum(
        year_start[None, :], c_lower[:, None]
    )
    v = np.clip(v, 0.0, None)
    placed = None if annual_placed_volume is None else v * (float(annual_placed_volume) / a)
    return BackfillSchedule(
        tier_capacity=capacity,
        years=int(start_year) + np.arange(n_years, dtype=np.int64),
        dump_volume=v,
        placed_volume=placed,
        annual_dump_volume=a,
        max_years=int(max_years),
    )


def _whole(name: str, value: object, low: float = -np.inf, unit: str = "") -> None:
    """Refuse a value that is not a whole number (bools included) or is below ``low``."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer | float):
        raise ValueError(f"{name} must be a whole number, got {value!r}")
    if not float(value).is_integer():
        raise ValueError(f"{name} must be a whole number, got {value!r}")
    in_range(name, float(value), low, np.inf, unit)


def planning_volume(
    area: FloatLike, specific_volume: FloatLike = SPECIFIC_PLANNING_VOLUME
) -> FloatLike:
    r"""Volume of bulldozer work in the finishing planning of a dump surface.

    Section 3.2 of [003]: after the dump settles (1-1.5 years after filling), its horizontal
    surfaces are levelled to a slope of at most 3°; the work is taken as a specific volume
    per square metre of planned surface, 0.1 m³/m² by the guidelines [8].

    Parameters
    ----------
    area : float or ndarray
        S_пл, area of the horizontal surfaces to plan. [m²]
    specific_volume : float or ndarray, optional
        q, specific volume of planning work (``SPECIFIC_PLANNING_VOLUME`` = 0.1). [m³/m²]

    Returns
    -------
    float or ndarray
        V_пл, volume of planning work. [m³]

    Raises
    ------
    ValueError
        If ``area`` is negative or ``specific_volume`` is not positive.

    Notes
    -----
    .. math:: V_{пл} = q S_{пл}

    Section 3.2 of [003]: 0.1 × 166 thousand m² = 16.6, printed as "17 тыс. м3" (whole
    thousands).

    References
    ----------
    [003] section 3.2 "Планировка поверхности отвала"; [8].

    Examples
    --------
    >>> round(float(planning_volume(166.0e3)))
    16600
    """
    non_negative("area", area, "m²")
    positive("specific_volume", specific_volume, "m³/m²")
    v_pl: FloatLike = np.asarray(specific_volume, dtype=float) * np.asarray(area, dtype=float)
    return v_pl


def reclamation_layer_volume(
    area: FloatLike,
    thickness: FloatLike = MIN_LAYER_THICKNESS,
    *,
    min_thickness: float = MIN_LAYER_THICKNESS,
) -> FloatLike:
    r"""Volume of potentially fertile rock for a reclamation layer on a dump surface.

    Section 3.3 of [003]: a dump of rock unfit for biological reclamation is covered by a
    layer of potentially fertile rock at least 0.3 m thick (guidelines [8]); the volume is
    the layer thickness times the area covered.

    Parameters
    ----------
    area : float or ndarray
        S_рс, area covered by the layer. [m²]
    thickness : float or ndarray, optional
        h_рс, thickness of the layer, at least ``min_thickness``. [m]
    min_thickness : float, optional
        Least thickness allowed (``MIN_LAYER_THICKNESS`` = 0.3 by [8]). [m]

    Returns
    -------
    float or ndarray
        V_рс, volume of the layer. [m³]

    Raises
    ------
    ValueError
        If ``area`` is negative, ``min_thickness`` is not positive, or ``thickness`` is
        below ``min_thickness``.

    Notes
    -----
    .. math:: V_{рс} = h_{рс} S_{рс}

    [003] prints the norm (at least 0.3 m), the imported volume (156 thousand m³, brought
    from 30 km) and no area; 0.3 m over the dump's 463 thousand m² of Table 3 would need
    138.9 thousand m³ (see :func:`reclamation_layer_thickness` for the reverse check).

    References
    ----------
    [003] section 3.3 "Формирование рекультивационного слоя"; [8].

    Examples
    --------
    >>> round(float(reclamation_layer_volume(463.0e3, 0.3)))
    138900
    """
    non_negative("area", area, "m²")
    positive("min_thickness", min_thickness, "m")
    at_least("thickness", thickness, float(min_thickness), "m")
    v_rs: FloatLike = np.asarray(thickness, dtype=float) * np.asarray(area, dtype=float)
    return v_rs


def reclamation_layer_thickness(volume: FloatLike, area: FloatLike) -> FloatLike:
    r"""Mean thickness a given volume of fertile rock makes when spread over an area.

    The reverse of :func:`reclamation_layer_volume`, used to check that an imported volume
    meets the 0.3 m norm of section 3.3 of [003].

    Parameters
    ----------
    volume : float or ndarray
        V_рс, volume of potentially fertile rock spread. [m³]
    area : float or ndarray
        S_рс, area covered. [m²]

    Returns
    -------
    float or ndarray
        h_рс, mean layer thickness. [m]

    Raises
    ------
    ValueError
        If ``volume`` is negative or ``area`` is not positive.

    Notes
    -----
    .. math:: h_{рс} = V_{рс} / S_{рс}

    156 thousand m³ over the 463 thousand m² of Table 3 in [003] make 0.337 m >= 0.3 m.

    References
    ----------
    [003] section 3.3 and Table 3.

    Examples
    --------
    >>> round(float(reclamation_layer_thickness(156.0e3, 463.0e3)), 3)
    0.337
    """
    non_negative("volume", volume, "m³")
    positive("area", area, "m²")
    h_rs: FloatLike = np.asarray(volume, dtype=float) / np.asarray(area, dtype=float)
    return h_rs
