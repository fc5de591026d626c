# The README's commands. Each one creates the virtual environment on first use.
#   make demo       run the fulfillment example DAG against a local OrderMesh sandbox
#   make test       run the whole test suite (this is what .ci/run calls)
#   make bench      run the benchmarks and print the figures table
#   make sandbox    start a sandbox in the foreground (Ctrl-C stops it)
#   make lint       ruff (rules and format) and mypy on the package

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml requirements/constraints.txt | cksum | cut -d' ' -f1)

.PHONY: install demo test bench sandbox lint clean

install: $(STAMP)

$(STAMP): pyproject.toml requirements/constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements/constraints.txt -e ".[test,benchmarks]"
	@rm -f $(VENV)/.installed-* && touch $@

demo: $(STAMP)
	$(BIN)/python scripts/demo.py

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python -m benchmarks

sandbox: $(STAMP)
	$(BIN)/ordermesh-sandbox --port 0

lint: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[lint]"
	$(BIN)/ruff check airflow_provider_ordermesh
	$(BIN)/ruff format --check airflow_provider_ordermesh
	$(BIN)/mypy

clean:
	rm -rf $(VENV) build *.egg-info
