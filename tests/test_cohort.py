"""Virtual cohorts and trials (sepsislab.cohort): reproducible, paired, validated, local or on Dask.

The calibration of the cohort against published trials is in tests/test_calibration.py; here the
machinery: the same seed gives the same patients and results, every arm treats the same patients,
bad arms fail loudly, the Wilson interval is the textbook one (Wilson 1927), and a Dask cluster
gives exactly what a local run gives.
"""

import math

import numpy as np
import pytest

from sepsislab import cohort

SHORT = dict(n=12, hours=24)
EARLY = {**cohort.STANDARD_CARE, "antibiotic_hour": 1}


def test_population_is_reproducible_and_documented():
    a, b, c = cohort.population(50, seed=3), cohort.population(50, seed=3), cohort.population(50, seed=4)
    assert set(a) == set(cohort.POPULATION)
    for key in a:
        assert np.array_equal(a[key], b[key]) and not np.array_equal(a[key], c[key])
        assert a[key].shape == (50,)
    assert np.all((a["severity"] >= 0) & (a["severity"] <= 1))
    assert np.all((a["weight_kg"] >= 40) & (a["weight_kg"] <= 160)) and np.all(a["reserve"] > 0)


def test_large_population_follows_its_distributions():
    pop = cohort.population(20000, seed=1)
    assert np.mean(pop["severity"]) == pytest.approx(0.5, abs=0.01)  # Beta(2, 2)
    assert np.median(pop["weight_kg"]) == pytest.approx(78.0, rel=0.02)


def test_standard_care_is_the_bundle_without_an_antibiotic():
    assert "antibiotic_hour" not in cohort.STANDARD_CARE
    assert sum(ml_kg for _, ml_kg in cohort.STANDARD_CARE["fluid_boluses_ml_kg"]) == pytest.approx(30.0)
    assert cohort.STANDARD_CARE["norepinephrine_ug_kg_min"] == "titrate"
    assert cohort.STANDARD_CARE["source_control_hour"] == 6


def test_same_seed_same_trial_and_arms_are_paired():
    arms = {"a": EARLY, "b": dict(EARLY), "late": {**cohort.STANDARD_CARE, "antibiotic_hour": 12}}
    one, two = cohort.run(arms, n=12, hours=48), cohort.run(arms, n=12, hours=48)
    for arm in arms:
        for key in ("death_hour", "vasopressor_h", "sofa"):
            assert np.array_equal(one.outcomes[arm][key], two.outcomes[arm][key], equal_nan=True)
    # identical plans on the same patients: identical outcomes (a paired design)
    assert np.array_equal(one.outcomes["a"]["vasopressor_h"], one.outcomes["b"]["vasopressor_h"])
    assert not np.array_equal(one.outcomes["a"]["vasopressor_h"], one.outcomes["late"]["vasopressor_h"])


def test_chunking_does_not_change_the_result():
    whole = cohort.run({"a": EARLY}, **SHORT)
    parts = cohort.run({"a": EARLY}, chunk_size=5, **SHORT)
    for key in ("death_hour", "vasopressor_h", "sofa"):
        assert np.allclose(whole.outcomes["a"][key], parts.outcomes["a"][key], rtol=1e-9, equal_nan=True)


def test_summary_has_a_row_per_arm():
    trial = cohort.run({"early": EARLY, "none": dict(cohort.STANDARD_CARE)}, n=10, hours=72)
    rows = trial.summary()
    assert [r["arm"] for r in rows] == ["early", "none"]
    for r in rows:
        assert r["n"] == 10 and 0 <= r["ci_low"] <= r["survival"] <= r["ci_high"] <= 1
        assert set(r) == {"arm", "n", "survival", "ci_low", "ci_high", "median_vasopressor_h", "median_sofa_72h"}
    assert trial.survival_ci("early") == cohort.wilson_interval(int(trial.survivors("early").sum()), 10)
    assert trial.median_vasopressor_hours("early") > 0


def test_wilson_interval_matches_the_textbook_values():
    """Wilson 1927: 8 of 10 → (0.490, 0.943); 0 of 20 → (0, 0.161)."""
    lo, hi = cohort.wilson_interval(8, 10)
    assert (lo, hi) == (pytest.approx(0.4902, abs=1e-4), pytest.approx(0.9433, abs=1e-4))
    lo, hi = cohort.wilson_interval(0, 20)
    assert lo == 0.0 and hi == pytest.approx(0.1611, abs=1e-4)


@pytest.mark.parametrize(
    "arms, match",
    [
        ({"a": {"severity": 0.5}}, r"'severity' is not a treatment keyword"),
        ({"a": {"params": None}}, r"'params' is not a treatment keyword"),
        ({"a": {"antibiotic_hours": 1}}, r"'antibiotic_hours' is not a treatment keyword"),
        ({"a": {"antibiotic_hour": -1}}, r"antibiotic_hour=-1 h is negative"),
        ({"a": {"norepinephrine_ug_kg_min": "lots"}}, r"'titrate'"),
        ({}, r"non-empty dict"),
        ({"a": 1}, r"arm 'a': give a dict"),
    ],
)
def test_bad_arms_are_refused(arms, match):
    with pytest.raises(ValueError, match=match):
        cohort.run(arms, **SHORT)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(n=0), r"n=0 patients"),
        (dict(n=2.5), r"n=2.5 must be a whole number"),
        (dict(seed=1.5), r"seed=1.5 must be a non-negative whole number"),
        (dict(seed=True), r"seed=True"),
        (dict(seed=-1), r"seed=-1"),
        (dict(hours=500), r"hours=500"),
        (dict(hours=10.5), r"whole number"),
        (dict(chunk_size=0), r"chunk_size=0"),
    ],
)
def test_bad_sizes_are_refused(kwargs, match):
    with pytest.raises(ValueError, match=match):
        cohort.run({"a": EARLY}, **{**SHORT, **kwargs})


def test_unknown_arm_in_results():
    trial = cohort.run({"a": EARLY}, n=2, hours=8)
    with pytest.raises(ValueError, match="'b' is not an arm"):
        trial.survival("b")
    assert math.isnan(
        cohort.Trial(
            2, 1, 0, {"x": dict(death_hour=np.array([1.0]), vasopressor_h=np.array([1.0]), sofa=np.array([5.0]))}
        ).median_vasopressor_hours("x")
    )


def test_a_dask_cluster_gives_the_local_result():
    """run(client=…) maps chunks of patients on a dask.distributed cluster (here a small LocalCluster)."""
    distributed = pytest.importorskip("distributed")
    arms = {"a": EARLY, "late": {**cohort.STANDARD_CARE, "antibiotic_hour": 6}}
    local = cohort.run(arms, chunk_size=4, **SHORT)
    with (
        distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster,
        distributed.Client(cluster) as client,
    ):
        remote = cohort.run(arms, client=client, chunk_size=4, **SHORT)
    for arm in arms:
        for key in ("death_hour", "vasopressor_h", "sofa"):
            assert np.allclose(local.outcomes[arm][key], remote.outcomes[arm][key], rtol=1e-12, equal_nan=True)
