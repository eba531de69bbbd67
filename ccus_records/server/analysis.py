"""What the language server says about open records, in lsprotocol's types: findings, hovers, the canonical
form, fixes and completions. Everything comes from the one lint API and the features below; this module
only places it in a buffer. It never writes a file (the lint cache aside, as `lint` keeps it).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types

from ccus_records.engine.config import Config, load_config
from ccus_records.engine.findings import Finding
from ccus_records.errors import CcusRecordsError
from ccus_records.recordfile.reader import RecordFile, display_path, parse_unsaved_text

if TYPE_CHECKING:
    from ccus_records.engine.state import CorpusState

SOURCE = "ccus-records"
SEVERITIES = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "info": types.DiagnosticSeverity.Information,
}
# Where a rule's explanation is, when the `ruleDocs` setting does not say: the rule reference of the
# project's own manual (docs/rules.md), if it has one. Anchors are MkDocs's: `### A001 name` -> `#a001-name`.
RULE_REFERENCE = Path("docs") / "rules.md"
# The section of the editor's settings the server reads (workspace/configuration, didChangeConfiguration).
SECTION = "ccus-records"


@dataclass
class Settings:
    """What an editor may set: initializationOptions, overridden by the editor's settings under "ccus-records"
    (asked for with workspace/configuration where the editor answers it, else as sent with
    workspace/didChangeConfiguration)."""

    today: dt.date | None = None  # the date the audit rules count from (default: the real date)
    rule_docs: str | None = None  # base URL of the rule reference; `#code-name` is appended
    debounce: float = 0.3  # seconds to wait after a change before linting the buffer

    def update(self, values: object) -> None:
        if not isinstance(values, dict):
            return
        nested = values.get(SECTION)
        if isinstance(nested, dict):
            values = nested
        assert isinstance(values, dict)
        from ccus_records.schema.dates import parse_iso_date

        today = values.get("today")
        if isinstance(today, str):
            self.today = parse_iso_date(today)
        docs = values.get("ruleDocs")
        if isinstance(docs, str) and docs:
            self.rule_docs = docs
        debounce = values.get("debounce")
        if isinstance(debounce, (int, float)) and 0 <= debounce <= 10:
            self.debounce = float(debounce)

    def day(self) -> dt.date:
        return self.today or dt.date.today()


# --- which buffers are records ---------------------------------------------------------------------------


def config_for(path: Path) -> Config:
    return load_config(path.parent)


def is_record(path: Path, text: str, config: Config | None) -> bool:
    """A Markdown file inside the records folders, or any Markdown file that opens with front matter."""
    if path.suffix.lower() != ".md":
        return False
    if text.split("\n", 1)[0].rstrip("\r") == "---":
        return True
    if config is None:
        return False
    folders = config.records
    absolute = os.path.abspath(path)
    return any(absolute.startswith(os.path.join(os.path.abspath(folder), "")) for folder in folders)


# --- positions -------------------------------------------------------------------------------------------


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def to_utf16(line: str, column: int) -> int:
    """A code-point column of a line as the UTF-16 column LSP counts in."""
    return utf16_length(line[:column])


def from_utf16(line: str, character: int) -> int:
    """A UTF-16 column from the editor as a code-point column of the line."""
    count = 0
    for index, char in enumerate(line):
        if count >= character:
            return index
        count += 2 if ord(char) > 0xFFFF else 1
    return len(line)


def whole_document(text: str) -> types.Range:
    lines = text.split("\n")
    return types.Range(types.Position(0, 0), types.Position(len(lines) - 1, utf16_length(lines[-1])))


def finding_range(finding: Finding, lines: Sequence[str]) -> types.Range:
    """From the finding's column to the end of its line (the key and its value), never a bare point."""
    index = (finding.line or 1) - 1
    if index >= len(lines) or index < 0:
        index = max(0, min(index, len(lines) - 1)) if lines else 0
    line = lines[index].rstrip("\r") if lines else ""
    end = len(line.rstrip())
    start = max(0, (finding.column or 1) - 1)
    if finding.line is None or start >= end:
        start = len(line) - len(line.lstrip())
    if start >= end:
        start, end = 0, len(line)
    return types.Range(types.Position(index, to_utf16(line, start)), types.Position(index, to_utf16(line, end)))


def lint_message(finding: Finding) -> str:
    """The finding as `lint` prints it, less the place, code and severity the editor shows on their own."""
    return f"{finding.message} ({finding.field})" if finding.field else finding.message


def rule_href(finding: Finding, settings: Settings, config: Config | None) -> str | None:
    anchor = f"#{finding.code.lower()}-{finding.name}"
    if settings.rule_docs:
        return settings.rule_docs + anchor
    if config is not None:
        page = config.root / RULE_REFERENCE
        if page.is_file():
            return page.resolve().as_uri() + anchor
    return None


