"""`report` formats: JSON stable and versioned, text plain in a pipe, Markdown and HTML with record text escaped."""

from __future__ import annotations

import datetime as dt
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from ccus_records.render.report_markdown import md_escape
from ccus_records.schema.fields import record_fields
from tests.helpers import TODAY, clean_record, write_record
from tests.report_corpus import COVERAGE, RECORDS, coverage, filled, share, shown, write_corpus

HOSTILE_TITLE = '<script>alert(1)</script><img src=x onerror="alert(2)"> & | *bold* [link](http://example.com)'
HOSTILE_REVIEWER = "Eve | <b>bold</b> `code` [red]x[/red] \x1b[31m"


@pytest.fixture
def corpus(workdir: Path) -> Path:
    write_corpus(workdir)
    return workdir


def run(cli, *extra: str) -> str:  # type: ignore[no-untyped-def]
    result = cli("report", ".", "--today", TODAY, "--isolated", *extra)
    assert result.exit_code == 0, result.stderr
    return str(result.stdout)


def hostile(folder: Path) -> None:
    write_record(
        folder,
        clean_record("us-hostile-2020", **{"title": HOSTILE_TITLE, "provenance.reviewer": HOSTILE_REVIEWER}),
    )


# JSON


def _ordered_strictly(pairs: list[tuple[str, object]]) -> dict[str, object]:
    keys = [key for key, _ in pairs]
    assert keys == sorted(keys), keys
    return dict(pairs)


def test_json_is_versioned_sorted_and_stable(cli, corpus: Path) -> None:
    first = run(cli, "--format", "json")
    assert first == run(cli, "--format", "json")
    document = json.loads(first)
    assert document["format"] == "ccus-records-report" and document["version"] == 1
    assert document["today"] == TODAY
    # Sorted keys at every level; the record rows are written one a line (see render/report_json.py).
    assert json.dumps(document, sort_keys=True) == json.dumps(json.loads(first, object_pairs_hook=_ordered_strictly))
    records_at = first.index('"records": [\n    {')
    assert all(line.startswith("    {") for line in first[records_at:].splitlines()[1 : 1 + len(document["records"])])
    assert [row["path"] for row in document["records"]] == sorted(row["path"] for row in document["records"])
    assert [row["index"] for row in document["records"]] == list(range(len(document["records"])))
    assert document["failed"] is False and document["thresholds"] == [] and document["comparison"] is None


# Text


def test_text_in_a_pipe_is_plain(cli, corpus: Path) -> None:
    output = run(cli)
    assert "\x1b[" not in output
    assert output.startswith("== Summary ==\nAs of 2026-12-01: 4 records in 4 files.\n")
    overall = coverage()
    assert (
        f"Overall coverage: {shown(overall)} ({overall['filled']} of {overall['total']} cells: "
        f"{len(RECORDS)} records × {len(COVERAGE)} coverage fields)."
    ) in output
    assert "Human-verified: 50.0% (2 of 4 records)." in output


def test_every_text_figure_is_the_json_figure(cli, corpus: Path) -> None:
    document = json.loads(run(cli, "--format", "json"))
    lines = run(cli).splitlines()
    start = lines.index("== Completeness per field ==")
    table = {line.split()[0]: line.split() for line in lines[start + 5 : start + 5 + len(document["fields"])]}
    for name, item in document["fields"].items():
        assert table[name][-1] == f"{item['percent']:.1f}%"
        assert table[name][-3:-1] == [str(item["filled"]), str(item["total"])]
    matrix = lines.index("== Completeness: field × country ==")
    coverage_row = next(line for line in lines[matrix:] if line.startswith("coverage "))
    values = sorted(document["matrix"]["country"])
    assert coverage_row.split()[1:] == [
        f"{document['matrix']['country'][v]['coverage']['percent']:.1f}%" for v in values
    ]


def test_text_keeps_record_text_inert(cli, workdir: Path) -> None:
    hostile(workdir)
    output = run(cli, "--show-missing")
    assert "\x1b" not in output
    assert "\\x1b[31m" in output  # the escape character is shown, not sent


def test_rich_text_on_a_terminal_shows_markup_as_written(workdir: Path) -> None:
    from ccus_records.engine.config import load_config
    from ccus_records.features.report import build_report
    from ccus_records.render.report_text import render_text

    hostile(workdir)
    report = build_report(load_config(workdir, isolated=True), [Path(".")], dt.date(2026, 12, 1), workdir)
    output = render_text(report, rich=True, width=200)
    assert "\x1b[" in output  # colour and rules on a terminal
    plain = re.sub(r"\x1b\[[0-9;]*m", "", output)
    assert "[red]x[/red]" in plain  # rich markup in record text is not interpreted
    fills = filled(["us-alpha-2020"])  # a clean record but for its reviewer and title, as is the hostile one
    assert f"Overall coverage: {shown(share(fills, len(COVERAGE)))} ({fills} of {len(COVERAGE)} cells" in plain


# Markdown


def test_markdown_escapes_pipes_and_html() -> None:
    assert md_escape("a | b") == "a \\| b"
    assert md_escape("<script>alert(1)</script>") == "&lt;script&gt;alert\\(1\\)&lt;/script&gt;"
    assert md_escape("*x* _y_ [z](u) `c`") == "\\*x\\* \\_y\\_ \\[z\\]\\(u\\) \\`c\\`"
    assert md_escape("two\nlines") == "two<br>lines"
    assert md_escape("a & b") == "a &amp; b"


