"""`ccus-records diff`: field-level differences between files, folders or git revisions of the corpus.

Exit codes as diff(1): 0 no differences, 1 differences, 2 trouble. As git's external diff driver
(`--git-external`) it always exits 0, because git aborts the whole diff otherwise.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ccus_records.cli.common import fail, load, use_colour, write_chunks, write_err, write_out
from ccus_records.cli.options import ConfigOption, IsolatedOption, format_option

if TYPE_CHECKING:
    from ccus_records.features.diff import DiffResult


def diff_command(
    paths: Annotated[
        list[str] | None,
        typer.Argument(help="OLD NEW (two files or two folders); with --rev, the paths to compare (default: corpus)."),
    ] = None,
    rev: Annotated[
        str | None,
        typer.Option(help="Compare the corpus at this git revision with the working tree; A..B compares two."),
    ] = None,
    output_format: Annotated[str, format_option("diff")] = "text",
    brief: Annotated[bool, typer.Option(help="Only say which records differ.")] = False,
    git_external: Annotated[
        bool,
        typer.Option("--git-external", help="Act as git's external diff driver (git passes the arguments)."),
    ] = False,
    textconv: Annotated[
        Path | None,
        typer.Option(help="Print FILE as sorted `field = value` lines and its body (a git textconv)."),
    ] = None,
    config_file: ConfigOption = None,
    isolated: IsolatedOption = False,
) -> None:
    """Show what changed between two versions of records, field by field."""
    if git_external:
        _git_external(paths or [])
    if textconv is not None:
        _textconv(textconv, paths or [])
    from ccus_records.features.diff import DiffInputError, diff_paths, diff_sides
    from ccus_records.features.diff_git import diff_revisions
    from ccus_records.render import registry

    if brief and not registry.find("diff", output_format).brief:
        briefs = [item.name for item in registry.FORMATS["diff"].values() if item.brief]
        fail(f"--brief has no {output_format} form; use --format {', '.join(briefs[:-1])} or {briefs[-1]}")
    config = load(config_file, isolated)
    max_bytes = config.settings.max_file_bytes
    cwd = Path.cwd()
    result: DiffResult
    try:
        if rev is not None:
            targets = [Path(path) for path in paths] if paths else list(config.records)
            if not targets:
                fail(f"--rev: {config.no_records_message()}; or name the paths to compare")
            old, new, old_label, new_label = diff_revisions(rev, targets, cwd, max_bytes)
            result = diff_sides(old, new, old_label, new_label)
        else:
            if not paths or len(paths) != 2:
                fail("diff takes OLD NEW (two files or two folders), or --rev REV [PATHS...]")
            result = diff_paths(Path(paths[0]), Path(paths[1]), cwd, max_bytes)
    except DiffInputError as error:
        fail(str(error))
    write_chunks(
        registry.render("diff", output_format, result, registry.RenderOptions(colour=use_colour(), brief=brief))
    )
    if result.unreadable:
        from ccus_records.render.messages import note_line

        count = result.unreadable
        write_err(
            note_line(
                f"{count} record{'s' if count != 1 else ''} could not be read and "
                f"{'are' if count != 1 else 'is'} shown line by line; every other record is compared above"
            )
        )
        raise typer.Exit(2)
    raise typer.Exit(1 if result.has_differences else 0)


def _git_external(arguments: list[str]) -> None:
    """Git's external diff driver: label with the repository path, never fail (git aborts otherwise)."""
    try:
        from ccus_records.features.diff_external import external_diff
        from ccus_records.render.diff_text import external_note, external_text, render_plain, unmerged_text

        shown = external_diff(arguments)
        if shown.unmerged:
            write_out(unmerged_text(shown.path))
        elif shown.result is not None:
            write_out(external_text(shown.path, shown.new_path, shown.result))
        else:
            if shown.note:
                # Git shows the driver's stderr beside the diff: say why this one is not field-level.
                write_err(external_note(shown.note))
            write_out(render_plain(shown.plain))
    except BrokenPipeError:
        # The pager was closed: nothing more to show, and nothing to complain about at exit either.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except Exception as error:  # anything at all: git aborts the whole diff on a non-zero exit
        from ccus_records.render.messages import note_line

        write_err(note_line(f"--git-external: {error}"))
    raise typer.Exit(0)


def _textconv(path: Path, extra: list[str]) -> None:
    from ccus_records.features.diff import DiffInputError
    from ccus_records.features.diff_external import textconv
    from ccus_records.render.diff_text import textconv_text

    if extra:
        fail("--textconv takes one FILE and no other paths")
    try:
        converted = textconv(path)
    except DiffInputError as error:
        fail(str(error))
    write_out(textconv_text(converted.text))
    raise typer.Exit(0)
