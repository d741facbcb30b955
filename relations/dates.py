"""Date expressions: find them, read them, and place them in time.

A fast per-language scan finds *anchors* (month names, weekdays, relative words,
numeric dates, years after a preposition) and reads the few characters around
each (day numbers, span words, a year). Nothing here calls ``search_dates``:
it would invent the current year for "September 30" and miss "9-11 oktober".
dateparser is kept for what it is good at: its per-language CLDR data (month
and weekday names, relative words, date order) feeds the scanner (see
``lexicon``).

Placing a date without a year uses the document only, in this order: its
publication date; an explicit date in the text that contains it; the window
between the latest explicit past date and the earliest explicit future one.
Otherwise the date stays at a coarser precision or ``unknown``. Today's date
is never used.
"""

from __future__ import annotations

import bisect
import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache, lru_cache
from typing import NamedTuple

from .lexicon import Lexicon
from .matching import PhraseMatcher, fold_document
from .tense import is_future

YEAR = r"(?:1[89]\d\d|20\d\d|21\d\d)"
# one or two digits not following a digit, "." , "/" or "-". The look-behind comes
# after the first digit, not before it: a pattern that begins with a digit lets
# the regex engine skip the text to the next digit, a pattern that begins with
# a look-behind tries every position
_DAY_NUMBER = r"\d(?<![\d./-]\d)\d?"
_CONTEXT = 48  # characters read on each side of an anchor


class DateValue(NamedTuple):
    """A resolved date: its first and last day and how precise it is (a tuple: made for every mention)."""

    start: date | None
    end: date | None
    precision: str  # day | month | year | unknown

    @property
    def known(self) -> bool:
        return self.precision != "unknown"

    def iso(self) -> tuple[str | None, str | None]:
        if not self.known or self.start is None:
            return None, None
        end = self.end if self.end and self.end != self.start and self.precision == "day" else None
        if self.precision != "day" and self.end:
            # a month or year span ("between March and May") keeps its last day
            last = _last_day(self.end, self.precision)
            end = last if last != _last_day(self.start, self.precision) else None
        return self.start.isoformat(), end.isoformat() if end else None

    def contains(self, day: date) -> bool:
        if not self.known or self.start is None:
            return False
        return self.start <= day <= self.last

    @property
    def last(self) -> date:
        assert self.start is not None
        return _last_day(self.end or self.start, self.precision)


UNKNOWN = DateValue(None, None, "unknown")


def _last_day(d: date, precision: str) -> date:
    if precision == "year":
        return date(d.year, 12, 31)
    if precision == "month":
        return date(d.year, d.month, calendar.monthrange(d.year, d.month)[1])
    return d


def _safe_date(y: int | None, m: int | None, d: int | None) -> date | None:
    try:
        return date(y, m or 1, d or 1) if y else None
    except ValueError:
        return None


@dataclass(frozen=True)
class Mention:
    """One date expression in a text, before and after resolution."""

    start: int
    end: int
    kind: str  # absolute | weekday | relative | anaphoric
    year: int | None = None
    month: int | None = None
    day: int | None = None
    end_year: int | None = None
    end_month: int | None = None
    end_day: int | None = None
    weekday: int | None = None
    end_weekday: int | None = None
    unit: str = "day"  # relative and anaphoric: day | month | year
    offset: int = 0
    future: bool = False
    past: bool = False  # a word beside it says so ("last March", "dello scorso")
    value: DateValue = UNKNOWN

    @property
    def explicit(self) -> bool:
        """Carries its own year (not inferred)."""
        return self.kind == "absolute" and self.year is not None

    def replaced(self, **changes) -> Mention:
        """``dataclasses.replace``, minus its walk over the fields on every call: mentions are copied several times each."""
        copy = object.__new__(Mention)
        copy.__dict__.update(self.__dict__, **changes)
        return copy

    @property
    def precision(self) -> str:
        if self.day is not None:
            return "day"
        if self.month is not None:
            return "month"
        return "year"


# --------------------------------------------------------------------------- scanning


