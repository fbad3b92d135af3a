"""Chapter 3's exercise notebooks: generated from their sources, answerable, and leak-free.

What a student relies on: the notebook they open is the current one (no drift from the
sources), runs top to bottom unanswered, never shows a solution or a hidden test, draws
numbers of their own, and ``check`` tells them what is wrong — wrong unit, a factor of
ten, a percent given for a fraction — rather than just "wrong". What a teacher relies on:
the key scores full marks for every student's numbers, and the solved notebooks are
reproducible (nbval, strict).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import subprocess
import sys
import zipfile

import nbformat
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT
from sepsislab.exercises import build as B
from sepsislab.exercises.core import to_plain
from sepsislab.exercises.practices import NAMES, all_practices, get

EXERCISES = ROOT / "exercises"
SANITIZE = EXERCISES / "nbval-sanitize.cfg"


def run_key(name: str, student_id: str):
    """Execute the key's code in-process for ``student_id``; return (namespace, case) — fast, no kernel."""
    import sepsislab.exercises as ex

    nb = B.key_notebook(name)
    ns: dict = {}
    with contextlib.redirect_stdout(io.StringIO()):
        for cell in nb.cells:
            if cell.cell_type != "code" or cell.source.strip() in ("case", "progress()", "export()"):
                continue
            src = cell.source
            if src.startswith("STUDENT_ID"):
                src = f"STUDENT_ID = {student_id!r}"
            exec(compile(src, f"<{name}>", "exec"), ns)
    return ns, ex._session.case


def grade_all(name: str, ns: dict, case):
    p = get(name)
    return [q.grade(q.collect(ns, case), case) for q in p.questions]


# -- generated, complete, leak-free ---------------------------------------------------------

def test_student_notebooks_are_generated_from_the_sources_and_up_to_date():
    assert B.build(check=True) == [], "run: python -m sepsislab.exercises build"
    assert sorted(p.stem for p in EXERCISES.glob("*.ipynb")) == sorted(NAMES)


def test_at_least_eight_notebooks_and_forty_graded_questions_with_points():
    practices = all_practices()
    questions = [q for p in practices for q in p.questions]
    assert len(practices) >= 8 and len(questions) >= 40
    assert all(q.points > 0 for q in questions)
    assert {q.kind for q in questions} >= {"number", "integer", "choice", "function"}


@pytest.mark.parametrize("name", NAMES)
def test_every_question_has_a_heading_a_stub_and_a_check(name):
    nb = nbformat.read(EXERCISES / f"{name}.ipynb", as_version=4)
    text = "\n".join(c.source for c in nb.cells)
    for q in get(name).questions:
        assert re.search(rf"^### {q.id} · ", text, re.M), f"{q.id}: no heading"
        assert q.describe() in text, f"{q.id}: the answer format is not stated under its heading"
        stub = rf"^def {q.var}\(" if q.kind == "function" else rf"^{q.var} = \.\.\.$"
        assert re.search(stub, text, re.M), f"{q.id}: no stub for {q.var}"
        assert f'check("{q.id}")' in text


def _solution_fragments(name: str) -> list[str]:
    """Every line of solution code in the source (the right-hand sides of inline solutions)."""
    frags = []
    for cell in B.read_source(name).cells:
        inside = False
        for line in cell.source.splitlines():
            if "# BEGIN SOLUTION" in line:
                inside = True
            elif "# END SOLUTION" in line:
                inside = False
            elif inside and line.strip():
                frags.append(line.strip())
            elif re.search(r"#\s*SOLUTION\s*$", line):
                frags.append(line.split("=", 1)[1].rsplit("#", 1)[0].strip())
    return [f for f in frags if len(f) > 6]


@pytest.mark.parametrize("name", NAMES)
def test_student_notebooks_contain_no_solution_no_hidden_test_no_output(name):
    raw = (EXERCISES / f"{name}.ipynb").read_text()
    nb = json.loads(raw)
    assert all(not c.get("outputs") for c in nb["cells"])
    assert "SOLUTION" not in raw and "hidden-tests" not in raw.lower() and "Hidden tests" not in raw
    code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    leaked = [f for f in _solution_fragments(name) if f in code]
    assert leaked == []
    for cases in B.hidden_tests(name).values():
        for case in cases:
            assert json.dumps(case) not in raw and repr(case) not in raw


