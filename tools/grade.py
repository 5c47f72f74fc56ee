"""``make grade SUBMISSIONS=<folder>``: grade returned notebooks.

Each submission's code runs in an OS sandbox (``classroom/sandbox.py``,
bubblewrap): it sees no file of the teacher's, cannot write outside its
scratch folder and has no network. The sandbox receives the code and the
hidden *inputs*; the expected values are computed here, with the chapter's
plain-loop reference (``classroom/chN.py``), and compared here
(``classroom/compare.py``) with the values the sandbox wrote.

Everything the course keeps lives in the course folder (``course/`` by
default; ``make clean`` never touches it; owner-only permissions):

* ``grading-secret.txt``: each student's hidden inputs are drawn from it
  (``make assignments`` creates it);
* ``results/<assignment>/<student>.json``: the last grading of each
  submission; a later ``make grade`` (late work) adds to these;
* ``manual_points.csv``: the teaching team's marks of written answers
  (and, for an autograded exercise, a mark that overrides the grader's);
* ``roster.csv`` (optional): the class, and the other names (LMS logins,
  user numbers) their files may carry;

and, rewritten from those on every run, ``grades.csv`` (one row per
student, assignment and exercise), ``totals.csv``, ``feedback/<student>.md``
and ``manual/<assignment>/<exercise>.md`` (every written answer under its
rubric).
"""

from __future__ import annotations

import argparse
import ast
import datetime
import hashlib
import importlib.util
import inspect
import io
import json
import marshal
import os
import pickle
import re
import stat
import sys
import tempfile
import tokenize
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "classroom"))

import compare  # noqa: E402
import marks as marks_io  # noqa: E402
import sandbox  # noqa: E402

ASSIGNMENTS = ROOT / "_build" / "assignments"
COURSE = ROOT / "course"
STATEMENT_SECONDS = 10.0
CALL_SECONDS = 5.0
SUBMISSION_SECONDS = 180  # the whole run in the sandbox, a last resort
PLACEHOLDER = "_Type your answer here, replacing this text._"
CHECKS_ID = "public-checks"

# Names and strings no answer to these exercises needs, each a way to reach
# the grader from inside a notebook. Found in the code (comments ignored);
# the assignment notebook states the rule.
TAMPER_NAMES = {
    "_getframe": "reads the interpreter's stack (sys._getframe)",
    "currentframe": "reads the interpreter's stack (inspect.currentframe)",
    "f_locals": "reads another function's variables (f_locals)",
    "f_globals": "reads another function's variables (f_globals)",
    "f_back": "walks the interpreter's stack (f_back)",
    "get_objects": "searches the interpreter's memory (gc.get_objects)",
    "get_referrers": "searches the interpreter's memory (gc.get_referrers)",
    "setprofile": "changes the interpreter's profiler (sys.setprofile)",
    "settrace": "changes the interpreter's tracer (sys.settrace)",
    "addaudithook": "installs an audit hook",
    "ctypes": "uses ctypes",
    "grading_support": "refers to the grader's module",
    "setitimer": "changes the grader's time limits (setitimer)",
}
TAMPER_TEXT = re.compile(
    r"grading[-_]secret|manual_points|grades\.csv|grading_support"
    r"|ch\d+_grading|job\.pkl|results\.jsonl"
)


def seed_for(secret, student, assignment):
    """Each student's hidden inputs: fixed by the course's secret."""
    text = f"{secret}/{student}/{assignment}".encode()
    return int(hashlib.sha256(text).hexdigest()[:8], 16)