@dataclass(frozen=True)
class _Patterns:
    months: PhraseMatcher[int]
    weekdays: PhraseMatcher[int]
    relative: PhraseMatcher[tuple[str, int]]
    anaphoric: PhraseMatcher[int]
    left_span: re.Pattern
    left_day: re.Pattern
    right_days: re.Pattern
    right_year: re.Pattern
    left_year: re.Pattern
    join: re.Pattern
    year_prep: re.Pattern
    month_prep: re.Pattern
    numeric_marker: re.Pattern | None
    numeric_span: re.Pattern
    ambiguous_months: frozenset[str]
    published_markers: re.Pattern


def _alt(words: list[str]) -> str:
    words = sorted({w for w in words if w}, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words) or r"(?!x)x"


@cache
def _patterns(lex: Lexicon) -> _Patterns:
    d = lex.data.get("dates", {})
    ordinal = _alt(d.get("day_suffixes", []))
    suffix = r"(?:" + ordinal + r"|\.)?"
    fill = r"(?:(?:" + _alt(d.get("fillers", [])) + r")\s+)*"
    join = _alt(d.get("span_join", []))
    opener = _alt(d.get("span_open", []))
    day = r"(?<![\d.,/])([0-3]?\d)" + suffix
    weekday_phrases = [(name + sfx, i) for name, i in lex.weekdays.items() for sfx in ["", *d.get("weekday_suffixes", [])]]
    markers = d.get("numeric_day_markers", [])
    flags = re.IGNORECASE
    return _Patterns(
        months=PhraseMatcher(lex.months.items(), phrasebook=lex.phrasebook),
        weekdays=PhraseMatcher(weekday_phrases, phrasebook=lex.phrasebook),
        relative=PhraseMatcher(lex.relative.items(), phrasebook=lex.phrasebook),
        anaphoric=PhraseMatcher(lex.anaphoric.items(), phrasebook=lex.phrasebook),
        left_span=re.compile(rf"(?:\b(?:{opener})\s+)?{day}\s*(?:{join})\s*{day}\s*{fill}$", flags),
        left_day=re.compile(rf"{day}\s*{fill}$", flags),
        right_days=re.compile(
            rf"^\s*{fill}([0-3]?\d)(?:{ordinal})?(?!\d)(?:\s*(?:{join})\s*([0-3]?\d)(?:{ordinal})?(?![\d.,]\d))?",
            flags,
        ),
        right_year=re.compile(rf"^[\s,./]*{fill}({YEAR})(?![\d])(?!\s*[-–]\s*\d)", flags),
        left_year=re.compile(rf"(?<!\d)({YEAR})\s*[.,/-]?\s*$"),
        join=re.compile(rf"^\s*(?:{join})\s*$", flags),
        year_prep=re.compile(
            rf"(?:^|[\s(])(?:{_alt(d.get('year_prepositions', []))})\s+(?:(?:{_alt(d.get('year_prepositions', []))})\s+)?$", flags
        ),
        month_prep=re.compile(rf"(?:^|[\s(])(?:{_alt(d.get('month_prepositions', []))})\s+$", flags),
        numeric_marker=re.compile(rf"(?:{_alt(markers)})\s*$", flags) if markers else None,
        numeric_span=re.compile(
            rf"({_DAY_NUMBER})\s*(?:[-–]|\s(?:{join})\s+(?:(?:{_alt(markers)})\s*)?)\s*(\d{{1,2}})[/.](\d{{1,2}})"
            rf"(?:[/.]({YEAR}))?(?![\d])",
            flags,
        ),
        ambiguous_months=lex.ambiguous_months,
        published_markers=re.compile(r"(?:^|\W)(?:" + _alt([*d.get("published_markers", []), "date"]) + r")\W", flags),
    )


_NUMERIC = re.compile(rf"({_DAY_NUMBER})([./-])(\d{{1,2}})\2({YEAR})(?![\d])")
_NUMERIC_DM = re.compile(rf"({_DAY_NUMBER})/(\d{{1,2}})(?![\d]|/\d)")
# What follows a year in an ISO date, and what follows a lone year. The two never overlap (a year before "-"
# and a digit is no lone year), so one pass finds both, as two passes would: group 1 the year, groups 2 and 3
# an ISO date's month and day. The year written once in front keeps the engine's skip to a "1" or "2";
# an alternation of the two whole patterns would be tried at every position.
_ISO_TAIL = r"(?<![\d./-]\d\d\d\d)-(\d{1,2})-(\d{1,2})(?![\d])"
_LONE_YEAR_TAIL = r"(?<![\d.,/-]\d\d\d\d)(?![\d]|\s*[-–]\s*\d|/)"
_ISO_OR_YEAR = re.compile(rf"({YEAR})(?:{_ISO_TAIL}|{_LONE_YEAR_TAIL})")


