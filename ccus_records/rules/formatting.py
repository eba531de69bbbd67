"""F: the file is in the canonical form, so that a one-field change is a one-line diff."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar

from ccus_records.recordfile.canonical import (
    canonical_body,
    canonical_text,
    frame,
    has_untidy_lines,
    normalise_lines,
)
from ccus_records.recordfile.reader import RecordFile
from ccus_records.rules.base import FixKind, RecordContext, Rule, Severity, Violation

_BAD_LINE_END = re.compile(r"[ \t]+\r?$|\r$|\r(?!\n)", re.MULTILINE)


def canonical_form(file: RecordFile) -> str | None:
    """The file as F001 and F002 want it, or None when it cannot be known (front matter unparsed)."""
    if file.text is None or file.syntax is None:
        return None
    if file.syntax == "json":
        if file.data is None:
            return None
        return canonical_text(file.data, file.rest)
    front_matter = normalise_lines(file.front_matter).rstrip("\n")
    return frame(front_matter, canonical_body(file.rest))


def _is_canonical(file: RecordFile) -> bool:
    """The common case, decided without building the canonical text: the file already is canonical."""
    text = file.text
    if text is None or file.syntax is None or has_untidy_lines(text):
        return False
    front = file.front_matter
    if not text.startswith("---\n") or not front.endswith("\n"):
        return False
    # The closing delimiter must be exactly `---`, followed by the blank line and the body.
    if not text.startswith("---\n", 4 + len(front)):
        return False
    rest = file.rest
    if rest and (
        not rest.startswith("\n") or rest.startswith("\n\n") or not rest.endswith("\n") or rest.endswith("\n\n")
    ):
        return False
    if rest.strip() == "" and rest:
        return False
    if file.syntax == "json":
        return file.is_canonical_json
    return True


def _first_difference(actual: str, wanted: str) -> int:
    for number, (left, right) in enumerate(zip(actual.split("\n"), wanted.split("\n"), strict=False), start=1):
        if left != right:
            return number
    return min(actual.count("\n"), wanted.count("\n")) + 1


class NonCanonical(Rule):
    """The file is not in canonical form.

    What it checks
        A JSON front matter is exactly `json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False)`,
        and the framing is `---`, front matter, `---`, one blank line, the body, one final newline.
        YAML front matter is exempt from the dump, not from the framing. Line endings and trailing
        white space are F002's.

    Why an auditor cares
        In canonical files a changed score is a one-line diff; in hand-formatted ones it hides among
        re-indented lines, and a reviewer approves what they did not see.

    Example
        Keys not sorted, two-space indentation replaced by tabs, or two blank lines before the body.

    How to fix
        `ccus-records fmt PATH` (or `lint --fix`) rewrites the file in canonical form.
    """

    code = "F001"
    name = "non-canonical"
    severity: ClassVar[Severity] = "warning"
    fix: ClassVar[FixKind] = "safe"

    def check(self, context: RecordContext) -> Iterator[Violation]:
        if _is_canonical(context.file):
            return
        wanted = canonical_form(context.file)
        if wanted is None:
            return
        actual = normalise_lines(context.file.text or "")
        if actual != wanted:
            # Counted on the normalised text; a file with bare CR line endings has fewer LF lines, so the
            # line is kept inside the file as it is on disk.
            line = min(_first_difference(actual, wanted), (context.file.text or "").count("\n") + 1)
            what = "JSON front matter or framing" if context.file.syntax == "json" else "framing"
            yield Violation(f"the {what} is not in canonical form (first difference on line {line})", None, line, 1)


class LineEndings(Rule):
    """CRLF line endings or trailing white space (one finding per file).

    What it checks
        Every line ends with a bare LF and no spaces or tabs before it.

    Why an auditor cares
        Mixed line endings make every line of a file show as changed in a diff, hiding the real change.

    Example
        A record saved by a Windows editor with CRLF endings.

    How to fix
        `ccus-records fmt PATH` (or `lint --fix`), or set your editor to LF and to trim trailing space.
    """

    code = "F002"
    name = "line-endings"
    severity: ClassVar[Severity] = "warning"
    fix: ClassVar[FixKind] = "safe"
    needs_data: ClassVar[bool] = False

    def check(self, context: RecordContext) -> Iterator[Violation]:
        text = context.file.text
        if text is None:
            return
        if not has_untidy_lines(text):
            return
        match = _BAD_LINE_END.search(text)
        if match is None:
            return
        line = text.count("\n", 0, match.start()) + 1
        crlf = "\r" in text
        # CR LF (a Windows editor) and a bare CR (old Mac files) are named for what they are.
        endings = "CRLF line endings" if "\r\n" in text else "CR line endings"
        what = endings if crlf else "trailing white space"
        if crlf and re.search(r"[ \t]+\r?$", text, re.MULTILINE):
            what = f"{endings} and trailing white space"
        yield Violation(f"{what} (first on line {line})", None, line, 1)


RULES: tuple[type[Rule], ...] = (NonCanonical, LineEndings)
