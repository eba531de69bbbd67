"""`fmt` and `lint --fix`: rewriting records into canonical form and applying the fixes of fixable rules.

A fix is a function from a record file to its fixed text (or None when it has none to offer), kept in the
`FIXES` table here rather than on the rule, so that rules stay small checks. A fix is only written when the
fixed text parses, the fixed record is valid, and the rule no longer finds what it fixed; safe fixes never
change the data, unsafe ones (`--unsafe-fixes`) change content, such as a truncated description (C005).
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ccus_records.engine.config import Config
from ccus_records.engine.lint import LintPlan
from ccus_records.features.edit import EditError, corpus_roots, render_data, schema_reasons
from ccus_records.recordfile.reader import RecordFile, display_path, parse_record_bytes
from ccus_records.recordfile.writer import Snapshot, WriteError, read_snapshot, write_record_text
from ccus_records.recordfile.yamledit import same_data

# --- the fixes ------------------------------------------------------------------------------------------


def canonical_fix(file: RecordFile) -> str | None:
    """F001 and F002: the canonical form (for YAML: the framing and line endings only)."""
    from ccus_records.rules.formatting import canonical_form

    return canonical_form(file)


# A sentence end: closing punctuation and closing quotes or brackets, then white space or the end; CJK
# full stops need no space after them.
_QUOTES = "\"'”’»)\\]）」』"
_SENTENCE_END = re.compile(rf"[.!?…][{_QUOTES}]*(?=\s|$)|[。！？][{_QUOTES}]*")


def opening_sentences(body: str, length: int) -> str | None:
    """The body's opening up to its last complete sentence within `length` characters (white space
    normalised), or its first complete sentence when none ends that early; None when it has none."""
    from ccus_records.rules.completeness import normalise_whitespace

    text = normalise_whitespace(body)
    ends = [match.end() for match in _SENTENCE_END.finditer(text)]
    if not ends:
        return None
    within = [end for end in ends if end <= length]
    return text[: within[-1] if within else ends[0]].strip()


def description_fix(file: RecordFile) -> str | None:
    """C005 (unsafe): the truncated description replaced by the body's opening up to a sentence end."""
    from ccus_records.rules.completeness import is_truncated_copy, normalise_whitespace

    data = file.data
    description = data.get("description") if data else None
    if data is None or not isinstance(description, str) or not is_truncated_copy(description, file.body):
        return None
    replacement = opening_sentences(file.body, len(normalise_whitespace(description)))
    if not replacement or replacement == description:
        return None
    fixed = copy.deepcopy(data)
    fixed["description"] = replacement
    try:
        return render_data(file, fixed)
    except WriteError:
        return None


@dataclass(frozen=True)
class Fix:
    code: str
    safe: bool
    apply: Callable[[RecordFile], str | None]


# In the order they are applied: content first, then the form it is written in.
FIXES: tuple[Fix, ...] = (
    Fix("C005", safe=False, apply=description_fix),
    Fix("F001", safe=True, apply=canonical_fix),
    Fix("F002", safe=True, apply=canonical_fix),
)


def fix_for(code: str) -> Fix | None:
    return next((fix for fix in FIXES if fix.code == code), None)


# --- lint --fix -----------------------------------------------------------------------------------------


@dataclass
class FileFixes:
    display: str
    fixed: list[str] = field(default_factory=list)  # codes whose findings the written fixes removed
    refused: list[str] = field(default_factory=list)  # "CODE: why not"
    unsafe_available: list[str] = field(default_factory=list)  # codes with an unsafe fix not asked for
    before: str = ""  # the text on disk
    after: str = ""  # the fixed text (written, or only shown with `preview`)


@dataclass
class FixRun:
    files: list[FileFixes] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def fixed_count(self) -> int:
        return sum(len(item.fixed) for item in self.files)


def _fresh(text: str, file: RecordFile) -> RecordFile:
    return parse_record_bytes(text.encode("utf-8"), RecordFile(path=file.path, display=file.display))


