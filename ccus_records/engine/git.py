"""Running git itself: no shell, every argument a list item, git's own first error line when it fails."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from pathlib import Path

from ccus_records.errors import CcusRecordsError


class GitFailure(CcusRecordsError):
    """Git could not answer: not a repository, an unknown revision, git missing."""


def run_git(arguments: Sequence[str], cwd: Path, stdin: bytes | None = None) -> bytes:
    """Git's standard output; a `GitFailure` with git's own first error line when it fails."""
    # Optional locks off: a read-only command must not take index.lock from under an editor or hook.
    environment = {**os.environ, "GIT_OPTIONAL_LOCKS": "0", "GIT_TERMINAL_PROMPT": "0"}
    try:
        completed = subprocess.run(
            ["git", *arguments],
            cwd=cwd,
            input=stdin if stdin is not None else b"",
            capture_output=True,
            env=environment,
            check=False,
        )
    except FileNotFoundError:
        raise GitFailure("git is not installed (or not on PATH)") from None
    except OSError as error:
        raise GitFailure(f"cannot run git: {error.strerror or error}") from None
    if completed.returncode != 0:
        message = completed.stderr.decode("utf-8", "replace").strip().splitlines()
        first = next((line for line in message if line.strip()), f"git exited with {completed.returncode}")
        raise GitFailure(first.removeprefix("fatal: ").removeprefix("error: "))
    return completed.stdout
