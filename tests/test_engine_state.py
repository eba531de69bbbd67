"""A corpus state (what the language server keeps of a corpus between runs) gives the findings of a run
without one, as long as it is told what changed on disk, or asked to look."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

from ccus_records.engine import lint as lint_module
from ccus_records.engine.config import load_config
from ccus_records.engine.findings import Finding
from ccus_records.engine.lint import lint
from ccus_records.engine.state import CorpusState
from tests.helpers import TODAY, clean_record, record_text, write_record

DAY = dt.date.fromisoformat(TODAY)


def both(root: Path, texts: dict[Path, str], state: CorpusState, **options: object) -> list[Finding]:
    """The findings of a run with the state, checked against a run without it (and without the cache)."""
    config = load_config(root)
    paths = sorted(texts)
    kept = lint(config, paths, DAY, root, texts=texts, use_cache=True, state=state, **options).findings  # type: ignore[arg-type]
    fresh = lint(config, paths, DAY, root, texts=texts, **options).findings  # type: ignore[arg-type]
    assert kept == fresh
    return kept


def duplicates(findings: list[Finding]) -> list[str]:
    """The files found holding an id another record holds (I004)."""
    return sorted(finding.path for finding in findings if finding.code == "I004")


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    (tmp_path / "ccus-records.toml").write_text('records = ["records"]\n', encoding="utf-8")
    write_record(tmp_path / "records", clean_record("us-a"))
    write_record(tmp_path / "records", clean_record("us-b"))
    return tmp_path


@pytest.mark.parametrize("reads", [0, 64], ids=["through-the-cache", "direct"])
def test_a_session_told_of_every_change_finds_what_a_fresh_run_finds(
    corpus: Path, reads: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lint_module, "STATE_READS", reads)
    records = corpus / "records"
    opened = records / "us-a.md"
    state = CorpusState()
    assert both(corpus, {opened: opened.read_text(encoding="utf-8")}, state) == []
    assert len(state) == 1  # us-b.md; us-a.md is read from its buffer
    # The buffer takes the other record's id.
    duplicate = record_text(clean_record("us-b"))
    assert duplicates(both(corpus, {opened: duplicate}, state)) == ["records/us-a.md"]
    # The other record is given a new id on disk.
    write_record(records, clean_record("us-c"), name="us-b.md")
    state.changed(records / "us-b.md")
    assert duplicates(both(corpus, {opened: duplicate}, state)) == []
    # A record created with the buffer's id, and deleted again.
    copy = write_record(records, clean_record("us-b"), name="copy.md")
    state.changed(copy)
    state.listing_changed()
    assert duplicates(both(corpus, {opened: duplicate}, state)) == ["records/us-a.md"]
    copy.unlink()
    state.changed(copy)
    state.listing_changed()
    assert duplicates(both(corpus, {opened: duplicate}, state)) == []
    # A folder of records created, and removed (one event for the folder).
    write_record(records / "old", clean_record("us-b"))
    state.changed_under(records / "old")
    assert duplicates(both(corpus, {opened: duplicate}, state)) == ["records/us-a.md"]
    shutil.rmtree(records / "old")
    state.changed_under(records / "old")
    assert duplicates(both(corpus, {opened: duplicate}, state)) == []


def test_a_session_not_told_keeps_its_picture_until_asked_to_look_at_the_disk(corpus: Path) -> None:
    records = corpus / "records"
    opened = records / "us-a.md"
    text = opened.read_text(encoding="utf-8")
    state = CorpusState()
    config = load_config(corpus)
    assert both(corpus, {opened: text}, state) == []
    # The other record takes the buffer's id on disk, nobody says so, and its size and modification time
    # stay as they were (a second write within the clock's granularity).
    other = records / "us-b.md"
    before = other.stat()
    other.write_text(other.read_text(encoding="utf-8").replace('"us-b"', '"us-a"'), encoding="utf-8")
    os.utime(other, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert other.stat().st_size == before.st_size
    stale = lint(config, [opened], DAY, corpus, texts={opened: text}, state=state).findings
    assert stale == []  # the state's picture: us-b.md as it was read
    state.check_disk()  # read within two seconds of its modification: read again whatever its stat
    assert duplicates(both(corpus, {opened: text}, state)) == ["records/us-a.md"]


def test_a_file_changed_on_disk_long_after_it_was_read_is_found_by_its_stat(corpus: Path) -> None:
    records = corpus / "records"
    opened = records / "us-a.md"
    text = opened.read_text(encoding="utf-8")
    other = records / "us-b.md"
    past = 1_000_000_000
    os.utime(other, (past, past))
    state = CorpusState()
    assert both(corpus, {opened: text}, state) == []
    other.write_text(record_text(clean_record("us-a", title="Another Example Act")), encoding="utf-8")
    state.check_disk()
    assert duplicates(both(corpus, {opened: text}, state)) == ["records/us-a.md"]


def test_a_session_follows_a_change_of_plan(corpus: Path) -> None:
    opened = corpus / "records" / "us-a.md"
    text = record_text(clean_record("us-b", status="Bogus"))
    state = CorpusState()
    everything = both(corpus, {opened: text}, state)
    assert {"S003", "I004"} <= {finding.code for finding in everything}
    assert {finding.code for finding in both(corpus, {opened: text}, state, select=["I"])} == {"I003", "I004"}
    assert both(corpus, {opened: text}, state) == everything


def test_a_session_cannot_be_used_by_a_run_that_hands_its_findings_over(corpus: Path) -> None:
    with pytest.raises(ValueError, match="consume or collect"):
        lint(load_config(corpus), [], DAY, corpus, state=CorpusState(), consume=lambda found: None)
