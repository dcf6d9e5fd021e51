# Two commands a newcomer needs (see README): `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PYTEST_ARGS ?=

.PHONY: setup run test lint bench clean i18n

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
# The 15 slowest tests are listed at the end (where the CI budget goes). The long tests run first
# (tests/conftest.py) and an idle worker takes tests queued for the other (--dist worksteal).
test: setup
	$(PY) -m pytest -n 2 --dist worksteal -q --durations=15 $(PYTEST_ARGS)

lint: setup
	$(VENV)/bin/ruff check engine plugins tests bench
	$(VENV)/bin/mypy

clean:
	rm -rf $(VENV) volunteer.db

# Refresh the pages' translation catalogues (engine/web/locale) after changing page texts:
# extract, merge into the .po files, compile the committed .mo files (a test checks they are current).
i18n: setup
	$(VENV)/bin/pybabel -q extract -F engine/web/babel.cfg -k N_ -k gettext:2 -o engine/web/locale/messages.pot --no-location --omit-header .
	$(VENV)/bin/pybabel -q update -i engine/web/locale/messages.pot -d engine/web/locale --no-fuzzy-matching
	$(VENV)/bin/pybabel -q compile -d engine/web/locale --use-fuzzy
