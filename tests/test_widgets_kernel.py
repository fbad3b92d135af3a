"""The Binder experience, tested rather than assumed: every live widget a page shows works.

Each page of the toc that shows a figure is converted to a notebook (jupytext) and
run top to bottom in a fresh kernel without ``SEPSISLAB_STATIC`` (so
``Explorer.show()`` displays live ipywidgets, as on Binder or in JupyterLab).
A last cell, added by the test, then finds every widget the page displayed
(:func:`sepsislab.interactive.displayed_widgets`) and moves each slider the way
the browser does: the front end sends the new value and ipywidgets applies it
with ``set_state``. The test asserts that the figure's data changed and that the
kernel sent that change to the front end (the FigureWidget's update message).
"""

from __future__ import annotations

import json
import re

import jupytext
import nbformat
import pytest

from conftest import page_source, toc_docnames

nbclient = pytest.importorskip("nbclient")

pytestmark = pytest.mark.notebooks

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"

#: Pages of the toc whose code shows a figure (``.show()`` or ``.widget()``).
PAGES = [name for name in toc_docnames()
         if (src := page_source(name)) and re.search(r"\.(show|widget)\(", src.read_text())]

#: Run in the page's kernel after the page: drive every displayed widget, print a JSON report.
DRIVE = r'''
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
print("SEPSISLAB-REPORT " + _json.dumps(_report))
'''


def _run(page, monkeypatch):
    monkeypatch.delenv("SEPSISLAB_STATIC", raising=False)  # live widgets, as on Binder
    notebook = jupytext.read(page)
    notebook.cells.append(nbformat.v4.new_code_cell(DRIVE))
    client = nbclient.NotebookClient(notebook, timeout=600, kernel_name="python3",
                                     resources={"metadata": {"path": str(page.parent)}})
    client.execute()
    return notebook


@pytest.mark.parametrize("name", PAGES)
def test_every_live_widget_on_the_page_responds_to_its_sliders(name, monkeypatch):
    notebook = _run(page_source(name), monkeypatch)
    text = "".join(o.get("text", "") for o in notebook.cells[-1].outputs if o.output_type == "stream")
    report = json.loads(text.split("SEPSISLAB-REPORT ", 1)[1])
    shown = {o["data"][WIDGET_VIEW]["model_id"]
             for cell in notebook.cells[:-1] if cell.cell_type == "code"
             for o in cell.get("outputs", []) if WIDGET_VIEW in o.get("data", {})}

    assert report, f"{name} displayed no live widget (does it call .show() on an explorer?)"
    driven = {r["model_id"] for r in report}
    assert shown <= driven, f"widgets displayed but not found for driving: {shown - driven}"
    for r in report:
        where = f"{r['key']}: slider {r['slider']}"
        assert abs(r["value"] - r["target"]) <= 1e-6 * max(1.0, abs(r["target"])), f"{where} refused {r['target']}"
        assert r["changed"], f"{where} moved but the figure's data did not change"
        assert r["sent_to_browser"], f"{where}: the kernel sent no update to the browser"
