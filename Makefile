# Set-up and common jobs. `make run` and `make test` work on a fresh machine with Python 3.11+.
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: setup run dashboard test system-deps bench

$(BIN)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/python -m pip install -q -e ".[test,batch,serve]"
	touch $@

setup: $(BIN)/.installed

# Run every shipped scenario for England and all 42 ICBs into results/.
run: setup
	$(BIN)/icb-model run assumptions.yaml scenarios/*.yaml --out results

# Serve the dashboard on http://127.0.0.1:8050/.
dashboard: setup
	$(BIN)/icb-model dashboard

# Debian packages the browser and workbook tests and the briefing's PDF need (installed when run as
# root with apt): WeasyPrint draws text with pango; the briefing embeds Liberation Sans.
system-deps:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v soffice >/dev/null || missing="$$missing libreoffice-calc-nogui"; \
	ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so.0 ' || missing="$$missing libpango-1.0-0"; \
	ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so.0 ' || missing="$$missing libpangoft2-1.0-0"; \
	[ -e /usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf ] || missing="$$missing fonts-liberation"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  else echo "note: install$$missing for the browser and workbook tests and the briefing's PDF (skipped without them)"; fi; \
	fi

# Lint (ruff) and type-check (mypy, strict on model/) before the tests; see pyproject.toml.
test: setup system-deps
	$(BIN)/ruff check model dashboard tests benchmarks
	$(BIN)/mypy
	$(BIN)/pytest

bench: setup
	for f in benchmarks/bench_*.py; do echo "== $$f"; $(BIN)/python $$f; done
