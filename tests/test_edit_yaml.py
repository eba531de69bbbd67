"""YAML front matter keeps its comments, order, quoting, indentation and line endings through an edit."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ccus_records.recordfile.yamledit import load_plain, update_front_matter
from ccus_records.schema.vocabulary import ANALYSIS_DIMENSIONS
from tests.helpers import CLEAN_BODY, clean_record

DIMENSION = """\
        auditNote: ''
        citation: "Example Storage Act 2020, s. 3"
        evidence: Section 3 requires a storage permit.
        label: Permit regime
        score: 60  # provisional
"""


def yaml_front_matter() -> str:
    """A clean record's front matter as a person writes it: the hand-written text below, and at the start of
    its group any field of the model that the text lacks (so that a field added to the model needs nothing
    here)."""
    text = _hand_written()
    lines = text.splitlines(keepends=True)
    have = load_plain(text)

    def add(want: dict[str, Any], got: dict[str, Any], parents: tuple[str, ...]) -> None:
        for name, value in want.items():
            if name not in got:
                indent = "    " * len(parents)
                line = f"{indent}{name}: {json.dumps(value, ensure_ascii=False)}\n"
                at = len(lines)
                if parents:
                    at = 0
                    for level, part in enumerate(parents):  # each parent's header, after the one before it
                        at = lines.index(f"{'    ' * level}{part}:\n", at) + 1
                lines.insert(at, line)
            elif isinstance(value, dict):
                add(value, got[name], (*parents, name))

    add(clean_record(sectors=["Power", "Cement"]), dict(have or {}), ())
    return "".join(lines)


def _hand_written() -> str:
    analysis = "".join(f"    {name}:\n{DIMENSION}" for name in ANALYSIS_DIMENSIONS)
    return f"""\
# Hand-written record: keep this comment.
title: 'Example Storage Act'   # as gazetted
id: us-example-act-2020
analysis:
{analysis}category: Regulatory
country: United States
description: The Example Storage Act sets up a licensing regime for the permanent geological storage
    of carbon dioxide.
evolution:
    clusters: []
    supersededBy: ""
    supersedes: []
impactAnalysis:
    economic: Lower cost.
    environmental: Less CO2.
    technical: Wells.
interpretation: ''
legalWeight: Statute/Law
provenance:
    author: A. Curator
    lastAuditDate: 2026-10-01
    reviewer: B. Reviewer
pubDate: 2020-03-01
regulatory:
    co2_definition: Defined in s. 2.
    cross_border_rules: Defined in s. 2.
    financial_assurance: Defined in s. 2.
    liability_period: Defined in s. 2.
    liability_transfer: Defined in s. 2.
    permitting_lead_time: Defined in s. 2.
    pore_space_rights: Defined in s. 2.
relatedFacilities: []
reviewStatus: verified
# The sectors, most important first.
sectors:
  - Power
  - Cement
