"""Load test: N concurrent dashboard sessions on loopback open the app, filter a pair, download its CSV.

    python benchmarks/load_test.py [--sessions 20] [--budget 600]

Starts ``streamlit run dashboard.py`` on a free 127.0.0.1 port and drives one
headless Chromium (Debian's, through Playwright) with one browser context per
session, all at once. Each session: ``open`` (the page until the timeline is
drawn), ``filter`` (pick "Mongolia – Vietnam" in the pairs widget, until the
URL says ?pair=MNG-VNM and the timeline redraws), ``link`` (open
?pair=MNG-VNM as a shared link would, in a new page) and ``download`` (the
filtered CSV, checked to hold only that pair). Errors and the p50/p95 latency
of each step are printed and written to artifacts/load-test.json, with the CPU
seconds the server and the browser spent: on a small machine the 20 browser
pages, not the server, can be what the latencies measure (RELIABILITY.md).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
SERVER_LOG = ROOT / "artifacts" / "load-test-server.log"  # kept: an error in the table is explained there
ARTIFACT = ROOT / "artifacts" / "load-test.json"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
STEPS = ("open", "filter", "link", "download")
# what each page costs the browser, not the server: no animations, a laptop-sized window
CONTEXT = {"viewport": {"width": 1280, "height": 800}, "reduced_motion": "reduce", "accept_downloads": True}
PAIR, LABEL = "MNG-VNM", "Mongolia – Vietnam"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def dashboard(log: Path, seconds: float = 90) -> Iterator[tuple[str, int]]:
    """``streamlit run dashboard.py`` on the bundled seeds, until the block ends: its URL and process id."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if k != "RELATIONS_DATA"}
    command = [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.headless", "true"]
    command += ["--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"]
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + seconds
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"streamlit exited with {process.returncode}:\n{log.read_text()}")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.read().strip() == b"ok":
                        break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"streamlit did not answer within {seconds:.0f} s:\n{log.read_text()}") from None
                time.sleep(0.3)
        yield url, process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


async def one_session(browser, url: str, n: int, timeout_ms: float, times: dict[str, float]) -> dict:
    """One reader's visit in its own browser context; the time of each step (in ``times``, also
    while it runs, so a session cut short by the budget tells how far it got), or the error that stopped it."""
    context = await browser.new_context(**CONTEXT)
    context.set_default_timeout(timeout_ms)
    step = "open"
    try:
        page = await context.new_page()
        start = time.perf_counter()
        await page.goto(url)
        await page.locator(".js-plotly-plot").first.wait_for()
        times["open"] = time.perf_counter() - start

        step = "filter"
        start = time.perf_counter()
        pairs = page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").first
        await pairs.click()
        await page.keyboard.type("Mongolia")
        await page.get_by_role("option", name=LABEL).click()
        await page.keyboard.press("Escape")
        await page.wait_for_url(f"**?pair={PAIR}")
        await page.wait_for_function("() => document.querySelector('.js-plotly-plot').layout.yaxis.categoryarray.includes('Visit')")
        times["filter"] = time.perf_counter() - start

        step = "link"
        start = time.perf_counter()
        linked = await context.new_page()
        await linked.goto(f"{url}/?pair={PAIR}")
        await linked.wait_for_function("() => document.querySelector('.js-plotly-plot')?.layout?.yaxis?.categoryarray?.includes('Visit')")
        times["link"] = time.perf_counter() - start

        step = "download"
        start = time.perf_counter()
        async with linked.expect_download() as started:
            await linked.get_by_role("button", name="Download CSV").click()
        download = await started.value
        rows = pd.read_csv(await download.path(), dtype="string", keep_default_na=False)
        times["download"] = time.perf_counter() - start
        if rows.empty or set(rows["pair"]) != {PAIR}:
            return {"session": n, "times": times, "error": f"download: the CSV holds pairs {sorted(set(rows['pair']))}"}
        for shown in (page, linked):
            if await shown.get_by_test_id("stException").count():
                return {"session": n, "times": times, "error": "the app shows an exception"}
        return {"session": n, "times": times, "error": None}
    except Exception as err:  # a failed step is a recorded error, not the end of the run
        return {"session": n, "times": times, "error": f"{step}: {type(err).__name__}: {str(err).splitlines()[0][:200]}"}
    finally:
        await context.close()


