"""Figures of the organ-by-organ pages of chapter 2."""

from __future__ import annotations

import numpy as np

from .. import patient, scenarios
from ..interactive import Slider, base_layout, explorer
from ..models import circulation
from ..scenarios import HOURS
from ._ch2 import ANTIBIOTIC, SEVERITY, TIME_AXIS, course, course_layout, death_marker, threshold
from .common import curve, grid_layout, points, reference_line, stacked_layout

# -- heart ----------------------------------------------------------------------------------

_C = np.linspace(0.2, 1.0, 33)
_heart_layout = stacked_layout(
    height=560,
    gap=0.1,
    x=dict(title="contractility (1 = healthy)", range=[0.2, 1.0]),
    panels=[dict(title="MAP (mmHg) · CO (L/min ×10)", range=[0, 130]), dict(title="ejection fraction", range=[0, 0.8])],
)


@explorer(
    "organs.heart",
    sliders=[
        Slider("contractility", "Contractility left", "fraction", 0.2, 1.0, 0.6, steps=9),
        Slider("cytokine", "Cytokine level (vasodilation)", "0–1", 0.0, 0.4, 0.3, steps=5),
    ],
    layout=_heart_layout,
    caption=(
        "The stunned heart in the chapter-1 circulation (Zenker et al. 2007, baroreflex closed). Top: "
        "mean arterial pressure and cardiac output (×10) as contractility falls; bottom: ejection "
        "fraction, stroke volume over end-diastolic volume. The markers are at the chosen "
        "contractility. Add vasodilation with the cytokine slider: the same loss of contractility "
        "costs more pressure when the resistance is already low."
    ),
    alt=(
        "Two charts against contractility from 0.2 to 1. Top: MAP and cardiac output fall as contractility "
        "falls, slowly at first and steeply below about half. Bottom: ejection fraction falls roughly in "
        "proportion to contractility."
    ),
)
def heart(contractility: float, cytokine: float) -> list[dict]:
    tone = circulation.no_chain(cytokine)["tone"]
    st = circulation.steady_state(tone=tone, contractility=_C)
    ef = st["stroke_volume"] / st["edv"]
    i = int(np.argmin(np.abs(_C - contractility)))
    return [
        curve("MAP", _C, st["map"], color=1),
        curve("cardiac output ×10", _C, st["cardiac_output"] * 10, color=0),
        curve("ejection fraction", _C, ef, color=3, panel=2),
        points("chosen contractility", [_C[i]] * 2, [st["map"][i], st["cardiac_output"][i] * 10], showlegend=False),
        points("chosen EF", [_C[i]], [ef[i]], panel=2, showlegend=False),
    ]


# -- lungs ----------------------------------------------------------------------------------

_WEDGE = np.linspace(0.0, 30.0, 61)
_lung_layout = base_layout(
    xaxis=dict(title="left-atrial (wedge) pressure (mmHg)", range=[0, 30]),
    yaxis=dict(title="PaO₂/FiO₂ (mmHg)", range=[0, 480]),
)


@explorer(
    "organs.lungs",
    sliders=[
        Slider("glycocalyx", "Glycocalyx left", "fraction", 0.0, 1.0, 0.4, steps=6),
        Slider("clearance_h", "Lung-water clearance time", "h", 6.0, 24.0, 12.0, steps=4),
    ],
    layout=_lung_layout,
    caption=(
        "Permeability oedema. The P/F ratio once lung-water filtration and clearance balance, against the "
        "left-atrial (wedge) pressure that sets the lung capillary pressure, for the chosen glycocalyx "
        "integrity. Lymph carries away a limited excess of filtration before water accumulates. Dotted "
        "lines are the Berlin thresholds for mild (300), moderate (200) and severe (100 mmHg) ARDS. With "
        "an intact barrier the lungs stay dry until the wedge pressure is high; a shed barrier floods "
        "them at ordinary pressures."
    ),
    alt=(
        "Falling curves of P/F ratio against left-atrial (wedge) pressure with horizontal lines at 300, 200 "
        "and 100 mmHg. With the glycocalyx intact the curve stays near 450 up to a high wedge pressure; as "
        "the glycocalyx is shed the curve drops through the thresholds at lower and lower pressures."
    ),
)
def lungs(glycocalyx: float, clearance_h: float) -> list[dict]:
    params = patient.Params(lung_clearance_h=clearance_h)
    intact = [patient.lung_steady_state(glycocalyx=1.0, wedge_mmhg=w, params=params)["pf_ratio"] for w in _WEDGE]
    chosen = [patient.lung_steady_state(glycocalyx=glycocalyx, wedge_mmhg=w, params=params)["pf_ratio"] for w in _WEDGE]
    return [
        curve("intact glycocalyx", _WEDGE, intact, color="#999999", width=2),
        curve("chosen glycocalyx", _WEDGE, chosen, color=0),
        *[
            reference_line(f"{label} ARDS", y=v, span=[0, 30], dash="dot", width=1.5, showlegend=False)
            for v, label in ((300, "mild"), (200, "moderate"), (100, "severe"))
        ],
    ]


