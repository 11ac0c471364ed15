# Two commands set everything up on a fresh machine with Python 3.11:
#   make run   create .venv, install, migrate, load the reference data and seeds/, serve on SQLite
#   make test  install the dev requirements and run the whole suite
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000

BIND ?= 127.0.0.1:8000
WORKERS ?= $(shell echo $$(( $$(nproc) * 2 + 1 )))

.PHONY: run serve test install install-dev migrate seed lint format clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

migrate: install
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	$(BIN)/python manage.py loaddata fixtures/*.json
	$(BIN)/python manage.py load_articles seeds/
	$(BIN)/python manage.py reindex_visits  # the glossary may have moved topics in the tree

run: seed
	$(BIN)/python manage.py runserver $(HOST)

# Production: DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and a postgres:// DATABASE_URL must be set.
serve: install
	@case "$$DATABASE_URL" in postgres*) ;; *) echo "make serve runs on PostgreSQL: set DATABASE_URL=postgres://..." >&2; exit 1;; esac
	DJANGO_DEBUG=0 $(BIN)/python manage.py collectstatic --noinput
	DJANGO_DEBUG=0 $(BIN)/python manage.py migrate --noinput
	DJANGO_DEBUG=0 $(BIN)/gunicorn config.wsgi --bind $(BIND) --workers $(WORKERS) --worker-class gthread \
		--threads 4 --access-logfile - --forwarded-allow-ips "$${FORWARDED_ALLOW_IPS:-127.0.0.1}" \
		--no-control-socket

test: install-dev
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
