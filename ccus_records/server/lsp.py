"""`ccus-records server`: the Language Server Protocol over stdio (pygls), for editors.

Open records are linted from their buffers (never from disk) on open, on change (debounced) and on save,
with every open record of the same corpus laid over the files on disk, so that cross-record rules see the
buffers; each run republishes the diagnostics of every open record it covers. The server keeps each
corpus it lints (engine/state.py): the folders walked once, what was read of each file, so that a
keystroke reads only the buffer; the editor's file events (or, where it sends none, a look at the disk
every few seconds) keep it in step with the disk. The server never writes a file. Only this package
imports pygls and lsprotocol: `lint` and the hook never load them.
"""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.exceptions import JsonRpcException, JsonRpcInvalidParams
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from ccus_records import __version__
from ccus_records.engine.config import Config
from ccus_records.engine.findings import Finding
from ccus_records.engine.state import CorpusState
from ccus_records.errors import CcusRecordsError
from ccus_records.server import analysis
from ccus_records.server.protocol import RecordProtocol, describe

log = logging.getLogger(__name__)

# Where the editor reports no file events, how old (in seconds) the server's picture of a corpus on disk may
# be before a run walks its folders and compares its files again.
DISK_CHECK_EVERY = 5.0
# The names of the files configuration is read from.
CONFIG_FILES = ("ccus-records.toml", "pyproject.toml")


class RecordServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(
            "ccus-records",
            __version__,
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
            protocol_cls=RecordProtocol,
        )
        self.initial_options: object = None  # initializationOptions, which settings from the editor override
        self.settings = analysis.Settings()
        self.findings: dict[str, list[Finding]] = {}  # by uri, as last published
        self.configs: dict[str, Config | None] = {}  # by uri, as of the last run
        self.pending: dict[str, asyncio.TimerHandle] = {}
        self.ids: dict[Path, list[str]] = {}  # record ids by corpus root, until a file changes
        self.states: dict[Path, CorpusState] = {}  # each corpus as last seen, by root
        self.disk_checked: dict[Path, float] = {}  # when each corpus was last compared with the disk
        self.watching = False  # the editor agreed to report changes to files on disk

    def report_server_error(self, error: Exception, source: Any) -> None:
        """A message the server could not read or handle, where no response can say so (a notification),
        goes to the editor's log; requests are answered with the error (pygls's default)."""
        from pygls.exceptions import FeatureRequestError

        if source is FeatureRequestError:
            return
        if source is JsonRpcException and isinstance(error, ValueError) and not isinstance(error, JsonRpcException):
            # The reading loop's json.loads failed: not JSON at all. JSON-RPC's parse error, with a null id.
            assert isinstance(self.protocol, RecordProtocol)
            self.protocol.parse_error(error)
            return
        self.window_log_message(types.LogMessageParams(types.MessageType.Error, f"ccus-records: {describe(error)}"))

    # --- settings -----------------------------------------------------------------------------------------

    def apply_settings(self, values: object) -> None:
        """Settings from the editor over initializationOptions over the defaults; open records relinted."""
        settings = analysis.Settings()
        settings.update(self.initial_options)
        settings.update(values)
        self.settings = settings
        self.relint_all()

    def pull_settings(self, pushed: object = None) -> None:
        """Ask the editor for the `ccus-records` section (workspace/configuration) where it can answer, and
        apply it; where it cannot (or answers with nothing), apply what it sent with the change, if any."""
        workspace = self.client_capabilities.workspace
        if workspace is None or not workspace.configuration:
            self.apply_settings(pushed)
            return
        request = types.ConfigurationParams(items=[types.ConfigurationItem(section=analysis.SECTION)])

        def answered(future: Any) -> None:
            if future.cancelled():
                return  # the server is shutting down
            try:
                result = future.result()
            except Exception as error:
                log.warning("workspace/configuration failed: %r", error)
                result = None
            values = result[0] if isinstance(result, (list, tuple)) and result else None
            self.apply_settings(values if isinstance(values, dict) else pushed)

        self.workspace_configuration(request).add_done_callback(answered)

    # --- the corpus on disk -------------------------------------------------------------------------------

    def state_for(self, root: Path) -> CorpusState:
        """What the server keeps of the corpus at `root`; compared with the disk afresh every few seconds
        where the editor reports no file events."""
        now = time.monotonic()
        state = self.states.get(root)
        if state is None:
            state = self.states[root] = CorpusState()
            self.disk_checked[root] = now
        elif not self.watching and now - self.disk_checked.get(root, 0.0) > DISK_CHECK_EVERY:
            state.check_disk()
            self.disk_checked[root] = now
        return state

    def disk_changed(self, path: Path | None, kind: types.FileChangeType | None) -> None:
        """Tell every kept corpus that a file (or folder) changed on disk; None: anything may have."""
        self.ids.clear()
        if path is None:
            for state in self.states.values():
                state.check_disk()
            return
        if path.name in CONFIG_FILES:
            self.states.clear()  # another configuration: every corpus is read afresh
            return
        for state in self.states.values():
            if path.suffix.lower() == ".md":
                state.changed(path)
                if kind != types.FileChangeType.Changed:
                    state.listing_changed()
            else:
                state.changed_under(path)

    def check_listings(self) -> None:
        """Walk the folders again at the next run (folders created or removed may send no event per file);
        where the editor sends no file events, compare the files too."""
        for root, state in self.states.items():
            if self.watching:
                state.listing_changed()
            else:
                state.check_disk()
                self.disk_checked[root] = time.monotonic()

    # --- documents --------------------------------------------------------------------------------------

    def path_of(self, uri: str) -> Path | None:
        path = to_fs_path(uri)
        return Path(path) if path else None

    def document(self, uri: str) -> Any:
        """The open document at `uri`; a request about a document the editor has not opened is refused."""
        document = self.workspace.text_documents.get(uri)
        if document is None:
            raise JsonRpcInvalidParams(f"{uri} is not an open document")
        return document

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
        outcome = analysis.lint_buffers(path, self.buffers(), self.settings, self.state_for)
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
    ls.initial_options = params.initialization_options
    ls.settings.update(params.initialization_options)


