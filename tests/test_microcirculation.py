"""Microcirculatory chaos: flow heterogeneity and plugging cap oxygen extraction (Crone 1963;
Walley 1996; De Backer et al. 2002)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sepsislab.models import microcirculation as micro


def test_homogeneous_network_follows_renkin_crone():
    """Crone 1963: a capillary extracts 1 − exp(−PS/F); with equal flows the network does too."""
    d = micro.Params().diffusion
    assert micro.max_extraction(0.0) == pytest.approx(1 - np.exp(-d))


def test_healthy_network_extracts_about_seventy_percent():
    assert 0.65 < micro.max_extraction(micro.heterogeneity(1.0)) < 0.8


@settings(max_examples=40, deadline=None)
@given(a=st.floats(0, 3), b=st.floats(0, 3), plugged=st.floats(0, 0.9))
def test_heterogeneity_lowers_maximal_extraction(a, b, plugged):
    """Walley 1996: at the same total flow, heterogeneous delivery impairs extraction."""
    low, high = sorted((a, b))
    assert micro.max_extraction(high, plugged) <= micro.max_extraction(low, plugged) + 1e-12


@settings(max_examples=40, deadline=None)
@given(h=st.floats(0, 3), a=st.floats(0, 0.9), b=st.floats(0, 0.9))
def test_plugging_lowers_maximal_extraction(h, a, b):
    few, many = sorted((a, b))
    assert micro.max_extraction(h, many) <= micro.max_extraction(h, few) + 1e-12
    assert 0 < micro.max_extraction(h, many) < 1


def test_losing_shear_sensing_makes_flow_chaotic():
    """De Backer et al. 2002: fewer perfused capillaries next to well-perfused ones in septic shock."""
    healthy, septic = micro.network(1.0, 0.0), micro.network(0.0, 0.0)
    assert septic["stopped"] > 0.2 > 0.01 > healthy["stopped"]
    assert septic["flooded"] > 2 * healthy["flooded"]
    assert septic["functional_density"] < 0.8 < 0.99 < healthy["functional_density"]
    assert septic["max_extraction"] < healthy["max_extraction"] - 0.15


@settings(max_examples=30, deadline=None)
@given(e=st.floats(0, 1), plugged=st.floats(0, 0.9))
def test_network_bookkeeping(e, plugged):
    net = micro.network(e, plugged)
    assert np.mean(net["flows"]) == pytest.approx(1.0)
    parts = sum(net[k] for k in ("plugged", "stopped", "sluggish", "normal", "flooded"))
    assert parts == pytest.approx(1.0) and min(net[k] for k in ("plugged", "stopped", "normal")) >= 0
    assert net["plugged"] == pytest.approx(plugged, abs=1 / micro.N_CAPILLARIES)


@pytest.mark.parametrize("call, match", [
    (lambda: micro.max_extraction(heterogeneity=-1), "heterogeneity=-1 .* negative"),
    (lambda: micro.max_extraction(heterogeneity=5), "heterogeneity=5 .*0 to 3"),
    (lambda: micro.max_extraction(plugged_fraction=0.95), "plugged_fraction=0.95 is outside the allowed range"),
    (lambda: micro.max_extraction(plugged_fraction=30), "plugged_fraction=30 looks like a percent"),
    (lambda: micro.network(shear_sensing=1.2), "shear_sensing=1.2"),
    (lambda: micro.Params(diffusion=0), "diffusion=0 is outside the allowed range"),
])
def test_bad_input_is_refused_clearly(call, match):
    with pytest.raises(ValueError, match=match):
        call()
