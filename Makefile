# The two quickstart commands: `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# The demo runs with DEBUG on and a throwaway key; production sets its own.
DEMO_ENV := DEBUG=1 SECRET_KEY=demo-only-not-secret WAGTAILADMIN_BASE_URL=http://$(HOST):$(PORT)
# Setting up, Wagtail's own tasks (search index) run inline; the server's go to the worker.
# Its log says warnings and errors only: the importer's progress is what a new user reads.
SETUP_ENV := $(DEMO_ENV) TASKS_BACKEND=django_tasks.backends.immediate.ImmediateBackend LOG_LEVEL=WARNING

.PHONY: install demo demo-data serve test lint browser wget pywb bench-importer bench-importer-resume bench-feeds bench-discovery bench-sites bench-production wrk clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	PIP_DISABLE_PIP_VERSION_CHECK=1 $(BIN)/python -m pip install --quiet --upgrade pip
	PIP_DISABLE_PIP_VERSION_CHECK=1 $(BIN)/python -m pip install --quiet -e ".[site,test]"
	touch $@

demo-data: install
	$(SETUP_ENV) $(BIN)/python manage.py migrate --noinput -v 0
	$(SETUP_ENV) $(BIN)/python manage.py createcachetable -v 0
	$(SETUP_ENV) $(BIN)/python manage.py create_project_site --hostname $(HOST) --port $(PORT)
	$(SETUP_ENV) $(BIN)/python manage.py import_legacy sample/legacy-site --origin http://inno.baltmet.org/pub/
	@# createsuperuser fails when the demo user exists already; that is fine.
	@$(SETUP_ENV) DJANGO_SUPERUSER_PASSWORD=admin $(BIN)/python manage.py createsuperuser \
		--noinput --username admin --email admin@example.com >/dev/null 2>&1 || true

demo: demo-data
	@# A demo serving already (a second `make demo`): its data is updated, and it serves it.
	@if $(BIN)/python -c "import socket, sys; sys.exit(socket.socket().connect_ex(('$(HOST)', $(PORT))))"; then \
		echo ""; \
		echo "  $(HOST):$(PORT) is in use (a demo serving already?): the data is updated, not served again."; \
		echo "  It is at http://$(HOST):$(PORT)/; to serve a second one: make demo PORT=8001"; \
		exit 0; \
	fi; \
	$(MAKE) --no-print-directory serve

serve:
	@echo ""
	@echo "  Site:   http://$(HOST):$(PORT)/   (old links too: http://$(HOST):$(PORT)/pub/index.php?id=209)"
	@echo "  Admin:  http://$(HOST):$(PORT)/admin/   (user admin, password admin)"
	@echo "  API:    http://$(HOST):$(PORT)/api/v2/pages/?type=cms.NewsPage&fields=*"
	@echo "          http://$(HOST):$(PORT)/api/v3/docs/"
	@echo "  Feeds:  http://$(HOST):$(PORT)/feeds/"
	@echo "  Background tasks (hub pings, scheduled publishing, search index): a worker beside the server"
	@echo ""
	$(DEMO_ENV) $(BIN)/python manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(DEMO_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

lint: install
	$(BIN)/ruff check .
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run

# Browser tests drive Debian's Chromium; install it when we may (root), never a downloaded browser.
browser:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
	{ [ "$$(id -u)" = 0 ] && apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; } || \
	echo "Chromium is missing: apt-get install chromium chromium-driver (browser tests skip without it)"

# The web archive tests record a site with Debian's wget --warc-file; install it when we may.
wget:
	@command -v wget >/dev/null || \
	{ [ "$$(id -u)" = 0 ] && apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wget >/dev/null; } || \
	echo "wget is missing: apt-get install wget (the WARC recording test skips without it)"

# The Wayback source is tested against a real pywb. pywb pins old releases of redis and
# fakeredis that the site cannot use, so it gets a virtualenv of its own.
PYWB_VENV ?= .venv-pywb
pywb: $(PYWB_VENV)/bin/wayback

$(PYWB_VENV)/bin/wayback:
	$(PYTHON) -m venv $(PYWB_VENV)
	$(PYWB_VENV)/bin/python -m pip install --quiet pywb

# The whole suite, then the cms tests with cms installed alone (it must not need the other apps).
test: lint browser wget pywb
	$(BIN)/pytest
	$(BIN)/pytest -q tests/cms --ds=tests.settings_cms_only

bench-importer: install
	DEBUG=1 $(BIN)/python bench/importer/run.py

bench-importer-resume: install
	DEBUG=1 $(BIN)/python bench/importer/resume.py

# Needs PostgreSQL and Redis: set DATABASE_URL and REDIS_URL (see the README).
bench-feeds: install
	DEBUG=1 $(BIN)/python bench/feeds/run.py

# Needs PostgreSQL (the search target is its): set DATABASE_URL (see the README).
bench-discovery: install
	$(BIN)/python bench/discovery/run.py

# Needs PostgreSQL: set DATABASE_URL (see the README).
bench-sites: install
	$(BIN)/python bench/sites/run.py

# Debian's wrk for the load benchmarks, installed when we may (root).
wrk:
	@command -v wrk >/dev/null || \
	{ [ "$$(id -u)" = 0 ] && apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; } || \
	echo "wrk is missing: apt-get install wrk"

# Two gunicorn instances and the task worker. Needs PostgreSQL and Redis:
# set DATABASE_URL and REDIS_URL (see the README).
bench-production: install wrk
	$(BIN)/python bench/production/run.py

clean:
	rm -rf $(VENV) $(PYWB_VENV) db.sqlite3 db.sqlite3.import*.lock media static .pytest_cache .ruff_cache
