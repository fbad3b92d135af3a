"""The circulation with a baroreflex (Zenker et al. 2007 structure) and the NO chain of distributive shock."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sepsislab.clinical import systemic_vascular_resistance
from sepsislab.models import circulation
from sepsislab.views import tables

KEYS = ("map", "cardiac_output", "svr", "cvp", "heart_rate")
HEALTHY = circulation.shock_state("none", 0.0)


def _change(kind, severity=0.8):
    state = circulation.shock_state(kind, severity)
    return {k: (state[k] - HEALTHY[k]) / HEALTHY[k] for k in KEYS}


def test_shock_state_returns_the_documented_keys_and_a_healthy_adult():
    assert set(KEYS) <= set(HEALTHY)
    assert 70 < HEALTHY["map"] < 100 and 4 < HEALTHY["cardiac_output"] < 6.5
    assert 800 < HEALTHY["svr"] < 1400 and 2 < HEALTHY["cvp"] < 10 and 55 < HEALTHY["heart_rate"] < 90


@pytest.mark.parametrize("severity", [0.5, 0.8, 1.0])
def test_signature_directions_match_the_textbook(severity):
    """The classic table of shock signatures (Vincent & De Backer 2013): each shock made by moving
    only the parameter its mechanism touches."""
    d = _change("distributive", severity)
    assert d["svr"] < -0.1 and d["cardiac_output"] >= -0.02 and d["map"] < 0 and d["heart_rate"] > 0
    c = _change("cardiogenic", severity)
    assert c["cardiac_output"] < -0.1 and c["svr"] > 0.1 and c["cvp"] > 0 and c["heart_rate"] > 0
    h = _change("hypovolemic", severity)
    assert h["cardiac_output"] < -0.1 and h["cvp"] < -0.1 and h["svr"] > 0.1 and h["heart_rate"] > 0
    o = _change("obstructive", severity)
    assert o["cardiac_output"] < -0.1 and o["cvp"] > 0 and o["svr"] > 0.1 and o["heart_rate"] > 0


def test_warm_shock_is_hyperdynamic_and_hypotensive():
    """Septic (warm) shock: SVR down, cardiac output up, MAP below 65 mmHg (Landry & Oliver 2001)."""
    warm = circulation.shock_state("distributive", 0.8)
    assert warm["map"] < 65 and warm["cardiac_output"] > 1.5 * HEALTHY["cardiac_output"]
    assert warm["svr"] < 0.5 * HEALTHY["svr"]


def test_signature_table_is_computed_with_arrows():
    table = circulation.signature_table(1.0)
    assert table["distributive"]["svr"][0] == "↓" and table["distributive"]["cardiac_output"][0] == "↑"
    assert table["hypovolemic"]["cvp"][0] == "↓" and table["cardiogenic"]["cvp"][0] == "↑"
    md = tables.shock_signature_table(1.0).data
    assert md.count("\n") == 6 and "distributive" in md and "↓" in md


def test_baroreflex_defends_pressure_until_it_saturates():
    """Zenker et al. 2007: the reflex holds MAP near its set point during moderate haemorrhage by
    raising heart rate and tone; once sympathetic tone saturates, pressure falls steeply."""
    mild = circulation.shock_state("hypovolemic", 0.4)
    severe = circulation.shock_state("hypovolemic", 1.0)
    assert abs(mild["map"] - HEALTHY["map"]) < 5 and mild["heart_rate"] > HEALTHY["heart_rate"] + 10
    assert severe["map"] < HEALTHY["map"] - 15 and severe["sympathetic"] > 0.9


def test_blocking_nos_restores_pressure_but_not_flow():
    """López et al. 2004: a non-selective NOS inhibitor raised blood pressure in septic shock;
    in the model it does so by raising SVR while cardiac output falls."""
    storm = circulation.shock_state("distributive", 0.8)
    blocked = circulation.steady_state(tone=circulation.no_chain(0.8, nos_block=1.0)["tone"])
    assert blocked["map"] > storm["map"] + 15 and blocked["svr"] > 3 * storm["svr"]
    assert blocked["cardiac_output"] < 0.5 * storm["cardiac_output"]


def test_no_chain_is_healthy_at_zero_and_monotone():
    chain = circulation.no_chain(np.linspace(0, 1, 21))
    assert chain["tone"][0] == pytest.approx(1.0)
    for key in ("inos", "no", "sgc", "cgmp", "relaxation"):
        assert np.all(np.diff(chain[key]) > 0), key
    assert np.all(np.diff(chain["tone"]) < 0) and chain["tone"][-1] < 0.05


def test_blood_volume_is_conserved_over_time():
    for kind in ("distributive", "cardiogenic", "obstructive"):
        run = circulation.simulate(kind=kind, severity=0.7, seconds=60)
        total = run.arterial_volume + run.venous_volume
        assert np.ptp(total) < 1e-6 * total[0]
        assert total[0] == pytest.approx(circulation.Params().blood_volume)
    lost = circulation.simulate(kind="hypovolemic", severity=0.5, seconds=60)
    total = lost.arterial_volume + lost.venous_volume
    assert total[-1] == pytest.approx(circulation.Params().blood_volume - 0.5 * circulation.Params().max_blood_loss)


@pytest.mark.parametrize("kind", circulation.KINDS[1:])
def test_time_course_settles_on_the_algebraic_steady_state(kind):
    run = circulation.simulate(kind=kind, severity=0.7, seconds=600)
    steady = circulation.shock_state(kind, 0.7)
    for key in KEYS:
        assert run[key][-1] == pytest.approx(steady[key], rel=2e-3), key


def test_cutting_the_reflex_deepens_the_hypotension():
    on = circulation.simulate(kind="distributive", severity=0.6, seconds=120)
    off = circulation.simulate(kind="distributive", severity=0.6, seconds=120, reflex_strength=0)
    assert off.map[-1] < on.map[-1] - 15
    assert off.heart_rate[-1] == pytest.approx(off.heart_rate[0]) and on.heart_rate[-1] > on.heart_rate[0] + 30


@settings(max_examples=40, deadline=None)
@given(kind=st.sampled_from(circulation.KINDS), severity=st.floats(0, 1))
def test_steady_states_are_physical_and_consistent(kind, severity):
    s = circulation.shock_state(kind, severity)
    p = circulation.Params()
    assert all(np.isfinite(s[k]) for k in KEYS)
    assert s["map"] > s["cvp"] and s["cardiac_output"] > 0 and p.hr_min <= s["heart_rate"] <= p.hr_max
    # Flow balance: the bedside SVR formula recovers the model's resistance.
    bedside = systemic_vascular_resistance(s["map"], s["cvp"], s["cardiac_output"])
    assert bedside == pytest.approx(s["svr"], rel=2e-3)
    assert s["arterial_volume"] + s["venous_volume"] == pytest.approx(s["blood_volume"])


@settings(max_examples=30, deadline=None)
@given(kind=st.sampled_from(circulation.KINDS[1:]), a=st.floats(0, 1), b=st.floats(0, 1))
def test_worse_shock_never_raises_pressure(kind, a, b):
    low, high = sorted((a, b))
    assert circulation.shock_state(kind, high)["map"] <= circulation.shock_state(kind, low)["map"] + 1e-6


@pytest.mark.parametrize("call, match", [
    (lambda: circulation.shock_state("septic", 0.5), "kind='septic' is not one of the allowed values"),
    (lambda: circulation.shock_state("distributive", -0.2), r"severity=-0.2 is outside the allowed range"),
    (lambda: circulation.shock_state("distributive", 60), "looks like a percent"),
    (lambda: circulation.shock_state("distributive", float("nan")), "not a finite number"),
    (lambda: circulation.no_chain(2.0), r"cytokine=2.0 is outside the allowed range; allowed: 0 to 1"),
    (lambda: circulation.simulate(seconds=0), r"seconds=0 s is outside the allowed range"),
    (lambda: circulation.simulate(reflex_strength=-0.1), "reflex_strength=-0.1"),
    (lambda: circulation.steady_state(volume_loss=2000), "no steady state"),
    (lambda: circulation.steady_state(volume_loss=2500), r"volume_loss=2500 mL is outside the allowed range"),
    (lambda: circulation.steady_state(tone=[1.0, -0.5]), r"tone=-0.5 is negative"),
    (lambda: circulation.steady_state(contractility="weak"), "contractility must be a number"),
    (lambda: circulation.Params(c_a=50), r"c_a=50 mL/mmHg is outside the allowed range; allowed: 1 to 10"),
    (lambda: circulation.Params(r_min=3.0), "r_min=3 must not exceed r_max=2.134"),
])
def test_bad_input_is_refused_clearly(call, match):
    with pytest.raises(ValueError, match=match):
        call()
