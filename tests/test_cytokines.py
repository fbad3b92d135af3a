"""The storm and the brake: an illustrative TNF/IL-1/IL-6/IL-10 network with a closed-form switch."""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from solver_output import ROUND_OFF, unclipped

from sepsislab.models import cytokines


def test_tnf_comes_first_and_il10_last():
    """After an endotoxin pulse TNF peaks first (about 90 min in volunteers, Michie et al. 1988),
    IL-6 later and the IL-10 brake last."""
    run = cytokines.simulate()
    peak = {k: run.time[np.argmax(run[k])] for k in ("tnf", "il1", "il6", "il10")}
    assert 0.5 <= peak["tnf"] <= 2.0
    assert peak["tnf"] < peak["il1"] < peak["il6"] < peak["il10"]


def test_removing_the_il10_brake_turns_resolution_into_a_storm():
    """IL-10-deficient mice die of endotoxin doses that normal mice survive (Berg et al. 1995)."""
    normal, knockout = cytokines.Params(), cytokines.Params(brake=0.0)
    assert cytokines.outcome(cytokines.simulate(normal), normal) == "resolution"
    run = cytokines.simulate(knockout, hours=96)
    assert cytokines.outcome(run, knockout) == "storm"
    assert run.tnf[-1] > 0.5 and run.stimulus[-1] < 1e-10   # still inflamed long after the pulse


def test_storm_level_matches_the_closed_form_root():
    p = cytokines.Params(gain=2.0)
    _, u_storm = cytokines.storm_states(p)
    run = cytokines.simulate(p, stimulus=5, hours=200)
    assert run.tnf[-1] == pytest.approx(u_storm / 2, rel=1e-3)
    assert run.il10[-1] == pytest.approx(p.il10_induction * u_storm ** 2 / (1 + u_storm ** 2), rel=1e-3)


def test_boundary_is_where_the_storm_state_appears():
    p = cytokines.Params()
    g_star = float(cytokines.storm_boundary(p.brake, p))
    assert g_star == pytest.approx(np.sqrt(2))
    assert cytokines.storm_states(p.replace(gain=0.99 * g_star)) is None
    assert cytokines.storm_states(p.replace(gain=1.01 * g_star)) is not None


def test_neutralising_tnf_moves_the_boundary_but_il1_still_carries_the_loop():
    gains = [float(cytokines.storm_boundary(1.0, cytokines.Params(anti_tnf=f))) for f in (0, 0.5, 0.99)]
    assert gains[0] < gains[1] < gains[2] < 2 * gains[0]


@settings(max_examples=30, deadline=None)
@given(gain=st.floats(0.2, 4.0), brake=st.floats(0.0, 5.0), s0=st.floats(0.5, 20.0))
def test_below_the_boundary_every_response_resolves(gain, brake, s0):
    p = cytokines.Params(gain=gain, brake=brake)
    assume(gain < 0.9 * float(cytokines.storm_boundary(brake, p)))
    run = cytokines.simulate(p, stimulus=s0, hours=150)
    assert cytokines.outcome(run, p) == "resolution" and run.tnf[-1] < 1e-3
    assert cytokines.outcome_map([gain], [brake], p)[0, 0] == 0


@settings(max_examples=30, deadline=None)
@given(gain=st.floats(0.2, 4.0), brake=st.floats(0.0, 5.0))
def test_well_above_the_boundary_the_default_pulse_ignites_a_storm(gain, brake):
    p = cytokines.Params(gain=gain, brake=brake)
    assume(gain > 1.5 * float(cytokines.storm_boundary(brake, p)))
    run = cytokines.simulate(p, hours=150)
    assert cytokines.outcome(run, p) == "storm"
    assert cytokines.outcome_map([gain], [brake], p)[0, 0] == pytest.approx(run.tnf[-1], rel=1e-3)


def test_near_the_boundary_a_huge_pulse_calls_up_a_brake_that_prevents_the_storm():
    """A storm state is necessary, not sufficient: IL-10 lags, so a very large pulse leaves a
    strong brake behind after the stimulus has gone."""
    p = cytokines.Params(gain=2.0, brake=2.0)
    assert cytokines.storm_states(p) is not None
    assert cytokines.outcome(cytokines.simulate(p, stimulus=2, hours=150), p) == "storm"
    assert cytokines.outcome(cytokines.simulate(p, stimulus=10, hours=150), p) == "resolution"


@settings(max_examples=30, deadline=None)
@given(gain=st.floats(0, 5), brake=st.floats(0, 10), s0=st.floats(0, 20), phi=st.floats(0, 0.95))
def test_levels_are_non_negative_and_bounded_by_the_drive(gain, brake, s0, phi):
    p = cytokines.Params(gain=gain, brake=brake, anti_tnf=phi)
    with unclipped() as raw:
        run = cytokines.simulate(p, stimulus=s0, hours=24)
    assert raw[-1].min() >= -ROUND_OFF  # every level, before integrate clips round-off
    for key in ("tnf", "il1", "il6"):
        assert np.all(run[key] <= s0 + gain + 1e-6)
    assert np.all(run.il10 <= p.il10_induction * (s0 + 1) + 1e-6)


@pytest.mark.parametrize("kwargs, match", [
    (dict(stimulus=-1), "stimulus=-1 .* is negative"),
    (dict(stimulus=100), "stimulus=100 .*0 to 50"),
    (dict(hours=0), "hours=0"),
])
def test_bad_input_names_argument_value_and_range(kwargs, match):
    with pytest.raises(ValueError, match=match):
        cytokines.simulate(**kwargs)


def test_bad_parameters_are_refused_with_the_range():
    with pytest.raises(ValueError, match="brake=-0.5 is negative"):
        cytokines.Params(brake=-0.5)
    with pytest.raises(ValueError, match="anti_tnf=1.5 .*allowed: 0 to 0.99"):
        cytokines.Params(anti_tnf=1.5)


def test_a_vanishing_stimulus_is_no_stimulus():
    """Hypothesis found that a pulse of 2.2e-308 made LSODA overflow: it is taken as no pulse."""
    run = cytokines.simulate(cytokines.Params(gain=0.0, brake=0.0), stimulus=2.2250738585072014e-308, hours=24)
    assert all(np.all(run[key] == 0.0) for key in ("tnf", "il1", "il6", "il10", "stimulus"))
