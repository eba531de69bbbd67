"""The rule catalog: one module per rule family, one small class per code."""

from __future__ import annotations

from ccus_records.rules import audit, completeness, dates, formatting, identity, structure, vocabulary
from ccus_records.rules.base import CorpusRule, Rule

BUILTIN_RULES: tuple[type[Rule], ...] = (
    *structure.RULES,
    *identity.RULES,
    *completeness.RULES,
    *audit.RULES,
    *dates.RULES,
    *formatting.RULES,
    *vocabulary.RULES,
)

assert len({rule.code for rule in BUILTIN_RULES}) == len(BUILTIN_RULES), "rule codes must be unique"


def rule_by_code(rules: tuple[type[Rule], ...], code: str) -> type[Rule] | None:
    wanted = code.strip().upper()
    return next((rule for rule in rules if rule.code == wanted), None)


def no_rule_message(rules: tuple[type[Rule], ...], code: str) -> str:
    """Why `code` names no rule: a family's prefix (its rules listed), or the closest code or rule name."""
    from ccus_records.suggest import closest, phrase

    wanted = code.strip().upper()
    family = [rule.code for rule in rules if wanted and rule.code.startswith(wanted)]
    if family:
        return f"{code!r} is a prefix, not a rule: give one of {', '.join(family)}"
    labels = {rule.code: rule.code for rule in rules} | {rule.name: f"{rule.code} ({rule.name})" for rule in rules}
    close = [labels[name] for name in closest(code.strip(), labels)]
    return f"no rule {code!r} (see `ccus-records rules`){phrase(close)}"


__all__ = ["BUILTIN_RULES", "CorpusRule", "Rule", "no_rule_message", "rule_by_code"]
