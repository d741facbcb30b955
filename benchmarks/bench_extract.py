"""How fast ``relations.parse`` reads a corpus, on one core, against two yardsticks.

    make bench                      # = .venv/bin/python benchmarks/bench_extract.py
    python benchmarks/bench_extract.py --files 5000 --sample 25

The corpus is the seeds (``seeds/``) and the dev documents (``../shared/dev/docs``
beside the repo; the seeds alone when that folder is absent), copied round-robin
into a temporary folder until it holds ``--files`` files (default 2,000). Each
copy has its own name and, by default, a distinct last line (``[00042]``), so a
cache keyed on the content could not answer a copy from its original: every file
has to be read and parsed. ``--no-suffix`` makes byte-identical copies.
``--corpus synthetic`` takes as sources articles of ``benchmarks/corpus_gen.py``
instead (``SYNTHETIC_PER_LANGUAGE`` of each language, seed 0).

Three figures, all in this one process, pinned to one CPU (no multiprocessing):

- relations: ``relations.parse(corpus)`` over the whole corpus, after a warm-up
  call on the original documents that loads the language data (timed apart);
- baseline: ``dateparser.search.search_dates(text, languages=[lang])`` with the
  language relations detected for that document (``en`` when none). It takes tens
  of milliseconds an article, so it runs on a deterministic sample: every K-th file
  (``--sample K``; by default K is chosen to give about 200 files);
- floor: one compiled regular expression (4-digit years and month-like words)
  over the same bytes: about the least any reader of these files can cost.

Both yardsticks read each file themselves, as ``relations.parse`` does. The ratios
are relations' articles/s divided by the yardstick's. The figures are printed as a
table and written to ``artifacts/bench-extract.json``. Timings are not asserted:
this is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
DEV_DOCS = REPO.parent / "shared" / "dev" / "docs"
ARTIFACT = REPO / "artifacts" / "bench-extract.json"
SAMPLE_TARGET = 200  # files for the dateparser baseline when --sample is not given
SYNTHETIC_PER_LANGUAGE = 4  # generated sources per language for --corpus synthetic

# the floor: 4-digit years and month-like words (the stems of several languages' month names)
FLOOR = re.compile(
    rb"\b(?:1[89]|20)\d\d\b"
    rb"|\b(?:[Jj]an|[Ff]eb|[Ff]ev|[Mm]ar|[Aa]pr|[Aa]vr|[Aa]br|[Mm]a[iy]|[Mm]ag|[Mm]ei|[Jj]u[nil]|[Gg]iu|[Ll]ug|[Aa]ug|[Aa]go"
    rb"|[Ss]e[pt]|[Oo][ck]t|[Oo]tt|[Oo]ut|[Nn]ov|[Dd]e[cz]|[Dd]ic)[a-z]*"
)


def pin_to_one_core() -> str:
    """Run on one CPU; the description says which."""
    # no hidden thread pools in numpy or pyarrow either (set before relations imports them)
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS", "ARROW_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    if hasattr(os, "sched_setaffinity"):
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    return "not pinned (no sched_setaffinity here); single-threaded"


def synthetic_sources(folder: Path) -> tuple[list[Path], str]:
    """Generated articles as sources, the languages in turn."""
    from corpus_gen import generate, languages

    n = SYNTHETIC_PER_LANGUAGE * len(languages())
    return generate(n, folder), f"{n} synthetic articles (benchmarks/corpus_gen.py, seed 0)"


def sources() -> tuple[list[Path], str]:
    seeds = sorted(p for p in SEEDS.iterdir() if p.is_file())
    if DEV_DOCS.is_dir():
        dev = sorted(p for p in DEV_DOCS.iterdir() if p.is_file())
        return seeds + dev, f"{len(seeds)} seeds + {len(dev)} dev documents ({DEV_DOCS})"
    return seeds, f"{len(seeds)} seeds only: {DEV_DOCS} is absent"


def suffix_line(data: bytes, i: int) -> bytes:
    """A distinct last line for copy i, in the file's own encoding (UTF-8 only; others stay verbatim)."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return b""
    return f"\n\n[{i:05d}]\n".encode()


def build_corpus(srcs: list[Path], n: int, folder: Path, distinct: bool) -> tuple[list[tuple[Path, Path]], int]:
    """Copy the sources round-robin into ``folder``: (copy, source) pairs and the suffixed count."""
    pairs, suffixed = [], 0
    contents = [p.read_bytes() for p in srcs]
    for i in range(max(n, len(srcs))):
        k = i % len(srcs)
        data = contents[k]
        extra = suffix_line(data, i) if distinct else b""
        suffixed += bool(extra)
        copy = folder / f"{i:05d}__{srcs[k].name}"
        copy.write_bytes(data + extra)
        pairs.append((copy, srcs[k]))
    return pairs, suffixed


def timed(fn):
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    value = fn()
    return value, time.perf_counter() - wall, time.process_time() - cpu


