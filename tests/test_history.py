"""`log` and `blame` on a real git repository with a scripted history of one record.

The history (oldest first): B. Writer adds the record (pending, loosely formatted), raises its MRV score,
reformats it with `fmt`, renames the file, commits it with merge-conflict markers, repairs it; A. Curator
(the record's own author) verifies it; B. Writer retitles it after the last audit.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ccus_records.cli.app import app
from ccus_records.recordfile.canonical import frame
from tests.helpers import CLEAN_BODY, clean_record, isolate_git

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

RECORD = "us-example-act-2020"
WRITER = ("B. Writer", "writer@example.org")
CURATOR = ("A. Curator", "curator@example.org")  # the record's provenance.author
LAST_AUDIT = "2026-10-15"


def loose_text(data: dict[str, Any]) -> str:
    """The record as a person might type it: four-space indents, keys in their own order."""
    return frame(json.dumps(data, indent=4, ensure_ascii=False), CLEAN_BODY)


def conflicted(text: str) -> str:
    lines = text.splitlines(keepends=True)
    title = next(index for index, line in enumerate(lines) if '"title"' in line)
    return "".join(
        [
            *lines[:title],
            "<<<<<<< HEAD\n",
            lines[title],
            "=======\n",
            lines[title].replace("Example", "Other"),
            ">>>>>>> upstream\n",
            *lines[title + 1 :],
        ]
    )


class Repo:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.commits: list[str] = []  # oldest first

    def git(self, *arguments: str, who: tuple[str, str] = WRITER, day: str = "2026-01-01") -> str:
        stamp = f"{day}T09:00:00+00:00"
        env = {
            **os.environ,
            "GIT_AUTHOR_NAME": who[0],
            "GIT_AUTHOR_EMAIL": who[1],
            "GIT_AUTHOR_DATE": stamp,
            "GIT_COMMITTER_NAME": who[0],
            "GIT_COMMITTER_EMAIL": who[1],
            "GIT_COMMITTER_DATE": stamp,
        }
        done = subprocess.run(["git", *arguments], cwd=self.folder, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return done.stdout

    def commit(self, subject: str, who: tuple[str, str] = WRITER, day: str = "2026-01-01") -> None:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", subject, who=who, day=day)
        self.commits.append(self.git("rev-parse", "HEAD").strip())


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Repo]:
    folder = tmp_path_factory.mktemp("history")
    with pytest.MonkeyPatch.context() as patch:
        isolate_git(patch, folder.parent / f"{folder.name}-home")
        patch.chdir(folder)
        built = Repo(folder)
        built.git("init", "-q", "-b", "main")
        records = folder / "records"
        records.mkdir()
        first = records / f"{RECORD}.md"
        data = clean_record(RECORD, reviewStatus="pending", **{"provenance.lastAuditDate": LAST_AUDIT})
        first.write_text(loose_text(data), encoding="utf-8")
        built.commit("Add the record", day="2026-09-01")
        data["analysis"]["mrv"]["score"] = 75
        first.write_text(loose_text(data), encoding="utf-8")
        built.commit("Raise the MRV score", day="2026-09-15")
        formatted = CliRunner().invoke(app, ["fmt", str(first)], catch_exceptions=False)
        assert formatted.exit_code == 0, formatted.output
        built.commit("Format the record", day="2026-09-20")
        built.git("mv", str(first), "records/example-act.md")
        built.commit("Give the file a clearer name", day="2026-09-25")
        moved = records / "example-act.md"
        good = moved.read_text(encoding="utf-8")
        moved.write_text(conflicted(good), encoding="utf-8")
        built.commit("Merge upstream", day="2026-10-01")
        moved.write_text(good, encoding="utf-8")
        built.commit("Resolve the conflict", day="2026-10-02")
        verified = CliRunner().invoke(app, ["edit", RECORD, "--set", "reviewStatus=verified"], catch_exceptions=False)
        assert verified.exit_code == 0, verified.output
        built.commit("Verify the record", who=CURATOR, day="2026-10-10")
        retitled = CliRunner().invoke(app, ["edit", RECORD, "--set", "title=Example Storage Act (amended)"])
        assert retitled.exit_code == 0, retitled.output
        built.commit("Retitle the record", day="2026-11-05")
        yield built


def run(*arguments: str) -> Any:
    return CliRunner().invoke(app, list(arguments), catch_exceptions=False)


def log_json(*arguments: str) -> dict[str, Any]:
    result = run("log", *arguments, "--format", "json")
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.stdout))


def test_log_lists_every_commit_newest_first_with_its_field_changes(repo: Repo) -> None:
    document = log_json(RECORD)
    assert document["version"] == 1 and document["record"] == RECORD
    commits = document["commits"]
    assert [item["commit"] for item in commits] == repo.commits[::-1]
    summary = [(item["subject"], item["path"], item.get("unreadable") is not None) for item in commits]
    assert summary == [
        ("Retitle the record", "records/example-act.md", False),
        ("Verify the record", "records/example-act.md", False),
        ("Resolve the conflict", "records/example-act.md", False),
        ("Merge upstream", "records/example-act.md", True),
        ("Give the file a clearer name", "records/example-act.md", False),
        ("Format the record", f"records/{RECORD}.md", False),
        ("Raise the MRV score", f"records/{RECORD}.md", False),
        ("Add the record", f"records/{RECORD}.md", False),
    ]
    changes = [item["changes"] for item in commits]
    assert changes[0] == [
        {"field": "title", "op": "replace", "old": "Example Storage Act", "new": "Example Storage Act (amended)"}
    ]
    assert changes[1] == [{"field": "reviewStatus", "op": "replace", "old": "pending", "new": "verified"}]
    # Breaking and repairing, renaming and reformatting change no field.
    assert changes[2] == changes[3] == changes[4] == changes[5] == []
    assert changes[6] == [{"field": "analysis.mrv.score", "op": "replace", "old": 60, "new": 75}]
    created = {change["field"]: change for change in changes[7]}
    assert created["analysis.mrv.score"] == {"field": "analysis.mrv.score", "op": "add", "old": None, "new": 60}
    assert created["reviewStatus"]["new"] == "pending"
    assert created["body"]["op"] == "add"
    first = commits[-1]
    assert (first["author"], first["email"], first["date"]) == (
        "B. Writer",
        "writer@example.org",
        "2026-09-01T09:00:00+00:00",
    )
    assert commits[3]["unreadable"].startswith("S008: unresolved merge conflict: `<<<<<<<` at line ")


def test_log_text_shows_each_commit_and_its_changes(repo: Repo) -> None:
    result = run("log", RECORD)
    assert result.exit_code == 0, result.output
    short = [commit[:8] for commit in repo.commits[::-1]]
    writer = "B. Writer <writer@example.org>"
    assert result.stdout.splitlines() == [
        f"{short[0]} 2026-11-05 {writer}  Retitle the record  (records/example-act.md)",
        '  ~ title: "Example Storage Act" → "Example Storage Act (amended)"',
        f"{short[1]} 2026-10-10 A. Curator <curator@example.org>  Verify the record  (records/example-act.md)",
        '  ~ reviewStatus: "pending" → "verified"',
        f"{short[2]} 2026-10-02 {writer}  Resolve the conflict  (records/example-act.md)",
        "  no field changed",
        f"{short[3]} 2026-10-01 {writer}  Merge upstream  (records/example-act.md)",
        "  ! unreadable: S008: unresolved merge conflict: `<<<<<<<` at line 78; resolve it first",
        f"{short[4]} 2026-09-25 {writer}  Give the file a clearer name  (records/example-act.md)",
        "  no field changed",
        f"{short[5]} 2026-09-20 {writer}  Format the record  (records/{RECORD}.md)",
        "  no field changed",
        f"{short[6]} 2026-09-15 {writer}  Raise the MRV score  (records/{RECORD}.md)",
        "  ~ analysis.mrv.score: 60 → 75",
        f"{short[7]} 2026-09-01 {writer}  Add the record  (records/{RECORD}.md)",
        "  + created with 55 fields",
        f"{RECORD}: 8 commits",
    ]


def test_log_by_path_is_the_log_by_id(repo: Repo) -> None:
    assert log_json("records/example-act.md") == log_json(RECORD)


def test_log_field_keeps_the_commits_that_changed_those_fields(repo: Repo) -> None:
    commits = log_json(RECORD, "--field", "analysis.mrv.score", "--field", "reviewStatus")["commits"]
    assert [item["subject"] for item in commits] == ["Verify the record", "Raise the MRV score", "Add the record"]
    assert [change["field"] for change in commits[2]["changes"]] == ["analysis.mrv.score", "reviewStatus"]
    group = log_json(RECORD, "--field", "analysis.mrv")["commits"]
    assert [item["subject"] for item in group] == ["Raise the MRV score", "Add the record"]


def test_log_rev_limits_the_walk(repo: Repo) -> None:
    commits = log_json(RECORD, "--rev", f"{repo.commits[1]}..{repo.commits[3]}")["commits"]
    assert [item["subject"] for item in commits] == ["Give the file a clearer name", "Format the record"]
    # The range's first commit is compared with the version before it, not taken for a creation.
    assert commits[1]["changes"] == []
    older = log_json(RECORD, "--rev", repo.commits[1])["commits"]
    assert [item["subject"] for item in older] == ["Raise the MRV score", "Add the record"]


def test_log_unknown_field_is_an_error(repo: Repo) -> None:
    result = run("log", RECORD, "--field", "nonsense")
    assert result.exit_code == 2
    assert "--field 'nonsense': not a field" in result.stderr


@pytest.mark.parametrize(
    ("rev", "message"),
    [
        ("-x", "a revision cannot start with '-'"),
        ("--output=/tmp/x", "a revision cannot start with '-'"),
        ("no-such-branch", "not a commit in this repository"),
        ("main..no-such-branch", "not a commit in this repository"),
    ],
)
def test_log_and_blame_refuse_bad_revisions(repo: Repo, rev: str, message: str) -> None:
    for command in ("log", "blame"):
        result = run(command, RECORD, "--rev", rev)
        assert result.exit_code == 2, result.output
        assert message in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1


def test_record_never_committed_says_it_has_no_history(repo: Repo) -> None:
    extra = repo.folder / "records" / "us-new-2021.md"
    extra.write_text(loose_text(clean_record("us-new-2021")), encoding="utf-8")
    try:
        result = run("log", "us-new-2021")
    finally:
        extra.unlink()
    assert result.exit_code == 2
    assert "'us-new-2021': no history" in result.stderr


def test_unknown_record_is_an_error(repo: Repo) -> None:
    result = run("blame", "us-nothing-1999")
    assert result.exit_code == 2
    assert "us-nothing-1999" in result.stderr


def test_blame_names_the_last_commit_of_every_field_in_field_order(repo: Repo) -> None:
    result = run("blame", RECORD, "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["version"] == 1 and document["record"] == RECORD
    fields = {line["field"]: line for line in document["fields"]}
    names = [line["field"] for line in document["fields"]]
    assert names[0] == "analysis.incentive.auditNote" and names[-1] == "body"
    assert names.index("analysis.mrv.score") < names.index("reviewStatus") < names.index("title")
    add, score, verify, retitle = repo.commits[0], repo.commits[1], repo.commits[6], repo.commits[7]
    assert fields["analysis.mrv.score"]["commit"] == score
    assert fields["reviewStatus"]["commit"] == verify
    assert fields["title"]["commit"] == retitle
    assert fields["country"] == {
        "field": "country",
        "commit": add,
        "author": "B. Writer",
        "date": "2026-09-01T09:00:00+00:00",
        "subject": "Add the record",
        "since_audit": False,
    }
    # Changed after the last audit (2026-10-15): the title; verified by its own author: reviewStatus.
    assert sorted(name for name, line in fields.items() if line["since_audit"]) == ["reviewStatus", "title"]


def test_blame_text_marks_what_an_auditor_should_look_at(repo: Repo) -> None:
    result = run("blame", RECORD)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    title = next(line for line in lines if line.startswith("title "))
    assert title.split()[:2] == ["title", repo.commits[7][:8]]
    assert title.endswith("Retitle the record  * changed since the last audit")
    status = next(line for line in lines if line.startswith("reviewStatus "))
    assert status.endswith("Verify the record  * set to verified by the record's own author")
    assert lines[-1] == f"{RECORD}: 56 fields, last audit {LAST_AUDIT}; 2 marked as changed since the last audit"


def test_blame_at_an_older_revision_uses_that_version(repo: Repo) -> None:
    result = run("blame", RECORD, "--rev", repo.commits[2], "--format", "json")
    assert result.exit_code == 0, result.output
    fields = {line["field"]: line for line in json.loads(result.stdout)["fields"]}
    assert fields["reviewStatus"]["commit"] == repo.commits[0]
    assert fields["analysis.mrv.score"]["commit"] == repo.commits[1]
    assert not any(line["since_audit"] for line in fields.values())


def series(*arguments: str) -> list[dict[str, Any]]:
    result = run("report", *arguments, "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["version"] == 1
    return list(document["commits"])


def test_report_history_gives_the_headline_figures_at_every_commit(repo: Repo) -> None:
    points = series("--history", "HEAD")
    assert [point["commit"] for point in points] == repo.commits
    assert [point["records"] for point in points] == [1] * 8
    assert [point["human_verified"] for point in points] == [0.0] * 6 + [100.0] * 2
    assert [point["changed_files"] for point in points] == [1, 1, 1, 2, 1, 1, 1, 1]
    # Formatting and renaming change no figure; the conflicted commit holds no readable record.
    assert points[1]["coverage"] == points[2]["coverage"] == points[3]["coverage"] == points[5]["coverage"]
    assert points[4]["coverage"] == 0.0
    assert points[4]["findings"]["error"] >= 1
    assert set(points[0]["findings"]) == {"error", "warning", "info"}


def test_report_history_every_and_since_pick_commits(repo: Repo) -> None:
    every = series("--history", "HEAD", "--every", "3")
    assert [point["commit"] for point in every] == [repo.commits[i] for i in (0, 3, 6, 7)]
    since = series("--since", "2026-10-01")
    assert [point["subject"] for point in since] == [
        "Merge upstream",
        "Resolve the conflict",
        "Verify the record",
        "Retitle the record",
    ]
    ranged = series("--history", f"{repo.commits[5]}..HEAD")
    assert [point["commit"] for point in ranged] == repo.commits[6:]


def test_report_history_text_is_one_line_a_commit(repo: Repo) -> None:
    result = run("report", "--history", "HEAD", "--every", "4")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == [
        "commit", "date", "records", "coverage", "verified", "errors", "warnings", "info", "subject",
    ]  # fmt: skip
    assert [line.split()[0] for line in lines[1:]] == [repo.commits[i][:8] for i in (0, 4, 7)]
    assert lines[-1].endswith("Retitle the record")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("--history", "-x"), "a revision cannot start with '-'"),
        (("--history", "no-such-branch"), "not a commit in this repository"),
        (("--since", "2026-02-30"), "--since '2026-02-30': not a date YYYY-MM-DD"),
        (("--since", "yesterday"), "not a date YYYY-MM-DD"),
        (("--since", "2030-01-01"), "no commits on the first-parent line since 2030-01-01"),
        (("--history", "HEAD", "--show-missing"), "--history/--since: cannot be combined with --show-missing"),
        (("--history", "HEAD", "--every", "0"), "ccus-records: error: --every: 0 is not in the range x>=1"),
        (("--history", "HEAD", "--fail-under", "50"), "--history/--since: cannot be combined with --fail-under"),
    ],
)
def test_report_history_refuses_bad_ranges_and_dates(repo: Repo, arguments: tuple[str, ...], message: str) -> None:
    result = run("report", *arguments)
    assert result.exit_code == 2, result.output
    assert message in result.stderr


def test_report_history_markdown_is_a_table_of_one_row_a_commit(repo: Repo) -> None:
    result = run("report", "--history", "HEAD", "--format", "markdown", "--by", "reviewStatus")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "# CCUS records history, HEAD"
    header = lines.index("| commit | date | records | coverage | verified | errors | warnings | info | subject |")
    rows = lines[header + 2 : header + 2 + len(repo.commits)]
    assert [row.split(" | ")[0].removeprefix("| ") for row in rows] == [commit[:8] for commit in repo.commits]
    assert rows[-1].endswith("| Retitle the record |")
    assert rows[4].split(" | ")[3] == "0\\.0%"  # the conflicted commit: no readable record
    assert "**Coverage by review status**" in lines
    assert "each judged on its own date" in result.stdout
    fixed = run("report", "--history", "HEAD", "--format", "markdown", "--today", "2026-12-01")
    assert "8 commits of HEAD, oldest first; each judged on 2026\\-12\\-01\\." in fixed.stdout


def test_report_history_text_gives_a_coverage_table_per_grouping(repo: Repo) -> None:
    result = run("report", "--history", "HEAD", "--by", "reviewStatus")
    assert result.exit_code == 0, result.output
    headline, grouped = result.stdout.split("\n\n")
    assert len(headline.splitlines()) == 1 + len(repo.commits)
    lines = grouped.splitlines()
    assert lines[0] == "Coverage by review status"
    assert lines[1].split()[:2] == ["commit", "date"] and len(lines[1].split()) > 2
    assert [line.split()[0] for line in lines[2:]] == [commit[:8] for commit in repo.commits]
    # The conflicted commit has no readable record, so no group has a share there.
    assert set(lines[2 + 4].split()[2:]) <= {"-", "0.0%"}


def test_report_history_html_charts_one_point_a_commit(repo: Repo, tmp_path: Path) -> None:
    result = run("report", "--history", "HEAD", "--every", "2", "--output", str(tmp_path / "trend.html"))
    assert result.exit_code == 0, result.output
    page = (tmp_path / "trend.html").read_text(encoding="utf-8")
    shown = [repo.commits[index] for index in (0, 2, 4, 6, 7)]
    assert page.count('<circle class="point coverage"') == len(shown)
    assert [part.split('"')[0] for part in page.split('data-commit="')[1:]][: len(shown)] == shown
    # Nothing to run and nothing to fetch: no script, no address but the SVG namespace's.
    assert "<script" not in page and "src=" not in page and "href=" not in page
    assert page.count("://") == page.count('xmlns="http://www.w3.org/2000/svg"')


def test_log_by_id_follows_the_file_that_holds_it_not_the_file_named_after_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    isolate_git(monkeypatch, tmp_path / "home")
    folder = tmp_path / "repo"
    folder.mkdir()
    monkeypatch.chdir(folder)
    built = Repo(folder)
    built.git("init", "-q", "-b", "main")
    records = folder / "records"
    records.mkdir()
    (records / "us-a-2020.md").write_text(loose_text(clean_record("us-b-2020")), encoding="utf-8")
    (records / "other.md").write_text(loose_text(clean_record("us-a-2020")), encoding="utf-8")
    built.commit("Add two records")
    (records / "us-a-2020.md").write_text(loose_text(clean_record("us-b-2020", title="B")), encoding="utf-8")
    built.commit("Retitle the record in us-a-2020.md")
    (records / "other.md").write_text(loose_text(clean_record("us-a-2020", title="A")), encoding="utf-8")
    built.commit("Retitle us-a-2020")
    commits = log_json("us-a-2020")["commits"]
    assert [(item["subject"], item["path"]) for item in commits] == [
        ("Retitle us-a-2020", "records/other.md"),
        ("Add two records", "records/other.md"),
    ]
    named = log_json("us-b-2020")["commits"]
    assert [item["subject"] for item in named] == ["Retitle the record in us-a-2020.md", "Add two records"]