# What the client should report changes of: records, and the files configuration is read from.
WATCHED = ("**/*.md", "**/ccus-records.toml", "**/pyproject.toml")


@server.feature(types.INITIALIZED)
def initialized(ls: RecordServer, params: types.InitializedParams) -> None:
    workspace = ls.client_capabilities.workspace
    if workspace is not None and workspace.configuration:
        ls.pull_settings()
    watching = workspace.did_change_watched_files if workspace is not None else None
    if watching is None or not watching.dynamic_registration:
        return
    options = types.DidChangeWatchedFilesRegistrationOptions(
        watchers=[types.FileSystemWatcher(glob_pattern=pattern) for pattern in WATCHED]
    )
    registered = ls.client_register_capability(
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

    def answered(future: Any) -> None:
        # Only once the editor has agreed does the server rely on its events to know the disk.
        ls.watching = not future.cancelled() and future.exception() is None

    registered.add_done_callback(answered)


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: RecordServer, params: types.DidOpenTextDocumentParams) -> None:
    ls.check_listings()
    ls.relint(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: RecordServer, params: types.DidChangeTextDocumentParams) -> None:
    ls.schedule(params.text_document.uri, ls.settings.debounce)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: RecordServer, params: types.DidSaveTextDocumentParams) -> None:
    ls.disk_changed(ls.path_of(params.text_document.uri), types.FileChangeType.Changed)
    ls.check_listings()
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
    ls.disk_changed(ls.path_of(uri), types.FileChangeType.Changed)
    ls.relint_all()


@server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
def did_change_watched_files(ls: RecordServer, params: types.DidChangeWatchedFilesParams) -> None:
    for change in params.changes:
        ls.disk_changed(ls.path_of(change.uri), change.type)
    ls.relint_all()


@server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
def did_change_configuration(ls: RecordServer, params: types.DidChangeConfigurationParams) -> None:
    ls.pull_settings(params.settings)


@server.feature(types.TEXT_DOCUMENT_HOVER)
def hover(ls: RecordServer, params: types.HoverParams) -> types.Hover | None:
    uri = params.text_document.uri
    text = ls.document(uri).source
    path = ls.path_of(uri)
    if path is None:
        return None
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
    text = ls.document(uri).source
    path = ls.path_of(uri)
    if path is None:
        return None
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
    text = ls.document(uri).source
    path = ls.path_of(uri)
    config = ls.config_of(uri)
    if path is None or config is None:
        return None
    try:
        return analysis.code_actions(
            uri, analysis.read_buffer(path, text, config), text, config, ls.settings, params.context.diagnostics
        )
    except CcusRecordsError:
        return None


@server.feature(types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=['"', " "]))
def completion(ls: RecordServer, params: types.CompletionParams) -> types.CompletionList | None:
    uri = params.text_document.uri
    text = ls.document(uri).source
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
