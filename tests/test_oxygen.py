"""The oxygen paradox: supply dependence below a critical delivery, and NO competing with O₂ at COX.

Reproduces the biphasic DO₂–VO₂ relation (Cain 1977 in dogs; Shibutani et al. 1983 and Ronco et al.
1993 in patients), the two IC₅₀ of NO on respiration measured by Brown & Cooper (1994) — 270 nM at
145 µM O₂ and 60 nM at 30 µM O₂ — and the bedside picture of cytopathic hypoxia: high ScvO₂ with
rising lactate (Fink 2001).
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sepsislab.models import microcirculation, oxygen


def test_vo2_equals_demand_above_critical_delivery_and_falls_below():
    """Cain 1977: VO₂ is supply-independent above the critical DO₂ and falls linearly below it."""
    crit = oxygen.critical_do2(250, 0.7)
    assert crit == pytest.approx(250 / 0.7)
    do2 = np.array([0.5, 0.9, 1.1, 2.0, 4.0]) * crit
    vo2 = oxygen.oxygen_consumption_curve(do2, 250, 0.7)
    assert np.allclose(vo2[2:], 250)
    assert np.all(vo2[:2] < 250)
    assert vo2[0] / do2[0] == pytest.approx(0.7)       # slope below the break = maximal extraction


def test_critical_delivery_rises_as_extraction_falls():
    extraction = np.array([0.8, 0.7, 0.5, 0.3])
    crit = oxygen.critical_do2(250, extraction)
    assert np.all(np.diff(crit) > 0)


def test_shunting_microcirculation_raises_critical_delivery():
    healthy = oxygen.critical_do2(250, microcirculation.max_extraction(0.4, 0.0))
    septic = oxygen.critical_do2(250, microcirculation.max_extraction(2.0, 0.3))
    assert septic > 1.3 * healthy


def test_competitive_constants_reproduce_brown_cooper_1994():
    """Brown & Cooper 1994: half-inhibition at 270 nM NO (145 µM O₂) and 60 nM NO (30 µM O₂)."""
    for o2, ic50 in oxygen.BROWN_COOPER_IC50:
        relative = oxygen.mitochondrial_o2_use(o2, ic50) / oxygen.mitochondrial_o2_use(o2, 0.0)
        assert relative == pytest.approx(0.5, abs=1e-3)


def test_more_no_lowers_cox_rate_less_so_at_high_oxygen():
    no = np.array([0.0, 10.0, 50.0, 200.0, 1000.0])
    low_o2 = oxygen.mitochondrial_o2_use(10.0, no)
    high_o2 = oxygen.mitochondrial_o2_use(150.0, no)
    assert np.all(np.diff(low_o2) < 0) and np.all(np.diff(high_o2) < 0)
    # competitive: the same NO costs a smaller fraction of the rate at high O₂
    assert np.all(high_o2[1:] / high_o2[0] > low_o2[1:] / low_o2[0])


def test_bedside_paradox_high_scvo2_with_rising_lactate():
    """Cytopathic hypoxia (Fink 2001): normal delivery, less O₂ used, venous blood fuller, lactate up."""
    healthy = oxygen.simulate(oxygen.Params(no_nm=0.0))
    septic = oxygen.simulate()
    assert healthy.lactate[-1] == pytest.approx(1.0) and healthy.scvo2[-1] == pytest.approx(0.7275, abs=1e-3)
    assert septic.scvo2[-1] > 0.75 > 0.70
    assert septic.lactate[-1] > 2.0 and np.all(np.diff(septic.lactate) > 0)
    assert np.all(np.diff(septic.capacity) <= 0)        # peroxynitrite damage does not reverse


def test_delivery_failure_lowers_scvo2_instead():
    low_delivery = oxygen.simulate(oxygen.Params(no_nm=0.0, do2_ml_min=300.0))
    assert low_delivery.scvo2[-1] < 0.5 and low_delivery.lactate[-1] > 2.0


def test_bad_input_is_refused_with_a_clear_message():
    with pytest.raises(ValueError, match="looks like a percent"):
        oxygen.critical_do2(250, 70)
    with pytest.raises(ValueError, match="max_extraction=0 must be greater than 0"):
        oxygen.critical_do2(250, 0)
    with pytest.raises(ValueError, match=r"vo2_demand_ml_min=-5 mL O₂/min is negative"):
        oxygen.oxygen_consumption_curve(500, -5, 0.7)
    with pytest.raises(ValueError, match="do2_ml_min"):
        oxygen.oxygen_consumption_curve([500, np.nan], 250, 0.7)
    with pytest.raises(ValueError, match=r"no_nm=-1 nM"):
        oxygen.mitochondrial_o2_use(30, -1)
    with pytest.raises(ValueError, match="o2_um must be a number"):
        oxygen.mitochondrial_o2_use("30", 10)


@settings(max_examples=40, deadline=None)
@given(do2=st.floats(0, 3000), demand=st.floats(50, 1000), emax=st.floats(0.05, 1.0))
def test_consumption_never_exceeds_demand_or_supply(do2, demand, emax):
    vo2 = oxygen.oxygen_consumption_curve(do2, demand, emax)
    assert 0 <= vo2 <= demand + 1e-9 and vo2 <= emax * do2 + 1e-9


@settings(max_examples=40, deadline=None)
@given(o2=st.floats(0.1, 300), no=st.floats(0, 5000), extra=st.floats(1, 500))
def test_cox_rate_is_a_fraction_and_falls_with_no(o2, no, extra):
    u = oxygen.mitochondrial_o2_use(o2, no)
    assert 0 < u < 1
    assert oxygen.mitochondrial_o2_use(o2, no + extra) < u


@settings(max_examples=30, deadline=None)
@given(no=st.floats(0, 500), do2=st.floats(100, 2000), ros=st.floats(0, 5))
def test_course_stays_physical(no, do2, ros):
    res = oxygen.simulate(oxygen.Params(no_nm=no, do2_ml_min=do2, ros=ros), hours=24)
    assert np.all((res.scvo2 >= 0) & (res.scvo2 <= 1))
    assert np.all(res.lactate >= 1.0 - 1e-9)
    assert np.all(res.vo2 <= 250 + 1e-9) and np.all((res.capacity > 0) & (res.capacity <= 1))