def test_solutions_and_hidden_tests_are_not_in_the_installed_package():
    pkg = ROOT / "sepsislab"
    text = "\n".join(p.read_text() for p in pkg.rglob("*.py"))
    for name in ("sofa", "norepinephrine"):
        for case in B.hidden_tests(name)["q7" if name == "sofa" else "q5"]:
            assert repr(case) not in text and json.dumps(case) not in text
    import pkgutil

    assert list(pkgutil.iter_modules([str(EXERCISES / "source")])) == [], "sources must not be importable code"


# -- per-student variants; the key is right for everyone --------------------------------------

@pytest.mark.parametrize("name", NAMES)
def test_each_student_gets_their_own_numbers(name):
    p = get(name)
    cases = {sid: dict(p.case_for(sid)) for sid in ("alice", "bob", "carol", "dave")}
    assert len({json.dumps(c, sort_keys=True) for c in cases.values()}) >= 3
    assert dict(p.case_for(" Alice ")) == cases["alice"], "the identifier is trimmed and case-insensitive"


@pytest.mark.parametrize("name", NAMES)
def test_the_key_scores_full_marks_for_the_demo_and_named_students(name):
    for sid in ("", "alice", "s1234567"):
        ns, case = run_key(name, sid)
        wrong = [(r.question, r.message) for r in grade_all(name, ns, case) if r.status != "correct"]
        assert wrong == [], sid


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sid=st.text(min_size=1, max_size=20), name=st.sampled_from([n for n in NAMES if n != "bedside"]))
def test_the_key_scores_full_marks_for_any_identifier(sid, name):
    ns, case = run_key(name, sid)
    assert all(r.status == "correct" for r in grade_all(name, ns, case))


def test_reading_a_profile_recovers_the_kind_of_shock_the_circulation_model_made():
    """The rule taught in practice 3 names every shock that circulation.shock_state makes
    (Vincent & De Backer 2013's four mechanisms) at the severities the exercise draws."""
    from sepsislab.exercises.practices.haemodynamics import read_profile
    from sepsislab.models import circulation

    for kind in ("cardiogenic", "hypovolemic", "obstructive", "distributive"):
        for sev in (0.6, 0.7, 0.8, 0.9):
            s = circulation.shock_state(kind, sev)
            assert read_profile(round(s["svr"], -1), round(s["cvp"], 1), round(s["edv"])) == kind


# -- feedback on typical wrong answers -------------------------------------------------------

def _msg(name, qid, value, sid="alice", hidden=()):
    p = get(name)
    case = p.case_for(sid)
    q = p.question(qid)
    return q.grade(q.collect({q.var: value}, case, hidden), case, hidden)


def _expected(name, qid, sid="alice"):
    p = get(name)
    return p.question(qid).expected(p.case_for(sid))


WRONG = [  # (practice, question, wrong answer from the case, words the feedback must contain)
    ("oxygen", "q5", lambda c: 100 * _expected("oxygen", "q5"), "looks like a percent"),
    ("oxygen", "q1", lambda c: 1.34 * c.hb * c.sao2_pct + 0.003 * c.pao2, "SaO₂ went in as a percent"),
    ("oxygen", "q2", lambda c: _expected("oxygen", "q2") / 10, "factor 10"),
    ("lactate", "q1", lambda c: _expected("lactate", "q1") / 100, "looks like a fraction"),
    ("haemodynamics", "q1", lambda c: (c.sbp + c.dbp) / 2, "plain average"),
    ("haemodynamics", "q2", lambda c: _expected("haemodynamics", "q2") / 80, "Wood units"),
    ("haemodynamics", "q3", lambda c: c.sbp / c.hr, "upside down"),
    ("norepinephrine", "q2", lambda c: _expected("norepinephrine", "q2") / 60, "mL per minute"),
    ("norepinephrine", "q1", lambda c: c.drug_mg / c.syringe_ml, "factor of 1000"),
    ("dic", "q3", lambda c: c.fibrinogen_mg_dl / 10, "factor of 10"),
    ("sofa", "q3", lambda c: c.bilirubin_umol_l * 17.1, "divide by 17.1"),
    ("starling", "q1", lambda c: -_expected("starling", "q1"), "sign"),
    ("sentry", "q1", lambda c: _expected("sentry", "q1") * 3, "too high"),
]


