"""Time `blame`, `log` and `report --history` on a generated repository (not run by the tests).

    python benchmarks/bench_history.py [--records 1000] [--commits 100] [--per-commit 5] [--repeat 3] [--keep DIR]

Builds, in a temporary folder, a git repository of N generated records (benchmarks/generate.py, JSON only)
committed once, then C commits each changing the MRV score of a few records. Times, as the command line
runs them (a new process each, best of --repeat): `blame` and `log` of one of the most edited records, one
cold `report` (no lint cache), and `report --history HEAD` over every commit. The ratio that matters is
`report --history` against one cold `report`: the history costs the changed records at each commit plus one
counting pass, not C full reports. Results go to stdout and to benchmarks/out/bench_history.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.generate import generate_corpus  # noqa: E402

SCORE = re.compile(r'("mrv": \{[^}]*?"score": )(\d+)', re.S)


def git_env(day: int) -> dict[str, str]:
    stamp = f"@{1767225600 + day * 3600} +0000"
    return {
        **os.environ,
        "GIT_AUTHOR_NAME": "Bench",
        "GIT_AUTHOR_EMAIL": "bench@example.org",
        "GIT_COMMITTER_NAME": "Bench",
        "GIT_COMMITTER_EMAIL": "bench@example.org",
        "GIT_AUTHOR_DATE": stamp,
        "GIT_COMMITTER_DATE": stamp,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
    }


def git(repo: Path, *arguments: str, day: int = 0) -> None:
    subprocess.run(["git", *arguments], cwd=repo, env=git_env(day), check=True, capture_output=True)


def build(repo: Path, records: int, commits: int, per_commit: int, seed: int) -> str:
    """The repository; returns the id of the record changed most often."""
    repo.mkdir(parents=True, exist_ok=True)
    git(repo, "init", "-q", "-b", "main")
    (repo / "ccus-records.toml").write_text('records = ["records"]\n', encoding="utf-8")
    (repo / ".gitignore").write_text(".ccus-records-cache/\n", encoding="utf-8")
    paths = generate_corpus(repo / "records", records, yaml_share=0.0, seed=seed)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Add the records")
    rng = random.Random(seed)
    touched: dict[Path, int] = {}
    favourite = paths[0]
    for number in range(1, commits + 1):
        chosen = rng.sample(paths, per_commit)
        if number % 3 == 0:
            chosen[0] = favourite
        for path in chosen:
            text = path.read_text(encoding="utf-8")
            text, done = SCORE.subn(lambda match: f"{match.group(1)}{(int(match.group(2)) + 7) % 101}", text, count=1)
            if not done:
                text = text.replace("\n---\n", "\n---\n\nEdited.\n", 1)
            path.write_text(text, encoding="utf-8")
            touched[path] = touched.get(path, 0) + 1
        git(repo, "commit", "-q", "-am", f"Edit {per_commit} records ({number})", day=number)
    most = max(touched, key=lambda path: touched[path])
    return json.loads(most.read_text(encoding="utf-8").split("\n---\n", 1)[0].removeprefix("---\n"))["id"]


def timed(repo: Path, arguments: list[str], repeat: int, before: Any = None) -> float:
    best = float("inf")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    for _ in range(repeat):
        if before is not None:
            before()
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "ccus_records", *arguments], cwd=repo, env=env, capture_output=True, check=False
        )
        elapsed = time.perf_counter() - start
        if done.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(arguments)}: exit {done.returncode}: {done.stderr.decode()}")
        best = min(best, elapsed)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=1000)
    parser.add_argument("--commits", type=int, default=100)
    parser.add_argument("--per-commit", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", type=Path)
    arguments = parser.parse_args()
    base = arguments.keep or Path(tempfile.mkdtemp(prefix="bench-history-"))
    try:
        repo = base / "repo"
        started = time.perf_counter()
        record = build(repo, arguments.records, arguments.commits, arguments.per_commit, arguments.seed)
        built = time.perf_counter() - started

        def cold() -> None:
            shutil.rmtree(repo / ".ccus-records-cache", ignore_errors=True)

        figures = {
            "records": arguments.records,
            "commits": arguments.commits + 1,
            "per_commit": arguments.per_commit,
            "build_seconds": round(built, 2),
            "blame_seconds": round(timed(repo, ["blame", record], arguments.repeat), 3),
            "log_seconds": round(timed(repo, ["log", record, "--format", "json"], arguments.repeat), 3),
            "cold_report_seconds": round(timed(repo, ["report", "--format", "json"], arguments.repeat, cold), 3),
            "report_history_seconds": round(
                timed(repo, ["report", "--history", "HEAD", "--format", "json"], arguments.repeat), 3
            ),
        }
        figures["history_over_cold_report"] = round(
            figures["report_history_seconds"] / figures["cold_report_seconds"], 1
        )
        for key, value in figures.items():
            print(f"{key:>26}: {value}")
        out = ROOT / "benchmarks" / "out"
        out.mkdir(exist_ok=True)
        (out / "bench_history.json").write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    finally:
        if arguments.keep is None:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
