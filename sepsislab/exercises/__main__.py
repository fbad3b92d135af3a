"""``python -m sepsislab.exercises build [--check]`` and ``… autograder DIR`` (see :mod:`.build`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .build import build, exercises_dir, write_autograder


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m sepsislab.exercises",
                                 description="Generate exercise notebooks from exercises/source/.")
    sub = ap.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="write the student notebooks exercises/<practice>.ipynb")
    b.add_argument("--check", action="store_true", help="write nothing; fail if a notebook is out of date")
    b.add_argument("--source", type=Path, help="source folder (default: exercises/source)")
    a = sub.add_parser("autograder", help="write hidden tests and key notebooks for the grader (not committed)")
    a.add_argument("out", type=Path, nargs="?", default=None, help="default: exercises/dist/autograder")
    a.add_argument("--source", type=Path)
    args = ap.parse_args(argv)
    if args.command == "build":
        stale = build(source_dir=args.source, check=args.check)
        if args.check:
            if stale:
                print("out of date (run: python -m sepsislab.exercises build): " + ", ".join(stale))
                return 1
            print("student notebooks are up to date")
        else:
            print("wrote " + (", ".join(f"exercises/{n}.ipynb" for n in stale) or "nothing (up to date)"))
        return 0
    out = write_autograder(args.out or exercises_dir() / "dist" / "autograder", args.source)
    print(f"wrote {out}/hidden.json and {out}/key/*.ipynb")
    return 0


if __name__ == "__main__":
    sys.exit(main())