def diagnostics(
    findings: Sequence[Finding], text: str, settings: Settings, config: Config | None
) -> list[types.Diagnostic]:
    lines = text.split("\n")
    made = []
    for finding in findings:
        href = rule_href(finding, settings, config)
        made.append(
            types.Diagnostic(
                range=finding_range(finding, lines),
                message=lint_message(finding),
                severity=SEVERITIES.get(finding.severity, types.DiagnosticSeverity.Warning),
                code=finding.code,
                code_description=types.CodeDescription(href=href) if href else None,
                source=SOURCE,
                data={"field": finding.field, "name": finding.name},
            )
        )
    return made


def problem_diagnostic(message: str) -> types.Diagnostic:
    """Why the buffer could not be linted at all (no configuration that works, say), on its first line."""
    return types.Diagnostic(
        range=types.Range(types.Position(0, 0), types.Position(0, 3)),
        message=message,
        severity=types.DiagnosticSeverity.Error,
        source=SOURCE,
    )


# --- linting open buffers --------------------------------------------------------------------------------


@dataclass
class Outcome:
    config: Config | None
    findings: dict[Path, list[Finding]]  # for every open record of the corpus (empty lists included)
    problem: str | None = None


def lint_buffers(
    path: Path,
    buffers: Mapping[Path, str],
    settings: Settings,
    state_for: Callable[[Path], CorpusState] | None = None,
) -> Outcome:
    """`lint` on the open records of `path`'s corpus, each read from its buffer, the rest from disk (as
    `state_for(root)`, what is kept of the corpus, last saw it)."""
    from ccus_records.engine.lint import lint

    try:
        config = config_for(path)
    except CcusRecordsError as error:
        return Outcome(None, {path: []}, str(error))
    root = config.root
    open_records: dict[Path, str] = {}
    for other, text in buffers.items():
        if other != path:
            try:
                if config_for(other).root != root:
                    continue
            except CcusRecordsError:
                continue
        if is_record(other, text, config):
            open_records[other] = text
    if path not in open_records:
        return Outcome(config, {path: []})
    state = state_for(root) if state_for is not None else None
    try:
        run = lint(config, sorted(open_records), settings.day(), root, texts=open_records, use_cache=True, state=state)
    except CcusRecordsError as error:
        return Outcome(config, {path: []}, str(error))
    if state is not None:
        state.forget_texts(os.path.abspath(other) for other in open_records)
    by_display = {display_path(other, root): other for other in open_records}
    found: dict[Path, list[Finding]] = {other: [] for other in open_records}
    for finding in run.findings:
        owner = by_display.get(finding.path)
        if owner is not None:
            found[owner].append(finding)
    return Outcome(config, found)


def read_buffer(path: Path, text: str, config: Config | None) -> RecordFile:
    limit = config.settings.max_file_bytes if config is not None else 8 * 1024 * 1024
    return parse_unsaved_text(text, path, path.name, limit)


# --- hover -----------------------------------------------------------------------------------------------


def field_at(file: RecordFile, line: int, column: int) -> str | None:
    """The dotted name of the record field whose key is on `line` (1-based) at or before `column`."""
    from ccus_records.schema.table import groups, leaves

    if file.data is None:
        return None
    text = file.text or ""
    lines = text.split("\n")
    if not 0 < line <= len(lines):
        return None
    here = lines[line - 1]
    best = None
    for dotted in [name for name, _ in groups()] + [name for name, _ in leaves()]:
        found_line, found_column = file.locate(dotted)
        if found_line != line or found_column is None:
            continue
        key = dotted.rsplit(".", 1)[-1]
        rest = here[found_column - 1 :]
        if rest.startswith((f'"{key}"', f"{key}:", f"'{key}'")) and (best is None or len(dotted) > len(best)):
            best = dotted
    return best


def field_hover(dotted: str) -> str:
    from ccus_records.schema.table import Group, member

    field = member(dotted)
    if isinstance(field, Group):
        return f"**{dotted}**: an object ({', '.join(field.fields)})"
    parts = [f"**{dotted}**: {field.kind}"]
    if field.choices:
        parts.append("one of " + ", ".join(f"`{choice}`" for choice in field.choices))
    if field.minimum is not None or field.maximum is not None:
        parts.append(f"from {field.minimum} to {field.maximum}")
    text = "; ".join(parts)
    if field.description:
        text += f"\n\n{field.description}"
    return text


def rule_explanation(code: str, config: Config | None) -> str | None:
    """The rule's explanation as `ccus-records rule CODE` prints it."""
    from ccus_records.engine.lint import available_rules
    from ccus_records.render.catalog_text import rule_text
    from ccus_records.rules import rule_by_code

    try:
        catalog = available_rules(config) if config is not None else None
    except CcusRecordsError:
        catalog = None
    if catalog is None:
        from ccus_records.rules import BUILTIN_RULES

        catalog = BUILTIN_RULES
    rule = rule_by_code(catalog, code)
    if rule is None:
        return None
    level = config.settings.severity.get(rule.code, rule.severity) if config is not None else rule.severity
    return rule_text(rule, level)


def contains(area: types.Range, position: types.Position) -> bool:
    start, end = area.start, area.end
    after_start = (position.line, position.character) >= (start.line, start.character)
    before_end = (position.line, position.character) <= (end.line, end.character)
    return after_start and before_end


# --- formatting and fixes --------------------------------------------------------------------------------


