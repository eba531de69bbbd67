"""`ccus-records edit` and `review`: change records, validated before anything is written."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperCommand

from ccus_records.cli.common import fail, load, parse_today, write_err, write_out
from ccus_records.cli.options import ConfigOption, DryRunOption, IsolatedOption, TodayOption

_ORDER_KEY = "ccus_records.edit.order"
# The parameter behind each change option, and the action it stands for.
_ACTION_OF_PARAM = {
    "set_values": "set",
    "unset": "unset",
    "append": "append",
    "remove": "remove",
    "json_values": "json",
}


class OrderedChangesCommand(TyperCommand):
    """Remembers the order in which change options were given, across kinds (`--unset a --append a=x`).

    Click hands each option its values as one list; the parser, though, sees every occurrence in turn.
    """

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        # `ctx` is the click Context Typer vendors; typed loosely so as not to name Typer's private module.
        try:
            _, _, order = self.make_parser(ctx).parse_args(args=list(args))
            ctx.meta[_ORDER_KEY] = [_ACTION_OF_PARAM[p.name] for p in order if p.name in _ACTION_OF_PARAM]
        except Exception:  # a usage error: the real parse below reports it as click does
            pass
        return list(super().parse_args(ctx, args))


def _say(message: str) -> None:
    from ccus_records.render.messages import plain_line

    write_err(plain_line(message))


def _ask(question: str) -> str | None:
    from ccus_records.render.messages import prompt

    write_err(prompt(question))
    line = sys.stdin.readline()
    return line if line else None


def edit_command(
    ctx: typer.Context,
    target: Annotated[str | None, typer.Argument(help="A record id or path (or a folder, with --where).")] = None,
    set_values: Annotated[
        list[str] | None, typer.Option("--set", help="FIELD=VALUE, typed by the schema (repeatable).")
    ] = None,
    unset: Annotated[list[str] | None, typer.Option(help='FIELD: set it to its empty value, "" or [].')] = None,
    append: Annotated[list[str] | None, typer.Option(help="LIST=VALUE: add an item to a list field.")] = None,
    remove: Annotated[list[str] | None, typer.Option(help="LIST=VALUE: remove an item from a list field.")] = None,
    json_values: Annotated[list[str] | None, typer.Option("--json", help="FIELD=JSON: a whole value as JSON.")] = None,
    where: Annotated[list[str] | None, typer.Option(help="Edit every record where FIELD OP VALUE holds.")] = None,
    has: Annotated[list[str] | None, typer.Option(help="Edit every record with a finding of this code.")] = None,
    dry_run: DryRunOption = False,
    today: TodayOption = None,
    config_file: ConfigOption = None,
    isolated: IsolatedOption = False,
) -> None:
    """Change fields of records (--set, --unset, --append, --remove, --json), or open one in $VISUAL/$EDITOR."""
    from ccus_records.features.edit import (
        Action,
        EditError,
        ordered_operations,
        plan_edits,
        select_records,
        write_edits,
    )
    from ccus_records.render.edit_text import describe_all

    config = load(config_file, isolated)
    cwd = Path.cwd()
    values: dict[Action, Sequence[str]] = {
        "set": set_values or [],
        "unset": unset or [],
        "append": append or [],
        "remove": remove or [],
        "json": json_values or [],
    }
    try:
        operations = ordered_operations(values, ctx.meta.get(_ORDER_KEY))
        if not operations:
            if where or has:
                fail("the editor opens one record; give change options (--set ...) to edit several")
            if dry_run:
                fail("--dry-run needs change options (--set, --unset, --append, --remove, --json)")
            if target is None:
                fail("give a record id or path")
            _run_editor(target, config, cwd)
            return
        paths = select_records(config, cwd, target, where or [], has or [], parse_today(today))
        if not paths:
            _say("no record matches; nothing to do")
            return
        edits = plan_edits(paths, operations, config, cwd)
        for edit in edits:
            for note in edit.notes:
                _say(f"note: {edit.display}: {note}")
        if dry_run:
            changed = [edit for edit in edits if edit.changes]
            write_out(describe_all(changed, "would change"))
            write_out(f"{len(changed)} of {len(edits)} record(s) would change; nothing written (--dry-run)\n")
            return
        written = write_edits(edits)
    except EditError as error:
        fail(str(error))
    write_out(describe_all(written, "changed"))
    if len(edits) > 1 or not written:
        write_out(f"{len(written)} of {len(edits)} record(s) changed\n")


def _run_editor(target: str, config: Any, cwd: Path) -> None:
    from ccus_records.features.edit import find_record
    from ccus_records.features.editor import edit_in_editor, editor_command
    from ccus_records.render.edit_text import editor_result

    path = find_record(config, cwd, target)
    result = edit_in_editor(path, config, cwd, editor_command(), _ask, _say)
    if result.outcome == "written":
        write_out(editor_result(result.display, result.changes))
        return
    if result.outcome == "unchanged":
        return
    raise typer.Exit(2 if result.failed else 1)


class ReviewStatusChoice(str, Enum):
    verified = "verified"
    pending = "pending"
    rejected = "rejected"


def review_command(
    target: Annotated[str, typer.Argument(help="A record id or path.")],
    reviewer: Annotated[str, typer.Option(help="Who reviewed the record.")],
    status: Annotated[ReviewStatusChoice, typer.Option(help="The review's outcome.")] = ReviewStatusChoice.verified,
    note: Annotated[
        str | None, typer.Option(help="A note, added (dated, signed) to analysis.statutory.auditNote.")
    ] = None,
    today: TodayOption = None,
    force: Annotated[bool, typer.Option(help="Verify despite error-level findings or a self-review.")] = False,
    dry_run: DryRunOption = False,
    config_file: ConfigOption = None,
    isolated: IsolatedOption = False,
) -> None:
    """Record a review: sets provenance.reviewer, reviewStatus and provenance.lastAuditDate."""
    from ccus_records.features.edit import EditError, plan_review, write_edits
    from ccus_records.render.edit_text import describe, review_blocked, review_forced, review_unchanged

    config = load(config_file, isolated)
    day = parse_today(today)
    try:
        plan = plan_review(config, Path.cwd(), target, reviewer, status.value, note, day)
        edit = plan.edit
        if plan.blockers and not force:
            write_err(review_blocked(plan))
            raise typer.Exit(1)
        if not edit.changes:
            write_out(review_unchanged(plan))
            return
        if dry_run:
            write_out(describe(edit, "would change") + "nothing written (--dry-run)\n")
            return
        write_edits([edit])
    except EditError as error:
        fail(str(error))
    write_out(describe(edit, f"reviewed ({plan.status} by {plan.reviewer})"))
    if plan.blockers:
        write_out(review_forced(plan))
