# Two commands matter: `make serve` and `make test`. Both set themselves up.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
PORT ?= 8000
export NO_MKDOCS_2_WARNING := 1
export DISABLE_MKDOCS_2_WARNING := true
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: serve build check new-resource contributing links bench search-eval test browser-deps lock clean

$(STAMP): requirements.txt requirements-dev.txt constraints.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] >= (3, 11) else "Python 3.11 or newer is needed, found " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt -c constraints.txt
	# This project's code (macros/) as a package: MkDocs finds the guide plugin by its entry point.
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-build-isolation --no-deps --editable .
	@touch $(STAMP)

# Node tools for the checks only (axe-core); the site itself needs no Node.
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	@touch $(NODE_STAMP)

## serve: build both languages and serve them on http://127.0.0.1:$(PORT)/ (make serve PORT=8001), rebuilding and reloading open pages on every save
serve: $(STAMP)
	$(BIN)/python -m macros.tools.serve --port $(PORT)

## build: write the whole site (both languages) to site/
build: $(STAMP)
	$(BIN)/python -m macros.tools.build

## check: validate all data files and list every problem
check: $(STAMP)
	$(BIN)/python -m macros.tools.check

## new-resource: scaffold data/resources/<id>.yml from a URL and a few answers
new-resource: $(STAMP)
	$(BIN)/python -m macros.tools.new_resource

## contributing: regenerate CONTRIBUTING*.md from the contribute pages and the schema
contributing: $(STAMP)
	$(BIN)/python -m macros.tools.contributing

## links: check every external resource address (needs the network; not part of make test)
links: $(STAMP)
	$(BIN)/python -m macros.tools.check_links

## search-eval: type data/search/eval.yml's queries into the built site's search box; recall@1/@3 and MRR per side
search-eval: build browser-deps
	$(BIN)/python -m macros.tools.search_eval $(if $(VERBOSE),--verbose)

## bench: build time and memory at 1x/10x/100x, page weight, Lighthouse, search engines compared and search-eval (writes bench/results.md)
bench: $(STAMP) browser-deps bench/node_modules/.installed
	$(BIN)/python -m macros.tools.bench

bench/node_modules/.installed: bench/package.json bench/package-lock.json
	cd bench && npm ci --no-audit --no-fund --ignore-scripts
	@touch $@

## browser-deps: Debian's chromium and CJK fonts for the browser tests
browser-deps:
	@bash scripts/browser-deps.sh

## test: every check, including the strict build, link check and browser tests
test: $(STAMP) $(NODE_STAMP) browser-deps
	$(BIN)/python -m pytest

## lock: re-pin every installed package after changing requirements*.txt
lock: $(STAMP)
	$(BIN)/python -m pip freeze --all --exclude-editable | grep -v '^pip==' | sed '1i # Every package the site and its checks install, pinned (pip install -c constraints.txt).\n# Regenerate after changing requirements*.txt: make lock' > constraints.txt

clean:
	rm -rf site site.old .site-build-* test-output link-report .pytest_cache node_modules