async def drive(url: str, sessions: int, budget: float) -> list[dict]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            times: list[dict[str, float]] = [{} for _ in range(sessions)]
            tasks = [asyncio.create_task(one_session(browser, url, n, budget * 1000, times[n])) for n in range(sessions)]
            done, pending = await asyncio.wait(tasks, timeout=budget)
            for task in pending:
                task.cancel()
            results = [t.result() for t in done]
            results += [unfinished(n, times[n], budget) for n, task in enumerate(tasks) if task in pending]
            return sorted(results, key=lambda r: r["session"])
        finally:
            await browser.close()


def unfinished(n: int, times: dict[str, float], budget: float) -> dict:
    step = next((s for s in STEPS if s not in times), "the final checks")
    return {"session": n, "times": times, "error": f"{step}: not finished within the {budget:.0f} s budget"}


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def summary(results: list[dict], sessions: int, wall: float, cpu: dict[str, float | None]) -> dict:
    steps = {}
    for step in STEPS:
        values = [r["times"][step] for r in results if step in r["times"]]
        steps[step] = {"n": len(values), "p50_s": percentile(values, 50), "p95_s": percentile(values, 95)}
        steps[step]["max_s"] = max(values, default=None)
    errors = [r["error"] for r in results if r["error"]]
    return {"sessions": sessions, "completed": sessions - len(errors), "errors": errors, "wall_s": wall, "steps": steps,
            "cpus": os.cpu_count(), "cpu_s": cpu}


def process_cpu(pid: int) -> float | None:
    """User and system CPU seconds of a live process (Linux /proc), None elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_cpu() -> float | None:
    """Busy CPU seconds of the whole machine (Linux /proc/stat): Chromium's processes come and go, the machine stays."""
    try:
        user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, Path("/proc/stat").read_text().split()[1:9])
    except (OSError, ValueError):
        return None
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def spent(before: float | None, after: float | None) -> float | None:
    return None if before is None or after is None else after - before


def run(sessions: int = 20, budget: float = 600) -> dict:
    """The whole load test: a server, ``sessions`` concurrent readers, their figures."""
    SERVER_LOG.parent.mkdir(parents=True, exist_ok=True)
    with dashboard(SERVER_LOG) as (url, pid):
        server, machine, start = process_cpu(pid), machine_cpu(), time.perf_counter()
        results = asyncio.run(drive(url, sessions, budget))
        wall = time.perf_counter() - start
        return summary(results, sessions, wall, {"server": spent(server, process_cpu(pid)), "machine": spent(machine, machine_cpu())})


def table(report: dict) -> str:
    lines = [f"{report['sessions']} concurrent sessions, {report['completed']} completed, {len(report['errors'])} error(s), "
             f"{report['wall_s']:.1f} s wall, {report['cpus']} CPU(s)", f"{'step':<10}{'n':>4}{'p50 s':>9}{'p95 s':>9}{'max s':>9}"]
    if None not in report["cpu_s"].values():
        server, machine = report["cpu_s"]["server"], report["cpu_s"]["machine"]
        lines.insert(1, f"CPU seconds: server {server:.1f}, the rest of the machine (browsers, driver, this script) {machine - server:.1f}")
    for step, figures in report["steps"].items():
        cells = [f"{figures[k]:>9.2f}" if figures[k] is not None else f"{'-':>9}" for k in ("p50_s", "p95_s", "max_s")]
        lines.append(f"{step:<10}{figures['n']:>4}{''.join(cells)}")
    lines += [f"error: {e}" for e in report["errors"]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--budget", type=float, default=600, help="seconds for the whole run (each step is bounded by it too)")
    parser.add_argument("--out", type=Path, default=ARTIFACT)
    args = parser.parse_args(argv)
    report = run(args.sessions, args.budget)
    print(table(report))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"written to {args.out}")
    return 1 if report["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
