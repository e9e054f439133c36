# Set-up and everyday commands. A fresh clone needs only python3 (>= 3.11), git and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: build check test lint wheel bench footprint clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	# pip >= 25.1 reads PEP 735 dependency groups (--group); the venv's bundled pip may be older.
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade "pip>=25.1"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt \
		-e ".[all]" --group dev
	touch $(STAMP)

## build: rebuild and validate dist/ (and schema/) from seeds/
build: $(STAMP)
	$(BIN)/sinopak build

## check: fail if dist/ or schema/ is stale
check: $(STAMP)
	$(BIN)/sinopak build --check

## test: lint, type-check and run the whole test suite
test: $(STAMP) lint
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy

## wheel: build wheel and sdist into build/pkg (never into dist/, the data package)
wheel: $(STAMP)
	$(BIN)/python -m build --outdir build/pkg

## bench: timings side by side (ratios) and the synthetic-corpus scale run
bench: $(STAMP)
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/scale.py --frictionless all --sizes 1 10 100 1000
	$(BIN)/python benchmarks/scale.py --frictionless csv --sizes 10 100 1000 10000

## footprint: packages and MB a fresh `pip install sinopak` adds (needs the package index)
footprint: $(STAMP)
	$(BIN)/python benchmarks/footprint.py

clean:
	rm -rf build $(VENV)
