"""Run every performance target and print each as a measured ratio against its bound.

    python -m benchmarks.run [--records 10000] [--big] [--smoke] [--keep DIR]

Each target is a ratio against a reference measured in the same invocation on the same machine, because
these machines are shared and noisy. Times are the best of `--repeat` runs (5: with 3, a burst of load
from a neighbour often slowed every run of one side of a ratio). Exits 1 if a target is missed
(with `--smoke`, 500 records and no 100k run, it only proves the script works and never fails on a ratio).

Targets:
  cold        lint N records, all rules, no cache      <= 0.5  x check-jsonschema over their front matter
  warm        lint N records, nothing changed           <= 0.15 x the same reference
  pre-commit  lint 5 changed files of N, warm           <= 1.0  x check-jsonschema on those 5 files
  findings    N records where every field has a finding <= 2.0  x N clean records
  linear      lint and report --format json of 10 N    <= 12   x their time on N; peak memory < 400 MB
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from benchmarks.generate import generate_corpus

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "schema" / "record.schema.json"
TODAY = "2026-12-01"


def tool(*args: str) -> list[str]:
    """The command as users run it: the console script pip installed (pre-commit runs that too)."""
    script = Path(sys.executable).parent / "ccus-records"
    if script.exists():
        return [str(script), *args]
    return [sys.executable, "-m", "ccus_records", *args]


def compile_package() -> None:
    """Byte-compile the package, as pip does when it installs one.

    An editable install (CI's) has no bytecode, and with PYTHONDONTWRITEBYTECODE set none is written, so
    every run would compile the whole package afresh: about 60 ms that no installed copy pays, and a quarter
    of a hook run. check-jsonschema, the reference, is installed with its bytecode.
    """
    import compileall

    compileall.compile_dir(ROOT / "ccus_records", quiet=1)


def _tree_memory(pid: int) -> int:
    """Proportional set size of a process and all its descendants, in bytes (Linux /proc).

    PSS, not RSS: forked workers share the parent's pages, and RSS would count those once per process.
    """
    total = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            with open(f"/proc/{current}/smaps_rollup") as rollup:
                for line in rollup:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1]) * 1024
                        break
            with open(f"/proc/{current}/task/{current}/children") as children:
                pending.extend(int(child) for child in children.read().split())
        except (OSError, ValueError):
            continue
    return total


def run(
    command: list[str], cwd: Path, ok_codes: tuple[int, ...] = (0, 1), sample_memory: bool = False
) -> tuple[float, int]:
    """Wall time of one command, and with `sample_memory` its peak memory (PSS of the whole process tree).

    Memory is sampled only when asked for, in runs that are not timed: reading smaps_rollup of every
    process fifty times a second takes the kernel's lock on each one's memory map, and slowed a timed
    lint (three processes) by about a tenth, more than the single-process reference.
    """
    peak = 0
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_memory(process.pid))
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    if sample_memory:
        sampler.start()
    _, stderr = process.communicate()
    elapsed = time.perf_counter() - started
    done.set()
    if sample_memory:
        sampler.join()
    if process.returncode not in ok_codes:
        raise SystemExit(f"{' '.join(command)} exited {process.returncode}: {stderr.decode()[-2000:]}")
    return elapsed, peak


def best(command: list[str], cwd: Path, repeat: int, before: object = None) -> float:
    """The best wall time of `repeat` runs (no memory sampling)."""
    times = []
    for _ in range(repeat):
        if callable(before):
            before()
        times.append(run(command, cwd)[0])
    return min(times)


def side_by_side(
    first: tuple[list[str], Path], second: tuple[list[str], Path], repeat: int, before_second: object = None
) -> tuple[float, float]:
    """The best times of two commands run in turn, so that the machine speeding up or slowing down between
    them (it is shared) weighs on both alike."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        times[0].append(run(*first)[0])
        if callable(before_second):
            before_second()
        times[1].append(run(*second)[0])
    return min(times[0]), min(times[1])


def peak_memory(command: list[str], cwd: Path) -> int:
    return run(command, cwd, sample_memory=True)[1]


def extract_front_matter(corpus: Path, into: Path) -> list[Path]:
    """The front matter of every record as a JSON file, for check-jsonschema."""
    from ccus_records.recordfile.reader import read_record_file

    into.mkdir(parents=True, exist_ok=True)
    written = []
    for path in sorted(corpus.glob("*.md")):
        data = read_record_file(path, path.name).data
        target = into / f"{path.stem}.json"
        target.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        written.append(target)
    return written


def make_project(folder: Path, count: int, **kinds: bool) -> Path:
    generate_corpus(folder / "records", count, **kinds)
    (folder / "ccus-records.toml").write_text('records = ["records"]\n', encoding="utf-8")
    return folder


def clear_cache(project: Path) -> None:
    shutil.rmtree(project / ".ccus-records-cache", ignore_errors=True)


class Report:
    def __init__(self) -> None:
        self.rows: list[tuple[str, str, float, float, bool]] = []

    def ratio(self, name: str, detail: str, measured: float, bound: float) -> None:
        self.rows.append((name, detail, measured, bound, measured <= bound))
        mark = "ok  " if measured <= bound else "MISS"
        print(f"{mark} {name:<11} {measured:7.3f} (bound {bound:g})  {detail}", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--big", action="store_true", help="also run the 10 x N (100,000-record) target")
    parser.add_argument("--smoke", action="store_true", help="500 records, no big run, never fail on a ratio")
    parser.add_argument("--keep", type=Path, help="build the corpora here and keep them")
    arguments = parser.parse_args()
    count = 500 if arguments.smoke else arguments.records
    repeat = 1 if arguments.smoke else arguments.repeat
    beside = Path(sys.executable).parent / "check-jsonschema"
    checker = str(beside) if beside.exists() else shutil.which("check-jsonschema") or str(beside)
    if not Path(checker).exists():
        print("check-jsonschema is not installed: pip install -e '.[bench]'", file=sys.stderr)
        return 2
    compile_package()
    base = arguments.keep or Path(tempfile.mkdtemp(prefix="ccus-bench-"))
    report = Report()
    print(f"{count:,} records, best of {repeat}, on {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    try:
        project = make_project(base / "mixed", count)
        records = project / "records"
        front = extract_front_matter(records, base / "front-matter")
        lint = tool("lint", "--today", TODAY)
        reference, cold = side_by_side(
            ([checker, "--schemafile", str(SCHEMA), *map(str, front)], base), ([*lint, "--no-cache"], project), repeat
        )
        print(f"     reference   check-jsonschema over {count:,} front matters: {reference:.3f} s")
        cold_peak = peak_memory([*lint, "--no-cache"], project)
        report.ratio("cold", f"lint --no-cache {cold:.3f} s (peak {cold_peak / 2**20:.0f} MB)", cold / reference, 0.5)

        run(lint, project)  # fill the cache
        warm = best(lint, project, repeat)
        report.ratio("warm", f"lint, cache warm {warm:.3f} s", warm / reference, 0.15)

        changed = sorted(records.glob("*.md"))[:5]

        def touch_five() -> None:
            for path in changed:
                text = path.read_text(encoding="utf-8")
                path.write_text(
                    text.replace("\n---\n\n", "\n---\n\nEdited. ", 1)
                    if "Edited. " not in text
                    else text.replace("Edited. ", "", 1),
                    encoding="utf-8",
                )

        run(lint, project)
        five_reference, five = side_by_side(
            ([checker, "--schemafile", str(SCHEMA), *map(str, front[:5])], base),
            ([*lint, *map(str, changed)], project),
            repeat,
            before_second=touch_five,
        )
        report.ratio(
            "pre-commit",
            f"lint of 5 changed files {five:.3f} s vs check-jsonschema on 5 {five_reference:.3f} s",
            five / five_reference,
            1.0,
        )

        clean_project = make_project(base / "clean", count, clean=True)
        wrong_project = make_project(base / "wrong", count, everything_wrong=True)
        clean_time, wrong_time = side_by_side(
            ([*lint, "--no-cache"], clean_project), ([*lint, "--no-cache"], wrong_project), repeat
        )
        report.ratio(
            "findings",
            f"every field wrong {wrong_time:.3f} s vs clean {clean_time:.3f} s",
            wrong_time / clean_time,
            2.0,
        )

        if arguments.big and not arguments.smoke:
            big = make_project(base / "big", count * 10)
            report_command = tool("report", "--today", TODAY, "--format", "json")
            small_lint = best([*lint, "--no-cache"], project, 1)
            big_lint = best([*lint, "--no-cache"], big, 1)
            big_lint_peak = peak_memory([*lint, "--no-cache"], big)
            report.ratio(
                "linear",
                f"lint of {count * 10:,}: {big_lint:.2f} s, {count:,}: {small_lint:.2f} s",
                big_lint / small_lint,
                12.0,
            )
            report.ratio(
                "memory", f"lint of {count * 10:,}: peak {big_lint_peak / 2**20:.0f} MB", big_lint_peak / 2**20, 400
            )
            small_report = best(report_command, project, 1)
            big_report = best(report_command, big, 1)
            big_report_peak = peak_memory(report_command, big)
            report.ratio(
                "linear",
                f"report --format json of {count * 10:,}: {big_report:.2f} s, {count:,}: {small_report:.2f} s",
                big_report / small_report,
                12.0,
            )
            report.ratio(
                "memory",
                f"report of {count * 10:,}: peak {big_report_peak / 2**20:.0f} MB",
                big_report_peak / 2**20,
                400,
            )
    finally:
        if arguments.keep is None:
            shutil.rmtree(base, ignore_errors=True)
    missed = [row for row in report.rows if not row[4]]
    print(f"{len(report.rows) - len(missed)} of {len(report.rows)} targets met")
    if arguments.smoke:
        print("smoke run: the targets are judged at 10,000 records; this run proves the script works")
        return 0
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
