"""Figures of "The rationale of treatment" page."""

from __future__ import annotations

import numpy as np

from .. import patient, scenarios
from ..clinical import arterial_oxygen_content, oxygen_delivery
from ..interactive import Slider, base_layout, explorer
from ..models import oxygen
from ..scenarios import HOURS, run
from ._ch2 import ANTIBIOTIC, SEVERITY, course, course_layout, death_marker, threshold
from .common import curve, points, reference_line, stacked_layout

_timing_layout = course_layout(
    620,
    [
        ("pathogen load (fraction of focus, log)", [-6, 0.2], dict(type="log")),
        ("norepinephrine (µg/kg/min)", [0, 3]),
        ("SOFA (points)", [0, 24]),
    ],
)


@explorer(
    "treatment.antibiotic_timing",
    sliders=[ANTIBIOTIC, SEVERITY],
    layout=_timing_layout,
    caption=(
        "The hour the antibiotic starts. Top: the pathogen load in the focus (log scale) keeps growing "
        "until the drug arrives, and falls faster once the source is controlled at hour 6. Middle: the "
        "norepinephrine the bedside team must give to hold a MAP of 65 mmHg. Bottom: the SOFA score. "
        "Fluids 30 mL/kg are given in the first two hours in every case; a cross marks death."
    ),
    alt=(
        "Three stacked charts over 72 hours: pathogen load on a log axis, norepinephrine dose and SOFA "
        "score. Moving the antibiotic later keeps the load high for longer, raises and prolongs the "
        "norepinephrine requirement and the SOFA score."
    ),
    precomputed=True,  # each move re-runs the 72-hour virtual patient (> 16 ms)
)
def antibiotic_timing(antibiotic_hour: float, severity: float) -> list[dict]:
    res = scenarios.standard(severity, antibiotic_hour)
    load = course(res, "pathogen", "pathogen load", 1)
    load["y"] = np.maximum(load["y"], 1e-6)  # the log axis has no zero
    return [
        load,
        reference_line("antibiotic starts", x=antibiotic_hour, span=[1e-6, 1.5], color=2),
        course(res, "norepinephrine", "norepinephrine", 0, panel=2, shape="hv"),
        course(res, "sofa", "SOFA", 3, panel=3, shape="hv"),
        death_marker(res, "sofa", panel=3),
    ]


_fluid_layout = course_layout(
    620, [("MAP (mmHg)", [0, 110]), ("fluid retained (L)", [-1, 10]), ("P/F ratio (mmHg)", [0, 480])]
)


@explorer(
    "treatment.fluids",
    sliders=[
        Slider("fluids_ml", "Crystalloid given (1 L an hour from hour 0)", "mL", 0.0, 7000.0, 2100.0, steps=6),
        SEVERITY,
    ],
    layout=_fluid_layout,
    caption=(
        "How much fluid? The patient also gets an antibiotic at hour 1, source control at hour 6 and "
        "norepinephrine titrated to a MAP of 65 mmHg. Top: pressure. Middle: fluid retained in the body "
        "since hour 0 — most of it outside the vessels. Bottom: the P/F ratio as the lungs take up water; "
        "dotted lines are the Berlin thresholds 300, 200 and 100 mmHg."
    ),
    alt=(
        "Three stacked charts over 72 hours: MAP, fluid retained and P/F ratio. With norepinephrine "
        "titrated to 65 mmHg the pressure hardly depends on the volume given, while more fluid keeps more "
        "litres in the body and drives the P/F ratio further down, through the ARDS thresholds at the "
        "largest volumes."
    ),
    precomputed=True,  # each move re-runs the 72-hour virtual patient (> 16 ms)
)
def fluids(fluids_ml: float, severity: float) -> list[dict]:
    res = run(severity, 1.0, fluids_ml, "titrate", 6.0)
    balance = course(res, "fluid_balance_ml", "fluid retained", 5, panel=2)
    balance["y"] = balance["y"] / 1000.0
    return [
        course(res, "map", "MAP", 1),
        threshold(65, "MAP 65"),
        balance,
        course(res, "pf_ratio", "P/F ratio", 0, panel=3),
        *[threshold(v, f"P/F {v}", panel=3) for v in (300, 200, 100)],
        death_marker(res, "map"),
    ]


_NE = np.linspace(0.0, 1.0, 16)
_pressor_layout = base_layout(
    xaxis=dict(title="norepinephrine (µg/kg/min)", range=[0, 1]),
    yaxis=dict(title="mean arterial pressure (mmHg)", range=[20, 130]),
)


