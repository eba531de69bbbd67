"""D: the record's dates agree with each other and with today."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import ClassVar

from ccus_records.rules.base import ALWAYS, DaySpan, RecordContext, Rule, Severity, Violation, span_around

_YEAR = re.compile(r"(?<![\w.])(1[6-9]\d\d|2\d\d\d)(?![\w])")
_WORD = re.compile(r"[\w'’-]+")
FORWARD_WORDS = frozenset({"by", "until", "till", "before", "through", "to", "target", "targets"})


class YearMismatch(Rule):
    """`year` is not the year of `pubDate`.

    What it checks
        The integer `year` against the year part of `pubDate`.

    Why an auditor cares
        Lists and reports group by `year`; when it disagrees with the date, the record is counted in the
        wrong year.

    Example
        `"pubDate": "2024-01-15", "year": 2023`.

    How to fix
        Correct whichever of the two is wrong.
    """

    code = "D001"
    name = "year-mismatch"
    severity: ClassVar[Severity] = "error"

    def check(self, context: RecordContext) -> Iterator[Violation]:
        published = context.date("pubDate")
        year = context.data.get("year")
        if published is not None and isinstance(year, int) and not isinstance(year, bool) and year != published.year:
            yield Violation(f"year is {year} but pubDate {published.isoformat()} is in {published.year}", "year")


def later_years(text: str, after: int, until: int) -> list[tuple[int, int]]:
    """(year, offset) of each year Y with after < Y <= until that is not a forward reference.

    A year preceded within three words by "by", "until", "target" and the like ("cut emissions by 2030")
    is a plan, not an event, so it does not count.
    """
    found: list[tuple[int, int]] = []
    # Most texts name no year in the window at all: a few substring tests say so without a regex pass.
    window = range(after + 1, until + 1)
    if len(window) <= 60 and not any(str(year) in text for year in window):
        return found
    for match in _YEAR.finditer(text):
        year = int(match.group())
        if not after < year <= until:
            continue
        before = _WORD.findall(text[max(0, match.start() - 80) : match.start()])[-3:]
        if any(word.casefold() in FORWARD_WORDS for word in before):
            continue
        found.append((year, match.start()))
    return found


class Anachronism(Rule):
    """The description or body reports a year after the record's own publication date.

    What it checks
        Years Y stated in the description or body with pubDate's year < Y ≤ the year of `--today`, unless
        preceded within three words by by, until, till, before, through, to, target or targets (a goal,
        not an event). One finding per record, naming the years.

    Why an auditor cares
        A record published in 2024 that recounts what happened in 2025 has either the wrong pubDate or
        text written later than it claims — either way its dating cannot be trusted.

    Example
        pubDate 2024-01-15 and a body that says "In June 2025, the NDRC launched...".

    How to fix
        Correct pubDate to the instrument's real date, or move later developments to the record of the
        instrument that brought them (linked through `evolution`).
    """

    code = "D002"
    name = "anachronism"
    severity: ClassVar[Severity] = "warning"

    def check(self, context: RecordContext) -> Iterator[Violation]:
        published = context.date("pubDate")
        if published is None:
            return
        today_year = context.options.today.year
        in_description = later_years(context.text("description"), published.year, today_year)
        body = context.file.body
        in_body = later_years(body, published.year, today_year)
        years = sorted({year for year, _ in in_description + in_body})
        if not years:
            return
        named = ", ".join(str(year) for year in years)
        message = f"reports year(s) {named}, after its publication year {published.year}"
        if in_description:
            yield Violation(message, "description")
            return
        text = context.file.text or ""
        offset = text.find(body) + in_body[0][1] if body and body in text else -1
        if offset >= 0:
            line = text.count("\n", 0, offset) + 1
            column = offset - (text.rfind("\n", 0, offset) + 1) + 1
            yield Violation(message, "body", line, column)
        else:
            yield Violation(message, "body")

    def steady_days(self, context: RecordContext) -> DaySpan:
        # One finding from the first year after publication that the texts report, whatever today is after it.
        published = context.date("pubDate")
        if published is None:
            return ALWAYS
        reported = [
            year
            for text in (context.text("description"), context.file.body)
            for year, _ in later_years(text, published.year, dt.MAXYEAR)
        ]
        return span_around(context.options.today, dt.date(min(reported), 1, 1)) if reported else ALWAYS


class FutureDate(Rule):
    """`pubDate` is after `--today`.

    What it checks
        The publication date is not in the future.

    Why an auditor cares
        An instrument cannot have been published after today; a future date is a typo or a placeholder.

    Example
        `"pubDate": "2062-01-15"`.

    How to fix
        Enter the real publication date. For an instrument not yet adopted, use its proposal's date and
        status Proposed.
    """

    code = "D003"
    name = "future-date"
    severity: ClassVar[Severity] = "error"

    def check(self, context: RecordContext) -> Iterator[Violation]:
        published = context.date("pubDate")
        if published is not None and published > context.options.today:
            yield Violation(
                f"pubDate {published.isoformat()} is after today ({context.options.today.isoformat()})",
                "pubDate",
            )

    def steady_days(self, context: RecordContext) -> DaySpan:
        published = context.date("pubDate")
        return ALWAYS if published is None else span_around(context.options.today, published)


RULES: tuple[type[Rule], ...] = (YearMismatch, Anachronism, FutureDate)
