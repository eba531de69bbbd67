"""The one output boundary: hostile record text, fed in through the command line, checked in the bytes out.

Each test names one hostile input (a terminal sequence in an id, a line break in a file name or an id or a
key, characters XML forbids, Markdown links, lone surrogates, a file name that is not UTF-8) and the
output it once broke. The last test runs every (command, format) of the renderer registry on a corpus of all
of them at once, so that a new format cannot forget its encoder.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from ccus_records.render import registry
from tests.helpers import TODAY, clean_record, record_text, write_record

ESC = "\x1b"
BEL = "\x07"
TITLE_SEQUENCE = f"{ESC}]0;pwned{BEL}"  # sets the terminal's title
FORGED_NAME = "x\nforged.md:1:1: A001 [error] forged finding.md"
NEWLINE_ID = "us-bad\nus-victim-2020\n--force"
FORGED_KEY = "note\n::error file=evil.md,line=1::forged annotation"
# Bytes a terminal, a log or an XML reader must never get: C0 controls other than tab and LF, DEL.
RAW_CONTROL = re.compile(rb"[\x00-\x08\x0b-\x1f\x7f]")
# The same as characters, with the C1 controls (CSI is U+009B), U+2028/9 and lone surrogates.
UNSAFE_CHARACTER = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def configure(workdir: Path, rules: str = "") -> Path:
    (workdir / "ccus-records.toml").write_text('records = ["records"]\n' + rules, encoding="utf-8")
    return workdir / "records"


# A custom rule whose name and message (configuration text) hold a terminal sequence and a forged line.
HOSTILE_RULE = (
    "[[rule]]\n"
    'code = "X001"\nname = "needs-\\u001b[31m-transfer"\nseverity = "warning"\n'
    'message = "first\\n::error file=evil.md::forged\\r\\u001b]0;t\\u0007 %"\n'
    "require = { properties = { regulatory = { properties = { liability_transfer = { maxLength = 1 } } } } }\n"
)


def json_record(folder: Path, data: dict[str, Any], name: str) -> Path:
    """A record whose JSON front matter is written with `\\uXXXX` escapes, so it can hold lone surrogates."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    text = "---\n" + json.dumps(data, indent=2, ensure_ascii=True, sort_keys=True) + "\n---\n\nThe body.\n"
    path.write_text(text, encoding="ascii")
    return path


def assert_clean_bytes(output: bytes, allow_tab: bool = True) -> str:
    """Valid UTF-8, and no control byte but LF (and tab, in text formats that pass a record's tabs through)."""
    text = output.decode("utf-8")  # raises on invalid UTF-8
    found = RAW_CONTROL.findall(output.replace(b"\t", b"") if allow_tab else output)
    assert not found, f"raw control bytes {found[:5]} in {output[-400:]!r}"
    assert not UNSAFE_CHARACTER.search(text), UNSAFE_CHARACTER.findall(text)[:5]
    return text


# --- a terminal sequence in an id ---------------------------------------------------------------------------


def test_review_force_prints_no_raw_control_character_from_the_id(cli, workdir: Path) -> None:
    records = configure(workdir)
    write_record(records, clean_record(f"us-{TITLE_SEQUENCE}-2020"), name="us-esc.md")
    args = ("review", "records/us-esc.md", "--reviewer", "Z. Quinn", "--today", TODAY, "--force")
    forced = cli(*args)
    assert forced.exit_code == 0, forced.stderr
    assert "forced: marked verified despite" in forced.stdout
    again = cli(*args)  # already verified: the line that once wrote the id as it is
    assert again.exit_code == 0, again.stderr
    assert "already verified by Z. Quinn; nothing to do" in again.stdout
    for result in (forced, again):
        assert_clean_bytes(result.stdout_bytes)
        assert ESC not in result.stdout and BEL not in result.stdout
        assert "us-\\x1b]0;pwned\\x07-2020" in result.stdout


# --- a line break in a file name ----------------------------------------------------------------------------


@pytest.fixture
def forged_name(workdir: Path) -> Path:
    records = configure(workdir)
    write_record(records, clean_record("us-example-act-2020"))
    return write_record(records, clean_record("us-other-act-2020"), name=FORGED_NAME)


