"""One helper that turns any model into an interactive figure.

A *view* is a plain function of the slider values that returns a list of plotly
trace dicts (``{"type": "scatter", "name": ..., "x": ..., "y": ...}``); it calls a
model and touches neither widgets nor plotly. :func:`explorer` wraps it:

* in a live kernel (JupyterLab, Binder), ``Explorer.show()`` displays ipywidgets
  sliders labelled with units that re-run the view on every move and update a
  plotly ``FigureWidget`` in place;
* while the book is built (the book's Sphinx extension sets
  ``SEPSISLAB_STATIC=1`` for the kernels it starts), ``show()`` emits a static
  figure: HTML range inputs stepping through a grid of precomputed values, drawn
  by the ``plotly-cartesian.min.js`` that the book ships once in ``_static``.

Every explorer registers itself in :data:`REGISTRY`, which is what the benchmark
(``python -m sepsislab.bench``) and the tests iterate over.
"""

from __future__ import annotations

import gzip
import html
import itertools
import json
import os
import time
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

__all__ = ["Slider", "Explorer", "explorer", "REGISTRY", "PALETTE", "base_layout", "static_mode"]

#: Okabe & Ito's colour-blind-safe palette, used by every figure of the book.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]

#: Trace keys that carry data (and so change with the sliders); the rest is style.
DATA_KEYS = ("x", "y", "z", "text")

#: Explorers by key, filled as view modules are imported.
REGISTRY: dict[str, "Explorer"] = {}

#: Live widgets displayed by :meth:`Explorer.show` in this kernel (weak references),
#: so that tests can find and drive what a page showed: see :func:`displayed_widgets`.
_DISPLAYED: list = []

#: Cap on precomputed slider combinations per static figure (page-size budget).
MAX_COMBINATIONS = 400

STATIC_ENV = "SEPSISLAB_STATIC"

#: Shipped tables of explorers too slow to recompute on every slider move.
PRECOMPUTED_DIR = Path(__file__).parent / "precomputed"


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


def _rounded(value):
    """JSON-ready data with 4 significant digits, so pages stay small."""
    arr = np.asarray(value)
    if arr.dtype.kind in "fc":
        with np.errstate(all="ignore"):
            out = np.vectorize(lambda v: float(f"{v:.4g}"), otypes=[object])(arr) if arr.size else arr
        return out.tolist() if arr.ndim else float(out)
    if arr.dtype.kind in "iub":
        return arr.tolist()
    return [str(v) for v in arr.tolist()] if arr.ndim else str(value)


def _format_value(value: float) -> str:
    """3 significant digits in plain notation, as the browser shows them (1000, not 1e+03)."""
    return np.format_float_positional(float(f"{value:.3g}"), trim="-")


