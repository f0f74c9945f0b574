# Two commands matter: `make run` and `make test`. Both create .venv and install what they need.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
APP_STAMP := $(VENV)/.app-stamp
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint typecheck bench install clean

# `make run` installs only what running needs; the test tools come with `make test` (or `make install`).
$(APP_STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $(APP_STAMP)

$(STAMP): $(APP_STAMP)
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(APP_STAMP)
	$(BIN)/mentor-circles db upgrade
	$(BIN)/mentor-circles start

test: $(STAMP)
	$(BIN)/pytest -q -n auto

typecheck: $(STAMP)
	$(BIN)/mypy

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: $(STAMP)
	$(BIN)/python -m bench.latency.run
	$(BIN)/python -m bench.latency.mixed  # SQLite, and PostgreSQL too when TEST_DATABASE_URL is set
	$(BIN)/python -m bench.faq.run
	$(BIN)/python -m bench.matching.run
	$(BIN)/python -m bench.sandbox.run
	$(BIN)/python -m bench.fanout.run  # needs PostgreSQL (TEST_DATABASE_URL)
	$(BIN)/python -m bench.simulation.year  # a 40-member academic year on the sandbox clock (~8 min)

clean:
	rm -rf $(VENV) .pytest_cache mentor-circles.db*
