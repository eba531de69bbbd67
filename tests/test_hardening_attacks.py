"""Hostile inputs fed in through the command line: each ends in a finding or a one-line error with the
right exit code, in bounded time, with nothing written, fetched or run that should not be."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import TODAY, clean_record, write_record


def _one_line_error(result, expected: str, code: int = 2) -> None:  # type: ignore[no-untyped-def]
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    assert expected in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


# --- max-file-bytes is bounded -------------------------------------------------------------------------


@pytest.mark.parametrize("limit", ["100000000000", "9223372036854775807", "67108865"])
def test_a_huge_max_file_bytes_is_a_configuration_error(cli, workdir: Path, limit: str) -> None:
    (workdir / "ccus-records.toml").write_text(f'records = ["records"]\nmax-file-bytes = {limit}\n', encoding="utf-8")
    write_record(workdir / "records", clean_record())
    result = cli("lint", "--today", TODAY, "--no-cache")
    _one_line_error(result, "max-file-bytes")


def test_the_largest_max_file_bytes_allowed_still_reads_small_records(cli, workdir: Path) -> None:
    (workdir / "ccus-records.toml").write_text('records = ["records"]\nmax-file-bytes = 67108864\n', encoding="utf-8")
    write_record(workdir / "records", clean_record())
    result = cli("lint", "--today", TODAY, "--no-cache")
    assert result.exit_code == 0, result.stdout


# --- git runs nothing the repository's configuration names --------------------------------------------


@pytest.fixture
def hostile_repo(tmp_path: Path) -> Path:
    """A repository whose .git/config names an fsmonitor hook (and more) that would write a marker file."""
    import subprocess

    repo = tmp_path / "repo"
    repo.mkdir()

    def git(*arguments: str) -> None:
        subprocess.run(["git", *arguments], cwd=repo, check=True, capture_output=True)

    git("init", "-q")
    git("config", "user.email", "t@example.org")
    git("config", "user.name", "T")
    (repo / "ccus-records.toml").write_text('records = ["records"]\n', encoding="utf-8")
    write_record(repo / "records", clean_record())
    git("add", "-A")
    git("commit", "-qm", "one")
    write_record(repo / "records", clean_record(title="Changed title"), name="us-example-act-2020.md")
    hook = tmp_path / "hook.sh"
    hook.write_text(f"#!/bin/sh\ntouch '{tmp_path / 'MARKER'}'\nexit 1\n", encoding="utf-8")
    hook.chmod(0o755)
    git("config", "core.fsmonitor", str(hook))
    git("config", "diff.external", str(hook))
    git("config", "core.pager", str(hook))
    return repo


def test_lint_git_tracked_never_runs_the_repositorys_fsmonitor(cli, hostile_repo: Path, monkeypatch) -> None:
    monkeypatch.chdir(hostile_repo)
    result = cli("lint", "--today", TODAY, "--no-cache", "--git-tracked")
    assert result.exit_code == 0, (result.stdout, result.stderr)
    assert not (hostile_repo.parent / "MARKER").exists()


def test_diff_rev_never_runs_the_repositorys_programs(cli, hostile_repo: Path, monkeypatch) -> None:
    monkeypatch.chdir(hostile_repo)
    result = cli("diff", "--rev", "HEAD")
    assert result.exit_code in (0, 1), (result.stdout, result.stderr)
    assert "Changed title" in result.stdout
    assert not (hostile_repo.parent / "MARKER").exists()


def test_git_ignores_configuration_injected_through_the_environment(cli, hostile_repo: Path, monkeypatch) -> None:
    monkeypatch.chdir(hostile_repo)
    hook = str(hostile_repo.parent / "hook.sh")
    env = {
        "GIT_CONFIG_COUNT": "1",
        "GIT_CONFIG_KEY_0": "core.fsmonitor",
        "GIT_CONFIG_VALUE_0": hook,
        "GIT_CONFIG_PARAMETERS": f"'core.fsmonitor'='{hook}'",
        "GIT_EXTERNAL_DIFF": hook,
        "GIT_TRACE": str(hostile_repo.parent / "TRACE"),
    }
    result = cli("lint", "--today", TODAY, "--no-cache", "--git-tracked", env=env)
    assert result.exit_code == 0, (result.stdout, result.stderr)
    assert not (hostile_repo.parent / "MARKER").exists()
    assert not (hostile_repo.parent / "TRACE").exists()


# --- YAML: no anchor, alias or merge key is ever expanded; libyaml's strictness is not YAML's ------------


def _yaml_record(workdir: Path, front_matter: str, name: str = "record.md") -> Path:
    folder = workdir / "records"
    folder.mkdir(exist_ok=True)
    (workdir / "ccus-records.toml").write_text('records = ["records"]\n', encoding="utf-8")
    path = folder / name
    path.write_text(f"---\n{front_matter}---\n\nThe body.\n", encoding="utf-8")
    return path


def test_a_yaml_alias_bomb_is_a_finding_and_is_never_expanded(cli, workdir: Path) -> None:
    """A 980 KB record: a 500,000-character title anchored, then aliased 120,000 times in a list."""
    aliases = ", ".join(["*x"] * 120_000)
    _yaml_record(workdir, f"id: bomb\ntitle: &x {'a' * 500_000}\nsectors: [{aliases}]\n")
    for arguments, code in (
        (("lint", "--today", TODAY, "--no-cache", "--format", "json"), 1),
        (("show", "records/record.md", "--format", "json"), 2),
        (("list", "--format", "csv"), 0),
        (("diff", "--textconv", "records/record.md"), 0),
    ):
        started = time.perf_counter()
        result = cli(*arguments)
        assert time.perf_counter() - started < 10, arguments
        assert result.exit_code == code, (arguments, result.stdout[:300], result.stderr)
        assert "Traceback" not in result.stderr
        assert len(result.stdout) < 2_000_000, arguments  # the text as written at most, never 60 GB
    lint = cli("lint", "--today", TODAY, "--no-cache", "--select", "S")
    assert "records/record.md:3:8: S002" in lint.stdout and "anchor `&x`" in lint.stdout


@pytest.mark.parametrize(
    ("front_matter", "expected"),
    [
        ("id: a\nb: &x {c: 1}\nd: *x\n", ":3:4: S002"),
        ("id: a\nb: {c: 1}\n<<: {c: 2}\n", ":4:1: S002"),
        ("id: a\nb:\n  - x\n  - *undefined\n", ":5:5: S002"),
        ("id: a\nb: !!merge x\n", ":3:4: S002"),
    ],
)
def test_yaml_anchors_aliases_and_merge_keys_are_refused(cli, workdir: Path, front_matter: str, expected: str) -> None:
    _yaml_record(workdir, front_matter)
    result = cli("lint", "--today", TODAY, "--no-cache", "--select", "S002")
    assert result.exit_code == 1 and expected in result.stdout, result.stdout


def test_yaml_that_only_libyaml_refuses_is_read_with_its_positions(cli, workdir: Path) -> None:
    """A colon inside a flow scalar is YAML (libyaml refuses it): the record is read, and a finding on a
    later field is placed on that field's line."""
    from tests.test_edit_yaml import yaml_front_matter

    front_matter = yaml_front_matter().replace("relatedFacilities: []", "relatedFacilities: [http://x.org/a, b:c]")
    front_matter = front_matter.replace("    reviewer: B. Reviewer", "    reviewer: ''")
    path = _yaml_record(workdir, front_matter, name="us-example-act-2020.md")
    result = cli("lint", "--today", TODAY, "--no-cache", "--format", "json")
    findings = json.loads(result.stdout)["findings"]
    assert [finding["code"] for finding in findings] == ["A001"], findings
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[findings[0]["line"] - 1].strip() == "reviewer: ''"
    shown = cli("show", "records/us-example-act-2020.md", "--format", "json")
    assert json.loads(shown.stdout)["relatedFacilities"] == ["http://x.org/a", "b:c"]


