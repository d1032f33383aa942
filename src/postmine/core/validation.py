"""Field-named messages from pydantic validation errors, shared by every input reader."""

from __future__ import annotations

from pydantic import ValidationError

__all__ = ["format_validation_error"]


def format_validation_error(err: ValidationError, where: str = "input") -> str:
    """Render a pydantic error as ``field: message (got value)`` lines."""
    lines = []
    for e in err.errors():
        loc = ".".join(str(p) for p in e["loc"]) or where
        msg = e["msg"]
        if e["type"] == "missing":
            lines.append(f"{where}: missing required field {loc!r}")
        elif e["type"] == "extra_forbidden":
            lines.append(f"{where}: unknown field {loc!r}")
        else:
            msg = msg.removeprefix("Value error, ")
            if "got" not in msg:
                shown = repr(e.get("input"))
                msg = f"{msg}, got {shown if len(shown) <= 60 else shown[:57] + '...'}"
            lines.append(f"{where}: {loc}: {msg}")
    return "\n".join(lines)