def rate(files: int, seconds: float) -> float:
    return files / seconds if seconds > 0 else float("inf")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--files", type=int, default=2000, help="corpus size in files (default 2000)")
    ap.add_argument("--sample", type=int, metavar="K", help=f"time search_dates on every K-th file (default: about {SAMPLE_TARGET} files)")
    ap.add_argument("--corpus", choices=("dev", "synthetic"), default="dev", help="sources: seeds + dev documents (default), or generated")
    ap.add_argument("--no-suffix", action="store_true", help="byte-identical copies (no distinct last line)")
    ap.add_argument("--json", type=Path, default=ARTIFACT, help=f"where to write the figures (default {ARTIFACT.relative_to(REPO)})")
    args = ap.parse_args(argv)
    if args.files < 1 or (args.sample is not None and args.sample < 1):
        ap.error("--files and --sample must be positive")

    core = pin_to_one_core()
    t0 = time.perf_counter()
    import relations
    from relations import documents

    import_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    import dateparser.search

    import_dateparser_s = time.perf_counter() - t0

    workdir = Path(tempfile.mkdtemp(prefix="relations-bench-"))
    try:
        srcs, origin = synthetic_sources(workdir / "sources") if args.corpus == "synthetic" else sources()
        print(f"corpus: {origin}; {core}", flush=True)
        corpus = workdir / "corpus"
        corpus.mkdir()
        pairs, suffixed = build_corpus(srcs, args.files, corpus, distinct=not args.no_suffix)
        n = len(pairs)
        total_bytes = sum(copy.stat().st_size for copy, _ in pairs)
        mb = total_bytes / 1e6
        print(f"built {n:,} files ({mb:.2f} MB) in {corpus}; {suffixed:,} with a distinct last line", flush=True)

        # warm-up: the originals, once; loads every language's data the corpus needs
        warm, warm_s, _ = timed(lambda: relations.parse(srcs))
        per_source = dict(
            zip(warm.documents["doc_id"], zip(warm.documents["status"], warm.documents["n_events"], strict=True), strict=True)
        )

        # relations, the measured run
        print(f"relations.parse over {n:,} files ...", flush=True)
        result, rel_s, rel_cpu = timed(lambda: relations.parse(corpus))
        docs = result.documents.set_index("doc_id")
        status = {k: int(v) for k, v in docs["status"].value_counts().items()}
        by_type = {k: int(v) for k, v in result.events["event_type"].value_counts().items()}
        differ = sum((docs.at[copy.name, "status"], docs.at[copy.name, "n_events"]) != per_source[src.name] for copy, src in pairs)

        # the share of reading and decoding alone (relations.documents.load)
        items = list(documents.inputs([corpus]))
        _, load_s, load_cpu = timed(lambda: [documents.load(item) for item in items])

        # floor: read the bytes, one regex pass
        def floor():
            return sum(len(FLOOR.findall(copy.read_bytes())) for copy, _ in pairs)

        floor_hits, floor_s, floor_cpu = timed(floor)

        # baseline: dateparser's search_dates on a deterministic sample
        step = args.sample or max(1, n // SAMPLE_TARGET)
        sample = pairs[::step]
        sample_mb = sum(copy.stat().st_size for copy, _ in sample) / 1e6

        def language_of(copy: Path) -> str:
            code = docs.at[copy.name, "language"]
            return code if isinstance(code, str) and code else "en"

        def search(paths: list[Path]) -> tuple[int, int]:
            found = errors = 0
            for path in paths:
                text = path.read_bytes().decode("utf-8", errors="replace")
                try:
                    found += len(dateparser.search.search_dates(text, languages=[language_of(path)]) or [])
                except Exception:  # an unsupported language code, a parser error: counted, not fatal
                    errors += 1
            return found, errors

        # dateparser loads each language's data on first use: warm it on one copy of each source first
        firsts = [copy for copy, _ in pairs[: len(srcs)]]
        _, dp_warm_s, _ = timed(lambda: search(firsts))
        print(f"dateparser.search.search_dates over {len(sample):,} files (1 in {step}) ...", flush=True)
        (dp_found, dp_errors), dp_s, dp_cpu = timed(lambda: search([copy for copy, _ in sample]))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    rel_rate, dp_rate, floor_rate = rate(n, rel_s), rate(len(sample), dp_s), rate(n, floor_s)
    figures = {
        "corpus": {
            "files": n,
            "sources": [str(p) for p in srcs],
            "origin": origin,
            "megabytes": round(mb, 3),
            "distinct_suffix": not args.no_suffix,
            "suffixed_files": suffixed,
        },
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpu": _cpu_model(),
            "cores_visible": os.cpu_count(),
            "core": core,
            "relations": relations.__version__,
            "dateparser": _version("dateparser"),
        },
        "load": {
            "import_relations_s": round(import_s, 3),
            "import_dateparser_s": round(import_dateparser_s, 3),
            "warmup_parse_s": round(warm_s, 3),
            "warmup_files": len(srcs),
            "dateparser_warmup_s": round(dp_warm_s, 3),
        },
        "relations": {
            "files": n,
            "seconds": round(rel_s, 3),
            "cpu_seconds": round(rel_cpu, 3),
            "articles_per_s": round(rel_rate, 1),
            "mb_per_s": round(mb / rel_s, 3),
            "events": len(result.events),
            "events_by_type": by_type,
            "documents_by_status": status,
            "copies_differing_from_original": differ,
            "load_only_seconds": round(load_s, 3),
            "load_only_cpu_seconds": round(load_cpu, 3),
            "load_only_articles_per_s": round(rate(n, load_s), 1),
        },
        "search_dates": {
            "files": len(sample),
            "every_kth_file": step,
            "seconds": round(dp_s, 3),
            "cpu_seconds": round(dp_cpu, 3),
            "articles_per_s": round(dp_rate, 1),
            "mb_per_s": round(sample_mb / dp_s, 3),
            "dates_found": dp_found,
            "errors": dp_errors,
            "ratio_relations_over_search_dates": round(rel_rate / dp_rate, 2),
            "ratio_by_cpu_time": round((n / rel_cpu) / (len(sample) / dp_cpu), 2),
        },
        "regex_floor": {
            "files": n,
            "seconds": round(floor_s, 4),
            "cpu_seconds": round(floor_cpu, 4),
            "articles_per_s": round(floor_rate, 1),
            "mb_per_s": round(mb / floor_s, 2),
            "matches": floor_hits,
            "ratio_relations_over_floor": round(rel_rate / floor_rate, 5),
        },
    }
    print()
    print(report(figures))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(f"\nfigures written to {args.json}")
    return 0


