"""Claims that chapter 2's pages make about their models, one test per claim.

Each test is named after its page and the claim: a "Try this" step (``try1``…), a prediction
prompt's revealed answer (``predict``), a self-check answer (``selfcheck``), a caption or text
alternative (``caption``, ``alt``), or a sentence of the prose (``text``). Numbers that the pages
print come from the models through ``glue``; these tests hold the *directions and comparisons* the
sentences state around them, so that a change of the model that makes a sentence false fails here.
Slider values are the ones the figures offer.
"""

import numpy as np
import pytest

from sepsislab import clinical, patient, scenarios
from sepsislab.models import circulation
from sepsislab.views import organs
from sepsislab.views._ch2 import SEVERITY

#: The severities the chapter-2 figures offer: the pages' "moderate" patient is the slider's default.
MILD, MODERATE, SEVERE = SEVERITY.low, SEVERITY.default, SEVERITY.high


def _slider_values(explorer, name):
    s = next(s for s in explorer.sliders if s.name == name)
    return np.geomspace(s.low, s.high, s.steps) if s.log else np.linspace(s.low, s.high, s.steps)


def _gfr(map_mmhg, cvp_mmhg=2.0):
    return patient.renal_function(map_mmhg=map_mmhg, cvp_mmhg=cvp_mmhg)["gfr_fraction"]


def _pf(glycocalyx, wedge_mmhg, **params):
    p = patient.Params(**params) if params else None
    return patient.lung_steady_state(glycocalyx=glycocalyx, wedge_mmhg=wedge_mmhg, params=p)["pf_ratio"]


# --- heart.md -----------------------------------------------------------------------------------


def _heart(cytokine, contractility):
    return circulation.steady_state(
        tone=circulation.no_chain(cytokine)["tone"], contractility=np.asarray(contractility, float)
    )


def test_heart_text_stunned_heart_lowers_output_and_pressure_in_the_same_circulation():
    stunned = patient.haemodynamics(no_activity=1.0, depressant=1.0, inflammation=1.0, blood_volume_ml=5500)
    dilated = patient.haemodynamics(no_activity=1.0, depressant=0.0, inflammation=1.0, blood_volume_ml=5500)
    assert stunned["ejection_fraction"] < 0.5  # "the ejection fraction falls"
    assert stunned["cardiac_output"] < dilated["cardiac_output"]
    assert stunned["map"] < dilated["map"]
    assert stunned["cardiac_output"] >= 4.0  # still "normal" output (≥ 4 L/min)


def test_heart_try1_without_vasodilation_the_ejection_fraction_falls_first():
    st = _heart(0.0, [1.0, 0.5])
    ef = st["stroke_volume"] / st["edv"]
    rel_ef = 1 - ef[1] / ef[0]
    rel_map = 1 - st["map"][1] / st["map"][0]
    assert rel_ef > 0.25 and rel_map < 0.1 and rel_ef > 3 * rel_map


def test_heart_try2_and_selfcheck3_vasodilation_leaves_less_margin_not_a_much_larger_fall():
    calm, dil = _heart(0.0, [1.0, 0.5]), _heart(0.4, [1.0, 0.5])
    drop_calm, drop_dil = calm["map"][0] - calm["map"][1], dil["map"][0] - dil["map"][1]
    assert drop_dil == pytest.approx(drop_calm, rel=0.5)  # "a similar number of mmHg"
    assert dil["map"][0] < calm["map"][0]  # starts lower …
    fine = np.linspace(0.2, 1.0, 161)
    crossing = fine[_heart(0.4, fine)["map"] < 65].max()
    assert 1 / 3 < crossing < 0.5  # below 65 with > ⅓ of contractility left
    assert _heart(0.0, [crossing])["map"][0] > 70  # where the calm circulation still holds
    assert dil["heart_rate"][0] > calm["heart_rate"][0] + 10  # reflex already spent on the low SVR
    co_drop_calm = calm["cardiac_output"][0] - calm["cardiac_output"][1]
    co_drop_dil = dil["cardiac_output"][0] - dil["cardiac_output"][1]
    assert co_drop_dil > co_drop_calm  # more litres lost …
    assert drop_dil / co_drop_dil < drop_calm / co_drop_calm  # … each costing fewer mmHg


def test_heart_predict_the_figure_offers_the_moves_of_the_prompt():
    assert 0.4 in np.round(_slider_values(organs.heart, "cytokine"), 6)
    contractility = np.round(_slider_values(organs.heart, "contractility"), 6)
    assert 1.0 in contractility and 0.5 in contractility


# --- lungs.md -----------------------------------------------------------------------------------


def test_lungs_text_example_is_ards_at_a_modest_wedge_pressure():
    example = patient.lung_steady_state(glycocalyx=0.3, wedge_mmhg=12)
    assert example["excess_water_ml"] > 0 and example["berlin"] in ("mild", "moderate", "severe")


