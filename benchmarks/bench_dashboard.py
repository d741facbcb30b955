"""How long the dashboard's server takes at 10k, 100k and 1M synthetic events.

Two measures per size, each the median of a few runs:

- views: the functions one script run calls (filter, headline, timeline, summary,
  activity, tables, evidence choices), on the loaded dataset — the floor;
- app: a whole script run in streamlit's AppTest, the server side of what a
  user waits for: the first render (reading and preparing the events file) and
  a filter change (choosing one country pair).

The goal is a filter change under one second at 1M events.

    python benchmarks/bench_dashboard.py [--sizes 10000,100000,1000000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from timing import app_seconds, median_seconds

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


from relations import views  # noqa: E402
from relations.schema import DIRECTED_TYPES, EVENT_COLUMNS, EVENT_TYPES  # noqa: E402

WORK = ROOT / ".bench"
COUNTRIES = ("VNM", "LAO", "MNG", "PRK", "KHM", "CHN", "USA", "JPN", "KOR", "THA", "IND", "RUS", "FRA", "DEU", "GBR", "AUS", "CUB", "LKA")
LANGUAGES = ("en", "vi", "fr", "de", "sv", "nb", "es")
PLACES = ("Hanoi", "Vientiane", "Ulan Bator", "Pyongyang", "Phnom Penh", "Beijing", None)


def synthetic_events(n: int, seed: int = 0) -> pd.DataFrame:
    """A contract-valid events table of n rows with realistic mixes of pairs, types, dates and gaps."""
    rng = np.random.default_rng(seed)
    codes = np.array(COUNTRIES)
    a = rng.integers(0, len(codes), n)
    b = (a + rng.integers(1, len(codes), n)) % len(codes)
    country_a, country_b = codes[a], codes[b]
    first = country_a < country_b
    low, high = np.where(first, country_a, country_b), np.where(first, country_b, country_a)
    event_type = rng.choice(np.array(EVENT_TYPES), n, p=[0.35, 0.35, 0.2, 0.1])
    # meetings and signings have no direction: the contract puts their countries in alphabetical order
    directed = np.isin(event_type, DIRECTED_TYPES)
    country_a, country_b = np.where(directed, country_a, low), np.where(directed, country_b, high)
    start = np.datetime64("2000-01-01") + rng.integers(0, 9400, n).astype("timedelta64[D]")
    undated = rng.random(n) < 0.05
    span = (event_type == "visit") & (rng.random(n) < 0.4) & ~undated
    end = start + rng.integers(1, 5, n).astype("timedelta64[D]")
    aid = event_type == "aid"
    sentence = np.char.add("Synthetic evidence sentence number ", np.arange(n).astype(str))
    frame = pd.DataFrame(
        {
            "event_id": np.char.add("e", np.arange(n).astype(str)),
            "doc_id": np.char.add(np.char.add("doc-", (np.arange(n) // 5).astype(str)), ".txt"),
            "event_type": event_type,
            "country_a": country_a,
            "country_b": country_b,
            "pair": np.char.add(np.char.add(low, "-"), high),
            "date_start": np.where(undated, None, start.astype(str)),
            "date_end": np.where(span, end.astype(str), None),
            "date_precision": np.where(undated, "unknown", "day"),
            "status": np.where(rng.random(n) < 0.1, "planned", "occurred"),
            "amount": np.where(aid, rng.integers(1, 1000, n) * 1000.0, np.nan),
            "currency": np.where(aid, rng.choice(np.array(["USD", "VND", "EUR"]), n), None),
            "count": pd.array(np.where(event_type == "signing", rng.integers(1, 10, n), 0), dtype="Int64"),
            "location": rng.choice(np.array(PLACES, dtype=object), n),
            "language": rng.choice(np.array(LANGUAGES), n),
            "sentence": sentence,
            "char_start": 0,
            "char_end": np.char.str_len(sentence),
        }
    )
    frame.loc[event_type != "signing", "count"] = pd.NA
    return frame.astype(EVENT_COLUMNS)


def events_file(n: int) -> Path:
    path = WORK / f"events-{n}.parquet"
    if not path.exists():
        WORK.mkdir(exist_ok=True)
        synthetic_events(n).to_parquet(path, index=False)
    return path



def one_view(data: views.Dataset, filters: views.Filters) -> None:
    """What one script run computes, without streamlit."""
    events = views.apply_filters(data.events, filters)
    views.headline(events)
    views.timeline_figure(events).to_json()
    views.undated_view(events)
    views.pair_summary(events)
    views.activity_figure(views.activity(events))
    views.table_view(events)
    views.evidence_choices(events, None)


def bench_views(data: views.Dataset, load_seconds: float, repeat: int) -> dict[str, float]:
    pair = data.choices.pairs[0]
    return {
        "views: load events file": load_seconds,
        "views: all pairs": median_seconds(lambda: one_view(data, views.Filters()), repeat),
        "views: one pair": median_seconds(lambda: one_view(data, views.Filters(pairs=(pair,))), repeat),
    }



def markdown(rows: dict[int, dict[str, float]]) -> str:
    sizes = list(rows)
    lines = ["| seconds | " + " | ".join(f"{n:,} events" for n in sizes) + " |", "|---|" + "---:|" * len(sizes)]
    for measure in rows[sizes[0]]:
        lines.append(f"| {measure} | " + " | ".join(f"{rows[n][measure]:.3f}" for n in sizes) + " |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    rows = {}
    for n in (int(s) for s in args.sizes.split(",")):
        path = events_file(n)
        start = time.perf_counter()
        data = views.load(views.source_for(path))
        rows[n] = bench_views(data, time.perf_counter() - start, args.repeat) | app_seconds(path, data.choices.pairs, args.repeat)
        print(f"{n:>9,} events measured", file=sys.stderr)
    print(f"\nServer-side time, median of {args.repeat} runs\n")
    print(markdown(rows))
    largest = max(rows)
    change = rows[largest]["app: filter change"]
    print(f"\nfilter change at {largest:,} events: {change:.2f} s (goal < 1 s): {'met' if change < 1 else 'NOT met'}")


if __name__ == "__main__":
    main()
