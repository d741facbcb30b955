"""End to end in a real browser: Debian's Chromium, driven by Playwright, against `streamlit run dashboard.py`.

Nothing is downloaded at run time: Chromium comes from apt (`make browser`).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

import relations

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOT = ROOT / "artifacts" / "dashboard.png"

pytestmark = pytest.mark.browser


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_healthy(url: str, process: subprocess.Popen, log: Path, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"streamlit exited with {process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read().strip() == b"ok":
                    return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"streamlit did not answer on {url} within {seconds:.0f} s:\n{log.read_text()}")


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path_factory.mktemp("streamlit") / "server.log"
    env = {k: v for k, v in os.environ.items() if k != "RELATIONS_DATA"}  # the default: the bundled seeds
    command = [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.headless", "true"]
    command += ["--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"]
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_until_healthy(url, process, log)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium with `make browser` (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


def hover_until(page, chart, *wanted: str) -> str:
    """Point at each event on the chart, as a reader would, until a hover shows every ``wanted`` text."""
    events = chart.locator(".barlayer .point path, .scatterlayer .point")
    seen = []
    for i in range(events.count()):
        box = events.nth(i).bounding_box()
        # plotly's drag layer lies on top of the points: move the mouse, do not click the element
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.wait_for_timeout(150)
        label = chart.locator(".hoverlayer").text_content() or ""
        if all(w in label for w in wanted):
            return label
        seen.append(label)
    pytest.fail(f"no event on the timeline shows {wanted} on hover; hovers seen: {seen}")


def test_choose_mongolia_vietnam_see_the_visit_and_download_its_rows(server, browser, seeds_dir):
    expected = relations.parse(seeds_dir).events
    expected = expected[expected["pair"] == "MNG-VNM"]
    page = browser.new_page(viewport={"width": 1500, "height": 1300}, accept_downloads=True)
    page.set_default_timeout(60_000)
    page.goto(server)
    timeline = page.locator(".js-plotly-plot").first
    timeline.wait_for()

    pairs = page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").first
    pairs.click()
    page.keyboard.type("Mongolia")
    page.get_by_role("option", name="Mongolia – Vietnam").click()
    page.keyboard.press("Escape")
    page.wait_for_url("**?pair=MNG-VNM")
    # one pair: the timeline redraws with a lane per event type
    page.wait_for_function("() => document.querySelector('.js-plotly-plot').layout.yaxis.categoryarray.includes('Visit')")

    label = hover_until(page, timeline, "Visit", "30 September 2024")
    assert "Vietnam → Mongolia" in label
    SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOT))

    page.mouse.down()  # a click on the visit opens its evidence: the sentence marked in its document
    page.mouse.up()
    visit = expected[(expected["event_type"] == "visit") & (expected["date_start"] == "2024-09-30")].iloc[0]
    marked = page.locator(".evidence mark").first
    marked.wait_for()
    assert marked.text_content() == visit["sentence"]

    with page.expect_download() as started:
        page.get_by_role("button", name="Download CSV").click()
    rows = pd.read_csv(started.value.path(), dtype="string", keep_default_na=False)
    assert set(rows["pair"]) == {"MNG-VNM"}
    assert sorted(rows["event_id"]) == sorted(expected["event_id"])
    assert list(rows.loc[(rows["event_type"] == "visit") & (rows["date_start"] == "2024-09-30"), "event_id"]) == [visit["event_id"]]
    assert page.get_by_test_id("stException").count() == 0
