"""Grade a class: one row per student × question, a feedback file per student, never a crash.

The unit of work is one notebook of one student (:func:`grade_notebook`); every
submission is hostile data:

1. **read** it without trusting it (:mod:`.intake`): never through a symlink, only a
   regular file, at most :data:`.intake.MAX_NOTEBOOK_BYTES`, parsed as JSON with the
   number and size of cells capped (missing, empty, not JSON, not a notebook, too big →
   zero for its questions, with a note that says which);
2. **read its code** in this process with :mod:`ast` (:mod:`.source`, linear and
   bounded): the ``STUDENT_ID`` it writes, the names each cell binds, the flags;
3. **run it** in a sandboxed kernel (:mod:`.runner`, :mod:`.sandbox`,
   :mod:`.isolation`) on the case of its *owner* — the folder's student, or the
   roster's — computed here and handed in as plain data; the question bank and the
   grader are not importable there, and the answers come back as size-capped plain data;
4. **score** that data here (:meth:`Question.grade`, the same function as the
   student's ``check``) with the hidden tests, which never enter the kernel before the
   student's cells have run and never come back in the feedback.

Who a submission belongs to is the folder (or ``--roster``): a notebook that writes a
classmate's ``STUDENT_ID`` is graded on its owner's numbers and its *submitter* is
flagged. :func:`grade_class` fans the units out to a pool of workers (one per core by
default), each with a wall-clock budget, and always writes ``grades.csv`` and
``feedback/<student>.md`` for the whole class.
"""

from __future__ import annotations

import csv
import io
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from ..exercises.core import DEMO_ID, Result, normalise_id
from ..exercises.practices import NAMES, get
from . import intake, isolation
from .source import SourceReport, analyse

CSV_COLUMNS = ["student", "exercise", "question", "points", "max_points", "note"]


@dataclass(frozen=True)
class Limits:
    """Per-notebook limits; the defaults suit the course's notebooks with a wide margin."""

    timeout: float = 120.0            # wall clock for the student's cells, seconds
    extract_timeout: float = 30.0     # wall clock for each cell that reads the answers out, seconds
    cpu_seconds: int = 120            # CPU time of each process (RLIMIT_CPU)
    memory_mb: int = 2048             # memory of the whole notebook (cgroup) and of each process (RLIMIT_AS)
    file_mb: int = 64                 # largest file the notebook may write (RLIMIT_FSIZE)
    scratch_mb: int = 256             # its private /tmp (tmpfs size), all files together
    max_tasks: int = 64               # processes + threads of the whole notebook (pids cgroup / RLIMIT_NPROC)

    def kernel_limits(self) -> dict:
        return {"cpu_seconds": int(self.cpu_seconds), "memory_bytes": int(self.memory_mb) << 20,
                "file_bytes": int(self.file_mb) << 20, "max_tasks": int(self.max_tasks),
                "scratch_bytes": int(self.scratch_mb) << 20}


@dataclass
class NotebookGrade:
    student: str
    practice: str
    results: list[Result]
    notes: list[str] = field(default_factory=list)      # notebook-level: missing, timeout…
    flags: list[str] = field(default_factory=list)      # suspicious: reported to the teacher
    student_id: str | None = None
    seconds: float = 0.0

    def rows(self) -> list[list]:
        head = "; ".join(self.flags_text() + self.notes)
        out = []
        for r in self.results:
            note = r.message.splitlines()[0] if r.status != "correct" else ""
            note = "; ".join(x for x in (head, note) if x)
            out.append([self.student, self.practice, r.question, f"{r.points:g}", f"{r.max_points:g}", note])
        return out

    def flags_text(self) -> list[str]:
        return [f"FLAG: {f}" for f in self.flags]


# -- keys -------------------------------------------------------------------------

def load_hidden(key: Path | None) -> dict:
    """Hidden tests by practice, from an autograder folder (``hidden.json``) or a source folder (``*.md``)."""
    from ..exercises.build import exercises_dir, hidden_tests

    key = key or exercises_dir() / "source"
    if (key / "hidden.json").exists():
        return json.loads((key / "hidden.json").read_text(encoding="utf-8"))
    if not any(key.glob("*.md")):
        raise FileNotFoundError(f"no exercise sources (*.md) or hidden.json in {key}; pass --key")
    return {name: hidden_tests(name, key) for name in NAMES}


