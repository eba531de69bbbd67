"""The shipped corpus stays a real, small policy database: these facts cannot rot unnoticed."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from ccus_records.recordfile.canonical import canonical_text
from ccus_records.recordfile.reader import read_record_file
from ccus_records.rules.completeness import is_truncated_copy, normalise_whitespace
from ccus_records.schema.vocabulary import DEFAULT_CATEGORIES, DEFAULT_LEGAL_WEIGHTS
from tests.helpers import TODAY

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
REFERENCE = "cn-zero-carbon-parks"


def records() -> list[dict]:
    loaded = []
    for path in sorted(SEEDS.glob("*.md")):
        file = read_record_file(path, path.name)
        assert file.data is not None, path
        loaded.append({"path": path, "file": file, **file.data})
    return loaded


def test_corpus_size_and_spread() -> None:
    corpus = records()
    assert len(corpus) >= 80
    assert len({record["country"] for record in corpus}) >= 25
    assert {record["category"] for record in corpus} >= set(DEFAULT_CATEGORIES)
    assert {record["legalWeight"] for record in corpus} >= set(DEFAULT_LEGAL_WEIGHTS)


def supersession_chains(corpus: list[dict]) -> list[list[str]]:
    by_id = {record["id"]: record for record in corpus}
    chains = []
    for record in corpus:
        if record["evolution"]["supersedes"] or not record["evolution"]["supersededBy"]:
            continue
        chain = [record["id"]]
        while by_id[chain[-1]]["evolution"]["supersededBy"]:
            chain.append(by_id[chain[-1]]["evolution"]["supersededBy"])
        chains.append(chain)
    return chains


def test_at_least_three_supersession_chains() -> None:
    chains = supersession_chains(records())
    assert len(chains) >= 3, chains


def test_every_record_is_canonical_with_a_real_body_and_a_sentence_description() -> None:
    for record in records():
        file = record["file"]
        assert file.text == canonical_text(file.data, file.rest), record["id"]
        if record["id"] == REFERENCE:
            continue  # the reference record keeps its cut-off description: C005 exists for it
        body = file.body
        assert body.count("\n\n") >= 1, f"{record['id']}: the body needs two or more paragraphs"
        description = normalise_whitespace(record["description"])
        assert normalise_whitespace(body).startswith(description), record["id"]
        assert not is_truncated_copy(record["description"], body), record["id"]


def test_review_states_are_honest() -> None:
    corpus = records()
    states = Counter(record["reviewStatus"] for record in corpus if record["id"] != REFERENCE)
    assert "verified" not in states  # nobody has verified the seed records
    assert states["draft"] and states["pending"]
    assert all(not record["provenance"]["reviewer"] for record in corpus)


def test_lint_finds_no_structure_identity_date_or_vocabulary_problem(cli) -> None:
    result = cli("lint", str(SEEDS), "--today", TODAY, "--format", "json", "--select", "S,I,D,V", "--isolated")
    findings = json.loads(result.stdout)["findings"]
    # The reference record is kept verbatim, and reports 2025 events under a 2024 date: its D002 is expected.
    assert [(f["record"], f["code"]) for f in findings] == [(REFERENCE, "D002")]
