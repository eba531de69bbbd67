"""Progress of a long run, for a person at a terminal: a bar on stderr, never in a pipe, in CI or when quiet."""

from __future__ import annotations

import os
from typing import Any

# Below this many files a run is quick enough that a progress bar would only flicker.
LARGE_CORPUS = 500


class ProgressBar:
    """A progress bar on stderr, shown only on a terminal and only for a large corpus."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._progress: Any = None
        self._tasks: dict[str, Any] = {}

    def __call__(self, phase: str, done: int, total: int) -> None:
        if not self.enabled or total < LARGE_CORPUS:
            return
        if self._progress is None:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn

            self._progress = Progress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self._progress.start()
        if phase not in self._tasks:
            self._tasks[phase] = self._progress.add_task(phase, total=total)
        self._progress.update(self._tasks[phase], completed=done)

    def stop(self) -> None:
        if self._progress is not None:
            self._progress.stop()


def wants_progress(stream: object, quiet: bool = False) -> bool:
    """A bar only for a person: on a terminal, not in CI (which sets `CI`), and not when asked to be quiet."""
    if quiet or os.environ.get("CI"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())
