"""The lint cache: a warm run reports exactly what a cold run reports, and never less."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from pathlib import Path

import pytest

from ccus_records.engine.cache import CACHE_FOLDER, DATABASE, LintCache
from ccus_records.engine.config import load_config
from ccus_records.engine.lint import LintResult, make_plan, plan_fingerprint
from ccus_records.engine.lint import lint as run_lint
from tests.helpers import TODAY, clean_record, write_record

DAY = dt.date.fromisoformat(TODAY)


@pytest.fixture
def corpus(workdir: Path) -> Path:
    (workdir / "ccus-records.toml").write_text('records = ["records"]\n', encoding="utf-8")
    records = workdir / "records"
    write_record(records, clean_record("us-storage-act-2020"))
    write_record(records, clean_record("us-storage-rule-2021", **{"provenance.reviewer": ""}))
    write_record(records, clean_record("us-old-act-2010", **{"evolution.supersededBy": "us-storage-act-2020"}))
    write_record(records, clean_record("us-gap-2019", **{"analysis.mrv.citation": "", "title": ""}))
    return workdir


def lint(root: Path, *paths: Path, use_cache: bool = True) -> LintResult:
    return run_lint(load_config(root), list(paths), DAY, root, use_cache=use_cache).result


def shown(result: LintResult) -> list[tuple[str, str, int | None, str | None, str]]:
    return [(f.path, f.code, f.line, f.field, f.message) for f in result.findings]


def age_everything(root: Path, seconds: int = 10) -> None:
    """Files written seconds ago: a cache written now trusts their stat (no "racy" re-reading)."""
    moment = dt.datetime.now().timestamp() - seconds
    for path in (root / "records").glob("*.md"):
        os.utime(path, (moment, moment))


def test_a_warm_run_reports_what_a_cold_run_reports(corpus: Path) -> None:
    age_everything(corpus)
    cold = lint(corpus, use_cache=False)
    first = lint(corpus)
    warm = lint(corpus)
    assert shown(cold) == shown(first) == shown(warm)
    assert cold.findings and first.cache_hits == 0 and warm.cache_hits == 4
    assert (corpus / CACHE_FOLDER / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"


def test_no_cache_leaves_no_folder(corpus: Path) -> None:
    lint(corpus, use_cache=False)
    assert not (corpus / CACHE_FOLDER).exists()


def test_an_edited_file_is_checked_again(corpus: Path) -> None:
    age_everything(corpus)
    lint(corpus)
    write_record(corpus / "records", clean_record("us-storage-act-2020", **{"provenance.reviewer": ""}))
    warm = lint(corpus)
    assert warm.cache_hits == 3
    assert shown(warm) == shown(lint(corpus, use_cache=False))
    assert any(f.path.endswith("us-storage-act-2020.md") and f.code == "A001" for f in warm.findings)


def test_a_touched_file_whose_content_is_the_same_is_a_hit(corpus: Path) -> None:
    age_everything(corpus, seconds=60)
    lint(corpus)
    age_everything(corpus, seconds=30)  # every stat changed, no content did
    warm = lint(corpus)
    assert warm.cache_hits == 4
    assert shown(warm) == shown(lint(corpus, use_cache=False))


def test_cross_record_findings_are_recomputed_when_another_file_changes(corpus: Path) -> None:
    """A hook run on one unchanged file still sees a duplicate id that another file just took."""
    target = corpus / "records" / "us-storage-act-2020.md"
    age_everything(corpus)
    before = lint(corpus, target)
    assert not any(f.code.startswith("I") for f in before.findings)
    write_record(corpus / "records", clean_record("us-storage-act-2020"), name="copy.md")
    after = lint(corpus, target)
    assert after.cache_hits >= 4  # the target itself came from the cache
    assert shown(after) == shown(lint(corpus, target, use_cache=False))
    assert any(f.code.startswith("I") for f in after.findings)


def test_a_deleted_file_leaves_the_index(corpus: Path) -> None:
    age_everything(corpus)
    lint(corpus)
    (corpus / "records" / "us-old-act-2010.md").unlink()
    warm = lint(corpus)
    assert shown(warm) == shown(lint(corpus, use_cache=False))
    plan = make_plan(load_config(corpus), DAY, corpus)
    reopened = LintCache(corpus / CACHE_FOLDER, plan_fingerprint(plan))
    assert reopened.position(str(corpus / "records" / "us-old-act-2010.md")) is None
    assert reopened.position(str(corpus / "records" / "us-gap-2019.md")) is not None


def test_other_settings_never_reuse_results(corpus: Path) -> None:
    age_everything(corpus)
    lint(corpus)
    (corpus / "ccus-records.toml").write_text('records = ["records"]\nignore = ["A001"]\n', encoding="utf-8")
    changed = lint(corpus)
    assert changed.cache_hits == 0
    assert not any(f.code == "A001" for f in changed.findings)


@pytest.mark.parametrize(
    "damage",
    [
        "not a database at all",
        "index-not-json",
        "index-wrong-types",
        "index-short-column",
    ],
)
def test_a_damaged_cache_is_no_cache(corpus: Path, damage: str) -> None:
    age_everything(corpus)
    expected = shown(lint(corpus, use_cache=False))
    lint(corpus)
    database = corpus / CACHE_FOLDER / DATABASE
    if damage == "not a database at all":
        database.write_bytes(b"\x00garbage" * 100)
    else:
        connection = sqlite3.connect(database)
        index = json.loads(connection.execute("SELECT value FROM meta WHERE key = 'index'").fetchone()[0])
        if damage == "index-not-json":
            text = "{not json"
        elif damage == "index-wrong-types":
            index["supersedes"] = [5 for _ in index["paths"]]
            index["mtime_ns"] = ["x" for _ in index["paths"]]
            text = json.dumps(index)
        else:
            index["status"] = index["status"][:-1]
            text = json.dumps(index)
        with connection:
            connection.execute("UPDATE meta SET value = ? WHERE key = 'index'", (text,))
        connection.close()
    damaged = lint(corpus)
    assert shown(damaged) == expected
    assert damaged.cache_hits == 0
    assert shown(lint(corpus)) == expected  # and the next run has a good cache again


def test_findings_stored_for_other_content_are_not_used(corpus: Path) -> None:
    """Two runs racing: the findings row holds another content's findings. The digest tells them apart."""
    target = corpus / "records" / "us-gap-2019.md"
    age_everything(corpus)
    lint(corpus, target)
    database = corpus / CACHE_FOLDER / DATABASE
    connection = sqlite3.connect(database)
    with connection:
        connection.execute("UPDATE findings SET digest = 'other', findings = '[]'")
    connection.close()
    assert shown(lint(corpus, target)) == shown(lint(corpus, target, use_cache=False))
    assert lint(corpus, target).findings


