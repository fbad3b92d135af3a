"""Figures of "The oxygen paradox" page: delivery, cytochrome c oxidase, and the bedside paradox."""

from __future__ import annotations

import numpy as np

from ..interactive import PALETTE, Slider, base_layout, explorer
from ..models import microcirculation, oxygen
from .common import curve, reference_line, stacked_layout

_DO2 = np.linspace(0.0, 1500.0, 151)
_DEMAND = oxygen.Params().vo2_demand_ml_min
_HEALTHY_H = microcirculation.Params().h_healthy


@explorer(
    "oxygen.delivery",
    sliders=[
        Slider("heterogeneity", "Capillary flow heterogeneity h", "coefficient of variation",
               0.4, 2.4, 0.4, steps=6),
        Slider("plugged_fraction", "Capillaries plugged by leukocytes", "fraction", 0.0, 0.4, 0.0, steps=5),
    ],
    layout=base_layout(hovermode="closest",
                       xaxis=dict(title=dict(text="O₂ delivery DO₂ (mL/min)"), range=[0, 1500]),
                       yaxis=dict(title=dict(text="O₂ consumption VO₂ (mL/min)"), range=[0, 300])),
    caption=("The biphasic DO₂–VO₂ relation for a demand of 250 mL O₂/min. Above the critical delivery "
             "(dotted line) consumption equals demand whatever the delivery; below it, consumption falls in "
             "proportion. The maximal extraction comes from the capillary network of the microcirculation "
             "section; the grey curve is the healthy network. Make flow heterogeneous and plug capillaries, "
             "as sepsis does, and the critical delivery moves towards normal delivery."),
    alt=("Line chart of oxygen consumption against oxygen delivery from 0 to 1500 mL/min: a straight rise "
         "from the origin that turns flat at the demand of 250 mL/min, with a dotted vertical line at the "
         "critical delivery and a grey reference curve for a healthy microcirculation."),
)
def delivery(heterogeneity: float, plugged_fraction: float) -> list[dict]:
    emax = microcirculation.max_extraction(heterogeneity, plugged_fraction)
    crit = oxygen.critical_do2(_DEMAND, emax)
    healthy = oxygen.oxygen_consumption_curve(_DO2, _DEMAND, microcirculation.max_extraction(_HEALTHY_H))
    return [
        curve("healthy microcirculation", _DO2, healthy, color="#999999", width=2, mode="lines"),
        curve("VO₂", _DO2, oxygen.oxygen_consumption_curve(_DO2, _DEMAND, emax), color=0, mode="lines"),
        reference_line("critical DO₂", x=crit, span=(0, 300), dash="dot", color=1),
    ]


_NO = np.geomspace(1.0, 3000.0, 120)
_BC = np.array(oxygen.BROWN_COOPER_IC50)


def _relative_rate(o2_um: float) -> np.ndarray:
    return oxygen.mitochondrial_o2_use(o2_um, _NO) / oxygen.mitochondrial_o2_use(o2_um, 0.0)


@explorer(
    "oxygen.cox",
    sliders=[Slider("o2_um", "O₂ at the mitochondria", "µM", 3.0, 200.0, 30.0, steps=9, log=True)],
    layout=base_layout(hovermode="closest",
                       xaxis=dict(title=dict(text="nitric oxide (nM, log scale)"), type="log"),
                       yaxis=dict(title=dict(text="COX rate, fraction of the rate without NO"),
                                  range=[0, 1.05])),
    caption=("Nitric oxide competes with oxygen at cytochrome c oxidase. Each curve is the enzyme's rate "
             "against NO, relative to its rate without NO. The markers are the half-inhibiting NO "
             "concentrations measured by Brown & Cooper (1994) at 145 µM and 30 µM O₂, which the model's "
             "constants reproduce. Lower the oxygen and the same NO inhibits far more."),
    alt=("Falling S-shaped curves of the cytochrome c oxidase rate against nitric oxide on a log axis, one "
         "for the chosen oxygen level and two dashed ones for 145 and 30 µM, with two markers at half "
         "inhibition, at 270 and 60 nM."),
)
def cox(o2_um: float) -> list[dict]:
    return [
        curve("145 µM O₂", _NO, _relative_rate(145.0), color=5, width=2, dash="dash", mode="lines"),
        curve("30 µM O₂", _NO, _relative_rate(30.0), color=3, width=2, dash="dash", mode="lines"),
        dict(type="scatter", name="IC₅₀ measured (Brown & Cooper 1994)", x=_BC[:, 1], y=[0.5, 0.5],
             mode="markers", marker=dict(size=12, color=PALETTE[6], symbol="diamond")),
        curve("chosen O₂", _NO, _relative_rate(o2_um), color=0, mode="lines"),
    ]


HOURS = 24.0
#: The default run of the paradox figure, which its text alternative describes.
_DEFAULT_RUN = oxygen.simulate(hours=HOURS)
_layout_paradox = stacked_layout(
    height=520, hovermode="x", gap=0.1,
    x=dict(title="time (h)", range=[0, HOURS], dtick=4),
    panels=[dict(title="ScvO₂ (%)", range=[0, 100]), dict(title="lactate (mmol/L)", range=[0, 10])],
)


@explorer(
    "oxygen.paradox",
    sliders=[
        Slider("no_nm", "Tissue nitric oxide [NO]", "nM", 0.0, 100.0, 20.0, steps=6),
        Slider("do2_ml_min", "O₂ delivery DO₂", "mL O₂/min", 300.0, 1200.0, 1000.0, steps=10),
    ],
    layout=_layout_paradox,
    caption=("The bedside paradox. With normal delivery and septic levels of NO, the cells take less oxygen, "
             "so the blood returns fuller (ScvO₂ above 70 %, dashed, the target of early goal-directed "
             "therapy) while lactate rises above "
             "2 mmol/L (dashed) as peroxynitrite wears down respiratory capacity. Cut the delivery instead, "
             "with NO at zero: now ScvO₂ falls as lactate rises — the classic, delivery-limited picture."),
    alt=("Two stacked line charts over 24 hours: central venous saturation with a dashed line at 70 %, and "
         "blood lactate with a dashed line at 2 mmol/L. With the default settings saturation stays above "
         f"70 %, reaching {100 * _DEFAULT_RUN.scvo2[-1]:.0f} % at 24 h, while lactate climbs to "
         f"{_DEFAULT_RUN.lactate[-1]:.1f} mmol/L."),
)
def paradox(no_nm: float, do2_ml_min: float) -> list[dict]:
    res = oxygen.simulate(oxygen.Params(no_nm=no_nm, do2_ml_min=do2_ml_min), hours=HOURS)
    return [
        curve("ScvO₂", res.time, 100 * res.scvo2, color=0),
        reference_line("ScvO₂ 70 % (EGDT target)", y=70, span=(0, HOURS), color=0, width=1.5),
        curve("lactate", res.time, res.lactate, color=1, panel=2),
        reference_line("lactate 2 mmol/L", y=2, span=(0, HOURS), color=1, width=1.5, panel=2),
    ]
