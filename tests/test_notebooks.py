"""Every chapter page runs top to bottom as a notebook in a live kernel, through nbval.

The MyST pages are converted with jupytext, then executed by ``pytest --nbval-lax``
in a fresh kernel without ``SEPSISLAB_STATIC``: that is the Binder / JupyterLab
experience, with live widgets.
"""

import os
import subprocess
import sys

import jupytext
import pytest

from conftest import ROOT

PAGES = sorted(p for p in (ROOT / "book").rglob("*.md")
               if "_build" not in p.parts and "{code-cell}" in p.read_text())


@pytest.mark.notebooks
@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT / "book")))
def test_page_runs_as_a_notebook(page, tmp_path):
    notebook = tmp_path / (page.stem + ".ipynb")
    jupytext.write(jupytext.read(page), notebook)
    env = {k: v for k, v in os.environ.items() if k != "SEPSISLAB_STATIC"}
    proc = subprocess.run([sys.executable, "-m", "pytest", "--nbval-lax", "-q", "-p", "no:cacheprovider",
                           "-p", "no:xdist", "--nbval-current-env", str(notebook)],
                          cwd=page.parent, capture_output=True, text=True, timeout=600, env=env)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
