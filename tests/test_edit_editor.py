"""`edit ID` with no change options: the $EDITOR loop, driven by a fake editor script."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from tests.helpers import clean_record, write_record

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="the fake editor is a POSIX script")

# Each run of the fake editor takes the next step of the plan: replace text, write a whole file, do nothing,
# rewrite the file unchanged, exit with a status, or change the record on disk behind the tool's back.
FAKE_EDITOR = """\
import json, os, sys
from pathlib import Path
plan_path = Path(os.environ["FAKE_EDITOR_PLAN"])
plan = json.loads(plan_path.read_text())
step = plan.pop(0)
plan_path.write_text(json.dumps(plan))
target = Path(sys.argv[-1])
Path(os.environ["FAKE_EDITOR_PLAN"] + ".seen").open("a").write(target.read_text() + "\\n=====\\n")
if "replace" in step:
    old, new = step["replace"]
    text = target.read_text()
    assert old in text, old
    target.write_text(text.replace(old, new))
elif "write" in step:
    target.write_text(step["write"])
elif "touch" in step:
    target.write_bytes(target.read_bytes())
elif "behind" in step:
    behind = Path(step["behind"])
    behind.write_text(behind.read_text().replace('"year": 2020', '"year": 1999'))
    text = target.read_text()
    target.write_text(text.replace('"title": "Example Storage Act"', '"title": "Mine"'))
