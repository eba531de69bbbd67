"""The core's warnings, shown to a person: one escaped line each on stderr."""

from __future__ import annotations

import logging


class WarningLines(logging.Handler):
    """The core's warnings (the `ccus_records` logger) as `ccus-records: warning: …` lines on stderr, the
    record text in them made inert. Written to the stderr of the moment (tests swap it)."""

    def emit(self, record: logging.LogRecord) -> None:
        import sys

        from ccus_records.render.encode import terminal_line

        sys.stderr.write(f"ccus-records: warning: {terminal_line(record.getMessage())}\n")


def show_core_warnings() -> None:
    """Route the core's warnings to stderr, once per process."""
    log = logging.getLogger("ccus_records")
    if not any(isinstance(handler, WarningLines) for handler in log.handlers):
        log.addHandler(WarningLines())
        log.propagate = False
