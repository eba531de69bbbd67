"""The diff core: field changes, element-wise list matching, audit marks and RFC 6902 patches."""

from __future__ import annotations

import copy
from typing import Any

import jsonpatch
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ccus_records.features.diff import (
    DiffInputError,
    RecordDiff,
    RecordSide,
    diff_records,
    diff_sides,
    field_changes,
    field_lines,
    json_patch,
    textconv_text,
)
from tests.helpers import CLEAN_BODY, clean_record


def side(data: dict[str, Any], display: str = "r.md", body: str = CLEAN_BODY, location: str = "r.md") -> RecordSide:
    return RecordSide(str(data.get("id", "x")), display, data, f"\n{body}\n", location)


def changed(old: dict[str, Any], new: dict[str, Any]) -> RecordDiff:
    result = diff_records(side(old), side(new))
    assert result is not None
    return result


def summary(old: Any, new: Any) -> list[tuple[str, str, Any, Any]]:
    return [(change.op, change.path, change.old, change.new) for change in field_changes(old, new)]


def test_inserted_sector_is_one_addition_not_a_shifted_list() -> None:
    assert summary({"sectors": ["Power", "Steel"]}, {"sectors": ["Power", "Cement", "Steel"]}) == [
        ("add", "sectors[1]", None, "Cement")
    ]


def test_removed_sector_is_one_removal_at_its_old_index() -> None:
    assert summary({"sectors": ["Power", "Cement", "Steel"]}, {"sectors": ["Power", "Steel"]}) == [
        ("remove", "sectors[1]", "Cement", None)
    ]


def test_replaced_list_item_is_one_change() -> None:
    assert summary({"sectors": ["Power", "Cement"]}, {"sectors": ["Power", "Steel"]}) == [
        ("change", "sectors[1]", "Cement", "Steel")
    ]


def test_nested_leaf_change_and_added_and_removed_keys() -> None:
    old = {"provenance": {"reviewer": "", "author": "A"}, "gone": 1}
    new = {"provenance": {"reviewer": "J. Doe", "author": "A"}, "extra": [1]}
    assert summary(old, new) == [
        ("add", "extra", None, [1]),
        ("remove", "gone", 1, None),
        ("change", "provenance.reviewer", "", "J. Doe"),
    ]


def test_types_are_compared_as_json_does() -> None:
    assert summary({"year": 1}, {"year": True}) == [("change", "year", 1, True)]
    assert summary({"year": 2020}, {"year": "2020"}) == [("change", "year", 2020, "2020")]
    assert summary({"a": {"b": 1}}, {"a": {"b": 1}}) == []


def test_lists_of_objects_are_compared_by_position() -> None:
    assert summary({"x": [{"a": 1}, {"a": 2}]}, {"x": [{"a": 1}, {"a": 3}, {"a": 4}]}) == [
        ("change", "x[1].a", 2, 3),
        ("add", "x[2]", None, {"a": 4}),
    ]


def test_unchanged_record_at_the_same_place_is_no_difference() -> None:
    assert diff_records(side(clean_record()), side(clean_record())) is None


def test_rename_alone_is_a_changed_record() -> None:
    result = diff_records(side(clean_record(), location="a.md"), side(clean_record(), "b.md", location="b.md"))
    assert result is not None and result.status == "changed" and result.renamed and not result.changes


def test_body_diff_ignores_trailing_space_and_line_endings() -> None:
    old = side(clean_record(), body="Line one.\nLine two.")
    same = side(clean_record(), body="Line one.   \r\nLine two.")
    assert diff_records(old, same) is None
    other = diff_records(old, side(clean_record(), body="Line one.\nLine 2."))
    assert other is not None and "-Line two." in other.body_diff and "+Line 2." in other.body_diff


@pytest.mark.parametrize(
    ("overrides_old", "overrides_new", "path", "note"),
    [
        ({"reviewStatus": "pending"}, {"reviewStatus": "verified"}, "reviewStatus", "review status raised to verified"),
        ({"reviewStatus": "draft"}, {"reviewStatus": "pending"}, "reviewStatus", "review status raised to pending"),
        ({"reviewStatus": "verified"}, {"reviewStatus": "pending"}, "reviewStatus", "verification withdrawn"),
        ({"provenance.reviewer": ""}, {"provenance.reviewer": "J. Doe"}, "provenance.reviewer", "reviewer added"),
        ({"provenance.reviewer": "J. Doe"}, {"provenance.reviewer": " "}, "provenance.reviewer", "reviewer removed"),
        ({"provenance.reviewer": "A"}, {"provenance.reviewer": "B"}, "provenance.reviewer", "reviewer changed"),
        (
            {"analysis.mrv.score": 40},
            {"analysis.mrv.score": 70},
            "analysis.mrv.score",
            "score changed while its evidence and citation stayed the same",
        ),
    ],
)
def test_audit_relevant_changes_are_marked(
    overrides_old: dict[str, Any], overrides_new: dict[str, Any], path: str, note: str
) -> None:
    result = changed(clean_record(**overrides_old), clean_record(**overrides_new))
    marked = {change.path: change.audit for change in result.changes}
    assert marked[path] == note
    assert [change.path for change in result.audit_changes] == [path]


