"""What a student calls in an exercise notebook: ``start``, ``check``, ``progress``, ``export``.

::

    STUDENT_ID = "jdoe42"
    from sepsislab.exercises import start, check, progress, export
    case = start("haemodynamics", STUDENT_ID)   # your numbers, drawn from your ID
    ...
    map_mmhg = case.dbp + (case.sbp - case.dbp) / 3
    check("q1")                                  # instant, specific feedback

``check`` never raises: an unanswered question says so. The expected answers
are computed from :mod:`sepsislab.clinical` and :mod:`sepsislab.models` for
your case, so they are the same numbers the book's formulas give. The hidden
tests and the solutions are not part of this package: the teacher's grader
reads them from the exercise sources (``sepsislab-grade``).

**While a notebook is graded** (the environment variable ``SEPSISLAB_CASE``
names a case file the grader wrote), the question bank
(:mod:`sepsislab.exercises.practices`) is not importable at all: ``start``
returns the case the grader computed for the submission's owner, and
``check``, ``progress`` and ``export`` only say that the grader checks the
answers. That is why :mod:`.practices` is imported lazily here.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from .core import DEMO_ID, Case, Entry, Result, normalise_id

__all__ = ["start", "check", "progress", "export", "NAMES"]

#: Set by the grader: ``export`` then writes nothing.
GRADING_ENV = "SEPSISLAB_GRADING"
#: Set by the grader: the path of the JSON case file of the submission's owner.
CASE_ENV = "SEPSISLAB_CASE"


def __getattr__(name):   # ``NAMES`` without importing the question bank at import time
    if name == "NAMES":
        from .practices import NAMES
        return NAMES
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def get(name: str):
    """The practice called ``name`` (imported on first use; not available while grading)."""
    from .practices import get as _get
    return _get(name)


def graded_case(practice: str) -> Case | None:
    """The case the grader wrote for this submission, or ``None`` outside grading.

    The file holds plain data only (``practice``, ``student_id``, ``values``,
    ``card``): the grader computed it from the submission's owner, not from
    anything the notebook says.
    """
    path = os.environ.get(CASE_ENV)
    if not path:
        return None
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    if data["practice"] != practice:
        raise ValueError(f"practice={practice!r}: this notebook is graded as {data['practice']!r}")
    card = [Entry(*e) for e in data["card"]]
    return Case(data["practice"], data["student_id"], data["values"], card)


@dataclass
class _GradedPractice:
    """What ``start`` keeps while grading: the name, and no question (the bank is not here)."""

    name: str
    title: str = ""
    questions: tuple = ()
    max_points: float = 0.0


@dataclass
class Session:
    practice: object
    student_id: str
    case: Case
    last_answer_time: float = 0.0
    results: dict = field(default_factory=dict)


_session: Session | None = None


def _namespace(depth: int = 2) -> dict:
    """The notebook's namespace: the globals of the cell that called us."""
    return sys._getframe(depth).f_globals


def start(practice: str, student_id: str = "") -> Case:
    """Draw your case for ``practice`` from your identifier and return it (it displays as a card).

    An empty identifier gives the demo case, with a reminder: your own numbers
    differ, and answers are graded on the numbers of the identifier written in
    the notebook.

    Parameters
    ----------
    practice : str
        Name of the practice, one of :data:`NAMES` (e.g. ``"haemodynamics"``).
    student_id : str
        Your identifier; empty for the demo case.

    Returns
    -------
    Case
        Your patient's numbers, as attributes with the unit in their names (``case.sbp``…).
    """
    global _session
    graded = graded_case(practice)
    if graded is not None:
        _session = Session(_GradedPractice(practice), graded.student_id, graded)
        return graded
    p = get(practice)
    sid = student_id.strip() if isinstance(student_id, str) else ""
    if not sid:
        print("No STUDENT_ID yet: these are the demo numbers. Write your identifier in the first cell "
              "and run the notebook again from the top — your own case will differ.")
    case = p.case_for(sid or DEMO_ID)
    _session = Session(p, sid or DEMO_ID, case)
    print(f"{p.title}: {len(p.questions)} questions, {p.max_points:g} points. Answer each in its cell, "
          "then run check(\"q…\").")
    return case