def test_yaml_that_yaml_itself_refuses_is_still_s002(cli, workdir: Path) -> None:
    _yaml_record(workdir, "id: a\ntitle: |\n\tindented with a tab\n")
    result = cli("lint", "--today", TODAY, "--no-cache", "--select", "S002")
    assert result.exit_code == 1 and "S002" in result.stdout and "invalid YAML" in result.stdout


# --- the walk: each real folder once, never out of the project; FIFOs never opened for a blocking read ----


def _run(cwd: Path, *arguments: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """The command in a process of its own, killed (and the test failed) if it hangs."""
    environment = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    return subprocess.run(
        [sys.executable, "-m", "ccus_records", *arguments],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=environment,
        check=False,
    )


def _corpus_with_links(workdir: Path) -> Path:
    (workdir / "ccus-records.toml").write_text('records = ["records"]\n', encoding="utf-8")
    records = workdir / "records"
    write_record(records, clean_record())
    write_record(records / "sub", clean_record("us-other-act-2021"))
    for name in ("a", "b", "c"):
        (records / name).symlink_to(".")
    (records / "out").symlink_to("/")
    (records / "sub-again").symlink_to("sub")
    return records


def test_folders_linked_to_themselves_are_walked_once(workdir: Path) -> None:
    _corpus_with_links(workdir)
    started = time.perf_counter()
    result = _run(workdir, "lint", "--today", TODAY, "--no-cache", "--format", "json")
    assert time.perf_counter() - started < 20
    assert result.returncode == 0, (result.stdout, result.stderr)
    assert json.loads(result.stdout)["summary"]["files"] == 2
    assert "Traceback" not in result.stderr
    for name in ("a", "b", "c", "sub-again"):
        assert f"records/{name}: skipped: a symbolic link to a folder already read" in result.stderr
    assert "records/out: skipped: a symbolic link to /, outside the project" in result.stderr


def test_git_tracked_lint_walks_linked_folders_once(workdir: Path) -> None:
    _corpus_with_links(workdir)
    subprocess.run(["git", "init", "-q"], cwd=workdir, check=True)
    subprocess.run(["git", "add", "-A"], cwd=workdir, check=True)
    result = _run(workdir, "lint", "--today", TODAY, "--no-cache", "--git-tracked")
    assert result.returncode == 0, (result.stdout, result.stderr)


@pytest.mark.skipif(not Path("/proc/self/root").exists(), reason="no /proc")
def test_a_records_folder_in_proc_ends(workdir: Path) -> None:
    (workdir / "ccus-records.toml").write_text('records = ["/proc/self"]\n', encoding="utf-8")
    result = _run(workdir, "lint", "--today", TODAY, "--no-cache")
    # It ends (a subprocess with a timeout), says what it left out, and that it found no record to check.
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert "root: skipped: a symbolic link to /, outside the project" in result.stderr
    assert "no record files in /proc/self" in result.stderr


@pytest.fixture
def fifo_corpus(workdir: Path) -> Path:
    (workdir / "ccus-records.toml").write_text('records = ["records"]\n', encoding="utf-8")
    write_record(workdir / "records", clean_record())
    os.mkfifo(workdir / "records" / "pipe.md")
    return workdir


@pytest.mark.parametrize(
    ("arguments", "code", "expected"),
    [
        (("lint", "--today", TODAY, "--no-cache", "records/pipe.md"), 1, "S001"),
        (("fmt", "--check", "records/pipe.md"), 2, "FIFO"),
        (("fmt", "records/pipe.md"), 2, "FIFO"),
        (("diff", "records/pipe.md", "records/us-example-act-2020.md"), 2, "FIFO"),
        (("diff", "--textconv", "records/pipe.md"), 2, "FIFO"),
        (("show", "records/pipe.md"), 2, "FIFO"),
    ],
)
def test_a_fifo_named_on_the_command_line_is_refused_at_once(
    fifo_corpus: Path, arguments: tuple[str, ...], code: int, expected: str
) -> None:
    started = time.perf_counter()
    result = _run(fifo_corpus, *arguments, timeout=30)
    assert time.perf_counter() - started < 20
    assert result.returncode == code, (result.stdout, result.stderr)
    assert expected in result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def test_a_fifo_in_a_walked_folder_is_skipped_with_a_warning(fifo_corpus: Path) -> None:
    result = _run(fifo_corpus, "lint", "--today", TODAY, "--no-cache", timeout=30)
    assert result.returncode == 0, (result.stdout, result.stderr)
    assert "records/pipe.md: skipped: not a regular file" in result.stderr


# --- the lint cache: a planted database is no cache, never a hang, never written through -----------------


def _plant_cache(workdir: Path, *statements: str) -> Path:
    import sqlite3

    (workdir / "ccus-records.toml").write_text('records = ["records"]\n', encoding="utf-8")
    write_record(workdir / "records", clean_record())
    folder = workdir / ".ccus-records-cache"
    folder.mkdir()
    database = folder / "lint-v2.sqlite"
    connection = sqlite3.connect(database)
    for statement in statements:
        connection.execute(statement)
    connection.commit()
    connection.close()
    return database


ENDLESS = (
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT 'fingerprint' AS key, x AS value FROM c"
)


@pytest.mark.parametrize(
    "statements",
    [
        (f"CREATE VIEW meta AS {ENDLESS}",),
        (
            "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)",
            "CREATE TABLE findings (path TEXT PRIMARY KEY, digest TEXT, findings TEXT)",
            f"CREATE VIEW overlay AS SELECT key AS path, value AS row FROM ({ENDLESS})",
        ),
        (
            "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)",
            "CREATE TABLE findings (path TEXT PRIMARY KEY, digest TEXT, findings TEXT)",
            "CREATE TABLE overlay (path TEXT PRIMARY KEY, row TEXT)",
            "CREATE TRIGGER t AFTER INSERT ON meta BEGIN INSERT INTO findings SELECT x, x, x FROM "
            "(WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c); END",
        ),
    ],
    ids=["endless-view-meta", "endless-view-overlay", "trigger"],
)
def test_a_planted_cache_is_no_cache_and_is_replaced(workdir: Path, statements: tuple[str, ...]) -> None:
    import sqlite3

    database = _plant_cache(workdir, *statements)
    for _ in range(2):  # the first run replaces it; the second reads the cache it wrote
        started = time.perf_counter()
        result = _run(workdir, "lint", "--today", TODAY, timeout=60)
        assert time.perf_counter() - started < 30
        assert result.returncode == 0, (result.stdout, result.stderr)
        assert "Traceback" not in result.stderr
    kinds = sqlite3.connect(database).execute("SELECT type, name FROM sqlite_master").fetchall()
    assert ("view", "meta") not in kinds and ("trigger", "t") not in kinds and ("table", "meta") in kinds


def test_a_cache_database_linked_elsewhere_is_never_written_through(workdir: Path) -> None:
    (workdir / "ccus-records.toml").write_text('records = ["records"]\n', encoding="utf-8")
    write_record(workdir / "records", clean_record())
    victim = workdir / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    (workdir / ".ccus-records-cache").mkdir()
    (workdir / ".ccus-records-cache" / "lint-v2.sqlite").symlink_to(victim)
    (workdir / ".ccus-records-cache" / ".gitignore").symlink_to(workdir / "victim2.txt")
    result = _run(workdir, "lint", "--today", TODAY)
    assert result.returncode == 0, result.stderr
    assert victim.read_text(encoding="utf-8") == "precious\n"
    assert not (workdir / "victim2.txt").exists()


def test_a_cache_folder_linked_elsewhere_is_not_used(workdir: Path, tmp_path_factory) -> None:
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (workdir / "ccus-records.toml").write_text('records = ["records"]\n', encoding="utf-8")
    write_record(workdir / "records", clean_record())
    (workdir / ".ccus-records-cache").symlink_to(elsewhere)
    result = _run(workdir, "lint", "--today", TODAY)
    assert result.returncode == 0, result.stderr
    assert list(elsewhere.iterdir()) == []


# --- patterns from configuration are matched in linear time ---------------------------------------------


AUTHORS = ("a" * 34, "a" * 100_000, "x" * 60 + "y")


@pytest.mark.parametrize(
    ("pattern", "machines"),
    [
        # The authors each pattern names as a whole word; the long one is matched on its first 120 characters.
        ("a?" * 34 + "a" * 34, {"a" * 34}),
        ("(?:a{1,10}){1,10}b", set()),
        ("(a+)+$", {"a" * 34, "a" * 100_000}),
        ("(x|xy)*z", set()),
        ("^(a|aa)+$", {"a" * 34, "a" * 100_000}),
        ("a*a*a*a*a*b", set()),
    ],
)
def test_machine_author_patterns_that_backtrack_in_python_run_in_linear_time(
    cli, workdir: Path, pattern: str, machines: set[str]
) -> None:
    (workdir / "ccus-records.toml").write_text(
        f'records = ["records"]\nmachine-authors = [{json.dumps(pattern)}]\n', encoding="utf-8"
    )
    for author in AUTHORS:
        write_record(workdir / "records", clean_record(**{"provenance.author": author, "provenance.reviewer": ""}))
        started = time.perf_counter()
        result = cli("lint", "--today", TODAY, "--select", "A003", "--no-cache")
        assert time.perf_counter() - started < 5, (pattern, len(author))
        assert result.exit_code == 0 and result.stderr == ""  # A003 is a warning
        assert (" A003 [warning] written by a machine" in result.stdout) == (author in machines), len(author)


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [("(?>(a+)+)b", "atomic"), ("(a)\\\\1", "backreferences"), ("(?<=x)y", "lookbehind"), ("(?:a{1000}){1000}", "")],
)
def test_a_machine_author_pattern_the_engine_refuses_is_a_configuration_error(
    cli, workdir: Path, pattern: str, expected: str
) -> None:
    (workdir / "ccus-records.toml").write_text(f'machine-authors = ["{pattern}"]\n', encoding="utf-8")
    result = cli("lint", "--today", TODAY, "--no-cache")
    _one_line_error(result, "machine-authors")
    assert expected in result.stderr


