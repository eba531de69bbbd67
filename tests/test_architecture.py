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
