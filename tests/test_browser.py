"""The book as readers meet it: every page of the built book in a real browser, offline.

Chromium (Debian's, driven by Playwright) opens each page from disk with every
request that is not a local file aborted. The pages come from ``_toc.yml`` plus
Sphinx's own search and index pages, so the suite grows with the book; a test
checks that no built page escapes that list.

Each page is opened once and what a reader would meet is recorded in a
:class:`Visit` (console, requests, what loaded before the reader scrolled, figures
drawn as they come near the screen, sliders moved from the keyboard, equations, an
axe-core audit in light and dark mode — dark as the system's preference switches it —,
print styles, links, buttons, footer, and the page on a 375 px phone, where panels that
stand side by side are stacked, and back on a wide screen); the tests below assert on that
record, one test per page and property. Screenshots (``<page>.png``, ``.dark.png``,
``.print.png``, ``.phone.png``, and ``.<figure id>.phone.png`` for each figure of panels side
by side) are saved under ``_build/screenshots/`` next to the HTML for review. A second,
throttled visit (CPU slowed 4×, as ``python -m sepsislab.bench`` measures first paint)
checks what holds the first paint.

axe-core is vendored in ``tests/vendor/axe-core`` (see its README): tests need no network.
"""

from __future__ import annotations

import json
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
import yaml
from conftest import ROOT, book_pages, page_source, toc_docnames

from sepsislab.bench import CHROMIUM, CHROMIUM_ARGS, throttled_first_paint  # how the project drives chromium
from sepsislab.interactive import themes
from sepsislab.views.common import grid_layout, stacked_layout

playwright = pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.browser]  # grouped by page in conftest.py: one visit per page

AXE = ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js"
BLOCKING_IMPACTS = ("serious", "critical")
SCREEN = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}
BOOK_PDF = yaml.safe_load((ROOT / "_config.yml").read_text())["sphinx"]["config"]["sepsislab_book_pdf"]
A4 = {"width": 794, "height": 1123}

#: Every page readers can reach: the toc, then the pages Sphinx generates.
PAGES = toc_docnames() + ["search", "genindex"]

# -- what the page shows, read in the browser ----------------------------------------------

#: A fingerprint of the data drawn in a figure: every path of every trace (lines, markers,
#: bars, fills, contours), its text, and heatmap images.
DRAWN_JS = """fig => Array.from(fig.querySelectorAll(
    '.sepsislab-plot .cartesianlayer g.trace path, .sepsislab-plot .cartesianlayer g.trace text,'
    + ' .sepsislab-plot .cartesianlayer image'))
  .map(e => e.getAttribute('d') || e.getAttribute('href') || e.textContent || '').join('|')"""

#: The panels of a drawn plot as plotly laid them out (px within the plot), and the width
#: of its plotting area (the plot less its margins); null before it is drawn.
PANELS_JS = """plot => plot && plot._fullLayout && plot._fullLayout._plots ? {
  width: plot._fullLayout._size.w,
  panels: Object.values(plot._fullLayout._plots).map(p => ({
    left: p.xaxis._offset, width: p.xaxis._length, top: p.yaxis._offset, height: p.yaxis._length})),
} : null"""

FIGURES_JS = """() => Array.from(document.querySelectorAll('figure')).map(fig => {
  const plot = fig.querySelector('.sepsislab-plot');
  const labelled = fig.querySelector('[role=img][aria-label]');
  const json = fig.querySelector('script[type="application/json"]');
  const layout = json ? JSON.parse(json.textContent).layout : {};
  // Axis titles asked for in the figure's spec, and those plotly actually drew.
  const titles = Object.entries(layout)
    .filter(([k, v]) => /^[xy]axis[0-9]*$/.test(k) && v && v.title
            && (typeof v.title === 'string' ? v.title : v.title.text))
    .map(([k]) => k.replace('axis', '') + 'title');
  return {
    id: fig.id || '(no id)',
    explorer: fig.classList.contains('sepsislab-explorer'),
    caption: (fig.querySelector('figcaption') || {}).textContent || '',
    alt: labelled ? labelled.getAttribute('aria-label')
         : Array.from(fig.querySelectorAll('img')).map(i => i.alt || '').join(' '),
    drawn: !!plot && !!plot._fullData && plot._fullData.length > 0
           && !!plot.querySelector('svg.main-svg') && (DRAWN_JS)(fig).length > 0,
    sliders: fig.querySelectorAll('input[type=range]').length,
    missingTitles: titles.filter(c => !(plot && plot.querySelector('text.' + c)
                                        && plot.querySelector('text.' + c).textContent.trim())),
    background: getComputedStyle(fig).backgroundColor,
    paper: plot && plot._fullLayout ? plot._fullLayout.paper_bgcolor : null,
    panels: (PANELS_JS)(plot),
  };
})""".replace("DRAWN_JS", DRAWN_JS).replace("PANELS_JS", PANELS_JS)

