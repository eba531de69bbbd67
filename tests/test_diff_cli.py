"""`ccus-records diff OLD NEW` as a reviewer runs it: files, folders, formats, exit codes, bad inputs."""

from __future__ import annotations

import copy
import json
import os
import re
from pathlib import Path
from typing import Any

import jsonpatch
import pytest

from ccus_records.recordfile.canonical import frame
from tests.helpers import CLEAN_BODY, clean_record, record_text, write_record


def two_versions(workdir: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """old/ and new/: one record edited (audit-relevant), one renamed, one removed, one added."""
    edited_old = clean_record("us-edited-2020", **{"provenance.reviewer": "", "reviewStatus": "pending"})
    edited_new = clean_record(
        "us-edited-2020",
        **{
            "provenance.reviewer": "J. Doe",
            "reviewStatus": "verified",
            "sectors": ["Power", "Cement"],
            "evolution.supersedes": ["eu-ccs-2009"],
            "analysis.mrv.score": 75,
        },
    )
    write_record(workdir / "old", edited_old)
    write_record(workdir / "new", edited_new, body=CLEAN_BODY.replace("report leaks", "report every leak"))
    write_record(workdir / "old", clean_record("us-renamed-2020"), name="first-name.md")
    write_record(workdir / "new", clean_record("us-renamed-2020"), name="second-name.md")
    write_record(workdir / "old", clean_record("us-removed-2020"))
    write_record(workdir / "new", clean_record("us-added-2020"))
    write_record(workdir / "old", clean_record("us-same-2020"))
    write_record(workdir / "new", clean_record("us-same-2020"))
    return edited_old, edited_new


def test_folders_field_level_text(cli, workdir: Path) -> None:
    two_versions(workdir)
    result = cli("diff", "old", "new")
    assert result.exit_code == 1, result.stderr
    out = result.stdout
    assert '~ provenance.reviewer: "" → "J. Doe"  [audit: reviewer added]' in out
    assert '~ reviewStatus: "pending" → "verified"  [audit: review status raised to verified]' in out
    assert (
        "~ analysis.mrv.score: 60 → 75  [audit: score changed while its evidence and citation stayed the same]" in out
    )
    assert '+ evolution.supersedes[0]: "eu-ccs-2009"' in out
    assert '+ sectors[1]: "Cement"' in out
    assert "-Operators must monitor the storage site and report leaks." in out
    assert "+Operators must monitor the storage site and report every leak." in out
    assert "+ us-added-2020  new/us-added-2020.md  (added)" in out
    assert "- us-removed-2020  old/us-removed-2020.md  (removed)" in out
    assert "us-same-2020" not in out
    assert out.rstrip().endswith(
        "4 records differ (old → new): 2 changed, 1 added, 1 removed; 3 audit-relevant changes."
    )


def test_renamed_file_is_one_changed_record_matched_by_id(cli, workdir: Path) -> None:
    two_versions(workdir)
    result = cli("diff", "old", "new", "--format", "json")
    records = {record["id"]: record for record in json.loads(result.stdout)}
    renamed = records["us-renamed-2020"]
    assert renamed["status"] == "changed" and renamed["renamed"] is True and renamed["changes"] == []
    assert (renamed["old_path"], renamed["new_path"]) == ("old/first-name.md", "new/second-name.md")
    assert "~ us-renamed-2020  old/first-name.md → new/second-name.md  (renamed)" in cli("diff", "old", "new").stdout
    statuses = sorted((record["id"], record["status"]) for record in records.values())
    assert ("us-added-2020", "added") in statuses and ("us-removed-2020", "removed") in statuses
    assert not any(record_id == "us-renamed-2020" and status != "changed" for record_id, status in statuses)


def test_json_format_lists_changes_with_op_path_old_new(cli, workdir: Path) -> None:
    two_versions(workdir)
    result = cli("diff", "old/us-edited-2020.md", "new/us-edited-2020.md", "--format", "json")
    assert result.exit_code == 1
    (record,) = json.loads(result.stdout)
    assert record["status"] == "changed" and record["id"] == "us-edited-2020"
    by_path = {change["path"]: change for change in record["changes"]}
    assert by_path["provenance.reviewer"] == {
        "op": "change",
        "path": "provenance.reviewer",
        "old": "",
        "new": "J. Doe",
        "audit": "reviewer added",
    }
    assert by_path["sectors[1]"] == {"op": "add", "path": "sectors[1]", "new": "Cement"}
    assert set(record["audit"]) == {"provenance.reviewer", "reviewStatus", "analysis.mrv.score"}
    assert any(line.startswith("@@") for line in record["body_diff"])


def test_markdown_format_is_a_pull_request_comment(cli, workdir: Path) -> None:
    two_versions(workdir)
    result = cli("diff", "old", "new", "--format", "markdown")
    assert result.exit_code == 1
    out = result.stdout
    assert out.startswith("### Record changes\n\n**4 records differ**")
    assert '| ~ | provenance\\.reviewer | "" | "J\\. Doe" | ⚠️ reviewer added |' in out
    assert "⚠️ us\\-edited\\-2020: reviewStatus — review status raised to verified" in out
    assert "```diff\n" in out and "+Operators must monitor the storage site and report every leak." in out


def test_markdown_escapes_record_text(cli, workdir: Path) -> None:
    old = clean_record(title="Plain")
    new = clean_record(title="[click](https://evil.example) | <img src=x> `code`")
    write_record(workdir / "a", old)
    write_record(workdir / "b", new, body=CLEAN_BODY + "\n\n```\nfenced\n```")
    out = cli("diff", "a", "b", "--format", "markdown").stdout
    assert "[click](" not in out and not re.search(r"(?<!\\)<img", out)
    assert "\\[click\\]\\(https\\://evil\\.example\\) \\| &lt;img src\\=x&gt; \\`code\\`" in out
    assert "````diff" in out  # the fence is longer than the body's own


def test_patch_format_is_rfc6902_with_tests(cli, workdir: Path) -> None:
    edited_old, edited_new = two_versions(workdir)
    result = cli("diff", "old", "new", "--format", "patch")
    assert result.exit_code == 1
    patches = {item["id"]: item for item in json.loads(result.stdout)}
    patch = patches["us-edited-2020"]["patch"]
    assert jsonpatch.JsonPatch(patch).apply(copy.deepcopy(edited_old)) == edited_new
    replaced = [index for index, operation in enumerate(patch) if operation["op"] in ("replace", "remove")]
    assert replaced and all(patch[index - 1]["op"] == "test" for index in replaced)
    assert patches["us-added-2020"]["patch"] == [{"op": "add", "path": "", "value": clean_record("us-added-2020")}]
    assert patches["us-removed-2020"]["patch"][0]["op"] == "test"


def test_brief_prints_only_which_records_differ(cli, workdir: Path) -> None:
    two_versions(workdir)
    result = cli("diff", "old", "new", "--brief")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "+ us-added-2020  new/us-added-2020.md",
        "~ us-edited-2020  old/us-edited-2020.md → new/us-edited-2020.md",
        "- us-removed-2020  old/us-removed-2020.md",
        "~ us-renamed-2020  old/first-name.md → new/second-name.md",
    ]
    brief_json = json.loads(cli("diff", "old", "new", "--brief", "--format", "json").stdout)
    assert [item["id"] for item in brief_json] == [
        "us-added-2020",
        "us-edited-2020",
        "us-removed-2020",
        "us-renamed-2020",
    ]
    assert all(set(item) == {"id", "status", "old_path", "new_path", "renamed"} for item in brief_json)
    patch = cli("diff", "old", "new", "--brief", "--format", "patch")
    assert patch.exit_code == 2 and patch.stdout == ""
    assert patch.stderr == "ccus-records: error: --brief has no patch form; use --format text, json or markdown\n"


