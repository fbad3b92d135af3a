"""A page opened as a notebook in JupyterLab, as a reader on Binder meets it.

JupyterLab (with what ``requirements.txt`` installs: jupytext, jupyterlab-myst, the widget
managers) is started on a free port with a token, configured by the repository's own
``postBuild`` (as Binder runs it) plus JupyterLab's dark theme, over a copy of the sentry
page; headless chromium opens it by double-click's route, ``/lab/tree/book/ch1/sentry.md``. The checks: the
MyST prose is rendered (admonitions, self-check dropdowns closed, equations, roles), and
after *Run All* the model's numbers stand in the sentences (jupyterlab-myst evaluates the page's
``{eval}`` inline expressions in the kernel) and the live figures draw on JupyterLab's dark
background.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import ROOT

from sepsislab.bench import CHROMIUM, CHROMIUM_ARGS
from sepsislab.interactive import STATIC_ENV, themes

playwright = pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("jupyterlab")]

PAGE = "book/ch1/sentry.md"

#: On top of postBuild: the dark theme, and every cell rendered (no virtual scrolling), so
#: that the whole page can be read at once.
OVERRIDES = {
    "@jupyterlab/apputils-extension:themes": {"theme": "JupyterLab Dark"},
    "@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"},
    "@jupyterlab/docmanager-extension:plugin": {"autosave": False},
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
}

#: MyST that would show through if the markdown were not rendered.
RAW_MYST = re.compile(r"```\{|^:class:|\{(term|cite:p|cite:t|ref|numref|eq|eval|glue(?::\w+)?)\}`", re.M)

#: The page's inline expressions, in order (jupyterlab-myst shows each as code until it has run).
EXPRESSIONS = re.findall(r"\{eval\}`([^`]+)`", (ROOT / PAGE).read_text())

#: The inline expressions of the page as the markdown cells hold them: the expressions not yet
#: evaluated (shown as code), the errors, the rich (non-text) results, and all the text.
INLINE_JS = """expressions => {
  const cells = Array.from(document.querySelectorAll('.jp-MarkdownCell .myst'))
    .filter(e => !e.parentElement.closest('.myst'));
  const within = selector => cells.flatMap(c => Array.from(c.querySelectorAll(selector)));
  return {
    unevaluated: within('code').map(c => c.textContent).filter(t => expressions.includes(t)),
    errors: within('[data-mime-type="application/vnd.jupyter.stderr"]').map(e => e.textContent),
    rich: within('.not-prose.inline-block').length,
    // textContent: the closed dropdowns too
    text: cells.map(c => c.textContent).join('\\n'),
  };
}"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server over the repository: ``(base url, token)``."""
    home = tmp_path_factory.mktemp("home")
    env = {k: v for k, v in os.environ.items() if k != STATIC_ENV}  # live widgets, as on Binder
    env.update(HOME=str(home), JUPYTER_RUNTIME_DIR=str(home / "runtime"), JUPYTER_CONFIG_DIR=str(home / ".jupyter"))
    subprocess.run(["bash", str(ROOT / "postBuild")], env=env, check=True)
    overrides = home / ".jupyter" / "labconfig" / "default_setting_overrides.json"
    settings = json.loads(overrides.read_text())
    for plugin, values in OVERRIDES.items():
        settings[plugin] = {**settings.get(plugin, {}), **values}
    overrides.write_text(json.dumps(settings))
    # A copy of the page: JupyterLab saves what it opens (Run All changes the notebook).
    pages = tmp_path_factory.mktemp("pages")
    (pages / PAGE).parent.mkdir(parents=True)
    shutil.copy(ROOT / PAGE, pages / PAGE)
    shutil.copy(ROOT / "pyproject.toml", pages)  # its [tool.jupytext] section, at the root as on Binder
    port, token = _free_port(), secrets.token_hex(16)
    jupyter = shutil.which("jupyter", path=str(Path(sys.executable).parent))
    proc = subprocess.Popen(
        [
            jupyter,
            "lab",
            "--no-browser",
            "--allow-root",
            f"--port={port}",
            "--ServerApp.ip=127.0.0.1",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={pages}",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    reason = proc.stderr.read() if proc.poll() is not None else "timeout"
                    pytest.fail(f"jupyter lab did not start: {reason}")
                time.sleep(0.5)
        yield base, token, pages
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def notebook(lab):
    """The sentry page open in JupyterLab, read before and after Run All."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: run scripts/ensure-chromium.sh (make test does)")
    base, token, pages = lab
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(60_000)
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith((base, "data:", "blob:")) else r.abort())
        page.goto(f"{base}/lab/tree/{PAGE}?token={token}")
        page.wait_for_selector(".jp-NotebookPanel .jp-MarkdownCell aside.myst-admonition")
        page.wait_for_function(
            "() => document.querySelectorAll('.jp-MarkdownCell').length > 0 && "
            "Array.from(document.querySelectorAll('.jp-MarkdownCell'))"
            ".every(c => c.querySelector('.jp-RenderedMarkdown, .myst, aside, p'))"
        )
        rendered = page.evaluate("""() => ({
          text: Array.from(document.querySelectorAll('.jp-MarkdownCell')).map(c => c.innerText).join('\\n'),
          // a dropdown admonition is drawn as <details>, the others as <aside>
          admonitions: document.querySelectorAll('.jp-MarkdownCell aside.myst-admonition').length
                       + document.querySelectorAll('.jp-MarkdownCell details').length,
          details: document.querySelectorAll('.jp-MarkdownCell details').length,
          open: document.querySelectorAll('.jp-MarkdownCell details[open]').length,
          math: document.querySelectorAll('.jp-MarkdownCell .katex').length,
          theme: document.body.dataset.jpThemeLight,
          // plumbing cells (remove-cell, remove-input, hide-input) show a collapsed input
          collapsed: document.querySelectorAll('.jp-CodeCell .jp-InputPlaceholder').length,
        })""")
        rendered["inline"] = page.evaluate(INLINE_JS, EXPRESSIONS)
        # Run All, from the Run menu, as a reader does; then wait for the live figures.
        page.locator(".jp-NotebookPanel").first.click()
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_role("menuitem", name=re.compile(r"^Run All Cells")).click()
        page.wait_for_selector(".sepsislab-live .main-svg g.ytick text", timeout=120_000)
        page.wait_for_function(
            """() => {  // every live figure, scrolled to, is drawn
          const boxes = Array.from(document.querySelectorAll('.sepsislab-live'));
          for (const b of boxes) b.scrollIntoView();
          return boxes.every(b => b.querySelector('.main-svg g.ytick text'));
        }""",
            timeout=60_000,
        )
        page.wait_for_function(  # every markdown cell has had its inline expressions evaluated
            f"() => ({INLINE_JS})({json.dumps(EXPRESSIONS)}).unevaluated.length === 0", timeout=60_000
        )
        page.wait_for_timeout(500)
        rendered["inline_after_run"] = page.evaluate(INLINE_JS, EXPRESSIONS)
        live = page.evaluate("""() => Array.from(document.querySelectorAll('.sepsislab-live')).map(box => ({
          paper: getComputedStyle(box.querySelector('.main-svg')).backgroundColor,
          ticks: getComputedStyle(box.querySelector('.main-svg g.ytick text')).fill,
          sliders: box.querySelectorAll('.widget-slider, .jupyter-widget-slider, input[type=range], .slider').length,
        }))""")
        page.locator(".sepsislab-live").first.scroll_into_view_if_needed()
        shot = ROOT / "_build" / "screenshots" / "jupyterlab-sentry.dark.png"
        shot.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(shot))
        # Save, as a reader who ran the page might: the page's file must not take in the results
        saved = pages / PAGE
        before = saved.stat().st_mtime_ns
        page.get_by_role("menuitem", name="File", exact=True).click()
        page.get_by_role("menuitem", name=re.compile(r"^Save (Markdown File|Notebook)(?! As)")).click()
        for _ in range(300):  # Playwright's own wait: the request router above runs in this thread
            if saved.stat().st_mtime_ns != before:
                break
            page.wait_for_timeout(200)
        rendered["saved"] = saved.read_text() if saved.stat().st_mtime_ns != before else None
        browser.close()
    return rendered, live


def test_myst_prose_is_rendered_in_jupyterlab(notebook):
    rendered, _ = notebook
    source = (ROOT / PAGE).read_text()
    assert RAW_MYST.findall(rendered["text"]) == [], "raw MyST shows in the notebook"
    assert rendered["admonitions"] == len(re.findall(r"^```\{admonition\}", source, re.M))
    assert rendered["math"] > 0, "equations not typeset"


def test_model_numbers_stand_in_the_sentences_after_run_all(notebook):
    """Before Run All each inline expression shows as code; after it, as the number the HTML
    book shows (the same f-string, evaluated in the kernel where jupyterlab-myst asks for it)."""
    from sepsislab.models import sentry

    rendered, _ = notebook
    before, after = rendered["inline"], rendered["inline_after_run"]
    assert len(EXPRESSIONS) >= 10 and sorted(before["unevaluated"]) == sorted(EXPRESSIONS)
    assert after["unevaluated"] == [] and after["errors"] == [] and after["rich"] == 0
    assert not RAW_MYST.search(after["text"]), "raw MyST shows after Run All"
    threshold = sentry.clearance_threshold()
    faster = sentry.clearance_threshold(sentry.Params(k_pg=0.6))
    slower = sentry.clearance_threshold(sentry.Params(k_pg=0.1))
    for sentence in (
        f"the threshold is {threshold:.2f} × 10⁶ cells/cc",
        f"(At 0.1 h⁻¹ the threshold is {slower:.1f} × 10⁶ cells/cc.)",  # a "Try this" step
        f"from {threshold:.2f} to {faster:.2f} × 10⁶ cells/cc",  # a self-check answer, closed
    ):
        assert sentence in " ".join(after["text"].split()), f"not shown after Run All: {sentence!r}"


def test_saving_after_run_all_keeps_the_kernels_results_out_of_the_page(notebook):
    """jupyterlab-myst stores each evaluated expression in the markdown cell's metadata; jupytext
    would write it into the page (``+++ {"user_expressions": ...}``), so a page saved after Run All
    would carry one run's numbers in its source. ``[tool.jupytext]`` in pyproject.toml filters it."""
    rendered, _ = notebook
    assert rendered["saved"] is not None, "File > Save did not save the page"
    assert "user_expressions" not in rendered["saved"]
    assert re.findall(r"\{eval\}`([^`]+)`", rendered["saved"]) == EXPRESSIONS


def test_self_check_answers_start_closed(notebook):
    rendered, _ = notebook
    dropdowns = len(re.findall(r"^:class: dropdown", (ROOT / PAGE).read_text(), re.M))
    assert dropdowns and rendered["details"] == dropdowns and rendered["open"] == 0


def test_plumbing_cells_start_collapsed(notebook):
    """Cells the book hides (tags remove-cell, remove-input, hide-input) carry
    ``jupyter.source_hidden``, so JupyterLab shows them collapsed rather than their plumbing."""
    rendered, _ = notebook
    tagged = len(
        re.findall(r"^:tags: \[[^\]]*(?:remove-cell|remove-input|hide-input)", (ROOT / PAGE).read_text(), re.M)
    )
    assert tagged and rendered["collapsed"] == tagged


def test_every_page_marks_its_plumbing_cells_hidden_for_jupyterlab():
    import jupytext

    for page in sorted((ROOT / "book").rglob("*.md")):
        notebook = jupytext.read(page)
        for cell in notebook.cells:
            tags = set(cell.metadata.get("tags", []))
            if cell.cell_type == "code" and tags & {"remove-cell", "remove-input", "hide-input"}:
                assert cell.metadata.get("jupyter", {}).get("source_hidden"), f"{page.name}: {cell.source[:60]!r}"


def test_live_figures_follow_jupyterlabs_dark_theme(notebook):
    rendered, live = notebook
    assert rendered["theme"] == "false", "JupyterLab's dark theme is not on"
    assert live, "no live figure drawn after Run All"
    dark = themes.THEMES["dark"]["background"]
    for box in live:
        paper, ticks = (_hex(box[part]) for part in ("paper", "ticks"))
        assert themes.contrast(paper, dark) < 1.1, f"live figure background {box['paper']} in the dark theme"
        assert themes.contrast(ticks, paper) >= 7, f"tick labels {box['ticks']} on {box['paper']}"
        assert box["sliders"] >= 1


def _hex(css: str) -> str:
    return "#{:02x}{:02x}{:02x}".format(*(int(float(v)) for v in re.findall(r"[\d.]+", css)[:3]))
