# Two commands for a fresh clone: `make demo` and `make test` (see README.md).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
FIXTURE := data/fixtures/moments
POLICY  := data/policies/runid-to-sessionid.toml

.PHONY: demo test lint unit notebooks record lab bench clean

# (Re)install only when the project's metadata changed: a second `make test` installs nothing.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/idrename audit $(FIXTURE)/backend --consumers $(FIXTURE)/web --policy $(POLICY) \
		--expected $(FIXTURE)/EXPECTED.csv --expected-contracts $(FIXTURE)/EXPECTED_CONTRACTS.csv \
		--expected-tree $(FIXTURE)/backend-expected --out build/audit

# The browser tests open the audit report: write it first when `make demo` has not.
build/audit/report.html: $(STAMP)
	$(MAKE) demo

test: $(STAMP) lint unit notebooks

lint: $(STAMP)
	$(BIN)/ruff check lib tests $(wildcard bench scripts)

unit: $(STAMP) build/audit/report.html
	$(BIN)/pytest -q tests

# Strict nbval: every committed output must be reproduced.
notebooks: $(STAMP)
	$(BIN)/pytest -q -p no:cacheprovider --nbval --nbval-current-env notebooks/0*.ipynb

# Re-execute the committed notebooks in place (after a library change), then commit them.
record: $(STAMP)
	cd notebooks && for nb in 0*.ipynb; do ../$(BIN)/jupyter nbconvert --to notebook --execute --inplace $$nb || exit 1; done

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

# The benchmark (not a test): ast-grep comes from the 'bench' extra.
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	$(BIN)/python bench/run.py

clean:
	rm -rf build .pytest_cache
