"""Lint results as SARIF 2.1.0, the format GitHub code scanning reads to show findings inline.

Each rule in force is a `reportingDescriptor` with its explanation as help and its level in force as
`defaultConfiguration.level`; each finding is a result placed by a `physicalLocation` (file-level
findings at line 1, where GitHub can show them). `partialFingerprints` carries the baseline identity
(record id, code, field), so code scanning tracks a gap across reformatting as the baseline does.
"""

from __future__ import annotations

import hashlib
import urllib.parse
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path, PurePosixPath
from typing import Any

from ccus_records.engine.findings import Finding
from ccus_records.render.encode import json_text
from ccus_records.render.lint_view import LintView
from ccus_records.render.registry import RenderOptions
from ccus_records.rules.base import Rule, Severity

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVELS: dict[str, str] = {"error": "error", "warning": "warning", "info": "note"}
SOURCE_ROOT = "%SRCROOT%"


def _uri(path: str) -> tuple[str, bool]:
    """A URI for a display path: relative to the source root when it is relative, else a file URI.

    A file name that is not UTF-8 (decoded with surrogateescape) is quoted as its bytes were.
    """
    posix = path.replace("\\", "/")
    if Path(path).is_absolute():
        return "file://" + _quote(Path(path).as_posix()), False
    return _quote(str(PurePosixPath(posix))), True


def _quote(text: str) -> str:
    try:
        raw = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a lone surrogate that stands for no byte: shown as its escape
        raw = text.encode("utf-8", "backslashreplace")
    return urllib.parse.quote_from_bytes(raw, safe="/")


def _descriptor(rule: type[Rule] | Rule, level: Severity) -> dict[str, Any]:
    summary = rule.summary()
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": summary},
        "fullDescription": {"text": summary},
        "help": {"text": rule.explanation()},
        "defaultConfiguration": {"level": LEVELS[level]},
        "properties": {"tags": ["ccus-records", rule.code[0]]},
    }


def _fingerprint(finding: Finding, occurrence: int) -> str:
    who = finding.record or finding.path
    text = "\0".join((who, finding.code, finding.field or "", str(occurrence)))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def sarif_document(
    findings: Iterable[Finding],
    rules: Sequence[type[Rule] | Rule],
    severities: Mapping[str, Severity],
    version: str,
    cwd: Path,
    run_properties: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    descriptors = [_descriptor(rule, severities.get(rule.code, rule.severity)) for rule in rules]
    index = {descriptor["id"]: position for position, descriptor in enumerate(descriptors)}
    results = []
    seen: Counter[tuple[str, str, str]] = Counter()
    for finding in findings:
        if finding.code not in index:  # never expected: every finding comes from a rule in force
            index[finding.code] = len(descriptors)
            descriptors.append({"id": finding.code, "name": finding.name})
        key = (finding.record or finding.path, finding.code, finding.field or "")
        seen[key] += 1
        uri, relative = _uri(finding.path)
        artifact: dict[str, Any] = {"uri": uri}
        if relative:
            artifact["uriBaseId"] = SOURCE_ROOT
        region: dict[str, Any] = {"startLine": finding.line or 1}
        if finding.line is not None and finding.column:
            region["startColumn"] = finding.column
        suffix = f" ({finding.field})" if finding.field else ""
        properties: dict[str, Any] = {
            "severity": finding.severity,
            "fixable": finding.fixable,
            "fix": finding.fix,
        }
        if finding.record:
            properties["record"] = finding.record
        if finding.field:
            properties["field"] = finding.field
        results.append(
            {
                "ruleId": finding.code,
                "ruleIndex": index[finding.code],
                "level": LEVELS[finding.severity],
                "message": {"text": f"{finding.message}{suffix}"},
                "locations": [{"physicalLocation": {"artifactLocation": artifact, "region": region}}],
                "partialFingerprints": {"ccusRecordsIdentity/v1": _fingerprint(finding, seen[key])},
                "properties": properties,
            }
        )
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "ccus-records",
                "version": version,
                "semanticVersion": version,
                "rules": descriptors,
            }
        },
        "originalUriBaseIds": {SOURCE_ROOT: {"uri": cwd.resolve().as_uri() + "/"}},
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    if run_properties:
        run["properties"] = dict(run_properties)
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def render_sarif(
    findings: Iterable[Finding],
    rules: Sequence[type[Rule] | Rule],
    severities: Mapping[str, Severity],
    version: str,
    cwd: Path,
    run_properties: Mapping[str, Any] | None = None,
) -> str:
    document = sarif_document(findings, rules, severities, version, cwd, run_properties)
    return json_text(document) + "\n"


def render(view: LintView, options: RenderOptions) -> Iterator[str]:
    from ccus_records import __version__

    yield render_sarif(view.result.findings, view.rules, view.severities, __version__, view.cwd, view.properties)
