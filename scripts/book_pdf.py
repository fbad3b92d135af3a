"""``make pdf``: the whole book as one PDF, printed offline by the system's chromium.

Every page of ``_toc.yml`` is opened from the built HTML (``make book``), in the light
theme, with its equations typeset and every figure drawn at its default slider values;
each figure becomes a high-resolution PNG (what plotly.js draws, at twice the screen's
resolution). The pages' articles are then gathered, in reading order, into one print
document after a table of contents: links between pages (cross-references, glossary
terms, citations) become links inside the PDF, and the page numbers run through the
book. The book's print styles (``book/_static/sepsislab.css``) drop the navigation and
show each slider as "label: value".

    python scripts/book_pdf.py [--html _build/html] [--out _build/html/septic-shock.pdf]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sepsislab.bench import CHROMIUM, CHROMIUM_ARGS  # noqa: E402  how the project drives chromium
from sepsislab.registry import toc_pages  # noqa: E402

#: Pixels per CSS pixel of the figures' PNGs (2: about 200 dpi across an A4 page).
FIGURE_SCALE = 2

#: Make one page ready for paper and return its article, ids made unique across the book.
PREPARE_JS = """async ({doc, pages, scale}) => {
  const root = document.documentElement;
  root.dataset.mode = 'light'; root.dataset.theme = 'light';
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) await MathJax.startup.promise;
  if (window.sepsislabDrawAll) await window.sepsislabDrawAll();
  const article = document.querySelector('main article.bd-article') || document.querySelector('main');
  for (const fig of article.querySelectorAll('figure.sepsislab-explorer')) {
    const plot = fig.querySelector('.sepsislab-plot');
    const svg = plot.querySelector('svg.main-svg');
    const url = await Plotly.toImage(plot, {format: 'png', scale,
      width: plot._fullLayout.width, height: plot._fullLayout.height});
    const img = document.createElement('img');
    img.src = url; img.className = 'sepsislab-figure-image'; img.style.width = '100%';
    img.alt = (svg && svg.getAttribute('aria-label')) || plot.getAttribute('aria-label') || '';
    await img.decode();
    plot.replaceWith(img);
    fig.querySelectorAll('script[type="application/json"]').forEach(s => s.remove());
  }
  // Ids unique in the whole book; links to other pages point inside the book.
  const prefix = id => doc.replace(/[^A-Za-z0-9]+/g, '-') + '--' + id;
  article.querySelectorAll('[id]').forEach(e => { e.id = prefix(e.id); });
  for (const a of article.querySelectorAll('a[href]')) {
    const url = new URL(a.href, location.href);
    const target = pages[url.protocol === 'file:' ? url.pathname : ''];
    if (url.pathname === location.pathname && url.hash) {
      a.setAttribute('href', '#' + prefix(decodeURIComponent(url.hash.slice(1))));
    } else if (target) {
      a.setAttribute('href', '#' + (url.hash ? target.replace(/[^A-Za-z0-9]+/g, '-') + '--'
                                    + decodeURIComponent(url.hash.slice(1)) : 'page-' + target));
    } else {
      a.setAttribute('href', url.href);
    }
  }
  for (const e of article.querySelectorAll('[src]')) e.setAttribute('src', e.src);
  const h1 = article.querySelector('h1');
  // MathJax's styles (its fonts, and a rule per character drawn), with their URLs made absolute.
  const absolute = css => css.replace(/url\\((['"]?)([^'")]+)\\1\\)/g,
                                     (m, q, u) => 'url("' + new URL(u, location.href).href + '")');
  // (MathJax inserts its rules through the CSS object model: read the sheets, not the text.)
  const styles = Array.from(document.querySelectorAll('style'))
    .map(s => s.sheet ? Array.from(s.sheet.cssRules).map(r => r.cssText).join('\\n') : s.textContent)
    .filter(css => /mjx-|MJX/.test(css)).map(absolute).join('\\n');
  return {html: article.innerHTML, title: h1 ? h1.textContent.replace('#', '').trim() : doc, styles};
}"""

#: Put the gathered book into the shell page.
ASSEMBLE_JS = """async ({toc, sections, styles}) => {
  const style = document.createElement('style');
  style.textContent = styles + `
    .sepsislab-page { break-before: page; }
    /* The theme prints a page's title in its own header and hides the article's first h1:
       in the book every page keeps its numbered title, and the cover is the header. */
    .bd-main .bd-content .bd-article .sepsislab-page h1:first-of-type,
    .bd-main .bd-content .bd-article .sepsislab-cover h1 { display: block !important; }
    #jb-print-docs-body { display: none !important; }
    .sepsislab-toc li { margin: 0.15rem 0; }
    .sepsislab-toc a { text-decoration: none; }
    .sepsislab-toc .chapter { font-weight: 600; margin-top: 0.6rem; }
    a.headerlink { display: none !important; }`;
  document.head.appendChild(style);
  const main = document.querySelector('main article.bd-article') || document.querySelector('main');
  main.innerHTML = toc + sections.join('\\n');
  document.title = document.querySelector('.sepsislab-cover h1').textContent;
  await Promise.all(Array.from(document.images).map(i => i.decode().catch(() => null)));
  await document.fonts.ready;  // MathJax's fonts load when first used
}"""


def _anchor(doc: str) -> str:
    return "page-" + doc


def _toc_html(title: str, entries: list[tuple[str, str]]) -> str:
    items = []
    for doc, heading in entries:
        chapter = doc.endswith("/index") or doc.count("/") <= 1
        cls = ' class="chapter"' if chapter else ""
        items.append(f'<li{cls}><a href="#{_anchor(doc)}">{heading}</a></li>')
    return (
        f'<section class="sepsislab-cover"><h1>{title}</h1>'
        f'<h2>Contents</h2><ul class="sepsislab-toc">{"".join(items)}</ul></section>'
    )


def build_pdf(html: Path, out: Path, *, title: str, only: list[str] | None = None) -> Path:
    """Print the built book in ``html`` to the PDF ``out`` (see the module docstring)."""
    from html import escape

    from playwright.sync_api import sync_playwright

    docs = [d for d in toc_pages(ROOT) if (html / f"{d}.html").exists() and (not only or d in only)]
    missing = [d for d in toc_pages(ROOT) if d not in docs and (not only or d in only)]
    if missing:
        raise SystemExit(f"not built: {missing}; run make book first")
    pages = {str((html / f"{d}.html").resolve()): d for d in docs}
    sections, entries, styles = [], [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 900, "height": 1200}, color_scheme="light")
        context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:")) else r.abort())
        page = context.new_page()
        page.set_default_timeout(60_000)
        for doc in docs:
            page.goto((html / f"{doc}.html").as_uri(), wait_until="load")
            got = page.evaluate(PREPARE_JS, {"doc": doc, "pages": pages, "scale": FIGURE_SCALE})
            sections.append(f'<section class="sepsislab-page" id="{_anchor(doc)}">{got["html"]}</section>')
            entries.append((doc, escape(got["title"])))
            styles.append(got["styles"])
        page.goto((html / f"{docs[0]}.html").as_uri(), wait_until="load")
        page.evaluate(
            ASSEMBLE_JS,
            {
                "toc": _toc_html(escape(title), entries),
                "sections": sections,
                "styles": "\n".join(dict.fromkeys(styles)),
            },
        )
        page.emulate_media(media="print")
        out.parent.mkdir(parents=True, exist_ok=True)
        page.pdf(
            path=str(out),
            format="A4",
            print_background=True,
            outline=True,
            tagged=True,
            margin={"top": "16mm", "bottom": "18mm", "left": "15mm", "right": "15mm"},
            display_header_footer=True,
            header_template="<span></span>",
            footer_template='<div style="font-size:8px;width:100%;text-align:center;color:#555">'
            f'{escape(title)} · <span class="pageNumber"></span>'
            ' / <span class="totalPages"></span></div>',
        )
        browser.close()
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--html", type=Path, default=ROOT / "_build" / "html", help="the built book")
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    ap.add_argument("--out", type=Path, help="the PDF (default: next to index.html, as the book links it)")
    ap.add_argument("--pages", nargs="*", help="only these pages (docnames), for a quick look")
    args = ap.parse_args(argv)
    out = args.out or args.html / config["sphinx"]["config"]["sepsislab_book_pdf"]
    build_pdf(args.html.resolve(), out.resolve(), title=config["title"], only=args.pages)
    print(f"{out} ({out.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