PAGE_JS = """() => ({
  math: document.querySelectorAll('.math').length,
  mathRendered: Array.from(document.querySelectorAll('.math'))
                .filter(m => m.querySelector('mjx-container')).length,
  mjx: document.querySelectorAll('mjx-container').length,
  links: Array.from(document.querySelectorAll('a[href]')).map(a => a.href),
  codeBlocks: document.querySelectorAll('div.highlight').length,
  copyButtons: document.querySelectorAll('div.highlight button.copybtn').length,
  footer: (document.querySelector('footer.bd-footer-content') || {}).innerText || '',
  binder: Array.from(document.querySelectorAll('.dropdown-launch-buttons a[href*="mybinder.org/v2/"]'))
          .map(a => a.href),
  notebookDownloads: Array.from(document.querySelectorAll('a.btn-download-notebook-button'))
                     .map(a => a.href),
})"""

AXE_JS = """async options => (await axe.run(document, Object.assign({preload: false,
    resultTypes: ['violations']}, options))).violations.map(v => ({
  id: v.id, impact: v.impact, help: v.help,
  nodes: v.nodes.slice(0, 4).map(n => n.target.join(' '))}))"""

#: True once the theme's colour transitions have finished (axe reads colours mid-fade otherwise).
SETTLED_JS = "() => document.getAnimations().every(a => a.playState !== 'running')"

#: Every drawn figure has taken the dark look (its plotly paper is dark).
DARK_DRAWN_JS = """() => Array.from(document.querySelectorAll('figure.sepsislab-drawn'))
  .every(f => f.dataset.look.startsWith('dark'))"""

#: Every drawn figure has taken the narrow layout of a phone.
NARROW_DRAWN_JS = """() => Array.from(document.querySelectorAll('figure.sepsislab-drawn'))
  .every(f => f.dataset.look.endsWith('-narrow'))"""

#: Every drawn figure has left the narrow layout (the window is wide again).
WIDE_DRAWN_JS = """() => Array.from(document.querySelectorAll('figure.sepsislab-drawn'))
  .every(f => !f.dataset.look.endsWith('-narrow'))"""

#: The panels of each figure, by id.
WIDENED_JS = """() => Object.fromEntries(Array.from(document.querySelectorAll('figure.sepsislab-explorer'))
  .map(f => [f.id, (PANELS_JS)(f.querySelector('.sepsislab-plot'))]))""".replace("PANELS_JS", PANELS_JS)

#: Let plotly finish its second pass (margins grown to fit legends and colour bars).
SETTLE_PLOTS_JS = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 200))))"

#: Figures whose plot sticks out of their card (ids).
OVERFLOW_JS = """() => Array.from(document.querySelectorAll('figure.sepsislab-explorer'))
  .filter(f => f.querySelector('.main-svg') && f.querySelector('.main-svg')
          .getBoundingClientRect().right > f.getBoundingClientRect().right + 1).map(f => f.id)"""

#: Before the reader scrolls: was plotly.js fetched, which figures lie far below the first
#: screen (farther than the 600 px the page looks ahead), which are drawn.
AT_LOAD_JS = """() => ({
  plotly: !!window.Plotly || performance.getEntriesByType('resource')
            .some(r => r.name.includes('plotly')),
  mathjax: performance.getEntriesByType('resource').some(r => /mathjax/i.test(r.name)),
  figures: Array.from(document.querySelectorAll('figure.sepsislab-explorer')).map(f => ({
    id: f.id, far: f.getBoundingClientRect().top > innerHeight + 600,
    drawn: !!f.querySelector('.sepsislab-plot svg.main-svg')})),
})"""

#: The first contentful paint, what was fetched before it and what blocked rendering.
PAINT_JS = """() => {
  const paint = performance.getEntriesByName('first-contentful-paint')[0];
  const fcp = paint ? paint.startTime : 0;
  const before = performance.getEntriesByType('resource').filter(r => r.startTime < fcp);
  const name = r => r.name.split('?')[0].split('/').pop();
  return {first_paint_ms: fcp, before_paint: before.map(name),
          blocking: before.filter(r => r.renderBlockingStatus === 'blocking').map(name)};
}"""

#: Scroll to each figure in turn, as a reader does, and wait for it to be drawn.
SCROLL_TO_FIGURES_JS = """async () => {
  for (const f of document.querySelectorAll('figure.sepsislab-explorer')) {
    f.scrollIntoView({block: 'center'});
    const start = performance.now();
    while (!f.querySelector('.sepsislab-plot svg.main-svg') && performance.now() - start < 10000)
      await new Promise(r => setTimeout(r, 50));
  }
  window.scrollTo(0, 0);
}"""

