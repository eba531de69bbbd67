"""Which rules run: `select` and `ignore` by code or prefix, the more specific selector winning (as ruff)."""

from __future__ import annotations

from collections.abc import Iterable

from ccus_records.errors import CcusRecordsError


class SelectionError(CcusRecordsError, ValueError):
    """A selector names no rule."""


def _specificity(code: str, selectors: Iterable[str]) -> int:
    best = -1
    for selector in selectors:
        if selector == "ALL":
            best = max(best, 0)
        elif code.startswith(selector):
            best = max(best, len(selector))
    return best


def is_selected(code: str, select: Iterable[str], ignore: Iterable[str]) -> bool:
    chosen = _specificity(code, select)
    dropped = _specificity(code, ignore)
    return chosen >= 0 and chosen > dropped


def normalise_selectors(selectors: Iterable[str], known_codes: Iterable[str], where: str) -> tuple[str, ...]:
    """Upper-cased selectors; a selector that matches no known code is an error naming it and the closest
    code, family (`C`) or `ALL`."""
    codes = tuple(known_codes)
    result = []
    for raw in selectors:
        selector = raw.strip().upper()
        if not selector:
            continue
        if selector != "ALL" and not any(code.startswith(selector) for code in codes):
            from ccus_records.suggest import hint

            families = sorted({code[:1] for code in codes})
            close = hint(selector, ("ALL", *families, *codes))
            raise SelectionError(f"{where}: {raw!r} matches no rule (see `ccus-records rules`){close}")
        result.append(selector)
    return tuple(result)
