# Two commands on a fresh machine (Python 3.11 + make):  make book  and  make test.
# Both create .venv from the pinned requirements on first use and reuse it after.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check --quiet
# Installs byte-compile every module (about 20 s of the 80 s here). Tried
# without (--no-compile): make test then compiled on first import in every
# worker and kernel at once and took longer, 1,024 s against 780-870 s.
PIP_INSTALL := $(PIP) install

# One BLAS/OpenMP thread: notebook numbers must not depend on the machine's
# thread count, or nbval's comparison of stored outputs would flap.
export OMP_NUM_THREADS := 1
export OPENBLAS_NUM_THREADS := 1
export MKL_NUM_THREADS := 1
# numba's parallel loops get one thread too: make book executes two notebooks
# at once, and two threads each on two cores oversubscribe the machine (Chapter
# 2 took 223 s instead of 19 s); it also keeps stored numbers independent of
# the machine's core count. make bench sets its own thread counts.
export NUMBA_NUM_THREADS := 1
export PYDEVD_DISABLE_FILE_VALIDATION := 1
# Progress bars change on every run: keep them out of stored and rendered outputs.
export RECSYS_LESSONS_QUIET := 1

BOOK_STAMP := $(VENV)/.book-installed
CLASSROOM_STAMP := $(VENV)/.classroom-installed
TEST_STAMP := $(VENV)/.test-installed
LAB_STAMP := $(VENV)/.lab-installed

.PHONY: book student assignments grade marks test notebooks bench format lab install clean help

help:
	@echo "make book       build the HTML book into _build/html (executes every notebook)"
	@echo "make test       run every test: package unit tests and nbval over the notebooks"
	@echo "make notebooks  re-execute all notebooks in place (refresh stored outputs)"
	@echo "make student    build the student edition (no solutions) into _build/student"
	@echo "make assignments  build the graded assignments (student notebooks, teacher copies)"
	@echo "make grade SUBMISSIONS=<folder>  grade returned notebooks (results, marks, grades.csv in course/)"
	@echo "make marks      apply the written marks in course/manual_points.csv"
	@echo "make bench      print the benchmark table"
	@echo "make lab        open the notebooks in JupyterLab, MyST rendered as in the book"
	@echo "make format     apply Ruff's formatter and safe lint fixes (make test checks them)"

# Chapter 8 runs Spark (pyspark, pinned in requirements.txt) in local mode,
# which needs a Java runtime: Debian's OpenJDK 17 is installed with apt when
# no java is on the PATH.
$(BOOK_STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	command -v java >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless >/dev/null; }
	$(PIP_INSTALL) -r requirements.txt
	$(PIP_INSTALL) --no-deps -e . 2>/dev/null
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (recsys_lessons)" >/dev/null
	touch $@

# make grade runs each submission in a bubblewrap sandbox (Debian's
# bubblewrap, no root needed at run time): installed with apt when missing.
$(CLASSROOM_STAMP): $(BOOK_STAMP)
	command -v bwrap >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bubblewrap >/dev/null; } || echo "could not install bubblewrap: make grade will warn and run student code without isolation"
	touch $@

# JupyterLab with the extension that renders MyST (make lab; make test
# opens a chapter in it).
$(LAB_STAMP): $(BOOK_STAMP) requirements-lab.txt
	$(PIP_INSTALL) -r requirements-lab.txt
	touch $@

# The browser test drives Debian's Chromium (Playwright's own browser download
# is not used): install it with apt when it is missing.
# The accessibility test runs axe-core (npm, pinned in tests/axe/) inside
# the pages: installed into .venv/axe, with Debian's Node.js when missing.
$(TEST_STAMP): $(BOOK_STAMP) $(CLASSROOM_STAMP) $(LAB_STAMP) requirements-test.txt tests/axe/package.json tests/axe/package-lock.json
	$(PIP_INSTALL) -r requirements-test.txt
	command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
	command -v npm >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; }
	mkdir -p $(VENV)/axe
	cp tests/axe/package.json tests/axe/package-lock.json $(VENV)/axe/
	cd $(VENV)/axe && npm ci --no-audit --no-fund --silent
	touch $@

