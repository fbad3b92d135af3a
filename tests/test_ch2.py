"""Chapter 2: the organ relations behind the organ pages, and the pages themselves.

Behaviours reproduced:
* Glomerular filtration is autoregulated: nearly unchanged from a MAP of 95 down to 65–70 mmHg, then
  falling steeply (textbook renal physiology, Klabunde 2021); creatinine lags a fall in GFR by a day or
  more (first-order kinetics, V_d/GFR) — why KDIGO 2012 stages AKI by urine output as well.
* Lung capillary pressure follows the left-atrial (wedge) pressure (Gaar et al. 1967); with an intact
  barrier lymph flow keeps the lungs dry until the wedge pressure is high (Guyton & Lindsey 1959); with
  the glycocalyx shed they flood at ordinary pressures and the P/F ratio crosses the Berlin thresholds
  (ARDS Definition Task Force 2012).
* Norepinephrine restoring the MAP of a preload-responsive septic patient raises cardiac output
  (venoconstriction recruits unstressed volume; Persichini et al. 2012).
* Septic cardiomyopathy in the chapter-1 circulation (Zenker et al. 2007): lower contractility →
  lower ejection fraction, output and pressure (Parker et al. 1984), worse with vasodilation.
"""

from pathlib import Path

import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from sepsislab import patient
from sepsislab.models import circulation

ROOT = Path(__file__).resolve().parents[1]
CH2 = ROOT / "book" / "ch2"
PAGES = ["heart", "lungs", "kidney", "liver-brain", "blood", "sofa", "treatment", "patient", "evidence"]


def test_filtration_is_autoregulated_then_falls():
    gfr = [patient.renal_function(map_mmhg=m)["gfr_fraction"] for m in (95, 85, 75, 65, 55, 45)]
    assert gfr[0] == pytest.approx(1.0, abs=0.02) and gfr[3] > 0.9  # MAP 95 → 65: filtration hardly changes
    assert all(a > b for a, b in zip(gfr, gfr[1:]))
    assert gfr[4] < 0.8 and gfr[-1] < 0.3


def test_venous_congestion_lowers_filtration_like_a_lower_map():
    congested = patient.renal_function(map_mmhg=70, cvp_mmhg=16)["gfr_fraction"]
    low_map = patient.renal_function(map_mmhg=58, cvp_mmhg=4)["gfr_fraction"]
    assert congested == pytest.approx(low_map, rel=1e-9)


def test_creatinine_lags_filtration():
    """Time constant V_d/GFR: at 20 % filtration creatinine is far from its new level after 24 h."""
    course = patient.creatinine_course(0.2, [0, 24, 72, 2000])
    steady = patient.Params().creatinine_0 / 0.2
    assert course[0] == pytest.approx(patient.Params().creatinine_0)
    cr0 = patient.Params().creatinine_0
    assert course[1] - cr0 < 0.6 * (steady - cr0) < course[2] - cr0 < steady - cr0
    assert course[-1] == pytest.approx(steady, rel=1e-3)


@settings(max_examples=40, deadline=None)
@given(frac=st.floats(0.01, 1.0), t1=st.floats(0, 200), t2=st.floats(0, 200))
def test_creatinine_moves_monotonically_towards_its_steady_state(frac, t1, t2):
    lo, hi = sorted((t1, t2))
    a, b = patient.creatinine_course(frac, [lo, hi])
    assert b >= a - 1e-12
    assert b <= patient.Params().creatinine_0 / frac + 1e-9


def test_shed_glycocalyx_floods_the_lungs_into_ards():
    intact = patient.lung_steady_state(glycocalyx=1.0, wedge_mmhg=12)
    shed = patient.lung_steady_state(glycocalyx=0.2, wedge_mmhg=12)
    assert intact["berlin"] == "none" and intact["pf_ratio"] > 400
    assert shed["berlin"] in ("moderate", "severe")


def test_intact_lungs_stay_dry_until_the_wedge_pressure_is_high():
    """Guyton & Lindsey 1959: oedema appears only when left-atrial pressure passes ≈ 20–25 mmHg."""
    pf = [patient.lung_steady_state(glycocalyx=1.0, wedge_mmhg=w)["pf_ratio"] for w in (8, 20, 35)]
    assert pf[0] == pytest.approx(patient.Params().pf_0, rel=0.01)
    assert pf[1] > 0.97 * pf[0] and pf[2] < 0.9 * pf[0]


def test_wedge_pressure_comes_from_the_left_ventricle_starling_curve():
    """Healthy wedge ≈ 8 mmHg at CVP 4 (Klabunde 2021); with volume both rise, the wedge staying above
    the CVP by less and less (the two ventricles' Starling curves), not CVP + a constant."""
    normal, full = patient.haemodynamics(), patient.haemodynamics(blood_volume_ml=6500)
    assert normal["wedge"] == pytest.approx(patient.Params().lap_0, abs=0.01)
    assert full["wedge"] > full["cvp"] > normal["cvp"] + 5
    assert full["wedge"] - full["cvp"] < normal["wedge"] - normal["cvp"]


@settings(max_examples=40, deadline=None)
@given(g=st.floats(0, 1), c1=st.floats(0, 40), c2=st.floats(0, 40))
def test_pf_falls_with_wedge_pressure(g, c1, c2):
    lo, hi = sorted((c1, c2))
    a = patient.lung_steady_state(glycocalyx=g, wedge_mmhg=lo)["pf_ratio"]
    b = patient.lung_steady_state(glycocalyx=g, wedge_mmhg=hi)["pf_ratio"]
    assert b <= a + 1e-9 and 0 < b <= patient.Params().pf_0