def _day_month_order(lex: Lexicon) -> str:
    order = lex.date_order.upper()
    return "MDY" if order.startswith("M") else "DMY"


def numeric_readings(a: int, b: int, y: int, lex: Lexicon) -> list[date]:
    """The valid readings of a/b/y, the language's order first."""
    first = (b, a) if _day_month_order(lex) == "DMY" else (a, b)
    out = []
    for m, d in (first, first[::-1]):
        value = _safe_date(y, m, d) if d else None
        if value and value not in out:
            out.append(value)
    return out


def scan(text: str, lex: Lexicon) -> list[Mention]:
    """Every date expression in ``text`` in reading order, unresolved but for those with their own year."""
    p = _patterns(lex)
    folded = fold_document(text)
    found: list[Mention] = []
    starts: list[int] = []  # taken spans, sorted and disjoint
    ends: list[int] = []

    def free(s: int, e: int) -> bool:
        i = bisect.bisect_right(starts, s)
        return (i == 0 or ends[i - 1] <= s) and (i == len(starts) or starts[i] >= e)

    def add(m: Mention) -> None:
        found.append(m)
        i = bisect.bisect_right(starts, m.start)
        starts.insert(i, m.start)
        ends.insert(i, m.end)

    years = []  # taken last: any other reading of a number comes first
    for m in _ISO_OR_YEAR.finditer(folded):
        if m.group(2) is None:
            years.append(m)
            continue
        v = _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if v:
            add(Mention(m.start(), m.end(), "absolute", v.year, v.month, v.day))
    for m in _NUMERIC.finditer(folded):
        if not free(m.start(), m.end()):
            continue
        readings = numeric_readings(int(m.group(1)), int(m.group(3)), int(m.group(4)), lex)
        if readings:
            v = readings[0]
            add(Mention(m.start(), m.end(), "absolute", v.year, v.month, v.day))
    for m in p.numeric_span.finditer(folded):
        # "11-12/9/2024", "10 đến ngày 12/3": a bare day/month needs its marker word
        if not free(m.start(), m.end()) or (m.group(4) is None and not _marked(folded, m.start(), p)):
            continue
        d1, dd, mm_ = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if _day_month_order(lex) == "DMY" and 1 <= mm_ <= 12 and 1 <= d1 < dd <= 31:
            y = int(m.group(4)) if m.group(4) else None
            add(Mention(m.start(), m.end(), "absolute", y, mm_, d1, end_year=y, end_month=mm_, end_day=dd))
    if p.numeric_marker is not None and "/" in folded:  # most texts have no slash: a pass tried at every digit spared
        for m in _NUMERIC_DM.finditer(folded):
            if free(m.start(), m.end()) and _marked(folded, m.start(), p):
                a, b = int(m.group(1)), int(m.group(2))
                dd, mm = (a, b) if _day_month_order(lex) == "DMY" else (b, a)
                if 1 <= mm <= 12 and 1 <= dd <= 31:
                    add(Mention(m.start(), m.end(), "absolute", None, mm, dd))

    # the phrase matchers fold the text themselves: fold_document above kept it for them
    for mm in p.months.finditer(text):
        if not free(mm.start, mm.end):
            continue
        add_month(folded, mm, p, add, free, bool(lex.data.get("dates", {}).get("year_before_month")))

    for wm in p.weekdays.finditer(text):
        if free(wm.start, wm.end):
            add(Mention(wm.start, wm.end, "weekday", weekday=wm.value))
    # anaphoric phrases first: German "am Morgen" (in the morning) holds "morgen" (tomorrow)
    for am in p.anaphoric.finditer(text):
        if free(am.start, am.end):
            add(Mention(am.start, am.end, "anaphoric", offset=am.value))
    for rm in p.relative.finditer(text):
        if free(rm.start, rm.end):
            unit, offset = rm.value
            add(Mention(rm.start, rm.end, "relative", unit=unit, offset=offset))
    for ym in years:
        if free(ym.start(), ym.end()) and p.year_prep.search(folded[max(0, ym.start() - 30) : ym.start()]):
            add(Mention(ym.start(), ym.end(), "absolute", int(ym.group(1))))

    found.sort(key=lambda m: m.start)
    # resolved here, once: the publication date and ``resolve`` both read them
    return _with_own_years(_join_spans(folded, found, p))


