# Confide — two commands matter: `make demo` and `make test`.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin

# Django 6.1 needs Python 3.12+. Prefer one on PATH; else pyenv's; else say what we need.
PYTHON ?= $(shell for p in python3.13 python3.12; do $$p -c 'import sys; assert sys.version_info >= (3, 12)' >/dev/null 2>&1 && command -v $$p && exit 0; done; \
	root=$$(pyenv root 2>/dev/null); for p in $$root/versions/3.13*/bin/python3 $$root/versions/3.12*/bin/python3; do [ -x "$$p" ] && echo $$p && exit 0; done)

.PHONY: demo test lint venv serve bench clean

$(BIN)/.installed: pyproject.toml
	@if [ -z "$(PYTHON)" ]; then echo "Confide needs Python 3.12 or newer (python3.13/python3.12 on PATH, or under pyenv). Install one and retry." >&2; exit 1; fi
	@echo "Using $(PYTHON)"
	@[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
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

clean:
	rm -rf $(VENV) var/