def test_changes_go_to_the_overlay_until_it_is_folded_into_the_index(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ccus_records.engine import cache

    monkeypatch.setattr(cache, "OVERLAY_LIMIT", 2)
    age_everything(corpus)
    lint(corpus)
    database = corpus / CACHE_FOLDER / DATABASE

    def overlay_rows() -> int:
        connection = sqlite3.connect(database)
        try:
            return int(connection.execute("SELECT count(*) FROM overlay").fetchone()[0])
        finally:
            connection.close()

    def write_aged(data: dict[str, object]) -> None:
        path = write_record(corpus / "records", data)
        moment = dt.datetime.now().timestamp() - 10
        os.utime(path, (moment, moment))

    assert overlay_rows() == 0
    write_aged(clean_record("us-storage-act-2020", title="Changed once"))
    assert shown(lint(corpus)) == shown(lint(corpus, use_cache=False))
    assert overlay_rows() == 1
    (corpus / "records" / "us-old-act-2010.md").unlink()
    warm = lint(corpus)
    assert warm.cache_hits == 3 and shown(warm) == shown(lint(corpus, use_cache=False))
    assert overlay_rows() == 2
    write_aged(clean_record("us-new-2022"))
    assert shown(lint(corpus)) == shown(lint(corpus, use_cache=False))
    assert overlay_rows() == 0  # folded into the index
    assert lint(corpus).cache_hits == 4


def test_a_damaged_overlay_row_is_no_cache(corpus: Path) -> None:
    age_everything(corpus)
    expected = shown(lint(corpus, use_cache=False))
    lint(corpus)
    connection = sqlite3.connect(corpus / CACHE_FOLDER / DATABASE)
    with connection:
        connection.execute("INSERT INTO overlay VALUES (?, ?)", (str(corpus / "records" / "x.md"), "[1, 2]"))
    connection.close()
    damaged = lint(corpus)
    assert damaged.cache_hits == 0 and shown(damaged) == expected


@pytest.mark.parametrize("pool", [False, True], ids=["in-process", "worker-pool"])
def test_findings_handed_over_are_the_findings_a_run_keeps(
    corpus: Path, monkeypatch: pytest.MonkeyPatch, pool: bool
) -> None:
    """`report` counts findings as lint hands them over; it must see each one exactly once."""
    from ccus_records.engine import lint as engine

    write_record(corpus / "records", clean_record("us-storage-act-2020"), name="copy.md")  # a cross-record finding
    if pool:
        monkeypatch.setattr(engine, "POOL_THRESHOLD", 2)
    kept = lint(corpus, use_cache=False)
    handed: list[object] = []
    counted = run_lint(load_config(corpus), [], DAY, corpus, consume=handed.extend).result
    assert counted.findings == [] and counted.files == kept.files == 5
    assert sorted(map(repr, handed)) == sorted(map(repr, kept.findings))
    assert any(getattr(finding, "code", "").startswith("I") for finding in handed)


@pytest.mark.parametrize("use_cache", [False, True, True])
def test_every_finding_has_every_field_whether_checked_or_decoded_from_the_cache(
    corpus: Path, use_cache: bool
) -> None:
    from ccus_records.engine.findings import Finding

    findings = lint(corpus, use_cache=use_cache).findings
    assert findings
    for finding in findings:
        assert len(finding) == len(Finding._fields)
        assert Finding(*finding) == finding and repr(finding).startswith("Finding(code=")
