"""Lint results as JUnit XML: one test case per record file, failing when it has error-level findings.

CI systems (GitLab's test report, Jenkins, Azure) show a failed test per broken record; warnings and
info findings are kept in the case's `system-out`, so they are visible without failing it.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from pathlib import PurePath

from ccus_records.engine.findings import Finding
from ccus_records.render.encode import xml_attr, xml_text
from ccus_records.render.lint_concise import concise_line
from ccus_records.render.lint_view import LintView
from ccus_records.render.registry import RenderOptions

SUITE = "ccus-records lint"


def render_junit(findings: Iterable[Finding], files: Sequence[str]) -> str:
    """`files`: the display paths of every record file linted, clean ones included."""
    by_file: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        by_file[finding.path].append(finding)
    paths = list(dict.fromkeys([*files, *by_file]))  # a finding's file is always a case, even if not listed
    failures = sum(1 for path in paths if any(f.severity == "error" for f in by_file[path]))
    root = ET.Element("testsuites", name=SUITE, tests=str(len(paths)), failures=str(failures), errors="0")
    suite = ET.SubElement(
        root, "testsuite", name=SUITE, tests=str(len(paths)), failures=str(failures), errors="0", skipped="0"
    )
    for path in paths:
        found = by_file[path]
        record = next((f.record for f in found if f.record), None)
        case = ET.SubElement(
            suite,
            "testcase",
            name=xml_attr(path),
            classname=xml_attr(record or PurePath(path).stem),
            file=xml_attr(path),
        )
        errors = [f for f in found if f.severity == "error"]
        if errors:
            codes = ",".join(dict.fromkeys(f.code for f in errors))
            failure = ET.SubElement(
                case,
                "failure",
                message=xml_attr(f"{len(errors)} error-level finding{'s' if len(errors) != 1 else ''}: {codes}"),
                type=xml_attr(codes),
            )
            failure.text = xml_text("\n".join(concise_line(f) for f in errors) + "\n")
        others = [f for f in found if f.severity != "error"]
        if others:
            ET.SubElement(case, "system-out").text = xml_text("\n".join(concise_line(f) for f in others) + "\n")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def render(view: LintView, options: RenderOptions) -> Iterator[str]:
    yield render_junit(view.result.findings, view.files)
