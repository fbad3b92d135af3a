r"""Virtual cohorts and virtual trials over the patient of :mod:`sepsislab.patient`.

A trial is a set of *arms*, each a treatment plan (keywords of :func:`sepsislab.patient.simulate`),
given to the same virtual population: a paired design, so that arms differ only by treatment.
Survival is the fraction alive at the horizon, with a Wilson 95 % interval.

A cohort of 1,000 patients over 14 days runs in seconds on a laptop, because the patients of a
chunk are integrated together as one vector ODE (:func:`sepsislab.patient.simulation.run_batch`).
Larger studies map chunks on a Dask cluster: pass a ``dask.distributed.Client`` as ``client``.

Example
-------
>>> from sepsislab import cohort
>>> trial = cohort.run({"antibiotic at 1 h": {**cohort.STANDARD_CARE, "antibiotic_hour": 1},
...                     "antibiotic at 6 h": {**cohort.STANDARD_CARE, "antibiotic_hour": 6}}, n=200)
>>> trial.summary()                                        # doctest: +SKIP

References
----------
Wilson EB (1927) J Am Stat Assoc 22:209 (score interval). Evans L et al. (2021) Intensive Care Med
47:1181 (the bundle in STANDARD_CARE).
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field

import numpy as np

from .patient import TREATMENTS, Params, make_plan
from .patient.model import IX
from .patient.parameters import default_params
from .patient.physiology import GCS_MAX
from .patient.simulation import Batch, presentation, run_batch, sofa_of
from .validation import check_number

__all__ = ["population", "STANDARD_CARE", "run", "Trial", "wilson_interval", "POPULATION", "SOFA_HOUR"]

#: The guideline bundle (Surviving Sepsis Campaign 2021, Evans et al.): 30 mL/kg of crystalloid in the
#: first 3 h (two boluses of 15 mL/kg at hours 0 and 1), norepinephrine titrated to a MAP of 65 mmHg,
#: source control at hour 6. No antibiotic hour: each arm sets its own.
STANDARD_CARE = dict(
    fluid_boluses_ml_kg=((0.0, 15.0), (1.0, 15.0)),
    norepinephrine_ug_kg_min="titrate",
    map_target_mmhg=65.0,
    source_control_hour=6.0,
)

#: Hour at which :meth:`Trial.summary` reads the SOFA score.
SOFA_HOUR = 72

#: How the patients of a population differ. All illustrative; the median reserve is calibrated so that
#: the bundle with an antibiotic in the first hour saves about as many as in Kumar et al. 2006 (79.9 %).
POPULATION = {
    "severity": "Beta(2, 2) on 0–1: pathogen growth and the host's inflammatory gain (illustrative)",
    "host_response": "log-normal, median 1, σ_log 0.05, limited to 0.85–1.6: multiplier of the inflammatory "
    "gain (illustrative; a much weaker response never becomes hypotensive, so is not in a "
    "septic shock cohort)",
    "reserve": "log-normal, median Params.reserve_0 (1.2, calibrated to Kumar 2006's 79.9 %), σ_log 0.1: "
    "physiological reserve, age and comorbidity (spread illustrative)",
    "weight_kg": "log-normal, median 78 kg, σ_log 0.2, limited to 40–160 kg (illustrative)",
}


def _check_n(n) -> int:
    if isinstance(n, bool) or not isinstance(n, numbers.Integral):
        raise ValueError(f"n={n!r} must be a whole number of patients (1 to 1,000,000)")
    return int(check_number("n", n, unit="patients", low=1, high=1_000_000))


def _check_seed(seed) -> int:
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise ValueError(f"seed={seed!r} must be a non-negative whole number")
    return int(seed)


def population(n: int, seed: int = 0) -> dict:
    """Draw ``n`` virtual patients: what varies between them, each with the distribution in :data:`POPULATION`.

    Parameters
    ----------
    n : int
        Number of patients, 1 to 1,000,000.
    seed : int
        Seed of the random generator (non-negative); the same seed gives the same patients.

    Returns
    -------
    dict
        Arrays of length ``n``: ``severity`` (0–1), ``host_response`` (1 = typical), ``reserve``
        (1 = reference adult) and ``weight_kg``.
    """
    n, seed = _check_n(n), _check_seed(seed)
    rng = np.random.default_rng(seed)
    return dict(
        severity=rng.beta(2.0, 2.0, n),
        host_response=np.clip(rng.lognormal(0.0, 0.05, n), 0.85, 1.6),
        reserve=default_params().reserve_0 * rng.lognormal(0.0, 0.1, n),
        weight_kg=np.clip(rng.lognormal(math.log(78.0), 0.2, n), 40.0, 160.0),
    )


def wilson_interval(successes: int, n: int, z: float = 1.959964) -> tuple[float, float]:
    """Wilson score interval (95 % by default) of a proportion ``successes``/``n`` (Wilson 1927).

    Parameters
    ----------
    successes : int
        Number of patients with the outcome (0 to ``n``).
    n : int
        Number of patients, at least 1.
    z : float
        Standard normal quantile of the interval (1.96 for 95 %).

    Returns
    -------
    (float, float)
        Lower and upper bound, fractions 0–1 (exactly 0 when ``successes`` is 0, 1 when it is ``n``).
    """
    if n <= 0:
        raise ValueError(f"n={n} must be at least 1")
    phat = successes / n
    denom = 1 + z * z / n
    centre = (phat + z * z / (2 * n)) / denom
    half = z * math.sqrt(phat * (1 - phat) / n + z * z / (4 * n * n)) / denom
    low = 0.0 if successes == 0 else max(0.0, centre - half)  # exact bounds at 0 and n
    high = 1.0 if successes == n else min(1.0, centre + half)
    return low, high


def _check_arms(arms, hours: int) -> dict:
    if not isinstance(arms, dict) or not arms:
        raise ValueError(f"arms must be a non-empty dict mapping an arm's name to simulate keywords, got {arms!r}")
    plans = {}
    for name, kwargs in arms.items():
        if not isinstance(kwargs, dict):
            raise ValueError(f"arm {name!r}: give a dict of treatment keywords, got {kwargs!r}")
        unknown = sorted(set(kwargs) - set(TREATMENTS))
        if unknown:
            raise ValueError(
                f"arm {name!r}: {', '.join(map(repr, unknown))} is not a treatment keyword of "
                f"sepsislab.patient.simulate; allowed: {', '.join(TREATMENTS)} "
                "(the patients come from the population, not from the arm)"
            )
        plans[name] = make_plan(hours, **kwargs)
    return plans


def _sofa_at(kernel, y, u, params: Params) -> np.ndarray:
    """SOFA of every patient at one moment (through :func:`sepsislab.clinical.sofa_score`)."""
    a = kernel.algebra(y, {**u, "iterations": 8})
    ne = np.where(a["ne"] >= params.pump_min, a["ne"], 0.0)
    gcs = np.clip(np.rint(GCS_MAX - params.gcs_loss * y[IX["encephalopathy"]]), 3, GCS_MAX)
    return np.array(
        [
            sofa_of(
                a["pf"][i],
                y[IX["platelets"], i],
                y[IX["bilirubin"], i],
                a["map"][i],
                ne[i],
                u["dob"],
                gcs[i],
                y[IX["creatinine"], i],
                a["urine"][i],
            ).total
            for i in range(kernel.n)
        ],
        float,
    )


def _run_chunk(patients: dict, plans: dict, hours: int, params: Params) -> dict:
    """Every arm on one chunk of patients: the prodrome once, then each plan (what a worker runs)."""
    batch = Batch(patients["severity"], patients["host_response"], patients["reserve"], patients["weight_kg"])
    y0, onset = presentation(params, batch)
    out = {}
    for name, plan in plans.items():
        sofa = {}

        def at_hour(hour, y, alive, kernel, u, sofa=sofa):
            if hour == min(SOFA_HOUR, hours):
                sofa["value"] = _sofa_at(kernel, y, u, params)

        res = run_batch(params, batch, y0, plan, hours, on_hour=at_hour)
        out[name] = dict(
            death_hour=res["death_hour"], vasopressor_h=res["vasopressor_h"], sofa=sofa["value"], onset_hour=onset
        )
    return out


@dataclass
class Trial:
    """The outcome of :func:`run`: per arm and patient, the hour of death (nan if alive), hours on a
    vasopressor and SOFA at :data:`SOFA_HOUR` (or the horizon, if shorter)."""

    hours: int
    n: int
    seed: int
    outcomes: dict = field(repr=False)

    def _arm(self, arm: str) -> dict:
        if arm not in self.outcomes:
            raise ValueError(f"arm={arm!r} is not an arm of this trial; arms: {', '.join(map(repr, self.outcomes))}")
        return self.outcomes[arm]

    def survivors(self, arm: str) -> np.ndarray:
        """Who is alive at the horizon.

        Parameters
        ----------
        arm : str
            Name of an arm of this trial.

        Returns
        -------
        ndarray of bool
            One entry per patient.
        """
        return np.isnan(self._arm(arm)["death_hour"])

    def survival(self, arm: str) -> float:
        """Fraction of the arm alive at the horizon.

        Parameters
        ----------
        arm : str
            Name of an arm of this trial.

        Returns
        -------
        float
            0–1.
        """
        return float(self.survivors(arm).mean())

    def survival_ci(self, arm: str) -> tuple[float, float]:
        """Wilson 95 % interval of :meth:`survival`.

        Parameters
        ----------
        arm : str
            Name of an arm of this trial.

        Returns
        -------
        (float, float)
            Lower and upper bound, fractions.
        """
        return wilson_interval(int(self.survivors(arm).sum()), self.n)

    def median_vasopressor_hours(self, arm: str) -> float:
        """Median time on any vasopressor (norepinephrine above the pump's minimum, or vasopressin)
        among the arm's survivors.

        Parameters
        ----------
        arm : str
            Name of an arm of this trial.

        Returns
        -------
        float
            Hours; nan if nobody survived.
        """
        alive = self.survivors(arm)
        return float(np.median(self._arm(arm)["vasopressor_h"][alive])) if alive.any() else math.nan

    def median_sofa(self, arm: str) -> float:
        """Median SOFA at :data:`SOFA_HOUR` (or the horizon, if shorter) among patients alive then.

        Parameters
        ----------
        arm : str
            Name of an arm of this trial.

        Returns
        -------
        float
            SOFA points; nan if nobody was alive.
        """
        o = self._arm(arm)
        alive = ~(o["death_hour"] <= min(SOFA_HOUR, self.hours))
        return float(np.median(o["sofa"][alive])) if alive.any() else math.nan

    def summary(self) -> list[dict]:
        """One row per arm, in the order of the arms.

        Returns
        -------
        list of dict
            ``arm``, ``n``, ``survival``, ``ci_low``, ``ci_high`` (fractions, Wilson 95 %),
            ``median_vasopressor_h`` (survivors) and ``median_sofa_72h``.
        """
        rows = []
        for arm in self.outcomes:
            lo, hi = self.survival_ci(arm)
            rows.append(
                dict(
                    arm=arm,
                    n=self.n,
                    survival=self.survival(arm),
                    ci_low=lo,
                    ci_high=hi,
                    median_vasopressor_h=self.median_vasopressor_hours(arm),
                    median_sofa_72h=self.median_sofa(arm),
                )
            )
        return rows


def run(
    arms: dict,
    n: int = 1000,
    seed: int = 0,
    hours: int = 336,
    client=None,
    *,
    params: Params | None = None,
    chunk_size: int = 1000,
) -> Trial:
    """A virtual trial: every arm's plan given to the same ``n`` patients of :func:`population`.

    Parameters
    ----------
    arms : dict
        Arm name → keywords of :func:`sepsislab.patient.simulate` that describe treatment only
        (:data:`sepsislab.patient.TREATMENTS`), e.g. ``{**STANDARD_CARE, "antibiotic_hour": 1}``.
    n : int
        Patients per arm (1 to 1,000,000); every arm treats the same patients.
    seed : int
        Seed of the population; the same seed gives identical results.
    hours : int
        Horizon after the onset of hypotension, whole hours 1–336 (14 days).
    client : dask.distributed.Client, optional
        Map chunks of patients on this cluster; without it, run here, chunk by chunk.
    params : Params, optional
        Shared parameters of the patient model.
    chunk_size : int
        Patients integrated together as one vector ODE (and sent to a worker as one task), 1–100,000.
        Results do not depend on it.

    Returns
    -------
    Trial

    Raises
    ------
    ValueError
        A keyword that is not a treatment (``severity``, ``params``, a misspelling), ``n`` < 1, a
        non-integer seed, or a bad dose or hour in an arm.
    """
    n, seed = _check_n(n), _check_seed(seed)
    horizon = check_number("hours", hours, unit="h", low=1, high=336)
    if horizon != int(horizon):
        raise ValueError(f"hours={horizon:g} h must be a whole number of hours (1 to 336 h)")
    horizon = int(horizon)
    plans = _check_arms(arms, horizon)
    p = params if params is not None else default_params()
    if not isinstance(p, Params):
        raise ValueError(f"params must be a sepsislab.patient.Params, got {type(p).__name__}")
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, numbers.Integral):
        raise ValueError(f"chunk_size={chunk_size!r} must be a whole number of patients (1 to 100,000)")
    size = int(check_number("chunk_size", chunk_size, unit="patients", low=1, high=100_000))
    pop = population(n, seed)
    chunks = [{k: v[i : i + size] for k, v in pop.items()} for i in range(0, n, size)]
    if client is None:
        parts = [_run_chunk(c, plans, horizon, p) for c in chunks]
    else:
        futures = client.map(_run_chunk, chunks, plans=plans, hours=horizon, params=p, pure=False)
        parts = client.gather(futures)
    outcomes = {
        name: {key: np.concatenate([part[name][key] for part in parts]) for key in parts[0][name]} for name in plans
    }
    return Trial(hours=horizon, n=n, seed=seed, outcomes=outcomes)
