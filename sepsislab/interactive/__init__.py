"""One helper that turns any model into an interactive figure.

A *view* is a plain function of the slider values that returns a list of plotly
trace dicts (``{"type": "scatter", "name": ..., "x": ..., "y": ...}``); it calls a
model and touches neither widgets nor plotly. :func:`explorer` wraps it in an
:class:`Explorer` (the view, its sliders, layout, caption and text alternative), and
``Explorer.show()`` displays it the way the reader meets it:

* in a live kernel (JupyterLab, Binder): a :class:`~sepsislab.interactive.live.LiveFigure`,
  ipywidgets sliders labelled with units that re-run the view on every move and
  update a plotly ``FigureWidget`` in place (module :mod:`.live`);
* while the book is built (the book's Sphinx extension sets :data:`STATIC_ENV` for the
  kernels it starts): a static figure, HTML range inputs stepping through a grid of
  precomputed values, drawn in the browser by the ``plotly-cartesian.min.js`` that the
  book ships once in ``_static`` (module :mod:`.static`, which also reads and writes the
  shipped tables of slow explorers).

The numbers a page states in its prose go through the same helper: :func:`share` (module
:mod:`.inline`) glues each one for the HTML book and binds it in the notebook, where
JupyterLab's MyST renderer evaluates the page's inline expressions.

Both draw in the light or dark look of :mod:`.themes`. Every explorer registers itself
in :data:`REGISTRY`, which is what the benchmark (``python -m sepsislab.bench``, which
also times the live update) and the tests iterate over.
"""

from __future__ import annotations

import os
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .inline import share
from .stamp import package_stamp
from .static import DATA_KEYS
from .themes import PALETTE

__all__ = [
    "Slider",
    "Explorer",
    "explorer",
    "REGISTRY",
    "PALETTE",
    "base_layout",
    "static_mode",
    "STATIC_ENV",
    "DATA_KEYS",
    "displayed_widgets",
    "package_stamp",
    "share",
]

#: Explorers by key, filled as view modules are imported.
REGISTRY: dict[str, Explorer] = {}

#: Live figures displayed by :meth:`Explorer.show` in this kernel (weak references),
#: so that tests can find and drive what a page showed: see :func:`displayed_widgets`.
_DISPLAYED: list = []

#: The environment variable that switches :meth:`Explorer.show` to the static figure
#: (set to ``1`` by the book's Sphinx extension for the kernels of the build).
STATIC_ENV = "SEPSISLAB_STATIC"


def static_mode() -> bool:
    """True while the book is being built: emit static HTML instead of widgets."""
    return os.environ.get(STATIC_ENV, "") not in ("", "0")


def base_layout(**overrides) -> dict:
    """The shared look of every figure; ``overrides`` are merged one level deep."""
    layout = dict(
        template="plotly_white",
        colorway=PALETTE,
        font=dict(family="system-ui, -apple-system, 'Segoe UI', sans-serif", size=14),
        margin=dict(l=64, r=24, t=48, b=56),
        height=420,
        legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0),
        hovermode="x unified",
    )
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(layout.get(key), dict):
            layout[key] = {**layout[key], **value}
        else:
            layout[key] = value
    return layout


@dataclass(frozen=True)
class Slider:
    """One model parameter the reader can move.

    ``name`` is the keyword passed to the view; ``label`` and ``unit`` are shown.
    ``steps`` is how many values the static figure precomputes (the live widget
    moves continuously). ``log=True`` spaces values geometrically.
    """

    name: str
    label: str
    unit: str
    low: float
    high: float
    default: float
    steps: int = 9
    log: bool = False

    def __post_init__(self):
        if not (self.low < self.high and self.low <= self.default <= self.high):
            raise ValueError(f"slider {self.name}: need low < high and default within them")
        if self.log and self.low <= 0:
            raise ValueError(f"slider {self.name}: a log slider needs low > 0")
        if self.steps < 2:
            raise ValueError(f"slider {self.name}: steps must be ≥ 2")

    def grid(self) -> np.ndarray:
        """Precomputed values for the static figure; the default is always on it."""
        space = np.geomspace if self.log else np.linspace
        values = space(self.low, self.high, self.steps)
        values[np.argmin(np.abs(values - self.default))] = self.default
        return values

    @property
    def caption(self) -> str:
        return f"{self.label} ({self.unit})" if self.unit else self.label


