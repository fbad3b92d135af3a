"""Figures of "The leaky barrier: oedema and microcirculatory chaos" page."""

from __future__ import annotations

import numpy as np

from ..interactive import PALETTE, Slider, base_layout, explorer
from ..models import barrier, microcirculation
from .common import curve, grid_layout, points, reference_line, stacked_layout

_PC = np.linspace(5.0, 40.0, 36)


@explorer(
    "barrier.starling",
    sliders=[
        Slider("glycocalyx_integrity", "Glycocalyx integrity", "1 = intact", 0.0, 1.0, 0.5, steps=11),
        Slider("plasma_oncotic", "Plasma oncotic pressure", "mmHg", 15.0, 30.0, 25.0, steps=6),
    ],
    layout=base_layout(
        xaxis=dict(title="capillary pressure P_c (mmHg)", range=[5, 40]),
        yaxis=dict(title="whole-body filtration J_v (mL/min)", range=[-40, 200]),
    ),
    caption=(
        "Filtration against capillary pressure. Grey: an intact glycocalyx at normal plasma oncotic "
        "pressure. Blue: the chosen glycocalyx and plasma proteins at steady state; dashed: what the "
        "classic Starling balance would predict below the point where filtration stops — absorption "
        "that in reality fades within minutes. Shed the glycocalyx and the line steepens and shifts "
        "left."
    ),
    alt=(
        "Line chart of filtration against capillary pressure from 5 to 40 mmHg. The intact line is zero "
        "up to about 18 mmHg and then rises gently; with the glycocalyx half shed, filtration starts near "
        "13 mmHg and rises more steeply, and a dashed segment below that shows the transient absorption "
        "the classic balance would predict."
    ),
)
def starling(glycocalyx_integrity: float, plasma_oncotic: float) -> list[dict]:
    intact = [barrier.filtration(1.0, pc) for pc in _PC]
    raw = [barrier.filtration(glycocalyx_integrity, pc, plasma_oncotic=plasma_oncotic, steady=False) for pc in _PC]
    return [
        curve("intact, normal proteins", _PC, intact, color="#999999"),
        curve("classic prediction (transient)", _PC, np.minimum(raw, 0.0), color=0, width=2, dash="dash"),
        curve("chosen barrier, steady state", _PC, np.maximum(raw, 0.0), color=0),
        reference_line("resting capillary pressure", x=20, span=(-40, 200), dash="dot", width=1.5, showlegend=False),
    ]


_MINUTES = 180.0
_bolus_layout = stacked_layout(
    height=560,
    gap=0.12,
    x=dict(title="minutes after the bolus", range=[0, _MINUTES]),
    panels=[
        dict(title="bolus still in plasma", range=[0, 1.02], tickformat=".0%"),
        dict(title="oedema (mL gained)", range=[0, 2500]),
    ],
)


@explorer(
    "barrier.bolus",
    sliders=[
        Slider("glycocalyx_integrity", "Glycocalyx integrity", "1 = intact", 0.0, 1.0, 0.0, steps=6),
        Slider("volume_l", "Crystalloid bolus", "L", 0.25, 2.0, 1.0, steps=8),
    ],
    layout=_bolus_layout,
    caption=(
        "Where does the fluid go? Top: the fraction of a crystalloid bolus still in the plasma, for the "
        "chosen glycocalyx (blue) and an intact one (grey). Bottom: fluid gained by the interstitium, "
        "with the bolus (solid) and from the leak alone (dashed)."
    ),
    alt=(
        "Two stacked charts over three hours. Top: retained fraction curves falling from 100 %; the curve "
        "for a shed glycocalyx falls faster and lower than the intact one. Bottom: interstitial fluid "
        "gained, rising over the first hour and levelling off."
    ),
)
def bolus(glycocalyx_integrity: float, volume_l: float) -> list[dict]:
    run = barrier.retention_curve(glycocalyx_integrity, 1000.0 * volume_l, _MINUTES)
    ref = barrier.retention_curve(1.0, 1000.0 * volume_l, _MINUTES)
    return [
        curve("intact glycocalyx", ref.time, ref.retained, color="#999999"),
        curve("chosen glycocalyx", run.time, run.retained, color=0),
        curve("oedema with the bolus", run.time, run.oedema, color=1, panel=2),
        curve("oedema from the leak alone", run.time, run.oedema_without_bolus, color=1, width=2, dash="dash", panel=2),
    ]


_CATEGORIES = ["plugged", "stopped", "sluggish", "normal", "flooded"]
_SHEAR = np.linspace(0.0, 1.0, 21)
_network_layout = grid_layout(
    cols=2,
    height=460,
    hovermode="closest",
    x=[
        dict(
            title="capillaries by flow",
            tickangle=0,
            tickfont=dict(size=12),
            tickvals=list(range(len(_CATEGORIES))),
            ticktext=_CATEGORIES,
        ),
        dict(title="eNOS shear-sensing left (1 = intact)", range=[0, 1]),
    ],
    panels=[
        dict(title="share of capillaries", range=[0, 1], tickformat=".0%"),
        dict(title="maximal O₂ extraction", range=[0.2, 0.8]),
    ],
)


@explorer(
    "barrier.network",
    sliders=[
        Slider("shear_sensing", "eNOS shear-sensing left", "1 = intact", 0.0, 1.0, 0.4, steps=11),
        Slider("plugged_fraction", "Capillaries plugged by leukocytes", "fraction", 0.0, 0.5, 0.1, steps=6),
    ],
    layout=_network_layout,
    caption=(
        "Microcirculatory chaos. The bars (capillaries by flow): how the capillaries of a tissue share "
        "the flow — plugged, stopped (under a fifth of the mean), sluggish, normal and flooded (over "
        "twice the mean). The curves: the most oxygen the network can extract as shear-sensing is lost, "
        "with no plugging (grey) and with the chosen plugging (blue); the marker is the chosen state."
    ),
    alt=(
        "A bar chart of the share of capillaries that are plugged, stopped, sluggish, normal and "
        "flooded, beside a falling curve of maximal oxygen extraction, from about 0.72 with intact "
        "shear-sensing to under 0.5 when it is lost, lower still with plugging."
    ),
)
def network(shear_sensing: float, plugged_fraction: float) -> list[dict]:
    net = microcirculation.network(shear_sensing, plugged_fraction)
    h = [microcirculation.heterogeneity(e) for e in _SHEAR]
    return [
        dict(
            type="bar",
            name="share of capillaries",
            x=list(range(len(_CATEGORIES))),
            y=[net[c] for c in _CATEGORIES],
            marker=dict(color=[PALETTE[6], PALETTE[1], PALETTE[4], PALETTE[2], PALETTE[3]]),
            hovertemplate="%{y:.0%} of capillaries<extra></extra>",
            showlegend=False,
        ),
        curve("no plugging", _SHEAR, [microcirculation.max_extraction(x) for x in h], color="#999999", panel=2),
        curve(
            "chosen plugging",
            _SHEAR,
            [microcirculation.max_extraction(x, plugged_fraction) for x in h],
            color=0,
            panel=2,
        ),
        points("chosen state", [shear_sensing], [net["max_extraction"]], size=13, panel=2, showlegend=False),
    ]
