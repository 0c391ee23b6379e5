# Two commands set everything up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PYTEST_ARGS ?=

.PHONY: install demo run serve test lint bench browser redis clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "$(PYTHON) not found; set PYTHON=/path/to/python3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when the dependency pins or the project metadata change.
$(STAMP): $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[test]"
	@touch $(STAMP)

install: $(STAMP)

## demo: crawl, extract and index the bundled sample site, then serve the API and pages.
demo: install
	$(BIN)/thidua run --sample
	$(BIN)/thidua serve

run: install
	$(BIN)/thidua run --sample

serve: install
	$(BIN)/thidua serve

## browser: Debian's Chromium for the browser tests (installed only when missing).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian chromium for the browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || echo "could not install chromium: browser tests will be skipped"; }

## redis: Debian's redis-server for the shared crawl frontier's tests and benchmark (installed only when
## missing; the tests start their own instance on a free loopback port, and fail under CI without it).
redis:
	@command -v redis-server >/dev/null 2>&1 || { \
	  echo "installing Debian redis-server for the frontier tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null) \
	  || echo "could not install redis-server: the frontier tests will be skipped (failed under CI)"; }

test: install browser redis lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy runtime thidua corpus extract search_api crawler

bench: install redis
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) var artifacts .pytest_cache