def test_ordinary_machine_author_patterns_keep_their_python_meaning(cli, workdir: Path) -> None:
    (workdir / "ccus-records.toml").write_text(
        'records = ["records"]\nmachine-authors = ["(?i)auto-?bot\\\\d*", "^Scraper\\\\Z", "(?P<n>gpt)-4"]\n',
        encoding="utf-8",
    )
    expected = {"AutoBot7": True, "auto-bot": True, "Scraper": True, "Scraper two": False, "GPT-4o": False}
    expected |= {"x GPT-4": True, "Zoë autobot": True, "Zoëautobot": False}
    for author, machine in expected.items():
        write_record(workdir / "records", clean_record(**{"provenance.author": author, "provenance.reviewer": ""}))
        result = cli("lint", "--today", TODAY, "--select", "A003", "--no-cache")
        assert ("A003" in result.stdout) is machine, (author, result.stdout)


# --- custom rules: schemas refer only within themselves, never endlessly; their patterns are bounded -----


def _rule_config(workdir: Path, require: str, when: str = "{}") -> None:
    (workdir / "ccus-records.toml").write_text(
        'records = ["records"]\n[[rule]]\ncode = "X001"\nname = "custom"\nmessage = "custom rule"\n'
        f"when = {when}\nrequire = {require}\n",
        encoding="utf-8",
    )
    write_record(workdir / "records", clean_record())