# -- one notebook ---------------------------------------------------------------------

def _zero(student, name, note, flags=()) -> NotebookGrade:
    p = get(name)
    results = [Result(q.id, "unanswered", 0, q.points, note, q.title) for q in p.questions]
    return NotebookGrade(student, name, results, [], list(flags))


def _job(name: str, owner: str, code: list, hidden: dict, limits: Limits, mode: str) -> dict:
    """What the runner needs, as plain data: the code, the owner's case, the answer variables,
    the inputs of the function questions (public, then hidden), the limits."""
    p = get(name)
    case = p.case_for(owner)
    functions = {q.id: {"var": q.var, "public": [dict(c) for c in q.public_cases(case)],
                        "hidden": [dict(h) for h in hidden.get(q.id, [])]}
                 for q in p.questions if q.kind == "function"}
    return {"cells": code, "practice": name, "mode": mode, "nonce": secrets.token_hex(8),
            "case": {"practice": name, "student_id": case.student_id, "values": plain_case(case),
                     "card": [[e.name, e.label, e.unit] for e in case._card]},
            "variables": {q.id: q.var for q in p.questions if q.kind != "function"}, "functions": functions,
            "timeout": limits.timeout, "extract_timeout": limits.extract_timeout, "limits": limits.kernel_limits()}


def plain_case(case) -> dict:
    """The case's values as JSON data that reads back equal (what the sandboxed kernel receives);
    ``ValueError`` naming the value otherwise — a practice must draw plain numbers, texts and lists."""
    values = dict(case)
    if json.loads(json.dumps(values)) != values:
        bad = [k for k, v in values.items() if json.loads(json.dumps(v)) != v]
        raise ValueError(f"case of {case.practice!r}: {', '.join(bad)} do not cross into the kernel as plain "
                         "data (use int, float, str, bool or lists of them)")
    return values


def _budget(job: dict) -> float:
    cells = 1 + 2 * len(job["functions"])
    return job["timeout"] + job["extract_timeout"] * cells + 90


def _run_isolated(job: dict) -> dict:
    """Run one notebook through the runner process; return its result (always a dict)."""
    base = Path(tempfile.mkdtemp(prefix="sepsislab-grade-"))
    meta = base / "meta"
    meta.mkdir()
    try:
        (meta / "job.json").write_text(json.dumps(job))
        with open(meta / "runner.log", "wb") as log:
            proc = subprocess.Popen([sys.executable, "-I", "-m", "sepsislab.grading.runner", str(meta)],
                                    stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log,
                                    start_new_session=True, cwd=str(meta))
            try:
                proc.wait(timeout=_budget(job))
            except subprocess.TimeoutExpired:
                isolation.kill(proc.pid)
                proc.wait()
                return {"status": "timeout", "detail": "the grader stopped the notebook at its wall-clock budget"}
            finally:
                _clean_after(proc, meta)
        result = intake.read_json(meta / "result.json", 8 << 20)
        if isinstance(result, dict):
            return result
        tail = intake.read_tail(meta / "runner.log", 300)
        return {"status": "error", "detail": "runner failed: " + tail}
    finally:
        shutil.rmtree(base, ignore_errors=True)


def _clean_after(proc, meta: Path) -> None:
    """Whatever the runner left: its process group, the kernel's, the notebook's cgroup."""
    isolation.kill(proc.pid)
    pid = intake.read_tail(meta / "kernel.pid", 20).strip()
    if pid.isdigit():
        isolation.kill(int(pid))
    dirs = intake.read_json(meta / "cgroup.json", 4096)
    if isinstance(dirs, dict):   # the runner was killed before it could clean up
        isolation.NotebookCgroup(dirs).destroy()


