"""Configuration: `[tool.ccus-records]` in pyproject.toml, or top-level keys in ccus-records.toml.

Found from the current folder upward; paths in it are relative to the folder it is in. Every key is
checked: an unknown key or a bad value is a `ConfigError` naming the key.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal, cast

from ccus_records.errors import CcusRecordsError
from ccus_records.recordfile.reader import DEFAULT_MAX_FILE_BYTES, MAX_FILE_BYTES_LIMIT
from ccus_records.schema.vocabulary import (
    DEFAULT_ABSENCE_LABELS,
    DEFAULT_CATEGORIES,
    DEFAULT_LEGAL_WEIGHTS,
    DEFAULT_MACHINE_AUTHORS,
)

if TYPE_CHECKING:
    # The annotations below are strings until pydantic reads them (see `_adapter`): a hook run whose
    # configuration is plain never imports pydantic, which would nearly double it (a 5-file lint took
    # 0.44 s instead of 0.23 s with pydantic imported up front).
    from pydantic import AfterValidator, BeforeValidator, Field, ValidationError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

CONFIG_FILE = "ccus-records.toml"
PYPROJECT = "pyproject.toml"
Level = Literal["error", "warning", "info"]
LEVELS: tuple[str, ...] = ("error", "warning", "info")


class ConfigError(CcusRecordsError):
    """The configuration cannot be used; the message names the file and the key."""


# pydantic's configuration of every settings class (a plain dict: pydantic's ConfigDict is a TypedDict).
_STRICT_KEYS: dict[str, Any] = {"extra": "forbid"}


@dataclass(frozen=True, kw_only=True)
class Vocabulary:
    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT_KEYS
    category: tuple[str, ...] = DEFAULT_CATEGORIES
    legalWeight: tuple[str, ...] = DEFAULT_LEGAL_WEIGHTS


@dataclass(frozen=True, kw_only=True)
class CustomRuleSpec:
    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT_KEYS
    code: Annotated[str, Field(pattern=r"^X[0-9]+$")]
    name: Annotated[str, Field(min_length=1)]
    severity: Level = "warning"
    message: Annotated[str, Field(min_length=1)]
    when: dict[str, Any] | bool = True
    require: dict[str, Any] | bool


# The record fields a report can group by; a `report.fail-under` key is `overall`, `field:GLOB` or `GROUP:VALUE`.
REPORT_GROUPS: tuple[str, ...] = ("country", "category", "legalWeight", "status", "reviewStatus")


def check_field_pattern(pattern: str) -> str:
    """A field name or glob (`analysis.*.citation`) that names at least one record field."""
    import fnmatch

    from ccus_records.schema.fields import record_fields

    if not any(fnmatch.fnmatchcase(name, pattern) for name in record_fields()):
        from ccus_records.suggest import hint

        raise ValueError(f"{pattern!r} matches no record field{hint(pattern, record_fields())}")
    return pattern


def _thresholds(value: dict[str, float]) -> dict[str, float]:
    for key, threshold in value.items():
        kind, _, rest = key.partition(":")
        if key != "overall" and (kind not in (*REPORT_GROUPS, "field") or not rest.strip()):
            from ccus_records.suggest import closest, phrase

            groups = closest(kind, ("field", *REPORT_GROUPS))
            close = phrase([f"{name}:{rest}" for name in groups] if rest else closest(key, ("overall",)))
            raise ValueError(
                f"{key!r} is not `overall`, `field:GLOB` or one of {', '.join(REPORT_GROUPS)}:VALUE{close}"
            )
        if kind == "field":
            check_field_pattern(rest)
        if not 0 <= threshold <= 100:
            raise ValueError(f"{key!r}: {threshold} is not a percentage from 0 to 100")
    return value


@dataclass(frozen=True, kw_only=True)
class ReportSettings:
    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT_KEYS
    fail_under: Annotated[dict[str, float], AfterValidator(_thresholds)] = field(default_factory=dict)


def _coverage_fields_exist(value: tuple[str, ...]) -> tuple[str, ...]:
    for pattern in value:
        check_field_pattern(pattern)
    return value


def _comma_list(value: Any) -> Any:
    return split_codes(value) if isinstance(value, str) else value


def _patterns_compile(value: tuple[str, ...]) -> tuple[str, ...]:
    from ccus_records.rules.patterns import UnsafePattern, check_pattern, machine_author_pattern

    for pattern in value:
        try:
            check_pattern(pattern)
        except re.error as error:
            raise ValueError(f"{pattern!r} is not a valid regular expression: {error}") from None
        except UnsafePattern as error:
            raise ValueError(f"{pattern!r} is refused: {error}") from None
    try:
        machine_author_pattern(value).search("")  # all of them in one pattern, as a run uses them
    except UnsafePattern as error:
        raise ValueError(f"the patterns together are refused: {error}") from None
    return value


@dataclass(frozen=True, kw_only=True)
class Settings:
    """The configuration's keys, by their Python names (the files spell them with hyphens)."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT_KEYS
    records: tuple[str, ...] | None = None
    select: Annotated[tuple[str, ...], BeforeValidator(_comma_list)] = ("ALL",)
    ignore: Annotated[tuple[str, ...], BeforeValidator(_comma_list)] = ()
    severity: dict[str, Level] = field(default_factory=dict)
    per_file_ignores: dict[str, tuple[str, ...]] = field(default_factory=dict)
    max_audit_age_days: Annotated[int, Field(ge=0)] = 365
    absence_labels: tuple[str, ...] = DEFAULT_ABSENCE_LABELS
    absence_score_ceiling: Annotated[int, Field(ge=0, le=100)] = 20
    machine_authors: Annotated[tuple[str, ...], AfterValidator(_patterns_compile)] = DEFAULT_MACHINE_AUTHORS
    vocabulary: Vocabulary = field(default_factory=Vocabulary)
    rule: tuple[CustomRuleSpec, ...] = ()
    max_file_bytes: Annotated[int, Field(gt=0, le=MAX_FILE_BYTES_LIMIT)] = DEFAULT_MAX_FILE_BYTES
    # None: the report's default (every top-level string field, and each dimension's evidence and citation).
    coverage_fields: Annotated[tuple[str, ...], Field(min_length=1), AfterValidator(_coverage_fields_exist)] | None = (
        None
    )
    report: ReportSettings = field(default_factory=ReportSettings)
    # A baseline file of known findings that `lint` hides (relative to the configuration's folder).
    baseline: Annotated[str, Field(min_length=1)] | None = None


