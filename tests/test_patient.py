"""The virtual septic patient (sepsislab.patient): published clinical behaviour, physiology, bad plans.

Behaviours reproduced (directions and rough sizes, not a fit to data; the cohort-level calibration
against trials is in tests/test_calibration.py):
* Kumar et al. 2006 / Seymour et al. 2017: later antibiotics → worse course (higher peak lactate, SOFA).
* Untreated septic shock is fatal; the Surviving Sepsis Campaign bundle (Evans et al. 2021) rescues.
* Fluids and vasopressors buy time but do not cure an uncontrolled infection; multi-organ failure that
  persists for days is fatal (Knaus et al. 1985); a controlled infection lets the organs recover.
* Hydrocortisone shortens shock without damping inflammation (ADRENAL, Venkatesh et al. 2018).
* Norepinephrine raises MAP (and restores SVR); a shed glycocalyx makes fluid leak and raise MAP less
  (revised Starling principle, Levick & Michel 2010; Woodcock & Woodcock 2012).
* Parker et al. 1984: septic cardiomyopathy lowers the ejection fraction reversibly.
"""

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings, strategies as st

from sepsislab import clinical, patient
from sepsislab.patient import physiology, simulation
from sepsislab.patient.model import NON_NEGATIVE

BUNDLE = dict(fluid_boluses_ml=[(0, 1000), (1, 1100)], norepinephrine_ug_kg_min="titrate", source_control_hour=6)


def test_healthy_targets_are_a_steady_state():
    h = patient.haemodynamics()
    p = patient.Params()
    assert h["map"] == pytest.approx(p.map_0, abs=0.01)
    assert h["heart_rate"] == pytest.approx(p.hr_0, abs=0.01)
    assert h["cardiac_output"] == pytest.approx(p.co_0, abs=0.001)
    assert h["cvp"] == pytest.approx(p.rap_0, abs=0.01)


@pytest.mark.parametrize("severity", ["moderate", "severe"])
def test_early_antibiotics_give_lower_peak_lactate_and_sofa_than_late(severity):
    """Kumar 2006: each hour of delay after the onset of hypotension worsens the course."""
    early = patient.simulate(antibiotic_hour=1, severity=severity, **BUNDLE)
    late = patient.simulate(antibiotic_hour=12, severity=severity, **BUNDLE)
    assert early.lactate.max() < late.lactate.max()
    assert early.sofa.max() <= late.sofa.max() and early.sofa.sum() < late.sofa.sum()
    assert early.norepinephrine.max() < late.norepinephrine.max()


def test_severe_untreated_dies_and_treated_survives():
    none = patient.simulate(severity="severe")
    treated = patient.simulate(severity="severe", antibiotic_hour=1, **BUNDLE)
    assert not none.alive[-1] and treated.alive[-1]
    assert none.lactate.max() > treated.lactate.max()
    assert none.map.min() < 50 < 60 < treated.map[6:].min()


def test_alive_is_monotone_and_series_hold_after_death():
    res = patient.simulate(severity="severe")
    died = int(np.argmin(res.alive))
    assert res.alive[:died].all() and not res.alive[died:].any()
    assert np.all(res.map[died:] == res.map[died - 1])


def test_norepinephrine_raises_map_and_svr():
    base = dict(antibiotic_hour=1, fluid_boluses_ml=[2100], severity="moderate")
    without = patient.simulate(**base)
    with_ne = patient.simulate(norepinephrine_ug_kg_min=0.2, **base)
    assert np.all(with_ne.map[:24] > without.map[:24] + 5)
    assert np.all(with_ne.svr[:24] > without.svr[:24])


def test_vasopressin_spares_norepinephrine():
    plan = dict(antibiotic_hour=1, severity="severe", **BUNDLE)
    assert patient.simulate(vasopressin_u_min=0.03, **plan).norepinephrine.max() < \
        patient.simulate(**plan).norepinephrine.max()


