"""The teaching team's files: marks of written answers, and the roster.

Both are CSV files a teacher edits, often in a spreadsheet, so both are
read leniently in form and strictly in content: a UTF-8 byte-order mark
(Excel's "CSV UTF-8") and a ``;`` or tab separator (Excel in many locales)
are accepted, and a decimal comma (``1,5``) is read as 1.5; a mark that is
not a number in ``[0, max]``, or a row that names no known exercise, is an
error that names the row. Nothing is written until every row has been read.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

MARK_COLUMNS = ["student", "assignment", "exercise", "points"]


class MarksError(ValueError):
    """manual_points.csv or roster.csv has rows that cannot be used."""


def read_table(path):
    """``(rows as dicts, dialect)`` of a CSV file, BOM and ``;`` allowed."""
    text = Path(path).read_text(encoding="utf-8-sig")
    first = text.splitlines()[0] if text.strip() else ""
    delimiter = max(",;\t", key=first.count) if first else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    rows = []
    for row in reader:
        rows.append(
            {
                (k or "").strip().lower(): (v or "").strip()
                for k, v in row.items()
                if k is not None
            }
        )
    return rows, delimiter, list(reader.fieldnames or [])


def parse_mark(text):
    """A mark as a float, None when empty; ValueError if not a number."""
    text = text.strip()
    if not text:
        return None
    if re.fullmatch(r"[+-]?\d+,\d+", text):
        text = text.replace(",", ".")
    value = float(text)  # ValueError for "abc", "2/2"
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(text)
    return value


def read_marks(path, maxima):
    """``{(student, assignment, exercise): points or None}``.

    ``maxima`` maps ``(assignment, exercise)`` to its maximum; every row
    must name one of them and hold an empty cell or a number in
    ``[0, max]``. Raises :class:`MarksError` listing every bad row.
    """
    path = Path(path)
    if not path.exists():
        return {}, ","
    rows, delimiter, fields = read_table(path)
    missing = [
        c for c in MARK_COLUMNS if c not in [f.lower() for f in fields]
    ]
    if missing:
        raise MarksError(
            f"{path}: the header must be {','.join(MARK_COLUMNS)}; "
            f"missing {', '.join(missing)}"
        )
    marks, bad = {}, []
    for number, row in enumerate(rows, 2):
        key = (
            unescape(row["student"]),
            row["assignment"],
            row["exercise"],
        )
        where = f"line {number} ({', '.join(key)})"
        if (key[1], key[2]) not in maxima:
            bad.append(f"{where}: no exercise {key[2]!r} in {key[1]!r}")
            continue
        top = maxima[key[1], key[2]]
        try:
            value = parse_mark(row["points"])
        except ValueError:
            bad.append(
                f"{where}: {row['points']!r} is not a number "
                f"(write a number from 0 to {top:g}, or leave it empty)"
            )
            continue
        if value is not None and not 0 <= value <= top:
            bad.append(f"{where}: {value:g} is outside [0, {top:g}]")
            continue
        if key in marks and marks[key] != value:
            bad.append(f"{where}: a second, different mark for this answer")
            continue
        marks[key] = value
    if bad:
        raise MarksError(
            f"{path} has {len(bad)} row(s) that cannot be used; fix them "
            "and run make grade again (nothing was written):\n  "
            + "\n  ".join(bad)
        )
    return marks, delimiter


def add_marks(path, keys, delimiter=","):
    """Add an empty row for each new written answer to the marks file.

    The teacher's rows are never rewritten: their columns, separator,
    byte-order mark and number format stay as the spreadsheet saved them.
    """
    path = Path(path)
    if not keys and path.exists():
        return
    new = not path.exists() or not path.read_bytes().strip()
    ending = b"" if new else path.read_bytes()[-1:]
    crlf = not new and b"\r\n" in path.read_bytes()
    eol = "\r\n" if crlf else "\n"
    with open(path, "a", newline="", encoding="utf-8") as f:
        if ending not in (b"", b"\n", b"\r"):
            f.write(eol)
        writer = csv.writer(f, delimiter=delimiter, lineterminator=eol)
        if new:
            writer.writerow(MARK_COLUMNS)
        for key in sorted(keys):
            writer.writerow([*(safe_cell(k) for k in key), ""])


def unescape(text):
    """:func:`safe_cell` undone."""
    return text[1:] if text[:2] in ("'=", "'+", "'-", "'@") else text


def safe_cell(text):
    """A text cell a spreadsheet will not run as a formula."""
    text = str(text)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def read_roster(path):
    """``{student: [ids]}`` from roster.csv (columns ``student``, ``ids``).

    ``ids`` holds other names a student's files may carry, separated by
    spaces: an LMS login or user number (Canvas's bulk download names a
    file ``<login>_<user id>_<submission id>_<file name>``).
    """
    path = Path(path)
    if not path.exists():
        return None
    rows, _, fields = read_table(path)
    if "student" not in [f.lower() for f in fields]:
        raise MarksError(f"{path}: the header must have a 'student' column")
    roster, bad = {}, []
    for number, row in enumerate(rows, 2):
        name = row["student"]
        if not name:
            bad.append(f"line {number}: no student name")
            continue
        if name in roster:
            bad.append(f"line {number}: {name!r} is listed twice")
            continue
        roster[name] = [name, *row.get("ids", "").split()]
    if bad:
        raise MarksError(f"{path}:\n  " + "\n  ".join(bad))
    return roster


def tokens(text):
    """The pieces of a file or folder name, for matching a roster."""
    return {t.lower() for t in re.split(r"[\s_\-.]+", text) if t}


def match_students(name, roster):
    """The roster students a file or folder name may belong to."""
    pieces = tokens(name)
    return [
        student
        for student, ids in roster.items()
        if any(
            ident.lower() == name.lower() or tokens(ident) <= pieces
            for ident in ids
        )
    ]
