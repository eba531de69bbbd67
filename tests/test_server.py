"""`ccus-records server`, driven over stdio as an editor drives it (pytest-lsp)."""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from tests.helpers import SEED_RECORD, TODAY, clean_record, record_text, write_record

REPO = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": str(REPO)}


# One server for the module (starting one costs about a second); each test has its own corpus folder.
@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=[sys.executable, "-m", "ccus_records", "server"], server_env=ENV),
    scope="module",
)
async def client(lsp_client: LanguageClient, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams) -> None:
        REGISTERED.extend(registration.method for registration in params.registrations)

    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            root_uri=tmp_path_factory.getbasetemp().as_uri(),
            initialization_options={"today": TODAY, "debounce": 0.01, "ruleDocs": "https://example.org/rules/"},
        )
    )
    yield
    await lsp_client.shutdown_session()


# A server of its own, for a test of what an editor declares it can do (the test sends `initialize` itself).
@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=[sys.executable, "-m", "ccus_records", "server"], server_env=ENV)
)
async def own_client(lsp_client: LanguageClient):  # type: ignore[no-untyped-def]
    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams) -> None:
        pass

    yield
    await lsp_client.shutdown_session()


OPENED: list[str] = []
REGISTERED: list[str] = []  # the methods the server asked the client to register


@pytest.fixture(autouse=True)
def corpus(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Path]:
    """A corpus folder of the test's own; the buffers the test opened are closed after it."""
    (tmp_path / "ccus-records.toml").write_text('records = ["records"]\n', encoding="utf-8")
    (tmp_path / "records").mkdir()
    yield tmp_path
    if OPENED:
        client = request.getfixturevalue("client")
        for uri in OPENED:
            client.text_document_did_close(
                types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
            )
        OPENED.clear()


class Editor:
    """Open buffers in the client and wait for what the server publishes on them."""

    def __init__(self, client: LanguageClient, folder: Path, opened: list[str] = OPENED) -> None:
        self.client = client
        self.folder = folder
        self.opened = opened  # closed after the test (the module's client), or by the test
        self.versions: dict[str, int] = {}

    async def diagnostics(self, uri: str, timeout: float = 20.0) -> list[types.Diagnostic]:
        """The next diagnostics published for `uri` (they were cleared before the change was sent)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while uri not in self.client.diagnostics:
            if loop.time() > deadline:
                raise AssertionError(f"no diagnostics for {uri}")
            await asyncio.sleep(0.01)
        return list(self.client.diagnostics[uri])

    async def open(self, path: Path, text: str | None = None) -> list[types.Diagnostic]:
        uri = path.as_uri()
        self.client.diagnostics.pop(uri, None)
        self.versions[uri] = 1
        self.opened.append(uri)
        self.client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                types.TextDocumentItem(
                    uri=uri,
                    language_id="markdown",
                    version=1,
                    text=text if text is not None else path.read_text(encoding="utf-8"),
                )
            )
        )
        return await self.diagnostics(uri)

    async def replace(self, path: Path, text: str, *, also: Path | None = None) -> list[types.Diagnostic]:
        """Replace the buffer's whole text (unsaved) and wait for its diagnostics (and `also`'s)."""
        uri = path.as_uri()
        self.client.diagnostics.pop(uri, None)
        if also is not None:
            self.client.diagnostics.pop(also.as_uri(), None)
        self.versions[uri] += 1
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=self.versions[uri]),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )
        return await self.diagnostics(uri)

    async def settled(self, uri: str, wanted: Callable[[list[types.Diagnostic]], bool]) -> list[types.Diagnostic]:
        """The diagnostics of `uri` once they are as wanted (a run the test cannot wait for may come between)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 20.0
        while not wanted(list(self.client.diagnostics.get(uri, []))):
            if loop.time() > deadline:
                raise AssertionError(f"diagnostics of {uri}: {self.client.diagnostics.get(uri)}")
            await asyncio.sleep(0.01)
        return list(self.client.diagnostics[uri])

    def watched(self, *events: tuple[Path, types.FileChangeType]) -> None:
        """Report changes on disk as the editor's file watcher does (the diagnostics of the open records are
        cleared first, so that the next ones to arrive are those of the run the events start)."""
        for uri in self.versions:
            self.client.diagnostics.pop(uri, None)
        self.client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams([types.FileEvent(path.as_uri(), kind) for path, kind in events])
        )


