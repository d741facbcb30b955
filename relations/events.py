"""From one document's sentences to its dated bilateral events.

Each sentence is read on its own first: its triggers (per-language words for
visit, meeting, signing, aid), its country mentions, its dates and its money.
Then the document as a whole settles what a sentence alone cannot:

- the pair, when a sentence names one side only ("Laos' foreign minister"),
  is completed with the country the document is otherwise about;
- an event without a date of its own takes the date of the event the text ties
  it to ("during the visit", "at the end of the talks", or a meeting told right
  after a dated visit); otherwise it is the same event as a dated one of the
  same type and pair, or it stays undated;
- one row per trip: mentions of the same visit become one row.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property, partial

from . import amounts as amounts_mod
from . import countries as countries_mod
from . import dates as dates_mod
from .amounts import Amount
from .countries import CountryMention
from .dates import UNKNOWN, DateValue, Mention
from .lexicon import Lexicon
from .schema import DIRECTED_TYPES
from .sentences import Sentence
from .tense import is_future, is_negated

# how far (characters) a year alone may stand from its trigger and still date it
_YEAR_REACH = 60
# a meeting or signing told this many sentences after a dated visit belongs to it
_NARRATIVE_REACH = 2
# how far after a visit or aid word its destination may stand
_DESTINATION_REACH = 80
# a sentence naming more countries than this is about a multilateral event
_MAX_COUNTRIES = 4
_WORD = re.compile(r"[\w']+")


@dataclass
class Event:
    type: str
    a: str
    b: str
    value: DateValue
    status: str
    sentence: Sentence
    sentence_index: int
    amount: float | None = None
    currency: str | None = None
    count: int | None = None
    location: str | None = None
    own_date: bool = True  # False: the date came from another event
    linked: bool = False  # the sentence ties itself to another event

    @cached_property  # asked again and again when events are linked and written, and a, b never change
    def pair(self) -> str:
        return "-".join(sorted((self.a, self.b)))


@dataclass
class Document:
    """What the event builder needs to know about one document."""

    text: str
    lex: Lexicon
    sentences: list[Sentence]
    dates: list[Mention]
    countries: list[CountryMention]
    published: DateValue | None
    triggers: list = field(default_factory=list)  # Match[str], document offsets
    salience: Counter = field(default_factory=Counter)
    _groups: dict = field(default_factory=dict, repr=False)

    @cached_property
    def amounts(self) -> list[Amount]:
        # money matters to aid words alone, which many documents lack: read on first need
        return amounts_mod.find(self.text, self.lex)

    def within(self, items: list, index: int) -> list:
        """The items (sorted by start) that lie inside the sentence at ``index``."""
        return self.by_sentence(items).get(index, [])

    def by_sentence(self, items: list) -> dict[int, list]:
        """The items (sorted by start) that lie inside a sentence, by the sentence's index, in text order.

        Grouped once: a document asks about each of its lists in every sentence holding a trigger.
        """
        groups = self._groups.get(id(items))
        if groups is None:
            groups = self._groups[id(items)] = _by_sentence(items, self.sentences)
        return groups

    @cached_property
    def _ranked(self) -> list[tuple[str, float]]:
        # asked for every event, and the salience is settled once the document is read
        return self.salience.most_common()

    def partner_of(self, code: str) -> str | None:
        for other, score in self._ranked:
            if other != code and score >= 1:
                return other
        return None

    @cached_property
    def main_pair(self) -> tuple[str, str] | None:
        top = [c for c, score in self._ranked[:3] if score >= 1]
        if len(top) >= 2 and (len(top) == 2 or self.salience[top[1]] > self.salience[top[2]]):
            return top[0], top[1]
        return None


def read(text: str, lex: Lexicon, sentences: list[Sentence], published: dates_mod.Published | None, mentions: list[Mention]) -> Document:
    """Gather the document-wide facts: dates resolved, countries, money.

    The publication date and datelines date the report, not its events.
    """
    bounds = [(s.start, s.end) for s in sentences]
    mentions = dates_mod.with_tense(text, mentions, lex, bounds)
    mentions = dates_mod.resolve(mentions, published.value if published else None, text)
    mentions = [
        m
        for m in mentions
        if not (published and m.start < published.end and published.start < m.end) and not dates_mod.is_dateline(text, m)
    ]
    found = countries_mod.find(text, lex)
    # a weekday or month inside a place name ("Santo Domingo") is no date
    ends = [c.end for c in found]
    mentions = [m for m in mentions if not _overlaps(m, found, ends)]
    title_end = sentences[0].end if sentences else 0
    doc = Document(text, lex, sentences, mentions, found, published.value if published else None)
    doc.salience = countries_mod.salience(found, title_end)
    doc.triggers = lex.triggers.findall(text)
    return doc


def _by_sentence(items: list, sentences: list[Sentence]) -> dict[int, list]:
    starts = [s.start for s in sentences]
    out: dict[int, list] = {}
    for x in items:
        # the sentences do not overlap: only the last one starting before an item may hold it
        index = bisect.bisect_right(starts, x.start) - 1
        if index >= 0 and x.end <= sentences[index].end:
            out.setdefault(index, []).append(x)
    return out


def _overlaps(m: Mention, spans: list[CountryMention], ends: list[int]) -> bool:
    # the spans are in order and apart: of those ending after m starts, the first starts first
    i = bisect.bisect_right(ends, m.start)
    return i < len(spans) and spans[i].start < m.end


def extract_events(doc: Document) -> list[Event]:
    """All events of a document, dated and deduplicated."""
    events: list[Event] = []
    # most sentences hold no trigger: looking them up from the few triggers beats asking every sentence
    for index, triggers in doc.by_sentence(doc.triggers).items():
        events.extend(_sentence_events(doc, doc.sentences[index], index, triggers))
    events = _link_undated(doc, events)
    return _one_row_per_event(events)


# --------------------------------------------------------------------------- one sentence


def _sentence_events(doc: Document, s: Sentence, index: int, mine: list) -> list[Event]:
    found = doc.within(doc.countries, index)
    # whether a sentence has a pair does not depend on its triggers: without one, nothing else need be read
    sides = _sides(doc, found)
    if not sides:
        return []
    lex, text = doc.lex, doc.text
    links = [(m.start, m.end) for m in lex.link.finditer(text, s.start, s.end)]
    # "at the end of the talks": the talks are the anchor, not a new event; the cheap test first
    triggers = [
        t for t in mine if not any(a <= t.start and t.end <= b for a, b in links) and not is_negated(text, t.start, t.end, lex, s.start)
    ]
    if not triggers:
        return []
    by_type: dict[str, list] = {}
    for t in triggers:
        by_type.setdefault(t.value, []).append(t)
    mentions = doc.within(doc.dates, index)
    # money matters to aid words alone: the trade test reads the words around each figure
    money = [a for a in doc.within(doc.amounts, index) if not _is_trade(text, s, a, lex)] if "aid" in by_type else []
    linked = bool(links)
    # an aid word without money makes no event, so it must not take the date
    owners = [t for t in triggers if t.value != "aid" or money]
    place = next((c.text for c in found if c.kind == "place"), None)
    out: list[Event] = []
    for etype, trigs in by_type.items():
        if etype == "aid" and not money:
            continue  # aid is counted with its amount
        positions = [t.start for t in trigs]
        pairs = _pairs(doc, etype, s, found, positions, sides)
        future = any(is_future(text, t.start, t.end, lex, s.start, s.end) for t in trigs)
        candidates = [m for m in _owned(mentions, trigs, owners) if _may_date(doc, m, positions, future)]
        value, own = _date_for(etype, positions, candidates)
        future = future or any(m.future and m.value == value for m in mentions if value.known)
        if doc.published and doc.published.known and value.known and value.start and value.start > doc.published.last:
            future = True
        status = "planned" if future else "occurred"
        count = _count(text, s, lex) if etype == "signing" else None
        for a, b in pairs:
            event = partial(Event, etype, a, b, value, status, s, index, location=place, own_date=own, linked=linked)
            if etype == "aid":
                out.extend(event(amount=m.value, currency=m.currency) for m in money)
            else:
                out.append(event(count=count))
    return out


def _is_trade(text: str, s: Sentence, a: Amount, lex: Lexicon) -> bool:
    return lex.not_aid.search(text, max(s.start, a.start - 50), min(s.end, a.end + 30)) is not None


def _owned(mentions: list[Mention], mine: list, triggers: list) -> list[Mention]:
    """The dates of a sentence that belong to these triggers: each date to its
    nearest trigger; dates before the first trigger ("On May 21, …") to all."""
    if not triggers:
        return mentions
    first = min(t.start for t in triggers)

    def gap(m: Mention, t) -> int:
        return max(t.start - m.end, m.start - t.end, 0)

    out = []
    for m in mentions:
        owner = min(triggers, key=lambda t: (gap(m, t), t.start))
        if m.end <= first or owner in mine or any(t.value == owner.value and gap(m, t) == gap(m, owner) for t in mine):
            out.append(m)
    return out


def _may_date(doc: Document, m: Mention, positions: list[int], future: bool) -> bool:
    """A date that cannot be the event's: a past one for a planned event
    ("will visit the museum hit by the attack of last 18 March"), or one
    introduced by "since" after the trigger ("the first state visit since May")."""
    if future and m.past:
        return False
    before = [p for p in positions if p < m.start]
    return not (before and doc.lex.since.search(doc.text, max(before), m.start))


def _date_for(etype: str, positions: list[int], mentions: list[Mention]) -> tuple[DateValue, bool]:
    """The sentence's date for a trigger: the nearest, a span first for a visit."""
    if not mentions:
        return UNKNOWN, False

    def distance(m: Mention) -> int:
        return min(min(abs(m.start - p), abs(m.end - p)) for p in positions)

    usable = [
        m
        for m in mentions
        if m.precision != "year" or m.kind != "absolute" or m.day is not None or m.month is not None or distance(m) <= _YEAR_REACH
    ]
    if not usable:
        return UNKNOWN, False
    if etype == "visit":
        spans = [m for m in usable if m.value.known and m.value.end]
        if spans:
            usable = spans
    best = min(usable, key=lambda m: (not m.value.known, distance(m)))
    return best.value, best.value.known


