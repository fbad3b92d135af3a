"""Numbers in the prose, the same for the two readers of a page, without building the book.

A page writes ``{eval}`f"{name:spec}"``` and computes the number above with
``sepsislab.interactive.share(name=value)``. JupyterLab (jupyterlab-myst) asks the kernel for the
expression, so ``share`` must bind the name in the notebook; the HTML book keeps its execution
cache (no kernel answers while a page is read), so ``share`` glues the value and the book's
``{eval}`` role (``book/_ext/sepsislab_book.py``) formats what was glued. The role accepts exactly
the forms whose meaning is the same in both places, and fails the build on anything else.
Every page running top to bottom with these numbers is checked in ``tests/test_notebooks.py``.
"""

import json
import math
import subprocess
import sys

import nbformat
import numpy as np
import pytest
from conftest import ROOT

from sepsislab.interactive import share

sys.path.insert(0, str(ROOT / "book" / "_ext"))
from sepsislab_book import parse_inline_expression  # noqa: E402

SHARE_IN_A_KERNEL = r"""
import json, numpy as np
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output
shell = InteractiveShell.instance()
cell = ("import numpy as np\nfrom sepsislab.interactive import share\n"
        "share(p_star=np.float64(0.97312), n=np.int64(3), fate='survives')")
with capture_output() as captured:
    assert shell.run_cell(cell).success
ns = shell.user_ns
print(json.dumps({
    "bound": {k: [ns[k], type(ns[k]).__name__] for k in ("p_star", "n", "fate")},
    "glued": [[o.metadata["scrapbook"]["name"], o.data] for o in captured.outputs],
    "shown": shell.user_expressions({"0": 'f"{p_star:.2f}"'})["0"]["data"]["text/plain"],
}))
"""


