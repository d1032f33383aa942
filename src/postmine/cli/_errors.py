"""Turn input errors into one clear line on stderr and exit status 2."""

from __future__ import annotations

from typing import NoReturn

import typer

from postmine.core.validation import format_validation_error

__all__ = ["fail", "format_validation_error"]


def fail(message: str) -> NoReturn:
    """Print ``error: message`` to stderr and exit with status 2."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code=2)
