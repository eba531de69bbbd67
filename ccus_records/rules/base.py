"""What a rule is, what it is given and what it gives back.

A rule is a small class carrying its code, name, default severity and whether it can fix what it finds;
its docstring is its explanation (`ccus-records rule CODE` prints it). Per-record rules look at one
`RecordContext`; corpus rules look at the `RecordSummary` of every record. Rules never print or write.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar, Literal, NamedTuple

from ccus_records.recordfile.reader import RecordFile
from ccus_records.schema.dates import date_or_none

if TYPE_CHECKING:
    from ccus_records.rules.patterns import BoundedPattern

Severity = Literal["error", "warning", "info"]
FixKind = Literal["safe", "unsafe", "none"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")
# The first and last day of a span (None: no limit on that side).
DaySpan = tuple[dt.date | None, dt.date | None]
ALWAYS: DaySpan = (None, None)


def span_around(today: dt.date, turn: dt.date) -> DaySpan:
    """The span of a verdict that holds up to the day before `turn` and is another from `turn` on."""
    return (None, turn - dt.timedelta(days=1)) if today < turn else (turn, None)


class Violation(NamedTuple):
    """One thing a rule found: what, about which field, and where when the rule knows it already."""

    message: str
    field: str | None = None
    line: int | None = None
    column: int | None = None


@dataclass(frozen=True)
class RuleOptions:
    """What rules need from configuration, prepared once per run."""

    today: dt.date
    max_audit_age_days: int
    absence_labels: frozenset[str]
    absence_score_ceiling: int
    machine_authors: BoundedPattern  # linear-time matching (rules/patterns.py)
    categories: frozenset[str]
    legal_weights: frozenset[str]


class RecordContext:
    """One record as the per-record rules see it."""

    def __init__(self, file: RecordFile, options: RuleOptions) -> None:
        self.file = file
        self.options = options
        self.data: dict[str, Any] = file.data or {}

    def value(self, dotted: str) -> Any:
        """The value at a dotted field, or None when it is missing."""
        return lookup(self.data, dotted)

    def text(self, dotted: str) -> str:
        """The string at a dotted field, or "" when it is missing or not a string."""
        value = lookup(self.data, dotted)
        return value if isinstance(value, str) else ""

    def filled(self, dotted: str) -> bool:
        return bool(self.text(dotted).strip())

    def date(self, dotted: str) -> dt.date | None:
        return date_or_none(self.text(dotted))

    def dimensions(self) -> Iterator[tuple[str, dict[str, Any]]]:
        from ccus_records.schema.vocabulary import ANALYSIS_DIMENSIONS

        analysis = self.data.get("analysis")
        if not isinstance(analysis, dict):
            return
        for name in ANALYSIS_DIMENSIONS:
            dimension = analysis.get(name)
            if isinstance(dimension, dict):
                yield name, dimension

    @cached_property
    def schema_errors(self) -> list[dict[str, Any]]:
        from ccus_records.schema.validation import validation_errors

        return validation_errors(self.data)


_PARTS: dict[str, tuple[str, ...]] = {}


def lookup(data: Any, dotted: str) -> Any:
    parts = _PARTS.get(dotted)
    if parts is None:
        parts = _PARTS[dotted] = tuple(dotted.split("."))
    current = data
    for part in parts:
        if not isinstance(current, dict):
            return None
        current = current.get(part)
    return current


class RecordSummary(NamedTuple):
    """What the corpus rules need of a record: small enough to cache for every file."""

    display: str
    record_id: str | None
    superseded_by: str
    supersedes: tuple[str, ...]
    status: str


class Rule:
    """A per-record rule. Subclasses set the class attributes and implement `check`."""

    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity]
    # The fix `lint --fix` offers (features/fix.py FIXES): "safe" never changes the data, "unsafe" (only
    # with --unsafe-fixes) changes content, "none" is no fix. `fixable` is derived from it.
    fix: ClassVar[FixKind] = "none"
    fixable: ClassVar[bool] = False
    # Structure rules also run on files whose front matter did not parse; the others need data.
    needs_data: ClassVar[bool] = True

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.fixable = cls.fix != "none"

    def check(self, context: RecordContext) -> Iterator[Violation]:
        raise NotImplementedError

    def steady_days(self, context: RecordContext) -> DaySpan:
        """The days around `context.options.today` on which `check` finds as many violations on this record.

        A rule that reads `today` narrows the span to where its verdict on the record stays the same (its
        messages may still name the day); every other rule finds the same whatever the day. `report
        --history`, which judges each commit on its own date, checks a record again only when a commit's
        date leaves the span.
        """
        return ALWAYS

    @classmethod
    def summary(cls) -> str:
        doc = (cls.__doc__ or "").strip()
        return doc.splitlines()[0] if doc else cls.name

    @classmethod
    def explanation(cls) -> str:
        import inspect

        return inspect.cleandoc(cls.__doc__ or cls.name)


class CorpusRule(Rule):
    """A rule whose result depends on other records: it sees the summary of every record in the corpus.

    Its findings on a record depend only on the records linked to it through ids, held or named (`id`,
    `evolution.supersededBy`, `evolution.supersedes`), taken in corpus order: `report --history` runs the
    corpus rules again only on the records linked to one that changed (features/report_history.py).
    """

    def check(self, context: RecordContext) -> Iterator[Violation]:
        return iter(())

    def check_corpus(self, summaries: Sequence[RecordSummary]) -> Iterator[tuple[int, Violation]]:
        raise NotImplementedError
