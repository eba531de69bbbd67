"""Finding a record by id: only files whose bytes can hold the id are parsed, and none is missed for it."""

from __future__ import annotations

from pathlib import Path

import pytest

from ccus_records.engine.lookup import RecordNotFound, find_record_in
from ccus_records.recordfile.reader import DEFAULT_MAX_FILE_BYTES
from tests.helpers import clean_record, record_text, write_record

RECORD = "us-example-act-2020"


def find(folder: Path, target: str) -> Path:
    return find_record_in(sorted(folder.glob("*.md")), folder, target, DEFAULT_MAX_FILE_BYTES)


def test_an_id_is_found_among_records_that_do_not_hold_it(tmp_path: Path) -> None:
    for number in range(5):
        write_record(tmp_path, clean_record(f"us-other-{number}", description=f"Not {RECORD}."))
    write_record(tmp_path, clean_record(RECORD), name="named-otherwise.md")
    (tmp_path / "broken.md").write_text("---\n{oops\n---\n", encoding="utf-8")
    assert find(tmp_path, RECORD) == tmp_path / "named-otherwise.md"
    assert find(tmp_path, f"  {RECORD} ") == tmp_path / "named-otherwise.md"


@pytest.mark.parametrize(
    ("front", "kind"),
    [
        ('"id": "\\u0075s-example-act-2020"', "a JSON escape"),
        ('"id": "us-example\\u002dact-2020"', "a JSON escape mid-id"),
    ],
)
def test_an_id_spelt_with_escapes_is_found(tmp_path: Path, front: str, kind: str) -> None:
    text = record_text(clean_record(RECORD)).replace(f'"id": "{RECORD}"', front)
    assert RECORD not in text, kind
    (tmp_path / "a.md").write_text(text, encoding="utf-8")
    write_record(tmp_path, clean_record("us-other-2020"))
    assert find(tmp_path, RECORD) == tmp_path / "a.md"


def test_an_id_in_escaped_yaml_is_found(tmp_path: Path) -> None:
    (tmp_path / "y.md").write_text('---\nid: "\\x75s-example-act-2020"\ntitle: X\n---\n\nBody.\n', encoding="utf-8")
    assert find(tmp_path, RECORD) == tmp_path / "y.md"


def test_an_id_held_twice_is_refused_even_when_one_is_escaped(tmp_path: Path) -> None:
    write_record(tmp_path, clean_record(RECORD), name="plain.md")
    text = record_text(clean_record(RECORD)).replace(f'"id": "{RECORD}"', '"id": "\\u0075s-example-act-2020"')
    (tmp_path / "escaped.md").write_text(text, encoding="utf-8")
    with pytest.raises(RecordNotFound, match="2 records have that id"):
        find(tmp_path, RECORD)


def test_an_id_named_only_in_other_records_is_not_theirs(tmp_path: Path) -> None:
    write_record(tmp_path, clean_record("us-newer-2021", **{"evolution.supersedes": [RECORD]}))
    with pytest.raises(RecordNotFound, match=f"no record with id '{RECORD}'"):
        find(tmp_path, RECORD)
