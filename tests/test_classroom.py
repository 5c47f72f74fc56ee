"""The classroom kit end to end: ``make assignments``, then ``make grade``.

The assignments are built into a temporary folder with the same command
``make assignments`` runs; a class of 30 submissions is generated from the
student notebook (every special case the teaching page promises, and random
mixes of right and wrong answers) and graded with the same command
``make grade`` runs. Expected points come from how each submission was
made, not from a stored copy of the grader's output.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import numpy as np
import pytest
from solution_text import leaks, solution_lines

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
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
    subprocess.run(
        [
            PY,
            "tools/make_assignments.py",
            "--out",
            str(out),
            "--student",
            str(student),
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return out, student


def grade(submissions, out, assignments):
    subprocess.run(
        [
            PY,
            "tools/grade.py",
            str(submissions),
            "--out",
            str(out),
            "--assignments",
            str(assignments),
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with open(out / "grades.csv") as f:
        return list(csv.DictReader(f))


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
        ):
            assert secret not in shown, (name, secret)
        # Public tests only: each question's test file has no hidden case.
        for test in body["metadata"]["otter"]["tests"].values():
            assert "hidden=True" not in test


# --- make grade -----------------------------------------------------------

RIGHT = {}  # filled from the teacher's copy


def teacher_functions(solutions):
    nb = nbformat.read(solutions, as_version=4)
    found = {}
    for cell in nb.cells:
        m = re.match(r"def (\w+)\(", cell.source)
        if cell.cell_type == "code" and m:
            found[m[1]] = "\n".join(
                line
                for line in cell.source.splitlines()
                if "# BEGIN SOLUTION" not in line
                and "# END SOLUTION" not in line
            )
    return found


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


def make(
    release, functions, written=True, extra_cells=(), drop=(), edit=()
):
    nb = nbformat.read(release, as_version=4)
    for cell in nb.cells:
        m = re.match(r"def (\w+)\(", cell.source)
        if m and m[1] in functions:
            cell.source = functions[m[1]]
        if (
            written
            and cell.cell_type == "markdown"
            and "otter_answer_cell" in cell.metadata.get("tags", [])
        ):
            cell.source = "Because the normal equations say so."
        for q in edit:
            if cell.source == f'grader.check("{q}")':
                cell.source = f'grader.check("{q}")\nprint("edited")'
    nb.cells = [
        c
        for c in nb.cells
        if c.source not in {f'grader.check("{q}")' for q in drop}
    ]
    setup = next(
        i for i, c in enumerate(nb.cells) if "toy_ratings()" in c.source
    )
    for offset, source in enumerate(extra_cells, 1):
        nb.cells.insert(setup + offset, nbformat.v4.new_code_cell(source))
    return nb


@pytest.fixture(scope="module")
def class_of_30(built, tmp_path_factory):
    """30 submissions of assignment 2.

    Returns the folder and {student: (expected points, feedback phrase)}.
    """
    out, _ = built
    release = out / "release" / "02_als.ipynb"
    right = teacher_functions(out / "solutions" / "02_als.ipynb")
    folder = tmp_path_factory.mktemp("submissions")
    expect = {}

    def add(student, nb, points, phrase=None):
        (folder / student).mkdir()
        path = folder / student / "02_als.ipynb"
        if isinstance(nb, str):
            path.write_text(nb)
        else:
            nbformat.write(nb, path)
        expect[student] = (points, phrase)

    def score(functions):
        # als_sweep calls the student's als_user_update, but is graded with
        # the grader's own in its place: each mistake costs points once.
        ok = {f: functions[f] == right[f] for f in POINTS}
        return {QUESTION[f]: POINTS[f] if ok[f] else 0 for f in POINTS}

    full = dict(right)
    own_kernel = make(release, full)
    # Saved on a machine whose kernel has another name.
    own_kernel.metadata["kernelspec"]["name"] = "conda-env-course-py"
    add("s01_full", own_kernel, score(full), "correct on every")
    add(
        "s02_untouched",
        nbformat.read(release, as_version=4),
        dict.fromkeys(QUESTION.values(), 0),
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
        "raised ValueError",
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
        "ran longer than",
    )
    add(
        "s06_deleted_check",
        make(release, full, drop=["ch2_user"]),
        {**score(full), "ch2_user": 0},
        "check cell was deleted",
    )
    add(
        "s07_edited_check",
        make(release, full, edit=["ch2_sweep"]),
        {**score(full), "ch2_sweep": 0},
        "check cell was edited",
    )
    package = {
        **right,
        "weighted_objective": "def weighted_objective(R, U, V, lam):\n"
        "    return mf.objective(R, U, V, lam, 'weighted')",
    }
    add(
        "s08_calls_package",
        make(
            release, package, extra_cells=["from recsys_lessons import mf"]
        ),
        {**score(right), "ch2_weighted_objective": 0},
        "calls recsys_lessons.mf.objective",
    )
    add(
        "s09_invalid",
        '{"cells": [ this is not JSON',
        dict.fromkeys(QUESTION.values(), 0),
        "not a valid notebook",
    )
    add(
        "s10_prints",
        make(release, full, extra_cells=["print('x' * 5_000_000)"]),
        score(full),
        "cut its output",
    )
    edit_package = (
        "import recsys_lessons.mf\n"
        "with open(recsys_lessons.mf.__file__, 'a') as f:\n"
        "    f.write('\\n# changed by a submission\\n')"
    )
    add(
        "s11_edits_package",
        make(release, full, extra_cells=[edit_package]),
        dict.fromkeys(QUESTION.values(), 0),
        "modified the files of recsys_lessons",
    )
    add(
        "s12_patches_numpy",
        make(
            release,
            full,
            extra_cells=["np.isclose = np.allclose = lambda *a, **k: True"],
        ),
        dict.fromkeys(QUESTION.values(), 0),
        "replaced numpy.",
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
    add(
        "s13_modifies",
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
        "s14_missing",
        make(release, missing),
        {**score(right), "ch2_weighted_objective": 0},
        "no function named weighted_objective",
    )
    rng = np.random.default_rng(12)
    for number in range(15, 31):
        mix = {
            f: right[f] if rng.random() < 0.6 else WRONG[f] for f in POINTS
        }
        add(f"s{number:02d}_mix", make(release, mix), score(mix))
    assert len(expect) == 30
    return folder, expect


@pytest.fixture(scope="module")
def graded_class(built, class_of_30, tmp_path_factory):
    out, _ = built
    folder, expect = class_of_30
    before = digest(folder), digest(out), digest(ROOT / "recsys_lessons")
    grades = tmp_path_factory.mktemp("grades")
    rows = grade(folder, grades, out)
    after = digest(folder), digest(out), digest(ROOT / "recsys_lessons")
    return rows, grades, expect, before, after


def test_class_is_graded_with_the_expected_points(graded_class):
    rows, _, expect, _, _ = graded_class
    got = {}
    for row in rows:
        if row["exercise"] in QUESTION.values():
            got.setdefault(row["student"], {})[row["exercise"]] = float(
                row["points"]
            )
    assert set(got) == set(expect)
    for student, (points, _) in expect.items():
        assert got[student] == points, student


def test_written_answers_go_to_the_teaching_team(graded_class):
    rows, grades, _, _, _ = graded_class
    written = [
        r for r in rows if r["exercise"] in ("ch2_item", "ch2_lambda_zero")
    ]
    status = {(r["student"], r["exercise"]): r["status"] for r in written}
    assert status["s01_full", "ch2_item"] == "manual"
    assert status["s02_untouched", "ch2_item"] == "no answer"
    sheet = (grades / "manual" / "02_als" / "ch2_item.md").read_text()
    assert "Rubric:" in sheet and "## s01_full" in sheet


def test_every_student_gets_feedback_saying_what_happened(graded_class):
    _, grades, expect, _, _ = graded_class
    for student, (_, phrase) in expect.items():
        text = (grades / "feedback" / f"{student}.md").read_text()
        if phrase:
            assert phrase in text, (student, text)


def test_grading_modifies_nothing_of_the_teachers(graded_class):
    _, _, _, before, after = graded_class
    assert before == after


def test_every_teacher_solution_gets_full_marks(built, tmp_path):
    out, _ = built
    folder = tmp_path / "teacher"
    for name in CHAPTERS:
        (folder / "teacher").mkdir(parents=True, exist_ok=True)
        source = out / "solutions" / f"{name}.ipynb"
        (folder / "teacher" / f"{name}.ipynb").write_bytes(
            source.read_bytes()
        )
    rows = grade(folder, tmp_path / "grades", out)
    auto = [r for r in rows if r["status"] not in ("manual", "no answer")]
    assert {r["assignment"] for r in auto} == set(CHAPTERS)
    for row in auto:
        assert row["points"] == row["max_points"], row


def test_teaching_page_lists_every_graded_exercise(built):
    out, _ = built
    sys.path.insert(0, str(ROOT / "tools"))
    from make_assignments import exercise_table

    index = json.loads((out / "assignments.json").read_text())
    page = (ROOT / "book" / "classroom.md").read_text()
    assert exercise_table(index) in page, (
        "book/classroom.md: paste the table of make_assignments.py --table"
    )


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


def test_marks_of_written_answers_survive_a_regrade(built, tmp_path):
    out, _ = built
    right = teacher_functions(out / "solutions" / "02_als.ipynb")
    folder = tmp_path / "submissions" / "ann"
    folder.mkdir(parents=True)
    nbformat.write(
        make(out / "release" / "02_als.ipynb", right),
        folder / "02_als.ipynb",
    )
    grades = tmp_path / "grades"
    rows = grade(folder.parent, grades, out)
    manual = [r for r in rows if r["status"] == "manual"]
    assert {r["exercise"] for r in manual} == {
        "ch2_item",
        "ch2_lambda_zero",
    }
    sheet = grades / "manual_points.csv"
    lines = sheet.read_text().splitlines()
    assert lines[0] == "student,assignment,exercise,points"
    assert "ann,02_als,ch2_item," in lines
    sheet.write_text(
        sheet.read_text().replace(
            "ann,02_als,ch2_item,", "ann,02_als,ch2_item,1.5"
        )
    )
    again = {r["exercise"]: r for r in grade(folder.parent, grades, out)}
    assert again["ch2_item"]["points"] == "1.5"
    assert again["ch2_item"]["status"] == "manual, graded"
    assert again["ch2_lambda_zero"]["status"] == "manual"
    assert "ann,02_als,ch2_item,1.5" in sheet.read_text()
