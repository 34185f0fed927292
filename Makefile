# Confide — two commands matter: `make demo` and `make test`.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin

# Django 6.1 needs Python 3.12+. Prefer one on PATH; else pyenv's; else say what we need.
PYTHON ?= $(shell for p in python3.13 python3.12; do $$p -c 'import sys; assert sys.version_info >= (3, 12)' >/dev/null 2>&1 && command -v $$p && exit 0; done; \
	root=$$(pyenv root 2>/dev/null); for p in $$root/versions/3.13*/bin/python3 $$root/versions/3.12*/bin/python3; do [ -x "$$p" ] && echo $$p && exit 0; done)

.PHONY: demo test lint venv serve bench clean lock audit-deps

# Everything installs from the hashed lock files in requirements/ (README.md, "Dependencies"): pip refuses any file
# whose hash is not there, and Confide itself is installed without dependencies, so nothing floats.
$(BIN)/.installed: pyproject.toml requirements/build.txt requirements/dev.txt
	@if [ -z "$(PYTHON)" ]; then echo "Confide needs Python 3.12 or newer (python3.13/python3.12 on PATH, or under pyenv). Install one and retry." >&2; exit 1; fi
	@echo "Using $(PYTHON)"
	@[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r requirements/build.txt
	$(BIN)/pip install --quiet --require-hashes -r requirements/dev.txt
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	@touch $@

venv: $(BIN)/.installed

demo: venv
	$(BIN)/confide demo

serve: venv
	$(BIN)/confide serve

test: venv
	bash scripts/test.sh

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy confide config

# Regenerate the lock files after changing pyproject.toml's dependencies (ARGS=--upgrade to move every pin).
lock:
	PYTHON="$(PYTHON)" bash scripts/lock.sh $(ARGS)

# Known vulnerabilities in every locked package (asks the vulnerability database, so it needs the network; not part
# of `make test`). The auditor lives in its own environment, installed from its own hashed lock.
# AUDIT_ARGS="-s osv" asks OSV instead of PyPI.
AUDIT_VENV := $(VENV)-audit
AUDIT_ARGS ?=
audit-deps:
	@[ -x $(AUDIT_VENV)/bin/pip-audit ] || { $(PYTHON) -m venv $(AUDIT_VENV) && \
		$(AUDIT_VENV)/bin/pip install --quiet --require-hashes -r requirements/audit.txt; }
	$(AUDIT_VENV)/bin/pip-audit --strict --disable-pip --require-hashes $(AUDIT_ARGS) \
		-r requirements/build.txt -r requirements/dev.txt -r requirements/audit.txt

clean:
	rm -rf $(VENV) $(AUDIT_VENV) var/