@pytest.mark.parametrize("name,qid,wrong,words", WRONG, ids=[f"{w[0]}-{w[1]}-{w[3][:12]}" for w in WRONG])
def test_feedback_names_the_typical_mistake(name, qid, wrong, words):
    result = _msg(name, qid, wrong(get(name).case_for("alice")))
    assert result.status == "wrong" and result.points == 0
    assert words in result.message, result.message
    assert "Hint:" in result.message


def test_feedback_for_text_unanswered_foreign_objects_and_unknown_options():
    assert "without quotes" in _msg("haemodynamics", "q1", "71.3").message
    assert _msg("haemodynamics", "q1", ...).status == "unanswered"
    assert "not answered yet" in _msg("haemodynamics", "q1", ...).message

    class AlwaysEqual(float):
        def __eq__(self, other):
            return True

    r = _msg("haemodynamics", "q1", AlwaysEqual(1.0))
    assert r.status == "rejected" and "AlwaysEqual" in r.message
    assert "not one of the options" in _msg("haemodynamics", "q5", "septic shock").message
    assert _msg("haemodynamics", "q5", "Hypovolaemic").status in ("correct", "wrong")  # alias accepted
    assert _msg("dic", "q4", 4.5).status == "wrong"
    assert to_plain(float("nan")) == {"nonfinite": "nan"}


def test_function_feedback_runs_the_student_function_and_names_the_slip():
    ref = get("norepinephrine").question("q5")
    per_minute = lambda dose_ug_kg_min, weight_kg, concentration_ug_ml: dose_ug_kg_min * weight_kg / concentration_ug_ml  # noqa: E731
    r = _msg("norepinephrine", "q5", per_minute)
    assert r.status == "wrong" and "factor of 60" in r.message
    hidden = B.hidden_tests("norepinephrine")["q5"]

    def no_checks(dose_ug_kg_min, weight_kg, concentration_ug_ml):
        return dose_ug_kg_min * weight_kg * 60 / concentration_ug_ml

    r = _msg("norepinephrine", "q5", no_checks, hidden=hidden)
    assert 0 < r.points < ref.points and "a hidden test fails" in r.message
    # a hidden case says neither its inputs nor what it expects (issue 15): the hint says what to check
    assert "0.05" not in r.message and "should raise" not in r.message, "hidden inputs are not revealed"


def test_check_and_progress_never_raise(capsys):
    import sepsislab.exercises as ex

    ex.start("haemodynamics", "alice")
    ns = {"map_mmhg": ..., "check": ex.check, "progress": ex.progress}
    exec("check('q1'); check('q2'); check('q9'); progress()", ns)
    out = capsys.readouterr().out
    assert "not answered yet" in out and "There is no question 'q9'" in out
    assert "0 of 7 points" in out


def test_export_packs_the_saved_notebook_into_the_students_folder(tmp_path, monkeypatch, capsys):
    import sepsislab.exercises as ex

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(ex.GRADING_ENV, raising=False)
    nb = B.student_notebook("dic")
    nb.cells[[c.source.startswith("STUDENT_ID") for c in nb.cells].index(True)].source = 'STUDENT_ID = "J.Doe 42"'
    nbformat.write(nb, tmp_path / "dic.ipynb")
    ex.start("dic", "J.Doe 42")
    ex.export()
    zips = list((tmp_path / "submit").glob("*.zip"))
    assert [z.name for z in zips] == ["dic-j.doe_42.zip"], capsys.readouterr().out
    assert zipfile.ZipFile(zips[0]).namelist() == ["j.doe_42/dic.ipynb"]


# -- notebooks in a kernel (nbval) -------------------------------------------------------------

def _nbval(args, cwd):
    env = {k: v for k, v in os.environ.items() if k != "SEPSISLAB_STATIC"}
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist",
                           "--nbval-current-env", *args], cwd=cwd, capture_output=True, text=True, timeout=900, env=env)


@pytest.mark.notebooks
def test_unanswered_student_notebooks_run_top_to_bottom(tmp_path):
    for name in NAMES:
        (tmp_path / f"{name}.ipynb").write_bytes((EXERCISES / f"{name}.ipynb").read_bytes())
    proc = _nbval(["--nbval-lax", "."], tmp_path)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]


