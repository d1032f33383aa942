"""Versioned, citable legal rule sets that a project is checked against.

A rule set is a TOML file (``data/rules/<id>.toml`` for the shipped ones): ``id``, titles,
effective dates, and ``[limits.<name>]`` tables, each with a ``value`` (absent when the
sources do not state it) and a ``citation``. A user extends the rules by writing such a file
and naming its path in the project's ``[rules] set``; it may say ``extends = "<id>"`` to
inherit every limit it does not restate.

An optional ``[assurance]`` table states the financial-assurance policy of the rule set
(:class:`AssurancePolicy`): which figure is the assurance, over which period the liability is
reviewed, what a third party does with a void still open, the indirect-cost lines added to the
direct cost (flat or on a sliding scale by the size of the direct cost) and the release phases
of the assurance, each entry with its citation. A rule set without the table gets
:func:`default_assurance`. A rule set that ``extends`` another inherits its ``[assurance]``
group by group: ``amount`` (with ``amount_citation``), ``review`` (with ``review_years`` and
``review_citation``), ``void_treatment`` (with ``void_treatment_citation``), ``indirect`` and
``release_phases``; a group the child restates replaces the parent's group whole (a restated
``indirect`` list replaces the parent's list, it does not add to it).

Errors name the field path inside the file, lists indexed from 0 as in TOML tools, e.g.
``rule set my.toml: assurance.indirect[2].brackets[1].percent must be in [0, 100] %, got 120``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Literal, NoReturn, cast

__all__ = [
    "AMOUNTS",
    "PHYSICAL_STATES",
    "REVIEWS",
    "THRESHOLD_CURRENCIES",
    "VOID_TREATMENTS",
    "Amount",
    "AssurancePolicy",
    "IndirectBracket",
    "IndirectRule",
    "Limit",
    "ReleasePhase",
    "Review",
    "RuleSet",
    "VoidTreatment",
    "default_assurance",
    "list_rule_sets",
    "load_rule_set",
]

Amount = Literal["deterministic", "P80", "P90"]
Review = Literal["life-of-plan", "rolling"]
VoidTreatment = Literal["fill", "make-safe"]

#: Which figure is the assurance: the deterministic cost, or a percentile of the Monte Carlo.
AMOUNTS = ("deterministic", "P80", "P90")
#: Liability over every year of the plan, or over the next ``review_years`` years.
REVIEWS = ("life-of-plan", "rolling")
#: What a third party does with a void still open when the assurance is called.
VOID_TREATMENTS = ("fill", "make-safe")
#: Currencies in which the thresholds of a sliding scale may be stated.
THRESHOLD_CURRENCIES = ("usd", "rub")
#: Physical states that a release phase may require to be complete.
PHYSICAL_STATES = (
    "void-fill",
    "surface-planning",
    "reclamation-layer",
    "slope-flattening",
    "topsoil-spreading",
    "revegetation",
)


@dataclass(frozen=True)
class Limit:
    """One limit of a rule set: value (``None`` if the sources do not state it) and citation."""

    name: str
    value: float | None
    citation: str


@dataclass(frozen=True)
class IndirectBracket:
    """One bracket of a sliding scale of an indirect cost.

    ``up_to`` is the inclusive upper bound of the direct cost of the bracket, in the
    currency of its :class:`IndirectRule` [usd or rub]; ``None`` for the last, open bracket.
    ``percent`` is the rate applied to the WHOLE direct cost when it falls in the bracket. [%]
    """

    up_to: float | None
    percent: float


@dataclass(frozen=True)
class IndirectRule:
    """One indirect-cost line of a rule set: a flat ``percent`` or a sliding scale.

    Exactly one of ``percent`` (flat rate of the direct cost [%]) and ``brackets`` (a step
    scale, see :class:`IndirectBracket`) is set; the other is ``None`` or empty.
    ``currency`` is the currency of the bracket thresholds (``"usd"`` or ``"rub"``; ``""``
    for a flat line that does not state one). ``citation`` is the primary source.
    ``name_ru`` is the name in Russian for the reports (``name`` if the rule set gives none).
    """

    name: str
    percent: float | None
    brackets: tuple[IndirectBracket, ...]
    currency: str
    citation: str
    name_ru: str = ""


@dataclass(frozen=True)
class ReleasePhase:
    """One phase of the staged release of the assurance.

    ``requires`` names the physical states (:data:`PHYSICAL_STATES`) whose completion the
    phase needs; ``release_percent`` is the share of the assurance released [%];
    ``years_after`` the years to wait after the last required state is complete (e.g. a
    responsibility period) [year]; ``evidence`` what the regulator accepts as proof.
    """

    name: str
    requires: tuple[str, ...]
    release_percent: float
    years_after: int
    evidence: str
    citation: str


@dataclass(frozen=True)
class AssurancePolicy:
    """The financial-assurance policy of a rule set (the ``[assurance]`` table).

    ``amount`` is one of :data:`AMOUNTS`; ``review`` one of :data:`REVIEWS`, with
    ``review_years`` [year] set only for ``"rolling"``; ``void_treatment`` one of
    :data:`VOID_TREATMENTS` or ``None`` when the rule set does not say; ``indirect`` the
    indirect-cost lines; ``release_phases`` the staged release (shares sum to <= 100 %).
    """

    amount: Amount
    amount_citation: str
    review: Review
    review_years: int | None
    review_citation: str
    void_treatment: VoidTreatment | None = None
    void_treatment_citation: str = ""
    indirect: tuple[IndirectRule, ...] = ()
    release_phases: tuple[ReleasePhase, ...] = ()


def default_assurance(rule_set_id: str) -> AssurancePolicy:
    """Policy of a rule set without an ``[assurance]`` table.

    The deterministic third-party cost over the life of the plan, no void treatment, no
    indirect lines (the project file's own ``[costs.indirect]`` lines apply alone) and no
    release phases (the project file's ``[[milestones]]`` apply).

    Parameters
    ----------
    rule_set_id : str
        Id of the rule set, quoted in the citations. [-]

    Returns
    -------
    AssurancePolicy
        The default policy. [-]
    """
    why = f"postmine default: rule set {rule_set_id} has no [assurance] table"
    return AssurancePolicy(
        amount="deterministic",
        amount_citation=why,
        review="life-of-plan",
        review_years=None,
        review_citation=why,
    )


@dataclass(frozen=True)
class RuleSet:
    """A legal rule set with its limits and its assurance policy."""

    id: str
    title: str
    title_en: str
    jurisdiction: str
    effective_from: dt.date | None
    effective_until: dt.date | None
    limits: dict[str, Limit] = field(default_factory=dict)
    superseded_by: str = ""
    origin: str = ""
    assurance: AssurancePolicy = field(default_factory=lambda: default_assurance("(unnamed)"))

    def limit(self, name: str) -> Limit:
        """Return limit ``name``, or one with value ``None`` if the rule set lacks it."""
        return self.limits.get(name, Limit(name, None, f"not in rule set {self.id}"))

    def applies_on(self, day: dt.date) -> bool:
        """Whether the rule set is in force on ``day``."""
        if self.effective_from and day < self.effective_from:
            return False
        return not (self.effective_until and day >= self.effective_until)


# --- validators of the [assurance] table: each names the path inside the file ---------------


def _fail(origin: str, path: str, message: str) -> NoReturn:
    raise ValueError(f"rule set {origin}: {path} {message}")


def _table(value: Any, origin: str, path: str, allowed: tuple[str, ...]) -> dict[str, Any]:
    if not isinstance(value, dict):
        _fail(origin, path, f"must be a table, got {value!r}")
    unknown = sorted(set(value) - set(allowed))
    if unknown:
        _fail(origin, path, f"has unknown keys {unknown}; allowed: {', '.join(allowed)}")
    return value


def _list(value: Any, origin: str, path: str) -> list[Any]:
    if not isinstance(value, list):
        _fail(origin, path, f"must be a list, got {value!r}")
    return value


def _text(value: Any, origin: str, path: str) -> str:
    if not isinstance(value, str) or not value.strip():
        _fail(origin, path, f"must be a non-empty string, got {value!r}")
    return value


def _choice(value: Any, options: tuple[str, ...], origin: str, path: str) -> str:
    if value not in options:
        _fail(origin, path, f"must be one of {', '.join(options)}, got {value!r}")
    return str(value)


def _number(
    value: Any, origin: str, path: str, low: float, high: float, unit: str, *, open_low: bool
) -> float:
    ok = isinstance(value, int | float) and not isinstance(value, bool)
    x = float(value) if ok else math.nan
    inside = (x > low if open_low else x >= low) and x <= high
    if not inside:
        bracket = "(" if open_low else "["
        _fail(origin, path, f"must be in {bracket}{low:g}, {high:g}] {unit}, got {value!r}")
    return x


def _count(value: Any, origin: str, path: str, low: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < low:
        _fail(origin, path, f"must be a whole number >= {low} year, got {value!r}")
    return value


# --- the [assurance] table --------------------------------------------------------------------

_GROUPS: dict[str, tuple[str, ...]] = {
    "amount": ("amount", "amount_citation"),
    "review": ("review", "review_years", "review_citation"),
    "void_treatment": ("void_treatment", "void_treatment_citation"),
    "indirect": ("indirect",),
    "release_phases": ("release_phases",),
}
_INDIRECT_KEYS = ("name", "name_ru", "percent", "brackets", "currency", "citation")
_BRACKET_KEYS = ("up_to", "percent")
_PHASE_KEYS = ("name", "requires", "release_percent", "years_after", "evidence", "citation")


def _brackets(value: Any, origin: str, path: str) -> tuple[IndirectBracket, ...]:
    items = _list(value, origin, path)
    if not items:
        _fail(origin, path, "must list at least one bracket")
    out: list[IndirectBracket] = []
    previous = 0.0
    for j, raw in enumerate(items):
        where = f"{path}[{j}]"
        spec = _table(raw, origin, where, _BRACKET_KEYS)
        percent = _number(
            spec.get("percent"), origin, f"{where}.percent", 0, 100, "%", open_low=False
        )
        last = j == len(items) - 1
        if last:
            if "up_to" in spec:
                _fail(origin, f"{where}.up_to", "must be absent: the last bracket is open-ended")
            out.append(IndirectBracket(None, percent))
            continue
        if "up_to" not in spec:
            _fail(origin, f"{where}.up_to", "is missing (only the last bracket is open-ended)")
        up_to = spec["up_to"]
        number = isinstance(up_to, int | float) and not isinstance(up_to, bool)
        if not (number and previous < up_to < math.inf):
            _fail(
                origin,
                f"{where}.up_to",
                f"must be a finite number above {previous:g} (the bracket before), got {up_to!r}",
            )
        up_to = float(up_to)
        out.append(IndirectBracket(up_to, percent))
        previous = up_to
    return tuple(out)


def _indirect_rule(raw: Any, origin: str, path: str) -> IndirectRule:
    spec = _table(raw, origin, path, _INDIRECT_KEYS)
    name = _text(spec.get("name"), origin, f"{path}.name")
    name_ru = _text(spec["name_ru"], origin, f"{path}.name_ru") if "name_ru" in spec else ""
    citation = _text(spec.get("citation"), origin, f"{path}.citation")
    if ("percent" in spec) == ("brackets" in spec):
        _fail(origin, path, "must give either 'percent' (flat) or 'brackets' (sliding scale)")
    currency = ""
    if "currency" in spec or "brackets" in spec:
        currency = _choice(spec.get("currency"), THRESHOLD_CURRENCIES, origin, f"{path}.currency")
    if "percent" in spec:
        percent = _number(spec["percent"], origin, f"{path}.percent", 0, 100, "%", open_low=False)
        return IndirectRule(name, percent, (), currency, citation, name_ru)
    brackets = _brackets(spec["brackets"], origin, f"{path}.brackets")
    return IndirectRule(name, None, brackets, currency, citation, name_ru)


def _indirect(value: Any, origin: str) -> tuple[IndirectRule, ...]:
    rules: list[IndirectRule] = []
    seen: set[str] = set()
    for i, raw in enumerate(_list(value, origin, "assurance.indirect")):
        rule = _indirect_rule(raw, origin, f"assurance.indirect[{i}]")
        key = rule.name.strip().casefold()
        if key in seen:
            _fail(origin, f"assurance.indirect[{i}].name", f"repeats {rule.name!r}")
        seen.add(key)
        rules.append(rule)
    return tuple(rules)


def _release_phase(raw: Any, origin: str, path: str) -> ReleasePhase:
    spec = _table(raw, origin, path, _PHASE_KEYS)
    name = _text(spec.get("name"), origin, f"{path}.name")
    requires = _list(spec.get("requires"), origin, f"{path}.requires")
    if not requires:
        _fail(origin, f"{path}.requires", "must name at least one physical state")
    for k, state in enumerate(requires):
        _choice(state, PHYSICAL_STATES, origin, f"{path}.requires[{k}]")
    if len(set(requires)) != len(requires):
        _fail(origin, f"{path}.requires", f"names a state twice: {requires}")
    percent = _number(
        spec.get("release_percent"), origin, f"{path}.release_percent", 0, 100, "%", open_low=True
    )
    years = _count(spec.get("years_after", 0), origin, f"{path}.years_after", 0)
    evidence = _text(spec.get("evidence"), origin, f"{path}.evidence")
    citation = _text(spec.get("citation"), origin, f"{path}.citation")
    return ReleasePhase(name, tuple(requires), percent, years, evidence, citation)


def _release_phases(value: Any, origin: str) -> tuple[ReleasePhase, ...]:
    phases = tuple(
        _release_phase(raw, origin, f"assurance.release_phases[{i}]")
        for i, raw in enumerate(_list(value, origin, "assurance.release_phases"))
    )
    total = math.fsum(p.release_percent for p in phases)
    if total > 100.0 + 1e-9:
        _fail(origin, "assurance.release_phases", f"release {total:g} % in all, must be <= 100 %")
    return phases


def _group(name: str, spec: dict[str, Any], origin: str) -> dict[str, Any]:
    """Parse one restated group of ``[assurance]`` into the fields it sets."""
    if name == "amount":
        return {
            "amount": cast(
                Amount, _choice(spec.get("amount"), AMOUNTS, origin, "assurance.amount")
            ),
            "amount_citation": _text(
                spec.get("amount_citation"), origin, "assurance.amount_citation"
            ),
        }
    if name == "review":
        review = cast(Review, _choice(spec.get("review"), REVIEWS, origin, "assurance.review"))
        years: int | None = None
        if review == "rolling":
            years = _count(spec.get("review_years"), origin, "assurance.review_years", 1)
        elif "review_years" in spec:
            _fail(origin, "assurance.review_years", "is only allowed with review = 'rolling'")
        citation = _text(spec.get("review_citation"), origin, "assurance.review_citation")
        return {"review": review, "review_years": years, "review_citation": citation}
    if name == "void_treatment":
        path = "assurance.void_treatment"
        return {
            "void_treatment": cast(
                VoidTreatment, _choice(spec.get("void_treatment"), VOID_TREATMENTS, origin, path)
            ),
            "void_treatment_citation": _text(
                spec.get("void_treatment_citation"), origin, f"{path}_citation"
            ),
        }
    if name == "indirect":
        return {"indirect": _indirect(spec["indirect"], origin)}
    return {"release_phases": _release_phases(spec["release_phases"], origin)}


def _assurance(raw: Any, origin: str, inherited: AssurancePolicy) -> AssurancePolicy:
    """Parse ``[assurance]`` over the inherited (parent's or default) policy."""
    if raw is None:
        return inherited
    allowed = tuple(key for keys in _GROUPS.values() for key in keys)
    spec = _table(raw, origin, "assurance", allowed)
    policy = inherited
    for name, keys in _GROUPS.items():
        if any(key in spec for key in keys):
            policy = dataclasses.replace(policy, **_group(name, spec, origin))
    return policy


def _shipped() -> dict[str, str]:
    folder = resources.files("postmine.data").joinpath("rules")
    return {
        item.name.removesuffix(".toml"): item.read_text(encoding="utf-8")
        for item in folder.iterdir()
        if item.name.endswith(".toml")
    }


def list_rule_sets() -> list[str]:
    """Return the ids of the shipped rule sets."""
    return sorted(_shipped())


def _parse(text: str, origin: str, depth: int = 0) -> RuleSet:
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"rule set {origin}: not valid TOML: {exc}") from None
    for key in ("id", "title"):
        if not isinstance(data.get(key), str) or not data[key]:
            raise ValueError(f"rule set {origin}: missing {key!r}")
    limits: dict[str, Limit] = {}
    assurance = default_assurance(data["id"])
    parent = data.get("extends")
    if parent:
        if depth > 5:
            raise ValueError(f"rule set {origin}: 'extends' nests too deep")
        parent_set = load_rule_set(str(parent), _depth=depth + 1)
        limits.update(parent_set.limits)
        if parent_set.assurance != default_assurance(parent_set.id):
            assurance = parent_set.assurance
    for name, spec in dict(data.get("limits", {})).items():
        if not isinstance(spec, dict) or not spec.get("citation"):
            raise ValueError(f"rule set {origin}: limits.{name} needs a citation")
        value = spec.get("value")
        if value is not None and (not isinstance(value, int | float) or value < 0):
            raise ValueError(f"rule set {origin}: limits.{name}.value must be >= 0, got {value!r}")
        limits[name] = Limit(name, None if value is None else float(value), str(spec["citation"]))
    return RuleSet(
        id=data["id"],
        title=data["title"],
        title_en=str(data.get("title_en", data["title"])),
        jurisdiction=str(data.get("jurisdiction", "")),
        effective_from=data.get("effective_from"),
        effective_until=data.get("effective_until"),
        limits=limits,
        superseded_by=str(data.get("superseded_by", "")),
        origin=origin,
        assurance=_assurance(data.get("assurance"), origin, assurance),
    )


def load_rule_set(ref: str, base_dir: Path | None = None, *, _depth: int = 0) -> RuleSet:
    """Load a shipped rule set by id, or a user's rule-set file by path.

    Parameters
    ----------
    ref : str
        A shipped id (see :func:`list_rule_sets`) or a path to a TOML file.
    base_dir : Path, optional
        Directory a relative path is resolved against (the project file's).

    Raises
    ------
    ValueError
        If there is no such rule set, or the file is not a valid rule set.
    """
    shipped = _shipped()
    if ref in shipped:
        return _parse(shipped[ref], f"postmine:{ref}", _depth)
    path = Path(ref)
    if base_dir is not None and not path.is_absolute():
        path = base_dir / path
    if path.suffix == ".toml" and path.is_file():
        return _parse(path.read_text(encoding="utf-8"), str(path), _depth)
    raise ValueError(
        f"rules.set must be one of {', '.join(sorted(shipped))} or a rule-set file, got {ref!r}"
    )