def test_no_differences_exit_zero_and_formatting_is_ignored(cli, workdir: Path) -> None:
    data = clean_record()
    write_record(workdir / "a", data)
    # The same record with its front matter written differently: indentation, key order, CRLF, trailing space.
    reordered = json.dumps(dict(reversed(list(data.items()))), indent=4)
    (workdir / "b").mkdir()
    (workdir / "b" / "r.md").write_text(frame(reordered, CLEAN_BODY + "   ").replace("\n", "\r\n"), encoding="utf-8")
    result = cli("diff", "a/us-example-act-2020.md", "b/r.md")
    assert (result.exit_code, result.stdout) == (0, "No differences: 1 record compared.\n")
    assert cli("diff", "a/us-example-act-2020.md", "b/r.md", "--format", "json").stdout == "[]\n"


def test_yaml_and_json_front_matter_of_one_record_do_not_differ(cli, workdir: Path) -> None:
    write_record(workdir, clean_record(), name="json.md")
    yaml_text = (workdir / "json.md").read_text(encoding="utf-8")
    from ruamel.yaml import YAML

    data = clean_record()
    yaml = YAML()
    import io

    stream = io.StringIO()
    yaml.dump(data, stream)
    (workdir / "yaml.md").write_text(f"---\n{stream.getvalue()}---\n\n{CLEAN_BODY}\n", encoding="utf-8")
    assert yaml_text != (workdir / "yaml.md").read_text(encoding="utf-8")
    assert cli("diff", "json.md", "yaml.md").exit_code == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"no front matter here\n", "does not start with a `---` line"),
        (b'---\n{"id": \n---\n', "invalid JSON"),
        (b"---\n[1, 2]\n---\n", "not a record"),
        (b"\xff\xfe---\n", "UTF-16"),
        (b'---\n{"title": "no id"}\n---\n', "has no id"),
    ],
)
def test_an_unreadable_side_is_shown_as_a_line_diff_with_its_reason_and_exit_2(
    cli, workdir: Path, content: bytes, message: str
) -> None:
    write_record(workdir, clean_record(), name="good.md")
    (workdir / "bad.md").write_bytes(content)
    for arguments in (("good.md", "bad.md"), ("bad.md", "good.md")):
        result = cli("diff", *arguments)
        assert result.exit_code == 2, result.stdout
        assert "could not be read" in result.stderr
        assert "cannot be compared: bad.md: " in result.stdout and message in result.stdout
        assert '"id": "us-example-act-2020",' in result.stdout  # the good side's lines, in the line diff
        document = json.loads(cli("diff", *arguments, "--format", "json").stdout)
        assert [(record["status"], message in record["problem"]) for record in document] == [("unreadable", True)]


