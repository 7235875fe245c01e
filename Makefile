# Two commands work on a fresh machine: `make site` and `make test`. Everything they need is
# installed here, into .venv (Python packages); later stages add Debian packages the same way.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
EXAMPLES := data examples/zaozhuang
SYSTEM_PACKAGES := git:git

.PHONY: setup site validate docs test lint typecheck pytest bench format clean

$(STAMP): pyproject.toml scripts/install-system-deps.sh
	scripts/install-system-deps.sh $(SYSTEM_PACKAGES)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

setup: $(STAMP)

## site: validate both examples and build the site into site/
site: validate docs

validate: setup
	@for d in $(EXAMPLES); do echo "== bulletin validate --data $$d"; $(VENV)/bin/bulletin validate --data $$d || exit 1; done

docs: setup
	$(VENV)/bin/mkdocs build --strict --site-dir site

## test: linters, type checks and every test
test: lint typecheck pytest

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: setup
	$(VENV)/bin/mypy

pytest: setup
	$(VENV)/bin/pytest -n 2 -q

format: setup
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## bench: speed and memory at national scale; results in benchmarks/RESULTS.md
bench: setup
	$(PY) benchmarks/run.py

clean:
	rm -rf site .pytest_cache .mypy_cache .ruff_cache