def codes_at(found: list[types.Diagnostic]) -> list[tuple[str, int]]:
    return sorted((str(item.code), item.range.start.line + 1) for item in found)


def lint_json(folder: Path, *paths: Path) -> list[dict[str, Any]]:
    done = subprocess.run(
        [sys.executable, "-m", "ccus_records", "lint", "--format", "json", "--today", TODAY, *map(str, paths)],
        cwd=folder,
        env=ENV,
        capture_output=True,
        text=True,
        check=False,
    )
    return list(json.loads(done.stdout)["findings"])


def clean_text(record_id: str = "us-example-act-2020", **overrides: Any) -> str:
    return record_text(clean_record(record_id, **overrides))


@pytest.mark.asyncio(loop_scope="module")
async def test_an_open_record_gets_exactly_the_findings_lint_gives_on_the_same_lines(
    client: LanguageClient, tmp_path: Path
) -> None:
    path = tmp_path / "records" / SEED_RECORD.name
    path.write_text(SEED_RECORD.read_text(encoding="utf-8"), encoding="utf-8")
    found = await Editor(client, tmp_path).open(path)
    expected = lint_json(tmp_path, path)
    assert expected
    assert codes_at(found) == sorted((item["code"], item["line"]) for item in expected)
    messages = {(str(item.code), item.message) for item in found}
    for item in expected:
        wanted = f"{item['message']} ({item['field']})" if item["field"] else item["message"]
        assert (item["code"], wanted) in messages
    for item in found:
        assert item.source == "ccus-records"
        assert item.range.end.character > item.range.start.character
        assert item.code_description is not None
        assert item.code_description.href.startswith("https://example.org/rules/#" + str(item.code).lower() + "-")
    assert types.WORKSPACE_DID_CHANGE_WATCHED_FILES in REGISTERED
    severities = {str(item.code): item.severity for item in found}
    assert severities["A002"] == types.DiagnosticSeverity.Error
    assert severities["C003"] == types.DiagnosticSeverity.Warning


@pytest.mark.asyncio(loop_scope="module")
async def test_a_fixed_field_in_the_unsaved_buffer_drops_its_finding_and_the_file_on_disk_is_untouched(
    client: LanguageClient, tmp_path: Path
) -> None:
    path = write_record(tmp_path / "records", clean_record(status="Repealed-ish"))
    on_disk = path.read_text(encoding="utf-8")
    editor = Editor(client, tmp_path)
    assert "S003" in {str(item.code) for item in await editor.open(path)}
    assert await editor.replace(path, clean_text()) == []
    assert path.read_text(encoding="utf-8") == on_disk


@pytest.mark.asyncio(loop_scope="module")
async def test_a_record_given_another_records_id_shows_i004_on_both_open_records(
    client: LanguageClient, tmp_path: Path
) -> None:
    first = write_record(tmp_path / "records", clean_record("us-first-act-2020", title="First Act"))
    second = write_record(tmp_path / "records", clean_record("us-second-act-2020", title="Second Act"))
    editor = Editor(client, tmp_path)
    assert await editor.open(first) == []
    assert await editor.open(second) == []
    duplicate = clean_text("us-first-act-2020", title="Second Act")
    found = await editor.replace(second, duplicate, also=first)
    assert "I004" in {str(item.code) for item in found}
    assert "I004" in {str(item.code) for item in await editor.diagnostics(first.as_uri())}
    # Undone in the buffer: gone from both.
    await editor.replace(second, clean_text("us-second-act-2020", title="Second Act"), also=first)
    assert await editor.diagnostics(first.as_uri()) == []