def test_lungs_try1_predict_intact_barrier_stays_dry_at_a_wedge_pressure_of_20():
    healthy = patient.Params().pf_0
    assert _pf(1.0, 20) == pytest.approx(healthy, rel=0.03)
    assert _pf(1.0, 20) > 300


def test_lungs_try2_predict_half_shed_barrier_reaches_ards_at_near_normal_pressures():
    assert _pf(0.5, patient.Params().lap_0) > 300  # not at a normal wedge pressure …
    assert _pf(0.5, 12) <= 300 and _pf(0.5, 16) <= 200  # … but a few mmHg above it
    assert _pf(0.5, 16) < _pf(0.5, 12)


def test_lungs_try3_slower_clearance_accumulates_more_water():
    for wedge in (12, 16):
        assert _pf(0.5, wedge, lung_clearance_h=24.0) < _pf(0.5, wedge, lung_clearance_h=6.0)


def test_lungs_selfcheck1_pf_and_berlin_grade():
    pf = clinical.pf_ratio(pao2_mmhg=64, fio2=0.4)
    assert pf == pytest.approx(160, abs=0.5)
    assert clinical.ards_severity(pf, peep_cmh2o=10) == "moderate"


def test_lungs_selfcheck2_shed_barrier_floods_at_a_normal_left_atrial_pressure():
    normal = patient.Params().lap_0
    assert _pf(0.0, normal) < 300 < _pf(1.0, normal)


# --- kidney.md ----------------------------------------------------------------------------------


def test_kidney_text_at_map_55_oliguria_within_hours_and_creatinine_lags():
    p = patient.Params()
    low = patient.renal_function(map_mmhg=55, cvp_mmhg=8)
    assert low["urine_ml_h"] < 0.5 * p.weight_kg  # oliguria: < 0.5 mL/kg/h
    cr6, cr24 = (float(patient.creatinine_course(low["gfr_fraction"], t)) for t in (6.0, 24.0))
    assert p.creatinine_0 < cr6 < cr24 < low["creatinine_steady"]  # "follows slowly … on its way to"
    assert cr6 - p.creatinine_0 < 0.5 * (low["creatinine_steady"] - p.creatinine_0)
    tau = p.creatinine_volume / (p.gfr_0 * low["gfr_fraction"])
    assert tau > 6 and p.creatinine_volume / (p.gfr_0 * 0.25) > tau  # "longer the lower it falls"


def test_kidney_try1_autoregulation_holds_from_95_to_65_then_gives_way():
    assert _gfr(95) - _gfr(65) < 0.1  # "hardly changes"
    assert _gfr(65) > 0.85
    assert _gfr(55) < _gfr(65) - 0.1 and _gfr(45) < 0.5 * _gfr(55)


def test_kidney_predict_ten_mmhg_below_the_target_costs_more_than_proportionally():
    assert 1 - _gfr(55) / _gfr(65) > 10 / 65  # "much more" than a sixth


def test_kidney_try2_congestion_equals_the_same_fall_in_map():
    cvps = _slider_values(organs.kidney, "cvp_mmhg")
    low, high = cvps.min(), cvps.max()
    assert (low, high) == pytest.approx((2.0, 18.0))
    assert _gfr(65, high) == pytest.approx(_gfr(65 - (high - low), low), rel=1e-9)
    assert _gfr(65, high) < 0.6 * _gfr(65, low)


def test_kidney_try3_creatinine_at_24h_stays_below_sofa_2_at_the_target_pressure():
    """Creatinine alone reveals a day of hypotension only when filtration has collapsed."""
    assert float(patient.creatinine_course(_gfr(65), 24.0)) < 1.2
    assert float(patient.creatinine_course(_gfr(45), 24.0)) > 2.0


def test_kidney_selfcheck1_halved_filtration_leaves_creatinine_near_normal_at_six_hours():
    p = patient.Params()
    cr6 = float(patient.creatinine_course(0.5, 6.0))
    assert cr6 < 1.3  # "still near normal" (SOFA renal 1 ≥ 1.2)
    assert cr6 - p.creatinine_0 < 0.5 * (p.creatinine_0 / 0.5 - p.creatinine_0)
    per_hour = float(patient.creatinine_course(0.001, 1.0)) - p.creatinine_0
    assert 0.05 < per_hour < 0.3  # mg/dL an hour even without filtration


def test_kidney_selfcheck2_lower_cvp_filters_more_at_the_same_map():
    assert _gfr(65, 4) > _gfr(65, 16)


def test_kidney_selfcheck3_injury_keeps_filtration_low_after_the_pressure_is_restored():
    p = patient.Params()
    injured = patient.renal_function(map_mmhg=85, cvp_mmhg=4, injury=0.5)["gfr_fraction"]
    assert injured < 0.6
    assert p.kidney_recovery_h >= 24  # recovering over days


# --- sofa.md ------------------------------------------------------------------------------------


