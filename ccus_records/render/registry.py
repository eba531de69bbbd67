"""Every output format of every command, in one table: the `--format` choices, their completion and help,
and the renderer behind each, come from here and nowhere else.

A renderer is `render(subject, options) -> Iterable[str]`: the command's result (a `LintView`, a `Report`, a
`DiffResult`, a `Listing`, a `Shown`, a `Catalog`) and the `RenderOptions` the command line gathered; it returns the
output in pieces, every byte of record text already encoded for its medium (render/encode.py). The command
line writes the pieces as they come. Renderers are named as `module:function` and imported only when their
format is asked for, so that start-up stays fast.

A new lint format is one `Format` in `FORMATS["lint"]` and its renderer module.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

# NamedTuples rather than dataclasses: this module is imported on every start, and a dataclass costs about a
# millisecond to create.


class RenderOptions(NamedTuple):
    """What a renderer may be asked besides its subject; each renderer reads the options it knows."""

    colour: bool = False  # ANSI colour (only on a terminal, never with NO_COLOR)
    width: int = 120  # the terminal's width, for tables
    wrap: bool = True  # tables: wrap long cells to `width` (a terminal); else one row a line, every value whole
    statistics: bool = False  # lint: counts per code
    brief: bool = False  # diff: only which records differ
    show_missing: bool = False  # report: the records behind each gap
    rich: bool = False  # report text: rich tables (on a terminal)


Renderer = Callable[[Any, RenderOptions], Iterable[str]]


class Format(NamedTuple):
    name: str
    target: str  # "module:function" under ccus_records.render
    summary: str  # one line for --help and the docs
    aliases: tuple[str, ...] = ()  # other names --format accepts for it
    medium: str = "terminal"  # the encoder its record text goes through (render/encode.py)
    notes_on_stdout: bool = False  # lint: the baseline's notes follow the output (else they go to stderr)
    brief: bool = False  # diff: has a --brief form
    suffixes: tuple[str, ...] = ()  # report: `--output FILE` suffixes that choose it

    def renderer(self) -> Renderer:
        module, _, function = self.target.partition(":")
        found: Renderer = getattr(importlib.import_module(f"ccus_records.render.{module}"), function)
        return found


def _formats(*formats: Format) -> dict[str, Format]:
    return {item.name: item for item in formats}


FORMATS: dict[str, dict[str, Format]] = {
    "lint": _formats(
        Format("text", "lint_text:render", "one line a finding, then a summary", notes_on_stdout=True),
        Format("json", "lint_json:render", "one JSON document (format version 1)", medium="json"),
        Format("github", "lint_github:render", "GitHub Actions workflow commands", medium="workflow-command"),
        Format("sarif", "lint_sarif:render", "SARIF 2.1.0 for GitHub code scanning", medium="json"),
        Format("junit", "lint_junit:render", "JUnit XML, one test case a record file", medium="xml"),
        Format("gitlab", "lint_gitlab:render", "a GitLab code-quality report", medium="json"),
        Format("json-lines", "lint_jsonlines:render", "one JSON object a finding", medium="json"),
        Format("concise", "lint_concise:render", "one line a finding, no summary (for grep)"),
    ),
    "report": _formats(
        Format("text", "report_text:render", "tables for a terminal, plain columns in a pipe"),
        Format(
            "markdown", "report_markdown:render", "GitHub Markdown", medium="markdown", suffixes=(".md", ".markdown")
        ),
        Format("json", "report_json:render", "one JSON document, keys sorted", medium="json", suffixes=(".json",)),
        Format("html", "report_html:render", "one self-contained HTML page", medium="html", suffixes=(".html", ".htm")),
    ),
    "diff": _formats(
        Format("text", "diff_text:render", "field changes and the body diff, for a terminal", brief=True),
        Format("json", "diff_json:render", "a list of records with their changes", medium="json", brief=True),
        Format("markdown", "diff_markdown:render", "a pull-request comment", medium="markdown", brief=True),
        Format("patch", "diff_patch:render", "an RFC 6902 JSON Patch a record", medium="json"),
    ),
    "list": _formats(
        Format("table", "list_table:render", "a table for a terminal"),
        Format("json", "list_data:render_json", "a JSON list of objects", medium="json"),
        Format(
            "json-lines", "list_data:render_json_lines", "one JSON object a record", aliases=("jsonl",), medium="json"
        ),
        Format("csv", "list_data:render_csv", "CSV with a header row", medium="csv"),
        Format("ids", "list_data:render_ids", "one record id a line", medium="ids"),
    ),
    "rules": _formats(
        Format("text", "catalog_text:render_text", "one line a rule"),
        Format("json", "catalog_text:render_json", "a JSON list of rules", medium="json"),
    ),
    "log": _formats(
        Format("text", "history_text:render", "one block a commit, with its field changes"),
        Format("json", "history_json:render", "one JSON document (format version 1)", medium="json"),
    ),
    "blame": _formats(
        Format("text", "history_text:render_blame", "one line a field: its last commit"),
        Format("json", "history_json:render_blame", "one JSON document (format version 1)", medium="json"),
    ),
    "show": _formats(
        Format("text", "show_text:render", "the record for a person"),
        Format("json", "show_json:render", "the record's data as JSON", medium="json"),
    ),
}

# Forms of a command whose output is another subject: `report --history` gives a series, not a `Report`.
# Its `--format` is the command's; these are the choices that form accepts.
VARIANTS: dict[str, dict[str, Format]] = {
    "report --history": _formats(
        Format("text", "history_text:render_series", "a table, one line a commit"),
        Format("markdown", "report_history:render_markdown", "the table in GitHub Markdown", medium="markdown"),
        Format("json", "history_json:render_series", "a JSON series (format version 1)", medium="json"),
        Format("html", "report_history:render", "one self-contained HTML page with trend charts", medium="html"),
    ),
}


def formats(command: str) -> tuple[str, ...]:
    """The format names of a command, in the order --help shows them."""
    return tuple(FORMATS[command])


def find(command: str, name: str) -> Format:
    """The format a `--format` value names (its name or an alias); KeyError if none."""
    table = FORMATS[command] if command in FORMATS else VARIANTS[command]
    if name in table:
        return table[name]
    for item in table.values():
        if name in item.aliases:
            return item
    raise KeyError(name)


def render(command: str, name: str, subject: Any, options: RenderOptions) -> Iterable[str]:
    """The output of `command --format name` for `subject`, in pieces."""
    return find(command, name).renderer()(subject, options)


def help_text(command: str) -> str:
    """The `--format` help of a command (its choices are shown beside it)."""
    return "Output format." if len(FORMATS[command]) > 1 else ""


def docs_list(command: str) -> str:
    """The formats of a command as a Markdown list, for the docs: `- `name`: what it is for`."""
    lines = []
    for item in FORMATS[command].values():
        also = f" (also `{'`, `'.join(item.aliases)}`)" if item.aliases else ""
        lines.append(f"- `{item.name}`{also}: {item.summary}")
    return "\n".join(lines) + "\n"


def suffix_format(command: str, suffix: str) -> str | None:
    """The format an output file's suffix chooses (report --output x.html), if any."""
    for item in FORMATS[command].values():
        if suffix.lower() in item.suffixes:
            return item.name
    return None