def default_settings() -> Settings:
    return Settings()


def split_codes(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


# Folders a project keeps its records in when its configuration names none, looked for in this order.
CONVENTIONAL_RECORDS: tuple[str, ...] = ("records", "seeds")


def bundled_seeds() -> Path | None:
    """The demo corpus shipped with the tool: inside an installed package, or beside a source checkout."""
    import ccus_records

    package = Path(ccus_records.__file__).resolve().parent
    for candidate in (package / "bundled_seeds", package.parent / "seeds"):
        if candidate.is_dir():
            return candidate
    return None


@dataclass(frozen=True)
class Config:
    """The settings in force and the project root that relative paths in them start from.

    The root is the folder of the configuration file, else the top of the git repository, else the
    current folder (as git and ruff find theirs). With `demo`, the corpus is the demo corpus shipped with
    the tool, whatever the project holds.
    """

    settings: Settings
    root: Path
    source: Path | None  # the file they came from, or None for the defaults
    demo: bool = False

    @property
    def records(self) -> tuple[Path, ...]:
        """The records folders: as configured, else the first conventional folder the root has."""
        if self.demo:
            seeds = bundled_seeds()
            return (seeds,) if seeds is not None else ()
        if self.settings.records is not None:
            return tuple(self.root / entry for entry in self.settings.records)
        for name in CONVENTIONAL_RECORDS:
            if (self.root / name).is_dir():
                return (self.root / name,)
        return ()

    def no_records_message(self) -> str:
        """What to tell a person whose project has no records folder."""
        where = f"{self.source} names none" if self.source is not None else "no configuration names one"
        return (
            f"no records folder: {where} and {self.root} has no "
            f'{" or ".join(name + "/" for name in CONVENTIONAL_RECORDS)} folder. Set `records = ["FOLDER"]` in '
            f"{CONFIG_FILE} (or [tool.ccus-records] in {PYPROJECT}), run `ccus-records init`, "
            "or add --demo to try the demo corpus shipped with the tool"
        )


def project_top(start: Path) -> Path | None:
    """The top of the git repository `start` lies in (the first folder upward holding `.git`), or None."""
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return None


def _keys_of(table: list[str]) -> tuple[str, ...]:
    """The keys the configuration's table at `table` (`[]`, `["report"]`, `["rule", "0"]`) takes, as spelled."""
    import dataclasses

    kind: type | None = {(): Settings, ("report",): ReportSettings, ("vocabulary",): Vocabulary}.get(tuple(table))
    if len(table) == 2 and table[0] == "rule":
        kind = CustomRuleSpec
    if kind is None:
        return ()
    hyphenated = tuple(table) in _HYPHENATED
    return tuple(item.name.replace("_", "-") if hyphenated else item.name for item in dataclasses.fields(kind))


def _describe(error: ValidationError, source: Path, spelled: dict[tuple[str, ...], str]) -> str:
    from ccus_records.suggest import hint

    lines = [f"{source}: invalid configuration"]
    for item in error.errors():
        location = [str(part) for part in item["loc"]]
        # Back to the key as the file spells it (`max-audit-age-days`, not `max_audit_age_days`).
        for depth in range(min(len(location), 2), 0, -1):
            key = spelled.get(tuple(location[:depth]))
            if key is not None:
                location[depth - 1] = key
        message = item["msg"]
        if item["type"] in ("extra_forbidden", "unexpected_keyword_argument"):
            message = f"unknown key{hint(location[-1], _keys_of([str(part) for part in item['loc'][:-1]]))}"
        elif item["type"] in ("missing", "missing_keyword_argument"):
            message = "required key is missing"
        lines.append(f"  {'.'.join(location) or '(top level)'}: {message}")
    return "\n".join(lines)


def _table_of(path: Path) -> dict[str, Any] | None:
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot be read: {error}") from None
    if path.name == PYPROJECT:
        tool = document.get("tool", {})
        table = tool.get("ccus-records") if isinstance(tool, dict) else None
        if table is None:
            return None
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: [tool.ccus-records] must be a table")
        return cast("dict[str, Any]", table)
    return cast("dict[str, Any]", document)


def find_config_file(start: Path, top: Path | None = None) -> tuple[Path, dict[str, Any]] | None:
    """The first configuration file from `start` upward, never above `top` (the repository's top)."""
    for folder in (start, *start.parents):
        if top is not None and folder != top and top not in folder.parents:
            break
        for name in (CONFIG_FILE, PYPROJECT):
            candidate = folder / name
            if candidate.is_file():
                table = _table_of(candidate)
                if table is not None:
                    return candidate, table
    return None


# The tables whose keys the files spell with hyphens; every other table's keys are data (codes, globs).
_HYPHENATED = {(): Settings, ("report",): ReportSettings}


def _python_names(table: dict[str, Any], source: Path) -> tuple[dict[str, Any], dict[tuple[str, ...], str]]:
    """The table with `max-audit-age-days` as `max_audit_age_days`, and how each renamed key was spelled."""
    spelled: dict[tuple[str, ...], str] = {}

    def rename(level: dict[str, Any], at: tuple[str, ...]) -> dict[str, Any]:
        renamed: dict[str, Any] = {}
        for key, value in level.items():
            name = key.replace("-", "_")
            if name in renamed:
                raise ConfigError(f"{source}: invalid configuration\n  {'.'.join([*at, key])}: given twice")
            nested = (*at, name)
            if name != key:
                spelled[nested] = key
            renamed[name] = rename(value, nested) if nested in _HYPHENATED and isinstance(value, dict) else value
        return renamed

    return rename(table, ()), spelled


def _adapter() -> Any:
    """pydantic's validator of `Settings`, built on first use (and never on a run with a plain configuration).

    The annotations name pydantic's `AfterValidator`, `BeforeValidator` and `Field`, imported here: a
    `TypeAdapter` resolves the names in string annotations among the locals of the function that makes it.
    """
    from pydantic import AfterValidator, BeforeValidator, Field, TypeAdapter  # noqa: F401

    return TypeAdapter(Settings)


def _is_strings(value: Any) -> bool:
    return type(value) is list and all(type(item) is str for item in value)


def _is_codes(value: Any) -> bool:
    return type(value) is str or _is_strings(value)


def _as_codes(value: Any) -> tuple[str, ...]:
    return tuple(_comma_list(value))


# The plain keys: whether a value is plainly valid (exact types, in range), and what pydantic makes of it.
_PLAIN_KEYS: dict[str, tuple[Callable[[Any], bool], Callable[[Any], Any]]] = {
    "records": (_is_strings, tuple),
    "select": (_is_codes, _as_codes),
    "ignore": (_is_codes, _as_codes),
    "baseline": (lambda value: type(value) is str and value != "", str),
    "max_audit_age_days": (lambda value: type(value) is int and value >= 0, int),
    "max_file_bytes": (lambda value: type(value) is int and 0 < value <= MAX_FILE_BYTES_LIMIT, int),
    "absence_score_ceiling": (lambda value: type(value) is int and 0 <= value <= 100, int),
    "severity": (lambda value: type(value) is dict and all(level in LEVELS for level in value.values()), dict),
}


def _plain_settings(table: dict[str, Any]) -> Settings | None:
    """Settings made without pydantic when every key is a plain one with a plainly valid value, else None.

    A fast path, never a second validator: whatever it is unsure of goes to pydantic, and a test checks
    that on what it accepts it builds exactly what pydantic builds.
    """
    values: dict[str, Any] = {}
    for key, value in table.items():
        plain = _PLAIN_KEYS.get(key)
        if plain is None or not plain[0](value):
            return None
        values[key] = plain[1](value)
    return Settings(**values)


def settings_from_table(table: dict[str, Any], source: Path) -> Settings:
    from_file, spelled = _python_names(table, source)
    plain = _plain_settings(from_file)
    if plain is not None:
        return plain
    from pydantic import ValidationError

    try:
        settings = cast("Settings", _adapter().validate_python(from_file))
    except ValidationError as error:
        raise ConfigError(_describe(error, source, spelled)) from None
    _check_rules(settings, source)
    return settings


def _check_rules(settings: Settings, source: Path) -> None:
    """Every custom rule's schemas can be used: valid, referring only within themselves, never endless."""
    if not settings.rule:
        return
    from ccus_records.rules.custom import CustomRuleError, check_rule

    for spec in settings.rule:
        try:
            check_rule(spec)
        except CustomRuleError as error:
            raise ConfigError(f"{source}: invalid configuration\n  {error}") from None


def load_config(cwd: Path, explicit: Path | None = None, isolated: bool = False, demo: bool = False) -> Config:
    """The configuration in force for a command run in `cwd`: `explicit`, else the first configuration
    file from `cwd` upward (stopping at the top of the repository), else the defaults at the project root."""
    cwd = Path(os.path.abspath(cwd))
    top = project_top(cwd)
    if isolated:
        return Config(default_settings(), top or cwd, None, demo)
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError(f"{explicit}: no such configuration file")
        table = _table_of(explicit)
        if table is None:
            raise ConfigError(f"{explicit}: has no [tool.ccus-records] table")
        return Config(settings_from_table(table, explicit), explicit.resolve().parent, explicit, demo)
    found = find_config_file(cwd, top)
    if found is None:
        return Config(default_settings(), top or cwd, None, demo)
    path, table = found
    return Config(settings_from_table(table, path), path.parent, path, demo)
