"""The HTML book as it is published: builds clean, stays small, loads nothing from the internet."""

import re
import subprocess
import sys
from html import unescape

import numpy as np
import pytest
from conftest import ROOT, book_pages, toc_docnames

pytestmark = [pytest.mark.build, pytest.mark.xdist_group("book")]

EXTERNAL_ASSET = re.compile(r'<(?:script|link)\b[^>]*\b(?:src|href)="(?:https?:)?//[^"]+"[^>]*>', re.I)


def test_book_builds_with_zero_warnings(built_book):
    assert built_book.returncode == 0, built_book.log[-4000:]
    # Sphinx reports "path:line: WARNING: message" (a space after the colon). Kernels' own log lines
    # ("WARNING |") and the Jupyter client's Python logging ("ERROR:tornado.general:..." when a kernel's
    # socket closes at shutdown on a loaded machine) are not build warnings; -W already fails on real ones.
    warnings = [line for line in built_book.log.splitlines() if re.search(r"\b(WARNING|ERROR|CRITICAL): ", line)]
    assert warnings == []


def test_every_page_of_the_toc_is_built(built_book):
    missing = [f for f in toc_docnames() if not (built_book.html / f"{f}.html").exists()]
    assert missing == []


def test_no_page_is_over_one_megabyte(built_book):
    sizes = {p.name: p.stat().st_size for p in book_pages(built_book.html)}
    assert sizes and max(sizes.values()) <= 1_000_000, sorted(sizes.items(), key=lambda kv: -kv[1])[:3]


def test_no_page_loads_a_script_or_stylesheet_from_the_internet(built_book):
    offenders = {p.name: EXTERNAL_ASSET.findall(p.read_text()) for p in built_book.html.rglob("*.html")}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_plotly_and_mathjax_are_served_once_from_static(built_book):
    sentry = (built_book.html / "book/ch1/sentry.html").read_text()
    # plotly.js is fetched by the explorer script when a figure nears the screen (no <script> tag)
    assert re.search(r'data-plotly="plotly-cartesian\.min\.js"[^>]*src="[./]*_static/sepsislab-explorer\.js', sentry)
    assert "plotly-cartesian.min.js?" not in sentry
    assert "_static/mathjax/startup.js" in sentry
    intro = (built_book.html / "book/intro.html").read_text()
    assert "_static/mathjax" not in intro and "sepsislab-explorer.js" not in intro  # no math, no figure
    assert (built_book.html / "_static/plotly-cartesian.min.js").stat().st_size > 1_000_000
    for page in book_pages(built_book.html):
        assert "plotly.js v" not in page.read_text(), f"plotly.js inlined into {page.name}"


def test_figures_are_static_not_widgets(built_book):
    sentry = (built_book.html / "book/ch1/sentry.html").read_text()
    assert sentry.count('<figure class="sepsislab-explorer"') == 2
    assert "application/vnd.jupyter.widget-state+json" not in sentry


def test_glossary_terms_are_linked_from_pages(built_book):
    sentry = (built_book.html / "book/ch1/sentry.html").read_text()
    assert re.search(r'href="\.\./glossary\.html#term-PAMP"', sentry)


def test_citations_resolve_to_the_bibliography(built_book):
    sentry = (built_book.html / "book/ch1/sentry.html").read_text()
    assert "Reynolds" in sentry and "bibliography.html#id" in sentry


# -- the book on paper: `make pdf` ----------------------------------------------------------------


@pytest.fixture(scope="module")
def book_pdf(book_html, tmp_path_factory):
    """The PDF that ``make pdf`` prints from this build (into a temporary folder)."""
    pypdf = pytest.importorskip("pypdf")
    out = tmp_path_factory.mktemp("pdf") / "book.pdf"
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "book_pdf.py"), "--html", str(book_html), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    return pypdf.PdfReader(out)


def _titles(html):
    """Each toc page's title as the HTML shows it (section number included), in reading order."""
    titles = []
    for doc in toc_docnames():
        article = (html / f"{doc}.html").read_text().split('<article class="bd-article"', 1)[-1]
        h1 = re.search(r"<h1[^>]*>(.*?)</h1>", article, re.S).group(1)
        titles.append(re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>|#", "", h1))).strip())
    return titles


def _squash(text: str) -> str:
    """Text without spaces, line breaks or ligatures, to compare PDF text with HTML text."""
    return re.sub(r"\s+", "", text.replace("ﬁ", "fi").replace("ﬂ", "fl").replace("ﬀ", "ff"))


def test_book_pdf_holds_every_chapter_in_order_after_its_contents(book_pdf, book_html):
    titles = _titles(book_html)
    assert any(re.match(r"\d+\.\d+\. ", t) for t in titles), "sections are not numbered"
    text = [_squash(page.extract_text()) for page in book_pdf.pages]
    contents = "".join(text[:3])
    assert "Contents" in contents and all(_squash(t) in contents for t in titles), "table of contents"
    body = "".join(text)
    start = contents.index(_squash(titles[-1])) + 1  # after the contents: the pages themselves
    positions = []
    for title in titles:
        found = body.find(_squash(title), start if not positions else positions[-1] + 1)
        assert found >= 0, f"{title!r} is not in the PDF after the contents"
        positions.append(found)
    outline = [item.title for item in book_pdf.outline if not isinstance(item, list)]
    assert outline, "no PDF outline (bookmarks)"


def test_book_pdf_draws_every_explorer_as_one_sharp_image(book_pdf, book_html):
    explorers = sum(p.read_text().count('<figure class="sepsislab-explorer"') for p in book_pages(book_html))
    images = [image for page in book_pdf.pages for image in page.images]
    assert len(images) == explorers
    for image in images:
        pixels = np.asarray(image.image.convert("L"), dtype=float)
        assert pixels.shape[1] >= 1200, f"{image.name}: {pixels.shape[1]} px wide (not high resolution)"
        # A drawn figure has dark ink (axes, lines, text) on a light ground; a blank one has none.
        assert (pixels < 128).mean() > 0.005 and pixels.std() > 10, f"{image.name} is blank"


def test_book_pdf_typesets_equations_and_keeps_citations_and_references(book_pdf):
    text = "".join(page.extract_text() for page in book_pdf.pages)
    assert not re.search(r"\\(frac|left|mathrm)|\$\$|\\\[", text), "raw TeX in the PDF"
    math_fonts = {
        str(font.get_object().get("/Subtype"))
        for page in book_pdf.pages
        for font in ((page.get("/Resources") or {}).get("/Font") or {}).values()
    }
    assert "/Type3" in math_fonts, "no MathJax glyphs: equations were not typeset"
    assert "Reynolds" in text and "References" in text
    assert re.search(r"\[[A-Z][A-Za-z]+(?: et al\.)?, \d{4}\]", text), "no author-year citation"
