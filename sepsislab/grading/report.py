"""``sepsislab-grade report``: what the class did not understand, as one HTML page.

::

    sepsislab-grade report grades.csv -o report.html [--feedback feedback/] [--book-url URL]

The page is built from ``grades.csv`` alone (and the feedback folder when
given); no notebook is run again. It shows

* the score distribution of each practice (notebooks handed in and readable);
* for every question, the share of full, partial and zero marks, hardest first,
  each linked to its practice's page in the book;
* the slips :meth:`~sepsislab.exercises.core.Question.grade` recognised (a slip
  written for the question, a factor of 10, a percent for a fraction, a sign, a
  wrong option), counted per question, with the hint the students were shown;
* the missing, unreadable, stopped and flagged submissions, apart.

The page is self-contained: plotly.js (the book's partial bundle) and the
styles are inlined, a Content-Security-Policy forbids every request, and each
figure has a text alternative and the same numbers in a table.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import statistics
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..exercises.practices import NAMES, get
from ..interactive import PALETTE
from .classdata import GradeRow, notebook_note, notebook_status, notebooks, practices_in, read_grades, split_flags

#: The book's partial plotly.js bundle, in a clone of the repository (:func:`plotly_bundle` falls back
#: on the full bundle that the plotly package ships where the package is installed without the book).
BOOK_PLOTLY = Path(__file__).resolve().parents[2] / "book" / "_static" / "plotly-cartesian.min.js"
#: Largest feedback file read (bytes).
MAX_FEEDBACK_BYTES = 1 << 20
#: Questions drawn in the marks figure (the table lists them all).
HARDEST_DRAWN = 20
SLIPS_DRAWN = 15

# Generic slips of Number/Integer questions, matched at the end of the note (the feedback's first line).
_GENERIC_SLIPS = [
    (re.compile(r"looks like a percent: give a fraction between 0 and 1 \(e\.g\. [^()]*\)$"),
     lambda m: "a percent given for a fraction"),
    (re.compile(r"looks like a fraction: give a percent \(e\.g\. [^()]*\)$"),
     lambda m: "a fraction given for a percent"),
    (re.compile(r"is (too large|too small) by a factor of (\d+): check the units you converted and the decimal "
                r"point(?: \(and the sign\))?$"),
     lambda m: f"{m.group(2)}× {m.group(1)} (units or decimal point)"),
    (re.compile(r"has the wrong sign; the size is right$"), lambda m: "the wrong sign"),
    (re.compile(r"is the text .* write the number without quotes \(and without the unit\)$"),
     lambda m: "a number written as text"),
]
# Slips of function questions, found in the full feedback (only with --feedback).
_FUNCTION_SLIPS = [("a factor of 60: minutes and hours?", "a factor of 60 (minutes and hours)"),
                   ("a power of ten: check the unit conversion", "a power of ten (unit conversion)")]


# -- what the page shows ----------------------------------------------------------------

@dataclass
class QuestionStat:
    """Marks of one question over the notebooks graded (handed in and readable)."""

    exercise: str
    question: str
    title: str
    answered: int          # notebooks handed in and readable
    full: int
    partial: int
    zero: int
    mean_fraction: float   # mean points / max_points

    def share(self, n: int) -> float:
        return 100.0 * n / self.answered if self.answered else 0.0


@dataclass
class SlipCount:
    """How many students made one recognised slip on one question, and the hint they were shown."""

    exercise: str
    question: str
    slip: str
    students: int
    hint: str


def _counted(rows: list[GradeRow]) -> list[GradeRow]:
    """Rows of notebooks that were handed in and could be read (the rest say nothing of understanding)."""
    return [r for nb in notebooks(rows).values() if notebook_status(nb) not in ("missing", "unreadable")
            for r in nb]


def practice_scores(rows: list[GradeRow]) -> dict[str, dict[str, float]]:
    """Per practice, each student's score in percent of the practice's points (handed-in notebooks only)."""
    out: dict[str, dict[str, float]] = {}
    for (student, name), nb in notebooks(_counted(rows)).items():
        out.setdefault(name, {})[student] = 100.0 * sum(r.points for r in nb) / sum(r.max_points for r in nb)
    return {name: out[name] for name in practices_in(rows) if name in out}


def question_stats(rows: list[GradeRow]) -> list[QuestionStat]:
    """Full, partial and zero marks per question, hardest (lowest mean score) first."""
    by_q: dict[tuple[str, str], list[GradeRow]] = {}
    for r in _counted(rows):
        by_q.setdefault((r.exercise, r.question), []).append(r)
    stats = []
    for (name, qid), rs in by_q.items():
        outcomes = Counter(r.outcome for r in rs)
        stats.append(QuestionStat(name, qid, get(name).question(qid).title, len(rs), outcomes["full"],
                                  outcomes["partial"], outcomes["zero"],
                                  statistics.fmean(r.points / r.max_points for r in rs)))
    order = {n: i for i, n in enumerate(practices_in(rows))}
    return sorted(stats, key=lambda s: (s.mean_fraction, -s.zero, order[s.exercise], _qnum(s.question)))


def _qnum(qid: str) -> int:
    return int(qid[1:]) if qid[1:].isdigit() else 0


def recognise_slip(row: GradeRow, details: list[str] = ()) -> str | None:
    """The slip the grader named in this row's feedback, as a short label (None if none was recognised).

    Only the grader's own wording is matched (a slip written for the question,
    an option of a choice, the generic slips of a number), at the end of the
    note, so a student's error text elsewhere in the note cannot fake one.
    ``details`` are the later lines of the feedback (from the feedback folder),
    where a function question's slips are named.
    """
    if row.outcome == "full":
        return None
    q = get(row.exercise).question(row.question)
    note = row.note
    for slip in getattr(q, "slips", ()):
        if note.endswith(f"is not right: {slip.message}"):
            return slip.message
    if q.kind == "choice":
        m = re.search(r'"([^"]*)" is not right(?:: (.*))?$', note)
        if m and m.group(1) in q.options and (not m.group(2) or m.group(2) == q.options[m.group(1)]):
            return f'chose "{m.group(1)}"'
        return None
    for pattern, label in _GENERIC_SLIPS:
        m = pattern.search(note)
        if m:
            return label(m)
    for text, label in _FUNCTION_SLIPS:
        # "- (hours=2): returned 120, should be 2 — a factor of 60: …": the grader's line, not a raised message
        if any(re.match(r"- .*: returned [^ ,]+, (should be [^ ]+|is not right) — ", line)
               and line.rstrip().endswith(text) for line in details):
            return label
    return None


def slip_counts(rows: list[GradeRow], feedback: dict | None = None) -> list[SlipCount]:
    """Slips recognised per question, most frequent first, with the hint the students were shown."""
    feedback = feedback or {}
    counts: Counter = Counter()
    for r in _counted(rows):
        slip = recognise_slip(r, feedback.get((r.student, r.exercise, r.question), ()))
        if slip:
            counts[(r.exercise, r.question, slip)] += 1
    out = [SlipCount(name, qid, slip, n, get(name).question(qid).hint)
           for (name, qid, slip), n in counts.items()]
    order = {n: i for i, n in enumerate(NAMES)}
    return sorted(out, key=lambda s: (-s.students, order[s.exercise], _qnum(s.question), s.slip))


def submission_lists(rows: list[GradeRow]) -> dict[str, list[tuple[str, str, str]]]:
    """(student, practice, why) of the notebooks to look at: missing, unreadable, stopped, flagged."""
    lists: dict[str, list[tuple[str, str, str]]] = {"missing": [], "unreadable": [], "stopped": [], "flagged": []}
    for (student, name), nb in sorted(notebooks(rows).items()):
        status = notebook_status(nb)
        unflagged = split_flags(notebook_note(nb))[1]
        if status == "missing":
            lists["missing"].append((student, name, f"no {name}.ipynb in the folder"))
        elif status:
            lists[status].append((student, name, unflagged))
        flags = sorted({f for r in nb for f in r.flags})
        if flags:
            lists["flagged"].append((student, name, "; ".join(flags)))
    return lists


def read_feedback(folder: Path) -> tuple[dict, dict[str, str]]:
    """The later lines of each result in the per-student feedback files, and each student's file name.

    Returns ``({(student, practice, question): [lines]}, {student: file name})``.
    Only regular ``*.md`` files of at most 1 MB are read; symlinks are not followed.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise ValueError(f"--feedback {folder}: not a folder (expected the feedback/ folder sepsislab-grade wrote)")
    details: dict = {}
    files: dict[str, str] = {}
    for path in sorted(folder.glob("*.md")):
        if path.is_symlink() or not path.is_file() or path.stat().st_size > MAX_FEEDBACK_BYTES:
            continue
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        if not lines or not lines[0].startswith("# Feedback for "):
            continue
        student = lines[0][len("# Feedback for "):].strip()
        files[student] = path.name
        practice = question = None
        for line in lines[1:]:
            m = re.match(r"## .*\(`([a-z_]+)\.ipynb`\)", line)
            if m:
                practice, question = m.group(1), None
                continue
            m = re.match(r"[✓✗·?] (q\d+)\b", line)
            if m:
                question = m.group(1)
                continue
            if practice and question and line.startswith("  "):
                details.setdefault((student, practice, question), []).append(line.strip())
    return details, files


