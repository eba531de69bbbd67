"""`ccus-records diff`: field-level differences between files, folders or git revisions of the corpus.

Exit codes as diff(1): 0 no differences, 1 differences, 2 trouble. As git's external diff driver
(`--git-external`) it always exits 0, because git aborts the whole diff otherwise.
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ccus_records.cli.common import fail, load, use_colour, write_out

if TYPE_CHECKING:
    from ccus_records.features.diff import DiffResult


class DiffFormat(str, Enum):
    text = "text"
    json = "json"
    markdown = "markdown"
    patch = "patch"


def diff_command(
    paths: Annotated[
        list[str] | None,
        typer.Argument(help="OLD NEW (two files or two folders); with --rev, the paths to compare (default: corpus)."),
    ] = None,
    rev: Annotated[
        str | None,
        typer.Option(help="Compare the corpus at this git revision with the working tree; A..B compares two."),
    ] = None,
    output_format: Annotated[DiffFormat, typer.Option("--format", help="Output format.")] = DiffFormat.text,
    brief: Annotated[bool, typer.Option(help="Only say which records differ.")] = False,
    git_external: Annotated[
        bool,
        typer.Option("--git-external", help="Act as git's external diff driver (git passes the arguments)."),
    ] = False,
    textconv: Annotated[
        Path | None,
        typer.Option(help="Print FILE as sorted `field = value` lines and its body (a git textconv)."),
    ] = None,
    config_file: Annotated[Path | None, typer.Option("--config", help="Use this configuration file.")] = None,
    isolated: Annotated[bool, typer.Option(help="Ignore configuration files.")] = False,
) -> None:
    """Show what changed between two versions of records, field by field."""
    if git_external:
        _git_external(paths or [])
    if textconv is not None:
        _textconv(textconv, paths or [])
    from ccus_records.features.diff import DiffInputError, diff_paths, diff_sides
    from ccus_records.features.diff_git import diff_revisions

    if brief and output_format is DiffFormat.patch:
        fail("--brief has no patch form; use --format text, json or markdown")
    config = load(config_file, isolated)
    max_bytes = config.settings.max_file_bytes
    cwd = Path.cwd()
    result: DiffResult
    try:
        if rev is not None:
            targets = [Path(path) for path in paths] if paths else list(config.records)
            if not targets:
                fail("--rev: no records folder is configured and ./seeds does not exist; name the paths to compare")
            old, new, old_label, new_label = diff_revisions(rev, targets, cwd, max_bytes)
            result = diff_sides(old, new, old_label, new_label)
        else:
            if not paths or len(paths) != 2:
                fail("diff takes OLD NEW (two files or two folders), or --rev REV [PATHS...]")
            result = diff_paths(Path(paths[0]), Path(paths[1]), cwd, max_bytes)
    except DiffInputError as error:
        fail(str(error))
    write_out(_render(result, output_format, brief))
    if result.unreadable:
        count = result.unreadable
        sys.stderr.write(
            f"ccus-records: {count} record{'s' if count != 1 else ''} could not be read and "
            f"{'are' if count != 1 else 'is'} shown line by line; every other record is compared above\n"
        )
        raise typer.Exit(2)
    raise typer.Exit(1 if result.has_differences else 0)


def _render(result: DiffResult, output_format: DiffFormat, brief: bool) -> str:
    if output_format is DiffFormat.json:
        from ccus_records.render.diff_json import render_json

        return render_json(result, brief)
    if output_format is DiffFormat.markdown:
        from ccus_records.render.diff_markdown import render_markdown

        return render_markdown(result, brief)
    if output_format is DiffFormat.patch:
        from ccus_records.render.diff_patch import render_patch

        return render_patch(result)
    from ccus_records.render.diff_text import render_brief, render_text

    return render_brief(result) if brief else render_text(result, colour=use_colour())


def _git_external(arguments: list[str]) -> None:
    """Git's external diff driver: label with the repository path, never fail (git aborts otherwise)."""
    try:
        from ccus_records.features.diff_external import external_diff
        from ccus_records.render.diff_text import render_plain, render_text
        from ccus_records.render.safe import inert

        shown = external_diff(arguments)
        if shown.unmerged:
            write_out(f"* Unmerged path {inert(shown.path)}\n")
        elif shown.result is not None:
            header = f"ccus-records diff a/{inert(shown.path)} b/{inert(shown.new_path)}\n"
            body = render_text(shown.result, colour=False, summary=False, expand=True)
            write_out(header + (body or "  (no field-level changes: only the front matter's formatting)\n"))
        else:
            if shown.note:
                # Git shows the driver's stderr beside the diff: say why this one is not field-level.
                sys.stderr.write(f"ccus-records: {inert(shown.note)}; showing a plain diff\n")
            write_out(render_plain(shown.plain))
    except BrokenPipeError:
        # The pager was closed: nothing more to show, and nothing to complain about at exit either.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except Exception as error:  # anything at all: git aborts the whole diff on a non-zero exit
        sys.stderr.write(f"ccus-records: --git-external: {error}\n")
    raise typer.Exit(0)


def _textconv(path: Path, extra: list[str]) -> None:
    from ccus_records.features.diff import DiffInputError
    from ccus_records.features.diff_external import textconv
    from ccus_records.render.safe import inert

    if extra:
        fail("--textconv takes one FILE and no other paths")
    try:
        converted = textconv(path)
    except DiffInputError as error:
        fail(str(error))
    write_out(inert(converted.text))
    raise typer.Exit(0)
