"""How long the dashboard takes to answer a filter change on a store of 10k, 100k and 1M events.

The synthetic events of bench_dashboard.py are written as store parts (one per
20,000 events, as an ingest would cut them) with their merged ids, as an ingest
ends, then, each the median of a few runs:

- sql: what one script run asks DuckDB (the selection, headline, timeline,
  per-pair summary, activity, the visible rows) for one filter change (one
  country pair), and the CSV download of that pair;
- app: a whole script run in streamlit's AppTest after choosing a pair.

The goal is a filter change under one second at 1M events. Figures go to
artifacts/bench-store.json.

    python benchmarks/bench_store.py [--sizes 10000,100000,1000000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

from bench_dashboard import ROOT, WORK, markdown, synthetic_events
from timing import app_seconds, median_seconds

from relations import store, store_views, views

PART_EVENTS = 20_000
DOCUMENT = {"language": "en", "published": None, "status": "parsed", "reason": None}


def store_of(n: int) -> Path:
    root = WORK / f"store-{n}"
    if store.event_files(root):
        store.update_merged(root)  # a store written before merged ids existed
        return root
    shutil.rmtree(root, ignore_errors=True)
    events = synthetic_events(n)
    store.prepare(root)
    for begin in range(0, n, PART_EVENTS):
        part = events.iloc[begin : begin + PART_EVENTS]
        counts = part["doc_id"].value_counts()
        docs = [DOCUMENT | {"doc_id": doc, "n_events": int(k), "content_hash": f"hash-{doc}"} for doc, k in counts.items()]
        store.write_part(root, part.to_dict("records"), docs)
    store.update_merged(root)
    return root


def one_change(con, filters: views.Filters) -> None:
    """What one script run of the store page asks DuckDB."""
    selection = store_views.select(con, filters)
    store_views.headline(selection)
    store_views.timeline_figure(selection).to_json()
    store_views.pair_summary(selection)
    views.activity_figure(store_views.activity(selection))
    views.table_view(store_views.rows(selection))


def bench_sql(root: Path, repeat: int) -> tuple[dict[str, float], tuple[str, ...]]:
    start = time.perf_counter()
    con = store_views.connect(root)
    pairs = store_views.choices(con).pairs
    opened = time.perf_counter() - start
    figures = {
        "sql: open and list choices": opened,
        "sql: all pairs": median_seconds(lambda: one_change(con, views.Filters()), repeat),
        "sql: one pair": median_seconds(lambda: one_change(con, views.Filters(pairs=(pairs[0],))), repeat),
        "sql: download one pair": median_seconds(
            lambda: store_views.csv_bytes(store_views.select(con, views.Filters(pairs=(pairs[0],)), limit=0)), repeat
        ),
    }
    con.close()
    return figures, pairs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    rows = {}
    for n in (int(s) for s in args.sizes.split(",")):
        root = store_of(n)
        sql, pairs = bench_sql(root, args.repeat)
        rows[n] = sql | app_seconds(root, pairs, args.repeat)
        print(f"{n:>9,} events measured", file=sys.stderr)
    print(f"\nDashboard on a store, seconds, median of {args.repeat} runs\n")
    print(markdown(rows))
    largest = max(rows)
    change = rows[largest]["app: filter change"]
    print(f"\nfilter change at {largest:,} events: {change:.2f} s (goal < 1 s): {'met' if change < 1 else 'NOT met'}")
    out = ROOT / "artifacts" / "bench-store.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({str(n): figures for n, figures in rows.items()}, indent=2) + "\n")


if __name__ == "__main__":
    main()