@dataclass(frozen=True)
class Explorer:
    """A model view plus its sliders: what :func:`explorer` registers.

    The live widget is :class:`.live.LiveFigure`, the book's figure and the shipped tables
    are in :mod:`.static`, and the benchmark times the live update.
    """

    key: str
    view: Callable[..., list[dict]]
    sliders: tuple[Slider, ...]
    layout: dict
    caption: str
    alt: str
    #: True when one view call is too slow for a live slider (> 16 ms): the frames
    #: of the slider grid are computed once (``python -m sepsislab.precompute``),
    #: shipped in ``sepsislab/precomputed/``, and the live widget
    #: steps through the same grid as the static figure.
    precomputed: bool = False

    @property
    def defaults(self) -> dict[str, float]:
        return {s.name: s.default for s in self.sliders}

    def traces(self, **values) -> list[dict]:
        """The view's traces for slider values (missing ones take their default)."""
        unknown = set(values) - set(self.defaults)
        if unknown:
            raise ValueError(f"{self.key}: unknown slider(s) {sorted(unknown)}; allowed: {sorted(self.defaults)}")
        return self.view(**{**self.defaults, **values})

    def widget(self):
        """The live figure (:class:`.live.LiveFigure`): ``.figure``, ``.controls``, ``.box``."""
        from .live import LiveFigure

        return LiveFigure(self)

    def static_html(self) -> str:
        """The book's offline figure (:func:`.static.figure_html`)."""
        from .static import figure_html

        return figure_html(self)

    def show(self):
        """Display the live widget in a kernel, the static figure in the book."""
        from IPython.display import HTML, display

        if static_mode():
            display(HTML(self.static_html()))
        else:
            live = self.widget()
            _DISPLAYED.append(weakref.ref(live))
            display(live)


def _titles_as_dicts(layout: dict) -> dict:
    """plotly.js 4 ignores a title given as a bare string: wrap every one as ``{"text": …}``."""
    out = dict(layout)
    for key, value in layout.items():
        if key == "title" and isinstance(value, str):
            out[key] = {"text": value}
        elif isinstance(value, dict) and isinstance(value.get("title"), str):
            out[key] = {**value, "title": {"text": value["title"]}}
    return out


def explorer(key: str, *, sliders: Sequence[Slider], layout: dict, caption: str, alt: str, precomputed: bool = False):
    """Decorator: turn a view function into a registered :class:`Explorer`.

    Parameters
    ----------
    key : str
        Unique name, ``"<module>.<figure>"``; the benchmark reports it.
    sliders : sequence of Slider
        The parameters the reader can move.
    layout : dict
        plotly layout (start from :func:`base_layout`).
    caption : str
        What the figure shows and what to try.
    alt : str
        Text alternative for screen readers: what the figure shows.
    precomputed : bool
        Ship the slider grid's frames as a table (for views slower than 16 ms).
    """

    def wrap(view: Callable[..., list[dict]]) -> Explorer:
        if key in REGISTRY and REGISTRY[key].view.__qualname__ != view.__qualname__:
            raise ValueError(f"two explorers share the key {key!r}")
        made = Explorer(
            key=key,
            view=view,
            sliders=tuple(sliders),
            layout=_titles_as_dicts(layout),
            caption=caption,
            alt=alt,
            precomputed=precomputed,
        )
        REGISTRY[key] = made
        return made

    return wrap


def displayed_widgets() -> list:
    """The live figures :meth:`Explorer.show` displayed in this kernel, oldest first.

    Each is a :class:`.live.LiveFigure` (``.figure``, ``.controls``, ``.explorer``,
    ``.model_id``); ``tests/test_notebooks.py`` runs a page in a kernel and drives
    every one of them, as a reader on Binder would.
    """
    return [box for box in (ref() for ref in _DISPLAYED) if box is not None]
