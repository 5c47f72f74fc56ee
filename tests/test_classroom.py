"""The classroom kit end to end: ``make assignments``, then ``make grade``.

The assignments are built into a temporary folder with the command ``make
assignments`` runs; classes of submissions are generated from the student
notebook (every special case the teaching page and the notebook's rules
promise, the cheats of the teacher's trial, random mixes of right and
wrong answers) and graded with the command ``make grade`` runs. Expected
points come from how each submission was made, not from a stored copy of
the grader's output.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import numpy as np
import pytest
from solution_text import leaks, solution_lines

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
sys.path.insert(0, str(ROOT / "classroom"))
CHAPTERS = [
    "01_objective",
    "02_als",
    "03_svd",
    "04_bpr",
    "05_lambdarank",
    "06_metrics",
    "07_movielens",
    "08_scale",
]
PLACEHOLDER = "_Type your answer here, replacing this text._"


def digest(folder):
    h = hashlib.sha256()
    for path in sorted(Path(folder).rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            h.update(str(path.relative_to(folder)).encode())
            h.update(path.read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("classroom")
    out, student = tmp / "assignments", tmp / "student"
    done = subprocess.run(
        [
            PY,
            "tools/make_assignments.py",
            "--out",
            str(out),
            "--student",
            str(student),
            "--course",
            str(tmp / "course"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return out, student


def grade(submissions, course, assignments, env=None, check=True):
    done = subprocess.run(
        [
            PY,
            "tools/grade.py",
            str(submissions),
            "--course",
            str(course),
            "--assignments",
            str(assignments),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
    )
    if check:
        assert done.returncode == 0, done.stderr[-3000:]
    return done


def rows_of(course):
    with open(Path(course) / "grades.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def course_with_secret(built, path):
    out, _ = built
    path.mkdir(mode=0o700)
    secret = out.parent / "course" / "grading-secret.txt"
    (path / "grading-secret.txt").write_bytes(secret.read_bytes())
    return path


# --- what make assignments writes ----------------------------------------


def test_committed_student_notebooks_are_what_make_assignments_writes(
    built,
):
    _, student = built
    for name in ["00_tour", *CHAPTERS]:
        committed = ROOT / "student" / "notebooks" / f"{name}.ipynb"
        assert (
            committed.read_bytes()
            == (student / f"{name}.ipynb").read_bytes()
        ), f"student/notebooks/{name}.ipynb is stale: run make assignments"


def test_the_secret_is_created_once_and_private(built):
    out, _ = built
    course = out.parent / "course"
    secret = course / "grading-secret.txt"
    assert oct(course.stat().st_mode & 0o777) == "0o700"
    assert oct(secret.stat().st_mode & 0o777) == "0o600"
    before = secret.read_bytes()
    subprocess.run(
        [
            PY,
            "tools/make_assignments.py",
            "2",
            "--no-check",
            "--out",
            str(out),
            "--student",
            str(out.parent / "student"),
            "--course",
            str(course),
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    assert secret.read_bytes() == before


def test_make_clean_never_touches_the_course_folder():
    recipe = subprocess.run(
        ["make", "-n", "clean"], cwd=ROOT, capture_output=True, text=True
    ).stdout
    assert "rm -rf _build .pytest_cache" in recipe
    assert "course" not in recipe
    ignored = (ROOT / ".gitignore").read_text().split()
    assert "course/" in ignored


def test_every_chapter_has_three_autograded_exercises_and_rubrics(built):
    out, _ = built
    index = json.loads((out / "assignments.json").read_text())
    assert sorted(index) == CHAPTERS
    for name, questions in index.items():
        auto = [q for q in questions if q["kind"] == "autograded"]
        assert len(auto) >= 3, name
        for q in questions:
            assert q["points"] > 0
            if q["kind"] == "written":
                assert len(q["rubric"]) > 40, (name, q["question"])


def test_student_notebooks_leak_no_solution(built):
    out, student = built
    for name in CHAPTERS:
        body = json.loads((student / f"{name}.ipynb").read_text())
        shown = "\n".join(
            "".join(c["source"]) for c in body["cells"]
        ) + json.dumps(body["metadata"])
        assert leaks(shown, solution_lines(name)) == [], name
        for secret in (
            "grading_support",
            "hidden_cases",
            "reference_",
            "Rubric",
            "_grading",
        ):
            assert secret not in shown, (name, secret)
        teacher = (out / "solutions" / f"{name}.ipynb").read_text()
        assert "Rubric" in teacher and "Teacher's copy" in teacher


def test_every_rule_that_costs_points_is_in_the_notebook(built):
    _, student = built
    for name in CHAPTERS:
        intro = nbformat.read(student / f"{name}.ipynb", 4).cells[0].source
        intro = " ".join(intro.split())
        for rule in (
            "*without* `recsys_lessons`",
            "leave its arguments unchanged",
            "5 s per call",
            "10 s before the grader stops it",
            "correct version of that earlier function",
            "scores 0 for every autograded exercise",
            "Hand in this notebook under any file name",
        ):
            assert rule in intro, (name, rule)


# --- the public checks, as a student runs them ---------------------------


def teacher_functions(solutions):
    nb = nbformat.read(solutions, as_version=4)
    found = {}
    for cell in nb.cells:
        m = re.match(r"def (\w+)\(", cell.source)
        if cell.cell_type == "code" and m:
            found[m[1]] = cell.source
    return found


def make(release, functions, written=True, extra_cells=()):
    nb = nbformat.read(release, as_version=4)
    for cell in nb.cells:
        m = re.match(r"def (\w+)\(", cell.source)
        if m and m[1] in functions:
            cell.source = functions[m[1]]
        if written and cell.source == PLACEHOLDER:
            cell.source = "Because the normal equations say so."
    setup = next(
        i for i, c in enumerate(nb.cells) if "toy_ratings()" in c.source
    )
    for offset, source in enumerate(extra_cells, 1):
        nb.cells.insert(setup + offset, nbformat.v4.new_code_cell(source))
    return nb


def run_checks(nb, tmp_path, name="Copy of 02_als.ipynb"):
    """Execute a notebook under another file name: {question: output}."""
    from nbclient import NotebookClient

    path = tmp_path / name
    nbformat.write(nb, path)
    nb = nbformat.read(path, 4)
    NotebookClient(nb, timeout=120, kernel_name="python3").execute(
        cwd=str(tmp_path)
    )
    said = {}
    for cell in nb.cells:
        m = re.fullmatch(r'grader\.check\("(\w+)"\)', cell.source)
        if m:
            assert not [o for o in cell.outputs if o.output_type == "error"]
            said[m[1]] = "".join(o.get("text", "") for o in cell.outputs)
    return said


def test_checks_work_under_any_name_and_use_correct_earlier_functions(
    built, tmp_path
):
    out, _ = built
    right = teacher_functions(out / "solutions" / "02_als.ipynb")
    wrong_user = {
        **right,
        # The plain lambda: a wrong user update under a correct sweep.
        "als_user_update": right["als_user_update"].replace(
            "lam * rated.sum() *", "lam *"
        ),
    }
    assert wrong_user["als_user_update"] != right["als_user_update"]
    said = run_checks(
        make(out / "release" / "02_als.ipynb", wrong_user), tmp_path
    )
    assert "a public test failed" in said["ch2_user"], said
    # As the grader does, the sweep's check runs the correct user update.
    assert "the public tests pass" in said["ch2_sweep"], said
    assert "the public tests pass" in said["ch2_weighted_objective"], said
    blank = run_checks(
        nbformat.read(out / "release" / "02_als.ipynb", 4),
        tmp_path,
        "x.ipynb",
    )
    for question, text in blank.items():
        assert "the public tests pass" not in text, (question, text)
        # A failed assert without a message still says which check failed.
        assert re.search(r"failed: \S|raised \w+", text), (question, text)


# --- make grade: a class of 30 ------------------------------------------

WRONG = {
    "als_user_update": "def als_user_update(R, V, lam, i):\n"
    "    return np.zeros(V.shape[1])",
    "als_sweep": "def als_sweep(R, U, V, lam):\n"
    "    return U.copy(), V.copy()",
    "weighted_objective": "def weighted_objective(R, U, V, lam):\n"
    "    return 0.0",
}
POINTS = {"als_user_update": 3, "als_sweep": 3, "weighted_objective": 2}
QUESTION = {
    "als_user_update": "ch2_user",
    "als_sweep": "ch2_sweep",
    "weighted_objective": "ch2_weighted_objective",
}
ZERO = dict.fromkeys(QUESTION.values(), 0)


@pytest.fixture(scope="module")
def class_of_30(built, tmp_path_factory):
    """30 submissions of assignment 2, with the trial's cheats.

    Returns the folder and {student: (expected points, feedback phrase,
    flagged)}.
    """
    out, _ = built
    release = out / "release" / "02_als.ipynb"
    right = teacher_functions(out / "solutions" / "02_als.ipynb")
    folder = tmp_path_factory.mktemp("submissions")
    # Files a submission must never reach: the real course folder would be
    # beside the repository; these stand in for it.
    bait = tmp_path_factory.mktemp("teacher")
    (bait / "manual_points.csv").write_text(
        "student,assignment,exercise,points\n"
    )
    (bait / "grading-secret.txt").write_text("s3cret\n")
    expect = {}

    def add(student, nb, points, phrase=None, flagged=False, name=None):
        (folder / student).mkdir()
        path = folder / student / (name or "02_als.ipynb")
        if isinstance(nb, str):
            path.write_text(nb)
        else:
            nbformat.write(nb, path)
        expect[student] = (points, phrase, flagged)

    def score(functions):
        # als_sweep calls the student's als_user_update, but is graded with
        # the grader's own in its place: each mistake costs points once.
        ok = {f: functions[f] == right[f] for f in POINTS}
        return {QUESTION[f]: POINTS[f] if ok[f] else 0 for f in POINTS}

    full = dict(right)
    own_kernel = make(release, full)
    own_kernel.metadata["kernelspec"]["name"] = "conda-env-course-py"
    add("s01_full", own_kernel, score(full), "correct on every")
    add(
        "s02_untouched",
        nbformat.read(release, as_version=4),
        ZERO,
        "returned None (not implemented yet?)",
    )
    wrong = {**right, "weighted_objective": WRONG["weighted_objective"]}
    add(
        "s03_wrong",
        make(release, wrong),
        score(wrong),
        "is wrong on hidden",
    )
    raises = {
        **right,
        "als_sweep": "def als_sweep(R, U, V, lam):\n"
        "    raise ValueError('todo')",
    }
    add(
        "s04_raises",
        make(release, raises),
        {**score(right), "ch2_sweep": 0},
        "raised ValueError: todo",
    )
    loops = {
        **right,
        "weighted_objective": "def weighted_objective(R, U, V, lam):\n"
        "    while True:\n        pass",
    }
    add(
        "s05_loops",
        make(release, loops, extra_cells=["while True:\n    pass"]),
        {**score(right), "ch2_weighted_objective": 0},
        "ran longer than 5 s",
    )
    # LMS and Colab renames: graded from the notebook's metadata.
    add(
        "s06_renamed",
        make(release, full),
        score(full),
        name="Copy of 02_als.ipynb",
    )
    package = {
        **right,
        "weighted_objective": "def weighted_objective(R, U, V, lam):\n"
        "    return mf.objective(R, U, V, lam, penalty='weighted')",
    }
    add(
        "s07_calls_package",
        make(
            release, package, extra_cells=["from recsys_lessons import mf"]
        ),
        {**score(right), "ch2_weighted_objective": 0},
        "calls recsys_lessons.mf.objective",
    )
    add(
        "s08_invalid",
        '{"cells": [ this is not JSON',
        ZERO,
        "not a valid notebook",
    )
    add(
        "s09_prints",
        make(release, full, extra_cells=["print('x' * 5_000_000)"]),
        score(full),
    )
    # Wrapping NumPy costs nothing now (the trial's rita).
    wrap = (
        "_solve = np.linalg.solve\n"
        "def _logged_solve(A, b):\n    return _solve(A, b)\n"
        "np.linalg.solve = _logged_solve\n"
        "np.isclose = np.allclose = lambda *a, **k: True"
    )
    add(
        "s10_wraps_numpy",
        make(release, full, extra_cells=[wrap]),
        score(full),
    )
    modifies = {
        **right,
        "als_sweep": right["als_sweep"]
        .replace("    return U, V", "    V0[:] = V\n    return U, V")
        .replace(
            "def als_sweep(R, U, V, lam):",
            "def als_sweep(R, U, V0, lam):\n    V = V0",
        ),
    }
    assert modifies["als_sweep"] != right["als_sweep"]
    add(
        "s11_modifies",
        make(release, modifies),
        {**score(right), "ch2_sweep": 0},
        "modified its argument",
    )
    missing = {
        **right,
        "weighted_objective": right["weighted_objective"].replace(
            "def weighted_objective(", "def weighted_objectiv("
        ),
    }
    add(
        "s12_missing",
        make(release, missing),
        {**score(right), "ch2_weighted_objective": 0},
        "no function named weighted_objective",
    )
    # --- the trial's cheats, and more; none may gain a point -------------
    none = {f: f"def {f}(*args):\n    return None" for f in POINTS}
    add(
        "s13_mallory",  # replaces the grading function
        make(
            release,
            none,
            extra_cells=[
                "import sys, types\n"
                "sys.modules['grading_support'] = types.SimpleNamespace("
                "grade=lambda *a, **k: None)"
            ],
        ),
        ZERO,
        "reaches for the grader",
        flagged=True,
    )
    eve_ref = {
        **right,
        "als_user_update": "def als_user_update(R, V, lam, i):\n"
        "    import importlib\n"
        "    return importlib.import_module('ch' + '2_grad' + 'ing')"
        ".reference_als_user_update(R, V, lam, i)",
    }
    add(
        "s14_eve_imports_reference",
        make(release, eve_ref),
        {**score(right), "ch2_user": 0},
        "ModuleNotFoundError",
    )
    stack = (
        "def als_sweep(R, U, V, lam):\n"
        "    import sys\n"
        "    f = getattr(sys, '_get' + 'frame')()\n"
        "    while f is not None:\n"
        "        for key in ('expected', 'want', 'reference'):\n"
        "            if key in getattr(f, 'f_' + 'locals'):\n"
        "                return getattr(f, 'f_' + 'locals')[key]\n"
        "        f = getattr(f, 'f_' + 'back')\n"
        "    return None"
    )
    add(
        "s15_eve_reads_the_stack",
        make(release, {**right, "als_sweep": stack}),
        {**score(right), "ch2_sweep": 0},
        "ch2_sweep (0/3)",
    )
    add(
        "s16_eve_plain_stack",
        make(
            release,
            {
                **right,
                "als_sweep": "def als_sweep(R, U, V, lam):\n"
                "    import sys\n"
                "    return sys._getframe(1).f_locals['expected']",
            },
        ),
        ZERO,
        "reads the interpreter's stack",
        flagged=True,
    )
    oscar = {
        **right,
        "als_user_update": "def als_user_update(R, V, lam, i):\n"
        "    import sys\n"
        "    sys.setprofile(None)\n"
        "    return als.solve_factors(R[[i]], V, lam)[0]",
    }
    add(
        "s17_oscar_setprofile",
        make(release, oscar),
        ZERO,
        "profiler",
        flagged=True,
    )
    hidden_call = {
        **right,
        "als_user_update": "def als_user_update(R, V, lam, i):\n"
        "    try:\n"
        "        return als.solve_factors(R[[i]], V, lam)[0]\n"
        "    except BaseException:\n"
        "        return np.zeros(V.shape[1])",
    }
    add(
        "s18_swallows_the_package_error",
        make(release, hidden_call),
        {**score(right), "ch2_user": 0},
        "calls recsys_lessons.als.solve_factors",
    )
    una = (
        "import pathlib, sys\n"
        f"bait = pathlib.Path({str(bait)!r})\n"
        "for target in [bait / 'manual_points.csv',\n"
        "               pathlib.Path(sys.executable).parents[2]\n"
        "               / 'course' / 'manual_points.csv']:\n"
        "    try:\n"
        "        with open(target, 'a') as f:\n"
        "            f.write('una,02_als,ch2_item,2\\n')\n"
        "    except OSError:\n"
        "        pass\n"
        "try:\n"
        "    secret = (bait / 'grading-secret.txt').read_text()\n"
        "except OSError:\n"
        "    secret = 'unreadable'\n"
        "for out in [pathlib.Path('/tmp/leaked-secret'), bait / 'leak']:\n"
        "    try:\n"
        "        out.write_text(secret)\n"
        "    except OSError:\n"
        "        pass"
    )
    add(
        "s19_una_writes_marks",
        make(release, full, extra_cells=[una]),
        ZERO,
        "names a grading file",
        flagged=True,
    )
    # The same, with the names hidden from the scan: not flagged, and
    # the sandbox stops it (the bait files are compared before and after).
    hidden = una.replace("'manual_points.csv'", "'manual' + '_points.csv'")
    hidden = hidden.replace(
        "'grading-secret.txt'", "'grading' + '-secret.txt'"
    )
    hidden += (
        "\nimport importlib.util\n"
        "spec = importlib.util.find_spec('numpy')\n"
        "try:\n"
        "    (pathlib.Path(spec.origin).parent / 'x.py').write_text('1')\n"
        "except OSError:\n"
        "    pass"
    )
    add(
        "s20_una_hidden",
        make(release, full, extra_cells=[hidden]),
        score(full),
    )
    # The trial's second round: the grader's versions of earlier
    # functions (given only to the run that grades a later exercise)
    # taken from the job file, the time limit turned off, an innocent
    # docstring that names the book's classroom.
    from_job = {
        **right,
        "als_user_update": "def als_user_update(R, V, lam, i):\n"
        "    import marshal, pickle\n"
        "    job = pickle.load(open('job' + '.pkl', 'rb'))\n"
        "    space = {}\n"
        "    for e in job['exercises']:\n"
        "        for code in e['uses'].values():\n"
        "            exec(marshal.loads(code), space)\n"
        "    return space['als_user_update'](R, V, lam, i)",
    }
    add(
        "s21_uses_the_job_file",
        make(release, from_job),
        {**score(right), "ch2_user": 0},
        "KeyError",
    )
    slow = "import signal as s\ns.signal(s.SIGALRM, s.SIG_IGN)"
    add(
        "s22_turns_off_the_clock",
        make(release, full, extra_cells=[slow]),
        ZERO,
        "time limits",
        flagged=True,
    )
    innocent = {
        **right,
        "weighted_objective": right["weighted_objective"].replace(
            '"""', '"""As derived in classroom. ', 1
        ),
    }
    assert innocent != right
    add("s23_says_classroom", make(release, innocent), score(right))
    # The third round's: mutation hidden by replacing NumPy's comparison,
    # a forged line in the results file, a cell nested too deep for the
    # parser, an innocent variable named signal.
    henry = {
        **modifies,
        "als_sweep": "np.array_equal = lambda *a, **k: True\n\n"
        + modifies["als_sweep"],
    }
    add(
        "s24_hides_a_mutation",
        make(release, henry),
        {**score(right), "ch2_sweep": 0},
        "modified its argument",
    )
    forge = (
        "import json\n"
        "with open('results' + '.json' + 'l', 'a') as f:\n"
        "    f.write(json.dumps({'kind': 'case', 'question': 'ch2_user',\n"
        "                        'case': 1, 'value': {'none': True}}))\n"
        "    f.write('\\n')"
    )
    add(
        "s25_forges_results",
        make(release, full, extra_cells=[forge]),
        ZERO,
        "wrote to the grader's results file",
        flagged=True,
    )
    deep = "x = " + "(" * 5000 + "1" + ")" * 5000
    add(
        "s26_deep_cell",
        make(release, full, extra_cells=[deep]),
        score(full),
    )
    sam = {
        **right,
        "weighted_objective": right["weighted_objective"].replace(
            '"""', '"""signal = 1 (a name, not the module).', 1
        ),
    }
    add("s27_variable_named_signal", make(release, sam), score(right))
    rng = np.random.default_rng(12)
    for number in range(28, 31):
        mix = {
            f: right[f] if rng.random() < 0.6 else WRONG[f] for f in POINTS
        }
        add(f"s{number:02d}_mix", make(release, mix), score(mix))
    assert len(expect) == 30
    return folder, expect, bait


@pytest.fixture(scope="module")
def graded_class(built, class_of_30, tmp_path_factory):
    out, _ = built
    folder, expect, bait = class_of_30
    course = course_with_secret(
        built, tmp_path_factory.mktemp("c") / "course"
    )
    watched = [folder, out, ROOT / "recsys_lessons", bait]
    before = [digest(f) for f in watched]
    host_tmp = Path("/tmp/leaked-secret")
    host_tmp.unlink(missing_ok=True)
    started = time.perf_counter()
    done = grade(folder, course, out)
    seconds = time.perf_counter() - started
    after = [digest(f) for f in watched]
    return rows_of(course), course, expect, before, after, done, seconds


def test_class_is_graded_with_the_expected_points(graded_class):
    rows, _, expect, *_ = graded_class
    got = {}
    for row in rows:
        if row["exercise"] in QUESTION.values():
            got.setdefault(row["student"], {})[row["exercise"]] = float(
                row["points"]
            )
    assert set(got) == set(expect)
    for student, (points, _, _) in expect.items():
        assert got[student] == points, student


def test_grading_is_isolated_by_the_os(graded_class):
    *_, done, _ = graded_class
    assert "isolation: bubblewrap" in done.stdout, done.stdout
    assert "NOT isolated" not in done.stderr
    assert not Path("/tmp/leaked-secret").exists()


def test_cheats_are_flagged_to_the_teacher(graded_class):
    rows, _, expect, *_, done, _ = graded_class
    flagged = {student for student, (_, _, flag) in expect.items() if flag}
    said = set(re.findall(r"FLAGGED (\w+)/02_als", done.stderr))
    assert said == flagged, done.stderr
    status = {(r["student"], r["exercise"]): r["status"] for r in rows}
    for student in flagged:
        assert status[student, "ch2_user"] == "flagged"


def test_nothing_of_the_teachers_changes(graded_class):
    _, _, _, before, after, *_ = graded_class
    assert before == after


def test_written_answers_go_to_the_teaching_team(graded_class):
    rows, course, *_ = graded_class
    status = {(r["student"], r["exercise"]): r["status"] for r in rows}
    assert status["s01_full", "ch2_item"] == "to mark"
    assert status["s02_untouched", "ch2_item"] == "no answer"
    sheet = (course / "manual" / "02_als" / "ch2_item.md").read_text()
    assert "Rubric:" in sheet and "## s01_full" in sheet
    marks = (course / "manual_points.csv").read_text()
    assert "una,02_als,ch2_item,2" not in marks
    assert "s19_una_writes_marks,02_als,ch2_item," in marks


def test_every_student_gets_feedback_saying_what_happened(graded_class):
    _, course, expect, *_ = graded_class
    for student, (points, phrase, _) in expect.items():
        text = (course / "feedback" / f"{student}.md").read_text()
        total = sum(points.values())
        assert f"## 02_als: {total:g} / 12 points" in text, (student, text)
        if phrase:
            assert phrase in text, (student, text)


def test_a_class_of_30_is_graded_in_the_stated_time(graded_class):
    *_, seconds = graded_class
    # book/classroom.md states the time make bench measures; this only
    # catches a grader that got an order of magnitude slower.
    assert seconds < 300, seconds


# --- the teacher's files and the course's record ----------------------


def test_every_teacher_solution_gets_full_marks_and_a_blank_none(
    built, tmp_path
):
    out, _ = built
    folder = tmp_path / "subs"
    for name in CHAPTERS:
        for who, source in (
            ("teacher", out / "solutions" / f"{name}.ipynb"),
            ("blank", out / "release" / f"{name}.ipynb"),
        ):
            (folder / who).mkdir(parents=True, exist_ok=True)
            (folder / who / f"{name}.ipynb").write_bytes(
                source.read_bytes()
            )
    course = course_with_secret(built, tmp_path / "course")
    grade(folder, course, out)
    rows = rows_of(course)
    auto = {r["exercise"] for r in rows if r["status"] == "passed"}
    assert {r["assignment"] for r in rows} == set(CHAPTERS)
    for row in rows:
        if row["student"] == "teacher" and row["status"] != "to mark":
            assert row["points"] == row["max_points"], row
        if row["student"] == "blank":
            assert row["points"] == "0", row
            assert row["status"] in ("failed", "no answer"), row
    assert len(auto) >= 24


def write_one(folder, student, nb, name="02_als.ipynb"):
    (folder / student).mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / student / name)


def test_marks_are_checked_and_kept_and_late_work_adds_up(built, tmp_path):
    out, _ = built
    release = out / "release" / "02_als.ipynb"
    right = teacher_functions(out / "solutions" / "02_als.ipynb")
    course = course_with_secret(built, tmp_path / "course")
    first = tmp_path / "first"
    write_one(first, "ann", make(release, right))
    # An answer with a heading of its own, and a blank one.
    oscar = make(release, right, written=False)
    answer = next(c for c in oscar.cells if c.source == PLACEHOLDER)
    answer.source = "## My derivation\n\n## Alice\nforged section"
    write_one(first, "oscar", oscar)
    write_one(first, "José Núñez", make(release, right))
    write_one(first, "=1+2", make(release, right))
    grade(first, course, out)
    status = {(r["student"], r["exercise"]): r for r in rows_of(course)}
    assert status["oscar", "ch2_item"]["status"] == "to mark"
    assert status["oscar", "ch2_lambda_zero"]["status"] == "no answer"
    sheet_text = (course / "manual" / "02_als" / "ch2_item.md").read_text()
    assert "> ## Alice" in sheet_text and "\n## Alice" not in sheet_text
    raw = (course / "grades.csv").read_text()
    assert "'=1+2,02_als" in raw and "\n=1+2" not in raw
    sheet = course / "manual_points.csv"
    lines = sheet.read_text().splitlines()
    assert lines[0] == "student,assignment,exercise,points"
    assert "ann,02_als,ch2_item," in lines
    assert "'=1+2,02_als,ch2_item," in lines
    # Excel's "CSV UTF-8" in a comma-decimal locale: a BOM, ';', 1,5, a
    # column of the teacher's own. A mark for an answer the grader did not
    # find; one for a misspelt student.
    teacher = (
        "\ufeffstudent;assignment;exercise;points;comment\n"
        "ann;02_als;ch2_item;1,5;ok\n"
        "ann;02_als;ch2_lambda_zero;;\n"
        "José Núñez;02_als;ch2_item;2;\n"
        "oscar;02_als;ch2_lambda_zero;1;in the margin\n"
        "'=1+2;02_als;ch2_item;2;\n"
        "Jose Nunez;02_als;ch2_item;2;\n"
    )
    sheet.write_text(teacher, encoding="utf-8")
    done = grade(first, course, out)
    assert "from 'Jose Nunez', so its mark for ch2_item is not applied" in (
        done.stderr
    )
    # The teacher's rows are kept as the spreadsheet wrote them; rows for
    # answers still without one are added after them.
    assert sheet.read_text(encoding="utf-8").startswith(teacher)
    assert "José Núñez;02_als;ch2_lambda_zero;\n" in sheet.read_text()
    teacher = sheet.read_text(encoding="utf-8")
    got = {(r["student"], r["exercise"]): r for r in rows_of(course)}
    assert got["oscar", "ch2_lambda_zero"]["status"] == "marked"
    assert got["oscar", "ch2_lambda_zero"]["points"] == "1"
    assert got["'=1+2", "ch2_item"]["points"] == "2"
    assert got["ann", "ch2_item"]["points"] == "1.5"
    assert got["ann", "ch2_item"]["status"] == "marked"
    assert got["ann", "ch2_lambda_zero"]["status"] == "to mark"
    assert got["José Núñez", "ch2_item"]["points"] == "2"
    feedback = (course / "feedback" / "ann.md").read_text()
    assert (
        "## 02_als: 9.5 / 12 points (1 written answer(s) still to mark)"
        in feedback
    )
    assert "ch2_item (1.5/2): marked by the teaching team." in feedback

    # Bad marks: every bad row named, nothing written.
    good = sheet.read_text(encoding="utf-8")
    outputs = {p: p.read_bytes() for p in course.rglob("*") if p.is_file()}
    for bad, phrase in (
        ("abc", "'abc' is not a number"),
        ("3", "3 is outside [0, 2]"),
        ("-1", "-1 is outside [0, 2]"),
        ("2/2", "'2/2' is not a number"),
    ):
        sheet.write_text(
            "student,assignment,exercise,points\n"
            f"ann,02_als,ch2_item,{bad}\n"
            "ann,02_als,ch2_nothing,1\n"
        )
        done = grade(first, course, out, check=False)
        assert done.returncode != 0
        assert phrase in done.stderr and "ch2_nothing" in done.stderr
        assert "line 2" in done.stderr and "line 3" in done.stderr
        for path, data in outputs.items():
            if path != sheet:
                assert path.read_bytes() == data, path
    sheet.write_text(good, encoding="utf-8")

    # A late submission adds to the record; the others keep their rows.
    late = tmp_path / "late"
    write_one(late, "frank", make(release, right))
    done = grade(late, course, out)
    got = {(r["student"], r["exercise"]): r for r in rows_of(course)}
    assert {s for s, _ in got} == {
        "ann",
        "José Núñez",
        "frank",
        "oscar",
        "'=1+2",
    }
    assert got["ann", "ch2_item"]["points"] == "1.5"
    assert got["frank", "ch2_user"]["points"] == "3"
    assert "graded 1 notebooks (0 replacing" in done.stdout
    # ann resubmits late (her user update now wrong); regrading the first
    # folder afterwards keeps the newer notebook's grading.
    wrong = {**right, "als_user_update": WRONG["als_user_update"]}
    write_one(late, "ann", make(release, wrong))
    old = first / "ann" / "02_als.ipynb"
    os.utime(old, (1_000_000_000, 1_000_000_000))
    grade(late, course, out)
    done = grade(first, course, out)
    assert "ann/02_als: kept the grading of 02_als.ipynb" in done.stderr
    got = {(r["student"], r["exercise"]): r for r in rows_of(course)}
    assert got["ann", "ch2_user"]["points"] == "0"
    assert got["ann", "ch2_item"]["points"] == "1.5"
    # make marks applies marks without grading anything.
    sheet.write_text(
        teacher.replace(
            "ann;02_als;ch2_lambda_zero;;", "ann;02_als;ch2_lambda_zero;2;"
        ),
        encoding="utf-8",
    )
    done = subprocess.run(
        [
            PY,
            "tools/grade.py",
            "--marks-only",
            "--course",
            str(course),
            "--assignments",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "graded 0 notebooks" in done.stdout
    got = {(r["student"], r["exercise"]): r for r in rows_of(course)}
    assert got["ann", "ch2_lambda_zero"]["points"] == "2"

    # Missing or empty folders are refused and change nothing.
    before = digest(course)
    for folder in (tmp_path / "does-not-exist", tmp_path / "empty"):
        (tmp_path / "empty").mkdir(exist_ok=True)
        done = grade(folder, course, out, check=False)
        assert done.returncode != 0 and "nothing was graded" in done.stderr
        assert digest(course) == before


def test_feedback_does_not_give_the_expected_value_away():
    import compare

    ok, why = compare.same(np.array([2.692541234]), np.array([2.692548]))
    assert not ok
    assert "returned 2.692541234" in why and "expected about 2.693" in why
    assert "2.692548" not in why


def test_the_newest_of_several_files_is_the_lms_resubmission(tmp_path):
    sys.path.insert(0, str(ROOT / "tools"))
    from grade import find_submissions

    nb = nbformat.v4.new_notebook()
    nb.metadata["recsys_lessons"] = {"assignment": "02_als"}
    for name in (
        "ivy_1009_5009_02_als.ipynb",
        "ivy_1009_5009_02_als-1.ipynb",
    ):
        nbformat.write(nb, tmp_path / name)
        os.utime(tmp_path / name, (1_000_000_000, 1_000_000_000))
    found, warnings = find_submissions(tmp_path, ["02_als"])
    assert [(s, a, p.name) for s, a, p in found] == [
        ("ivy", "02_als", "ivy_1009_5009_02_als-1.ipynb")
    ]
    assert "grading the newest, ivy_1009_5009_02_als-1.ipynb" in warnings[0]


def test_a_notebook_the_grader_fails_on_costs_only_that_notebook(
    built, tmp_path, monkeypatch
):
    sys.path.insert(0, str(ROOT / "tools"))
    import grade as grading

    out, _ = built
    course = course_with_secret(built, tmp_path / "course")
    grader = grading.Grader(course, out)

    def broken(*args):
        raise RecursionError("deep")

    monkeypatch.setattr(grader, "grade", broken)
    path = tmp_path / "x.ipynb"
    path.write_bytes((out / "release" / "02_als.ipynb").read_bytes())
    record = grader.grade_safely("x", "02_als", path)
    assert (
        "the grader failed on x.ipynb: RecursionError: deep"
        in (record["flags"][0])
    )
    assert {tuple(r) for r in record["rows"].values()} == {
        (0, "not graded", "error")
    }


def test_student_names_in_flat_and_lms_file_names():
    sys.path.insert(0, str(ROOT / "tools"))
    from grade import flat_name

    assert flat_name("doejane_23456_67892_02_als", "02_als") == "doejane"
    assert flat_name("smithjohn_LATE_12345_67891_02_als-1", "02_als") == (
        "smithjohn"
    )
    assert flat_name("doejane_LATE_23456_67896_-1", None) == "doejane"
    assert flat_name("bob_02_als", "02_als") == "bob"
    assert flat_name("Copy of bob_02_als", "02_als") == "bob"
    assert flat_name("bob_02_als-Copy1", "02_als") == "bob"
    assert flat_name("José Núñez_02_als", "02_als") == "José Núñez"


def test_duplicates_unmatched_notebooks_and_the_roster(built, tmp_path):
    out, _ = built
    release = out / "release" / "02_als.ipynb"
    right = teacher_functions(out / "solutions" / "02_als.ipynb")
    course = course_with_secret(built, tmp_path / "course")
    folder = tmp_path / "canvas"
    folder.mkdir()
    # Canvas's bulk download: <login>_<user id>_<submission id>_<file>.
    nbformat.write(
        make(release, right), folder / "doejane_23456_67892_02_als.ipynb"
    )
    old = folder / "smithjohn_LATE_12345_67891_02_als.ipynb"
    nbformat.write(nbformat.read(release, 4), old)
    os.utime(old, (1_000_000_000, 1_000_000_000))
    nbformat.write(
        make(release, right),
        folder / "smithjohn_12345_67899_02_als-1.ipynb",
    )
    untitled = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell("x = 1")]
    )
    nbformat.write(untitled, folder / "yan_Untitled.ipynb")
    (course / "roster.csv").write_text(
        "student,ids\nJane Doe,doejane 23456\nJohn Smith,smithjohn\n"
        "Carol King,kingcarol\n"
    )
    done = grade(folder, course, out)
    rows = rows_of(course)
    per = {}
    for r in rows:
        per.setdefault((r["student"], r["assignment"]), []).append(r)
    assert set(per) == {
        ("Jane Doe", "02_als"),
        ("John Smith", "02_als"),
        ("Carol King", "02_als"),
    }
    assert all(len(v) == 5 for v in per.values())
    smith = {
        r["exercise"]: r["points"] for r in per["John Smith", "02_als"]
    }
    assert smith["ch2_user"] == "3"  # the newer file was graded
    assert "grading the newest" in done.stderr
    assert "yan_Untitled.ipynb: not an assignment notebook" in done.stderr
    assert {r["status"] for r in per["Carol King", "02_als"]} == {"missing"}
    totals = list(csv.DictReader(open(course / "totals.csv")))
    carol = next(t for t in totals if t["student"] == "Carol King")
    assert carol["complete"] == "no" and carol["max_points"] == "12"


def test_without_isolation_make_grade_says_so_loudly(built, tmp_path):
    out, _ = built
    right = teacher_functions(out / "solutions" / "02_als.ipynb")
    folder = tmp_path / "subs"
    write_one(folder, "ann", make(out / "release" / "02_als.ipynb", right))
    course = course_with_secret(built, tmp_path / "course")
    done = grade(
        folder, course, out, env={"RECSYS_GRADING_NO_SANDBOX": "1"}
    )
    assert "WARNING: student code is NOT isolated" in done.stderr
    assert "isolation: NONE" in done.stdout
    assert rows_of(course)[0]["points"] == "3"


def test_the_sandbox_holds_nothing_of_the_teachers(tmp_path):
    import sandbox

    assert sandbox.isolation() == (True, "bubblewrap")
    probe = tmp_path / "probe.py"
    probe.write_text(
        "import os, pathlib, sys\n"
        f"targets = [{str(ROOT / 'README.md')!r},\n"
        f"           {str(ROOT / 'classroom')!r},\n"
        f"           {str(ROOT / 'course')!r}, '/etc/passwd', '/home']\n"
        "seen = [t for t in targets if os.path.exists(t)]\n"
        "wrote = []\n"
        "for t in ['/usr/x', sys.prefix + '/x', '/tmp/x', '/scratch/x']:\n"
        "    try:\n"
        "        open(t, 'w').write('1'); wrote.append(t)\n"
        "    except OSError:\n"
        "        pass\n"
        "import socket\n"
        "try:\n"
        "    socket.create_connection(('127.0.0.1', 22), timeout=1)\n"
        "    net = 'open'\n"
        "except OSError:\n"
        "    net = 'closed'\n"
        "print(seen, wrote, os.getuid(), net)\n"
    )
    (tmp_path / "job").mkdir()
    command = sandbox.bwrap_command(
        tmp_path / "job", [sys.executable, "-I", "/scratch/probe.py"]
    )
    (tmp_path / "job" / "probe.py").write_text(probe.read_text())
    (tmp_path / "job").chmod(0o777)
    shown = subprocess.run(
        command, capture_output=True, text=True, check=True
    ).stdout
    # /tmp is the sandbox's own empty tmpfs, /scratch its folder.
    assert shown.strip() == "[] ['/tmp/x', '/scratch/x'] 65534 closed", (
        shown
    )


def test_teaching_page_lists_every_graded_exercise(built):
    out, _ = built
    sys.path.insert(0, str(ROOT / "tools"))
    from make_assignments import exercise_table

    index = json.loads((out / "assignments.json").read_text())
    page = (ROOT / "book" / "classroom.md").read_text()
    assert exercise_table(index) in page, (
        "book/classroom.md: paste the table of make_assignments.py --table"
    )


def test_correct_versions_for_public_checks_agree_with_the_references():
    sys.path.insert(0, str(ROOT / "tools"))
    from make_assignments import CHAPTERS as NUMBERED
    from make_assignments import load_spec

    compared = 0
    for number in NUMBERED:
        spec = load_spec(number)
        for q in spec.QUESTIONS:
            for dep in q.get("uses", []):
                label = next(
                    p["label"]
                    for p in spec.QUESTIONS
                    if p.get("function") == dep
                )
                reference = getattr(spec, f"reference_{dep}")
                correct = getattr(spec, f"correct_{dep}")
                for args, _ in spec.hidden_cases(label, seed=5):
                    want, got = reference(*args), correct(*args)
                    if isinstance(want, tuple):
                        assert all(
                            np.allclose(g, w) for g, w in zip(got, want)
                        )
                    else:
                        assert np.allclose(got, want), (dep, got, want)
                    compared += 1
    assert compared > 30


def test_numbers_quoted_from_a_chapter_are_the_chapters(built):
    # An assignment that cannot run the chapter (MovieLens) quotes its
    # results; every such number must be one the chapter printed.
    sys.path.insert(0, str(ROOT / "tools"))
    from make_assignments import CHAPTERS as NUMBERED
    from make_assignments import load_spec

    for number, name in NUMBERED.items():
        nb = nbformat.read(
            ROOT / "notebooks" / f"{name}.ipynb", as_version=4
        )
        printed = set()
        for cell in nb.cells:
            for out in cell.get("outputs", []):
                text = out.get("text", "") + out.get("data", {}).get(
                    "text/plain", ""
                )
                printed.update(re.findall(r"\d+\.\d{3}", text))
        for q in load_spec(number).QUESTIONS:
            quoted = re.findall(r"\d+\.\d{3}", q.get("statement", ""))
            missing = [x for x in quoted if x not in printed]
            assert missing == [], (q["label"], missing)
