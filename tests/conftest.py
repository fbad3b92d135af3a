"""Shared fixtures: the repository root, and one build of the book per test session.

Tests that need the built book share the xdist group "book" (``make test`` runs
``--dist loadgroup``), so the book is built once, on one worker.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


@dataclass
class BuiltBook:
    returncode: int
    log: str
    html: Path


@pytest.fixture(scope="session")
def built_book() -> BuiltBook:
    """Build the book with warnings as errors (cached execution) and return the log."""
    env = {k: v for k, v in os.environ.items() if k != "SEPSISLAB_STATIC"}
    proc = subprocess.run([str(BIN / "jupyter-book"), "build", str(ROOT), "-W", "--keep-going"],
                          cwd=ROOT, capture_output=True, text=True, timeout=1200, env=env)
    return BuiltBook(proc.returncode, proc.stdout + proc.stderr, ROOT / "_build" / "html")


def book_pages(html: Path) -> list[Path]:
    """Every content page of the built book (not Sphinx's generated index pages)."""
    skip = {"genindex.html", "search.html", "index.html"}
    return sorted(p for p in html.rglob("*.html") if p.name not in skip and "_static" not in p.parts)
