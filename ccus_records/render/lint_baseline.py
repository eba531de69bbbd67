"""What a lint baseline did, for a person: one line each, whatever a record's key or path holds.

In the text format these lines follow the summary on stdout; beside any other format they go to stderr,
where a CI runner reads workflow commands too: a line break quoted from a record must never start a line.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ccus_records.render.encode import terminal_line

if TYPE_CHECKING:
    from ccus_records.engine.baseline import BaselineOutcome


def baseline_notes(path: Path, outcome: BaselineOutcome) -> list[str]:
    """The notes, each already encoded as one line (without its line break)."""
    hidden = outcome.hidden
    lines = [f"Baseline {path}: {hidden} known finding{'s' if hidden != 1 else ''} hidden."]
    if outcome.stale:
        count = len(outcome.stale)
        lines.append(
            f"Baseline: {count} entr{'ies are' if count != 1 else 'y is'} fixed and can be dropped "
            "(regenerate with --write-baseline):"
        )
        for entry, gone in outcome.stale:
            times = f" ×{gone}" if gone != 1 else ""
            lines.append(f"  fixed: {entry.describe()}{times}")
    return [terminal_line(line) for line in lines]


def notes_text(notes: list[str], on_stdout: bool) -> str:
    """The notes as written: plain lines after text output, `ccus-records: ` lines on stderr otherwise."""
    prefix = "" if on_stdout else "ccus-records: "
    return "".join(f"{prefix}{line}\n" for line in notes)


def wrote_baseline(path: Path, findings: int, entries: int, today: str) -> str:
    return (
        terminal_line(
            f"Wrote baseline {path}: {findings} finding{'s' if findings != 1 else ''} "
            f"as {entries} entr{'ies' if entries != 1 else 'y'} (judged on {today})."
        )
        + "\n"
    )
