"""``make grade SUBMISSIONS=<folder>``: grade returned notebooks.

Offline and without Docker: each submission runs through Otter-Grader's
``otter run`` with the autograder zip ``make assignments`` built, in its own
temporary folder, against a private copy of ``recsys_lessons``. Writes

* ``grades.csv``: student, assignment, exercise, points, max_points, status
  (one row per exercise; written answers have no points yet and status
  ``manual``);
* ``feedback/<student>.md``: one file per student, a line per exercise;
* ``manual/<assignment>/<exercise>.md``: every student's written answer to
  that exercise under its rubric, for the teaching team.

Layouts accepted: ``<folder>/<student>/<assignment>.ipynb`` or
``<folder>/<student>.ipynb`` (the assignment is then read from the
notebook). Nothing under ``<folder>`` or the autograder folder is
modified; each submission is copied before it runs.

What a submission breaks costs it what it broke: a function that raises,
runs past its time limit or calls the package's own implementation scores
0 for that exercise; an edited or deleted check cell, 0 for that exercise;
replacing a module attribute the grading relies on, or writing to the
package's files, 0 for every autograded exercise; an unreadable notebook,
0 for everything. Each case gets a line in the student's feedback.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import importlib.util
import json
import os
import pickle
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
ASSIGNMENTS = ROOT / "_build" / "assignments"
PACKAGE = ROOT / "recsys_lessons"
BIN = Path(sys.executable).parent
SUBMISSION_SECONDS = 300  # the whole notebook, as a last resort
PLACEHOLDER = "_Type your answer here, replacing this text._"

GUARD_CELL = (
    "# Inserted by the grader (tools/grade.py): time and output limits.\n"
    "import grading_support as _grading_support\n\n"
    "_grading_support.guard()"
)


def tree_digest(folder, pattern="**/*"):
    """One hash of every file's path and bytes under ``folder``."""
    digest = hashlib.sha256()
    for path in sorted(Path(folder).glob(pattern)):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(folder)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def find_submissions(folder, names):
    """[(student, assignment or None, path)] in a stable order."""
    found = []
    for path in sorted(Path(folder).rglob("*.ipynb")):
        if ".ipynb_checkpoints" in path.parts:
            continue
        relative = path.relative_to(folder)
        if len(relative.parts) >= 2:
            student = relative.parts[0]
            assignment = path.stem if path.stem in names else None
        else:
            student, assignment = path.stem, None
            for name in names:
                if name in path.stem:
                    assignment = name
                    student = path.stem.replace(name, "").strip("_-. ") or (
                        path.stem
                    )
        found.append((student, assignment, path))
    return found


