# One entry point for readers, editors and CI. Every target bootstraps .venv/
# from the locked requirements when it is missing or older than them.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.requirements-installed
PORT ?= 8000
DESK_PORT ?= 8081
HOST ?= 127.0.0.1
CONTENT ?= content
OUTPUT ?= output
PELICANOPTS ?=

.PHONY: help venv node lock html serve edit publish test lint test-js browser search import new \
        check fix clean bench-import bench-relevance bench-scale bench-browser bench-reader \
        bench-catalog bench-known-item bench-deps bytecode

help:
	@echo "make serve     build the site from $(CONTENT)/ and serve it at http://$(HOST):$(PORT)"
	@echo "make test      set up everything the tests need and run the whole suite"
	@echo "make edit      the same, with the editors' desk at http://$(HOST):$(PORT)/admin/"
	@echo "make html      build only          make publish   build with publishconf.py"
	@echo "make search Q='...'   make import SRC='...'   make new TITLE='...'   make check   make fix"
	@echo "               (import and new write drafts, Status: draft; add PUBLISH=1 to publish at once)"

# The lock first: every package at its exact version, each file checked against
# its hash. --no-deps: the lock already lists every dependency, and pip's hash mode
# would otherwise refuse a dependency asked for with an extra (justext wants
# lxml[html_clean]) as "not pinned"; `pip check` then proves the set complete.
# Then the project itself in a second call: editable, no dependencies of its own
# (they are in the lock), built with the locked setuptools so no build environment
# is downloaded. It cannot join the first call: a local project has no hash. The
# editable install maps each package by name: a new package reinstalls it.
PIP := $(BIN)/python -m pip install -q --disable-pip-version-check
LOCKED := $(PIP) --no-deps --require-hashes -r
$(STAMP): requirements.txt pyproject.toml $(wildcard plugins/*/__init__.py plugins/lib/*/__init__.py benchmarks/*/__init__.py)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(LOCKED) requirements.txt
	$(PIP) --no-deps --no-build-isolation -e .
	$(BIN)/python -m pip check -q
	@# pip compiles what it installs, but not an editable project: compile the plugins
	@# once here, so a build does not recompile them where PYTHONDONTWRITEBYTECODE is set.
	$(BIN)/python -m compileall -q plugins
	@touch $@

# The locks, generated from pyproject.toml's dependencies by uv (installed into
# .venv as a tool; nothing else uses it): requirements.txt holds runtime, test and
# build, requirements-bench.txt the same plus the benchmark extra. Versions
# already locked stay unless UPGRADE=1 (`make lock UPGRADE=1`); both resolve for
# CI's Python 3.11 on Linux, with the hashes of every file of each version.
UV_VERSION := 0.13.9
UPGRADE ?=
LOCK := $(BIN)/uv pip compile pyproject.toml --quiet --generate-hashes \
        --python-version 3.11.5 --python-platform linux --custom-compile-command "make lock" \
        $(if $(filter 1 yes true,$(UPGRADE)),--upgrade)

lock:
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) uv==$(UV_VERSION)
	$(LOCK) --extra test --extra build -o requirements.txt
	$(LOCK) --extra test --extra build --extra bench -c requirements.txt -o requirements-bench.txt

venv: $(STAMP)

# Node tools from package-lock.json: esbuild (minifies the built JavaScript,
# plugins/minify_assets) and axe-core (accessibility checks in the browser tests).
NODE_STAMP := node_modules/.package-lock.json
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

node: $(NODE_STAMP)

html: $(STAMP) $(NODE_STAMP)
	$(BIN)/python scripts/build.py $(CONTENT) -o $(OUTPUT) -s pelicanconf.py $(PELICANOPTS)

# Builds, serves, and rebuilds on change through scripts/build.py (scripts/serve.py says
# why not `pelican --autoreload --listen`). A broken file leaves the last good site served.
serve: $(STAMP) $(NODE_STAMP)
	$(BIN)/python scripts/serve.py $(CONTENT) -o $(OUTPUT) -s pelicanconf.py --bind $(HOST) --port $(PORT) $(PELICANOPTS)

# The site preview and the editors' desk (/admin/) with decap-server, both on 127.0.0.1
# (DESK_GIT=1: every save is also a commit).
edit: html
	$(BIN)/python scripts/edit.py $(CONTENT) --host $(HOST) --port $(PORT) --desk-port $(DESK_PORT) $(if $(DESK_GIT),--git)

publish: $(STAMP) $(NODE_STAMP)
	$(BIN)/python scripts/build.py $(CONTENT) -o $(OUTPUT) -s publishconf.py $(PELICANOPTS)

# Debian's Chromium drives the browser tests (Playwright cannot download browsers here).
browser:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium chromium-driver; }

# Lint and formatting (settings in pyproject.toml); `ruff format .` fixes the latter.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test-js:
	node --test tests/js/

test: $(STAMP) $(NODE_STAMP) browser lint test-js
	$(BIN)/python -m pytest

search: $(STAMP)
	$(BIN)/python scripts/search.py "$(Q)"

# New and imported stories are drafts (Status: draft) unless PUBLISH=1;
# IMPORTOPTS passes other options to import_news.py (IMPORTOPTS="--dry-run --json").
PUBLISH ?=
IMPORTOPTS ?=
PUBLISH_FLAG = $(if $(filter 1 yes true,$(PUBLISH)),--publish)

import: $(STAMP)
	$(BIN)/python scripts/import_news.py --content "$(CONTENT)" $(PUBLISH_FLAG) $(IMPORTOPTS) $(SRC)

new: $(STAMP)
	$(BIN)/python scripts/new_article.py --content "$(CONTENT)" $(PUBLISH_FLAG) $(if $(MODELS),--models "$(MODELS)") "$(TITLE)"

check: $(STAMP)
	$(BIN)/python scripts/check_content.py $(CONTENT)

fix: $(STAMP)
	$(BIN)/python scripts/check_content.py --fix $(CONTENT)

# Public test sets (not in the repository): make bench-import TRAFILATURA_EVAL=…/tests
# HTMLDATE_EVAL=…/tests DANIEL_EVAL=…/Corpus_daniel_v2.1 (BENCHOPTS=--ablation: each step off)
# SCRAPINGHUB_EVAL=…/article-extraction-benchmark READABILITY_EVAL=…/readability/test: held-out sets
# WCXB_EVAL=…/web-content-extraction-benchmark (its test/ split): held out since issue 22;
# WCXB_SPLIT=dev scores its development split (dev/) instead, whose pages may be read
# HELDOUT_VN=DIR: held-out Vietnamese pages (benchmarks/heldout-vn/README.md says how to get them)
# Benchmarks time Python processes: compile every module first, so that no timed process
# compiles a module changed since the last run (PYTHONDONTWRITEBYTECODE, where it is set, would
# otherwise leave the bytecode of the last `make venv` in place and every process compiling again).
bytecode: $(STAMP)
	env -u PYTHONDONTWRITEBYTECODE $(BIN)/python -m compileall -q plugins scripts benchmarks

bench-import: $(STAMP) bytecode
	nice -n 10 $(BIN)/python benchmarks/bench_import.py \
		$(if $(TRAFILATURA_EVAL),--trafilatura-eval $(TRAFILATURA_EVAL)) \
		$(if $(HTMLDATE_EVAL),--htmldate-eval $(HTMLDATE_EVAL)) \
		$(if $(DANIEL_EVAL),--daniel $(DANIEL_EVAL)) \
		$(if $(SCRAPINGHUB_EVAL),--scrapinghub $(SCRAPINGHUB_EVAL)) \
		$(if $(READABILITY_EVAL),--readability $(READABILITY_EVAL)) \
		$(if $(WCXB_EVAL),--wcxb $(WCXB_EVAL)) $(if $(WCXB_SPLIT),--wcxb-split $(WCXB_SPLIT)) \
		$(if $(HELDOUT_VN),--heldout-vn $(HELDOUT_VN)) $(BENCHOPTS)

bench-relevance: $(STAMP) $(NODE_STAMP) bytecode
	nice -n 10 $(BIN)/python benchmarks/bench_relevance.py $(BENCHOPTS)

bench-reader: $(STAMP) $(NODE_STAMP) browser bytecode
	$(BIN)/python benchmarks/bench_reader.py

bench-catalog: $(STAMP) $(NODE_STAMP) bytecode
	nice -n 10 $(BIN)/python benchmarks/bench_catalog.py $(BENCHOPTS)

# Pagefind, the baseline of the search benchmarks, is a benchmark-only dependency
# (requirements-bench.txt: the main lock plus Pagefind); Chromium runs its browser API.
bench-deps: $(STAMP) $(NODE_STAMP) browser bytecode
	$(LOCKED) requirements-bench.txt
	$(BIN)/python -m pip check -q

bench-scale: bench-deps
	nice -n 10 $(BIN)/python benchmarks/bench_scale.py $(BENCHOPTS)

bench-known-item: bench-deps
	nice -n 10 $(BIN)/python benchmarks/bench_known_item.py $(BENCHOPTS)

bench-browser: bench-deps
	$(BIN)/python benchmarks/bench_browser_search.py

clean:
	rm -rf $(OUTPUT) search-index cache test-artifacts
