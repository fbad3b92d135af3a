"""The HTML book as it is published: builds clean, stays small, loads nothing from the internet."""

import re

import pytest
import yaml

from conftest import ROOT, book_pages

pytestmark = [pytest.mark.build, pytest.mark.xdist_group("book")]

EXTERNAL_ASSET = re.compile(r'<(?:script|link)\b[^>]*\b(?:src|href)="(?:https?:)?//[^"]+"[^>]*>', re.I)


def toc_files():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]

    def walk(entries):
        for entry in entries:
            if "file" in entry:
                files.append(entry["file"])
            walk(entry.get("sections", []))
            walk(entry.get("chapters", []))

    walk(toc.get("parts", []))
    return files


def test_book_builds_with_zero_warnings(built_book):
    assert built_book.returncode == 0, built_book.log[-4000:]
    # Sphinx reports "path:line: WARNING: message"; kernels' own log lines ("WARNING |") are not build warnings
    warnings = [line for line in built_book.log.splitlines() if re.search(r"\b(WARNING|ERROR|CRITICAL):", line)]
    assert warnings == []


def test_every_page_of_the_toc_is_built(built_book):
    missing = [f for f in toc_files() if not (built_book.html / f"{f}.html").exists()]
    assert missing == []


def test_no_page_is_over_one_megabyte(built_book):
    sizes = {p.name: p.stat().st_size for p in book_pages(built_book.html)}
    assert sizes and max(sizes.values()) <= 1_000_000, sorted(sizes.items(), key=lambda kv: -kv[1])[:3]


def test_no_page_loads_a_script_or_stylesheet_from_the_internet(built_book):
    offenders = {p.name: EXTERNAL_ASSET.findall(p.read_text()) for p in built_book.html.rglob("*.html")}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_plotly_and_mathjax_are_served_once_from_static(built_book):
    sentry = (built_book.html / "book/ch1/sentry.html").read_text()
    assert "_static/plotly-cartesian.min.js" in sentry
    assert "_static/mathjax/startup.js" in sentry
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
