# Two commands on a fresh machine: `make demo` and `make test`. Both create .venv and install what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: demo test lint typecheck bench clean install

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/givefirst demo

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

test: lint typecheck
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py --keep benchmarks/data --regenerate --json benchmarks/results/latest.json
	$(BIN)/python benchmarks/match_quality.py --json benchmarks/results/match-quality.json
	$(BIN)/python benchmarks/match_bench.py --keep benchmarks/data --json benchmarks/results/match.json
	$(BIN)/python benchmarks/reach_bench.py --keep benchmarks/data --json benchmarks/results/reach.json
	$(BIN)/python benchmarks/web_bench.py --keep benchmarks/data --json benchmarks/results/web.json
	$(BIN)/python benchmarks/sync_bench.py --keep benchmarks/data --json benchmarks/results/sync.json

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache .hypothesis
