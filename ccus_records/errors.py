"""The one base of every error the tool reports to a person, and the exit code each maps to.

Core code raises these with a message that names the input and what is wrong with it; the command line
turns any of them into one line on stderr and `exit_code` (see cli/common.py), never a traceback.
"""

from __future__ import annotations

# The exit codes, as ruff and pre-commit use them: 0 clean, 1 findings or differences, 2 the run could not
# be done as asked (usage, configuration, unreadable input), 130 interrupted.
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class CcusRecordsError(Exception):
    """A run cannot go on as asked; the message says why for a person."""

    exit_code: int = EXIT_USAGE
