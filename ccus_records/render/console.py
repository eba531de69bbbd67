"""The rich console every terminal renderer draws on: record text is never read as markup or emoji."""

from __future__ import annotations

import io

from rich.console import Console


def text_console(out: io.StringIO, width: int, colour: bool) -> Console:
    """A console that writes into `out`: colour only when asked, and no markup, highlighting or emoji."""
    return Console(
        file=out,
        width=width,
        force_terminal=colour,
        no_color=not colour,
        color_system="standard" if colour else None,
        highlight=False,
        markup=False,
        emoji=False,
    )
