"""Each language's table of cases, read from tests/cases/<code>.toml.

A case file has four tables, all in the language's own words:

- [[dates]]: ``text`` holds one date expression (or several, with ``target``
  naming the one checked); ``published`` is the document's date if any;
  ``expect`` is the date key as the scorer reads it (``2024-09-30``,
  ``2024-11``, ``2024``, ``?``) and ``end`` the last day of a span.
- [[amounts]]: ``text`` with one money figure -> ``value`` and ``currency``.
- [[countries]]: ``text`` -> ``expect``, the alpha-3 codes in reading order.
- [[events]]: a short invented report -> ``expect``, its event keys
  ("visit VNM-MNG 2024-09-30"); ``published`` optional.

Adding a language is adding its data file and its case file.
"""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

import pytest

from relations import amounts, countries, dates, parse_text
from relations.dates import DateValue
from relations.lexicon import lexicon

CASES = Path(__file__).with_name("cases")


def _load(kind: str):
    out = []
    for path in sorted(CASES.glob("*.toml")):
        code = path.stem
        for i, case in enumerate(tomllib.loads(path.read_text(encoding="utf-8")).get(kind, [])):
            out.append(pytest.param(code, case, id=f"{code}-{i}-{case['text'][:40]}"))
    return out


def _published(value: str | None) -> DateValue | None:
    if not value:
        return None
    parts = [int(p) for p in value.split("-")]
    precision = {1: "year", 2: "month", 3: "day"}[len(parts)]
    return DateValue(date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1), None, precision)


def date_key(value: DateValue) -> str:
    start, _ = value.iso()
    if start is None:
        return "?"
    return start[: {"day": 10, "month": 7, "year": 4}[value.precision]]


@pytest.mark.parametrize(("code", "case"), _load("dates"))
def test_date(code, case):
    lex = lexicon(code)
    text = case["text"]
    mentions = dates.with_tense(text, dates.scan(text, lex), lex, [(0, len(text))])
    mentions = dates.resolve(mentions, _published(case.get("published")))
    target = case.get("target")
    if target:
        pos = text.index(target)
        mentions = [m for m in mentions if m.start <= pos < m.end or pos <= m.start < pos + len(target)]
    assert mentions, f"no date found in {text!r}"
    value = mentions[0].value
    assert date_key(value) == case["expect"], text
    if "end" in case:
        assert value.iso()[1] == (case["end"] or None), text


@pytest.mark.parametrize(("code", "case"), _load("amounts"))
def test_amount(code, case):
    found = amounts.find(case["text"], lexicon(code))
    assert [(a.value, a.currency) for a in found][:1] == [(pytest.approx(float(case["value"])), case["currency"])], case["text"]


@pytest.mark.parametrize(("code", "case"), _load("countries"))
def test_countries(code, case):
    found = list(dict.fromkeys(m.code for m in countries.find(case["text"], lexicon(code))))
    assert found == case["expect"], case["text"]


@pytest.mark.parametrize(("code", "case"), _load("events"))
def test_events(code, case):
    text = case["text"]
    if case.get("published"):
        text = f"date {case['published']}\n{text}"
    result = parse_text("case.txt", text, language=code)
    keys = set()
    for row in result.events:
        key = row["date_start"][: {"day": 10, "month": 7, "year": 4}[row["date_precision"]]] if row["date_start"] else "?"
        keys.add(f"{row['event_type']} {row['country_a']}-{row['country_b']} {key}")
    normalised = {_undirected(k) for k in keys}
    for expected in case["expect"]:
        assert _undirected(expected) in normalised, f"{expected!r} not in {sorted(keys)}"
    if case.get("exact", True):
        assert len(normalised) == len({_undirected(k) for k in case["expect"]}), f"extra events: {sorted(keys)}"


def _undirected(key: str) -> str:
    etype, pair, when = key.split(" ")
    return " ".join((etype, "-".join(sorted(pair.split("-"))), when))