# -- the page ----------------------------------------------------------------------------

def plotly_bundle() -> str:
    """plotly.js to inline: the book's partial bundle, or the plotly package's full one when installed alone."""
    if BOOK_PLOTLY.is_file():
        return BOOK_PLOTLY.read_text(encoding="utf-8")
    import plotly
    full = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    if not full.is_file():
        raise FileNotFoundError(f"no plotly.js: neither {BOOK_PLOTLY} nor {full} exists")
    return full.read_text(encoding="utf-8")


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def _pct(x: float) -> str:
    return f"{x:.0f}\u00a0%"


def _short(text: str, n: int) -> str:
    """An axis label of at most ``n`` characters (the tables give the full text)."""
    return text if len(text) <= n else text[:n - 1].rstrip() + "…"


def _title(name: str) -> str:
    return get(name).title


def _book_link(book_url: str, name: str, text: str) -> str:
    return f'<a href="{_e(book_url.rstrip("/") + f"/book/ch3/{name}.html")}">{_e(text)}</a>'


def _figure(fid: str, spec: dict, caption: str, alt: str) -> str:
    data = json.dumps(spec, separators=(",", ":")).replace("<", "\\u003c")
    return (f'<figure id="{fid}"><div class="plot" role="img" aria-label="{_e(alt)}"></div>'
            f'<script type="application/json">{data}</script>'
            f'<figcaption>{_e(caption)} <span class="alt">{_e(alt)}</span></figcaption></figure>')