def formatting_edit(file: RecordFile, text: str) -> list[types.TextEdit] | str:
    """The edit to the canonical form `fmt` writes, or why `fmt` refuses the record."""
    from ccus_records.features.fix import Refusal, formatted_text

    wanted = formatted_text(file)
    if isinstance(wanted, Refusal):
        return wanted.reason
    if wanted == text:
        return []
    return [types.TextEdit(range=whole_document(text), new_text=wanted)]


def code_actions(
    uri: str,
    file: RecordFile,
    text: str,
    config: Config,
    settings: Settings,
    context: Sequence[types.Diagnostic],
) -> list[types.CodeAction]:
    """Every fix `lint --fix` can make: safe ones as preferred quick fixes, unsafe ones titled so."""
    from ccus_records.engine.lint import make_plan
    from ccus_records.features.fix import fix_offers

    plan = make_plan(config, settings.day(), config.root)
    actions = []
    for offer in fix_offers(file, plan):
        rule = plan.rule_by_code.get(offer.code)
        name = rule.name if rule is not None else offer.code
        title = f"Fix {offer.code} ({name})" if offer.safe else f"Fix {offer.code} ({name}) - unsafe: changes content"
        related = [item for item in context if item.code == offer.code]
        action = types.CodeAction(
            title=title,
            kind=types.CodeActionKind.QuickFix,
            diagnostics=related or None,
            is_preferred=offer.safe,
        )
        if offer.fixed is not None:
            action.edit = types.WorkspaceEdit(
                changes={uri: [types.TextEdit(range=whole_document(text), new_text=offer.fixed)]}
            )
        else:
            action.disabled = types.CodeActionDisabled(reason=offer.refused or "no fix can be made")
        actions.append(action)
    return actions


# --- completion ------------------------------------------------------------------------------------------

_KEY = re.compile(r'^\s*(?:-\s+)?(?:"(?P<json>[A-Za-z_]+)"|(?P<yaml>[A-Za-z_]+))\s*:\s*(?P<rest>.*)$')
ID_FIELDS = ("supersededBy", "supersedes")
VALUE_FIELDS = ("status", "reviewStatus", "category", "legalWeight", "country", *ID_FIELDS)


def completion_key(lines: Sequence[str], line: int, column: int) -> tuple[str, int] | None:
    """The field whose value is being typed at (line, column) (0-based, code points), and where the value
    typed so far starts; list items of `supersedes` count too."""
    before = lines[line][:column] if line < len(lines) else ""
    match = _KEY.match(before)
    if match:
        key = match.group("json") or match.group("yaml")
        start = match.start("rest")
        return (key, start) if key in VALUE_FIELDS else None
    # An item of a list: look up for the key that opened it.
    stripped = before.lstrip()
    start = len(before) - len(stripped) + (2 if stripped.startswith("- ") else 0)
    for above in range(line - 1, max(-1, line - 200), -1):
        match = _KEY.match(lines[above])
        if match:
            key = match.group("json") or match.group("yaml")
            rest = match.group("rest").strip()
            if key == "supersedes" and rest in ("", "["):
                return key, start
            return None
        if "]" in lines[above]:
            return None
    return None


def completion_values(key: str, config: Config | None, record_ids: Sequence[str]) -> list[str]:
    from ccus_records.schema.vocabulary import DEFAULT_CATEGORIES, DEFAULT_LEGAL_WEIGHTS, REVIEW_STATUSES, STATUSES

    if key == "status":
        return list(STATUSES)
    if key == "reviewStatus":
        return list(REVIEW_STATUSES)
    if key == "category":
        return list(config.settings.vocabulary.category if config is not None else DEFAULT_CATEGORIES)
    if key == "legalWeight":
        return list(config.settings.vocabulary.legalWeight if config is not None else DEFAULT_LEGAL_WEIGHTS)
    if key == "country":
        from ccus_records.schema.countries import country_names

        return list(country_names())
    if key in ID_FIELDS:
        return list(record_ids)
    return []


def completion_items(
    line_text: str, line: int, column: int, start: int, values: Sequence[str]
) -> list[types.CompletionItem]:
    """Items replacing the value typed so far (quoted as JSON when the value opened with a quote)."""
    typed = line_text[start:column]
    quoted = typed.startswith('"')
    area = types.Range(
        types.Position(line, to_utf16(line_text, start)), types.Position(line, to_utf16(line_text, column))
    )
    items = []
    for value in values:
        text = f'"{value}"' if quoted else value
        items.append(
            types.CompletionItem(
                label=value,
                kind=types.CompletionItemKind.Value,
                filter_text=text,
                text_edit=types.TextEdit(range=area, new_text=text),
            )
        )
    return items


def record_ids(config: Config, settings: Settings) -> list[str]:
    """The ids of the corpus's records, as read by `lint` (no rule run)."""
    from ccus_records.engine.lint import lint

    def record_id(file: RecordFile) -> str | None:
        return file.record_id

    try:
        run = lint(config, [], settings.day(), config.root, select=[], collect=record_id, use_cache=True)
    except CcusRecordsError:
        return []
    return sorted({value for value in run.result.collected.values() if isinstance(value, str) and value})
