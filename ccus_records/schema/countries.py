"""Country names to ISO 3166-1 codes, from pycountry's tables (never a table written by hand)."""

from __future__ import annotations

from functools import cache

from ccus_records.schema.vocabulary import EXTRA_JURISDICTIONS, EXTRA_PREFIXES


def _countries() -> list[dict[str, str]]:
    """pycountry's ISO 3166-1 table, as the entries of the JSON database it ships.

    Read from that file where pycountry keeps it: importing pycountry costs a hook run about 30 ms (most of it
    importlib.metadata, for pycountry's own version), a tenth of the run. Through pycountry's API otherwise.
    """
    import importlib.util
    import json
    from pathlib import Path

    spec = importlib.util.find_spec("pycountry")
    for folder in (spec.submodule_search_locations or []) if spec is not None else []:
        database = Path(folder) / "databases" / "iso3166-1.json"
        try:
            entries = json.loads(database.read_text(encoding="utf-8"))["3166-1"]
        except (OSError, ValueError, KeyError, TypeError):
            continue
        if isinstance(entries, list) and all(isinstance(entry, dict) and "alpha_2" in entry for entry in entries):
            return entries
    import pycountry

    return [
        {attribute: getattr(country, attribute) for attribute in (*_NAMES, "alpha_2") if hasattr(country, attribute)}
        for country in pycountry.countries
    ]


_NAMES = ("name", "official_name", "common_name")


@cache
def _names() -> dict[str, str]:
    index: dict[str, str] = {}
    for country in _countries():
        for attribute in _NAMES:
            value = country.get(attribute)
            if value:
                index.setdefault(value.casefold(), country["alpha_2"])
    return index


def country_code(name: str) -> str | None:
    """The ISO alpha-2 code for a country's name, official name or common name (any case), or None."""
    return _names().get(name.strip().casefold())


@cache
def _codes() -> dict[str, str]:
    """Every ISO alpha-2 and alpha-3 code (lower case), the prefixes taken besides them, and the prefixes of the
    jurisdictions that are no country, each to the key `jurisdiction_key` gives its jurisdiction."""
    index: dict[str, str] = {}
    for country in _countries():
        for attribute in ("alpha_2", "alpha_3"):
            value = country.get(attribute)
            if value:
                index[value.casefold()] = country["alpha_2"]
    index.update({extra: code for code, extra in EXTRA_PREFIXES.items()})
    index.update({prefix: name for name, prefix in EXTRA_JURISDICTIONS.items()})
    return index


def jurisdiction_key(value: str) -> str | None:
    """One key for every way a person writes a jurisdiction, or None for a value that names none: a country's
    ISO alpha-2 code for its name, official name or common name (as the linter accepts them) or its alpha-2
    or alpha-3 code, any case (`China`, `china`, `CN`, `CHN`, `People's Republic of China` give `CN`; `UK`
    gives `GB`); `european union` for European Union or `EU`, `international` for International or `INT`."""
    key = value.strip().casefold()
    if key in EXTRA_JURISDICTIONS:
        return key
    return _names().get(key) or _codes().get(key)


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


def country_names() -> tuple[str, ...]:
    """Every ISO 3166-1 country's short name, and the jurisdictions that are no country, sorted."""
    names = {country["name"] for country in _countries() if country.get("name")}
    names.update(name.title() for name in EXTRA_JURISDICTIONS)
    return tuple(sorted(names))
