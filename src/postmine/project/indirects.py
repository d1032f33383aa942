"""Indirect costs of a reclamation estimate: the rule set's lines and the project's own.

A rule set's ``[[assurance.indirect]]`` lines (:class:`~postmine.project.rules.IndirectRule`)
are either a flat percentage of the direct cost or a sliding scale whose rate depends on the
size of the direct cost, as in the Cost Summary of the Nevada SRCE v1.4.1 (engineering, design
and construction plan 8 / 6 / 4 %, contingency 10 / 8 / 6 / 4 %). A scale is a STEP scale: the
direct cost picks one bracket and that bracket's rate applies to the whole direct cost. The
project file's own ``[costs.indirect]`` lines (``extra``) are added to the rule set's lines;
a project line whose name is that of a rule-set line (compared without case and surrounding
blanks) replaces the rule-set line in its place, and its own source is shown.

Step or marginal? The filed SRCE v1.4.1 Cost Summary (Cross and Caribou, Colorado DRMS doc
1436006 p. 7) has a direct cost of $234,415, in the lowest bracket of both scales, where the
two readings agree (8 % and 10 % of the whole). The summary prints one rate per bracket beside
the thresholds, which postmine reads as a step; no source at hand shows SRCE applying the
rates by tiers. At a direct cost of $20 M the readings differ by 0.1 % of the direct cost for
engineering (6 % against 6.1 %) and 0.25 % for contingency (6 % against 6.25 %).

References
----------
[SRCE] Nevada Division of Environmental Protection, Standardized Reclamation Cost Estimator
       v1.4.1, Cost Summary, as filed in Colorado DRMS doc 1436006 p. 7 (2021),
       https://dnrweblink.state.co.us/DRMSSearch/0/doc/1436006/Page7.aspx
"""

from __future__ import annotations

import bisect
import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass

from postmine.project.rules import IndirectRule

__all__ = ["IndirectLine", "bracket_percent", "indirect_lines", "indirect_percent"]


@dataclass(frozen=True)
class IndirectLine:
    """One indirect cost of an estimate.

    ``percent`` is the rate applied to the direct cost [%]; ``source`` the citation (for a
    sliding scale, with the bracket picked); ``amount_rub`` = percent / 100 × direct cost [rub];
    ``name_ru`` the rule set's Russian name of the line (empty for a project's own line).
    """

    name: str
    percent: float
    source: str
    amount_rub: float
    name_ru: str = ""


@dataclass(frozen=True)
class _Scale:
    """A sliding scale ready for :func:`bisect.bisect_left`: thresholds in rub."""

    thresholds_rub: tuple[float, ...]
    percents: tuple[float, ...]


@dataclass(frozen=True)
class _Compiled:
    """Rule-set and project lines merged once, for the cheap :func:`indirect_percent`."""

    flat_percent: float
    scales: tuple[_Scale, ...]
    # (name, flat percent or None, scale or None, source) in output order
    lines: tuple[tuple[str, float | None, _Scale | None, str], ...]


def bracket_percent(thresholds: Sequence[float], percents: Sequence[float], direct: float) -> float:
    """Rate of a step scale for a direct cost: the rate of the bracket the direct cost falls in.

    Parameters
    ----------
    thresholds : sequence of float
        Inclusive upper bounds of every bracket but the last, increasing. [currency]
    percents : sequence of float
        Rate of each bracket, one more than ``thresholds``. [%]
    direct : float
        The whole direct cost, in the currency of the thresholds. [currency]

    Returns
    -------
    float
        ``percents[i]`` for the first ``i`` with ``direct <= thresholds[i]``, else the last
        rate. [%]

    Raises
    ------
    ValueError
        If ``percents`` is not one longer than ``thresholds``, or ``direct`` is negative or
        not finite.

    Notes
    -----
    p(C) = p_i for T_{i-1} < C <= T_i (T_0 = 0, T_n = ∞): the rate of one bracket applies to
    the WHOLE direct cost C, as the SRCE v1.4.1 Cost Summary prints it [SRCE] (a step, not a
    marginal/tiered scale: see the module notes).

    Examples
    --------
    SRCE's engineering, design and construction plan: 8 % up to $1 M, 6 % up to $25 M, 4 %:

    >>> bracket_percent([1e6, 25e6], [8, 6, 4], 234_415)
    8
    >>> bracket_percent([1e6, 25e6], [8, 6, 4], 1e6), bracket_percent([1e6, 25e6], [8, 6, 4], 2e7)
    (8, 6)
    """
    if len(percents) != len(thresholds) + 1:
        raise ValueError(
            f"percents must have one entry more than thresholds ({len(thresholds) + 1}), "
            f"got {len(percents)}"
        )
    if not 0.0 <= direct < math.inf:
        raise ValueError(f"direct cost must be >= 0 and finite, got {direct!r}")
    return percents[bisect.bisect_left(thresholds, direct)]