def test_sofa_selfcheck1_example_scores_13():
    score = clinical.sofa_score(
        pao2_fio2=180,
        on_respiratory_support=True,
        platelets_10e9_l=95,
        bilirubin_mg_dl=1.4,
        map_mmhg=68,
        norepinephrine=0.15,
        gcs=13,
        creatinine_mg_dl=2.1,
    )
    assert score.total == 13
    assert (score.respiration, score.coagulation, score.liver, score.cardiovascular, score.cns, score.renal) == (
        3,
        2,
        1,
        4,
        1,
        2,
    )


@pytest.mark.parametrize("dose, points", [(0.05, 3), (0.1, 3), (0.11, 4)])
def test_sofa_table_epinephrine_scores_like_norepinephrine(dose, points):
    base = dict(pao2_fio2=450, platelets_10e9_l=200, bilirubin_mg_dl=0.5, map_mmhg=75, gcs=15, creatinine_mg_dl=0.8)
    assert clinical.sofa_score(epinephrine=dose, **base).cardiovascular == points
    assert clinical.sofa_score(norepinephrine=dose, **base).cardiovascular == points


def test_sofa_selfcheck2_vasopressor_without_lactate_is_not_septic_shock():
    assert not clinical.is_septic_shock(needs_vasopressor_for_map_65=True, lactate_mmol_l=1.6)
    base = dict(pao2_fio2=450, platelets_10e9_l=200, bilirubin_mg_dl=0.5, map_mmhg=65, gcs=15, creatinine_mg_dl=0.8)
    assert clinical.sofa_score(norepinephrine=0.05, **base).cardiovascular == 3


# --- treatment.md -------------------------------------------------------------------------------


def _hours_on(res, key="norepinephrine"):
    return int((np.asarray(res[key]) > 0).sum())


def test_treatment_text_source_control_shortens_norepinephrine_and_lowers_sofa():
    plan = dict(
        antibiotic_hour=1,
        fluid_boluses_ml=[(0, 1000), (1, 1100)],
        norepinephrine_ug_kg_min="titrate",
        severity="severe",
    )
    with_sc, without_sc = patient.simulate(source_control_hour=6, **plan), patient.simulate(**plan)
    assert _hours_on(with_sc) <= _hours_on(without_sc)
    assert with_sc.sofa[48] <= without_sc.sofa[48]
    assert (_hours_on(with_sc), with_sc.sofa[48]) != (_hours_on(without_sc), without_sc.sofa[48])


def test_treatment_predict_antibiotic_later_support_cannot_make_up_for_it():
    early, late = scenarios.standard(MODERATE, 1.0), scenarios.standard(MODERATE, 12.0)
    assert early.alive[-1] and not late.alive[-1]  # survives the 72 hours / dies
    assert late.norepinephrine.max() > 2 * early.norepinephrine.max()
    assert late.lactate.max() > early.lactate.max()


def test_treatment_text_shed_glycocalyx_keeps_less_of_a_bolus_and_selfcheck1():
    intact, shed = patient.fluid_challenge(glycocalyx=1.0), patient.fluid_challenge(glycocalyx=0.1)
    assert shed["retained"] < intact["retained"]
    assert shed["map_rise"] < intact["map_rise"]
    assert 0 < shed["retained"] < 1 and intact["map_rise"] > 0


def test_treatment_predict_more_fluid_same_map_less_norepinephrine_wetter_lungs():
    less, more = (scenarios.run(MODERATE, 1.0, v, "titrate", 6.0) for v in (2100.0, 7000.0))
    assert more.map[24] == pytest.approx(less.map[24], abs=3.0)  # "the same": titrated to 65
    assert _hours_on(more) < _hours_on(less)
    assert more.fluid_balance_ml[24] > less.fluid_balance_ml[24] + 2000
    assert more.pf_ratio.min() < less.pf_ratio.min() - 50


def _dose_for_map_65(no_activity, **drugs):
    for dose in np.linspace(0.0, 1.0, 201):
        state = patient.haemodynamics(
            no_activity=no_activity,
            depressant=min(no_activity, 1.0),
            inflammation=min(no_activity, 1.0),
            norepinephrine_ug_kg_min=dose,
            **drugs,
        )
        if state["map"] >= 65:
            return float(dose)
    return None


def test_treatment_predict_pressors_more_no_needs_far_more_norepinephrine_and_vasopressin_spares_it():
    ne_1, ne_15 = _dose_for_map_65(1.0), _dose_for_map_65(1.5)
    assert ne_1 is not None and ne_1 < 0.3  # "a small dose"
    assert ne_15 is None or ne_15 > 1.5 * max(ne_1, 0.02)  # not "half as much again"
    with_vp = _dose_for_map_65(1.5, vasopressin_u_min=0.03)
    assert with_vp is not None and (ne_15 is None or with_vp < ne_15)


