"""Build N realistic synthetic records: varied countries, statuses and gaps, some YAML, supersession chains.

python -m benchmarks.generate OUT_DIR N [--yaml-share 0.05] [--seed 0] [--all-findings | --clean]
"""

from __future__ import annotations

import argparse
import copy
import io
import json
import random
from pathlib import Path
from typing import Any

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
COUNTRIES = [
    ("us", "United States"),
    ("cn", "China"),
    ("uk", "United Kingdom"),
    ("no", "Norway"),
    ("dk", "Denmark"),
    ("nl", "Netherlands"),
    ("ca", "Canada"),
    ("jp", "Japan"),
    ("au", "Australia"),
    ("id", "Indonesia"),
    ("my", "Malaysia"),
    ("br", "Brazil"),
    ("de", "Germany"),
    ("kr", "Korea, Republic of"),
    ("eu", "European Union"),
    ("int", "International"),
]
REVIEW = ["draft", "draft", "pending", "pending", "verified", "rejected"]


def _templates() -> list[tuple[dict[str, Any], str]]:
    found = []
    for path in sorted(SEEDS.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        front, rest = text[4:].split("\n---\n", 1)
        found.append((json.loads(front), rest.strip()))
    return found


def _yaml_text(data: dict[str, Any]) -> str:
    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.width = 4096
    stream = io.StringIO()
    yaml.dump(data, stream)
    return stream.getvalue().rstrip("\n")


ABSENCE = {"not specified", "undefined", "none", "n/a", "not applicable", "unknown", "absent"}


def make_record(
    index: int,
    rng: random.Random,
    templates: list[tuple[dict[str, Any], str]],
    everything_wrong: bool = False,
    clean: bool = False,
) -> tuple[dict[str, Any], str]:
    data, body = copy.deepcopy(templates[index % len(templates)][0]), templates[index % len(templates)][1]
    prefix, country = COUNTRIES[index % len(COUNTRIES)]
    data["id"] = f"{prefix}-synthetic-{index:06d}"
    data["country"] = country
    data["reviewStatus"] = rng.choice(REVIEW)
    data["provenance"]["reviewer"] = rng.choice(["", "", "J. Doe", "A. Reviewer"])
    data["provenance"]["lastAuditDate"] = rng.choice(["", "2026-10-01", "2025-03-01", "2026-11-20"])
    data["evolution"] = {"clusters": [], "supersededBy": "", "supersedes": []}
    data["status"] = rng.choice(["Active", "Active", "Draft", "Proposed", "Expired"])
    for dimension in data["analysis"].values():
        if rng.random() < 0.3:
            dimension["citation"] = ""
        dimension["score"] = rng.randint(0, 100)
    if clean:
        data["reviewStatus"] = "pending"
        data["provenance"].update(author="A. Curator", reviewer="B. Reviewer", lastAuditDate="2026-10-01")
        for name, dimension in data["analysis"].items():
            dimension.update(citation=dimension["citation"] or f"{data['title']}, {name}", auditNote="")
            dimension.update(evidence=dimension["evidence"] or "Stated in the instrument.")
            if dimension["label"].strip().casefold() in ABSENCE:
                dimension["label"] = "Provided"
        data["regulatory"] = {key: value or "Defined in the instrument." for key, value in data["regulatory"].items()}
        for key in ("interpretation", "source", "title"):
            data[key] = data[key] or "Filled in."
        data["impactAnalysis"] = {key: value or "Filled in." for key, value in data["impactAnalysis"].items()}
        sentence_end = body.find(". ") + 1
        data["description"] = body[:sentence_end] if sentence_end > 0 else body
        data["pubDate"], data["year"] = "2026-06-01", 2026
    if everything_wrong:
        data["reviewStatus"] = "verified"
        data["provenance"].update(author="GPT-4o", reviewer="", lastAuditDate="2031-01-01")
        data["year"] = data["year"] + 1
        data["country"] = "Atlantis"
        data["category"] = "Tax"
        data["title"] = ""
        data["source"] = ""
        for dimension in data["analysis"].values():
            dimension.update(citation="", evidence="", label="Not specified", score=90)
        data["regulatory"] = {key: "" for key in data["regulatory"]}
        data["description"] = body[: len(body) // 3]
        data["unexpected"] = True
    return data, body


def generate_corpus(
    folder: Path,
    count: int,
    yaml_share: float = 0.05,
    seed: int = 0,
    everything_wrong: bool = False,
    clean: bool = False,
) -> list[Path]:
    """Write `count` records into `folder`; `clean` ones have no findings, `everything_wrong` ones many."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    templates = _templates()
    records = [make_record(index, rng, templates, everything_wrong, clean) for index in range(count)]
    # Supersession chains of three, every 50 records.
    for start in range(0, count - 2, 50):
        a, b, c = records[start][0], records[start + 1][0], records[start + 2][0]
        a["evolution"].update(supersededBy=b["id"])
        b["evolution"].update(supersededBy=c["id"], supersedes=[a["id"]])
        c["evolution"].update(supersedes=[b["id"]])
        a["status"] = b["status"] = "Superseded"
    paths = []
    for data, body in records:
        if rng.random() < yaml_share:
            front = _yaml_text(data)
        else:
            front = json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False)
        path = folder / f"{data['id']}.md"
        path.write_text(f"---\n{front}\n---\n\n{body}\n", encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", type=Path)
    parser.add_argument("count", type=int)
    parser.add_argument("--yaml-share", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--all-findings", action="store_true")
    parser.add_argument("--clean", action="store_true")
    arguments = parser.parse_args()
    generate_corpus(
        arguments.folder, arguments.count, arguments.yaml_share, arguments.seed, arguments.all_findings, arguments.clean
    )


if __name__ == "__main__":
    main()
