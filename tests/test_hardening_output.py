"""Record text is data in every output: one hostile record, rendered by every command and format.

The per-format tests live beside each feature (list, show, report, diff, CI formats); this module feeds
the same hostile values through all of them at once, so that a new output path cannot forget it.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ccus_records.render import registry
from ccus_records.render.encode import terminal, terminal_line
from tests.helpers import TODAY, clean_record, write_record

ESC = "\x1b"
HOSTILE = {
    "title": (
        f"[bold red]Pwned[/] {ESC}]8;;https://evil.example{ESC}\\click{ESC}]8;;{ESC}\\ \r<script>alert(1)</script>"
    ),
    "source": '=HYPERLINK("https://evil.example") | <img src=x onerror=alert(1)>',
    "provenance.author": f"GPT {ESC}[2J{ESC}[31mred",
}


@pytest.fixture
def hostile(workdir: Path) -> Path:
    (workdir / "ccus-records.toml").write_text('records = ["records"]\n', encoding="utf-8")
    data = clean_record(**{**HOSTILE, "provenance.reviewer": "", "reviewStatus": "draft"})
    return write_record(workdir / "records", data)


def assert_inert(text: str) -> None:
    assert ESC not in text, "a raw escape character reached the terminal"
    assert "\r" not in text.replace("\r\n", "\n"), "a raw carriage return reached the terminal"


@pytest.mark.parametrize("output_format", registry.formats("lint"))
def test_lint_outputs(cli, hostile: Path, output_format: str) -> None:
    result = cli("lint", "--today", TODAY, "--format", output_format, "--select", "A003", "--no-cache")
    assert result.exit_code in (0, 1), result.stderr
    assert_inert(result.stdout)
    assert "written by a machine" in result.stdout or output_format in ("junit",)
    if output_format == "github":
        assert all(line.startswith("::") for line in result.stdout.splitlines() if line)
    if output_format in ("json", "sarif", "gitlab"):
        json.loads(result.stdout)


@pytest.mark.parametrize(
    "arguments", [["list"], ["list", "--columns", "id,title,source"], ["show", "us-example-act-2020"]]
)
def test_list_and_show_tables(cli, hostile: Path, arguments: list[str]) -> None:
    result = cli(*arguments)
    assert result.exit_code == 0, result.stderr
    assert_inert(result.stdout)
    assert "[bold red]Pwned[/]" in result.stdout  # rich markup printed as written, not interpreted


def test_list_csv_guards_formulas(cli, hostile: Path) -> None:
    result = cli("list", "--columns", "id,source", "--format", "csv")
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[1][1].startswith("'=HYPERLINK")


def test_report_html_and_markdown(cli, hostile: Path, workdir: Path) -> None:
    html = cli("report", "--today", TODAY, "--format", "html").stdout
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img src=x onerror" not in html
    markdown = cli("report", "--today", TODAY, "--format", "markdown").stdout
    assert "<script>" not in markdown and "<img" not in markdown
    text = cli("report", "--today", TODAY).stdout
    assert_inert(text)


def test_diff_outputs(cli, hostile: Path, workdir: Path) -> None:
    old = workdir / "old"
    old.mkdir()
    write_record(old, clean_record())
    for output_format in ("text", "markdown"):
        result = cli("diff", str(old), "records", "--format", output_format)
        assert result.exit_code == 1, result.stderr
        assert_inert(result.stdout)
        if output_format == "markdown":
            assert "<script>" not in result.stdout


def _reference(text: str, line: bool) -> str:
    """Character by character: what the encoders' fast paths and patterns must agree with."""
    out = []
    for char in text:
        code = ord(char)
        if char == "\n":
            out.append("\\n" if line else char)
        elif char == "\t" or not (
            code < 0x20 or 0x7F <= code <= 0x9F or 0xD800 <= code <= 0xDFFF or code in (0x2028, 0x2029)
        ):
            out.append(char)
        else:
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
    return "".join(out)


@given(
    st.text(st.characters(max_codepoint=0xBF))
    | st.text()
    | st.text(st.sampled_from("a\n\t\r\x1b\x9b\ud800\udcff\u2028"))
)
def test_terminal_escapes_exactly_the_control_characters(text: str) -> None:
    """The fast paths (printable text) answer as the one character-by-character rule does on any text."""
    assert terminal(text) == _reference(text, line=False)
    assert terminal_line(text) == _reference(text, line=True)
    assert "\n" not in terminal_line(text)
    terminal(text).encode("utf-8")  # never a lone surrogate