def test_contractility_loss_lowers_ef_output_and_pressure_in_the_circulation():
    c = np.array([1.0, 0.7, 0.4])
    st_ = circulation.steady_state(contractility=c)
    ef = st_["stroke_volume"] / st_["edv"]
    assert np.all(np.diff(ef) < 0) and np.all(np.diff(st_["cardiac_output"]) < 0)
    dilated = circulation.steady_state(contractility=c, tone=circulation.no_chain(0.35)["tone"])
    assert (dilated["map"][0] - dilated["map"][-1]) > (st_["map"][0] - st_["map"][-1])


def test_dobutamine_restores_output_of_a_depressed_heart():
    base = dict(no_activity=1.0, depressant=1.5, inflammation=1.0, norepinephrine_ug_kg_min=0.1)
    assert (
        patient.haemodynamics(dobutamine_ug_kg_min=10, **base)["cardiac_output"]
        > patient.haemodynamics(**base)["cardiac_output"] + 0.5
    )


def test_hydrocortisone_restores_pressure():
    base = dict(no_activity=1.5, depressant=1.0, inflammation=1.0, norepinephrine_ug_kg_min=0.3)
    assert patient.haemodynamics(hydrocortisone=True, **base)["map"] > patient.haemodynamics(**base)["map"]


def test_norepinephrine_to_the_target_raises_cardiac_output():
    """Persichini 2012: in preload-responsive septic shock norepinephrine raises preload and cardiac output."""
    septic = dict(no_activity=1.0, depressant=1.0, inflammation=1.0)
    without = patient.haemodynamics(**septic)
    with_ne = patient.haemodynamics(norepinephrine_ug_kg_min=0.1, **septic)
    assert without["map"] < 65 < with_ne["map"]
    assert with_ne["cardiac_output"] > without["cardiac_output"]


def test_chapter_two_is_in_the_table_of_contents():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    part = next(p for p in toc["parts"] if p.get("caption", "").startswith("Chapter 2"))
    assert part["numbered"] is True
    chapter = part["chapters"][0]
    assert chapter["file"] == "book/ch2/index"
    assert [s["file"] for s in chapter["sections"]] == [f"book/ch2/{p}" for p in PAGES]


@pytest.mark.parametrize("page", PAGES)
def test_pages_follow_the_conventions(page):
    text = (CH2 / f"{page}.md").read_text()
    assert text.startswith("---\njupytext:")
    assert "Learning objectives" in text and "## Self-check" in text and ":class: dropdown" in text
    assert "## What the model" in text and "leave" in text
    assert "{cite:p}" in text and "{term}" in text and '{eval}`f"{' in text
    assert "(fig-" in text and ".show()" in text and ":tags: [hide-input]" in text


def test_pages_cite_only_known_references():
    import re

    bib = (ROOT / "book" / "references.bib").read_text()
    keys = set(re.findall(r"@\w+\{([^,]+),", bib))
    for page in PAGES + ["index"]:
        for group in re.findall(r"\{cite:[pt]\}`([^`]+)`", (CH2 / f"{page}.md").read_text()):
            for key in group.split(","):
                assert key.strip() in keys, (page, key)


def test_patient_parameter_sources_are_references_or_phrases():
    import re
    from dataclasses import fields

    bib = (ROOT / "book" / "references.bib").read_text()
    keys = set(re.findall(r"@\w+\{([^,]+),", bib))
    for f in fields(patient.Params):
        src = f.metadata["source"]
        assert " " in src or src == "illustrative" or src in keys, (f.name, src)


@pytest.mark.parametrize("severity", [0.2, 0.4, 0.6])
def test_figure_texts_of_the_patient_views_hold(severity):
    """The alt texts of patient.antibiotics, patient.support and treatment.fluids state these directions."""
    from sepsislab import scenarios

    runs = [scenarios.standard(severity, h) for h in (1.0, 6.0, 12.0, 24.0)]
    peaks = [float(r.lactate.max()) for r in runs]
    assert peaks == sorted(peaks) and runs[0].alive[-1] and not runs[-1].alive[-1]
    none = scenarios.run(severity)
    full = scenarios.run(severity, 1.0, 2100.0, "titrate", 6.0)
    assert not none.alive[-1] and full.alive[-1] and full.map[6:].min() > 60
    flooded = scenarios.run(severity, 1.0, 7000.0, "titrate", 6.0)
    assert flooded.pf_ratio.min() < 200 < 300 < full.pf_ratio.min()


def test_a_patient_course_stops_at_death_and_the_cross_marks_that_hour():
    """Chapter-2 time courses draw a run only while the patient lives; the cross sits on the last point."""
    from sepsislab import scenarios
    from sepsislab.views import _ch2

    untreated, treated = scenarios.run(0.4), scenarios.run(0.4, 1.0, 2100.0, "titrate", 6.0)
    death_hour = int(np.argmin(untreated.alive))  # first hour no longer alive
    line = _ch2.course(untreated, "lactate", "lactate", 4, panel=2)
    assert len(line["x"]) == death_hour + 1 and line["yaxis"] == "y2"
    cross = _ch2.death_marker(untreated, "lactate", panel=2)
    assert list(cross["x"]) == [line["x"][-1]]
    assert float(cross["y"][0]) == pytest.approx(float(line["y"][-1]), rel=1e-12)
    assert len(_ch2.course(treated, "lactate", "lactate", 4)["x"]) == len(treated.time)
    assert len(_ch2.death_marker(treated, "lactate")["x"]) == 0
