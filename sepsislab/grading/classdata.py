"""Read a class's ``grades.csv`` back, checked line by line, for the report and the LMS export.

``sepsislab-grade`` writes one row per student × question
(``student,exercise,question,points,max_points,note``). A teacher may have
opened, edited or concatenated that file since, so everything is checked and
every problem is a :class:`ValueError` naming the file and the line.

The ``note`` column carries what the grader found, in a fixed order:
``FLAG: …`` items first (suspicious submissions), then notebook-level notes
(``missing: …``, ``time limit: …``), then the first line of the question's
feedback, all joined by ``"; "``. :class:`GradeRow` reads those parts back.
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
from dataclasses import dataclass
from pathlib import Path

from ..exercises.practices import NAMES, get

#: The columns ``sepsislab-grade`` writes (:data:`sepsislab.grading.grade.CSV_COLUMNS`).
COLUMNS = ("student", "exercise", "question", "points", "max_points", "note")

#: Largest grades file read (bytes): a class of 1,000 students × 64 questions is ~10 MB.
MAX_BYTES = 64 << 20

#: How the grader words a notebook it could not grade (the note of every row, after any flags).
_MISSING = re.compile(r"missing: ")
_UNREADABLE = re.compile(r"[^;]*?\.ipynb: |the (?:student's )?folder could not be read")
#: …and a notebook stopped before its end (the first notebook-level note, after a near-miss file name).
_STOPPED = ("time limit: ", "CPU limit: ", "memory limit: ", "process limit: ", "stopped: ", "the kernel died",
            "could not be run: ", "grader error", "the answers could not be read")
_NEAR_MISS = re.compile(r"graded .*\.ipynb \(expected [a-z_]+\.ipynb\)$")


def split_flags(note: str) -> tuple[list[str], str]:
    """The ``FLAG:`` items at the start of a note, and the rest of the note.

    Only the leading items count: text further on (a student's error message
    quoted by the grader) cannot add a flag or hide one.
    """
    flags = []
    while note.startswith("FLAG: "):
        item, _, note = note[len("FLAG: "):].partition("; ")
        flags.append(item.strip())
    return flags, note


@dataclass(frozen=True)
class GradeRow:
    """One row of ``grades.csv`` (``line`` is its line number in the file, header = 1)."""

    line: int
    student: str
    exercise: str
    question: str
    points: float
    max_points: float
    note: str

    @property
    def flags(self) -> list[str]:
        """The ``FLAG:`` items of the note (why the grader found the submission suspicious)."""
        return split_flags(self.note)[0]

    @property
    def outcome(self) -> str:
        """``"full"``, ``"partial"`` or ``"zero"`` marks."""
        if self.points >= self.max_points - 1e-9:
            return "full"
        return "partial" if self.points > 1e-9 else "zero"


def _number(text: str, column: str, where: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{where}: {column} {text!r} is not a number (points, e.g. 1 or 0.5)") from None
    if not math.isfinite(value):
        raise ValueError(f"{where}: {column} {text!r} is not a finite number")
    return value


def _check_header(header: list[str] | None, path: Path) -> dict[str, int]:
    if header is None:
        raise ValueError(f"{path}: the file is empty; expected the header {','.join(COLUMNS)}")
    names = [h.strip().lstrip("\ufeff").lower() for h in header]
    lacking = [c for c in COLUMNS if c not in names]
    if lacking:
        raise ValueError(f"{path} line 1: the header lacks the column(s) {', '.join(lacking)}; a grades CSV "
                         f"from sepsislab-grade has {','.join(COLUMNS)}")
    doubled = sorted({n for n in names if names.count(n) > 1 and n in COLUMNS})
    if doubled:
        raise ValueError(f"{path} line 1: the column(s) {', '.join(doubled)} appear twice in the header")
    return {c: names.index(c) for c in COLUMNS}


def _row(fields: list[str], index: dict[str, int], width: int, line: int, path: Path) -> GradeRow:
    where = f"{path} line {line}"
    if len(fields) != width:
        raise ValueError(f"{where}: {len(fields)} field(s), expected {width} as in the header")
    student, exercise, question = (fields[index[c]].strip() for c in ("student", "exercise", "question"))
    if not student:
        raise ValueError(f"{where}: the student column is empty")
    if exercise not in NAMES:
        raise ValueError(f"{where}: exercise {exercise!r} is not one of the course's practices "
                         f"({', '.join(NAMES)})")
    ids = [q.id for q in get(exercise).questions]
    if question not in ids:
        raise ValueError(f"{where}: practice {exercise!r} has no question {question!r} (it has {', '.join(ids)})")
    points = _number(fields[index["points"]].strip(), "points", where)
    top = _number(fields[index["max_points"]].strip(), "max_points", where)
    if top <= 0:
        raise ValueError(f"{where}: max_points {top:g} must be above 0")
    if not 0 <= points <= top + 1e-9:
        raise ValueError(f"{where}: points {points:g} outside the allowed range 0 to max_points ({top:g})")
    return GradeRow(line, student, exercise, question, points, top, fields[index["note"]])


def read_grades(path: Path | str) -> list[GradeRow]:
    """Every row of a ``grades.csv``, checked.

    Parameters
    ----------
    path : path of the CSV written by ``sepsislab-grade`` (or several merged).

    Returns
    -------
    list of GradeRow, in file order.

    Raises
    ------
    ValueError
        naming the file and line: missing columns, a row of the wrong width, an
        unknown practice or question, points that are not a number or outside
        0–max_points, the same student × question twice, or one question given
        two different maxima.
    """
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"GRADES_CSV {path}: no such file")
    if path.stat().st_size > MAX_BYTES:
        raise ValueError(f"GRADES_CSV {path}: {path.stat().st_size >> 20} MB, more than the {MAX_BYTES >> 20} MB "
                         "a class's grades file can be")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"GRADES_CSV {path}: not UTF-8 text (byte {exc.start})") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise ValueError(f"{path} line 1: {exc}") from None
    index = _check_header(header, path)
    width = len(header)
    rows: list[GradeRow] = []
    seen: dict[tuple[str, str, str], int] = {}
    maxima: dict[tuple[str, str], tuple[float, int]] = {}
    end = reader.line_num
    while True:
        start = end + 1
        try:
            fields = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise ValueError(f"{path} line {start}: {exc}") from None
        end = reader.line_num
        if not any(f.strip() for f in fields):
            continue  # a blank line (a spreadsheet's trailing row)
        row = _row(fields, index, width, start, path)
        key = (row.student, row.exercise, row.question)
        if key in seen:
            raise ValueError(f"{path} line {start}: student {row.student!r}, {row.exercise} {row.question} is "
                             f"already on line {seen[key]} (one row per student × question)")
        seen[key] = start
        top, first = maxima.setdefault((row.exercise, row.question), (row.max_points, start))
        if abs(top - row.max_points) > 1e-9:
            raise ValueError(f"{path} line {start}: max_points {row.max_points:g} for {row.exercise} "
                             f"{row.question} differs from {top:g} on line {first}")
        rows.append(row)
    if not rows:
        raise ValueError(f"GRADES_CSV {path}: a header but no grade rows")
    return rows


def practices_in(rows: list[GradeRow]) -> list[str]:
    """The practices that appear in ``rows``, in the book's order."""
    present = {r.exercise for r in rows}
    return [n for n in NAMES if n in present]