install: $(BOOK_STAMP)

JB_BUILD := $(BIN)/jupyter-book build . --warningiserror --nitpick --keep-going

# The notebooks' executed outputs are kept in _build/.jupyter_cache while
# their inputs are unchanged (tools/run_notebooks.py says which inputs).
book: $(BOOK_STAMP)
	$(BIN)/python tools/install_cells.py
	rm -rf _build/html _build/jupyter_execute
	$(BIN)/python tools/run_notebooks.py --cache _build/.jupyter_cache notebooks
	$(JB_BUILD)

# The same book without any solution (book/_ext/student_edition.py); it renders the
# notebooks executed by 'make book' (the shared cache), executing them first
# only if that cache is missing.
student: $(BOOK_STAMP)
	$(BIN)/python tools/install_cells.py
	test -d _build/.jupyter_cache || $(BIN)/python tools/run_notebooks.py --cache _build/.jupyter_cache notebooks
	rm -rf _build/student _build/student-build
	$(BIN)/python tools/student_config.py _config.yml _build/student-config.yml _build/student-toc.yml
	$(JB_BUILD) --config _build/student-config.yml --toc _build/student-toc.yml --path-output _build/student-build
	mv _build/student-build/_build/html _build/student
	rm -rf _build/student-build
	@echo "The student edition is in _build/student/: publish that folder."

# Student notebooks (student/notebooks, tracked: the student edition serves
# them), in _build/assignments the release folder and the teacher's copies
# (each executed: its public checks must pass), and once the course's
# grading secret in course/ (book/classroom.md).
assignments: $(CLASSROOM_STAMP)
	$(BIN)/python tools/install_cells.py
	$(BIN)/python tools/make_assignments.py

# Each submission runs in a sandbox; results, marks and outputs are kept in
# course/ (grades.csv, totals.csv, feedback/, manual/), which make clean
# never deletes.
grade: $(CLASSROOM_STAMP)
	@test -n "$(SUBMISSIONS)" || { echo "usage: make grade SUBMISSIONS=<folder of notebooks>"; exit 2; }
	test -f _build/assignments/assignments.json || $(BIN)/python tools/make_assignments.py
	$(BIN)/python tools/grade.py "$(SUBMISSIONS)"

# The teaching team's marks (course/manual_points.csv) into grades.csv,
# totals.csv and the feedback, without grading anything again.
marks: $(CLASSROOM_STAMP)
	test -f _build/assignments/assignments.json || $(BIN)/python tools/make_assignments.py
	$(BIN)/python tools/grade.py --marks-only

# One pytest worker per core (pytest-xdist, at most 4). A test file, and
# each notebook under nbval, runs whole on one worker, so that its module
# fixtures (a built book, a Spark session, a kernel) are made once; the
# slowest files start first (tests/conftest.py). The session runs on an
# emulated processor other than this one (tests/cpu_targets.py).
# --durations prints the slowest tests at the end.
test: $(TEST_STAMP)
	$(BIN)/python -m pytest -n auto --maxprocesses=4 --dist loadfile \
	  --no-loadscope-reorder --durations=20 \
	  --nbval --nbval-current-env --doctest-modules \
	  tests notebooks recsys_lessons

notebooks: $(BOOK_STAMP)
	$(BIN)/python tools/run_notebooks.py notebooks

# The chapters in JupyterLab 4: MyST markup rendered (jupyterlab-myst), the
# explorers drawn without a kernel, the live versions once a cell runs.
lab: $(LAB_STAMP)
	$(BIN)/jupyter lab --notebook-dir=notebooks

bench: $(TEST_STAMP)
	NUMBA_NUM_THREADS=$$(getconf _NPROCESSORS_ONLN) $(BIN)/python benchmarks/run.py

# Ruff (pinned in requirements-test.txt); tests/test_style.py runs the same
# checks in make test.
format: $(TEST_STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# course/ (the grading secret, results and marks) is never deleted here.
clean:
	rm -rf _build .pytest_cache
