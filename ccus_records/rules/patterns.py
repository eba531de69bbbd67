"""Regular expressions from configuration, checked so that none can hang a lint run.

Python's `re` backtracks: `(a+)+$` takes exponential time on a long run of `a`s followed by another
character. A pattern is refused when a repetition contains another repetition or an alternation (the
shapes that blow up exponentially), when it has more than two unbounded repetitions (each multiplies the
work by the length of the text), or when it uses a backreference; the text matched is also bounded
(`MAX_SUBJECT`), which caps what the remaining polynomial cases can cost.
"""

from __future__ import annotations

import importlib
from typing import Any

from ccus_records.errors import CcusRecordsError

# The regular-expression parser is private; its home moved in Python 3.11 (sre_parse warns since then).
try:
    sre_parse: Any = importlib.import_module("re._parser")
    sre_constants: Any = importlib.import_module("re._constants")
except ImportError:  # pragma: no cover - Python 3.10
    sre_parse = importlib.import_module("sre_parse")
    sre_constants = importlib.import_module("sre_constants")

MAX_SUBJECT = 120
# More unbounded repetitions in a row multiply: `a*a*a*a*b` on 200 characters takes tens of seconds.
MAX_UNBOUNDED = 2
_REPEATS = {sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, getattr(sre_constants, "POSSESSIVE_REPEAT", None)}


class UnsafePattern(CcusRecordsError, ValueError):
    """A pattern whose matching time can explode."""


def _walk(items: Any, inside_repeat: bool, counted: list[int]) -> None:
    for op, argument in items:
        if op in _REPEATS:
            low, high, body = argument
            unbounded = high == sre_constants.MAXREPEAT or high > 10
            if unbounded:
                counted[0] += 1
                if counted[0] > MAX_UNBOUNDED:
                    raise UnsafePattern(
                        f"more than {MAX_UNBOUNDED} unbounded repetitions (`*`, `+`, `{{n,}}`) can take "
                        "polynomial time of a high degree"
                    )
            if inside_repeat and low != high:
                raise UnsafePattern("a repetition inside a repetition (such as `(a+)+`) can take exponential time")
            _walk(body, inside_repeat or unbounded, counted)
        elif op == sre_constants.BRANCH:
            if inside_repeat:
                raise UnsafePattern("an alternation inside a repetition (such as `(a|ab)*`) can take exponential time")
            for branch in argument[1]:
                _walk(branch, inside_repeat, counted)
        elif op == sre_constants.SUBPATTERN:
            _walk(argument[-1], inside_repeat, counted)
        elif op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
            _walk(argument[1], inside_repeat, counted)
        elif op in (sre_constants.GROUPREF, sre_constants.GROUPREF_EXISTS):
            raise UnsafePattern("backreferences are not allowed")


def check_pattern(pattern: str) -> None:
    """Raise UnsafePattern (or re.error) when `pattern` is invalid or could hang."""
    _walk(sre_parse.parse(pattern), False, [0])
