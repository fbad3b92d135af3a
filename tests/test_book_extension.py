"""The book's Sphinx extension (``book/_ext/sepsislab_book.py``) on its own, without building the book.

Numbers in the prose: ``{eval}`f"{name:spec}"``` is shown in the HTML from the value the page
glued (the book keeps its execution cache, so no kernel answers while a page is read), and in
JupyterLab by the kernel. The role must accept exactly the forms whose meaning is the same in both
places, and refuse anything else loudly.
"""

import json
import subprocess
import sys

import nbformat
import pytest
from conftest import ROOT

sys.path.insert(0, str(ROOT / "book" / "_ext"))
from sepsislab_book import parse_inline_expression  # noqa: E402


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
