"""The console script: Ctrl-C is handled from the first instant, before the application is even imported."""

from __future__ import annotations

import contextlib
import os
import signal
import sys

from ccus_records.cli import interrupt
from ccus_records.errors import EXIT_INTERRUPTED


def main() -> None:
    # The renderers never write a lone surrogate; a terminal whose encoding is not UTF-8 (LANG=C on an old
    # system, a Windows code page) still cannot take every character of a record: written as `\uXXXX`, never
    # a UnicodeEncodeError halfway through the output.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    try:
        from ccus_records.cli.app import app

        # One name in every usage line and help, however it was started (`python -m ccus_records` too), as pip.
        app(prog_name="ccus-records")
    except KeyboardInterrupt:
        interrupt.interrupted()
        sys.exit(EXIT_INTERRUPTED)
    finally:
        # The run is over, whatever its outcome: a Ctrl-C now changes nothing and must not kill the exit.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        if interrupt.REPORTED:
            # An interrupted run ends here and now, with 130: nothing left in the interpreter's teardown
            # (which may re-raise the interrupt as a signal death) gets a say.
            for stream in (sys.stdout, sys.stderr):
                with contextlib.suppress(Exception):
                    stream.flush()
            os._exit(EXIT_INTERRUPTED)