@pytest.mark.asyncio(loop_scope="module")
async def test_a_changed_file_on_disk_reported_by_the_editor_relints_the_open_records(
    client: LanguageClient, tmp_path: Path
) -> None:
    first = write_record(tmp_path / "records", clean_record("us-first-act-2020", title="First Act"))
    editor = Editor(client, tmp_path)
    assert await editor.open(first) == []
    copy = write_record(tmp_path / "records", clean_record("us-first-act-2020", title="Copy"), name="copy.md")
    client.diagnostics.pop(first.as_uri(), None)
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams([types.FileEvent(copy.as_uri(), types.FileChangeType.Created)])
    )
    assert "I004" in {str(item.code) for item in await editor.diagnostics(first.as_uri())}


@pytest.mark.asyncio(loop_scope="module")
async def test_the_corpus_the_server_keeps_follows_files_changed_created_and_deleted_on_disk(
    client: LanguageClient, tmp_path: Path
) -> None:
    records = tmp_path / "records"
    first = write_record(records, clean_record("us-first-act-2020", title="First Act"))
    second = write_record(records, clean_record("us-second-act-2020", title="Second Act"))
    editor = Editor(client, tmp_path)
    assert await editor.open(first) == []

    def duplicate(found: list[types.Diagnostic]) -> bool:
        return "I004" in {str(item.code) for item in found}

    # A record on disk takes the open record's id: the event is what tells the server.
    second.write_text(clean_text("us-first-act-2020", title="Second Act"), encoding="utf-8")
    editor.watched((second, types.FileChangeType.Changed))
    found = await editor.diagnostics(first.as_uri())
    assert duplicate(found)
    assert "records/us-second-act-2020.md" in next(item.message for item in found if item.code == "I004")
    second.write_text(clean_text("us-second-act-2020", title="Second Act"), encoding="utf-8")
    editor.watched((second, types.FileChangeType.Changed))
    assert await editor.diagnostics(first.as_uri()) == []
    # A folder of records created, then deleted: one event for the folder.
    old = write_record(records / "old", clean_record("us-first-act-2020", title="First Act"))
    editor.watched((old, types.FileChangeType.Created))
    assert duplicate(await editor.diagnostics(first.as_uri()))
    shutil.rmtree(records / "old")
    editor.watched((records / "old", types.FileChangeType.Deleted))
    assert await editor.diagnostics(first.as_uri()) == []
    # Configuration changed on disk: read again, and the records with it.
    second.write_text(clean_text("us-first-act-2020", title="Second Act"), encoding="utf-8")
    editor.watched((second, types.FileChangeType.Changed))
    assert duplicate(await editor.diagnostics(first.as_uri()))
    (tmp_path / "ccus-records.toml").write_text('records = ["records"]\nignore = ["I004"]\n', encoding="utf-8")
    editor.watched((tmp_path / "ccus-records.toml", types.FileChangeType.Changed))
    assert await editor.diagnostics(first.as_uri()) == []
    # After all that, the same findings as a `lint` process on the same files.
    (tmp_path / "ccus-records.toml").write_text('records = ["records"]\n', encoding="utf-8")
    editor.watched((tmp_path / "ccus-records.toml", types.FileChangeType.Changed))
    found = await editor.diagnostics(first.as_uri())
    assert codes_at(found) == sorted((item["code"], item["line"]) for item in lint_json(tmp_path, first))
    assert duplicate(found)


