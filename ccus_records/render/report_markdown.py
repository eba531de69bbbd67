"""The coverage report as GitHub-flavoured Markdown, for a pull-request comment or a wiki page.

Record text is data: table pipes, Markdown emphasis and link syntax are backslash-escaped and HTML is written
as entities, so that a title such as `<script>` or `a | b` stays text in any Markdown renderer.
"""

from __future__ import annotations

import re

from ccus_records.features.report import Report
from ccus_records.render.report_common import Section, Table, report_sections
from ccus_records.render.safe import inert

_SPECIAL = re.compile(r"([\\`*_\[\]{}|~#!])")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def md_escape(text: str) -> str:
    """Text that Markdown shows as written: no markup, no HTML, no line breaks that end a table row."""
    text = inert(text).replace("\r", " ").replace("\n", " ")
    text = "".join(_ENTITIES.get(char, char) for char in text)
    return _SPECIAL.sub(r"\\\1", text)


def _table(table: Table) -> list[str]:
    lines = [f"**{md_escape(table.title)}**", ""] if table.title else []
    lines.append("| " + " | ".join(md_escape(cell) or " " for cell in table.headers) + " |")
    lines.append("|" + "|".join("---:" if i in table.numeric else "---" for i in range(len(table.headers))) + "|")
    for row in table.rows:
        lines.append("| " + " | ".join(md_escape(cell) for cell in row) + " |")
    return lines


def render_sections(sections: list[Section], title: str) -> str:
    out = [f"# {md_escape(title)}", ""]
    for section in sections:
        out.extend([f"## {md_escape(section.title)}", ""])
        for line in section.lines:
            out.extend([md_escape(line), ""])
        for table in section.tables:
            out.extend([*_table(table), ""])
    return "\n".join(out).rstrip("\n") + "\n"


def render_markdown(report: Report, show_missing: bool = False) -> str:
    title = f"CCUS records coverage report, {report.today.isoformat()}"
    return render_sections(report_sections(report, show_missing), title)
