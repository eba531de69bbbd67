"""What `edit` and `review` tell a person: each record changed and its field changes, one line each."""

from __future__ import annotations

from collections.abc import Sequence

from ccus_records.features.edit import RecordEdit, ReviewPlan
from ccus_records.render.encode import terminal_line


def describe(edit: RecordEdit, verb: str) -> str:
    """`VERB path (id): N fields`, then a line a changed field."""
    count = len(edit.changes)
    head = f"{verb} {edit.display} ({edit.record_id}): {count} field{'s' if count != 1 else ''}"
    return "".join(terminal_line(line) + "\n" for line in [head, *(f"  {change}" for change in edit.changes)])


def describe_all(edits: Sequence[RecordEdit], verb: str) -> str:
    return "".join(describe(edit, verb) for edit in edits)


def editor_result(display: str, changes: Sequence[object]) -> str:
    """What saving a record from the editor changed."""
    count = len(changes)
    lines = [f"changed {display}: {count} field{'s' if count != 1 else ''}", *(f"  {change}" for change in changes)]
    return "".join(terminal_line(line) + "\n" for line in lines)


def review_unchanged(plan: ReviewPlan) -> str:
    edit = plan.edit
    return (
        terminal_line(f"{edit.display} ({edit.record_id}): already {plan.status} by {plan.reviewer}; nothing to do")
        + "\n"
    )


def review_blocked(plan: ReviewPlan) -> str:
    """For stderr: why the record was not marked with the review's status."""
    lines = [f"  blocks it: {blocker}" for blocker in plan.blockers]
    lines.append(
        f"ccus-records: error: {plan.edit.display} not marked {plan.status}: "
        f"{len(plan.blockers)} blocker(s) above; fix them, or pass --force to review anyway"
    )
    return "".join(terminal_line(line) + "\n" for line in lines)


def review_forced(plan: ReviewPlan) -> str:
    """After a forced review: the blockers it was verified despite."""
    lines = [f"forced: marked {plan.status} despite {len(plan.blockers)} blocker(s):"]
    lines.extend(f"  {blocker}" for blocker in plan.blockers)
    return "".join(terminal_line(line) + "\n" for line in lines)