@pytest.mark.asyncio(loop_scope="module")
async def test_a_changed_setting_relints_the_open_records(client: LanguageClient, tmp_path: Path) -> None:
    path = write_record(tmp_path / "records", clean_record())
    editor = Editor(client, tmp_path)
    assert await editor.open(path) == []
    client.diagnostics.pop(path.as_uri(), None)
    client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"ccus-records": {"today": "2031-01-01"}})
    )
    try:
        # Four years on, the audit date is stale.
        assert await editor.diagnostics(path.as_uri()) != []
    finally:
        client.diagnostics.pop(path.as_uri(), None)
        client.workspace_did_change_configuration(
            types.DidChangeConfigurationParams(settings={"ccus-records": {"today": TODAY}})
        )
    assert await editor.diagnostics(path.as_uri()) == []


async def start(client: LanguageClient, folder: Path, capabilities: types.ClientCapabilities) -> Editor:
    """Initialize a server of its own for an editor with these capabilities."""
    await client.initialize_session(
        types.InitializeParams(capabilities=capabilities, initialization_options={"today": TODAY, "debounce": 0.01})
    )
    return Editor(client, folder, opened=[])


def stale(found: list[types.Diagnostic]) -> bool:
    """An audit date four years old by the date the server counts from (`today`: 2031-01-01)."""
    return "A006" in {str(item.code) for item in found}


@pytest.mark.asyncio(loop_scope="module")
async def test_settings_are_asked_of_an_editor_that_answers_workspace_configuration(
    client: LanguageClient, tmp_path: Path
) -> None:
    """The module's client declares VS Code's capabilities, workspace/configuration among them."""
    path = write_record(tmp_path / "records", clean_record())
    editor = Editor(client, tmp_path)
    assert await editor.open(path) == []
    client.set_configuration({"today": "2031-01-01"}, section="ccus-records")
    try:
        client.diagnostics.pop(path.as_uri(), None)
        # The change carries no settings: the server asks for them.
        client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings={}))
        assert stale(await editor.settled(path.as_uri(), stale))
    finally:
        client.set_configuration(None, section="ccus-records")
        client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings={}))
    # The editor's settings gone, initializationOptions stand again.
    assert await editor.settled(path.as_uri(), lambda found: found == []) == []


@pytest.mark.asyncio(loop_scope="function")
async def test_settings_are_asked_for_at_start_and_override_initialization_options(
    own_client: LanguageClient, tmp_path: Path
) -> None:
    own_client.set_configuration({"today": "2031-01-01"}, section="ccus-records")
    editor = await start(own_client, tmp_path, client_capabilities("visual-studio-code"))
    path = write_record(tmp_path / "records", clean_record())
    await editor.open(path)
    assert stale(await editor.settled(path.as_uri(), stale))


@pytest.mark.asyncio(loop_scope="function")
async def test_an_editor_without_workspace_configuration_is_not_asked_and_its_pushed_settings_apply(
    own_client: LanguageClient, tmp_path: Path
) -> None:
    # Were the server to ask anyway, the client would answer with this.
    own_client.set_configuration({"today": "2031-01-01"}, section="ccus-records")
    editor = await start(own_client, tmp_path, types.ClientCapabilities())
    path = write_record(tmp_path / "records", clean_record())
    assert await editor.open(path) == []
    own_client.diagnostics.pop(path.as_uri(), None)
    own_client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"ccus-records": {"debounce": 0.02}})
    )
    assert await editor.diagnostics(path.as_uri()) == []
    own_client.diagnostics.pop(path.as_uri(), None)
    own_client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"ccus-records": {"today": "2031-01-01"}})
    )
    assert stale(await editor.diagnostics(path.as_uri()))