# -- kidney ---------------------------------------------------------------------------------

_MAPS = np.linspace(30.0, 110.0, 41)
_T = np.linspace(0.0, HOURS, 73)
_kidney_layout = grid_layout(
    height=560,
    cols=1,
    vgap=0.16,
    x=[
        dict(title="mean arterial pressure (mmHg)", range=[30, 110]),
        dict(title="hours at this pressure", range=[0, HOURS]),
    ],
    panels=[dict(title="GFR (fraction of normal)", range=[0, 1.1]), dict(title="creatinine (mg/dL)", range=[0, 6])],
)


@explorer(
    "organs.kidney",
    sliders=[
        Slider("map_mmhg", "Mean arterial pressure", "mmHg", 45.0, 95.0, 65.0, steps=6),
        Slider("cvp_mmhg", "Central venous pressure", "mmHg", 2.0, 18.0, 4.0, steps=5),
    ],
    layout=_kidney_layout,
    caption=(
        "Filtration and the creatinine it leaves behind. Top: glomerular filtration against MAP at the "
        "chosen venous pressure (renal perfusion pressure = MAP − CVP); the marker is the chosen MAP. "
        "Bottom: how plasma creatinine climbs at that filtration, with the SOFA renal thresholds 1.2, "
        "2.0, 3.5 and 5.0 mg/dL dotted. A high venous pressure (congestion) costs filtration too."
    ),
    alt=(
        "Top: a sigmoid curve of filtration against MAP, flat near 1 down to about 65 mmHg and falling "
        "steeply below. Bottom: creatinine rising over 72 hours towards a level that is higher the lower "
        "the filtration, crossing dotted SOFA thresholds."
    ),
)
def kidney(map_mmhg: float, cvp_mmhg: float) -> list[dict]:
    gfr = [patient.renal_function(map_mmhg=m, cvp_mmhg=cvp_mmhg)["gfr_fraction"] for m in _MAPS]
    here = patient.renal_function(map_mmhg=map_mmhg, cvp_mmhg=cvp_mmhg)["gfr_fraction"]
    creat = patient.creatinine_course(max(here, 0.001), _T)
    return [
        curve("GFR", _MAPS, gfr, color=0),
        points("chosen MAP", [map_mmhg], [here], size=12, showlegend=False),
        curve("creatinine", _T, creat, color=1, panel=2),
        *[threshold(v, f"SOFA renal {i + 1}", panel=2) for i, v in enumerate((1.2, 2.0, 3.5, 5.0))],
    ]


# -- liver and brain ---------------------------------------------------------------------------

_lb_layout = course_layout(520, [("bilirubin (mg/dL)", [0, 4]), ("Glasgow Coma Scale", [3, 15.5])])