def test_markdown_report(cli, workdir: Path) -> None:
    hostile(workdir)
    write_record(workdir, clean_record("cn-pipe-2020", **{"country": "Chi|na <i>"}))
    output = run(cli, "--format", "markdown", "--show-missing")
    assert output.startswith("# CCUS records coverage report, 2026\\-12\\-01\n")
    assert "## Summary" in output and "## Completeness\\: field × country" in output
    assert "<b>" not in output and "<i>" not in output and "<script" not in output
    assert "Eve \\| &lt;b&gt;bold&lt;/b&gt;" in output
    assert "Chi\\|na &lt;i&gt;" in output
    # Every table row has as many cells as its header: no pipe in record text split a cell.
    rows = [line for line in output.splitlines() if line.startswith("| ")]
    for line in rows:
        cells = re.split(r"(?<!\\)\|", line)
        assert len(cells) >= 3
    matrix_header = next(line for line in rows if line.startswith("| field | Chi"))
    assert len(re.split(r"(?<!\\)\|", matrix_header)) == 2 + 1 + 2  # field, two countries, the outer pipes


# HTML


class Page(HTMLParser):
    """What the HTML report holds: elements by id, classes, links, scripts and every attribute seen."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        self.tags.append((tag, attributes))
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if tag == "script":
            self.scripts += 1

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def having(self, tag: str, css_class: str = "") -> list[dict[str, str]]:
        return [a for t, a in self.tags if t == tag and css_class in [*a.get("class", "").split(), ""]]


def parse(text: str) -> Page:
    page = Page()
    page.feed(text)
    return page


def test_html_has_its_sections_and_charts(cli, corpus: Path) -> None:
    page = parse(run(cli, "--format", "html"))
    for section in ("summary", "coverage", "matrix-country", "matrix-category", "gaps", "evidence", "audit-age"):
        assert section in page.ids
    assert {"lint", "records", "chart-fields", "chart-audit", "heatmap-country", "records-table"} <= page.ids
    assert len(page.having("div", "card")) >= 5
    bars = [a for t, a in page.tags if t == "g" and "bar" in a.get("class", "").split()]
    assert len(bars) == len(record_fields())  # one per record field
    assert len(page.having("tr")) > 4
    records = [a for t, a in page.tags if t == "tr" and a.get("id", "").startswith("rec-")]
    assert len(records) == 4
    assert any(a.get("data-missing") for a in records)
    gap_links = [a for t, a in page.tags if t == "a" and "data-field" in a]
    assert gap_links and all(a["href"] == "#gaps" for a in gap_links)


def test_html_record_links_all_lead_somewhere(cli, corpus: Path) -> None:
    page = parse(run(cli, "--format", "html", "--show-missing", "--sample", "2"))
    links = [a["href"] for t, a in page.tags if t == "a" and "rec" in a.get("class", "").split()]
    assert len(links) > 10
    for href in links:
        assert href.startswith("#") and href[1:] in page.ids
    assert "sample" in page.ids and "gaps-country" in page.ids


def test_html_is_self_contained(cli, corpus: Path) -> None:
    text = run(cli, "--format", "html")
    page = parse(text)
    assert not page.having("link") and not page.having("img") and not page.having("iframe")
    for _, attributes in page.tags:
        for name in ("src", "href", "action"):
            assert not attributes.get(name, "").startswith(("http:", "https:", "//")), attributes
    assert "@import" not in text and "url(" not in text
    assert "default-src 'none'" in text  # the page may load nothing, even if it tried


def test_html_escapes_record_text(cli, workdir: Path) -> None:
    hostile(workdir)
    text = run(cli, "--format", "html", "--show-missing")
    page = parse(text)
    assert page.scripts == 2  # the report's own data and script, none from the title
    assert not any("onerror" in attributes for _, attributes in page.tags)
    assert not page.having("img") and not page.having("b")
    joined = "".join(page.text)
    assert HOSTILE_TITLE in joined  # the title is shown as written, as text
    assert "\x1b" not in text


def test_output_file_and_format_from_suffix(cli, corpus: Path) -> None:
    result = cli("report", ".", "--today", TODAY, "--isolated", "--output", "report.html")
    assert result.exit_code == 0 and result.stdout == ""
    assert "wrote the report to report.html" in result.stderr
    assert (corpus / "report.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    cli("report", ".", "--today", TODAY, "--isolated", "-o", "report.json")
    assert json.loads((corpus / "report.json").read_text(encoding="utf-8"))["version"] == 1
    cli("report", ".", "--today", TODAY, "--isolated", "-o", "out.txt", "--format", "markdown")
    assert (corpus / "out.txt").read_text(encoding="utf-8").startswith("# CCUS records")


def test_no_progress_bar_in_a_pipe(cli, corpus: Path) -> None:
    from ccus_records.cli.report import wants_progress

    result = cli("report", ".", "--today", TODAY, "--isolated", "--format", "json")
    assert result.stderr == ""
    assert wants_progress(__import__("io").StringIO()) is False
