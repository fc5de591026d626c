# The README's commands. Each one creates the virtual environment it needs on first use.
#   make test              the whole suite on every supported Airflow minor, each in .venv-<minor>
#   make test AIRFLOW=3.2  the whole suite on one minor (any of $(AIRFLOW_MINORS))
#   make lint              ruff (rules and format) and mypy on every Python file (tests/ with unannotated fixtures allowed)
#   make docs              the documentation site (Sphinx, warnings as errors) into docs/_build/html
#   make release-check     build the sdist and wheel, twine check, install the wheel beside Airflow
#   make demo              the fulfillment example DAG against a local OrderMesh sandbox
#   make bench             the benchmarks and their figures table
#   make proofs            the reliability proofs, publishing their figures table for docs/reliability.md
#   make sandbox           a sandbox in the foreground (Ctrl-C stops it)
#
# The supported minors are the constraints files requirements/airflow-<minor>.txt: supporting a
# new minor is a new file there (pyproject.toml caps Airflow below 4 only). A beta's file pins
# its pre-release exactly, which pip installs without --pre (an exact pin admits a pre-release).

PYTHON ?= python3
AIRFLOW_MINORS := $(sort $(patsubst requirements/airflow-%.txt,%,$(wildcard requirements/airflow-*.txt)))
LATEST         := $(lastword $(AIRFLOW_MINORS))
AIRFLOW        ?= $(AIRFLOW_MINORS)

# The development venv (demo, bench, lint, sandbox) runs the newest supported minor.
VENV ?= .venv
BIN  := $(VENV)/bin
EXTRAS := .[test,benchmarks,deployment]

# A venv is (re)installed when pyproject.toml or its constraints file changes.
installed = $(1)/.installed-$(shell cat pyproject.toml requirements/airflow-$(2).txt | cksum | cut -d' ' -f1)
define install
	@test -x $(1)/bin/python || $(PYTHON) -m venv $(1)
	$(1)/bin/python -m pip install --quiet --upgrade pip
	$(1)/bin/python -m pip install --quiet -c requirements/airflow-$(2).txt -e "$(EXTRAS)"
	@rm -f $(1)/.installed-* && touch $(call installed,$(1),$(2))
endef

STAMP := $(call installed,$(VENV),$(LATEST))

.PHONY: install test lint docs release-check demo bench proofs sandbox clean $(addprefix venv-,$(AIRFLOW_MINORS))

install: $(STAMP)

$(STAMP): pyproject.toml requirements/airflow-$(LATEST).txt
	$(call install,$(VENV),$(LATEST))

# venv-3.2 installs .venv-3.2 with Airflow 3.2 (as pinned by requirements/airflow-3.2.txt).
$(foreach minor,$(AIRFLOW_MINORS),$(eval venv-$(minor): $(call installed,.venv-$(minor),$(minor))))
$(foreach minor,$(AIRFLOW_MINORS),$(eval $(call installed,.venv-$(minor),$(minor)): pyproject.toml requirements/airflow-$(minor).txt ; $$(call install,.venv-$(minor),$(minor))))

test:
	@$(PYTHON) scripts/test_matrix.py $(AIRFLOW)

# REUSE_VENV=1 runs the demo with $(VENV) as it is, without (re)installing it: the test that follows the
# README's commands in a fresh clone reuses the venv it runs in.
demo: $(if $(REUSE_VENV),,$(STAMP))
	$(BIN)/python scripts/demo.py

bench: $(STAMP)
	$(BIN)/python -m benchmarks

proofs: $(STAMP)
	$(BIN)/python -m pytest tests/reliability tests/properties -q --publish-proofs docs/generated/reliability-proofs.md

sandbox: $(STAMP)
	$(BIN)/ordermesh-sandbox --port 0

lint: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[lint]"
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

docs: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[docs]"
	$(BIN)/python scripts/sync_readme.py --check
	$(BIN)/python -m sphinx -W --keep-going -q -b html docs docs/_build/html

release-check: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[release]"
	$(BIN)/python scripts/check_release.py

clean:
	rm -rf $(VENV) $(addprefix .venv-,$(AIRFLOW_MINORS)) build dist docs/_build *.egg-info
