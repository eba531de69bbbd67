""" "Did you mean" for every name a person types: fields, rule codes and selectors, configuration keys, record ids.

One measure everywhere (ccus_records/suggest.py): an edit distance in which swapping two neighbouring
characters is one edit, any case, the first character kept breaking ties; else the names containing what was
typed.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from ccus_records.suggest import closest, edit_distance
from tests.helpers import TODAY, clean_record, write_record


@pytest.fixture
def repository(workdir: Path) -> Path:
    subprocess.run(["git", "init", "-q", str(workdir)], check=True)
    write_record(workdir / "records", clean_record("cn-zero-carbon-parks-2021", country="China"))
    return workdir


def error_of(cli, *arguments: str) -> str:
    result = cli(*arguments)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert result.stdout == ""
    return result.stderr


@pytest.mark.parametrize(
    ("arguments", "stderr"),
    [
        (("list", "--sort", "titel"), "ccus-records: error: --sort: unknown field 'titel'; did you mean title?\n"),
        (("list", "--sort", "-Year"), "ccus-records: error: --sort: unknown field 'Year'; did you mean year?\n"),
        (
            ("list", "--columns", "id,contry"),
            "ccus-records: error: --columns: unknown field 'contry'; did you mean country?\n",
        ),
        (
            ("list", "--columns", "id,mrv.scroe"),
            "ccus-records: error: --columns: unknown field 'mrv.scroe'; did you mean analysis.mrv.score?\n",
        ),
        (
            ("list", "--where", "analysis.mrv.scor>3"),
            "ccus-records: error: --where 'analysis.mrv.scor>3': unknown field 'analysis.mrv.scor'; "
            "did you mean analysis.mrv.score?\n",
        ),
        (
            ("edit", "cn-zero-carbon-parks-2021", "--set", "reviewStatus=verifed"),
            "ccus-records: error: --set 'reviewStatus=verifed': reviewStatus: 'verifed' is not one of draft, "
            "pending, verified, rejected; did you mean verified?\n",
        ),
        (
            ("show", "cn-zero-carbon-park-2021"),
            "ccus-records: error: no record with id 'cn-zero-carbon-park-2021' and no such file (1 files searched); "
            "did you mean cn-zero-carbon-parks-2021?\n",
        ),
        (
            ("show", "zero-carbon"),
            "ccus-records: error: no record with id 'zero-carbon' and no such file (1 files searched); "
            "did you mean cn-zero-carbon-parks-2021?\n",
        ),
        (("rule", "A01"), "ccus-records: error: no rule 'A01' (see `ccus-records rules`); did you mean A001?\n"),
        (
            ("rule", "unknown-value"),
            "ccus-records: error: no rule 'unknown-value' (see `ccus-records rules`); "
            "did you mean V001 (unknown-value)?\n",
        ),
        (("rule", "Q123"), "ccus-records: error: no rule 'Q123' (see `ccus-records rules`)\n"),
        (
            ("lint", "--select", "C0005"),
            "ccus-records: error: select: 'C0005' matches no rule (see `ccus-records rules`); did you mean C005?\n",
        ),
        (
            ("lint", "--ignore", "AL"),
            "ccus-records: error: ignore: 'AL' matches no rule (see `ccus-records rules`); did you mean ALL or A?\n",
        ),
        (
            ("list", "--has", "A0001"),
            "ccus-records: error: --has: 'A0001' matches no rule (see `ccus-records rules`); did you mean A001?\n",
        ),
    ],
)
def test_an_unknown_name_is_answered_with_the_closest(
    cli, repository: Path, arguments: tuple[str, ...], stderr: str
) -> None:
    assert error_of(cli, *arguments) == stderr


def test_prefixes_are_selectors_but_not_rules(cli, repository: Path) -> None:
    # `C` selects the C family in --select, --ignore and --has; `rule` explains one rule, and says so.
    assert cli("lint", "--select", "C", "--today", TODAY, "--no-cache").exit_code == 0
    assert cli("list", "--has", "C", "--today", TODAY).exit_code == 0
    assert error_of(cli, "rule", "C") == (
        "ccus-records: error: 'C' is a prefix, not a rule: give one of C001, C002, C003, C004, C005, C007\n"
    )


def test_the_history_field_names_the_closest(cli, repository: Path) -> None:
    subprocess.run(["git", "add", "-A"], cwd=repository, check=True)
    subprocess.run(
        ["git", "-c", "user.name=T", "-c", "user.email=t@example.invalid", "commit", "-qm", "records"],
        cwd=repository,
        check=True,
    )
    assert error_of(cli, "log", "cn-zero-carbon-parks-2021", "--field", "reviwer") == (
        "ccus-records: error: --field 'reviwer': not a field of the record model; did you mean provenance.reviewer?\n"
    )


@pytest.mark.parametrize(
    ("configuration", "message"),
    [
        ('recrods = ["records"]\n', "  recrods: unknown key; did you mean records?"),
        ("max-audit-age = 30\n", "  max-audit-age: unknown key; did you mean max-audit-age-days?"),
        ("[report]\nfail-undr = {}\n", "  report.fail-undr: unknown key; did you mean fail-under?"),
        ("[vocabulary]\ncategry = []\n", "  vocabulary.categry: unknown key; did you mean category?"),
        (
            '[[rule]]\ncode = "X001"\nname = "x"\nmessage = "m"\nrequire = true\nwehn = true\n',
            "  rule.0.wehn: unknown key; did you mean when?",
        ),
        ("absence_labels = []\nzzz = 1\n", "  zzz: unknown key"),
    ],
)
def test_an_unknown_configuration_key_names_the_closest(
    cli, repository: Path, configuration: str, message: str
) -> None:
    (repository / "ccus-records.toml").write_text(configuration, encoding="utf-8")
    stderr = error_of(cli, "lint", "--today", TODAY)
    assert stderr.splitlines()[0].endswith("ccus-records.toml: invalid configuration")
    assert stderr.splitlines()[1:] == [message]


def test_the_pyproject_table_names_the_closest_key(cli, repository: Path) -> None:
    (repository / "pyproject.toml").write_text('[tool.ccus-records]\nignroe = ["A001"]\n', encoding="utf-8")
    assert error_of(cli, "lint", "--today", TODAY).splitlines()[1:] == ["  ignroe: unknown key; did you mean ignore?"]


@pytest.mark.parametrize(
    ("configuration", "message"),
    [
        (
            '[severity]\nC05 = "error"\n',
            "ccus-records: error: severity: 'C05' is not a rule code; did you mean C005?\n",
        ),
        (
            '[per-file-ignores]\n"records/*" = ["A0001"]\n',
            "ccus-records: error: per-file-ignores['records/*']: 'A0001' matches no rule (see `ccus-records rules`); "
            "did you mean A001?\n",
        ),
        (
            'select = ["C5"]\n',
            "ccus-records: error: select: 'C5' matches no rule (see `ccus-records rules`); did you mean C?\n",
        ),
    ],
)
def test_rule_codes_in_the_configuration_name_the_closest(
    cli, repository: Path, configuration: str, message: str
) -> None:
    (repository / "ccus-records.toml").write_text(configuration, encoding="utf-8")
    assert error_of(cli, "lint", "--today", TODAY) == message


def test_report_thresholds_name_the_closest_group_and_field(cli, repository: Path) -> None:
    (repository / "ccus-records.toml").write_text('[report.fail-under]\n"contry:China" = 50\n', encoding="utf-8")
    assert error_of(cli, "report", "--today", TODAY).splitlines()[1].endswith("VALUE; did you mean country:China?")
    (repository / "ccus-records.toml").write_text('[report.fail-under]\n"field:titel" = 50\n', encoding="utf-8")
    assert (
        error_of(cli, "report", "--today", TODAY)
        .splitlines()[1]
        .endswith("'titel' matches no record field; did you mean title?")
    )


def test_the_measure() -> None:
    assert edit_distance("lnit", "lint", 3) == 1  # a swap of neighbours is one edit
    assert edit_distance("lnit", "list", 3) == 2
    assert edit_distance("kitten", "sitting", 5) == 3
    assert edit_distance("kitten", "sitting", 2) == 3  # above the limit: limit + 1
    assert edit_distance("", "abc", 5) == 3
    commands = ["lint", "rules", "rule", "list", "show", "diff", "log", "edit", "review", "fmt", "init", "server"]
    assert closest("lnit", commands) == ["lint"]  # `init` is as close, but changes the first letter
    assert closest("LINT", commands) == ["lint"]
    assert closest("x", ["a", "b"]) == []  # one character is never replaced whole
    assert closest("zzzzzz", commands) == []
    assert closest("score", ["analysis.mrv.score", "year", "analysis.market.score"]) == [
        "analysis.mrv.score",
        "analysis.market.score",
    ]
