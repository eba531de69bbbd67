"""The record's fields live in one place (ccus_records/schema/table.py): the model, the pre-check, `show`,
`report` and the exported JSON Schema all follow it, and the model agrees with it field for field."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import types
import typing
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from ccus_records.schema.fields import FieldKind, group_fields, record_fields
from ccus_records.schema.model import Record
from tests.helpers import TODAY, clean_record, write_record

ROOT = Path(__file__).resolve().parent.parent


def _kind_of(annotation: Any) -> FieldKind:
    """The kind of a leaf of the pydantic model, read from its annotation (not from the table)."""
    origin = get_origin(annotation)
    if origin is typing.Annotated:
        return _kind_of(get_args(annotation)[0])
    if origin is Literal:
        return FieldKind("choice", tuple(str(choice) for choice in get_args(annotation)))
    if origin is list:
        assert get_args(annotation) == (str,)
        return FieldKind("string-list")
    if origin in (Union, types.UnionType):
        assert set(get_args(annotation)) == {dt.date, str}
        return FieldKind("date-or-empty")
    if annotation is dt.date:
        return FieldKind("date")
    if annotation is int:
        return FieldKind("integer")
    assert annotation is str, annotation
    return FieldKind("string")


def _walk(model: type[BaseModel], prefix: str, leaves: dict[str, FieldKind], groups: set[str]) -> None:
    for name, info in model.model_fields.items():
        dotted = f"{prefix}.{name}" if prefix else name
        assert info.is_required(), dotted
        annotation = info.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            groups.add(dotted)
            _walk(annotation, dotted, leaves, groups)
        else:
            leaves[dotted] = _kind_of(info.rebuild_annotation())


def test_the_model_has_exactly_the_tables_fields_kinds_and_groups() -> None:
    leaves: dict[str, FieldKind] = {}
    groups: set[str] = set()
    _walk(Record, "", leaves, groups)
    assert list(leaves.items()) == list(record_fields().items())  # in the same order
    assert groups == group_fields()


def test_every_field_of_the_model_is_shown(cli, workdir: Path) -> None:  # type: ignore[no-untyped-def]
    """`show` lays out every field: each string field, given a value of its own, is printed."""
    data = clean_record()
    marks: dict[str, str] = {}
    for number, (dotted, kind) in enumerate(record_fields().items()):
        if kind.kind in ("string", "string-list") and dotted != "id":
            marks[dotted] = f"mark{number:03d}"
            *parents, name = dotted.split(".")
            target = data
            for part in parents:
                target = target[part]
            target[name] = [marks[dotted]] if kind.kind == "string-list" else marks[dotted]
    path = write_record(workdir, data)
    result = cli("show", path.name, "--today", TODAY, "--isolated")
    assert result.exit_code == 0, result.stderr
    assert [dotted for dotted, mark in marks.items() if mark not in result.stdout] == []


PROBE = """
import sys
from pathlib import Path
import ccus_records
from ccus_records.recordfile.reader import read_record_file
from ccus_records.schema.precheck import surely_valid
path = Path(sys.argv[1])
print(ccus_records.__file__, surely_valid(read_record_file(path, path.name).data), "pydantic" in sys.modules)
"""


def test_a_field_added_to_the_model_reaches_precheck_show_report_and_schema(tmp_path: Path) -> None:
    package = tmp_path / "package"
    shutil.copytree(ROOT / "ccus_records", package / "ccus_records", ignore=shutil.ignore_patterns("__pycache__"))
    table = package / "ccus_records" / "schema" / "table.py"
    anchor = '        "category": STRING,\n'
    text = table.read_text(encoding="utf-8")
    assert text.count(anchor) == 1
    table.write_text(text.replace(anchor, '        "fundingBody": STRING,\n' + anchor), encoding="utf-8")

    records = tmp_path / "records"
    funded = clean_record("us-funded-2020", title="Funded Storage Act", description="A funded storage act.")
    funded["fundingBody"] = "Department of Energy"
    unfunded = clean_record("us-unfunded-2020", title="Unfunded Storage Act", description="An unfunded act.")
    funded_path, unfunded_path = write_record(records, funded), write_record(records, unfunded)

    environment = {**os.environ, "PYTHONPATH": str(package), "PYTHONDONTWRITEBYTECODE": "1"}

    def run(*arguments: str, code: str | None = None) -> subprocess.CompletedProcess[str]:
        command = (
            [sys.executable, "-c", code, *arguments] if code else [sys.executable, "-m", "ccus_records", *arguments]
        )
        return subprocess.run(command, cwd=tmp_path, env=environment, capture_output=True, text=True, check=False)

    # The pre-check knows the field without pydantic: the record with it surely valid, the other not.
    probe = run(str(funded_path), code=PROBE)
    assert probe.stdout.split() == [str(package / "ccus_records" / "__init__.py"), "True", "False"], probe.stderr
    assert run(str(unfunded_path), code=PROBE).stdout.split()[1] == "False"

    # Lint: no finding for the record with the field; the schema's missing-field finding for the other.
    lint = run("lint", "--today", TODAY, "--isolated", "--no-cache", "--format", "json", "records")
    findings = json.loads(lint.stdout)["findings"]
    schema_findings = {
        (Path(item["path"]).name, item["code"], item["field"]) for item in findings if item["code"][0] == "S"
    }
    assert schema_findings == {("us-unfunded-2020.md", "S003", "fundingBody")}, lint.stdout
    assert [item for item in findings if Path(item["path"]).name == "us-funded-2020.md"] == []

    # Show prints it.
    show = run("show", "records/us-funded-2020.md", "--today", TODAY, "--isolated")
    assert show.returncode == 0, show.stderr
    assert any(line.split() == ["fundingBody", "Department", "of", "Energy"] for line in show.stdout.splitlines())

    # Report counts it: a per-field figure, and one of the default coverage fields.
    report = run("report", "records", "--today", TODAY, "--isolated", "--format", "json")
    document = json.loads(report.stdout)
    assert {key: document["fields"]["fundingBody"][key] for key in ("filled", "total", "coverage")} == {
        "filled": 1,
        "total": 2,
        "coverage": True,
    }
    assert "fundingBody" in document["coverage"]["fields"]

    # The exported JSON Schema requires it.
    schema = json.loads(run("schema").stdout)
    assert "fundingBody" in schema["required"]
    assert schema["properties"]["fundingBody"] == {"title": "Fundingbody", "type": "string"}
