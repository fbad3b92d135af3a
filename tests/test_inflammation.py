"""The reduced acute inflammatory response model of Reynolds et al. (2006), published parameters."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from solver_output import ROUND_OFF, unclipped

from sepsislab.models import inflammation, sentry

CEILING = inflammation.Params().k_dn / inflammation.Params().mu_d   # maximal damage, 17.5


def test_defaults_are_the_published_table():
    p = inflammation.Params()
    assert (p.k_pg, p.k_pn, p.s_nr, p.k_dn, p.x_dn, p.c_inf, p.k_cnd, p.mu_c) == \
        (0.3, 1.8, 0.08, 0.35, 0.06, 0.28, 48.0, 0.1)


@pytest.mark.parametrize("p0, k_pg, expected", [
    (0.5, 0.3, "healthy"), (1.0, 0.3, "healthy"),
    (2.0, 0.3, "aseptic death"), (5.0, 0.3, "aseptic death"),
    (1.0, 0.6, "septic death"), (0.5, 1.0, "septic death"),
])
def test_three_published_outcomes(p0, k_pg, expected):
    """Reynolds et al. 2006 (J Theor Biol 242:220) describe three outcomes of the model with its
    Table 1 parameters: health, aseptic death (pathogen cleared, inflammation and damage persist)
    and septic death (pathogen persists); k_pg = 0.3 gives health for small and aseptic death for
    larger inocula, a faster-growing pathogen gives septic death."""
    run = inflammation.simulate(inflammation.Params(k_pg=k_pg), initial_pathogen=p0, hours=500)
    assert inflammation.classify_outcome(run) == expected


def test_aseptic_death_clears_the_pathogen_but_not_the_damage():
    run = inflammation.simulate(initial_pathogen=2.0, hours=500)
    assert run.pathogen[-1] < 1e-6 and run.damage[-1] > 0.95 * CEILING
    assert run.phagocytes[-1] > 0.5


def test_health_returns_everything_to_baseline():
    p = inflammation.Params()
    end = inflammation.simulate(initial_pathogen=0.5, hours=500).final()
    assert end["pathogen"] < 1e-6 and end["phagocytes"] < 1e-3 and end["damage"] < 1e-2
    assert end["anti_inflammatory"] == pytest.approx(p.s_c / p.mu_c, rel=0.05)


def test_critical_inoculum_lies_above_the_local_threshold():
    """Phagocytes rescue inocula above the sentry threshold P*, up to the onset of aseptic death."""
    crit = inflammation.critical_inoculum()
    assert sentry.clearance_threshold() < crit < 1.5


def test_outcome_grid_final_slice_matches_single_runs():
    times, codes = inflammation.outcome_grid([0.5, 2.0], [0.3, 1.0], hours=480, points=41)
    assert codes.shape == (41, 2, 2) and times[-1] == 480
    assert [[inflammation.OUTCOMES[c] for c in row] for row in codes[-1]] == \
        [["healthy", "aseptic death"], ["septic death", "septic death"]]


@settings(max_examples=30, deadline=None)
@given(p0=st.floats(0, 20), k_pg=st.floats(0.05, 1.5))
def test_states_are_non_negative_and_bounded(p0, k_pg):
    p = inflammation.Params(k_pg=k_pg)
    with unclipped() as raw:
        run = inflammation.simulate(p, initial_pathogen=p0, hours=150, points=151)
    assert raw[-1].min() >= -ROUND_OFF  # every state, before integrate clips round-off
    assert np.all(run.pathogen <= p.p_inf * 1.0001)
    assert np.all(run.phagocytes <= p.s_nr / p.mu_n)
    assert np.all(run.damage <= p.k_dn / p.mu_d)
    assert np.all(run.anti_inflammatory <= (p.s_c + p.k_cn) / p.mu_c)


def test_short_runs_cannot_be_classified():
    with pytest.raises(ValueError, match="needs a run of at least 200 h"):
        inflammation.classify_outcome(inflammation.simulate(hours=48))


@pytest.mark.parametrize("kwargs, match", [
    (dict(initial_pathogen=-1), "initial_pathogen=-1 .* negative"),
    (dict(initial_pathogen=30), "initial_pathogen=30 .*0 to 20"),
    (dict(hours=float("inf")), "hours=inf is not a finite number"),
])
def test_bad_input_names_argument_value_and_range(kwargs, match):
    with pytest.raises(ValueError, match=match):
        inflammation.simulate(**kwargs)


def test_bad_parameter_names_field_unit_and_range():
    with pytest.raises(ValueError, match=r"k_pg=3 1/h is outside the allowed range; allowed: 0.01 to 2 1/h"):
        inflammation.Params(k_pg=3)


def test_mu_nr_is_the_resting_phagocyte_decay_rate_reynolds_2006():
    """Reynolds et al. 2006 (J Theor Biol 242:220): resting phagocytes N_R are supplied at s_nr, decay
    at mu_nr and are activated at R; at the quasi-steady N_R = s_nr/(mu_nr + R) activation is
    s_nr R/(mu_nr + R). So mu_nr is a rate (1/h), and recruitment is half-maximal at R = mu_nr."""
    import dataclasses
    from sepsislab.models.inflammation import _rhs
    p = inflammation.Params()
    meta = {f.name: f.metadata for f in dataclasses.fields(p)}["mu_nr"]
    assert meta["unit"] == "1/h" and "decay of resting phagocytes" in meta["doc"]
    n_half = p.mu_nr / p.k_nn                     # R = k_nn N* = mu_nr with no pathogen, damage or C_A
    dn = _rhs(p)(0.0, [0.0, n_half, 0.0, 0.0])[1]
    assert dn + p.mu_n * n_half == pytest.approx(p.s_nr / 2, rel=1e-12)
