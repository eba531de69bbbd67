"""S: the file can be read, its front matter parses, and the data fits the record model."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

from ccus_records.rules.base import RecordContext, Rule, Severity, Violation
from ccus_records.schema.validation import dotted_location


def _schema_message(error: dict[str, Any], dotted: str) -> str:
    kind = error["type"]
    if kind == "missing":
        return f"required key `{dotted}` is missing"
    message = str(error["msg"])
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    return f"`{dotted}`: {message[0].lower()}{message[1:]}" if message else f"`{dotted}` is invalid"


class _ReaderRule(Rule):
    """Reports what the reader met (its `Problem`s) under this rule's code."""

    needs_data: ClassVar[bool] = False

    def check(self, context: RecordContext) -> Iterator[Violation]:
        for problem in context.file.problems:
            if problem.code == self.code:
                yield Violation(problem.message, problem.field, problem.line, problem.column)


class NoFrontMatter(_ReaderRule):
    """The file does not start with a `---` line, or its front-matter block is never closed.

    What it checks
        A record file opens with a line `---`, holds its front matter, and closes it with another `---`
        line. Anything else is not a record file.

    Why an auditor cares
        Without the block nothing in the file can be read as a record: it is invisible to every other
        check, to the report and to `list`, so a gap would hide behind it.

    Example
        A file that starts with `# Title` and has the JSON below it.

    How to fix
        Put `---` on the first line, the JSON or YAML front matter next, then a closing `---` line,
        a blank line and the Markdown body.
    """

    code = "S001"
    name = "no-front-matter"
    severity: ClassVar[Severity] = "error"


class MergeConflict(_ReaderRule):
    """The file holds the markers of a merge conflict git could not resolve (`<<<<<<<`, `=======`, `>>>>>>>`).

    What it checks
        A line starting `<<<<<<<`, followed by a `=======` line and a `>>>>>>>` line: the two versions of a
        conflicting merge, side by side. It is reported at the first marker, before anything is parsed.

    Why an auditor cares
        The file is two records at once and neither is in force: any value read from it could come from
        the version that loses. A parse error would hide the cause; this names it.

    Example
        `<<<<<<< HEAD` above `"score": 40,`, then `=======`, `"score": 80,` and `>>>>>>> feature`.

    How to fix
        Pick the right version of each conflicting part (`git mergetool`, or by hand), delete the three
        marker lines, and commit the resolution.
    """

    code = "S008"
    name = "merge-conflict"
    severity: ClassVar[Severity] = "error"


class FrontMatterSyntax(_ReaderRule):
    """The front matter is neither valid JSON (when it starts with `{`) nor valid YAML.

    What it checks
        A front matter whose first character is `{` must parse as JSON; any other must parse as YAML.
        The line and column are where the parser stopped, counted in the file. YAML tags
        (`!!python/object`, `!custom`), anchors and aliases are refused too: a record is plain data.

    Why an auditor cares
        A record that does not parse is not checked at all; a parser that builds objects from tags would
        run code from the corpus.

    Example
        `"score": 40,` followed directly by `}` — a trailing comma.

    How to fix
        Correct the syntax at the position given; `ccus-records fmt` writes the canonical form once it
        parses.
    """

    code = "S002"
    name = "front-matter-syntax"
    severity: ClassVar[Severity] = "error"