@pytest.mark.asyncio(loop_scope="function")
async def test_an_editor_that_reports_no_file_events_has_the_disk_looked_at_again_on_save(
    own_client: LanguageClient, tmp_path: Path
) -> None:
    editor = await start(own_client, tmp_path, types.ClientCapabilities())
    first = write_record(tmp_path / "records", clean_record("us-first-act-2020", title="First Act"))
    second = write_record(tmp_path / "records", clean_record("us-second-act-2020", title="Second Act"))
    assert await editor.open(first) == []
    second.write_text(clean_text("us-first-act-2020", title="Second Act"), encoding="utf-8")
    own_client.diagnostics.pop(first.as_uri(), None)
    own_client.text_document_did_save(types.DidSaveTextDocumentParams(types.TextDocumentIdentifier(first.as_uri())))
    assert "I004" in {str(item.code) for item in await editor.diagnostics(first.as_uri())}


@pytest.mark.asyncio(loop_scope="module")
async def test_hover_explains_the_field_under_the_cursor_and_the_rule_of_a_finding(
    client: LanguageClient, tmp_path: Path
) -> None:
    path = write_record(tmp_path / "records", clean_record(status="Bogus"))
    found = await Editor(client, tmp_path).open(path)
    text = path.read_text(encoding="utf-8")
    line = next(index for index, content in enumerate(text.split("\n")) if '"supersededBy"' in content)
    column = text.split("\n")[line].index('"supersededBy"') + 2
    hover = await client.text_document_hover_async(
        types.HoverParams(types.TextDocumentIdentifier(path.as_uri()), types.Position(line, column))
    )
    assert hover is not None
    assert isinstance(hover.contents, types.MarkupContent)
    assert "evolution.supersededBy" in hover.contents.value
    assert "replaces this one" in hover.contents.value
    schema = next(item for item in found if item.code == "S003")
    hover = await client.text_document_hover_async(
        types.HoverParams(types.TextDocumentIdentifier(path.as_uri()), schema.range.start)
    )
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    assert "S003 schema [error]" in hover.contents.value


@pytest.mark.asyncio(loop_scope="module")
async def test_formatting_gives_the_canonical_form_fmt_writes_and_nothing_for_a_record_fmt_refuses(
    client: LanguageClient, tmp_path: Path
) -> None:
    canonical = clean_text()
    messy = canonical.replace('{\n  "analysis"', '{"analysis"', 1).replace("\n", "\r\n")
    path = tmp_path / "records" / "messy.md"
    path.write_text(messy, encoding="utf-8", newline="")
    editor = Editor(client, tmp_path)
    assert {"F001", "F002"} & {str(item.code) for item in await editor.open(path, messy)}
    options = types.FormattingOptions(tab_size=2, insert_spaces=True)
    edits = await client.text_document_formatting_async(
        types.DocumentFormattingParams(types.TextDocumentIdentifier(path.as_uri()), options)
    )
    assert edits is not None and len(edits) == 1
    assert edits[0].new_text == canonical
    assert edits[0].range.start == types.Position(0, 0)
    broken = tmp_path / "records" / "broken.md"
    await editor.open(broken, '---\n{"id": \n---\n\nBody.\n')
    refused = await client.text_document_formatting_async(
        types.DocumentFormattingParams(types.TextDocumentIdentifier(broken.as_uri()), options)
    )
    assert not refused


@pytest.mark.asyncio(loop_scope="module")
async def test_a_quick_fix_applied_to_the_buffer_is_relinted_clean(client: LanguageClient, tmp_path: Path) -> None:
    canonical = clean_text()
    messy = canonical.replace('{\n  "analysis"', '{"analysis"', 1)
    path = tmp_path / "records" / "us-example-act-2020.md"
    editor = Editor(client, tmp_path)
    found = await editor.open(path, messy)
    assert "F001" in {str(item.code) for item in found}
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            types.TextDocumentIdentifier(path.as_uri()),
            found[0].range,
            types.CodeActionContext(diagnostics=found),
        )
    )
    assert actions
    fix = next(item for item in actions if isinstance(item, types.CodeAction) and "F001" in item.title)
    assert fix.is_preferred and fix.kind == types.CodeActionKind.QuickFix
    assert fix.edit is not None and fix.edit.changes is not None
    (edit,) = fix.edit.changes[path.as_uri()]
    assert await editor.replace(path, edit.new_text) == []


