"""How relations scales: one core, 1 -> N workers, two yardsticks and memory, on a synthetic corpus.

    python benchmarks/bench_scale.py                          # 10,000 generated articles
    python benchmarks/bench_scale.py --docs 2000 --workers-list 1,2,4
    python benchmarks/bench_scale.py --memory                 # adds ingest peak RSS at 10k and 100k (minutes)

The corpus comes from ``benchmarks/corpus_gen.py`` (seeded: the same figures
measure the same bytes). The figures, beside the targets of issue 4:

(a) one core: ``relations.parse(articles, workers=1)`` in this process pinned to
    one CPU, after a warm-up parse of a few articles of each language that builds
    the language data (timed apart);
(b) workers: ``relations.parse(corpus, workers=N)``. End to end, each N runs in
    a fresh interpreter, so every worker pays its language-data load as a real
    run does: read from the disk cache (relations/diskcache.py; the benchmark's
    own, filled by the warm-up of (a)), as on every run after a machine's first;
    steady state, this warm process forks its workers, which start with the
    language data loaded, and the ratio is against the warm one-core rate;
(c) ``dateparser.search.search_dates(text, languages=[lang])`` on every K-th
    article (about 200), ratio of articles/s;
(d) the floor: read the bytes and run bench_extract's FLOOR regex once;
    (a), (c) and (d) take turns in five rounds, each on every fifth article, so
    that a minute when the shared machine is slow slows all three alike;
(e) with ``--memory``: ``relations ingest DIR --store TMP --workers 2`` as a
    subprocess at 10k and 100k articles, peak RSS of its process tree (sampled
    with psutil: the workers are processes), ratio 100k/10k.

Wall times on a shared machine are noisy: CPU seconds are reported beside them.
The figures are printed as a table and written to ``artifacts/bench-scale.json``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))  # run as a script: its sibling modules
from bench_extract import FLOOR, _cpu_model, _version, pin_to_one_core, rate, timed
from corpus_gen import generate, languages
from timing import ROOT

ARTIFACT = ROOT / "artifacts" / "bench-scale.json"
SAMPLE_TARGET = 200  # articles for search_dates
WARM_PER_LANGUAGE = 2
ROUNDS = 5
MEMORY_SIZES = (10_000, 100_000)
TARGETS = {"articles_per_s": 500, "vs_search_dates": 20, "floor_slowdown": 10, "two_workers": 1.8, "memory_ratio": 1.5}

# a cold run of parse with N workers: a fresh interpreter, its children's CPU counted once they exit
CHILD = """
import json, resource, sys, time
t0 = time.perf_counter()
import relations
imported = time.perf_counter() - t0
before = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
t0 = time.perf_counter()
result = relations.parse(sys.argv[1], workers=int(sys.argv[2]))
wall = time.perf_counter() - t0
after = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = sum(a.ru_utime + a.ru_stime - b.ru_utime - b.ru_stime for a, b in zip(after, before))
print(json.dumps({"import_s": imported, "wall_s": wall, "cpu_s": cpu, "documents": len(result.documents)}))
"""


def corpus_files(corpus: Path) -> list[Path]:
    """The articles in a stable order (by name: the generator's index)."""
    return sorted(corpus.rglob("*.txt"), key=lambda p: p.name)


def warm_set(files: list[Path]) -> list[Path]:
    """The first few articles of each language."""
    picked: dict[str, list[Path]] = {}
    for path in files:
        group = picked.setdefault(path.parent.name, [])
        if len(group) < WARM_PER_LANGUAGE:
            group.append(path)
    return [p for group in picked.values() for p in group]


def yardsticks(relations, files: list[Path], sample_every: int) -> tuple[dict, dict, dict]:
    """(a), (c) and (d), taking turns: each of ROUNDS rounds runs all three on its share of the corpus.

    A shared machine speeds up and slows down by the minute; run one after the other, a slow minute
    during one run would move its ratio to the others. In turns, all three meet the same minutes.
    """
    import dateparser.search

    def search(paths: list[Path]) -> int:
        return sum(len(dateparser.search.search_dates(p.read_text(encoding="utf-8"), languages=[p.parent.name]) or []) for p in paths)

    def floor(paths: list[Path]) -> int:
        return sum(len(FLOOR.findall(p.read_bytes())) for p in paths)

    warm = warm_set(files)
    # the language data of relations and dateparser, timed apart
    _, warm_s, warm_cpu = timed(partial(relations.parse, warm, workers=1))
    timed(partial(search, warm[::WARM_PER_LANGUAGE]))
    sample = files[::sample_every]
    spent = {name: [0.0, 0.0] for name in ("parse", "search", "floor")}
    events = with_events = dates_found = matches = 0
    for r in range(ROUNDS):
        share = files[r::ROUNDS]
        result, wall, cpu = timed(partial(relations.parse, share, workers=1))
        spent["parse"][0] += wall
        spent["parse"][1] += cpu
        events += len(result.events)
        with_events += int((result.documents["n_events"] > 0).sum())
        found, wall, cpu = timed(partial(search, sample[r::ROUNDS]))
        spent["search"][0] += wall
        spent["search"][1] += cpu
        dates_found += found
        hits, wall, cpu = timed(partial(floor, share))
        spent["floor"][0] += wall
        spent["floor"][1] += cpu
        matches += hits

    def figures(name: str, count: int) -> dict:
        wall, cpu = spent[name]
        return {
            "files": count,
            "seconds": round(wall, 3),
            "cpu_seconds": round(cpu, 3),
            "articles_per_s": round(rate(count, wall), 1),
            "articles_per_cpu_s": round(rate(count, cpu), 1),
        }

    single = {"warmup_files": len(warm), "warmup_s": round(warm_s, 3), "warmup_cpu_s": round(warm_cpu, 3), "rounds": ROUNDS}
    single |= figures("parse", len(files)) | {"events": events, "documents_with_events": with_events}
    baseline = figures("search", len(sample)) | {"every_kth_file": sample_every, "dates_found": dates_found}
    return single, baseline, figures("floor", len(files)) | {"matches": matches}


def cold_run(corpus: Path, workers: int) -> dict:
    """(b) end to end: parse in a fresh interpreter, language data loaded by each worker as in a real run."""
    proc = subprocess.run([sys.executable, "-c", CHILD, str(corpus), str(workers)], capture_output=True, text=True, check=True)
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    return {k: round(v, 3) if isinstance(v, float) else v for k, v in out.items()} | {
        "articles_per_s": round(rate(out["documents"], out["wall_s"]), 1)
    }


def warm_run(relations, corpus: Path, workers: int) -> dict:
    """(b) steady state: workers forked from this warm process start with the language data loaded."""

    def cpu_now() -> float:
        # children's CPU is counted once they have exited: parse waits for its pool
        t = psutil.Process().cpu_times()
        return t.user + t.system + t.children_user + t.children_system

    before = cpu_now()
    result, wall, _ = timed(lambda: relations.parse(corpus, workers=workers))
    cpu = cpu_now() - before
    return {"seconds": round(wall, 3), "cpu_seconds": round(cpu, 3), "articles_per_s": round(rate(len(result.documents), wall), 1)}


def single_as_warm(single: dict) -> dict:
    return {k: single[k] for k in ("seconds", "cpu_seconds", "articles_per_s")}


def peak_rss(cmd: list[str]) -> dict:
    """Run ``cmd``; its wall time and the peak RSS of its process tree, sampled every 50 ms."""
    start = time.perf_counter()
    proc = psutil.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak_tree = peak_one = 0
    while proc.poll() is None:
        tree = [proc, *proc.children(recursive=True)]
        rss = []
        for p in tree:
            with contextlib.suppress(psutil.Error):  # a worker that just exited
                rss.append(p.memory_info().rss)
        peak_tree, peak_one = max(peak_tree, sum(rss)), max([peak_one, *rss])
        time.sleep(0.05)
    if proc.returncode not in (0, 3):  # 3: some documents rejected, the store is written all the same
        raise RuntimeError(f"{' '.join(cmd)} exited with {proc.returncode}")
    return {
        "seconds": round(time.perf_counter() - start, 1),
        "peak_tree_mb": round(peak_tree / 2**20, 1),
        "peak_process_mb": round(peak_one / 2**20, 1),
    }


def memory_runs(workdir: Path, corpus_10k: Path | None, seed: int) -> dict:
    """(e): ``relations ingest`` at each size, into a fresh store."""
    cli = str(Path(sys.executable).with_name("relations"))
    out = {}
    for size in MEMORY_SIZES:
        corpus = corpus_10k if corpus_10k is not None and size == 10_000 else workdir / f"corpus-{size}"
        if not corpus.exists():
            print(f"generating {size:,} articles for the memory run ...", flush=True)
            generate(size, corpus, seed)
        store = workdir / f"store-{size}"
        print(f"relations ingest of {size:,} articles, 2 workers ...", flush=True)
        out[str(size)] = peak_rss([cli, "ingest", str(corpus), "--store", str(store), "--workers", "2", "--quiet"])
        shutil.rmtree(store, ignore_errors=True)
    small, large = (out[str(s)]["peak_tree_mb"] for s in MEMORY_SIZES)
    out["ratio_100k_over_10k"] = round(large / small, 2)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=10_000, help="corpus size (default 10000)")
    ap.add_argument("--workers-list", default="1,2", help="worker counts for (b), comma-separated (default 1,2)")
    ap.add_argument("--seed", type=int, default=0, help="corpus seed (default 0)")
    ap.add_argument("--memory", action="store_true", help="also (e): ingest peak RSS at 10k and 100k articles (minutes)")
    ap.add_argument("--json", type=Path, default=ARTIFACT, help=f"where to write the figures (default {ARTIFACT.relative_to(ROOT)})")
    args = ap.parse_args(argv)
    workers = sorted({int(w) for w in args.workers_list.split(",")})
    if args.docs < 1 or min(workers) < 1:
        ap.error("--docs and --workers-list must be positive")

    all_cpus = os.sched_getaffinity(0)
    core = pin_to_one_core()
    import relations

    workdir = Path(tempfile.mkdtemp(prefix="relations-scale-"))
    # a cache of its own: the warm-up builds the language data whatever the user's cache holds
    os.environ["RELATIONS_CACHE_DIR"] = str(workdir / "cache")
    try:
        corpus = workdir / "corpus"
        _, gen_s, _ = timed(lambda: generate(args.docs, corpus, args.seed))
        files = corpus_files(corpus)
        mb = sum(p.stat().st_size for p in files) / 1e6
        print(f"generated {len(files):,} articles ({mb:.1f} MB, {len(languages())} languages) in {gen_s:.1f} s; {core}", flush=True)

        print(f"(a) relations.parse on one core, (c) search_dates on a sample, (d) the regex floor: {ROUNDS} rounds ...", flush=True)
        single, baseline, floor = yardsticks(relations, files, max(1, len(files) // SAMPLE_TARGET))

        # the workers may use every CPU this process was given
        os.sched_setaffinity(0, all_cpus)
        scaling = {}
        for n in workers:
            print(f"(b) relations.parse, {n} worker(s) ...", flush=True)
            # one warm worker is (a) itself: no second run of it
            warm = single_as_warm(single) if n == 1 else warm_run(relations, corpus, n)
            scaling[str(n)] = {"cold": cold_run(corpus, n), "warm": warm}
        memory = memory_runs(workdir, corpus if args.docs == 10_000 else None, args.seed) if args.memory else None
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    figures = {
        "corpus": {
            "generator": "benchmarks/corpus_gen.py",
            "files": len(files),
            "megabytes": round(mb, 2),
            "seed": args.seed,
            "generate_s": round(gen_s, 1),
        },
        "machine": {
            "python": platform.python_version(),
            "cpu": _cpu_model(),
            "cpus_usable": len(all_cpus),
            "load_average_1m": round(os.getloadavg()[0], 1),
            "relations": relations.__version__,
            "dateparser": _version("dateparser"),
        },
        "one_core": single | {"core": core},
        "workers": scaling,
        "search_dates": baseline,
        "regex_floor": floor,
        "memory": memory,
        "ratios": ratios(single, scaling, baseline, floor, memory),
        "targets": TARGETS,
    }
    print()
    print(report(figures))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(f"\nfigures written to {args.json}")
    return 0


def ratios(single: dict, scaling: dict, baseline: dict, floor: dict, memory: dict | None) -> dict:
    """The figures the targets are about; the workers' against the lowest worker count measured."""
    base = min(scaling, key=int)
    out = {
        "vs_search_dates": round(single["articles_per_s"] / baseline["articles_per_s"], 1),
        "vs_search_dates_by_cpu": round(single["articles_per_cpu_s"] / baseline["articles_per_cpu_s"], 1),
        "floor_slowdown": round(floor["articles_per_s"] / single["articles_per_s"], 1),
        "floor_slowdown_by_cpu": round((floor["files"] / floor["cpu_seconds"]) / single["articles_per_cpu_s"], 1),
    }
    for n, run in scaling.items():
        out[f"workers_{n}_over_{base}_end_to_end"] = round(scaling[base]["cold"]["wall_s"] / run["cold"]["wall_s"], 2)
        out[f"workers_{n}_over_1_steady"] = round(run["warm"]["articles_per_s"] / single["articles_per_s"], 2)
    if memory:
        out["memory_ratio"] = memory["ratio_100k_over_10k"]
    return out


def report(f: dict) -> str:
    s, r, t = f["one_core"], f["ratios"], f["targets"]

    def goal(at_least: bool, measured: float, target: float) -> tuple[str, str]:
        ok = measured >= target if at_least else measured <= target
        return f"{'>=' if at_least else '<='} {target}", "met" if ok else "NOT met"

    rows = [
        ("(a) articles/s, one core", f"{s['articles_per_s']:,.1f}", *goal(True, s["articles_per_s"], t["articles_per_s"])),
        ("    articles per CPU second", f"{s['articles_per_cpu_s']:,.1f}", "", ""),
        ("(c) x search_dates", f"{r['vs_search_dates']:.1f}x", *goal(True, r["vs_search_dates"], t["vs_search_dates"])),
        ("    by CPU time", f"{r['vs_search_dates_by_cpu']:.1f}x", "", ""),
        ("(d) floor is faster by", f"{r['floor_slowdown']:.1f}x", *goal(False, r["floor_slowdown"], t["floor_slowdown"])),
        ("    by CPU time", f"{r['floor_slowdown_by_cpu']:.1f}x", "", ""),
    ]
    for key, value in r.items():
        if key.startswith("workers_") and not key.startswith("workers_1_"):
            target = goal(True, value, t["two_workers"]) if key.startswith("workers_2_") else ("", "")
            rows.append((f"(b) {key}", f"{value:.2f}x", *target))
    if f["memory"]:
        m = f["memory"]
        for size in MEMORY_SIZES:
            rows.append((f"(e) ingest peak RSS, {size:,} articles", f"{m[str(size)]['peak_tree_mb']:,.0f} MB", "", ""))
        rows.append(("(e) memory 100k / 10k", f"{r['memory_ratio']:.2f}", *goal(False, r["memory_ratio"], t["memory_ratio"])))
    head = f"{'figure':<40}{'measured':>14}{'target':>10}  verdict"
    c, mach = f["corpus"], f["machine"]
    lines = [
        f"corpus: {c['files']:,} generated articles, {c['megabytes']:.1f} MB (seed {c['seed']}); "
        f"{mach['cpus_usable']} CPUs usable, load average {mach['load_average_1m']}",
        f"language data: built by a warm-up parse of {s['warmup_files']} articles in {s['warmup_s']:.1f} s (not in the rates)",
        "",
        head,
        "-" * len(head),
    ]
    lines += [f"{name:<40}{value:>14}{target:>10}  {ok}".rstrip() for name, value, target, ok in rows]
    lines += ["", f"{'workers':<10}{'cold wall s':>12}{'cold CPU s':>12}{'cold art/s':>12}{'warm wall s':>13}{'warm art/s':>12}"]
    for n, run in f["workers"].items():
        cold, warm = run["cold"], run["warm"]
        lines.append(
            f"{n:<10}{cold['wall_s']:>12.1f}{cold['cpu_s']:>12.1f}{cold['articles_per_s']:>12.1f}{warm['seconds']:>13.1f}{warm['articles_per_s']:>12.1f}"
        )
    d, fl = f["search_dates"], f["regex_floor"]
    lines += [
        "",
        f"search_dates: {d['files']} articles (1 in {d['every_kth_file']}) in {d['seconds']:.1f} s, {d['dates_found']:,} dates found",
        f"regex floor: {fl['files']:,} articles in {fl['seconds']:.2f} s, {fl['matches']:,} matches",
        f"events: {s['events']:,}; articles with at least one event: {s['documents_with_events']:,} of {s['files']:,}",
    ]
    if s["cpu_seconds"] < 0.9 * s["seconds"]:
        share = 100 * s["cpu_seconds"] / s["seconds"]
        lines.append(f"(the one-core run got {share:.0f}% of its CPU: the machine is busy; per-CPU-second figures are steadier)")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