def _table(caption: str, head: list[str], body: list[list[str]], numeric: set[int] = frozenset()) -> str:
    th = "".join(f'<th scope="col"{" class=num" if i in numeric else ""}>{h}</th>' for i, h in enumerate(head))
    rows = "".join("<tr>" + "".join(f'<td{" class=num" if i in numeric else ""}>{c}</td>' for i, c in enumerate(r))
                   + "</tr>" for r in body)
    return f"<table><caption>{caption}</caption><thead><tr>{th}</tr></thead><tbody>{rows}</tbody></table>"


def _layout(height: int, x_title: str, **extra) -> dict:
    """A horizontal chart's layout: long labels on the left, ``x_title`` under the axis."""
    layout = {"height": height, "margin": {"l": 260, "r": 24, "t": 16, "b": 56},
              "xaxis": {"title": {"text": x_title}, "zeroline": False},
              "yaxis": {"automargin": True, "autorange": "reversed"}, "showlegend": False,
              "font": {"family": "system-ui, -apple-system, 'Segoe UI', sans-serif", "size": 13}}
    for key, value in extra.items():
        layout[key] = {**layout[key], **value} if isinstance(value, dict) and key in layout else value
    return layout


def scores_section(scores: dict[str, dict[str, float]]) -> str:
    if not scores:
        return "<p>No practice was handed in by any student.</p>"
    names = list(scores)
    traces = [{"type": "box", "orientation": "h", "name": _title(n), "x": [round(v, 1) for v in scores[n].values()],
               "text": list(scores[n]), "boxpoints": "all", "jitter": 0.4, "pointpos": 0,
               "marker": {"color": PALETTE[0], "size": 6}, "line": {"color": PALETTE[0]},
               "fillcolor": "rgba(0,114,178,0.15)", "hovertemplate": "%{text}: %{x:.0f} %<extra></extra>"}
              for n in names]
    layout = _layout(80 + 48 * len(names), "score (% of the practice's points)", xaxis={"range": [-3, 103]})
    medians = {n: statistics.median(scores[n].values()) for n in names}
    low, high = min(names, key=medians.get), max(names, key=medians.get)
    alt = (f"Box plots of each student's score, in percent of the practice's points, for {len(names)} "
           f"practice(s), one dot per student graded on the practice. The lowest median is "
           f"{_pct(medians[low])} ({_title(low)}); the highest is {_pct(medians[high])} ({_title(high)}).")
    body = []
    for n in names:
        v = sorted(scores[n].values())
        q1, _, q3 = statistics.quantiles(v, n=4, method="inclusive") if len(v) > 1 else (v[0], v[0], v[0])
        body.append([_e(_title(n)), str(len(v)), _pct(min(v)), _pct(q1), _pct(medians[n]), _pct(q3), _pct(max(v)),
                     _pct(statistics.fmean(v))])
    table = _table("Scores per practice, in percent of its points (students graded on it)",
                   ["Practice", "Graded", "Lowest", "Lower quartile", "Median", "Upper quartile", "Highest",
                    "Mean"], body, numeric=set(range(1, 8)))
    return _figure("fig-scores", {"data": traces, "layout": layout},
                   "Figure 1. Score distribution per practice.", alt) + table


