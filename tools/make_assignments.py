"""``make assignments``: turn each chapter's exercises into an assignment.

For chapter ``NN_name`` this reads the chapter notebook (the statements and
the teacher's solutions) and ``classroom/chN.py`` (which exercises are
graded, their points, public tests, plain-loop references and rubrics).
Results:

* ``student/notebooks/NN_name.ipynb``: the student notebook (tracked in
  git: the student edition's download and launch buttons open it). Its
  first cell installs the package from ``_config.yml``'s repository at its
  ``branch`` (a release tag pins it); its hidden-source checks cell holds
  the public tests, so the checks work on Colab, under any file name;
* ``_build/assignments/release/``: the student notebooks, ready to hand out;
* ``_build/assignments/solutions/NN_name.ipynb``: the teacher's copy, with
  solutions and rubrics;
* ``course/grading-secret.txt``: created once (``tools/grade.py``).

Each teacher's copy is executed, and every public check must pass on it.
"""

from __future__ import annotations

import argparse
import ast
import importlib.util
import inspect
import json
import re
import secrets
import shutil
import sys
import textwrap
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parent.parent
CLASSROOM = ROOT / "classroom"
STUDENT = ROOT / "student" / "notebooks"
OUT = ROOT / "_build" / "assignments"
CHAPTERS = {
    1: "01_objective",
    2: "02_als",
    3: "03_svd",
    4: "04_bpr",
    5: "05_lambdarank",
    6: "06_metrics",
    7: "07_movielens",
    8: "08_scale",
}
COURSE = ROOT / "course"
PLACEHOLDER = "_Type your answer here, replacing this text._"


