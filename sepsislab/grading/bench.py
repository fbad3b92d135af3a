"""Throughput of ``sepsislab-grade``: a generated class of submissions, graded with the worker pool.

``python -m sepsislab.grading.bench [--notebooks 100] [--jobs N]`` prints one JSON object; the
project benchmark reports it as ``grading_notebooks_per_min`` (``python -m sepsislab.bench``).
The class mixes the kinds of notebooks a teacher receives, over every practice in turn: complete
and correct, half done with slips, and untouched.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.modules.setdefault("rfc3987_syntax", None)   # see runner.py

import nbformat  # noqa: E402

from ..exercises import build as B  # noqa: E402
from ..exercises.practices import NAMES, get  # noqa: E402
from .grade import Limits, grade_class  # noqa: E402


def make_class(folder: Path, notebooks: int = 100) -> Path:
    """``notebooks`` submissions, one per student folder, cycling through practices and kinds."""
    keys = {n: B.key_notebook(n) for n in NAMES}
    blanks = {n: B.student_notebook(n) for n in NAMES}
    for i in range(notebooks):
        name, kind = NAMES[i % len(NAMES)], ("key", "slips", "blank")[i % 3]
        student = f"s{i:03d}"
        nb = nbformat.from_dict(json.loads(json.dumps(blanks[name] if kind == "blank" else keys[name])))
        for cell in nb.cells:
            if cell.cell_type == "code" and cell.source.startswith("STUDENT_ID"):
                cell.source = f"STUDENT_ID = {student!r}"
        if kind == "slips":   # every other answer left undone
            for q in get(name).questions[::2]:
                for cell in nb.cells:
                    if cell.cell_type == "code" and cell.source.startswith(f"{q.var} ="):
                        cell.source = f"{q.var} = ..."
        (folder / student).mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, folder / student / f"{name}.ipynb")
    return folder


def measure(notebooks: int = 100, jobs: int | None = None) -> dict:
    jobs = jobs or os.cpu_count() or 1
    with tempfile.TemporaryDirectory(prefix="sepsislab-grading-bench-") as tmp:
        subs = make_class(Path(tmp) / "submissions", notebooks)
        start = time.perf_counter()
        grades = grade_class(subs, Path(tmp) / "grades.csv", limits=Limits(), jobs=jobs, progress=lambda m: None,
                             practices=NAMES)
        seconds = time.perf_counter() - start
        graded = [g for g in grades if (subs / g.student / f"{g.practice}.ipynb").exists()]   # not the missing ones
    return {"notebooks": len(graded), "jobs": jobs, "cores": os.cpu_count(), "seconds": round(seconds, 1),
            "notebooks_per_min": round(len(graded) / seconds * 60, 1),
            "median_s_per_notebook": round(sorted(g.seconds for g in graded)[len(graded) // 2], 2)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m sepsislab.grading.bench", description=__doc__.split("\n")[0])
    ap.add_argument("--notebooks", type=int, default=100)
    ap.add_argument("--jobs", type=int, default=None)
    args = ap.parse_args(argv)
    print(json.dumps(measure(args.notebooks, args.jobs), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
