"""Figures of "The leaky barrier: oedema and microcirculatory chaos" page."""

from __future__ import annotations

import numpy as np

from ..interactive import PALETTE, Slider, base_layout, explorer, stacked_layout
from ..models import barrier, microcirculation

_PC = np.linspace(5.0, 40.0, 36)


@explorer(
    "barrier.starling",
    sliders=[
        Slider("glycocalyx_integrity", "Glycocalyx integrity", "1 = intact", 0.0, 1.0, 0.5, steps=11),
        Slider("plasma_oncotic", "Plasma oncotic pressure", "mmHg", 15.0, 30.0, 25.0, steps=6),
    ],
    layout=base_layout(xaxis=dict(title="capillary pressure P_c (mmHg)", range=[5, 40]),
                       yaxis=dict(title="whole-body filtration J_v (mL/min)", range=[-40, 200])),
    caption=("Filtration against capillary pressure. Grey: an intact glycocalyx at normal plasma oncotic "
             "pressure. Blue: the chosen glycocalyx and plasma proteins at steady state; dashed: what the "
             "classic Starling balance would predict below the point where filtration stops — absorption "
             "that in reality fades within minutes. Shed the glycocalyx and the line steepens and shifts "
             "left."),
    alt=("Line chart of filtration against capillary pressure from 5 to 40 mmHg. The intact line is zero "
         "up to about 18 mmHg and then rises gently; with the glycocalyx half shed, filtration starts near "
         "13 mmHg and rises more steeply, and a dashed segment below that shows the transient absorption "
         "the classic balance would predict."),
)
def starling(glycocalyx_integrity: float, plasma_oncotic: float) -> list[dict]:
    intact = [barrier.filtration(1.0, pc) for pc in _PC]
    raw = [barrier.filtration(glycocalyx_integrity, pc, plasma_oncotic=plasma_oncotic, steady=False)
           for pc in _PC]
    return [
        dict(type="scatter", name="intact, normal proteins", x=_PC, y=intact,
             line=dict(color="#999999", width=3)),
        dict(type="scatter", name="classic prediction (transient)", x=_PC, y=np.minimum(raw, 0.0),
             line=dict(color=PALETTE[0], width=2, dash="dash")),
        dict(type="scatter", name="chosen barrier, steady state", x=_PC, y=np.maximum(raw, 0.0),
             line=dict(color=PALETTE[0], width=3)),
        dict(type="scatter", name="resting capillary pressure", x=[20, 20], y=[-40, 200], mode="lines",
             line=dict(color=PALETTE[6], dash="dot", width=1.5), showlegend=False),
    ]


_MINUTES = 180.0
_bolus_layout = stacked_layout(
    height=560, gap=0.12,
    x=dict(title="minutes after the bolus", range=[0, _MINUTES]),
    panels=[dict(title="bolus still in plasma", range=[0, 1.02], tickformat=".0%"),
            dict(title="oedema (mL gained)", range=[0, 2500])],
)


@explorer(
    "barrier.bolus",
    sliders=[
        Slider("glycocalyx_integrity", "Glycocalyx integrity", "1 = intact", 0.0, 1.0, 0.0, steps=6),
        Slider("volume_l", "Crystalloid bolus", "L", 0.25, 2.0, 1.0, steps=8),
    ],
    layout=_bolus_layout,
    caption=("Where does the fluid go? Top: the fraction of a crystalloid bolus still in the plasma, for the "
             "chosen glycocalyx (blue) and an intact one (grey). Bottom: fluid gained by the interstitium, "
             "with the bolus (solid) and from the leak alone (dashed)."),
    alt=("Two stacked charts over three hours. Top: retained fraction curves falling from 100 %; the curve "
         "for a shed glycocalyx falls faster and lower than the intact one. Bottom: interstitial fluid "
         "gained, rising over the first hour and levelling off."),
)
def bolus(glycocalyx_integrity: float, volume_l: float) -> list[dict]:
    run = barrier.retention_curve(glycocalyx_integrity, 1000.0 * volume_l, _MINUTES)
    ref = barrier.retention_curve(1.0, 1000.0 * volume_l, _MINUTES)
    return [
        dict(type="scatter", name="intact glycocalyx", x=ref.time, y=ref.retained,
             line=dict(color="#999999", width=3)),
        dict(type="scatter", name="chosen glycocalyx", x=run.time, y=run.retained,
             line=dict(color=PALETTE[0], width=3)),
        dict(type="scatter", name="oedema with the bolus", x=run.time, y=run.oedema, xaxis="x2", yaxis="y2",
             line=dict(color=PALETTE[1], width=3)),
        dict(type="scatter", name="oedema from the leak alone", x=run.time, y=run.oedema_without_bolus,
             xaxis="x2", yaxis="y2", line=dict(color=PALETTE[1], width=2, dash="dash")),
    ]


