"""The live figure of an explorer in a kernel (JupyterLab, Binder).

:class:`LiveFigure` puts ipywidgets sliders, labelled with their units, above a plotly
``FigureWidget`` and re-runs the view whenever a slider moves, copying only the data
arrays into the existing traces (one batched message to the browser). A precomputed
explorer's sliders snap to the grid of its shipped table instead.
"""

from __future__ import annotations

import html

import numpy as np

from .static import DATA_KEYS, format_value, load_table
from .themes import jupyterlab_css

#: Width of a slider: the full cell on a narrow screen, at most this on a wide one.
SLIDER_MAX_WIDTH = "520px"


def _step(low: float, high: float, default: float) -> float:
    """About 100 steps between ``low`` and ``high``, with ``default`` exactly on the grid."""
    raw = (high - low) / 100
    n = round((default - low) / raw)
    return (default - low) / n if n > 0 else raw


def _continuous_slider(slider, layout):
    import ipywidgets as w

    common = dict(
        value=slider.default,
        description=slider.caption,
        continuous_update=True,
        style={"description_width": "initial"},
        layout=layout,
        readout_format=".3g",
    )
    if slider.log:
        low, high = np.log10(slider.low), np.log10(slider.high)
        return w.FloatLogSlider(min=low, max=high, step=_step(low, high, np.log10(slider.default)), base=10, **common)
    return w.FloatSlider(min=slider.low, max=slider.high, step=_step(slider.low, slider.high, slider.default), **common)


class LiveFigure:
    """Sliders over a plotly ``FigureWidget`` for one explorer.

    Parameters
    ----------
    explorer : Explorer
        What to draw: its view, sliders, layout and caption.

    Attributes
    ----------
    explorer : Explorer
    figure : plotly.graph_objects.FigureWidget
        The plot, updated in place.
    controls : dict of str to ipywidgets slider
        Slider name → widget; setting a widget's value redraws the figure.
    box : ipywidgets.VBox
        What is displayed (class ``sepsislab-explorer``).
    """

    def __init__(self, explorer):
        import ipywidgets as w
        import plotly.graph_objects as go

        self.explorer = explorer
        self._table = load_table(explorer) if explorer.precomputed else None
        data = self._table["data"] if self._table else explorer.traces()
        self.figure = go.FigureWidget(data=data, layout=explorer.layout)
        layout = w.Layout(width="100%", max_width=SLIDER_MAX_WIDTH)
        if self._table:
            self._grids = [np.asarray(s["values"], dtype=float) for s in self._table["sliders"]]
            self.controls = {
                s.name: w.SelectionSlider(
                    options=[(format_value(v), float(v)) for v in grid],
                    value=float(grid[entry["index"]]),
                    description=s.caption,
                    continuous_update=True,
                    style={"description_width": "initial"},
                    layout=layout,
                )
                for s, grid, entry in zip(explorer.sliders, self._grids, self._table["sliders"])
            }
        else:
            self.controls = {s.name: _continuous_slider(s, layout) for s in explorer.sliders}
        for control in self.controls.values():
            control.observe(self.redraw, names="value")
        theme = w.HTML(f"<style>{jupyterlab_css()}</style>", layout=w.Layout(display="none"))
        caption = w.HTML(f"<p><em>{html.escape(explorer.caption)}</em></p>")
        self.box = w.VBox([*self.controls.values(), self.figure, caption, theme])
        self.box.add_class("sepsislab-explorer")
        self.box.add_class("sepsislab-live")

    @property
    def model_id(self) -> str:
        """The widget model id of the displayed box (as the front end knows it)."""
        return self.box.model_id

    def values(self) -> dict[str, float]:
        """The sliders' current values by name."""
        return {name: control.value for name, control in self.controls.items()}

    def redraw(self, _change=None) -> None:
        """Redraw for the sliders' current values (called when one moves)."""
        self.apply(self.values())

    def apply(self, values: dict[str, float]) -> None:
        """Draw the figure for slider ``values`` (name → value) in one batched update."""
        if self._table:
            self._apply_frame(values)
        else:
            self._push(self.explorer.traces(**values))

    def _apply_frame(self, values: dict[str, float]) -> None:
        flat = 0
        for s, grid in zip(self.explorer.sliders, self._grids):
            flat = flat * len(grid) + int(np.argmin(np.abs(grid - values[s.name])))
        with self.figure.batch_update():
            for (t, k), data in zip(self._table["varying"], self._table["frames"][flat]):
                self.figure.data[t][k] = data

    def _push(self, traces: list[dict]) -> None:
        """Copy only the data arrays into the existing traces."""
        with self.figure.batch_update():
            for trace, new in zip(self.figure.data, traces):
                for key in DATA_KEYS:
                    if key in new:
                        trace[key] = new[key]

    def _repr_mimebundle_(self, **kwargs):
        return self.box._repr_mimebundle_(**kwargs)