def test_titration_holds_the_map_target():
    res = patient.simulate(antibiotic_hour=1, severity="severe", map_target_mmhg=65, **{
        k: v for k, v in BUNDLE.items()})
    assert np.all(res.map[4:] > 60)


@pytest.mark.parametrize("hours", [1, 2])
def test_fluids_raise_map_less_once_the_glycocalyx_is_shed(hours):
    """Revised Starling: a shed glycocalyx keeps less of a bolus in the vessels, so MAP gains less."""
    intact = patient.fluid_challenge(glycocalyx=1.0, hours=hours)
    shed = patient.fluid_challenge(glycocalyx=0.1, hours=hours)
    assert shed["retained"] < intact["retained"]
    assert 0 < shed["map_rise"] < intact["map_rise"]


def test_more_fluid_floods_the_lungs():
    small = patient.simulate(antibiotic_hour=1, fluid_boluses_ml=[1000], norepinephrine_ug_kg_min="titrate")
    large = patient.simulate(antibiotic_hour=1, fluid_boluses_ml=[(h, 1000) for h in range(7)],
                             norepinephrine_ug_kg_min="titrate")
    assert large.pf_ratio.min() < small.pf_ratio.min()
    assert large.fluid_balance_ml[24] > small.fluid_balance_ml[24] + 2000


def test_septic_cardiomyopathy_lowers_ejection_fraction_reversibly():
    """Parker et al. 1984: a low ejection fraction early that recovers as inflammation resolves."""
    res = patient.simulate(antibiotic_hour=1, severity="moderate", **BUNDLE)
    assert res.ejection_fraction.min() < 0.5
    assert res.ejection_fraction[-1] > res.ejection_fraction.min() + 0.05


@pytest.mark.parametrize("severity", [0.0, 0.25, 0.5, 0.75, 1.0])
def test_hour_zero_is_the_onset_of_hypotension_at_every_severity(severity):
    """Hour 0 = MAP first below 65 mmHg (Kumar 2006's time zero), defined for every severity 0–1."""
    res = patient.simulate(hours=1, severity=severity)
    assert res.map[0] < patient.HYPOTENSION_MMHG
    assert 0 < res.onset_hour < simulation.PRODROME_MAX_H


def test_onset_is_earlier_in_more_severe_sepsis():
    onsets = [patient.simulate(hours=1, severity=s).onset_hour for s in (0.0, 0.5, 1.0)]
    assert onsets[0] > onsets[1] > onsets[2]


def test_parameters_that_never_cause_hypotension_are_refused():
    with pytest.raises(ValueError, match="never becomes hypotensive"):
        patient.simulate(hours=1, severity=0.0, params=patient.Params(gain_low=0.05, growth_low=0.05))


def test_support_without_antibiotic_buys_time_but_the_patient_dies():
    """No antibiotic, full support: the pressure is held for a while, then shock becomes refractory and the
    patient dies within 14 days (most of the cohort within 2 days, tests/test_calibration.py)."""
    res = patient.simulate(hours=336, severity="severe", fluid_boluses_ml_kg=[(0, 15), (1, 15)],
                           norepinephrine_ug_kg_min="titrate", source_control_hour=6)
    assert res.death_hour is not None and res.death_hour < 336
    assert res.map[6] > 60                               # support holds the pressure at first
    dying = int(res.death_hour) - 1
    # refractory shock: norepinephrine at its maximum for hours, the MAP falling, lactate rising
    last_hours = slice(dying - 4, dying + 1)
    assert np.all(res.norepinephrine[last_hours] >= 0.99 * patient.Params().ne_max)
    assert np.all(np.diff(res.map[last_hours]) < 0) and res.map[dying] < 60
    assert np.all(np.diff(res.lactate[last_hours]) > 0) and res.lactate[dying] > 8


