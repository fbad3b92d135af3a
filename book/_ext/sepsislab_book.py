"""Sphinx glue of the septic shock book.

* Kernels started by the build see ``SEPSISLAB_STATIC=1``, so every explorer
  emits its static, offline figure instead of a live widget.
* The execution cache is keyed on notebook text only; when the ``sepsislab``
  package changes, cached outputs would be stale, so the cache is dropped.
* plotly.js and the explorer script are added only to pages that hold a figure.
* sphinx-thebe (always loaded by Jupyter Book, unused here) is removed from pages.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import sepsislab

PACKAGE = Path(sepsislab.__file__).parent


def package_fingerprint() -> str:
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(PACKAGE).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _on_config(app, config):
    os.environ["SEPSISLAB_STATIC"] = "1"
    cache = getattr(config, "nb_execution_cache_path", "") or ""
    if not cache:
        return
    cache = Path(app.confdir, cache) if not os.path.isabs(cache) else Path(cache)
    stamp = cache.parent / ".sepsislab-package-hash"
    current = package_fingerprint()
    if stamp.exists() and stamp.read_text() != current and cache.exists():
        shutil.rmtree(cache)
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(current)


def _is_thebe(asset) -> bool:
    text = f"{getattr(asset, 'filename', asset)} {getattr(asset, 'attributes', {}).get('body', '')}"
    return "thebe" in text.lower()


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


def setup(app):
    app.connect("config-inited", _on_config)
    app.connect("html-page-context", _on_page, priority=900)  # after sphinx-thebe adds its files
    app.add_css_file("sepsislab.css")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
