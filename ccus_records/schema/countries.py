"""Country names to ISO 3166-1 codes, from pycountry's tables (never a table written by hand)."""

from __future__ import annotations

from functools import cache

from ccus_records.schema.vocabulary import EXTRA_JURISDICTIONS, EXTRA_PREFIXES


@cache
def _names() -> dict[str, str]:
    import pycountry

    index: dict[str, str] = {}
    for country in pycountry.countries:
        for attribute in ("name", "official_name", "common_name"):
            value = getattr(country, attribute, None)
            if value:
                index.setdefault(value.casefold(), country.alpha_2)
    return index


def country_code(name: str) -> str | None:
    """The ISO alpha-2 code for a country's name, official name or common name (any case), or None."""
    return _names().get(name.strip().casefold())


def is_known_jurisdiction(name: str) -> bool:
    return name.strip().casefold() in EXTRA_JURISDICTIONS or country_code(name) is not None


def id_prefixes(name: str) -> tuple[str, ...]:
    """The id prefixes a record about this jurisdiction may take (empty when the name is not known)."""
    key = name.strip().casefold()
    if key in EXTRA_JURISDICTIONS:
        return (EXTRA_JURISDICTIONS[key],)
    code = country_code(name)
    if code is None:
        return ()
    extra = EXTRA_PREFIXES.get(code)
    return (code.lower(), extra) if extra else (code.lower(),)