def assert_no_forged_line(output: str) -> None:
    assert not any(line.startswith("forged") for line in output.splitlines()), output
    assert "x\\nforged.md" in output


@pytest.mark.parametrize("output_format", ["text", "concise"])
def test_line_break_in_a_file_name_forges_no_lint_finding(cli, forged_name: Path, output_format: str) -> None:
    result = cli("lint", "--today", TODAY, "--no-cache", "--format", output_format)
    assert result.exit_code in (0, 1), result.stderr
    assert_no_forged_line(result.stdout)
    # Every finding is one line that starts with a real path.
    findings = [line for line in result.stdout.splitlines() if ": I0" in line or ": A0" in line]
    assert findings and all(line.startswith("records/") for line in findings)


def test_line_break_in_a_file_name_stays_in_its_table_row_and_csv_cell(cli, forged_name: Path) -> None:
    table = cli("list", "--columns", "id,path")
    assert table.exit_code == 0, table.stderr
    assert_no_forged_line(table.stdout)
    assert len(table.stdout.splitlines()) == 1 + 2 + 1  # header, two records, footer
    result = cli("list", "--columns", "id,path", "--format", "csv")
    assert len(result.stdout.splitlines()) == 1 + 2  # one line a record: no quoted line break in a cell
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["id", "path"] and len(rows) == 3
    assert "records/x\\nforged.md:1:1: A001 [error] forged finding.md" in [row[1] for row in rows]


def test_line_break_in_a_file_name_forges_no_report_line(cli, forged_name: Path) -> None:
    result = cli("report", "--today", TODAY, "--sample", "2")
    assert result.exit_code == 0, result.stderr
    assert_no_forged_line(result.stdout)


# --- a line break in an id ----------------------------------------------------------------------------------


def test_an_id_with_line_breaks_is_one_line_of_list_ids(cli, workdir: Path) -> None:
    records = configure(workdir)
    write_record(records, clean_record(NEWLINE_ID), name="us-bad.md")
    write_record(records, clean_record("us-victim-2020"))
    result = cli("list", "--format", "ids")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == ["us-bad\\nus-victim-2020\\n--force", "us-victim-2020"]


# --- a line break in a key, through a baseline, in GitHub workflow commands ---------------------------------


def test_a_key_with_a_workflow_command_forges_no_annotation_through_the_baseline(cli, workdir: Path) -> None:
    records = configure(workdir)
    data = clean_record()
    data[FORGED_KEY] = "x"  # an unknown field (S005), whose finding names the key
    path = write_record(records, data)
    written = cli("lint", "--today", TODAY, "--no-cache", "--write-baseline", "baseline.json")
    assert written.exit_code == 0, written.stderr
    del data[FORGED_KEY]  # fixed: the baseline's entry is stale, and its note quotes the key
    path.write_text(record_text(data), encoding="utf-8")
    result = cli("lint", "--today", TODAY, "--no-cache", "--format", "github", "--baseline", "baseline.json")
    assert result.exit_code == 0, result.stderr
    assert "fixed: us-example-act-2020 S005 (note\\n::error file=evil.md,line=1::forged annotation)" in result.stderr
    for stream in (result.stdout, result.stderr):
        assert not [line for line in stream.splitlines() if line.startswith("::")], stream
    # In text output the notes follow the summary on stdout, one line each as well.
    text = cli("lint", "--today", TODAY, "--no-cache", "--baseline", "baseline.json")
    assert not [line for line in text.stdout.splitlines() if line.startswith("::")], text.stdout


def test_workflow_command_escaping_follows_the_runner_rules() -> None:
    from ccus_records.render.encode import workflow_command_data, workflow_command_property

    assert workflow_command_data("a\n::error::b") == "a%0A::error::b"
    assert workflow_command_property("a\n::error::b,c") == "a%0A%3A%3Aerror%3A%3Ab%2Cc"
    assert workflow_command_data("\ud800\x1b") == "\\ud800\\x1b"


# --- characters XML forbids, in JUnit -----------------------------------------------------------------------