def _why_stopped(run: dict, limits: Limits) -> str:
    status = run.get("status")
    if status == "timeout":
        where = f" in cell {run['stopped_at']}" if run.get("stopped_at") is not None else ""
        return f"time limit: the notebook ran past {limits.timeout:g} s{where}; later cells were not run"
    if status == "died":
        rc = run.get("kernel_returncode")
        observed = run.get("observed") or {}
        if observed.get("oom_kills"):
            return (f"memory limit: the notebook's processes together used more than {limits.memory_mb} MB "
                    "and the kernel was stopped; later cells were not run")
        if rc in (-signal.SIGXCPU, 128 + signal.SIGXCPU):
            return f"CPU limit: the kernel used more than {limits.cpu_seconds} s of CPU time and was stopped"
        if rc in (-signal.SIGKILL, 128 + signal.SIGKILL):
            return (f"stopped: the kernel was killed (CPU limit {limits.cpu_seconds} s or memory limit "
                    f"{limits.memory_mb} MB); later cells were not run")
        return f"the kernel died (exit status {rc}); later cells were not run"
    if status == "error":
        return "could not be run: " + str(run.get("detail", ""))[:200]
    return ""


def grade_notebook(student: str, folder: Path, name: str, hidden: dict, limits: Limits,
                   owner: str | None = None, mode: str | None = None) -> NotebookGrade:
    """Grade one practice of one student (``owner``: their identifier, the folder name by default);
    never raises."""
    started = time.monotonic()
    owner = owner or student
    try:
        grade = _grade_notebook(student, folder, name, hidden, limits, owner, mode or _mode())
    except Exception as exc:  # the run must go on for the other students
        grade = _zero(student, name, f"grader error ({type(exc).__name__}: {str(exc)[:200]})")
    grade.seconds = round(time.monotonic() - started, 2)
    return grade


def _grade_notebook(student, folder, name, hidden, limits, owner, mode) -> NotebookGrade:
    found, near_note, flags = intake.find_notebook(folder, name)
    if found is None:
        return _zero(student, name, near_note or f"missing: no {name}.ipynb in the folder", flags)
    cells, why, refused = intake.read_notebook(folder, found)
    if cells is None:
        return _zero(student, name, f"{found}: {why}", flags + refused)
    code = [(i, src) for i, kind, src in cells if kind == "code" and src.strip()]
    p = get(name)
    report = analyse(code, {q.var: tuple(q.args) for q in p.questions if q.kind == "function"})
    run = _run_isolated(_job(name, owner, code, hidden.get(name, {}), limits, mode))
    grade = score(student, name, run, hidden.get(name, {}), limits, report, owner=owner)
    grade.flags[:0] = flags
    if near_note:
        grade.notes.insert(0, near_note)
    return grade


def score(student: str, name: str, run: dict, hidden: dict, limits: Limits,
          report: SourceReport | None = None, *, owner: str | None = None) -> NotebookGrade:
    """Score the plain data a run returned (pure: no student code runs here).

    ``report`` (the notebook's code read by :func:`.source.analyse`) gives the flags, the
    ``STUDENT_ID`` written and which cell binds which answer.
    """
    p = get(name)
    report = report or SourceReport()
    owner = owner or student
    case = p.case_for(owner)
    stopped = _why_stopped(run, limits)
    flags = list(report.flags)
    answers = run.get("answers") if isinstance(run.get("answers"), dict) else None
    if answers is None and not run.get("functions"):
        reason = stopped or "the answers could not be read from the notebook"
        if run.get("extract_error"):
            e = run["extract_error"][0]
            reason += f" ({str(e.get('ename'))[:60]}: {str(e.get('evalue'))[:120]})"
        grade = _zero(student, name, reason, flags)
        grade.notes += _identity_notes(report, owner, grade.flags)
        return grade
    answers = answers or {}
    functions = run.get("functions") if isinstance(run.get("functions"), dict) else {}
    errors = [e for e in run.get("errors", []) if isinstance(e, dict)][:50]
    results = []
    for q in p.questions:
        if q.kind == "function":
            late = " (time limit)" if q.id in run.get("extract_timeout", []) else ""
            answer = functions.get(q.id, {"unanswered": "could not be run on the test cases" + late})
        else:
            answer = answers.get(q.id, {"unanswered": "not reported"})
        result = q.grade(answer, case, hidden.get(q.id, []))
        if result.status != "correct":
            for err in errors:
                if q.var in report.defines.get(err.get("cell"), ()):
                    result.message = (f"the cell defining `{q.var}` (cell {err['cell']}) raised "
                                      f"{str(err.get('ename'))[:60]}: {str(err.get('evalue'))[:120]}\n"
                                      + result.message)
                    break
        if result.status == "rejected":
            flags.append(f"{q.id}: answer of a non-plain type rejected")
        results.append(result)
    notes = [stopped] if stopped else []
    notes += _observed_notes(run, limits, flags)
    memory = [e for e in errors if e.get("ename") == "MemoryError"]
    if memory:
        notes.append(f"memory limit: cell {memory[0]['cell']} asked for more than {limits.memory_mb} MB "
                     "(MemoryError)")
    if errors:
        first = errors[0]
        notes.append(f"{len(run.get('errors', []))} cell(s) raised an error, first in cell {first['cell']}: "
                     f"{str(first.get('ename'))[:60]}: {str(first.get('evalue'))[:120]}")
    notes += _identity_notes(report, owner, flags)
    return NotebookGrade(student, name, results, notes, flags, student_id=report.student_id)