@pytest.mark.parametrize(
    ("require", "expected"),
    [
        ('{ "$ref" = "https://example.org/schema.json" }', "not in the rule's own schema"),
        ('{ "$ref" = "file:///etc/passwd" }', "not in the rule's own schema"),
        ('{ "$id" = "https://example.org/x/", "$ref" = "other.json" }', "not in the rule's own schema"),
        ('{ "$ref" = "#/$defs/missing" }', "not in the rule's own schema"),
        ('{ "$ref" = "#" }', "refers to itself"),
        (
            '{ "$ref" = "#/$defs/a", "$defs" = { a = { "$ref" = "#/$defs/b" }, '
            'b = { allOf = [{ "$ref" = "#/$defs/a" }] } } }',
            "refers to itself",
        ),
        ('{ properties = { title = { pattern = "(?<=x)y" } } }', "pattern"),
        ('{ properties = { title = { pattern = "(unclosed" } } }', "regex"),
        ('{ type = "nonsense" }', "not a valid JSON Schema"),
    ],
)  # fmt: skip
def test_a_bad_custom_rule_schema_is_a_configuration_error_naming_the_rule(
    cli, workdir: Path, require: str, expected: str, monkeypatch
) -> None:
    import urllib.request

    def no_network(*arguments, **keywords):  # type: ignore[no-untyped-def]
        raise AssertionError("something was fetched")

    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    _rule_config(workdir, require)
    for arguments in (("lint", "--today", TODAY, "--no-cache"), ("list",)):
        result = cli(*arguments)
        _one_line_error(result, "rule X001")
        assert expected in result.stderr, result.stderr