def test_controlled_infection_lets_the_organs_recover():
    res = patient.simulate(hours=336, severity="severe", antibiotic_hour=1, fluid_boluses_ml_kg=[(0, 15), (1, 15)],
                           norepinephrine_ug_kg_min="titrate", source_control_hour=6)
    assert res.alive[-1]
    assert res.sofa.max() >= 4 and res.sofa[-1] <= 2
    assert res.creatinine[-1] < 1.2 * patient.Params().creatinine_0 and res.norepinephrine[-1] == 0
    assert res.reserve[-1] > res.reserve.min()           # the reserve is regained


def test_hydrocortisone_shortens_shock_without_damping_inflammation():
    """ADRENAL: shock resolved sooner; the steroid acts on vascular tone, not on the inflammatory drive."""
    plan = dict(hours=240, severity="severe", antibiotic_hour=1, fluid_boluses_ml_kg=[(0, 15), (1, 15)],
                norepinephrine_ug_kg_min="titrate", source_control_hour=6)
    placebo, steroid = patient.simulate(**plan), patient.simulate(hydrocortisone_hour=1, **plan)
    assert (steroid.norepinephrine > 0).sum() < (placebo.norepinephrine > 0).sum()
    assert steroid.inflammation.max() == pytest.approx(placebo.inflammation.max(), rel=0.1)


def test_fluid_per_kg_equals_the_same_volume_in_ml_for_the_reference_weight():
    p = patient.Params()
    per_kg = patient.simulate(hours=6, fluid_boluses_ml_kg=[(0, 15), (1, 15)])
    in_ml = patient.simulate(hours=6, fluid_boluses_ml=[(0, 15 * p.weight_kg), (1, 15 * p.weight_kg)])
    assert np.allclose(per_kg.map, in_ml.map, rtol=1e-9)
    assert per_kg.fluid_in_ml[-1] == pytest.approx(30 * p.weight_kg)


def test_the_fixed_step_matches_a_five_times_finer_step(monkeypatch):
    """Heun at 15 min against Heun at 3 min over a day: read-outs agree within a few percent."""
    plan = dict(hours=24, severity="severe", antibiotic_hour=1, fluid_boluses_ml=[(0, 1000), (1, 1100)],
                norepinephrine_ug_kg_min="titrate", source_control_hour=6)
    coarse = patient.simulate(**plan)
    simulation.presentation_one.cache_clear()
    monkeypatch.setattr(simulation, "STEP_H", 0.05)
    fine = patient.simulate(**plan)
    simulation.presentation_one.cache_clear()
    for key, tol in (("map", 2.0), ("lactate", 0.3), ("inflammation", 0.05)):
        assert np.max(np.abs(coarse[key][2:] - fine[key][2:])) < tol, key


def test_fast_inner_formulas_agree_with_the_validated_ones():
    assert clinical.starling_flux_unchecked(2.0, 20, -1, 0.9, 25, 4) == pytest.approx(
        clinical.starling_filtration(2.0, 20, -1, 0.9, 25, 4))
    assert physiology.do2(5.0, 12.0, 0.95, 80) == pytest.approx(
        clinical.oxygen_delivery(5.0, clinical.arterial_oxygen_content(12.0, 0.95, 80)))
    assert physiology.severinghaus(100.0) == pytest.approx(patient.oxygen_saturation(100.0))


def test_sofa_matches_the_clinical_function():
    res = patient.simulate(antibiotic_hour=1, **BUNDLE)
    i = int(np.argmax(res.sofa))
    assert patient.sofa_parts(res, i).total == res.sofa[i]
    assert set(patient.ards_categories(res)) <= {"none", "mild", "moderate", "severe"}


plans = st.fixed_dictionaries({
    "antibiotic_hour": st.one_of(st.none(), st.floats(0, 48)),
    "source_control_hour": st.one_of(st.none(), st.floats(0, 48)),
    "fluid_boluses_ml": st.lists(st.tuples(st.floats(0, 24), st.floats(0, 2000)), max_size=3),
    "norepinephrine_ug_kg_min": st.one_of(st.floats(0, 1), st.just("titrate")),
    "severity": st.floats(0, 1),
})


