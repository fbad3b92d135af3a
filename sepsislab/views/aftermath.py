"""Figures of "The aftermath: a crippled army" page."""

from __future__ import annotations

import numpy as np

from ..interactive import Slider, base_layout, explorer
from ..models import immunoparalysis
from .common import curve, grid_layout, reference_line

DAYS = 28.0
_T = np.arange(0.0, DAYS + 0.01, 0.5)  # twice a day is enough for courses lasting weeks


_course_layout = grid_layout(
    cols=2,
    hgap=0.12,
    vgap=0.13,
    height=640,
    hovermode="x",
    margin=dict(l=64, r=24, t=64, b=56),
    x=dict(title="days after onset", range=[0, DAYS], dtick=7),
    panels=[
        dict(title="fraction of normal or of maximum", range=[0, 1.02]),
        dict(title="HLA-DR⁺ monocytes (%)", range=[0, 100]),
        dict(title="lymphocytes (10⁹/L)", range=[0, 2.2]),
        dict(title="% of T cells or of patients", range=[0, 80]),
    ],
)


@explorer(
    "aftermath.course",
    sliders=[
        Slider("severity", "Severity of the infection S", "", 0.1, 0.9, 0.3, steps=5),
        Slider("infection_days", "Time to control the infection τ_inf", "days", 1.0, 7.0, 2.0, steps=7),
    ],
    layout=_course_layout,
    caption=(
        "Four weeks after a septic episode, in four panels (a grid on a wide screen, one column on a "
        "phone). First: the hyperinflammatory response flares and burns out within days, while the "
        "monocytes' capacity to make TNF (endotoxin tolerance) stays low far longer. Second: HLA-DR on "
        "monocytes, with the 30 % immunoparalysis threshold dashed. Third: lymphocytes lost to apoptosis. "
        "Fourth: PD-1-high exhausted T cells and the cumulative risk of a secondary hospital-acquired "
        "infection. Make the infection more severe or slower to control and watch immunoparalysis deepen "
        "and last."
    ),
    alt=(
        "Four small line charts over 28 days: hyperinflammation peaking at onset and vanishing within "
        "days while TNF capacity dips and recovers over weeks; HLA-DR-positive monocytes falling below a "
        "dashed 30 % line for several days; lymphocytes falling to about 0.6 and recovering slowly; and "
        "exhausted T cells rising while the risk of a secondary infection climbs steadily."
    ),
)
def course(severity: float, infection_days: float) -> list[dict]:
    res = immunoparalysis.simulate(immunoparalysis.Params(severity=severity, infection_days=infection_days), days=DAYS)
    idx = np.searchsorted(res.time, _T - 1e-9)
    t = res.time[idx]
    return [
        curve("hyperinflammation H", t, res.hyperinflammation[idx], color=1),
        curve("TNF capacity c", t, res.tnf_capacity[idx], color=0),
        curve("HLA-DR⁺ monocytes", t, res.hla_dr[idx], color=2, panel=2),
        reference_line("immunoparalysis (< 30 %)", y=immunoparalysis.HLA_DR_IMMUNOPARALYSIS, span=(0, DAYS), panel=2),
        curve("lymphocytes", t, res.lymphocytes[idx], color=3, panel=3),
        curve("PD-1-high T cells", t, 100 * res.pd1[idx], color=4, panel=4),
        curve("secondary infection risk", t, 100 * res.infection_risk[idx], color=5, panel=4),
    ]


_GAPS = np.geomspace(0.5, 28.0, 30)


@explorer(
    "aftermath.tolerance",
    sliders=[
        Slider("tol_half_life_d", "Half-life of tolerance", "days", 1.0, 8.0, 3.8, steps=8),
        Slider("lps_activation", "Strength of the first LPS challenge A_LPS", "", 2.0, 32.0, 8.0, steps=5, log=True),
    ],
    layout=base_layout(
        hovermode="closest",
        xaxis=dict(title="days between the two LPS challenges (log scale)", type="log"),
        yaxis=dict(title="TNF peak, second / first", range=[0, 1.05]),
    ),
    caption=(
        "Endotoxin tolerance. A second dose of LPS given soon after the first produces only a fraction "
        "of the first TNF peak; the response returns as the tolerance programme fades. A stronger first "
        "challenge deepens tolerance; a longer half-life stretches it over weeks."
    ),
    alt=(
        "A rising curve on a log time axis from half a day to four weeks: the ratio of the second to the "
        "first TNF peak starts near 0.2 and climbs towards 1, crossing one half after about a week."
    ),
)
def tolerance(tol_half_life_d: float, lps_activation: float) -> list[dict]:
    params = immunoparalysis.Params(tol_half_life_d=tol_half_life_d, lps_activation=lps_activation)
    return [
        reference_line("no tolerance", y=1, span=(_GAPS[0], _GAPS[-1]), dash="dot", width=1.5),
        curve(
            "TNF peak ratio",
            _GAPS,
            immunoparalysis.lps_rechallenge(_GAPS, params),
            color=0,
            mode="lines+markers",
            marker=dict(size=5),
        ),
    ]