def _marked(text: str, start: int, p: _Patterns) -> bool:
    return p.numeric_marker is not None and p.numeric_marker.search(text[max(0, start - 12) : start]) is not None


def add_month(text: str, mm, p: _Patterns, add, free, year_first: bool) -> None:
    """Read the day(s) and year around a month name."""
    month = mm.value
    start, end = mm.start, mm.end
    day = end_day = year = None
    left = text[max(0, start - _CONTEXT) : start]
    line_break = left.rfind("\n")
    if line_break >= 0:
        left = left[line_break + 1 :]
    span = p.left_span.search(left)
    single = p.left_day.search(left) if not span else None
    if span:
        day, end_day = int(span.group(1)), int(span.group(2))
        start -= len(left) - span.start()
    elif single:
        day = int(single.group(1))
        start -= len(left) - single.start()
    if year_first:
        ly = p.left_year.search(text[max(0, start - 12) : start])
        if ly:
            year = int(ly.group(1))
            start -= len(ly.group(0))
    right = text[end : end + _CONTEXT]
    if day is None:
        r = p.right_days.match(right)
        if r and not p.right_year.match(right):
            day = int(r.group(1))
            end_day = int(r.group(2)) if r.group(2) else None
            end += r.end()
            right = text[end : end + _CONTEXT]
    ry = p.right_year.match(right) if year is None else None
    if ry:
        year = int(ry.group(1))
        end += ry.end()
    if day is not None and not 1 <= day <= 31:
        return
    if end_day is not None and (not 1 <= end_day <= 31 or end_day < (day or 0)):
        end_day = None
    if (
        day is None
        and year is None
        and (mm.text.lower() in p.ambiguous_months or not p.month_prep.search(text[max(0, start - 20) : start]))
    ):
        return  # a bare month name ("May", "mars", Swedish "jul") is too often a word
    if not free(start, end):
        return
    add(
        Mention(
            start,
            end,
            "absolute",
            year,
            month,
            day,
            end_year=year if end_day else None,
            end_month=month if end_day else None,
            end_day=end_day,
        )
    )


def _join_spans(text: str, mentions: list[Mention], p: _Patterns) -> list[Mention]:
    """'from September 30 to October 1', 'Monday and Tuesday': two mentions, one span."""
    out: list[Mention] = []
    i = 0
    while i < len(mentions):
        m = mentions[i]
        if i + 1 < len(mentions):
            n = mentions[i + 1]
            if m.kind == n.kind and m.kind in ("absolute", "weekday") and p.join.match(text[m.end : n.start]) and m.end_day is None:
                joined = _join(m, n)
                if joined:
                    out.append(joined)
                    i += 2
                    continue
        out.append(m)
        i += 1
    return out


def _join(a: Mention, b: Mention) -> Mention | None:
    if a.kind == "weekday":
        return a.replaced(end=b.end, end_weekday=b.weekday)
    if a.month is None or b.month is None or (a.day is None) != (b.day is None):
        return None
    year = a.year
    end_year = b.year or a.year
    if year is None and end_year is not None:
        year = end_year - 1 if (a.month, a.day or 1) > (b.month, b.day or 1) else end_year
    return a.replaced(end=b.end, year=year, end_year=end_year, end_month=b.month, end_day=b.day if b.day else None)


# --------------------------------------------------------------------------- resolving


@dataclass(frozen=True)
class Published:
    value: DateValue
    start: int
    end: int


def _value_of(m: Mention, year: int | None) -> DateValue:
    if year is None:
        return UNKNOWN
    start = _safe_date(year, m.month, m.day)
    if start is None:
        return UNKNOWN
    end = None
    if m.end_month is not None:
        end_year = (
            m.end_year
            if m.end_year is not None and m.year is not None
            else year + (1 if (m.end_month, m.end_day or 1) < (m.month, m.day or 1) else 0)
        )
        end = _safe_date(end_year, m.end_month, m.end_day)
        if end is None or end < start:
            end = None
    return DateValue(start, end, m.precision)


