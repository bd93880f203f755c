# Two commands for a fresh clone: `make demo` and `make test` (see README.md).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
FIXTURE := data/fixtures/moments
POLICY  := data/policies/runid-to-sessionid.toml

.PHONY: demo test lint unit notebooks lab bench clean

# (Re)install only when the project's metadata changed: a second `make test` installs nothing.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/idrename audit $(FIXTURE)/backend --consumers $(FIXTURE)/web --policy $(POLICY) --out build/audit

test: $(STAMP) lint unit notebooks

lint: $(STAMP)
	$(BIN)/ruff check lib tests bench

unit: $(STAMP)
	$(BIN)/pytest -q tests

notebooks: $(STAMP)
	$(BIN)/pytest -q --nbval notebooks/ --nbval-sanitize-with notebooks/sanitize.cfg

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf build .pytest_cache