def questions_section(stats: list[QuestionStat], book_url: str) -> str:
    if not stats:
        return "<p>No question was answered.</p>"
    drawn = stats[:HARDEST_DRAWN]
    labels = [_short(f"{s.exercise} {s.question}: {s.title}", 60) for s in drawn]
    kinds = [("Full marks", "full", PALETTE[2]), ("Partial marks", "partial", PALETTE[4]),
             ("Zero", "zero", PALETTE[1])]
    traces = [{"type": "bar", "orientation": "h", "name": label, "y": labels,
               "x": [round(s.share(getattr(s, attr)), 1) for s in drawn], "marker": {"color": colour},
               "hovertemplate": "%{y}: %{x:.0f} % " + label.lower() + "<extra></extra>"}
              for label, attr, colour in kinds]
    layout = _layout(110 + 26 * len(drawn), "share of the students graded on the question (%)",
                     barmode="stack", showlegend=True, xaxis={"range": [0, 100]}, margin={"t": 40},
                     legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0, "traceorder": "normal"})
    hardest = stats[0]
    alt = (f"Stacked horizontal bars of the share of full, partial and zero marks for the {len(drawn)} hardest "
           f"of {len(stats)} questions, hardest at the top. The hardest, {hardest.exercise} {hardest.question} "
           f"({hardest.title}), got full marks from {_pct(hardest.share(hardest.full))} and zero from "
           f"{_pct(hardest.share(hardest.zero))} of the {hardest.answered} students graded on it.")
    body = [[str(i), _book_link(book_url, s.exercise, f"{_title(s.exercise)} — {s.question}"), _e(s.title),
             str(s.answered), _pct(s.share(s.full)), _pct(s.share(s.partial)), _pct(s.share(s.zero)),
             _pct(100 * s.mean_fraction)] for i, s in enumerate(stats, 1)]
    table = _table("Marks per question, hardest first (each question links to its practice in the book)",
                   ["Rank", "Question", "Asks for", "Graded", "Full", "Partial", "Zero", "Mean score"], body,
                   numeric={0, 3, 4, 5, 6, 7})
    return _figure("fig-questions", {"data": traces, "layout": layout},
                   f"Figure 2. Full, partial and zero marks of the {len(drawn)} hardest questions.", alt) + table


def slips_section(slips: list[SlipCount], book_url: str, with_feedback: bool) -> str:
    where = ("" if with_feedback else " Slips in functions (a factor of 60, a power of ten) are named only in "
             "the feedback files: pass <code>--feedback</code> to count them too.")
    if not slips:
        return f"<p>No slip was recognised in the answers.{where}</p>"
    drawn = slips[:SLIPS_DRAWN]
    labels = [_short(f"{s.exercise} {s.question}: {s.slip}", 70) for s in drawn]
    traces = [{"type": "bar", "orientation": "h", "y": labels, "x": [s.students for s in drawn],
               "marker": {"color": PALETTE[3]}, "hovertemplate": "%{y}: %{x} student(s)<extra></extra>"}]
    layout = _layout(80 + 28 * len(drawn), "students who made the slip", margin={"l": 320},
                     xaxis={"rangemode": "tozero", **({"dtick": 1} if drawn[0].students < 10 else {})})
    top = slips[0]
    alt = (f"Horizontal bars counting the students who made each recognised slip, for the {len(drawn)} most "
           f"frequent of {len(slips)}. The most frequent, in {top.exercise} {top.question}, is "
           f"“{top.slip}”, made by {top.students} student(s).")
    body = [[_book_link(book_url, s.exercise, f"{_title(s.exercise)} — {s.question}"), _e(s.slip), str(s.students),
             _e(s.hint) or "—"] for s in slips]
    table = _table("Slips recognised per question, most frequent first, with the hint the students were shown",
                   ["Question", "Slip", "Students", "Hint shown"], body, numeric={2})
    return (_figure("fig-slips", {"data": traces, "layout": layout},
                    "Figure 3. The slips recognised most often.", alt)
            + (f"<p>{where.strip()}</p>" if where else "") + table)


