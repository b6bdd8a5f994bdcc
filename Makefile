# The two commands of the README: `make run` (all notebooks, all figures in English and Chinese) and `make test`.
# Both create the virtual environment .venv on first use, pinned by requirements.lock.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.aidlab-installed
# `make run CORPUS=DIR FIGURES=DIR` runs on another corpus: its tables go to build/<DIR name>/, beside the seeds'.
CORPUS  ?= seeds
FIGURES ?= figures

.PHONY: all setup run test lint fuzz store benchmark clean-build

all: run

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[dev]'
	$(BIN)/python -c "from aidlab.runner import ensure_kernel; ensure_kernel()"  # the `aidlab` kernel, for Lab too
	touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(BIN)/aidlab run --corpus $(CORPUS) --figures $(FIGURES)
	$(BIN)/aidlab run --corpus $(CORPUS) --figures $(FIGURES) --only 05 06 --lang zh

# pytest exits 5 when it collected no test: that is a broken suite, not a pass.
# Nothing is written into the checkout: conftest.py sends the notebooks' outputs to a temporary folder.
test: $(STAMP)
	@$(BIN)/python -m pytest; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test: pytest collected no tests" >&2; exit 1; fi; exit $$rc

# ruff (style, bugs, complexity limit) over the code and the notebooks; mypy over the package.
lint: $(STAMP)
	$(BIN)/ruff check src tests notebooks conftest.py benchmarks
	$(BIN)/mypy

# The long property-based profile (hypothesis, thousands of examples per property); `make test` runs a quick one.
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest tests/test_properties.py -p no:nbval -q

# Re-execute the notebooks with their default parameters and store the outputs (nbval's oracle).
store: $(STAMP)
	$(BIN)/aidlab run --store

benchmark: $(STAMP)
	$(BIN)/python benchmarks/bench_pipeline.py

clean-build:
	rm -rf build
