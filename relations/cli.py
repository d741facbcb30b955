"""The command line: a thin shell over ``relations.parse``."""

from __future__ import annotations

import argparse
import sys

from . import output
from .documents import MAX_BYTES
from .extract import merged, parse
from .ingest_cli import add_ingest_command, run_ingest

# some documents could not be read; the tables are written all the same
EXIT_REJECTED = 3


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="relations", description="Dated bilateral events from news articles.")
    sub = ap.add_subparsers(dest="command", required=True)
    ex = sub.add_parser("extract", help="read files or folders and write the events table")
    ex.add_argument("paths", nargs="+", metavar="PATH", help="a file or a folder (read recursively)")
    ex.add_argument("--output", "-o", required=True, help="events file: .csv, .parquet, .json or .jsonl")
    ex.add_argument("--documents", help="documents report, same formats")
    ex.add_argument("--max-bytes", type=int, default=MAX_BYTES, help=f"larger files are rejected (default {MAX_BYTES:,})")
    ex.add_argument("--merged", action="store_true", help="one row per real event (its reports merged) instead of one per mention")
    ex.add_argument("--language", help="skip detection: every document is in this language (ISO 639-1)")
    ex.add_argument(
        "--time-limit", type=float, default=None, help="seconds one document may take before it is rejected (default 60; 0: no limit)"
    )
    ex.add_argument("--workers", type=int, default=1, help="processes to parse with (default 1; 0 = all cores)")
    add_ingest_command(sub)
    args = ap.parse_args(argv)
    if args.command == "ingest":
        return run_ingest(args)

    for target in filter(None, (args.output, args.documents)):
        if not target.lower().endswith(output.FORMATS):
            ap.error(f"{target}: the extension must be one of {', '.join(output.FORMATS)}")
    result = parse(args.paths, max_bytes=args.max_bytes, language=args.language, workers=args.workers or None, time_limit=args.time_limit)
    table = merged(result.events) if args.merged else result.events
    output.write(table, args.output)
    if args.documents:
        output.write(result.documents, args.documents)
    status = result.documents["status"].value_counts()
    parsed, empty, rejected = (int(status.get(k, 0)) for k in ("parsed", "empty", "rejected"))
    print(
        f"{len(result.documents)} documents: {parsed} parsed, {empty} empty, {rejected} rejected; "
        f"{len(result.events)} events" + (f", {len(table)} merged events" if args.merged else "") + f" -> {args.output}"
    )
    for _, doc in result.documents[result.documents["status"] == "rejected"].iterrows():
        print(f"rejected {doc['doc_id']}: {doc['reason']}", file=sys.stderr)
    return EXIT_REJECTED if rejected else 0


if __name__ == "__main__":
    sys.exit(main())
