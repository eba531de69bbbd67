"""What `fmt` and `lint --fix` tell a person: files reformatted or fixed, and the diff of what would change."""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from ccus_records.features.fix import FixRun, Formatted
from ccus_records.render.encode import terminal_line


def format_diff(item: Formatted) -> str:
    """A unified diff of what formatting changes, each line shown as one line (controls escaped)."""
    return _diff(item.display, item.before, item.after, "formatted")


def fix_diffs(run: FixRun) -> str:
    """`lint --fix --diff`: a unified diff of what the fixes would change in each file."""
    return "".join(_diff(item.display, item.before, item.after, "fixed") for item in run.files if item.fixed)


def _diff(display: str, before: str, after: str, label: str) -> str:
    name = terminal_line(display)
    lines = difflib.unified_diff(_lines(before), _lines(after), fromfile=f"{name} (before)", tofile=f"{name} ({label})")
    out = []
    for line in lines:
        if line.endswith("\n"):
            out.append(terminal_line(line[:-1]) + "\n")
        else:
            out.append(terminal_line(line) + "\n\\ No newline at end of file\n")
    return "".join(out)


def _lines(text: str) -> list[str]:
    """The text's lines with their LF, split at LF only (a CR or a form feed is shown, not a line break)."""
    parts = [part + "\n" for part in text.split("\n")]
    parts[-1] = parts[-1][:-1]
    return parts if parts[-1] else parts[:-1]


def format_diffs(items: Sequence[Formatted]) -> str:
    return "".join(format_diff(item) for item in items)


def would_reformat(items: Sequence[Formatted]) -> str:
    return "".join(terminal_line(f"would reformat {item.display}") + "\n" for item in items)


def reformatted(items: Sequence[Formatted]) -> str:
    return "".join(terminal_line(f"reformatted {item.display}") + "\n" for item in items)


def fix_summary(run: FixRun, preview: bool = False) -> str:
    """For stderr (stdout keeps the lint output): what `lint --fix` fixed, what it could not, what more it
    could; nothing at all when there was nothing to fix. With `preview` (`--diff`), what it would fix."""
    lines = []
    for item in run.files:
        if item.fixed:
            lines.append(f"{'would fix' if preview else 'fixed'} {item.display}: {', '.join(item.fixed)}")
        lines.extend(f"not fixed {item.display}: {reason}" for reason in item.refused)
    hidden = sorted({code for item in run.files for code in item.unsafe_available})
    files = sum(1 for item in run.files if item.fixed)
    if run.fixed_count:
        lines.append(f"{'Would fix' if preview else 'Fixed'} {run.fixed_count} finding(s) in {files} file(s).")
    if hidden:
        count = sum(len(item.unsafe_available) for item in run.files)
        lines.append(f"{count} more fixable with --unsafe-fixes ({', '.join(hidden)}).")
    lines.extend(f"ccus-records: error: {message}" for message in run.errors)
    return "".join(terminal_line(line) + "\n" for line in lines)