@pytest.mark.asyncio(loop_scope="module")
async def test_an_unsafe_fix_is_offered_as_unsafe_and_not_preferred(client: LanguageClient, tmp_path: Path) -> None:
    body = "The Example Act sets up a regime for storage. It names the regulator and the permits needed."
    path = write_record(tmp_path / "records", clean_record(description="The Example Act sets up a regime for st"), body)
    found = await Editor(client, tmp_path).open(path)
    assert "C005" in {str(item.code) for item in found}
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            types.TextDocumentIdentifier(path.as_uri()), found[0].range, types.CodeActionContext(diagnostics=found)
        )
    )
    fix = next(item for item in actions or [] if isinstance(item, types.CodeAction) and "C005" in item.title)
    assert "unsafe" in fix.title and not fix.is_preferred


@pytest.mark.asyncio(loop_scope="module")
async def test_completion_offers_statuses_and_the_corpus_record_ids(client: LanguageClient, tmp_path: Path) -> None:
    write_record(tmp_path / "records", clean_record("us-other-act-2019", title="Other Act"))
    path = write_record(tmp_path / "records", clean_record())
    text = path.read_text(encoding="utf-8")
    editor = Editor(client, tmp_path)
    await editor.open(path)
    lines = text.split("\n")
    status = next(index for index, line in enumerate(lines) if line.startswith('  "status"'))
    typed = text.replace('"status": "Active"', '"status": "Ac')
    await editor.replace(path, typed)
    column = len('  "status": "Ac')
    done = await client.text_document_completion_async(
        types.CompletionParams(types.TextDocumentIdentifier(path.as_uri()), types.Position(status, column))
    )
    assert isinstance(done, types.CompletionList)
    assert {"Active", "Superseded"} <= {item.label for item in done.items}
    by = next(index for index, line in enumerate(lines) if '"supersededBy"' in line)
    await editor.replace(path, text.replace('"supersededBy": ""', '"supersededBy": "us-'))
    done = await client.text_document_completion_async(
        types.CompletionParams(
            types.TextDocumentIdentifier(path.as_uri()), types.Position(by, len('    "supersededBy": "us-'))
        )
    )
    assert isinstance(done, types.CompletionList)
    assert "us-other-act-2019" in {item.label for item in done.items}


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.parametrize(
    ("name", "text", "code"),
    [
        ("invalid-json", '---\n{"id": "x",\n---\n\nBody.\n', "S002"),
        ("binary", "---\n\x00\x01\x02\ufffd\x00\n---\n", None),
        ("half-typed-yaml", "---\nid: us-x\nstatus: [Act\n  title: \n---\n", "S002"),
        ("huge-paste", "---\n" + "x" * (10 * 1024 * 1024) + "\n---\n", "S007"),
    ],
)
async def test_bad_input_in_a_buffer_gives_findings_and_the_server_keeps_serving(
    client: LanguageClient, tmp_path: Path, name: str, text: str, code: str | None
) -> None:
    path = write_record(tmp_path / "records", clean_record())
    editor = Editor(client, tmp_path)
    assert await editor.open(path) == []
    found = await editor.replace(path, text)
    assert found
    if code is not None:
        assert code in {str(item.code) for item in found}
    assert await editor.replace(path, clean_text()) == []


async def raw_request(client: LanguageClient, body: bytes, answer_id: int | str | None) -> JsonRpcException:
    """Write a message as bytes, as a faulty editor would (the client library refuses to send it), and wait
    for the error the server answers with (under `answer_id`: JSON-RPC answers what it cannot read with a null
    id)."""
    answered: concurrent.futures.Future[Any] = concurrent.futures.Future()
    client.protocol._request_futures[answer_id] = answered  # where the client files the answer to `answer_id`
    write_raw(client, body)
    with pytest.raises(JsonRpcException) as caught:
        await asyncio.wait_for(asyncio.wrap_future(answered), 20)
    return caught.value


