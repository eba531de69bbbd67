"""Lint findings as lines of text: `path:line:col: CODE [severity] message (field)`, then a summary."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator

from ccus_records.engine.findings import Finding
from ccus_records.engine.lint import LintResult
from ccus_records.render.encode import terminal_line, terminal_lines
from ccus_records.render.lint_view import LintView
from ccus_records.render.registry import RenderOptions

# After the code, as ruff marks them: a fix `lint --fix` applies, one only `--unsafe-fixes` applies.
_FIX_MARKS = {"safe": " [*]", "unsafe": " [-]", "none": ""}
_COLOURS = {"error": "\x1b[31m", "warning": "\x1b[33m", "info": "\x1b[36m"}
_BOLD = "\x1b[1m"
_RESET = "\x1b[0m"


def finding_line(finding: Finding, colour: bool = False) -> str:
    return terminal_line(_raw_line(finding, colour)) if not colour else _raw_line(finding, colour)


def _raw_line(finding: Finding, colour: bool) -> str:
    """The line before its text is encoded (in colour, each piece is encoded on its own).

    Without colour the line is encoded whole, as one line: nothing but its fields can hold a control
    character or a line break, so that is the same as encoding each field.
    """
    where = finding.path
    if finding.line is not None:
        where = f"{where}:{finding.line}:{finding.column or 1}"
    suffix = f" ({finding.field})" if finding.field else ""
    mark = _FIX_MARKS.get(finding.fix, "")
    if not colour:
        return f"{where}: {finding.code}{mark} [{finding.severity}] {finding.message}{suffix}"
    severity = f"{_COLOURS[finding.severity]}[{finding.severity}]{_RESET}"
    return (
        f"{terminal_line(where)}: {_BOLD}{finding.code}{_RESET}{mark} {severity} "
        f"{terminal_line(finding.message)}{terminal_line(suffix)}"
    )


def summary_line(result: LintResult) -> str:
    errors, warnings, infos = (result.count(level) for level in ("error", "warning", "info"))
    files = f"{result.files} file{'s' if result.files != 1 else ''}"
    if not result.findings:
        return f"All clear: {files} checked, no findings."
    return (
        f"Found {len(result.findings)} finding{'s' if len(result.findings) != 1 else ''} in {files}: "
        f"{errors} error{'s' if errors != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''}, "
        f"{infos} info."
    )


def fixable_line(findings: Iterable[Finding]) -> str | None:
    """`[*] N fixable with --fix (M more with --unsafe-fixes).`, or None when nothing can be fixed."""
    counts = Counter(finding.fix for finding in findings)
    safe, unsafe = counts["safe"], counts["unsafe"]
    if not safe and not unsafe:
        return None
    if not safe:
        return f"[-] {unsafe} fixable with --fix --unsafe-fixes."
    more = f" ({unsafe} more with --unsafe-fixes)" if unsafe else ""
    return f"[*] {safe} fixable with --fix{more}."


def statistics_lines(findings: Iterable[Finding]) -> list[str]:
    counts = Counter((finding.code, finding.name, finding.severity) for finding in findings)
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0][0]))
    return [terminal_line(f"{count:>6}  {code}  {name} [{severity}]") for (code, name, severity), count in ordered]


def text_chunks(result: LintResult, colour: bool = False, statistics: bool = False) -> Iterator[str]:
    """The text output in pieces of many lines, so that a corpus-sized output is never one string."""
    batch: list[str] = []
    for finding in result.findings:
        batch.append(_raw_line(finding, colour))
        if len(batch) >= 2000:
            # Without colour, the chunk is checked in one pass (printable, one line a finding) and encoded
            # line by line only when it is not: the same escapes as line by line, at a fraction of the cost.
            yield "".join(line + "\n" for line in batch) if colour else terminal_lines(batch)
            batch = []
    if statistics and result.findings:
        batch.append("")
        batch.extend(statistics_lines(result.findings))
    text = "".join(line + "\n" for line in batch) if colour else terminal_lines(batch) if batch else ""
    fixable = fixable_line(result.findings)
    yield text + summary_line(result) + "\n" + (fixable + "\n" if fixable else "")


def render_text(result: LintResult, colour: bool = False, statistics: bool = False) -> str:
    return "".join(text_chunks(result, colour, statistics))


def render(view: LintView, options: RenderOptions) -> Iterator[str]:
    return text_chunks(view.result, colour=options.colour, statistics=options.statistics)
