"""`list` and `show`: the records of a corpus, filtered, sorted and cut to the columns asked for."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ccus_records.engine.config import Config
from ccus_records.engine.findings import Finding
from ccus_records.errors import CcusRecordsError
from ccus_records.features.query import Condition, QueryError, check_values, matches_all
from ccus_records.recordfile.reader import RecordFile, display_path, read_record_file
from ccus_records.schema.fields import get_path, group_fields, record_fields
from ccus_records.suggest import hint

DEFAULT_COLUMNS: tuple[str, ...] = ("id", "title", "country", "category", "status", "reviewStatus", "year")
# Not a record field: where the record is.
PATH_COLUMN = "path"


class ListError(CcusRecordsError, ValueError):
    """A column, sort field or record that cannot be used or found (exit 2)."""


@dataclass(frozen=True)
class ListedRecord:
    """One record of the listing: its file, its data (empty when the file does not parse), its findings."""

    path: Path
    display: str
    data: dict[str, Any]
    parsed: bool
    codes: frozenset[str] = frozenset()

    def value(self, column: str) -> Any:
        """The full value of a dotted column (an object for a group such as `analysis.mrv`)."""
        if column == PATH_COLUMN:
            return self.display
        return get_path(self.data, column)


@dataclass(frozen=True)
class Listing:
    records: tuple[ListedRecord, ...]
    columns: tuple[str, ...]
    unparsed: tuple[str, ...] = ()  # files left out because they hold no record data
    total: int = 0  # records that matched before --limit


def check_column(name: str, option: str) -> str:
    """A dotted field, a group of fields, or `path`; anything else is an error naming the option."""
    name = name.strip()
    if name == PATH_COLUMN or name in record_fields() or name in group_fields():
        return name
    known = (*record_fields(), *group_fields(), PATH_COLUMN)
    raise ListError(f"{option}: unknown field {name!r}{hint(name, known)}")


def parse_columns(text: str | None) -> tuple[str, ...]:
    if text is None:
        return DEFAULT_COLUMNS
    columns = tuple(check_column(part, "--columns") for part in text.split(",") if part.strip())
    if not columns:
        raise ListError("--columns: name at least one field")
    return columns


def parse_sort(text: str | None) -> tuple[str, bool] | None:
    """(field, descending) from `FIELD` or `-FIELD`."""
    if text is None or not text.strip():
        return None
    text = text.strip()
    descending = text.startswith("-")
    return check_column(text.lstrip("-"), "--sort"), descending


def _sort_value(value: Any) -> tuple[int, Any]:
    # Numbers before text, so that a mistyped score does not stop the sort; each compares within its kind.
    if isinstance(value, bool):
        return (1, str(value))
    if isinstance(value, int | float):
        return (0, value)
    if isinstance(value, str):
        return (1, value.casefold())
    if isinstance(value, list):
        return (1, "; ".join(str(item) for item in value).casefold())
    return (1, json.dumps(value, sort_keys=True, ensure_ascii=False))


def _missing(value: Any) -> bool:
    return value is None or value == "" or value == [] or (isinstance(value, str) and not value.strip())


def sort_records(records: Sequence[ListedRecord], column: str, descending: bool) -> list[ListedRecord]:
    """Sorted by one column; records without a value come last either way, in file order."""
    present = [record for record in records if not _missing(record.value(column))]
    absent = [record for record in records if _missing(record.value(column))]
    present.sort(key=lambda record: _sort_value(record.value(column)), reverse=descending)
    return present + absent


def read_listed(path: Path, cwd: Path, max_bytes: int) -> ListedRecord:
    display = display_path(path, cwd)
    try:
        file = read_record_file(path, display, max_bytes)
    except OSError:
        return ListedRecord(path, display, {}, False)
    return ListedRecord(path, display, file.data or {}, file.data is not None)


def findings_by_path(findings: Sequence[Finding]) -> dict[str, set[str]]:
    codes: dict[str, set[str]] = {}
    for finding in findings:
        codes.setdefault(finding.path, set()).add(finding.code)
    return codes


def has_codes(record: ListedRecord, wanted: Sequence[Sequence[str]]) -> bool:
    """Each group must hold; within a group (`A001,A002`) any code or prefix will do."""
    return all(
        any(prefix == "ALL" or code.startswith(prefix) for code in record.codes for prefix in group) for group in wanted
    )


@dataclass(frozen=True)
class ListQuery:
    conditions: tuple[Condition, ...] = ()
    has: tuple[tuple[str, ...], ...] = ()  # selector groups, upper case
    columns: tuple[str, ...] = DEFAULT_COLUMNS
    sort: tuple[str, bool] | None = None
    limit: int | None = None
    today: dt.date = field(default_factory=dt.date.today)


def list_records(config: Config, paths: Sequence[Path], cwd: Path, query: ListQuery) -> Listing:
    """The records of the corpus (or of the paths) that meet every condition, sorted and limited."""
    from ccus_records.engine.lint import available_rules, lint
    from ccus_records.engine.selection import SelectionError, normalise_selectors

    def listed(file: RecordFile) -> ListedRecord:
        return ListedRecord(file.path, file.display, file.data or {}, file.data is not None)

    # One pass reads each file once: the rules `--has` asks about (none without it) and the listing.
    selectors = sorted({selector for group in query.has for selector in group})
    if selectors:
        known = [rule.code for rule in available_rules(config)]
        try:
            for group in query.has:
                normalise_selectors(group, known, "--has")
        except SelectionError as error:
            raise ListError(str(error)) from None
    run = lint(config, paths, query.today, cwd, select=selectors, collect=listed, use_cache=bool(selectors))
    records: list[ListedRecord] = list(run.result.collected.values())
    vocabulary = config.settings.vocabulary
    try:
        # Against every record searched, --has or not: a value some record has is a filter, never an error.
        check_values(query.conditions, (record.data for record in records), vocabulary.category, vocabulary.legalWeight)
    except QueryError as error:
        raise ListError(str(error)) from None
    if query.has:
        codes = findings_by_path(run.findings)
        records = [
            ListedRecord(r.path, r.display, r.data, r.parsed, frozenset(codes.get(r.display, ()))) for r in records
        ]
        records = [record for record in records if has_codes(record, query.has)]
    # A file that does not parse has no fields: it is listed only when a finding was asked for.
    unparsed = tuple(record.display for record in records if not record.parsed and not query.has)
    records = [record for record in records if record.parsed or query.has]
    records = [record for record in records if matches_all(record.data, list(query.conditions))]
    if query.sort is not None:
        records = sort_records(records, *query.sort)
    total = len(records)
    if query.limit is not None:
        records = records[: query.limit]
    return Listing(tuple(records), query.columns, unparsed, total)


@dataclass(frozen=True)
class Shown:
    """One record for `show`: its file as read, and every finding lint reports on it."""

    file: RecordFile
    findings: tuple[Finding, ...]


def show_record(config: Config, target: str, cwd: Path, today: dt.date) -> Shown:
    """A record and its lint findings (cross-record ones included, judged against the whole corpus).

    One lint pass finds the record (by path, or by id among the corpus), reads it and checks it.
    """
    from ccus_records.engine.lint import lint
    from ccus_records.engine.lookup import find_record, is_path, matching_id
    from ccus_records.features.diff import describe_unparsed

    if is_path(target, cwd):
        run = lint(config, [cwd / target], today, cwd, collect=lambda file: file, use_cache=True)
    else:
        run = lint(config, [], today, cwd, collect=matching_id(target), use_cache=True)
        if len(run.result.collected) != 1:
            find_record(config, cwd, target)  # says why: no such record, or more than one
    (file,) = run.result.collected.values()
    if file.data is None:
        raise ListError(describe_unparsed(file))
    return Shown(file, tuple(run.findings))


__all__ = [
    "DEFAULT_COLUMNS",
    "ListError",
    "ListQuery",
    "ListedRecord",
    "Listing",
    "Shown",
    "list_records",
    "show_record",
]
