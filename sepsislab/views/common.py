"""The one way to lay out a multi-panel figure, and the trace builders every view shares.

Panels are numbered from 1, row by row; panel *n* draws on the axis pair ``x{n}``/``y{n}``
(plotly calls the first pair plain ``x``/``y``). A layout helper returns a complete layout
(:func:`sepsislab.interactive.base_layout` with the panels' axes), and a trace is put on a panel
with ``panel=n`` in :func:`curve` and :func:`reference_line`, or with ``**on_panel(n)`` in a hand-made
trace dict.

* :func:`stacked_layout` — panels above each other over one shared x axis (a time course).
* :func:`grid_layout` — panels in rows and columns, with one x axis shared by all panels or an
  x axis of their own.

On a phone the book's figure script (``oneColumn`` in ``book/_static/sepsislab-explorer.js``)
stacks panels that stand side by side into one column, each with its own x tick labels and
title. It finds the panels from the layout itself (each x axis, the y axis it is anchored to —
``y<n>`` for ``x<n>`` unless ``anchor`` names another — and their domains), so a hand-made
layout with panels side by side is stacked too.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..interactive import PALETTE, base_layout

__all__ = [
    "axis_suffix",
    "on_panel",
    "stacked_layout",
    "grid_layout",
    "curve",
    "reference_line",
    "points",
    "text_label",
    "bars",
]


def axis_suffix(panel: int) -> str:
    """plotly's axis-name suffix of a panel: ``""`` for panel 1, then ``"2"``, ``"3"``…

    Parameters
    ----------
    panel : int
        Panel number, from 1.

    Returns
    -------
    str
        The suffix that follows ``xaxis``/``yaxis`` in a layout and ``x``/``y`` in a trace.
    """
    if int(panel) != panel or panel < 1:
        raise ValueError(f"panel must be a whole number ≥ 1, got {panel!r}")
    return "" if panel == 1 else str(int(panel))


def on_panel(panel: int) -> dict:
    """Trace keys that put a trace on a panel (``{}`` for panel 1, plotly's default).

    Parameters
    ----------
    panel : int
        Panel number, from 1.

    Returns
    -------
    dict
        ``{"xaxis": "x<n>", "yaxis": "y<n>"}``, or an empty dict for panel 1.
    """
    n = axis_suffix(panel)
    return dict(xaxis=f"x{n}", yaxis=f"y{n}") if n else {}


def _spans(count: int, gap: float, weights: Sequence[float] | None = None) -> list[list[float]]:
    """``count`` intervals tiling [0, 1] from the top (or left) down, ``gap`` apart, sized by weight."""
    weights = list(weights or [1.0] * count)
    if len(weights) != count:
        raise ValueError(f"one weight per panel: {count} panels, {len(weights)} weights")
    if not 0.0 <= gap * (count - 1) < 1.0:
        raise ValueError(f"gap = {gap} leaves no room for {count} panels; allowed: 0 ≤ gap < 1/{count - 1 or 1}")
    unit = (1.0 - gap * (count - 1)) / sum(weights)
    spans, start = [], 0.0
    for weight in weights:
        spans.append([start, min(start + weight * unit, 1.0)])
        start += weight * unit + gap
    return spans


def _flipped(span: list[float]) -> list[float]:
    """A span measured from the top as a plotly domain (measured from the bottom), rounded."""
    return [round(max(1.0 - span[1], 0.0), 6), round(1.0 - span[0], 6)]


def stacked_layout(
    *, x: dict, panels: Sequence[dict], weights: Sequence[float] | None = None, gap: float = 0.08, **overrides
) -> dict:
    """Panels stacked over one shared x axis, top to bottom.

    Parameters
    ----------
    x : dict
        The shared x-axis options (``title``, ``range``, ``dtick``…); the title and tick labels are
        drawn under the bottom panel only, and zooming one panel zooms them all.
    panels : sequence of dict
        One y-axis dict per panel, top first.
    weights : sequence of float, optional
        Relative panel heights (equal by default).
    gap : float
        Space between panels, as a fraction of the plotting height.
    **overrides
        Further layout keys, passed to :func:`~sepsislab.interactive.base_layout`.

    Returns
    -------
    dict
        A plotly layout; panel *n* uses axes ``x{n}``/``y{n}`` (see :func:`on_panel`).
    """
    layout = {}
    spans = _spans(len(panels), gap, weights)
    for i, (panel, span) in enumerate(zip(panels, spans)):
        n = axis_suffix(i + 1)
        bottom = i == len(panels) - 1
        xaxis = {k: v for k, v in x.items() if bottom or k != "title"}
        layout[f"xaxis{n}"] = dict(xaxis, anchor=f"y{n}", showticklabels=bottom, **({"matches": "x"} if i else {}))
        layout[f"yaxis{n}"] = dict(panel, domain=_flipped(span))
    return base_layout(**layout, **overrides)


def grid_layout(
    *,
    cols: int,
    panels: Sequence[dict],
    x: dict | Sequence[dict],
    hgap: float = 0.12,
    vgap: float = 0.1,
    **overrides,
) -> dict:
    """Panels in a grid, filled row by row.

    Parameters
    ----------
    cols : int
        Number of columns; the number of rows follows from the number of panels.
    panels : sequence of dict
        One y-axis dict per panel, row by row (panel 1 top left).
    x : dict or sequence of dict
        One dict: the x-axis options every panel shares (same variable and range); its title and
        tick labels are drawn under the lowest panel of each column only. A sequence: one x-axis
        dict per panel, each drawn in full (panels that plot different things).
    hgap, vgap : float
        Space between columns and between rows, as fractions of the plotting width and height.
    **overrides
        Further layout keys, passed to :func:`~sepsislab.interactive.base_layout`.

    Returns
    -------
    dict
        A plotly layout; panel *n* uses axes ``x{n}``/``y{n}`` (see :func:`on_panel`).
    """
    if int(cols) != cols or cols < 1:
        raise ValueError(f"cols must be a whole number ≥ 1, got {cols!r}")
    shared = isinstance(x, dict)
    if not shared and len(x) != len(panels):
        raise ValueError(f"one x-axis dict per panel: {len(panels)} panels, {len(x)} x axes")
    rows = -(-len(panels) // cols)
    columns, heights = _spans(cols, hgap), _spans(rows, vgap)
    layout = {}
    for i, panel in enumerate(panels):
        row, col = divmod(i, cols)
        n = axis_suffix(i + 1)
        if shared:
            lowest = i + cols >= len(panels)
            xaxis = (
                dict(x, showticklabels=lowest)
                if lowest
                else dict({k: v for k, v in x.items() if k != "title"}, showticklabels=False)
            )
        else:
            xaxis = dict(x[i])
        layout[f"xaxis{n}"] = dict(xaxis, anchor=f"y{n}", domain=[round(v, 6) for v in columns[col]])
        layout[f"yaxis{n}"] = dict(panel, anchor=f"x{n}", domain=_flipped(heights[row]))
    return base_layout(**layout, **overrides)


def _colour(color: int | str) -> str:
    return PALETTE[color] if isinstance(color, int) else color


def curve(
    name: str, x, y, *, color: int | str, width: float = 3, dash: str | None = None, panel: int = 1, **trace
) -> dict:
    """A line trace.

    Parameters
    ----------
    name : str
        Legend entry.
    x, y : array_like
        The data.
    color : int or str
        Index into :data:`~sepsislab.interactive.PALETTE`, or a CSS colour.
    width : float
        Line width (px).
    dash : str, optional
        plotly dash style (``"dash"``, ``"dot"``…); solid when omitted.
    panel : int
        Panel the trace is drawn on (see :func:`on_panel`).
    **trace
        Further trace keys (``mode``, ``showlegend``, ``legendgroup``…).

    Returns
    -------
    dict
        A plotly scatter trace.
    """
    line = dict(color=_colour(color), width=width, **({"dash": dash} if dash else {}))
    return dict(type="scatter", name=name, x=x, y=y, line={**line, **trace.pop("line", {})}, **on_panel(panel), **trace)


def reference_line(
    name: str,
    *,
    span: Sequence[float],
    x: float | None = None,
    y: float | None = None,
    color: int | str = 6,
    dash: str = "dash",
    width: float = 2,
    panel: int = 1,
    **trace,
) -> dict:
    """A straight reference line: horizontal at ``y`` (a threshold, a target) or vertical at ``x``
    (a chosen or resting value).

    Parameters
    ----------
    name : str
        Legend entry.
    span : sequence of float
        The line's two ends, along the panel's x axis for a horizontal line, its y axis for a
        vertical one.
    x, y : float
        Where the line stands, in the panel's unit: give exactly one.
    color, dash, width, panel, **trace
        As in :func:`curve`.

    Returns
    -------
    dict
        A plotly scatter trace of two points joined by a line.
    """
    if (x is None) == (y is None):
        raise ValueError(f"reference_line {name!r}: give x (a vertical line) or y (a horizontal one), not both")
    lo, hi = span
    xs, ys = ([lo, hi], [y, y]) if x is None else ([x, x], [lo, hi])
    return curve(name, xs, ys, color=color, width=width, dash=dash, panel=panel, mode="lines", **trace)


def text_label(
    name: str, text: str, *, x: float, y: float, color: int | str = 6, size: float = 16, panel: int = 1
) -> dict:
    """A line of text written on a panel (a verdict such as the model's outcome), out of legend and hover.

    Parameters
    ----------
    name : str
        Trace name.
    text : str
        The words shown.
    x, y : float
        Where the text is centred, in the panel's units.
    color : int or str
        Index into :data:`~sepsislab.interactive.PALETTE`, or a CSS colour.
    size : float
        Font size (px).
    panel : int
        Panel the text is written on (see :func:`on_panel`).

    Returns
    -------
    dict
        A plotly scatter trace in text mode.
    """
    return dict(
        type="scatter",
        mode="text",
        name=name,
        showlegend=False,
        x=[x],
        y=[y],
        text=[text],
        textfont=dict(size=size, color=_colour(color)),
        hoverinfo="skip",
        **on_panel(panel),
    )


def points(name: str, x, y, *, color: int | str = 6, size: float = 11, panel: int = 1, **trace) -> dict:
    """Markers without a line: the chosen value on a curve, or measured points beside a model.

    Parameters
    ----------
    name : str
        Legend entry.
    x, y : array_like
        The points.
    color : int or str
        Index into :data:`~sepsislab.interactive.PALETTE`, or a CSS colour (black by default).
    size : float
        Marker size (px).
    panel : int
        Panel the points are drawn on (see :func:`on_panel`).
    **trace
        Further trace keys (``showlegend``, ``mode="markers+text"``…); a ``marker`` dict is merged
        into the marker (``symbol``, or a colour per point).

    Returns
    -------
    dict
        A plotly scatter trace in marker mode.
    """
    marker = {**dict(size=size, color=_colour(color)), **trace.pop("marker", {})}
    return {**dict(type="scatter", mode="markers", name=name, x=x, y=y, marker=marker, **on_panel(panel)), **trace}


def bars(name: str, x, y, *, colors: Sequence[int | str], text: Sequence[str], panel: int = 1) -> dict:
    """Bars with their values written above them, one colour per bar, out of the legend.

    Parameters
    ----------
    name : str
        Trace name (read by hover and screen readers).
    x : sequence of str
        Category of each bar.
    y : sequence of float
        Height of each bar, in the panel's unit.
    colors : sequence of int or str
        One colour per bar: an index into :data:`~sepsislab.interactive.PALETTE`, or a CSS colour.
    text : sequence of str
        The label written above each bar.
    panel : int
        Panel the bars are drawn on (see :func:`on_panel`).

    Returns
    -------
    dict
        A plotly bar trace.
    """
    if not len(x) == len(y) == len(colors) == len(text):
        raise ValueError(
            f"bars {name!r}: x, y, colors and text need one entry per bar, got {len(x)}, {len(y)}, "
            f"{len(colors)} and {len(text)}"
        )
    return dict(
        type="bar",
        name=name,
        x=list(x),
        y=list(y),
        marker=dict(color=[_colour(c) for c in colors]),
        showlegend=False,
        text=list(text),
        textposition="outside",
        **on_panel(panel),
    )
