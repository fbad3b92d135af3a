"""The aftermath: hyperinflammation burns out into immunoparalysis (CARS).

Reproduces the known picture (Hotchkiss et al. 2013): a transient cytokine response followed by
endotoxin tolerance (a second LPS challenge gives a blunted TNF peak that recovers over weeks),
monocyte HLA-DR falling below the 30 % immunoparalysis threshold (Döcke et al. 1997; Monneret et
al. 2006) for longer when sepsis is more severe, lymphopenia, PD-1 exhaustion (Boomer et al. 2011),
and a rising risk of secondary infection.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sepsislab.models import immunoparalysis as imm


def _days_below_threshold(res):
    return float(np.sum(res.hla_dr < imm.HLA_DR_IMMUNOPARALYSIS) * (res.time[1] - res.time[0]))


def test_rechallenge_is_blunted_during_tolerance_and_recovers():
    gaps = np.array([1.0, 2.0, 4.0, 7.0, 14.0, 28.0, 56.0])
    ratio = imm.lps_rechallenge(gaps)
    assert ratio[0] < 0.4                      # a day later the TNF peak is a fraction of the first
    assert np.all(np.diff(ratio) > 0)          # recovering with time
    assert ratio[-1] == pytest.approx(1.0, abs=0.02)
    assert isinstance(imm.lps_rechallenge(3.0), float)


def test_longer_tolerance_half_life_keeps_the_response_blunted_longer():
    short = imm.lps_rechallenge(7.0, imm.Params(tol_half_life_d=2.0))
    long = imm.lps_rechallenge(7.0, imm.Params(tol_half_life_d=6.0))
    assert long < short < 1


def test_two_phases_hyperinflammation_first_then_immunosuppression():
    res = imm.simulate()
    peak_h = res.time[np.argmax(res.hyperinflammation)]
    trough_hla = res.time[np.argmin(res.hla_dr)]
    assert peak_h < 1.0 < trough_hla
    assert res.hyperinflammation[res.time >= 7].max() < 0.05 * res.hyperinflammation.max()
    assert res.hla_dr.min() < imm.HLA_DR_IMMUNOPARALYSIS < res.hla_dr[0]
    assert res.lymphocytes.min() < 1.0 < res.lymphocytes[-1]
    assert res.pd1.max() > 2 * res.pd1[0]


def test_severe_or_uncontrolled_sepsis_means_longer_immunoparalysis_and_more_infection():
    """Monneret et al. 2006: persisting low HLA-DR marks the patients who do badly."""
    moderate = imm.simulate(imm.Params(severity=0.3, infection_days=2.0))
    severe = imm.simulate(imm.Params(severity=0.6, infection_days=5.0))
    assert _days_below_threshold(severe) > _days_below_threshold(moderate) + 5
    assert severe.infection_risk[-1] > moderate.infection_risk[-1]
    assert severe.lymphocytes.min() < moderate.lymphocytes.min()


def test_no_infection_no_change():
    res = imm.simulate(imm.Params(severity=0.0), days=14)
    assert np.allclose(res.hla_dr, 90.0) and np.allclose(res.lymphocytes, 2.0)
    assert res.infection_risk[-1] == pytest.approx(1 - np.exp(-0.0005 * 14), rel=1e-4)


def test_bad_input_is_refused_with_a_clear_message():
    with pytest.raises(ValueError, match=r"days_after_first=0 d .*allowed: 0.5 to 60 d"):
        imm.lps_rechallenge(0)
    with pytest.raises(ValueError, match="days_after_first must be a number"):
        imm.lps_rechallenge("a week")
    with pytest.raises(ValueError, match=r"days=90 d"):
        imm.simulate(days=90)
    with pytest.raises(ValueError, match=r"severity=2 .*allowed: 0 to 1"):
        imm.Params(severity=2)
    with pytest.raises(ValueError, match="tolerance"):
        imm.tnf_capacity(-1)


@settings(max_examples=30, deadline=None)
@given(severity=st.floats(0, 1), infection_days=st.floats(0.2, 15))
def test_states_stay_physical(severity, infection_days):
    p = imm.Params(severity=severity, infection_days=infection_days)
    res = imm.simulate(p, days=28)
    assert np.all((res.hla_dr >= p.hla_dr_min - 1e-6) & (res.hla_dr <= p.hla_dr_0 + 1e-6))
    assert np.all((res.lymphocytes > 0) & (res.lymphocytes <= p.lymph_0 + 1e-6))
    assert np.all((res.pd1 >= p.pd1_0 - 1e-6) & (res.pd1 <= 1))
    assert np.all((res.tnf_capacity > 0) & (res.tnf_capacity <= 1))
    assert np.all(np.diff(res.infection_risk) >= 0) and res.infection_risk[-1] < 1


@settings(max_examples=30, deadline=None)
@given(gap=st.floats(1.0, 40.0), later=st.floats(0.5, 20.0))
def test_tolerance_only_fades_after_the_first_day(gap, later):
    first, second = imm.lps_rechallenge(np.array([gap, min(gap + later, 60.0)]))
    assert 0 < first <= second + 1e-9 and second <= 1.0 + 1e-6