def test_a_recursive_schema_that_goes_deeper_into_the_record_is_allowed(cli, workdir: Path) -> None:
    tree = '{ "$defs" = { node = { type = ["object", "array", "string", "integer", "boolean", "null"], '
    tree += 'additionalProperties = { "$ref" = "#/$defs/node" }, items = { "$ref" = "#/$defs/node" } } }, '
    tree += '"$ref" = "#/$defs/node" }'
    _rule_config(workdir, tree)
    result = cli("lint", "--today", TODAY, "--no-cache")
    assert result.exit_code == 0, (result.stdout, result.stderr)


def test_a_custom_rule_pattern_runs_in_linear_time(cli, workdir: Path) -> None:
    _rule_config(
        workdir,
        '{ properties = { title = { pattern = "^(a+)+$" }, description = { pattern = "^(a|aa)+$" } } }',
    )
    write_record(workdir / "records", clean_record(title="a" * 41 + "!", description="a" * 200_000 + "!"))
    started = time.perf_counter()
    result = cli("lint", "--today", TODAY, "--no-cache", "--select", "X001")
    assert time.perf_counter() - started < 5
    assert result.exit_code == 0 and "X001" in result.stdout, (result.stdout, result.stderr)


def test_custom_rule_pattern_properties_use_the_bounded_engine(cli, workdir: Path) -> None:
    pattern_properties = '{ patternProperties = { "^(a+)+$" = { type = "integer" } } }'
    _rule_config(workdir, f"{{ properties = {{ regulatory = {pattern_properties} }} }}")
    result = cli("lint", "--today", TODAY, "--no-cache", "--select", "X001")
    assert result.exit_code == 0, (result.stdout, result.stderr)


