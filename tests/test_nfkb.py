"""The TLR4 → IKK relay and the NF-κB–IκB oscillator (Krishna, Jensen & Sneppen 2006)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from solver_output import ROUND_OFF, unclipped

from sepsislab.models import nfkb


def test_sustained_spiky_oscillations_krishna_2006_fig2():
    """Krishna et al. 2006 (PNAS 103:10840, Fig. 2): with the published parameters and IKK held
    constant, nuclear NF-κB oscillates in sharp spikes that do not die out, with deep troughs and a
    period of hours."""
    run = nfkb.simulate(lps_pm=100, hours=10)
    spikes = nfkb.nuclear_peaks(run)
    assert len(spikes["time"]) >= 3
    assert spikes["height"][-1] > 0.75 * spikes["height"][0]          # sustained, not damped
    assert spikes["trough"].max() < 0.05 * spikes["height"].min()     # spiky: near zero between
    assert 1.5 < np.diff(spikes["time"]).mean() < 3.5                 # period of a few hours


def test_first_pulse_arrives_within_the_hour():
    """Nuclear NF-κB peaks about half an hour after stimulation (Hoffmann et al. 2002)."""
    first = nfkb.nuclear_peaks(nfkb.simulate(lps_pm=100, hours=3))["time"][0]
    assert 0.25 < first < 1.0


def test_weak_feedback_gives_damped_oscillations_onto_a_plateau():
    run = nfkb.simulate(nfkb.Params(k_t=0.1), lps_pm=100, hours=10)
    spikes = nfkb.nuclear_peaks(run)
    assert np.all(np.diff(spikes["height"]) < 0)          # each pulse lower than the last
    assert np.all(np.diff(spikes["trough"]) > 0)          # and the floor rises
    assert run.nfkb_nuclear[-1] > 0.25                    # NF-κB stays in the nucleus


def test_more_lps_means_more_ikk_and_a_larger_first_pulse():
    runs = [nfkb.simulate(lps_pm=dose, hours=1.5) for dose in (1, 10, 100, 1000)]
    ikk = [r.ikk[-1] for r in runs]
    first = [r.nfkb_nuclear.max() for r in runs]
    assert all(a < b for a, b in zip(ikk, ikk[1:])) and ikk[-1] <= nfkb.Params().ikk_max
    assert all(a < b for a, b in zip(first, first[1:]))


def test_resting_state_is_a_steady_state_with_little_nuclear_nfkb():
    p = nfkb.Params()
    nn, im, i = nfkb.resting_state(p)
    assert np.allclose(nfkb._derivatives(p, p.ikk_basal, nn, im, i), 0, atol=1e-10)
    assert 0 < nn < 0.05 * p.n_tot
    quiet = nfkb.simulate(lps_pm=0, hours=5)
    assert np.allclose(quiet.nfkb_nuclear, nn, rtol=1e-3)


def test_relay_delays_ikk_by_minutes():
    p = nfkb.Params()
    t = np.array([0.0, 5 / 60, 1.0])
    ikk = nfkb.ikk_activity(t, 1e6, p)
    assert ikk[0] == pytest.approx(p.ikk_basal)
    assert ikk[1] < 0.2 * p.ikk_max < 0.99 * p.ikk_max < ikk[2]


@settings(max_examples=30, deadline=None)
@given(lps=st.floats(0, 1e4), k_t=st.floats(0.05, 5.0))
def test_nuclear_nfkb_stays_between_zero_and_the_total(lps, k_t):
    p = nfkb.Params(k_t=k_t)
    with unclipped() as raw:
        run = nfkb.simulate(p, lps_pm=lps, hours=6)
    assert raw[-1].min() >= -ROUND_OFF  # every state, before integrate clips round-off
    assert np.all(run.nfkb_nuclear <= p.n_tot)
    assert np.all((run.ikk >= p.ikk_basal - 1e-12) & (run.ikk <= p.ikk_max + 1e-12))


@pytest.mark.parametrize("kwargs, match", [
    (dict(lps_pm=-1), "lps_pm=-1 pM is negative"),
    (dict(lps_pm=float("nan")), "lps_pm=nan is not a finite number"),
    (dict(hours=100), "hours=100 h is outside the allowed range; allowed: .*72 h"),
])
def test_bad_input_names_argument_value_and_range(kwargs, match):
    with pytest.raises(ValueError, match=match):
        nfkb.simulate(**kwargs)


def test_bad_parameter_names_field_unit_and_range():
    with pytest.raises(ValueError, match=r"k_t=-1 1/\(µM·min\) is negative"):
        nfkb.Params(k_t=-1)


def test_settled_period_rejects_a_horizon_too_short_to_settle():
    with pytest.raises(ValueError, match=r"hours=10 h is outside the allowed range"):
        nfkb.settled_period(hours=10)
