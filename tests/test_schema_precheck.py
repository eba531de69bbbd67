"""The pydantic-free fast paths agree with what they stand in for: the record pre-check with the model, the
plain-configuration path with pydantic's validation, and the country table with pycountry's API."""

from __future__ import annotations

import copy
import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ccus_records.engine import config
from ccus_records.recordfile.reader import read_record_file
from ccus_records.schema.fields import record_fields
from ccus_records.schema.model import Record
from ccus_records.schema.precheck import KINDS, SHAPE, surely_valid, unknown_keys
from ccus_records.schema.validation import validation_errors
from tests.helpers import clean_record, write_record
from tests.test_schema_agreement import model_accepts

ROOT = Path(__file__).resolve().parent.parent


def _leaves(shape: dict[str, Any], prefix: str = "") -> dict[str, str]:
    leaves: dict[str, str] = {}
    for name, expected in shape.items():
        dotted = f"{prefix}.{name}" if prefix else name
        if isinstance(expected, dict):
            leaves.update(_leaves(expected, dotted))
        else:
            leaves[dotted] = KINDS[expected]
    return leaves


def test_the_precheck_has_exactly_the_model_fields_and_kinds() -> None:
    assert _leaves(SHAPE) == {name: kind.kind for name, kind in record_fields().items()}
    # In the model's order too: unknown keys are reported in the order the model checks its fields.
    assert list(_leaves(SHAPE)) == list(record_fields())


def model_errors(data: Any) -> list[dict[str, Any]]:
    """The model's own errors, worded as `validation_errors` returns them."""
    from pydantic import ValidationError

    try:
        Record.model_validate(data)
    except ValidationError as error:
        return [dict(item) for item in error.errors(include_url=False, include_input=False)]
    return []


def test_every_seed_record_passes_the_precheck() -> None:
    """Useful, not only sound: the records a corpus holds never need the model to be built."""
    for path in sorted((ROOT / "seeds").glob("*.md")):
        data = read_record_file(path, path.name).data
        assert model_accepts(data)
        assert surely_valid(data), path.name


ODD_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True),
    st.sampled_from(["", "Active", "verified", "2024-02-29", "2024-02-30", "2024-2-01", "2024-02-01T00:00"]),
    st.text(max_size=12),
    st.lists(st.one_of(st.text(max_size=4), st.integers()), max_size=3),
    st.dictionaries(st.text(max_size=4), st.integers(), max_size=2),
    st.dates(),
    st.datetimes(),
)


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(data, dict):
        for key, value in data.items():
            found.extend(_paths(value, (*prefix, key)))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found.extend(_paths(value, (*prefix, index)))
    return found


BASE = clean_record(**{"evolution.clusters": ["North Sea"], "sectors": ["Power", "Cement"]})
PATHS = _paths(BASE)


@settings(max_examples=400, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(PATHS), st.sampled_from(["set", "delete", "add"]), ODD_VALUES), max_size=3))
def test_nothing_the_precheck_passes_is_refused_by_the_model(edits: list[tuple[tuple[Any, ...], str, Any]]) -> None:
    data = copy.deepcopy(BASE)
    for path, action, value in edits:
        target: Any = data
        try:
            for part in path[:-1]:
                target = target[part]
            if action == "set":
                target[path[-1]] = value
            elif action == "delete":
                del target[path[-1]]
            elif isinstance(target, dict):
                target[f"extra{len(target)}"] = value
            elif isinstance(target, list):
                target.append(value)
        except (KeyError, IndexError, TypeError):
            continue
    if surely_valid(data):
        assert model_accepts(data), data
    if unknown_keys(data) is not None:
        # Where the pre-check words the errors itself (unknown keys only), they are the model's, in order.
        assert validation_errors(data) == model_errors(data), data


@settings(max_examples=200, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.sampled_from([(), *(path for path in PATHS if isinstance(path[-1], str))]), st.text(max_size=6)),
        min_size=1,
        max_size=4,
    ),
    ODD_VALUES,
)
def test_unknown_keys_are_worded_and_ordered_as_the_model_does(
    additions: list[tuple[tuple[Any, ...], str]], value: Any
) -> None:
    data = copy.deepcopy(BASE)
    for path, key in additions:
        target: Any = data
        for part in path:
            target = target[part]
        if isinstance(target, dict):
            target.setdefault(key, value)
    errors = validation_errors(data)
    assert errors == model_errors(data)
    assert all(error["type"] == "extra_forbidden" for error in errors)


def test_an_unknown_key_that_is_not_a_string_is_left_to_the_model() -> None:
    data = clean_record()
    data[1] = "x"  # YAML keys may be numbers
    assert unknown_keys(data) is None
    assert validation_errors(data) == model_errors(data)


def test_an_unknown_key_beside_a_missing_one_is_left_to_the_model() -> None:
    data = clean_record()
    data["titel"] = data.pop("title")
    assert unknown_keys(data) is None
    assert {error["type"] for error in validation_errors(data)} == {"missing", "extra_forbidden"}


ODD_SAMPLES: list[Any] = [
    None,
    True,
    False,
    0,
    -1,
    101,
    2**64,
    40.0,
    40.5,
    float("nan"),
    "",
    "40",
    "Active",
    "verified",
    "2024-02-29",
    "2024-02-30",
    "2024-2-01",
    "2024-02-01T00:00",
    [],
    ["x"],
    [1],
    {},
    {"auditNote": ""},
    dt.date(2024, 2, 29),
    dt.datetime(2024, 2, 29, 1, 2),
]