def test_junit_stays_well_formed_with_characters_xml_forbids(cli, workdir: Path) -> None:
    records = configure(workdir)
    json_record(records, clean_record("us-\ufffe\uffff\ud800\x01-2020", title="t\ufffe\ud800"), "us-xml.md")
    write_record(records, clean_record(), name=f"us-{ESC}[31m.md")
    result = cli("lint", "--today", TODAY, "--no-cache", "--format", "junit")
    assert result.exit_code == 1, result.stderr
    assert_clean_bytes(result.stdout_bytes)
    root = ET.fromstring(result.stdout_bytes)  # well-formed, or this raises
    cases = root.findall(".//testcase")
    assert any("us-xml.md" in ET.tostring(case, encoding="unicode") for case in cases)
    assert "\ufffe" not in result.stdout and "\uffff" not in result.stdout


# --- Markdown links ------------------------------------------------------------------------------------------


LINKS = {
    "country": "https://evil.example/a",
    "title": "[click me](https://evil.example/b) <https://evil.example/c> www.evil.example user@evil.example",
}


@pytest.mark.parametrize("command", ["report", "diff"])
def test_markdown_output_makes_no_link_from_record_text(cli, workdir: Path, command: str) -> None:
    records = configure(workdir)
    write_record(records, clean_record("us-link-2020", **LINKS))
    write_record(workdir / "old", clean_record("us-link-2020"))
    if command == "report":
        result = cli("report", "--today", TODAY, "--format", "markdown", "--show-missing")
    else:
        result = cli("diff", "old", "records", "--format", "markdown")
    assert result.exit_code in (0, 1), result.stderr
    out = result.stdout
    assert "evil" in out
    assert not re.search(r"\]\(https?:", out), "a Markdown link"
    assert not re.search(r"<https?:", out), "an autolink"
    assert not re.search(r"(?<!\\)https?://", out.replace("https\\://", "")), "a bare URL GitHub would link"
    assert not re.search(r"(?<![\\])www\.", out), "a www. autolink"
    assert not re.search(r"(?<!\\)@evil", out), "an e-mail autolink"


# --- lone surrogates and file names that are not UTF-8 ------------------------------------------------------


def surrogate_corpus(workdir: Path, surrogate: str) -> None:
    records = configure(workdir)
    data = clean_record("us-surrogate-2020", title=f"bad {surrogate} title", description=f"x {surrogate} y")
    data[f"key{surrogate}"] = f"value{surrogate}"
    json_record(records, data, "us-surrogate-2020.md")
    old = clean_record("us-surrogate-2020", title="old")
    json_record(workdir / "old", old, "us-surrogate-2020.md")


SURROGATE_RUNS = [
    *[("lint", "--today", TODAY, "--no-cache", "--format", name) for name in registry.formats("lint")],
    *[("list", "--columns", "id,title,path", "--format", name) for name in registry.formats("list")],
    *[("show", "us-surrogate-2020", "--today", TODAY, "--format", name) for name in registry.formats("show")],
    *[("report", "--today", TODAY, "--show-missing", "--format", name) for name in registry.formats("report")],
    *[("diff", "old", "records", "--format", name) for name in registry.formats("diff")],
]


@pytest.mark.parametrize("arguments", SURROGATE_RUNS, ids=lambda arguments: f"{arguments[0]}-{arguments[-1]}")
def test_a_lone_surrogate_in_a_key_and_a_value_never_breaks_output(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, arguments: tuple[str, ...]
) -> None:
    """The record is refused by the reader (S006, shown as `\\ud800`): lint reports the finding (exit 1), show
    and diff say in one line that it cannot be read (exit 2), list and report go on as for the same corpus
    with a plain character instead. Never a UnicodeEncodeError, never a raw surrogate or control byte."""
    codes = []
    for name, surrogate in (("plain", "?"), ("hostile", "\ud800")):
        folder = tmp_path / name
        folder.mkdir()
        monkeypatch.chdir(folder)
        surrogate_corpus(folder, surrogate)
        result = cli(*arguments)  # a UnicodeEncodeError would propagate out of the runner
        codes.append(result.exit_code)
        if surrogate != "?":
            text = assert_clean_bytes(result.stdout_bytes)
            assert_clean_bytes(result.stderr.encode("utf-8", "surrogateescape"))
            if arguments[0] == "lint" and arguments[-1] in ("text", "concise", "json"):
                assert "S006" in text and "\\ud800" in text
            if arguments[0] in ("show", "diff"):
                assert "lone surrogate" in (result.stdout + result.stderr)
    expected = {"lint": 1, "show": 2, "diff": 2}.get(arguments[0], codes[0])
    assert codes[1] == expected, codes


