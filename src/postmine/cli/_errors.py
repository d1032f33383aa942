"""Turn input errors into one clear line on stderr and exit status 2."""

from __future__ import annotations

from typing import TYPE_CHECKING, NoReturn

import typer

if TYPE_CHECKING:
    from pydantic import ValidationError

__all__ = ["fail", "format_validation_error"]


def fail(message: str) -> NoReturn:
    """Print ``error: message`` to stderr and exit with status 2."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code=2)


def format_validation_error(exc: ValidationError, where: str = "input") -> str:
    """One line per problem of a pydantic error (imported here only when one happens)."""
    from postmine.core import validation

    return validation.format_validation_error(exc, where=where)