def _count(text: str, s: Sentence, lex: Lexicon) -> int | None:
    """'7 cooperation documents', 'once acuerdos' -> the number of documents."""
    for doc_noun in lex.documents.finditer(text, s.start, s.end):
        before = [w.strip(",;:()").lower() for w in text[max(s.start, doc_noun.start - 40) : doc_noun.start].split()[-4:]]
        for end in range(len(before), 0, -1):
            if before[end - 1].isdigit() and 0 < int(before[end - 1]) < 1000:
                return int(before[end - 1])
            for size in (3, 2, 1):  # "mười hai", "on iki": the longest number phrase
                phrase = " ".join(before[max(0, end - size) : end])
                if phrase in lex.number_words:
                    return lex.number_words[phrase]
    return None


def _sides(doc: Document, found: list[CountryMention]) -> list[str]:
    """The countries a sentence's events are between, none when it has no pair; more than two when it names
    more, its events then go from the most salient to each other one."""
    codes = list(dict.fromkeys(c.code for c in found))
    if not codes:
        return list(doc.main_pair or [])
    if len(codes) == 1:
        main = doc.main_pair
        if main and codes[0] not in main:
            return []  # a country the report only mentions ("developments in Myanmar")
        partner = doc.partner_of(codes[0])
        return [codes[0], partner] if partner else []
    if len(codes) > 2:
        main = doc.main_pair
        if main and set(main) <= set(codes):
            return list(main)  # the report's own pair; the others are context
        codes = [c for c in codes if doc.salience[c] >= 2] or codes
    return codes if 1 < len(codes) <= _MAX_COUNTRIES else []


