"""`report --history` counted commit by commit equals a full `report` of every commit.

A scripted history in a real git repository exercises what the incremental count must get right: records
added, edited, renamed, removed, broken and repaired; a duplicate id, a reference to a record not yet
written, one-sided supersession and a cycle (the cross-record rules); dates that move a record's verdict
with no change to it (an audit that falls due, a publication date that arrives, a new year that makes a
reported year an anachronism); per-file ignores and a changed severity; a file that is no UTF-8 and one
above the size limit; a merge. Each commit's figures are compared with `build_report` run on that commit's
files, extracted into a folder of their own.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import os
import shutil
import subprocess
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ccus_records.engine import git as engine_git
from ccus_records.engine import lint as engine_lint
from ccus_records.engine.config import load_config
from ccus_records.features.diff_git import tree_changes
from ccus_records.features.report import build_report
from ccus_records.features.report_history import SEVERITIES, HistoryPoint, history_series
from tests.helpers import clean_record, isolate_git, record_text
from tests.test_history import Repo, run

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

BY = ("country", "reviewStatus")
CONFIG = """records = ["records", "more"]
severity = { A006 = "error" }
per-file-ignores = { "more/*" = ["I002", "C"] }
max-file-bytes = 20000
"""


def put(folder: Path, relative: str, data: dict[str, Any], body: str | None = None) -> None:
    target = folder / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(record_text(data) if body is None else record_text(data, body), encoding="utf-8")


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Repo]:
    folder = tmp_path_factory.mktemp("incremental")
    with pytest.MonkeyPatch.context() as patch:
        isolate_git(patch, folder.parent / f"{folder.name}-home")
        patch.chdir(folder)
        built = Repo(folder)
        built.git("init", "-q", "-b", "main")
        (folder / "ccus-records.toml").write_text(CONFIG, encoding="utf-8")
        (folder / "README.md").write_text("Records.\n", encoding="utf-8")
        alpha = clean_record("us-alpha-2020", **{"provenance.lastAuditDate": "2025-05-01"})
        beta = clean_record("us-beta-2025", pubDate="2025-09-01", year=2025, reviewStatus="pending")
        beta["provenance"]["lastAuditDate"] = ""
        gamma = clean_record(
            "us-gamma-2024", pubDate="2024-03-01", year=2024, description="In 2026 the rule was amended."
        )
        delta = clean_record("us-delta-2020", **{"provenance.lastAuditDate": "2025-07-01"})
        epsilon = clean_record("us-epsilon-2020", country="China", **{"provenance.lastAuditDate": "2025-05-02"})
        epsilon["provenance"]["reviewer"] = ""
        put(folder, "records/us-alpha-2020.md", alpha)
        put(folder, "records/us-beta-2025.md", beta)
        put(folder, "records/us-gamma-2024.md", gamma)
        put(folder, "records/us-delta-2020.md", delta)
        put(folder, "more/us-epsilon-2020.md", epsilon)
        built.commit("Add the records", day="2025-06-01")
        alpha["analysis"]["mrv"]["score"] = 80
        put(folder, "records/us-alpha-2020.md", alpha)
        built.commit("Raise alpha's score", day="2025-07-15")  # delta's audit date has come
        put(folder, "more/us-alpha-copy.md", alpha)
        built.commit("Copy alpha", day="2025-09-10")  # a duplicate id; beta's publication has come
        beta["evolution"]["supersededBy"] = "us-zeta-2026"
        beta["status"] = "Superseded"
        put(folder, "records/us-beta-2025.md", beta)
        built.commit("Beta superseded by a record not written yet", day="2025-12-31")
        zeta = clean_record("us-zeta-2026", pubDate="2026-01-01", year=2026, **{"evolution.supersedes": []})
        zeta["evolution"]["supersedes"] = ["us-beta-2025"]
        zeta["provenance"]["lastAuditDate"] = "2026-01-01"
        put(folder, "records/us-zeta-2026.md", zeta)
        built.commit("Add zeta", day="2026-01-02")  # a new year: gamma's 2026 is reported after its time
        zeta["evolution"]["supersededBy"] = "us-beta-2025"
        put(folder, "records/us-zeta-2026.md", zeta)
        built.commit("Zeta superseded by beta", day="2026-02-01")  # a cycle
        broken = folder / "records/us-alpha-2020.md"
        good = broken.read_text(encoding="utf-8")
        broken.write_text(good.replace('"id": "us-alpha-2020",', '"id": "us-alpha-2020",,'), encoding="utf-8")
        built.commit("Break alpha", day="2026-03-01")
        built.git("mv", "more/us-alpha-copy.md", "more/us-alpha-2020.md")
        (folder / "records/us-delta-2020.md").unlink()
        built.commit("Rename the copy, drop delta", day="2026-04-01")
        (folder / "README.md").write_text("Records of CCUS policy.\n", encoding="utf-8")
        built.commit("Edit the readme", day="2026-05-03")  # no record changes; epsilon's audit falls due
        latin = record_text(clean_record("us-latin-2020", title="Loi sur le stockage géologique"))
        (folder / "records/us-latin-2020.md").write_bytes(latin.encode("latin-1"))
        put(folder, "records/us-big-2020.md", clean_record("us-big-2020"), "Long. " * 4000)
        built.commit("Add two odd files", day="2026-06-01")
        built.git("checkout", "-q", "-b", "side")
        gamma["title"] = "Gamma (amended)"
        put(folder, "records/us-gamma-2024.md", gamma)
        built.commit("Retitle gamma", day="2026-06-15")
        side = built.commits.pop()
        built.git("checkout", "-q", "main")
        broken.write_text(good, encoding="utf-8")
        (folder / "records/us-latin-2020.md").write_text(latin, encoding="utf-8")
        put(folder, "records/us-big-2020.md", clean_record("us-big-2020"))
        built.commit("Repair the files", day="2026-07-01")
        built.git("merge", "-q", "--no-ff", "-m", "Merge the retitling", side, day="2026-07-02")
        built.commits.append(built.git("rev-parse", "HEAD").strip())
        yield built


def full_report(repo: Repo, commit: str, day: dt.date, into: Path) -> dict[str, Any]:
    """The figures of `report` run on the commit's own files, extracted from git."""
    archive = subprocess.run(["git", "archive", commit], cwd=repo.folder, capture_output=True, check=True).stdout
    tree = into / commit
    with tarfile.open(fileobj=io.BytesIO(archive)) as bundle:
        bundle.extractall(tree, filter="data")
    report = build_report(load_config(tree), [], day, tree, BY)
    return {
        "records": len(report.records),
        "coverage": report.coverage,
        "human_verified": report.human_verified,
        "findings": {name: sum(r.findings for r in report.lint_rules if r.severity == name) for name in SEVERITIES},
        "groups": {name: {value: stats.coverage for value, stats in report.groups[name].items()} for name in BY},
    }


