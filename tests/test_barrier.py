"""The leaky barrier: revised Starling principle, oedema and bolus retention (Levick & Michel 2010;
Woodcock & Woodcock 2012)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sepsislab.clinical import starling_filtration
from sepsislab.models import barrier


def test_filtration_uses_the_revised_starling_equation():
    p = barrier.Params()
    b = barrier.barrier_properties(0.3)
    expected = starling_filtration(b["kf"], 25.0, p.pi0, b["sigma"], p.pi_p0, b["pi_g"])
    assert barrier.filtration(0.3, 25.0) == pytest.approx(expected)
    assert barrier.barrier_properties(1.0) == dict(sigma=p.sigma_intact, kf=p.kf_intact, pi_g=p.pi_g_intact)
    assert barrier.barrier_properties(0.0) == dict(sigma=p.sigma_shed, kf=p.kf_shed, pi_g=p.pi_g_shed)


@settings(max_examples=40, deadline=None)
@given(a=st.floats(0, 1), b=st.floats(0, 1), pc=st.floats(5, 45))
def test_filtration_rises_as_the_glycocalyx_is_shed(a, b, pc):
    shed, intact = sorted((a, b))                     # lower integrity = more of it shed
    assert barrier.filtration(shed, pc) >= barrier.filtration(intact, pc) - 1e-12


def test_shed_glycocalyx_filters_many_times_more_at_rest():
    assert barrier.filtration(0.0) > 5 * barrier.filtration(1.0) > 0


def test_no_absorption_rule():
    """Levick & Michel 2010: at low capillary pressure the classic balance predicts absorption, but at
    steady state filtration only falls to zero."""
    assert barrier.filtration(1.0, 10.0, steady=False) < 0
    assert barrier.filtration(1.0, 10.0) == 0.0


def test_healthy_body_is_in_balance_and_a_shed_barrier_makes_oedema():
    healthy = barrier.simulate(glycocalyx_integrity=1.0, minutes=180)
    assert np.allclose(healthy.plasma_volume, barrier.Params().vp0) and np.allclose(healthy.oedema, 0, atol=1e-6)
    septic = barrier.simulate(glycocalyx_integrity=0.0, minutes=180)
    assert septic.oedema[-1] > 300 and np.all(np.diff(septic.oedema) >= -1e-9)
    assert septic.plasma_volume[-1] < barrier.Params().vp0 - 300          # oedematous and hypovolaemic


@settings(max_examples=30, deadline=None)
@given(g=st.floats(0, 1), bolus=st.floats(0, 3000))
def test_fluid_is_conserved_between_plasma_and_interstitium(g, bolus):
    p = barrier.Params()
    run = barrier.simulate(glycocalyx_integrity=g, bolus_ml=bolus, minutes=120)
    assert np.allclose(run.plasma_volume + run.interstitial_volume, p.vp0 + p.vi0 + bolus, rtol=1e-6)


def test_bolus_retention_is_lower_when_the_glycocalyx_is_shed():
    """Woodcock & Woodcock 2012: with the glycocalyx degraded an infused crystalloid leaves the plasma
    faster; with it intact, about half of a litre is still intravascular after 30 min."""
    for minutes in (15, 30, 60, 120):
        assert barrier.bolus_retention(0.0, 1000, minutes) < barrier.bolus_retention(1.0, 1000, minutes) - 0.1
    assert 0.35 < barrier.bolus_retention(1.0, 1000, 30) < 0.7
    assert barrier.bolus_retention(0.0, 1000, 60) < 0.2


def test_low_capillary_pressure_keeps_the_bolus_in():
    """Woodcock & Woodcock 2012 (context sensitivity): at subnormal capillary pressure a bolus raises
    pressure before it drives filtration, so more of it stays in the plasma."""
    low = barrier.bolus_retention(1.0, 1000, 60, barrier.Params(pc0=12.0))
    assert low > barrier.bolus_retention(1.0, 1000, 60) + 0.15


@settings(max_examples=30, deadline=None)
@given(g=st.floats(0, 1), volume=st.floats(50, 3000), t1=st.floats(1, 240), t2=st.floats(1, 240))
def test_retention_is_a_fraction_that_falls_with_time(g, volume, t1, t2):
    early, late = sorted((t1, t2))
    a = barrier.bolus_retention(g, volume, early)
    b = barrier.bolus_retention(g, volume, late)
    assert 0 <= b <= a + 1e-3 <= 1 + 1e-3


def test_retention_at_time_zero_is_the_whole_bolus():
    assert barrier.bolus_retention(0.2, 500, 0) == 1.0


@pytest.mark.parametrize("call, match", [
    (lambda: barrier.bolus_retention(80, 1000, 30), "glycocalyx_integrity=80 looks like a percent"),
    (lambda: barrier.bolus_retention(-0.1, 1000, 30), "glycocalyx_integrity=-0.1 is outside the allowed range"),
    (lambda: barrier.bolus_retention(1.0, 0, 30), r"volume_ml=0 mL is outside the allowed range"),
    (lambda: barrier.bolus_retention(1.0, 1000, -5), r"minutes=-5 min is negative"),
    (lambda: barrier.bolus_retention(1.0, "1 L", 30), "volume_ml must be a number in mL"),
    (lambda: barrier.simulate(bolus_ml=9000), r"bolus_ml=9000 mL is outside the allowed range; allowed: 0 to 5000"),
    (lambda: barrier.Params(sigma_shed=1.5), "sigma_shed=1.5 is outside the allowed range"),
    (lambda: barrier.filtration(1.0, capillary_pressure=-5), "capillary_pressure=-5 mmHg is negative"),
    (lambda: barrier.filtration(1.0, steady="no"), "steady='no' must be True or False"),
])
def test_bad_input_is_refused_clearly(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_input_is_validated_once_and_the_ode_calls_the_unchecked_kernel(monkeypatch):
    """Validation at the public boundary only: the integrity is checked once per call, and the
    right-hand side never goes through the checked clinical formula."""
    calls = []
    checked = barrier.check_fraction

    def counting(name, value, **kwargs):
        calls.append(name)
        return checked(name, value, **kwargs)

    def forbidden(*args, **kwargs):
        raise AssertionError("the checked starling_filtration was called inside the model")

    monkeypatch.setattr(barrier, "check_fraction", counting)
    monkeypatch.setattr(barrier, "starling_filtration", forbidden)
    retained = barrier.bolus_retention(0.5, 1000, 60)
    assert calls == ["glycocalyx_integrity"]
    assert 0.0 < retained < 1.0
    calls.clear()
    barrier.simulate(glycocalyx_integrity=0.5, bolus_ml=1000, minutes=60)
    assert calls == ["glycocalyx_integrity"]
