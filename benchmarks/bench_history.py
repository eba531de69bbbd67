"""Time `blame`, `log` and `report --history` on a generated repository (not run by the tests).

    python benchmarks/bench_history.py [--records 10000] [--commits 200] [--per-commit 5] [--repeat 2] [--keep DIR]

Builds, in a temporary folder, a git repository of N generated records (benchmarks/generate.py, JSON only)
committed once, then C commits a day apart, each changing the MRV score of a few records, and packs it
(`git gc`, as a clone or a maintained repository is). Times, as the command line runs them (a new process
each, best of --repeat, wall clock and the CPU time of the process and its children): `blame` and `log` of
one of the most edited records, one cold `report` of the last commit (no lint cache), and `report --history
HEAD` over every commit. The ratio that matters is `report --history` against one cold `report`: a commit
costs the records it changed, not the corpus. Results go to stdout and to benchmarks/out/bench_history.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
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
    stamp = f"@{1767225600 + day * 86400} +0000"  # 2026-01-01, then a commit a day
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
    git(repo, "gc", "--quiet")
    most = max(touched, key=lambda path: touched[path])
    return json.loads(most.read_text(encoding="utf-8").split("\n---\n", 1)[0].removeprefix("---\n"))["id"]


def timed(repo: Path, arguments: list[str], repeat: int, before: Any = None) -> tuple[float, float]:
    """The best wall-clock time and the best CPU time (the process and its children) of `repeat` runs."""
    best, best_cpu = float("inf"), float("inf")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    for _ in range(repeat):
        if before is not None:
            before()
        used = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "ccus_records", *arguments], cwd=repo, env=env, capture_output=True, check=False
        )
        elapsed = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(arguments)}: exit {done.returncode}: {done.stderr.decode()}")
        best = min(best, elapsed)
        best_cpu = min(best_cpu, after.ru_utime + after.ru_stime - used.ru_utime - used.ru_stime)
    return round(best, 3), round(best_cpu, 3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--commits", type=int, default=200)
    parser.add_argument("--per-commit", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", type=Path)
    arguments = parser.parse_args()
    base = arguments.keep or Path(tempfile.mkdtemp(prefix="bench-history-"))
    try:
        repo = base / "repo"
        started = time.perf_counter()
        record = build(repo, arguments.records, arguments.commits, arguments.per_commit, arguments.seed)
        built = time.perf_counter() - started

        def forget_cache() -> None:
            shutil.rmtree(repo / ".ccus-records-cache", ignore_errors=True)

        blame = timed(repo, ["blame", record], arguments.repeat)
        log = timed(repo, ["log", record, "--format", "json"], arguments.repeat)
        # In turn, so that a burst of a neighbour's load weighs on both sides of the ratio alike.
        runs = [
            (
                timed(repo, ["report", "--format", "json"], 1, forget_cache),
                timed(repo, ["report", "--history", "HEAD", "--format", "json"], 1),
            )
            for _ in range(arguments.repeat)
        ]
        cold = (min(run[0][0] for run in runs), min(run[0][1] for run in runs))
        history = (min(run[1][0] for run in runs), min(run[1][1] for run in runs))
        figures: dict[str, Any] = {
            "records": arguments.records,
            "commits": arguments.commits + 1,
            "per_commit": arguments.per_commit,
            "build_seconds": round(built, 2),
            "blame_seconds": blame[0],
            "blame_cpu_seconds": blame[1],
            "log_seconds": log[0],
            "log_cpu_seconds": log[1],
            "cold_report_seconds": cold[0],
            "cold_report_cpu_seconds": cold[1],
            "report_history_seconds": history[0],
            "report_history_cpu_seconds": history[1],
            "history_over_cold_report": round(history[0] / cold[0], 2),
            "history_over_cold_report_cpu": round(history[1] / cold[1], 2),
        }
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
