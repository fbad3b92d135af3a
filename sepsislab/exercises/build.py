"""Generate the student notebooks (and the teacher's key) from the exercise sources.

A source is a MyST markdown notebook, ``exercises/source/<practice>.md``, written
once with everything in it. Its conventions follow otter-grader's assign format
so that they read familiarly:

* ``# BEGIN SOLUTION`` … ``# END SOLUTION`` in a code cell: the lines between are
  the solution; the student gets ``...`` in their place (same indentation);
* ``answer = expression  # SOLUTION``: the student gets ``answer = ...``;
* a code cell tagged ``hidden-tests`` holds the hidden tests as a Python literal
  (question id → list of keyword-argument dicts for a function question). It is
  read with :func:`ast.literal_eval`, never executed, and appears in no
  notebook a student gets;
* a markdown heading ``### q3 · Title`` gets, under it, the points and the form
  of the answer (unit, tolerance) written from the question's definition, so
  the text cannot drift from what ``check`` accepts.

``python -m sepsislab.exercises build`` writes ``exercises/<practice>.ipynb``
(committed, never edited by hand); ``build --check`` fails if any is out of date;
``python -m sepsislab.exercises autograder DIR`` writes the grader's artefacts
(hidden tests and the key notebooks), which are not committed.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import nbformat

from .practices import NAMES, get

__all__ = ["exercises_dir", "read_source", "student_notebook", "key_notebook", "hidden_tests",
           "build", "write_autograder"]

HIDDEN_TAG = "hidden-tests"
_BEGIN = re.compile(r"^(\s*)# BEGIN SOLUTION\s*$")
_END = re.compile(r"^\s*# END SOLUTION\s*$")
_INLINE = re.compile(r"^(\s*[A-Za-z_][\w.]*\s*=\s*).*#\s*SOLUTION\s*$")
_HEADING = re.compile(r"^###\s+(q\d+)\b")


def exercises_dir() -> Path:
    """The repository's ``exercises/`` folder (next to the package when installed editable, else cwd)."""
    here = Path(__file__).resolve().parents[2] / "exercises"
    return here if (here / "source").is_dir() else Path.cwd() / "exercises"


def read_source(name: str, source_dir: Path | None = None) -> nbformat.NotebookNode:
    import jupytext

    path = (source_dir or exercises_dir() / "source") / f"{name}.md"
    return jupytext.read(path)


def _strip_solutions(code: str, *, keep: bool) -> str:
    out, inside = [], False
    for line in code.splitlines():
        begin = _BEGIN.match(line)
        if begin:
            inside = True
            if not keep:
                out.append(f"{begin.group(1)}...")
            continue
        if _END.match(line):
            inside = False
            continue
        if inside:
            if keep:
                out.append(line)
            continue
        inline = _INLINE.match(line)
        if inline:
            out.append(re.sub(r"\s*#\s*SOLUTION\s*$", "", line) if keep else f"{inline.group(1)}...")
        else:
            out.append(line)
    if inside:
        raise ValueError("a '# BEGIN SOLUTION' has no matching '# END SOLUTION'")
    return "\n".join(out)


def _describe(practice, qid: str) -> str:
    q = practice.question(qid)
    pts = f"{q.points:g} point{'s' if q.points != 1 else ''}"
    return f"*{pts} · answer: `{q.var}` — {q.describe()}*"


def _transform(src: nbformat.NotebookNode, name: str, *, keep_solutions: bool) -> nbformat.NotebookNode:
    practice = get(name)
    cells = []
    for cell in src.cells:
        tags = cell.metadata.get("tags", [])
        if HIDDEN_TAG in tags or (keep_solutions and cell.source.strip() == "export()"):
            continue  # the key is not handed in: no export cell
        if cell.cell_type == "code":
            new = nbformat.v4.new_code_cell(_strip_solutions(cell.source, keep=keep_solutions))
            if tags:
                new.metadata["tags"] = list(tags)
        elif cell.cell_type == "markdown":
            lines = cell.source.splitlines()
            text = []
            for line in lines:
                text.append(line)
                m = _HEADING.match(line)
                if m:
                    text += ["", _describe(practice, m.group(1))]
            new = nbformat.v4.new_markdown_cell("\n".join(text))
        else:
            new = nbformat.v4.new_raw_cell(cell.source)
        new["id"] = f"{name}-{len(cells):02d}"
        cells.append(new)
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata = {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                   "language_info": {"name": "python"}}
    return nb


def student_notebook(name: str, source_dir: Path | None = None) -> nbformat.NotebookNode:
    """The notebook students open: no solution, no hidden test, no output."""
    return _transform(read_source(name, source_dir), name, keep_solutions=False)


def key_notebook(name: str, source_dir: Path | None = None) -> nbformat.NotebookNode:
    """The completed notebook (instructor's key), not executed."""
    return _transform(read_source(name, source_dir), name, keep_solutions=True)


def hidden_tests(name: str, source_dir: Path | None = None) -> dict:
    """The hidden tests of one practice: question id → list of keyword-argument dicts."""
    tests: dict = {}
    for cell in read_source(name, source_dir).cells:
        if HIDDEN_TAG in cell.metadata.get("tags", []):
            text = "\n".join(l for l in cell.source.splitlines() if not l.lstrip().startswith("#"))
            tests.update(ast.literal_eval(text.strip()))
    return tests


def _dumps(nb) -> str:
    return nbformat.writes(nb, version=4) + ("" if nbformat.writes(nb).endswith("\n") else "\n")


def build(out_dir: Path | None = None, source_dir: Path | None = None, *, check: bool = False) -> list[str]:
    """Write every student notebook; with ``check``, write nothing and return the stale ones."""
    out_dir = out_dir or exercises_dir()
    stale = []
    for name in NAMES:
        text = _dumps(student_notebook(name, source_dir))
        target = out_dir / f"{name}.ipynb"
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            stale.append(name)
            if not check:
                target.write_text(text, encoding="utf-8")
    return stale


def write_autograder(out_dir: Path, source_dir: Path | None = None) -> Path:
    """The grader's artefacts: ``hidden.json`` (every hidden test) and ``key/<practice>.ipynb``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "key").mkdir(exist_ok=True)
    hidden = {name: hidden_tests(name, source_dir) for name in NAMES}
    (out_dir / "hidden.json").write_text(json.dumps(hidden, indent=1), encoding="utf-8")
    for name in NAMES:
        (out_dir / "key" / f"{name}.ipynb").write_text(_dumps(key_notebook(name, source_dir)), encoding="utf-8")
    return out_dir
