"""Ctrl-C ends every command at once: exit 130, one line on stderr, no traceback, no worker left behind.

The interrupt is the real thing: the command runs in a pseudo-terminal, in a process group of its own, and
SIGINT goes to the whole group, as a terminal's Ctrl-C does (the workers of the pool receive it too).
"""

from __future__ import annotations

import contextlib
import os
import pty
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from benchmarks.generate import generate_corpus

# Enough records for the worker pool (its threshold is 1,500 files to check).
CORPUS_SIZE = 2400
TRIES = 12


@pytest.fixture(scope="module")
def big_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("interrupt")
    generate_corpus(root / "records", CORPUS_SIZE)
    return root


def interrupt(root: Path, arguments: list[str], after: float) -> tuple[int | None, str, float, int]:
    """Run the command in a pseudo-terminal, send SIGINT to its process group after `after` seconds.

    Returns the exit code (None: it finished before the interrupt), what it wrote to stderr, the seconds it
    took to end after the interrupt, and the process group.
    """
    primary, secondary = pty.openpty()
    stderr_path = root / "stderr.txt"
    with open(stderr_path, "wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "ccus_records", *arguments],
            cwd=root,
            stdin=secondary,
            stdout=secondary,
            stderr=stderr,
            start_new_session=True,
            env={**os.environ, "NO_COLOR": "1"},
        )
        os.close(secondary)
        group = process.pid
        drained = bytearray()
        deadline = time.monotonic() + after
        while time.monotonic() < deadline and process.poll() is None:
            _drain(primary, drained, 0.01)
        if process.poll() is not None:
            os.close(primary)
            return None, stderr_path.read_text(errors="replace"), 0.0, group
        os.killpg(group, signal.SIGINT)
        sent = time.monotonic()
        while process.poll() is None and time.monotonic() - sent < 30:
            _drain(primary, drained, 0.01)
        ended = time.monotonic() - sent
        if process.poll() is None:
            os.killpg(group, signal.SIGKILL)
            process.wait()
        os.close(primary)
    return process.returncode, stderr_path.read_text(errors="replace"), ended, group


def _drain(fd: int, into: bytearray, wait: float) -> None:
    import select

    ready, _, _ = select.select([fd], [], [], wait)
    if ready:
        with contextlib.suppress(OSError):
            into.extend(os.read(fd, 65536))


def group_is_gone(group: int) -> bool:
    for _ in range(100):
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.02)
    return False


@pytest.mark.parametrize("command", [["lint", "--no-cache"], ["report", "--format", "json"]])
def test_ctrl_c_ends_the_run_at_once_with_exit_130_and_one_line(big_corpus: Path, command: list[str]) -> None:
    arguments = [*command, "--today", "2026-12-01"]
    # The interrupt lands somewhere inside a whole run as long as this machine takes for one just now.
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "ccus_records", *arguments], cwd=big_corpus, capture_output=True, check=False)
    whole = time.monotonic() - started
    randomly = random.Random(20261203)
    interrupted = 0
    for _ in range(TRIES):
        code, stderr, ended, group = interrupt(big_corpus, arguments, randomly.uniform(0.15, 0.7) * whole)
        if code is None or (code in (0, 1) and stderr == ""):
            continue  # it finished first (or in the same instant as the interrupt, which then changed nothing)
        interrupted += 1
        assert code == 130, stderr
        assert stderr == "ccus-records: interrupted\n", stderr
        assert ended < 1.0, ended
        assert group_is_gone(group), "a worker outlived the interrupt"
    assert interrupted >= TRIES // 2


def run_with_stderr_on_a_terminal(root: Path, arguments: list[str], env: dict[str, str]) -> tuple[int, str, str]:
    """Run to the end with stderr on a pseudo-terminal (stdout a pipe); what each showed."""
    primary, secondary = pty.openpty()
    out_path = root / "stdout.txt"
    with open(out_path, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "ccus_records", *arguments],
            cwd=root,
            stdout=out,
            stderr=secondary,
            env={**{k: v for k, v in os.environ.items() if k != "CI"}, **env},
        )
        os.close(secondary)
        terminal = bytearray()
        deadline = time.monotonic() + 120
        while process.poll() is None and time.monotonic() < deadline:
            _drain(primary, terminal, 0.05)
        _drain(primary, terminal, 0.05)
        os.close(primary)
        if process.poll() is None:
            process.kill()
            process.wait()
    return process.returncode, out_path.read_text(encoding="utf-8"), terminal.decode(errors="replace")


def test_a_long_lint_shows_progress_on_a_terminal_only(big_corpus: Path) -> None:
    arguments = ["lint", "--no-cache", "--today", "2026-12-01", "--format", "json"]
    code, stdout, terminal = run_with_stderr_on_a_terminal(big_corpus, arguments, {})
    assert code in (0, 1) and "checking records" in terminal and f"/{CORPUS_SIZE}" in terminal
    assert "checking records" not in stdout  # the document on stdout is untouched
    for quiet in ({"CI": "true"}, {}):
        extra = ["--quiet"] if not quiet else []
        code, stdout, terminal = run_with_stderr_on_a_terminal(big_corpus, [*arguments, *extra], quiet)
        assert code in (0, 1) and "checking records" not in terminal
    piped = subprocess.run(
        [sys.executable, "-m", "ccus_records", *arguments], cwd=big_corpus, capture_output=True, text=True, check=False
    )
    assert "checking records" not in piped.stderr