def _pairs(
    doc: Document, etype: str, s: Sentence, found: list[CountryMention], positions: list[int], sides: list[str]
) -> list[tuple[str, str]]:
    """The country pairs of an event between ``sides``, in direction order where the type has one."""
    if len(sides) == 2:
        return [_direct(doc, etype, s, found, positions, sides[0], sides[1])]
    anchor = max(sides, key=lambda c: doc.salience[c])
    return [_direct(doc, etype, s, found, positions, anchor, c) for c in sides if c != anchor]


def _direct(doc: Document, etype: str, s: Sentence, found: list[CountryMention], positions: list[int], x: str, y: str) -> tuple[str, str]:
    """Order a pair: visitor -> host, donor -> recipient; otherwise alphabetical."""
    if etype not in DIRECTED_TYPES:
        return (x, y) if x < y else (y, x)
    destinations = [c for c in found if c.kind != "adjective" and c.code in (x, y) and _after_destination(doc, s, c)]
    # the destination of this trigger: the first one after it ("visit to Mongolia")
    following = [c for c in destinations if any(0 <= c.start - p <= _DESTINATION_REACH for p in positions)]
    if following:
        host = following[0].code
        return (y, x) if host == x else (x, y)
    targets = {c.code for c in destinations}
    if (y in targets) != (x in targets):
        return (x, y) if y in targets else (y, x)
    adjectives = {c.code for c in found if c.kind == "adjective"}
    if etype == "visit" and (x in adjectives) != (y in adjectives):
        return (x, y) if x in adjectives else (y, x)  # "the Vietnamese delegation"
    places = {c.code for c in found if c.kind == "place"}
    if etype == "visit" and (x in places) != (y in places):
        return (y, x) if x in places else (x, y)  # the visit is where it takes place
    return x, y


