# kamerbrief: every target sets itself up on a fresh machine (see scripts/setup.sh).
# Variables may hold spaces: make letters OUT="my build"
SHELL := /bin/bash
KB := .venv/bin/kamerbrief
LETTERS ?= letters
OUT ?= build
DIST ?= dist
JOBS ?= 2

.DEFAULT_GOAL := help
.PHONY: help setup setup-test letters check test fuzz release schema template bench clean distclean

help: ## this list
	@echo "make TARGET [LETTERS=folder] [OUT=folder] [DIST=folder] [JOBS=n]"
	@grep -E '^[a-z-]+:.*## ' $(firstword $(MAKEFILE_LIST)) | \
	  awk -F ':.*## ' '{ printf "  %-11s %s\n", $$1, $$2 }'

setup: ## the virtual environment .venv and the Debian packages WeasyPrint needs
	@scripts/setup.sh run

setup-test: ## the same, plus the test tools
	@scripts/setup.sh test

letters: setup ## build every letter in LETTERS into OUT (PDF and Word)
	$(KB) build "$(LETTERS)" -o "$(OUT)" -j "$(JOBS)"

check: setup ## validate every letter in LETTERS
	$(KB) check "$(LETTERS)"

test: setup-test ## the test suite, with a coverage floor (the CI command)
	.venv/bin/python -m pytest --cov --cov-fail-under=92

fuzz: setup-test ## a long run of the generated-letter test (3,000 new letters)
	HYPOTHESIS_PROFILE=fuzz .venv/bin/python -m pytest -p no:cacheprovider tests/test_generated.py --hypothesis-show-statistics

release: check ## check, build and package the release zip into DIST (docs/release.md)
	$(KB) release "$(LETTERS)" -o "$(OUT)" --dist "$(DIST)" -j "$(JOBS)"

schema: setup ## regenerate templates/kamerbrief.schema.json (after a registry change)
	$(KB) schema -o templates/kamerbrief.schema.json

template: setup ## regenerate templates/kamerbrief.docx, the Word template (after a layout change)
	$(KB) template

bench: setup-test ## the benchmark (speed and memory figures); BENCH="--sections 1,3" runs some
	.venv/bin/python -u bench/bench.py $(BENCH)

# clean removes only folders that a build made: never /, ., the repository or a parent of it.
define safe_rm
	@for d in $(foreach v,$(1),"$($(v))"); do \
	  if [ -z "$$d" ] || [ ! -e "$$d" ]; then continue; fi; \
	  real=$$(realpath -- "$$d"); here=$$(realpath .); \
	  case "$$here/" in "$$real"/*) echo "make: refusing to remove '$$d' (it holds this project)" >&2; exit 1;; esac; \
	  if [ "$$real" = / ] || [ "$$real" = "$$HOME" ]; then echo "make: refusing to remove '$$d'" >&2; exit 1; fi; \
	  if [ ! -d "$$d" ]; then echo "make: refusing to remove '$$d': not a folder" >&2; exit 1; fi; \
	  if [ -n "$$(ls -A -- "$$d")" ] && [ ! -e "$$d/.kamerbrief-manifest.json" ] && [ ! -e "$$d/SHA256SUMS" ]; then \
	    echo "make: refusing to remove '$$d': it is not a kamerbrief build or release folder" >&2; exit 1; fi; \
	  echo "rm -rf '$$d'"; rm -rf -- "$$d"; \
	done
endef

clean: ## remove OUT and DIST
	$(call safe_rm,OUT DIST)
	rm -rf .pytest_cache

distclean: clean ## clean, and remove the virtual environment
	rm -rf .venv src/*.egg-info
