"""Lines for a person on stderr: errors, warnings and notes. Whatever they quote is shown on one line."""

from __future__ import annotations

from collections.abc import Iterable

from ccus_records.render.encode import terminal_line

PROGRAM = "ccus-records"


def error_line(message: str) -> str:
    """`ccus-records: error: MESSAGE`. A message of several lines (a configuration file's every problem) keeps
    them, each indented: whatever a quoted value holds, no line of it starts at the left margin, where a CI
    runner would read a workflow command (`::error ...`) or a person a line of the tool's own."""
    first, *rest = message.split("\n")
    more = "".join(_indented(terminal_line(line)) + "\n" for line in rest)
    return f"{PROGRAM}: error: {terminal_line(first)}\n{more}"


def _indented(line: str) -> str:
    return line if line.startswith(("  ", "\t")) else f"  {line}"


def note_line(message: str) -> str:
    """`ccus-records: MESSAGE`, for notes beside machine-readable output."""
    return f"{PROGRAM}: {terminal_line(message)}\n"


def plain_line(message: str) -> str:
    """A message as a line of its own, without the program's name (a prompt's answer, a note in a list)."""
    return terminal_line(message) + "\n"


def prompt(text: str) -> str:
    """A question on stderr; the answer follows on the same line."""
    return terminal_line(text)


def lines(messages: Iterable[str]) -> str:
    return "".join(terminal_line(message) + "\n" for message in messages)