def test_a_lone_surrogate_does_not_break_the_lint_cache(cli, workdir: Path) -> None:
    surrogate_corpus(workdir, "\ud800")
    first, second = (cli("lint", "--today", TODAY) for _ in range(2))
    assert first.exit_code == second.exit_code == 1
    assert first.stdout == second.stdout and "S006" in first.stdout and "\\ud800" in first.stdout


def test_a_file_name_that_is_not_utf8_is_shown_escaped(cli, workdir: Path) -> None:
    records = configure(workdir)
    records.mkdir()
    (records / os.fsdecode(b"bad\xff.md")).write_text(record_text(clean_record("us-other-2020")), encoding="utf-8")
    # Lint twice with its cache (which cannot store such a name) and once without.
    runs = [("lint", "--today", TODAY), ("lint", "--today", TODAY), ("lint", "--today", TODAY, "--no-cache")]
    for arguments in (*runs, ("list", "--columns", "id,path")):
        result = cli(*arguments)
        text = assert_clean_bytes(result.stdout_bytes)
        assert "records/bad\\udcff.md" in text


# --- an error quoting configuration ---


def test_an_error_quoting_a_key_with_a_line_break_starts_no_line_of_its_own(cli, workdir: Path) -> None:
    (workdir / "ccus-records.toml").write_text('"x\\n::error file=a.md::forged" = 1\n', encoding="utf-8")
    result = cli("lint")
    assert result.exit_code == 2
    assert result.stderr.startswith("ccus-records: error: ")
    assert all(line.startswith(("ccus-records: error: ", "  ")) for line in result.stderr.splitlines()), result.stderr


# --- the registry ------------------------------------------------------------------------------------------


def test_every_registered_format_has_a_renderer_and_is_a_choice(cli) -> None:
    for command, formats in registry.FORMATS.items():
        for item in formats.values():
            assert callable(item.renderer()), (command, item.name)
        help_text = cli(command, "--help", env={"COLUMNS": "300"}).stdout
        assert "[" + "|".join(formats) + "]" in help_text, (command, help_text)


def test_a_format_not_in_the_registry_is_a_usage_error(cli, workdir: Path) -> None:
    result = cli("lint", "--format", "yaml")
    assert result.exit_code == 2
    assert "'yaml' is not one of 'text', 'json', 'github'" in result.stderr


def test_list_accepts_jsonl_for_json_lines(cli, workdir: Path) -> None:
    records = configure(workdir)
    write_record(records, clean_record())
    assert cli("list", "--format", "jsonl").stdout == cli("list", "--format", "json-lines").stdout != ""


# --- every (command, format) on every hostile input ---------------------------------------------------------


@pytest.fixture
def hostile_corpus(workdir: Path) -> Path:
    """One corpus with every hostile input at once; `old/` holds plain versions, for diff."""
    records = configure(workdir, HOSTILE_RULE)
    hostile = {
        "title": f"{TITLE_SEQUENCE} \x9b31m \r\x01\x7f \u2028 \ufffe\uffff [t](https://evil.example) <b>",
        "description": "line one\nline two\r\n\x1b[2J",
        "source": '=HYPERLINK("https://evil.example")\t',
        "country": "https://evil.example",
    }
    write_record(records, clean_record(f"us-{TITLE_SEQUENCE}-2020", **hostile), name="us-esc.md")
    write_record(records, clean_record(NEWLINE_ID, **hostile), name="us-newline.md")
    write_record(records, clean_record("us-name-2020", **hostile), name=FORGED_NAME)
    forged_key = clean_record("us-key-2020", **hostile)
    forged_key[FORGED_KEY] = "x"
    write_record(records, forged_key, name="us-key-2020.md")
    surrogates = clean_record("us-surrogate-2020", title="bad \ud800 title")
    surrogates["key\udfff"] = "value\ud800"
    json_record(records, surrogates, "us-surrogate-2020.md")
    (records / os.fsdecode(b"us-bytes-\xff\xfe.md")).write_text(
        record_text(clean_record("us-bytes-2020")), encoding="utf-8"
    )
    old = workdir / "old"
    for name, record_id in (("us-esc.md", f"us-{TITLE_SEQUENCE}-2020"), ("us-key-2020.md", "us-key-2020")):
        write_record(old, clean_record(record_id, title="Plain"), name=name)
    json_record(old, clean_record("us-surrogate-2020"), "us-surrogate-2020.md")
    return records