def report(f: dict) -> str:
    c, r, d, fl, ld = f["corpus"], f["relations"], f["search_dates"], f["regex_floor"], f["load"]
    load_rate = r["load_only_articles_per_s"]
    rows = [
        ("relations.parse", r["files"], r["seconds"], r["cpu_seconds"], r["articles_per_s"], r["mb_per_s"], "1.00"),
        (
            "  of which read + decode",
            r["files"],
            r["load_only_seconds"],
            r["load_only_cpu_seconds"],
            load_rate,
            c["megabytes"] / r["load_only_seconds"],
            "",
        ),
        (
            f"search_dates (1 file in {d['every_kth_file']})",
            d["files"],
            d["seconds"],
            d["cpu_seconds"],
            d["articles_per_s"],
            d["mb_per_s"],
            f"{d['ratio_relations_over_search_dates']:.2f}",
        ),
        (
            "regex floor (read + 1 regex)",
            fl["files"],
            fl["seconds"],
            fl["cpu_seconds"],
            fl["articles_per_s"],
            fl["mb_per_s"],
            f"{fl['ratio_relations_over_floor']:.4f}",
        ),
    ]
    head = f"{'one core, one process':<32}{'files':>7}{'wall s':>9}{'CPU s':>9}{'articles/s':>12}{'MB/s':>9}{'relations/this':>16}"
    lines = [
        f"corpus: {c['files']:,} files, {c['megabytes']:.2f} MB, from {c['origin']}",
        f"        {'each copy ends with a distinct line' if c['distinct_suffix'] else 'byte-identical copies'}; {f['machine']['core']}",
        "",
        head,
        "-" * len(head),
    ]
    lines += [
        f"{name:<32}{files:>7,}{wall:>9.3f}{cpu:>9.3f}{aps:>12,.1f}{mbs:>9.2f}{ratio:>16}"
        for name, files, wall, cpu, aps, mbs, ratio in rows
    ]
    if r["cpu_seconds"] < 0.9 * r["seconds"]:
        lines += [
            f"(relations got {100 * r['cpu_seconds'] / r['seconds']:.0f}% of its core: the machine is busy, wall times are noisy;",
            f" by CPU time: relations {r['files'] / r['cpu_seconds']:,.1f} articles/s, search_dates {d['files'] / d['cpu_seconds']:,.1f}, "
            f"ratio {d['ratio_by_cpu_time']:.2f})",
        ]
    status = ", ".join(f"{v:,} {k}" for k, v in sorted(r["documents_by_status"].items()))
    kinds = ", ".join(f"{v:,} {k}" for k, v in sorted(r["events_by_type"].items()))
    lines += [
        "",
        f"relations is {d['ratio_relations_over_search_dates']:.1f}x as fast as search_dates alone, "
        f"and runs at {100 * fl['ratio_relations_over_floor']:.2f}% of the regex floor's speed",
        f"events found: {r['events']:,} ({kinds})",
        f"documents: {status}",
        f"copies whose status or event count differ from their original's: {r['copies_differing_from_original']}",
        f"search_dates found {d['dates_found']:,} dates in its sample ({d['errors']} errors)",
        f"the floor regex matched {fl['matches']:,} times",
        f"load: import relations {ld['import_relations_s']:.2f}s, warm-up parse of the {ld['warmup_files']} originals "
        f"{ld['warmup_parse_s']:.2f}s; import dateparser {ld['import_dateparser_s']:.2f}s, its warm-up {ld['dateparser_warmup_s']:.2f}s",
    ]
    return "\n".join(line.rstrip() for line in lines)


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _version(package: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return None


if __name__ == "__main__":
    sys.exit(main())
