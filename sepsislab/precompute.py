"""``python -m sepsislab.precompute [KEY …]``: refresh the shipped tables of slow explorers.

An explorer declared with ``precomputed=True`` (its view takes longer than one
display frame, e.g. every move re-runs the 72-hour virtual patient) reads its
frames from ``sepsislab/precomputed/<key>.json.gz``. Run this after changing
such a view or the model behind it; ``tests/test_interactive.py`` fails while a
table no longer matches its view.
"""

from __future__ import annotations

import argparse
import sys
import time

from .registry import load_all_views


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m sepsislab.precompute", description=__doc__.split("\n")[0])
    ap.add_argument("keys", nargs="*", help="explorer keys (default: every precomputed explorer)")
    args = ap.parse_args(argv)
    chosen = [e for k, e in sorted(load_all_views().items())
              if e.precomputed and (not args.keys or k in args.keys)]
    for made in chosen:
        start = time.perf_counter()
        path = made.write_table()
        print(f"{made.key}: {path.stat().st_size / 1000:.0f} kB in {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