def _candidates(m: Mention, years: range) -> list[tuple[int, DateValue]]:
    out = []
    for y in years:
        v = _value_of(m, y)
        if v.known:
            out.append((y, v))
    return out


def _distance(v: DateValue, lo: date, hi: date) -> int:
    assert v.start is not None
    if v.last < lo:
        return (lo - v.last).days
    if v.start > hi:
        return (v.start - hi).days
    return 0


def _year_from_published(m: Mention, pub: DateValue) -> DateValue:
    assert pub.start is not None
    lo, hi = pub.start, pub.last
    best: tuple[int, DateValue] | None = None
    for _, v in _candidates(m, range(pub.start.year - 1, pub.start.year + 2)):
        dist = _distance(v, lo, hi)
        assert v.start is not None
        if m.future and v.last < lo - timedelta(days=2):
            dist += 400  # a planned event lies ahead of the report
        if not m.future and v.start > hi + timedelta(days=2):
            dist += 120  # reported without a future marker: most likely past
        if best is None or dist < best[0]:
            best = (dist, v)
    return best[1] if best else UNKNOWN


def _year_from_text(m: Mention, explicit: list[Mention]) -> DateValue:
    if not explicit:
        return UNKNOWN
    years = range(min(e.value.start.year for e in explicit) - 1, max(e.value.last.year for e in explicit) + 2)  # type: ignore[union-attr]
    cands = _candidates(m, years)
    # an explicit day-precise date that contains this one gives its year
    for e in explicit:
        if e.value.precision == "day":
            inside = [v for _, v in cands if v.start and e.value.contains(v.start)]
            if len(inside) == 1:
                return inside[0]
    past = [e for e in explicit if not e.future]
    future = [e for e in explicit if e.future]
    lo_e = max(past, key=lambda e: e.value.last, default=None)
    hi_e = min(future, key=lambda e: e.value.start, default=None)  # type: ignore[arg-type,return-value]
    lo = lo_e.value.last if lo_e else None
    hi = hi_e.value.start if hi_e else None
    if lo and hi and lo <= hi:
        inside = [v for _, v in cands if v.start and lo <= v.start <= hi]
        return inside[0] if len(inside) == 1 else UNKNOWN
    # one side only: trusted when it is at least as precise as a month
    if lo and lo_e and lo_e.value.precision != "year":
        after = [v for _, v in cands if v.start and v.start >= lo]
        return min(after, key=lambda v: v.start) if after else UNKNOWN  # type: ignore[arg-type,return-value]
    if hi and hi_e and hi_e.value.precision != "year":
        before = [v for _, v in cands if v.start and v.start <= hi]
        return max(before, key=lambda v: v.start) if before else UNKNOWN  # type: ignore[arg-type,return-value]
    return UNKNOWN


def _weekday_value(m: Mention, pub: DateValue) -> DateValue:
    if pub.precision != "day" or pub.start is None or m.weekday is None:
        return UNKNOWN
    ref = pub.start
    delta = (m.weekday - ref.weekday()) % 7
    first = ref + timedelta(days=delta) if m.future else ref - timedelta(days=(ref.weekday() - m.weekday) % 7)
    end = None
    if m.end_weekday is not None:
        end = first + timedelta(days=(m.end_weekday - m.weekday) % 7)
    return DateValue(first, end, "day")