class SchemaViolation(Rule):
    """A key is missing, a value has the wrong type, lies outside its closed set or range, or a date is bad.

    What it checks
        The front matter against the record model (`ccus-records schema` prints it as JSON Schema):
        every key present, strings where strings belong, `score` an integer from 0 to 100, `status` and
        `reviewStatus` from their closed sets, `pubDate` a real calendar date `YYYY-MM-DD`,
        `lastAuditDate` such a date or "". One finding per violation.

    Why an auditor cares
        The report and the other rules count on this shape; a score of "40" or a date of 2024-02-30 is a
        figure nobody can compare.

    Example
        `"score": "40"` (a string), `"reviewStatus": "approved"`, `"pubDate": "15/01/2024"`.

    How to fix
        Give the field a value of the type and set named in the message.
    """

    code = "S003"
    name = "schema"
    severity: ClassVar[Severity] = "error"
    needs_data: ClassVar[bool] = False

    def check(self, context: RecordContext) -> Iterator[Violation]:
        for problem in context.file.problems:
            if problem.code == self.code:
                yield Violation(problem.message, problem.field, problem.line, problem.column)
        if context.file.data is None:
            return
        for error in context.schema_errors:
            if error["type"] == "extra_forbidden":
                continue
            dotted = dotted_location(tuple(error["loc"]))
            yield Violation(_schema_message(error, dotted), dotted or None)


class DuplicateKey(_ReaderRule):
    """A key appears twice in one mapping.

    What it checks
        Every object of the front matter has each key once.

    Why an auditor cares
        A plain JSON load keeps the last value silently: the file says two things and a reader sees one,
        which may not be the one a reviewer read.

    Example
        `"reviewStatus": "draft", ... "reviewStatus": "verified"` in the same object.

    How to fix
        Keep the value that is right and delete the other key.
    """

    code = "S004"
    name = "duplicate-key"
    severity: ClassVar[Severity] = "error"


class UnknownField(Rule):
    """A key that the record model does not define.

    What it checks
        Every key of the front matter, at every level, is one of the model's fields.

    Why an auditor cares
        An unknown key is usually a misspelt known one (`reviwer`), so the real field stays empty while
        the file seems to fill it; no report counts what it holds.

    Example
        `"provenance": {"author": "...", "reviwer": "J. Doe", ...}`.

    How to fix
        Rename it to the field it was meant to be, or remove it.
    """

    code = "S005"
    name = "unknown-field"
    severity: ClassVar[Severity] = "warning"

    def check(self, context: RecordContext) -> Iterator[Violation]:
        for error in context.schema_errors:
            if error["type"] == "extra_forbidden":
                dotted = dotted_location(tuple(error["loc"]))
                yield Violation(f"unknown field `{dotted}`", dotted)


class Encoding(_ReaderRule):
    """The file is not valid UTF-8, starts with a byte-order mark, holds control characters or a lone surrogate.

    What it checks
        The bytes decode as UTF-8 with no byte-order mark, and hold no control character other than tab,
        LF and CR. No key or value of the front matter is a lone surrogate escape (`"\\ud800"` in JSON or a
        double-quoted YAML scalar): it is no character, UTF-8 cannot encode it, and the record is not read.

    Why an auditor cares
        Other tools read such a file differently or not at all, and control characters in a title can
        rewrite the terminal of whoever views the record.

    Example
        A file saved as UTF-16 or Latin-1 by an editor, or an ESC character pasted into a description.

    How to fix
        Save the file as UTF-8 without a BOM and delete the control characters.
    """

    code = "S006"
    name = "encoding"
    severity: ClassVar[Severity] = "error"


class FileTooLarge(_ReaderRule):
    """The file is larger than `max-file-bytes` (1 MiB by default) and was not read.

    What it checks
        The size of the file on disk, before anything is read.

    Why an auditor cares
        A record is a few kilobytes; a file of many megabytes is a mistake (a pasted dataset, a binary)
        or an attack on whoever reads the corpus, and reading it would slow every commit.

    Example
        A 50 MB PDF renamed to `.md`.

    How to fix
        Remove the file, or raise `max-file-bytes` in the configuration if records really are this large.
    """

    code = "S007"
    name = "file-too-large"
    severity: ClassVar[Severity] = "error"


RULES: tuple[type[Rule], ...] = (
    NoFrontMatter,
    FrontMatterSyntax,
    SchemaViolation,
    DuplicateKey,
    UnknownField,
    Encoding,
    FileTooLarge,
    MergeConflict,
)
