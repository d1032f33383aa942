"""Entry point of the ``postmine`` command."""

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
)
app.command(name="calc", no_args_is_help=True)(calc_command)
app.command(name="plan", no_args_is_help=True)(plan_command)
app.add_typer(registry_app, name="registry")
app.add_typer(monitor_app, name="monitor")
app.add_typer(slope_app, name="slope")
app.add_typer(terrain_app, name="terrain")
app.add_typer(dump_app, name="dump")
app.command(name="serve")(serve_command)


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", help="Print the version and exit."),
) -> None:
    """postmine: reclamation engineering methods, projects, registry and monitoring."""
    if version:
        typer.echo(__version__)
        raise typer.Exit()


def main() -> None:
    """Run the ``postmine`` command (console-script entry point)."""
    app(prog_name="postmine")


if __name__ == "__main__":  # pragma: no cover
    main()
