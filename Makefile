# Two commands a newcomer needs (see README): `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PYTEST_ARGS ?=

.PHONY: setup run test lint bench clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

setup: $(VENV)/.installed

# Serve the example programmes from examples/ on a SQLite file (volunteer.db) at http://127.0.0.1:8000
run: setup
	$(VENV)/bin/volunteer serve examples

# The whole test suite; VOLUNTEER_DATABASE_URL=postgresql+psycopg://… runs it on PostgreSQL.
test: setup
	$(PY) -m pytest -n 2 -q $(PYTEST_ARGS)

lint: setup
	$(VENV)/bin/ruff check engine plugins tests bench
	$(VENV)/bin/mypy

clean:
	rm -rf $(VENV) volunteer.db
