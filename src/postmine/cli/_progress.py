"""Progress bars of long commands: Rich, on stderr, never mixed into results on stdout.

A bar is shown when stderr is a terminal, or when the command's ``--progress`` flag asks for
one (into a file or a pipe: plain lines); ``--no-progress`` turns it off. A command opens one
:func:`progress_bars` block and asks it for a callback per stage; the callback has the
``progress(done, total)`` form the engine's long functions take.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from rich.progress import Progress

__all__ = ["PROGRESS_OPTION", "ProgressBars", "ProgressCallback", "progress_bars", "wants_progress"]

ProgressCallback = Callable[[float, float], None]
"""``progress(done, total)``: the engine calls it with counts, a command also with parts."""

PROGRESS_OPTION = typer.Option(
    None,
    "--progress/--no-progress",
    help="Show progress bars on stderr (default: only when stderr is a terminal).",
    show_default=False,
)


def wants_progress(flag: bool | None) -> bool:
    """Whether to draw bars: the flag when given, else whether stderr is a terminal."""
    if flag is not None:
        return flag
    isatty = getattr(sys.stderr, "isatty", None)
    return bool(isatty and isatty())


class ProgressBars:
    """The bars of one command; without a display every method does nothing.

    On a terminal the bars are Rich's; asked for with ``--progress`` into a file or a pipe,
    each stage is a line when it starts, a line per tenth of its count, and a line at the end.
    """

    def __init__(self, display: Progress | None, lines: bool = False) -> None:
        self._display = display
        self._lines = lines
        self._started: list[tuple[str, float, bool]] = []

    @property
    def shown(self) -> bool:
        """Whether progress is reported."""
        return self._display is not None or self._lines

    def stage(self, description: str, total: int | None = None) -> ProgressCallback | None:
        """Add a bar; return its ``progress(done, total)`` callback (None when not shown)."""
        display = self._display
        if display is not None:
            for open_task in display.tasks:  # a stage without a count ends at the next
                if open_task.total is None:
                    display.update(open_task.id, total=1, completed=1)
            task = display.add_task(description, total=total)

            def update(done: float, total: float) -> None:
                display.update(task, completed=done, total=total)

            return update
        if not self._lines:
            return None
        self._finish(lambda counted: not counted)  # a stage without a count ends at the next
        _line(f"{description} …")
        self._started.append((description, time.perf_counter(), total is not None))
        reported = [0]

        def write(done: float, total: float) -> None:
            tenth = int(10 * done // total) if total > 0 else 0
            if tenth > reported[0]:
                reported[0] = tenth
                _line(f"{description}: {done:.4g} of {total:.4g}")

        return write

    def _finish(self, which: Callable[[bool], bool]) -> None:
        """Report the time of the open stages that ``which(counted)`` selects (line mode)."""
        for stage in [s for s in self._started if which(s[2])]:
            description, started, _ = stage
            _line(f"{description}: finished in {time.perf_counter() - started:.1f} s")
            self._started.remove(stage)

    def close(self) -> None:
        """Report the time each open stage took (line mode)."""
        self._finish(lambda counted: True)


def _line(text: str) -> None:
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


@contextmanager
def progress_bars(flag: bool | None, *, transient: bool = True) -> Iterator[ProgressBars]:
    """Open the bars of a command (see :func:`wants_progress`); they close with the block."""
    if not wants_progress(flag):
        yield ProgressBars(None)
        return
    isatty = getattr(sys.stderr, "isatty", None)
    if not (isatty and isatty()):
        bars = ProgressBars(None, lines=True)
        try:
            yield bars
        finally:
            bars.close()
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    display = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=transient,
    )
    with display:
        yield ProgressBars(display)
