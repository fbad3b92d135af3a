"""``sepsislab-grade export``: ``grades.csv`` as the gradebook import file of Canvas or Moodle.

::

    sepsislab-grade export grades.csv --lms canvas -o canvas.csv [--roster roster.csv] [--match sis_login_id]
    sepsislab-grade export grades.csv --lms moodle -o moodle.csv [--roster roster.csv] [--match email]

One column per practice, holding the student's points out of the practice's
maximum (the sum over its questions). A notebook that was not handed in gets
an empty cell, never a zero: both LMSs leave an empty cell ungraded, so the
teacher's own policy for late or missing work decides. Students are matched
to LMS accounts through a *roster* (below); a student of ``grades.csv`` who is
not in the roster stops the export, so that no grade is dropped silently.

The two formats, as each LMS documents its import:

Canvas
    "How do I import grades in the Gradebook?" (Instructure Community,
    https://community.canvaslms.com/t5/Instructor-Guide/How-do-I-import-grades-in-the-Gradebook/ta-p/807):
    the columns of Canvas's own gradebook export, ``Student``, ``ID``,
    ``SIS User ID``, ``SIS Login ID``, ``Section``, then one column per
    assignment named by its title (a new title creates the assignment); the row
    under the header starts with ``Points Possible`` and gives each
    assignment's maximum. Canvas finds each student by ``ID`` (the Canvas user
    id), ``SIS User ID`` or ``SIS Login ID``; the Ohio State guide to the same
    import lists the required columns likewise
    (https://teaching.resources.osu.edu/toolsets/carmencanvas/guides/calculating-final-grades/import-csv-file-carmen-grades),
    and PrairieLearn's tests of it (https://github.com/PrairieLearn/PrairieLearn/issues/4547) found that
    ``Student``, ``SIS Login ID`` and a ``Section`` column (blank allowed) suffice and that an
    assignment column is matched by its exact name when it carries no Canvas id.
Moodle
    "Grade import" (MoodleDocs, https://docs.moodle.org/en/Grade_import): a
    CSV whose first row names the columns, in the layout of Moodle's own grade
    export (``First name``, ``Last name``, ``ID number``, ``Email address``…,
    then one column per grade item). At import the teacher maps one column to
    the user field it holds ("Map from" ``Email address`` → "Map to"
    ``useremail``; or ``Username`` → ``username``, ``ID number`` →
    ``useridnumber``) and each grade column to a grade item or a new one. An
    empty cell (or ``-``) is read as no grade
    (``grade/import/csv/classes/load_data.php``, ``update_grade_item``), and a
    row whose user is not found aborts the whole import, so every row must
    carry the mapped identifier.

The roster is a CSV with a header: ``student`` (the student as in
``grades.csv``, the folder name; ``folder`` as in the roster of
``sepsislab-grade --roster`` is read the same way) and any of ``name``, ``canvas_id``,
``sis_user_id``, ``sis_login_id``, ``section`` (Canvas) and ``first_name``,
``last_name``, ``username``, ``idnumber``, ``email`` (Moodle); the LMSs' own
spellings (``SIS Login ID``, ``Email address``, ``ID number``…) are accepted.
Without a roster, the student identifier itself is the login: it fills the
``--match`` column.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ..exercises.practices import get
from .classdata import GradeRow, notebook_status, notebooks, practices_in, read_grades

#: Roster columns by LMS; the first is the default ``--match`` column.
CANVAS_IDS = ("sis_login_id", "sis_user_id", "canvas_id")
MOODLE_IDS = ("email", "username", "idnumber")
#: The roster's key, in order of preference: the student as in grades.csv (``folder`` in the roster that
#: ``sepsislab-grade --roster`` reads, ``folder,student_id``), else the identifier written in the notebooks.
ROSTER_KEYS = ("student", "folder", "student_id")
ROSTER_COLUMNS = ROSTER_KEYS + ("name", "section", "first_name", "last_name") + CANVAS_IDS + MOODLE_IDS
#: Other spellings of the roster columns (after lower-casing, spaces and hyphens → "_").
ROSTER_ALIASES = {"email_address": "email", "e_mail": "email", "id_number": "idnumber", "user_name": "username", "id": "canvas_id",
                  "canvas_user_id": "canvas_id", "first": "first_name", "firstname": "first_name",
                  "last": "last_name", "lastname": "last_name", "surname": "last_name"}

CANVAS_HEADER = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
MOODLE_HEADER = ["First name", "Last name", "Username", "ID number", "Email address"]
#: Moodle's user fields behind the columns ("Map to" at import).
MOODLE_MAP_TO = {"email": ("Email address", "useremail"), "username": ("Username", "username"),
                 "idnumber": ("ID number", "useridnumber")}
CANVAS_LABEL = {"sis_login_id": "SIS Login ID", "sis_user_id": "SIS User ID", "canvas_id": "ID"}


@dataclass
class RosterEntry:
    student: str
    line: int
    fields: dict[str, str] = field(default_factory=dict)

    def get(self, column: str) -> str:
        return self.fields.get(column, "")


def _normalise(column: str) -> str:
    key = column.strip().lstrip("\ufeff").lower().replace(" ", "_").replace("-", "_")
    return ROSTER_ALIASES.get(key, key)


def read_roster(path: Path | str) -> list[RosterEntry]:
    """The roster's students, in file order (see the module docstring for its columns).

    Raises
    ------
    ValueError
        naming the file and line: no ``student`` column, an unknown column, an
        empty or repeated student.
    """
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"--roster {path}: no such file")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"--roster {path}: not UTF-8 text (byte {exc.start})") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if not header:
        raise ValueError(f"--roster {path}: the file is empty; expected a header such as student,name,email")
    columns = [_normalise(h) for h in header]
    unknown = [h for h, c in zip(header, columns) if c not in ROSTER_COLUMNS]
    if unknown:
        raise ValueError(f"{path} line 1: unknown roster column(s) {', '.join(map(repr, unknown))}; "
                         f"the columns are {', '.join(ROSTER_COLUMNS)}")
    doubled = sorted({c for c in columns if columns.count(c) > 1})
    if doubled:
        raise ValueError(f"{path} line 1: the column(s) {', '.join(doubled)} appear twice in the header")
    key = next((k for k in ROSTER_KEYS if k in columns), None)
    if key is None:
        raise ValueError(f"{path} line 1: the roster needs a 'student' column (the student as in grades.csv)")
    entries: list[RosterEntry] = []
    seen: dict[str, int] = {}
    end = reader.line_num
    for values in reader:
        start, end = end + 1, reader.line_num
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(columns):
            raise ValueError(f"{path} line {start}: {len(values)} field(s), expected {len(columns)} as in the header")
        fields = {c: v.strip() for c, v in zip(columns, values)}
        student = fields.pop(key)
        if not student:
            raise ValueError(f"{path} line {start}: the {key} column is empty")
        if student in seen:
            raise ValueError(f"{path} line {start}: student {student!r} is already on line {seen[student]}")
        seen[student] = start
        entries.append(RosterEntry(student, start, fields))
    if not entries:
        raise ValueError(f"--roster {path}: a header but no students")
    return entries


def practice_points(rows: list[GradeRow]) -> tuple[list[str], dict[str, float], dict[tuple[str, str], float | None]]:
    """Practices, their maxima (points) and each student's points per practice (None: not handed in)."""
    names = practices_in(rows)
    top: dict[str, float] = {}
    for (name, _qid), value in {(r.exercise, r.question): r.max_points for r in rows}.items():
        top[name] = top.get(name, 0.0) + value
    points: dict[tuple[str, str], float | None] = {}
    for (student, name), nb in notebooks(rows).items():
        points[(student, name)] = None if notebook_status(nb) == "missing" else sum(r.points for r in nb)
    return names, top, points


