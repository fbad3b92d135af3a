"""Bedside formulas against worked textbook values, their invariants, and their error messages."""


import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from sepsislab import clinical as c

# -- worked values -------------------------------------------------------------


def test_map_one_third_rule():
    assert c.mean_arterial_pressure(120, 80) == pytest.approx(93.33, abs=0.01)
    assert c.mean_arterial_pressure(85, 40) == pytest.approx(55.0)


def test_svr_normal_and_septic():
    assert c.systemic_vascular_resistance(93, 5, 5.5) == pytest.approx(1280, abs=0.5)
    # warm septic shock: MAP 55, CVP 8, CO 8 L/min -> 470 dyn·s·cm⁻⁵, well below 800
    assert c.systemic_vascular_resistance(55, 8, 8.0) == pytest.approx(470)


def test_shock_index():
    assert c.shock_index(72, 120) == pytest.approx(0.6)
    assert c.shock_index(120, 90) == pytest.approx(1.333, abs=1e-3)


def test_oxygen_content_delivery_consumption_extraction():
    cao2 = c.arterial_oxygen_content(15, 0.98, 100)
    assert cao2 == pytest.approx(1.34 * 15 * 0.98 + 0.3)          # 20.0 mL/dL
    assert c.oxygen_delivery(5.0, 20.0) == pytest.approx(1000)     # normal DO2
    assert c.oxygen_consumption(5.0, 20.0, 15.0) == pytest.approx(250)  # normal VO2
    assert c.oxygen_extraction_ratio(20.0, 15.0) == pytest.approx(0.25)


def test_pf_ratio_and_berlin_categories():
    assert c.pf_ratio(80, 0.4) == pytest.approx(200)
    assert [c.ards_severity(pf, 8) for pf in (350, 300, 250, 200, 150, 100, 60)] == \
        ["none", "mild", "mild", "moderate", "moderate", "severe", "severe"]


def test_berlin_needs_peep_of_five():
    with pytest.raises(ValueError, match=r"peep_cmh2o=3 .*PEEP or CPAP ≥ 5"):
        c.ards_severity(150, 3)


def test_qsofa():
    assert c.qsofa(24, 95, False) == 2
    assert c.qsofa(22, 100, True) == 3
    assert c.qsofa(16, 130, False) == 0


def test_sofa_worked_example():
    # P/F 180 ventilated (3), platelets 80 (2), bilirubin 2.5 (2), norepinephrine 0.2 (4),
    # GCS 13 (1), creatinine 2.2 (2) -> 14
    s = c.sofa_score(pao2_fio2=180, on_respiratory_support=True, platelets_10e9_l=80,
                     bilirubin_mg_dl=2.5, map_mmhg=68, norepinephrine=0.2, gcs=13, creatinine_mg_dl=2.2)
    assert s == (14, 3, 2, 2, 4, 1, 2)
    assert s.total == 14 and s.cardiovascular == 4


def test_sofa_respiratory_three_needs_support_and_urine_counts():
    s = c.sofa_score(pao2_fio2=150, platelets_10e9_l=200, bilirubin_mg_dl=0.5, map_mmhg=80, gcs=15,
                     creatinine_mg_dl=0.8, urine_ml_day=300)
    assert s.respiration == 2 and s.renal == 3 and s.total == 5


def test_sepsis3_septic_shock():
    assert c.is_septic_shock(True, 3.1)
    assert not c.is_septic_shock(True, 2.0)
    assert not c.is_septic_shock(False, 6.0)


def test_lactate_clearance_percent():
    assert c.lactate_clearance(4.0, 2.0) == pytest.approx(50.0)
    assert c.lactate_clearance(2.0, 3.0) == pytest.approx(-50.0)


def test_revised_starling():
    # Kf 0.1, Pc 25, Pi -1, sigma 0.9, pi_p 25, pi_g 5: 0.1 * (26 - 18) = 0.8 mL/min
    assert c.starling_filtration(0.1, 25, -1, 0.9, 25, 5) == pytest.approx(0.8)


def test_norepinephrine_pump_rate():
    # 0.1 µg/kg/min, 70 kg, 4 mg in 50 mL = 80 µg/mL -> 5.25 mL/h
    assert c.infusion_rate_ml_h(0.1, 70, 80) == pytest.approx(5.25)


def test_isth_overt_dic():
    assert c.isth_dic_score(40, "strong", 4, 0.8) == 7
    assert c.isth_dic_score(100, "moderate", 3, 1.0) == 5
    assert c.isth_dic_score(250, "none", 1, 3.0) == 0


# -- invariants ------------------------------------------------------------------

pressures = st.floats(20, 250)


@settings(max_examples=50, deadline=None)
@given(sbp=pressures, dbp=st.floats(5, 250))
def test_map_lies_between_diastolic_and_systolic(sbp, dbp):
    assume(dbp <= sbp)
    assert dbp - 1e-9 <= c.mean_arterial_pressure(sbp, dbp) <= sbp + 1e-9


