"""One event, many reports: group the mentions of the same real event.

The events table has one row per mention: a state visit reported by an agency,
a newspaper and a republication is three rows. Here the rows that tell the
same event get one ``merged_id``, and ``events`` turns them into one row each.

Rules (docs in the README, "Merging"):

- Mentions are blocked by (type, country_a, country_b): the direction of a
  visit or aid is part of the key, meetings and signings are already in
  alphabetical order. Aid is further split by currency and amount: amounts
  within ``AMOUNT_TOLERANCE`` of the group's smallest are one gift, and a
  currency never merges with another. Only within a block are dates compared,
  so the work is a sort and a sweep, never every pair of rows.
- Day-precise mentions merge when their spans overlap (a visit "from 30
  September to 1 October" and talks "on 30 September").
- A month- or year-precise mention joins the one event its period overlaps. If
  it overlaps none it starts an event of its own (which later mentions of the
  same period join); if it overlaps several, it cannot tell which, and the
  place it gives decides — else it stays on its own rather than glue two
  events together.
- An undated mention joins the block's only event (the place deciding between
  several, as above); with none dated, undated mentions of the block are one
  event; with several it stays on its own.
- The event's date is its most precise member's: a coarser report never
  overrides a finer one. Day spans that disagree and amounts that differ are
  listed in ``conflicts``, never averaged.

``merged_id`` is a hash of the block and the most precise member's date span
(and, for aid, its amount): it does not change when another report of the
event arrives, only when a more precise date (or a different leading amount)
does. A mention left on its own is keyed by its own ``event_id``.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import math
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

AMOUNT_TOLERANCE = 0.05
_RANK = {"day": 3, "month": 2, "year": 1, "unknown": 0}
_UNDATED = np.iinfo(np.int64).max
_SEP = "; "  # joins doc ids, languages and event ids in one cell: CSV-friendly
# rows of different blocks never merge: a store's ids can be computed a few blocks at a time
BLOCK_COLUMNS = ("event_type", "country_a", "country_b")

MERGED_COLUMNS = (
    "merged_id",
    "event_type",
    "country_a",
    "country_b",
    "pair",
    "date_start",
    "date_end",
    "date_precision",
    "status",
    "amount",
    "currency",
    "count",
    "location",
    "n_sources",
    "languages",
    "doc_ids",
    "event_ids",
    "conflicts",
)


@dataclass(slots=True)
class _Mention:
    row: int
    rank: int  # 3 day, 2 month, 1 year, 0 undated
    start: int  # days since the epoch; _UNDATED when unknown
    last: int  # the last day the date covers
    place: str | None
    lead: tuple  # sorts a group's most precise mention first


@dataclass(slots=True)
class _Cluster:
    start: int
    last: int
    members: list[_Mention] = field(default_factory=list)
    places: set[str] = field(default_factory=set)

    def add(self, m: _Mention) -> None:
        if m.rank == _RANK["day"]:  # only day mentions make a span; coarser ones sit inside it
            self.last = max(self.last, m.last)
        self.members.append(m)
        if m.place:
            self.places.add(m.place)


# --------------------------------------------------------------------------- merged_id


def with_merged_ids(mentions: pd.DataFrame) -> pd.DataFrame:
    """The mention table with its ``merged_id`` column (recomputed if it had one)."""
    return mentions.assign(merged_id=pd.array(merged_ids(mentions), dtype="string"))


def merged_ids(mentions: pd.DataFrame) -> list[str]:
    """The merged_id of every row, in row order."""
    if mentions.empty:
        return []
    # a group is named by its lead's fields: name every row as if it led, and a block of one row (most are) is done
    names = [_hash("|".join(cells)) for cells in zip(*(_texts(mentions[c]) for c in _KEY_COLUMNS), strict=True)]
    ids = names.copy()
    shared = list(_blocks(mentions))
    rows = _mentions(mentions, [i for members in shared for i in members])
    event_ids = _texts(mentions["event_id"])
    for members in shared:
        clusters, alone = _cluster([rows[i] for i in members])
        for group in clusters:
            key = names[min(group, key=lambda m: m.lead).row]  # never the lead's event_id: another report may lead tomorrow
            for m in group:
                ids[m.row] = key
        for m in alone:
            ids[m.row] = _hash(f"alone|{event_ids[m.row]}")
    return ids


# the lead mention's fields that name its group; a mention left alone is named by its event_id
_KEY_COLUMNS = ("event_type", "country_a", "country_b", "date_start", "date_end", "date_precision", "amount", "currency")


def _texts(column: pd.Series) -> list[str]:
    """The cells as they enter a hash: missing ones empty."""
    return list(map(str, column.to_numpy(dtype=object, na_value="")))


def _hash(raw: str) -> str:
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:16]


def _mentions(frame: pd.DataFrame, rows: list[int]) -> dict[int, _Mention]:
    """The mentions of the given row positions, by position."""
    frame = frame[["event_id", "date_start", "date_end", "date_precision", "location"]].take(rows)
    precision = frame["date_precision"].astype("object").where(frame["date_precision"].notna(), "unknown").to_numpy(dtype=object)
    start = _days(frame["date_start"])
    end = _days(frame["date_end"])
    month_end = (start.astype("datetime64[M]") + 1).astype("datetime64[D]") - 1
    year_end = (start.astype("datetime64[Y]") + 1).astype("datetime64[D]") - 1
    last = np.where(~np.isnat(end), end, np.where(precision == "month", month_end, np.where(precision == "year", year_end, start)))
    undated = np.isnat(start)
    start_days = np.where(undated, _UNDATED, start.astype("int64")).tolist()
    last_days = np.where(undated, _UNDATED, last.astype("int64")).tolist()
    ranks = np.where(undated, 0, [_RANK.get(p, 0) for p in precision]).tolist()
    has_end = (~np.isnat(end)).tolist()
    locations = frame["location"].astype("object").tolist()
    places = {v: _place(v) for v in set(locations)}  # a place is named by many reports: normalise it once
    event_ids = frame["event_id"].astype("object").tolist()
    return {
        i: _Mention(i, r, s, e, places[p], (-r, not h, eid))
        for i, r, s, e, p, h, eid in zip(rows, ranks, start_days, last_days, locations, has_end, event_ids, strict=True)
    }


def _days(column: pd.Series) -> np.ndarray:
    return pd.to_datetime(column.astype("string"), format="%Y-%m-%d", errors="coerce").to_numpy(dtype="datetime64[D]")


def _place(value: object) -> str | None:
    """'Hà Nội' and 'ha noi' compare equal; a place's other-language names do not, so a place only breaks ties."""
    if not isinstance(value, str) or not value.strip():
        return None
    plain = unicodedata.normalize("NFKD", value.casefold())
    return "".join(filter(str.isalnum, plain))


