"""`edit ID` with no change options: the record in `$VISUAL`/`$EDITOR`, as `git commit` and `kubectl edit` do.

The text goes to a named temporary file; the editor runs on it; on return the text is parsed and validated.
If it is invalid the person is told why and chooses: edit again, keep the text in the temporary file and
stop, or abort. Whatever happens, typing is never thrown away unless the person asks for it (abort): an
editor that fails, an answer that never comes (end of input), a write refused because the file changed on
disk — each leaves the text in the named file and says where.

"Unchanged" means the parsed data and the body are as they were (reformatting alone is no change). An
editor that returns within a second without touching the file is most likely a GUI editor started without
its wait flag: that is warned about, never taken for an unchanged save.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ccus_records.engine.config import Config
from ccus_records.features.edit import Change, EditError, field_changes, schema_reasons
from ccus_records.recordfile.reader import RecordFile, parse_record_bytes
from ccus_records.recordfile.writer import Snapshot, WriteError, write_record_text

QUICK_RETURN_SECONDS = 1.0
Outcome = Literal["written", "unchanged", "aborted", "kept"]

# ask(prompt) -> the answer, or None at the end of input; say(message) -> tells the person (stderr).
Ask = Callable[[str], "str | None"]
Say = Callable[[str], None]


@dataclass
class EditorResult:
    outcome: Outcome
    display: str
    changes: list[Change] = field(default_factory=list)
    kept: Path | None = None  # where the text is, when it was kept
    failed: bool = False  # kept because something went wrong (exit 2), not because the person chose to


class EditorError(EditError):
    """The editor cannot be started."""


def editor_command(environ: dict[str, str] | None = None) -> list[str]:
    """`$VISUAL`, else `$EDITOR`, else `vi`: split as a shell would (`code --wait` is two words)."""
    import shlex
    import shutil

    env = os.environ if environ is None else environ
    for name in ("VISUAL", "EDITOR"):
        value = env.get(name, "").strip()
        if value:
            try:
                words = shlex.split(value)
            except ValueError as error:
                raise EditorError(f"${name} {value!r} cannot be parsed: {error}") from None
            if words:
                return words
    if shutil.which("vi"):
        return ["vi"]
    raise EditorError("no editor: set $VISUAL or $EDITOR (for example EDITOR='nano' or VISUAL='code --wait')")


def _choose(ask: Ask, prompt: str, choices: str) -> str | None:
    """The first letter of an answer among `choices`; None at the end of input."""
    while True:
        answer = ask(prompt)
        if answer is None:
            return None
        letter = answer.strip()[:1].lower()
        if letter and letter in choices:
            return letter


def _problems(file: RecordFile) -> list[str]:
    reasons = [
        f"{problem.code} {problem.message}" + (f" (line {problem.line})" if problem.line else "")
        for problem in file.problems
    ]
    if file.data is not None and not reasons:
        reasons.extend(schema_reasons(file.data))
    return reasons


def _text_to_write(edited: RecordFile) -> str:
    """What is written for a valid edited text: a JSON front matter in canonical form, a YAML one as typed."""
    from ccus_records.features.edit import render_data

    text = edited.text or ""
    if edited.syntax == "json" and edited.data is not None:
        return render_data(edited, edited.data)
    return text


def edit_in_editor(
    path: Path,
    config: Config,
    cwd: Path,
    command: Sequence[str],
    ask: Ask,
    say: Say,
    quick_seconds: float = QUICK_RETURN_SECONDS,
) -> EditorResult:
    original, snapshot = _open(path, config, cwd)
    display = original.display
    stem = "".join(char if char.isalnum() or char in "-_" else "-" for char in path.stem)[:60]
    descriptor, name = tempfile.mkstemp(prefix=f"ccus-records-{stem}-", suffix=".md")
    scratch = Path(name)
    given = snapshot.raw
    if given.startswith(b"\xef\xbb\xbf"):
        given = given[3:]
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(given)
    first_pass = True

    def keep(message: str, failed: bool = True) -> EditorResult:
        say(f"{message}; your text is kept in {scratch}")
        return EditorResult("kept", display, kept=scratch, failed=failed)

    def discard(outcome: Outcome, changes: list[Change] | None = None) -> EditorResult:
        scratch.unlink(missing_ok=True)
        return EditorResult(outcome, display, changes or [])

    while True:
        # Set the file's time back, so that any save by the editor shows, even within the clock's resolution.
        past = time.time() - 10
        os.utime(scratch, (past, past))
        before = scratch.stat().st_mtime_ns
        started = time.monotonic()
        try:
            status = subprocess.call([*command, str(scratch)])
        except OSError as error:
            if first_pass:
                scratch.unlink(missing_ok=True)
                raise EditorError(f"cannot start the editor {command[0]!r}: {error.strerror or error}") from None
            return keep(f"cannot start the editor {command[0]!r}: {error.strerror or error}")
        elapsed = time.monotonic() - started
        first_pass = False
        if status != 0:
            return keep(f"the editor exited with status {status}; nothing written")
        try:
            raw = scratch.read_bytes()
            touched = scratch.stat().st_mtime_ns != before
        except OSError as error:
            return keep(f"cannot read the edited text back: {error.strerror or error}")
        if raw == given and not touched and elapsed < quick_seconds:
            say(
                f"warning: the editor returned after {elapsed:.1f} s without saving the file. A GUI editor needs "
                "its wait flag (VISUAL='code --wait', 'subl -w', 'gedit -s'); nothing was taken as saved."
            )
            choice = _choose(ask, "[e]dit again, or [a]bort? ", "ea")
            if choice == "e":
                continue
            if choice == "a":
                say("aborted; nothing written")
                return discard("aborted")
            return keep("no answer; nothing written")
        edited = parse_record_bytes(raw, RecordFile(path=path, display=display))
        if (
            edited.data is not None
            and original.data is not None
            and field_changes(original.data, edited.data) == []
            and edited.body == original.body
        ):
            say(f"{display}: no changes (the data and the body are as they were); nothing written")
            return discard("unchanged")
        reasons = _problems(edited)
        if not reasons:
            try:
                text = _text_to_write(edited)
                write_record_text(snapshot, text, display, by_hand=True)
            except WriteError as error:
                return keep(str(error))
            return discard("written", field_changes(original.data or {}, edited.data or {}))
        say(f"{display}: the edited record is invalid:")
        for reason in reasons:
            say(f"  {reason}")
        choice = _choose(ask, f"[e]dit again, [k]eep the text in {scratch} and stop, or [a]bort? ", "eka")
        if choice == "e":
            given = raw
            continue
        if choice == "a":
            say("aborted; nothing written, the edited text discarded")
            return discard("aborted")
        return keep("nothing written", failed=choice is None)


def _open(path: Path, config: Config, cwd: Path) -> tuple[RecordFile, Snapshot]:
    """The record and its snapshot. Unlike `--set`, the editor may open a front matter that does not parse:
    fixing it by hand is what the editor is for. Only text that is not UTF-8 is refused."""
    from ccus_records.features.edit import read_for_edit

    file, snapshot = read_for_edit(path, config, cwd)
    display = file.display
    if file.text is None:
        problem = file.problems[0].message if file.problems else "cannot be decoded"
        raise EditError(f"{display}: cannot be edited as text ({problem})")
    return file, snapshot