def load_spec(number):
    """The chapter's grading module (classroom/chN.py)."""
    path = ROOT / "classroom" / f"ch{number}.py"
    spec = importlib.util.spec_from_file_location(
        f"ch{number}_grading", path
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def dependency_code(spec, name):
    """The reference for ``name``, compiled without its source.

    It stands in for the student's own ``name`` while a later exercise
    that calls it is graded; the code object carries no source text, so
    ``inspect.getsource`` inside the sandbox finds nothing to print.
    """
    module_source = inspect.getsource(spec)
    tree = ast.parse(module_source)
    imports = [
        ast.unparse(n)
        for n in tree.body
        if isinstance(n, (ast.Import, ast.ImportFrom))
    ]
    functions = {
        n.name: ast.unparse(n)
        for n in tree.body
        if isinstance(n, ast.FunctionDef)
    }
    needed, todo = [], [f"reference_{name}"]
    while todo:
        current = todo.pop()
        if current in needed:
            continue
        needed.append(current)
        for node in ast.walk(ast.parse(functions[current])):
            if isinstance(node, ast.Name) and node.id in functions:
                todo.append(node.id)
    source = "\n".join(
        imports
        + [functions[n] for n in reversed(needed)]
        + [f"{name} = reference_{name}", f"del reference_{name}"]
    )
    return marshal.dumps(compile(source, "<the grader's version>", "exec"))


# --- reading a notebook -------------------------------------------------


def statements(nb):
    """[(cell number, line, source)] of every top-level statement.

    IPython syntax (magics, ``!`` commands) becomes plain Python that fails
    in the sandbox and is skipped, like any statement that raises.
    """
    from IPython.core.inputtransformer2 import TransformerManager

    transform = TransformerManager().transform_cell
    found, skipped = [], []
    for number, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or not cell.source.strip():
            continue
        try:
            code = transform(cell.source)
            tree = ast.parse(code)
            unparsed = [
                (node.lineno, ast.unparse(node)) for node in tree.body
            ]
        except (
            SyntaxError,
            ValueError,
            RecursionError,
            MemoryError,
        ) as error:
            skipped.append((number + 1, str(error).splitlines()[0][:100]))
            continue
        for line, source in unparsed:
            found.append((number + 1, line, source))
    return found, skipped


def tamper_signs(nb):
    """What in the notebook's code reaches for the grader, if anything."""
    from IPython.core.inputtransformer2 import TransformerManager

    signs = []
    for number, cell in enumerate(nb.cells, 1):
        if cell.cell_type != "code":
            continue
        try:
            code = TransformerManager().transform_cell(cell.source)
            tokens = list(
                tokenize.generate_tokens(io.StringIO(code).readline)
            )
        except (
            SyntaxError,
            tokenize.TokenError,
            ValueError,
            RecursionError,
        ):
            tokens = []
            code = cell.source
        for token in tokens:
            if token.type == tokenize.NAME and token.string in TAMPER_NAMES:
                signs.append(
                    f"cell {number}, line {token.start[0]}: "
                    f"{TAMPER_NAMES[token.string]}"
                )
            elif token.type == tokenize.STRING and TAMPER_TEXT.search(
                token.string
            ):
                signs.append(
                    f"cell {number}, line {token.start[0]}: names a "
                    f"grading file or module ({token.string[:40]})"
                )
        if re.search(r"\b(import|from)\s+signal\b", code):
            signs.append(
                f"cell {number}: imports signal (the grader's time limits)"
            )
        if not tokens and (
            TAMPER_TEXT.search(code)
            or any(name in code for name in TAMPER_NAMES)
        ):
            signs.append(f"cell {number}: names the grader's internals")
    return signs


def parameter_names(nb, function):
    """The argument names of the notebook's ``def function(...)``."""
    for cell in nb.cells:
        if cell.cell_type != "code" or function not in cell.source:
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name == function:
                return [a.arg for a in node.args.args]
    return []


def written_answers(nb, questions):
    """The text under each written question's statement."""
    answers = {}
    for index, q in enumerate(questions, 1):
        if q["kind"] != "written":
            continue
        heading = re.compile(rf"^## \d+\.{index} ", re.M)
        # The answer runs to the next question's heading: a student's own
        # "## My derivation" is part of it, and so is a code cell.
        question = re.compile(r"^## \d+\.\d+ .*\(\d+ points?\)", re.M)
        parts, inside = [], False
        for cell in nb.cells:
            if cell.cell_type == "markdown" and heading.search(cell.source):
                inside = True
                continue
            if inside:
                if cell.cell_type == "markdown" and question.search(
                    cell.source
                ):
                    break
                text = cell.source.strip()
                if not text or text == PLACEHOLDER:
                    continue
                if cell.cell_type == "code":
                    text = f"```python\n{text}\n```"
                parts.append(text)
        if parts:
            answers[q["question"]] = "\n\n".join(parts)
    return answers


def assignment_of(nb, names):
    meta = nb.metadata.get("recsys_lessons", {}).get("assignment")
    return meta if meta in names else None


# --- finding submissions ------------------------------------------------


def flat_name(stem, assignment):
    """The student in a flat layout's file name.

    The assignment's name is taken out, with what LMS downloads and
    copies add: "Copy of ", "-Copy1", " (1)", a "-1" resubmission suffix,
    and Canvas's ``<login>[_LATE]_<user id>_<submission id>_`` prefix,
    which leaves the login.
    """
    name = stem.replace(assignment, " ") if assignment else stem
    name = re.sub(r"^\s*Copy of\b|-Copy\d*\b|\(\d+\)", " ", name)
    name = name.strip("_-. ")
    canvas = re.match(
        r"^([A-Za-z][\w-]*?)_(?:LATE_)?\d+_\d+(?:\W|_|$)", name
    )
    if canvas:
        return canvas[1]
    name = re.sub(r"[-_ ]\d+$", "", name)
    return name.strip("_-. ") or stem


def find_submissions(folder, names, roster=None):
    """``(found, warnings)``: found is [(student, assignment, path)].

    One notebook per (student, assignment): where a student handed in
    several, the newest file (modification time, then name) is graded and
    the others are listed in the warnings.
    """
    folder = Path(folder)
    candidates, warnings = [], []
    for path in sorted(folder.rglob("*.ipynb")):
        if ".ipynb_checkpoints" in path.parts:
            continue
        relative = path.relative_to(folder)
        who = relative.parts[0] if len(relative.parts) >= 2 else path.stem
        assignment = None
        try:
            nb = nbformat.reads(path.read_text(encoding="utf-8"), 4)
            assignment = assignment_of(nb, names)
        except Exception:  # noqa: BLE001  (graded as not a notebook)
            pass
        if assignment is None:
            assignment = next((n for n in names if n in path.stem), None)
        if len(relative.parts) < 2:
            who = flat_name(path.stem, assignment)
        student = who
        if roster is not None:
            matches = marks_io.match_students(who, roster)
            if len(matches) == 1:
                student = matches[0]
            else:
                said = (
                    "several students in roster.csv ("
                    + ", ".join(matches)
                    + ")"
                    if matches
                    else "no one in roster.csv"
                )
                warnings.append(
                    f"{relative}: {who!r} matches {said}; graded as {who!r}"
                )
        if assignment is None:
            warnings.append(
                f"{relative}: not an assignment notebook (no assignment "
                "in its metadata or file name); not graded"
            )
            continue
        candidates.append((student, assignment, path))
    chosen = {}
    for student, assignment, path in candidates:
        chosen.setdefault((student, assignment), []).append(path)
    found = []
    for (student, assignment), paths in sorted(chosen.items()):
        paths.sort(key=lambda p: (p.stat().st_mtime, p.stem, p.name))
        keep = paths[-1]
        for other in paths[:-1]:
            warnings.append(
                f"{student}/{assignment}: {len(paths)} notebooks; grading "
                f"the newest, {keep.relative_to(folder)}, not "
                f"{other.relative_to(folder)}"
            )
        found.append((student, assignment, keep))
    return found, warnings


# --- grading one submission ---------------------------------------------


def new_record(student, assignment, path):
    """An empty grading record of one notebook."""
    return {
        "student": student,
        "assignment": assignment,
        "file": path.name,
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "mtime": path.stat().st_mtime,
        "graded": datetime.datetime.now().isoformat(timespec="seconds"),
        "lines": [],
        "flags": [],
        "answers": {},
        "rows": {},
    }


class Grader:
    def __init__(self, course, assignments=ASSIGNMENTS):
        self.course = Path(course)
        self.assignments = Path(assignments)
        listing = self.assignments / "assignments.json"
        if not listing.exists():
            raise SystemExit(f"{listing} is missing: run make assignments")
        self.index = json.loads(listing.read_text())
        secret = self.course / "grading-secret.txt"
        if not secret.exists():
            raise SystemExit(f"{secret} is missing: run make assignments")
        self.secret = secret.read_text().strip()
        self.specs = {}
        self.checks = {}

    def checks_cell(self, assignment):
        if assignment not in self.checks:
            release = nbformat.read(
                self.assignments / "release" / f"{assignment}.ipynb", 4
            )
            self.checks[assignment] = next(
                (
                    c.source
                    for c in release.cells
                    if c.get("id") == CHECKS_ID
                ),
                None,
            )
        return self.checks[assignment]

    def spec(self, assignment):
        number = int(assignment[:2])
        if number not in self.specs:
            self.specs[number] = load_spec(number)
        return self.specs[number]

    def grade_safely(self, student, assignment, path):
        """:meth:`grade`, but a notebook the grader cannot handle costs
        only that notebook: it is reported, not fatal to the class."""
        try:
            return self.grade(student, assignment, path)
        except Exception as error:  # noqa: BLE001
            record = new_record(student, assignment, path)
            record["lines"].append(
                "The grader could not handle this notebook; your teacher "
                "has been told."
            )
            record["flags"].append(
                f"the grader failed on {path.name}: "
                f"{type(error).__name__}: {str(error)[:120]}"
            )
            for q in self.index[assignment]:
                record["rows"][q["question"]] = [0, "not graded", "error"]
            return record

    def grade(self, student, assignment, path):
        """One submission -> its record (rows, feedback lines, answers)."""
        questions = self.index[assignment]
        record = new_record(student, assignment, path)
        rows, lines = record["rows"], record["lines"]
        try:
            nb = nbformat.reads(path.read_text(encoding="utf-8"), 4)
            nbformat.validate(nb)
        except Exception as error:  # noqa: BLE001  (any unreadable file)
            first = (str(error).splitlines() or [""])[0]
            lines.append(
                "The file is not a valid notebook "
                f"({type(error).__name__}: {first[:120]}); every exercise "
                "scores 0. Save it from Jupyter and hand it in again."
            )
            for q in questions:
                rows[q["question"]] = [0, "invalid notebook", ""]
            return record
        record["answers"] = answers = written_answers(nb, questions)
        for q in questions:
            if q["kind"] == "written":
                if answers.get(q["question"]):
                    rows[q["question"]] = [None, "to mark", ""]
                else:
                    rows[q["question"]] = [0, "no answer", "no answer"]
        auto = [q for q in questions if q["kind"] == "autograded"]
        # The public checks cell, as handed out, is the book's code, not
        # the student's: neither scanned nor run (the grader does not need
        # it). Edited, it counts as the student's.
        handed_out = self.checks_cell(assignment)
        for cell in nb.cells:
            if cell.source == handed_out:
                cell.source = ""
        signs = tamper_signs(nb)
        if signs:
            record["flags"] = signs
            lines.append(
                "The notebook's code reaches for the grader's internals, "
                "which the rules forbid, so every autograded exercise "
                "scores 0 and your teacher has been told: "
                + "; ".join(signs[:3])
                + " (cells counted from 1). If this is a mistake, talk to "
                "your teacher."
            )
            for q in auto:
                rows[q["question"]] = [0, "flagged", "tampering"]
            return record
        outcome = self._run(student, assignment, nb, auto, record)
        for q in auto:
            rows.setdefault(q["question"], [0, "not run", outcome])
        return record

    def _run(self, student, assignment, nb, auto, record):
        spec = self.spec(assignment)
        seed = seed_for(self.secret, student, assignment)
        found, skipped = statements(nb)
        for cell, why in skipped:
            record["lines"].append(
                f"Cell {cell} could not be read as Python ({why}); the "
                "grader skipped it."
            )
        by_label = {q["label"]: q for q in spec.QUESTIONS}
        cases, exercises = {}, []
        for q in auto:
            source = by_label[q["label"]]
            cases[q["question"]] = spec.hidden_cases(q["label"], seed)
            exercises.append(
                {
                    "question": q["question"],
                    "function": source["function"],
                    "inputs": [args for args, _ in cases[q["question"]]],
                    "uses": {
                        dep: dependency_code(spec, dep)
                        for dep in source.get("uses", [])
                    },
                }
            )
        # The exercises that use no earlier function run first, together.
        # One that does runs alone, in a sandbox of its own, the only one
        # given the grader's versions of the earlier functions: by then
        # the earlier exercises' results are final, and only this
        # exercise's results are read from that run.
        batches = [[e for e in exercises if not e["uses"]]]
        batches += [[e] for e in exercises if e["uses"]]
        events, ended = [], "done"
        for number, batch in enumerate(b for b in batches if b):
            job = {
                "statements": found,
                "exercises": batch,
                "statement_seconds": STATEMENT_SECONDS,
                "call_seconds": CALL_SECONDS,
            }
            wanted = {e["question"] for e in batch}
            with tempfile.TemporaryDirectory(prefix="grade-") as scratch:
                scratch = Path(scratch)
                with open(scratch / "job.pkl", "wb") as f:
                    pickle.dump(job, f)
                if sandbox.run(scratch, SUBMISSION_SECONDS) == "timeout":
                    ended = "timeout"
                got = self._events(
                    scratch / "results.jsonl", record, number
                )
            events += [
                e
                for e in got
                if e.get("question") in wanted or e.get("kind") == "timeout"
            ]
        if ended == "timeout":
            record["lines"].append(
                "The notebook did not finish within "
                f"{SUBMISSION_SECONDS} s "
                "in the grader; what it had not finished scores 0."
            )
        seen = [
            (e["question"], e["case"])
            for e in events
            if e["kind"] == "case"
        ]
        if record.pop("forged", False) or len(seen) != len(set(seen)):
            # The runner writes each line once and in its own form: any
            # other line was written by the notebook.
            record["flags"].append(
                "the notebook wrote the grader's results"
            )
            record["lines"].append(
                "The notebook's code wrote to the grader's results file, "
                "which the rules forbid, so every autograded exercise "
                "scores 0 and your teacher has been told."
            )
            for q in auto:
                record["rows"][q["question"]] = [0, "flagged", "tampering"]
            return "flagged"
        self._score(nb, auto, by_label, cases, events, record)
        return "did not run" if ended == "done" else "timeout"

    @staticmethod
    def _events(path, record, run=0):
        events = []
        if not path.exists():
            return events
        if path.stat().st_size > 32 << 20:
            record["lines"].append("The grader's output was too large.")
            return events
        for line in path.read_text(errors="replace").splitlines():
            try:
                event = json.loads(line)
            except json.JSONDecodeError:
                event = None
            if not well_formed(event):
                record["forged"] = True
                continue
            events.append(event)
        for event in events:
            if event.get("kind") == "timeout" and run == 0:
                record["lines"].append(
                    f"The statement at line {event.get('line')} of cell "
                    f"{event.get('cell')} (counted from 1) "
                    "ran longer than "
                    f"{STATEMENT_SECONDS:g} s; the grader stopped it and "
                    "went on."
                )
        return events

    def _score(self, nb, auto, by_label, cases, events, record):
        rows = record["rows"]
        for q in auto:
            question, top = q["question"], q["points"]
            function = by_label[q["label"]]["function"]
            mine = [e for e in events if e.get("question") == question]
            if any(e.get("kind") == "missing" for e in mine):
                rows[question] = [0, "failed", "missing"]
                record["lines"].append(
                    f"{question} (0/{top:g}): no function named {function} "
                    "is defined."
                )
                continue
            results = {}
            for e in mine:
                if e.get("kind") == "case" and type(e.get("case")) is int:
                    # The runner writes each case once; a line added by
                    # the submission after it changes nothing.
                    results.setdefault(e["case"], e)
            names = parameter_names(nb, function)
            why = None
            for number, (args, expected) in enumerate(cases[question], 1):
                names += [
                    f"argument {i + 1}"
                    for i in range(len(names), len(args))
                ]
                given = compare.describe(args, names)
                event = results.get(number)
                why = self._case(
                    function, number, given, args, names, event, expected
                )
                if why:
                    break
            if why is None:
                rows[question] = [top, "passed", ""]
                record["lines"].append(
                    f"{question} ({top:g}/{top:g}): correct on every "
                    "hidden input."
                )
            else:
                rows[question] = [0, "failed", why[0]]
                record["lines"].append(f"{question} (0/{top:g}): {why[1]}")

    @staticmethod
    def _case(function, number, given, args, names, event, expected):
        """None if the case passed, else (short reason, feedback line)."""
        where = f"on hidden input {number} ({given})"
        if event is None:
            return "not run", f"{function} was not run {where}."
        if event.get("package"):
            return "package call", (
                f"{function} calls {str(event['package'])[:80]}: the "
                "exercises ask for your own code, without recsys_lessons."
            )
        if event.get("timeout"):
            return "timeout", (
                f"{function} ran longer than {CALL_SECONDS:g} s {where}."
            )
        if "error" in event:
            return (
                "raised",
                f"{function} raised {str(event['error'])} {where}.",
            )
        changed = modified(args, event.get("after"))
        if changed is not None:
            arg = names[changed] if changed < len(names) else "?"
            return "modified argument", (
                f"{function} modified its argument {arg} {where}; "
                "functions must leave their arguments unchanged."
            )
        try:
            got = compare.decode(event.get("value"))
        except compare.BadResult as error:
            return (
                "bad result",
                f"{function}'s result was unreadable: {error}",
            )
        ok, why = compare.same(got, expected)
        if ok:
            return None
        return "wrong", f"{function} is wrong {where}: {why}"


def well_formed(event):
    """True for a line in the form the runner writes."""
    if not isinstance(event, dict):
        return False
    kind = event.get("kind")
    if kind == "done":
        return set(event) == {"kind"}
    if kind == "timeout":
        return (
            type(event.get("cell")) is int
            and type(event.get("line")) is int
        )
    if kind == "missing":
        return isinstance(event.get("question"), str)
    if kind == "case":
        return (
            isinstance(event.get("question"), str)
            and type(event.get("case")) is int
            and set(event)
            <= {
                "kind",
                "question",
                "case",
                "value",
                "timeout",
                "error",
                "package",
                "after",
            }
        )
    return False


def modified(args, after):
    """The index of the first argument the call changed, or None.

    ``after`` is the runner's encoding of the arguments after the call;
    compared here, so a submission that replaces NumPy's comparisons in
    the sandbox cannot hide a change. Arguments that are not numbers or
    arrays are not compared.
    """
    import numpy as np

    if not isinstance(after, list) or len(after) != len(args):
        return 0  # the runner always sends one entry per argument
    for index, (before, encoded) in enumerate(zip(args, after)):
        if before is None:
            if encoded != {"none": True}:
                return index
            continue
        try:
            before = np.asarray(before, dtype=np.float64)
        except (TypeError, ValueError):
            continue
        try:
            now = compare.decode(encoded)
        except compare.BadResult:
            return index
        if not isinstance(now, np.ndarray) or not np.array_equal(
            before, now, equal_nan=True
        ):
            return index
    return None


# --- the class ------------------------------------------------------------


def private_folder(path):
    """Create ``path`` readable and writable by its owner only."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(stat.S_IRWXU)
    return path


def maxima(index):
    return {
        (assignment, q["question"]): float(q["points"])
        for assignment, questions in index.items()
        for q in questions
    }


def load_records(course):
    records = {}
    for path in sorted((Path(course) / "results").glob("*/*.json")):
        record = json.loads(path.read_text())
        records[record["student"], record["assignment"]] = record
    return records


def record_path(course, record):
    name = hashlib.sha256(record["student"].encode()).hexdigest()[:16]
    return Path(course) / "results" / record["assignment"] / f"{name}.json"


def when(mtime):
    return datetime.datetime.fromtimestamp(mtime).strftime("%Y-%m-%d %H:%M")


def save_record(course, record):
    private_folder(Path(course) / "results" / record["assignment"])
    record_path(course, record).write_text(
        json.dumps(record, indent=1, ensure_ascii=False) + "\n"
    )


def table(index, records, marks, roster):
    """Rows of grades.csv: (student, assignment, exercise, points, max,
    status), one per exercise of every graded (student, assignment), and
    for a roster student with no submission, rows of status missing."""
    students = set(roster or ()) | {s for s, _ in records}
    assignments = sorted({a for _, a in records})
    rows = []
    for student in sorted(students, key=str.lower):
        for assignment in assignments:
            record = records.get((student, assignment))
            if record is None and student not in (roster or ()):
                continue  # not in the roster: only what they handed in
            for q in index[assignment]:
                name, top = q["question"], float(q["points"])
                if record is None:
                    points, status = 0.0, "missing"
                else:
                    points, status, _ = record["rows"][name]
                mark = marks.get((student, assignment, name))
                if mark is not None and record is not None:
                    # The teaching team's mark wins: on a written answer
                    # (even one the grader did not find), and on an
                    # autograded exercise as an override.
                    written = q["kind"] == "written"
                    status = "marked" if written else "overridden"
                    points = mark
                rows.append(
                    (student, assignment, name, points, top, status)
                )
    return rows


def totals(rows):
    summary = {}
    for student, assignment, _, points, top, status in rows:
        entry = summary.setdefault((student, assignment), [0.0, 0.0, 0, 0])
        entry[0] += points or 0.0
        entry[1] += top
        entry[2] += status == "to mark"
        entry[3] += status == "missing"
    return summary


def number(value):
    return "" if value is None else f"{value:g}"


def write_csv(path, header, rows):
    import csv

    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)


def write_outputs(course, index, records, marks, roster):
    rows = table(index, records, marks, roster)
    summary = totals(rows)
    write_csv(
        course / "grades.csv",
        ["student", "assignment", "exercise", "points", "max_points"]
        + ["status"],
        [
            [marks_io.safe_cell(student), assignment, name]
            + [number(points), number(top), status]
            for student, assignment, name, points, top, status in rows
        ],
    )
    write_csv(
        course / "totals.csv",
        ["student", "assignment", "points", "max_points"]
        + ["still_to_mark", "complete"],
        [
            [marks_io.safe_cell(student), assignment, number(got)]
            + [number(top), open_, "no" if open_ or missing else "yes"]
            for (student, assignment), (got, top, open_, missing) in sorted(
                summary.items(), key=lambda kv: (kv[0][0].lower(), kv[0][1])
            )
        ],
    )
    feedback = private_folder(course / "feedback")
    for old in feedback.glob("*.md"):
        old.unlink()
    by_student = {}
    for row in rows:
        by_student.setdefault(row[0], []).append(row)
    for student, mine in by_student.items():
        text = [f"# Feedback for {student}", ""]
        for assignment in sorted({r[1] for r in mine}):
            got, top, open_, missing = summary[student, assignment]
            record = records.get((student, assignment))
            state = (
                "no submission received"
                if missing
                else f"{open_} written answer(s) still to mark"
                if open_
                else "complete"
            )
            text += [
                f"## {assignment}: {got:g} / {top:g} points ({state})",
                "",
            ]
            if record:
                text.append(f"Graded file: {record['file']}.")
                text.append("")
            lines = {}
            if record:
                for line in record["lines"]:
                    m = re.match(r"(\w+) \(", line)
                    lines.setdefault(m[1] if m else None, []).append(line)
            for _, assignment_, name, points, q_top, status in mine:
                if assignment_ != assignment:
                    continue
                shown = lines.pop(name, None)
                if status == "marked":
                    shown = [
                        f"{name} ({points:g}/{q_top:g}): marked by the "
                        "teaching team."
                    ]
                elif status == "overridden":
                    shown = [
                        f"{name} ({points:g}/{q_top:g}): mark set by the "
                        "teaching team."
                    ]
                elif status == "to mark":
                    shown = [
                        f"{name} (?/{q_top:g}): written answer received; "
                        "the teaching team has not marked it yet."
                    ]
                elif status == "no answer":
                    shown = [f"{name} (0/{q_top:g}): no written answer."]
                elif status == "missing":
                    shown = [f"{name} (0/{q_top:g}): nothing handed in."]
                elif status == "flagged":
                    shown = [
                        f"{name} (0/{q_top:g}): not graded: the notebook "
                        "reaches for the grader (see below)."
                    ]
                elif not shown:
                    shown = [
                        f"{name} ({number(points)}/{q_top:g}): {status}."
                    ]
                text += [f"- {line}" for line in shown]
            for line in lines.get(None, []):
                text.append(f"- {line}")
            text.append("")
        path = feedback / f"{safe_name(student)}.md"
        path.write_text("\n".join(text), encoding="utf-8")
    manual = course / "manual"
    sheets = {}
    for (student, assignment), record in sorted(records.items()):
        for q in index[assignment]:
            if q["kind"] != "written":
                continue
            key = (assignment, q["question"])
            sheets.setdefault(
                key,
                [
                    f"# {assignment}: {q['question']} "
                    f"({q['points']} points)\n",
                    f"Rubric: {q.get('rubric', '(see the solutions)')}\n",
                ],
            )
            answer = record["answers"].get(q["question"], "(no answer)")
            # Quoted, so that no answer can start a section of its own.
            quoted = "\n".join(f"> {line}" for line in answer.splitlines())
            sheets[key].append(f"## {student}\n\n{quoted}\n")
    for (assignment, name), text in sheets.items():
        folder = private_folder(manual / assignment)
        (folder / f"{name}.md").write_text(
            "\n".join(text), encoding="utf-8"
        )
    return rows, summary


def safe_name(student):
    return re.sub(r"[^\w.\- ]", "_", student).strip() or "student"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "submissions", nargs="?", help="folder of returned notebooks"
    )
    parser.add_argument("--course", type=Path, default=COURSE)
    parser.add_argument("--assignments", type=Path, default=ASSIGNMENTS)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--marks-only",
        action="store_true",
        help="grade nothing: apply manual_points.csv to the record",
    )
    args = parser.parse_args(argv)
    if not args.marks_only:
        if args.submissions is None:
            parser.error("a folder of submissions, or --marks-only")
        folder = Path(args.submissions)
        if not folder.is_dir():
            sys.exit(
                f"make grade: {folder} is not a folder; nothing was graded"
            )
    grader = Grader(args.course, args.assignments)
    course = private_folder(args.course)
    # Every file the teacher edits is read, and checked, before anything
    # is graded or written.
    try:
        marks, delimiter = marks_io.read_marks(
            course / "manual_points.csv", maxima(grader.index)
        )
        roster = marks_io.read_roster(course / "roster.csv")
    except marks_io.MarksError as error:
        sys.exit(f"make grade: {error}")
    graded, warnings, how = [], [], "none needed"
    if not args.marks_only:
        found, warnings = find_submissions(
            folder, list(grader.index), roster
        )
        if not found:
            for line in warnings:
                print(f"warning: {line}", file=sys.stderr)
            sys.exit(
                f"make grade: no assignment notebook in {folder}; nothing "
                "was graded and no output changed"
            )
        isolated, how = sandbox.isolation()
        if not isolated:
            print(
                "\n*** WARNING: student code is NOT isolated: "
                f"{how}. It runs as you and can read and change your "
                "files. Install bubblewrap, or grade inside a throwaway "
                "container. ***\n",
                file=sys.stderr,
            )
            how = "NONE"
        with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            graded = list(
                pool.map(lambda s: grader.grade_safely(*s), found)
            )
    records = load_records(course)
    replaced = 0
    for record in graded:
        key = record["student"], record["assignment"]
        old = records.get(key)
        if (
            old
            and old.get("sha256") != record["sha256"]
            and old.get("mtime", 0) > record["mtime"]
        ):
            # Regrading an old folder must not undo a later submission.
            warnings.append(
                f"{key[0]}/{key[1]}: kept the grading of {old['file']}, "
                f"newer than {record['file']} (delete "
                f"{record_path(course, old)} to grade the older one)"
            )
            continue
        if old is not None:
            replaced += 1
            if old.get("sha256") != record["sha256"]:
                warnings.append(
                    f"{key[0]}/{key[1]}: {record['file']} (modified "
                    f"{when(record['mtime'])}) replaces the grading of a "
                    f"different {old['file']} (modified "
                    f"{when(old.get('mtime', 0))})"
                )
        save_record(course, record)
        records[key] = record
    new = []
    for record in records.values():
        for q in grader.index[record["assignment"]]:
            key = (record["student"], record["assignment"], q["question"])
            status = record["rows"][q["question"]][1]
            if status == "to mark" and key not in marks:
                marks[key] = None
                new.append(key)
    marks_io.add_marks(course / "manual_points.csv", new, delimiter)
    for key, value in sorted(marks.items()):
        if value is not None and (key[0], key[1]) not in records:
            warnings.append(
                f"manual_points.csv: no graded submission of {key[1]} "
                f"from {key[0]!r}, so its mark for {key[2]} is not applied"
            )
    rows, summary = write_outputs(
        course, grader.index, records, marks, roster
    )
    for line in warnings:
        print(f"warning: {line}", file=sys.stderr)
    for record in graded:
        if record["flags"]:
            print(
                f"FLAGGED {record['student']}/{record['assignment']} "
                f"({record['file']}): " + "; ".join(record["flags"][:3]),
                file=sys.stderr,
            )
    missing = sum(1 for r in rows if r[5] == "missing")
    to_mark = sum(1 for r in rows if r[5] == "to mark")
    print(
        f"graded {len(graded)} notebooks ({replaced} replacing an earlier "
        f"grading), isolation: {how}; {len(records)} submissions on "
        f"record, {to_mark} written answers to mark, {missing} rows of "
        f"missing work.\nWrote {course / 'grades.csv'}, totals.csv, "
        f"feedback/ and manual/; enter marks in "
        f"{course / 'manual_points.csv'}, then run make marks."
    )


if __name__ == "__main__":
    main()
