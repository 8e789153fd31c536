# Two commands on a fresh machine: `make demo` and `make test`. Both create .venv and install what they need:
# `make demo` the product alone (its runtime dependencies), `make test` the test and benchmark tools as well.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HASH := $(shell cat pyproject.toml | cksum | cut -d' ' -f1)
RUNTIME := $(VENV)/.runtime-$(HASH)
STAMP := $(VENV)/.installed-$(HASH)

.PHONY: demo test lint typecheck bench clean install install-runtime

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUNTIME): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	rm -f $(VENV)/.runtime-*
	touch $(RUNTIME)

# Everything includes the runtime: a full install also stands for the runtime one.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,bench,plot]'
	rm -f $(VENV)/.installed-* $(VENV)/.runtime-*
	touch $(STAMP) $(RUNTIME)

install-runtime: $(RUNTIME)

install: $(STAMP)

demo: $(RUNTIME)
	$(BIN)/givefirst demo

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

# On every core (pytest-xdist): each test owns its SQLite file, PostgreSQL schema or database, and loopback ports,
# so tests do not share state across workers. `worksteal` keeps both cores busy to the end.
test: lint typecheck
	$(BIN)/pytest -n auto --dist worksteal

# The last one, the hub's, needs PostgreSQL ($GIVEFIRST_HUB_BENCH_URL, else postgres@127.0.0.1): without one it
# says so and skips, exit status 0.
bench: $(STAMP)
	$(BIN)/python benchmarks/run.py --keep benchmarks/data --regenerate --json benchmarks/results/latest.json
	$(BIN)/python benchmarks/match_quality.py --best-bar --json benchmarks/results/match-quality.json
	$(BIN)/python benchmarks/match_bench.py --keep benchmarks/data --json benchmarks/results/match.json
	$(BIN)/python benchmarks/reach_bench.py --keep benchmarks/data --json benchmarks/results/reach.json
	$(BIN)/python benchmarks/web_bench.py --keep benchmarks/data --json benchmarks/results/web.json
	$(BIN)/python benchmarks/sync_bench.py --keep benchmarks/data --json benchmarks/results/sync.json
	$(BIN)/python benchmarks/heard_quality.py --json benchmarks/results/heard-quality.json
	$(BIN)/python benchmarks/heard_bodies.py --json benchmarks/results/heard-bodies.json
	$(BIN)/python benchmarks/footprint.py --json benchmarks/results/footprint.json
	$(BIN)/python benchmarks/hub_bench.py --json benchmarks/results/hub.json
	$(BIN)/python benchmarks/scale_bench.py --keep benchmarks/data --json benchmarks/results/scale.json

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache .hypothesis
