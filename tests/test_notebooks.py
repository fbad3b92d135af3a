"""Every chapter page runs top to bottom as a notebook in a live kernel, through nbval.

The MyST pages are converted with jupytext and executed by ``pytest --nbval-lax``
in a fresh kernel without ``sepsislab.interactive.STATIC_ENV``: the Binder / JupyterLab experience,
with live widgets. On pages that show figures, a last cell added by the test moves
every slider of every widget the page displayed the way the browser does (the
front end sends the new value, ipywidgets applies it with ``set_state``) and
asserts, inside the kernel, that the figure's data changed and that the kernel
sent that change to the front end. One kernel run per page checks both.

The same run checks the numbers of the prose as JupyterLab shows them: jupyterlab-myst, when
*Run All* reaches a markdown cell, sends each inline expression (``{eval}`f"{p_star:.2f}"```)
to the kernel as a ``user_expressions`` request and shows the text it gets back. After every
markdown cell that has such expressions, the test inserts a cell making that same request at
that point of the run: a number computed only further down the page, or one that is not a
string or a number, fails with the page and the expression.
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


#: An inline expression in a markdown cell, as jupyterlab-myst finds it (the role ``{eval}``).
INLINE_EXPRESSION = re.compile(r"\{eval\}`([^`]+)`")

#: Inserted after a markdown cell with inline expressions: what jupyterlab-myst asks the kernel there.
ASK_LIKE_JUPYTERLAB_MYST = r"""
import ast as _ast
_page, _expressions = {page!r}, {expressions!r}
_replies = get_ipython().user_expressions(dict(enumerate(_expressions)))
for _index, _expression in enumerate(_expressions):
    _reply = _replies[_index]
    assert _reply["status"] == "ok", (
        f"{{_page}}: inline expression {{_expression}} fails where JupyterLab evaluates it "
        f"(Run All, top to bottom): {{_reply.get('ename')}}: {{_reply.get('evalue')}}"
    )
    _shown = _reply["data"].get("text/plain", "")
    try:
        _value = _ast.literal_eval(_shown)
    except (SyntaxError, ValueError):
        _value = None
    assert isinstance(_value, (str, int, float)) and not isinstance(_value, bool), (
        f"{{_page}}: inline expression {{_expression}} shows {{_shown!r}}, not a string or a number"
    )
"""


def with_inline_checks(notebook, page: str):
    """The notebook with, after each markdown cell holding inline expressions, a cell that asks
    the kernel for them as jupyterlab-myst does (no extra execution: one request per cell)."""
    cells = []
    for cell in notebook.cells:
        cells.append(cell)
        expressions = INLINE_EXPRESSION.findall(cell.source) if cell.cell_type == "markdown" else []
        if expressions:
            cells.append(nbformat.v4.new_code_cell(ASK_LIKE_JUPYTERLAB_MYST.format(page=page, expressions=expressions)))
    notebook.cells = cells
    return notebook


def test_pages_write_model_numbers_as_inline_expressions_that_both_readers_show():
    """No page keeps a glue role (JupyterLab would print it raw); every inline expression has a
    form the book's ``{eval}`` role shows from the glued value (see tests/test_inline_numbers.py)."""
    sys.path.insert(0, str(ROOT / "book" / "_ext"))
    from sepsislab_book import parse_inline_expression

    pages = sorted(p for p in (ROOT / "book").rglob("*.md") if "_build" not in p.parts)
    shown = 0
    for page in pages:
        text = page.read_text()
        where = page.relative_to(ROOT)
        assert not re.search(r"\{glue(:\w+)?\}", text), f'{where}: a glue role; write {{eval}}`f"{{name:.2f}}"`'
        for expression in INLINE_EXPRESSION.findall(text):
            try:
                parse_inline_expression(expression)
            except ValueError as refused:
                pytest.fail(f"{where}: {refused}")
            shown += 1
    assert shown > 300  # the 370 numbers of the prose, give or take a page


def shows_figures(page) -> bool:
    return re.search(r"\.(show|widget)\(", page.read_text()) is not None


@pytest.mark.notebooks
@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT / "book")))
def test_page_runs_as_a_notebook_and_its_widgets_respond(page, tmp_path):
    notebook = with_inline_checks(jupytext.read(page), str(page.relative_to(ROOT / "book")))
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