@pytest.mark.parametrize("path", PATHS, ids=lambda path: ".".join(map(str, path)))
def test_every_field_set_to_every_odd_value_is_judged_soundly(path: tuple[Any, ...]) -> None:
    for value in ODD_SAMPLES:
        data = copy.deepcopy(BASE)
        target: Any = data
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = copy.deepcopy(value)
        if surely_valid(data):
            assert model_accepts(data), (path, value)


def test_the_precheck_passes_a_record_with_yaml_dates() -> None:
    data = clean_record()
    data["pubDate"] = dt.date(2020, 3, 1)
    data["provenance"]["lastAuditDate"] = dt.date(2026, 10, 1)
    assert surely_valid(data) and model_accepts(data)
    data["pubDate"] = dt.datetime(2020, 3, 1)
    assert not surely_valid(data) and not model_accepts(data)


PLAIN_KEYS = st.fixed_dictionaries(
    {},
    optional={
        "records": st.one_of(st.lists(st.text(max_size=6), max_size=3), st.integers(), st.text(max_size=3)),
        "select": st.one_of(st.text(max_size=10), st.lists(st.sampled_from(["A", "C003", " D ", ""]), max_size=3)),
        "ignore": st.one_of(st.text(max_size=10), st.lists(st.sampled_from(["S", "I001", "x"]), max_size=3)),
        "baseline": st.one_of(st.text(max_size=6), st.none(), st.integers()),
        "max_audit_age_days": st.one_of(st.integers(-3, 10**6), st.booleans(), st.floats(-1, 10)),
        "max_file_bytes": st.one_of(st.integers(-3, 10**9), st.floats(0, 10)),
        "absence_score_ceiling": st.one_of(st.integers(-5, 105), st.booleans()),
        "severity": st.dictionaries(
            st.sampled_from(["A001", "C003", "zz"]), st.sampled_from(["error", "warning", "info", "fatal", 1])
        ),
    },
)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(PLAIN_KEYS)
def test_the_plain_configuration_path_builds_what_pydantic_builds(table: dict[str, Any]) -> None:
    plain = config._plain_settings(table)
    if plain is None:
        return
    assert plain == config._adapter().validate_python(table)


def test_a_gate_configuration_takes_the_plain_path_and_agrees() -> None:
    table = {
        "records": ["seeds"],
        "baseline": "seeds.baseline.json",
        "ignore": "A006,D002",
        "max-audit-age-days": 400,
        "severity": {"C003": "info"},
    }
    renamed, _ = config._python_names(table, Path("ccus-records.toml"))
    plain = config._plain_settings(renamed)
    assert plain is not None
    assert plain == config._adapter().validate_python(renamed)
    assert plain.ignore == ("A006", "D002") and plain.max_audit_age_days == 400


def test_a_hook_run_on_valid_records_never_imports_pydantic(tmp_path: Path) -> None:
    """What keeps a hook run under its budget: no pydantic import on a plain configuration and valid records
    (or records whose only schema finding is an unknown key, which the pre-check words itself)."""
    (tmp_path / "ccus-records.toml").write_text('records = ["records"]\nignore = ["D"]\n', encoding="utf-8")
    paths = [write_record(tmp_path / "records", clean_record(f"us-act-{year}")) for year in (2019, 2020, 2021)]
    misspelt = clean_record("us-act-2022")
    misspelt["provenance"]["reviwer"] = "J. Doe"
    paths.append(write_record(tmp_path / "records", misspelt))
    probe = (
        "import sys\n"
        "from ccus_records.cli.app import main\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as exit:\n"
        "    heavy = sorted(name for name in ('pydantic', 'pycountry', 'jsonschema', 'rich') if name in sys.modules)\n"
        "    print(exit.code, heavy, file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, "lint", "--today", "2026-12-01", *map(str, paths)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.stderr.strip().splitlines()[-1] == "0 []", result.stderr
    assert "S005 [warning] unknown field `provenance.reviwer`" in result.stdout


def test_the_country_table_read_from_pycountrys_file_is_pycountrys_table() -> None:
    import pycountry

    from ccus_records.schema import countries

    through_api: dict[str, str] = {}
    for country in pycountry.countries:
        for attribute in ("name", "official_name", "common_name"):
            value = getattr(country, attribute, None)
            if value:
                through_api.setdefault(value.casefold(), country.alpha_2)
    assert countries._names() == through_api


@pytest.mark.parametrize("table", [{"unknown-key": 1}, {"max-audit-age-days": -1}, {"select": 5}])
def test_a_bad_plain_looking_configuration_still_gets_pydantics_message(table: dict[str, Any]) -> None:
    with pytest.raises(config.ConfigError) as raised:
        config.settings_from_table(table, Path("ccus-records.toml"))
    key = next(iter(table))
    assert f"  {key}: " in str(raised.value)


def test_a_key_spelled_two_ways_is_an_error() -> None:
    with pytest.raises(config.ConfigError, match="given twice"):
        config.settings_from_table({"max-audit-age-days": 1, "max_audit_age_days": 2}, Path("c.toml"))


def test_json_of_the_settings_is_stable() -> None:
    """The cache fingerprint serialises custom rule specs: they must stay plain data."""
    import dataclasses

    spec = config.CustomRuleSpec(code="X1", name="n", message="m", require={"required": ["id"]})
    assert json.loads(json.dumps(dataclasses.asdict(spec)))["require"] == {"required": ["id"]}