#: On a phone: what of each explorer lies outside the screen, labels that are cut or tiny,
#: plots wider than their card, legends that cover a plot area.
PHONE_JS = """() => {
  const W = document.documentElement.clientWidth;
  const overlap = (a, b) => Math.max(0, Math.min(a.right, b.right) - Math.max(a.left, b.left))
                          * Math.max(0, Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top));
  return {width: W, figures: Array.from(document.querySelectorAll('figure.sepsislab-explorer')).map(fig => {
    const card = fig.getBoundingClientRect();
    const offscreen = Array.from(fig.querySelectorAll('label, input[type=range], output'))
      .filter(e => { const r = e.getBoundingClientRect(); return r.left < -1 || r.right > W + 1; })
      .map(e => e.tagName.toLowerCase() + ': ' + (e.textContent || e.id));
    const labels = Array.from(fig.querySelectorAll('.sepsislab-controls label'));
    const svg = fig.querySelector('.sepsislab-plot svg.main-svg');
    const legend = fig.querySelector('g.legend');
    const areas = Array.from(fig.querySelectorAll('.draglayer .nsewdrag'));
    return {
      id: fig.id, offscreen, card: card.right <= W + 1 && card.left >= -1,
      cutLabels: labels.filter(l => l.scrollWidth > l.clientWidth + 1).map(l => l.textContent),
      smallestLabelPx: Math.min(...labels.map(l => parseFloat(getComputedStyle(l).fontSize))),
      sliderPx: Math.min(...Array.from(fig.querySelectorAll('input[type=range]'))
                          .map(i => i.getBoundingClientRect().width)),
      plot: svg ? {right: svg.getBoundingClientRect().right, card: Math.min(card.right, W)} : null,
      legendOverData: legend ? areas.map(a => overlap(legend.getBoundingClientRect(),
                                                       a.getBoundingClientRect()))
                                    .reduce((x, y) => x + y, 0) : 0,
      panels: (PANELS_JS)(fig.querySelector('.sepsislab-plot')),
      // Tick labels of each axis of each panel: pairs that overlap, and labels off the screen.
      ticks: Array.from(fig.querySelectorAll('.cartesianlayer .subplot')).flatMap(sub =>
        ['x', 'y'].map(a => {
          const boxes = Array.from(sub.querySelectorAll(`.${a}axislayer-above .${a}tick text`))
            .map(t => ({text: t.textContent, r: t.getBoundingClientRect()}))
            .filter(t => t.text.trim() && t.r.width > 0);
          const axis = sub.classList[1] + ':' + a;
          return {
            axis, count: boxes.length,
            overlapping: boxes.flatMap((t, i) => boxes.slice(i + 1)
              .filter(u => overlap(t.r, u.r) > 1).map(u => `${t.text} / ${u.text}`)),
            offscreen: boxes.filter(t => t.r.left < -1 || t.r.right > W + 1).map(t => t.text),
          };
        })),
    };
  })};
}""".replace("PANELS_JS", PANELS_JS)

#: Scroll to the first figure (or the top of a page without one) for a screenshot.
FIRST_FIGURE_JS = """() => { const f = document.querySelector('figure.sepsislab-explorer');
  if (f) f.scrollIntoView(); else window.scrollTo(0, 0); }"""

#: Navigation that a printed page should not carry.
PRINT_HIDDEN = [
    ".bd-header",
    ".bd-sidebar-primary",
    ".bd-sidebar-secondary",
    ".prev-next-area",
    ".header-article",
    "figure.sepsislab-explorer input[type=range]",
]


@dataclass
class Visit:
    """What one page showed a reader (see the module docstring)."""

    name: str
    url: str
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    blocked_requests: list[str] = field(default_factory=list)
    requested: list[str] = field(default_factory=list)
    figures: list[dict] = field(default_factory=list)
    sliders: list[dict] = field(default_factory=list)
    info: dict = field(default_factory=dict)
    axe: list[dict] = field(default_factory=list)
    axe_dark: list[dict] = field(default_factory=list)
    dark_figures: list[dict] = field(default_factory=list)
    print_visible: list[str] = field(default_factory=list)
    print_overflow: list[str] = field(default_factory=list)
    print_text: str = ""
    at_load: dict = field(default_factory=dict)
    paint: dict = field(default_factory=dict)
    phone: dict = field(default_factory=dict)
    phone_slider_moved: dict = field(default_factory=dict)
    widened: dict = field(default_factory=dict)


def _screenshot_path(html: Path, name: str, kind: str) -> Path:
    out = html.parent / "screenshots" / f"{name}{kind}.png"
    out.parent.mkdir(parents=True, exist_ok=True)
    return out


def _open(context, url: str, visit: Visit):
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.on("console", lambda m: visit.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: visit.console_errors.append(f"uncaught: {e}"))
    page.on("requestfailed", lambda r: visit.failed_requests.append(f"{r.url} ({r.failure})"))
    page.on("request", lambda r: visit.requested.append(r.url))

    def offline(route):
        if route.request.url.startswith(("file:", "data:", "blob:")):
            route.continue_()
        else:
            visit.blocked_requests.append(route.request.url)
            route.abort()

    page.route("**/*", offline)
    page.goto(url, wait_until="load")
    # Equations: MathJax typesets after load; wait for it. Give figures near the first
    # screen their moment to draw, then record what loaded before the reader scrolled.
    page.evaluate(
        "async () => { if (window.MathJax && MathJax.startup && MathJax.startup.promise)"
        " await MathJax.startup.promise; }"
    )
    page.wait_for_timeout(300)
    visit.at_load = page.evaluate(AT_LOAD_JS)
    visit.paint = page.evaluate(PAINT_JS)
    page.evaluate(SCROLL_TO_FIGURES_JS)  # not drawn after 10 s: recorded as not drawn
    return page


