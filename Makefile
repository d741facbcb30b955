# make run   - set up and launch the dashboard on the bundled seeds
# make test  - set up and run the whole suite (lint, unit, app and browser tests)
# make bench - set up and run the benchmarks
# make load  - 20 concurrent browser sessions against the dashboard (RELIABILITY.md)
# make fuzz  - a long hypothesis run of the extraction properties (RELIABILITY.md)
# make fuzz-atheris - a coverage-guided (libFuzzer) run of the same properties (RELIABILITY.md)

VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
PYTHON ?= python3

.PHONY: setup run test lint bench browser clean load fuzz fuzz-atheris

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

# the dashboard on the bundled seeds; other data: make run DATA=path/to/articles-or-events.csv
run: setup
	$(VENV)/bin/streamlit run dashboard.py --server.headless true --browser.gatherUsageStats false $(if $(DATA),-- --data "$(DATA)")

# Debian's Chromium for the browser tests: Playwright drives it, nothing is downloaded
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; }

lint: setup
	$(VENV)/bin/ruff check relations tests benchmarks $(wildcard dashboard.py)

test: setup browser lint
	$(PY) -m pytest -q

# about 20 minutes: bench_scale's --memory ingests 10k and 100k generated articles
bench: setup
	$(PY) benchmarks/bench_extract.py
	$(PY) benchmarks/bench_scale.py --docs 10000 --memory
	$(PY) benchmarks/bench_dashboard.py
	$(PY) benchmarks/bench_store.py
	$(PY) benchmarks/bench_merge.py

# 20 concurrent dashboard sessions on loopback (open, filter, download): errors and p50/p95 per step
load: setup browser
	$(PY) benchmarks/load_test.py --sessions 20 --budget 600

# the extraction properties with many hypothesis examples, bounded in time
fuzz: setup
	$(PY) benchmarks/fuzz.py --examples 10000 --seconds 600

# coverage-guided: libFuzzer mutates inputs towards new branches of relations (atheris, the 'fuzz' extra)
fuzz-atheris: setup
	$(PY) -m pip install -q -e '.[fuzz]'
	$(PY) benchmarks/fuzz_atheris.py --seconds 600

clean:
	rm -rf $(VENV) artifacts .pytest_cache
