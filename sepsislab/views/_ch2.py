"""Shared pieces of the chapter-2 figures: cached virtual-patient runs and the standard plan.

A 72-hour run of :func:`sepsislab.patient.simulate` takes a few hundredths of a second,
too slow to redo on every slider move, so runs are cached by their (rounded) plan: the
book's static figures compute each slider combination once, and a live widget is instant
whenever it revisits a combination.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from .. import patient
from ..interactive import PALETTE, Slider

HOURS = 72

#: Surviving Sepsis Campaign-style bundle used by the organ pages: 30 mL/kg of crystalloid in
#: the first two hours, norepinephrine titrated to a MAP of 65 mmHg, source control at hour 6.
STANDARD = dict(fluids_ml=2100.0, norepinephrine="titrate", source_control_hour=6.0)

ANTIBIOTIC = Slider("antibiotic_hour", "Antibiotic started at hour", "h", 0.0, 24.0, 1.0, steps=5)
SEVERITY = Slider("severity", "Severity of the infection and host response", "0–1", 0.2, 0.8, 0.5, steps=3)


def boluses(total_ml: float) -> list[tuple[float, float]]:
    """A total volume given as 1000-mL boluses, one per hour from hour 0."""
    out, hour, left = [], 0.0, float(total_ml)
    while left > 1e-9:
        out.append((hour, min(1000.0, left)))
        left -= 1000.0
        hour += 1.0
    return out


@lru_cache(maxsize=512)
def _run(severity: float, antibiotic_hour, fluids_ml: float, norepinephrine, source_control_hour):
    return patient.simulate(hours=HOURS, severity=severity, antibiotic_hour=antibiotic_hour,
                            fluid_boluses_ml=boluses(fluids_ml), norepinephrine_ug_kg_min=norepinephrine,
                            source_control_hour=source_control_hour)


def run(severity: float, antibiotic_hour=None, fluids_ml: float = 0.0, norepinephrine=0.0,
        source_control_hour=None):
    """A cached patient run (arguments rounded so that nearby slider values share a run)."""
    # Whole hours, 100 mL, 0.01 µg/kg/min and severity steps of 0.05: close enough for a figure,
    # and a live slider then revisits cached runs instead of simulating again.
    r = (lambda v, d=2: None if v is None else round(float(v), d))
    ne = norepinephrine if isinstance(norepinephrine, str) else r(norepinephrine, 2)
    return _run(round(float(severity) * 20) / 20, r(antibiotic_hour, 0), r(fluids_ml, -2), ne,
                r(source_control_hour, 0))


def standard(severity: float, antibiotic_hour: float):
    """The patient under the standard bundle with the antibiotic started at ``antibiotic_hour``."""
    return run(severity, antibiotic_hour, STANDARD["fluids_ml"], STANDARD["norepinephrine"],
               STANDARD["source_control_hour"])


def alive_end(res) -> int:
    """Number of hourly points to draw: up to and including the hour of death."""
    alive = np.asarray(res["alive"], bool)
    return len(alive) if alive.all() else int(np.argmin(alive)) + 1


def line(res, key: str, name: str, color: int, *, axis: str = "", width: float = 2.5, dash=None,
         shape=None) -> dict:
    """One hourly series as a trace, cut at death."""
    n = alive_end(res)
    trace = dict(type="scatter", mode="lines", name=name, x=res.time[:n], y=np.asarray(res[key])[:n],
                 line=dict(color=PALETTE[color], width=width))
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
    trace = dict(type="scatter", mode="markers+text", name=name, showlegend=False,
                 x=res.time[n - 1:n] if dead else np.array([]),
                 y=np.asarray(res[key])[n - 1:n] if dead else np.array([]),
                 text=["✝ death"] if dead else [], textposition="top center",
                 marker=dict(symbol="x", size=12, color=PALETTE[6]))
    if axis:
        trace.update(xaxis=f"x{axis}", yaxis=f"y{axis}")
    return trace


def hline(y: float, name: str, *, axis: str = "", color: int = 6, dash: str = "dot",
          x=(0, HOURS)) -> dict:
    trace = dict(type="scatter", mode="lines", name=name, x=list(x), y=[y, y], showlegend=False,
                 hoverinfo="skip", line=dict(color=PALETTE[color], dash=dash, width=1.5))
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
        layout[f"yaxis{suffix}"] = dict(title=title, domain=[top - size, top], anchor=f"x{suffix}",
                                        **({"range": rng} if rng else {}))
        layout[f"xaxis{suffix}"] = dict(anchor=f"y{suffix}", range=[0, HOURS], matches=None if i == 0 else "x",
                                        showticklabels=i == n - 1,
                                        **({"title": "hours after the onset of hypotension"} if i == n - 1 else {}))
        if i == 0:
            layout["xaxis"].pop("matches")
    layout["height"] = height
    return layout