def _observed_notes(run: dict, limits: Limits, flags: list) -> list[str]:
    """What the sandbox saw: limits hit, scratch space filled, processes left, answers too large."""
    seen = run.get("observed") if isinstance(run.get("observed"), dict) else {}
    notes = []
    if seen.get("tasks_refused"):
        notes.append(f"process limit: the notebook tried to run more than {limits.max_tasks} processes and "
                     "threads at once")
        flags.append("hit the process limit")
    if seen.get("oom_kills") and run.get("status") != "died":
        notes.append(f"memory limit: a process of the notebook was stopped at {limits.memory_mb} MB for the "
                     "whole notebook")
        flags.append("hit the notebook's memory limit")
    size, used = seen.get("scratch_bytes") or 0, seen.get("scratch_used_bytes") or 0
    if size and used >= 0.9 * size:
        notes.append(f"disk limit: the notebook filled its {limits.scratch_mb} MB scratch space")
        flags.append(f"filled its scratch space ({used >> 20} MB)")
    if (seen.get("processes") or 0) > 2:   # below bubblewrap: its init and the kernel
        flags.append(f"left {seen['processes'] - 2} process(es) running after its cells")
    if run.get("oversized_payload"):
        flags.append("reported answers larger than the grader accepts")
    return notes


def _identity_notes(report: SourceReport, owner: str, flags: list) -> list[str]:
    """The notebook's STUDENT_ID against its owner: a mismatch flags this submission, no one else."""
    written = normalise_id(report.student_id)
    if report.student_id is None or written == DEMO_ID:
        return [f"no STUDENT_ID in the notebook: graded on the numbers of {normalise_id(owner)!r}"]
    if written != normalise_id(owner):
        flags.append(f"the notebook says STUDENT_ID {report.student_id[:40]!r}, but it is {owner!r}'s "
                     f"submission: graded on {owner!r}'s numbers")
    return []


_MODE: list = []


def _mode() -> str:
    if not _MODE:
        _MODE.append("bwrap" if isolation.bwrap_status()[0] else "fallback")
    return _MODE[0]


# -- a class ----------------------------------------------------------------------------

