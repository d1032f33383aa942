"""Entry point of the ``postmine`` command.

Start-up is kept short (``postmine --help`` and ``postmine --version`` in about a tenth of a
second): the command modules import only Typer and the standard library at module level; numpy,
scipy, pandas, pydantic, SQLAlchemy, FastAPI, matplotlib and Rich tables are imported inside the
commands that use them (``tests/test_startup.py`` checks the import graph).
"""

from __future__ import annotations

import typer

from postmine import __version__
from postmine.cli.calc import calc_command
from postmine.cli.dump import dump_app
from postmine.cli.monitor import monitor_app
from postmine.cli.plan import plan_command
from postmine.cli.registry import registry_app, serve_command
from postmine.cli.slope import slope_app
from postmine.cli.terrain import terrain_app

app = typer.Typer(
    name="postmine",
    help="postmine: reclamation engineering methods, projects, registry and monitoring.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # help texts hold units and file sections in brackets: [m³], [surface]
)
app.command(name="calc", no_args_is_help=True)(calc_command)
app.command(name="plan", no_args_is_help=True)(plan_command)
app.add_typer(registry_app, name="registry")
app.add_typer(monitor_app, name="monitor")
app.add_typer(slope_app, name="slope")
app.add_typer(terrain_app, name="terrain")
app.add_typer(dump_app, name="dump")
app.command(name="serve")(serve_command)


def _print_version(value: bool) -> None:
    """Eager ``--version``: print ``postmine <version>`` and exit 0 before any command."""
    if value:
        typer.echo(f"postmine {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False,
        "--version",
        help="Print the version and exit.",
        is_eager=True,
        callback=_print_version,
    ),
) -> None:
    """postmine: reclamation engineering methods, projects, registry and monitoring."""


def main() -> None:
    """Run the ``postmine`` command (console-script entry point)."""
    app(prog_name="postmine")


if __name__ == "__main__":  # pragma: no cover
    main()
