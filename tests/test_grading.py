"""``sepsislab-grade``: one row per student × question, never a crash, never a dropped student.

A class folder is built from the real exercise notebooks: the key (full marks), a blank
notebook (zero), and the classic broken submissions — a cell that raises, a loop that never
ends, a file that is not JSON, an empty file, a missing notebook — each of which costs exactly
what it affects and says why in the ``note`` column.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from sepsislab.exercises import build as B
from sepsislab.exercises.practices import NAMES, get
from sepsislab.grading.grade import CSV_COLUMNS, Limits, grade_class, score

pytestmark = [pytest.mark.notebooks, pytest.mark.xdist_group("grading")]  # one worker builds the class once
EDGE = ("haemodynamics", "norepinephrine")   # the broken submissions are built from these two


def _key(name, student_id=""):
    nb = B.key_notebook(name)
    if student_id:
        cell = next(c for c in nb.cells if c.source.startswith("STUDENT_ID"))
        cell.source = f"STUDENT_ID = {student_id!r}"
    return nb


def _with_cell_after(nb, var, code):
    """A copy of ``nb`` with ``code`` inserted as a new cell after the cell defining ``var``."""
    nb = nbformat.from_dict(nbformat.v4.upgrade(nb) if nb.nbformat < 4 else nb)
    i = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code" and c.source.lstrip().startswith(var))
    nb.cells.insert(i + 1, nbformat.v4.new_code_cell(code))
    return nb


def _replace(nb, var, new_line):
    for c in nb.cells:
        if c.cell_type == "code" and c.source.lstrip().startswith(f"{var} ="):
            c.source = new_line
    return nb


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("class")
    subs = root / "submissions"
    for student in ("alice_key", "bob_blank", "carol_raises", "dave_loops", "erin_invalid", "frank_empty",
                    "gina_missing", "hugo_copied"):
        (subs / student).mkdir(parents=True)
    for name in NAMES:
        nbformat.write(_key(name, "alice_key"), subs / "alice_key" / f"{name}.ipynb")
        (subs / "bob_blank" / f"{name}.ipynb").write_bytes((B.exercises_dir() / f"{name}.ipynb").read_bytes())
    # carol: q3's cell divides by zero, and a stray cell raises
    nb = _replace(_key("haemodynamics", "carol_raises"), "shock_index", "shock_index = case.hr / 0")
    nbformat.write(_with_cell_after(nb, "map_mmhg", "raise RuntimeError('oops')"), subs / "carol_raises" / "haemodynamics.ipynb")
    nbformat.write(_key("norepinephrine", "carol_raises"), subs / "carol_raises" / "norepinephrine.ipynb")
    # dave: an endless loop after q2
    nb = _with_cell_after(_key("haemodynamics", "dave_loops"), "svr =", "while True:\n    pass")
    nbformat.write(nb, subs / "dave_loops" / "haemodynamics.ipynb")
    (subs / "dave_loops" / "norepinephrine (1).ipynb").write_bytes(
        nbformat.writes(_key("norepinephrine", "dave_loops")).encode())
    (subs / "erin_invalid" / "haemodynamics.ipynb").write_text('{"cells": [ this is not json')
    (subs / "erin_invalid" / "norepinephrine.ipynb").write_text('{"nbformat": 4}')
    (subs / "frank_empty" / "haemodynamics.ipynb").write_text("")
    nbformat.write(_key("haemodynamics", "alice_key"), subs / "hugo_copied" / "haemodynamics.ipynb")

    out = root / "out" / "grades.csv"
    messages = []
    grades = grade_class(subs, out, limits=Limits(timeout=20, extract_timeout=15), jobs=2,
                         practices=NAMES, progress=messages.append)
    rows = list(csv.DictReader(out.open()))
    return dict(root=root, out=out, rows=rows, grades=grades, messages=messages)


def _rows(graded, student, exercise=None):
    return [r for r in graded["rows"] if r["student"] == student and (exercise is None or r["exercise"] == exercise)]


def _points(rows):
    return sum(float(r["points"]) for r in rows), sum(float(r["max_points"]) for r in rows)


def test_csv_has_the_columns_and_one_row_per_student_and_question(graded):
    header = graded["out"].read_text().splitlines()[0]
    assert header == ",".join(CSV_COLUMNS)
    n_questions = sum(len(get(n).questions) for n in NAMES)
    students = {r["student"] for r in graded["rows"]}
    assert len(students) == 8
    assert len(graded["rows"]) == 8 * n_questions
    assert graded["messages"][0].startswith("grading 88 notebooks of 8 students")
    assert "notebooks/min" in graded["messages"][-1]


def test_the_key_scores_full_marks_and_a_blank_notebook_zero(graded):
    got, top = _points(_rows(graded, "alice_key"))
    assert got == top == sum(get(n).max_points for n in NAMES)
    notes = {r["note"] for r in _rows(graded, "alice_key")}
    assert notes == {""}, "a classmate who copies alice's notebook gets no flag on alice"
    got, top = _points(_rows(graded, "bob_blank"))
    assert got == 0 and top > 0
    assert all("not answered yet" in r["note"] for r in _rows(graded, "bob_blank"))


def test_a_raising_cell_costs_only_what_it_affects(graded):
    rows = {r["question"]: r for r in _rows(graded, "carol_raises", "haemodynamics")}
    assert rows["q3"]["points"] == "0" and "ZeroDivisionError" in rows["q3"]["note"]
    assert all(rows[q]["points"] == rows[q]["max_points"] for q in ("q1", "q2", "q4", "q5"))
    assert "2 cell(s) raised an error" in rows["q1"]["note"]
    assert _points(_rows(graded, "carol_raises", "norepinephrine"))[0] == get("norepinephrine").max_points


def test_an_endless_loop_is_stopped_at_the_timeout_and_keeps_the_answers_before_it(graded):
    rows = {r["question"]: r for r in _rows(graded, "dave_loops", "haemodynamics")}
    assert rows["q1"]["points"] == "1" and rows["q2"]["points"] == "2", rows["q1"]["note"]
    assert rows["q3"]["points"] == "0"
    assert "time limit" in rows["q3"]["note"] and "20 s" in rows["q3"]["note"]
    near = _rows(graded, "dave_loops", "norepinephrine")
    assert _points(near)[0] == get("norepinephrine").max_points
    assert "graded norepinephrine (1).ipynb" in near[0]["note"]


@pytest.mark.parametrize("student,exercise,words", [
    ("erin_invalid", "haemodynamics", "not a valid notebook"),
    ("erin_invalid", "norepinephrine", "not a valid notebook"),
    ("frank_empty", "haemodynamics", "empty file"),
    ("frank_empty", "norepinephrine", "missing"),
    ("gina_missing", "sofa", "missing: no sofa.ipynb"),
])
def test_broken_or_missing_files_score_zero_with_a_note(graded, student, exercise, words):
    rows = _rows(graded, student, exercise)
    assert rows and all(r["points"] == "0" for r in rows)
    assert all(words in r["note"] for r in rows), rows[0]["note"]


def test_a_copied_notebook_is_graded_on_its_owners_numbers_and_flags_the_submitter(graded):
    rows = _rows(graded, "hugo_copied", "haemodynamics")
    # the key's answers are code computed from `case`, and the case is hugo's (his folder): full marks…
    assert _points(rows)[0] == get("haemodynamics").max_points
    # …but the teacher sees that the notebook names alice, on hugo's rows only
    assert "FLAG: the notebook says STUDENT_ID 'alice_key', but it is 'hugo_copied''s submission" in rows[0]["note"]
    assert not any("FLAG" in r["note"] for r in _rows(graded, "alice_key"))


def test_every_student_gets_a_feedback_file(graded):
    folder = graded["out"].parent / "feedback"
    assert sorted(p.stem for p in folder.glob("*.md")) == sorted({r["student"] for r in graded["rows"]})
    text = (folder / "carol_raises.md").read_text()
    assert "ZeroDivisionError" in text and "✓ q1" in text and "Total:" in text


def test_scoring_is_pure_data_and_rejects_foreign_types():
    run = {"status": "ok", "answers": {"q1": {"rejected": "AlwaysEqual"}, "q2": {"value": "1e9"},
                                       "q3": {"value": [1, 2]}, "q4": {"surprise": 1}}}
    g = score("x", "haemodynamics", run, {}, Limits())
    assert [r.points for r in g.results] == [0, 0, 0, 0, 0]
    assert any("q1: answer of a non-plain type rejected" in f for f in g.flags)
    g = score("x", "haemodynamics", {"status": "timeout", "answers": None}, {}, Limits())
    assert all("time limit" in r.message for r in g.results)


def test_the_console_command_writes_the_key(tmp_path):
    exe = Path(sys.executable).parent / "sepsislab-grade"
    proc = subprocess.run([str(exe), "--solutions", str(tmp_path), "--only", "dic"], capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    text = (tmp_path / "dic.ipynb").read_text()
    assert "✓ q4" in text and "BEGIN SOLUTION" not in text
    proc = subprocess.run([str(exe)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "give the folder of submissions" in proc.stderr


def test_one_job_per_student_then_merge(tmp_path):
    """How a batch cluster runs it: a job per student folder, then one CSV for the class."""
    from sepsislab.grading.cli import main

    subs = tmp_path / "subs"
    (subs / "ann").mkdir(parents=True)
    (subs / "ben").mkdir()
    for student in ("ann", "ben", "cid"):   # cid has no folder at all: graded as missing, not dropped
        assert main([str(subs), "--students", student, "--only", "dic", "-o", str(tmp_path / f"part-{student}.csv")]) == 0
    assert main(["--merge", *map(str, sorted(tmp_path.glob("part-*.csv"))), "-o", str(tmp_path / "all.csv")]) == 0
    rows = list(csv.DictReader((tmp_path / "all.csv").open()))
    assert [r["student"] for r in rows] == ["ann"] * 5 + ["ben"] * 5 + ["cid"] * 5
    assert all("missing" in r["note"] for r in rows)


def test_every_case_crosses_into_the_sandbox_as_plain_data():
    """The grading kernel gets its owner's case as JSON: it must read back equal, or the honest
    key would be graded on other numbers than check() used."""
    from sepsislab.grading.grade import plain_case

    for name in NAMES:
        p = get(name)
        for student in ("ann", "bob42", "j.doe", ""):
            case = p.case_for(student)
            assert plain_case(case) == dict(case), name
            for q in p.questions:
                if q.kind == "function":
                    cases = [dict(c) for c in q.public_cases(case)]
                    assert json.loads(json.dumps(cases)) == cases, (name, q.id)