def test_treatment_caption_pressors_curve_flattens_with_no_activity():
    ne = np.linspace(0.0, 1.0, 11)

    def gain(no):
        maps = [
            patient.haemodynamics(
                no_activity=no, depressant=min(no, 1.0), inflammation=min(no, 1.0), norepinephrine_ug_kg_min=d
            )["map"]
            for d in ne
        ]
        return maps[-1] - maps[0], maps

    gain_1, maps_1 = gain(1.0)
    gain_2, maps_2 = gain(2.5)
    assert gain_2 < gain_1 and max(maps_2) < max(maps_1)


def test_treatment_predict_dobutamine_raises_output_more_than_pressure():
    shock = dict(no_activity=1.0, depressant=1.0, inflammation=1.0, norepinephrine_ug_kg_min=0.1)
    before, after = patient.haemodynamics(**shock), patient.haemodynamics(dobutamine_ug_kg_min=10.0, **shock)
    co_gain = after["cardiac_output"] / before["cardiac_output"] - 1
    map_gain = after["map"] / before["map"] - 1
    assert co_gain > 0.05 and co_gain > 1.5 * map_gain


def _delivery(hb, fio2, pf=200.0, co=6.0):
    pao2 = min(pf * fio2, 700.0)
    sao2 = 1.0 / (23400.0 / (pao2**3 + 150.0 * pao2) + 1.0)
    return clinical.oxygen_delivery(co, clinical.arterial_oxygen_content(hb, sao2, pao2))


def test_treatment_predict_oxygen_blood_adds_more_than_fio2_at_pf_200():
    base = _delivery(7.0, 0.5)
    assert _delivery(8.0, 0.5) - base > _delivery(7.0, 1.0) - base > 0


def test_treatment_predict_oxygen_the_answer_turns_with_poor_lungs_and_low_fio2():
    base = _delivery(7.0, 0.21, pf=100.0)
    assert _delivery(7.0, 1.0, pf=100.0) - base > _delivery(8.0, 0.21, pf=100.0) - base


def test_treatment_text_the_view_computes_delivery_as_the_page_does():
    from sepsislab.views import treatment

    traces = treatment.oxygen_figure.traces(fio2=0.5, pf_ratio=200.0)
    hb = np.asarray(traces[0]["x"])
    i = int(np.argmin(np.abs(hb - 7.0)))
    assert traces[0]["y"][i] == pytest.approx(_delivery(float(hb[i]), 0.5), rel=1e-9)


def test_treatment_selfcheck2_norepinephrine_raises_output_only_when_preload_responsive():
    def co(volume, dose):
        return patient.haemodynamics(
            no_activity=1.0, depressant=1.0, inflammation=1.0, blood_volume_ml=volume, norepinephrine_ug_kg_min=dose
        )["cardiac_output"]

    assert co(4500.0, 0.3) > co(4500.0, 0.0)  # under-filled: preload recruited
    assert co(5500.0, 0.3) < co(5500.0, 0.0)  # filled: afterload and reflex slowing


def test_treatment_selfcheck2_in_the_under_filled_heart_the_gain_is_preload_not_rate():
    def state(dose):
        return patient.haemodynamics(
            no_activity=1.0, depressant=1.0, inflammation=1.0, blood_volume_ml=4500.0, norepinephrine_ug_kg_min=dose
        )

    assert state(0.3)["stroke_volume"] > state(0.0)["stroke_volume"]  # more filling per beat …
    assert state(0.3)["cvp"] >= state(0.0)["cvp"]  # … from venous return, not a faster heart
    assert state(0.3)["heart_rate"] <= state(0.0)["heart_rate"]


def test_treatment_selfcheck3_transfusion_against_saturation_arithmetic():
    unit = 1.34 * 1.0 * 0.97 * 6 * 10
    sat = 1.34 * 7.5 * 0.09 * 6 * 10
    assert unit == pytest.approx(78, abs=1) and sat == pytest.approx(54, abs=1)
    gain_unit = clinical.oxygen_delivery(6, clinical.arterial_oxygen_content(8.5, 0.97, 90)) - clinical.oxygen_delivery(
        6, clinical.arterial_oxygen_content(7.5, 0.97, 90)
    )
    assert gain_unit == pytest.approx(unit, rel=1e-6)


def test_treatment_selfcheck4_filtration_is_autoregulated_at_the_target_of_65():
    assert _gfr(65, 4.0) > 0.85 and _gfr(85, 4.0) - _gfr(65, 4.0) < 0.15


def test_treatment_text_hydrocortisone_lowers_the_norepinephrine_need():
    base = dict(
        antibiotic_hour=1,
        fluid_boluses_ml=[(0, 1000), (1, 1100)],
        source_control_hour=6,
        norepinephrine_ug_kg_min="titrate",
        severity="severe",
    )
    none, steroid = patient.simulate(**base), patient.simulate(hydrocortisone_hour=1, **base)
    assert steroid.norepinephrine.max() <= none.norepinephrine.max()
    assert _hours_on(steroid) <= _hours_on(none)
    # "its effect builds up over hours" (genomic action): not at full strength one hour after the dose
    assert steroid.steroid_effect[2] < 0.9 * steroid.steroid_effect.max()