def unreadable(rows: list[GradeRow]) -> list[tuple[str, str]]:
    """(student, practice) of the notebooks handed in but unreadable (empty, not a notebook): 0 points."""
    return sorted(key for key, nb in notebooks(rows).items() if notebook_status(nb) == "unreadable")


def _number(x: float) -> str:
    return f"{round(x, 2):g}"


def _check_cell(text: str, what: str) -> str:
    """Refuse a cell that a spreadsheet would run as a formula (an identifier never starts so)."""
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        raise ValueError(f"{what} {text!r} starts with {text[:1]!r}, which a spreadsheet reads as a formula; "
                         "fix it in the roster or the student's folder name")
    return text


@dataclass
class Gradebook:
    """The import file as rows of text, and what the teacher should know about it."""

    header: list[str]
    rows: list[list[str]]
    notes: list[str]
    how_to_import: str


def build(rows: list[GradeRow], lms: str, roster: list[RosterEntry] | None = None, match: str | None = None,
          roster_name: str = "the roster") -> Gradebook:
    """The gradebook import file for ``lms`` (``"canvas"`` or ``"moodle"``).

    Parameters
    ----------
    rows : the rows of grades.csv (:func:`~.classdata.read_grades`).
    lms : ``"canvas"`` or ``"moodle"``.
    roster : the students and their LMS identifiers; None: the student identifier is the login.
    match : the roster column the LMS matches students by (Canvas: sis_login_id, sis_user_id,
        canvas_id; Moodle: email, username, idnumber). Default: sis_login_id for Canvas; email
        for Moodle with a roster, username without.

    Raises
    ------
    ValueError
        a student of grades.csv absent from the roster (all are named), a roster
        student without the ``match`` identifier, or a cell a spreadsheet would run.
    """
    if lms not in ("canvas", "moodle"):
        raise ValueError(f"--lms {lms!r}: the LMSs are canvas and moodle")
    ids = CANVAS_IDS if lms == "canvas" else MOODLE_IDS
    match = match or (ids[0] if lms == "canvas" or roster is not None else "username")
    if match not in ids:
        raise ValueError(f"--match {match!r}: for {lms} the student is matched by one of {', '.join(ids)}")
    graded = sorted({r.student for r in rows})
    if roster is None:
        roster = [RosterEntry(s, 0, {match: s}) for s in graded]
    listed = {e.student for e in roster}
    strangers = [s for s in graded if s not in listed]
    if strangers:
        raise ValueError(f"{len(strangers)} student(s) of the grades are not in {roster_name}: "
                         f"{', '.join(strangers)}. Add them to the roster (or remove their rows) so that no grade "
                         "is lost")
    for e in roster:
        if not e.get(match):
            where = f"{roster_name} line {e.line}" if e.line else roster_name
            raise ValueError(f"{where}: student {e.student!r} has no {match}, the identifier {lms} matches by "
                             f"(--match {match})")
    names, top, points = practice_points(rows)
    titles = [get(n).title for n in names]
    notes = []
    table = []
    handed_in = set(graded)
    for e in roster:
        cells = [points.get((e.student, n)) for n in names]
        if e.student not in handed_in:
            notes.append(f"no submission from {e.student} (in {roster_name}): empty cells")
        else:
            notes += [f"{e.student}: no {n}.ipynb handed in: empty cell" for n, c in zip(names, cells) if c is None]
        grades = ["" if c is None else _number(c) for c in cells]
        if lms == "canvas":
            full = ", ".join(x for x in (e.get("last_name"), e.get("first_name")) if x)
            who = [e.get("name") or full or e.student, e.get("canvas_id"), e.get("sis_user_id"), e.get("sis_login_id"),
                   e.get("section")]
        else:
            who = [e.get("first_name") or (e.student if not e.get("last_name") else ""), e.get("last_name"),
                   e.get("username"), e.get("idnumber"), e.get("email")]
        table.append([_check_cell(w, f"student {e.student!r}:") for w in who] + grades)
    notes += [f"{student}: {name}.ipynb was handed in but could not be read: 0 points, as graded"
              for student, name in unreadable(rows)]
    if lms == "canvas":
        header = CANVAS_HEADER + titles
        table.insert(0, ["Points Possible", "", "", "", ""] + [_number(top[n]) for n in names])
        how = (f"In Canvas: Grades → Import, upload the file; students are matched by {CANVAS_LABEL[match]}. "
               "Each practice becomes an assignment named by its title.")
    else:
        header = MOODLE_HEADER + titles
        column, field_ = MOODLE_MAP_TO[match]
        how = (f"In Moodle: Grades → Import → CSV file; under 'Identify user by' map from '{column}' to "
               f"'{field_}', and map each practice column to its grade item (maximum: "
               + ", ".join(f"{t} {_number(top[n])}" for t, n in zip(titles, names)) + ").")
    return Gradebook(header, table, notes, how)


