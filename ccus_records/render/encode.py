"""The one output boundary: record text is data, and each medium has one encoder that keeps it so.

Every string that comes from a record, a file name, configuration or the command line passes through the
encoder of the medium it is written to, here and only here:

    terminal(text)            text for a terminal or a log: control characters as visible escapes
    terminal_line(text)       one line of it (a path, an id, a message): a line break is escaped too
    workflow_command_data     the message of a GitHub workflow command (`::error ...::MESSAGE`)
    workflow_command_property a property value of one (`file=VALUE,title=VALUE`)
    xml_text / xml_attr       text for an XML text node / attribute built with ElementTree: only characters
                              XML 1.0 allows (ElementTree escapes `&`, `<` and quotes itself)
    markdown(text)            inline GitHub Markdown that shows the text as written: no link, HTML or table cell
    html(text)                HTML text or attribute value
    csv_cell(text)            a CSV cell: one line, and never a formula a spreadsheet would run
    id_line(text)             one record id on one line, for `--format ids` and shell pipelines
    json_text(value)          JSON that means the same data and is safe on a terminal

Escapes are written as Python writes them: `\\x1b` for a control character, `\\n` for a line break inside one
line, `\\ud800` for a lone surrogate (from a JSON `\\ud800` escape, or a file name that is not UTF-8, which
Python decodes with surrogateescape). No encoder ever returns a lone surrogate, so no output can fail with
UnicodeEncodeError.
"""

from __future__ import annotations

import functools
import json
import re
from typing import Any

# The characters each encoder escapes, as regular-expression classes. They are compiled on first use only:
# the fast paths (printable text) never need them, and a run that prints nothing hostile never pays for them.
_UNSAFE = {
    # C0 controls other than tab and LF, DEL, C1 controls (ESC starts terminal sequences, CR rewrites the line,
    # U+009B is CSI on some terminals), U+2028 and U+2029 (Python's splitlines and some viewers break lines
    # at them), and lone surrogates.
    "block": r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]",
    # The same with LF: inside one line (a path, an id, a message), a line break would start a forged line.
    "line": r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]",
    # Characters XML 1.0 does not allow at all (C0 other than tab, LF, CR; surrogates; U+FFFE and U+FFFF), and
    # the ones shown as escapes anyway because a CI log shows them on a terminal (DEL, C1).
    "xml": r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]",
    "xml-line": r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]",
    # In JSON strings (json.dumps has already escaped C0 controls): DEL, C1, the JavaScript line terminators
    # and lone surrogates, written as `\uXXXX`, which is the same character to any JSON reader.
    "json": r"[\x7f-\x9f\u2028\u2029\ud800-\udfff]",
    # Every ASCII punctuation character that can start or end Markdown syntax: emphasis, code, links and
    # images (`[`, `]`, `(`, `)`), autolinks (`:` in `https://`, `.` in `www.`, `@` in an address), headings,
    # lists, tables (`|`). Backslash-escaped, each is shown as written, and no autolink is recognised across it.
    "markdown": r"([\\`*_{}\[\]()#+\-.!|~^=:@])",
}


@functools.cache
def _pattern(kind: str) -> re.Pattern[str]:
    return re.compile(_UNSAFE[kind])


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char == "\n":
        return "\\n"
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal(text: str) -> str:
    """Text for a terminal, a log or stderr, line breaks kept: every control character as a visible escape."""
    # Fast path, the common case: printable text (line breaks allowed) has nothing to escape. Every character
    # the pattern matches is not printable.
    if text.isprintable() or text.replace("\n", "").isprintable():
        return text
    return _pattern("block").sub(_escape, text)


def terminal_line(text: str) -> str:
    """One line for a terminal (a path, an id, a message): as `terminal`, and a line break as `\\n`."""
    if text.isprintable():
        return text
    return _pattern("line").sub(_escape, text)


def terminal_lines(lines: list[str]) -> str:
    """Lines, each a line of its own (a line break inside one is escaped), each ended by LF."""
    text = "\n".join(lines) + "\n"
    # Fast path: nothing but printable text, and no line break other than the ones between the lines.
    if text.replace("\n", "").isprintable() and text.count("\n") == len(lines):
        return text
    return "".join(terminal_line(line) + "\n" for line in lines)


def workflow_command_data(text: str) -> str:
    """The message of a GitHub workflow command: `%`, CR and LF as the runner unescapes them, no controls."""
    escaped = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return terminal_line(escaped)


def workflow_command_property(text: str) -> str:
    """A property value of a workflow command: as its message, and `:` and `,` (which end a value) too."""
    return workflow_command_data(text).replace(":", "%3A").replace(",", "%2C")


def xml_text(text: str) -> str:
    """Text for an ElementTree text node: characters XML 1.0 forbids shown as escapes (line breaks kept)."""
    if text.isprintable() or text.replace("\n", "").isprintable():
        return text
    return _pattern("xml").sub(_escape, text)


def xml_attr(text: str) -> str:
    """A one-line value for an ElementTree attribute (a path, an id): as `xml_text`, and LF as `\\n`."""
    if text.isprintable():
        return text
    return _pattern("xml-line").sub(_escape, text)


# HTML (and `<https://...>` autolinks) as entities, which no Markdown renderer reads as markup.
_MARKDOWN_ENTITIES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def markdown(text: str) -> str:
    """Inline GitHub Markdown that shows the text as written: no link, image, HTML, emphasis or table cell.

    A line break becomes `<br>` (it would end a table row); controls are shown as escapes.
    """
    escaped = _pattern("markdown").sub(r"\\\1", terminal(text).translate(_MARKDOWN_ENTITIES))
    return escaped.replace("\n", "<br>")


# As html.escape(text, quote=True), without importing the html package on every start.
_HTML_ENTITIES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"})


def html(text: object) -> str:
    """HTML text or a quoted attribute value: markup escaped, controls and surrogates shown as escapes."""
    return xml_text(str(text)).translate(_HTML_ENTITIES)


# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(text: str) -> str:
    """A CSV cell: one line (controls and line breaks escaped), and a leading `'` before a formula."""
    text = terminal_line(text)
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def id_line(text: str) -> str:
    """A record id for a list of one id a line: whatever it holds, it prints as exactly one line."""
    return terminal_line(text.strip())


def json_safe(text: str) -> str:
    """JSON text from `json.dumps(..., ensure_ascii=False)` made safe to print, with the same meaning."""
    if text.isascii():
        return text
    return _pattern("json").sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def json_text(value: Any, indent: int | None = 2, sort_keys: bool = False) -> str:
    """`value` as JSON: non-ASCII text as it is, but DEL, C1, U+2028/9 and lone surrogates as `\\uXXXX`."""
    return json_safe(json.dumps(value, indent=indent, ensure_ascii=False, sort_keys=sort_keys))
