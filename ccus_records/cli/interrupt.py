"""What Ctrl-C does to a run, wherever it lands."""

from __future__ import annotations

import signal
import sys

# Set once an interrupt has been reported: the console script then ends the process with exit 130 itself.
REPORTED: list[bool] = []


def interrupted() -> None:
    """End the run on Ctrl-C: one line, no traceback, the exit code shells expect (128 + SIGINT).

    Further interrupts are ignored from here on, so that a second Ctrl-C cannot turn the orderly end
    (workers already ended, files already closed) into a traceback.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if not REPORTED:
        REPORTED.append(True)
        sys.stderr.write("ccus-records: interrupted\n")
        sys.stderr.flush()
