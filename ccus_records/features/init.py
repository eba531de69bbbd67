"""Setting a project up: find where its records are, and what to write so that every command finds them."""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ccus_records.engine.config import CONFIG_FILE, project_top
from ccus_records.errors import CcusRecordsError
from ccus_records.recordfile.reader import read_record_file

# Folders never searched for records: tools' and environments' own.
_SKIPPED = frozenset({".git", ".venv", "venv", "node_modules", "__pycache__", "site", "build", "dist"})
# How many Markdown files are read while looking (a large repository is sampled, not read whole).
_MOST_FILES = 5000


class InitError(CcusRecordsError):
    """The project cannot be set up as asked."""


@dataclass(frozen=True)
class InitPlan:
    root: Path
    records: str  # the records folder, relative to the root (POSIX form)
    found: int  # record files found in it
    config_path: Path
    config_text: str
    exists: bool  # a configuration file is already there

    @property
    def precommit_snippet(self) -> str:
        return (
            "repos:\n"
            "  - repo: <the ccus-records git URL>\n"
            "    rev: <tag or commit>\n"
            "    hooks:\n"
            "      - id: ccus-records-lint\n"
            "      - id: ccus-records-corpus\n"
            "      - id: ccus-records-fmt\n"
        )

    @property
    def diff_driver_lines(self) -> tuple[str, ...]:
        return (
            f"echo '{self.records}/*.md diff=ccus-records' >> .gitattributes",
            'git config diff.ccus-records.textconv "ccus-records diff --textconv"',
        )


def find_records_folder(root: Path) -> tuple[str, int] | None:
    """The folder under `root` holding the most record files (Markdown files whose front matter parses to a
    record with an id), relative to `root`; None when there are none."""
    counts: Counter[str] = Counter()
    seen = 0
    for folder, names, files in os.walk(root):
        names[:] = sorted(name for name in names if name not in _SKIPPED and not name.startswith("."))
        for name in sorted(files):
            if not name.endswith(".md"):
                continue
            seen += 1
            if seen > _MOST_FILES:
                break
            path = Path(folder) / name
            try:
                file = read_record_file(path, name, 1 << 20)
            except OSError:
                continue
            if file.data is not None and file.record_id:
                counts[Path(folder).relative_to(root).as_posix()] += 1
    if not counts:
        return None
    folder, found = max(counts.items(), key=lambda item: (item[1], -len(item[0])))
    return folder, found


def plan_init(cwd: Path, records: str | None = None) -> InitPlan:
    """What `init` would write: the records folder (given, else found) and the configuration naming it."""
    root = project_top(Path(os.path.abspath(cwd))) or Path(os.path.abspath(cwd))
    if records is not None:
        folder = Path(os.path.abspath(cwd / records))
        if not folder.is_dir():
            raise InitError(f"--records: {records} is not a folder")
        try:
            relative = folder.relative_to(root).as_posix()
        except ValueError:
            raise InitError(f"--records: {records} lies outside the project ({root})") from None
        found = sum(1 for _ in folder.rglob("*.md"))
    else:
        detected = find_records_folder(root)
        if detected is None:
            raise InitError(
                f"no record files under {root}: make a folder for them (records/) and run "
                "`ccus-records init --records records`"
            )
        relative, found = detected
    relative = relative if relative != "" else "."
    config_path = root / CONFIG_FILE
    text = f'# ccus-records configuration: paths are relative to this file.\nrecords = ["{relative}"]\n'
    return InitPlan(root, relative, found, config_path, text, config_path.exists())


def write_init(plan: InitPlan, overwrite: bool) -> None:
    """Write the configuration; an existing one only when `overwrite` (the person said yes)."""
    if plan.exists and not overwrite:
        raise InitError(f"{plan.config_path} exists; nothing written (answer yes, or pass --force, to replace it)")
    from ccus_records.recordfile.writer import atomic_replace

    atomic_replace(plan.config_path, plan.config_text.encode("utf-8"), 0o644)