def _describe(rule: IndirectRule, rate: float | None) -> str:
    if not rule.brackets:
        return rule.citation
    steps = ", ".join(
        f"{b.percent:g} % up to {b.up_to:,.0f}" if b.up_to is not None else f"{b.percent:g} % above"
        for b in rule.brackets
    )
    at = f" ({rule.currency} converted at {rate:g} rub/usd)" if rate is not None else ""
    return f"{rule.citation}; step scale on the whole direct cost [{rule.currency}]: {steps}{at}"


def _check_extra(extra: tuple[tuple[str, float, str], ...]) -> dict[str, int]:
    names: dict[str, int] = {}
    for i, (name, percent, source) in enumerate(extra):
        if not isinstance(name, str) or not name.strip():
            raise ValueError(f"costs.indirect[{i}].name must be a non-empty string, got {name!r}")
        number = isinstance(percent, int | float) and not isinstance(percent, bool)
        if not (number and 0.0 <= percent <= 100.0):
            raise ValueError(
                f"costs.indirect[{name}].percent must be in [0, 100] %, got {percent!r}"
            )
        if not isinstance(source, str) or not source.strip():
            raise ValueError(f"costs.indirect[{name}].source must name a source, got {source!r}")
        key = name.strip().casefold()
        if key in names:
            raise ValueError(f"costs.indirect[{name}] is given twice")
        names[key] = i
    return names


@functools.lru_cache(maxsize=64)
def _compile(
    rules: tuple[IndirectRule, ...],
    extra: tuple[tuple[str, float, str], ...],
    usd_rate_rub: float | None,
) -> _Compiled:
    """Merge the lines and convert the thresholds to rub, once per (rules, extra, rate)."""
    if usd_rate_rub is not None and not 0.0 < usd_rate_rub < math.inf:
        raise ValueError(f"costs.usd_rate_rub must be > 0 rub/usd, got {usd_rate_rub!r}")
    by_name = _check_extra(extra)
    used: set[int] = set()
    lines: list[tuple[str, float | None, _Scale | None, str]] = []
    for rule in rules:
        j = by_name.get(rule.name.strip().casefold())
        if j is not None:  # the project's line replaces the rule set's, in its place
            used.add(j)
            lines.append((extra[j][0], float(extra[j][1]), None, extra[j][2]))
        elif not rule.brackets:
            lines.append((rule.name, float(rule.percent or 0.0), None, rule.citation))
        else:
            if rule.currency == "usd" and usd_rate_rub is None:
                raise ValueError(
                    f"costs.usd_rate_rub is needed: indirect cost {rule.name!r} of the rule set "
                    "has thresholds in usd; give the exchange rate in rub/usd"
                )
            rate = usd_rate_rub if rule.currency == "usd" else None
            factor = 1.0 if rate is None else rate
            scale = _Scale(
                tuple(b.up_to * factor for b in rule.brackets if b.up_to is not None),
                tuple(b.percent for b in rule.brackets),
            )
            lines.append((rule.name, None, scale, _describe(rule, rate)))
    lines += [(n, float(p), None, s) for i, (n, p, s) in enumerate(extra) if i not in used]
    return _Compiled(
        flat_percent=math.fsum(p for _, p, _, _ in lines if p is not None),
        scales=tuple(scale for _, _, scale, _ in lines if scale is not None),
        lines=tuple(lines),
    )


def _check_direct(direct_rub: float) -> None:
    if not 0.0 <= direct_rub < math.inf:
        raise ValueError(f"direct_rub must be >= 0 rub and finite, got {direct_rub!r}")