@settings(max_examples=50, deadline=None)
@given(co=st.floats(0.5, 15), k=st.floats(1.1, 3))
def test_svr_falls_as_flow_rises(co, k):
    assume(co * k <= 30)
    assert c.systemic_vascular_resistance(80, 5, co * k) == pytest.approx(
        c.systemic_vascular_resistance(80, 5, co) / k)


@settings(max_examples=50, deadline=None)
@given(cao2=st.floats(1, 30), frac=st.floats(0, 1))
def test_extraction_is_a_fraction_and_fick_is_consistent(cao2, frac):
    cvo2 = cao2 * frac
    er = c.oxygen_extraction_ratio(cao2, cvo2)
    assert 0 <= er <= 1
    assert c.oxygen_consumption(5, cao2, cvo2) == pytest.approx(er * c.oxygen_delivery(5, cao2))


organ_inputs = dict(
    pao2_fio2=st.floats(50, 600), on_respiratory_support=st.booleans(), platelets_10e9_l=st.floats(0, 500),
    bilirubin_mg_dl=st.floats(0, 20), map_mmhg=st.floats(30, 120), norepinephrine=st.floats(0, 1),
    gcs=st.integers(3, 15), creatinine_mg_dl=st.floats(0.2, 8))


@settings(max_examples=60, deadline=None)
@given(**organ_inputs)
def test_sofa_total_is_the_sum_of_six_subscores_each_zero_to_four(**kw):
    s = c.sofa_score(**kw)
    assert s.total == sum(s[1:]) and all(0 <= x <= 4 for x in s[1:]) and 0 <= s.total <= 24


@settings(max_examples=40, deadline=None)
@given(plt=st.floats(0, 400), drop=st.floats(0, 1))
def test_fewer_platelets_never_lower_the_scores(plt, drop):
    kw = dict(pao2_fio2=400, platelets_10e9_l=plt, bilirubin_mg_dl=0.5, map_mmhg=80, gcs=15, creatinine_mg_dl=1)
    fewer = dict(kw, platelets_10e9_l=plt * drop)
    assert c.sofa_score(**fewer).coagulation >= c.sofa_score(**kw).coagulation
    assert c.isth_dic_score(plt * drop, "none", 0, 2) >= c.isth_dic_score(plt, "none", 0, 2)


# -- errors a student will meet ----------------------------------------------------

@pytest.mark.parametrize("call, match", [
    (lambda: c.arterial_oxygen_content(15, 98, 100), r"sao2=98 looks like a percent.*0\.98"),
    (lambda: c.pf_ratio(80, 40), r"fio2=40 looks like a percent.*0\.4"),
    (lambda: c.pf_ratio(80, 0.1), r"fio2=0\.1 .*0\.21 to 1"),
    (lambda: c.mean_arterial_pressure(float("nan"), 80), r"systolic_mmhg=nan is not a finite number \(mmHg\)"),
    (lambda: c.mean_arterial_pressure(80, 120), r"diastolic_mmhg=120 mmHg is above systolic"),
    (lambda: c.systemic_vascular_resistance(80, 5, 0), r"cardiac_output_l_min=0 L/min .*greater than 0"),
    (lambda: c.systemic_vascular_resistance(80, 5, -2), r"cardiac_output_l_min=-2 L/min is negative"),
    (lambda: c.shock_index("fast", 100), r"heart_rate_bpm must be a number in beats/min"),
    (lambda: c.sofa_score(pao2_fio2=300, platelets_10e9_l=150, bilirubin_mg_dl=1, map_mmhg=70, gcs=15,
                          creatinine_mg_dl=150), r"creatinine_mg_dl=150 .*µmol/L .*88\.4"),
    (lambda: c.sofa_score(pao2_fio2=300, platelets_10e9_l=150000, bilirubin_mg_dl=1, map_mmhg=70, gcs=15,
                          creatinine_mg_dl=1), r"platelets_10e9_l=150000 .*per µL"),
    (lambda: c.sofa_score(pao2_fio2=300, platelets_10e9_l=150, bilirubin_mg_dl=1, map_mmhg=70, gcs=14.5,
                          creatinine_mg_dl=1), r"gcs=14\.5 must be a whole number"),
    (lambda: c.is_septic_shock("yes", 3), r"needs_vasopressor_for_map_65='yes' must be True or False"),
    (lambda: c.is_septic_shock(True, 27.0 * 2), r"lactate_mmol_l=54 .*mg/dL"),
    (lambda: c.isth_dic_score(80, "high", 3, 1), r"fibrin_marker='high' is not one of .*'strong'"),
    (lambda: c.oxygen_extraction_ratio(15, 18), r"cvo2_ml_dl=18 .*exceeds cao2_ml_dl=15"),
    (lambda: c.infusion_rate_ml_h(0.1, 70, 0), r"concentration_ug_ml=0 µg/mL"),
    (lambda: c.starling_filtration(0.1, 25, -1, 90, 25, 5), r"reflection_coefficient=90 looks like a percent"),
])
def test_bad_input_gets_a_message_a_student_can_act_on(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_every_formula_cites_its_source():
    for name in c.__all__:
        obj = getattr(c, name)
        if callable(obj) and obj is not c.SofaScore:
            assert "References" in (obj.__doc__ or ""), name
