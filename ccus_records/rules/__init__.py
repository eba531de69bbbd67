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


__all__ = ["BUILTIN_RULES", "CorpusRule", "Rule", "rule_by_code"]
