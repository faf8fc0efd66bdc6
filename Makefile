# Two commands do everything: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# `make run CATALOGUE=national` adds the 2,642 national records (shipped in the package) to the
# samples; the default `samples` serves the hand-modelled sample catalogue alone.
CATALOGUE ?= samples
NATIONAL_FILE := catalog/national/data/national-catalogue-2026.jsonl.gz

.PHONY: run test lint bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/motcua init
	$(BIN)/motcua demo
	case "$(CATALOGUE)" in \
	  samples) ;; \
	  national) $(BIN)/motcua import-national $(NATIONAL_FILE) --publish ;; \
	  *) echo "CATALOGUE must be samples or national, not '$(CATALOGUE)'" >&2; exit 2 ;; \
	esac
	$(BIN)/motcua serve

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .

bench: $(STAMP)
	for f in bench/*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) instance .pytest_cache
