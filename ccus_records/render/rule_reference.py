"""The rule reference (docs/rules.md) as Markdown, made from the rules' own docstrings.

    python -m ccus_records.render.rule_reference > docs/rules.md

A rule's docstring is its explanation, the text `ccus-records rule CODE` prints: a summary paragraph, then
sections, each a title on a line of its own followed by indented text. Here every rule becomes a heading
with an anchor equal to its lowercase code (`rules.md#a001`), its default severity and whether it can fix,
the summary, and the sections as paragraphs. Code spans (`` `...` ``) are kept; all other text is escaped,
so that a docstring can neither open a link, emphasis or HTML nor start a list or heading.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from ccus_records.rules.base import Rule

GENERATED_BY = "python -m ccus_records.render.rule_reference > docs/rules.md"

FAMILIES = {
    "S": "Structure",
    "I": "Identity",
    "C": "Completeness",
    "A": "Audit",
    "D": "Dates",
    "F": "Formatting",
    "V": "Vocabulary",
    "X": "Custom",
}

_CODE_SPAN = re.compile(r"(`+)(.+?)(?<!`)\1(?!`)")
_SPECIAL = re.compile(r"([\\`*_\[\]{}#])")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_BLOCK_START = re.compile(r"^(\d+)\.(?=\s)|^([-+])(?=\s|$)")


class RuleDoc(NamedTuple):
    """What the reference says of one rule."""

    code: str
    name: str
    severity: str
    fix: str  # "safe", "unsafe" or "none"
    explanation: str


class Section(NamedTuple):
    title: str
    paragraphs: tuple[str, ...]


def rule_docs(rules: Iterable[type[Rule]]) -> list[RuleDoc]:
    """The reference's data for rule classes: the same explanation `ccus-records rule CODE` prints."""
    return [RuleDoc(rule.code, rule.name, rule.severity, rule.fix, rule.explanation()) for rule in rules]


def escape_text(text: str, table_cell: bool = False) -> str:
    """Markdown that shows `text` as written, except code spans, which stay code spans."""
    pieces = []
    position = 0
    for span in _CODE_SPAN.finditer(text):
        pieces.append(_escape_plain(text[position : span.start()], table_cell))
        pieces.append(_table_code(span.group(2)) if table_cell and "|" in span.group(0) else span.group(0))
        position = span.end()
    pieces.append(_escape_plain(text[position:], table_cell))
    escaped = "".join(pieces)
    # A paragraph that begins like a list item or an underline would not stay a paragraph.
    return _BLOCK_START.sub(lambda m: f"{m.group(1)}\\." if m.group(1) else f"\\{m.group(2)}", escaped, count=1)


def _table_code(code: str) -> str:
    """A code span holding `|`, written as HTML so that no Markdown flavour splits the table cell at it."""
    text = "".join(_ENTITIES.get(char, char) for char in code.strip()).replace("|", "&#124;")
    return f"<code>{text}</code>"


def _escape_plain(text: str, table_cell: bool) -> str:
    text = "".join(_ENTITIES.get(char, char) for char in text)
    text = _SPECIAL.sub(r"\\\1", text)
    return text.replace("|", "\\|") if table_cell else text


def split_explanation(explanation: str) -> tuple[str, list[Section]]:
    """The summary paragraph and the titled sections of a rule's explanation.

    Lines are joined into paragraphs (blank lines separate them); a line that is not indented, after the
    summary, starts a new section.
    """
    lines = explanation.strip("\n").splitlines()
    summary: list[str] = []
    index = 0
    while index < len(lines) and lines[index].strip():
        summary.append(lines[index].strip())
        index += 1
    sections: list[Section] = []
    title = ""
    paragraphs: list[str] = []
    current: list[str] = []

    def close_paragraph() -> None:
        if current:
            paragraphs.append(" ".join(current))
            current.clear()

    for line in lines[index:]:
        if not line.strip():
            close_paragraph()
        elif line[0].isspace():
            current.append(line.strip())
        else:
            close_paragraph()
            if title or paragraphs:
                sections.append(Section(title, tuple(paragraphs)))
            title, paragraphs = line.strip(), []
    close_paragraph()
    if title or paragraphs:
        sections.append(Section(title, tuple(paragraphs)))
    return " ".join(summary), sections


def _severity(rule: RuleDoc) -> str:
    if rule.fix == "unsafe":
        return f"{rule.severity} (unsafe fix)"
    return f"{rule.severity} (fixable)" if rule.fix == "safe" else rule.severity


def _rule_block(rule: RuleDoc) -> list[str]:
    summary, sections = split_explanation(rule.explanation)
    lines = [
        f'<a id="{rule.code.lower()}"></a>',
        "",
        f"### {rule.code} {escape_text(rule.name)}",
        "",
        f"Default severity: **{_severity(rule)}**.",
        "",
    ]
    if summary:
        lines += [escape_text(summary), ""]
    for section in sections:
        paragraphs = [escape_text(paragraph) for paragraph in section.paragraphs] or [""]
        if section.title:
            paragraphs[0] = f"**{escape_text(section.title)}.** {paragraphs[0]}".rstrip()
        for paragraph in paragraphs:
            lines += [paragraph, ""]
    return lines


def render_rule_reference(rules: Sequence[RuleDoc]) -> str:
    """The whole reference page: an index table, then every rule, grouped by family in catalog order."""
    lines = [
        "# Rules",
        "",
        f"<!-- Generated from the rules' docstrings by `{GENERATED_BY}`; do not edit by hand. -->",
        "",
        "Every rule the tool checks, as the code defines it. Each rule's explanation is its own docstring, "
        "so `ccus-records rule CODE` prints the same text as this page, and `ccus-records rules` "
        "(or `rules --format json`) lists the catalog. The severity shown is the default; "
        "[configuration](configuration.md) can change it per rule, select and ignore rules, "
        "and add custom rules (`X` codes) that appear in the catalog like these.",
        "",
        "| Code | Name | Default | Checks |",
        "| --- | --- | --- | --- |",
    ]
    for rule in rules:
        summary, _ = split_explanation(rule.explanation)
        lines.append(
            f"| [{rule.code}](#{rule.code.lower()}) | {escape_text(rule.name, table_cell=True)} "
            f"| {_severity(rule)} | {escape_text(summary, table_cell=True)} |"
        )
    lines.append("")
    family = None
    for rule in rules:
        letter = rule.code[:1]
        if letter != family:
            family = letter
            lines += [f"## {FAMILIES.get(letter, letter)} ({letter})", ""]
        lines += _rule_block(rule)
    return "\n".join(lines).rstrip("\n") + "\n"


def builtin_reference() -> str:
    """The reference of the built-in rules, as committed in docs/rules.md."""
    from ccus_records.rules import BUILTIN_RULES

    return render_rule_reference(rule_docs(BUILTIN_RULES))


def main() -> int:
    text = builtin_reference()
    if hasattr(sys.stdout, "buffer"):
        sys.stdout.buffer.write(text.encode("utf-8"))  # UTF-8 and LF whatever the locale
        sys.stdout.buffer.flush()
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