# --- evidence.md (the shipped calibration, checked against the model in tests/test_calibration.py) --


@pytest.fixture(scope="module")
def runs():
    from sepsislab.views import evidence

    return evidence.calibration()


def test_evidence_kumar_summary_is_the_published_one():
    from sepsislab.views import evidence

    assert evidence.kumar_survival(0.5) == pytest.approx(0.799, abs=1e-9)
    assert evidence.kumar_survival(1.5) - evidence.kumar_survival(0.5) == pytest.approx(-0.076, abs=1e-9)
    with pytest.raises(ValueError, match="delay_h"):
        evidence.kumar_survival(7.0)


def test_evidence_predict_delay_first_hour_close_to_kumar_but_slope_shallower(runs):
    from sepsislab.views import evidence

    d = runs["delay"]
    assert abs(d["survival"][0] - 0.799) < 0.05  # "close to Kumar's 79.9 %"
    slope = evidence.delay_slope()
    assert slope < 0  # survival falls with delay …
    assert 0.3 * 0.076 < -slope < 0.7 * 0.076  # … "about half" of Kumar's 7.6 points
    assert d["survival"][-1] > evidence.kumar_survival(d["delay_h"][-1])
    assert np.all(np.diff(d["survival"]) < 0)  # alt: "falls with each hour of delay"


def test_evidence_try2_band_spans_a_few_points_with_1000_patients(runs):
    width = 100 * (runs["delay"]["ci_high"] - runs["delay"]["ci_low"])
    assert np.all((width > 2) & (width < 8))


def test_evidence_predict_no_antibiotic_almost_all_die_within_days(runs):
    none = runs["no_antibiotic"]
    assert none["survival"] < 0.05 and none["ci"][1] < 0.1  # "almost every patient should die"
    assert np.median(none["death_hours"]) > 12  # support buys time: not in the first hours
    assert np.max(none["death_hours"]) < 14 * 24


def test_evidence_caption_no_antibiotic_line_lies_below_every_antibiotic_arm(runs):
    assert runs["no_antibiotic"]["survival"] < runs["delay"]["survival"].min() - 0.3


def test_evidence_try1_course_delay_adds_deaths_in_the_same_first_days(runs):
    deaths = dict(zip(runs["delay"]["delay_h"], runs["delay"]["death_hours"]))
    early, late = deaths[0.5], deaths[5.5]
    assert late.size > early.size  # delay adds deaths …
    assert abs(np.median(late) - np.median(early)) < 24  # … over the same first days
    assert np.max(late) < 7 * 24  # alt: levels off after the first days


def test_evidence_predict_hydrocortisone_about_a_day_sooner_off_vasopressors(runs):
    saved_days = runs["steroid"][12.0]["vasopressor_saved_h"] / 24
    assert 0.5 < saved_days < 1.5  # "close to ADRENAL's one day"


def test_evidence_predict_hydrocortisone_survival_like_adrenal_not_aprocchss(runs):
    gain = 100 * runs["steroid"][12.0]["difference"]
    adrenal_gain, aprocchss_gain = 28.8 - 27.9, 49.1 - 43.0
    assert abs(gain - adrenal_gain) < abs(gain - aprocchss_gain)


def test_evidence_predict_virtual_cohort_is_less_sick_than_aprocchss(runs):
    placebo_mortality = 1 - runs["placebo"]
    assert abs(placebo_mortality - 0.288) < abs(placebo_mortality - 0.491)


def test_evidence_hydrocortisone_saves_vasopressor_time_at_every_start_hour(runs):
    assert all(r["vasopressor_saved_h"] > 0 for r in runs["steroid"].values())


def test_evidence_targets_are_the_published_numbers():
    t = scenarios.TARGETS
    assert t["kumar2006"]["survival_first_hour"] == pytest.approx(0.799)
    assert t["kumar2006"]["slope_per_hour"] == pytest.approx(-0.076)
    assert t["venkatesh2018"]["mortality_90d"] == pytest.approx((0.279, 0.288))
    assert t["annane2018"]["mortality_90d"] == pytest.approx((0.430, 0.491))
    assert t["venkatesh2018"]["shock_resolution_days"] == pytest.approx((3.0, 4.0))


# --- patient.md ---------------------------------------------------------------------------------


def test_patient_text_prodrome_precedes_hypotension_and_untreated_patient_dies():
    res = patient.simulate(
        antibiotic_hour=1,
        source_control_hour=6,
        fluid_boluses_ml=[(0, 1000), (1, 1100)],
        norepinephrine_ug_kg_min="titrate",
        severity="moderate",
    )
    assert res.onset_hour > 0
    untreated = scenarios.run(MODERATE)
    assert not untreated.alive[-1]