def test_share_binds_each_number_in_the_kernel_and_glues_it_for_the_book():
    proc = subprocess.run([sys.executable, "-c", SHARE_IN_A_KERNEL], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    got = json.loads(proc.stdout.strip().splitlines()[-1])
    # numpy scalars become the plain numbers they hold, so the book and the kernel format one value
    assert got["bound"]["p_star"][1] == "float" and math.isclose(got["bound"]["p_star"][0], 0.97312, rel_tol=1e-12)
    assert got["bound"]["n"] == [3, "int"] and got["bound"]["fate"] == ["survives", "str"]
    prefix = "application/papermill.record/"  # glue(..., display=False): stored, not shown
    assert got["glued"] == [
        ["p_star", {prefix + "text/plain": "0.97312"}],
        ["n", {prefix + "text/plain": "3"}],
        ["fate", {prefix + "text/plain": "'survives'"}],
    ]
    assert got["shown"] == "'0.97'"  # what jupyterlab-myst receives (it drops the quotes)


def test_share_outside_a_kernel_binds_in_the_callers_globals():
    namespace = {"share": share, "np": np}  # a page run as a plain script: no IPython shell
    exec("share(p_star=np.float64(0.5), label='x')", namespace)
    assert namespace["p_star"] == pytest.approx(0.5, abs=0) and type(namespace["p_star"]) is float
    assert namespace["label"] == "x"


@pytest.mark.parametrize(
    ("value", "says"),
    [
        (float("nan"), "not finite"),
        (np.float64("inf"), "not finite"),
        (np.array([1.0, 2.0]), "ndarray"),
        ([1, 2], "list"),
        (True, "bool"),
        (None, "NoneType"),
    ],
)
def test_share_refuses_what_a_sentence_cannot_state(value, says):
    with pytest.raises(ValueError, match=says) as refused:
        share(p_star=value)
    assert "share(p_star=" in str(refused.value)


@pytest.mark.parametrize(
    ("expression", "name", "spec"),
    [
        ("p_star", "p_star", ""),
        ('f"{p_star}"', "p_star", ""),
        ("f'{p_star}'", "p_star", ""),
        ('f"{p_star:.2f}"', "p_star", ".2f"),
        ('f"{gain:+.1f}"', "gain", "+.1f"),
        ('f"{left:.0%}"', "left", ".0%"),
        (' f"{p_star:.2f}" ', "p_star", ".2f"),
    ],
)
def test_inline_expression_forms_the_book_can_show(expression, name, spec):
    assert parse_inline_expression(expression) == (name, spec)


@pytest.mark.parametrize(
    ("expression", "reason"),
    [
        ('f"{p_star!r}"', "conversion"),
        ('f"{p_star:.{digits}f}"', "literal"),
        ('f"{p_star:.2f} cells/cc"', "one field"),
        ('f"{p_star}{p_high}"', "one field"),
        ('f"{p_star=}"', "one field"),
        ('f"{sentry.P_STAR:.2f}"', "name only"),
        ('f"{p_star * 100:.0f}"', "name only"),
        ("p_star * 100", "one field"),
        ("round(p_star, 2)", "one field"),
        ('__import__("os").getcwd()', "one field"),
        ('"0.97"', "one field"),
        ("f'{p_star", "not a Python expression"),
        ("", "not a Python expression"),
    ],
)
def test_other_inline_expressions_are_refused_with_the_form_to_use(expression, reason):
    with pytest.raises(ValueError, match=reason) as refused:
        parse_inline_expression(expression)
    assert 'f"{name:.2f}"' in str(refused.value)


def _glued(name: str, text_plain: str) -> dict:
    """The output cell of ``glue(name, value, display=False)`` as myst-nb stores it."""
    return nbformat.v4.new_output(
        "display_data",
        data={"application/papermill.record/text/plain": text_plain},
        metadata={"scrapbook": {"name": name, "mime_prefix": "application/papermill.record/"}},
    )


def _build(tmp_path, markdown: str):
    """Sphinx over one notebook that glued ``p_star`` (0.97312) and ``fate`` ('survives'),
    with stored outputs (no kernel, as with the book's execution cache): (exit code, log, HTML)."""
    src = tmp_path / "src"
    src.mkdir()
    code = nbformat.v4.new_code_cell("share(p_star=0.97312, fate='survives')")
    code.outputs = [_glued("p_star", "0.97312"), _glued("fate", "'survives'")]
    notebook = nbformat.v4.new_notebook(cells=[code, nbformat.v4.new_markdown_cell(markdown)])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, src / "index.ipynb")
    (src / "conf.py").write_text(
        f"import sys\nsys.path.insert(0, {json.dumps(str(ROOT / 'book' / '_ext'))})\n"
        "extensions = ['sepsislab_book']\n"  # loads myst_nb itself, first
        "nb_execution_mode = 'off'\nsepsislab_book_pdf = ''\nhtml_theme = 'basic'\n"
    )
    out = tmp_path / "html"
    proc = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-W", "--keep-going", str(src), str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    html = (out / "index.html").read_text() if (out / "index.html").exists() else ""
    return proc.returncode, proc.stdout + proc.stderr, html


def test_the_book_shows_a_glued_number_formatted_as_glue_text_would(tmp_path):
    code, log, html = _build(tmp_path, 'Threshold {eval}`f"{p_star:.2f}"`, exactly {eval}`p_star`; {eval}`f"{fate}"`.')
    assert code == 0, log
    assert '<span class="pasted-text">0.97</span>' in html
    assert '<span class="pasted-text">0.97312</span>' in html
    assert '<span class="pasted-text">survives</span>' in html  # a string without its quotes


@pytest.mark.parametrize(
    ("markdown", "says"),
    [
        ('{eval}`f"{p_star * 100:.0f}"`', "the field must hold a name only"),
        ('{eval}`f"{p_unknown:.2f}"`', "No key 'p_unknown' found in glue data"),
        ('{eval}`f"{fate:.2f}"`', "could not convert string to float"),
    ],
)
def test_an_inline_expression_the_book_cannot_show_fails_the_build_with_its_location(tmp_path, markdown, says):
    code, log, html = _build(tmp_path, f"Some prose,\nthen {markdown}.")
    assert code != 0
    assert says in log and "index.ipynb" in log and "inline expression {eval}" in log
    assert "pasted-text" not in html
