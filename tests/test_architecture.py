"""The layers hold in code, not only in prose: what the import-linter contract cannot see is checked here."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import ccus_records
from ccus_records.errors import CcusRecordsError

PACKAGE = Path(ccus_records.__file__).resolve().parent


def modules() -> list[tuple[str, ast.Module]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        dotted = ".".join(("ccus_records", *path.relative_to(PACKAGE).with_suffix("").parts))
        found.append((dotted.removesuffix(".__init__"), ast.parse(path.read_text(encoding="utf-8"))))
    return found


def test_no_module_imports_another_modules_private_names() -> None:
    crossings = []
    for name, tree in modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("ccus_records"):
                if node.module == name:
                    continue
                crossings += [
                    f"{name}: {node.module}.{a.name}"
                    for a in node.names
                    if a.name.startswith("_") and not a.name.startswith("__")
                ]
    assert crossings == []


def test_every_error_for_a_person_shares_one_base_with_its_exit_code() -> None:
    import importlib

    errors = []
    for name, _ in modules():
        if name.endswith("__main__"):
            continue
        module = importlib.import_module(name)
        for _, value in inspect.getmembers(module, inspect.isclass):
            if value.__module__ == name and issubclass(value, Exception) and not value.__name__.startswith("_"):
                errors.append(value)
    assert len(errors) >= 16
    assert [error.__name__ for error in errors if not issubclass(error, CcusRecordsError)] == []
    assert all(error.exit_code == 2 for error in errors)


def test_a_week_date_is_refused_as_today(cli) -> None:
    result = cli("lint", "--today", "2026-W48-2", "--isolated")
    assert result.exit_code == 2
    assert result.stderr == "ccus-records: error: --today: '2026-W48-2' is not a date YYYY-MM-DD\n"


def opened_record_files(cli, monkeypatch, folder: Path, *args: str) -> dict[str, int]:
    """Run a command in-process and count how often each record file under `folder` is opened."""
    import builtins
    import io
    import os
    from collections import Counter

    counts: Counter[str] = Counter()
    real_open, real_os_open = builtins.open, os.open

    def counted(file, *rest, **named):  # type: ignore[no-untyped-def]
        if isinstance(file, (str, os.PathLike)) and str(file).endswith(".md"):
            name = os.path.abspath(file)
            if name.startswith(str(folder)):
                counts[os.path.basename(name)] += 1
        return file

    def patched_open(file, *rest, **named):  # type: ignore[no-untyped-def]
        return real_open(counted(file), *rest, **named)

    def patched_os_open(file, *rest, **named):  # type: ignore[no-untyped-def]
        return real_os_open(counted(file), *rest, **named)

    monkeypatch.setattr(builtins, "open", patched_open)
    monkeypatch.setattr(io, "open", patched_open)
    monkeypatch.setattr(os, "open", patched_os_open)
    result = cli(*args)
    monkeypatch.undo()
    assert result.exit_code in (0, 1), result.stderr
    return dict(counts)


def test_report_show_and_list_has_open_each_record_file_once(cli, workdir: Path, monkeypatch) -> None:
    import os

    from tests.helpers import TODAY, clean_record, write_record

    records = workdir / "records"
    ids = ["us-one-act-2020", "us-two-act-2021", "us-three-act-2022"]
    for record_id in ids:
        write_record(records, clean_record(record_id, **{"provenance.reviewer": ""}))
    (workdir / "ccus-records.toml").write_text('records = ["records"]\n', encoding="utf-8")
    for path in records.iterdir():  # written long before the cache: their stat alone can vouch for them
        os.utime(path, (1_700_000_000, 1_700_000_000))
    every = {f"{record_id}.md": 1 for record_id in ids}
    for command in (
        ("report", "--today", TODAY, "--format", "json"),
        ("list", "--has", "A", "--today", TODAY),
        ("show", "us-two-act-2021", "--today", TODAY),
    ):
        for run in ("cold", "warm"):  # without a cache, then with the cache the first run left
            assert opened_record_files(cli, monkeypatch, records, *command) == every, (command, run)
    # By path, with a warm cache: the other records' summaries come from the cache, unread.
    shown = opened_record_files(cli, monkeypatch, records, "show", "records/us-two-act-2021.md", "--today", TODAY)
    assert shown == {"us-two-act-2021.md": 1}
