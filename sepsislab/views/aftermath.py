"""Figures of "The aftermath: a crippled army" page."""

from __future__ import annotations

import numpy as np

from ..interactive import PALETTE, Slider, base_layout, explorer
from ..models import immunoparalysis

DAYS = 28.0
_T = np.arange(0.0, DAYS + 0.01, 0.5)  # twice a day is enough for courses lasting weeks


def _ax(n: int) -> str:
    return "" if n == 1 else str(n)


def _panel(n: int, title: str, **yaxis) -> dict:
    """Axis pair of panel n of a 2 × 2 grid (1 2 / 3 4)."""
    row, col = divmod(n - 1, 2)
    top = 1.0 - row * 0.55
    return {
        f"xaxis{_ax(n)}": dict(anchor=f"y{_ax(n)}", domain=[0.0, 0.44] if col == 0 else [0.56, 1.0],
                               range=[0, DAYS], dtick=7, showticklabels=row == 1,
                               title=dict(text="days after onset" if row == 1 else "")),
        f"yaxis{_ax(n)}": dict(anchor=f"x{_ax(n)}", domain=[top - 0.42, top], title=dict(text=title), **yaxis),
    }


def _xy(n: int) -> dict:
    return {} if n == 1 else dict(xaxis=f"x{n}", yaxis=f"y{n}")


@explorer(
    "aftermath.course",
    sliders=[
        Slider("severity", "Severity of the infection S", "", 0.1, 0.9, 0.3, steps=5),
        Slider("infection_days", "Time to control the infection τ_inf", "days", 1.0, 7.0, 2.0, steps=7),
    ],
    layout=base_layout(height=640, hovermode="x", margin=dict(l=64, r=24, t=64, b=56),
                       **_panel(1, "fraction of normal or of maximum", range=[0, 1.02]),
                       **_panel(2, "HLA-DR⁺ monocytes (%)", range=[0, 100]),
                       **_panel(3, "lymphocytes (10⁹/L)", range=[0, 2.2]),
                       **_panel(4, "% of T cells or of patients", range=[0, 80])),
    caption=("Four weeks after a septic episode. Top left: the hyperinflammatory response flares and burns "
             "out within days, while the monocytes' capacity to make TNF (endotoxin tolerance) stays low far "
             "longer. Top right: HLA-DR on monocytes, with the 30 % immunoparalysis threshold dashed. Bottom "
             "left: lymphocytes lost to apoptosis. Bottom right: PD-1-high exhausted T cells and the "
             "cumulative risk of a secondary hospital-acquired infection. Make the infection more severe or "
             "slower to control and watch immunoparalysis deepen and last."),
    alt=("Four small line charts over 28 days: hyperinflammation peaking at onset and vanishing within "
         "days while TNF capacity dips and recovers over weeks; HLA-DR-positive monocytes falling below a "
         "dashed 30 % line for several days; lymphocytes falling to about 0.6 and recovering slowly; and "
         "exhausted T cells rising while the risk of a secondary infection climbs steadily."),
)
def course(severity: float, infection_days: float) -> list[dict]:
    res = immunoparalysis.simulate(immunoparalysis.Params(severity=severity, infection_days=infection_days),
                                   days=DAYS)
    idx = np.searchsorted(res.time, _T - 1e-9)
    t = res.time[idx]
    return [
        dict(type="scatter", name="hyperinflammation H", x=t, y=res.hyperinflammation[idx],
             line=dict(color=PALETTE[1], width=3)),
        dict(type="scatter", name="TNF capacity c", x=t, y=res.tnf_capacity[idx],
             line=dict(color=PALETTE[0], width=3)),
        dict(type="scatter", name="HLA-DR⁺ monocytes", x=t, y=res.hla_dr[idx],
             line=dict(color=PALETTE[2], width=3), **_xy(2)),
        dict(type="scatter", name="immunoparalysis (< 30 %)", x=[0, DAYS],
             y=[immunoparalysis.HLA_DR_IMMUNOPARALYSIS] * 2, mode="lines",
             line=dict(color=PALETTE[6], dash="dash", width=2), **_xy(2)),
        dict(type="scatter", name="lymphocytes", x=t, y=res.lymphocytes[idx],
             line=dict(color=PALETTE[3], width=3), **_xy(3)),
        dict(type="scatter", name="PD-1-high T cells", x=t, y=100 * res.pd1[idx],
             line=dict(color=PALETTE[4], width=3), **_xy(4)),
        dict(type="scatter", name="secondary infection risk", x=t, y=100 * res.infection_risk[idx],
             line=dict(color=PALETTE[5], width=3), **_xy(4)),
    ]


_GAPS = np.geomspace(0.5, 28.0, 30)


@explorer(
    "aftermath.tolerance",
    sliders=[
        Slider("tol_half_life_d", "Half-life of tolerance", "days", 1.0, 8.0, 3.8, steps=8),
        Slider("lps_activation", "Strength of the first LPS challenge A_LPS", "", 2.0, 32.0, 8.0, steps=5,
               log=True),
    ],
    layout=base_layout(hovermode="closest",
                       xaxis=dict(title=dict(text="days between the two LPS challenges (log scale)"), type="log"),
                       yaxis=dict(title=dict(text="TNF peak, second / first"), range=[0, 1.05])),
    caption=("Endotoxin tolerance. A second dose of LPS given soon after the first produces only a fraction "
             "of the first TNF peak; the response returns as the tolerance programme fades. A stronger first "
             "challenge deepens tolerance; a longer half-life stretches it over weeks."),
    alt=("A rising curve on a log time axis from half a day to four weeks: the ratio of the second to the "
         "first TNF peak starts near 0.2 and climbs towards 1, crossing one half after about a week."),
)
def tolerance(tol_half_life_d: float, lps_activation: float) -> list[dict]:
    params = immunoparalysis.Params(tol_half_life_d=tol_half_life_d, lps_activation=lps_activation)
    return [
        dict(type="scatter", name="no tolerance", x=[_GAPS[0], _GAPS[-1]], y=[1, 1], mode="lines",
             line=dict(color=PALETTE[6], dash="dot", width=1.5)),
        dict(type="scatter", name="TNF peak ratio", x=_GAPS,
             y=immunoparalysis.lps_rechallenge(_GAPS, params), mode="lines+markers",
             line=dict(color=PALETTE[0], width=3), marker=dict(size=5)),
    ]
