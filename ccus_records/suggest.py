"""Did you mean: the known names closest to a name a person typed that is not one of them.

One measure for every name the tool takes from a person: commands, options, `--format` names, fields
(`--where`, `--set`, `--sort`, `--columns`, `--field`), vocabulary values, rule codes and selectors,
configuration keys, record ids. Closeness is the edit distance in which swapping two neighbouring characters
is one edit (`lnit` is one edit from `lint`, two from `list`), compared ignoring case, and for a dotted name
also with each of its dotted tails (`mrv.scroe` for `analysis.mrv.score`); of names equally close, those that
keep the first character come first (a slip rarely changes it). A name is suggested only within about one
edit in three characters; failing any, the names that contain what was typed (`score` for
`analysis.mrv.score`). It imports nothing of the tool, so every layer may use it; each imports it where a
name turns out unknown, so that a run that needs no suggestion never loads it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence


def _allowed_edits(word: str) -> int:
    # One edit up to five characters, two up to eight, ...; never as many edits as the word has characters.
    return min(max(len(word), 3) // 3, max(len(word) - 1, 0))


def edit_distance(first: str, second: str, limit: int) -> int:
    """The optimal-string-alignment distance between two strings (insert, delete, replace one character, or swap
    two neighbouring ones), or `limit + 1` when it is above `limit`."""
    if abs(len(first) - len(second)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(second) + 1))
    for i in range(1, len(first) + 1):
        current = [i] + [0] * len(second)
        for j in range(1, len(second) + 1):
            cost = 0 if first[i - 1] == second[j - 1] else 1
            best = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and first[i - 1] == second[j - 2] and first[i - 2] == second[j - 1]:
                best = min(best, previous2[j - 2] + 1)
            current[j] = best
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return min(previous[-1], limit + 1)


def _bag_distance(counts: Counter[str], candidate: str) -> int:
    """A lower bound of the edit distance, at C speed: characters one string has and the other lacks."""
    other = Counter(candidate)
    return max(sum((counts - other).values()), sum((other - counts).values()))


def _forms(name: str) -> list[str]:
    """A name and, for a dotted one, each of its dotted tails: `mrv.score` is typed for `analysis.mrv.score`."""
    forms = [name]
    while "." in name:
        name = name.split(".", 1)[1]
        forms.append(name)
    return forms


def closest(word: str, candidates: Iterable[str], limit: int = 3) -> list[str]:
    """The candidates closest to `word` (at most `limit`), best first; empty when none is close."""
    folded = word.strip().casefold()
    if not folded:
        return []
    allowed = _allowed_edits(folded)
    counts = Counter(folded)
    scored: list[tuple[int, int, int, str]] = []
    containing: list[str] = []
    for order, candidate in enumerate(dict.fromkeys(candidates)):
        other = candidate.casefold()
        distance, first = allowed + 1, 1
        for form in _forms(other):
            if abs(len(form) - len(folded)) <= allowed and _bag_distance(counts, form) <= allowed:
                found = edit_distance(folded, form, allowed)
                if (found, int(form[:1] != folded[:1])) < (distance, first):
                    distance, first = found, int(form[:1] != folded[:1])
        if distance <= allowed:
            scored.append((distance, first, order, candidate))
        elif len(folded) >= 3 and folded in other:
            containing.append(candidate)
    if not scored:
        return containing[:limit]
    scored.sort()
    best = scored[0][:2]
    return [entry[3] for entry in scored if entry[:2] == best][:limit]


def phrase(found: Sequence[str]) -> str:
    """`; did you mean X?` (`X or Y`, `X, Y or Z`) to end an error message with, or "" for no names."""
    if not found:
        return ""
    names = found[0] if len(found) == 1 else f"{', '.join(found[:-1])} or {found[-1]}"
    return f"; did you mean {names}?"


def hint(word: str, candidates: Iterable[str], limit: int = 3) -> str:
    """`; did you mean X?` for the candidates closest to `word`, or "" when none is close."""
    return phrase(closest(word, candidates, limit))