def _move_sliders(page) -> list[dict]:
    """Move every slider with the keyboard and record whether the drawing changed."""
    moved = []
    figures = page.locator("figure.sepsislab-explorer")
    for f in range(figures.count()):
        figure = figures.nth(f)
        inputs = figure.locator("input[type=range]")
        for s in range(inputs.count()):
            slider = inputs.nth(s)
            before = figure.evaluate(DRAWN_JS)
            value, top = slider.input_value(), slider.get_attribute("max")
            step, far = ("ArrowLeft", "Home") if value == top else ("ArrowRight", "End")
            slider.focus()
            changed = False
            # One step; if the model's picture is the same there (a settled outcome, say),
            # another, then the far end of the slider — given longer, as the last word on a
            # machine busy with other work.
            for key, wait_ms in ((step, 3_000), (step, 3_000), (far, 12_000)):
                page.keyboard.press(key)
                try:
                    page.wait_for_function(
                        f"before => ({DRAWN_JS})(document.querySelectorAll("
                        f"'figure.sepsislab-explorer')[{f}]) !== before",
                        arg=before,
                        timeout=wait_ms,
                    )
                    changed = True
                    break
                except playwright.TimeoutError:
                    continue
            label = figure.locator("label").nth(s).inner_text()
            moved.append(
                {
                    "figure": figure.get_attribute("id"),
                    "slider": label,
                    "tabbable": slider.evaluate("e => e.tabIndex >= 0 && !e.disabled"),
                    "value_moved": slider.input_value() != value,
                    "changed": changed,
                    "valuetext": slider.get_attribute("aria-valuetext"),
                    "output": slider.evaluate("e => e.nextElementSibling.textContent"),
                }
            )
    return moved


def _screenshot_whole(page, selector: str, path: Path) -> None:
    """A picture of one element, whole even if taller than the screen (and not under the
    sticky page header, as an element screenshot would be)."""
    box = page.evaluate(
        "s => { const r = document.querySelector(s).getBoundingClientRect();"
        " return {x: r.left + scrollX, y: r.top + scrollY, width: r.width, height: r.height}; }",
        selector,
    )
    page.screenshot(path=path, full_page=True, clip=box)


def _panels_after_a_step(page, fid: str) -> dict | None:
    """Move the figure's first slider one step from the keyboard; its panels once redrawn."""
    plot = f"document.querySelector('figure#{fid} .sepsislab-plot')"
    revision = page.evaluate(f"() => {plot}._fullLayout.datarevision")
    slider = page.locator(f"figure#{fid} input[type=range]").first
    slider.focus()
    page.keyboard.press("ArrowLeft" if slider.input_value() == slider.get_attribute("max") else "ArrowRight")
    try:
        page.wait_for_function(f"r => {plot}._fullLayout.datarevision !== r", arg=revision, timeout=3_000)
    except playwright.TimeoutError:
        return None
    page.evaluate(SETTLE_PLOTS_JS)
    return page.evaluate(f"() => ({PANELS_JS})({plot})")


def visit_page(browser, html: Path, name: str) -> Visit:
    """Open one page like a reader, offline, and record what it shows."""
    target = html / f"{name}.html"
    visit = Visit(name=name, url=target.as_uri())
    context = browser.new_context(viewport=SCREEN)
    try:
        page = _open(context, visit.url, visit)
        visit.figures = page.evaluate(FIGURES_JS)
        visit.info = page.evaluate(PAGE_JS)
        page.screenshot(path=_screenshot_path(html, name, ""), full_page=True)
        page.add_script_tag(path=str(AXE))
        visit.axe = page.evaluate(AXE_JS, {})

        # Dark mode as the system's preference switches it (the theme's default mode is
        # "auto"): the page and every drawn figure take the dark look.
        page.emulate_media(color_scheme="dark")
        page.wait_for_function("() => document.documentElement.dataset.theme === 'dark'", timeout=5_000)
        try:
            page.wait_for_function(DARK_DRAWN_JS, timeout=5_000)
        except playwright.TimeoutError:
            pass  # recorded by FIGURES_JS below
        page.evaluate(SETTLE_PLOTS_JS)
        page.wait_for_function(SETTLED_JS)
        visit.dark_figures = page.evaluate(FIGURES_JS)
        visit.axe_dark = page.evaluate(AXE_JS, {"runOnly": {"type": "rule", "values": ["color-contrast"]}})
        page.evaluate(FIRST_FIGURE_JS)
        page.screenshot(path=_screenshot_path(html, name, ".dark"))  # one screen: the first figure

        # Print on A4 (794 px at 96 dpi), from dark mode: the page must print dark on white.
        # A browser fires beforeprint; emulation does not, so the test does.
        page.set_viewport_size(A4)
        page.emulate_media(media="print")
        page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
        page.wait_for_function(SETTLED_JS)
        visit.print_text = page.evaluate(
            "() => getComputedStyle(document.querySelector('main') || document.body).color"
        )
        visit.print_visible = page.evaluate(
            "sels => sels.filter(s => Array.from(document.querySelectorAll(s))"
            ".some(e => getComputedStyle(e).display !== 'none' && e.getClientRects().length))",
            PRINT_HIDDEN,
        )
        try:  # plotly resizes asynchronously
            page.wait_for_function(f"() => ({OVERFLOW_JS})().length === 0", timeout=3_000)
        except playwright.TimeoutError:
            pass
        visit.print_overflow = page.evaluate(OVERFLOW_JS)
        page.screenshot(path=_screenshot_path(html, name, ".print"))
        page.emulate_media(media="screen")
        page.set_viewport_size(SCREEN)
        page.evaluate("() => window.dispatchEvent(new Event('afterprint'))")
        page.emulate_media(color_scheme="light")

        visit.sliders = _move_sliders(page)

        # A phone: 375 px wide. The figures take the narrow layout when the width changes.
        page.set_viewport_size(PHONE)
        try:
            page.wait_for_function(NARROW_DRAWN_JS, timeout=5_000)
        except playwright.TimeoutError:
            pass  # the checks below record what is wrong
        page.evaluate(SETTLE_PLOTS_JS)
        visit.phone = page.evaluate(PHONE_JS)
        page.evaluate(FIRST_FIGURE_JS)
        page.screenshot(path=_screenshot_path(html, name, ".phone"))

        # Figures whose panels stand side by side on a wide screen: each pictured whole on
        # the phone, a slider moved (the new frame keeps the stacked layout), then the reader
        # widens the window (or turns the phone) and the panels stand side by side again.
        side_by_side = [f["id"] for f in visit.figures if _side_by_side(f["panels"])]
        for fid in side_by_side:
            _screenshot_whole(page, f"figure#{fid}", _screenshot_path(html, name, f".{fid}.phone"))
            visit.phone_slider_moved[fid] = _panels_after_a_step(page, fid)
        if side_by_side:
            page.set_viewport_size(SCREEN)
            try:
                page.wait_for_function(WIDE_DRAWN_JS, timeout=5_000)
            except playwright.TimeoutError:
                pass
            page.evaluate(SETTLE_PLOTS_JS)
            visit.widened = page.evaluate(WIDENED_JS)
    finally:
        context.close()
    return visit


