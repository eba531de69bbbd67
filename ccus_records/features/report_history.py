"""The report's headline figures at every commit of the first-parent line: `report --history` / `--since`.

No checkout: the records folders are mirrored into a private temporary folder from git's objects, and from
one commit to the next only the files that changed are written (blobs read once each, by id, with
`git cat-file --batch`). The report then runs on the mirror with the lint cache, whose per-file results are
keyed by content, so a commit costs the rules of the records it changed plus one pass that counts the
corpus (coverage, verified share) and the cross-record rules. Each commit is judged on its own date (the
committer date), unless `--today` says otherwise; the configuration in force now is used for every commit.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ccus_records.engine import git
from ccus_records.engine.config import Config
from ccus_records.errors import CcusRecordsError
from ccus_records.features.diff_git import (
    check_revision_text,
    parse_revision_range,
    read_blobs,
    repository_root,
    resolve_commit,
    run_git,
    tree_entries,
)
from ccus_records.features.report import build_report
from ccus_records.schema.dates import parse_iso_date

SEVERITIES = ("error", "warning", "info")
# Whatever the repository's configuration says: no colour, no signature checks (gpg), no diff drivers.
_LOG_OPTIONS = ("--no-color", "--no-show-signature", *git.NO_DRIVERS, "--encoding=UTF-8")


class HistoryRangeError(CcusRecordsError):
    """The commits asked for cannot be walked: a bad range or date, or none in it (exit 2)."""


@dataclass(frozen=True)
class HistoryPoint:
    commit: str
    date: str  # committer date, ISO 8601
    subject: str
    records: int
    coverage: float | None  # percent
    human_verified: float | None  # percent
    findings: dict[str, int]  # per severity
    changed: int  # record files written or removed since the previous point


@dataclass(frozen=True)
class HistorySeries:
    points: tuple[HistoryPoint, ...]
    range: str


def _commits(history: str | None, since: str | None, cwd: Path) -> list[tuple[str, str, str]]:
    """(commit, committer date, subject) on the first-parent line, oldest first."""
    tip = "HEAD"
    exclude: list[str] = []
    if history is not None:
        check_revision_text(history)
        wanted = parse_revision_range(history)
        if wanted.new is None:
            tip = resolve_commit(wanted.old, cwd)
        else:
            tip = resolve_commit(wanted.new, cwd)
            old = resolve_commit(wanted.old, cwd)
            if wanted.symmetric:
                old = run_git(["merge-base", old, tip], cwd).decode("ascii").strip()
            exclude = [f"^{old}"]
    else:
        tip = resolve_commit("HEAD", cwd)
    limits: list[str] = []
    if since is not None:
        try:
            day = parse_iso_date(since)
        except ValueError:
            raise HistoryRangeError(f"--since {since!r}: not a date YYYY-MM-DD") from None
        limits.append(f"--since={day.isoformat()}T00:00:00")
    output = run_git(
        ["log", "--first-parent", "--reverse", *_LOG_OPTIONS, "--format=%H%x1f%cI%x1f%s%x1e", *limits, tip, *exclude],
        cwd,
    )
    found: list[tuple[str, str, str]] = []
    for chunk in output.decode("utf-8", "replace").split("\x1e"):
        parts = chunk.strip("\n").split("\x1f")
        if len(parts) == 3:
            found.append((parts[0], parts[1], parts[2]))
    if not found:
        asked = f"since {since}" if since else (history or "HEAD")
        raise HistoryRangeError(f"no commits on the first-parent line {asked}")
    return found


def history_series(
    config: Config,
    cwd: Path,
    history: str | None = None,
    since: str | None = None,
    every: int = 1,
    today: dt.date | None = None,
) -> HistorySeries:
    """The headline figures at each commit (every `every`-th, and always the last), oldest first."""
    if every < 1:
        raise HistoryRangeError("--every: must be 1 or more")
    root = repository_root(cwd).resolve()
    commits = _commits(history, since, cwd)
    chosen = [item for index, item in enumerate(commits) if index % every == 0 or index == len(commits) - 1]
    scopes: list[str] = []
    for folder in config.records:
        try:
            scopes.append(Path(os.path.abspath(folder)).resolve().relative_to(root).as_posix())
        except ValueError:
            raise HistoryRangeError(f"{folder}: the records folder is outside the git repository at {root}") from None
    try:
        config_root = config.root.resolve().relative_to(root)
    except ValueError:
        raise HistoryRangeError(f"{config.root}: the project is outside the git repository at {root}") from None
    points: list[HistoryPoint] = []
    with tempfile.TemporaryDirectory(prefix="ccus-records-history-") as temporary:
        mirror = Path(temporary)
        for scope in scopes:
            (mirror / scope).mkdir(parents=True, exist_ok=True)
        mirrored = dataclasses.replace(config, root=mirror / config_root)
        current: dict[str, str] = {}  # repository path -> blob id on the mirror
        for commit, date, subject in chosen:
            entries = {entry.path: entry.blob for entry in tree_entries(commit, root, scopes)}
            changed = [path for path, blob in entries.items() if current.get(path) != blob]
            removed = [path for path in current if path not in entries]
            contents = read_blobs([entries[path] for path in changed], root)
            for path in removed:
                (mirror / path).unlink()
            for path in changed:
                target = mirror / path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(contents[entries[path]])
            current = entries
            day = today or dt.date.fromisoformat(date[:10])
            report = build_report(mirrored, [], day, mirrored.root)
            severities: Counter[str] = Counter()
            for rule in report.lint_rules:
                severities[rule.severity] += rule.findings
            points.append(
                HistoryPoint(
                    commit,
                    date,
                    subject,
                    len(report.records),
                    report.coverage.percent,
                    report.human_verified.percent,
                    {name: severities.get(name, 0) for name in SEVERITIES},
                    len(changed) + len(removed),
                )
            )
    return HistorySeries(tuple(points), history or (f"since {since}" if since else "HEAD"))
