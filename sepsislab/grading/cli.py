"""``sepsislab-grade``: grade a class folder, or write the key notebooks.

::

    sepsislab-grade collect ZIPS_DIR -o CLASS_DIR                         # the students' zips, unpacked safely
    sepsislab-grade SUBMISSIONS_DIR -o grades.csv [--roster roster.csv] [--timeout SECONDS] [--jobs N]
    sepsislab-grade SUBMISSIONS_DIR --students alice -o part-alice.csv   # one job of a batch
    sepsislab-grade --merge part-*.csv -o grades.csv                      # …and the class CSV
    sepsislab-grade --solutions OUTDIR [--student-id ID]

SUBMISSIONS_DIR holds one folder per student with that student's notebooks,
named as in ``exercises/`` (``haemodynamics.ipynb``…). The CSV has one row per
student × question (``student,exercise,question,points,max_points,note``); a
feedback file per student goes to ``feedback/`` next to the CSV. The folder's name is
the student's identifier unless ``--roster`` (a CSV ``folder,student_id``) says otherwise.
The first line printed says which sandbox is in force (:func:`.isolation.describe`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.modules.setdefault("rfc3987_syntax", None)   # see runner.py: a 2.5 s import nbformat never needs

from ..exercises.practices import NAMES  # noqa: E402
from .grade import Limits, grade_class  # noqa: E402


def write_solutions(out: Path, *, student_id: str = "", execute: bool = True, key: Path | None = None,
                    practices=NAMES, timeout: float = 300) -> list[Path]:
    """Write the completed notebooks (the instructor's key), executed so that every check shows ✓.

    With ``student_id`` the key shows that student's numbers; its answers are code
    computed from the case, so it scores full marks in any student's folder.
    """
    import nbformat
    from nbclient import NotebookClient

    from ..exercises.build import key_notebook

    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in practices:
        nb = key_notebook(name, key)
        if student_id:
            first = next(c for c in nb.cells if c.cell_type == "code" and c.source.startswith("STUDENT_ID"))
            first.source = first.source.replace('STUDENT_ID = ""', f"STUDENT_ID = {student_id!r}", 1)
        if execute:
            NotebookClient(nb, timeout=timeout, kernel_name="python3",
                           resources={"metadata": {"path": str(out)}}).execute()
        path = out / f"{name}.ipynb"
        nbformat.write(nb, path)
        written.append(path)
    return written


def merge_csv(parts: list[Path], out: Path) -> Path:
    """One class CSV from the partial CSVs of separate jobs (same header; rows sorted by student)."""
    import csv

    from .grade import CSV_COLUMNS

    rows = []
    for part in parts:
        with part.open(newline="", encoding="utf-8") as fh:
            reader = csv.reader(fh)
            if next(reader, None) != CSV_COLUMNS:
                raise SystemExit(f"{part}: not a sepsislab-grade CSV (header differs)")
            rows += list(reader)
    order = {n: i for i, n in enumerate(NAMES)}
    rows.sort(key=lambda r: (r[0], order.get(r[1], 99), int(r[2][1:]) if r[2][1:].isdigit() else 0))
    with out.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(CSV_COLUMNS)
        w.writerows(rows)
    return out


def collect_main(argv) -> int:
    """``sepsislab-grade collect ZIPS_DIR -o CLASS_DIR``: the students' zips, one folder per student."""
    from .intake import collect

    ap = argparse.ArgumentParser(prog="sepsislab-grade collect",
                                 description="Unpack the students' zips safely into one folder per student.")
    ap.add_argument("zips", type=Path, help="folder with the zips (or one sub-folder per submitter holding them)")
    ap.add_argument("-o", "--output", type=Path, required=True, help="class folder to fill (one sub-folder per student)")
    args = ap.parse_args(argv)
    if not args.zips.is_dir():
        ap.error(f"{args.zips} is not a folder")
    report = collect(args.zips, args.output, NAMES)
    for line in report:
        print(line)
    flagged = sum(line.startswith("FLAG") for line in report)
    print(f"unpacked into {args.output}/" + (f" — {flagged} FLAG line(s) above" if flagged else ""))
    return 0


def report_main(argv) -> int:
    """``sepsislab-grade report GRADES_CSV -o REPORT_HTML``: the class report (:mod:`.report`)."""
    from .report import main as report
    return report(argv)


def export_main(argv) -> int:
    """``sepsislab-grade export GRADES_CSV --lms canvas|moodle -o OUT_CSV``: the LMS import file (:mod:`.lms`)."""
    from .lms import main as export
    return export(argv)


#: ``sepsislab-grade <name> …`` runs another command than grading.
SUBCOMMANDS = {"collect": collect_main, "report": report_main, "export": export_main}


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in SUBCOMMANDS:
        return SUBCOMMANDS[argv[0]](argv[1:])
    d = Limits()
    ap = argparse.ArgumentParser(prog="sepsislab-grade",
                                 description="Grade a class folder of exercise notebooks, or write the key notebooks. "
                                 "After grading: sepsislab-grade report GRADES_CSV -o REPORT_HTML (class report), "
                                 "sepsislab-grade export GRADES_CSV --lms canvas|moodle -o OUT_CSV (gradebook import).")
    ap.add_argument("submissions", nargs="?", type=Path, help="folder with one sub-folder per student")
    ap.add_argument("-o", "--output", type=Path, default=Path("grades.csv"), help="CSV to write (default: grades.csv)")
    ap.add_argument("--feedback", type=Path, help="folder for the per-student feedback (default: feedback/ next to the CSV)")
    ap.add_argument("--timeout", type=float, default=d.timeout, help=f"wall-clock seconds per notebook (default: {d.timeout:g})")
    ap.add_argument("--cpu", type=int, default=d.cpu_seconds, help=f"CPU seconds per notebook (default: {d.cpu_seconds})")
    ap.add_argument("--memory", type=int, default=d.memory_mb,
                    help=f"memory of a notebook, all its processes together, in MB (default: {d.memory_mb})")
    ap.add_argument("--roster", type=Path, help="CSV folder,student_id: who each folder belongs to "
                    "(default: the folder's name)")
    ap.add_argument("--jobs", type=int, default=None, help="notebooks graded at once (default: number of cores)")
    ap.add_argument("--only", nargs="*", choices=NAMES, help="grade only these exercises")
    ap.add_argument("--students", nargs="*", help="grade only these student folders (one job of a batch)")
    ap.add_argument("--merge", nargs="*", type=Path, metavar="CSV", help="concatenate partial CSVs into -o and stop")
    ap.add_argument("--key", type=Path, help="exercise sources or autograder folder with the hidden tests "
                    "(default: exercises/source)")
    ap.add_argument("--solutions", type=Path, metavar="OUTDIR", help="write the key notebooks to OUTDIR and stop")
    ap.add_argument("--student-id", default="", help="with --solutions: show this student's numbers")
    args = ap.parse_args(argv)

    if args.solutions:
        for path in write_solutions(args.solutions, student_id=args.student_id, key=args.key,
                                    practices=args.only or NAMES):
            print(f"wrote {path}")
        return 0
    if args.merge:
        print(f"wrote {merge_csv(args.merge, args.output)}")
        return 0
    if args.submissions is None or not args.submissions.is_dir():
        ap.error("give the folder of submissions (one sub-folder per student), or --solutions OUTDIR")
    from .isolation import describe

    limits = Limits(timeout=args.timeout, cpu_seconds=args.cpu, memory_mb=args.memory)
    print(describe(), file=sys.stderr, flush=True)
    roster = None
    if args.roster:
        from .grade import read_roster

        try:
            roster = read_roster(args.roster)
        except (ValueError, OSError) as exc:
            ap.error(str(exc))
    grade_class(args.submissions, args.output, feedback_dir=args.feedback, limits=limits, jobs=args.jobs,
                key=args.key, practices=tuple(args.only or NAMES), students=args.students, roster=roster,
                progress=lambda msg: print(msg, file=sys.stderr, flush=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