@dataclass
class Explorer:
    """A model view plus its sliders; see the module docstring."""

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
    _widget_cache: list = field(default_factory=list, repr=False)

    # -- shared ---------------------------------------------------------------
    @property
    def defaults(self) -> dict[str, float]:
        return {s.name: s.default for s in self.sliders}

    def traces(self, **values) -> list[dict]:
        """The view's traces for slider values (missing ones take their default)."""
        unknown = set(values) - set(self.defaults)
        if unknown:
            raise ValueError(f"{self.key}: unknown slider(s) {sorted(unknown)}; "
                             f"allowed: {sorted(self.defaults)}")
        return self.view(**{**self.defaults, **values})

    def show(self):
        """Display the live widget in a kernel, the static figure in the book."""
        from IPython.display import HTML, display

        if static_mode():
            display(HTML(self.static_html()))
        else:
            box = self.widget()
            _DISPLAYED.append(weakref.ref(box))
            display(box)

    # -- live kernel ----------------------------------------------------------
    def widget(self):
        """ipywidgets sliders (with units) above a plotly FigureWidget.

        The returned box has ``.figure`` (the FigureWidget) and ``.controls``
        (slider name → ipywidgets slider), so tests and curious readers can
        drive it programmatically.
        """
        import ipywidgets as w
        import plotly.graph_objects as go

        if self.precomputed:
            return self._table_widget()
        figure = go.FigureWidget(data=self.traces(), layout=self.layout)
        controls = {}

        def step(lo, hi, default):
            # ~100 steps, adjusted so that the default value lies exactly on the slider's grid
            raw = (hi - lo) / 100
            n = round((default - lo) / raw)
            return (default - lo) / n if n > 0 else raw

        for s in self.sliders:
            common = dict(value=s.default, description=s.caption, continuous_update=True,
                          style={"description_width": "initial"}, layout=w.Layout(width="520px"),
                          readout_format=".3g")
            if s.log:
                lo, hi = np.log10(s.low), np.log10(s.high)
                controls[s.name] = w.FloatLogSlider(min=lo, max=hi, step=step(lo, hi, np.log10(s.default)),
                                                    base=10, **common)
            else:
                controls[s.name] = w.FloatSlider(min=s.low, max=s.high, step=step(s.low, s.high, s.default),
                                                 **common)

        def apply(values: dict) -> None:
            self._push(figure, self.traces(**values))

        return self._assemble(figure, controls, apply)

    def _table_widget(self):
        """Live widget of a precomputed explorer: sliders snap to the table's grid."""
        import ipywidgets as w
        import plotly.graph_objects as go

        spec = self.static_spec()
        figure = go.FigureWidget(data=spec["data"], layout=self.layout)
        grids = [np.asarray(s["values"], dtype=float) for s in spec["sliders"]]
        controls = {
            s.name: w.SelectionSlider(options=[(_format_value(v), float(v)) for v in grid],
                                      value=float(grid[entry["index"]]), description=s.caption,
                                      continuous_update=True, style={"description_width": "initial"},
                                      layout=w.Layout(width="520px"))
            for s, grid, entry in zip(self.sliders, grids, spec["sliders"])}

        def apply(values: dict) -> None:
            flat = 0
            for s, grid in zip(self.sliders, grids):
                flat = flat * len(grid) + int(np.argmin(np.abs(grid - values[s.name])))
            with figure.batch_update():
                for (t, k), data in zip(spec["varying"], spec["frames"][flat]):
                    figure.data[t][k] = data

        return self._assemble(figure, controls, apply)

    def _assemble(self, figure, controls: dict, apply: Callable[[dict], None]):
        import ipywidgets as w

        def redraw(_change=None):
            apply({n: c.value for n, c in controls.items()})

        for control in controls.values():
            control.observe(redraw, names="value")
        box = w.VBox([*controls.values(), figure, w.HTML(f"<p><em>{html.escape(self.caption)}</em></p>")])
        box.figure, box.controls, box.redraw, box.apply, box.explorer = figure, controls, redraw, apply, self
        return box

    @staticmethod
    def _push(figure, traces: list[dict]) -> None:
        """Copy only the data arrays into the existing traces: one batched message."""
        with figure.batch_update():
            for trace, new in zip(figure.data, traces):
                for key in DATA_KEYS:
                    if key in new:
                        trace[key] = new[key]

    def time_update(self, repeats: int = 30, seed: int = 0) -> dict[str, float]:
        """Median and 95th percentile (ms) of one live widget update."""
        rng = np.random.default_rng(seed)
        box = self._widget_cache[0] if self._widget_cache else self.widget()
        self._widget_cache[:] = [box]
        times = []
        for _ in range(repeats):
            values = {s.name: float(rng.uniform(s.low, s.high)) for s in self.sliders}
            start = time.perf_counter()
            box.apply(values)
            times.append((time.perf_counter() - start) * 1000)
        return {"median_ms": round(float(np.median(times)), 3),
                "p95_ms": round(float(np.percentile(times, 95)), 3)}

    # -- static HTML ----------------------------------------------------------
    def static_spec(self) -> dict:
        """Everything the browser needs: default figure, slider grids, frames."""
        spec = self.load_table() if self.precomputed else self.compute_spec()
        return {**spec, "layout": self.layout}

    @property
    def table_path(self) -> Path:
        return PRECOMPUTED_DIR / f"{self.key}.json.gz"

    def load_table(self) -> dict:
        """The shipped table of a precomputed explorer."""
        if not self.table_path.exists():
            raise ValueError(f"{self.key}: no precomputed table at {self.table_path}; run "
                             f"`python -m sepsislab.precompute {self.key}`")
        with gzip.open(self.table_path, "rt", encoding="utf-8") as fh:
            return json.load(fh)

    def write_table(self) -> Path:
        """Compute every frame of the slider grid and ship it with the package."""
        PRECOMPUTED_DIR.mkdir(exist_ok=True)
        spec = json.loads(json.dumps(self.compute_spec(), default=_rounded))
        with gzip.GzipFile(self.table_path, "wb", mtime=0) as fh:  # mtime=0: same bytes, same file
            fh.write(json.dumps(spec, separators=(",", ":")).encode())
        return self.table_path

    def compute_spec(self) -> dict:
        """Run the view for every combination of slider steps (see :meth:`static_spec`)."""
        grids = [s.grid() for s in self.sliders]
        combos = int(np.prod([len(g) for g in grids])) if grids else 1
        if combos > MAX_COMBINATIONS:
            raise ValueError(f"{self.key}: {combos} precomputed combinations exceed "
                             f"{MAX_COMBINATIONS}; use fewer slider steps")
        start = [int(np.argmin(np.abs(g - s.default))) for g, s in zip(grids, self.sliders)]
        base = self.traces()
        frames = [self.traces(**{s.name: float(g[i]) for s, g, i in zip(self.sliders, grids, idx)})
                  for idx in itertools.product(*[range(len(g)) for g in grids])]
        # Store only the (trace, key) pairs that actually change with the sliders.
        varying = [(t, k) for t, trace in enumerate(base) for k in DATA_KEYS
                   if k in trace and any(not np.array_equal(np.asarray(f[t][k]), np.asarray(trace[k]))
                                         for f in frames)]
        return {
            "data": [{k: (_rounded(v) if k in DATA_KEYS else v) for k, v in t.items()} for t in base],
            "sliders": [{"label": s.caption, "values": _rounded(g), "index": i}
                        for s, g, i in zip(self.sliders, grids, start)],
            "varying": varying,
            "frames": [[_rounded(f[t][k]) for t, k in varying] for f in frames],
        }

    def static_html(self) -> str:
        """The figure for the built book: no kernel, no network."""
        spec = self.static_spec()
        fid = "fig-" + self.key.replace(".", "-").replace("_", "-")
        controls = []
        for n, s in enumerate(spec["sliders"]):
            value = s["values"][s["index"]]
            controls.append(
                f'<label for="{fid}-s{n}">{html.escape(s["label"])}</label>'
                f'<input type="range" id="{fid}-s{n}" min="0" max="{len(s["values"]) - 1}" step="1" '
                f'value="{s["index"]}" aria-valuetext="{_format_value(value)}">'
                f'<output for="{fid}-s{n}">{_format_value(value)}</output>')
        payload = json.dumps(spec, separators=(",", ":"), default=_rounded).replace("</", "<\\/")
        return (f'<figure class="sepsislab-explorer" id="{fid}">'
                f'<div class="sepsislab-controls">{"".join(controls)}</div>'
                f'<div class="sepsislab-plot" role="img" aria-label="{html.escape(self.alt)}"></div>'
                f'<figcaption>{html.escape(self.caption)}</figcaption>'
                f'<script type="application/json">{payload}</script></figure>')


def _titles_as_dicts(layout: dict) -> dict:
    """plotly.js 4 ignores a title given as a bare string: wrap every one as ``{"text": …}``."""
    out = dict(layout)
    for key, value in layout.items():
        if key == "title" and isinstance(value, str):
            out[key] = {"text": value}
        elif isinstance(value, dict) and isinstance(value.get("title"), str):
            out[key] = {**value, "title": {"text": value["title"]}}
    return out


def explorer(key: str, *, sliders: Sequence[Slider], layout: dict, caption: str, alt: str,
             precomputed: bool = False):
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
        made = Explorer(key=key, view=view, sliders=tuple(sliders), layout=_titles_as_dicts(layout),
                        caption=caption, alt=alt, precomputed=precomputed)
        REGISTRY[key] = made
        return made

    return wrap


def displayed_widgets() -> list:
    """The live widgets :meth:`Explorer.show` displayed in this kernel, oldest first.

    Each is the box of :meth:`Explorer.widget` (``.figure``, ``.controls``,
    ``.explorer``); ``tests/test_widgets_kernel.py`` runs a page in a kernel and
    drives every one of them, as a reader on Binder would.
    """
    return [box for box in (ref() for ref in _DISPLAYED) if box is not None]
