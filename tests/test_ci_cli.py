"""The command as CI and shells meet it: `--version`, `python -m`, completion, stdout vs stderr, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from ccus_records import __version__
from tests.helpers import TODAY, clean_record, write_record


def run(*arguments: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ccus_records", *arguments],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1", **(env or {})},
        stdin=subprocess.DEVNULL,
        check=False,
    )


def test_version_is_one_line_on_stdout_from_the_app_and_from_python_dash_m(cli, tmp_path: Path) -> None:
    in_process = cli("--version")
    assert in_process.exit_code == 0 and in_process.stdout == f"ccus-records {__version__}\n"
    module = run("--version", cwd=tmp_path)
    assert module.returncode == 0 and module.stdout == f"ccus-records {__version__}\n" and module.stderr == ""


def test_python_dash_m_results_on_stdout_errors_on_stderr(tmp_path: Path) -> None:
    write_record(tmp_path, clean_record(**{"provenance.reviewer": ""}))
    found = run("lint", ".", "--isolated", "--today", TODAY, "--format", "sarif", cwd=tmp_path)
    assert found.returncode == 1
    assert found.stderr == ""
    assert json.loads(found.stdout)["runs"][0]["results"]

    bad_option = run("lint", "--no-such-option", cwd=tmp_path)
    assert bad_option.returncode == 2 and bad_option.stdout == ""
    assert "--no-such-option" in bad_option.stderr

    missing = run("lint", "nowhere.md", "--isolated", "--format", "github", cwd=tmp_path)
    assert missing.returncode == 2 and missing.stdout == ""
    assert missing.stderr.startswith("ccus-records: error: ") and "Traceback" not in missing.stderr

    baseline = run("lint", ".", "--isolated", "--baseline", "none.json", cwd=tmp_path)
    assert baseline.returncode == 2 and baseline.stdout == ""
    assert "no such baseline file" in baseline.stderr


def test_baseline_notes_keep_machine_output_clean(tmp_path: Path) -> None:
    write_record(tmp_path, clean_record(**{"provenance.reviewer": ""}))
    assert run("lint", ".", "--isolated", "--today", TODAY, "--write-baseline", "b.json", cwd=tmp_path).returncode == 0
    for output_format in ("json", "sarif", "gitlab", "json-lines", "junit", "github", "concise"):
        result = run(
            "lint", ".", "--isolated", "--today", TODAY, "--baseline", "b.json", "--format", output_format, cwd=tmp_path
        )
        assert result.returncode == 0, (output_format, result.stderr)
        assert "known finding hidden" in result.stderr, output_format
        assert "known finding hidden" not in result.stdout, output_format


def test_shell_completion(tmp_path: Path) -> None:
    # Typer detects the shell from the parent process; this switch lets the test name it instead.
    named = {"_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"}
    for shell, marker in (("bash", "complete -o default"), ("zsh", "compdef"), ("fish", "complete --command")):
        result = subprocess.run(
            [str(Path(sys.executable).parent / "ccus-records"), "--show-completion", shell],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            env={**os.environ, **named},
            check=False,
        )
        assert result.returncode == 0, result.stderr
        assert marker in result.stdout and "_CCUS_RECORDS_COMPLETE" in result.stdout


def test_completion_suggests_commands_and_formats(tmp_path: Path) -> None:
    """Drive the completion protocol as bash would, through the installed program."""
    env = {"_CCUS_RECORDS_COMPLETE": "complete_bash", "COMP_WORDS": "ccus-records li", "COMP_CWORD": "1"}
    commands = subprocess.run(
        [str(Path(sys.executable).parent / "ccus-records")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        check=False,
    )
    assert "lint" in commands.stdout.split()
    env = {"_CCUS_RECORDS_COMPLETE": "complete_bash", "COMP_WORDS": "ccus-records lint --format s", "COMP_CWORD": "3"}
    formats = subprocess.run(
        [str(Path(sys.executable).parent / "ccus-records")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        check=False,
    )
    assert formats.stdout.split() == ["sarif"]
