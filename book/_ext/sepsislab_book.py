"""Sphinx glue of the septic shock book.

* Kernels started by the build see ``SEPSISLAB_STATIC=1``, so every explorer
  emits its static, offline figure instead of a live widget.
* The execution cache is keyed on notebook text only; when the ``sepsislab``
  package changes, cached outputs would be stale, so the cache is dropped and
  every page is re-read.
* plotly.js and the explorer script are added only to pages that hold a figure.
* sphinx-thebe (always loaded by Jupyter Book, unused here) is removed from pages.
* Reader fixes: ``{year}`` in the footer becomes the build year; controls of the
  stock theme get accessible names that match what they show (axe rules
  ``label-content-name-mismatch`` and ``summary-name``); ``sepsislab-reader.js``
  fixes the header buttons that exist only with JavaScript; citations are list items.
* The theme's 1.5 MB Font Awesome script is replaced by an empty one (its CSS draws the icons).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from pathlib import Path

import sepsislab

PACKAGE = Path(sepsislab.__file__).parent


def package_fingerprint() -> str:
    digest = hashlib.sha256()
    # code and the shipped tables of precomputed figures: both shape what a page shows
    for path in sorted([*PACKAGE.rglob("*.py"), *PACKAGE.rglob("*.json.gz")]):
        digest.update(path.relative_to(PACKAGE).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def build_year() -> str:
    """The year of the build (SOURCE_DATE_EPOCH, when set, for reproducible builds)."""
    return str(time.gmtime(int(os.environ.get("SOURCE_DATE_EPOCH", time.time()))).tm_year)


def _on_config(app, config):
    os.environ["SEPSISLAB_STATIC"] = "1"
    footer = config.html_theme_options.get("extra_footer")
    if footer:
        config.html_theme_options["extra_footer"] = footer.replace("{year}", build_year())
    # myst-nb's default cache location when nb_execution_cache_path is empty (Jupyter Book's default)
    cache = Path(getattr(config, "nb_execution_cache_path", "") or Path(app.outdir).parent / ".jupyter_cache")
    cache = cache if cache.is_absolute() else Path(app.confdir, cache)
    stamp = cache.parent / ".sepsislab-package-hash"
    current = package_fingerprint()
    if stamp.exists() and stamp.read_text() != current:
        app.sepsislab_package_changed = True  # re-read every page, see _on_outdated
        if cache.exists():
            shutil.rmtree(cache)
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(current)


def _is_thebe(asset) -> bool:
    text = f"{getattr(asset, 'filename', asset)} {getattr(asset, 'attributes', {}).get('body', '')}"
    return "thebe" in text.lower()


def _on_outdated(app, env, added, changed, removed):
    """After the package changed, every executed page is out of date, not only edited ones."""
    return sorted(env.found_docs) if getattr(app, "sepsislab_package_changed", False) else []


def _on_page(app, pagename, templatename, context, doctree):
    # Jupyter Book always loads sphinx-thebe, whose inline config is emitted twice
    # ("THEBE_JS_URL has already been declared") and names a CDN; the book has no
    # live-code cells in HTML (notebooks run on Binder instead), so drop it.
    for key in ("script_files", "css_files"):
        if key in context:
            context[key][:] = [asset for asset in context[key] if not _is_thebe(asset)]
    if "sepsislab-explorer" in context.get("body", ""):
        app.add_js_file("plotly-cartesian.min.js")
        app.add_js_file("sepsislab-explorer.js")
    if "body" in context:
        # myst-nb names the "Show code cell source" toggle "Toggle hidden content":
        # let its visible text be its name.
        # Citations sit in a role="list" but carry the deprecated "doc-biblioentry"
        # role, so the list has no items (axe: aria-required-children, critical).
        context["body"] = (context["body"]
                           .replace('<summary aria-label="Toggle hidden content">', "<summary>")
                           .replace(' role="doc-biblioentry"', ' role="listitem"'))
    if "generate_toctree_html" in context:
        context["generate_toctree_html"] = _named_toggles(context["generate_toctree_html"])


def _named_toggles(generate):
    """Wrap the theme's sidebar builder: its expand/collapse <summary> holds only an icon."""
    def wrapped(*args, **kwargs):
        from bs4 import BeautifulSoup

        out = generate(*args, **kwargs)
        soup = BeautifulSoup(out, "html.parser") if isinstance(out, str) else out
        for summary in soup.select("details > summary"):
            if summary.get_text(strip=True) or summary.get("aria-label"):
                continue
            link = summary.parent.find_previous_sibling("a")
            title = link.get_text(" ", strip=True) if link else ""
            summary["aria-label"] = f"Sections of {title}" if title else "Sections"
        return str(soup) if isinstance(out, str) else soup

    return wrapped


def _on_build_finished(app, exception):
    # pydata-sphinx-theme loads scripts/fontawesome.js (1.5 MB) on every page to swap icons
    # for SVG, yet its CSS already draws every icon from the Font Awesome webfont: a first
    # visit carried 1.5 MB for nothing (budget first_visit_mb_max). Ship an empty script.
    if exception is not None or app.builder.format != "html":
        return
    script = Path(app.outdir, "_static", "scripts", "fontawesome.js")
    if script.exists() and script.stat().st_size > 10_000:
        script.write_text("/* Icons come from the Font Awesome webfont in the theme's CSS; "
                          "see book/_ext/sepsislab_book.py. */\n")
        script.with_name(script.name + ".map").unlink(missing_ok=True)


def setup(app):
    app.connect("config-inited", _on_config)
    app.connect("env-get-outdated", _on_outdated)
    app.connect("build-finished", _on_build_finished)
    app.connect("html-page-context", _on_page, priority=900)  # after sphinx-thebe adds its files
    app.add_css_file("sepsislab.css")
    app.add_js_file("sepsislab-reader.js", loading_method="defer")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