def test_one_broken_record_in_a_folder_leaves_every_other_change_shown(cli, workdir: Path) -> None:
    write_record(workdir / "a", clean_record())
    write_record(workdir / "a", clean_record("us-other-act-2020"))
    write_record(workdir / "b", clean_record(title="A new title"))
    conflicted = (workdir / "a" / "us-other-act-2020.md").read_text(encoding="utf-8")
    conflicted = conflicted.replace(
        '  "year": 2020\n', '<<<<<<< HEAD\n  "year": 2020\n=======\n  "year": 2021\n>>>>>>> b\n'
    )
    (workdir / "b" / "us-other-act-2020.md").write_text(conflicted, encoding="utf-8")
    for brief in ((), ("--brief",)):
        for output_format in ("text", "json", "markdown"):
            result = cli("diff", "a", "b", "--format", output_format, *brief)
            assert result.exit_code == 2, (output_format, brief, result.stderr)
            shown = result.stdout.replace("\\", "")  # Markdown escapes punctuation
            assert "us-example-act-2020" in shown and "us-other-act-2020" in shown, (output_format, brief)
            assert "merge conflict" in shown or brief, (output_format, brief)
    text = cli("diff", "a", "b").stdout
    assert "~ title:" in text and "cannot be compared: b/us-other-act-2020.md: " in text
    assert "unresolved merge conflict: `<<<<<<<` at line" in text and "+<<<<<<< HEAD" in text


