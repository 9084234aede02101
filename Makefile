# thermodiff: `make` runs everything from a fresh machine, `make test` runs the tests.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SNAKEMAKE := $(BIN)/snakemake
STAMP := $(VENV)/.installed
# Every Debian package the paper build opens a file of (tests/workflow/test_environment.py checks
# the LaTeX recorder file against the hard dependencies of this list): lmodern is only *recommended*
# by the texlive packages, and apt-get runs with --no-install-recommends.
TEX_PACKAGES := latexmk texlive-latex-base texlive-latex-recommended texlive-fonts-recommended texlive-science lmodern poppler-utils
# Extra config files merged over config/config.yaml: make CONFIG=my.yaml (several: CONFIG="a.yaml b.yaml")
DOT_PACKAGES := graphviz
# Headless browser of the HTML-report test (tests/workflow/test_audit.py), installed by `make test-all`
TEST_PACKAGES := chromium
CONFIG ?=
CONFIG_ARGS := $(if $(strip $(CONFIG)),--configfile $(CONFIG))
# The library of this checkout, for the checks run before Snakemake
CHECKOUT_PY := PYTHONPATH=src$(if $(PYTHONPATH),:$(PYTHONPATH)) $(BIN)/python

.PHONY: all env tex test test-all test-slurm smoke bench lint report arxiv audit clean-smoke help check-config unlock-stale

all: env tex check-config unlock-stale ## Set up and run the whole workflow on config/config.yaml (+ CONFIG) -> results/paper/main.pdf
	$(SNAKEMAKE) $(CONFIG_ARGS)

check-config: env ## Check config/config.yaml and CONFIG before any job (YAML errors with file:line, every bad key)
	@$(CHECKOUT_PY) -m thermodiff.config_check $(CONFIG_ARGS)

unlock-stale: env ## Remove Snakemake locks left by a killed run (never while a Snakemake runs here)
	@$(CHECKOUT_PY) -m thermodiff.stale_lock .

env: $(STAMP) ## Create .venv with the pinned requirements and the thermodiff package

$(STAMP): envs/requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r envs/requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $@

tex: ## Install the TeX Live packages of TEX_PACKAGES and Graphviz (Debian) that are missing
	@if command -v dpkg-query >/dev/null; then \
	  missing=""; \
	  for p in $(TEX_PACKAGES) $(DOT_PACKAGES); do \
	    dpkg-query -W -f='$${Status}' "$$p" 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	  done; \
	  if [ -z "$$missing" ]; then exit 0; fi; \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing TeX Live (Debian packages):$$missing"; \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  else \
	    echo "Missing Debian packages:$$missing (installing them needs root)."; \
	    echo "Run:  sudo apt-get install --no-install-recommends$$missing   then run make again."; \
	    exit 1; \
	  fi; \
	elif command -v latexmk >/dev/null && command -v pdfinfo >/dev/null && kpsewhich lmodern.sty >/dev/null; then \
	  true; \
	else \
	  echo "Not a Debian system: install TeX Live (pdflatex, latexmk and the LaTeX packages of paper/main.tex,"; \
	  echo "lmodern included) and poppler-utils (pdfinfo) by other means, then run make again."; \
	  exit 1; \
	fi

# pytest options for both tiers, e.g. make test PYTEST_ARGS="-x -k smoke" or PYTEST_ARGS=--reverse
PYTEST_ARGS ?=
test: env tex ## Fast tier, after each change: unit tests, lint, end-to-end tests on one smoke build
	$(BIN)/python -m pytest -m "not slow" $(PYTEST_ARGS)

test-all: env tex ## Both tiers (CI): adds faults, resume, rerun matrix, two clean builds, audit faults, environment
	@command -v chromium >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(TEST_PACKAGES) >/dev/null; } || \
	  echo "chromium not installed: the HTML-report test will be skipped"
	$(BIN)/python -m pytest $(PYTEST_ARGS)

smoke: env tex unlock-stale ## Run the whole DAG on config/smoke.yaml (outputs in results/smoke/)
	@$(CHECKOUT_PY) -m thermodiff.config_check --configfile config/smoke.yaml
	$(SNAKEMAKE) --configfile config/smoke.yaml

BENCH_CASES ?= full2,full1,smoke,noop
BENCH_TIERS ?= fast,all
bench: env tex ## Benchmarks (not timed tests): REM kernel, whole pipeline, smoke DAG, test tiers; tables in results/bench/
	@mkdir -p results/bench
	$(BIN)/python benchmarks/rem_kernel.py results/bench
	$(BIN)/python benchmarks/pipeline.py results/bench --cases $(BENCH_CASES)
	$(BIN)/python benchmarks/tests.py results/bench --tiers $(BENCH_TIERS)
	@$(BIN)/python benchmarks/table.py results/bench

# Hard limit of `make test-slurm` in seconds: the installs, a local and a SLURM smoke run (620 s in
# all on an idle 2-core machine), with room for a slower CI machine
SLURM_TEST_TIMEOUT ?= 1500
test-slurm: env ## The smoke DAG through a real single-node SLURM on localhost (root; installs SLURM)
	timeout -k 30 $(SLURM_TEST_TIMEOUT) tests/slurm/run_slurm_smoke.sh

lint: env ## ruff, snakefmt and snakemake --lint
	$(BIN)/ruff check src scripts tests benchmarks
	$(BIN)/snakefmt --check Snakefile workflow/rules
	$(SNAKEMAKE) --lint

# The results root of the merged config files (where `make report` writes)
RESULTS_ROOT = $$($(CHECKOUT_PY) -c 'import sys; from thermodiff.config_check import merged_config; print(merged_config(sys.argv[1:]).get("results", "results"))' $(CONFIG))
report: env tex check-config ## Snakemake's HTML report (figures by stage with captions, claims, paper, each rule's code, run times): <results>/report.html (CONFIG=config/smoke.yaml)
	$(SNAKEMAKE) $(CONFIG_ARGS)
	$(SNAKEMAKE) $(CONFIG_ARGS) --report "$(RESULTS_ROOT)/report.html"

# The target goes before CONFIG_ARGS: --configfile takes every word after it as a settings file
arxiv: env tex check-config unlock-stale ## arXiv source of the paper: <results>/arxiv/thermodiff-arxiv.tar.gz and the folder (CONFIG=config/smoke.yaml)
	$(SNAKEMAKE) arxiv $(CONFIG_ARGS)

audit: env ## Lineage and verification: make audit F=results/figures/<fig_id>.pdf (or F=paper, F="claim <id>", F="value <key>"; CONFIG=config/smoke.yaml)
	$(BIN)/thermodiff audit $(F) $(CONFIG_ARGS)

clean-smoke: ## Remove the smoke outputs
	rm -rf results/smoke

help: ## This list
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'
