# Two commands on a fresh machine (Python 3.11 + make):  make book  and  make test.
# Both create .venv from the pinned requirements on first use and reuse it after.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check --quiet

# One BLAS/OpenMP thread: notebook numbers must not depend on the machine's
# thread count, or nbval's comparison of stored outputs would flap.
export OMP_NUM_THREADS := 1
export OPENBLAS_NUM_THREADS := 1
export MKL_NUM_THREADS := 1
export PYDEVD_DISABLE_FILE_VALIDATION := 1
# Progress bars change on every run: keep them out of stored and rendered outputs.
export RECSYS_LESSONS_QUIET := 1

BOOK_STAMP := $(VENV)/.book-installed
TEST_STAMP := $(VENV)/.test-installed

.PHONY: book test notebooks bench install clean help

help:
	@echo "make book       build the HTML book into _build/html (executes every notebook)"
	@echo "make test       run every test: package unit tests and nbval over the notebooks"
	@echo "make notebooks  re-execute all notebooks in place (refresh stored outputs)"
	@echo "make bench      print the benchmark table"

$(BOOK_STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install -r requirements.txt
	$(PIP) install --no-deps -e . 2>/dev/null
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (recsys_lessons)" >/dev/null
	touch $@

$(TEST_STAMP): $(BOOK_STAMP) requirements-test.txt
	$(PIP) install -r requirements-test.txt
	touch $@

install: $(BOOK_STAMP)

book: $(BOOK_STAMP)
	rm -rf _build/html _build/jupyter_execute _build/.jupyter_cache
	$(BIN)/python tools/run_notebooks.py --cache _build/.jupyter_cache notebooks
	$(BIN)/jupyter-book build . --warningiserror --nitpick --keep-going

test: $(TEST_STAMP)
	$(BIN)/python -m pytest --nbval --nbval-current-env tests notebooks

notebooks: $(BOOK_STAMP)
	$(BIN)/python tools/run_notebooks.py notebooks

bench: $(TEST_STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf _build .pytest_cache
