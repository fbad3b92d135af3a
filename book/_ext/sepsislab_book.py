"""Sphinx extension of the septic shock book.

What it does, and through which part of Sphinx:

* **Static figures.** The build's kernels must emit the offline figure of every explorer
  instead of a live widget. myst-nb starts them with this process's environment and offers
  no other channel, so :data:`sepsislab.interactive.STATIC_ENV` is set when the
  configuration is read and put back as it was when the build finishes.
* **Execution cache.** myst-nb keys its cache on notebook text only; when the ``sepsislab``
  package changes (:func:`sepsislab.interactive.package_stamp`), cached outputs would be
  stale, so the cache is dropped and every page is re-read (event ``env-get-outdated``).
* **Per-page scripts.** While a page is read, its explorer figures are counted in the
  environment (``doctree-read``; merged across parallel readers). Only pages with figures
  get ``sepsislab-explorer.js`` (which fetches plotly.js when a figure nears the screen).
  Sphinx's MathJax is added only to pages with math. sphinx-thebe (always loaded by
  Jupyter Book, unused here) is dropped from the page's assets.
* **Accessible markup through the translators**: myst-nb's "show code" toggle gets its
  visible text as its name, and citations are list items (axe rules
  ``label-content-name-mismatch`` and ``aria-required-children``); the theme's sidebar
  toggles are named after their section.
* **Theme context**: ``{year}`` in the footer becomes the build year; the download menu
  offers the whole book as a PDF (``make pdf``, config ``sepsislab_book_pdf``).
* The theme's 1.5 MB Font Awesome script is replaced by an empty one (its CSS draws the icons).
* **Numbers in the prose**: the inline role ``{eval}`f"{name:spec}"``` shows a number the page
  shared with :func:`sepsislab.interactive.share`. JupyterLab (jupyterlab-myst) asks the kernel;
  the book, which keeps myst-nb's execution cache and has no kernel while it reads a page, reads
  the value the page glued and formats it as myst-nb's ``{glue:text}`` does. The role replaces
  myst-nb's ``eval`` role (which needs ``nb_execution_mode="inline"``) and accepts only a name
  or an f-string of one field (:func:`parse_inline_expression`); anything else is a warning.

Configuration values: ``sepsislab_plotly_js`` (plotly bundle in ``_static``),
``sepsislab_book_pdf`` (file name of the book's PDF at the site root; empty: no link).
"""

from __future__ import annotations

import ast
import os
import shutil
import time
from html import escape
from pathlib import Path

from docutils import nodes
from myst_nb.core.variables import RetrievalError, format_plain_text
from myst_nb.ext.glue.utils import retrieve_glue_data
from sphinx.util import logging
from sphinx.util.docutils import SphinxRole

from sepsislab.interactive import STATIC_ENV, package_stamp

__version__ = "1.0.0"

logger = logging.getLogger(__name__)

#: Marker of an explorer's static figure in a page's HTML output.
FIGURE_MARK = '<figure class="sepsislab-explorer" id="'

_SAVED_ENV: dict[str, str | None] = {}


def build_year() -> str:
    """The year of the build (SOURCE_DATE_EPOCH, when set, for reproducible builds)."""
    return str(time.gmtime(int(os.environ.get("SOURCE_DATE_EPOCH", time.time()))).tm_year)


# -- static figures and the execution cache --------------------------------------------------


def _static_figures_on(app, config):
    _SAVED_ENV.setdefault(STATIC_ENV, os.environ.get(STATIC_ENV))
    os.environ[STATIC_ENV] = "1"
    footer = config.html_theme_options.get("extra_footer")
    if footer:
        config.html_theme_options["extra_footer"] = footer.replace("{year}", build_year())


def _static_figures_off(app, exception):
    if STATIC_ENV in _SAVED_ENV:
        saved = _SAVED_ENV.pop(STATIC_ENV)
        if saved is None:
            os.environ.pop(STATIC_ENV, None)
        else:
            os.environ[STATIC_ENV] = saved


def _cache_dir(app) -> Path:
    # myst-nb's default location when nb_execution_cache_path is empty (Jupyter Book's default)
    cache = Path(getattr(app.config, "nb_execution_cache_path", "") or Path(app.outdir).parent / ".jupyter_cache")
    return cache if cache.is_absolute() else Path(app.confdir, cache)


def _on_outdated(app, env, added, changed, removed):
    """After the package changed, every executed page is out of date, not only edited ones.

    Runs before any page is read, so the cache is gone before myst-nb opens it.
    """
    cache = _cache_dir(app)
    stamp = cache.parent / ".sepsislab-package-hash"
    current = package_stamp()
    previous = stamp.read_text() if stamp.exists() else None
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(current)
    if previous in (None, current):
        return []
    logger.info("sepsislab changed since the last build: execution cache dropped, every page re-read")
    if cache.exists():
        shutil.rmtree(cache)
    return sorted(env.found_docs)


