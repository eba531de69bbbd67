"""Hostile and broken files: each gives a finding (or a clear error), never a traceback, and is checked."""

from __future__ import annotations

import json
import resource
import time
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import CLEAN_BODY, TODAY, clean_record, record_text


def lint(cli: Any, *extra: str) -> tuple[int, list[dict[str, Any]], str]:
    result = cli("lint", ".", "--today", TODAY, "--format", "json", "--isolated", *extra)
    assert "Traceback" not in result.stderr
    return result.exit_code, json.loads(result.stdout)["findings"], result.stderr


def codes(findings: list[dict[str, Any]], path: str | None = None) -> set[str]:
    return {f["code"] for f in findings if path is None or f["path"] == path}


GOOD = record_text(clean_record())


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("empty.md", b"", "S001"),
        ("truncated-before-close.md", GOOD.encode()[: len(GOOD) // 2], "S001"),
        ("unterminated.md", b'---\n{"id": "us-a"}\n\nBody without a closing line.\n', "S001"),
        ("truncated-json.md", b'---\n{\n  "analysis": {\n    "incentive": {\n---\n\nBody.\n', "S002"),
        ("binary.md", bytes(range(256)) * 8, "S006"),
        ("png.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "S006"),
        ("nul.md", GOOD.encode().replace(b"Operators", b"Oper\x00ators"), "S006"),
        ("invalid-utf8.md", GOOD.encode().replace(b"Operators", b"Oper\xc3\x28ators"), "S006"),
        ("utf16.md", GOOD.encode("utf-16"), "S006"),
        ("bom.md", b"\xef\xbb\xbf" + GOOD.encode(), "S006"),
        ("crlf.md", GOOD.replace("\n", "\r\n").encode(), "F002"),
        ("mixed.md", GOOD.replace("Operators", "Oper\r\nators").encode(), "F002"),
        ("old-mac.md", GOOD.replace("\n\nOperators", "\r\rOperators").encode(), "F002"),
        ("deep.md", b"---\n" + b"[" * 200_000 + b"]" * 200_000 + b"\n---\n\nBody.\n", "S002"),
        ("deep-object.md", b"---\n" + b'{"a":' * 100_000 + b"1" + b"}" * 100_000 + b"\n---\n\nBody.\n", "S002"),
        ("deep-yaml.md", b"---\na: " + b"[" * 50_000 + b"]" * 50_000 + b"\n---\n\nBody.\n", "S002"),
        ("huge-int.md", b'---\n{"year": ' + b"9" * 5000 + b"}\n---\n\nBody.\n", "S002"),
        ("overflow-float.md", GOOD.replace('"score": 60', '"score": 1e999', 1).encode(), "S003"),
        ("overflow-yaml.md", b"---\nyear: " + b"9" * 400 + b"\n---\n\nBody.\n", "S003"),
        ("dup-json.md", GOOD.replace('"year": 2020', '"year": 2020,\n  "year": 2021').encode(), "S004"),
        ("dup-yaml.md", b"---\nid: us-a\nid: us-b\n---\n\nBody.\n", "S004"),
        ("nonstring-key.md", b"---\nid: us-a\n1: one\n---\n\nBody.\n", "S003"),
        ("bad-date-json.md", GOOD.replace('"2020-03-01"', '"2020-02-30"').encode(), "S003"),
        ("bad-date-yaml.md", b"---\npubDate: 2024-02-30\n---\n\nBody.\n", "S003"),
        ("list-front-matter.md", b"---\n- a\n- b\n---\n\nBody.\n", "S003"),
        ("scalar-json.md", b"---\n{}\n---\n\nBody.\n", "S003"),
        ("empty-yaml.md", b"---\n---\n\nBody.\n", "S003"),
    ],
)
def test_malformed_input_is_a_finding(cli, workdir: Path, name: str, content: bytes, expected: str) -> None:
    (workdir / name).write_bytes(content)
    exit_code, findings, _ = lint(cli)
    assert expected in codes(findings, name), findings
    assert exit_code in (0, 1)
    lines = content.decode("utf-8", "replace").split("\n")
    for finding in findings:
        if finding["line"] is not None:  # a location inside the file as it is on disk
            assert 1 <= finding["line"] <= len(lines), finding
            assert 1 <= finding["column"] <= len(lines[finding["line"] - 1]) + 1, finding


def test_delimiter_inside_the_body_is_body(cli, workdir: Path) -> None:
    body = CLEAN_BODY + "\n\n---\n\nA horizontal rule above, and more text."
    (workdir / "us-example-act-2020.md").write_text(record_text(clean_record(), body), encoding="utf-8")
    exit_code, findings, _ = lint(cli)
    assert findings == [] and exit_code == 0


def test_extremely_long_line(cli, workdir: Path) -> None:
    long_text = "word " * 150_000  # 750 kB on one line, under the 1 MiB limit
    (workdir / "us-example-act-2020.md").write_text(
        record_text(clean_record(interpretation=long_text.strip())), encoding="utf-8"
    )
    exit_code, findings, _ = lint(cli)
    assert exit_code == 0 and findings == []


def test_large_file_is_refused_without_being_read(cli, workdir: Path) -> None:
    path = workdir / "big.md"
    with path.open("wb") as handle:
        handle.write(GOOD.encode())
        handle.truncate(50 * 1024 * 1024)
    started = time.perf_counter()
    _, findings, _ = lint(cli)
    assert time.perf_counter() - started < 5
    [finding] = findings
    assert finding["code"] == "S007" and "52,428,800 bytes" in finding["message"]


def test_size_limit_is_configurable(cli, workdir: Path) -> None:
    (workdir / "ccus-records.toml").write_text('records = ["corpus"]\nmax-file-bytes = 100\n', encoding="utf-8")
    (workdir / "corpus").mkdir()
    (workdir / "corpus" / "us-example-act-2020.md").write_text(GOOD, encoding="utf-8")
    result = cli("lint", "--today", TODAY, "--format", "json")
    assert {f["code"] for f in json.loads(result.stdout)["findings"]} == {"S007"}


def test_billion_laughs_is_refused_fast_in_bounded_memory(cli, workdir: Path) -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 12):
        previous = f"*a{level - 1}"
        lines.append(f"a{level}: &a{level} [{', '.join([previous] * 9)}]")
    (workdir / "laughs.md").write_text("---\n" + "\n".join(lines) + "\n---\n\nBody.\n", encoding="utf-8")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    _, findings, _ = lint(cli)
    assert time.perf_counter() - started < 5
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 200_000  # KiB: well under 200 MB
    [finding] = findings
    assert finding["code"] == "S002" and "aliases" in finding["message"]


