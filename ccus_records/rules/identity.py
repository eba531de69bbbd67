"""I: each record is one id, named after its file and its country, and its supersession links hold."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from typing import ClassVar

from ccus_records.rules.base import CorpusRule, RecordContext, RecordSummary, Rule, Severity, Violation
from ccus_records.schema.countries import id_prefixes

ID_PATTERN = re.compile(r"^[a-z]{2,3}(-[a-z0-9]+)+$")


class IdFormat(Rule):
    """The id does not match `^[a-z]{2,3}(-[a-z0-9]+)+$`.

    What it checks
        An id is a lowercase jurisdiction prefix of two or three letters, then one or more parts of
        lowercase letters and digits, joined by hyphens: `us-45q-ira-2022`.

    Why an auditor cares
        Ids are how records refer to each other, how files are named and how findings are traced; an id
        with spaces, capitals or underscores breaks links and shell pipelines alike.

    Example
        `"id": "US_45Q 2022"`.

    How to fix
        Rename the id (and the file, and every `supersedes`/`supersededBy` naming it) to the pattern.
    """

    code = "I001"
    name = "id-format"
    severity: ClassVar[Severity] = "error"

    def check(self, context: RecordContext) -> Iterator[Violation]:
        value = context.data.get("id")
        if isinstance(value, str) and not ID_PATTERN.match(value):
            yield Violation(f"id {value!r} does not match {ID_PATTERN.pattern}", "id")


class IdCountry(Rule):
    """The id's prefix is not the lowercase ISO 3166-1 alpha-2 code of `country`.

    What it checks
        The part of the id before the first hyphen against the country: `cn` for China, `us` for the
        United States. Also accepted: `uk` for the United Kingdom, `eu` for the European Union and `int`
        for International. Countries that are not known are left to V001.

    Why an auditor cares
        The prefix is what people sort and grep by; a record filed under the wrong jurisdiction is
        missed by everyone looking at the right one.

    Example
        `"id": "us-class-vi"` with `"country": "Canada"`.

    How to fix
        Correct the country, or rename the id (and its file) to the right prefix.
    """

    code = "I002"
    name = "id-country"
    severity: ClassVar[Severity] = "warning"

    def check(self, context: RecordContext) -> Iterator[Violation]:
        record_id = context.text("id")
        if not ID_PATTERN.match(record_id):
            return
        prefixes = id_prefixes(context.text("country"))
        prefix = record_id.split("-", 1)[0]
        if prefixes and prefix not in prefixes:
            expected = " or ".join(f"`{p}`" for p in prefixes)
            yield Violation(
                f"id prefix `{prefix}` does not match country {context.text('country')!r} (expected {expected})",
                "id",
            )


class Filename(Rule):
    """The file name is not `<id>.md`.

    What it checks
        The file's name against the record's id.

    Why an auditor cares
        Reviewers find records by file name and tools by id; when they differ, a change to one record
        is reviewed as a change to another.

    Example
        `seeds/china-parks.md` holding `"id": "cn-zero-carbon-parks"`.

    How to fix
        Rename the file (`git mv`) to the id followed by `.md`.
    """

    code = "I003"
    name = "filename"
    severity: ClassVar[Severity] = "warning"

    def check(self, context: RecordContext) -> Iterator[Violation]:
        record_id = context.data.get("id")
        if isinstance(record_id, str) and record_id and context.file.path.name != f"{record_id}.md":
            yield Violation(f"file name {context.file.path.name!r} is not `{record_id}.md`", "id")


class DuplicateId(CorpusRule):
    """Two files hold the same id; reported on each.

    What it checks
        Every id in the whole corpus (not only the files being linted) is held by one file.

    Why an auditor cares
        Links, reports and reviews are keyed by id: with two files behind one id, an audit of one is
        counted for the other.

    Example
        `seeds/us-45q-2008.md` and `seeds/archive/us-45q-2008.md` both with `"id": "us-45q-2008"`.

    How to fix
        Give one of them a new id, or delete the copy.
    """

    code = "I004"
    name = "duplicate-id"
    severity: ClassVar[Severity] = "error"

    def check_corpus(self, summaries: Sequence[RecordSummary]) -> Iterator[tuple[int, Violation]]:
        # Counting in C first: in a corpus of ten thousand records there are usually no duplicates at all.
        counts = Counter(summary.record_id for summary in summaries)
        repeated = {record_id for record_id, count in counts.items() if count > 1 and record_id}
        holders: dict[str, list[int]] = defaultdict(list)
        for index, summary in enumerate(summaries):
            if summary.record_id in repeated:
                holders[summary.record_id].append(index)
        for record_id, indexes in holders.items():
            if len(indexes) > 1:
                for index in indexes:
                    others = ", ".join(summaries[i].display for i in indexes if i != index)
                    yield index, Violation(f"id {record_id!r} is also held by {others}", "id")


def _references(summary: RecordSummary) -> Iterator[tuple[str, str]]:
    if summary.superseded_by:
        yield "evolution.supersededBy", summary.superseded_by
    for position, target in enumerate(summary.supersedes):
        yield f"evolution.supersedes[{position}]", target


class DanglingReference(CorpusRule):
    """`evolution.supersededBy` or an entry of `evolution.supersedes` names an id not in the corpus.

    What it checks
        Every id named in a record's `evolution` is held by some record of the corpus.

    Why an auditor cares
        A supersession chain with a missing link cannot be followed: which instrument is in force is
        exactly what an auditor asks.

    Example
        `"supersededBy": "eu-ccs-2024"` where no record has that id (a typo, or a record not written yet).

    How to fix
        Correct the id, write the missing record, or remove the reference.
    """

    code = "I005"
    name = "dangling-reference"
    severity: ClassVar[Severity] = "error"

    def check_corpus(self, summaries: Sequence[RecordSummary]) -> Iterator[tuple[int, Violation]]:
        known = {summary.record_id for summary in summaries if summary.record_id}
        for index, summary in enumerate(summaries):
            for dotted, target in _references(summary):
                if target not in known:
                    yield (
                        index,
                        Violation(f"{dotted} names {target!r}, which no record in the corpus holds", dotted),
                    )


class AsymmetricSupersession(CorpusRule):
    """A names B in `supersededBy` but B's `supersedes` lacks A, or the other way round.

    What it checks
        Supersession is recorded on both sides: if A is superseded by B, B supersedes A. The finding is
        on the record whose reference is not returned.

    Why an auditor cares
        Half a link means the older record looks current from one side and replaced from the other;
        readers of B never learn what it replaced.

    Example
        `us-45q-2008` has `"supersededBy": "us-45q-bba-2018"`, but `us-45q-bba-2018` has
        `"supersedes": []`.

    How to fix
        Add the missing id to the other record (`supersedes` or `supersededBy`), or remove the one-sided
        reference.
    """

    code = "I006"
    name = "asymmetric-supersession"
    severity: ClassVar[Severity] = "warning"

    def check_corpus(self, summaries: Sequence[RecordSummary]) -> Iterator[tuple[int, Violation]]:
        by_id: dict[str, RecordSummary] = {}
        for summary in summaries:
            if summary.record_id and summary.record_id not in by_id:
                by_id[summary.record_id] = summary
        for index, summary in enumerate(summaries):
            own = summary.record_id
            if not own:
                continue
            target = by_id.get(summary.superseded_by)
            if target is not None and own not in target.supersedes:
                yield (
                    index,
                    Violation(
                        f"superseded by {summary.superseded_by!r}, whose supersedes does not name {own!r}",
                        "evolution.supersededBy",
                    ),
                )
            for position, older_id in enumerate(summary.supersedes):
                older = by_id.get(older_id)
                if older is not None and older.superseded_by != own:
                    yield (
                        index,
                        Violation(
                            f"supersedes {older_id!r}, whose supersededBy is {older.superseded_by!r}, not {own!r}",
                            f"evolution.supersedes[{position}]",
                        ),
                    )


class SupersessionCycle(CorpusRule):
    """Following supersession leads back to the start.

    What it checks
        The chain of "is superseded by" links (from `supersededBy`, and from `supersedes` read the other
        way) never returns to a record it has passed.

    Why an auditor cares
        In a cycle no instrument is the current one: each is replaced by another in the loop.

    Example
        `a` superseded by `b`, `b` superseded by `a`; or a record superseded by itself.

    How to fix
        Find the link that points backwards in time and remove it.
    """

    code = "I007"
    name = "supersession-cycle"
    severity: ClassVar[Severity] = "error"

    def check_corpus(self, summaries: Sequence[RecordSummary]) -> Iterator[tuple[int, Violation]]:
        successors: dict[str, set[str]] = defaultdict(set)
        for summary in summaries:
            if not summary.record_id:
                continue
            if summary.superseded_by:
                successors[summary.record_id].add(summary.superseded_by)
            for older in summary.supersedes:
                successors[older].add(summary.record_id)
        on_cycle = _nodes_on_cycles(successors)
        for index, summary in enumerate(summaries):
            if summary.record_id in on_cycle:
                yield (
                    index,
                    Violation(
                        f"supersession from {summary.record_id!r} leads back to it: {on_cycle[summary.record_id]}",
                        "evolution",
                    ),
                )


def _nodes_on_cycles(successors: dict[str, set[str]]) -> dict[str, str]:
    """Each id that lies on a cycle, with the cycle written out; iterative, so deep chains are fine."""
    found: dict[str, str] = {}
    state: dict[str, int] = {}  # 1 on the current path, 2 finished
    for start in sorted(successors):
        if start in state:
            continue
        path: list[str] = []
        stack: list[tuple[str, Iterator[str]]] = [(start, iter(sorted(successors.get(start, ()))))]
        state[start] = 1
        path.append(start)
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                path.pop()
                state[node] = 2
                continue
            if state.get(child) == 1:
                loop = [*path[path.index(child) :], child]
                for member in loop[:-1]:
                    found.setdefault(member, " → ".join(loop))
            elif child not in state:
                state[child] = 1
                path.append(child)
                stack.append((child, iter(sorted(successors.get(child, ())))))
    return found


class StatusSupersession(Rule):
    """Status is Superseded without `supersededBy`, or `supersededBy` is set and status is not Superseded.

    What it checks
        `status` and `evolution.supersededBy` tell the same story.

    Why an auditor cares
        A record that says it is superseded but not by what, or that names its successor while claiming
        to be Active, leaves the reader unsure which instrument applies.

    Example
        `"status": "Active"` with `"supersededBy": "us-45q-ira-2022"`.

    How to fix
        Set `status` to Superseded, or fill in (or clear) `supersededBy`.
    """

    code = "I008"
    name = "status-supersession"
    severity: ClassVar[Severity] = "warning"

    def check(self, context: RecordContext) -> Iterator[Violation]:
        status = context.text("status")
        successor = context.text("evolution.supersededBy").strip()
        if status == "Superseded" and not successor:
            yield Violation("status is Superseded but evolution.supersededBy is empty", "status")
        elif successor and status != "Superseded":
            yield Violation(
                f"evolution.supersededBy is {successor!r} but status is {status!r}, not Superseded", "status"
            )


RULES: tuple[type[Rule], ...] = (
    IdFormat,
    IdCountry,
    Filename,
    DuplicateId,
    DanglingReference,
    AsymmetricSupersession,
    SupersessionCycle,
    StatusSupersession,
)