_CATEGORIES = ["plugged", "stopped", "sluggish", "normal", "flooded"]
_SHEAR = np.linspace(0.0, 1.0, 21)
_network_layout = base_layout(
    height=460,
    xaxis=dict(domain=[0.0, 0.44], title="capillaries by flow", tickangle=0, tickfont=dict(size=12),
               tickvals=list(range(len(_CATEGORIES))), ticktext=_CATEGORIES),
    yaxis=dict(title="share of capillaries", range=[0, 1], tickformat=".0%"),
    xaxis2=dict(domain=[0.56, 1.0], anchor="y2", title="eNOS shear-sensing left (1 = intact)", range=[0, 1]),
    yaxis2=dict(anchor="x2", title="maximal O₂ extraction", range=[0.2, 0.8]),
    hovermode="closest",
)


@explorer(
    "barrier.network",
    sliders=[
        Slider("shear_sensing", "eNOS shear-sensing left", "1 = intact", 0.0, 1.0, 0.4, steps=11),
        Slider("plugged_fraction", "Capillaries plugged by leukocytes", "fraction", 0.0, 0.5, 0.1, steps=6),
    ],
    layout=_network_layout,
    caption=("Microcirculatory chaos. Left: how the capillaries of a tissue share the flow — plugged, "
             "stopped (under a fifth of the mean), sluggish, normal and flooded (over twice the mean). "
             "Right: the most oxygen the network can extract as shear-sensing is lost, with no plugging "
             "(grey) and with the chosen plugging (blue); the marker is the chosen state."),
    alt=("Left, a bar chart of the share of capillaries that are plugged, stopped, sluggish, normal and "
         "flooded. Right, a falling curve of maximal oxygen extraction, from about 0.72 with intact "
         "shear-sensing to under 0.5 when it is lost, lower still with plugging."),
)
def network(shear_sensing: float, plugged_fraction: float) -> list[dict]:
    net = microcirculation.network(shear_sensing, plugged_fraction)
    h = [microcirculation.heterogeneity(e) for e in _SHEAR]
    return [
        dict(type="bar", name="share of capillaries", x=list(range(len(_CATEGORIES))),
             y=[net[c] for c in _CATEGORIES],
             marker=dict(color=[PALETTE[6], PALETTE[1], PALETTE[4], PALETTE[2], PALETTE[3]]),
             hovertemplate="%{y:.0%} of capillaries<extra></extra>", showlegend=False),
        dict(type="scatter", name="no plugging", x=_SHEAR, y=[microcirculation.max_extraction(x) for x in h],
             xaxis="x2", yaxis="y2", line=dict(color="#999999", width=3)),
        dict(type="scatter", name="chosen plugging", x=_SHEAR,
             y=[microcirculation.max_extraction(x, plugged_fraction) for x in h], xaxis="x2", yaxis="y2",
             line=dict(color=PALETTE[0], width=3)),
        dict(type="scatter", name="chosen state", x=[shear_sensing], y=[net["max_extraction"]], xaxis="x2",
             yaxis="y2", mode="markers", marker=dict(size=13, color=PALETTE[6]), showlegend=False),
    ]