def _need_session() -> Session | None:
    if _session is None:
        print("Run the cell with start(...) first (it draws your case).")
    return _session


def _evaluate(qid: str, namespace: dict) -> Result | None:
    s = _need_session()
    if s is None:
        return None
    if isinstance(s.practice, _GradedPractice):
        print("(while grading, the grader checks the answers outside this notebook)")
        return None
    try:
        q = s.practice.question(qid)
    except KeyError:
        print(f"There is no question {qid!r} here; the questions are "
              f"{', '.join(q.id for q in s.practice.questions)}.")
        return None
    result = q.grade(q.collect(namespace, s.case), s.case)
    if result.status != "unanswered":
        s.last_answer_time = time.time()
    s.results[qid] = result
    return result


def check(question: str) -> None:
    """Check one answer now: correct or not, what looks wrong (unit? factor of 10? percent?), a hint.

    Parameters
    ----------
    question : str
        The question's identifier, e.g. ``"q3"``; the answer is read from the variable the
        question names in your notebook.

    Returns
    -------
    None
        The verdict is printed; ``check`` never raises (an unanswered question says so).
    """
    result = _evaluate(question, _namespace())
    if result is not None:
        print(result)


def progress() -> None:
    """Points so far, question by question (what ``check`` says for each).

    Returns
    -------
    None
        The summary is printed.
    """
    s = _need_session()
    if s is None or isinstance(s.practice, _GradedPractice):
        return
    ns = _namespace()
    results = [_evaluate(q.id, ns) for q in s.practice.questions]
    got = sum(r.points for r in results)
    answered = sum(r.status != "unanswered" for r in results)
    print(f"{s.practice.title} — student {s.student_id!r}: {got:g} of {s.practice.max_points:g} points, "
          f"{answered} of {len(results)} questions answered")
    for r in results:
        first = r.message.splitlines()[0]
        print(f"  {r.symbol} {r.question:<4} {r.points:>4g}/{r.max_points:<3g} {r.title}"
              + ("" if r.status == "correct" else f" — {first}"))
    if any(q.kind == "function" for q in s.practice.questions):
        print("Functions are also run on hidden test cases when your teacher grades the notebook.")


def _safe_name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("._") or "student"


def export(notebook: str | None = None) -> None:
    """Package the saved notebook for submission.

    Writes ``submit/<practice>-<id>.zip`` holding ``<id>/<practice>.ipynb`` (unzipped into the
    class folder, it lands in your own folder). Save the notebook first (Ctrl+S / Cmd+S): the file
    on disk is what is submitted.

    Parameters
    ----------
    notebook : str, optional
        Path of the saved notebook; ``<practice>.ipynb`` in the current folder by default.

    Returns
    -------
    None
        Where the zip was written (or what to fix first) is printed.
    """
    s = _need_session()
    if s is None or os.environ.get(GRADING_ENV):
        return
    if s.student_id == DEMO_ID:
        print("Write your identifier in STUDENT_ID (first cell), run the notebook again from the top, "
              "save it, then export().")
        return
    path = Path(notebook or f"{s.practice.name}.ipynb")
    if not path.exists():
        print(f"Could not find {path} in {Path.cwd()}. Save the notebook under its original name "
              f"({s.practice.name}.ipynb), or call export('path/to/your_notebook.ipynb').")
        return
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
        cells = nb["cells"]
    except (ValueError, KeyError, UnicodeDecodeError):
        print(f"{path} is not a valid notebook file; save it again from JupyterLab.")
        return
    if s.last_answer_time and path.stat().st_mtime < s.last_answer_time - 1:
        print("Warning: the saved file is older than your last checked answer. Save the notebook "
              "(Ctrl+S / Cmd+S) and run export() again.")
    sources = "".join("".join(c.get("source", "")) for c in cells if c.get("cell_type") == "code")
    if s.student_id not in sources:
        print(f"Warning: the saved notebook does not contain your identifier {s.student_id!r}; save it first.")
    folder = _safe_name(normalise_id(s.student_id))
    out = Path("submit") / f"{s.practice.name}-{folder}.zip"
    out.parent.mkdir(exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(path, f"{folder}/{s.practice.name}.ipynb")
    print(f"Wrote {out}: hand this file in (download it from the file browser on the left). "
          "Your teacher unzips it into the class folder.")
