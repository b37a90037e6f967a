# Tangkas — the only commands a newcomer needs are `make run` and `make test`.
# Everything is installed into the project folder: uv into .tools/, the locked dependencies
# into .venv/. Nothing needs to be installed on the machine beyond Python >= 3.11 and make.

PYTHON ?= python3
UV_VERSION := 0.13.8
UV := .tools/bin/uv
PY := .venv/bin/python
SYNCED := .venv/.synced-$(UV_VERSION)

# The Node packages of the independent credential verifier and of the test OpenID Provider,
# installed from their lock files by `make test` when Node is there: npm ci when node_modules
# is missing or its .package-lock.json (npm writes it on every install) is older than the lock
# file. Without Node those tests say why they cannot run.
NPM := $(shell command -v npm 2>/dev/null)
NODE_PACKAGES := certificates/verifier tests/identity/provider
ifneq ($(NPM),)
NODE_INSTALLED := $(addsuffix /node_modules/.package-lock.json,$(NODE_PACKAGES))
endif

.PHONY: run test lint bench fuzz install messages clean-db help
.DEFAULT_GOAL := help

help:
	@echo "make run    set up everything and serve http://127.0.0.1:8000 (Ctrl-C stops all)"
	@echo "make test   set up everything and run the whole test suite"
	@echo "make lint   ruff check, ruff format --check, import layers, makemigrations --check"
	@echo "make bench  benchmarks (see docs/BENCHMARKS.md)"
	@echo "make fuzz   the HR API against its OpenAPI document, every check, ~10,000+ requests"

$(UV):
	@echo "[tangkas] Installing uv $(UV_VERSION) into .tools/ …"
	@$(PYTHON) -m venv .tools
	@.tools/bin/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

$(SYNCED): $(UV) pyproject.toml uv.lock
	@echo "[tangkas] Installing the locked dependencies into .venv/ …"
	@$(UV) sync --frozen --quiet
	@touch $@

install: $(SYNCED)

run: install
	@$(PY) scripts/run.py

%/node_modules/.package-lock.json: %/package-lock.json
	@echo "[tangkas] Installing the locked Node packages of $* (npm ci) …"
	@cd $* && $(NPM) ci --no-audit --no-fund --loglevel=error
	@touch $@

# The suite runs on every core (pytest-xdist; each worker has its own database, queue, ports);
# PYTEST_WORKERS=0 runs it in one process. Work stealing: a worker that runs out takes tests
# queued for the other, so the long browser and worker tests at the end do not leave a core
# idle.
PYTEST_WORKERS ?= auto

test: install $(NODE_INSTALLED)
	@$(PY) -m lms.catalogues
	@$(PY) -m pytest -n $(PYTEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	.venv/bin/lint-imports --no-cache
	DJANGO_SETTINGS_MODULE=lms.settings.test $(PY) manage.py makemigrations --check --dry-run

# Regenerate the catalogues from the source (needs GNU gettext; compiling them does not).
messages: install
	DJANGO_SETTINGS_MODULE=lms.settings.test $(PY) manage.py makemessages -l id --ignore=.venv --ignore=.tools --ignore=var

clean-db:
	rm -rf .devdb

# Benchmarks with budgets (docs/BENCHMARKS.md). BENCH_SIZES=10000 for a quick run.
bench: install
	@$(PY) bench/run.py

# The long property-based run of the HR API (docs/API.md, "The contract"): a fresh database,
# a real server, schemathesis with every check and every phase. FUZZ_EXAMPLES (default 300)
# examples per operation and phase, FUZZ_SEED for another run; reports in var/fuzz/.
fuzz: install
	@$(PY) -m lms.catalogues
	@$(PY) scripts/fuzz.py