def _relative_value(m: Mention, pub: DateValue) -> DateValue:
    if not pub.known or pub.start is None:
        return UNKNOWN
    ref = pub.start
    if m.unit == "day":
        if pub.precision == "day":
            return DateValue(ref + timedelta(days=m.offset), None, "day")
        # "yesterday" in a report dated only by month: that month, no finer
        return DateValue(pub.start, None, pub.precision) if abs(m.offset) <= 1 else UNKNOWN
    if m.unit == "month" and pub.precision in ("day", "month"):
        index = ref.year * 12 + ref.month - 1 + m.offset
        return DateValue(date(index // 12, index % 12 + 1, 1), None, "month")
    if m.unit == "year":
        return DateValue(date(ref.year + m.offset, 1, 1), None, "year")
    return UNKNOWN


_QUOTES_OPEN, _QUOTES_CLOSE = "“«„", "”»"
_QUOTE_REACH = 1500


def in_quotation(text: str, pos: int) -> bool:
    """Is ``pos`` inside direct speech on its line? ("signed earlier today", he said)"""
    # direct speech does not run over paragraphs, nor over pages of one line
    line = text[max(text.rfind("\n", 0, pos) + 1, pos - _QUOTE_REACH) : pos]
    depth = sum(line.count(c) for c in _QUOTES_OPEN) - sum(line.count(c) for c in _QUOTES_CLOSE)
    return depth > 0 or line.count('"') % 2 == 1


_DATELINE_BEFORE = re.compile(r"^\s*[^\W\d_][^\n,;:.]{0,40},\s*$")
_DATELINE_REACH = 48
_DATELINE_AFTER = re.compile(r"\s*(?:\(|[-–—]{1,2}\s)")


def is_dateline(text: str, m: Mention) -> bool:
    """'KUNMING, May 14 (Xinhua) --': the report's date, not an event's."""
    reach = max(0, m.start - _DATELINE_REACH)
    line_start = text.rfind("\n", reach, m.start) + 1
    if line_start == 0 and reach > 0:
        return False  # too far into a line to be its dateline
    return bool(_DATELINE_BEFORE.match(text[line_start : m.start])) and bool(_DATELINE_AFTER.match(text, m.end))


def resolve(mentions: list[Mention], published: DateValue | None, text: str = "") -> list[Mention]:
    """Give every mention its DateValue, using only the document itself (those with their own year have it from ``scan``).

    "today" in a quotation is the speaker's day, which the text does not give.
    """
    pub = published if published and published.known else None
    out = list(mentions)
    explicit = _known_explicit(out)
    previous: DateValue | None = None
    for i, m in enumerate(out):
        if m.kind == "absolute" and not m.explicit:
            value = _year_from_published(m, pub) if pub else _year_from_text(m, explicit)
            m = m.replaced(value=value)
        elif m.kind == "weekday":
            m = m.replaced(value=_weekday_value(m, pub) if pub else UNKNOWN)
        elif m.kind == "relative":
            quoted = bool(text) and in_quotation(text, m.start)
            m = m.replaced(value=_relative_value(m, pub) if pub and not quoted else UNKNOWN)
        elif m.kind == "anaphoric" and previous and previous.precision == "day" and previous.start:
            m = m.replaced(value=DateValue(previous.start + timedelta(days=m.offset), None, "day"))
        out[i] = m
        if m.value.known:
            previous = m.value
    return out


def _with_own_years(mentions: list[Mention]) -> list[Mention]:
    """The mentions, those that carry their own year resolved."""
    return [m.replaced(value=_value_of(m, m.year)) if m.explicit else m for m in mentions]


def _known_explicit(mentions: list[Mention]) -> list[Mention]:
    """The resolved mentions with their own year and a known value."""
    return [m for m in mentions if m.explicit and m.value.known]


def with_tense(text: str, mentions: list[Mention], lex: Lexicon, bounds: list[tuple[int, int]]) -> list[Mention]:
    """Mark the mentions whose clause is in the future (bounds: sentence spans)."""
    starts = [a for a, _ in bounds]
    out = []
    for m in mentions:
        i = bisect.bisect_right(starts, m.start) - 1
        lo, hi = bounds[i] if i >= 0 and m.start < bounds[i][1] else (0, len(text))
        near = (text, max(lo, m.start - _TENSE_WORD_REACH), min(hi, m.end + _TENSE_WORD_REACH))
        past = lex.past_words.search(*near) is not None  # "dello scorso 18 marzo", "last March"
        if past:
            future = False
        elif lex.future_words.search(*near):  # "le 5 mars prochain"
            future = True
        else:
            future = is_future(text, m.start, m.end, lex, lo, hi)
        out.append(m.replaced(future=future, past=past))
    return out


_TENSE_WORD_REACH = 16


# --------------------------------------------------------------------------- publication date

_TIME = re.compile(r"\b\d{1,2}[:h]\d{2}(?::\d{2})?\s*(?:[AaPp]\.?[Mm]\.?)?|\b\d{1,2}h\d{0,2}\b")
_YEAR_MONTH = re.compile(rf"(?<![\d-])({YEAR})-(\d{{1,2}})(?![\d-])")
_YEAR = re.compile(YEAR)
_DIGIT = re.compile(r"\d")
_HEADER_LINES = 8
_FOOTER_LINES = 3
_MAX_OTHER_WORDS = 5


def published_date(text: str, lex: Lexicon, mentions: list[Mention] | None = None) -> Published | None:
    """The document's own date: a dateline or a line that is mostly a date.

    ``mentions`` is the document's scan, when the caller already has it.
    """
    mentions = scan(text, lex) if mentions is None else mentions
    explicit = _known_explicit(mentions)
    markers = _patterns(lex).published_markers
    lines = []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            lines.append((pos, line))
        pos += len(line) + 1
    header = lines[:_HEADER_LINES]
    footer = lines[-_FOOTER_LINES:] if len(lines) > _HEADER_LINES else []
    days = [m.value.start for m in explicit if m.day and m.value.start]
    latest_event = max(days) if days else None
    for offset, line in header + footer:
        window = line[:160]
        if not _DIGIT.search(window):
            continue  # every date a line can give is written with digits
        inside = [m for m in explicit if offset <= m.start and m.end <= offset + len(window)]
        found = _line_date(window, lex, latest_event, inside, offset)
        if not found:
            continue
        value, s, e = found
        other = _TIME.sub(" ", window[:s] + " " + window[e:])
        words = re.findall(r"[^\W\d_]{2,}", other)
        marked = markers.search(window[: s + 1]) is not None
        if marked or (len(words) <= _MAX_OTHER_WORDS and len(window.strip()) < 80):
            return Published(value, offset + s, offset + e)
    return _dateline_date(text, header, mentions, explicit)


def _dateline_date(text: str, header: list[tuple[int, str]], mentions: list[Mention], explicit: list[Mention]) -> Published | None:
    """'Hanoi, 17 December (VNA) –': the year, if missing, from the text's own dates (``explicit``)."""
    if not header:
        return None
    limit = header[min(2, len(header) - 1)][0] + len(header[min(2, len(header) - 1)][1])
    for m in mentions:
        if m.start < limit and m.kind == "absolute" and m.day is not None and is_dateline(text, m):
            value = m.value if m.explicit else _year_from_text(m, explicit)
            if value.known:
                return Published(DateValue(value.start, None, "day"), m.start, m.end)
    return None


def _line_date(line: str, lex: Lexicon, latest: date | None, explicit: list[Mention], offset: int) -> tuple[DateValue, int, int] | None:
    """The date of a line at ``offset`` in the text; ``explicit``: the known mentions with their own year inside it."""
    for m in _NUMERIC.finditer(line):
        readings = numeric_readings(int(m.group(1)), int(m.group(3)), int(m.group(4)), lex)
        # where the text gives dated events, the publication cannot precede them
        plausible = [r for r in readings if latest is None or r >= latest] or readings
        if plausible:
            return DateValue(plausible[0], None, "day"), m.start(), m.end()
    for m in explicit:
        if m.value.precision in ("day", "month"):
            return DateValue(m.value.start, None, m.value.precision), m.start - offset, m.end - offset
    m = _YEAR_MONTH.search(line)
    if m and 1 <= int(m.group(2)) <= 12:
        return DateValue(date(int(m.group(1)), int(m.group(2)), 1), None, "month"), m.start(), m.end()
    year = _YEAR.search(line)
    if year and len(line.strip()) <= _LONG_TAIL_LINE:
        parsed = _long_tail(line.strip(), lex.code)
        if parsed:
            return DateValue(parsed, None, "day"), year.start(), year.end()
    return None


_LONG_TAIL_LINE = 60


@lru_cache(maxsize=4096)  # bounded: every archive brings new lines; the common ones (an agency's footer) recur
def _long_tail(line: str, code: str) -> date | None:
    """dateparser for a short dated line the scanner could not read.

    Every part is required, so dateparser cannot fill one in from today.
    """
    import dateparser

    settings = {"REQUIRE_PARTS": ["day", "month", "year"], "PREFER_DAY_OF_MONTH": "first", "RETURN_AS_TIMEZONE_AWARE": False}
    try:
        parsed = dateparser.parse(line, languages=[code], settings=settings)
    except (ValueError, OverflowError, TypeError):
        return None
    return parsed.date() if parsed else None