# --- a record holding a key twice is never rewritten from its data ---------------------------------------


def _duplicated(workdir: Path) -> Path:
    from tests.helpers import record_text

    (workdir / "ccus-records.toml").write_text('records = ["records"]\n', encoding="utf-8")
    path = write_record(workdir / "records", clean_record())
    title = '  "title": "Example Storage Act",'
    text = record_text(clean_record()).replace(title, f'  "title": "Kept by a person",\n{title}')
    # Not canonical either (so fmt and lint --fix have something to do): one more space of indentation.
    text = text.replace('\n  "year"', '\n   "year"')
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "arguments",
    [
        ("fmt",),
        ("fmt", "records/us-example-act-2020.md"),
        ("lint", "--fix", "--today", TODAY, "--no-cache"),
        ("review", "us-example-act-2020", "--reviewer", "J. Doe", "--today", TODAY),
        ("edit", "us-example-act-2020", "--set", "year=2021"),
    ],
)
def test_a_record_with_a_duplicate_key_is_not_rewritten(cli, workdir: Path, arguments: tuple[str, ...]) -> None:
    path = _duplicated(workdir)
    before = path.read_bytes()
    result = cli(*arguments)
    assert path.read_bytes() == before
    assert result.exit_code != 0, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert "Fixed 1" not in result.stderr
    assert "S004" in result.stdout + result.stderr, (result.stdout, result.stderr)


