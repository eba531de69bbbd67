"""V: country, category and legal weight come from the known vocabularies."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from ccus_records.rules.base import RecordContext, Rule, Severity, Violation
from ccus_records.schema.countries import is_known_jurisdiction


class UnknownValue(Rule):
    """`country`, `category` or `legalWeight` is not in its vocabulary.

    What it checks
        `country` is an ISO 3166 country's name, official name or common name as pycountry has them
        (any case), or European Union, or International. `category` and `legalWeight` are in the
        configured `vocabulary` (by default — category: Regulatory, Fiscal, Legislative, Market,
        Strategic, Standard, Funding; legalWeight: Statute/Law, Regulation, Guideline/Policy,
        Strategy/Plan, Standard, Executive Order, International Agreement).

    Why an auditor cares
        Reports group by these values; "PRC", "china " and "China" split one jurisdiction into three rows,
        and a new category nobody agreed on hides records from every filter.

    Example
        `"country": "USA"`, `"category": "Tax"`.

    How to fix
        Use the vocabulary's spelling, or add the value to `vocabulary.category` / `vocabulary.legalWeight`
        in the configuration if the corpus really needs it.
    """

    code = "V001"
    name = "unknown-value"
    severity: ClassVar[Severity] = "warning"

    def check(self, context: RecordContext) -> Iterator[Violation]:
        country = context.data.get("country")
        if isinstance(country, str) and country.strip() and not is_known_jurisdiction(country):
            yield Violation(f"country {country!r} is not an ISO 3166 country name", "country")
        for dotted, allowed in (
            ("category", context.options.categories),
            ("legalWeight", context.options.legal_weights),
        ):
            value = context.data.get(dotted)
            if isinstance(value, str) and value.strip() and value not in allowed:
                yield Violation(f"{dotted} {value!r} is not in the vocabulary", dotted)


RULES: tuple[type[Rule], ...] = (UnknownValue,)
