"""The sentry model: a threshold between local containment and escape (Reynolds et al. 2006)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from solver_output import ROUND_OFF, unclipped

from sepsislab.models import sentry


def test_threshold_with_published_parameters():
    # Smaller root of k_pg(1 - P/p_inf)(mu_m + k_mp P) = k_pm s_m with Reynolds et al. (2006) Table 1.
    assert sentry.clearance_threshold() == pytest.approx(0.8441, abs=1e-3)


def test_bistability_reynolds_2006_local_response():
    """Reynolds et al. 2006 (Sec. 2): with only the local response, small inocula are cleared and
    larger ones grow to the high equilibrium below p_inf."""
    p_star = sentry.clearance_threshold()
    low = sentry.simulate(initial_pathogen=0.9 * p_star, hours=120)
    high = sentry.simulate(initial_pathogen=1.1 * p_star, hours=120)
    assert low.pathogen[-1] < 1e-3 and sentry.outcome(low) == "contained"
    assert high.pathogen[-1] == pytest.approx(18.96, abs=0.05) and sentry.outcome(high) == "systemic alarm"
    assert high.alarm[-1] > 0.7 > 0.05 > low.alarm[-1]


def test_faster_growth_lowers_the_threshold():
    thresholds = [sentry.clearance_threshold(sentry.Params(k_pg=k)) for k in (0.2, 0.3, 0.45, 0.6)]
    assert all(a > b for a, b in zip(thresholds, thresholds[1:]))


def test_growth_faster_than_maximal_killing_has_no_threshold():
    assert sentry.clearance_threshold(sentry.Params(k_pg=1.6)) == 0.0


@settings(max_examples=40, deadline=None)
@given(p0=st.floats(0, 20), k_pg=st.floats(0.05, 1.0))
def test_states_stay_within_physical_bounds(p0, k_pg):
    with unclipped() as raw:
        res = sentry.simulate(sentry.Params(k_pg=k_pg), initial_pathogen=p0, hours=48)
    assert raw[-1].min() >= -ROUND_OFF and np.all(res.pathogen <= 20 * 1.001)
    assert np.all((res.alarm >= 0) & (res.alarm <= 1))


@settings(max_examples=40, deadline=None)
@given(lps=st.floats(0, 1e5), ec50=st.floats(0.1, 1e4), n=st.floats(0.5, 4))
def test_occupancy_is_a_fraction_and_half_at_ec50(lps, ec50, n):
    params = sentry.Params(ec50_pm=ec50, hill=n)
    assert 0 <= sentry.tlr4_occupancy(lps, params) <= 1
    assert sentry.tlr4_occupancy(ec50, params) == pytest.approx(0.5)


@pytest.mark.parametrize("kwargs, match", [
    (dict(initial_pathogen=-1), "initial_pathogen=-1 .* negative"),
    (dict(initial_pathogen=50), "initial_pathogen=50 .*0 to 20"),
    (dict(hours=0), "hours=0"),
    (dict(hours=float("nan")), "hours=nan is not a finite number"),
])
def test_bad_input_names_argument_value_and_range(kwargs, match):
    with pytest.raises(ValueError, match=match):
        sentry.simulate(**kwargs)


def test_bad_parameter_names_field_unit_and_range():
    with pytest.raises(ValueError, match=r"k_pg=5 1/h is outside the allowed range; allowed: 0.01 to 2 1/h"):
        sentry.Params(k_pg=5)
    with pytest.raises(ValueError, match="unknown parameter"):
        sentry.Params().replace(kpg=0.2)


@pytest.mark.parametrize("p0", [2.2250738585e-313, 1e-150])
def test_a_vanishing_inoculum_is_no_inoculum(p0):
    """Hypothesis found that an inoculum of 1e-313 made the solver fail: below
    validation.PHYSICAL_ZERO a value is taken as 0."""
    res = sentry.simulate(initial_pathogen=p0, hours=48)
    assert np.all(res.pathogen == 0.0) and sentry.outcome(res) == "contained"