def test_patient_predict_monitor_antibiotic_alone_does_not_restore_the_pressure():
    plan, bare = scenarios.run(MODERATE, 1.0, 2100.0, 0.1, 6.0), scenarios.run(MODERATE, 1.0, 0.0, 0.0, 6.0)
    first_day = slice(0, 25)
    assert np.max(bare.map[6:25][np.asarray(bare.alive[6:25], bool)], initial=0) < 65  # not back above 65
    assert bare.map[first_day].min() < plan.map[first_day].min()
    assert bare.lactate[first_day].max() > plan.lactate[first_day].max()


def test_patient_try1_antibiotic_at_24h_pressure_sags_heart_races_lactate_and_sofa_climb():
    early, late = scenarios.run(MODERATE, 1.0, 2100.0, 0.1, 6.0), scenarios.run(MODERATE, 24.0, 2100.0, 0.1, 6.0)
    assert late.map.min() < early.map.min()
    assert late.heart_rate.max() > early.heart_rate.max()
    assert late.lactate.max() > early.lactate.max()
    assert late.sofa.max() > early.sofa.max()


def test_patient_try2_norepinephrine_restores_pressure_better_than_fluids_alone():
    ne_only, fluid_only = scenarios.run(MODERATE, 1.0, 0.0, 0.3, 6.0), scenarios.run(MODERATE, 1.0, 2100.0, 0.0, 6.0)
    bare = scenarios.run(MODERATE, 1.0, 0.0, 0.0, 6.0)
    assert ne_only.map[:12].mean() > bare.map[:12].mean()
    assert fluid_only.map[:12].mean() > bare.map[:12].mean()


def test_patient_try3_early_antibiotic_still_matters_in_the_most_severe_case():
    early, late = scenarios.standard(SEVERE, 0.0), scenarios.standard(SEVERE, 24.0)
    assert early.lactate.max() < late.lactate.max() or int(np.argmin(early.alive)) > int(np.argmin(late.alive))


def test_patient_predict_antibiotics_first_hours_matter():
    runs = [scenarios.standard(MODERATE, h) for h in (1.0, 6.0, 12.0)]
    lactate = [r.lactate.max() for r in runs]
    ne = [r.norepinephrine.max() for r in runs]
    assert lactate[0] < lactate[1] < lactate[2]
    assert ne[0] < ne[1] < ne[2]
    assert runs[0].alive[-1]


def test_patient_predict_support_full_plan_keeps_the_map_highest_and_fluid_leaves_the_vessels():
    cases = [
        scenarios.run(MODERATE),
        scenarios.run(MODERATE, 1.0, 0.0, 0.0, 6.0),
        scenarios.run(MODERATE, 1.0, 2100.0, 0.0, 6.0),
        scenarios.run(MODERATE, 1.0, 2100.0, "titrate", 6.0),
    ]
    first_day = [c.map[:25].mean() for c in cases]
    assert first_day[3] == max(first_day)
    full = cases[3]
    assert full.fluid_balance_ml[24] > 0
    assert full.blood_volume[24] - full.blood_volume[0] < 0.5 * full.fluid_balance_ml[24]  # most outside


def test_patient_selfcheck2_lactate_clearance_time_constant_about_an_hour():
    assert 1 / patient.Params().lactate_turnover == pytest.approx(1.0, abs=0.5)


# --- blood.md, liver-brain.md, sofa.md ----------------------------------------------------------


def test_blood_predict_and_selfcheck1_count_still_low_at_72h_after_inflammation_subsides():
    early = scenarios.standard(MODERATE, 1.0)
    assert early.inflammation[24] < 0.5 * early.inflammation.max()  # "largely subsided"
    assert early.platelets[72] < 0.9 * early.platelets[0]  # not back
    assert patient.Params().platelet_life_h > 24 * 5  # lifetime of about eight days


def test_blood_text_and_try1_later_antibiotic_lower_nadir():
    assert scenarios.standard(MODERATE, 12.0).platelets.min() < scenarios.standard(MODERATE, 1.0).platelets.min()
    assert scenarios.standard(MODERATE, 24.0).platelets.min() < scenarios.standard(MODERATE, 1.0).platelets.min()


def test_blood_try2_more_severe_lower_count():
    assert scenarios.standard(SEVERE, 1.0).platelets.min() < scenarios.standard(MILD, 1.0).platelets.min()


def test_blood_selfcheck2_80_scores_two_points():
    base = dict(pao2_fio2=450, bilirubin_mg_dl=0.5, map_mmhg=75, gcs=15, creatinine_mg_dl=0.8)
    assert clinical.sofa_score(platelets_10e9_l=80, **base).coagulation == 2


def test_blood_selfcheck3_fewer_platelets_less_extraction():
    res = scenarios.standard(MODERATE, 12.0)
    low = int(np.argmin(res.platelets))
    assert patient.Params().plug_max > 0
    assert res.max_extraction[low] < res.max_extraction[0]


def test_liver_brain_predict_and_text_brain_first_bilirubin_later():
    early = scenarios.standard(MODERATE, 1.0)
    assert int(np.argmin(early.gcs)) < int(np.argmax(early.bilirubin))
    assert patient.Params().bilirubin_turnover_h >= 12  # "a time constant of a day"


