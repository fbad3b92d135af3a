"""Figures of "The failing pipes: distributive shock" page."""

from __future__ import annotations

import numpy as np

from ..interactive import PALETTE, Slider, base_layout, explorer
from ..models import circulation
from .common import curve, on_panel, reference_line, stacked_layout

_CYT = np.linspace(0.0, 1.0, 41)
_HEALTHY = circulation.shock_state("none", 0.0)
_VITALS = (("map", "MAP"), ("cardiac_output", "cardiac output"), ("svr", "SVR"), ("heart_rate", "heart rate"))


def _percent(state: dict, key: str):
    return 100.0 * np.asarray(state[key]) / _HEALTHY[key]


_chain_layout = stacked_layout(
    height=600,
    gap=0.1,
    x=dict(title="cytokine level (0 = none, 1 = severe storm)", range=[0, 1]),
    panels=[
        dict(title="fraction (tone: 1 = healthy)", range=[0, 1.25]),
        dict(title="% of healthy value", range=[0, 400]),
    ],
)


@explorer(
    "distributive.chain",
    sliders=[
        Slider("cytokine", "Cytokine level", "0–1", 0.0, 1.0, 0.5, steps=11),
        Slider("nos_block", "NO synthase blocked", "fraction", 0.0, 1.0, 0.0, steps=5),
    ],
    layout=_chain_layout,
    caption=(
        "From cytokines to a wide-open circulation. Top: each step of the chain as the cytokine level "
        "rises — iNOS induced, soluble guanylate cyclase switched on by NO, smooth muscle relaxed by "
        "cGMP, and the vascular tone that remains. Bottom: what the baroreflex-controlled circulation "
        "does with that tone, as a percentage of the healthy value; the markers sit at the chosen "
        "cytokine level. Block NO synthase to see pressure restored at the price of cardiac output."
    ),
    alt=(
        "Two stacked charts against cytokine level. Top: rising curves for iNOS induction, sGC activity and "
        "relaxation, and a falling curve for vascular tone. Bottom: SVR falls to about a quarter of normal "
        "and mean arterial pressure falls, while cardiac output and heart rate more than double."
    ),
)
def chain(cytokine: float, nos_block: float) -> list[dict]:
    chain_curves = circulation.no_chain(_CYT, nos_block=nos_block)
    state = circulation.steady_state(tone=chain_curves["tone"])
    here = circulation.steady_state(tone=circulation.no_chain(cytokine, nos_block=nos_block)["tone"])
    traces = [
        curve(name, _CYT, chain_curves[key], color=c)
        for key, name, c in (
            ("inos", "iNOS induced", 4),
            ("sgc", "sGC active", 5),
            ("relaxation", "smooth muscle relaxed", 3),
            ("tone", "vascular tone", 6),
        )
    ]
    traces.append(reference_line("chosen cytokine level", x=cytokine, span=(0, 1.25), dash="dot", showlegend=False))
    for (key, name), c, dash in zip(_VITALS, (1, 0, 2, 3), ("solid", "solid", "solid", "dash")):
        traces.append(curve(name, _CYT, _percent(state, key), color=c, dash=dash, panel=2))
    traces.append(
        dict(
            type="scatter",
            name="at the chosen level",
            x=[cytokine] * 4,
            y=[float(_percent(here, k)) for k, _ in _VITALS],
            **on_panel(2),
            mode="markers",
            marker=dict(size=11, color=PALETTE[6]),
            showlegend=False,
        )
    )
    return traces


_SIGNS = ("map", "cardiac_output", "svr", "cvp", "heart_rate")
_SIGN_LABELS = ["MAP", "CO", "SVR", "CVP", "HR"]


