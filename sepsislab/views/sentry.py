"""Figures of "The sentry and the signal" page."""

from __future__ import annotations

import numpy as np

from ..interactive import PALETTE, Slider, base_layout, explorer
from ..models import sentry
from .common import curve, reference_line, stacked_layout

HOURS = 48.0
#: Where an escaped infection settles with the published parameters, and the occupancy it causes.
_ESCAPED = sentry.simulate(initial_pathogen=2.0, hours=200)
ESCAPED_LOAD = float(_ESCAPED.pathogen[-1])
ESCAPED_OCCUPANCY = float(_ESCAPED.alarm[-1])

_threshold_layout = stacked_layout(
    height=520, gap=0.1, weights=[1.4, 1],
    x=dict(title="time (h)", range=[0, HOURS]),
    panels=[dict(title="pathogen load (10⁶ cells/cc)", range=[0, 22]),
            dict(title="TLR4 occupancy", range=[0, 1])],
)


@explorer(
    "sentry.threshold",
    sliders=[
        Slider("initial_pathogen", "Inoculum P₀", "10⁶ cells/cc", 0.1, 3.0, 0.5, steps=13, log=True),
        Slider("k_pg", "Pathogen growth rate k_pg", "1/h", 0.1, 0.6, 0.3, steps=6),
    ],
    layout=_threshold_layout,
    caption=("Local containment or a system-wide alarm. Top: pathogen load in the tissue; the dashed "
             "line is the threshold P* where growth outruns the saturable local clearance. Bottom: the "
             "fraction of TLR4 receptors engaged by PAMPs reaching the blood. Move the inoculum across "
             "the threshold, then make the pathogen grow faster and watch the threshold fall."),
    alt=("Two stacked line charts against time over 48 hours: pathogen load with a dashed threshold "
         "line, and TLR4 occupancy. Below the threshold the load and the occupancy decay to zero; above "
         "it the load rises to about 19 and occupancy to about 0.76."),
)
def threshold(initial_pathogen: float, k_pg: float) -> list[dict]:
    params = sentry.Params(k_pg=k_pg)
    res = sentry.simulate(params, initial_pathogen=initial_pathogen, hours=HOURS)
    p_star = sentry.clearance_threshold(params)
    return [
        curve("pathogen load P", res.time, res.pathogen, color=1),
        reference_line("threshold P*", y=p_star, span=(0, HOURS)),
        curve("TLR4 occupancy θ", res.time, res.alarm, color=0, panel=2),
    ]


_LPS = np.geomspace(0.1, 10000, 120)
#: The pathogen load of a contained infection shown on the receptor curve, 10⁶ cells/cc.
CONTAINED_LOAD = 0.5


@explorer(
    "sentry.receptor",
    sliders=[
        Slider("ec50_pm", "Half-maximal LPS EC₅₀", "pM", 3.0, 300.0, 30.0, steps=9, log=True),
        Slider("hill", "Hill coefficient n", "", 0.5, 3.0, 1.0, steps=6),
    ],
    layout=base_layout(xaxis=dict(title="blood LPS (pM, log scale)", type="log"),
                       yaxis=dict(title="TLR4 occupancy θ", range=[0, 1.02])),
    caption=("Receptor occupancy as a Hill curve of LPS. Shaded markers show the LPS a contained "
             f"infection (P = {CONTAINED_LOAD:g}) and an escaped one (P ≈ {ESCAPED_LOAD:.0f}) put in the "
             "blood. A steeper curve (larger n) turns the sentinel into a sharper switch."),
    alt=("An S-shaped curve of TLR4 occupancy against LPS on a log axis, with two markers: a low one "
         "for a contained infection and a high one for an escaped infection."),
)
def receptor(ec50_pm: float, hill: float) -> list[dict]:
    params = sentry.Params(ec50_pm=ec50_pm, hill=hill)
    marks = np.array([CONTAINED_LOAD, ESCAPED_LOAD]) * params.pamp_per_load
    return [
        curve("occupancy", _LPS, sentry.tlr4_occupancy(_LPS, params), color=0),
        dict(type="scatter", name="contained vs escaped infection", mode="markers", x=marks,
             y=sentry.tlr4_occupancy(marks, params),
             marker=dict(size=14, color=[PALETTE[2], PALETTE[1]], symbol=["circle", "diamond"])),
    ]