def load_spec(assignment_zip, number):
    """The chapter's grading module, as shipped inside the autograder."""
    with zipfile.ZipFile(assignment_zip) as zf:
        source = zf.read(f"files/ch{number}_grading.py")
    tmp = tempfile.NamedTemporaryFile(suffix=".py", delete=False)
    tmp.write(source)
    tmp.close()
    spec = importlib.util.spec_from_file_location(
        f"ch{number}_grading", tmp.name
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    os.unlink(tmp.name)
    return module


def seed_for(secret, student, assignment):
    """Each student's hidden inputs: fixed by the course's secret."""
    text = f"{secret}/{student}/{assignment}".encode()
    return int(hashlib.sha256(text).hexdigest()[:8], 16)


def reason(output):
    """The line of Otter's test output that says why a test failed."""
    for pattern in (
        r"AssertionError: (.*)",
        r"(\w+Error: .*)",
        r"(\w+: .*)",
    ):
        found = re.findall(pattern, output or "")
        if found:
            return found[-1].strip()
    return "a test failed"


class Grader:
    def __init__(self, folder, out, assignments=ASSIGNMENTS):
        self.folder = Path(folder)
        self.out = Path(out)
        self.assignments = Path(assignments)
        self.index = json.loads(
            (self.assignments / "assignments.json").read_text()
        )
        secret = self.assignments / "grading-secret.txt"
        if not secret.exists():
            sys.exit(f"{secret} is missing: run make assignments")
        self.secret = secret.read_text().strip()

    # -- one submission --------------------------------------------------

    def grade(self, student, assignment, path):
        rows = {}
        lines = []
        answers = {}
        try:
            nb = nbformat.reads(
                path.read_text(encoding="utf-8"), as_version=4
            )
            nbformat.validate(nb)
        except Exception as error:  # any unreadable file: nothing to run
            nb = None
            first = str(error).splitlines()[0] if str(error) else ""
            lines.append(
                "The file is not a valid notebook "
                f"({type(error).__name__}: {first[:120]}); every "
                "exercise scores 0. Save it from Jupyter and hand it in "
                "again."
            )
        if nb is not None:
            named = nb.metadata.get("otter", {}).get("assignment_name")
            if assignment is None or (named and named in self.index):
                assignment = named or assignment
        if assignment not in self.index:
            return (
                student,
                assignment or "unknown",
                [],
                lines
                + [
                    "The grader could not tell which assignment this "
                    "notebook is."
                ],
                {},
            )
        questions = self.index[assignment]
        for q in questions:
            rows[q["question"]] = [0, q["points"], "not graded"]
        if nb is None:
            for q in questions:
                rows[q["question"]][2] = "invalid notebook"
            return (
                student,
                assignment,
                self._rows(questions, rows),
                lines,
                {},
            )

        release = nbformat.read(
            self.assignments / "release" / f"{assignment}.ipynb",
            as_version=4,
        )
        broken = self._check_cells(nb, release, questions)
        answers = self._written_answers(nb, release, questions)
        results, extra = self._run(student, assignment, nb)
        lines += extra
        for q in questions:
            name = q["question"]
            if q["kind"] == "written":
                text = answers.get(name, "")
                if not text:
                    rows[name] = [0, q["points"], "no answer"]
                    lines.append(f"{name}: no written answer; 0 points.")
                else:
                    rows[name] = ["", q["points"], "manual"]
                    lines.append(
                        f"{name}: written answer received; graded by the "
                        "teaching team."
                    )
                continue
            if name in broken:
                rows[name] = [0, q["points"], f"check cell {broken[name]}"]
                lines.append(
                    f"{name}: its check cell was {broken[name]}; check "
                    "cells are part of the assignment; 0 points."
                )
                continue
            if results is None:
                rows[name][2] = "submission not graded"
                continue
            test = results.get(name)
            if test is None:
                rows[name] = [0, q["points"], "not run"]
                lines.append(f"{name}: the grader could not run its tests.")
            elif test["score"] >= q["points"]:
                rows[name] = [q["points"], q["points"], "passed"]
                lines.append(f"{name}: correct on every hidden input.")
            else:
                why = reason(test.get("output"))
                rows[name] = [test["score"], q["points"], "failed"]
                lines.append(f"{name}: {test['score']:g} points: {why}")
        return (
            student,
            assignment,
            self._rows(questions, rows),
            lines,
            answers,
        )

    @staticmethod
    def _rows(questions, rows):
        return [(q["question"], *rows[q["question"]]) for q in questions]

    @staticmethod
    def _check_cells(nb, release, questions):
        """{question: 'edited'/'deleted'} for changed check cells."""
        submitted = {c.get("id"): c.source for c in nb.cells}
        sources = set(submitted.values())
        broken = {}
        for cell in release.cells:
            m = re.fullmatch(
                r'grader\.check\("(\w+)"\)', cell.source.strip()
            )
            if not m:
                continue
            name = m[1]
            if cell.get("id") in submitted:
                if submitted[cell.id].strip() != cell.source.strip():
                    broken[name] = "edited"
            elif cell.source not in sources:
                broken[name] = "deleted"
        return broken

    @staticmethod
    def _written_answers(nb, release, questions):
        """The text under each written question's (locked) statement."""
        answers = {}
        for index, q in enumerate(questions, 1):
            if q["kind"] != "written":
                continue
            heading = re.compile(rf"^## \d+\.{index} ", re.M)
            parts, inside = [], False
            for cell in nb.cells:
                if cell.cell_type == "markdown" and heading.search(
                    cell.source
                ):
                    inside = True
                    continue
                if inside:
                    if "<!-- END QUESTION -->" in cell.source or (
                        cell.source.lstrip().startswith("## ")
                    ):
                        break
                    text = cell.source.strip()
                    if text and text != PLACEHOLDER:
                        parts.append(text)
            if parts:
                answers[q["question"]] = "\n\n".join(parts)
        return answers

    def _run(self, student, assignment, nb):
        """Run otter on a copy; return ({question: test result}, lines)."""
        number = int(assignment[:2])
        zip_path = self.assignments / "autograder" / f"{assignment}.zip"
        spec = load_spec(zip_path, number)
        seed = seed_for(self.secret, student, assignment)
        lines = []
        with tempfile.TemporaryDirectory(prefix="grade-") as tmp:
            tmp = Path(tmp)
            (tmp / "sub").mkdir()
            (tmp / "out").mkdir()
            (tmp / "home").mkdir()
            shutil.copytree(
                PACKAGE,
                tmp / "pkg" / "recsys_lessons",
                ignore=shutil.ignore_patterns("__pycache__"),
            )
            before = tree_digest(tmp / "pkg", "**/*.py")
            cases = {
                q["label"]: spec.hidden_cases(q["label"], seed)
                for q in self.index[assignment]
                if q["kind"] == "autograded"
            }
            with open(tmp / "cases.pkl", "wb") as f:
                pickle.dump(cases, f)
            nb = nbformat.from_dict(nb)
            # Whatever kernel the student's machine named, the grader runs
            # its own Python (the environment that has the package).
            nb.metadata["kernelspec"] = {
                "name": "python3",
                "display_name": "Python 3",
                "language": "python",
            }
            nb.cells.insert(0, nbformat.v4.new_code_cell(GUARD_CELL))
            nb.cells[0].id = "grader-guard"
            nbformat.write(nb, tmp / "sub" / f"{assignment}.ipynb")
            env = {
                **os.environ,
                "HOME": str(tmp / "home"),
                "PYTHONPATH": str(tmp / "pkg"),
                "RECSYS_GRADING_CASES": str(tmp / "cases.pkl"),
                "RECSYS_GRADING_NOTES": str(tmp / "notes.txt"),
                "MPLBACKEND": "Agg",
                "OMP_NUM_THREADS": "1",
                "OPENBLAS_NUM_THREADS": "1",
                "MKL_NUM_THREADS": "1",
                "RECSYS_LESSONS_QUIET": "1",
                "PYDEVD_DISABLE_FILE_VALIDATION": "1",
            }
            command = [
                str(BIN / "otter"),
                "run",
                "--no-logo",
                "-a",
                str(zip_path),
                "-o",
                str(tmp / "out"),
                str(tmp / "sub" / f"{assignment}.ipynb"),
            ]
            process = subprocess.Popen(
                command,
                cwd=tmp,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
            try:
                process.wait(timeout=SUBMISSION_SECONDS)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
                lines.append(
                    "The notebook did not finish within "
                    f"{SUBMISSION_SECONDS} s in the grader; every "
                    "autograded exercise scores 0."
                )
                return None, lines
            if (tmp / "notes.txt").exists():
                lines += (tmp / "notes.txt").read_text().splitlines()
            if tree_digest(tmp / "pkg", "**/*.py") != before:
                lines.append(
                    "The notebook modified the files of recsys_lessons; "
                    "the grader cannot trust any result after that, so "
                    "every autograded exercise scores 0."
                )
                return None, lines
            results_file = tmp / "out" / "results.json"
            if not results_file.exists():
                lines.append(
                    "The grader could not run this notebook (Otter wrote "
                    "no results); every autograded exercise scores 0."
                )
                return None, lines
            tests = json.loads(results_file.read_text())["tests"]
        return {t["name"]: t for t in tests if "score" in t}, lines

    # -- the class -------------------------------------------------------

    def run(self, jobs=2):
        names = list(self.index)
        submissions = find_submissions(self.folder, names)
        guarded = [self.folder, self.assignments]
        before = [tree_digest(f) for f in guarded]
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            graded = list(pool.map(lambda s: self.grade(*s), submissions))
        for folder, digest in zip(guarded, before):
            if tree_digest(folder) != digest:
                sys.exit(
                    f"grading modified {folder}: do not trust this run"
                )
        self.write(graded)
        return graded

    def write(self, graded):
        self.out.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(self.out / "feedback", ignore_errors=True)
        shutil.rmtree(self.out / "manual", ignore_errors=True)
        (self.out / "feedback").mkdir()
        with open(self.out / "grades.csv", "w", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(
                [
                    "student",
                    "assignment",
                    "exercise",
                    "points",
                    "max_points",
                    "status",
                ]
            )
            marks = self._manual_points(graded)
            for student, assignment, rows, _, _ in graded:
                for name, points, top, status in rows:
                    mark = marks.get((student, assignment, name), "")
                    if status == "manual" and mark != "":
                        points, status = mark, "manual, graded"
                    writer.writerow(
                        [student, assignment, name, points, top, status]
                    )
        by_student = {}
        for student, assignment, rows, lines, _ in graded:
            by_student.setdefault(student, []).append(
                (assignment, rows, lines)
            )
        for student, parts in by_student.items():
            text = [f"# Feedback for {student}\n"]
            for assignment, rows, lines in parts:
                auto = sum(r[1] for r in rows if r[1] != "")
                text.append(f"## {assignment}\n")
                text.append(
                    f"Autograded points: {auto:g} (written answers are "
                    "graded by the teaching team).\n"
                )
                text += [f"- {line}" for line in lines]
                text.append("")
            (self.out / "feedback" / f"{student}.md").write_text(
                "\n".join(text)
            )
        self._manual(graded)

    def _manual_points(self, graded):
        """Read, then rewrite, the teaching team's marks of written answers.

        ``manual_points.csv`` (student, assignment, exercise, points) keeps
        every mark entered, across regrades; rows for new written answers
        are added with empty points.
        """
        path = self.out / "manual_points.csv"
        marks = {}
        if path.exists():
            with open(path, newline="") as f:
                for row in csv.DictReader(f):
                    key = (
                        row["student"],
                        row["assignment"],
                        row["exercise"],
                    )
                    marks[key] = row["points"].strip()
        for student, assignment, rows, _, _ in graded:
            for name, _, _, status in rows:
                if status == "manual":
                    marks.setdefault((student, assignment, name), "")
        with open(path, "w", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(["student", "assignment", "exercise", "points"])
            for key in sorted(marks):
                writer.writerow([*key, marks[key]])
        return marks

    def _manual(self, graded):
        rubrics = {}
        for student, assignment, _, _, answers in graded:
            for q in self.index.get(assignment, []):
                if q["kind"] != "written":
                    continue
                key = (assignment, q["question"])
                if key not in rubrics:
                    rubrics[key] = [
                        f"# {assignment}: {q['question']} "
                        f"({q['points']} points)\n",
                        "Rubric: "
                        f"{q.get('rubric', '(see the solutions)')}\n",
                    ]
                answer = answers.get(q["question"], "(no answer)")
                rubrics[key].append(f"## {student}\n\n{answer}\n")
        for (assignment, name), text in rubrics.items():
            folder = self.out / "manual" / assignment
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{name}.md").write_text("\n".join(text))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("submissions", help="folder of returned notebooks")
    parser.add_argument("--out", default=str(ROOT / "_build" / "grades"))
    parser.add_argument("--assignments", default=str(ASSIGNMENTS))
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    grader = Grader(args.submissions, args.out, args.assignments)
    graded = grader.run(args.jobs)
    rows = sum(len(g[2]) for g in graded)
    print(
        f"graded {len(graded)} submissions ({rows} rows) into "
        f"{Path(args.out) / 'grades.csv'}"
    )


if __name__ == "__main__":
    main()
