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
import atexit
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlparse

import numpy as np

from .interactive import STATIC_ENV, package_stamp
from .registry import BOOK_ROOT, load_all_views, toc_pages

#: name → function returning a JSON-ready value; later chapters add their own.
EXTRA: dict[str, Callable[[argparse.Namespace], object]] = {}

#: Budgets; a number in the result above its budget is listed in "over_budget".
TARGETS = {"median_ms": 16.0}


def time_update(
    explorer, repeats: int = 30, seed: int = 0, clock: Callable[[], float] = time.perf_counter
) -> dict[str, float]:
    """Median and 95th percentile (ms) of one live widget update of ``explorer``.

    Parameters
    ----------
    explorer : sepsislab.interactive.Explorer
    repeats : int
        Updates timed, each to slider values drawn uniformly within the sliders' ranges.
    seed : int
        Seed of those values.
    clock : callable
        Seconds, as :func:`time.perf_counter` (a test passes a fake one).

    Returns
    -------
    dict
        ``median_ms`` and ``p95_ms``, milliseconds rounded to 3 decimals.
    """
    rng = np.random.default_rng(seed)
    live = explorer.widget()
    times = []
    for _ in range(repeats):
        values = {s.name: float(rng.uniform(s.low, s.high)) for s in explorer.sliders}
        start = clock()
        live.apply(values)
        times.append((clock() - start) * 1000)
    return {"median_ms": round(float(np.median(times)), 3), "p95_ms": round(float(np.percentile(times, 95)), 3)}


def measure_models(repeats: int, only: str | None = None) -> dict:
    out = {}
    for key, explorer in sorted(load_all_views().items()):
        if only and only not in key:
            continue
        out[key] = time_update(explorer, repeats=repeats)
    return out


# -- the built book: build time, page size, first-visit transfer ---------------------------

ROOT = BOOK_ROOT  # the checkout holding _config.yml
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TARGETS.update(build_clean_s=180.0, build_cached_s=30.0, largest_page_kb=1000.0, site_mb=25.0, first_visit_mb_max=2.5)
_BOOK: dict = {}  # "out": the folder of the clean build made by this run; "package": its stamp


