"""Versioned, citable legal rule sets that a project is checked against.

A rule set is a TOML file (``data/rules/<id>.toml`` for the shipped ones): ``id``, titles,
effective dates, and ``[limits.<name>]`` tables, each with a ``value`` (absent when the
sources do not state it) and a ``citation``. A user extends the rules by writing such a file
and naming its path in the project's ``[rules] set``; it may say ``extends = "<id>"`` to
inherit every limit it does not restate.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

__all__ = ["Limit", "RuleSet", "list_rule_sets", "load_rule_set"]


@dataclass(frozen=True)
class Limit:
    """One limit of a rule set: value (``None`` if the sources do not state it) and citation."""

    name: str
    value: float | None
    citation: str


@dataclass(frozen=True)
class RuleSet:
    """A legal rule set with its limits."""

    id: str
    title: str
    title_en: str
    jurisdiction: str
    effective_from: dt.date | None
    effective_until: dt.date | None
    limits: dict[str, Limit] = field(default_factory=dict)
    superseded_by: str = ""
    origin: str = ""

    def limit(self, name: str) -> Limit:
        """Return limit ``name``, or one with value ``None`` if the rule set lacks it."""
        return self.limits.get(name, Limit(name, None, f"not in rule set {self.id}"))

    def applies_on(self, day: dt.date) -> bool:
        """Whether the rule set is in force on ``day``."""
        if self.effective_from and day < self.effective_from:
            return False
        return not (self.effective_until and day >= self.effective_until)


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
    parent = data.get("extends")
    if parent:
        if depth > 5:
            raise ValueError(f"rule set {origin}: 'extends' nests too deep")
        limits.update(load_rule_set(str(parent), _depth=depth + 1).limits)
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
