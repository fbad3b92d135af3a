"""Figures of "The virtual patient" page: a bedside monitor and scenario comparisons.

Each slider combination is one 72-h run of :func:`sepsislab.patient.simulate`
(cached, see :mod:`sepsislab.scenarios`).
"""

from __future__ import annotations

from .. import scenarios
from ..interactive import PALETTE, Slider, base_layout, explorer
from ..scenarios import HOURS, run
from ._ch2 import ANTIBIOTIC, SEVERITY, death_marker, hline, line, stacked_axes

_monitor_layout = base_layout(
    **stacked_axes(["MAP (mmHg) · HR (/min)", "lactate (mmol/L)", "SOFA (points)"], [[0, 200], [0, 15], [0, 24]], 640)
)
_monitor_layout["paper_bgcolor"] = "#fbfbf8"


@explorer(
    "patient.monitor",
    sliders=[
        ANTIBIOTIC,
        Slider("fluids_ml", "Crystalloid in the first hours", "mL", 0.0, 4200.0, 2100.0, steps=4),
        Slider("norepinephrine", "Norepinephrine from hour 0", "µg/kg/min", 0.0, 0.3, 0.1, steps=4),
        SEVERITY,
    ],
    layout=_monitor_layout,
    caption=(
        "The bedside monitor of the virtual patient over the 72 hours after the blood pressure first "
        "falls below 65 mmHg. Top: mean arterial pressure and heart rate (dotted: MAP 65 mmHg); middle: "
        "blood lactate (dotted: 2 mmol/L); bottom: the SOFA score. Fluids are given as 1-L boluses, one "
        "an hour from hour 0; the source is controlled at hour 6 unless noted. A cross marks death. "
        "Delay the antibiotic, withhold fluids or norepinephrine, or make the case more severe."
    ),
    alt=(
        "Three stacked time courses over 72 hours: mean arterial pressure and heart rate, lactate, and "
        "SOFA score. With the default plan the pressure recovers above 65 mmHg, the heart rate falls, "
        "lactate peaks within the first day and then clears, and the SOFA score falls after a peak."
    ),
    precomputed=True,  # each move re-runs the 72-hour virtual patient (> 16 ms)
)
def monitor(antibiotic_hour: float, fluids_ml: float, norepinephrine: float, severity: float) -> list[dict]:
    res = run(severity, antibiotic_hour, fluids_ml, norepinephrine, 6.0)
    traces = [
        line(res, "map", "MAP", 1),
        line(res, "heart_rate", "heart rate", 0),
        hline(65, "MAP 65 mmHg"),
        death_marker(res, "map"),
        line(res, "lactate", "lactate", 4, axis="2"),
        hline(2, "lactate 2 mmol/L", axis="2"),
        line(res, "sofa", "SOFA", 3, axis="3", shape="hv"),
    ]
    # a monitor shows whole mmHg and beats, lactate to 0.1 mmol/L (and the page stays small)
    for t, digits in zip(traces, (0, 0, None, 0, 1, None, None)):
        if digits is not None:
            t["y"] = t["y"].round(digits)
    return traces


_CASES_AB = (1.0, 6.0, 12.0, 24.0)
_ab_layout = base_layout(**stacked_axes(["lactate (mmol/L)", "SOFA (points)"], [[0, 15], [0, 24]], 520))


@explorer(
    "patient.antibiotics",
    sliders=[SEVERITY],
    layout=_ab_layout,
    caption=(
        "Early against late antibiotics, everything else the same (30 mL/kg of fluid, norepinephrine "
        "titrated to a MAP of 65 mmHg, source control at hour 6). Each line starts the antibiotic at a "
        "different hour after the onset of hypotension. A cross marks death."
    ),
    alt=(
        "Two stacked charts over 72 hours with four lines each, for antibiotics at hours 1, 6, 12 and 24: "
        "lactate on top and SOFA below. The later the antibiotic, the higher and longer the lactate and "
        "SOFA curves; a start at hour 24 ends in death at every severity, and earlier starts do too in the "
        "more severe cases."
    ),
    precomputed=True,  # each move re-runs the 72-hour virtual patient (> 16 ms)
)
def antibiotics(severity: float) -> list[dict]:
    traces = []
    for color, hour in zip((2, 0, 4, 1), _CASES_AB):
        res = scenarios.standard(severity, hour)
        traces += [
            line(res, "lactate", f"antibiotic at {hour:g} h", color),
            line(res, "sofa", f"SOFA, antibiotic at {hour:g} h", color, axis="2", shape="hv"),
            death_marker(res, "lactate"),
        ]
    for t in traces[1::3]:
        t["showlegend"] = False
    return traces


_support_layout = base_layout(
    **stacked_axes(["MAP (mmHg)", "lactate (mmol/L)", "fluid balance (L)"], [[0, 110], [0, 15], [-1, 8]], 620)
)


def _support_cases(severity: float):
    return (
        ("no treatment", run(severity)),
        ("antibiotic + source control only", run(severity, 1.0, 0.0, 0.0, 6.0)),
        ("+ fluids 30 mL/kg", run(severity, 1.0, 2100.0, 0.0, 6.0)),
        ("+ fluids + norepinephrine to MAP 65", run(severity, 1.0, 2100.0, "titrate", 6.0)),
    )


@explorer(
    "patient.support",
    sliders=[SEVERITY],
    layout=_support_layout,
    caption=(
        "What each layer of treatment adds. No treatment; an antibiotic at hour 1 with source control at "
        "hour 6 but no haemodynamic support; the same plus 30 mL/kg of crystalloid; and the same plus "
        "norepinephrine titrated to a MAP of 65 mmHg. Bottom: fluid retained in the body (blood, "
        "interstitium and lungs) since hour 0. A cross marks death."
    ),
    alt=(
        "Three stacked charts over 72 hours comparing four treatment plans: mean arterial pressure, "
        "lactate and fluid balance. Without treatment the pressure collapses and lactate soars until "
        "death; fluids and norepinephrine together keep the pressure near 65 mmHg and lactate lowest."
    ),
    precomputed=True,  # each move re-runs the 72-hour virtual patient (> 16 ms)
)
def support(severity: float) -> list[dict]:
    traces = []
    for color, (name, res) in zip((6, 1, 5, 2), _support_cases(severity)):
        traces += [
            line(res, "map", name, color),
            line(res, "lactate", name, color, axis="2"),
            line(res, "fluid_balance_ml", name, color, axis="3"),
            death_marker(res, "map"),
        ]
        traces[-2]["y"] = traces[-2]["y"] / 1000.0
        traces[-3]["showlegend"] = traces[-2]["showlegend"] = False
    traces.append(hline(65, "MAP 65 mmHg"))
    return traces


__all__ = ["monitor", "antibiotics", "support", "HOURS", "PALETTE"]