def load_spec(number):
    path = CLASSROOM / f"ch{number}.py"
    spec = importlib.util.spec_from_file_location(
        f"ch{number}_grading", path
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def question_name(label):
    """Question names are identifiers: ex-ch2-user -> ch2_user."""
    return label.removeprefix("ex-").replace("-", "_")


# --- reading the chapter -------------------------------------------------

EXERCISE = re.compile(
    r"^:::\{exercise\}\s*(?P<title>.*?)\n:label: (?P<label>\S+)\n"
    r"(?P<body>.*?)^:::\s*$",
    re.M | re.S,
)
SOLUTION = re.compile(
    r"^````\{solution\} (?P<label>\S+)\n(?::\w+:[^\n]*\n)*"
    r"(?P<body>.*?)^````\s*$",
    re.M | re.S,
)
GATED = re.compile(
    r"^````\{solution-start\} (?P<label>\S+)\n(?::\w+:[^\n]*\n)*````\n"
    r"(?P<body>.*)",
    re.M | re.S,
)


def printed(cell):
    """The text a code cell printed (figures are named, not shown)."""
    parts = []
    for out in cell.get("outputs", []):
        if "text" in out:
            parts.append(out["text"])
        elif "text/plain" in out.get("data", {}):
            if "image/png" in out["data"]:
                parts.append("[a figure: see the chapter]")
            else:
                parts.append(out["data"]["text/plain"])
    return "\n".join(p.rstrip() for p in parts).strip()


def read_exercises(nb):
    """Statements, written solutions and solution code cells by label."""
    statements, solutions, code = {}, {}, {}
    open_label = None
    for cell in nb.cells:
        text = cell.source
        if cell.cell_type == "code":
            if open_label:
                code.setdefault(open_label, []).append(text)
                # The teacher's copy shows the worked solution whole.
                solutions[open_label] += f"\n\n```python\n{text}\n```\n"
                shown = printed(cell)
                if shown:
                    solutions[open_label] += f"\n```text\n{shown}\n```\n"
            continue
        if open_label and "{solution-end}" in text:
            before = text.split("````{solution-end}")[0]
            if before.strip():
                solutions[open_label] += "\n" + before
            open_label = None
        for m in EXERCISE.finditer(text):
            statements[m["label"]] = (m["title"].strip(), m["body"].strip())
        for m in SOLUTION.finditer(text):
            solutions[m["label"]] = m["body"].strip()
        m = GATED.search(text)
        if m:
            open_label = m["label"]
            solutions[open_label] = m["body"].split("````{solution-end}")[0]
            if "{solution-end}" in m["body"]:
                open_label = None
    return statements, solutions, code


def headings(notebooks):
    """Section labels -> titles, chapter titles, equations -> numbers.

    Equation numbers are the rendered book's: chapter number, then the
    labelled equations of the chapter in order (``eq:<label>`` -> "2.1";
    ``tests/test_book_browser.py`` checks them against the built pages).
    """
    refs, docs = {}, {}
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        count = 0
        for cell in nb.cells:
            if cell.cell_type != "markdown":
                continue
            for label in re.findall(
                r"^\$\$ *\((\S+)\)\s*$", cell.source, re.M
            ):
                count += 1
                refs[f"eq:{label}"] = f"{int(path.stem[:2])}.{count}"
            pending = []  # labels stacked above the next heading
            for line in cell.source.splitlines():
                label = re.fullmatch(r"\((\S+)\)=", line.strip())
                if label:
                    pending.append(label[1])
                elif line.startswith("#"):
                    for name in pending:
                        refs[name] = line.lstrip("#").strip()
                    pending = []
                elif line.strip():
                    pending = []
            m = re.search(r"^# (.*)$", cell.source, re.M)
            if m and path.stem not in docs:
                docs[path.stem] = m[1].strip()
    return refs, docs


def equation(label, refs, chapter):
    """How an assignment names equation ``label``: "(2.1)", its chapter."""
    number = refs[f"eq:{label}"]
    if int(number.split(".")[0]) == chapter:
        return f"({number})"
    return f"({number}) of Chapter {number.split('.')[0]}"


def glued_values(nb):
    """``{name: value}`` of the numbers a chapter glues into its prose.

    Read from the stored outputs that ``recsys_lessons.prose.glue``
    writes (MyST-NB's glue format), so an assignment quotes the number
    the chapter printed.
    """
    values = {}
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            meta = out.get("metadata", {}).get("scrapbook")
            if not meta:
                continue
            key = meta["mime_prefix"] + "text/plain"
            values[meta["name"]] = ast.literal_eval(out["data"][key])
    return values


def plain_markdown(text, refs, docs, chapter, glued=None):
    """MyST roles and fences a plain Jupyter cannot render -> Markdown."""

    def paste(m):
        name, _, spec = m[1].partition(":")
        if glued is None or name not in glued:
            raise ValueError(f"chapter {chapter} glues no number {name!r}")
        return format(glued[name], spec)

    def ref(m):
        target = m[2].split("<")[-1].rstrip(">")
        title = m[2].split("<")[0].strip() if "<" in m[2] else None
        return f"“{title or refs.get(target, target)}”"

    def doc(m):
        stem = m[1].split("/")[-1]
        return f"“{docs.get(stem, stem)}”"

    text = re.sub(
        r"\{eq\}`([^`]+)`",
        lambda m: "equation " + equation(m[1], refs, chapter),
        text,
    )
    text = re.sub(r"\{glue(?::text)?\}`([^`]+)`", paste, text)
    text = re.sub(r"\{(ref|numref|prf:ref)\}`([^`]+)`", ref, text)
    text = re.sub(r"\{doc\}`([^`]+)`", doc, text)
    text = re.sub(r"\{cite:[pt]\}`([^`]+)`", r"[\1]", text)
    text = re.sub(r"^:::\{(\w+)\}.*$|^:::$", "", text, flags=re.M)
    return text.strip()


def function_source(cells, name):
    """The solution's definition of ``name``, and the students' stub."""
    for source in cells:
        tree = ast.parse(source)
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name == name:
                lines = source.splitlines()
                full = "\n".join(lines[node.lineno - 1 : node.end_lineno])
                body = node.body
                has_doc = (
                    isinstance(body[0], ast.Expr)
                    and isinstance(body[0].value, ast.Constant)
                    and isinstance(body[0].value.value, str)
                )
                head_end = body[0].end_lineno if has_doc else node.lineno
                if not has_doc:  # the def line may wrap
                    head_end = body[0].lineno - 1
                head = "\n".join(lines[node.lineno - 1 : head_end])
                stub = f"{head}\n    ..."
                return full, stub
    raise SystemExit(f"no definition of {name}() in the chapter's solution")


# --- the notebooks -------------------------------------------------------

CHECKS_ID = "public-checks"

CHECKS_HEAD = """\
#@title Public checks: run this cell once (you need not read it)
# grader.check("name") runs the public tests of one exercise on your
# function: properties such as a zero gradient or a hand-computed case,
# never the answer. The grader runs hidden tests on other inputs. A check
# of a function that calls one of your earlier functions runs it with a
# correct version of that earlier function (from recsys_lessons), as the
# grader does with its own: one mistake fails one check.
import __main__
import math  # noqa: F401  (the tests below may use it)
import traceback

import numpy as np


class _PublicChecks:
    def __init__(self, tests):
        self._tests = tests

    def check(self, question):
        function, test, uses = self._tests[question]
        found = vars(__main__).get(function)
        if not callable(found):
            print(f"{question}: no function {function} yet: run its cell")
            return
        space = found.__globals__
        saved = {name: space.get(name) for name in uses}
        space.update(uses)
        try:
            test(found)
        except AssertionError as error:
            line = traceback.extract_tb(error.__traceback__)[-1].line
            print(f"{question}: a public test failed: {error or line}")
        except Exception as error:
            print(
                f"{question}: {function} raised "
                f"{type(error).__name__}: {error}"
            )
        else:
            print(f"{question}: the public tests pass")
        finally:
            space.update(saved)
"""


def checks_cell(spec):
    """The notebook's public tests and the ``grader`` that runs them."""
    parts = [CHECKS_HEAD.strip()]
    entries = []
    for q in spec.QUESTIONS:
        if "function" not in q:
            continue
        public = getattr(spec, f"public_{q['function']}")
        parts.append(textwrap.dedent(inspect.getsource(public)).strip())
        uses = []
        for dep in q.get("uses", []):
            correct = getattr(spec, f"correct_{dep}")
            parts.append(
                textwrap.dedent(inspect.getsource(correct)).strip()
            )
            uses.append(f'"{dep}": correct_{dep}')
        entries.append(
            f'        "{question_name(q["label"])}": (\n'
            f'            "{q["function"]}",\n'
            f"            public_{q['function']},\n"
            f"            {{{', '.join(uses)}}},\n"
            "        ),"
        )
    parts.append(
        "grader = _PublicChecks(\n    {\n"
        + "\n".join(entries)
        + "\n    }\n)\n"
        "print('Public checks ready: grader.check(...) under each "
        "function')"
    )
    cell = nbformat.v4.new_code_cell("\n\n\n".join(parts))
    cell.metadata = {"cellView": "form", "jupyter": {"source_hidden": True}}
    return cell


def install_cell(repo, ref):
    return (
        "# Run this cell first. Where recsys_lessons is missing (Colab,\n"
        "# Binder, a fresh Python) it installs the book's package from\n"
        "# the course's repository, at the release the course uses.\n"
        f'SOURCE = "git+{repo}@{ref}"\n'
        "try:\n"
        "    import recsys_lessons  # noqa: F401\n"
        "except ImportError:\n"
        '    %pip install --quiet "recsys_lessons @ {SOURCE}"\n'
        "    import importlib\n\n"
        "    importlib.invalidate_caches()\n"
        "    import recsys_lessons  # noqa: F401"
    )


RULES = """\
**Rules (each costs points; the grader follows exactly these).**

1. Write each function yourself, with NumPy and Python. The grader runs
   your functions *without* `recsys_lessons`: a function that calls it
   scores 0 for that exercise. Use the package in your own checks,
   outside the functions.
2. A function must return its result and leave its arguments unchanged;
   one that modifies an argument scores 0 for that exercise.
3. Keep the function names and arguments of the stubs. The grader calls
   them on hidden inputs, drawn for you, with 5 s per call; a call that
   runs longer scores 0 for that exercise. Any other statement may run
   10 s before the grader stops it and goes on.
4. A function that uses one of your earlier functions is graded with the
   grader's correct version of that earlier function in its place, so
   one mistake costs points once.
5. The grader runs your notebook's code in a sandbox that holds nothing
   of the teacher's. Code that reaches for the grader (reads the
   interpreter's stack or memory, changes its tracing or signal
   handling, uses `ctypes`, or names the grader's files or modules:
   `job.pkl`, `results.jsonl`, `grading-secret.txt`,
   `manual_points.csv`, `grades.csv`, the grading modules) scores 0 for
   every autograded exercise and is reported to your teacher.
6. Write each written answer in the cell under its question, replacing
   the text there.

Replacing or wrapping NumPy functions costs nothing, and the check cells
are only for you: the grader does not run them. Hand in this notebook
under any file name."""


def notebook(number, stem, spec, repo, ref, refs, docs, teacher):
    """The student notebook, or with ``teacher`` the teacher's copy."""
    nb = nbformat.read(ROOT / "notebooks" / f"{stem}.ipynb", as_version=4)
    statements, solutions, code = read_exercises(nb)
    glued = glued_values(nb)
    v4 = nbformat.v4
    total = sum(q["points"] for q in spec.QUESTIONS)
    intro = (
        f"# Assignment {number}: {docs[stem]}\n\n"
        f"The graded exercises of Chapter {number} of *Recommender "
        "Systems: Matrix Factorization and Learning to Rank*; read the "
        "chapter first (your course's student edition). Run the first "
        "three cells, then fill in every cell marked `...` or *Type your "
        "answer here*, run the check cell under each function, save, and "
        "hand in this notebook.\n\n"
        + RULES
        + "\n\n"
        + points_table(spec)
        + f"\n\nTotal: {total} points."
    )
    if teacher:
        intro = (
            "**Teacher's copy: solutions and rubrics. Do not hand out.**"
            "\n\n" + intro
        )
    checks = checks_cell(spec)
    cells = [
        v4.new_markdown_cell(intro),
        v4.new_code_cell(install_cell(repo, ref)),
        checks,
        v4.new_code_cell(spec.SETUP.strip()),
    ]
    for index, q in enumerate(spec.QUESTIONS, 1):
        label = q["label"]
        title, body = statements[label]
        cells.append(
            v4.new_markdown_cell(
                f"## {number}.{index} {title} ({q['points']} points)\n\n"
                + plain_markdown(
                    q.get("statement", body), refs, docs, number, glued
                )
            )
        )
        if "function" in q:
            cells[-1].source += (
                f"\n\n*Graded: your `{q['function']}` on hidden inputs. "
                "Anything else this asks you to compute or check is for "
                "your own checks.*"
            )
        else:
            answer = PLACEHOLDER
            if teacher:
                rubric = textwrap.dedent(q["rubric"]).strip()
                answer = (
                    plain_markdown(
                        solutions[label], refs, docs, number, glued
                    )
                    + f"\n\n**Rubric ({q['points']} points).** {rubric}"
                )
            cells.append(v4.new_markdown_cell(answer))
            continue
        full, stub = function_source(code[label], q["function"])
        source = full if teacher else stub
        # Docstrings cite equations by label; students see numbers.
        source = re.sub(
            r"\((eq-[\w-]+)\)",
            lambda m: equation(m[1], refs, number),
            source,
        )
        cells.append(v4.new_code_cell(source))
        cells.append(
            v4.new_code_cell(f'grader.check("{question_name(label)}")')
        )
    out = v4.new_notebook(cells=cells)
    out.metadata = {
        "kernelspec": {
            "name": "python3",
            "display_name": "Python 3",
            "language": "python",
        },
        "language_info": {"name": "python"},
        "recsys_lessons": {"assignment": stem},
    }
    for index, cell in enumerate(out.cells):
        cell.id = CHECKS_ID if cell is checks else f"cell-{index:02d}"
    return out


def points_table(spec):
    rows = ["| exercise | kind | points |", "|---|---|---|"]
    for index, q in enumerate(spec.QUESTIONS, 1):
        kind = (
            f"implement `{q['function']}`, autograded"
            if "function" in q
            else "written, graded by the teaching team"
        )
        rows.append(f"| {index} | {kind} | {q['points']} |")
    return "\n".join(rows)


def exercise_table(index):
    """The teaching page's table of graded exercises (book/classroom.md)."""
    rows = [
        "| assignment | exercise | graded | points |",
        "|---|---|---|---|",
    ]
    for stem, questions in index.items():
        for q in questions:
            how = (
                "autograded, hidden inputs"
                if q["kind"] == "autograded"
                else "written, rubric"
            )
            exercise = f"{{ref}}`{q['label']}`"
            rows.append(
                f"| `{stem}` | {exercise} | {how} | {q['points']} |"
            )
        total = sum(q["points"] for q in questions)
        rows.append(f"| `{stem}` | total | | {total} |")
    return "\n".join(rows) + "\n"


def verify(teacher_copy, stem):
    """Run the teacher's copy: every public check must pass."""
    from nbclient import NotebookClient

    nb = nbformat.read(teacher_copy, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3").execute(
        cwd=str(teacher_copy.parent)
    )
    said = "\n".join(
        out.get("text", "")
        for cell in nb.cells
        if cell.cell_type == "code" and cell.source.startswith("grader.")
        for out in cell.outputs
    )
    checks = [c for c in nb.cells if c.source.startswith("grader.check")]
    if said.count("the public tests pass") != len(checks):
        sys.exit(
            f"{stem}: the teacher's solution fails a public check:\n{said}"
        )


def build(number, refs, docs, repo, ref, out, student, check=True):
    stem = CHAPTERS[number]
    spec = load_spec(number)
    for folder in (out / "solutions", out / "release", student):
        folder.mkdir(parents=True, exist_ok=True)
    for teacher, path in (
        (False, student / f"{stem}.ipynb"),
        (True, out / "solutions" / f"{stem}.ipynb"),
    ):
        nbformat.write(
            notebook(number, stem, spec, repo, ref, refs, docs, teacher),
            path,
        )
    shutil.copy(student / f"{stem}.ipynb", out / "release")
    if check:
        verify(out / "solutions" / f"{stem}.ipynb", stem)
    return stem, spec


def course_secret(course):
    """The course's grading secret: created once, owner-only, kept."""
    course.mkdir(parents=True, exist_ok=True)
    course.chmod(0o700)
    secret = course / "grading-secret.txt"
    old = ROOT / "_build" / "assignments" / "grading-secret.txt"
    if not secret.exists() and old.exists():  # kept by an older version
        shutil.copy(old, secret)
        print(f"moved the grading secret from {old} to {secret}")
    if not secret.exists():
        secret.write_text(secrets.token_hex(16) + "\n")
        print(
            f"wrote a new grading secret to {secret}: keep it (the same "
            "secret gives the same hidden inputs on a regrade), back it "
            "up, never commit it"
        )
    secret.chmod(0o600)
    return secret


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "chapters", nargs="*", type=int, default=list(CHAPTERS)
    )
    parser.add_argument(
        "--out", type=Path, default=OUT, help="output folder"
    )
    parser.add_argument(
        "--student", type=Path, default=STUDENT, help="student notebooks"
    )
    parser.add_argument(
        "--course", type=Path, default=COURSE, help="the course folder"
    )
    parser.add_argument(
        "--repository",
        help="install source (default: _config.yml's repository.url)",
    )
    parser.add_argument(
        "--ref", help="release (default: _config.yml's repository.branch)"
    )
    parser.add_argument(
        "--no-check",
        action="store_true",
        help="do not run the teacher's copies",
    )
    parser.add_argument(
        "--table",
        action="store_true",
        help="print the teaching page's exercise table and stop",
    )
    args = parser.parse_args(argv)
    out = args.out
    if args.table:
        listing = json.loads((out / "assignments.json").read_text())
        print(exercise_table(listing), end="")
        return
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    repo = args.repository or config["repository"]["url"]
    ref = args.ref or config["repository"]["branch"]
    refs, docs = headings(sorted((ROOT / "notebooks").glob("*.ipynb")))
    index = {}
    for number in args.chapters:
        stem, spec = build(
            number,
            refs,
            docs,
            repo,
            ref,
            out,
            args.student,
            check=not args.no_check,
        )
        index[stem] = [
            {
                "question": question_name(q["label"]),
                "label": q["label"],
                "points": q["points"],
                "kind": "written" if "function" not in q else "autograded",
                **(
                    {"rubric": " ".join(q["rubric"].split())}
                    if "rubric" in q
                    else {}
                ),
            }
            for q in spec.QUESTIONS
        ]
        print(f"{stem}: {sum(q['points'] for q in spec.QUESTIONS)} points")
    # The tour has no exercises: the student edition serves it as it is.
    shutil.copyfile(
        ROOT / "notebooks" / "00_tour.ipynb", args.student / "00_tour.ipynb"
    )
    course_secret(args.course)
    listing = out / "assignments.json"
    if listing.exists():  # a partial run keeps the other chapters
        index = dict(
            sorted({**json.loads(listing.read_text()), **index}.items())
        )
    listing.write_text(json.dumps(index, indent=1) + "\n")
    (out / "release" / "README.md").write_text(
        "# Assignments\n\nOne notebook per chapter. You need Python 3.11 "
        "or newer and Jupyter (JupyterLab, Notebook, VS Code, Colab or "
        "Binder). Run the notebook's first cell: it installs the book's "
        "package where it is missing (that needs git and a network "
        "connection; or install it once yourself: "
        f'`pip install "recsys_lessons @ git+{repo}@{ref}" jupyterlab`). '
        "Fill in the cells marked `...` and the answer cells, run the "
        "check cells, save, and hand the notebook in. The rules are at "
        "the top of each notebook.\n"
    )


if __name__ == "__main__":
    main()