def figures(point: HistoryPoint) -> dict[str, Any]:
    return {
        "records": point.records,
        "coverage": point.coverage,
        "human_verified": point.human_verified,
        "findings": point.findings,
        "groups": point.groups,
    }


def test_every_commit_counts_as_a_full_report_of_it(repo: Repo, tmp_path: Path) -> None:
    series = history_series(load_config(repo.folder), repo.folder, "HEAD", by=BY)
    assert [point.commit for point in series.points] == repo.commits
    for point in series.points:
        day = dt.date.fromisoformat(point.date[:10])
        assert figures(point) == full_report(repo, point.commit, day, tmp_path), point.subject
    # The history is not flat: each kind of event moved a figure.
    errors = [point.findings["error"] for point in series.points]
    assert len(set(errors)) > 4
    assert [point.records for point in series.points] == [5, 5, 6, 6, 7, 7, 7, 6, 6, 8, 8, 8]


def test_a_fixed_day_and_every_other_commit_count_as_full_reports(repo: Repo, tmp_path: Path) -> None:
    day = dt.date(2026, 12, 1)
    series = history_series(load_config(repo.folder), repo.folder, "HEAD", every=2, today=day, by=BY)
    assert [point.commit for point in series.points] == repo.commits[::2] + repo.commits[-1:]
    for point in series.points:
        assert figures(point) == full_report(repo, point.commit, day, tmp_path), point.subject


