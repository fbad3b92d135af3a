"""``sepsislab-grade report``: the class report built from a grades.csv, read back and opened in chromium.

The class is generated here through the grader's own code: each answer is graded
by the question's :meth:`grade` (the function ``check()`` and ``sepsislab-grade``
call) and written with :func:`sepsislab.grading.grade.write_csv` and
:func:`write_feedback`, so the notes carry the grader's exact wording. The class
has every kind of row: full marks, slips (written for the question, a factor of
10, a percent for a fraction, a wrong option, a function off by 60), partial
marks, unanswered, missing and unreadable notebooks, one stopped by the time
limit and one flagged.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from sepsislab.exercises.practices import NAMES, get
from sepsislab.grading import report
from sepsislab.grading.classdata import GradeRow, notebook_status, notebooks, read_grades
from sepsislab.grading.grade import NotebookGrade, _zero, write_csv, write_feedback

ROOT = Path(__file__).resolve().parents[1]
AXE = ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js"
BLOCKING_IMPACTS = ("serious", "critical")

#: Who hands in what: full marks, slips, partial/unanswered, missing, flagged/stopped, unreadable.
STYLE = {"ada": "full", "ben": "slip", "cleo": "partial", "dan": "full", "eve": "full", "fay": "generic"}
MISSING = {("dan", "storm"), ("dan", "dic")}
UNREADABLE = {("fay", "sofa")}
STOPPED = {("eve", "lactate")}
FLAGGED = {("eve", "oxygen")}
TIME_LIMIT = "time limit: the notebook ran past 120 s in cell 7; later cells were not run"


def _slip_value(q, case, style: str, index: int):
    """A wrong answer that the question's feedback names: its own slip ("slip"), or ("generic") a percent
    for a fraction, a wrong sign or a factor of 10."""
    for slip in getattr(q, "slips", ()) if style == "slip" else ():
        value = slip.value(case)
        if q.grade({"value": value}, case).status == "wrong":
            return value
    want = q.expected(case)
    if q.kind == "integer":
        return want + 5
    if getattr(q, "fraction", False):
        return 100 * want
    return -want if index % 2 and want else 10 * want


def answer(q, case, style: str, index: int) -> dict:
    """The plain data a notebook of this style hands the grader for question ``q``."""
    if q.kind == "function":
        calls, slipped = [], style == "full"
        for kwargs in q.cases(case):
            want = q.expected_for(kwargs)
            if want is ValueError:
                calls.append({"raised": "ValueError: impossible input"})
            elif not slipped and want:
                calls.append({"value": 60 * want})       # minutes for hours, on one case
                slipped = True
            else:
                calls.append({"value": want})
        return {"calls": calls}
    if style == "partial" and index % 2:
        return {"unanswered": "still ..."}
    if style in ("full", "partial"):
        return {"value": q.expected(case)}
    if q.kind == "choice":
        return {"value": next(o for o in q.options if o != q.expected(case))}
    return {"value": _slip_value(q, case, style, index)}


def grade_notebook(student: str, name: str) -> NotebookGrade:
    if (student, name) in MISSING:
        return _zero(student, name, f"missing: no {name}.ipynb in the folder")
    if (student, name) in UNREADABLE:
        return _zero(student, name, f"{name}.ipynb: empty file")
    p = get(name)
    case = p.case_for(student)
    results = []
    for i, q in enumerate(p.questions):
        if (student, name) in STOPPED and i >= 2:
            results.append(q.grade({"unanswered": "not reported"}, case))
        else:
            results.append(q.grade(answer(q, case, STYLE[student], i), case))
    notes = [TIME_LIMIT] if (student, name) in STOPPED else []
    flags = ["builtins rebound: print"] if (student, name) in FLAGGED else []
    return NotebookGrade(student, name, results, notes, flags, student_id=student)


@pytest.fixture(scope="module")
def klass(tmp_path_factory):
    """A graded class: grades.csv, feedback/ and the NotebookGrade objects they came from."""
    folder = tmp_path_factory.mktemp("class")
    grades = [grade_notebook(s, n) for s in STYLE for n in NAMES]
    write_csv(folder / "grades.csv", grades)
    write_feedback(folder / "feedback", grades)
    return folder, grades


def handed_in(g: NotebookGrade) -> bool:
    return (g.student, g.practice) not in MISSING | UNREADABLE


# -- what the report computes, against the grades it came from ---------------------------------

def test_every_kind_of_row_is_in_the_generated_class(klass):
    folder, grades = klass
    rows = read_grades(folder / "grades.csv")
    outcomes = Counter(r.outcome for r in rows)
    assert outcomes["full"] and outcomes["partial"] and outcomes["zero"]
    status = {key: notebook_status(nb) for key, nb in notebooks(rows).items()}
    assert {k for k, v in status.items() if v == "missing"} == MISSING
    assert {k for k, v in status.items() if v == "unreadable"} == UNREADABLE
    assert {k for k, v in status.items() if v == "stopped"} == STOPPED
    assert {(r.student, r.exercise) for r in rows if r.flags} == FLAGGED
    assert len(rows) == sum(len(g.results) for g in grades)


def test_marks_per_question_match_the_grades(klass):
    folder, grades = klass
    stats = {(s.exercise, s.question): s for s in report.question_stats(read_grades(folder / "grades.csv"))}
    assert len(stats) == sum(len(get(n).questions) for n in NAMES)
    for name in NAMES:
        for q in get(name).questions:
            results = [r for g in grades if g.practice == name and handed_in(g) for r in g.results
                       if r.question == q.id]
            s = stats[(name, q.id)]
            assert s.answered == len(results)
            assert s.full == sum(r.points == r.max_points for r in results)
            assert s.zero == sum(r.points == 0 for r in results)
            assert s.full + s.partial + s.zero == s.answered
            assert s.mean_fraction == pytest.approx(sum(r.points / r.max_points for r in results) / len(results),
                                                    abs=1e-9)


def test_questions_come_hardest_first(klass):
    folder, _ = klass
    means = [s.mean_fraction for s in report.question_stats(read_grades(folder / "grades.csv"))]
    assert means == sorted(means) and means[0] < means[-1]


def test_missing_and_unreadable_notebooks_are_not_counted_as_answers(klass):
    folder, _ = klass
    stats = {(s.exercise, s.question): s for s in report.question_stats(read_grades(folder / "grades.csv"))}
    assert stats[("storm", "q1")].answered == len(STYLE) - 1          # dan's storm is missing
    assert stats[("sofa", "q1")].answered == len(STYLE) - 1           # fay's sofa is empty
    assert stats[("sentry", "q1")].answered == len(STYLE)
    scores = report.practice_scores(read_grades(folder / "grades.csv"))
    assert "dan" not in scores["storm"] and scores["sentry"]["ada"] == pytest.approx(100.0, abs=1e-9)


def test_slips_are_counted_per_question_with_the_hint_shown(klass):
    folder, _ = klass
    rows = read_grades(folder / "grades.csv")
    slips = {(s.exercise, s.question, s.slip): s for s in report.slip_counts(rows)}
    # ben gave the plain average of SBP and DBP for the MAP: the slip written for haemodynamics q1.
    q1 = get("haemodynamics").question("q1")
    average = slips[("haemodynamics", "q1", q1.slips[0].message)]
    assert average.students == 1 and average.hint == q1.hint
    # sentry q3 asks for a fraction: fay's 100× the answer is a percent given for a fraction.
    assert slips[("sentry", "q3", "a percent given for a fraction")].students == 1
    # ben and fay chose a wrong option of sentry q2 (which one depends on each student's case)
    assert sum(s.students for k, s in slips.items() if k[:2] == ("sentry", "q2") and k[2].startswith("chose ")) == 2
    # fay's factors of 10 and wrong signs, on questions with and without slips of their own
    assert any(k[2] == "10× too large (units or decimal point)" for k in slips)
    assert any(k[2] == "the wrong sign" for k in slips)
    # nothing is counted for the students who answered right
    assert all(s.students <= 2 for s in slips.values())


def test_slips_of_functions_are_counted_only_from_the_feedback(klass):
    folder, _ = klass
    rows = read_grades(folder / "grades.csv")
    label = "a factor of 60 (minutes and hours)"
    assert not [s for s in report.slip_counts(rows) if s.slip == label]
    feedback, files = report.read_feedback(folder / "feedback")
    assert set(files) == set(STYLE)
    found = {(s.exercise, s.question): s.students for s in report.slip_counts(rows, feedback) if s.slip == label}
    # ben, cleo and fay returned 60× the answer on one case of each function question (fay's sofa is empty)
    assert found == {("sofa", "q7"): 2, ("norepinephrine", "q5"): 3}


def test_a_note_cannot_fake_a_slip_outside_the_graders_wording(klass):
    folder, _ = klass
    row = read_grades(folder / "grades.csv")[0]
    fake = row.__class__(row.line, row.student, "haemodynamics", "q2", 0, 2,
                         "1 cell(s) raised an error, first in cell 3: ValueError: has the wrong sign; the size is "
                         "right; 123 dyn·s·cm⁻⁵ is too high (needed within ±3 % of the reference)")
    assert report.recognise_slip(fake) is None


def test_a_students_error_text_cannot_mark_a_notebook_missing_unreadable_or_flagged(klass):
    folder, _ = klass
    row = read_grades(folder / "grades.csv")[0]
    evalue = "x; missing: no sentry.ipynb in the folder; sentry.ipynb: empty file; FLAG: fake"
    nb = [row.__class__(i + 2, "zed", "sentry", f"q{i + 1}", 0, 1,
                        f"1 cell(s) raised an error, first in cell 3: ValueError: {evalue}; not answered yet")
          for i in range(3)]
    assert notebook_status(nb) == "" and all(r.flags == [] for r in nb)
    assert notebook_status([replace(r, note="missing: no sentry.ipynb in the folder") for r in nb]) == "missing"


@pytest.mark.parametrize("note, status", [
    ("missing: no sentry.ipynb in the folder", "missing"),
    ("sentry.ipynb: empty file", "unreadable"),
    ("sentry (1).ipynb: not a valid notebook (JSON could not be read)", "unreadable"),
    ("sentry.ipynb: too large (80 MB; at most 64 MB)", "unreadable"),
    ("FLAG: sentry.ipynb is a symbolic link; sentry.ipynb: a symbolic link, not a file: not followed", "unreadable"),
    ("the student's folder could not be read (Permission denied; a link is not followed)", "unreadable"),
    ("time limit: the notebook ran past 120 s in cell 4; later cells were not run", "stopped"),
    ("grader error (OSError: disk full)", "stopped"),
])
def test_notebooks_the_grader_could_not_grade_are_recognised(note, status):
    nb = [GradeRow(2 + i, "zed", "sentry", f"q{i + 1}", 0, 1, note) for i in range(3)]
    assert notebook_status(nb) == status
    # the same words with one question scored are a notebook that was graded
    if status != "stopped":
        assert notebook_status([replace(nb[0], points=1)] + nb[1:]) == ""


def test_submission_lists(klass):
    folder, _ = klass
    lists = report.submission_lists(read_grades(folder / "grades.csv"))
    assert {(s, n) for s, n, _ in lists["missing"]} == MISSING
    assert {(s, n) for s, n, _ in lists["unreadable"]} == UNREADABLE
    assert [(s, n, why) for s, n, why in lists["stopped"]] == [("eve", "lactate", TIME_LIMIT)]
    assert [(s, n, why) for s, n, why in lists["flagged"]] == [("eve", "oxygen", "builtins rebound: print")]


# -- the page ----------------------------------------------------------------------------------

def test_the_page_is_self_contained_and_links_each_question_to_the_book(klass, tmp_path):
    folder, _ = klass
    out = report.write_report(folder / "grades.csv", tmp_path / "report.html", feedback_dir=folder / "feedback",
                              book_url="../book-html")
    page = out.read_text(encoding="utf-8")
    assert "<script src" not in page and "<link" not in page and "@import" not in page
    markup = re.sub(r"<script>.*?</script>", "", page, flags=re.S)      # plotly.js names its own site
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", markup)
    assert "default-src 'none'" in page
    for target in re.findall(r'href="#([^"]+)"', page):                  # the page's own table of contents
        assert f'id="{target}"' in page
    assert page.count("<figure") == 3 and page.count("<table") >= 3 + 4
    for name in NAMES:
        assert f'href="../book-html/book/ch3/{name}.html"' in page
    assert re.search(r'href="[^"]*feedback/eve\.md">eve</a>', page)
    assert (ROOT / "book" / "ch3" / "sentry.md").exists()    # the page the links point at
    assert out.stat().st_size < 2_500_000


def test_the_default_book_link_is_this_clones_built_book(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert report.default_book_url(tmp_path / "class" / "report.html") == "../_build/html"


def test_without_the_books_bundle_the_plotly_package_bundle_is_inlined(monkeypatch, tmp_path):
    monkeypatch.setattr(report, "BOOK_PLOTLY", tmp_path / "absent.js")
    js = report.plotly_bundle()
    assert "plotly.js" in js[:2000] and len(js) > 1_000_000


def test_student_text_in_notes_is_escaped(klass, tmp_path):
    folder, _ = klass
    text = (folder / "grades.csv").read_text(encoding="utf-8").splitlines()
    text.append('<img src=x onerror=alert(1)>,sentry,q1,0,2,"FLAG: <script>alert(1)</script>"')
    bad = tmp_path / "grades.csv"
    bad.write_text("\n".join(text) + "\n", encoding="utf-8")
    page = report.write_report(bad, tmp_path / "r.html", book_url="b").read_text(encoding="utf-8")
    assert "<img src=x" not in page and "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


# -- bad input -----------------------------------------------------------------------------------

GOOD = "student,exercise,question,points,max_points,note\nada,sentry,q1,1,1,\nada,sentry,q2,0,1,x\n"


@pytest.mark.parametrize("text, match", [
    ("student,exercise,question,max_points,note\nada,sentry,q1,1,\n", r"line 1: the header lacks the column\(s\) points"),
    (GOOD + "ben,sentry,q1,one,1,\n", r"line 4: points 'one' is not a number"),
    (GOOD + "ben,sentry,q1,1,nan,\n", r"line 4: max_points 'nan' is not a finite number"),
    (GOOD + "ada,sentry,q1,0,1,\n", r"line 4: student 'ada', sentry q1 is already on line 2"),
    (GOOD + "ben,sentry,q1,2,1,\n", r"line 4: points 2 outside the allowed range 0 to max_points \(1\)"),
    (GOOD + "ben,sentry,q1,1,2,\n", r"line 4: max_points 2 for sentry q1 differs from 1 on line 2"),
    (GOOD + "ben,sepsis,q1,1,1,\n", r"line 4: exercise 'sepsis' is not one of the course's practices"),
    (GOOD + "ben,sentry,q99,1,1,\n", r"line 4: practice 'sentry' has no question 'q99'"),
    (GOOD + "ben,sentry,q1,1\n", r"line 4: 4 field\(s\), expected 6"),
    (GOOD + ",sentry,q3,1,1,\n", r"line 4: the student column is empty"),
    ('student,exercise,question,points,max_points,note\nada,sentry,q1,1,1,"a\nb"\nada,sentry,q1,1,1,\n',
     r"line 4: student 'ada', sentry q1 is already on line 2"),
    ("student,exercise,question,points,max_points,note\n", r"a header but no grade rows"),
    ("", r"the file is empty"),
])
def test_a_malformed_csv_is_refused_naming_the_line(tmp_path, text, match):
    path = tmp_path / "grades.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=match):
        read_grades(path)


def test_the_cli_prints_the_error_and_exits_non_zero_without_a_traceback(tmp_path):
    path = tmp_path / "grades.csv"
    path.write_text(GOOD + "ben,sentry,q1,lots,1,\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "sepsislab.grading.cli", "report", str(path), "-o",
                           str(tmp_path / "r.html")], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert "line 4: points 'lots' is not a number" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "r.html").exists()


def test_the_cli_writes_the_report(klass, tmp_path):
    folder, _ = klass
    proc = subprocess.run([sys.executable, "-m", "sepsislab.grading.cli", "report", str(folder / "grades.csv"),
                           "-o", str(tmp_path / "r.html"), "--feedback", str(folder / "feedback")],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "r.html").read_text(encoding="utf-8").count('class="plot"') == 3
    assert ("no built book" in proc.stderr) != (ROOT / "_build" / "html" / "book" / "ch3").is_dir()


# -- in the browser ----------------------------------------------------------------------------

AXE_JS = """async options => (await axe.run(document, Object.assign({resultTypes: ['violations']}, options)))
  .violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                         nodes: v.nodes.slice(0, 4).map(n => n.target.join(' '))}))"""


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_report_opens_offline_draws_every_figure_and_passes_axe(klass, tmp_path, scheme):
    playwright = pytest.importorskip("playwright.sync_api")
    from sepsislab.bench import CHROMIUM, CHROMIUM_ARGS
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: run scripts/ensure-chromium.sh")
    folder, _ = klass
    out = report.write_report(folder / "grades.csv", tmp_path / "report.html", feedback_dir=folder / "feedback")
    errors, blocked = [], []
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(color_scheme=scheme)
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(f"uncaught: {e}"))

            def offline(route):
                if route.request.url.startswith(("file:", "data:", "blob:")):
                    route.continue_()
                else:
                    blocked.append(route.request.url)
                    route.abort()

            page.route("**/*", offline)
            page.goto(out.as_uri(), wait_until="load")
            page.wait_for_function("() => Array.from(document.querySelectorAll('.plot'))"
                                   ".every(p => p.querySelector('svg.main-svg'))", timeout=15_000)
            drawn = page.evaluate("""() => Array.from(document.querySelectorAll('figure')).map(f => ({
                alt: f.querySelector('[role=img]').getAttribute('aria-label'),
                marks: f.querySelectorAll('.cartesianlayer g.trace path, .cartesianlayer g.trace .point').length,
                table: !!f.nextElementSibling && (f.nextElementSibling.tagName === 'TABLE'
                       || !!f.nextElementSibling.nextElementSibling)}))""")
            page.add_script_tag(path=str(AXE))
            violations = page.evaluate(AXE_JS, {})
        finally:
            browser.close()
    assert errors == [] and blocked == []
    assert len(drawn) == 3
    for fig in drawn:
        assert fig["marks"] > 0 and len(fig["alt"].split()) >= 12 and fig["table"]
    assert [v for v in violations if v["impact"] in BLOCKING_IMPACTS] == []
