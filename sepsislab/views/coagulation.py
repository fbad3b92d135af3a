"""Figures of "The clotting cascade gone rogue" page."""

from __future__ import annotations

import numpy as np

from ..interactive import Slider, explorer
from ..models import coagulation
from .common import curve, grid_layout, reference_line

HOURS = 72.0
#: Hourly for the first 12 h (fast onset), then every 3 h: keeps the static page small.
_T = np.r_[np.arange(0, 12), np.arange(12, HOURS + 1, 3)].astype(int)


_layout = grid_layout(
    cols=2,
    hgap=0.12,
    vgap=0.08,
    height=760,
    hovermode="x",
    margin=dict(l=64, r=24, t=64, b=56),
    x=dict(title="time (h)", range=[0, HOURS], dtick=12),
    panels=[
        dict(title="% of normal", range=[0, 110]),
        dict(title="thrombin (nM)", rangemode="tozero"),
        dict(title="platelets (10⁹/L)", range=[0, 260]),
        dict(title="fibrinogen (g/L)", range=[0, 5]),
        dict(title="microvessels occluded (%)", range=[0, 70]),
        dict(title="ISTH overt-DIC score", range=[0, 8.5], dtick=1),
    ],
)


@explorer(
    "coagulation.course",
    sliders=[
        Slider("tf_drive", "Inflammatory tissue-factor drive I", "", 0.5, 2.0, 1.0, steps=4),
        Slider("at_production", "Antithrombin synthesis p_A", "fraction of normal", 0.3, 1.1, 0.7, steps=5),
        Slider("pc_production", "Protein C synthesis p_C", "fraction of normal", 0.2, 1.0, 0.6, steps=5),
    ],
    layout=_layout,
    caption=(
        "Three days of septic coagulation. The brakes (antithrombin, protein C) are consumed while "
        "thrombin keeps being made; platelets and fibrinogen are used up as microthrombi accumulate, "
        "and the ISTH score climbs towards overt DIC (dashed line at 5). The dotted line in the first "
        "panel is the antithrombin level below which thrombin's self-amplification outruns inhibition. "
        "Restore antithrombin or protein C synthesis, or lower the drive, and compare."
    ),
    alt=(
        "Six small line charts against time over 72 hours: antithrombin and protein C falling from their "
        "starting levels, thrombin rising within hours, platelets falling from 250 to below 100, fibrinogen "
        "drifting down, the fraction of occluded microvessels rising, and the ISTH overt-DIC score stepping "
        "up to 5."
    ),
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
        curve("antithrombin", t, 100 * sub["antithrombin"], color=0),
        curve("protein C", t, 100 * sub["protein_c"], color=3),
        reference_line("critical antithrombin A*", y=a_star, span=(0, HOURS), dash="dot"),
        curve("thrombin", t, sub["thrombin"], color=1, panel=2),
        curve("platelets", t, sub["platelets"], color=2, panel=3),
        curve("fibrinogen", t, sub["fibrinogen"], color=4, panel=4),
        curve("microthrombi", t, 100 * sub["microthrombi"], color=5, panel=5),
        curve("ISTH score", t, score, color=6, panel=6, line=dict(shape="hv")),
        reference_line("overt DIC (≥ 5)", y=5, span=(0, HOURS), color=1, panel=6),
    ]
