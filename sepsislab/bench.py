"""Speed and size, measured against the targets in DESIGN.md.

``python -m sepsislab.bench --json`` prints one JSON object::

    {"models": {"<explorer key>": {"median_ms": …, "p95_ms": …}, …}, …}

``models`` is the time of one live widget update (view + FigureWidget update),
for every explorer registered by :mod:`sepsislab.views`. Other keys are added by
the measurements registered in :data:`EXTRA` (the virtual patient, the book
build, page sizes); each is skipped with a reason rather than guessed.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Callable

from .interactive import load_all_views

#: name → function returning a JSON-ready value; later chapters add their own.
EXTRA: dict[str, Callable[[argparse.Namespace], object]] = {}

TARGETS = {"median_ms": 16.0}


def measure_models(repeats: int, only: str | None = None) -> dict:
    out = {}
    for key, explorer in sorted(load_all_views().items()):
        if only and only not in key:
            continue
        out[key] = explorer.time_update(repeats=repeats)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m sepsislab.bench", description=__doc__.split("\n")[0])
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    ap.add_argument("--repeats", type=int, default=30, help="updates timed per model (default 30)")
    ap.add_argument("--only", help="only explorers whose key contains this text")
    ap.add_argument("--skip", nargs="*", default=[], help="extra measurements to skip, e.g. build_clean_s")
    args = ap.parse_args(argv)

    result: dict = {"models": measure_models(args.repeats, args.only)}
    for name, fn in EXTRA.items():
        if name not in args.skip:
            result[name] = fn(args)
    slow = [k for k, v in result["models"].items() if v["median_ms"] > TARGETS["median_ms"]]
    result["over_budget"] = slow
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for key, v in result["models"].items():
            flag = "  OVER BUDGET" if key in slow else ""
            print(f"{key:40s} median {v['median_ms']:7.2f} ms   p95 {v['p95_ms']:7.2f} ms{flag}")
        for name in EXTRA:
            if name in result:
                print(f"{name:40s} {result[name]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
