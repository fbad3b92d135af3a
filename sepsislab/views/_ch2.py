"""Plot pieces shared by the chapter-2 figures (traces cut at death, markers, reference lines, stacked axes).

The scenario runs themselves (the standard bundle, cached patient runs) are public in
:mod:`sepsislab.scenarios`, which pages and views share.
"""

from __future__ import annotations

import numpy as np

from ..interactive import PALETTE, Slider
from ..scenarios import HOURS

ANTIBIOTIC = Slider("antibiotic_hour", "Antibiotic started at hour", "h", 0.0, 24.0, 1.0, steps=5)
SEVERITY = Slider("severity", "Severity of the infection and host response", "0–1", 0.2, 0.6, 0.4, steps=3)


def alive_end(res) -> int:
    """Number of hourly points to draw: up to and including the hour of death."""
    alive = np.asarray(res["alive"], bool)
    return len(alive) if alive.all() else int(np.argmin(alive)) + 1


def line(res, key: str, name: str, color: int, *, axis: str = "", width: float = 2.5, dash=None, shape=None) -> dict:
    """One hourly series as a trace, cut at death."""
    n = alive_end(res)
    trace = dict(
        type="scatter",
        mode="lines",
        name=name,
        x=res.time[:n],
        y=np.asarray(res[key])[:n],
        line=dict(color=PALETTE[color], width=width),
    )
    if dash:
        trace["line"]["dash"] = dash
    if shape:
        trace["line"]["shape"] = shape
    if axis:
        trace.update(xaxis=f"x{axis}", yaxis=f"y{axis}")
    return trace


def death_marker(res, key: str, axis: str = "", name: str = "death") -> dict:
    """A cross where the patient died (empty if alive at the end)."""
    n = alive_end(res)
    dead = not bool(np.asarray(res["alive"])[-1])
    trace = dict(
        type="scatter",
        mode="markers+text",
        name=name,
        showlegend=False,
        x=res.time[n - 1 : n] if dead else np.array([]),
        y=np.asarray(res[key])[n - 1 : n] if dead else np.array([]),
        text=["✝ death"] if dead else [],
        textposition="top center",
        marker=dict(symbol="x", size=12, color=PALETTE[6]),
    )
    if axis:
        trace.update(xaxis=f"x{axis}", yaxis=f"y{axis}")
    return trace


def hline(y: float, name: str, *, axis: str = "", color: int = 6, dash: str = "dot", x=(0, HOURS)) -> dict:
    trace = dict(
        type="scatter",
        mode="lines",
        name=name,
        x=list(x),
        y=[y, y],
        showlegend=False,
        hoverinfo="skip",
        line=dict(color=PALETTE[color], dash=dash, width=1.5),
    )
    if axis:
        trace.update(xaxis=f"x{axis}", yaxis=f"y{axis}")
    return trace


def stacked_axes(titles: list[str], ranges: list, height: int = 560) -> dict:
    """Layout pieces for panels stacked vertically sharing the time axis."""
    n = len(titles)
    gap = 0.06
    size = (1 - gap * (n - 1)) / n
    layout = {}
    for i, (title, rng) in enumerate(zip(titles, ranges)):
        suffix = "" if i == 0 else str(i + 1)
        top = 1 - i * (size + gap)
        layout[f"yaxis{suffix}"] = dict(
            title=title, domain=[top - size, top], anchor=f"x{suffix}", **({"range": rng} if rng else {})
        )
        layout[f"xaxis{suffix}"] = dict(
            anchor=f"y{suffix}",
            range=[0, HOURS],
            matches=None if i == 0 else "x",
            showticklabels=i == n - 1,
            **({"title": "hours after the onset of hypotension"} if i == n - 1 else {}),
        )
        if i == 0:
            layout["xaxis"].pop("matches")
    layout["height"] = height
    return layout
