"""``relations ingest``: the command line of ``relations.ingest``, with a progress bar."""

from __future__ import annotations

import argparse
import sys

from tqdm import tqdm

from .documents import MAX_BYTES
from .ingest import BATCH_SIZE, Progress, Summary, ingest
from .store import StoreBusy

# as for extract: some documents could not be read; everything else was stored
EXIT_REJECTED = 3
# another ingest is writing to the store: nothing was done, try again later (sysexits' EX_TEMPFAIL)
EXIT_BUSY = 75


class _Bar(tqdm):
    # no monitor thread: a process running threads starts its workers from a fork server
    # (engine._context), which costs each worker a fresh start; the bar is updated per batch anyway
    monitor_interval = 0


def add_ingest_command(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Declare ``ingest`` on the ``relations`` parser's subcommands."""
    cmd = subparsers.add_parser("ingest", help="read files or folders into a store, adding only documents it does not hold")
    cmd.add_argument("paths", nargs="+", metavar="PATH", help="a file or a folder (read recursively)")
    cmd.add_argument("--store", required=True, help="the store folder (created if needed)")
    cmd.add_argument("--workers", type=int, help="local processes that parse (default: all cores)")
    cmd.add_argument("--dask", metavar="ADDRESS", help="parse on a Dask cluster instead, e.g. tcp://scheduler:8786")
    cmd.add_argument("--batch-size", type=int, default=BATCH_SIZE, help=f"documents per store part (default {BATCH_SIZE})")
    cmd.add_argument("--max-bytes", type=int, default=MAX_BYTES, help=f"larger files are rejected (default {MAX_BYTES:,})")
    cmd.add_argument("--language", help="skip detection: every document is in this language (ISO 639-1)")
    cmd.add_argument(
        "--wait",
        action="store_true",
        help=f"if another ingest is writing to the store, wait for it to finish (default: exit at once with status {EXIT_BUSY})",
    )
    cmd.add_argument("--quiet", action="store_true", help="no progress bar")
    return cmd


def run_ingest(args: argparse.Namespace) -> int:
    """Run ``relations ingest`` for parsed arguments; the process's exit status."""
    try:
        summary = _ingest(args, wait=False)
    except StoreBusy as busy:
        if not args.wait:
            print(f"relations ingest: {busy}; run again once it has finished, or pass --wait", file=sys.stderr)
            return EXIT_BUSY
        print(f"relations ingest: {busy}; waiting for it to finish", file=sys.stderr, flush=True)
        summary = _ingest(args, wait=True)
    s = summary.statuses
    print(
        f"{summary.files} files: {summary.skipped} already in the store; "
        f"{s['parsed']} parsed, {s['empty']} empty, {s['rejected']} rejected; "
        f"{summary.events} events in {summary.parts} new parts -> {args.store}"
    )
    return EXIT_REJECTED if s["rejected"] else 0


def _ingest(args: argparse.Namespace, *, wait: bool) -> Summary:
    # the bar appears once the files are listed (delay), and tqdm derives the rate and ETA
    with _Bar(unit="file", disable=args.quiet, file=sys.stderr, delay=0.2) as bar:

        def show(p: Progress) -> None:
            bar.total = p.total
            bar.set_postfix(events=p.events, refresh=False)
            bar.update(p.done - bar.n)

        return ingest(
            args.paths,
            args.store,
            workers=args.workers,
            batch_size=args.batch_size,
            progress=show,
            dask=args.dask,
            max_bytes=args.max_bytes,
            language=args.language,
            wait=wait,
        )