def _build_book(out: Path) -> float:
    """``jupyter-book build`` of the checkout into ``out`` as ``make book`` does; seconds taken."""
    env = {k: v for k, v in os.environ.items() if k != STATIC_ENV}
    start = time.perf_counter()
    proc = subprocess.run(
        [
            str(Path(sys.executable).with_name("jupyter-book")),
            "build",
            str(ROOT),
            "-W",
            "--keep-going",
            "--path-output",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
    )
    if proc.returncode:
        raise RuntimeError((proc.stdout + proc.stderr)[-1500:])
    return time.perf_counter() - start


def _fresh_build() -> Path:
    out = Path(tempfile.mkdtemp(prefix="sepsislab-bench-"))
    atexit.register(shutil.rmtree, out, True)
    return out


def measure_build_clean(args) -> object:
    """A clean build (empty output folder, so every page is executed) on this machine."""
    if not (ROOT / "_config.yml").exists():
        return {"skipped": f"no book next to the package ({ROOT})"}
    out, stamp = _fresh_build(), package_stamp()
    try:
        seconds = _build_book(out)
    except RuntimeError as err:
        return {"failed": str(err)}
    _BOOK.update(out=out, package=stamp)
    return round(seconds, 1)


def measure_build_cached(args) -> object:
    """Rebuild after touching one chapter page (its mtime, not its text: cached execution)."""
    if not (ROOT / "_config.yml").exists():
        return {"skipped": f"no book next to the package ({ROOT})"}
    pages = [ROOT / f"{f}.md" for f in toc_pages(ROOT)]
    page = next((p for p in pages if p.exists() and "{code-cell}" in p.read_text()), None)
    if page is None:
        return {"skipped": "no chapter page with code in _toc.yml"}
    try:
        for _ in range(3):
            # A change to sepsislab/ re-executes every page: warm up (untimed) after one, and
            # retry when someone edits the package while we measure.
            stamp = package_stamp()
            if _BOOK.get("package") != stamp:
                _BOOK.setdefault("out", _fresh_build())
                _build_book(_BOOK["out"])
                _BOOK["package"] = stamp
                if package_stamp() != stamp:
                    continue
            os.utime(page)
            seconds = _build_book(_BOOK["out"])
            if package_stamp() == stamp:
                return round(seconds, 1)
    except RuntimeError as err:
        return {"failed": str(err)}
    return {"failed": "sepsislab/ kept changing during the measurement: run it on a quiet checkout"}


def _html() -> Path | None:
    """The HTML of this run's build, else of ``make book`` (``_build/html``)."""
    for html in ([_BOOK["out"] / "_build" / "html"] if "out" in _BOOK else []) + [ROOT / "_build" / "html"]:
        if (html / "index.html").exists():
            return html
    return None


def _pages(html: Path) -> list[Path]:
    """Every page of the site but the root index.html, which only redirects to the first one."""
    return sorted(
        p
        for p in html.rglob("*.html")
        if p != html / "index.html" and not {"_static", "_sources", "_images"} & set(p.relative_to(html).parts)
    )


#: Why a measurement of the built site cannot run: no build yet.
_NO_BOOK = {"skipped": "no built book: run make book (or do not skip build_clean_s)"}


def _browser_missing() -> dict | None:
    """Why chromium cannot be driven (playwright or the browser missing), or None when it can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return {"skipped": "playwright is not installed (pip install -r requirements-test.txt)"}
    if not Path(CHROMIUM).exists():
        return {"skipped": f"{CHROMIUM} is missing (bash scripts/ensure-chromium.sh)"}
    return None


@contextmanager
def _chromium():
    """Headless chromium as the tests drive it (the system executable, no download)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def measure_largest_page_kb(args) -> object:
    html = _html()
    if html is None:
        return _NO_BOOK
    return round(max(p.stat().st_size for p in _pages(html)) / 1000, 1)


def measure_site_mb(args) -> object:
    html = _html()
    if html is None:
        return _NO_BOOK
    return round(sum(p.stat().st_size for p in html.rglob("*") if p.is_file()) / 1e6, 2)


#: Files a web server sends compressed (gzip); fonts and images are compressed already.
_COMPRESSED = (".html", ".js", ".css", ".svg", ".json", ".txt", ".map")
_VISITS: dict = {}


def _first_visits() -> dict:
    """Bytes a first visit loads (page, scripts, styles, fonts) for every page, measured once.

    Chromium opens each page from disk, offline, and every file it requests is counted once:
    ``raw`` at its size on disk, ``gzip`` as a static host (GitHub Pages, nginx) sends it.
    """
    if _VISITS:
        return _VISITS
    html = _html()
    if html is None:
        return _NO_BOOK
    if missing := _browser_missing():
        return missing
    import gzip

    with _chromium() as browser:
        for page_path in _pages(html):
            page, urls = browser.new_page(), set()
            page.on("request", lambda r, urls=urls: urls.add(r.url.split("?")[0].split("#")[0]))
            page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
            page.goto(page_path.as_uri(), wait_until="load")
            page.evaluate(
                "async () => { if (window.MathJax && MathJax.startup && MathJax.startup.promise)"
                " await MathJax.startup.promise; }"
            )
            page.wait_for_load_state("networkidle")
            page.close()
            files = [f for f in (Path(unquote(urlparse(u).path)) for u in urls if u.startswith("file:")) if f.is_file()]
            _VISITS[str(page_path.relative_to(html))] = {
                "raw": sum(f.stat().st_size for f in files),
                "gzip": sum(
                    len(gzip.compress(f.read_bytes(), 6)) if f.suffix in _COMPRESSED else f.stat().st_size
                    for f in files
                ),
            }
    return _VISITS


def _heaviest(kind: str) -> object:
    visits = _first_visits()
    if "skipped" in visits:
        return visits
    return round(max(v[kind] for v in visits.values()) / 1e6, 2)


def measure_first_visit_mb_max(args) -> object:
    """Transfer of the heaviest page's first visit, compressed as a web server sends it (budgeted)."""
    return _heaviest("gzip")


def measure_first_visit_raw_mb_max(args) -> object:
    """The same visit uncompressed: what is read from disk, or sent by a server without gzip."""
    return _heaviest("raw")


# -- first paint on a slow device ---------------------------------------------------------------

#: CPU slow-down of a mid-range phone against this machine (Chrome DevTools' "4x slowdown").
CPU_SLOWDOWN = 4.0
TARGETS.update(first_paint_4x_s_max=1.5)

#: Milliseconds from navigation to the first contentful paint (waits for it when still to come).
FIRST_PAINT_JS = """() => new Promise(resolve => {
  const seen = performance.getEntriesByName('first-contentful-paint');
  if (seen.length) return resolve(seen[0].startTime);
  new PerformanceObserver(list => resolve(list.getEntries()[0].startTime))
    .observe({type: 'paint', buffered: true});
})"""


def throttled_first_paint(browser, url: str, rate: float = CPU_SLOWDOWN) -> dict:
    """Open ``url`` offline with the CPU slowed ``rate`` times (CDP ``Emulation.setCPUThrottlingRate``).

    Returns
    -------
    dict
        ``first_paint_s``: seconds to the first contentful paint; ``before_paint``: file names
        of the resources whose download started before it; ``blocking``: those that held
        rendering (Chromium's ``renderBlockingStatus``).
    """
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": rate})
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:")) else r.abort())
        page.goto(url, wait_until="load")
        paint = page.evaluate(FIRST_PAINT_JS)
        resources = page.evaluate(
            """fcp => performance.getEntriesByType('resource')
            .filter(r => r.startTime < fcp)
            .map(r => ({name: r.name.split('?')[0].split('/').pop(), blocking: r.renderBlockingStatus}))""",
            paint,
        )
    finally:
        context.close()
    return {
        "first_paint_s": round(paint / 1000, 3),
        "before_paint": [r["name"] for r in resources],
        "blocking": [r["name"] for r in resources if r["blocking"] == "blocking"],
    }


_PAINTS: dict = {}


#: Visits per page; the page's first paint is their median (one visit is at the mercy of other load).
PAINT_VISITS = 3


def measure_first_paint_4x_s_max(args) -> object:
    """Slowest first contentful paint over every page, CPU slowed 4×, opened from disk offline
    (per page, the median of :data:`PAINT_VISITS` visits)."""
    if not _PAINTS:
        html = _html()
        if html is None:
            return _NO_BOOK
        if missing := _browser_missing():
            return missing
        with _chromium() as browser:
            for page_path in _pages(html):
                paints = [
                    throttled_first_paint(browser, page_path.as_uri())["first_paint_s"] for _ in range(PAINT_VISITS)
                ]
                _PAINTS[str(page_path.relative_to(html))] = float(np.median(paints))
    return max(_PAINTS.values())


EXTRA["first_paint_4x_s_max"] = measure_first_paint_4x_s_max


def measure_patient_72h(args) -> object:
    """Median seconds for 72 simulated hours of the virtual patient under a full treatment plan."""
    import time

    from . import patient

    plan = dict(
        hours=72,
        antibiotic_hour=1,
        source_control_hour=6,
        fluid_boluses_ml=[(0, 1000), (1, 1100)],
        norepinephrine_ug_kg_min="titrate",
        severity="moderate",
    )
    patient.simulate(**plan)  # the untreated prodrome is computed once per severity and cached
    times = []
    for _ in range(5):
        start = time.perf_counter()
        patient.simulate(**plan)
        times.append(time.perf_counter() - start)
    return round(sorted(times)[2], 3)


TARGETS.update(patient_72h_s=1.0)
EXTRA["patient_72h_s"] = measure_patient_72h


def measure_cohort_1000(args) -> object:
    """Seconds for one arm of a virtual trial: 1,000 patients × 336 h (14 days) under the bundle, locally."""
    import time

    from . import cohort

    start = time.perf_counter()
    cohort.run({"bundle": {**cohort.STANDARD_CARE, "antibiotic_hour": 1}}, n=1000, seed=0, hours=336)
    return round(time.perf_counter() - start, 2)


TARGETS.update(cohort_1000_s=10.0)
EXTRA["cohort_1000_s"] = measure_cohort_1000

EXTRA.update(
    build_clean_s=measure_build_clean,
    build_cached_s=measure_build_cached,
    largest_page_kb=measure_largest_page_kb,
    site_mb=measure_site_mb,
    first_visit_mb_max=measure_first_visit_mb_max,
    first_visit_raw_mb_max=measure_first_visit_raw_mb_max,
)


def measure_grading(args) -> object:
    """Notebooks per minute graded by ``sepsislab-grade`` (100 generated submissions, all cores)."""
    from .grading.bench import measure

    return measure(100)


EXTRA["grading_notebooks_per_min"] = measure_grading


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
    slow += [k for k, limit in TARGETS.items() if isinstance(result.get(k), (int, float)) and result[k] > limit]
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
