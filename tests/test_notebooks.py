"""Every chapter page runs top to bottom as a notebook in a live kernel, through nbval.

The MyST pages are converted with jupytext and executed by ``pytest --nbval-lax``
in a fresh kernel without ``sepsislab.interactive.STATIC_ENV``: the Binder / JupyterLab experience,
with live widgets. On pages that show figures, a last cell added by the test moves
every slider of every widget the page displayed the way the browser does (the
front end sends the new value, ipywidgets applies it with ``set_state``) and
asserts, inside the kernel, that the figure's data changed and that the kernel
sent that change to the front end. One kernel run per page checks both.
"""

import os
import re
import subprocess
import sys

import jupytext
import nbformat
import pytest
from conftest import ROOT

from sepsislab.interactive import STATIC_ENV

PAGES = sorted(p for p in (ROOT / "book").rglob("*.md") if "_build" not in p.parts and "{code-cell}" in p.read_text())

#: Appended to pages that show figures: drive every displayed live widget and check it responded.
DRIVE = r"""
import json as _json
from sepsislab.interactive import DATA_KEYS as _KEYS, displayed_widgets as _displayed

def _data(figure):
    return _json.dumps([[getattr(t, k, None) for k in _KEYS] for t in figure.data], default=str)

_report = []
for _box in _displayed():
    _messages = []
    _box.figure.observe(lambda change: change["new"] is not None and _messages.append(change["name"]),
                        names=["_py2js_update", "_py2js_restyle"])
    for _slider in _box.explorer.sliders:
        _control = _box.controls[_slider.name]
        _before, _sent = _data(_box.figure), len(_messages)
        _target = _slider.low if abs(_control.value - _slider.high) < 1e-9 * max(1, abs(_slider.high)) \
            else _slider.high
        if hasattr(_control, "options"):   # precomputed explorer: the browser sends the grid index
            _index = 0 if _control.index else len(_control.options) - 1
            _target = _control.options[_index][1]
            _control.set_state({"index": _index})
        else:
            _control.set_state({"value": _target})   # what a slider move in the browser does
        _report.append({"key": _box.explorer.key, "model_id": _box.model_id, "slider": _slider.name,
                        "value": _control.value, "target": _target,
                        "changed": _data(_box.figure) != _before,
                        "sent_to_browser": len(_messages) > _sent})
assert _report, "the page displayed no live widget (does it call .show() on an explorer?)"
for _r in _report:
    _where = f"{_r['key']}: slider {_r['slider']}"
    assert abs(_r["value"] - _r["target"]) <= 1e-6 * max(1.0, abs(_r["target"])), f"{_where} refused {_r['target']}"
    assert _r["changed"], f"{_where} moved but the figure's data did not change"
    assert _r["sent_to_browser"], f"{_where}: the kernel sent no update to the browser"
"""


def shows_figures(page) -> bool:
    return re.search(r"\.(show|widget)\(", page.read_text()) is not None


@pytest.mark.notebooks
@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT / "book")))
def test_page_runs_as_a_notebook_and_its_widgets_respond(page, tmp_path):
    notebook = jupytext.read(page)
    if shows_figures(page):
        notebook.cells.append(nbformat.v4.new_code_cell(DRIVE))
    path = tmp_path / (page.stem + ".ipynb")
    jupytext.write(notebook, path)
    env = {k: v for k, v in os.environ.items() if k != STATIC_ENV}  # live widgets, as on Binder
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--nbval-lax",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:xdist",
            "--nbval-current-env",
            str(path),
        ],
        cwd=page.parent,
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
