"""``sepsislab-grade export``: the Canvas and Moodle gradebook import files, read back and checked
against the points of the graded class (generated in ``test_report.py`` through the grader's own code)."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from sepsislab.exercises.practices import NAMES, get
from sepsislab.grading import lms
from sepsislab.grading.classdata import read_grades
from test_report import MISSING, STYLE, klass  # noqa: F401  (klass: the graded class fixture)

#: The roster: every graded student, plus one (gus) who handed in nothing.
ROSTER = [dict(student=s, name=f"{s.title()} Student", canvas_id=str(1000 + i), sis_user_id=f"S{i:04d}",
               sis_login_id=f"{s}@uni", section="A" if i % 2 else "B", first_name=s.title(),
               last_name="Student", username=f"{s}42", idnumber=f"ID{i}", email=f"{s}@uni.example")
          for i, s in enumerate(list(STYLE) + ["gus"])]
TITLES = [get(n).title for n in NAMES]


def write_roster(path: Path, entries=ROSTER, header=None) -> Path:
    header = header or list(entries[0])
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows([e[k] for k in entries[0]] for e in entries)
    return path


def points(grades, student: str, name: str) -> float | None:
    """The student's points for a practice, from the grader's results (None: not handed in)."""
    if (student, name) in MISSING:
        return None
    (g,) = [g for g in grades if g.student == student and g.practice == name]
    return sum(r.points for r in g.results)


def read_back(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def check_totals(rows, grades, students, first_grade_column):
    for student, row in zip(students, rows):
        for name, cell in zip(NAMES, row[first_grade_column:]):
            want = points(grades, student, name) if student in STYLE else None
            if want is None:
                assert cell == "", (student, name, cell)       # empty, not a zero
            else:
                assert float(cell) == pytest.approx(want, abs=0.005), (student, name)


def test_canvas_file_has_canvas_columns_points_possible_and_the_class_totals(klass, tmp_path):  # noqa: F811
    folder, grades = klass
    out = tmp_path / "canvas.csv"
    proc = subprocess.run([sys.executable, "-m", "sepsislab.grading.cli", "export", str(folder / "grades.csv"),
                           "--lms", "canvas", "-o", str(out), "--roster", str(write_roster(tmp_path / "r.csv"))],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    rows = read_back(out)
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"] + TITLES
    assert rows[1][:5] == ["Points Possible", "", "", "", ""]
    assert [float(x) for x in rows[1][5:]] == pytest.approx([get(n).max_points for n in NAMES], abs=1e-9)
    body = rows[2:]
    assert [r[:5] for r in body] == [[e["name"], e["canvas_id"], e["sis_user_id"], e["sis_login_id"],
                                      e["section"]] for e in ROSTER]
    check_totals(body, grades, [e["student"] for e in ROSTER], 5)
    # the teacher is told about every empty cell
    assert "no submission from gus" in proc.stderr
    assert "dan: no storm.ipynb handed in: empty cell" in proc.stderr
    assert "fay: sofa.ipynb was handed in but could not be read: 0 points" in proc.stderr
    assert "SIS Login ID" in proc.stdout


def test_moodle_file_has_the_identifier_to_map_and_the_class_totals(klass, tmp_path):  # noqa: F811
    folder, grades = klass
    out = tmp_path / "moodle.csv"
    book = lms.export(folder / "grades.csv", out, "moodle", roster_csv=write_roster(tmp_path / "r.csv"))
    rows = read_back(out)
    assert rows[0] == ["First name", "Last name", "Username", "ID number", "Email address"] + TITLES
    assert [r[:5] for r in rows[1:]] == [[e["first_name"], e["last_name"], e["username"], e["idnumber"],
                                          e["email"]] for e in ROSTER]
    check_totals(rows[1:], grades, [e["student"] for e in ROSTER], 5)
    assert "map from 'Email address' to 'useremail'" in book.how_to_import


def test_moodle_can_match_by_username(klass, tmp_path):  # noqa: F811
    folder, _ = klass
    book = lms.export(folder / "grades.csv", tmp_path / "m.csv", "moodle",
                      roster_csv=write_roster(tmp_path / "r.csv"), match="username")
    assert "map from 'Username' to 'username'" in book.how_to_import


def test_without_a_roster_the_student_identifier_is_the_login(klass, tmp_path):  # noqa: F811
    folder, grades = klass
    lms.export(folder / "grades.csv", tmp_path / "c.csv", "canvas")
    rows = read_back(tmp_path / "c.csv")[2:]
    assert [(r[0], r[3]) for r in rows] == [(s, s) for s in sorted(STYLE)]
    check_totals(rows, grades, sorted(STYLE), 5)
    lms.export(folder / "grades.csv", tmp_path / "m.csv", "moodle")
    assert [r[2] for r in read_back(tmp_path / "m.csv")[1:]] == sorted(STYLE)


def test_a_student_missing_from_the_roster_stops_the_export_naming_them(klass, tmp_path):  # noqa: F811
    folder, _ = klass
    roster = write_roster(tmp_path / "r.csv", [e for e in ROSTER if e["student"] not in ("cleo", "eve")])
    out = tmp_path / "canvas.csv"
    with pytest.raises(ValueError, match=r"2 student\(s\) of the grades are not in .*r\.csv: cleo, eve"):
        lms.export(folder / "grades.csv", out, "canvas", roster_csv=roster)
    assert not out.exists()
    proc = subprocess.run([sys.executable, "-m", "sepsislab.grading.cli", "export", str(folder / "grades.csv"),
                           "--lms", "moodle", "-o", str(out), "--roster", str(roster)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "cleo, eve" in proc.stderr and "Traceback" not in proc.stderr
    assert not out.exists()


def test_a_roster_student_without_the_matched_identifier_is_refused(klass, tmp_path):  # noqa: F811
    folder, _ = klass
    entries = [dict(e) for e in ROSTER]
    entries[2]["email"] = ""
    roster = write_roster(tmp_path / "r.csv", entries)
    with pytest.raises(ValueError, match=r"r\.csv line 4: student 'cleo' has no email"):
        lms.export(folder / "grades.csv", tmp_path / "m.csv", "moodle", roster_csv=roster)


def test_the_lms_own_column_names_are_accepted_in_the_roster(klass, tmp_path):  # noqa: F811
    folder, grades = klass
    entries = [{"Student ID": e["student"], "SIS Login ID": e["sis_login_id"], "Email address": e["email"]}
               for e in ROSTER]
    roster = write_roster(tmp_path / "r.csv", entries)
    lms.export(folder / "grades.csv", tmp_path / "c.csv", "canvas", roster_csv=roster)
    rows = read_back(tmp_path / "c.csv")[2:]
    assert [r[3] for r in rows] == [e["sis_login_id"] for e in ROSTER]
    check_totals(rows, grades, [e["student"] for e in ROSTER], 5)


def test_the_graders_roster_with_lms_columns_serves_the_export(klass, tmp_path):  # noqa: F811
    """One file for both: ``folder,student_id`` (what ``sepsislab-grade --roster`` reads) plus an LMS column."""
    folder, grades = klass
    entries = [{"folder": e["student"], "student_id": e["student"].upper(), "email": e["email"]} for e in ROSTER]
    roster = write_roster(tmp_path / "r.csv", entries)
    lms.export(folder / "grades.csv", tmp_path / "m.csv", "moodle", roster_csv=roster)
    rows = read_back(tmp_path / "m.csv")[1:]
    assert [r[4] for r in rows] == [e["email"] for e in ROSTER]
    check_totals(rows, grades, [e["student"] for e in ROSTER], 5)


@pytest.mark.parametrize("text, match", [
    ("student,login\nada,x\n", r"line 1: unknown roster column\(s\) 'login'"),
    ("name,email\nAda,a@x\n", r"line 1: the roster needs a 'student' column"),
    ("student,email\nada,a@x\nada,b@x\n", r"line 3: student 'ada' is already on line 2"),
    ("student,e-mail,email\nada,a@x,a@x\n", r"line 1: the column\(s\) email appear twice"),
    ("student,email\n,a@x\n", r"line 2: the student column is empty"),
    ("student,email\nada\n", r"line 2: 1 field\(s\), expected 2"),
    ("", r"the file is empty"),
])
def test_a_malformed_roster_is_refused_naming_the_line(tmp_path, text, match):
    path = tmp_path / "roster.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=match):
        lms.read_roster(path)


def test_an_identifier_a_spreadsheet_would_run_is_refused(tmp_path):
    path = tmp_path / "grades.csv"
    path.write_text("student,exercise,question,points,max_points,note\n=HYPERLINK(1),sentry,q1,1,2,\n",
                    encoding="utf-8")
    with pytest.raises(ValueError, match="reads as a formula"):
        lms.build(read_grades(path), "canvas")


def test_unknown_lms_and_match_are_refused(klass):  # noqa: F811
    folder, _ = klass
    rows = read_grades(folder / "grades.csv")
    with pytest.raises(ValueError, match="--lms 'blackboard'"):
        lms.build(rows, "blackboard")
    with pytest.raises(ValueError, match=r"--match 'email': for canvas .* sis_login_id"):
        lms.build(rows, "canvas", match="email")


@pytest.mark.notebooks
def test_from_a_real_grading_run_to_the_report_and_the_import_file(tmp_path):
    """The grader's own CSV (kernels run): a key notebook, an empty file, a missing one and a copy."""
    import nbformat

    from sepsislab.exercises import build as B
    from sepsislab.grading import report
    from sepsislab.grading.classdata import notebook_status, notebooks
    from sepsislab.grading.grade import Limits, grade_class

    subs = tmp_path / "class"
    for student in ("alice", "frank", "gina", "hugo"):
        (subs / student).mkdir(parents=True)
    key = B.key_notebook("dic")
    next(c for c in key.cells if c.source.startswith("STUDENT_ID")).source = 'STUDENT_ID = "alice"'
    nbformat.write(key, subs / "alice" / "dic.ipynb")
    nbformat.write(key, subs / "hugo" / "dic.ipynb")                  # alice's notebook handed in twice
    (subs / "frank" / "dic.ipynb").write_text("")
    grade_class(subs, tmp_path / "grades.csv", limits=Limits(timeout=60, extract_timeout=30), jobs=2,
                practices=("dic",), progress=lambda _: None)

    rows = read_grades(tmp_path / "grades.csv")
    status = {s: notebook_status(nb) for (s, _), nb in notebooks(rows).items()}
    assert status == {"alice": "", "frank": "unreadable", "gina": "missing", "hugo": ""}
    lists = report.submission_lists(rows)
    assert {s for s, _, _ in lists["flagged"]} == {"hugo"}   # the submitter, never the classmate named (issue 15)
    stats = report.question_stats(rows)
    assert [(s.answered, s.full) for s in stats] == [(2, 2)] * len(get("dic").questions)   # the key, twice
    page = report.write_report(tmp_path / "grades.csv", tmp_path / "report.html", book_url="book").read_text()
    assert "no dic.ipynb in the folder" in page

    book = lms.export(tmp_path / "grades.csv", tmp_path / "canvas.csv", "canvas")
    out = {r[0]: r[5] for r in read_back(tmp_path / "canvas.csv")[2:]}
    assert float(out["alice"]) == pytest.approx(get("dic").max_points, abs=1e-9)
    assert out["gina"] == "" and float(out["frank"]) == 0
    assert any("gina: no dic.ipynb handed in" in n for n in book.notes)
