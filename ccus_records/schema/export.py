"""The JSON Schema (draft 2020-12) derived from the record model."""

from __future__ import annotations

import json
from typing import Any

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def record_json_schema() -> dict[str, Any]:
    from ccus_records.schema.model import Record

    schema = Record.model_json_schema(mode="validation")
    return {"$schema": SCHEMA_DIALECT, **schema}


def record_json_schema_text() -> str:
    return json.dumps(record_json_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
