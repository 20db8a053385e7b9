# kamerbrief: every target sets itself up on a fresh machine (see scripts/setup.sh).
SHELL := /bin/bash
KB := .venv/bin/kamerbrief
LETTERS ?= letters
OUT ?= build
JOBS ?= 2

.PHONY: setup setup-test letters check test release bench clean

setup:
	@scripts/setup.sh run

setup-test:
	@scripts/setup.sh test

letters: setup
	$(KB) build $(LETTERS) -o $(OUT) -j $(JOBS)

check: setup
	$(KB) check $(LETTERS)

test: setup-test
	.venv/bin/python -m pytest

release: setup
	$(KB) release $(LETTERS) -o $(OUT) --dist dist

bench: setup-test
	.venv/bin/python -u bench/bench.py

clean:
	rm -rf $(OUT) dist .pytest_cache
