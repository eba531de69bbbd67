"""`ccus-records server`: the Language Server Protocol over stdio (pygls), for editors.

Open records are linted from their buffers (never from disk) on open, on change (debounced) and on save,
with every open record of the same corpus laid over the files on disk, so that cross-record rules see the
buffers; each run republishes the diagnostics of every open record it covers. The server never writes a
file. Only this package imports pygls and lsprotocol: `lint` and the hook never load them.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from ccus_records import __version__
from ccus_records.engine.config import Config
from ccus_records.engine.findings import Finding
from ccus_records.errors import CcusRecordsError
from ccus_records.server import analysis

log = logging.getLogger(__name__)


class RecordServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("ccus-records", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.settings = analysis.Settings()
        self.findings: dict[str, list[Finding]] = {}  # by uri, as last published
        self.configs: dict[str, Config | None] = {}  # by uri, as of the last run
        self.pending: dict[str, asyncio.TimerHandle] = {}
        self.ids: dict[Path, list[str]] = {}  # record ids by corpus root, until a file changes

    # --- documents --------------------------------------------------------------------------------------

    def path_of(self, uri: str) -> Path | None:
        path = to_fs_path(uri)
        return Path(path) if path else None

    def buffers(self) -> dict[Path, str]:
        """Every open Markdown buffer, by path."""
        found: dict[Path, str] = {}
        for uri, document in list(self.workspace.text_documents.items()):
            path = self.path_of(uri)
            if path is not None and path.suffix.lower() == ".md":
                found[path] = document.source
        return found

    def uri_of(self, path: Path) -> str | None:
        for uri in self.workspace.text_documents:
            if self.path_of(uri) == path:
                return str(uri)
        return None

    def schedule(self, uri: str, delay: float) -> None:
        """Lint the buffer `delay` seconds from now, unless another change comes first."""
        waiting = self.pending.pop(uri, None)
        if waiting is not None:
            waiting.cancel()
        loop = asyncio.get_running_loop()
        self.pending[uri] = loop.call_later(delay, self.relint, uri)

    def relint(self, uri: str) -> None:
        self.pending.pop(uri, None)
        try:
            self.publish_for(uri)
        except Exception as error:  # a bug must cost one run's diagnostics, never the server
            log.exception("linting %s failed", uri)
            self.window_log_message(
                types.LogMessageParams(types.MessageType.Error, f"ccus-records: linting {uri} failed: {error!r}")
            )

    def publish_for(self, uri: str) -> None:
        path = self.path_of(uri)
        if path is None or uri not in self.workspace.text_documents:
            return
        outcome = analysis.lint_buffers(path, self.buffers(), self.settings)
        for owner, findings in outcome.findings.items():
            owner_uri = uri if owner == path else self.uri_of(owner)
            if owner_uri is None:
                continue
            document = self.workspace.get_text_document(owner_uri)
            self.findings[owner_uri] = findings
            self.configs[owner_uri] = outcome.config
            made = analysis.diagnostics(findings, document.source, self.settings, outcome.config)
            if outcome.problem is not None and owner == path:
                made.append(analysis.problem_diagnostic(f"ccus-records cannot lint this file: {outcome.problem}"))
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=owner_uri, diagnostics=made, version=document.version)
            )

    def relint_all(self) -> None:
        self.ids.clear()
        for uri in list(self.workspace.text_documents):
            path = self.path_of(uri)
            if path is not None and path.suffix.lower() == ".md":
                self.relint(uri)

    def config_of(self, uri: str) -> Config | None:
        if uri in self.configs:
            return self.configs[uri]
        path = self.path_of(uri)
        try:
            return analysis.config_for(path) if path is not None else None
        except CcusRecordsError:
            return None


server = RecordServer()


@server.feature(types.INITIALIZE)
def initialize(ls: RecordServer, params: types.InitializeParams) -> None:
    ls.settings.update(params.initialization_options)


# What the client should report changes of: records, and the files configuration is read from.
WATCHED = ("**/*.md", "**/ccus-records.toml", "**/pyproject.toml")


@server.feature(types.INITIALIZED)
def initialized(ls: RecordServer, params: types.InitializedParams) -> None:
    workspace = ls.client_capabilities.workspace
    watching = workspace.did_change_watched_files if workspace is not None else None
    if watching is None or not watching.dynamic_registration:
        return
    options = types.DidChangeWatchedFilesRegistrationOptions(
        watchers=[types.FileSystemWatcher(glob_pattern=pattern) for pattern in WATCHED]
    )
    ls.client_register_capability(
        types.RegistrationParams(
            registrations=[
                types.Registration(
                    id="ccus-records-watched-files",
                    method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                    register_options=options,
                )
            ]
        )
    )


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: RecordServer, params: types.DidOpenTextDocumentParams) -> None:
    ls.relint(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: RecordServer, params: types.DidChangeTextDocumentParams) -> None:
    ls.schedule(params.text_document.uri, ls.settings.debounce)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: RecordServer, params: types.DidSaveTextDocumentParams) -> None:
    ls.ids.clear()
    ls.relint(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: RecordServer, params: types.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    waiting = ls.pending.pop(uri, None)
    if waiting is not None:
        waiting.cancel()
    ls.findings.pop(uri, None)
    ls.configs.pop(uri, None)
    ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))
    # The file on disk now stands for the buffer: the other open records may find otherwise.
    ls.relint_all()


@server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
def did_change_watched_files(ls: RecordServer, params: types.DidChangeWatchedFilesParams) -> None:
    ls.relint_all()


@server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
def did_change_configuration(ls: RecordServer, params: types.DidChangeConfigurationParams) -> None:
    ls.settings.update(params.settings)
    ls.relint_all()


@server.feature(types.TEXT_DOCUMENT_HOVER)
def hover(ls: RecordServer, params: types.HoverParams) -> types.Hover | None:
    uri = params.text_document.uri
    path = ls.path_of(uri)
    if path is None:
        return None
    document = ls.workspace.get_text_document(uri)
    text = document.source
    config = ls.config_of(uri)
    parts: list[str] = []
    lines = text.split("\n")
    position = params.position
    if position.line < len(lines):
        column = analysis.from_utf16(lines[position.line], position.character)
        file = analysis.read_buffer(path, text, config)
        dotted = analysis.field_at(file, position.line + 1, column + 1)
        if dotted is not None:
            parts.append(analysis.field_hover(dotted))
    for finding, diagnostic in zip(
        ls.findings.get(uri, []), analysis.diagnostics(ls.findings.get(uri, []), text, ls.settings, config), strict=True
    ):
        if analysis.contains(diagnostic.range, position):
            explanation = analysis.rule_explanation(finding.code, config)
            if explanation and f"```text\n{explanation}```" not in parts:
                parts.append(f"```text\n{explanation}```")
    if not parts:
        return None
    return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value="\n\n---\n\n".join(parts)))


@server.feature(types.TEXT_DOCUMENT_FORMATTING)
def formatting(ls: RecordServer, params: types.DocumentFormattingParams) -> list[types.TextEdit] | None:
    uri = params.text_document.uri
    path = ls.path_of(uri)
    if path is None:
        return None
    text = ls.workspace.get_text_document(uri).source
    edits = analysis.formatting_edit(analysis.read_buffer(path, text, ls.config_of(uri)), text)
    if isinstance(edits, str):
        ls.window_show_message(types.ShowMessageParams(types.MessageType.Warning, f"ccus-records fmt: {edits}"))
        return None
    return edits


@server.feature(
    types.TEXT_DOCUMENT_CODE_ACTION,
    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
)
def code_action(ls: RecordServer, params: types.CodeActionParams) -> list[types.CodeAction] | None:
    uri = params.text_document.uri
    path = ls.path_of(uri)
    config = ls.config_of(uri)
    if path is None or config is None:
        return None
    text = ls.workspace.get_text_document(uri).source
    try:
        return analysis.code_actions(
            uri, analysis.read_buffer(path, text, config), text, config, ls.settings, params.context.diagnostics
        )
    except CcusRecordsError:
        return None


@server.feature(types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=['"', " "]))
def completion(ls: RecordServer, params: types.CompletionParams) -> types.CompletionList | None:
    uri = params.text_document.uri
    text = ls.workspace.get_text_document(uri).source
    lines = text.split("\n")
    if params.position.line >= len(lines):
        return None
    line_text = lines[params.position.line]
    column = analysis.from_utf16(line_text, params.position.character)
    found = analysis.completion_key(lines, params.position.line, column)
    if found is None:
        return None
    key, start = found
    config = ls.config_of(uri)
    ids: list[str] = []
    if key in analysis.ID_FIELDS and config is not None:
        if config.root not in ls.ids:
            ls.ids[config.root] = analysis.record_ids(config, ls.settings)
        ids = ls.ids[config.root]
    values = analysis.completion_values(key, config, ids)
    items = analysis.completion_items(line_text, params.position.line, column, start, values)
    return types.CompletionList(is_incomplete=False, items=items)


def main(arguments: Any = None) -> None:
    server.start_io()