# -- fixtures ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: run scripts/ensure-chromium.sh (make test does)")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def screenshots(book_html) -> Path:
    """The screenshot folder (emptied by the build fixture once per run: workers share it)."""
    folder = book_html.parent / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def visits(browser, book_html, screenshots) -> dict[str, Visit]:
    return {}


@pytest.fixture
def visit(visits, browser, book_html):
    """``visit(name)``: the record of a page, opened on first use."""

    def get(name: str) -> Visit:
        if name not in visits:
            if not (book_html / f"{name}.html").exists():
                pytest.skip(f"{name}.html was not built: see test_every_toc_page_is_built")
            visits[name] = visit_page(browser, book_html, name)
        return visits[name]

    return get


def _rgb(colour: str) -> tuple[int, ...]:
    """(r, g, b) of a colour as plotly reports it (#rgb, #rrggbb, rgb(...), rgba(...))."""
    c = colour.strip().lower()
    if c == "white":
        return (255, 255, 255)
    if c.startswith("#"):
        c = c[1:] if len(c) == 7 else "".join(ch * 2 for ch in c[1:4])
        return tuple(int(c[i : i + 2], 16) for i in (0, 2, 4))
    return tuple(int(float(v)) for v in re.findall(r"[\d.]+", c)[:3])


def _side_by_side(panels: dict | None) -> bool:
    """Whether two panels of a plot (see PANELS_JS) share some height but no width."""

    def apart(lo1, len1, lo2, len2):
        return lo1 + len1 <= lo2 + 0.5 or lo2 + len2 <= lo1 + 0.5

    boxes = (panels or {}).get("panels", [])
    return any(
        apart(a["left"], a["width"], b["left"], b["width"]) and not apart(a["top"], a["height"], b["top"], b["height"])
        for a in boxes
        for b in boxes
    )


def _is_notebook(name: str) -> bool:
    """Pages Jupyter Book treats as notebooks: .ipynb, or MyST with a kernelspec header."""
    source = page_source(name)
    if source is None:
        return False
    if source.suffix == ".ipynb":
        return True
    header = source.read_text().split("\n---", 1)[0]
    return source.read_text().startswith("---") and "kernelspec:" in header


# -- tests ---------------------------------------------------------------------------------


def test_every_toc_page_is_built(book_html):
    assert [n for n in PAGES if not (book_html / f"{n}.html").exists()] == []


def test_every_page_of_the_build_is_visited(book_html):
    """The build's own list of pages (its search index) is the toc's: none escapes the tests."""
    index = (book_html / "searchindex.js").read_text()
    built = json.loads(index[index.index("(") + 1 : index.rindex(")")])["docnames"]
    assert sorted(built) == sorted(toc_docnames())


def test_index_leads_to_the_first_page(browser, book_html):
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto((book_html / "index.html").as_uri())
        page.wait_for_url(re.compile(re.escape(PAGES[0]) + r"\.html$"), timeout=10_000)
    finally:
        context.close()