def _blocks(frame: pd.DataFrame) -> Iterable[list[int]]:
    """Row positions per block: (type, country_a, country_b), and for aid (currency, amount band). A row alone in
    its (type, country_a, country_b) is left out: it is a group of its own, named by its own fields."""
    block = frame.groupby(list(BLOCK_COLUMNS), sort=False, dropna=False).ngroup().to_numpy()
    shared = np.flatnonzero(np.bincount(block)[block] > 1)
    shared = shared[np.argsort(block[shared], kind="stable")]  # block by block, each in table order
    bounds = np.flatnonzero(np.diff(block[shared], prepend=-1, append=-1)).tolist()  # where a block begins, and the end
    positions = shared.tolist()
    aid = (frame["event_type"].astype("object") == "aid").tolist()
    amount = frame["amount"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    currency = frame["currency"].astype("object").where(frame["currency"].notna(), "").tolist()
    # Python scalars: numpy's are slow one at a time
    amounts, missing, filled = amount.tolist(), np.isnan(amount).tolist(), np.nan_to_num(amount).tolist()
    for begin, end in itertools.pairwise(bounds):
        rows = positions[begin:end]
        if aid[rows[0]]:  # by currency, then amount, missing ones last
            yield from _amount_bands(sorted(rows, key=lambda i: (currency[i], missing[i], filled[i])), currency, amounts)
        else:
            yield rows


def _amount_bands(rows: list[int], currency: list[str], amount: list[float]) -> list[list[int]]:
    """One gift per currency and amount band: amounts within the tolerance of the band's smallest (the rows by currency, then amount)."""
    bands: list[list[int]] = []
    band_currency, floor = None, math.nan
    for i in rows:
        value = amount[i]
        same = (
            bands
            and band_currency == currency[i]
            and ((math.isnan(value) and math.isnan(floor)) or value <= floor * (1 + AMOUNT_TOLERANCE))
        )
        if not same:
            bands.append([])
            band_currency, floor = currency[i], value
        bands[-1].append(i)
    return bands


def _cluster(members: list[_Mention]) -> tuple[list[list[_Mention]], list[_Mention]]:
    """The groups of one block and the mentions left alone; finest dates first, so a coarse one never glues two events."""
    clusters: list[_Cluster] = []  # pairwise disjoint, sorted by start
    starts: list[int] = []
    alone: list[_Mention] = []
    by_place: dict[str, list[_Cluster]] = {}
    for m in sorted(members, key=lambda m: (-m.rank, m.start, m.lead)):
        candidates = _overlapping(clusters, starts, m)
        if len(candidates) > 1 and m.place:
            # an undated mention is a candidate of every event: the index spares a scan of them all
            placed = by_place.get(m.place, []) if m.start == _UNDATED else [c for c in candidates if m.place in c.places]
            candidates = placed or candidates
        if len(candidates) > 1:
            alone.append(m)
            continue
        if candidates:
            target = candidates[0]
        else:
            at = bisect.bisect(starts, m.start)
            starts.insert(at, m.start)
            target = _Cluster(m.start, m.last)
            clusters.insert(at, target)
        if m.place and m.place not in target.places:
            by_place.setdefault(m.place, []).append(target)
        target.add(m)
    return [c.members for c in clusters], alone


def _overlapping(clusters: list[_Cluster], starts: list[int], m: _Mention) -> list[_Cluster]:
    if m.start == _UNDATED:
        return clusters
    # disjoint and sorted: the ones overlapping [start, last] end the run of clusters starting before `last`
    out = []
    for at in range(bisect.bisect_right(starts, m.last) - 1, -1, -1):
        if clusters[at].last < m.start:
            break
        out.append(clusters[at])
    return out


# --------------------------------------------------------------------------- one row per event


def merged_events(mentions: pd.DataFrame) -> pd.DataFrame:
    """One row per merged event of a mention table (its merged_id is computed when missing)."""
    if "merged_id" not in mentions.columns:
        mentions = with_merged_ids(mentions)
    ordered = lead_first(mentions)
    lead = ordered.drop_duplicates("merged_id").set_index("merged_id")
    money = ordered[ordered["amount"].notna()].drop_duplicates("merged_id").set_index("merged_id")
    place = ordered[ordered["location"].notna()].drop_duplicates("merged_id").set_index("merged_id")
    sources = _sources(ordered)
    out = pd.DataFrame(
        {
            "merged_id": lead.index,
            **{c: lead[c].to_numpy() for c in ("event_type", "country_a", "country_b", "pair", "date_start", "date_end", "date_precision")},
            # a later report that it happened outweighs an earlier one that it would
            "status": np.where([sources[k].occurred for k in lead.index], "occurred", "planned"),
            "amount": money["amount"].reindex(lead.index).to_numpy(),
            "currency": money["currency"].reindex(lead.index).to_numpy(),
            "count": lead["count"].to_numpy(),
            "location": place["location"].reindex(lead.index).to_numpy(),
            "n_sources": [len(sources[k].doc_ids) for k in lead.index],
            **{column: [_SEP.join(getattr(sources[k], column)) for k in lead.index] for column in ("languages", "doc_ids", "event_ids")},
            "conflicts": [sources[k].conflicts() for k in lead.index],
        }
    )
    dtypes = {c: "string" for c in MERGED_COLUMNS} | {"amount": "Float64", "count": "Int64", "n_sources": "Int64"}
    order = ["date_start", "event_type", "pair", "merged_id"]
    return out.astype(dtypes).sort_values(order, na_position="last", kind="stable").reset_index(drop=True)


def lead_first(mentions: pd.DataFrame) -> pd.DataFrame:
    """The mentions ordered so that each event's most precise report comes first."""
    rank = mentions["date_precision"].astype("object").map(_RANK).fillna(0)
    return (
        mentions.assign(_rank=-rank, _open=mentions["date_end"].isna())
        .sort_values(["_rank", "_open", "event_id"], kind="stable")
        .drop(columns=["_rank", "_open"])
    )


@dataclass
class _Sources:
    """One event's reports, gathered in lead-first order."""

    languages: list[str] = field(default_factory=list)
    doc_ids: list[str] = field(default_factory=list)
    event_ids: list[str] = field(default_factory=list)
    days: list[tuple[str, str | None]] = field(default_factory=list)
    amounts: list[str] = field(default_factory=list)
    occurred: bool = False

    def conflicts(self) -> str | None:
        """What the reports disagree on: day spans outside the lead's, amounts that differ."""
        found = []
        if self.days:
            lead_start, lead_end = self.days[0][0], self.days[0][1] or self.days[0][0]
            if any(start < lead_start or (end or start) > lead_end for start, end in self.days[1:]):
                found.append("date: " + " / ".join(dict.fromkeys(f"{s}–{e}" if e else s for s, e in self.days)))
        amounts = list(dict.fromkeys(self.amounts))
        if len(amounts) > 1:
            found.append("amount: " + " / ".join(amounts))
        return "; ".join(found) or None


def _sources(ordered: pd.DataFrame) -> dict[str, _Sources]:
    columns = ("merged_id", "language", "doc_id", "event_id", "date_start", "date_end", "date_precision", "amount", "currency", "status")
    cells = [ordered[c].astype("object").where(ordered[c].notna(), None).tolist() for c in columns]
    out: dict[str, _Sources] = {}
    for key, language, doc_id, event_id, start, end, precision, amount, currency, status in zip(*cells, strict=True):
        s = out.setdefault(key, _Sources())
        if language and language not in s.languages:
            s.languages.append(language)
        if doc_id not in s.doc_ids:
            s.doc_ids.append(doc_id)
        s.event_ids.append(event_id)
        if precision == "day":
            s.days.append((start, end))
        if amount is not None:
            s.amounts.append(f"{amount:,.0f} {currency or ''}".strip())
        s.occurred |= status == "occurred"
    return out
