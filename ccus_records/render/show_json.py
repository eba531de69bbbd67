"""One record's data as JSON (`show --format json`): exactly the front matter, safe to print."""

from __future__ import annotations

from collections.abc import Iterator

from ccus_records.features.listing import Shown
from ccus_records.render.encode import json_text
from ccus_records.render.registry import RenderOptions


def render(shown: Shown, options: RenderOptions) -> Iterator[str]:
    yield json_text(shown.file.data) + "\n"