def _after_destination(doc: Document, s: Sentence, c: CountryMention) -> bool:
    before = doc.text[max(s.start, c.start - 25) : c.start]
    words = _WORD.findall(before.lower())[-3:]
    return any(w in doc.lex.destination for w in words)


# --------------------------------------------------------------------------- the document


def _link_undated(doc: Document, events: list[Event]) -> list[Event]:
    """Date what the text ties to a dated event; fold the rest into their dated twin."""
    # the events that may lend their date, by pair: every undated event looks among its pair's alone
    lenders: dict[str, list[Event]] = {}
    for d in events:
        if d.value.known and d.type in ("visit", "meeting") and d.own_date and d.status == "occurred":
            lenders.setdefault(d.pair, []).append(d)
    for e in events:
        anchor = None if e.value.known else _anchor(e, lenders.get(e.pair, []), doc)
        if anchor is not None:
            # in place: the events are this document's own, and a lender is dated already, so never changed here
            e.value, e.own_date = anchor.value, False
            e.status = e.status if e.status == "planned" else anchor.status
    known = {(e.type, e.pair) for e in events if e.value.known}
    # what is still undated is the same event as a dated one, told again
    return [e for e in events if e.value.known or (e.type, e.pair) not in known]


def _anchor(e: Event, same_pair: list[Event], doc: Document) -> Event | None:
    """The dated event of the same pair (``same_pair``, in text order) an undated one takes its date from."""
    if not same_pair:
        return None
    if e.linked:
        before = [d for d in same_pair if d.sentence_index <= e.sentence_index]
        pool = before or same_pair
        visits = [d for d in pool if d.type == "visit"]
        pool = visits or pool
        return min(pool, key=lambda d: (d.value.precision != "day", abs(d.sentence_index - e.sentence_index)))
    # a meeting or signing told right after a dated visit, in the same paragraph
    for d in same_pair:
        if (
            d.type == "visit"
            and 0 < e.sentence_index - d.sentence_index <= _NARRATIVE_REACH
            and "\n" not in doc.text[d.sentence.end : e.sentence.start]
        ):
            return d
    return None


def _one_row_per_event(events: list[Event]) -> list[Event]:
    out: list[Event] = []
    # only rows of the same type and pair can be twins: each row looks among those alone
    rows: dict[tuple[str, str], list[int]] = {}
    for e in events:
        kin = rows.setdefault((e.type, e.pair), [])
        twin = next((i for i in kin if _same(out[i], e)), None)
        if twin is None:
            kin.append(len(out))
            out.append(e)
        elif e.type == "visit" and _wider(e.value, out[twin].value):
            out[twin] = e
    return out


def _same(a: Event, b: Event) -> bool:
    if a.type != b.type or {a.a, a.b} != {b.a, b.b}:
        return False
    if a.type == "aid" and (a.amount, a.currency) != (b.amount, b.currency):
        return False
    if a.type == "visit" and (a.a, a.b) == (b.a, b.b) and a.value.known and b.value.known:
        return _overlap(a.value, b.value)  # one row per trip
    return a.value == b.value


def _overlap(x: DateValue, y: DateValue) -> bool:
    assert x.start and y.start
    return x.start <= y.last and y.start <= x.last


def _wider(x: DateValue, y: DateValue) -> bool:
    order = {"day": 3, "month": 2, "year": 1, "unknown": 0}
    if order[x.precision] != order[y.precision]:
        return order[x.precision] > order[y.precision]
    return bool(x.end) and not y.end


def event_id(doc_id: str, e: Event) -> str:
    """Stable: the same input gives the same id, run after run."""
    raw = "|".join(
        map(
            str,
            (
                doc_id,
                e.type,
                e.a,
                e.b,
                e.value.start,
                e.value.end,
                e.value.precision,
                e.sentence.start,
                e.sentence.end,
                e.amount,
                e.currency,
            ),
        )
    )
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:16]
