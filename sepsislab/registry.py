"""Every explorer and every page of the book, found in one place (top layer).

The interactive helper (:mod:`sepsislab.interactive`) knows nothing of the views it serves:
explorers register themselves in :data:`sepsislab.interactive.REGISTRY` when their view module is
imported. The modules that need *all* of them — the benchmark, ``python -m sepsislab.precompute``,
the tests — call :func:`load_all_views` from here, above :mod:`sepsislab.views` in the layers.
The pages, in reading order, come from :func:`toc_pages`, the one reader of ``_toc.yml``.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import yaml

from . import views
from .interactive import REGISTRY, Explorer

__all__ = ["load_all_views", "toc_pages", "BOOK_ROOT"]

#: The checkout that holds ``_config.yml`` and ``_toc.yml`` (the package is installed editable from it).
BOOK_ROOT = Path(__file__).resolve().parents[1]


def load_all_views() -> dict[str, Explorer]:
    """Import every module of :mod:`sepsislab.views` so that all explorers register.

    Returns
    -------
    dict of str to Explorer
        :data:`sepsislab.interactive.REGISTRY`: every explorer by its key.
    """
    for info in pkgutil.iter_modules(views.__path__):
        importlib.import_module(f"{views.__name__}.{info.name}")
    return REGISTRY


def toc_pages(root: Path = BOOK_ROOT) -> list[str]:
    """Every page of the book's ``_toc.yml``, root first and then in reading order.

    Parameters
    ----------
    root : Path
        The checkout holding ``_toc.yml``.

    Returns
    -------
    list of str
        Page names as Sphinx knows them, without suffix, e.g. ``"book/ch1/sentry"``.

    Raises
    ------
    ValueError
        When ``root`` holds no ``_toc.yml``.
    """
    path = Path(root) / "_toc.yml"
    if not path.is_file():
        raise ValueError(f"root={str(root)!r} holds no _toc.yml (the book's table of contents)")
    toc = yaml.safe_load(path.read_text())
    names = [str(Path(toc["root"]).with_suffix(""))]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                names.append(str(Path(entry["file"]).with_suffix("")))
            walk(entry.get("sections"))
            walk(entry.get("chapters"))

    walk(toc.get("parts"))
    walk(toc.get("chapters"))
    return names
