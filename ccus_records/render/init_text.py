"""What `init` tells a person: the folder it found, what it wrote, and the hook and git lines to add."""

from __future__ import annotations

from ccus_records.features.init import InitPlan
from ccus_records.render.encode import terminal, terminal_line


def found(plan: InitPlan) -> str:
    files = f"{plan.found} record file{'s' if plan.found != 1 else ''}"
    return f"Records folder: {terminal_line(plan.records)} ({files})\n"


def would_write(plan: InitPlan) -> str:
    return f"Would write {terminal_line(str(plan.config_path))}:\n{terminal(plan.config_text)}"


def wrote(plan: InitPlan) -> str:
    return f"Wrote {terminal_line(str(plan.config_path))}.\n"


def left_alone(plan: InitPlan) -> str:
    return f"{terminal_line(str(plan.config_path))} exists: left as it is (--force replaces it).\n"


def next_steps(plan: InitPlan) -> str:
    lines = [
        "",
        "To lint staged records before every commit, add to .pre-commit-config.yaml:",
        "",
        plan.precommit_snippet.rstrip("\n"),
        "",
        "To see record changes field by field in `git diff` and `git log -p`:",
        "",
        *(f"  {terminal_line(line)}" for line in plan.diff_driver_lines),
    ]
    return "\n".join(lines) + "\n"