@explorer(
    "treatment.pressors",
    sliders=[
        Slider("no_activity", "NO activity (1 ≈ untreated septic shock)", "", 0.0, 2.5, 1.0, steps=6),
        Slider("vasopressin", "Vasopressin added", "U/min", 0.0, 0.06, 0.03, steps=3),
    ],
    layout=_pressor_layout,
    caption=(
        "Restoring resistance. The MAP the patient's circulation settles at (volume 5 L, baroreflex "
        "intact) as norepinephrine is turned up, alone, with vasopressin, and with hydrocortisone at its "
        "full effect (after a day), which restores part of the vascular tone that NO takes away. Raise the NO "
        "activity to see the dose–response curve flatten: refractory shock."
    ),
    alt=(
        "Rising curves of mean arterial pressure against norepinephrine dose: norepinephrine alone, with "
        "vasopressin (higher), and with hydrocortisone (higher). A dotted line marks 65 mmHg; with high NO "
        "activity all curves are lower and flatter."
    ),
)
def pressors(no_activity: float, vasopressin: float) -> list[dict]:
    def map_at_doses(**kw):
        return patient.haemodynamics(
            no_activity=no_activity,
            depressant=min(no_activity, 1.0),
            inflammation=min(no_activity, 1.0),
            norepinephrine_ug_kg_min=_NE,
            **kw,
        )["map"]

    return [
        curve("norepinephrine", _NE, map_at_doses(), color=0),
        curve("+ vasopressin", _NE, map_at_doses(vasopressin_u_min=vasopressin), color=3),
        curve("+ hydrocortisone", _NE, map_at_doses(hydrocortisone=True), color=2, dash="dash"),
        reference_line("MAP 65 mmHg", y=65, span=[0, 1], dash="dot", width=1.5),
    ]


_DOB = np.linspace(0.0, 20.0, 21)
_ino_layout = stacked_layout(
    height=520,
    gap=0.1,
    x=dict(title="dobutamine (µg/kg/min)", range=[0, 20]),
    panels=[dict(title="cardiac output (L/min)", range=[0, 10]), dict(title="MAP (mmHg)", range=[30, 110])],
)


@explorer(
    "treatment.inotrope",
    sliders=[
        Slider("depressant", "Myocardial depressant activity", "", 0.0, 2.0, 1.0, steps=5),
        Slider("norepinephrine", "Norepinephrine", "µg/kg/min", 0.0, 0.3, 0.1, steps=4),
    ],
    layout=_ino_layout,
    caption=(
        "An inotrope for the stunned heart. Cardiac output (top) and MAP (bottom) of the patient's "
        "circulation with NO activity 1, as dobutamine is added to a background of norepinephrine. "
        "The grey line is the same circulation with a healthy heart. Dobutamine restores output in a "
        "depressed heart, but its vasodilating β₂ effect means the pressure gains less."
    ),
    alt=(
        "Two charts against dobutamine dose: cardiac output rises along a saturating curve, more steeply "
        "the more depressed the heart; MAP rises little. A grey reference line shows a healthy heart."
    ),
)
def inotrope(depressant: float, norepinephrine: float) -> list[dict]:
    def series(dep):
        states = patient.haemodynamics(
            no_activity=1.0,
            depressant=dep,
            inflammation=1.0,
            norepinephrine_ug_kg_min=norepinephrine,
            dobutamine_ug_kg_min=_DOB,
        )
        return states["cardiac_output"], states["map"]

    co, mapv = series(depressant)
    co0, map0 = series(0.0)
    return [
        curve("cardiac output", _DOB, co, color=0),
        curve("healthy heart", _DOB, co0, color="#999999", width=2),
        curve("MAP", _DOB, mapv, color=1, panel=2),
        curve("MAP, healthy heart", _DOB, map0, color="#999999", width=2, panel=2, showlegend=False),
    ]


_HB = np.linspace(5.0, 15.0, 41)
_o2_layout = base_layout(
    xaxis=dict(title="haemoglobin (g/dL)", range=[5, 15]),
    yaxis=dict(title="oxygen delivery (mL O₂/min)", range=[0, 1600]),
)


@explorer(
    "treatment.oxygen",
    sliders=[
        Slider("fio2", "Inspired oxygen FiO₂", "fraction", 0.21, 1.0, 0.5, steps=5),
        Slider("pf_ratio", "Lung function: P/F ratio", "mmHg", 100.0, 400.0, 200.0, steps=4),
    ],
    layout=_o2_layout,
    caption=(
        "Oxygen and blood. Oxygen delivery DO₂ = CO·CaO₂·10 at a cardiac output of 6 L/min, against "
        "haemoglobin; PaO₂ is the P/F ratio times FiO₂. The dashed line is the critical DO₂ of a "
        "septic microcirculation (oxygen need 280 mL/min, maximal extraction 0.5); the markers are the "
        "transfusion thresholds 7 and 9 g/dL compared in the TRISS trial."
    ),
    alt=(
        "A rising straight line of oxygen delivery against haemoglobin, with a dashed horizontal line for "
        "the critical delivery and two markers at 7 and 9 g/dL. Raising FiO₂ or the P/F ratio lifts the "
        "line most when the lungs are poor and FiO₂ is low."
    ),
)
def oxygen_figure(fio2: float, pf_ratio: float) -> list[dict]:
    pao2 = min(pf_ratio * fio2, 700.0)
    sao2 = patient.oxygen_saturation(pao2)  # the patient's Severinghaus curve

    def delivery(haemoglobins):
        return np.array([oxygen_delivery(6.0, arterial_oxygen_content(hb, sao2, pao2)) for hb in haemoglobins])

    crit = float(oxygen.critical_do2(280.0, 0.5))
    return [
        curve(f"DO₂ (SaO₂ {sao2:.2f})", _HB, delivery(_HB), color=1),
        reference_line("critical DO₂", y=crit, span=[5, 15]),
        points("Hb 7 and 9 g/dL", [7.0, 9.0], delivery((7.0, 9.0)), color=0, size=12),
    ]


__all__ = ["antibiotic_timing", "fluids", "pressors", "inotrope", "oxygen_figure", "HOURS"]