@settings(max_examples=25, deadline=None)
@given(plan=plans)
def test_outputs_stay_physiological(plan):
    res = patient.simulate(hours=48, **plan)
    for key in ("map", "cvp", "cardiac_output", "heart_rate", "svr", "urine_ml_h", "do2", "vo2"):
        assert np.all(np.isfinite(res[key])) and np.all(res[key] >= 0), key
    # nothing clips the states: the ones that are amounts or fractions stay non-negative by themselves
    for key in NON_NEGATIVE:
        assert np.all(res[key] >= -1e-6), key
    assert np.all((res.sofa >= 0) & (res.sofa <= 24))
    assert np.all((res.gcs >= 3) & (res.gcs <= 15))
    assert np.all((res.sao2 > 0) & (res.sao2 <= 1))
    assert np.all(res.vo2 <= res.do2 + 1e-9)
    assert np.all((res.glycocalyx >= 0) & (res.glycocalyx <= 1 + 1e-9))
    assert len(res.time) == 49


@settings(max_examples=20, deadline=None)
@given(g1=st.floats(0.0, 1.0), g2=st.floats(0.0, 1.0))
def test_retention_increases_with_glycocalyx(g1, g2):
    lo, hi = sorted((g1, g2))
    assume(hi - lo >= 0.05)
    assert patient.fluid_challenge(glycocalyx=lo)["retained"] < patient.fluid_challenge(glycocalyx=hi)["retained"]


@pytest.mark.parametrize("kwargs, match", [
    (dict(antibiotic_hour=-1), r"antibiotic_hour=-1 h is negative"),
    (dict(antibiotic_hour=100), r"antibiotic_hour=100 h is outside the allowed range; allowed: 0 to 72 h"),
    (dict(norepinephrine_ug_kg_min=-0.1), r"norepinephrine_ug_kg_min=-0.1 µg/kg/min is negative"),
    (dict(norepinephrine_ug_kg_min=5), r"norepinephrine_ug_kg_min=5 .*0 to 3 µg/kg/min"),
    (dict(norepinephrine_ug_kg_min="lots"), r"'titrate'"),
    (dict(norepinephrine_ug_kg_min=[(5, 0.1), (1, 0.2)]), r"time order"),
    (dict(fluid_boluses_ml=[(1, -500)]), r"fluid_boluses_ml amount=-500 mL is negative"),
    (dict(fluid_boluses_ml=[(1, 2, 3)]), r"\(hour, amount\) pair"),
    (dict(fluid_boluses_ml=[(80, 500)]), r"fluid_boluses_ml hour=80 h"),
    (dict(dobutamine_ug_kg_min=50), r"dobutamine_ug_kg_min=50"),
    (dict(severity=1.5), r"severity=1.5 .*0 to 1"),
    (dict(severity="awful"), r"severity='awful'"),
    (dict(hours=0), r"hours=0 h"),
    (dict(hours=10.5), r"whole number"),
    (dict(fio2=21), r"fio2=21"),
    (dict(map_target_mmhg=120), r"map_target_mmhg=120"),
    (dict(transfusion_units=[(1, -1)]), r"transfusion_units amount=-1"),
    (dict(fluid_boluses_ml_kg=[(0, 100)]), r"fluid_boluses_ml_kg amount=100 mL/kg"),
    (dict(fluid_boluses_ml=1000), r"sequence of amounts"),
])
def test_bad_plans_give_clear_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        patient.simulate(**kwargs)


def test_bad_parameters_and_helpers():
    with pytest.raises(ValueError, match="growth_low"):
        patient.Params(growth_low=-1)
    with pytest.raises(ValueError, match="glycocalyx"):
        patient.fluid_challenge(glycocalyx=2)
    with pytest.raises(ValueError, match="map_mmhg"):
        patient.renal_function(map_mmhg=float("nan"))
    with pytest.raises(ValueError, match="excess_ml"):
        patient.pf_from_lung_water(-5)
    with pytest.raises(ValueError, match="params must be"):
        patient.simulate({"severity": 1})
    assert math.isclose(patient.pf_from_lung_water(0), patient.Params().pf_0)
