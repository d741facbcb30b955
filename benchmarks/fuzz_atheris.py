"""A coverage-guided fuzzing run of extraction with atheris (libFuzzer), bounded in time.

    pip install -e '.[fuzz]'
    python benchmarks/fuzz_atheris.py [--seconds 600]

libFuzzer mutates the bytes it is given and keeps the inputs that reach new
branches of the instrumented ``relations`` code; it starts from the bundled
seeds, which reach the date, country, amount and event code at once. Each input
is checked by the properties of benchmarks/fuzz.py: the first byte picks a
form (raw bytes under a file suffix, or the UTF-8 reading of the rest as text
in a language), then extraction must not raise, the document ends parsed,
empty or rejected with a reason, the tables pass the contract's checks and
every event's offsets point at its sentence. A property that fails raises,
and libFuzzer stops and writes the input as a crash file under artifacts/.

The per-document time limit (SIGALRM) stays on, so libFuzzer's own timeout,
which uses the same signal, is off: a slow input ends ``rejected``, and the
inputs over one second are counted. libFuzzer runs in a child process (it
ends its process itself); this script prints the count of inputs tried and
the failures, and writes artifacts/fuzz-atheris.json. The inputs libFuzzer
keeps (those reaching new code) stay in artifacts/atheris-corpus for the
next run.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["relations"]):  # fuzz.py imports relations: its code is instrumented for coverage
    from fuzz import check_bytes, check_text

ROOT = Path(__file__).resolve().parents[1]
ARTIFACT = ROOT / "artifacts" / "fuzz-atheris.json"
CORPUS = ROOT / "artifacts" / "atheris-corpus"
SUFFIXES = (".txt", ".html", ".md", ".bin", "")
LANGUAGES = ("en", None, "fr", "sv", "de", "es", "vi")
SLOW = 1.0  # seconds: an input slower than this is counted

counts = {"inputs": 0, "texts": 0, "bytes": 0, "slow": 0, "slowest_s": 0.0}
COUNTS = ROOT / "artifacts" / "atheris-counts.json"  # the child's own counts: libFuzzer ends it with _exit
STATS = re.compile(r"^stat::(\w+):\s+(\d+)", re.M)


def one_input(data: bytes) -> None:
    counts["inputs"] += 1
    form, rest = (data[0], data[1:]) if data else (0, b"")
    start = time.perf_counter()
    if form % 2:
        counts["texts"] += 1
        check_text(rest.decode("utf-8", "replace"), LANGUAGES[form // 2 % len(LANGUAGES)])
    else:
        counts["bytes"] += 1
        check_bytes(rest, SUFFIXES[form // 2 % len(SUFFIXES)])
    took = time.perf_counter() - start
    counts["slow"] += took > SLOW
    counts["slowest_s"] = max(counts["slowest_s"], round(took, 2))
    COUNTS.write_text(json.dumps(counts))


def seed_corpus() -> Path:
    """The bundled seeds, as a bytes input and as an English text input each."""
    CORPUS.mkdir(parents=True, exist_ok=True)
    for path in sorted((ROOT / "seeds").iterdir()):
        data = path.read_bytes()
        (CORPUS / f"seed-bytes-{path.stem}").write_bytes(b"\x00" + data)
        (CORPUS / f"seed-text-{path.stem}").write_bytes(b"\x01" + data)
    return CORPUS


def fuzz(seconds: int, max_len: int) -> None:
    """This process becomes libFuzzer's: it never returns."""
    atheris.Setup(
        [sys.argv[0], str(CORPUS), f"-max_total_time={seconds}", f"-max_len={max_len}", "-timeout=0",
         f"-artifact_prefix={ROOT / 'artifacts' / 'atheris-crash-'}", "-print_final_stats=1"],
        one_input,
    )
    atheris.Fuzz()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=600, help="time bound for the whole run")
    parser.add_argument("--max-len", type=int, default=8192, help="longest input libFuzzer makes, in bytes")
    parser.add_argument("--out", type=Path, default=ARTIFACT)
    parser.add_argument("--fresh", action="store_true", help="start again from the seeds (drop the inputs kept by earlier runs)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        fuzz(args.seconds, args.max_len)
    if args.fresh:
        shutil.rmtree(CORPUS, ignore_errors=True)
    seed_corpus()
    COUNTS.unlink(missing_ok=True)
    started = time.monotonic()
    child = [sys.executable, __file__, "--child", f"--seconds={args.seconds}", f"--max-len={args.max_len}"]
    run = subprocess.run(child, stderr=subprocess.PIPE, text=True, errors="replace")
    report = json.loads(COUNTS.read_text()) if COUNTS.exists() else dict(counts)
    report |= {f"libfuzzer_{k}": int(v) for k, v in STATS.findall(run.stderr)}
    report |= {"seconds": round(time.monotonic() - started, 1), "exit": run.returncode, "corpus_kept": len(list(CORPUS.iterdir()))}
    crash = [line for line in run.stderr.splitlines() if "Test unit written to" in line or "Uncaught Python exception" in line]
    report["failures"] = crash
    print(run.stderr[-3000:] if run.returncode else "", end="")
    print(f"{report['inputs']:,} inputs tried ({report['texts']:,} texts, {report['bytes']:,} byte strings) in "
          f"{report['seconds']} s; {report['slow']} over {SLOW:g} s (slowest {report['slowest_s']} s); "
          f"{'FAILED: ' + '; '.join(crash) if crash else '0 failures'}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    return 1 if run.returncode else 0


if __name__ == "__main__":
    sys.exit(main())