def test_the_first_commit_checked_in_worker_processes_counts_the_same(
    repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    alone = history_series(load_config(repo.folder), repo.folder, "HEAD~3..HEAD", by=BY)
    monkeypatch.setattr(engine_lint, "POOL_THRESHOLD", 2)
    pooled = history_series(load_config(repo.folder), repo.folder, "HEAD~3..HEAD", by=BY)
    assert pooled == alone
    first = pooled.points[0]
    assert figures(first) == full_report(repo, first.commit, dt.date.fromisoformat(first.date[:10]), tmp_path)


def test_changed_files_are_counted_between_the_commits_shown(repo: Repo) -> None:
    points = history_series(load_config(repo.folder), repo.folder, "HEAD").points
    assert [point.changed for point in points] == [5, 1, 1, 1, 1, 1, 1, 3, 0, 2, 3, 1]
    assert points[8].subject == "Edit the readme"


def test_the_cli_series_has_the_groups_asked_for(repo: Repo) -> None:
    result = run("report", "--history", "HEAD~1..HEAD", "--by", "reviewStatus", "--format", "json")
    assert result.exit_code == 0, result.output
    (point,) = json.loads(result.stdout)["commits"]
    assert set(point["groups"]) == {"reviewStatus"}
    report = json.loads(run("report", "--format", "json", "--today", point["date"][:10]).stdout)["groupCoverage"]
    expected = {key.split(":", 1)[1]: share["percent"] for key, share in report.items() if key.startswith("reviewS")}
    assert point["groups"]["reviewStatus"] == expected
    assert sorted(expected) == ["pending", "verified"]
    plain = json.loads(run("report", "--history", "HEAD~1..HEAD", "--format", "json").stdout)
    assert "groups" not in plain["commits"][0]


def test_tree_changes_name_each_step_and_skip_what_is_no_record(repo: Repo) -> None:
    first, second, *_ = repo.commits
    readme = repo.commits[8]
    steps = tree_changes([(first, second), (repo.commits[7], readme)], repo.folder, ["records", "more"])
    assert [(change.path, change.blob is not None) for change in steps[second]] == [("records/us-alpha-2020.md", True)]
    assert steps[readme] == []  # README.md lies outside the records folders


def test_blob_reader_streams_and_refuses_what_is_not_a_blob(repo: Repo) -> None:
    listed = repo.git("ls-tree", repo.commits[0], "README.md").split()
    with engine_git.BlobReader(repo.folder) as reader:
        assert list(reader.read([listed[2], listed[2]])) == [(listed[2], 9, b"Records.\n")] * 2
        ((_, size, skipped),) = list(reader.read([listed[2]], max_bytes=3))
        assert skipped is None and size == 9
        tree = repo.git("rev-parse", f"{repo.commits[0]}^{{tree}}").strip()
        with pytest.raises(engine_git.GitFailure, match="cannot read blob"):
            list(reader.read([tree]))
    with engine_git.BlobReader(repo.folder) as reader:
        with pytest.raises(engine_git.GitFailure, match="not an object id"):
            list(reader.read(["HEAD:README.md"]))
        missing = "0" * 40
        with pytest.raises(engine_git.GitFailure, match=f"cannot read blob {missing}: {missing} missing"):
            list(reader.read([missing]))


def test_a_folder_outside_the_repository_is_an_error(repo: Repo, tmp_path: Path) -> None:
    from ccus_records.features.report_history import HistoryRangeError

    config = load_config(repo.folder)
    outside = dataclasses.replace(config, settings=dataclasses.replace(config.settings, records=(str(tmp_path),)))
    with pytest.raises(HistoryRangeError, match="outside the git repository"):
        history_series(outside, repo.folder, "HEAD")
    assert os.path.isdir(tmp_path)