@explorer(
    "distributive.shocks",
    sliders=[Slider("severity", "Severity of each shock", "0–1", 0.0, 1.0, 0.8, steps=11)],
    layout=base_layout(
        yaxis=dict(title="change from healthy (%)", range=[-100, 200], zeroline=True),
        xaxis=dict(title=None, tickvals=list(range(len(_SIGN_LABELS))), ticktext=_SIGN_LABELS),
        barmode="group",
        hovermode="closest",
    ),
    caption=(
        "Four ways to fail, side by side. Each bar is the model's steady state after changing one "
        "parameter only: contractility (cardiogenic), blood volume (hypovolaemic), pressure around the "
        "heart (obstructive) or vascular tone through the NO chain (distributive). Only distributive "
        "shock lowers SVR and raises cardiac output."
    ),
    alt=(
        "Grouped bar chart of the percentage change in MAP, cardiac output, SVR, CVP and heart rate for "
        "cardiogenic, hypovolaemic, obstructive and distributive shock. MAP falls and heart rate rises in "
        "all four; cardiac output falls and SVR rises in the first three, while distributive shock shows "
        "the opposite pattern."
    ),
)
def shocks(severity: float) -> list[dict]:
    traces = []
    for i, kind in enumerate(circulation.KINDS[1:]):
        st = circulation.shock_state(kind, severity)
        traces.append(
            dict(
                type="bar",
                name=kind,
                x=list(range(len(_SIGNS))),
                y=[100.0 * (st[k] - _HEALTHY[k]) / _HEALTHY[k] for k in _SIGNS],
                marker=dict(color=PALETTE[i]),
                hovertemplate=f"{kind}: %{{y:+.0f}} %<extra></extra>",
            )
        )
    return traces


_REFLEX_SECONDS = 120.0
_reflex_layout = stacked_layout(
    height=640,
    gap=0.06,
    x=dict(title="time after the vessels dilate (s)", range=[0, _REFLEX_SECONDS]),
    panels=[
        dict(title="MAP (mmHg)", range=[30, 90]),
        dict(title="CO (L/min)", range=[0, 15]),
        dict(title="HR (/min)", range=[40, 190]),
    ],
)


@explorer(
    "distributive.reflex",
    sliders=[
        Slider("severity", "Cytokine level", "0–1", 0.0, 1.0, 0.6, steps=6),
        Slider("reflex_strength", "Baroreflex strength", "fraction of normal", 0.0, 1.0, 1.0, steps=5),
    ],
    layout=_reflex_layout,
    caption=(
        "The baroreflex fights back. At time 0 the vessels lose the tone set by the cytokine level; "
        "solid lines are the circulation with the chosen reflex strength, dashed lines the same "
        "circulation with the reflex cut. The reflex speeds the heart and squeezes the veins within "
        "about a minute, buying back pressure by raising cardiac output."
    ),
    alt=(
        "Three stacked time courses over two minutes: mean arterial pressure, cardiac output and heart "
        "rate. Without the reflex pressure drops and stays low; with it, pressure partly recovers while "
        "heart rate and cardiac output climb."
    ),
)
def reflex(severity: float, reflex_strength: float) -> list[dict]:
    run = circulation.simulate(
        kind="distributive", severity=severity, seconds=_REFLEX_SECONDS, reflex_strength=reflex_strength
    )
    cut = circulation.simulate(kind="distributive", severity=severity, seconds=_REFLEX_SECONDS, reflex_strength=0.0)
    traces = [reference_line("65 mmHg target", y=65, span=(0, _REFLEX_SECONDS), dash="dot", width=1.5)]
    for panel, key in enumerate(("map", "cardiac_output", "heart_rate"), start=1):
        traces.append(
            curve("with reflex", run.time, run[key], color=0, panel=panel, legendgroup="on", showlegend=panel == 1)
        )
        traces.append(
            curve(
                "reflex cut",
                cut.time,
                cut[key],
                color=1,
                width=2,
                dash="dash",
                panel=panel,
                legendgroup="off",
                showlegend=panel == 1,
            )
        )
    return traces