def test_liver_brain_text_gcs_recovers_while_bilirubin_lags():
    early = scenarios.standard(MODERATE, 1.0)
    n = int(np.argmin(early.alive)) if not early.alive[-1] else len(early.alive)
    gcs, bili = early.gcs[:n], early.bilirubin[:n]
    assert gcs[-1] > gcs.min()  # waking up …
    assert int(np.argmax(bili)) > int(np.argmin(gcs))  # … while bilirubin peaks later
    assert int(np.argmax(bili)) >= 48  # "still rising at 72 hours"


def test_sofa_predict_cardiovascular_first_coagulation_and_liver_last():
    res = scenarios.standard(MODERATE, 1.0)

    def first(key):
        on = np.asarray(res[f"sofa_{key}"]) > 0
        return int(np.argmax(on)) if on.any() else len(on)

    assert first("cardiovascular") <= min(first(k) for k in ("respiration", "renal", "coagulation", "liver"))
    assert first("cns") <= min(first("coagulation"), first("liver"))
    assert max(first("coagulation"), first("liver")) >= max(first("respiration"), first("renal"))


def test_sofa_text_later_antibiotic_keeps_the_score_high_and_hour_24_ends_in_death():
    early, late = scenarios.standard(MODERATE, 1.0), scenarios.standard(MODERATE, 12.0)
    assert np.all(late.sofa[:30] >= early.sofa[:30] - 1) and late.sofa[30] > early.sofa[30] - 1
    assert not scenarios.standard(MODERATE, 24.0).alive[-1]


# --- captions and text alternatives of the chapter-2 figures --------------------------------------


def test_heart_caption_same_loss_costs_more_pressure_with_low_resistance():
    calm, dil = _heart(0.0, [1.0, 0.5]), _heart(0.4, [1.0, 0.5])
    assert dil["map"][0] - dil["map"][1] > calm["map"][0] - calm["map"][1]


def test_heart_alt_steeper_below_half_and_ejection_fraction_falls():
    st = _heart(0.3, [1.0, 0.5, 0.2])
    for key in ("map", "cardiac_output"):
        upper = (st[key][0] - st[key][1]) / 0.5
        lower = (st[key][1] - st[key][2]) / 0.3
        assert lower > upper > 0
    ef = st["stroke_volume"] / st["edv"]
    assert ef[0] > ef[1] > ef[2]


def test_liver_brain_alt_gcs_dips_early_and_recovers_and_worse_when_more_severe():
    mild, severe = scenarios.standard(MILD, 1.0), scenarios.standard(SEVERE, 1.0)
    assert severe.gcs.min() <= mild.gcs.min()
    assert int(np.argmin(mild.gcs)) < 24 and mild.gcs[-1] > mild.gcs.min()


def test_blood_alt_count_falls_and_is_lower_when_later_or_more_severe():
    early, late = scenarios.standard(MODERATE, 1.0), scenarios.standard(MODERATE, 24.0)
    assert early.platelets.min() < early.platelets[0]
    assert late.platelets.min() < early.platelets.min()
    assert scenarios.standard(SEVERE, 1.0).platelets.min() < scenarios.standard(MILD, 1.0).platelets.min()
    assert early.inflammation[-1] < 0.5 * early.inflammation.max()  # peaking early and decaying


def test_sofa_alt_total_peaks_in_the_first_day_for_the_early_antibiotic():
    early = scenarios.standard(MODERATE, 1.0)
    assert int(np.argmax(early.sofa)) <= 36 and early.sofa[-1] < early.sofa.max()


def test_treatment_alt_later_antibiotic_load_high_longer_and_more_norepinephrine():
    early, late = scenarios.standard(MODERATE, 1.0), scenarios.standard(MODERATE, 12.0)
    assert late.pathogen[6] > early.pathogen[6]
    assert late.norepinephrine.max() > early.norepinephrine.max()


def test_treatment_alt_fluids_several_litres_stay_and_pf_crosses_ards_thresholds():
    most = scenarios.run(MODERATE, 1.0, 7000.0, "titrate", 6.0)
    assert most.fluid_balance_ml[24] > 3000 and most.pf_ratio.min() < 300


def test_treatment_alt_pressors_vasopressin_and_hydrocortisone_raise_the_curve():
    def mapv(no, **kw):
        return patient.haemodynamics(
            no_activity=no, depressant=min(no, 1.0), inflammation=min(no, 1.0), norepinephrine_ug_kg_min=0.2, **kw
        )["map"]

    assert mapv(1.0, vasopressin_u_min=0.03) > mapv(1.0)
    assert mapv(1.0, hydrocortisone=True) > mapv(1.0)
    assert mapv(2.5) < mapv(1.0)


