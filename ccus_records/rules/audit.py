"""A: what a record claims about its own review holds up."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import ClassVar

from ccus_records.rules.base import ALWAYS, DaySpan, RecordContext, Rule, Severity, Violation, span_around
from ccus_records.rules.completeness import is_blank
from ccus_records.rules.patterns import MAX_SUBJECT


def same_person(first: str, second: str) -> bool:
    return bool(first.strip()) and first.strip().casefold() == second.strip().casefold()


class VerifiedWithoutReviewer(Rule):
    """`reviewStatus` is verified and `provenance.reviewer` is empty.

    What it checks
        A verified record names who verified it.

    Why an auditor cares
        "Verified" by nobody is not verified; it is the most misleading state a record can be in, because
        every consumer of the corpus stops checking it.

    Example
        `"reviewStatus": "verified"` with `"provenance": {"reviewer": "", ...}`.

    How to fix
        Have a person review it (`ccus-records review ID --reviewer NAME`), or set reviewStatus back to
        pending.
    """

    code = "A001"
    name = "verified-without-reviewer"
    severity: ClassVar[Severity] = "error"

    def check(self, context: RecordContext) -> Iterator[Violation]:
        if context.text("reviewStatus") == "verified" and not context.filled("provenance.reviewer"):
            yield Violation("the record is verified but names no reviewer", "provenance.reviewer")


class VerifiedWithoutCitations(Rule):
    """`reviewStatus` is verified and some analysis dimension lacks a citation (one finding, naming them).

    What it checks
        Every analysis dimension of a verified record has a citation.

    Why an auditor cares
        Verification means the analysis was checked against the instrument; without citations there was
        nothing to check it against.

    Example
        A verified record whose five dimensions all have `"citation": ""`.

    How to fix
        Add the citations, or set reviewStatus back to pending.
    """

    code = "A002"
    name = "verified-without-citations"
    severity: ClassVar[Severity] = "error"

    def check(self, context: RecordContext) -> Iterator[Violation]:
        if context.text("reviewStatus") != "verified":
            return
        lacking = [name for name, _ in context.dimensions() if is_blank(context, f"analysis.{name}.citation")]
        if lacking:
            yield Violation(f"the record is verified but has no citation for: {', '.join(lacking)}", "analysis")


class MachineAuthoredUnreviewed(Rule):
    """`provenance.author` is a machine (a `machine-authors` pattern) and no reviewer is named.

    What it checks
        The author against the configured patterns — by default Gemini, GPT, ChatGPT, Claude, Copilot,
        Llama, Mistral, LLM and AI, case-insensitive, between word boundaries (so `GPT-4o` matches) — and
        whether a reviewer is named.

    Why an auditor cares
        Machine-written text states invented citations and dates as confidently as real ones; until a
        person has read it, it is a draft whatever its reviewStatus says.

    Example
        `"author": "Gemini Intelligence", "reviewer": ""`.

    How to fix
        Have a person review the record and name them as reviewer.
    """

    code = "A003"
    name = "machine-authored-unreviewed"
    severity: ClassVar[Severity] = "warning"

    def check(self, context: RecordContext) -> Iterator[Violation]:
        author = context.text("provenance.author")
        if context.filled("provenance.reviewer") or not author:
            return
        # The author is bounded before matching, so that no configured pattern can run away on it.
        if context.options.machine_authors.search(author[:MAX_SUBJECT]):
            yield Violation(f"written by a machine ({author!r}) and not reviewed by anyone", "provenance.author")


class SelfReview(Rule):
    """The reviewer is the author (case and surrounding space ignored).

    What it checks
        `provenance.reviewer` and `provenance.author` name different people.

    Why an auditor cares
        A review is a second pair of eyes; the author reviewing their own record is no review.

    Example
        `"author": "J. Doe", "reviewer": "j. doe "`.

    How to fix
        Have someone else review the record.
    """

    code = "A004"
    name = "self-review"
    severity: ClassVar[Severity] = "error"

    def check(self, context: RecordContext) -> Iterator[Violation]:
        if same_person(context.text("provenance.reviewer"), context.text("provenance.author")):
            yield Violation("the reviewer is the author", "provenance.reviewer")


class AuditDate(Rule):
    """`lastAuditDate` is after `--today` or before `pubDate`.

    What it checks
        The last audit lies between the instrument's publication and today.

    Why an auditor cares
        An audit dated in the future, or before the instrument existed, is a typo at best and a
        fabricated audit trail at worst.

    Example
        `"pubDate": "2024-01-15"` with `"lastAuditDate": "2023-12-01"`.

    How to fix
        Enter the date the audit really took place.
    """

    code = "A005"
    name = "audit-date"
    severity: ClassVar[Severity] = "error"

    def check(self, context: RecordContext) -> Iterator[Violation]:
        audited = context.date("provenance.lastAuditDate")
        if audited is None:
            return
        published = context.date("pubDate")
        if audited > context.options.today:
            yield Violation(
                f"last audited {audited.isoformat()}, after today ({context.options.today.isoformat()})",
                "provenance.lastAuditDate",
            )
        elif published is not None and audited < published:
            yield Violation(
                f"last audited {audited.isoformat()}, before its publication ({published.isoformat()})",
                "provenance.lastAuditDate",
            )

    def steady_days(self, context: RecordContext) -> DaySpan:
        audited = context.date("provenance.lastAuditDate")
        published = context.date("pubDate")
        if audited is None or (published is not None and audited < published):
            return ALWAYS  # never judged, or wrong whatever the day (after today, or else before publication)
        return span_around(context.options.today, audited)


class StaleAudit(Rule):
    """`lastAuditDate` is more than `max-audit-age-days` (365) before today, or a verified record has none.

    What it checks
        The age of the last audit against the configured limit, and that verified records were audited.

    Why an auditor cares
        Policies are amended; an audit more than a year old may describe an instrument that no longer
        reads that way.

    Example
        `"lastAuditDate": "2023-03-01"` judged on 2026-12-01.

    How to fix
        Re-audit the record and update `lastAuditDate` (`ccus-records review` does both).
    """

    code = "A006"
    name = "stale-audit"
    severity: ClassVar[Severity] = "warning"

    def check(self, context: RecordContext) -> Iterator[Violation]:
        audited = context.date("provenance.lastAuditDate")
        if audited is None:
            if context.text("reviewStatus") == "verified" and is_blank(context, "provenance.lastAuditDate"):
                yield Violation("the record is verified but was never audited", "provenance.lastAuditDate")
            return
        age = (context.options.today - audited).days
        if age > context.options.max_audit_age_days:
            yield Violation(
                f"last audited {age} days ago (limit {context.options.max_audit_age_days})",
                "provenance.lastAuditDate",
            )

    def steady_days(self, context: RecordContext) -> DaySpan:
        audited = context.date("provenance.lastAuditDate")
        if audited is None:
            return ALWAYS
        try:
            stale_from = audited + dt.timedelta(days=context.options.max_audit_age_days + 1)
        except OverflowError:  # a limit past the calendar's end: never stale
            return ALWAYS
        return span_around(context.options.today, stale_from)


class AbsenceLabelScore(Rule):
    """An analysis label says the thing is absent, but its score is above `absence-score-ceiling` (20).

    What it checks
        Each dimension whose label is one of `absence-labels` (Not specified, Undefined, None, N/A,
        Not applicable, Unknown, Absent; case-insensitive) has a score no higher than the ceiling.

    Why an auditor cares
        "Not specified" scored 40 contradicts itself: either the instrument provides something worth 40,
        or the score is a default nobody set.

    Example
        `"incentive": {"label": "Not specified", "score": 40, ...}`.

    How to fix
        Lower the score, or replace the label with what the instrument actually provides.
    """

    code = "A007"
    name = "absence-label-score"
    severity: ClassVar[Severity] = "warning"

    def check(self, context: RecordContext) -> Iterator[Violation]:
        ceiling = context.options.absence_score_ceiling
        for name, dimension in context.dimensions():
            label = dimension.get("label")
            score = dimension.get("score")
            if (
                isinstance(label, str)
                and label.strip().casefold() in context.options.absence_labels
                and isinstance(score, int)
                and not isinstance(score, bool)
                and score > ceiling
            ):
                yield Violation(
                    f"`{name}` is labelled {label!r} but scored {score} (above {ceiling})",
                    f"analysis.{name}.label",
                )


RULES: tuple[type[Rule], ...] = (
    VerifiedWithoutReviewer,
    VerifiedWithoutCitations,
    MachineAuthoredUnreviewed,
    SelfReview,
    AuditDate,
    StaleAudit,
    AbsenceLabelScore,
)
