"""Configuration: `[tool.ccus-records]` in pyproject.toml, or top-level keys in ccus-records.toml.

Found from the current folder upward; paths in it are relative to the folder it is in. Every key is
checked: an unknown key or a bad value is a `ConfigError` naming the key.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, cast

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ccus_records.recordfile.reader import DEFAULT_MAX_FILE_BYTES
from ccus_records.schema.vocabulary import (
    DEFAULT_ABSENCE_LABELS,
    DEFAULT_CATEGORIES,
    DEFAULT_LEGAL_WEIGHTS,
    DEFAULT_MACHINE_AUTHORS,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

CONFIG_FILE = "ccus-records.toml"
PYPROJECT = "pyproject.toml"
Level = Literal["error", "warning", "info"]


class ConfigError(Exception):
    """The configuration cannot be used; the message names the file and the key."""


class _Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)


class Vocabulary(_Settings):
    category: tuple[str, ...] = DEFAULT_CATEGORIES
    legalWeight: tuple[str, ...] = DEFAULT_LEGAL_WEIGHTS


class CustomRuleSpec(_Settings):
    code: str = Field(pattern=r"^X[0-9]+$")
    name: str = Field(min_length=1)
    severity: Level = "warning"
    message: str = Field(min_length=1)
    when: dict[str, Any] | bool = True
    require: dict[str, Any] | bool


# The record fields a report can group by; a `report.fail-under` key is `overall`, `field:GLOB` or `GROUP:VALUE`.
REPORT_GROUPS: tuple[str, ...] = ("country", "category", "legalWeight", "status", "reviewStatus")


def check_field_pattern(pattern: str) -> str:
    """A field name or glob (`analysis.*.citation`) that names at least one record field."""
    import fnmatch

    from ccus_records.schema.fields import record_fields

    if not any(fnmatch.fnmatchcase(name, pattern) for name in record_fields()):
        raise ValueError(f"{pattern!r} matches no record field")
    return pattern


class ReportSettings(_Settings):
    fail_under: dict[str, float] = Field(default_factory=dict, alias="fail-under")

    @field_validator("fail_under")
    @classmethod
    def _thresholds(cls, value: dict[str, float]) -> dict[str, float]:
        for key, threshold in value.items():
            kind, _, rest = key.partition(":")
            if key != "overall" and (kind not in (*REPORT_GROUPS, "field") or not rest.strip()):
                raise ValueError(f"{key!r} is not `overall`, `field:GLOB` or one of {', '.join(REPORT_GROUPS)}:VALUE")
            if kind == "field":
                check_field_pattern(rest)
            if not 0 <= threshold <= 100:
                raise ValueError(f"{key!r}: {threshold} is not a percentage from 0 to 100")
        return value


class Settings(_Settings):
    records: tuple[str, ...] | None = None
    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()
    severity: dict[str, Level] = Field(default_factory=dict)
    per_file_ignores: dict[str, tuple[str, ...]] = Field(default_factory=dict, alias="per-file-ignores")
    max_audit_age_days: int = Field(365, ge=0, alias="max-audit-age-days")
    absence_labels: tuple[str, ...] = Field(DEFAULT_ABSENCE_LABELS, alias="absence-labels")
    absence_score_ceiling: int = Field(20, ge=0, le=100, alias="absence-score-ceiling")
    machine_authors: tuple[str, ...] = Field(DEFAULT_MACHINE_AUTHORS, alias="machine-authors")
    vocabulary: Vocabulary = Field(default_factory=Vocabulary)
    rule: tuple[CustomRuleSpec, ...] = ()
    max_file_bytes: int = Field(DEFAULT_MAX_FILE_BYTES, gt=0, alias="max-file-bytes")
    # None: the report's default (every top-level string field, and each dimension's evidence and citation).
    coverage_fields: tuple[str, ...] | None = Field(None, alias="coverage-fields", min_length=1)
    report: ReportSettings = Field(default_factory=ReportSettings)
    # A baseline file of known findings that `lint` hides (relative to the configuration's folder).
    baseline: str | None = Field(None, min_length=1)

    @field_validator("coverage_fields")
    @classmethod
    def _coverage_fields_exist(cls, value: tuple[str, ...] | None) -> tuple[str, ...] | None:
        for pattern in value or ():
            check_field_pattern(pattern)
        return value

    @field_validator("select", "ignore", mode="before")
    @classmethod
    def _comma_list(cls, value: Any) -> Any:
        return split_codes(value) if isinstance(value, str) else value

    @field_validator("machine_authors")
    @classmethod
    def _patterns_compile(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        from ccus_records.engine.patterns import UnsafePattern, check_pattern

        for pattern in value:
            try:
                re.compile(pattern)
                check_pattern(pattern)
            except re.error as error:
                raise ValueError(f"{pattern!r} is not a valid regular expression: {error}") from None
            except UnsafePattern as error:
                raise ValueError(f"{pattern!r} is refused: {error}") from None
        return value


def default_settings() -> Settings:
    return Settings.model_validate({})


def split_codes(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


@dataclass(frozen=True)
class Config:
    """The settings in force and the folder that relative paths in them start from."""

    settings: Settings
    root: Path
    source: Path | None  # the file they came from, or None for the defaults

    @property
    def records(self) -> tuple[Path, ...]:
        if self.settings.records is not None:
            return tuple(self.root / entry for entry in self.settings.records)
        default = self.root / "seeds"
        return (default,) if default.is_dir() else ()


def _describe(error: ValidationError, source: Path) -> str:
    lines = [f"{source}: invalid configuration"]
    for item in error.errors():
        key = ".".join(str(part) for part in item["loc"]) or "(top level)"
        message = item["msg"]
        if item["type"] == "extra_forbidden":
            message = "unknown key"
        lines.append(f"  {key}: {message}")
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


def find_config_file(start: Path) -> tuple[Path, dict[str, Any]] | None:
    for folder in (start, *start.parents):
        for name in (CONFIG_FILE, PYPROJECT):
            candidate = folder / name
            if candidate.is_file():
                table = _table_of(candidate)
                if table is not None:
                    return candidate, table
    return None


def settings_from_table(table: dict[str, Any], source: Path) -> Settings:
    try:
        return Settings.model_validate(table)
    except ValidationError as error:
        raise ConfigError(_describe(error, source)) from None


def load_config(cwd: Path, explicit: Path | None = None, isolated: bool = False) -> Config:
    """The configuration in force for a command run in `cwd`."""
    if isolated:
        return Config(default_settings(), cwd, None)
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError(f"{explicit}: no such configuration file")
        table = _table_of(explicit)
        if table is None:
            raise ConfigError(f"{explicit}: has no [tool.ccus-records] table")
        return Config(settings_from_table(table, explicit), explicit.resolve().parent, explicit)
    found = find_config_file(cwd)
    if found is None:
        return Config(default_settings(), cwd, None)
    path, table = found
    return Config(settings_from_table(table, path), path.parent, path)
