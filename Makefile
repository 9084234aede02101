# thermodiff: `make` runs everything from a fresh machine, `make test` runs the tests.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SNAKEMAKE := $(BIN)/snakemake
STAMP := $(VENV)/.installed
TEX_PACKAGES := latexmk texlive-latex-base texlive-latex-recommended texlive-fonts-recommended texlive-science poppler-utils

.PHONY: all env tex test smoke bench lint report clean-smoke help

all: env tex ## Set up and run the whole workflow on config/config.yaml -> results/paper/main.pdf
	$(SNAKEMAKE)

env: $(STAMP) ## Create .venv with the pinned requirements and the thermodiff package

$(STAMP): envs/requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r envs/requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $@

tex: ## Install TeX Live from Debian packages if pdflatex/latexmk are missing
	@if command -v latexmk >/dev/null && command -v pdflatex >/dev/null && command -v pdfinfo >/dev/null; then \
	  true; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "Installing TeX Live (Debian packages)..."; \
	  DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(TEX_PACKAGES) >/dev/null; \
	else \
	  echo "pdflatex/latexmk/pdfinfo not found and cannot install them here (needs root and apt-get)."; \
	  echo "Run:  sudo apt-get install $(TEX_PACKAGES)"; \
	  echo "(or install TeX Live with latexmk and poppler-utils by other means), then run make again."; \
	  exit 1; \
	fi

test: env tex ## Run the test suite: library, workflow (dry run, lint, smoke DAG)
	$(BIN)/python -m pytest

smoke: env tex ## Run the whole DAG on config/smoke.yaml (outputs in results/smoke/)
	$(SNAKEMAKE) --configfile config/smoke.yaml

bench: env ## Benchmarks (not timed tests); results in results/bench/
	@mkdir -p results/bench
	@for b in benchmarks/*.py; do [ -e "$$b" ] || continue; echo "== $$b"; $(BIN)/python "$$b" results/bench || exit 1; done

lint: env ## ruff, snakefmt and snakemake --lint
	$(BIN)/ruff check src scripts tests
	$(BIN)/snakefmt --check Snakefile workflow/rules
	$(SNAKEMAKE) --lint

report: env ## Snakemake's HTML report of the last run
	$(SNAKEMAKE) --report results/report.html

clean-smoke: ## Remove the smoke outputs
	rm -rf results/smoke

help: ## This list
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'
