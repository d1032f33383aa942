"""Limit values of drainage-water quality and their exceedance.

*Is a limit exceeded?* -- :func:`read_water_limits` returns the packaged table of limit
values (``data/water_limits.toml``: Russian drinking-water norms, СанПиН 1.2.3685-21, and
fishery MPC, Order of the Ministry of Agriculture № 552 of 13.12.2016, each value with its
document and table); :func:`exceedance_ratio`, :func:`exceeds_limit` and
:func:`limit_exceedances` compare samples with them. Parameter names are compared through
:func:`canonical_parameter` (element symbols and the US spelling are understood).

Concentrations are in mg/L (the canonical unit of postmine's monitoring store), pH in pH
units, conductance in µS/cm.

References
----------
СанПиН 1.2.3685-21. Гигиенические нормативы и требования к обеспечению безопасности и (или)
    безвредности для человека факторов среды обитания (drinking-water norms).
Приказ Минсельхоза России от 13.12.2016 № 552 (fishery maximum permissible concentrations).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
import numpy.typing as npt

from postmine.core.checks import in_range, non_negative, positive

__all__ = [
    "PARAMETER_ALIASES",
    "STANDARDS",
    "Exceedance",
    "WaterLimit",
    "canonical_parameter",
    "exceedance_ratio",
    "exceeds_limit",
    "limit_exceedances",
    "read_water_limits",
]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
FloatLike = float | FloatArray

FORMAT_VERSION = 1
STANDARDS: tuple[str, ...] = ("drinking", "fishery")

PARAMETER_ALIASES: dict[str, str] = {
    "ph": "ph",
    "sulfate": "sulphate",
    "so4": "sulphate",
    "fe": "iron",
    "mn": "manganese",
    "cu": "copper",
    "zn": "zinc",
    "as": "arsenic",
    "cd": "cadmium",
    "pb": "lead",
    "ni": "nickel",
    "ec": "electrical_conductivity",
}
"""Other spellings of parameter names (element symbols, US spelling) and the name used in
the limits table; names are compared in lower case."""


def canonical_parameter(name: str) -> str:
    """Return the name a water-quality parameter has in the limits table.

    Examples
    --------
    >>> canonical_parameter(" SO4 "), canonical_parameter("Iron")
    ('sulphate', 'iron')
    """
    key = name.strip().lower()
    return PARAMETER_ALIASES.get(key, key)


# --- limit values ----------------------------------------------------------------------------


@dataclass(frozen=True)
class WaterLimit:
    """A limit value of one water-quality parameter under one standard.

    Attributes
    ----------
    parameter : str
        Parameter name (``"sulphate"``, ``"iron"``, ``"ph"`` ...).
    standard : str
        ``"drinking"`` or ``"fishery"``.
    low, high : float or None
        Lowest and highest allowed value; None where the limit is one-sided. [unit]
    unit : str
        Unit of the limit (``"mg/L"``, ``"pH"``).
    document : str
        Title of the document that sets the limit.
    location : str
        Table or part of the document.
    note : str
        Form of the substance and remarks.
    """

    parameter: str
    standard: str
    low: float | None
    high: float | None
    unit: str
    document: str
    location: str
    note: str = ""

    @property
    def source(self) -> str:
        """The document and the table, in one line."""
        first = self.document.split("«")[0].strip()
        return f"{first}, {self.location}"


def _parse_limits(data: Mapping[str, Any]) -> tuple[WaterLimit, ...]:
    if data.get("format_version") != FORMAT_VERSION:
        raise ValueError(
            f"water limits format_version must be {FORMAT_VERSION}, "
            f"got {data.get('format_version')!r}"
        )
    documents = data.get("documents", {})
    limits = []
    for i, row in enumerate(data.get("limit", [])):
        where = f"limit #{i + 1} ({row.get('parameter', '?')}, {row.get('standard', '?')})"
        doc = documents.get(row.get("document"))
        if doc is None:
            raise ValueError(f"{where}: unknown document {row.get('document')!r}")
        if row.get("standard") not in STANDARDS or doc.get("standard") != row["standard"]:
            raise ValueError(f"{where}: standard must be one of {STANDARDS} and match its document")
        low, high = row.get("min"), row.get("max")
        if low is None and high is None:
            raise ValueError(f"{where}: needs min or max")
        if low is not None and high is not None and not low < high:
            raise ValueError(f"{where}: min must be < max, got {low} and {high}")
        for bound in (low, high):
            if bound is not None:
                non_negative(f"{where} bound", float(bound), row.get("unit", ""))
        limits.append(
            WaterLimit(
                parameter=canonical_parameter(row["parameter"]),
                standard=row["standard"],
                low=None if low is None else float(low),
                high=None if high is None else float(high),
                unit=row["unit"],
                document=" ".join(doc["title"].split()),
                location=row["location"],
                note=row.get("note", ""),
            )
        )
    return tuple(limits)


@cache
def _packaged_limits() -> tuple[WaterLimit, ...]:
    text = resources.files("postmine.data").joinpath("water_limits.toml").read_text("utf-8")
    return _parse_limits(tomllib.loads(text))


def read_water_limits(standard: str | None = None) -> tuple[WaterLimit, ...]:
    """Limit values of water quality shipped with postmine, with their sources.

    Reads the packaged table ``postmine/data/water_limits.toml``: СанПиН 1.2.3685-21
    (``"drinking"``) and the fishery MPC of Order № 552 of 13.12.2016 (``"fishery"``). Only
    values whose reading the authors are sure of are included; the file's header lists the
    parameters left out and why.

    Parameters
    ----------
    standard : {"drinking", "fishery"}, optional
        Return only the limits of this standard; all when omitted.

    Returns
    -------
    tuple of WaterLimit
        The limits, each with its document and table.

    Raises
    ------
    ValueError
        If ``standard`` is unknown.

    Examples
    --------
    >>> [(w.parameter, w.high) for w in read_water_limits("fishery") if w.parameter != "ph"]
    [('sulphate', 100.0), ('iron', 0.1), ('manganese', 0.01), ('copper', 0.001), ('zinc', 0.01)]
    >>> ph = next(w for w in read_water_limits("drinking") if w.parameter == "ph")
    >>> ph.low, ph.high, ph.location
    (6.0, 9.0, 'Section III, Table 3.3 (generalised indicators, водородный показатель)')
    """
    limits = _packaged_limits()
    if standard is None:
        return limits
    if standard not in STANDARDS:
        raise ValueError(f"standard must be one of {STANDARDS}, got {standard!r}")
    return tuple(w for w in limits if w.standard == standard)


def exceedance_ratio(concentration: FloatLike, limit: FloatLike) -> FloatLike:
    """Concentration as a multiple of its limit value (C / ПДК).

    Parameters
    ----------
    concentration : float or ndarray
        Measured concentration. [mg/L]
    limit : float or ndarray
        Limit value (ПДК) in the same unit. [mg/L]

    Returns
    -------
    float or ndarray
        C / ПДК; above 1 the limit is exceeded. [-]

    Raises
    ------
    ValueError
        If a concentration is negative or NaN, or a limit is not positive.

    Notes
    -----
    The multiple of the MPC is how Russian water-quality reports state an exceedance
    ("превышение ПДК в 3,2 раза").

    Examples
    --------
    >>> exceedance_ratio(0.0032, 0.001)
    3.2
    """
    non_negative("concentration", concentration, "mg/L")
    positive("limit", limit, "mg/L")
    ratio: FloatLike = np.asarray(concentration, dtype=float) / np.asarray(limit, dtype=float)
    return float(ratio) if np.ndim(ratio) == 0 else ratio


def exceeds_limit(values: npt.ArrayLike, limit: WaterLimit) -> BoolArray:
    """Which values break a limit (above ``high`` or below ``low``).

    Parameters
    ----------
    values : array_like
        Measured values of the limit's parameter, in the limit's unit. [mg/L or pH]
    limit : WaterLimit
        The limit (from :func:`read_water_limits`).

    Returns
    -------
    ndarray of bool
        True where the value is outside the allowed range; the bound itself is allowed
        ("не более" / "не менее").

    Raises
    ------
    ValueError
        If a value is NaN or infinite, or a concentration is negative.

    Examples
    --------
    >>> ph = next(w for w in read_water_limits("fishery") if w.parameter == "ph")
    >>> exceeds_limit([5.9, 6.5, 7.2, 8.6], ph).tolist()
    [True, False, False, True]
    """
    x = np.asarray(values, dtype=float)
    in_range(limit.parameter, x, unit=limit.unit)
    if limit.unit != "pH":
        non_negative(limit.parameter, x, limit.unit)
    bad = np.zeros(x.shape, dtype=bool)
    if limit.high is not None:
        bad |= x > limit.high
    if limit.low is not None:
        bad |= x < limit.low
    return bad


@dataclass(frozen=True)
class Exceedance:
    """One parameter of one sample outside its limit.

    Attributes
    ----------
    parameter, standard : str
        Parameter and standard of the limit.
    value : float
        Measured value. [unit]
    limit : float
        The bound broken: ``high`` for a value above, ``low`` for one below. [unit]
    side : str
        ``"above"`` or ``"below"``.
    ratio : float or None
        value / limit for a value above a concentration limit (C / ПДК); None otherwise. [-]
    unit : str
        Unit of value and limit.
    source : str
        Document and table of the limit.
    """

    parameter: str
    standard: str
    value: float
    limit: float
    side: str
    ratio: float | None
    unit: str
    source: str


def limit_exceedances(
    sample: Mapping[str, float],
    limits: Sequence[WaterLimit] | None = None,
    *,
    standard: str | None = None,
) -> list[Exceedance]:
    """Every limit one water sample breaks.

    Parameters
    ----------
    sample : mapping of str to float
        Measured values by parameter name (``{"ph": 3.9, "sulphate": 1450.0, "zn": 2.1}``;
        element symbols and "sulfate" are understood, see :data:`PARAMETER_ALIASES`), in the
        unit of the limits. [mg/L or pH]
    limits : sequence of WaterLimit, optional
        Limits to check; the packaged table (:func:`read_water_limits`) when omitted.
    standard : {"drinking", "fishery"}, optional
        Check only the limits of this standard.

    Returns
    -------
    list of Exceedance
        One entry per broken limit, in the order of ``limits``; empty when none is broken.
        Parameters without a limit are ignored.

    Raises
    ------
    ValueError
        If ``standard`` is unknown, or a value is NaN, infinite or (for a concentration)
        negative.

    Examples
    --------
    >>> found = limit_exceedances({"pH": 3.9, "sulfate": 1450.0, "Zn": 2.1}, standard="fishery")
    >>> [(e.parameter, e.side, e.ratio) for e in found]
    [('ph', 'below', None), ('sulphate', 'above', 14.5), ('zinc', 'above', 210.0)]
    """
    chosen = read_water_limits(standard) if limits is None else tuple(limits)
    if limits is not None and standard is not None:
        if standard not in STANDARDS:
            raise ValueError(f"standard must be one of {STANDARDS}, got {standard!r}")
        chosen = tuple(w for w in chosen if w.standard == standard)
    values = {canonical_parameter(k): float(v) for k, v in sample.items()}
    found = []
    for limit in chosen:
        if limit.parameter not in values:
            continue
        value = values[limit.parameter]
        if not exceeds_limit(value, limit):
            continue
        above = limit.high is not None and value > limit.high
        bound = limit.high if above else limit.low
        assert bound is not None
        ratio = value / bound if above and limit.unit != "pH" and bound > 0 else None
        found.append(
            Exceedance(
                parameter=limit.parameter,
                standard=limit.standard,
                value=value,
                limit=bound,
                side="above" if above else "below",
                ratio=ratio,
                unit=limit.unit,
                source=limit.source,
            )
        )
    return found
