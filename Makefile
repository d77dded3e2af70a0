# Zhifa — the two commands a newcomer needs: `make run` and `make test`.
UV := python3 -m uv
PY := $(UV) run --frozen python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup lint migrate demo serve system-deps browser-deps bench clean

run: setup system-deps migrate demo serve ## install, migrate, load demo data, serve at http://127.0.0.1:8000/

test: setup system-deps ## the whole suite (DATABASE_URL selects SQLite or PostgreSQL)
	$(PY) manage.py makemigrations --check --dry-run
	$(UV) run --frozen pytest

setup:
	@python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet "uv>=0.5"
	$(UV) sync --frozen --quiet

migrate:
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0

demo:
	$(PY) manage.py load_demo

# The huey consumer (deadline warnings and other periodic work) runs beside gunicorn and stops with it.
serve:
	@echo "Zhifa 正在运行：http://$(HOST):$(PORT)/  （工作台：http://$(HOST):$(PORT)/staff/ ；Ctrl+C 停止）"
	$(PY) manage.py run_huey --quiet & consumer=$$!; trap 'kill $$consumer 2>/dev/null' EXIT INT TERM; \
	$(UV) run --frozen gunicorn zhifa.wsgi --bind $(HOST):$(PORT) --workers 3 --access-logfile -

lint: setup
	$(UV) run --frozen ruff check .
	$(UV) run --frozen ruff format --check .

# Debian packages the app and its tests need (never a downloaded binary): Chromium drives the
# browser tests, Noto CJK renders Chinese, LibreOffice Writer turns 文书 (docx) into PDF, and
# poppler-utils (pdftotext) lets the tests read the PDFs back, Graphviz draws the 执法流程图.
SYSTEM_PACKAGES := chromium fonts-noto-cjk libreoffice-writer-nogui poppler-utils graphviz
system-deps:
	@test -x /usr/bin/chromium && fc-list 2>/dev/null | grep -q "Noto Sans CJK" && \
		command -v soffice >/dev/null && command -v pdftotext >/dev/null && command -v dot >/dev/null || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null)

browser-deps: system-deps

bench: setup
	$(PY) bench/portal_search.py

clean:
	rm -rf var .venv
