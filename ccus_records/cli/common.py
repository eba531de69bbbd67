"""What every command shares: dates, errors on stderr with exit 2, the configuration."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import typer

if TYPE_CHECKING:
    from ccus_records.engine.config import Config

from ccus_records.errors import EXIT_USAGE


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    """Print an error for a person on stderr and exit (2: usage, configuration or unreadable input)."""
    from ccus_records.render.messages import error_line

    write_err(error_line(message))
    raise typer.Exit(code)


def parse_today(value: str | None) -> dt.date:
    if value is None:
        return dt.date.today()
    from ccus_records.schema.dates import parse_iso_date

    try:
        return parse_iso_date(value)
    except ValueError:
        fail(f"--today: {value!r} is not a date YYYY-MM-DD")


def use_colour(stream: object = None) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    target = stream if stream is not None else sys.stdout
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(target, "isatty", None)
    return bool(isatty and isatty())


@contextmanager
def reported_errors() -> Iterator[None]:
    """Turn the core's known errors into a one-line message and exit 2, never a traceback."""
    from ccus_records.errors import CcusRecordsError

    try:
        yield
    except CcusRecordsError as error:
        fail(str(error), error.exit_code)


def load(config_file: Path | None, isolated: bool, demo: bool = False) -> Config:
    from ccus_records.engine.config import load_config

    with reported_errors():
        return load_config(Path.cwd(), config_file, isolated, demo)


def write_out(text: str) -> None:
    """Write what a renderer returned (already encoded for its medium) to stdout."""
    sys.stdout.write(text)
    sys.stdout.flush()


def write_err(text: str) -> None:
    """Write what a renderer returned (already encoded, one line a message) to stderr."""
    sys.stderr.write(text)
    sys.stderr.flush()


def write_chunks(chunks: Iterable[str]) -> None:
    """Write output as it is rendered; a reader that closed the pipe (`| head`) ends it quietly."""
    try:
        for chunk in chunks:
            sys.stdout.write(chunk)
        sys.stdout.flush()
    except BrokenPipeError:
        # Python would report the broken pipe again when it flushes stdout at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise typer.Exit(1) from None
