"""Figures of "The cascade of alarm" page: the TLR4 → IKK relay and the NF-κB oscillator."""

from __future__ import annotations

from ..interactive import PALETTE, Slider, explorer
from ..models import nfkb
from .common import stacked_layout

# --- 1. The relay and the NF-κB oscillator ----------------------------------------------------
NFKB_HOURS = 10.0


@explorer(
    "cascade.nfkb",
    sliders=[
        Slider("lps_pm", "LPS at the cell", "pM", 1.0, 1000.0, 100.0, steps=7, log=True),
        Slider("k_t", "IκB feedback strength k_t", "1/(µM·min)", 0.1, 3.0, 1.03, steps=7, log=True),
    ],
    layout=stacked_layout(height=540, gap=0.1, weights=[1.8, 1],
                          x=dict(title="time after LPS (h)", range=[0, NFKB_HOURS]),
                          panels=[dict(title="nuclear NF-κB (µM)", range=[0, 0.85]),
                                  dict(title="µM (log scale)", type="log", range=[-3, 1.5])]),
    caption=("The relay from TLR4 to the nucleus. Bottom: active IKK, switched on through "
             "MyD88, the IRAKs and TAK1 within minutes, and the free IκB it destroys. Top: nuclear "
             "NF-κB. With the published feedback it pulses in sharp spikes, the first ones furthest "
             "apart; weaken the feedback and the pulses damp out into a sustained plateau; lower the "
             "dose and a single small rise is all that happens."),
    alt=("Two stacked line charts over 10 hours. Top: nuclear NF-κB rises in a sharp spike within "
         "the first hour after LPS, falls almost to zero, and spikes again several times, each "
         "interval a little shorter than the last. Bottom, on a log scale: active IKK steps up "
         "within minutes and stays up, while free IκB falls and recovers in step with each spike."),
)
def nfkb_oscillations(lps_pm: float, k_t: float) -> list[dict]:
    res = nfkb.simulate(nfkb.Params(k_t=k_t), lps_pm=lps_pm, hours=NFKB_HOURS)
    return [
        dict(type="scatter", name="nuclear NF-κB", x=res.time, y=res.nfkb_nuclear,
             line=dict(color=PALETTE[0], width=3)),
        dict(type="scatter", name="free IκB", x=res.time, y=res.ikb, xaxis="x2", yaxis="y2",
             line=dict(color=PALETTE[2], width=2)),
        dict(type="scatter", name="active IKK", x=res.time, y=res.ikk, xaxis="x2", yaxis="y2",
             line=dict(color=PALETTE[1], width=2, dash="dash")),
    ]


