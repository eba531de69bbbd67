"""Regular expressions from configuration, matched by an engine whose time is linear in the text.

Python's `re` backtracks: `(a+)+$` takes exponential time on a long run of `a`s followed by another
character, and no static check of a pattern's shape is both sound and lenient (nested bounded repetitions,
`a?` repeated, atomic groups all slipped through the checks this module used to make). Patterns are
therefore matched with RE2 (the `google-re2` package): it runs in time linear in the text for every
pattern it accepts, it refuses what it cannot run that way (backreferences, lookaround, atomic and
possessive groups) when the configuration is loaded, and its answer does not depend on how fast the
machine is (as a timeout's would).

The syntax is Python's for ordinary patterns (`(?i)`, `(?P<name>...)`, classes, `{m,n}`, `\\A`, `\\Z`);
RE2's `\\w`, `\\d`, `\\s` and `\\b` are ASCII classes, where Python's are Unicode. The text matched is cut to
`MAX_SUBJECT` characters for machine authors and `MAX_SCHEMA_SUBJECT` for JSON Schema patterns, and a
pattern's compiled program is bounded (`MAX_PROGRAM`), which caps what even a pattern that defeats RE2's
DFA costs on one string.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from ccus_records.errors import CcusRecordsError

MAX_SUBJECT = 120
# JSON Schema `pattern` and `patternProperties` in custom rules match the first this many characters.
MAX_SCHEMA_SUBJECT = 10_000
# RE2 instructions in one compiled pattern: ordinary patterns take tens; `(?:a{1,10}){1,10}b` takes 204.
MAX_PROGRAM = 2_000
# Python's end of text `\Z` is RE2's `\z` (an escaped backslash before a Z is left alone).
_END_OF_TEXT = re.compile(r"(?<!\\)((?:\\\\)*)\\Z")
# Not a word character in Python's Unicode sense: neither a letter, a number nor `_` (case-sensitive: case
# folding a class of every letter makes RE2's compilation several times slower, for the same set).
_NON_WORD = r"(?-i:[^\pL\pN_])"


class UnsafePattern(CcusRecordsError, ValueError):
    """A pattern the linear-time engine refuses (or that compiles to too large a program)."""


class BoundedPattern:
    """A compiled pattern whose `search` takes time linear in the text (cut to `limit` characters)."""

    __slots__ = ("_regexp", "limit", "pattern")

    def __init__(self, pattern: str, regexp: Any, limit: int) -> None:
        self.pattern = pattern
        self._regexp = regexp
        self.limit = limit

    def search(self, text: str) -> bool:
        # surrogatepass: a lone surrogate from a record becomes bytes that match nothing, never an error.
        return self._regexp.search(text[: self.limit].encode("utf-8", "surrogatepass")) is not None


class _LazyPattern(BoundedPattern):
    """A pattern made of patterns already checked, compiled on first use (most hook runs never match one)."""

    __slots__ = ("_ignore_case",)

    def __init__(self, pattern: str, ignore_case: bool, limit: int) -> None:
        super().__init__(pattern, None, limit)
        self._ignore_case = ignore_case

    def search(self, text: str) -> bool:
        if self._regexp is None:
            self._regexp = compile_bounded(self.pattern, self._ignore_case, self.limit, python_syntax=False)._regexp
        return super().search(text)


def _options(ignore_case: bool) -> Any:
    import re2

    options = re2.Options()
    options.log_errors = False  # RE2 would print its refusals on stderr; they become configuration errors
    options.case_sensitive = not ignore_case
    options.max_mem = 8 << 20
    return options


@lru_cache(maxsize=256)
def compile_bounded(
    pattern: str, ignore_case: bool = False, limit: int = MAX_SUBJECT, python_syntax: bool = True
) -> BoundedPattern:  # python_syntax False: a pattern made here from patterns already checked one by one
    """The pattern compiled for linear-time matching; `UnsafePattern` when RE2 refuses it (or Python's
    `re.error` when it is no regular expression at all)."""
    import re2

    if python_syntax:
        re.compile(pattern)  # Python's own message for a pattern that is not even Python syntax
    translated = _END_OF_TEXT.sub(r"\1\\z", pattern)
    try:
        regexp = re2.compile(translated, _options(ignore_case))
    except re2.error as error:
        reason = error.args[0].decode("utf-8", "replace") if error.args and isinstance(error.args[0], bytes) else error
        raise UnsafePattern(
            f"the linear-time pattern engine cannot run it ({reason}); backreferences, lookahead and lookbehind, "
            "atomic and possessive groups and (?x) are not supported"
        ) from None
    if python_syntax and regexp.programsize > MAX_PROGRAM:
        raise UnsafePattern(f"it compiles to {regexp.programsize:,} instructions, above the limit of {MAX_PROGRAM:,}")
    return BoundedPattern(pattern, regexp, limit)


def check_pattern(pattern: str) -> None:
    """Raise UnsafePattern (or re.error) when `pattern` is invalid or cannot be matched in linear time."""
    compile_bounded(pattern)


def machine_author_pattern(patterns: Iterable[str]) -> BoundedPattern:
    """One pattern matching an author name in which any of `patterns` stands as a whole word (any case).

    Word boundaries are spelled with Unicode classes (RE2's `\\b` is ASCII-only): `Zoëbot` does not hold
    the word `bot`.
    """
    alternatives = "|".join(f"(?:{pattern})" for pattern in patterns) or r"[^\s\S]"
    wrapped = rf"(?:\A|{_NON_WORD})(?:{alternatives})(?:{_NON_WORD}|\z)"
    return _LazyPattern(wrapped, True, MAX_SUBJECT)
