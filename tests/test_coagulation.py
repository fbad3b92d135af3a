"""Septic coagulation: the brakes fail, thrombin runs, platelets and fibrinogen are consumed (DIC).

Reproduces the known course of sepsis-associated DIC (Levi & ten Cate 1999; Gando et al. 2016):
antithrombin and protein C fall, thrombin generation is sustained, platelets and fibrinogen are
consumed while microthrombi accumulate, and the ISTH overt-DIC score (Taylor et al. 2001) reaches 5.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from solver_output import ROUND_OFF, unclipped

from sepsislab.models import coagulation as coag


def _run(**kw):
    p = coag.Params(**kw)
    return p, coag.simulate(p, hours=72)


def test_healthy_without_drive_stays_at_rest():
    _, res = _run(tf_drive=0.0, at_production=1.0, pc_production=1.0)
    assert np.allclose(res.thrombin, 0.0)
    assert res.platelets[-1] == pytest.approx(250.0) and res.fibrinogen[-1] == pytest.approx(3.0)
    assert np.all(coag.dic_scores(res) == 0)


def test_septic_course_consumes_platelets_and_fibrinogen():
    """Levi & ten Cate 1999: consumption of platelets and fibrinogen, falling inhibitors, microthrombi."""
    _, res = _run()
    assert res.platelets[-1] < 100 < res.platelets[0]
    assert res.fibrinogen[-1] < res.fibrinogen[0]
    assert res.antithrombin[-1] < res.antithrombin[0] and res.protein_c[-1] < res.protein_c[0]
    assert res.microthrombi[-1] > 0.1
    assert np.all(np.diff(res.platelets) < 0)          # monotone fall over three days


def test_overt_dic_score_reached_in_septic_shock_not_in_mild_inflammation():
    """Taylor et al. 2001: a score ≥ 5 is compatible with overt DIC."""
    p, res = _run()
    scores = coag.dic_scores(res, p)
    assert scores[0] == 0 and scores.max() >= 5
    p_mild, mild = _run(tf_drive=0.3)
    assert coag.dic_scores(mild, p_mild).max() < 5


@pytest.mark.parametrize("brake", ["at_production", "pc_production"])
def test_less_inhibitor_means_more_thrombin_and_microthrombi(brake):
    low = _run(**{brake: 0.3})[1]
    high = _run(**{brake: 1.0})[1]
    assert low.thrombin.max() > high.thrombin.max()
    assert np.trapezoid(low.thrombin, low.time) > np.trapezoid(high.thrombin, high.time)
    assert low.microthrombi[-1] > high.microthrombi[-1]
    assert low.platelets[-1] < high.platelets[-1]


def test_more_drive_means_more_consumption():
    results = [_run(tf_drive=d)[1] for d in (0.5, 1.0, 2.0)]
    assert all(a.platelets[-1] > b.platelets[-1] for a, b in zip(results, results[1:]))
    assert all(a.microthrombi[-1] < b.microthrombi[-1] for a, b in zip(results, results[1:]))


def test_critical_antithrombin_is_the_threshold_of_the_positive_feedback():
    """Beltrami & Jesty 1995: amplification beats a linear inhibitor below a critical inhibitor level."""
    p = coag.Params()
    assert coag.critical_antithrombin(p) == pytest.approx((p.k_amp - p.k_cl) / p.k_at)
    assert coag.critical_antithrombin(coag.Params(k_amp=1.0)) == 0.0
    # Linear growth rate of thrombin at T → 0 with full factors changes sign at A*.
    a_star = coag.critical_antithrombin(p)
    for a, sign in ((a_star * 0.9, 1), (a_star * 1.1, -1)):
        assert np.sign(p.k_amp - p.k_at * a - p.k_cl) == sign


def test_pt_and_fibrin_marker_mappings():
    assert coag.pt_prolongation_s(1.0) == pytest.approx(0.0)
    assert coag.pt_prolongation_s(0.5) == pytest.approx(3.0)
    assert coag.pt_prolongation_s(1 / 3) == pytest.approx(6.0)
    normal = 3.0 / (96.0 / np.log(2))
    assert coag.fibrin_marker(0.0) == "none"
    assert coag.fibrin_marker(0.5 * normal) == "moderate"
    assert coag.fibrin_marker(2.0 * normal) == "strong"
    assert list(coag.fibrin_marker(np.array([0.0, 2.0 * normal]))) == ["none", "strong"]


def test_bad_input_is_refused_with_a_clear_message():
    with pytest.raises(ValueError, match=r"tf_drive=-1 .*negative"):
        coag.Params(tf_drive=-1)
    with pytest.raises(ValueError, match=r"at_production=5 .*allowed: 0 to 1.5"):
        coag.Params(at_production=5)
    with pytest.raises(ValueError, match="hours"):
        coag.simulate(hours=0)
    with pytest.raises(ValueError, match="factors"):
        coag.pt_prolongation_s(0.0)
    with pytest.raises(ValueError, match="fibrin_formation"):
        coag.fibrin_marker(-1.0)


@settings(max_examples=30, deadline=None)
@given(drive=st.floats(0, 3), at=st.floats(0, 1.5), pc=st.floats(0, 1.5))
def test_states_stay_physical(drive, at, pc):
    p = coag.Params(tf_drive=drive, at_production=at, pc_production=pc)
    with unclipped() as raw:
        res = coag.simulate(p, hours=48)
    assert raw[-1].min() >= -ROUND_OFF  # every state, before integrate clips round-off
    assert all(np.all(np.isfinite(v)) and np.all(v >= 0) for v in res.values())
    assert np.all(res.platelets <= p.platelets_0 + 1e-6)
    assert np.all(res.microthrombi <= 1.0) and np.all(res.factors <= 1.0 + 1e-9)
    scores = coag.dic_scores(res, p)
    assert np.all((scores >= 0) & (scores <= 8))


@settings(max_examples=30, deadline=None)
@given(at=st.floats(0.1, 1.4), delta=st.floats(0.05, 0.5))
def test_less_antithrombin_never_lowers_thrombin(at, delta):
    low = coag.simulate(coag.Params(at_production=at), hours=24)
    high = coag.simulate(coag.Params(at_production=min(at + delta, 1.5)), hours=24)
    assert np.all(low.thrombin >= high.thrombin - 1e-6)