def grade_class(submissions: Path, out_csv: Path, *, feedback_dir: Path | None = None, limits: Limits = Limits(),
                jobs: int | None = None, key: Path | None = None, practices=NAMES, progress=print,
                students: list[str] | None = None, roster: dict | None = None) -> list[NotebookGrade]:
    """Grade every student folder in ``submissions`` (or only ``students``); write the CSV and feedback.

    ``roster`` maps a folder name to the student's identifier (default: the folder name);
    a rostered student without a folder is graded as missing, never dropped.
    """
    hidden = load_hidden(key)
    found, skipped = intake.discover(submissions)
    for why in skipped:
        progress(f"skipped {why}")
    present = {s for s, _ in found}
    if students:
        found = [(s, d) for s, d in found if s in set(students)]
    expected = set(students) if students else set(roster or ())
    found += [(s, submissions / s) for s in sorted(expected - present)]   # graded as missing, not dropped
    students = sorted(found)
    feedback_dir = feedback_dir or out_csv.parent / "feedback"
    units = [(s, folder, name) for s, folder in students for name in practices]
    jobs = jobs or os.cpu_count() or 1
    mode = _mode()
    grades: dict[tuple[str, str], NotebookGrade] = {}
    t0 = time.monotonic()
    progress(f"grading {len(units)} notebooks of {len(students)} students with {jobs} worker(s)")
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = {pool.submit(grade_notebook, s, folder, name, hidden, limits,
                               (roster or {}).get(s, s), mode): (s, name) for s, folder, name in units}
        for done, fut in enumerate(as_completed(futures), 1):
            s, name = futures[fut]
            try:
                g = fut.result()
            except Exception as exc:  # pragma: no cover - grade_notebook already catches
                g = _zero(s, name, f"grader error ({exc})")
            if roster is not None and s not in roster:
                g.flags.append(f"folder {s!r} is not in the roster: graded as student {s!r}")
            grades[(s, name)] = g
            got = sum(r.points for r in g.results)
            top = sum(r.max_points for r in g.results)
            progress(f"[{done}/{len(units)}] {s}/{name}: {got:g}/{top:g}"
                     + (f" ({g.notes[0][:60]})" if g.notes else "") + f"  {g.seconds:.1f} s")
    ordered = [grades[(s, name)] for s, _ in students for name in practices]
    write_csv(out_csv, ordered)
    write_feedback(feedback_dir, ordered)
    rate = len(units) / max(time.monotonic() - t0, 1e-9) * 60
    progress(f"wrote {out_csv} and {feedback_dir}/ — {len(units)} notebooks in "
             f"{time.monotonic() - t0:.0f} s ({rate:.1f} notebooks/min)")
    return ordered


def read_roster(path: Path) -> dict:
    """{folder: student_id} from a CSV with the columns ``folder`` and ``student_id`` (other columns,
    such as the LMS identifiers ``sepsislab-grade export`` reads, are ignored); without a header
    line, the first two columns."""
    raw = intake.read_regular(path, 4 << 20)
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    header = [h.strip().lower() for h in rows[0]] if rows else []
    if "folder" in header:
        if "student_id" not in header:
            raise ValueError(f"roster {path}: a 'folder' column needs a 'student_id' column")
        i, j = header.index("folder"), header.index("student_id")
        rows = rows[1:]
    else:
        i, j = 0, 1
    roster: dict = {}
    for n, row in enumerate(rows, 2 if header and "folder" in header else 1):
        if len(row) <= max(i, j) or not row[i].strip():
            continue
        folder, sid = row[i].strip(), row[j].strip()
        if not sid:
            raise ValueError(f"roster {path}, line {n}: folder {folder!r} has no student_id")
        if folder in roster and roster[folder] != sid:
            raise ValueError(f"roster {path}: folder {folder!r} is given two identifiers")
        roster[folder] = sid
    ids = [normalise_id(v) for v in roster.values()]
    dup = sorted({i for i in ids if ids.count(i) > 1})
    if dup:
        raise ValueError(f"roster {path}: the identifier(s) {', '.join(dup)} belong to more than one folder")
    return roster


def write_csv(path: Path, grades: list[NotebookGrade]) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for g in grades:
        w.writerows(g.rows())
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(buf.getvalue(), encoding="utf-8")
    tmp.replace(path)   # never a half-written grades.csv


def write_feedback(folder: Path, grades: list[NotebookGrade]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    by_student: dict[str, list[NotebookGrade]] = {}
    for g in grades:
        by_student.setdefault(g.student, []).append(g)
    for student, gs in by_student.items():
        total = sum(r.points for g in gs for r in g.results)
        top = sum(r.max_points for g in gs for r in g.results)
        lines = [f"# Feedback for {student}", "", f"Total: **{total:g} / {top:g} points**", ""]
        for g in gs:
            got = sum(r.points for r in g.results)
            lines += [f"## {get(g.practice).title} (`{g.practice}.ipynb`) — {got:g} / "
                      f"{sum(r.max_points for r in g.results):g}", ""]
            lines += [f"- **{f}**" for f in g.flags_text()] + [f"- {n}" for n in g.notes]
            if g.flags or g.notes:
                lines.append("")
            lines += ["```text"] + [str(r) for r in g.results] + ["```", ""]
        safe = "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in student)
        (folder / f"{safe}.md").write_text("\n".join(lines), encoding="utf-8")
