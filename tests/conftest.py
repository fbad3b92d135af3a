"""Shared fixtures: the repository root, and one build of the book per test session.

Tests that need the built book share the xdist group "book" (``make test`` runs
``--dist loadgroup``), so the book is built once, on one worker. They ask for
``book_html``: set ``SEPSISLAB_BOOK_HTML=/path/to/_build/html`` to test a book you
have already built instead (handy while writing tests; ``make test`` never sets it).
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings

from sepsislab.interactive import STATIC_ENV
from sepsislab.registry import toc_pages

# The suite must give the same verdict on every machine and every run: property tests draw the
# same examples each time (``derandomize``) and keep no example database between runs. To hunt
# for new counter-examples, run with HYPOTHESIS_PROFILE=explore.
settings.register_profile("repeatable", derandomize=True, database=None)
settings.register_profile("explore", max_examples=500)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


@dataclass
class BuiltBook:
    returncode: int
    log: str
    html: Path


@pytest.fixture(scope="session")
def built_book() -> BuiltBook:
    """Build the book with warnings as errors (cached execution) and return the log.

    Built once per test run: the first xdist worker to ask builds under a file lock,
    the others wait and reuse that build (browser tests are spread over workers by page).
    """
    build = ROOT / "_build"
    build.mkdir(exist_ok=True)
    run_id = os.environ.get("PYTEST_XDIST_TESTRUNUID", f"single-{os.getpid()}")
    log_file, stamp = build / "test-build.log", build / "test-build.run"
    with open(build / ".test-build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = stamp.read_text().split() if stamp.exists() else []
        if done[:1] == [run_id]:
            returncode, log = int(done[1]), log_file.read_text()
        else:
            env = {k: v for k, v in os.environ.items() if k != STATIC_ENV}
            proc = subprocess.run(
                [str(BIN / "jupyter-book"), "build", str(ROOT), "-W", "--keep-going"],
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=1200,
                env=env,
            )
            returncode, log = proc.returncode, proc.stdout + proc.stderr
            log_file.write_text(log)
            stamp.write_text(f"{run_id} {returncode}")
            shutil.rmtree(build / "screenshots", ignore_errors=True)  # no stale pictures of removed pages
    return BuiltBook(returncode, log, build / "html")


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the xdist_group marks added here
def pytest_collection_modifyitems(items):
    """Browser checks of one page share a worker (one visit per page); pages spread over workers.

    The build's own tests go first, so one worker builds the book while the other runs the
    unit, notebook and grading tests; the browser tests, which need the build, go last.
    """

    def order(item):
        return 0 if item.get_closest_marker("build") else 2 if item.get_closest_marker("browser") else 1

    items.sort(key=order)
    for item in items:
        name = getattr(getattr(item, "callspec", None), "params", {}).get("name")
        if name and item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.xdist_group(f"page:{name}"))


@pytest.hookimpl(trylast=True)
def pytest_collection_finish(session):
    """Stop early when ``--dist loadgroup`` does not group: the book, the class and the JupyterLab
    server would silently be made once per worker (pytest 9.2 with pytest-xdist 3.8, pytest-xdist#1386)."""
    if not getattr(session.config.option, "loadgroup", False):  # set on xdist workers only
        return
    split = [i.nodeid for i in session.items if i.get_closest_marker("xdist_group") and "@" not in i.nodeid]
    if split:
        raise pytest.UsageError(
            f"--dist loadgroup ignores the xdist_group of {len(split)} tests (e.g. {split[0]}): "
            "install the pinned test tools, pip install -r requirements-test.txt"
        )


def book_pages(html: Path) -> list[Path]:
    """Every content page of the built book (not Sphinx's generated index pages)."""
    skip = {"genindex.html", "search.html", "index.html"}
    return sorted(p for p in html.rglob("*.html") if p.name not in skip and "_static" not in p.parts)


@pytest.fixture(scope="session")
def book_html(request) -> Path:
    """The built book's HTML folder: ``$SEPSISLAB_BOOK_HTML`` if set, else this session's build."""
    given = os.environ.get("SEPSISLAB_BOOK_HTML")
    if given:
        return Path(given).resolve()
    return request.getfixturevalue("built_book").html


def toc_docnames() -> list[str]:
    """Every page of ``_toc.yml`` (root first, then in reading order), e.g. ``book/ch1/sentry``."""
    return toc_pages(ROOT)


def page_source(docname: str) -> Path | None:
    """The source file of a page of the toc (``.md`` or ``.ipynb``)."""
    for suffix in (".md", ".ipynb"):
        if (ROOT / f"{docname}{suffix}").exists():
            return ROOT / f"{docname}{suffix}"
    return None