def fix_file(
    path: Path, config: Config, cwd: Path, plan: LintPlan, unsafe: bool, preview: bool = False
) -> FileFixes | None:
    """Apply the fixes the plan's rules allow to one file (with `preview`, work them out and write
    nothing); None when it has nothing to fix."""
    from ccus_records.engine.lint import ignored_codes, kept
    from ccus_records.rules.base import RecordContext

    display = display_path(path, cwd)
    try:
        file, snapshot = read_snapshot(path, display, corpus_roots(config, cwd), config.settings.max_file_bytes)
    except WriteError as error:
        raise EditError(str(error)) from None
    if file.text is None:
        return None
    ignored = ignored_codes(path, plan)
    rules = {rule.code: rule for rule in plan.rules if kept(rule.code, ignored)}

    def finds(rule_code: str, candidate: RecordFile) -> bool:
        rule = rules[rule_code]
        if rule.needs_data and candidate.data is None:
            return False
        return any(True for _ in rule.check(RecordContext(candidate, plan.options)))

    present = [fix.code for fix in FIXES if fix.code in rules and finds(fix.code, file)]
    if not present:
        return None
    outcome = FileFixes(display)
    current = file
    for fix in FIXES:
        if fix.code not in present or not finds(fix.code, current):
            continue
        if not fix.safe and not unsafe:
            outcome.unsafe_available.append(fix.code)
            continue
        reason = _try_fix(fix, current, finds)
        if isinstance(reason, str):
            outcome.refused.append(f"{fix.code}: {reason}")
        else:
            current = reason
    outcome.fixed = [code for code in present if code in rules and not finds(code, current)]
    outcome.before, outcome.after = file.text, current.text or ""
    if current is not file and not preview:
        _write(snapshot, current, display)
    return outcome


@dataclass(frozen=True)
class FixOffer:
    """One fix `lint --fix` would make to a file: the fixed text, or why it would refuse."""

    code: str
    safe: bool
    fixed: str | None
    refused: str | None


def fix_offers(file: RecordFile, plan: LintPlan) -> list[FixOffer]:
    """Each fix the plan allows for what its rules find in `file` (an unsaved text, say), made on its own
    and checked as `lint --fix` checks it; nothing is written."""
    from ccus_records.engine.lint import ignored_codes, kept
    from ccus_records.rules.base import RecordContext

    if file.text is None or file.data is None:
        return []
    ignored = ignored_codes(file.path, plan)
    rules = {rule.code: rule for rule in plan.rules if kept(rule.code, ignored)}

    def finds(rule_code: str, candidate: RecordFile) -> bool:
        rule = rules[rule_code]
        if rule.needs_data and candidate.data is None:
            return False
        return any(True for _ in rule.check(RecordContext(candidate, plan.options)))

    offers: list[FixOffer] = []
    for fix in FIXES:
        if fix.code not in rules or not finds(fix.code, file):
            continue
        outcome = _try_fix(fix, file, finds)
        if isinstance(outcome, str):
            offers.append(FixOffer(fix.code, fix.safe, None, outcome))
        else:
            offers.append(FixOffer(fix.code, fix.safe, outcome.text or "", None))
    return offers


def _try_fix(fix: Fix, current: RecordFile, finds: Callable[[str, RecordFile], bool]) -> RecordFile | str:
    """The fixed file, or why the fix is not written."""
    text = fix.apply(current)
    if text is None:
        return "no fix can be made for this record"
    candidate = _fresh(text, current)
    if candidate.data is None:
        return "the fixed text would not parse"
    reasons = schema_reasons(candidate.data)
    if reasons:
        return f"the record is not valid ({'; '.join(reasons[:3])}); fix that first"
    if fix.safe and not same_data(candidate.data, current.data):
        return "the fix would change the data"
    if finds(fix.code, candidate):
        return "the fix would not remove the finding"
    return candidate


def _write(snapshot: Snapshot, file: RecordFile, display: str) -> None:
    try:
        write_record_text(snapshot, file.text or "", display)
    except WriteError as error:
        raise EditError(str(error)) from None