def _student_cell(student: str, feedback_files: dict[str, str], feedback_href: str | None) -> str:
    if feedback_href is not None and student in feedback_files:
        return f'<a href="{_e(feedback_href.rstrip("/") + "/" + feedback_files[student])}">{_e(student)}</a>'
    return _e(student)


SUBMISSION_LISTS = [
    ("missing", "Missing submissions", "No notebook for the practice in the student's folder."),
    ("unreadable", "Unreadable submissions", "A file was there, but empty or not a notebook."),
    ("stopped", "Notebooks stopped before their end",
     "Handed in, but stopped by a limit or an error of the grader: the later questions were not graded."),
    ("flagged", "Flagged submissions",
     "Marked FLAG: by the grader: look at these notebooks before you publish the grades."),
]


def submissions_section(lists, feedback_files, feedback_href) -> str:
    parts = []
    for key, heading, what in SUBMISSION_LISTS:
        items = lists[key]
        parts.append(f'<h3 id="{key}">{heading} ({len(items)})</h3><p>{what}</p>')
        if items:
            body = [[_student_cell(s, feedback_files, feedback_href), _e(_title(n)), _e(why)] for s, n, why in items]
            parts.append(_table(f"{heading}: student, practice and what the grader noted",
                                ["Student", "Practice", "Note"], body))
        else:
            parts.append("<p>None.</p>")
    return "".join(parts)


CSS = """
:root { color-scheme: light dark; --fg: #1a1a1a; --bg: #ffffff; --muted: #555; --line: #d0d0d0;
        --link: #005a8c; --stripe: #f3f6f9; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e8e8e8; --bg: #15171a; --muted: #b5b5b5; --line: #444; --link: #7cc4f0; --stripe: #1f2327; }
}
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg);
       max-width: 72rem; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
a { color: var(--link); }
h1 { font-size: 1.7rem; margin-bottom: .2rem; } h2 { margin-top: 2.5rem; border-bottom: 1px solid var(--line); }
.lede, figcaption, .alt { color: var(--muted); }
nav ul { padding-left: 1.2rem; }
figure { margin: 1rem 0; } .plot { min-height: 120px; }
figcaption .alt { display: block; font-size: .9rem; }
table { border-collapse: collapse; margin: 1rem 0 1.5rem; width: 100%; font-size: .92rem; }
caption { text-align: left; font-weight: 600; padding: .3rem 0; }
th, td { border-bottom: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top; }
tbody tr:nth-child(even) { background: var(--stripe); }
.num { text-align: right; font-variant-numeric: tabular-nums; }
code { font-size: .9em; }
@media print { nav { display: none; } }
"""

DRAW_JS = """
(function () {
  function draw() {
    var style = getComputedStyle(document.body), fg = style.color, grid = style.getPropertyValue('--line');
    document.querySelectorAll('figure').forEach(function (fig) {
      var spec = JSON.parse(fig.querySelector('script[type="application/json"]').textContent);
      var layout = Object.assign({}, spec.layout, {paper_bgcolor: 'rgba(0,0,0,0)', plot_bgcolor: 'rgba(0,0,0,0)'});
      layout.font = Object.assign({}, layout.font, {color: fg});
      layout.xaxis = Object.assign({}, layout.xaxis, {gridcolor: grid, linecolor: grid});
      layout.yaxis = Object.assign({}, layout.yaxis, {gridcolor: grid, linecolor: grid});
      Plotly.react(fig.querySelector('.plot'), spec.data, layout,
                   {displayModeBar: false, responsive: true});
    });
  }
  draw();
  window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', draw);
})();
"""

#: No request of any kind leaves the page; inline script and style only.
CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:"