# -- which pages hold figures ----------------------------------------------------------------


def _count_figures(app, doctree):
    """Record the explorer figures of the page just read; warn (with location) on a repeated id."""
    env, seen = app.env, {}
    for node in doctree.findall(nodes.raw):
        if "html" not in node.get("format", "").split():
            continue
        text = node.astext()
        start = text.find(FIGURE_MARK)
        while start >= 0:
            begin = start + len(FIGURE_MARK)
            fid = text[begin : text.find('"', begin)]
            if fid in seen:
                logger.warning(
                    "explorer figure %r is shown twice on this page: element ids must be "
                    "unique (show the explorer once)",
                    fid,
                    location=node,
                    type="sepsislab",
                    subtype="figure",
                )
            seen[fid] = node
            start = text.find(FIGURE_MARK, begin)
    if not hasattr(env, "sepsislab_figures"):
        env.sepsislab_figures = {}
    env.sepsislab_figures[env.docname] = len(seen)


def _purge(app, env, docname):
    getattr(env, "sepsislab_figures", {}).pop(docname, None)


def _merge(app, env, docnames, other):
    if not hasattr(env, "sepsislab_figures"):
        env.sepsislab_figures = {}
    env.sepsislab_figures.update(getattr(other, "sepsislab_figures", {}))


# -- per page: scripts and theme context -----------------------------------------------------


def _is_thebe(asset) -> bool:
    text = f"{getattr(asset, 'filename', asset)} {getattr(asset, 'attributes', {}).get('body', '')}"
    return "thebe" in text.lower()


def _is_mathjax(asset) -> bool:
    text = f"{getattr(asset, 'filename', asset)} {getattr(asset, 'attributes', {}).get('body', '')}"
    return "mathjax" in text.lower()


def _has_math(doctree) -> bool:
    """Whether the page itself holds math (Sphinx's own test also counts every page below it
    in the toc, which puts MathJax on the root page and every chapter index)."""
    return doctree is not None and any(
        True for _ in doctree.findall(lambda node: isinstance(node, (nodes.math, nodes.math_block)))
    )


def _on_page(app, pagename, templatename, context, doctree):
    # Jupyter Book always loads sphinx-thebe, whose inline config is emitted twice
    # ("THEBE_JS_URL has already been declared") and names a CDN; the book has no
    # live-code cells in HTML (notebooks run on Binder instead), so drop it.
    # MathJax goes only to pages that hold math (myst-nb's dollarmath adds it everywhere).
    math = _has_math(doctree)
    for key in ("script_files", "css_files"):
        if key in context:
            context[key][:] = [
                asset for asset in context[key] if not _is_thebe(asset) and (math or not _is_mathjax(asset))
            ]
    if getattr(app.env, "sepsislab_figures", {}).get(pagename):
        app.add_js_file(
            "sepsislab-explorer.js", loading_method="defer", **{"data-plotly": app.config.sepsislab_plotly_js}
        )
    if "generate_toctree_html" in context:
        context["generate_toctree_html"] = _named_toggles(context["generate_toctree_html"])
    _offer_book_pdf(app, context)


def _offer_book_pdf(app, context):
    """Add "the whole book (.pdf)" to the theme's download menu (made by ``make pdf``)."""
    name = app.config.sepsislab_book_pdf
    for group in context.get("header_buttons", []) if name else []:
        if group.get("label") == "download-buttons":
            group["buttons"].append(
                {
                    "type": "link",
                    "url": context["pathto"](name, 1),
                    "text": "book .pdf",
                    "tooltip": "The whole book as one PDF",
                    "icon": "fas fa-book",
                    "label": "download-book-pdf-button",
                }
            )


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


# -- numbers in the prose: {eval} from the glued values ---------------------------------------


def parse_inline_expression(expression: str) -> tuple[str, str]:
    """The name and format specification of an inline expression the book can show.

    Accepted: a name (``p_star``) or an f-string made of exactly one replacement field,
    ``f"{p_star}"`` or ``f"{p_star:.2f}"``, with a literal format specification. Refused: a
    conversion (``!r``), a nested field in the specification, text around the field, any
    other expression (the book has no kernel to evaluate it).

    Parameters
    ----------
    expression : str
        The content of an ``{eval}`` role.

    Returns
    -------
    tuple of str
        The name, and the format specification (``""`` when none).

    Raises
    ------
    ValueError
        If the expression is not of an accepted form; the message says which form it should take.
    """
    form = 'a name or an f-string of one field, f"{name}" or f"{name:.2f}"'
    try:
        body = ast.parse(expression.strip(), mode="eval").body
    except SyntaxError as exc:
        raise ValueError(f"{expression!r} is not a Python expression ({exc.msg}); write {form}") from None
    if isinstance(body, ast.Name):
        return body.id, ""
    if not (isinstance(body, ast.JoinedStr) and len(body.values) == 1):
        raise ValueError(f"{expression!r} is not {form}")
    (field,) = body.values
    if not (isinstance(field, ast.FormattedValue) and isinstance(field.value, ast.Name)):
        raise ValueError(f"{expression!r}: the field must hold a name only; write {form}")
    if field.conversion != -1:
        raise ValueError(f"{expression!r}: a conversion (!r, !s, !a) is not shown by the book; write {form}")
    spec = field.format_spec.values if field.format_spec is not None else []
    if not all(isinstance(part, ast.Constant) for part in spec):
        raise ValueError(f"{expression!r}: the format specification must be literal; write {form}")
    return field.value.id, "".join(part.value for part in spec)


