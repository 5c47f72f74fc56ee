"""``make assignments``: turn each chapter's exercises into an assignment.

For chapter ``NN_name`` this reads the chapter notebook (the statements and
the teacher's solutions) and ``classroom/chN.py`` (which exercises are
graded, their points, public tests, plain-loop references and rubrics),
writes an Otter-Grader master notebook and runs ``otter assign`` on it.
Results:

* ``student/notebooks/NN_name.ipynb``: the student notebook (tracked in
  git: the student edition's download and launch buttons open it);
* ``_build/assignments/release/``: the student notebooks, ready to hand out;
* ``_build/assignments/autograder/NN_name.zip``: Otter's autograder (public
  and hidden tests, the grading support files);
* ``_build/assignments/solutions/NN_name.ipynb``: the teacher's copy, with
  solutions, rubrics and every test.

``otter assign`` executes the teacher's copy and fails if a solution does
not pass its own tests.
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
import subprocess
import sys
import tempfile
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
BIN = Path(sys.executable).parent


def load_spec(number):
    path = CLASSROOM / f"ch{number}.py"
    spec = importlib.util.spec_from_file_location(
        f"ch{number}_grading", path
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def question_name(label):
    """Otter question names are identifiers: ex-ch2-user -> ch2_user."""
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


def plain_markdown(text, refs, docs, chapter):
    """MyST roles and fences a plain Jupyter cannot render -> Markdown."""

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
    text = re.sub(r"\{(ref|numref|prf:ref)\}`([^`]+)`", ref, text)
    text = re.sub(r"\{doc\}`([^`]+)`", doc, text)
    text = re.sub(r"\{cite:[pt]\}`([^`]+)`", r"[\1]", text)
    text = re.sub(r"^:::\{(\w+)\}.*$|^:::$", "", text, flags=re.M)
    return text.strip()


def function_source(cells, name):
    """The solution's definition of ``name``, and a stub for students."""
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
                rest = "\n".join(lines[head_end : node.end_lineno])
                solution = (
                    f"{head}\n    # BEGIN SOLUTION\n{rest}\n"
                    "    # END SOLUTION"
                )
                return full, solution
    raise SystemExit(f"no definition of {name}() in the chapter's solution")


# --- the master notebook -------------------------------------------------


def public_test(function):
    """The public test (no points) from a function in classroom/chN.py."""
    source = textwrap.dedent(inspect.getsource(function))
    source = re.sub(r"^def \w+\(", "def test_public(", source, count=1)
    # Otter wants one function per test cell: the import goes inside.
    head, body = source.split("\n", 1)
    return (
        '""" # BEGIN TEST CONFIG\npoints: 0\nhidden: false\n'
        f'""" # END TEST CONFIG\n{head}\n    import numpy as np\n\n{body}'
    )


def hidden_test(number, label, function, points):
    """The hidden test: all the question's points."""
    return (
        f'""" # BEGIN TEST CONFIG\npoints: {points}\nhidden: true\n'
        '""" # END TEST CONFIG\n'
        f"def test_hidden({function}):\n"
        "    import grading_support\n\n"
        f"    grading_support.grade(\n"
        f'        "ch{number}", "{label}", {function}, "{function}"\n'
        "    )\n"
    )


