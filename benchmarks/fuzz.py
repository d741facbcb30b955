"""A longer fuzzing run of extraction's properties, with hypothesis: many examples, bounded in time.

    python benchmarks/fuzz.py [--examples 10000] [--seconds 600]

The properties are those of tests/test_properties.py, run with many more
examples: on arbitrary text (and on text built from realistic fragments) and on
arbitrary bytes, extraction never raises, every document ends parsed, empty or
rejected (with a reason), every event row satisfies the contract
(relations.schema.validate_events) and its offsets point at its sentence.
Prints the number of inputs tried and the failures; writes artifacts/fuzz.json.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import time
import traceback
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import relations
from relations import schema
from relations.documents import from_bytes, normalise
from relations.extract import tables

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from test_properties import FRAGMENTS  # noqa: E402  (the realistic fragments the suite uses)

ARTIFACT = ROOT / "artifacts" / "fuzz.json"
TEXTS = st.one_of(
    st.text(max_size=600),
    st.lists(st.sampled_from(FRAGMENTS), max_size=60).map(" ".join),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=20)), max_size=40).map("".join),
)
BYTES = st.one_of(st.binary(max_size=800), TEXTS.map(lambda t: t.encode("utf-16")), TEXTS.map(lambda t: t.encode("cp1252", "ignore")))
SUFFIXES = st.sampled_from([".txt", ".html", ".md", ".bin", ""])


class Budget(Exception):
    """The time is up: stop the run with what was tried."""


def check_text(text: str, language: str | None) -> None:
    result = relations.parse_text("fuzz.txt", text, language=language)
    check(result, normalise(text))


def check_bytes(data: bytes, suffix: str) -> None:
    result = relations.parse_bytes(f"fuzz{suffix}", data, suffix)
    loaded = from_bytes("fuzz", data, suffix)
    check(result, loaded.text)


def check(result, text: str | None) -> None:
    document = result.document
    assert document["status"] in ("parsed", "empty", "rejected"), document
    if document["status"] == "rejected":
        assert document["reason"], document
    frames = tables([result])
    schema.validate_events(frames.events)
    schema.validate_documents(frames.documents)
    for row in result.events:
        assert text is not None and text[row["char_start"] : row["char_end"]] == row["sentence"], row


def run(examples: int, seconds: float) -> dict:
    counts = {"text": 0, "bytes": 0}
    failures: list[str] = []
    deadline = 0.0  # each property gets half the time

    def tried(kind: str) -> None:
        if time.monotonic() > deadline:
            raise Budget
        counts[kind] += 1

    # a failure is recorded and the run goes on: no shrinking, each example once
    common = settings(max_examples=examples, deadline=None, database=None, phases=[Phase.generate],
                      suppress_health_check=list(HealthCheck), report_multiple_bugs=True)

    @common
    @given(text=TEXTS, language=st.sampled_from(["en", None, "fr", "sv"]))
    def texts(text, language):
        tried("text")
        try:
            check_text(text, language)
        except Exception:
            failures.append(f"text {text!r:.300} ({language}): {traceback.format_exc(limit=2)[-600:]}")

    @common
    @given(data=BYTES, suffix=SUFFIXES)
    def raw(data, suffix):
        tried("bytes")
        try:
            check_bytes(data, suffix)
        except Exception:
            failures.append(f"bytes {data!r:.300} ({suffix}): {traceback.format_exc(limit=2)[-600:]}")

    start = time.monotonic()
    for prop in (texts, raw):
        deadline = time.monotonic() + seconds / 2
        with contextlib.suppress(Budget):
            prop()
    return {"inputs": sum(counts.values()), **counts, "failures": len(failures), "first_failures": failures[:5],
            "seconds": round(time.monotonic() - start, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=10_000, help="examples per property (text, bytes)")
    parser.add_argument("--seconds", type=float, default=600, help="time bound for the whole run")
    parser.add_argument("--out", type=Path, default=ARTIFACT)
    args = parser.parse_args(argv)
    report = run(args.examples, args.seconds)
    print(f"{report['inputs']:,} inputs tried ({report['text']:,} texts, {report['bytes']:,} byte strings) "
          f"in {report['seconds']} s: {report['failures']} failure(s)")
    for failure in report["first_failures"]:
        print(failure)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    return 1 if report["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