@pytest.mark.parametrize("name", PAGES)
def test_page_loads_offline_without_errors(visit, name):
    v = visit(name)
    assert v.blocked_requests == [], "the page asked the internet for something"
    assert v.failed_requests == []
    assert v.console_errors == []
    assert not [u for u in v.requested if not u.startswith(("file:", "data:", "blob:"))]


@pytest.mark.parametrize("name", PAGES)
def test_every_figure_is_drawn_and_every_slider_changes_it(visit, name):
    v = visit(name)
    explorers = [f for f in v.figures if f["explorer"]]
    assert [f["id"] for f in explorers if not f["drawn"]] == []
    assert {f["id"]: f["missingTitles"] for f in explorers if f["missingTitles"]} == {}, "axis titles not drawn"
    assert len(v.sliders) == sum(f["sliders"] for f in explorers)
    for s in v.sliders:
        where = f"{s['figure']}: slider {s['slider']!r}"
        assert s["tabbable"], f"{where} cannot be reached with the Tab key"
        assert s["value_moved"], f"{where} did not move with the arrow keys"
        assert s["changed"], f"{where} moved but the plot did not change"
        assert s["valuetext"] and s["valuetext"] == s["output"], (
            f"{where}: screen readers hear {s['valuetext']!r} but the page shows {s['output']!r}"
        )


@pytest.mark.parametrize("name", PAGES)
def test_every_figure_has_a_caption_and_a_text_alternative(visit, name):
    for f in visit(name).figures:
        assert f["caption"].strip(), f"figure {f['id']} has no caption"
        # A text alternative says what the figure shows: a sentence, not a title.
        alt = f["alt"].strip()
        assert len(alt.split()) >= 8 and alt.endswith("."), f"figure {f['id']}: alt text {alt!r}"


@pytest.mark.parametrize("name", PAGES)
def test_equations_are_rendered_by_the_local_mathjax(visit, name):
    v = visit(name)
    if v.info["math"]:
        assert v.info["mathRendered"] == v.info["math"], "some equations are still raw TeX"
        assert any("/_static/mathjax/" in u for u in v.requested)


@pytest.mark.parametrize("name", PAGES)
def test_no_serious_or_critical_accessibility_violations(visit, name):
    v = visit(name)
    assert [x for x in v.axe if x["impact"] in BLOCKING_IMPACTS] == []


@pytest.mark.parametrize("name", PAGES)
def test_dark_mode_keeps_text_and_figures_readable(visit, name):
    """The system turns dark: the text passes axe's contrast audit and every figure, card
    and plot, takes the dark look (no white slab in a dark page)."""
    v = visit(name)
    assert [x for x in v.axe_dark if x["impact"] in BLOCKING_IMPACTS] == []
    dark = themes.THEMES["dark"]["background"]
    for f in v.dark_figures:
        if f["explorer"]:
            card = "#{:02x}{:02x}{:02x}".format(*_rgb(f["background"]))
            assert themes.contrast(card, dark) < 1.1, f"{f['id']}: card {f['background']} in dark mode"
            assert f["paper"] and themes.contrast(f["paper"], dark) < 1.1, (
                f"{f['id']}: plot background {f['paper']} in dark mode"
            )


@pytest.mark.parametrize("name", PAGES)
def test_printed_page_carries_no_navigation_and_figures_fit(visit, name):
    v = visit(name)
    assert v.print_visible == [], "navigation printed"
    assert v.print_overflow == [], "figures wider than the printed page"
    assert max(_rgb(v.print_text)) <= 100, f"printed from dark mode, the text is {v.print_text}"


@pytest.mark.parametrize("name", PAGES)
def test_links_within_the_book_resolve(visit, book_html, name):
    """Glossary terms, cross-references and citations: the file exists and holds the anchor."""
    broken, ids = [], {}
    for href in visit(name).info["links"]:
        url = urlparse(href)
        if url.scheme != "file":
            continue
        target = Path(unquote(url.path))
        if target == book_html / BOOK_PDF:
            continue  # written by `make pdf` after the build: tests/test_build.py checks it there
        if not target.exists():
            broken.append(href)
        elif url.fragment and target.suffix == ".html":
            if target not in ids:
                ids[target] = set(re.findall(r'\bid="([^"]+)"', target.read_text()))
            if unquote(url.fragment) not in ids[target]:
                broken.append(href)
    assert broken == []


def _uses_terms(name: str) -> bool:
    source = page_source(name)
    return source is not None and "{term}`" in source.read_text()


@pytest.mark.parametrize("name", [n for n in PAGES if _uses_terms(n)])
def test_pages_link_their_terms_to_the_glossary(visit, name):
    """A page whose source marks glossary terms links each to its entry (one visit per page, shared)."""
    assert any("glossary.html#term-" in h for h in visit(name).info["links"]), "no term links to the glossary"


@pytest.mark.parametrize("name", [n for n in PAGES if _is_notebook(n)])
def test_notebook_pages_offer_binder_and_download(visit, name):
    info = visit(name).info
    assert any("urlpath=lab" in u for u in info["binder"]), "no Binder launch button"
    assert info["notebookDownloads"], "no .ipynb download button"
    for href in info["notebookDownloads"]:
        assert Path(unquote(urlparse(href).path)).exists(), f"download target missing: {href}"