sys.exit(step.get("exit", 0))
"""


@pytest.fixture
def editor(workdir: Path):  # type: ignore[no-untyped-def]
    script = workdir.parent / f"{workdir.name}-editor.py"
    script.write_text(FAKE_EDITOR, encoding="utf-8")
    plan = workdir.parent / f"{workdir.name}-plan.json"

    def configure(*steps: dict[str, object]) -> dict[str, str]:
        plan.write_text(json.dumps(list(steps)), encoding="utf-8")
        return {"EDITOR": f"{sys.executable} {script}", "VISUAL": "", "FAKE_EDITOR_PLAN": str(plan)}

    configure.plan = plan  # type: ignore[attr-defined]
    return configure


def data_of(path: Path) -> dict[str, object]:
    return dict(json.loads(path.read_text(encoding="utf-8").split("---\n")[1]))


def kept_file(stderr: str) -> Path:
    marker = "your text is kept in "
    assert marker in stderr, stderr
    return Path(stderr.split(marker, 1)[1].split()[0])


def test_a_valid_edit_is_written(cli, workdir: Path, editor) -> None:  # type: ignore[no-untyped-def]
    path = write_record(workdir, clean_record())
    env = editor({"replace": ['"score": 60\n    },\n    "statutory"', '"score": 65\n    },\n    "statutory"']})
    result = cli("edit", path.name, "--isolated", env=env)
    assert result.exit_code == 0, result.stderr
    assert "~ analysis.mrv.score: 60 → 65" in result.stdout
    assert data_of(path)["analysis"]["mrv"]["score"] == 65  # type: ignore[index]
    assert json.loads(editor.plan.read_text()) == []


def test_json_edited_by_hand_is_written_in_canonical_form(cli, workdir: Path, editor) -> None:  # type: ignore[no-untyped-def]
    path = write_record(workdir, clean_record())
    before = path.read_text(encoding="utf-8")
    env = editor({"replace": ['  "year": 2020\n', '"year":2021\n']})
    assert cli("edit", path.name, "--isolated", env=env).exit_code == 0
    assert path.read_text(encoding="utf-8") == before.replace('"year": 2020', '"year": 2021')


def test_unchanged_save_writes_nothing(cli, workdir: Path, editor) -> None:  # type: ignore[no-untyped-def]
    path = write_record(workdir, clean_record())
    before = path.read_bytes()
    result = cli("edit", path.name, "--isolated", env=editor({"touch": True}))
    assert result.exit_code == 0
    assert "no changes" in result.stderr
    assert path.read_bytes() == before


def test_reformatting_alone_is_unchanged(cli, workdir: Path, editor) -> None:  # type: ignore[no-untyped-def]
    path = write_record(workdir, clean_record())
    before = path.read_bytes()
    env = editor({"replace": ['"year": 2020', '"year":     2020']})
    result = cli("edit", path.name, "--isolated", env=env)
    assert result.exit_code == 0
    assert "no changes" in result.stderr
    assert path.read_bytes() == before


def test_editor_returning_at_once_is_warned_about_not_taken_as_unchanged(cli, workdir: Path, editor) -> None:  # type: ignore[no-untyped-def]
    path = write_record(workdir, clean_record())
    # First run returns at once without saving (a GUI editor without --wait); the person edits again.
    env = editor({}, {"replace": ['"year": 2020', '"year": 2022']})
    result = cli("edit", path.name, "--isolated", env=env, input="e\n")
    assert result.exit_code == 0, result.stderr
    assert "without saving" in result.stderr and "--wait" in result.stderr
    assert "no changes" not in result.stderr
    assert data_of(path)["year"] == 2022


def test_quick_return_can_be_aborted(cli, workdir: Path, editor) -> None:  # type: ignore[no-untyped-def]
    path = write_record(workdir, clean_record())
    before = path.read_bytes()
    result = cli("edit", path.name, "--isolated", env=editor({}), input="a\n")
    assert result.exit_code == 1
    assert "aborted" in result.stderr
    assert path.read_bytes() == before


def test_invalid_edit_then_edit_again_keeps_the_typing(cli, workdir: Path, editor) -> None:  # type: ignore[no-untyped-def]
    path = write_record(workdir, clean_record())
    env = editor(
        {"replace": ['"score": 60\n    },\n    "statutory"', '"score": 600\n    },\n    "statutory"']},
        {"replace": ['"title": "Example Storage Act"', '"title": "Retitled"']},
        {"replace": ['"score": 600', '"score": 61']},
    )
    result = cli("edit", path.name, "--isolated", env=env, input="e\ne\n")
    assert result.exit_code == 0, result.stderr
    assert "`analysis.mrv.score`: input should be less than or equal to 100" in result.stderr
    data = data_of(path)
    # The second pass opened the text as typed (600 in it), so both changes survive.
    assert data["title"] == "Retitled"
    assert data["analysis"]["mrv"]["score"] == 61  # type: ignore[index]
    seen = Path(str(editor.plan) + ".seen").read_text().split("\n=====\n")
    assert '"score": 600' in seen[1]


def test_invalid_edit_keep_leaves_the_text_in_a_named_file(cli, workdir: Path, editor) -> None:  # type: ignore[no-untyped-def]
    path = write_record(workdir, clean_record())
    before = path.read_bytes()
    env = editor({"replace": ['"reviewStatus": "verified"', '"reviewStatus": "approved"']})
    result = cli("edit", path.name, "--isolated", env=env, input="k\n")
    assert result.exit_code == 1
    kept = kept_file(result.stderr)
    try:
        assert '"reviewStatus": "approved"' in kept.read_text(encoding="utf-8")
        assert path.read_bytes() == before
    finally:
        kept.unlink()


def test_invalid_edit_abort_discards(cli, workdir: Path, editor) -> None:  # type: ignore[no-untyped-def]
    path = write_record(workdir, clean_record())
    before = path.read_bytes()
    env = editor({"write": "not a record at all\n"})
    result = cli("edit", path.name, "--isolated", env=env, input="x\na\n")  # an unknown answer asks again
    assert result.exit_code == 1
    assert "S001" in result.stderr
    assert "aborted" in result.stderr
    assert path.read_bytes() == before


def test_end_of_input_keeps_the_text(cli, workdir: Path, editor) -> None:  # type: ignore[no-untyped-def]
    path = write_record(workdir, clean_record())
    env = editor({"replace": ['"year": 2020', '"year": "MMXX"']})
    result = cli("edit", path.name, "--isolated", env=env, input="")
    assert result.exit_code == 2
    kept = kept_file(result.stderr)
    try:
        assert '"year": "MMXX"' in kept.read_text(encoding="utf-8")
    finally:
        kept.unlink()


def test_editor_failing_keeps_the_text(cli, workdir: Path, editor) -> None:  # type: ignore[no-untyped-def]
    path = write_record(workdir, clean_record())
    before = path.read_bytes()
    result = cli("edit", path.name, "--isolated", env=editor({"exit": 3}))
    assert result.exit_code == 2
    assert "exited with status 3" in result.stderr
    kept_file(result.stderr).unlink()
    assert path.read_bytes() == before


def test_change_on_disk_while_editing_is_detected(cli, workdir: Path, editor) -> None:  # type: ignore[no-untyped-def]
    path = write_record(workdir, clean_record())
    result = cli("edit", path.name, "--isolated", env=editor({"behind": str(path)}))
    assert result.exit_code == 2
    assert "changed on disk since it was read" in result.stderr
    kept = kept_file(result.stderr)
    try:
        assert '"title": "Mine"' in kept.read_text(encoding="utf-8")
    finally:
        kept.unlink()
    assert data_of(path)["year"] == 1999  # the other change stands; ours was not written over it
    assert data_of(path)["title"] == "Example Storage Act"


def test_missing_editor_is_a_clear_error(cli, workdir: Path) -> None:
    path = write_record(workdir, clean_record())
    result = cli("edit", path.name, "--isolated", env={"EDITOR": "/no/such/editor", "VISUAL": ""})
    assert result.exit_code == 2
    assert "cannot start the editor" in result.stderr


def test_yaml_record_edited_by_hand_is_written_as_typed(cli, workdir: Path, editor) -> None:  # type: ignore[no-untyped-def]
    from tests.test_edit_yaml import yaml_record_text

    path = workdir / "us-example-act-2020.md"
    path.write_text(yaml_record_text(), encoding="utf-8")
    env = editor({"replace": ["year: 2020", "year: 2021   # corrected"]})
    assert cli("edit", path.name, "--isolated", env=env).exit_code == 0
    assert "year: 2021   # corrected\n" in path.read_text(encoding="utf-8")