@explorer(
    "organs.liver_brain",
    sliders=[ANTIBIOTIC, SEVERITY],
    layout=_lb_layout,
    caption=(
        "Liver and brain in the virtual patient (fluids 30 mL/kg, norepinephrine to a MAP of 65, source "
        "control at hour 6). Top: bilirubin, with the SOFA liver thresholds 1.2, 2 and 6 mg/dL dotted. "
        "Bottom: the Glasgow Coma Scale, with the SOFA thresholds 15, 13, 10 and 6. Encephalopathy "
        "comes within hours; in the model, bilirubin creeps up but stays below the first SOFA threshold "
        "within these 72 hours (septic cholestasis takes days)."
    ),
    alt=(
        "Two stacked charts over 72 hours: bilirubin rising slightly, below 1.2 mg/dL throughout, and the "
        "Glasgow Coma Scale falling within hours, lower with a later antibiotic or a more severe case."
    ),
    precomputed=True,  # each move re-runs the 72-hour virtual patient (> 16 ms)
)
def liver_brain(antibiotic_hour: float, severity: float) -> list[dict]:
    res = scenarios.standard(severity, antibiotic_hour)
    return [
        course(res, "bilirubin", "bilirubin", 4),
        *[threshold(v, f"liver {v}") for v in (1.2, 2.0, 6.0)],
        course(res, "gcs", "GCS", 3, panel=2, shape="hv"),
        *[threshold(v, f"GCS {v}", panel=2) for v in (13, 10, 6)],
        death_marker(res, "gcs", panel=2),
    ]


# -- blood ----------------------------------------------------------------------------------------

_blood_layout = course_layout(520, [("platelets (10⁹/L)", [0, 300]), ("inflammatory activity", [0, 2])])


@explorer(
    "organs.blood",
    sliders=[ANTIBIOTIC, SEVERITY],
    layout=_blood_layout,
    caption=(
        "Platelets consumed. Top: the patient's platelet count, with the SOFA coagulation thresholds "
        "150, 100, 50 and 20 × 10⁹/L dotted; bottom: the inflammatory activity that drives their "
        "consumption in microthrombi. Production is steady and platelets live about eight days, so "
        "the count falls for as long as inflammation lasts and recovers only slowly."
    ),
    alt=(
        "Two stacked charts over 72 hours: platelet count falling from about 220 and levelling off, lower "
        "for later antibiotics and more severe cases; inflammatory activity peaking early and decaying "
        "after the antibiotic."
    ),
    precomputed=True,  # each move re-runs the 72-hour virtual patient (> 16 ms)
)
def blood(antibiotic_hour: float, severity: float) -> list[dict]:
    res = scenarios.standard(severity, antibiotic_hour)
    return [
        course(res, "platelets", "platelets", 1),
        *[threshold(v, f"{v}") for v in (150, 100, 50, 20)],
        course(res, "inflammation", "inflammation", 3, panel=2),
        death_marker(res, "platelets"),
    ]


# -- SOFA -----------------------------------------------------------------------------------------

_PARTS = (
    ("respiration", "respiration", 0),
    ("cardiovascular", "cardiovascular", 1),
    ("renal", "kidney", 5),
    ("coagulation", "coagulation", 3),
    ("liver", "liver", 4),
    ("cns", "brain", 2),
)
_sofa_layout = base_layout(
    xaxis=dict(TIME_AXIS),
    yaxis=dict(title="SOFA points", range=[0, 24]),
    hovermode="x unified",
)


@explorer(
    "organs.sofa",
    sliders=[ANTIBIOTIC, SEVERITY],
    layout=_sofa_layout,
    caption=(
        "SOFA as the sum of six organs. Stacked hourly sub-scores of the virtual patient under the "
        "standard bundle; the top edge is the total. The dotted line is 2 points, the rise that "
        "defines sepsis in a patient with infection (Sepsis-3)."
    ),
    alt=(
        "A stacked area chart over 72 hours of six SOFA sub-scores. Cardiovascular and brain points appear "
        "first, respiratory and renal points later; the total peaks in the first day and falls as the "
        "patient recovers, later and higher with a delayed antibiotic."
    ),
    precomputed=True,  # each move re-runs the 72-hour virtual patient (> 16 ms)
)
def sofa(antibiotic_hour: float, severity: float) -> list[dict]:
    res = scenarios.standard(severity, antibiotic_hour)
    traces = [course(res, f"sofa_{key}", label, c, width=1, shape="hv", stackgroup="sofa") for key, label, c in _PARTS]
    return traces + [threshold(2, "SOFA 2"), death_marker(res, "sofa")]


__all__ = ["heart", "lungs", "kidney", "liver_brain", "blood", "sofa"]
