"""The examples in README.md and docs/ are run, and their output must be what the page shows.

Every fenced block whose info string is `console` is an example. Its lines that start with `$ ` are
commands (a command ending in ` \\` goes on over the next line); the lines after a command, up to the
next one, are its expected output: stdout and stderr as a terminal shows them. A line `...` stands for
any number of lines. Trailing white space is ignored.

Each example runs in a fresh copy of the example corpus, tests/fixtures/examples/: a git repository with
one commit on `main`, holding `ccus-records.toml` (`records = ["records"]`) and a few records copied from
the seeds (one cut off mid-word, one in YAML). The commands run one after another in bash, in that
folder, with `ccus-records` and `python` on the PATH meaning this checkout; `$?` is the previous
command's exit status. Git's dates and names are fixed, so commit hashes are the same on every run.

An example that cannot be checked this way (it needs the network, an interactive terminal, or the
growing seed corpus) is marked by the line before its fence: `<!-- not checked: REASON -->`.

To see what a page's examples print now: `python -m tests.test_docs_examples docs/PAGE.md`.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "examples"
NOT_CHECKED = re.compile(r"^<!-- not checked: (?P<reason>\S.*?) -->$")
FENCE_OPEN = re.compile(r"^(?P<indent>\s*)```console\s*$")
FENCE_CLOSE = re.compile(r"^\s*```\s*$")
GIT_ENV = {
    "GIT_AUTHOR_NAME": "A. Curator",
    "GIT_AUTHOR_EMAIL": "curator@example.org",
    "GIT_AUTHOR_DATE": "2026-12-01T09:00:00+00:00",
    "GIT_COMMITTER_NAME": "A. Curator",
    "GIT_COMMITTER_EMAIL": "curator@example.org",
    "GIT_COMMITTER_DATE": "2026-12-01T09:00:00+00:00",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def documents() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


@dataclass
class Command:
    text: str
    expected: list[str] = field(default_factory=list)


@dataclass
class Example:
    path: Path
    line: int
    commands: list[Command]
    not_checked: str | None

    @property
    def name(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"


def examples_in(path: Path) -> list[Example]:
    lines = path.read_text(encoding="utf-8").splitlines()
    found: list[Example] = []
    index = 0
    while index < len(lines):
        opening = FENCE_OPEN.match(lines[index])
        if not opening:
            index += 1
            continue
        start = index
        previous = next((lines[i].strip() for i in range(start - 1, -1, -1) if lines[i].strip()), "")
        marker = NOT_CHECKED.match(previous)
        indent = len(opening["indent"])
        index += 1
        body: list[str] = []
        while index < len(lines) and not FENCE_CLOSE.match(lines[index]):
            body.append(lines[index][indent:])
            index += 1
        index += 1
        commands = parse_commands(body, f"{path.name}:{start + 1}")
        found.append(Example(path, start + 1, commands, marker["reason"] if marker else None))
    return found


def parse_commands(body: list[str], where: str) -> list[Command]:
    commands: list[Command] = []
    continued = False
    for line in body:
        if continued:
            commands[-1].text += "\n" + line
            continued = line.endswith("\\")
        elif line.startswith("$ "):
            commands.append(Command(line[2:]))
            continued = line.endswith("\\")
        elif commands:
            commands[-1].expected.append(line)
        elif line.strip():
            raise ValueError(f"{where}: output before the first `$ ` command: {line!r}")
    return commands


def all_examples() -> list[Example]:
    return [example for path in documents() for example in examples_in(path)]


def matches(expected: list[str], actual: list[str]) -> bool:
    """Whether `actual` is `expected`, where a line `...` in `expected` stands for any number of lines."""
    expected = [line.rstrip() for line in expected]
    actual = [line.rstrip() for line in actual]
    while expected and not expected[-1]:
        expected.pop()
    while actual and not actual[-1]:
        actual.pop()
    # reachable[j]: `actual[:j]` is matched by the expected lines seen so far.
    reachable = [True] + [False] * len(actual)
    for line in expected:
        if line == "...":
            for j in range(1, len(actual) + 1):
                reachable[j] = reachable[j] or reachable[j - 1]
        else:
            reachable = [False] + [reachable[j] and actual[j] == line for j in range(len(actual))]
    return reachable[-1]


class Workshop:
    """What every example shares: the example corpus committed on `main`, the launchers, a bytecode cache."""

    def __init__(self, base: Path) -> None:
        self.base = base
        bin_folder = base / "bin"
        bin_folder.mkdir()
        for name, command in (("ccus-records", "-m ccus_records "), ("python", "")):
            launcher = bin_folder / name
            launcher.write_text(f'#!/bin/sh\nexec "{sys.executable}" {command}"$@"\n', encoding="utf-8")
            launcher.chmod(0o755)
        keep = {key: value for key, value in os.environ.items() if key in {"PATH", "SYSTEMROOT"}}
        self.env = {
            **keep,
            **GIT_ENV,
            "PATH": f"{bin_folder}{os.pathsep}{keep.get('PATH', os.defpath)}",
            "PYTHONPATH": str(ROOT),
            "PYTHONUNBUFFERED": "1",
            # Bytecode outside the checkout, compiled once for every example.
            "PYTHONPYCACHEPREFIX": str(base / "pycache"),
            "NO_COLOR": "1",
            "TERM": "dumb",
            "COLUMNS": "100",
            "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8",
            "TZ": "UTC",
        }
        self.template = base / "template"
        shutil.copytree(FIXTURE, self.template, ignore=shutil.ignore_patterns(".ccus-records-cache"))
        for setup in ("git init -q -b main", "git add -A", "git commit -q -m 'Example records'"):
            subprocess.run(["bash", "-c", setup], cwd=self.template, env=self.env, check=True, capture_output=True)

    def session(self, folder: Path) -> Session:
        return Session(self, folder)


class Session:
    """A fresh copy of the example repository, and a shell to run commands in it one after another."""

    def __init__(self, workshop: Workshop, folder: Path) -> None:
        self.folder = folder / "example"
        shutil.copytree(workshop.template, self.folder, symlinks=True)
        (folder / "home").mkdir()
        (folder / "tmp").mkdir()
        self.env = {**workshop.env, "HOME": str(folder / "home"), "TMPDIR": str(folder / "tmp")}
        self.status = 0

    def run(self, command: str) -> list[str]:
        completed = subprocess.run(
            ["bash", "-c", f"(exit {self.status & 255}); {command}"],
            cwd=self.folder,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=120,
            check=False,
        )
        self.status = completed.returncode
        return completed.stdout.splitlines()


Outputs = list[tuple[Command, list[str]]]


def run_example(example: Example, workshop: Workshop, folder: Path) -> Outputs:
    session = workshop.session(folder)
    return [(command, session.run(command.text)) for command in example.commands]


@pytest.fixture(scope="module")
def outputs(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outputs]:
    """What the selected examples print, run a few at a time (each in its own folder, so they cannot meet)."""
    base = tmp_path_factory.mktemp("docs-examples")
    workshop = Workshop(base)
    selected = [
        item.callspec.params["example"]
        for item in request.session.items
        if hasattr(item, "callspec") and isinstance(item.callspec.params.get("example"), Example)
    ]
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = {}
        for index, example in enumerate(selected):
            folder = base / f"example-{index}"
            folder.mkdir()
            futures[example.name] = pool.submit(run_example, example, workshop, folder)
        return {name: future.result() for name, future in futures.items()}


EXAMPLES = all_examples()


@pytest.mark.parametrize("example", [e for e in EXAMPLES if e.not_checked is None], ids=lambda e: e.name)
def test_example_prints_what_the_page_shows(example: Example, outputs: dict[str, Outputs]) -> None:
    for command, actual in outputs[example.name]:
        if not matches(command.expected, actual):
            shown = "\n".join(command.expected)
            printed = "\n".join(actual)
            pytest.fail(
                f"{example.name}: `{command.text}` printed\n{printed}\n--- but the page shows ---\n{shown}",
                pytrace=False,
            )


def test_examples_are_found_and_mostly_checked() -> None:
    checked = [example for example in EXAMPLES if example.not_checked is None]
    assert len(checked) >= 20, [example.name for example in checked]
    assert all(example.commands for example in EXAMPLES), [e.name for e in EXAMPLES if not e.commands]
    pages = {example.path.name for example in checked}
    for page in ("lint.md", "catalog.md", "report.md", "list.md", "show.md", "diff.md", "edit.md", "review.md"):
        assert page in pages, f"docs/{page} has no checked example"
    assert "fmt.md" in pages and "ci.md" in pages


def test_the_matcher() -> None:
    assert matches(["a", "...", "d"], ["a", "b", "c", "d"])
    assert matches(["a", "...", "b"], ["a", "b"])
    assert matches(["...", "c"], ["a", "b", "c", ""])
    assert matches(["a  "], ["a"])
    assert not matches(["a", "b"], ["a", "c"])
    assert not matches(["a"], ["a", "b"])
    assert not matches(["a", "...", "c"], ["a", "b"])


def test_the_parser() -> None:
    body = ["$ one \\", "    --two", "out 1", "", "$ three", "out 3"]
    commands = parse_commands(body, "here")
    assert [(c.text, c.expected) for c in commands] == [("one \\\n    --two", ["out 1", ""]), ("three", ["out 3"])]
    with pytest.raises(ValueError):
        parse_commands(["stray"], "here")


def main(arguments: list[str]) -> int:
    """Print what each example of the given pages prints now (to refresh an example after a change)."""
    import tempfile

    with tempfile.TemporaryDirectory() as base:
        workshop = Workshop(Path(base))
        for name in arguments:
            for example in examples_in(Path(name).resolve()):
                if example.not_checked:
                    print(f"=== {example.name} (not checked: {example.not_checked})")
                    continue
                print(f"=== {example.name}")
                with tempfile.TemporaryDirectory() as folder:
                    for command, actual in run_example(example, workshop, Path(folder)):
                        print(f"$ {command.text}")
                        print("\n".join(actual))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