def test_missing_unreadable_and_mismatched_inputs_are_exit_2(cli, workdir: Path) -> None:
    write_record(workdir / "a", clean_record())
    missing = cli("diff", "a/us-example-act-2020.md", "nowhere.md")
    assert missing.exit_code == 2 and "nowhere.md: no such file or folder" in missing.stderr
    mixed = cli("diff", "a", "a/us-example-act-2020.md")
    assert mixed.exit_code == 2 and "two files or two folders" in mixed.stderr
    (workdir / "dir.md").mkdir()  # a folder named like a record file is still a folder
    file_and_folder = cli("diff", "a/us-example-act-2020.md", "dir.md")
    assert file_and_folder.exit_code == 2
    assert file_and_folder.stderr.endswith("dir.md: compare two files or two folders, not one of each\n")
    usage = "ccus-records: error: diff takes OLD NEW (two files or two folders), or --rev REV [PATHS...]\n"
    for arguments in (("a/us-example-act-2020.md",), ()):
        result = cli("diff", *arguments)
        assert result.exit_code == 2 and result.stdout == "" and result.stderr == usage


def test_unreadable_file_is_exit_2(cli, workdir: Path) -> None:
    write_record(workdir, clean_record(), name="open.md")
    locked = write_record(workdir, clean_record(), name="locked.md")
    locked.chmod(0)
    try:
        if os.access(locked, os.R_OK):
            # Root reads any file; a file whose read fails for everyone stands in for it.
            if not Path("/proc/self/mem").exists():
                pytest.skip("no file that this user cannot read")
            locked.unlink()
            locked.symlink_to("/proc/self/mem")
        result = cli("diff", "open.md", "locked.md")
        assert result.exit_code == 2 and "could not be read" in result.stderr
        assert "locked.md: cannot be read" in result.stdout
    finally:
        if not locked.is_symlink():
            locked.chmod(0o644)


def test_oversized_file_is_exit_2(cli, workdir: Path) -> None:
    write_record(workdir, clean_record(), name="a.md")
    write_record(workdir, clean_record(), name="b.md")
    (workdir / "ccus-records.toml").write_text("max-file-bytes = 100\n", encoding="utf-8")
    result = cli("diff", "a.md", "b.md")
    assert result.exit_code == 2 and "above the limit" in result.stdout and "could not be read" in result.stderr


def test_duplicate_ids_in_a_folder_are_exit_2(cli, workdir: Path) -> None:
    write_record(workdir / "a", clean_record())
    write_record(workdir / "b", clean_record(), name="one.md")
    write_record(workdir / "b", clean_record(), name="two.md")
    result = cli("diff", "a", "b")
    assert result.exit_code == 2 and "both have id 'us-example-act-2020'" in result.stderr
    assert "(run lint: I004)" in result.stderr  # I004 is the duplicate id rule


def test_record_text_is_inert_in_text_output(cli, workdir: Path) -> None:
    write_record(workdir / "a", clean_record(title="Plain"))
    write_record(workdir / "b", clean_record(title="Evil \x1b[31mred\x1b[0m title"), body="Body \x1b]0;x\x07 text.")
    out = cli("diff", "a", "b").stdout
    assert "\x1b" not in out and "\x07" not in out
    assert "\\u001b[31mred" in out  # JSON-quoted value
    assert "\\x1b]0;x\\x07" in out  # body line


def test_control_characters_in_a_file_pair(cli, workdir: Path) -> None:
    (workdir / "a.md").write_text(record_text(clean_record()), encoding="utf-8")
    (workdir / "b.md").write_text(record_text(clean_record(), body="Bell\x07 here."), encoding="utf-8")
    result = cli("diff", "a.md", "b.md")
    assert result.exit_code == 1 and "\x07" not in result.stdout and "Bell\\x07 here." in result.stdout


def test_json_and_patch_escape_c1_controls_without_changing_the_value(cli, workdir: Path) -> None:
    write_record(workdir / "a", clean_record(title="Plain"))
    write_record(workdir / "b", clean_record(title="CSI \x9b2J"))
    for output_format in ("json", "patch"):
        out = cli("diff", "a", "b", "--format", output_format).stdout
        assert "\x9b" not in out and "\\u009b" in out
        assert "CSI \x9b2J" in json.dumps(json.loads(out), ensure_ascii=False)
