"""The part of a chapter-3 page that every practice shares, generated from its definition.

Each page of chapter 3 opens with where to get its notebook (Binder, download), how many graded
questions and points it holds, and what to read first. A page shows it with one cell::

    from sepsislab.exercises.pages import notebook_card
    notebook_card("starling", read_first="sec-barrier")

The numbers come from the practice (:mod:`sepsislab.exercises.practices`), and the Binder address
from the book's ``_config.yml`` (``repository`` and ``launch_buttons``), the same that the launch
buttons of every page use: a fork that changes its repository address changes every link.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

from .practices import NAMES, get

__all__ = ["notebook_card", "notebook_card_markdown", "binder_url"]


def _book_root() -> Path:
    """The checkout holding ``_config.yml``: the kernel's folder or one above it (a page run in the
    book), else the checkout this package is installed from (a page copied elsewhere)."""
    here = Path.cwd().resolve()
    for folder in (here, *here.parents, Path(__file__).resolve().parents[2]):
        if (folder / "_config.yml").is_file() and (folder / "exercises").is_dir():
            return folder
    raise ValueError(f"no _config.yml of the book in {here} or above it; run the page from the book's checkout")


def binder_url(path: str, root: Path | None = None) -> str:
    """The Binder address that opens a file of the repository in JupyterLab.

    Parameters
    ----------
    path : str
        The file, relative to the repository root (``"exercises/starling.ipynb"``).
    root : Path, optional
        The checkout; found from the working directory when omitted.

    Returns
    -------
    str
        ``<binderhub_url>/v2/gh/<owner>/<repository>/<branch>?urlpath=lab/tree/<path>``.
    """
    import yaml  # installed with Jupyter Book

    config = yaml.safe_load((root or _book_root()).joinpath("_config.yml").read_text(encoding="utf-8"))
    repository = config["repository"]
    slug = repository["url"].rstrip("/").split("github.com/", 1)[1]
    hub = config.get("launch_buttons", {}).get("binderhub_url", "https://mybinder.org").rstrip("/")
    return f"{hub}/v2/gh/{slug}/{repository.get('branch', 'main')}?urlpath=lab/tree/{quote(path)}"


def notebook_card_markdown(practice: str, *, read_first: str, page_dir: Path | None = None) -> str:
    """The opening paragraph of a practice page as MyST Markdown.

    Parameters
    ----------
    practice : str
        Name of the practice, one of :data:`sepsislab.exercises.practices.NAMES`.
    read_first : str
        Label of the section to read before the practice (``"sec-barrier"``).
    page_dir : Path, optional
        Folder of the page, ``book/ch3`` of the checkout when omitted; the download link is
        relative to it.

    Returns
    -------
    str
        Links to open the notebook on Binder and to download it, the number of graded questions
        and points, and the section to read first.
    """
    if practice not in NAMES:
        raise ValueError(f"practice={practice!r} is not a practice; allowed: {', '.join(NAMES)}")
    definition = get(practice)
    root = _book_root()
    page_dir = (page_dir or root / "book" / "ch3").resolve()
    notebook = f"exercises/{practice}.ipynb"
    download = Path(os.path.relpath(root / notebook, page_dir)).as_posix()
    return (
        f"**The notebook:** [open `{practice}.ipynb` on Binder]({binder_url(notebook, root)}) · "
        f"{{download}}`download it <{download}>` · {len(definition.questions)} graded questions, "
        f"{definition.max_points:g} points. Read first: {{ref}}`{read_first}`. Your numbers are drawn from "
        'the identifier you write in the notebook\'s first cell; `check("q1")` and the others answer at once.'
    )


def notebook_card(practice: str, *, read_first: str):
    """:func:`notebook_card_markdown` displayed as a cell's output (myst-nb renders it as MyST).

    Parameters
    ----------
    practice : str
        Name of the practice.
    read_first : str
        Label of the section to read before the practice.

    Returns
    -------
    IPython.display.Markdown
        The paragraph, ready to display.
    """
    from IPython.display import Markdown

    return Markdown(notebook_card_markdown(practice, read_first=read_first))
