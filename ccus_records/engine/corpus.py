"""Which files make up the corpus, and which of them a command reports on."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import ccus_records
from ccus_records.engine.config import Config

SKIPPED_FOLDERS = frozenset({".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__"})


class CorpusError(Exception):
    """A path given to a command does not exist or cannot be listed."""


def bundled_seeds() -> Path | None:
    """The corpus shipped with the tool: inside an installed package, or beside a source checkout."""
    package = Path(ccus_records.__file__).resolve().parent
    for candidate in (package / "bundled_seeds", package.parent / "seeds"):
        if candidate.is_dir():
            return candidate
    return None


def record_files(paths: Iterable[Path]) -> list[Path]:
    """Every record file under the paths: a file as given, a folder searched for `*.md`. Sorted, unique."""
    found: dict[Path, None] = {}
    for path in paths:
        if path.is_dir():
            for candidate in sorted(path.rglob("*.md")):
                relative = candidate.relative_to(path).parts[:-1]
                if any(part in SKIPPED_FOLDERS or part.startswith(".") for part in relative):
                    continue
                if candidate.is_file():
                    found.setdefault(candidate, None)
        elif path.exists():
            found.setdefault(path, None)
        else:
            raise CorpusError(f"{path}: no such file or folder")
    return list(found)


@dataclass(frozen=True)
class Corpus:
    """The files the corpus holds, and the subset a command reports on."""

    files: tuple[Path, ...]
    targets: frozenset[Path]

    def is_target(self, path: Path) -> bool:
        return path in self.targets


def resolve_corpus(config: Config, paths: Sequence[Path], cwd: Path) -> Corpus:
    """The union of the configured records and the given paths; targets are the given paths (or all)."""
    # abspath, not resolve: one spelling for each file without a system call per path.
    configured = [Path(os.path.abspath(path)) for path in config.records]
    given = [Path(os.path.abspath(cwd / path)) for path in paths]
    for path in given:
        if not path.exists():
            raise CorpusError(f"{path}: no such file or folder")
    if not configured and not given:
        seeds = bundled_seeds()
        configured = [seeds] if seeds is not None else []
    all_files = record_files([*configured, *given])
    targets = frozenset(record_files(given)) if given else frozenset(all_files)
    return Corpus(tuple(all_files), targets)