def test_treatment_alt_inotrope_steeper_in_the_more_depressed_heart_map_rises_little():
    def co(dep, dob):
        return patient.haemodynamics(
            no_activity=1.0, depressant=dep, inflammation=1.0, norepinephrine_ug_kg_min=0.1, dobutamine_ug_kg_min=dob
        )

    gain = {dep: co(dep, 10.0)["cardiac_output"] - co(dep, 0.0)["cardiac_output"] for dep in (0.0, 2.0)}
    assert gain[2.0] > gain[0.0] > 0
    assert co(1.0, 20.0)["map"] / co(1.0, 0.0)["map"] - 1 < 0.2


def test_patient_alt_antibiotics_latest_start_ends_in_death_in_severe_cases():
    assert not scenarios.standard(SEVERE, 24.0).alive[-1]
    lactate = [scenarios.standard(MODERATE, h).lactate.max() for h in (1.0, 6.0, 12.0, 24.0)]
    assert all(a < b for a, b in zip(lactate, lactate[1:]))


def test_patient_alt_support_nothing_collapses_full_plan_lowest_lactate():
    none, full = scenarios.run(MODERATE), scenarios.run(MODERATE, 1.0, 2100.0, "titrate", 6.0)
    fluids_only = scenarios.run(MODERATE, 1.0, 2100.0, 0.0, 6.0)
    assert not none.alive[-1] and none.map.min() < 50
    assert full.lactate.max() < min(none.lactate.max(), fluids_only.lactate.max())
    assert np.median(full.map[2:48]) == pytest.approx(65, abs=5)


def test_patient_alt_monitor_default_plan():
    res = scenarios.run(MODERATE, 1.0, 2100.0, 0.1, 6.0)
    alive = np.asarray(res.alive, bool)
    assert res.map[alive][-1] > 65  # pressure recovers above 65
    assert res.heart_rate[alive][-1] < res.heart_rate.max()  # heart rate falls
    assert int(np.argmax(res.lactate)) < 24 and res.lactate[alive][-1] < res.lactate.max()
    assert res.sofa[alive][-1] < res.sofa.max()


def test_evidence_predict_map_target_small_gain_only_and_longer_on_vasopressors(runs):
    for res in runs["map_target"].values():
        assert 0 <= res["difference"] < 0.05  # "small", and "can only be a gain"
    assert runs["map_target"][85.0]["vasopressor_h"] > runs["placebo_vasopressor_h"]


def test_evidence_map_target_text_kidney_autoregulates_down_to_about_65():
    assert _gfr(65, 4.0) > 0.9 and _gfr(55, 4.0) < 0.9


def test_liver_brain_try2_bilirubin_stays_below_the_first_sofa_threshold_in_three_days():
    """The figure's whole grid: jaundice (and liver SOFA points) come later than the 72 hours shown."""
    for severity in _slider_values(organs.liver_brain, "severity"):
        for hour in _slider_values(organs.liver_brain, "antibiotic_hour"):
            assert scenarios.standard(float(severity), float(hour)).bilirubin.max() < 1.2


def _trace(traces, name):
    return np.asarray(next(t for t in traces if t.get("name") == name)["y"], dtype=float)


def test_liver_brain_alt_bilirubin_stays_below_sofa_1_and_gcs_is_lower_when_later_or_sicker():
    """Alt text and caption of organs.liver_brain: bilirubin < 1.2 mg/dL throughout (SOFA liver 0);
    the lowest GCS is no higher with a later antibiotic or a more severe case, and lower at the extremes."""
    lowest = {}
    for hour in (1, 24):
        for severity in (0.2, 0.6):
            traces = organs.liver_brain.traces(antibiotic_hour=hour, severity=severity)
            assert np.nanmax(_trace(traces, "bilirubin")) < 1.2
            lowest[hour, severity] = np.nanmin(_trace(traces, "GCS"))
    assert lowest[24, 0.2] <= lowest[1, 0.2] and lowest[1, 0.6] <= lowest[1, 0.2]
    assert lowest[24, 0.6] < lowest[1, 0.2]


def test_treatment_fluids_alt_pressure_held_while_more_fluid_is_retained_and_floods_the_lungs():
    """Alt text of treatment.fluids: with titrated norepinephrine the lowest MAP moves < 3 mmHg between
    0 and 7 L; retained volume and the fall of P/F grow with the volume; P/F < 200 (ARDS) at 7 L."""
    from sepsislab.views import treatment

    runs = [treatment.fluids.traces(fluids_ml=v, severity=0.4) for v in (0.0, 2100.0, 7000.0)]
    lowest_map = [np.nanmin(_trace(r, "MAP")) for r in runs]
    retained = [np.nanmax(_trace(r, "fluid retained")) for r in runs]
    lowest_pf = [np.nanmin(_trace(r, "P/F ratio")) for r in runs]
    assert max(lowest_map) - min(lowest_map) < 3.0
    assert retained[0] < retained[1] < retained[2]
    assert lowest_pf[0] > lowest_pf[1] > lowest_pf[2] and lowest_pf[2] < 200
