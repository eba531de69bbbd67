"""Time the pre-commit hooks on a 2,000-record repository (not run by the tests).

    python benchmarks/bench_precommit.py [--records 2000] [--repeat 3] [--keep]

Builds, in a temporary folder:
  - a snapshot of this working tree as a git repository (the hook repository pre-commit clones);
  - a repository of N records made by copying the seeds with new ids, titles and a few changed fields
    (so that they carry the seeds' usual gaps), committed, with a baseline of their findings;
  - a pre-commit configuration naming the hook repository at its commit, outside the records repository.
Installs the hook environment once (timed apart: it downloads the dependencies), then times
`pre-commit run` for a commit touching 1 and 20 records, for every file (`--all-files`: pre-commit splits
the list over processes), the corpus hook, and `ccus-records lint` itself for comparison.
Results go to stdout and to benchmarks/out/bench_precommit.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ccus_records.recordfile.canonical import canonical_json, frame  # noqa: E402
from ccus_records.recordfile.reader import read_record_file  # noqa: E402

SKIP = {
    ".git",
    ".venv",
    "venv",
    "build",
    "dist",
    "__pycache__",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    ".hypothesis",
    ".ccus-records-cache",
}
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Bench",
    "GIT_AUTHOR_EMAIL": "bench@example.invalid",
    "GIT_COMMITTER_NAME": "Bench",
    "GIT_COMMITTER_EMAIL": "bench@example.invalid",
}


def environment(pre_commit_home: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("GIT_", "PRE_COMMIT"))}
    env.update(GIT_ENV, PRE_COMMIT_HOME=str(pre_commit_home), NO_COLOR="1")
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return env


def git(folder: Path, *arguments: str) -> str:
    return subprocess.run(
        ["git", *arguments], cwd=folder, check=True, capture_output=True, text=True, env={**os.environ, **GIT_ENV}
    ).stdout


def snapshot(target: Path) -> str:
    def ignore(folder: str, names: list[str]) -> set[str]:
        skipped = {name for name in names if name in SKIP or name.endswith(".egg-info")}
        return skipped | ({"out"} if Path(folder).name == "benchmarks" else set())

    shutil.copytree(ROOT, target, ignore=ignore)
    git(target, "init", "-q")
    git(target, "add", "-A")
    git(target, "commit", "-q", "-m", "snapshot")
    return git(target, "rev-parse", "HEAD").strip()


def synthetic_records(folder: Path, count: int, seed: int = 7) -> list[Path]:
    """Copies of the seeds with fresh ids and small changes: realistic text, the seeds' kinds of gaps."""
    rng = random.Random(seed)
    templates = []
    for path in sorted((ROOT / "seeds").glob("*.md")):
        record = read_record_file(path, path.name)
        if record.data is not None:
            templates.append((record.data, record.body))
    folder.mkdir(parents=True)
    paths = []
    for index in range(count):
        data, body = templates[index % len(templates)]
        data = json.loads(json.dumps(data))
        prefix = str(data["id"]).split("-", 1)[0]
        data["id"] = f"{prefix}-bench-{index:05d}"
        data["title"] = f"{data['title']} (copy {index})"
        data["evolution"] = {"clusters": [], "supersededBy": "", "supersedes": []}
        if rng.random() < 0.3:
            data["provenance"]["reviewer"] = "A. Reviewer"
        if rng.random() < 0.2:
            data["analysis"]["mrv"]["citation"] = ""
        path = folder / f"{data['id']}.md"
        path.write_text(frame(canonical_json(data), body), encoding="utf-8")
        paths.append(path)
    return paths


def timed(command: list[str], cwd: Path, env: dict[str, str], repeat: int) -> dict[str, Any]:
    runs = []
    returncode = 0
    for _ in range(repeat):
        start = time.perf_counter()
        completed = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
        runs.append(time.perf_counter() - start)
        returncode = completed.returncode
        if returncode not in (0, 1):
            raise SystemExit(f"{' '.join(command)} failed ({returncode}):\n{completed.stdout}\n{completed.stderr}")
    return {"median_s": round(statistics.median(runs), 3), "runs_s": [round(run, 3) for run in runs], "rc": returncode}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and print its path")
    arguments = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench-precommit-"))
    try:
        home = work / "pre-commit-home"
        env = environment(home)
        revision = snapshot(work / "hooks")
        repo = work / "records"
        paths = synthetic_records(repo / "seeds", arguments.records)
        (repo / "ccus-records.toml").write_text('baseline = "seeds.baseline.json"\n', encoding="utf-8")
        write = ["lint", "--ignore=A006,D002", "--write-baseline=seeds.baseline.json"]
        subprocess.run(
            [sys.executable, "-m", "ccus_records", *write],
            cwd=repo,
            env=env,
            check=True,
            capture_output=True,
        )
        git(repo, "init", "-q")
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", "records")
        config = work / "pre-commit-config.yaml"
        hooks = "".join(
            f"      - id: {hook}\n        args: [--ignore, 'A006,D002']\n"
            for hook in ("ccus-records-lint", "ccus-records-corpus")
        )
        config.write_text(f"repos:\n  - repo: {work / 'hooks'}\n    rev: {revision}\n    hooks:\n{hooks}")
        pre_commit = [sys.executable, "-m", "pre_commit"]

        start = time.perf_counter()
        subprocess.run([*pre_commit, "install-hooks", "--config", str(config)], cwd=repo, env=env, check=True)
        install = round(time.perf_counter() - start, 1)

        relative = [str(path.relative_to(repo)) for path in paths]
        run = [*pre_commit, "run", "--config", str(config)]
        results: dict[str, Any] = {
            "records": arguments.records,
            "cpus": os.cpu_count(),
            "python": sys.version.split()[0],
            "hook_environment_install_s": install,
            "ccus-records --version (start-up)": timed(
                [sys.executable, "-m", "ccus_records", "--version"], repo, env, arguments.repeat
            ),
            "ccus-records lint (whole corpus, no hook)": timed(
                [sys.executable, "-m", "ccus_records", "lint", "--ignore", "A006,D002"], repo, env, arguments.repeat
            ),
            "hook ccus-records-lint, 1 staged record": timed(
                [*run, "ccus-records-lint", "--files", relative[0]], repo, env, arguments.repeat
            ),
            "hook ccus-records-lint, 20 staged records": timed(
                [*run, "ccus-records-lint", "--files", *relative[:20]], repo, env, arguments.repeat
            ),
            f"hook ccus-records-lint, --all-files ({arguments.records})": timed(
                [*run, "ccus-records-lint", "--all-files"], repo, env, arguments.repeat
            ),
            "hook ccus-records-corpus (whole corpus once)": timed(
                [*run, "ccus-records-corpus", "--all-files"], repo, env, arguments.repeat
            ),
        }
        out = ROOT / "benchmarks" / "out"
        out.mkdir(parents=True, exist_ok=True)
        (out / "bench_precommit.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
        width = max(len(key) for key in results)
        for key, value in results.items():
            shown = f"{value['median_s']:.3f} s median (exit {value['rc']})" if isinstance(value, dict) else value
            print(f"{key:<{width}}  {shown}")
        if arguments.keep:
            print(f"kept: {work}")
    finally:
        if not arguments.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
