"""Every explorer of the book, loaded in one place (top layer).

The interactive helper (:mod:`sepsislab.interactive`) knows nothing of the views it serves:
explorers register themselves in :data:`sepsislab.interactive.REGISTRY` when their view module is
imported. The modules that need *all* of them — the benchmark, ``python -m sepsislab.precompute``,
the tests — call :func:`load_all_views` from here, above :mod:`sepsislab.views` in the layers.
"""

from __future__ import annotations

import importlib
import pkgutil

from . import views
from .interactive import REGISTRY, Explorer

__all__ = ["load_all_views"]


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