def test_python_tags_are_never_constructed(cli, workdir: Path, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    (workdir / "tag.md").write_text(
        f"---\nid: !!python/object/apply:os.system ['touch {marker}']\n---\n\nBody.\n", encoding="utf-8"
    )
    (workdir / "tag2.md").write_text("---\nid: !!python/name:os.system\n---\n\nBody.\n", encoding="utf-8")
    (workdir / "tag3.md").write_text("---\nid: !custom value\n---\n\nBody.\n", encoding="utf-8")
    _, findings, _ = lint(cli)
    assert not marker.exists()
    assert {(f["path"], f["code"]) for f in findings} == {("tag.md", "S002"), ("tag2.md", "S002"), ("tag3.md", "S002")}
    assert all("tag" in f["message"] for f in findings)


def test_yaml_binary_and_set_values_are_refused(cli, workdir: Path) -> None:
    (workdir / "binary.md").write_text("---\nid: !!binary aGVsbG8=\n---\n\nBody.\n", encoding="utf-8")
    (workdir / "set.md").write_text("---\nsectors: !!set {a, b}\n---\n\nBody.\n", encoding="utf-8")
    _, findings, _ = lint(cli)
    assert {(f["path"], f["code"]) for f in findings} == {("binary.md", "S002"), ("set.md", "S002")}


def test_unreadable_file_is_a_finding(cli, workdir: Path) -> None:
    import os

    path = workdir / "locked.md"
    path.write_text(GOOD, encoding="utf-8")
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running as a user who can read any file (root): permissions cannot make it unreadable")
        _, findings, _ = lint(cli)
        assert [f["code"] for f in findings] == ["S001"]
    finally:
        path.chmod(0o644)


def test_a_directory_named_like_a_record_is_skipped(cli, workdir: Path) -> None:
    (workdir / "folder.md").mkdir()
    (workdir / "us-example-act-2020.md").write_text(GOOD, encoding="utf-8")
    exit_code, findings, _ = lint(cli)
    assert exit_code == 0 and findings == []


def test_yaml_records_leave_no_garbage_cycles() -> None:
    """ruamel.yaml's own `load` makes a class a document (cycles a corpus-sized run must collect); the
    loader here is made once and each document's loader is freed by reference counting alone."""
    import gc

    from ccus_records.recordfile.yamlread import _load

    text = "id: us-x\nevolution:\n  supersedes: [a, b]\npubDate: 2020-03-01\n"
    _load(text)
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        for _ in range(50):
            assert _load(text)["evolution"]["supersedes"] == ["a", "b"]
        assert gc.collect() == 0
    finally:
        if was_enabled:
            gc.enable()
