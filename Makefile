# Two commands matter: `make run` and `make test`. Both create .venv and install what they need.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint bench install clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/mentor-circles db upgrade
	$(BIN)/mentor-circles start

test: $(STAMP)
	$(BIN)/pytest -q -n auto

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: $(STAMP)
	$(BIN)/python -m bench.latency.run
	$(BIN)/python -m bench.faq.run
	$(BIN)/python -m bench.matching.run
	$(BIN)/python -m bench.sandbox.run
	$(BIN)/python -m bench.fanout.run  # needs PostgreSQL (TEST_DATABASE_URL)

clean:
	rm -rf $(VENV) .pytest_cache mentor-circles.db*
