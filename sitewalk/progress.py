"""Showing scan progress with rich: a spinner or bar per stage, notes printed above it."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from scanner.pipeline import Progress as ScanProgress


class RichProgress(ScanProgress):
    """A :class:`scanner.pipeline.Progress` that draws on the terminal (stderr)."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.bar = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                            MofNCompleteColumn(), TextColumn("{task.fields[detail]}"),
                            TimeElapsedColumn(), console=console, transient=False)
        self.task: TaskID | None = None

    def __enter__(self) -> RichProgress:
        self.bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._finish_task()
        self.bar.stop()

    def _finish_task(self) -> None:
        if self.task is not None:
            total = self.bar.tasks[self.task].total
            self.bar.update(self.task, completed=total if total is not None else 1,
                            total=total if total is not None else 1, detail="done")

    def stage(self, name: str, total: int | None = None) -> None:
        """Close the current stage's bar and open one for ``name``."""
        self._finish_task()
        self.task = self.bar.add_task(name, total=total, detail="")

    def advance(self, detail: str = "") -> None:
        """Move the current bar one step."""
        if self.task is not None:
            self.bar.update(self.task, advance=1, detail=detail)

    def note(self, message: str) -> None:
        """Print a note above the bars; the message may come from the network, so escape it."""
        self.console.print(f"[yellow]note:[/yellow] {escape(message)}", markup=True,
                           highlight=False, soft_wrap=True)
