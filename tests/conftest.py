from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ccus_records.cli.app import app


class Cli:
    """Runs the real Typer app in a folder, with stdout and stderr kept apart."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
        return self.runner.invoke(app, list(args), input=input, env=env, catch_exceptions=False)


@pytest.fixture
def cli() -> Cli:
    return Cli()


@pytest.fixture
def workdir(tmp_path: Path) -> Iterator[Path]:
    """A clean current folder with no configuration above it that matters."""
    old = Path.cwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(old)


def pytest_terminal_summary(terminalreporter) -> None:  # type: ignore[no-untyped-def]
    from tests import test_fuzz

    count = test_fuzz.EXAMPLES["count"] if hasattr(test_fuzz, "EXAMPLES") else 0
    if count:
        terminalreporter.write_line(f"fuzz: {count} examples run through the reader and the rule engine")
