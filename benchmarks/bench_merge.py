"""How long merging takes: synthetic mentions of real events, reported several times each.

Each synthetic event (type, directed pair, a day or a span, an amount for aid)
is reported 1 to 5 times; a report gives the day, the month, the year or no
date at all, as articles do. Seeded, so every run merges the same table.

    python benchmarks/bench_merge.py [--mentions 100000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from timing import median_seconds

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


from relations.merge import merged_events, with_merged_ids  # noqa: E402
from relations.schema import DIRECTED_TYPES, EVENT_COLUMNS, EVENT_TYPES, validate_events  # noqa: E402

COUNTRIES = ("VNM", "LAO", "MNG", "PRK", "KHM", "CHN", "USA", "JPN", "KOR", "THA", "IND", "RUS", "FRA", "DEU", "GBR", "AUS", "CUB", "LKA")
LANGUAGES = ("en", "fr", "es", "de", "sv", "pt", "it")
PRECISIONS = np.array(["day", "month", "year", "unknown"])


def synthetic_mentions(n: int, seed: int = 0) -> pd.DataFrame:
    """About n mention rows of n / 3 events, contract-valid."""
    rng = np.random.default_rng(seed)
    events = n // 3
    reports = rng.integers(1, 6, events)
    source = np.repeat(np.arange(events), reports)[:n]
    n = len(source)
    codes = np.array(COUNTRIES)
    a = rng.integers(0, len(codes), events)
    b = (a + rng.integers(1, len(codes), events)) % len(codes)
    etype = rng.choice(np.array(EVENT_TYPES), events, p=[0.35, 0.35, 0.2, 0.1])
    directed = np.isin(etype, DIRECTED_TYPES)
    ca, cb = codes[a], codes[b]
    ca, cb = np.where(directed | (ca < cb), ca, cb), np.where(directed | (ca < cb), cb, ca)
    day = np.datetime64("2000-01-01") + rng.integers(0, 9400, events).astype("timedelta64[D]")
    span = (etype == "visit") & (rng.random(events) < 0.4)
    amount = np.where(etype == "aid", rng.integers(1, 1000, events) * 1000.0, np.nan)

    precision = rng.choice(PRECISIONS, n, p=[0.7, 0.15, 0.05, 0.1])
    start = day[source]
    start = np.where(precision == "month", start.astype("datetime64[M]").astype("datetime64[D]"), start)
    start = np.where(precision == "year", start.astype("datetime64[Y]").astype("datetime64[D]"), start)
    has_end = span[source] & (precision == "day")
    end = day[source] + rng.integers(1, 4, events)[source].astype("timedelta64[D]")
    low, high = np.where(ca < cb, ca, cb)[source], np.where(ca < cb, cb, ca)[source]
    sentence = np.char.add("Synthetic evidence sentence number ", np.arange(n).astype(str))
    frame = pd.DataFrame(
        {
            "event_id": np.char.add("m", np.arange(n).astype(str)),
            "doc_id": np.char.add(np.char.add("doc-", rng.integers(0, n // 4, n).astype(str)), ".txt"),
            "event_type": etype[source],
            "country_a": ca[source],
            "country_b": cb[source],
            "pair": np.char.add(np.char.add(low, "-"), high),
            "date_start": np.where(precision == "unknown", None, start.astype(str)),
            "date_end": np.where(has_end, end.astype(str), None),
            "date_precision": precision,
            "status": "occurred",
            "amount": amount[source],
            "currency": np.where(etype[source] == "aid", "USD", None),
            "count": pd.array([pd.NA] * n, dtype="Int64"),
            "location": None,
            "language": rng.choice(np.array(LANGUAGES), n),
            "sentence": sentence,
            "char_start": 0,
            "char_end": np.char.str_len(sentence),
        }
    ).astype(EVENT_COLUMNS)
    validate_events(frame)
    return frame



def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mentions", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    mentions = synthetic_mentions(args.mentions)
    ids = median_seconds(lambda: with_merged_ids(mentions), args.repeat)
    tagged = with_merged_ids(mentions)
    table = median_seconds(lambda: merged_events(tagged), args.repeat)
    n_events = tagged["merged_id"].nunique()
    print(
        f"merge: {len(mentions):,} mentions -> {n_events:,} events; "
        f"merged_id {ids:.2f} s, one row per event {table:.2f} s (median of {args.repeat})"
    )


if __name__ == "__main__":
    main()