def indirect_lines(
    rules: Sequence[IndirectRule],
    direct_rub: float,
    usd_rate_rub: float | None,
    extra: Sequence[tuple[str, float, str]] = (),
) -> list[IndirectLine]:
    """Indirect-cost lines of an estimate: the rule set's, with the project's added or replacing.

    Parameters
    ----------
    rules : sequence of IndirectRule
        The rule set's lines (``RuleSet.assurance.indirect``). [-]
    direct_rub : float
        The whole direct cost; it picks the bracket of every sliding scale. [rub]
    usd_rate_rub : float or None
        Exchange rate for thresholds stated in usd (``costs.usd_rate_rub``). [rub/usd]
    extra : sequence of (str, float, str), optional
        The project file's own lines: name, percent [%], source. A line named like a
        rule-set line replaces it in its place; the others are added after the rule set's.

    Returns
    -------
    list of IndirectLine
        Name, percent [%], source and amount [rub] of each line: the rule set's in its order,
        then the project's added lines in theirs.

    Raises
    ------
    ValueError
        If ``direct_rub`` is negative or not finite; a rule has usd thresholds and
        ``usd_rate_rub`` is None (the message names ``costs.usd_rate_rub``) or not > 0; a
        project line has an empty name or source, a percent outside [0, 100] % or is given
        twice.

    Notes
    -----
    C_i = p_i(C_d) / 100 · C_d, where p_i is the flat rate of line i or, on a sliding scale,
    the rate of the bracket the whole direct cost C_d falls in (:func:`bracket_percent`);
    usd thresholds are converted to rub at ``usd_rate_rub`` [SRCE].

    Examples
    --------
    The filed SRCE v1.4.1 summary: direct cost $234,415, at 1 rub/usd to keep dollars:

    >>> from postmine.project.rules import load_rule_set
    >>> rules = load_rule_set("ru-781-2025").assurance.indirect
    >>> [(x.name, x.percent, round(x.amount_rub)) for x in indirect_lines(rules, 234_415, 1.0)][:2]
    [('engineering, design and construction plan', 8.0, 18753), ('contingency', 10.0, 23442)]
    """
    _check_direct(direct_rub)
    compiled = _compile(tuple(rules), tuple(map(tuple, extra)), usd_rate_rub)
    russian = {rule.name: rule.name_ru for rule in rules}
    out: list[IndirectLine] = []
    for name, flat, scale, source in compiled.lines:
        if scale is None:
            percent = float(flat or 0.0)
        else:
            percent = scale.percents[bisect.bisect_left(scale.thresholds_rub, direct_rub)]
        amount = percent / 100.0 * direct_rub
        out.append(IndirectLine(name, percent, source, amount, russian.get(name, "")))
    return out


def indirect_percent(
    rules: Sequence[IndirectRule],
    direct_rub: float,
    usd_rate_rub: float | None,
    extra: Sequence[tuple[str, float, str]] = (),
) -> float:
    """Sum of the indirect-cost rates for a direct cost; cheap enough for every year and sample.

    Parameters
    ----------
    rules : sequence of IndirectRule
        The rule set's lines (``RuleSet.assurance.indirect``). [-]
    direct_rub : float
        The whole direct cost; it picks the bracket of every sliding scale. [rub]
    usd_rate_rub : float or None
        Exchange rate for thresholds stated in usd (``costs.usd_rate_rub``). [rub/usd]
    extra : sequence of (str, float, str), optional
        The project file's own lines (name, percent [%], source), as in
        :func:`indirect_lines`.

    Returns
    -------
    float
        Σ p_i(C_d), the sum of the percents of :func:`indirect_lines`. [%]

    Raises
    ------
    ValueError
        As :func:`indirect_lines`.

    Notes
    -----
    The merge of the lines and the conversion of the thresholds are cached per
    ``(rules, extra, usd_rate_rub)`` (pass tuples; they are hashed on each call); a call
    then costs one bisection per sliding scale.

    Examples
    --------
    >>> from postmine.project.rules import load_rule_set
    >>> rules = load_rule_set("ru-781-2025").assurance.indirect
    >>> round(indirect_percent(rules, 1.6e9, 80.0), 2)  # $20 M: 6 + 6 + 3 + 10 + 10 + 2.1
    37.1
    """
    _check_direct(direct_rub)
    compiled = _compile(tuple(rules), tuple(map(tuple, extra)), usd_rate_rub)
    total = compiled.flat_percent
    for scale in compiled.scales:
        total += scale.percents[bisect.bisect_left(scale.thresholds_rub, direct_rub)]
    return total