def test_score_change_with_new_evidence_is_not_marked() -> None:
    result = changed(
        clean_record(**{"analysis.mrv.score": 40}),
        clean_record(**{"analysis.mrv.score": 70, "analysis.mrv.evidence": "Section 9 adds monitoring."}),
    )
    assert not result.audit_changes
    assert {change.path for change in result.changes} == {"analysis.mrv.score", "analysis.mrv.evidence"}


def test_ordinary_field_changes_are_not_marked() -> None:
    result = changed(clean_record(title="Old"), clean_record(title="New"))
    assert [(change.path, change.audit) for change in result.changes] == [("title", None)]


def test_folders_are_matched_by_id_and_duplicates_refused() -> None:
    old = [side(clean_record("a"), "old/a.md", location="a.md"), side(clean_record("b"), "old/b.md", location="b.md")]
    new = [side(clean_record("b"), "new/b.md", location="b.md"), side(clean_record("c"), "new/c.md", location="c.md")]
    result = diff_sides(old, new)
    assert [(record.record_id, record.status) for record in result.records] == [("a", "removed"), ("c", "added")]
    with pytest.raises(DiffInputError, match="both have id 'b'"):
        diff_sides(old, [*new, side(clean_record("b"), "new/b2.md", location="b2.md")])


def apply(patch: list[dict[str, Any]], document: Any) -> Any:
    return jsonpatch.JsonPatch(patch).apply(copy.deepcopy(document))


def test_patch_tests_before_every_removal_and_replacement() -> None:
    old = clean_record(**{"sectors": ["Power", "Cement", "Steel"], "provenance.reviewer": ""})
    new = clean_record(**{"sectors": ["Power", "Steel", "Hydrogen"], "provenance.reviewer": "J. Doe"})
    patch = json_patch(changed(old, new))
    for index, operation in enumerate(patch):
        if operation["op"] in ("remove", "replace"):
            assert patch[index - 1] == {"op": "test", "path": operation["path"], "value": patch[index - 1]["value"]}
    assert apply(patch, old) == new


def test_stale_patch_fails_instead_of_applying_wrongly() -> None:
    old = clean_record(**{"provenance.reviewer": ""})
    new = clean_record(**{"provenance.reviewer": "J. Doe"})
    patch = json_patch(changed(old, new))
    someone_else = clean_record(**{"provenance.reviewer": "K. Roe"})
    with pytest.raises(jsonpatch.JsonPatchTestFailed):
        apply(patch, someone_else)


def test_patch_for_added_record_builds_it() -> None:
    result = diff_records(None, side(clean_record("n")))
    assert result is not None and apply(json_patch(result), {}) == clean_record("n")


_keys = st.sampled_from(["a", "b", "c", "x/y", "t~1"])
_strings = st.lists(st.sampled_from(["Power", "Cement", "Steel", "Hydrogen", "Oil"]), max_size=6)
_leaf = st.one_of(st.integers(-3, 3), st.text(max_size=3), st.booleans(), st.none(), _strings)
_values = st.recursive(
    _leaf,
    lambda inner: st.one_of(st.dictionaries(_keys, inner, max_size=4), st.lists(inner, max_size=3)),
    max_leaves=12,
)
_documents = st.dictionaries(_keys, _values, max_size=5)


@settings(max_examples=300, deadline=None)
@given(_documents, _documents)
def test_patch_turns_old_into_new_for_any_documents(old: dict[str, Any], new: dict[str, Any]) -> None:
    result = diff_records(side({**old, "id": "x"}), side({**new, "id": "x"}))
    if result is None:
        assert old == new
        return
    assert apply(json_patch(result), {**old, "id": "x"}) == {**new, "id": "x"}


@settings(max_examples=200, deadline=None)
@given(_strings, _strings)
def test_string_lists_change_only_what_differs(old: list[str], new: list[str]) -> None:
    changes = field_changes({"s": old}, {"s": new})
    assert len(changes) <= max(len(old), len(new))
    if old == new:
        assert changes == []
    added = [change for change in changes if change.op == "add"]
    removed = [change for change in changes if change.op == "remove"]
    assert len(new) - len(old) == len(added) - len(removed)


def test_textconv_lines_are_sorted_fields_then_body() -> None:
    data = clean_record(**{"sectors": ["Power", "Cement"], "relatedFacilities": []})
    text = textconv_text(side(data, body="Body text."))
    lines = text.splitlines()
    assert lines[0] == 'analysis.incentive.auditNote = ""'
    assert lines.count('sectors[] = "Power"') == 1 and lines.index('sectors[] = "Power"') + 1 == lines.index(
        'sectors[] = "Cement"'
    )
    assert "relatedFacilities = []" in lines and "year = 2020" in lines
    assert lines[-2:] == ["", "Body text."]
    assert [path for path, _ in field_lines(data)] == sorted(path for path, _ in field_lines(data))