def master_notebook(number, stem, spec, repo, refs, docs):
    nb = nbformat.read(ROOT / "notebooks" / f"{stem}.ipynb", as_version=4)
    statements, solutions, code = read_exercises(nb)
    v4 = nbformat.v4
    total = sum(q["points"] for q in spec.QUESTIONS)
    config = {
        "name": stem,
        "init_cell": False,
        "export_cell": False,
        "check_all_cell": False,
        "run_tests": True,
        "solutions_pdf": False,
        "generate": {"pdf": False},
        "autograder_files": [
            "grading_support.py",
            f"ch{number}_grading.py",
        ],
        "tests": {"files": False, "ok_format": False},
    }
    cells = [
        v4.new_raw_cell("# ASSIGNMENT CONFIG\n" + yaml.safe_dump(config)),
        v4.new_markdown_cell(
            f"# Assignment {number}: {docs[stem]}\n\n"
            f"The graded exercises of Chapter {number} of *Recommender "
            "Systems: Matrix Factorization and Learning to Rank*; read the "
            "chapter first (student edition). Fill in every cell marked "
            "`...` or *Type your answer here*, run the check cell under it "
            "(it runs public tests only: the grader also runs hidden tests "
            "on inputs you do not see), save, and hand in this "
            "notebook.\n\n"
            "Rules: write each function yourself with NumPy and Python. "
            "A function that calls any function of `recsys_lessons` "
            "scores 0 for that exercise (use the package in your own "
            "checks, outside the functions), and so does a function that "
            "modifies its arguments. A function that uses one of your "
            "earlier functions is graded with the grader's own version "
            "of that earlier function, so a mistake costs points once. "
            "Do not edit or delete the check cells. Each cell may run "
            "for at most 10 s in the grader.\n\n"
            + points_table(spec)
            + f"\n\nTotal: {total} points."
        ),
        v4.new_code_cell(
            "# On a hosted notebook (Colab, Binder) install the book's "
            "package\n"
            "# and the grading client from the book's repository.\n"
            f'REPO = "git+{repo}"\n'
            "try:\n"
            "    import otter\n"
            "    import recsys_lessons  # noqa: F401\n"
            "except ImportError:\n"
            "    %pip install --quiet "
            '"recsys_lessons[classroom] @ {REPO}"\n'
            "    import otter\n\n"
            f'grader = otter.Notebook("{stem}.ipynb")'
        ),
        v4.new_code_cell(spec.SETUP.strip()),
    ]
    for index, q in enumerate(spec.QUESTIONS, 1):
        label = q["label"]
        title, body = statements[label]
        name = question_name(label)
        kind = "written" if "function" not in q else "code"
        header = {"name": name, "points": q["points"]}
        if kind == "written":
            header["manual"] = True
        cells.append(
            v4.new_raw_cell("# BEGIN QUESTION\n" + yaml.safe_dump(header))
        )
        cells.append(
            v4.new_markdown_cell(
                f"## {number}.{index} {title} ({q['points']} points)\n\n"
                + plain_markdown(
                    q.get("statement", body), refs, docs, number
                )
            )
        )
        cells.append(v4.new_raw_cell("# BEGIN SOLUTION"))
        if kind == "written":
            answer = plain_markdown(solutions[label], refs, docs, number)
            rubric = textwrap.dedent(q["rubric"]).strip()
            cells.append(
                v4.new_markdown_cell(
                    f"{answer}\n\n"
                    f"**Rubric ({q['points']} points).** {rubric}"
                )
            )
            cells.append(v4.new_raw_cell("# END SOLUTION"))
        else:
            _, solution = function_source(code[label], q["function"])
            # Docstrings cite equations by label; students see numbers.
            solution = re.sub(
                r"\((eq-[\w-]+)\)",
                lambda m: equation(m[1], refs, number),
                solution,
            )
            cells.append(v4.new_code_cell(solution))
            cells.append(v4.new_raw_cell("# END SOLUTION"))
            cells.append(v4.new_raw_cell("# BEGIN TESTS"))
            public = getattr(spec, f"public_{q['function']}")
            cells.append(v4.new_code_cell(public_test(public)))
            cells.append(
                v4.new_code_cell(
                    hidden_test(number, label, q["function"], q["points"])
                )
            )
            cells.append(v4.new_raw_cell("# END TESTS"))
        cells.append(v4.new_raw_cell("# END QUESTION"))
    master = v4.new_notebook(cells=cells)
    master.metadata = {
        "kernelspec": {
            "name": "python3",
            "display_name": "Python 3",
            "language": "python",
        }
    }
    return master


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


def normalise(path):
    """Stable bytes: fixed cell ids, no outputs, no execution counts."""
    nb = nbformat.read(path, as_version=4)
    for index, cell in enumerate(nb.cells):
        cell.id = f"cell-{index:02d}"
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    nbformat.write(nb, path)


def build(number, refs, docs, repo, out, student):
    stem = CHAPTERS[number]
    spec = load_spec(number)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        source = tmp / "source"
        source.mkdir()
        shutil.copy(CLASSROOM / "grading_support.py", source)
        shutil.copy(
            CLASSROOM / f"ch{number}.py", source / f"ch{number}_grading.py"
        )
        nbformat.write(
            master_notebook(number, stem, spec, repo, refs, docs),
            source / f"{stem}.ipynb",
        )
        dist = tmp / "dist"
        run = subprocess.run(
            [
                str(BIN / "otter"),
                "assign",
                "--no-pdfs",
                f"{stem}.ipynb",
                str(dist),
            ],
            cwd=source,
            capture_output=True,
            text=True,
        )
        if run.returncode:
            sys.exit(
                f"otter assign failed for {stem}:\n"
                f"{run.stdout}\n{run.stderr}"
            )
        (out / "autograder").mkdir(parents=True, exist_ok=True)
        (out / "solutions").mkdir(parents=True, exist_ok=True)
        (out / "release").mkdir(parents=True, exist_ok=True)
        student.mkdir(parents=True, exist_ok=True)
        (zip_path,) = (dist / "autograder").glob("*.zip")
        shutil.copy(zip_path, out / "autograder" / f"{stem}.zip")
        shutil.copy(
            dist / "autograder" / f"{stem}.ipynb", out / "solutions"
        )
        normalise(out / "solutions" / f"{stem}.ipynb")
        shutil.copy(dist / "student" / f"{stem}.ipynb", student)
        normalise(student / f"{stem}.ipynb")
        shutil.copy(student / f"{stem}.ipynb", out / "release")
    return stem, spec


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
    repo = config["repository"]["url"]
    refs, docs = headings(sorted((ROOT / "notebooks").glob("*.ipynb")))
    index = {}
    for number in args.chapters:
        stem, spec = build(number, refs, docs, repo, out, args.student)
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
    # The hidden inputs are drawn per student from this secret: keep it out
    # of the repository, and keep it for regrades (same inputs).
    secret = out / "grading-secret.txt"
    if not secret.exists():
        secret.write_text(secrets.token_hex(16) + "\n")
    listing = out / "assignments.json"
    if listing.exists():  # a partial run keeps the other chapters
        index = dict(
            sorted({**json.loads(listing.read_text()), **index}.items())
        )
    listing.write_text(json.dumps(index, indent=1) + "\n")
    (out / "release" / "README.md").write_text(
        "# Assignments\n\nOne notebook per chapter. Open it in Jupyter "
        "(or upload it to Colab / your JupyterHub), fill in the cells "
        "marked `...`, run its check cells, save, and hand it in under "
        "its own file name.\n"
    )


if __name__ == "__main__":
    main()