class GluedExpressionRole(SphinxRole):
    """``{eval}`f"{name:spec}"```: the value the page glued as *name*, formatted with *spec*."""

    def run(self):
        try:
            name, spec = parse_inline_expression(self.text)
            data = retrieve_glue_data(self.inliner.document, name).data
            if "text/plain" not in data:
                raise ValueError(f"the value glued as {name!r} has no text/plain form")
            text = format_plain_text(data["text/plain"], spec)
        except RetrievalError as exc:
            return self._refuse(f"{exc} Share it with sepsislab.interactive.share() in a code cell above.")
        except (ValueError, TypeError) as exc:
            return self._refuse(str(exc))
        node = nodes.inline(text, text, classes=["pasted-text"])
        self.set_source_info(node)
        return [node], []

    def _refuse(self, reason: str):
        logger.warning(
            "inline expression {eval}`%s`: %s",
            self.text,
            reason,
            location=self.get_location(),
            type="sepsislab",
            subtype="eval",
        )
        return [nodes.problematic(self.rawtext, self.rawtext)], []


# -- translators: accessible markup ------------------------------------------------------------


def visit_hidden_code(self, node):
    """myst-nb's toggle, named by its visible text ("Show code cell source") rather than
    the fixed "Toggle hidden content" that hides what it shows."""
    classes = " ".join(node["classes"])
    self.body.append(f'<details class="admonition hide {classes}">\n<summary>\n')
    self.body.append(f'<p class="collapsed admonition-title">{escape(node["prompt_show"])}</p>\n')
    self.body.append(f'<p class="expanded admonition-title">{escape(node["prompt_hide"])}</p>\n')
    self.body.append("</summary>\n")


def depart_hidden_code(self, node):
    self.body.append("</details>\n")


def visit_citation(self, node):
    """A citation in the reference list, as a list item (docutils' deprecated
    ``doc-biblioentry`` role leaves the list without items for assistive technology)."""
    if not isinstance(node.previous_sibling(), type(node)):
        self.body.append('<div role="list" class="citation-list">\n')
    self.body.append(self.starttag(node, "div", classes=[node.tagname], role="listitem"))


def depart_citation(self, node):
    self.body.append("</div>\n")
    if not isinstance(node.next_node(descend=False, siblings=True), type(node)):
        self.body.append("</div>\n")


def _translators(app):
    """Registered once every extension has set up (myst-nb registers its node first)."""
    from myst_nb.sphinx_ import HideCodeCellNode

    app.add_node(HideCodeCellNode, override=True, html=(visit_hidden_code, depart_hidden_code))
    app.add_node(nodes.citation, override=True, html=(visit_citation, depart_citation))


# -- assets ----------------------------------------------------------------------------------


def _on_build_finished(app, exception):
    _static_figures_off(app, exception)
    # pydata-sphinx-theme loads scripts/fontawesome.js (1.5 MB) on every page to swap icons
    # for SVG, yet its CSS already draws every icon from the Font Awesome webfont: a first
    # visit carried 1.5 MB for nothing (budget first_visit_mb_max). Ship an empty script.
    if exception is not None or app.builder.format != "html":
        return
    script = Path(app.outdir, "_static", "scripts", "fontawesome.js")
    if script.exists() and script.stat().st_size > 10_000:
        script.write_text(
            "/* Icons come from the Font Awesome webfont in the theme's CSS; see book/_ext/sepsislab_book.py. */\n"
        )
        script.with_name(script.name + ".map").unlink(missing_ok=True)


def setup(app):
    app.add_config_value("sepsislab_plotly_js", "plotly-cartesian.min.js", "html", types=[str])
    app.add_config_value("sepsislab_book_pdf", "septic-shock.pdf", "html", types=[str])
    app.connect("config-inited", _static_figures_on)
    app.connect("builder-inited", _translators)
    app.connect("env-get-outdated", _on_outdated)
    app.connect("doctree-read", _count_figures)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("build-finished", _on_build_finished)
    app.connect("html-page-context", _on_page, priority=900)  # after sphinx-thebe adds its files
    # after myst-nb, whose own eval role (kernel needed) this one replaces
    app.setup_extension("myst_nb")
    app.add_role("eval", GluedExpressionRole(), override=True)
    app.add_css_file("sepsislab.css")
    app.add_js_file("sepsislab-reader.js", loading_method="defer")
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
