"""Figures of "The clotting cascade gone rogue" page."""

from __future__ import annotations

import numpy as np

from ..interactive import PALETTE, Slider, base_layout, explorer
from ..models import coagulation

HOURS = 72.0
#: Hourly for the first 12 h (fast onset), then every 3 h: keeps the static page small.
_T = np.r_[np.arange(0, 12), np.arange(12, HOURS + 1, 3)].astype(int)


def _ax(n: int) -> str:
    """plotly's axis suffix: '' for the first pair, then 2, 3…"""
    return "" if n == 1 else str(n)


def _panel(row: int, col: int, title: str, **yaxis) -> dict:
    """The axis pair of one panel of a 3 × 2 grid (panels numbered row by row from 1)."""
    n = row * 2 + col + 1
    top = 1.0 - row * 0.35
    return {
        f"xaxis{_ax(n)}": dict(anchor=f"y{_ax(n)}", domain=[0.0, 0.44] if col == 0 else [0.56, 1.0],
                               range=[0, HOURS], dtick=12, title=dict(text="time (h)" if row == 2 else ""),
                               showticklabels=row == 2),
        f"yaxis{_ax(n)}": dict(anchor=f"x{_ax(n)}", domain=[top - 0.27, top], title=dict(text=title), **yaxis),
    }


_layout = base_layout(height=760, hovermode="x", margin=dict(l=64, r=24, t=64, b=56),
                      **_panel(0, 0, "% of normal", range=[0, 110]),
                      **_panel(0, 1, "thrombin (nM)", rangemode="tozero"),
                      **_panel(1, 0, "platelets (10⁹/L)", range=[0, 260]),
                      **_panel(1, 1, "fibrinogen (g/L)", range=[0, 5]),
                      **_panel(2, 0, "microvessels occluded (%)", range=[0, 70]),
                      **_panel(2, 1, "ISTH overt-DIC score", range=[0, 8.5], dtick=1))


def _xy(n: int) -> dict:
    return {} if n == 1 else dict(xaxis=f"x{n}", yaxis=f"y{n}")


@explorer(
    "coagulation.course",
    sliders=[
        Slider("tf_drive", "Inflammatory tissue-factor drive I", "", 0.5, 2.0, 1.0, steps=4),
        Slider("at_production", "Antithrombin synthesis p_A", "fraction of normal", 0.3, 1.1, 0.7, steps=5),
        Slider("pc_production", "Protein C synthesis p_C", "fraction of normal", 0.2, 1.0, 0.6, steps=5),
    ],
    layout=_layout,
    caption=("Three days of septic coagulation. The brakes (antithrombin, protein C) are consumed while "
             "thrombin keeps being made; platelets and fibrinogen are used up as microthrombi accumulate, "
             "and the ISTH score climbs towards overt DIC (dashed line at 5). The dotted line in the first "
             "panel is the antithrombin level below which thrombin's self-amplification outruns inhibition. "
             "Restore antithrombin or protein C synthesis, or lower the drive, and compare."),
    alt=("Six small line charts against time over 72 hours: antithrombin and protein C falling from their "
         "starting levels, thrombin rising within hours, platelets falling from 250 to below 100, fibrinogen "
         "drifting down, the fraction of occluded microvessels rising, and the ISTH overt-DIC score stepping "
         "up to 5."),
)
def course(tf_drive: float, at_production: float, pc_production: float) -> list[dict]:
    params = coagulation.Params(tf_drive=tf_drive, at_production=at_production, pc_production=pc_production)
    res = coagulation.simulate(params, hours=HOURS)
    idx = np.searchsorted(res.time, _T)
    t = res.time[idx]
    sub = {k: v[idx] for k, v in res.items()}
    score = coagulation.dic_scores(sub, params)
    a_star = 100 * coagulation.critical_antithrombin(params)
    return [
        dict(type="scatter", name="antithrombin", x=t, y=100 * sub["antithrombin"],
             line=dict(color=PALETTE[0], width=3)),
        dict(type="scatter", name="protein C", x=t, y=100 * sub["protein_c"],
             line=dict(color=PALETTE[3], width=3)),
        dict(type="scatter", name="critical antithrombin A*", x=[0, HOURS], y=[a_star, a_star], mode="lines",
             line=dict(color=PALETTE[6], dash="dot", width=2)),
        dict(type="scatter", name="thrombin", x=t, y=sub["thrombin"], line=dict(color=PALETTE[1], width=3),
             **_xy(2)),
        dict(type="scatter", name="platelets", x=t, y=sub["platelets"], line=dict(color=PALETTE[2], width=3),
             **_xy(3)),
        dict(type="scatter", name="fibrinogen", x=t, y=sub["fibrinogen"], line=dict(color=PALETTE[4], width=3),
             **_xy(4)),
        dict(type="scatter", name="microthrombi", x=t, y=100 * sub["microthrombi"],
             line=dict(color=PALETTE[5], width=3), **_xy(5)),
        dict(type="scatter", name="ISTH score", x=t, y=score, line=dict(color=PALETTE[6], width=3, shape="hv"),
             **_xy(6)),
        dict(type="scatter", name="overt DIC (≥ 5)", x=[0, HOURS], y=[5, 5], mode="lines",
             line=dict(color=PALETTE[1], dash="dash", width=2), **_xy(6)),
    ]
