# The two commands a newcomer needs: `make run` and `make test`. See README.md.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
# PostgreSQL for the second test run: DATABASE_URL if set, else the local server.
PG_URL ?= $(or $(DATABASE_URL),postgresql://postgres@127.0.0.1:5432/test)
PYTEST_ARGS ?=

.PHONY: install run worker test lint mutate test-sqlite test-postgres bench clean system-deps messages

$(BIN)/.installed: pyproject.toml requirements.lock
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c requirements.lock -e '.[test]'
	touch $@

install: $(BIN)/.installed

# Install, migrate, load the demo (idempotent), then serve on 127.0.0.1:$(PORT): the web server
# and the background worker together (static files collected by serve when needed); Ctrl-C stops both.
run: install
	$(BIN)/cyberyouth migrate --noinput -v0
	$(BIN)/cyberyouth demo
	@echo "Mở http://127.0.0.1:$(PORT)/ — máy chủ web và tác vụ nền cùng chạy; Ctrl-C để dừng cả hai."
	PORT=$(PORT) $(BIN)/cyberyouth serve

worker: install
	$(BIN)/cyberyouth worker

# Lint (undefined/unused names, bugbear), then the whole suite on SQLite, then on PostgreSQL.
test: install lint test-sqlite test-postgres

# Modules mypy checks (strict ones are listed in pyproject.toml's [tool.mypy]); add a module once annotated.
TYPED := src/cyberyouth/errors.py src/cyberyouth/lib src/cyberyouth/orgs/selectors.py \
	src/cyberyouth/orgs/capabilities.py src/cyberyouth/orgs/decorators.py src/cyberyouth/monitoring/scope.py

lint: install
	$(BIN)/ruff check src tests
	$(BIN)/mypy $(TYPED)

# Mutation testing of the scope gate (slow: about an hour on two cores); survivors in mutants/.
mutate: install
	$(BIN)/python -m pip install -q "mutmut>=3.8"
	$(BIN)/mutmut run --max-children 2; $(BIN)/mutmut results

test-sqlite: install
	@echo "== tests on SQLite =="
	env -u DATABASE_URL $(BIN)/python -m pytest $(PYTEST_ARGS)

test-postgres: install
	@if $(BIN)/python -c "import psycopg,sys; psycopg.connect('$(PG_URL)', connect_timeout=3).close()" 2>/dev/null; then \
		echo "== tests on PostgreSQL =="; \
		DATABASE_URL='$(PG_URL)' $(BIN)/python -m pytest $(PYTEST_ARGS); \
	elif [ -n "$$CYBERYOUTH_REQUIRE_POSTGRES" ]; then \
		echo "== PostgreSQL required but not reachable at $(PG_URL) =="; exit 1; \
	else \
		echo "== PostgreSQL not reachable at $(PG_URL): skipped =="; \
	fi

bench: install
	$(BIN)/cyberyouth bench all

clean:
	rm -rf var .pytest_cache bench/results

# Debian packages some features need: chromium (browser tests), LibreOffice (PDF), poppler (PDF → PNG checks).
system-deps:
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium libreoffice-writer-nogui poppler-utils fonts-liberation

# Recompile the English catalog after editing src/cyberyouth/locale/en/LC_MESSAGES/django.po (needs gettext).
messages:
	msgfmt -o src/cyberyouth/locale/en/LC_MESSAGES/django.mo src/cyberyouth/locale/en/LC_MESSAGES/django.po
