# Two commands on a fresh machine with Python 3.11+:
#   make run    install the reader into .venv and open the bundled library
#   make test   install the test tools into .venv and run the whole suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint bench stress clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

run: $(VENV)/.installed-run
	$(BIN)/reader

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest -q

# The randomised fault and timing tests at full strength (20 rounds each; a few in
# `make test`). READER_STRESS_ROUNDS=N sets the rounds for any pytest run.
STRESS_TESTS := tests/test_catalog_faults.py tests/test_tui_faults.py tests/test_pool.py \
	tests/test_userdata_stress.py
stress: $(VENV)/.installed-test
	READER_STRESS_ROUNDS=20 $(BIN)/python -m pytest -q $(STRESS_TESTS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff format --check reader tests benchmarks
	$(BIN)/ruff check reader tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: $(VENV)/.installed-test
	$(BIN)/python benchmarks/run.py

# Mutation testing of user data, sanitize, search folding, grouping, paragraph positioning
# and languages (tests/mutation.py; one group at a time, one test process: slow, not CI).
# MUTATE="search grouping" runs only those groups.
mutate: $(VENV)/.installed-test
	$(BIN)/python -m tests.mutation $(MUTATE)

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache .mutmut
