"""Grade a class: one row per student × question, a feedback file per student, never a crash.

The unit of work is one notebook of one student (:func:`grade_notebook`):

1. read the file as notebook JSON (missing, empty, not JSON, not a notebook →
   zero for its questions, with a note that says which);
2. copy it alone into a fresh scratch folder and run it there
   (:mod:`sepsislab.grading.runner`, a separate process driving a fresh,
   limited kernel), which returns the answers as plain data;
3. score that data here, in the grader's own process, against the reference
   (:meth:`Question.grade`, the same function as the student's ``check``), with
   the hidden tests read from the exercise sources. The kernel never sees an
   expected answer; the inputs of a function question's hidden cases reach it
   only after the student's cells have run, in the cell that calls the function.

:func:`grade_class` fans the units out to a pool of workers (one per core by
default) and writes ``grades.csv`` and ``feedback/<student>.md``.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import secrets
import signal
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from ..exercises.core import Result, normalise_id
from ..exercises.practices import NAMES, get

CSV_COLUMNS = ["student", "exercise", "question", "points", "max_points", "note"]


@dataclass(frozen=True)
class Limits:
    """Per-notebook limits; the defaults suit the course's notebooks with a wide margin."""

    timeout: float = 120.0            # wall clock for the student's cells, seconds
    extract_timeout: float = 30.0     # wall clock for reading the answers out, seconds
    cpu_seconds: int = 120            # CPU time of the kernel (RLIMIT_CPU)
    memory_mb: int = 2048             # address space of the kernel (RLIMIT_AS)
    file_mb: int = 64                 # largest file the notebook may write (RLIMIT_FSIZE)
    max_tasks: int = 64               # processes + threads of the kernel (pids cgroup / RLIMIT_NPROC)

    def kernel_limits(self) -> dict:
        return {"cpu_seconds": int(self.cpu_seconds), "memory_bytes": int(self.memory_mb) << 20,
                "file_bytes": int(self.file_mb) << 20, "max_tasks": int(self.max_tasks)}


@dataclass
class NotebookGrade:
    student: str
    practice: str
    results: list[Result]
    notes: list[str] = field(default_factory=list)      # notebook-level: missing, timeout, flags…
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


def find_notebook(folder: Path, name: str) -> tuple[Path | None, str]:
    """``<name>.ipynb`` in the student's folder, or a near miss (``name (1).ipynb``), with a note."""
    exact = folder / f"{name}.ipynb"
    if exact.is_file():
        return exact, ""
    near = sorted(p for p in folder.glob("*.ipynb") if p.stem.lower().replace(" ", "").startswith(name))
    if near:
        return near[0], f"graded {near[0].name} (expected {name}.ipynb)"
    return None, ""