def render(rows: list[GradeRow], *, source: str, book_url: str, feedback: dict | None = None,
           feedback_files: dict[str, str] | None = None, feedback_href: str | None = None,
           plotly_js: str | None = None) -> str:
    """The report page as HTML text (see the module docstring)."""
    students = sorted({r.student for r in rows})
    names = practices_in(rows)
    lists = submission_lists(rows)
    stats = question_stats(rows)
    slips = slip_counts(rows, feedback)
    sections = [
        ("scores", "Scores per practice", scores_section(practice_scores(rows))),
        ("questions", "Questions, hardest first", questions_section(stats, book_url)),
        ("slips", "Slips the grader recognised", slips_section(slips, book_url, feedback is not None)),
        ("submissions", "Submissions to look at", submissions_section(lists, feedback_files or {}, feedback_href)),
    ]
    nav = "".join(f'<li><a href="#{sid}">{_e(title)}</a></li>' for sid, title, _ in sections)
    main = "".join(f'<section id="{sid}" aria-labelledby="h-{sid}"><h2 id="h-{sid}">{_e(title)}</h2>{body}</section>'
                   for sid, title, body in sections)
    submitted = len(notebooks(rows)) - len(lists["missing"])
    lede = (f"{len(students)} students, {len(names)} practice(s), {submitted} notebook(s) handed in, "
            f"{len(lists['missing'])} missing, {len(lists['flagged'])} flagged. Read from <code>{_e(source)}</code> "
            "(no notebook was run again); scores count only the notebooks handed in.")
    js = (plotly_js if plotly_js is not None else plotly_bundle()).replace("</script", "<\\/script")
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>Class report — {_e(source)}</title><style>{CSS}</style></head>"
            f'<body><header><h1>Class report</h1><p class="lede">{lede}</p></header>'
            f'<nav aria-label="Sections"><ul>{nav}</ul></nav><main>{main}</main>'
            f"<footer><p>Made by <code>sepsislab-grade report</code>. Question links lead to the book at "
            f"<code>{_e(book_url)}</code>.</p></footer>"
            f"<script>{js}</script><script>{DRAW_JS}</script></body></html>\n")


def default_book_url(out: Path) -> str:
    """The book built in this clone (``_build/html`` of the working folder), relative to the report."""
    return Path(os.path.relpath(Path.cwd() / "_build" / "html", Path(out).resolve().parent)).as_posix()


def write_report(grades_csv: Path, out: Path, *, feedback_dir: Path | None = None,
                 book_url: str | None = None) -> Path:
    """Read ``grades_csv`` (and ``feedback_dir``), write the report page to ``out``; return ``out``.

    Raises ValueError naming the line of a malformed CSV (see :func:`~.classdata.read_grades`).
    """
    rows = read_grades(grades_csv)
    feedback, files, href = None, {}, None
    if feedback_dir is not None:
        feedback, files = read_feedback(feedback_dir)
        href = Path(os.path.relpath(Path(feedback_dir).resolve(), Path(out).resolve().parent)).as_posix()
    page = render(rows, source=Path(grades_csv).name, book_url=book_url or default_book_url(out),
                  feedback=feedback, feedback_files=files, feedback_href=href)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="sepsislab-grade report",
                                 description="A class report (one offline HTML page) from grades.csv.")
    ap.add_argument("grades", type=Path, metavar="GRADES_CSV", help="the CSV written by sepsislab-grade")
    ap.add_argument("-o", "--output", type=Path, default=Path("report.html"), metavar="REPORT_HTML",
                    help="page to write (default: report.html)")
    ap.add_argument("--feedback", type=Path, metavar="DIR",
                    help="the feedback folder: counts the slips of function questions, links each student's file")
    ap.add_argument("--book-url", help="where the built book is, as seen from the report (default: this clone's "
                    "_build/html, relative to the report)")
    args = ap.parse_args(argv)
    try:
        out = write_report(args.grades, args.output, feedback_dir=args.feedback, book_url=args.book_url)
    except (ValueError, OSError) as exc:
        print(f"sepsislab-grade report: error: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {out}")
    if args.book_url is None and not (Path.cwd() / "_build" / "html" / "book" / "ch3").is_dir():
        print("note: no built book in ./_build/html (make book), so the question links lead nowhere yet; "
              "or give --book-url", file=sys.stderr)
    return 0