@pytest.mark.notebooks
def test_solved_notebooks_reproduce_their_stored_outputs(tmp_path):
    """nbval in strict mode: the key as the teacher gets it (``--solutions``) matches a fresh run."""
    from sepsislab.grading.cli import write_solutions

    write_solutions(tmp_path, student_id="nbval-student")
    for name in NAMES:
        text = (tmp_path / f"{name}.ipynb").read_text()
        assert "✓" in text and "✗" not in text, f"{name}: a check in the key is not ✓"
    proc = _nbval(["--nbval", "--nbval-sanitize-with", str(SANITIZE), "."], tmp_path)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]


@pytest.mark.build
@pytest.mark.xdist_group("book")
def test_the_built_book_links_every_notebook_and_shows_no_solution_or_hidden_test(built_book):
    assert built_book.returncode == 0, built_book.log[-3000:]
    pages = {p.stem: p.read_text() for p in (built_book.html / "book" / "ch3").glob("*.html")}
    assert set(pages) == set(NAMES) | {"index"}
    site = "\n".join(p.read_text(errors="replace") for p in built_book.html.rglob("*.html"))
    for name in NAMES:
        assert f"urlpath=lab/tree/exercises/{name}.ipynb" in pages[name]
        assert re.search(rf'href="[^"]*_downloads/[0-9a-f]+/{name}\.ipynb"', pages[name])
        assert 'class="solution dropdown' in pages[name] or "dropdown" in pages[name]
        for fragment in _solution_fragments(name):
            assert fragment not in site, f"{name}: solution code in the HTML: {fragment}"
        for cases in B.hidden_tests(name).values():
            assert all(json.dumps(c) not in site for c in cases)
    for download in built_book.html.rglob("_downloads/*/*.ipynb"):
        if download.stem in NAMES:
            assert download.read_bytes() == (EXERCISES / download.name).read_bytes()


# -- choice questions whose right answer differs between students (issue 14) -----------------
MANY_IDS = [f"student{n:03d}" for n in range(200)]
VARIANT_CHOICES = [("sentry", "q5"), ("storm", "q2"), ("starling", "q5"), ("lactate", "q2"), ("sofa", "q5")]


@pytest.mark.parametrize("name,qid", VARIANT_CHOICES)
def test_choice_answers_differ_between_students_and_the_key_is_right(name, qid):
    """Across many students more than one option is the right one, so an answer cannot simply be
    passed on; and for every student the key (the practice's own answer) is graded correct."""
    p = get(name)
    question = next(q for q in p.questions if q.id == qid)
    answers = {}
    for sid in MANY_IDS[:80]:
        case = p.case_for(sid)
        answers[sid] = question.expected(case)
        assert question.grade(question.collect({question.var: answers[sid]}, case), case).status == "correct"
    assert len(set(answers.values())) >= 2, answers


def _cases_covering(p, key, wanted, limit=200):
    """One case per value of ``key`` in ``wanted`` (the first student who draws it)."""
    found = {}
    for sid in MANY_IDS[:limit]:
        case = p.case_for(sid)
        if case[key] in wanted and case[key] not in found:
            found[case[key]] = case
    return found


def test_bedside_q2_untreated_map_differs_between_students():
    p = get("bedside")
    q2 = next(q for q in p.questions if q.id == "q2")
    cases = _cases_covering(p, "severity", {"mild", "severe"})
    values = {sev: q2.expected(c) for sev, c in cases.items()}
    assert values["severe"] < values["mild"] - 2.0                       # not a fixed ~65 mmHg


def test_bedside_q5_and_q7_right_answers_differ_between_students():
    p = get("bedside")
    q5 = next(q for q in p.questions if q.id == "q5")
    q7 = next(q for q in p.questions if q.id == "q7")
    by_order = _cases_covering(p, "timely_is_a", {True, False})
    assert {q5.expected(c) for c in by_order.values()} == {"a", "b"}
    for c in by_order.values():
        assert q5.grade(q5.collect({q5.var: q5.expected(c)}, c), c).status == "correct"
    by_hour = _cases_covering(p, "assess_h", {2, 12})
    assert {q7.expected(c) for c in by_hour.values()} == {"yes", "no"}
