"""Figures of "The cytokine storm and its brake" page."""

from __future__ import annotations

import numpy as np

from ..interactive import PALETTE, Slider, base_layout, explorer
from ..models import cytokines


def thin(time: np.ndarray, dense_until: float, every: int) -> np.ndarray:
    """Indices keeping every output time up to ``dense_until`` and every ``every``-th after it."""
    idx = np.arange(time.size)
    return idx[(time <= dense_until) | (idx % every == 0) | (idx == time.size - 1)]


# --- 2. The storm and the brake --------------------------------------------------------------
STORM_HOURS = 48.0
_CYTOKINES = [("tnf", "TNF", PALETTE[1], "solid"), ("il1", "IL-1", PALETTE[4], "dot"),
              ("il6", "IL-6", PALETTE[3], "dashdot"), ("il10", "IL-10 (brake)", PALETTE[0], "dash")]


@explorer(
    "storm.time_course",
    sliders=[
        Slider("gain", "Positive-feedback gain g", "", 0.6, 3.0, 1.2, steps=9),
        Slider("brake", "IL-10 brake strength b", "", 0.0, 4.0, 1.0, steps=9),
    ],
    layout=base_layout(xaxis=dict(title=dict(text="time after the endotoxin pulse (h)"), range=[0, STORM_HOURS]),
                       yaxis=dict(title=dict(text="level (× half-maximal feedback)"), range=[0, 3.6])),
    caption=("Cytokines after one endotoxin pulse. TNF comes first, then IL-1 and IL-6, and the IL-10 "
             "brake last. With a weak feedback loop or a strong brake everything returns to zero "
             "(resolution); raise the gain or release the brake and the cytokines keep each other "
             "going long after the stimulus has gone (a self-sustaining storm)."),
    alt=("Line chart of TNF, IL-1, IL-6 and IL-10 over 48 hours after an endotoxin pulse. At the "
         "default settings all four peak within a few hours, TNF first and IL-10 last, and return "
         "to zero; a label states whether the response resolved or became a self-sustaining storm."),
)
def storm(gain: float, brake: float) -> list[dict]:
    params = cytokines.Params(gain=gain, brake=brake)
    res = cytokines.simulate(params, hours=STORM_HOURS)
    keep = thin(res.time, 8.0, 4)
    verdict = cytokines.outcome(res, params)
    traces = [dict(type="scatter", name=label, x=res.time[keep], y=res[key][keep],
                   line=dict(color=color, width=3, dash=dash)) for key, label, color, dash in _CYTOKINES]
    traces.append(dict(type="scatter", mode="text", name="outcome", showlegend=False, x=[36.0], y=[3.3],
                       text=[f"outcome: {verdict}"], textfont=dict(size=16, color=PALETTE[6]),
                       hoverinfo="skip"))
    return traces


_GAINS = np.linspace(0.0, 3.0, 61)
_BRAKES = np.linspace(0.0, 4.0, 49)


@explorer(
    "storm.map",
    sliders=[Slider("anti_tnf", "Fraction of TNF neutralised", "", 0.0, 0.8, 0.0, steps=5)],
    layout=base_layout(height=460, hovermode="closest",
                       xaxis=dict(title=dict(text="positive-feedback gain g"), range=[0, 3]),
                       yaxis=dict(title=dict(text="IL-10 brake strength b"), range=[0, 4])),
    caption=("Where a storm can sustain itself. Colour: the TNF level of the self-sustaining storm, "
             "pale where none exists and every response resolves. The black line is the boundary "
             "c·g = 2√(1 + b·m). The diamond marks the default of the time-course figure. Neutralise "
             "part of TNF and the boundary moves right — but IL-1 still carries the loop."),
    alt=("Heat map over feedback gain (horizontal) and IL-10 brake (vertical). A pale region at low "
         "gain and strong brake means resolution; a coloured region at high gain and weak brake means "
         "a self-sustaining storm, separated by a rising curved boundary. Neutralising TNF shifts "
         "the boundary to higher gain."),
)
def storm_map(anti_tnf: float) -> list[dict]:
    params = cytokines.Params(anti_tnf=anti_tnf)
    default = cytokines.Params()
    return [
        dict(type="heatmap", name="storm TNF level", x=_GAINS, y=_BRAKES,
             z=cytokines.outcome_map(_GAINS, _BRAKES, params), zmin=0, zmax=3,
             colorscale=[[0, "#eef3f8"], [0.001, "#f0c7a6"], [1, PALETTE[1]]],
             colorbar=dict(title=dict(text="storm TNF"), thickness=14),
             hovertemplate="g %{x:.2f}, b %{y:.2f}: storm TNF %{z:.2f}<extra></extra>"),
        dict(type="scatter", name="boundary", mode="lines", x=cytokines.storm_boundary(_BRAKES, params),
             y=_BRAKES, line=dict(color=PALETTE[6], width=3)),
        dict(type="scatter", name="time-course default", mode="markers", x=[default.gain],
             y=[default.brake], marker=dict(symbol="diamond", size=14, color=PALETTE[0],
                                            line=dict(color="white", width=1))),
    ]