def read_notebook(path: Path) -> tuple[nbformat.NotebookNode | None, str]:
    """The notebook, or ``None`` and why it cannot be graded."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, f"could not read the file ({exc.strerror})"
    if not raw.strip():
        return None, "empty file"
    try:
        nb = nbformat.reads(raw.decode("utf-8"), as_version=4)
        if not isinstance(nb.get("cells"), list):
            raise ValueError("no cells")
        for c in nb.cells:
            if c.get("cell_type") not in ("code", "markdown", "raw") or not isinstance(c.get("source", ""), str):
                raise ValueError("malformed cell")
    except Exception:
        return None, "not a valid notebook (JSON could not be read)"
    return nb, ""


def _run_isolated(nb_path: Path, name: str, hidden: dict, limits: Limits) -> dict:
    """Run one notebook through the runner process in a scratch folder; return its result dict."""
    base = Path(tempfile.mkdtemp(prefix="sepsislab-grade-"))
    scratch, meta = base / "work", base / "meta"
    scratch.mkdir()
    meta.mkdir()
    try:
        shutil.copyfile(nb_path, scratch / f"{name}.ipynb")
        p = get(name)
        job = {"notebook": str(scratch / f"{name}.ipynb"), "scratch": str(scratch), "practice": name,
               "timeout": limits.timeout, "extract_timeout": limits.extract_timeout,
               "limits": limits.kernel_limits(), "nonce": secrets.token_hex(8),
               "functions": {q.id: hidden.get(q.id, []) for q in p.questions if q.kind == "function"}}
        (meta / "job.json").write_text(json.dumps(job))
        budget = limits.timeout + limits.extract_timeout * (1 + len(job["functions"])) + 90
        proc = subprocess.Popen([sys.executable, "-m", "sepsislab.grading.runner", str(meta)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
        try:
            _, err = proc.communicate(timeout=budget)
        except subprocess.TimeoutExpired:
            _kill(proc.pid)
            proc.communicate()
            return {"status": "timeout", "detail": "the grader stopped the notebook at its wall-clock budget"}
        finally:
            pid = (meta / "kernel.pid").read_text().strip() if (meta / "kernel.pid").exists() else ""
            if pid.isdigit():
                _kill(int(pid))
            if (meta / "cgroup").exists():   # the runner was killed before it could clean up
                from .isolation import PidsCgroup
                PidsCgroup(Path((meta / "cgroup").read_text())).destroy()
        if (meta / "result.json").exists():
            return json.loads((meta / "result.json").read_text())
        return {"status": "error", "detail": "runner failed: " + err.decode(errors="replace")[-300:]}
    finally:
        shutil.rmtree(base, ignore_errors=True)


def _kill(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _why_stopped(run: dict, limits: Limits) -> str:
    status = run.get("status")
    if status == "timeout":
        where = f" in cell {run['stopped_at']}" if run.get("stopped_at") is not None else ""
        return f"time limit: the notebook ran past {limits.timeout:g} s{where}; later cells were not run"
    if status == "died":
        rc = run.get("kernel_returncode")
        if rc == -signal.SIGXCPU:
            return f"CPU limit: the kernel used more than {limits.cpu_seconds} s of CPU time and was stopped"
        if rc == -signal.SIGKILL:
            return (f"stopped: the kernel was killed (CPU limit {limits.cpu_seconds} s or memory limit "
                    f"{limits.memory_mb} MB); later cells were not run")
        return f"the kernel died (exit status {rc}); later cells were not run"
    if status == "error":
        return "could not be run: " + str(run.get("detail", ""))[:200]
    return ""


def grade_notebook(student: str, folder: Path, name: str, hidden: dict, limits: Limits) -> NotebookGrade:
    """Grade one practice of one student; never raises."""
    started = time.monotonic()
    try:
        path, near_note = find_notebook(folder, name)
        if path is None:
            return _zero(student, name, f"missing: no {name}.ipynb in the folder")
        nb, why = read_notebook(path)
        if nb is None:
            return _zero(student, name, f"{path.name}: {why}")
        run = _run_isolated(path, name, hidden.get(name, {}), limits)
        sources = {i: c.source for i, c in enumerate(nb.cells) if c.cell_type == "code"}
        grade = score(student, name, run, hidden.get(name, {}), limits, sources)
        if near_note:
            grade.notes.insert(0, near_note)
    except Exception as exc:  # the run must go on for the other students
        grade = _zero(student, name, f"grader error ({type(exc).__name__}: {str(exc)[:200]})")
    grade.seconds = round(time.monotonic() - started, 2)
    return grade


def _defines(source: str, var: str) -> bool:
    return re.search(rf"^\s*(def\s+{re.escape(var)}\s*\(|{re.escape(var)}\s*=[^=])", source, re.M) is not None


def score(student: str, name: str, run: dict, hidden: dict, limits: Limits,
          sources: dict | None = None) -> NotebookGrade:
    """Score the plain data a run returned (pure: no student code runs here).

    ``sources`` (cell index → code) lets a question left unanswered by an error name that error.
    """
    p = get(name)
    values = run.get("values") if isinstance(run.get("values"), dict) else None
    stopped = _why_stopped(run, limits)
    if values is None:
        reason = stopped or "the answers could not be read from the notebook"
        if run.get("extract_error"):
            e = run["extract_error"][0]
            reason += f" ({e.get('ename')}: {e.get('evalue')})"
        return _zero(student, name, reason)
    sid = values.get("student_id")
    sid = sid if type(sid) is str else ""
    case = p.case_for(sid)
    answers = values.get("answers") if isinstance(values.get("answers"), dict) else {}
    functions = run.get("functions") if isinstance(run.get("functions"), dict) else {}
    flags = [str(f)[:200] for f in values.get("flags", []) if isinstance(f, str)][:10]
    results = []
    for q in p.questions:
        hid = hidden.get(q.id, [])
        if q.kind == "function":
            answer = functions.get(q.id, {"unanswered": "could not be run on the test cases"
                                          + (" (time limit)" if q.id in run.get("extract_timeout", []) else "")})
        else:
            answer = answers.get(q.id, {"unanswered": "not reported"})
        result = q.grade(answer, case, hid)
        if result.status != "correct" and sources:
            for err in run.get("errors", []):
                if _defines(sources.get(err.get("cell"), ""), q.var):
                    result.message = (f"the cell defining `{q.var}` (cell {err['cell']}) raised "
                                      f"{err['ename']}: {err['evalue'][:120]}\n" + result.message)
                    break
        if result.status == "rejected":
            flags.append(f"{q.id}: answer of a non-plain type rejected")
        results.append(result)
    errors = run.get("errors", [])
    notes = [stopped] if stopped else []
    if run.get("process_limit_hit"):
        notes.append(f"process limit: the notebook tried to run more than {limits.max_tasks} "
                     "processes and threads at once")
    memory = [e for e in errors if e.get("ename") == "MemoryError"]
    if memory:
        notes.append(f"memory limit: cell {memory[0]['cell']} asked for more than {limits.memory_mb} MB "
                     "(MemoryError)")
    if errors:
        first = errors[0]
        notes.append(f"{len(errors)} cell(s) raised an error, first in cell {first['cell']}: "
                     f"{first['ename']}: {first['evalue'][:120]}")
    if normalise_id(sid) == "demo":
        notes.append("no STUDENT_ID in the notebook: graded on the demo numbers")
    elif normalise_id(sid) != normalise_id(student):
        notes.append(f"graded on the numbers of STUDENT_ID {sid!r} written in the notebook (folder {student!r})")
    return NotebookGrade(student, name, results, notes, flags, student_id=sid)


# -- a class ----------------------------------------------------------------------------

def discover(submissions: Path) -> list[tuple[str, Path]]:
    return sorted((d.name, d) for d in submissions.iterdir() if d.is_dir() and not d.name.startswith("."))


def grade_class(submissions: Path, out_csv: Path, *, feedback_dir: Path | None = None, limits: Limits = Limits(),
                jobs: int | None = None, key: Path | None = None, practices=NAMES, progress=print,
                students: list[str] | None = None) -> list[NotebookGrade]:
    """Grade every student folder in ``submissions`` (or only ``students``); write the CSV and feedback."""
    hidden = load_hidden(key)
    found = discover(submissions)
    if students:
        missing = sorted(set(students) - {s for s, _ in found})
        found = [(s, d) for s, d in found if s in set(students)]
        found += [(s, submissions / s) for s in missing]   # graded as missing, not dropped
    students = sorted(found)
    feedback_dir = feedback_dir or out_csv.parent / "feedback"
    units = [(s, folder, name) for s, folder in students for name in practices]
    jobs = jobs or os.cpu_count() or 1
    grades: dict[tuple[str, str], NotebookGrade] = {}
    t0 = time.monotonic()
    progress(f"grading {len(units)} notebooks of {len(students)} students with {jobs} worker(s)")
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = {pool.submit(grade_notebook, s, folder, name, hidden, limits): (s, name) for s, folder, name in units}
        for done, fut in enumerate(as_completed(futures), 1):
            s, name = futures[fut]
            try:
                g = fut.result()
            except Exception as exc:  # pragma: no cover - grade_notebook already catches
                g = _zero(s, name, f"grader error ({exc})")
            grades[(s, name)] = g
            got = sum(r.points for r in g.results)
            top = sum(r.max_points for r in g.results)
            progress(f"[{done}/{len(units)}] {s}/{name}: {got:g}/{top:g}"
                     + (f" ({g.notes[0][:60]})" if g.notes else "") + f"  {g.seconds:.1f} s")
    _flag_shared_ids(grades)
    ordered = [grades[(s, name)] for s, _ in students for name in practices]
    write_csv(out_csv, ordered)
    write_feedback(feedback_dir, ordered)
    rate = len(units) / max(time.monotonic() - t0, 1e-9) * 60
    progress(f"wrote {out_csv} and {feedback_dir}/ — {len(units)} notebooks in "
             f"{time.monotonic() - t0:.0f} s ({rate:.1f} notebooks/min)")
    return ordered


def _flag_shared_ids(grades: dict) -> None:
    """The same STUDENT_ID in two folders means the same numbers: worth a look."""
    by_id: dict[tuple[str, str], list[str]] = {}
    for (student, name), g in grades.items():
        if g.student_id and normalise_id(g.student_id) != "demo":
            by_id.setdefault((name, normalise_id(g.student_id)), []).append(student)
    for (name, sid), students in by_id.items():
        if len(students) > 1:
            for s in students:
                others = ", ".join(o for o in students if o != s)
                grades[(s, name)].flags.append(f"same STUDENT_ID {sid!r} as {others}")


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
