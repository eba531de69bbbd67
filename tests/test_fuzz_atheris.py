"""The atheris target runs (a bounded number of inputs) where atheris installs; elsewhere it is skipped."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

TARGET = Path(__file__).resolve().parent.parent / "fuzz" / "atheris_reader.py"
RUNS = 20_000


@pytest.mark.skipif(importlib.util.find_spec("atheris") is None, reason="atheris is not installed on this machine")
def test_atheris_target_runs_clean(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for seed in sorted((TARGET.parent.parent / "seeds").glob("*.md"))[:8]:
        (corpus / seed.name).write_bytes(seed.read_bytes())
    result = subprocess.run(
        [sys.executable, str(TARGET), f"-runs={RUNS}", "-seed=20261201", "-max_len=8192", str(corpus)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert f"Done {RUNS} runs" in result.stderr