def write_gradebook(book: Gradebook, out: Path) -> Path:
    """Write the import file (UTF-8, comma-separated, a header row) atomically."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(book.header)
    writer.writerows(book.rows)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(buf.getvalue(), encoding="utf-8")
    tmp.replace(out)
    return out


def export(grades_csv: Path, out: Path, lms: str, *, roster_csv: Path | None = None,
           match: str | None = None) -> Gradebook:
    """Read ``grades_csv`` (and the roster), write the import file for ``lms`` to ``out``."""
    rows = read_grades(grades_csv)
    roster = read_roster(roster_csv) if roster_csv is not None else None
    book = build(rows, lms, roster, match, roster_name=str(roster_csv) if roster_csv else "the roster")
    write_gradebook(book, out)
    return book


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="sepsislab-grade export",
                                 description="The gradebook import file of Canvas or Moodle, from grades.csv.")
    ap.add_argument("grades", type=Path, metavar="GRADES_CSV", help="the CSV written by sepsislab-grade")
    ap.add_argument("--lms", required=True, choices=("canvas", "moodle"), help="the LMS to import into")
    ap.add_argument("-o", "--output", type=Path, required=True, metavar="OUT_CSV", help="import file to write")
    ap.add_argument("--roster", type=Path, metavar="ROSTER_CSV",
                    help="student → LMS identifiers (columns: student and name, canvas_id, sis_user_id, "
                    "sis_login_id, section, first_name, last_name, username, idnumber, email)")
    ap.add_argument("--match", help="the identifier the LMS matches students by (canvas: sis_login_id [default], "
                    "sis_user_id, canvas_id; moodle: email [default with a roster], username [default without], "
                    "idnumber)")
    args = ap.parse_args(argv)
    try:
        book = export(args.grades, args.output, args.lms, roster_csv=args.roster, match=args.match)
    except (ValueError, OSError) as exc:
        print(f"sepsislab-grade export: error: {exc}", file=sys.stderr)
        return 2
    for note in book.notes:
        print(note, file=sys.stderr)
    students = len(book.rows) - (1 if args.lms == "canvas" else 0)
    print(f"wrote {args.output}: {students} students × {len(book.header) - 5} practices. {book.how_to_import}")
    return 0