@pytest.mark.parametrize("name", PAGES)
def test_code_blocks_have_copy_buttons(visit, name):
    info = visit(name).info
    assert info["copyButtons"] == info["codeBlocks"]


@pytest.mark.parametrize("name", PAGES)
def test_footer_shows_the_year_and_the_licence(visit, name):
    footer = visit(name).info["footer"]
    year = str(time.gmtime(int(os.environ.get("SOURCE_DATE_EPOCH", time.time()))).tm_year)  # as the build
    assert year in footer and "CC BY 4.0" in footer and "MIT" in footer, footer


def test_search_finds_a_glossary_term(browser, book_html):
    glossary = (book_html / "book" / "glossary.html").read_text()
    terms = re.findall(r'<dt id="term-([^"]+)"', glossary)
    assert terms, "the glossary defines no terms"
    term = "PAMP" if "PAMP" in terms else unquote(terms[0]).replace("-", " ")
    context = browser.new_context()
    try:
        page = context.new_page()
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
        page.goto((book_html / "search.html").as_uri() + f"?q={term}")
        page.wait_for_selector("ul.search li a", timeout=15_000)
        hits = page.eval_on_selector_all("ul.search li a", "as => as.map(a => a.href)")
    finally:
        context.close()
    assert any("glossary.html" in h for h in hits), hits


# -- text first, figures when near ---------------------------------------------------------------


@pytest.mark.parametrize("name", PAGES)
def test_heavy_scripts_load_only_where_and_when_needed(visit, name):
    """plotly.js waits until a figure comes near the screen; MathJax comes only with math."""
    v = visit(name)
    figures = v.at_load["figures"]
    if not figures or all(f["far"] for f in figures):
        assert not v.at_load["plotly"], "plotly.js loaded although no figure is near the first screen"
    assert [f["id"] for f in figures if f["far"] and f["drawn"]] == [], "far figures drawn before scrolling"
    if not figures:
        assert not any("plotly" in u or "sepsislab-explorer.js" in u for u in v.requested)
    if not v.info["math"]:
        assert not any("/mathjax/" in u.lower() for u in v.requested), "MathJax on a page without math"


@pytest.mark.parametrize("name", PAGES)
def test_first_paint_waits_for_no_heavy_script(visit, name):
    """What the first paint waits for: no script blocks rendering, and plotly.js is not even
    fetched before it (the benchmark reports the seconds with the CPU slowed 4×,
    ``first_paint_4x_s_max``; a test that times would flake on a busy machine)."""
    paint = visit(name).paint
    assert paint["first_paint_ms"] > 0
    assert [r for r in paint["before_paint"] if "plotly" in r] == [], "plotly.js fetched before the first paint"
    assert [r for r in paint["blocking"] if r.endswith(".js")] == [], f"scripts blocking the first paint: {paint}"


def test_first_paint_is_measured_with_the_cpu_slowed_4x(browser, book_html):
    """The benchmark's measurement on the heaviest page: a paint is seen, and neither plotly.js
    nor any script holds it."""
    heaviest = max(book_pages(book_html), key=lambda p: p.stat().st_size)
    paint = throttled_first_paint(browser, heaviest.as_uri())
    assert 0 < paint["first_paint_s"] < 60
    assert not [r for r in paint["before_paint"] if "plotly" in r]
    assert not [r for r in paint["blocking"] if r.endswith(".js")], paint


# -- phones ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", PAGES)
def test_figures_fit_a_phone(visit, name):
    """At 375 px every control and read-out lies on the screen, labels are whole and readable,
    sliders are long enough to use, plots fit their card and legends cover no data."""
    phone = visit(name).phone
    for f in phone["figures"]:
        where = f"{name}: {f['id']} at {phone['width']} px"
        assert f["card"], f"{where}: the figure is wider than the screen"
        assert f["offscreen"] == [], f"{where}: off the screen: {f['offscreen']}"
        assert f["cutLabels"] == [], f"{where}: labels cut: {f['cutLabels']}"
        assert f["smallestLabelPx"] >= 12, f"{where}: labels of {f['smallestLabelPx']} px"
        assert f["sliderPx"] >= 180, f"{where}: a slider only {f['sliderPx']} px long"
        assert f["plot"] and f["plot"]["right"] <= f["plot"]["card"] + 1, f"{where}: plot {f['plot']}"
        assert f["legendOverData"] == 0, f"{where}: the legend covers {f['legendOverData']:.0f} px² of data"


@pytest.mark.parametrize("name", PAGES)
def test_tick_labels_on_a_phone_are_apart_and_on_the_screen(visit, name):
    """At 375 px no two tick labels of an axis overlap and none runs off the screen."""
    phone = visit(name).phone
    for f in phone["figures"]:
        for axis in f["ticks"]:
            where = f"{name}: {f['id']}, axis {axis['axis']} at {phone['width']} px"
            assert axis["overlapping"] == [], f"{where}: tick labels overlap: {axis['overlapping']}"
            assert axis["offscreen"] == [], f"{where}: tick labels off the screen: {axis['offscreen']}"