def commit_everything(folder: Path) -> None:
    """The folder as a git repository with one commit, for the commands that read history."""
    environment = {
        **os.environ,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        **{
            f"GIT_{who}_{what}": value
            for who in ("AUTHOR", "COMMITTER")
            for what, value in (("NAME", "T"), ("EMAIL", "t@e"))
        },
    }
    for arguments in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "records"]):
        subprocess.run(["git", *arguments], cwd=folder, env=environment, check=True, capture_output=True)


def registry_runs() -> list[tuple[str, str]]:
    return [(command, name) for command, formats in registry.FORMATS.items() for name in formats]


@pytest.mark.parametrize(("command", "output_format"), registry_runs())
def test_every_command_and_format_writes_no_control_byte(
    cli, hostile_corpus: Path, command: str, output_format: str
) -> None:
    """Allowed: LF everywhere; tab in the text formats (a record's own tab, harmless on a terminal).

    JSON formats write neither tab nor CR (json.dumps escapes both); no format writes a raw CR.
    """
    medium = registry.find(command, output_format).medium
    runs: list[tuple[str, ...]] = {
        "lint": [("lint", "--today", TODAY, "--no-cache", "--statistics")],
        "report": [("report", "--today", TODAY, "--show-missing", "--sample", "3")],
        "diff": [("diff", "old", "records")]
        + ([("diff", "old", "records", "--brief")] if output_format != "patch" else []),
        "list": [("list", "--columns", "id,title,description,source,country,path")],
        "show": [("show", str(path), "--today", TODAY) for path in sorted(hostile_corpus.iterdir())],
        "rules": [("rules",)],
        "log": [("log", str(path)) for path in sorted(hostile_corpus.iterdir())],
        "blame": [("blame", str(path)) for path in sorted(hostile_corpus.iterdir())],
    }[command]
    if command in ("log", "blame"):
        commit_everything(hostile_corpus.parent)
    for arguments in runs:
        result = cli(*arguments, "--format", output_format)
        # A record the reader refuses (S006: a lone surrogate) cannot be shown or compared field by field:
        # `show` and `diff` say so in one line each and exit 2; nothing else changes.
        allowed = (0, 1, 2) if command in ("show", "diff", "log", "blame") else (0, 1)
        assert result.exit_code in allowed, (arguments, result.stderr)
        if result.exit_code == 2:
            assert all(line.startswith("ccus-records: ") for line in result.stderr.splitlines()), result.stderr
        assert_clean_bytes(result.stdout_bytes, allow_tab=medium != "json")
        assert_clean_bytes(result.stderr.encode("utf-8", "surrogateescape"))
        if command in ("lint", "list") and medium in ("terminal", "ids", "csv"):
            assert not any(
                line.startswith(("forged", "us-victim", "--force", "::")) for line in result.stdout.splitlines()
            )
        if medium == "json" and result.stdout:
            for document in result.stdout.splitlines() if "lines" in output_format else [result.stdout]:
                json.loads(document)
        if medium == "xml":
            ET.fromstring(result.stdout_bytes)


def test_format_completion_comes_from_the_registry() -> None:
    import typer

    from ccus_records.cli.app import app

    group: Any = typer.main.get_command(app)
    for command in registry.FORMATS:
        click_command = group.commands[command]
        option = next(param for param in click_command.params if "--format" in param.opts)
        with click_command.make_context(command, [], resilient_parsing=True) as context:
            offered = [item.value for item in option.shell_complete(context, "")]
            assert offered == list(registry.formats(command))
            assert [item.value for item in option.shell_complete(context, "json")] == [
                name for name in registry.formats(command) if name.startswith("json")
            ]


def test_the_docs_format_lists_come_from_the_registry() -> None:
    listed = registry.docs_list("list").splitlines()
    assert listed[0] == "- `table`: a table for a terminal"
    assert "- `json-lines` (also `jsonl`): one JSON object a record" in listed
    assert [line.split("`")[1] for line in registry.docs_list("lint").splitlines()] == list(registry.formats("lint"))