# --- lone surrogates are S006; file names that are not UTF-8 never break the cache -----------------------


@pytest.mark.parametrize(
    ("needle", "replacement", "field"),
    [
        ('"title": "Example Storage Act"', '"title": "Example \\ud800 Act"', "title"),
        ('"title": "Example Storage Act"', '"title": "Example Storage Act", "\\udfff": 1', None),
        ('"author": "A. Curator"', '"author": "A. \\udc80Curator"', "provenance.author"),
    ],
)
def test_a_lone_surrogate_escape_is_an_s006_finding(
    cli, workdir: Path, needle: str, replacement: str, field: str | None
) -> None:
    from tests.helpers import record_text

    (workdir / "ccus-records.toml").write_text('records = ["records"]\n', encoding="utf-8")
    path = write_record(workdir / "records", clean_record())
    path.write_text(record_text(clean_record()).replace(needle, replacement), encoding="utf-8")
    for arguments in (("lint", "--today", TODAY, "--format", "json"), ("lint", "--today", TODAY, "--format", "json")):
        result = cli(*arguments)  # twice: the second run reads the cache the first wrote
        assert result.exit_code == 1, (result.stdout, result.stderr)
        findings = json.loads(result.stdout)["findings"]
        assert [(finding["code"], finding["field"]) for finding in findings] == [("S006", field)]
        assert "lone surrogate" in findings[0]["message"]
    surrogate = "a key or value holds a lone surrogate escape (such as `\\ud800`): it is no character"
    before = path.read_bytes()
    shown = cli("show", "records/us-example-act-2020.md")
    assert shown.exit_code == 2 and shown.stdout == ""
    assert shown.stderr.startswith(f"ccus-records: error: records/us-example-act-2020.md: not a record: {surrogate}")
    formatted = cli("fmt")
    assert formatted.exit_code == 2 and path.read_bytes() == before
    assert f"records/us-example-act-2020.md: cannot format: {surrogate}" in formatted.stderr
    textconv = cli("diff", "--textconv", str(path))  # git diff shows the escape as written
    assert textconv.exit_code == 0 and replacement in textconv.stdout
    paired = '"title": "Example \\ud83d\\ude00 Act"'  # a surrogate pair is one character: no finding
    path.write_text(record_text(clean_record()).replace(needle, paired) if field == "title" else "", encoding="utf-8")
    if field == "title":
        assert cli("lint", "--today", TODAY, "--select", "S006").exit_code == 0


def test_a_file_name_that_is_not_utf8_never_breaks_the_cache(workdir: Path) -> None:
    (workdir / "ccus-records.toml").write_text('records = ["records"]\n', encoding="utf-8")
    write_record(workdir / "records", clean_record())
    write_record(workdir / "records", clean_record("us-other-act-2021"))
    os.rename(workdir / "records" / "us-other-act-2021.md", os.fsencode(workdir / "records") + b"/caf\xe9.md")
    environment = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    command = [sys.executable, "-m", "ccus_records", "lint", "--today", TODAY, "--format", "json"]
    for _ in range(3):  # write the cache, read it, read it again
        result = subprocess.run(command, cwd=workdir, capture_output=True, timeout=60, env=environment, check=False)
        stdout, stderr = (stream.decode("utf-8", "replace") for stream in (result.stdout, result.stderr))
        assert "Traceback" not in stderr, stderr
        assert result.returncode == 0, (stdout, stderr)  # I003 (a warning): the name is not the id
        assert {finding["code"] for finding in json.loads(stdout)["findings"]} == {"I003"}
    assert (workdir / ".ccus-records-cache" / "lint-v2.sqlite").is_file()
