"""Reading calculation inputs from JSON or TOML files (``postmine calc --input FILE``)."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

__all__ = ["read_inputs"]


def read_inputs(path: str | Path) -> dict[str, Any]:
    """Read the inputs of a calculation from a JSON (``.json``) or TOML (other) file.

    Parameters
    ----------
    path : str or Path
        File with one object/table whose keys are the calculation's input fields.

    Returns
    -------
    dict
        The inputs.

    Raises
    ------
    ValueError
        If the file is missing or unreadable, or is not valid JSON/TOML, or is not an object.
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise ValueError(f"input file {str(p)!r} cannot be read: {exc.strerror}") from None
    try:
        data = json.loads(text) if p.suffix.lower() == ".json" else tomllib.loads(text)
    except (json.JSONDecodeError, tomllib.TOMLDecodeError) as exc:
        kind = "JSON" if p.suffix.lower() == ".json" else "TOML"
        raise ValueError(f"input file {str(p)!r} is not valid {kind}: {exc}") from None
    if not isinstance(data, dict):
        raise ValueError(f"input file {str(p)!r} must hold an object of inputs, not {type(data)}")
    return data
