# One-command set-up: every target installs what it needs into .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
VICON_PORT ?= 5000
DEBIAN_PACKAGES := $(shell grep -v '^\#' debian-packages.txt)

.PHONY: install run worker test lint graph bench clean system-check

$(STAMP): setup.cfg pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

# Front-end libraries (bpmn-js) come from the npm registry, pinned by the lock file.
NODE_STAMP := node_modules/.installed
$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { echo "vicon needs npm (Debian: apt-get install -y npm)" >&2; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

install: $(STAMP) $(NODE_STAMP)

# Letters need Debian libraries pip cannot install: name the missing ones and stop.
system-check:
	@command -v dpkg-query >/dev/null || exit 0; missing=""; \
	for p in $(DEBIAN_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "vicon needs these Debian packages (WeasyPrint, fonts):$$missing" >&2; \
	  echo "install them as root: apt-get install -y$$missing" >&2; exit 1; \
	fi

run: system-check $(STAMP) $(NODE_STAMP)
	VICON_PORT=$(VICON_PORT) VICON_DEMO_HISTORY=$${VICON_DEMO_HISTORY:-1} $(BIN)/python -m api.entrypoints.serve

worker: system-check $(STAMP)
	$(BIN)/python -m api.entrypoints.worker

# Two passes: the suite on every core (pytest-xdist; each process has its own PostgreSQL
# database), then alone what measures timing, restarts the database server or drives Chromium.
TEST_PROCESSES ?= auto
test: system-check $(STAMP) $(NODE_STAMP) lint
	$(BIN)/python -m pytest -n $(TEST_PROCESSES) --ignore=tests/load --ignore=tests/e2e
	$(BIN)/python -m pytest tests/load tests/e2e

# The rules of imports (setup.cfg [importlinter]) and the types (setup.cfg [mypy]).
lint: $(STAMP)
	$(BIN)/lint-imports
	$(BIN)/mypy

# The engine's import graph, drawn from the code into README.md's layout section.
graph: $(STAMP)
	$(BIN)/python -m tools.import_graph --readme README.md

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run

clean:
	rm -rf $(VENV) instance .pytest_cache .mypy_cache .import_linter_cache .grimp_cache