def fix_paths(
    config: Config,
    paths: Sequence[Path],
    today: dt.date,
    cwd: Path,
    select: Sequence[str] | None,
    ignore: Sequence[str],
    unsafe: bool,
    preview: bool = False,
) -> FixRun:
    """`lint --fix`: fix the target files of the run, before they are linted (with `preview`, only work
    out the fixed texts: `lint --fix --diff`)."""
    from ccus_records.engine.corpus import CorpusError, resolve_corpus
    from ccus_records.engine.lint import make_plan

    plan = make_plan(config, today, cwd, select, ignore)
    try:
        corpus = resolve_corpus(config, paths, cwd)
    except CorpusError as error:
        raise EditError(str(error)) from None
    run = FixRun()
    for path in corpus.files:
        if not corpus.is_target(path):
            continue
        try:
            outcome = fix_file(path, config, cwd, plan, unsafe, preview)
        except EditError as error:
            run.errors.append(str(error))
            continue
        if outcome is not None:
            run.files.append(outcome)
    return run


# --- fmt ------------------------------------------------------------------------------------------------


@dataclass
class Formatted:
    display: str
    before: str
    after: str
    snapshot: Snapshot

    @property
    def changed(self) -> bool:
        return self.before != self.after

    def diff(self) -> str:
        lines = difflib.unified_diff(
            self.before.splitlines(keepends=True),
            self.after.splitlines(keepends=True),
            fromfile=f"{self.display} (before)",
            tofile=f"{self.display} (formatted)",
        )
        return "".join(line if line.endswith("\n") else f"{line}\n\\ No newline at end of file\n" for line in lines)


@dataclass
class FormatRun:
    outside: int = 0  # given files left out by `records_only`
    files: list[Formatted] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def changed(self) -> list[Formatted]:
        return [item for item in self.files if item.changed]


def format_paths(config: Config, paths: Sequence[Path], cwd: Path, records_only: bool = False) -> FormatRun:
    """The canonical form of every target file; what fails to parse is an error, never guessed at.

    `records_only` leaves out given files outside the records folders (a hook is given every staged
    Markdown file); with no records folder that is an error, never a pass.
    """
    from ccus_records.engine.corpus import CorpusError, record_files, resolve_corpus
    from ccus_records.engine.scope import inside_records

    if records_only:
        if not config.records:
            raise EditError(f"--records-only: {config.no_records_message()}")
        kept = inside_records(paths, config, cwd)
        if paths and not kept:
            return FormatRun(outside=len(paths))
        paths = kept
    try:
        targets = record_files([cwd / path for path in paths]) if paths else list(resolve_corpus(config, [], cwd).files)
    except CorpusError as error:
        raise EditError(str(error)) from None
    run = FormatRun()
    for path in targets:
        display = display_path(path, cwd)
        try:
            file, snapshot = read_snapshot(path, display, corpus_roots(config, cwd), config.settings.max_file_bytes)
        except WriteError as error:
            run.errors.append(str(error))
            continue
        wanted = formatted_text(file)
        if isinstance(wanted, Refusal):
            run.errors.append(f"{display}: {wanted.reason}")
            continue
        run.files.append(Formatted(display, file.text or "", wanted, snapshot))
    return run


@dataclass(frozen=True)
class Refusal:
    reason: str


def formatted_text(file: RecordFile) -> str | Refusal:
    """The canonical form of a read record file, or why `fmt` refuses it (it never guesses)."""
    if file.text is None or file.data is None:
        problem = file.problems[0].message if file.problems else "no front matter"
        return Refusal(f"cannot format: {problem}")
    wanted = canonical_fix(file)
    if wanted is None:
        return Refusal("cannot format")
    if wanted != file.text and not same_data(_fresh(wanted, file).data, file.data):
        return Refusal("cannot format without changing its data (white space in a YAML value?)")
    return wanted


def write_formatted(run: FormatRun) -> tuple[list[Formatted], list[str]]:
    """Write every changed file: the files written, and the errors met (changed meanwhile, read-only, ...)."""
    written, errors = [], []
    for item in run.changed:
        try:
            write_record_text(item.snapshot, item.after, item.display)
            written.append(item)
        except WriteError as error:
            errors.append(str(error))
    return written, errors
