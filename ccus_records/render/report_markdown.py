"""The coverage report as GitHub-flavoured Markdown, for a pull-request comment or a wiki page.

Record text is data: every string goes through `encode.markdown` (the one the diff's Markdown uses), so that
a title such as `<script>`, `a | b` or `https://evil.example` stays text, and never a link, in any renderer.
"""

from __future__ import annotations

from collections.abc import Iterator

from ccus_records.features.report import Report
from ccus_records.render.encode import markdown as md_escape
from ccus_records.render.registry import RenderOptions
from ccus_records.render.report_common import Section, Table, report_sections


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


def render(report: Report, options: RenderOptions) -> Iterator[str]:
    yield render_markdown(report, options.show_missing)
