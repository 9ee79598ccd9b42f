# One command sets up a fresh machine and runs the main job offline; one runs the whole test suite.
#   make demo   venv + system packages, offline refresh on the bundled sample archive, gap table,
#               and the office's brief (DOCX, HTML, PDF under data/briefs/)
#   make test   venv + system packages + PostgreSQL up, then the whole test suite
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
IPBENCH := $(VENV)/bin/ipbench

.PHONY: setup system demo test lint bench ui clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

system:
	bash scripts/setup-system.sh

setup: $(VENV)/.installed system

demo: setup
	$(IPBENCH) refresh
	$(IPBENCH) gap --region 淮南 --peers anhui
	$(IPBENCH) brief

test: setup
	bash scripts/ensure-postgres.sh
	IPBENCH_ARTEFACTS=$(CURDIR)/test-artifacts $(PY) -m pytest

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

bench: setup
	$(PY) bench/run.py

ui: setup
	DAGSTER_HOME=$${DAGSTER_HOME:-$(CURDIR)/data/dagster} $(VENV)/bin/dagster dev -w workspace.yaml

clean:
	rm -rf $(VENV) data build *.egg-info
