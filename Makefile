# Two commands for a newcomer: `make demo` and `make test`. Both set up .venv first.
# `make docs` builds the documentation (docs/, examples/) into docs/_build/html.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DOCS_STAMP := $(VENV)/.installed-docs

.PHONY: demo test bench bench-scale setup docs clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,all]'
	touch $(STAMP)

$(DOCS_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,all,docs]'
	touch $(DOCS_STAMP)

setup: $(STAMP)

demo: $(STAMP)
	$(BIN)/python -m gaussmix.demo

test: $(STAMP)
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python benchmarks/em_speed.py
	$(BIN)/python benchmarks/mclust_quality.py --seeds 3
	$(BIN)/python benchmarks/select_speed.py
	$(BIN)/python benchmarks/default_fit_speed.py
	$(BIN)/python benchmarks/bayesian_speed.py
	$(BIN)/python benchmarks/bayesian_quality.py
	$(BIN)/python benchmarks/online_em.py

# Out-of-core (a 4 GB .npy file in a temporary folder, removed after), Dask LocalCluster
# and Spark ML (when pyspark and Java are installed) numbers; not part of `make test`.
bench-scale: $(STAMP)
	$(BIN)/python benchmarks/scale.py

# Warnings are errors; the examples run during the build (matplotlib without a display).
docs: $(DOCS_STAMP)
	MPLBACKEND=Agg $(BIN)/python -m sphinx -W --keep-going -b html docs docs/_build/html
	@echo "documentation: docs/_build/html/index.html"

clean:
	rm -rf $(VENV) demo-output .pytest_cache build src/*.egg-info
	rm -rf docs/_build docs/generated docs/auto_examples docs/sg_execution_times.rst
