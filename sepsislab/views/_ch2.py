"""Pieces of the chapter-2 figures that follow one virtual patient in time: the two sliders they
share, a series cut at death, and the cross that marks death.

Layouts and reference lines come from :mod:`sepsislab.views.common`; the scenario runs themselves
(the standard bundle, cached patient runs) from :mod:`sepsislab.scenarios`.
"""

from __future__ import annotations

import numpy as np

from ..interactive import Slider
from ..scenarios import HOURS
from .common import curve, points, reference_line, stacked_layout

ANTIBIOTIC = Slider("antibiotic_hour", "Antibiotic started at hour", "h", 0.0, 24.0, 1.0, steps=5)
SEVERITY = Slider("severity", "Severity of the infection and host response", "0–1", 0.2, 0.6, 0.4, steps=3)

#: The shared time axis of a patient's course (h).
TIME_AXIS = dict(title="hours after the onset of hypotension", range=[0, HOURS])


def course_layout(height: int, panels: list[tuple], **overrides) -> dict:
    """Stacked panels of patient courses over the :data:`TIME_AXIS`.

    Parameters
    ----------
    height : int
        Figure height (px).
    panels : list of tuple
        ``(title, range)`` or ``(title, range, {further y-axis keys})`` per panel, top first.
    **overrides
        Further layout keys (see :func:`~sepsislab.views.common.stacked_layout`).

    Returns
    -------
    dict
        A plotly layout; panel *n* uses axes ``x{n}``/``y{n}``.
    """
    axes = [dict(title=title, range=span, **(extra[0] if extra else {})) for title, span, *extra in panels]
    return stacked_layout(height=height, gap=0.06, x=TIME_AXIS, panels=axes, **overrides)


def alive_end(res) -> int:
    """Number of hourly points to draw: up to and including the hour of death."""
    alive = np.asarray(res["alive"], bool)
    return len(alive) if alive.all() else int(np.argmin(alive)) + 1


def until_death(res, key: str) -> tuple[np.ndarray, np.ndarray]:
    """Hours and values of one hourly series, up to and including the hour of death."""
    n = alive_end(res)
    return res.time[:n], np.asarray(res[key])[:n]


def course(res, key: str, name: str, color: int, *, panel: int = 1, width: float = 2.5, shape=None, **trace) -> dict:
    """One hourly series of a patient run as a line, cut at death (``shape="hv"`` for a score)."""
    x, y = until_death(res, key)
    line = {**({"shape": shape} if shape else {}), **trace.pop("line", {})}
    return curve(name, x, y, color=color, width=width, panel=panel, mode="lines", line=line, **trace)


def death_marker(res, key: str, *, panel: int = 1, name: str = "death") -> dict:
    """A cross where the patient died on the ``key`` series (empty if alive at the end)."""
    n = alive_end(res)
    dead = not bool(np.asarray(res["alive"])[-1])
    return points(
        name,
        res.time[n - 1 : n] if dead else np.array([]),
        np.asarray(res[key])[n - 1 : n] if dead else np.array([]),
        size=12,
        panel=panel,
        marker=dict(symbol="x"),
        mode="markers+text",
        showlegend=False,
        text=["✝ death"] if dead else [],
        textposition="top center",
    )


def threshold(y: float, name: str, *, panel: int = 1, span=(0, HOURS), **trace) -> dict:
    """A dotted horizontal threshold (a SOFA cut-off, a target) across a panel, out of legend and hover."""
    return reference_line(
        name, y=y, span=list(span), dash="dot", width=1.5, panel=panel, showlegend=False, hoverinfo="skip", **trace
    )