source: U.S. Congress
status: Active
year: 2020
"""


def yaml_record_text(newline: str = "\n") -> str:
    return f"---\n{yaml_front_matter()}---\n\n{CLEAN_BODY}\n".replace("\n", newline)


def test_the_fixture_is_a_clean_record() -> None:
    assert load_plain(yaml_front_matter()) == clean_record(sectors=["Power", "Cement"])


def data_of(text: str) -> dict[str, object]:
    front = text.replace("\r\n", "\n").split("---\n")[1]
    data = load_plain(front)
    assert data is not None
    return data


def lines_changed(before: str, after: str) -> list[tuple[str, str]]:
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    assert len(old) == len(new)
    return [(left, right) for left, right in zip(old, new, strict=True) if left != right]


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_scalar_edits_are_spliced_in_place(cli, workdir: Path, newline: str) -> None:
    path = workdir / "us-example-act-2020.md"
    path.write_bytes(yaml_record_text(newline).encode("utf-8"))
    before = path.read_bytes().decode("utf-8")
    result = cli(
        "edit", path.name, "--isolated",
        "--set", "title=Example Storage Act (as amended)",
        "--set", "analysis.mrv.score=55",
        "--set", "provenance.lastAuditDate=2026-11-30",
        "--set", "evolution.supersededBy=us-new-act-2026",
        "--set", "analysis.mrv.citation=Example Storage Act 2020, s. 4",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    after = path.read_bytes().decode("utf-8")
    assert lines_changed(before, after) == [
        (f"title: 'Example Storage Act'   # as gazetted{newline}",
         f"title: 'Example Storage Act (as amended)'   # as gazetted{newline}"),
        (f'        citation: "Example Storage Act 2020, s. 3"{newline}',
         f'        citation: "Example Storage Act 2020, s. 4"{newline}'),
        (f"        score: 60  # provisional{newline}", f"        score: 55  # provisional{newline}"),
        (f'    supersededBy: ""{newline}', f'    supersededBy: "us-new-act-2026"{newline}'),
        (f"    lastAuditDate: 2026-10-01{newline}", f"    lastAuditDate: 2026-11-30{newline}"),
    ]  # fmt: skip
    assert after.count("\r\n") == before.count("\r\n")
    assert after.endswith(CLEAN_BODY.replace("\n", newline) + newline)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("yes", '"yes"'),  # plain `yes` stays a string in YAML 1.2, but `true`/`null`/numbers would not
        ("true", '"true"'),
        ("2020", '"2020"'),
        ("a: b", '"a: b"'),
        ("# not a comment", '"# not a comment"'),
        (" padded ", '" padded "'),
        ("", '""'),
        ("two\nlines", '"two\\nlines"'),
        ("plain words", "plain words"),
    ],
)
def test_plain_scalars_are_quoted_only_when_they_must_be(value: str, expected: str) -> None:
    text = "a: 1\nsource: U.S. Congress  # who\nz: 2\n"
    old = {"a": 1, "source": "U.S. Congress", "z": 2}
    new = dict(old, source=value)
    result = update_front_matter(text, old, new)
    if value == "yes":
        expected = "yes"
    assert result == f"a: 1\nsource: {expected}  # who\nz: 2\n"
    assert load_plain(result) == new


def test_single_quoted_value_with_a_quote_stays_single_quoted() -> None:
    text = "title: 'Act'\n"
    result = update_front_matter(text, {"title": "Act"}, {"title": "The People's Act"})
    assert result == "title: 'The People''s Act'\n"


def test_structural_change_keeps_comments_and_other_keys_text(cli, workdir: Path) -> None:
    path = workdir / "us-example-act-2020.md"
    path.write_bytes(yaml_record_text("\r\n").encode("utf-8"))
    before = path.read_bytes().decode("utf-8")
    result = cli("edit", path.name, "--isolated", "--append", "sectors=Steel", "--set", "title=Retitled")
    assert result.exit_code == 0, result.stderr
    after = path.read_bytes().decode("utf-8")
    assert after == before.replace("  - Cement\r\n", "  - Cement\r\n  - Steel\r\n").replace(
        "title: 'Example Storage Act'   #", "title: 'Retitled'   #"
    )
    assert data_of(after)["sectors"] == ["Power", "Cement", "Steel"]


def test_adding_to_an_empty_flow_list(cli, workdir: Path) -> None:
    path = workdir / "us-example-act-2020.md"
    path.write_text(yaml_record_text(), encoding="utf-8")
    before = path.read_text(encoding="utf-8")
    assert cli("edit", path.name, "--isolated", "--append", "evolution.clusters=North Sea").exit_code == 0
    after = path.read_text(encoding="utf-8")
    assert data_of(after)["evolution"] == {"clusters": ["North Sea"], "supersededBy": "", "supersedes": []}
    # Only the evolution block changed; the comments and the wrapped description stand as they were.
    assert after.split("evolution:")[0] == before.split("evolution:")[0]
    assert after.split("impactAnalysis:")[1] == before.split("impactAnalysis:")[1]


def test_block_scalar_change_is_written_and_verified() -> None:
    text = "a: 1\ninterpretation: |\n  first line\n  second line\nz: 2  # end\n"
    old = load_plain(text)
    assert old is not None
    new = dict(old, interpretation="replaced\ntext\n")
    result = update_front_matter(text, old, new)
    assert load_plain(result) == new
    assert result.startswith("a: 1\n") and result.endswith("z: 2  # end\n")


def test_invalid_yaml_edit_leaves_the_file_byte_identical(cli, workdir: Path) -> None:
    path = workdir / "us-example-act-2020.md"
    path.write_bytes(yaml_record_text("\r\n").encode("utf-8"))
    before = path.read_bytes()
    result = cli("edit", path.name, "--isolated", "--set", "analysis.mrv.score=-1")
    assert result.exit_code == 2
    assert "greater than or equal to 0" in result.stderr
    assert path.read_bytes() == before


def test_json_record_text_shape_is_not_touched_by_yaml_logic(cli, workdir: Path) -> None:
    from tests.helpers import write_record

    path = write_record(workdir, clean_record())
    assert cli("edit", path.name, "--isolated", "--append", "sectors=Steel").exit_code == 0
    data = json.loads(path.read_text(encoding="utf-8").split("---\n")[1])
    assert data["sectors"] == ["Power", "Steel"]