def write_raw(client: LanguageClient, body: bytes) -> None:
    assert client.protocol.writer is not None
    client.protocol.writer.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)


async def logged(client: LanguageClient, words: str) -> types.LogMessageParams:
    """The first message of the server's log (window/logMessage) that says `words`."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 20.0
    while True:
        for item in client.log_messages:
            if words in item.message:
                return item
        if loop.time() > deadline:
            raise AssertionError(f"nothing logged with {words!r}: {client.log_messages}")
        await asyncio.sleep(0.01)


def message(**fields: Any) -> bytes:
    return json.dumps({"jsonrpc": "2.0", **fields}).encode()


@pytest.mark.asyncio(loop_scope="module")
async def test_malformed_requests_get_json_rpc_errors_and_the_server_keeps_serving(
    client: LanguageClient, tmp_path: Path
) -> None:
    path = write_record(tmp_path / "records", clean_record(status="Bogus"))
    editor = Editor(client, tmp_path)
    found = await editor.open(path)
    schema = next(item for item in found if item.code == "S003")
    document = {"uri": path.as_uri()}
    # A hover without its position, and with a line that is no number: invalid params, saying what is wrong.
    error = await raw_request(
        client, message(id=900001, method="textDocument/hover", params={"textDocument": document}), 900001
    )
    assert error.code == -32602
    assert "required field missing @ $.params.position" in error.message
    wrong = {"textDocument": document, "position": {"line": "one", "character": 0}}
    error = await raw_request(client, message(id="hover-2", method="textDocument/hover", params=wrong), "hover-2")
    assert error.code == -32602
    assert "expected int @ $.params.position.line" in error.message
    error = await raw_request(client, message(id=900003, method="textDocument/completion", params=[1, 2]), 900003)
    assert error.code == -32602
    # A method the server does not have: method not found.
    with pytest.raises(JsonRpcException) as caught:
        await client.protocol.send_request_async("ccus-records/no-such-method", {"textDocument": 3})
    assert caught.value.code == -32601
    # A request about a document the editor never opened: invalid params.
    with pytest.raises(JsonRpcException) as caught:
        await client.text_document_hover_async(
            types.HoverParams(types.TextDocumentIdentifier((tmp_path / "nowhere.md").as_uri()), types.Position(0, 0))
        )
    assert caught.value.code == -32602
    assert "is not an open document" in caught.value.message
    # An id that is neither a number nor a string, and a message that is not JSON: answered with a null id.
    error = await raw_request(client, message(id={"n": 1}, method="textDocument/hover", params={}), None)
    assert error.code == -32600
    error = await raw_request(client, b'{"jsonrpc": "2.0", "id": 900005, "method": ', None)
    assert error.code == -32700
    # Notifications cannot be answered: one that cannot be read is ignored and said so in the editor's log;
    # one of a method the server does not have is ignored.
    client.log_messages.clear()
    write_raw(client, message(method="textDocument/didOpen", params={"textDocument": 3}))
    client.protocol.notify("ccus-records/no-such-notification", {"x": 1})
    note = await logged(client, "'textDocument/didOpen' notification that cannot be read")
    assert note.type == types.MessageType.Error
    # Still serving: a hover, and the diagnostics of a change.
    hover = await client.text_document_hover_async(
        types.HoverParams(types.TextDocumentIdentifier(path.as_uri()), schema.range.start)
    )
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    assert "S003 schema [error]" in hover.contents.value
    assert await editor.replace(path, clean_text()) == []


def test_the_cli_and_the_lint_command_never_import_the_language_server_libraries() -> None:
    code = (
        "import sys, ccus_records.cli.app\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pygls', 'lsprotocol')))"
    )
    done = subprocess.run([sys.executable, "-c", code], env=ENV, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