def notebook_note(rows: list[GradeRow]) -> str:
    """What the grader noted about a whole notebook: the start that the notes of all its rows share.

    Each note is the notebook's flags and notes followed by the question's own
    feedback, joined by ``"; "``; a notebook that could not be graded at all has
    the same note on every row.
    """
    notes = [r.note for r in rows]
    if len(set(notes)) == 1:
        return notes[0]
    shared = os.path.commonprefix(notes)
    while shared and not all(n == shared or n.startswith(shared + "; ") for n in notes):
        shared = shared[:max(shared.rfind("; "), 0)]
    return shared


def notebook_status(rows: list[GradeRow]) -> str:
    """What happened to one notebook (the rows of one student × practice).

    ``"missing"`` (no notebook in the folder) and ``"unreadable"`` (empty, not a
    notebook) hold only when every row scores 0 with the same note, as the
    grader writes them; ``"stopped"`` when the grader's first note on the
    notebook is a limit or an error that ended the run early; ``""`` otherwise.
    """
    rests = {split_flags(r.note)[1] for r in rows}
    if len(rests) == 1 and all(r.points == 0 for r in rows):
        rest = next(iter(rests))
        if _MISSING.match(rest):
            return "missing"
        if _UNREADABLE.match(rest):
            return "unreadable"
    parts = split_flags(notebook_note(rows))[1].split("; ")
    if parts and _NEAR_MISS.match(parts[0]):
        parts = parts[1:]
    return "stopped" if parts and parts[0].startswith(_STOPPED) else ""


def notebooks(rows: list[GradeRow]) -> dict[tuple[str, str], list[GradeRow]]:
    """Rows grouped by (student, practice): one entry per notebook graded."""
    out: dict[tuple[str, str], list[GradeRow]] = {}
    for r in rows:
        out.setdefault((r.student, r.exercise), []).append(r)
    return out