@pytest.mark.parametrize("name", PAGES)
def test_side_by_side_panels_stack_on_a_phone_and_come_back(visit, name):
    """Panels that stand side by side on a wide screen are stacked in one column at 375 px,
    each as wide as the plotting area (80 % at least) and tall enough to read, and stay so
    when a slider steps to another frame; widened again, the window shows them side by side."""
    v = visit(name)
    phone = {f["id"]: f for f in v.phone["figures"]}
    multi = [f["id"] for f in v.figures if f["explorer"] and _side_by_side(f["panels"])]
    for fid in multi:
        where = f"{name}: {fid} at {v.phone['width']} px"
        panels = phone[fid]["panels"]
        assert panels and not _side_by_side(panels), f"{where}: panels still side by side: {panels}"
        assert len(panels["panels"]) == len(next(f for f in v.figures if f["id"] == fid)["panels"]["panels"])
        for p in panels["panels"]:
            assert p["width"] >= 0.8 * panels["width"], f"{where}: a panel {p['width']:.0f} px of {panels['width']:.0f}"
            assert p["height"] >= 200, f"{where}: a panel only {p['height']:.0f} px high"
        moved = v.phone_slider_moved.get(fid)
        assert moved and not _side_by_side(moved), f"{where}: after a slider step: {moved}"
        assert _side_by_side(v.widened.get(fid)), f"{name}: {fid} widened again: {v.widened.get(fid)}"


def test_one_column_layout_keeps_each_panel_with_its_labels(browser, book_html):
    """The phone's one-column layout of a 2 × 2 grid sharing its x axis (the figure script's
    own function, on a synthetic layout): panels in reading order, each the full width and
    with its x tick labels and title, a panel title in paper coordinates still just above its
    panel; a figure of panels stacked already comes back unchanged."""
    title = dict(text="second panel", xref="paper", yref="paper", x=0.78, y=1.02, showarrow=False)
    grid = grid_layout(
        cols=2,
        height=640,
        margin=dict(t=60, b=50),
        x=dict(title="days", range=[0, 28]),
        panels=[dict(title=f"panel {n}") for n in range(1, 5)],
        annotations=[title],
    )
    stacked = stacked_layout(x=dict(title="days"), panels=[dict(title="a"), dict(title="b")])
    context = browser.new_context(viewport=PHONE)
    try:
        page = context.new_page()
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
        page.goto((book_html / "book/ch1/sentry.html").as_uri(), wait_until="load")
        page.wait_for_function("() => window.sepsislabOneColumn")
        column, same = page.evaluate("([g, s]) => [sepsislabOneColumn(g), sepsislabOneColumn(s)]", [grid, stacked])
    finally:
        context.close()
    assert same == json.loads(json.dumps(stacked))
    axes = ["", "2", "3", "4"]
    assert [column[f"xaxis{n}"]["domain"] for n in axes] == [[0, 1]] * 4
    tops = [column[f"yaxis{n}"]["domain"] for n in axes]
    assert all(upper[0] > lower[1] for upper, lower in zip(tops, tops[1:])), f"not top to bottom: {tops}"
    for n in axes:
        assert column[f"xaxis{n}"]["showticklabels"] is True
        assert column[f"xaxis{n}"]["title"] in ("days", {"text": "days"})
    plot_px = column["height"] - 60 - 50
    assert (tops[0][1] - tops[0][0]) * plot_px >= 200, "panels too low"
    note = column["annotations"][0]
    assert note["x"] == pytest.approx((0.78 - 0.56) / 0.44, abs=1e-6)
    # Was 0.02 × 530 px ≈ 10.6 px above its panel; stays so (±1 px).
    assert (note["y"] - tops[1][1]) * plot_px == pytest.approx(0.02 * (640 - 110), abs=1.0)


def test_the_theme_switch_redraws_figures(browser, book_html):
    """The reader presses the theme button: figures follow to dark and back to light."""
    context = browser.new_context(viewport=SCREEN)
    try:
        page = context.new_page()
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
        page.goto((book_html / "book/ch1/sentry.html").as_uri(), wait_until="load")
        page.evaluate(SCROLL_TO_FIGURES_JS)
        papers = "() => Array.from(document.querySelectorAll('.sepsislab-plot')).map(p => p._fullLayout.paper_bgcolor)"
        seen = {}
        for _ in range(3):  # the button cycles light → dark → auto
            page.locator("button.theme-switch-button").first.click()
            theme = page.evaluate("() => document.documentElement.dataset.theme")
            want = themes.THEMES[theme]["background"]
            page.wait_for_function(f"() => ({papers})().every(c => c === '{want}')", timeout=5_000)
            seen[theme] = page.evaluate(papers)
    finally:
        context.close()
    assert set(seen) == {"light", "dark"}, seen


def test_one_search_box_on_a_wide_screen(browser, book_html):
    context = browser.new_context(viewport=SCREEN)
    try:
        page = context.new_page()
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
        page.goto((book_html / "book/ch1/sentry.html").as_uri(), wait_until="load")
        visible = page.evaluate("""() => Array.from(document.querySelectorAll(
            '.search-button-field, .search-button, input[type=search]'))
            .filter(e => e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden').length""")
    finally:
        context.close()
    assert visible == 1
